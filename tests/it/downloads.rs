//! Report tables as downloads: every report page links a workbook and a CSV per table, and what
//! they hold is read back with an independent reader (Python's openpyxl) and compared, cell by
//! cell, with the figures the page prints; `opsite kpi --format xlsx`.

use std::process::Command;

use opsite::reports::labels::duration;

use crate::support::{stderr, TestSite};

const AS_OF: &str = "2026-11-22T09:00";

/// Every sheet of a workbook as openpyxl reads it: its title, frozen cell, and each cell's
/// value, type (`n` number, `s` string) and number format.
const DUMP: &str = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in book.worksheets:
    # A date cell's value as ISO text (`2026-10-30T17:51:00`), its type `d`.
    rows = [[{"v": c.value.isoformat() if hasattr(c.value, "isoformat") else c.value, "t": c.data_type, "f": c.number_format} for c in row] for row in ws.iter_rows()]
    out.append({"title": ws.title, "freeze": ws.freeze_panes, "rows": rows,
                "widths": {k: d.width for k, d in ws.column_dimensions.items()}})
print(json.dumps({"sheets": out, "created": book.properties.created.isoformat()}))
"#;

pub(crate) fn read_workbook(path: &std::path::Path) -> serde_json::Value {
    let out = Command::new("python3")
        .args(["-c", DUMP])
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "openpyxl could not read {} (pip install openpyxl): {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The text of each cell of the table under `<h2 id="key">` (or the `<h3>` of the alerts): the
/// heading row, then each body row, tags taken out.
fn page_table(html: &str, key: &str) -> Vec<Vec<String>> {
    let at = html
        .find(&format!("id=\"{key}\""))
        .or_else(|| (key == "alerts").then(|| html.find("<h3>").unwrap()))
        .unwrap_or_else(|| panic!("no section {key}"));
    let rest = &html[at..];
    let table = &rest[rest.find("<table").unwrap()..rest.find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter(|c| c.starts_with('h') || c.starts_with('d'))
                .map(|cell| {
                    let inner = &cell[cell.find('>').unwrap() + 1..];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in inner.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    (text.replace("&lt;", "<").replace("&gt;", ">"))
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&")
                        .trim()
                        .to_string()
                })
                .collect()
        })
        .collect()
}

