//! The status page's figures (`/status/`, `status.json`, its Atom feed): each service's state
//! at `as_of`, its availability day by day and over the last 30 days and the whole history, the
//! outages of that history and the maintenance windows ahead. Computed from the KPI engine once
//! per report set, so a customer edition's board holds that customer's services only.

use chrono::{Duration, NaiveDate, TimeZone};

use crate::config::reports::StatusSettings;
use crate::kpi::details::OutageItem;
use crate::kpi::period::midnight;
use crate::kpi::Engine;

/// Everything the status page, `status.json` and the feed show.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusBoard {
    /// Site path of the page (`/status/`).
    pub url: String,
    pub as_of: i64,
    /// The local days of the history, oldest first; the last is `as_of`'s day (so far).
    pub days: Vec<NaiveDate>,
    pub services: Vec<ServiceStatus>,
    /// Outages overlapping the history, newest first.
    pub incidents: Vec<OutageItem>,
    /// (service, start) of the outages before the history (a note about one is not shown, and
    /// not a mistake either).
    pub earlier: Vec<(String, i64)>,
    /// Per service (in `services`' order), per day of `days`: the indexes in `incidents` of the
    /// outages overlapping that local day, oldest first (found once, not by a scan per day).
    pub by_day: Vec<Vec<Vec<usize>>>,
    /// Maintenance windows ending after `as_of` and starting within `upcoming_days`.
    pub maintenance: Vec<(i64, i64)>,
    /// The maintenance windows of the history (for the days' details).
    pub past_windows: Vec<(i64, i64)>,
    /// How far ahead `maintenance` looks, in days.
    pub upcoming_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceState {
    Operational,
    /// A planned outage or a maintenance window is going on.
    Maintenance,
    /// An unplanned outage with no end (by `as_of`) is going on.
    Outage,
}

impl ServiceState {
    pub fn code(self) -> &'static str {
        match self {
            ServiceState::Operational => "operational",
            ServiceState::Maintenance => "maintenance",
            ServiceState::Outage => "outage",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceStatus {
    /// The service's code in the data (`portal`).
    pub name: String,
    pub state: ServiceState,
    /// Percent over the last 30 days (from local midnight 29 days before `as_of`'s day), and
    /// over the last 90, whatever the history's length.
    pub uptime_30d: Option<f64>,
    pub uptime_90d: Option<f64>,
    /// Percent per day of `StatusBoard::days`; None where the exports do not cover the day.
    pub days: Vec<Option<f64>>,
}

/// The board at `as_of`; None when the data has no outage export.
pub fn board(engine: &Engine, as_of: i64, settings: &StatusSettings) -> Option<StatusBoard> {
    if !engine.has_downtime() {
        return None;
    }
    let tz = engine.tz;
    let today = tz
        .timestamp_opt(as_of, 0)
        .single()
        .map(|d| d.date_naive())
        .unwrap_or_default();
    let first = today - Duration::days(i64::from(settings.days) - 1);
    let days: Vec<NaiveDate> = first.iter_days().take(settings.days as usize).collect();
    let start = midnight(tz, first);
    let days_back = |n: i64| midnight(tz, today - Duration::days(n - 1));
    let maintenance_now = engine.maintenance_windows(as_of, as_of + 1);
    let all = engine.outages_in(start, as_of.max(start));
    let services: Vec<ServiceStatus> = engine
        .services_as_listed()
        .into_iter()
        .map(|name| {
            let ongoing = all.iter().filter(|o| o.service == name && o.end.is_none());
            let state = state_of(ongoing, !maintenance_now.is_empty());
            ServiceStatus {
                name: name.to_string(),
                state,
                uptime_30d: engine.availability_between(name, days_back(30), as_of),
                uptime_90d: engine.availability_between(name, days_back(90), as_of),
                days: engine
                    .daily_availability(name, first, today + Duration::days(1), as_of)
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect(),
            }
        })
        .collect();
    let earlier = (engine.outages_in(i64::MIN / 4, start).into_iter())
        .filter(|o| o.start < start)
        .map(|o| (o.service, o.start))
        .collect();
    let mut incidents = all;
    incidents.sort_by(|a, b| (b.start, &b.service).cmp(&(a.start, &a.service)));
    let ahead = as_of + i64::from(settings.upcoming_days) * 86_400;
    let by_day = outages_by_day(&services, &incidents, first, days.len(), as_of, tz);
    Some(StatusBoard {
        by_day,
        url: settings.url.clone(),
        as_of,
        days,
        services,
        incidents,
        earlier,
        past_windows: engine.maintenance_windows(start, as_of),
        upcoming_days: settings.upcoming_days,
        maintenance: if settings.upcoming_days == 0 {
            Vec::new()
        } else {
            engine.maintenance_windows(as_of, ahead)
        },
    })
}

/// Which outages (indexes in `incidents`, newest first) overlap each local day of the history,
/// per service: each outage is put into the days from its start's to its last minute's.
fn outages_by_day(
    services: &[ServiceStatus],
    incidents: &[OutageItem],
    first: NaiveDate,
    days: usize,
    as_of: i64,
    tz: chrono_tz::Tz,
) -> Vec<Vec<Vec<usize>>> {
    let mut out = vec![vec![Vec::new(); days]; services.len()];
    let local_day = |t: i64| {
        tz.timestamp_opt(t, 0)
            .single()
            .map(|d| (d.date_naive() - first).num_days())
    };
    // Oldest first, as the page lists a day's outages.
    for (i, o) in incidents.iter().enumerate().rev() {
        let Some(s) = services.iter().position(|s| s.name == o.service) else {
            continue;
        };
        let end = o.end.unwrap_or(as_of).max(o.start + 1);
        let (Some(a), Some(b)) = (local_day(o.start), local_day(end - 1)) else {
            continue;
        };
        for d in a.max(0)..=b.min(days as i64 - 1) {
            out[s][d as usize].push(i);
        }
    }
    out
}

/// An unplanned outage going on outweighs maintenance; planned work or a window is maintenance.
fn state_of<'a>(ongoing: impl Iterator<Item = &'a OutageItem>, in_window: bool) -> ServiceState {
    let mut state = if in_window {
        ServiceState::Maintenance
    } else {
        ServiceState::Operational
    };
    for o in ongoing {
        if !o.planned {
            return ServiceState::Outage;
        }
        state = ServiceState::Maintenance;
    }
    state
}

impl StatusBoard {
    /// The outages of the `service`-th service overlapping the `day`-th day, oldest first.
    pub fn outages_on(&self, service: usize, day: usize) -> Vec<&OutageItem> {
        (self.by_day.get(service).and_then(|d| d.get(day))).map_or_else(Vec::new, |list| {
            list.iter().map(|&i| &self.incidents[i]).collect()
        })
    }

    /// The maintenance windows overlapping the local day `day`.
    pub fn windows_on(&self, day: NaiveDate, tz: chrono_tz::Tz) -> Vec<(i64, i64)> {
        let (a, b) = (midnight(tz, day), midnight(tz, day + Duration::days(1)));
        (self.past_windows.iter())
            .filter(|w| w.0 < b && w.1 > a)
            .copied()
            .collect()
    }

    /// Where a bilingual site's other language shows it (`/en/status/`).
    pub fn relocate(&mut self, prefix: &str) {
        if self.url.starts_with('/') {
            self.url = format!("{prefix}{}", self.url);
        }
    }
}
