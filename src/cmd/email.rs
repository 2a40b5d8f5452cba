//! `opsite email weekly|monthly`: the report of one ISO week (or month) as a ready-to-send message
//! (`mail/2026-W47.eml`), its HTML and text parts for preview, and the chart images. Built from
//! the same report views as the site (one computation); written outside the published output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;

use super::documents::{no_report, period_of, report_source, stopped, Kind};
use super::email_send;
use super::email_who::{customers_to_mail, require_email_settings};
use crate::cli::EmailArgs;
use crate::content::front_matter::now;
use crate::email::{self, Envelope};
use crate::kpi::period::PeriodKind;
use crate::render::Templates;
use crate::site::one_report::ReportSource;
use crate::site::{self, BuildOptions};

pub fn run(args: &EmailArgs) -> anyhow::Result<ExitCode> {
    let kind = Kind::of(args.kind);
    let root = &super::site_root(args.root.root.as_deref())?;
    let sources = super::load_for_a_report(root)?;
    let config = &sources.config;
    require_email_settings(config)?;
    let customers = customers_to_mail(args, config)?;
    // Before anything is written or sent: two customers must not share a mail folder, this
    // run's or any site.yaml names (`--customer A/B` today and `--customer A-B` tomorrow would
    // write one folder).
    let mut mailed: Vec<String> = (super::mail_customer_names(config).into_iter())
        .map(str::to_string)
        .chain(customers.iter().cloned())
        .collect();
    mailed.sort();
    mailed.dedup();
    email::folders::check(&mailed).map_err(|e| anyhow::anyhow!(e))?;
    if sources.data.is_none() {
        bail!(
            "the email shows the {} report, and site.yaml has no `data:` section",
            kind.name
        );
    }
    // Exports that did not load are said below, before any customer is looked for in them.
    if let (Some(name), Some(Ok(loaded))) = (customers.first(), &sources.data) {
        if !args.all_customers {
            super::email_who::refuse_unknown(config, name, &loaded.data.tickets)?;
        }
    }
    let out_dir = super::folder_for(root, config, args.output.as_deref(), &super::MAIL_FOLDER)?;
    // No mail goes into another customer's mail/<name>/ or pdf/<slug>/ (the team's into none).
    let what = match customers.is_empty() {
        true => "the team's mail (every customer's figures)",
        false => "another customer's mail",
    };
    let own: Vec<&str> = customers.iter().map(String::as_str).collect();
    super::refuse_customer_folders(root, config, &out_dir, &own, what)?;
    let clock = super::clock(args.as_of.as_deref(), config)?.unwrap_or_else(now);
    let tz = crate::timezone::parse(&config.kpi.timezone).map_err(|e| anyhow::anyhow!(e))?;
    let period = period_of(args.period.as_deref(), &kind, clock, tz)?;
    // A month named by --period that is not over: the month so far, marked as such.
    let unfinished = clock.timestamp() < period.end;
    if kind.period == PeriodKind::Month && unfinished {
        eprintln!(
            "warning: {} is not over: the mail's figures are the month's so far, marked as such",
            period.label
        );
    }
    let unnamed = args.all_customers && args.period.is_none();
    let now = (clock.timestamp(), tz);
    super::documents::refuse_unnamed_after_the_data(&sources, &period, now, unnamed)?;
    super::documents::warn_after_the_data(&sources, &period, now, "mail");
    let outside = super::documents::outside_the_data(&sources, &period, tz);
    let label = period.label;
    let opts = BuildOptions::for_a_report(clock);
    let progress = site::progress::Progress::default();
    let run = site::Run {
        sources: &sources,
        opts: &opts,
        progress: &progress,
    };
    // The internal mail's report as the internal site's page shows it; customers' mails are
    // each computed from one engine over the data (below). No page is rendered.
    let internal = match customers.is_empty() {
        true => {
            let reports = report_source(run, true, &[], "mail")?;
            let view = (reports.internal(kind.period, &label))
                .map_err(|d| stopped(&d, "the report", "mail"))?;
            // What reading the exports warned of (an empty file skipped, a customer's name
            // spelt two ways), as a customer's mail, the PDF and the build say it.
            for w in reports.take_warnings() {
                eprintln!("{w}");
            }
            Some(no_report(
                view,
                &reports,
                &kind,
                &label,
                args.period.is_none(),
            )?)
        }
        false => None,
    };
    let font = crate::fonts::Font::chosen(config.email.font.as_deref(), root, "email.font")
        .map_err(|e| anyhow::anyhow!(e))?;
    email::images::load_font(&font).map_err(|e| anyhow::anyhow!(e))?;
    let templates = super::report_templates(&sources).map_err(|e| anyhow::anyhow!(e))?;
    if args.send {
        email::send::check(config.email.smtp.as_ref())
            .map_err(|e| anyhow::anyhow!("--send: {e}; nothing written"))?;
    }
    // Every mail of the run is composed and checked before any is written or sent.
    let words = crate::reports::labels::words(&config.language);
    let as_of_text = clock.with_timezone(&tz).to_rfc3339();
    let attacher = match args.attach_pdf {
        true => Some(std::sync::Mutex::new(
            super::pdf::Attacher::start(root, &sources)
                .map_err(|e| anyhow::anyhow!("--attach-pdf: {e}"))?,
        )),
        false => None,
    };
    let mail = Mail {
        root,
        config,
        templates: &templates,
        words: &words,
        as_of: clock.timestamp(),
        as_of_text: &as_of_text,
        label: &label,
        pdf: attacher.as_ref(),
        site_terms: std::sync::OnceLock::new(),
    };
    let mut batch = Vec::new();
    let mut mistakes = Vec::new();
    // One customer's report to another's address: a slip to stop before anything goes.
    mistakes.extend((config.email.shared_between_customers().into_iter()).map(|(key, addr, other)| {
        format!("{key}: `{addr}` is also a recipient under {other}; each customer's mail holds its own figures, so a recipient belongs to one customer")
    }));
    if let Some(view) = &internal {
        // The internal mail holds every customer's figures: never to a customer's address.
        mistakes.extend(config.email.internal_also_customer().into_iter().map(|(key, addr, owner)| {
            format!("{key}: `{addr}` is also a recipient under {owner}; email.to, cc and bcc are the internal team's (this mail holds every customer's figures), a customer's recipients go under email.customers")
        }));
        let report_url = config.absolute_url(&view.url);
        let e = &config.email;
        let files = (closing_file(root, None, "email", "greeting"))
            .and_then(|g| Ok((g, closing_file(root, None, "email", "signature")?)));
        let composed = files
            .map_err(|e| vec![e])
            .and_then(|(greeting, signature)| {
                let rcpt = Rcpt {
                    key: "email",
                    to: &e.to,
                    cc: &e.cc,
                    bcc: &e.bcc,
                    greeting,
                    signature,
                };
                let composed = mail.compose(view, &rcpt, &report_url, None, "")?;
                Ok(rcpt.outgoing(None, out_dir.clone(), composed))
            });
        match composed {
            Ok(o) => batch.push(o),
            Err(es) => mistakes.extend(es),
        }
    }
    let loaded = match (sources.data.as_ref(), customers.is_empty()) {
        (_, true) => None,
        (Some(Ok(l)), false) => Some(std::sync::Arc::clone(l)),
        (_, false) => {
            let mut problems = crate::error::Diagnostics::default();
            if let Some(Err(errors)) = sources.data.as_ref() {
                problems.extend(errors.iter().cloned());
            }
            return Err(stopped(&problems, "the data", "mail"));
        }
    };
    let engine = match &loaded {
        Some(l) => Some(crate::kpi::Engine::new(&config.kpi, &l.data).map_err(|e| {
            let mut problems = crate::error::Diagnostics::default();
            problems.extend(e.iter().map(|e| {
                crate::error::Diagnostic::error(
                    crate::error::Code::Config,
                    crate::config::keys::config_location(&sources.config_text, &e.keys),
                    e.to_string(),
                )
            }));
            stopped(&problems, "site.yaml", "mail")
        })?),
        None => None,
    };
    // Each customer's mail is composed on its own (figures, charts as PNG): in parallel, then
    // taken in the customers' order.
    // Customers with an edition read its report: computed for them alone, once.
    let slugs: Vec<&str> = (customers.iter())
        .filter_map(|n| config.customers.iter().find(|c| c.name == n.trim()))
        .map(|c| c.slug.as_str())
        .collect();
    let reports = match slugs.is_empty() {
        true => None,
        false => Some(report_source(run, false, &slugs, "mail")?),
    };
    let composed: Vec<_> = match (&engine, &loaded) {
        (Some(engine), Some(loaded)) => {
            use rayon::prelude::*;
            customers
                .par_iter()
                .map(|name| {
                    let at = clock.timestamp();
                    let r = reports.as_ref();
                    mail_customer(&mail, r, (engine, loaded), at, kind.period, name, &out_dir)
                })
                .collect()
        }
        _ => Vec::new(),
    };
    for w in reports.iter().flat_map(|r| r.take_warnings()) {
        eprintln!("{w}");
    }
    for (name, result) in customers.iter().zip(composed) {
        match result {
            Ok(Some(o)) => batch.push(o),
            // No report of this period for the customer (one without an edition and without
            // tickets in it): a warning with --all-customers (an error below with --customer).
            Ok(None) if args.all_customers => eprintln!(
                "warning: {}: no tickets in {label}; no mail for this customer",
                name.trim()
            ),
            Ok(None) => {}
            Err(es) => mistakes.extend(es),
        }
    }
    // Every customer without a mail because the period is outside the data: a wrong
    // --period, not a quiet one (a cron job must not look as if it had sent the mails).
    if let (true, true, Some((first, last))) = (args.all_customers, batch.is_empty(), &outside) {
        if mistakes.is_empty() {
            bail!("no data for {label}: the exports' tickets were opened from {first} to {last}; no mail written");
        }
    }
    if customers.len() == 1 && batch.is_empty() && mistakes.is_empty() {
        bail!(
            "{}: no tickets in {label}; no email written for this customer",
            customers[0].trim()
        );
    }
    mistakes.extend((batch.iter()).filter_map(|o| {
        email_send::blocked(&o.dir, &label, &o.composed).map(|b| format!("{b}; nothing written"))
    }));
    if !mistakes.is_empty() {
        for m in &mistakes {
            eprintln!("{}", located(m, &sources.config_text, &customers));
        }
        bail!(
            "{} mistake(s) in the mail of {label}; no mail written, none sent",
            mistakes.len()
        );
    }
    let log = email_send::Batch {
        root,
        kind: kind.name,
        period: &label,
    };
    if args.dry_run {
        log.print_plan(&batch, &out_dir);
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out_dir.display()))?;
    super::keep_private(root, &out_dir)?;
    let mut written = 0;
    for o in &batch {
        if log.keeps(o, args.send, args.resend) {
            continue;
        }
        mail.write(o)?;
        written += 1;
    }
    let sending = match args.send {
        true => "; sending",
        false => "; none sent (--send sends them)",
    };
    println!(
        "wrote {written} mail(s) of {label} under {}{sending}",
        out_dir.display()
    );
    if args.send {
        let smtp = config.email.smtp.as_ref().expect("checked above");
        let from = config.email.from.as_deref().unwrap_or_default();
        log.send(&batch, smtp, from, args.resend)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One customer's message: the customer's own figures, to the customer's recipients; none
/// when the customer has no tickets in the period. Errors name the customer.
fn mail_customer(
    mail: &Mail,
    reports: Option<&ReportSource>,
    (engine, loaded): (&crate::kpi::Engine, &std::sync::Arc<crate::data::Loaded>),
    as_of: i64,
    kind: PeriodKind,
    name: &str,
    out_dir: &Path,
) -> Result<Option<email_send::Outgoing>, Vec<String>> {
    let config = mail.config;
    let name = name.trim();
    let Some(rcpt) = config.email.customers.get(name) else {
        // A name that is no customer at all was refused before (`email_who::refuse_unknown`).
        let listed: Vec<&str> = config.email.customers.keys().map(String::as_str).collect();
        return Err(vec![format!(
            "email.customers has no `{name}`{}; give its recipients there: email: {{customers: {{\"{name}\": {{to: [...]}}}}}}",
            if listed.is_empty() {
                String::new()
            } else {
                format!(" (listed: {})", listed.join(", "))
            },
        )]);
    };
    let edition = config.customers.iter().find(|c| c.name == name);
    let label = mail.label;
    // A customer with an edition reads its edition's report (its figures, its commentary, its
    // contract): the page, the PDF and the mail are one view. Its mail entry's `services`, when
    // they differ from the edition's, keep the figures of the mail's own services instead.
    let own_view = match (edition, reports) {
        (Some(e), Some(r)) if rcpt.services.is_none() || rcpt.services == e.services => {
            Some(r.customer(e, kind, label).map_err(|d| {
                d.iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
            })?)
        }
        _ => None,
    };
    let mut view = match own_view {
        Some(Some(v)) => v,
        Some(None) => return Ok(None),
        None => {
            // The services of the customer's edition entry when its mail entry names none.
            let scope = site::reports::CustomerScope {
                name,
                services: (rcpt.services.as_deref())
                    .or(edition.and_then(|e| e.services.as_deref())),
                provenance: false,
                as_of,
                may_have_no_tickets: false,
            };
            let site_terms = (mail.site_terms)
                .get_or_init(|| crate::reports::terms::site_wide(&config.kpi, &config.labels));
            let set =
                site::reports::customer_set(engine, loaded, config, as_of, &scope, site_terms)
                    .map_err(|e| {
                        vec![match e.strip_prefix("services: ") {
                            Some(e) => format!("email.customers.{name}.services: {e}"),
                            None => format!("email.customers.{name}: {e}"),
                        }]
                    })?;
            let Some(index) = (set.published(kind).iter()).position(|d| d.period.label == label)
            else {
                return Ok(None);
            };
            // A customer without an edition has no commentary of its own.
            crate::reports::views::page_view(&set, kind, index, None, &config.language)
        }
    };
    // Every breach is the customer's own: no need to name it on each.
    for b in &mut view.breaches {
        b.customer.clear();
    }
    let slug = email::folders::customer_slug(name);
    let key = format!("email.customers.{name}");
    let root = mail.root;
    let greeting = closing_file(root, rcpt.greeting.as_deref(), &key, "greeting");
    let signature = closing_file(root, rcpt.signature.as_deref(), &key, "signature");
    let (greeting, signature) = match (greeting, signature) {
        (Ok(g), Ok(s)) => (g, s),
        (g, s) => return Err(g.err().into_iter().chain(s.err()).collect()),
    };
    let r = Rcpt {
        key: &key,
        to: &rcpt.to,
        cc: &rcpt.cc,
        bcc: &rcpt.bcc,
        greeting,
        signature,
    };
    // The customer's edition's report page when it has one; never the internal site's, which
    // shows every customer.
    let link = edition.map(|e| format!("{}{}", e.base_url, view.url.trim_start_matches('/')));
    let composed = mail.compose(&view, &r, link.as_deref().unwrap_or(""), Some(name), &slug)?;
    let texts = [
        composed.subject.as_str(),
        composed.html.as_str(),
        composed.text.as_str(),
    ];
    super::refuse_internal_address(config, name, "the mail", &texts).map_err(|e| vec![e])?;
    Ok(Some(r.outgoing(
        Some(name.to_string()),
        out_dir.join(&slug),
        composed,
    )))
}

/// What every message of one run shares.
struct Mail<'a> {
    root: &'a Path,
    config: &'a crate::config::SiteConfig,
    templates: &'a Templates,
    words: &'a crate::reports::views::Words,
    as_of: i64,
    as_of_text: &'a str,
    label: &'a str,
    /// Prints each message's report as the PDF it carries (`--attach-pdf`).
    pdf: Option<&'a std::sync::Mutex<super::pdf::Attacher>>,
    /// The targets every customer's report shares (`reports::terms::site_wide`), worded the
    /// first time a customer without an edition's report needs them, once for all.
    site_terms: std::sync::OnceLock<crate::reports::terms::Terms>,
}

