//! Content files' text into raw pages, in parallel. A front-matter block that does not parse
//! stops its page, or in a tree written for MkDocs (`content_rules.front_matter_errors: text`)
//! is shown as the page's text with a warning, as MkDocs shows it.

use rayon::prelude::*;

use super::page::RawPage;
use super::source::ContentSources;
use crate::config::content_rules::FrontMatterErrors;
use crate::error::{Code, Diagnostic, Location};

/// Parse every content file (in parallel). A file whose front matter does not parse is an
/// error and skipped, or with `FrontMatterErrors::Text` (MkDocs) a warning and a page whose
/// text is the whole file, front-matter block included, as MkDocs shows it.
pub fn parse_all(
    sources: &ContentSources,
    errors: FrontMatterErrors,
) -> (Vec<RawPage>, Vec<Diagnostic>) {
    let results: Vec<(Option<RawPage>, Option<Diagnostic>)> = sources
        .files
        .par_iter()
        .map(|f| match RawPage::parse(&f.text, &f.rel_path) {
            Ok(page) => (Some(page), None),
            Err(e) => {
                let at = Location::at(
                    sources.shown_dir().join(sources.shown_name(&f.rel_path)),
                    e.line,
                    e.column,
                );
                match errors {
                    FrontMatterErrors::Error => {
                        (None, Some(Diagnostic::error(Code::Content, at, e.message)))
                    }
                    // A block that names `draft:` may mean it: never published on a guess.
                    FrontMatterErrors::Text if names_draft(&f.text) => {
                        let message = format!("{}; not published: the block names `draft:`, which cannot be read (content_rules.front_matter_errors: text)", e.message);
                        (None, Some(Diagnostic::warning(Code::Content, at, message)))
                    }
                    FrontMatterErrors::Text => {
                        let message = format!("{}; the block is shown as the page's text, as MkDocs shows it (content_rules.front_matter_errors: text)", e.message);
                        let page = RawPage::text_only(&f.text, &f.rel_path);
                        (Some(page), Some(Diagnostic::warning(Code::Content, at, message)))
                    }
                }
            }
        })
        .collect();
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    for (page, diag) in results {
        pages.extend(page);
        diags.extend(diag);
    }
    (pages, diags)
}

/// Whether a file's front-matter block (up to its closing fence) has a `draft` key.
fn names_draft(text: &str) -> bool {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let Some(fence) = lines.next().map(str::trim_end) else {
        return false;
    };
    (lines.take_while(|l| l.trim_end() != fence))
        .any(|l| l.trim_start().to_ascii_lowercase().starts_with("draft"))
}
