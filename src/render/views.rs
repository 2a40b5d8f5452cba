//! Typed views handed to templates. Each names what a template may use; nothing is an ad-hoc map.

use serde::Serialize;
use serde_json::{Map, Value};

use super::i18n::UiStrings;
use crate::content::{Library, MenuEntry, PageDate, PageId, PageKind, SectionId};
use crate::markdown::{Rendered, TocEntry};

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// A report card on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct ReportCardView {
    pub title: String,
    pub url: String,
    pub in_progress: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MenuItemView {
    pub name: String,
    pub url: String,
    /// HTML before the name (icons), as the author wrote it.
    pub pre: String,
    pub children: Vec<MenuItemView>,
}

/// How many header menu entries a site shows when `menu_max` is not set: eight Japanese names
/// of five or six characters, the site title and the search box fit a 1366 px screen.
pub const MENU_MAX: usize = 8;

/// The header's menu cut after `max` entries (the main menu first, then the taxonomy links):
/// the entries kept, the taxonomy links kept, and the rest as one list for the 「その他」 menu.
pub fn fold_menu(
    mut menu: Vec<MenuItemView>,
    mut taxonomies: Vec<LinkView>,
    max: usize,
) -> (Vec<MenuItemView>, Vec<LinkView>, Vec<MenuItemView>) {
    if menu.len() + taxonomies.len() <= max {
        return (menu, taxonomies, Vec::new());
    }
    // The 「その他」 menu takes a place of its own.
    let keep = max.saturating_sub(1);
    let mut more = menu.split_off(keep.min(menu.len()));
    let tax_keep = keep - menu.len();
    let folded = taxonomies.split_off(tax_keep.min(taxonomies.len()));
    more.extend(folded.into_iter().map(|t| MenuItemView {
        name: t.title,
        url: t.url,
        pre: String::new(),
        children: Vec::new(),
    }));
    (menu, taxonomies, more)
}

impl MenuItemView {
    pub fn from_entries(entries: &[MenuEntry]) -> Vec<MenuItemView> {
        entries
            .iter()
            .map(|e| MenuItemView {
                name: e.name.clone(),
                url: e.url.clone(),
                pre: e.pre.clone(),
                children: Self::from_entries(&e.children),
            })
            .collect()
    }
}

/// What every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub base_url: String,
    pub language: String,
    pub params: Value,
    pub main_menu: Vec<MenuItemView>,
    /// Other menus by name.
    pub menus: std::collections::BTreeMap<String, Vec<MenuItemView>>,
    pub taxonomies: Vec<LinkView>,
    /// Entries past `menu_max` (main menu, then taxonomy links), shown in the header's
    /// 「その他」 menu so that no entry is cut or pushed off screen.
    pub menu_more: Vec<MenuItemView>,
    /// The latest weekly, monthly and quarterly report (sites with data).
    /// The home's report cards: each kind's latest finished period, then each period still
    /// in progress (`in_progress`: the words that mark it, 「期間途中」).
    pub latest_reports: Vec<ReportCardView>,
    /// The newest page of `content/releases/`.
    pub latest_release: Option<crate::publications::LatestRelease>,
    /// The search box and page (None with `search: false`).
    pub search: Option<SearchView>,
    /// The home page: `/`, or an older version's (`/v/v1/`).
    pub home_url: String,
}

/// `site` as one page's template sees it: the build's view, and the version switcher and the
/// older-version banner pointed at this page (None: the site is not versioned).
#[derive(Serialize)]
pub struct SiteContext<'a> {
    #[serde(flatten)]
    pub view: &'a SiteView,
    pub versions: Option<crate::versions::VersionsView>,
    /// The language switcher and `hreflang` links pointed at this page (None: one language).
    pub languages: Option<crate::languages::LanguagesView>,
}

/// What the header's search box and the search page need.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    /// Site path of the search page (`/search/`).
    pub url: String,
    /// The filters the page offers: Pagefind filter name and label.
    pub filters: Vec<FilterView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterView {
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermGroupView {
    /// Plural taxonomy name (`tags`).
    pub name: String,
    pub label: String,
    pub terms: Vec<LinkView>,
}

/// A page as listed elsewhere (section lists, term pages, feeds).
#[derive(Debug, Clone, Serialize)]
pub struct PageSummaryView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub summary: &'a str,
    pub date: Option<String>,
}

