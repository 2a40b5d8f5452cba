//! Rendering the generated report pages and their indexes through the theme's templates
//! (`report.html`, or `report_weekly.html` etc. when a theme has one; `report_index.html`).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::i18n::UiStrings;
use super::nav::{Current, SectionNav};
use super::pages::{template_error, PageRenderer};
use super::views::SiteContext;
use crate::content::urls;
use crate::error::Diagnostic;
use crate::output_file::OutputFile;
use crate::reports::index::ReportIndexView;
use crate::reports::labels::words;
use crate::reports::views::{ReportPageView, Words};
use crate::reports::ReportPages;

#[derive(Serialize)]
struct ReportContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a UiStrings,
    /// The report's words in the site's language.
    t: &'a Words,
    report: &'a ReportPageView,
}

#[derive(Serialize)]
struct IndexContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a UiStrings,
    t: &'a Words,
    index: &'a ReportIndexView,
}

impl PageRenderer<'_> {
    pub fn report_pages(
        &self,
        reports: &ReportPages,
        home_nav: &SectionNav,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let t = words(&self.env.config.language);
        let origin = PathBuf::from(crate::config::CONFIG_FILE);
        let mut out: Vec<Result<OutputFile, Diagnostic>> = reports
            .pages
            .par_iter()
            .map(|r| {
                let specific = format!("report_{}.html", r.kind);
                let template = if self.templates.has(&specific) {
                    specific.as_str()
                } else {
                    "report.html"
                };
                let nav = self.nav_html(home_nav, Some(&Current::link(&r.url)))?;
                let ctx = ReportContext {
                    site: self.site_at(&urls::output_path(&r.url)),
                    nav: &nav,
                    ui: self.env.ui,
                    t: &t,
                    report: r,
                };
                let html = tera::Context::from_serialize(&ctx)
                    .and_then(|c| self.templates.render(template, &c))
                    .map_err(|e| template_error(template, &e))?;
                Ok(self.finish(urls::output_path(&r.url), html, origin.clone()))
            })
            .collect();
        for index in &reports.indexes {
            let nav = match self.nav_html(home_nav, Some(&Current::link(&index.url))) {
                Ok(nav) => nav,
                Err(e) => {
                    out.push(Err(e));
                    continue;
                }
            };
            let ctx = IndexContext {
                site: self.site_at(&urls::output_path(&index.url)),
                nav: &nav,
                ui: self.env.ui,
                t: &t,
                index,
            };
            out.push(
                tera::Context::from_serialize(&ctx)
                    .and_then(|c| self.templates.render("report_index.html", &c))
                    .map_err(|e| template_error("report_index.html", &e))
                    .map(|html| self.finish(urls::output_path(&index.url), html, origin.clone())),
            );
        }
        out
    }

    /// The body of each report page (`partials/report_body.html`, which `report.html`
    /// includes), in the order of `reports.pages`: what the search index reads of them.
    pub fn report_bodies(&self, reports: &ReportPages) -> Result<Vec<String>, Diagnostic> {
        let t = words(&self.env.config.language);
        let template = "partials/report_body.html";
        reports
            .pages
            .par_iter()
            .map(|r| {
                let ctx = ReportContext {
                    site: self.site_at(&urls::output_path(&r.url)),
                    nav: "",
                    ui: self.env.ui,
                    t,
                    report: r,
                };
                tera::Context::from_serialize(&ctx)
                    .and_then(|c| self.templates.render(template, &c))
                    .map_err(|e| template_error(template, &e))
            })
            .collect()
    }
}
