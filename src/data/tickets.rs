//! Tickets: the one source that must exist, and the largest. Rows are converted in parallel
//! chunks straight into columns (no per-row structs, categories and tiers as dictionary codes),
//! then duplicates are settled: kept by `dedupe`, or reported with every place they occur.
//! Titles are only shown, so a huge one is cut for display here, with a warning per file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use super::cells::{Cell, Cells};
use super::source::{
    optional, read_source, required, FieldSpec, RowContext, RowProblem, SourceFrame,
};
use super::Collector;
use crate::config::kpi::{Keep, SourceConfig};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::contracts::ContractMatcher;
use crate::kpi::fxhash::FxHashMap;
use crate::kpi::tables::{Optional, Priority, Tickets};
use crate::kpi::zone::LocalZone;

/// Converted rows of one chunk, with chunk-local label codes.
#[derive(Default)]
struct Chunk {
    t: Tickets,
    /// (frame, row) of each kept row.
    origin: Vec<(u32, u32)>,
    order: Vec<Option<String>>,
    labels: Vec<String>,
    problems: Vec<RowProblem>,
    /// Times read where the clocks change.
    clock_notes: Vec<super::source::ClockNote>,
    /// Titles cut for display: how many, and the first row.
    long_titles: (usize, Option<usize>),
}

impl Chunk {
    /// A title as pages show it: cut to `DISPLAY_CHARS`, and counted when cut.
    fn push_title(&mut self, title: Option<std::borrow::Cow<str>>, row: usize) {
        let title = title.map(|t| {
            let (shown, cut) = super::cells::for_display(&t);
            if cut {
                self.long_titles.0 += 1;
                self.long_titles.1.get_or_insert(row);
            }
            shown.into_owned()
        });
        self.t.title.push(title);
    }

    fn code(&mut self, index: &mut FxHashMap<String, u32>, label: Option<&str>) -> Option<u32> {
        let label = label?;
        // Exports hold a handful of categories and tiers: a scan beats hashing every cell.
        if self.labels.len() <= 32 {
            if let Some(c) = self.labels.iter().position(|l| l == label) {
                return Some(c as u32);
            }
        } else if let Some(&c) = index.get(label) {
            return Some(c);
        }
        let c = self.labels.len() as u32;
        self.labels.push(label.to_string());
        index.insert(label.to_string(), c);
        Some(c)
    }
}

const CHUNK: usize = 65_536;

fn column<'a>(sf: &'a SourceFrame, field: &str) -> Option<&'a Cells> {
    sf.cells.get(field)
}

fn cell<'a>(c: Option<&'a Cells>, row: usize) -> Cell<'a> {
    c.map(|c| c.get(row)).unwrap_or(Cell::Null)
}