/// What templates see as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub kind: PageKind,
    pub title: &'a str,
    /// The id of the page's `<h1>` when its title was the body's first heading.
    pub title_id: Option<&'a str>,
    pub link_title: &'a str,
    pub description: Option<&'a str>,
    pub url: &'a str,
    pub permalink: String,
    pub content: &'a str,
    pub summary: &'a str,
    pub toc: &'a [TocEntry],
    pub show_toc: bool,
    pub date: Option<String>,
    pub lastmod: Option<String>,
    pub owner: Option<&'a str>,
    pub reviewed: Option<String>,
    pub review_by: Option<String>,
    pub review_overdue: bool,
    pub reading_minutes: usize,
    pub word_count: usize,
    pub terms: Vec<TermGroupView>,
    pub params: &'a Map<String, Value>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub breadcrumbs: Vec<LinkView>,
    pub has_mermaid: bool,
    pub draft: bool,
    pub section_title: &'a str,
    /// A release page (`content/releases/`): version, kind and its lists.
    pub release: Option<&'a crate::publications::ReleaseView>,
    /// A newsletter (`content/newsletters/`): its month in figures.
    pub newsletter: Option<&'a crate::figures::MonthFigures>,
    /// Links to the page's source in the repository (`repository:`), when it has a file there.
    pub edit_url: Option<String>,
    pub report_url: Option<String>,
    /// The author of the commit `lastmod` comes from (`lastmod: git`).
    pub lastmod_author: Option<&'a str>,
}

/// Children of a section page.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    pub pages: Vec<PageSummaryView<'a>>,
    /// The pages grouped by the month of their date, newest month first (release and newsletter
    /// indexes); undated pages last.
    pub months: Vec<MonthGroupView<'a>>,
    pub subsections: Vec<PageSummaryView<'a>>,
}

pub use crate::content::fields::day;

fn link(lib: &Library, id: PageId) -> LinkView {
    LinkView {
        title: lib.pages[id].link_title().to_string(),
        url: lib.pages[id].url.clone(),
    }
}

pub fn summary_view<'a>(
    lib: &'a Library,
    rendered: &'a [Rendered],
    id: PageId,
) -> PageSummaryView<'a> {
    let p = &lib.pages[id];
    PageSummaryView {
        title: p.link_title(),
        url: &p.url,
        description: p.front.description.as_deref(),
        summary: &rendered[id].summary,
        date: day(&p.front.date),
    }
}

pub struct ViewEnv<'a> {
    pub lib: &'a Library,
    pub rendered: &'a [Rendered],
    pub config: &'a crate::config::SiteConfig,
    pub ui: &'a UiStrings,
    /// The words the templates see as `ui`: the theme's, with the site's own (`i18n/`).
    pub words: &'a crate::i18n::site_words::UiWords,
    pub now: PageDate,
    pub publications: &'a crate::publications::Publications,
    /// `nav:`'s trail of each page file it lists (`Nav::trails`).
    pub nav_trails: std::collections::HashMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthGroupView<'a> {
    /// `2026-10`, or empty for undated pages.
    pub month: String,
    /// `2026年10月` / `October 2026`.
    pub label: String,
    pub pages: Vec<PageSummaryView<'a>>,
}

/// Pages grouped by month, newest first, in their order within a month.
fn by_month<'a>(
    lib: &'a Library,
    rendered: &'a [Rendered],
    ids: &[PageId],
    lang: crate::i18n::Lang,
) -> Vec<MonthGroupView<'a>> {
    let mut sorted: Vec<PageId> = ids.to_vec();
    sorted.sort_by(|&a, &b| lib.pages[b].front.date.cmp(&lib.pages[a].front.date));
    let mut out: Vec<MonthGroupView> = Vec::new();
    for id in sorted {
        let month = lib.pages[id]
            .front
            .date
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default();
        match out.last_mut() {
            Some(g) if g.month == month => g.pages.push(summary_view(lib, rendered, id)),
            _ => out.push(MonthGroupView {
                label: match lib.pages[id].front.date {
                    Some(d) => d
                        .format(lang.vocabulary().formats.month_heading)
                        .to_string(),
                    None => String::new(),
                },
                month,
                pages: vec![summary_view(lib, rendered, id)],
            }),
        }
    }
    out
}

