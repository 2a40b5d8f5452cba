//! `opsite check`: everything a build does without writing, with link problems as errors, plus
//! stale procedures (`review_by` passed) and, with `--external`, the links to other sites.
//! Reports grouped by file, or as one JSON object for CI (`--format json`).

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use super::report::Report;
use crate::cli::{CheckArgs, CheckFormat};
use crate::content::front_matter::now;
use crate::content::PageDate;
use crate::error::{Code, Diagnostic, Diagnostics, Location, Severity};
use crate::linkcheck::{self, cache::Cache, Counts, ExternalLinks};
use crate::site::{self, sources, BuildOptions, BuildResult};

/// `alerts.rules_files` against the runbooks' `alerts:` (`content::alerts::compare`). A pattern
/// matching no file is a warning; a file that is not a rules file, an error at its line.
fn alert_rules(
    root: &std::path::Path,
    config: &crate::config::SiteConfig,
    lib: &crate::content::Library,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut rules = Vec::new();
    for pattern in &config.alerts.rules_files {
        // The exports' glob rules: walked from the literal folder, sorted.
        let glob: Option<crate::config::kpi::SourceConfig> =
            serde_json::from_value(serde_json::json!({ "files": pattern })).ok();
        let files = glob
            .and_then(|g| crate::data::read::resolve(root, &g).ok())
            .unwrap_or_default();
        if files.is_empty() {
            diags.push(Diagnostic::warning(
                Code::Config,
                Location::file(&config.source_file),
                format!("alerts.rules_files: `{pattern}` matches no file"),
            ));
        }
        for rel in files {
            let text = match std::fs::read_to_string(root.join(&rel)) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        Code::Config,
                        Location::file(&rel),
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            };
            match crate::content::alerts::rules_of(&text) {
                Ok(list) => rules.push((rel, list)),
                Err((line, message)) => diags.push(Diagnostic::error(
                    Code::Config,
                    Location::at(&rel, line, None),
                    message,
                )),
            }
        }
    }
    if config.alerts.rules_files.is_empty() {
        return diags;
    }
    diags.extend(crate::content::alerts::compare(lib, &rules, &|p| {
        config.absolute_url(p)
    }));
    diags
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let root = &super::site_root(args.root.root.as_deref())?;
    let (sources, load_diags) = match sources::load(root) {
        Ok(loaded) => loaded,
        // A configuration that stops everything is still one JSON document for CI.
        Err(crate::error::Error::Config { error, warnings })
            if args.format == CheckFormat::Json =>
        {
            let mut diags = Diagnostics::default();
            std::iter::once(error)
                .chain(warnings)
                .for_each(|d| diags.push(d));
            println!("{}", json_report(diags, 0));
            return Ok(ExitCode::from(1));
        }
        Err(crate::error::Error::Located(error)) if args.format == CheckFormat::Json => {
            let mut diags = Diagnostics::default();
            diags.push(error);
            println!("{}", json_report(diags, 0));
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e))
                .with_context(|| format!("cannot load the site at {}", root.display()))
        }
    };
    let today = super::clock(args.as_of.as_deref(), &sources.config)?.unwrap_or_else(now);
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: None,
        damage_is_error: true,
        now: today,
        freeze_due: today <= now(),
        search_index: false,
        index_older_versions: false,
        edition: None,
    };
    let only = match &args.customer {
        Some(c) => Some(super::targets::edition_named(&sources.config.customers, c)?),
        None => None,
    };
    // The internal site and every edition (or only the one asked for), as `build` makes them.
    let (internal, editions, diagnostics) = super::with_progress(|p| {
        let run = site::Run {
            sources: &sources,
            opts: &opts,
            progress: p,
        };
        // Checked whole: nothing is kept from a build.
        super::targets::build_targets(run, only.as_deref(), &|_, r| r, &|_, _| false)
    });
    let checked_editions = (editions.iter())
        .filter(|(_, e)| matches!(e, super::targets::EditionRun::Built { .. }))
        .count();
    let first_edition = editions.into_iter().find_map(|(_, e)| match e {
        super::targets::EditionRun::Built { result, .. } => Some(result),
        super::targets::EditionRun::Unchanged => None,
    });
    let Some(mut result) = internal.or(first_edition) else {
        anyhow::bail!("nothing to check");
    };
    result.diagnostics = diagnostics;
    result.diagnostics.extend(load_diags);
    let stale = stale_procedures(&result, today, args.strict);
    result.diagnostics.extend(stale);
    result
        .diagnostics
        .extend(alert_rules(root, &sources.config, &result.library));
    let mut notes: Vec<String> = super::report::site_quarantine_lines(&sources);
    notes.extend(super::report::customers_without_edition(&sources));
    if args.external {
        let (diags, counts) = external(root, &sources.config.check, &result.external_links);
        result.diagnostics.extend(diags);
        notes.push(counts.to_string());
    }
    if !result.new_snapshots.is_empty() {
        let labels: Vec<String> = result
            .new_snapshots
            .iter()
            .filter_map(|(p, _)| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        notes.push(format!(
            "reports.freeze_after: {} period(s) due to be frozen ({}); the next `opsite build` freezes them",
            labels.len(),
            labels.join(", ")
        ));
    }
    if let Some(hint) = super::report::shortcode_hint(&result.unknown_shortcodes, &sources.config) {
        notes.push(hint);
    }
    let errors = result.diagnostics.error_count();
    match args.format {
        CheckFormat::Text => {
            let mut what = result.stats.counts();
            if checked_editions > 0 {
                what.push_str(&format!(" and {checked_editions} customer edition(s)"));
            }
            print_text(result.diagnostics, &what, &notes, args.verbose)
        }
        CheckFormat::Json => {
            // Notes go to stderr so stdout stays one JSON document.
            for n in &notes {
                eprintln!("{n}");
            }
            println!("{}", json_report(result.diagnostics, result.stats.pages));
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Pages whose `review_by` date has passed.
fn stale_procedures(result: &BuildResult, today: PageDate, strict: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in &result.library.pages {
        if page.rel_path.as_os_str().is_empty() {
            continue;
        }
        let Some(due) = page.front.review_by else {
            continue;
        };
        if due >= today {
            continue;
        }
        let owner = page
            .front
            .owner
            .as_deref()
            .map(|o| format!(" (owner: {o})"))
            .unwrap_or_default();
        out.push(Diagnostic {
            severity: if strict {
                Severity::Error
            } else {
                Severity::Warning
            },
            location: Location::file(&page.source),
            message: format!(
                "stale procedure: review_by {} has passed{owner}",
                due.format("%Y-%m-%d")
            ),
            code: Code::StaleProcedure,
            consequence: false,
            follows_from: None,
        });
    }
    out
}

/// Ask the servers of the site's external links (those not skipped, not answered within a day),
/// and keep the answers.
fn external(
    root: &std::path::Path,
    config: &crate::config::versions::CheckConfig,
    links: &ExternalLinks,
) -> (Vec<Diagnostic>, Counts) {
    let skip = match linkcheck::SkipList::new(&config.external_skip) {
        Ok(s) => s,
        Err(message) => {
            let d = Diagnostic::error(
                Code::Config,
                Location::file(crate::config::CONFIG_FILE),
                message,
            );
            return (vec![d], Counts::default());
        }
    };
    let now = chrono::Utc::now().timestamp();
    let mut cache = Cache::load(root);
    let mut counts = Counts {
        urls: links.len(),
        ..Counts::default()
    };
    let mut outcomes = BTreeMap::new();
    let mut ask = Vec::new();
    for url in links.keys() {
        if skip.skips(url) {
            counts.skipped += 1;
        } else if let Some(o) = cache.fresh(url, now) {
            counts.cached += 1;
            outcomes.insert(url.clone(), o.clone());
        } else {
            ask.push(url.clone());
        }
    }
    counts.requested = ask.len();
    if !ask.is_empty() {
        eprintln!("checking {} external URL(s)…", ask.len());
        let answers = linkcheck::http::check(&ask, &linkcheck::http::Settings::from_config(config));
        cache.update(&answers, now);
        if let Err(e) = cache.save(root) {
            eprintln!(
                "warning: cannot keep the answers in {}: {e}",
                linkcheck::cache::FILE
            );
        }
        outcomes.extend(answers);
    }
    counts.problems = outcomes
        .values()
        .filter(|o| **o != linkcheck::Outcome::Ok)
        .count();
    (linkcheck::diagnostics(links, &outcomes), counts)
}

/// The problems, then the notes, then `check: <what>, N error(s), M warning(s)`: `what` says
/// what was checked (`12 pages, 3 sections, 54 report pages and 3 customer edition(s)`).
fn print_text(diagnostics: Diagnostics, what: &str, notes: &[String], verbose: bool) {
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let report = Report::new(diagnostics, verbose);
    // Errors first, grouped by file; then warnings, grouped by file, repeated ones summarised.
    print_by_file(report.errors.iter().map(|l| (l.file(), l.to_string())));
    print_by_file(report.warnings.iter().map(|l| (l.file(), l.to_string())));
    if report.warnings_hidden > 0 {
        println!(
            "… and {} more warning line(s) (--verbose lists them all)",
            report.warnings_hidden
        );
    }
    for n in notes {
        println!("{n}");
    }
    println!("check: {what}, {errors} error(s), {warnings} warning(s)");
}

/// One problem in `--format json`. The shape is stable: scripts read these six fields.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
struct JsonReport {
    pages: usize,
    errors: usize,
    warnings: usize,
    /// Errors first, then warnings, each sorted by place.
    diagnostics: Vec<JsonDiagnostic>,
}

/// `{"pages":…, "errors":…, "warnings":…, "diagnostics":[{file, line, column, severity, code, message}]}`
pub fn json_report(diags: Diagnostics, pages: usize) -> String {
    let sorted = diags.into_sorted();
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        sorted.into_iter().partition(Diagnostic::is_error);
    let report = JsonReport {
        pages,
        errors: errors.len(),
        warnings: warnings.len(),
        diagnostics: errors
            .iter()
            .chain(&warnings)
            .map(|d| JsonDiagnostic {
                file: d.location.file.to_string_lossy().replace('\\', "/"),
                line: d.location.line,
                column: d.location.column,
                severity: if d.is_error() { "error" } else { "warning" },
                code: d.code.as_str(),
                message: d.message.clone(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Lines under a heading per file, files in order of first appearance (the lines are sorted).
fn print_by_file(lines: impl Iterator<Item = (String, String)>) {
    let mut order: Vec<String> = Vec::new();
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, line) in lines {
        if !by_file.contains_key(&file) {
            order.push(file.clone());
        }
        by_file.entry(file).or_default().push(line);
    }
    for file in order {
        println!("{file}");
        for line in &by_file[&file] {
            println!("  {line}");
        }
    }
}
