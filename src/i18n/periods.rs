//! Period names as people say them: 「2026年11月第3週（11/16〜11/22）」, 「2026年11月」,
//! 「2026年度 第3四半期」; `2026-W47 (Nov 16 – 22)`, `November 2026`, `FY2026 Q3`. The ids
//! (`2026-W47`, `2026-11`, `2026-Q4`) stay in URLs, JSON, CSV and small print.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::formats::{fill, Formats};
use super::Lang;
use crate::kpi::period::{Period, PeriodKind};

/// A day in prose: `2026年10月1日`, `Oct 1, 2026`.
pub fn day_long(d: NaiveDate, lang: Lang) -> String {
    d.format(lang.vocabulary().formats.day_long).to_string()
}

/// A span of days: `2026年10月1日〜10月31日`, `Oct 1 – Oct 31, 2026`; each day in full when
/// the two years differ.
pub fn day_range((first, last): (NaiveDate, NaiveDate), lang: Lang) -> String {
    let f = &lang.vocabulary().formats;
    let (a, b) = match first.year() == last.year() {
        true => (
            first.format(f.day_range_first).to_string(),
            last.format(f.day_range_last).to_string(),
        ),
        false => (day_long(first, lang), day_long(last, lang)),
    };
    fill(f.day_range, &[("first", &a), ("last", &b)])
}

/// An instant in prose: `2026年11月1日 9:15`, `Nov 1, 2026 09:15`.
pub fn date_time_long(t: NaiveDateTime, lang: Lang) -> String {
    t.format(lang.vocabulary().formats.date_time_long)
        .to_string()
}

/// An instant in a dense table about `year`: `10/30 9:15`, or `2025/12/30 9:15` in another year.
pub fn date_time_short(t: NaiveDateTime, lang: Lang, year: i32) -> String {
    let f = &lang.vocabulary().formats;
    let pattern = match t.year() == year {
        true => f.date_time_short,
        false => f.date_time_short_year,
    };
    t.format(pattern).to_string()
}

/// The Japanese eras a date of the exports may fall in, latest first: name and first day.
const ERAS: [(&str, (i32, u32, u32)); 5] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
    ("大正", (1912, 7, 30)),
    // Japan took the Gregorian calendar on 明治6年1月1日; earlier days are written as they are.
    ("明治", (1868, 1, 25)),
];

/// A day with the year of its Japanese era (和暦): `令和8年11月5日`, the era's first year as 元年.
/// A day before 明治6年 (1873, when Japan took the Gregorian calendar) is written as
/// `day_long` writes it.
pub fn day_in_era(d: NaiveDate, lang: Lang) -> String {
    let f = &lang.vocabulary().formats;
    let gregorian = NaiveDate::from_ymd_opt(1873, 1, 1).is_some_and(|g| d >= g);
    let era = ERAS.iter().filter(|_| gregorian).find(|(_, (y, m, day))| {
        NaiveDate::from_ymd_opt(*y, *m, *day).is_some_and(|start| d >= start)
    });
    let Some((name, (first_year, _, _))) = era else {
        return day_long(d, lang);
    };
    let n = d.year() - first_year + 1;
    let year = fill(
        f.era_year,
        &[
            ("era", name),
            (
                "year",
                &if n == 1 {
                    "元".to_string()
                } else {
                    n.to_string()
                },
            ),
        ],
    );
    // The pattern's `%` fields are chrono's; the era year goes in afterwards, so a `%` in it
    // cannot be read as one.
    d.format(f.era_day).to_string().replace("{year}", &year)
}

/// An instant with its day in the Japanese era: `令和8年11月1日 9:15`.
pub fn date_time_in_era(t: NaiveDateTime, lang: Lang) -> String {
    let time = t.format(lang.vocabulary().formats.time).to_string();
    format!("{} {time}", day_in_era(t.date(), lang))
}

/// A span of days with the first day's year in the Japanese era (`令和8年10月1日〜10月31日`);
/// each day in full when the two years differ.
pub fn day_range_in_era((first, last): (NaiveDate, NaiveDate), lang: Lang) -> String {
    let f = &lang.vocabulary().formats;
    // A language without eras (its `era_day` has no `{year}`) writes the span as ever.
    if !f.era_day.contains("{year}") {
        return day_range((first, last), lang);
    }
    let last_text = match first.year() == last.year() {
        true => last.format(f.day_range_last).to_string(),
        false => day_in_era(last, lang),
    };
    fill(
        f.day_range,
        &[("first", &day_in_era(first, lang)), ("last", &last_text)],
    )
}

/// `fiscal_year_start`: the month (1, 4, 7 or 10) a fiscal year starts in; 1 names calendar
/// quarters. The patterns are the language's (`formats:` of its file).
pub fn period_name(p: &Period, lang: Lang, fiscal_year_start: u32) -> String {
    let f = &lang.vocabulary().formats;
    let first = p.first_day;
    let last = p.end_day.pred_opt().unwrap_or(p.end_day);
    match p.kind {
        PeriodKind::Week => {
            // A week belongs to the month of its Thursday (the ISO rule), and is the Nth such
            // week of that month.
            let thursday = first + Duration::days(3);
            let last_format = if last.month() == first.month() {
                f.week_day_same_month
            } else {
                f.week_day
            };
            fill(
                f.week_name,
                &[
                    ("year", &thursday.year().to_string()),
                    ("month", &thursday.month().to_string()),
                    ("month_name", &thursday.format(f.month_heading).to_string()),
                    ("nth", &((thursday.day() - 1) / 7 + 1).to_string()),
                    ("id", &p.label),
                    ("first", &first.format(f.week_day).to_string()),
                    ("last", &last.format(last_format).to_string()),
                ],
            )
        }
        PeriodKind::Month => first.format(f.month_heading).to_string(),
        PeriodKind::Quarter => quarter_name(first, f, fiscal_year_start),
    }
}

