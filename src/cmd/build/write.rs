//! Writing a build's folders. Each folder is prepared (every new file on disk beside its place,
//! or in a staging folder) as soon as it is built, so the bytes of a hundred editions are not
//! all held until the build ends; all are committed at the end, when the whole build had no
//! error. A failed build drops what it prepared, which removes it: every folder stays as the
//! last build left it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

use super::skip;
use crate::cli::BuildArgs;
use crate::error::{Code, Diagnostic, Error, Location};
use crate::output_file::PageRecord;
use crate::site::output::{self, Prepared};
use crate::site::output_dir::{self, Owner};
use crate::site::output_manifest::{self, Manifest};
use crate::site::{build_skip, BuildResult};

/// One output folder of a build: written from what was built (the internal site's, or an
/// edition's named by its slug), or an edition's kept as it is, with its summary line.
pub enum Target<'a> {
    Build(&'a BuildResult, &'a Path, Option<&'a str>),
    Kept(String),
}

/// Where a build writes: the site, its options, its cache and the internal site's folder.
pub struct Writer<'a> {
    pub root: &'a Path,
    pub args: &'a BuildArgs,
    pub cache_dir: &'a Path,
    pub internal_dir: Option<&'a Path>,
}

/// Where each folder of a build goes and what its write may reuse, known before the build;
/// the writes prepared so far, by edition slug (None: the internal site's).
pub struct Writes<'a> {
    to: Writer<'a>,
    editions: HashMap<&'a str, (&'a Path, &'a Owner)>,
    internal_manifest: Mutex<Option<Manifest>>,
    edition_manifests: Mutex<HashMap<String, Manifest>>,
    prepared: Mutex<HashMap<Option<String>, Result<Prepared, Error>>>,
    /// An error was found (or a write failed): the build will not be written, and nothing more
    /// is prepared.
    doomed: AtomicBool,
    /// The last build's record is removed before the first file is written.
    record_removed: Once,
    /// Folders above the output folders that did not exist before the build (`editions/`),
    /// deepest first: removed again, when empty, if the build is not written.
    made_above: Vec<PathBuf>,
    committed: bool,
}

impl<'a> Writer<'a> {
    /// The writes of a build's folders: the editions' (slug and owner) and the manifests read
    /// before the build; `doomed` when the build is known to fail already (loading the site
    /// found an error).
    pub fn with(
        self,
        edition_dirs: &'a [(PathBuf, Owner)],
        (internal_manifest, edition_manifests): (Option<Manifest>, HashMap<String, Manifest>),
        doomed: bool,
    ) -> Writes<'a> {
        let editions = (edition_dirs.iter())
            .filter_map(|(dir, owner)| match owner {
                Owner::Edition { slug, .. } => Some((slug.as_str(), (dir.as_path(), owner))),
                Owner::Site => None,
            })
            .collect();
        let dirs =
            (self.internal_dir.into_iter()).chain(edition_dirs.iter().map(|(d, _)| d.as_path()));
        let mut made_above: Vec<PathBuf> = (dirs.flat_map(Path::ancestors))
            .filter(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        made_above
            .sort_by(|a, b| (b.components().count().cmp(&a.components().count())).then(a.cmp(b)));
        made_above.dedup();
        Writes {
            to: self,
            editions,
            internal_manifest: Mutex::new(internal_manifest),
            edition_manifests: Mutex::new(edition_manifests),
            prepared: Mutex::new(HashMap::new()),
            doomed: AtomicBool::new(doomed),
            record_removed: Once::new(),
            made_above,
            committed: false,
        }
    }
}

