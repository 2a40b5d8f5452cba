//! The site kept in memory while the preview runs: its sources, every stage of the last build
//! (`Built`), and which route a change takes. A change is applied by the cheapest route that
//! gives the bytes a full build would: only bodies edited → the fast path (`rebody`); content,
//! data or static files → the pipeline again over the sources, with only the changed files read
//! again and unchanged exports kept; templates or `site.yaml` → everything read again.

use crate::layout::SiteFolder;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::live::Change;
use super::watch::Changes;
use crate::content::page::RawPage;
use crate::content::urls;
use crate::data::cache::DataCache;
use crate::error::{Code, Diagnostic, Diagnostics, Location};
use crate::site::output::{OutputContent, OutputFile};
use crate::site::progress::Progress;
use crate::site::{self, incremental, sources, BuildOptions, Built, SiteSources};

/// Above this many changed pages, open pages are told that everything changed.
const MAX_LISTED: usize = 200;

/// Past this many files changed by fast rebuilds, the overlay is folded into a new base.
const MAX_OVERLAY: usize = 500;

/// The files the server answers from, by output path: those of the last full build, and
/// over them the files fast rebuilds changed since (so a one-page edit swaps in one file,
/// not a copy of a 10,000-file map).
pub struct SiteFiles {
    base: Arc<HashMap<String, OutputFile>>,
    overlay: HashMap<String, OutputFile>,
}

impl SiteFiles {
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.overlay.get(path).or_else(|| self.base.get(path))
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    pub fn len(&self) -> usize {
        self.base.len()
            + self
                .overlay
                .keys()
                .filter(|k| !self.base.contains_key(*k))
                .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn paths(&self) -> impl Iterator<Item = &String> {
        self.base
            .keys()
            .chain(self.overlay.keys().filter(|k| !self.base.contains_key(*k)))
    }
}

pub struct Session {
    root: PathBuf,
    opts: BuildOptions,
    data_cache: DataCache,
    sources: SiteSources,
    load_diags: Vec<Diagnostic>,
    built: Built,
    /// The last build without errors (None until there is one).
    good: Option<Arc<SiteFiles>>,
}

/// How a burst of changes was applied, cheapest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Only static files changed: they are served from disk, nothing is rendered.
    Assets,
    /// The fast path: the edited pages' bodies rendered again, the rest kept.
    Pages,
    /// The exports read again and every stage after them run.
    Data,
    /// The content read again and the pipeline run from its start.
    Content,
    /// Everything loaded again (configuration, templates, a new or removed file).
    Full,
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Route::Assets => "assets",
            Route::Pages => "pages",
            Route::Data => "data",
            Route::Content => "content",
            Route::Full => "full",
        })
    }
}

/// What one rebuild did.
pub struct Outcome {
    /// What open pages are told (`Failed` keeps the previous site).
    pub change: Change,
    pub route: Route,
    pub elapsed: Duration,
    /// Output files whose bytes changed.
    pub changed_files: usize,
}

impl Session {
    /// Load the site and build it once.
    pub fn start(root: &Path, opts: BuildOptions) -> Result<Session, crate::error::Error> {
        let data_cache = DataCache::default();
        let (sources, load_diags) = sources::load_with(root, &data_cache)?;
        let built = site::build_variant(&sources, &opts, &Progress::default());
        let mut s = Session {
            root: root.to_path_buf(),
            opts,
            data_cache,
            sources,
            load_diags,
            built,
            good: None,
        };
        if !s.diagnostics().has_errors() {
            s.good = Some(s.site_files());
        }
        Ok(s)
    }

    /// Every problem of the current build (of the last rebuild, even when it failed).
    pub fn diagnostics(&self) -> Diagnostics {
        let mut d = self.built.diagnostics();
        d.extend(self.load_diags.iter().cloned());
        d
    }

    /// The files of the last good build.
    pub fn good_files(&self) -> Option<Arc<SiteFiles>> {
        self.good.clone()
    }

    /// The base path `site.yaml` asks for now (the preview keeps the one it started with).
    pub fn site_base_path(&self) -> String {
        self.sources.config.base_path()
    }

    pub fn built(&self) -> &Built {
        &self.built
    }

    /// The search shards the last `opsite build` kept, for the preview's first index.
    pub fn saved_search_shards(&self) -> crate::search::bundle::ShardStore {
        self.sources.search_shards.clone()
    }

