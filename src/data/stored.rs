//! The exports as last loaded, kept between runs in `.opsite/cache/exports.msgpack`: reading a
//! large export is most of a short run (`opsite kpi` on a million tickets: 0.46 s of 0.68 s),
//! and its tables read back from the kept file in a fraction of that. The file is keyed on all
//! that loading reads: the program, site.yaml, the KPI settings, and the bytes of every export
//! and holiday file (not their times, so a fresh checkout of the same files still hits).
//! Anything else and the exports are read from their files; a load without errors replaces the
//! kept one. The kept bytes are checked against their hash, and nothing is read, written or
//! removed through a link: a damaged file costs time, never figures, and never an error.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

use super::{load as load_files, read, Loaded, REJECTS_DIR};
use crate::config::kpi::KpiConfig;
use crate::error::Diagnostic;
use crate::kept_file::KeptFile;
use crate::write_whole::own_folder;

/// The kept load's file: `.opsite/cache/exports.msgpack`.
const FILE: KeptFile = KeptFile {
    dir: ".opsite/cache",
    name: "exports.msgpack",
    header: b"opsite exports 3\n",
};

/// A load as kept: the tables, and the quarantine files it wrote, by the hash of their bytes
/// (one edited or removed by hand is written again by reading the exports again).
#[derive(Deserialize)]
struct Kept {
    loaded: Loaded,
    rejects: Vec<(String, [u8; 32])>,
}

/// Loads being kept, each written on a thread of its own beside the run (ten million tickets'
/// tables are half a gigabyte to write): joined by `finish_keeping`.
static KEEPING: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());

/// The exports, from the kept file when it was made from the same inputs, else from their
/// files (`data::load`), kept for the next run when they load without errors.
pub fn load(root: &Path, config: &KpiConfig) -> Result<Arc<Loaded>, Vec<Diagnostic>> {
    // One kept file is written at a time (the preview loads again on every export saved).
    finish_keeping();
    let Some(key) = key(root, config) else {
        return load_files(root, config).map(Arc::new);
    };
    if let Some(kept) = kept(root, &key).filter(|k| rejects_as_written(root, k)) {
        return Ok(Arc::new(Loaded {
            kept: true,
            ..kept.loaded
        }));
    }
    // What a failed load writes (a quarantine file) must not meet an older kept load later.
    forget(root);
    let loaded = Arc::new(load_files(root, config)?);
    let (root, keeping) = (root.to_path_buf(), Arc::clone(&loaded));
    let writer = std::thread::spawn(move || keep(&root, &key, &keeping));
    KEEPING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(writer);
    Ok(loaded)
}

/// Wait until the loads being kept are written: before the process ends (a kept file not
/// finished is never read: it is renamed into place whole).
pub fn finish_keeping() {
    let writers = std::mem::take(&mut *KEEPING.lock().unwrap_or_else(|e| e.into_inner()));
    for writer in writers {
        let _ = writer.join();
    }
}

/// Read the exports from their files next time (`build --no-cache`).
pub fn forget(root: &Path) {
    FILE.remove(root);
}

/// The files loading reads besides site.yaml: every source's exports and the holiday files the
/// calendars name. None when a source's `files` does not resolve (loading will say why).
pub fn input_files(root: &Path, config: &KpiConfig) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    for (_, _, source) in config.data.sources() {
        files.extend(read::resolve(root, source).ok()?);
    }
    for calendar in config.calendars.values() {
        let entries = calendar
            .holidays
            .as_ref()
            .map(|h| h.list())
            .unwrap_or_default();
        files.extend(
            (entries.iter())
                .map(|e| e.trim())
                .filter(|e| crate::config::kpi::is_holiday_file(e))
                .map(PathBuf::from),
        );
    }
    Some(files)
}

/// The hash of everything a load reads, or None when the program or a source cannot be named.
fn key(root: &Path, config: &KpiConfig) -> Option<[u8; 32]> {
    let program = crate::digest::program_identity();
    if program.is_empty() {
        return None;
    }
    let mut h = blake3::Hasher::new();
    let part = crate::digest::hash_part;
    part(&mut h, FILE.header);
    part(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
    part(&mut h, &program);
    // Loading names the lines of site.yaml in its warnings, and reads every KPI setting.
    let config_text = std::fs::read(root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    part(&mut h, &config_text);
    crate::digest::hash_debug(&mut h, config);
    for file in input_files(root, config)? {
        part(&mut h, file.to_string_lossy().as_bytes());
        part(&mut h, &contents_hash(&root.join(&file)));
    }
    Some(*h.finalize().as_bytes())
}

/// The blake3 of a file's bytes; a fixed mark for one that cannot be read or is no regular file
/// (loading says why). A named pipe is opened without waiting for a writer, and not read.
fn contents_hash(path: &Path) -> Vec<u8> {
    let Some(mut file) = (crate::walk::open_for_reading(path).ok())
        .filter(|f| f.metadata().is_ok_and(|m| m.is_file()))
    else {
        return b"unreadable".to_vec();
    };
    let mut h = blake3::Hasher::new();
    if h.update_reader(&mut file).is_err() {
        return b"unreadable".to_vec();
    }
    h.finalize().as_bytes().to_vec()
}

/// The kept load, if it was made from inputs with this key and its bytes are as written.
fn kept(root: &Path, key: &[u8; 32]) -> Option<Kept> {
    FILE.read(root, key)
}

/// The hash of the quarantine file of `source`, if it is a file of the site's own.
fn rejects_hash(root: &Path, source: &str) -> Option<[u8; 32]> {
    let dir = own_folder(root, REJECTS_DIR, false)?;
    let bytes = crate::walk::read_own_file(&dir.join(format!("{source}.csv")))?;
    Some(*blake3::hash(&bytes).as_bytes())
}

/// Whether the quarantine files of a kept load are as it wrote them.
fn rejects_as_written(root: &Path, kept: &Kept) -> bool {
    (kept.rejects.iter()).all(|(source, hash)| rejects_hash(root, source).as_ref() == Some(hash))
}

/// Keep `loaded` for the next run, in folders of the site's own (never through a link).
fn keep(root: &Path, key: &[u8; 32], loaded: &Loaded) {
    let mut rejects = Vec::new();
    for (source, _) in loaded.rejected.iter().filter(|(_, rows)| **rows > 0) {
        let Some(hash) = rejects_hash(root, source) else {
            return;
        };
        rejects.push((source.clone(), hash));
    }
    // Serialised from a borrow: the tables are not copied to be kept.
    #[derive(Serialize)]
    struct KeptRef<'a> {
        loaded: &'a Loaded,
        rejects: Vec<(String, [u8; 32])>,
    }
    FILE.write(root, key, &KeptRef { loaded, rejects });
}
