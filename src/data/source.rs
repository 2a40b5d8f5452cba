//! One configured source read into frames with the canonical fields resolved to columns, and the
//! row-by-row conversion frame: every bad cell becomes a located problem, which the source's
//! `on_error` turns into an error or a quarantined row. A file whose reading fails, even by a
//! panic inside the Parquet decoder, is an error naming that file; the other files still load.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cells::{for_display, Cell, CellReader, Cells};
use super::read::{self, Frame, ReadError};
use crate::config::kpi::{DecimalSeparator, SourceConfig};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::zone::{ClockChange, LocalZone};

/// The field `dedupe.by`'s column is read as.
pub const DEDUPE_FIELD: &str = "dedupe.by";

/// A canonical field a source may have.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
}

pub const fn required(name: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        required: true,
    }
}

pub const fn optional(name: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        required: false,
    }
}

/// A frame with its canonical fields' cells.
pub struct SourceFrame {
    pub frame: Frame,
    pub cells: BTreeMap<&'static str, Cells>,
    /// canonical → export column name (for messages).
    pub columns: BTreeMap<&'static str, String>,
}

impl SourceFrame {
    pub fn get(&self, field: &str, row: usize) -> Cell<'_> {
        self.cells
            .get(field)
            .map(|c| c.get(row))
            .unwrap_or(Cell::Null)
    }
    pub fn has(&self, field: &str) -> bool {
        self.cells.contains_key(field)
    }
    pub fn rows(&self) -> usize {
        self.frame.height()
    }
}

/// A row that could not be used: where, which column, what value, why.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub file: PathBuf,
    pub line: usize,
    pub column: Option<String>,
    pub value: Option<String>,
    pub message: String,
    /// The row as written, for the quarantine file.
    pub record: String,
    /// A text cell no timestamp format read (the message may suggest a `timestamp_format`).
    pub unreadable_time: bool,
}

impl RowProblem {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let what = match (&self.column, &self.value) {
            // A huge cell is cut in the message; the quarantine file keeps the whole record.
            (Some(c), Some(v)) => {
                format!("column {c}: value {:?}: {}", for_display(v).0, self.message)
            }
            (Some(c), None) => format!("column {c}: {}", self.message),
            _ => self.message.clone(),
        };
        Diagnostic::error(Code::Data, Location::at(&self.file, self.line, None), what)
    }
}

/// The errors of a source's bad rows (sorted by place). A few rows with one kind of problem in
/// a column of a file are listed one by one; more than `LISTED` are said once, at the first bad
/// row, with how many rows share the problem. A time no format read also names the
/// `timestamp_format` that would read the column. Problems of no column (a ragged row) are one
/// error each.
pub fn row_errors(problems: &[RowProblem]) -> Vec<Diagnostic> {
    type Key<'p> = (&'p Path, &'p str, &'p str);
    let mut groups: Vec<(Key, Vec<&RowProblem>)> = Vec::new();
    let mut index: std::collections::HashMap<Key, usize> = Default::default();
    let mut out = Vec::new();
    for p in problems {
        let Some(column) = &p.column else {
            out.push((p.file.as_path(), p.line, p.to_diagnostic()));
            continue;
        };
        let key = (p.file.as_path(), column.as_str(), p.message.as_str());
        match index.get(&key) {
            Some(&i) => groups[i].1.push(p),
            None => {
                index.insert(key, groups.len());
                groups.push((key, vec![p]));
            }
        }
    }
    const LISTED: usize = crate::error::LISTED_REPEATS;
    for (_, rows) in groups {
        if rows.len() <= LISTED && !rows[0].unreadable_time {
            out.extend(
                rows.iter()
                    .map(|p| (p.file.as_path(), p.line, p.to_diagnostic())),
            );
            continue;
        }
        let first = rows[0];
        let mut d = first.to_diagnostic();
        if rows.len() > 1 {
            let lines: Vec<String> = rows[1..]
                .iter()
                .take(5)
                .map(|p| p.line.to_string())
                .collect();
            let more = if rows.len() > 6 { ", …" } else { "" };
            d.message.push_str(&format!(
                " ({} rows of this column in all; also line {}{more})",
                rows.len(),
                lines.join(", ")
            ));
        }
        if first.unreadable_time {
            let values = rows.iter().take(1000).filter_map(|p| p.value.as_deref());
            if let Some(f) = super::cells::suggest_timestamp_format(values) {
                d.message
                    .push_str(&format!("; `timestamp_format: \"{f}\"` would read it"));
            }
        }
        out.push((first.file.as_path(), first.line, d));
    }
    out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    out.into_iter().map(|(_, _, d)| d).collect()
}

