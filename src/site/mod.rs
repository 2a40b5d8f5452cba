//! The build pipeline: a fixed sequence of named stages, each a plain function from one typed value
//! to the next. I/O happens only at the two ends (`sources::load`, `output::prepare` and its commit).
//!
//! sources → parse → assemble → templates → data+reports → markdown → html → assets/feeds →
//! contain → checks → output

pub mod bodies;
pub mod build_cache;
pub mod build_skip;
pub mod contain;
mod customer_files;
mod data_warnings;
mod edition_addresses;
mod edition_steps;
pub mod editions;
mod escalation;
pub mod feeds;
pub mod incremental;
pub mod kept_bodies;
mod languages;
pub mod links;
pub mod lock;
pub mod one_report;
pub mod output;
pub mod output_clash;
pub mod output_dir;
pub mod output_manifest;
pub mod progress;
pub mod reports;
mod result;
pub mod sources;
mod stages;
mod status;
mod version_sources;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::content::source::ContentSources;
use crate::content::{Library, PageDate};
use crate::error::{Diagnostic, Diagnostics, Severity};
use crate::markdown::{HighlightCache, Rendered};
use crate::publications;
use crate::render::figures::FigureData;
use crate::render::i18n::UiStrings;
use crate::render::nav::NavFragments;
use crate::render::views::SiteView;
use crate::render::Templates;
use bodies::BodyRenderer;
use edition_steps::{
    bodies_and_reports, output_files, render_inputs, search_stage, stats, unrendered,
};
use output::OutputFile;
use output_clash::duplicate_outputs;
use progress::Progress;
pub use result::{BuildResult, BuildStats};
pub use sources::SiteSources;
use stages::{
    assets, compile_templates, content_assets, data_and_reports, effective_config, figure_data,
    generated_files, parse_and_assemble, render_html, site_view,
};
pub use stages::{url_mode, with_renderer};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub include_drafts: bool,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Published damage (broken links, a shortcode lost inside code) is an error (`check`)
    /// instead of a warning (`build`).
    pub damage_is_error: bool,
    pub now: PageDate,
    /// Freeze the periods `reports.freeze_after` says are due. Only when the clock is the real
    /// one: a build `--as-of` a later date must not freeze periods that are not over yet.
    pub freeze_due: bool,
    /// Build the search index in this run (`build`). The preview server builds it after the
    /// reload instead, and `check` and `email` do not need it.
    pub search_index: bool,
    /// Index the older versions in the build even when `search_index` is off: the preview
    /// server indexes only the latest in the background.
    pub index_older_versions: bool,
    /// Build this customer edition (its slug) instead of the internal site (`serve
    /// --customer`); `base_url` then overrides the edition's address.
    pub edition: Option<String>,
}

impl BuildOptions {
    /// A build in memory for a command that shows a report elsewhere (`email`, `pdf`): the
    /// site as published, at `now`, without drafts, freezing or a search index.
    pub fn for_a_report(now: PageDate) -> BuildOptions {
        BuildOptions {
            include_drafts: false,
            base_url: None,
            damage_is_error: false,
            now,
            freeze_due: false,
            search_index: false,
            index_older_versions: false,
            edition: None,
        }
    }
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
    build_all(sources, opts, progress).into_result()
}

/// Every stage's value, kept by the preview server so that a rebuild redoes only what changed
/// (`incremental`); `build` turns it into a `BuildResult`.
pub struct Built {
    pub config: SiteConfig,
    pub opts: BuildOptions,
    pub lib: Library,
    /// Hash of each content file's front matter text (the fast path needs it unchanged).
    pub front_hashes: HashMap<PathBuf, u64>,
    /// None when the templates did not compile (the stages after them did not run).
    pub templates: Option<Arc<Templates>>,
    pub figure_data: FigureData,
    pub report_pages: reports::ReportPages,
    /// Each report page's body (or the key of the page kept), for the search index.
    pub report_bodies: Vec<crate::reports::ReportBody>,
    pub publications: publications::Publications,
    pub site_view: SiteView,
    pub rendered: Vec<Rendered>,
    /// The key each body is kept by for the next build (`kept_bodies`; None: not kept).
    pub body_keys: Vec<Option<kept_bodies::BodyKey>>,
    pub navs: Option<NavFragments>,
    /// Every output file, sorted by path.
    pub files: Vec<OutputFile>,
    /// Problems of every stage but the page bodies' own and the link check, which are kept
    /// apart because the fast path recomputes them.
    pub stage_diags: Diagnostics,
    pub link_diags: Vec<Diagnostic>,
    pub cache: Arc<HighlightCache>,
    pub new_snapshots: Vec<(PathBuf, String)>,
    pub stats: BuildStats,
    /// Every http(s) link of the pages (of every version), with where it is used.
    pub external_links: crate::linkcheck::ExternalLinks,
    /// Points the version switcher at the other versions' pages (None: not versioned).
    pub switcher: Option<crate::versions::Switcher>,
    /// Points the language switcher at the other languages' pages (None: one language).
    pub languages: Option<crate::languages::Switcher>,
    /// The words the templates see as `ui` (the theme's with the site's `i18n/`).
    pub words: crate::i18n::site_words::UiWords,
    /// Shortcodes without a template in the other versions' and languages' pages.
    pub unknown_elsewhere: BTreeSet<String>,
    /// The figures the report pages show (with each customer edition's own).
    pub report_set: Option<Arc<crate::reports::ReportSet>>,
    /// The search index's shards, for the next build to reuse.
    pub search_shards: crate::search::bundle::ShardStore,
    /// Pages' output paths, the keys they were rendered from and what the search index read of
    /// each report page, for the next build.
    pub render_keys: Vec<(String, crate::output_file::PageRecord)>,
}

