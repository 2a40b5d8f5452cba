//! The table rows of a report page: each figure with its previous value and change, each
//! SLA clock, indicator and time, in the one number format.

use super::page_view::{FigureRow, IndicatorRow, ServiceRow, SlaRow, TimeRow};
use super::style::Style;
use super::{PeriodData, ReportSet};
use crate::kpi::indicators::Status;
use crate::kpi::report::{PeriodReport, Unit};
use crate::kpi::sla::ClockKind;

pub fn service_rows(set: &ReportSet, d: &PeriodData, style: &Style) -> Vec<ServiceRow> {
    let r = &d.report;
    r.kpis
        .iter()
        .filter_map(|(id, k)| Some((id.strip_prefix("availability.")?, k)))
        .map(|(name, k)| {
            let status = match k.value {
                None => Status::NoData,
                Some(v) if v >= set.availability_target_of(name) => Status::Met,
                Some(_) => Status::Breached,
            };
            let missed = status == Status::Breached;
            let (status, status_label) = style.status(status);
            let prev = d.previous.kpis.get(&format!("availability.{name}"));
            let target = set.availability_target_of(name);
            let places = match k.value {
                Some(v) => (style.numbers).decimals_against(v, target, Unit::Percent, missed),
                None => style.numbers.decimals(Unit::Percent),
            };
            ServiceRow {
                name: style.labels.service(name),
                availability: style.figure_with(k.value, k.unit, places),
                target: style.figure(Some(target), Unit::Percent),
                downtime: style.kpi_figure(r.kpis.get(&format!("downtime.{name}.minutes"))),
                error_budget: style.kpi_figure(
                    r.kpis
                        .get(&format!("error_budget.{name}.remaining_minutes")),
                ),
                status,
                status_label,
                previous: style.kpi_figure(prev),
                change: style.change(
                    k.value,
                    prev.and_then(|p| p.value),
                    Unit::Percent,
                    Some(true),
                ),
            }
        })
        .collect()
}

/// One row per KPI id: (label, id, good direction).
pub fn figure_rows(
    r: &PeriodReport,
    prev: &PeriodReport,
    style: &Style,
    ids: &[(&str, &str, Option<bool>)],
) -> Vec<FigureRow> {
    ids.iter()
        .filter(|(_, id, _)| r.kpis.contains_key(*id))
        .map(|(label, id, up)| {
            let k = &r.kpis[*id];
            let p = prev.kpis.get(*id);
            FigureRow {
                label: label.to_string(),
                value: style.kpi_figure(Some(k)),
                previous: style.kpi_figure(p),
                change: style.change(k.value, p.and_then(|p| p.value), k.unit, *up),
            }
        })
        .collect()
}

pub fn ticket_rows(r: &PeriodReport, prev: &PeriodReport, s: &Style) -> Vec<FigureRow> {
    let mut ids = vec![
        (s.t.opened, "tickets.opened", None),
        (s.t.resolved, "tickets.resolved", None),
        (s.t.backlog, "tickets.backlog", Some(false)),
        (s.t.reopen_rate, "tickets.reopen_rate", Some(false)),
        (
            s.t.first_contact_rate,
            "tickets.first_contact_rate",
            Some(true),
        ),
    ];
    let opened: Vec<(String, String)> = (s.priorities(&r.kpis).iter())
        .map(|p| {
            (
                format!("{} ({})", s.t.opened, s.labels.priority(p)),
                format!("tickets.opened.{p}"),
            )
        })
        .collect();
    for (l, id) in &opened {
        ids.push((l.as_str(), id.as_str(), None));
    }
    figure_rows(r, prev, s, &ids)
}

pub fn satisfaction_rows(r: &PeriodReport, prev: &PeriodReport, s: &Style) -> Vec<FigureRow> {
    figure_rows(
        r,
        prev,
        s,
        &[
            (s.t.csat, "csat.mean", Some(true)),
            (s.t.nps, "nps", Some(true)),
            (s.t.responses, "survey.responses", None),
        ],
    )
}

pub fn api_rows(r: &PeriodReport, prev: &PeriodReport, s: &Style) -> Vec<FigureRow> {
    figure_rows(
        r,
        prev,
        s,
        &[
            (s.t.api_calls, "api.calls", None),
            (s.t.api_cost, "api.cost", Some(false)),
            (s.t.api_users, "api.active_users", None),
        ],
    )
}

