//! A CSV file's text split into rows and the cells of the columns a source reads, with the
//! body cut into parts scanned side by side (on a big export the scan is most of the reading).
//! A part starts after a line end; whether that line end lay outside quotes is known only once
//! the part before it is scanned. A part whose start turns out to be inside a record (a quoted
//! field with line ends, cut through) is scanned again from where that record ended, so the
//! result is always the one a single scan from the top gives.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use memchr::memchr_iter;
use rayon::prelude::*;

use super::csv::{
    field_value, span, CsvColumn, CsvTable, LineError, Record, Scanner, Span, Split, COPIED,
};

/// Below this many bytes a body is scanned in one part.
const PARALLEL_FROM: usize = 4 << 20;

/// `text` split into records and fields; `wanted(header)` names the columns to keep cells of.
/// Errors: a quote never closed, a header not on the first line, a record over 4 GiB, or
/// `wanted`'s own error.
pub fn split<E: From<LineError>>(
    text: String,
    delim: u8,
    wanted: impl FnOnce(&[String]) -> Result<Vec<String>, E>,
) -> Result<Option<Split>, E> {
    let parts = if text.len() >= PARALLEL_FROM {
        rayon::current_num_threads()
    } else {
        1
    };
    split_in(text, delim, wanted, parts)
}

/// Where a part's rows go: its own stretch of the table's columns.
struct Part<'a> {
    /// Records that start in this range are the part's (the last part's ends past the text).
    range: Range<usize>,
    lines: &'a mut [usize],
    rows: &'a mut [[usize; 2]],
    spans: Vec<&'a mut [Span]>,
}

/// What one scan of a part found.
struct Scanned {
    start: usize,
    /// Where the record after the part's last starts.
    end: usize,
    /// The line the scan ended on, counted from the line it was given.
    line_end: usize,
    rows: usize,
    ragged: Vec<(usize, usize)>,
    copies: Vec<String>,
    error: Option<LineError>,
}

/// The columns a scan fills, and which header position each reads.
struct Layout<'t> {
    text: &'t str,
    at: Vec<Option<usize>>,
    /// A row has between `named` fields (the header's up to its last name) and `width` (the
    /// header's, empty cells at its end included): the cells under empty header cells at the
    /// end of the line (`a;b;;;`, as spreadsheets save them) are nobody's.
    named: usize,
    width: usize,
    delim: u8,
}

