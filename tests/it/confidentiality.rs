//! Nothing of another customer, and no file from outside, by any route: documents written for
//! people inside the site (a folder of mails or PDFs, a workbook) cannot be published through a
//! link; configuration read through a link out of the tree is refused and never printed; the
//! internal mail never goes to a customer's address; `kpi --customer` shows what the edition
//! shows; the internal address is found however it is written.

use std::os::unix::fs::symlink;

use crate::support::{stderr, stdout, TestSite};

const AS_OF: &str = "2026-11-22T09:00";

const MAIL: &str = "email:\n  from: ops@example.jp\n  to: [ops-team@example.jp]\n  subject: \"週次 {{ period }}\"\n  customers:\n    北斗会: {to: [it@hokuto.example]}\n    南海商事: {to: [ops@nankai.example]}\n";

fn editions_with_mail() -> TestSite {
    let site = TestSite::fixture("editions-site");
    site.edit_config(|y| format!("{y}{MAIL}"));
    site
}

/// A page bundle marked for hokuto holding `name`, a link to `target` (relative to the site).
fn hokuto_bundle_linking(site: &TestSite, name: &str, target: &str) {
    site.write(
        "content/help/hokuto-files/index.md",
        "---\ntitle: 北斗会様の資料\naudience: [hokuto]\n---\n資料です。\n",
    );
    symlink(
        format!("../../../{target}"),
        site.root().join("content/help/hokuto-files").join(name),
    )
    .unwrap();
}

/// `build` and `check` both refuse the link, naming it, and hokuto's edition holds nothing of it.
fn refused_everywhere(site: &TestSite, name: &str) {
    for cmd in ["build", "check"] {
        let o = site.run(&[cmd, "--as-of", AS_OF]);
        let e = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!o.status.success(), "{cmd} must refuse the link: {e}");
        assert!(
            e.contains(&format!("content/help/hokuto-files/{name}"))
                && e.contains("never published"),
            "{cmd}: {e}"
        );
    }
    assert!(!site
        .root()
        .join("editions/hokuto/help/hokuto-files")
        .join(name)
        .exists());
}

