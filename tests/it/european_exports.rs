//! Exports from anywhere (issue 66): a European service desk's CSV as it comes (`;` between
//! fields, decimal commas, `dd/mm/yyyy HH:MM:SS`, five priorities, empty rows and empty header
//! cells at the end), read with configuration alone and no quarantine. Its figures are computed
//! again here by Python's own `csv` module, not by opsite.

use crate::support::{said, stderr, TestSite};

const CONFIG: &str = r#"
timezone: Europe/Brussels
data:
  tickets:
    files: data/incidents.csv
    delimiter: ";"
    covers: {from: 2026-08-01}
    timestamp_format: "%d/%m/%Y %H:%M:%S"
    columns: {id: Incident ID, priority: Priority, opened_at: Open Time, resolved_at: Close Time}
    priorities: {"1": critical, "2": high, "3": medium, "4": low, "5": low}
  metrics:
    - name: handling
      files: data/incidents.csv
      delimiter: ";"
      decimal_separator: ","
      timestamp_format: "%d/%m/%Y %H:%M:%S"
      columns: {at: Open Time, value: Handle Hours}
"#;

/// 600 incidents from August to November 2026 (fixed seed), after three migrated ones in May and
/// June (the history's sparse head, which `covers` leaves out), as the desk's tool writes them:
/// times `dd/mm/yyyy HH:MM:SS`, hours with a decimal comma and a point between thousands, two
/// empty header cells at the end of the header line, and 40 rows of empty fields after the data.
fn export() -> String {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut out = String::from("Incident ID;Priority;Open Time;Close Time;Handle Hours;;\r\n");
    // A sparse head: three tickets migrated from the tool before, in May and June.
    for (i, day) in ["04/05/2026", "19/05/2026", "02/06/2026"]
        .iter()
        .enumerate()
    {
        out.push_str(&format!("OLD{i};3;{day} 10:00:00;;1,5;;\r\n"));
    }
    let start = chrono::NaiveDate::from_ymd_opt(2026, 8, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    for i in 0..600 {
        let opened = start + chrono::Duration::minutes(next(120 * 24 * 60) as i64);
        let closed = (next(10) > 0).then(|| opened + chrono::Duration::minutes(next(5000) as i64));
        let hours = next(2_000_000);
        // `1.234,56`: a point groups thousands under a decimal comma.
        let (whole, cents) = (hours / 100, hours % 100);
        let whole = match whole >= 1000 {
            true => format!("{}.{:03}", whole / 1000, whole % 1000),
            false => whole.to_string(),
        };
        out.push_str(&format!(
            "IM{i:05};{};{};{};{whole},{cents:02};;\r\n",
            1 + next(5),
            opened.format("%d/%m/%Y %H:%M:%S"),
            closed.map_or(String::new(), |c| c.format("%d/%m/%Y %H:%M:%S").to_string()),
        ));
    }
    out.push_str(&";;;;;;\r\n".repeat(40));
    out
}

/// Per month `YYYY-MM` of Brussels time: opened, resolved, opened P1, opened P4+P5, the sum and
/// count of handling hours, as Python's `csv` module reads the file.
const PYTHON: &str = r#"
import csv, json, sys
from datetime import datetime
from decimal import Decimal
out = {}
def month(t): return datetime.strptime(t, "%d/%m/%Y %H:%M:%S").strftime("%Y-%m")
def slot(m): return out.setdefault(m, {"opened": 0, "resolved": 0, "p1": 0, "low": 0, "sum": Decimal(0), "count": 0})
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter=";"))
for r in rows[1:]:
    if all(c == "" for c in r): continue
    o = slot(month(r[2]))
    o["opened"] += 1
    o["p1"] += r[1] == "1"
    o["low"] += r[1] in ("4", "5")
    o["sum"] += Decimal(r[4].replace(".", "").replace(",", "."))
    o["count"] += 1
    if r[3]: slot(month(r[3]))["resolved"] += 1
