//! Menus: entries from `site.yaml` merged with pages' `menu` front matter, nested by `parent`.

use std::collections::BTreeMap;

use super::{Page, PageId};
use crate::config::{MenuEntryConfig, RawHtml};
use crate::markdown::highlight::escape_html;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub name: String,
    /// Site path (`/sop/`) or an external URL.
    pub url: String,
    pub weight: Option<i64>,
    /// HTML placed before the name (icons). From site.yaml it is the site owner's HTML; from a
    /// page's front matter it is HTML only with `markdown.raw_html: pass`, and text (escaped
    /// here) with `escape`.
    pub pre: String,
    pub identifier: String,
    pub page: Option<PageId>,
    pub children: Vec<MenuEntry>,
}

struct Flat {
    entry: MenuEntry,
    parent: Option<String>,
}

pub fn build(
    config: &BTreeMap<String, Vec<MenuEntryConfig>>,
    raw_html: RawHtml,
    pages: &[Page],
    order: &[PageId],
) -> BTreeMap<String, Vec<MenuEntry>> {
    let mut flat: BTreeMap<String, Vec<Flat>> = BTreeMap::new();
    for (menu, entries) in config {
        for e in entries {
            let url = if e.url.contains("://") || e.url.starts_with('/') || e.url.is_empty() {
                e.url.clone()
            } else {
                format!("/{}", e.url)
            };
            flat.entry(menu.clone()).or_default().push(Flat {
                entry: MenuEntry {
                    name: e.name.clone(),
                    url,
                    weight: e.weight,
                    pre: e.pre.clone(),
                    identifier: e.identifier.clone().unwrap_or_else(|| e.name.clone()),
                    page: None,
                    children: Vec::new(),
                },
                parent: e.parent.clone(),
            });
        }
    }
    for &id in order {
        let page = &pages[id];
        for r in &page.front.menus {
            let name = r
                .name
                .clone()
                .unwrap_or_else(|| page.link_title().to_string());
            flat.entry(r.menu.clone()).or_default().push(Flat {
                entry: MenuEntry {
                    identifier: r.identifier.clone().unwrap_or_else(|| name.clone()),
                    name,
                    url: page.url.clone(),
                    weight: r.weight.or(page.front.weight),
                    pre: match (&r.pre, raw_html) {
                        (None, _) => String::new(),
                        (Some(pre), RawHtml::Pass) => pre.clone(),
                        (Some(pre), RawHtml::Escape) => escape_html(pre),
                    },
                    page: Some(id),
                    children: Vec::new(),
                },
                parent: r.parent.clone(),
            });
        }
    }
    flat.into_iter()
        .map(|(name, entries)| (name, nest(entries)))
        .collect()
}

fn nest(entries: Vec<Flat>) -> Vec<MenuEntry> {
    let ids: Vec<String> = entries.iter().map(|f| f.entry.identifier.clone()).collect();
    let (mut roots, mut children): (Vec<Flat>, Vec<Flat>) = entries
        .into_iter()
        .partition(|f| f.parent.as_ref().is_none_or(|p| !ids.contains(p)));
    fn attach(list: &mut [Flat], children: &mut Vec<Flat>) {
        for f in list.iter_mut() {
            let (mine, rest): (Vec<Flat>, Vec<Flat>) = std::mem::take(children)
                .into_iter()
                .partition(|c| c.parent.as_deref() == Some(f.entry.identifier.as_str()));
            *children = rest;
            let mut mine = mine;
            attach(&mut mine, children);
            f.entry.children = sorted(mine);
        }
    }
    attach(&mut roots, &mut children);
    sorted(roots)
}

fn sorted(list: Vec<Flat>) -> Vec<MenuEntry> {
    let mut v: Vec<MenuEntry> = list.into_iter().map(|f| f.entry).collect();
    v.sort_by(|a, b| {
        let wa = a.weight.unwrap_or(i64::MAX);
        let wb = b.weight.unwrap_or(i64::MAX);
        wa.cmp(&wb)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.url.cmp(&b.url))
    });
    v
}
