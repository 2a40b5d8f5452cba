//! Contracts per customer, end to end through `opsite kpi`. Figures are worked out by hand in
//! the comments (2026-11-22 is a Sunday; Monday 11-23 is 勤労感謝の日).

use crate::support::{stderr, TestSite};

const CONFIG: &str = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
    columns: {id: id, priority: priority, opened_at: opened, responded_at: responded, resolved_at: resolved, customer: customer}
calendars:
  business:
    hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: japan
sla:
  response:
    critical: {within: 1h}
    high: {within: 4h}
  resolution:
    critical: {within: 8h}
contracts:
  - {name: premium, customers: ["ACME 株式会社", "北海物流"], calendar: always, response: {critical: {within: 15m}}, resolution: {critical: {within: 2h}}}
  - {name: standard, customers: "*", calendar: business}
availability:
  services: [portal]
"#;

// P  premium critical, Sun 10:00: response 15 min (24x7) → 10:15, answered 10:20: breached;
//    resolution 2 h → 12:00, resolved 11:50: met.
// S  standard critical at the same moment: business hours start Tue 11-24 09:00 (Sun, and the
//    Monday holiday); response 1 h → Tue 10:00, answered Sun 10:20: met; resolution 8 h → Tue
//    17:00, resolved Tue 16:00: met.
// PH premium high, Sun 10:00: no premium target, so the top-level 4 h on the contract's
//    calendar (24x7) → 14:00, answered 13:00: met.
// SH standard high, Sun 10:00: 4 h of business time → Tue 13:00, answered Tue 14:00: breached.
// D  a customer whose name holds dots, under `*`: critical, answered Tue 09:30: met.
const TICKETS: &str = "id,priority,opened,responded,resolved,customer
P,critical,2026-11-22 10:00,2026-11-22 10:20,2026-11-22 11:50,ACME 株式会社
S,critical,2026-11-22 10:00,2026-11-22 10:20,2026-11-24 16:00,南海商事
PH,high,2026-11-22 10:00,2026-11-22 13:00,,ACME 株式会社 
SH,high,2026-11-22 10:00,2026-11-24 14:00,,南海商事
D,critical,2026-11-24 09:00,2026-11-24 09:30,,example.co.jp
";

fn kpi(site: &TestSite, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-30T00:00",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = site.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sla(k: &serde_json::Value, id: &str) -> (u64, u64) {
    let x = &k[id];
    assert!(x.is_object(), "no KPI {id}");
    (x["met"].as_u64().unwrap(), x["breached"].as_u64().unwrap())
}

#[test]
fn each_ticket_is_measured_against_its_customers_contract() {
    let site = TestSite::new(&[("site.yaml", CONFIG), ("data/tickets.csv", TICKETS)]);
    let r = kpi(&site, &[]);
    let k = &r["kpis"];
    assert_eq!(
        sla(k, "sla.response.critical"),
        (2, 1),
        "S and D met, P breached"
    );
    assert_eq!(sla(k, "sla.response.high"), (1, 1), "PH met, SH breached");
    // D is never resolved: 8 h of business time from Tue 09:00 → breached at Tue 17:00.
    assert_eq!(
        sla(k, "sla.resolution.critical"),
        (2, 1),
        "P and S met, D breached"
    );
    assert_eq!(
        sla(k, "customer.ACME 株式会社.sla.response.critical"),
        (0, 1)
    );
    assert_eq!(sla(k, "customer.南海商事.sla.response.critical"), (1, 0));
    assert_eq!(sla(k, "customer.南海商事.sla.response.high"), (0, 1));
    assert_eq!(
        k["customer.ACME 株式会社.tickets.opened"]["value"], 2,
        "trimmed names match"
    );
    assert_eq!(
        k["customer.ACME 株式会社.mttr.minutes"]["value"], 110,
        "P: 10:00 → 11:50"
    );
    assert_eq!(
        k["customer.example.co.jp.tickets.backlog"]["value"], 1,
        "dots in a name are kept"
    );
    assert_eq!(
        k["customer.北海物流.tickets.opened"]["value"], 0,
        "named in a contract, no tickets"
    );
}

#[test]
fn one_customer_alone_with_plain_ids() {
    let site = TestSite::new(&[("site.yaml", CONFIG), ("data/tickets.csv", TICKETS)]);
    let r = kpi(&site, &["--customer", "ACME 株式会社"]);
    assert_eq!(
        r["customer"], "ACME 株式会社",
        "the output says whose figures these are"
    );
    let k = &r["kpis"];
    assert_eq!(k["tickets.opened"]["value"], 2);
    assert_eq!(sla(k, "sla.response.critical"), (0, 1));
    assert_eq!(sla(k, "sla.response.high"), (1, 0));
    assert!(
        k["availability.portal"].is_object(),
        "availability is shared"
    );
    assert!(k
        .as_object()
        .unwrap()
        .keys()
        .all(|id| !id.starts_with("customer.")));
    let out = site.run(&["kpi", "--period", "2026-11", "--customer", "ACME"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--customer `ACME`: no such customer; customers: ACME 株式会社, example.co.jp, 北海物流, 南海商事"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_ticket_no_contract_covers_is_reported_or_quarantined() {
    let strict = CONFIG.replace(
        "  - {name: standard, customers: \"*\", calendar: business}\n",
        "",
    );
    let site = TestSite::new(&[("site.yaml", &strict), ("data/tickets.csv", TICKETS)]);
    let out = site.run(&["kpi", "--period", "2026-11"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("data/tickets.csv:3: error: column customer: value \"南海商事\": no contract names this customer (contracts: premium)"),
        "{err}"
    );
    assert!(
        err.contains("data/tickets.csv:6:"),
        "every unmatched row: {err}"
    );
    let quarantine = strict.replace(
        "customer: customer}",
        "customer: customer}\n    on_error: quarantine\n    max_quarantined: 100%",
    );
    site.write("site.yaml", &quarantine);
    let r = kpi(&site, &[]);
    assert_eq!(r["kpis"]["tickets.opened"]["value"], 2, "P and PH are kept");
    let rejects = std::fs::read_to_string(site.root().join(".opsite/rejects/tickets.csv")).unwrap();
    assert_eq!(
        rejects.lines().count(),
        4,
        "header and three rows: {rejects}"
    );
}

#[test]
fn contract_mistakes_point_at_the_contract() {
    let bad = CONFIG.replace(
        "resolution: {critical: {within: 2h}}}",
        "resolution: {critical: {within: 2 hours}}}",
    );
    let site = TestSite::new(&[("site.yaml", &bad), ("data/tickets.csv", TICKETS)]);
    let err = stderr(&site.run(&["kpi", "--period", "2026-11"]));
    let line = bad
        .lines()
        .position(|l| l.contains("name: premium"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("site.yaml:{line}:")), "{err}");
    assert!(
        err.contains("contracts[0].resolution.critical.within: `2 hours` is not a duration"),
        "{err}"
    );
}

#[test]
fn with_contracts_an_empty_customer_is_a_row_error() {
    let tickets = format!("{TICKETS}E,high,2026-11-24 09:00,,,\n");
    let site = TestSite::new(&[("site.yaml", CONFIG), ("data/tickets.csv", &tickets)]);
    let err = stderr(&site.run(&["kpi", "--period", "2026-11"]));
    assert!(
        err.contains("data/tickets.csv:7: error: column customer: is empty (with contracts, every ticket needs its customer)"),
        "{err}"
    );
}