/// One mail's recipients, the key of site.yaml they are set under, and its greeting and
/// signature as (where from, Markdown).
struct Rcpt<'a> {
    key: &'a str,
    to: &'a [String],
    cc: &'a [String],
    bcc: &'a [String],
    greeting: Option<(String, String)>,
    signature: Option<(String, String)>,
}

/// A greeting or signature: the file `configured` under `key` (relative to the site), else
/// `templates/email/<part>.md` when the site has it. A file under `content/` would be
/// published, so it is refused.
fn closing_file(
    root: &Path,
    configured: Option<&Path>,
    key: &str,
    part: &str,
) -> Result<Option<(String, String)>, String> {
    let (rel, must) = match configured {
        Some(p) => (p.to_path_buf(), true),
        None => (PathBuf::from(format!("templates/email/{part}.md")), false),
    };
    let shown = rel.display().to_string();
    // Only templates/email/ holds them: a file elsewhere (content/ is published, data/ holds
    // every customer's rows) or a link to one would put it into a customer's mail.
    let plain = (rel.components()).all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain || !rel.starts_with("templates/email") {
        return Err(format!(
            "{key}.{part}: `{shown}` must be a file under templates/email/ (content/ is published, other folders hold data)"
        ));
    }
    let mut at = root.to_path_buf();
    for c in rel.components() {
        at.push(c);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{key}.{part}: `{}` is a symbolic link; nothing it points to is read",
                at.strip_prefix(root).unwrap_or(&at).display()
            ));
        }
    }
    // A named pipe or a device would never end: only a plain file is read.
    if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_file()) {
        return Err(format!("{key}.{part}: `{shown}` is not a plain file"));
    }
    match std::fs::read_to_string(&at) {
        Ok(text) => Ok(Some((shown, text))),
        Err(e) if must || e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{key}.{part}: cannot read `{shown}`: {e}"))
        }
        Err(_) => Ok(None),
    }
}

