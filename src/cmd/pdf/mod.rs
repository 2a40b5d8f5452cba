//! `opsite pdf monthly|weekly|quarterly|section`: a report period, or a section's pages, as an
//! A4 PDF written into `pdf/` (outside the published output). The report is the site's own
//! view of the period (or a customer edition's), computed here without a previous build; every
//! document of the run is printed before any is written.

mod section;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail};

use crate::cli::{PdfArgs, PdfKind};
use crate::cmd::documents::{no_report, period_of, report_source, stopped, Kind};
use crate::config::customers::CustomerConfig;
use crate::config::pdf::Placeholders;
use crate::config::SiteConfig;
use crate::content::front_matter::now;
use crate::kpi::period::PeriodKind;
use crate::pdf::report::Furniture;
use crate::pdf::{self, DocInfo, Document};
use crate::render::Templates;
use crate::reports::views::ReportPageView;
use crate::site::{self, sources, BuildOptions};

pub fn run(args: &PdfArgs) -> anyhow::Result<ExitCode> {
    let root = &crate::cmd::site_root(args.root.root.as_deref())?;
    if let (true, Some(given)) = (args.kind != PdfKind::Section, args.section.as_deref()) {
        let kind = kind_name(args.kind);
        // `pdf monthly 2026-10`: a period given without its flag.
        if crate::kpi::period::Period::parse(given, chrono_tz::UTC).is_ok() {
            bail!("`{kind}` takes the period as `--period {given}` (did you mean `opsite pdf {kind} --period {given}`?)");
        }
        bail!("`{kind}` takes no section path (did you mean `opsite pdf section {given}`?)");
    }
    // Before the site is read: without a browser nothing can be printed.
    pdf::chromium::find().map_err(|e| anyhow!(e))?;
    let sources = crate::cmd::load_for_a_report(root)?;
    let config = &sources.config;
    let templates = crate::cmd::report_templates(&sources).map_err(|e| anyhow!(e))?;
    let font = crate::fonts::Font::Bundled;
    let logo = read_logo(root, config)?;
    let furniture = Furniture::of(&sources.theme, &font, logo).map_err(|e| anyhow!(e))?;
    let clock = crate::cmd::clock(args.as_of.as_deref(), config)?.unwrap_or_else(now);
    let opts = BuildOptions::for_a_report(clock);
    let kind = match args.kind {
        PdfKind::Section => {
            return section::run(args, root, &sources, &opts, &templates, &furniture)
        }
        PdfKind::Monthly => Kind::of_period(PeriodKind::Month),
        PdfKind::Weekly => Kind::of_period(PeriodKind::Week),
        PdfKind::Quarterly => Kind::of_period(PeriodKind::Quarter),
    };
    if sources.data.is_none() {
        bail!(
            "the {} report needs data, and site.yaml has no `data:` section",
            kind.name
        );
    }
    // A misspelt placeholder would be printed on every cover or in every file name as written.
    config.pdf.check().map_err(|(_, e)| anyhow!(e))?;
    let (out_dir, out_file) = report_place(root, args, config)?;
    let tz = crate::timezone::parse(&config.kpi.timezone).map_err(|e| anyhow!(e))?;
    let period = period_of(args.period.as_deref(), &kind, clock, tz)?;
    crate::cmd::documents::warn_after_the_data(&sources, &period, (clock.timestamp(), tz), "PDF");
    let label = period.label;
    let words = crate::reports::labels::words(&config.language);
    let progress = site::progress::Progress::default();
    let run = site::Run {
        sources: &sources,
        opts: &opts,
        progress: &progress,
    };
    // The figures of every audience, once; no page is rendered.
    let targets = targets(args, config)?;
    let internal = targets.iter().any(|t| matches!(t, Target::Site));
    let slugs: Vec<&str> = (targets.iter())
        .filter_map(|t| match t {
            Target::Customer { slug, .. } => Some(slug.as_str()),
            Target::Site => None,
        })
        .collect();
    let reports = report_source(run, internal, &slugs, "PDF")?;
    let mut docs: Vec<(PathBuf, Document)> = Vec::new();
    let absolute = |p: &str| Some(config.absolute_url(p));
    let edition_absolute = |slug: &str| {
        let c = config.customers.iter().find(|c| c.slug == slug);
        portal_of(config, c.map(|c| c.name.as_str()))
    };
    // One document written to the file --output names, or each under the folder by its name.
    let place = |view: &ReportPageView, customer: Option<&CustomerConfig>| match &out_file {
        Some(file) => file.clone(),
        None => {
            let name = report_file_name(config, view, customer, args.issued);
            match customer {
                Some(c) => out_dir.join(&c.slug).join(name),
                None => out_dir.join(name),
            }
        }
    };
    let info = |report: &ReportPageView, customer| {
        let cover = CoverFor {
            customer,
            issued: args.issued,
            revision: args.revision,
        };
        doc_info(config, report, &cover, &words)
    };
    let warned = std::cell::Cell::new(false);
    for target in &targets {
        match target {
            Target::Site => {
                let view = reports
                    .internal(kind.period, &label)
                    .map_err(|d| stopped(&d, "the report", "PDF"))?;
                let view = no_report(view, &reports, &kind, &label, args.period.is_none())?;
                warn_incomplete(&view, args.period.is_some(), &warned);
                let doc = pdf::report::document(
                    &templates,
                    &furniture,
                    info(&view, None),
                    &view,
                    words,
                    &absolute,
                )
                .map_err(|e| anyhow!(e))?;
                docs.push((place(&view, None), doc));
            }
            Target::Customer { slug, name } => {
                let customer = (config.customers.iter())
                    .find(|c| &c.slug == slug)
                    .expect("a target is a customer of the list");
                let view = reports
                    .customer(customer, kind.period, &label)
                    .map_err(|d| stopped(&d, &format!("{name}'s report"), "PDF"))?;
                let Some(view) = view else {
                    if args.all_customers {
                        eprintln!(
                            "warning: {name}: no {} report for {label}; no PDF for this customer",
                            kind.name
                        );
                        continue;
                    }
                    bail!(
                        "{name}: no {} report for {label} in its edition ({}); no PDF written",
                        kind.name,
                        super::documents::reports_range(&reports, &kind, &label)
                    );
                };
                warn_incomplete(&view, args.period.is_some(), &warned);
                let doc = pdf::report::document(
                    &templates,
                    &furniture,
                    info(&view, Some(customer)),
                    &view,
                    words,
                    &edition_absolute(&slug),
                )
                .map_err(|e| anyhow!(e))?;
                let texts: Vec<&str> = std::iter::once(doc.html.as_str())
                    .chain(
                        doc.files
                            .iter()
                            .filter_map(|(_, b)| std::str::from_utf8(b).ok()),
                    )
                    .collect();
                crate::cmd::refuse_internal_address(config, &name, "the PDF", &texts)
                    .map_err(|e| anyhow!("{e}; no PDF written"))?;
                docs.push((place(&view, Some(customer)), doc));
            }
        }
    }
    for w in reports.take_warnings() {
        eprintln!("{w}");
    }
    // No customer has the report: a wrong --period, which a cron job must not take for success.
    if docs.is_empty() && args.all_customers {
        bail!(
            "no customer has a {} report for {label} ({}); no PDF written",
            kind.name,
            super::documents::reports_range(&reports, &kind, &label)
        );
    }
    print_and_write(root, out_file.as_deref().unwrap_or(&out_dir), &docs)?;
    Ok(ExitCode::SUCCESS)
}