print(json.dumps({m: {**v, "sum": str(v["sum"])} for m, v in out.items()}))
"#;

#[test]
fn a_semicolon_export_with_decimal_commas_reads_with_settings_alone_and_figures_agree() {
    let site = TestSite::new(&[("site.yaml", CONFIG), ("data/incidents.csv", &export())]);
    let py = std::process::Command::new("python3")
        .args(["-c", PYTHON])
        .arg(site.root().join("data/incidents.csv"))
        .output()
        .expect("python3");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let want: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    for month in ["2026-08", "2026-09", "2026-10"] {
        let got = site.kpi_json(month, "2026-12-15T00:00");
        let k = &got["kpis"];
        let w = &want[month];
        assert_eq!(k["tickets.opened"]["value"], w["opened"], "{month} opened");
        assert_eq!(
            k["tickets.resolved"]["value"], w["resolved"],
            "{month} resolved"
        );
        assert_eq!(k["tickets.opened.critical"]["value"], w["p1"], "{month} P1");
        // P4 and P5 share `low` while only four levels exist.
        assert_eq!(k["tickets.opened.low"]["value"], w["low"], "{month} P4+P5");
        assert_eq!(
            k["metric.handling.count"]["value"], w["count"],
            "{month} count"
        );
        let sum = k["metric.handling.sum"]["value"].as_f64().unwrap();
        let want_sum: f64 = w["sum"].as_str().unwrap().parse().unwrap();
        assert!(
            (sum - want_sum).abs() < 1e-6,
            "{month} sum {sum} ≠ {want_sum}"
        );
    }
    // The months before `covers` are no periods of the site.
    let out = site.run(&["kpi", "--period", "2026-06", "--as-of", "2026-12-15T00:00"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    // The 40 empty rows are no rows: nothing quarantined, nothing warned.
    let out = site.run(&["check", "--as-of", "2026-12-15T00:00"]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("0 error(s), 0 warning(s)"),
        "{}",
        said(&out)
    );
}

#[test]
fn without_the_delimiter_the_error_names_the_setting() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            &CONFIG.replace("    delimiter: \";\"\n    covers", "    covers"),
        ),
        ("data/incidents.csv", &export()),
    ]);
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = said(&out);
    assert!(
        err.contains("data/incidents.csv:1:")
            && err.contains("holds `;` between its names")
            && err.contains("delimiter: \";\""),
        "{err}"
    );
}

#[test]
fn a_decimal_comma_read_without_its_setting_is_an_error_at_its_cell() {
    // `9,999722222` is not thousands grouping: never 9,999,722,222.
    let site = TestSite::new(&[
        (
            "site.yaml",
            "timezone: UTC\ndata:\n  tickets: {files: data/t.csv}\n  metrics:\n    - {name: load, files: data/m.csv}\n",
        ),
        ("data/t.csv", "id,priority,opened_at\nA,high,2026-10-01 09:00\n"),
        ("data/m.csv", "at,value\n2026-10-01 10:00,\"1,250\"\n2026-10-01 11:00,\"9,999722222\"\n"),
    ]);
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = said(&out);
    assert!(
        err.contains("data/m.csv:3:")
            && err.contains("does not group thousands")
            && err.contains("decimal_separator"),
        "{err}"
    );
    // With the setting both read as decimals; `1,250` is then 1.25.
    site.edit_config(|c| {
        c.replace(
            "files: data/m.csv}",
            "files: data/m.csv, decimal_separator: \",\"}",
        )
    });
    let k = site.kpi_json("2026-10", "2026-11-01T00:00");
    let sum = k["kpis"]["metric.load.sum"]["value"].as_f64().unwrap();
    assert!((sum - (1.25 + 9.999722222)).abs() < 1e-9, "{sum}");
}

