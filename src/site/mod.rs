//! The build pipeline: a fixed sequence of named stages, each a plain function from one typed value
//! to the next. I/O happens only at the two ends (`sources::load`, `output::write_atomic`).
//!
//! sources → parse → assemble → templates → data+reports → markdown → html → assets/feeds →
//! contain → checks → output

pub mod bodies;
pub mod contain;
pub mod feeds;
pub mod links;
pub mod output;
pub mod output_dir;
pub mod progress;
pub mod reports;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::content::assemble::{self, AssembleOptions};
use crate::content::{Library, PageDate};
use crate::error::{Diagnostic, Diagnostics, Location, Severity};
use crate::figures::Figures;
use crate::markdown::{HighlightCache, Rendered};
use crate::publications;
use crate::render::figures::{register_functions, FigureData};
use crate::render::i18n::UiStrings;
use crate::render::pages::PageRenderer;
use crate::render::urls::UrlMode;
use crate::render::views::{MenuItemView, SiteView, ViewEnv};
use crate::render::{AssetSource, Templates};
use bodies::BodyRenderer;
use output::OutputFile;
use progress::Progress;
pub use sources::SiteSources;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub include_drafts: bool,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Link problems are errors (`check`) instead of warnings (`build`).
    pub links_are_errors: bool,
    pub now: PageDate,
    /// Freeze the periods `reports.freeze_after` says are due. Only when the clock is the real
    /// one: a build `--as-of` a later date must not freeze periods that are not over yet.
    pub freeze_due: bool,
}

#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub pages: usize,
    pub sections: usize,
    /// Generated report pages (weekly, monthly, quarterly).
    pub reports: usize,
    pub files: usize,
    pub highlight_hits: usize,
    pub highlight_misses: usize,
    /// Named stages and their wall time.
    pub stages: Vec<(&'static str, Duration)>,
}

pub struct BuildResult {
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
    pub stats: BuildStats,
    pub library: Library,
    pub rendered: Vec<Rendered>,
    /// Highlighted code worth keeping for the next build.
    pub highlight_cache: HashMap<u64, String>,
    /// Shortcodes used without a template and not ignored, for the hint after the errors.
    pub unknown_shortcodes: BTreeSet<String>,
    /// Periods `reports.freeze_after` froze in this build: snapshot path (relative to the
    /// root) and text, for the command to write once the build has succeeded.
    pub new_snapshots: Vec<(PathBuf, String)>,
    /// The report pages' views (the status email shows the weekly one).
    pub reports: reports::ReportPages,
}

struct Timer {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push((name, now - self.last));
        self.last = now;
    }
}

