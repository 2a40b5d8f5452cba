//! Frozen periods. Ticket exports rewrite history, so a published figure could change behind the
//! reader's back; a snapshot (`data/snapshots/<period>.yaml`, written by `opsite freeze` or by
//! `reports.freeze_after`) keeps a period's computed report as it was published. Builds show
//! the snapshot's figures and warn, KPI by KPI, where the live data now says otherwise.
//! Pure: texts in, texts and diagnostics out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{PeriodData, ReportSet};
use crate::data::DataFile;
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::details::{BreachedTicket, HandledTicket, OutageItem};
use crate::kpi::numbers::Numbers;
use crate::kpi::period::{Period, PeriodKind};
use crate::kpi::report::PeriodReport;

/// Where snapshots live, relative to the site root.
pub const DIR: &str = "data/snapshots";

/// The first line of every snapshot: `unfreeze` deletes only files that carry it.
pub const HEADER: &str = "# opsite snapshot:";

/// One frozen period as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Snapshot {
    /// The opsite version that computed it.
    pub opsite: String,
    pub period: String,
    /// The instant its figures were computed as of (local time, RFC 3339).
    pub frozen_at: String,
    /// The data files (and their SHA-256) the figures were computed from.
    pub data_files: Vec<SnapshotFile>,
    pub report: PeriodReport,
    /// The period before, as it stood then (the page's changes and previous values).
    pub previous: PeriodReport,
    #[serde(default)]
    pub breaches: Vec<BreachedTicket>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handled: Vec<HandledTicket>,
    #[serde(default)]
    pub outages: Vec<OutageItem>,
    /// Months: availability per service and day.
    #[serde(default)]
    pub daily: Vec<DailyAvailability>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SnapshotFile {
    pub source: String,
    pub file: String,
    pub rows: usize,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DailyAvailability {
    pub service: String,
    pub days: BTreeMap<NaiveDate, Option<f64>>,
}

/// What a frozen period's page says about its snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotMeta {
    /// Relative to the site root.
    pub path: PathBuf,
    pub opsite: String,
    pub frozen_at: String,
    pub files: Vec<DataFile>,
}

/// The file a period's snapshot lives in.
pub fn path_for(label: &str) -> PathBuf {
    Path::new(DIR).join(format!("{label}.yaml"))
}

/// A period's snapshot as text, from its computed data.
pub fn write(d: &PeriodData, set: &ReportSet) -> String {
    let snapshot = Snapshot {
        opsite: env!("CARGO_PKG_VERSION").to_string(),
        period: d.period.label.clone(),
        frozen_at: d.report.as_of.clone(),
        data_files: set
            .data
            .files
            .iter()
            .map(|f| SnapshotFile {
                source: f.source.clone(),
                file: f.path.to_string_lossy().replace('\\', "/"),
                rows: f.rows,
                sha256: f.sha256.clone(),
            })
            .collect(),
        report: d.report.clone(),
        previous: d.previous.clone(),
        breaches: d.breaches.clone(),
        handled: d.handled.clone(),
        outages: d.outages.clone(),
        daily: d
            .daily
            .iter()
            .map(|(service, days)| DailyAvailability {
                service: service.clone(),
                days: days.iter().copied().collect(),
            })
            .collect(),
    };
    let body = serde_yaml::to_string(&snapshot).expect("a snapshot serialises");
    format!(
        "{HEADER} the figures of {} as published. Builds show these, not the live data.\n# `opsite unfreeze {}` removes this file and publishes live figures again.\n{body}",
        d.period.label, d.period.label
    )
}

/// Read a snapshot; `path` is relative to the site root (for messages). Through `crate::yaml`, so
/// a snapshot edited by hand meets the same nesting limit as every other YAML file.
pub fn parse(text: &str, path: &Path) -> Result<Snapshot, Diagnostic> {
    let snapshot = crate::yaml::from_str::<Snapshot>(text).map_err(|e| {
        Diagnostic::error(Code::Data,
            Location::at(path, e.line, Some(e.column)),
            format!("this snapshot cannot be read: {} (restore it from version control, or `opsite unfreeze` and freeze again)", e.message),
        )
    })?;
    Ok(shown(snapshot))
}

/// A snapshot's text as export cells are shown: it is committed and edited by people, so a
/// title or service name in it loses control and direction marks as a cell does.
fn shown(snapshot: Snapshot) -> Snapshot {
    fn clean(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        let text = |s: String| crate::display_text::cell(&s).into_owned();
        match v {
            Value::String(s) => Value::String(text(s)),
            Value::Array(items) => Value::Array(items.into_iter().map(clean).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (text(k), clean(v))).collect())
            }
            other => other,
        }
    }
    serde_json::to_value(&snapshot)
        .ok()
        .and_then(|v| serde_json::from_value(clean(v)).ok())
        .unwrap_or(snapshot)
}

