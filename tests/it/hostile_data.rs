//! Hostile data exports: Parquet and CSV cells out of range, fuzzed files, rows accounted for.
//! Each case is one a user met (issues 23.6, 23.9, 24.2, 24.6, 24): a panic, a row that
//! vanished, a sum that wrapped, a page of 200 MB, a message holding a whole file.

use std::path::Path;

use opsite::config::SiteConfig;
use opsite::data::Loaded;
use opsite::error::Diagnostic;
use polars::prelude::*;

use crate::support::{file, messages, stderr, stdout, TestSite};

/// Tickets from Parquet (`tickets.parquet`) or CSV (`tickets.csv`), and API usage from Parquet.
fn config(tickets: &str, on_error: &str) -> String {
    format!(
        r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/{tickets}
    on_error: {on_error}
    max_quarantined: 100%
    columns: {{id: id, priority: priority, opened_at: opened, title: title}}
  api_usage:
    files: data/api.*
    optional: true
    on_error: {on_error}
    max_quarantined: 100%
    columns: {{date: date, user: user, calls: calls, cost: cost}}
"#
    )
}

pub(crate) fn write_parquet(root: &Path, rel: &str, columns: Vec<Column>) {
    let height = columns.first().map_or(0, |c| c.len());
    let mut df = DataFrame::new(height, columns).unwrap();
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(&mut df)
        .unwrap();
}

fn strings(name: &str, v: &[&str]) -> Column {
    Column::new(name.into(), v)
}

/// An Int32 column read as date32 (days since 1970-01-01), however far out.
fn days(name: &str, v: &[i32]) -> Column {
    Column::new(name.into(), v).cast(&DataType::Date).unwrap()
}

fn load(site: &TestSite) -> Result<Loaded, Vec<Diagnostic>> {
    let (config, _) = SiteConfig::load(site.root()).unwrap();
    opsite::data::load(site.root(), &config.kpi)
}

