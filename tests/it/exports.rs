//! Real exports as they come: ServiceNow event logs with several rows in one minute, Excel's
//! slash dates, fallback columns, files kept outside the site (the products' own CSV layouts are
//! in `presets.rs`). Every expected
//! figure is worked out by hand in the comment beside it.

use crate::support::{stderr, TestSite};

/// A critical ticket with a 4 h resolution clock, and its status history.
const PAUSE_CONFIG: &str = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  ticket_events:
    files: data/events.csv
sla:
  pause_statuses: ["Awaiting User Info"]
  resolution:
    critical: {within: 4h}
"#;

/// Opened 09:00, resolved 14:30: 5 h 30 on the clock unless it was paused.
const ONE_TICKET: &str =
    "id,priority,opened_at,resolved_at\nINC1,critical,2026-11-02 09:00,2026-11-02 14:30\n";

fn json(site: &TestSite) -> serde_json::Value {
    site.kpi_json("2026-11", "2026-12-01T00:00")
}

fn resolution(r: &serde_json::Value) -> (u64, u64) {
    let k = &r["kpis"]["sla.resolution.critical"];
    (k["met"].as_u64().unwrap(), k["breached"].as_u64().unwrap())
}

/// The error lines of a run that must have failed.
fn failed_with<'e>(out: &std::process::Output, err: &'e str) -> Vec<&'e str> {
    assert_eq!(out.status.code(), Some(1), "{err}");
    err.lines().filter(|l| l.contains(": error: ")).collect()
}

/// `opsite kpi` on `site` fails, and one error line starts with `at` and contains `says`.
fn assert_kpi_fails_at(site: &TestSite, at: &str, says: &str) {
    let out = site.run(&["kpi", "--period", "2026-11"]);
    let err = stderr(&out);
    assert!(
        failed_with(&out, &err)
            .iter()
            .any(|l| l.starts_with(at) && l.contains(says)),
        "{at} … {says}:\n{err}"
    );
}

fn pause_site(events: &str) -> TestSite {
    TestSite::new(&[
        ("site.yaml", PAUSE_CONFIG),
        ("data/tickets.csv", ONE_TICKET),
        ("data/events.csv", events),
    ])
}

#[test]
fn events_of_the_same_minute_keep_the_exports_order() {
    // New 09:00, then Awaiting User Info in the same minute until Active at 12:00: paused
    // 09:00–12:00, so the clock counts 12:00–14:30 = 2 h 30 < 4 h: met. Sorted by status name
    // ("Awaiting…" < "New") the pause would end at once and 5 h 30 would be counted: breached.
    let events = "id,status,at\nINC1,New,2026-11-02 09:00\nINC1,Awaiting User Info,2026-11-02 09:00\nINC1,Active,2026-11-02 12:00\n";
    let site = pause_site(events);
    assert_eq!(resolution(&json(&site)), (1, 0));
}

#[test]
fn a_sequence_column_orders_events_of_the_same_minute() {
    // Exported newest first within the minute: Awaiting (mod count 2) above New (1).
    let events = "id,status,at,sys_mod_count\nINC1,Awaiting User Info,2026-11-02 09:00,2\nINC1,New,2026-11-02 09:00,1\nINC1,Active,2026-11-02 12:00,3\n";
    let site = pause_site(events);
    // Without `seq`, the export's order holds: Awaiting then New ends the pause at 09:00, and
    // 09:00–14:30 is counted (5 h 30 > 4 h): breached.
    assert_eq!(resolution(&json(&site)), (0, 1));
    // With `seq: sys_mod_count`, New (1) comes before Awaiting (2): paused until 12:00, met.
    let config = PAUSE_CONFIG.replace(
        "    files: data/events.csv",
        "    files: data/events.csv\n    columns: {seq: sys_mod_count}",
    );
    site.write("site.yaml", &config);
    assert_eq!(resolution(&json(&site)), (1, 0));
}

#[test]
fn events_whose_id_names_no_ticket_are_a_warning() {
    // The journal writes `#INC1` where the tickets say `INC1`: the pause cannot count, and
    // that changes an outcome (breached instead of met), so the run says so.
    let events = "id,status,at\n#INC1,Awaiting User Info,2026-11-02 09:00\n#INC1,Active,2026-11-02 12:00\nINC1,New,2026-11-02 09:00\n";
    let site = pause_site(events);
    let out = site.run(&["kpi", "--period", "2026-11", "--as-of", "2026-12-01T00:00"]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning: data.ticket_events: 2 of 3 event(s) name no ticket of data.tickets (the first: id \"#INC1\")"
        ),
        "{err}"
    );
    assert_eq!(resolution(&json(&site)), (0, 1));
}

