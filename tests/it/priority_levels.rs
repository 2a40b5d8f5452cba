//! Five priority levels (P1–P5), reopens and first-contact resolution: a generated export with
//! business-hours targets, computed by opsite and, independently, minute by minute here; the
//! report pages list the five levels in order under their labels.

use std::collections::BTreeMap;

use opsite::config::SiteConfig;
use opsite::kpi::period::Period;
use opsite::kpi::report::PeriodReport;
use opsite::kpi::Engine;

use opsite::output_file::OutputContent;

use crate::support::{file, messages, said, TestSite};

const CONFIG: &str = r#"
timezone: Asia/Tokyo
priority_levels: [p1, p2, p3, p4, p5]
labels:
  priority: {p1: P1 緊急, p2: P2 高, p3: P3 中, p4: P4 低, p5: P5 計画}
data:
  tickets:
    files: data/tickets.csv
    columns: {id: id, priority: 優先度, opened_at: 起票, resolved_at: 解決, reopened_at: 再オープン, first_contact: 一次解決, customer: 顧客}
    priorities: {"1 - 緊急": p1, "2 - 高": p2, "3 - 中": p3, "4 - 低": p4, "5 - 計画": p5}
calendars:
  business:
    hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
sla:
  resolution:
    p1: {within: 4h, calendar: always}
    p2: {within: 8h, calendar: business}
    p3: {within: 3bd, calendar: business}
    p4: {within: 5bd, calendar: business}
    p5: {within: 10bd, calendar: business}
contracts:
  - {name: 標準, customers: "*", calendar: business}
"#;

/// Business minutes of each level's target (9-hour days); None: around the clock.
const TARGETS: [(i64, bool); 5] = [
    (240, false),
    (480, true),
    (1620, true),
    (2700, true),
    (5400, true),
];
const PRIORITY_CELLS: [&str; 5] = ["1 - 緊急", "2 - 高", "3 - 中", "4 - 低", "5 - 計画"];
const CUSTOMERS: [&str; 2] = ["東都システム", "北陸精機"];
/// Yes: Y, はい, `yes ` (trimmed), ○, TRUE (any case); no: the rest.
const FIRST_CONTACT_CELLS: [(&str, bool); 8] = [
    ("Y", true),
    ("はい", true),
    ("yes ", true),
    ("○", true),
    ("TRUE", true),
    ("N", false),
    ("", false),
    ("いいえ", false),
];
const JST: i64 = 9 * 3600;

/// 2026-09-28 00:00 JST (a Monday: the first day of 2026-W40) as UTC seconds.
fn start_of_data() -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, 9, 28)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
        - JST
}

struct Ticket {
    level: usize,
    customer: usize,
    opened: i64,
    resolved: Option<i64>,
    reopened: Option<i64>,
    first_contact: bool,
}

/// A fixed-seed generator (no crate: the sequence must not change with a dependency).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn tickets() -> (Vec<Ticket>, String) {
    let mut rng = Lcg(20261127);
    let mut csv = String::from("id,優先度,起票,解決,再オープン,一次解決,顧客\n");
    let mut out = Vec::new();
    let local = |t: i64| {
        chrono::DateTime::from_timestamp(t + JST, 0)
            .unwrap()
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    for n in 0..500 {
        // Opened any minute of nine weeks; resolved within 20 days (one in seven never).
        let opened = start_of_data() + 60 * rng.below(63 * 24 * 60) as i64;
        let resolved = (rng.below(7) != 0).then(|| opened + 60 * rng.below(20 * 24 * 60) as i64);
        let reopened = (rng.below(5) == 0).then(|| opened + 60 * rng.below(25 * 24 * 60) as i64);
        let (cell, first_contact) = FIRST_CONTACT_CELLS[rng.below(8) as usize];
        let t = Ticket {
            level: rng.below(5) as usize,
            customer: rng.below(2) as usize,
            opened,
            resolved,
            reopened,
            first_contact,
        };
        let maybe = |t: Option<i64>| t.map(local).unwrap_or_default();
        csv.push_str(&format!(
            "INC{n:04},{},{},{},{},{cell},{}\n",
            PRIORITY_CELLS[t.level],
            local(t.opened),
            maybe(t.resolved),
            maybe(t.reopened),
            CUSTOMERS[t.customer]
        ));
        out.push(t);
    }
    (out, csv)
}