fn lines(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rows the files of `source` hold, by the provenance the report pages show.
fn rows_in(l: &Loaded, source: &str) -> usize {
    l.rows_read(source)
}

fn quarantined(l: &Loaded, source: &str) -> usize {
    l.rejected.get(source).copied().unwrap_or(0)
}

const DAY_2026_11_02: i32 = 20_759;

#[test]
fn a_date32_far_outside_the_years_is_a_row_error_naming_file_row_and_column() {
    let site = TestSite::new(&[("site.yaml", &config("tickets.parquet", "fail"))]);
    write_parquet(
        site.root(),
        "data/tickets.parquet",
        vec![
            strings("id", &["A", "B", "C", "D"]),
            strings("priority", &["high"; 4]),
            days("opened", &[DAY_2026_11_02, i32::MAX, i32::MIN, -1]),
            strings("title", &["ok", "far future", "far past", "1969-12-31"]),
        ],
    );
    let errors = lines(&load(&site).expect_err("bad dates are errors"));
    for row in [2, 3, 4] {
        assert!(
            errors.contains(&format!(
                "data/tickets.parquet:{row}: error: column opened: value"
            )),
            "row {row}: {errors}"
        );
    }
    assert!(errors.contains("is not a representable date"), "{errors}");
    assert!(
        errors.contains("value \"1969-12-31\": is outside the years 1970 to 2100"),
        "{errors}"
    );
    assert!(!errors.contains(":1: error"), "row 1 is fine: {errors}");
    // API usage dates take the same checks (they used to be taken as they came).
    write_parquet(
        site.root(),
        "data/tickets.parquet",
        vec![
            strings("id", &["A"]),
            strings("priority", &["high"]),
            days("opened", &[DAY_2026_11_02]),
            strings("title", &["ok"]),
        ],
    );
    write_parquet(
        site.root(),
        "data/api.parquet",
        vec![
            days("date", &[DAY_2026_11_02, i32::MIN, 47_847]),
            strings("user", &["a", "b", "c"]),
            Column::new("calls".into(), &[1i64, 2, 3]),
            Column::new("cost".into(), &[1.0f64, 2.0, 3.0]),
        ],
    );
    let errors = lines(&load(&site).expect_err("bad dates are errors"));
    assert!(
        errors.contains("data/api.parquet:2: error: column date")
            && errors.contains("data/api.parquet:3: error: column date: value \"2101-01-01\""),
        "{errors}"
    );
}

/// Tickets in Tokyo time: the first and last valid local instants, the first invalid ones on
/// either side, a row with two bad cells, and plain rows.
const EDGE_TICKETS: &str = "id,priority,opened,title
A,high,1970-01-01 00:00,first local minute
B,high,2100-12-31 23:59,last local minute
C,high,1969-12-31 23:00,an hour too early
D,high,2101-01-01 00:30,half an hour too late
E,high,2101-01-01T00:00:00+09:00,too late with an offset
F,high,1969-12-31T14:59:59Z,too early in UTC
,high,1969-12-31 12:00,two bad cells
G,low,2026-11-02 10:00,plain
H,low,2026-11-03 10:00,plain
";

#[test]
fn out_of_range_timestamps_are_quarantined_and_every_row_is_accounted_for() {
    let site = TestSite::new(&[
        ("site.yaml", &config("tickets.csv", "quarantine")),
        ("data/tickets.csv", EDGE_TICKETS),
        (
            "data/api.csv",
            "date,user,calls,cost\n2026-11-02,a,1,1\n,b,2,2\n2101-01-01,c,3,3\n1969-12-31,d,4,4\n",
        ),
    ]);
    let l = load(&site).unwrap_or_else(|e| panic!("{}", lines(&e)));
    let t = &l.data.tickets;
    assert_eq!(
        t.id.iter().collect::<Vec<_>>(),
        ["A", "B", "G", "H"],
        "the valid rows are used"
    );
    assert_eq!((rows_in(&l, "tickets"), quarantined(&l, "tickets")), (9, 5));
    // Every used instant falls on a local day from 1970-01-01 to 2100-12-31.
    let tokyo = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    for &at in &t.opened {
        let local = chrono::DateTime::from_timestamp(at, 0)
            .unwrap()
            .with_timezone(&tokyo);
        assert!(
            (1970..=2100).contains(&chrono::Datelike::year(&local)),
            "{local}"
        );
    }
    let api = l.data.api.as_ref().unwrap();
    assert_eq!(api.date.len(), 1, "an empty or out-of-range date is no day");
    assert_eq!(
        (rows_in(&l, "api_usage"), quarantined(&l, "api_usage")),
        (4, 3)
    );
    let rejects = std::fs::read_to_string(site.root().join(".opsite/rejects/tickets.csv")).unwrap();
    assert_eq!(
        rejects.lines().count(),
        6,
        "a header and one line per row: {rejects}"
    );
    assert!(
        rejects.contains("data/tickets.csv,4,\"column opened: value \"\"1969-12-31 23:00\"\": is outside the years 1970 to 2100")
            && rejects.contains("data/tickets.csv,8,\"column id: is empty; column opened:"),
        "{rejects}"
    );
    // The command line says the same count, and the months count what was used.
    let out = site.run(&[
        "kpi",
        "--period",
        "1970-01",
        "--as-of",
        "1970-02-01T00:00",
        "--format",
        "json",
    ]);
    assert!(
        stderr(&out).contains("quarantined 5 row(s) of tickets"),
        "{}",
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["kpis"]["tickets.opened"]["value"], 1);
    // The build and the check say it too: figures published without those rows are not silent.
    let out_dir = site.root().join("out");
    for args in [
        vec!["build", "--output", out_dir.to_str().unwrap()],
        vec!["check"],
    ] {
        let args = [&args[..], &["--as-of", "1970-02-01T00:00"]].concat();
        let out = site.run(&args);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            all.contains("quarantined 5 row(s) of tickets → .opsite/rejects/tickets.csv")
                && all.contains("quarantined 3 row(s) of api_usage"),
            "{args:?}: {all}"
        );
        // And how many of the rows read are in the figures: the four valid tickets, one day.
        assert!(
            all.contains("tickets: 4 of 9 row(s) used (5 quarantined)")
                && all.contains("api_usage: 1 of 4 row(s) used (3 quarantined)"),
            "{args:?}: {all}"
        );
    }
}

mod accounting {
    use super::*;
    use proptest::prelude::*;

    /// A cell around the edges: timestamps of any year, offsets, junk and empties.
    fn opened() -> impl Strategy<Value = String> {
        prop_oneof![
            (1900i32..2200, 1u32..13, 1u32..29, 0u32..24)
                .prop_map(|(y, m, d, h)| format!("{y:04}-{m:02}-{d:02} {h:02}:00")),
            (1960i32..2110, 0u32..24).prop_map(|(y, h)| format!("{y}-12-31T{h:02}:30:00Z")),
            (1960i32..2110).prop_map(|y| format!("{y}-01-01T00:00:00+14:00")),
            prop::sample::select(vec![
                "",
                "x",
                "99999-01-01 00:00",
                "1970-01-01",
                "2100-12-31"
            ])
            .prop_map(str::to_string),
        ]
    }