impl Built {
    /// All problems of the build: stages, bodies, links.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut d = self.stage_diags.clone();
        d.extend(bodies::problems(
            &self.lib,
            &self.rendered,
            &self.publications.blocked,
            self.opts.damage_is_error,
        ));
        // A link to a file that is there but could not be read follows from that file's error,
        // which is said: the link is not said to name "no such content file".
        let unreadable: HashSet<&std::path::Path> = (d.iter())
            .filter(|d| d.is_error())
            .map(|d| d.location.file.as_path())
            .collect();
        let said =
            |l: &&Diagnostic| (l.follows_from.as_deref()).is_none_or(|f| !unreadable.contains(f));
        let links: Vec<Diagnostic> = self.link_diags.iter().filter(said).cloned().collect();
        d.extend(links);
        d
    }

    pub fn into_result(self) -> BuildResult {
        let diagnostics = self.diagnostics();
        let kept_bodies = self.stats.kept_bodies;
        let unknown_shortcodes = self
            .rendered
            .iter()
            .flat_map(|r| r.unknown_shortcodes.iter().cloned())
            .chain(self.unknown_elsewhere)
            .collect();
        BuildResult {
            files: self.files,
            diagnostics,
            stats: self.stats,
            library: self.lib,
            rendered: self.rendered,
            body_keys: self.body_keys,
            kept_bodies: Vec::new(),
            // A body taken as kept highlighted nothing: the blocks it shows are among the
            // previous ones, which are kept with the new.
            highlight_cache: match kept_bodies {
                0 => Arc::try_unwrap(self.cache)
                    .map(HighlightCache::into_current)
                    .unwrap_or_else(|shared| shared.current_entries()),
                _ => self.cache.all_entries(),
            },
            unknown_shortcodes,
            new_snapshots: self.new_snapshots,
            reports: self.report_pages,
            external_links: self.external_links,
            report_set: self.report_set,
            search_shards: self.search_shards,
            render_keys: self.render_keys,
        }
    }
}

/// The full pipeline, keeping every stage's value. A site with `versions:` builds each version
/// through the same stages (`languages`); the exports and KPIs are computed once for all.
pub fn build_all(sources: &SiteSources, opts: &BuildOptions, progress: &Progress) -> Built {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let config = effective_config(sources, opts);
    let (report_set, new_snapshots) = data_and_reports(sources, &config, opts, &mut diags);
    let templates = compile_templates(sources, &config, &report_set, &mut diags);
    if let Some(templates) = &templates {
        stages::unshown_menus(&sources.config_text, &config.menus, templates, &mut diags);
    }
    let escalation = escalation::routes(sources, &config, &mut diags);
    let shared = Shared {
        report_set,
        escalation,
        new_snapshots,
        templates,
        cache: Arc::new(HighlightCache::from_previous(
            sources.highlight_cache.clone(),
        )),
        data_time: started.elapsed(),
    };
    let run = Run {
        sources,
        opts,
        progress,
    };
    if sources.versions.len() > 1 || config.languages().len() > 1 {
        return languages::build(run, config, shared, diags);
    }
    let edition = Edition {
        content: &sources.content,
        versions: None,
        language: None,
    };
    let assembled = assemble_edition(sources, &edition, &config, opts, progress);
    let input = EditionInput {
        assembled,
        config,
        shared,
        diags,
        previous: sources.previous_renders.as_ref(),
    };
    build_edition(run, &edition, input)
}

