//! Uniform access to one column of an export, whatever its type (CSV cells are text, read in
//! place from the file; Parquet, read by polars, brings integers, floats, booleans, dates and datetimes), and the parsing
//! of text cells into timestamps, numbers and booleans with clear messages. Every conversion is
//! checked: a value outside what the engine can hold (a date32 millions of years away, NaN, a
//! number whose sums would overflow) is a message for its row, never a panic or a silent null.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta};

/// The `first_contact` values that mean yes without `first_contact_values` (any case).
pub const FIRST_CONTACT_YES: [&str; 6] = ["Y", "yes", "true", "1", "はい", "○"];

use crate::kpi::zone::{ClockChange, LocalZone};
use polars::prelude::*;

/// A column's values, typed as polars holds them (single chunk).
pub enum Cells {
    Text(StringChunked),
    Int(Int64Chunked),
    /// UInt64 kept as is: a cast to Int64 would turn values above `i64::MAX` into nulls.
    UInt(UInt64Chunked),
    Float(Float64Chunked),
    Bool(BooleanChunked),
    /// Datetime: physical value, seconds per unit divisor, and whether it is UTC (has a zone).
    Datetime(Int64Chunked, i64, bool),
    /// Days since 1970-01-01.
    Date(Int32Chunked),
    /// A field read from several columns: each row takes the first cell that is not empty
    /// (nor one of the source's `null_values`).
    Fallbacks(Vec<Cells>, std::sync::Arc<[String]>),
    /// A CSV column: text cells as they lie in the file.
    Csv(super::csv::CsvColumn),
    /// One value on every row (a `key=value` folder's), and the row count.
    Repeat(std::sync::Arc<str>, usize),
}

/// One cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    /// UTC seconds.
    Instant(i64),
    /// Wall-clock seconds without a zone (to be read in the site's zone).
    Local(i64),
    Date(NaiveDate),
    /// A date32 (days since 1970-01-01) beyond the dates chrono can represent.
    BadDate(i32),
}

/// The longest text shown on a page or in a message; longer cells are cut (with `…`). The export
/// (and, for a bad row, the quarantine file) keeps the full value.
pub const DISPLAY_CHARS: usize = 500;

/// `s` cut to `DISPLAY_CHARS` characters with an ellipsis, and whether it was cut.
pub fn for_display(s: &str) -> (std::borrow::Cow<'_, str>, bool) {
    match s.char_indices().nth(DISPLAY_CHARS) {
        Some((end, _)) => (format!("{}…", &s[..end]).into(), true),
        None => (s.into(), false),
    }
}

/// The largest magnitude a number may have: no sum of fewer than 10^18 such values overflows
/// (f64 ends near 1.8e308), so totals, means and percentiles stay finite.
pub const MAX_MAGNITUDE: f64 = 1e290;

impl Cells {
    pub fn from_column(col: &Column) -> PolarsResult<Cells> {
        // Chunks are kept as read (a copy into one chunk would double the memory of big files).
        Ok(match col.dtype() {
            DataType::String => Cells::Text(col.str()?.clone()),
            DataType::Boolean => Cells::Bool(col.bool()?.clone()),
            DataType::Float32 | DataType::Float64 => {
                Cells::Float(col.cast(&DataType::Float64)?.f64()?.clone())
            }
            DataType::Datetime(unit, tz) => {
                let per_sec = match unit {
                    TimeUnit::Nanoseconds => 1_000_000_000,
                    TimeUnit::Microseconds => 1_000_000,
                    TimeUnit::Milliseconds => 1_000,
                };
                let utc = tz.is_some();
                Cells::Datetime(col.cast(&DataType::Int64)?.i64()?.clone(), per_sec, utc)
            }
            DataType::Date => Cells::Date(col.cast(&DataType::Int32)?.i32()?.clone()),
            DataType::UInt64 => Cells::UInt(col.u64()?.clone()),
            // Strict: a value the cast cannot hold is an error, not a null (a silent gap).
            dt if dt.is_integer() => Cells::Int(col.strict_cast(&DataType::Int64)?.i64()?.clone()),
            _ => Cells::Text(col.strict_cast(&DataType::String)?.str()?.clone()),
        })
    }

