//! Taxonomies (`tags`, `categories`, or whatever `site.yaml` names): terms and the pages carrying them.

use std::collections::BTreeMap;

use super::{urls, Page, PageId};
use crate::config::SiteConfig;

#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Plural name, as used in front matter and URLs (`tags`).
    pub name: String,
    pub singular: String,
    /// `/tags/`
    pub url: String,
    /// Sorted by name.
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub struct Term {
    /// As first written (`オペレーション`, `ITIL`).
    pub name: String,
    /// `/tags/ITIL/`
    pub url: String,
    /// In display order.
    pub pages: Vec<PageId>,
}

/// Collect terms from pages. `pages` is in display order; terms whose URL coincides (`Foo Bar`,
/// `Foo-Bar`) are one term.
pub fn build(config: &SiteConfig, pages: &[Page], order: &[PageId]) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for (singular, plural) in &config.taxonomies {
        if out.iter().any(|t: &Taxonomy| &t.name == plural) {
            continue;
        }
        let base = format!("/{}/", urls::segment(plural));
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        for &id in order {
            if pages[id].front.not_listed {
                continue;
            }
            let Some(names) = pages[id].front.taxonomies.get(plural) else {
                continue;
            };
            for name in names {
                let seg = urls::term_segment_in(name, config.content_rules.url_case);
                let term = terms.entry(seg.clone()).or_insert_with(|| Term {
                    name: name.clone(),
                    url: format!("{base}{seg}/"),
                    pages: Vec::new(),
                });
                if !term.pages.contains(&id) {
                    term.pages.push(id);
                }
            }
        }
        let mut terms: Vec<Term> = terms.into_values().collect();
        terms.sort_by(|a, b| super::natural::compare(&a.name, &b.name).then(a.url.cmp(&b.url)));
        out.push(Taxonomy {
            name: plural.clone(),
            singular: singular.clone(),
            url: base,
            terms,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
