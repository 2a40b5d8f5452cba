//! KPI rules end to end: CSV exports in a throw-away site, loaded and computed as `opsite kpi`
//! does. Every expectation is worked out by hand in the comment beside it.

use opsite::config::SiteConfig;
use opsite::kpi::period::Period;
use opsite::kpi::report::PeriodReport;
use opsite::kpi::Engine;

use crate::support::{stderr, stdout, TestSite};

pub const CONFIG: &str = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
    columns: {id: id, priority: priority, opened_at: opened, responded_at: responded, resolved_at: resolved, category: category, tier: tier}
  ticket_events:
    files: data/events.csv
    columns: {id: ticket, status: status, at: at}
  downtime:
    files: data/downtime.csv
  surveys:
    files: data/surveys.csv
    columns: {at: at, csat: csat, nps: nps}
calendars:
  business:
    hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: japan
sla:
  pause_statuses: ["顧客回答待ち"]
  response:
    critical: {within: 1h}
    high: {within: 2h}
  resolution:
    critical: {within: 4h}
    high: {within: 1bd, calendar: business}
    medium: {within: 2bd, calendar: business}
availability:
  target: 99.9
  services: [portal, api]
  maintenance:
    - {every: month, nth: 3, weekday: sat, start: "00:00", end: "04:00"}
indicators:
  - {id: major, name: 重大障害, kpi: tickets.opened.critical, target: "== 0", alert: "> 1"}
  - {id: csat, name: 満足度, kpi: csat.mean, target: ">= 4.5", alert: "< 4.0"}
"#;

pub const TICKETS: &str = "id,priority,opened,responded,resolved,category,tier
F1,high,2026-11-20 17:30,,2026-11-24 17:30,障害,L1
F2,high,2026-11-20 17:30,,2026-11-24 17:31,障害,L2
S1,high,2026-09-18 16:00,,2026-09-24 16:00,問い合わせ,L1
G1,medium,2026-05-01 10:00,,2026-05-08 10:00,問い合わせ,L1
P1,critical,2026-11-19 09:00,2026-11-19 09:30,2026-11-19 15:30,障害,L2
C1,critical,2026-11-10 10:00,2026-11-10 11:00,,障害,L3
E1,high,2026-11-19 09:00,2026-11-19 09:10,2026-11-19 19:00,障害,L1
U1,critical,2026-11-02T01:00:00Z,2026-11-02T01:30:00Z,2026-11-02T02:00:00Z,障害,L1
N1,critical,2026-11-11 09:00,,2026-11-11 09:40,問い合わせ,L1
";

pub const EVENTS: &str = "ticket,status,at
P1,対応中,2026-11-19 09:30
P1,顧客回答待ち,2026-11-19 10:00
P1,対応中,2026-11-19 12:00
";

pub const DOWNTIME: &str = "service,start,end,planned
portal,2026-10-17 03:30,2026-10-17 05:00,false
portal,2026-10-20 10:00,2026-10-20 10:30,FALSE
portal,2026-10-20 10:20,2026-10-20 11:00,no
portal,2026-10-21 01:00,2026-10-21 03:00,yes
";

pub const SURVEYS: &str = "at,csat,nps
2026-11-03 10:00,5,7
2026-11-04 10:00,,8
2026-11-05 10:00,4,
";

fn site(tickets: &str) -> TestSite {
    TestSite::new(&[
        ("site.yaml", CONFIG),
        ("data/tickets.csv", tickets),
        ("data/events.csv", EVENTS),
        ("data/downtime.csv", DOWNTIME),
        ("data/surveys.csv", SURVEYS),
    ])
}

fn report(site: &TestSite, period: &str, as_of: &str) -> PeriodReport {
    let (config, _) = SiteConfig::load(site.root()).unwrap();
    let loaded = opsite::data::load(site.root(), &config.kpi).unwrap_or_else(|e| panic!("{e:?}"));
    let engine = Engine::new(&config.kpi, &loaded.data).unwrap();
    let p = Period::parse(period, engine.tz).unwrap();
    let as_of = opsite::cmd::kpi::parse_as_of(as_of, engine.tz).unwrap();
    engine.report(&p, as_of)
}

fn value(r: &PeriodReport, k: &str) -> Option<f64> {
    r.kpis.get(k).unwrap_or_else(|| panic!("no KPI {k}")).value
}

