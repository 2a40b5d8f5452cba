//! Page bodies as the last builds rendered them, kept in `.opsite/cache/bodies.bin` under a key
//! of everything their rendering read: after one page of ten thousand is edited, a build renders
//! that page's Markdown, not every page's. The key holds the program, the site's whole
//! configuration, every page's and file's source and address (what links resolve against, page
//! ids included), and the page's own source, address, title and body. A body whose rendering
//! called a shortcode (which reads templates, front matter, figures) is never kept, nor is any
//! body of a site with includes, versions or languages, or of a customer edition (their links
//! read more than the key holds).
//!
//! The file is a list of records, each its key, its length, a hash of both and the body: a build
//! appends the bodies it rendered anew, and writes the file whole only when most of its records
//! are no longer used or one was found damaged. A damaged record is a body rendered again, never
//! a wrong page; the file is never read or written through a link.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use crate::config::SiteConfig;
use crate::content::page::Page;
use crate::content::Library;
use crate::markdown::Rendered;
use crate::write_whole::own_folder;

/// What a body was rendered from, hashed.
pub type BodyKey = [u8; 16];

/// Where the file lies, and its first bytes (its format); the program's key follows, then the
/// records (not one hashed body: a build appends to it).
const FILE: crate::kept_file::KeptFile = crate::kept_file::KeptFile {
    dir: ".opsite/cache",
    name: "bodies.bin",
    header: b"opsite bodies 2\n",
};
/// Before each body: its key, its length, and the hash of the two and the body.
const RECORD_HEAD: usize = 16 + 4 + 16;

/// The bodies the last builds kept, read from the site's cache the first time a build asks.
pub struct KeptBodies {
    root: Option<PathBuf>,
    file: OnceLock<KeptFile>,
}

/// The kept file as read: its bytes and where each key's latest record lies in them.
#[derive(Default)]
struct KeptFile {
    bytes: Vec<u8>,
    records: HashMap<BodyKey, Range<usize>>,
    /// Records in the file, those of keys written again included.
    count: usize,
    /// A record could not be read (a cut end, a changed byte): the next save writes the file
    /// whole.
    damaged: AtomicBool,
}

impl KeptBodies {
    /// The bodies kept in the site at `root`, read when first asked for.
    pub fn at(root: &Path) -> KeptBodies {
        KeptBodies {
            root: Some(root.to_path_buf()),
            file: OnceLock::new(),
        }
    }

    /// No kept bodies (`build --no-cache`, a site built in memory).
    pub fn none() -> KeptBodies {
        KeptBodies {
            root: None,
            file: OnceLock::new(),
        }
    }

    /// Read the kept file now, if not yet, before the bodies are asked for in parallel; a file
    /// longer than `cap` bytes is not read (and is written whole at the end).
    pub fn read(&self, cap: u64) -> &KeptBodies {
        self.file.get_or_init(|| match &self.root {
            Some(root) => read_file(root, cap),
            None => KeptFile::default(),
        });
        self
    }

    fn file(&self) -> &KeptFile {
        self.file.get_or_init(KeptFile::default)
    }

    /// The body kept for `key`, when its record is as written.
    pub fn get(&self, key: &BodyKey) -> Option<Rendered> {
        let file = self.file();
        let range = file.records.get(key)?.clone();
        let body = record_body(&file.bytes[range.start - RECORD_HEAD..range.end], key);
        let body = body.and_then(|b| rmp_serde::from_slice(b).ok());
        if body.is_none() {
            file.damaged.store(true, Ordering::Relaxed);
        }
        body
    }
}

/// The body of a record read from the file, when its key and hash are those written.
fn record_body<'a>(record: &'a [u8], key: &BodyKey) -> Option<&'a [u8]> {
    let (head, body) = record.split_at_checked(RECORD_HEAD)?;
    let hash = record_hash(&head[..20], body);
    (head[..16] == key[..] && head[20..] == hash[..]).then_some(body)
}

fn record_hash(key_and_len: &[u8], body: &[u8]) -> [u8; 16] {
    let mut h = blake3::Hasher::new();
    h.update(key_and_len);
    h.update(body);
    h.finalize().as_bytes()[..16].try_into().expect("16 bytes")
}

/// The file's key: the program (another build of opsite renders anew).
fn program_key() -> [u8; 32] {
    *blake3::hash(&crate::digest::program_identity()).as_bytes()
}

/// The most a kept file may hold for bodies of `text` bytes of Markdown: their HTML with
/// highlighted code is about twice as long.
pub fn cap_for(text: u64) -> u64 {
    text.saturating_mul(16).saturating_add(64 << 20)
}

