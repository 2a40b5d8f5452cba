//! What goes into the search index: one small HTML document per searchable page, made from the
//! typed page the build already has (title, description, the body its Markdown rendered to; a
//! report page's body as `render` rendered it), with the title, section and taxonomy terms as
//! Pagefind metadata and filters, and its text folded (`fold`). Pure: no I/O, no Pagefind.

use std::collections::BTreeMap;

use crate::content::{Library, Page, PageKind};
use crate::markdown::{escape_html, Rendered, HEADING_ANCHOR_END, HEADING_ANCHOR_START};
use crate::publications::ReleaseView;

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

/// Where a page's body is written: a `String`, or a hasher (`search::index` keys a page by its
/// body without writing it out).
pub trait Sink {
    fn push_str(&mut self, s: &str);
}

impl Sink for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

impl Sink for blake3::Hasher {
    fn push_str(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// The body of a content page: its title, description and the HTML its Markdown rendered to;
/// for a release note, also its lists of changes (front matter the page template shows).
pub fn page_body(page: &Page, rendered: &Rendered, release: Option<&ReleaseView>) -> String {
    let mut body = String::with_capacity(rendered.html.len() + 256);
    write_page_body(page, rendered, release, &mut body);
    body
}

/// `page_body`, written into `body`.
pub fn write_page_body(
    page: &Page,
    rendered: &Rendered,
    release: Option<&ReleaseView>,
    body: &mut impl Sink,
) {
    // The title's id as the page template writes it, so the index has its anchor too.
    match &rendered.title_id {
        Some(id) => {
            body.push_str("<h1 id=\"");
            body.push_str(&escape_html(id));
            body.push_str("\">");
        }
        None => body.push_str("<h1>"),
    }
    body.push_str(&escape_html(&page.title));
    body.push_str("</h1>");
    if let Some(description) = &page.front.description {
        body.push_str("<p>");
        body.push_str(&escape_html(description));
        body.push_str("</p>");
    }
    body.push_str(&rendered.html);
    for section in release.map_or(&[][..], |r| &r.sections) {
        body.push_str("<h2>");
        body.push_str(&escape_html(section.title));
        body.push_str("</h2><ul>");
        for item in &section.items {
            // Already HTML: the text escaped, code kept as code.
            body.push_str("<li>");
            body.push_str(item);
            body.push_str("</li>");
        }
        body.push_str("</ul>");
    }
}

/// The document for one page: its body with the text folded, and the facts as `<data>`
/// elements Pagefind reads.
pub fn document(url: &str, body: &str, language: &str, facts: &Facts) -> Document {
    let mut html = String::with_capacity(body.len() + 512);
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
    html.push_str(&super::markup::for_index(&without_heading_anchors(body)));
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
pub fn without_heading_anchors(html: &str) -> String {
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
    fn the_document_is_the_body_with_facts_and_folded_text() {
        let tags = vec!["DB".to_string(), "a,b:c".to_string()];
        let page = "<h1>ｻｰﾊﾞｰ再起動</h1><p>ＳＬＡ</p>";
        let d = document(
            "/sop/restart/",
            page,
            "ja-JP",
            &facts("ｻｰﾊﾞｰ \"再起動\"", &tags),
        );
        assert_eq!(d.url, "/sop/restart/");
        assert!(d.html.starts_with("<html lang=\"ja-jp\"><body>"));
        assert!(
            d.html.contains("<h1>サーバー再起動</h1> SLA. "),
            "{}",
            d.html
        );
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
