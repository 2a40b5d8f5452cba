//! Rendering the generated report pages and their indexes through the theme's templates
//! (`report.html`, or `report_weekly.html` etc. when a theme has one; `report_index.html`).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::nav::{Current, SectionNav};
use super::pages::{template_error, PageRenderer};
use super::views::SiteContext;
use crate::content::urls;
use crate::error::Diagnostic;
use crate::output_file::OutputFile;
use crate::reports::index::ReportIndexView;
use crate::reports::labels::words;
use crate::reports::outline::{self, Headings};
use crate::reports::status_view::StatusPageView;
use crate::reports::views::{ReportPageView, Words};
use crate::reports::ReportPages;

#[derive(Serialize)]
struct ReportContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    /// The report's words in the site's language.
    t: &'a Words,
    report: &'a ReportPageView,
    /// Each section's heading by id, empty for those the page does not show.
    headings: std::collections::BTreeMap<&'static str, String>,
    /// The page's body, rendered from `partials/report_body.html` (empty while that is
    /// rendered).
    body: &'a str,
}

/// The report pages and their indexes, and each report page's body (what the search index
/// reads of it), in the order of `ReportPages::pages`; no bodies when a page failed.
pub struct ReportFiles {
    pub files: Vec<Result<OutputFile, Diagnostic>>,
    pub bodies: Vec<String>,
}

const REPORT_BODY: &str = "partials/report_body.html";

#[derive(Serialize)]
struct IndexContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    t: &'a Words,
    index: &'a ReportIndexView,
}

impl PageRenderer<'_> {
    pub fn report_pages(&self, reports: &ReportPages, home_nav: &SectionNav) -> ReportFiles {
        let t = words(&self.env.config.language);
        let origin = PathBuf::from(crate::config::CONFIG_FILE);
        let pages: Vec<Result<(Vec<OutputFile>, String), Diagnostic>> = reports
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
                    ui: self.env.words,
                    t,
                    report: r,
                    headings: outline::headings(r, t, Headings::Page),
                    body: "",
                };
                // The report is made a template value once (an internal month's holds thousands
                // of tickets): the body is rendered from it, then the page with the body added.
                let mut context = tera::Context::from_serialize(&ctx)
                    .map_err(|e| template_error(REPORT_BODY, &e))?;
                let render = |name: &str, c: &tera::Context| {
                    (self.templates.render(name, c)).map_err(|e| template_error(name, &e))
                };
                let body = render(REPORT_BODY, &context)?;
                context.insert("body", &body);
                let html = render(template, &context)?;
                let path = urls::output_path(&r.url);
                let mark = self.env.config.pdf.classification.as_deref();
                let mut files = downloads(r, (&path, mark), t, &origin)?;
                files.insert(0, self.finish(path, html, origin.clone()));
                Ok((files, body))
            })
            .collect();
        let all_rendered = pages.iter().all(Result::is_ok);
        let mut bodies = Vec::new();
        let mut out = Vec::new();
        for page in pages {
            match page {
                Ok((files, body)) => {
                    if all_rendered {
                        bodies.push(body);
                    }
                    out.extend(files.into_iter().map(Ok));
                }
                Err(e) => out.push(Err(e)),
            }
        }
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
                ui: self.env.words,
                t,
                index,
            };
            out.push(
                tera::Context::from_serialize(&ctx)
                    .and_then(|c| self.templates.render("report_index.html", &c))
                    .map_err(|e| template_error("report_index.html", &e))
                    .map(|html| self.finish(urls::output_path(&index.url), html, origin.clone())),
            );
        }
        if let Some((status, _)) = &reports.status {
            out.push(self.status_page(status, home_nav));
        }
        ReportFiles { files: out, bodies }
    }

    /// The status page through the theme's `status.html`.
    fn status_page(
        &self,
        status: &StatusPageView,
        home_nav: &SectionNav,
    ) -> Result<OutputFile, Diagnostic> {
        let path = urls::output_path(&status.url);
        let nav = self.nav_html(home_nav, Some(&Current::link(&status.url)))?;
        let ctx = StatusContext {
            site: self.site_at(&path),
            nav: &nav,
            ui: self.env.words,
            t: status.t,
            status,
        };
        tera::Context::from_serialize(&ctx)
            .and_then(|c| self.templates.render("status.html", &c))
            .map_err(|e| template_error("status.html", &e))
            .map(|html| self.finish(path, html, PathBuf::from(crate::config::CONFIG_FILE)))
    }
}

#[derive(Serialize)]
struct StatusContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    t: &'a Words,
    status: &'a StatusPageView,
}

/// The page's tables as a workbook and one CSV each, in the page's folder (`page` is the page's
/// own output path), under the names its links use.
fn downloads(
    r: &ReportPageView,
    (page, mark): (&str, Option<&str>),
    t: &Words,
    origin: &std::path::Path,
) -> Result<Vec<OutputFile>, Diagnostic> {
    if r.tables.is_empty() {
        return Ok(Vec::new());
    }
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let at = |name: &str| {
        if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    };
    // Whose report, which period, as of when: a sheet read or printed on its own says so.
    let whose = (r.customer.as_deref()).map(|c| format!("{} ", t.addressee.replace("{name}", c)));
    // The confidentiality mark the PDFs carry (`pdf.classification`) leads the line.
    let mark = mark.map(str::trim).filter(|m| !m.is_empty());
    let title = format!(
        "{}{}{} — {} {}{}{} {}",
        mark.map(|m| t.classification_mark.replace("{mark}", m))
            .unwrap_or_default(),
        whose.unwrap_or_default(),
        r.document_title(t),
        t.period,
        r.range,
        t.header_separator,
        t.as_of,
        r.as_of
    );
    let style = crate::sheets::NumberStyle {
        minutes: t.minutes_unit,
        unit_heading: t.unit,
        title: Some(title),
        date_time: t.excel_date_time,
    };
    let book = crate::sheets::workbook(&r.tables, r.downloads.created, &style).map_err(|e| {
        Diagnostic::error(
            crate::error::Code::Build,
            crate::error::Location::file(origin),
            format!("{}: {e}", r.downloads.xlsx),
        )
    })?;
    let mut files = vec![OutputFile::bytes(
        at(&r.downloads.xlsx),
        book,
        origin.to_path_buf(),
    )];
    for table in &r.tables {
        let name = &r.downloads.csv[table.key];
        let bytes = crate::sheets::csv(table, &style);
        files.push(OutputFile::bytes(at(name), bytes, origin.to_path_buf()));
    }
    Ok(files)
}
