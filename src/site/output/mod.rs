//! Output files and the atomic write: a build writes into a fresh folder beside `output/` and swaps
//! it in only when everything succeeded, so a failed build leaves the previous output as it was.
//! Files whose bytes did not change are hard-linked from the previous output instead of rewritten.
//! A rebuild over the folder the last build left writes only what changed (`in_place`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::lock;
use super::output_dir::{self, MARK_FILE, MARK_TEXT};
mod in_place;
use super::output_manifest::{self as manifest, Entry, Manifest};
use crate::error::{Code, Diagnostic, Error, Location};
use crate::output_file::check_output_path;
use crate::output_file::PageRecord;

pub use crate::output_file::{AssetSource, OutputContent, OutputFile};

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    /// Files of the last build (as its manifest lists them) that this one does not make.
    pub removed: usize,
}

/// Write `files` as the new content of `out_dir`, in two steps: `prepare` writes every new
/// file (beside its place, or into a staging folder) and leaves what the folder serves as it
/// was; `Prepared::commit` puts them in place. The caller has decided that the build may
/// replace `out_dir` (`output_dir::choose`); nothing outside it and its staging folders is
/// touched, and a path that would leave it stops the write before anything is written.
///
/// The last build's manifest tells which files are unchanged without reading them, and a folder
/// that is what the last build left is updated in place: only changed files are written (each
/// whole, by a rename), after all of them were written beside their place. Otherwise the new
/// output is made in a fresh folder and swapped in. The new manifest is saved in `cache.dir`.
///
/// A build prepares each folder as soon as it is built, so that its files' bytes need not be
/// held until the whole build has succeeded, and commits them all at the end; a build that
/// fails drops what it prepared, which removes it.
pub fn prepare(
    files: &[OutputFile],
    out_dir: &Path,
    owner: &output_dir::Owner,
    cache: WriteCache,
) -> Result<Prepared, Error> {
    for f in files {
        if let Err(e) = check_output_path(&f.path) {
            return Err(Error::io(
                &f.origin,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, e),
            ));
        }
    }
    let out_dir = output_dir::resolve(out_dir);
    // A killed build's staging folders beside this one go first, whichever way it is written.
    let (parent, name) = beside(&out_dir);
    remove_stale_staging(&parent, &name);
    let contents = read_contents(files, cache.keys)?;
    let previous = cache.previous.filter(|_| cache.reuse);
    if let (Some(previous), true) = (previous, cache.in_place) {
        if let Some(plan) = in_place::plan(&contents, &out_dir, owner, previous)? {
            let ready = in_place::prepare(plan, &contents, &out_dir, owner, cache.dir, previous)?;
            return Ok(Prepared(Some(Step::InPlace(ready))));
        }
    }
    let link = match (cache.reuse, previous) {
        (false, _) => Link::Nothing,
        (true, Some(m)) => Link::Manifest(m),
        (true, None) => Link::Compare,
    };
    // Without a manifest the folder's mark says what its last build wrote, for the count; a
    // folder deleted since has nothing to remove.
    let before: Option<Vec<String>> = match cache.previous {
        _ if fs::symlink_metadata(&out_dir).is_err() => None,
        Some(m) => Some(m.entries.keys().cloned().collect()),
        None => output_dir::mark_list(&out_dir),
    };
    let mut staged = write_staged(&contents, &out_dir, owner, &link)?;
    staged.cache_dir = cache.dir.to_path_buf();
    staged.before = before;
    Ok(Prepared(Some(Step::Staged(staged))))
}

/// A folder's write with every new file on disk and nothing the folder serves changed yet
/// (`prepare`). Dropped without `commit`, what it wrote is removed.
pub struct Prepared(Option<Step>);

enum Step {
    InPlace(in_place::Ready),
    Staged(Staged),
}

