//! The steps `build_edition` runs between its named stages: the words and render inputs of an
//! edition, its `Built` before rendering, the markdown and report stage, the search index, the
//! output files and the statistics. `mod.rs` keeps their order.

use super::*;

/// The words of a language's templates: the theme's with the site's `i18n/<lang>` file, and
/// the default language's file for the words the site has only there.
pub(super) fn ui_words(
    sources: &SiteSources,
    config: &SiteConfig,
) -> crate::i18n::site_words::UiWords {
    let words = &sources.theme.words;
    let lang = config.language.to_ascii_lowercase();
    let default = match config.languages().first() {
        Some(l) => l.code.to_ascii_lowercase(),
        None => lang.clone(),
    };
    // `ja-JP` pages read `i18n/ja.yaml` when there is no `ja-jp.yaml`.
    let find = |code: &str| {
        words
            .get(code)
            .or_else(|| words.get(code.split('-').next().unwrap_or(code)))
    };
    crate::i18n::site_words::UiWords::new(
        UiStrings::for_language(&config.language),
        find(&lang),
        (default != lang).then(|| find(&default)).flatten(),
    )
}

/// What every page is rendered with besides its context: opsite's version and program (a
/// customer's report page is keyed on what its view is made from, not on the view), site.yaml, the
/// commit git dates were read at, the templates by name, how URLs are written, and (templates
/// that read figures on a site whose pages depend on the clock) the clock and the exports
/// (`build_skip::clock_inputs`).
pub(super) fn render_inputs(
    sources: &SiteSources,
    config: &SiteConfig,
    opts: &BuildOptions,
    (figures, templates): (Option<&crate::reports::ReportSet>, &Templates),
) -> Vec<Vec<u8>> {
    let reads_figures = crate::render::figures::templates_read_figures(templates);
    let mut out = vec![
        env!("CARGO_PKG_VERSION").as_bytes().to_vec(),
        crate::digest::program_identity(),
        sources.config_text.as_bytes().to_vec(),
        format!("{:?}", url_mode(config)).into_bytes(),
        // `lastmod: git`: a page's date and author are the commit's, not its text's.
        (sources.git_dates.as_ref()).map_or_else(Vec::new, |d| d.head.as_bytes().to_vec()),
        super::build_skip::clock_inputs(sources, opts, figures, reads_figures),
    ];
    for t in &sources.theme.templates {
        out.push(t.name.as_bytes().to_vec());
        out.push(t.text.as_bytes().to_vec());
    }
    out
}

/// An edition's `Built` before any rendering: what a build whose templates did not compile ends
/// with, and what the rendering stages fill in.
pub(super) fn unrendered(
    sources: &SiteSources,
    edition: &Edition,
    lib: Library,
    config: SiteConfig,
    opts: &BuildOptions,
    shared: Shared,
) -> Built {
    let mut figure_data = figure_data(sources, &config, &shared.report_set);
    figure_data.escalation = shared.escalation.clone();
    figure_data.as_of = opts.now.timestamp();
    let ui = UiStrings::for_language(&config.language);
    let report_pages = reports::ReportPages::default();
    let words = ui_words(sources, &config);
    Built {
        site_view: site_view(edition, &config, &lib, ui, &report_pages),
        config,
        opts: opts.clone(),
        lib,
        front_hashes: HashMap::new(),
        templates: shared.templates,
        figure_data,
        report_pages,
        report_bodies: Vec::new(),
        publications: publications::Publications::default(),
        rendered: Vec::new(),
        navs: None,
        files: Vec::new(),
        stage_diags: Diagnostics::default(),
        link_diags: Vec::new(),
        cache: shared.cache,
        new_snapshots: shared.new_snapshots,
        stats: BuildStats::default(),
        external_links: Default::default(),
        switcher: None,
        languages: None,
        words,
        unknown_elsewhere: BTreeSet::new(),
        report_set: shared.report_set.clone(),
        search_shards: Default::default(),
        render_keys: Vec::new(),
        body_keys: Vec::new(),
    }
}

