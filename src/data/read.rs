//! Reading export files into polars data frames: glob resolution, encodings (UTF-8 with or
//! without BOM, Shift_JIS/CP932), CSV read as text so every cell can be checked with its line
//! number, Parquet through polars' lazy scan with only the mapped columns. Line ends may be LF,
//! CRLF or a lone CR (old Mac and some Excel exports), as long as they are outside quotes.
//! Files are opened through `parts::read_file`, which reads big Parquet files in parts.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSetBuilder};
use polars::prelude::*;
use walkdir::WalkDir;

use super::cells::Cells;
use super::csv::{CsvColumn, CsvTable, LineError};
use crate::config::kpi::{Encoding, SourceConfig};

/// One file of a source, read.
pub struct Frame {
    /// Relative to the site root, for messages.
    pub file: PathBuf,
    pub table: Table,
    /// File line of each row (the header is line 1); Parquet rows count from 1.
    pub lines: Lines,
    /// Rows of the whole file (a Parquet file comes in parts of it).
    pub file_rows: usize,
    /// CSV rows whose field count differs from the header's: (row index, fields found).
    pub ragged: Vec<(usize, usize)>,
    /// The header.
    pub header: Vec<String>,
    /// The first 12 hex digits of the file's SHA-256 (`sha256sum` shows the same); empty if
    /// it could not be read.
    pub sha256: String,
}

/// The file line of each row of a frame: listed for CSV (a quoted cell may span lines), counted
/// for Parquet (row numbers, from the part's first).
pub enum Lines {
    Listed(Vec<usize>),
    Counted { first: usize, count: usize },
}

