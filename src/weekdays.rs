//! Weekdays as people write them in site.yaml, calendars and dates: one reading for every
//! place (`mon`, `Monday`, `Tues`, `月`, `月曜`, `月曜日`), so a spelling one setting takes is
//! not refused by another.

use chrono::Weekday;

const DAYS: [(Weekday, &[&str], &str); 7] = [
    (Weekday::Mon, &["mon", "monday"], "月"),
    (Weekday::Tue, &["tue", "tues", "tuesday"], "火"),
    (Weekday::Wed, &["wed", "weds", "wednesday"], "水"),
    (Weekday::Thu, &["thu", "thur", "thurs", "thursday"], "木"),
    (Weekday::Fri, &["fri", "friday"], "金"),
    (Weekday::Sat, &["sat", "saturday"], "土"),
    (Weekday::Sun, &["sun", "sunday"], "日"),
];

/// The weekday `name` writes (trimmed, any case; a trailing `.` as in `Mon.`), if it is one.
pub fn parse(name: &str) -> Option<Weekday> {
    let n = name.trim().trim_end_matches('.').to_lowercase();
    DAYS.iter()
        .find(|(_, english, japanese)| {
            english.contains(&n.as_str())
                || [
                    *japanese,
                    &format!("{japanese}曜"),
                    &format!("{japanese}曜日"),
                ]
                .contains(&n.as_str())
        })
        .map(|d| d.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_a_setting_took_reads_the_same_day() {
        for s in [
            "mon",
            "Mon",
            "MONDAY",
            " Monday ",
            "Mon.",
            "月",
            "月曜",
            "月曜日",
        ] {
            assert_eq!(parse(s), Some(Weekday::Mon), "{s}");
        }
        assert_eq!(parse("Thurs"), Some(Weekday::Thu));
        assert_eq!(parse("tues"), Some(Weekday::Tue));
        for s in ["monkey", "mo", "", "月曜日日", "holiday"] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}
