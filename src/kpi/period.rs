//! Reporting periods, half-open `[start, end)` in the site's time zone: ISO weeks (`2026-W47`),
//! months (`2026-11`) and quarters (`2026-Q4`).

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
}

impl PeriodKind {
    /// The kind as an English noun, for messages: `week`, `month`, `quarter`.
    pub fn noun(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub kind: PeriodKind,
    pub first_day: NaiveDate,
    /// First day after the period.
    pub end_day: NaiveDate,
    /// UTC seconds of local midnight at the start and the end.
    pub start: i64,
    pub end: i64,
}

/// Years the engine works in: periods, `--as-of` and data timestamps outside them are errors
/// (the business-calendar table covers exactly these years).
pub const FIRST_YEAR: i32 = 1970;
pub const LAST_YEAR: i32 = 2100;

/// Whether UTC seconds `t` fall within the supported years (with a day's margin for zones).
pub fn supported_instant(t: i64) -> bool {
    // 1969-12-31T00:00Z … 2101-01-02T00:00Z
    (-86_400..=4_134_067_200).contains(&t)
}

pub fn supported_years() -> String {
    format!("years {FIRST_YEAR} to {LAST_YEAR}")
}

/// Local midnight of `day` in `tz`, as UTC seconds.
pub fn midnight(tz: Tz, day: NaiveDate) -> i64 {
    local_instant(tz, day.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// A wall-clock time in `tz` as UTC seconds: the earlier reading when the clocks go back; a
/// time the clocks skip is read at the offset before the change (02:30 in a skipped hour is
/// 03:30 after it), as the exports' times are (`zone::LocalZone::to_utc`).
pub fn local_instant(tz: Tz, naive: chrono::NaiveDateTime) -> i64 {
    use chrono::Offset;
    if let Some(d) = tz.from_local_datetime(&naive).earliest() {
        return d.timestamp();
    }
    // No zone changes its clocks twice within three hours.
    let before = naive - chrono::Duration::hours(3);
    let offset = (tz.offset_from_local_datetime(&before).earliest())
        .map_or(0, |o| o.fix().local_minus_utc());
    naive.and_utc().timestamp() - i64::from(offset)
}

/// The first day of the month `months` from `d`'s (negative: before it).
pub fn first_of_month(d: NaiveDate, months: i32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 + months;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .expect("valid month")
}

/// Why a label is no period: not written as one at all (callers add the other words they
/// take, such as `all` or `this month`), or a period opsite does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// The label, written as no period is.
    NotAPeriod(String),
    /// Written as a period, but outside the years covered or the weeks of its year.
    Unsupported(String),
}

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeriodError::NotAPeriod(label) => write!(
                f,
                "`{label}` is not a period (2026-11, 2026-W47 or 2026-Q4)"
            ),
            PeriodError::Unsupported(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for PeriodError {}

impl From<PeriodError> for String {
    fn from(e: PeriodError) -> String {
        e.to_string()
    }
}

impl Period {
    fn new(kind: PeriodKind, first_day: NaiveDate, tz: Tz) -> Period {
        let (end_day, label) = match kind {
            PeriodKind::Week => {
                let w = first_day.iso_week();
                (
                    first_day + Duration::days(7),
                    format!("{}-W{:02}", w.year(), w.week()),
                )
            }
            PeriodKind::Month => (
                first_of_month(first_day, 1),
                format!("{}-{:02}", first_day.year(), first_day.month()),
            ),
            PeriodKind::Quarter => (
                first_of_month(first_day, 3),
                format!("{}-Q{}", first_day.year(), first_day.month0() / 3 + 1),
            ),
        };
        Period {
            label,
            kind,
            first_day,
            end_day,
            start: midnight(tz, first_day),
            end: midnight(tz, end_day),
        }
    }

    /// `2026-W47`, `2026-11` or `2026-Q4`.
    pub fn parse(label: &str, tz: Tz) -> Result<Period, PeriodError> {
        let bad = || PeriodError::NotAPeriod(label.to_string());
        let (y, rest) = label.split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(PeriodError::Unsupported(format!(
                "`{label}`: periods cover {}",
                supported_years()
            )));
        }
        if let Some(w) = rest.strip_prefix('W').or_else(|| rest.strip_prefix('w')) {
            let week: u32 = w.parse().map_err(|_| bad())?;
            let first = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(|| {
                let weeks =
                    NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week());
                PeriodError::Unsupported(format!("`{label}`: {year} has {weeks} ISO weeks"))
            })?;
            return Ok(Period::new(PeriodKind::Week, first, tz));
        }
        if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            return Ok(Period::new(
                PeriodKind::Quarter,
                NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).ok_or_else(bad)?,
                tz,
            ));
        }
        let month: u32 = rest.parse().map_err(|_| bad())?;
        Ok(Period::new(
            PeriodKind::Month,
            NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?,
            tz,
        ))
    }

    /// The period of `kind` containing `day`.
    pub fn containing(kind: PeriodKind, day: NaiveDate, tz: Tz) -> Period {
        let first = match kind {
            PeriodKind::Week => day - Duration::days(day.weekday().num_days_from_monday() as i64),
            PeriodKind::Month => day.with_day(1).expect("day 1"),
            PeriodKind::Quarter => NaiveDate::from_ymd_opt(day.year(), day.month0() / 3 * 3 + 1, 1)
                .expect("quarter start"),
        };
        Period::new(kind, first, tz)
    }

    /// The same kind of period just before.
    pub fn previous(&self, tz: Tz) -> Period {
        Period::containing(self.kind, self.first_day - Duration::days(1), tz)
    }

    pub fn next(&self, tz: Tz) -> Period {
        Period::new(self.kind, self.end_day, tz)
    }
}

/// Every week, month and quarter overlapping `[from, to]` (local days), oldest first.
pub fn all_between(from: NaiveDate, to: NaiveDate, tz: Tz) -> Vec<Period> {
    let mut out = Vec::new();
    for kind in [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter] {
        let mut p = Period::containing(kind, from, tz);
        while p.first_day <= to {
            let next = p.next(tz);
            out.push(p);
            p = next;
        }
    }
    out.sort_by(|a, b| (a.start, a.kind).cmp(&(b.start, b.kind)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Tokyo;

    #[test]
    fn labels_and_bounds() {
        let w = Period::parse("2026-W47", Tokyo).unwrap();
        assert_eq!(w.first_day.to_string(), "2026-11-16");
        assert_eq!(w.end_day.to_string(), "2026-11-23");
        assert_eq!(
            w.start,
            chrono::DateTime::parse_from_rfc3339("2026-11-16T00:00:00+09:00")
                .unwrap()
                .timestamp()
        );
        let q = Period::parse("2026-Q4", Tokyo).unwrap();
        assert_eq!(
            (q.first_day.to_string(), q.end_day.to_string()),
            ("2026-10-01".into(), "2027-01-01".into())
        );
        assert_eq!(
            Period::parse("2026-01", Tokyo)
                .unwrap()
                .previous(Tokyo)
                .label,
            "2025-12"
        );
        assert!(Period::parse("2026-13", Tokyo).is_err());
    }

    #[test]
    fn iso_week_labels_across_the_year_end() {
        let p = Period::containing(
            PeriodKind::Week,
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            Tokyo,
        );
        assert_eq!(p.label, "2026-W53");
    }
}