/// The markdown stage: page bodies, report pages with their commentary (the latest version
/// only: reports are dated, not versioned) and the publications (newsletters, releases).
pub(super) fn bodies_and_reports(
    built: &mut Built,
    templates: &Templates,
    edition: &Edition,
    report_set: Option<Arc<crate::reports::ReportSet>>,
    commentary: Vec<crate::content::page::RawPage>,
    run: Run,
    diags: &mut Diagnostics,
) {
    let figures = built.figure_data.figures();
    let bodies = BodyRenderer {
        lib: &built.lib,
        config: &built.config,
        templates,
        ui: UiStrings::for_language(&built.config.language),
        cache: &built.cache,
        figures: &figures,
        kept: Some(&run.sources.kept_bodies),
    };
    let page_bodies = bodies.pages(run.progress);
    let report_pages = match &report_set {
        Some(set) if !edition.is_older() => {
            let (commentary, notes) = crate::reports::status_notes::take(commentary);
            let slugs: Vec<&str> = (built.config.customers.iter())
                .map(|c| c.slug.as_str())
                .collect();
            let rules = reports::CommentaryRules {
                edition: set.customer.is_some(),
                drafts: run.opts.include_drafts,
                document: None,
                slugs: &slugs,
            };
            let commentary = reports::read_commentary(commentary, set, rules, diags);
            let commentary = bodies.commentary(commentary, diags);
            let language = &built.config.language;
            let mut pages = reports::views(set, &commentary, &built.lib, language, diags);
            pages.status = status::status_page(set, notes, &bodies, &built.lib, language, diags);
            pages
        }
        _ => reports::ReportPages::default(),
    };
    let (publications, d) = publications::collect(&built.lib, &figures, &built.config.language);
    diags.extend(d);
    built.rendered = page_bodies.rendered;
    built.body_keys = page_bodies.keys;
    built.stats.kept_bodies = page_bodies.kept;
    built.report_pages = report_pages;
    built.publications = publications;
}

/// The search index's files when this run wants one, reusing the previous build's shards whose
/// pages did not change; returns how many pages it holds.
pub(super) fn search_stage(
    built: &mut Built,
    edition: &Edition,
    run: Run,
    files: &mut Vec<OutputFile>,
    diags: &mut Diagnostics,
) -> usize {
    let opts = run.opts;
    // The preview server indexes the main edition after its reload, the others here.
    let secondary = edition.is_older() || edition.is_other_language();
    let wanted = opts.search_index || (secondary && opts.index_older_versions);
    if !(built.config.search && wanted) {
        return 0;
    }
    let file_share = built.config.search_file_share;
    let shards = &run.sources.search_shards;
    let index = built.with_search_input(|input| crate::search::index(input, file_share, shards));
    diags.extend(index.diagnostics);
    files.extend(index.files);
    built.search_shards = index.shards;
    let texts: std::collections::HashMap<String, crate::output_file::IndexedText> =
        index.report_texts.into_iter().collect();
    for (path, record) in &mut built.render_keys {
        record.indexed = texts.get(path).copied();
    }
    index.pages
}

/// The pages with the assets, feeds and site-wide files beside them, kept inside the output
/// folder, sorted by path, and checked for two sources writing one path.
pub(super) fn output_files(
    sources: &SiteSources,
    edition: &Edition,
    built: &Built,
    mut files: Vec<OutputFile>,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    if edition.is_older() {
        files.extend(content_assets(sources, edition.content, &built.lib));
    } else if edition.is_other_language() {
        files.extend(content_assets(sources, edition.content, &built.lib));
        files.extend(generated_files(sources, built, false, false));
    } else {
        // A bilingual site's sitemap names every language's pages: written once all are built.
        let sitemap = edition.language.is_none();
        files.extend(assets(sources, edition.content, &built.lib));
        files.extend(generated_files(sources, built, sitemap, true));
    }
    let (mut files, d) = contain::contained(files);
    diags.extend(d);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    diags.extend(duplicate_outputs(&files));
    files
}

pub(super) fn stats(
    built: &Built,
    files: usize,
    searchable: usize,
    stages: Vec<(&'static str, Duration)>,
) -> BuildStats {
    let (hits, misses) = built.cache.stats();
    BuildStats {
        pages: (built.lib.pages.iter())
            .filter(|p| p.kind == crate::content::PageKind::Page)
            .count(),
        sections: built.lib.sections.len(),
        reports: built.report_pages.pages.len(),
        files,
        highlight_hits: hits,
        highlight_misses: misses,
        kept_bodies: built.stats.kept_bodies,
        searchable,
        stages,
    }
}

impl Built {
    /// What the search stage reads of this build, handed to `f`. A report page kept from the
    /// last build has no body here: it is rendered again only when its shard is made again
    /// (another report page of the shard changed). Needs the compiled templates.
    pub fn with_search_input<R>(&self, f: impl FnOnce(crate::search::SearchInput) -> R) -> R {
        with_renderer(self, |renderer| {
            // A kept page was rendered from these very inputs by the last build (its key), so
            // it renders again; were it to fail, its text would be missing from the index.
            let render_body = |i: usize| {
                let home = self.navs.as_ref().map(|navs| navs.home());
                let page = &self.report_pages.pages[i];
                (home.and_then(|home| renderer.report_body(page.view(), home).ok()))
                    .unwrap_or_default()
            };
            f(crate::search::SearchInput {
                lib: &self.lib,
                rendered: &self.rendered,
                report_pages: &self.report_pages,
                report_bodies: &self.report_bodies,
                render_body: &render_body,
                publications: &self.publications,
                language: &self.config.language,
            })
        })
    }
}
