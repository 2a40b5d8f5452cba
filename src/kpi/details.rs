//! Per-item results for the report pages, apart from the KPI values: which tickets breached
//! their SLA in a window, which outages touched it, and availability day by day. They grow with
//! the data, so they are not part of `PeriodReport` (the `opsite kpi` JSON stays the same size).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::availability::service_availability;
use super::period::midnight;
use super::sla::{stop_of, ClockKind};
use super::tables::Outages;
use super::Engine;

/// An indicator's lines for charts and the direction its changes are good in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorGuide {
    pub target: f64,
    pub alert: Option<f64>,
    pub higher_is_better: Option<bool>,
}

/// One breached SLA clock whose deadline fell in the window. Instants are UTC seconds, written
/// as RFC 3339 in snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreachedTicket {
    pub id: String,
    pub title: Option<String>,
    pub customer: Option<String>,
    /// The level's key (`critical`, `p5`): a frozen snapshot keeps the key it was frozen with.
    pub priority: String,
    pub clock: ClockKind,
    #[serde(with = "instant")]
    pub opened: i64,
    #[serde(with = "instant")]
    pub deadline: i64,
    /// When the clock stopped, if it stopped before the cut.
    #[serde(with = "maybe_instant")]
    pub stopped: Option<i64>,
    /// Seconds past the deadline, to the stop or to the cut for a clock still running, on the
    /// target's calendar: business time for a business-hours target (a deadline on Friday 17:51
    /// met on Monday 9:09 is 18 minutes late, not 2 days), all of it around the clock.
    pub late_seconds: i64,
    /// The contract (its place in `contracts:`) the ticket was measured under; none without
    /// contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<u16>,
}

/// One ticket handled in a window: opened in it, resolved in it, or still open at its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandledTicket {
    pub id: String,
    pub title: Option<String>,
    pub customer: Option<String>,
    /// The level's key.
    pub priority: String,
    #[serde(with = "instant")]
    pub opened: i64,
    /// Resolved before the cut.
    #[serde(with = "maybe_instant")]
    pub resolved: Option<i64>,
    /// Its clocks that missed their deadline by the cut (response first).
    pub breached: Vec<ClockKind>,
}

/// One outage overlapping the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutageItem {
    pub service: String,
    #[serde(with = "instant")]
    pub start: i64,
    /// None: still going on at the cut.
    #[serde(with = "maybe_instant")]
    pub end: Option<i64>,
    pub planned: bool,
    /// Minutes inside the window.
    pub minutes_in_window: f64,
}

