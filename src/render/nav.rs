//! The left navigation. Each section's tree is built once as typed nodes, and the page being
//! shown is marked in it for every page without reading HTML back: the built-in templates'
//! markup is written here in Rust, once per section, with the places a mark can go recorded
//! (`WrittenNav`), so marking a page costs one copy; a site's own navigation template gets the
//! tree with `current` set and is rendered for each page.

use serde::Serialize;
use serde_json::Value;

use super::i18n::UiStrings;
use super::views::ViewEnv;
use crate::content::{Library, PageId, PageKind, SectionId};
use crate::html::escape_html;

/// One node of the left navigation tree.
#[derive(Debug, Clone, Serialize)]
pub struct NavNode {
    pub title: String,
    pub url: String,
    pub section: bool,
    /// On the way to the current section: shown open, with its pages.
    pub open: bool,
    /// The page being shown.
    pub current: bool,
    pub children: Vec<NavNode>,
    /// Not a page: "N more", a link to the section whose list was cut after
    /// `sidebar_menu_truncate` pages; `more` is N.
    pub more: usize,
    /// On a "more" node, the section whose list was cut: the page being shown is put back before
    /// it when it is one of those left out.
    #[serde(skip)]
    pub cut_from: Option<SectionId>,
}

/// Docsy's navigation switches, read from `params.ui` of site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavSettings {
    /// A section lists at most this many pages, then a link to the section page.
    pub truncate: usize,
    /// Only the current page's path is expanded (otherwise a section page also shows the whole
    /// tree below it).
    pub compact: bool,
}

impl NavSettings {
    pub const DEFAULT_TRUNCATE: usize = 100;

    pub fn from_params(params: &Value) -> NavSettings {
        let ui = &params["ui"];
        NavSettings {
            truncate: ui["sidebar_menu_truncate"]
                .as_u64()
                .map(|n| n as usize)
                .unwrap_or(Self::DEFAULT_TRUNCATE),
            compact: ui["sidebar_menu_compact"].as_bool().unwrap_or(false),
        }
    }
}

/// What `partials/nav.html` is given: the tree below the link to this version's home page.
#[derive(Debug, Clone, Serialize)]
pub struct NavTree {
    /// The home page of this version of the site (`/`, `/v/v1/`).
    pub home: String,
    /// The page being shown is the home page.
    pub home_current: bool,
    pub tree: Vec<NavNode>,
}

/// The page being shown, as the navigation marks it.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    pub url: &'a str,
    /// The link text the page is put back with when its section's list left it out; empty for
    /// pages that are never in a list (taxonomy and report pages).
    pub title: &'a str,
    pub section: SectionId,
}

impl<'a> Current<'a> {
    /// A page that is marked only where a link to `url` is shown.
    pub fn link(url: &'a str) -> Current<'a> {
        Current {
            url,
            title: "",
            section: 0,
        }
    }
}

impl NavTree {
    /// The tree with `current` marked: the first link to it (the home link, then the tree in
    /// reading order), else, when its section's list was cut before it, the page put back before
    /// the list's "more" link.
    pub fn marked(&self, current: &Current) -> NavTree {
        let mut marked = self.clone();
        if marked.home == current.url {
            marked.home_current = true;
        } else if !mark_first_link(&mut marked.tree, current.url) && !current.title.is_empty() {
            put_back(&mut marked.tree, current);
        }
        marked
    }
}

fn mark_first_link(nodes: &mut [NavNode], url: &str) -> bool {
    for n in nodes {
        if n.more == 0 && n.url == url {
            n.current = true;
            return true;
        }
        if mark_first_link(&mut n.children, url) {
            return true;
        }
    }
    false
}

fn put_back(nodes: &mut Vec<NavNode>, current: &Current) -> bool {
    if let Some(i) = nodes
        .iter()
        .position(|n| n.cut_from == Some(current.section))
    {
        nodes.insert(
            i,
            NavNode {
                title: current.title.to_string(),
                url: current.url.to_string(),
                section: false,
                open: false,
                current: true,
                children: Vec::new(),
                more: 0,
                cut_from: None,
            },
        );
        return true;
    }
    nodes.iter_mut().any(|n| put_back(&mut n.children, current))
}

/// The built-in `partials/nav.html` and `partials/nav_macros.html` written by Rust for one tree,
/// byte for byte what tera makes of them (a test renders both), with the places where the
/// page being shown is marked.
#[derive(Debug, Clone)]
pub struct WrittenNav {
    html: String,
    /// After each link's `href="…"`, in reading order: the byte offset and the link's address.
    links: Vec<(usize, String)>,
    /// Before each "more" link: the byte offset and the section whose list was cut.
    cuts: Vec<(usize, SectionId)>,
}

const CURRENT_ATTRIBUTE: &str = " aria-current=\"page\"";

impl WrittenNav {
    pub fn write(nav: &NavTree, ui: &UiStrings) -> WrittenNav {
        let mut w = WrittenNav {
            html: String::with_capacity(4096),
            links: Vec::new(),
            cuts: Vec::new(),
        };
        w.html.push_str("<nav class=\"nav-tree\" aria-label=\"");
        w.text(ui.navigation);
        w.html.push_str("\">\n<a class=\"nav-home\"");
        w.link(&nav.home);
        w.html.push('>');
        w.text(ui.home);
        w.html.push_str("</a>\n");
        w.list(&nav.tree);
        w.html.push_str("\n</nav>\n");
        w
    }