/// Monday to Friday, 09:00–18:00 in Tokyo.
fn business_minute(t: i64) -> bool {
    let local = t + JST;
    let weekday = (local.div_euclid(86400) + 3) % 7; // 1970-01-01 was a Thursday
    let minute = local.rem_euclid(86400) / 60;
    weekday < 5 && (540..1080).contains(&minute)
}

/// The instant the target runs out, counted a minute at a time.
fn deadline(t: &Ticket) -> i64 {
    let (minutes, business) = TARGETS[t.level];
    if !business {
        return t.opened + minutes * 60;
    }
    let (mut at, mut counted) = (t.opened, 0);
    loop {
        if business_minute(at) {
            counted += 1;
            if counted == minutes {
                return at + 60;
            }
        }
        at += 60;
    }
}

/// Everything the issue names for one window, worked out from the rows.
fn expected(rows: &[&Ticket], start: i64, cut: i64) -> BTreeMap<String, f64> {
    let mut e = BTreeMap::new();
    let within = |t: Option<i64>| t.is_some_and(|t| t >= start && t < cut);
    let count = |f: &dyn Fn(&Ticket) -> bool| rows.iter().filter(|t| f(t)).count() as f64;
    let resolved = count(&|t| within(t.resolved));
    e.insert("tickets.opened".into(), count(&|t| within(Some(t.opened))));
    e.insert("tickets.resolved".into(), resolved);
    let before = |x: Option<i64>| x.is_some_and(|x| x < cut);
    e.insert(
        "tickets.backlog".into(),
        count(&|t| t.opened < cut && !before(t.resolved)),
    );
    for level in 0..5 {
        let key = format!("p{}", level + 1);
        let of_level: Vec<&&Ticket> = rows.iter().filter(|t| t.level == level).collect();
        let (mut met, mut breached, mut pending) = (0.0, 0.0, 0.0);
        for t in of_level {
            let d = deadline(t);
            let (decided, ok) = match t.resolved {
                Some(r) if r <= d => (r, true),
                _ => (d, false),
            };
            if t.opened < cut && decided >= cut {
                pending += 1.0;
            } else if decided >= start && decided < cut {
                *(if ok { &mut met } else { &mut breached }) += 1.0;
            }
        }
        e.insert(format!("sla.resolution.{key}.met"), met);
        e.insert(format!("sla.resolution.{key}.breached"), breached);
        e.insert(format!("sla.resolution.{key}.pending"), pending);
        e.insert(
            format!("tickets.opened.{key}"),
            count(&|t| t.level == level && within(Some(t.opened))),
        );
    }
    let reopened = count(&|t| within(t.resolved) && before(t.reopened));
    let first = count(&|t| within(t.resolved) && t.first_contact);
    e.insert("tickets.reopened".into(), reopened);
    e.insert("tickets.first_contact".into(), first);
    if resolved > 0.0 {
        e.insert("tickets.reopen_rate".into(), reopened / resolved);
        e.insert("tickets.first_contact_rate".into(), first / resolved);
    }
    e
}

/// The same names read from opsite's report (`<prefix>` for a customer's).
fn computed(r: &PeriodReport, prefix: &str, like: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    like.keys()
        .map(|k| {
            let value = match k.rsplit_once('.') {
                Some((id, part @ ("met" | "breached" | "pending"))) => {
                    let kpi = &r.kpis[&format!("{prefix}{id}")];
                    match part {
                        "met" => kpi.met,
                        "breached" => kpi.breached,
                        _ => kpi.pending,
                    }
                    .map(|n| n as f64)
                }
                _ => r.kpis.get(&format!("{prefix}{k}")).and_then(|x| x.value),
            };
            (k.clone(), value.unwrap_or(f64::NAN))
        })
        .collect()
}

