//! Which stretches of time the exports say something about. A period in which no source has a
//! row (and no ticket is open) is not a period of the site: it gets no report page and is not
//! in `--period all`. A KPI whose source has nothing in a period is a gap, not 0. Availability
//! counts only from the day of the first row of any source (or the downtime export's
//! `covers.from`): before it, no outage export could have said anything.

use super::tables::{DataSet, Tickets};
use super::zone::LocalZone;

/// What the exports cover, per source, as sorted times and spans.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Tickets: each ticket from opening to resolution (to the end of time while open), merged
    /// into disjoint spans, sorted.
    tickets: Vec<(i64, i64)>,
    surveys: Vec<i64>,
    /// API usage: the start of each day with a row.
    api: Vec<i64>,
    /// Outages: starts and ends.
    downtime: Vec<i64>,
    /// The start of the day of the earliest row of any source (exports speak for whole days),
    /// or `covers.from` of the downtime export when given.
    pub from: Option<i64>,
}

impl Coverage {
    /// `metrics_first`: the earliest metric sample (the metric index knows it).
    pub fn new(data: &DataSet, zone: &LocalZone, covers_from: Option<i64>, metrics_first: Option<i64>) -> Coverage {
        let tickets = ticket_spans(&data.tickets);
        let mut surveys = data.surveys.as_ref().map_or_else(Vec::new, |s| s.at.clone());
        surveys.sort_unstable();
        let mut api: Vec<i64> = (data.api.iter())
            .flat_map(|u| u.date.iter())
            .map(|d| zone.to_utc(d.and_hms_opt(0, 0, 0).expect("midnight")))
            .collect();
        api.sort_unstable();
        api.dedup();
        let mut downtime: Vec<i64> = (data.downtime.iter())
            .flat_map(|o| o.start.iter().copied().chain(o.end.iter().flatten().copied()))
            .collect();
        downtime.sort_unstable();
        let earliest = [
            tickets.first().map(|s| s.0),
            surveys.first().copied(),
            api.first().copied(),
            downtime.first().copied(),
            metrics_first,
        ]
        .into_iter()
        .flatten()
        .min()
        .map(|t| zone.to_utc(zone.local_date(t).and_hms_opt(0, 0, 0).expect("midnight")));
        Coverage {
            tickets,
            surveys,
            api,
            downtime,
            from: covers_from.or(earliest),
        }
    }

    /// Some ticket was opened, resolved or open during `[start, end)`.
    pub fn tickets_in(&self, start: i64, end: i64) -> bool {
        let i = self.tickets.partition_point(|s| s.0 < end);
        i > 0 && self.tickets[i - 1].1 >= start
    }

    pub fn surveys_in(&self, start: i64, end: i64) -> bool {
        stamp_in(&self.surveys, start, end)
    }

    pub fn api_in(&self, start: i64, end: i64) -> bool {
        stamp_in(&self.api, start, end)
    }

    /// Any source but the metrics has something in `[start, end)`.
    pub fn any_in(&self, start: i64, end: i64) -> bool {
        self.tickets_in(start, end)
            || self.surveys_in(start, end)
            || self.api_in(start, end)
            || stamp_in(&self.downtime, start, end)
    }
}

fn stamp_in(sorted: &[i64], start: i64, end: i64) -> bool {
    let i = sorted.partition_point(|&t| t < start);
    i < sorted.len() && sorted[i] < end
}

/// Each ticket's [opened, resolved] (resolved inclusive: a ticket resolved at a period's first
/// instant belongs to it), merged.
fn ticket_spans(t: &Tickets) -> Vec<(i64, i64)> {
    let mut spans: Vec<(i64, i64)> = (0..t.len())
        .map(|i| (t.opened[i], t.resolved[i].unwrap_or(i64::MAX)))
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len().min(1024));
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_merge_and_an_open_ticket_runs_on() {
        let t = Tickets {
            opened: vec![100, 10, 300],
            resolved: vec![Some(200), Some(20), None],
            ..Tickets::default()
        };
        let spans = ticket_spans(&t);
        assert_eq!(spans, vec![(10, 20), (100, 200), (300, i64::MAX)]);
        let c = Coverage {
            tickets: spans,
            ..Coverage::default()
        };
        assert!(c.tickets_in(15, 16));
        assert!(!c.tickets_in(21, 100));
        assert!(c.tickets_in(200, 201), "resolved at the first instant");
        assert!(c.tickets_in(10_000, 20_000), "open across");
    }
}
