//! `site.yaml` → a typed `SiteConfig`. The one place that knows the site's configuration keys;
//! everything else receives the typed value.

mod checks;
pub mod content_rules;
pub mod customers;
pub mod email;
pub mod foreign;
pub mod key_place;
pub mod keys;
pub mod kpi;
pub mod labels;
pub mod languages;
mod load;
mod missing_fields;
pub mod nav;
mod parse;
pub mod pdf;
pub mod priority;
pub mod reports;
pub mod repository;
mod scalar;
pub mod shape;
pub mod sla;
pub mod source_settings;
pub mod versions;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::layout::CONFIG_FILE;
pub use checks::{
    check_base_url, check_content_dir, check_language, check_permalink, config_link_problem,
    read_config_file, utf8_text, PERMALINK_TOKENS,
};
pub use load::unknown_keys_of;
pub use parse::label_warning;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute URL the site is published under, e.g. `https://ops.example.jp/portal/`.
    pub base_url: String,
    /// `ja` (default) or `en`: `<html lang>` and the theme's UI strings.
    pub language: String,
    /// The month a fiscal year starts in (1, 4, 7 or 10): quarters are named by it
    /// (「2026年度 第3四半期」); their ids and URLs stay calendar quarters.
    pub fiscal_year_start: u32,
    /// Display names for coded values (`labels: {priority: {critical: 緊急}}`).
    pub labels: labels::LabelsConfig,
    pub theme: String,
    /// The folder holding the pages, relative to the site root (`content`; a tree moved from
    /// MkDocs keeps `docs`, Hugo's `contentDir` is read as this).
    pub content_dir: String,
    /// The navigation's order and titles in MkDocs' form (empty: pages are ordered by weight,
    /// date and title).
    pub nav: nav::Nav,
    /// Hugo's shape: `menus: {main: [{name, url, weight, pre, parent, identifier}]}`.
    pub menus: BTreeMap<String, Vec<MenuEntryConfig>>,
    /// How many entries the header's menu shows (the main menu, then the taxonomy links); the
    /// rest fold into a 「その他」 menu. Default `MENU_MAX`.
    pub menu_max: Option<usize>,
    /// Hugo's `permalinks`: a section's regular pages at addresses made from a pattern
    /// (`{blog: "/:section/:year/:month/:slug/"}`).
    pub permalinks: BTreeMap<String, serde_json::Value>,
    /// Hugo's shape: singular → plural (`{tag: tags, category: categories}`).
    #[serde(default = "default_taxonomies")]
    pub taxonomies: BTreeMap<String, String>,
    /// Write each taxonomy's list page (`/tags/`); `false` writes only the term pages
    /// (`/tags/itil/`), as Hugo's `disableKinds: [taxonomy]`.
    pub taxonomy_lists: bool,
    pub markdown: MarkdownConfig,
    /// Rules a tree written for MkDocs or Hugo keeps (titles, an address's case, front matter
    /// that does not parse, two files for one address); `opsite init` writes them.
    pub content_rules: content_rules::ContentRules,
    pub shortcodes: ShortcodeConfig,
    pub params: serde_json::Value,
    /// Hugo's site-wide cascade: front matter handed to every page a rule targets (lowest
    /// priority: a page's own values and its sections' cascades win).
    pub cascade: serde_json::Value,
    /// Make every link relative (and directory links end in `index.html`), so the output works
    /// from a file share without a web server.
    pub relative_urls: bool,
    /// Write the search index and the search page (`search: false` turns both off).
    pub search: bool,
    /// Also write an index the search page loads with a plain `<script>`, for a site opened
    /// from a file share (`file://`), where browsers refuse Pagefind's module.
    pub search_file_share: bool,
    /// Data sources, calendars, SLA and indicators (the `timezone`, `data`, `calendars`, `sla`,
    /// `availability`, `api` and `indicators` keys, at the top level of site.yaml), read from the
    /// same text on their own (`parse`): a flattened struct would hide their keys from the
    /// unknown-key check.
    #[serde(skip)]
    pub kpi: kpi::KpiConfig,
    /// Generated report pages (sites with `data:`).
    pub reports: reports::ReportsConfig,
    /// The status email (`opsite email`).
    pub email: email::EmailConfig,
    /// Printed reports and handbooks (`opsite pdf`).
    pub pdf: pdf::PdfConfig,
    /// Versions of the documentation, newest first (empty: the site has one).
    pub versions: Vec<versions::VersionConfig>,
    /// Runbooks by the alerts they answer: the index page and the rules files `check` reads.
    pub alerts: AlertsConfig,
    /// Where the sources live: each page's "edit this page" and "report a problem" links
    /// (`repository: https://…` alone is the address).
    #[serde(deserialize_with = "repository::address_or_fields")]
    pub repository: repository::RepositoryConfig,
    /// `lastmod: git`: a page without `lastmod` in front matter takes its file's last commit
    /// (date and author), as Hugo's `enableGitInfo`.
    pub lastmod: Option<String>,
    /// Escalation routes written in site.yaml instead of `data/escalation.yaml` (Null: none).
    pub escalation: serde_json::Value,
    /// The languages of a bilingual site by code (empty: the site has one, `language`).
    pub languages: BTreeMap<String, languages::LanguageConfig>,
    /// Customers with an edition of their own (`editions/<slug>/`).
    pub customers: Vec<customers::CustomerConfig>,
    /// `opsite check --external`: URL patterns to skip, time-outs and limits.
    pub check: versions::CheckConfig,
    /// A customer edition's own home text (`customers[].home`, relative to the content
    /// folder): set on the edition's configuration, never read from site.yaml.
    #[serde(skip)]
    pub edition_home: Option<PathBuf>,
    /// The slug of the customer whose edition this configuration builds: set on the edition's
    /// configuration, never read from site.yaml.
    #[serde(skip)]
    pub edition_of: Option<String>,
    /// Bounds on what a build reads (`limits.file_mb`).
    pub limits: LimitsConfig,
    /// The file the configuration was read from, relative to the root (`site.yaml`, or a
    /// Hugo or MkDocs tree's own), for messages.
    #[serde(skip)]
    pub source_file: std::path::PathBuf,
}

