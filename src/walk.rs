//! Walking the site's folders (`content/`, `static/`, themes, templates) without leaving the
//! site. Everything found is published, so a symbolic link that points outside the site folder
//! (a merge request adding `content/key -> ~/.ssh/id_rsa`) is an error naming the link, and is
//! neither read nor copied; links that stay inside the site are followed, except links into the
//! site's private places (`.git/`, `.opsite/`, `data/`, `mail/`, `pdf/`, output folders, `site.yaml`), which would
//! publish exports, credentials or the previous output.
//!
//! Reading is guarded as well as walking: a file can be swapped for a link, a named pipe or a
//! device between the walk and the read (or a folder above it for a link), so `SiteReader::read`
//! opens the file once, checks what it opened (a regular file, really inside the site, under the
//! size cap) from the handle, and reads from that same handle.

use crate::layout::SiteFolder;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::error::{Code, Diagnostic, Location};

/// A file or folder below the walked folder.
#[derive(Debug, Clone)]
pub struct Walked {
    /// Relative to the walked folder.
    pub rel: PathBuf,
    /// The path to read (through links that stay inside the site).
    pub path: PathBuf,
    pub is_dir: bool,
}

/// Walk `dir` (sorted by name), skipping entries whose name `skip` says to. Links leading out of
/// the site, broken links, unreadable folders, files that are not regular files and files over
/// the size cap are diagnostics naming the path as seen from the site root, of kind `code` (what
/// the caller walks: content, templates …).
pub fn walk(
    dir: &Path,
    reader: &SiteReader,
    skip: impl Fn(&str) -> bool,
    code: Code,
) -> (Vec<Walked>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return (found, diags);
    }
    let site_root = reader.root.as_path();
    let shown = |p: &Path| p.strip_prefix(site_root).unwrap_or(p).to_path_buf();
    if let Some(problem) = reader.leaves(dir) {
        diags.push(Diagnostic::error(code, Location::file(shown(dir)), problem));
        return (found, diags);
    }
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if skip(&e.file_name().to_string_lossy()) {
                return false;
            }
            if e.path_is_symlink() {
                if let Some(problem) = reader.leaves(e.path()) {
                    outside.borrow_mut().push((e.path().to_path_buf(), problem));
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(e) if e.depth() == 0 => {}
            Ok(e) if !e.file_type().is_dir() && unreadable(&e, reader).is_some() => {
                let problem = unreadable(&e, reader).unwrap_or_default();
                diags.push(Diagnostic::error(
                    code,
                    Location::file(shown(e.path())),
                    problem,
                ));
            }
            Ok(e) => found.push(Walked {
                rel: e.path().strip_prefix(dir).expect("below dir").to_path_buf(),
                path: e.path().to_path_buf(),
                is_dir: e.file_type().is_dir(),
            }),
            Err(e) => {
                let at = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop: the link leads back to a folder above it".to_string()
                } else if e.io_error().and_then(|io| io.raw_os_error()) == Some(40) {
                    "symbolic link loop: the links lead back to each other".to_string()
                } else if let Some(target) = link_target(&at) {
                    broken_link(&target)
                } else {
                    match e.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => "cannot read".to_string(),
                    }
                };
                diags.push(Diagnostic::error(code, Location::file(shown(&at)), message));
            }
        }
    }
    for (path, problem) in outside.into_inner() {
        diags.push(Diagnostic::error(
            code,
            Location::file(shown(&path)),
            problem,
        ));
    }
    (found, diags)
}

/// Why a file the walk found is not read: not a regular file, or over the size cap.
fn unreadable(entry: &walkdir::DirEntry, reader: &SiteReader) -> Option<String> {
    let meta = entry.metadata().ok()?;
    if !meta.is_file() {
        return Some(not_regular(&meta));
    }
    (meta.len() > reader.cap).then(|| reader.over_cap(meta.len()))
}

/// The default of `limits.file_mb`: the most a content, template or static file may hold.
pub const DEFAULT_FILE_CAP_MB: u64 = 100;

