//! Assembling the `Library` from parsed files, in named steps: classify the tree (`tree`), give
//! each file its page (cascade, typed front matter, drafts, title, URL, aliases), make up pages for
//! sections without one, link sections, place the other files, order everything, then
//! taxonomies and menus. Pure: no I/O.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use super::addresses::{alias_paths, drop_aliases_over_pages, keep_paths_inside};
use super::cascade::{logical_path, Cascades};
use super::front_matter::{parse_cascade, FrontMatter, PageDate};
use super::nav_order::NavPlan;
use super::page::{
    derive_title, first_block_heading, mkdocs_file_title, readable_file_name, RawPage,
};
use super::permalinks;
use super::tree::{ContentTree, Role};
use super::{
    menu, natural, taxonomy, urls, Asset, Library, Page, PageId, PageKind, Section, SectionId,
};
use crate::config::content_rules::{SameAddress, Titles, UrlCase};
use crate::config::SiteConfig;
use crate::error::{Code, Diagnostic, Location};

pub use super::source::ContentSources;

#[derive(Debug, Clone)]
pub struct AssembleOptions {
    pub include_drafts: bool,
    /// Compared with `publishDate` and `expiryDate`.
    pub now: PageDate,
}

/// Section folders with their ids (index into `dirs`) and parents.
struct SectionLayout {
    dirs: Vec<PathBuf>,
    ids: HashMap<PathBuf, SectionId>,
    parents: Vec<Option<SectionId>>,
}

impl SectionLayout {
    fn new(tree: &ContentTree) -> SectionLayout {
        let dirs = tree.sections.clone();
        let ids: HashMap<PathBuf, SectionId> = dirs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.clone(), i))
            .collect();
        let parents = dirs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                (i != 0).then(|| {
                    let above = d.parent().unwrap_or(Path::new(""));
                    ids[&tree.section_dir_of(above)]
                })
            })
            .collect();
        SectionLayout { dirs, ids, parents }
    }

    /// The section of a file or folder at `dir`.
    fn section_of(&self, tree: &ContentTree, dir: &Path) -> SectionId {
        self.ids[&tree.section_dir_of(dir)]
    }
}

/// Everything a file needs to become a page.
struct PageInputs<'a> {
    tree: &'a ContentTree,
    layout: &'a SectionLayout,
    cascades: &'a Cascades,
    /// `nav:` of the configuration: places and titles by file and folder.
    nav: NavPlan,
    /// `permalinks:` of the configuration by section.
    permalinks: Vec<(&'a str, &'a str)>,
    taxonomy_names: Vec<String>,
    tz: Tz,
    config: &'a SiteConfig,
    opts: &'a AssembleOptions,
    /// Where the content lives, as errors show it (`content`, `versions/v1/content`).
    source_dir: &'a Path,
    /// Files whose name in the folder is not their path (`ContentSources::shown_names`).
    shown_names: &'a std::collections::BTreeMap<PathBuf, PathBuf>,
    /// The earliest page date after `now` seen so far (`Library::clock_horizon`).
    horizon: std::cell::Cell<Option<PageDate>>,
}

impl PageInputs<'_> {
    /// Note the dates of a page (published or not) at which what is built changes: a publish or
    /// expiry date after now, a review date not passed yet.
    fn note_dates(&self, front: &FrontMatter) {
        let now = self.opts.now;
        let later = [front.publish_date, front.expiry_date]
            .into_iter()
            .flatten()
            .filter(|d| *d > now)
            .chain(front.review_by.filter(|d| *d >= now));
        for d in later {
            if self.horizon.get().is_none_or(|h| d < h) {
                self.horizon.set(Some(d));
            }
        }
    }
}