/// `alerts:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AlertsConfig {
    /// Write `/runbooks/alerts/` (and `runbooks.json`) when a runbook names an alert.
    pub index: bool,
    /// Prometheus rules files (globs, from the site root) `opsite check` compares with the
    /// runbooks' alerts.
    pub rules_files: Vec<String>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            index: true,
            rules_files: Vec::new(),
        }
    }
}

/// `limits:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LimitsConfig {
    /// The most a content, template or static file may hold, in MB (data exports, which are
    /// streamed, have no such cap).
    pub file_mb: u64,
    /// The most characters one Mermaid label may hold.
    pub diagram_label_chars: usize,
    /// The most Mermaid source one page may hold, in KB (1 KB = 1,000 bytes).
    pub diagram_page_kb: u64,
    /// The most layout work one page's diagrams may take, in units of about a second on two
    /// cores (a diagram of 60 links is 3.7 units).
    pub diagram_page_work: f64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            file_mb: crate::walk::DEFAULT_FILE_CAP_MB,
            diagram_label_chars: DEFAULT_DIAGRAM_LABEL_CHARS,
            diagram_page_kb: DEFAULT_DIAGRAM_PAGE_KB,
            diagram_page_work: DEFAULT_DIAGRAM_PAGE_WORK,
        }
    }
}

/// The defaults of `limits.diagram_label_chars` and `limits.diagram_page_kb`: layout time grows
/// with the length of labels (each is wrapped and measured in every pass) and with links; at
/// these a page of diagrams lays out in a few seconds on two cores, cold (BENCHMARKS.md,
/// "Diagrams").
pub const DEFAULT_DIAGRAM_LABEL_CHARS: usize = 200;
pub const DEFAULT_DIAGRAM_PAGE_KB: u64 = 32;
pub const DEFAULT_DIAGRAM_PAGE_WORK: f64 = 4.0;

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "opsite".into(),
            base_url: "/".into(),
            language: "ja".into(),
            fiscal_year_start: 1,
            labels: labels::LabelsConfig::default(),
            theme: "default".into(),
            content_dir: "content".into(),
            permalinks: BTreeMap::new(),
            nav: nav::Nav::default(),
            menus: BTreeMap::new(),
            menu_max: None,
            languages: BTreeMap::new(),
            alerts: AlertsConfig::default(),
            repository: Default::default(),
            lastmod: None,
            escalation: serde_json::Value::Null,
            taxonomies: default_taxonomies(),
            taxonomy_lists: true,
            markdown: MarkdownConfig::default(),
            content_rules: Default::default(),
            shortcodes: ShortcodeConfig::default(),
            params: serde_json::Value::Object(Default::default()),
            cascade: serde_json::Value::Null,
            relative_urls: false,
            search: true,
            search_file_share: false,
            kpi: kpi::KpiConfig::default(),
            reports: reports::ReportsConfig::default(),
            email: email::EmailConfig::default(),
            pdf: pdf::PdfConfig::default(),
            versions: Vec::new(),
            customers: Vec::new(),
            check: versions::CheckConfig::default(),
            limits: LimitsConfig::default(),
            edition_home: None,
            edition_of: None,
            source_file: CONFIG_FILE.into(),
        }
    }
}

