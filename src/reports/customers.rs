//! The internal monthly review's table of customers: for each customer edition, the month's
//! tickets and its SLA attainment per priority under its own contract, with a link to the
//! edition's page of the same month. Only the internal site has it (an edition's set has no
//! customers).

pub use super::page_view::{CustomerRow, CustomerSlaRow};
use super::style::Style;
use super::{PeriodData, ReportSet};
use crate::kpi::report::Unit;
use crate::kpi::sla::ClockKind;

/// One row per customer edition for the period `d` of the internal set.
pub fn customer_rows(set: &ReportSet, d: &PeriodData, s: &Style) -> Vec<CustomerRow> {
    (set.customers.iter())
        .filter_map(|c| {
            let own = c.set.month(&d.period.label)?;
            let r = &own.report;
            let count = |id: &str| s.kpi_figure(r.kpis.get(id));
            let sla = |clock: ClockKind, p: &str| {
                let k = r.kpis.get(&format!("sla.{}.{}", clock.name(), p))?;
                let n = |v: Option<u64>| s.numbers.show(v.map(|v| v as f64), Unit::Count);
                let counts = format!("{} / {} / {}", n(k.met), n(k.breached), n(k.pending));
                Some(crate::i18n::formats::fill(
                    s.lang.vocabulary().formats.figure_with_counts,
                    &[("figure", &s.kpi(Some(k))), ("counts", &counts)],
                ))
            };
            let figures = |clock: ClockKind, p: &str| {
                let k = r.kpis.get(&format!("sla.{}.{}", clock.name(), p));
                [
                    s.kpi_figure(k),
                    s.count(k.and_then(|k| k.met)),
                    s.count(k.and_then(|k| k.breached)),
                    s.count(k.and_then(|k| k.pending)),
                ]
            };
            let priorities = (s.priorities(&r.kpis).iter())
                .filter_map(|p| {
                    let (response, resolution) =
                        (sla(ClockKind::Response, p), sla(ClockKind::Resolution, p));
                    (response.is_some() || resolution.is_some()).then(|| CustomerSlaRow {
                        priority: s.labels.priority(p),
                        response: response.unwrap_or_else(|| "—".into()),
                        resolution: resolution.unwrap_or_else(|| "—".into()),
                        figures: (figures(ClockKind::Response, p).into_iter())
                            .chain(figures(ClockKind::Resolution, p))
                            .collect(),
                    })
                })
                .collect();
            // Every contract in force in the period, as the customer's own report states them.
            let cut = d.period.end.min(set.as_of).max(d.period.start + 1);
            let contracts = c.set.terms.contract_names(d.period.start, cut, s.lang);
            Some(CustomerRow {
                name: c.name.clone(),
                contract: match contracts.is_empty() {
                    true => c.contract.clone(),
                    false => contracts.join(s.t.list_separator),
                },
                url: format!("{}{}", c.base_url, own.url.trim_start_matches('/')),
                opened: count("tickets.opened"),
                resolved: count("tickets.resolved"),
                backlog: count("tickets.backlog"),
                priorities,
            })
        })
        .collect()
}
