//! The help-center search: a client-side index written into the site at `<output>/pagefind/`,
//! built in-process with the `pagefind` crate from the pages the build rendered, and the search
//! page's folding rules (`fold`). Works offline: no server, no CDN.
//!
//! Stage: `index(SearchInput)` → the files of `pagefind/`. Pagefind itself runs in `bundle`,
//! the only place with a tokio runtime.

pub mod bundle;
pub mod docs;
mod flatten;
pub mod fold;
pub mod markup;
pub mod offline;
pub mod sharding;
mod tokens;

use rayon::prelude::*;

use crate::content::Library;
use crate::error::{Code, Diagnostic, Location};
use crate::markdown::Rendered;
use crate::output_file::{IndexedText, OutputFile};
use crate::publications::Publications;
use crate::reports::ReportPages;
use docs::{Document, Facts};

/// Folder of the index and of Pagefind's scripts in the output.
pub const BUNDLE_DIR: &str = "pagefind";
pub use crate::layout::{search_page, SEARCH_PAGE};
/// The search page's script in the theme's `static/`.
pub const SEARCH_SCRIPT: &str = "js/search.js";

/// What the search stage reads of a build: the pages and their rendered bodies, the report
/// pages and their bodies, and the site's language.
#[derive(Clone, Copy)]
pub struct SearchInput<'a> {
    pub lib: &'a Library,
    /// By page id.
    pub rendered: &'a [Rendered],
    pub report_pages: &'a ReportPages,
    /// Each report page's body (none for a page kept from the last build) and key, in the
    /// order of `report_pages.pages` (empty when they were not rendered).
    pub report_bodies: &'a [crate::reports::ReportBody],
    /// Renders the body of the report page at an index of `report_pages.pages`: for a page
    /// kept from the last build, when its shard is made again.
    pub render_body: RenderBody<'a>,
    /// Release notes' lists of changes, which their pages show from front matter.
    pub publications: &'a Publications,
    pub language: &'a str,
}

/// Renders the body of the report page at an index of `ReportPages::pages`.
pub type RenderBody<'a> = &'a (dyn Fn(usize) -> String + Sync);

/// A page the index holds: its address in the index, what its body is written from, and its
/// facts. Bodies are written when a document is made, not before: a rebuild keys every page but
/// makes the documents of one shard.
pub struct Searched<'a> {
    pub url: String,
    pub body: Body<'a>,
    pub facts: Facts<'a>,
}

/// What a searched page's body is written from.
pub enum Body<'a> {
    Page {
        page: &'a crate::content::Page,
        rendered: &'a Rendered,
        release: Option<&'a crate::publications::ReleaseView>,
    },
    /// A report page's body as the HTML stage rendered it, or (a page kept from the last
    /// build) rendered when a document is made; what the index read of a kept page.
    Report {
        html: Option<&'a str>,
        indexed: Option<IndexedText>,
        index: usize,
        render: RenderBody<'a>,
    },
}

impl Body<'_> {
    pub fn write(&self, out: &mut impl docs::Sink) {
        match self {
            Body::Page {
                page,
                rendered,
                release,
            } => docs::write_page_body(page, rendered, *release, out),
            Body::Report {
                html: Some(html), ..
            } => out.push_str(html),
            Body::Report { index, render, .. } => out.push_str(&render(*index)),
        }
    }

    pub fn text(&self) -> String {
        match self {
            Body::Page {
                page,
                rendered,
                release,
            } => docs::page_body(page, rendered, *release),
            Body::Report {
                html: Some(html), ..
            } => html.to_string(),
            Body::Report { index, render, .. } => render(*index),
        }
    }
}

/// A page's entry, with its document when the entry was made from it, and what the index reads
/// of it (a report page's, for the next build).
pub struct Keyed {
    pub entry: bundle::Entry,
    pub document: Option<Document>,
    pub indexed: Option<IndexedText>,
}

impl Searched<'_> {
    pub fn document(&self, language: &str) -> Document {
        docs::document(&self.url, &self.body.text(), language, &self.facts)
    }

    /// Its entry: its address and a hash of what its document is made from. A content page's is
    /// hashed from its sources. A report page's is its document's hash: made now, or, for a page
    /// kept from the last build, as the last build recorded it. Its list of source files, which
    /// names each export's hash, is not in the document, so a report rebuilt because another
    /// period's rows changed keeps its entry, and its shard.
    pub fn keyed(&self, language: &str) -> Keyed {
        let (document, indexed) = match &self.body {
            Body::Page { .. } => {
                return Keyed {
                    entry: self.page_entry(language),
                    document: None,
                    indexed: None,
                }
            }
            Body::Report {
                html: None,
                indexed: Some(text),
                ..
            } => (None, *text),
            Body::Report { .. } => {
                let d = self.document(language);
                let text = IndexedText {
                    hash: crate::output_file::content_hash(d.html.as_bytes()),
                    len: d.html.len() as u64,
                };
                (Some(d), text)
            }
        };
        let mut h = blake3::Hasher::new();
        h.update(b"a report page's document");
        h.update(&indexed.hash);
        Keyed {
            entry: bundle::Entry {
                url: self.url.clone(),
                hash: h.finalize(),
                part: bundle::Part::Reports,
                weight: indexed.len,
            },
            document,
            indexed: Some(indexed),
        }
    }

    /// A content page's entry: its address and a hash of everything `docs::document` makes its
    /// document from.
    fn page_entry(&self, language: &str) -> bundle::Entry {
        let mut h = blake3::Hasher::new();
        let mut part = |bytes: &[u8]| crate::digest::hash_part(&mut h, bytes);
        let facts = &self.facts;
        part(self.url.as_bytes());
        part(language.as_bytes());
        part(facts.title.as_bytes());
        part(&[u8::from(facts.section.is_some())]);
        part(facts.section.unwrap_or_default().as_bytes());
        part(&(facts.terms.len() as u64).to_le_bytes());
        for (name, terms) in &facts.terms {
            part(name.as_bytes());
            part(&(terms.len() as u64).to_le_bytes());
            for term in terms.iter() {
                part(term.as_bytes());
            }
        }
        // The body last: it needs no length before it.
        self.body.write(&mut h);
        bundle::Entry {
            url: self.url.clone(),
            hash: h.finalize(),
            part: bundle::Part::Pages,
            weight: 1,
        }
    }
}