impl Prepared {
    /// Put the prepared files in place: renamed over the old ones, or the staging folder swapped
    /// in; then the folder's manifest is saved.
    pub fn commit(mut self) -> Result<WriteStats, Error> {
        match self.0.take() {
            Some(Step::InPlace(ready)) => ready.commit(),
            Some(Step::Staged(staged)) => staged.swap_in(),
            None => Ok(WriteStats::default()),
        }
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        // An in-place update removes its own files when dropped.
        if let Some(Step::Staged(staged)) = self.0.take() {
            remove_tree(&staged.staging, &mut |p| fs::remove_file(p));
        }
    }
}

/// What a write may reuse of the last build, and where its manifest goes.
#[derive(Debug, Clone, Copy)]
pub struct WriteCache<'a> {
    /// The site's `.opsite/cache`, where the folder's manifest is kept.
    pub dir: &'a Path,
    /// The folder's manifest as the last build left it (`output_manifest::load`).
    pub previous: Option<&'a Manifest>,
    /// Files of the last build may be kept or hard-linked; false with `--no-cache`, which
    /// writes every file anew.
    pub reuse: bool,
    /// The folder may be updated in place (not when `--force` replaces a folder holding files
    /// of someone else's, which the staged write drops).
    pub in_place: bool,
    /// The render keys of the pages (and what the search index read of each report page), kept
    /// in the manifest for the next build.
    pub keys: &'a HashMap<&'a str, PageRecord>,
}

/// A file to write: its path, bytes (none for a kept file) and their hash and length, whether
/// the last build's file is kept, its render key, and where it came from (for messages).
pub(super) struct Content<'a> {
    pub path: &'a str,
    pub bytes: std::borrow::Cow<'a, [u8]>,
    pub hash: manifest::Hash,
    pub len: u64,
    pub kept: bool,
    pub key: Option<PageRecord>,
    pub origin: &'a Path,
}

/// Every file's bytes (a site's static file read now) and their hash.
fn read_contents<'a>(
    files: &'a [OutputFile],
    keys: &HashMap<&str, PageRecord>,
) -> Result<Vec<Content<'a>>, Error> {
    files
        .par_iter()
        .map(|f| {
            let key = keys.get(f.path.as_str()).copied();
            let bytes: std::borrow::Cow<[u8]> = match &f.content {
                OutputContent::Kept(kept) => {
                    return Ok(Content {
                        path: &f.path,
                        bytes: std::borrow::Cow::Borrowed(&[]),
                        hash: kept.hash,
                        len: kept.len,
                        kept: true,
                        key,
                        origin: &f.origin,
                    })
                }
                OutputContent::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
                OutputContent::Asset(AssetSource::Embedded(b)) => std::borrow::Cow::Borrowed(b),
                OutputContent::Asset(AssetSource::Shared(b)) => {
                    std::borrow::Cow::Borrowed(b.as_slice())
                }
                OutputContent::Asset(AssetSource::Disk(src)) => {
                    std::borrow::Cow::Owned(src.read().map_err(|e| {
                        Error::Located(Diagnostic::error(Code::Build, Location::file(&f.origin), e))
                    })?)
                }
            };
            Ok(Content {
                path: &f.path,
                hash: manifest::hash(&bytes),
                len: bytes.len() as u64,
                kept: false,
                key,
                bytes,
                origin: &f.origin,
            })
        })
        .collect()
}

/// A fresh folder beside `out_dir` holding the new output, to be swapped in.
struct Staged {
    staging: PathBuf,
    out_dir: PathBuf,
    cache_dir: PathBuf,
    /// Held until the swap is over: another build's clean-up leaves a held folder alone.
    _lock: Option<lock::Held>,
    stats: WriteStats,
    entries: Manifest,
    /// The files the last build wrote, for the count of those removed.
    before: Option<Vec<String>>,
}

