//! A report period as a document: a cover (who it is from and for, the period, the as-of
//! instant), then the report page's own body (`partials/report_body.html`, the same view as the
//! page), laid out by the theme's `pdf/report.html`.

use std::borrow::Cow;

use serde::Serialize;

use super::{DocInfo, Document};
use crate::render::Templates;
use crate::render::ThemeFiles;
use crate::reports::views::{ReportPageView, Words};

#[derive(Serialize)]
struct Context<'a> {
    doc: &'a DocInfo,
    report: &'a ReportPageView,
    t: &'a Words,
}

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
pub fn document(
    templates: &Templates,
    furniture: &Furniture,
    mut info: DocInfo,
    report: &ReportPageView,
    t: &Words,
    absolute: &dyn Fn(&str) -> Option<String>,
) -> Result<Document, String> {
    furniture.name_in(&mut info);
    let ctx = Context {
        doc: &info,
        report,
        t,
    };
    let render = |name: &str| {
        tera::Context::from_serialize(&ctx)
            .and_then(|c| templates.render(name, &c))
            .map_err(|e| crate::render::pages::template_error(name, &e).to_string())
    };
    Ok(Document {
        html: super::links_to_portal(&render("pdf/report.html")?, &report.url, absolute)?,
        files: furniture.files(),
        dated: info.dated,
    })
}
