//! Loading the exports a site configures (tickets, status events, outages, surveys, API usage,
//! metrics) into the KPI engine's typed tables. Reading is polars'; every cell is checked, and a
//! bad row is either an error naming file, line, column and value, or (with `on_error:
//! quarantine`) written to `.opsite/rejects/<source>.csv` and counted. Nothing is dropped
//! silently: every source's rows read must equal its rows used plus its rows set aside, and a
//! difference is reported as an error rather than shown as figures.

pub mod cache;
pub mod cells;
mod csv;
mod csv_split;
mod customer_names;
mod duplicates;
mod events;
mod holidays;
mod metrics;
mod number_text;
mod parts;
mod presets;
mod quarantine;
pub mod read;
mod settings;
pub mod source;
pub mod stored;
mod ticket_rows;
mod tickets;

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;

use crate::config::kpi::{KpiConfig, OnError, SourceConfig};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::tables::{ApiUsage, DataSet, Outages, Surveys};
use crate::kpi::zone::LocalZone;
use source::{optional, read_source, required, RowContext, RowProblem};

/// Loaded data and what was set aside.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Loaded {
    pub data: DataSet,
    /// Source name → rows quarantined.
    pub rejected: BTreeMap<String, usize>,
    /// Source name → rows left out by its `exclude` conditions.
    pub excluded: BTreeMap<String, usize>,
    /// Files skipped (empty exports).
    pub warnings: Vec<Diagnostic>,
    /// Every file read, in the order read: what the figures were computed from.
    pub files: Vec<DataFile>,
    /// Whether these are the tables an earlier run kept (`stored`), not read from the files
    /// now: said by `OPSITE_TIMINGS=1`.
    #[serde(skip)]
    pub kept: bool,
}

/// One export file a run read: shown on report pages so a reader can trust or question them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DataFile {
    /// The source it belongs to (`tickets`, `metrics[0]`).
    pub source: String,
    /// Relative to the site root.
    pub path: std::path::PathBuf,
    pub rows: usize,
    /// The first 12 hex digits of the file's SHA-256 (`sha256sum` shows the same).
    pub sha256: String,
}

impl Loaded {
    /// Whether a source's export holds no row at all (a header alone, or no file): none used,
    /// and none excluded or quarantined either.
    pub fn has_no_rows(&self, source: &str) -> bool {
        self.rows_read(source) == 0
            && self.rejected.get(source).is_none_or(|n| *n == 0)
            && self.excluded.get(source).is_none_or(|n| *n == 0)
    }

    /// The rows a source's files hold, as the report pages' provenance counts them: used,
    /// excluded and quarantined alike.
    pub fn rows_read(&self, source: &str) -> usize {
        (self.files.iter())
            .filter(|f| f.source == source)
            .map(|f| f.rows)
            .sum()
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
    excluded: BTreeMap<String, usize>,
    /// (source, file, rows) of every file read.
    files: Vec<DataFile>,
}

impl Collector<'_> {
    /// Note the files a source read, for the report pages' provenance.
    pub(crate) fn record_files(&mut self, source: &str, frames: &[source::SourceFrame]) {
        for f in frames {
            let (file, sha256) = (f.frame.file.clone(), f.frame.sha256.clone());
            self.record_part(source, file, f.rows(), sha256);
        }
    }

    /// Note a part of a file a source read: a file read in parts is one entry.
    pub(crate) fn record_part(
        &mut self,
        source: &str,
        path: std::path::PathBuf,
        rows: usize,
        sha256: String,
    ) {
        match self.files.last_mut() {
            Some(last) if last.source == source && last.path == path => last.rows += rows,
            _ => self.files.push(DataFile {
                source: source.to_string(),
                path,
                rows,
                sha256,
            }),
        }
    }

    /// Where `data.<keys…>.files` is written in site.yaml.
    pub(crate) fn files_key(&self, keys: &[crate::config::keys::Step]) -> Location {
        self.setting_key(keys, "files")
    }

    /// Where a key of site.yaml is written (else its parent's line, else the file).
    pub(crate) fn config_key(&self, path: &[crate::config::keys::Step]) -> Location {
        use crate::config::keys::locate;
        let found = (0..path.len())
            .rev()
            .find_map(|n| locate(&self.config_text, &path[..=n]));
        match found {
            Some((line, column)) => Location::at(crate::config::CONFIG_FILE, line, Some(column)),
            None => Location::file(crate::config::CONFIG_FILE),
        }
    }

