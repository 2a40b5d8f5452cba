//! Versioned documentation. Each version listed in `site.yaml` `versions:` is built from its own
//! content (the site's `content/`, a folder, or a git ref) through the same pipeline; the latest
//! is served at the site root and the others under `/v/<name>/`. This module holds what is
//! particular to versions: reading a version's content, moving an older version's library under
//! its prefix, and the switcher's view of each page: the same page in every other version (or
//! that version's home), computed before the page is rendered from every version's pages, which
//! are known once all versions are assembled.

pub mod git;
pub mod git_dates;

use std::collections::HashSet;

use serde::Serialize;

use crate::config::versions::{Version, VersionSource};
use crate::content::source::ContentSources;
use crate::content::{urls, Library, MenuEntry};

/// A version that is not the latest, with its content read.
pub struct OlderVersion {
    pub version: Version,
    pub content: ContentSources,
}

/// Read a version's content. `Content` is the site's own folder.
pub fn load_content(
    reader: &crate::walk::SiteReader,
    version: &Version,
    content_dir: &str,
) -> Result<(ContentSources, Vec<crate::error::Diagnostic>), String> {
    let root = reader.root();
    match &version.source {
        VersionSource::Content => {
            crate::content::source::load(&root.join(content_dir), reader).map_err(|e| e.to_string())
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

/// Every version's published pages (output paths), known once all versions are assembled and
/// before any is rendered; shared by the versions' switchers.
#[derive(Debug)]
pub struct VersionPages {
    versions: Vec<Version>,
    /// Output folder of each version (`""`, `v/v1/`).
    folders: Vec<String>,
    /// Output paths of each version's HTML pages.
    pages: Vec<HashSet<String>>,
    /// The banner's link text: this page in the latest, or the latest's home.
    latest_texts: [String; 2],
    /// The folder of the language these versions are of (`/en`; `""` for the default).
    language_prefix: String,
}

impl VersionPages {
    /// `language_prefix`: the versions of a bilingual site's language are under its folder.
    pub fn new(
        versions: &[Version],
        pages: Vec<HashSet<String>>,
        language: &str,
        language_prefix: &str,
    ) -> VersionPages {
        let ui = crate::i18n::UiStrings::for_language(language);
        let text = |t: &str| t.replace("{version}", &versions[0].name);
        VersionPages {
            latest_texts: [text(ui.version_see_latest), text(ui.version_latest_home)],
            language_prefix: language_prefix.to_string(),
            folders: versions
                .iter()
                .map(
                    |v| match format!("{language_prefix}{}", v.prefix).trim_start_matches('/') {
                        "" => String::new(),
                        p => format!("{p}/"),
                    },
                )
                .collect(),
            versions: versions.to_vec(),
            pages,
        }
    }
}

/// One version's switcher: for each of its pages, where the switcher's entries and the
/// older-version banner go.
#[derive(Debug, Clone)]
pub struct Switcher {
    pub pages: std::sync::Arc<VersionPages>,
    /// The version whose pages these are (0: the latest).
    pub current: usize,
}

impl Switcher {
    /// The switcher of the page at `output_path`: each entry goes to the same page in that
    /// version when it exists, else to that version's home, as a site path (written as the
    /// build writes addresses, like every other link).
    pub fn view(&self, output_path: &str) -> VersionsView {
        let all = &*self.pages;
        // The page's path inside its version (the longest version folder that holds it).
        let rest = all
            .folders
            .iter()
            .filter(|d| !d.is_empty())
            .filter_map(|d| output_path.strip_prefix(d.as_str()))
            .min_by_key(|r| r.len())
            .unwrap_or(output_path);
        let urls: Vec<String> = all
            .versions
            .iter()
            .zip(&all.folders)
            .zip(&all.pages)
            .map(|((v, folder), pages)| {
                let counterpart = format!("{folder}{rest}");
                if pages.contains(&counterpart) {
                    urls::site_path(&counterpart)
                } else {
                    format!("{}{}/", all.language_prefix, v.prefix)
                }
            })
            .collect();
        let in_latest = all.pages[0].contains(&format!("{}{rest}", all.folders[0]));
        VersionsView {
            current: all.versions[self.current].name.clone(),
            is_latest: self.current == 0,
            latest: all.versions[0].name.clone(),
            latest_url: urls[0].clone(),
            latest_text: all.latest_texts[usize::from(!in_latest)].clone(),
            list: all
                .versions
                .iter()
                .zip(urls)
                .enumerate()
                .map(|(i, (v, url))| VersionLinkView {
                    name: v.name.clone(),
                    url,
                    current: i == self.current,
                    latest: i == 0,
                })
                .collect(),
        }
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
        out.insert(urls::output_path(&crate::layout::search_page(
            &lib.url_prefix,
        )));
    }
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
        let set = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect::<HashSet<_>>();
        let pages = std::sync::Arc::new(VersionPages::new(
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
            "",
        ));
        let latest = Switcher {
            pages: pages.clone(),
            current: 0,
        };
        let older = Switcher { pages, current: 1 };
        let urls = |v: &VersionsView| v.list.iter().map(|l| l.url.clone()).collect::<Vec<_>>();
        let view = latest.view("docs/a/index.html");
        assert_eq!(urls(&view), ["/docs/a/", "/v/v1/docs/a/"]);
        assert!(view.is_latest && view.list[0].current && view.list[0].latest);
        assert_eq!(
            urls(&latest.view("docs/new/index.html")),
            ["/docs/new/", "/v/v1/"]
        );
        // An older page: the banner says where its link goes.
        let view = older.view("v/v1/docs/a/index.html");
        assert_eq!(urls(&view), ["/docs/a/", "/v/v1/docs/a/"]);
        assert!(!view.is_latest && view.list[1].current && !view.list[1].latest);
        assert_eq!((view.current.as_str(), view.latest.as_str()), ("v1", "v2"));
        assert_eq!(view.latest_url, "/docs/a/");
        assert_eq!(view.latest_text, "最新版（v2）のこのページを見る");
        let view = older.view("v/v1/docs/old/index.html");
        assert_eq!(view.latest_url, "/");
        assert_eq!(
            view.latest_text,
            "このページは最新版（v2）にはありません。最新版のホームを見る"
        );
    }
}
