//! A hostile pass on each customer's own report (issues 62 and 63): routes by which one
//! customer's tickets, commentary or home text could reach another's edition, PDF or mail.
//! Each case failed before its fix. Fixture `msp-site`.

use crate::support::{said, TestSite};

const AS_OF: &str = "2026-11-05T09:00";

fn build_refused(site: &TestSite, wants: &str) {
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(!o.status.success(), "built: {}", said(&o));
    assert!(said(&o).contains(wants), "{}", said(&o));
}

#[test]
fn customer_names_cannot_hand_one_customers_tickets_to_another() {
    for map in [
        // A customer's own name mapped to another customer.
        "{\"東都メディカル株式会社\": 北陸フーズ株式会社}",
        "{\"東都ﾒﾃﾞｨｶﾙ株式会社\": 北陸フーズ株式会社}",
        // Two spellings that are one after NFKC, to two customers.
        "{\"北陸フーズ(株)\": 北陸フーズ株式会社, \"北陸フーズ（株）\": 東都メディカル株式会社}",
        // A name that is no customer.
        "{\"㈱北陸フーズ\": 北陸フード株式会社}",
    ] {
        let site = TestSite::fixture("msp-site");
        site.edit_config(|c| {
            c.replace(
                "    files: data/tickets.csv\n",
                &format!("    files: data/tickets.csv\n    customer_names: {map}\n"),
            )
        });
        build_refused(&site, "data.tickets.customer_names");
    }
}

#[test]
fn commentary_saved_as_markdown_stays_its_customers() {
    let site = TestSite::fixture("msp-site");
    let dir = site.root().join("content/reports/monthly/2026-10");
    std::fs::rename(dir.join("toto.md"), dir.join("toto.markdown")).unwrap();
    site.write(
        "content/reports/_index.md",
        "---\ntitle: レポート\ncascade: {audience: customers}\n---\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", said(&o));
    let page = |slug: &str| {
        std::fs::read_to_string(site.root().join(format!(
            "editions/{slug}/reports/monthly/2026-10/index.html"
        )))
        .unwrap()
    };
    assert!(
        page("toto").contains("TOTOBODY"),
        "toto keeps its commentary"
    );
    for other in ["hokuriku", "nankai"] {
        let dir = site.root().join("editions").join(other);
        for f in walkdir::WalkDir::new(&dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let bytes = std::fs::read(f.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOTOBODY"),
                "{}",
                f.path().display()
            );
        }
    }
}

#[test]
fn a_home_is_one_customers_own() {
    // Another customer's home.
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| {
        c.replace(
            "home: content/homes/hokuriku.md",
            "home: content/homes/toto.md",
        )
    });
    build_refused(&site, "is also 東都メディカル株式会社's home");
    // A page marked for another customer.
    let site = TestSite::fixture("msp-site");
    site.write(
        "content/toto-notes.md",
        "---\ntitle: 東都様向け\naudience: [toto]\n---\nTOTOSECRET\n",
    );
    site.edit_config(|c| {
        c.replace(
            "home: content/homes/hokuriku.md",
            "home: content/toto-notes.md",
        )
    });
    build_refused(&site, "is marked `audience: [toto]`");
    // A link to another customer's home.
    let site = TestSite::fixture("msp-site");
    let homes = site.root().join("content/homes");
    std::fs::remove_file(homes.join("hokuriku.md")).unwrap();
    std::os::unix::fs::symlink("toto.md", homes.join("hokuriku.md")).unwrap();
    build_refused(&site, "is a symbolic link");
}

#[test]
fn commentary_through_a_link_is_refused_by_build_pdf_and_mail() {
    let site = TestSite::fixture("msp-site");
    let dir = site.root().join("content/reports/monthly/2026-10");
    std::fs::remove_file(dir.join("hokuriku.md")).unwrap();
    std::os::unix::fs::symlink("toto.md", dir.join("hokuriku.md")).unwrap();
    build_refused(&site, "commentary may not be a symbolic link");
    let o = site.run(&[
        "email",
        "monthly",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--customer",
        "北陸フーズ株式会社",
    ]);
    assert!(!o.status.success(), "{}", said(&o));
    assert!(!site.root().join("mail").exists() || !said(&o).contains("wrote"));
}

