//! A section's pages as one handbook (the on-call runbooks to print, or to keep on a laptop for
//! when the portal is down): a cover, contents with page numbers, and each page as a chapter
//! starting on a new sheet. Links between the handbook's pages lead inside the PDF; links to
//! other pages of the site show the portal's full address.
//!
//! Pages are rendered HTML whose ids were unique per page only, so each chapter's HTML is read
//! as a tree (lol_html) and its ids, in-page links and links to other chapters are given the
//! chapter's namespace (`c3-…`); site images are gathered to travel with the document.
//!
//! Page numbers in the contents need the pages' lengths, which only printing tells: the cover
//! with the contents, and each chapter, are printed alone first (each chapter starts a new
//! sheet, so it is as long alone as in the whole), then the whole with the numbers filled in.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::report::Furniture;
use super::{DocInfo, Document};
use crate::render::Templates;
use crate::reports::views::Words;

/// One page of the section, as the handbook prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    pub title: String,
    /// Site path (`/runbooks/db-failover/`).
    pub url: String,
    /// The portal's address of the page, printed under its title.
    pub permalink: String,
    /// 1 for the section's own page and its pages, 2 for a subsection's …
    pub depth: usize,
    /// The page's rendered body.
    pub html: String,
}

#[derive(Serialize)]
struct ChapterView<'a> {
    title: &'a str,
    anchor: String,
    permalink: &'a str,
    depth: usize,
    html: String,
    /// The sheet it starts on (0 while unknown).
    page: usize,
}

#[derive(Serialize)]
struct Context<'a> {
    doc: &'a DocInfo,
    t: &'a Words,
    chapters: &'a [ChapterView<'a>],
    /// `front` (the cover and contents alone), `chapter` (one chapter alone) or `whole`: the
    /// first two are printed to count their sheets.
    part: &'static str,
}

/// The handbook, ready for the printer: the chapters rewritten into one namespace, and the
/// site files (images) their HTML refers to.
pub struct Handbook<'a> {
    info: DocInfo,
    chapters: Vec<ChapterView<'a>>,
    /// Site paths (`runbooks/img/a.png`) of files the chapters show.
    pub images: BTreeSet<String>,
}

/// Read each chapter's HTML and give it the handbook's namespace.
pub fn assemble<'a>(
    mut info: DocInfo,
    furniture: &Furniture,
    chapters: &'a [Chapter],
    absolute: &dyn Fn(&str) -> String,
) -> Result<Handbook<'a>, String> {
    furniture.name_in(&mut info);
    let anchors: HashMap<&str, usize> = chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.url.as_str(), i))
        .collect();
    let mut images = BTreeSet::new();
    let mut views = Vec::with_capacity(chapters.len());
    for (i, c) in chapters.iter().enumerate() {
        let (html, used) = namespaced(&c.html, &c.url, i, &anchors, absolute)
            .map_err(|e| format!("{}: {e}", c.url))?;
        images.extend(used);
        views.push(ChapterView {
            title: &c.title,
            anchor: anchor(i),
            permalink: &c.permalink,
            depth: c.depth,
            html,
            page: 0,
        });
    }
    Ok(Handbook {
        info,
        chapters: views,
        images,
    })
}

fn anchor(chapter: usize) -> String {
    format!("c{}", chapter + 1)
}

/// `html` with every id and in-handbook link in chapter `me`'s namespace, links to the rest of
/// the site made absolute, and site images pointed at `site/<path>`; the images' site paths.
fn namespaced(
    html: &str,
    url: &str,
    me: usize,
    anchors: &HashMap<&str, usize>,
    absolute: &dyn Fn(&str) -> String,
) -> Result<(String, Vec<String>), String> {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let prefix = anchor(me);
    let images = std::cell::RefCell::new(Vec::new());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                el.set_attribute("id", &format!("{prefix}-{id}"))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href]", |el| {
            if let Some(href) = el.get_attribute("href") {
                let to = link_target(&super::site_path_of(url, &href), me, anchors, absolute);
                el.set_attribute("href", &to)?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img[src]", |el| {
            if let Some(src) = el.get_attribute("src") {
                if let Some(path) = site_file(&super::site_path_of(url, &src)) {
                    el.set_attribute("src", &format!("site/{path}"))?;
                    images.borrow_mut().push(path);
                }
            }
            Ok(())
        }));
    let out = rewrite_str(html, settings).map_err(|e| e.to_string())?;
    Ok((out, images.into_inner()))
}