/// A report's file name: `pdf.file_name`, else `{slug}-{kind}-{period}` for a customer's
/// (`aoba-monthly-2026-10.pdf`: the customer is in the name wherever the file goes) and
/// `{kind}-{period}` for the internal report.
pub(super) fn report_file_name(
    config: &SiteConfig,
    view: &ReportPageView,
    customer: Option<&CustomerConfig>,
    issued: Option<chrono::NaiveDate>,
) -> String {
    placeholders(view, customer, issued.unwrap_or(view.as_of_date))
        .file_name(config.pdf.file_name.as_deref(), "pdf")
}

/// A report's placeholders: the customer's slug and name (`internal` and none for the internal
/// report), the period's id, the kind and the issue date.
fn placeholders<'a>(
    view: &'a ReportPageView,
    customer: Option<&'a CustomerConfig>,
    issued: chrono::NaiveDate,
) -> Placeholders<'a> {
    Placeholders {
        slug: customer.map_or("internal", |c| c.slug.as_str()),
        customer: customer.map_or("", |c| c.name.as_str()),
        period: &view.period,
        kind: view.kind,
        issued: issued.to_string(),
    }
}

/// Where reports go: the folder (`--output`, or `<root>/pdf`), and the file `--output` names
/// when it ends in `.pdf` and the run writes one document. The site's report never goes into
/// a customer's folder (`pdf/<slug>/`), where it would be taken for the customer's own and
/// sent.
fn report_place(
    root: &Path,
    args: &PdfArgs,
    config: &SiteConfig,
) -> anyhow::Result<(PathBuf, Option<PathBuf>)> {
    if let Some(out) = &args.output {
        if out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            if args.all_customers {
                bail!(
                    "--output {}: --all-customers writes one PDF per customer; give a folder (each customer's goes under <folder>/<slug>/)",
                    out.display()
                );
            }
            let file = std::env::current_dir()?.join(out);
            pdf::may_write(&file).map_err(|e| anyhow!(e))?;
            crate::cmd::check_file_place(root, config, &file, &crate::cmd::PDF_FOLDER)?;
            let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
            refuse_customer_folders(root, args, config, &folder)?;
            return Ok((folder, Some(file)));
        }
    }
    let dir = crate::cmd::folder_for(
        root,
        config,
        args.output.as_deref(),
        &crate::cmd::PDF_FOLDER,
    )?;
    refuse_customer_folders(root, args, config, &dir)?;
    Ok((dir, None))
}

