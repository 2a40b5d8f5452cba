//! Bilingual sites (`languages:`): each language under its own addresses with its own words,
//! navigation, feeds, search index and reports; translations linked by path or translationKey;
//! what is missing in a language neither invented nor broken; mistakes located.

use crate::support::*;

fn bilingual() -> opsite::site::BuildResult {
    let site = TestSite::fixture("bilingual-site");
    let r = site.build();
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.severity != opsite::error::Severity::Error),
        "{:?}",
        messages(&r)
    );
    r
}

/// The `href` of the switcher's entry for `name` in a page.
fn switcher_link(html: &str, name: &str) -> String {
    let nav = &html[html
        .find("class=\"language-switcher\"")
        .expect("a switcher")..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let entry = nav
        .split("<li>")
        .find(|li| li.contains(&format!(">{name}<")))
        .unwrap_or_else(|| panic!("no {name} in {nav}"));
    let at = entry
        .find("href=\"")
        .unwrap_or_else(|| panic!("{name} is not a link: {entry}"))
        + 6;
    entry[at..at + entry[at..].find('"').unwrap()].to_string()
}

/// The hreflang links of a page: (language, href).
fn alternates(html: &str) -> Vec<(String, String)> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let lang = &rest[..rest.find('"').unwrap()];
            let href = &rest[rest.find("href=\"").unwrap() + 6..];
            (
                lang.to_string(),
                href[..href.find('"').unwrap()].to_string(),
            )
        })
        .collect()
}

#[test]
fn each_language_has_its_own_addresses_words_and_html_lang() {
    let r = bilingual();
    let ja = file(&r, "sop/daily-checks/index.html");
    let en = file(&r, "en/sop/daily-checks/index.html");
    assert!(
        ja.contains("<html lang=\"ja\"") && ja.contains("<title>日次点検"),
        "{ja}"
    );
    assert!(
        en.contains("<html lang=\"en\"") && en.contains("<title>Daily checks"),
        "{en}"
    );
    // The theme's words and the menus are the language's.
    assert!(ja.contains(">手順書<") && !ja.contains(">Procedures<"));
    assert!(
        en.contains(">Procedures<") && en.contains("aria-label=\"Language\""),
        "{en}"
    );
    assert!(
        en.contains("href=\"/en/sop/\""),
        "the English menu leads to English pages: {en}"
    );
    // Taxonomies per language.
    assert!(has_file(&r, "tags/点検/index.html") && has_file(&r, "en/tags/checks/index.html"));
    assert!(!has_file(&r, "en/tags/点検/index.html") && !has_file(&r, "tags/checks/index.html"));
    // One set of theme files and one robots.txt; a 404 page per language, leading to its home.
    assert!(!r
        .files
        .iter()
        .any(|f| f.path.starts_with("en/css/") || f.path == "en/robots.txt"));
    let not_found = file(&r, "en/404.html");
    assert!(
        not_found.contains("<html lang=\"en\"") && not_found.contains("href=\"/en/\">"),
        "{not_found}"
    );
    assert!(file(&r, "404.html").contains("<html lang=\"ja\""));
}

#[test]
fn translations_are_linked_both_ways_by_path_or_translation_key() {
    let r = bilingual();
    let ja = file(&r, "sop/restart/index.html");
    let en = file(&r, "en/sop/restarting-servers/index.html");
    assert_eq!(switcher_link(ja, "English"), "/en/sop/restarting-servers/");
    assert_eq!(switcher_link(en, "日本語"), "/sop/restart/");
    let expected = vec![
        (
            "ja".to_string(),
            "https://ops.example.jp/sop/restart/".to_string(),
        ),
        (
            "en".into(),
            "https://ops.example.jp/en/sop/restarting-servers/".into(),
        ),
        (
            "x-default".into(),
            "https://ops.example.jp/sop/restart/".into(),
        ),
    ];
    assert_eq!(alternates(ja), expected);
    assert_eq!(alternates(en), expected);
    // By the same path.
    let ja = file(&r, "sop/daily-checks/index.html");
    assert_eq!(switcher_link(ja, "English"), "/en/sop/daily-checks/");
    // Generated pages too: taxonomy lists, reports.
    assert_eq!(
        switcher_link(file(&r, "tags/index.html"), "English"),
        "/en/tags/"
    );
    let report = file(&r, "en/reports/weekly/2026-W47/index.html");
    assert_eq!(switcher_link(report, "日本語"), "/reports/weekly/2026-W47/");
}

