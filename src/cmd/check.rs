//! `opsite check`: everything a build does without writing, with link problems as errors, plus
//! stale procedures (`review_by` passed). Reports grouped by file.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context;

use super::report::Report;
use crate::cli::CheckArgs;
use crate::content::front_matter::now;
use crate::error::{Diagnostic, Location, Severity};
use crate::site::{self, sources, BuildOptions};

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let root = &super::site_root(args.root.root.as_deref())?;
    let (sources, load_diags) = sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    let today = super::clock(args.as_of.as_deref(), &sources.config)?.unwrap_or_else(now);
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: None,
        links_are_errors: true,
        now: today,
        freeze_due: today <= now(),
        search_index: false,
    };
    let mut result = super::with_progress(|p| site::build(&sources, &opts, p));
    result.diagnostics.extend(load_diags);
    for page in &result.library.pages {
        if !page.rel_path.as_os_str().is_empty() {
            if let Some(due) = page.front.review_by {
                if due < today {
                    let owner = page
                        .front
                        .owner
                        .as_deref()
                        .map(|o| format!(" (owner: {o})"))
                        .unwrap_or_default();
                    result.diagnostics.push(Diagnostic {
                        severity: if args.strict {
                            Severity::Error
                        } else {
                            Severity::Warning
                        },
                        location: Location::file(&page.source),
                        message: format!(
                            "stale procedure: review_by {} has passed{owner}",
                            due.format("%Y-%m-%d")
                        ),
                    });
                }
            }
        }
    }
    if !result.new_snapshots.is_empty() {
        let labels: Vec<String> = result
            .new_snapshots
            .iter()
            .filter_map(|(p, _)| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        println!(
            "reports.freeze_after: {} period(s) due to be frozen ({}); the next `opsite build` freezes them",
            labels.len(),
            labels.join(", ")
        );
    }
    let errors = result.diagnostics.error_count();
    let warnings = result.diagnostics.warning_count();
    let report = Report::new(result.diagnostics, args.verbose);
    // Errors first, grouped by file; then warnings, grouped by file, repeated ones summarised.
    print_by_file(report.errors.iter().map(|l| (l.file(), l.to_string())));
    print_by_file(report.warnings.iter().map(|l| (l.file(), l.to_string())));
    if report.warnings_hidden > 0 {
        println!(
            "… and {} more warning line(s) (--verbose lists them all)",
            report.warnings_hidden
        );
    }
    if let Some(hint) = super::report::shortcode_hint(
        &result.unknown_shortcodes,
        &sources.config.shortcodes.ignore,
    ) {
        println!("{hint}");
    }
    println!(
        "check: {} pages, {errors} error(s), {warnings} warning(s)",
        result.stats.pages
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
