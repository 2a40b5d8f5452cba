//! Hostile cells and the files opsite writes from them: direction marks from an export never
//! reach a page, CSV, feed or JSON; no CSV opsite writes carries a live formula; a link target
//! counts only as a real id; diagrams are bounded and laid out once.

use crate::support::{file, messages, stderr, TestSite};

/// Every mark that changes how the text around it reads, or hides in it.
const MARKS: [char; 29] = [
    '\u{202a}',
    '\u{202b}',
    '\u{202c}',
    '\u{202d}',
    '\u{202e}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{200b}',
    '\u{200e}',
    '\u{200f}',
    '\u{061c}',
    '\u{2028}',
    '\u{2029}',
    '\u{200c}',
    '\u{200d}',
    '\u{2060}',
    '\u{2063}',
    '\u{206a}',
    '\u{206f}',
    '\u{e0001}',
    '\u{e0041}',
    '\u{fff9}',
    '\u{3164}',
    '\u{ffa0}',
    '\u{ad}',
    '\u{180e}',
    '\u{1d173}',
];

fn marked_site() -> TestSite {
    let title = format!("\u{202e}gpj.exe 請求書{}", MARKS.iter().collect::<String>());
    TestSite::new(&[
        (
            "site.yaml",
            "title: t\nbase_url: https://ops.example.jp/\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\n  downtime:\n    files: data/downtime.csv\nsla:\n  response:\n    high: {within: 1h}\ncontracts:\n  - {name: std, customers: \"*\"}\n",
        ),
        (
            "data/tickets.csv",
            &format!(
                "id,title,priority,opened_at,responded_at,resolved_at,customer,category\nT-1,\"{title}\",high,2026-11-16T10:00:00+09:00,2026-11-16T13:10:00+09:00,,\"顧客\u{2067}A\",\"分類\u{202d}\"\n"
            ),
        ),
        (
            "data/downtime.csv",
            "service,start,end\n\"port\u{202e}al\",2026-11-17 10:00,2026-11-17 11:00\n",
        ),
        ("content/_index.md", "---\ntitle: ホーム\n---\n{{< status period=\"latest-week\" >}}\n"),
    ])
}