#[test]
fn csv_settings_on_a_parquet_source_are_errors_at_their_line() {
    let site = TestSite::new(&[(
        "site.yaml",
        "data:\n  tickets:\n    files: data/t.parquet\n    delimiter: \";\"\n    decimal_separator: \",\"\n",
    )]);
    let out = site.run(&["check"]);
    let err = said(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("site.yaml:4:") && err.contains("data.tickets.delimiter: is for CSV exports"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:5:") && err.contains("data.tickets.decimal_separator"),
        "{err}"
    );
    // A delimiter opsite does not know is refused at its line too.
    site.edit_config(|_| "data:\n  tickets:\n    files: data/t.csv\n    delimiter: \":\"\n".into());
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    assert!(said(&out).contains("site.yaml:4:"), "{}", said(&out));
}

#[test]
fn a_comma_in_a_number_of_a_semicolon_export_needs_the_decimal_setting() {
    // `1,500` in a file separated by `;` may be 1500 or 1.5: opsite does not guess.
    let config = "timezone: UTC\ndata:\n  tickets: {files: data/t.csv}\n  metrics:\n    - {name: load, files: data/m.csv, delimiter: \";\"}\n";
    let site = TestSite::new(&[
        ("site.yaml", config),
        (
            "data/t.csv",
            "id,priority,opened_at\nA,high,2026-10-01 09:00\n",
        ),
        (
            "data/m.csv",
            "at;value\n2026-10-01 10:00;1,500\n\"\";\"\"\n2026-10-01 11:00;2;;;\n",
        ),
    ]);
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    assert!(
        said(&out).contains("data/m.csv:2:")
            && said(&out).contains("set the source's `decimal_separator`"),
        "{}",
        said(&out)
    );
    let sum = |site: &TestSite| {
        site.kpi_json("2026-10", "2026-11-01T00:00")["kpis"]["metric.load.sum"]["value"]
            .as_f64()
            .unwrap()
    };
    // Said either way, it reads; a row of quoted empty fields is no row, and empty fields
    // padding a row past the header's end are no cells.
    site.edit_config(|c| {
        c.replace(
            "delimiter: \";\"}",
            "delimiter: \";\", decimal_separator: \".\"}",
        )
    });
    assert_eq!(sum(&site), 1502.0);
    site.edit_config(|c| c.replace("decimal_separator: \".\"", "decimal_separator: \",\""));
    assert_eq!(sum(&site), 3.5);
}

#[test]
fn csv_settings_are_refused_for_a_parquet_file_a_wider_glob_matches() {
    use polars::prelude::Column;
    let site = TestSite::new(&[(
        "site.yaml",
        "timezone: UTC\ndata:\n  tickets: {files: data/t.csv}\n  metrics:\n    - {name: lat, files: data/m.*, delimiter: \";\", decimal_separator: \",\"}\n",
    ), ("data/t.csv", "id,priority,opened_at\nA,high,2026-10-01 09:00\n")]);
    crate::hostile_data::write_parquet(
        site.root(),
        "data/m.parquet",
        vec![
            Column::new("at".into(), &["2026-10-01 10:00"]),
            Column::new("value".into(), &[1.5f64]),
        ],
    );
    let out = site.run(&["check"]);
    assert!(!out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("data/m.parquet") && said(&out).contains("for CSV exports"),
        "{}",
        said(&out)
    );
}

#[test]
fn a_quarantine_cannot_hide_a_setting_that_misreads_a_column() {
    // Priority 5 left out of `priorities`: a fifth of the rows would be set aside quietly.
    let mut tickets = String::from("id,priority,opened_at\n");
    for i in 0..200 {
        tickets.push_str(&format!(
            "T{i},{},2026-10-{:02} 09:00\n",
            1 + i % 5,
            1 + i % 28
        ));
    }
    let config = "timezone: UTC\ndata:\n  tickets:\n    files: data/t.csv\n    on_error: quarantine\n    priorities: {\"1\": critical, \"2\": high, \"3\": medium, \"4\": low}\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/t.csv", &tickets)]);
    let out = site.run(&["check"]);
    assert!(!out.status.success(), "{}", said(&out));
    let text = said(&out);
    assert!(
        text.contains("site.yaml:5:")
            && text.contains("40 of 200 row(s) quarantined (20.0 %), more than max_quarantined 1%")
            && text.contains("the most common reason (40 row(s)): column priority")
            && text.contains("(e.g. \"5\" at data/t.csv:6)"),
        "{text}"
    );
    // Raised on purpose, the quarantine is a warning with its count.
    site.edit_config(|c| {
        c.replace(
            "    on_error: quarantine\n",
            "    on_error: quarantine\n    max_quarantined: 50\n",
        )
    });
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("warning: data.tickets: 40 of 200 row(s) quarantined (20.0 %) into .opsite/rejects/tickets.csv"), "{}", said(&out));
    // A limit that is neither a count nor a percentage is an error at its line.
    site.edit_config(|c| c.replace("max_quarantined: 50", "max_quarantined: lots"));
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    assert!(
        said(&out).contains("site.yaml:6:") && said(&out).contains("max_quarantined: `lots`"),
        "{}",
        said(&out)
    );
}

