//! Holiday files a calendar names (`holidays: [japan, data/holidays-br.ics]`): iCalendar, the
//! format every calendar program exports, or a CSV whose first column is dates. They are read
//! here with the exports, since the KPI engine does no I/O; a line that cannot be read is an
//! error at that line, and a file that is not there is an error at its line in site.yaml.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::Collector;
use crate::config::keys::Step;
use crate::config::kpi::{HolidaySources, KpiConfig};
use crate::error::{Code, Diagnostic, Location};

/// The days of every holiday file the calendars name, by the path as written.
pub(crate) fn load(
    root: &Path,
    config: &KpiConfig,
    c: &mut Collector,
) -> BTreeMap<String, Vec<NaiveDate>> {
    let mut out = BTreeMap::new();
    for (name, calendar) in &config.calendars {
        let Some(sources) = &calendar.holidays else {
            continue;
        };
        let entries = sources.list();
        for (n, entry) in entries.iter().enumerate() {
            let entry = entry.trim();
            if !crate::config::kpi::is_holiday_file(entry) || out.contains_key(entry) {
                continue;
            }
            let mut at = vec![
                Step::Key("calendars".into()),
                Step::Key(name.clone()),
                Step::Key("holidays".into()),
            ];
            if matches!(sources, HolidaySources::Many(_)) {
                at.push(Step::Index(n));
            }
            let path = root.join(entry);
            let text = match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    let location = c.config_key(&at);
                    c.errors.push(Diagnostic::error(
                        Code::Config,
                        location,
                        format!("calendars.{name}.holidays: cannot read `{entry}`: {e}"),
                    ));
                    continue;
                }
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let read = if entry.to_ascii_lowercase().ends_with(".ics") {
                ics_days(text)
            } else {
                csv_days(text)
            };
            match read {
                Ok(days) => {
                    out.insert(entry.to_string(), days);
                }
                Err((line, message)) => c.errors.push(Diagnostic::error(
                    Code::Data,
                    Location::at(Path::new(entry), line, None),
                    format!("holidays: {message}"),
                )),
            }
        }
    }
    out
}

/// The days of an iCalendar file's events (all-day events over several days give each day;
/// a timed event gives its start's day). A repeating event (RRULE) is not expanded: an error.
fn ics_days(text: &str) -> Result<Vec<NaiveDate>, (usize, String)> {
    let mut days = Vec::new();
    let mut event: Option<(usize, Option<NaiveDate>, Option<(NaiveDate, bool)>)> = None;
    for (line_no, line) in unfolded(text) {
        let (head, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        let mut parts = head.split(';');
        let property = parts.next().unwrap_or("").trim().to_ascii_uppercase();
        let all_day =
            parts.any(|p| p.trim().eq_ignore_ascii_case("VALUE=DATE")) || value.trim().len() == 8;
        match (property.as_str(), value.trim()) {
            ("BEGIN", v) if v.eq_ignore_ascii_case("VEVENT") => event = Some((line_no, None, None)),
            ("DTSTART", v) if event.is_some() => {
                let day = ics_date(v).ok_or((line_no, format!("DTSTART {v:?} is not a date")))?;
                event.as_mut().expect("in an event").1 = Some(day);
            }
            ("DTEND", v) if event.is_some() => {
                let day = ics_date(v).ok_or((line_no, format!("DTEND {v:?} is not a date")))?;
                event.as_mut().expect("in an event").2 = Some((day, all_day));
            }
            ("RRULE", _) if event.is_some() => {
                return Err((line_no, "a repeating event (RRULE) is not read: export the holidays as single events, one per day or year".into()));
            }
            ("END", v) if v.eq_ignore_ascii_case("VEVENT") => {
                let Some((began, start, end)) = event.take() else {
                    continue;
                };
                let start = start.ok_or((began, "an event without DTSTART".to_string()))?;
                days.push(start);
                // An all-day DTEND is the day after the last one.
                if let Some((end, true)) = end {
                    let mut d = start.succ_opt();
                    while let Some(day) = d.filter(|d| *d < end) {
                        days.push(day);
                        d = day.succ_opt();
                    }
                }
            }
            _ => {}
        }
    }
    days.sort();
    days.dedup();
    Ok(days)
}

/// Lines with RFC 5545 folding undone (a line starting with a space or tab continues the one
/// before), each with the number of its first line.
fn unfolded(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.trim_end_matches('\r');
        match (raw.strip_prefix([' ', '\t']), out.last_mut()) {
            (Some(rest), Some(last)) => last.1.push_str(rest),
            _ => out.push((i + 1, raw.to_string())),
        }
    }
    out
}

/// `20260101` or `20260101T090000[Z]`: the date part.
fn ics_date(v: &str) -> Option<NaiveDate> {
    let digits = v.get(..8)?;
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

/// The dates in the first column of a CSV (`2026-01-01` or `2026/1/1`); a first line that is
/// not a date is its header; blank lines are skipped.
fn csv_days(text: &str) -> Result<Vec<NaiveDate>, (usize, String)> {
    let mut days = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let first = line.split([',', ';', '\t']).next().unwrap_or("");
        let cell = first.trim().trim_matches('"').trim();
        if cell.is_empty() {
            continue;
        }
        let day = NaiveDate::parse_from_str(cell, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(cell, "%Y/%m/%d"));
        match day {
            Ok(d) => days.push(d),
            Err(_) if i == 0 => {}
            Err(_) => {
                return Err((
                    i + 1,
                    format!(
                        "{cell:?} is not a date (YYYY-MM-DD or YYYY/MM/DD in the first column)"
                    ),
                ))
            }
        }
    }
    days.sort();
    days.dedup();
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn icalendar_events_give_their_days() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260216\r\nDTEND;VALUE=DATE:20260218\r\nSUMMARY:Carna\r\n val\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20260421T000000Z\r\nSUMMARY:Tiradentes\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            ics_days(ics).unwrap(),
            [d("2026-02-16"), d("2026-02-17"), d("2026-04-21")]
        );
        let repeating =
            "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY\nEND:VEVENT\n";
        assert_eq!(ics_days(repeating).unwrap_err().0, 3);
        assert_eq!(
            ics_days("BEGIN:VEVENT\nDTSTART:2026\nEND:VEVENT\n")
                .unwrap_err()
                .0,
            2
        );
    }

    #[test]
    fn a_csv_of_dates_with_or_without_a_header() {
        let csv = "date,name\n2026-01-01,New Year\n\n2026/4/21,Tiradentes\n";
        assert_eq!(csv_days(csv).unwrap(), [d("2026-01-01"), d("2026-04-21")]);
        assert_eq!(csv_days("2026-01-01\nsoon\n").unwrap_err().0, 2);
    }
}
