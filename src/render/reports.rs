//! Rendering the generated report pages and their indexes through the theme's templates
//! (`report.html`, or `report_weekly.html` etc. when a theme has one; `report_index.html`).

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::nav::{Current, SectionNav};
use super::pages::{template_error, PageRenderer, Reuse};
use super::views::SiteContext;
use crate::content::urls;
use crate::error::Diagnostic;
use crate::kpi::period::PeriodKind;
use crate::output_file::{OutputContent, OutputFile, RenderKey};
use crate::reports::index::ReportIndexView;
use crate::reports::labels::words;
use crate::reports::outline::{self, Headings};
use crate::reports::report_page::ReportPage;
use crate::reports::status_view::StatusPageView;
use crate::reports::views::{ReportPageView, Words};
use crate::reports::{ReportBody, ReportPages};

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
    pub bodies: Vec<ReportBody>,
    /// Each file of a keyed report page (the page and its downloads) with the page's key.
    pub keys: Vec<(String, RenderKey)>,
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
    /// The report pages with their downloads, the reports' indexes and the status page. With
    /// `reuse`, a report page is keyed, and kept with its downloads when the last build made
    /// them from the same key.
    pub fn report_pages(
        &self,
        reports: &ReportPages,
        home_nav: &SectionNav,
        reuse: Option<&Reuse>,
    ) -> ReportFiles {
        type Page = (Vec<(OutputFile, Option<RenderKey>)>, ReportBody);
        let pages: Vec<Result<Page, Diagnostic>> = (reports.pages)
            .par_iter()
            .map(|r| self.report_page(r, home_nav, reuse))
            .collect();
        let all_rendered = pages.iter().all(Result::is_ok);
        let mut bodies = Vec::new();
        let mut keys = Vec::new();
        let mut out = Vec::new();
        for page in pages {
            match page {
                Ok((files, body)) => {
                    for (file, key) in files {
                        if let Some(key) = key {
                            keys.push((file.path.clone(), key));
                        }
                        out.push(Ok(file));
                    }
                    if all_rendered {
                        bodies.push(body);
                    }
                }
                Err(e) => out.push(Err(e)),
            }
        }
        // The indexes and the status page change when a period, a title or a figure they show
        // does: each is keyed on its view, and kept when the last build rendered the same one.
        let listed: Vec<Result<KeyedFile, Diagnostic>> = (reports.indexes.par_iter())
            .map(|index| self.index_page(index, home_nav, reuse))
            .collect();
        let status =
            (reports.status.as_ref()).map(|(status, _)| self.status_page(status, home_nav, reuse));
        for page in listed.into_iter().chain(status) {
            out.push(page.map(|(file, key)| {
                if let Some(key) = key {
                    keys.push((file.path.clone(), key));
                }
                file
            }));
        }
        ReportFiles {
            files: out,
            bodies,
            keys,
        }
    }

    /// One report page with its downloads (each with the key it was made from), and its body;
    /// with `reuse`, a file the last build made from the same key is kept. A page that says what
    /// its view is made from (`ReportPage::inputs`) is keyed on that, page and downloads as one,
    /// and kept without its view. The internal site's pages are keyed on their views, the page
    /// apart from its downloads: one ticket edited changes the export's hash every page names,
    /// and the workbooks of the periods without that ticket are kept.
    fn report_page(
        &self,
        p: &ReportPage,
        home_nav: &SectionNav,
        reuse: Option<&Reuse>,
    ) -> Result<(Vec<(OutputFile, Option<RenderKey>)>, ReportBody), Diagnostic> {
        let template = self.report_template(p.kind);
        let nav = self.nav_html(home_nav, Some(&Current::link(&p.url)))?;
        let path = urls::output_path(&p.url);
        let Some(reuse) = reuse else {
            let (files, body) =
                self.render_report(p.view(), (path, &template, &nav), Kept::default())?;
            return Ok((files.into_iter().map(|f| (f, None)).collect(), body));
        };
        if let Some(inputs) = p.inputs {
            let site = self.site_at(&path);
            let own = (&site.versions, &site.languages, &nav, inputs);
            let key = reuse.key_for(&path, &template, &own);
            if let Some((page, body, downloads)) =
                (reuse.kept_all(&key)).and_then(|kept| kept_report(&path, kept))
            {
                let files = std::iter::once(page).chain(downloads);
                return Ok((files.map(|f| (f, Some(key))).collect(), body));
            }
            let (files, body) =
                self.render_report(p.view(), (path, &template, &nav), Kept::default())?;
            return Ok((files.into_iter().map(|f| (f, Some(key))).collect(), body));
        }
        let r = p.view();
        let page_key = self.key_of_view(reuse, r, &path, &template, &nav);
        let downloads_key = downloads_key(reuse, r, &path);
        let kept = Kept {
            page: (reuse.kept_all(&page_key))
                .and_then(|kept| kept_report(&path, kept))
                .map(|(page, body, _)| (page, body)),
            downloads: reuse.kept_all(&downloads_key).map(kept_files),
        };
        let (files, body) = self.render_report(r, (path.clone(), &template, &nav), kept)?;
        let keyed = (files.into_iter())
            .map(|f| {
                let key = if f.path == path {
                    page_key
                } else {
                    downloads_key
                };
                (f, Some(key))
            })
            .collect();
        Ok((keyed, body))
    }

    /// The key of report page `r`'s HTML from its view, which holds what the page shows.
    fn key_of_view(
        &self,
        reuse: &Reuse,
        r: &ReportPageView,
        path: &str,
        template: &str,
        nav: &str,
    ) -> RenderKey {
        let site = self.site_at(path);
        let own = (&site.versions, &site.languages, nav, r);
        reuse.key_for(path, template, &own)
    }

    /// Report page `r` rendered, with its downloads and body; the page, or its downloads, as the
    /// last build wrote them when `kept` holds them.
    fn render_report(
        &self,
        r: &ReportPageView,
        (path, template, nav): (String, &str, &str),
        kept: Kept,
    ) -> Result<(Vec<OutputFile>, ReportBody), Diagnostic> {
        let t = words(&self.env.config.language);
        let origin = PathBuf::from(crate::config::CONFIG_FILE);
        let downloads = match kept.downloads {
            Some(files) => files,
            None => {
                let mark = self.env.config.pdf.classification.as_deref();
                downloads(r, (&path, mark), t, &origin)?
            }
        };
        let (page, body) = match kept.page {
            Some(page) => page,
            None => self.render_page_html(r, (path, template, nav))?,
        };
        let mut files = vec![page];
        files.extend(downloads);
        Ok((files, body))
    }

    /// Report page `r`'s HTML and its body.
    fn render_page_html(
        &self,
        r: &ReportPageView,
        (path, template, nav): (String, &str, &str),
    ) -> Result<(OutputFile, ReportBody), Diagnostic> {
        let origin = PathBuf::from(crate::config::CONFIG_FILE);
        let ctx = self.report_context(r, nav);
        // The report is made a template value once (an internal month's holds thousands of
        // tickets): the body is rendered from it, then the page with the body added.
        let mut context =
            tera::Context::from_serialize(&ctx).map_err(|e| template_error(REPORT_BODY, &e))?;
        let render = |name: &str, c: &tera::Context| {
            (self.templates.render(name, c)).map_err(|e| template_error(name, &e))
        };
        let body = render(REPORT_BODY, &context)?;
        context.insert("body", &body);
        let html = render(template, &context)?;
        let html = self.finished(&path, html);
        let body = ReportBody {
            html: Some(body),
            indexed: None,
        };
        Ok((OutputFile::bytes(path, html.into_bytes(), origin), body))
    }

    /// The body of report page `r` as `report_pages` renders it: what the search index reads of
    /// a page kept from the last build, when its shard is made again.
    pub fn report_body(
        &self,
        r: &ReportPageView,
        home_nav: &SectionNav,
    ) -> Result<String, Diagnostic> {
        let nav = self.nav_html(home_nav, Some(&Current::link(&r.url)))?;
        let ctx = self.report_context(r, &nav);
        tera::Context::from_serialize(&ctx)
            .and_then(|c| self.templates.render(REPORT_BODY, &c))
            .map_err(|e| template_error(REPORT_BODY, &e))
    }

    /// `report_<kind>.html` when the theme has one, else `report.html`.
    fn report_template(&self, kind: PeriodKind) -> String {
        let specific = format!("report_{}.html", crate::reports::views::kind_name(kind));
        match self.templates.has(&specific) {
            true => specific,
            false => "report.html".to_string(),
        }
    }

    /// The context a report page and its body are rendered with (the body empty).
    fn report_context<'a>(&'a self, r: &'a ReportPageView, nav: &'a str) -> ReportContext<'a> {
        let t = words(&self.env.config.language);
        ReportContext {
            site: self.site_at(&urls::output_path(&r.url)),
            nav,
            ui: self.env.words,
            t,
            report: r,
            headings: outline::headings(r, t, Headings::Page),
            body: "",
        }
    }

    /// The status page through the theme's `status.html`.
    fn status_page(
        &self,
        status: &StatusPageView,
        home_nav: &SectionNav,
        reuse: Option<&Reuse>,
    ) -> Result<KeyedFile, Diagnostic> {
        let path = urls::output_path(&status.url);
        let nav = self.nav_html(home_nav, Some(&Current::link(&status.url)))?;
        let ctx = StatusContext {
            site: self.site_at(&path),
            nav: &nav,
            ui: self.env.words,
            t: status.t,
            status,
        };
        let own = (
            &ctx.site.versions,
            &ctx.site.languages,
            &nav,
            status.t,
            status,
        );
        self.keyed(reuse, (&path, "status.html"), &own, &ctx)
    }

    /// A report index page (`report_index.html`), kept as `keyed` says.
    fn index_page(
        &self,
        index: &ReportIndexView,
        home_nav: &SectionNav,
        reuse: Option<&Reuse>,
    ) -> Result<KeyedFile, Diagnostic> {
        let path = urls::output_path(&index.url);
        let nav = self.nav_html(home_nav, Some(&Current::link(&index.url)))?;
        let t = words(&self.env.config.language);
        let ctx = IndexContext {
            site: self.site_at(&path),
            nav: &nav,
            ui: self.env.words,
            t,
            index,
        };
        let own = (&ctx.site.versions, &ctx.site.languages, &nav, t, index);
        self.keyed(reuse, (&path, "report_index.html"), &own, &ctx)
    }

    /// The page at `path` rendered through `template` from `ctx`, with its key: `own` (what
    /// `ctx` holds besides the site's view) and the inputs every page shares. With `reuse`, the
    /// file the last build rendered from the same key is kept instead.
    fn keyed(
        &self,
        reuse: Option<&Reuse>,
        (path, template): (&str, &str),
        own: &impl Serialize,
        ctx: &impl Serialize,
    ) -> Result<KeyedFile, Diagnostic> {
        let key = reuse.map(|r| r.key_for(path, template, own));
        let kept = (reuse.zip(key).and_then(|(r, k)| r.kept_all(&k)))
            .and_then(|files| kept_files(files).into_iter().find(|f| f.path == path));
        if let Some(file) = kept {
            return Ok((file, key));
        }
        let origin = PathBuf::from(crate::config::CONFIG_FILE);
        tera::Context::from_serialize(ctx)
            .and_then(|c| self.templates.render(template, &c))
            .map_err(|e| template_error(template, &e))
            .map(|html| (self.finish(path.to_string(), html, origin), key))
    }
}

