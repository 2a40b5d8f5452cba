//! How dates, times and periods are written in one language, from the `formats:` section of its
//! file: chrono patterns (`%Y年%-m月`, `%b %-d, %Y`) and templates with named places
//! (`{year}年度 第{q}四半期`), so no date a reader sees is formatted in code.

use serde::Serialize;

word_list! {
    /// The date, time and period patterns of one language.
    Formats {
        /// A month as a heading (`2026年11月`, `November 2026`); also a month's name.
        month_heading,
        /// A year as a heading (`2026年`, `2026`).
        year_heading,
        /// A day in prose (`2026年11月20日`, `Nov 20, 2026`).
        day_long,
        /// A day in a dense place (`11月20日`, `Nov 20`).
        day_short,
        /// A month on a calendar chart (`11月`, `Nov`).
        month_short,
        /// A month under a trend chart (`9月`, `Sep`): short, so twelve fit on a phone.
        month_axis,
        /// A week's first day in its name (`11/16`, `Nov 16`).
        week_day,
        /// A week's last day when it is in the month of the first (`11/22`, `22`).
        week_day_same_month,
        /// A week's name: `{year}`, `{month}`, `{month_name}` (as `month_heading` writes it), `{nth}` (the week of the month its Thursday is
        /// in), `{id}` (`2026-W47`), `{first}`, `{last}`.
        week_name,
        /// A calendar quarter's name: `{year}`, `{q}`.
        quarter_name,
        /// A fiscal quarter's name: `{year}` (the calendar year the fiscal year starts in), `{q}`.
        fiscal_quarter_name,
        /// A time with its weekday (the escalation routes): `{date}`, `{day}`, `{time}`.
        weekday_date_time,
        /// A figure with its counts after it: `{figure}`, `{counts}`.
        figure_with_counts,
        /// The status block's count of open tickets of the most urgent level when it is not
        /// `critical` (that one is `open_critical`): `{priority}` (its label).
        open_of_level,
        /// A span of days (a report's period on its cover): `{first}`, `{last}`.
        day_range,
        /// Its first and last day when both are in one year (`2026年10月1日〜10月31日`,
        /// `Oct 1 – Oct 31, 2026`).
        day_range_first,
        day_range_last,
        /// An instant in prose, on covers and beside headings (`2026年11月1日 9:15`,
        /// `Nov 1, 2026 09:15`).
        date_time_long,
        /// An instant in a dense table, in the year the table is about (`10/30 9:15`,
        /// `Oct 30 09:15`).
        date_time_short,
        /// The same in another year (`2025/12/30 9:15`, `Dec 30, 2025 09:15`).
        date_time_short_year,
        /// A time of day beside a day (`9:15`, `09:15`).
        time,
        /// A year of the Japanese era (和暦) on a cover: `{era}`, `{year}` (元 for the first).
        era_year,
        /// A day with its era year (`令和8年11月5日`): `{year}` (as `era_year` writes it) and
        /// `%` patterns for the rest.
        era_day,
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}