fn convert_chunk(
    sf: &SourceFrame,
    fi: usize,
    rows: std::ops::Range<usize>,
    bad: &[bool],
    cfg: &SourceConfig,
    zone: &LocalZone,
    priorities: &Option<HashMap<&str, Priority>>,
    contracts: Option<&ContractMatcher>,
) -> Chunk {
    let mut rc = RowContext::new(sf, cfg, zone);
    let mut out = Chunk::default();
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    // Columns sliced to this chunk's rows; `local` indexes them.
    let base = rows.start;
    let len = rows.len();
    let slice = |field: &str| column(sf, field).map(|c| c.slice(base, len));
    let (c_id, c_prio, c_open, c_resp, c_res) = (
        slice("id"),
        slice("priority"),
        slice("opened_at"),
        slice("responded_at"),
        slice("resolved_at"),
    );
    let (c_cat, c_tier, c_order) = (slice("category"), slice("tier"), slice(DEDUPE_BY));
    let c_customer = slice("customer");
    let c_customer = c_customer.as_ref();
    let c_title = slice("title");
    let c_title = c_title.as_ref();
    let (c_id, c_prio, c_open, c_resp, c_res) = (
        c_id.as_ref(),
        c_prio.as_ref(),
        c_open.as_ref(),
        c_resp.as_ref(),
        c_res.as_ref(),
    );
    let (c_cat, c_tier, c_order) = (c_cat.as_ref(), c_tier.as_ref(), c_order.as_ref());
    let ordered = cfg.dedupe.as_ref().is_some_and(|d| d.by.is_some());
    for row in rows.filter(|r| !bad[*r]) {
        let id = match rc.reader.text(cell(c_id, row - base)) {
            Some(id) => Ok(id),
            None => Err(rc.problem(row, Some("id"), "is empty".into())),
        };
        let priority = match cell(c_prio, row - base) {
            Cell::Text(p) if !super::cells::trim(p).is_empty() => {
                let p = super::cells::trim(p);
                match priorities {
                    Some(map) => map.get(p).copied().ok_or_else(|| {
                        let mut known: Vec<&str> = map.keys().copied().collect();
                        known.sort_unstable();
                        rc.problem(row, Some("priority"), format!("unknown priority (expected one of: {})", known.join(", ")))
                    }),
                    None => Priority::parse(p).ok_or_else(|| {
                        rc.problem(row, Some("priority"), "unknown priority (expected critical, high, medium or low, or map values under `priorities`)".into())
                    }),
                }
            }
            Cell::Text(_) | Cell::Null => Err(rc.problem(row, Some("priority"), "is empty".into())),
            other => Err(rc.problem(
                row,
                Some("priority"),
                format!("unknown priority {:?}", other.display()),
            )),
        };
        let time = |rc: &mut RowContext, field: &str, c: Cell| {
            let t = rc.reader.timestamp(c);
            rc.note_clock_changes(row);
            t.map_err(|m| rc.time_problem(row, field, c, m))
        };
        let opened = match time(&mut rc, "opened_at", cell(c_open, row - base)) {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err(rc.problem(row, Some("opened_at"), "is empty".into())),
            Err(()) => Err(()),
        };
        let responded = time(&mut rc, "responded_at", cell(c_resp, row - base));
        let resolved = time(&mut rc, "resolved_at", cell(c_res, row - base));
        let (Ok(id), Ok(priority), Ok(opened), Ok(responded), Ok(resolved)) =
            (id, priority, opened, responded, resolved)
        else {
            continue;
        };
        if resolved.is_some_and(|r| r < opened) {
            rc.problem(
                row,
                Some("resolved_at"),
                "resolved_at is before opened_at".into(),
            );
            continue;
        }
        if responded.is_some_and(|r| r < opened) {
            rc.problem(
                row,
                Some("responded_at"),
                "responded_at is before opened_at".into(),
            );
            continue;
        }
        let customer = rc.reader.text_ref(cell(c_customer, row - base));
        if let Some(contracts) = contracts {
            // With contracts every ticket is someone's: an empty customer is a gap in the
            // export, not a customer of the `*` contract.
            if customer.is_none() {
                rc.problem(
                    row,
                    Some("customer"),
                    "is empty (with contracts, every ticket needs its customer)".into(),
                );
                continue;
            }
            if contracts.contract_of(customer.as_deref()).is_none() {
                let message = contracts.unmatched_message(customer.as_deref());
                rc.problem(row, Some("customer"), message);
                continue;
            }
        }
        let customer = out.code(&mut index, customer.as_deref());
        let category = rc.reader.text_ref(cell(c_cat, row - base));
        let tier = rc.reader.text_ref(cell(c_tier, row - base));
        let category = out.code(&mut index, category.as_deref());
        let tier = out.code(&mut index, tier.as_deref());
        out.t.id.push(&id);
        out.t.priority.push(priority);
        out.t.opened.push(opened);
        out.t.responded.push(responded);
        out.t.resolved.push(resolved);
        out.t.category.push(category);
        out.t.tier.push(tier);
        out.t.customer.push(customer);
        if c_title.is_some() {
            out.push_title(rc.reader.text_ref(cell(c_title, row - base)), row);
        }
        out.origin.push((fi as u32, row as u32));
        // One entry a row whenever rows are ordered, so a file without the (optional, a
        // preset's) column keeps the rows of the others in step.
        if ordered {
            out.order.push(rc.reader.text(cell(c_order, row - base)));
        }
    }
    out.problems = rc.problems;
    out.clock_notes = rc.clock_notes;
    out
}