/// What the page prints for a workbook cell: its number as Excel shows it through the cell's
/// number format (the decimals the format asks for, rounded half up on the decimal value, a
/// percentage format scaling by 100), in the page's words.
pub(crate) fn as_page_prints(cell: &serde_json::Value) -> String {
    // A date cell holds the instant; a page's table writes it `11/17 10:00` (its year only
    // when it is not the report's, which these fixtures' are).
    if cell["t"] == "d" {
        let at =
            chrono::NaiveDateTime::parse_from_str(cell["v"].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S")
                .expect("an ISO date");
        return at.format("%-m/%-d %-H:%M").to_string();
    }
    let Some(v) = cell["v"].as_f64() else {
        return cell["v"].as_str().unwrap_or("—").to_string();
    };
    let format = cell["f"].as_str().unwrap();
    let decimals = format.split_once('.').map_or(0, |(_, rest)| {
        rest.chars().take_while(|c| *c == '0').count()
    });
    let percent = format.trim_end().ends_with('%');
    let shown = excel_shows(if percent { v * 100.0 } else { v }, decimals);
    if format.contains('分') {
        let numbers = opsite::kpi::numbers::Numbers::default();
        let minutes = shown.replace(',', "").parse::<f64>().unwrap();
        duration(Some(minutes), opsite::i18n::Lang::of("ja"), &numbers)
    } else if percent {
        format!("{shown} %")
    } else {
        shown
    }
}

/// `v` with `decimals` places as a spreadsheet shows it: its decimal digits (not its binary
/// value) rounded half away from zero, thousands grouped.
pub(crate) fn excel_shows(v: f64, decimals: usize) -> String {
    let digits = format!("{:.*}", decimals + 6, v.abs());
    let (int, frac) = digits.split_once('.').unwrap();
    let mut kept: Vec<u8> = format!("{int}{}", &frac[..decimals]).into_bytes();
    if frac.as_bytes()[decimals] >= b'5' {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let kept = String::from_utf8(kept).unwrap();
    let (int, frac) = kept.split_at(kept.len() - decimals);
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = kept.bytes().all(|b| b == b'0');
    let sign = if v < 0.0 && !zero { "-" } else { "" };
    match decimals {
        0 => format!("{sign}{grouped}"),
        _ => format!("{sign}{grouped}.{frac}"),
    }
}

fn reports_site() -> TestSite {
    let site = TestSite::fixture("reports-site");
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

/// A report's workbook with each sheet's title row checked and taken off: the sheet says whose
/// report, which period and as of when (the page's title and 集計時点), and freezes its headings
/// under it. What is left is the table, as `compare_with_page` reads it.
fn without_title_rows(mut book: serde_json::Value, page: &str) -> serde_json::Value {
    let text = page_text(page);
    for sheet in book["sheets"].as_array_mut().unwrap() {
        let rows = sheet["rows"].as_array_mut().unwrap();
        let title = rows.remove(0);
        let line = title[0]["v"].as_str().unwrap_or_default().to_string();
        assert!(line.contains("集計時点"), "the title row: {line}");
        let period = line.split(" — ").nth(1).unwrap_or_default();
        let days = period
            .trim_start_matches("対象期間 ")
            .split("・")
            .next()
            .unwrap();
        assert!(text.contains(days), "the page's period {days:?}");
        assert_eq!(
            sheet["freeze"], "A3",
            "the headings under the title stay on screen"
        );
        sheet["freeze"] = "A2".into();
    }
    book
}

/// A page's text as a reader sees it: tags dropped, the few character references templates
/// write read back.
fn page_text(page: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in page.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    (out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\""))
    .replace("&#x27;", "'")
    .replace("&#x2F;", "/")
    .replace("&amp;", "&")
}

/// Each sheet's cells against the page's table of the same heading, column by column (the
/// page's change column, which the sheet leaves out, is skipped by its heading).
fn compare_with_page(page: &str, book: &serde_json::Value, csv_names: &[(String, String)]) {
    let mut sheets = book["sheets"].as_array().unwrap().as_slice();
    // The commentary comes first, as on the page; it has no table there, so it is compared
    // with the page's text: every paragraph of the sheet is in the page.
    if sheets[0]["title"] == "コメント" {
        let rows = sheets[0]["rows"].as_array().unwrap();
        assert!(rows.len() > 1, "the commentary sheet has the commentary");
        let text = page_text(page);
        for row in &rows[1..] {
            let said = row[1]["v"].as_str().unwrap();
            assert!(
                text.contains(said),
                "commentary {said:?} is not on the page"
            );
        }
        sheets = &sheets[1..];
    }
    assert_eq!(sheets.len(), csv_names.len(), "one sheet per linked CSV");
    let (mut numbers, mut dates) = (0, 0);
    for (sheet, (key, _)) in sheets.iter().zip(csv_names) {
        assert_eq!(sheet["freeze"], "A2", "{key}: the header row is frozen");
        let rows = sheet["rows"].as_array().unwrap();
        let html = page_table(page, key);
        assert_eq!(rows.len(), html.len(), "{key}: rows");
        let headings: Vec<&str> = rows[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["v"].as_str().unwrap())
            .collect();
        for (col, heading) in headings.iter().enumerate() {
            let page_col = match html[0].iter().position(|h| h == heading) {
                Some(c) => c,
                None if col == 0 => 0,
                // A column of its own in the sheet that the page writes inside another cell
                // (a breach's customer after its title, "still open" after how late).
                None => {
                    for (r, row) in rows.iter().enumerate().skip(1) {
                        let text = row[col]["v"].as_str().unwrap_or("");
                        assert!(html[r].concat().contains(text), "{key} {heading}: {text}");
                    }
                    continue;
                }
            };
            for (r, row) in rows.iter().enumerate().skip(1) {
                let cell = &row[col];
                let shown = &html[r][page_col];
                if cell["v"].is_f64() || cell["v"].is_i64() {
                    assert_eq!(cell["t"], "n", "{key} {heading}: a number");
                    numbers += 1;
                }
                // An instant is a date Excel can sort and compute with, not text.
                if cell["t"] == "d" {
                    dates += 1;
                }
                let want = as_page_prints(cell);
                assert!(
                    shown.starts_with(&want) || (want == "—" && shown.is_empty()),
                    "{key} row {r} {heading}: the page shows {shown:?}, the workbook {cell}"
                );
            }
        }
    }
    assert!(numbers > 10, "only {numbers} numbers compared");
    assert!(dates > 0, "no instant is a date cell");
}

/// The (key, file) of every CSV link of a page, in page order, and the workbook's name.
fn links(page: &str) -> (Vec<(String, String)>, String) {
    let mut csv = Vec::new();
    let mut xlsx = String::new();
    for part in page
        .split("<p class=\"downloads\" data-pagefind-ignore><a href=\"")
        .skip(1)
    {
        let file = &part[..part.find('"').unwrap()];
        let key = file.rsplit_once('-').unwrap().1.trim_end_matches(".csv");
        csv.push((key.to_string(), file.to_string()));
        let book = part.split("href=\"").nth(1).unwrap();
        xlsx = book[..book.find('"').unwrap()].to_string();
    }
    (csv, xlsx)
}

#[test]
fn every_report_table_is_a_sheet_with_the_pages_figures_and_a_csv() {
    let site = reports_site();
    for page in [
        "reports/weekly/2026-W47",
        "reports/monthly/2026-11",
        "reports/quarterly/2026-Q4",
    ] {
        let dir = site.root().join("output").join(page);
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let (csv, xlsx) = links(&html);
        assert!(csv.len() >= 4, "{page}: {csv:?}");
        assert!(
            html.contains(&format!("href=\"{xlsx}\" download")),
            "{page}"
        );
        let book = without_title_rows(read_workbook(&dir.join(&xlsx)), &html);
        compare_with_page(&html, &book, &csv);
        // Each CSV: a BOM, the headings, and the sheet's values with the shown decimals and
        // two more (rounded half up: 34.64, not 34.639999999995084).
        let tables = book["sheets"].as_array().unwrap().iter();
        let tables = tables.filter(|s| s["title"] != "コメント");
        for ((key, file), sheet) in csv.iter().zip(tables) {
            let bytes = std::fs::read(dir.join(file)).unwrap();
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file}: no BOM");
            let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
            let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
            let rows = sheet["rows"].as_array().unwrap();
            assert_eq!(lines.len(), rows.len(), "{key}: rows");
            for (line, row) in lines.iter().zip(rows).skip(1) {
                let fields: Vec<&str> = line.split(',').collect();
                for (field, cell) in fields.iter().zip(row.as_array().unwrap()) {
                    let Some(v) = cell["v"].as_f64() else {
                        continue;
                    };
                    let format = cell["f"].as_str().unwrap();
                    let percent = format.trim_end().ends_with('%');
                    let shown = format
                        .split_once('.')
                        .map_or(0, |(_, r)| r.chars().take_while(|c| *c == '0').count());
                    let want = excel_shows(if percent { v * 100.0 } else { v }, shown + 2);
                    let want: f64 = want.replace(',', "").parse().unwrap();
                    let got: f64 = field.parse().unwrap_or_else(|_| panic!("{key}: {field}"));
                    let decimals = field.split_once('.').map_or(0, |(_, f)| f.len());
                    assert!(
                        decimals <= shown + 2,
                        "{key}: {field} has {decimals} decimals"
                    );
                    assert!(
                        (got - want).abs() < 1e-9 * want.abs().max(1.0),
                        "{key}: {got} {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn workbooks_are_the_same_bytes_from_two_builds() {
    let a = reports_site();
    let b = reports_site();
    let file = "output/reports/monthly/2026-11/2026-11.xlsx";
    let x = std::fs::read(a.root().join(file)).unwrap();
    assert_eq!(x, std::fs::read(b.root().join(file)).unwrap());
    let book = read_workbook(&a.root().join(file));
    // Created at the report's as_of (09:00 in Tokyo), not at the build's clock.
    assert_eq!(book["created"], "2026-11-22T00:00:00");
}

#[test]
fn a_csv_never_hands_excel_a_formula_from_the_data() {
    let site = TestSite::fixture("reports-site");
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    let hostile = tickets.replacen(
        '\n',
        "\nEVIL-1,=HYPERLINK(\"http://x.example/\"),high,2026-11-16T10:00:00+09:00,2026-11-16T15:00:00+09:00,\n",
        1,
    );
    let header = tickets.lines().next().unwrap().to_string();
    assert!(
        header.starts_with("id,title,priority,opened_at,responded_at,resolved_at"),
        "{header}"
    );
    site.write("data/tickets.csv", &hostile);
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = site.root().join("output/reports/weekly/2026-W47");
    let csv = std::fs::read_to_string(dir.join("2026-W47-breaches.csv")).unwrap();
    assert!(
        csv.contains("EVIL-1,\"'=HYPERLINK(\"\"http://x.example/\"\")\""),
        "{csv}"
    );
    let book = read_workbook(&dir.join("2026-W47.xlsx"));
    let titles: Vec<&serde_json::Value> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["rows"].as_array().unwrap().iter().map(|r| &r[1]))
        .filter(|c| c["v"].as_str().is_some_and(|v| v.contains("HYPERLINK")))
        .collect();
    assert!(
        !titles.is_empty() && titles.iter().all(|c| c["t"] == "s"),
        "{titles:?}"
    );
}

#[test]
fn kpi_writes_a_workbook_only_to_a_file() {
    let site = TestSite::fixture("reports-site");
    let o = site.run(&[
        "kpi", "--period", "2026-11", "--as-of", AS_OF, "--format", "xlsx",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("give --output FILE"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    // Nor to a pipe named as the file.
    let o = site.run(&[
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        AS_OF,
        "--format",
        "xlsx",
        "--output",
        "/dev/stdout",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a plain file"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let file = site.root().join("kpi.xlsx");
    let path = file.display().to_string();
    let args = [
        "kpi", "--period", "all", "--as-of", AS_OF, "--format", "xlsx", "--output", &path,
    ];
    let o = site.run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let book = read_workbook(&file);
    let rows = book["sheets"][0]["rows"].as_array().unwrap();
    let json = site.kpi_json("2026-11", AS_OF);
    let mut checked = 0;
    for row in rows.iter().skip(1) {
        if row[0]["v"] != "2026-11" {
            continue;
        }
        let id = row[2]["v"].as_str().unwrap();
        let want = &json["kpis"][id]["value"];
        match want.as_f64() {
            Some(w) => {
                let stored = row[4]["v"].as_f64().unwrap();
                let stored = if row[4]["f"] == "0.00 %" {
                    stored * 100.0
                } else {
                    stored
                };
                assert!(
                    (stored - w).abs() < 1e-9 * w.abs().max(1.0),
                    "{id}: {stored} {w}"
                );
                checked += 1;
            }
            None => assert!(row[4]["v"].is_null(), "{id}"),
        }
    }
    assert!(checked > 20, "{checked}");
    let week = rows
        .iter()
        .find(|r| r[0]["v"] == "2026-W47")
        .expect("2026-W47");
    assert_eq!(
        week[1]["v"], "2026年11月第3週（11/16〜11/22）",
        "the period's name"
    );
}

#[test]
fn kpi_never_replaces_a_link_with_its_workbook() {
    // `/dev/stdout` with standard output redirected to a file is such a link: renamed over, the
    // machine's /dev/stdout became a workbook.
    let site = TestSite::fixture("reports-site");
    site.write("real.xlsx", "old");
    std::os::unix::fs::symlink("real.xlsx", site.root().join("link.xlsx")).unwrap();
    let link = site.root().join("link.xlsx").display().to_string();
    let o = site.run(&[
        "kpi", "--period", "2026-11", "--as-of", AS_OF, "--format", "xlsx", "--output", &link,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a symbolic link"), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(site.root().join("link.xlsx")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        std::fs::read_to_string(site.root().join("real.xlsx")).unwrap(),
        "old"
    );
}
