//! Customer editions: one self-contained site per customer under `editions/<slug>/`, holding
//! that customer's reports and the pages marked for it, and not one byte of any other customer
//! or of an internal page (HTML, SVG, feeds, sitemap, the search index decompressed, names).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::support::{stderr, stdout, TestSite};

const AS_OF: &str = "2026-11-22T09:00";

/// What the fixture's three customers own: their name (and its parts, as the search index may
/// hold a Japanese name cut into words), ticket ids and the unique words of their titles.
fn owned_by(slug: &str) -> &'static [&'static str] {
    match slug {
        "hokuto" => &[
            "北斗会",
            "北斗",
            "HKT-101",
            "HKT-102",
            "HOKUMARK",
            "専用 VPN",
            "専用VPN",
        ],
        "nankai" => &["南海商事", "南海", "NKI-201", "NKI-202", "NANMARK"],
        "toho" => &["東邦物産", "東邦", "THO-301", "TOHMARK"],
        _ => unreachable!(),
    }
}

/// Strings of the internal site that no edition may hold.
const INTERNAL: &[&str] = &[
    "INTERNAL-HOME-MARKER",
    "INTERNAL-SECTION-MARKER",
    "INTERNAL-PAGE-MARKER",
    "SECRET-PAGE-TITLE",
    "SECRET-MENU-NAME",
    "社内手順",
    "管理台帳",
];

const SLUGS: [&str; 3] = ["hokuto", "nankai", "toho"];

fn built_site() -> TestSite {
    let site = TestSite::fixture("editions-site");
    built_ok(&site);
    site
}

/// The fixture with these files added (or replaced).
fn fixture_with(files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::fixture("editions-site");
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

/// `build --as-of AS_OF`, which must succeed.
fn built_ok(site: &TestSite) -> std::process::Output {
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// Every file of a folder as readable text: gzip (the search index) unpacked, Pagefind's
/// signature and the zero-width spaces it puts between Japanese words taken out; the path is
/// part of what is scanned.
fn readable_files(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let raw = std::fs::read(e.path()).unwrap();
            let mut bytes = raw.clone();
            if raw.starts_with(&[0x1f, 0x8b]) {
                bytes.clear();
                flate2::read::GzDecoder::new(raw.as_slice())
                    .read_to_end(&mut bytes)
                    .expect("gzip");
            }
            // A workbook: every part of the zip, unpacked.
            if raw.starts_with(b"PK\x03\x04") {
                bytes.clear();
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&raw)).expect("zip");
                for i in 0..zip.len() {
                    let mut part = zip.by_index(i).unwrap();
                    bytes.extend_from_slice(part.name().unwrap().as_bytes());
                    part.read_to_end(&mut bytes).unwrap();
                }
            }
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let text = String::from_utf8_lossy(&bytes).replace('\u{200B}', "");
            (rel.clone(), format!("{}\n{text}", rel.display()))
        })
        .collect()
}

/// The places in `dir` that hold one of `strings` (compared case-insensitively).
fn leaks(dir: &Path, strings: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, text) in readable_files(dir) {
        let lower = text.to_lowercase();
        for s in strings {
            if lower.contains(&s.to_lowercase()) {
                found.push(format!("{} holds {s:?}", rel.display()));
            }
        }
    }
    found
}

/// Runs opsite on `site`, which must fail (exit 1) saying `says`; what it said.
fn refused(site: &TestSite, args: &[&str], says: &str) -> String {
    let o = site.run(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: {err}");
    err
}

/// The fixture with its site.yaml changed by `edit`.
fn with_config(edit: impl FnOnce(&str) -> String) -> TestSite {
    let site = TestSite::fixture("editions-site");
    site.edit_config(edit);
    site
}

fn edition(site: &TestSite, slug: &str) -> PathBuf {
    site.root().join("editions").join(slug)
}

fn read(site: &TestSite, slug: &str, path: &str) -> String {
    std::fs::read_to_string(edition(site, slug).join(path))
        .unwrap_or_else(|e| panic!("{slug}/{path}: {e}"))
}

#[test]
fn no_edition_holds_another_customers_data_or_an_internal_page() {
    let site = built_site();
    for slug in SLUGS {
        let dir = edition(&site, slug);
        assert!(dir.join("index.html").is_file(), "{slug} has no home page");
        let others: Vec<&str> = SLUGS
            .iter()
            .filter(|s| **s != slug)
            .flat_map(|s| owned_by(s).iter().copied())
            .chain(INTERNAL.iter().copied())
            .collect();
        let found = leaks(&dir, &others);
        assert!(found.is_empty(), "edition {slug}:\n{}", found.join("\n"));
        // The scan reads what the edition really holds: its own name, and the search index.
        assert!(
            !leaks(&dir, &owned_by(slug)[..1]).is_empty(),
            "{slug}'s own name is nowhere in its edition"
        );
        assert!(
            (readable_files(&dir).iter())
                .any(|(p, t)| p.starts_with("pagefind") && t.contains("パスワード")),
            "{slug}: the search index holds the help article"
        );
        assert!(
            (readable_files(&dir).iter())
                .any(|(p, t)| p.extension().is_some_and(|e| e == "xlsx") && t.contains("初回応答")),
            "{slug}: the workbooks are read"
        );
    }
    // The internal site still has everything.
    let internal = site.root().join("output");
    for s in [
        "NKI-201",
        "HKT-102",
        "INTERNAL-PAGE-MARKER",
        "SECRET-MENU-NAME",
    ] {
        assert!(
            !leaks(&internal, &[s]).is_empty(),
            "the internal site lost {s}"
        );
    }
}

#[test]
fn pages_are_published_by_audience_with_cascade_and_per_customer() {
    let site = built_site();
    for slug in SLUGS {
        // `help/_index.md` cascades `audience: customers` to the article that names none.
        assert!(read(&site, slug, "help/password/index.html").contains("再設定"));
        assert!(read(&site, slug, "releases/v2/index.html").contains("新しい画面"));
        assert!(!edition(&site, slug).join("internal").exists());
        let sitemap = read(&site, slug, "sitemap.xml");
        let base = format!("https://reports.example.jp/{slug}/");
        assert!(
            sitemap.contains(&format!("<loc>{base}help/password/</loc>")),
            "{sitemap}"
        );
        assert!(
            !sitemap.contains("ops.example.jp"),
            "{slug}: the internal address"
        );
    }
    // `audience: [hokuto]` publishes the page in that edition alone.
    assert!(read(&site, "hokuto", "help/hokuto-vpn/index.html").contains("接続手順"));
    for slug in ["nankai", "toho"] {
        assert!(!edition(&site, slug).join("help/hokuto-vpn").exists());
    }
    // The menu keeps the customer's pages and outside links, not the internal section.
    let home = read(&site, "nankai", "index.html");
    assert!(home.contains("ヘルプセンター") && home.contains("https://status.example.jp/"));
    assert!(
        home.contains("運用ポータル — 南海商事"),
        "the edition's title"
    );
}

#[test]
fn an_audience_that_names_no_customer_is_a_warning_at_its_page() {
    let site = fixture_with(&[(
        "content/help/typo.md",
        "---\ntitle: 誤記\naudience: [nankia]\n---\n本文\n",
    )]);
    let o = built_ok(&site);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        all.contains("content/help/typo.md:3:") && all.contains("did you mean `nankai`?"),
        "{all}"
    );
    assert!(!edition(&site, "nankai").join("help/typo").exists());
}

