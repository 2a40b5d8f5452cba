//! Converting a tickets export's rows into the ticket table: in parallel chunks straight into
//! columns (no per-row structs, categories and tiers as dictionary codes), a part of a file at
//! a time, with the problems of the rows left out and where every row came from. Titles are
//! only shown, so a huge one is cut for display here, with a warning per file.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::cells::{Cell, Cells};
use super::source::{RowContext, RowProblem, SourceFrame};
use crate::config::kpi::SourceConfig;
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::contracts::ContractMatcher;
use crate::kpi::fxhash::FxHashMap;
use crate::kpi::tables::{Optional, Priority, PriorityLevels, Tickets};
use crate::kpi::zone::LocalZone;

/// The field the `dedupe.by` column is read under, beside the fields of the README.
pub(super) const DEDUPE_BY: &str = super::source::DEDUPE_FIELD;

/// A file read, and the line of each of its rows.
pub(super) type RowPlaces = (std::path::PathBuf, super::read::Lines);

/// Converted rows of one chunk, with chunk-local label codes.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) t: Tickets,
    /// (frame, row) of each kept row.
    pub(super) origin: Vec<(u32, u32)>,
    pub(super) order: Vec<Option<String>>,
    pub(super) labels: Vec<String>,
    problems: Vec<RowProblem>,
    /// Times read where the clocks change.
    clock_notes: Vec<super::source::ClockNote>,
    /// Titles cut for display: how many, and the first row.
    long_titles: (usize, Option<usize>),
    /// Rows left out by `exclude`.
    excluded: usize,
}

/// The fields an `exclude` condition's column is read under (`exclude` holds at most this many).
pub(super) const EXCLUDE_FIELDS: [&str; 8] = [
    "exclude 1",
    "exclude 2",
    "exclude 3",
    "exclude 4",
    "exclude 5",
    "exclude 6",
    "exclude 7",
    "exclude 8",
];

/// What decides a row beyond its cells' formats: the priority map, the contracts, the
/// customer names as exports write them, and the `exclude` conditions.
pub(super) struct RowRules<'a> {
    priorities: Option<HashMap<&'a str, Priority>>,
    levels: &'a PriorityLevels,
    contracts: Option<&'a ContractMatcher>,
    /// NFKC, trimmed export spelling → the customer's name.
    customer_names: HashMap<String, &'a str>,
    /// (field, values) of each condition.
    exclude: Vec<(&'static str, Vec<&'a str>)>,
    /// `first_contact_values`, trimmed and lower-cased.
    first_contact_yes: Vec<String>,
}

/// A customer's name as spellings are compared: NFKC, trimmed.
pub(super) fn name_key(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    super::cells::trim(s)
        .nfkc()
        .collect::<String>()
        .trim()
        .to_string()
}

impl<'a> RowRules<'a> {
    fn new(
        cfg: &'a SourceConfig,
        contracts: Option<&'a ContractMatcher>,
        levels: &'a PriorityLevels,
    ) -> Self {
        // Values mapped to no level were reported before reading (`priority_map_is_sound`).
        let priorities = cfg.priorities.as_ref().map(|m| {
            m.iter()
                .filter_map(|(k, v)| levels.parse(v).map(|p| (k.as_str(), p)))
                .collect()
        });
        let customer_names = (cfg.customer_names.iter().flatten())
            .map(|(spelling, name)| (name_key(spelling), name.as_str()))
            .collect();
        let exclude = (cfg.exclude.0.iter().zip(EXCLUDE_FIELDS))
            .map(|(rule, field)| (field, rule.values.iter().map(|v| v.trim()).collect()))
            .collect();
        let first_contact_yes = match &cfg.first_contact_values {
            Some(values) => values.iter().map(|v| v.trim().to_lowercase()).collect(),
            None => (super::cells::FIRST_CONTACT_YES.iter())
                .map(|v| v.to_lowercase())
                .collect(),
        };
        RowRules {
            first_contact_yes,
            priorities,
            levels,
            contracts,
            customer_names,
            exclude,
        }
    }

    /// A `first_contact` cell: yes when `first_contact_values` lists it (trimmed, any case);
    /// empty or anything else is no.
    fn first_contact(&self, cell: Option<&str>) -> bool {
        let value = cell.map(|v| v.trim().to_lowercase()).unwrap_or_default();
        !value.is_empty() && self.first_contact_yes.contains(&value)
    }

