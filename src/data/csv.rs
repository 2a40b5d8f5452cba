//! CSV text split by one quote-aware pass into records (first line, field count) and, for the
//! columns a source reads, where each row's field lies. Cells are read straight from the file's
//! text: no second parser, no copy per cell (a field is copied only when quotes must be undone).
//! An unquoted line is split with byte searches; only lines with a quote take the slow path.

use std::borrow::Cow;
use std::sync::Arc;

use memchr::{memchr, memchr_iter};

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

/// Where a row's field lies, from its record's start; or a null, or a copy's index.
#[derive(Debug, Clone, Copy)]
struct Span {
    at: u32,
    len: u32,
}

const NULL: u32 = u32::MAX;
const COPIED: u32 = u32::MAX - 1;

/// Splits a text into records, handing each record's field ranges (absolute byte ranges) to
/// the caller. Blank records (empty, or only spaces and tabs) are skipped: exports end with them.
pub struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Self {
        Scanner {
            b: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The next record, or an error naming the line of a quote that is never closed.
    pub fn next(&mut self, fields: &mut Vec<(usize, usize)>) -> Result<Option<Record>, String> {
        let b = self.b;
        while self.pos <= b.len() {
            fields.clear();
            let (start, line) = (self.pos, self.line);
            let line_end = memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
            let mut end = line_end;
            let quoted = memchr(b'"', &b[start..line_end]).is_some();
            if !quoted {
                let mut from = start;
                for comma in memchr_iter(b',', &b[start..line_end]) {
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
            let blank =
                fields.len() == 1 && b[start..end].iter().all(|c| *c == b' ' || *c == b'\t');
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
    ) -> Result<usize, String> {
        let (b, line) = (self.b, self.line);
        let (mut from, mut i) = (start, start);
        loop {
            if b.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(format!(
                            "line {line}: a quoted field in the row starting here is never closed (a `\"` without its pair), so every later line would be part of one cell; the file is refused as a whole, since where that row ends cannot be known"
                        )),
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
            let end = memchr::memchr2(b',', b'\n', &b[i..]).map_or(b.len(), |k| i + k);
            fields.push((from, end));
            match b.get(end) {
                Some(b',') => {
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
    text: String,
    rows: Vec<(usize, usize)>,
    copies: Vec<String>,
}

impl CsvTable {
    pub fn record_text(&self, row: usize) -> &str {
        let (start, end) = self.rows[row];
        &self.text[start..end]
    }
}

/// One column's cells: rows `offset..offset + len` of its table.
#[derive(Clone)]
pub struct CsvColumn {
    table: Arc<CsvTable>,
    spans: Arc<[Span]>,
    offset: usize,
    len: usize,
}

impl CsvColumn {
    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.len {
            return None;
        }
        let span = self.spans[self.offset + i];
        match span.len {
            NULL => None,
            COPIED => Some(&self.table.copies[span.at as usize]),
            len => {
                let start = self.table.rows[self.offset + i].0 + span.at as usize;
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
/// the `wanted` columns (by header position; a name written twice is read from its first place).
pub struct Split {
    pub header: Vec<String>,
    pub lines: Vec<usize>,
    pub ragged: Vec<(usize, usize)>,
    pub table: Arc<CsvTable>,
    pub columns: Vec<(String, CsvColumn)>,
}

/// `text` split into records and fields; `wanted(header)` names the columns to keep cells of.
/// Errors: a quote never closed, a header not on the first line, a record over 4 GiB, or
/// `wanted`'s own error.
pub fn split<E: From<String>>(
    text: String,
    wanted: impl FnOnce(&[String]) -> Result<Vec<String>, E>,
) -> Result<Option<Split>, E> {
    let mut scanner = Scanner::new(&text);
    let mut fields = Vec::new();
    let Some(first) = scanner.next(&mut fields)? else {
        return Ok(None);
    };
    if first.line != 1 {
        return Err(format!("line {}: the header must be on the first line", first.line).into());
    }
    let header = split_header(&text[first.start..first.end]);
    let names = wanted(&header)?;
    let at: Vec<Option<usize>> = (names.iter())
        .map(|n| header.iter().position(|h| h == n))
        .collect();
    let width = header.len();
    // Room for every line up front: growing these by doubling copies them and touches fresh
    // memory again at each step.
    let room = memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let (mut lines, mut ragged, mut rows) = (
        Vec::with_capacity(room),
        Vec::new(),
        Vec::with_capacity(room),
    );
    let mut spans: Vec<Vec<Span>> = vec![Vec::with_capacity(room); names.len()];
    let mut copies = Vec::new();
    while let Some(r) = scanner.next(&mut fields)? {
        if r.end - r.start >= COPIED as usize {
            return Err(format!("line {}: a record longer than 4 GiB", r.line).into());
        }
        if r.fields != width {
            ragged.push((lines.len(), r.fields));
        }
        lines.push(r.line);
        rows.push((r.start, r.end));
        for (column, at) in spans.iter_mut().zip(&at) {
            let raw = at.and_then(|k| fields.get(k)).map(|&(s, e)| &text[s..e]);
            let value = match raw {
                Some(raw) if r.quoted => field_value(raw),
                _ => raw.filter(|v| !v.is_empty()).map(Cow::Borrowed),
            };
            column.push(match value {
                None => Span { at: 0, len: NULL },
                Some(Cow::Borrowed(v)) => Span {
                    at: (v.as_ptr() as usize - text.as_ptr() as usize - r.start) as u32,
                    len: v.len() as u32,
                },
                Some(Cow::Owned(v)) => {
                    copies.push(v);
                    Span {
                        at: (copies.len() - 1) as u32,
                        len: COPIED,
                    }
                }
            });
        }
    }
    let n = rows.len();
    let table = Arc::new(CsvTable { text, rows, copies });
    let columns = (names.into_iter().zip(spans))
        .map(|(name, spans)| {
            let column = CsvColumn {
                table: table.clone(),
                spans: spans.into(),
                offset: 0,
                len: n,
            };
            (name, column)
        })
        .collect();
    Ok(Some(Split {
        header,
        lines,
        ragged,
        table,
        columns,
    }))
}

/// The header's names, trimmed, quotes dropped.
fn split_header(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(usize, usize)>, String> {
        let (mut s, mut f, mut out) = (Scanner::new(text), Vec::new(), Vec::new());
        while let Some(r) = s.next(&mut f)? {
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
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_text() {
        // Inch marks on two rows: each row stays a row, the marks stay in the titles.
        let text = "id,title\nT2,6\" screen\nT3,12\" monitor\nT4,\"a \"\"b\"\" c\"d\n";
        let s = split(text.to_string(), |_: &[String]| {
            Ok::<_, String>(vec!["id".into(), "title".into()])
        })
        .unwrap()
        .unwrap();
        let title = &s.columns[1].1;
        assert_eq!(s.lines, vec![2, 3, 4]);
        assert_eq!(
            (0..3).map(|i| title.get(i)).collect::<Vec<_>>(),
            vec![Some("6\" screen"), Some("12\" monitor"), Some("a \"b\" cd")]
        );
        // A lone CR inside quotes (an old Mac export) is a line of the file too.
        assert_eq!(
            records("a\n\"x\ry\"\n\nb\n").unwrap(),
            vec![(1, 1), (2, 1), (5, 1)]
        );
    }

    #[test]
    fn cells_are_the_fields_with_quotes_undone() {
        let text = "id,\"note\",id\r\n1,\"a,\"\"b\"\"\r\nc\",x\r\n2,,y\r\n3,\"plain\"\r\n\"\"\r\n";
        let s = split(text.to_string(), |h: &[String]| {
            assert_eq!(h, ["id", "note", "id"]);
            Ok::<_, String>(vec!["id".into(), "note".into()])
        })
        .unwrap()
        .unwrap();
        let id = &s.columns[0].1;
        let note = &s.columns[1].1;
        let got: Vec<_> = (0..4).map(|i| (id.get(i), note.get(i))).collect();
        assert_eq!(
            got,
            vec![
                (Some("1"), Some("a,\"b\"\r\nc")),
                (Some("2"), None),
                (Some("3"), Some("plain")),
                (None, None),
            ]
        );
        assert_eq!(s.lines, vec![2, 4, 5, 6]);
        assert_eq!(s.ragged, vec![(2, 2), (3, 1)]);
        assert_eq!(s.table.record_text(0), "1,\"a,\"\"b\"\"\r\nc\",x");
        let tail = note.slice(2, 10);
        assert_eq!((tail.get(0), tail.get(2)), (Some("plain"), None));
    }

    /// Random fields (quotes, commas, line ends, Japanese, empty) written as a spreadsheet
    /// writes them, quoted where needed, come back as written; fixed seed.
    #[test]
    fn written_fields_come_back_as_written() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let pieces = ["a", ",", "\"", "\n", "\r\n", " ", "障害", "x y", "\r"];
        for _ in 0..300 {
            let (rows, width) = (1 + next(20) as usize, 1 + next(5) as usize);
            let mut want: Vec<Vec<String>> = Vec::new();
            let mut text = (0..width)
                .map(|i| format!("c{i}"))
                .collect::<Vec<_>>()
                .join(",");
            text.push_str(if next(2) == 0 { "\n" } else { "\r\n" });
            for _ in 0..rows {
                let row: Vec<String> = (0..width)
                    .map(|_| (0..next(4)).map(|_| pieces[next(9) as usize]).collect())
                    .collect();
                let written: Vec<String> = (row.iter())
                    .map(|f| {
                        // Quoted only where it must be: a quote inside a field is text
                        // (`6" screen`), as some exporters write it.
                        if f.contains([',', '\n', '\r']) || f.starts_with('"') || f.trim() != f {
                            format!("\"{}\"", f.replace('"', "\"\""))
                        } else {
                            f.clone()
                        }
                    })
                    .collect();
                text.push_str(&written.join(","));
                text.push_str("\r\n");
                want.push(row);
            }
            let names: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
            let s = split(text.clone(), |_: &[String]| Ok::<_, String>(names.clone()))
                .unwrap()
                .unwrap();
            // A row of one empty field is a blank line: not a record.
            want.retain(|r| !(r.len() == 1 && r[0].is_empty()));
            assert_eq!(s.lines.len(), want.len(), "{text:?}");
            for (i, row) in want.iter().enumerate() {
                for (k, field) in row.iter().enumerate() {
                    let got = s.columns[k].1.get(i).unwrap_or("");
                    assert_eq!(got, field, "row {i} column {k} of {text:?}");
                }
            }
        }
    }
}
