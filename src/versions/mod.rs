//! Versioned documentation. Each version listed in `site.yaml` `versions:` is built from its own
//! content (the site's `content/`, a folder, or a git ref) through the same pipeline; the latest
//! is served at the site root and the others under `/v/<name>/`. This module holds what is
//! particular to versions: reading a version's content, moving an older version's library under
//! its prefix, the switcher's view, and the pass that points each switcher link at the same page
//! in the other version (or that version's home) once every version's files are known.

pub mod git;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::versions::{Version, VersionSource};
use crate::content::source::ContentSources;
use crate::content::{urls, Library, MenuEntry};
use crate::render::urls::{relative, UrlMode};
use crate::site::output::{OutputContent, OutputFile};

/// A version that is not the latest, with its content read.
pub struct OlderVersion {
    pub version: Version,
    pub content: ContentSources,
}

/// What a template writes for "this page in version `i`"; `resolve_switchers` replaces it with
/// the address once every version's files are known. Not a site path, so the URL pass leaves it.
pub const MARKER: &str = "opsite-version:";

fn marker(i: usize) -> String {
    format!("{MARKER}{i}:")
}

/// Read a version's content. `Content` is the site's own folder.
pub fn load_content(
    root: &Path,
    version: &Version,
) -> Result<(ContentSources, Vec<crate::error::Diagnostic>), String> {
    match &version.source {
        VersionSource::Content => {
            crate::content::source::load(&root.join("content"), root).map_err(|e| e.to_string())
        }
        VersionSource::Folder(path) => {
            let dir = root.join(path);
            if !dir.is_dir() {
                return Err(format!(
                    "version {}: the folder {path} does not exist",
                    version.name
                ));
            }
            crate::content::source::load(&dir, root).map_err(|e| e.to_string())
        }
        VersionSource::Git { reference, path } => git::load(root, reference, path)
            .map(|c| (c, Vec::new()))
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
    let mut by_url = HashMap::new();
    for (id, p) in lib.pages.iter().enumerate() {
        by_url.entry(p.url.clone()).or_insert(id);
    }
    lib.by_url = by_url;
    for a in &mut lib.assets {
        a.path = moved(&a.path);
    }
    lib.url_prefix = prefix.to_string();
}

/// `docs/x/index.html` → `/docs/x/`.
fn site_path_of(output_path: &str) -> String {
    match output_path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{output_path}"),
    }
}

/// Replace every switcher marker in the HTML files with the address of the same page in that
/// version when it exists, else that version's home, written as the site writes addresses.
pub fn resolve_switchers(files: &mut [OutputFile], versions: &[Version], mode: &UrlMode) {
    if versions.len() < 2 {
        return;
    }
    let outputs: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    // Output folders of the older versions (`v/v1/`), longest first.
    let mut folders: Vec<(usize, String)> = versions
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, v)| (i, format!("{}/", v.prefix.trim_start_matches('/'))))
        .collect();
    folders.sort_by_key(|(_, f)| std::cmp::Reverse(f.len()));
    files.par_iter_mut().for_each(|f| {
        if !f.path.ends_with(".html") {
            return;
        }
        let OutputContent::Bytes(bytes) = &f.content else {
            return;
        };
        let Ok(html) = std::str::from_utf8(bytes) else {
            return;
        };
        if !html.contains(MARKER) {
            return;
        }
        let rest = folders
            .iter()
            .find_map(|(_, folder)| f.path.strip_prefix(folder.as_str()))
            .unwrap_or(&f.path);
        let mut html = html.to_string();
        for (j, v) in versions.iter().enumerate() {
            let folder = if v.prefix.is_empty() {
                String::new()
            } else {
                format!("{}/", v.prefix.trim_start_matches('/'))
            };
            let counterpart = format!("{folder}{rest}");
            let target = if outputs.contains(&counterpart) {
                site_path_of(&counterpart)
            } else {
                format!("{}/", v.prefix)
            };
            let address = match mode {
                UrlMode::Relative => relative(&target, &f.path),
                UrlMode::Absolute { base_path } => {
                    format!("{}{target}", base_path.trim_end_matches('/'))
                }
            };
            html = html.replace(&marker(j), &address);
        }
        f.content = OutputContent::Bytes(std::sync::Arc::new(html.into_bytes()));
    });
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

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::bytes(path.into(), html.as_bytes().to_vec(), "x".into())
    }

    fn text(f: &OutputFile) -> String {
        match &f.content {
            OutputContent::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
            _ => panic!(),
        }
    }

    #[test]
    fn switcher_goes_to_the_same_page_or_the_home() {
        let links = r#"<a href="opsite-version:0:">v2</a><a href="opsite-version:1:">v1</a>"#;
        let mut files = vec![
            page("docs/a/index.html", links),
            page("docs/new/index.html", links),
            page("v/v1/docs/a/index.html", links),
            page("v/v1/index.html", ""),
        ];
        let abs = UrlMode::Absolute {
            base_path: "/portal/".into(),
        };
        resolve_switchers(&mut files, &versions(), &abs);
        assert_eq!(
            text(&files[0]),
            r#"<a href="/portal/docs/a/">v2</a><a href="/portal/v/v1/docs/a/">v1</a>"#
        );
        assert_eq!(
            text(&files[1]),
            r#"<a href="/portal/docs/new/">v2</a><a href="/portal/v/v1/">v1</a>"#
        );
        assert_eq!(
            text(&files[2]),
            r#"<a href="/portal/docs/a/">v2</a><a href="/portal/v/v1/docs/a/">v1</a>"#
        );
        let mut files = vec![
            page("v/v1/docs/a/index.html", links),
            page("docs/a/index.html", ""),
        ];
        resolve_switchers(&mut files, &versions(), &UrlMode::Relative);
        assert_eq!(
            text(&files[0]),
            r#"<a href="../../../../docs/a/index.html">v2</a><a href="index.html">v1</a>"#
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
