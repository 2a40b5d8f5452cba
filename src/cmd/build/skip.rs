//! The build that does nothing: when the last build's record matches this one's inputs, clock
//! and folders (`site::build_skip`), and every folder is as that build left it, say again what
//! it said. Kept apart from the build itself so the record's writing and reading sit together.

use std::path::{Path, PathBuf};

use crate::site::build_skip::{self, FolderRecord, Record, Reuse};
use crate::site::output_dir::Owner;
use crate::site::{self, output, output_dir, output_manifest, BuildOptions, BuildResult};

/// One folder a build writes: as given (for messages), whose it is, and its summary's first
/// words (`summary_start`).
pub struct Folder<'a> {
    pub dir: &'a Path,
    pub owner: &'a Owner,
    what: String,
}

impl<'a> Folder<'a> {
    pub fn new(dir: &'a Path, owner: &'a Owner) -> Folder<'a> {
        let slug = match owner {
            Owner::Edition { slug, .. } => Some(slug.as_str()),
            Owner::Site => None,
        };
        Folder {
            dir,
            owner,
            what: summary_start(slug),
        }
    }
}

/// A summary line's first words: `built` for the internal site, `edition acme:` for an edition.
pub fn summary_start(slug: Option<&str>) -> String {
    match slug {
        None => "built".to_string(),
        Some(slug) => format!("edition {slug}:"),
    }
}

/// The folder's key in the build's records (`output_manifest::folder_key`).
fn key(root: &Path, dir: &Path) -> String {
    let cache_dir = root.join(site::build_cache::CACHE_DIR);
    output_manifest::folder_key(&cache_dir, &output_dir::resolve(dir))
}

/// When this build's inputs are the last build's and every folder is as that build left it:
/// say again what that build said on standard error, and return its summary lines and its
/// warning count. `internal_manifest` is the internal site's, read already (the first folder).
pub fn unchanged_since_last_build(
    root: &Path,
    folders: &[Folder],
    internal_manifest: &output_manifest::Manifest,
    fingerprint: &str,
    opts: &BuildOptions,
) -> Option<(Vec<String>, String)> {
    let keys: Vec<String> = folders.iter().map(|f| key(root, f.dir)).collect();
    let last = build_skip::matching(root, fingerprint, opts.now.timestamp(), &keys)?;
    let cache_dir = root.join(site::build_cache::CACHE_DIR);
    use rayon::prelude::*;
    let intact = (folders.par_iter().enumerate()).all(|(i, f)| {
        let resolved = output_dir::resolve(f.dir);
        match i {
            0 => output_manifest::intact(internal_manifest, &resolved, f.owner),
            _ => output_manifest::load_current(&cache_dir, &resolved)
                .is_some_and(|m| output_manifest::intact(&m, &resolved, f.owner)),
        }
    });
    if !intact {
        return None;
    }
    // The record is a file of `.opsite/`: what it says is printed as text, never as escapes.
    for line in &last.report {
        eprintln!("{}", crate::error::printable(line));
    }
    let lines = (folders.iter().zip(&last.folders))
        .map(|(f, r)| {
            let unchanged = output::WriteStats {
                unchanged: r.files,
                ..Default::default()
            };
            let counts = crate::error::printable(&r.counts);
            summary_line(&f.what, &counts, r.files, unchanged, f.dir)
        })
        .collect();
    Some((lines, crate::error::printable(&last.warned).into_owned()))
}

/// What the next build needs to know that it would make what this one made: `results` in the
/// order of `folders`.
pub fn record(
    root: &Path,
    fingerprint: &str,
    opts: &BuildOptions,
    reuse: Reuse,
    folders: &[(&BuildResult, PathBuf)],
    said: Vec<String>,
    warned: &str,
) -> Record {
    let horizon = (folders.iter())
        .filter_map(|(r, _)| r.library.clock_horizon.map(|d| d.timestamp()))
        .min();
    Record {
        fingerprint: fingerprint.to_string(),
        now: opts.now.timestamp(),
        horizon,
        exact_clock: reuse == Reuse::AtSameClock,
        report: said,
        warned: warned.to_string(),
        folders: (folders.iter())
            .map(|(r, dir)| FolderRecord {
                key: key(root, dir),
                counts: r.stats.counts(),
                files: r.stats.files,
            })
            .collect(),
    }
}

/// `built 17 pages, … → output` for the internal site, `edition acme: …` for an edition.
pub fn summary_line(
    what: &str,
    counts: &str,
    files: usize,
    w: output::WriteStats,
    dir: &Path,
) -> String {
    let removed = match w.removed {
        0 => String::new(),
        n => format!(", {n} removed"),
    };
    format!(
        "{what} {counts}, {files} files ({} written, {} unchanged{removed}) → {}",
        w.written,
        w.unchanged,
        dir.display()
    )
}
