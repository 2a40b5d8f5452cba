//! KPI inputs as real teams have them: quiet months, linked exports, targets written as
//! percentages, typos in ids, lunch breaks, Excel-bound CSV and Japanese names in the table.
//! Expected figures are worked out by hand beside each case.

use crate::kpi::{CONFIG, DOWNTIME, EVENTS, HEADER, SURVEYS};
use crate::support::{stderr, stdout, TestSite};

fn run(site: &TestSite, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["kpi", "--period", "2026-11", "--as-of", "2026-11-30T00:00"];
    args.extend_from_slice(extra);
    site.run(&args)
}

fn site_with(config: &str, tickets: &[(&str, &str)]) -> TestSite {
    let mut files = vec![
        ("site.yaml", config),
        ("data/events.csv", EVENTS),
        ("data/downtime.csv", DOWNTIME),
        ("data/surveys.csv", SURVEYS),
    ];
    files.extend_from_slice(tickets);
    TestSite::new(&files)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_quiet_month_with_only_a_header_is_zero_rows_and_an_empty_file_is_skipped() {
    let config = CONFIG.replace("files: data/tickets.csv", "files: data/tickets/*.csv");
    let busy = format!("{HEADER}A,high,2026-11-02 10:00,,,,\nB,low,2026-11-03 10:00,,,,\n");
    let site = site_with(
        &config,
        &[
            ("data/tickets/2026-11.csv", &busy),
            ("data/tickets/2026-12.csv", HEADER),
            ("data/tickets/2027-01.csv", ""),
        ],
    );
    let out = run(&site, &["--format", "json"]);
    let err = stderr(&out);
    let r = json(&out);
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 2);
    assert!(
        err.contains("data/tickets/2027-01.csv: warning: data.tickets: the file is empty (0 rows, no header); skipped"),
        "{err}"
    );
    assert!(
        !err.contains("2026-12.csv"),
        "a header-only file is normal: {err}"
    );
}

