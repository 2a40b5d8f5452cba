//! What a build produces, file by file: a path inside the output folder and its bytes (rendered,
//! or a static file read when written or served). Below the stages that make files (render,
//! search, site) and those that use them (the writer, the preview), so none imports another for
//! them.

use std::path::PathBuf;
use std::sync::Arc;

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum AssetSource {
    Embedded(&'static [u8]),
    /// A file of the site, read (by the site's rules) when written or served.
    Disk(crate::walk::SiteFile),
    /// Read already (a file of a version taken from git).
    Shared(std::sync::Arc<Vec<u8>>),
}

impl AssetSource {
    /// The file's bytes (a site file is read now, by the site's rules).
    pub fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, String> {
        Ok(match self {
            AssetSource::Embedded(b) => std::borrow::Cow::Borrowed(*b),
            AssetSource::Disk(f) => std::borrow::Cow::Owned(f.read()?),
            AssetSource::Shared(b) => std::borrow::Cow::Owned(b.to_vec()),
        })
    }
}

#[derive(Debug, Clone)]
pub enum OutputContent {
    /// Shared, so the preview server can keep serving a build while the next one is made.
    Bytes(Arc<Vec<u8>>),
    Asset(AssetSource),
    /// The file the last build wrote at this path, which this build would render again byte
    /// for byte (its inputs hash to the same `RenderKey`): not rendered, kept by the writer.
    /// Only `opsite build` offers earlier renders (`PreviousRenders`); the preview never has one.
    Kept(KeptFile),
}

/// A hash of everything a page's HTML is made from (the templates, the site's view, the page's
/// own view and navigation): equal keys, equal bytes.
pub type RenderKey = [u8; 16];

/// A file's bytes hashed, as the output's manifest records them.
pub type ContentHash = [u8; 16];

/// The hash of a file's bytes (`ContentHash`).
pub fn content_hash(bytes: &[u8]) -> ContentHash {
    blake3::hash(bytes).as_bytes()[..16]
        .try_into()
        .expect("16 bytes")
}

/// What the last build wrote at a path: its content hash and length, and (a report page) what
/// the search index read of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptFile {
    pub hash: ContentHash,
    pub len: u64,
    pub indexed: Option<IndexedText>,
}

/// What the search index read of a report page: a hash of the document Pagefind was given, and
/// its length (what indexing it costs, which sizes the index's shards). A report page made again
/// with the same text (only its list of source files changed) keeps its shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedText {
    pub hash: ContentHash,
    pub len: u64,
}

/// What a build records of a page it rendered, for the next one: the key it was rendered from
/// and, for a report page the search index read, what it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRecord {
    pub key: RenderKey,
    pub indexed: Option<IndexedText>,
}

/// The last build's pages that are still in its output as it wrote them (checked when the build
/// starts), by output path, with the key they were rendered from.
#[derive(Debug, Default)]
pub struct PreviousRenders {
    pub by_path: std::collections::HashMap<String, (RenderKey, KeptFile)>,
    /// Every path the last build recorded under each key, whether still intact or not: a
    /// report page and its downloads share one key, and are kept only all together.
    pub by_key: std::collections::HashMap<RenderKey, Vec<String>>,
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
    pub fn bytes(path: String, mut bytes: Vec<u8>, origin: PathBuf) -> Self {
        bytes.shrink_to_fit();
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

/// The longest file or folder name (in bytes) file systems take (ext4, APFS, NTFS in UTF-16).
pub const MAX_SEGMENT: usize = 255;

/// Why `path` (relative to the output folder, `/`-separated) is not a plain path inside it.
pub fn check_output_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty output path".into());
    }
    if path.starts_with('/') {
        return Err(format!("output path `{path}` is absolute"));
    }
    if path.contains('\\') {
        return Err(format!("output path `{path}` contains a backslash"));
    }
    if path.chars().any(|c| c.is_control()) {
        return Err(format!("output path `{path}` contains control characters"));
    }
    for (i, seg) in path.split('/').enumerate() {
        // Case-insensitive file systems (macOS, Windows shares) treat `.GIT` as `.git`.
        let folded = seg.to_ascii_lowercase();
        match folded.as_str() {
            "" | "." | ".." => {
                return Err(format!(
                    "output path `{path}` has an empty, `.` or `..` segment"
                ))
            }
            s if i == 0 && s.len() == 2 && s.ends_with(':') => {
                return Err(format!("output path `{path}` starts with a drive"))
            }
            // The output mark is opsite's, and web servers refuse `.git` paths.
            // At any depth: a marked subfolder could later be taken for an output folder.
            ".opsite-output" => {
                return Err(format!(
                    "output path `{path}` has opsite's output mark as a name"
                ))
            }
            ".git" => return Err(format!("output path `{path}` has a .git segment")),
            // Longer names are refused by the file systems (ENAMETOOLONG) when written.
            _ if seg.len() > MAX_SEGMENT => {
                let start: String = seg.chars().take(40).collect();
                return Err(format!(
                    "output path segment `{start}…` is {} bytes, longer than the {MAX_SEGMENT} a file or folder name may have",
                    seg.len()
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