/// Rows set aside for one reason with different values: the warning states the reason once and
/// gives one row's value as an example, not as every row's.
#[test]
fn a_quarantine_of_different_values_gives_one_as_an_example_of_the_reason() {
    let tickets = "id,priority,opened_at\nT1,high,2026-10-01 09:00\nT2,high,昨日\nT3,high,2026-13-45 09:00\nT4,high,soon\nT5,high,2026-10-02 09:00\n";
    let config = "timezone: UTC\ndata:\n  tickets:\n    files: data/t.csv\n    on_error: quarantine\n    max_quarantined: 3\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/t.csv", tickets)]);
    let out = site.run(&["check"]);
    let text = said(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("3 of 5 row(s) quarantined")
            && text.contains(
                "the most common reason (3 row(s)): column opened_at: is not a timestamp"
            )
            && text.contains("(e.g. \"昨日\" at data/t.csv:3)"),
        "{text}"
    );
}

/// Two tickets in June, one in July (migrated from an older tool), then 60 a month.
fn sparse_history() -> String {
    let mut out = String::from("id,priority,opened_at,resolved_at\n");
    for (i, day) in ["2026-06-03", "2026-06-20", "2026-07-15"]
        .iter()
        .enumerate()
    {
        // The July one is still open: it stays in the backlog.
        let resolved = if i == 2 {
            String::new()
        } else {
            format!("{day} 12:00")
        };
        out.push_str(&format!("OLD{i},high,{day} 09:00,{resolved}\n"));
    }
    for m in 8..=10 {
        for i in 0..60 {
            out.push_str(&format!(
                "T{m}-{i},high,2026-{m:02}-{:02} 09:00,2026-{m:02}-{:02} 10:00\n",
                1 + i % 28,
                1 + i % 28
            ));
        }
    }
    out
}

