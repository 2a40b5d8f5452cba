//! Assembling the `Library` from parsed files: sections from folders, cascade, typed front matter,
//! drafts and dates, URLs, ordering, prev/next, taxonomies and menus. Pure: no I/O.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use rayon::prelude::*;

use super::front_matter::{parse_cascade, CascadeRule, FrontMatter, PageDate};
use super::page::{derive_title, RawPage};
use super::source::ContentSources;
use super::{menu, taxonomy, urls, Library, Page, PageId, PageKind, Section, SectionId};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Location};

pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone)]
pub struct AssembleOptions {
    pub include_drafts: bool,
    /// Compared with `publishDate` and `expiryDate`.
    pub now: PageDate,
}

/// Parse every content file (in parallel); files that fail to parse are reported and skipped.
pub fn parse_all(sources: &ContentSources) -> (Vec<RawPage>, Vec<Diagnostic>) {
    let results: Vec<Result<RawPage, Diagnostic>> = sources
        .files
        .par_iter()
        .map(|f| {
            RawPage::parse(&f.text, &f.rel_path).map_err(|e| {
                Diagnostic::error(
                    Location::at(Path::new(CONTENT_DIR).join(&f.rel_path), e.line, e.column),
                    e.message,
                )
            })
        })
        .collect();
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    (pages, diags)
}

