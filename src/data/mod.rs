//! Loading the exports a site configures (tickets, status events, outages, surveys, API usage,
//! metrics) into the KPI engine's typed tables. Reading is polars'; every cell is checked, and a
//! bad row is either an error naming file, line, column and value, or (with `on_error:
//! quarantine`) written to `.opsite/rejects/<source>.csv` and counted. Nothing is dropped silently.

pub mod cache;
pub mod cells;
mod metrics;
pub mod read;
pub mod source;
mod tickets;

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;

use crate::config::kpi::{KpiConfig, OnError, SourceConfig};
use crate::error::{Diagnostic, Location};
use crate::kpi::tables::{ApiUsage, DataSet, Outages, StatusEvents, Surveys};
use crate::kpi::zone::LocalZone;
use source::{optional, read_source, required, RowContext, RowProblem};

/// Loaded data and what was set aside.
#[derive(Debug, Default)]
pub struct Loaded {
    pub data: DataSet,
    /// Source name → rows quarantined.
    pub rejected: BTreeMap<String, usize>,
    /// Files skipped (empty exports).
    pub warnings: Vec<Diagnostic>,
    /// Every file read, in the order read: what the figures were computed from.
    pub files: Vec<DataFile>,
}

/// One export file a run read: shown on report pages so a reader can trust or question them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    /// The source it belongs to (`tickets`, `metrics[0]`).
    pub source: String,
    /// Relative to the site root.
    pub path: std::path::PathBuf,
    pub rows: usize,
    /// The first 12 hex digits of the file's SHA-256 (`sha256sum` shows the same).
    pub sha256: String,
}

/// The first 12 hex digits of the SHA-256 of a file; empty if it cannot be read.
fn short_sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    match std::fs::read(path) {
        Ok(bytes) => Sha256::digest(&bytes)
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect(),
        Err(_) => String::new(),
    }
}

pub const REJECTS_DIR: &str = ".opsite/rejects";

pub(crate) struct Collector<'a> {
    root: &'a Path,
    pub(crate) errors: Vec<Diagnostic>,
    pub(crate) warnings: Vec<Diagnostic>,
    /// The text of site.yaml, to name the line of a source's `files`.
    config_text: String,
    rejected: BTreeMap<String, usize>,
    /// (source, file, rows) of every file read.
    files: Vec<(String, std::path::PathBuf, usize)>,
}

