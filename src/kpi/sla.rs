//! SLA clocks. Each ticket has a response clock (opened → first response, or resolution if that
//! comes first or there is none) and a resolution clock (opened → resolved). A clock counts time on
//! its target's calendar outside paused statuses; it is met if it stops at or before its deadline,
//! breached at the deadline otherwise. Outcomes are decided at one instant, so a period counts the
//! outcomes decided inside it and the clocks still undecided at its cut.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::calendar::Calendar;
use super::intervals::{merge, Interval};
use super::tables::{Priority, StatusEvents, Tickets};
use super::time_lists::PerPriority;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ClockKind {
    Response,
    Resolution,
}

impl ClockKind {
    pub fn name(self) -> &'static str {
        match self {
            ClockKind::Response => "response",
            ClockKind::Resolution => "resolution",
        }
    }
}

/// A target: how much counted time, on which calendar.
#[derive(Debug, Clone)]
pub struct SlaTarget {
    pub seconds: i64,
    pub calendar: Calendar,
}

/// The outcome of one clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockOutcome {
    pub opened: i64,
    pub deadline: i64,
    /// When the outcome is decided: the stop (met) or the deadline (breached).
    pub decided_at: i64,
    pub met: bool,
}

/// Decide one clock.
pub fn decide(
    opened: i64,
    stop: Option<i64>,
    target: &SlaTarget,
    pauses: &[Interval],
) -> ClockOutcome {
    let deadline = target.calendar.deadline(opened, target.seconds, pauses);
    match stop {
        Some(s) if s <= deadline => ClockOutcome {
            opened,
            deadline,
            decided_at: s,
            met: true,
        },
        _ => ClockOutcome {
            opened,
            deadline,
            decided_at: deadline,
            met: false,
        },
    }
}

/// Paused intervals per ticket id, from the status history. A ticket's events are taken in
/// time order; events of the same time keep the export's order (files in name order, rows in
/// file order), or the order of the `seq` column when the source has one. Never the status
/// names' order: a pause that began in the same minute as the event before it still counts.
pub fn pauses(events: &StatusEvents, pause_statuses: &[String]) -> HashMap<String, Vec<Interval>> {
    let pause: HashSet<&str> = pause_statuses.iter().map(String::as_str).collect();
    let mut by_ticket: HashMap<&str, Vec<(i64, i64, &str)>> = HashMap::new();
    for i in 0..events.id.len() {
        let seq = events.seq.get(i).copied().unwrap_or(0);
        by_ticket.entry(events.id[i].as_str()).or_default().push((
            events.at[i],
            seq,
            events.status[i].as_str(),
        ));
    }
    let mut out = HashMap::new();
    for (id, mut evs) in by_ticket {
        // Stable: equal (time, seq) keep the order they were read in.
        evs.sort_by_key(|&(at, seq, _)| (at, seq));
        let mut v = Vec::new();
        for (k, &(at, _, status)) in evs.iter().enumerate() {
            if pause.contains(status) {
                let end = evs.get(k + 1).map(|e| e.0).unwrap_or(i64::MAX / 4);
                v.push((at, end));
            }
        }
        if !v.is_empty() {
            out.insert(id.to_string(), merge(v));
        }
    }
    out
}

/// The outcomes of one (clock, priority), ready for counting by period.
#[derive(Debug, Clone, Default)]
pub struct ClockSet {
    decided: Vec<i64>,
    /// met_prefix[i] = met outcomes among decided[..i].
    met_prefix: Vec<u32>,
    /// Opening times of the tickets carrying these clocks, sorted (for the pending count);
    /// shared with the list of their priority when every ticket of it carries the clock.
    opened: Arc<Vec<i64>>,
}

/// What counting needs of an outcome: (opened, decided at, met).
type Counted = (i64, i64, bool);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaCounts {
    pub met: u64,
    pub breached: u64,
    pub pending: u64,
}

impl SlaCounts {
    /// met / (met + breached); none when both are 0.
    pub fn attainment(&self) -> Option<f64> {
        let n = self.met + self.breached;
        (n > 0).then(|| self.met as f64 / n as f64)
    }
}

