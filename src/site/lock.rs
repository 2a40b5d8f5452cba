//! Locks that keep two builds from stepping on each other. A build of a site holds
//! `.opsite/build.lock` (an OS file lock, `flock`), so a second build of the same site stops at
//! once instead of failing on the first one's staging folder; a build also holds a lock on its
//! own staging folders, so a later build's clean-up tells a live build's folder from a killed
//! one's whatever became of its pid. The OS drops a lock when its process ends, killed or not:
//! no lock is ever stale.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The site's build lock, relative to the site's folder.
pub const BUILD_LOCK: &str = ".opsite/build.lock";

/// Held for as long as it lives; dropping it (or the process ending) releases the lock.
#[derive(Debug)]
pub struct Held {
    _file: File,
}

/// Why the build lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it; its pid as it wrote it, when readable.
    Busy { pid: Option<u32> },
    /// The lock file cannot be made or locked (a read-only site).
    Unavailable { path: PathBuf, reason: String },
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Busy { pid } => write!(
                f,
                "another opsite build is running in this site (pid {}); wait for it or stop it",
                pid.map_or_else(|| "unknown".to_string(), |p| p.to_string())
            ),
            LockError::Unavailable { path, reason } => {
                write!(
                    f,
                    "{}: cannot take the build lock: {reason}",
                    path.display()
                )
            }
        }
    }
}

/// Take `<root>/.opsite/build.lock` without waiting, and write this process's pid into it.
pub fn build_lock(root: &Path) -> Result<Held, LockError> {
    let path = root.join(BUILD_LOCK);
    let unavailable = |e: std::io::Error| LockError::Unavailable {
        path: PathBuf::from(BUILD_LOCK),
        reason: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(unavailable)?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(unavailable)?;
    if !try_lock(&file).map_err(unavailable)? {
        let pid = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.trim().parse().ok());
        return Err(LockError::Busy { pid });
    }
    // Only for the message a second build prints; the lock itself is the OS's.
    let _ = file
        .set_len(0)
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(Held { _file: file })
}

/// Lock a folder this build made (a staging folder), waiting if a clean-up holds it a moment.
pub fn hold_dir(dir: &Path) -> Option<Held> {
    let file = File::open(dir).ok()?;
    flock(&file, false).ok()?.then_some(Held { _file: file })
}

/// Whether no process holds a lock on `dir` (a killed build's folder); the lock taken to find
/// out is kept while the caller removes it.
pub fn dir_unheld(dir: &Path) -> Option<Held> {
    let file = File::open(dir).ok()?;
    try_lock(&file).ok()?.then_some(Held { _file: file })
}

/// Lock `file` exclusively without waiting: false when another process holds it.
fn try_lock(file: &File) -> std::io::Result<bool> {
    flock(file, true)
}

#[cfg(unix)]
fn flock(file: &File, nonblocking: bool) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    let mut op = libc::LOCK_EX;
    if nonblocking {
        op |= libc::LOCK_NB;
    }
    loop {
        // SAFETY: flock on a descriptor this `File` owns for the whole call.
        if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EWOULDBLOCK) => return Ok(false),
            _ => return Err(e),
        }
    }
}

/// Elsewhere no lock is taken: builds are not kept apart.
#[cfg(not(unix))]
fn flock(_file: &File, _nonblocking: bool) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_lock_is_refused_with_the_holders_pid_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = build_lock(dir.path()).expect("first lock");
        let second = build_lock(dir.path()).expect_err("held");
        assert_eq!(
            second.to_string(),
            format!(
                "another opsite build is running in this site (pid {}); wait for it or stop it",
                std::process::id()
            )
        );
        drop(first);
        assert!(build_lock(dir.path()).is_ok(), "free again once dropped");
    }

    #[test]
    fn a_held_folder_is_not_taken_for_a_killed_builds() {
        let dir = tempfile::tempdir().unwrap();
        let held = hold_dir(dir.path()).expect("held");
        assert!(dir_unheld(dir.path()).is_none());
        drop(held);
        assert!(dir_unheld(dir.path()).is_some());
    }
}
