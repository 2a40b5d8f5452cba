//! Report pages: the figures shown for a fixture with hand-known numbers, commentary, the
//! breached-ticket list, the current-period mark, charts as well-formed SVG, escaping and
//! byte-identical builds with the same `--as-of`.

use crate::support::{file, has_file, messages, stderr, TestSite};

/// The in-process build's clock is 2026-11-22 09:00 in Tokyo (W47 and November unfinished).
fn built() -> opsite::site::BuildResult {
    let site = TestSite::fixture("reports-site");
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    r
}

#[test]
fn weekly_report_shows_the_hand_computed_figures() {
    let r = built();
    let w = file(&r, "reports/weekly/2026-W47/index.html");
    // Two tickets opened, one response clock breached (INC-2 answered after 2 h on a 1 h target).
    assert!(w.contains("50.0 %"), "response attainment 1 of 2");
    assert!(w.contains("100.0 %"), "resolution attainment 2 of 2");
    // 30 min down in 6 days 9 h (9,180 min): 99.6732 %, cut to two decimals.
    assert!(w.contains("99.67 %"), "weekly availability");
    assert!(w.contains("INC-2"), "breached ticket listed");
    assert!(w.contains("1 時間"), "late by one hour");
    assert!(
        !w.contains(">INC-1<"),
        "a ticket that met both clocks is not listed"
    );
    // The change against the previous week: one ticket then, two now.
    assert!(w.contains("+1"), "change in opened tickets");
    assert!(
        w.contains("集計時点 2026年11月22日 9:00、期間途中"),
        "current period marked"
    );
    let w46 = file(&r, "reports/weekly/2026-W46/index.html");
    assert!(!w46.contains("期間途中"), "a finished week is not marked");
}

#[test]
fn monthly_review_and_indexes() {
    let r = built();
    let m = file(&r, "reports/monthly/2026-11/index.html");
    // 30 min in 21 days 9 h (30,780 min): 99.9025 % → 99.90 %, meeting the 99.9 target.
    assert!(m.contains("99.90 %"), "monthly availability");
    assert!(
        m.contains("99.90 % 以上"),
        "target written in the value's format"
    );
    assert!(has_file(&r, "reports/quarterly/2026-Q4/index.html"));
    let index = file(&r, "reports/weekly/index.html");
    let (a, b) = (
        index.find("2026-W47").unwrap(),
        index.find("2026-W46").unwrap(),
    );
    assert!(a < b, "newest first");
    assert!(
        file(&r, "reports/index.html").contains("2026-W47"),
        "overview links the latest week"
    );
    assert!(
        file(&r, "index.html").contains("reports/weekly/2026-W47/"),
        "home links the latest week"
    );
    assert!(file(&r, "sitemap.xml").contains("/reports/monthly/2026-11/"));
}

#[test]
fn commentary_is_merged_into_its_page_and_not_published_alone() {
    let r = built();
    let w = file(&r, "reports/weekly/2026-W47/index.html");
    assert!(w.contains("<h1>第47週 ステータス</h1>"));
    assert!(w.contains("VPN 障害を 30 分で復旧"));
    assert!(w.contains("初回応答の当番表を見直す"));
    assert!(w.contains("<strong>安定</strong>"));
    assert!(!has_file(&r, "reports/weekly/2026-w47/index.html"));
    let w46 = file(&r, "reports/weekly/2026-W46/index.html");
    assert!(
        w46.contains("週次ステータスレポート 2026年11月第2週（11/9〜11/15）"),
        "complete without commentary"
    );
}

#[test]
fn data_is_escaped_everywhere_it_lands() {
    let r = built();
    // Markup-free where markup could run: a CSV download is data, and holds the title as written
    // (quoted by CSV's rules; `downloads.rs` checks formulas).
    for f in r.files.iter().filter(|f| !f.path.ends_with(".csv")) {
        if let opsite::site::output::OutputContent::Bytes(b) = &f.content {
            let text = String::from_utf8_lossy(b);
            assert!(
                !text.contains("<script>alert(1)"),
                "{} holds raw markup",
                f.path
            );
        }
    }
    let w = file(&r, "reports/weekly/2026-W47/index.html");
    assert!(w.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let csv = file(&r, "reports/weekly/2026-W47/2026-W47-breaches.csv");
    assert!(csv.contains("<script>alert(1)</script>"), "{csv}");
}

#[test]
fn charts_are_well_formed_svg_with_their_numbers() {
    let r = built();
    for page in [
        "reports/weekly/2026-W47/index.html",
        "reports/monthly/2026-11/index.html",
    ] {
        let html = file(&r, page);
        let mut n = 0;
        let mut rest = html;
        while let Some(start) = rest.find("<svg") {
            let end = rest[start..].find("</svg>").expect("closed svg") + start + 6;
            let svg = &rest[start..end];
            let mut reader = quick_xml::Reader::from_str(svg);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{page}: chart {n} is not XML: {e}\n{svg}"),
                }
            }
            assert!(svg.contains("<title>"), "{page}: chart {n} has a title");
            n += 1;
            rest = &rest[end..];
        }
        assert!(n >= 2, "{page}: {n} charts");
    }
    let w = file(&r, "reports/weekly/2026-W47/index.html");
    // The SLA chart draws the 50 % bar and lists it in its table, in the table's own format.
    assert!(w.contains("50.0 %"), "number behind the chart");
}