/// Run every stage between loading and writing. Never touches the disk.
pub fn build(sources: &SiteSources, opts: &BuildOptions, progress: &Progress) -> BuildResult {
    let mut timer = Timer {
        last: Instant::now(),
        stages: Vec::new(),
    };
    let mut diags = Diagnostics::default();
    let config = effective_config(sources, opts);

    let (lib, commentary_files) = parse_and_assemble(sources, &config, opts, progress, &mut diags);
    timer.lap("parse+assemble");

    let mut report_set = reports::compute(sources, &config, opts.now.timestamp(), &mut diags);
    let new_snapshots = report_set
        .as_mut()
        .filter(|_| opts.freeze_due)
        .map(|set| reports::freeze_due(set, &config))
        .unwrap_or_default();
    let report_set = report_set.map(Arc::new);
    timer.lap("data+kpi");

    let mut templates = match Templates::new(&sources.theme, &config.markdown) {
        Ok(t) => t,
        Err(ds) => {
            diags.extend(ds);
            return BuildResult {
                files: Vec::new(),
                diagnostics: diags,
                stats: BuildStats::default(),
                library: lib,
                rendered: Vec::new(),
                highlight_cache: HashMap::new(),
                unknown_shortcodes: BTreeSet::new(),
                new_snapshots,
                reports: reports::ReportPages::default(),
            };
        }
    };
    let figure_data = FigureData {
        set: report_set.clone(),
        has_data: sources.data.is_some(),
        language: config.language.clone(),
    };
    register_functions(&mut templates, figure_data.clone());
    timer.lap("templates");

    let ui = UiStrings::for_language(&config.language);
    let cache = HighlightCache::from_previous(sources.highlight_cache.clone());
    let figures = Figures::new(figure_data.source(), &config.language);
    let bodies = BodyRenderer {
        lib: &lib,
        config: &config,
        templates: &templates,
        ui,
        cache: &cache,
        figures: &figures,
    };
    let rendered = bodies.pages(progress, &mut diags);
    let report_pages = match &report_set {
        Some(set) => {
            let commentary = reports::read_commentary(commentary_files, set, &mut diags);
            let commentary = bodies.commentary(commentary, &mut diags);
            reports::views(set, &commentary, &lib, &config.language)
        }
        None => reports::ReportPages::default(),
    };
    let (publications, d) = publications::collect(&lib, &figures, &config.language);
    diags.extend(d);
    let unknown_shortcodes = rendered
        .iter()
        .flat_map(|r| r.unknown_shortcodes.iter().cloned())
        .collect();
    timer.lap("markdown+reports");

    progress.start("html", lib.pages.len());
    let mut site_view = site_view(sources, &config, &lib, ui, &report_pages);
    site_view.latest_release = publications.latest_release.clone();
    let mut files = render_html(
        &lib,
        &rendered,
        &publications,
        &report_pages,
        &config,
        opts,
        &templates,
        &site_view,
        &mut diags,
    );
    timer.lap("html");

    files.extend(assets(sources, &lib));
    files.extend(feeds::atom_feeds(&config, &lib, &rendered));
    let mut extra_urls = taxonomy_urls(&lib);
    extra_urls.extend(report_pages.urls());
    files.push(feeds::sitemap(&config, &lib, &extra_urls));
    // A robots.txt of the site's own (static/) replaces the generated one, as in Hugo.
    if !sources.static_files.iter().any(|(p, _)| p == "robots.txt") {
        files.push(feeds::robots(&config));
    }
    let (mut files, d) = contain::contained(files);
    diags.extend(d);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    diags.extend(duplicate_outputs(&files));
    timer.lap("assets+feeds");

    let outputs: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let severity = if opts.links_are_errors {
        Severity::Error
    } else {
        Severity::Warning
    };
    diags.extend(links::check_links(&lib, &rendered, &outputs, severity));
    timer.lap("links");

    let (hits, misses) = cache.stats();
    let stats = BuildStats {
        pages: lib
            .pages
            .iter()
            .filter(|p| p.kind == crate::content::PageKind::Page)
            .count(),
        sections: lib.sections.len(),
        reports: report_pages.pages.len(),
        files: files.len(),
        highlight_hits: hits,
        highlight_misses: misses,
        stages: timer.stages,
    };
    BuildResult {
        files,
        diagnostics: diags,
        stats,
        library: lib,
        rendered,
        highlight_cache: cache.into_current(),
        unknown_shortcodes,
        new_snapshots,
        reports: report_pages,
    }
}

/// `site.yaml` with the command line's overrides applied.
fn effective_config(sources: &SiteSources, opts: &BuildOptions) -> SiteConfig {
    let mut config = sources.config.clone();
    if let Some(b) = &opts.base_url {
        config.base_url = if b.ends_with('/') {
            b.clone()
        } else {
            format!("{b}/")
        };
    }
    config
}

/// Content files → the `Library` (pages, sections, menus, taxonomies).
fn parse_and_assemble(
    sources: &SiteSources,
    config: &SiteConfig,
    opts: &BuildOptions,
    progress: &Progress,
    diags: &mut Diagnostics,
) -> (Library, Vec<crate::content::page::RawPage>) {
    progress.start("parse", sources.content.files.len());
    let (raw, d) = assemble::parse_all(&sources.content);
    diags.extend(d);
    let (raw, commentary) = reports::take_commentary(raw, sources.data.is_some());
    let (lib, d) = assemble::assemble(
        &sources.content,
        raw,
        config,
        &AssembleOptions {
            include_drafts: opts.include_drafts,
            now: opts.now,
        },
    );
    diags.extend(d);
    (lib, commentary)
}

