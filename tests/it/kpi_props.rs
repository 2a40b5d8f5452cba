//! No KPI input may panic: generated periods, cut-offs, durations, conditions, calendars, cells
//! with custom timestamp formats and whole ticket exports come back as values or as errors.

use std::collections::BTreeMap;

use chrono_tz::Asia::Tokyo;
use opsite::cmd::kpi::parse_as_of;
use opsite::config::kpi::{CalendarConfig, DayHours};
use opsite::config::SiteConfig;
use opsite::data::cells::{Cell, CellReader};
use opsite::kpi::calendar::{parse_duration, BusinessCalendar, Calendar};
use opsite::kpi::indicators::Condition;
use opsite::kpi::period::Period;
use opsite::kpi::zone::LocalZone;
use opsite::kpi::Engine;
use proptest::prelude::*;

use crate::support::TestSite;

/// Text around the shapes users type: digits, separators, units and time marks.
fn kpi_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(
            &[
                "2026", "-", "W", "Q", "13", "0", "99", "262142", "-12", "T", ":", "00", "+09:00",
                "Z", "%", "m", "h", "bd", "d", ".", "5", ">=", "<", "==", " ", "e9", "NaN", "inf",
                "９", "月", ",", "-0", "1e400",
            ][..],
        ),
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn periods_cut_offs_durations_and_conditions_never_panic(
        s in kpi_text(),
        raw in ".{0,24}",
        year in any::<i32>(),
        n in any::<u32>(),
    ) {
        for text in [s.as_str(), raw.as_str(), &format!("{year}-{n}"), &format!("{year}-W{n}"), &format!("{year}-Q{n}")] {
            if let Ok(p) = Period::parse(text, Tokyo) {
                prop_assert!(p.start < p.end);
                let _ = p.previous(Tokyo);
                let _ = p.next(Tokyo);
            }
            let _ = parse_as_of(text, Tokyo);
            let _ = parse_duration(text, &Calendar::Always);
            if let Ok(c) = Condition::parse(text) {
                for unit in [opsite::kpi::report::Unit::Ratio, opsite::kpi::report::Unit::Minutes] {
                    let _ = c.for_unit(unit);
                }
            }
        }
        let _ = parse_as_of(&format!("{year}-{:02}-01T00:00", n % 100), Tokyo);
    }

    #[test]
    fn calendars_from_any_hours_never_panic(
        days in prop::collection::btree_map(
            prop::sample::select(&["mon", "tue", "sat", "sun", "Funday", "月曜"][..]),
            prop::collection::vec(kpi_text(), 1..3),
            0..4,
        ),
        start in -100_000_000i64..5_000_000_000,
        target in 1i64..10_000_000,
    ) {
        let hours: BTreeMap<String, DayHours> = days
            .into_iter()
            .map(|(d, v)| (d.to_string(), DayHours::Many(v)))
            .collect();
        let cfg = CalendarConfig { hours, holidays: Some(opsite::config::kpi::HolidaySources::One("japan".into())), extra_holidays: vec![] };
        if let Ok(cal) = BusinessCalendar::from_config(&cfg, Tokyo, &Default::default()) {
            let cal = Calendar::Business(std::sync::Arc::new(cal));
            prop_assert!(cal.deadline(start, target, &[]) >= start);
        }
    }

    #[test]
    fn cells_with_any_timestamp_format_never_panic(
        format in prop::option::of(prop::sample::select(&["%d/%m/%Y %H:%M", "%Y%m%d", "%s", "%Q", "%", "%Y-%m-%dT%H:%M:%S%z", "%e %b %Y"][..])),
        text in kpi_text(),
        secs in any::<i64>(),
    ) {
        let zone = LocalZone::new(Tokyo);
        let reader = CellReader::new(&zone, format, &[]);
        for cell in [Cell::Text(&text), Cell::Local(secs), Cell::Instant(secs)] {
            if let Ok(Some(t)) = reader.timestamp(cell) {
                prop_assert!(opsite::kpi::period::supported_instant(t), "{t}");
            }
            let _ = reader.number(cell);
            let _ = reader.date(cell);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whole runs: a generated export through loading, clocks and every period.
    #[test]
    fn generated_ticket_exports_load_or_fail_with_located_errors(
        rows in prop::collection::vec(
            (
                prop::sample::select(&["A", "B", "", "チケット1"][..]),
                prop::sample::select(&["critical", "high", "urgent", "", "P1"][..]),
                prop::sample::select(&["2026-11-02 10:00", "2026-11-02T01:00:00Z", "20266-11-02 10:00", "", "2100-12-31 23:59", "1970-01-01 00:00"][..]),
                prop::sample::select(&["", "2026-11-02 11:00", "2026-11-01 09:00", "x"][..]),
            ),
            0..6,
        ),
    ) {
        let mut csv = String::from("id,priority,opened_at,resolved_at\n");
        for (n, (id, p, opened, resolved)) in rows.iter().enumerate() {
            csv.push_str(&format!("{id}{n},{p},{opened},{resolved}\n"));
        }
        let site = TestSite::new(&[
            ("site.yaml", "data:\n  tickets:\n    files: data/t.csv\nsla:\n  resolution:\n    high: {within: 1bd, calendar: office}\ncalendars:\n  office:\n    hours: {mon: \"09:00-12:00,13:00-18:00\"}\nindicators:\n  - {id: x, kpi: sla.resolution.high, target: \">= 90%\"}\n"),
            ("data/t.csv", &csv),
        ]);
        let (config, _) = SiteConfig::load(site.root()).unwrap();
        match opsite::data::load(site.root(), &config.kpi) {
            Ok(loaded) => {
                let engine = Engine::new(&config.kpi, &loaded.data).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                let cut = parse_as_of("2101-01-01T00:00", Tokyo).unwrap_or(4_000_000_000);
                let periods: Vec<(Period, i64)> = engine.all_periods(cut).into_iter().map(|p| { let e = p.end; (p, e) }).collect();
                let _ = engine.reports(&periods);
            }
            Err(errors) => {
                for e in errors {
                    prop_assert!(e.location.line.is_some() || e.location.file.ends_with("t.csv"), "{}", e);
                }
            }
        }
    }
}
