//! The build of a site with `versions:` or `languages:`: every version of every language is an
//! edition of the content that goes through `build_edition`, in parallel (the default language's
//! latest version with the site-wide files; older versions under `/v/<name>/`, other languages
//! under `/<code>/`), sharing the exports' figures, the highlight cache and, per language, the
//! templates. All editions are assembled before any is rendered, so each page's version and
//! language switchers are computed before the page is rendered; then their files are merged,
//! a bilingual site's sitemap is written with every language's pages, and links are checked
//! across all of them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::output_clash::duplicate_outputs;
use super::stages::{compile_templates, sitemap_extra_urls};
use super::{
    assemble_edition, build_edition, check_links, feeds, Assembled, BuildOptions, Built, Edition,
    EditionInput, Run, Shared,
};
use crate::config::languages::Language;
use crate::config::SiteConfig;
use crate::content::source::ContentSources;
use crate::error::Diagnostics;
use crate::site::progress::Progress;

/// One edition of the grid: a language (None: the site has one) and a version (0: the latest).
struct Cell<'a> {
    language: Option<usize>,
    version: usize,
    content: &'a ContentSources,
}

/// What a grid build is made of: the languages (empty: one), the versions (empty: one), each
/// language's configuration (one without languages), and each version's content cut into each
/// language's (`contents[version][language]`).
pub struct Grid<'a> {
    pub languages: Vec<Language>,
    pub versions: &'a [crate::config::versions::Version],
    pub configs: Vec<SiteConfig>,
    pub contents: Vec<Vec<&'a ContentSources>>,
}

/// The site's versions and languages.
pub fn build(run: Run, config: SiteConfig, shared: Shared, mut diags: Diagnostics) -> Built {
    let sources = run.sources;
    let languages = config.languages();
    let by_version: Vec<&ContentSources> = std::iter::once(&sources.content)
        .chain(sources.older_versions.iter().map(|v| &v.content))
        .collect();
    let split = split_versions(&by_version, &languages, &mut diags);
    let contents = if languages.is_empty() {
        by_version.iter().map(|c| vec![*c]).collect()
    } else {
        split.iter().map(|parts| parts.iter().collect()).collect()
    };
    let configs = language_configs(&config, &languages);
    let grid = Grid {
        languages,
        versions: &sources.versions,
        configs,
        contents,
    };
    build_grid(run, &grid, shared, diags)
}

/// Each version's content cut into each language's (nothing without languages).
pub fn split_versions(
    by_version: &[&ContentSources],
    languages: &[Language],
    diags: &mut Diagnostics,
) -> Vec<Vec<ContentSources>> {
    if languages.is_empty() {
        return Vec::new();
    }
    by_version
        .iter()
        .map(|c| {
            let (parts, d) = crate::languages::split(c, languages);
            diags.extend(d);
            parts
        })
        .collect()
}

/// Each language's configuration (the site's alone without languages).
pub fn language_configs(config: &SiteConfig, languages: &[Language]) -> Vec<SiteConfig> {
    if languages.is_empty() {
        return vec![config.clone()];
    }
    (0..languages.len())
        .map(|l| config.for_language(languages, l))
        .collect()
}