    /// Where `data.<keys…>.<setting>` is written in site.yaml (else the source's own key).
    pub(crate) fn setting_key(
        &self,
        keys: &[crate::config::keys::Step],
        setting: &str,
    ) -> Location {
        use crate::config::keys::{locate, Step};
        let mut path = vec![Step::Key("data".into())];
        path.extend_from_slice(keys);
        path.push(Step::Key(setting.into()));
        match locate(&self.config_text, &path)
            .or_else(|| locate(&self.config_text, &path[..path.len() - 1]))
        {
            Some((line, column)) => Location::at(crate::config::CONFIG_FILE, line, Some(column)),
            None => Location::file(crate::config::CONFIG_FILE),
        }
    }

    /// Apply the source's `on_error` to its row problems, and check the source's rows add up:
    /// `read` rows (all its files) = `used` rows + rows with a problem. A row with several bad
    /// cells is one row: one line in the quarantine file with every reason, counted once.
    pub(crate) fn settle(
        &mut self,
        name: &str,
        cfg: &SourceConfig,
        mut problems: Vec<RowProblem>,
        (read, used, excluded): (usize, usize, usize),
    ) {
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        let rows = rows_of(&problems);
        if read != used + rows.len() + excluded {
            let at = self.files_key(&[crate::config::keys::Step::Key(name.into())]);
            self.errors.push(Diagnostic::error(Code::Data,
                at,
                format!(
                    "data.{name}: {read} row(s) read, {used} used, {excluded} excluded and {} set aside: the counts must add up (an opsite bug; please report it)",
                    rows.len()
                ),
            ));
        }
        if excluded > 0 {
            self.excluded.insert(name.to_string(), excluded);
        }
        match cfg.on_error {
            OnError::Fail => self.errors.extend(source::row_errors(&problems)),
            OnError::Quarantine => {
                let file = format!("{name}.csv");
                if problems.is_empty() {
                    // Only from a folder of the site's own: never through a link.
                    if let Some(dir) = crate::write_whole::own_folder(self.root, REJECTS_DIR, false)
                    {
                        let _ = std::fs::remove_file(dir.join(&file));
                    }
                    return;
                }
                use crate::csv_text::text_field;
                let mut out = String::from("file,line,reason,record\n");
                for row in &rows {
                    let p = &row[0];
                    let reasons: Vec<String> =
                        row.iter().map(|p| p.to_diagnostic().message).collect();
                    out.push_str(&format!(
                        "{},{},{},{}\n",
                        text_field(&crate::display_text::cell(&p.file.display().to_string())),
                        p.line,
                        text_field(&reasons.join("; ")),
                        // The line as exported, its control and direction marks replaced: the
                        // file is read in terminals and spreadsheets.
                        text_field(&crate::display_text::cell(&p.record))
                    ));
                }
                let path = Path::new(REJECTS_DIR).join(&file);
                let written = match crate::write_whole::own_folder(self.root, REJECTS_DIR, true) {
                    Some(dir) => crate::write_whole::write_whole(&dir.join(&file), out.as_bytes())
                        .map_err(|e| e.to_string()),
                    None => Err(format!("{REJECTS_DIR} is not a folder of the site's own (a symbolic link, or a file in its place): remove it, and opsite makes the folder")),
                };
                if let Err(e) = written {
                    self.errors.push(Diagnostic::error(
                        Code::Data,
                        Location::file(&path),
                        format!("cannot write quarantined rows: {e}"),
                    ));
                }
                self.rejected.insert(name.to_string(), rows.len());
                self.judge_quarantine(name, cfg, &rows, read);
            }
        }
    }
}

/// Problems (sorted by place) grouped by the row they are about.
fn rows_of(problems: &[RowProblem]) -> Vec<&[RowProblem]> {
    problems
        .chunk_by(|a, b| (&a.file, a.line) == (&b.file, b.line))
        .collect()
}