    fn text(&mut self, s: &str) {
        self.html.push_str(&escape_html(s));
    }

    /// ` href="url"`, recorded as a place for the mark.
    fn link(&mut self, url: &str) {
        self.html.push_str(" href=\"");
        self.text(url);
        self.html.push('"');
        self.links.push((self.html.len(), url.to_string()));
    }

    fn list(&mut self, nodes: &[NavNode]) {
        self.html.push_str("<ul>");
        for n in nodes {
            if n.more > 0 {
                if let Some(section) = n.cut_from {
                    self.cuts.push((self.html.len(), section));
                }
                self.html.push_str("<li class=\"nav-more\"><a href=\"");
                self.text(&n.url);
                self.html.push_str("\">");
                self.text(&n.title);
                self.html.push_str("</a></li>");
                continue;
            }
            self.html.push_str("\n<li");
            if n.section {
                self.html.push_str(if n.open {
                    " class=\"nav-section open\""
                } else {
                    " class=\"nav-section\""
                });
            }
            if n.url.is_empty() {
                // A `nav:` group: a name over its pages, no page of its own.
                self.html.push_str("><span class=\"nav-group\">");
                self.text(&n.title);
                self.html.push_str("</span>");
            } else {
                self.html.push_str("><a");
                self.link(&n.url);
                self.html.push('>');
                self.text(&n.title);
                self.html.push_str("</a>");
            }
            if !n.children.is_empty() {
                self.list(&n.children);
            }
            self.html.push_str("</li>");
        }
        self.html.push_str("\n</ul>");
    }

    /// The navigation with `current` marked as `NavTree::marked` marks it.
    pub fn html_for(&self, current: Option<&Current>) -> String {
        let Some(current) = current else {
            return self.html.clone();
        };
        if let Some((at, _)) = self.links.iter().find(|(_, url)| url == current.url) {
            return self.insert(*at, CURRENT_ATTRIBUTE);
        }
        match self.cuts.iter().find(|(_, s)| *s == current.section) {
            Some((at, _)) if !current.title.is_empty() => {
                let item = format!(
                    "\n<li><a href=\"{}\"{CURRENT_ATTRIBUTE}>{}</a></li>",
                    escape_html(current.url),
                    escape_html(current.title)
                );
                self.insert(*at, &item)
            }
            _ => self.html.clone(),
        }
    }

    fn insert(&self, at: usize, piece: &str) -> String {
        let mut s = String::with_capacity(self.html.len() + piece.len());
        s.push_str(&self.html[..at]);
        s.push_str(piece);
        s.push_str(&self.html[at..]);
        s
    }
}

/// A section's navigation: the tree, and its markup when the built-in templates write it.
#[derive(Debug, Clone)]
pub struct SectionNav {
    pub tree: NavTree,
    pub written: Option<WrittenNav>,
}

/// The navigation of a build, per section.
pub struct NavFragments {
    /// Per section: for its regular pages (and its own page when compact).
    pub pages: Vec<SectionNav>,
    /// Per section: for its own page, with the tree below it open (not compact).
    pub section_pages: Vec<Option<SectionNav>>,
}

impl NavFragments {
    pub fn for_page(&self, lib: &Library, id: PageId) -> &SectionNav {
        let p = &lib.pages[id];
        match (p.kind, &self.section_pages[p.section]) {
            (PageKind::Section | PageKind::Home, Some(nav)) => nav,
            _ => &self.pages[p.section],
        }
    }