/// Every cell of the grid through the pipeline, merged into one build.
pub fn build_grid(run: Run, grid: &Grid, shared: Shared, mut diags: Diagnostics) -> Built {
    let sources = run.sources;
    let languages = &grid.languages;
    let versions = grid.versions;
    let configs = &grid.configs;
    let config = &configs[0];
    let cells: Vec<Cell> = (0..configs.len())
        .flat_map(|l| (0..grid.contents.len()).map(move |v| (l, v)))
        .map(|(l, v)| Cell {
            language: (!languages.is_empty()).then_some(l),
            version: v,
            content: grid.contents[v][l],
        })
        .collect();
    let editions: Vec<Edition> = cells
        .iter()
        .map(|c| Edition {
            content: c.content,
            versions: (versions.len() > 1).then_some((versions, c.version)),
            language: c.language.map(|l| (languages.as_slice(), l)),
        })
        .collect();
    let config_of = |c: &Cell| &configs[c.language.unwrap_or(0)];
    // Every edition assembled first: the switchers need each one's pages before rendering.
    let quiet = Progress::default();
    let mut assembled: Vec<Assembled> = (editions.par_iter().zip(&cells))
        .enumerate()
        .map(|(i, (e, c))| {
            let progress = if i == 0 { run.progress } else { &quiet };
            assemble_edition(sources, e, config_of(c), run.opts, progress)
        })
        .collect();
    let per_language = language_shares(sources, languages, &shared, configs);
    version_switchers(&mut assembled, &cells, versions, configs, languages);
    let reports: Vec<Option<Arc<crate::reports::ReportSet>>> =
        per_language.iter().map(|s| s.report_set.clone()).collect();
    let language_pages = language_switchers(&mut assembled, &cells, languages, config, &reports);
    if !languages.is_empty() {
        link_languages(&mut assembled, &cells, languages, &mut diags);
    }

    let inputs = (cells.iter().zip(assembled))
        .enumerate()
        .map(|(i, (cell, a))| {
            let language_shared = &per_language[cell.language.unwrap_or(0)];
            // The first edition (the default language's latest) carries what the whole run
            // found so far, and the periods it froze.
            let first = i == 0;
            EditionInput {
                assembled: a,
                config: config_of(cell).clone(),
                shared: Shared {
                    new_snapshots: if first {
                        shared.new_snapshots.clone()
                    } else {
                        Vec::new()
                    },
                    ..language_shared.clone()
                },
                diags: if first {
                    std::mem::take(&mut diags)
                } else {
                    Diagnostics::default()
                },
                // Versions and languages share one folder: their pages are never kept one by one.
                previous: None,
            }
        })
        .collect();
    let mut built = build_editions(run, &editions, inputs);
    let sitemap = language_pages.as_ref().map(|pages| {
        let latest: Vec<(usize, &Built)> = (cells.iter().zip(&built))
            .filter(|(c, _)| c.version == 0)
            .map(|(c, b)| (c.language.unwrap_or(0), b))
            .collect();
        bilingual_sitemap(config, &latest, &pages[0])
    });
    let others = built.split_off(1);
    let mut main = built.pop().expect("the default language's latest version");
    main.files.extend(sitemap);
    merge(&mut main, others, run.opts);
    main
}

/// Every edition through the rest of the pipeline in parallel, the first showing progress.
fn build_editions(run: Run, editions: &[Edition], inputs: Vec<EditionInput>) -> Vec<Built> {
    let quiet = Progress::default();
    inputs
        .into_par_iter()
        .enumerate()
        .map(|(i, input)| {
            let run = if i == 0 {
                run
            } else {
                Run {
                    progress: &quiet,
                    ..run
                }
            };
            build_edition(run, &editions[i], input)
        })
        .collect()
}

/// What each language's editions share: the default language's templates and figures, and for
/// each other language templates compiled with its words and the figures at its addresses
/// (computed once, moved).
fn language_shares(
    sources: &super::SiteSources,
    languages: &[Language],
    shared: &Shared,
    configs: &[SiteConfig],
) -> Vec<Shared> {
    let mut out = vec![shared.clone()];
    for (l, lang) in languages.iter().enumerate().skip(1) {
        let report_set = (shared.report_set.as_ref()).map(|s| Arc::new(s.relocated(&lang.prefix)));
        // The templates' problems are the default language's, reported once.
        let mut reported = Diagnostics::default();
        let templates = shared
            .templates
            .as_ref()
            .and_then(|_| compile_templates(sources, &configs[l], &report_set, &mut reported));
        out.push(Shared {
            report_set,
            templates,
            ..shared.clone()
        });
    }
    out
}