/// Read all files of a source. Errors are whole-file problems (missing column, empty file, no match).
pub fn read_source(
    root: &Path,
    name: &str,
    cfg: &SourceConfig,
    fields: &[FieldSpec],
    files_key: &Location,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<SourceFrame>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let read = read_source_each(root, name, cfg, fields, files_key, warnings, &mut |sf| {
        out.push(sf)
    });
    read.map(|()| out)
}

/// Read all files of a source, handing each part to `each` as it is read (a Parquet file comes
/// in parts of `parts::PARQUET_PART_ROWS` rows, in order): the caller converts a part and drops
/// it before the next is decoded. On an error the parts already handed over are to be dropped.
pub fn read_source_each(
    root: &Path,
    name: &str,
    cfg: &SourceConfig,
    fields: &[FieldSpec],
    files_key: &Location,
    warnings: &mut Vec<Diagnostic>,
    each: &mut dyn FnMut(SourceFrame),
) -> Result<(), Vec<Diagnostic>> {
    let files = read::resolve(root, cfg).map_err(|e| {
        vec![Diagnostic::error(
            Code::Config,
            files_key.clone(),
            format!("data.{name}.{e}"),
        )]
    })?;
    if files.is_empty() {
        let globs = cfg.files.list().join(", ");
        if cfg.optional {
            return Ok(());
        }
        return Err(vec![Diagnostic::error(Code::Config,
            files_key.clone(),
            format!("data.{name}: no file matches `{globs}` (add `optional: true` if there may be none yet)"),
        )]);
    }
    let mut errors = Vec::new();
    // Rows under the headers of every file, and the parts read: a month's file with only its
    // header is a quiet month, but a source with no row at all (an export cut short, a filter
    // that matched nothing) would publish every period as a quiet one.
    let (mut rows, mut read_files) = (0, 0);
    for rel in files {
        // One column may serve two fields (`dedupe.by` naming a mapped column): read it once.
        let wanted = |header: &[String]| -> Vec<String> {
            let mut columns: Vec<String> = Vec::new();
            for f in fields {
                let used = f.required
                    || cfg.is_mapped(f.name)
                    || header.iter().any(|h| cfg.column(f.name) == h);
                if !used {
                    continue;
                }
                // A preset's optional columns are read when present; a field whose columns
                // are all optional needs one of them (the first is named when none is there).
                let all = cfg.columns_of(f.name);
                let optional = |c: &&str| cfg.preset_fill.optional_columns.contains(*c);
                let mut read: Vec<&str> = (all.iter().copied())
                    .filter(|c| !optional(c) || header.iter().any(|h| h == c))
                    .collect();
                if read.is_empty() && !(f.name == DEDUPE_FIELD && cfg.preset_fill.dedupe) {
                    read.push(all[0]);
                }
                for column in read {
                    if !columns.iter().any(|c| c == column) {
                        columns.push(column.to_string());
                    }
                }
            }
            columns
        };
        let mut read = || -> Result<(), ReadError> {
            let mut parts = guarded(|| super::parts::read_file(root, &rel, cfg, &wanted))?;
            while let Some(part) = guarded(|| {
                (parts.next().transpose()?)
                    .map(|frame| take_fields(frame, cfg, fields))
                    .transpose()
            })? {
                rows += part.rows();
                read_files += 1;
                each(part);
            }
            Ok(())
        };
        match read() {
            Ok(()) => {}
            Err(ReadError::MissingColumn { column, found }) => {
                let field = fields
                    .iter()
                    .find(|f| cfg.columns_of(f.name).contains(&column.as_str()))
                    .map(|f| f.name)
                    .unwrap_or("?");
                // A column one character off (`解決日次` for `解決日時`) is named, as keys are.
                let meant = crate::config::keys::closest(&column, found.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                // Mapped by site.yaml's own `columns:` (not a preset's): the mistake may be there.
                let mapped_here =
                    cfg.columns.contains_key(field) && !cfg.preset_fill.fields.contains(field);
                // A setting's own field (`dedupe.by`) is set where it is named.
                let set_at = match (mapped_here, field.contains('.')) {
                    (false, _) => String::new(),
                    (true, true) => format!(" by site.yaml's data.{name}.{field}"),
                    (true, false) => format!(" by site.yaml's data.{name}.columns.{field}"),
                };
                let mut message = format!("data.{name}: field `{field}` is mapped{set_at} to column `{column}`, which is not in the file{meant} (columns found: {})", some_columns(&found));
                if let Some(hint) = delimiter_hint(&found, cfg) {
                    message.push_str(&hint);
                }
                if let (true, Some(preset)) = (cfg.preset_fill.fields.contains(field), cfg.preset) {
                    let all = cfg.columns_of(field);
                    let names = if all.len() > 1 {
                        format!("`{}`", all.join("` or `"))
                    } else {
                        format!("`{column}`")
                    };
                    message.push_str(&format!("; `preset: {}` reads it from {names}: if the export names it otherwise, map it under `columns` (`columns: {{{field}: …}}`)", preset.name()));
                }
                errors.push(Diagnostic::error(
                    Code::Data,
                    Location::at(&rel, 1, None),
                    message,
                ));
            }
            Err(ReadError::RepeatedColumn { column, places }) => {
                let times = match places.len() {
                    2 => "twice".to_string(),
                    n => format!("{n} times"),
                };
                let (last, first) = places.split_last().unwrap_or((&0, &[]));
                let first: Vec<String> = first.iter().map(usize::to_string).collect();
                errors.push(Diagnostic::error(
                    Code::Data,
                    Location::at(&rel, 1, None),
                    format!("data.{name}: the header names column `{column}` {times} (columns {} and {last}); opsite reads that column and cannot tell which one is meant: rename or remove the others", first.join(", ")),
                ));
            }
            Err(ReadError::AtLine(e)) => errors.push(Diagnostic::error(
                Code::Data,
                Location::at(&rel, e.line, None),
                format!("data.{name}: {}", for_display(&e.message).0),
            )),
            Err(ReadError::Empty) => warnings.push(Diagnostic::warning(
                Code::Data,
                Location::file(&rel),
                format!("data.{name}: the file is empty (0 rows, no header); skipped"),
            )),
            Err(ReadError::Invalid(msg)) => errors.push(Diagnostic::error(
                Code::Data,
                Location::file(&rel),
                format!("data.{name}: {}", for_display(&msg).0),
            )),
        }
    }
    if errors.is_empty() && read_files > 0 && rows == 0 {
        warnings.push(Diagnostic::warning(
            Code::Data,
            files_key.clone(),
            format!("data.{name}: its files have a header and no rows: every period is reported as having none"),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// When a header read as one column holds several `;`, tabs or `|`, the export is separated
/// by that: the setting that reads it.
fn delimiter_hint(found: &[String], cfg: &SourceConfig) -> Option<String> {
    let [one] = found else { return None };
    let (written, c) = [(";", ';'), ("\\t", '\t'), ("|", '|')]
        .into_iter()
        .filter(|(_, c)| cfg.delimiter() != *c as u8)
        .max_by_key(|(_, c)| one.matches(*c).count())?;
    (one.matches(c).count() >= 2).then(|| {
        format!("; the header is read as one column but holds `{written}` between its names: the export is separated by it, so set `delimiter: \"{written}\"` on this source")
    })
}

/// A part of a file read, with its fields' cells.
fn take_fields(
    frame: Frame,
    cfg: &SourceConfig,
    fields: &[FieldSpec],
) -> Result<SourceFrame, ReadError> {
    let mut cells = BTreeMap::new();
    let mut columns = BTreeMap::new();
    for f in fields {
        let mut read = Vec::new();
        for column in cfg.columns_of(f.name) {
            if let Some(c) = frame.column(column) {
                let c = c.map_err(|e| ReadError::Invalid(format!("column {column}: {e}")))?;
                read.push((column, c));
            }
        }
        let Some(&(first, _)) = read.first() else {
            continue;
        };
        // Messages name the first column (or every one, when the row took none).
        let names: Vec<&str> = read.iter().map(|(n, _)| *n).collect();
        columns.insert(
            f.name,
            if names.len() > 1 {
                names.join(" | ")
            } else {
                first.to_string()
            },
        );
        let c = if read.len() == 1 {
            read.pop().expect("one").1
        } else {
            Cells::Fallbacks(
                read.into_iter().map(|(_, c)| c).collect(),
                cfg.null_values.clone().into(),
            )
        };
        cells.insert(f.name, c);
    }
    Ok(SourceFrame {
        frame,
        cells,
        columns,
    })
}

/// Run a step of reading a file. Polars errors are the file's error, and so is a panic while
/// decoding it (a corrupt Parquet page has made the decoder panic): the panic's message
/// becomes the message, so one broken export cannot take the whole run down.
fn guarded<T>(read: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        Err(ReadError::Invalid(format!(
            "the file could not be decoded ({why}); is it a complete, uncorrupted export?"
        )))
    })
}

/// The first few column names of a header, each cut short: a file read as one line (a lone-CR
/// export, a binary file) must not print itself whole.
fn some_columns(found: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut names: Vec<String> = found
        .iter()
        .take(SHOWN)
        .map(|c| {
            let cut: String = c.chars().take(40).collect();
            if cut.len() < c.len() {
                format!("{cut}…")
            } else {
                cut
            }
        })
        .collect();
    if found.len() > SHOWN {
        names.push(format!("… and {} more", found.len() - SHOWN));
    }
    names.join(", ")
}

/// A wall-clock time read where the clocks change: its row's line, local seconds, and how it
/// was read.
pub type ClockNote = (usize, i64, ClockChange);

/// Converts the rows of a frame; records problems instead of stopping.
pub struct RowContext<'a> {
    pub sf: &'a SourceFrame,
    pub reader: CellReader<'a>,
    pub problems: Vec<RowProblem>,
    /// Wall-clock times read where the clocks change.
    pub clock_notes: Vec<ClockNote>,
}

impl<'a> RowContext<'a> {
    pub fn new(sf: &'a SourceFrame, cfg: &'a SourceConfig, zone: &'a LocalZone) -> Self {
        RowContext {
            sf,
            reader: CellReader {
                decimal_comma: cfg.decimal_separator() == DecimalSeparator::Comma,
                comma_unsaid: cfg.decimal_separator.is_none() && cfg.delimiter() != b',',
                ..CellReader::new(zone, cfg.timestamp_format.as_deref(), &cfg.null_values)
            },
            problems: Vec::new(),
            clock_notes: Vec::new(),
        }
    }

    /// Give the clock changes the reader met on `row` that row's line.
    pub fn note_clock_changes(&mut self, row: usize) {
        if self.reader.clock_changes.borrow().is_empty() {
            return;
        }
        let line = self.sf.frame.lines.at(row);
        for (local, change) in self.reader.take_clock_changes() {
            self.clock_notes.push((line, local, change));
        }
    }

    pub fn record(&self, row: usize) -> String {
        match self.sf.frame.record_text(row) {
            Some(r) => r.to_string(),
            None => self
                .sf
                .cells
                .keys()
                .map(|f| self.sf.get(f, row).display())
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    pub fn problem(&mut self, row: usize, field: Option<&str>, mut message: String) {
        // A quote opened by mistake runs on to the next `"`: the lines between are one row.
        let spans = (self.sf.frame.record_text(row)).map_or(0, |r| r.matches('\n').count());
        if spans > 0 {
            let first = self.sf.frame.lines.at(row);
            message.push_str(&format!(
                "; a quoted field takes lines {first} to {} as one row: is a `\"` on line {first} without its pair?",
                first + spans
            ));
        }
        let column = field.and_then(|f| self.sf.columns.get(f).cloned());
        let value = field
            .map(|f| self.sf.get(f, row).display())
            .filter(|v| !v.is_empty());
        self.problems.push(RowProblem {
            file: self.sf.frame.file.clone(),
            line: self.sf.frame.lines.at(row),
            column,
            value,
            message,
            record: self.record(row),
            unreadable_time: false,
        });
    }

    /// Rows with the wrong number of fields are problems before any cell is read.
    pub fn ragged_rows(&mut self) -> Vec<bool> {
        let mut bad = vec![false; self.sf.rows()];
        let width = self.sf.frame.header.len();
        for &(row, n) in &self.sf.frame.ragged.clone() {
            bad[row] = true;
            let msg = if n < width {
                format!("the row has {n} fields, the header has {width} (too few)")
            } else {
                format!("the row has {n} fields, the header has {width} (too many)")
            };
            self.problem(row, None, msg);
        }
        bad
    }

    pub fn timestamp(&mut self, row: usize, field: &str) -> Result<Option<i64>, ()> {
        let c = self.sf.get(field, row);
        self.reader
            .timestamp(c)
            .map_err(|m| self.time_problem(row, field, c, m))
    }

    /// A time cell that did not read: a problem like any other, marked when no format read it.
    pub fn time_problem(&mut self, row: usize, field: &str, c: Cell, message: String) {
        self.problem(row, Some(field), message);
        if matches!(c, Cell::Text(_)) && self.reader.reads_as_time(c).is_err() {
            self.problems
                .last_mut()
                .expect("just pushed")
                .unreadable_time = true;
        }
    }

    /// A timestamp that must be there.
    pub fn required_timestamp(&mut self, row: usize, field: &str) -> Result<i64, ()> {
        match self.timestamp(row, field)? {
            Some(t) => Ok(t),
            None => {
                self.problem(row, Some(field), "is empty".into());
                Err(())
            }
        }
    }

    pub fn number(&mut self, row: usize, field: &str) -> Result<Option<f64>, ()> {
        let c = self.sf.get(field, row);
        self.reader
            .number(c)
            .map_err(|m| self.problem(row, Some(field), m))
    }

    pub fn boolean(&mut self, row: usize, field: &str) -> Result<Option<bool>, ()> {
        let c = self.sf.get(field, row);
        self.reader
            .boolean(c)
            .map_err(|m| self.problem(row, Some(field), m))
    }

    /// A required whole number (a sequence or count column); empty or fractional is a problem.
    pub fn required_integer(&mut self, row: usize, field: &str) -> Result<i64, ()> {
        match self.number(row, field)? {
            Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(n as i64),
            Some(n) if n.fract() == 0.0 => {
                // Read as a number, a value this large has lost its last digits already.
                self.problem(
                    row,
                    Some(field),
                    "is too large: whole numbers here must be within ±9,000,000,000,000,000".into(),
                );
                Err(())
            }
            Some(_) => {
                self.problem(row, Some(field), "is not a whole number".into());
                Err(())
            }
            None => {
                self.problem(row, Some(field), "is empty".into());
                Err(())
            }
        }
    }

    pub fn text(&self, row: usize, field: &str) -> Option<String> {
        self.reader.text(self.sf.get(field, row))
    }

    /// A required text field; empty is a problem.
    pub fn required_text(&mut self, row: usize, field: &str) -> Result<String, ()> {
        match self.text(row, field) {
            Some(t) => Ok(t),
            None => {
                self.problem(row, Some(field), "is empty".into());
                Err(())
            }
        }
    }
}

/// The warnings for times of one file read where the clocks change: one per kind, at the first
/// such row, naming the time, the zone and the rule used, with the count and the next lines.
pub fn clock_change_warnings(
    source: &str,
    zone: &LocalZone,
    file: &Path,
    notes: &[ClockNote],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for twice in [true, false] {
        let mut rows: Vec<&ClockNote> = notes
            .iter()
            .filter(|n| matches!(n.2, ClockChange::Twice { .. }) == twice)
            .collect();
        rows.sort_by_key(|n| n.0);
        // Rows, not cells: two such times on one row are one row.
        rows.dedup_by_key(|n| n.0);
        let Some(&&(line, local, change)) = rows.first() else {
            continue;
        };
        let when = chrono::DateTime::from_timestamp(local, 0)
            .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let offset = change.offset_text();
        let what = if twice {
            format!(
                "{when} happens twice in {} (the clocks go back); read as the first, at {offset}",
                zone.name()
            )
        } else {
            format!("{when} does not exist in {} (the clocks go forward); read at the offset before the change, {offset}, as the same time after it", zone.name())
        };
        let more = if rows.len() > 1 {
            let next: Vec<String> = rows[1..].iter().take(5).map(|n| n.0.to_string()).collect();
            format!(
                " ({} rows like it; also line {}{})",
                rows.len(),
                next.join(", "),
                if rows.len() > 6 { ", …" } else { "" }
            )
        } else {
            String::new()
        };
        out.push(Diagnostic::warning(
            Code::Data,
            Location::at(file, line, None),
            format!("data.{source}: {what}{more}; set data.{source}.timezone if the export is in another zone"),
        ));
    }
    out
}