impl Collector<'_> {
    /// Note the files a source read, for the report pages' provenance.
    pub(crate) fn record_files(&mut self, source: &str, frames: &[source::SourceFrame]) {
        for f in frames {
            self.files
                .push((source.to_string(), f.frame.file.clone(), f.rows()));
        }
    }

    /// Where `data.<keys…>.files` is written in site.yaml.
    pub(crate) fn files_key(&self, keys: &[crate::config::keys::Step]) -> Location {
        use crate::config::keys::{locate, Step};
        let mut path = vec![Step::Key("data".into())];
        path.extend_from_slice(keys);
        path.push(Step::Key("files".into()));
        match locate(&self.config_text, &path)
            .or_else(|| locate(&self.config_text, &path[..path.len() - 1]))
        {
            Some((line, column)) => Location::at(crate::config::CONFIG_FILE, line, Some(column)),
            None => Location::file(crate::config::CONFIG_FILE),
        }
    }

    /// Apply the source's `on_error` to its row problems.
    pub(crate) fn settle(&mut self, name: &str, cfg: &SourceConfig, mut problems: Vec<RowProblem>) {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        match cfg.on_error {
            OnError::Fail => self
                .errors
                .extend(problems.iter().map(RowProblem::to_diagnostic)),
            OnError::Quarantine => {
                let dir = self.root.join(REJECTS_DIR);
                let path = dir.join(format!("{name}.csv"));
                if problems.is_empty() {
                    let _ = std::fs::remove_file(&path);
                    return;
                }
                let mut out = String::from("file,line,reason,record\n");
                for p in &problems {
                    let reason = p.to_diagnostic().message;
                    out.push_str(&format!(
                        "{},{},{},{}\n",
                        csv_field(&p.file.display().to_string()),
                        p.line,
                        csv_field(&reason),
                        csv_field(&p.record)
                    ));
                }
                if let Err(e) =
                    std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, out))
                {
                    self.errors.push(Diagnostic::error(
                        Location::file(&path),
                        format!("cannot write quarantined rows: {e}"),
                    ));
                }
                self.rejected.insert(name.to_string(), problems.len());
            }
        }
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Load every configured source. All problems of all sources are reported together.
pub fn load(root: &Path, config: &KpiConfig) -> Result<Loaded, Vec<Diagnostic>> {
    let tz: Tz = crate::timezone::parse(&config.timezone)
        .map_err(|e| vec![Diagnostic::error(Location::file("site.yaml"), e)])?;
    let zone = LocalZone::new(tz);
    let mut c = Collector {
        root,
        errors: Vec::new(),
        warnings: Vec::new(),
        config_text: std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
            .unwrap_or_default(),
        rejected: BTreeMap::new(),
        files: Vec::new(),
    };
    let d = &config.data;
    let Some(tickets_cfg) = &d.tickets else {
        return Err(vec![Diagnostic::error(
            Location::file("site.yaml"),
            "data.tickets is not configured (see the README's KPI section)",
        )]);
    };
    let mut data = DataSet::default();
    let contracts = (!config.contracts.is_empty())
        .then(|| crate::kpi::contracts::ContractMatcher::new(&config.contracts));
    if let Some(t) = tickets::load(root, tickets_cfg, contracts.as_ref(), &zone, &mut c) {
        data.tickets = t;
    }
    if let Some(cfg) = &d.ticket_events {
        data.events = load_events(root, cfg, &zone, &mut c);
    }
    if let Some(cfg) = &d.downtime {
        data.downtime = load_downtime(root, cfg, &zone, &mut c);
    }
    if let Some(cfg) = &d.surveys {
        data.surveys = load_surveys(root, cfg, &zone, &mut c);
    }
    if let Some(cfg) = &d.api_usage {
        data.api = load_api_usage(root, cfg, &zone, &mut c);
    }
    if !d.metrics.is_empty() {
        data.metrics = Some(metrics::load(root, &d.metrics, &zone, &mut c));
    }
    if c.errors.is_empty() {
        use rayon::prelude::*;
        let files = c
            .files
            .into_par_iter()
            .map(|(source, path, rows)| DataFile {
                sha256: short_sha256(&root.join(&path)),
                source,
                path,
                rows,
            })
            .collect();
        Ok(Loaded {
            data,
            rejected: c.rejected,
            warnings: c.warnings,
            files,
        })
    } else {
        let mut all = c.errors;
        all.extend(c.warnings);
        Err(all)
    }
}

/// Read a source and convert its rows one by one into a table. Rows with the wrong number of
/// fields are problems before `each_row` sees them; the problems of all the source's files are
/// settled together (one quarantine file and count per source).
#[allow(clippy::too_many_arguments)]
fn load_rows<T: Default>(
    root: &Path,
    name: &str,
    cfg: &SourceConfig,
    fields: &[source::FieldSpec],
    zone: &LocalZone,
    c: &mut Collector,
    mut each_row: impl FnMut(&mut T, &mut RowContext, usize),
) -> Option<T> {
    let at = c.files_key(&[crate::config::keys::Step::Key(name.into())]);
    let frames = match read_source(root, name, cfg, fields, &at, &mut c.warnings) {
        Ok(frames) => {
            c.record_files(name, &frames);
            frames
        }
        Err(ds) => {
            c.errors.extend(ds);
            return None;
        }
    };
    let mut table = T::default();
    let mut problems = Vec::new();
    for sf in &frames {
        let mut rc = RowContext::new(sf, cfg, zone);
        let bad = rc.ragged_rows();
        for row in (0..sf.rows()).filter(|r| !bad[*r]) {
            each_row(&mut table, &mut rc, row);
        }
        problems.extend(rc.problems);
    }
    c.settle(name, cfg, problems);
    Some(table)
}