fn counts(r: &PeriodReport, k: &str) -> (u64, u64, u64) {
    let x = &r.kpis[k];
    (x.met.unwrap(), x.breached.unwrap(), x.pending.unwrap())
}

#[test]
fn business_calendar_clocks_across_weekends_and_holidays() {
    let s = site(TICKETS);
    // F1/F2: Friday 11-20 17:30 + 1bd (9 h): 30 min on Friday, Monday 11-23 is 勤労感謝の日, so
    // 8 h 30 on Tuesday → deadline Tue 11-24 17:30. F1 stops exactly then (met), F2 a minute late.
    // E1: Thursday 11-19 09:00 + 9 h → 18:00 the same day; resolved 19:00 → breached at 18:00.
    let r = report(&s, "2026-W48", "2026-11-30T00:00");
    assert_eq!(
        counts(&r, "sla.resolution.high"),
        (1, 1, 0),
        "F1 met, F2 breached in W48"
    );
    let r = report(&s, "2026-W47", "2026-11-23T00:00");
    assert_eq!(
        counts(&r, "sla.resolution.high").1,
        1,
        "E1 breached on 11-19 (W47)"
    );
    // S1: Friday 09-18 16:00: 2 h on Friday; 9/21 敬老の日, 9/22 国民の休日, 9/23 秋分の日; 7 h on
    // Thursday 9/24 → 16:00, resolved exactly then: met.
    let r = report(&s, "2026-09", "2026-10-01T00:00");
    assert_eq!(counts(&r, "sla.resolution.high"), (1, 0, 0));
    // G1: medium 2bd from Fri 05-01 10:00: 8 h on Friday; 5/4–5/6 are holidays (5/6 振替休日
    // because 5/3 is a Sunday); 9 h on Thursday 5/7; 1 h on Friday 5/8 → 10:00: met exactly.
    let r = report(&s, "2026-05", "2026-06-01T00:00");
    assert_eq!(counts(&r, "sla.resolution.medium"), (1, 0, 0));
}

#[test]
fn pauses_pending_and_breaches_at_the_cut() {
    let s = site(TICKETS);
    // P1 (critical, 4 h, always): opened 09:00, paused 10:00–12:00, so counted time is
    // 09:00–10:00 (1 h) + 12:00–15:00 (3 h): deadline 15:00; resolved 15:30 → breached.
    // C1 (critical): opened 11-10 10:00, never resolved: breached at 14:00 on 11-10.
    // N1: resolved 40 minutes after opening without any response: the response clock stops at
    // the resolution (met) and MTTA leaves it out.
    // U1: UTC timestamps: 10:00–11:00 JST on 11-02; response 30 min (met), resolution 1 h (met).
    let r = report(&s, "2026-11", "2026-11-20T12:00");
    assert_eq!(
        counts(&r, "sla.resolution.critical"),
        (2, 2, 0),
        "U1, N1 met; P1, C1 breached"
    );
    assert_eq!(
        counts(&r, "sla.response.critical"),
        (4, 0, 0),
        "P1, C1, U1, N1 answered in time"
    );
    // At 11-20 12:00 the high tickets F1 and F2 (opened 17:30 that day) have not opened yet; E1
    // is decided. Cut earlier, on 11-19 12:00, E1's resolution clock is still running: pending.
    let r = report(&s, "2026-11", "2026-11-19T12:00");
    assert_eq!(counts(&r, "sla.resolution.high"), (0, 0, 1));
    assert_eq!(
        value(&r, "sla.resolution.high"),
        None,
        "attainment is undefined with nothing decided"
    );
    // MTTA over responses in November up to 11-20 12:00: P1 30, C1 60, E1 10, U1 30 → mean 32.5,
    // median 30, p90 at index 2.7 of [10,30,30,60] = 30 + 0.7 × 30 = 51.
    let r = report(&s, "2026-11", "2026-11-20T12:00");
    assert_eq!(value(&r, "mtta.minutes"), Some(32.5));
    assert_eq!(value(&r, "mtta.p50.minutes"), Some(30.0));
    assert!((value(&r, "mtta.p90.minutes").unwrap() - 51.0).abs() < 1e-9);
    assert_eq!(r.kpis["mtta.minutes"].count, Some(4));
    // Counts: opened in November before the cut: P1, C1, E1, U1, N1; backlog: C1 (open).
    assert_eq!(value(&r, "tickets.opened"), Some(5.0));
    assert_eq!(value(&r, "tickets.opened.critical"), Some(4.0));
    assert_eq!(
        value(&r, "tickets.opened.low"),
        Some(0.0),
        "every priority is present"
    );
    assert_eq!(value(&r, "tickets.backlog"), Some(1.0));
    // C1 is the critical one still open; per priority the backlogs add up to the total.
    assert_eq!(value(&r, "tickets.backlog.critical"), Some(1.0));
    assert_eq!(value(&r, "tickets.backlog.high"), Some(0.0));
    assert_eq!(value(&r, "tickets.tier.L3"), Some(1.0));
    assert_eq!(value(&r, "tickets.category.問い合わせ"), Some(1.0));
}