/// A period's data taken from its snapshot.
fn frozen_data(s: Snapshot, period: Period, url: String, path: &Path) -> PeriodData {
    PeriodData {
        period,
        url,
        complete: true,
        snapshot: Some(SnapshotMeta {
            path: path.to_path_buf(),
            opsite: s.opsite,
            frozen_at: s.frozen_at,
            files: s
                .data_files
                .into_iter()
                .map(|f| DataFile {
                    source: f.source,
                    path: PathBuf::from(f.file),
                    rows: f.rows,
                    sha256: f.sha256,
                })
                .collect(),
        }),
        report: s.report,
        previous: s.previous,
        breaches: s.breaches,
        handled: s.handled,
        outages: s.outages,
        daily: s
            .daily
            .into_iter()
            .map(|d| (d.service, d.days.into_iter().collect()))
            .collect(),
        // A snapshot keeps figures, not the maintenance schedule of the day it was taken.
        maintenance: Vec::new(),
    }
}

/// Each KPI whose written value (by the site's rule today) differs between the snapshot and
/// the live data. Only ids in both are compared: a snapshot frozen before `priority_levels`
/// changed keeps its own ids (`sla.resolution.high`), which the live data no longer has.
pub fn drift(frozen: &PeriodReport, live: &PeriodReport, numbers: &Numbers) -> Vec<String> {
    (frozen.kpis.iter())
        .filter_map(|(id, f)| {
            let now = live.kpis.get(id)?;
            let (a, b) = (
                numbers.show(f.value, f.unit),
                numbers.show(now.value, now.unit),
            );
            (a != b).then(|| format!("{id}: frozen {a}, the data now gives {b}"))
        })
        .collect()
}

/// Replace computed periods by their snapshots (adding frozen periods the data no longer
/// covers) and warn about every figure that drifted. `snapshots`: (path, text).
pub fn apply(set: &mut ReportSet, snapshots: &[(PathBuf, String)]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let numbers = set.numbers;
    for (path, text) in snapshots {
        let snapshot = match parse(text, path) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let period = match Period::parse(&snapshot.period, set.tz) {
            Ok(p) => p,
            Err(e) => {
                diags.push(Diagnostic::error(Code::Data, Location::file(path), e));
                continue;
            }
        };
        // Built as of a time before the period ended (`--as-of` in the past): the live partial
        // figures are what that moment saw; the snapshot is of a later one.
        if set.as_of < period.end {
            continue;
        }
        let expected = path_for(&period.label);
        if path.file_name() != expected.file_name() {
            diags.push(Diagnostic::error(
                Code::Data,
                Location::file(path),
                format!(
                    "this snapshot is of {} but is named {}; rename it {}",
                    period.label,
                    path.display(),
                    expected.display()
                ),
            ));
            continue;
        }
        let url = set
            .urls_for(period.kind)
            .map(|p| super::period_url(p, &period.label))
            .unwrap_or_default();
        let list = match period.kind {
            PeriodKind::Week => &mut set.weeks,
            PeriodKind::Month => &mut set.months,
            PeriodKind::Quarter => &mut set.quarters,
        };
        match list.iter_mut().find(|d| d.period.label == period.label) {
            Some(live) => {
                for change in drift(&snapshot.report, &live.report, &numbers) {
                    diags.push(Diagnostic::warning(Code::Data,
                        Location::file(path),
                        format!(
                            "{} is frozen and the data has changed: {change} (pages show the frozen figure; `opsite unfreeze {}` to publish the new one)",
                            period.label, period.label
                        ),
                    ));
                }
                *live = frozen_data(snapshot, period, url, path);
            }
            None => {
                list.push(frozen_data(snapshot, period, url, path));
                list.sort_by_key(|d| d.period.start);
            }
        }
    }
    link_previous(set);
    diags
}

/// A live period after a frozen one compares itself with the frozen figures, so a page never
/// shows a previous value that the previous period's own page contradicts.
fn link_previous(set: &mut ReportSet) {
    let tz = set.tz;
    for list in [&mut set.weeks, &mut set.months, &mut set.quarters] {
        let frozen: BTreeMap<String, PeriodReport> = list
            .iter()
            .filter(|d| d.snapshot.is_some())
            .map(|d| (d.period.label.clone(), d.report.clone()))
            .collect();
        if frozen.is_empty() {
            continue;
        }
        for d in list.iter_mut().filter(|d| d.snapshot.is_none()) {
            let Some(before) = frozen.get(&d.period.previous(tz).label) else {
                continue;
            };
            for i in &mut d.report.indicators {
                i.previous = before.kpis.get(&i.kpi).and_then(|k| k.value);
                i.change = i.value.zip(i.previous).map(|(v, p)| v - p);
            }
            d.previous = before.clone();
        }
    }
}

/// Periods that `freeze_after` says should be frozen now and are not yet: complete, and ended at
/// least `after_seconds` before `as_of`.
pub fn due(set: &ReportSet, after_seconds: i64) -> Vec<&PeriodData> {
    [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter]
        .into_iter()
        .flat_map(|k| set.published(k))
        .filter(|d| d.snapshot.is_none() && d.complete && d.period.end + after_seconds <= set.as_of)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deeply_nested_snapshot_is_a_located_error_at_once() {
        let text = format!("{HEADER} x\nopsite: {}\n", "[".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse(&text, Path::new("data/snapshots/2026-10.yaml")).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(
            e.location,
            Location::at(
                "data/snapshots/2026-10.yaml",
                2,
                Some(8 + crate::yaml::MAX_NESTING)
            )
        );
        assert!(e.message.contains("64 levels"), "{}", e.message);
    }
}