/// A page with the key it was rendered from (none when the build keeps nothing).
type KeyedFile = (OutputFile, Option<RenderKey>);

#[derive(Serialize)]
struct StatusContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    t: &'a Words,
    status: &'a StatusPageView,
}

/// A report page's files as the last build wrote them from the same keys, to be kept: the page
/// with its entry for the search index, and its downloads (all of them, or none).
#[derive(Default)]
struct Kept {
    page: Option<(OutputFile, ReportBody)>,
    downloads: Option<Vec<OutputFile>>,
}

/// The key of report page `r`'s downloads: its typed rows (whose figures the page shows only as
/// text: a value that changes under its rounding changes the workbook, not the page) and what
/// the downloads' titles and names say.
fn downloads_key(reuse: &Reuse, r: &ReportPageView, path: &str) -> RenderKey {
    let mut rows = blake3::Hasher::new();
    for table in &r.tables {
        table.hash_into(&mut rows);
    }
    crate::digest::hash_part(&mut rows, &r.downloads.created.to_le_bytes());
    let rows = *rows.finalize().as_bytes();
    // What `downloads` reads of the view besides the rows (`document_title` is the kind and
    // the period's name).
    let own = (
        &r.customer,
        r.kind,
        &r.period_label,
        &r.range,
        &r.as_of,
        &r.downloads,
        rows,
    );
    reuse.key_for(path, "report downloads", &own)
}