    /// Rows `offset..offset + len`: cheap (shares the buffers), and indexing a slice that spans
    /// one or two of the file's chunks is much faster than indexing across all of them.
    pub fn slice(&self, offset: usize, len: usize) -> Cells {
        let o = offset as i64;
        match self {
            Cells::Text(c) => Cells::Text(c.slice(o, len)),
            Cells::Int(c) => Cells::Int(c.slice(o, len)),
            Cells::UInt(c) => Cells::UInt(c.slice(o, len)),
            Cells::Float(c) => Cells::Float(c.slice(o, len)),
            Cells::Bool(c) => Cells::Bool(c.slice(o, len)),
            Cells::Datetime(c, per_sec, utc) => Cells::Datetime(c.slice(o, len), *per_sec, *utc),
            Cells::Date(c) => Cells::Date(c.slice(o, len)),
            Cells::Fallbacks(list, nulls) => Cells::Fallbacks(
                list.iter().map(|c| c.slice(offset, len)).collect(),
                nulls.clone(),
            ),
            Cells::Csv(c) => Cells::Csv(c.slice(offset, len)),
            Cells::Repeat(v, n) => Cells::Repeat(v.clone(), len.min(n.saturating_sub(offset))),
        }
    }

    pub fn get(&self, i: usize) -> Cell<'_> {
        match self {
            Cells::Fallbacks(list, nulls) => {
                let empty = |c: &Cell| match c {
                    Cell::Null => true,
                    Cell::Text(s) => trim(s).is_empty() || nulls.iter().any(|n| n == s),
                    _ => false,
                };
                return (list.iter().map(|c| c.get(i)))
                    .find(|c| !empty(c))
                    .unwrap_or(Cell::Null);
            }
            Cells::Text(c) => c.get(i).map(Cell::Text),
            Cells::Csv(c) => c.get(i).map(Cell::Text),
            Cells::Repeat(v, n) => (i < *n).then_some(Cell::Text(v)),
            Cells::Int(c) => c.get(i).map(Cell::Int),
            Cells::UInt(c) => c.get(i).map(Cell::UInt),
            Cells::Float(c) => c.get(i).map(Cell::Float),
            Cells::Bool(c) => c.get(i).map(Cell::Bool),
            Cells::Datetime(c, per_sec, utc) => c.get(i).map(|v| {
                let secs = v.div_euclid(*per_sec);
                if *utc {
                    Cell::Instant(secs)
                } else {
                    Cell::Local(secs)
                }
            }),
            Cells::Date(c) => c.get(i).map(|d| {
                TimeDelta::try_days(d as i64)
                    .and_then(|days| NaiveDate::default().checked_add_signed(days))
                    .map_or(Cell::BadDate(d), Cell::Date)
            }),
        }
        .unwrap_or(Cell::Null)
    }
}

/// How text and empty cells are read for one source.
pub struct CellReader<'a> {
    pub zone: &'a LocalZone,
    pub timestamp_format: Option<&'a str>,
    pub null_values: &'a [String],
    /// `data.<source>.decimal_separator`: how a text number writes its decimals.
    pub decimal_comma: bool,
    /// A comma in a number cannot be read without `decimal_separator` (the fields are not
    /// separated by commas: `1,500` may be a European 1.5).
    pub comma_unsaid: bool,
    /// Wall-clock times read where the clocks change (local seconds, and how each was read),
    /// since the caller last took them: it names the rows.
    pub clock_changes: std::cell::RefCell<Vec<(i64, ClockChange)>>,
}

impl CellReader<'_> {
    pub fn new<'a>(
        zone: &'a LocalZone,
        timestamp_format: Option<&'a str>,
        null_values: &'a [String],
    ) -> CellReader<'a> {
        CellReader {
            zone,
            timestamp_format,
            null_values,
            decimal_comma: false,
            comma_unsaid: false,
            clock_changes: Default::default(),
        }
    }

    /// A wall-clock time in the source's zone as UTC seconds, noting a time the clocks skip
    /// or repeat.
    fn local(&self, n: NaiveDateTime) -> i64 {
        let (t, change) = self.zone.to_utc_noted(n);
        if let Some(change) = change {
            let secs = n.and_utc().timestamp();
            self.clock_changes.borrow_mut().push((secs, change));
        }
        t
    }

    fn local_secs(&self, local: i64) -> i64 {
        let (t, change) = self.zone.local_secs_to_utc_noted(local);
        if let Some(change) = change {
            self.clock_changes.borrow_mut().push((local, change));
        }
        t
    }

    /// The clock changes noted since the last call.
    pub fn take_clock_changes(&self) -> Vec<(i64, ClockChange)> {
        std::mem::take(&mut *self.clock_changes.borrow_mut())
    }
}

