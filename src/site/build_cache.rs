//! What a build keeps under `.opsite/cache/` for the next one, beside the highlight cache and the
//! output manifests (`output_manifest`): the search index's shards by the hash of their pages
//! (`search/<key>.bin`). Everything here is
//! keyed on contents, never on modification times, so a fresh CI checkout of the same commit
//! still hits; anything unreadable is a cold start, never an error. Read when the site is loaded
//! and written after the output, the two ends of the pipeline.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use crate::search::bundle::{ShardFiles, ShardStore};

/// The cache folder, in the site's root: the folder a CI job keeps between runs, with `output/`.
pub const CACHE_DIR: &str = ".opsite/cache";
/// Folder of the search shards' bundles.
pub const SHARDS_DIR: &str = ".opsite/cache/search";
/// First line of a shard file: its format, and opsite's version (a new version indexes afresh).
fn shard_header() -> String {
    format!("opsite search shard 3 {}\n", env!("CARGO_PKG_VERSION"))
}

/// Make `.opsite/`, `.opsite/cache/` and its `search/` real folders of the site before a build
/// reads or writes a cache: a link there (to a folder elsewhere) is removed, never followed, so
/// no cache is read from or written (or removed) outside the site. Returns what was replaced,
/// for a warning. The copies of caches and records that killed runs left half-written there
/// (and in the rejects' folder) go, whatever this build rewrites.
pub fn own_cache_folders(root: &Path) -> Vec<String> {
    let replaced = own_folders(root);
    for dir in [CACHE_DIR, crate::data::REJECTS_DIR] {
        if let Some(dir) = crate::write_whole::own_folder(root, dir, false) {
            crate::write_whole::remove_dead_copies(&dir, None);
        }
    }
    replaced
}

/// `own_cache_folders` but the removal of half-written copies.
fn own_folders(root: &Path) -> Vec<String> {
    let mut replaced = Vec::new();
    let mut dir = root.to_path_buf();
    for part in SHARDS_DIR.split('/') {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => continue,
            Ok(m) if m.file_type().is_symlink() => {
                if fs::remove_file(&dir).is_ok() {
                    replaced.push(dir.display().to_string());
                }
            }
            _ => {}
        }
        if fs::create_dir(&dir).is_err() && !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            break;
        }
    }
    replaced
}

/// The shards the previous builds kept, each read when a build asks for it: a hundred
/// editions' shards are tens of megabytes, and most builds need few of them. An unreadable or
/// damaged file is left out (indexed again) and removed.
pub fn load_shards(root: &Path) -> ShardStore {
    let dir = root.join(SHARDS_DIR);
    if !dir.is_dir() {
        return ShardStore::default();
    }
    let read = move |key: &str| -> Option<ShardFiles> {
        if !is_key(key) {
            return None;
        }
        let path = dir.join(format!("{key}.bin"));
        let bytes = crate::walk::read_own_file(&path)?;
        let files = decode(&bytes, key);
        if files.is_none() {
            let _ = fs::remove_file(&path);
        }
        files
    };
    let mut store = ShardStore::default();
    store.saved = Some(Arc::new(read));
    store
}

/// Keep exactly the shards of `used` and those named in `also`: new ones written, ones no
/// longer used removed (only files named as this module names them). `also` names the shards
/// of folders this build kept as the last one left them. Failures only cost the next build time.
pub fn save_shards(root: &Path, used: &ShardStore, also: &std::collections::HashSet<String>) {
    let dir = root.join(SHARDS_DIR);
    if used.shards.is_empty() && !dir.exists() {
        return;
    }
    if fs::create_dir_all(&dir).is_err() {
        return;
    }
    for (key, files) in &used.shards {
        let path = dir.join(format!("{key}.bin"));
        if path.is_file() {
            continue;
        }
        let _ = crate::write_whole::write_whole(&path, &encode(key, files));
    }
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = match name.rsplit_once('.') {
            _ if crate::write_whole::is_dead_copy(&name) => true,
            Some((key, "bin")) => {
                is_key(key) && !used.shards.contains_key(key) && !also.contains(key)
            }
            _ => false,
        };
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A shard key as `search::bundle::shard_key` makes it: 16 lowercase hex digits.
fn is_key(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The header, the hash of the shard's key and the rest (a damaged file, or one copied under
/// another shard's name, is never copied into an output), then each file's name and bytes.
fn encode(key: &str, files: &ShardFiles) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, bytes) in files.iter() {
        body.extend_from_slice(&(name.len() as u32).to_le_bytes());
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        body.extend_from_slice(bytes);
    }
    let mut out = shard_header().into_bytes();
    out.extend_from_slice(keyed_hash(key, &body).as_bytes());
    out.extend_from_slice(&body);
    out
}