impl Rcpt<'_> {
    fn outgoing(
        &self,
        customer: Option<String>,
        dir: PathBuf,
        composed: email::Composed,
    ) -> email_send::Outgoing {
        email_send::Outgoing {
            customer,
            dir,
            to: self.to.to_vec(),
            cc: self.cc.to_vec(),
            bcc: self.bcc.to_vec(),
            composed,
        }
    }
}

impl Mail<'_> {
    /// One message, composed and checked (addresses, subject, templates, charts); nothing
    /// written. Errors name the key of site.yaml to fix.
    fn compose(
        &self,
        view: &crate::reports::views::ReportPageView,
        rcpt: &Rcpt,
        report_url: &str,
        customer: Option<&str>,
        tag: &str,
    ) -> Result<email::Composed, Vec<String>> {
        let config = self.config;
        if rcpt.to.is_empty() {
            return Err(vec![format!(
                "{}.to: no recipients; give `to:` there",
                rcpt.key
            )]);
        }
        // A customer with an edition reads its edition's title, as on its report pages.
        let edition = customer.and_then(|n| config.customers.iter().find(|c| c.name == n));
        let title = edition.map(|e| e.edition_title(&config.title));
        let pdf = match self.pdf {
            Some(a) => Some(
                a.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .print(view, customer)
                    .map_err(|e| vec![e])?,
            ),
            None => None,
        };
        // Named as `opsite pdf` names the same report (the customer's slug in it).
        let entry =
            customer.and_then(|name| crate::config::customers::by_name(&config.customers, name));
        let pdf_name = super::pdf::report_file_name(config, view, entry, None);
        let env = Envelope {
            config: &config.email,
            key: rcpt.key,
            to: rcpt.to,
            cc: rcpt.cc,
            bcc: rcpt.bcc,
            site_title: title.as_deref().unwrap_or(&config.title),
            customer,
            report_url,
            as_of: self.as_of,
            as_of_text: self.as_of_text,
            words: self.words,
            tag,
            greeting: rcpt
                .greeting
                .as_ref()
                .map(|(o, t)| (o.as_str(), t.as_str())),
            signature: rcpt
                .signature
                .as_ref()
                .map(|(o, t)| (o.as_str(), t.as_str())),
            attachment: pdf.as_deref().map(|b| (pdf_name.as_str(), b)),
        };
        email::compose(view, &env, self.templates)
    }

    /// The message's files, their paths printed, with warnings for sizes mail readers clip.
    fn write(&self, o: &email_send::Outgoing) -> anyhow::Result<()> {
        let composed = &o.composed;
        for p in email_send::write_parts(&o.dir, self.label, composed)? {
            println!("{}", p.display());
        }
        for w in composed.size_warnings() {
            eprintln!("warning: {w}");
        }
        Ok(())
    }
}