    /// The customer a row's cell names: its mapped name when `customer_names` has the spelling.
    fn customer<'c>(
        &self,
        cell: Option<std::borrow::Cow<'c, str>>,
    ) -> Option<std::borrow::Cow<'c, str>> {
        let cell = cell?;
        if self.customer_names.is_empty() {
            return Some(cell);
        }
        match self.customer_names.get(&name_key(&cell)) {
            Some(name) => Some(std::borrow::Cow::Owned(name.to_string())),
            None => Some(cell),
        }
    }
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
    rules: &RowRules,
) -> Chunk {
    let (priorities, contracts, levels) = (&rules.priorities, rules.contracts, rules.levels);
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
    // Read only when mapped (then every file has them: they are required).
    let (c_reopen, c_first) = (slice("reopened_at"), slice("first_contact"));
    let (c_reopen, c_first) = (c_reopen.as_ref(), c_first.as_ref());
    let (c_id, c_prio, c_open, c_resp, c_res) = (
        c_id.as_ref(),
        c_prio.as_ref(),
        c_open.as_ref(),
        c_resp.as_ref(),
        c_res.as_ref(),
    );
    let (c_cat, c_tier, c_order) = (c_cat.as_ref(), c_tier.as_ref(), c_order.as_ref());
    let ordered = cfg.dedupe.as_ref().is_some_and(|d| d.by.is_some());
    let excluders: Vec<_> = (rules.exclude.iter())
        .map(|(field, values)| (slice(field), values))
        .collect();
    for row in rows.filter(|r| !bad[*r]) {
        // A cancelled or test ticket is left out before its cells are judged.
        let excluded = excluders.iter().any(|(c, values)| {
            let text = rc.reader.text_ref(cell(c.as_ref(), row - base));
            text.is_some_and(|t| values.contains(&super::cells::trim(&t)))
        });
        if excluded {
            out.excluded += 1;
            continue;
        }
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
                        rc.problem(
                            row,
                            Some("priority"),
                            format!("unknown priority (expected one of: {})", known.join(", ")),
                        )
                    }),
                    None => levels.parse(p).ok_or_else(|| {
                        rc.problem(
                            row,
                            Some("priority"),
                            format!(
                                "unknown priority (expected {}, or map the export's values under data.tickets.priorities)",
                                levels.listed()
                            ),
                        )
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
        let reopened = time(&mut rc, "reopened_at", cell(c_reopen, row - base));
        let (Ok(id), Ok(priority), Ok(opened), Ok(responded), Ok(resolved), Ok(reopened)) =
            (id, priority, opened, responded, resolved, reopened)
        else {
            continue;
        };
        if reopened.is_some_and(|r| r < opened) {
            let message = "reopened_at is before opened_at".into();
            rc.problem(row, Some("reopened_at"), message);
            continue;
        }
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
        let customer = rules.customer(rc.reader.text_ref(cell(c_customer, row - base)));
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
            if contracts.contract_at(customer.as_deref(), opened).is_none() {
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
        if c_reopen.is_some() {
            out.t.reopened.push(reopened);
        }
        if c_first.is_some() {
            let value = rc.reader.text_ref(cell(c_first, row - base));
            out.t
                .first_contact
                .push(rules.first_contact(value.as_deref()));
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
fn long_titles_warning(file: &Path, column: &str, n: usize, line: usize) -> Diagnostic {
    let limit = super::cells::DISPLAY_CHARS;
    let values = if n == 1 { "value is" } else { "values are" };
    Diagnostic::warning(Code::Data,
        Location::at(file, line, None),
        format!("data.tickets: column {column}: {n} {values} longer than {limit} characters (the first on this row); pages show their first {limit} characters"),
    )
}

/// Files' rows converted (in parallel chunks) into one set of columns with one label
/// dictionary, a part of a file at a time; the problems of the rows left out, and where each
/// part's rows came from (for messages about repeated ids).
pub(super) struct Converter<'a> {
    cfg: &'a SourceConfig,
    zone: &'a LocalZone,
    rules: RowRules<'a>,
    out: Converted,
    labels: FxHashMap<String, u32>,
    /// The file being read (its parts come one after another): its clock changes and titles
    /// cut, warned about once for the file.
    file: Option<FileNotes>,
}

pub(super) struct Converted {
    pub(super) all: Chunk,
    pub(super) problems: Vec<RowProblem>,
    pub(super) places: Vec<RowPlaces>,
    /// Rows read.
    pub(super) read: usize,
    /// Rows left out by `exclude` (read, neither used nor quarantined).
    pub(super) excluded: usize,
    pub(super) warnings: Vec<Diagnostic>,
}

struct FileNotes {
    file: std::path::PathBuf,
    clock: Vec<super::source::ClockNote>,
    /// Titles cut for display: how many, and the line of the first.
    long_titles: (usize, Option<usize>),
    title_column: String,
}

impl<'a> Converter<'a> {
    pub(super) fn new(
        cfg: &'a SourceConfig,
        zone: &'a LocalZone,
        contracts: Option<&'a ContractMatcher>,
        levels: &'a PriorityLevels,
    ) -> Self {
        Converter {
            cfg,
            zone,
            rules: RowRules::new(cfg, contracts, levels),
            out: Converted {
                all: Chunk::default(),
                problems: Vec::new(),
                places: Vec::new(),
                read: 0,
                excluded: 0,
                warnings: Vec::new(),
            },
            labels: FxHashMap::default(),
            file: None,
        }
    }

    pub(super) fn add(&mut self, sf: SourceFrame) {
        if self.file.as_ref().is_none_or(|f| f.file != sf.frame.file) {
            self.end_file();
            self.file = Some(FileNotes {
                file: sf.frame.file.clone(),
                clock: Vec::new(),
                long_titles: (0, None),
                title_column: sf.columns.get("title").cloned().unwrap_or("title".into()),
            });
            // Room for the whole file at once: columns grown part by part would double.
            self.out.all.reserve(sf.frame.file_rows);
        }
        let (cfg, zone) = (self.cfg, self.zone);
        let fi = self.out.places.len();
        let mut rc = RowContext::new(&sf, cfg, zone);
        let bad = rc.ragged_rows();
        self.out.problems.extend(rc.problems);
        self.out.read += sf.rows();
        let notes = self.file.as_mut().expect("file");
        // Chunks are converted a wave at a time and appended as each wave ends: all of a big
        // part's converted chunks never exist beside the columns they are appended to.
        let count = sf.rows().div_ceil(CHUNK);
        let wave = 2 * rayon::current_num_threads().max(1);
        for first in (0..count).step_by(wave) {
            let mut chunks: Vec<Chunk> = (first..(first + wave).min(count))
                .into_par_iter()
                .map(|k| {
                    let rows = k * CHUNK..((k + 1) * CHUNK).min(sf.rows());
                    convert_chunk(&sf, fi, rows, &bad, cfg, zone, &self.rules)
                })
                .collect();
            for mut ch in chunks.drain(..) {
                notes.clock.append(&mut ch.clock_notes);
                notes.long_titles.0 += ch.long_titles.0;
                let first_line = ch.long_titles.1.map(|row| sf.frame.lines.at(row));
                notes.long_titles.1 = notes.long_titles.1.or(first_line);
                self.out.excluded += ch.excluded;
                let problems = self.out.all.absorb(ch, &mut self.labels);
                self.out.problems.extend(problems);
            }
        }
        self.out.places.push((sf.frame.file, sf.frame.lines));
    }

    /// The warnings of the file read last.
    fn end_file(&mut self) {
        let Some(notes) = self.file.take() else {
            return;
        };
        let w = &mut self.out.warnings;
        w.extend(super::source::clock_change_warnings(
            "tickets",
            self.zone,
            &notes.file,
            &notes.clock,
        ));
        if let (n, Some(line)) = notes.long_titles {
            w.push(long_titles_warning(
                &notes.file,
                &notes.title_column,
                n,
                line,
            ));
        }
    }

    pub(super) fn finish(mut self) -> Converted {
        self.end_file();
        self.out
    }
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
        t.reopened.append(&mut ch.t.reopened);
        t.first_contact.append(&mut ch.t.first_contact);
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
