//! Output files and the atomic write: a build writes into a fresh folder beside `output/` and swaps
//! it in only when everything succeeded, so a failed build leaves the previous output as it was.
//! Files whose bytes did not change are hard-linked from the previous output instead of rewritten.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::contain::check_output_path;
use super::lock;
use super::output_dir::{self, MARK_FILE, MARK_TEXT};
use crate::error::{Code, Diagnostic, Error, Location};

pub use crate::output_file::{AssetSource, OutputContent, OutputFile};

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// Write `files` as the new content of `out_dir`, atomically. The caller has decided that the
/// build may replace `out_dir` (`output_dir::choose`); nothing outside it and its staging
/// folders is touched, and a path that would leave it stops the write before anything is written.
pub fn write_atomic(
    files: &[OutputFile],
    out_dir: &Path,
    owner: &output_dir::Owner,
) -> Result<WriteStats, Error> {
    for f in files {
        if let Err(e) = check_output_path(&f.path) {
            return Err(Error::io(
                &f.origin,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, e),
            ));
        }
    }
    let out_dir = output_dir::resolve(out_dir);
    let parent = out_dir.parent().unwrap_or(Path::new("/")).to_path_buf();
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    remove_stale_staging(&parent, &name);
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    // Held until the swap is over: another build's clean-up leaves a held folder alone.
    let _staging_lock = lock::hold_dir(&staging);

    let result = fs::write(staging.join(MARK_FILE), MARK_TEXT)
        .map_err(|e| Error::io(&staging, e))
        .and_then(|()| fill(files, &out_dir, &staging));
    // The mark lists what this build wrote, so the next one can tell a user's file from its own.
    let result = result.and_then(|stats| {
        fs::write(
            staging.join(MARK_FILE),
            output_dir::mark_text(owner, files.iter().map(|f| f.path.as_str())),
        )
        .map_err(|e| Error::io(&staging, e))
        .map(|()| stats)
    });
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            remove_tree(&staging, &mut |p| fs::remove_file(p));
            return Err(e);
        }
    };
    // Swap: old output aside, new one in, old one removed.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = fs::symlink_metadata(&out_dir).is_ok();
    let _old_lock = had_old.then(|| lock::hold_dir(&out_dir));
    if had_old {
        if let Err(e) = fs::rename(&out_dir, &old) {
            remove_tree(&staging, &mut |p| fs::remove_file(p));
            return Err(Error::io(&out_dir, e));
        }
    }
    if let Err(e) = fs::rename(&staging, &out_dir) {
        if had_old {
            let _ = fs::rename(&old, &out_dir);
        }
        remove_tree(&staging, &mut |p| fs::remove_file(p));
        return Err(Error::io(&out_dir, e));
    }
    if had_old {
        remove_old(&old);
    }
    Ok(stats)
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
fn remove_tree(dir: &Path, remove: &mut dyn FnMut(&Path) -> std::io::Result<()>) -> bool {
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
/// Removed: a folder no live build holds (the lock of `write_atomic`; a killed build's lock is
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
        } else if holds_no_files(&path) && !process_alive(pid) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id runs (a build that made its folder a moment ago and has not
/// locked it yet). A reused id only keeps an empty folder a while longer.
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
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

fn fill(files: &[OutputFile], previous: &Path, staging: &Path) -> Result<WriteStats, Error> {
    let mut dirs: BTreeMap<PathBuf, ()> = BTreeMap::new();
    for f in files {
        if let Some(d) = Path::new(&f.path).parent() {
            dirs.insert(staging.join(d), ());
        }
    }
    for d in dirs.keys() {
        fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let results: Vec<Result<bool, Error>> = files
        .par_iter()
        .map(|f| {
            let target = staging.join(&f.path);
            let old = previous.join(&f.path);
            let written = match &f.content {
                OutputContent::Bytes(bytes) => write_or_link(&target, &old, bytes),
                OutputContent::Asset(AssetSource::Embedded(bytes)) => {
                    write_or_link(&target, &old, bytes)
                }
                OutputContent::Asset(AssetSource::Disk(src)) => {
                    let bytes = src.read().map_err(|e| {
                        Error::Located(Diagnostic::error(Code::Build, Location::file(&f.origin), e))
                    })?;
                    write_or_link(&target, &old, &bytes)
                }
                OutputContent::Asset(AssetSource::Shared(bytes)) => {
                    write_or_link(&target, &old, bytes)
                }
            };
            // Named after the source it came from: that is what the author changes.
            written.map_err(|e| match e {
                Error::Io { error, .. } => Error::Located(Diagnostic::error(
                    Code::Build,
                    Location::file(&f.origin),
                    format!("cannot write {} into the output: {error}", f.path),
                )),
                other => other,
            })
        })
        .collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    Ok(stats)
}

/// Hard-link the previous file when its bytes are the same; returns whether bytes were written.
fn write_or_link(target: &Path, old: &Path, bytes: &[u8]) -> Result<bool, Error> {
    if let Ok(meta) = fs::metadata(old) {
        if meta.len() == bytes.len() as u64
            && fs::read(old).is_ok_and(|b| b == bytes)
            && fs::hard_link(old, target).is_ok()
        {
            return Ok(false);
        }
    }
    fs::write(target, bytes).map_err(|e| Error::io(target, e))?;
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
