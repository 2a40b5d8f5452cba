//! A rebuild over the folder the last build left: only the files that changed are written. The
//! staged write makes a folder of every file and swaps it in, which on a 10,000-page site costs
//! seconds of folder creation and removal for a one-line edit. Here every changed file is first
//! written beside its place (`.<name>.opsite-new-<pid>`); if any write fails they are removed
//! and the folder is as it was. Then each is renamed over its old file (whole, never half
//! written), the last build's files this one does not make are removed, and the mark and the
//! manifest are written. The manifest is removed before the first rename, so a build killed
//! during the renames leaves none and the next build writes the folder whole.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{cannot_write, named_after_origin, Content, WriteStats};
use crate::error::Error;
use crate::site::output_dir::{self, MARK_FILE};
use crate::site::output_manifest::{self as manifest, Entry, Manifest};
use crate::write_whole::{temp_beside, write_new, write_whole};

/// What an update does: the files (indexes into the contents) to write, and the last build's
/// files to remove.
pub(super) struct Plan {
    write: Vec<usize>,
    stale: Vec<String>,
}

/// How to update `out_dir` in place, or None when it must be written whole: it is not a folder,
/// not this owner's, its mark does not list exactly the manifest's files, or a file would take
/// the place of a folder (or the other way round), or a folder on the way is a link. A kept
/// page (not rendered again) whose file is no longer the last build's is an error.
pub(super) fn plan(
    contents: &[Content],
    out_dir: &Path,
    owner: &output_dir::Owner,
    previous: &Manifest,
) -> Result<Option<Plan>, Error> {
    let Some(listed) = own_listed_folder(out_dir, owner) else {
        return Ok(None);
    };
    if listed.len() != previous.entries.len()
        || !listed.iter().all(|p| previous.entries.contains_key(p))
    {
        return Ok(None);
    }
    let write: Vec<usize> = (0..contents.len())
        .into_par_iter()
        .filter(|&i| !unchanged(&contents[i], out_dir, previous))
        .collect();
    if let Some(&i) = write.iter().find(|&&i| contents[i].kept) {
        let path = out_dir.join(contents[i].path);
        let changed = std::io::Error::other(
            "the last build's file changed while this build ran; build again",
        );
        return Err(Error::io(&path, changed));
    }
    for &i in &write {
        if !place_is_free(contents[i].path, out_dir, previous) {
            return Ok(None);
        }
    }
    let new: HashSet<&str> = contents.iter().map(|c| c.path).collect();
    let mut stale: Vec<String> = (previous.entries.keys())
        .filter(|p| !new.contains(p.as_str()))
        .cloned()
        .collect();
    stale.sort();
    Ok(Some(Plan { write, stale }))
}

/// The files the mark of `out_dir` lists, when it is a folder whose mark is `owner`'s.
fn own_listed_folder(out_dir: &Path, owner: &output_dir::Owner) -> Option<Vec<String>> {
    if !fs::symlink_metadata(out_dir).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    if output_dir::mark_owner(out_dir)? != *owner {
        return None;
    }
    output_dir::mark_list(out_dir)
}

/// The file on disk is the last build's, with these bytes.
fn unchanged(c: &Content, out_dir: &Path, previous: &Manifest) -> bool {
    previous.entries.get(c.path).is_some_and(|e| {
        e.hash == c.hash
            && e.len == c.len
            && fs::symlink_metadata(out_dir.join(c.path)).is_ok_and(|m| e.describes(&m))
    })
}

/// `path` can be written in place: it is not a folder, and every folder above it inside the
/// output is a real folder or does not exist yet (no link to follow out of the output, no file
/// of the last build in the way).
fn place_is_free(path: &str, out_dir: &Path, previous: &Manifest) -> bool {
    if fs::symlink_metadata(out_dir.join(path)).is_ok_and(|m| m.is_dir()) {
        return false;
    }
    let mut above = Path::new(path).parent();
    while let Some(dir) = above.filter(|d| !d.as_os_str().is_empty()) {
        let shown = dir.to_string_lossy().replace('\\', "/");
        if previous.entries.contains_key(&shown) {
            return false;
        }
        match fs::symlink_metadata(out_dir.join(dir)) {
            Ok(m) if !m.is_dir() => return false,
            _ => {}
        }
        above = dir.parent();
    }
    true
}