#[test]
fn direction_marks_from_export_cells_reach_no_output() {
    let site = marked_site();
    let o = site.run(&["build", "--as-of", "2026-11-24T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut scanned = 0;
    for entry in walkdir::WalkDir::new(site.root().join("output"))
        .into_iter()
        .flatten()
    {
        let p = entry.path();
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        scanned += 1;
        if let Some(c) = text.chars().find(|c| MARKS.contains(c)) {
            panic!("{} holds U+{:04X}", p.display(), c as u32);
        }
    }
    assert!(scanned > 10, "pages, CSV, feeds and JSON were written");
    let page = std::fs::read_to_string(
        site.root()
            .join("output/reports/weekly/2026-W47/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("\u{fffd}gpj.exe 請求書"),
        "the title is shown, its mark replaced"
    );
    // The KPI command's CSV too.
    let o = site.run(&[
        "kpi",
        "--period",
        "2026-W47",
        "--as-of",
        "2026-11-22T09:00",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = String::from_utf8_lossy(&o.stdout);
    assert!(!csv.chars().any(|c| MARKS.contains(&c)), "{csv}");
}

#[test]
fn no_csv_opsite_writes_carries_a_live_formula() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\n    on_error: quarantine\n    max_quarantined: 100%\ncontracts:\n  - {name: std, customers: \"*\"}\n",
        ),
        (
            "data/tickets.csv",
            "id,priority,opened_at,customer\nT-1,high,2026-11-16T10:00:00+09:00,＝cmd|' /C calc'!A0\n=HYPERLINK(\"http://evil.example/\",\"x\"),high,not a date,a\nT-3,high,2026-11-16T11:00:00+09:00,@SUM(1)\n",
        ),
        ("content/_index.md", "---\ntitle: t\n---\n"),
    ]);
    let o = site.run(&[
        "kpi",
        "--period",
        "2026-W47",
        "--as-of",
        "2026-11-22T09:00",
        "--format",
        "csv",
        "--customer",
        "＝cmd|' /C calc'!A0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = String::from_utf8_lossy(&o.stdout).to_string();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.starts_with("\"'＝cmd") || r.starts_with("'＝cmd")),
        "{csv}"
    );
    let rejects = std::fs::read_to_string(site.root().join(".opsite/rejects/tickets.csv")).unwrap();
    let record = rejects.lines().nth(1).unwrap();
    assert!(
        record.ends_with(
            ",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\"),high,not a date,a\""
        ),
        "the raw row stays text: {rejects}"
    );
    assert!(
        !rejects.lines().skip(1).any(|l| l
            .split(',')
            .any(|f| f.trim_start_matches('"').starts_with('='))),
        "{rejects}"
    );
}

#[test]
fn an_anchor_is_found_only_as_a_real_id() {
    let site = TestSite::new(&[
        (
            "content/a.md",
            "---\ntitle: a\n---\n<div data-id=\"x\">x</div>\n<p>id=\"y\" in text</p>\n<span id=\"z\">z</span>\n<a name=\"old-anchor\"></a>\n\n[1](#x) [2](#y) [3](#z) [4](#old-anchor)\n",
        ),
    ]);
    let r = site.build_with(false, true);
    let m = messages(&r).join("\n");
    assert!(m.contains("#x"), "data-id is no id: {m}");
    assert!(m.contains("#y"), "text is no id: {m}");
    assert!(!m.contains("#z") && !m.contains("#old-anchor"), "{m}");
}

/// What browsers scroll to without an id: `#` and `#top` (the top of the page) and a text
/// fragment (`#:~:text=…`, or after an id); a wrong id before a text fragment is still wrong.
#[test]
fn the_top_of_a_page_and_text_fragments_are_no_broken_links() {
    let site = TestSite::new(&[
        ("content/b.md", "# B

## Reset

text
"),
        (
            "content/a.md",
            "# A

[1](#) [2](#top) [3](#:~:text=A) [4](b.md#:~:text=text) [5](b.md#reset:~:text=text) [6](b.md#nope:~:text=text)
",
        ),
    ]);
    let r = site.build_with(false, true);
    let m = messages(&r).join("\n");
    assert!(m.contains("b.md#nope:~:text=text"), "{m}");
    assert_eq!(
        messages(&r)
            .iter()
            .filter(|l| l.contains("broken link"))
            .count(),
        1,
        "{m}"
    );
}

/// A flowchart of `links` links whose labels are `label` long.
fn flowchart(n: usize, label: usize) -> String {
    let mut s = String::from("```mermaid\nflowchart TD\n");
    for i in 0..n {
        s.push_str(&format!("  N{i}[{}] --> N{}\n", "確".repeat(label), i + 1));
    }
    s.push_str("```\n\n");
    s
}

#[test]
fn diagrams_past_the_limits_are_errors_at_their_fence() {
    let long = TestSite::new(&[(
        "content/a.md",
        &format!("---\ntitle: a\n---\n\ntext\n\n{}", flowchart(2, 201)),
    )]);
    let r = long.build();
    let m = messages(&r).join("\n");
    assert!(
        m.contains("content/a.md:7: error") && m.contains("limits.diagram_label_chars"),
        "{m}"
    );
    let page: String = (0..40).map(|_| flowchart(10, 40)).collect();
    let big = TestSite::new(&[("content/a.md", &format!("---\ntitle: a\n---\n{page}"))]);
    let r = big.build();
    let m = messages(&r).join("\n");
    assert!(
        m.contains("limits.diagram_page_kb") && m.contains("error"),
        "{m}"
    );
    // Raised in site.yaml, the same page draws.
    long.write("site.yaml", "limits: {diagram_label_chars: 300}\n");
    let r = long.build();
    assert!(!messages(&r).join("\n").contains("diagram_label_chars"));
    assert!(file(&r, "a/index.html").contains("<figure class=\"diagram\">"));
}

#[test]
fn unchanged_diagrams_are_not_laid_out_again() {
    let page: String = (0..6).map(|i| flowchart(12, 20 + i)).collect();
    let site = TestSite::new(&[
        ("site.yaml", "title: one\n"),
        ("content/a.md", &format!("---\ntitle: a\n---\n{page}")),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read_to_string(site.root().join("output/a/index.html")).unwrap();
    // Only the title changes: every drawing comes from the cache, and is the same.
    site.write("site.yaml", "title: two\n");
    let r = site.build();
    assert_eq!(r.stats.highlight_misses, 0, "no diagram laid out again");
    assert!(r.stats.highlight_hits >= 6);
    let again = file(&r, "a/index.html");
    let figures = |s: &str| s.matches("<figure class=\"diagram\">").count();
    assert_eq!(figures(again), 6);
    let svg = |s: &str| s[s.find("<figure").unwrap()..s.rfind("</figure>").unwrap()].to_string();
    assert_eq!(svg(again), svg(&first), "the same drawings");
}

#[test]
fn a_snapshot_edited_by_hand_reaches_no_output_with_its_marks() {
    let site = marked_site();
    let o = site.run(&["freeze", "2026-W47", "--as-of", "2026-11-24T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = site.root().join("data/snapshots/2026-W47.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // A contributor puts marks into a title and a service name of the committed snapshot.
    let edited = text.replacen(
        "title: ",
        "title: \"SNAP\\u202eRLO\\u001bESC\\u200bZW\\u2066ISO\" #",
        1,
    );
    std::fs::write(&path, edited).unwrap();
    let o = site.run(&["build", "--as-of", "2026-11-24T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for entry in walkdir::WalkDir::new(site.root().join("output"))
        .into_iter()
        .flatten()
    {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        assert!(!text.contains('\u{1b}'), "{}", entry.path().display());
        if let Some(c) = text.chars().find(|c| MARKS.contains(c)) {
            panic!("{} holds U+{:04X}", entry.path().display(), c as u32);
        }
    }
}

#[test]
fn quarantined_rows_lose_their_terminal_escapes_and_marks() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\n    on_error: quarantine\n    max_quarantined: 100%\n",
        ),
        (
            "data/tickets.csv",
            "id,priority,opened_at\nT-1,high,2026-11-16T10:00:00+09:00\nBAD\u{202e}\u{1b}[31m\u{9b}2J,high,not a date\n",
        ),
        ("content/_index.md", "---\ntitle: t\n---\n"),
    ]);
    let o = site.run(&["kpi", "--period", "2026-W47", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rejects = std::fs::read_to_string(site.root().join(".opsite/rejects/tickets.csv")).unwrap();
    assert!(
        rejects.contains("BAD\u{fffd}\u{fffd}[31m\u{fffd}2J"),
        "{rejects:?}"
    );
}

#[test]
fn anchors_are_what_a_browser_scrolls_to() {
    let site = TestSite::new(&[(
        "content/a.md",
        "---\ntitle: a\n---\n<template><div id=\"in-template\"></div></template>\n<div id=\"a&amp;b\">x</div>\n<div title=\"a>b\" id=\"real-gt\">y</div>\n\n[1](#in-template) [2](#a&b) [3](#real-gt)\n",
    )]);
    let r = site.build_with(false, true);
    let m = messages(&r).join("\n");
    assert!(
        m.contains("#in-template"),
        "an id inside a template is inert: {m}"
    );
    assert!(!m.contains("#a&b") && !m.contains("#real-gt"), "{m}");
}

#[test]
fn a_page_of_diagrams_past_the_layout_work_limit_is_an_error() {
    // Thirty charts of 30 links: small in bytes, yet each costs a second of layout.
    let page: String = (0..30).map(|_| flowchart(30, 2)).collect();
    let site = TestSite::new(&[("content/a.md", &format!("---\ntitle: a\n---\n{page}"))]);
    let started = std::time::Instant::now();
    let r = site.build();
    let m = messages(&r).join("\n");
    assert!(
        m.contains("limits.diagram_page_work") && m.contains("error"),
        "{m}"
    );
    // Refused before their layouts: the build does not pay for them.
    assert!(started.elapsed().as_secs() < 20);
}