impl Lines {
    /// The line of row `row` (which must be below `len()`).
    pub fn at(&self, row: usize) -> usize {
        match self {
            Lines::Listed(lines) => lines[row],
            Lines::Counted { first, count } => {
                assert!(row < *count, "row {row} of {count}");
                first + row
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Lines::Listed(lines) => lines.len(),
            Lines::Counted { count, .. } => *count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A file's columns: Parquet as polars read them; CSV cells as they lie in the file's text
/// (with the record of each row, for the quarantine file), and the `key=value` folders' values.
pub enum Table {
    Parquet(DataFrame),
    Csv {
        table: Arc<CsvTable>,
        columns: Vec<(String, CsvColumn)>,
        folders: Vec<(String, String)>,
    },
}

impl Frame {
    /// The text of a CSV record as written.
    pub fn record_text(&self, row: usize) -> Option<&str> {
        match &self.table {
            Table::Csv { table, .. } => Some(table.record_text(row)),
            Table::Parquet(_) => None,
        }
    }

    pub fn height(&self) -> usize {
        match &self.table {
            Table::Csv { .. } => self.lines.len(),
            Table::Parquet(df) => df.height(),
        }
    }

    /// The cells of a column, if the file has it.
    pub fn column(&self, name: &str) -> Option<PolarsResult<Cells>> {
        match &self.table {
            Table::Parquet(df) => df.column(name).ok().map(Cells::from_column),
            Table::Csv {
                columns, folders, ..
            } => {
                if let Some((_, c)) = columns.iter().find(|(n, _)| n == name) {
                    return Some(Ok(Cells::Csv(c.clone())));
                }
                let (_, value) = folders.iter().find(|(k, _)| k == name)?;
                Some(Ok(Cells::Repeat(value.as_str().into(), self.lines.len())))
            }
        }
    }
}

/// Files matching the source's globs, sorted, relative to `root`. Each glob is walked from its
/// literal folder (`data/tickets/` for `data/tickets/*.csv`), following symbolic links: exports
/// are often linked in from a shared mount, as files or as folders.
pub fn resolve(root: &Path, source: &SourceConfig) -> Result<Vec<PathBuf>, String> {
    let mut builder = GlobSetBuilder::new();
    let mut bases: Vec<PathBuf> = Vec::new();
    for g in source.files.list() {
        let g = g.trim_start_matches("./");
        builder.add(
            GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("files: `{g}`: {e}"))?,
        );
        bases.push(literal_base(g));
    }
    let set = builder.build().map_err(|e| e.to_string())?;
    bases.sort();
    bases.dedup();
    // A base inside another base would be walked twice.
    let bases: Vec<&PathBuf> = bases
        .iter()
        .filter(|b| !bases.iter().any(|o| o != *b && b.starts_with(o)))
        .collect();
    let mut out = Vec::new();
    for base in bases {
        // Paths are kept as the glob writes them: relative to the site, `../exports/…` or
        // `/srv/exports/…` for exports kept outside it.
        let walked = root.join(base);
        for entry in WalkDir::new(&walked)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                e.depth() == 0 || !n.starts_with('.')
            })
        {
            let entry = match entry {
                Ok(e) => e,
                // A link whose target is gone (a share not mounted) must not quietly drop data.
                Err(e) => match e
                    .path()
                    .and_then(|p| std::fs::read_link(p).ok().map(|t| (p, t)))
                {
                    Some((p, target))
                        if !p.exists()
                            && set.is_match(base.join(p.strip_prefix(&walked).unwrap_or(p))) =>
                    {
                        let shown = base.join(p.strip_prefix(&walked).unwrap_or(p));
                        let looped = std::fs::metadata(p)
                            .is_err_and(|e| e.raw_os_error() == Some(libc::ELOOP));
                        if looped {
                            return Err(format!(
                                "files: `{}` is a symbolic link that leads back to itself (through {}): a loop of links, not a file",
                                shown.display(),
                                target.display()
                            ));
                        }
                        return Err(format!(
                            "files: `{}` is a broken symbolic link (it points to {}, which does not exist; is the share mounted?)",
                            shown.display(),
                            target.display()
                        ));
                    }
                    _ => continue,
                },
            };
            let Ok(below) = entry.path().strip_prefix(&walked) else {
                continue;
            };
            let rel = &base.join(below);
            let top = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy());
            if matches!(top.as_deref(), Some("output" | "target")) {
                continue;
            }
            if !set.is_match(rel) || entry.file_type().is_dir() {
                continue;
            }
            if !entry.file_type().is_file() {
                // A named pipe or device would block or never end: named, never skipped silently.
                return Err(format!(
                    "files: `{}` is not a regular file (a named pipe, socket or device); move it away or narrow the glob",
                    rel.display()
                ));
            }
            out.push(rel.to_path_buf());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The folder part of a glob before its first pattern character (`data/a/` for `data/a/*.csv`).
fn literal_base(glob: &str) -> PathBuf {
    let mut base = if glob.starts_with('/') {
        PathBuf::from("/")
    } else {
        PathBuf::new()
    };
    let parts: Vec<&str> = glob.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() || part.contains(['*', '?', '[', '{']) {
            break;
        }
        base.push(part);
    }
    base
}

pub(super) fn is_parquet(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"))
}

/// Decode to UTF-8 text without a BOM. A file that starts with UTF-8's BOM, or whose non-ASCII
/// text is valid UTF-8, is UTF-8 whatever the source says (Excel's "CSV UTF-8" beside its
/// Shift_JIS "CSV" in one folder): Shift_JIS or Windows-1252 text is almost never valid UTF-8,
/// and read as either a UTF-8 file would be mojibake.
fn decode(bytes: Vec<u8>, encoding: Encoding) -> Result<String, LineError> {
    // One validation of the bytes: text in ASCII alone reads the same in every encoding here.
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // Every leading BOM goes (a file converted twice has two), in place: no copy of
            // a large export.
            let boms = text.len() - text.trim_start_matches('\u{feff}').len();
            text.drain(..boms);
            Ok(text)
        }
        Err(e) if encoding == Encoding::Utf8 || e.as_bytes().starts_with(b"\xef\xbb\xbf") => {
            Err(LineError {
                line: line_at(e.as_bytes(), e.utf8_error().valid_up_to()),
                message: "not valid UTF-8 (set `encoding: shift_jis` for Japanese Excel exports, `encoding: windows-1252` for Western ones)".into(),
            })
        }
        Err(e) if encoding == Encoding::ShiftJis => decode_shift_jis(e.as_bytes()),
        Err(e) => decode_windows_1252(e.as_bytes()),
    }
}

/// Shift_JIS text, or the line where it stops being Shift_JIS.
fn decode_shift_jis(bytes: &[u8]) -> Result<String, LineError> {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding_rs::SHIFT_JIS.new_decoder_without_bom_handling();
    let room = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    let mut text = String::with_capacity(room);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()),
        DecoderResult::Malformed(bad, after) => {
            let at = read.saturating_sub(bad as usize + after as usize);
            Err(LineError {
                line: line_at(bytes, at),
                message: "not valid Shift_JIS (if the file is UTF-8, set `encoding: utf-8`)".into(),
            })
        }
        // The buffer holds the longest text the bytes can make: never.
        DecoderResult::OutputFull => Err(LineError {
            line: 1,
            message: "not valid Shift_JIS".into(),
        }),
    }
}

