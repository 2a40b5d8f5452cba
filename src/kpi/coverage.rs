//! Which stretches of time the exports say something about. A period in which no source has a
//! row (and no ticket is open) is not a period of the site: it gets no report page and is not
//! in `--period all`. A KPI whose source has nothing in a period is a gap, not 0. Availability
//! counts only from the day of the first row of any source (or the downtime export's
//! `covers.from`): before it, no outage export could have said anything.

use super::tables::DataSet;
use super::time_lists::PerPriority;
use super::zone::LocalZone;

/// What the exports cover, per source, as sorted times (tickets: see `tickets_in`).
#[derive(Debug, Default)]
pub struct Coverage {
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
    /// `first_opened` and `metrics_first`: the earliest ticket and metric sample (the engine's
    /// sorted lists know them).
    pub fn new(
        data: &DataSet,
        zone: &LocalZone,
        covers_from: Option<i64>,
        first_opened: Option<i64>,
        metrics_first: Option<i64>,
    ) -> Coverage {
        let mut surveys = data
            .surveys
            .as_ref()
            .map_or_else(Vec::new, |s| s.at.clone());
        surveys.sort_unstable();
        let mut api: Vec<i64> = (data.api.iter())
            .flat_map(|u| u.date.iter())
            .map(|d| zone.to_utc(d.and_hms_opt(0, 0, 0).expect("midnight")))
            .collect();
        api.sort_unstable();
        api.dedup();
        let mut downtime: Vec<i64> = (data.downtime.iter())
            .flat_map(|o| {
                o.start
                    .iter()
                    .copied()
                    .chain(o.end.iter().flatten().copied())
            })
            .collect();
        downtime.sort_unstable();
        let earliest = [
            first_opened,
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
            surveys,
            api,
            downtime,
            from: covers_from.or(earliest),
        }
    }

    pub fn surveys_in(&self, start: i64, end: i64) -> bool {
        stamp_in(&self.surveys, start, end)
    }

    pub fn api_in(&self, start: i64, end: i64) -> bool {
        stamp_in(&self.api, start, end)
    }

    /// Any source but the tickets and the metrics has something in `[start, end)`.
    pub fn any_in(&self, start: i64, end: i64) -> bool {
        self.surveys_in(start, end)
            || self.api_in(start, end)
            || stamp_in(&self.downtime, start, end)
    }
}

fn stamp_in(sorted: &[i64], start: i64, end: i64) -> bool {
    let i = sorted.partition_point(|&t| t < start);
    i < sorted.len() && sorted[i] < end
}

/// Some ticket was opened, resolved or open during `[start, end)`, from the sorted opening
/// and resolution times: a ticket resolved before `start` was also opened before `end`, so the
/// tickets opened before `end` and not resolved before `start` number the difference.
pub fn tickets_in(opened: &PerPriority, resolved: &PerPriority, start: i64, end: i64) -> bool {
    opened.before(end) > resolved.before(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::tables::Priority;

    #[test]
    fn a_ticket_counts_from_opening_to_resolution_and_while_open() {
        // Tickets 10–20, 100–200 and 300 (still open).
        // Split over two priorities: counts add up across them.
        let (opened, resolved) = (
            PerPriority(
                [
                    (Priority(1), vec![10, 300].into()),
                    (Priority(3), vec![100].into()),
                ]
                .into(),
            ),
            PerPriority(
                [
                    (Priority(1), vec![20].into()),
                    (Priority(3), vec![200].into()),
                ]
                .into(),
            ),
        );
        let covered = |a, b| tickets_in(&opened, &resolved, a, b);
        assert!(covered(15, 16));
        assert!(!covered(21, 100));
        assert!(covered(200, 201), "resolved at the window's first instant");
        assert!(covered(10_000, 20_000), "open across");
        assert!(!covered(0, 10));
    }
}