#[test]
fn covers_starts_the_sites_periods_where_the_data_does_and_check_suggests_it() {
    let config = "timezone: UTC\ndata:\n  tickets:\n    files: data/t.csv\nsla:\n  resolution:\n    high: {within: 4h}\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/t.csv", &sparse_history())]);
    let out = site.run(&["check", "--as-of", "2026-11-01T00:00"]);
    let text = said(&out);
    assert!(
        text.contains("site.yaml:3:")
            && text.contains(
                "data.tickets: 2026-06 to 2026-07 hold(s) under 5 % of a typical month's tickets"
            )
            && text.contains("set `covers: {from: 2026-08-01}`"),
        "{text}"
    );
    site.edit_config(|c| {
        c.replace(
            "    files: data/t.csv\n",
            "    files: data/t.csv\n    covers: {from: 2026-08-01}\n",
        )
    });
    let out = site.run(&["check", "--as-of", "2026-11-01T00:00"]);
    assert!(!said(&out).contains("under 5 %"), "{}", said(&out));
    // A `from` after every ticket would leave a site of empty indexes: said, not silent.
    let late = TestSite::new(&[
        (
            "site.yaml",
            &config.replace(
                "    files: data/t.csv\n",
                "    files: data/t.csv\n    covers: {from: 2030-01-01}\n",
            ),
        ),
        ("data/t.csv", &sparse_history()),
    ]);
    let out = late.run(&["check", "--as-of", "2026-11-01T00:00"]);
    assert!(
        said(&out).contains("site.yaml:5:")
            && said(&out).contains("data.tickets.covers.from 2030-01-01 is after the last ticket of the export (opened 2026-10-28)"),
        "{}",
        said(&out)
    );
    // No period before August, in `--period all` or asked for by name.
    let out = site.run(&[
        "kpi",
        "--period",
        "all",
        "--as-of",
        "2026-11-01T00:00",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let periods: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["period"].as_str().unwrap())
        .collect();
    assert!(
        periods.contains(&"2026-08")
            && !periods.contains(&"2026-07")
            && !periods.contains(&"2026-06"),
        "{periods:?}"
    );
    let out = site.run(&["kpi", "--period", "2026-07", "--as-of", "2026-11-01T00:00"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("ends before data.tickets.covers.from (2026-08-01)"),
        "{}",
        stderr(&out)
    );
    // A document for such a period says where the site's periods start.
    let out = site.run(&[
        "pdf",
        "monthly",
        "--period",
        "2026-07",
        "--as-of",
        "2026-11-01T00:00",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(
            "the site's monthly reports start at 2026-08 (data.tickets.covers.from is 2026-08-01)"
        ),
        "{}",
        stderr(&out)
    );
    // July's open ticket is still in August's backlog.
    let aug = site.kpi_json("2026-08", "2026-11-01T00:00");
    assert_eq!(
        aug["kpis"]["tickets.backlog"]["value"], 1,
        "{}",
        aug["kpis"]["tickets.backlog"]
    );
    // The built site has no July page, and August is compared with nothing.
    let out = site.run(&["build", "--as-of", "2026-11-01T00:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.root().join("output/reports/monthly/2026-07").exists());
    let aug = std::fs::read_to_string(
        site.root()
            .join("output/reports/monthly/2026-08/index.html"),
    )
    .unwrap();
    assert!(
        !aug.contains("+60") && !aug.contains("+59"),
        "no change against an uncovered July"
    );
}

/// A ticket dated in the future (a typo: 2099 for 2026) counts in no report: the build and
/// `check` say so, naming it, instead of leaving it out without a word.
#[test]
fn a_ticket_dated_in_the_future_is_named_by_build_and_check() {
    let tickets = "id,priority,opened_at\nT1,high,2026-10-01 09:00\nT-TYPO,high,2099-10-02 09:00\nT3,high,2026-10-03 09:00\n";
    let config = "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/t.csv\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/t.csv", tickets)]);
    for command in ["check", "build"] {
        let out = site.run(&[command, "--as-of", "2026-10-20T09:00"]);
        let text = said(&out);
        assert!(out.status.success(), "{text}");
        assert!(
            text.contains("site.yaml:3:")
                && text.contains("data.tickets: 1 ticket(s) opened in the future, the first T-TYPO at 2099-10-02 09:00"),
            "{command}: {text}"
        );
    }
    // A clock set in the past (an old report printed again) is no reason to warn of later ones.
    site.write(
        "data/t.csv",
        "id,priority,opened_at\nT1,high,2026-10-01 09:00\nT3,high,2026-10-03 09:00\n",
    );
    let out = site.run(&["check", "--as-of", "2026-10-02T09:00"]);
    assert!(!said(&out).contains("in the future"), "{}", said(&out));
}
