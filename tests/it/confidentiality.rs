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
    // Marked where it lies, so a cleared cache or a fresh checkout keeps it private.
    assert!(site.root().join(".all.xlsx.opsite-private").is_file());
    std::fs::remove_dir_all(site.root().join(".opsite")).ok();
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

/// From a second hostile pass: routes next to the guarded ones.
mod second_pass {
    use super::*;

    #[test]
    fn a_file_marked_while_the_preview_runs_is_refused_at_once() {
        let site = editions_with_mail();
        site.write("k2.xlsx", "harmless");
        let reader = opsite::walk::SiteReader::new(site.root(), 100);
        assert!(reader.read(&site.root().join("k2.xlsx")).is_ok());
        let o = site.run_in(
            ".",
            &[
                "kpi", "--period", "2026-11", "--as-of", AS_OF, "--format", "xlsx", "--output",
                "k2.xlsx",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        // The same reader (a preview started before) now refuses it.
        let e = reader.read(&site.root().join("k2.xlsx")).unwrap_err();
        assert!(e.contains("never published"), "{e}");
    }

    #[test]
    fn configuration_may_not_lead_into_the_sites_private_places() {
        let site = TestSite::foreign_fixture_from(&[
            (
                "content/_index.md",
                "---\ntitle: Home\n---\n{{< param \"api_key\" >}}\n",
            ),
            ("hugo.toml", "title = \"x\"\n"),
            (
                "data/secret.toml",
                "[params]\napi_key = \"SECRETKEY_IN_DATA\"\n",
            ),
            ("layouts/.keep", ""),
        ]);
        std::fs::create_dir_all(site.root().join("config/_default")).unwrap();
        symlink(
            "../../data/secret.toml",
            site.root().join("config/_default/hugo.toml"),
        )
        .unwrap();
        let o = site.run(&["build"]);
        let e = stderr(&o);
        assert!(!o.status.success(), "{e}");
        assert!(
            e.contains("data/secret.toml") && e.contains("private place"),
            "{e}"
        );
        assert!(!site.root().join("output/index.html").exists());
        // A link between the tree's own configuration files is fine.
        std::fs::remove_file(site.root().join("config/_default/hugo.toml")).unwrap();
        site.write("config/_default/params.toml", "api_key = \"public\"\n");
        symlink(
            "../../config/_default/params.toml",
            site.root().join("config/_default/p2.toml"),
        )
        .ok();
        assert!(site.run(&["build"]).status.success());
    }

    #[test]
    fn the_sites_configuration_is_never_published_through_a_link() {
        let site = TestSite::foreign_fixture_from(&[
            ("content/_index.md", "# x\n"),
            (
                "hugo.toml",
                "title = \"x\"\n[params]\napi_token = \"SECRET-HUGO-TOKEN\"\n",
            ),
            ("static/.keep", ""),
        ]);
        symlink("../hugo.toml", site.root().join("static/h.toml")).unwrap();
        let o = site.run(&["build"]);
        assert!(!o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("static/h.toml"), "{}", stderr(&o));
    }

    #[test]
    fn the_pdf_logo_is_read_by_the_sites_rules() {
        if !crate::pdf::tools() {
            return;
        }
        let site = editions_with_mail();
        let o = site.weekly_mail(&["--customer", "nankai"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let chart = walkdir::WalkDir::new(site.root().join("mail"))
            .into_iter()
            .flatten()
            .find(|e| e.path().extension().is_some_and(|x| x == "png"))
            .unwrap();
        std::fs::create_dir_all(site.root().join("static/img")).unwrap();
        symlink(chart.path(), site.root().join("static/img/logo.png")).unwrap();
        site.edit_config(|y| format!("{y}pdf:\n  logo: static/img/logo.png\n"));
        let o = site.run(&[
            "pdf",
            "monthly",
            "--customer",
            "hokuto",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
        ]);
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("pdf.logo") && stderr(&o).contains("never published"),
            "{}",
            stderr(&o)
        );
    }

    #[test]
    fn a_mailbox_is_compared_as_mail_delivers_it() {
        for written in [
            "\\\"nankai\\\"@nankai.example",
            "nankai@ nankai.example",
            "NANKAI@ｎａｎｋａｉ.example",
        ] {
            let site = editions_with_mail();
            site.edit_config(|y| {
                y.replace(
                    "南海商事: {to: [ops@nankai.example]}",
                    "南海商事: {to: [nankai@nankai.example]}",
                )
                .replace("to: [ops-team@example.jp]", &format!("to: [\"{written}\"]"))
            });
            let o = site.weekly_mail(&["--dry-run"]);
            assert!(!o.status.success(), "{written}: {}", stdout(&o));
            assert!(
                stderr(&o).contains("email.customers.南海商事"),
                "{written}: {}",
                stderr(&o)
            );
        }
        // One customer's mail to another customer's recipient.
        let site = editions_with_mail();
        site.edit_config(|y| {
            y.replace(
                "北斗会: {to: [it@hokuto.example]}",
                "北斗会: {to: [it@hokuto.example, \"OPS@nankai.example\"]}",
            )
        });
        let o = site.weekly_mail(&["--dry-run", "--all-customers"]);
        assert!(!o.status.success());
        let e = stderr(&o);
        assert!(
            e.contains("email.customers.北斗会") && e.contains("email.customers.南海商事"),
            "{e}"
        );
    }

    #[test]
    fn explaining_a_ticket_for_a_customer_finds_only_its_own() {
        let site = editions_with_mail();
        let o = site.run(&[
            "kpi",
            "--explain",
            "NKI-201",
            "--customer",
            "hokuto",
            "--as-of",
            AS_OF,
        ]);
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("no ticket has that id"),
            "{}",
            stderr(&o)
        );
        let o = site.run(&[
            "kpi",
            "--explain",
            "HKT-101",
            "--customer",
            "hokuto",
            "--as-of",
            AS_OF,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }

    #[test]
    fn the_internal_address_split_by_white_space_or_css_escapes_is_still_refused() {
        for written in [
            "<a href=\"https://ops.exa\nmple.jp/internal/\">社内</a>",
            "<a href=\"https://ops.exa&#10;mple.jp/internal/\">社内</a>",
            "<div style=\"background:url(https://\\6f ps.example.jp/x.png)\">x</div>",
        ] {
            let site = TestSite::fixture("editions-site");
            site.write(
                "content/help/link.md",
                &format!("---\ntitle: 連絡\naudience: customers\n---\n{written}\n"),
            );
            let o = site.run(&["build", "--as-of", AS_OF]);
            assert!(!o.status.success(), "{written}: {}", stderr(&o));
        }
        // Files copied as they are: a stylesheet, an SVG.
        for (path, text) in [
            ("static/css/x.css", "body{background:url(https://ops.example.jp/bg.png)}"),
            ("static/img/x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"https://ops.example.jp/\"/></svg>"),
        ] {
            let site = TestSite::fixture("editions-site");
            site.write(path, text);
            let o = site.run(&["build", "--as-of", AS_OF]);
            assert!(!o.status.success(), "{path}");
            assert!(stderr(&o).contains("internal site's address"), "{path}: {}", stderr(&o));
        }
    }

    #[test]
    fn documents_are_not_written_into_the_configured_content_folder_nor_over_site_yaml() {
        let site = editions_with_mail();
        std::fs::rename(site.root().join("content"), site.root().join("docs")).unwrap();
        site.edit_config(|y| format!("content_dir: docs\n{y}"));
        for args in [
            vec![
                "kpi",
                "--period",
                "2026-11",
                "--as-of",
                AS_OF,
                "--format",
                "xlsx",
                "--output",
                "docs/help/k.xlsx",
            ],
            vec![
                "email",
                "weekly",
                "--period",
                "2026-W47",
                "--as-of",
                AS_OF,
                "--customer",
                "nankai",
                "--output",
                "docs/mail",
            ],
            vec![
                "kpi",
                "--period",
                "2026-11",
                "--as-of",
                AS_OF,
                "--format",
                "csv",
                "--output",
                "site.yaml",
            ],
        ] {
            let before = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
            let o = site.run_in(".", &args);
            assert!(!o.status.success(), "{args:?}");
            assert_eq!(
                std::fs::read_to_string(site.root().join("site.yaml")).unwrap(),
                before
            );
            assert!(
                !site.root().join("docs/help/k.xlsx").exists()
                    && !site.root().join("docs/mail").exists()
            );
        }
    }
}