#[test]
fn another_customers_mail_written_inside_the_site_cannot_be_linked_into_an_edition() {
    let site = editions_with_mail();
    // `--output` is relative to the current folder: run from the site.
    let o = site.run_in(
        ".",
        &[
            "email",
            "weekly",
            "--period",
            "2026-W47",
            "--as-of",
            AS_OF,
            "--all-customers",
            "--output",
            "exports",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        site.root().join("exports/.opsite-private").is_file(),
        "the folder is marked"
    );
    let nankai = std::fs::read_dir(site.root().join("exports"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().contains("南海"))
        .expect("nankai's mail folder")
        .file_name();
    let target = format!("exports/{}/2026-W47.html", nankai.to_string_lossy());
    hokuto_bundle_linking(&site, "r.html", &target);
    refused_everywhere(&site, "r.html");
}

#[test]
fn a_workbook_written_inside_the_site_cannot_be_linked_and_kpi_output_keeps_out_of_published_folders(
) {
    let site = editions_with_mail();
    let o = site.run_in(
        ".",
        &[
            "kpi", "--period", "2026-11", "--as-of", AS_OF, "--format", "xlsx", "--output",
            "all.xlsx",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = std::fs::read_to_string(site.root().join(".opsite/private-files")).unwrap();
    assert_eq!(listed.trim(), "all.xlsx");
    hokuto_bundle_linking(&site, "k.xlsx", "all.xlsx");
    refused_everywhere(&site, "k.xlsx");
    // Written into a published or read folder, it is refused before anything is computed.
    for place in [
        "static/all.xlsx",
        "content/help/all.xlsx",
        "output/all.xlsx",
    ] {
        let o = site.run_in(
            ".",
            &[
                "kpi", "--period", "2026-11", "--as-of", AS_OF, "--format", "xlsx", "--output",
                place,
            ],
        );
        assert!(!o.status.success(), "{place}");
        assert!(
            stderr(&o).contains("inside the site's"),
            "{place}: {}",
            stderr(&o)
        );
        assert!(!site.root().join(place).exists(), "{place}");
    }
}

#[test]
fn another_customers_pdf_written_inside_the_site_cannot_be_linked_into_an_edition() {
    if !crate::pdf::tools() {
        return;
    }
    let site = editions_with_mail();
    let o = site.run_in(
        ".",
        &[
            "pdf",
            "monthly",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--all-customers",
            "--output",
            "exports",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.root().join("exports/.opsite-private").is_file());
    let pdf = walkdir::WalkDir::new(site.root().join("exports/nankai"))
        .into_iter()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .expect("nankai's PDF");
    let rel = pdf
        .path()
        .strip_prefix(site.root())
        .unwrap()
        .to_string_lossy()
        .to_string();
    hokuto_bundle_linking(&site, "r.pdf", &rel);
    refused_everywhere(&site, "r.pdf");
}

/// A Hugo tree whose configuration file of `kind` is a link to a secret outside the tree.
fn hugo_tree_with_linked(config: &str) -> (TestSite, tempfile::TempDir) {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS10b2tlbiJ9.c2lnbmF0dXJlLXNlY3JldA\n",
    )
    .unwrap();
    let site = TestSite::foreign_fixture_from(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n{{< param \"token\" >}}\n",
        ),
        ("layouts/.keep", ""),
    ]);
    let at = site.root().join(config);
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    symlink(outside.path().join("secret.yaml"), &at).unwrap();
    (site, outside)
}

#[test]
fn configuration_read_through_a_link_out_of_the_tree_is_refused_and_never_printed() {
    for config in [
        "hugo.yaml",
        "config.yaml",
        "config/_default/params.yaml",
        "config/production/params.yaml",
    ] {
        let (site, _outside) = hugo_tree_with_linked(config);
        if config.starts_with("config/") {
            site.write("hugo.toml", "title = \"t\"\n");
        }
        let o = site.run(&["build"]);
        let e = stderr(&o);
        assert!(!o.status.success(), "{config}: {e}");
        assert!(
            e.contains(config) && e.contains("outside the site folder"),
            "{config}: {e}"
        );
        assert!(
            !e.contains("c2lnbmF0dXJl") && !e.contains("eyJzdWIi"),
            "{config}: printed the secret: {e}"
        );
        assert!(!site.root().join("output").exists(), "{config}");
    }
    // MkDocs and opsite's own file alike.
    for (config, extra) in [
        ("mkdocs.yml", "docs/index.md"),
        ("site.yaml", "content/_index.md"),
    ] {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("s.yml"), "site_name: x\n").unwrap();
        let site = TestSite::foreign_fixture_from(&[(extra, "# t\n")]);
        symlink(outside.path().join("s.yml"), site.root().join(config)).unwrap();
        let o = site.run(&["build"]);
        let e = stderr(&o);
        assert!(
            !o.status.success() && e.contains("outside the site folder"),
            "{config}: {e}"
        );
    }
}

#[test]
fn a_configuration_file_that_holds_no_settings_is_named_by_its_kind_not_printed() {
    let secret = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS10b2tlbiJ9.c2lnbmF0dXJl";
    for (file, extra) in [
        ("site.yaml", "content/_index.md"),
        ("hugo.yaml", "content/_index.md"),
        ("mkdocs.yml", "docs/index.md"),
    ] {
        let site = TestSite::foreign_fixture_from(&[(file, secret), (extra, "# t\n")]);
        let o = site.run(&["build"]);
        let e = stderr(&o);
        assert!(!o.status.success(), "{file}: {e}");
        assert!(e.contains("not settings"), "{file}: {e}");
        assert!(
            e.contains(&secret[..40]) && !e.contains(&secret[..41]),
            "{file}: at most 40 characters: {e}"
        );
    }
}

#[test]
fn the_internal_mail_never_goes_to_a_customers_address_and_needs_customer_guarded() {
    let site = editions_with_mail();
    site.edit_config(|y| {
        y.replace(
            "to: [ops-team@example.jp]",
            "to: [\"IT <IT@Hokuto.example>\"]",
        )
    });
    let o = site.weekly_mail(&["--dry-run"]);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    assert!(
        e.contains("email.to")
            && e.contains("email.customers.北斗会")
            && e.contains("internal team"),
        "{e}"
    );
    assert!(e.contains("none sent"), "{e}");
    // A subject naming the customer, unguarded, in the internal mail.
    let site = editions_with_mail();
    site.edit_config(|y| {
        y.replace(
            "subject: \"週次 {{ period }}\"",
            "subject: \"{{ customer }} 様 {{ period }}\"",
        )
    });
    let o = site.weekly_mail(&["--dry-run"]);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    assert!(e.contains("{% if customer %}"), "{e}");
    // Guarded, the internal subject has no stray 様 and the customer's has its name.
    site.edit_config(|y| {
        y.replace(
            "subject: \"{{ customer }} 様 {{ period }}\"",
            "subject: \"{% if customer %}{{ customer }} 様 {% endif %}週次 {{ period }}\"",
        )
    });
    let o = site.weekly_mail(&["--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("subject: 週次 2026-W47"),
        "{}",
        stdout(&o)
    );
    let o = site.weekly_mail(&["--dry-run", "--all-customers"]);
    assert!(
        stdout(&o).contains("subject: 北斗会 様 週次 2026-W47"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn kpi_for_a_customer_shows_exactly_what_its_edition_shows() {
    let site = editions_with_mail();
    // hokuto sees portal only; vpn is down in the fixture's data too.
    let json = |customer: &str| {
        let o = site.run(&[
            "kpi",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--customer",
            customer,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let hokuto = json("hokuto");
    let ids: Vec<&str> = hokuto["kpis"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(ids.contains(&"availability.portal"), "{ids:?}");
    assert!(
        !ids.iter().any(|i| i.contains("vpn")),
        "another service's figure: {ids:?}"
    );
    for format in ["table", "csv"] {
        let o = site.run(&[
            "kpi",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--format",
            format,
            "--customer",
            "北斗会",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!stdout(&o).contains("vpn"), "{format}: {}", stdout(&o));
    }
    // nankai lists no services: it sees every one.
    let nankai = json("nankai");
    assert!(nankai["kpis"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.contains("vpn")));
    // A customer with no edition is scoped by its mail's services.
    site.edit_config(|y| {
        y.replace("    南海商事: {to: [ops@nankai.example]}", "    南海商事: {to: [ops@nankai.example], services: [portal]}")
            .replace("  - {name: 南海商事, slug: nankai, base_url: \"https://reports.example.jp/nankai/\"}\n", "")
    });
    let nankai = json("南海商事");
    assert!(!nankai["kpis"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.contains("vpn")));
}

#[test]
fn the_internal_address_is_refused_in_an_edition_however_it_is_written() {
    for written in [
        "[社内](https://ops%2Eexample.jp/internal/)",
        "<a href=\"https://ops&#46;example.jp/internal/\">社内</a>",
        "<a href=\"https://ｏｐｓ.example.jp/internal/\">社内</a>",
        "<a href=\"HTTPS://OPS.EXAMPLE.JP.:443/internal/\">社内</a>",
        "<a href=\"https:\\\\ops.example.jp\\internal\">社内</a>",
    ] {
        let site = TestSite::fixture("editions-site");
        site.write(
            "content/help/link.md",
            &format!("---\ntitle: 連絡\naudience: customers\n---\n{written}\n"),
        );
        let o = site.run(&["build", "--as-of", AS_OF]);
        let e = stderr(&o);
        assert!(!o.status.success(), "{written}: {e}");
        assert!(e.contains("internal site's address"), "{written}: {e}");
    }
}
