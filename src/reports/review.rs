//! The parts of monthly and quarterly reviews beyond the weekly report: 12-month trends, daily
//! availability calendars, ticket volume by category and tier, and (quarterly) the quarter's
//! months side by side.

use super::guides_for;
use super::page_view::{ReportPageView, SideBySide, SideRow};
use super::style::Style;
use super::{PeriodData, ReportSet};
use std::collections::BTreeMap;

use crate::charts::{self, Axis, Bars, Chart, Guides, Lines, SeriesData};
use crate::kpi::period::{Period, PeriodKind};
use crate::kpi::report::Unit;

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
    let mut months = last_twelve_months(last_day, set.tz);
    // The trends start where the data does: months before the first exported one would be an
    // empty half of every chart.
    if let Some(first) = set.months.first() {
        months.retain(|m| m.as_str() >= first.period.label.as_str());
    }
    v.trend_charts = trend_charts(set, d, &months, s);
    if d.period.kind == PeriodKind::Month {
        v.customers = super::customers::customer_rows(set, d, s);
        v.calendars = (d.daily.iter())
            .map(|(service, days)| availability_calendar(set, d, s, service, days))
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
        .filter_map(|what| volume_chart(what, &in_period, s, set.top_categories))
        .collect();
    if d.period.kind == PeriodKind::Quarter {
        v.side_by_side = Some(side_by_side(d, &in_period, s));
    }
}

/// One service's days of the month, with its outages and maintenance marked on them.
fn availability_calendar(
    set: &ReportSet,
    d: &PeriodData,
    s: &Style,
    service: &str,
    days: &[(chrono::NaiveDate, Option<f64>)],
) -> Chart {
    let guides = guides_for(set, &d.report, &format!("availability.{service}"));
    let (marks, events) = day_events(set, d, s, service, days);
    let name = s.labels.service(service);
    let month = s.period_name(&d.period);
    charts::calendar(&charts::Month {
        title: &format!("{} {name}", s.t.daily_availability),
        description: &format!(
            "{} {name} {month} ({} {})",
            s.t.daily_availability,
            s.t.target,
            s.numbers
                .show(Some(set.availability_target_of(service)), Unit::Percent)
        ),
        days,
        marks: &marks,
        events: &events,
        legend: [s.t.unplanned, s.t.planned, s.t.outages],
        guides: Guides {
            target: Some(set.availability_target_of(service)),
            alert: guides.alert,
        },
        lang: s.lang,
        fmt: &|v| s.numbers.show(v, Unit::Percent),
    })
}

/// For each day, the marks of the service's outages touching it and what they were
/// (「計画外 10:00–13:20」, times local, an outage over midnight on each of its days).
fn day_events(
    set: &ReportSet,
    d: &PeriodData,
    s: &Style,
    service: &str,
    days: &[(chrono::NaiveDate, Option<f64>)],
) -> (Vec<charts::DayMarks>, Vec<String>) {
    use chrono::TimeZone;
    let mut marks = vec![charts::DayMarks::default(); days.len()];
    let mut events = vec![Vec::new(); days.len()];
    let local = |t: i64| set.tz.timestamp_opt(t, 0).single().map(|x| x.naive_local());
    let recurring = (d.maintenance.iter()).map(|&(a, b)| (a, Some(b), true, s.t.maintenance));
    let exported = (d.outages.iter())
        .filter(|o| o.service == service)
        .map(|o| {
            let word = if o.planned {
                s.t.planned
            } else {
                s.t.unplanned
            };
            (o.start, o.end, o.planned, word)
        });
    // An outage still going on is marked up to the as-of (or the month's end), not beyond.
    let cut = set.as_of.min(d.period.end);
    for (from, to, planned, word) in exported.chain(recurring) {
        let (Some(start), Some(end)) = (local(from), local(to.unwrap_or(cut))) else {
            continue;
        };
        let until = match to {
            Some(_) => end.format("%H:%M").to_string(),
            None => "…".to_string(),
        };
        for (i, (day, _)) in days.iter().enumerate() {
            // The event overlaps the day's hours (one ending at midnight is not on the next day).
            let day_start = day.and_time(chrono::NaiveTime::MIN);
            let day_end = day_start + chrono::Duration::days(1);
            if start >= day_end || end <= day_start {
                continue;
            }
            if planned {
                marks[i].maintenance = true;
            } else {
                marks[i].outage = true;
            }
            events[i].push(format!("{word} {}–{until}", start.format("%H:%M")));
        }
    }
    (marks, events.into_iter().map(|e| e.join(", ")).collect())
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
    // The months as a reader names them (`2026年9月`); the ids stay in `months`.
    // Short, so twelve fit under a chart on a phone (the chart's title says the months are the
    // last twelve; its numbers table names each in full).
    let f = &s.lang.vocabulary().formats;
    let names: Vec<String> = (months.iter())
        .map(|m| {
            chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .map_or_else(|_| m.clone(), |d| d.format(f.month_axis).to_string())
        })
        .collect();
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
        // One target line when every service shares its target.
        let targets: Vec<f64> = services
            .iter()
            .map(|n| set.availability_target_of(n))
            .collect();
        let same = targets.windows(2).all(|w| w[0] == w[1]);
        guides.target = same.then(|| targets[0]);
        let stated = match same {
            true => s.numbers.show(Some(targets[0]), Unit::Percent),
            false => (services.iter().zip(&targets))
                .map(|(n, t)| {
                    let shown = s.numbers.show(Some(*t), Unit::Percent);
                    format!("{} {shown}", s.labels.service(n))
                })
                .collect::<Vec<_>>()
                .join(s.t.list_separator),
        };
        out.push(charts::line(&Lines {
            title: s.t.availability,
            description: &format!("{} ({} {stated})", s.t.availability, s.t.target),
            labels: &names,
            series: &list,
            guides,
            axis: Axis::Percent,
            words: s.t,
            fmt: &|v| s.value(v, Unit::Percent),
        }));
    }
    for i in &d.report.indicators {
        if i.kpi.starts_with("availability.") {
            continue;
        }
        let (axis, scale) = s.chart_axis(i.unit);
        let values: Vec<Option<f64>> = series(set, months, &i.kpi)
            .into_iter()
            .map(|v| v.map(|x| x * scale))
            .collect();
        let mut guides = guides_for(set, &d.report, &i.kpi);
        guides.target = guides.target.map(|x| x * scale);
        guides.alert = guides.alert.map(|x| x * scale);
        out.push(charts::line(&Lines {
            title: &i.name,
            description: &format!(
                "{} ({} {})",
                i.name,
                s.t.target,
                super::rows::condition_text(
                    &i.target,
                    set.indicator_guides.get(&i.id).map(|g| g.target),
                    i.unit,
                    s
                )
            ),
            labels: &names,
            series: &[SeriesData {
                name: i.name.clone(),
                values,
            }],
            guides,
            axis,
            words: s.t,
            fmt: &|v| s.chart_value(v, i.unit),
        }));
    }
    out.push(charts::line(&Lines {
        title: s.t.volume,
        description: &format!("{}: {} / {}", s.t.volume, s.t.opened, s.t.resolved),
        labels: &names,
        series: &[
            SeriesData {
                name: s.t.opened.to_string(),
                values: series(set, months, "tickets.opened"),
            },
            SeriesData {
                name: s.t.resolved.to_string(),
                values: series(set, months, "tickets.resolved"),
            },
        ],
        guides: Guides::default(),
        axis: Axis::Plain,
        words: s.t,
        fmt: &|v| s.numbers.show(v, Unit::Count),
    }));
    out
}