/// The new output made in a fresh folder beside `out_dir`.
fn write_staged(
    contents: &[Content],
    out_dir: &Path,
    owner: &output_dir::Owner,
    reuse: &Link,
) -> Result<Staged, Error> {
    let (parent, name) = beside(out_dir);
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let lock = lock::hold_dir(&staging);

    let result = fs::write(staging.join(MARK_FILE), MARK_TEXT)
        .map_err(|e| Error::io(&staging, e))
        .and_then(|()| fill(contents, out_dir, &staging, reuse));
    // The mark lists what this build wrote, so the next one can tell a user's file from its own.
    let result = result.and_then(|done| {
        fs::write(
            staging.join(MARK_FILE),
            output_dir::mark_text(owner, contents.iter().map(|c| c.path)),
        )
        .map_err(|e| Error::io(&staging, e))
        .map(|()| done)
    });
    match result {
        Ok((stats, entries)) => Ok(Staged {
            staging,
            out_dir: out_dir.to_path_buf(),
            cache_dir: PathBuf::new(),
            _lock: lock,
            stats,
            entries,
            before: None,
        }),
        Err(e) => {
            remove_tree(&staging, &mut |p| fs::remove_file(p));
            Err(e)
        }
    }
}

impl Staged {
    /// The old output aside, the new one in, the old one removed; the new manifest saved.
    fn swap_in(self) -> Result<WriteStats, Error> {
        let (staging, out_dir) = (&self.staging, &self.out_dir);
        let (parent, name) = beside(out_dir);
        let fail = |e: Error| {
            remove_tree(staging, &mut |p| fs::remove_file(p));
            Err(e)
        };
        // The manifest of the folder being replaced goes first: were the swap cut short, the
        // next build must not trust it.
        let _ = manifest::remove(&self.cache_dir, out_dir);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = fs::symlink_metadata(out_dir).is_ok();
        let _old_lock = had_old.then(|| lock::hold_dir(out_dir));
        if had_old {
            if let Err(e) = fs::rename(out_dir, &old) {
                return fail(Error::io(out_dir, e));
            }
        }
        if let Err(e) = fs::rename(staging, out_dir) {
            if had_old {
                let _ = fs::rename(&old, out_dir);
            }
            return fail(Error::io(out_dir, e));
        }
        if had_old {
            remove_old(&old);
        }
        manifest::save(&self.cache_dir, out_dir, &self.entries);
        let mut stats = self.stats;
        stats.removed = (self.before.iter().flatten())
            .filter(|p| !self.entries.entries.contains_key(*p))
            .count();
        Ok(stats)
    }
}

/// The folder the staging folders of `out_dir` go in, and the name they are made from
/// (`.<name>.new-<pid>`, `.<name>.old-<pid>`): one place, so the clean-up finds what the write
/// makes.
fn beside(out_dir: &Path) -> (PathBuf, String) {
    let parent = out_dir.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = (out_dir.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    (parent, name)
}

/// The previous output, moved aside: a folder is removed, a symbolic link only unlinked.
fn remove_old(old: &Path) {
    match fs::symlink_metadata(old) {
        Ok(m) if m.is_dir() => {
            // A folder replaced with --force carries no mark: marked now, it stays recognisable
            // as opsite's should the removal be cut short.
            if !old.join(MARK_FILE).is_file() {
                let _ = fs::write(old.join(MARK_FILE), MARK_TEXT);
            }
            remove_tree(old, &mut |p| fs::remove_file(p));
        }
        Ok(_) => {
            let _ = fs::remove_file(old);
        }
        Err(_) => {}
    }
}

/// Remove a staging folder with its mark last: a build killed half-way through leaves a folder
/// that still carries the mark (or holds nothing), which the next build recognises and removes.
/// (`remove_dir_all` takes files in directory order and may take the mark first, leaving a
/// folder of pages no later build would touch.) `remove` removes one file; tests cut it short.
pub(super) fn remove_tree(
    dir: &Path,
    remove: &mut dyn FnMut(&Path) -> std::io::Result<()>,
) -> bool {
    let mark = dir.join(MARK_FILE);
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    let mut rest: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| *p != mark)
        .collect();
    rest.sort();
    if !rest.iter().all(|path| remove_entry(path, remove)) {
        return false;
    }
    if mark.exists() && remove(&mark).is_err() {
        return false;
    }
    fs::remove_dir(dir).is_ok()
}

