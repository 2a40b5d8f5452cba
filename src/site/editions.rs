//! Customer editions: the same pipeline run once more per customer of `customers:`, with other
//! inputs. The content is cut down to the files marked for that customer (`audience`), the
//! configuration points at the edition's own address, and the reports are computed on that
//! customer's tickets alone. Nothing is removed from finished pages: what an edition must not
//! hold never enters its pipeline.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub use super::customer_files::home_in_content;
pub use super::customer_files::ALL_CUSTOMERS;
use super::customer_files::{commentary_files, marked_for, raw_audience};
use super::stages::compile_templates;
use super::{
    assemble_edition, build_edition, effective_config, Built, Edition, EditionInput, Run, Shared,
};
use crate::config::customers::CustomerConfig;
use crate::config::SiteConfig;
use crate::content::page::RawPage;
use crate::content::source::ContentSources;
use crate::content::Library;
use crate::error::{Code, Diagnostic, Diagnostics, Location};
use crate::markdown::HighlightCache;
use crate::reports::ReportSet;

/// How many editions are built at once, so that one edition's single-threaded stages (its
/// search index, its data) overlap another's rendering. On 2 cores, 100 editions: one at a time
/// 31.8 s, two 29.7 s, three 28.1 s, four 28.5 s; each one more holds about 20 MB more.
const AT_A_TIME: usize = 3;

/// One edition built: which customer, and every stage's value.
pub struct BuiltEdition {
    pub customer: CustomerConfig,
    pub built: Built,
}

/// What `build_all` gives the editions: the content files each one holds (relative to
/// `content/`) and the problems of choosing them (an `audience` naming no customer).
pub struct Selection {
    pub files: BTreeMap<String, BTreeSet<PathBuf>>,
    pub diags: Vec<Diagnostic>,
}

/// What became of one edition of a build.
pub enum Made<T> {
    /// Built, and handed over.
    Built(T),
    /// Not built: its last build stands (`Unchanged`).
    Unchanged(CustomerConfig),
}

/// Whether a customer's edition as last built stands for this build: asked with the customer
/// and what its figures are computed from (`ReportSet::inputs`), before any of its work.
pub type Unchanged<'a> = &'a (dyn Fn(&CustomerConfig, &str) -> bool + Sync);

/// The editions of `customers:` (only `only`'s when given), each through the whole pipeline
/// and handed to `hand_over` as soon as it is built (which keeps what its caller needs of it),
/// but those `unchanged` says stand as last built.
/// The content is parsed once more here to read every page's `audience` after cascade.
pub fn build<T: Send>(
    run: Run,
    only: Option<&str>,
    internal: Option<Arc<ReportSet>>,
    unchanged: Unchanged,
    hand_over: impl Fn(BuiltEdition) -> T + Sync,
) -> (Vec<Made<T>>, Diagnostics) {
    let sources = run.sources;
    let config = effective_config(sources, run.opts);
    let mut diags = Diagnostics::default();
    // The customers' reports come with the internal site's; computed here when it is not built.
    let reports = internal.or_else(|| {
        let as_of = run.opts.now.timestamp();
        super::reports::compute(sources, &config, as_of, &mut diags).map(Arc::new)
    });
    // Read once for every edition; the internal site reports the routes' mistakes.
    let routes = super::escalation::routes(sources, &config, &mut Diagnostics::default());
    let internal = Internal { reports, routes };
    let cache = Arc::new(HighlightCache::from_previous(
        sources.highlight_cache.clone(),
    ));
    let languages = config.languages();
    if !languages.is_empty() {
        let out = bilingual(
            run, only, &internal, &config, &languages, &cache, &mut diags,
        );
        // Never unchanged: a site of more than one language always builds whole.
        let made = out.into_iter().map(|e| Made::Built(hand_over(e)));
        return (made.collect(), diags);
    }
    let whole = Edition {
        content: &sources.content,
        versions: None,
        language: None,
    };
    let full = assemble_edition(sources, &whole, &config, run.opts, run.progress);
    let selection = select(
        &full.lib,
        &full.commentary,
        &config.customers,
        &sources.content,
    );
    diags.extend(selection.diags.iter().cloned());
    let chosen: Vec<&CustomerConfig> = (config.customers.iter())
        .filter(|c| only.is_none_or(|o| o == c.slug))
        .collect();
    let one = |customer: &&CustomerConfig| {
        let customer = *customer;
        let figures = (internal.reports.as_ref())
            .and_then(|set| set.customers.iter().find(|c| c.slug == customer.slug))
            .and_then(|c| c.set.inputs.as_deref());
        if figures.is_some_and(|f| unchanged(customer, f)) {
            return Made::Unchanged(customer.clone());
        }
        let started = Instant::now();
        let mut edition_diags = Diagnostics::default();
        let keep = &selection.files[&customer.slug];
        let content = content_for(&sources.content, &full.lib, keep);
        let edition_config =
            preview_address(run, &config, config_for(&config, customer, &full.lib, keep));
        let own_base = edition_config.base_url.clone();
        let shared = customer_shared(
            run,
            customer,
            &internal,
            &edition_config,
            &cache,
            &mut edition_diags,
        );
        let shared = Shared {
            data_time: started.elapsed(),
            ..shared
        };
        let edition = Edition {
            content: &content,
            versions: None,
            language: None,
        };
        let assembled =
            assemble_edition(sources, &edition, &edition_config, run.opts, run.progress);
        let input = EditionInput {
            assembled,
            config: edition_config,
            shared,
            diags: edition_diags,
            previous: sources.edition_renders.get(&customer.slug),
        };
        let mut built = build_edition(run, &edition, input);
        let found = super::edition_addresses::foreign_addresses(
            &built.files,
            &config,
            &customer.slug,
            &own_base,
        );
        built.stage_diags.extend(found);
        Made::Built(hand_over(BuiltEdition {
            customer: customer.clone(),
            built,
        }))
    };
    (crate::few_at_a_time::map(&chosen, AT_A_TIME, one), diags)
}