#[test]
fn an_export_with_a_header_and_no_rows_at_all_is_warned_about() {
    // An export cut short: every period would be reported as a quiet one.
    let site = site_with(CONFIG, &[("data/tickets.csv", HEADER)]);
    let out = run(&site, &["--format", "json"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: data.tickets: its files have a header and no rows: every period is reported as having none"),
        "{err}"
    );
}

#[test]
fn a_column_opsite_reads_named_twice_in_the_header_is_an_error_and_another_repeated_one_is_not() {
    let first = HEADER.split(',').next().unwrap();
    // The id column written again at the end: which one holds the ids cannot be told.
    let repeated = format!(
        "{},{first}\nA,high,2026-11-02 10:00,,,,,B\n",
        HEADER.trim_end()
    );
    let out = run(&site_with(CONFIG, &[("data/tickets.csv", &repeated)]), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let columns = HEADER.trim_end().split(',').count() + 1;
    assert!(
        err.contains(&format!("data/tickets.csv:1: error: data.tickets: the header names column `{first}` twice (columns 1 and {columns})")),
        "{err}"
    );
    // A column opsite does not read may repeat (a spreadsheet's `memo,memo`).
    let unread = format!(
        "{},memo,memo\nA,high,2026-11-02 10:00,,,,,x,y\n",
        HEADER.trim_end()
    );
    let out = run(
        &site_with(CONFIG, &[("data/tickets.csv", &unread)]),
        &["--format", "json"],
    );
    assert_eq!(json(&out)["kpis"]["tickets.opened"]["value"], 1);
}

#[test]
fn a_column_site_yaml_maps_wrongly_names_the_setting_and_the_japanese_column_meant() {
    let config = CONFIG.replace("priority: priority", "priority: 優先順位");
    let tickets = HEADER.replace("priority", "優先度") + "A,high,2026-11-02 10:00,,,,\n";
    let err = stderr(&run(
        &site_with(&config, &[("data/tickets.csv", &tickets)]),
        &[],
    ));
    assert!(
        err.contains("field `priority` is mapped by site.yaml's data.tickets.columns.priority to column `優先順位`, which is not in the file (did you mean `優先度`?)"),
        "{err}"
    );
}

#[test]
fn a_mistake_at_a_line_of_an_export_is_said_at_file_and_line() {
    // A quote never closed on line 3; Shift_JIS bytes in a file read as UTF-8 on line 2.
    let unclosed = format!("{HEADER}A,high,2026-11-02 10:00,,,,\nB,high,\"2026-11-03 10:00,,,,\n");
    let out = run(&site_with(CONFIG, &[("data/tickets.csv", &unclosed)]), &[]);
    let err = stderr(&out);
    assert!(
        err.contains("data/tickets.csv:3: error: data.tickets: a quoted field in the row starting here is never closed"),
        "{err}"
    );
    // A stray quote closed by another three lines on: the lines between are one row.
    let stray = format!("{HEADER}A,\"high,2026-11-02 10:00,,,,\nB,high,2026-11-03 10:00,,,,\nC,low,2026-11-03 11:00,,,,\nD,high\",2026-11-04 10:00,,,,\n");
    let err = stderr(&run(
        &site_with(CONFIG, &[("data/tickets.csv", &stray)]),
        &[],
    ));
    assert!(
        err.contains("data/tickets.csv:2: error: column priority: value")
            && err.contains("a quoted field takes lines 2 to 5 as one row: is a `\"` on line 2 without its pair?"),
        "{err}"
    );
    let mut sjis = HEADER.as_bytes().to_vec();
    sjis.extend_from_slice(
        &encoding_rs::SHIFT_JIS
            .encode("障害,high,2026-11-02 10:00,,,,\n")
            .0,
    );
    let site = site_with(CONFIG, &[]);
    std::fs::write(site.root().join("data/tickets.csv"), &sjis).unwrap();
    let err = stderr(&run(&site, &[]));
    assert!(
        err.contains(
            "data/tickets.csv:2: error: data.tickets: not valid UTF-8 (set `encoding: shift_jis`"
        ),
        "{err}"
    );
}

#[test]
fn a_glob_matching_nothing_is_an_error_unless_the_source_is_optional() {
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,,\n");
    let config = CONFIG.replace("files: data/surveys.csv", "files: data/surveys/*.csv");
    let site = site_with(&config, &[("data/tickets.csv", &tickets)]);
    let out = run(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("data.surveys: no file matches `data/surveys/*.csv` (add `optional: true`"),
        "{}",
        stderr(&out)
    );
    let optional = config.replace(
        "files: data/surveys/*.csv",
        "files: data/surveys/*.csv\n    optional: true",
    );
    site.write("site.yaml", &optional);
    let r = json(&run(&site, &["--format", "json"]));
    // No survey export: the responses are a gap, not 0.
    assert_eq!(
        r["kpis"]["survey.responses"]["value"],
        serde_json::Value::Null
    );
    assert_eq!(r["kpis"]["csat.mean"]["value"], serde_json::Value::Null);
}

#[test]
fn exports_linked_in_from_a_shared_mount_are_read() {
    use std::os::unix::fs::symlink;
    let share = tempfile::tempdir().unwrap();
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,,\n");
    std::fs::write(share.path().join("incident_event_log.csv"), &tickets).unwrap();
    std::fs::create_dir(share.path().join("monthly")).unwrap();
    std::fs::write(
        share.path().join("monthly/2026-11.csv"),
        &tickets.replace("A,", "B,"),
    )
    .unwrap();
    let site = site_with(CONFIG, &[]);
    symlink(
        share.path().join("incident_event_log.csv"),
        site.root().join("data/tickets.csv"),
    )
    .unwrap();
    let r = json(&run(&site, &["--format", "json"]));
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 1, "a linked file");
    symlink(
        share.path().join("monthly"),
        site.root().join("data/monthly"),
    )
    .unwrap();
    site.write(
        "site.yaml",
        &CONFIG.replace(
            "files: data/tickets.csv",
            "files: [data/tickets.csv, data/monthly/*.csv]",
        ),
    );
    let r = json(&run(&site, &["--format", "json"]));
    assert_eq!(
        r["kpis"]["tickets.opened"]["value"], 2,
        "and a linked folder"
    );
}

/// A calendar with a lunch break; high tickets answer within 1 h and resolve within 1bd on it.
const LUNCH: &str = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
    columns: {id: id, priority: priority, opened_at: opened, responded_at: responded, resolved_at: resolved}
calendars:
  office:
    hours:
      mon: "09:00-12:00,13:00-18:00"
      tue: "09:00-12:00,13:00-18:00"
      wed: "09:00-12:00,13:00-18:00"
      thu: ["09:00-12:00", "13:00-18:00"]
      fri: ["09:00-12:00", "13:00-18:00"]
    holidays: japan
sla:
  response:
    high: {within: 1h, calendar: office}
  resolution:
    high: {within: 1bd, calendar: office}
availability:
  services: [portal]
indicators:
  - {id: fix, name: 解決, kpi: sla.resolution.high, target: ">= 50%", alert: "< 25%"}
  - {id: up, name: 稼働率, kpi: availability.portal, target: ">= 99.9%"}
"#;

#[test]
fn lunch_breaks_stop_clocks_and_percent_targets_follow_the_kpi_unit() {
    // Both tickets open Thu 11-19 11:30.
    // Response 1 h: 30 min before lunch, 30 min after → 13:30. A answers 13:20 (met; a 24x7
    // clock would have breached at 12:30), B answers 13:31 (breached).
    // Resolution 1bd = 8 h (the usual day with its break): Thu 11:30–12:00 (0.5 h) and
    // 13:00–18:00 (5 h), Fri 09:00–11:30 (2.5 h) → deadline Fri 11-20 11:30. Resolved at 15:00
    // and 15:01, both are breached; a 9 h day without the break would have allowed 13:30.
    let tickets = "id,priority,opened,responded,resolved
A,high,2026-11-19 11:30,2026-11-19 13:20,2026-11-20 15:00
B,high,2026-11-19 11:30,2026-11-19 13:31,2026-11-20 15:01
";
    let site = TestSite::new(&[("site.yaml", LUNCH), ("data/tickets.csv", tickets)]);
    let r = json(&run(&site, &["--format", "json"]));
    let k = &r["kpis"];
    assert_eq!(
        (
            k["sla.response.high"]["met"].clone(),
            k["sla.response.high"]["breached"].clone()
        ),
        (1.into(), 1.into())
    );
    assert_eq!(
        k["sla.resolution.high"]["breached"], 2,
        "both resolved after Fri 11:30"
    );
    let ind = &r["indicators"];
    assert_eq!(ind[0]["status"], "breached", "0 % < 25 %");
    assert_eq!(ind[0]["unit"], "ratio");
    assert_eq!(ind[1]["status"], "met", "no outages: 100 % >= 99.9 %");

    // Resolved within the morning instead: A at 11:30 (met), B at 11:31.
    let tickets = tickets
        .replace("2026-11-20 15:00", "2026-11-20 11:30")
        .replace("2026-11-20 15:01", "2026-11-20 11:31");
    site.write("data/tickets.csv", &tickets);
    let r = json(&run(&site, &["--format", "json"]));
    assert_eq!(r["kpis"]["sla.resolution.high"]["value"], 0.5);
    assert_eq!(r["indicators"][0]["status"], "met", "50 % >= 50 %");
}

#[test]
fn indicator_mistakes_are_all_reported_at_their_lines_with_close_ids() {
    let config = LUNCH.replace(
        "  - {id: up, name: 稼働率, kpi: availability.portal, target: \">= 99.9%\"}",
        "  - {id: up, name: 稼働率, kpi: availability.portl, target: \">= 99.9%\"}\n  - {id: resp, kpi: sla.response.high, target: \">= 95\"}\n  - {id: low, kpi: sla.response.low, target: \">= 95%\"}",
    );
    let tickets = "id,priority,opened,responded,resolved\nA,high,2026-11-19 11:30,,\n";
    let site = TestSite::new(&[("site.yaml", &config), ("data/tickets.csv", tickets)]);
    let out = run(&site, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    let line_of = |needle: &str| config.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        err.contains(&format!("site.yaml:{}:", line_of("availability.portl")))
            && err.contains("indicator `up`: no KPI `availability.portl` in this data (did you mean `availability.portal`?)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("site.yaml:{}:", line_of("id: resp")))
            && err
                .contains("`>= 95`: this KPI is a ratio from 0 to 1; write `>= 95%` or `>= 0.95`"),
        "{err}"
    );
    assert!(
        err.contains(
            "`sla.response.low` needs a target: add `low: {within: …}` under sla.response"
        ),
        "{err}"
    );
    assert!(
        err.ends_with("kpi: 3 error(s) in site.yaml; nothing computed\n"),
        "{err}"
    );
    assert!(!err.contains("in the data"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn calendar_mistakes_point_at_their_own_line() {
    let config = LUNCH.replace(
        "wed: \"09:00-12:00,13:00-18:00\"",
        "wed: \"09:00-13:00,12:00-18:00\"",
    );
    let site = TestSite::new(&[
        ("site.yaml", &config),
        (
            "data/tickets.csv",
            "id,priority,opened,responded,resolved\n",
        ),
    ]);
    let err = stderr(&run(&site, &[]));
    let line = config.lines().position(|l| l.contains("wed:")).unwrap() + 1;
    assert!(
        err.starts_with(&format!("site.yaml:{line}:7: error: calendars.office.hours.wed: ranges overlap (09:00-13:00 and 12:00-18:00)")),
        "{err}"
    );
}

#[test]
fn csv_for_excel_in_shift_jis_or_with_a_bom() {
    let config = CONFIG.replace("tier: tier}", "tier: tier}\n    null_values: [\"-\"]");
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,ネットワーク障害,L1 サービスデスク\n");
    let site = site_with(&config, &[("data/tickets.csv", &tickets)]);
    let out = run(&site, &["--format", "csv", "--encoding", "shift_jis"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&out.stdout);
    assert!(!bad);
    assert!(
        text.contains("2026-11,tickets.category.ネットワーク障害,1,count,,,\n"),
        "{text}"
    );
    let out = run(&site, &["--format", "csv", "--encoding", "utf-8-bom"]);
    assert!(out.stdout.starts_with(b"\xef\xbb\xbfperiod,kpi,value"));
    // A character Shift_JIS has no code for is named, and nothing is written.
    site.write(
        "data/tickets.csv",
        &tickets.replace("ネットワーク障害", "🔥障害"),
    );
    let out = run(&site, &["--format", "csv", "--encoding", "shift_jis"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Shift_JIS cannot hold: 🔥"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_table_lines_up_japanese_names_and_formats_each_unit_once() {
    let tickets = format!(
        "{HEADER}A,high,2026-11-02 10:00,2026-11-02 10:30,2026-11-02 12:00,ネットワーク障害,L1\nB,high,2026-11-03 10:00,,,DB,L1\n"
    );
    let site = site_with(CONFIG, &[("data/tickets.csv", &tickets)]);
    let out = run(&site, &[]);
    let table = stdout(&out);
    let width = |l: &str| unicode_width::UnicodeWidthStr::width(l);
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("{id}: {table}"))
    };
    let a = line("tickets.category.ネットワーク障害");
    let b = line("tickets.category.DB");
    let end_of_value = |l: &str| width(&l[..l.find(" count").unwrap()]);
    assert_eq!(
        end_of_value(a),
        end_of_value(b),
        "values end in the same column:\n{a}\n{b}"
    );
    // One format per unit: ratio as % with 1 decimal, minutes whole, percent with 2.
    // A answered after 30 min (met, target 2 h); B never answered: breached at 12:00 → 50 %.
    assert!(
        line("sla.response.high").contains(" 50.0 % ratio"),
        "{table}"
    );
    assert!(line("mtta.minutes").contains(" 30 minutes"), "{table}");
    assert!(
        line("availability.portal").contains(" 100.00 % percent"),
        "{table}"
    );
}

#[test]
fn far_away_periods_and_cut_offs_are_errors_not_crashes() {
    let site = site_with(
        CONFIG,
        &[(
            "data/tickets.csv",
            &format!("{HEADER}A,high,2026-11-02 10:00,,,,\n"),
        )],
    );
    for (args, message) in [
        (
            vec!["kpi", "--period", "262142-12"],
            "--period `262142-12`: periods cover years 1970 to 2100",
        ),
        (
            vec!["kpi", "--period", "2026-11", "--as-of", "9999-01-01T00:00"],
            "opsite works with years 1970 to 2100",
        ),
        (vec!["kpi", "--period", "2026-W54"], "2026 has 53 ISO weeks"),
    ] {
        let out = site.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
    site.write(
        "data/tickets.csv",
        &format!("{HEADER}A,high,20266-11-02 10:00,,,,\n"),
    );
    let err = stderr(&run(&site, &[]));
    assert!(err.contains("data/tickets.csv:2: error: column opened: value \"20266-11-02 10:00\": is not a timestamp"), "{err}");
}

#[test]
fn a_metrics_glob_that_matches_nothing_names_its_line() {
    let config = CONFIG.replacen(
        "calendars:\n",
        "  metrics:\n    - {name: latency, files: \"data/metrics/**/*.parquet\"}\ncalendars:\n",
        1,
    );
    let line = config
        .lines()
        .position(|l| l.contains("name: latency"))
        .unwrap()
        + 1;
    let site = site_with(
        &config,
        &[(
            "data/tickets.csv",
            &format!("{HEADER}A,high,2026-11-02 10:00,,,,\n"),
        )],
    );
    let out = run(&site, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains(&format!("site.yaml:{line}:"))
            && err.contains("data.metrics.latency: no file matches `data/metrics/**/*.parquet`"),
        "{err}"
    );
}

#[test]
fn mistakes_found_in_a_trial_are_named() {
    // A first response before the ticket was opened is a row error, not a negative MTTA.
    let site = site_with(
        CONFIG,
        &[(
            "data/tickets.csv",
            &format!("{HEADER}A,high,2026-11-02 10:00,2026-11-02 09:00,,,\n"),
        )],
    );
    let err = stderr(&run(&site, &[]));
    assert!(err.contains("data/tickets.csv:2: error: column responded: value \"2026-11-02 09:00\": responded_at is before opened_at"), "{err}");
    // A cut-off before the period starts would report the period's start as of another day.
    site.write(
        "data/tickets.csv",
        &format!("{HEADER}A,high,2026-11-02 10:00,,,,\n"),
    );
    let out = site.run(&["kpi", "--period", "2026-11", "--as-of", "2026-08-01T00:00"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("2026-11 starts later"),
        "{}",
        stderr(&out)
    );
    // RFC 3339 without seconds is how people write it.
    assert!(site
        .run(&[
            "kpi",
            "--period",
            "2026-11",
            "--as-of",
            "2026-11-15T12:00+09:00"
        ])
        .status
        .success());
    let out = site.run(&["kpi", "--period", "ALL", "--encoding", "shift_jis"]);
    assert!(
        stderr(&out).contains("--encoding applies to --format csv only"),
        "{}",
        stderr(&out)
    );
    // A linked export whose target is gone (a share not mounted) stops the run.
    std::os::unix::fs::symlink(
        "/mnt/absent/tickets.csv",
        site.root().join("data/tickets-2.csv"),
    )
    .unwrap();
    site.write(
        "site.yaml",
        &CONFIG.replace("files: data/tickets.csv", "files: data/tickets*.csv"),
    );
    let err = stderr(&run(&site, &[]));
    assert!(
        err.contains(
            "`data/tickets-2.csv` is a broken symbolic link (it points to /mnt/absent/tickets.csv"
        ),
        "{err}"
    );
}

#[test]
fn every_kpi_configuration_mistake_is_reported_in_one_run() {
    let config = LUNCH
        .replace(
            "high: {within: 1h, calendar: office}",
            "hihg: {within: 1h, calendar: office}",
        )
        .replace(
            "high: {within: 1bd, calendar: office}",
            "high: {within: 1bd, calendar: ofice}",
        )
        .replace(
            "wed: \"09:00-12:00,13:00-18:00\"",
            "wed: \"09:00-13:00,12:00-18:00\"",
        );
    let site = TestSite::new(&[
        ("site.yaml", &config),
        (
            "data/tickets.csv",
            "id,priority,opened,responded,resolved\n",
        ),
    ]);
    let err = stderr(&run(&site, &[]));
    assert!(
        err.contains("calendars.office.hours.wed: ranges overlap"),
        "{err}"
    );
    assert!(
        err.contains("sla.response.hihg: `hihg` is not a priority (did you mean `high`? critical, high, medium, low)"),
        "{err}"
    );
    assert!(err.contains("sla.resolution.high.calendar: no calendar `ofice` under calendars (did you mean `office`?)"), "{err}");
    assert!(
        err.ends_with("kpi: 3 error(s) in site.yaml; nothing computed\n"),
        "{err}"
    );
}

/// A tickets export as Parquet: ten rows, text cells as a team's export tool writes them.
fn write_parquet_tickets(site: &TestSite, ids: &[&str], priorities: &[&str]) {
    use polars::prelude::*;
    let n = ids.len();
    let opened: Vec<String> = (0..n)
        .map(|i| format!("2026-11-{:02} 10:00", i + 2))
        .collect();
    let resolved: Vec<Option<String>> = (0..n)
        .map(|i| (i % 2 == 0).then(|| format!("2026-11-{:02} 15:00", i + 2)))
        .collect();
    let none = vec![None::<String>; n];
    let mut df = DataFrame::new(
        n,
        vec![
            Column::new("id".into(), ids),
            Column::new("priority".into(), priorities),
            Column::new("opened".into(), opened),
            Column::new("responded".into(), none.clone()),
            Column::new("resolved".into(), resolved),
            Column::new("category".into(), vec!["network"; n]),
            Column::new("tier".into(), none),
        ],
    )
    .unwrap();
    let file = std::fs::File::create(site.root().join("data/tickets.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
}

#[test]
fn a_parquet_export_read_in_parts_gives_what_one_read_gives() {
    // Big Parquet files are read a part at a time (a million rows by default); three rows a
    // part here. Messages must name the file's own row numbers, repeated ids must be found
    // across parts, and the figures and the file's row count must not depend on the parts.
    let config = CONFIG.replace("files: data/tickets.csv", "files: data/tickets.parquet");
    let site = site_with(&config, &[]);
    let mut ids = vec!["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T2", "T10"];
    let mut priorities = vec!["high"; 10];
    priorities[6] = "bogus";
    write_parquet_tickets(&site, &ids, &priorities);
    let in_parts = |args: &[&str]| {
        let mut all = vec!["kpi", "--period", "2026-11", "--as-of", "2026-11-30T00:00"];
        all.extend_from_slice(args);
        std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(&all)
            .current_dir(site.root())
            .env("OPSITE_PARQUET_PART_ROWS", "3")
            .output()
            .unwrap()
    };
    let (whole, parts) = (run(&site, &[]), in_parts(&[]));
    let err = stderr(&parts);
    assert_eq!(parts.status.code(), Some(1), "{err}");
    assert_eq!(err, stderr(&whole));
    assert!(
        err.contains("data/tickets.parquet:7: error: column priority: value \"bogus\""),
        "{err}"
    );
    assert!(
        err.contains("data/tickets.parquet:2: error:")
            && err.contains("\"T2\"")
            && err.contains("9"),
        "the repeated id is found across parts: {err}"
    );

    ids[8] = "T9";
    write_parquet_tickets(&site, &ids, &priorities);
    site.edit_config(|c| {
        c.replacen(
            "    files: data/tickets.parquet\n",
            "    files: data/tickets.parquet\n    on_error: quarantine\n    max_quarantined: 100%\n",
            1,
        )
    });
    let (whole, parts) = (
        run(&site, &["--format", "json"]),
        in_parts(&["--format", "json"]),
    );
    assert_eq!(json(&parts), json(&whole));
    assert_eq!(json(&parts)["kpis"]["tickets.opened"]["value"], 9);
    let rejects = std::fs::read_to_string(site.root().join(".opsite/rejects/tickets.csv")).unwrap();
    assert!(rejects.contains("data/tickets.parquet,7,"), "{rejects}");
    // The file read in four parts is one file of ten rows in what the run records.
    let freeze = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["freeze", "2026-W45", "--as-of", "2026-11-09T09:00"])
        .current_dir(site.root())
        .env("OPSITE_PARQUET_PART_ROWS", "3")
        .output()
        .unwrap();
    assert!(freeze.status.success(), "{}", stderr(&freeze));
    let snapshot =
        std::fs::read_to_string(site.root().join("data/snapshots/2026-W45.yaml")).unwrap();
    assert_eq!(
        snapshot.matches("file: data/tickets.parquet").count(),
        1,
        "{snapshot}"
    );
    assert!(snapshot.contains("rows: 10"), "{snapshot}");
}

/// One folder of exports, one saved as Shift_JIS and one as UTF-8 (two systems, or Excel's "CSV"
/// beside its "CSV UTF-8"), with `encoding: shift_jis`: each read as it is, both counted.
#[test]
fn a_folder_of_shift_jis_and_utf8_exports_reads_each_as_it_is() {
    let config = CONFIG.replace(
        "files: data/tickets.csv",
        "files: data/tickets/*.csv\n    encoding: shift_jis",
    );
    let site = site_with(&config, &[]);
    let row = |id: &str| format!("{HEADER}{id},high,2026-11-02 10:00,,,ネットワーク障害,L1\n");
    let sjis = encoding_rs::SHIFT_JIS.encode(&row("A")).0.into_owned();
    std::fs::create_dir_all(site.root().join("data/tickets")).unwrap();
    std::fs::write(site.root().join("data/tickets/a-sjis.csv"), sjis).unwrap();
    std::fs::write(site.root().join("data/tickets/b-utf8.csv"), row("B")).unwrap();
    let out = run(&site, &["--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2026-11,tickets.category.ネットワーク障害,2,count"),
        "{}",
        stdout(&out)
    );
}
