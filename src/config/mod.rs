//! `site.yaml` → a typed `SiteConfig`. The one place that knows the site's configuration keys;
//! everything else receives the typed value.

mod checks;
pub mod customers;
pub mod email;
pub mod foreign;
pub mod key_place;
pub mod keys;
pub mod kpi;
pub mod labels;
pub mod languages;
mod load;
pub mod nav;
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

use crate::error::{Code, Diagnostic, Location};

pub use crate::layout::CONFIG_FILE;
pub use checks::{
    check_base_url, check_content_dir, check_language, check_permalink, config_link_problem,
    read_config_file, utf8_text, PERMALINK_TOKENS,
};
use load::unknown_key_warnings;
pub use load::unknown_keys_of;

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
    pub markdown: MarkdownConfig,
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
    /// `availability`, `api` and `indicators` keys, at the top level of site.yaml).
    #[serde(flatten)]
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
            markdown: MarkdownConfig::default(),
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
    /// Syntax-highlight fenced code at build time.
    pub highlight: bool,
    /// A page shows its table of contents when it has at least this many h2/h3 headings.
    pub toc_min_headings: usize,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: RawHtml::Pass,
            highlight: true,
            toc_min_headings: 3,
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

/// serde gives no place for a mistake inside the KPI keys, which `SiteConfig` flattens into the
/// top level (the error comes out at 1:1 without the key's name); the KPI part read alone gives
/// both (`data.tickets.dedupe.keep: unknown variant …` at its line).
fn locate_flattened(text: &str, e: crate::yaml::YamlError) -> crate::yaml::YamlError {
    if (e.line, e.column) != (1, 1) {
        return e;
    }
    match crate::yaml::from_str::<kpi::KpiConfig>(text) {
        Err(inner) if (inner.line, inner.column) != (1, 1) => inner,
        _ => e,
    }
}

impl SiteConfig {
    /// Parse the text of `site.yaml`; `file` is only used to locate errors.
    pub fn parse(text: &str, file: &Path) -> Result<SiteConfig, Diagnostic> {
        SiteConfig::parse_with_warnings(text, file).map(|(c, _)| c)
    }