    fn row() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["", "T"]),
            prop::sample::select(vec!["high", "low", "", "urgent"]),
            opened(),
        )
            .prop_map(|(id, p, at)| format!("{id},{p},{at},t"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// rows in = rows used + rows quarantined, whatever the rows hold.
        #[test]
        fn every_row_is_used_or_quarantined(rows in prop::collection::vec(row(), 1..24)) {
            let mut text = String::from("id,priority,opened,title\n");
            for (i, r) in rows.iter().enumerate() {
                // Unique ids: a repeated id is a different (whole-source) error.
                text.push_str(&r.replacen("T,", &format!("T{i},"), 1));
                text.push('\n');
            }
            let site = TestSite::new(&[
                ("site.yaml", &config("tickets.csv", "quarantine")),
                ("data/tickets.csv", &text),
            ]);
            let l = load(&site).map_err(|e| TestCaseError::fail(lines(&e)))?;
            prop_assert_eq!(l.data.tickets.len() + quarantined(&l, "tickets"), rows.len());
        }
    }
}

#[test]
fn parquet_and_csv_take_the_same_number_rules() {
    let site = TestSite::new(&[
        ("site.yaml", &config("tickets.csv", "fail")),
        (
            "data/tickets.csv",
            "id,priority,opened,title\nA,high,2026-11-02 10:00,t\n",
        ),
    ]);
    let csv = "date,user,calls,cost\n2026-11-02,a,1,inf\n2026-11-02,b,2,NaN\n2026-11-02,c,9223372036854775807,1\n";
    site.write("data/api.csv", csv);
    let from_csv = lines(&load(&site).expect_err("non-finite numbers are errors"));
    std::fs::remove_file(site.root().join("data/api.csv")).unwrap();
    write_parquet(
        site.root(),
        "data/api.parquet",
        vec![
            strings("date", &["2026-11-02"; 3]),
            strings("user", &["a", "b", "c"]),
            Column::new("calls".into(), &[1i64, 2, i64::MAX]),
            Column::new("cost".into(), &[f64::INFINITY, f64::NAN, 1.0]),
        ],
    );
    let from_parquet = lines(&load(&site).expect_err("non-finite numbers are errors"));
    for (row, what) in [
        (2, "column cost: value \"inf\": is not a finite number"),
        (3, "column cost: value \"NaN\": is not a finite number"),
        (
            4,
            "column calls: value \"9223372036854775807\": is more than 9,007,199,254,740,991",
        ),
    ] {
        assert!(
            from_csv.contains(&format!("data/api.csv:{row}: error: {what}")),
            "{from_csv}"
        );
        // Parquet rows count from 1 (no header line).
        let line = format!("data/api.parquet:{}: error: {what}", row - 1);
        assert!(from_parquet.contains(&line), "{from_parquet}");
    }
}

#[test]
fn call_counts_that_add_up_past_exact_integers_are_an_error_not_a_rounding() {
    let site = TestSite::new(&[
        ("site.yaml", &config("tickets.csv", "fail")),
        (
            "data/tickets.csv",
            "id,priority,opened,title\nA,high,2026-11-02 10:00,t\n",
        ),
    ]);
    let big = 1i64 << 52;
    let api = |calls: &[i64]| {
        let n = calls.len();
        write_parquet(
            site.root(),
            "data/api.parquet",
            vec![
                strings("date", &vec!["2026-11-02"; n]),
                strings("user", &vec!["a"; n]),
                Column::new("calls".into(), calls),
                Column::new("cost".into(), &vec![0.0f64; n]),
            ],
        )
    };
    // 2^52 + (2^52 - 1) = 2^53 - 1: still exact, and printed as it is.
    api(&[big, big - 1]);
    let out = site.run(&[
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-30T00:00",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("api.calls,9007199254740991,number"),
        "{}",
        stdout(&out)
    );
    // One more call and the total could not be held exactly: the row that overflows is named.
    api(&[big, big - 1, 1, 5]);
    let out = site.run(&["kpi", "--period", "2026-11", "--as-of", "2026-11-30T00:00"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("data/api.parquet:3: error: column calls: value \"1\": the source's calls add up to more than 9,007,199,254,740,991"),
        "{err}"
    );
    assert!(!err.contains("18,446,744,073,709,551,616"), "{err}");
}

#[test]
fn metric_values_whose_sums_would_overflow_are_row_errors() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            &(config("tickets.csv", "fail")
                + "  metrics:\n    - files: data/latency.csv\n      name: latency\n"),
        ),
        (
            "data/tickets.csv",
            "id,priority,opened,title\nA,high,2026-11-02 10:00,t\n",
        ),
        (
            "data/latency.csv",
            "at,value\n2026-11-02 10:00,1e308\n2026-11-02 11:00,1e308\n2026-11-02 12:00,-2.5\n",
        ),
    ]);
    let errors = lines(&load(&site).expect_err("a sum to infinity is an error"));
    assert!(
        errors.contains("data/latency.csv:2: error: column value: value \"1e308\": is too large"),
        "{errors}"
    );
    assert!(!errors.contains("latency.csv:4"), "{errors}");
}

