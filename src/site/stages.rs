//! The pipeline's stage functions that `build_edition` calls by name: configuration overrides,
//! exports and templates, parsing, the site view, HTML, assets, feeds and the duplicate check.
//! Each is a plain function from typed values to the next; `mod.rs` keeps the order.

use crate::layout::SiteFolder;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::output::OutputFile;
use super::progress::Progress;
use super::{feeds, reports, BuildOptions, Built, Edition, SiteSources};
use crate::config::SiteConfig;
use crate::content::assemble::{self, AssembleOptions};
use crate::content::source::ContentSources;
use crate::content::Library;
use crate::error::Diagnostics;
use crate::output_file::{PreviousRenders, RenderKey};
use crate::render::figures::{register_functions, FigureData};
use crate::render::i18n::UiStrings;
use crate::render::nav::NavFragments;
use crate::render::pages::PageRenderer;
use crate::render::pages::Reuse;
use crate::render::urls::UrlMode;
use crate::render::views::ViewEnv;
use crate::render::views::{MenuItemView, SiteView};
use crate::render::{AssetSource, Templates};

/// The exports through the KPI engine (None without `data:`), and the periods
/// `reports.freeze_after` froze in this build.
pub(super) fn data_and_reports(
    sources: &SiteSources,
    config: &SiteConfig,
    opts: &BuildOptions,
    diags: &mut Diagnostics,
) -> (
    Option<Arc<crate::reports::ReportSet>>,
    Vec<(PathBuf, String)>,
) {
    let mut report_set = reports::compute(sources, config, opts.now.timestamp(), diags);
    let new_snapshots = report_set
        .as_mut()
        .filter(|_| opts.freeze_due)
        .map(|set| reports::freeze_due(set, config))
        .unwrap_or_default();
    (report_set.map(Arc::new), new_snapshots)
}

/// Feeds, and when asked the sitemap and robots.txt (unless the site has its own).
pub(super) fn generated_files(
    sources: &SiteSources,
    built: &Built,
    sitemap: bool,
    robots: bool,
) -> Vec<OutputFile> {
    let mut files = feeds::atom_feeds(&built.config, &built.lib, &built.rendered);
    files.extend(feeds::runbooks_json(&built.config, &built.lib));
    if let Some((status, json)) = &built.report_pages.status {
        files.extend(feeds::status_files(&built.config, status, json));
    }
    if sitemap {
        let entries = feeds::sitemap_entries(&built.lib, &sitemap_extra_urls(built));
        files.push(feeds::sitemap(&built.config, entries, &|_: &str| {
            Vec::new()
        }));
    }
    // A robots.txt of the site's own (static/) replaces the generated one, as in Hugo.
    if robots && !sources.static_files.iter().any(|(p, _)| p == "robots.txt") {
        files.push(feeds::robots(&built.config));
    }
    files
}

/// The sitemap's addresses besides the pages: taxonomy and report pages.
pub(super) fn sitemap_extra_urls(built: &Built) -> Vec<String> {
    let mut extra_urls = taxonomy_urls(&built.lib, built.config.taxonomy_lists);
    extra_urls.extend(built.report_pages.urls());
    let alerts = &built.lib.alerts;
    if !alerts.is_empty() && built.config.alerts.index {
        extra_urls.push(format!(
            "{}{}",
            built.lib.url_prefix,
            crate::content::alerts::ALERTS_PATH
        ));
    }
    extra_urls
}