fn site() -> (TestSite, Vec<Ticket>) {
    let (rows, csv) = tickets();
    let site = TestSite::new(&[("site.yaml", CONFIG), ("data/tickets.csv", &csv)]);
    (site, rows)
}

#[test]
fn five_levels_reopens_and_first_contact_match_a_minute_by_minute_computation() {
    let (site, rows) = site();
    let (config, _) = SiteConfig::load(site.root()).unwrap();
    let loaded = opsite::data::load(site.root(), &config.kpi).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(loaded.data.tickets.len(), rows.len(), "every row read");
    let engine = Engine::new(&config.kpi, &loaded.data).unwrap_or_else(|e| panic!("{e:?}"));
    let mut periods: Vec<String> = (40..=48).map(|w| format!("2026-W{w}")).collect();
    periods.extend(["2026-10".to_string(), "2026-11".to_string()]);
    // Each period when over, and November and its week 47 measured part-way.
    let mut requests: Vec<(String, &str)> = periods
        .iter()
        .map(|p| (p.clone(), "2026-12-31T00:00"))
        .collect();
    requests.push(("2026-11".into(), "2026-11-18T12:34"));
    requests.push(("2026-W47".into(), "2026-11-18T12:34"));
    let all: Vec<&Ticket> = rows.iter().collect();
    let mut checked_rates = 0;
    let mut seen: BTreeMap<String, f64> = BTreeMap::new();
    for (period, as_of) in &requests {
        let p = Period::parse(period, engine.tz).unwrap();
        let as_of = opsite::cmd::kpi::parse_as_of(as_of, engine.tz).unwrap();
        let cut = p.end.min(as_of);
        let report = engine.report(&p, as_of);
        let want = expected(&all, p.start, cut);
        assert_eq!(computed(&report, "", &want), want, "{period} as of {as_of}");
        checked_rates += want.contains_key("tickets.reopen_rate") as usize;
        for (k, v) in &want {
            let part = k.rsplit('.').next().unwrap_or_default();
            *seen.entry(part.to_string()).or_insert(0.0) += v;
        }
        for (n, name) in CUSTOMERS.iter().enumerate() {
            let own: Vec<&Ticket> = rows.iter().filter(|t| t.customer == n).collect();
            let mut want = expected(&own, p.start, cut);
            // Opened per level is counted for the whole site only.
            want.retain(|k, _| !k.starts_with("tickets.opened."));
            let prefix = format!("customer.{name}.");
            assert_eq!(computed(&report, &prefix, &want), want, "{name} {period}");
        }
    }
    assert!(checked_rates >= 10, "rates were compared in most periods");
    // The comparison covered every kind of outcome, not zeros alone.
    for part in [
        "met",
        "breached",
        "pending",
        "reopened",
        "first_contact",
        "backlog",
    ] {
        assert!(seen[part] > 0.0, "some {part}: {seen:?}");
    }
}

#[test]
fn report_pages_list_the_five_levels_in_order_with_their_labels_and_both_rates() {
    let (site, _) = site();
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    let page = file(&r, "reports/monthly/2026-10/index.html");
    let places: Vec<usize> = ["P1 緊急", "P2 高", "P3 中", "P4 低", "P5 計画"]
        .iter()
        .map(|label| {
            page.find(label)
                .unwrap_or_else(|| panic!("{label} on the page"))
        })
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "in order: {places:?}"
    );
    for row in ["再オープン率", "一次解決率"] {
        assert!(page.contains(row), "{row} on the monthly report");
    }
    assert!(
        !page.contains(">critical<") && !page.contains(">緊急<"),
        "no default level is shown beside the site's own"
    );
}

#[test]
fn the_default_levels_written_out_build_the_same_bytes_as_none() {
    let fixture = || TestSite::fixture("reports-site");
    let (plain, written) = (fixture(), fixture());
    written.edit_config(|c| format!("priority_levels: [critical, high, medium, low]\n{c}"));
    let (a, b) = (plain.build(), written.build());
    assert_eq!(a.diagnostics.error_count(), 0, "{:?}", messages(&a));
    assert_eq!(a.files.len(), b.files.len());
    let rendered = |r: &opsite::site::BuildResult| -> BTreeMap<String, Vec<u8>> {
        (r.files.iter())
            .filter_map(|f| match &f.content {
                OutputContent::Bytes(b) => Some((f.path.clone(), b.to_vec())),
                _ => None,
            })
            .collect()
    };
    let (a, b) = (rendered(&a), rendered(&b));
    assert!(a.len() > 40, "the reports were rendered");
    for (path, bytes) in &a {
        assert!(b.get(path) == Some(bytes), "{path} differs");
    }
}