/// Windows-1252 text: every byte has a meaning there (a UTF-8 file never gets here, `decode`).
fn decode_windows_1252(bytes: &[u8]) -> Result<String, LineError> {
    Ok(encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned())
}

/// The line (from 1) of byte `at`: lines end at LF, and at a CR not followed by LF (a lone-CR
/// export).
fn line_at(bytes: &[u8], at: usize) -> usize {
    let before = &bytes[..at.min(bytes.len())];
    before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
        + 1
}

/// A lone CR outside quotes ends a line: it becomes LF (one byte for one, so every record's range
/// stays where it was written), for this scan and for polars, which knows only LF and CRLF.
/// A CR inside a quoted field is the field's text and stays.
fn lone_cr_to_lf(text: String, delim: u8) -> String {
    let has_lone_cr = memchr::memchr_iter(b'\r', text.as_bytes())
        .any(|i| text.as_bytes().get(i + 1) != Some(&b'\n'));
    if !has_lone_cr {
        return text;
    }
    // Quotes as the CSV scan reads them: one opens a quoted part only at a field's start, and
    // a doubled one inside is text.
    let bytes = text.as_bytes();
    let (mut lone, mut quoted, mut field_start, mut i) = (Vec::new(), false, true, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' if field_start => quoted = true,
            b'"' if quoted && bytes.get(i + 1) == Some(&b'"') => i += 1,
            b'"' if quoted => quoted = false,
            b'\r' if !quoted && bytes.get(i + 1) != Some(&b'\n') => lone.push(i),
            _ => {}
        }
        field_start = !quoted && (bytes[i] == delim || matches!(bytes[i], b'\n' | b'\r'));
        i += 1;
    }
    let mut b = text.into_bytes();
    for i in lone {
        b[i] = b'\n';
    }
    // Only ASCII bytes were swapped for ASCII bytes: the text is still UTF-8.
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A wanted column is not in the file.
    MissingColumn {
        column: String,
        found: Vec<String>,
    },
    /// A mistake at a line of the file (a quote never closed, bytes not of its encoding).
    AtLine(LineError),
    /// A wanted column is named more than once in the header (its 1-based places): which one
    /// is meant cannot be told.
    RepeatedColumn {
        column: String,
        places: Vec<usize>,
    },
    Invalid(String),
    /// The file has no bytes (or only blank lines): an export that failed or is still being
    /// written. Skipped with a warning.
    Empty,
}

impl From<LineError> for ReadError {
    fn from(e: LineError) -> Self {
        ReadError::AtLine(e)
    }
}

impl From<String> for ReadError {
    fn from(s: String) -> Self {
        ReadError::Invalid(s)
    }
}

pub(super) fn read_csv(
    path: &Path,
    rel: &Path,
    source: &SourceConfig,
    wanted: &dyn Fn(&[String]) -> Vec<String>,
) -> Result<Frame, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let delim = source.delimiter();
    let text = lone_cr_to_lf(decode(bytes, source.encoding())?, delim);
    let mut folders = Vec::new();
    let split = super::csv_split::split(text, delim, |header: &[String]| {
        // `key=value` folders (`metrics/host=web1/cpu.csv`) offer columns, as for Parquet; a
        // column the file has itself wins.
        folders = folder_columns(rel)
            .into_iter()
            .filter(|(k, _)| !header.contains(k))
            .collect();
        let offered: Vec<String> = (header.iter().cloned())
            .chain(folders.iter().map(|(k, _)| k.clone()))
            .collect();
        let columns = wanted(&offered);
        check_columns(&offered, &columns)?;
        check_repeated(header, &columns)?;
        folders.retain(|(k, _)| columns.contains(k));
        Ok::<_, ReadError>(columns.into_iter().filter(|c| header.contains(c)).collect())
    })?;
    let Some(split) = split else {
        return Err(ReadError::Empty);
    };
    Ok(Frame {
        file: rel.to_path_buf(),
        file_rows: split.lines.len(),
        lines: Lines::Listed(split.lines),
        ragged: split.ragged,
        header: split.header,
        sha256: String::new(),
        table: Table::Csv {
            table: split.table,
            columns: split.columns,
            folders,
        },
    })
}