    /// Parse the text of `site.yaml`, with a warning for every key opsite does not read.
    pub fn parse_with_warnings(
        text: &str,
        file: &Path,
    ) -> Result<(SiteConfig, Vec<Diagnostic>), Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let located = |e: crate::yaml::YamlError| {
            Diagnostic::error(
                Code::Config,
                Location::at(file, e.line, Some(e.column)),
                e.message,
            )
        };
        let mut config: SiteConfig = crate::yaml::from_str(text).map_err(|e| {
            // A file that is not a map at all (a token behind a mistaken link) is named by its
            // kind, never printed whole as serde's message would.
            match crate::yaml::to_value_keeping_last(text) {
                Ok((v, _)) if !v.is_object() && !v.is_null() => Diagnostic::error(
                    Code::Config,
                    Location::at(file, 1, None),
                    format!(
                        "holds {}, not settings (`key: value` lines)",
                        foreign::kind_of(&v)
                    ),
                ),
                _ => located(locate_flattened(text, e)),
            }
        })?;
        let at_key = |key: &str| match keys::locate(text, &[keys::Step::Key(key.to_string())]) {
            Some((line, column)) => Location::at(file, line, Some(column)),
            None => Location::file(file),
        };
        if ![1, 4, 7, 10].contains(&config.fiscal_year_start) {
            return Err(Diagnostic::error(
                Code::Config,
                at_key("fiscal_year_start"),
                format!(
                    "fiscal_year_start: {} is not a month a fiscal year starts in here: 1 (January, the default), 4, 7 or 10",
                    config.fiscal_year_start
                ),
            ));
        }
        if let Err((item, message)) = config.kpi.priority_levels.check() {
            let mut steps = vec![keys::Step::Key("priority_levels".into())];
            steps.extend(item.map(keys::Step::Index));
            let at = match keys::locate(text, &steps) {
                Some((line, column)) => Location::at(file, line, Some(column)),
                None => at_key("priority_levels"),
            };
            let message = format!("priority_levels: {message}");
            return Err(Diagnostic::error(Code::Config, at, message));
        }
        // A value refused at its key's line, named as `label` (`permalinks.blog`).
        let refused = |key: &str, label: &str, e: String| {
            Diagnostic::error(Code::Config, at_key(key), format!("{label}: {e}"))
        };
        check_base_url(&config.base_url).map_err(|e| refused("base_url", "base_url", e))?;
        check_language(&config.language).map_err(|e| refused("language", "language", e))?;
        for (section, pattern) in config.permalink_patterns() {
            check_permalink(pattern)
                .map_err(|e| refused("permalinks", &format!("permalinks.{section}"), e))?;
        }
        check_content_dir(&config.content_dir)
            .map_err(|e| refused("content_dir", "content_dir", e))?;
        if let Some(name) = config
            .taxonomy_names()
            .into_iter()
            .find(|n| n == "q" || n == "section")
        {
            return Err(refused(
                "taxonomies",
                "taxonomies",
                format!("`{name}` is a name the search page gives its own query or section filter in the address (/search/?q=…&section=…); name the taxonomy otherwise"),
            ));
        }
        checks::section_settings(&config, text, file)?;
        config.normalise();
        let doc = crate::yaml::to_value(text).map_err(located)?;
        let mut warnings: Vec<Diagnostic> = Vec::new();
        if !crate::word_files::has_words_for(&config.language) {
            warnings.push(Diagnostic::warning(Code::Config,
                at_key("language"),
                format!(
                    "language: opsite has words in {} (src/i18n/<code>.yaml); `{}` pages get the English ones",
                    crate::word_files::codes(),
                    config.language
                ),
            ));
        }
        // A label for a priority the site does not have names nothing (`urgent:`).
        let levels = &config.kpi.priority_levels;
        for code in config.labels.priority.keys() {
            if levels.parse(code).is_none() {
                let known = levels.listed();
                let keys: Vec<String> = levels.all().map(|p| levels.key(p).to_string()).collect();
                let hint = keys::closest(code, keys.iter().map(String::as_str))
                    .map(|k| format!("did you mean {k}? "))
                    .unwrap_or_default();
                warnings.push(label_warning(text, file, "priority", code, format!("{hint}labels name the site's priority levels ({known}, from priority_levels); an export's own values go under data.tickets.priorities")));
            }
        }
        // (Service labels are checked against the data's services: `site::reports`.)
        let unknown = key_mistakes(&doc, text, file)?;
        if let Err((i, e)) = versions::checked(&config.versions) {
            return Err(Diagnostic::error(
                Code::Config,
                versions::entry_location(text, file, i),
                e,
            ));
        }
        check_languages(&mut config, &doc, text, file)?;
        let (base_url, contracts) = (config.base_url.clone(), config.kpi.contracts.clone());
        if let Err((i, key, e)) = customers::checked(&mut config.customers, &base_url, &contracts) {
            return Err(Diagnostic::error(
                Code::Config,
                customers::entry_location(text, file, i, key),
                e,
            ));
        }
        warnings.extend(unknown);
        Ok((config, warnings))
    }

    fn normalise(&mut self) {
        self.kpi.edition_customers = (self.customers.iter())
            .map(|c| c.name.trim().to_string())
            .collect();
        if self.base_url.is_empty() {
            self.base_url = "/".into();
        }
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        if self.language.is_empty() {
            self.language = "ja".into();
        }
        if self.theme.is_empty() {
            self.theme = "default".into();
        }
        let dir = self.content_dir.trim_matches('/').replace('\\', "/");
        self.content_dir = match dir.trim_start_matches("./") {
            "" => "content".into(),
            d => d.to_string(),
        };
        if !self.params.is_object() {
            self.params = serde_json::Value::Object(Default::default());
        }
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

/// A warning for each key opsite does not read; a mistyped key in a version entry (`pth:`) or a
/// language entry (`contnet:`, `wieght:`) is an error instead: it would quietly publish the
/// site's own content under that version's name, or move the default language.
fn key_mistakes(
    doc: &serde_json::Value,
    text: &str,
    file: &Path,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let unknown = keys::unknown_keys(doc, &keys::SITE);
    let under = |u: &keys::UnknownKey, top: &str| matches!(u.path.first(), Some(keys::Step::Key(k)) if k == top);
    let version_mistake = unknown.iter().any(|u| under(u, "versions"));
    let language_mistake = unknown.iter().any(|u| under(u, "languages"));
    let mut unknown = unknown_key_warnings(unknown, text, file);
    for (mistake, top, takes) in [
        (
            version_mistake,
            "versions",
            "a version entry takes name, path, git and latest",
        ),
        (
            language_mistake,
            "languages",
            "a language entry takes title, content, weight, path, name, menus, params and cascade",
        ),
    ] {
        if !mistake {
            continue;
        }
        let mut d = unknown.remove(
            unknown
                .iter()
                .position(|d| d.message.starts_with(&format!("unknown key {top}")))
                .unwrap_or(0),
        );
        d.severity = crate::error::Severity::Error;
        d.message.push_str(&format!(": {takes}"));
        return Err(d);
    }
    Ok(unknown)
}

/// A warning at `labels.<kind>.<code>` in site.yaml (the file's start when it cannot be found).
/// `languages:` checked; a top-level `language:` that is not the default language is an error at
/// its line (it would say one thing while the pages say another). With `languages:`, `language`
/// becomes the default language's code.
fn check_languages(
    config: &mut SiteConfig,
    doc: &serde_json::Value,
    text: &str,
    file: &Path,
) -> Result<(), Diagnostic> {
    if config.languages.is_empty() {
        return Ok(());
    }
    let at = |path: &[keys::Step]| match keys::locate(text, path) {
        Some((line, column)) => Location::at(file, line, Some(column)),
        None => Location::file(file),
    };
    let list =
        languages::checked(&config.languages, &config.content_dir).map_err(|(code, e)| {
            let path = [keys::Step::Key("languages".into()), keys::Step::Key(code)];
            Diagnostic::error(Code::Config, at(&path), e)
        })?;
    let default = &list[0];
    if let Some(written) = doc.get("language").and_then(|v| v.as_str()) {
        if !written.eq_ignore_ascii_case(&default.code) {
            return Err(Diagnostic::error(
                Code::Config,
                at(&[keys::Step::Key("language".into())]),
                format!(
                    "language: `{written}` is not the default language of `languages:` (`{}`, the lowest weight); remove `language:` or make it `{}`",
                    default.code, default.code
                ),
            ));
        }
    }
    config.language = default.code.clone();
    if list.len() == 1 {
        // One language listed: the site is that language, with its title, menus and params.
        let own = config.for_language(&list, 0);
        *config = SiteConfig {
            languages: BTreeMap::new(),
            ..own
        };
        if let languages::LanguageContent::Folder(f) = &default.content {
            config.content_dir = format!("{}/{f}", config.content_dir);
        }
    }
    Ok(())
}

pub fn label_warning(text: &str, file: &Path, kind: &str, code: &str, why: String) -> Diagnostic {
    let path = ["labels", kind, code].map(|k| keys::Step::Key(k.into()));
    let at = match keys::locate(text, &path) {
        Some((line, column)) => Location::at(file, line, Some(column)),
        None => Location::file(file),
    };
    Diagnostic::warning(Code::Config, at, format!("labels.{kind}.{code}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_keys_are_absent() {
        let c = SiteConfig::parse("title: 運用ポータル\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.title, "運用ポータル");
        assert_eq!(c.language, "ja");
        assert_eq!(c.taxonomy_names(), vec!["categories", "tags"]);
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let c = SiteConfig::parse(
            "base_url: https://ops.example.jp/portal\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.base_path(), "/portal/");
        assert_eq!(
            c.absolute_url("/sop/"),
            "https://ops.example.jp/portal/sop/"
        );
    }

    #[test]
    fn a_key_the_text_cannot_show_is_still_located() {
        // `?` starts a YAML complex key; here its key is null.
        let (_, w) = SiteConfig::parse_with_warnings("?", Path::new("site.yaml")).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.line, Some(1), "{}", w[0]);
    }

    #[test]
    fn unknown_keys_are_warnings_with_line_and_suggestion() {
        let (c, w) = SiteConfig::parse_with_warnings(
            "title: x\nbase_url: /\nlanguage: ja\ntheme: default\nparams: {}\nrelative_url: true\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert!(!c.relative_urls);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].to_string(),
            "site.yaml:6:1: warning: unknown key relative_url (did you mean relative_urls?)"
        );
    }

    #[test]
    fn type_errors_are_located() {
        let e = SiteConfig::parse("title: x\nrelative_urls: maybe\n", Path::new("site.yaml"))
            .unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert!(e.message.contains("relative_urls"), "{}", e.message);
    }

    #[test]
    fn a_mistyped_first_status_names_what_may_be_written() {
        let text = "data:\n  tickets:\n    files: t.csv\n    columns:\n      responded_at: {first_statuses: [Active]}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(5), "{}", e.message);
        assert!(
            e.message
                .contains("unknown key `first_statuses` (did you mean first_status?)"),
            "{}",
            e.message
        );
        let text = "data:\n  tickets:\n    files: t.csv\n    columns: {id: 2026, responded_at: {first_status: Active}}\n";
        let c = SiteConfig::parse(text, Path::new("site.yaml")).unwrap();
        let t = c.kpi.data.tickets.unwrap();
        assert_eq!(t.column("id"), "2026");
        assert_eq!(t.response_statuses(), Some(&["Active".to_string()][..]));
    }

    #[test]
    fn mistakes_inside_the_kpi_keys_are_located_and_named() {
        let text = "title: x\ndata:\n  tickets:\n    files: t.csv\n    dedupe:\n      keep: lst\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(6), "{}", e.message);
        assert!(
            e.message
                .starts_with("data.tickets.dedupe.keep: unknown variant `lst`"),
            "{}",
            e.message
        );
        let text = "data:\n  downtime:\n    files: d.csv\n    covers: {from: 2026/09/01}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(4), "{}", e.message);
        assert!(
            e.message.starts_with("data.downtime.covers.from"),
            "{}",
            e.message
        );
    }
}