#[test]
fn dedupe_by_a_mapped_column_and_without_by() {
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
    columns: {id: 番号, priority: 優先度, opened_at: 作成日時, resolved_at: 解決日時}
    dedupe: {keep: last}
sla:
  resolution:
    critical: {within: 4h}
"#;
    // Two rows of INC1: resolved 14:30 (5 h 30 after opening: breached), then 10:00 (1 h: met).
    let tickets = "番号,優先度,作成日時,解決日時\nINC1,critical,2026-11-02 09:00,2026-11-02 14:30\nINC1,critical,2026-11-02 09:00,2026-11-02 10:00\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/tickets.csv", tickets)]);
    // keep: last without `by`: the later row in the file (10:00): met.
    assert_eq!(resolution(&json(&site)), (1, 0));
    // by: 解決日時, itself mapped: the largest resolution time (14:30) wins: breached.
    site.write(
        "site.yaml",
        &config.replace("{keep: last}", "{keep: last, by: 解決日時}"),
    );
    let r = json(&site);
    assert_eq!(resolution(&r), (0, 1));
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 1);
}

const PLAIN_CONFIG: &str = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
sla:
  resolution:
    critical: {within: 4h}
"#;

#[test]
fn excel_slash_dates_with_unpadded_hours_are_read_by_default() {
    // Excel's Japanese default: 2026/9/1 9:05, and a day alone. T1: 9:05 → 10:05 (1 h, met);
    // T2: opened 2026/09/02 (midnight) → resolved 2026/9/2 5:00 (5 h > 4 h, breached).
    let tickets = "id,priority,opened_at,resolved_at\nT1,critical,2026/9/1 9:05,2026/09/01 10:05\nT2,critical,2026/09/02,2026/9/2 5:00\n";
    let site = TestSite::new(&[("site.yaml", PLAIN_CONFIG), ("data/tickets.csv", tickets)]);
    let out = site.run(&[
        "kpi",
        "--period",
        "2026-09",
        "--as-of",
        "2026-12-01T00:00",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 2);
    assert_eq!(resolution(&r), (1, 1));
    // MTTR: (60 + 300) / 2 minutes.
    assert_eq!(r["kpis"]["mttr.minutes"]["value"], 180.0);
}

#[test]
fn a_column_of_unreadable_times_is_one_error_with_the_format_that_reads_it() {
    // 300 rows written day-first (European CSV): 13/09 settles that it is not month-first.
    let mut tickets = String::from("id,priority,opened_at,resolved_at\n");
    for i in 0..300 {
        let day = i % 28 + 1;
        tickets.push_str(&format!("T{i},critical,{day:02}/09/2026 9:05,\n"));
    }
    let site = TestSite::new(&[("site.yaml", PLAIN_CONFIG), ("data/tickets.csv", &tickets)]);
    let out = site.run(&["kpi", "--period", "2026-09", "--as-of", "2026-12-01T00:00"]);
    let err = stderr(&out);
    let errors = failed_with(&out, &err);
    assert_eq!(
        errors.len(),
        1,
        "one error for the column, not one per row: {err}"
    );
    assert!(
        errors[0]
            .starts_with("data/tickets.csv:2: error: column opened_at: value \"01/09/2026 9:05\""),
        "{err}"
    );
    assert!(errors[0].contains("300 rows of this column"), "{err}");
    assert!(
        errors[0].contains(r#"`timestamp_format: "%d/%m/%Y %H:%M"` would read it"#),
        "{err}"
    );
    // The suggested format does read them.
    site.write(
        "site.yaml",
        &PLAIN_CONFIG.replace(
            "files: data/tickets.csv",
            "files: data/tickets.csv\n    timestamp_format: \"%d/%m/%Y %H:%M\"",
        ),
    );
    let out = site.run(&["kpi", "--period", "2026-09", "--as-of", "2026-12-01T00:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn exports_outside_the_site_by_absolute_and_parent_paths() {
    // One ticket, 1 h to resolve (met), kept in a folder beside nothing of the site.
    let share = tempfile::tempdir().unwrap();
    let exports = share.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    std::fs::write(
        exports.join("tickets-2026-11.csv"),
        "id,priority,opened_at,resolved_at\nA1,critical,2026-11-02 09:00,2026-11-02 10:00\n",
    )
    .unwrap();
    let absolute = format!("{}/tickets-*.csv", exports.display());
    let site = TestSite::new(&[(
        "site.yaml",
        &PLAIN_CONFIG.replace("data/tickets.csv", &absolute),
    )]);
    let r = json(&site);
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 1);
    assert_eq!(resolution(&r), (1, 0));
    // The same folder reached from a site beside it with `../`.
    let site_dir = share.path().join("site");
    std::fs::create_dir_all(&site_dir).unwrap();
    std::fs::write(
        site_dir.join("site.yaml"),
        PLAIN_CONFIG.replace("data/tickets.csv", "../exports/*.csv"),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args([
            "kpi",
            "--period",
            "2026-11",
            "--as-of",
            "2026-12-01T00:00",
            "--format",
            "json",
        ])
        .current_dir(&site_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 1);
}

#[test]
fn a_field_may_fall_back_to_other_columns() {
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
    null_values: ["?"]
    columns: {id: number, opened_at: opened_at, priority: priority, resolved_at: [resolved_at, closed_at]}
sla:
  resolution:
    critical: {within: 4h}
"#;
    // INC1: no resolved_at ("?"), closed 10:00 → resolved 1 h after opening (met).
    // INC2: resolved 09:30 wins over closed 15:00 (30 min, met).
    // INC3: neither → still open, breached at 13:00; in the backlog.
    let tickets = "number,priority,opened_at,resolved_at,closed_at\nINC1,critical,2026-11-02 09:00,?,2026-11-02 10:00\nINC2,critical,2026-11-02 09:00,2026-11-02 09:30,2026-11-02 15:00\nINC3,critical,2026-11-02 09:00,?,\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/tickets.csv", tickets)]);
    let r = json(&site);
    assert_eq!(r["kpis"]["tickets.resolved"]["value"], 2);
    assert_eq!(r["kpis"]["tickets.backlog"]["value"], 1);
    assert_eq!(r["kpis"]["mttr.minutes"]["value"], 45.0);
    assert_eq!(resolution(&r), (2, 1));
}

#[test]
fn one_bad_row_is_reported_first_and_the_figures_it_stops_are_one_line_after_it() {
    let page = "---\ntitle: 状況\n---\n\n稼働率 {{< kpi \"tickets.opened\" period=\"latest-month\" >}}\n\n{{< status period=\"latest-week\" >}}\n";
    let other =
        "---\ntitle: 手順\n---\n\n{{< kpi \"tickets.resolved\" period=\"latest-month\" >}}\n";
    let tickets = "id,priority,opened_at,resolved_at\nT1,critical,2026-11-02 09:00,2026-11-02 10:00\nT2,critical,2026-13-02 09:00,\n";
    let site = TestSite::new(&[
        ("site.yaml", &format!("title: t\n{PLAIN_CONFIG}")),
        ("data/tickets.csv", tickets),
        ("content/_index.md", page),
        ("content/runbooks/a.md", other),
    ]);
    let out = site.run(&["build"]);
    let err = stderr(&out);
    let errors = failed_with(&out, &err);
    assert_eq!(
        errors.len(),
        2,
        "the cause and one line for its consequences: {err}"
    );
    assert!(
        errors[0].starts_with("data/tickets.csv:3: error: column opened_at"),
        "{err}"
    );
    assert!(
        errors[1]
            .contains("3 figure(s) on 2 page(s) not drawn because the data could not be loaded"),
        "{err}"
    );
    assert!(errors[1].contains("content/_index.md:5"), "{err}");
}

const SPARSE_CONFIG: &str = r#"
title: t
language: ja
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  downtime:
    files: data/downtime.csv
availability:
  target: 99.9
  services: [portal]
"#;

/// A ticket on 09-02, an outage on 09-10, a ticket on 12-01: nothing in October and November.
fn sparse_site(config: &str) -> TestSite {
    TestSite::new(&[
        ("site.yaml", config),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at\nT1,high,2026-09-02 10:00,2026-09-02 11:00\nT2,high,2026-12-01 10:00,2026-12-01 12:00\n",
        ),
        (
            "data/downtime.csv",
            "service,start,end\nportal,2026-09-10 10:00,2026-09-10 10:30\n",
        ),
    ])
}