/// A file written beside its place, waiting for its rename.
struct Beside {
    path: String,
    hash: manifest::Hash,
    key: Option<crate::output_file::PageRecord>,
    origin: PathBuf,
    tmp: PathBuf,
}

/// An update with every changed file written beside its place, the folder not yet touched:
/// `commit` renames them in; dropped uncommitted, they are removed.
pub(super) struct Ready {
    out_dir: PathBuf,
    owner: output_dir::Owner,
    cache_dir: PathBuf,
    /// The last build's entries, with this build's render keys.
    entries: Manifest,
    keys_changed: bool,
    beside: Vec<Beside>,
    stale: Vec<String>,
    /// Every file of this build, for the mark.
    paths: Vec<String>,
    made_dirs: Vec<PathBuf>,
    committed: bool,
}

/// The first half of carrying out `plan`: the changed files written beside their places.
pub(super) fn prepare(
    plan: Plan,
    contents: &[Content],
    out_dir: &Path,
    owner: &output_dir::Owner,
    cache_dir: &Path,
    previous: &Manifest,
) -> Result<Ready, Error> {
    // Unchanged files keep their entries, with this build's render keys.
    let mut entries = previous.entries.clone();
    let mut keys_changed = false;
    for c in contents {
        if let Some(e) = entries.get_mut(c.path) {
            keys_changed |= e.key != c.key;
            e.key = c.key;
        }
    }
    let mut ready = Ready {
        out_dir: out_dir.to_path_buf(),
        owner: owner.clone(),
        cache_dir: cache_dir.to_path_buf(),
        entries: Manifest { entries },
        keys_changed,
        beside: Vec::new(),
        stale: plan.stale.clone(),
        paths: contents.iter().map(|c| c.path.to_string()).collect(),
        made_dirs: Vec::new(),
        committed: false,
    };
    if plan.write.is_empty() && plan.stale.is_empty() {
        return Ok(ready);
    }
    let written = write_beside(&plan, contents, out_dir, &mut ready.made_dirs);
    let temps = match written {
        Ok(t) => t,
        Err((e, temps)) => {
            for t in temps {
                let _ = fs::remove_file(t);
            }
            return Err(e);
        }
    };
    ready.beside = (plan.write.iter().zip(temps))
        .map(|(&i, tmp)| {
            let c = &contents[i];
            Beside {
                path: c.path.to_string(),
                hash: c.hash,
                key: c.key,
                origin: c.origin.to_path_buf(),
                tmp,
            }
        })
        .collect();
    Ok(ready)
}

