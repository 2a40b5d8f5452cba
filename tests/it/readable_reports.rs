//! Report pages with a real-looking export (tests/fixtures/busy-reports: 37 categories, 65
//! assignment groups and tickets without one, fourteen months, a month of runaway resolution
//! times, one survey answer): ranked volume bars that count every ticket, no chart text on top
//! of other chart text, a clipped outlier with the targets kept in view, durations to the minute,
//! one status per number in the status block, a folding menu and tables that stack on phones.

use std::collections::BTreeMap;

use crate::support::{file, messages, TestSite};

fn built() -> (TestSite, opsite::site::BuildResult) {
    let site = TestSite::fixture("busy-reports");
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    (site, r)
}

/// The `<figure>` of the chart titled `title` on a page.
fn figure<'a>(html: &'a str, title: &str) -> &'a str {
    let caption = format!("<figcaption class=\"chart-title\">{title}</figcaption>");
    let at = html
        .find(&caption)
        .unwrap_or_else(|| panic!("no chart {title}"));
    let start = html[..at].rfind("<figure").unwrap();
    let end = at + html[at..].find("</figure>").unwrap();
    &html[start..end]
}

/// The numbers table of a chart figure: (row label, cells).
fn numbers(figure: &str) -> Vec<(String, Vec<String>)> {
    let body = &figure[figure.find("<tbody>").unwrap()..];
    body.split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let label = row[..row.find("</th>").unwrap()].to_string();
            let cells = row
                .split("<td class=\"num\">")
                .skip(1)
                .map(|c| c[..c.find("</td>").unwrap()].to_string())
                .collect();
            (label, cells)
        })
        .collect()
}

/// Tickets of the fixture opened in July 2026 (Tokyo), counted by a column, read from the CSV.
fn july_counts(site: &TestSite, column: usize) -> (BTreeMap<String, u64>, u64) {
    let text = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    let mut counts = BTreeMap::new();
    let mut unset = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if !cells[5].starts_with("2026-07-") {
            continue;
        }
        match cells[column] {
            "" => unset += 1,
            v => *counts.entry(v.to_string()).or_insert(0) += 1,
        }
    }
    (counts, unset)
}

#[test]
fn volume_bars_rank_the_top_ten_and_count_every_ticket_once() {
    let (site, r) = built();
    let page = file(&r, "reports/monthly/2026-07/index.html");
    let rows = numbers(figure(page, "チケット件数 対応グループ別"));
    let (counts, unset) = july_counts(&site, 4);
    // Worked out here: by count, ties by the number in the name, the rest as その他.
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    let number = |n: &str| n.trim_start_matches("Group ").parse::<u32>().unwrap();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(number(&a.0).cmp(&number(&b.0))));
    let rest: u64 = ranked[10..].iter().map(|(_, n)| n).sum();
    let mut expected: Vec<(String, Vec<String>)> = ranked[..10]
        .iter()
        .map(|(name, n)| (name.clone(), vec![n.to_string()]))
        .collect();
    expected.push((
        format!("その他（{} 件の値）", ranked.len() - 10),
        vec![rest.to_string()],
    ));
    expected.push(("未設定（空欄）".into(), vec![unset.to_string()]));
    assert_eq!(rows, expected);
    let categories = numbers(figure(page, "チケット件数 カテゴリ別"));
    assert_eq!(
        categories.len(),
        11,
        "ten categories and その他: {categories:?}"
    );
    assert!(categories.iter().all(|(_, v)| v[0] != "0"), "no zero bars");
}

#[test]
fn top_categories_is_read_from_site_yaml() {
    let site = TestSite::fixture("busy-reports");
    site.edit_config(|yaml| format!("{yaml}reports: {{top_categories: 3}}\n"));
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    assert!(r.diagnostics.warning_count() == 0, "{:?}", messages(&r));
    let page = file(&r, "reports/monthly/2026-07/index.html");
    let rows = numbers(figure(page, "チケット件数 カテゴリ別"));
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[3].0.starts_with("その他（"), "{rows:?}");
}

#[test]
fn zero_top_categories_or_menu_entries_is_an_error_at_its_line() {
    for (line, says) in [
        (
            "reports: {top_categories: 0}",
            "reports.top_categories: 0 would name no category",
        ),
        ("menu_max: 0", "menu_max: 0 would show no menu entry"),
        ("menu_max: -1", "expected a whole number such as 1, 2 or 10"),
    ] {
        let site = TestSite::fixture("busy-reports");
        site.edit_config(|yaml| format!("{yaml}{line}\n"));
        let out = site.run(&["build"]);
        let said = crate::support::stderr(&out);
        assert!(!out.status.success(), "{line}: {said}");
        assert!(
            said.contains(says) && said.contains("site.yaml:43"),
            "{line}: {said}"
        );
    }
}