/// Each language's version switchers, from its versions' pages.
fn version_switchers(
    assembled: &mut [Assembled],
    cells: &[Cell],
    versions: &[crate::config::versions::Version],
    configs: &[SiteConfig],
    languages: &[Language],
) {
    if versions.len() < 2 {
        return;
    }
    for (l, config) in configs.iter().enumerate() {
        let group: Vec<usize> = (0..cells.len())
            .filter(|&i| cells[i].language.unwrap_or(0) == l)
            .collect();
        let pages = group
            .iter()
            .map(|&i| crate::versions::published_pages(&assembled[i].lib, config.search))
            .collect();
        let prefix = languages.get(l).map_or("", |x| x.prefix.as_str());
        let pages = Arc::new(crate::versions::VersionPages::new(
            versions,
            pages,
            &config.language,
            prefix,
        ));
        for &i in &group {
            assembled[i].switcher = Some(crate::versions::Switcher {
                pages: pages.clone(),
                current: cells[i].version,
            });
        }
    }
}

/// Each version's language switchers, from its languages' pages (their report pages included);
/// the latest version's pages by language, for the sitemap. None: the site has one language.
fn language_switchers(
    assembled: &mut [Assembled],
    cells: &[Cell],
    languages: &[Language],
    config: &SiteConfig,
    reports: &[Option<Arc<crate::reports::ReportSet>>],
) -> Option<Vec<Arc<crate::languages::LanguagePages>>> {
    if languages.len() < 2 {
        return None;
    }
    let versions = cells.iter().map(|c| c.version).max().unwrap_or(0) + 1;
    let mut out = Vec::new();
    for v in 0..versions {
        let group: Vec<usize> = (0..cells.len())
            .filter(|&i| cells[i].version == v)
            .collect();
        let mut extra = Vec::new();
        let mut folders = Vec::new();
        for &i in &group {
            let l = cells[i].language.unwrap_or(0);
            let lib = &assembled[i].lib;
            let mut published = crate::versions::published_pages(lib, config.search);
            if v == 0 {
                if let Some(set) = &reports[l] {
                    published.extend(report_paths(set));
                }
            }
            extra.push(published);
            let version_prefix = lib.url_prefix.strip_prefix(languages[l].prefix.as_str());
            folders.push(crate::languages::folder(
                &languages[l],
                version_prefix.unwrap_or(""),
            ));
        }
        let libs: Vec<&crate::content::Library> =
            group.iter().map(|&i| &assembled[i].lib).collect();
        let pages = Arc::new(crate::languages::LanguagePages::new(
            languages,
            &libs,
            extra,
            folders,
            &config.base_url,
        ));
        for &i in &group {
            assembled[i].languages = Some(crate::languages::Switcher {
                pages: pages.clone(),
                current: cells[i].language.unwrap_or(0),
            });
        }
        out.push(pages);
    }
    Some(out)
}

/// Each library learns its other languages' files (of the same version), for links written to
/// them; two pages of one language sharing a `translationKey` are a warning at the second.
fn link_languages(
    assembled: &mut [Assembled],
    cells: &[Cell],
    languages: &[Language],
    diags: &mut Diagnostics,
) {
    for a in assembled.iter() {
        let mut seen: HashMap<&str, &std::path::Path> = HashMap::new();
        for p in a.lib.pages.iter().filter(|p| !p.front.not_rendered) {
            let Some(key) = &p.front.translation_key else {
                continue;
            };
            if let Some(first) = seen.insert(key, &p.source) {
                diags.push(crate::error::Diagnostic::warning(
                    crate::error::Code::Content,
                    crate::error::Location::file(&p.source),
                    format!(
                        "translationKey `{key}` is also {}'s, in the same language: its translations link to one of the two; give each page its own key",
                        first.display()
                    ),
                ));
            }
        }
    }
    // Each library's pages a link may name: (file as on disk, path in its content, URL).
    type Linked = Vec<(std::path::PathBuf, std::path::PathBuf, String)>;
    let linked: Vec<Linked> = (assembled.iter())
        .map(|a| {
            (a.lib.pages.iter())
                .filter(|p| !p.front.not_rendered && !p.rel_path.as_os_str().is_empty())
                .map(|p| (p.source.clone(), p.rel_path.clone(), p.url.clone()))
                .collect()
        })
        .collect();
    for (i, a) in assembled.iter_mut().enumerate() {
        for (j, other) in linked.iter().enumerate() {
            if j == i || cells[j].version != cells[i].version {
                continue;
            }
            let by_file = other.iter().map(|(f, _, u)| (f.clone(), u.clone()));
            a.lib.other_languages.extend(by_file);
            if let Some(l) = cells[j].language.and_then(|l| languages.get(l)) {
                let by_path = other.iter().map(|(_, r, u)| (r.clone(), u.clone()));
                a.lib
                    .language_files
                    .insert(l.code.clone(), by_path.collect());
            }
        }
    }
}

