//! The checks of `customers:` entries, each mistake at its entry and key.

use super::*;

fn contract(names: &[&str]) -> ContractConfig {
    let yaml = format!("name: c\ncustomers: [{}]\n", names.join(", "));
    serde_yaml::from_str(&yaml).unwrap()
}

fn entry(name: &str, slug: &str, url: &str) -> CustomerConfig {
    CustomerConfig {
        name: name.into(),
        slug: slug.into(),
        base_url: url.into(),
        services: None,
        title: None,
        home: None,
        indicators: Vec::new(),
        contact: None,
    }
}

/// Where each mistake is said: (entry, key).
fn places(said: &[(usize, &'static str, String)]) -> Vec<(usize, &'static str)> {
    said.iter().map(|m| (m.0, m.1)).collect()
}

#[test]
fn slugs_are_plain_folder_names() {
    for bad in ["", "../x", "a/b", "Acme", ".acme", "-x", "a b", "ａ"] {
        assert!(slug_problem(bad).is_some(), "{bad:?} accepted");
    }
    for good in ["acme", "beta-2", "c_3"] {
        assert_eq!(slug_problem(good), None);
    }
}

#[test]
fn entries_that_are_not_entries_are_said_with_the_others_mistakes() {
    let doc: serde_json::Value = serde_json::json!({
        "contracts": [{"name": "s", "customers": "*"}],
        "customers": [
            "南海商事",
            {"name": "北斗会", "slug": "Hokuto", "base_url": "/h/"},
            42,
            {"name": "東邦", "slug": "toho", "base_url": "/t/", "services": "portal"},
            null,
            ["西部", "seibu", "/s/"],
        ],
    });
    let said = unreadable_entries(&doc).expect("some entries are not entries");
    let at: Vec<usize> = said.iter().map(|m| m.0).collect();
    assert_eq!(at, [0, 1, 2, 3, 4, 5], "{said:?}");
    assert!(said[0].2.contains("an entry is the text"), "{said:?}");
    assert!(said[1].2.contains("北斗会: slug `Hokuto`"), "{said:?}");
    assert!(said[2].2.contains("an entry is the number 42"), "{said:?}");
    assert!(
        said[3].2.starts_with("customers: 東邦: invalid type"),
        "{said:?}"
    );
    assert!(said[4].2.contains("an entry is nothing"), "{said:?}");
    assert!(said[5].2.contains("an entry is a list"), "{said:?}");
    let fine = serde_json::json!({"customers": [{"name": "a", "slug": "a", "base_url": "/a/"}]});
    assert!(unreadable_entries(&fine).is_none());
}

#[test]
fn an_edition_inside_the_internal_site_or_another_edition_is_refused() {
    let contracts = [contract(&["ACME", "Beta", "Gamma"])];
    let internal = "https://ops.example.jp/";
    let mut list = vec![
        entry("ACME", "acme", "https://reports.example.jp/acme/"),
        entry("Beta", "beta", "https://Reports.example.jp/acme/beta/"),
        entry("Gamma", "gamma", "https://ops.example.jp/internal/gamma/"),
    ];
    let said = checked(&mut list, internal, &contracts);
    assert_eq!(
        places(&said),
        [(1, "base_url"), (2, "base_url")],
        "{said:?}"
    );
    assert!(
        said[0]
            .2
            .contains("Beta is published inside ACME's edition"),
        "{said:?}"
    );
    assert!(
        said[1].2.contains("inside the internal site's address"),
        "{said:?}"
    );
    // Two ways of writing one place: each as written, and the place.
    let mut list = vec![
        entry("ACME", "acme", "https://reports.example.jp/acme/"),
        entry("Beta", "beta", "https://Reports.example.jp:443/acme/"),
    ];
    let said = checked(&mut list, internal, &contracts);
    assert_eq!(
        said[0].2,
        "customers: ACME and Beta are both published at reports.example.jp/acme/ (https://reports.example.jp/acme/ and https://Reports.example.jp:443/acme/)"
    );
    // Beside each other, not inside: accepted; paths without a host are folders.
    assert!(!inside_address(
        "https://r.example.jp/ab/",
        "https://r.example.jp/a/"
    ));
    assert!(inside_address("/a/b", "/a"));
    assert!(!inside_address("/a/", "/a"));
    // An internal site at a path (no host) says nothing of where editions are.
    let mut list = vec![entry("ACME", "acme", "/acme/")];
    assert!(checked(&mut list, "/", &contracts).is_empty());
}

#[test]
fn every_entry_s_mistake_is_said_in_one_run() {
    let contracts = [contract(&["ACME", "Beta", "Gamma", "Delta"])];
    let mut list = vec![
        entry("ACMe", "acme", "/acme/"),
        entry("Beta", "Beta", "/beta/"),
        entry("Gamma", "gamma", "/g/"),
        entry("Delta", "gamma", "/d/"),
        entry("", "e", "/e/"),
    ];
    let said = places(&checked(&mut list, "/", &contracts));
    // A misspelt name, a slug in capitals, a slug used twice, a name left out.
    assert_eq!(said, [(0, "name"), (1, "slug"), (3, "slug"), (4, "name")]);
    // An entry with a mistake of its own is still compared by its other keys.
    let mut list = vec![
        entry("ACME", "Acme", "/shared/"),
        entry("Beta", "beta", "/shared/"),
        entry("Gamma", "", "/g/"),
        entry("Delta", "", "/d/"),
    ];
    let said = places(&checked(&mut list, "/", &contracts));
    // Two slugs left out are one mistake each, not a slug used twice.
    assert_eq!(
        said,
        [(0, "slug"), (1, "base_url"), (2, "slug"), (3, "slug")]
    );
    // An entry without a name is said once, and named in no pair.
    let mut list = vec![entry("ACME", "acme", "/a/"), entry("", "beta", "/a/")];
    let said = checked(&mut list, "/", &contracts);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!((said[0].0, said[0].1), (1, "name"));
    let mut none: Vec<CustomerConfig> = (0..3)
        .map(|i| entry(&format!("C{i}"), &format!("c{i}"), &format!("/c{i}/")))
        .collect();
    let said = checked(&mut none, "/", &[]);
    assert_eq!(
        said.len(),
        1,
        "no contracts: said once, not per entry: {said:?}"
    );
    // Beside it, the entries' other mistakes; each entry's every key.
    let mut list = vec![
        entry("ACME", "Acme", "/"),
        entry("Beta", "", ""),
        entry("Gamma", "", ""),
    ];
    let said = places(&checked(&mut list, "/", &[]));
    let expected = [
        (0, "name"),
        (0, "slug"),
        (0, "base_url"),
        (1, "slug"),
        (1, "base_url"),
        (2, "slug"),
        (2, "base_url"),
    ];
    assert_eq!(
        said, expected,
        "two addresses left out are no address used twice"
    );
}

#[test]
fn each_mistake_names_its_entry_and_key() {
    let contracts = [contract(&["ACME", "Beta"])];
    let check = |mut list: Vec<CustomerConfig>| {
        let mistakes = checked(&mut list, "/", &contracts);
        match mistakes.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(()),
        }
    };
    let e = check(vec![entry("ACMe", "acme", "/acme/")]).unwrap_err();
    assert_eq!((e.0, e.1), (0, "name"));
    assert!(e.2.contains("did you mean `ACME`"), "{}", e.2);
    let e = check(vec![entry("ACME", "a", "/a/"), entry("Beta", "a", "/b/")]).unwrap_err();
    assert_eq!((e.0, e.1), (1, "slug"));
    let e = check(vec![entry("ACME", "a", "/")]).unwrap_err();
    assert_eq!((e.0, e.1), (0, "base_url"));
    let e = check(vec![entry("ACME", "a", "/x"), entry("Beta", "b", "/x/")]).unwrap_err();
    assert_eq!((e.0, e.1), (1, "base_url"));
    let e = check(vec![
        entry("ACME", "a", "https://r.example.jp/x/"),
        entry("Beta", "b", "HTTPS://R.Example.JP/x"),
    ])
    .unwrap_err();
    assert_eq!((e.0, e.1), (1, "base_url"), "the host's case");
    for other in [
        "https://r.example.jp:443/x/",
        "http://r.example.jp./x",
        "https://u@r.example.jp/x/index.html",
        "https://r.example.jp/x/index.html/",
        "https://ｒ.example.jp/x/",
        "https://R.%65xample.jp/x/",
    ] {
        assert!(same_address("https://r.example.jp/x/", other), "{other}");
    }
    assert!(!same_address(
        "https://r.example.jp/x/",
        "https://r.example.jp/xy/"
    ));
    assert_eq!(
        path_on("HTTP://ops.example.jp/internal/", "https://ops.example.jp/").as_deref(),
        Some("/internal/")
    );
    assert_eq!(
        path_on("https://ops.example.jp", "https://ops.example.jp/").as_deref(),
        Some("/")
    );
    assert_eq!(
        path_on("https://status.example.jp/", "https://ops.example.jp/"),
        None
    );
    assert!(check(vec![entry(" ACME ", "a", "/a")]).is_ok());
    let mut none = vec![entry("ACME", "a", "/a/")];
    assert_eq!(checked(&mut none, "/", &[])[0].1, "name");
}