impl Ready {
    /// The second half: each file renamed over its old one, the stale ones removed, then the
    /// mark and the manifest; see the module's comment for the order and what a failure leaves.
    pub(super) fn commit(mut self) -> Result<WriteStats, Error> {
        let (out_dir, cache_dir) = (&self.out_dir, &self.cache_dir);
        let entries = &mut self.entries.entries;
        let unchanged = self.paths.len() - self.beside.len();
        if self.beside.is_empty() && self.stale.is_empty() {
            self.committed = true;
            if self.keys_changed {
                manifest::save(cache_dir, out_dir, &self.entries);
            }
            return Ok(WriteStats {
                written: 0,
                unchanged,
                removed: 0,
            });
        }
        let written = self.beside.len();
        // Until the first rename a failure leaves the folder as it was: dropped uncommitted,
        // the files written beside their places go.
        manifest::remove(cache_dir, out_dir).map_err(|e| Error::io(cache_dir, e))?;
        // Until the renames are over, the mark lists the old files and the new: a build killed
        // among them leaves none of its files unlisted, which the next build would take for
        // someone else's and refuse to replace.
        let both: std::collections::BTreeSet<&str> = (entries.keys().map(String::as_str))
            .chain(self.paths.iter().map(String::as_str))
            .collect();
        let mark_path = out_dir.join(MARK_FILE);
        let mark = output_dir::mark_text(&self.owner, both.into_iter());
        write_whole(&mark_path, mark.as_bytes()).map_err(|e| Error::io(&mark_path, e))?;
        self.committed = true;
        for b in &self.beside {
            let target = out_dir.join(&b.path);
            let named = |e| cannot_write(Error::io(&target, e), &b.path, &b.origin);
            fs::rename(&b.tmp, &target).map_err(named)?;
            let meta = fs::symlink_metadata(&target).map_err(|e| Error::io(&target, e))?;
            if let Some(mtime) = manifest::mtime(&meta) {
                let entry = Entry {
                    hash: b.hash,
                    len: meta.len(),
                    mtime,
                    key: b.key,
                };
                entries.insert(b.path.clone(), entry);
            }
        }
        for p in &self.stale {
            remove_with_empty_folders(out_dir, p);
            entries.remove(p);
        }
        let mark = output_dir::mark_text(&self.owner, self.paths.iter().map(String::as_str));
        write_whole(&mark_path, mark.as_bytes()).map_err(|e| Error::io(&mark_path, e))?;
        manifest::save(cache_dir, out_dir, &self.entries);
        Ok(WriteStats {
            written,
            unchanged,
            removed: self.stale.len(),
        })
    }
}

impl Drop for Ready {
    /// Not committed (the build failed elsewhere): the files written beside their places and the
    /// folders made for them go, and the folder is as the last build left it.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        for b in &self.beside {
            let _ = fs::remove_file(&b.tmp);
        }
        for d in self.made_dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

/// Each file of the plan written beside its place; the temporary files, or the first error and
/// the temporary files written before it.
fn write_beside(
    plan: &Plan,
    contents: &[Content],
    out_dir: &Path,
    made_dirs: &mut Vec<PathBuf>,
) -> Result<Vec<PathBuf>, (Error, Vec<PathBuf>)> {
    for &i in &plan.write {
        let Some(parent) = out_dir
            .join(contents[i].path)
            .parent()
            .map(Path::to_path_buf)
        else {
            continue;
        };
        let mut missing = Vec::new();
        let mut d = parent.as_path();
        while !d.exists() && d.starts_with(out_dir) {
            missing.push(d.to_path_buf());
            d = d.parent().unwrap_or(out_dir);
        }
        for m in missing.into_iter().rev() {
            if let Err(e) = fs::create_dir(&m) {
                return Err((Error::io(&m, e), Vec::new()));
            }
            made_dirs.push(m);
        }
    }
    let results: Vec<Result<PathBuf, Error>> = plan
        .write
        .par_iter()
        .map(|&i| {
            let c = &contents[i];
            let tmp = temp_beside(&out_dir.join(c.path));
            match write_new(&tmp, &c.bytes) {
                Ok(()) => Ok(tmp),
                Err(e) => {
                    // Cut short (a full disk): the part written goes too.
                    let _ = fs::remove_file(&tmp);
                    Err(named_after_origin(Error::io(&tmp, e), c))
                }
            }
        })
        .collect();
    let mut temps = Vec::with_capacity(results.len());
    let mut first_error = None;
    for r in results {
        match r {
            Ok(t) => temps.push(t),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        None => Ok(temps),
        Some(e) => Err((e, temps)),
    }
}

/// Remove one file of the last build (a link is unlinked, a folder left alone) and the folders
/// above it that it leaves empty.
fn remove_with_empty_folders(out_dir: &Path, rel: &str) {
    let path = out_dir.join(rel);
    if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
        let _ = fs::remove_file(&path);
    }
    let mut above = path.parent();
    while let Some(dir) = above.filter(|d| *d != out_dir && d.starts_with(out_dir)) {
        if fs::remove_dir(dir).is_err() {
            break;
        }
        above = dir.parent();
    }
}