impl ClockSet {
    /// `n`: how many outcomes there are (the vectors are made at that size). `opened`: their
    /// opening times sorted, when already at hand.
    fn new(
        outcomes: impl Iterator<Item = Counted> + Clone,
        n: usize,
        opened: Option<Arc<Vec<i64>>>,
    ) -> ClockSet {
        let mut packed: Vec<i64> = Vec::with_capacity(n);
        packed.extend(outcomes.clone().map(|(_, at, met)| pack(at, met)));
        let opened = opened.unwrap_or_else(|| {
            let mut opened: Vec<i64> = Vec::with_capacity(n);
            opened.extend(outcomes.map(|(opened, _, _)| opened));
            super::radix::sort_i64(&mut opened);
            Arc::new(opened)
        });
        ClockSet::from_packed(packed, opened)
    }

    /// The set of outcomes packed by `pack`, in any order; `opened` sorted.
    fn from_packed(mut packed: Vec<i64>, opened: Arc<Vec<i64>>) -> ClockSet {
        super::radix::sort_i64(&mut packed);
        let mut met_prefix = Vec::with_capacity(packed.len() + 1);
        met_prefix.push(0u32);
        let mut met = 0u32;
        for &p in &packed {
            met += unpack(p).1 as u32;
            met_prefix.push(met);
        }
        ClockSet {
            decided: packed.into_iter().map(|p| unpack(p).0).collect(),
            met_prefix,
            opened,
        }
    }

    /// Outcomes decided in `[start, cut)`, and clocks opened before `cut` still undecided at it.
    pub fn counts(&self, start: i64, cut: i64) -> SlaCounts {
        let s = self.decided.partition_point(|&d| d < start);
        let c = self.decided.partition_point(|&d| d < cut);
        let met = (self.met_prefix[c] - self.met_prefix[s]) as u64;
        let decided_before_cut = c;
        let opened_before_cut = self.opened.partition_point(|&o| o < cut);
        SlaCounts {
            met,
            breached: (c - s) as u64 - met,
            // A clock is decided no earlier than it opens, so this never goes below zero.
            pending: opened_before_cut.saturating_sub(decided_before_cut) as u64,
        }
    }
}

pub type ClockKey = (ClockKind, Priority);

/// One run of tickets' outcomes of a clock: each packed as `pack` does, and, where the sets
/// need them, the ticket rows beside.
#[derive(Default)]
struct KeyRun {
    packed: Vec<i64>,
    rows: Vec<u32>,
}

/// Decision instant and outcome in one integer: sorting plain integers is fast, and equal
/// instants need no particular order (periods never split them).
fn pack(decided_at: i64, met: bool) -> i64 {
    decided_at * 2 + met as i64
}

fn unpack(packed: i64) -> (i64, bool) {
    (packed >> 1, packed & 1 == 1)
}

/// One breached clock: which ticket (its row in the ticket table), which clock, and the
/// deadline it missed (its outcome is decided there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breach {
    pub ticket: u32,
    pub key: ClockKey,
    pub deadline: i64,
    /// The set of terms (the contract, with contracts) the ticket was measured with.
    pub set: u16,
}

/// The clock that a ticket's `kind` clock stops at: first response (or resolution if earlier
/// or alone) for response, resolution for resolution.
pub fn stop_of(tickets: &Tickets, i: usize, kind: ClockKind) -> Option<i64> {
    match kind {
        ClockKind::Response => match (tickets.responded.get(i), tickets.resolved.get(i)) {
            (Some(r), Some(s)) => Some(r.min(s)),
            (r, s) => r.or(s),
        },
        ClockKind::Resolution => tickets.resolved.get(i),
    }
}

/// Every ticket's clocks, grouped by (clock, priority), and by customer too when asked.
#[derive(Debug, Default)]
pub struct Clocks {
    pub overall: BTreeMap<ClockKey, ClockSet>,
    /// (customer code, clock, priority) → clocks of that customer's tickets.
    pub by_customer: BTreeMap<(u32, ClockKey), ClockSet>,
    /// Every breached clock, sorted by deadline: the report pages list a period's breaches.
    pub breaches: Vec<Breach>,
}