#[test]
fn mistakes_with_levels_are_reported_at_their_line() {
    let (site, _) = site();
    let check = |edit: &dyn Fn(&str) -> String| {
        site.edit_config(|_| edit(CONFIG));
        said(&site.run(&["check"]))
    };
    let out = check(&|c| c.replace("[p1, p2, p3, p4, p5]", "\n  - p1\n  - P2\n  - p3"));
    assert!(
        out.contains("site.yaml:5:3: error: priority_levels: `P2` is not a key"),
        "{out}"
    );
    let out = check(&|c| c.replace("\"5 - 計画\": p5", "\"5 - 計画\": p6"));
    assert!(
        out.contains("error: data.tickets.priorities: `5 - 計画` maps to `p6`, which is not a priority level (p1, p2, p3, p4, p5)"),
        "{out}"
    );
    let out = check(&|c| c.replace("    p5: {within: 10bd", "    low: {within: 10bd"));
    assert!(
        out.contains("error: sla.resolution.low: `low` is not a priority (p1, p2, p3, p4, p5)"),
        "{out}"
    );
    // A preset's map names the default levels: with others the site maps the values itself.
    let out = check(&|c| {
        let without = c.replace(
            "    priorities: {\"1 - 緊急\": p1, \"2 - 高\": p2, \"3 - 中\": p3, \"4 - 低\": p4, \"5 - 計画\": p5}\n",
            "    preset: servicenow\n",
        );
        assert_ne!(without, c);
        without
    });
    assert!(
        out.contains("site.yaml:3:1: error: priority_levels: the servicenow preset maps its export's priorities to critical, high, medium and low, which are not all this site's levels"),
        "{out}"
    );
    let out = check(&|c| c.replace("p1: P1 緊急", "critical: P1 緊急"));
    assert!(
        out.contains("warning: labels.priority.critical: labels name the site's priority levels (p1, p2, p3, p4, p5"),
        "{out}"
    );
}

