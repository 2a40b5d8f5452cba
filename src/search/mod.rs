//! The help-center search: a client-side index written into the site at `<output>/pagefind/`,
//! built in-process with the `pagefind` crate from the pages the build rendered, and the search
//! page's folding rules (`fold`). Works offline: no server, no CDN.
//!
//! Stage: `index(SearchInput, &files)` → the files of `pagefind/`. Pagefind itself runs in `bundle`,
//! the only place with a tokio runtime.

pub mod bundle;
pub mod docs;
pub mod fold;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::Library;
use crate::error::{Diagnostic, Location};
use crate::output_file::{OutputContent, OutputFile};
use crate::reports::ReportPages;
use docs::{Document, Facts};

/// Folder of the index and of Pagefind's scripts in the output.
pub const BUNDLE_DIR: &str = "pagefind";
pub use crate::layout::{search_page, SEARCH_PAGE};
/// The search page's script in the theme's `static/`.
pub const SEARCH_SCRIPT: &str = "js/search.js";

/// What the search stage reads of a build: the pages, the report pages and the site's language.
#[derive(Clone, Copy)]
pub struct SearchInput<'a> {
    pub lib: &'a Library,
    pub report_pages: &'a ReportPages,
    pub language: &'a str,
}

/// Every document of the site: searchable content pages and the report pages, in a fixed order
/// (content by output path, then reports) so the index comes out the same each time.
pub fn documents(input: SearchInput, files: &[OutputFile]) -> Vec<Document> {
    let by_path: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let rendered = |path: &str| -> Option<&str> {
        match &by_path.get(path)?.content {
            OutputContent::Bytes(b) => std::str::from_utf8(b).ok(),
            OutputContent::Asset(_) => None,
        }
    };
    let language = input.language;
    let lib = input.lib;
    let mut pages: Vec<&crate::content::Page> =
        lib.pages.iter().filter(|p| docs::searchable(p)).collect();
    pages.sort_by(|a, b| a.output_path.cmp(&b.output_path));
    let mut out: Vec<Document> = pages
        .par_iter()
        .filter_map(|p| {
            let html = rendered(&p.output_path)?;
            // An older version's index lives in its folder and holds addresses within it.
            let url = p
                .url
                .strip_prefix(lib.url_prefix.as_str())
                .unwrap_or(&p.url);
            Some(docs::document(
                url,
                html,
                language,
                &docs::page_facts(lib, p),
            ))
        })
        .collect();
    let words = crate::reports::labels::words(language);
    let reports_label = Some(words.reports);
    for r in &input.report_pages.pages {
        let path = crate::content::urls::output_path(&r.url);
        if let Some(html) = rendered(&path) {
            let facts = Facts {
                title: &r.title,
                section: reports_label,
                terms: Default::default(),
            };
            out.push(docs::document(&r.url, html, language, &facts));
        }
    }
    out
}

/// The search stage: the index of the build's pages as output files under `pagefind/`, and how
/// many pages it holds. A failure of Pagefind is
/// an error of the build.
pub fn index(
    input: SearchInput,
    files: &[OutputFile],
) -> (Vec<OutputFile>, usize, Vec<Diagnostic>) {
    let documents = documents(input, files);
    let pages = documents.len();
    match bundle::pagefind_files(documents, bundle::shard_pages()) {
        Ok(mut files) => {
            let prefix = input.lib.url_prefix.trim_start_matches('/');
            if !prefix.is_empty() {
                for f in &mut files {
                    f.path = format!("{prefix}/{}", f.path);
                }
            }
            (files, pages, Vec::new())
        }
        Err(message) => (
            Vec::new(),
            pages,
            vec![Diagnostic::error(
                Location::file(crate::config::CONFIG_FILE),
                format!("search index: {message} (set `search: false` in site.yaml to build without it)"),
            )],
        ),
    }
}
