//! Japanese public holidays (国民の祝日), computed from the law's rules rather than a table, so any
//! year works: fixed days, Happy Monday days, the equinoxes, substitute holidays (振替休日) and
//! citizens' holidays (国民の休日), with the one-off moves of 2019–2021.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid holiday date")
}

/// The nth `weekday` of a month (n from 1).
pub fn nth_weekday(y: i32, m: u32, weekday: Weekday, n: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let offset = (7 + weekday.num_days_from_monday() as i64
        - first.weekday().num_days_from_monday() as i64)
        % 7;
    let d = first + Duration::days(offset + 7 * (n as i64 - 1));
    (d.month() == m).then_some(d)
}

/// Vernal and autumnal equinox days (valid 1980–2099, the published approximation).
fn equinoxes(y: i32) -> (NaiveDate, NaiveDate) {
    let t = (y - 1980) as f64;
    let leap = ((y - 1980) / 4) as f64;
    let spring = (20.8431 + 0.242194 * t - leap).floor() as u32;
    let autumn = (23.2488 + 0.242194 * t - leap).floor() as u32;
    (date(y, 3, spring), date(y, 9, autumn))
}

/// The statutory holidays of a year, before substitute and citizens' holidays.
fn statutory(y: i32) -> Vec<NaiveDate> {
    let mut v = vec![
        date(y, 1, 1),
        date(y, 2, 11),
        date(y, 4, 29),
        date(y, 5, 3),
        date(y, 5, 4),
        date(y, 5, 5),
        date(y, 11, 3),
        date(y, 11, 23),
    ];
    let (spring, autumn) = equinoxes(y);
    v.push(spring);
    v.push(autumn);
    v.extend(nth_weekday(y, 1, Weekday::Mon, 2)); // 成人の日
    v.extend(nth_weekday(y, 9, Weekday::Mon, 3)); // 敬老の日
                                                  // 天皇誕生日
    if y >= 2020 {
        v.push(date(y, 2, 23));
    } else if y <= 2018 {
        v.push(date(y, 12, 23));
    }
    // 海の日, 山の日, スポーツの日 (体育の日), with the Olympic years' moves.
    match y {
        2020 => v.extend([date(y, 7, 23), date(y, 7, 24), date(y, 8, 10)]),
        2021 => v.extend([date(y, 7, 22), date(y, 7, 23), date(y, 8, 8)]),
        _ => {
            v.extend(nth_weekday(y, 7, Weekday::Mon, 3));
            v.extend(nth_weekday(y, 10, Weekday::Mon, 2));
            if y >= 2016 {
                v.push(date(y, 8, 11));
            }
        }
    }
    if y == 2019 {
        v.extend([
            date(y, 4, 30),
            date(y, 5, 1),
            date(y, 5, 2),
            date(y, 10, 22),
        ]);
    }
    v
}

/// Every Japanese public holiday of year `y`.
pub fn japan(y: i32) -> BTreeSet<NaiveDate> {
    let base: BTreeSet<NaiveDate> = statutory(y).into_iter().collect();
    let mut all = base.clone();
    // 振替休日: a holiday on a Sunday moves to the next day that is not already a holiday.
    for d in &base {
        if d.weekday() == Weekday::Sun {
            let mut next = *d + Duration::days(1);
            while all.contains(&next) {
                next += Duration::days(1);
            }
            all.insert(next);
        }
    }
    // 国民の休日: an ordinary day between two holidays.
    for d in &base {
        let between = *d + Duration::days(1);
        if !all.contains(&between)
            && base.contains(&(between + Duration::days(1)))
            && between.weekday() != Weekday::Sun
        {
            all.insert(between);
        }
    }
    all.retain(|d| d.year() == y);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_2026() {
        let h = japan(2026);
        let s: Vec<String> = h.iter().map(|d| d.format("%m-%d").to_string()).collect();
        assert_eq!(
            s,
            vec![
                "01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
                "05-06", "07-20", "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"
            ]
        );
    }

    #[test]
    fn substitute_and_citizens_holidays() {
        // 2026-05-03 is a Sunday: 5/4 and 5/5 are holidays already, so the substitute is 5/6.
        assert!(japan(2026).contains(&date(2026, 5, 6)));
        // Silver Week 2026: 9/21 敬老の日, 9/23 秋分の日, 9/22 between them.
        assert!(japan(2026).contains(&date(2026, 9, 22)));
        // 2025-11-23 is a Sunday → 11-24 substitute.
        assert!(japan(2025).contains(&date(2025, 11, 24)));
        assert!(!japan(2025).contains(&date(2025, 11, 25)));
    }
}