/// Reads the files of one site: only regular files, only inside the site (links that stay
/// inside are followed), only up to the size cap. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SiteReader {
    /// The site folder as given (paths in messages are shown relative to it).
    root: Arc<PathBuf>,
    /// The same, with every link resolved.
    real_root: Arc<PathBuf>,
    cap: u64,
    /// Files and folders of one audience's own (commentary, a customer's home text), relative to
    /// the root and with links resolved: read where they are, never through a link elsewhere.
    own_places: Arc<Vec<(PathBuf, PathBuf)>>,
}

/// A file of the site to be read when its bytes are wanted (a static file, copied at the end of
/// the build or served by the preview), with the rules of the site it belongs to.
#[derive(Debug, Clone)]
pub struct SiteFile {
    pub path: PathBuf,
    reader: SiteReader,
}

impl SiteFile {
    pub fn read(&self) -> Result<Vec<u8>, String> {
        self.reader.read(&self.path)
    }
}

impl SiteReader {
    /// A reader for the site at `root`, reading files of at most `cap_mb` MB (1 MB = 1,000,000 bytes).
    pub fn new(root: &Path, cap_mb: u64) -> SiteReader {
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        SiteReader {
            root: Arc::new(root.to_path_buf()),
            real_root: Arc::new(real_root),
            cap: cap_mb.saturating_mul(1_000_000),
            own_places: Arc::new(Vec::new()),
        }
    }

    /// The same reader, refusing to read `places` (relative to the root: one customer's
    /// commentary, its home text) through a symbolic link from anywhere else: a link would
    /// publish them to another audience.
    pub fn with_own_places(mut self, places: Vec<PathBuf>) -> SiteReader {
        let own = (places.into_iter())
            .filter_map(|rel| {
                let real = self.root.join(&rel).canonicalize().ok()?;
                Some((rel, real))
            })
            .collect();
        self.own_places = Arc::new(own);
        self
    }

    /// The own place (one report's or customer's text) `path` is in or leads into, by its name
    /// or through a link: text that may be published only where it is, never written into
    /// another page (an include).
    pub fn own_place_of(&self, path: &Path) -> Option<&Path> {
        let rel = path.strip_prefix(self.root.as_path()).unwrap_or(path);
        let real = path.canonicalize().ok();
        (self.own_places.iter())
            .find(|(own_rel, own_real)| {
                rel.starts_with(own_rel) || real.as_ref().is_some_and(|r| r.starts_with(own_real))
            })
            .map(|(own_rel, _)| own_rel.as_path())
    }

    /// The own place `real` lies in, when `path` reaches it from elsewhere (through a link).
    fn own_place_through_link(&self, path: &Path, real: &Path) -> Option<&Path> {
        let rel = path.strip_prefix(self.root.as_path()).ok()?;
        (self.own_places.iter())
            .find(|(own_rel, own_real)| real.starts_with(own_real) && !rel.starts_with(own_rel))
            .map(|(own_rel, _)| own_rel.as_path())
    }

