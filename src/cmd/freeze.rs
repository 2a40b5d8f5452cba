//! `opsite freeze` and `opsite unfreeze`: a period's computed report written to, or removed
//! from, `data/snapshots/`, and the snapshots `reports.freeze_after` makes during a build.
//! Only files that are opsite snapshots are ever removed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::cli::{FreezeArgs, UnfreezeArgs};
use crate::content::front_matter::now;
use crate::error::Diagnostics;
use crate::figures::{Figures, Source};
use crate::reports::snapshot;
use crate::site::{reports, sources};

pub fn run(args: &FreezeArgs) -> anyhow::Result<ExitCode> {
    let root = &super::site_root(args.root.root.as_deref())?;
    let (sources, _) = sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    if sources.data.is_none() {
        bail!("nothing to freeze: site.yaml has no `data:` section, so the site has no figures");
    }
    let as_of = super::clock(args.as_of.as_deref(), &sources.config)?.unwrap_or_else(now);
    if as_of > now() {
        bail!(
            "--as-of {} is in the future: a period is frozen once it has ended, as the data stands now",
            args.as_of.as_deref().unwrap_or_default()
        );
    }
    let as_of = as_of.timestamp();
    let mut diags = Diagnostics::default();
    let live = reports::compute_live(&sources, &sources.config, as_of, &mut diags);
    let Some(set) = live else {
        super::report::Report::new(diags, false).print();
        bail!("the data has errors (above): nothing was frozen");
    };
    let figures = Figures::new(Source::Ready(&set), &sources.config.language);
    let mut planned = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for text in &args.periods {
        let d = match figures.period(text) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let label = &d.period.label;
        if !seen.insert(label.clone()) {
            continue;
        }
        if !d.complete {
            problems.push(format!(
                "{label} is not over yet; freeze it once it has ended"
            ));
            continue;
        }
        let rel = snapshot::path_for(label);
        if root.join(&rel).exists() && !args.force {
            problems.push(format!(
                "{label} is frozen already ({}); give --force to replace it with the figures the data gives now",
                rel.display()
            ));
            continue;
        }
        planned.push((rel, snapshot::write(d, &set)));
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        eprintln!("nothing was frozen");
        return Ok(ExitCode::from(1));
    }
    for (rel, text) in &planned {
        write_snapshot(root, rel, text)?;
        println!("froze {}", rel.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn unfreeze(args: &UnfreezeArgs) -> anyhow::Result<ExitCode> {
    let root = &super::site_root(args.root.root.as_deref())?;
    let mut problems = Vec::new();
    let mut remove = Vec::new();
    for text in &args.periods {
        let label = text.trim();
        // The label as the file is named (2026-w47 → 2026-W47).
        let label = match crate::kpi::period::Period::parse(label, chrono_tz::UTC) {
            Ok(p) => p.label,
            Err(_) => {
                problems.push(format!(
                    "`{label}` is not a period label; give it as the snapshot is named, e.g. 2026-10, 2026-W47, 2026-Q3{}",
                    frozen_list(root)
                ));
                continue;
            }
        };
        let rel = snapshot::path_for(&label);
        let path = root.join(&rel);
        match std::fs::read_to_string(&path) {
            Ok(t) if t.starts_with(snapshot::HEADER) => remove.push(rel),
            Ok(_) => problems.push(format!(
                "{} is not an opsite snapshot; left alone",
                rel.display()
            )),
            Err(_) => problems.push(format!("{label} is not frozen{}", frozen_list(root))),
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        eprintln!("nothing was unfrozen");
        return Ok(ExitCode::from(1));
    }
    for rel in remove {
        std::fs::remove_file(root.join(&rel))
            .with_context(|| format!("cannot remove {}", rel.display()))?;
        println!("unfroze {} (removed {})", label_of(&rel), rel.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn label_of(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// " (frozen: 2026-09, 2026-10)" or " (no period is frozen)".
fn frozen_list(root: &Path) -> String {
    let mut labels: Vec<String> = std::fs::read_dir(root.join(snapshot::DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| label_of(&p))
        .collect();
    labels.sort();
    if labels.is_empty() {
        " (no period is frozen)".into()
    } else {
        format!(" (frozen: {})", labels.join(", "))
    }
}

/// One line per period frozen by `reports.freeze_after`, or one line for many (turning it on in
/// a site with a year of data freezes every finished period at once).
pub fn say_frozen(snapshots: &[(PathBuf, String)]) {
    match snapshots {
        [] => {}
        [one] => println!("froze {} (reports.freeze_after)", one.0.display()),
        [first, .., last] if snapshots.len() > 3 => println!(
            "froze {} periods ({} … {}) into {}/ (reports.freeze_after)",
            snapshots.len(),
            label_of(&first.0),
            label_of(&last.0),
            snapshot::DIR
        ),
        many => {
            for s in many {
                println!("froze {} (reports.freeze_after)", s.0.display());
            }
        }
    }
}

/// Write a snapshot whole or not at all (a temporary file renamed into place).
pub fn write_snapshot(root: &Path, rel: &Path, text: &str) -> anyhow::Result<()> {
    let path = root.join(rel);
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    crate::write_whole::write_whole(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
