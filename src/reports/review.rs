//! The parts of monthly and quarterly reviews beyond the weekly report: 12-month trends, daily
//! availability calendars, ticket volume by category and tier, and (quarterly) the quarter's
//! months side by side.

use super::views::{guides_for, ReportPageView, SideBySide, SideRow, Style};
use super::{PeriodData, ReportSet};
use crate::charts::{self, Chart, Guides, SeriesData};
use crate::kpi::period::{Period, PeriodKind};
use crate::kpi::report::{display_value, Unit};

/// Labels of the 12 months ending with the month holding `last_day`.
fn last_twelve_months(last_day: chrono::NaiveDate, tz: chrono_tz::Tz) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = Period::containing(PeriodKind::Month, last_day, tz);
    for _ in 0..12 {
        out.push(p.label.clone());
        p = p.previous(tz);
    }
    out.reverse();
    out
}

pub fn add_review(v: &mut ReportPageView, set: &ReportSet, d: &PeriodData, s: &Style) {
    let last_day = d.period.end_day.pred_opt().unwrap_or(d.period.end_day);
    let months = last_twelve_months(last_day, set.tz);
    v.trend_charts = trend_charts(set, d, &months, s);
    if d.period.kind == PeriodKind::Month {
        v.customers = super::customers::customer_rows(set, d, s);
        v.calendars = d
            .daily
            .iter()
            .map(|(service, days)| {
                let guides = guides_for(set, &d.report, &format!("availability.{service}"));
                let service = s.labels.service(service);
                let month = s.period_name(&d.period);
                charts::calendar(
                    &format!("{} {service}", s.t.daily_availability),
                    &format!(
                        "{} {service} {month} ({} {} %)",
                        s.t.daily_availability, s.t.target, set.availability_target
                    ),
                    days,
                    Guides {
                        target: Some(set.availability_target),
                        alert: guides.alert,
                    },
                    s.japanese,
                    &|v| display_value(v, Unit::Percent),
                )
            })
            .collect();
    }
    let in_period: Vec<&PeriodData> = if d.period.kind == PeriodKind::Quarter {
        set.months
            .iter()
            .filter(|m| m.period.start >= d.period.start && m.period.end <= d.period.end)
            .collect()
    } else {
        vec![d]
    };
    v.volume_charts = ["category", "tier"]
        .iter()
        .filter_map(|what| volume_chart(what, &in_period, s))
        .collect();
    if d.period.kind == PeriodKind::Quarter {
        v.side_by_side = Some(side_by_side(d, &in_period, s));
    }
}

/// Values of `kpi` over `months` (None where there is no month or no value).
fn series(set: &ReportSet, months: &[String], kpi: &str) -> Vec<Option<f64>> {
    months
        .iter()
        .map(|m| {
            set.month(m)
                .and_then(|p| p.report.kpis.get(kpi))
                .and_then(|k| k.value)
        })
        .collect()
}

fn trend_charts(set: &ReportSet, d: &PeriodData, months: &[String], s: &Style) -> Vec<Chart> {
    let mut out = Vec::new();
    let services: Vec<&str> = d
        .report
        .kpis
        .keys()
        .filter_map(|k| k.strip_prefix("availability."))
        .collect();
    if !services.is_empty() {
        let list: Vec<SeriesData> = services
            .iter()
            .map(|name| SeriesData {
                name: s.labels.service(name),
                values: series(set, months, &format!("availability.{name}")),
            })
            .collect();
        let mut guides = guides_for(set, &d.report, &format!("availability.{}", services[0]));
        guides.target = Some(set.availability_target);
        out.push(charts::line(
            s.t.availability,
            &format!(
                "{} ({} {} %)",
                s.t.availability, s.t.target, set.availability_target
            ),
            months,
            &list,
            guides,
            true,
            &|v| display_value(v, Unit::Percent),
        ));
    }
    for i in &d.report.indicators {
        if i.kpi.starts_with("availability.") {
            continue;
        }
        let unit = i.unit;
        let scale = if unit == Unit::Ratio { 100.0 } else { 1.0 };
        let values: Vec<Option<f64>> = series(set, months, &i.kpi)
            .into_iter()
            .map(|v| v.map(|x| x * scale))
            .collect();
        let mut guides = guides_for(set, &d.report, &i.kpi);
        guides.target = guides.target.map(|x| x * scale);
        guides.alert = guides.alert.map(|x| x * scale);
        let fmt = move |v: Option<f64>| match unit {
            Unit::Ratio => display_value(v, Unit::Percent),
            _ => display_value(v, unit),
        };
        out.push(charts::line(
            &i.name,
            &format!("{} ({} {})", i.name, s.t.target, i.target),
            months,
            &[SeriesData {
                name: i.name.clone(),
                values,
            }],
            guides,
            matches!(unit, Unit::Ratio | Unit::Percent),
            &fmt,
        ));
    }
    out.push(charts::line(
        s.t.volume,
        &format!("{}: {} / {}", s.t.volume, s.t.opened, s.t.resolved),
        months,
        &[
            SeriesData {
                name: s.t.opened.to_string(),
                values: series(set, months, "tickets.opened"),
            },
            SeriesData {
                name: s.t.resolved.to_string(),
                values: series(set, months, "tickets.resolved"),
            },
        ],
        Guides::default(),
        false,
        &|v| display_value(v, Unit::Count),
    ));
    out
}