/// Load every configured source. All problems of all sources are reported together.
pub fn load(root: &Path, config: &KpiConfig) -> Result<Loaded, Vec<Diagnostic>> {
    let mut c = Collector {
        root,
        errors: Vec::new(),
        warnings: Vec::new(),
        config_text: std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
            .unwrap_or_default(),
        rejected: BTreeMap::new(),
        excluded: BTreeMap::new(),
        files: Vec::new(),
    };
    let tz: Tz = crate::timezone::parse(&config.timezone).map_err(|e| {
        let at = c.config_key(&[crate::config::keys::Step::Key("timezone".into())]);
        vec![Diagnostic::error(Code::Config, at, e)]
    })?;
    let site_zone = LocalZone::new(tz);
    let d = &config.data;
    let Some(zones) = settings::check_all(d, site_zone, &mut c) else {
        let mut all = c.errors;
        all.extend(c.warnings);
        return Err(all);
    };
    let Some(tickets_cfg) = &d.tickets else {
        return Err(vec![Diagnostic::error(
            Code::Config,
            Location::file("site.yaml"),
            "data.tickets is not configured (see the manual, docs/content/en/reports/data.md)",
        )]);
    };
    let mut data = DataSet::default();
    let contracts = (!config.contracts.is_empty()).then(|| {
        let tz = crate::timezone::parse(&config.timezone).unwrap_or(chrono_tz::UTC);
        crate::kpi::contracts::ContractMatcher::new(&config.contracts, tz)
    });
    if let Some(t) = tickets::load(
        root,
        tickets_cfg,
        (contracts.as_ref(), &config.edition_customers),
        (zones.of(tickets_cfg), &config.priority_levels),
        &mut c,
    ) {
        data.tickets = t;
    }
    if let Some(cfg) = &d.ticket_events {
        data.events = events::load_events(root, cfg, zones.of(cfg), &mut c);
        if let Some(events) = &data.events {
            if let Some(w) = events::events_without_ticket(events, &data.tickets, &c) {
                c.warnings.push(w);
            }
            for field in ["responded_at", "reopened_at"] {
                let Some(statuses) = tickets_cfg.statuses_of(field) else {
                    continue;
                };
                let first = events::first_entering(&data.tickets, events, statuses);
                if let Some(w) = events::no_event_enters(events, (field, statuses), &c) {
                    c.warnings.push(w);
                }
                match field {
                    "responded_at" => data.tickets.responded = first,
                    _ => data.tickets.reopened = first,
                }
            }
        }
    }
    // Response targets with no response time anywhere: every response clock would stop only
    // at resolution (a preset's export has none; Zendesk's first reply is a duration).
    let response_targets =
        !config.sla.response.is_empty() || config.contracts.iter().any(|k| !k.response.is_empty());
    let t = &data.tickets;
    if response_targets && !t.is_empty() && t.responded.iter().all(|r| r.is_none()) {
        c.warnings.push(Diagnostic::warning(
            Code::Config,
            c.config_key(&[
                crate::config::keys::Step::Key("sla".into()),
                crate::config::keys::Step::Key("response".into()),
            ]),
            "sla.response: no ticket has a response time (map `responded_at` under data.tickets.columns, or take it from ticket_events with `responded_at: {first_status: [...]}`), so every response clock stops only at resolution",
        ));
    }
    if let Some(cfg) = &d.downtime {
        data.downtime = load_downtime(root, cfg, zones.of(cfg), &mut c);
        if let Some(outages) = &data.downtime {
            let near = service_near_misses(&outages.service, &config.availability.services);
            if !near.is_empty() {
                let at = c.files_key(&[crate::config::keys::Step::Key("downtime".into())]);
                for message in near {
                    c.warnings
                        .push(Diagnostic::warning(Code::Data, at.clone(), message));
                }
            }
        }
    }
    if let Some(cfg) = &d.surveys {
        data.surveys = load_surveys(root, cfg, zones.of(cfg), &mut c);
    }
    if let Some(cfg) = &d.api_usage {
        data.api = load_api_usage(root, cfg, zones.of(cfg), &mut c);
    }
    if !d.metrics.is_empty() {
        data.metrics = Some(metrics::load(root, &d.metrics, &zones, &mut c));
    }
    data.holiday_files = holidays::load(root, config, tz, &mut c);
    if c.errors.is_empty() {
        let files = c.files;
        Ok(Loaded {
            data,
            rejected: c.rejected,
            excluded: c.excluded,
            warnings: c.warnings,
            files,
            kept: false,
        })
    } else {
        let mut all = c.errors;
        all.extend(c.warnings);
        Err(all)
    }
}

/// Read a source and convert its rows one by one into a table; `each_row` says whether it used
/// the row (or else recorded a problem for it). Rows with the wrong number of fields are
/// problems before `each_row` sees them; the problems of all the source's files are settled
/// together (one quarantine file and count per source).
#[allow(clippy::too_many_arguments)]
fn load_rows<T: Default>(
    root: &Path,
    name: &str,
    cfg: &SourceConfig,
    fields: &[source::FieldSpec],
    zone: &LocalZone,
    c: &mut Collector,
    mut each_row: impl FnMut(&mut T, &mut RowContext, usize) -> bool,
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
    let (mut read, mut used) = (0, 0);
    for sf in &frames {
        let mut rc = RowContext::new(sf, cfg, zone);
        let bad = rc.ragged_rows();
        for row in (0..sf.rows()).filter(|r| !bad[*r]) {
            used += usize::from(each_row(&mut table, &mut rc, row));
            rc.note_clock_changes(row);
        }
        read += sf.rows();
        problems.extend(rc.problems);
        c.warnings.extend(source::clock_change_warnings(
            name,
            zone,
            &sf.frame.file,
            &rc.clock_notes,
        ));
    }
    c.settle(name, cfg, problems, (read, used, 0));
    Some(table)
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
            let planned = planned(rc, row, cfg);
            let (Ok(service), Ok(start), Ok(end), Ok(planned)) = (service, start, end, planned)
            else {
                return false;
            };
            if end.is_some_and(|e| e < start) {
                rc.problem(row, Some("end"), "the outage ends before it starts".into());
                return false;
            }
            t.service.push(service);
            t.start.push(start);
            t.end.push(end);
            t.planned.push(planned.unwrap_or(false));
            true
        },
    )
}