fn load_events(
    root: &Path,
    cfg: &SourceConfig,
    zone: &LocalZone,
    c: &mut Collector,
) -> Option<StatusEvents> {
    let fields = [required("id"), required("status"), required("at")];
    load_rows(
        root,
        "ticket_events",
        cfg,
        &fields,
        zone,
        c,
        |t: &mut StatusEvents, rc, row| {
            let (Ok(id), Ok(status), Ok(at)) = (
                rc.required_text(row, "id"),
                rc.required_text(row, "status"),
                rc.required_timestamp(row, "at"),
            ) else {
                return;
            };
            t.id.push(id);
            t.status.push(status);
            t.at.push(at);
        },
    )
}

fn load_downtime(
    root: &Path,
    cfg: &SourceConfig,
    zone: &LocalZone,
    c: &mut Collector,
) -> Option<Outages> {
    let fields = [
        required("service"),
        required("start"),
        optional("end"),
        optional("planned"),
    ];
    load_rows(
        root,
        "downtime",
        cfg,
        &fields,
        zone,
        c,
        |t: &mut Outages, rc, row| {
            let service = rc.required_text(row, "service");
            let start = rc.required_timestamp(row, "start");
            let end = rc.timestamp(row, "end");
            let planned = rc.boolean(row, "planned");
            let (Ok(service), Ok(start), Ok(end), Ok(planned)) = (service, start, end, planned)
            else {
                return;
            };
            if end.is_some_and(|e| e < start) {
                rc.problem(row, Some("end"), "the outage ends before it starts".into());
                return;
            }
            t.service.push(service);
            t.start.push(start);
            t.end.push(end);
            t.planned.push(planned.unwrap_or(false));
        },
    )
}

fn load_surveys(
    root: &Path,
    cfg: &SourceConfig,
    zone: &LocalZone,
    c: &mut Collector,
) -> Option<Surveys> {
    let fields = [required("at"), optional("csat"), optional("nps")];
    load_rows(
        root,
        "surveys",
        cfg,
        &fields,
        zone,
        c,
        |t: &mut Surveys, rc, row| {
            let at = rc.required_timestamp(row, "at");
            let csat = rc.number(row, "csat");
            let nps = rc.number(row, "nps");
            let (Ok(at), Ok(csat), Ok(nps)) = (at, csat, nps) else {
                return;
            };
            if nps.is_some_and(|v| !(0.0..=10.0).contains(&v)) {
                rc.problem(row, Some("nps"), "must be between 0 and 10".into());
                return;
            }
            t.at.push(at);
            t.csat.push(csat);
            t.nps.push(nps);
        },
    )
}

fn load_api_usage(
    root: &Path,
    cfg: &SourceConfig,
    zone: &LocalZone,
    c: &mut Collector,
) -> Option<ApiUsage> {
    let fields = [
        required("date"),
        optional("user"),
        required("calls"),
        optional("cost"),
    ];
    load_rows(
        root,
        "api_usage",
        cfg,
        &fields,
        zone,
        c,
        |t: &mut ApiUsage, rc, row| {
            let cell = rc.sf.get("date", row);
            let date = rc
                .reader
                .date(cell)
                .map_err(|m| rc.problem(row, Some("date"), m));
            let calls = rc.number(row, "calls");
            let cost = rc.number(row, "cost");
            let (Ok(Some(date)), Ok(calls), Ok(cost)) = (date, calls, cost) else {
                return;
            };
            for (field, v) in [("cost", cost), ("calls", calls)] {
                if v.is_some_and(|v| v < 0.0) {
                    rc.problem(row, Some(field), "is negative".into());
                    return;
                }
            }
            t.date.push(date);
            t.user.push(rc.text(row, "user"));
            t.calls.push(calls.unwrap_or(0.0));
            t.cost.push(cost.unwrap_or(0.0));
        },
    )
}