impl Cell<'_> {
    /// The cell as display text (for messages and quarantine files).
    pub fn display(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::UInt(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Instant(s) | Cell::Local(s) => DateTime::from_timestamp(*s, 0)
                .map(|d| d.naive_utc().to_string())
                .unwrap_or_else(|| format!("{s} seconds from 1970-01-01")),
            Cell::Date(d) => d.to_string(),
            Cell::BadDate(d) => format!("{d} days from 1970-01-01"),
        }
    }
}

fn outside_years() -> String {
    format!(
        "is outside the {} opsite works with (in the site's time zone)",
        crate::kpi::period::supported_years()
    )
}

/// `YYYY-MM-DD[ T]HH:MM[:SS]` as local wall-clock seconds, without chrono's format machinery
/// (most exports use this form; millions of cells go through here).
fn fast_local_secs(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b' ' || b[10] == b'T')
        || b[13] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as u32;
        }
        Some(v)
    };
    let sec = match b.len() {
        16 => 0,
        19 if b[16] == b':' => num(17..19)?,
        _ => return None,
    };
    let (y, m, d, h, mi) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    // Validate the calendar date the cheap way only when it could be wrong.
    if !(1..=12).contains(&m)
        || d == 0
        || d > 28 && NaiveDate::from_ymd_opt(y as i32, m, d).is_none()
        || h > 23
        || mi > 59
        || sec > 59
    {
        return None;
    }
    Some(
        crate::kpi::zone::days_from_civil(y as i64, m, d) * 86_400
            + (h * 3600 + mi * 60 + sec) as i64,
    )
}

/// The other year-first local times exports have, checked fully: `2026/09/01 9:05` (Excel's
/// Japanese default: slashes, unpadded month, day and hour), `2026-9-1 09:05:30`, and a day
/// alone (`2026/09/01`, `2026-09-01`), which is its midnight. A `T` may stand for the space.
pub fn loose_local_secs(s: &str) -> Option<i64> {
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim_start())),
        None => (s, None),
    };
    let sep = if date.contains('/') { '/' } else { '-' };
    let mut parts = date.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let number = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let (y, m, d) = (number(y)?, number(m)?, number(d)?);
    let day = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    let secs = match time {
        None => 0,
        Some(t) => {
            let mut hms = t.split(':');
            let (h, mi) = (hms.next()?, hms.next()?);
            let sec = hms.next();
            if hms.next().is_some() || !(1..=2).contains(&h.len()) || mi.len() != 2 {
                return None;
            }
            let sec = match sec {
                Some(x) if x.len() == 2 => number(x)?,
                Some(_) => return None,
                None => 0,
            };
            let (h, mi) = (number(h)?, number(mi)?);
            if h > 23 || mi > 59 || sec > 59 {
                return None;
            }
            h * 3600 + mi * 60 + sec
        }
    };
    Some(
        crate::kpi::zone::days_from_civil(day.year() as i64, day.month(), day.day()) * 86_400
            + secs as i64,
    )
}

/// A `timestamp_format` that reads every one of `values` (day-first and month-first tried in
/// that order, so `13/02/2026` settles which), for the message about a column that did not.
pub fn suggest_timestamp_format<'v>(
    values: impl Iterator<Item = &'v str> + Clone,
) -> Option<&'static str> {
    const FORMATS: [&str; 16] = [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %I:%M:%S %p",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日 %H時%M分",
        "%Y%m%d%H%M%S",
        "%d-%b-%Y %H:%M:%S",
        "%d/%b/%y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%Y %H:%M",
    ];
    FORMATS.into_iter().find(|f| {
        values
            .clone()
            .all(|v| NaiveDateTime::parse_from_str(trim(v), f).is_ok())
    })
}

/// `s` as shown: control characters other than tab and line ends, and the marks that change
/// how text reads (`U+202E ` reversing a title), as U+FFFD (`display_text::cell`): an export's stray
/// escape or NUL byte would otherwise land in pages, SVG (where XML forbids it: the chart no
/// longer parses) and mail.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    crate::display_text::cell(s)
}

/// `str::trim`, skipped when the ends are not white space (the common case).
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b))
            if !a.is_ascii_whitespace() && !b.is_ascii_whitespace() && *a < 0x80 && *b < 0x80 =>
        {
            s
        }
        _ => s.trim(),
    }
}

