//! Calendars for SLA clocks: `always` (24x7) and business calendars (opening hours per weekday,
//! closed on weekends, Japanese public holidays and extra holidays), evaluated in the site's time
//! zone. The deadline of a clock is the first instant at which counted time reaches its target.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::holidays;
use crate::config::kpi::{CalendarConfig, HolidaySources};

/// Opening ranges per weekday, Monday first, in seconds after midnight.
pub type WeekHours = [Vec<(u32, u32)>; 7];

#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    tz: Tz,
    /// Monday first: opening ranges (seconds after midnight), sorted, not overlapping; a lunch
    /// break is the gap between two ranges.
    hours: WeekHours,
    closed: HashSet<NaiveDate>,
    day_secs: i64,
    /// Every supported day: local midnight (UTC seconds) and its open intervals, looked up
    /// instead of recomputed for each of millions of clocks.
    table: Vec<(i64, Box<[(i64, i64)]>)>,
    /// Open seconds of the table's days before each day (one more entry than days): a clock
    /// without pauses ahead skips whole days with one search instead of walking them.
    open_before: Vec<i64>,
}

#[derive(Debug, Clone)]
pub enum Calendar {
    Always,
    Business(std::sync::Arc<BusinessCalendar>),
}

/// A mistake in a calendar: the keys below the calendar that hold it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    pub keys: Vec<String>,
    pub message: String,
}

/// A weekday written as the calendars take it (`mon`, `Monday`, `月`, `月曜日`, as
/// `weekdays::parse` reads them): Monday 0 … Sunday 6.
pub fn weekday_index(name: &str) -> Option<usize> {
    crate::weekdays::parse(name).map(|d| d.num_days_from_monday() as usize)
}

fn parse_hhmm(s: &str) -> Option<u32> {
    let s = s.trim();
    if s == "24:00" {
        return Some(86_400);
    }
    let t = NaiveTime::parse_from_str(s, "%H:%M").ok()?;
    Some(t.num_seconds_from_midnight())
}

use chrono::Timelike;

