//! Watching the site's folders while the preview runs: notify's events, collected until the
//! editor has finished saving (editors write in bursts, through temporary files), then sorted
//! into what a rebuild needs to know. The sorting is pure (`classify`), so it is tested with paths.

use crate::layout::SiteFolder;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

/// Quiet time after the last event before a rebuild starts.
pub const QUIET: Duration = Duration::from_millis(15);
/// A rebuild starts at the latest this long after the first event, even if events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// What changed since the last rebuild, by kind of source.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files under `content/`, relative to it.
    pub content: BTreeSet<PathBuf>,
    /// Something under `data/` (exports or snapshots).
    pub data: bool,
    /// Templates or shortcodes (the site's `templates/` or the theme's).
    pub templates: bool,
    /// `site.yaml`.
    pub config: bool,
    /// Files of `static/` or the theme's `static/`, as output paths (`css/site.css`).
    pub assets: BTreeSet<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// Editor droppings: backups, lock files, swap files and Vim's write test.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == ".DS_Store"
        || name.starts_with(".goutputstream-")
}

/// Sort changed paths (absolute or relative to `root`) by what they feed.
pub fn classify(
    root: &Path,
    theme: &str,
    content_dir: &Path,
    paths: impl IntoIterator<Item = PathBuf>,
) -> Changes {
    let mut c = Changes::default();
    let theme_dir = Path::new(SiteFolder::Themes.name()).join(theme);
    for path in paths {
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.is_empty() || is_editor_temp(name) {
            continue;
        }
        let under = |dir: &Path| rel.strip_prefix(dir).ok().map(Path::to_path_buf);
        if is_configuration(rel) {
            c.config = true;
        } else if let Some(r) = under(content_dir) {
            if !r.as_os_str().is_empty() {
                c.content.insert(r);
            }
        } else if under(Path::new("versions")).is_some() {
            // Older versions' content (`versions/<name>/content`, the usual place): read again
            // with everything else.
            c.config = true;
        } else if under(Path::new(SiteFolder::Data.name())).is_some() {
            c.data = true;
        } else if let Some(r) = under(Path::new(SiteFolder::Static.name()))
            .or_else(|| under(&theme_dir.join(SiteFolder::Static.name())))
        {
            c.assets.insert(r.to_string_lossy().replace('\\', "/"));
        } else if under(Path::new(SiteFolder::Templates.name())).is_some()
            || under(&theme_dir).is_some()
        {
            c.templates = true;
        }
    }
    c
}

/// `site.yaml`, or a Hugo or MkDocs tree's own configuration (`hugo.toml`, `config/…`,
/// `mkdocs.yml`), relative to the root.
fn is_configuration(rel: &Path) -> bool {
    let top = rel.parent().is_some_and(|p| p.as_os_str().is_empty());
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    rel == Path::new(crate::config::CONFIG_FILE)
        || rel.starts_with("config")
        || top
            && matches!(stem, "hugo" | "config" | "mkdocs")
            && matches!(ext, "toml" | "yaml" | "yml" | "json")
}

/// The folders watched (recursively) when they exist, besides the content folder: every folder
/// a build reads.
fn watched() -> impl Iterator<Item = &'static str> {
    (SiteFolder::ALL.into_iter())
        .filter(|f| f.is_read_by_builds())
        .map(SiteFolder::name)
}

/// A running watch of a site's folders; `next_burst` waits for the next burst of changes.
pub struct SiteWatch {
    watcher: notify::RecommendedWatcher,
    events: Receiver<PathBuf>,
    root: PathBuf,
    /// The content folder, which may be other than `content/` and deeper than the root.
    content_dir: PathBuf,
}

