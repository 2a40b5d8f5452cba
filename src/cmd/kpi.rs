//! `opsite kpi`: load the site's exports, run the KPI engine for one period or all of them, and
//! print a table, JSON or CSV.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{anyhow, Context};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::cli::{KpiArgs, KpiFormat};
use crate::config::SiteConfig;
use crate::kpi::period::Period;
use crate::kpi::report::PeriodReport;
use crate::kpi::Engine;

/// RFC 3339, or a local `YYYY-MM-DDTHH:MM[:SS]` in the site's zone.
pub fn parse_as_of(s: &str, tz: Tz) -> Result<i64, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp());
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return tz
                .from_local_datetime(&n)
                .earliest()
                .map(|d| d.timestamp())
                .ok_or_else(|| format!("`{s}` does not exist in {tz}"));
        }
    }
    Err(format!(
        "--as-of `{s}`: expected RFC 3339 or YYYY-MM-DDTHH:MM"
    ))
}

pub fn run(args: &KpiArgs) -> anyhow::Result<ExitCode> {
    let root = &super::site_root(args.root.root.as_deref())?;
    let timings = std::env::var_os("OPSITE_TIMINGS").is_some();
    let t0 = std::time::Instant::now();
    let (config, warnings) = SiteConfig::load(root)
        .with_context(|| format!("cannot load {}", root.join("site.yaml").display()))?;
    let loaded = match crate::data::load(root, &config.kpi) {
        Ok(l) => {
            let mut d = crate::error::Diagnostics::default();
            d.extend(warnings);
            super::report::Report::new(d, false).print();
            l
        }
        Err(errors) => {
            let count = errors.len();
            let mut d = crate::error::Diagnostics::default();
            d.extend(errors);
            d.extend(warnings);
            super::report::Report::new(d, false).print();
            eprintln!("kpi: {count} error(s) in the data; nothing computed");
            return Ok(ExitCode::from(1));
        }
    };
    for (source, n) in &loaded.rejected {
        eprintln!(
            "quarantined {n} row(s) of {source} → {}/{source}.csv",
            crate::data::REJECTS_DIR
        );
    }
    let t1 = std::time::Instant::now();
    let engine = Engine::new(&config.kpi, &loaded.data).map_err(|e| anyhow!("site.yaml: {e}"))?;
    let t2 = std::time::Instant::now();
    let tz = engine.tz;
    let now = chrono::Utc::now().timestamp();
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_as_of(s, tz))
        .transpose()
        .map_err(|e| anyhow!(e))?;
    let reports: Vec<PeriodReport> = if args.period == "all" {
        let cut = as_of.unwrap_or(now);
        let requests: Vec<(Period, i64)> = engine
            .all_periods(cut)
            .into_iter()
            .map(|p| {
                let as_of = cut.min(p.end);
                (p, as_of)
            })
            .collect();
        engine.reports(&requests)
    } else {
        let p = Period::parse(&args.period, tz).map_err(|e| anyhow!("--period {e}"))?;
        // The default as_of is the earlier of now and the period's end.
        vec![engine.report(&p, as_of.unwrap_or(now.min(p.end)))]
    };
    if timings {
        eprintln!(
            "  load {:.0} ms, clocks {:.0} ms, periods {:.0} ms",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            t2.elapsed().as_secs_f64() * 1e3
        );
    }
    let out = match args.format {
        KpiFormat::Json if args.period == "all" => serde_json::to_string_pretty(&reports)? + "\n",
        KpiFormat::Json => serde_json::to_string_pretty(&reports[0])? + "\n",
        KpiFormat::Csv => csv(&reports),
        KpiFormat::Table => table(&reports),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn csv(reports: &[PeriodReport]) -> String {
    let mut s = String::from("period,kpi,value,unit,met,breached,pending\n");
    let opt = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_default();
    for r in reports {
        for (id, k) in &r.kpis {
            let id = if id.contains([',', '"']) {
                format!("\"{}\"", id.replace('"', "\"\""))
            } else {
                id.clone()
            };
            let value = k.value.map(|v| v.to_string()).unwrap_or_default();
            let _ = writeln!(
                s,
                "{},{id},{value},{},{},{},{}",
                r.period,
                k.unit.name(),
                opt(k.met),
                opt(k.breached),
                opt(k.pending)
            );
        }
    }
    s
}

fn rounded(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) if x.fract() == 0.0 => format!("{x}"),
        Some(x) => format!("{x:.2}"),
    }
}

fn table(reports: &[PeriodReport]) -> String {
    let mut s = String::new();
    for r in reports {
        let _ = writeln!(
            s,
            "{}  [{} – {})  as of {}",
            r.period, r.start, r.end, r.as_of
        );
        let width = r.kpis.keys().map(|k| k.chars().count()).max().unwrap_or(10);
        for (id, k) in &r.kpis {
            let value = match k.unit {
                crate::kpi::report::Unit::Ratio => k
                    .value
                    .map(|v| format!("{:.1} %", v * 100.0))
                    .unwrap_or_else(|| "—".into()),
                _ => rounded(k.value),
            };
            let counts = match (k.met, k.breached, k.pending) {
                (Some(m), Some(b), Some(p)) => format!("  met {m}, breached {b}, pending {p}"),
                _ => k.count.map(|n| format!("  n = {n}")).unwrap_or_default(),
            };
            let _ = writeln!(
                s,
                "  {id:<width$}  {value:>12} {:<8}{counts}",
                k.unit.name()
            );
        }
        if !r.indicators.is_empty() {
            let _ = writeln!(s, "  indicators:");
            for i in &r.indicators {
                let _ = writeln!(
                    s,
                    "    {:<10} {:<16} {:>10}  {:<9} (target {}, previous {})",
                    i.id,
                    i.name,
                    rounded(i.value),
                    format!("{:?}", i.status).to_lowercase(),
                    i.target,
                    rounded(i.previous)
                );
            }
        }
        for a in &r.alerts {
            let _ = writeln!(
                s,
                "  alert {} {} {} {}",
                a.date,
                a.rule,
                a.user.as_deref().unwrap_or("-"),
                rounded(Some(a.value))
            );
        }
        s.push('\n');
    }
    s
}
