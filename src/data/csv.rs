//! CSV text split by one quote-aware pass into records (first line, field count) and, for the
//! columns a source reads, where each row's field lies. Cells are read straight from the file's
//! text: no second parser, no copy per cell (a field is copied only when quotes must be undone).
//! An unquoted line is split with byte searches; only lines with a quote take the slow path.

use std::borrow::Cow;
use std::sync::Arc;

use memchr::{memchr, memchr_iter};

/// A mistake at a line of a data file (a quote never closed, bytes not of the encoding): said
/// at `file:line:`, as every located error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl From<LineError> for String {
    fn from(e: LineError) -> String {
        e.to_string()
    }
}

/// A record: its byte range (a CR before the LF left out), first line and field count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub fields: usize,
    /// Whether the record has a quote anywhere (its fields may need quotes undone).
    pub quoted: bool,
}

/// Where a row's field lies: its offset from its record's start (high half) and length (low
/// half); length 0 is no value (an empty field is none), `COPIED` marks a copy's index. One
/// integer, so the columns of a big file are allocated zeroed and touched only as written.
pub(super) type Span = u64;

pub(super) const COPIED: u32 = u32::MAX;

pub(super) fn span(at: u32, len: u32) -> Span {
    (at as u64) << 32 | len as u64
}

/// Splits a text into records, handing each record's field ranges (absolute byte ranges) to
/// the caller. Blank records (empty, or only spaces and tabs) are skipped: exports end with them.
pub struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    line: usize,
    /// No record starts at or after this byte (past the end: the whole text).
    stop: usize,
    /// The byte between fields (`data.<source>.delimiter`: `,`, `;`, tab or `|`).
    delim: u8,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, delim: u8) -> Self {
        Scanner::within(text, 0, text.len() + 1, 1, delim)
    }

    /// A scan of the records that start in `start..stop`, the first on line `line`. The last
    /// may run past `stop` (a quoted field with line ends in it).
    pub fn within(text: &'a str, start: usize, stop: usize, line: usize, delim: u8) -> Self {
        Scanner {
            b: text.as_bytes(),
            pos: start,
            line,
            stop: stop.min(text.len() + 1),
            delim,
        }
    }

    /// Where the next record would start, and its line.
    pub fn position(&self) -> (usize, usize) {
        (self.pos, self.line)
    }

    /// The next record, or an error naming the line of a quote that is never closed.
    pub fn next(&mut self, fields: &mut Vec<(usize, usize)>) -> Result<Option<Record>, LineError> {
        let b = self.b;
        while self.pos < self.stop {
            fields.clear();
            let (start, line) = (self.pos, self.line);
            let line_end = memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
            let mut end = line_end;
            let quoted = memchr(b'"', &b[start..line_end]).is_some();
            if !quoted {
                let mut from = start;
                for comma in memchr_iter(self.delim, &b[start..line_end]) {
                    fields.push((from, start + comma));
                    from = start + comma + 1;
                }
                fields.push((from, line_end));
                self.pos = line_end + 1;
                self.line += 1;
            } else {
                end = self.quoted_record(start, fields)?;
            }
            if end > start && b[end - 1] == b'\r' {
                end -= 1;
                if let Some(last) = fields.last_mut() {
                    last.1 = last.1.min(end);
                }
            }
            // A blank line, or a row of empty fields (`;;;;`, as spreadsheets save the rows
            // under a table), is no record.
            let empty = |&(a, z): &(usize, usize)| {
                let f = b[a..z.min(end).max(a)].trim_ascii();
                f.is_empty() || f == b"\"\""
            };
            let blank = match quoted {
                false => {
                    (b[start..end].iter()).all(|c| *c == b' ' || *c == b'\t' || *c == self.delim)
                }
                // `"";"";""`: quoted empty fields are empty too.
                true => fields.iter().all(empty),
            };
            if !blank {
                return Ok(Some(Record {
                    start,
                    end,
                    line,
                    fields: fields.len(),
                    quoted,
                }));
            }
        }
        Ok(None)
    }

    /// A record with a quote in it. A quote opens a quoted part only at a field's start (as
    /// spreadsheets write and read CSV): `6" screen` is text, `"a,b"` one field, `""` inside
    /// quotes one quote. Line ends inside quotes are the field's text; a lone CR there (the
    /// other line ends of an old Mac export are LF by now) still counts as a line.
    fn quoted_record(
        &mut self,
        start: usize,
        fields: &mut Vec<(usize, usize)>,
    ) -> Result<usize, LineError> {
        let (b, line) = (self.b, self.line);
        let (mut from, mut i) = (start, start);
        loop {
            if b.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(LineError {
                            line,
                            message: "a quoted field in the row starting here is never closed (a `\"` without its pair), so every later line would be part of one cell; the file is refused as a whole, since where that row ends cannot be known".into(),
                        }),
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\n') => {
                            self.line += 1;
                            i += 1;
                        }
                        Some(b'\r') if b.get(i + 1) != Some(&b'\n') => {
                            self.line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            let end = memchr::memchr2(self.delim, b'\n', &b[i..]).map_or(b.len(), |k| i + k);
            fields.push((from, end));
            match b.get(end) {
                Some(&c) if c == self.delim => {
                    from = end + 1;
                    i = end + 1;
                }
                Some(_) => {
                    self.line += 1;
                    self.pos = end + 1;
                    return Ok(end);
                }
                None => {
                    self.pos = b.len() + 1;
                    return Ok(b.len());
                }
            }
        }
    }
}