/// The preview of one edition is served at the preview's own address.
fn preview_address(run: Run, config: &SiteConfig, mut edition: SiteConfig) -> SiteConfig {
    if run.opts.edition.is_some() && run.opts.base_url.is_some() {
        edition.base_url = config.base_url.clone();
    }
    edition
}

/// What the internal site has that each edition takes its own part of.
struct Internal {
    reports: Option<Arc<ReportSet>>,
    routes: crate::escalation::SiteRoutes,
}

/// What an edition's pipeline shares: the customer's own figures and templates compiled for
/// its configuration.
fn customer_shared(
    run: Run,
    customer: &CustomerConfig,
    internal: &Internal,
    edition_config: &SiteConfig,
    cache: &Arc<HighlightCache>,
    diags: &mut Diagnostics,
) -> Shared {
    let report_set = (internal.reports.as_ref())
        .and_then(|set| set.customers.iter().find(|c| c.slug == customer.slug))
        .map(|c| Arc::clone(&c.set));
    let templates = compile_templates(run.sources, edition_config, &report_set, diags);
    let escalation = (internal.routes).for_edition(customer.services.as_deref());
    Shared {
        report_set,
        escalation,
        new_snapshots: Vec::new(),
        cache: Arc::clone(cache),
        templates,
        data_time: Default::default(),
    }
}