/// Output paths of a report set's pages: each period's and each kind's index.
fn report_paths(set: &crate::reports::ReportSet) -> HashSet<String> {
    use crate::kpi::period::PeriodKind;
    let mut out = HashSet::new();
    for kind in [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter] {
        for p in set.published(kind) {
            out.insert(crate::content::urls::output_path(&p.url));
        }
        if let Some(pattern) = set.urls_for(kind) {
            let index = crate::reports::index::index_url(pattern);
            out.insert(crate::content::urls::output_path(&index));
        }
    }
    if let Some(o) = crate::reports::index::overview(set, "en") {
        out.insert(crate::content::urls::output_path(&o.url));
    }
    if let Some(board) = &set.status {
        out.insert(crate::content::urls::output_path(&board.url));
    }
    out
}

/// One `sitemap.xml` for every language's pages (of the latest version), each with its
/// translations as alternates.
fn bilingual_sitemap(
    config: &SiteConfig,
    latest: &[(usize, &Built)],
    pages: &crate::languages::LanguagePages,
) -> super::OutputFile {
    let mut entries = Vec::new();
    let mut alternates: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for &(l, b) in latest {
        for (url, lastmod) in feeds::sitemap_entries(&b.lib, &sitemap_extra_urls(b)) {
            let output_path = crate::content::urls::output_path(&url);
            let alts = pages.alternates(l, &output_path);
            if alts.len() > 1 {
                alternates.insert(url.clone(), alts);
            }
            entries.push((url, lastmod));
        }
    }
    feeds::sitemap(config, entries, &|url: &str| {
        alternates.get(url).cloned().unwrap_or_default()
    })
}

/// The other editions' files, problems and counts into the first's `Built`, and links checked
/// across all of them.
fn merge(built: &mut Built, mut others: Vec<Built>, opts: &BuildOptions) {
    let mut files = std::mem::take(&mut built.files);
    for o in &mut others {
        files.append(&mut o.files);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = std::mem::take(&mut built.stage_diags);
    diags.extend(duplicate_outputs(&files));
    let editions: Vec<(&crate::content::Library, &[crate::markdown::Rendered])> =
        std::iter::once((&built.lib, built.rendered.as_slice()))
            .chain(others.iter().map(|o| (&o.lib, o.rendered.as_slice())))
            .collect();
    let link_diags = check_links(&editions, &files, opts, false);
    for o in others {
        let unknown = o
            .rendered
            .iter()
            .flat_map(|r| r.unknown_shortcodes.iter().cloned());
        built.unknown_elsewhere.extend(unknown);
        diags.extend(super::bodies::problems(
            &o.lib,
            &o.rendered,
            &o.publications.blocked,
            opts.damage_is_error,
        ));
        diags.extend(o.stage_diags);
        for (url, uses) in o.external_links {
            let all = built.external_links.entry(url).or_default();
            all.extend(uses);
            all.sort();
        }
        built.stats.pages += o.stats.pages;
        built.stats.sections += o.stats.sections;
        built.stats.reports += o.stats.reports;
        built.stats.searchable += o.stats.searchable;
        built.search_shards.shards.extend(o.search_shards.shards);
    }
    let (hits, misses) = built.cache.stats();
    built.stats.highlight_hits = hits;
    built.stats.highlight_misses = misses;
    built.stats.files = files.len();
    built.files = files;
    built.link_diags = link_diags;
    built.stage_diags = diags;
}
