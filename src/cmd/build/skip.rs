//! The build that does nothing: when the last build's record matches this one's inputs, clock
//! and folders (`site::build_skip`), and every folder is as that build left it, say again what
//! it said. Kept apart from the build itself so the record's writing and reading sit together.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::customers::CustomerConfig;
use crate::site::build_skip::{self, Fingerprint, FolderRecord, Record, Reuse};
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
/// warning count. `internal_manifest` is the internal site's, read already (the first folder),
/// and `last` the last build's record (`build_skip::last`).
pub fn unchanged_since_last_build(
    root: &Path,
    folders: &[Folder],
    internal_manifest: &output_manifest::Manifest,
    fingerprint: &str,
    opts: &BuildOptions,
    last: Option<&Record>,
) -> Option<(Vec<String>, String)> {
    let keys: Vec<String> = folders.iter().map(|f| key(root, f.dir)).collect();
    let last =
        last.filter(|r| build_skip::matching(r, fingerprint, opts.now.timestamp(), &keys))?;
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

/// The customer editions of the last build that may stand for this build's: an edition whose
/// key (`build_skip::edition_key`: the site's inputs but the exports, the clock, its folder and
/// its own figures' inputs) is the one recorded for its folder, and whose folder is still as
/// that build wrote it. Only an edition that had nothing to say has a key recorded.
pub struct LastEditions<'a> {
    fingerprint: &'a Fingerprint,
    now: i64,
    cache_dir: PathBuf,
    /// By slug: the folder, its key in the records, and what the last build recorded of it.
    folders: HashMap<&'a str, (&'a Folder<'a>, String, FolderRecord)>,
}

impl<'a> LastEditions<'a> {
    /// The editions of `folders` the last build's record (`last`) has, when this build may
    /// keep folders.
    pub fn read(
        root: &Path,
        fingerprint: &'a Fingerprint,
        folders: &'a [Folder<'a>],
        opts: &BuildOptions,
        last: Option<Record>,
    ) -> LastEditions<'a> {
        let mut recorded: HashMap<String, FolderRecord> = last
            .map(|r| r.folders.into_iter().map(|f| (f.key.clone(), f)).collect())
            .unwrap_or_default();
        let folders = (folders.iter())
            .filter_map(|f| match f.owner {
                Owner::Edition { slug, .. } => {
                    let key = key(root, f.dir);
                    let last = recorded.remove(&key)?;
                    Some((slug.as_str(), (f, key, last)))
                }
                Owner::Site => None,
            })
            .collect();
        LastEditions {
            fingerprint,
            now: opts.now.timestamp(),
            cache_dir: root.join(site::build_cache::CACHE_DIR),
            folders,
        }
    }

    /// Whether `customer`'s edition, whose figures are computed from `figures`, stands as the
    /// last build left it.
    pub fn stands(&self, customer: &CustomerConfig, figures: &str) -> bool {
        let Some((folder, key, last)) = self.folders.get(customer.slug.as_str()) else {
            return false;
        };
        let this = build_skip::edition_key(self.fingerprint, self.now, key, figures);
        if last.edition.as_deref() != Some(this.as_str()) {
            return false;
        }
        let resolved = output_dir::resolve(folder.dir);
        output_manifest::load_current(&self.cache_dir, &resolved)
            .is_some_and(|m| output_manifest::intact(&m, &resolved, folder.owner))
    }

    /// What the last build recorded of the edition `slug`.
    pub fn record_of(&self, slug: &str) -> Option<&FolderRecord> {
        self.folders.get(slug).map(|(_, _, r)| r)
    }
}

/// One folder as the record keeps it: built now (with a customer edition's key when it had
/// nothing to say), or kept as the last build left it.
pub enum Written<'a> {
    Built {
        result: &'a BuildResult,
        /// A customer edition's `ReportSet::inputs`, when it had nothing to say.
        figures: Option<&'a str>,
    },
    Kept(&'a FolderRecord),
}

/// What the next build needs to know that it would make what this one made: each folder in
/// the order of `folders`.
pub fn record(
    root: &Path,
    fingerprint: &Fingerprint,
    opts: &BuildOptions,
    reuse: Reuse,
    folders: &[(Written, PathBuf)],
    said: Vec<String>,
    warned: &str,
) -> Record {
    let horizon = (folders.iter())
        .filter_map(|(w, _)| match w {
            Written::Built { result, .. } => result.library.clock_horizon.map(|d| d.timestamp()),
            Written::Kept(_) => None,
        })
        .min();
    Record {
        fingerprint: fingerprint.whole.clone(),
        now: opts.now.timestamp(),
        horizon,
        exact_clock: reuse == Reuse::AtSameClock,
        report: said,
        warned: warned.to_string(),
        folders: (folders.iter())
            .map(|(w, dir)| match w {
                Written::Built { result, figures } => {
                    let key = key(root, dir);
                    let now = opts.now.timestamp();
                    let mut shards: Vec<String> =
                        result.search_shards.shards.keys().cloned().collect();
                    shards.sort();
                    FolderRecord {
                        edition: figures
                            .map(|f| build_skip::edition_key(fingerprint, now, &key, f)),
                        shards,
                        key,
                        counts: result.stats.counts(),
                        files: result.stats.files,
                    }
                }
                Written::Kept(last) => (*last).clone(),
            })
            .collect(),
    }
}

/// The summary line of a folder kept as the last build left it.
pub fn kept_line(slug: &str, last: &FolderRecord, dir: &Path) -> String {
    let unchanged = output::WriteStats {
        unchanged: last.files,
        ..Default::default()
    };
    let counts = crate::error::printable(&last.counts);
    let line = summary_line(
        &summary_start(Some(slug)),
        &counts,
        last.files,
        unchanged,
        dir,
    );
    format!("{line} {KEPT}")
}

/// What a kept edition's summary line ends with.
pub const KEPT: &str = "(its inputs as at the last build: not built again)";

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
