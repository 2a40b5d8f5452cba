//! A report period as a document: a cover (who it is from and for, the period, the as-of
//! instant), the contents with page numbers, then the report page's own body
//! (`partials/report_body.html`, the same view as the page) under numbered headings, laid out by
//! the theme's `pdf/report.html`.
//!
//! Sections run on without forced page breaks, so only printing tells where each starts: the
//! document is printed once, the page of each section read back (`destinations`), and printed
//! again with the numbers in its contents (the contents have a sheet of their own, so the
//! numbers cannot move what follows).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{DocInfo, Document};
use crate::render::Templates;
use crate::render::ThemeFiles;
use crate::reports::outline::{self, Headings};
use crate::reports::views::{ReportPageView, Words};

#[derive(Serialize)]
struct Context<'a> {
    doc: &'a DocInfo,
    report: &'a ReportPageView,
    t: &'a Words,
    /// Each section's numbered heading by id (empty when not shown).
    headings: BTreeMap<&'static str, String>,
    /// The contents.
    outline: Vec<ContentsLine>,
}

/// A line of the contents: a section and the sheet it starts on (0 while unknown).
#[derive(Serialize, Clone)]
struct ContentsLine {
    id: &'static str,
    text: String,
    page: usize,
}

const TEMPLATE: &str = "pdf/report.html";

/// The files every printed document refers to: the theme's stylesheet and the font.
pub struct Furniture {
    pub stylesheet: Cow<'static, [u8]>,
    pub font: (String, Cow<'static, [u8]>),
    pub logo: Option<(String, Vec<u8>)>,
}

impl Furniture {
    /// The theme's `css/opsite.css`, the font, and the logo file when there is one.
    pub fn of(
        theme: &ThemeFiles,
        font: &crate::fonts::Font,
        logo: Option<(String, Vec<u8>)>,
    ) -> Result<Furniture, String> {
        let css = theme
            .static_files
            .iter()
            .find(|(p, _)| p == "css/opsite.css")
            .map(|(_, s)| s);
        let stylesheet = match css {
            Some(source) => source.bytes()?,
            None => Cow::Borrowed(&b""[..]),
        };
        Ok(Furniture {
            stylesheet,
            font: (font.file_name(), font.bytes()?),
            logo,
        })
    }

    /// The files, under the names `DocInfo` gives them.
    pub fn files(&self) -> Vec<(String, Cow<'static, [u8]>)> {
        let mut files = vec![
            ("opsite.css".to_string(), self.stylesheet.clone()),
            (self.font.0.clone(), self.font.1.clone()),
        ];
        let (bold, bytes) = crate::fonts::BUNDLED_BOLD;
        files.push((bold.to_string(), Cow::Borrowed(bytes)));
        if let Some((name, bytes)) = &self.logo {
            files.push((name.clone(), Cow::Owned(bytes.clone())));
        }
        files
    }

    /// `info` with the names of these files, and its header as CSS, filled in.
    pub fn name_in(&self, info: &mut DocInfo) {
        info.stylesheet = "opsite.css".into();
        info.font_file = self.font.0.clone();
        info.bold_font_file = crate::fonts::BUNDLED_BOLD.0.into();
        info.css_header_left = super::css_string(&info.header_left);
        info.css_header_right = super::css_string(&info.header_right);
        info.font_family = crate::fonts::CSS_FAMILY;
        info.logo = self.logo.as_ref().map(|(n, _)| n.clone());
    }
}

/// The report `report` as a document.
pub fn document<'a>(
    templates: &'a Templates,
    furniture: &Furniture,
    mut info: DocInfo,
    report: &ReportPageView,
    t: &Words,
    absolute: &dyn Fn(&str) -> Option<String>,
) -> Result<Document<'a>, String> {
    furniture.name_in(&mut info);
    let ctx = Context {
        doc: &info,
        report,
        t,
        headings: outline::headings(report, t, Headings::Printed),
        outline: (outline::outline(report, t, Headings::Printed).into_iter())
            .map(|s| ContentsLine {
                id: s.id,
                text: s.text,
                page: 0,
            })
            .collect(),
    };
    let context = tera::Context::from_serialize(&ctx)
        .map_err(|e| crate::render::pages::template_error(TEMPLATE, &e).to_string())?;
    let render = move |context: &tera::Context| {
        templates
            .render(TEMPLATE, context)
            .map_err(|e| crate::render::pages::template_error(TEMPLATE, &e).to_string())
    };
    // The portal's address of each link, as the first rendering asked for it: the second one
    // has the same links.
    let portal = RefCell::new(HashMap::new());
    let recorded = |path: &str| {
        let url = absolute(path);
        portal.borrow_mut().insert(path.to_string(), url.clone());
        url
    };
    let pictures: Vec<String> = report.pictures.iter().map(|(p, _)| p.clone()).collect();
    let shown: Vec<&str> = pictures.iter().map(String::as_str).collect();
    let html = super::links_and_pictures(&render(&context)?, &report.url, &recorded, &shown)?;
    let portal = portal.into_inner();
    let page_url = report.url.clone();
    let lines = ctx.outline;
    let contents = lines.iter().map(|l| l.id.to_string()).collect();
    let with_pages = move |pages: &HashMap<String, usize>| {
        let numbered: Vec<ContentsLine> = (lines.iter())
            .map(|l| ContentsLine {
                page: pages.get(l.id).copied().unwrap_or(0),
                ..l.clone()
            })
            .collect();
        let mut context = context.clone();
        context.insert("outline", &numbered);
        let known = |path: &str| portal.get(path).cloned().flatten();
        let pictures: Vec<&str> = pictures.iter().map(|p| p.as_str()).collect();
        super::links_and_pictures(&render(&context)?, &page_url, &known, &pictures)
    };
    Ok(Document {
        html,
        files: with_pictures(furniture.files(), &report.pictures),
        dated: info.dated,
        with_pages: Some(Box::new(with_pages)),
        contents,
    })
}

/// The document's own files and the commentary's pictures beside them, which its relative
/// addresses find in the folder it is printed from; never one under the name of a file of the
/// document's own, nor a page.
fn with_pictures(
    mut files: Vec<(String, Cow<'static, [u8]>)>,
    pictures: &[(String, std::sync::Arc<Vec<u8>>)],
) -> Vec<(String, Cow<'static, [u8]>)> {
    for (name, bytes) in pictures {
        let page = name.ends_with(".html") || name.ends_with(".htm");
        if !page && !files.iter().any(|(n, _)| n == name) {
            files.push((name.clone(), Cow::Owned(bytes.to_vec())));
        }
    }
    files
}