fn keyed_hash(key: &str, body: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(key.as_bytes());
    h.update(body);
    h.finalize()
}

/// The files of the shard file of `key` (its name), or None when it is not that shard's intact.
fn decode(bytes: &[u8], key: &str) -> Option<ShardFiles> {
    let rest = bytes.strip_prefix(shard_header().as_bytes())?;
    let (hash, mut rest) = (rest.get(..32)?, rest.get(32..)?);
    if keyed_hash(key, rest).as_bytes() != hash {
        return None;
    }
    let mut files = Vec::new();
    while !rest.is_empty() {
        let name_len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let name = std::str::from_utf8(rest.get(4..4 + name_len)?).ok()?;
        rest = &rest[4 + name_len..];
        let len = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
        let data = rest.get(8..8usize.checked_add(len)?)?;
        // A name must stay inside its shard's folder.
        if name.is_empty()
            || name.starts_with('/')
            || name.split('/').any(|p| p == ".." || p.is_empty())
        {
            return None;
        }
        files.push((name.to_string(), Arc::new(data.to_vec())));
        rest = &rest[8 + len..];
    }
    Some(Arc::new(files))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn store(keys: &[&str]) -> ShardStore {
        let mut s = ShardStore::default();
        for k in keys {
            let files: ShardFiles = Arc::new(vec![
                ("pagefind-entry.json".to_string(), Arc::new(b"{}".to_vec())),
                (
                    format!("fragment/{k}.pf_fragment"),
                    Arc::new(vec![0, 1, 2, 255]),
                ),
            ]);
            s.shards.insert(k.to_string(), files);
        }
        s
    }

    #[test]
    fn shards_round_trip_and_only_the_used_ones_stay() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = ("00000000000000aa", "00000000000000bb");
        let none = HashSet::new();
        save_shards(root.path(), &store(&[a, b]), &none);
        let back = load_shards(root.path());
        assert_eq!(back.get(a), store(&[a]).get(a));
        assert!(back.get(b).is_some());
        // The user's own file in the folder is not ours to remove.
        fs::write(root.path().join(SHARDS_DIR).join("notes.txt"), "mine").unwrap();
        save_shards(root.path(), &store(&[b]), &none);
        let back = load_shards(root.path());
        assert!(back.get(a).is_none() && back.get(b).is_some());
        assert!(root.path().join(SHARDS_DIR).join("notes.txt").is_file());
        // A shard of a folder the build kept stays, though this build did not use it.
        let c = "00000000000000ce";
        save_shards(root.path(), &store(&[c]), &none);
        save_shards(root.path(), &store(&[b]), &HashSet::from([c.to_string()]));
        assert!(load_shards(root.path()).get(c).is_some());
    }

    #[test]
    fn a_damaged_or_hostile_shard_file_is_left_out() {
        let root = tempfile::tempdir().unwrap();
        let key = "00000000000000cc";
        let none = HashSet::new();
        save_shards(root.path(), &store(&[key]), &none);
        let path = root.path().join(SHARDS_DIR).join(format!("{key}.bin"));
        let good = fs::read(&path).unwrap();
        fs::write(&path, &good[..good.len() - 1]).unwrap();
        assert!(load_shards(root.path()).get(key).is_none(), "cut short");
        assert!(!path.exists(), "a damaged shard file is removed");
        // Intact, but another shard's: copied or restored under this name.
        let other = "00000000000000dd";
        save_shards(root.path(), &store(&[other]), &none);
        let dir = root.path().join(SHARDS_DIR);
        fs::copy(dir.join(format!("{other}.bin")), &path).unwrap();
        let back = load_shards(root.path());
        assert!(back.get(other).is_some());
        assert!(
            back.get(key).is_none(),
            "another shard's file under this name"
        );
        let mut evil = shard_header().into_bytes();
        let name = "../../index.html";
        evil.extend_from_slice(&(name.len() as u32).to_le_bytes());
        evil.extend_from_slice(name.as_bytes());
        evil.extend_from_slice(&1u64.to_le_bytes());
        evil.push(b'x');
        fs::write(&path, evil).unwrap();
        assert!(
            load_shards(root.path()).get(key).is_none(),
            "a name leaving its folder"
        );
    }
}