/// Where a link of chapter `me` leads in the handbook: `#c2` or `#c2-step-3` for a chapter,
/// the portal's address for another page of the site, unchanged for the rest.
fn link_target(
    href: &str,
    me: usize,
    anchors: &HashMap<&str, usize>,
    absolute: &dyn Fn(&str) -> String,
) -> String {
    if let Some(fragment) = href.strip_prefix('#') {
        return format!("#{}-{fragment}", anchor(me));
    }
    if !href.starts_with('/') || href.starts_with("//") {
        return href.to_string();
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let page = path.split('?').next().unwrap_or(path);
    let page = page.strip_suffix("index.html").unwrap_or(page);
    // Japanese paths come percent-encoded (`/%E6%89%8B…/`); chapters are keyed by their text.
    let page = crate::markdown::links::percent_decode(page);
    let fragment = fragment.map(crate::markdown::links::percent_decode);
    match anchors.get(page.as_str()) {
        Some(&i) => match fragment.as_deref() {
            Some(f) if !f.is_empty() => format!("#{}-{f}", anchor(i)),
            _ => format!("#{}", anchor(i)),
        },
        None => absolute(href),
    }
}

/// The site path of a file the site publishes (`/runbooks/img/a.png` → `runbooks/img/a.png`);
/// `None` for other addresses (another host, `data:`).
fn site_file(src: &str) -> Option<String> {
    let path = src.strip_prefix('/').filter(|_| !src.starts_with("//"))?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = crate::markdown::links::percent_decode(path);
    (!path.is_empty() && !path.split('/').any(|part| part == ".." || part == ".")).then_some(path)
}

impl Handbook<'_> {
    /// The handbook, or a part of it, as one document.
    fn document(
        &self,
        templates: &Templates,
        furniture: &Furniture,
        t: &Words,
        part: &'static str,
        chapters: &[ChapterView],
        images: &[(String, Vec<u8>)],
    ) -> Result<Document<'static>, String> {
        let ctx = Context {
            doc: &self.info,
            t,
            chapters,
            part,
        };
        let render = |name: &str| {
            tera::Context::from_serialize(&ctx)
                .and_then(|c| templates.render(name, &c))
                .map_err(|e| crate::render::pages::template_error(name, &e).to_string())
        };
        let mut files = furniture.files();
        files.extend(
            images
                .iter()
                .map(|(p, b)| (format!("site/{p}"), std::borrow::Cow::Owned(b.clone()))),
        );
        Ok(Document {
            html: render("pdf/section.html")?,
            files,
            dated: self.info.dated,
            with_pages: None,
            contents: Vec::new(),
        })
    }

    /// Print the handbook: the front part and each chapter alone (side by side) to learn their
    /// lengths, then the whole with the contents' page numbers.
    pub fn print(
        mut self,
        printer: &mut super::Printer,
        templates: &Templates,
        furniture: &Furniture,
        t: &Words,
        images: &[(String, Vec<u8>)],
    ) -> Result<super::Printed, String> {
        let mut parts =
            vec![self.document(templates, furniture, t, "front", &self.chapters, &[])?];
        for i in 0..self.chapters.len() {
            let alone = &self.chapters[i..=i];
            parts.push(self.document(templates, furniture, t, "chapter", alone, images)?);
        }
        let lengths = (printer
            .print_all(&parts.iter().collect::<Vec<_>>())
            .into_iter())
        .map(|printed| count(&printed?.pdf))
        .collect::<Result<Vec<usize>, String>>()?;
        let mut next = lengths[0] + 1;
        for (chapter, sheets) in self.chapters.iter_mut().zip(&lengths[1..]) {
            chapter.page = next;
            next += sheets;
        }
        let whole = self.document(templates, furniture, t, "whole", &self.chapters, images)?;
        printer.print(&whole)
    }
}

fn count(pdf: &[u8]) -> Result<usize, String> {
    super::page_count(pdf).ok_or_else(|| "cannot count the pages the browser printed".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(html: &str) -> (String, Vec<String>) {
        let anchors: HashMap<&str, usize> = [("/runbooks/a/", 0), ("/runbooks/b/", 1)].into();
        namespaced(html, "/runbooks/a/", 0, &anchors, &|p| {
            format!("https://ops.example.jp{p}")
        })
        .unwrap()
    }

    #[test]
    fn ids_and_links_take_the_chapters_namespace() {
        let (html, _) = rewrite(
            r##"<h2 id="手順">手順</h2><a href="#手順">上へ</a><a href="/runbooks/b/#確認">B</a><a href="/runbooks/b/">B</a><a href="/sop/x/">X</a><a href="https://example.com/">ext</a>"##,
        );
        assert!(html.contains(r#"<h2 id="c1-手順">"#), "{html}");
        assert!(html.contains(r##"href="#c1-手順""##), "{html}");
        assert!(html.contains(r##"href="#c2-確認""##), "{html}");
        assert!(html.contains(r##"href="#c2""##), "{html}");
        assert!(
            html.contains(r#"href="https://ops.example.jp/sop/x/""#),
            "{html}"
        );
        assert!(html.contains(r#"href="https://example.com/""#), "{html}");
        // Relative links, as a site with relative_urls writes them.
        let (html, _) = rewrite(r#"<a href="/runbooks/%E6%89%8B/">手</a>"#);
        assert!(!html.contains("c3"), "{html}");
        let (html, _) = rewrite(
            r#"<a href="../b/index.html#確認">B</a><a href="../../sop/x/">X</a><a href="img/a.png">i</a>"#,
        );
        assert!(html.contains(r##"href="#c2-確認""##), "{html}");
        assert!(
            html.contains(r#"href="https://ops.example.jp/sop/x/""#),
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://ops.example.jp/runbooks/a/img/a.png""#),
            "{html}"
        );
    }

    #[test]
    fn site_images_travel_with_the_document_and_others_do_not() {
        let (html, images) = rewrite(
            r#"<img src="/runbooks/img/%E5%9B%B3.png" alt="a"><img src="https://cdn.example/x.png" alt="b"><img src="/../etc/passwd" alt="c">"#,
        );
        assert_eq!(images, vec!["runbooks/img/図.png".to_string()]);
        assert!(html.contains(r#"src="site/runbooks/img/図.png""#), "{html}");
        assert!(
            html.contains(r#"src="https://cdn.example/x.png""#),
            "{html}"
        );
    }
}
