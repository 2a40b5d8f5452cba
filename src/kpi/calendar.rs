//! Calendars for SLA clocks: `always` (24x7) and business calendars (opening hours per weekday,
//! closed on weekends, Japanese public holidays and extra holidays), evaluated in the site's time
//! zone. The deadline of a clock is the first instant at which counted time reaches its target.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::holidays;
use crate::config::kpi::CalendarConfig;

#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    tz: Tz,
    /// Monday first: opening and closing time, seconds after midnight.
    hours: [Option<(u32, u32)>; 7],
    closed: HashSet<NaiveDate>,
    day_secs: i64,
    /// Every day from 1970 to 2100: local midnight (UTC seconds) and opening interval, looked
    /// up instead of recomputed for each of millions of clocks.
    table: Vec<(i64, Option<(i64, i64)>)>,
}

#[derive(Debug, Clone)]
pub enum Calendar {
    Always,
    Business(Box<BusinessCalendar>),
}

fn weekday_index(name: &str) -> Option<usize> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|d| name.to_ascii_lowercase().starts_with(d))
}

fn parse_hhmm(s: &str) -> Option<u32> {
    let t = NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()?;
    Some(t.num_seconds_from_midnight())
}

use chrono::Timelike;

impl BusinessCalendar {
    pub fn from_config(config: &CalendarConfig, tz: Tz) -> Result<BusinessCalendar, String> {
        let mut hours = [None; 7];
        for (day, span) in &config.hours {
            let i = weekday_index(day)
                .ok_or_else(|| format!("hours: `{day}` is not a weekday (mon … sun)"))?;
            let (a, b) = span
                .split_once('-')
                .ok_or_else(|| format!("hours: `{span}` is not HH:MM-HH:MM"))?;
            let (open, close) = match (parse_hhmm(a), parse_hhmm(b)) {
                (Some(o), Some(c)) if c > o => (o, c),
                (Some(o), Some(c)) if c == 0 && o > 0 => (o, 86_400),
                _ => {
                    return Err(format!(
                        "hours: `{span}` is not HH:MM-HH:MM with the end after the start"
                    ))
                }
            };
            hours[i] = Some((open, close));
        }
        let mut closed = HashSet::new();
        match config.holidays.as_deref() {
            None | Some("") | Some("none") => {}
            Some(h) if h.eq_ignore_ascii_case("japan") || h.eq_ignore_ascii_case("jp") => {
                for y in 1970..=2100 {
                    closed.extend(holidays::japan(y));
                }
            }
            Some(other) => return Err(format!("holidays: `{other}` is not known (use `japan`)")),
        }
        for d in &config.extra_holidays {
            closed.insert(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| format!("extra_holidays: `{d}` is not YYYY-MM-DD"))?,
            );
        }
        // The business day is the most common opening length (9 h for 09:00–18:00).
        let mut lengths: Vec<i64> = hours
            .iter()
            .flatten()
            .map(|(o, c)| (c - o) as i64)
            .collect();
        lengths.sort_unstable();
        let day_secs = lengths
            .iter()
            .max_by_key(|l| (lengths.iter().filter(|x| x == l).count(), **l))
            .copied()
            .ok_or_else(|| "hours: a business calendar needs at least one open day".to_string())?;
        let mut cal = BusinessCalendar {
            tz,
            hours,
            closed,
            day_secs,
            table: Vec::new(),
        };
        let (first, last) = (
            NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid"),
            NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid"),
        );
        cal.table = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| (super::period::midnight(tz, d), cal.open_interval(d)))
            .collect();
        Ok(cal)
    }

    fn local_date(&self, t: i64) -> NaiveDate {
        self.tz
            .timestamp_opt(t, 0)
            .single()
            .map(|d| d.date_naive())
            .unwrap_or_default()
    }

    /// Opening interval of a local day in UTC seconds, if the day is open.
    fn open_interval(&self, day: NaiveDate) -> Option<(i64, i64)> {
        if self.closed.contains(&day) {
            return None;
        }
        let (open, close) = self.hours[day.weekday().num_days_from_monday() as usize]?;
        let at = |secs: u32| -> i64 {
            let naive =
                day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(secs as i64);
            self.tz
                .from_local_datetime(&naive)
                .earliest()
                .map(|d| d.timestamp())
                .unwrap_or_else(|| naive.and_utc().timestamp())
        };
        Some((at(open), at(close)))
    }
}