    pub fn home(&self) -> &SectionNav {
        &self.pages[0]
    }
}

impl ViewEnv<'_> {
    /// The tree for the pages of section `current`: the sections on the way to it are open.
    /// With `expand_below`, every section below `current` is open too (a section page's view
    /// when the navigation is not compact).
    pub fn nav_tree(
        &self,
        current: SectionId,
        settings: NavSettings,
        expand_below: bool,
    ) -> Vec<NavNode> {
        let chain = self.lib.section_chain(current);
        self.nav_children(0, &chain, current, settings, expand_below)
    }

    /// The tree `nav:` draws, for a site that has one (as MkDocs' themes draw it): its groups
    /// (names, open) and pages in its order, under their nav titles; the home page is the home
    /// link, and pages the nav leaves out are not in it (their sections still list them).
    pub fn nav_tree_of(&self, entries: &[crate::config::nav::NavEntry]) -> Vec<NavNode> {
        use crate::config::nav::NavEntry;
        let lib = self.lib;
        let node = |title: String, url: String, section: bool, children: Vec<NavNode>| NavNode {
            title,
            url,
            section,
            open: section,
            current: false,
            children,
            more: 0,
            cut_from: None,
        };
        let mut out = Vec::new();
        for e in entries {
            match e {
                NavEntry::Page { title, file } => {
                    let folder = file.strip_suffix('/');
                    let id = match folder {
                        Some(dir) => (lib.sections.iter())
                            .find(|s| lib.pages[s.page].source_dir() == std::path::Path::new(dir))
                            .map(|s| s.page),
                        None => lib.by_source.get(std::path::Path::new(file)).copied(),
                    };
                    let Some(id) = id.filter(|&id| lib.pages[id].kind != PageKind::Home) else {
                        continue;
                    };
                    let page = &lib.pages[id];
                    let title = title
                        .clone()
                        .unwrap_or_else(|| page.link_title().to_string());
                    out.push(node(title, page.url.clone(), false, Vec::new()));
                }
                NavEntry::Link { title, url } => {
                    let title = title.clone().unwrap_or_else(|| url.clone());
                    out.push(node(title, url.clone(), false, Vec::new()));
                }
                NavEntry::Group { title, entries } => {
                    let children = self.nav_tree_of(entries);
                    if !children.is_empty() {
                        out.push(node(title.clone(), String::new(), true, children));
                    }
                }
            }
        }
        out
    }

