//! `opsite build`: load, run the pipeline, and swap the new output in only if there was no error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::cli::BuildArgs;
use crate::content::front_matter::now;
use crate::site::{self, output, sources, BuildOptions};

pub fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = &args.root.root;
    let out_dir: PathBuf = args.output.clone().unwrap_or_else(|| root.join("output"));
    let (sources, load_diags) = sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: args.base_url.clone(),
        links_are_errors: false,
        now: now(),
    };
    let mut result = super::with_progress(|p| site::build(&sources, &opts, p));
    result.diagnostics.extend(load_diags);
    let errors = result.diagnostics.error_count();
    let warnings = result.diagnostics.warning_count();
    super::print_diagnostics(&result.diagnostics.clone().into_sorted());
    if errors > 0 {
        eprintln!(
            "build failed: {errors} error(s), {warnings} warning(s); {} left as it was",
            out_dir.display()
        );
        return Ok(ExitCode::from(1));
    }
    let written = output::write_atomic(&result.files, &out_dir)?;
    sources::save_cache(root, &result.highlight_cache);
    let s = &result.stats;
    println!(
        "built {} pages, {} sections, {} files ({} written, {} unchanged) in {:.2} s → {}{}",
        s.pages,
        s.sections,
        s.files,
        written.written,
        written.unchanged,
        started.elapsed().as_secs_f64(),
        out_dir.display(),
        if warnings > 0 {
            format!(" ({warnings} warning(s))")
        } else {
            String::new()
        }
    );
    if std::env::var_os("OPSITE_TIMINGS").is_some() {
        for (name, d) in &s.stages {
            eprintln!("  {name:<16} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
        eprintln!(
            "  highlight cache: {} hits, {} misses",
            s.highlight_hits, s.highlight_misses
        );
    }
    Ok(ExitCode::SUCCESS)
}