#[test]
fn a_page_missing_in_a_language_is_not_invented_and_its_switcher_goes_home() {
    let r = bilingual();
    assert!(!r.files.iter().any(|f| f.path.starts_with("en/faq/")));
    let vpn = file(&r, "faq/vpn/index.html");
    assert_eq!(switcher_link(vpn, "English"), "/en/");
    assert!(
        vpn.contains("title=\"この言語にはこのページがありません"),
        "{vpn}"
    );
    assert!(
        alternates(vpn).is_empty(),
        "a page in one language names no alternates"
    );
    let sitemap = file(&r, "sitemap.xml");
    let line = sitemap
        .lines()
        .find(|l| l.contains("<loc>https://ops.example.jp/faq/vpn/</loc>"))
        .expect("listed");
    assert!(!line.contains("xhtml:link"), "{line}");
}

#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let r = bilingual();
    let sitemap = file(&r, "sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    for loc in [
        "https://ops.example.jp/sop/restart/",
        "https://ops.example.jp/en/sop/restarting-servers/",
    ] {
        let line = sitemap
            .lines()
            .find(|l| l.contains(&format!("<loc>{loc}</loc>")))
            .unwrap_or_else(|| panic!("{loc} missing: {sitemap}"));
        assert!(
            line.contains(
                "hreflang=\"en\" href=\"https://ops.example.jp/en/sop/restarting-servers/\""
            ) && line.contains("hreflang=\"ja\" href=\"https://ops.example.jp/sop/restart/\"")
                && line.contains(
                    "hreflang=\"x-default\" href=\"https://ops.example.jp/sop/restart/\""
                ),
            "{line}"
        );
    }
    assert!(!has_file(&r, "en/sitemap.xml"), "one sitemap for the site");
}

#[test]
fn params_missing_in_a_language_fall_back_to_the_default_language() {
    let r = bilingual();
    // `support_phone` is only in Japanese's params; `team` is in each.
    assert!(file(&r, "en/index.html").contains("Help desk: 0120-000-000"));
    assert!(file(&r, "en/sop/daily-checks/index.html").contains("Owner: Operations team"));
    assert!(file(&r, "sop/daily-checks/index.html").contains("担当: 運用チーム"));
}

#[test]
fn reports_are_built_per_language_with_their_commentary_and_the_same_figures() {
    let r = bilingual();
    let ja = file(&r, "reports/weekly/2026-W47/index.html");
    let en = file(&r, "en/reports/weekly/2026-W47/index.html");
    assert!(ja.contains("今週は大きな障害はありませんでした") && !ja.contains("No major outage"));
    assert!(en.contains("No major outage this week") && !en.contains("今週は大きな障害"));
    assert!(
        en.contains("<html lang=\"en\"") && en.contains(">SLA attainment<"),
        "{en}"
    );
    // The same figures: the tickets' table lists the same tickets in both.
    for id in ["INC-1", "INC-2"] {
        assert_eq!(ja.matches(id).count(), en.matches(id).count(), "{id}");
    }
    // The hostile ticket title stays text in both.
    assert!(!en.contains("<script>alert(1)") && !ja.contains("<script>alert(1)"));
    // Links between report pages stay in the language.
    assert!(en.contains("href=\"/en/reports/weekly/2026-W46/\""), "{en}");
    assert!(!en.contains("href=\"/reports/weekly/2026-W46/\""));
}

