//! Local time ↔ UTC for the site's zone, fast: the offset of every day from 1970 to 2100 is
//! looked up once, so converting millions of export timestamps does not search the zone's
//! transition table each time. Days on which the offset changes fall back to chrono-tz.

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct LocalZone {
    pub tz: Tz,
    first: NaiveDate,
    /// Offset in seconds east of UTC for days with a single offset.
    offsets: Vec<Option<i32>>,
    /// UTC seconds of local midnight on the first supported day and after the last one.
    covered: (i64, i64),
}

use super::period::{midnight, FIRST_YEAR, LAST_YEAR};
/// Days from 1970-01-01 to the first day of the table (the table starts at the epoch).
const FIRST_DAY_NUMBER: i64 = 0;

impl LocalZone {
    /// The table of `tz`, made once a run: a build computes each customer's figures with an
    /// engine of its own, and the table (48,000 days looked up twice) is a function of the zone
    /// alone.
    pub fn shared(tz: Tz) -> std::sync::Arc<LocalZone> {
        use std::collections::HashMap;
        use std::sync::{Arc, Mutex, OnceLock};
        static MADE: OnceLock<Mutex<HashMap<Tz, Arc<LocalZone>>>> = OnceLock::new();
        let mut made = (MADE.get_or_init(Default::default).lock())
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(
            made.entry(tz)
                .or_insert_with(|| Arc::new(LocalZone::new(tz))),
        )
    }

    pub fn new(tz: Tz) -> LocalZone {
        let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid");
        let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid");
        let offset_at = |n: NaiveDateTime| {
            tz.offset_from_local_datetime(&n)
                .single()
                .map(|o| o.fix().local_minus_utc())
        };
        let offsets = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| {
                let a = offset_at(d.and_hms_opt(0, 0, 0).expect("midnight"));
                let b = offset_at(d.and_hms_opt(23, 59, 59).expect("end of day"));
                if a == b {
                    a
                } else {
                    None
                }
            })
            .collect();
        let after = NaiveDate::from_ymd_opt(LAST_YEAR + 1, 1, 1).expect("valid");
        let covered = (midnight(tz, first), midnight(tz, after));
        LocalZone {
            tz,
            first,
            offsets,
            covered,
        }
    }

    /// Whether UTC seconds `t` fall on a local day of the supported years (1970-01-01 to
    /// 2100-12-31 in this zone): the days periods, calendars and this table cover.
    pub fn covers(&self, t: i64) -> bool {
        (self.covered.0..self.covered.1).contains(&t)
    }

    /// A wall-clock time in this zone as UTC seconds (the earlier reading when ambiguous, the
    /// offset before the change when skipped: see `to_utc_noted`).
    pub fn to_utc(&self, n: NaiveDateTime) -> i64 {
        self.to_utc_noted(n).0
    }

    /// A wall-clock time as UTC seconds, and how it was read when the clocks change around
    /// it: a time that happens twice (clocks go back) is the first of the two; a time that
    /// does not exist (clocks go forward) is read with the offset before the change, so
    /// 02:30 in a skipped hour is 03:30 after it.
    pub fn to_utc_noted(&self, n: NaiveDateTime) -> (i64, Option<ClockChange>) {
        let idx = (n.date() - self.first).num_days();
        if idx >= 0 {
            if let Some(Some(off)) = self.offsets.get(idx as usize) {
                return (n.and_utc().timestamp() - *off as i64, None);
            }
        }
        self.read_on_a_change_day(n)
    }

    fn read_on_a_change_day(&self, n: NaiveDateTime) -> (i64, Option<ClockChange>) {
        use chrono::LocalResult;
        let wall = n.and_utc().timestamp();
        match self.tz.offset_from_local_datetime(&n) {
            LocalResult::Single(o) => (wall - o.fix().local_minus_utc() as i64, None),
            LocalResult::Ambiguous(a, b) => {
                let (a, b) = (a.fix().local_minus_utc(), b.fix().local_minus_utc());
                // The larger offset is the earlier instant.
                let first = a.max(b);
                (
                    wall - first as i64,
                    Some(ClockChange::Twice { offset: first }),
                )
            }
            LocalResult::None => {
                // No zone changes its clocks twice within three hours.
                let before = n - chrono::Duration::hours(3);
                let offset = self
                    .tz
                    .offset_from_local_datetime(&before)
                    .earliest()
                    .map_or(0, |o| o.fix().local_minus_utc());
                (wall - offset as i64, Some(ClockChange::Skipped { offset }))
            }
        }
    }

    /// Local wall-clock seconds (as if the local time were UTC) → UTC seconds.
    pub fn local_secs_to_utc(&self, local: i64) -> i64 {
        self.local_secs_to_utc_noted(local).0
    }

    /// `local_secs_to_utc`, with how a time was read when the clocks change around it.
    pub fn local_secs_to_utc_noted(&self, local: i64) -> (i64, Option<ClockChange>) {
        let idx = local.div_euclid(86_400) - FIRST_DAY_NUMBER;
        if idx >= 0 {
            if let Some(Some(off)) = self.offsets.get(idx as usize) {
                return (local - *off as i64, None);
            }
        }
        match chrono::DateTime::from_timestamp(local, 0) {
            Some(d) => self.read_on_a_change_day(d.naive_utc()),
            None => (local, None),
        }
    }

    /// The zone's name (`America/New_York`), for messages.
    pub fn name(&self) -> &'static str {
        self.tz.name()
    }

    /// The local date of a UTC instant.
    pub fn local_date(&self, t: i64) -> NaiveDate {
        self.tz
            .timestamp_opt(t, 0)
            .single()
            .map(|d| d.date_naive())
            .unwrap_or_default()
    }

    pub fn year_range() -> (i32, i32) {
        (FIRST_YEAR, LAST_YEAR)
    }
}