/// One day's ranges (`09:00-12:00`, `13:00-18:00`), checked: each ends after it starts
/// (`-00:00` and `-24:00` mean midnight), and they do not overlap.
fn day_ranges(ranges: &[&str]) -> Result<Vec<(u32, u32)>, String> {
    if ranges.len() == 1 && ranges[0].eq_ignore_ascii_case("closed") {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for span in ranges {
        let bad = || {
            format!("`{span}` is not HH:MM-HH:MM with the end after the start (breaks: \"09:00-12:00,13:00-18:00\")")
        };
        let (a, b) = span.split_once(['-', '–', '~', '〜']).ok_or_else(bad)?;
        let range = match (parse_hhmm(a), parse_hhmm(b)) {
            (Some(o), Some(c)) if c > o => (o, c),
            (Some(o), Some(0)) if o > 0 => (o, 86_400),
            _ => return Err(bad()),
        };
        out.push(range);
    }
    out.sort_unstable();
    for w in out.windows(2) {
        if w[1].0 < w[0].1 {
            return Err(format!(
                "ranges overlap ({} and {})",
                hhmm_range(w[0]),
                hhmm_range(w[1])
            ));
        }
    }
    Ok(out)
}

fn hhmm_range((a, b): (u32, u32)) -> String {
    format!(
        "{:02}:{:02}-{:02}:{:02}",
        a / 3600,
        a / 60 % 60,
        b / 3600,
        b / 60 % 60
    )
}

impl BusinessCalendar {
    /// How many table days start at or before `start`: days are about 86,400 s long (a
    /// daylight-saving day an hour more or less), so the day is guessed and then corrected.
    fn days_started_by(&self, start: i64) -> usize {
        let Some(&(first, _)) = self.table.first() else {
            return 0;
        };
        let n = self.table.len();
        let mut k = (start.saturating_sub(first).max(-1) / 86_400 + 1).clamp(0, n as i64) as usize;
        while k > 0 && self.table[k - 1].0 > start {
            k -= 1;
        }
        while k < n && self.table[k].0 <= start {
            k += 1;
        }
        k
    }

    /// The instant `remaining` open seconds after `start`, which lies on table day `day`, with
    /// no pause ahead: the rest of the start day, then the first day whose running sum of open
    /// time reaches what is left, then into that day.
    fn deadline_without_pauses(&self, day: usize, start: i64, mut remaining: i64) -> i64 {
        for &(a, b) in self.table[day].1.iter() {
            let a = a.max(start);
            if b > a {
                if b - a >= remaining {
                    return a + remaining;
                }
                remaining -= b - a;
            }
        }
        let base = self.open_before[day + 1];
        // Deadlines fall days, not months, ahead: gallop from the next day, then search.
        let (mut lo, mut step) = (day + 1, 1);
        while lo + step < self.open_before.len() && self.open_before[lo + step] < base + remaining {
            lo += step;
            step *= 2;
        }
        let hi = (lo + step + 1).min(self.open_before.len());
        let reached = lo + self.open_before[lo..hi].partition_point(|&sum| sum < base + remaining);
        let Some(day) = reached.checked_sub(1).filter(|d| *d < self.table.len()) else {
            return i64::MAX / 4;
        };
        remaining -= self.open_before[day] - base;
        for &(a, b) in self.table[day].1.iter() {
            if b - a >= remaining {
                return a + remaining;
            }
            remaining -= b - a;
        }
        i64::MAX / 4
    }

    /// `files`: the days of the holiday files the data stage read, by path as written.
    pub fn from_config(
        config: &CalendarConfig,
        tz: Tz,
        files: &BTreeMap<String, Vec<NaiveDate>>,
    ) -> Result<BusinessCalendar, CalendarError> {
        let fail = |keys: &[&str], message: String| CalendarError {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            message,
        };
        let mut hours: [Vec<(u32, u32)>; 7] = Default::default();
        for (day, span) in &config.hours {
            let i = weekday_index(day).ok_or_else(|| {
                fail(
                    &["hours", day],
                    format!("`{day}` is not a weekday (mon … sun)"),
                )
            })?;
            hours[i] = day_ranges(&span.ranges()).map_err(|m| fail(&["hours", day], m))?;
        }
        let mut closed = HashSet::new();
        let entries = config.holidays.as_ref().map_or_else(Vec::new, |h| h.list());
        for (n, entry) in entries.iter().enumerate() {
            let h = entry.trim();
            if h.is_empty() || h == "none" {
                continue;
            }
            if h.eq_ignore_ascii_case("japan") || h.eq_ignore_ascii_case("jp") {
                for y in super::period::FIRST_YEAR..=super::period::LAST_YEAR {
                    closed.extend(holidays::japan(y));
                }
            } else if crate::config::kpi::is_holiday_file(h) {
                // Read by the data stage; a file that could not be read was reported there.
                if let Some(days) = files.get(h) {
                    closed.extend(days.iter().copied());
                }
            } else {
                let index = n.to_string();
                let keys: &[&str] = match &config.holidays {
                    Some(HolidaySources::Many(_)) => &["holidays", &index],
                    _ => &["holidays"],
                };
                return Err(fail(
                    keys,
                    format!("`{h}` is not known (use `japan`, or a holiday file ending in .ics or .csv)"),
                ));
            }
        }
        for (n, d) in config.extra_holidays.iter().enumerate() {
            closed.insert(
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                    fail(
                        &["extra_holidays", &n.to_string()],
                        format!("`{d}` is not YYYY-MM-DD"),
                    )
                })?,
            );
        }
        // The business day is the most common opening length (8 h for 09:00–18:00 with an
        // hour's lunch break).
        let lengths: Vec<i64> = hours
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.iter().map(|(o, c)| (c - o) as i64).sum())
            .collect();
        let day_secs = lengths
            .iter()
            .max_by_key(|l| (lengths.iter().filter(|x| x == l).count(), **l))
            .copied()
            .ok_or_else(|| {
                fail(
                    &["hours"],
                    "a business calendar needs at least one open day".to_string(),
                )
            })?;
        let mut cal = BusinessCalendar {
            tz,
            hours,
            closed,
            day_secs,
            table: Vec::new(),
            open_before: Vec::new(),
        };
        let (first, last) = (
            NaiveDate::from_ymd_opt(super::period::FIRST_YEAR, 1, 1).expect("valid"),
            NaiveDate::from_ymd_opt(super::period::LAST_YEAR, 12, 31).expect("valid"),
        );
        cal.table = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| {
                (
                    super::period::midnight(tz, d),
                    cal.open_intervals(d).into_boxed_slice(),
                )
            })
            .collect();
        cal.open_before = std::iter::once(0)
            .chain(cal.table.iter().scan(0, |sum, (_, open)| {
                *sum += open.iter().map(|(a, b)| b - a).sum::<i64>();
                Some(*sum)
            }))
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

    /// Opening intervals of a local day in UTC seconds (none when closed).
    fn open_intervals(&self, day: NaiveDate) -> Vec<(i64, i64)> {
        if self.closed.contains(&day) {
            return Vec::new();
        }
        let at = |secs: u32| -> i64 {
            let naive =
                day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(secs as i64);
            self.tz
                .from_local_datetime(&naive)
                .earliest()
                .map(|d| d.timestamp())
                .unwrap_or_else(|| naive.and_utc().timestamp())
        };
        self.hours[day.weekday().num_days_from_monday() as usize]
            .iter()
            .map(|&(open, close)| (at(open), at(close)))
            .collect()
    }
}