/// No document goes into another customer's `pdf/<slug>/` or `mail/<name>/` (the internal
/// report into none), where it would be taken for that customer's own and sent.
fn refuse_customer_folders(
    root: &Path,
    args: &PdfArgs,
    config: &SiteConfig,
    dir: &Path,
) -> anyhow::Result<()> {
    let own: Vec<&str> = match (&args.customer, args.all_customers) {
        (Some(wanted), false) => crate::config::customers::named(&config.customers, wanted)
            .map(|c| vec![c.name.as_str()])
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let what = match (&args.customer, args.all_customers) {
        (None, false) => {
            "the internal report (every customer's figures); for the customer's own, use --customer"
        }
        _ => "another customer's report",
    };
    crate::cmd::refuse_customer_folders(root, config, dir, &own, what)
}

fn kind_name(kind: PdfKind) -> &'static str {
    match kind {
        PdfKind::Monthly => "monthly",
        PdfKind::Weekly => "weekly",
        PdfKind::Quarterly => "quarterly",
        PdfKind::Section => "section",
    }
}

/// Whose report a run prints.
enum Target {
    Site,
    Customer { slug: String, name: String },
}

/// The site's report, the one `--customer` names, or every customer's with `--all-customers`.
fn targets(args: &PdfArgs, config: &SiteConfig) -> anyhow::Result<Vec<Target>> {
    let customer = |slug: &str| {
        let c =
            crate::config::customers::named(&config.customers, slug).expect("a slug of the list");
        Target::Customer {
            slug: c.slug.clone(),
            name: c.name.clone(),
        }
    };
    if args.all_customers {
        if config.customers.is_empty() {
            bail!("--all-customers: site.yaml has no `customers:` (each is listed as {{name, slug, base_url}})");
        }
        return Ok(config.customers.iter().map(|c| customer(&c.slug)).collect());
    }
    match &args.customer {
        Some(wanted) => {
            let slug = crate::cmd::targets::edition_named(&config.customers, wanted)?;
            Ok(vec![customer(&slug)])
        }
        None => Ok(vec![Target::Site]),
    }
}