impl SiteWatch {
    /// Watch the content folder, `config/`, `data/`, `themes/`, `templates/`, `static/`,
    /// `versions/` (those that exist) and the root itself (for `site.yaml`, and those folders
    /// when they are created).
    pub fn start(root: &Path, content_dir: &Path) -> notify::Result<SiteWatch> {
        let (tx, rx) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                let Ok(event) = res else { return };
                let relevant = match event.kind {
                    EventKind::Create(_) | EventKind::Remove(_) => true,
                    EventKind::Modify(notify::event::ModifyKind::Metadata(_)) => false,
                    EventKind::Modify(_) => true,
                    EventKind::Access(notify::event::AccessKind::Close(
                        notify::event::AccessMode::Write,
                    )) => true,
                    _ => false,
                };
                if relevant {
                    for p in event.paths {
                        let _ = tx.send(p);
                    }
                }
            })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        // The content folder once: not again when a watched folder holds it (`content/ja`).
        let content_apart = !watched().any(|w| content_dir.starts_with(w));
        let content = content_apart.then(|| root.join(content_dir));
        for d in watched().map(|dir| root.join(dir)).chain(content) {
            if d.is_dir() {
                watcher.watch(&d, RecursiveMode::Recursive)?;
            }
        }
        Ok(SiteWatch {
            watcher,
            events: rx,
            root: root.to_path_buf(),
            content_dir: root.join(content_dir),
        })
    }

    /// A watched folder created while the preview runs (`mkdir static`) is watched from now on.
    fn watch_new_folders(&mut self, paths: &[PathBuf]) {
        for p in paths {
            let top = p.parent() == Some(self.root.as_path())
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| watched().any(|w| w == n));
            if (top || *p == self.content_dir) && p.is_dir() {
                let _ = self.watcher.watch(p, RecursiveMode::Recursive);
            }
        }
    }

    /// The paths of the next burst: blocks for the first event, then collects until `QUIET`
    /// passes without one (or `MAX_WAIT` after the first). None when the watch has ended.
    pub fn next_burst(&mut self) -> Option<(Vec<PathBuf>, Instant)> {
        match self.next_burst_within(None) {
            Burst::Paths(paths, started) => Some((paths, started)),
            Burst::Idle | Burst::Ended => None,
        }
    }

    /// Like `next_burst`, but gives up with `Idle` when nothing comes within `idle` (the
    /// preview does its slow work, the search index, once saves pause).
    pub fn next_burst_within(&mut self, idle: Option<Duration>) -> Burst {
        let first = match idle {
            None => match self.events.recv() {
                Ok(p) => p,
                Err(_) => return Burst::Ended,
            },
            Some(wait) => match self.events.recv_timeout(wait) {
                Ok(p) => p,
                Err(RecvTimeoutError::Timeout) => return Burst::Idle,
                Err(RecvTimeoutError::Disconnected) => return Burst::Ended,
            },
        };
        let started = Instant::now();
        let mut paths = vec![first];
        while started.elapsed() < MAX_WAIT {
            match self.events.recv_timeout(QUIET) {
                Ok(p) => paths.push(p),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        paths.sort();
        paths.dedup();
        self.watch_new_folders(&paths);
        Burst::Paths(paths, started)
    }
}

/// What the watch saw.
pub enum Burst {
    /// Changed paths, and when the first change came.
    Paths(Vec<PathBuf>, Instant),
    /// Nothing within the time asked for.
    Idle,
    /// The watch has ended.
    Ended,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_paths_by_what_they_feed() {
        let root = Path::new("/site");
        let c = classify(
            root,
            "default",
            Path::new("content"),
            [
                "/site/content/sop/daily.md",
                "/site/content/sop/.daily.md.swp",
                "/site/content/sop/daily.md~",
                "/site/content/sop/4913",
                "/site/content/.#daily.md",
                "/site/data/tickets.csv",
                "/site/static/css/site.css",
                "/site/themes/default/static/js/x.js",
                "/site/themes/default/templates/page.html",
                "/site/templates/shortcodes/note.html",
                "/site/site.yaml",
                "/site/README.md",
            ]
            .map(PathBuf::from),
        );
        assert_eq!(
            c.content.iter().collect::<Vec<_>>(),
            [Path::new("sop/daily.md")]
        );
        assert!(c.data && c.templates && c.config);
        assert_eq!(
            c.assets.iter().map(String::as_str).collect::<Vec<_>>(),
            ["css/site.css", "js/x.js"]
        );
        let only_temp = classify(
            root,
            "default",
            Path::new("content"),
            [PathBuf::from("/site/content/x.md.swp")],
        );
        assert!(only_temp.is_empty());
        // A MkDocs tree: pages under docs/, its configuration in mkdocs.yml.
        let mkdocs = classify(
            root,
            "default",
            Path::new("docs"),
            [
                "/site/docs/index.md",
                "/site/mkdocs.yml",
                "/site/content/old.md",
            ]
            .map(PathBuf::from),
        );
        assert_eq!(
            mkdocs.content.iter().collect::<Vec<_>>(),
            [Path::new("index.md")]
        );
        assert!(mkdocs.config);
        let hugo = classify(
            root,
            "default",
            Path::new("content/en"),
            ["/site/config/_default/params.toml", "/site/content/en/a.md"].map(PathBuf::from),
        );
        assert!(hugo.config);
        assert_eq!(hugo.content.iter().collect::<Vec<_>>(), [Path::new("a.md")]);
    }
}