/// Build the library. Errors are returned alongside a library that holds everything that was valid.
pub fn assemble(
    sources: &ContentSources,
    raw: Vec<RawPage>,
    config: &SiteConfig,
    opts: &AssembleOptions,
) -> (Library, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let tree = ContentTree::classify(raw.iter().map(|r| r.rel_path.as_path()));
    let layout = SectionLayout::new(&tree);
    let section_page_of = |r: &RawPage| {
        (tree.roles.get(&r.rel_path) == Some(&Role::SectionPage))
            .then(|| layout.ids[&parent_dir(&r.rel_path)])
    };
    let site_rules = parse_cascade(&config.cascade).unwrap_or_else(|e| {
        diags.push(Diagnostic::error(
            Code::Config,
            Location::file(&config.source_file),
            format!("cascade: {e}"),
        ));
        Vec::new()
    });
    let cascades = Cascades::collect(&raw, section_page_of, layout.parents.clone(), site_rules);
    let files: std::collections::HashSet<&Path> =
        sources.files.iter().map(|f| f.rel_path.as_path()).collect();
    let inputs = PageInputs {
        tree: &tree,
        layout: &layout,
        cascades: &cascades,
        nav: NavPlan::new(&config.nav, &|f| files.contains(Path::new(f))),
        permalinks: config.permalink_patterns(),
        taxonomy_names: config.taxonomy_names(),
        tz: site_timezone(config, &mut diags),
        config,
        opts,
        source_dir: sources.shown_dir(),
        shown_names: &sources.shown_names,
        horizon: std::cell::Cell::new(None),
    };

    if !config.nav.is_empty() {
        let files: Vec<PathBuf> = sources.files.iter().map(|f| f.rel_path.clone()).collect();
        diags.extend(NavPlan::missing(
            &config.nav,
            &files,
            &sources.dirs,
            sources.shown_dir(),
            &config.source_file,
        ));
    }
    let mut raw = raw;
    raw.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let mut pages: Vec<Page> = Vec::new();
    for r in raw {
        if let Some(page) = page_from_file(r, &inputs, &mut diags) {
            pages.push(page);
        }
    }
    if config.content_rules.same_address != SameAddress::Error {
        diags.extend(super::same_address::keep_the_folders_page(
            &mut pages,
            config.content_rules.same_address,
        ));
    }
    add_section_pages(&mut pages, &inputs);
    let mut sections = link_sections(&pages, &layout);
    let assets = place_assets(sources, &tree, &layout, &mut pages, &mut sections);
    order_sections(&mut sections, &pages);
    link_prev_next(&sections, &mut pages);
    if !config.nav.is_empty() {
        let by_source: HashMap<PathBuf, usize> = (pages.iter().enumerate())
            .filter(|(_, p)| !p.rel_path.as_os_str().is_empty() || p.kind == PageKind::Home)
            .map(|(i, p)| (p.rel_path.clone(), i))
            .collect();
        let page_of = |f: &str| by_source.get(Path::new(f)).copied();
        super::nav_order::link_in_nav_order(&config.nav, &page_of, &mut |id, prev, next| {
            pages[id].prev = prev;
            pages[id].next = next;
        });
    }

    let by_url = super::url_index(&pages);
    let by_source = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.rel_path.as_os_str().is_empty())
        .map(|(i, p)| (p.rel_path.clone(), i))
        .collect();
    let asset_by_source = assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.source.clone(), i))
        .collect();

    let display_order = display_order(&sections, 0);
    let taxonomies = taxonomy::build(config, &pages, &display_order);
    let menus = menu::build(
        &config.menus,
        config.markdown.raw_html,
        &pages,
        &sorted_ids(&pages),
    );
    let mut lib = Library {
        pages,
        sections,
        taxonomies,
        menus,
        by_source,
        by_url,
        assets,
        asset_by_source,
        url_prefix: String::new(),
        other_languages: Default::default(),
        language_files: Default::default(),
        included: Default::default(),
        content_root: config.content_dir.clone(),
        source_dir: sources.shown_dir().to_path_buf(),
        clock_horizon: inputs.horizon.get(),
        alerts: Default::default(),
    };
    // Two runbooks answering one alert: said here, before the second's redirect is dropped as
    // a shared alias.
    let (alerts, problems) = super::alerts::claims(&lib);
    lib.alerts = alerts;
    diags.extend(problems);
    diags.extend(drop_aliases_over_pages(&mut lib));
    (lib, diags)
}

/// Dates without an offset are the site's local time (the `timezone` of site.yaml).
fn site_timezone(config: &SiteConfig, diags: &mut Vec<Diagnostic>) -> Tz {
    match crate::timezone::parse(&config.kpi.timezone) {
        Ok(tz) => tz,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::Config,
                Location::file(&config.source_file),
                e,
            ));
            chrono_tz::UTC
        }
    }
}