    /// The site folder as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn file(&self, path: PathBuf) -> SiteFile {
        SiteFile {
            path,
            reader: self.clone(),
        }
    }

    /// Read the whole file at `path`. The file is opened once; what was opened is checked from
    /// its handle (a regular file; its real path inside the site and not in a private place;
    /// its size under the cap) and read from the same handle, so swapping the file or a folder
    /// above it for a link between the walk and this read cannot publish anything else.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        self.read_with(path, None)
    }

    /// `read`, the marks of the file's folders looked up in `marks` (one read of many files).
    pub fn read_with(&self, path: &Path, marks: Option<&FolderMarks>) -> Result<Vec<u8>, String> {
        let file = open_for_reading(path).map_err(|e| format!("cannot read: {e}"))?;
        let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
        if !meta.is_file() {
            return Err(not_regular(&meta));
        }
        let real = opened_path(&file, path, &meta)?;
        let root = self.real_root.as_path();
        if !real.starts_with(root) {
            return Err(format!(
                "leads outside the site folder (to {}); only files inside the site are read",
                real.display()
            ));
        }
        if let Some(place) = private_place_with(root, &real, marks) {
            return Err(format!("leads to {place}, {NEVER_PUBLISHED}"));
        }
        if let Some(own) = self.own_place_through_link(path, &real) {
            return Err(format!(
                "reaches {} through a symbolic link: that is one report's or one customer's own (commentary, home text), published only where it is",
                own.display()
            ));
        }
        if meta.len() > self.cap {
            return Err(self.over_cap(meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(self.cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read: {e}"))?;
        if bytes.len() as u64 > self.cap {
            return Err(self.over_cap(bytes.len() as u64));
        }
        Ok(bytes)
    }

    /// Read a text file: as `read`, then UTF-8 with a located line on failure.
    pub fn read_text(&self, path: &Path) -> Result<String, (Option<usize>, String)> {
        self.read_text_with(path, None)
    }

    /// `read_text`, the marks of the file's folders looked up in `marks` (one read of many
    /// files).
    pub fn read_text_with(
        &self,
        path: &Path,
        marks: Option<&FolderMarks>,
    ) -> Result<String, (Option<usize>, String)> {
        let bytes = self.read_with(path, marks).map_err(|e| (None, e))?;
        String::from_utf8(bytes).map_err(|e| {
            let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            (
                Some(line),
                "not valid UTF-8 (save the file as UTF-8)".to_string(),
            )
        })
    }

    fn over_cap(&self, len: u64) -> String {
        format!(
            "the file is {} bytes, over the limit of {} bytes ({} MB) for content, template and static files (raise it in site.yaml: `limits: {{file_mb: N}}`)",
            grouped(len),
            grouped(self.cap),
            self.cap / 1_000_000
        )
    }
}

/// `1200000` → `1,200,000`: exact, so a file a few bytes over the cap is not shown as a round MB.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file opsite keeps for itself (a cache, the last build's record): read only when it is a
/// regular file, neither a link (not followed) nor a named pipe or device (never waited on).
/// None otherwise, or when it cannot be read: a cache that cannot be read is a cold start.
pub fn read_own_file(path: &Path) -> Option<Vec<u8>> {
    read_own_file_within(path, u64::MAX)
}

/// `read_own_file`, None too when the file is longer than `cap` bytes (a damaged cache the
/// size of a disk is not read into memory).
pub fn read_own_file_within(path: &Path, cap: u64) -> Option<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC | libc::O_NOFOLLOW);
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > cap {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() as u64 <= cap).then_some(bytes)
}

/// Open for reading without blocking on a named pipe and without taking a terminal.
pub fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC);
    }
    options.open(path)
}

/// The real path of the opened file: from the handle where the system tells it (Linux's
/// `/proc/self/fd`), else the path resolved now and checked to be the same file as the handle.
fn opened_path(
    file: &std::fs::File,
    path: &Path,
    meta: &std::fs::Metadata,
) -> Result<PathBuf, String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(real) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return Ok(real);
        }
    }
    let _ = file;
    let real = path
        .canonicalize()
        .map_err(|e| format!("cannot read: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = std::fs::metadata(&real).map_err(|e| format!("cannot read: {e}"))?;
        if (now.dev(), now.ino()) != (meta.dev(), meta.ino()) {
            return Err("the file changed while it was being read; build again".to_string());
        }
    }
    let _ = meta;
    Ok(real)
}

/// What a file that is not a regular file is, as a reason not to read it.
fn not_regular(meta: &std::fs::Metadata) -> String {
    let kind = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = meta.file_type();
            if t.is_fifo() {
                "a named pipe (FIFO)"
            } else if t.is_char_device() || t.is_block_device() {
                "a device"
            } else if t.is_socket() {
                "a socket"
            } else if t.is_dir() {
                "a folder"
            } else {
                "not a regular file"
            }
        }
        #[cfg(not(unix))]
        {
            if meta.is_dir() {
                "a folder"
            } else {
                "not a regular file"
            }
        }
    };
    format!("{kind}: only regular files are read")
}

/// What every refusal of a private place adds: what stays private.
const NEVER_PUBLISHED: &str = "which is never published (.git/, .opsite/, data/, mail/, pdf/, output folders, documents opsite wrote for people, and the site's configuration stay private)";

impl SiteReader {
    /// Why reading `path` would leave the site or publish one of its private places, if it
    /// would.
    fn leaves(&self, path: &Path) -> Option<String> {
        let root = self.real_root.as_path();
        match path.canonicalize() {
            Ok(target) if target.starts_with(root) => self
                .private_place(&target)
                .map(|place| format!("symbolic link leads to {place}, {NEVER_PUBLISHED}")),
            Ok(target) => Some(format!(
                "symbolic link leads outside the site folder (to {}); only links that stay inside the site are followed",
                target.display()
            )),
            // ELOOP: links that lead to each other in a circle.
            Err(e) if e.raw_os_error() == Some(40) => {
                Some("symbolic link loop: the links lead back to each other".to_string())
            }
            Err(e) => Some(match link_target(path) {
                Some(target) => broken_link(&target),
                None => format!("cannot follow the symbolic link: {e}"),
            }),
        }
    }

