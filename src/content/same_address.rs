//! Two files published at one address, in a tree written for MkDocs or Hugo
//! (`content_rules.same_address`): the one its generator publishes there is kept, the other left
//! out with a warning naming both.

use std::collections::HashMap;
use std::path::PathBuf;

use super::page::Page;
use crate::config::content_rules::SameAddress;
use crate::error::{Code, Diagnostic, Location};

/// `p.md` beside `p/README.md` (MkDocs), `check.md` beside `check/_index.md` (Hugo): both are
/// published at one address, and the generator publishes the file inside the folder. That one
/// is kept and the other left out, with a warning naming both.
/// MkDocs also leaves out a folder's `README.md` when the folder has an `index.md`.
pub(super) fn keep_the_folders_page(pages: &mut Vec<Page>, rule: SameAddress) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    if rule == SameAddress::Mkdocs {
        let indexes: std::collections::HashSet<PathBuf> = (pages.iter())
            .filter(|p| p.rel_path.file_name().is_some_and(|n| n == "index.md"))
            .map(|p| p.rel_path.with_file_name("README.md"))
            .collect();
        pages.retain(|p| {
            if !indexes.contains(&p.rel_path) {
                return true;
            }
            let index = p.source.with_file_name("index.md");
            notes.push(Diagnostic::warning(Code::Content, Location::file(&p.source), format!("left out: it is published at the same address as {} in MkDocs, which keeps that one (content_rules.same_address: mkdocs)", index.display())));
            false
        });
    }
    let depth = |p: &Page| p.rel_path.components().count();
    let mut deepest: HashMap<&str, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        let best = deepest.entry(p.url.as_str()).or_insert(i);
        if depth(p) > depth(&pages[*best]) {
            *best = i;
        }
    }
    let mut kept = vec![true; pages.len()];
    for (i, p) in pages.iter().enumerate() {
        let best = deepest[p.url.as_str()];
        if best != i && depth(p) < depth(&pages[best]) {
            kept[i] = false;
            notes.push(Diagnostic::warning(
                Code::Content,
                Location::file(&p.source),
                format!(
                    "left out: {} is published at {} too, and its generator publishes that one there (content_rules.same_address); rename one to keep both",
                    pages[best].source.display(),
                    p.url
                ),
            ));
        }
    }
    let mut flags = kept.into_iter();
    pages.retain(|_| flags.next().unwrap_or(true));
    notes
}