fn parent_dir(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn file_name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One content file as a page: cascade, typed front matter (every bad field reported at its
/// line), drafts and dates, title, URL and aliases. `None` for a file left out.
fn page_from_file(r: RawPage, inputs: &PageInputs, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let role = *inputs.tree.roles.get(&r.rel_path)?;
    let dir = parent_dir(&r.rel_path);
    let source = inputs
        .source_dir
        .join(inputs.shown_names.get(&r.rel_path).unwrap_or(&r.rel_path));
    let stands_for_folder = role != Role::Page;
    let (kind, section) = match role {
        Role::SectionPage => {
            let s = inputs.layout.ids[&dir];
            (
                if s == 0 {
                    PageKind::Home
                } else {
                    PageKind::Section
                },
                s,
            )
        }
        Role::BundlePage | Role::FolderPage => (
            PageKind::Page,
            inputs
                .layout
                .section_of(inputs.tree, dir.parent().unwrap_or(Path::new(""))),
        ),
        Role::Page => (PageKind::Page, inputs.layout.section_of(inputs.tree, &dir)),
    };
    let logical = logical_path(&r.rel_path, stands_for_folder);
    let mut fields = r.front.fields.clone();
    inputs
        .cascades
        .apply(&mut fields, section, &logical, kind_name(kind));
    let (mut front, errors) =
        FrontMatter::from_fields_in(&fields, &inputs.taxonomy_names, inputs.tz);
    for n in &r.front.notes {
        let at = Location::at(&source, n.line, n.column);
        diags.push(Diagnostic::warning(Code::Content, at, n.message.clone()));
    }
    for e in errors {
        let (line, col) = r.front.locate(&e.key);
        let at = Location::at(&source, line, col);
        let message = format!("front matter: {}: {}", e.key, e.message);
        diags.push(match e.warning {
            true => Diagnostic::warning(Code::Content, at, message),
            false => Diagnostic::error(Code::Content, at, message),
        });
    }
    diags.extend(keep_paths_inside(&mut front, &r.front, &source));
    let folder = (role != Role::Page).then_some(dir.as_path());
    if let Some((position, title)) = inputs.nav.place(&r.rel_path, folder) {
        front.weight.get_or_insert(position);
        if front.link_title.is_none() {
            front.link_title = title;
        }
    }
    let mkdocs_titles = inputs.config.content_rules.titles == Titles::Mkdocs;
    if mkdocs_titles {
        // MkDocs: the page's own nav entry titles the page itself, front matter or not.
        if let Some((_, Some(title))) = inputs.nav.page(&r.rel_path) {
            front.title = Some(title.clone());
        }
    }
    inputs.note_dates(&front);
    let unpublished = !inputs.opts.include_drafts && !is_published(&front, &inputs.opts.now);
    if kind == PageKind::Page && (front.not_rendered || unpublished) {
        return None;
    }
    // A section's own page that is a draft (or not yet due): the section keeps a page made from
    // its folder, as one without an index has, and the draft's text is not published.
    if kind == PageKind::Section && unpublished {
        return None;
    }
    // A name written for a file system, not for readers: its control and text-reversing
    // characters go as a front-matter title's do.
    let fallback = match role {
        // The home page keeps the site's title.
        Role::SectionPage if dir.as_os_str().is_empty() => inputs.config.title.clone(),
        _ if mkdocs_titles => mkdocs_file_title(&r.rel_path),
        Role::Page => r
            .rel_path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        _ if dir.as_os_str().is_empty() => inputs.config.title.clone(),
        _ => file_name_of(&dir),
    };
    let fallback = super::page::replace_controls(fallback);
    let body_line = r.body_line;
    let (title, body, title_from_heading) = match &front.title {
        Some(t) if !t.trim().is_empty() => (t.clone(), r.body, false),
        _ if mkdocs_titles => match first_block_heading(&r.body) {
            Some((t, rest)) => (t, rest, true),
            None => (fallback, r.body, false),
        },
        _ => match derive_title(&r.body, &fallback) {
            (t, Some(rest)) => (t, rest, true),
            (t, None) => (t, r.body, false),
        },
    };
    let pattern = (kind == PageKind::Page && front.url.is_none())
        .then(|| permalinks::pattern_for(&inputs.permalinks, &r.rel_path, stands_for_folder))
        .flatten();
    let url = match pattern {
        Some(pattern) => permalinks::expand(
            pattern,
            &permalinks::PermalinkPage {
                rel_path: &r.rel_path,
                stands_for_folder,
                title: &title,
                slug: front.slug.as_deref(),
                date: front.date,
            },
        ),
        None => page_url(
            role,
            &r.rel_path,
            &front,
            inputs.config.content_rules.url_case,
        ),
    };
    let mut aliases = alias_paths(&url, &front, &r.front, &source, diags);
    aliases.extend(super::alerts::alert_aliases(
        &front.alerts,
        &r.front,
        &source,
        diags,
    ));
    Some(Page {
        kind,
        source,
        rel_path: r.rel_path,
        logical_path: logical,
        section,
        front,
        title,
        title_from_heading,
        body,
        body_line,
        output_path: urls::output_path(&url),
        url,
        aliases,
        resources: Vec::new(),
        prev: None,
        next: None,
    })
}

/// The body `page` gets from an edited `raw` version of its file whose front matter did not
/// change, when its title stays as it was (the preview server's fast path); None when the edit
/// changes the title (a first `# heading` added, removed or reworded), which other pages show.
pub fn rebody(page: &Page, raw: &RawPage, titles: Titles) -> Option<String> {
    if page
        .front
        .title
        .as_ref()
        .is_some_and(|t| !t.trim().is_empty())
    {
        return Some(raw.body.clone());
    }
    if titles == Titles::Mkdocs {
        return match first_block_heading(&raw.body) {
            Some((t, rest)) if page.title_from_heading && t == page.title => Some(rest),
            None if !page.title_from_heading => Some(raw.body.clone()),
            _ => None,
        };
    }
    // A fallback no heading can produce: it comes back only when the body has no heading.
    const NO_HEADING: &str = "\u{0}";
    match derive_title(&raw.body, NO_HEADING) {
        (t, Some(rest)) if page.title_from_heading && t == page.title => Some(rest),
        (t, None) if t == NO_HEADING && !page.title_from_heading => Some(raw.body.clone()),
        _ => None,
    }
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home",
        PageKind::Section => "section",
        PageKind::Page => "page",
    }
}

/// A page's URL follows its folders (as Hugo's do), unless `url` or `slug` say otherwise; a file
/// that stands for its folder is at the folder's URL.
fn page_url(role: Role, rel_path: &Path, front: &FrontMatter, case: UrlCase) -> String {
    if let Some(url) = front
        .url
        .as_deref()
        .and_then(|u| urls::from_front_matter(u).ok())
    {
        return url;
    }
    let dir = parent_dir(rel_path);
    match role {
        Role::SectionPage => urls::folder_url_in(&dir, case),
        Role::BundlePage | Role::FolderPage => match &front.slug {
            Some(slug) => format!(
                "{}{}/",
                urls::folder_url_in(dir.parent().unwrap_or(Path::new("")), case),
                urls::segment_in(slug, case)
            ),
            None => urls::folder_url_in(&dir, case),
        },
        Role::Page => {
            let last = front.slug.clone().unwrap_or_else(|| {
                rel_path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            format!(
                "{}{}/",
                urls::folder_url_in(&dir, case),
                urls::segment_in(&last, case)
            )
        }
    }
}

/// Sections without a page of their own get one made from the folder name (and cascade).
fn add_section_pages(pages: &mut Vec<Page>, inputs: &PageInputs) {
    let mut has_page = vec![false; inputs.layout.dirs.len()];
    for p in pages.iter() {
        if p.kind != PageKind::Page {
            has_page[p.section] = true;
        }
    }
    for (s, dir) in inputs.layout.dirs.iter().enumerate() {
        if has_page[s] {
            continue;
        }
        let name = if dir.as_os_str().is_empty() {
            inputs.config.title.clone()
        } else {
            // As a page's title from its name (`fallback` above).
            super::page::replace_controls(readable_file_name(&file_name_of(dir)))
        };
        let logical = format!("/{}", dir.to_string_lossy().replace('\\', "/"));
        let kind = if s == 0 {
            PageKind::Home
        } else {
            PageKind::Section
        };
        let mut fields = serde_json::Map::new();
        inputs
            .cascades
            .apply(&mut fields, s, &logical, kind_name(kind));
        let (mut front, _) =
            FrontMatter::from_fields_in(&fields, &inputs.taxonomy_names, inputs.tz);
        let mut name = name;
        if let Some((position, title)) = inputs.nav.folder(dir) {
            front.weight.get_or_insert(*position);
            if let Some(t) = title {
                name.clone_from(t);
            }
        }
        let url = urls::folder_url_in(dir, inputs.config.content_rules.url_case);
        pages.push(Page {
            kind,
            source: inputs.source_dir.join(dir),
            rel_path: PathBuf::new(),
            logical_path: logical,
            section: s,
            front,
            title: name,
            title_from_heading: false,
            body: String::new(),
            body_line: 1,
            output_path: urls::output_path(&url),
            url,
            aliases: Vec::new(),
            resources: Vec::new(),
            prev: None,
            next: None,
        });
    }
}

fn link_sections(pages: &[Page], layout: &SectionLayout) -> Vec<Section> {
    let mut sections: Vec<Section> = layout
        .dirs
        .iter()
        .enumerate()
        .map(|(i, dir)| Section {
            dir: dir.clone(),
            page: 0,
            parent: layout.parents[i],
            pages: Vec::new(),
            subsections: Vec::new(),
            resources: Vec::new(),
        })
        .collect();
    for (id, p) in pages.iter().enumerate() {
        match p.kind {
            PageKind::Page if p.front.not_listed => {}
            PageKind::Page => sections[p.section].pages.push(id),
            _ => sections[p.section].page = id,
        }
    }
    for i in 1..sections.len() {
        let listed = !pages[sections[i].page].front.not_listed;
        if let (Some(p), true) = (sections[i].parent, listed) {
            sections[p].subsections.push(i);
        }
    }
    sections
}

/// Files that are not Markdown: a leaf bundle's go beside its page (following the page's URL);
/// any other keeps its place in the folder tree (`docs/img/a.png` → `/docs/img/a.png`) and is
/// listed with its section.
fn place_assets(
    sources: &ContentSources,
    tree: &ContentTree,
    layout: &SectionLayout,
    pages: &mut [Page],
    sections: &mut [Section],
) -> Vec<Asset> {
    let bundle_pages: HashMap<PathBuf, PageId> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| tree.roles.get(&p.rel_path) == Some(&Role::BundlePage))
        .map(|(i, p)| (parent_dir(&p.rel_path), i))
        .collect();
    let mut assets = Vec::new();
    for a in &sources.assets {
        match tree.bundle_of(a) {
            Some(bundle) => {
                // A draft bundle's files are left out with it.
                let Some(&page) = bundle_pages.get(bundle) else {
                    continue;
                };
                let inside = a.strip_prefix(bundle).unwrap_or(a);
                let url = &pages[page].url;
                let dir_url = if url.ends_with('/') {
                    url.clone()
                } else {
                    url.rsplit_once('/')
                        .map(|(d, _)| format!("{d}/"))
                        .unwrap_or_else(|| "/".into())
                };
                assets.push(Asset {
                    source: a.clone(),
                    path: format!("{dir_url}{}", inside.to_string_lossy().replace('\\', "/")),
                });
                pages[page].resources.push(a.clone());
            }
            None => {
                let dir = parent_dir(a);
                assets.push(Asset {
                    source: a.clone(),
                    path: format!("{}{}", urls::folder_url(&dir), file_name_of(a)),
                });
                sections[layout.section_of(tree, &dir)]
                    .resources
                    .push(a.clone());
            }
        }
    }
    assets
}

fn order_sections(sections: &mut [Section], pages: &[Page]) {
    for s in sections.iter_mut() {
        s.pages
            .sort_by(|&a, &b| compare_pages(&pages[a], &pages[b]));
    }
    let section_pages: Vec<PageId> = sections.iter().map(|s| s.page).collect();
    for s in sections.iter_mut() {
        s.subsections
            .sort_by(|&a, &b| compare_pages(&pages[section_pages[a]], &pages[section_pages[b]]));
    }
}

fn link_prev_next(sections: &[Section], pages: &mut [Page]) {
    for s in sections {
        for (i, &pid) in s.pages.iter().enumerate() {
            pages[pid].prev = i.checked_sub(1).map(|j| s.pages[j]);
            pages[pid].next = s.pages.get(i + 1).copied();
        }
    }
}

/// Drafts, pages whose `publishDate` is still to come and pages past their `expiryDate` are left out.
pub fn is_published(front: &FrontMatter, now: &PageDate) -> bool {
    !front.draft
        && front.publish_date.is_none_or(|d| d <= *now)
        && front.expiry_date.is_none_or(|d| d > *now)
}

/// weight (missing last), then date (newest first, missing last), then title in natural order
/// (`手順2` before `手順10`), then source path.
pub fn compare_pages(a: &Page, b: &Page) -> Ordering {
    let wa = a.front.weight.map_or((1, 0), |w| (0, w));
    let wb = b.front.weight.map_or((1, 0), |w| (0, w));
    wa.cmp(&wb)
        .then_with(|| match (a.front.date, b.front.date) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| natural::compare(&a.title, &b.title))
        .then_with(|| a.source.cmp(&b.source))
}

/// Regular pages in display order, depth first.
fn display_order(sections: &[Section], s: SectionId) -> Vec<PageId> {
    let mut out = sections[s].pages.clone();
    for &sub in &sections[s].subsections {
        out.extend(display_order(sections, sub));
    }
    out
}

/// Every page (sections included) in the global ordering, for menus.
fn sorted_ids(pages: &[Page]) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..pages.len()).collect();
    ids.sort_by(|&a, &b| compare_pages(&pages[a], &pages[b]));
    ids
}