/// The `key=value` folder names of a path (Hive-style partitions), outermost first.
fn folder_columns(rel: &Path) -> Vec<(String, String)> {
    let Some(parent) = rel.parent() else {
        return Vec::new();
    };
    parent
        .components()
        .filter_map(|c| {
            let name = c.as_os_str().to_str()?;
            let (k, v) = name.split_once('=')?;
            (!k.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

pub(super) fn check_columns(found: &[String], wanted: &[String]) -> Result<(), ReadError> {
    match wanted.iter().find(|w| !found.contains(w)) {
        Some(w) => Err(ReadError::MissingColumn {
            column: w.clone(),
            found: found.to_vec(),
        }),
        None => Ok(()),
    }
}

/// A column opsite reads, named twice in the header (`title,…,title`): an error rather than
/// reading the first, since an export that repeats a name may hold other values in each.
fn check_repeated(header: &[String], wanted: &[String]) -> Result<(), ReadError> {
    for column in wanted {
        let places: Vec<usize> = (header.iter().enumerate())
            .filter(|(_, h)| *h == column)
            .map(|(i, _)| i + 1)
            .collect();
        if places.len() > 1 {
            return Err(ReadError::RepeatedColumn {
                column: column.clone(),
                places,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_cr_ends_a_line_outside_quotes_only() {
        let text = lone_cr_to_lf("a,b\r1,\"x\ry\"\r\n2,z\r".to_string(), b',');
        assert_eq!(text, "a,b\n1,\"x\ry\"\r\n2,z\n");
        let (mut scan, mut fields) = (super::super::csv::Scanner::new(&text, b','), Vec::new());
        let mut v = Vec::new();
        while let Some(r) = scan.next(&mut fields).unwrap() {
            v.push((r.line, r.fields));
        }
        // The CR kept inside quotes is still a line of the file: `2,z` is on line 4.
        assert_eq!(v, vec![(1, 2), (2, 2), (4, 2)]);
        // A quote inside an unquoted field opens nothing: the CR after it ends the line.
        let text = lone_cr_to_lf("a,b\r1,6\" x\r2,y\r".to_string(), b',');
        assert_eq!(text, "a,b\n1,6\" x\n2,y\n");
    }

    #[test]
    fn globs_are_walked_from_their_literal_folder() {
        assert_eq!(
            literal_base("data/tickets/*.csv"),
            PathBuf::from("data/tickets")
        );
        assert_eq!(
            literal_base("data/incident_event_log.csv"),
            PathBuf::from("data")
        );
        assert_eq!(
            literal_base("data/metrics/**/*.parquet"),
            PathBuf::from("data/metrics")
        );
        assert_eq!(literal_base("*.csv"), PathBuf::new());
        assert_eq!(literal_base("data/{a,b}/x.csv"), PathBuf::from("data"));
    }

    #[test]
    fn shift_jis_and_bom() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("番号,件名\n1,障害\n");
        assert_eq!(
            decode(sjis.into_owned(), Encoding::ShiftJis).unwrap(),
            "番号,件名\n1,障害\n"
        );
        assert_eq!(
            decode("\u{feff}a,b\n".as_bytes().to_vec(), Encoding::Utf8).unwrap(),
            "a,b\n"
        );
        assert_eq!(
            decode("\u{feff}\u{feff}a,b\n".as_bytes().to_vec(), Encoding::Utf8).unwrap(),
            "a,b\n",
            "a file converted twice"
        );
        assert!(decode(vec![0x94, 0xd4], Encoding::Utf8).is_err());
        assert_eq!(
            decode(b"a\rb\r\nc\n\xff".to_vec(), Encoding::Utf8)
                .unwrap_err()
                .to_string(),
            "line 4: not valid UTF-8 (set `encoding: shift_jis` for Japanese Excel exports, `encoding: windows-1252` for Western ones)"
        );
        // UTF-8 declared as Shift_JIS or Windows-1252 (a folder of both): read as UTF-8.
        for declared in [Encoding::ShiftJis, Encoding::Windows1252] {
            assert_eq!(
                decode("id,title\n1,ok\n2,障害\n".as_bytes().to_vec(), declared).unwrap(),
                "id,title\n1,ok\n2,障害\n"
            );
        }
        // Shift_JIS beside it still reads as Shift_JIS.
        let sjis = encoding_rs::SHIFT_JIS.encode("2,障害\n").0.into_owned();
        assert_eq!(decode(sjis, Encoding::ShiftJis).unwrap(), "2,障害\n");
        // Bytes that are neither: the line of the first one Shift_JIS cannot read.
        let mut bytes = encoding_rs::SHIFT_JIS
            .encode("番号\r\n1\r\n")
            .0
            .into_owned();
        bytes.extend_from_slice(b"2,\x81\x20\xff\n");
        assert_eq!(
            decode(bytes, Encoding::ShiftJis).unwrap_err().to_string(),
            "line 3: not valid Shift_JIS (if the file is UTF-8, set `encoding: utf-8`)"
        );
    }
}