/// One warning for the titles of a file that are cut for display, at the first of them.
fn long_titles_warning(sf: &SourceFrame, n: usize, row: usize) -> Diagnostic {
    let column = sf.columns.get("title").map_or("title", String::as_str);
    let limit = super::cells::DISPLAY_CHARS;
    let values = if n == 1 { "value is" } else { "values are" };
    Diagnostic::warning(Code::Data,
        Location::at(&sf.frame.file, sf.frame.lines[row], None),
        format!("data.tickets: column {column}: {n} {values} longer than {limit} characters (the first on this row); pages show their first {limit} characters"),
    )
}

/// The field the `dedupe.by` column is read under, beside the fields of the README.
const DEDUPE_BY: &str = super::source::DEDUPE_FIELD;

/// Load the tickets. With `contracts`, every ticket must fall under one (its `customer` is
/// then a required column); a ticket no contract covers is a row problem like any bad cell.
pub(crate) fn load(
    root: &Path,
    cfg: &SourceConfig,
    contracts: Option<&ContractMatcher>,
    zone: &LocalZone,
    c: &mut Collector,
) -> Option<Tickets> {
    let (fields, cfg) = fields_to_read(cfg, contracts.is_some());
    let files_key = c.files_key(&[crate::config::keys::Step::Key("tickets".into())]);
    let frames = match read_source(root, "tickets", &cfg, &fields, &files_key, &mut c.warnings) {
        Ok(f) => f,
        Err(ds) => {
            c.errors.extend(ds);
            return None;
        }
    };
    c.record_files("tickets", &frames);
    if let Some(message) = super::presets::unmapped_resolution(&cfg) {
        use crate::config::keys::Step;
        let at = c.config_key(&[
            Step::Key("data".into()),
            Step::Key("tickets".into()),
            Step::Key("preset".into()),
        ]);
        c.warnings
            .push(Diagnostic::warning(crate::error::Code::Config, at, message));
    }
    let read: usize = frames.iter().map(SourceFrame::rows).sum();
    let (all, problems) = convert_frames(&frames, &cfg, zone, contracts, c);
    // The files' cells are converted: only where each row came from is kept (for messages
    // about repeated ids), so the read columns are freed before the next stages.
    let places: Vec<RowPlaces> = (frames.into_iter())
        .map(|sf| (sf.frame.file, sf.frame.lines))
        .collect();
    // Rows superseded by `dedupe` are used: they were read and weighed.
    c.settle("tickets", &cfg, problems, (read, all.t.id.len()));
    let keep = settle_duplicates(&all, &places, &cfg, c);
    Some(keep_rows(all, &keep))
}

/// The fields read from a tickets export, and the source settings that read them: the
/// `dedupe.by` column, when given, is one more field.
fn fields_to_read(cfg: &SourceConfig, with_contracts: bool) -> (Vec<FieldSpec>, SourceConfig) {
    let mut fields = vec![
        required("id"),
        required("priority"),
        required("opened_at"),
        optional("resolved_at"),
        optional("category"),
        optional("tier"),
        optional("title"),
        if with_contracts {
            required("customer")
        } else {
            optional("customer")
        },
    ];
    // With `responded_at: {first_status: […]}` the response comes from the status events.
    if cfg.response_statuses().is_none() {
        fields.push(optional("responded_at"));
    }
    let mut cfg = super::presets::apply(cfg);
    if let Some(by) = cfg.dedupe.as_ref().and_then(|d| d.by.clone()) {
        // A preset's order column is read when the export has it; the site's must be there.
        fields.push(if cfg.preset_fill.dedupe {
            optional(DEDUPE_BY)
        } else {
            required(DEDUPE_BY)
        });
        cfg.columns
            .insert(DEDUPE_BY.into(), crate::config::kpi::ColumnNames::One(by));
    }
    (fields, cfg)
}

