//! The sorted time lists every period reads (opened and resolved times per priority, opened
//! times per category and tier, response and resolution durations): built once per run. Each
//! list is a task of its own that counts its tickets, fills a list of exactly that size and
//! sorts it, so the lists are built side by side and no list is regrown.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::radix;
use super::tables::{Priority, Tickets};

pub struct TimeLists {
    pub opened: PerPriority,
    pub resolved: PerPriority,
    /// (answered or resolved at, minutes since opened), by the first.
    pub response_times: Vec<(i64, f64)>,
    pub resolution_times: Vec<(i64, f64)>,
    pub by_category: BTreeMap<String, Vec<i64>>,
    pub by_tier: BTreeMap<String, Vec<i64>>,
}

/// Sorted times per priority. All priorities' times are their union: counts add up, and no
/// second list of every ticket is kept (at 10 M tickets, 80 MB each for opened and resolved).
#[derive(Debug, Default)]
pub struct PerPriority(pub BTreeMap<Priority, Vec<i64>>);

impl PerPriority {
    /// How many times are before `cut`.
    pub fn before(&self, cut: i64) -> u64 {
        (self.0.values())
            .map(|v| v.partition_point(|&t| t < cut) as u64)
            .sum()
    }

    /// How many times are in `[start, cut)`.
    pub fn in_range(&self, start: i64, cut: i64) -> u64 {
        self.before(cut) - self.before(start)
    }

    pub fn first(&self) -> Option<i64> {
        self.0.values().filter_map(|v| v.first().copied()).min()
    }

    pub fn last(&self) -> Option<i64> {
        self.0.values().filter_map(|v| v.last().copied()).max()
    }
}

/// One list to build.
#[derive(Clone, Copy)]
enum Job {
    OpenedOf(Priority),
    ResolvedOf(Priority),
    Labels(Labelled),
    Durations(Stop),
}

#[derive(Clone, Copy)]
enum Labelled {
    Category,
    Tier,
}

#[derive(Clone, Copy)]
enum Stop {
    Responded,
    Resolved,
}

enum Built {
    Times(Vec<i64>),
    PerLabel(Vec<Option<Vec<i64>>>),
    Durations(Vec<(i64, f64)>),
}

pub fn build(t: &Tickets) -> TimeLists {
    let mut jobs = Vec::new();
    jobs.extend(Priority::ALL.map(Job::OpenedOf));
    jobs.extend(Priority::ALL.map(Job::ResolvedOf));
    jobs.extend([Labelled::Category, Labelled::Tier].map(Job::Labels));
    jobs.extend([Stop::Responded, Stop::Resolved].map(Job::Durations));
    let mut built = jobs
        .par_iter()
        .map(|j| run(t, *j))
        .collect::<Vec<_>>()
        .into_iter();
    let mut times = || match built.next() {
        Some(Built::Times(v)) => v,
        _ => unreachable!("jobs and results are in the same order"),
    };
    let opened = PerPriority(Priority::ALL.map(|p| (p, times())).into_iter().collect());
    let resolved = PerPriority(Priority::ALL.map(|p| (p, times())).into_iter().collect());
    let mut named = || match built.next() {
        Some(Built::PerLabel(lists)) => (lists.into_iter().enumerate())
            .filter_map(|(c, v)| Some((t.labels[c].clone(), v?)))
            .collect(),
        _ => unreachable!("jobs and results are in the same order"),
    };
    let (by_category, by_tier) = (named(), named());
    let mut durations = || match built.next() {
        Some(Built::Durations(v)) => v,
        _ => unreachable!("jobs and results are in the same order"),
    };
    let (response_times, resolution_times) = (durations(), durations());
    TimeLists {
        opened,
        resolved,
        response_times,
        resolution_times,
        by_category,
        by_tier,
    }
}

/// One list, sorted. Ties need no order: a period's values are sorted again for percentiles.
fn run(t: &Tickets, job: Job) -> Built {
    let n = t.len();
    let times = |keep: &dyn Fn(usize) -> Option<i64>| {
        let count = (0..n).filter(|&i| keep(i).is_some()).count();
        let mut v = Vec::with_capacity(count);
        v.extend((0..n).filter_map(keep));
        radix::sort_i64(&mut v);
        v
    };
    match job {
        Job::OpenedOf(p) => Built::Times(times(&|i| (t.priority[i] == p).then(|| t.opened[i]))),
        Job::ResolvedOf(p) => {
            Built::Times(times(&|i| t.resolved.get(i).filter(|_| t.priority[i] == p)))
        }
        Job::Labels(which) => {
            let codes = match which {
                Labelled::Category => &t.category,
                Labelled::Tier => &t.tier,
            };
            let mut counts = vec![0usize; t.labels.len()];
            for c in codes.iter().flatten() {
                counts[c as usize] += 1;
            }
            let mut lists: Vec<Option<Vec<i64>>> = (counts.iter())
                .map(|&k| (k > 0).then(|| Vec::with_capacity(k)))
                .collect();
            for (c, at) in codes.iter().zip(&t.opened) {
                if let Some(list) = c.and_then(|c| lists[c as usize].as_mut()) {
                    list.push(*at);
                }
            }
            lists.iter_mut().flatten().for_each(radix::sort_i64);
            Built::PerLabel(lists)
        }
        Job::Durations(stop) => {
            let at = match stop {
                Stop::Responded => &t.responded,
                Stop::Resolved => &t.resolved,
            };
            let count = at.iter().flatten().count();
            let mut v = Vec::with_capacity(count);
            v.extend(
                (at.iter().zip(&t.opened))
                    .filter_map(|(r, o)| r.map(|r| (r, (r - o) as f64 / 60.0))),
            );
            radix::sort_by_key(&mut v, |x| x.0);
            Built::Durations(v)
        }
    }
}