#[test]
fn feeds_and_search_indexes_are_per_language() {
    let r = bilingual();
    let ja = file(&r, "sop/atom.xml");
    let en = file(&r, "en/sop/atom.xml");
    assert!(ja.contains("xml:lang=\"ja\"") && ja.contains("<title>再起動手順</title>"));
    assert!(
        en.contains("xml:lang=\"en\"")
            && en.contains("https://ops.example.jp/en/sop/restarting-servers/")
    );
    assert!(!en.contains("再起動"));
    // Pagefind's language per index: Japanese segmentation at /pagefind/, English (with its
    // stemmer) at /en/pagefind/.
    let index = |prefix: &str| -> Vec<String> {
        r.files
            .iter()
            .filter_map(|f| f.path.strip_prefix(&format!("{prefix}pagefind/")))
            .filter(|p| !p.contains('/'))
            .map(str::to_string)
            .collect()
    };
    let (ja, en) = (index(""), index("en/"));
    assert!(ja.iter().any(|p| p.starts_with("pagefind.ja_")), "{ja:?}");
    assert!(!ja.iter().any(|p| p.starts_with("pagefind.en_")), "{ja:?}");
    assert!(en.iter().any(|p| p.starts_with("pagefind.en_")), "{en:?}");
    assert!(en.iter().any(|p| p == "wasm.en.pagefind"), "{en:?}");
}

#[test]
fn the_file_name_form_puts_page_en_md_beside_page_md() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: 運用\nrelative_urls: true\nlanguages:\n  ja: {weight: 1}\n  en: {weight: 2, title: Ops}\n",
        ),
        ("content/_index.md", "---\ntitle: ホーム\n---\n"),
        ("content/_index.en.md", "---\ntitle: Home\n---\n"),
        ("content/sop/_index.en.md", "---\ntitle: Procedures\n---\n"),
        ("content/sop/daily.md", "---\ntitle: 日次\n---\n本文 [再起動](restart.md)\n"),
        ("content/sop/daily.en.md", "---\ntitle: Daily\n---\nBody\n"),
        ("content/sop/restart.md", "---\ntitle: 再起動\n---\n"),
        ("content/sop/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
    ]);
    let r = site.build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    assert!(file(&r, "en/sop/daily/index.html").contains("<title>Daily"));
    assert!(file(&r, "sop/daily/index.html").contains("<title>日次"));
    assert!(
        !has_file(&r, "en/sop/restart/index.html"),
        "not invented in English"
    );
    assert!(has_file(&r, "sop/flow.svg") && has_file(&r, "en/sop/flow.svg"));
    // Two files for one Japanese page: an error naming both, at the second.
    site.write("content/sop/daily.ja.md", "---\ntitle: 二重\n---\n");
    let m = messages(&site.build());
    assert!(
        m.iter().any(|m| m.starts_with(
            "content/sop/daily.md: error: is the same page of `ja` as content/sop/daily.ja.md"
        )),
        "{m:?}"
    );
    // A problem in an English file is told at that file's own name.
    site.write("content/sop/daily.ja.md", "");
    std::fs::remove_file(site.root().join("content/sop/daily.ja.md")).unwrap();
    site.write("content/sop/daily.en.md", "---\ntitle: [unclosed\n---\n");
    let m = messages(&site.build());
    assert!(
        m.iter().any(|m| m.starts_with("content/sop/daily.en.md:3")),
        "{m:?}"
    );
}