#[test]
fn availability_with_maintenance_and_planned_work() {
    let s = site(TICKETS);
    // October: 44,640 min. Maintenance on the 3rd Saturday (10-17) 00:00–04:00: 240 min.
    // Planned work 10-21 01:00–03:00: 120 min. Excluded 360 → 44,280 counted.
    // Downtime: 10-17 03:30–05:00 minus maintenance → 60; 10-20 10:00–11:00 (overlap merged) → 60.
    let r = report(&s, "2026-10", "2026-11-20T00:00");
    assert_eq!(value(&r, "downtime.portal.minutes"), Some(120.0));
    let expected = 100.0 * (44_280.0 - 120.0) / 44_280.0;
    assert!((value(&r, "availability.portal").unwrap() - expected).abs() < 1e-9);
    assert!(
        (value(&r, "error_budget.portal.remaining_minutes").unwrap() - (44.28 - 120.0)).abs()
            < 1e-9
    );
    // `api` is listed in availability.services: reported without outages, at 100 %.
    assert_eq!(value(&r, "availability.api"), Some(100.0));
}

#[test]
fn surveys_and_indicators_with_previous_period() {
    let s = site(TICKETS);
    // CSAT mean of 5 and 4 = 4.5; NPS over 7 and 8: only passives → 0; three responses.
    let r = report(&s, "2026-11", "2026-11-20T12:00");
    assert_eq!(value(&r, "csat.mean"), Some(4.5));
    assert_eq!(value(&r, "nps"), Some(0.0));
    assert_eq!(value(&r, "survey.responses"), Some(3.0));
    let csat = r.indicators.iter().find(|i| i.id == "csat").unwrap();
    assert_eq!(format!("{:?}", csat.status), "Met");
    assert_eq!(csat.previous, None, "no answers in October");
    let major = r.indicators.iter().find(|i| i.id == "major").unwrap();
    assert_eq!(
        format!("{:?}", major.status),
        "Breached",
        "4 critical tickets > 1"
    );
    // No ticket was opened, resolved or open in October: a gap, not 0.
    assert_eq!(major.previous, None);
    assert_eq!(major.change, None);
    // An empty period: every ticket figure is a gap (never 0, never NaN).
    let r = report(&s, "2026-02", "2026-03-01T00:00");
    assert_eq!(value(&r, "tickets.opened"), None);
    assert_eq!(value(&r, "mttr.minutes"), None);
    assert_eq!(value(&r, "csat.mean"), None);
    assert_eq!(value(&r, "sla.resolution.high"), None);
}