fn all_periods(site: &TestSite) -> Vec<serde_json::Value> {
    let out = site.run(&[
        "kpi",
        "--period",
        "all",
        "--as-of",
        "2027-01-01T00:00",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn period<'a>(all: &'a [serde_json::Value], label: &str) -> &'a serde_json::Value {
    all.iter()
        .find(|r| r["period"] == label)
        .unwrap_or_else(|| panic!("no {label}"))
}

#[test]
fn periods_without_any_row_are_not_published() {
    let site = sparse_site(SPARSE_CONFIG);
    let all = all_periods(&site);
    let mut labels: Vec<&str> = all.iter().map(|r| r["period"].as_str().unwrap()).collect();
    labels.sort();
    // W36 holds 09-02, W37 the outage of 09-10, W49 12-01; September, December; Q3 and Q4.
    assert_eq!(
        labels,
        ["2026-09", "2026-12", "2026-Q3", "2026-Q4", "2026-W36", "2026-W37", "2026-W49"]
    );
    let out = site.run(&["build", "--as-of", "2027-01-01T00:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site
        .root()
        .join("output/reports/monthly/2026-09/index.html")
        .exists());
    assert!(!site.root().join("output/reports/monthly/2026-10").exists());
    assert!(!site.root().join("output/reports/monthly/2026-11").exists());
}

#[test]
fn a_ticket_still_open_keeps_every_period_up_to_the_cut() {
    // T2 opened 12-01 is never resolved: it is open across the weeks up to the cut (12-20),
    // which are periods although no row is stamped in them; nothing after the cut is.
    let site = sparse_site(SPARSE_CONFIG);
    site.write(
        "data/tickets.csv",
        "id,priority,opened_at,resolved_at\nT1,high,2026-09-02 10:00,2026-09-02 11:00\nT2,high,2026-12-01 10:00,\n",
    );
    let out = site.run(&[
        "kpi",
        "--period",
        "all",
        "--as-of",
        "2026-12-20T00:00",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut labels: Vec<&str> = all.iter().map(|r| r["period"].as_str().unwrap()).collect();
    labels.sort();
    assert_eq!(
        labels,
        [
            "2026-09", "2026-12", "2026-Q3", "2026-Q4", "2026-W36", "2026-W37", "2026-W49",
            "2026-W50", "2026-W51"
        ]
    );
    assert_eq!(
        period(&all, "2026-W51")["kpis"]["tickets.backlog"]["value"],
        1
    );
}

#[test]
fn a_kpi_with_no_data_in_a_period_is_a_gap_whatever_other_sources_hold() {
    // A metric sampled in November only: November becomes a period (it has rows), but no
    // ticket was opened, resolved or open in it, so the ticket figures are gaps, not 0.
    let config = SPARSE_CONFIG.replace(
        "    files: data/downtime.csv\n",
        "    files: data/downtime.csv\n  metrics:\n    - {name: cpu, files: data/cpu.csv}\n",
    );
    let site = sparse_site(&config);
    site.write(
        "data/cpu.csv",
        "at,value\n2026-11-12 10:00,40\n2026-11-12 10:05,60\n",
    );
    let all = all_periods(&site);
    let november = period(&all, "2026-11");
    assert_eq!(
        november["kpis"]["tickets.opened"]["value"],
        serde_json::Value::Null
    );
    assert_eq!(
        november["kpis"]["tickets.resolved"]["value"],
        serde_json::Value::Null
    );
    assert_eq!(
        period(&all, "2026-12")["kpis"]["tickets.opened"]["value"],
        1
    );
}

#[test]
fn availability_counts_from_the_first_day_of_data_or_covers_from() {
    let site = sparse_site(SPARSE_CONFIG);
    // Q3 from 09-02 00:00 (the first row's day) to 10-01 00:00: 29 days = 41,760 minutes,
    // 30 down: 100 × (1 − 30/41,760). Over the whole quarter (92 days) it would be 99.977.
    let all = all_periods(&site);
    let q3 = period(&all, "2026-Q3");
    let a = q3["kpis"]["availability.portal"]["value"].as_f64().unwrap();
    assert!((a - 100.0 * (1.0 - 30.0 / 41_760.0)).abs() < 1e-9, "{a}");
    assert_eq!(q3["data_from"], "2026-09-02T00:00:00+09:00");
    // The report page says from when its figures count.
    let out = site.run(&["build", "--as-of", "2027-01-01T00:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(
        site.root()
            .join("output/reports/quarterly/2026-Q3/index.html"),
    )
    .unwrap();
    assert!(page.contains("2026年9月2日 からのデータ"), "{page}");
    // `covers: {from: 2026-07-01}` on the outage export: the whole quarter counts.
    let covered = SPARSE_CONFIG.replace(
        "    files: data/downtime.csv\n",
        "    files: data/downtime.csv\n    covers: {from: 2026-07-01}\n",
    );
    site.write("site.yaml", &covered);
    let all = all_periods(&site);
    let q3 = period(&all, "2026-Q3");
    let a = q3["kpis"]["availability.portal"]["value"].as_f64().unwrap();
    assert!(
        (a - 100.0 * (1.0 - 30.0 / (92.0 * 1440.0))).abs() < 1e-9,
        "{a}"
    );
    assert!(q3.get("data_from").is_none());
}

#[test]
fn a_source_reads_its_local_times_in_its_own_zone() {
    // The site is in Tokyo; the metrics are exported in UTC. 2026-10-31 16:00 UTC is
    // 11-01 01:00 in Tokyo (November); 14:00 UTC is 23:00 on 10-31 (October).
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  metrics:
    - {name: cpu, files: data/cpu.csv, timezone: UTC}
"#;
    let site = TestSite::new(&[
        ("site.yaml", config),
        (
            "data/tickets.csv",
            "id,priority,opened_at\nT1,high,2026-10-20 10:00\n",
        ),
        (
            "data/cpu.csv",
            "at,value\n2026-10-31 14:00,40\n2026-10-31 16:00,60\n",
        ),
    ]);
    let count = |period: &str| {
        let out = site.run(&[
            "kpi",
            "--period",
            period,
            "--as-of",
            "2026-12-01T00:00",
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let k = &v["kpis"];
        (
            k["metric.cpu.count"]["value"].as_f64(),
            k["metric.cpu.max"]["value"].as_f64(),
        )
    };
    assert_eq!(count("2026-11"), (Some(1.0), Some(60.0)));
    assert_eq!(count("2026-10"), (Some(1.0), Some(40.0)));
    // A zone opsite does not know is an error at its line.
    site.write(
        "site.yaml",
        &config.replace("timezone: UTC", "timezone: Asia/Tokio"),
    );
    assert_kpi_fails_at(
        &site,
        "site.yaml:7:",
        "data.metrics[0].timezone: `Asia/Tokio` is not a known time zone",
    );
}

#[test]
fn a_time_the_clocks_skip_is_read_by_the_stated_rule_with_a_warning() {
    // New York skips 02:00–03:00 on 2026-03-08. An outage written 02:30–03:45 local: 02:30
    // does not exist and is read at −05:00, i.e. 03:30 EDT, so it lasted 15 minutes.
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  downtime:
    files: data/downtime.csv
    timezone: America/New_York
availability:
  services: [portal]
"#;
    let site = TestSite::new(&[
        ("site.yaml", config),
        (
            "data/tickets.csv",
            "id,priority,opened_at\nT1,high,2026-03-02 10:00\n",
        ),
        (
            "data/downtime.csv",
            "service,start,end\nportal,2026-03-08 02:30,2026-03-08 03:45\n",
        ),
    ]);
    let out = site.run(&[
        "kpi",
        "--period",
        "2026-03",
        "--as-of",
        "2026-04-01T00:00",
        "--format",
        "json",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["kpis"]["downtime.portal.minutes"]["value"].as_f64(),
        Some(15.0)
    );
    assert!(
        err.contains("data/downtime.csv:2: warning: data.downtime: 2026-03-08 02:30 does not exist in America/New_York (the clocks go forward); read at the offset before the change, UTC−05:00"),
        "{err}"
    );
}

#[test]
fn the_response_may_come_from_the_first_event_entering_a_status() {
    // INC1 opened 09:00; the history says New 09:00, Active 09:20, Active again 10:00: the
    // response is 09:20 (20 minutes). INC2 never became Active: no response.
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
    columns:
      responded_at: {first_status: [Active, In Progress]}
  ticket_events:
    files: data/events.csv
sla:
  response:
    critical: {within: 30m}
"#;
    let site = TestSite::new(&[
        ("site.yaml", config),
        (
            "data/tickets.csv",
            "id,priority,opened_at,responded_at\nINC1,critical,2026-11-02 09:00,2026-11-02 09:01\nINC2,critical,2026-11-02 09:00,\n",
        ),
        (
            "data/events.csv",
            "id,status,at\nINC1,New,2026-11-02 09:00\nINC1,Active,2026-11-02 10:00\nINC1,Active,2026-11-02 09:20\nINC2,New,2026-11-02 09:00\n",
        ),
    ]);
    let v = json(&site);
    let k = &v["kpis"];
    // The export's own responded_at column (09:01) is not read: the events decide.
    assert_eq!(k["mtta.minutes"]["value"].as_f64(), Some(20.0));
    assert_eq!(k["mtta.minutes"]["count"], 1);
    // INC1 met its 30 minutes; INC2's clock ran out at 09:30 without a response.
    let sla = &k["sla.response.critical"];
    assert_eq!(
        (sla["met"].as_u64(), sla["breached"].as_u64()),
        (Some(1), Some(1))
    );
    // Without ticket_events it cannot work: an error at its line.
    site.write(
        "site.yaml",
        &config.replace("  ticket_events:\n    files: data/events.csv\n", ""),
    );
    assert_kpi_fails_at(&site, "", "data.tickets.columns: responded_at: first_status reads the status history: data.ticket_events is not configured");
}

#[test]
fn export_statuses_and_planned_values_are_mapped_to_what_the_rules_use() {
    // The history is in Japanese: 保留中 is the site's "Awaiting User Info" (paused), so the
    // ticket is paused 09:00–12:00 and met (2 h 30 counted), as in the English export.
    let events = "id,status,at\nINC1,新規,2026-11-02 09:00\nINC1,保留中,2026-11-02 09:00\nINC1,対応中,2026-11-02 12:00\n";
    let site = pause_site(events);
    assert_eq!(resolution(&json(&site)), (0, 1), "unmapped, nothing pauses");
    site.write(
        "site.yaml",
        &PAUSE_CONFIG.replace(
            "    files: data/events.csv",
            "    files: data/events.csv\n    statuses: {保留中: Awaiting User Info}",
        ),
    );
    assert_eq!(resolution(&json(&site)), (1, 0));
    // Outages marked はい are planned (not downtime); いいえ are not; anything else is named.
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  downtime:
    files: data/downtime.csv
    columns: {planned: 計画停止}
    planned_values: {"はい": true, "いいえ": false, "○": true, "×": false}
availability:
  services: [portal]
"#;
    let site = TestSite::new(&[
        ("site.yaml", config),
        ("data/tickets.csv", ONE_TICKET),
        (
            "data/downtime.csv",
            "service,start,end,計画停止\nportal,2026-11-03 01:00,2026-11-03 01:30,はい\nportal,2026-11-04 10:00,2026-11-04 10:15,いいえ\nportal,2026-11-05 10:00,2026-11-05 10:05,×\n",
        ),
    ]);
    let v = json(&site);
    assert_eq!(
        v["kpis"]["downtime.portal.minutes"]["value"].as_f64(),
        Some(20.0)
    );
    site.write(
        "data/downtime.csv",
        "service,start,end,計画停止\nportal,2026-11-03 01:00,2026-11-03 01:30,たぶん\n",
    );
    assert_kpi_fails_at(
        &site,
        "data/downtime.csv:2: error: column 計画停止: value \"たぶん\"",
        "is not one of data.downtime.planned_values",
    );
}

#[test]
fn a_column_mapped_under_a_field_the_source_does_not_have_is_an_error() {
    let config =
        "data:\n  tickets:\n    files: data/tickets.csv\n    columns: {resolved: closed_at}\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/tickets.csv", ONE_TICKET)]);
    assert_kpi_fails_at(
        &site,
        "site.yaml:4:",
        "data.tickets.columns: resolved is not a field of this source (did you mean resolved_at?)",
    );
}

#[test]
fn metrics_take_their_service_from_key_value_folders_or_a_constant() {
    // CSV under host=web1/ and host=web2/ folders: the folder names are a column `host`;
    // a third source has one file for one host and says so with `service:`.
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  metrics:
    - {name: cpu, files: "data/metrics/**/*.csv", columns: {service: host}}
    - {name: disk, files: data/db-disk.csv, service: db}
"#;
    let site = TestSite::new(&[
        ("site.yaml", config),
        ("data/tickets.csv", ONE_TICKET),
        (
            "data/metrics/host=web1/cpu.csv",
            "at,value\n2026-11-02 10:00,40\n2026-11-02 10:05,50\n",
        ),
        (
            "data/metrics/host=web2/cpu.csv",
            "at,value\n2026-11-02 10:00,70\n",
        ),
        ("data/db-disk.csv", "at,value\n2026-11-02 10:00,81.5\n"),
    ]);
    let v = json(&site);
    let k = &v["kpis"];
    let value = |id: &str| k[id]["value"].as_f64();
    assert_eq!(value("metric.cpu.max.web1"), Some(50.0));
    assert_eq!(value("metric.cpu.max.web2"), Some(70.0));
    assert_eq!(value("metric.cpu.count"), Some(3.0));
    assert_eq!(value("metric.disk.last.db"), Some(81.5));
}

#[test]
fn calendars_take_holidays_from_icalendar_and_csv_files() {
    // Wed 2026-11-04 09:00 → Thu 11-05 10:00, 2 business hours allowed: breached on an
    // ordinary Wednesday (due 11:00 Wed), met when the Wednesday is a holiday (due Thu 11:00).
    let config = |holidays: &str| {
        format!(
            r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
calendars:
  business:
    hours: {{mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}}
    holidays: {holidays}
sla:
  resolution:
    critical: {{within: 2h, calendar: business}}
"#
        )
    };
    let site = TestSite::new(&[
        ("site.yaml", &config("japan")),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at\nINC1,critical,2026-11-04 09:00,2026-11-05 10:00\n",
        ),
        (
            "data/holidays.ics",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261104\r\nDTEND;VALUE=DATE:20261105\r\nSUMMARY:Company day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ),
        ("data/holidays.csv", "date,name\n2026-11-04,Company day\n"),
    ]);
    assert_eq!(resolution(&json(&site)), (0, 1));
    site.write("site.yaml", &config("[japan, data/holidays.ics]"));
    assert_eq!(resolution(&json(&site)), (1, 0));
    site.write("site.yaml", &config("data/holidays.csv"));
    assert_eq!(resolution(&json(&site)), (1, 0));
    // A file that is not there is an error at its line; a bad line of a file at that line.
    site.write("site.yaml", &config("[japan, data/holidays-br.ics]"));
    assert_kpi_fails_at(
        &site,
        "site.yaml:9:",
        "calendars.business.holidays: cannot read `data/holidays-br.ics`",
    );
    site.write("data/holidays.csv", "date\n2026-11-04\n2026-13-01\n");
    site.write("site.yaml", &config("data/holidays.csv"));
    assert_kpi_fails_at(
        &site,
        "data/holidays.csv:3: error: holidays: \"2026-13-01\" is not a date",
        "",
    );
}

#[test]
fn explain_prints_one_tickets_events_pauses_counted_time_and_outcome() {
    // As in the same-minute test: paused 09:00–12:00, so 12:00–14:30 (2 h 30) counted of the
    // 4 h allowed: the deadline is 16:00 and the ticket is met.
    let events = "id,status,at\nINC1,New,2026-11-02 09:00\nINC1,Awaiting User Info,2026-11-02 09:00\nINC1,Active,2026-11-02 12:00\n";
    let site = pause_site(events);
    let out = site.run(&["kpi", "--explain", "INC1", "--as-of", "2026-12-01T00:00"]);
    let text = crate::support::stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    for line in [
        "INC1  priority critical  terms: sla (top level)",
        "    2026-11-02 09:00:00  New\n    2026-11-02 09:00:00  Awaiting User Info   ← paused status\n    2026-11-02 12:00:00  Active\n",
        "  paused:\n    2026-11-02 09:00:00 – 2026-11-02 12:00:00\n",
        "  resolution clock: 4 h on around the clock; counted 2 h 30 min until the stop at 2026-11-02 14:30:00; deadline 2026-11-02 16:00:00 → met",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    // Before the resolution the clock is still running at the cut.
    let out = site.run(&["kpi", "--explain", "INC1", "--as-of", "2026-11-02T13:00"]);
    assert!(
        crate::support::stdout(&out)
            .contains("counted 1 h until the cut; deadline 2026-11-02 16:00:00 → pending"),
        "{}",
        crate::support::stdout(&out)
    );
    // Before its opening, nothing counts yet (kpi counts no pending clock for it either).
    let out = site.run(&["kpi", "--explain", "INC1", "--as-of", "2026-11-02T08:00"]);
    assert!(
        crate::support::stdout(&out).contains("→ not counted yet (the ticket opens after the cut)"),
        "{}",
        crate::support::stdout(&out)
    );
    // A clock missed by seconds reads so: to the second, as the clocks count.
    let late = TestSite::new(&[
        ("site.yaml", PAUSE_CONFIG.replace("  ticket_events:\n    files: data/events.csv\n", "").as_str()),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at\nINC9,critical,2026-11-02 09:00:00,2026-11-02 13:00:45\n",
        ),
    ]);
    let out = late.run(&["kpi", "--explain", "INC9", "--as-of", "2026-12-01T00:00"]);
    let said = crate::support::stdout(&out);
    assert!(said.contains("resolved   2026-11-02 13:00:45"), "{said}");
    assert!(
        said.contains("deadline 2026-11-02 13:00:00 → breached"),
        "{said}"
    );
    // An unknown id says so, with the closest one.
    let out = site.run(&["kpi", "--explain", "INC2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--explain `INC2`: no ticket has that id (did you mean `INC1`?)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn explain_on_an_id_among_rows_set_aside_says_those_rows_were_not_searched() {
    // INC4 is quarantined, and its parent cell names INC3, which is excluded: neither is said
    // to be another row's (which cell of a set-aside row is its id is not kept).
    let config = "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\n    on_error: quarantine\n    max_quarantined: 50%\n    exclude: {column: category, values: [テスト]}\nsla:\n  resolution:\n    high: {within: 8h}\n";
    let site = TestSite::new(&[
        ("site.yaml", config),
        (
            "data/tickets.csv",
            "id;priority;opened_at;resolved_at;category;parent\nINC1;high;2026-11-02 09:00;2026-11-02 10:00;障害;\nINC2;high;2026-13-45 09:00;;障害;\nINC3;high;2026-11-03 09:00;;テスト;\nINC4;bogus;2026-11-03 09:00;;障害;INC3\n",
        ),
    ]);
    site.edit_config(|c| {
        c.replace(
            "files: data/tickets.csv",
            "files: data/tickets.csv\n    delimiter: \";\"",
        )
    });
    let note = "; row(s) of tickets 2 quarantined (in .opsite/rejects/tickets.csv) and 1 left out by data.tickets.exclude: not searched";
    for id in ["INC2", "INC3"] {
        let out = site.run(&["kpi", "--explain", id, "--as-of", "2026-12-01T00:00"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let said = format!("--explain `{id}`: no ticket has that id (did you mean `INC1`?){note}");
        assert!(stderr(&out).contains(&said), "{}", stderr(&out));
    }
    // A ticket of the figures is explained as ever.
    let out = site.run(&["kpi", "--explain", "INC1", "--as-of", "2026-12-01T00:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn inch_marks_in_unquoted_titles_keep_every_row() {
    // A quote opens a quoted field only at the field's start: `6" screen` is text. T1 180 min
    // (met), T2 360 min (critical, breached), T3 420 min (high, met), T4 open, T5 1440 min:
    // MTTR (180 + 360 + 420 + 1440) / 4 = 600.
    let site = TestSite::new(&[
        (
            "site.yaml",
            "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  resolution:\n    critical: {within: 4h}\n    high: {within: 8h}\n",
        ),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at,title\nT1,critical,2026-10-01 09:10,2026-10-01 12:10,a\nT2,critical,2026-10-02 09:00,2026-10-02 15:00,6\" screen\nT3,high,2026-10-03 10:00,2026-10-03 17:00,12\" monitor\nT4,medium,2026-10-04 10:00,,d\nT5,low,2026-10-05 10:00,2026-10-06 10:00,e\n",
        ),
    ]);
    let r = site.kpi_json("2026-10", "2026-11-01T00:00");
    let k = &r["kpis"];
    assert_eq!(k["tickets.opened"]["value"], 5);
    assert_eq!(k["tickets.resolved"]["value"], 4);
    assert_eq!(k["mttr.minutes"]["value"], 600.0);
    assert_eq!(k["sla.resolution.critical"]["breached"], 1);
    assert_eq!(k["sla.resolution.high"]["met"], 1);
}

#[test]
fn four_rows_with_one_problem_are_one_error_with_their_lines() {
    // Three are listed one by one; the fourth makes them one error at the first, with the
    // count and the other lines (not the report's "N times" summary, which has no lines).
    let rows = |n: usize| {
        let mut csv = String::from("id,priority,opened_at\n");
        for i in 0..n {
            csv.push_str(&format!("T{i},urgent,2026-10-01 09:00\n"));
        }
        csv
    };
    let config = "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\n";
    let errors_of = |n: usize| {
        let site = TestSite::new(&[("site.yaml", config), ("data/tickets.csv", &rows(n))]);
        let out = site.run(&["kpi", "--period", "2026-10", "--as-of", "2026-11-01T00:00"]);
        assert!(!out.status.success());
        stderr(&out)
    };
    let three = errors_of(3);
    assert_eq!(
        three.matches(": error: column priority").count(),
        3,
        "{three}"
    );
    let four = errors_of(4);
    assert_eq!(
        four.matches(": error: column priority").count(),
        1,
        "{four}"
    );
    assert!(
        four.contains("data/tickets.csv:2: error: column priority: value \"urgent\"")
            && four.contains("(4 rows of this column in all; also line 3, 4, 5)"),
        "{four}"
    );
    assert!(four.contains("kpi: 1 error(s) in the data"), "{four}");
}

#[test]
fn explain_gives_business_targets_in_open_hours_not_days() {
    // 3 business days of 09:00–18:00 are 27 open hours: `27 h`, not `1 d 3 h` (27 calendar
    // hours would be another deadline).
    let site = TestSite::new(&[
        (
            "site.yaml",
            "timezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\ncalendars:\n  business:\n    hours: {mon: \"09:00-18:00\", tue: \"09:00-18:00\", wed: \"09:00-18:00\", thu: \"09:00-18:00\", fri: \"09:00-18:00\"}\nsla:\n  resolution:\n    critical: {within: 3bd, calendar: business}\n",
        ),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at\nINC1,critical,2026-11-02 09:00,2026-11-02 10:00\n",
        ),
    ]);
    let out = site.run(&["kpi", "--explain", "INC1", "--as-of", "2026-12-01T00:00"]);
    let text = crate::support::stdout(&out);
    assert!(
        text.contains("resolution clock: 27 h on business hours; counted 1 h"),
        "{text}"
    );
}