/// A mistake as `site.yaml:LINE:COL: error: …` when it names a key of `email:` that the file
/// has (`email.customers.北斗会.to: …`); as written otherwise.
fn located(message: &str, config_text: &str, customers: &[String]) -> String {
    use crate::config::keys::{locate, Step};
    let key = message.split(": ").next().unwrap_or("");
    let steps: Vec<String> = match key.strip_prefix("email.customers.") {
        // A customer's name may hold dots: match the names of the run, not the dots.
        Some(rest) => match (customers.iter())
            .map(|c| c.trim())
            .find(|c| rest == *c || rest.starts_with(&format!("{c}.")))
        {
            Some(c) => {
                let mut steps = vec!["email".to_string(), "customers".into(), c.into()];
                if let Some(field) = rest.get(c.len() + 1..) {
                    steps.push(field.to_string());
                }
                steps
            }
            None => return message.to_string(),
        },
        None if key.starts_with("email.") => key.split('.').map(str::to_string).collect(),
        None => return message.to_string(),
    };
    let path: Vec<Step> = steps.into_iter().map(Step::Key).collect();
    match locate(config_text, &path) {
        Some((line, column)) => crate::error::Diagnostic::error(
            crate::error::Code::Config,
            crate::error::Location::at(crate::config::CONFIG_FILE, line, Some(column)),
            message.to_string(),
        )
        .to_string(),
        None => message.to_string(),
    }
}