/// Who a report is for, and what its cover says beyond its figures: the customer (none for
/// the internal report), the issue date and the revision.
pub(super) struct CoverFor<'a> {
    pub customer: Option<&'a crate::config::customers::CustomerConfig>,
    pub issued: Option<chrono::NaiveDate>,
    pub revision: u32,
}

/// What the cover, header and metadata say of a report.
pub(super) fn doc_info(
    config: &SiteConfig,
    report: &ReportPageView,
    cover: &CoverFor,
    t: &crate::reports::views::Words,
) -> DocInfo {
    let author = pdf::author(config);
    let header = report.document_title(t);
    let addressee = (cover.customer).map(|c| t.addressee.replace("{name}", &c.name));
    let title = match &addressee {
        Some(a) => format!("{header} — {a}"),
        None => format!("{header} — {}", config.title),
    };
    // The metadata's date is the cover's issue date (a finished month's report issued on 11-30
    // is created on 11-30, not at the month's end), at the as-of's time of day.
    let issued = cover.issued.unwrap_or(report.as_of_date);
    let at = report.as_of_local + (issued - report.as_of_local.date());
    let tz = crate::timezone::parse(&config.kpi.timezone).unwrap_or(chrono_tz::UTC);
    let dated = chrono::TimeZone::from_local_datetime(&tz, &at)
        .earliest()
        .map_or_else(
            || chrono::DateTime::UNIX_EPOCH.fixed_offset(),
            |t| t.fixed_offset(),
        );
    let mut info = DocInfo::new(
        title,
        &config.language,
        &author,
        header,
        report.as_of.clone(),
        dated,
    );
    info.addressee = addressee;
    info.facts = cover_facts(config, report, cover, t, &author);
    info.classification = (config.pdf.classification.clone()).filter(|c| !c.trim().is_empty());
    if let Some(mark) = &info.classification {
        info.header_left = format!("{mark}{}{}", t.header_separator, info.header_left);
    }
    info
}

/// The cover's facts in reading order; those the site does not set are left out.
fn cover_facts(
    config: &SiteConfig,
    report: &ReportPageView,
    cover: &CoverFor,
    t: &crate::reports::views::Words,
    author: &str,
) -> Vec<(String, String)> {
    use crate::i18n::periods;
    let lang = crate::i18n::Lang::of(&config.language);
    let issued = cover.issued.unwrap_or(report.as_of_date);
    // The cover's dates in the Japanese era when the site asks (`pdf.era: japanese`).
    let (period, as_of, issued_text) = match config.pdf.era {
        crate::config::pdf::Era::Western => (
            periods::day_range(report.days, lang),
            report.as_of.clone(),
            periods::day_long(issued, lang),
        ),
        crate::config::pdf::Era::Japanese => (
            periods::day_range_in_era(report.days, lang),
            periods::date_time_in_era(report.as_of_local, lang),
            periods::day_in_era(issued, lang),
        ),
    };
    let mut facts = vec![
        (t.period.to_string(), period),
        (t.as_of.to_string(), as_of),
        (t.issued.to_string(), issued_text),
    ];
    if let Some(pattern) = config
        .pdf
        .document_number
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        let values = placeholders(report, cover.customer, issued);
        let number = crate::config::pdf::document_number(pattern, &values.each());
        facts.push((t.document_number.to_string(), number));
    }
    let revision = crate::i18n::formats::fill(t.revision_n, &[("n", &cover.revision.to_string())]);
    facts.push((t.revision.to_string(), revision));
    if !report.contracts.is_empty() {
        facts.push((
            t.contract.to_string(),
            report.contracts.join(t.list_separator),
        ));
    }
    facts.push((t.prepared_by.to_string(), author.to_string()));
    let contact = (cover.customer.and_then(|c| c.contact.clone()))
        .or_else(|| config.pdf.contact.clone())
        .filter(|c| !c.trim().is_empty());
    if let Some(contact) = contact {
        facts.push((t.contact.to_string(), contact));
    }
    facts
}