/// The editions of a bilingual site: each language's content is cut for the customer as the
/// site's is, and the customer's languages are built together (switchers, one sitemap).
fn bilingual(
    run: Run,
    only: Option<&str>,
    internal: &Internal,
    config: &SiteConfig,
    languages: &[crate::config::languages::Language],
    cache: &Arc<HighlightCache>,
    diags: &mut Diagnostics,
) -> Vec<BuiltEdition> {
    use super::languages::{build_grid, language_configs, split_versions, Grid};
    let sources = run.sources;
    // The cutting's problems are the internal site's, reported there.
    let parts = split_versions(&[&sources.content], languages, &mut Diagnostics::default());
    let parts = &parts[0];
    let configs = language_configs(config, languages);
    let fulls: Vec<super::Assembled> = (0..languages.len())
        .map(|l| {
            let whole = Edition {
                content: &parts[l],
                versions: None,
                language: Some((languages, l)),
            };
            assemble_edition(sources, &whole, &configs[l], run.opts, run.progress)
        })
        .collect();
    let selections: Vec<Selection> = (0..languages.len())
        .map(|l| {
            select(
                &fulls[l].lib,
                &fulls[l].commentary,
                &config.customers,
                &parts[l],
            )
        })
        .collect();
    for s in &selections {
        diags.extend(s.diags.iter().cloned());
    }
    let mut out = Vec::new();
    for customer in config.customers.iter() {
        if only.is_some_and(|o| o != customer.slug) {
            continue;
        }
        let mut edition_diags = Diagnostics::default();
        let keeps: Vec<&BTreeSet<PathBuf>> = selections
            .iter()
            .map(|s| &s.files[&customer.slug])
            .collect();
        let contents: Vec<ContentSources> = (0..languages.len())
            .map(|l| content_for(&parts[l], &fulls[l].lib, keeps[l]))
            .collect();
        let edition_configs: Vec<SiteConfig> = (0..languages.len())
            .map(|l| {
                let c = config_for(&configs[l], customer, &fulls[l].lib, keeps[l]);
                preview_address(run, config, c)
            })
            .collect();
        let own_base = edition_configs[0].base_url.clone();
        let shared = customer_shared(
            run,
            customer,
            internal,
            &edition_configs[0],
            cache,
            &mut edition_diags,
        );
        let grid = Grid {
            languages: languages.to_vec(),
            versions: &[],
            configs: edition_configs,
            contents: vec![contents.iter().collect()],
        };
        let mut built = build_grid(run, &grid, shared, edition_diags);
        let found = super::edition_addresses::foreign_addresses(
            &built.files,
            config,
            &customer.slug,
            &own_base,
        );
        built.stage_diags.extend(found);
        out.push(BuiltEdition {
            customer: customer.clone(),
            built,
        });
    }
    out
}

/// Each edition's content files, from every page's `audience` after cascade. A word that is
/// neither `customers` nor a customer's slug is warned about at its page: a typo there would
/// quietly keep a page from the customer it was meant for.
pub fn select(
    lib: &Library,
    commentary: &[RawPage],
    customers: &[CustomerConfig],
    content: &ContentSources,
) -> Selection {
    let slugs: Vec<&str> = customers.iter().map(|c| c.slug.as_str()).collect();
    let mut files: BTreeMap<String, BTreeSet<PathBuf>> = slugs
        .iter()
        .map(|s| (s.to_string(), BTreeSet::new()))
        .collect();
    let mut diags = Vec::new();
    let pages = lib
        .pages
        .iter()
        .filter(|p| !p.rel_path.as_os_str().is_empty());
    // A customer's own commentary goes to its edition alone, and keeps the internal commentary
    // of the same period out of it (whatever that one's `audience`).
    let period_of = |rel: &std::path::Path| -> Option<String> {
        let (kind, customer) = crate::reports::commentary::place_of(rel)?;
        let named = match customer {
            Some(_) => rel.parent()?.file_name()?,
            None => rel.file_stem()?,
        };
        Some(format!(
            "{kind:?}/{}",
            named.to_string_lossy().to_uppercase()
        ))
    };
    // A customer's home text goes to its edition alone (`home_problems` refused the others).
    for c in customers {
        if let (Some(home), Some(set)) = (&c.home, files.get_mut(&c.slug)) {
            set.insert(
                home.strip_prefix(&lib.source_dir)
                    .unwrap_or(home)
                    .to_path_buf(),
            );
        }
    }
    // The files a commentary shows (its pictures) go where it goes.
    let shown: BTreeMap<&std::path::Path, Vec<PathBuf>> = (commentary.iter())
        .map(|r| (r.rel_path.as_path(), commentary_files(r, &content.assets)))
        .collect();
    let mut own_commentary: BTreeSet<(String, String)> = BTreeSet::new();
    for r in commentary {
        if let Some((_, Some(slug))) = crate::reports::commentary::place_of(&r.rel_path) {
            if let (Some(set), Some(period)) = (files.get_mut(slug), period_of(&r.rel_path)) {
                set.insert(r.rel_path.clone());
                set.extend(shown[r.rel_path.as_path()].iter().cloned());
                own_commentary.insert((slug.to_string(), period));
            }
        }
    }
    diags.extend(super::customer_files::shown_by_two_customers(
        commentary,
        &shown,
        &lib.source_dir,
    ));
    let commentary: Vec<&RawPage> = (commentary.iter())
        .filter(|r| {
            !matches!(
                crate::reports::commentary::place_of(&r.rel_path),
                Some((_, Some(_)))
            )
        })
        .collect();
    let marked = pages
        .map(|p| {
            (
                p.rel_path.clone(),
                p.source.clone(),
                p.front.audience.clone(),
            )
        })
        .chain(commentary.iter().map(|r| {
            let source = lib.source_dir.join(&r.rel_path);
            (r.rel_path.clone(), source, Some(raw_audience(r)))
        }));
    for (rel, source, audience) in marked {
        let Some(audience) = audience else { continue };
        for word in &audience {
            if word != ALL_CUSTOMERS && !slugs.contains(&word.as_str()) {
                let known = std::iter::once(ALL_CUSTOMERS).chain(slugs.iter().copied());
                let hint = crate::config::keys::closest(word, known)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                diags.push(Diagnostic::warning(
                    Code::Content,
                    audience_location(content, &rel, &source),
                    format!("audience: `{word}` is not `customers` or the slug of a customer in site.yaml{hint}; no edition gets the page for it"),
                ));
            }
        }
        for slug in &slugs {
            let has_own =
                (period_of(&rel)).is_some_and(|p| own_commentary.contains(&(slug.to_string(), p)));
            if marked_for(&audience, slug) && !has_own {
                let set = files.get_mut(*slug).expect("every slug");
                set.insert(rel.clone());
                set.extend(shown.get(rel.as_path()).into_iter().flatten().cloned());
            }
        }
    }
    Selection { files, diags }
}