impl<'a> ViewEnv<'a> {
    pub fn page(&self, id: PageId) -> PageView<'a> {
        let lib = self.lib;
        let p = &lib.pages[id];
        let r = &self.rendered[id];
        let show_toc = p
            .front
            .toc
            .unwrap_or(r.toc_count >= self.config.markdown.toc_min_headings)
            && !r.toc.is_empty();
        let mut breadcrumbs: Vec<LinkView> = lib
            .section_chain(p.section)
            .into_iter()
            .map(|s| link(lib, lib.sections[s].page))
            .collect();
        if p.kind != PageKind::Page {
            breadcrumbs.pop();
        }
        if let Some(home) = breadcrumbs.first_mut() {
            home.title = self.ui.home.to_string();
        }
        // A page `nav:` lists: the groups around it, as MkDocs' themes show them (names, not
        // links: a group has no page of its own).
        let file = p.rel_path.to_string_lossy().replace('\\', "/");
        let listed = (p.kind != PageKind::Home)
            .then(|| self.nav_trails.get(&file).cloned())
            .flatten();
        if let Some(groups) = listed {
            breadcrumbs.truncate(1);
            breadcrumbs.extend(groups.into_iter().map(|title| LinkView {
                title,
                url: String::new(),
            }));
        }
        let case = self.config.content_rules.url_case;
        let terms = lib
            .taxonomies
            .iter()
            .filter_map(|t| {
                let names = p.front.taxonomies.get(&t.name)?;
                let terms: Vec<LinkView> = t
                    .terms
                    .iter()
                    .filter(|term| {
                        term.pages.contains(&id)
                            && names.iter().any(|n| {
                                crate::content::urls::term_segment_in(n, case)
                                    == crate::content::urls::term_segment_in(&term.name, case)
                            })
                    })
                    .map(|term| LinkView {
                        title: term.name.clone(),
                        url: term.url.clone(),
                    })
                    .collect();
                (!terms.is_empty()).then(|| TermGroupView {
                    name: t.name.clone(),
                    label: self.ui.taxonomy_label(&t.name),
                    terms,
                })
            })
            .collect();
        let links = self.repository_links(p);
        PageView {
            kind: p.kind,
            title: &p.title,
            title_id: r.title_id.as_deref(),
            link_title: p.link_title(),
            description: p.front.description.as_deref(),
            url: &p.url,
            permalink: self.config.absolute_url(&p.url),
            content: &r.html,
            summary: &r.summary,
            toc: &r.toc,
            show_toc,
            date: day(&p.front.date),
            lastmod: day(&p.front.lastmod),
            owner: p.front.owner.as_deref(),
            reviewed: day(&p.front.reviewed),
            review_by: day(&p.front.review_by),
            review_overdue: p.front.review_by.is_some_and(|d| d < self.now),
            reading_minutes: r.reading_minutes,
            word_count: r.word_count,
            terms,
            params: &p.front.params,
            prev: p.prev.map(|i| link(lib, i)),
            next: p.next.map(|i| link(lib, i)),
            breadcrumbs,
            has_mermaid: r.has_mermaid,
            draft: p.front.draft,
            section_title: lib.pages[lib.sections[p.section].page].link_title(),
            release: self.publications.releases.get(&id),
            newsletter: self.publications.newsletters.get(&id),
            edit_url: links.as_ref().and_then(|l| l.edit.clone()),
            report_url: links.and_then(|l| l.report),
            // A customer edition (its repository links off) does not name the MSP's staff.
            lastmod_author: (p.front.lastmod_author.as_deref())
                .filter(|_| !self.config.repository.off),
        }
    }

    /// The page's edit and report links, for a page read from a Markdown file of the site's
    /// folders (not from git: an older version's file there cannot be edited).
    fn repository_links(
        &self,
        p: &crate::content::Page,
    ) -> Option<crate::config::repository::PageLinks> {
        let repo = self.config.repository.effective(&self.config.params)?;
        let source = p.source.to_str()?;
        let markdown = matches!(
            p.source.extension().and_then(|e| e.to_str()),
            Some("md" | "markdown")
        );
        if !markdown || source.contains(':') {
            return None;
        }
        Some(repo.page_links(
            &p.source,
            std::path::Path::new(&self.config.content_dir),
            &self.config.absolute_url(&p.url),
            &p.title,
            self.ui.report_title,
        ))
    }

    pub fn section(&self, s: SectionId) -> SectionView<'a> {
        let sec = &self.lib.sections[s];
        SectionView {
            months: by_month(
                self.lib,
                self.rendered,
                &sec.pages,
                crate::i18n::Lang::of(&self.config.language),
            ),
            pages: sec
                .pages
                .iter()
                .map(|&i| summary_view(self.lib, self.rendered, i))
                .collect(),
            subsections: sec
                .subsections
                .iter()
                .map(|&c| summary_view(self.lib, self.rendered, self.lib.sections[c].page))
                .collect(),
        }
    }
}
