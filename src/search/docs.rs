//! What goes into the search index: one small HTML document per searchable page, made from the
//! page the build already rendered (its `<main>`), with the title, section and taxonomy terms as
//! Pagefind metadata and filters, and its text folded (`fold`). Pure: no I/O, no Pagefind.

use std::collections::BTreeMap;

use super::fold::fold_html_text;
use crate::content::{Library, Page, PageKind};
use crate::markdown::{escape_html, HEADING_ANCHOR_END, HEADING_ANCHOR_START};

/// One page to index: its site path (without the base path) and the HTML Pagefind reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub url: String,
    pub html: String,
}

/// The facts of a page that the index keeps beside its words.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub title: &'a str,
    /// The top-level section (`Runbooks`), or `Reports` for report pages.
    pub section: Option<&'a str>,
    /// Plural taxonomy name → terms.
    pub terms: BTreeMap<&'a str, &'a [String]>,
}

/// Whether a content page belongs in the index: not a draft, not opted out (`search: false`, also
/// cascaded), written and listed, an HTML page; a section or the home page only when it has text
/// of its own (their lists of children are not what anyone searches for).
pub fn searchable(page: &Page) -> bool {
    let front = &page.front;
    if front.draft || front.search == Some(false) || front.not_rendered || front.not_listed {
        return false;
    }
    if !page.output_path.ends_with(".html") {
        return false;
    }
    match page.kind {
        PageKind::Page => true,
        PageKind::Section | PageKind::Home => {
            !page.body.trim().is_empty() || front.description.is_some()
        }
    }
}

/// Title of the top-level section a page is under (None for pages at the top).
pub fn top_section<'a>(lib: &'a Library, page: &Page) -> Option<&'a str> {
    let mut id = page.section;
    let mut top = None;
    while let Some(parent) = lib.sections[id].parent {
        top = Some(id);
        id = parent;
    }
    top.map(|s| lib.pages[lib.sections[s].page].title.as_str())
}

/// The facts of a content page.
pub fn page_facts<'a>(lib: &'a Library, page: &'a Page) -> Facts<'a> {
    Facts {
        title: &page.title,
        section: top_section(lib, page),
        terms: page
            .front
            .taxonomies
            .iter()
            .filter(|(_, terms)| !terms.is_empty())
            .map(|(name, terms)| (name.as_str(), terms.as_slice()))
            .collect(),
    }
}

/// The document for one rendered page: `<main>` of the page (the whole `<body>` for templates
/// without one), its text folded, and the facts as `<data>` elements Pagefind reads.
pub fn document(url: &str, rendered: &str, language: &str, facts: &Facts) -> Document {
    let main = main_part(rendered);
    let mut html = String::with_capacity(main.len() + 512);
    html.push_str("<html lang=\"");
    html.push_str(&escape_html(&language.to_ascii_lowercase()));
    html.push_str("\"><body>");
    push_data(&mut html, "data-pagefind-meta", "title", facts.title);
    if let Some(section) = facts.section {
        // A section's own page does not repeat its name under its title.
        if section != facts.title {
            push_data(&mut html, "data-pagefind-meta", "section", section);
        }
        push_data(&mut html, "data-pagefind-filter", "section", section);
    }
    for (name, terms) in &facts.terms {
        for term in terms.iter() {
            push_data(&mut html, "data-pagefind-filter", name, term);
        }
    }
    html.push_str(&fold_html_text(&without_heading_anchors(main)));
    html.push_str("</body></html>");
    Document {
        url: url.to_string(),
        html,
    }
}

/// `<data data-pagefind-meta="title[value]" value="…">`: the value is read from the attribute, so
/// commas and colons in it are kept (Pagefind's `key:value` form would split them).
fn push_data(html: &mut String, kind: &str, key: &str, value: &str) {
    // Filter and meta names are the site's own taxonomy names; keep them to safe characters.
    let key: String = key
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if key.is_empty() {
        return;
    }
    html.push_str(&format!(
        "<data {kind}=\"{key}[value]\" value=\"{}\"></data>",
        escape_html(value)
    ));
}

/// Headings end in a `#` link to themselves (`markdown`), which would show in excerpts.
fn without_heading_anchors(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(HEADING_ANCHOR_START) {
        let Some(end) = rest[start..].find(HEADING_ANCHOR_END) else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + HEADING_ANCHOR_END.len()..];
    }
    out.push_str(rest);
    out
}

/// The inside of the page's `<main>` element, or of `<body>`, or the whole text.
fn main_part(html: &str) -> &str {
    for (open, close) in [("<main", "</main>"), ("<body", "</body>")] {
        if let Some(start) = html.find(open) {
            let after_open = html[start..].find('>').map(|e| start + e + 1);
            let end = html.rfind(close);
            if let (Some(a), Some(e)) = (after_open, end) {
                if a <= e {
                    return &html[a..e];
                }
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(title: &'a str, tags: &'a [String]) -> Facts<'a> {
        let mut terms = BTreeMap::new();
        terms.insert("tags", tags);
        Facts {
            title,
            section: Some("手順書"),
            terms,
        }
    }

    #[test]
    fn the_document_is_the_main_part_with_facts_and_folded_text() {
        let tags = vec!["DB".to_string(), "a,b:c".to_string()];
        let page = "<html><body><nav>menu ｻｰﾊﾞｰ</nav><main id=\"content\"><h1>ｻｰﾊﾞｰ再起動</h1><p>ＳＬＡ</p></main><footer>x</footer></body></html>";
        let d = document(
            "/sop/restart/",
            page,
            "ja-JP",
            &facts("ｻｰﾊﾞｰ \"再起動\"", &tags),
        );
        assert_eq!(d.url, "/sop/restart/");
        assert!(d.html.starts_with("<html lang=\"ja-jp\"><body>"));
        assert!(
            d.html.contains("<h1>サーバー再起動</h1><p>SLA</p>"),
            "{}",
            d.html
        );
        assert!(!d.html.contains("menu"), "navigation is not indexed");
        assert!(!d.html.contains("<footer>"));
        // The displayed title is kept as written; values are escaped attributes.
        assert!(d
            .html
            .contains("data-pagefind-meta=\"title[value]\" value=\"ｻｰﾊﾞｰ &quot;再起動&quot;\""));
        assert!(d
            .html
            .contains("data-pagefind-filter=\"section[value]\" value=\"手順書\""));
        assert!(d
            .html
            .contains("data-pagefind-filter=\"tags[value]\" value=\"a,b:c\""));
    }

    #[test]
    fn heading_anchors_are_not_text() {
        assert_eq!(
            without_heading_anchors("<h2 id=\"a\">稼働率<a class=\"anchor\" href=\"#a\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2><p>x # y</p>"),
            "<h2 id=\"a\">稼働率</h2><p>x # y</p>"
        );
    }

    #[test]
    fn pages_without_main_give_their_body() {
        assert_eq!(main_part("<html><body class=x>text</body></html>"), "text");
        assert_eq!(main_part("just text"), "just text");
        assert_eq!(main_part("<main>a</main><main>b</main>"), "a</main><main>b");
    }

    #[test]
    fn odd_taxonomy_names_cannot_break_the_markup() {
        let mut html = String::new();
        push_data(&mut html, "data-pagefind-filter", "ta\"g s", "v");
        assert_eq!(
            html,
            "<data data-pagefind-filter=\"tags[value]\" value=\"v\"></data>"
        );
        let mut html = String::new();
        push_data(&mut html, "data-pagefind-filter", "\"", "v");
        assert!(html.is_empty());
    }
}