#[test]
fn configuration_mistakes_are_errors_at_their_line() {
    let run = |yaml: &str| {
        let site = TestSite::new(&[("site.yaml", yaml), ("content/_index.md", "x")]);
        stderr(&site.run(&["build"]))
    };
    let err = run("title: x\nlanguage: en\nlanguages:\n  ja: {weight: 1}\n  en: {weight: 2}\n");
    assert!(
        err.starts_with("site.yaml:2:1: error: language: `en` is not the default language of `languages:` (`ja`"),
        "{err}"
    );
    let err = run("languages:\n  ja: {weight: 1}\n  en:\n    weight: 2\n    content: docs/en\n");
    assert!(
        err.starts_with("site.yaml:3:3: error: languages.en: content: `docs/en` is not a folder inside content/"),
        "{err}"
    );
    let err = run("languages:\n  ja: {weight: 1, path: /ja/}\n  en: {weight: 2}\n");
    assert!(
        err.contains("languages.ja: path: the default language"),
        "{err}"
    );
    let err = run("languages:\n  ja: {weight: 1}\n  en: {weight: 2, titel: Ops}\n");
    assert!(
        err.contains("unknown key languages.en.titel") && err.contains("title"),
        "{err}"
    );
    // The same language written twice in another case.
    let err = run("languages:\n  ja: {weight: 1}\n  JA: {weight: 2}\n");
    assert!(err.contains("is listed twice"), "{err}");
}

#[test]
fn versions_are_built_per_language() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: 運用\nlanguages:\n  ja: {weight: 1}\n  en: {weight: 2}\nversions:\n  - {name: v2}\n  - {name: v1, path: old}\n",
        ),
        ("content/sop/a.md", "---\ntitle: A 新\n---\n"),
        ("content/sop/a.en.md", "---\ntitle: A new\n---\n"),
        ("old/sop/a.md", "---\ntitle: A 旧\n---\n"),
        ("old/sop/a.en.md", "---\ntitle: A old\n---\n"),
    ]);
    let r = site.build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let old_en = file(&r, "en/v/v1/sop/a/index.html");
    assert!(old_en.contains("<title>A old") && old_en.contains("<html lang=\"en\""));
    // Its version switcher stays in English, its language switcher in v1.
    assert!(old_en.contains("href=\"/en/sop/a/\""), "{old_en}");
    assert_eq!(switcher_link(old_en, "日本語"), "/v/v1/sop/a/");
    assert!(file(&r, "v/v1/sop/a/index.html").contains("<title>A 旧"));
}

