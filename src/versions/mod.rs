//! Versioned documentation. Each version listed in `site.yaml` `versions:` is built from its own
//! content (the site's `content/`, a folder, or a git ref) through the same pipeline; the latest
//! is served at the site root and the others under `/v/<name>/`. This module holds what is
//! particular to versions: reading a version's content, moving an older version's library under
//! its prefix, the switcher's view, and the pass that points each switcher link at the same page
//! in the other version (or that version's home) once every version's files are known.

pub mod git;

use std::collections::HashSet;

use serde::Serialize;

use crate::config::versions::{Version, VersionSource};
use crate::content::source::ContentSources;
use crate::content::{urls, Library, MenuEntry};
use crate::render::urls::{relative, UrlMode};

/// A version that is not the latest, with its content read.
pub struct OlderVersion {
    pub version: Version,
    pub content: ContentSources,
}

/// What a template writes for "this page in version `i`"; `resolve_switchers` replaces it with
/// the address once every version's files are known. Not a site path, so the URL pass leaves it.
pub const MARKER: &str = "opsite-version:";
/// What every marker starts with (the one pass looks for this).
const MARKER_STEM: &str = "opsite-version";

fn marker(i: usize) -> String {
    format!("{MARKER}{i}:")
}

/// Where the older-version banner's link text goes: "see this page in the latest" when the
/// latest has the page, "go to the latest's home" when not.
pub const TEXT_MARKER: &str = "opsite-version-text:latest:";

/// Read a version's content. `Content` is the site's own folder.
pub fn load_content(
    reader: &crate::walk::SiteReader,
    version: &Version,
) -> Result<(ContentSources, Vec<crate::error::Diagnostic>), String> {
    let root = reader.root();
    match &version.source {
        VersionSource::Content => {
            crate::content::source::load(&root.join("content"), reader).map_err(|e| e.to_string())
        }
        VersionSource::Folder(path) => {
            let dir = root.join(path);
            if dir.is_file() {
                return Err(format!(
                    "version {}: {path} is a file; `path:` names the folder holding the version's content",
                    version.name
                ));
            }
            if !dir.is_dir() {
                return Err(format!(
                    "version {}: the folder {path} does not exist",
                    version.name
                ));
            }
            crate::content::source::load(&dir, reader).map_err(|e| e.to_string())
        }
        VersionSource::Git { reference, path } => git::load(root, reference, path)
            .map_err(|e| format!("version {} (git: {reference}): {e}", version.name)),
    }
}

