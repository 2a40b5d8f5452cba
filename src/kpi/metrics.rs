//! Monitoring and product metrics: per name (and per service) statistics of the samples in a
//! period. Duplicate timestamps, gaps and out-of-order samples are normal and simply counted.

use std::collections::BTreeMap;

#[cfg(test)]
use super::stats::{percentile, sort};
use rayon::prelude::*;

use super::tables::Metrics;

pub const STATS: [&str; 9] = [
    "count", "sum", "mean", "min", "max", "p50", "p95", "p99", "last",
];

/// Statistics of some samples (`last` given, as it depends on time and written order); `count`
/// is always a number, the rest none without samples. Percentiles are order statistics found by
/// selection (linear time) with the linear interpolation of `stats::percentile`, so the
/// millions of samples of a quarter are never fully sorted.
fn stats_of(values: &mut [f64], last: Option<f64>) -> [Option<f64>; 9] {
    let n = values.len();
    if n == 0 {
        return [Some(0.0), None, None, None, None, None, None, None, None];
    }
    let sum: f64 = values.iter().sum();
    let min = values.iter().copied().min_by(f64::total_cmp);
    let max = values.iter().copied().max_by(f64::total_cmp);
    let pos = |q: f64| q * (n - 1) as f64;
    // Highest first: after selecting index lo, the prefix up to lo holds the lo + 1 smallest
    // values, which is all a lower percentile needs when its upper neighbour is inside it.
    let p99 = interpolated(values, pos(0.99));
    let p95 = interpolated(prefix_for(values, pos(0.99), pos(0.95)), pos(0.95));
    let p50 = interpolated(prefix_for(values, pos(0.95), pos(0.5)), pos(0.5));
    [
        Some(n as f64),
        Some(sum),
        Some(sum / n as f64),
        min,
        max,
        Some(p50),
        Some(p95),
        Some(p99),
        last,
    ]
}

/// The prefix left by selecting at `done` that still holds both neighbours of `next`.
fn prefix_for(values: &mut [f64], done: f64, next: f64) -> &mut [f64] {
    let (lo_done, lo_next) = (done.floor() as usize, next.floor() as usize);
    if lo_next < lo_done {
        &mut values[..=lo_done]
    } else {
        values
    }
}

/// The value at fractional index `pos` of the sorted values: `sorted[lo] + (sorted[lo + 1] −
/// sorted[lo]) · fraction`, as `stats::percentile` computes it, found by selection.
fn interpolated(values: &mut [f64], pos: f64) -> f64 {
    let lo = pos.floor() as usize;
    let (_, at, right) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let a = *at;
    let frac = pos - lo as f64;
    match right.iter().copied().min_by(f64::total_cmp) {
        Some(b) if frac > 0.0 => a + (b - a) * frac,
        _ => a,
    }
}

/// The samples sorted by series, then time, then written order, so a period of one series is a
/// contiguous slice found by binary search: each period reads only its own samples, instead of
/// every period scanning tens of millions of rows.
#[derive(Debug, Clone, Default)]
pub struct MetricIndex {
    /// (name, service) of each series.
    series: Vec<(String, Option<String>)>,
    /// Series of each name, name-sorted: `metric.<name>.*` covers all of them.
    names: BTreeMap<String, Vec<u32>>,
    /// Row range of each series in `at`/`value`.
    ranges: Vec<(usize, usize)>,
    at: Vec<i64>,
    value: Vec<f64>,
    /// Written position of each sample (ties in time go to the one written last).
    row: Vec<u32>,
}

impl MetricIndex {
    /// Some series has a sample in `[start, end)`.
    pub fn any_in(&self, start: i64, end: i64) -> bool {
        self.ranges.iter().any(|&(lo, hi)| {
            let at = &self.at[lo..hi];
            let i = at.partition_point(|&t| t < start);
            i < at.len() && at[i] < end
        })
    }

    /// The earliest sample of any series.
    pub fn first(&self) -> Option<i64> {
        (self.ranges.iter())
            .filter(|(lo, hi)| lo < hi)
            .map(|&(lo, _)| self.at[lo])
            .min()
    }