/// How a wall-clock time was read on a day the clocks change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockChange {
    /// The time happens twice (the clocks go back): read as the first, at this offset.
    Twice { offset: i32 },
    /// The time does not exist (the clocks go forward): read at the offset before the change.
    Skipped { offset: i32 },
}

impl ClockChange {
    /// `UTC−04:00`
    pub fn offset_text(&self) -> String {
        let (ClockChange::Twice { offset } | ClockChange::Skipped { offset }) = *self;
        let sign = if offset < 0 { '−' } else { '+' };
        let m = offset.unsigned_abs() / 60;
        format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2026, 11, 22),
            (NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
                - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
            .num_days()
        );
        assert_eq!(
            days_from_civil(2024, 2, 29) + 1,
            days_from_civil(2024, 3, 1)
        );
    }

    #[test]
    fn matches_chrono_tz_including_dst_days() {
        for (tz, s) in [
            (chrono_tz::Asia::Tokyo, "2026-11-20 09:00:00"),
            (chrono_tz::Europe::Berlin, "2026-03-29 01:30:00"),
            (chrono_tz::Europe::Berlin, "2026-03-29 04:00:00"),
        ] {
            let z = LocalZone::new(tz);
            let n = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
            assert_eq!(
                z.to_utc(n),
                tz.from_local_datetime(&n).earliest().unwrap().timestamp(),
                "{s}"
            );
        }
    }

    #[test]
    fn times_the_clocks_skip_or_repeat_are_read_by_a_stated_rule() {
        let z = LocalZone::new(chrono_tz::America::New_York);
        let at =
            |s: &str| z.to_utc_noted(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap());
        let utc = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        // 2026-03-08: 02:00 EST becomes 03:00 EDT. 02:30 does not exist: read at −05:00,
        // which is 03:30 EDT.
        let (t, note) = at("2026-03-08 02:30");
        assert_eq!(t, utc("2026-03-08T07:30:00Z"));
        assert_eq!(note, Some(ClockChange::Skipped { offset: -5 * 3600 }));
        assert_eq!(note.unwrap().offset_text(), "UTC−05:00");
        // 2026-11-01: 02:00 EDT becomes 01:00 EST. 01:30 happens twice: the first, EDT.
        let (t, note) = at("2026-11-01 01:30");
        assert_eq!(t, utc("2026-11-01T05:30:00Z"));
        assert_eq!(note, Some(ClockChange::Twice { offset: -4 * 3600 }));
        // Other times of those days read plainly.
        assert_eq!(at("2026-11-01 03:00"), (utc("2026-11-01T08:00:00Z"), None));
    }
}
