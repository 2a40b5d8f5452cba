//! Output files and the atomic write: a build writes into a fresh folder beside `output/` and swaps
//! it in only when everything succeeded, so a failed build leaves the previous output as it was.
//! Files whose bytes did not change are hard-linked from the previous output instead of rewritten.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::contain::check_output_path;
use super::output_dir::{self, MARK_FILE, MARK_TEXT};
use crate::error::{Diagnostic, Error, Location};
use crate::render::AssetSource;

#[derive(Debug, Clone)]
pub enum OutputContent {
    /// Shared, so the preview server can keep serving a build while the next one is made.
    Bytes(Arc<Vec<u8>>),
    Asset(AssetSource),
}

impl OutputContent {
    /// Both are rendered bytes, and the same ones (shared or equal). Assets, read from their
    /// source when written or served, are never the same bytes here.
    pub fn same_bytes(&self, other: &OutputContent) -> bool {
        match (self, other) {
            (OutputContent::Bytes(x), OutputContent::Bytes(y)) => Arc::ptr_eq(x, y) || x == y,
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub content: OutputContent,
    /// The source it came from, for duplicate-path errors.
    pub origin: PathBuf,
}

impl OutputFile {
    pub fn bytes(path: String, bytes: Vec<u8>, origin: PathBuf) -> Self {
        OutputFile {
            path,
            content: OutputContent::Bytes(Arc::new(bytes)),
            origin,
        }
    }
    pub fn asset(path: String, source: AssetSource, origin: PathBuf) -> Self {
        OutputFile {
            path,
            content: OutputContent::Asset(source),
            origin,
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// Write `files` as the new content of `out_dir`, atomically. The caller has decided that the
/// build may replace `out_dir` (`output_dir::choose`); nothing outside it and its staging
/// folders is touched, and a path that would leave it stops the write before anything is written.
pub fn write_atomic(files: &[OutputFile], out_dir: &Path) -> Result<WriteStats, Error> {
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

    let result = fs::write(staging.join(MARK_FILE), MARK_TEXT)
        .map_err(|e| Error::io(&staging, e))
        .and_then(|()| fill(files, &out_dir, &staging));
    // The mark lists what this build wrote, so the next one can tell a user's file from its own.
    let result = result.and_then(|stats| {
        fs::write(
            staging.join(MARK_FILE),
            output_dir::mark_text(files.iter().map(|f| f.path.as_str())),
        )
        .map_err(|e| Error::io(&staging, e))
        .map(|()| stats)
    });
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Swap: old output aside, new one in, old one removed.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = fs::symlink_metadata(&out_dir).is_ok();
    if had_old {
        if let Err(e) = fs::rename(&out_dir, &old) {
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::io(&out_dir, e));
        }
    }
    if let Err(e) = fs::rename(&staging, &out_dir) {
        if had_old {
            let _ = fs::rename(&old, &out_dir);
        }
        let _ = fs::remove_dir_all(&staging);
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
            let _ = fs::remove_dir_all(old);
        }
        Ok(_) => {
            let _ = fs::remove_file(old);
        }
        Err(_) => {}
    }
}

/// Staging folders of builds that were killed half-way (`.output.new-<pid>`, `.output.old-<pid>`).
/// Only folders carrying opsite's mark, or holding no file at all, are removed.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefixes.iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        let path = entry.path();
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if ours && is_dir && (path.join(MARK_FILE).is_file() || holds_no_files(&path)) {
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
            match &f.content {
                OutputContent::Bytes(bytes) => write_or_link(&target, &old, bytes),
                OutputContent::Asset(AssetSource::Embedded(bytes)) => {
                    write_or_link(&target, &old, bytes)
                }
                OutputContent::Asset(AssetSource::Disk(src)) => {
                    let bytes = src.read().map_err(|e| {
                        Error::Located(Diagnostic::error(Location::file(&f.origin), e))
                    })?;
                    write_or_link(&target, &old, &bytes)
                }
                OutputContent::Asset(AssetSource::Shared(bytes)) => {
                    write_or_link(&target, &old, bytes)
                }
            }
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