#[test]
fn no_document_goes_into_another_customers_folder() {
    let site = TestSite::fixture("msp-site");
    for args in [
        vec![
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--customer",
            "hokuriku",
            "--output",
            "pdf/toto",
        ],
        vec![
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--output",
            "pdf/toto/x.pdf",
        ],
        vec![
            "pdf", "monthly", "--period", "2026-10", "--output", "pdf/toto",
        ],
        vec![
            "email",
            "monthly",
            "--period",
            "2026-10",
            "--customer",
            "北陸フーズ株式会社",
            "--output",
            "mail/東都メディカル株式会社",
        ],
        vec![
            "email",
            "monthly",
            "--period",
            "2026-10",
            "--output",
            "mail/東都メディカル株式会社",
        ],
        vec![
            "build",
            "--customer",
            "hokuriku",
            "--output",
            "editions/toto",
        ],
        // One command's output in the other's folders of another customer.
        vec![
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--customer",
            "hokuriku",
            "--output",
            "mail/東都メディカル株式会社",
        ],
        vec![
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--output",
            "mail/東都メディカル株式会社",
        ],
        vec![
            "email",
            "monthly",
            "--period",
            "2026-10",
            "--customer",
            "北陸フーズ株式会社",
            "--output",
            "pdf/toto",
        ],
        vec![
            "email",
            "monthly",
            "--period",
            "2026-10",
            "--output",
            "pdf/toto/x",
        ],
    ] {
        let mut args = args.clone();
        args.extend(["--as-of", AS_OF]);
        let o = site.run_in(".", &args);
        assert!(!o.status.success(), "{args:?}: {}", said(&o));
        assert!(
            said(&o).contains("that is 東都メディカル株式会社's folder"),
            "{args:?}: {}",
            said(&o)
        );
    }
    assert!(
        !site.root().join("pdf/toto").exists()
            || std::fs::read_dir(site.root().join("pdf/toto"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn a_template_linked_into_the_content_folder_is_refused() {
    let site = TestSite::fixture("msp-site");
    std::fs::create_dir_all(site.root().join("templates/shortcodes")).unwrap();
    std::os::unix::fs::symlink(
        "../../content/reports/monthly/2026-10/toto.md",
        site.root().join("templates/shortcodes/tt.html"),
    )
    .unwrap();
    site.write(
        "content/reports/monthly/2026-10/hokuriku.md",
        "---\ntitle: 北陸\n---\nHOKURIKUBODY {{< tt >}}\n",
    );
    build_refused(
        &site,
        "a template may not be a link into the content folder",
    );
}

#[test]
fn an_outage_of_a_service_spelt_nearly_as_a_listed_one_is_warned_about() {
    let site = TestSite::fixture("msp-site");
    let downtime = std::fs::read_to_string(site.root().join("data/downtime.csv")).unwrap();
    site.write(
        "data/downtime.csv",
        &format!("{downtime}Web,2026-10-20 10:00,2026-10-20 11:00,false\nｐｏｓ,2026-10-21 10:00,2026-10-21 10:30,false\n"),
    );
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = said(&o);
    assert!(
        said.contains("the service `Web`") && said.contains("looks like `web`"),
        "{said}"
    );
    assert!(
        said.contains("the service `ｐｏｓ`") && said.contains("looks like `pos`"),
        "{said}"
    );
}

#[test]
fn a_relative_link_above_an_editions_root_is_refused() {
    // From https://reports.example.jp/toto/help/a/, `../../../nankai/` is 南海's edition: opsite
    // resolved it at the edition's root, where it reads `/nankai/` and was a broken link only.
    let site = TestSite::fixture("msp-site");
    site.write(
        "content/help/a.md",
        "---\ntitle: 東都様\naudience: [toto]\n---\n[南海](../../../nankai/reports/)\n",
    );
    build_refused(
        &site,
        "content/help/a.md:5: error: edition `toto`: link `../../../nankai/reports/` climbs above the site's root from /help/a/",
    );
    // On the internal site, as a broken link: a warning.
    site.write(
        "content/help/a.md",
        "---\ntitle: 社内\n---\n[外](../../../other/)\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(
        said(&o).contains("warning: link `../../../other/` climbs above the site's root"),
        "{}",
        said(&o)
    );
}