/// `pdf.logo`, read: (the name the document refers to it by, its bytes).
fn read_logo(root: &Path, config: &SiteConfig) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let Some(logo) = &config.pdf.logo else {
        return Ok(None);
    };
    let ext = (logo.extension().and_then(|e| e.to_str()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !["png", "jpg", "jpeg", "svg"].contains(&ext.as_str()) {
        bail!(
            "pdf.logo: {} is not a PNG, JPEG or SVG image",
            logo.display()
        );
    }
    // A file of the site's own, read as the build reads site files: no link out of the
    // folder or into its private places (mail/, pdf/, documents written for people: another
    // customer's chart must not become this customer's cover), nothing but a plain file (a named
    // pipe would hang the run).
    let path = root.join(logo);
    let reader = crate::walk::SiteReader::new(root, config.limits.file_mb);
    let bytes = reader.read(&path).map_err(|e| {
        anyhow!(
            "pdf.logo: {}: {e} (give an image file of the site, relative to site.yaml, e.g. static/img/logo.png)",
            logo.display()
        )
    })?;
    Ok(Some((format!("logo.{ext}"), bytes)))
}

/// Prints reports for `opsite email --attach-pdf`: the mail's own view of the period, so the
/// PDF carries the same figures as the message.
pub(super) struct Attacher {
    printer: pdf::Printer,
    templates: Templates,
    furniture: Furniture,
    config: SiteConfig,
}

impl Attacher {
    pub fn start(root: &Path, sources: &sources::SiteSources) -> Result<Attacher, String> {
        let templates = crate::cmd::report_templates(sources)?;
        let logo = read_logo(root, &sources.config).map_err(|e| e.to_string())?;
        let furniture = Furniture::of(&sources.theme, &crate::fonts::Font::Bundled, logo)?;
        Ok(Attacher {
            printer: pdf::Printer::start()?,
            templates,
            furniture,
            config: sources.config.clone(),
        })
    }

    /// The PDF of `view`, addressed to `customer` when it is a customer's.
    pub fn print(
        &mut self,
        view: &ReportPageView,
        customer: Option<&str>,
    ) -> Result<Vec<u8>, String> {
        let words = crate::reports::labels::words(&self.config.language);
        let entry = customer
            .and_then(|name| crate::config::customers::by_name(&self.config.customers, name));
        let cover = CoverFor {
            customer: entry,
            issued: None,
            revision: 1,
        };
        let mut info = doc_info(&self.config, view, &cover, words);
        // A customer without an edition of its own is still the addressee.
        if entry.is_none() {
            info.addressee = customer.map(|name| words.addressee.replace("{name}", name));
        }
        let absolute = portal_of(&self.config, customer);
        let doc = pdf::report::document(
            &self.templates,
            &self.furniture,
            info,
            view,
            words,
            &absolute,
        )?;
        let printed = self.printer.print(&doc)?;
        let name = format!("{}-{}.pdf", view.kind, view.period);
        warn_refused(Path::new(&name), printed.refused);
        Ok(printed.pdf)
    }
}

/// Where a report's links to the site lead: the internal site's address for the site's report;
/// for a customer's, its edition's, or nowhere when it has none (a customer's document never
/// links into the internal site).
fn portal_of<'a>(
    config: &'a SiteConfig,
    customer: Option<&str>,
) -> impl Fn(&str) -> Option<String> + 'a {
    let base: Option<Option<String>> = customer.map(|name| {
        (config.customers.iter())
            .find(|c| c.name == name)
            .map(|c| c.base_url.trim_end_matches('/').to_string())
    });
    move |p: &str| match &base {
        None => Some(config.absolute_url(p)),
        Some(Some(edition)) => Some(format!("{edition}{p}")),
        Some(None) => None,
    }
}

