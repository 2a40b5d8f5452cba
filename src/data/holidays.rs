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
    tz: chrono_tz::Tz,
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
                ics_days(text, tz)
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

/// The days of an iCalendar file's events, as local days of the site's zone: every day an
/// event touches (an all-day `DTEND` is the day after the last one; a timed event ending at
/// midnight does not touch the day it ends on). Times in UTC (`…Z`) are turned into the site's
/// zone; other times are taken as written. Cancelled events are left out; what the reader does
/// not expand (RRULE, RDATE, a duration it cannot read) is an error at its line, never skipped.
fn ics_days(text: &str, tz: chrono_tz::Tz) -> Result<Vec<NaiveDate>, (usize, String)> {
    let mut days = Vec::new();
    let mut event: Option<Event> = None;
    for (line_no, line) in unfolded(text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some((head, value)) = line.split_once(':') else {
            return Err((
                line_no,
                format!("{line:?} is not an iCalendar line (NAME:value)"),
            ));
        };
        let property = head
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        let value = value.trim();
        let bad = |what: &str| (line_no, format!("{what} {value:?} is not a date or time"));
        match property.as_str() {
            "BEGIN" if value.eq_ignore_ascii_case("VEVENT") => {
                event = Some(Event {
                    line: line_no,
                    ..Event::default()
                })
            }
            _ if event.is_none() => {}
            "DTSTART" => {
                event.as_mut().expect("in an event").start =
                    Some(ics_time(value, tz).ok_or_else(|| bad("DTSTART"))?)
            }
            "DTEND" => {
                event.as_mut().expect("in an event").end =
                    Some(ics_time(value, tz).ok_or_else(|| bad("DTEND"))?)
            }
            "DURATION" => {
                let secs = ics_duration(value).ok_or((
                    line_no,
                    format!("DURATION {value:?} is not read (write P2D, P1W or PT8H)"),
                ))?;
                event.as_mut().expect("in an event").duration = Some(secs);
            }
            "STATUS" if value.eq_ignore_ascii_case("CANCELLED") => {
                event.as_mut().expect("in an event").cancelled = true;
            }
            "RRULE" | "RDATE" => {
                return Err((line_no, format!("a repeating event ({property}) is not read: export the holidays as single events, one per day or year")));
            }
            "END" if value.eq_ignore_ascii_case("VEVENT") => {
                let e = event.take().expect("in an event");
                days.extend(e.days()?);
            }
            _ => {}
        }
    }
    days.sort();
    days.dedup();
    Ok(days)
}

/// One VEVENT as read: where it begins, its start, end or duration, whether it was cancelled.
#[derive(Default)]
struct Event {
    line: usize,
    /// Local date and time, and whether it is a date alone (an all-day event).
    start: Option<(chrono::NaiveDateTime, bool)>,
    end: Option<(chrono::NaiveDateTime, bool)>,
    duration: Option<i64>,
    cancelled: bool,
}

impl Event {
    fn days(&self) -> Result<Vec<NaiveDate>, (usize, String)> {
        if self.cancelled {
            return Ok(Vec::new());
        }
        let (start, all_day) = self
            .start
            .ok_or((self.line, "an event without DTSTART".to_string()))?;
        let end = match (self.end, self.duration) {
            (Some((end, _)), _) => end,
            (None, Some(secs)) => start + chrono::Duration::seconds(secs),
            // RFC 5545: an all-day event without an end lasts its day; a timed one, no time.
            (None, None) if all_day => start + chrono::Duration::days(1),
            (None, None) => start,
        };
        if end < start {
            return Err((self.line, "the event ends before it starts".to_string()));
        }
        let last = if end > start && end.time() == chrono::NaiveTime::MIN {
            end.date().pred_opt().unwrap_or(end.date())
        } else {
            end.date()
        };
        Ok(start
            .date()
            .iter_days()
            .take_while(|d| *d <= last)
            .collect())
    }
}