/// The number shown in the row of a report table whose first cell is `label`.
fn row_after<'a>(page: &'a str, label: &str) -> &'a str {
    let section = &page[page.find("id=\"tickets\"").expect("the tickets section")..];
    let at = section
        .find(&format!(">{label}</th>"))
        .unwrap_or_else(|| panic!("no row {label}"));
    let cell = &section[at..];
    let start = cell.find("<td").unwrap();
    let cell = &cell[start..];
    let open = cell.find('>').unwrap() + 1;
    let close = cell.find("</td>").unwrap();
    &cell[open..close]
}

#[test]
fn an_editions_figures_are_those_of_kpi_for_that_customer() {
    let site = built_site();
    for (slug, name) in [("hokuto", "北斗会"), ("nankai", "南海商事")] {
        let out = site.run(&[
            "kpi",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--customer",
            name,
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let kpis = &json["kpis"];
        // The edition's slug names the same customer.
        let by_slug = site.run(&[
            "kpi",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--customer",
            slug,
            "--format",
            "json",
        ]);
        let by_slug: serde_json::Value = serde_json::from_slice(&by_slug.stdout).unwrap();
        assert_eq!(by_slug, json, "{slug}");
        let page = read(&site, slug, "reports/monthly/2026-11/index.html");
        // Which exports (and how many rows) the MSP computed from is not the customer's to see.
        assert!(
            !page.contains("report-sources"),
            "{slug}: the data files' section"
        );
        let opened = kpis["tickets.opened"]["value"].as_f64().unwrap();
        assert_eq!(
            row_after(&page, "起票"),
            format!("{opened}"),
            "{slug} opened"
        );
        let sla = &kpis["sla.response.high"];
        let percent = (sla["value"].as_f64().unwrap() * 1000.0).floor() / 10.0;
        let (met, breached) = (
            sla["met"].as_u64().unwrap(),
            sla["breached"].as_u64().unwrap(),
        );
        // The row of 高 / 初回応答, its target cell between the clock and the figures.
        let start = page
            .find("<th scope=\"row\">高</th><td data-label=\"対象\">初回応答</td>")
            .unwrap_or_else(|| panic!("{slug}: no 高 初回応答 row"));
        let row = &page[start..start + page[start..].find("</tr>").unwrap()];
        let figures = format!("<td data-label=\"達成率\" class=\"num\">{percent:.1} %</td><td data-label=\"達成\" class=\"num\">{met}</td><td data-label=\"違反\" class=\"num\">{breached}</td>");
        assert!(row.contains(&figures), "{slug}: {figures} not in {row}");
    }
    // 北斗会's gold contract (30 min) breaches HKT-102's 70-minute answer; standard's 1 h would
    // have breached it too, but not HKT-101's 10 minutes.
    let week = read(&site, "hokuto", "reports/weekly/2026-W47/index.html");
    assert!(
        week.contains("HKT-102") && !week.contains("HKT-101</"),
        "{week}"
    );
}

#[test]
fn a_customer_without_tickets_in_a_period_is_told_so_instead_of_zeros() {
    let site = built_site();
    // 東邦物産's only ticket is in W47; W41 (南海商事's) and October have none of its.
    for page in [
        "reports/weekly/2026-W41/index.html",
        "reports/monthly/2026-10/index.html",
    ] {
        let html = read(&site, "toho", page);
        assert!(html.contains("対象期間のチケットはありません"), "{page}");
    }
    let html = read(&site, "toho", "reports/weekly/2026-W47/index.html");
    assert!(!html.contains("対象期間のチケットはありません"));
    assert!(html.contains("THO-301"));
}

#[test]
fn the_internal_monthly_review_compares_the_customers_and_links_their_editions() {
    let site = built_site();
    let page = std::fs::read_to_string(
        site.root()
            .join("output/reports/monthly/2026-11/index.html"),
    )
    .unwrap();
    for (name, url) in [
        (
            "北斗会",
            "https://reports.example.jp/hokuto/reports/monthly/2026-11/",
        ),
        (
            "南海商事",
            "https://reports.example.jp/nankai/reports/monthly/2026-11/",
        ),
        (
            "東邦物産",
            "https://reports.example.jp/toho/reports/monthly/2026-11/",
        ),
    ] {
        assert!(
            page.contains(&format!("<a href=\"{url}\">{name}</a>")),
            "{name}'s row and link"
        );
    }
    assert!(
        page.contains("gold") && page.contains("standard"),
        "contracts"
    );
}

#[test]
fn one_edition_is_built_checked_and_previewed_alone() {
    let site = TestSite::fixture("editions-site");
    let o = site.run(&["build", "--as-of", AS_OF, "--customer", "南海商事"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(edition(&site, "nankai").join("index.html").is_file());
    assert!(
        !site.root().join("output").exists(),
        "the internal site was built"
    );
    assert!(!edition(&site, "hokuto").exists());
    let o = site.run(&["build", "--customer", "nankay"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did you mean `nankai`?"),
        "{}",
        stderr(&o)
    );

    let o = site.run(&["check", "--customer", "toho"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));

    let preview = crate::serve::Preview::start(&site, &["--customer", "hokuto"]);
    let page = preview.get("/help/hokuto-vpn/");
    assert_eq!(page.status, 200);
    assert_eq!(preview.get("/internal/").status, 404);
    let week = preview.get("/reports/weekly/2026-W47/");
    assert_eq!(week.status, 200);
    assert!(week.body.contains("HKT-102") && !week.body.contains("NKI-201"));
}

#[test]
fn editions_are_owned_replaced_whole_and_left_alone_by_a_failed_build() {
    let site = built_site();
    let dir = edition(&site, "nankai");
    let before = crate::output::tree(&dir);
    // A failing build touches no edition.
    site.write(
        "content/help/broken.md",
        "---\ntitle: x\nweight: high\n---\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(crate::output::tree(&dir), before);
    std::fs::remove_file(site.root().join("content/help/broken.md")).unwrap();
    // A page removed from the customers is gone from the rebuilt edition.
    site.write(
        "content/releases/v2.md",
        "---\ntitle: 社内版\ndate: 2026-11-10\nversion: \"2.0.0\"\n---\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.join("releases/v2").exists());
    // A folder opsite did not make is never replaced.
    let foreign = site.root().join("mine");
    std::fs::create_dir_all(foreign.join("nankai")).unwrap();
    std::fs::write(foreign.join("nankai/keep.txt"), "mine").unwrap();
    let mine = foreign.display().to_string();
    let o = site.run(&["build", "--as-of", AS_OF, "--editions-dir", &mine]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nankai"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(foreign.join("nankai/keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_customers_mail_links_to_its_edition() {
    let site = with_config(|config| {
        format!("{config}email:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{{{ period }}}}\"\n  customers:\n    南海商事: {{to: [ops@nankai.example]}}\n")
    });
    let o = site.weekly_mail(&["--customer", "南海商事"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mail = std::fs::read_to_string(site.root().join("mail/南海商事/2026-W47.txt"))
        .or_else(|_| std::fs::read_to_string(site.root().join("mail/南海商事/2026-W47.eml")))
        .unwrap();
    assert!(
        mail.contains("https://reports.example.jp/nankai/reports/weekly/2026-W47/"),
        "{mail}"
    );
    assert!(
        !mail.contains("ops.example.jp/reports"),
        "the internal site's page"
    );
}

#[test]
fn customers_entries_are_checked_at_their_line() {
    let site = TestSite::fixture("editions-site");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let cases = [
        (
            "  - {name: 西方, slug: west, base_url: \"https://r.example.jp/w/\"}\n",
            "西方",
        ),
        (
            "  - {name: 北斗会, slug: \"../up\", base_url: \"https://r.example.jp/up/\"}\n",
            "slug",
        ),
        (
            "  - {name: 北斗会, slug: same, base_url: \"https://ops.example.jp/\"}\n",
            "base_url",
        ),
    ];
    let line = config.lines().count() + 1;
    for (entry, says) in cases {
        site.write("site.yaml", &format!("{config}{entry}"));
        let o = site.run(&["build", "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(1), "{entry}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("site.yaml:{line}:")) && err.contains(says),
            "{entry} → {err}"
        );
    }
    // A service the data does not have, at its own entry.
    site.write(
        "site.yaml",
        &config.replace("services: [portal]", "services: [mail]"),
    );
    let line = 1 + config
        .lines()
        .position(|l| l.contains("slug: hokuto"))
        .unwrap();
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("site.yaml:{line}:")) && err.contains("mail"),
        "{err}"
    );
}

#[test]
fn a_customer_page_linking_to_an_internal_page_says_what_to_do() {
    let site = TestSite::fixture("editions-site");
    site.write(
        "content/help/escalate.md",
        "---\ntitle: 問い合わせ\n---\n[社内手順](../internal/escalation.md)と\n[参照]({{< ref \"internal/escalation.md\" >}})\n",
    );
    let o = site.run(&["check", "--customer", "nankai"]);
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    for line in [
        "content/help/escalate.md:4: error: edition `nankai`: broken link `../internal/escalation.md`",
        "content/help/escalate.md:5: error: edition `nankai`: ref: no page at `internal/escalation.md`",
    ] {
        let found = all.lines().find(|l| l.trim_start().starts_with(line));
        assert!(
            found.is_some_and(|l| l.contains("not in this edition: that page is on the internal site but not marked for this edition: give it `audience`")),
            "{line} in {all}"
        );
    }
    // The internal site alone has no such problem.
    let o = site.run(&["build", "--as-of", AS_OF, "--customer", "nankai"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a ref that finds no page stops the build"
    );
}

#[test]
fn files_beside_pages_follow_their_folders_index_not_one_marked_page() {
    let site = TestSite::fixture("editions-site");
    // A marked page in an unmarked folder does not take the folder's other files along.
    site.write(
        "content/internal/faq.md",
        "---\ntitle: よくある質問\naudience: customers\n---\n本文\n",
    );
    site.write("content/internal/ledger.csv", "管理台帳,LEDGER-MARKER\n");
    // Nor does a page for one customer take its neighbours to the others.
    site.write(
        "content/help/sub/nankai-only.md",
        "---\ntitle: 南海様向け\naudience: [nankai]\n---\n本文\n",
    );
    site.write("content/help/sub/attachment.txt", "NANKAI-ATTACHMENT\n");
    // A file in a marked section's own folder goes with it.
    site.write("content/help/guide.txt", "GUIDE-FOR-ALL\n");
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    for slug in SLUGS {
        let dir = edition(&site, slug);
        let found = leaks(&dir, &["LEDGER-MARKER", "管理台帳"]);
        assert!(found.is_empty(), "{slug}: {found:?}");
        assert!(
            dir.join("help/guide.txt").is_file(),
            "{slug}: the help folder's file"
        );
    }
    assert!(edition(&site, "nankai")
        .join("internal/faq/index.html")
        .is_file());
    assert!(leaks(&edition(&site, "hokuto"), &["NANKAI-ATTACHMENT"]).is_empty());
    assert!(!leaks(&site.root().join("output"), &["LEDGER-MARKER"]).is_empty());
}

#[test]
fn no_build_puts_one_sites_output_where_another_is() {
    let site = built_site();
    let root = site.root().display().to_string();
    let hokuto = format!("{root}/editions/hokuto");
    let before = crate::output::tree(&edition(&site, "hokuto"));
    // One customer's edition into another's folder, or the internal site into an edition's.
    for args in [
        vec![
            "build",
            "--as-of",
            AS_OF,
            "--customer",
            "nankai",
            "--output",
            &hokuto,
        ],
        vec![
            "build",
            "--as-of",
            AS_OF,
            "--output",
            &hokuto,
            "--editions-dir",
            "/nonexistent-editions",
        ],
    ] {
        let o = site.run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("it holds customer edition `hokuto`"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(crate::output::tree(&edition(&site, "hokuto")), before);
    // Not even with --force: the internal site names every customer, and a deploy of
    // `editions/*` would publish it at hokuto's address.
    let elsewhere = tempfile::tempdir().unwrap();
    let others = elsewhere.path().display().to_string();
    let o = site.run(&[
        "build",
        "--as-of",
        AS_OF,
        "--output",
        &hokuto,
        "--editions-dir",
        &others,
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("it holds customer edition `hokuto`") && err.contains("even with --force"),
        "{err}"
    );
    assert!(!err.contains("pass --force"), "{err}");
    assert_eq!(crate::output::tree(&edition(&site, "hokuto")), before);
    // An edition whose folder is the internal site's output.
    let fresh = TestSite::fixture("editions-site");
    let config = std::fs::read_to_string(fresh.root().join("site.yaml")).unwrap();
    fresh.write("site.yaml", &config.replace("slug: toho", "slug: output"));
    let dot = fresh.root().display().to_string();
    refused(
        &fresh,
        &["build", "--as-of", AS_OF, "--editions-dir", &dot],
        "need a folder of their own",
    );
    assert!(!fresh.root().join("output").exists());
}

#[test]
fn no_two_sites_share_an_address() {
    let site = TestSite::fixture("editions-site");
    refused(
        &site,
        &[
            "build",
            "--as-of",
            AS_OF,
            "--base-url",
            "https://Reports.example.jp/hokuto/",
        ],
        "customer edition `hokuto`",
    );
    refused(
        &site,
        &[
            "build",
            "--as-of",
            AS_OF,
            "--customer",
            "toho",
            "--base-url",
            "https://reports.example.jp/nankai/",
        ],
        "customer edition `nankai`",
    );
    assert!(!site.root().join("output").exists() && !site.root().join("editions").exists());
}

#[test]
fn a_menu_entry_naming_an_internal_page_by_its_full_address_is_left_out() {
    let site = with_config(|config| {
        config.replace(
            "    - {name: 状態,",
            "    - {name: MENU-ABS-SECRET, url: \"https://OPS.example.jp/internal/\", weight: 4}\n    - {name: MENU-ABS-SECRET, url: \"http://user@ops.example.jp:443/internal/\", weight: 4}\n    - {name: ヘルプ全文, url: \"https://ops.example.jp/help/\", weight: 5}\n    - {name: 状態,",
        )
    });
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    for slug in SLUGS {
        assert!(
            leaks(&edition(&site, slug), &["MENU-ABS-SECRET"]).is_empty(),
            "{slug}"
        );
        assert!(
            read(&site, slug, "index.html").contains("ヘルプ全文"),
            "{slug}: a customer page"
        );
    }
}

#[test]
fn a_plain_link_to_an_internal_page_stops_the_build_instead_of_showing_its_path() {
    let site = TestSite::fixture("editions-site");
    site.write(
        "content/help/contract.md",
        "---\ntitle: 契約\n---\n[契約書](../internal/escalation.md)\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/help/contract.md:4: error: edition `hokuto`: broken link"),
        "{}",
        stderr(&o)
    );
    assert!(!site.root().join("editions").exists());
    assert!(!site.root().join("output").exists());
}

#[test]
fn report_commentary_for_one_customer_reaches_that_edition_only() {
    let site = fixture_with(&[(
        "content/reports/monthly/2026-11.md",
        "---\naudience: [nankai]\nhighlights: [COMMENTARY-FOR-NANKAI]\n---\n",
    )]);
    let o = built_ok(&site);
    assert!(
        !format!("{}{}", stdout(&o), stderr(&o)).contains("not read"),
        "{}",
        stderr(&o)
    );
    let marker = ["COMMENTARY-FOR-NANKAI"];
    assert!(!leaks(&edition(&site, "nankai"), &marker).is_empty());
    for slug in ["hokuto", "toho"] {
        assert!(leaks(&edition(&site, slug), &marker).is_empty(), "{slug}");
    }
}

#[test]
fn no_output_lands_inside_an_edition_and_a_slug_given_to_another_customer_is_refused() {
    let site = built_site();
    let inside = format!("{}/editions/hokuto/sub", site.root().display());
    refused(
        &site,
        &[
            "build",
            "--as-of",
            AS_OF,
            "--customer",
            "nankai",
            "--output",
            &inside,
        ],
        "which holds customer edition `hokuto` (北斗会)",
    );
    assert!(!edition(&site, "hokuto").join("sub").exists());
    // The slugs swapped between two customers: each folder still holds the other's edition.
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let swapped = config
        .replace("slug: hokuto", "slug: TMP")
        .replace("slug: nankai", "slug: hokuto")
        .replace("slug: TMP", "slug: nankai");
    site.write("site.yaml", &swapped);
    refused(
        &site,
        &["build", "--as-of", AS_OF],
        "it holds customer edition `nankai` (南海商事)",
    );
    assert!(
        !leaks(&edition(&site, "hokuto"), &["HKT-102"]).is_empty(),
        "untouched"
    );
}

#[test]
fn an_edition_never_names_the_internal_sites_address() {
    for body in [
        "[手順](https://ops.example.jp/internal/escalation/)",
        "<a href=\"HTTP://OPS.example.jp./internal/\">社内</a>",
        "{{< figure src=\"/x.png\" link=\"https://ops.example.jp/internal/\" >}}",
    ] {
        let site = TestSite::fixture("editions-site");
        site.write(
            "content/help/raw.md",
            &format!("---\ntitle: 生\n---\n{body}\n"),
        );
        let o = site.run(&["build", "--as-of", AS_OF]);
        assert_eq!(o.status.code(), Some(1), "{body}");
        let err = stderr(&o);
        assert!(
            err.contains("content/help/raw.md: error: edition `hokuto`: help/raw/index.html names the internal site's address"),
            "{body}: {err}"
        );
        assert!(!site.root().join("editions").exists());
    }
}

#[test]
fn a_slug_that_is_another_customers_name_is_refused_at_its_line() {
    // `--customer nankai` would mean 北斗会 (by slug) to pdf and the customer named nankai (by
    // name) to email.
    let site = with_config(|c| {
        c.replace(
            "  - {name: 東邦物産,",
            "  - {name: hokuto, slug: hk2, base_url: \"https://reports.example.jp/hk2/\"}\n  - {name: 東邦物産,",
        )
    });
    let err = refused(
        &site,
        &["build", "--as-of", "2026-11-22T09:00"],
        "names two customers",
    );
    assert!(
        err.contains("site.yaml:31:") && err.contains("北斗会"),
        "{err}"
    );
}

#[test]
fn every_customers_entry_mistake_is_said_in_one_run() {
    // An MSP editing thirty entries fixes them in one pass, not one build per mistake.
    let site = with_config(|c| {
        c.replace("slug: hokuto,", "slug: Hokuto,")
            .replace("slug: toho,", "slug: nankai,")
    });
    let err = refused(
        &site,
        &["build", "--as-of", "2026-11-22T09:00"],
        "site.yaml:29:",
    );
    assert!(
        err.contains("site.yaml:31:") && err.contains("is used twice"),
        "{err}"
    );
    assert!(err.contains("has 2 error(s)"), "{err}");
    assert!(
        err.find("site.yaml:29:") < err.find("site.yaml:31:"),
        "in the entries' order: {err}"
    );
}

#[test]
fn check_names_the_customers_whose_tickets_have_no_edition() {
    // A customer forgotten under `customers:` gets no edition, and its tickets count in the
    // internal figures only: `check` says so (a build does not, as it may be meant).
    let site = TestSite::fixture("editions-site");
    let clean = site.run(&["check"]);
    assert!(
        !stdout(&clean).contains("without an edition"),
        "{}",
        stdout(&clean)
    );
    let tickets = crate::support::read_text(&site.root().join("data/tickets.csv"));
    site.write(
        "data/tickets.csv",
        &format!("{tickets}MYS-1,件名,high,2026-11-18T10:00:00+09:00,2026-11-18T10:10:00+09:00,2026-11-18T12:00:00+09:00,謎の会社\n"),
    );
    let o = site.run(&["check"]);
    assert!(
        stdout(&o).contains("tickets of 1 customer(s) without an edition: 謎の会社 (1 row(s))"),
        "{}",
        stdout(&o)
    );
}

/// A misspelt `customers:` hides every customer: their editions are left where they are, with
/// a warning naming the key, not removed as customers site.yaml no longer has.
#[test]
fn a_misspelt_customers_key_removes_no_edition() {
    let site = built_site();
    let before = crate::output::tree(&edition(&site, "toho"));
    // A typo of the key: an error at its line, and nothing built or removed.
    site.edit_config(|c| c.replacen("\ncustomers:", "\ncustmers:", 1));
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: unknown key custmers (did you mean customers?)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(crate::output::tree(&edition(&site, "toho")), before);
    // A key further from any opsite reads (a translation of it) is a warning; the editions
    // it may have hidden are left in place, not removed.
    site.edit_config(|c| c.replacen("\ncustmers:", "\nkunden:", 1));
    let o = built_ok(&site);
    assert!(edition(&site, "toho").join("index.html").exists());
    let said = stderr(&o);
    assert!(
        said.contains("is left in place") && said.contains("kunden"),
        "{said}"
    );
    assert!(
        !stdout(&o).contains("a customer site.yaml no longer has"),
        "{}",
        stdout(&o)
    );
}

/// A customer removed from `customers:` (or given another slug) loses its old edition at the
/// next full build: a deploy copying `editions/*` would publish it still. One holding a file
/// opsite did not write is left, with a warning.
#[test]
fn the_edition_of_a_customer_no_longer_listed_is_removed_by_the_next_full_build() {
    let site = built_site();
    assert!(edition(&site, "toho").join("index.html").exists());
    site.edit_config(|c| c.replace("slug: toho,", "slug: toho-bussan,"));
    let o = built_ok(&site);
    assert!(!edition(&site, "toho").exists());
    assert!(edition(&site, "toho-bussan").join("index.html").exists());
    assert!(
        stdout(&o).contains(
            "the edition of toho (東邦物産), a slug site.yaml no longer has (東邦物産 is `toho-bussan` now)"
        ),
        "{}",
        stdout(&o)
    );
    // A build of one edition leaves the others' folders alone.
    site.edit_config(|c| c.replace("slug: toho-bussan,", "slug: toho,"));
    let o = site.run(&["build", "--as-of", AS_OF, "--customer", "toho"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(edition(&site, "toho-bussan").exists());
    // One someone put a file of their own into stays, with a warning naming it.
    std::fs::write(edition(&site, "toho-bussan").join("notes.txt"), "mine").unwrap();
    let o = built_ok(&site);
    assert!(edition(&site, "toho-bussan").join("notes.txt").exists());
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
    // So does one a running process is writing into (this test's pid).
    std::fs::remove_file(edition(&site, "toho-bussan").join("notes.txt")).unwrap();
    let live = (edition(&site, "toho-bussan"))
        .join(format!(".index.html.opsite-new-{}", std::process::id()));
    std::fs::write(&live, "another run's").unwrap();
    built_ok(&site);
    assert!(
        live.exists(),
        "a running process's copy was removed with its edition"
    );
    std::fs::remove_file(&live).unwrap();
    // Once the file is gone, the next build (same inputs, same clock) removes the edition: it
    // is not skipped as "nothing changed".
    let o = built_ok(&site);
    assert!(!edition(&site, "toho-bussan").exists(), "{}", stdout(&o));
    // An --editions-dir elsewhere may be shared with another site: named, never removed.
    let shared = tempfile::tempdir().unwrap();
    let dir = shared.path().to_str().unwrap();
    let o = site.run(&["build", "--as-of", AS_OF, "--editions-dir", dir]);
    assert!(o.status.success(), "{}", stderr(&o));
    site.edit_config(|c| c.replace("slug: toho,", "slug: toho-x,"));
    let o = site.run(&["build", "--as-of", AS_OF, "--editions-dir", dir]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(shared.path().join("toho/index.html").exists());
    assert!(
        stderr(&o).contains("--editions-dir may be shared"),
        "{}",
        stderr(&o)
    );
}

/// A mail entry for a customer the data does not have stops the Friday mail run: `check` says
/// so beforehand, at its line, with the closest name.
#[test]
fn check_warns_of_a_mail_entry_for_a_customer_the_data_does_not_have() {
    let site = with_config(|config| {
        format!("{config}email:\n  from: ops@example.jp\n  to: [all@example.jp]\n  customers:\n    南海商時: {{to: [ops@nankai.example]}}\n")
    });
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = crate::support::said(&o);
    assert!(
        said.contains("warning: email.customers.南海商時: no customer `南海商時` in the data (did you mean `南海商事`?)"),
        "{said}"
    );
}

/// A customer's name holding a line break is refused: it is written on a line of its own in
/// the edition folder's mark, and the next build took its own edition for another's.
#[test]
fn a_customer_name_with_a_line_break_is_refused() {
    let site = with_config(|c| {
        c.replace(
            "{name: 東邦物産, slug: toho",
            "{name: \"東邦物産\\nB\", slug: toho",
        )
    });
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("holds a line break or another control character"),
        "{}",
        stderr(&o)
    );
    assert!(!edition(&site, "toho").exists(), "nothing written");
}

/// A customer's name holding a character that shows as nothing or turns text around (pasted
/// with a zero-width space, a BOM, U+202E) is refused at its entry: the exports' cells turn
/// these into U+FFFD, so the name would match none of its tickets.
#[test]
fn a_customer_name_with_an_invisible_character_is_refused() {
    for hidden in ["\\u202E", "\\u200B", "\\uFEFF"] {
        let site = with_config(|c| {
            c.replace(
                "{name: 東邦物産, slug: toho",
                &format!("{{name: \"東邦{hidden}物産\", slug: toho"),
            )
        });
        let o = site.run(&["build", "--as-of", AS_OF]);
        assert!(!o.status.success(), "{hidden}");
        assert!(
            stderr(&o).contains("would match none of its tickets"),
            "{hidden}: {}",
            stderr(&o)
        );
    }
}

/// `check` builds every edition as `build` would, and its last line says so (a new user could not
/// tell whether the editions had been checked).
#[test]
fn check_says_how_many_customer_editions_it_checked() {
    let site = TestSite::fixture("editions-site");
    let all = site.run(&["check", "--as-of", AS_OF]);
    assert!(all.status.success(), "{}", stderr(&all));
    assert!(
        stdout(&all).contains(" and 3 customer edition(s), 0 error(s)"),
        "{}",
        stdout(&all)
    );
    let one = site.run(&["check", "--as-of", AS_OF, "--customer", "toho"]);
    assert!(
        stdout(&one).contains(" and 1 customer edition(s), "),
        "{}",
        stdout(&one)
    );
}

/// A customer's own commentary (or any report's commentary, or a home text) is read where it
/// is: a symbolic link to it from a page other customers see is an error, not a copy.
#[test]
fn a_link_to_one_customers_commentary_from_elsewhere_publishes_nothing() {
    let site = fixture_with(&[
        (
            "content/reports/monthly/2026-10/nankai.md",
            "---\nsummary: 南海商事様だけのコメント\n---\n",
        ),
        (
            "content/help/shared/_index.md",
            "---\ntitle: 共有\ncascade: {audience: customers}\n---\n",
        ),
    ]);
    let help = site.root().join("content/help/shared");
    std::os::unix::fs::symlink(
        "../../reports/monthly/2026-10/nankai.md",
        help.join("tips.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../../reports/monthly", help.join("all")).unwrap();
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(said.contains("content/help/shared/tips.md: error: reaches content/reports/monthly through a symbolic link"), "{said}");
    assert!(
        said.contains("content/help/shared/all/2026-10/nankai.md: error:"),
        "{said}"
    );
    assert!(!site.root().join("editions").exists(), "nothing is written");
}

/// A page every customer sees that links to one customer's edition would send the others
/// there: an error naming the edition whose address it is.
#[test]
fn a_link_to_another_customers_edition_is_an_error() {
    let site = fixture_with(&[(
        "content/help/links.md",
        "---\ntitle: リンク\naudience: customers\n---\n[南海商事様の報告](https://reports.example.jp/nankai/reports/)\n",
    )]);
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(
        said.contains(
            "edition `hokuto`: help/links/index.html names the address of `nankai`'s edition"
        ),
        "{said}"
    );
    assert!(
        !said.contains("edition `nankai`: help/links"),
        "its own address is its own: {said}"
    );
}

/// The fixture with `content/homes/nankai.md` as 南海商事's home text, holding `text`.
fn with_nankai_home(text: &str) -> TestSite {
    let site = with_config(|c| {
        c.replace(
            "slug: nankai, base_url: \"https://reports.example.jp/nankai/\"",
            "slug: nankai, base_url: \"https://reports.example.jp/nankai/\", home: content/homes/nankai.md",
        )
    });
    site.write("content/homes/nankai.md", text);
    site
}

/// A customer's home text is its own however `home` is written (from the content folder or
/// from the site): a link to it from a shared page is an error.
#[test]
fn a_link_to_a_customers_home_text_is_an_error_however_home_is_written() {
    let site = with_nankai_home("---\ntitle: 南海\n---\n南海商事様だけのご案内\n");
    site.write(
        "content/help/shared/_index.md",
        "---\ntitle: 共有\ncascade: {audience: customers}\n---\n",
    );
    std::os::unix::fs::symlink(
        "../../homes/nankai.md",
        site.root().join("content/help/shared/h.md"),
    )
    .unwrap();
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/help/shared/h.md: error: reaches content/homes/nankai.md through a symbolic link"), "{}", stderr(&o));
}

/// A broken link in a customer's home text is said at the home's own file and line, not at
/// the home page it stands for.
#[test]
fn a_broken_link_in_a_customers_home_text_is_said_at_its_file() {
    let site = with_nankai_home("---\ntitle: 南海\n---\n\nご案内は[こちら](no-such-page.md)。\n");
    let o = site.run(&["build", "--as-of", AS_OF]);
    let said = stderr(&o);
    assert!(
        said.contains("content/homes/nankai.md:5: ") && said.contains("no-such-page.md"),
        "{said}"
    );
    assert!(!said.contains("content/_index.md:5"), "{said}");
    // The page is missing everywhere: not "on the internal site but not marked".
    assert!(!said.contains("on the internal site"), "{said}");
}

/// A month's mail chosen by the clock is the month so far: the run says so before it is sent
/// as the month's; a month given with --period that is over says nothing of the kind.
#[test]
fn a_monthly_mail_of_a_month_not_over_says_so() {
    let site = with_config(|config| {
        format!("{config}email:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{{{ period }}}}\"\n  monthly_subject: \"{{{{ period }}}}\"\n  customers:\n    南海商事: {{to: [ops@nankai.example]}}\n")
    });
    let o = site.run(&[
        "email",
        "monthly",
        "--as-of",
        AS_OF,
        "--customer",
        "南海商事",
        "--dry-run",
    ]);
    // Without --period: the last month that is over, said so.
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no --period: 2026-10, the last month that is over")
            && !stderr(&o).contains("not over:"),
        "{}",
        stderr(&o)
    );
    // The month so far, asked for by name: warned about.
    let o = site.run(&[
        "email",
        "monthly",
        "--as-of",
        AS_OF,
        "--period",
        "2026-11",
        "--customer",
        "南海商事",
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: 2026-11 is not over"),
        "{}",
        stderr(&o)
    );
    // A month not yet begun has no figure at all: refused, with the month so far; the PDF too.
    for command in ["email", "pdf"] {
        let mut args = vec![command, "monthly", "--as-of", AS_OF, "--period", "2026-12"];
        args.extend(match command {
            "email" => ["--customer", "南海商事", "--dry-run"].as_slice(),
            _ => ["--customer", "nankai"].as_slice(),
        });
        let o = site.run(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(
                "--period 2026-12: 2026-12 has not begun (as of 2026-11-22 09:00); the month so far is 2026-11"
            ),
            "{command}: {}",
            stderr(&o)
        );
    }
}

/// An export with a header and no rows is no customer's yet: every edition goes out, help pages
/// and all, with reports that show none and a warning at its entry. With rows, a customer no
/// ticket names is still refused (a typo would give it an empty edition), with the closest name
/// and how to publish a new customer's edition; `kpi --customer` refuses it too.
#[test]
fn a_header_only_export_builds_every_edition_and_an_unknown_customer_is_still_refused() {
    let empty = TestSite::fixture("editions-site");
    empty.write(
        "data/tickets.csv",
        "id,title,priority,opened_at,responded_at,resolved_at,customer\n",
    );
    let o = built_ok(&empty);
    let said = crate::support::said(&o);
    for name in ["南海商事", "東邦物産"] {
        assert!(
            said.contains(&format!(
                "warning: customers: {name}: the ticket export has no rows"
            )),
            "{said}"
        );
    }
    assert!(edition(&empty, "nankai")
        .join("help/password/index.html")
        .exists());
    assert!(edition(&empty, "toho").join("reports/index.html").exists());

    // A row read and left out (excluded) is a row: a misspelt customer is not taken for a new one.
    let excluded = with_config(|c| {
        c.replace("name: 東邦物産, slug: toho", "name: 東邦物產, slug: toho")
            .replace(
                "    files: data/tickets.csv\n",
                "    files: data/tickets.csv\n    exclude: {column: title, values: [テスト]}\n",
            )
    });
    excluded.write(
        "data/tickets.csv",
        "id,title,priority,opened_at,responded_at,resolved_at,customer\nX-1,テスト,high,2026-11-02T10:00:00+09:00,,,南海商事\n",
    );
    let build = ["build", "--as-of", AS_OF];
    refused(&excluded, &build, "no customer `東邦物產` in the data");

    let typo =
        with_config(|c| c.replace("name: 東邦物産, slug: toho", "name: 東邦物商, slug: toho"));
    refused(
        &typo,
        &build,
        "no customer `東邦物商` in the data (did you mean `東邦物産`?)",
    );
    let new =
        with_config(|c| c.replace("name: 東邦物産, slug: toho", "name: 西部運輸, slug: toho"));
    refused(
        &new,
        &build,
        "a customer with no ticket yet is named in its contract's `customers:`",
    );
    let o = new.run(&["kpi", "--customer", "西部運輸", "--period", "2026-10"]);
    assert!(!o.status.success(), "{}", stdout(&o));
}

/// A picture beside customers' commentary that two customers' commentary show is one
/// customer's picture in the other's edition: an error at each, and no edition is written.
#[test]
fn a_picture_two_customers_commentary_show_stops_the_build() {
    let site = built_site();
    let before = std::fs::read_dir(edition(&site, "hokuto")).unwrap().count();
    site.write(
        "content/reports/monthly/2026-11/nankai-graph.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/reports/monthly/2026-11/nankai.md",
        "---\ntitle: 所見\n---\n\n![傾向](nankai-graph.svg)\n",
    );
    site.write(
        "content/reports/monthly/2026-11/hokuto.md",
        "---\ntitle: 所見\n---\n\n![n](nankai-graph.svg)\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    for (who, other) in [("hokuto", "nankai"), ("nankai", "hokuto")] {
        assert!(
            said.contains(&format!(
                "content/reports/monthly/2026-11/{who}.md: error: shows reports/monthly/2026-11/nankai-graph.svg, which the commentary of {other} shows too"
            )),
            "{said}"
        );
    }
    assert!(!edition(&site, "hokuto")
        .join("reports/monthly/2026-11/nankai-graph.svg")
        .exists());
    assert_eq!(
        std::fs::read_dir(edition(&site, "hokuto")).unwrap().count(),
        before
    );
    // Shown by its own customer's commentary alone, it goes to that edition only.
    site.write(
        "content/reports/monthly/2026-11/hokuto.md",
        "---\ntitle: 所見\n---\n\n北斗会向け。\n",
    );
    built_ok(&site);
    assert!(edition(&site, "nankai")
        .join("reports/monthly/2026-11/nankai-graph.svg")
        .is_file());
    assert!(!edition(&site, "hokuto")
        .join("reports/monthly/2026-11/nankai-graph.svg")
        .exists());
}

/// Files of someone else's in several folders: every folder is named in one run, the
/// internal site's first, and nothing is written.
#[test]
fn every_folder_holding_someone_elses_files_is_named_at_once() {
    let site = built_site();
    std::fs::write(site.root().join("output/notes.txt"), "mine").unwrap();
    std::fs::write(edition(&site, "nankai").join("custom.txt"), "mine").unwrap();
    std::fs::create_dir_all(edition(&site, "toho").join("deep")).unwrap();
    std::fs::write(edition(&site, "toho").join("deep/keep.txt"), "mine").unwrap();
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1));
    let said = stderr(&o);
    let at = |what: &str| said.find(what).unwrap_or_else(|| panic!("{what}: {said}"));
    assert!(at("(notes.txt)") < at("(custom.txt)") && at("(custom.txt)") < at("(deep/keep.txt)"));
    assert_eq!(
        said.matches("error: refusing to replace").count(),
        3,
        "{said}"
    );
    assert!(edition(&site, "toho").join("deep/keep.txt").exists());
}

/// A file a customer's commentary shows that is a symbolic link may lead to another
/// customer's picture or to an internal file: an error at the commentary, nothing published.
#[test]
fn a_commentary_picture_that_is_a_link_stops_the_build() {
    let site = built_site();
    let folder = site.root().join("content/reports/monthly/2026-11");
    site.write(
        "content/reports/monthly/2026-11/hokuto-graph.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "content/reports/monthly/2026-11/hokuto.md",
        "---\ntitle: 所見\n---\n\n![g](hokuto-graph.svg)\n",
    );
    site.write("content/internal/secret.txt", "社内だけ\n");
    std::os::unix::fs::symlink("hokuto-graph.svg", folder.join("nankai-graph.svg")).unwrap();
    std::os::unix::fs::symlink(
        "../../../internal/secret.txt",
        folder.join("nankai-notes.txt"),
    )
    .unwrap();
    site.write(
        "content/reports/monthly/2026-11/nankai.md",
        "---\ntitle: 所見\n---\n\n![g](nankai-graph.svg) [n](nankai-notes.txt)\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    for file in ["nankai-graph.svg", "nankai-notes.txt"] {
        assert!(
            said.contains(&format!("content/reports/monthly/2026-11/nankai.md: error: shows reports/monthly/2026-11/{file}, a symbolic link")),
            "{said}"
        );
    }
    let published = edition(&site, "nankai").join("reports/monthly/2026-11");
    assert!(!published.join("nankai-graph.svg").exists());
    assert!(!published.join("nankai-notes.txt").exists());
}

/// A service's availability is the same figure in every edition that shows it as on the
/// internal site: a month counts from the site's first row, not from a customer's first ticket
/// (北斗会's first ticket of November is on the 16th, 東邦物産's on the 17th).
#[test]
fn availability_is_the_internal_sites_figure_in_every_edition() {
    let site = built_site();
    let rows = |csv: &str| -> Vec<(String, String, String)> {
        (csv.lines().skip(1))
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[1].to_string(), f[2].to_string())
            })
            .collect()
    };
    let path = "reports/monthly/2026-11/2026-11-services.csv";
    let internal = rows(&std::fs::read_to_string(site.root().join("output").join(path)).unwrap());
    for slug in SLUGS {
        for row in rows(&read(&site, slug, path)) {
            assert!(
                internal.contains(&row),
                "{slug}: {row:?} against {internal:?}"
            );
        }
    }
}
