//! Metrics exports: the largest inputs (a sample a minute per host for a year is tens of
//! millions of rows), converted in parallel chunks over column slices straight into the coded
//! `Metrics` table: no per-row strings, no lookups across a Parquet file's row groups.

use std::path::Path;

use rayon::prelude::*;

use super::cells::{Cell, Cells};
use super::source::{optional, read_source, required, RowContext, SourceFrame};
use super::Collector;
use crate::config::kpi::SourceConfig;
use crate::kpi::tables::Metrics;
use crate::kpi::zone::LocalZone;

const CHUNK: usize = 65_536;

type ClockNotes = Vec<super::source::ClockNote>;

/// Every metrics source into one table; each source is settled (and quarantined) on its own.
pub(super) fn load(
    root: &Path,
    sources: &[SourceConfig],
    zones: &super::settings::Zones,
    c: &mut Collector,
) -> Metrics {
    let mut all = Metrics::default();
    for (k, source) in sources.iter().enumerate() {
        let zone = zones.of(&source);
        let label = format!(
            "metrics.{}",
            source.name.clone().unwrap_or_else(|| k.to_string())
        );
        let mut fields = vec![required("at"), required("value")];
        if source.service.is_none() {
            fields.push(optional("service"));
        }
        if source.name.is_none() {
            fields.push(required("name"));
        }
        use crate::config::keys::Step;
        let at = c.files_key(&[Step::Key("metrics".into()), Step::Index(k)]);
        let frames = match read_source(root, &label, &source, &fields, &at, &mut c.warnings) {
            Ok(f) => {
                c.record_files(&label, &f);
                f
            }
            Err(ds) => {
                c.errors.extend(ds);
                continue;
            }
        };
        let mut problems = Vec::new();
        let (mut read, mut used) = (0, 0);
        for sf in &frames {
            read += sf.rows();
            let mut rc = RowContext::new(sf, &source, zone);
            let bad = rc.ragged_rows();
            problems.append(&mut rc.problems);
            let parts: Vec<(Metrics, Vec<super::source::RowProblem>, ClockNotes, usize)> =
                (0..sf.rows().div_ceil(CHUNK))
                    .into_par_iter()
                    .map(|n| {
                        let rows = n * CHUNK..((n + 1) * CHUNK).min(sf.rows());
                        convert_chunk(sf, rows, &bad, source, zone)
                    })
                    .collect();
            let mut notes = Vec::new();
            for (part, mut p, mut clock, n) in parts {
                all.append(part);
                problems.append(&mut p);
                notes.append(&mut clock);
                used += n;
            }
            c.warnings.extend(super::source::clock_change_warnings(
                &label,
                zone,
                &sf.frame.file,
                &notes,
            ));
        }
        c.settle(&label, &source, problems, (read, used, 0));
    }
    all
}

fn cell(c: &Option<Cells>, row: usize) -> Cell<'_> {
    c.as_ref().map(|c| c.get(row)).unwrap_or(Cell::Null)
}

/// The chunk's samples, its row problems, and how many rows it used (samples and gaps).
fn convert_chunk(
    sf: &SourceFrame,
    rows: std::ops::Range<usize>,
    bad: &[bool],
    source: &SourceConfig,
    zone: &LocalZone,
) -> (Metrics, Vec<super::source::RowProblem>, ClockNotes, usize) {
    let mut rc = RowContext::new(sf, &source, zone);
    let mut out = Metrics::default();
    let mut used = 0;
    let base = rows.start;
    let len = rows.len();
    let slice = |field: &str| sf.cells.get(field).map(|c| c.slice(base, len));
    let (c_at, c_value, c_service, c_name) =
        (slice("at"), slice("value"), slice("service"), slice("name"));
    for row in rows.filter(|r| !bad[*r]) {
        let at = rc.reader.timestamp(cell(&c_at, row - base));
        rc.note_clock_changes(row);
        let at = match at {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err(rc.problem(row, Some("at"), "is empty".into())),
            Err(m) => Err(rc.problem(row, Some("at"), m)),
        };
        let value = rc
            .reader
            .number(cell(&c_value, row - base))
            .map_err(|m| rc.problem(row, Some("value"), m));
        let name = match &source.name {
            Some(n) => Ok(std::borrow::Cow::Borrowed(n.as_str())),
            None => match rc.reader.text_ref(cell(&c_name, row - base)) {
                Some(n) => Ok(n),
                None => Err(rc.problem(row, Some("name"), "is empty".into())),
            },
        };
        let (Ok(at), Ok(value), Ok(name)) = (at, value, name) else {
            continue;
        };
        used += 1;
        // A row without a value is used as a gap in the series: no sample.
        let Some(value) = value else {
            continue;
        };
        let service = match &source.service {
            Some(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
            None => rc.reader.text_ref(cell(&c_service, row - base)),
        };
        out.push(&name, service.as_deref(), at, value);
    }
    (out, rc.problems, rc.clock_notes, used)
}