#[test]
fn a_customer_edition_has_each_language_and_nothing_of_another_customer() {
    let site = TestSite::fixture("bilingual-site");
    site.edit_config(|y| {
        format!("{y}contracts:\n  - {{name: 標準, customers: \"*\"}}\ncustomers:\n  - {{name: 東都メディカル, slug: toto, base_url: \"https://reports.example.jp/toto/\"}}\n  - {{name: 南海, slug: nankai, base_url: \"https://reports.example.jp/nankai/\"}}\n")
    });
    site.write(
        "content/en/sop/daily-checks.md",
        "---\ntitle: Daily checks\naudience: [toto]\n---\nFor Toto.\n",
    );
    site.write(
        "content/ja/sop/daily-checks.md",
        "---\ntitle: 日次点検\naudience: [toto]\n---\n東都向け\n",
    );
    let out = site.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(site.root().join(p)).unwrap_or_default();
    let toto_en = read("editions/toto/en/sop/daily-checks/index.html");
    assert!(
        toto_en.contains("For Toto.") && toto_en.contains("<html lang=\"en\""),
        "{toto_en}"
    );
    assert!(
        toto_en.contains("https://reports.example.jp/toto/sop/daily-checks/"),
        "hreflang on the edition's own address: {toto_en}"
    );
    assert!(read("editions/toto/sop/daily-checks/index.html").contains("東都向け"));
    assert!(!site
        .root()
        .join("editions/nankai/en/sop/daily-checks")
        .exists());
    assert!(!site
        .root()
        .join("editions/nankai/sop/daily-checks")
        .exists());
    assert!(site
        .root()
        .join("editions/nankai/en/reports/weekly/2026-W47/index.html")
        .is_file());
    let nankai: String = walkdir::WalkDir::new(site.root().join("editions/nankai"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(!nankai.contains("For Toto") && !nankai.contains("東都向け"));
    // Toto's breached ticket is in Toto's reports of both languages, never in Nankai's.
    assert!(read("editions/toto/en/reports/weekly/2026-W47/index.html").contains("INC-2"));
    assert!(read("editions/toto/reports/weekly/2026-W47/index.html").contains("INC-2"));
    assert!(
        !nankai.contains("INC-2") && !nankai.contains("東都"),
        "another customer's data"
    );
}

#[test]
fn a_mistyped_key_in_a_language_entry_stops_the_build() {
    // `wieght:` would quietly make English the default language at `/`.
    let site = TestSite::new(&[
        (
            "site.yaml",
            "languages:\n  ja: {weight: 1}\n  en: {wieght: 2}\n",
        ),
        ("content/_index.md", "x"),
    ]);
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.starts_with(
            "site.yaml:3:8: error: unknown key languages.en.wieght (did you mean weight?)"
        ) && !err.contains(": warning:")
            && err.contains("a language entry takes title, content, weight"),
        "{err}"
    );
    assert!(!site.root().join("output").exists());
}

#[test]
fn links_to_another_languages_file_lead_to_its_page() {
    let site = TestSite::fixture("bilingual-site");
    site.write(
        "content/ja/sop/daily-checks.md",
        "---\ntitle: 日次点検\n---\n[English](../../en/sop/restarting-servers.md) [root](/en/sop/daily-checks.md)\n",
    );
    let r = site.build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let ja = file(&r, "sop/daily-checks/index.html");
    assert!(ja.contains("href=\"/en/sop/restarting-servers/\""), "{ja}");
    assert!(ja.contains("href=\"/en/sop/daily-checks/\""), "{ja}");
    // The file-name form: `daily.en.md` from `daily.md`.
    let site = TestSite::new(&[
        (
            "site.yaml",
            "languages:\n  ja: {weight: 1}\n  en: {weight: 2}\n",
        ),
        (
            "content/daily.md",
            "---\ntitle: 日次\n---\n[English](daily.en.md)\n",
        ),
        (
            "content/daily.en.md",
            "---\ntitle: Daily\n---\n[日本語](daily.md)\n",
        ),
    ]);
    let r = site.build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    assert!(file(&r, "daily/index.html").contains("href=\"/en/daily/\""));
}

#[test]
fn a_shared_translation_key_and_a_misplaced_language_file_are_warnings() {
    let site = TestSite::fixture("bilingual-site");
    site.write(
        "content/en/sop/restart-old.md",
        "---\ntitle: Old restart\ntranslationKey: restart\n---\n",
    );
    site.write("content/ja/sop/vpn.en.md", "---\ntitle: VPN\n---\n");
    let m = messages(&site.build());
    assert!(
        m.iter().any(|m| m.starts_with("content/en/sop/restarting-servers.md: warning: translationKey `restart` is also content/en/sop/restart-old.md's")),
        "{m:?}"
    );
    assert!(
        m.iter().any(|m| m.starts_with("content/ja/sop/vpn.en.md: warning: names the language `en` but lies in the folder of `ja`; not built")),
        "{m:?}"
    );
}

#[test]
fn alternates_pair_the_languages_that_have_the_page_even_without_the_default() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "base_url: https://x.example/\nlanguages:\n  ja: {weight: 1}\n  en: {weight: 2}\n  zh: {weight: 3}\n",
        ),
        ("content/p.en.md", "---\ntitle: P\n---\n"),
        ("content/p.zh.md", "---\ntitle: P\n---\n"),
    ]);
    let r = site.build();
    let en = file(&r, "en/p/index.html");
    let langs: Vec<String> = alternates(en).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        langs,
        ["en", "zh"],
        "no x-default without the default language's page"
    );
    assert_eq!(switcher_link(en, "日本語"), "/");
    let sitemap = file(&r, "sitemap.xml");
    assert!(
        sitemap.contains("hreflang=\"zh\" href=\"https://x.example/zh/p/\""),
        "{sitemap}"
    );
}