    /// The private place of the site that `target` (canonical, inside the site) is in, as
    /// shown to the user.
    fn private_place(&self, target: &Path) -> Option<String> {
        private_place(&self.real_root, target)
    }
}

/// Whether `rel` (relative to the site's root) is one of the files a site's configuration may
/// be read from: `site.yaml`, a Hugo tree's `hugo.*`, `config.*` or anything under `config/`,
/// a MkDocs tree's `mkdocs.yml`. They are private (their params may hold tokens).
pub fn is_configuration(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let alone = parts.next().is_none();
    let config_file = matches!(
        first.rsplit_once('.'),
        Some(("hugo" | "config", "toml" | "yaml" | "yml" | "json"))
            | Some(("mkdocs", "yml" | "yaml"))
    );
    (alone && (config_file || first == "site.yaml")) || first == "config"
}

/// The private place of the site at `root` (canonical) that `target` (canonical, inside it) is
/// in, as shown to the user: site.yaml and the other configuration files a site may be read
/// from, hidden top-level folders, the private ones (`data/`, `output/`, `editions/`, `mail/`, `pdf/`), an output folder
/// carrying opsite's mark, and documents opsite wrote for people (`private_outputs`).
pub fn private_place(root: &Path, target: &Path) -> Option<String> {
    private_place_with(root, target, None)
}

/// `private_place`, the marks of the file's folders looked up in `marks` (the target a file).
fn private_place_with(root: &Path, target: &Path, marks: Option<&FolderMarks>) -> Option<String> {
    let rel = target.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let shown = rel.display().to_string();
    if is_configuration(rel)
        || first.starts_with('.')
        || SiteFolder::named(&first).is_some_and(SiteFolder::is_private)
    {
        return Some(shown);
    }
    if let Some(what) = crate::private_outputs::file_marked(target) {
        return Some(format!("{shown} ({what})"));
    }
    let what = match marks {
        // A file's folders: the file itself is not a folder holding marks.
        Some(marks) => marks.of(root, target.parent()?),
        None => folder_mark(root, target),
    };
    what.map(|what| format!("{shown} ({what})"))
}

/// Why files in `dir` are private by a mark in it or a folder above it (below `root`): a folder
/// of documents for people, or an output folder (`--output` inside the site carries opsite's
/// mark).
fn folder_mark(root: &Path, dir: &Path) -> Option<&'static str> {
    if let Some(what) = crate::private_outputs::folder_marked(dir, root) {
        return Some(what);
    }
    let mut at = Some(dir);
    while let Some(dir) = at.filter(|d| d.starts_with(root) && *d != root) {
        if dir.join(crate::layout::MARK_FILE).is_file() {
            return Some("an opsite output folder");
        }
        at = dir.parent();
    }
    None
}

/// The marks of folders (`folder_mark`), looked up once for all the files of one read of the
/// content: made for that read and dropped after it, never kept from one build to the next (the
/// preview would not see a mark written between two of its builds).
#[derive(Default)]
pub struct FolderMarks(std::sync::Mutex<std::collections::HashMap<PathBuf, Option<&'static str>>>);

impl FolderMarks {
    fn of(&self, root: &Path, dir: &Path) -> Option<&'static str> {
        let known = self.lock().get(dir).copied();
        if let Some(what) = known {
            return what;
        }
        let what = folder_mark(root, dir);
        self.lock().insert(dir.to_path_buf(), what);
        what
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<PathBuf, Option<&'static str>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where a symbolic link points, if `path` is one.
fn link_target(path: &Path) -> Option<PathBuf> {
    path.symlink_metadata()
        .ok()
        .filter(|m| m.file_type().is_symlink())
        .and_then(|_| std::fs::read_link(path).ok())
}

fn broken_link(target: &Path) -> String {
    format!(
        "broken symbolic link: it points to {}, which does not exist",
        target.display()
    )
}

#[cfg(all(test, unix))]
mod tests;