/// The switcher as templates see it: `site.versions`.
#[derive(Debug, Clone, Serialize)]
pub struct VersionsView {
    /// The version this page belongs to.
    pub current: String,
    pub is_latest: bool,
    /// The latest version's name, and this page in it (for the older-version banner).
    pub latest: String,
    pub latest_url: String,
    /// The link's words (which depend on whether the latest has this page).
    pub latest_text: String,
    pub list: Vec<VersionLinkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionLinkView {
    pub name: String,
    /// This page in that version, or that version's home.
    pub url: String,
    pub current: bool,
    pub latest: bool,
}

pub fn view(versions: &[Version], current: usize) -> VersionsView {
    VersionsView {
        current: versions[current].name.clone(),
        is_latest: current == 0,
        latest: versions[0].name.clone(),
        latest_url: marker(0),
        latest_text: TEXT_MARKER.into(),
        list: versions
            .iter()
            .enumerate()
            .map(|(i, v)| VersionLinkView {
                name: v.name.clone(),
                url: marker(i),
                current: i == current,
                latest: i == 0,
            })
            .collect(),
    }
}

/// Put an older version's pages, sections, terms, aliases and files under `prefix` (`/v/v1`).
/// Menu entries that name one of the version's own pages follow them; the others (`/reports/`,
/// external links) are left as written.
pub fn relocate(lib: &mut Library, prefix: &str) {
    let mut own: HashSet<String> = lib.by_url.keys().cloned().collect();
    for t in &lib.taxonomies {
        own.insert(t.url.clone());
        own.extend(t.terms.iter().map(|x| x.url.clone()));
    }
    let moved = |u: &str| format!("{prefix}{u}");
    for page in &mut lib.pages {
        page.url = moved(&page.url);
        page.output_path = urls::output_path(&page.url);
        for alias in &mut page.aliases {
            alias.path = moved(&alias.path);
        }
    }
    for t in &mut lib.taxonomies {
        t.url = moved(&t.url);
        for term in &mut t.terms {
            term.url = moved(&term.url);
        }
    }
    fn walk(entries: &mut [MenuEntry], own: &HashSet<String>, prefix: &str) {
        for e in entries {
            if e.page.is_some() || own.contains(&e.url) {
                e.url = format!("{prefix}{}", e.url);
            }
            walk(&mut e.children, own, prefix);
        }
    }
    for entries in lib.menus.values_mut() {
        walk(entries, &own, prefix);
    }
    lib.by_url = crate::content::url_index(&lib.pages);
    for a in &mut lib.assets {
        a.path = moved(&a.path);
    }
    lib.url_prefix = prefix.to_string();
}

/// What a version's pages need to point their switcher at the other versions: every version's
/// published pages (output paths), known once all versions are assembled and before any is
/// rendered, so each page is finished in one pass.
#[derive(Debug)]
pub struct Switcher {
    versions: Vec<Version>,
    /// Output folder of each version (`""`, `v/v1/`).
    folders: Vec<String>,
    /// Output paths of each version's HTML pages.
    pages: Vec<HashSet<String>>,
    finder: memchr::memmem::Finder<'static>,
    /// The banner's link text: this page in the latest, or the latest's home (HTML-escaped).
    latest_texts: [String; 2],
}

impl Switcher {
    pub fn new(versions: &[Version], pages: Vec<HashSet<String>>, language: &str) -> Switcher {
        let ui = crate::render::i18n::UiStrings::for_language(language);
        let latest = crate::markdown::escape_html(&versions[0].name);
        let text = |t: &str| crate::markdown::escape_html(t).replace("{version}", &latest);
        Switcher {
            latest_texts: [text(ui.version_see_latest), text(ui.version_latest_home)],
            folders: versions
                .iter()
                .map(|v| match v.prefix.trim_start_matches('/') {
                    "" => String::new(),
                    p => format!("{p}/"),
                })
                .collect(),
            versions: versions.to_vec(),
            pages,
            finder: memchr::memmem::Finder::new(MARKER_STEM.as_bytes()).into_owned(),
        }
    }

    /// The page at `output_path` with each switcher marker replaced by the address of the same
    /// page in that version when it exists, else that version's home, written as `mode` writes
    /// addresses. Pages without a marker come back as they were.
    pub fn resolve(&self, html: String, output_path: &str, mode: &UrlMode) -> String {
        let Some(first) = self.finder.find(html.as_bytes()) else {
            return html;
        };
        // The page's path inside its version (the longest version folder that holds it).
        let rest = self
            .folders
            .iter()
            .filter(|d| !d.is_empty())
            .filter_map(|d| output_path.strip_prefix(d.as_str()))
            .min_by_key(|r| r.len())
            .unwrap_or(output_path);
        let addresses: Vec<String> = self
            .versions
            .iter()
            .zip(&self.folders)
            .zip(&self.pages)
            .map(|((v, folder), pages)| {
                let counterpart = format!("{folder}{rest}");
                let target = if pages.contains(&counterpart) {
                    urls::site_path(&counterpart)
                } else {
                    format!("{}/", v.prefix)
                };
                match mode {
                    UrlMode::Relative => relative(&target, output_path),
                    UrlMode::Absolute { base_path } => {
                        format!("{}{target}", base_path.trim_end_matches('/'))
                    }
                }
            })
            .collect();
        let in_latest = self.pages[0].contains(rest);
        let latest_text = &self.latest_texts[usize::from(!in_latest)];
        replace_markers(&html, first, &self.finder, &addresses, latest_text)
    }
}

/// Output paths of the HTML pages a version publishes: its pages, its taxonomy pages and its
/// search page.
pub fn published_pages(lib: &Library, search: bool) -> HashSet<String> {
    let mut out: HashSet<String> = lib
        .pages
        .iter()
        .filter(|p| !p.front.not_rendered)
        .map(|p| p.output_path.clone())
        .collect();
    for t in lib.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        out.insert(urls::output_path(&t.url));
        out.extend(t.terms.iter().map(|x| urls::output_path(&x.url)));
    }
    if search {
        out.insert(urls::output_path(&crate::search::search_page(
            &lib.url_prefix,
        )));
    }
    out
}