/// What `opsite build` would refuse is not printed either: a document made from a site with
/// errors (an edition naming the internal site, a figure that names no KPI) would carry them.
pub(super) fn refuse_errors<'a>(
    diagnostics: impl Iterator<Item = &'a crate::error::Diagnostic>,
    whose: &str,
) -> anyhow::Result<()> {
    let errors: Vec<_> = diagnostics.filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Ok(());
    }
    for e in &errors {
        eprintln!("{e}");
    }
    bail!(
        "{whose} has {} error{} (above), which `opsite build` refuses too; no PDF written",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    )
}

/// A report of a period that is not over says so on its cover; the run says so too, before it
/// is filed or sent as the month's.
/// Once a run: every customer's report of the period says the same.
fn warn_incomplete(view: &ReportPageView, period_given: bool, warned: &std::cell::Cell<bool>) {
    if view.complete || warned.replace(true) {
        return;
    }
    let hint = if period_given {
        ""
    } else {
        "; give --period for a finished one"
    };
    eprintln!(
        "warning: {} is not over (as of {}): the PDF's figures are the period's so far, marked as such{hint}",
        view.period, view.as_of
    );
}

/// A warning for each file or address a document asked for outside its own files, which it
/// was printed without (an image on another server, a `file://` path).
pub(super) fn warn_refused(document: &Path, refused: Vec<String>) {
    for url in refused {
        eprintln!(
            "warning: {}: printed without {url}: a PDF shows only the site's own files",
            document.display()
        );
    }
}

/// Print every document, then write them all (each through a temporary file renamed into
/// place): a failure prints why and writes nothing.
pub(super) fn print_and_write(
    root: &Path,
    private: &Path,
    docs: &[(PathBuf, Document)],
) -> anyhow::Result<()> {
    for (path, _) in docs {
        pdf::may_write(path).map_err(|e| anyhow!(e))?;
    }
    // Marked before anything is printed into it: a link to it is refused from now on.
    crate::cmd::keep_private(root, private)?;
    let mut printer = pdf::Printer::start().map_err(|e| anyhow!(e))?;
    let all: Vec<&Document> = docs.iter().map(|(_, doc)| doc).collect();
    let mut printed = Vec::with_capacity(docs.len());
    for ((path, _), result) in docs.iter().zip(printer.print_all(&all)) {
        match result {
            Ok(doc) => {
                warn_refused(path, doc.refused);
                printed.push((path, doc.pdf))
            }
            Err(e) => {
                printer.finish();
                // All or nothing: a run of many says that none of them was written.
                let none = match docs.len() {
                    1 => "no PDF written".to_string(),
                    n => format!("none of the {n} PDFs of this run written"),
                };
                bail!("{}: {e}; {none}", path.display());
            }
        }
    }
    printer.finish();
    // Again now that printing is over (it took a while): a folder made a link meanwhile would
    // carry a customer's report somewhere else.
    for (path, _) in docs {
        pdf::may_write(path).map_err(|e| anyhow!("{e}; no PDF written"))?;
    }
    for (path, bytes) in &printed {
        pdf::write_atomically(path, bytes).map_err(|e| anyhow!(e))?;
        // A single file (`--output FILE.pdf`) can be marked once it exists.
        if path.as_path() == private {
            crate::cmd::keep_private(root, private)?;
        }
        let pages = pdf::page_count(bytes)
            .map(|n| format!("{n} pages, "))
            .unwrap_or_default();
        eprintln!(
            "wrote {} ({pages}{} KB)",
            path.display(),
            bytes.len().div_ceil(1024)
        );
    }
    Ok(())
}