impl CellReader<'_> {
    fn is_null(&self, s: &str) -> bool {
        trim(s).is_empty() || self.null_values.iter().any(|n| n == s)
    }

    /// Text, or none for empty and configured null values.
    pub fn text<'c>(&self, c: Cell<'c>) -> Option<String> {
        match c {
            Cell::Null => None,
            Cell::Text(s) if self.is_null(s) => None,
            Cell::Text(s) => Some(printable(trim(s)).into_owned()),
            other => Some(other.display()),
        }
    }

    /// Like `text`, without copying text cells.
    pub fn text_ref<'c>(&self, c: Cell<'c>) -> Option<std::borrow::Cow<'c, str>> {
        match c {
            Cell::Null => None,
            Cell::Text(s) if self.is_null(s) => None,
            Cell::Text(s) => Some(printable(trim(s))),
            other => Some(std::borrow::Cow::Owned(other.display())),
        }
    }

    /// A timestamp as UTC seconds. Naive values are read in the site's zone; a time whose
    /// local day is outside the supported years (a typo such as `20266-11-02`, a 1969 default)
    /// is an error, not a far-away period or a row no period counts.
    pub fn timestamp(&self, c: Cell) -> Result<Option<i64>, String> {
        let t = self.any_timestamp(c)?;
        match t {
            Some(t) if !self.zone.covers(t) => Err(outside_years()),
            t => Ok(t),
        }
    }

    /// The cell read as a time, whatever its year (`timestamp` also checks the year).
    pub fn reads_as_time(&self, c: Cell) -> Result<Option<i64>, String> {
        self.any_timestamp(c)
    }

    fn any_timestamp(&self, c: Cell) -> Result<Option<i64>, String> {
        match c {
            Cell::Null => Ok(None),
            Cell::Instant(s) => Ok(Some(s)),
            Cell::Local(s) => match DateTime::from_timestamp(s, 0) {
                Some(d) => Ok(Some(self.local(d.naive_utc()))),
                None => Err("is not a representable time".to_string()),
            },
            Cell::Date(d) => Ok(Some(self.local(d.and_hms_opt(0, 0, 0).expect("midnight")))),
            Cell::Text(s) if self.is_null(s) => Ok(None),
            Cell::Text(s) => self.parse_timestamp(trim(s)).map(Some),
            Cell::BadDate(_) => Err("is not a representable date".to_string()),
            _ => Err("is not a timestamp".to_string()),
        }
    }

    fn parse_timestamp(&self, s: &str) -> Result<i64, String> {
        if let Some(fmt) = self.timestamp_format {
            if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
                return Ok(self.local(n));
            }
            if let Ok(d) = DateTime::parse_from_str(s, fmt) {
                return Ok(d.timestamp());
            }
            if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
                return Ok(self.local(d.and_hms_opt(0, 0, 0).expect("midnight")));
            }
        }
        if let Some(local) = fast_local_secs(s) {
            return Ok(self.local_secs(local));
        }
        if let Ok(d) = DateTime::parse_from_rfc3339(s) {
            return Ok(d.timestamp());
        }
        if let Some(local) = loose_local_secs(s) {
            return Ok(self.local_secs(local));
        }
        let expected = self
            .timestamp_format
            .map(|f| format!("format {f}"))
            .unwrap_or_else(|| "RFC 3339, YYYY-MM-DD HH:MM[:SS] or YYYY/MM/DD HH:MM[:SS]".into());
        Err(format!("is not a timestamp ({expected})"))
    }

    /// A calendar day (API usage dates), within the supported years like any timestamp.
    pub fn date(&self, c: Cell) -> Result<Option<NaiveDate>, String> {
        let day = match c {
            Cell::Date(d) => Some(d),
            Cell::Text(s) if !self.is_null(s) => {
                match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        return self
                            .timestamp(c)
                            .map(|t| t.map(|t| self.zone.local_date(t)))
                    }
                }
            }
            other => {
                return self
                    .timestamp(other)
                    .map(|t| t.map(|t| self.zone.local_date(t)))
            }
        };
        let (first, last) = LocalZone::year_range();
        match day {
            Some(d) if !(first..=last).contains(&d.year()) => Err(outside_years()),
            d => Ok(d),
        }
    }

    /// A finite number of at most `MAX_MAGNITUDE`, whatever the format: CSV's `NaN`, `inf` and
    /// `1e400` and Parquet's NaN and infinities are errors alike (none is silently empty).
    pub fn number(&self, c: Cell) -> Result<Option<f64>, String> {
        let v = match c {
            Cell::Null => return Ok(None),
            Cell::Int(i) => i as f64,
            Cell::UInt(i) => i as f64,
            Cell::Float(f) => f,
            Cell::Bool(b) => b as i64 as f64,
            Cell::Text(s) if self.is_null(s) => return Ok(None),
            Cell::Text(s) if self.comma_unsaid && s.contains(',') => {
                return Err("is not a number opsite can read for sure: a comma in a number of a file not separated by commas may group thousands (`1,500` = 1500) or mark decimals (`1,500` = 1.5); set the source's `decimal_separator` (`\".\"` or `\",\"`)".into())
            }
            Cell::Text(s) => super::number_text::text_number(s.trim(), self.decimal_comma)?,
            _ => return Err("is not a number".to_string()),
        };
        if !v.is_finite() {
            Err("is not a finite number".to_string())
        } else if v.abs() > MAX_MAGNITUDE {
            Err(format!(
                "is too large (at most {MAX_MAGNITUDE:e} in size, so that sums stay finite)"
            ))
        } else {
            Ok(Some(v))
        }
    }

    /// true/false, TRUE/FALSE, yes/no, 1/0.
    pub fn boolean(&self, c: Cell) -> Result<Option<bool>, String> {
        match c {
            Cell::Null => Ok(None),
            Cell::Bool(b) => Ok(Some(b)),
            Cell::Int(i) if i == 0 || i == 1 => Ok(Some(i == 1)),
            Cell::UInt(i) if i == 0 || i == 1 => Ok(Some(i == 1)),
            Cell::Text(s) if self.is_null(s) => Ok(None),
            Cell::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "y" | "t" => Ok(Some(true)),
                "false" | "no" | "0" | "n" | "f" => Ok(Some(false)),
                _ => Err("is not true/false".to_string()),
            },
            _ => Err("is not true/false".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> &'static LocalZone {
        static Z: std::sync::OnceLock<LocalZone> = std::sync::OnceLock::new();
        Z.get_or_init(|| LocalZone::new(chrono_tz::Asia::Tokyo))
    }

    fn reader() -> CellReader<'static> {
        CellReader::new(zone(), None, &[])
    }

    #[test]
    fn naive_timestamps_are_site_time_and_offsets_are_respected() {
        let r = reader();
        let a = r
            .timestamp(Cell::Text("2026-10-01 09:00"))
            .unwrap()
            .unwrap();
        let b = r
            .timestamp(Cell::Text("2026-10-01T00:00:00Z"))
            .unwrap()
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(
            r.timestamp(Cell::Text("2026-10-01T09:00:00+09:00"))
                .unwrap(),
            Some(a)
        );
        assert!(r.timestamp(Cell::Text("2026/13/01")).is_err());
        assert_eq!(r.timestamp(Cell::Text("")).unwrap(), None);
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary_and_nan_is_an_error() {
        let long = "長".repeat(DISPLAY_CHARS + 1);
        let (shown, cut) = for_display(&long);
        assert!(cut && shown.ends_with('…'));
        assert_eq!(shown.chars().count(), DISPLAY_CHARS + 1);
        assert_eq!(for_display("短い"), ("短い".into(), false));
        let r = reader();
        for c in [
            Cell::Float(f64::NAN),
            Cell::Text("inf"),
            Cell::Text("1e400"),
        ] {
            assert_eq!(r.number(c), Err("is not a finite number".to_string()));
        }
        assert_eq!(r.number(Cell::UInt(u64::MAX)), Ok(Some(u64::MAX as f64)));
        assert!(r.timestamp(Cell::BadDate(i32::MAX)).is_err());
    }

    #[test]
    fn custom_formats_and_booleans() {
        let r = CellReader::new(zone(), Some("%d/%m/%Y %H:%M"), &[]);
        assert_eq!(
            r.timestamp(Cell::Text("01/10/2026 09:00")).unwrap(),
            reader().timestamp(Cell::Text("2026-10-01 09:00")).unwrap()
        );
        for (s, v) in [("TRUE", true), ("no", false), ("1", true), ("false", false)] {
            assert_eq!(r.boolean(Cell::Text(s)).unwrap(), Some(v));
        }
        assert!(r.boolean(Cell::Text("maybe")).is_err());
    }
}