/// One pass over `html` (whose first marker starts at `first`): each `opsite-version:<i>:`
/// becomes `addresses[i]` and the banner's text marker `latest_text`; anything else that starts
/// like a marker is kept as it is. Markers are ASCII, so every cut is at a character boundary.
fn replace_markers(
    html: &str,
    first: usize,
    finder: &memchr::memmem::Finder,
    addresses: &[String],
    latest_text: &str,
) -> String {
    let mut out = String::with_capacity(html.len() + 64 * addresses.len());
    let mut pos = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        out.push_str(&html[pos..at]);
        let here = &html[at..];
        pos = if let Some(after) = here.strip_prefix(MARKER) {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            match after[..digits].parse::<usize>() {
                Ok(i) if i < addresses.len() && after[digits..].starts_with(':') => {
                    out.push_str(&addresses[i]);
                    at + MARKER.len() + digits + 1
                }
                _ => {
                    out.push_str(MARKER);
                    at + MARKER.len()
                }
            }
        } else if here.starts_with(TEXT_MARKER) {
            out.push_str(latest_text);
            at + TEXT_MARKER.len()
        } else {
            out.push_str(MARKER_STEM);
            at + MARKER_STEM.len()
        };
        next = finder.find(&html.as_bytes()[pos..]).map(|n| pos + n);
    }
    out.push_str(&html[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions() -> Vec<Version> {
        crate::config::versions::checked(&[
            crate::config::versions::VersionConfig {
                name: "v2".into(),
                ..Default::default()
            },
            crate::config::versions::VersionConfig {
                name: "v1".into(),
                path: Some("old".into()),
                ..Default::default()
            },
        ])
        .unwrap()
    }

    #[test]
    fn switcher_goes_to_the_same_page_or_the_home() {
        let links = r#"<a href="opsite-version:0:">v2</a><a href="opsite-version:1:">v1</a><a href="opsite-version:9:">x</a>"#;
        let set = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<HashSet<_>>();
        let switcher = Switcher::new(
            &versions(),
            vec![
                set(&["docs/a/index.html", "docs/new/index.html"]),
                set(&[
                    "v/v1/docs/a/index.html",
                    "v/v1/index.html",
                    "v/v1/docs/old/index.html",
                ]),
            ],
            "ja",
        );
        let abs = UrlMode::Absolute {
            base_path: "/portal/".into(),
        };
        let at = |path: &str, mode: &UrlMode| switcher.resolve(links.to_string(), path, mode);
        assert_eq!(
            at("docs/a/index.html", &abs),
            r#"<a href="/portal/docs/a/">v2</a><a href="/portal/v/v1/docs/a/">v1</a><a href="opsite-version:9:">x</a>"#
        );
        assert!(at("docs/new/index.html", &abs).contains(r#"<a href="/portal/v/v1/">v1</a>"#));
        assert!(at("v/v1/docs/a/index.html", &abs).starts_with(
            r#"<a href="/portal/docs/a/">v2</a><a href="/portal/v/v1/docs/a/">v1</a>"#
        ));
        assert!(
            at("v/v1/docs/a/index.html", &UrlMode::Relative).starts_with(
                r#"<a href="../../../../docs/a/index.html">v2</a><a href="index.html">v1</a>"#
            )
        );
        assert_eq!(
            switcher.resolve("<p>no marker</p>".into(), "x.html", &abs),
            "<p>no marker</p>"
        );
        // The banner says where its link goes.
        let banner = format!(r#"<a href="opsite-version:0:">{TEXT_MARKER}</a>"#);
        assert_eq!(
            switcher.resolve(banner.clone(), "v/v1/docs/a/index.html", &abs),
            r#"<a href="/portal/docs/a/">最新版（v2）のこのページを見る</a>"#
        );
        assert_eq!(
            switcher.resolve(banner, "v/v1/docs/old/index.html", &abs),
            r#"<a href="/portal/">このページは最新版（v2）にはありません。最新版のホームを見る</a>"#
        );
    }

    #[test]
    fn view_marks_current_and_latest() {
        let v = view(&versions(), 1);
        assert!(!v.is_latest);
        assert_eq!(v.latest, "v2");
        assert_eq!(v.list[1].url, "opsite-version:1:");
        assert!(v.list[1].current && v.list[0].latest);
    }
}
