//! A page's addresses, checked: aliases resolved as Hugo does (relative to the page's folder
//! level) and dropped where a real page has the address, and `url`/`slug`/term values that would
//! lead out of the output folder refused at their front-matter line.

use std::collections::HashMap;
use std::path::Path;

use super::front_matter::{FrontMatter, RawFrontMatter};
use super::page::AliasPath;
use super::{urls, Library};
use crate::error::{Code, Diagnostic, Location};

/// Aliases as site paths: one without a leading `/` is relative to the page's folder level
/// (Hugo's rule: `aliases: [manual]` on `/docs/go/instrumentation/` is `/docs/go/manual/`). One
/// that would lead out of the site is an error at its line and is dropped.
pub(super) fn alias_paths(
    url: &str,
    front: &FrontMatter,
    raw: &RawFrontMatter,
    source: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<AliasPath> {
    let trimmed = url.trim_end_matches('/');
    let base = match trimmed.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/"),
        None => "/".to_string(),
    };
    if front.aliases.is_empty() {
        return Vec::new();
    }
    let (key_line, column) = raw.locate("aliases");
    let mut out = Vec::new();
    for alias in &front.aliases {
        // The writer refuses a `.git` folder or the output mark; say so at the line.
        // As Hugo writes one: an alias not ending in `.html` (`/docs/1.1.0`, `old.md`) is a
        // folder with its `index.html`; a file of that name would be served as a download.
        let as_folder = |mut path: String| {
            if !path.ends_with('/') && !path.ends_with(".html") {
                path.push('/');
            }
            path
        };
        let checked = urls::join_site_path(&base, alias)
            .map(as_folder)
            .and_then(|path| {
                let mut file = path.trim_start_matches('/').to_string();
                if file.is_empty() || file.ends_with('/') {
                    file.push_str("index.html");
                }
                crate::output_file::check_output_path(&file).map(|()| path)
            });
        let (line, column) = match raw.locate_item(key_line, alias).max(key_line) {
            l if l == key_line => (l, column),
            l => (l, None),
        };
        match checked {
            Ok(path) => out.push(AliasPath {
                written: alias.clone(),
                path,
                line,
            }),
            Err(e) => diags.push(Diagnostic::error(
                Code::Content,
                Location::at(source, line, column),
                format!("front matter: aliases: {e}"),
            )),
        }
    }
    out
}

/// An alias whose address is a real page (or taxonomy page) is not written: the page wins; an
/// alias two pages share goes to the first of them.
pub(super) fn drop_aliases_over_pages(lib: &mut Library) -> Vec<Diagnostic> {
    let mut taken: HashMap<String, String> = lib
        .pages
        .iter()
        .map(|p| (p.url.clone(), p.source.display().to_string()))
        .collect();
    for t in &lib.taxonomies {
        if !t.terms.is_empty() {
            taken.insert(t.url.clone(), format!("the {} list", t.name));
        }
        for term in &t.terms {
            taken.insert(
                term.url.clone(),
                format!("the {} page `{}`", t.name, term.name),
            );
        }
    }
    // The not-found page the site writes at its root (a language's under its prefix).
    taken.insert(
        format!("{}/404.html", lib.url_prefix),
        "the not-found page".into(),
    );
    let mut diags = Vec::new();
    // Two pages claiming one old address (real trees do this): the first by source path keeps it.
    let mut claimed: HashMap<String, String> = HashMap::new();
    // `/docs/b/index.html` is the file of the address `/docs/b/`.
    let file_of = |path: &str| path.strip_suffix("index.html").unwrap_or(path).to_string();
    for page in &mut lib.pages {
        let source = page.source.clone();
        page.aliases.retain(|a| {
            let message = if let Some(owner) = taken.get(&file_of(&a.path)) {
                format!(
                    "alias `{}` ({}) is not written: that is the address of {owner}, which wins",
                    a.written, a.path
                )
            } else if let Some(first) = claimed.get(&a.path) {
                if a.path.starts_with(super::alerts::ALERTS_PATH) {
                    // Two runbooks answering one alert: an error of its own (`alerts::claims`).
                    return false;
                }
                format!(
                    "alias `{}` ({}) is not written: {first} has the same alias and keeps it",
                    a.written, a.path
                )
            } else {
                claimed.insert(a.path.clone(), source.display().to_string());
                return true;
            };
            diags.push(Diagnostic::warning(
                Code::Content,
                Location::at(&source, a.line, None),
                message,
            ));
            false
        });
    }
    diags
}

/// The output folder is a wall: a `url`, `slug` or taxonomy term that would lead a file out of it
/// (or onto its parent's path) is an error at its line, and is dropped so nothing is written for
/// it. (Aliases are checked once the page's URL is known.)
pub(super) fn keep_paths_inside(
    front: &mut FrontMatter,
    raw: &RawFrontMatter,
    source: &Path,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut report = |key: &str, message: String| {
        let (line, col) = raw.locate(key);
        diags.push(Diagnostic::error(
            Code::Content,
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
        if slug.contains(['/', '\\']) {
            report(
                "slug",
                format!("`{slug}` is not one path segment; a slug names the page's last folder (use `url:` for a whole path)"),
            );
            front.slug = None;
        } else if let Err(e) = urls::check_slug(slug.trim()) {
            report("slug", e);
            front.slug = None;
        } else if seg.is_empty() {
            front.slug = None;
        }
    }
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
