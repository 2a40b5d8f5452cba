//! Tests of the calendars' deadlines, opening hours and durations.
use super::*;
use crate::config::kpi::DayHours;
use crate::kpi::test_time::jst;
use std::collections::BTreeMap;

pub fn business() -> Calendar {
    business_with("09:00-18:00")
}

fn business_with(day: &str) -> Calendar {
    let hours: BTreeMap<String, DayHours> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| (d.to_string(), DayHours::from(day)))
        .collect();
    let cfg = CalendarConfig {
        hours,
        holidays: Some(HolidaySources::One("japan".into())),
        extra_holidays: vec![
            "2026-12-29".into(),
            "2026-12-30".into(),
            "2026-12-31".into(),
        ],
    };
    Calendar::Business(std::sync::Arc::new(
        BusinessCalendar::from_config(&cfg, chrono_tz::Asia::Tokyo, &BTreeMap::new()).unwrap(),
    ))
}

/// The day a start falls on, guessed from its distance to the first day, is the one a
/// search finds, across daylight-saving changes and outside the table; fixed seed.
#[test]
fn the_guessed_day_is_the_searched_day() {
    let hours: BTreeMap<String, DayHours> =
        [("mon".to_string(), DayHours::from("09:00-17:00"))].into();
    let cfg = CalendarConfig {
        hours,
        holidays: None,
        extra_holidays: Vec::new(),
    };
    for tz in [chrono_tz::America::New_York, chrono_tz::Asia::Tokyo] {
        let cal = BusinessCalendar::from_config(&cfg, tz, &BTreeMap::new()).unwrap();
        let first = cal.table[0].0;
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let start = first - 40 * 86_400 + (x % (cal.table.len() as u64 + 80) * 86_400) as i64;
            for s in [start, start - 1, start + 3_600] {
                let want = cal.table.partition_point(|(m, _)| *m <= s);
                assert_eq!(cal.days_started_by(s), want, "{tz} {s}");
            }
        }
    }
}

/// Skipping whole days by their running sums lands where walking them day by day does
/// (a pause far beyond the table forces the walk); fixed seed.
#[test]
fn skipping_days_lands_where_walking_them_does() {
    let cals = [business(), business_with("09:00-12:00,13:00-18:00")];
    let far = [(i64::MAX / 8, i64::MAX / 8 + 1)];
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let start = jst("2026-01-01T00:00") + (x % (400 * 86_400)) as i64;
        let target = ((x >> 32) % (40 * 9 * 3600)) as i64;
        for cal in &cals {
            assert_eq!(
                cal.deadline(start, target, &[]),
                cal.deadline(start, target, &far),
                "start {start} target {target}"
            );
        }
    }
}

#[test]
fn friday_evening_ticket_counts_from_monday_morning() {
    let cal = business();
    // Fri 2026-11-20 17:30: 30 min on Friday, 8.5 h on Monday 11-23? 11-23 is 勤労感謝の日 → Tuesday.
    let d = cal.deadline(jst("2026-11-20T17:30"), 9 * 3600, &[]);
    assert_eq!(d, jst("2026-11-24T17:30"));
}

#[test]
fn deadline_can_fall_exactly_at_closing_time() {
    let cal = business();
    assert_eq!(
        cal.deadline(jst("2026-11-19T09:00"), 9 * 3600, &[]),
        jst("2026-11-19T18:00")
    );
}

#[test]
fn silver_week_is_skipped() {
    let cal = business();
    // Fri 09-18 16:00 + 1bd: 2 h on Friday; 9/19-23 are weekend and holidays; 7 h on Thursday 9/24.
    assert_eq!(
        cal.deadline(jst("2026-09-18T16:00"), 9 * 3600, &[]),
        jst("2026-09-24T16:00")
    );
}

#[test]
fn pauses_stop_the_clock() {
    let pauses = [(jst("2026-11-19T10:00"), jst("2026-11-19T12:00"))];
    assert_eq!(
        Calendar::Always.deadline(jst("2026-11-19T09:00"), 4 * 3600, &pauses),
        jst("2026-11-19T15:00")
    );
}

#[test]
fn lunch_break_stops_the_clock_and_shortens_the_business_day() {
    let cal = business_with("09:00-12:00,13:00-18:00");
    assert_eq!(
        cal.day_secs(),
        8 * 3600,
        "1bd is the usual working day, 8 h"
    );
    assert_eq!(parse_duration("1bd", &cal), Ok(8 * 3600));
    // Thu 11:30 + 1 h: 30 min before lunch, 30 min after → 13:30.
    assert_eq!(
        cal.deadline(jst("2026-11-19T11:30"), 3600, &[]),
        jst("2026-11-19T13:30")
    );
    // Opened during lunch: the clock starts at 13:00.
    assert_eq!(
        cal.deadline(jst("2026-11-19T12:15"), 30 * 60, &[]),
        jst("2026-11-19T13:30")
    );
    // Exactly the morning's three hours end at 12:00, not 13:00.
    assert_eq!(
        cal.deadline(jst("2026-11-19T09:00"), 3 * 3600, &[]),
        jst("2026-11-19T12:00")
    );
    // 1bd from Thu 15:00: 3 h Thu, 5 h Fri (3 h morning + 2 h afternoon) → Fri 15:00.
    assert_eq!(
        cal.deadline(jst("2026-11-19T15:00"), 8 * 3600, &[]),
        jst("2026-11-20T15:00")
    );
}

#[test]
fn day_hours_are_checked() {
    let tz = chrono_tz::Asia::Tokyo;
    let cfg = |day: &str, hours: DayHours| CalendarConfig {
        hours: BTreeMap::from([(day.to_string(), hours)]),
        ..Default::default()
    };
    let list = DayHours::Many(vec!["13:00-18:00".into(), "09:00-12:00".into()]);
    let c = BusinessCalendar::from_config(&cfg("mon", list), tz, &BTreeMap::new()).unwrap();
    assert_eq!(c.day_secs, 8 * 3600, "list form, any order");
    let err = BusinessCalendar::from_config(
        &cfg("mon", "09:00-13:00,12:00-18:00".into()),
        tz,
        &BTreeMap::new(),
    )
    .unwrap_err();
    assert_eq!(err.keys, vec!["hours", "mon"]);
    assert!(err.message.contains("overlap"), "{}", err.message);
    let err =
        BusinessCalendar::from_config(&cfg("Funday", "09:00-18:00".into()), tz, &BTreeMap::new())
            .unwrap_err();
    assert_eq!(err.keys, vec!["hours", "Funday"]);
    assert!(BusinessCalendar::from_config(
        &cfg("月曜日", "22:00-24:00".into()),
        tz,
        &BTreeMap::new()
    )
    .is_ok());
    assert!(
        BusinessCalendar::from_config(&cfg("sat", "closed".into()), tz, &BTreeMap::new()).is_err(),
        "no open day"
    );
}

#[test]
fn durations() {
    let cal = business();
    assert_eq!(parse_duration("2bd", &cal), Ok(18 * 3600));
    assert_eq!(parse_duration("90m", &Calendar::Always), Ok(5400));
    assert!(parse_duration("soon", &cal).is_err());
    assert!(parse_duration("0m", &cal).is_err());
    assert!(parse_duration("99999999999999999999h", &cal).is_err());
}