#[test]
fn reopens_from_the_status_history_give_the_figures_of_the_column() {
    let (rows, csv) = tickets();
    let mut events = String::from("id,status,at\n");
    for (n, t) in rows.iter().enumerate() {
        let at = |t: i64| {
            chrono::DateTime::from_timestamp(t + JST, 0)
                .unwrap()
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        events.push_str(&format!("INC{n:04},New,{}\n", at(t.opened)));
        if let Some(r) = t.reopened {
            events.push_str(&format!("INC{n:04},Reopened,{}\n", at(r)));
        }
    }
    let from_events = CONFIG
        .replace(
            "reopened_at: 再オープン",
            "reopened_at: {first_status: [Reopened]}",
        )
        .replace(
            "calendars:",
            "  ticket_events:\n    files: data/events.csv\ncalendars:",
        );
    let site = TestSite::new(&[
        ("site.yaml", &from_events),
        ("data/tickets.csv", &csv),
        ("data/events.csv", &events),
    ]);
    let kpi = site.kpi_json("2026-10", "2026-12-31T00:00");
    let all: Vec<&Ticket> = rows.iter().collect();
    let (start, end) = (start_of_data() + 3 * 86400, start_of_data() + 34 * 86400);
    let want = expected(&all, start, end);
    for id in ["tickets.reopened", "tickets.reopen_rate"] {
        let got = kpi["kpis"][id]["value"].as_f64();
        assert_eq!(got, Some(want[id]), "{id}: {kpi}");
    }
    // A misspelt status is named with the statuses the export has, not a silent 0 %.
    site.edit_config(|c| c.replace("[Reopened]", "[Reopend]"));
    let out = said(&site.run(&["check"]));
    assert!(
        out.contains("warning: data.tickets.columns.reopened_at: no event of data.ticket_events enters Reopend (its statuses: New, Reopened)"),
        "{out}"
    );
}

#[test]
fn labels_read_level_keys_in_any_case_and_a_first_contact_column_with_no_yes_is_named() {
    let (site, _) = site();
    site.edit_config(|c| {
        c.replace("p1: P1 緊急", "P1: P1 緊急")
            .replace("p5: P5 計画", "p05: P5 計画")
    });
    let r = site.build();
    let page = file(&r, "reports/monthly/2026-10/index.html");
    assert!(page.contains("P1 緊急"), "`P1:` labels p1");
    let out = said(&site.run(&["check"]));
    assert!(
        out.contains("warning: labels.priority.p05: did you mean p5?"),
        "{out}"
    );
    // 〇 (U+3007) is not ○ (U+25CB): every ticket would read as no without a word.
    let (_, csv) = tickets();
    site.write(
        "data/tickets.csv",
        &csv.replace(",Y,", ",〇,")
            .replace(",はい,", ",〇,")
            .replace(",yes ,", ",〇,")
            .replace(",○,", ",〇,")
            .replace(",TRUE,", ",〇,"),
    );
    let out = said(&site.run(&["check"]));
    assert!(
        out.contains("warning: data.tickets.columns.first_contact: no ticket's value is one of Y, yes, true, 1, はい, ○"),
        "{out}"
    );
}

#[test]
fn hostile_settings_are_read_as_written_or_refused_at_their_line() {
    let (site, _) = site();
    // The manual's default list, copied as it is: `true` and `1` are values, not YAML's.
    site.edit_config(|c| {
        c.replace(
            "    priorities:",
            "    first_contact_values: [Y, yes, true, 1, はい, ○]\n    priorities:",
        )
    });
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", said(&out));
    // Two spellings of one level's target: one would be dropped without a word.
    site.edit_config(|c| {
        c.replace(
            "    p2: {within: 8h",
            "    P2: {within: 1h}\n    p2: {within: 8h",
        )
    });
    let out = said(&site.run(&["check"]));
    assert!(
        out.contains(
            "error: sla.resolution.p2: `p2` and `P2` both set the target of level p2: keep one"
        ),
        "{out}"
    );
    site.edit_config(|c| {
        c.replace("    P2: {within: 1h}\n", "")
            .replace("[Y, yes, true, 1, はい, ○]", "[]")
    });
    let out = said(&site.run(&["check"]));
    assert!(
        out.contains("error: data.tickets.first_contact_values: lists no value"),
        "{out}"
    );
    // Control characters and noncharacters in a label reach no page, chart or mail raw.
    site.edit_config(|c| {
        c.replace("    first_contact_values: []\n", "")
            .replace("p1: P1 緊急", "p1: \"P1\\u0000緊\\u001b急\\uFFFE\\n次\"")
    });
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    let page = file(&r, "reports/monthly/2026-10/index.html");
    assert!(
        page.contains("P1\u{fffd}緊\u{fffd}急\u{fffd} 次"),
        "the label, cleaned"
    );
    assert!(!page.contains('\u{0}') && !page.contains('\u{fffe}') && !page.contains('\u{1b}'));
}

#[test]
fn explain_shows_a_tickets_reopen_and_first_contact() {
    let (site, rows) = site();
    for (n, t) in rows.iter().enumerate().take(40) {
        let id = format!("INC{n:04}");
        let out = site.run(&["kpi", "--explain", &id, "--as-of", "2026-12-31T00:00"]);
        let text = crate::support::stdout(&out);
        let reopened = t.reopened.map_or("—".to_string(), |r| {
            chrono::DateTime::from_timestamp(r + JST, 0)
                .unwrap()
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        });
        assert!(
            text.contains(&format!("  reopened   {reopened}\n")),
            "{id}: {text}"
        );
        let first = if t.first_contact { "yes" } else { "no" };
        assert!(
            text.contains(&format!("  first contact  {first}\n")),
            "{id}: {text}"
        );
    }
}