/// One file or link (unlinked, never followed), or a folder with everything under it; false when
/// something stayed.
fn remove_entry(path: &Path, remove: &mut dyn FnMut(&Path) -> std::io::Result<()>) -> bool {
    if !fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        return remove(path).is_ok();
    }
    let Ok(entries) = fs::read_dir(path) else {
        return false;
    };
    let children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    children.iter().all(|c| remove_entry(c, remove)) && fs::remove_dir(path).is_ok()
}

/// Staging folders of builds that were killed half-way (`.output.new-<pid>`, `.output.old-<pid>`).
/// Removed: a folder no live build holds (the lock of a prepared write; a killed build's lock is
/// gone, whoever has its pid now) that carries opsite's mark, or that holds no file at all and
/// whose build is no longer running. Anything else is left alone.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = prefixes.iter().find_map(|p| {
            let pid = file_name.strip_prefix(p.as_str())?;
            pid.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| pid.parse::<u32>().ok())?
        });
        let Some(pid) = pid else { continue };
        let path = entry.path();
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir || pid == std::process::id() {
            continue;
        }
        let Some(_held) = lock::dir_unheld(&path) else {
            continue;
        };
        if path.join(MARK_FILE).is_file() {
            remove_tree(&path, &mut |p| fs::remove_file(p));
        } else if holds_no_files(&path) && !crate::write_whole::process_alive(pid) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// A folder tree with no file and no link in it (a staging folder killed before its mark was
/// written): removing it loses nothing.
fn holds_no_files(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .all(|e| e.is_ok_and(|e| e.file_type().is_dir()))
}

/// What a staged write may take from the previous output instead of writing it again.
enum Link<'a> {
    /// Files whose manifest entry has the new bytes' hash (and still describes the file).
    Manifest(&'a Manifest),
    /// No manifest: files whose bytes, read, are the new ones.
    Compare,
    /// Nothing (`--no-cache`).
    Nothing,
}