/// The quarter starting on `first`, in calendar or fiscal terms; a fiscal year is named by the
/// calendar year it starts in.
fn quarter_name(first: NaiveDate, f: &Formats, fiscal_year_start: u32) -> String {
    let (year, month) = (first.year(), first.month());
    if fiscal_year_start <= 1 {
        let q = (month - 1) / 3 + 1;
        return fill(
            f.quarter_name,
            &[("year", &year.to_string()), ("q", &q.to_string())],
        );
    }
    let into_year = (month + 12 - fiscal_year_start) % 12;
    let fiscal_year = if month >= fiscal_year_start {
        year
    } else {
        year - 1
    };
    let q = into_year / 3 + 1;
    fill(
        f.fiscal_quarter_name,
        &[("year", &fiscal_year.to_string()), ("q", &q.to_string())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(id: &str, japanese: bool, fiscal: u32) -> String {
        let p = Period::parse(id, chrono_tz::Asia::Tokyo).unwrap();
        period_name(&p, Lang::of(if japanese { "ja" } else { "en" }), fiscal)
    }

    #[test]
    fn weeks_are_named_by_the_month_of_their_thursday() {
        assert_eq!(
            named("2026-W47", true, 1),
            "2026年11月第3週（11/16〜11/22）"
        );
        // Oct 26 – Nov 1: its Thursday is Oct 29, the fifth Thursday of October.
        assert_eq!(named("2026-W44", true, 1), "2026年10月第5週（10/26〜11/1）");
        // Monday Dec 29, 2025 – Sunday Jan 4, 2026: Thursday Jan 1, so January's first week.
        assert_eq!(named("2026-W01", true, 1), "2026年1月第1週（12/29〜1/4）");
        // 2026 has 53 ISO weeks; the last one's Thursday is Dec 31.
        assert_eq!(named("2026-W53", true, 1), "2026年12月第5週（12/28〜1/3）");
        assert_eq!(
            named("2026-W47", false, 1),
            "Week 3 of November 2026 (Nov 16 – 22)"
        );
        assert_eq!(
            named("2026-W44", false, 1),
            "Week 5 of October 2026 (Oct 26 – Nov 1)"
        );
        assert_eq!(
            named("2026-W53", false, 1),
            "Week 5 of December 2026 (Dec 28 – Jan 3)"
        );
    }

    #[test]
    fn instants_in_prose_and_in_tables_and_days_in_the_era() {
        let t = NaiveDate::from_ymd_opt(2026, 10, 30)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        let (ja, en) = (Lang::of("ja"), Lang::of("en"));
        assert_eq!(date_time_long(t, ja), "2026年10月30日 9:05");
        assert_eq!(date_time_long(t, en), "Oct 30, 2026 09:05");
        assert_eq!(date_time_short(t, ja, 2026), "10/30 9:05");
        assert_eq!(date_time_short(t, ja, 2027), "2026/10/30 9:05");
        assert_eq!(date_time_short(t, en, 2026), "Oct 30 09:05");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(day_in_era(day(2026, 11, 5), ja), "令和8年11月5日");
        assert_eq!(day_in_era(day(2019, 5, 1), ja), "令和元年5月1日");
        assert_eq!(day_in_era(day(2019, 4, 30), ja), "平成31年4月30日");
        assert_eq!(day_in_era(day(1900, 1, 1), ja), "明治33年1月1日");
        assert_eq!(day_in_era(day(1926, 12, 24), ja), "大正15年12月24日");
        assert_eq!(date_time_in_era(t, ja), "令和8年10月30日 9:05");
        let october = (day(2026, 10, 1), day(2026, 10, 31));
        assert_eq!(day_range_in_era(october, ja), "令和8年10月1日〜10月31日");
        // English has no era: its days stay as they are.
        assert_eq!(day_in_era(day(2026, 11, 5), en), "Nov 5, 2026");
        assert_eq!(day_range_in_era(october, en), day_range(october, en));
    }

    #[test]
    fn months_and_quarters_calendar_and_fiscal() {
        assert_eq!(named("2026-11", true, 1), "2026年11月");
        assert_eq!(named("2026-11", false, 1), "November 2026");
        assert_eq!(named("2026-Q4", true, 1), "2026年 第4四半期");
        assert_eq!(named("2026-Q4", false, 1), "Q4 2026");
        // A fiscal year from April: October–December is its third quarter, January–March of
        // the next calendar year its fourth, both of fiscal 2026.
        assert_eq!(named("2026-Q4", true, 4), "2026年度 第3四半期");
        assert_eq!(named("2027-Q1", true, 4), "2026年度 第4四半期");
        assert_eq!(named("2026-Q2", true, 4), "2026年度 第1四半期");
        assert_eq!(named("2026-Q3", true, 7), "2026年度 第1四半期");
        assert_eq!(named("2026-Q4", true, 10), "2026年度 第1四半期");
        assert_eq!(named("2026-Q4", false, 4), "Q3 FY2026");
    }
}
