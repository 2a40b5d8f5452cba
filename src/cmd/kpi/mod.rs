//! `opsite kpi`: load the site's exports, run the KPI engine for one period or all of them, and
//! print a table, JSON or CSV.

mod explain;

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::anyhow;
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::cli::{KpiArgs, KpiFormat};
use crate::cmd::kpi_views as views;
use crate::config::{SiteConfig, CONFIG_FILE};
use crate::error::{Code, Diagnostic};
use crate::kpi::period::{Period, PeriodError};
use crate::kpi::report::PeriodReport;
use crate::kpi::{ConfigError, Engine};

/// RFC 3339, or a local `YYYY-MM-DDTHH:MM[:SS]` in the site's zone, within the supported years.
pub fn parse_as_of(s: &str, tz: Tz) -> Result<i64, String> {
    let t = parse_instant(s, tz)?;
    if crate::kpi::period::supported_instant(t) {
        Ok(t)
    } else {
        Err(format!(
            "--as-of `{s}`: opsite works with {}",
            crate::kpi::period::supported_years()
        ))
    }
}

fn parse_instant(s: &str, tz: Tz) -> Result<i64, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.timestamp());
    }
    // RFC 3339 without seconds (`2026-10-15T12:00+09:00`, `2026-10-15T03:00Z`), as people
    // write it.
    if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z") {
        return Ok(d.timestamp());
    }
    if let Some(n) = (s.strip_suffix(['Z', 'z']))
        .and_then(|u| NaiveDateTime::parse_from_str(u, "%Y-%m-%dT%H:%M").ok())
    {
        return Ok(n.and_utc().timestamp());
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
        "--as-of `{s}`: expected a time such as 2026-11-20T17:00 (site time) or 2026-11-20T17:00:00+09:00"
    ))
}