/// The reports fixture with long titles: INC-2 (row 4) breached its response clock.
#[test]
fn a_huge_title_is_cut_for_display_with_one_warning_per_file() {
    let site = TestSite::fixture("reports-site");
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    let huge = "長".repeat(2_000_000);
    let long = "x".repeat(501);
    let tickets = tickets
        .replace("<script>alert(1)</script>", &huge)
        .replace("先週の問い合わせ", &long);
    site.write("data/tickets.csv", &tickets);
    let started = std::time::Instant::now();
    let r = site.build();
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    let page = file(&r, "reports/weekly/2026-W47/index.html");
    assert!(page.len() < 200_000, "the page is {} bytes", page.len());
    let shown = format!("{}…", "長".repeat(500));
    assert!(page.contains(&shown), "the first 500 characters are shown");
    assert!(!page.contains(&"長".repeat(501)));
    let warnings: Vec<String> = messages(&r)
        .into_iter()
        .filter(|m| m.contains("characters"))
        .collect();
    assert_eq!(
        warnings,
        ["data/tickets.csv:2: warning: data.tickets: column title: 2 values are longer than 500 characters (the first on this row); pages show their first 500 characters"],
    );
}

#[test]
fn a_lone_cr_csv_is_read_as_lines_and_a_missing_column_message_stays_short() {
    let tickets = "id,priority,opened,title\rA,high,2026-11-02 10:00,t\rB,low,2026-11-03 10:00,\"two\rlines\"\r";
    let site = TestSite::new(&[
        ("site.yaml", &config("tickets.csv", "fail")),
        ("data/tickets.csv", tickets),
    ]);
    let l = load(&site).unwrap_or_else(|e| panic!("{}", lines(&e)));
    assert_eq!(l.data.tickets.id.iter().collect::<Vec<_>>(), ["A", "B"]);
    assert_eq!(
        l.data.tickets.title[1].as_deref(),
        Some("two\rlines"),
        "quoted CR is text"
    );
    // A mapped column missing from a wide header (here 300 long names): a few are named.
    let header: Vec<String> = (0..300)
        .map(|i| format!("column_{i}_{}", "w".repeat(200)))
        .collect();
    site.write("data/tickets.csv", &format!("{}\n", header.join(",")));
    let errors = load(&site).expect_err("columns are missing");
    let text = lines(&errors);
    assert!(
        text.contains("is not in the file (columns found: column_0_"),
        "{text}"
    );
    assert!(text.contains("and 290 more"), "{text}");
    assert!(errors.iter().all(|d| d.to_string().len() < 1_000), "{text}");
}

#[test]
fn blank_lines_anywhere_in_a_csv_export_are_not_rows_and_every_row_is_accounted_for() {
    // Exports from spreadsheets end with blank lines, CRLF or lone-CR ones; a bad row beside
    // them is still quarantined and the build goes on.
    let bodies = [
        "id,priority,opened,title\nA,high,2026-11-02 10:00,t\n\nB,low,2026-11-03 10:00,u\n\n\n",
        "id,priority,opened,title\r\nA,high,2026-11-02 10:00,t\r\n\r\nB,low,2026-11-03 10:00,u\r\n\r\n",
        "id,priority,opened,title\rA,high,2026-11-02 10:00,t\r\rB,low,2026-11-03 10:00,u\r\r\r",
        "id,priority,opened,title\nA,high,2026-11-02 10:00,t\n   \nB,low,2026-11-03 10:00,u\n\t\n",
    ];
    for body in bodies {
        let with_bad_row = format!("{body}C,low,not a date,v\n\n");
        let site = TestSite::new(&[
            ("site.yaml", &config("tickets.csv", "quarantine")),
            ("data/tickets.csv", &with_bad_row),
        ]);
        let l = load(&site).unwrap_or_else(|e| panic!("{body:?}: {}", lines(&e)));
        assert_eq!(
            l.data.tickets.id.iter().collect::<Vec<_>>(),
            ["A", "B"],
            "{body:?}"
        );
        assert_eq!(rows_in(&l, "tickets"), 3, "{body:?}");
        assert_eq!(quarantined(&l, "tickets"), 1, "{body:?}");
    }
}

mod fuzz;