/// Decide every ticket's clocks under its terms: `targets[set]` and `pauses[set]` for the set
/// `of_ticket[i]` each ticket falls under. `opened` holds every ticket's opening time per
/// priority: a clock all tickets of its priority carry counts its pending ones by that list.
pub fn clocks(
    tickets: &Tickets,
    targets: &[BTreeMap<ClockKey, SlaTarget>],
    pauses: &[&HashMap<String, Vec<Interval>>],
    of_ticket: &[u16],
    (opened, per_customer): (&PerPriority, bool),
) -> Clocks {
    let mut keys: Vec<ClockKey> = targets.iter().flat_map(|t| t.keys().copied()).collect();
    keys.sort_unstable();
    keys.dedup();
    // A clock every ticket of its priority carries counts its pending ones by that priority's
    // opening times; its outcomes need no ticket row then, unless customers are counted too.
    let shared: Vec<Option<&Arc<Vec<i64>>>> = (keys.iter())
        .map(|key| {
            let everywhere = targets.iter().all(|t| t.contains_key(key));
            opened.0.get(&key.1).filter(|_| everywhere)
        })
        .collect();
    let with_rows: Vec<bool> = (shared.iter())
        .map(|s| per_customer || s.is_none())
        .collect();
    // Outcomes per (clock, priority) for fixed runs of tickets: no allocation per ticket, no
    // regrowing of big vectors; each outcome is one integer (decision instant and outcome).
    const RUN: usize = 1 << 16;
    let runs: Vec<(Vec<KeyRun>, Vec<Breach>)> = (0..tickets.len().div_ceil(RUN))
        .into_par_iter()
        .map(|r| {
            let mut acc: Vec<KeyRun> = keys.iter().map(|_| KeyRun::default()).collect();
            let mut breaches = Vec::new();
            for i in r * RUN..((r + 1) * RUN).min(tickets.len()) {
                let set = of_ticket[i] as usize;
                let p = tickets.priority[i];
                let paused: &[Interval] = if pauses[set].is_empty() {
                    &[]
                } else {
                    pauses[set]
                        .get(&tickets.id[i])
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                };
                for (k, &key) in keys.iter().enumerate() {
                    if key.1 != p {
                        continue;
                    }
                    let Some(target) = targets[set].get(&key) else {
                        continue;
                    };
                    let stop = stop_of(tickets, i, key.0);
                    let o = decide(tickets.opened[i], stop, target, paused);
                    acc[k].packed.push(pack(o.decided_at, o.met));
                    if with_rows[k] {
                        acc[k].rows.push(i as u32);
                    }
                    if !o.met {
                        breaches.push(Breach {
                            ticket: i as u32,
                            key,
                            deadline: o.deadline,
                            set: set as u16,
                        });
                    }
                }
            }
            (acc, breaches)
        })
        .collect();
    let mut out = Clocks::default();
    // Turned to runs by clock: each clock's outcomes are freed as its sets are made, so the
    // sets never sit beside all the outcomes.
    let mut by_key: Vec<Vec<KeyRun>> = (keys.iter())
        .map(|_| Vec::with_capacity(runs.len()))
        .collect();
    for (run, mut breaches) in runs {
        out.breaches.append(&mut breaches);
        for (k, outcomes) in run.into_iter().enumerate() {
            by_key[k].push(outcomes);
        }
    }
    type KeySets = (ClockKey, ClockSet, Vec<((u32, ClockKey), ClockSet)>);
    let sets: Vec<KeySets> = (keys.into_par_iter().zip(by_key).zip(shared))
        .map(|((key, runs), shared)| {
            let rows = || runs.iter().flat_map(|r| r.packed.iter().zip(&r.rows));
            let mut per: BTreeMap<u32, Vec<Counted>> = BTreeMap::new();
            if per_customer {
                for (&packed, &row) in rows() {
                    if let Some(c) = tickets.customer.get(row as usize) {
                        let (at, met) = unpack(packed);
                        per.entry(c)
                            .or_default()
                            .push((tickets.opened[row as usize], at, met));
                    }
                }
            }
            let per = per
                .into_iter()
                .map(|(c, o)| ((c, key), ClockSet::new(o.iter().copied(), o.len(), None)))
                .collect();
            let opened = shared.cloned().unwrap_or_else(|| {
                let mut opened: Vec<i64> = rows()
                    .map(|(_, &row)| tickets.opened[row as usize])
                    .collect();
                super::radix::sort_i64(&mut opened);
                Arc::new(opened)
            });
            let n = runs.iter().map(|r| r.packed.len()).sum();
            let mut packed: Vec<i64> = Vec::with_capacity(n);
            for run in runs {
                packed.extend_from_slice(&run.packed);
            }
            (key, ClockSet::from_packed(packed, opened), per)
        })
        .collect();
    for (key, set, per) in sets {
        out.overall.insert(key, set);
        out.by_customer.extend(per);
    }
    // A total order (no two breaches share ticket and clock), so the parallel sort is as
    // deterministic as a sequential one.
    out.breaches
        .par_sort_unstable_by_key(|b| (b.deadline, b.ticket, b.key));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::test_time::jst;

    fn always(h: i64) -> SlaTarget {
        SlaTarget {
            seconds: h * 3600,
            calendar: Calendar::Always,
        }
    }

    #[test]
    fn stopped_exactly_at_the_deadline_is_met() {
        let o = decide(
            jst("2026-11-19T10:00"),
            Some(jst("2026-11-19T11:00")),
            &always(1),
            &[],
        );
        assert!(o.met);
        assert_eq!(o.decided_at, jst("2026-11-19T11:00"));
    }

    #[test]
    fn open_past_the_deadline_is_breached_at_the_deadline() {
        let o = decide(jst("2026-11-19T10:00"), None, &always(4), &[]);
        assert!(!o.met);
        assert_eq!(o.decided_at, jst("2026-11-19T14:00"));
    }

    #[test]
    fn counts_by_period_and_pending_at_the_cut() {
        let outcomes = vec![
            decide(
                jst("2026-11-02T10:00"),
                Some(jst("2026-11-02T10:30")),
                &always(1),
                &[],
            ), // met 11-02
            decide(jst("2026-11-03T10:00"), None, &always(1), &[]), // breached 11-03 11:00
            decide(jst("2026-11-30T23:30"), None, &always(1), &[]), // decided 12-01 00:30
        ];
        let counted = outcomes.iter().map(|o| (o.opened, o.decided_at, o.met));
        let set = ClockSet::new(counted, outcomes.len(), None);
        let nov = (jst("2026-11-01T00:00"), jst("2026-12-01T00:00"));
        assert_eq!(
            set.counts(nov.0, nov.1),
            SlaCounts {
                met: 1,
                breached: 1,
                pending: 1
            }
        );
        // Cut at 11-03 10:30: the second clock is still running and not yet late.
        assert_eq!(
            set.counts(nov.0, jst("2026-11-03T10:30")),
            SlaCounts {
                met: 1,
                breached: 0,
                pending: 1
            }
        );
        assert_eq!(
            SlaCounts {
                met: 0,
                breached: 0,
                pending: 3
            }
            .attainment(),
            None
        );
    }

    #[test]
    fn paused_statuses_do_not_count() {
        let events = StatusEvents {
            id: vec!["T1".into(), "T1".into(), "T1".into()],
            status: vec!["対応中".into(), "顧客回答待ち".into(), "対応中".into()],
            at: vec![
                jst("2026-11-19T09:00"),
                jst("2026-11-19T10:00"),
                jst("2026-11-19T13:00"),
            ],
            seq: Vec::new(),
        };
        let p = pauses(&events, &["顧客回答待ち".to_string()]);
        assert_eq!(
            p["T1"],
            vec![(jst("2026-11-19T10:00"), jst("2026-11-19T13:00"))]
        );
        let o = decide(
            jst("2026-11-19T09:00"),
            Some(jst("2026-11-19T15:30")),
            &always(4),
            &p["T1"],
        );
        assert_eq!(o.deadline, jst("2026-11-19T16:00"));
        assert!(o.met);
    }
}