pub fn sla_rows(
    r: &PeriodReport,
    prev: &PeriodReport,
    terms: (&crate::reports::terms::Terms, i64, i64),
    s: &Style,
) -> Vec<SlaRow> {
    let mut out = Vec::new();
    for p in s.priorities(&r.kpis) {
        for clock in [ClockKind::Response, ClockKind::Resolution] {
            let id = format!("sla.{}.{}", clock.name(), p);
            let Some(k) = r.kpis.get(&id) else { continue };
            let before = prev.kpis.get(&id);
            out.push(SlaRow {
                priority: s.labels.priority(&p),
                clock: s.t.clock(clock),
                targets: (terms.0).target_texts(terms.1, terms.2, (clock, &p), s.lang),
                attainment: s.kpi_figure(Some(k)),
                met: s.count(k.met),
                breached: s.count(k.breached),
                pending: s.count(k.pending),
                previous: s.kpi_figure(before),
                change: s.change(
                    k.value,
                    before.and_then(|b| b.value),
                    Unit::Ratio,
                    Some(true),
                ),
            });
        }
    }
    out
}

pub fn time_rows(r: &PeriodReport, prev: &PeriodReport, s: &Style) -> Vec<TimeRow> {
    [("mtta", s.t.mtta), ("mttr", s.t.mttr)]
        .iter()
        .filter_map(|&(name, label)| {
            let k = r.kpis.get(&format!("{name}.minutes"))?;
            let p = prev.kpis.get(&format!("{name}.minutes"));
            // A time the export cannot give (no `responded_at`) is no row of dashes.
            if k.value.is_none() && p.and_then(|p| p.value).is_none() {
                return None;
            }
            let get = |id: String| s.kpi_figure(r.kpis.get(&id));
            Some(TimeRow {
                label,
                mean: s.kpi_figure(Some(k)),
                p50: get(format!("{name}.p50.minutes")),
                p90: get(format!("{name}.p90.minutes")),
                count: s.count(k.count),
                previous: s.kpi_figure(p),
                change: s.change(k.value, p.and_then(|p| p.value), Unit::Minutes, Some(false)),
            })
        })
        .collect()
}

pub fn indicator_rows(set: &ReportSet, r: &PeriodReport, s: &Style) -> Vec<IndicatorRow> {
    r.indicators
        .iter()
        .map(|i| {
            let (status, status_label) = s.status(i.status);
            let guide = set.indicator_guides.get(&i.id);
            let up = guide.and_then(|g| g.higher_is_better);
            // A miss shown as its target would read as met: it gets the decimals that differ.
            let missed = matches!(i.status, Status::Breached | Status::Warning);
            let places = match (i.value, guide) {
                (Some(v), Some(g)) => s.numbers.decimals_against(v, g.target, i.unit, missed),
                _ => s.numbers.decimals(i.unit),
            };
            IndicatorRow {
                id: i.id.clone(),
                name: i.name.clone(),
                value: s.figure_with(i.value, i.unit, places),
                target: condition_text(&i.target, guide.map(|g| g.target), i.unit, s),
                alert: match &i.alert {
                    Some(a) => condition_text(a, guide.and_then(|g| g.alert), i.unit, s),
                    None => "—".into(),
                },
                status,
                status_label,
                previous: s.figure(i.previous, i.unit),
                change: s.change(i.value, i.previous, i.unit, up),
            }
        })
        .collect()
}

/// A condition as written (`<= 120`) with its number in the value's format (`≤ 2 時間`).
pub fn condition_text(written: &str, threshold: Option<f64>, unit: Unit, s: &Style) -> String {
    let w = written.trim();
    let op: String = w
        .chars()
        .take_while(|c| matches!(c, '<' | '>' | '=' | '≤' | '≥'))
        .collect();
    let words = match op.as_str() {
        ">=" | "≥" => s.t.at_least,
        "<=" | "≤" => s.t.at_most,
        "==" => s.t.equal_to,
        ">" => s.t.more_than,
        "<" => s.t.less_than,
        _ => return w.to_string(),
    };
    match threshold {
        Some(t) => words.replace("{value}", &s.value(Some(t), unit)),
        None => w.to_string(),
    }
}
