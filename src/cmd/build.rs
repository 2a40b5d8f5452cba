//! `opsite build`: load, run the pipeline, and swap the new output in only if there was no error.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::cli::BuildArgs;
use crate::content::front_matter::now;
use crate::error::{Code, Diagnostic, Error, Location};
use crate::site::lock::{self, LockError};
use crate::site::{self, output, output_dir, sources, BuildOptions};

pub fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = &super::site_root(args.root.root.as_deref())?;
    // One build of a site at a time: a second one would trip over the first's staging folder.
    let _lock = match lock::build_lock(root) {
        Ok(held) => Some(held),
        Err(e @ LockError::Busy { .. }) => anyhow::bail!("{e}"),
        Err(e) => {
            eprintln!("warning: {e}; building without it");
            None
        }
    };
    // Refused before any work: a build must not end by deleting a folder it does not own.
    let out_dir = output_dir::choose(root, args.output.as_deref(), args.force)?;
    let (sources, load_diags) = sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    let clock = super::clock(args.as_of.as_deref(), &sources.config)?.unwrap_or_else(now);
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: args.base_url.clone(),
        links_are_errors: false,
        now: clock,
        // A build as of a later date previews; it must not freeze what has not ended.
        freeze_due: clock <= now(),
        search_index: true,
        index_older_versions: false,
    };
    let mut result = super::with_progress(|p| site::build(&sources, &opts, p));
    result.diagnostics.extend(load_diags);
    let errors = result.diagnostics.error_count();
    let warnings = result.diagnostics.warning_count();
    super::report::Report::new(std::mem::take(&mut result.diagnostics), args.verbose).print();
    for line in super::report::site_quarantine_lines(&sources) {
        eprintln!("{line}");
    }
    if let Some(hint) = super::report::shortcode_hint(
        &result.unknown_shortcodes,
        &sources.config.shortcodes.ignore,
    ) {
        eprintln!("{hint}");
    }
    if errors > 0 {
        eprintln!("{}", failed_line(errors, warnings, &out_dir));
        return Ok(ExitCode::from(1));
    }
    let written = match output::write_atomic(&result.files, &out_dir) {
        Ok(w) => w,
        Err(e) => {
            for line in write_failed(&e, warnings, &out_dir) {
                eprintln!("{line}");
            }
            return Ok(ExitCode::from(1));
        }
    };
    sources::save_cache(root, &result.highlight_cache);
    for (rel, text) in &result.new_snapshots {
        super::freeze::write_snapshot(root, rel, text)?;
    }
    super::freeze::say_frozen(&result.new_snapshots);
    let s = &result.stats;
    println!(
        "built {}, {} files ({} written, {} unchanged) in {:.2} s → {}{}",
        s.counts(),
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

/// The last line of a failed build: what was found and what became of the output.
fn failed_line(errors: usize, warnings: usize, out_dir: &Path) -> String {
    let kept = if out_dir.exists() {
        format!("{} left as it was", out_dir.display())
    } else {
        "nothing written".to_string()
    };
    format!("build failed: {errors} error(s), {warnings} warning(s); {kept}")
}

/// A write that failed (a full disk, a name too long): the problem once, at its place, then the
/// line every failed build ends with.
fn write_failed(e: &Error, warnings: usize, out_dir: &Path) -> [String; 2] {
    let problem = match e {
        Error::Located(d) => d.to_string(),
        Error::Io { path, error } => Diagnostic::error(
            Code::Build,
            Location::file(path),
            format!("cannot write the output: {error}"),
        )
        .to_string(),
        Error::Failed { .. } | Error::Config { .. } => format!("error: {e}"),
    };
    [problem, failed_line(1, warnings, out_dir)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_said_once_and_the_build_says_it_failed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let full = std::io::Error::from_raw_os_error(28); // ENOSPC
        let e = Error::io(&out.join("sop/index.html"), full);
        let lines = write_failed(&e, 2, &out);
        let text = lines.join("\n");
        assert_eq!(text.matches("No space left on device").count(), 1, "{text}");
        assert!(
            lines[0].contains("sop/index.html: error: cannot write the output"),
            "{text}"
        );
        assert_eq!(
            lines[1],
            "build failed: 1 error(s), 2 warning(s); nothing written"
        );
    }
}