impl Writes<'_> {
    /// What the build keeps of a folder's result once it is built (`build_targets`' `keep`):
    /// its write prepared, its files' bytes let go of.
    pub fn keep(&self, slug: Option<&str>, result: BuildResult) -> BuildResult {
        let mut result = result.for_writing();
        if result.diagnostics.error_count() > 0 {
            self.doomed.store(true, Ordering::Relaxed);
        }
        if !self.doomed.load(Ordering::Relaxed) {
            let prepared = self.prepare(slug, &result);
            if prepared.is_err() {
                self.doomed.store(true, Ordering::Relaxed);
            }
            lock(&self.prepared).insert(slug.map(str::to_string), prepared);
        }
        result.files = Vec::new();
        result
    }

    fn prepare(&self, slug: Option<&str>, result: &BuildResult) -> Result<Prepared, Error> {
        // The last build's record goes before any file is written: a build killed while
        // writing leaves folders that record does not describe, and the next build must not be
        // skipped, nor keep an edition, on its word. This build's record is saved once all are
        // put in place.
        self.record_removed
            .call_once(|| build_skip::save(self.to.root, None));
        let Writer {
            args, cache_dir, ..
        } = self.to;
        let (dir, owner) = match slug {
            None => (
                self.to
                    .internal_dir
                    .expect("the internal site is built only when written"),
                &Owner::Site,
            ),
            Some(slug) => self.editions[slug],
        };
        let keys: HashMap<&str, PageRecord> = (result.render_keys.iter())
            .map(|(p, k)| (p.as_str(), *k))
            .collect();
        let previous = match slug {
            None => lock(&self.internal_manifest).take(),
            Some(_) if args.no_cache => None,
            Some(slug) => lock(&self.edition_manifests)
                .remove(slug)
                .or_else(|| output_manifest::load_current(cache_dir, &output_dir::resolve(dir))),
        };
        let cache = output::WriteCache {
            dir: cache_dir,
            previous: previous.as_ref(),
            reuse: !args.no_cache,
            in_place: !args.force,
            keys: &keys,
        };
        output::prepare(&result.files, dir, owner, cache)
    }

    /// Each folder put in place (the internal site's first) and its summary line; or, when a
    /// write failed, nothing put in place and the exit code (its problem printed).
    pub fn commit(
        mut self,
        targets: Vec<Target>,
        warnings: usize,
    ) -> Result<Vec<String>, ExitCode> {
        let mut prepared = std::mem::take(&mut *lock(&self.prepared));
        let built = || {
            targets.iter().filter_map(|t| match t {
                Target::Build(r, dir, slug) => Some((*r, *dir, *slug)),
                Target::Kept(_) => None,
            })
        };
        // A write that failed stops the build before any folder is changed.
        for (_, dir, slug) in built() {
            if let Some(Err(e)) = prepared.get(&slug.map(str::to_string)) {
                for line in write_failed(e, warnings, dir) {
                    eprintln!("{line}");
                }
                return Err(ExitCode::from(1));
            }
        }
        self.committed = true;
        let mut lines = Vec::new();
        for target in &targets {
            let (result, dir, slug) = match target {
                Target::Build(result, dir, slug) => (*result, *dir, *slug),
                Target::Kept(line) => {
                    lines.push(line.clone());
                    continue;
                }
            };
            let Some(Ok(write)) = prepared.remove(&slug.map(str::to_string)) else {
                unreachable!("a folder built without an error was prepared")
            };
            match write.commit() {
                Ok(written) => lines.push(summary(result, slug, written, dir)),
                Err(e) => {
                    for line in write_failed(&e, warnings, dir) {
                        eprintln!("{line}");
                    }
                    return Err(ExitCode::from(1));
                }
            }
        }
        Ok(lines)
    }
}

impl Drop for Writes<'_> {
    /// A build not written: what it prepared is removed, then the folders made above the
    /// output folders, so the site is as it was.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        lock(&self.prepared).clear();
        for dir in &self.made_above {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `built 17 pages, … → output` for the internal site, `edition acme: …` for an edition.
fn summary(r: &BuildResult, slug: Option<&str>, w: output::WriteStats, dir: &Path) -> String {
    let what = skip::summary_start(slug);
    skip::summary_line(&what, &r.stats.counts(), r.stats.files, w, dir)
}

/// The last line of a failed build: what was found and what became of the output.
pub fn failed_line(errors: usize, warnings: usize, out_dir: &Path) -> String {
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