    pub fn new(m: &Metrics) -> MetricIndex {
        let n = m.len();
        let ns = m.series.len();
        // Counting sort by series (written order kept), then each series by time where the
        // export was not already in time order: two passes over the rows in the usual case.
        let mut starts = vec![0usize; ns + 1];
        for &s in &m.series_of {
            starts[s as usize + 1] += 1;
        }
        for i in 0..ns {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut at = vec![0i64; n];
        let mut value = vec![0f64; n];
        let mut row = vec![0u32; n];
        for i in 0..n {
            let s = m.series_of[i] as usize;
            let p = next[s];
            at[p] = m.at[i];
            value[p] = m.value[i];
            row[p] = i as u32;
            next[s] += 1;
        }
        let ranges: Vec<(usize, usize)> = (0..ns).map(|s| (starts[s], starts[s + 1])).collect();
        {
            let mut parts = Vec::with_capacity(ns);
            let (mut a, mut v, mut r) =
                (at.as_mut_slice(), value.as_mut_slice(), row.as_mut_slice());
            for &(lo, hi) in &ranges {
                let (a1, a2) = a.split_at_mut(hi - lo);
                let (v1, v2) = v.split_at_mut(hi - lo);
                let (r1, r2) = r.split_at_mut(hi - lo);
                parts.push((a1, v1, r1));
                (a, v, r) = (a2, v2, r2);
            }
            parts
                .into_par_iter()
                .for_each(|(a, v, r)| sort_series_by_time(a, v, r));
        }
        let mut names: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (code, (name, _)) in m.series.iter().enumerate() {
            names.entry(name.clone()).or_default().push(code as u32);
        }
        MetricIndex {
            series: m.series.clone(),
            names,
            ranges,
            at,
            value,
            row,
        }
    }

    /// The row range of series `s` within `[start, cut)`.
    fn window(&self, s: u32, start: i64, cut: i64) -> (usize, usize) {
        let (a, b) = self.ranges[s as usize];
        let at = &self.at[a..b];
        (
            a + at.partition_point(|&t| t < start),
            a + at.partition_point(|&t| t < cut),
        )
    }
}

/// Order one series' samples by time, equal times in written order (`row`), unless they are.
fn sort_series_by_time(at: &mut [i64], value: &mut [f64], row: &mut [u32]) {
    if at.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    let mut perm: Vec<u32> = (0..at.len() as u32).collect();
    // Stable: equal times keep written order (rows arrive in written order).
    perm.sort_by_key(|&i| at[i as usize]);
    let (a0, v0, r0) = (at.to_vec(), value.to_vec(), row.to_vec());
    for (k, &i) in perm.iter().enumerate() {
        at[k] = a0[i as usize];
        value[k] = v0[i as usize];
        row[k] = r0[i as usize];
    }
}

/// Statistics of the samples in `rows` (ranges into the index); `last` is the latest sample,
/// the one written last among equal times.
fn window_stats(
    index: &MetricIndex,
    rows: &[(usize, usize)],
    buf: &mut Vec<f64>,
) -> [Option<f64>; 9] {
    buf.clear();
    let mut last: Option<(i64, u32, f64)> = None;
    for &(a, b) in rows {
        buf.extend_from_slice(&index.value[a..b]);
        if b > a {
            // Within a series the last row of the range is the latest, and the last written.
            let cand = (index.at[b - 1], index.row[b - 1], index.value[b - 1]);
            if last.is_none_or(|l| (cand.0, cand.1) > (l.0, l.1)) {
                last = Some(cand);
            }
        }
    }
    stats_of(buf, last.map(|l| l.2))
}

/// `metric.<name>.<stat>` and `metric.<name>.<stat>.<service>` for every name and service seen
/// anywhere in the data.
pub fn figures(index: &MetricIndex, start: i64, cut: i64) -> BTreeMap<String, Option<f64>> {
    let mut out = BTreeMap::new();
    let mut buf = Vec::new();
    for (name, codes) in &index.names {
        let rows: Vec<(usize, usize)> =
            codes.iter().map(|&s| index.window(s, start, cut)).collect();
        for (k, v) in STATS.iter().zip(window_stats(index, &rows, &mut buf)) {
            out.insert(format!("metric.{name}.{k}"), v);
        }
        for (&s, &r) in codes.iter().zip(&rows) {
            let Some(service) = &index.series[s as usize].1 else {
                continue;
            };
            for (k, v) in STATS.iter().zip(window_stats(index, &[r], &mut buf)) {
                out.insert(format!("metric.{name}.{k}.{service}"), v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_with_duplicates_and_disorder() {
        let mut m = Metrics::default();
        for (t, v, host) in [
            (30, 3.0, "a"),
            (10, 1.0, "b"),
            (30, 5.0, "b"),
            (20, 2.0, "a"),
            (40, 9.0, "a"),
        ] {
            m.push("lat", Some(host), t, v);
        }
        let index = MetricIndex::new(&m);
        let f = figures(&index, 0, 40);
        assert_eq!(f["metric.lat.count"], Some(4.0));
        assert_eq!(f["metric.lat.sum"], Some(11.0));
        assert_eq!(
            f["metric.lat.last"],
            Some(5.0),
            "the last written of the latest timestamp"
        );
        assert_eq!(f["metric.lat.p50"], Some(2.5));
        assert_eq!(f["metric.lat.last.a"], Some(3.0));
        assert_eq!(f["metric.lat.count.b"], Some(2.0));
        let empty = figures(&index, 100, 200);
        assert_eq!(empty["metric.lat.count.a"], Some(0.0));
        assert_eq!(empty["metric.lat.mean"], None);
    }

    #[test]
    fn selected_percentiles_equal_sorted_ones_for_every_size() {
        let mut x: u64 = 3;
        for n in 1..300usize {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % 50) as f64 / 3.0
                })
                .collect();
            let mut sorted = v.clone();
            sort(&mut sorted);
            let mut work = v.clone();
            let got = stats_of(&mut work, None);
            assert_eq!(got[5], percentile(&sorted, 0.5), "p50 of {n}");
            assert_eq!(got[6], percentile(&sorted, 0.95), "p95 of {n}");
            assert_eq!(got[7], percentile(&sorted, 0.99), "p99 of {n}");
            assert_eq!(got[3], sorted.first().copied());
            assert_eq!(got[4], sorted.last().copied());
        }
    }

    #[test]
    fn periods_read_only_their_own_samples_and_match_a_full_scan() {
        let mut m = Metrics::default();
        let mut x: u64 = 7;
        let mut rows = Vec::new();
        for i in 0..5000i64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let host = ["w1", "w2", "w3"][(x % 3) as usize];
            let (t, v) = ((x % 1000) as i64, (i % 97) as f64);
            m.push("lat", Some(host), t, v);
            rows.push((t, v, host));
        }
        let index = MetricIndex::new(&m);
        let f = figures(&index, 100, 600);
        let mut want: Vec<f64> = rows
            .iter()
            .filter(|r| (100..600).contains(&r.0))
            .map(|r| r.1)
            .collect();
        sort(&mut want);
        assert_eq!(f["metric.lat.count"], Some(want.len() as f64));
        assert_eq!(f["metric.lat.p95"], percentile(&want, 0.95));
        assert_eq!(f["metric.lat.p99"], percentile(&want, 0.99));
        assert_eq!(f["metric.lat.max"], want.last().copied());
    }
}