fn default_taxonomies() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("tag".into(), "tags".into()),
        ("category".into(), "categories".into()),
    ])
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct MenuEntryConfig {
    pub name: String,
    pub url: String,
    pub weight: Option<i64>,
    pub pre: String,
    pub parent: Option<String>,
    pub identifier: Option<String>,
}

/// `markdown.heading_ids`: the rule a heading's id is made by.
#[derive(Debug, Clone, Copy, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum HeadingIds {
    /// Letters of every script kept, ASCII lower-cased, spaces `-`, repeats `-1` (`#日次運用`).
    #[default]
    Opsite,
    /// Python-Markdown's `toc` default (MkDocs): ASCII only (accents dropped), lower-cased,
    /// runs of spaces and `-` one `-`, repeats and empty ids `_1`, `_2` (`## filterブロック` is
    /// `#filter`).
    Mkdocs,
    /// `toc.slugify_unicode` and `pymdownx.slugs.uslugify`: as `mkdocs`, letters of every script
    /// kept.
    MkdocsUnicode,
    /// `pymdownx.slugs.slugify` (`case: lower`): letters of every script kept and lower-cased,
    /// each space one `-`, repeats `_1`.
    PymdownxLower,
    /// `pymdownx.slugs.slugify` without `case`: as `pymdownx-lower`, case kept.
    Pymdownx,
    /// Hugo's (Goldmark's `github` ids): letters and digits lower-cased, each space or `-` one
    /// `-`, the rest dropped (`Threshold (%)` is `#threshold-`), repeats `-1`, empty `heading`.
    Hugo,
}

