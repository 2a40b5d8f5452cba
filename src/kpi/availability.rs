//! Availability per service: the window `[start, cut)` less excluded time (maintenance windows
//! and planned outages), and downtime as the union of unplanned outages inside it.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;

use super::holidays::nth_weekday;
use super::intervals::{clip, merge, subtract, total, Interval};
use super::tables::Outages;
use crate::config::kpi::MaintenanceConfig;

/// A recurring maintenance window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    pub every: Every,
    /// Seconds after local midnight; an end at or before the start ends the next day.
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Day,
    Week(Weekday),
    /// nth weekday of each month.
    Month(u32, Weekday),
}

fn hhmm(s: &str) -> Result<u32, String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map(|t| chrono::Timelike::num_seconds_from_midnight(&t))
        .map_err(|_| format!("`{s}` is not HH:MM"))
}

impl Maintenance {
    pub fn from_config(c: &MaintenanceConfig) -> Result<Maintenance, String> {
        let wd = || {
            c.weekday
                .as_deref()
                .and_then(crate::weekdays::parse)
                .ok_or_else(|| "maintenance: `weekday` must be mon … sun".to_string())
        };
        let every = match c.every.as_str() {
            "day" => Every::Day,
            "week" => Every::Week(wd()?),
            "month" => Every::Month(
                c.nth
                    .filter(|n| (1..=5).contains(n))
                    .ok_or("maintenance: `nth` must be 1 … 5")?,
                wd()?,
            ),
            other => {
                return Err(format!(
                    "maintenance: every `{other}` (use month, week or day)"
                ))
            }
        };
        Ok(Maintenance {
            every,
            start: hhmm(&c.start)?,
            end: hhmm(&c.end)?,
        })
    }

    fn window_on(&self, day: NaiveDate, tz: Tz) -> Interval {
        let base = day.and_hms_opt(0, 0, 0).expect("midnight");
        let at = |secs: i64| super::period::local_instant(tz, base + Duration::seconds(secs));
        let end = if self.end <= self.start {
            self.end as i64 + 86_400
        } else {
            self.end as i64
        };
        (at(self.start as i64), at(end))
    }

    /// Windows overlapping `[from, to)`.
    pub fn windows(&self, from: i64, to: i64, tz: Tz) -> Vec<Interval> {
        let first = tz
            .timestamp_opt(from, 0)
            .single()
            .map(|d| d.date_naive())
            .unwrap_or_default()
            - Duration::days(1);
        let last = tz
            .timestamp_opt(to, 0)
            .single()
            .map(|d| d.date_naive())
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut day = first;
        while day <= last {
            let hit = match self.every {
                Every::Day => true,
                Every::Week(w) => day.weekday() == w,
                Every::Month(n, w) => nth_weekday(day.year(), day.month(), w, n) == Some(day),
            };
            if hit {
                out.push(self.window_on(day, tz));
            }
            day += Duration::days(1);
        }
        clip(&merge(out), from, to)
    }
}

/// Figures for one service in one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceAvailability {
    /// Percent; none when nothing of the window is left after exclusions.
    pub availability: Option<f64>,
    pub downtime_minutes: f64,
    pub error_budget_remaining_minutes: Option<f64>,
}

pub fn service_availability(
    outages: &Outages,
    service: &str,
    maintenance: &[Maintenance],
    target: f64,
    tz: Tz,
    start: i64,
    cut: i64,
) -> ServiceAvailability {
    let mut planned = Vec::new();
    let mut unplanned = Vec::new();
    for i in 0..outages.service.len() {
        if outages.service[i] != service || outages.start[i] >= cut {
            continue;
        }
        // An outage without an end is still going on: it lasts until the cut.
        let end = outages.end[i].unwrap_or(cut).min(cut);
        if outages.planned[i] {
            planned.push((outages.start[i], end));
        } else {
            unplanned.push((outages.start[i], end));
        }
    }
    let mut excluded: Vec<Interval> = maintenance
        .iter()
        .flat_map(|m| m.windows(start, cut, tz))
        .collect();
    excluded.extend(planned);
    let excluded = clip(&merge(excluded), start, cut);
    let downtime = subtract(&clip(&merge(unplanned), start, cut), &excluded);
    let window = (cut - start).max(0) as f64 / 60.0;
    let counted = window - total(&excluded) as f64 / 60.0;
    let down = total(&downtime) as f64 / 60.0;
    ServiceAvailability {
        availability: (counted > 0.0).then(|| 100.0 * (counted - down) / counted),
        downtime_minutes: down,
        error_budget_remaining_minutes: (cut > start)
            .then(|| (1.0 - target / 100.0) * counted - down),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::test_time::jst;
    use chrono_tz::Asia::Tokyo;

    fn third_saturday() -> Maintenance {
        Maintenance::from_config(&MaintenanceConfig {
            every: "month".into(),
            nth: Some(3),
            weekday: Some("sat".into()),
            start: "00:00".into(),
            end: "04:00".into(),
        })
        .unwrap()
    }

    #[test]
    fn a_window_starting_in_a_skipped_hour_starts_after_the_change() {
        // New York skips 02:00–03:00 on 2026-03-08: 02:30 is read as 03:30 (the offset before
        // the change), never as 02:30 UTC.
        let tz = chrono_tz::America::New_York;
        let daily = Maintenance::from_config(&MaintenanceConfig {
            every: "day".into(),
            nth: None,
            weekday: None,
            start: "02:30".into(),
            end: "04:30".into(),
        })
        .unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let (a, b) = daily.window_on(day, tz);
        let utc = |h: u32, m: u32| day.and_hms_opt(h, m, 0).unwrap().and_utc().timestamp();
        assert_eq!((a, b), (utc(7, 30), utc(8, 30)), "03:30–04:30 EDT");
    }

    #[test]
    fn maintenance_overlapping_an_outage_is_not_downtime() {
        let outages = Outages {
            service: vec!["portal".into(), "portal".into(), "portal".into()],
            // 10-17 is the 3rd Saturday: 03:30–04:00 falls in maintenance, 04:00–05:00 counts.
            start: vec![
                jst("2026-10-17T03:30"),
                jst("2026-10-20T10:00"),
                jst("2026-10-21T01:00"),
            ],
            end: vec![
                Some(jst("2026-10-17T05:00")),
                Some(jst("2026-10-20T10:30")),
                Some(jst("2026-10-21T03:00")),
            ],
            planned: vec![false, false, true],
        };
        let (s, e) = (jst("2026-10-01T00:00"), jst("2026-11-01T00:00"));
        let a = service_availability(&outages, "portal", &[third_saturday()], 99.9, Tokyo, s, e);
        assert_eq!(a.downtime_minutes, 90.0);
        let counted = 31.0 * 1440.0 - 240.0 - 120.0;
        assert!((a.availability.unwrap() - 100.0 * (counted - 90.0) / counted).abs() < 1e-9);
        assert!(
            (a.error_budget_remaining_minutes.unwrap() - (0.001 * counted - 90.0)).abs() < 1e-9
        );
    }

    #[test]
    fn an_outage_without_end_lasts_until_the_cut() {
        let outages = Outages {
            service: vec!["api".into()],
            start: vec![jst("2026-11-20T16:00")],
            end: vec![None],
            planned: vec![false],
        };
        let a = service_availability(
            &outages,
            "api",
            &[],
            99.9,
            Tokyo,
            jst("2026-11-01T00:00"),
            jst("2026-11-20T17:00"),
        );
        assert_eq!(a.downtime_minutes, 60.0);
    }
}
