//! Front-matter dates in the forms Hugo reads (Go's layouts: RFC 3339 with or without the
//! colon in the offset, RFC 1123, RFC 850, RFC 822, ANSI C, Unix and Ruby dates, Go's own
//! `2006-01-02 15:04:05 -0700 MST`, dates alone), so a tree that builds with Hugo builds here.
//! Like Go, a weekday that disagrees with the date is ignored, and a zone abbreviation takes
//! its offset where one is known; both cases come with a note for a warning at the line.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::{OffsetName, Tz};

/// A page's date: a local time with the offset it was written in.
pub type PageDate = chrono::DateTime<chrono::FixedOffset>;

/// A date read, with what the reader should know about how (a weekday ignored, a zone
/// abbreviation read as UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDate {
    pub date: PageDate,
    pub note: Option<String>,
}

/// Read `s`; a date without an offset or zone is in `tz` (the site's time zone).
pub fn read(s: &str, tz: Tz) -> Option<ReadDate> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(plain(d));
    }
    // Tokens: the weekday (first, with or without its comma) and a zone abbreviation are taken
    // out; what is left is read with the layouts below.
    let mut tokens: Vec<&str> = s.split_whitespace().collect();
    let weekday = (tokens.first())
        .and_then(|t| crate::weekdays::parse(t.trim_end_matches(',')).map(|w| (w, *t)));
    if weekday.is_some() {
        tokens.remove(0);
    }
    let abbreviation = (tokens.iter().skip(1))
        .position(|t| is_zone_abbreviation(t))
        .map(|i| tokens.remove(i + 1));
    let rest = tokens.join(" ");
    let (naive, offset) = parse_rest(&rest)?;
    let mut notes = Vec::new();
    let date = match (offset, abbreviation) {
        (Some(offset), _) => offset.from_local_datetime(&naive).single()?,
        (None, Some(abbr)) => match zone_offset(abbr, &naive, tz) {
            Some(offset) => offset.from_local_datetime(&naive).single()?,
            None => {
                notes.push(format!("the time zone `{abbr}` is unknown: read as UTC, as Hugo does (write the offset, as in `+09:00`, to be sure)"));
                FixedOffset::east_opt(0)?
                    .from_local_datetime(&naive)
                    .single()?
            }
        },
        (None, None) => match tz.from_local_datetime(&naive).earliest() {
            Some(d) => d.fixed_offset(),
            // A wall time the clocks skip (a daylight-saving change): read at the offset
            // before the change, as the data exports are.
            None => {
                use chrono::Offset;
                let before = naive - chrono::Duration::hours(6);
                let offset = tz.offset_from_local_datetime(&before).earliest()?.fix();
                notes.push(format!("{} does not exist in {} (the clocks skip it): read at the offset before the change ({offset})", naive.format("%Y-%m-%d %H:%M"), tz.name()));
                offset.from_local_datetime(&naive).single()?
            }
        },
    };
    // Years are written with four digits; a two-digit year read as year 19 is not a date.
    if !(1000..=9999).contains(&date.year()) {
        return None;
    }
    if let Some((day, written)) = weekday {
        if date.weekday() != day {
            notes.push(format!(
                "`{}` disagrees with the date ({} was a {}): the weekday is ignored, as Hugo does",
                written.trim_end_matches(','),
                date.format("%-d %B %Y"),
                date.format("%A"),
            ));
        }
    }
    Some(ReadDate {
        date,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

fn plain(date: PageDate) -> ReadDate {
    ReadDate { date, note: None }
}

/// The date and time of what is left, and its numeric offset if it has one.
fn parse_rest(rest: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    // `%Y` also reads `19`: such a result is passed over, and the two-digit layouts (`%y`)
    // read it as Go does.
    const WITH_OFFSET: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f %z", // Go's Time.String(), 2006-01-02 15:04:05 -0700
        "%Y-%m-%dT%H:%M:%S%.f%z",  // RFC 3339 without the colon
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%d %b %Y %H:%M:%S %z", // RFC 1123Z (after the weekday)
        "%d %b %y %H:%M:%S %z",
        "%d %b %y %H:%M %z",    // RFC 822Z
        "%b %d %H:%M:%S %z %Y", // Ruby date (after the weekday)
    ];
    const WITHOUT: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d %b %Y %H:%M:%S", // RFC 1123 (its zone taken out)
        "%d %b %y %H:%M:%S",
        "%d-%b-%y %H:%M:%S", // RFC 850
        "%d %b %y %H:%M",    // RFC 822
        "%b %d %H:%M:%S %Y", // ANSI C and Unix dates
    ];
    let four_digits = |n: &NaiveDateTime| n.year() >= 1000;
    for layout in WITH_OFFSET {
        if let Ok(d) = DateTime::parse_from_str(rest, layout) {
            if four_digits(&d.naive_local()) {
                return Some((go_century(d.naive_local(), layout), Some(*d.offset())));
            }
        }
    }
    for layout in WITHOUT {
        if let Ok(n) = NaiveDateTime::parse_from_str(rest, layout) {
            if four_digits(&n) {
                return Some((go_century(n, layout), None));
            }
        }
    }
    for layout in ["%Y-%m-%d", "%d %b %Y", "%d %b %y"] {
        if let Ok(d) = NaiveDate::parse_from_str(rest, layout) {
            let n = d.and_hms_opt(0, 0, 0)?;
            if four_digits(&n) {
                return Some((go_century(n, layout), None));
            }
        }
    }
    None
}