#[test]
fn a_value_named_like_the_aggregates_stays_apart_from_them() {
    let site = TestSite::fixture("busy-reports");
    let csv = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    // Give July's first tickets the category その他 and the group 未設定, as exports do.
    let mut n = 0;
    let edited: Vec<String> = csv
        .lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(',').collect();
            if c.len() > 5 && c[5].starts_with("2026-07-0") && n < 200 {
                n += 1;
                c[3] = "その他";
                c[4] = "未設定";
            }
            c.join(",")
        })
        .collect();
    site.write("data/tickets.csv", &(edited.join("\n") + "\n"));
    let r = site.build();
    let page = file(&r, "reports/monthly/2026-07/index.html");
    for title in ["チケット件数 カテゴリ別", "チケット件数 対応グループ別"]
    {
        let rows = numbers(figure(page, title));
        let labels: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
        let mut unique = labels.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "{title}: {labels:?}");
    }
}

/// Every `<text>` of an SVG as a box (x0, y0, x1, y1) and its text, from its position, anchor
/// and font size; wide characters count twice.
fn text_boxes(svg: &str) -> Vec<([f64; 4], String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut out = Vec::new();
    let mut open: Option<(f64, f64, f64, String, f64)> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"text" => {
                let attr = |k: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == k)
                        .map(|a| String::from_utf8_lossy(&a.value).to_string())
                };
                let num = |k: &[u8]| attr(k).and_then(|v| v.parse::<f64>().ok());
                let rotated = attr(b"transform").is_some_and(|t| t.contains("rotate"));
                if !rotated {
                    open = Some((
                        num(b"x").unwrap_or(0.0),
                        num(b"y").unwrap_or(0.0),
                        num(b"font-size").unwrap_or(14.0),
                        attr(b"text-anchor").unwrap_or_default(),
                        0.0,
                    ));
                }
            }
            Event::Text(t) => {
                if let Some((x, y, size, anchor, _)) = open.take() {
                    let text = t.decode().unwrap().trim().to_string();
                    let units: f64 = text
                        .chars()
                        .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
                        .sum();
                    let w = units * size;
                    let x0 = match anchor.as_str() {
                        "middle" => x - w / 2.0,
                        "end" => x - w,
                        _ => x,
                    };
                    if !text.is_empty() {
                        out.push(([x0, y - size * 0.8, x0 + w, y], text));
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == b"text" => open = None,
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Every chart SVG of a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").unwrap() + start + 6;
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn no_chart_text_is_printed_over_other_text() {
    let (_site, r) = built();
    for page in [
        "trends/index.html",
        "reports/weekly/2026-W46/index.html",
        "reports/monthly/2026-07/index.html",
        "reports/monthly/2026-10/index.html",
        "reports/quarterly/2026-Q3/index.html",
    ] {
        let html = file(&r, page);
        for (n, svg) in svgs(html).into_iter().enumerate() {
            let boxes = text_boxes(svg);
            for (i, (a, ta)) in boxes.iter().enumerate() {
                for (b, tb) in &boxes[i + 1..] {
                    // Overlap of more than a pixel each way (touching is fine).
                    let overlap = a[0] + 1.0 < b[2]
                        && b[0] + 1.0 < a[2]
                        && a[1] + 1.0 < b[3]
                        && b[1] + 1.0 < a[3];
                    assert!(
                        !overlap,
                        "{page}, chart {n}: `{ta}` {a:?} overlaps `{tb}` {b:?}"
                    );
                }
            }
        }
    }
    // The 52 weeks' bars have no room for their values: none is printed (the table has them).
    let trends = file(&r, "trends/index.html");
    let bars = figure(trends, "tickets.opened");
    let weeks = numbers(bars);
    assert_eq!(weeks.len(), 52);
    let wide = svgs(bars)[0];
    let printed: Vec<String> = text_boxes(wide).into_iter().map(|(_, t)| t).collect();
    let labelled = weeks
        .iter()
        .filter(|(_, v)| printed.contains(&v[0].replace(',', "")))
        .count();
    assert!(
        labelled <= 6,
        "{labelled} of 52 values printed (axis ticks at most): {printed:?}"
    );
}

#[test]
fn a_runaway_month_is_clipped_with_a_note_and_durations_read_in_days() {
    let (_site, r) = built();
    let page = file(&r, "reports/monthly/2026-07/index.html");
    let mttr = figure(page, "MTTR");
    // The axis is in days, said on the axis; the targets (5 and 10 days) are lines inside it.
    let svg = svgs(mttr)[0];
    let texts: Vec<String> = text_boxes(svg).into_iter().map(|(_, t)| t).collect();
    assert!(svg.contains(">\n日\n</text>"), "unit on the axis");
    assert!(
        texts.contains(&"5".to_string()) && texts.contains(&"10".to_string()),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.ends_with('k')),
        "no 600k: {texts:?}"
    );
    // July's 44 days are above the axis: said under the chart, exactly, to the minute.
    let note = mttr
        .split("<p class=\"chart-note\">")
        .nth(1)
        .expect("a note on the clipped value");
    assert!(note.contains("7月 44 日 21 時間 36 分"), "{note}");
    // The numbers table writes the same durations as the page's tables (never plain minutes).
    let rows = numbers(mttr);
    assert!(
        rows.iter().all(|(_, v)| v[0] == "—"
            || v[0].ends_with('分')
            || v[0].ends_with("時間")
            || v[0].ends_with('日')),
        "{rows:?}"
    );
    assert!(
        page.contains("44 日 21 時間 36 分"),
        "the indicator table agrees"
    );
    // The description states the target as the table does.
    assert!(mttr.contains("MTTR (目標 5 日 以下)"), "{mttr}");
}

#[test]
fn a_lone_point_is_labelled_and_an_empty_chart_says_so() {
    let (_site, r) = built();
    // One survey answer, in October 2026: July's twelve months have none.
    let july = figure(file(&r, "reports/monthly/2026-07/index.html"), "顧客満足度");
    assert!(
        july.contains("<p class=\"chart-empty\">データなし</p>"),
        "{july}"
    );
    assert!(!july.contains("<svg"), "no empty axes");
    // October's one answer (4) is a marker; on the alert line, whose label is beside it, the
    // value is said under the chart instead of printed over that label.
    let october = figure(file(&r, "reports/monthly/2026-10/index.html"), "顧客満足度");
    assert!(svgs(october)[0].contains("r=\"4\""), "a marker");
    assert!(
        october.contains("値があるのは 10月 のみです: 4.00"),
        "{october}"
    );
}

#[test]
fn the_status_block_states_each_service_once_against_one_target() {
    let (_site, r) = built();
    let home = file(&r, "index.html");
    let block = &home[home.find("status-services").unwrap()..];
    let block = &block[..block.find("</section>").unwrap()];
    let portal: Vec<&str> = block
        .split("<li>")
        .filter(|li| li.contains("portal"))
        .collect();
    assert_eq!(portal.len(), 1, "{block}");
    assert_eq!(
        portal[0].matches("class=\"badge").count(),
        1,
        "{}",
        portal[0]
    );
    assert!(portal[0].contains("目標 99.90 % 以上"), "{}", portal[0]);
    assert!(
        !block.contains("ポータル稼働率"),
        "the indicator on portal is not a second row"
    );
}

#[test]
fn a_long_menu_folds_into_more_and_menu_max_widens_it() {
    let (site, r) = built();
    let home = file(&r, "index.html");
    let menu = &home[home.find("class=\"main-menu\"").unwrap()..];
    let menu = &menu[..menu.find("</nav>").unwrap()];
    let top: Vec<&str> = menu.split("\n      <li>").skip(1).collect();
    assert_eq!(top.len(), 7, "{menu}");
    let more = &menu[menu.find("class=\"menu-more\"").expect("その他 menu")..];
    assert!(more.contains("<summary>その他</summary>"));
    assert!(
        more.contains("サービスカタログ") && more.contains("よくある質問"),
        "{more}"
    );
    site.edit_config(|yaml| format!("{yaml}menu_max: 12\n"));
    let r = site.build();
    let home = file(&r, "index.html");
    assert!(!home.contains("menu-more"));
    assert!(home.contains("よくある質問"));
}

#[test]
fn every_cell_of_a_stacking_table_names_its_column() {
    let (_site, r) = built();
    for page in [
        "reports/weekly/2026-W46/index.html",
        "reports/monthly/2026-07/index.html",
        "reports/quarterly/2026-Q3/index.html",
    ] {
        let html = file(&r, page);
        let tables: Vec<&str> = html
            .split("<table class=\"report-table stack")
            .skip(1)
            .collect();
        assert!(tables.len() >= 4, "{page}: {} tables stack", tables.len());
        for t in tables {
            let t = &t[..t.find("</table>").unwrap()];
            let cells = t.matches("<td").count();
            let labelled = t.matches("<td data-label=\"").count();
            assert_eq!(cells, labelled, "{page}: {t}");
            assert!(!t.contains("data-label=\"\""), "{page}: an empty label");
        }
    }
}

#[test]
fn calendars_mark_outages_and_maintenance_on_their_days() {
    let site = TestSite::fixture("busy-reports");
    site.edit_config(|yaml| {
        yaml.replace(
            "  services: [portal, api]\n",
            "  services: [portal, api]\n  maintenance:\n    - {every: month, nth: 3, weekday: sat, start: \"00:00\", end: \"04:00\"}\n",
        )
    });
    // An outage still going on (no end) at the build's clock, 2026-11-22 09:00.
    let downtime = std::fs::read_to_string(site.root().join("data/downtime.csv")).unwrap();
    site.write(
        "data/downtime.csv",
        &format!("{downtime}portal,2026-11-18T10:00:00+09:00,,false\n"),
    );
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    let november: BTreeMap<String, Vec<String>> = numbers(figure(
        file(&r, "reports/monthly/2026-11/index.html"),
        "日別稼働率 portal",
    ))
    .into_iter()
    .collect();
    assert_eq!(november["2026-11-20"][1], "計画外 10:00–…");
    assert_eq!(
        november["2026-11-22"][1], "計画外 10:00–…",
        "up to the clock"
    );
    assert_eq!(november["2026-11-23"][1], "", "not on days still to come");
    let page = file(&r, "reports/monthly/2026-10/index.html");
    let api: BTreeMap<String, Vec<String>> = numbers(figure(page, "日別稼働率 api"))
        .into_iter()
        .collect();
    // The export's outage over midnight (22:00–02:30) is on both of its days.
    assert_eq!(api["2026-10-22"][1], "計画外 22:00–02:30");
    assert_eq!(api["2026-10-23"][1], "計画外 22:00–02:30");
    // The third Saturday's window from site.yaml, on every service's calendar.
    assert_eq!(api["2026-10-17"][1], "定期保守 00:00–04:00");
    let portal: BTreeMap<String, Vec<String>> = numbers(figure(page, "日別稼働率 portal"))
        .into_iter()
        .collect();
    assert_eq!(portal["2026-10-17"][1], "定期保守 00:00–04:00");
    assert_eq!(portal["2026-10-18"][1], "計画停止 01:00–04:00");
    assert_eq!(portal["2026-10-01"][1], "", "a quiet day");
    // The exports begin on 2025-09-01 at 01:.., and that day has its value.
    let first: BTreeMap<String, Vec<String>> = numbers(figure(
        file(&r, "reports/monthly/2025-09/index.html"),
        "日別稼働率 api",
    ))
    .into_iter()
    .collect();
    assert_eq!(
        first["2025-09-01"][0], "100.00 %",
        "the first day of data has a value"
    );
}

#[test]
fn a_page_leaves_out_columns_and_sections_the_data_cannot_fill() {
    // No title column in the export, no outage export: no empty 件名 column, and no
    // 「障害・停止」 saying there were none when nothing was measured.
    let site = TestSite::new(&[
        (
            "site.yaml",
            "timezone: UTC\ndata:\n  tickets: {files: data/t.csv}\nsla:\n  resolution:\n    high: {within: 1h}\n",
        ),
        (
            "data/t.csv",
            "id,priority,opened_at,resolved_at\nA,high,2026-10-01 09:00,2026-10-01 12:00\nB,high,2026-10-02 09:00,2026-10-02 09:30\n",
        ),
    ]);
    let r = site.build_at("2026-11-05T00:00");
    let page = crate::support::file(&r, "reports/monthly/2026-10/index.html");
    assert!(page.contains("id=\"breaches\""), "the breach list is there");
    assert!(!page.contains(">件名</th>"), "an empty title column");
    assert!(
        !page.contains("id=\"outages\""),
        "an outages section without an outage export"
    );
    // No response time mapped: no row of dashes for it; resolution times are there.
    assert!(
        !page.contains("平均初回応答時間") && page.contains("平均解決時間"),
        "{page}"
    );
    // With an outage export the section says there was none.
    site.edit_config(|c| {
        c.replacen(
            "  tickets: {files: data/t.csv}\n",
            "  tickets: {files: data/t.csv}\n  downtime: {files: data/d.csv}\n",
            1,
        )
    });
    site.write(
        "data/d.csv",
        "service,start,end\nweb,2026-09-01 10:00,2026-09-01 10:30\n",
    );
    let r = site.build_at("2026-11-05T00:00");
    let page = crate::support::file(&r, "reports/monthly/2026-10/index.html");
    assert!(page.contains("id=\"outages\""), "{page}");
}