/// The kept file, its records indexed (an unreadable file, or one over `cap` bytes: none).
fn read_file(root: &Path, cap: u64) -> KeptFile {
    let Some(bytes) = own_folder(root, FILE.dir, false)
        .and_then(|dir| crate::walk::read_own_file_within(&dir.join(FILE.name), cap))
    else {
        return KeptFile::default();
    };
    let mut start = FILE.header.len() + 32;
    let program = [FILE.header, &program_key()].concat();
    if !bytes.starts_with(&program) {
        return KeptFile::default();
    }
    let mut file = KeptFile::default();
    while start < bytes.len() {
        let Some(head) = bytes.get(start..start + RECORD_HEAD) else {
            *file.damaged.get_mut() = true;
            break;
        };
        let len = u32::from_le_bytes(head[16..20].try_into().expect("4 bytes")) as usize;
        let body = start + RECORD_HEAD..start + RECORD_HEAD + len;
        if body.end > bytes.len() {
            *file.damaged.get_mut() = true;
            break;
        }
        file.records
            .insert(head[..16].try_into().expect("16 bytes"), body.clone());
        file.count += 1;
        start = body.end;
    }
    file.bytes = bytes;
    file
}

/// Keep `bodies` (this build's, by key) for the next build: appended when the file holds
/// mostly bodies still used, else the file written whole, sorted by key.
pub fn save(root: &Path, kept: &KeptBodies, bodies: &[(BodyKey, Rendered)]) {
    let file = kept.file.get();
    let known = |key: &BodyKey| file.is_some_and(|f| f.records.contains_key(key));
    let used = bodies.iter().filter(|(k, _)| known(k)).count();
    let appendable = file.is_some_and(|f| {
        kept.root.is_some()
            && !f.bytes.is_empty()
            && !f.damaged.load(Ordering::Relaxed)
            && f.count <= 2 * used.max(1)
    });
    let Some(dir) = own_folder(root, FILE.dir, true) else {
        return;
    };
    let path = dir.join(FILE.name);
    if appendable {
        let new: Vec<&(BodyKey, Rendered)> = bodies.iter().filter(|(k, _)| !known(k)).collect();
        if !new.is_empty() {
            let mut out = Vec::new();
            new.iter()
                .for_each(|(key, body)| push_record(&mut out, key, body));
            if append(&path, &out).is_err() {
                let _ = std::fs::remove_file(&path);
            }
        }
        return;
    }
    let mut sorted: Vec<&(BodyKey, Rendered)> = bodies.iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted.dedup_by(|a, b| a.0 == b.0);
    let mut out = [FILE.header, &program_key()].concat();
    sorted
        .iter()
        .for_each(|(key, body)| push_record(&mut out, key, body));
    let _ = crate::write_whole::replace_kept(&path, &out);
}

fn push_record(out: &mut Vec<u8>, key: &BodyKey, body: &Rendered) {
    let Ok(bytes) = rmp_serde::to_vec(body) else {
        return;
    };
    let Ok(len) = u32::try_from(bytes.len()) else {
        return;
    };
    let mut head = key.to_vec();
    head.extend_from_slice(&len.to_le_bytes());
    let hash = record_hash(&head, &bytes);
    out.extend_from_slice(&head);
    out.extend_from_slice(&hash);
    out.extend_from_slice(&bytes);
}

/// Append to the kept file, never through a link.
fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let mut file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a file"));
    }
    file.write_all(bytes)
}

/// What every body of one build shares in its key; None when this site's bodies are not kept.
pub fn shared_key(config: &SiteConfig, lib: &Library) -> Option<blake3::Hasher> {
    let plain = lib.url_prefix.is_empty()
        && lib.other_languages.is_empty()
        && lib.language_files.is_empty()
        && !config.markdown.includes.any()
        && config.edition_of.is_none();
    if !plain {
        return None;
    }
    let mut h = blake3::Hasher::new();
    crate::digest::hash_part(&mut h, &crate::digest::program_identity());
    crate::digest::hash_debug(&mut h, config);
    for part in [&lib.source_dir, Path::new(&lib.content_root)] {
        crate::digest::hash_part(&mut h, part.as_os_str().as_encoded_bytes());
    }
    for page in &lib.pages {
        crate::digest::hash_part(&mut h, page.source.as_os_str().as_encoded_bytes());
        crate::digest::hash_part(&mut h, page.rel_path.as_os_str().as_encoded_bytes());
        crate::digest::hash_part(&mut h, page.url.as_bytes());
    }
    let mut assets: Vec<(&PathBuf, &str)> = (lib.asset_by_source.iter())
        .map(|(source, &i)| (source, lib.assets[i].path.as_str()))
        .collect();
    assets.sort_unstable();
    for (source, path) in assets {
        crate::digest::hash_part(&mut h, source.as_os_str().as_encoded_bytes());
        crate::digest::hash_part(&mut h, path.as_bytes());
    }
    Some(h)
}

/// The key of one page's body: the build's shared part and what the page's rendering reads of
/// the page itself.
pub fn key_of(shared: &blake3::Hasher, page: &Page) -> BodyKey {
    let mut h = shared.clone();
    for part in [
        page.source.as_os_str().as_encoded_bytes(),
        page.rel_path.as_os_str().as_encoded_bytes(),
        page.url.as_bytes(),
        page.title.as_bytes(),
        page.body.as_bytes(),
    ] {
        crate::digest::hash_part(&mut h, part);
    }
    crate::digest::hash_debug(
        &mut h,
        &(page.kind, page.title_from_heading, page.body_line),
    );
    h.finalize().as_bytes()[..16].try_into().expect("16 bytes")
}
