//! The sorted time lists every period reads (opened and resolved times per priority, opened
//! times per category and tier, response and resolution durations): built once per run. Each
//! list is a task of its own that counts its tickets, fills a list of exactly that size and
//! sorts it, so the lists are built side by side and no list is regrown.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::radix;
use super::tables::{Priority, PriorityLevels, Tickets};

pub struct TimeLists {
    pub opened: PerPriority,
    pub resolved: PerPriority,
    /// Times to first response and to resolution, by the instant each ended.
    pub response_times: Durations,
    pub resolution_times: Durations,
    pub by_category: BTreeMap<String, Vec<i64>>,
    pub by_tier: BTreeMap<String, Vec<i64>>,
}

/// Sorted times per priority. All priorities' times are their union: counts add up, and no
/// second list of every ticket is kept (at 10 M tickets, 80 MB each for opened and resolved).
/// A list is shared: the clocks of a priority every ticket carries count pending ones by it.
#[derive(Debug, Default)]
pub struct PerPriority(pub BTreeMap<Priority, Arc<Vec<i64>>>);

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
    Durations(Durations),
}

/// Every ticket's opening times per priority: made before the clocks, which share them.
pub fn opened(t: &Tickets, levels: &PriorityLevels) -> PerPriority {
    let jobs: Vec<Job> = levels.all().map(Job::OpenedOf).collect();
    let lists: Vec<Built> = (jobs.par_iter()).map(|j| run(t, *j)).collect();
    let mut lists = lists.into_iter().map(|b| match b {
        Built::Times(v) => Arc::new(v),
        _ => unreachable!("jobs and results are in the same order"),
    });
    PerPriority(
        (levels.all())
            .map(|p| (p, lists.next().expect("one a priority")))
            .collect(),
    )
}

/// The other lists, beside the opening times made by `opened`.
pub fn build(t: &Tickets, opened: PerPriority, levels: &PriorityLevels) -> TimeLists {
    let mut jobs = Vec::new();
    jobs.extend(levels.all().map(Job::ResolvedOf));
    jobs.extend([Labelled::Category, Labelled::Tier].map(Job::Labels));
    jobs.extend([Stop::Responded, Stop::Resolved].map(Job::Durations));
    let mut built = jobs
        .par_iter()
        .map(|j| run(t, *j))
        .collect::<Vec<_>>()
        .into_iter();
    let mut times = || match built.next() {
        Some(Built::Times(v)) => Arc::new(v),
        _ => unreachable!("jobs and results are in the same order"),
    };
    let resolved = PerPriority(levels.all().map(|p| (p, times())).collect());
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
            let spans = (at.iter().zip(&t.opened)).filter_map(|(r, &o)| Some((r?, o)));
            Built::Durations(Durations::of(spans))
        }
    }
}

/// Durations (end − start), sorted by their end, for the minutes of a period. Where the ends
/// span under 136 years, as real exports do, each is one 64-bit word (end from the earliest in
/// the high half, seconds in the low): half the memory of a pair and of its sorting (10 M
/// tickets: 160 MB less a list).
#[derive(Debug, Clone)]
pub enum Durations {
    Packed { base: i64, spans: Vec<u64> },
    Wide(Vec<(i64, i64)>),
}

impl Default for Durations {
    fn default() -> Self {
        Durations::Wide(Vec::new())
    }
}

impl Durations {
    /// From (end, start) pairs, in any order; every end is at or after its start.
    pub fn of(spans: impl Iterator<Item = (i64, i64)> + Clone) -> Durations {
        let (mut n, mut lo, mut hi, mut longest) = (0, i64::MAX, i64::MIN, 0);
        for (end, start) in spans.clone() {
            (n, lo, hi) = (n + 1, lo.min(end), hi.max(end));
            longest = longest.max(end.saturating_sub(start));
        }
        let fits = |v: i64| (0..=u32::MAX as i64).contains(&v);
        if n > 0 && fits(hi.saturating_sub(lo)) && fits(longest) {
            let mut v = Vec::with_capacity(n);
            v.extend(spans.map(|(end, start)| ((end - lo) as u64) << 32 | (end - start) as u64));
            radix::sort_by_key(&mut v, |p| (p >> 32) as i64);
            return Durations::Packed { base: lo, spans: v };
        }
        let mut v: Vec<(i64, i64)> = spans.map(|(end, start)| (end, end - start)).collect();
        radix::sort_by_key(&mut v, |x| x.0);
        Durations::Wide(v)
    }

    /// Minutes of the durations ending in `[start, cut)`, sorted (none when `cut <= start`).
    pub fn minutes_in(&self, start: i64, cut: i64) -> Vec<f64> {
        let mut m: Vec<f64> = match self {
            Durations::Packed { base, spans } => {
                let before = |t: i64| spans.partition_point(|&p| ((p >> 32) as i64) < t - base);
                let minutes = |p: &u64| (p & u64::from(u32::MAX)) as f64 / 60.0;
                let a = before(start);
                spans[a..before(cut).max(a)].iter().map(minutes).collect()
            }
            Durations::Wide(v) => {
                let before = |t: i64| v.partition_point(|&(end, _)| end < t);
                let a = before(start);
                (v[a..before(cut).max(a)].iter())
                    .map(|&(_, s)| s as f64 / 60.0)
                    .collect()
            }
        };
        super::stats::sort(&mut m);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minutes of the spans ending in `[start, cut)`, sorted: what `minutes_in` must give.
    fn by_hand(spans: &[(i64, i64)], start: i64, cut: i64) -> Vec<f64> {
        let mut m: Vec<f64> = (spans.iter())
            .filter(|(end, _)| (start..cut).contains(end))
            .map(|(end, begin)| (end - begin) as f64 / 60.0)
            .collect();
        m.sort_by(f64::total_cmp);
        m
    }

    #[test]
    fn packed_and_wide_durations_give_the_minutes_of_each_period() {
        // Fixed-seed pseudo-random spans (enough to take the radix path), ends over two years;
        // then the same with one end 150 years on, which no 32-bit offset holds.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let t0 = 1_767_225_600; // 2026-01-01T00:00Z
        let mut spans: Vec<(i64, i64)> = (0..6000)
            .map(|_| {
                let end = t0 + (next() % (2 * 365 * 86_400)) as i64;
                (end, end - (next() % (40 * 86_400)) as i64)
            })
            .collect();
        let cuts = [
            t0 - 1,
            t0,
            t0 + 86_400 * 30,
            t0 + 86_400 * 400,
            t0 + 86_400 * 800,
        ];
        let packed = Durations::of(spans.iter().copied());
        assert!(matches!(packed, Durations::Packed { .. }));
        spans.push((t0 + 150 * 365 * 86_400, t0));
        let wide = Durations::of(spans.iter().copied());
        assert!(matches!(wide, Durations::Wide(_)));
        for (d, spans) in [(&packed, &spans[..6000]), (&wide, &spans[..])] {
            for a in cuts {
                for b in cuts {
                    assert_eq!(d.minutes_in(a, b), by_hand(spans, a, b), "[{a}, {b})");
                }
            }
        }
        assert!(Durations::of(std::iter::empty())
            .minutes_in(0, i64::MAX)
            .is_empty());
    }
}