/// Files as the last build wrote them.
fn kept_files(kept: Vec<(String, crate::output_file::KeptFile)>) -> Vec<OutputFile> {
    let origin = PathBuf::from(crate::config::CONFIG_FILE);
    (kept.into_iter())
        .map(|(path, kept)| OutputFile {
            path,
            content: OutputContent::Kept(kept),
            origin: origin.clone(),
        })
        .collect()
}

/// Report page `page` among files the last build wrote from one key (`kept`, sorted by path):
/// the page, its entry for the search index, and the files beside it (its downloads); none when
/// the page is not among them.
fn kept_report(
    page: &str,
    kept: Vec<(String, crate::output_file::KeptFile)>,
) -> Option<(OutputFile, ReportBody, Vec<OutputFile>)> {
    let (own, beside): (Vec<_>, Vec<_>) = kept.into_iter().partition(|(path, _)| path == page);
    let body = ReportBody {
        html: None,
        indexed: own.first()?.1.indexed,
    };
    let file = kept_files(own).pop()?;
    Some((file, body, kept_files(beside)))
}

/// The paths `downloads` writes for report page `r` at output path `page`.
fn download_paths(r: &ReportPageView, page: &str) -> Vec<String> {
    if r.tables.is_empty() {
        return Vec::new();
    }
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let names = std::iter::once(&r.downloads.xlsx)
        .chain(r.tables.iter().map(|table| &r.downloads.csv[table.key]));
    names
        .map(|name| match folder {
            "" => name.to_string(),
            _ => format!("{folder}/{name}"),
        })
        .collect()
}

/// The page's tables as a workbook and one CSV each, in the page's folder (`page` is the page's
/// own output path), under the names its links use.
fn downloads(
    r: &ReportPageView,
    (page, mark): (&str, Option<&str>),
    t: &Words,
    origin: &std::path::Path,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let paths = download_paths(r, page);
    let Some((xlsx, csvs)) = paths.split_first() else {
        return Ok(Vec::new());
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
    let mut files = vec![OutputFile::bytes(xlsx.clone(), book, origin.to_path_buf())];
    for (table, path) in r.tables.iter().zip(csvs) {
        let bytes = crate::sheets::csv(table, &style);
        files.push(OutputFile::bytes(path.clone(), bytes, origin.to_path_buf()));
    }
    Ok(files)
}