fn fill(
    contents: &[Content],
    previous: &Path,
    staging: &Path,
    reuse: &Link,
) -> Result<(WriteStats, Manifest), Error> {
    let mut dirs: BTreeMap<PathBuf, ()> = BTreeMap::new();
    for c in contents {
        if let Some(d) = Path::new(c.path).parent() {
            dirs.insert(staging.join(d), ());
        }
    }
    for d in dirs.keys() {
        fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let results: Vec<Result<(bool, Option<Entry>), Error>> = contents
        .par_iter()
        .map(|c| {
            let target = staging.join(c.path);
            let old = previous.join(c.path);
            let written =
                write_or_link(&target, &old, c, reuse).map_err(|e| named_after_origin(e, c))?;
            let entry = fs::symlink_metadata(&target)
                .ok()
                .and_then(|m| manifest::mtime(&m).map(|t| (m.len(), t)))
                .map(|(len, mtime)| Entry {
                    hash: c.hash,
                    len,
                    mtime,
                    key: c.key,
                });
            Ok((written, entry))
        })
        .collect();
    let mut stats = WriteStats::default();
    let mut done = Manifest::default();
    for (r, c) in results.into_iter().zip(contents) {
        let (written, entry) = r?;
        if written {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
        if let Some(e) = entry {
            done.entries.insert(c.path.to_string(), e);
        }
    }
    Ok((stats, done))
}

/// A write error named after the source the file came from: that is what the author changes.
pub(super) fn named_after_origin(e: Error, c: &Content) -> Error {
    cannot_write(e, c.path, c.origin)
}

/// `named_after_origin` for a file known by its output path and its source.
pub(super) fn cannot_write(e: Error, path: &str, origin: &Path) -> Error {
    match e {
        Error::Io { error, .. } => Error::Located(Diagnostic::error(
            Code::Build,
            Location::file(origin),
            format!("cannot write {path} into the output: {error}"),
        )),
        other => other,
    }
}

/// Hard-link the previous file when it holds the same bytes; returns whether bytes were written.
/// A kept file (not rendered again) must be the previous one: linked, or copied when it cannot
/// be linked.
fn write_or_link(target: &Path, old: &Path, c: &Content, reuse: &Link) -> Result<bool, Error> {
    let same = match reuse {
        Link::Nothing => false,
        Link::Manifest(m) => m.entries.get(c.path).is_some_and(|e| {
            e.hash == c.hash
                && e.len == c.len
                && fs::symlink_metadata(old).is_ok_and(|meta| e.describes(&meta))
        }),
        Link::Compare => fs::symlink_metadata(old).is_ok_and(|meta| {
            meta.is_file()
                && meta.len() == c.bytes.len() as u64
                && fs::read(old).is_ok_and(|b| b == *c.bytes)
        }),
    };
    if c.kept {
        if !same {
            let changed = std::io::Error::other(
                "the last build's file changed while this build ran; build again",
            );
            return Err(Error::io(old, changed));
        }
        if fs::hard_link(old, target).is_err() {
            fs::copy(old, target).map_err(|e| Error::io(target, e))?;
        }
        return Ok(false);
    }
    if same && fs::hard_link(old, target).is_ok() {
        return Ok(false);
    }
    fs::write(target, &c.bytes).map_err(|e| Error::io(target, e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder as a build leaves it: the mark and pages in subfolders.
    fn output_like(dir: &Path) {
        fs::create_dir_all(dir.join("sop/daily")).unwrap();
        fs::write(dir.join(MARK_FILE), MARK_TEXT).unwrap();
        for f in [
            "a.html",
            "index.html",
            "sop/index.html",
            "sop/daily/index.html",
        ] {
            fs::write(dir.join(f), "x").unwrap();
        }
    }

    #[test]
    fn a_removal_killed_at_any_point_leaves_a_folder_the_next_build_removes() {
        // Five files: cut short before each of them, the mark last.
        for killed_after in 0..5 {
            let parent = tempfile::tempdir().unwrap();
            // A pid no process has (above the kernel's pid_max).
            let old = parent.path().join(".output.old-4294967");
            output_like(&old);
            let mut n = 0;
            let done = remove_tree(&old, &mut |p| {
                n += 1;
                if n > killed_after {
                    return Err(std::io::Error::other("killed"));
                }
                fs::remove_file(p)
            });
            assert!(!done, "cut short after {killed_after}");
            assert!(old.join(MARK_FILE).is_file(), "the mark goes last");
            remove_stale_staging(parent.path(), "output");
            assert!(
                !old.exists(),
                "removed by the next build (cut after {killed_after})"
            );
        }
    }

    #[test]
    fn stale_staging_of_opsite_is_removed_and_nothing_else() {
        let parent = tempfile::tempdir().unwrap();
        let p = parent.path();
        // Pid 1 runs (init): a killed build's pid taken by another process.
        for name in [".output.old-1", ".output.new-4294967"] {
            output_like(&p.join(name));
        }
        fs::create_dir_all(p.join(".output.new-4294968/empty")).unwrap();
        // Not opsite's: no mark, another name, or a live build's (locked) folder.
        let foreign = p.join(".output.old-4294969");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "mine").unwrap();
        output_like(&p.join(".output.old-x1"));
        output_like(&p.join(".other.old-1"));
        let live = p.join(".output.new-4294970");
        output_like(&live);
        let held = lock::hold_dir(&live).unwrap();
        remove_stale_staging(p, "output");
        for gone in [
            ".output.old-1",
            ".output.new-4294967",
            ".output.new-4294968",
        ] {
            assert!(!p.join(gone).exists(), "{gone} removed");
        }
        for kept in [
            ".output.old-4294969",
            ".output.old-x1",
            ".other.old-1",
            ".output.new-4294970",
        ] {
            assert!(p.join(kept).exists(), "{kept} kept");
        }
        drop(held);
        remove_stale_staging(p, "output");
        assert!(!live.exists(), "removed once its build is gone");
    }
}