/// `20260101` (a date: its midnight, all day), `20260101T090000` (as written) or
/// `20260101T000000Z` (UTC, turned into the site's zone).
fn ics_time(v: &str, tz: chrono_tz::Tz) -> Option<(chrono::NaiveDateTime, bool)> {
    use chrono::TimeZone;
    if v.len() == 8 {
        let d = NaiveDate::parse_from_str(v, "%Y%m%d").ok()?;
        return Some((d.and_time(chrono::NaiveTime::MIN), true));
    }
    let (text, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(t) => (t, true),
        None => (v, false),
    };
    let n = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").ok()?;
    let local = if utc {
        tz.from_utc_datetime(&n).naive_local()
    } else {
        n
    };
    Some((local, false))
}

/// `P2D`, `P1W`, `PT8H30M`, `P1DT12H` in seconds.
fn ics_duration(v: &str) -> Option<i64> {
    let rest = v.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut secs = 0i64;
    let mut parse = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut number = String::new();
        for ch in part.chars() {
            if ch.is_ascii_digit() {
                number.push(ch);
                continue;
            }
            let unit = units.iter().find(|(u, _)| *u == ch)?.1;
            secs += number.parse::<i64>().ok()? * unit;
            number.clear();
        }
        number.is_empty().then_some(())
    };
    parse(date, &[('W', 7 * 86_400), ('D', 86_400)])?;
    parse(time, &[('H', 3600), ('M', 60), ('S', 1)])?;
    (secs > 0 || rest == "T0S" || rest == "0D").then_some(secs)
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
        let tokyo = chrono_tz::Asia::Tokyo;
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260216\r\nDTEND;VALUE=DATE:20260218\r\nSUMMARY:Carna\r\n val\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260421\r\nSUMMARY:Tiradentes\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            ics_days(ics, tokyo).unwrap(),
            [d("2026-02-16"), d("2026-02-17"), d("2026-04-21")]
        );
        let event = |body: &str| format!("BEGIN:VEVENT\n{body}\nEND:VEVENT\n");
        // Timed: every local day touched; UTC turned into Tokyo (16:00Z is 01:00 the next day).
        let timed =
            event("DTSTART;TZID=Asia/Tokyo:20261105T090000\nDTEND;TZID=Asia/Tokyo:20261106T180000");
        assert_eq!(
            ics_days(&timed, tokyo).unwrap(),
            [d("2026-11-05"), d("2026-11-06")]
        );
        let utc = event("DTSTART:20261104T160000Z\nDTEND:20261104T200000Z");
        assert_eq!(ics_days(&utc, tokyo).unwrap(), [d("2026-11-05")]);
        let lasting = event("DTSTART;VALUE=DATE:20261230\nDURATION:P3D");
        assert_eq!(ics_days(&lasting, tokyo).unwrap().len(), 3);
        assert!(ics_days(
            &event("DTSTART;VALUE=DATE:20261230\nSTATUS:CANCELLED"),
            tokyo
        )
        .unwrap()
        .is_empty());
        for (body, line) in [
            ("DTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY", 3),
            ("DTSTART;VALUE=DATE:20260101\nRDATE:20270101", 3),
            ("DTSTART:2026", 2),
            ("DTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260101", 1),
            ("DTSTART;VALUE=DATE:20260105\nGARBAGE LINE", 3),
            ("DTSTART;VALUE=DATE:20260105\nDURATION:PXD", 3),
        ] {
            assert_eq!(ics_days(&event(body), tokyo).unwrap_err().0, line, "{body}");
        }
    }

    #[test]
    fn a_csv_of_dates_with_or_without_a_header() {
        let csv = "date,name\n2026-01-01,New Year\n\n2026/4/21,Tiradentes\n";
        assert_eq!(csv_days(csv).unwrap(), [d("2026-01-01"), d("2026-04-21")]);
        assert_eq!(csv_days("2026-01-01\nsoon\n").unwrap_err().0, 2);
    }
}
