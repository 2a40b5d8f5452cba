//! Large ticket exports for the KPI benchmark (see BENCHMARKS.md):
//!
//!     cargo run --release --example gen_tickets -- 1000000 /tmp/kpi-1m csv
//!     cargo run --release --example gen_tickets -- 10000000 /tmp/kpi-10m parquet
//!
//! Writes `DIR/site.yaml` (response and resolution targets on 24x7 and business calendars, no
//! status events) and `DIR/data/tickets.{csv,parquet}` with a year of tickets. Deterministic.

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use polars::prelude::*;

const SITE: &str = r#"title: kpi bench
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.*
    columns: {id: id, priority: priority, opened_at: opened_at, responded_at: responded_at, resolved_at: resolved_at, category: category, tier: tier}
calendars:
  business:
    hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: japan
    extra_holidays: ["2026-12-29", "2026-12-30", "2026-12-31"]
sla:
  response:
    critical: {within: 1h}
    high: {within: 2h}
    medium: {within: 4h, calendar: business}
    low: {within: 1bd, calendar: business}
  resolution:
    critical: {within: 4h}
    high: {within: 1bd, calendar: business}
    medium: {within: 2bd, calendar: business}
    low: {within: 5bd, calendar: business}
"#;

const PRIORITIES: [&str; 4] = ["critical", "high", "medium", "low"];
const CATEGORIES: [&str; 5] = ["障害", "問い合わせ", "アカウント", "変更依頼", "性能"];
const TIERS: [&str; 3] = ["L1", "L2", "L3"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen_tickets N DIR [csv|parquet]");
        std::process::exit(2);
    };
    let parquet = args.get(3).is_some_and(|f| f == "parquet");
    let dir = Path::new(dir);
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("data")).unwrap();
    fs::write(dir.join("site.yaml"), SITE).unwrap();
    // 2025-11-24 00:00 JST (a Monday) in UTC seconds, and a year of minutes after it.
    let start: i64 = 1_763_910_000;
    let year_min = 365 * 24 * 60;
    let mut rng = Rng(0xC0FF_EE12_3456_789A);
    let mut rows: Vec<(i64, usize, Option<i64>, Option<i64>, usize, usize)> = Vec::with_capacity(n);
    for _ in 0..n {
        let opened = start + 60 * rng.below(year_min) as i64;
        let p = (rng.below(100) as usize).min(99);
        let p = if p < 2 {
            0
        } else if p < 15 {
            1
        } else if p < 60 {
            2
        } else {
            3
        };
        let scale = [1, 3, 8, 16][p] as u64;
        let responded =
            (rng.below(25) != 0).then(|| opened + 60 * (5 + rng.below(50 * scale)) as i64);
        let resolved =
            (rng.below(30) != 0).then(|| opened + 60 * (30 + rng.below(300 * scale)) as i64);
        rows.push((
            opened,
            p,
            responded,
            resolved,
            rng.below(5) as usize,
            rng.below(3) as usize,
        ));
    }
    let local = |t: i64| {
        chrono::DateTime::from_timestamp(t + 9 * 3600, 0)
            .unwrap()
            .naive_utc()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    if parquet {
        let ms = |v: Option<i64>| v.map(|t| t * 1000);
        let col_dt = |name: &str, v: Vec<Option<i64>>| -> Column {
            // Timestamps with an explicit UTC zone: the engine reads them as instants.
            Series::new(name.into(), v)
                .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
                .into_column()
        };
        let mut df = DataFrame::new(
            n,
            vec![
                Column::new(
                    "id".into(),
                    (0..n).map(|i| format!("T{i:08}")).collect::<Vec<_>>(),
                ),
                Column::new(
                    "priority".into(),
                    rows.iter().map(|r| PRIORITIES[r.1]).collect::<Vec<_>>(),
                ),
                col_dt("opened_at", rows.iter().map(|r| Some(r.0 * 1000)).collect()),
                col_dt("responded_at", rows.iter().map(|r| ms(r.2)).collect()),
                col_dt("resolved_at", rows.iter().map(|r| ms(r.3)).collect()),
                Column::new(
                    "category".into(),
                    rows.iter().map(|r| CATEGORIES[r.4]).collect::<Vec<_>>(),
                ),
                Column::new(
                    "tier".into(),
                    rows.iter().map(|r| TIERS[r.5]).collect::<Vec<_>>(),
                ),
            ],
        )
        .unwrap();
        ParquetWriter::new(fs::File::create(dir.join("data/tickets.parquet")).unwrap())
            .finish(&mut df)
            .unwrap();
    } else {
        let mut s = String::with_capacity(n * 90);
        s.push_str("id,priority,opened_at,responded_at,resolved_at,category,tier\n");
        for (i, r) in rows.iter().enumerate() {
            let _ = writeln!(
                s,
                "T{i:08},{},{},{},{},{},{}",
                PRIORITIES[r.1],
                local(r.0),
                r.2.map(local).unwrap_or_default(),
                r.3.map(local).unwrap_or_default(),
                CATEGORIES[r.4],
                TIERS[r.5]
            );
        }
        fs::write(dir.join("data/tickets.csv"), s).unwrap();
    }
    println!("{n} tickets → {}", dir.display());
}