impl Engine<'_> {
    /// Breached clocks with deadlines in `[start, cut)`, latest deadline first.
    pub fn breached_tickets(&self, start: i64, cut: i64) -> Vec<BreachedTicket> {
        let b = &self.clocks.breaches;
        let from = b.partition_point(|x| x.deadline < start);
        let to = b.partition_point(|x| x.deadline < cut);
        let t = &self.data.tickets;
        b[from..to]
            .iter()
            .rev()
            .map(|x| {
                let i = x.ticket as usize;
                let stopped = stop_of(t, i, x.key.0).filter(|&s| s < cut);
                BreachedTicket {
                    id: t.id[i].to_string(),
                    title: t.title(i).map(str::to_string),
                    customer: t.customer_name(i).map(str::to_string),
                    priority: self.config.priority_levels.key(x.key.1).to_string(),
                    clock: x.key.0,
                    opened: t.opened[i],
                    deadline: x.deadline,
                    stopped,
                    late_seconds: self.late(x, stopped.unwrap_or(cut)),
                    contract: (!self.config.contracts.is_empty()).then_some(x.set),
                }
            })
            .collect()
    }

    /// How late a breached clock is at `end`, on its target's calendar.
    fn late(&self, b: &super::sla::Breach, end: i64) -> i64 {
        let target = (self.targets.get(b.set as usize)).and_then(|t| t.get(&b.key));
        match target.map(|t| &t.calendar) {
            Some(cal @ super::calendar::Calendar::Business(_)) => (cal.open_spans(b.deadline, end))
                .iter()
                .map(|(a, z)| z - a)
                .sum(),
            _ => end - b.deadline,
        }
    }

    /// Every ticket handled in `[start, cut)`: opened in it, resolved in it, or open at the cut
    /// (opened before it), in order of opening, with the clocks it had breached by the cut.
    pub fn handled_tickets(&self, start: i64, cut: i64) -> Vec<HandledTicket> {
        let t = &self.data.tickets;
        let mut breached: std::collections::HashMap<u32, Vec<ClockKind>> = Default::default();
        let b = &self.clocks.breaches;
        for x in &b[..b.partition_point(|x| x.deadline < cut)] {
            breached.entry(x.ticket).or_default().push(x.key.0);
        }
        let mut out: Vec<HandledTicket> = (0..t.len())
            .filter(|&i| {
                let resolved = t.resolved.get(i).filter(|&r| r < cut);
                let opened = t.opened[i];
                (opened >= start && opened < cut)
                    || resolved.is_some_and(|r| r >= start)
                    || (opened < cut && resolved.is_none())
            })
            .map(|i| {
                let mut clocks = breached.remove(&(i as u32)).unwrap_or_default();
                clocks.sort_by_key(|c| matches!(c, ClockKind::Resolution));
                clocks.dedup();
                HandledTicket {
                    id: t.id[i].to_string(),
                    title: t.title(i).map(str::to_string),
                    customer: t.customer_name(i).map(str::to_string),
                    priority: self.config.priority_levels.key(t.priority[i]).to_string(),
                    opened: t.opened[i],
                    resolved: t.resolved.get(i).filter(|&r| r < cut),
                    breached: clocks,
                }
            })
            .collect();
        out.sort_by(|a, b| (a.opened, &a.id).cmp(&(b.opened, &b.id)));
        out
    }

    /// The windows of `availability.maintenance` overlapping `[start, cut)`, in order, merged.
    pub fn maintenance_in(&self, start: i64, cut: i64) -> Vec<(i64, i64)> {
        let all = (self.maintenance.iter())
            .flat_map(|m| m.windows(start, cut, self.tz))
            .collect();
        super::intervals::merge(all)
    }

    /// Outages overlapping `[start, cut)`, in order of their start.
    pub fn outages_in(&self, start: i64, cut: i64) -> Vec<OutageItem> {
        let Some(o) = self.data.downtime.as_ref() else {
            return Vec::new();
        };
        let mut out: Vec<OutageItem> = (0..o.start.len())
            .filter(|&i| o.start[i] < cut && o.end[i].is_none_or(|e| e > start))
            .map(|i| {
                let end = o.end[i].filter(|&e| e <= cut);
                let a = o.start[i].max(start);
                let b = o.end[i].unwrap_or(cut).min(cut);
                OutageItem {
                    service: o.service[i].clone(),
                    start: o.start[i],
                    end,
                    planned: o.planned[i],
                    minutes_in_window: (b - a).max(0) as f64 / 60.0,
                }
            })
            .collect();
        out.sort_by(|a, b| (a.start, &a.service).cmp(&(b.start, &b.service)));
        out
    }

    /// Availability (percent) of `service` for each local day of `[first, end)` that has begun
    /// by `cut`; later days are None.
    pub fn daily_availability(
        &self,
        service: &str,
        first: NaiveDate,
        end: NaiveDate,
        cut: i64,
    ) -> Vec<(NaiveDate, Option<f64>)> {
        let mut out = Vec::new();
        let mut day = first;
        while day < end {
            let b = midnight(self.tz, day + Duration::days(1)).min(cut);
            out.push((
                day,
                self.availability_between(service, midnight(self.tz, day), b),
            ));
            day += Duration::days(1);
        }
        out
    }

    /// Availability (percent) of `service` over `[start, cut)`, counting only the part the
    /// exports cover (none before they begin), as a period's own availability does.
    pub fn availability_between(&self, service: &str, start: i64, cut: i64) -> Option<f64> {
        let none = Outages::default();
        let outages = self.data.downtime.as_ref().unwrap_or(&none);
        let a = (self.coverage.from).map_or(cut, |from| start.max(from));
        if a >= cut {
            return None;
        }
        service_availability(
            outages,
            service,
            &self.maintenance,
            self.config.availability.target_of(service),
            self.tz,
            a,
            cut,
        )
        .availability
    }

    /// The data has an outage export (`data.downtime`), empty or not.
    pub fn has_downtime(&self) -> bool {
        self.data.downtime.is_some()
    }

    /// The recurring maintenance windows (`availability.maintenance`) that end after `from`
    /// and start before `to`, whole (not cut at either end), in order.
    pub fn maintenance_windows(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        // Windows are at most a day long: looking a day either side finds every one whole.
        let all = (self.maintenance.iter())
            .flat_map(|m| m.windows(from - 86_400, to + 86_400, self.tz))
            .collect();
        super::intervals::merge(all)
            .into_iter()
            .filter(|&(a, b)| b > from && a < to)
            .collect()
    }

    /// Indicator id → its target, alert and good direction, in the KPI's unit.
    pub fn indicator_guides(&self) -> std::collections::BTreeMap<String, IndicatorGuide> {
        self.config
            .indicators
            .iter()
            .zip(&self.indicators)
            .map(|(cfg, (target, alert))| {
                (
                    cfg.id.clone(),
                    IndicatorGuide {
                        target: target.threshold(),
                        alert: alert.as_ref().map(|a| a.threshold()),
                        higher_is_better: target.higher_is_better(),
                    },
                )
            })
            .collect()
    }

    /// The availability target of `site.yaml` (percent).
    pub fn availability_target(&self) -> f64 {
        self.config.availability.target
    }

    /// Each service's own availability target (percent), where it has one.
    pub fn availability_targets(&self) -> std::collections::BTreeMap<String, f64> {
        self.config.availability.targets.clone()
    }

    /// Services with availability figures (configured or seen in the outages).
    pub fn services(&self) -> Vec<&str> {
        self.services.iter().map(String::as_str).collect()
    }

    /// `services`, those of `availability.services` first in that order, then the others.
    pub fn services_as_listed(&self) -> Vec<&str> {
        let listed = &self.config.availability.services;
        let mut out = self.services();
        out.sort_by_key(|s| (listed.iter().position(|l| l == s).unwrap_or(usize::MAX), *s));
        out
    }
}

/// UTC seconds as RFC 3339 (`2026-10-03T04:05:06Z`), readable in a snapshot.
mod instant {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &i64, s: S) -> Result<S::Ok, S::Error> {
        match chrono::DateTime::from_timestamp(*t, 0) {
            Some(d) => s.serialize_str(&d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            None => s.serialize_i64(*t),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let text = String::deserialize(d)?;
        chrono::DateTime::parse_from_rfc3339(&text)
            .map(|t| t.timestamp())
            .map_err(|e| serde::de::Error::custom(format!("`{text}`: {e}")))
    }
}

mod maybe_instant {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::instant::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
                .map(|t| Some(t.timestamp()))
                .map_err(|e| serde::de::Error::custom(format!("`{text}`: {e}"))),
        }
    }
}