/// Build the library. Errors are returned alongside a library that holds everything that was valid.
pub fn assemble(
    sources: &ContentSources,
    raw: Vec<RawPage>,
    config: &SiteConfig,
    opts: &AssembleOptions,
) -> (Library, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let bundle_dirs: BTreeSet<PathBuf> = raw
        .iter()
        .filter(|r| r.is_bundle_index())
        .filter_map(|r| r.rel_path.parent().map(Path::to_path_buf))
        .collect();
    let in_bundle = |p: &Path| bundle_dirs.iter().any(|b| p.starts_with(b) && p != b);

    // Sections: the root and every folder that is not (inside) a leaf bundle.
    let mut section_dirs: Vec<PathBuf> = vec![PathBuf::new()];
    section_dirs.extend(
        sources
            .dirs
            .iter()
            .filter(|d| !bundle_dirs.contains(*d) && !in_bundle(d))
            .cloned(),
    );
    section_dirs.sort();
    section_dirs.dedup();
    let section_index: HashMap<PathBuf, SectionId> = section_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.clone(), i))
        .collect();
    let section_of_dir = |dir: &Path| -> SectionId {
        let mut d = dir.to_path_buf();
        loop {
            if let Some(&s) = section_index.get(&d) {
                return s;
            }
            if !d.pop() {
                return 0;
            }
        }
    };

    // Cascade rules per section, nearest first (own, parent, grandparent …).
    let mut own_rules: Vec<Vec<CascadeRule>> = vec![Vec::new(); section_dirs.len()];
    for r in &raw {
        if r.is_section_index() {
            let dir = r
                .rel_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            if let (Some(&s), Some(v)) = (section_index.get(&dir), r.front.fields.get("cascade")) {
                if let Ok(rules) = parse_cascade(v) {
                    own_rules[s] = rules;
                }
            }
        }
    }
    let parent_of = |i: usize| -> Option<SectionId> {
        if i == 0 {
            None
        } else {
            Some(section_of_dir(
                section_dirs[i].parent().unwrap_or(Path::new("")),
            ))
        }
    };
    let rules_for = |s: SectionId| -> Vec<&CascadeRule> {
        let mut out = Vec::new();
        let mut cur = Some(s);
        while let Some(c) = cur {
            out.extend(own_rules[c].iter());
            cur = parent_of(c);
        }
        out
    };

    let taxonomy_names = config.taxonomy_names();
    // Dates without an offset are the site's local time (the `timezone` of site.yaml).
    let tz = match crate::kpi::timezone(&config.kpi.timezone) {
        Ok(tz) => tz,
        Err(e) => {
            diags.push(Diagnostic::error(
                Location::file(crate::config::CONFIG_FILE),
                e,
            ));
            chrono_tz::UTC
        }
    };
    let mut pages: Vec<Page> = Vec::new();
    let mut section_page: Vec<Option<PageId>> = vec![None; section_dirs.len()];
    let mut leaf_pages: Vec<(SectionId, PageId)> = Vec::new();

    let mut raw = raw;
    raw.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    for r in raw {
        let dir = r
            .rel_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let source = Path::new(CONTENT_DIR).join(&r.rel_path);
        let (kind, section) = if r.is_section_index() {
            match section_index.get(&dir) {
                Some(&s) => (
                    if s == 0 {
                        PageKind::Home
                    } else {
                        PageKind::Section
                    },
                    s,
                ),
                None => continue, // an _index.md inside a leaf bundle is a resource
            }
        } else if r.is_bundle_index() {
            (
                PageKind::Page,
                section_of_dir(dir.parent().unwrap_or(Path::new(""))),
            )
        } else {
            if in_bundle(&r.rel_path) || bundle_dirs.contains(&dir) {
                continue; // Markdown inside a leaf bundle is a resource of that page
            }
            (PageKind::Page, section_of_dir(&dir))
        };
        let logical = r.logical_path();

        // Cascade: a key set by the page itself wins; nearer sections win over farther ones.
        let mut fields = r.front.fields.clone();
        let kind_name = match kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
        };
        for rule in rules_for(section) {
            if !rule_applies(rule, &logical, kind_name) {
                continue;
            }
            for (k, v) in &rule.values {
                fields.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let (mut front, errors) = FrontMatter::from_fields_in(&fields, &taxonomy_names, tz);
        for e in errors {
            let (line, col) = r.front.locate(&e.key);
            diags.push(Diagnostic::error(
                Location::at(&source, line, col),
                format!("front matter: {}: {}", e.key, e.message),
            ));
        }
        diags.extend(keep_paths_inside(&mut front, &r.front, &source));
        if kind == PageKind::Page && !opts.include_drafts && !is_published(&front, &opts.now) {
            continue;
        }
        let fallback = match kind {
            PageKind::Page if r.is_bundle_index() => dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            PageKind::Page => r
                .rel_path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            _ => dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| config.title.clone()),
        };
        let is_bundle = r.is_bundle_index();
        let rel_path = r.rel_path.clone();
        let mut body_line = r.body_line;
        let (title, body) = match &front.title {
            Some(t) if !t.trim().is_empty() => (t.clone(), r.body),
            _ => match derive_title(&r.body, &fallback) {
                (t, Some((rest, removed))) => {
                    body_line += removed;
                    (t, rest)
                }
                (t, None) => (t, r.body),
            },
        };
        let resources = if is_bundle {
            sources
                .assets
                .iter()
                .filter(|a| a.starts_with(&dir))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let id = pages.len();
        pages.push(Page {
            kind,
            source,
            rel_path,
            logical_path: logical,
            section,
            front,
            title,
            body,
            body_line,
            url: String::new(),
            output_path: String::new(),
            resources,
            prev: None,
            next: None,
        });
        if kind == PageKind::Page {
            leaf_pages.push((section, id));
        } else {
            section_page[section] = Some(id);
        }
    }

    // Sections without an _index.md get a page made from the folder name.
    for (s, dir) in section_dirs.iter().enumerate() {
        if section_page[s].is_some() {
            continue;
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| config.title.clone());
        let logical = format!("/{}", dir.to_string_lossy().replace('\\', "/"));
        let kind_name = if s == 0 { "home" } else { "section" };
        let mut fields = serde_json::Map::new();
        for rule in rules_for(s) {
            if rule_applies(rule, &logical, kind_name) {
                for (k, v) in &rule.values {
                    fields.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        let (front, _) = FrontMatter::from_fields_in(&fields, &taxonomy_names, tz);
        section_page[s] = Some(pages.len());
        pages.push(Page {
            kind: if s == 0 {
                PageKind::Home
            } else {
                PageKind::Section
            },
            source: Path::new(CONTENT_DIR).join(dir),
            rel_path: PathBuf::new(),
            logical_path: logical,
            section: s,
            front,
            title: name,
            body: String::new(),
            body_line: 1,
            url: String::new(),
            output_path: String::new(),
            resources: Vec::new(),
            prev: None,
            next: None,
        });
    }

    let mut sections: Vec<Section> = section_dirs
        .iter()
        .enumerate()
        .map(|(i, dir)| Section {
            dir: dir.clone(),
            page: section_page[i].expect("every section has a page"),
            parent: parent_of(i),
            pages: Vec::new(),
            subsections: Vec::new(),
            resources: sources
                .assets
                .iter()
                .filter(|a| a.parent().unwrap_or(Path::new("")) == dir.as_path() && !in_bundle(a))
                .cloned()
                .collect(),
        })
        .collect();
    for (s, p) in leaf_pages {
        sections[s].pages.push(p);
    }
    for i in 1..sections.len() {
        if let Some(p) = sections[i].parent {
            sections[p].subsections.push(i);
        }
    }

    // URLs: sections first (pages hang below them), then pages.
    for s in 0..sections.len() {
        let url = match sections[s].parent {
            None => "/".to_string(),
            Some(p) => {
                let parent_url = pages[sections[p].page].url.clone();
                let name = sections[s]
                    .dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!("{parent_url}{}/", urls::segment(&name))
            }
        };
        let pid = sections[s].page;
        pages[pid].url = pages[pid]
            .front
            .url
            .as_deref()
            .and_then(|u| urls::from_front_matter(u).ok())
            .unwrap_or(url);
    }
    for s in 0..sections.len() {
        let base = pages[sections[s].page].url.clone();
        for &pid in &sections[s].pages {
            let page = &pages[pid];
            let front_url = page
                .front
                .url
                .as_deref()
                .and_then(|u| urls::from_front_matter(u).ok());
            let url = match (front_url, &page.front.slug) {
                (Some(u), _) => u,
                (None, Some(slug)) => format!("{base}{}/", urls::segment(slug)),
                (None, None) => {
                    let stem = if page.rel_path.file_stem().is_some_and(|s| s == "index") {
                        page.rel_path.parent().and_then(Path::file_name)
                    } else {
                        page.rel_path.file_stem()
                    };
                    format!(
                        "{base}{}/",
                        urls::segment(
                            &stem
                                .map(|s| s.to_string_lossy().into_owned())
                                .unwrap_or_default()
                        )
                    )
                }
            };
            pages[pid].url = url;
        }
    }
    for p in &mut pages {
        p.output_path = urls::output_path(&p.url);
    }

    // Ordering everywhere: weight, then date (newest first), then title.
    for s in 0..sections.len() {
        let mut list = std::mem::take(&mut sections[s].pages);
        list.sort_by(|&a, &b| compare_pages(&pages[a], &pages[b]));
        sections[s].pages = list;
        let mut subs = std::mem::take(&mut sections[s].subsections);
        subs.sort_by(|&a, &b| compare_pages(&pages[sections[a].page], &pages[sections[b].page]));
        sections[s].subsections = subs;
    }
    for s in &sections {
        for (i, &pid) in s.pages.iter().enumerate() {
            pages[pid].prev = i.checked_sub(1).map(|j| s.pages[j]);
            pages[pid].next = s.pages.get(i + 1).copied();
        }
    }

    // Lookups. Two pages wanting the same URL are reported when output paths are checked.
    let mut by_url: HashMap<String, PageId> = HashMap::new();
    for (id, p) in pages.iter().enumerate() {
        by_url.entry(p.url.clone()).or_insert(id);
    }
    let by_source = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.rel_path.as_os_str().is_empty())
        .map(|(i, p)| (p.rel_path.clone(), i))
        .collect();

    let display_order = display_order(&sections, 0);
    let taxonomies = taxonomy::build(config, &pages, &display_order);
    let menus = menu::build(&config.menus, &pages, &sorted_ids(&pages));
    (
        Library {
            pages,
            sections,
            taxonomies,
            menus,
            by_source,
            by_url,
        },
        diags,
    )
}

/// The output folder is a wall: a `url`, `slug`, alias or taxonomy term that would lead a file
/// out of it (or onto its parent's path) is an error at its line, and is dropped so nothing is
/// written for it.
fn keep_paths_inside(
    front: &mut FrontMatter,
    raw: &super::front_matter::RawFrontMatter,
    source: &Path,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut report = |key: &str, message: String| {
        let (line, col) = raw.locate(key);
        diags.push(Diagnostic::error(
            Location::at(source, line, col),
            format!("front matter: {key}: {message}"),
        ));
    };
    if let Some(url) = &front.url {
        if let Err(e) = urls::from_front_matter(url) {
            report("url", e);
            front.url = None;
        }
    }
    if let Some(slug) = &front.slug {
        let seg = urls::segment(slug);
        if let Err(e) = urls::check_segment(&seg) {
            report("slug", e);
            front.slug = None;
        } else if seg.is_empty() {
            front.slug = None;
        }
    }
    let mut aliases = std::mem::take(&mut front.aliases);
    aliases.retain(|a| match urls::from_front_matter(a) {
        Ok(_) => true,
        Err(e) => {
            report("aliases", e);
            false
        }
    });
    front.aliases = aliases;
    for (taxonomy, terms) in &mut front.taxonomies {
        terms.retain(|t| match urls::check_segment(&urls::term_segment(t)) {
            Ok(()) => true,
            Err(e) => {
                report(taxonomy, e);
                false
            }
        });
    }
    diags
}

fn rule_applies(rule: &CascadeRule, logical_path: &str, kind: &str) -> bool {
    let Some(target) = &rule.target else {
        return true;
    };
    if let Some(k) = &target.kind {
        if k != kind {
            return false;
        }
    }
    match &target.path {
        None => true,
        Some(glob) => glob_matcher(glob).is_some_and(|m| m.is_match(logical_path)),
    }
}

fn glob_matcher(glob: &str) -> Option<GlobMatcher> {
    let g = if glob.starts_with('/') {
        glob.to_string()
    } else {
        format!("/{glob}")
    };
    GlobBuilder::new(&g)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// Drafts, pages whose `publishDate` is still to come and pages past their `expiryDate` are left out.
pub fn is_published(front: &FrontMatter, now: &PageDate) -> bool {
    !front.draft
        && front.publish_date.is_none_or(|d| d <= *now)
        && front.expiry_date.is_none_or(|d| d > *now)
}

/// weight (missing last), then date (newest first, missing last), then title, then source path.
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
        .then_with(|| a.title.cmp(&b.title))
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