/// Tickets opened per category (or tier), one series per month of the period: the `top` most
/// frequent by count (ties in natural order: `Group 6` before `Group 59`), the rest as one
/// 「その他」 bar and tickets without a value as 「未設定」, so every ticket opened is counted
/// once. Names without a ticket in the period are left out.
fn volume_chart(what: &str, months: &[&PeriodData], s: &Style, top: usize) -> Option<Chart> {
    let prefix = format!("tickets.{what}.");
    let mut counts: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (i, m) in months.iter().enumerate() {
        for (name, k) in
            (m.report.kpis.iter()).filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?, v)))
        {
            counts
                .entry(name)
                .or_insert_with(|| vec![0.0; months.len()])[i] += k.value.unwrap_or(0.0);
        }
    }
    if counts.is_empty() {
        return None;
    }
    let opened: Vec<f64> = (months.iter())
        .map(|m| {
            m.report
                .kpis
                .get("tickets.opened")
                .and_then(|k| k.value)
                .unwrap_or(0.0)
        })
        .collect();
    let unset: Vec<f64> = (0..months.len())
        .map(|i| (opened[i] - counts.values().map(|c| c[i]).sum::<f64>()).max(0.0))
        .collect();
    let mut ranked: Vec<(&str, Vec<f64>, f64)> = (counts.into_iter())
        .map(|(n, c)| {
            let total = c.iter().sum();
            (n, c, total)
        })
        .filter(|(_, _, total)| *total > 0.0)
        .collect();
    ranked.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| crate::content::natural::compare(a.0, b.0))
    });
    let rest = ranked.split_off(top.max(1).min(ranked.len()));
    let mut names: Vec<String> = (ranked.iter())
        .map(|(n, _, _)| match what {
            "category" => s.labels.category(n),
            _ => s.labels.tier(n),
        })
        .collect();
    let mut columns: Vec<Vec<f64>> = ranked.into_iter().map(|(_, c, _)| c).collect();
    if !rest.is_empty() {
        names.push(s.t.other_values.replace("{n}", &rest.len().to_string()));
        columns.push(
            (0..months.len())
                .map(|i| rest.iter().map(|r| r.1[i]).sum())
                .collect(),
        );
    }
    if unset.iter().sum::<f64>() > 0.0 {
        names.push(s.t.unset_value.to_string());
        columns.push(unset);
    }
    let list: Vec<SeriesData> = (months.iter().enumerate())
        .map(|(i, m)| SeriesData {
            name: s.period_name(&m.period),
            values: columns.iter().map(|c| Some(c[i])).collect(),
        })
        .collect();
    let title = format!(
        "{} {}",
        s.t.volume,
        if what == "category" {
            s.t.by_category
        } else {
            s.t.by_tier
        }
    );
    Some(charts::bars(&Bars {
        title: &title,
        description: &title,
        categories: &names,
        series: &list,
        horizontal: true,
        max: None,
        fmt: &|v| s.numbers.show(v, Unit::Count),
    }))
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
    for p in s.priorities(&q.report.kpis) {
        let id = format!("sla.resolution.{p}");
        if q.report.kpis.contains_key(&id) {
            ids.push((
                format!("{} {} ({})", s.t.sla, s.labels.priority(&p), s.t.resolution),
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