/// Where a page writes its own `audience` (line and column), else the page (the word came by
/// cascade from a section above it).
fn audience_location(
    content: &ContentSources,
    rel: &std::path::Path,
    source: &std::path::Path,
) -> Location {
    let own = (content.files.iter())
        .find(|f| f.rel_path == rel)
        .and_then(|f| crate::content::front_matter::split(&f.text).ok())
        .filter(|d| d.front.fields.contains_key("audience"))
        .map(|d| d.front.locate("audience"));
    match own {
        Some((line, column)) => Location::at(source, line, column),
        None => Location::file(source),
    }
}

/// `content/` cut down to the files of `keep`, the folders above them, and the other files
/// (images) that belong to them: the kept pages' bundle files, the files lying in the folder
/// of a kept `_index.md`, and the files `keep` names itself.
pub fn content_for(
    content: &ContentSources,
    lib: &Library,
    keep: &BTreeSet<PathBuf>,
) -> ContentSources {
    // Files chosen by name: a commentary's pictures (`select`).
    let mut assets: BTreeSet<&PathBuf> = (content.assets.iter())
        .filter(|a| keep.contains(*a))
        .collect();
    for page in lib.pages.iter().filter(|p| keep.contains(&p.rel_path)) {
        assets.extend(page.resources.iter());
    }
    // Files beside a section's pages (not in a page bundle) belong to the folder: they go only
    // where its `_index.md` goes, and only those in that very folder.
    for section in &lib.sections {
        let index = &lib.pages[section.page];
        if !keep.contains(&index.rel_path) {
            continue;
        }
        let folder = index.rel_path.parent();
        assets.extend(section.resources.iter().filter(|a| a.parent() == folder));
    }
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let kept_files = keep.iter().chain(assets.iter().copied());
    for file in kept_files {
        let mut dir = file.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_path_buf());
            dir = d.parent();
        }
    }
    ContentSources {
        dir: content.dir.clone(),
        shown_names: content.shown_names.clone(),
        asset_bytes: content
            .asset_bytes
            .iter()
            .filter(|(p, _)| assets.contains(p))
            .map(|(p, b)| (p.clone(), Arc::clone(b)))
            .collect(),
        files: (content.files.iter())
            .filter(|f| keep.contains(&f.rel_path))
            .cloned()
            .collect(),
        dirs: (content.dirs.iter())
            .filter(|d| dirs.contains(*d))
            .cloned()
            .collect(),
        assets: (content.assets.iter())
            .filter(|a| assets.contains(a))
            .cloned()
            .collect(),
    }
}