/// Services of the outage export that `availability.services` does not list but spells nearly so
/// (`Web`, `ｗｅｂ` for `web`): their outages would count for a service no customer sees.
fn service_near_misses(exported: &[String], listed: &[String]) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let key = |s: &str| s.trim().nfkc().collect::<String>().to_lowercase();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in exported.iter().filter(|s| !listed.contains(s)) {
        *counts.entry(s.as_str()).or_default() += 1;
    }
    (counts.into_iter())
        .filter_map(|(s, n)| {
            let like = listed.iter().find(|l| key(l) == key(s))?;
            Some(format!("data.downtime: {n} outage(s) of the service `{s}`, which availability.services does not list, though it looks like `{like}`: they count for no customer who sees `{like}`; write the service as availability.services does"))
        })
        .collect()
}

/// The `planned` cell: through `planned_values` when given (a value it does not list is a row
/// problem naming the values it does), else as a boolean.
fn planned(rc: &mut RowContext, row: usize, cfg: &SourceConfig) -> Result<Option<bool>, ()> {
    let Some(values) = &cfg.planned_values else {
        return rc.boolean(row, "planned");
    };
    let Some(text) = rc.text(row, "planned") else {
        return Ok(None);
    };
    match values.get(text.as_str()) {
        Some(&v) => Ok(Some(v)),
        None => {
            let known: Vec<String> = values.keys().map(|k| format!("{k:?}")).collect();
            rc.problem(
                row,
                Some("planned"),
                format!(
                    "is not one of data.downtime.planned_values ({})",
                    known.join(", ")
                ),
            );
            Err(())
        }
    }
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
                return false;
            };
            if nps.is_some_and(|v| !(0.0..=10.0).contains(&v)) {
                rc.problem(row, Some("nps"), "must be between 0 and 10".into());
                return false;
            }
            t.at.push(at);
            t.csat.push(csat);
            t.nps.push(nps);
            true
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
    let mut calls_total = 0.0;
    load_rows(
        root,
        "api_usage",
        cfg,
        &fields,
        zone,
        c,
        |t: &mut ApiUsage, rc, row| {
            let cell = rc.sf.get("date", row);
            let date = match rc.reader.date(cell) {
                Ok(Some(d)) => Ok(d),
                Ok(None) => Err(rc.problem(row, Some("date"), "is empty".into())),
                Err(m) => Err(rc.problem(row, Some("date"), m)),
            };
            let calls = rc.number(row, "calls");
            let cost = rc.number(row, "cost");
            let (Ok(date), Ok(calls), Ok(cost)) = (date, calls, cost) else {
                return false;
            };
            for (field, v) in [("cost", cost), ("calls", calls)] {
                if v.is_some_and(|v| v < 0.0) {
                    rc.problem(row, Some(field), "is negative".into());
                    return false;
                }
            }
            let calls = calls.unwrap_or(0.0);
            if let Err(m) = add_calls(&mut calls_total, calls) {
                rc.problem(row, Some("calls"), m);
                return false;
            }
            t.date.push(date);
            t.user.push(rc.text(row, "user"));
            t.calls.push(calls);
            t.cost.push(cost.unwrap_or(0.0));
            true
        },
    )
}

/// Call counts are added as f64, which holds every whole number up to 2^53 − 1 exactly: a count
/// past it, or a source whose counts add up past it, would be rounded (or, as integers, wrap),
/// so it is an error on the row that crosses it. Any period's total is then exact.
fn add_calls(total: &mut f64, calls: f64) -> Result<(), String> {
    const EXACT: f64 = 9_007_199_254_740_991.0;
    if calls > EXACT {
        return Err(
            "is more than 9,007,199,254,740,991 (2^53 − 1), the largest count opsite adds exactly"
                .into(),
        );
    }
    if *total + calls > EXACT {
        return Err("the source's calls add up to more than 9,007,199,254,740,991 (2^53 − 1) with this row; opsite could not add them exactly".into());
    }
    *total += calls;
    Ok(())
}
