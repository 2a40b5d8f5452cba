//! One ticket's clocks laid open (`opsite kpi --explain INC0012`): its status events in the
//! order the rules take them, the paused spans, the time each clock counted on its calendar,
//! the deadline and the outcome. So a person can see why opsite and the ticket system (say
//! ServiceNow's `made_sla`) disagree. Pure: the same rules as the engine, for one ticket.

use chrono_tz::Tz;

use super::calendar::Calendar;
use super::intervals::Interval;
use super::sla::{self, ClockKind};
use super::tables::{DataSet, StatusEvents};
use super::ConfigError;
use crate::config::kpi::KpiConfig;

/// Why a ticket's clocks came out as they did.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub id: String,
    /// The level's key (`critical`, `p5`).
    pub priority: String,
    /// The contract whose terms apply (none: the top-level `sla`).
    pub contract: Option<String>,
    pub opened: i64,
    pub responded: Option<i64>,
    pub resolved: Option<i64>,
    /// When it was reopened, where `reopened_at` is mapped (none: not mapped).
    pub reopened: Option<Option<i64>>,
    /// Whether it was resolved at first contact, where `first_contact` is mapped.
    pub first_contact: Option<bool>,
    /// The ticket's events in rule order (time, `seq`, the export's order).
    pub events: Vec<ExplainedEvent>,
    pub paused: Vec<Interval>,
    pub clocks: Vec<ExplainedClock>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedEvent {
    pub at: i64,
    pub seq: i64,
    pub status: String,
    /// The status is one of the paused ones.
    pub pauses: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedClock {
    pub kind: ClockKind,
    pub target_seconds: i64,
    /// Counted on business hours (else around the clock).
    pub business: bool,
    /// Where the clock stops (response or resolution), if it has.
    pub stop: Option<i64>,
    pub deadline: i64,
    /// Counted time from the opening to the stop, the deadline or the cut, whichever is first.
    pub counted_seconds: i64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Met,
    Breached,
    /// Neither stopped nor past its deadline at the cut.
    Pending,
    /// The ticket was opened after the cut: no clock of it runs yet.
    NotOpened,
}

/// The explanation of ticket `id` as of `as_of`; none when no ticket has that id.
pub fn explain(
    config: &KpiConfig,
    data: &DataSet,
    tz: Tz,
    id: &str,
    as_of: i64,
) -> Result<Option<Explanation>, Vec<ConfigError>> {
    let t = &data.tickets;
    let Some(i) = t.id.iter().position(|x| x == id.trim()) else {
        return Ok(None);
    };
    let (calendars, errors) = super::calendars(config, tz, data);
    if !errors.is_empty() {
        return Err(errors);
    }
    let terms = super::contracts::terms(config, &calendars, t)?;
    let set = terms.of_ticket[i] as usize;
    let pause_statuses = &terms.pause_statuses[set];
    let events = events_of(data.events.as_ref(), &t.id[i], pause_statuses);
    let own = StatusEvents {
        id: events.iter().map(|_| t.id[i].to_string()).collect(),
        status: events.iter().map(|e| e.status.clone()).collect(),
        at: events.iter().map(|e| e.at).collect(),
        seq: events.iter().map(|e| e.seq).collect(),
    };
    let paused = sla::pauses(&own, pause_statuses)
        .remove(&t.id[i])
        .unwrap_or_default();
    let priority = t.priority[i];
    let clocks = [ClockKind::Response, ClockKind::Resolution]
        .into_iter()
        .filter_map(|kind| {
            let target = terms.targets[set].get(&(kind, priority))?;
            let stop = sla::stop_of(t, i, kind);
            let o = sla::decide(t.opened[i], stop, target, &paused);
            let outcome = match o.decided_at < as_of {
                _ if t.opened[i] >= as_of => Outcome::NotOpened,
                false => Outcome::Pending,
                true if o.met => Outcome::Met,
                true => Outcome::Breached,
            };
            let until = stop.unwrap_or(i64::MAX).min(o.deadline).min(as_of);
            Some(ExplainedClock {
                kind,
                target_seconds: target.seconds,
                business: matches!(target.calendar, Calendar::Business(_)),
                stop,
                deadline: o.deadline,
                counted_seconds: counted(&target.calendar, t.opened[i], until, &paused),
                outcome,
            })
        })
        .collect();
    let contract = (!config.contracts.is_empty())
        .then(|| config.contracts.get(set).map(|c| c.name.clone()))
        .flatten();
    Ok(Some(Explanation {
        id: t.id[i].to_string(),
        priority: config.priority_levels.key(priority).to_string(),
        contract,
        opened: t.opened[i],
        responded: t.responded.get(i),
        resolved: t.resolved.get(i),
        reopened: (!t.reopened.is_empty()).then(|| t.reopened.get(i)),
        first_contact: t.first_contact.get(i).copied(),
        events,
        paused,
        clocks,
    }))
}

/// The ticket's events, in the order the rules take them.
fn events_of(events: Option<&StatusEvents>, id: &str, paused: &[String]) -> Vec<ExplainedEvent> {
    let Some(ev) = events else {
        return Vec::new();
    };
    let mut out: Vec<ExplainedEvent> = (0..ev.id.len())
        .filter(|&k| ev.id[k] == id)
        .map(|k| ExplainedEvent {
            at: ev.at[k],
            seq: ev.seq.get(k).copied().unwrap_or(0),
            status: ev.status[k].clone(),
            pauses: paused.contains(&ev.status[k]),
        })
        .collect();
    // Stable: the export's order among equal (time, seq), as the engine takes them.
    out.sort_by_key(|e| (e.at, e.seq));
    out
}

/// The time counted on `calendar` outside `paused` from `start` to `end`: the largest target
/// whose deadline is not after `end` (deadlines grow with the target).
fn counted(calendar: &Calendar, start: i64, end: i64, paused: &[Interval]) -> i64 {
    if end <= start {
        return 0;
    }
    let (mut lo, mut hi) = (0i64, end - start);
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        if calendar.deadline(start, mid, paused) <= end {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}