/// Go reads a two-digit year 69–99 as 19xx and 00–68 as 20xx; chrono reads 69 as 2069.
fn go_century(n: NaiveDateTime, layout: &str) -> NaiveDateTime {
    if layout.contains("%y") && n.year() == 2069 {
        return n.with_year(1969).unwrap_or(n);
    }
    n
}

/// `JST`, `UTC`, `PDT`…: two to five capital letters that are not a month's name.
fn is_zone_abbreviation(token: &str) -> bool {
    let months = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    (1..=5).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_uppercase())
        && !months.contains(&token)
}

/// The offset a zone abbreviation stands for at `naive`: the site's zone's own abbreviation
/// first (as Go uses the current location's), then the unambiguous common ones.
fn zone_offset(abbr: &str, naive: &NaiveDateTime, tz: Tz) -> Option<FixedOffset> {
    // The zone's abbreviations that year, summer and winter alike (`IST` in Dublin in January
    // is still +01:00 when written so).
    use chrono::Offset;
    for month in 1..=12 {
        let probe = NaiveDate::from_ymd_opt(naive.year(), month, 15)?.and_hms_opt(12, 0, 0)?;
        if let Some(local) = tz.from_local_datetime(&probe).earliest() {
            if local.offset().abbreviation() == Some(abbr) {
                return Some(local.offset().fix());
            }
        }
    }
    let hours = match abbr {
        "UTC" | "GMT" | "UT" | "Z" | "WET" => 0,
        "BST" | "CET" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "HKT" | "SGT" | "AWST" => 8,
        "JST" | "KST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "NZST" => 12,
        "NZDT" => 13,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> (String, Option<String>) {
        let r = read(s, chrono_tz::Asia::Tokyo).unwrap_or_else(|| panic!("{s}: not read"));
        (r.date.to_rfc3339(), r.note)
    }

    #[test]
    fn the_forms_hugo_reads_are_read_with_their_offsets() {
        for (written, want) in [
            ("2019-05-12T09:00:00+09:00", "2019-05-12T09:00:00+09:00"),
            ("2019-05-12T09:00:00+0900", "2019-05-12T09:00:00+09:00"),
            ("2019-05-12 09:00:00 -0700", "2019-05-12T09:00:00-07:00"),
            ("2019-05-12 09:00:00 -07:00", "2019-05-12T09:00:00-07:00"),
            (
                "2019-05-12 09:00:00.5 +0000 UTC",
                "2019-05-12T09:00:00.500+00:00",
            ),
            ("2019-05-12 09:00:00 JST", "2019-05-12T09:00:00+09:00"),
            ("2019-05-12 09:00:00 PDT", "2019-05-12T09:00:00-07:00"),
            (
                "Sun, 12 May 2019 09:00:00 +0000",
                "2019-05-12T09:00:00+00:00",
            ),
            ("Sun, 12 May 2019 09:00:00 GMT", "2019-05-12T09:00:00+00:00"),
            (
                "Sunday, 12-May-19 09:00:00 UTC",
                "2019-05-12T09:00:00+00:00",
            ),
            ("12 May 19 09:00 +0200", "2019-05-12T09:00:00+02:00"),
            ("Sun May 12 09:00:00 2019", "2019-05-12T09:00:00+09:00"),
            ("Sun May  5 09:00:00 JST 2019", "2019-05-05T09:00:00+09:00"),
            (
                "Sun May 12 09:00:00 -0700 2019",
                "2019-05-12T09:00:00-07:00",
            ),
            ("2019-05-12 09:00", "2019-05-12T09:00:00+09:00"),
            ("2019-05-12", "2019-05-12T00:00:00+09:00"),
            ("12 May 2019", "2019-05-12T00:00:00+09:00"),
            // Two-digit years as Go reads them (69–99 → 19xx), with or without seconds.
            ("Tue, 01 Jan 30 09:00:00 +0900", "2030-01-01T09:00:00+09:00"),
            ("Sun, 12 May 19 09:00:00 +0000", "2019-05-12T09:00:00+00:00"),
            ("12 May 99 09:00 +0000", "1999-05-12T09:00:00+00:00"),
            (
                "Monday, 12-May-69 09:00:00 UTC",
                "1969-05-12T09:00:00+00:00",
            ),
            ("1 Jan 30", "2030-01-01T00:00:00+09:00"),
        ] {
            assert_eq!(at(written), (want.to_string(), None), "{written}");
        }
    }

    #[test]
    fn a_wrong_weekday_and_an_unknown_zone_are_read_with_a_note() {
        let (date, note) = at("Mon, 12 May 2019 09:00:00 +0000");
        assert_eq!(date, "2019-05-12T09:00:00+00:00");
        let note = note.expect("a note");
        assert!(note.contains("`Mon` disagrees") && note.contains("12 May 2019 was a Sunday"));
        let (date, note) = at("2019-05-12 09:00:00 XYZ");
        assert_eq!(date, "2019-05-12T09:00:00+00:00");
        assert!(note.expect("a note").contains("`XYZ` is unknown"));
    }

    #[test]
    fn a_skipped_wall_time_and_the_zones_own_abbreviation_in_either_season() {
        let ny = chrono_tz::America::New_York;
        let r = read("2019-03-10 02:30", ny).expect("read");
        assert_eq!(r.date.to_rfc3339(), "2019-03-10T02:30:00-05:00");
        assert!(r
            .note
            .expect("a note")
            .contains("does not exist in America/New_York"));
        let dublin = read("2019-01-12 09:00:00 IST", chrono_tz::Europe::Dublin).expect("read");
        assert_eq!(
            (dublin.date.to_rfc3339(), dublin.note),
            ("2019-01-12T09:00:00+01:00".into(), None)
        );
    }

    #[test]
    fn what_is_not_a_date_is_not_read() {
        for s in [
            "next week",
            "Funday, 12 May 2019",
            "2019-13-01",
            "Mon",
            "",
            "12 Mai 2019",
            "0019-05-12",
            "-0001-01-01",
        ] {
            assert!(read(s, chrono_tz::UTC).is_none(), "{s}");
        }
    }
}