    /// Apply a burst of changes; the served files change only when the result has no error.
    pub fn apply(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        let previous = self.good.clone();
        let (route, fast_changes) = match self.route(changes) {
            Ok(r) => r,
            Err(e) => {
                self.load_diags = vec![e];
                (Route::Full, None)
            }
        };
        let elapsed = started.elapsed();
        let diags = self.diagnostics();
        if std::env::var_os("OPSITE_TIMINGS").is_some() {
            eprintln!(
                "  route {route}: {:.1} ms, diagnostics {:.1} ms",
                elapsed.as_secs_f64() * 1e3,
                (started.elapsed() - elapsed).as_secs_f64() * 1e3
            );
        }
        if diags.has_errors() {
            return Outcome {
                change: Change::Failed(failure_text(&diags)),
                route,
                elapsed,
                changed_files: 0,
            };
        }
        let (files, mut changed) = match (fast_changes, previous.as_deref()) {
            (Some(paths), Some(old)) if old.overlay.len() + paths.len() <= MAX_OVERLAY => {
                (self.with_overlay(old, &paths), paths)
            }
            _ => {
                let files = self.site_files();
                let changed = changed_paths(previous.as_deref(), &files);
                (files, changed)
            }
        };
        // Static files are read from disk when asked for: the watcher names their edits.
        for a in &changes.assets {
            if files.contains_key(a) && !changed.contains(a) {
                changed.push(a.clone());
            }
        }
        let changed_files = changed.len();
        let css_only = !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css"));
        let base = self.built.config.base_path();
        let urls: Vec<String> = changed
            .iter()
            .map(|p| format!("{}{}", base.trim_end_matches('/'), urls::site_path(p)))
            .collect();
        let change = if previous.is_none() || changes.config || changes.templates {
            Change::All
        } else if css_only {
            Change::Styles(urls)
        } else if urls.len() > MAX_LISTED || changed.iter().any(|p| !p.ends_with(".html")) {
            // A script, an image or a feed: any page may show it.
            Change::All
        } else {
            Change::Pages(urls)
        };
        self.good = Some(files);
        if std::env::var_os("OPSITE_TIMINGS").is_some() {
            eprintln!(
                "  apply total: {:.1} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        Outcome {
            change,
            route,
            elapsed,
            changed_files,
        }
    }

    /// Bring `self.built` up to date by the cheapest route: its name, and the changed output
    /// paths when the fast path knows them.
    fn route(&mut self, changes: &Changes) -> Result<(Route, Option<Vec<String>>), Diagnostic> {
        // A versioned site reads every version's content again: each may come from elsewhere.
        // A bilingual site's page changes its translations' switchers and the sitemap too.
        let several = self.sources.versions.len() > 1 || self.sources.config.languages().len() > 1;
        let versioned = several && !changes.content.is_empty();
        if changes.config || changes.templates || versioned {
            self.reload_all()?;
            return Ok((Route::Full, None));
        }
        // Temporary files an editor or `sed -i` wrote and renamed away are not the site's.
        let edited: Vec<PathBuf> = changes
            .content
            .iter()
            .filter(|rel| !self.vanished_unknown(rel))
            .cloned()
            .collect();
        let mut reread_all = false;
        for rel in &edited {
            if !crate::content::source::is_markdown(rel) || !self.sources.reread_content_file(rel) {
                reread_all = true;
            }
        }
        if !changes.assets.is_empty() && !self.assets_known(changes) {
            reread_all = true;
        }
        if reread_all {
            self.reload_all()?;
            return Ok((Route::Full, None));
        }
        // A page another includes: the included texts are read again with the pages.
        if !edited.is_empty() && self.sources.config.markdown.includes.any() {
            self.sources.reread_included();
        }
        if changes.data {
            self.load_diags
                .retain(|d| !d.location.file.starts_with(SiteFolder::Data.name()));
            self.load_diags
                .extend(self.sources.reload_data(&self.data_cache));
            self.rebuild();
            return Ok((Route::Data, None));
        }
        if edited.is_empty() {
            // Static files only: served from disk, nothing to render.
            return Ok((Route::Assets, Some(Vec::new())));
        }
        if let Some(edits) = self.parse_edits(&edited) {
            if let Some(changed) = incremental::rebody(&mut self.built, &edits) {
                return Ok((Route::Pages, Some(changed)));
            }
        }
        self.rebuild();
        Ok((Route::Content, None))
    }

    /// A path under `content/` that is gone and was never part of the site.
    fn vanished_unknown(&self, rel: &Path) -> bool {
        let content = &self.sources.content;
        !self
            .root
            .join(&self.sources.config.content_dir)
            .join(rel)
            .exists()
            && !content.files.iter().any(|f| f.rel_path == rel)
            && !content.assets.iter().any(|a| a == rel)
            && !content.dirs.iter().any(|d| d == rel)
    }

    /// Changed static files that the build already publishes (new or removed ones need the
    /// file list read again).
    fn assets_known(&self, changes: &Changes) -> bool {
        let theme_static = Path::new(SiteFolder::Themes.name())
            .join(&self.sources.config.theme)
            .join(SiteFolder::Static.name());
        changes.assets.iter().all(|p| {
            let Ok(i) = self
                .built
                .files
                .binary_search_by(|f| f.path.as_str().cmp(p))
            else {
                return false;
            };
            // The file published at that path must be this one: a new site file that now
            // shadows a theme file, or a removed one that uncovers it, changes the list.
            let origin = &self.built.files[i].origin;
            let site_file = Path::new(SiteFolder::Static.name()).join(p);
            let theme_file = theme_static.join(p);
            (self.root.join(&site_file).is_file() && *origin == site_file)
                || (!self.root.join(&site_file).exists()
                    && self.root.join(&theme_file).is_file()
                    && *origin == theme_file)
        })
    }

    /// The edited Markdown files parsed again; None when one does not parse (the full
    /// pipeline reports it at its line).
    fn parse_edits(&self, edited: &[PathBuf]) -> Option<Vec<RawPage>> {
        edited
            .iter()
            .map(|rel| {
                let f = self
                    .sources
                    .content
                    .files
                    .iter()
                    .find(|f| f.rel_path == *rel)?;
                RawPage::parse(&f.text, rel).ok()
            })
            .collect()
    }

    /// The pipeline again over the sources as they are now.
    fn rebuild(&mut self) {
        self.sources.highlight_cache = self.built.cache.all_entries();
        self.built = site::build_variant(&self.sources, &self.opts, &Progress::default());
    }

    /// Everything read again (exports still come from the cache when unchanged).
    fn reload_all(&mut self) -> Result<(), Diagnostic> {
        let cache = self.built.cache.all_entries();
        match sources::load_with(&self.root, &self.data_cache) {
            Ok((mut sources, diags)) => {
                sources.highlight_cache = cache;
                sources.search_shards = std::mem::take(&mut self.sources.search_shards);
                self.sources = sources;
                self.load_diags = diags;
                self.built = site::build_variant(&self.sources, &self.opts, &Progress::default());
                Ok(())
            }
            Err(e) => Err(match e {
                crate::error::Error::Located(d) => d,
                other => {
                    Diagnostic::error(Code::Build, Location::file(&self.root), other.to_string())
                }
            }),
        }
    }

    /// Links and anchors of every page against the current files: slow work kept out of the
    /// edit-to-reload path (the fast path leaves the previous results until this runs).
    pub fn recheck_links(&mut self) -> usize {
        self.built.link_diags = site::check_links(
            &[(&self.built.lib, &self.built.rendered)],
            &self.built.files,
            &self.opts,
            self.built.config.edition_of.is_some(),
        );
        self.built.link_diags.len()
    }

    fn site_files(&self) -> Arc<SiteFiles> {
        Arc::new(SiteFiles {
            base: Arc::new(
                self.built
                    .files
                    .iter()
                    .map(|f| (f.path.clone(), f.clone()))
                    .collect(),
            ),
            overlay: HashMap::new(),
        })
    }

    /// `old` with the fast path's changed files laid over it.
    fn with_overlay(&self, old: &SiteFiles, paths: &[String]) -> Arc<SiteFiles> {
        let mut overlay = old.overlay.clone();
        for p in paths {
            if let Ok(i) = self
                .built
                .files
                .binary_search_by(|f| f.path.as_str().cmp(p))
            {
                overlay.insert(p.clone(), self.built.files[i].clone());
            }
        }
        Arc::new(SiteFiles {
            base: Arc::clone(&old.base),
            overlay,
        })
    }
}

/// Output paths whose bytes differ between two builds (added and removed ones included).
fn changed_paths(old: Option<&SiteFiles>, new: &SiteFiles) -> Vec<String> {
    let Some(old) = old else {
        return new.paths().cloned().collect();
    };
    let mut out: Vec<String> = new
        .paths()
        .filter(|p| {
            let f = new.get(p).expect("listed");
            old.get(p).is_none_or(|o| !same_content(o, f))
        })
        .cloned()
        .collect();
    out.extend(old.paths().filter(|p| !new.contains_key(p)).cloned());
    out.sort();
    out
}

fn same_content(a: &OutputFile, b: &OutputFile) -> bool {
    // Files copied from disk are read when asked for: the watcher reports their edits.
    a.content.same_bytes(&b.content)
        || matches!(
            (&a.content, &b.content),
            (OutputContent::Asset(_), OutputContent::Asset(_))
        )
}

/// The errors of a failed build, as the terminal shows them (errors first).
pub fn failure_text(diags: &Diagnostics) -> String {
    let errors: Vec<String> = diags
        .clone()
        .into_sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let shown = errors.len().min(20);
    let mut text = errors[..shown].join("\n");
    if errors.len() > shown {
        text.push_str(&format!("\n… and {} more error(s)", errors.len() - shown));
    }
    text
}
