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

/// A name `temp_beside` gives: one found later was left by a run that was killed.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(NEW_FILE_INFIX)
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
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
/// of it a killed run left half-written beside it (`.<name>.opsite-new-<pid>`, never read):
/// each as large as the file, they would pile up. The folder must exist.
pub fn replace_kept(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    remove_left_copies(path);
    write_whole(path, bytes)
}

/// Remove the half-written copies of `path` that runs killed while writing it left beside it.
pub fn remove_left_copies(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let copy = format!(".{}{NEW_FILE_INFIX}", name.to_string_lossy());
    for entry in entries.flatten() {
        let found = entry.file_name();
        let found = found.to_string_lossy();
        if found.starts_with(&copy) && is_temp_name(&found) {
            let _ = fs::remove_file(entry.path());
        }
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
        assert!(is_temp_name(
            &temp_beside(&target).file_name().unwrap().to_string_lossy()
        ));
        assert!(
            !is_temp_name("cache.bin")
                && !is_temp_name(".x.opsite-new-")
                && !is_temp_name("x.opsite-new-1")
        );
    }

    #[test]
    fn a_kept_file_replaced_takes_the_copies_killed_runs_left_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("highlight.bin");
        let left = [
            ".highlight.bin.opsite-new-41",
            ".highlight.bin.opsite-new-7",
        ];
        let others = [
            ".other.bin.opsite-new-41",
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
}
