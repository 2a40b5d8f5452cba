//! What the last build wrote into an output folder, kept under `.opsite/cache/`: each file's
//! length, content hash, and modification time as written. A rebuild compares a file's new bytes
//! with the hash instead of reading the previous file, and a file whose length or time is not
//! the recorded one (changed or restored by someone else) is not trusted: it is compared by its
//! bytes, or written again. Removed before a build updates a folder in place, written again once
//! it is done, so a build killed half-way leaves no manifest and the next one writes the folder
//! whole.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A content hash of output bytes.
pub type Hash = crate::output_file::ContentHash;

pub use crate::output_file::content_hash as hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub hash: Hash,
    pub len: u64,
    /// Modification time in nanoseconds since the epoch, as the file system gave it after the
    /// write.
    pub mtime: i128,
    /// For a page, the key of what it was rendered from (`OutputContent::Kept`) and what the
    /// search index read of it.
    pub key: Option<crate::output_file::PageRecord>,
}

impl Entry {
    /// The file on disk is still the one this entry recorded (as far as its length and time say).
    pub fn describes(&self, meta: &fs::Metadata) -> bool {
        meta.is_file() && meta.len() == self.len && mtime(meta) == Some(self.mtime)
    }
}

pub fn mtime(meta: &fs::Metadata) -> Option<i128> {
    let t = meta.modified().ok()?;
    let d = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(d.as_nanos() as i128)
}

/// Output path (`/`-separated, inside the folder) → what was written there.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    pub entries: HashMap<String, Entry>,
}

/// First line of a manifest file: its format and opsite's version.
fn header() -> String {
    format!("opsite output manifest 3 {}\n", env!("CARGO_PKG_VERSION"))
}

/// How the caches name an output folder: relative to the site (`site:output`) when it is inside
/// it, so a checkout of the site at another path (a CI runner's) finds its caches; else its
/// absolute path. `cache_dir` is the site's `.opsite/cache`.
pub fn folder_key(cache_dir: &Path, out_dir: &Path) -> String {
    let site = cache_dir
        .parent()
        .and_then(Path::parent)
        .map(super::output_dir::resolve);
    match site.as_deref().and_then(|s| out_dir.strip_prefix(s).ok()) {
        Some(rel) => format!("site:{}", rel.to_string_lossy()),
        None => out_dir.to_string_lossy().into_owned(),
    }
}

/// The manifest of `out_dir` in `cache_dir`: one per output folder (the site and each edition).
fn path_for(cache_dir: &Path, out_dir: &Path) -> PathBuf {
    let key = crate::digest::sha256_hex(&[folder_key(cache_dir, out_dir).as_bytes()], 8);
    cache_dir.join(format!("output-{key}.bin"))
}

/// The manifest the last build of `out_dir` left; None when there is none or it cannot be read.
pub fn load(cache_dir: &Path, out_dir: &Path) -> Option<Manifest> {
    let bytes = crate::walk::read_own_file(&path_for(cache_dir, out_dir))?;
    let mut rest = bytes.strip_prefix(header().as_bytes())?;
    let dir_len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let dir = rest.get(4..4 + dir_len)?;
    if dir != folder_key(cache_dir, out_dir).as_bytes() {
        return None;
    }
    rest = &rest[4 + dir_len..];
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let path = std::str::from_utf8(rest.get(4..4 + len)?).ok()?.to_string();
        rest = &rest[4 + len..];
        let fixed = rest.get(..16 + 8 + 16 + 1)?;
        let mut entry = Entry {
            hash: fixed[..16].try_into().ok()?,
            len: u64::from_le_bytes(fixed[16..24].try_into().ok()?),
            mtime: i128::from_le_bytes(fixed[24..40].try_into().ok()?),
            key: None,
        };
        rest = &rest[41..];
        if fixed[40] >= 1 {
            let key = rest.get(..16)?.try_into().ok()?;
            rest = &rest[16..];
            let mut indexed = None;
            if fixed[40] == 2 {
                let text = rest.get(..24)?;
                indexed = Some(crate::output_file::IndexedText {
                    hash: text[..16].try_into().ok()?,
                    len: u64::from_le_bytes(text[16..].try_into().ok()?),
                });
                rest = &rest[24..];
            }
            entry.key = Some(crate::output_file::PageRecord { key, indexed });
        }
        entries.insert(path, entry);
    }
    Some(Manifest { entries })
}

/// Keep `manifest` for `out_dir` (a failure only costs the next build time).
pub fn save(cache_dir: &Path, out_dir: &Path, manifest: &Manifest) {
    let mut out = header().into_bytes();
    let dir = folder_key(cache_dir, out_dir);
    out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
    out.extend_from_slice(dir.as_bytes());
    let mut paths: Vec<&String> = manifest.entries.keys().collect();
    paths.sort();
    for p in paths {
        let e = &manifest.entries[p];
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(p.as_bytes());
        out.extend_from_slice(&e.hash);
        out.extend_from_slice(&e.len.to_le_bytes());
        out.extend_from_slice(&e.mtime.to_le_bytes());
        match &e.key {
            Some(record) => {
                out.push(1 + u8::from(record.indexed.is_some()));
                out.extend_from_slice(&record.key);
                if let Some(text) = &record.indexed {
                    out.extend_from_slice(&text.hash);
                    out.extend_from_slice(&text.len.to_le_bytes());
                }
            }
            None => out.push(0),
        }
    }
    let path = path_for(cache_dir, out_dir);
    if fs::create_dir_all(cache_dir).is_err() {
        return;
    }
    let _ = crate::write_whole::write_whole(&path, &out);
}

