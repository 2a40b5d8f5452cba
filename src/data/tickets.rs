//! Tickets: the one source that must exist, and the largest. Each part of a file read is
//! converted at once (`ticket_rows`), then duplicates are settled: kept by `dedupe`, or
//! reported with every place they occur.

use std::collections::BTreeMap;
use std::path::Path;

use super::source::{optional, read_source_each, required, FieldSpec};
use super::ticket_rows::{Chunk, Converted, Converter, RowPlaces, DEDUPE_BY, EXCLUDE_FIELDS};
use super::Collector;
use crate::config::kpi::{Keep, SourceConfig};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::contracts::ContractMatcher;
use crate::kpi::tables::{PriorityLevels, Tickets};
use crate::kpi::zone::LocalZone;

/// Load the tickets. With `contracts`, every ticket must fall under one (its `customer` is
/// then a required column); a ticket no contract covers is a row problem like any bad cell.
/// `editions`: the site's customers, whose names a ticket's customer may nearly spell.
pub(crate) fn load(
    root: &Path,
    cfg: &SourceConfig,
    (contracts, editions): (Option<&ContractMatcher>, &[String]),
    (zone, levels): (&LocalZone, &PriorityLevels),
    c: &mut Collector,
) -> Option<Tickets> {
    if !priority_map_is_sound(cfg, levels, c) {
        return None;
    }
    if let Some(map) = &cfg.customer_names {
        let mistakes = super::customer_names::mapping_mistakes(map, contracts, editions);
        if !mistakes.is_empty() {
            use crate::config::keys::Step;
            let at = c.config_key(&[
                Step::Key("data".into()),
                Step::Key("tickets".into()),
                Step::Key("customer_names".into()),
            ]);
            for m in mistakes {
                c.errors.push(Diagnostic::error(
                    Code::Config,
                    at.clone(),
                    format!("data.tickets.customer_names: {m}"),
                ));
            }
            return None;
        }
    }
    let (fields, cfg) = fields_to_read(cfg, contracts.is_some(), levels);
    let files_key = c.files_key(&[crate::config::keys::Step::Key("tickets".into())]);
    // Each part of a file is converted as soon as it is read, then dropped.
    let mut convert = Converter::new(&cfg, zone, contracts, levels);
    let mut parts = Vec::new();
    let mut read_warnings = Vec::new();
    let read = read_source_each(
        root,
        "tickets",
        &cfg,
        &fields,
        &files_key,
        &mut read_warnings,
        &mut |sf| {
            parts.push((sf.frame.file.clone(), sf.rows(), sf.frame.sha256.clone()));
            convert.add(sf);
        },
    );
    c.warnings.append(&mut read_warnings);
    if let Err(ds) = read {
        c.errors.extend(ds);
        return None;
    }
    for (file, rows, sha256) in parts {
        c.record_part("tickets", file, rows, sha256);
    }
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
    let Converted {
        all,
        problems,
        places,
        read,
        excluded,
        mut warnings,
    } = convert.finish();
    c.warnings.append(&mut warnings);
    // Rows superseded by `dedupe` are used: they were read and weighed.
    c.settle("tickets", &cfg, problems, (read, all.t.id.len(), excluded));
    if let Some(contracts) = contracts {
        let near = super::customer_names::near_misses(&all, &places, contracts, editions);
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            near.into_iter().partition(Diagnostic::is_error);
        c.errors.extend(errors);
        c.warnings.extend(warnings);
    }
    let keep = settle_duplicates(&all, &places, &cfg, c);
    let tickets = keep_rows(all, &keep);
    if !tickets.first_contact.is_empty() && !tickets.first_contact.contains(&true) {
        use crate::config::keys::Step;
        let steps = ["data", "tickets", "columns", "first_contact"].map(|k| Step::Key(k.into()));
        let yes = match &cfg.first_contact_values {
            Some(values) => values.join(", "),
            None => super::cells::FIRST_CONTACT_YES.join(", "),
        };
        c.warnings.push(Diagnostic::warning(
            Code::Config,
            c.config_key(&steps),
            format!("data.tickets.columns.first_contact: no ticket's value is one of {yes}, so none counts as resolved at first contact; list the export's own yes values under data.tickets.first_contact_values"),
        ));
    }
    Some(tickets)
}

/// Whether `data.tickets.priorities` maps every value to one of the levels, and a preset's
/// export has a map when the levels are not the four its own map names; each mistake is an
/// error at its key.
fn priority_map_is_sound(cfg: &SourceConfig, levels: &PriorityLevels, c: &mut Collector) -> bool {
    use crate::config::keys::Step;
    let mut sound = true;
    let key = |steps: &[&str]| {
        steps
            .iter()
            .map(|s| Step::Key(s.to_string()))
            .collect::<Vec<_>>()
    };
    let misfit =
        (cfg.preset).and_then(|p| super::presets::priorities_misfit(p, levels).map(|v| (p, v)));
    if let (Some((preset, value)), None) = (misfit, &cfg.priorities) {
        let at = c.config_key(&key(&["priority_levels"]));
        c.errors.push(Diagnostic::error(
            Code::Config,
            at,
            format!(
                "priority_levels: the {} preset maps its export's priorities to critical, high, \
                 medium and low, which are not all this site's levels ({}): map the export's \
                 values under data.tickets.priorities (`\"{value}\": {}`)",
                preset.name(),
                levels.listed(),
                levels.key(crate::kpi::tables::Priority(0)),
            ),
        ));
        sound = false;
    }
    for (value, level) in cfg.priorities.iter().flatten() {
        if levels.parse(level).is_none() {
            let at = c.config_key(&key(&["data", "tickets", "priorities", value]));
            c.errors.push(Diagnostic::error(
                Code::Config,
                at,
                format!(
                    "data.tickets.priorities: `{value}` maps to `{level}`, which is not a \
                     priority level ({})",
                    levels.listed()
                ),
            ));
            sound = false;
        }
    }
    sound
}

/// The fields read from a tickets export, and the source settings that read them: the
/// `dedupe.by` column, when given, is one more field.
fn fields_to_read(
    cfg: &SourceConfig,
    with_contracts: bool,
    levels: &PriorityLevels,
) -> (Vec<FieldSpec>, SourceConfig) {
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
    // Reopens and first contact count only where mapped: then every file must have them.
    if cfg.is_mapped("reopened_at") && cfg.statuses_of("reopened_at").is_none() {
        fields.push(required("reopened_at"));
    }
    if cfg.is_mapped("first_contact") {
        fields.push(required("first_contact"));
    }
    let mut cfg = super::presets::apply(cfg, levels);
    // Each `exclude` condition's column is read as one more field (checked to be at most
    // `EXCLUDE_FIELDS` conditions by the configuration check).
    for (rule, field) in cfg.exclude.0.clone().into_iter().zip(EXCLUDE_FIELDS) {
        fields.push(required(field));
        cfg.columns.insert(
            field.into(),
            crate::config::kpi::ColumnNames::One(rule.column),
        );
    }
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
    (file, lines.at(r as usize))
}

/// Row `i`'s `dedupe.by` value as it orders rows, if it has one.
fn order_key(all: &Chunk, i: usize, format: Option<&str>) -> Option<OrderKey> {
    (all.order.get(i))
        .and_then(|o| o.as_deref())
        .map(|s| OrderKey::of(s, format))
}

/// A ticket id found on several rows, at the first, naming a few places (not a million, when
/// one id fills the export).
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
        if !t.reopened.is_empty() {
            retain!(reopened);
        }
        if !t.first_contact.is_empty() {
            retain!(first_contact);
        }
    }
    t.labels = all.labels;
    t
}