/// `site.yaml` with the command line's overrides applied.
pub(super) fn effective_config(sources: &SiteSources, opts: &BuildOptions) -> SiteConfig {
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
pub(super) fn parse_and_assemble(
    sources: &SiteSources,
    content: &ContentSources,
    config: &SiteConfig,
    opts: &BuildOptions,
    progress: &Progress,
    diags: &mut Diagnostics,
) -> (
    Library,
    HashMap<PathBuf, u64>,
    Vec<crate::content::page::RawPage>,
) {
    progress.start("parse", content.files.len());
    let (raw, d) =
        crate::content::parse::parse_all(content, config.content_rules.front_matter_errors);
    diags.extend(d);
    let front_hashes = raw
        .iter()
        .map(|r| (r.rel_path.clone(), r.front.text_hash()))
        .collect();
    let (raw, commentary) = reports::take_commentary(raw, sources.data.is_some());
    // On disk only (a git version's files are no links).
    let folder = (!content.dir.to_string_lossy().contains(':')).then(|| {
        let dir = match content.dir.as_os_str().is_empty() {
            true => std::path::Path::new("content"),
            false => content.dir.as_path(),
        };
        sources.root.join(dir)
    });
    diags.extend(super::customer_files::home_problems(
        &raw,
        &commentary,
        &sources.config.customers,
        &sources.config,
        (folder.as_deref(), &content.assets),
    ));
    let (raw, without_homes) = customer_homes(raw, content, sources, config);
    let content = without_homes.as_ref().unwrap_or(content);
    let (lib, d) = assemble::assemble(
        content,
        raw,
        config,
        &AssembleOptions {
            include_drafts: opts.include_drafts,
            now: opts.now,
        },
    );
    diags.extend(d);
    let mut lib = lib;
    lib.included = sources.included.clone();
    if let Some(dates) = &sources.git_dates {
        git_lastmod(&mut lib, dates);
    }
    (lib, front_hashes, commentary)
}

/// The customers' home texts (`customers[].home`) are no pages of their own: each is taken out
/// of the content, and an edition's own becomes its home page (`_index.md`). The content
/// without them when there were any (so no empty folder of homes becomes a section).
fn customer_homes(
    mut raw: Vec<crate::content::page::RawPage>,
    content: &ContentSources,
    sources: &SiteSources,
    config: &SiteConfig,
) -> (Vec<crate::content::page::RawPage>, Option<ContentSources>) {
    let mut homes: Vec<PathBuf> = (sources.config.customers.iter())
        .filter_map(|c| c.home.as_deref())
        .map(|h| super::customer_files::home_in_content(&sources.config, h))
        .collect();
    homes.extend(config.edition_home.clone());
    if homes.is_empty() {
        return (raw, None);
    }
    let mut kept = content.clone();
    let own = config.edition_home.as_ref();
    if let Some(own) = own.filter(|o| raw.iter().any(|r| &r.rel_path == *o)) {
        raw.retain(|r| r.rel_path != std::path::Path::new("_index.md"));
        for r in raw.iter_mut().filter(|r| &r.rel_path == own) {
            r.rel_path = PathBuf::from("_index.md");
        }
        // Its problems are said at its own file, not at the page it stands for.
        let shown = kept.shown_name(own).to_path_buf();
        kept.shown_names.insert(PathBuf::from("_index.md"), shown);
    }
    raw.retain(|r| !homes.contains(&r.rel_path));
    kept.files.retain(|f| !homes.contains(&f.rel_path));
    (raw, Some(kept))
}

/// `lastmod: git`: a page without `lastmod` in front matter takes its file's last commit.
fn git_lastmod(lib: &mut Library, dates: &crate::versions::git_dates::GitDates) {
    for page in &mut lib.pages {
        if page.front.lastmod.is_some() {
            continue;
        }
        let Some((date, author)) = dates.files.get(&page.source) else {
            continue;
        };
        if let Ok(d) = chrono::DateTime::parse_from_rfc3339(date) {
            page.front.lastmod = Some(d);
            page.front.lastmod_author = Some(author.clone());
        }
    }
}

/// The menu the theme shows in every page's header (`site.main_menu`).
const MAIN_MENU: &str = "main";

/// What every template sees as `site`.
pub(super) fn site_view(
    edition: &Edition,
    config: &SiteConfig,
    lib: &Library,
    ui: &UiStrings,
    reports: &reports::ReportPages,
) -> SiteView {
    let (main_menu, taxonomies, menu_more) = crate::render::views::fold_menu(
        lib.menus
            .get(MAIN_MENU)
            .map(|m| MenuItemView::from_entries(m))
            .unwrap_or_default(),
        (lib.taxonomies.iter())
            .filter(|t| !t.terms.is_empty() && config.taxonomy_lists)
            .map(|t| crate::render::views::LinkView {
                title: ui.taxonomy_label(&t.name),
                url: t.url.clone(),
            })
            .collect(),
        config
            .menu_max
            .unwrap_or(crate::render::views::MENU_MAX)
            .max(1),
    );
    SiteView {
        title: config.title.clone(),
        base_url: config.base_url.clone(),
        language: config.language.clone(),
        params: config.params.clone(),
        main_menu,
        menus: lib
            .menus
            .iter()
            .map(|(k, v)| (k.clone(), MenuItemView::from_entries(v)))
            .collect(),
        taxonomies,
        menu_more,
        search: search_view(config, lib, ui, &edition.prefix()),
        home_url: format!("{}/", edition.prefix()),
        latest_reports: {
            use crate::render::views::ReportCardView;
            let words = crate::i18n::report_words::words(&config.language);
            let card = |title: &str, l: &crate::reports::index::IndexEntry, note| ReportCardView {
                title: format!("{title} {}", l.label),
                url: l.url.clone(),
                in_progress: note,
            };
            // The latest finished periods first, then those still being counted.
            let finished = (reports.latest.iter())
                .filter_map(|k| Some(card(k.title, k.latest_complete.as_ref()?, None)));
            let counting = (reports.latest.iter()).filter_map(|k| {
                let l = k.latest.as_ref().filter(|l| !l.complete)?;
                Some(card(k.title, l, Some(words.incomplete)))
            });
            finished.chain(counting).collect()
        },
        latest_release: None,
    }
}

/// The header's search box and the search page's filters (section, then each taxonomy in use).
pub(super) fn search_view(
    config: &SiteConfig,
    lib: &Library,
    ui: &UiStrings,
    prefix: &str,
) -> Option<crate::render::views::SearchView> {
    use crate::render::views::{FilterView, SearchView};
    if !config.search {
        return None;
    }
    let section = FilterView {
        name: "section".into(),
        label: ui.search_section.into(),
    };
    let taxonomies = lib
        .taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .map(|t| FilterView {
            name: t.name.clone(),
            label: ui.taxonomy_label(&t.name),
        });
    Some(SearchView {
        url: crate::search::search_page(prefix),
        filters: std::iter::once(section).chain(taxonomies).collect(),
    })
}

/// What the HTML stage made: the files, the navigation fragments they were made with (None when
/// the navigation template failed) and the report pages' bodies for the search index.
pub(super) struct Html {
    pub files: Vec<OutputFile>,
    pub navs: Option<NavFragments>,
    pub report_bodies: Vec<crate::reports::ReportBody>,
    /// Each content and report page's output path (and each report download's) and the key it
    /// was rendered from (when the run was offered earlier renders), for the next build.
    pub render_keys: Vec<(String, RenderKey)>,
}

/// Every HTML file: content pages, taxonomy pages, 404, alias redirects and report pages.
/// Content and report pages whose inputs are those of a page in `previous` are kept instead of
/// rendered.
pub(super) fn render_html(
    built: &Built,
    previous: Option<&PreviousRenders>,
    inputs: &[&[u8]],
    diags: &mut Diagnostics,
) -> Html {
    with_renderer(built, |renderer| {
        let mut html = Html {
            files: Vec::new(),
            navs: None,
            report_bodies: Vec::new(),
            render_keys: Vec::new(),
        };
        match renderer.nav_fragments() {
            Ok(navs) => {
                let reuse = previous.map(|p| Reuse::new(renderer, inputs, p));
                let reports =
                    renderer.report_pages(&built.report_pages, navs.home(), reuse.as_ref());
                html.render_keys.extend(reports.keys);
                for r in renderer.content_pages_reusing(&navs, &|_| true, reuse.as_ref()) {
                    match r {
                        Ok((f, key)) => {
                            if let Some(k) = key {
                                html.render_keys.push((f.path.clone(), k));
                            }
                            html.files.push(f);
                        }
                        Err(d) => diags.push(d),
                    }
                }
                let mut results = renderer.taxonomy_pages(navs.home(), &|_, _| true);
                results.extend(renderer.extra_pages(navs.home()));
                results.extend(reports.files);
                for r in results {
                    match r {
                        Ok(f) => html.files.push(f),
                        Err(d) => diags.push(d),
                    }
                }
                html.navs = Some(navs);
                html.report_bodies = reports.bodies;
            }
            Err(d) => diags.push(d),
        }
        html
    })
}

/// Site paths of the taxonomy list and term pages, for the sitemap.
/// The list pages only where `taxonomy_lists` writes them.
pub(super) fn taxonomy_urls(lib: &Library, lists: bool) -> Vec<String> {
    lib.taxonomies
        .iter()
        .filter(|t| !t.terms.is_empty())
        .flat_map(|t| {
            let list = lists.then(|| t.url.clone());
            list.into_iter()
                .chain(t.terms.iter().map(|x| x.url.clone()))
        })
        .collect()
}

/// Theme and site static files (the site's win), and the content folder's other files where
/// the library placed them.
pub(super) fn assets(
    sources: &SiteSources,
    content: &ContentSources,
    lib: &Library,
) -> Vec<OutputFile> {
    let mut by_path: BTreeMap<String, (AssetSource, PathBuf)> = BTreeMap::new();
    for (path, src) in &sources.theme.static_files {
        by_path.insert(
            path.clone(),
            (
                src.clone(),
                PathBuf::from(SiteFolder::Themes.name())
                    .join(&sources.config.theme)
                    .join(SiteFolder::Static.name())
                    .join(path),
            ),
        );
    }
    // The theme's search script goes with the search page (a site's own file of that name stays).
    if !sources.config.search {
        by_path.remove(crate::search::SEARCH_SCRIPT);
    }
    for (path, file) in &sources.static_files {
        by_path.insert(
            path.clone(),
            (
                AssetSource::Disk(file.clone()),
                PathBuf::from(SiteFolder::Static.name()).join(path),
            ),
        );
    }
    let mut out: Vec<OutputFile> = by_path
        .into_iter()
        .map(|(p, (src, origin))| OutputFile::asset(p, src, origin))
        .collect();
    out.extend(content_assets(sources, content, lib));
    out
}

/// The content folder's files that are not Markdown, where the library placed them.
pub(super) fn content_assets(
    sources: &SiteSources,
    content: &ContentSources,
    lib: &Library,
) -> Vec<OutputFile> {
    let folder = sources.root.join(content.shown_dir());
    lib.assets
        .iter()
        .map(|asset| {
            let source = match content.asset_bytes.get(&asset.source) {
                Some(bytes) => AssetSource::Shared(Arc::clone(bytes)),
                None => AssetSource::Disk(sources.reader.file(folder.join(&asset.source))),
            };
            OutputFile::asset(
                asset.path.trim_start_matches('/').to_string(),
                source,
                content.shown_dir().join(&asset.source),
            )
        })
        .collect()
}

/// The theme's templates with the figure functions registered; their errors go to `diags`.
pub(super) fn compile_templates(
    sources: &SiteSources,
    config: &SiteConfig,
    report_set: &Option<Arc<crate::reports::ReportSet>>,
    diags: &mut Diagnostics,
) -> Option<Arc<Templates>> {
    match (sources.parsed_templates).get(&sources.theme, &config.markdown) {
        Ok(mut t) => {
            register_functions(&mut t, figure_data(sources, config, report_set));
            Some(Arc::new(t))
        }
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}

/// A menu of site.yaml that nothing shows: the theme shows `main`, and a site's own templates
/// show the menus they read by name (`site.menus.footer`). A misspelt `mian:` built the site
/// with no menu and said nothing; it is now an error, and a menu nothing shows a warning.
pub(super) fn unshown_menus(
    config_text: &str,
    menus: &std::collections::BTreeMap<String, Vec<crate::config::MenuEntryConfig>>,
    templates: &Templates,
    diags: &mut Diagnostics,
) {
    use crate::config::keys::{closest, config_location, Step};
    // A template that reads the whole map, or a menu by a computed name, may show any.
    let Some(mut shown) = crate::render::template_calls::menus_read(&templates.tera) else {
        return;
    };
    shown.insert(MAIN_MENU.to_string());
    for name in menus.keys().filter(|name| !shown.contains(*name)) {
        let meant = closest(name, shown.iter().map(String::as_str));
        let path = [Step::Key("menus".into()), Step::Key(name.clone())];
        let at = config_location(config_text, &path);
        let said = format!("menus.{name}: no template shows a menu named `{name}` (the theme shows `{MAIN_MENU}`, and a site's own template shows the ones it reads, `site.menus.<name>`)");
        // A few letters from a menu that is shown: a misspelling, an error as a misspelt key
        // is; any other name is a warning (a menu kept for later).
        diags.push(match meant {
            Some(c) => crate::error::Diagnostic::error(
                crate::error::Code::Config,
                at,
                format!("{said}; did you mean `{c}`?"),
            ),
            None => crate::error::Diagnostic::warning(crate::error::Code::Config, at, said),
        });
    }
}

/// What the figure shortcodes and functions read.
pub(super) fn figure_data(
    sources: &SiteSources,
    config: &SiteConfig,
    report_set: &Option<Arc<crate::reports::ReportSet>>,
) -> FigureData {
    FigureData {
        set: report_set.clone(),
        has_data: sources.data.is_some(),
        language: config.language.clone(),
        labels: config.labels.clone(),
        escalation: Default::default(),
        as_of: 0,
    }
}

/// Run `f` with the page renderer of a build whose templates compiled.
pub fn with_renderer<R>(built: &Built, f: impl FnOnce(&PageRenderer) -> R) -> R {
    let config = &built.config;
    let url_mode = url_mode(config);
    let templates = built
        .templates
        .as_ref()
        .expect("the HTML stage runs only with compiled templates");
    let renderer = PageRenderer {
        env: ViewEnv {
            lib: &built.lib,
            rendered: &built.rendered,
            config,
            ui: UiStrings::for_language(&config.language),
            words: &built.words,
            now: built.opts.now,
            publications: &built.publications,
            nav_trails: config.nav.trails(),
        },
        templates,
        site: &built.site_view,
        url_mode: &url_mode,
        switcher: built.switcher.as_ref(),
        languages: built.languages.as_ref(),
    };
    f(&renderer)
}

/// How site paths are written in this build's HTML.
pub fn url_mode(config: &SiteConfig) -> UrlMode {
    if config.relative_urls {
        UrlMode::Relative
    } else {
        UrlMode::Absolute {
            base_path: config.base_path(),
        }
    }
}