#[test]
fn same_as_of_gives_the_same_bytes_and_a_bad_one_is_refused() {
    let site = TestSite::fixture("reports-site");
    let out = |name: &str| site.root().join(name);
    for dir in ["one", "two"] {
        let o = site.run(&[
            "build",
            "--as-of",
            "2026-11-20T17:00",
            "--output",
            out(dir).to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let page = "reports/weekly/2026-W47/index.html";
    let a = std::fs::read(out("one").join(page)).unwrap();
    assert_eq!(a, std::fs::read(out("two").join(page)).unwrap());
    assert!(String::from_utf8_lossy(&a).contains("集計時点 2026年11月20日 17:00、期間途中"));
    for f in walkdir::WalkDir::new(out("one")).into_iter().flatten() {
        if f.file_type().is_file() {
            let rel = f.path().strip_prefix(out("one")).unwrap();
            assert_eq!(
                std::fs::read(f.path()).unwrap(),
                std::fs::read(out("two").join(rel)).unwrap(),
                "{} differs between two builds",
                rel.display()
            );
        }
    }
    let o = site.run(&["build", "--as-of", "yesterday"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--as-of `yesterday`"), "{}", stderr(&o));
}

#[test]
fn commentary_for_a_period_without_data_is_a_warning() {
    let site = TestSite::fixture("reports-site");
    site.write("content/reports/monthly/2030-01.md", "未来の月\n");
    site.write("content/reports/weekly/2026-11.md", "週ではない\n");
    let r = site.build();
    let m = messages(&r);
    assert!(
        m.iter()
            .any(|x| x.contains("2030-01") && x.contains("not shown")),
        "{m:?}"
    );
    assert!(m.iter().any(|x| x.contains("2026-W47.md")), "{m:?}");
}

#[test]
fn a_page_at_a_report_index_address_wins_and_says_so() {
    let site = TestSite::fixture("reports-site");
    site.write(
        "content/help/weekly.md",
        "---\ntitle: 自前の週報一覧\nurl: /reports/weekly/\n---\n本文\n",
    );
    let r = site.build();
    let said = messages(&r);
    assert!(
        said.iter().any(|m| m.contains("help/weekly.md")
            && m.contains("this page is at /reports/weekly/, where the index `")
            && m.contains("the page wins, and no generated page lists those reports")),
        "{said:?}"
    );
    assert!(file(&r, "reports/weekly/index.html").contains("自前の週報一覧"));
    // The other kinds keep their index.
    assert!(has_file(&r, "reports/monthly/index.html"));
    // Another case is another path here, and the same on a share that ignores case: said.
    site.write(
        "content/help/monthly.md",
        "---\ntitle: 自前の月報一覧\nurl: /Reports/Monthly/\n---\n本文\n",
    );
    let r = site.build();
    let said = messages(&r);
    assert!(
        said.iter().any(|m| m.contains("help/monthly.md")
            && m.contains("Reports/Monthly/index.html (from")
            && m.contains("and reports/monthly/index.html (from")
            && m.contains("differ only in letter case")),
        "{said:?}"
    );
}

#[test]
fn the_reports_overview_gives_each_kinds_latest_complete_period_beside_the_running_one() {
    let r = built();
    let overview = file(&r, "reports/index.html");
    let weekly = overview.find("週次").expect("the weekly card");
    let card = &overview[weekly..];
    let card = &card[..card.find("</li>").unwrap()];
    // W47 is still running at the build's clock: the card names it, marked, and the week before.
    assert!(
        card.contains("/reports/weekly/2026-W47/") && card.contains("期間途中"),
        "{card}"
    );
    let complete = &card[card.find("終わった最新の期間").expect(card)..];
    assert!(complete.contains("/reports/weekly/2026-W46/"), "{complete}");
}
