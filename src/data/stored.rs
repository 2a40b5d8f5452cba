//! The exports as last loaded, kept between runs in `.opsite/cache/exports.msgpack`: reading a
//! large export is most of a short run (`opsite kpi` on a million tickets: 0.46 s of 0.68 s),
//! and its tables read back from the kept file in a fraction of that. The file is keyed on all
//! that loading reads: the program, site.yaml, the KPI settings, and the bytes of every export
//! and holiday file (not their times, so a fresh checkout of the same files still hits).
//! Anything else and the exports are read from their files; a load without errors replaces the
//! kept one. The kept bytes are checked against their hash, and nothing is read, written or
//! removed through a link: a damaged file costs time, never figures, and never an error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde::{Deserialize, Serialize};

use super::{load as load_files, read, Loaded, REJECTS_DIR};
use crate::config::kpi::KpiConfig;
use crate::error::Diagnostic;
use crate::write_whole::own_folder;

/// The folder the kept load is in, and its name there.
const DIR: &str = ".opsite/cache";
const NAME: &str = "exports.msgpack";
/// The kept file's first bytes: its format. The key follows, then the body, then its hash.
const HEADER: &[u8] = b"opsite exports 3\n";

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
    if let Some(dir) = own_folder(root, DIR, false) {
        let _ = std::fs::remove_file(dir.join(NAME));
        remove_unfinished(&dir);
    }
}

/// Kept files a killed run left half-written (`.exports.msgpack.opsite-new-<pid>`, never read):
/// each the size of a kept load, they would pile up.
fn remove_unfinished(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let unfinished = format!(".{NAME}{}", crate::write_whole::NEW_FILE_INFIX);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&unfinished) && crate::write_whole::is_temp_name(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
    part(&mut h, HEADER);
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
    let bytes = crate::walk::read_own_file(&own_folder(root, DIR, false)?.join(NAME))?;
    let rest = bytes.strip_prefix(HEADER)?.strip_prefix(key.as_slice())?;
    let (body, hash) = rest.split_at_checked(rest.len().checked_sub(32)?)?;
    if blake3::hash(body).as_bytes() != hash {
        return None;
    }
    rmp_serde::from_slice(body).ok()
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
    let Some(dir) = own_folder(root, DIR, true) else {
        return;
    };
    // Serialised from a borrow: the tables are not copied to be kept.
    #[derive(Serialize)]
    struct KeptRef<'a> {
        loaded: &'a Loaded,
        rejects: Vec<(String, [u8; 32])>,
    }
    let path = dir.join(NAME);
    let temp = crate::write_whole::temp_beside(&path);
    let kept = KeptRef { loaded, rejects };
    if write_kept(&temp, key, &kept)
        .and_then(|()| std::fs::rename(&temp, &path))
        .is_err()
    {
        let _ = std::fs::remove_file(&temp);
    }
}

/// The header, the key, the body as it is serialised, then the body's hash: written as it is
/// made, so ten million tickets' tables are not held a second time as bytes.
fn write_kept(temp: &Path, key: &[u8; 32], kept: &impl Serialize) -> std::io::Result<()> {
    struct Hashing<W> {
        out: W,
        hasher: blake3::Hasher,
    }
    impl<W: Write> Write for Hashing<W> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let n = self.out.write(bytes)?;
            self.hasher.update(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush()
        }
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 20, crate::write_whole::create_new(temp)?);
    out.write_all(HEADER)?;
    out.write_all(key)?;
    let mut body = Hashing {
        out,
        hasher: blake3::Hasher::new(),
    };
    rmp_serde::encode::write_named(&mut body, kept).map_err(std::io::Error::other)?;
    let Hashing { mut out, hasher } = body;
    out.write_all(hasher.finalize().as_bytes())?;
    out.flush()
}