/// Every file's rows converted (in parallel chunks) into one set of columns with one label
/// dictionary, and the problems of the rows left out.
fn convert_frames(
    frames: &[SourceFrame],
    cfg: &SourceConfig,
    zone: &LocalZone,
    contracts: Option<&ContractMatcher>,
    c: &mut Collector,
) -> (Chunk, Vec<RowProblem>) {
    let priorities: Option<HashMap<&str, Priority>> = cfg.priorities.as_ref().map(|m| {
        m.iter()
            .filter_map(|(k, v)| Priority::parse(v).map(|p| (k.as_str(), p)))
            .collect()
    });
    let mut all = Chunk::default();
    let mut labels: FxHashMap<String, u32> = FxHashMap::default();
    let mut problems = Vec::new();
    for (fi, sf) in frames.iter().enumerate() {
        let mut long_titles = (0, None);
        let mut rc = RowContext::new(sf, cfg, zone);
        let bad = rc.ragged_rows();
        problems.extend(rc.problems);
        // Chunks are converted a wave at a time and appended as each wave ends: all of a big
        // file's converted chunks never exist beside the columns they are appended to.
        let count = sf.rows().div_ceil(CHUNK);
        let wave = 2 * rayon::current_num_threads().max(1);
        let mut notes = Vec::new();
        all.reserve(sf.rows() - bad.iter().filter(|b| **b).count());
        for first in (0..count).step_by(wave) {
            let mut chunks: Vec<Chunk> = (first..(first + wave).min(count))
                .into_par_iter()
                .map(|k| {
                    let rows = k * CHUNK..((k + 1) * CHUNK).min(sf.rows());
                    convert_chunk(sf, fi, rows, &bad, cfg, zone, &priorities, contracts)
                })
                .collect();
            for mut ch in chunks.drain(..) {
                notes.append(&mut ch.clock_notes);
                long_titles.0 += ch.long_titles.0;
                long_titles.1 = long_titles.1.or(ch.long_titles.1);
                problems.extend(all.absorb(ch, &mut labels));
            }
        }
        c.warnings.extend(super::source::clock_change_warnings(
            "tickets",
            zone,
            &sf.frame.file,
            &notes,
        ));
        if let (n, Some(row)) = long_titles {
            c.warnings.push(long_titles_warning(sf, n, row));
        }
    }
    (all, problems)
}

impl Chunk {
    /// Room for `n` more rows in every column, so appending chunks does not regrow them.
    fn reserve(&mut self, n: usize) {
        let t = &mut self.t;
        t.id.reserve(n);
        t.priority.reserve(n);
        t.opened.reserve(n);
        t.responded.reserve(n);
        t.resolved.reserve(n);
        t.category.reserve(n);
        t.tier.reserve(n);
        t.customer.reserve(n);
        self.origin.reserve(n);
    }

    /// Append `ch`'s rows, its chunk-local label codes turned into this chunk's; returns its
    /// row problems.
    fn absorb(&mut self, mut ch: Chunk, labels: &mut FxHashMap<String, u32>) -> Vec<RowProblem> {
        let remap: Vec<u32> = ch
            .labels
            .iter()
            .map(|l| self.code(labels, Some(l)).expect("label"))
            .collect();
        let t = &mut self.t;
        let before = t.id.len();
        // Titles are kept only when some file has them; rows of files without get none.
        if !ch.t.title.is_empty() {
            t.title.resize(before, None);
            t.title.append(&mut ch.t.title);
        } else if !t.title.is_empty() {
            t.title.resize(before + ch.t.id.len(), None);
        }
        t.id.append(&mut ch.t.id);
        t.priority.append(&mut ch.t.priority);
        t.opened.append(&mut ch.t.opened);
        t.responded.append(&mut ch.t.responded);
        t.resolved.append(&mut ch.t.resolved);
        fn recode<'a>(
            codes: &'a Optional<u32>,
            remap: &'a [u32],
        ) -> impl Iterator<Item = Option<u32>> + 'a {
            (codes.iter()).map(|c| c.map(|c| remap[c as usize]))
        }
        t.category.extend(recode(&ch.t.category, &remap));
        t.tier.extend(recode(&ch.t.tier, &remap));
        t.customer.extend(recode(&ch.t.customer, &remap));
        self.origin.append(&mut ch.origin);
        self.order.append(&mut ch.order);
        ch.problems
    }
}

