//! `opsite check`: everything a build does without writing, with link problems as errors, plus
//! stale procedures (`review_by` passed). Reports grouped by file.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::CheckArgs;
use crate::content::front_matter::now;
use crate::error::{Diagnostic, Location, Severity};
use crate::site::{self, sources, BuildOptions};

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let root = &args.root.root;
    let (sources, load_diags) = sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    let today = now();
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: None,
        links_are_errors: true,
        now: today,
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
    let errors = result.diagnostics.error_count();
    let warnings = result.diagnostics.warning_count();
    let sorted = result.diagnostics.into_sorted();
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &sorted {
        by_file
            .entry(d.location.file.display().to_string())
            .or_default()
            .push(d);
    }
    for (file, ds) in &by_file {
        println!("{file}");
        for d in ds {
            println!("  {d}");
        }
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
