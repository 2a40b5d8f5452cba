//! Monitoring and product metrics: per name (and per service) statistics of the samples in a
//! period. Duplicate timestamps, gaps and out-of-order samples are normal and simply counted.

use std::collections::{BTreeMap, BTreeSet};

use super::stats::{mean, percentile, sort};
use super::tables::Metrics;

pub const STATS: [&str; 9] = [
    "count", "sum", "mean", "min", "max", "p50", "p95", "p99", "last",
];

/// Statistics of one series; `count` is always a number, the rest none without samples.
pub fn series_stats(samples: &mut [(i64, f64)]) -> [Option<f64>; 9] {
    let n = samples.len();
    if n == 0 {
        return [Some(0.0), None, None, None, None, None, None, None, None];
    }
    // The latest sample wins `last`; among equal timestamps, the one written last.
    let last = samples
        .iter()
        .enumerate()
        .max_by_key(|(i, (t, _))| (*t, *i))
        .map(|(_, s)| s.1);
    let mut v: Vec<f64> = samples.iter().map(|s| s.1).collect();
    sort(&mut v);
    [
        Some(n as f64),
        Some(v.iter().sum()),
        mean(&v),
        v.first().copied(),
        v.last().copied(),
        percentile(&v, 0.5),
        percentile(&v, 0.95),
        percentile(&v, 0.99),
        last,
    ]
}

/// `metric.<name>.<stat>` and `metric.<name>.<stat>.<service>` for every name and service seen
/// anywhere in the data.
pub fn figures(m: &Metrics, start: i64, cut: i64) -> BTreeMap<String, Option<f64>> {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    let mut services: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut all: BTreeMap<&str, Vec<(i64, f64)>> = BTreeMap::new();
    let mut per_service: BTreeMap<(&str, &str), Vec<(i64, f64)>> = BTreeMap::new();
    for i in 0..m.name.len() {
        let name = m.name[i].as_str();
        names.insert(name);
        if let Some(s) = &m.service[i] {
            services.insert((name, s.as_str()));
        }
        let (Some(v), true) = (m.value[i], m.at[i] >= start && m.at[i] < cut) else {
            continue;
        };
        all.entry(name).or_default().push((m.at[i], v));
        if let Some(s) = &m.service[i] {
            per_service
                .entry((name, s.as_str()))
                .or_default()
                .push((m.at[i], v));
        }
    }
    let mut out = BTreeMap::new();
    for name in names {
        let stats = series_stats(all.get_mut(name).map(Vec::as_mut_slice).unwrap_or(&mut []));
        for (k, v) in STATS.iter().zip(stats) {
            out.insert(format!("metric.{name}.{k}"), v);
        }
    }
    for (name, service) in services {
        let stats = series_stats(
            per_service
                .get_mut(&(name, service))
                .map(Vec::as_mut_slice)
                .unwrap_or(&mut []),
        );
        for (k, v) in STATS.iter().zip(stats) {
            out.insert(format!("metric.{name}.{k}.{service}"), v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_with_duplicates_and_disorder() {
        let mut s = vec![(30, 3.0), (10, 1.0), (30, 5.0), (20, 2.0)];
        let st = series_stats(&mut s);
        assert_eq!(st[0], Some(4.0));
        assert_eq!(st[1], Some(11.0));
        assert_eq!(st[8], Some(5.0), "the last written of the latest timestamp");
        assert_eq!(st[5], Some(2.5));
        assert_eq!(series_stats(&mut [])[2], None);
    }
}
