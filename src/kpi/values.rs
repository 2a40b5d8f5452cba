//! Every KPI of a window, by id: tickets, SLA clocks, response and resolution times, categories
//! and tiers, availability, customers, surveys, API usage and metrics. Split from `Engine` so
//! the list of ids a site can use sits in one place.

use std::collections::BTreeMap;

use super::report::{Kpi, Unit};
use super::*;

/// Every KPI of a source with nothing in the window becomes a gap: no value. Its counts stay
/// (0 met, 0 responses …), so the keys of the output do not depend on the data.
fn gaps(k: &mut BTreeMap<String, Kpi>) {
    for kpi in k.values_mut() {
        kpi.value = None;
    }
}

impl Engine<'_> {
    /// Every KPI of `[start, cut)`. A source with nothing in the window (no ticket opened,
    /// resolved or open in it; no survey; no API day) gives gaps, not zeros.
    pub fn values(&self, start: i64, cut: i64) -> BTreeMap<String, Kpi> {
        let mut k = self.ticket_values(start, cut);
        if !self.tickets_in(start, cut) {
            gaps(&mut k);
        }
        self.availability_values(&mut k, start, cut);
        let mut more = BTreeMap::new();
        if let Some(s) = &self.data.surveys {
            let f = surveys::figures(s, start, cut);
            more.insert("csat.mean".into(), Kpi::new(f.csat_mean, Unit::Score));
            more.insert("nps".into(), Kpi::new(f.nps, Unit::Score));
            more.insert("survey.responses".into(), Kpi::count(f.responses));
            if !self.coverage.surveys_in(start, cut) {
                gaps(&mut more);
            }
        }
        k.append(&mut more);
        if let Some(u) = &self.data.api {
            let f = self.api_figures(u, start, cut);
            more.insert("api.calls".into(), Kpi::new(Some(f.calls), Unit::Number));
            more.insert("api.cost".into(), Kpi::new(Some(f.cost), Unit::Number));
            more.insert("api.active_users".into(), Kpi::count(f.active_users));
            if !self.coverage.api_in(start, cut) {
                gaps(&mut more);
            }
        }
        k.append(&mut more);
        if let Some(index) = &self.metrics {
            for (key, v) in metrics::figures(index, start, cut) {
                let unit = if key.ends_with(".count") || key.contains(".count.") {
                    Unit::Count
                } else {
                    Unit::Number
                };
                k.insert(key, Kpi::new(v, unit));
            }
        }
        k
    }

    /// Tickets, SLA clocks, response and resolution times, categories, tiers, customers.
    fn ticket_values(&self, start: i64, cut: i64) -> BTreeMap<String, Kpi> {
        let mut k = BTreeMap::new();
        k.insert(
            "tickets.opened".to_string(),
            Kpi::count(self.opened.in_range(start, cut)),
        );
        for (p, v) in &self.opened.0 {
            k.insert(
                format!("tickets.opened.{}", self.config.priority_levels.key(*p)),
                Kpi::count(in_range(v, start, cut)),
            );
        }
        let resolved_before_cut = self.resolved.before(cut);
        let resolved = self.resolved.in_range(start, cut);
        k.extend(self.outcomes.values("", resolved, start, cut));
        k.insert("tickets.resolved".into(), Kpi::count(resolved));
        // Resolution never precedes opening (rejected at load), so this is "opened, not resolved".
        k.insert(
            "tickets.backlog".into(),
            Kpi::count(self.opened.before(cut) - resolved_before_cut),
        );
        // Per priority too: the status block shows the critical tickets still open.
        for (p, opened) in &self.opened.0 {
            let resolved = (self.resolved.0)
                .get(p)
                .map_or(0, |r| r.partition_point(|&t| t < cut) as u64);
            k.insert(
                format!("tickets.backlog.{}", self.config.priority_levels.key(*p)),
                Kpi::count(opened.partition_point(|&t| t < cut) as u64 - resolved),
            );
        }
        for ((kind, p), set) in &self.clocks.overall {
            k.insert(
                format!(
                    "sla.{}.{}",
                    kind.name(),
                    self.config.priority_levels.key(*p)
                ),
                sla_kpi(set.counts(start, cut)),
            );
        }
        for (name, times) in [
            ("mtta", &self.response_times),
            ("mttr", &self.resolution_times),
        ] {
            let m = times.minutes_in(start, cut);
            let n = Some(m.len() as u64);
            for (key, v) in [
                (format!("{name}.minutes"), stats::mean(&m)),
                (format!("{name}.p50.minutes"), stats::percentile(&m, 0.5)),
                (format!("{name}.p90.minutes"), stats::percentile(&m, 0.9)),
            ] {
                let mut kpi = Kpi::new(v, Unit::Minutes);
                kpi.count = n;
                k.insert(key, kpi);
            }
        }
        for (prefix, map) in [
            ("tickets.category", &self.by_category),
            ("tickets.tier", &self.by_tier),
        ] {
            for (value, v) in map {
                k.insert(
                    format!("{prefix}.{value}"),
                    Kpi::count(in_range(v, start, cut)),
                );
            }
        }
        for c in &self.customers {
            k.extend(contracts::customer_values(
                c,
                (&self.clocks, &self.config.priority_levels),
                start,
                cut,
            ));
        }
        k
    }

    /// Availability, downtime and error budget per service, over the part of the window the
    /// exports cover (from `coverage.from`): none before the data begins.
    fn availability_values(&self, k: &mut BTreeMap<String, Kpi>, start: i64, cut: i64) {
        let start = self
            .coverage
            .from
            .map_or(cut, |from| from.max(start).min(cut));
        // Services listed in `availability.services` are reported even without outage data.
        let no_outages = tables::Outages::default();
        let outages = self.data.downtime.as_ref().unwrap_or(&no_outages);
        for s in &self.services {
            let a = availability::service_availability(
                outages,
                s,
                &self.maintenance,
                self.config.availability.target_of(s),
                self.tz,
                start,
                cut,
            );
            let covered = start < cut;
            k.insert(
                format!("availability.{s}"),
                Kpi::new(a.availability.filter(|_| covered), Unit::Percent),
            );
            k.insert(
                format!("downtime.{s}.minutes"),
                Kpi::new(Some(a.downtime_minutes).filter(|_| covered), Unit::Minutes),
            );
            k.insert(
                format!("error_budget.{s}.remaining_minutes"),
                Kpi::new(
                    a.error_budget_remaining_minutes.filter(|_| covered),
                    Unit::Minutes,
                ),
            );
        }
    }
}