impl HeadingIds {
    /// Python-Markdown's rules (MkDocs): repeats `_1`, the title's heading numbered first.
    pub fn python_markdown(self) -> bool {
        matches!(
            self,
            HeadingIds::Mkdocs
                | HeadingIds::MkdocsUnicode
                | HeadingIds::Pymdownx
                | HeadingIds::PymdownxLower
        )
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Authors are staff: raw HTML in Markdown is passed through.
    #[default]
    Pass,
    /// Raw HTML is shown as text.
    Escape,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct MarkdownConfig {
    pub raw_html: RawHtml,
    /// How a heading's id is made from its text: opsite's own rule, or the rule of the
    /// generator a tree was written for (`opsite init` writes it), so its links keep working.
    pub heading_ids: HeadingIds,
    /// Syntax-highlight fenced code at build time.
    pub highlight: bool,
    /// A page shows its table of contents when it has at least this many h2/h3 headings.
    pub toc_min_headings: usize,
    /// Files written into pages where they are named, as MkDocs' include extensions do.
    pub includes: IncludesConfig,
    /// `{#id .class}` after a heading sets its id and class (Python-Markdown's `attr_list`);
    /// `false` reads the braces as the heading's text, as MkDocs does without that extension.
    pub attribute_lists: bool,
}

/// `markdown.includes`: MkDocs' include extensions, read as they read (a tree's `mkdocs.yml`
/// turns them on; `opsite init` writes them). Files are read from inside the site only.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct IncludesConfig {
    /// `markdown_include`'s `{!path!}`: the file's text in place of the mark.
    pub markdown_include: Option<MarkdownIncludeConfig>,
    /// `pymdownx.snippets`' `--8<-- "path"` lines (and blocks of paths between two `--8<--`).
    pub snippets: Option<SnippetsConfig>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct MarkdownIncludeConfig {
    /// The folder paths are read from, relative to the site root (`.`).
    pub base_path: String,
}

impl Default for MarkdownIncludeConfig {
    fn default() -> Self {
        MarkdownIncludeConfig {
            base_path: ".".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SnippetsConfig {
    /// The folders a path is looked for in, in order, relative to the site root (`[.]`); a
    /// path leading out of them is not read.
    pub base_path: Vec<String>,
    /// A snippet not found is an error (as with `check_paths: true`), else a warning and left
    /// out.
    pub check_paths: bool,
}

impl Default for SnippetsConfig {
    fn default() -> Self {
        SnippetsConfig {
            base_path: vec![".".into()],
            check_paths: false,
        }
    }
}

impl IncludesConfig {
    pub fn any(&self) -> bool {
        self.markdown_include.is_some() || self.snippets.is_some()
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: RawHtml::Pass,
            heading_ids: HeadingIds::Opsite,
            highlight: true,
            toc_min_headings: 3,
            includes: IncludesConfig::default(),
            attribute_lists: true,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShortcodeConfig {
    /// Shortcodes without a template that are dropped with a warning instead of failing the build.
    pub ignore: Vec<String>,
    /// Every shortcode without a template is dropped with a warning: a tree built from its own
    /// Hugo configuration (no site.yaml yet) uses its theme's by the dozen, and should build on
    /// the first try.
    #[serde(skip)]
    pub tolerate_unknown: bool,
}

impl SiteConfig {
    /// The folders holding the site's pages, relative to the root and without a trailing
    /// slash: the content folder and each version's own (`versions[].path`).
    pub fn page_folders(&self) -> Vec<String> {
        let versions = (self.versions.iter()).filter_map(|v| match v.source() {
            versions::VersionSource::Folder(f) => Some(f),
            _ => None,
        });
        (std::iter::once(self.content_dir.clone()).chain(versions))
            .map(|f| f.trim_end_matches('/').to_string())
            .collect()
    }

    /// A customer's `home`, relative to the content folder: written either from it
    /// (`homes/acme.md`) or from the site (`content/homes/acme.md`).
    pub fn home_in_content(&self, home: &Path) -> PathBuf {
        let content = Path::new(&self.content_dir);
        home.strip_prefix(content).unwrap_or(home).to_path_buf()
    }

    /// Files and folders of one audience's own, relative to the site root: the reports'
    /// commentary and each customer's home text. Read where they are, never through a link.
    pub fn own_places(&self) -> Vec<PathBuf> {
        let content = Path::new(&self.content_dir);
        let commentary = crate::layout::COMMENTARY_FOLDERS.map(|f| content.join(f));
        let homes = (self.customers.iter()).filter_map(|c| {
            c.home
                .as_ref()
                .map(|h| content.join(self.home_in_content(h)))
        });
        commentary.into_iter().chain(homes).collect()
    }

    /// The `permalinks` patterns by section (Hugo's newer form nests them under `page:`).
    pub fn permalink_patterns(&self) -> Vec<(&str, &str)> {
        let page = match self.permalinks.get("page") {
            Some(serde_json::Value::Object(m)) => Some(m),
            _ => None,
        };
        let pairs: Vec<(&String, &serde_json::Value)> = match page {
            Some(m) => m.iter().collect(),
            None => self.permalinks.iter().collect(),
        };
        pairs
            .into_iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
            .collect()
    }

    /// The site's languages, the default first (empty: one language, `language`).
    pub fn languages(&self) -> Vec<languages::Language> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        languages::checked(&self.languages, &self.content_dir).unwrap_or_default()
    }

    /// The configuration one language of a bilingual site is built with: its code, title and
    /// menus, and its params and cascade over the default language's and the site's.
    pub fn for_language(&self, all: &[languages::Language], i: usize) -> SiteConfig {
        let lang = &all[i];
        let default = &all[0];
        let mut c = self.clone();
        c.language = lang.code.clone();
        if let Some(t) = &lang.title {
            c.title = t.clone();
        }
        if let Some(m) = lang.menus.as_ref().or(default.menus.as_ref()) {
            c.menus = m.clone();
        }
        c.params = languages::merged(
            &languages::merged(&self.params, &default.params),
            &lang.params,
        );
        c.cascade = languages::merged(
            &languages::merged(&self.cascade, &default.cascade),
            &lang.cascade,
        );
        c
    }

    /// The documentation's versions, the latest first (empty: the site is not versioned).
    pub fn versions(&self) -> Vec<versions::Version> {
        versions::checked(&self.versions).unwrap_or_default()
    }

    /// The path part of `base_url` (`/portal/` for `https://ops.example.jp/portal/`), always ending in `/`.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.find("://") {
            Some(i) => {
                let after = &self.base_url[i + 3..];
                after.find('/').map(|j| &after[j..]).unwrap_or("/")
            }
            None => self.base_url.as_str(),
        };
        let mut p = if rest.starts_with('/') {
            rest.to_string()
        } else {
            format!("/{rest}")
        };
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }

    /// `https://host/portal/` + `/sop/daily/` → `https://host/portal/sop/daily/` (for feeds and sitemaps).
    pub fn absolute_url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path.trim_start_matches('/'))
    }

    /// Taxonomy plural names (`tags`, `categories`) in a stable order.
    pub fn taxonomy_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.taxonomies.values().cloned().collect();
        v.sort();
        v.dedup();
        v
    }
}
