//! Example data for the example site's KPI pages: a year of tickets (some paused, some late, some
//! still open), status events, outages including planned work, survey answers, API usage
//! (Parquet) and monitoring metrics. Deterministic, so the committed files can be regenerated:
//!
//!     cargo run --release --example gen_data -- data

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use polars::prelude::*;

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "data".into());
    let out = Path::new(&out);
    fs::create_dir_all(out.join("tickets")).unwrap();
    fs::create_dir_all(out.join("metrics")).unwrap();
    let mut rng = Rng(0x5EED_0F_0B5);
    let start = NaiveDate::from_ymd_opt(2025, 12, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let end = NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let minutes = (end - start).num_minutes() as u64;

    let priorities = [
        ("1 - Critical", 2),
        ("2 - High", 13),
        ("3 - Moderate", 45),
        ("4 - Low", 40),
    ];
    let categories = ["障害", "問い合わせ", "アカウント", "変更依頼", "性能"];
    let groups = ["L1 サービスデスク", "L2 運用", "L3 開発"];
    let companies = [
        "北海物産",
        "東都メディカル",
        "南海ロジスティクス",
        "西日本エナジー",
    ];
    let mut tickets_by_half: [String; 2] = Default::default();
    let header = "number,short_description,priority,state,category,company,assignment_group,opened_at,first_response_at,resolved_at,sys_mod_count\n";
    let mut events = String::from("ticket,status,changed_at\n");
    let n = 3200;
    let mut opened_times: Vec<NaiveDateTime> = (0..n)
        .map(|_| start + Duration::minutes(rng.below(minutes) as i64))
        .collect();
    opened_times.sort();
    for (i, opened) in opened_times.iter().enumerate() {
        let id = format!("INC{:07}", 10_000 + i);
        let roll = rng.below(100);
        let mut acc = 0;
        let (prio, _) = priorities
            .iter()
            .find(|(_, w)| {
                acc += w;
                roll < acc
            })
            .unwrap();
        let scale = match *prio {
            "1 - Critical" => 1,
            "2 - High" => 3,
            "3 - Moderate" => 8,
            _ => 16,
        };
        let respond_after = Duration::minutes((5 + rng.below(50 * scale)) as i64);
        let long_tail = if rng.chance(10) { 3000 } else { 0 };
        let resolve_after =
            respond_after + Duration::minutes((30 + rng.below(240 * scale + long_tail)) as i64);
        let still_open = *opened + resolve_after > end || rng.chance(2);
        let responded = if rng.chance(4) {
            None
        } else {
            Some(*opened + respond_after)
        };
        let resolved = if still_open {
            None
        } else {
            Some(*opened + resolve_after)
        };
        let category = categories[rng.below(categories.len() as u64) as usize];
        let group = groups[(rng.below(10).min(8) / 4) as usize];
        let company = companies[rng.below(companies.len() as u64) as usize];
        let state = if resolved.is_some() {
            "Resolved"
        } else {
            "In Progress"
        };
        let row = format!(
            "{id},{category}の件 {i},{prio},{state},{category},{company},{group},{},{},{},{}\n",
            ts(*opened),
            responded.map(ts).unwrap_or_default(),
            resolved.map(ts).unwrap_or_default(),
            3
        );
        let half = usize::from(
            *opened
                >= NaiveDate::from_ymd_opt(2026, 6, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
        );
        // Some tickets were exported twice; the later revision (higher sys_mod_count) wins.
        if rng.chance(3) {
            let earlier = row.replacen(state, "New", 1).replace(",3\n", ",1\n");
            tickets_by_half[half].push_str(&earlier);
        }
        tickets_by_half[half].push_str(&row);
        let _ = writeln!(events, "{id},新規,{}", ts(*opened));
        if let Some(r) = responded {
            let _ = writeln!(events, "{id},対応中,{}", ts(r));
            if rng.chance(15) {
                let wait = r + Duration::minutes(10 + rng.below(60) as i64);
                let back = wait + Duration::minutes(60 + rng.below(600) as i64);
                let _ = writeln!(events, "{id},顧客回答待ち,{}", ts(wait));
                let _ = writeln!(events, "{id},対応中,{}", ts(back));
            }
        }
        if let Some(r) = resolved {
            let _ = writeln!(events, "{id},解決,{}", ts(r));
        }
    }
    fs::write(
        out.join("tickets/2025-12_2026-05.csv"),
        format!("{header}{}", tickets_by_half[0]),
    )
    .unwrap();
    fs::write(
        out.join("tickets/2026-06_2026-11.csv"),
        format!("{header}{}", tickets_by_half[1]),
    )
    .unwrap();
    fs::write(out.join("ticket_events.csv"), events).unwrap();

    let mut downtime = String::from("service,start,end,planned\n");
    for month in 0..12 {
        for service in ["portal", "api"] {
            if rng.chance(55) {
                let day = 1 + rng.below(27) as u32;
                let m = (12 + month - 1) % 12 + 1;
                let y = if month == 0 { 2025 } else { 2026 };
                let s = NaiveDate::from_ymd_opt(y, m, day)
                    .unwrap()
                    .and_hms_opt(rng.below(24) as u32, rng.below(60) as u32, 0)
                    .unwrap();
                let planned = rng.chance(25);
                let e = s + Duration::minutes(5 + rng.below(if planned { 180 } else { 70 }) as i64);
                if e < end {
                    let _ = writeln!(downtime, "{service},{},{},{}", ts(s), ts(e), planned);
                }
            }
        }
    }
    fs::write(out.join("downtime.csv"), downtime).unwrap();

    let mut surveys = String::from("answered_at,satisfaction,recommend\n");
    for _ in 0..900 {
        let t = start + Duration::minutes(rng.below(minutes) as i64);
        let csat = if rng.chance(8) {
            String::new()
        } else {
            (2 + rng.below(4).max(rng.below(4))).min(5).to_string()
        };
        let nps = if rng.chance(10) {
            String::new()
        } else {
            (4 + rng.below(7)).to_string()
        };
        let _ = writeln!(surveys, "{},{csat},{nps}", ts(t));
    }
    fs::write(out.join("surveys.csv"), surveys).unwrap();

    // API usage: one row per user and day.
    let (mut dates, mut users, mut calls, mut cost) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let first_day = start.date();
    for d in 0..(end.date() - first_day).num_days() {
        let day = first_day + Duration::days(d);
        for u in 0..6 {
            if rng.chance(70) {
                let spike = if rng.chance(2) { 8 } else { 1 };
                let c = (5 + rng.below(60)) as i64 * spike;
                dates.push(day);
                users.push(format!("user{u:02}"));
                calls.push(c);
                cost.push(c as f64 * 0.45);
            }
        }
    }
    let rows = dates.len();
    let mut api = DataFrame::new(
        rows,
        vec![
            Column::new("date".into(), dates),
            Column::new("user".into(), users),
            Column::new("calls".into(), calls),
            Column::new("cost".into(), cost),
        ],
    )
    .unwrap();
    ParquetWriter::new(fs::File::create(out.join("api_usage.parquet")).unwrap())
        .finish(&mut api)
        .unwrap();

    // Monitoring: hourly p95 latency per host; daily business metrics (long format, Parquet).
    let mut latency = String::from("timestamp,host,p95_ms\n");
    let hours = (end
        - NaiveDate::from_ymd_opt(2026, 9, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap())
    .num_hours();
    for h in 0..hours {
        let t = NaiveDate::from_ymd_opt(2026, 9, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + Duration::hours(h);
        for host in ["web01", "web02"] {
            if rng.chance(97) {
                let v = 120 + rng.below(80) + if rng.chance(2) { 900 } else { 0 };
                let _ = writeln!(latency, "{},{host},{v}", ts(t));
            }
        }
    }
    fs::write(out.join("metrics/latency-2026.csv"), latency).unwrap();
    let (mut days, mut names, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for d in 0..(end.date() - first_day).num_days() {
        let day = first_day + Duration::days(d);
        for (name, base, spread) in [
            ("mau", 1800.0, 200.0),
            ("automation_rate", 0.55, 0.2),
            ("daily_report_completion", 0.9, 0.1),
        ] {
            days.push(day);
            names.push(name.to_string());
            values.push(base + spread * (rng.below(1000) as f64 / 1000.0));
        }
    }
    let rows = days.len();
    let mut business = DataFrame::new(
        rows,
        vec![
            Column::new("day".into(), days),
            Column::new("metric".into(), names),
            Column::new("value".into(), values),
        ],
    )
    .unwrap();
    ParquetWriter::new(fs::File::create(out.join("metrics/business.parquet")).unwrap())
        .finish(&mut business)
        .unwrap();
    println!("example data written to {}", out.display());
}