/// Which rows to keep: all, unless an id occurs more than once. Then `dedupe` picks one of its
/// rows, or, without `dedupe`, the id is an error naming where it occurs.
fn settle_duplicates(
    all: &Chunk,
    places: &[RowPlaces],
    cfg: &SourceConfig,
    c: &mut Collector,
) -> Vec<bool> {
    let mut keep = vec![true; all.t.id.len()];
    let dup = super::duplicates::duplicate_ids(&all.t.id);
    if dup.is_empty() {
        return keep;
    }
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, id) in all.t.id.iter().enumerate() {
        if dup.contains(id) {
            by_id.entry(id).or_default().push(i);
        }
    }
    // Ids whose kept row ties with another on `dedupe.by`: file order decided, which the
    // export may not mean (two rows with the same update count but other priorities).
    let (mut ties, mut first_tie) = (0, None);
    for (id, idx) in by_id {
        match &cfg.dedupe {
            None => c.errors.push(duplicate_error(id, &idx, all, places)),
            Some(d) => {
                let format = cfg.timestamp_format.as_deref();
                let best = pick_row(&idx, all, d.keep, format);
                for &i in &idx {
                    keep[i] = Some(i) == best;
                }
                let by = |i: usize| order_key(all, i, format);
                let tied = best
                    .filter(|&b| by(b).is_some())
                    .and_then(|b| idx.iter().find(|&&i| i != b && by(i) == by(b)));
                if let Some(&other) = tied {
                    ties += 1;
                    first_tie.get_or_insert((id, other, best.unwrap_or(other)));
                }
            }
        }
    }
    if let (Some((id, other, kept)), Some(d)) = (first_tie, &cfg.dedupe) {
        let (file, line) = row_place(all, places, other);
        let kept_line = row_place(all, places, kept).1;
        let by = d.by.as_deref().unwrap_or("its update column");
        let id = super::cells::for_display(id).0;
        c.warnings.push(Diagnostic::warning(
            Code::Data,
            Location::at(file, line, None),
            format!("{ties} ticket id(s) have rows with the same `{by}` value, so file order chose the row kept (first: {id:?}, line {kept_line} kept); check the export"),
        ));
    }
    keep
}

/// Where row `i` was read: its file and line.
fn row_place<'a>(all: &Chunk, places: &'a [RowPlaces], i: usize) -> (&'a std::path::Path, usize) {
    let (f, r) = all.origin[i];
    let (file, lines) = &places[f as usize];
    (file, lines[r as usize])
}

/// Row `i`'s `dedupe.by` value as it orders rows, if it has one.
fn order_key(all: &Chunk, i: usize, format: Option<&str>) -> Option<OrderKey> {
    (all.order.get(i))
        .and_then(|o| o.as_deref())
        .map(|s| OrderKey::of(s, format))
}

/// A ticket id found on several rows, at the first, naming a few places (not a million, when
/// one id fills the export).
/// A file read, and the line of each of its rows.
type RowPlaces = (std::path::PathBuf, Vec<usize>);