#[test]
fn json_output_has_the_documented_shape() {
    let s = site(TICKETS);
    let out = s.run(&[
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-20T12:00",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["period"], "2026-11");
    assert_eq!(v["start"], "2026-11-01T00:00:00+09:00");
    assert_eq!(v["end"], "2026-12-01T00:00:00+09:00");
    assert_eq!(v["as_of"], "2026-11-20T12:00:00+09:00");
    assert_eq!(
        v["kpis"]["tickets.opened"],
        serde_json::json!({"value": 5, "unit": "count"})
    );
    assert_eq!(v["kpis"]["sla.resolution.critical"]["met"], 2);
    assert_eq!(v["kpis"]["mttr.minutes"]["unit"], "minutes");
    assert_eq!(v["indicators"][0]["id"], "major");
    let csv = s.run(&[
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-20T12:00",
        "--format",
        "csv",
    ]);
    let text = stdout(&csv);
    assert!(text.starts_with("period,kpi,value,unit,met,breached,pending\n"));
    assert!(
        text.contains("2026-11,sla.resolution.critical,0.5,ratio,2,2,0\n"),
        "{text}"
    );
    let all = s.run(&[
        "kpi",
        "--period",
        "all",
        "--as-of",
        "2026-11-20T12:00",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&all)).unwrap();
    let labels: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["period"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"2026-W47") && labels.contains(&"2026-11") && labels.contains(&"2026-Q4")
    );
    // Every week, then every month, then every quarter, each oldest first.
    let kind = |l: &str| match l {
        l if l.contains('W') => 0,
        l if l.contains('Q') => 2,
        _ => 1,
    };
    let mut sorted = labels.clone();
    sorted.sort_by_key(|l| (kind(l), l.to_string()));
    assert_eq!(labels, sorted);
    assert_eq!(labels.last(), Some(&"2026-Q4"), "{labels:?}");
}

pub fn kpi_errors(files: &[(&str, &str)]) -> String {
    let mut all = vec![("site.yaml", CONFIG)];
    all.extend_from_slice(files);
    let s = TestSite::new(&all);
    let out = s.run(&["kpi", "--period", "2026-11", "--as-of", "2026-11-20T12:00"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    stderr(&out)
}

pub const OK_REST: [(&str, &str); 3] = [
    ("data/events.csv", EVENTS),
    ("data/downtime.csv", DOWNTIME),
    ("data/surveys.csv", SURVEYS),
];

/// Every column the test configuration maps (a mapped column must exist).
pub const HEADER: &str = "id,priority,opened,responded,resolved,category,tier\n";

fn with_tickets(t: &str) -> String {
    let mut files = vec![("data/tickets.csv", t)];
    files.extend_from_slice(&OK_REST);
    kpi_errors(&files)
}

#[test]
fn bad_rows_are_errors_with_file_line_column_and_value() {
    let e = with_tickets(&format!(
        "{HEADER}A,high,2026-11-01 10:00,,,,\nB,urgent,2026-11-01 10:00,,,,\nC,high,2026/13/01,,,,\nD,high,2026-11-02 10:00,,2026-11-01 10:00,,\nE,high\n"
    ));
    assert!(
        e.contains(
            "data/tickets.csv:3: error: column priority: value \"urgent\": unknown priority"
        ),
        "{e}"
    );
    assert!(
        e.contains(
            "data/tickets.csv:4: error: column opened: value \"2026/13/01\": is not a timestamp"
        ),
        "{e}"
    );
    assert_eq!(
        e.matches("2026/13/01").count(),
        1,
        "the value is shown once: {e}"
    );
    assert!(e.contains("data/tickets.csv:5: error: column resolved: value \"2026-11-01 10:00\": resolved_at is before opened_at"), "{e}");
    assert!(
        e.contains("data/tickets.csv:6: error: the row has 2 fields, the header has 7 (too few)"),
        "{e}"
    );
}

#[test]
fn missing_columns_duplicates_and_missing_files_are_clear() {
    let e = with_tickets("id,priority,opened_at\nA,high,2026-11-01 10:00\n");
    assert!(e.contains("field `opened_at` is mapped by site.yaml's data.tickets.columns.opened_at to column `opened`, which is not in the file (columns found: id, priority, opened_at)"), "{e}");
    // A column one character off the mapped name is named.
    let e = with_tickets("id,priority,opend\nA,high,2026-11-01 10:00\n");
    assert!(
        e.contains("column `opened`, which is not in the file (did you mean `opend`?)"),
        "{e}"
    );
    let e = with_tickets(&format!(
        "{HEADER}A,high,2026-11-01 10:00,,,,\nA,low,2026-11-02 10:00,,,,\n"
    ));
    assert!(
        e.contains("ticket id \"A\" appears 2 times (data/tickets.csv:2, data/tickets.csv:3)"),
        "{e}"
    );
    let e = kpi_errors(&[("data/events.csv", EVENTS)]);
    assert!(
        e.contains("site.yaml:5:5: error: data.tickets: no file matches `data/tickets.csv`"),
        "{e}"
    );
}

/// An export with several rows per ticket: `dedupe` keeps one, chosen by the `by` column
/// compared as numbers (10 after 9, which text order would reverse), then by file order.
#[test]
fn dedupe_keeps_one_row_per_ticket_chosen_by_number() {
    let with_dedupe = |keep: &str| {
        CONFIG.replace(
            "    columns: {id: id, priority: priority,",
            &format!(
                "    dedupe: {{keep: {keep}, by: mod}}\n    columns: {{id: id, priority: priority,"
            ),
        )
    };
    // A on Monday 11-02 10:00, high, 1bd (9 h of 09:00-18:00) → deadline Tuesday 11-03 is
    // 文化の日, so Wednesday 11-04 10:00. Row mod 9 resolves Monday (met), row mod 10 resolves
    // Thursday (breached), row mod 2 Monday as well.
    let tickets = format!(
        "{}A,high,2026-11-02 10:00,,2026-11-02 12:00,障害,L1,9\n\
         A,high,2026-11-02 10:00,,2026-11-05 12:00,障害,L1,10\n\
         A,high,2026-11-02 10:00,,2026-11-02 11:00,障害,L1,2\n",
        HEADER.replace('\n', ",mod\n")
    );
    let outcome = |keep: &str| {
        let mut files = vec![
            ("site.yaml", with_dedupe(keep)),
            ("data/tickets.csv", tickets.clone()),
        ];
        files.extend(OK_REST.iter().map(|(p, t)| (*p, t.to_string())));
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let s = TestSite::new(&files);
        counts(
            &report(&s, "2026-11", "2026-12-01T00:00"),
            "sla.resolution.high",
        )
    };
    assert_eq!(
        outcome("last"),
        (0, 1, 0),
        "mod 10 is the last row: breached"
    );
    assert_eq!(outcome("first"), (1, 0, 0), "mod 2 is the first row: met");
    let mut files = vec![("data/tickets.csv", tickets.as_str())];
    files.extend_from_slice(&OK_REST);
    let config = with_dedupe("last").replace("by: mod", "by: sys_mod_count");
    let mut all = vec![("site.yaml", config.as_str())];
    all.extend_from_slice(&files);
    let out = TestSite::new(&all).run(&["kpi", "--period", "2026-11"]);
    let e = stderr(&out);
    assert!(
        e.contains(
            "field `dedupe.by` is mapped by site.yaml's data.tickets.dedupe.by to column `sys_mod_count`, which is not in the file"
        ),
        "{e}"
    );
}

#[test]
fn quarantine_sets_bad_rows_aside_and_counts_them() {
    let config = CONFIG.replace(
        "    columns: {id: id, priority: priority,",
        "    on_error: quarantine\n    max_quarantined: 100%\n    columns: {id: id, priority: priority,",
    );
    let tickets = format!("{HEADER}A,high,2026-11-01 10:00,,,,\nB,urgent,2026-11-01 11:00,,,,\n");
    let s = TestSite::new(&[
        ("site.yaml", config.as_str()),
        ("data/tickets.csv", tickets.as_str()),
        ("data/events.csv", EVENTS),
        ("data/downtime.csv", DOWNTIME),
        ("data/surveys.csv", SURVEYS),
    ]);
    let out = s.run(&[
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-20T12:00",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("quarantined 1 row(s) of tickets → .opsite/rejects/tickets.csv"));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["kpis"]["tickets.opened"]["value"], 1);
    let rejects = std::fs::read_to_string(s.root().join(".opsite/rejects/tickets.csv")).unwrap();
    assert!(rejects.starts_with("file,line,reason,record\n"));
    assert!(
        rejects.contains("data/tickets.csv,3,")
            && rejects.contains("B,urgent,2026-11-01 11:00,,,,"),
        "{rejects}"
    );
}

#[test]
fn shift_jis_and_bom_exports_and_mapped_priorities() {
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/*.csv
    encoding: shift_jis
    columns: {id: 番号, priority: 優先度, opened_at: 起票日時}
    priorities: {緊急: critical, 高: high}
"#;
    let (sjis, _, _) =
        encoding_rs::SHIFT_JIS.encode("番号,優先度,起票日時\nT1,緊急,2026/11/02 10:00\n");
    let sjis_config = config.replace(
        "columns:",
        "timestamp_format: \"%Y/%m/%d %H:%M\"\n    columns:",
    );
    let s = TestSite::new(&[("site.yaml", sjis_config.as_str())]);
    std::fs::create_dir_all(s.root().join("data")).unwrap();
    std::fs::write(s.root().join("data/a.csv"), sjis.as_ref()).unwrap();
    let r = report(&s, "2026-11", "2026-11-20T12:00");
    assert_eq!(value(&r, "tickets.opened.critical"), Some(1.0));

    let utf8_config = config.replace("    encoding: shift_jis\n", "");
    let utf8 = TestSite::new(&[
        ("site.yaml", utf8_config.as_str()),
        (
            "data/a.csv",
            "\u{feff}番号,優先度,起票日時\nT1,高,2026-11-02 10:00\n",
        ),
    ]);
    assert_eq!(
        value(
            &report(&utf8, "2026-11", "2026-11-20T12:00"),
            "tickets.opened.high"
        ),
        Some(1.0)
    );
}

#[test]
fn parquet_api_usage_alerts_and_negative_cost() {
    use polars::prelude::*;
    let config = format!("{CONFIG}api:\n  daily_budget: 200\n").replace(
        "  surveys:\n",
        "  api_usage:\n    files: data/api.parquet\n    columns: {date: date, user: user, calls: calls, cost: cost}\n  surveys:\n",
    );
    let write = |site: &TestSite, cost: f64| {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut df = DataFrame::new(
            3,
            vec![
                Column::new(
                    "date".into(),
                    vec![d("2026-11-13"), d("2026-11-14"), d("2026-11-14")],
                ),
                Column::new("user".into(), vec!["a", "a", "b"]),
                Column::new("calls".into(), vec![100i64, 210, 40]),
                Column::new("cost".into(), vec![50.0, 310.0, cost]),
            ],
        )
        .unwrap();
        ParquetWriter::new(std::fs::File::create(site.root().join("data/api.parquet")).unwrap())
            .finish(&mut df)
            .unwrap();
    };
    let s = site(TICKETS);
    s.write("site.yaml", &config);
    write(&s, 0.0);
    // 11-14: 250 calls against 100 the day before (2.5×), cost 310 against a budget of 200
    // (1.55×), and user a alone made 210 calls.
    let r = report(&s, "2026-W46", "2026-11-20T00:00");
    let alerts: Vec<(&str, Option<&str>, f64)> = r
        .alerts
        .iter()
        .map(|a| (a.rule, a.user.as_deref(), a.value))
        .collect();
    assert_eq!(
        alerts,
        vec![
            ("calls_spike", None, 2.5),
            ("cost_over_budget", None, 1.55),
            ("user_calls", Some("a"), 210.0)
        ]
    );
    assert_eq!(value(&r, "api.calls"), Some(350.0));
    assert_eq!(value(&r, "api.active_users"), Some(2.0));

    write(&s, -1.0);
    let out = s.run(&["kpi", "--period", "2026-11"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("data/api.parquet:3: error: column cost: value \"-1\": is negative"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn quarantine_keeps_the_bad_rows_of_every_file_of_a_source() {
    let config = CONFIG.replace(
        "    files: data/events.csv\n",
        "    files: data/events-*.csv\n    on_error: quarantine\n    max_quarantined: 100%\n",
    );
    let tickets = format!("{HEADER}A,high,2026-11-01 10:00,,,,\n");
    let s = TestSite::new(&[
        ("site.yaml", config.as_str()),
        ("data/tickets.csv", tickets.as_str()),
        ("data/events-1.csv", "ticket,status,at\nA,対応中,someday\n"),
        (
            "data/events-2.csv",
            "ticket,status,at\nA,解決,2026-11-01 12:00\nA,解決,never\n",
        ),
        ("data/downtime.csv", DOWNTIME),
        ("data/surveys.csv", SURVEYS),
    ]);
    let out = s.run(&["kpi", "--period", "2026-11", "--as-of", "2026-11-20T12:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("quarantined 2 row(s) of ticket_events"),
        "{}",
        stderr(&out)
    );
    let rejects =
        std::fs::read_to_string(s.root().join(".opsite/rejects/ticket_events.csv")).unwrap();
    assert!(
        rejects.contains("data/events-1.csv,2,") && rejects.contains("data/events-2.csv,3,"),
        "{rejects}"
    );
}