fn split_in<E: From<LineError>>(
    text: String,
    delim: u8,
    wanted: impl FnOnce(&[String]) -> Result<Vec<String>, E>,
    parts: usize,
) -> Result<Option<Split>, E> {
    let mut scanner = Scanner::new(&text, delim);
    let mut fields = Vec::new();
    let Some(first) = scanner.next(&mut fields)? else {
        return Ok(None);
    };
    if first.line != 1 {
        return Err(LineError {
            line: first.line,
            message: "the header must be on the first line".into(),
        }
        .into());
    }
    let mut header = split_header(&text[first.start..first.end], delim);
    let width = header.len();
    while header.len() > 1 && header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let names = wanted(&header)?;
    let layout = Layout {
        text: &text,
        at: (names.iter())
            .map(|n| header.iter().position(|h| h == n))
            .collect(),
        named: header.len(),
        width,
        delim,
    };
    let (body, body_line) = scanner.position();
    let ranges = cut(text.as_bytes(), body, parts);
    // Room for every line of each part: a part's records end at distinct line ends in it (the
    // last may have none). Zeroed, so pages are first touched by the scans that fill them.
    let room: Vec<usize> = (ranges.iter())
        .map(|r| {
            memchr_iter(
                b'\n',
                &text.as_bytes()[r.start.min(text.len())..r.end.min(text.len())],
            )
            .count()
                + 1
        })
        .collect();
    let total: usize = room.iter().sum();
    let mut lines = vec![0usize; total];
    let mut rows = vec![[0usize; 2]; total];
    let mut spans: Vec<Vec<Span>> = (0..names.len()).map(|_| vec![0; total]).collect();
    let kept = {
        let mut parts = carve(&ranges, &room, &mut lines, &mut rows, &mut spans);
        let scans: Vec<Scanned> = (parts.par_iter_mut())
            .map(|p| scan(&layout, p, p.range.start, 0))
            .collect();
        // In order: a part is kept if it starts where the one before ended, else scanned again
        // from there, with its true line numbers.
        let (mut expected, mut line) = (body, body_line);
        let mut kept = Vec::with_capacity(parts.len());
        for (p, s) in parts.iter_mut().zip(scans) {
            let (s, shift) = if s.start == expected && s.error.is_none() {
                (s, line)
            } else {
                (scan(&layout, p, expected, line), 0)
            };
            if let Some(e) = s.error {
                return Err(e.into());
            }
            (expected, line) = (s.end, s.line_end + shift);
            kept.push((s, shift));
        }
        kept
    };
    // Each part's rows moved up behind the ones before (they never move down), line numbers
    // and copy indexes made the table's.
    let (mut written, mut base) = (0, 0);
    let (mut copies, mut ragged) = (Vec::new(), Vec::new());
    for ((s, shift), room) in kept.into_iter().zip(&room) {
        let moved = base..base + s.rows;
        for i in 0..s.rows {
            lines[written + i] = lines[base + i] + shift;
        }
        rows.copy_within(moved.clone(), written);
        for column in spans.iter_mut() {
            column.copy_within(moved.clone(), written);
            if !copies.is_empty() {
                for v in &mut column[written..written + s.rows] {
                    if *v as u32 == COPIED {
                        *v += (copies.len() as u64) << 32;
                    }
                }
            }
        }
        ragged.extend(s.ragged.into_iter().map(|(i, n)| (written + i, n)));
        copies.extend(s.copies);
        written += s.rows;
        base += room;
    }
    lines.truncate(written);
    rows.truncate(written);
    let table = Arc::new(CsvTable { text, rows, copies });
    let columns = (names.into_iter().zip(spans))
        .map(|(name, mut spans)| {
            spans.truncate(written);
            let column = CsvColumn {
                table: table.clone(),
                spans: Arc::new(spans),
                offset: 0,
                len: written,
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

/// The body `body..` cut into up to `parts` ranges, each after a line end; the last runs past
/// the text's end (a record may start at it only when the text ends without a line end).
fn cut(b: &[u8], body: usize, parts: usize) -> Vec<Range<usize>> {
    let mut starts = vec![body];
    for k in 1..parts.max(1) {
        let target = body + (b.len().saturating_sub(body)) * k / parts;
        let at = match memchr::memchr(b'\n', b.get(target..).unwrap_or(&[])) {
            Some(i) => target + i + 1,
            None => break,
        };
        if at > *starts.last().expect("one start") && at < b.len() {
            starts.push(at);
        }
    }
    let ends = starts.iter().skip(1).copied().chain([b.len() + 1]);
    starts.iter().zip(ends).map(|(s, e)| *s..e).collect()
}

/// The columns' stretches for each part, in order.
fn carve<'a>(
    ranges: &[Range<usize>],
    room: &[usize],
    mut lines: &'a mut [usize],
    mut rows: &'a mut [[usize; 2]],
    spans: &'a mut [Vec<Span>],
) -> Vec<Part<'a>> {
    let mut columns: Vec<&'a mut [Span]> = spans.iter_mut().map(|v| v.as_mut_slice()).collect();
    let mut parts = Vec::with_capacity(ranges.len());
    for (range, &n) in ranges.iter().zip(room) {
        let (l, rest) = std::mem::take(&mut lines).split_at_mut(n);
        lines = rest;
        let (r, rest) = std::mem::take(&mut rows).split_at_mut(n);
        rows = rest;
        let mut own = Vec::with_capacity(columns.len());
        for c in columns.iter_mut() {
            let (head, rest) = std::mem::take(c).split_at_mut(n);
            *c = rest;
            own.push(head);
        }
        parts.push(Part {
            range: range.clone(),
            lines: l,
            rows: r,
            spans: own,
        });
    }
    parts
}

/// The records that start in `start..p.range.end`, the first on line `line`, written into the
/// part's stretch from its top.
fn scan(layout: &Layout, p: &mut Part, start: usize, line: usize) -> Scanned {
    let text = layout.text;
    let mut scanner = Scanner::within(text, start, p.range.end, line, layout.delim);
    let (mut fields, mut n) = (Vec::new(), 0);
    let (mut ragged, mut copies) = (Vec::new(), Vec::new());
    let mut error = None;
    loop {
        let r = match scanner.next(&mut fields) {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => {
                error = Some(e);
                break;
            }
        };
        if r.end - r.start >= COPIED as usize {
            error = Some(LineError {
                line: r.line,
                message: "a record longer than 4 GiB".into(),
            });
            break;
        }
        // Empty fields past the header's end (`a;b;;;`) are padding, not cells.
        let padding = (fields.get(layout.width..).unwrap_or_default().iter())
            .all(|&(a, z)| text[a..z.max(a)].trim().is_empty());
        if r.fields < layout.named || (r.fields > layout.width && !padding) {
            ragged.push((n, r.fields));
        }
        p.lines[n] = r.line;
        p.rows[n] = [r.start, r.end];
        for (column, at) in p.spans.iter_mut().zip(&layout.at) {
            column[n] = cell(text, &r, at.and_then(|k| fields.get(k)), &mut copies);
        }
        n += 1;
    }
    let (end, line_end) = scanner.position();
    Scanned {
        start,
        end,
        line_end,
        rows: n,
        ragged,
        copies,
        error,
    }
}

/// A field's span in its record, or a copy's index when its quotes had to be undone.
fn cell(text: &str, r: &Record, field: Option<&(usize, usize)>, copies: &mut Vec<String>) -> Span {
    let raw = field.map(|&(s, e)| &text[s..e]);
    let value = match raw {
        Some(raw) if r.quoted => field_value(raw),
        _ => raw.filter(|v| !v.is_empty()).map(Cow::Borrowed),
    };
    match value {
        None => 0,
        Some(Cow::Borrowed(v)) => span(
            (v.as_ptr() as usize - text.as_ptr() as usize - r.start) as u32,
            v.len() as u32,
        ),
        Some(Cow::Owned(v)) => {
            copies.push(v);
            span((copies.len() - 1) as u32, COPIED)
        }
    }
}

/// The header's names, trimmed, quotes dropped.
fn split_header(line: &str, delim: u8) -> Vec<String> {
    let delim = char::from(delim);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c == delim && !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_inside_an_unquoted_field_is_text() {
        // Inch marks on two rows: each row stays a row, the marks stay in the titles.
        let text = "id,title\nT2,6\" screen\nT3,12\" monitor\nT4,\"a \"\"b\"\" c\"d\n";
        let s = split(text.to_string(), b',', |_: &[String]| {
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
    }

    #[test]
    fn cells_are_the_fields_with_quotes_undone() {
        let text = "id,\"note\",id\r\n1,\"a,\"\"b\"\"\r\nc\",x\r\n2,,y\r\n3,\"plain\"\r\n\"\"\r\n";
        let s = split(text.to_string(), b',', |h: &[String]| {
            assert_eq!(h, ["id", "note", "id"]);
            Ok::<_, String>(vec!["id".into(), "note".into()])
        })
        .unwrap()
        .unwrap();
        let id = &s.columns[0].1;
        let note = &s.columns[1].1;
        let got: Vec<_> = (0..3).map(|i| (id.get(i), note.get(i))).collect();
        assert_eq!(
            got,
            vec![
                (Some("1"), Some("a,\"b\"\r\nc")),
                (Some("2"), None),
                (Some("3"), Some("plain")),
            ]
        );
        // The last line, one quoted empty field, is a row of empty fields: no record.
        assert_eq!(s.lines, vec![2, 4, 5]);
        assert_eq!(s.ragged, vec![(2, 2)]);
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
            let s = split(text.clone(), b',', |_: &[String]| {
                Ok::<_, String>(names.clone())
            })
            .unwrap()
            .unwrap();
            // A row of empty fields (a blank line, `,,`) is not a record.
            want.retain(|r| !r.iter().all(String::is_empty));
            assert_eq!(s.lines.len(), want.len(), "{text:?}");
            for (i, row) in want.iter().enumerate() {
                for (k, field) in row.iter().enumerate() {
                    let got = s.columns[k].1.get(i).unwrap_or("");
                    assert_eq!(got, field, "row {i} column {k} of {text:?}");
                }
            }
        }
    }
    /// Cut into any number of parts, a text splits as in one scan from the top: the same rows,
    /// lines, cells, short rows and errors, wherever the cuts fall (inside quoted line ends,
    /// on blank lines, at an unclosed quote); fixed seed.
    #[test]
    fn parts_split_as_one_scan_does() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let pieces = [
            "a", ",", "\"", "\n", "\r\n", " ", "障害", "\"x\ny\"", "\r", "",
        ];
        let names = vec!["c0".to_string(), "c2".to_string(), "zz".to_string()];
        let seen = |t: &str, parts: usize| {
            let got = split_in(
                t.to_string(),
                b',',
                |_: &[String]| Ok::<_, String>(names.clone()),
                parts,
            );
            got.map(|s| {
                s.map(|s| {
                    let cells: Vec<Vec<Option<String>>> = (s.columns.iter())
                        .map(|(_, c)| {
                            (0..s.lines.len())
                                .map(|i| c.get(i).map(str::to_string))
                                .collect()
                        })
                        .collect();
                    let records: Vec<String> = (0..s.lines.len())
                        .map(|i| s.table.record_text(i).to_string())
                        .collect();
                    (s.lines, s.ragged, cells, records)
                })
            })
        };
        for _ in 0..2000 {
            let mut text = String::from("c0,c1,c2\n");
            for _ in 0..next(40) {
                text.push_str(pieces[next(pieces.len() as u64) as usize]);
            }
            let one = seen(&text, 1);
            for parts in 2..7 {
                assert_eq!(seen(&text, parts), one, "{parts} parts of {text:?}");
            }
        }
    }
}