/// What every template sees as `site`.
fn site_view(
    sources: &SiteSources,
    config: &SiteConfig,
    lib: &Library,
    ui: &UiStrings,
    reports: &reports::ReportPages,
) -> SiteView {
    let mermaid_script = ["js/mermaid.min.js", "js/mermaid.js", "mermaid.min.js"]
        .iter()
        .find(|c| sources.static_files.iter().any(|(p, _)| p == *c))
        .map(|c| format!("/{c}"));
    SiteView {
        title: config.title.clone(),
        base_url: config.base_url.clone(),
        language: config.language.clone(),
        params: config.params.clone(),
        main_menu: lib
            .menus
            .get("main")
            .map(|m| MenuItemView::from_entries(m))
            .unwrap_or_default(),
        menus: lib
            .menus
            .iter()
            .map(|(k, v)| (k.clone(), MenuItemView::from_entries(v)))
            .collect(),
        taxonomies: lib
            .taxonomies
            .iter()
            .filter(|t| !t.terms.is_empty())
            .map(|t| crate::render::views::LinkView {
                title: ui.taxonomy_label(&t.name),
                url: t.url.clone(),
            })
            .collect(),
        mermaid_script,
        latest_reports: reports
            .latest
            .iter()
            .filter_map(|k| {
                let l = k.latest.as_ref()?;
                Some(crate::render::views::LinkView {
                    title: format!("{} {}", k.title, l.label),
                    url: l.url.clone(),
                })
            })
            .collect(),
        latest_release: None,
    }
}

/// Every HTML file: content pages, taxonomy pages, 404 and alias redirects.
#[allow(clippy::too_many_arguments)]
fn render_html(
    lib: &Library,
    rendered: &[Rendered],
    publications: &crate::publications::Publications,
    reports: &reports::ReportPages,
    config: &SiteConfig,
    opts: &BuildOptions,
    templates: &Templates,
    site_view: &SiteView,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let url_mode = if config.relative_urls {
        UrlMode::Relative
    } else {
        UrlMode::Absolute {
            base_path: config.base_path(),
        }
    };
    let renderer = PageRenderer {
        env: ViewEnv {
            lib,
            rendered,
            config,
            ui: UiStrings::for_language(&config.language),
            now: opts.now,
            publications,
        },
        templates,
        site: site_view,
        url_mode: &url_mode,
    };
    let mut files: Vec<OutputFile> = Vec::new();
    match renderer.nav_fragments() {
        Ok(navs) => {
            let mut results = renderer.content_pages(&navs);
            results.extend(renderer.taxonomy_pages(navs.home()));
            results.extend(renderer.extra_pages(navs.home()));
            results.extend(renderer.report_pages(reports, navs.home()));
            for r in results {
                match r {
                    Ok(f) => files.push(f),
                    Err(d) => diags.push(d),
                }
            }
        }
        Err(d) => diags.push(d),
    }
    files
}

/// Site paths of the taxonomy list and term pages, for the sitemap.
fn taxonomy_urls(lib: &Library) -> Vec<String> {
    lib.taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .flat_map(|t| std::iter::once(t.url.clone()).chain(t.terms.iter().map(|x| x.url.clone())))
        .collect()
}

/// Theme and site static files (the site's win), and the content folder's other files where
/// the library placed them.
fn assets(sources: &SiteSources, lib: &Library) -> Vec<OutputFile> {
    let mut by_path: BTreeMap<String, (AssetSource, PathBuf)> = BTreeMap::new();
    for (path, src) in &sources.theme.static_files {
        by_path.insert(
            path.clone(),
            (
                src.clone(),
                PathBuf::from("themes")
                    .join(&sources.config.theme)
                    .join("static")
                    .join(path),
            ),
        );
    }
    for (path, abs) in &sources.static_files {
        by_path.insert(
            path.clone(),
            (
                AssetSource::Disk(abs.clone()),
                PathBuf::from("static").join(path),
            ),
        );
    }
    let mut out: Vec<OutputFile> = by_path
        .into_iter()
        .map(|(p, (src, origin))| OutputFile::asset(p, src, origin))
        .collect();
    let content = sources.root.join("content");
    for asset in &lib.assets {
        out.push(OutputFile::asset(
            asset.path.trim_start_matches('/').to_string(),
            AssetSource::Disk(content.join(&asset.source)),
            Path::new("content").join(&asset.source),
        ));
    }
    out
}

fn duplicate_outputs(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            out.push(Diagnostic::error(
                Location::file(&pair[1].origin),
                format!(
                    "output file {} is also written by {}; change a `slug`, `url` or alias",
                    pair[1].path,
                    pair[0].origin.display()
                ),
            ));
        }
    }
    out
}