/// The internal site, or with `opts.edition` that customer's edition (the preview of `serve
/// --customer`).
pub fn build_variant(sources: &SiteSources, opts: &BuildOptions, progress: &Progress) -> Built {
    let Some(slug) = &opts.edition else {
        return build_all(sources, opts, progress);
    };
    let run = Run {
        sources,
        opts,
        progress,
    };
    // The preview keeps its own last build: every edition is built here.
    let (mut built, diags) = editions::build(run, Some(slug), None, &|_, _| false, |e| e);
    match built.pop() {
        Some(editions::Made::Built(e)) => {
            let mut b = e.built;
            b.stage_diags.extend(diags);
            b
        }
        // site.yaml changed under the preview: say so on the internal site.
        _ => {
            let mut b = build_all(sources, opts, progress);
            b.stage_diags.push(Diagnostic::error(
                crate::error::Code::Config,
                crate::error::Location::file(crate::config::CONFIG_FILE),
                format!(
                    "customers: no edition `{slug}` any more; this preview shows the internal site"
                ),
            ));
            b
        }
    }
}

/// An edition's content parsed and assembled into its library (moved under its prefix for an
/// older version): what a versioned build needs of every version before rendering any.
pub struct Assembled {
    pub lib: Library,
    pub front_hashes: HashMap<PathBuf, u64>,
    pub commentary: Vec<crate::content::page::RawPage>,
    pub diags: Diagnostics,
    pub time: Duration,
    /// Points the version switcher at the other versions' pages (versioned sites).
    pub switcher: Option<crate::versions::Switcher>,
    /// Points the language switcher at the other languages' pages (bilingual sites).
    pub languages: Option<crate::languages::Switcher>,
}

/// The parse and assemble stages for one edition.
pub fn assemble_edition(
    sources: &SiteSources,
    edition: &Edition,
    config: &SiteConfig,
    opts: &BuildOptions,
    progress: &Progress,
) -> Assembled {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let (mut lib, front_hashes, commentary) =
        parse_and_assemble(sources, edition.content, config, opts, progress, &mut diags);
    let prefix = edition.prefix();
    if !prefix.is_empty() {
        crate::versions::relocate(&mut lib, &prefix);
    }
    Assembled {
        lib,
        front_hashes,
        commentary,
        diags,
        time: started.elapsed(),
        switcher: None,
        languages: None,
    }
}

/// What every version of a build shares: the exports' reports, the periods frozen, and the
/// highlight cache.
#[derive(Clone)]
pub struct Shared {
    pub report_set: Option<Arc<crate::reports::ReportSet>>,
    /// The escalation routes (a customer edition's cut to its services).
    pub escalation: crate::escalation::SiteRoutes,
    pub new_snapshots: Vec<(PathBuf, String)>,
    pub cache: Arc<HighlightCache>,
    /// The theme's templates, compiled once (None when they did not compile).
    pub templates: Option<Arc<Templates>>,
    /// Time the exports, KPIs and templates took (a stage of their own in the summary).
    pub data_time: Duration,
}

/// One version's content in one language through the pipeline: the site's only one, or one of
/// `versions:` and `languages:`.
pub struct Edition<'a> {
    pub content: &'a ContentSources,
    /// The site's versions and which one this is (None: the site is not versioned).
    pub versions: Option<(&'a [crate::config::versions::Version], usize)>,
    /// The site's languages and which one this is (None: the site has one language).
    pub language: Option<(&'a [crate::config::languages::Language], usize)>,
}

impl Edition<'_> {
    /// An older version: under `/v/<name>/`, without the site-wide files (theme assets, feeds,
    /// sitemap, 404, report pages), which the latest writes once.
    fn is_older(&self) -> bool {
        self.versions.is_some_and(|(_, i)| i > 0)
    }

    /// Another language than the default: its pages, feeds and reports under `/<code>/`, without
    /// the theme's files and the other site-wide files, which the default language writes once.
    fn is_other_language(&self) -> bool {
        self.language.is_some_and(|(_, i)| i > 0)
    }

    /// The only edition of its build: it checks its own links and writes its own sitemap.
    fn is_alone(&self) -> bool {
        self.versions.is_none() && self.language.is_none()
    }

    /// Where the edition is served: the language's folder, then the version's (`/en/v/v1`).
    fn prefix(&self) -> String {
        let language = self.language.map_or("", |(l, i)| l[i].prefix.as_str());
        let version = self.versions.map_or("", |(v, i)| v[i].prefix.as_str());
        format!("{language}{version}")
    }
}