/// Tickets opened per category (or tier): one series per month of the period.
fn volume_chart(what: &str, months: &[&PeriodData], s: &Style) -> Option<Chart> {
    let prefix = format!("tickets.{what}.");
    let mut names: Vec<&str> = months
        .iter()
        .flat_map(|m| m.report.kpis.keys().filter_map(|k| k.strip_prefix(&prefix)))
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return None;
    }
    let list: Vec<SeriesData> = months
        .iter()
        .map(|m| SeriesData {
            name: s.period_name(&m.period),
            values: names
                .iter()
                .map(|n| {
                    m.report
                        .kpis
                        .get(&format!("{prefix}{n}"))
                        .and_then(|k| k.value)
                })
                .collect(),
        })
        .collect();
    let title = if what == "category" {
        s.t.by_category
    } else {
        s.t.by_tier
    };
    Some(charts::bars(
        &format!("{} {title}", s.t.volume),
        &format!("{} {title}", s.t.volume),
        &(names.iter())
            .map(|n| match what {
                "category" => s.labels.category(n),
                _ => s.labels.tier(n),
            })
            .collect::<Vec<_>>(),
        &list,
        true,
        None,
        &|v| display_value(v, Unit::Count),
    ))
}

/// The quarter's key figures with one column per month and one for the quarter.
fn side_by_side(q: &PeriodData, months: &[&PeriodData], s: &Style) -> SideBySide {
    let mut ids: Vec<(String, String)> = q
        .report
        .kpis
        .keys()
        .filter_map(|k| k.strip_prefix("availability."))
        .map(|name| {
            (
                format!("{} {}", s.t.availability, s.labels.service(name)),
                format!("availability.{name}"),
            )
        })
        .collect();
    ids.push((s.t.opened.to_string(), "tickets.opened".into()));
    ids.push((s.t.resolved.to_string(), "tickets.resolved".into()));
    ids.push((s.t.backlog.to_string(), "tickets.backlog".into()));
    for p in crate::kpi::tables::Priority::ALL {
        let id = format!("sla.resolution.{}", p.name());
        if q.report.kpis.contains_key(&id) {
            ids.push((
                format!("{} {} ({})", s.t.sla, s.labels.priority(p), s.t.resolution),
                id,
            ));
        }
    }
    ids.push((s.t.mtta.to_string(), "mtta.minutes".into()));
    ids.push((s.t.mttr.to_string(), "mttr.minutes".into()));
    ids.push((s.t.csat.to_string(), "csat.mean".into()));
    ids.push((s.t.nps.to_string(), "nps".into()));
    ids.push((s.t.api_cost.to_string(), "api.cost".into()));
    let rows = ids
        .into_iter()
        .filter(|(_, id)| q.report.kpis.contains_key(id))
        .map(|(label, id)| SideRow {
            label,
            values: months
                .iter()
                .map(|m| s.kpi_figure(m.report.kpis.get(&id)))
                .chain(std::iter::once(s.kpi_figure(q.report.kpis.get(&id))))
                .collect(),
        })
        .collect();
    SideBySide {
        columns: months
            .iter()
            .map(|m| s.period_name(&m.period))
            .chain(std::iter::once(s.t.quarter_total.to_string()))
            .collect(),
        rows,
    }
}
