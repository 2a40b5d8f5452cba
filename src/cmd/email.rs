//! `opsite email weekly|monthly`: the report of one ISO week (or month) as a ready-to-send message
//! (`mail/2026-W47.eml`), its HTML and text parts for preview, and the chart images. Built from
//! the same report views as the site (one computation); written outside the published output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::cli::{EmailArgs, EmailKind};
use crate::content::front_matter::now;
use crate::email::{self, Envelope};
use crate::kpi::period::{Period, PeriodKind};
use crate::render::Templates;
use crate::site::{self, sources, BuildOptions};

pub fn run(args: &EmailArgs) -> anyhow::Result<ExitCode> {
    let (kind, kind_name, example) = match args.kind {
        EmailKind::Weekly => (PeriodKind::Week, "weekly", "an ISO week, e.g. 2026-W47"),
        EmailKind::Monthly => (PeriodKind::Month, "monthly", "a month, e.g. 2026-11"),
    };
    let root = &super::site_root(args.root.root.as_deref())?;
    let (sources, load_diags) = sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    // site.yaml's own warnings (a misspelt `email:` key) matter here; content ones do not.
    for d in &load_diags {
        let line = d.to_string();
        if line.starts_with(crate::config::CONFIG_FILE) {
            eprintln!("{line}");
        }
    }
    let config = &sources.config;
    let missing = config.email.missing();
    if !missing.is_empty() {
        bail!(
            "site.yaml needs {} for the email, e.g.\n  email:\n    from: \"運用チーム <ops@example.jp>\"\n    to: [\"client@example.jp\"]\n    subject: \"【週次報告】{{{{ period }}}} 運用ステータス\"",
            missing.join(", ")
        );
    }
    let customers: Vec<String> = if args.all_customers {
        if config.email.customers.is_empty() {
            bail!("--all-customers: site.yaml has no email.customers (e.g. email: {{customers: {{\"ACME 株式会社\": {{to: [\"it@acme.example\"]}}}}}})");
        }
        config.email.customers.keys().cloned().collect()
    } else {
        args.customer.iter().cloned().collect()
    };
    // Before anything is written or sent: two customers must not share a mail folder.
    check_folders(&customers)?;
    if sources.data.is_none() {
        bail!("the email shows the {kind_name} report, and site.yaml has no `data:` section");
    }
    let out_dir = mail_dir(root, args.output.as_deref())?;
    let clock = super::clock(args.as_of.as_deref(), config)?.unwrap_or_else(now);
    let tz = crate::timezone::parse(&config.kpi.timezone).map_err(|e| anyhow::anyhow!(e))?;
    let label = match &args.period {
        Some(p) => {
            let period = Period::parse(p, tz).map_err(|e| anyhow::anyhow!("--period: {e}"))?;
            if period.kind != kind {
                bail!("--period {p}: the {kind_name} email is for {example}");
            }
            period.label
        }
        None => Period::containing(kind, clock.with_timezone(&tz).date_naive(), tz).label,
    };
    let opts = BuildOptions {
        include_drafts: false,
        base_url: None,
        links_are_errors: false,
        now: clock,
        freeze_due: false,
        search_index: false,
        index_older_versions: false,
    };
    let result = site::build(&sources, &opts, &site::progress::Progress::default());
    let weeks: Vec<&crate::reports::views::ReportPageView> = result
        .reports
        .pages
        .iter()
        .filter(|p| p.kind == kind_name)
        .collect();
    let Some(view) = weeks.iter().find(|p| p.period == label) else {
        let errors: Vec<String> = result
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::error::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        if !errors.is_empty() {
            for e in &errors {
                eprintln!("{e}");
            }
            bail!("the data has errors (above): no email written");
        }
        let range = match (weeks.first(), weeks.last()) {
            (Some(a), Some(b)) => format!(
                "the data has {kind_name} reports from {} to {}",
                a.period, b.period
            ),
            _ => format!("there are no {kind_name} reports (are they off under `reports:`?)"),
        };
        let hint = if args.period.is_none() {
            " (give --period)"
        } else {
            ""
        };
        bail!("no data for {label}: {range}; no email written{hint}");
    };
    let font = email::images::find_font(config.email.font.as_deref(), root)
        .map_err(|e| anyhow::anyhow!(e))?;
    email::images::load_font(&font).map_err(|e| anyhow::anyhow!(e))?;
    let templates = Templates::new(&sources.theme, &config.markdown).map_err(|ds| {
        anyhow::anyhow!(ds
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"))
    })?;
    if args.send {
        email::send::check(config.email.smtp.as_ref())
            .map_err(|e| anyhow::anyhow!("--send: {e}; nothing written"))?;
    }
    let words = crate::reports::labels::words(&config.language);
    let as_of_text = clock.with_timezone(&tz).to_rfc3339();
    let mail = Mail {
        config,
        templates: &templates,
        words: &words,
        as_of: clock.timestamp(),
        as_of_text: &as_of_text,
        label: &label,
        send: args.send,
    };
    if customers.is_empty() {
        let report_url = config.absolute_url(&view.url);
        mail.write(
            view,
            &config.email.to,
            &config.email.cc,
            &report_url,
            "",
            &out_dir,
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for name in &customers {
        let set = site::reports::compute_for_customer(&sources, config, clock.timestamp(), name)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let Some(rcpt) = config.email.customers.get(name.trim()) else {
            let listed: Vec<&str> = config.email.customers.keys().map(String::as_str).collect();
            bail!(
                "email.customers has no `{}`{}; give its recipients there: email: {{customers: {{\"{}\": {{to: [...]}}}}}}",
                name.trim(),
                if listed.is_empty() {
                    String::new()
                } else {
                    format!(" (listed: {})", listed.join(", "))
                },
                name.trim()
            );
        };
        let Some(index) = set
            .published(kind)
            .iter()
            .position(|d| d.period.label == label)
        else {
            bail!("{name}: no tickets in {label}; no email written for this customer");
        };
        // The customer's own figures, without the site's commentary (it may name others).
        let view = crate::reports::views::page_view(&set, kind, index, None, &config.language);
        let slug = customer_slug(name);
        // No link to the site-wide report page: it shows every customer.
        mail.write(&view, &rcpt.to, &rcpt.cc, "", &slug, &out_dir.join(&slug))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--output`, else `<root>/mail`; never inside the site's published output.
fn mail_dir(root: &Path, output: Option<&Path>) -> anyhow::Result<PathBuf> {
    let dir = match output {
        Some(d) => std::env::current_dir()?.join(d),
        None => root.join("mail"),
    };
    // Resolved as the file system will (`..`, symbolic links) before comparing.
    let (d, r) = (resolved(&dir), resolved(root));
    if d == r {
        bail!(
            "--output {}: that is the site's own folder; the default is {}",
            dir.display(),
            root.join("mail").display()
        );
    }
    // Folders that get published (content, static, the output) or read as the site's sources.
    for inside in ["output", "content", "static", "data", "templates", "themes"] {
        if d.starts_with(r.join(inside)) {
            bail!(
                "--output {}: inside the site's {inside}/, where the mail would be published or read as the site's own files; the email is for its recipients (default: {})",
                dir.display(),
                root.join("mail").display()
            );
        }
    }
    Ok(dir)
}

/// `p` with its longest existing ancestor canonicalised and `..`/`.` of the rest applied.
fn resolved(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for part in rest.into_iter().rev() {
        match part.to_str() {
            Some("..") => {
                out.pop();
            }
            Some(".") => {}
            _ => out.push(part),
        }
    }
    out
}

/// `<week>.eml`, `<week>.html` (images referenced by file name), `<week>.txt` and the PNGs.
fn write_parts(dir: &Path, label: &str, c: &email::Composed) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut preview = c.html.clone();
    for img in &c.images {
        preview = preview.replace(&format!("cid:{}", img.cid), &img.file);
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (dir.join(format!("{label}.eml")), c.eml.clone()),
        (dir.join(format!("{label}.html")), preview.into_bytes()),
        (
            dir.join(format!("{label}.txt")),
            c.text.clone().into_bytes(),
        ),
    ];
    for img in &c.images {
        files.push((dir.join(&img.file), img.png.clone()));
    }
    for (path, bytes) in &files {
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// What every message of one run shares.
struct Mail<'a> {
    config: &'a crate::config::SiteConfig,
    templates: &'a Templates,
    words: &'a crate::reports::views::Words,
    as_of: i64,
    as_of_text: &'a str,
    label: &'a str,
    send: bool,
}

impl Mail<'_> {
    /// Compose, write (and with --send, send) one message.
    fn write(
        &self,
        view: &crate::reports::views::ReportPageView,
        to: &[String],
        cc: &[String],
        report_url: &str,
        tag: &str,
        dir: &Path,
    ) -> anyhow::Result<()> {
        let config = self.config;
        if to.is_empty() {
            bail!("no recipients: give `to:` (email.to, or the customer's under email.customers)");
        }
        let env = Envelope {
            config: &config.email,
            to,
            cc,
            site_title: &config.title,
            report_url,
            as_of: self.as_of,
            as_of_text: self.as_of_text,
            words: self.words,
            tag,
        };
        let composed = email::compose(view, &env, self.templates)
            .map_err(|es| anyhow::anyhow!(es.join("\n")))?;
        for p in write_parts(dir, self.label, &composed)? {
            println!("{}", p.display());
        }
        let images: usize = composed.images.iter().map(|i| i.png.len()).sum();
        if composed.html.len() > email::HTML_LIMIT {
            eprintln!(
                "warning: the HTML part is {} KB; Gmail clips messages over 100 KB",
                composed.html.len() / 1024
            );
        }
        if images > email::IMAGES_LIMIT {
            eprintln!(
                "warning: the images total {} KB (limit 500 KB)",
                images / 1024
            );
        }
        if self.send {
            let Some(smtp) = &config.email.smtp else {
                bail!("--send: site.yaml has no email.smtp (host, port, starttls, username, password_env); the message was written, not sent");
            };
            let answer = email::send::send(
                smtp,
                config.email.from.as_deref().unwrap_or_default(),
                to,
                cc,
                &composed.eml,
            )
            .map_err(|e| anyhow::anyhow!("{e}; the message was written, not sent"))?;
            println!(
                "sent {} to {} recipient(s) through {}:{} ({answer})",
                self.label,
                to.len() + cc.len(),
                smtp.host,
                smtp.port
            );
        }
        Ok(())
    }
}

/// Every customer's folder under mail/ is their own: `ACME/Tokyo` and `ACME-Tokyo` would both
/// write `mail/acme-tokyo/`, one mail overwriting the other. An error naming each pair.
fn check_folders(customers: &[String]) -> anyhow::Result<()> {
    let mut seen: std::collections::BTreeMap<String, &str> = Default::default();
    let mut clashes = Vec::new();
    for name in customers {
        let slug = customer_slug(name);
        match seen.get(&slug) {
            Some(first) if first.trim() != name.trim() => clashes.push(format!(
                "customers `{first}` and `{}` would both write mail/{slug}/",
                name.trim()
            )),
            Some(_) => {}
            None => {
                seen.insert(slug, name.trim());
            }
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    bail!(
        "{}; rename one of them under email.customers (and in the data) so each has its own folder; nothing written or sent",
        clashes.join("; ")
    )
}

/// A customer's folder name under mail/: letters and digits kept (Japanese too), the rest `-`.
fn customer_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "customer".into()
    } else {
        out
    }
}