/// What a run gives every edition it builds: the sources, the options, where progress goes.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    pub sources: &'a SiteSources,
    pub opts: &'a BuildOptions,
    pub progress: &'a Progress,
}

/// What one edition starts from: its assembled content, the configuration, what every version
/// shares, and the problems found so far.
pub struct EditionInput<'a> {
    pub assembled: Assembled,
    pub config: SiteConfig,
    pub shared: Shared,
    pub diags: Diagnostics,
    /// What its folder's last build rendered (`SiteSources::previous_renders`, or an
    /// edition's): None where pages are not kept one by one.
    pub previous: Option<&'a crate::output_file::PreviousRenders>,
}

/// Every stage from parsing to the link check, for one edition of the content.
pub fn build_edition(run: Run, edition: &Edition, input: EditionInput) -> Built {
    let EditionInput {
        assembled,
        config,
        shared,
        mut diags,
        previous: input_previous,
    } = input;
    let mut timer = Timer {
        last: Instant::now(),
        stages: vec![
            ("data+templates", shared.data_time),
            ("parse+assemble", assembled.time),
        ],
    };
    diags.extend(assembled.diags);
    let commentary = assembled.commentary;
    let report_set = shared.report_set.clone();
    let mut built = unrendered(
        run.sources,
        edition,
        assembled.lib,
        config,
        run.opts,
        shared,
    );
    built.front_hashes = assembled.front_hashes;
    built.switcher = assembled.switcher;
    built.languages = assembled.languages;
    let Some(templates) = built.templates.clone() else {
        built.stage_diags = diags;
        return built;
    };

    bodies_and_reports(
        &mut built, &templates, edition, report_set, commentary, run, &mut diags,
    );
    timer.lap("markdown+reports");

    run.progress.start("html", built.lib.pages.len());
    built.site_view = site_view(
        edition,
        &built.config,
        &built.lib,
        UiStrings::for_language(&built.config.language),
        &built.report_pages,
    );
    built.site_view.latest_release = built.publications.latest_release.clone();
    let figures = (built.report_set.as_deref(), templates.as_ref());
    let inputs = render_inputs(run.sources, &built.config, run.opts, figures);
    let parts: Vec<&[u8]> = inputs.iter().map(Vec::as_slice).collect();
    // Offered only for sites of one version and language (`build_skip::reusable`).
    let previous = input_previous;
    let html = render_html(&built, previous, &parts, &mut diags);
    built.render_keys = (html.render_keys.into_iter())
        .map(|(path, key)| (path, crate::output_file::PageRecord { key, indexed: None }))
        .collect();
    built.navs = html.navs;
    built.report_bodies = html.report_bodies;
    let mut files = html.files;
    timer.lap("html");

    let searchable = search_stage(&mut built, edition, run, &mut files, &mut diags);
    timer.lap("search");

    let files = output_files(run.sources, edition, &built, files, &mut diags);
    timer.lap("assets+feeds");

    crate::linkcheck::collect(&built.lib, &built.rendered, &mut built.external_links);
    // Versions and languages check their links once all are built (links cross between them).
    if edition.is_alone() {
        let customer = built.config.edition_of.is_some();
        let pages = [(&built.lib, &built.rendered[..])];
        built.link_diags = check_links(&pages, &files, run.opts, customer);
    }
    timer.lap("links");

    built.stats = stats(&built, files.len(), searchable, timer.stages);
    built.files = files;
    built.stage_diags = diags;
    built
}

/// Links, anchors and images of every page of every edition (the site, or each of its
/// versions) against what the build writes; a link may name a page of another edition.
/// `customer`: the build is a customer's edition, where a link above its root is an error.
pub fn check_links(
    editions: &[(&Library, &[Rendered])],
    files: &[OutputFile],
    opts: &BuildOptions,
    customer: bool,
) -> Vec<Diagnostic> {
    let outputs: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let severity = if opts.damage_is_error {
        Severity::Error
    } else {
        Severity::Warning
    };
    // From a customer's edition, a link above its root reaches what is published beside it.
    let leaving = match customer {
        true => Severity::Error,
        false => severity,
    };
    let mut out = Vec::new();
    for (i, &(lib, rendered)) in editions.iter().enumerate() {
        let others: Vec<(&Library, &[Rendered])> = editions
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &e)| e)
            .collect();
        out.extend(links::check_links(
            lib,
            rendered,
            &outputs,
            &others,
            (severity, leaving),
        ));
    }
    out
}