/// A field's value: a field that starts with a quote has its quotes undone (a doubled quote
/// inside them is one quote, what follows the closing quote is kept as written); any other
/// field is its text as written, quotes and all (`6" screen`). An empty field is no value.
pub fn field_value(raw: &str) -> Option<Cow<'_, str>> {
    let Some(body) = raw.strip_prefix('"') else {
        return (!raw.is_empty()).then_some(Cow::Borrowed(raw));
    };
    if let Some(inner) = body.strip_suffix('"').filter(|i| !i.contains('"')) {
        return (!inner.is_empty()).then_some(Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(body.len());
    let (mut quoted, mut chars) = (true, body.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                out.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            c => out.push(c),
        }
    }
    (!out.is_empty()).then_some(Cow::Owned(out))
}

/// A CSV file's text, its data rows' byte ranges, and the copies of fields whose quotes had to
/// be undone.
pub struct CsvTable {
    pub(super) text: String,
    pub(super) rows: Vec<[usize; 2]>,
    pub(super) copies: Vec<String>,
}

impl CsvTable {
    pub fn record_text(&self, row: usize) -> &str {
        let [start, end] = self.rows[row];
        &self.text[start..end]
    }
}

/// One column's cells: rows `offset..offset + len` of its table.
#[derive(Clone)]
pub struct CsvColumn {
    pub(super) table: Arc<CsvTable>,
    // A Vec, not `Arc<[Span]>`: converting the Vec into that would copy every span once more.
    pub(super) spans: Arc<Vec<Span>>,
    pub(super) offset: usize,
    pub(super) len: usize,
}

impl CsvColumn {
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.len {
            return None;
        }
        let span = self.spans[self.offset + i];
        let (at, len) = ((span >> 32) as usize, span as u32);
        match len {
            0 => None,
            COPIED => Some(&self.table.copies[at]),
            len => {
                let start = self.table.rows[self.offset + i][0] + at;
                Some(&self.table.text[start..start + len as usize])
            }
        }
    }

    pub fn slice(&self, offset: usize, len: usize) -> CsvColumn {
        let offset = offset.min(self.len);
        CsvColumn {
            table: self.table.clone(),
            spans: self.spans.clone(),
            offset: self.offset + offset,
            len: len.min(self.len - offset),
        }
    }
}

/// A CSV file split: the header, each data row's first line and field count, and the cells of
/// the `wanted` columns (by header position; `read_csv` refuses a wanted name written twice).
pub struct Split {
    pub header: Vec<String>,
    pub lines: Vec<usize>,
    pub ragged: Vec<(usize, usize)>,
    pub table: Arc<CsvTable>,
    pub columns: Vec<(String, CsvColumn)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(usize, usize)>, String> {
        let (mut s, mut f, mut out) = (Scanner::new(text, b','), Vec::new(), Vec::new());
        while let Some(r) = s.next(&mut f).map_err(String::from)? {
            out.push((r.line, r.fields));
        }
        Ok(out)
    }

    #[test]
    fn records_keep_their_first_line_and_count_quoted_fields() {
        assert_eq!(
            records("a,b\r\n1,\"x,\ny\"\n2\n").unwrap(),
            vec![(1, 2), (2, 2), (4, 1)]
        );
        assert_eq!(records("a\n\n  \nb").unwrap(), vec![(1, 1), (4, 1)]);
        // A quote never closed: the row it starts in is named, not a parser's offset.
        let e = records("a,b\n1,x\n2,\"low,2026-09-02\n3,y\n").unwrap_err();
        assert!(e.starts_with("line 3: a quoted field"), "{e}");
        // A lone CR inside quotes (an old Mac export) is a line of the file too.
        assert_eq!(
            records("a\n\"x\ry\"\n\nb\n").unwrap(),
            vec![(1, 1), (2, 1), (5, 1)]
        );
    }
}