fn duplicate_error(id: &str, idx: &[usize], all: &Chunk, places: &[RowPlaces]) -> Diagnostic {
    let place = |i: usize| row_place(all, places, i);
    let mut places: Vec<String> = idx
        .iter()
        .take(10)
        .map(|&i| format!("{}:{}", place(i).0.display(), place(i).1))
        .collect();
    if idx.len() > 10 {
        places.push(format!("… and {} more", idx.len() - 10));
    }
    let (file, line) = place(idx[0]);
    let id = super::cells::for_display(id).0;
    Diagnostic::error(
        Code::Data,
        Location::at(file, line, None),
        format!("ticket id {id:?} appears {} times ({}); set `dedupe` for exports with several rows per ticket", idx.len(), places.join(", ")),
    )
}

/// The row `dedupe` keeps of one id's rows: `by` values compare as whole numbers (exactly, at
/// any size), other numbers, times (`2026-09-01 9:00` before `2026-09-01 10:00`, or in the
/// source's `timestamp_format`), or else as text; then file order.
fn pick_row(idx: &[usize], all: &Chunk, keep: Keep, format: Option<&str>) -> Option<usize> {
    let key = |i: usize| (order_key(all, i, format), all.origin[i]);
    let cmp = |a: &usize, b: &usize| {
        let (ka, kb) = (key(*a), key(*b));
        let by = match (&ka.0, &kb.0) {
            (Some(x), Some(y)) => x.cmp(y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        };
        by.then(ka.1.cmp(&kb.1))
    };
    match keep {
        Keep::Last => idx.iter().copied().max_by(cmp),
        Keep::First => idx.iter().copied().min_by(cmp),
    }
}

/// A `dedupe.by` value as it orders rows: numbers before times before text.
#[derive(Debug, Clone, PartialEq)]
enum OrderKey {
    Whole(i128),
    Number(f64),
    Time(i64),
    Text(String),
}

impl OrderKey {
    /// `format`: the source's `timestamp_format`, for times written its way (`02/Oct/26 9:00 AM`).
    fn of(s: &str, format: Option<&str>) -> OrderKey {
        let t = super::cells::trim(s);
        if let Some(n) = format.and_then(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok()) {
            return OrderKey::Time(n.and_utc().timestamp());
        }
        if let Ok(n) = t.parse::<i128>() {
            return OrderKey::Whole(n);
        }
        if let Ok(f) = t.parse::<f64>() {
            if f.is_finite() {
                return OrderKey::Number(f);
            }
        }
        // Wall-clock seconds: every row of one export is in one zone, so they order alike.
        if let Some(local) = super::cells::loose_local_secs(t) {
            return OrderKey::Time(local);
        }
        if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
            return OrderKey::Time(d.timestamp());
        }
        OrderKey::Text(t.to_string())
    }

    fn rank(&self) -> u8 {
        match self {
            OrderKey::Whole(_) | OrderKey::Number(_) => 0,
            OrderKey::Time(_) => 1,
            OrderKey::Text(_) => 2,
        }
    }

    fn cmp(&self, other: &OrderKey) -> std::cmp::Ordering {
        use OrderKey::*;
        match (self, other) {
            (Whole(a), Whole(b)) => a.cmp(b),
            (Whole(a), Number(b)) => (*a as f64).total_cmp(b),
            (Number(a), Whole(b)) => a.total_cmp(&(*b as f64)),
            (Number(a), Number(b)) => a.total_cmp(b),
            (Time(a), Time(b)) => a.cmp(b),
            (Text(a), Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// The tickets of the rows to keep.
fn keep_rows(all: Chunk, keep: &[bool]) -> Tickets {
    let mut t = all.t;
    if !t.title.is_empty() {
        t.title.resize(t.id.len(), None);
    }
    if keep.iter().any(|k| !k) {
        macro_rules! retain {
            ($($f:ident),*) => {$(
                let mut k = keep.iter();
                t.$f.retain(|_| *k.next().expect("same length"));
            )*};
        }
        t.id = t.id.pick((0..keep.len()).filter(|&i| keep[i]));
        retain!(priority, opened, responded, resolved, category, tier, customer);
        if !t.title.is_empty() {
            retain!(title);
        }
    }
    t.labels = all.labels;
    t
}