/// The manifest the last build of `out_dir` left, its files' times brought up to date: a file
/// whose length is the recorded one but whose time is not (a cache restored by a tool that keeps
/// times to the second, or not at all) is read, and when its bytes hash as recorded its entry
/// takes the new time, and the manifest is saved so. Without this, every such file would be
/// taken as changed by hand and written again.
pub fn load_current(cache_dir: &Path, out_dir: &Path) -> Option<Manifest> {
    use rayon::prelude::*;
    let mut manifest = load(cache_dir, out_dir)?;
    let retimed: usize = manifest
        .entries
        .par_iter_mut()
        .map(|(path, e)| {
            let Ok(meta) = fs::symlink_metadata(out_dir.join(path.as_str())) else {
                return 0;
            };
            let same_bytes =
                || fs::read(out_dir.join(path.as_str())).is_ok_and(|b| hash(&b) == e.hash);
            match mtime(&meta) {
                Some(t)
                    if meta.is_file() && meta.len() == e.len && t != e.mtime && same_bytes() =>
                {
                    e.mtime = t;
                    1
                }
                _ => 0,
            }
        })
        .sum();
    if retimed > 0 {
        save(cache_dir, out_dir, &manifest);
    }
    Some(manifest)
}

/// Forget the manifest of `out_dir` (before the folder is changed in place).
pub fn remove(cache_dir: &Path, out_dir: &Path) -> std::io::Result<()> {
    match fs::remove_file(path_for(cache_dir, out_dir)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The pages of the manifest with a render key that are still on disk as written (by length
/// and time), which a build may keep instead of rendering them again.
pub fn previous_renders(
    manifest: &Manifest,
    out_dir: &Path,
) -> crate::output_file::PreviousRenders {
    use crate::output_file::{KeptFile, PreviousRenders};
    use rayon::prelude::*;
    let by_path = manifest
        .entries
        .par_iter()
        .filter_map(|(path, e)| {
            let record = e.key?;
            let on_disk = fs::symlink_metadata(out_dir.join(&path)).ok()?;
            let kept = KeptFile {
                hash: e.hash,
                len: e.len,
                indexed: record.indexed,
            };
            e.describes(&on_disk)
                .then_some((path.clone(), (record.key, kept)))
        })
        .collect();
    let mut by_key: std::collections::HashMap<_, Vec<String>> = Default::default();
    for (path, e) in &manifest.entries {
        if let Some(record) = e.key {
            by_key.entry(record.key).or_default().push(path.clone());
        }
    }
    PreviousRenders { by_path, by_key }
}

/// `out_dir` holds what its last build wrote, as the manifest recorded it: the folder's mark is
/// `owner`'s and lists exactly the manifest's files, and each file has its recorded length and
/// time. Reads no file but the mark.
pub fn intact(manifest: &Manifest, out_dir: &Path, owner: &super::output_dir::Owner) -> bool {
    use rayon::prelude::*;
    if !fs::symlink_metadata(out_dir).is_ok_and(|m| m.is_dir())
        || super::output_dir::mark_owner(out_dir).as_ref() != Some(owner)
    {
        return false;
    }
    let Some(listed) = super::output_dir::mark_list(out_dir) else {
        return false;
    };
    listed.len() == manifest.entries.len()
        && listed.par_iter().all(|p| {
            manifest.entries.get(p).is_some_and(|e| {
                fs::symlink_metadata(out_dir.join(p)).is_ok_and(|m| e.describes(&m))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_round_trips_for_its_own_folder_only() {
        let cache = tempfile::tempdir().unwrap();
        let out = cache.path().join("output");
        let mut m = Manifest::default();
        m.entries.insert(
            "sop/index.html".into(),
            Entry {
                hash: hash(b"<p>x</p>"),
                len: 8,
                mtime: 1_700_000_000_123_456_789,
                key: None,
            },
        );
        m.entries.insert(
            "runbooks/index.html".into(),
            Entry {
                hash: hash(b"<p>y</p>"),
                len: 8,
                mtime: 1_700_000_000_123_456_790,
                key: Some(crate::output_file::PageRecord {
                    key: [7; 16],
                    indexed: None,
                }),
            },
        );
        m.entries.insert(
            "reports/weekly/2026-W03/index.html".into(),
            Entry {
                hash: hash(b"<p>z</p>"),
                len: 8,
                mtime: 1_700_000_000_123_456_791,
                key: Some(crate::output_file::PageRecord {
                    key: [8; 16],
                    indexed: Some(crate::output_file::IndexedText {
                        hash: [9; 16],
                        len: 4_000_000,
                    }),
                }),
            },
        );
        save(cache.path(), &out, &m);
        assert_eq!(load(cache.path(), &out).unwrap().entries, m.entries);
        assert!(load(cache.path(), &cache.path().join("other")).is_none());
        remove(cache.path(), &out).unwrap();
        assert!(load(cache.path(), &out).is_none());
        remove(cache.path(), &out).unwrap();
    }
}
