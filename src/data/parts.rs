//! A file read a part at a time: a CSV file is one part (its text is needed whole for line
//! numbers and records), a Parquet file a million rows at a time, so a 10-million-row export's
//! decoded columns never all sit in memory beside the rows converted from them. Each part
//! carries the file's digest, taken on a second thread while the first part is read.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::read::{check_columns, is_parquet, read_csv, Frame, Lines, ReadError, Table};
use crate::config::kpi::SourceConfig;

/// Rows of a Parquet file decoded at a time. Each part is converted before the next is read, so
/// a 10-million-row export's decoded columns (about 90 bytes a row) never all sit in memory
/// beside the rows converted from them.
pub const PARQUET_PART_ROWS: usize = 1 << 20;

/// `PARQUET_PART_ROWS`, or `OPSITE_PARQUET_PART_ROWS` (a knob for the tests, which check that
/// files read in parts give what one part gives, and for measuring).
fn parquet_part_rows() -> usize {
    crate::env_knob::positive("OPSITE_PARQUET_PART_ROWS", PARQUET_PART_ROWS)
}

/// A file opened for reading, to be read a part at a time: a CSV file is one part, a Parquet
/// file `parquet_part_rows()` rows at a time (polars reads only the row groups a part covers).
pub struct FileParts {
    rel: PathBuf,
    header: Vec<String>,
    /// The file's digest, taken on a second thread while the first part is read (a second
    /// read from the page cache); every part carries it.
    digest: Option<std::thread::JoinHandle<String>>,
    sha256: String,
    next: Pending,
}

enum Pending {
    Csv(Frame),
    Parquet {
        scan: Box<LazyFrame>,
        offset: usize,
        rows: usize,
        part_rows: usize,
    },
    Done,
}

impl Iterator for FileParts {
    type Item = Result<Frame, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let frame = match std::mem::replace(&mut self.next, Pending::Done) {
            Pending::Done => return None,
            Pending::Csv(frame) => Ok(frame),
            Pending::Parquet {
                scan,
                offset,
                rows,
                part_rows,
            } => {
                let part = scan
                    .clone()
                    .slice(offset as i64, part_rows as IdxSize)
                    .collect()
                    .map_err(|e| ReadError::Invalid(e.to_string()));
                let part = match part {
                    Ok(df) => df,
                    Err(e) => return Some(Err(e)),
                };
                let n = part.height();
                // A part is shown only if it has rows, or the file has none at all.
                if n == 0 && offset > 0 {
                    return None;
                }
                if n == part_rows {
                    self.next = Pending::Parquet {
                        scan,
                        offset: offset + n,
                        rows,
                        part_rows,
                    };
                }
                Ok(Frame {
                    file: self.rel.clone(),
                    table: Table::Parquet(part),
                    lines: Lines::Counted {
                        first: offset + 1,
                        count: n,
                    },
                    file_rows: rows,
                    ragged: Vec::new(),
                    header: self.header.clone(),
                    sha256: String::new(),
                })
            }
        };
        if let Some(digest) = self.digest.take() {
            self.sha256 = digest.join().unwrap_or_default();
        }
        Some(frame.map(|f| Frame {
            sha256: self.sha256.clone(),
            ..f
        }))
    }
}

/// Open one file for reading. `wanted(header)` names the export columns to read, given the
/// file's header (it may pick optional columns only when present); a missing one is an error.
pub fn read_file(
    root: &Path,
    rel: &Path,
    source: &SourceConfig,
    wanted: &dyn Fn(&[String]) -> Vec<String>,
) -> Result<FileParts, ReadError> {
    let path = root.join(rel);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == 0) {
        return Err(ReadError::Empty);
    }
    // CSV settings on a source whose glob also matched a Parquet file would be ignored for it.
    if is_parquet(rel) && (source.delimiter.is_some() || source.decimal_separator.is_some()) {
        return Err(ReadError::Invalid(
            "a Parquet file, read with `delimiter` or `decimal_separator` set: those are for CSV exports and a Parquet file has typed columns; give the Parquet files a source of their own, or remove the settings".into(),
        ));
    }
    let digest = {
        let path = path.clone();
        std::thread::spawn(move || short_sha256(&path))
    };
    let mut parts = FileParts {
        rel: rel.to_path_buf(),
        header: Vec::new(),
        digest: Some(digest),
        sha256: String::new(),
        next: Pending::Done,
    };
    if is_parquet(rel) {
        let (scan, header, rows) = scan_parquet(&path, wanted)?;
        parts.header = header;
        parts.next = Pending::Parquet {
            scan: Box::new(scan),
            offset: 0,
            rows,
            part_rows: parquet_part_rows(),
        };
    } else {
        let frame = read_csv(&path, rel, source, wanted)?;
        parts.header = frame.header.clone();
        parts.next = Pending::Csv(frame);
    }
    Ok(parts)
}

/// The first 12 hex digits of the SHA-256 of a file; empty if it cannot be read.
fn short_sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return String::new();
    };
    let (mut hasher, mut buf) = (Sha256::new(), vec![0u8; 1 << 20]);
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return String::new(),
        }
    }
    crate::digest::hex_prefix(&hasher.finalize(), 6)
}

/// A Parquet file's scan of the wanted columns, its header and its number of rows (from its
/// metadata).
fn scan_parquet(
    path: &Path,
    wanted: &dyn Fn(&[String]) -> Vec<String>,
) -> Result<(LazyFrame, Vec<String>, usize), ReadError> {
    let lf = LazyFrame::scan_parquet(
        PlRefPath::new(path.to_string_lossy().as_ref()),
        ScanArgsParquet::default(),
    )
    .map_err(|e| ReadError::Invalid(e.to_string()))?;
    let schema = lf
        .clone()
        .collect_schema()
        .map_err(|e| ReadError::Invalid(e.to_string()))?;
    let header: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let columns = wanted(&header);
    check_columns(&header, &columns)?;
    let invalid = |e: PolarsError| ReadError::Invalid(e.to_string());
    let count = lf.clone().select([len()]).collect().map_err(invalid)?;
    let rows = count
        .columns()
        .first()
        .and_then(|c| c.get(0).ok())
        .and_then(|v| v.extract::<usize>())
        .unwrap_or(0);
    let exprs: Vec<Expr> = columns.iter().map(|c| col(c.as_str())).collect();
    Ok((lf.select(exprs), header, rows))
}