    fn nav_children(
        &self,
        s: SectionId,
        chain: &[SectionId],
        current: SectionId,
        settings: NavSettings,
        expand_below: bool,
    ) -> Vec<NavNode> {
        let lib = self.lib;
        let sec = &lib.sections[s];
        let below_current = expand_below && lib.section_chain(s).contains(&current);
        let mut out: Vec<NavNode> = Vec::new();
        for &c in &sec.subsections {
            let open = chain.contains(&c) || below_current;
            out.push(NavNode {
                title: lib.pages[lib.sections[c].page].link_title().to_string(),
                url: lib.pages[lib.sections[c].page].url.clone(),
                section: true,
                open,
                children: if open {
                    self.nav_children(c, chain, current, settings, expand_below)
                } else {
                    Vec::new()
                },
                current: false,
                more: 0,
                cut_from: None,
            });
        }
        let mut cut = 0;
        if chain.contains(&s) || below_current {
            for (i, &p) in sec.pages.iter().enumerate() {
                if i >= settings.truncate {
                    cut = sec.pages.len() - i;
                    break;
                }
                out.push(NavNode {
                    title: lib.pages[p].link_title().to_string(),
                    url: lib.pages[p].url.clone(),
                    section: false,
                    open: false,
                    children: Vec::new(),
                    current: false,
                    more: 0,
                    cut_from: None,
                });
            }
        }
        // Pages and sections share one ordering, so a weighted page can precede a section.
        let order = |n: &NavNode| lib.by_url.get(&n.url).copied();
        out.sort_by(|a, b| match (order(a), order(b)) {
            (Some(x), Some(y)) => {
                crate::content::assemble::compare_pages(&lib.pages[x], &lib.pages[y])
            }
            _ => std::cmp::Ordering::Equal,
        });
        if cut > 0 {
            out.push(NavNode {
                title: self.ui.more_pages.replace("{n}", &cut.to_string()),
                url: lib.pages[sec.page].url.clone(),
                section: false,
                open: false,
                children: Vec::new(),
                current: false,
                more: cut,
                cut_from: Some(s),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{theme, Templates};

    fn node(title: &str, url: &str, children: Vec<NavNode>) -> NavNode {
        NavNode {
            title: title.into(),
            url: url.into(),
            section: !children.is_empty(),
            open: !children.is_empty(),
            current: false,
            children,
            more: 0,
            cut_from: None,
        }
    }

    /// A tree with closed and open sections, nesting, a cut list, and text that needs escaping.
    fn sample() -> NavTree {
        let mut closed = node("閉じた <節>", "/closed/", Vec::new());
        closed.section = true;
        let more = NavNode {
            title: "ほか 2 ページ".into(),
            url: "/ops/".into(),
            section: false,
            open: false,
            current: false,
            children: Vec::new(),
            more: 2,
            cut_from: Some(3),
        };
        let inner = node(
            "内側",
            "/ops/inner/",
            vec![node("深い", "/ops/inner/deep/", vec![])],
        );
        let ops = node(
            "運用 & 手順",
            "/ops/",
            vec![inner, node("\"A\" 'B'", "/ops/a&b/", vec![]), more],
        );
        NavTree {
            home: "/".into(),
            home_current: false,
            tree: vec![closed, ops, node("FAQ", "/faq/", vec![])],
        }
    }

    fn through_tera(tree: &NavTree, ui: &UiStrings) -> String {
        let templates = Templates::new(&theme::embedded(), &Default::default()).unwrap();
        assert!(templates.builtin_nav);
        #[derive(Serialize)]
        struct Ctx<'a> {
            #[serde(flatten)]
            nav: &'a NavTree,
            ui: &'a UiStrings,
        }
        let ctx = tera::Context::from_serialize(Ctx { nav: tree, ui }).unwrap();
        templates.render("partials/nav.html", &ctx).unwrap()
    }

    /// The written markup is what tera makes of the built-in templates, for every page a
    /// navigation can mark: each link, a page put back into the cut list, the home page, a page
    /// it does not show, and none.
    #[test]
    fn written_navigation_is_byte_for_byte_the_built_in_templates() {
        let tree = sample();
        let ui = UiStrings::for_language("ja");
        let written = WrittenNav::write(&tree, ui);
        assert_eq!(written.html_for(None), through_tera(&tree, ui));
        let currents = [
            Current::link("/"),
            Current::link("/closed/"),
            Current::link("/ops/"),
            Current::link("/ops/inner/deep/"),
            Current::link("/ops/a&b/"),
            Current::link("/faq/"),
            Current::link("/tags/"),
            Current {
                url: "/ops/p3/",
                title: "三番目 <b>",
                section: 3,
            },
            Current {
                url: "/elsewhere/p9/",
                title: "別の節",
                section: 7,
            },
        ];
        for current in currents {
            let html = written.html_for(Some(&current));
            assert_eq!(
                html,
                through_tera(&tree.marked(&current), ui),
                "{current:?}"
            );
            let marks = html.matches("aria-current=\"page\"").count();
            let shown = current.url != "/tags/" && current.url != "/elsewhere/p9/";
            assert_eq!(marks, usize::from(shown), "{current:?}: {html}");
        }
        let put_back = written.html_for(Some(&currents[7]));
        assert!(put_back.contains(
            "<li><a href=\"/ops/p3/\" aria-current=\"page\">三番目 &lt;b&gt;</a></li><li class=\"nav-more\">"
        ));
    }
}