/// The site's configuration as the edition sees it: its own address and title, no versions,
/// and only the menu entries that lead outside the site or to a page the edition has.
pub fn config_for(
    config: &SiteConfig,
    customer: &CustomerConfig,
    lib: &Library,
    keep: &BTreeSet<PathBuf>,
) -> SiteConfig {
    let mut c = config.clone();
    c.base_url = customer.base_url.clone();
    c.title = customer.edition_title(&config.title);
    c.versions.clear();
    c.edition_home = customer.home.as_ref().map(|h| home_in_content(config, h));
    c.edition_of = Some(customer.slug.clone());
    c.customers.clear();
    c.repository.off = true;
    let urls: HashSet<&str> = (lib.pages.iter())
        .filter(|p| keep.contains(&p.rel_path))
        .map(|p| p.url.as_str())
        .collect();
    let reports = report_prefixes(config);
    let allowed = |url: &str| {
        // A full address of the internal site is one of its pages like any other.
        let on_site = crate::config::customers::path_on(url, &config.base_url);
        let url = match &on_site {
            Some(path) => path.as_str(),
            None if url.contains("://") || url.starts_with("//") || url.starts_with("mailto:") => {
                return true
            }
            None => url,
        };
        let path = format!("/{}", url.trim_start_matches('/'));
        let path = path.split(['#', '?']).next().unwrap_or("");
        // A bilingual site's other language has its pages under its folder (`/en/sop/`).
        let here = format!("{}{path}", lib.url_prefix);
        path == "/"
            || urls.contains(here.as_str())
            || urls.contains(format!("{here}/").as_str())
            || reports.iter().any(|r| path.starts_with(r.as_str()))
    };
    for entries in c.menus.values_mut() {
        entries.retain(|e| allowed(&e.url));
        // A page the edition has, named by the internal site's full address, is linked on the
        // edition's own site.
        for e in entries.iter_mut() {
            if let Some(path) = crate::config::customers::path_on(&e.url, &config.base_url) {
                e.url = path;
            }
        }
    }
    c.menus.retain(|_, entries| !entries.is_empty());
    c
}

/// The part of each report URL pattern before its period (`/reports/weekly/`): an edition has
/// its own report pages there.
fn report_prefixes(config: &SiteConfig) -> Vec<String> {
    let Ok(urls) = config.reports.urls() else {
        return Vec::new();
    };
    [urls.weekly, urls.monthly, urls.quarterly]
        .into_iter()
        .flatten()
        .map(|u| u.split("{period}").next().unwrap_or("").to_string())
        .filter(|p| p.len() > 1)
        .chain(std::iter::once("/reports/".to_string()))
        .chain(config.reports.status().ok().flatten().map(|s| s.url))
        .collect()
}

/// The edition's problems that the internal site does not have already (the same page's same
/// warning once is enough), each saying which edition it is about. A link or `ref` that only
/// the edition misses leads to a page the internal site has but the customer does not get: the
/// message says so, and what to do.
pub fn own_problems(
    edition: &CustomerConfig,
    built: Diagnostics,
    seen: &HashSet<String>,
) -> Vec<Diagnostic> {
    built
        .iter()
        .filter(|d| !seen.contains(&d.to_string()))
        .cloned()
        .map(|mut d| {
            let hint = if leads_to_an_unmarked_page(&d) && !in_home_text(edition, &d) {
                // An error even where the internal site only warns: the link would show the
                // customer the path of a page that is not theirs.
                d.severity = crate::error::Severity::Error;
                "; not in this edition: that page is on the internal site but not marked for \
                 this edition: give it `audience`, or link to it from internal pages only"
            } else {
                ""
            };
            d.message = format!("edition `{}`: {}{hint}", edition.slug, d.message);
            d
        })
        .collect()
}

/// Whether the problem is in the customer's home text, which only its edition shows: a broken
/// link there is broken everywhere, not a page the internal site has and the edition lacks.
fn in_home_text(edition: &CustomerConfig, d: &Diagnostic) -> bool {
    (edition.home.as_deref()).is_some_and(|home| {
        let home = home.strip_prefix("content").unwrap_or(home);
        d.location.file.ends_with(home)
    })
}

/// A broken link, anchor or image, or a `ref`/`relref` that found no page.
fn leads_to_an_unmarked_page(d: &Diagnostic) -> bool {
    let missed_ref = ["ref: no page at", "relref: no page at"];
    matches!(
        d.code,
        Code::BrokenLink | Code::BrokenAnchor | Code::MissingImage
    ) || missed_ref.iter().any(|m| d.message.starts_with(m))
}
