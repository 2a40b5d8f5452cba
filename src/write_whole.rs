//! Replacing a file whole: the new bytes go into a file created new beside it
//! (`.<name>.opsite-new-<pid>`), which is then renamed over it. A reader never sees half a file,
//! a failed write leaves the old one, and a link planted under the temporary name is removed,
//! not followed. Used for every file opsite keeps for itself (caches, records, logs, snapshots)
//! and for what it writes into output folders and PDFs.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a temporary file's name has between the file's name and the process id.
pub const NEW_FILE_INFIX: &str = ".opsite-new-";

/// The temporary file for `target`, in the same folder (a rename within a folder is whole).
pub fn temp_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}{NEW_FILE_INFIX}{}", std::process::id()))
}

/// A name `temp_beside` gives, of a process that no longer runs: a killed run's half-written
/// file, never read, safe to remove. A running opsite's (another site's build writing to the
/// same folder, a `kpi` beside a `build`) is its own.
pub fn is_dead_copy(name: &str) -> bool {
    temp_name_pid(name).is_some_and(|pid| !process_alive(pid))
}

/// The running process writing the copy named `name`, if it is one.
pub fn running_writer(name: &str) -> Option<u32> {
    temp_name_pid(name).filter(|&pid| process_alive(pid))
}

/// The id of the process that named a temporary file (`.<name>.opsite-new-<pid>`).
fn temp_name_pid(name: &str) -> Option<u32> {
    let (of, pid) = name.strip_prefix('.')?.rsplit_once(NEW_FILE_INFIX)?;
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    (!of.is_empty() && digits).then(|| pid.parse().ok())?
}

/// Remove the temporary files in `dir` (one of opsite's own folders, `.opsite/cache`) whose
/// process no longer runs, or only those of the file named `of`: a run killed while replacing a
/// file left them, and the run that rewrites that file may not come (a highlight cache of a site
/// with no code, a manifest of a folder no longer built). Another opsite at work there (a `kpi`
/// beside a `build`) keeps its own.
pub fn remove_dead_copies(dir: &Path, of: Option<&std::ffi::OsStr>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let copy_of = of.map(|name| format!(".{}{NEW_FILE_INFIX}", name.to_string_lossy()));
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if copy_of
            .as_ref()
            .is_some_and(|c| !name.starts_with(c.as_str()))
        {
            continue;
        }
        let is_file = (entry.file_type()).is_ok_and(|t| t.is_file() || t.is_symlink());
        if is_file && is_dead_copy(&name) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs (a run writing beside a file, a build that made its
/// staging folder a moment ago). A reused id only keeps a left file a while longer.
pub fn process_alive(pid: u32) -> bool {
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

/// Write a file that must not exist yet; whatever has its name (a link, a killed run's file) is
/// removed first, never written through.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    create_new(path)?.write_all(bytes)
}

/// A file that must not exist yet, to be written as it is made (a large cache); whatever has
/// its name is removed first, never written through.
pub fn create_new(path: &Path) -> std::io::Result<fs::File> {
    let _ = fs::remove_file(path);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Replace `path` with `bytes` whole (see the module's comment). The folder must exist.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_beside(path);
    let done = write_new(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if done.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    done
}

/// Replace a file opsite keeps for itself (a cache, a record) whole, first removing the copies
/// of it killed runs left half-written beside it (`remove_copies_of`).
pub fn replace_kept(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    remove_copies_of(path);
    write_whole(path, bytes)
}

/// Remove the copies of `path` that runs killed while writing it left beside it
/// (`.<name>.opsite-new-<pid>`, never read): each as large as the file, they would pile up.
pub fn remove_copies_of(path: &Path) {
    if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
        remove_dead_copies(dir, Some(name));
    }
}

/// The folder `rel` (`.opsite/cache`) of the site at `root`, when each folder on the way is a
/// folder of the site's own: a link (to a folder elsewhere) or a file there gives None, so
/// nothing is read, written or removed through it. Missing folders are made when `create`.
pub fn own_folder(root: &Path, rel: &str, create: bool) -> Option<PathBuf> {
    let mut dir = root.to_path_buf();
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        dir.push(part);
        if create && fs::symlink_metadata(&dir).is_err() {
            let _ = fs::create_dir(&dir);
        }
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            return None;
        }
    }
    Some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_own_folder_is_never_reached_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let (root, elsewhere) = (dir.path().join("site"), dir.path().join("elsewhere"));
        fs::create_dir_all(root.join(".opsite")).unwrap();
        fs::create_dir_all(elsewhere.join("cache")).unwrap();
        assert_eq!(own_folder(&root, ".opsite/cache", false), None, "missing");
        let made = own_folder(&root, ".opsite/cache", true).unwrap();
        assert!(made.is_dir() && made.starts_with(&root));
        fs::remove_dir(&made).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &made).unwrap();
        assert_eq!(own_folder(&root, ".opsite/cache", true), None, "a link");
        fs::remove_dir_all(root.join(".opsite")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join(".opsite")).unwrap();
        assert_eq!(
            own_folder(&root, ".opsite/cache", true),
            None,
            "a link above"
        );
    }

    #[test]
    fn a_link_at_the_temporary_name_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        let target = dir.path().join("cache.bin");
        std::os::unix::fs::symlink(&outside, temp_beside(&target)).unwrap();
        write_whole(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
        assert!(!temp_beside(&target).exists());
        // This run's own copy is a copy, and not a dead one.
        let own = temp_beside(&target)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(temp_name_pid(&own), Some(std::process::id()));
        assert!(!is_dead_copy(&own) && is_dead_copy(".cache.bin.opsite-new-4194304"));
        assert!(
            !is_dead_copy("cache.bin")
                && !is_dead_copy(".x.opsite-new-")
                && !is_dead_copy("..opsite-new-4194304")
                && !is_dead_copy("x.opsite-new-4194304")
        );
    }

    #[test]
    fn a_kept_file_replaced_takes_the_copies_killed_runs_left_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("highlight.bin");
        // No process has the largest ids a pid may take: these runs are over.
        let left = [
            ".highlight.bin.opsite-new-4194304",
            ".highlight.bin.opsite-new-4194303",
        ];
        let others = [
            ".other.bin.opsite-new-4194304",
            ".highlight.bin.opsite-new-x",
            "notes.txt",
        ];
        for name in left.iter().chain(&others) {
            fs::write(dir.path().join(name), "half").unwrap();
        }
        replace_kept(&target, b"whole").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"whole");
        for name in left {
            assert!(!dir.path().join(name).exists(), "{name} left");
        }
        for name in others {
            assert!(dir.path().join(name).exists(), "{name} removed");
        }
    }

    #[test]
    fn copies_of_runs_no_longer_running_are_removed_and_a_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mine = format!(".output-1.bin{NEW_FILE_INFIX}{}", std::process::id());
        // No process has the largest id a pid may take.
        let dead = format!(".output-2.bin{NEW_FILE_INFIX}4194304");
        let others = [".x.opsite-new-abc", "notes.txt", "x.opsite-new-4194304"];
        for name in [mine.as_str(), dead.as_str()].iter().chain(&others) {
            fs::write(dir.path().join(name), "half").unwrap();
        }
        remove_dead_copies(dir.path(), None);
        assert!(
            !dir.path().join(&dead).exists(),
            "a dead run's copy is left"
        );
        assert!(
            dir.path().join(&mine).exists(),
            "a live run's copy is removed"
        );
        for name in others {
            assert!(dir.path().join(name).exists(), "{name} removed");
        }
    }
}
