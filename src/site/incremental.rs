//! The preview server's fast path. When an edit changed only the bodies of some regular pages
//! (front matter as it was, title as it was), the rest of the build still holds: redo those
//! pages' Markdown and HTML and, when a summary changed, the HTML of the pages that list it (the
//! section pages above it and its term pages) and the feeds, which show summaries and nothing
//! else of a body. Anything else goes through `build_all`. Tests compare the result with a full
//! build, byte for byte.

use std::collections::HashSet;

use super::{feeds, with_renderer, Built};
use crate::content::assemble;
use crate::content::page::RawPage;
use crate::content::PageKind;
use crate::render::i18n::UiStrings;
use crate::site::bodies::BodyRenderer;

/// Apply body edits to `built` in place; returns the output paths whose bytes changed, or None
/// when the edits need the full pipeline (then `built` must be rebuilt from its sources).
pub fn rebody(built: &mut Built, edits: &[RawPage]) -> Option<Vec<String>> {
    // Versions link to each other's pages (switchers, links across): rebuilt whole.
    // A page another includes (`markdown.includes`) changes that one too: rebuilt whole.
    if built.templates.is_none()
        || built.navs.is_none()
        || built.stage_diags.has_errors()
        || built.switcher.is_some()
        || built.config.markdown.includes.any()
    {
        return None;
    }
    let mut new_bodies = Vec::new();
    for raw in edits {
        let &id = built.lib.by_source.get(&raw.rel_path)?;
        let page = &built.lib.pages[id];
        if page.kind != PageKind::Page
            || built.front_hashes.get(&raw.rel_path) != Some(&raw.front.text_hash())
        {
            return None;
        }
        new_bodies.push((
            id,
            assemble::rebody(page, raw, built.config.content_rules.titles)?,
        ));
    }
    let mut ids: Vec<usize> = Vec::new();
    let mut old_summaries = Vec::new();
    for (id, body) in new_bodies {
        built.lib.pages[id].body = body;
        ids.push(id);
        old_summaries.push(std::mem::take(&mut built.rendered[id].summary));
    }
    render_bodies(built, &ids);
    // Lists, term pages and feeds show a page's summary and nothing else of its body.
    let summary_changed = ids
        .iter()
        .zip(&old_summaries)
        .any(|(&id, old)| built.rendered[id].summary != *old);

    let lib = &built.lib;
    let edited: HashSet<usize> = ids.iter().copied().collect();
    let listed: Vec<usize> = if summary_changed {
        ids.clone()
    } else {
        Vec::new()
    };
    let listing: HashSet<usize> = listed
        .iter()
        .flat_map(|&id| lib.section_chain(lib.pages[id].section))
        .map(|s| lib.sections[s].page)
        .collect();
    let terms: HashSet<(usize, usize)> = lib
        .taxonomies
        .iter()
        .enumerate()
        .flat_map(|(t, tax)| {
            tax.terms
                .iter()
                .enumerate()
                .filter(|(_, term)| term.pages.iter().any(|p| listed.contains(p)))
                .map(move |(i, _)| (t, i))
        })
        .collect();
    let results = with_renderer(built, |r| {
        let navs = built.navs.as_ref()?;
        let mut out = r.content_pages(navs, &|id| edited.contains(&id) || listing.contains(&id));
        out.extend(r.taxonomy_pages(navs.home(), &|t, term| {
            term.is_some_and(|i| terms.contains(&(t, i)))
        }));
        Some(out)
    })?;
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        // A template that fails on the new body is reported by the full build.
        files.push(r.ok()?);
    }
    if summary_changed {
        files.extend(feeds::atom_feeds(
            &built.config,
            &built.lib,
            &built.rendered,
        ));
    }

    let mut changed = Vec::new();
    for f in files {
        match built
            .files
            .binary_search_by(|o| o.path.as_str().cmp(&f.path))
        {
            Ok(i) => {
                if !built.files[i].content.same_bytes(&f.content) {
                    changed.push(f.path.clone());
                    built.files[i] = f;
                }
            }
            // A new output path means more changed than bodies.
            Err(_) => return None,
        }
    }
    Some(changed)
}

/// The Markdown of pages `ids` again, with the build's templates, figures and highlight cache.
fn render_bodies(built: &mut Built, ids: &[usize]) {
    let Some(templates) = built.templates.as_ref() else {
        return;
    };
    let figures = built.figure_data.figures();
    let bodies = BodyRenderer {
        lib: &built.lib,
        config: &built.config,
        templates,
        ui: UiStrings::for_language(&built.config.language),
        cache: &built.cache,
        figures: &figures,
        kept: None,
    };
    bodies.some_pages(ids, &mut built.rendered);
    // Their new bodies are not keyed: none is kept for a later build as the old one's.
    for &id in ids {
        if let Some(key) = built.body_keys.get_mut(id) {
            *key = None;
        }
    }
}