impl Calendar {
    /// Length of one business day in seconds (`1bd`); a full day for `always`.
    pub fn day_secs(&self) -> i64 {
        match self {
            Calendar::Always => 86_400,
            Calendar::Business(b) => b.day_secs,
        }
    }

    /// The instant at which time counted from `start` (on this calendar, outside `pauses`)
    /// reaches `target` seconds. `pauses` are sorted, non-overlapping `[a, b)` intervals.
    pub fn deadline(&self, start: i64, target: i64, pauses: &[(i64, i64)]) -> i64 {
        let mut remaining = target;
        let mut p = pauses.partition_point(|&(_, b)| b <= start);
        // Counts the unpaused part of [a, b); returns the deadline once it is inside.
        let mut consume = |a: i64, b: i64, remaining: &mut i64| -> Option<i64> {
            let mut cur = a;
            while cur < b {
                while p < pauses.len() && pauses[p].1 <= cur {
                    p += 1;
                }
                let (free_end, next) = match pauses.get(p) {
                    Some(&(pa, pb)) if pa <= cur => {
                        cur = pb.min(b);
                        continue;
                    }
                    Some(&(pa, _)) => (pa.min(b), pa.min(b)),
                    None => (b, b),
                };
                let len = free_end - cur;
                if len >= *remaining {
                    return Some(cur + *remaining);
                }
                *remaining -= len;
                cur = next;
            }
            None
        };
        if remaining <= 0 {
            return start;
        }
        match self {
            Calendar::Always => {
                consume(start, i64::MAX / 4, &mut remaining).unwrap_or(i64::MAX / 4)
            }
            Calendar::Business(cal) => {
                // Fast path: walk the precomputed day table.
                let idx = cal.table.partition_point(|(m, _)| *m <= start);
                if idx > 0 && idx < cal.table.len() {
                    for &(_, open) in &cal.table[idx - 1..] {
                        if let Some((a, b)) = open {
                            let a = a.max(start);
                            if b > a {
                                if let Some(d) = consume(a, b, &mut remaining) {
                                    return d;
                                }
                            }
                        }
                    }
                    return i64::MAX / 4;
                }
                let mut day = cal.local_date(start);
                // Ten years without enough open time means a calendar that is never open.
                for _ in 0..3660 {
                    if let Some((a, b)) = cal.open_interval(day) {
                        let a = a.max(start);
                        if b > a {
                            if let Some(d) = consume(a, b, &mut remaining) {
                                return d;
                            }
                        }
                    }
                    day = day.succ_opt().expect("date in range");
                }
                i64::MAX / 4
            }
        }
    }
}

/// `30m`, `4h`, `1bd` (business days of `calendar`) → seconds.
pub fn parse_duration(s: &str, calendar: &Calendar) -> Result<i64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 30m, 4h or 1bd"))?;
    let secs = match unit.trim() {
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86_400.0,
        "bd" => n * calendar.day_secs() as f64,
        _ => return Err(format!("`{s}` is not a duration like 30m, 4h or 1bd")),
    };
    Ok(secs.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::test_time::jst;
    use std::collections::BTreeMap;

    pub fn business() -> Calendar {
        let hours: BTreeMap<String, String> = ["mon", "tue", "wed", "thu", "fri"]
            .iter()
            .map(|d| (d.to_string(), "09:00-18:00".to_string()))
            .collect();
        let cfg = CalendarConfig {
            hours,
            holidays: Some("japan".into()),
            extra_holidays: vec![
                "2026-12-29".into(),
                "2026-12-30".into(),
                "2026-12-31".into(),
            ],
        };
        Calendar::Business(Box::new(
            BusinessCalendar::from_config(&cfg, chrono_tz::Asia::Tokyo).unwrap(),
        ))
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
    fn durations() {
        let cal = business();
        assert_eq!(parse_duration("2bd", &cal), Ok(18 * 3600));
        assert_eq!(parse_duration("90m", &Calendar::Always), Ok(5400));
        assert!(parse_duration("soon", &cal).is_err());
    }
}