impl Calendar {
    /// The open time within `[from, to)`, as ordered, merged intervals (`always`: all of it):
    /// who is on duty when, for the escalation routes.
    pub fn open_spans(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let cal = match self {
            Calendar::Always => {
                return vec![(from, to)]
                    .into_iter()
                    .filter(|(a, b)| b > a)
                    .collect()
            }
            Calendar::Business(cal) => cal,
        };
        let mut out: Vec<(i64, i64)> = Vec::new();
        let mut day = cal.local_date(from).pred_opt().unwrap_or_default();
        while super::period::midnight(cal.tz, day) < to {
            for (a, b) in cal.open_intervals(day) {
                let (a, b) = (a.max(from), b.min(to));
                match out.last_mut() {
                    _ if b <= a => {}
                    Some(last) if last.1 >= a => last.1 = last.1.max(b),
                    _ => out.push((a, b)),
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        out
    }

    /// Opening ranges per weekday, Monday first (seconds after midnight), and whether holidays
    /// close it; None for `always`.
    pub fn weekly_hours(&self) -> Option<(&WeekHours, bool)> {
        match self {
            Calendar::Always => None,
            Calendar::Business(cal) => Some((&cal.hours, !cal.closed.is_empty())),
        }
    }

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
        let pauses_ahead = p < pauses.len();
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
                let idx = cal.days_started_by(start);
                if idx > 0 && idx < cal.table.len() && !pauses_ahead && remaining > 0 {
                    return cal.deadline_without_pauses(idx - 1, start, remaining);
                }
                if idx > 0 && idx < cal.table.len() {
                    for (_, open) in &cal.table[idx - 1..] {
                        for &(a, b) in open.iter() {
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
                    for (a, b) in cal.open_intervals(day) {
                        let a = a.max(start);
                        if b > a {
                            if let Some(d) = consume(a, b, &mut remaining) {
                                return d;
                            }
                        }
                    }
                    match day.succ_opt() {
                        Some(next) => day = next,
                        None => break,
                    }
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
        "bd" if matches!(calendar, Calendar::Always) => {
            return Err(format!(
            "`{s}`: business days need a business calendar (`calendar: …`); on 24x7 write {num}d"
        ))
        }
        "bd" => n * calendar.day_secs() as f64,
        _ => return Err(format!("`{s}` is not a duration like 30m, 4h or 1bd")),
    };
    if !(secs > 0.0 && secs <= 3660.0 * 86_400.0) {
        return Err(format!(
            "`{s}`: a target is more than nothing and at most ten years"
        ));
    }
    Ok(secs.round() as i64)
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
