//! Benchmark input for metrics at real volume: per-minute latency samples from `HOSTS` hosts
//! over a year, as hive-partitioned Parquet (`data/metrics/latency/year=2026/month=03/
//! part-0.parquet`), with a site.yaml and a one-row ticket export (tickets are required).
//!
//!     cargo run --release --example gen_metrics -- ROWS DIR [HOSTS]
//!
//! ROWS is spread evenly over the year (52,560,000 = 100 hosts × one sample a minute).
//! Deterministic: the same arguments write the same files.

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

use std::fs;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use polars::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(52_560_000);
    let dir = args.next().unwrap_or_else(|| "/tmp/opsite-metrics".into());
    let hosts: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let dir = Path::new(&dir);
    let root = dir.join("data/metrics/latency");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(dir.join("content")).unwrap();
    fs::write(
        dir.join("site.yaml"),
        "title: metrics bench\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\n  metrics:\n    - {name: latency_ms, files: \"data/metrics/latency/**/*.parquet\", columns: {at: ts, value: latency_ms, service: host}}\n",
    )
    .unwrap();
    fs::write(
        dir.join("data/tickets.csv"),
        "id,priority,opened_at\nT1,high,2025-11-24 09:00\n",
    )
    .unwrap();
    let first = NaiveDate::from_ymd_opt(2025, 11, 24).unwrap();
    let minutes_in_year = 365 * 24 * 60u64;
    let samples_per_host = (rows / hosts).max(1);
    // Minutes between two samples of one host, so the samples cover the year.
    let step = (minutes_in_year / samples_per_host).max(1);
    let host_names: Vec<String> = (0..hosts).map(|h| format!("web{h:03}")).collect();
    let mut rng = Rng(0x5EED_0F_11E7);
    let start = first.and_hms_opt(0, 0, 0).unwrap();
    // One file per calendar month: rows are generated month by month to bound memory.
    let mut month_start = 0u64;
    let mut written = 0u64;
    while month_start < samples_per_host {
        let t0 = start + Duration::minutes((month_start * step) as i64);
        let (y, m) = (t0.year(), t0.month());
        let mut ts = Vec::new();
        let mut host = Vec::new();
        let mut value = Vec::new();
        let mut k = month_start;
        while k < samples_per_host {
            let t = start + Duration::minutes((k * step) as i64);
            if (t.year(), t.month()) != (y, m) {
                break;
            }
            for h in &host_names {
                ts.push(t);
                host.push(h.clone());
                // Mostly 120–200 ms with a slow tail.
                let tail = if rng.below(100) == 0 {
                    rng.below(900) as f64
                } else {
                    0.0
                };
                value.push(120.0 + rng.below(8000) as f64 / 100.0 + tail);
            }
            k += 1;
        }
        month_start = k;
        let n = ts.len();
        written += n as u64;
        let mut df = DataFrame::new(
            n,
            vec![
                Column::new("ts".into(), ts),
                Column::new("host".into(), host),
                Column::new("latency_ms".into(), value),
            ],
        )
        .unwrap();
        let part = root.join(format!("year={y}/month={m:02}"));
        fs::create_dir_all(&part).unwrap();
        ParquetWriter::new(fs::File::create(part.join("part-0.parquet")).unwrap())
            .finish(&mut df)
            .unwrap();
    }
    println!("{written} metric rows → {}", dir.display());
}
