//! The content model: pages, sections, menus and taxonomies of one site, built once per build and
//! passed by reference to the later stages. Relations are ids (indices), not references.

mod addresses;
pub mod alerts;
pub mod assemble;
pub mod cascade;
mod cascade_rules;
pub mod dates;
pub mod fields;
pub mod front_matter;
pub mod menu;
pub mod natural;
mod nav_order;
pub mod page;
pub mod parse;
pub mod permalinks;
mod same_address;
pub mod source;
pub mod taxonomy;
pub mod tree;
pub mod urls;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub use front_matter::{FrontMatter, PageDate};
pub use menu::MenuEntry;
pub use page::{Page, PageKind};
pub use taxonomy::{Taxonomy, Term};

pub type PageId = usize;
pub type SectionId = usize;

/// A folder under `content/`. Section 0 is the home page's.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` ("" for home, "sop/daily" …).
    pub dir: PathBuf,
    /// The page standing for the section (its `_index.md`, or one made up from the folder name).
    pub page: PageId,
    pub parent: Option<SectionId>,
    /// Regular pages directly in this section, in display order.
    pub pages: Vec<PageId>,
    /// Child sections, in display order.
    pub subsections: Vec<SectionId>,
    /// Files that are not Markdown in the section's folders outside leaf bundles, relative to
    /// `content/`.
    pub resources: Vec<PathBuf>,
}

/// A file of `content/` that is not Markdown, and where it is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Relative to `content/`.
    pub source: PathBuf,
    /// Site path of the copy (`/docs/img/a.png`).
    pub path: String,
}

/// Every page and section of a site, with lookups by source file and by URL.
#[derive(Debug, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub menus: BTreeMap<String, Vec<MenuEntry>>,
    /// Source path relative to `content/` (`sop/daily.md`) → page.
    pub by_source: HashMap<PathBuf, PageId>,
    /// Site path (`/sop/daily/`) → page.
    pub by_url: HashMap<String, PageId>,
    /// Each alert a runbook answers (`alerts:` in front matter) → that runbook, the first
    /// where two claim one (`alerts::claims`, set once at assembly).
    pub alerts: std::collections::BTreeMap<String, PageId>,
    /// Files that are not Markdown, with where they are published.
    pub assets: Vec<Asset>,
    /// Source path relative to `content/` → index into `assets`.
    pub asset_by_source: HashMap<PathBuf, usize>,
    /// The content folder as errors name it (`content`, `versions/v1/content`, `v0.9:content`).
    pub source_dir: PathBuf,
    /// `""`, or `/v/<name>` for an older version of the documentation (every URL above starts
    /// with it).
    pub url_prefix: String,
    /// A bilingual site's other languages' pages, by their file as on disk from the site root
    /// (`content/en/sop/daily.md`, `content/sop/daily.en.md`): their URL. A link to another
    /// language's file is written with it.
    pub other_languages: std::collections::HashMap<PathBuf, String>,
    /// Each other language's pages by their path inside that language's content
    /// (`sop/daily.md`): their URL, for `{{< relref path="sop/daily.md" lang="en" >}}`.
    /// The files the pages' include marks name (`markdown.includes`), as the site read them.
    pub included: std::sync::Arc<crate::markdown::includes::IncludedFiles>,
    pub language_files:
        std::collections::HashMap<String, std::collections::HashMap<PathBuf, String>>,
    /// The site's content folder (`content`), which a link from `/` names files in.
    pub content_root: String,
    /// The first moment after the build's clock at which a page's dates (`publishDate`,
    /// `expiryDate`, `review_by`) change what is built; None when no date lies ahead. A build
    /// whose inputs did not change may be skipped until then (`site::build_cache`).
    pub clock_horizon: Option<PageDate>,
}

/// Site path → page, the first page wanting a URL winning (two pages wanting the same URL are
/// reported when output paths are checked).
pub fn url_index(pages: &[Page]) -> HashMap<String, PageId> {
    let mut by_url = HashMap::new();
    for (id, p) in pages.iter().enumerate() {
        by_url.entry(p.url.clone()).or_insert(id);
    }
    by_url
}

impl Library {
    pub fn section_of(&self, page: PageId) -> &Section {
        &self.sections[self.pages[page].section]
    }

    /// Sections from the home section down to `section`, inclusive.
    pub fn section_chain(&self, section: SectionId) -> Vec<SectionId> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// Regular pages in a section and all its subsections, in display order per section.
    pub fn pages_below(&self, section: SectionId) -> Vec<PageId> {
        let mut out = self.sections[section].pages.clone();
        for &sub in &self.sections[section].subsections {
            out.extend(self.pages_below(sub));
        }
        out
    }

    /// The section whose index page is `page`, if it is one.
    pub fn section_for_index(&self, page: PageId) -> Option<SectionId> {
        match self.pages[page].kind {
            PageKind::Section | PageKind::Home => Some(self.pages[page].section),
            PageKind::Page => None,
        }
    }
}