pub fn run(args: &KpiArgs) -> anyhow::Result<ExitCode> {
    if args.encoding.is_some() && !matches!(args.format, KpiFormat::Csv) {
        return Err(anyhow!("--encoding applies to --format csv only"));
    }
    if matches!(args.format, KpiFormat::Xlsx) {
        workbook_target(args.output.as_deref())?;
    }
    let root = &crate::cmd::site_root(args.root.root.as_deref())?;
    let timings = std::env::var_os("OPSITE_TIMINGS").is_some();
    let t0 = std::time::Instant::now();
    let (config, warnings) = SiteConfig::load(root)?;
    if let Some(file) = &args.output {
        crate::cmd::check_file_place(root, &config, file, &crate::cmd::KPI_FILE)?;
    }
    let config_text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    // The loading's warnings wait for the configuration's errors the engine finds: errors first.
    let (loaded, mut load_warnings) = match crate::data::stored::load(root, &config.kpi) {
        Ok(l) => {
            let mut all = warnings;
            all.extend(l.warnings.iter().cloned());
            (l, all)
        }
        Err(mut errors) => {
            let in_config = errors
                .iter()
                .filter(|d| d.is_error() && d.location.file == std::path::Path::new(CONFIG_FILE))
                .count();
            let in_data = errors.iter().filter(|d| d.is_error()).count() - in_config;
            errors.extend(warnings);
            print_diagnostics(errors, args.verbose);
            eprintln!(
                "kpi: {}; nothing computed",
                error_places(in_config, in_data)
            );
            return Ok(ExitCode::from(1));
        }
    };
    if let Some(id) = &args.explain {
        print_diagnostics(load_warnings, args.verbose);
        for line in crate::cmd::report::set_aside_lines(&loaded) {
            eprintln!("{line}");
        }
        // With --customer, only that customer's tickets: its edition shows no other.
        let own;
        let data = match &args.customer {
            Some(name) => {
                own = loaded
                    .data
                    .for_customer(customer_name(name.trim(), &config.customers));
                &own
            }
            None => &loaded.data,
        };
        let set_aside = explain::SetAside {
            quarantined: loaded.rejected.get("tickets").copied().unwrap_or(0),
            excluded: loaded.excluded.get("tickets").copied().unwrap_or(0),
        };
        return explain::run(id, args, &config.kpi, data, (&config_text, set_aside));
    }
    let t1 = std::time::Instant::now();
    let peak1 = memory_use();
    let engine = match Engine::new(&config.kpi, &loaded.data) {
        Ok(e) => e,
        Err(errors) => {
            let n = errors.len();
            let mut all: Vec<_> = errors.iter().map(|e| located(&config_text, e)).collect();
            all.append(&mut load_warnings);
            print_diagnostics(all, args.verbose);
            for line in crate::cmd::report::set_aside_lines(&loaded) {
                eprintln!("{line}");
            }
            eprintln!("kpi: {}; nothing computed", error_places(n, 0));
            return Ok(ExitCode::from(1));
        }
    };
    print_diagnostics(load_warnings, args.verbose);
    for line in crate::cmd::report::set_aside_lines(&loaded) {
        eprintln!("{line}");
    }
    let scoped_inputs;
    let scoped;
    let engine = match &args.customer {
        None => &engine,
        Some(name) => {
            let name = customer_name(name.trim(), &config.customers);
            let known = engine.customer_names();
            if !known.contains(&name) {
                // An edition's slug is a name for its customer here too, as `email` and `pdf` take it.
                let slugs = config.customers.iter().map(|c| c.slug.as_str());
                let hint = crate::config::keys::closest(name, known.iter().copied().chain(slugs))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                if known.is_empty() {
                    return Err(anyhow!(
                        "--customer needs `contracts:` in site.yaml (and a `customer` column in the tickets)"
                    ));
                }
                return Err(anyhow!(
                    "--customer `{name}`: no such customer{hint}; customers: {}",
                    known.join(", ")
                ));
            }
            // Exactly the figures the customer's edition shows: its edition's services, else
            // its mail's, else every service.
            let edition = config.customers.iter().find(|c| c.name == name);
            let services = (edition.and_then(|e| e.services.as_deref()))
                .or_else(|| (config.email.customers.get(name)).and_then(|r| r.services.as_deref()));
            let scope_as_of = (args.as_of.as_deref())
                .and_then(|s| parse_as_of(s, engine.tz).ok())
                .unwrap_or_else(|| chrono::Utc::now().timestamp());
            let scope = crate::site::reports::CustomerScope {
                name,
                services,
                provenance: false,
                as_of: scope_as_of,
                may_have_no_tickets: false,
            };
            scoped_inputs =
                crate::site::reports::scoped_inputs(&engine, &loaded.data, &config, &scope)
                    .map_err(|e| anyhow!("--customer {name}: {e}"))?;
            scoped = Engine::new_scoped(
                &scoped_inputs.kpi,
                &scoped_inputs.data,
                &scoped_inputs.units,
                &engine,
            )
            .map_err(|e| anyhow!("{}", e[0]))?;
            &scoped
        }
    };
    let t2 = std::time::Instant::now();
    let peak2 = memory_use();
    let tz = engine.tz;
    let now = chrono::Utc::now().timestamp();
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_as_of(s, tz))
        .transpose()
        .map_err(|e| anyhow!(e))?;
    let period = args.period.as_deref().unwrap_or_default();
    let all = period.eq_ignore_ascii_case("all");
    let mut reports: Vec<PeriodReport> = if all {
        let cut = as_of.unwrap_or(now);
        // Every week, then every month, then every quarter, each in time order: a table a
        // reader scans (or filters) by kind, not weeks and months interleaved by their start.
        let mut periods = engine.all_periods(cut);
        periods.sort_by_key(|p| (p.kind, p.start));
        let requests: Vec<(Period, i64)> = periods
            .into_iter()
            .map(|p| {
                let as_of = cut.min(p.end);
                (p, as_of)
            })
            .collect();
        engine.reports(&requests)
    } else {
        // `kpi` alone also takes `all` (every period); `pdf` and `email` take one period.
        let p = Period::parse(period, tz).map_err(|e| match e {
            PeriodError::NotAPeriod(_) => anyhow!("--period {e}, or all"),
            e => anyhow!("--period {e}"),
        })?;
        if !engine.covered(&p) {
            return Err(anyhow!(
                "--period {}: the period ends before data.tickets.covers.from ({}), where the site's data starts; ask for a later one, or move `covers` in site.yaml",
                p.label,
                engine.tickets_covered_from().map(|d| d.to_string()).unwrap_or_default()
            ));
        }
        if as_of.is_some_and(|t| t <= p.start) {
            return Err(anyhow!(
                "--as-of {}: {} starts later; the cut-off must fall after the period's start",
                args.as_of.as_deref().unwrap_or(""),
                p.label
            ));
        }
        if as_of.is_none() && now <= p.start {
            return Err(anyhow!(
                "--period {}: the period has not started yet (it starts {}); pass --as-of to look at it anyway",
                p.label,
                p.first_day
            ));
        }
        // The default as_of is the earlier of now and the period's end.
        vec![engine.report(&p, as_of.unwrap_or(now.min(p.end)))]
    };
    if let Some(name) = &args.customer {
        for r in &mut reports {
            r.customer = Some(customer_name(name.trim(), &config.customers).to_string());
        }
    }
    if timings {
        let kept = loaded.kept;
        eprintln!(
            "  load {:.0} ms ({}; peak {peak1}), clocks {:.0} ms (peak {peak2}), periods {:.0} ms (peak {})",
            (t1 - t0).as_secs_f64() * 1e3,
            match kept {
                true => "the tables kept in .opsite/cache",
                false => "from the files",
            },
            (t2 - t1).as_secs_f64() * 1e3,
            t2.elapsed().as_secs_f64() * 1e3,
            memory_use()
        );
    }
    let bytes = match args.format {
        KpiFormat::Json if all => (serde_json::to_string_pretty(&reports)? + "\n").into_bytes(),
        KpiFormat::Json => (serde_json::to_string_pretty(&reports[0])? + "\n").into_bytes(),
        KpiFormat::Csv => {
            let encoding = args.encoding.unwrap_or(crate::cli::CsvEncoding::Utf8);
            views::encode(&views::csv(&reports), encoding)
                .map_err(|e| anyhow!("--encoding {}: {e}", views::encoding_name(encoding)))?
        }
        KpiFormat::Table | KpiFormat::Xlsx => {
            let lang = crate::i18n::Lang::of(&config.language);
            let labels = crate::i18n::labels::Labels::new(&config.labels, lang);
            let names: Vec<String> = (reports.iter())
                .map(|r| match Period::parse(&r.period, tz) {
                    Ok(p) => crate::i18n::periods::period_name(&p, lang, config.fiscal_year_start),
                    Err(_) => String::new(),
                })
                .collect();
            if matches!(args.format, KpiFormat::Table) {
                views::table(&reports, &labels, &names, &config.kpi.numbers).into_bytes()
            } else {
                let table =
                    views::workbook_table(&reports, &labels, &names, (lang, &config.kpi.numbers));
                let t = crate::reports::labels::words(&config.language);
                let style = crate::sheets::NumberStyle {
                    minutes: t.minutes_unit,
                    unit_heading: t.unit,
                    title: None,
                    date_time: t.excel_date_time,
                };
                let created = as_of.unwrap_or(now);
                crate::sheets::workbook(&[table], created, &style).map_err(|e| anyhow!(e))?
            }
        }
    };
    match &args.output {
        Some(file) => {
            std::fs::write(file, &bytes)
                .map_err(|e| anyhow!("cannot write {}: {e}", file.display()))?;
            crate::cmd::keep_private(root, file)?;
            eprintln!("kpi: wrote {}", file.display());
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A workbook goes to a plain file only: never to standard output (a terminal, a pipe or
/// `> file`), nor to a device or pipe named as the file (`--output /dev/stdout`).
fn workbook_target(output: Option<&std::path::Path>) -> anyhow::Result<()> {
    let Some(file) = output else {
        return Err(anyhow!(
            "--format xlsx writes a workbook, which is never written to standard output (a terminal, a pipe or `> file`): give --output FILE (e.g. --output kpi.xlsx)"
        ));
    };
    // A link is refused, not followed: the workbook is written beside it and renamed over it,
    // which would replace the link itself (`/dev/stdout` with a file).
    let link = std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::metadata(file) {
        Ok(m) if !m.is_file() => Err(anyhow!(
            "--output {}: not a plain file (a folder, a terminal, a pipe or a device); a workbook is written to a file only",
            file.display()
        )),
        Ok(_) if link => Err(anyhow!(
            "--output {}: a symbolic link; give the file itself (a workbook is written to a file only)",
            file.display()
        )),
        _ => Ok(()),
    }
}

/// The customer `--customer` names: a customer's name, or the slug of its edition
/// (`customers:`), as `build --customer` takes either.
fn customer_name<'a>(
    wanted: &'a str,
    customers: &'a [crate::config::customers::CustomerConfig],
) -> &'a str {
    crate::config::customers::named(customers, wanted).map_or(wanted, |c| c.name.as_str())
}

fn print_diagnostics(list: Vec<Diagnostic>, verbose: bool) {
    let mut d = crate::error::Diagnostics::default();
    d.extend(list);
    crate::cmd::report::Report::new(d, verbose).print();
}

/// "2 error(s) in site.yaml and 3 in the data": where to look.
fn error_places(in_config: usize, in_data: usize) -> String {
    match (in_config, in_data) {
        (c, 0) => format!("{c} error(s) in {CONFIG_FILE}"),
        (0, d) => format!("{d} error(s) in the data"),
        (c, d) => format!("{c} error(s) in {CONFIG_FILE} and {d} in the data"),
    }
}

/// A KPI configuration mistake at its line in site.yaml.
pub(super) fn located(config_text: &str, e: &ConfigError) -> Diagnostic {
    let location = crate::config::keys::config_location(config_text, &e.keys);
    Diagnostic::error(Code::Config, location, e.to_string())
}

/// The process's peak memory so far and the memory in use now, as Linux reports them (`VmHWM`,
/// `VmRSS`); empty elsewhere.
fn memory_use() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        (status.lines())
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    format!("{}, now {}", field("VmHWM:"), field("VmRSS:"))
}

#[cfg(test)]
mod tests {
    use super::parse_instant;

    #[test]
    fn as_of_takes_the_forms_people_write() {
        let tz = chrono_tz::Asia::Tokyo;
        let utc = parse_instant("2026-11-20T08:00:00Z", tz).unwrap();
        assert_eq!(parse_instant("2026-11-20T08:00Z", tz), Ok(utc));
        assert_eq!(parse_instant("2026-11-20T17:00+09:00", tz), Ok(utc));
        assert_eq!(parse_instant("2026-11-20T17:00", tz), Ok(utc));
        let e = parse_instant("2026-11-20", tz).unwrap_err();
        assert!(e.contains("such as 2026-11-20T17:00"), "{e}");
    }
}