/// Every document of the site: searchable content pages and the report pages, in a fixed order
/// (content by output path, then reports) so the index comes out the same each time.
pub fn documents(input: SearchInput) -> Vec<Document> {
    let language = input.language;
    (searched_pages(input).par_iter())
        .map(|p| p.document(language))
        .collect()
}

/// Every document of the site with its entry (`bundle::Entry`), as `index` keys them: what the
/// preview hands its indexing thread, so its shards and the build's share their keys.
pub fn entries_and_documents(input: SearchInput) -> (Vec<bundle::Entry>, Vec<Document>) {
    let language = input.language;
    (searched_pages(input).par_iter())
        .map(|p| {
            let keyed = p.keyed(language);
            let document = keyed.document.unwrap_or_else(|| p.document(language));
            (keyed.entry, document)
        })
        .unzip()
}

/// Each page the index holds, in the index's order. The Pagefind documents and the file-share
/// index are both made from these.
pub fn searched_pages(input: SearchInput<'_>) -> Vec<Searched<'_>> {
    let lib = input.lib;
    let mut pages: Vec<usize> = (0..lib.pages.len())
        .filter(|&id| docs::searchable(&lib.pages[id]))
        .collect();
    pages.sort_by(|&a, &b| lib.pages[a].output_path.cmp(&lib.pages[b].output_path));
    let mut out: Vec<Searched> = pages
        .iter()
        .map(|&id| {
            let p = &lib.pages[id];
            // An older version's index lives in its folder and holds addresses within it.
            let url = p
                .url
                .strip_prefix(lib.url_prefix.as_str())
                .unwrap_or(&p.url);
            Searched {
                url: url.to_string(),
                body: Body::Page {
                    page: p,
                    rendered: &input.rendered[id],
                    release: input.publications.releases.get(&id),
                },
                facts: docs::page_facts(lib, p),
            }
        })
        .collect();
    let words = crate::reports::labels::words(input.language);
    let reports_label = Some(words.reports);
    let bodies = input.report_pages.pages.iter().zip(input.report_bodies);
    for (index, (r, body)) in bodies.enumerate() {
        // A bilingual site's other language has its reports in its own folder, as its index.
        let url = r
            .url
            .strip_prefix(lib.url_prefix.as_str())
            .unwrap_or(&r.url);
        out.push(Searched {
            url: url.to_string(),
            body: Body::Report {
                html: body.html.as_deref(),
                indexed: body.indexed,
                index,
                render: input.render_body,
            },
            facts: Facts {
                title: &r.title,
                section: reports_label,
                terms: Default::default(),
            },
        });
    }
    out
}

/// What the search stage made: the index's files, how many pages it holds, its problems, the
/// shards it was made of, and what it read of each report page, by output path (both for the
/// next build).
pub struct Index {
    pub files: Vec<OutputFile>,
    pub pages: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub shards: bundle::ShardStore,
    pub report_texts: Vec<(String, IndexedText)>,
}

/// The search stage: the index of the build's pages as output files under `pagefind/`, taking
/// the shards whose pages did not change from `previous`. A failure of Pagefind is an error of
/// the build.
pub fn index(input: SearchInput, file_share: bool, previous: &bundle::ShardStore) -> Index {
    let searched = searched_pages(input);
    let pages = searched.len();
    let failed = |diagnostics| Index {
        files: Vec::new(),
        pages,
        diagnostics,
        shards: Default::default(),
        report_texts: Vec::new(),
    };
    let offline = match file_share.then(|| offline::script(&searched)) {
        Some(Err(e)) => return failed(vec![e]),
        Some(Ok(file)) => Some(file),
        None => None,
    };
    let language = input.language;
    let keyed: Vec<Keyed> = (searched.par_iter()).map(|p| p.keyed(language)).collect();
    let report_texts = (searched.iter().zip(&keyed))
        .filter_map(|(s, k)| match s.body {
            Body::Report { index, .. } => {
                let page = &input.report_pages.pages[index];
                Some((crate::content::urls::output_path(&page.url), k.indexed?))
            }
            Body::Page { .. } => None,
        })
        .collect();
    let (entries, documents): (Vec<_>, Vec<_>) =
        keyed.into_iter().map(|k| (k.entry, k.document)).unzip();
    // Other documents are made only for the shards `previous` does not hold.
    let make = |i: usize| match &documents[i] {
        Some(d) => d.clone(),
        None => searched[i].document(language),
    };
    match bundle::pagefind_files(entries, &make, bundle::shard_pages(), previous) {
        Ok(bundles) => {
            let mut files = bundles.files;
            files.extend(offline);
            let prefix = input.lib.url_prefix.trim_start_matches('/');
            if !prefix.is_empty() {
                for f in &mut files {
                    f.path = format!("{prefix}/{}", f.path);
                }
            }
            Index {
                files,
                pages,
                diagnostics: Vec::new(),
                shards: bundles.used,
                report_texts,
            }
        }
        Err(message) => failed(vec![Diagnostic::error(
            Code::Build,
            Location::file(crate::config::CONFIG_FILE),
            format!(
                "search index: {message} (set `search: false` in site.yaml to build without it)"
            ),
        )]),
    }
}
