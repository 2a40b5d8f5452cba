//! One function per command: orchestration only (load, run the pipeline, write, report).

pub mod build;
pub mod check;
mod documents;
pub mod email;
mod email_send;
mod email_who;
pub mod freeze;
pub mod init;
pub mod kpi;
mod kpi_views;
pub mod new;
mod new_example;
pub mod pdf;
pub mod report;
pub mod serve;
mod targets;

use crate::layout::{Holds, SiteFolder};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::site::progress::Progress;

/// The site every command works on: `--root` when given (it must be a site), else the current
/// folder or the nearest folder above it that is one, as git and cargo find theirs. A site is a
/// folder with `site.yaml`, or a Hugo or MkDocs tree's root (its own configuration is read). A
/// command run in the wrong folder stops here instead of building nothing.
pub fn site_root(arg: Option<&Path>) -> anyhow::Result<PathBuf> {
    use crate::config::CONFIG_FILE;
    if let Some(root) = arg {
        if root.is_file() {
            anyhow::bail!(
                "--root {}: is a file; --root takes the site's folder (the one holding {CONFIG_FILE})",
                root.display()
            );
        }
        if !root.is_dir() {
            anyhow::bail!("--root {}: no such folder", root.display());
        }
        if !is_site(root) {
            anyhow::bail!(
                "{} is not a site: it has no {CONFIG_FILE}, Hugo configuration or mkdocs.yml (start one with `opsite new DIR`)",
                root.display()
            );
        }
        return Ok(root.to_path_buf());
    }
    let cwd = std::env::current_dir()?;
    match find_site_root(&cwd) {
        Some(found) if found == cwd => Ok(PathBuf::from(".")),
        Some(found) => {
            eprintln!("site: {}", found.display());
            Ok(found)
        }
        None => anyhow::bail!(
            "no {CONFIG_FILE} (nor a Hugo configuration or mkdocs.yml) in {} or any folder above it: run opsite inside a site, pass --root DIR, or start one with `opsite new DIR`",
            cwd.display()
        ),
    }
}

/// A folder holding `site.yaml`, or a Hugo or MkDocs configuration.
pub fn is_site(dir: &Path) -> bool {
    dir.join(crate::config::CONFIG_FILE).is_file() || crate::config::foreign::detect(dir).is_some()
}

/// The nearest folder from `start` upwards that is a site.
pub fn find_site_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| is_site(d))
        .map(Path::to_path_buf)
}

/// Run `f` while showing progress on a terminal once it has taken longer than a second.
pub fn with_progress<T>(f: impl FnOnce(&Progress) -> T) -> T {
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let show = std::io::stderr().is_terminal();
    let handle = show.then(|| {
        let (p, d) = (progress.clone(), done.clone());
        std::thread::spawn(move || {
            let start = Instant::now();
            let mut shown = false;
            while !d.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if start.elapsed() > Duration::from_secs(1) {
                    let (stage, n, total) = p.snapshot();
                    let width = 30;
                    let filled = if total == 0 {
                        0
                    } else {
                        (n * width / total).min(width)
                    };
                    eprint!(
                        "\r{stage:>9} [{}{}] {n}/{total}  ",
                        "#".repeat(filled),
                        " ".repeat(width - filled)
                    );
                    shown = true;
                }
            }
            if shown {
                eprint!("\r{}\r", " ".repeat(60));
            }
        })
    });
    let out = f(&progress);
    done.store(true, Ordering::Relaxed);
    if let Some(h) = handle {
        let _ = h.join();
    }
    out
}

/// `--as-of` as the build's clock, read in the site's time zone (None: now).
pub fn clock(
    as_of: Option<&str>,
    config: &crate::config::SiteConfig,
) -> anyhow::Result<Option<crate::content::PageDate>> {
    let Some(text) = as_of else {
        return Ok(None);
    };
    let tz = crate::timezone::parse(&config.kpi.timezone).map_err(|e| anyhow::anyhow!(e))?;
    let t = kpi::parse_as_of(text, tz).map_err(|e| anyhow::anyhow!(e))?;
    let utc = chrono::DateTime::from_timestamp(t, 0)
        .ok_or_else(|| anyhow::anyhow!("--as-of `{text}` is out of range"))?;
    Ok(Some(utc.fixed_offset()))
}

/// The site's sources for a command that prints one report (email, pdf): site.yaml's own
/// warnings (a misspelt key) are shown, and its errors stop the run; the content's are
/// `build`'s and `check`'s business.
pub fn load_for_a_report(root: &Path) -> anyhow::Result<crate::site::sources::SiteSources> {
    use anyhow::Context;
    let (sources, load_diags) = crate::site::sources::load(root)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    let mut errors = 0;
    let config_file = &sources.config.source_file;
    for d in load_diags
        .iter()
        .filter(|d| &d.location.file == config_file)
    {
        eprintln!("{d}");
        errors += usize::from(d.is_error());
    }
    if errors > 0 {
        anyhow::bail!(
            "{} has {errors} error{} (above); nothing written",
            config_file.display(),
            if errors == 1 { "" } else { "s" }
        );
    }
    Ok(sources)
}

/// The site's templates for a command that renders one report (email, pdf); their mistakes
/// as one message.
pub fn report_templates(
    sources: &crate::site::sources::SiteSources,
) -> Result<crate::render::Templates, String> {
    crate::render::Templates::new(&sources.theme, &sources.config.markdown).map_err(|ds| {
        ds.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A folder a command writes for people rather than for the site (the mail, the PDFs): its
/// default name under the site root and what it holds, for messages.
pub struct PrivateFolder {
    pub default: &'static str,
    pub holds: &'static str,
    pub purpose: &'static str,
}

pub const MAIL_FOLDER: PrivateFolder = PrivateFolder {
    default: "mail",
    holds: "the mail",
    purpose: "the email is for its recipients",
};

pub const PDF_FOLDER: PrivateFolder = PrivateFolder {
    default: "pdf",
    holds: "the PDFs",
    purpose: "a PDF is for its readers, not the site",
};

pub const KPI_FILE: PrivateFolder = PrivateFolder {
    default: ".",
    holds: "the KPI table",
    purpose: "a KPI table is for its readers, not the site",
};

/// The site's folders a document for people must not be written into, relative to the site:
/// those published or read as the site's own (its content folder as configured, each version's,
/// static files, data, templates and themes, the words) and those it writes (output, editions,
/// its caches, git's).
fn site_folders(config: &crate::config::SiteConfig) -> Vec<String> {
    // Every folder but the documents' own (mail, pdf) and the default content folder, which
    // is the configured one here.
    let mut out: Vec<String> = (SiteFolder::ALL.into_iter())
        .filter(|f| !matches!(f.holds(), Holds::Documents | Holds::Pages))
        .map(|f| f.name().to_string())
        .collect();
    out.extend(config.page_folders());
    out
}

/// A single file a command writes for people (`kpi --output`, `pdf section --output`), given
/// relative to the current folder: never one of the site's configuration files, and beside
/// site.yaml or anywhere else by the rules of `folder_for`.
pub fn check_file_place(
    root: &Path,
    config: &crate::config::SiteConfig,
    file: &Path,
    folder: &PrivateFolder,
) -> anyhow::Result<()> {
    let file = std::env::current_dir()?.join(file);
    let parent = file.parent().unwrap_or(root);
    let r = resolved(root);
    if let Ok(rel) = resolved(&file).strip_prefix(&r) {
        if crate::walk::is_configuration(rel) {
            anyhow::bail!(
                "--output {}: that is the site's configuration; {} goes elsewhere",
                file.display(),
                folder.holds
            );
        }
    }
    if resolved(parent) != r {
        folder_for(root, config, Some(parent), folder)?;
    }
    Ok(())
}

/// Every customer site.yaml names, each once: under `email.customers` and as an edition's name.
/// Each may have a mail folder (`mail/<name>/`).
pub fn mail_customer_names(config: &crate::config::SiteConfig) -> Vec<&str> {
    let mut names: Vec<&str> = (config.email.customers.keys().map(String::as_str))
        .chain(config.customers.iter().map(|c| c.name.as_str()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Refuses `dir` when it is (or lies in) the `pdf/<slug>/` or `mail/<name>/` folder of a customer
/// not named in `own`: a PDF or a mail there would be handed over or sent as that customer's.
/// Both commands check both folders, whichever writes.
pub fn refuse_customer_folders(
    root: &Path,
    config: &crate::config::SiteConfig,
    dir: &Path,
    own: &[&str],
    what: &str,
) -> anyhow::Result<()> {
    use crate::email::folders::customer_slug;
    let pdf: Vec<(String, String)> = (config.customers.iter())
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    let own_slugs: Vec<String> = (own.iter())
        .filter_map(|n| crate::config::customers::by_name(&config.customers, n))
        .map(|c| c.slug.clone())
        .collect();
    refuse_others_folder(dir, &root.join(PDF_FOLDER.default), &pdf, &own_slugs, what)?;
    let mut mail: Vec<(String, String)> = (mail_customer_names(config).into_iter())
        .map(|n| (customer_slug(n), n.to_string()))
        .collect();
    mail.sort();
    mail.dedup();
    let own_mail: Vec<String> = own.iter().map(|n| customer_slug(n)).collect();
    refuse_others_folder(dir, &root.join(MAIL_FOLDER.default), &mail, &own_mail, what)
}

/// Refuses an `--output` folder that is (or lies in) another customer's folder under the
/// default one (`pdf/toto/`, `mail/東都メディカル株式会社/`): a document written there would be
/// taken for that customer's and sent. `folders`: (folder name, customer) of every customer;
/// `own`: the folder names the run writes for (none for the internal report).
pub fn refuse_others_folder(
    dir: &Path,
    default: &Path,
    folders: &[(String, String)],
    own: &[String],
    what: &str,
) -> anyhow::Result<()> {
    let (dir_real, base) = (resolved(dir), resolved(default));
    for (folder, customer) in folders.iter().filter(|(f, _)| !own.contains(f)) {
        if dir_real.starts_with(base.join(folder)) {
            anyhow::bail!(
                "--output {}: that is {customer}'s folder, and this is {what}; give another folder",
                dir.display()
            );
        }
    }
    Ok(())
}

/// `--output` (relative to the current folder), else `<root>/<default>`; never the site's own
/// folder, nor inside a folder that gets published or read as the site's sources.
pub fn folder_for(
    root: &Path,
    config: &crate::config::SiteConfig,
    output: Option<&Path>,
    folder: &PrivateFolder,
) -> anyhow::Result<PathBuf> {
    let default = root.join(folder.default);
    let dir = match output {
        Some(d) => std::env::current_dir()?.join(d),
        None => default.clone(),
    };
    // Resolved as the file system will (`..`, symbolic links) before comparing.
    let (d, r) = (resolved(&dir), resolved(root));
    if d == r {
        anyhow::bail!(
            "--output {}: that is the site's own folder; the default is {}",
            dir.display(),
            default.display()
        );
    }
    for inside in site_folders(config) {
        if d.starts_with(r.join(&inside)) {
            anyhow::bail!(
                "--output {}: inside the site's {inside}/, where {} would be published or read as the site's own files; {} (default: {})",
                dir.display(),
                folder.holds,
                folder.purpose,
                default.display()
            );
        }
    }
    // A folder a build wrote (another site's output, an edition) is replaced whole by the
    // next build: what is written into it would be published, then lost.
    let mut up = Some(d.as_path());
    while let Some(p) = up {
        if p.join(crate::layout::MARK_FILE).is_file() {
            anyhow::bail!(
                "--output {}: inside {}, a folder opsite builds a site into ({} is there); {} (default: {})",
                dir.display(),
                p.display(),
                crate::layout::MARK_FILE,
                folder.purpose,
                default.display()
            );
        }
        up = p.parent();
    }
    Ok(dir)
}

/// Records what a command wrote for people (a folder of PDFs or mails, a single workbook or
/// PDF) when it lies inside the site, so no link in the site's sources can publish it.
pub fn keep_private(root: &Path, written: &Path) -> anyhow::Result<()> {
    let result = match written.is_dir() {
        true => crate::private_outputs::mark_folder(root, written),
        false => crate::private_outputs::mark_file(root, written),
    };
    result.map_err(|e| {
        anyhow::anyhow!(
            "cannot mark {} as private ({}): {e}",
            written.display(),
            crate::private_outputs::MARK
        )
    })
}

/// An error when a document for the customer `customer` (its PDF's HTML, its mail's parts)
/// names the internal site's address, read as a browser reads it: the customer is sent only to
/// its own edition and to other sites.
pub fn refuse_internal_address(
    config: &crate::config::SiteConfig,
    customer: &str,
    what: &str,
    texts: &[&str],
) -> Result<(), String> {
    use crate::config::customers::place;
    let own = (config.customers.iter())
        .find(|c| c.name == customer)
        .and_then(|c| place(&c.base_url));
    let Some(internal) = crate::internal_address::InternalAddress::new(
        place(&config.base_url).as_deref(),
        own.as_deref(),
    ) else {
        return Ok(());
    };
    match texts.iter().any(|t| internal.found_in(t)) {
        true => Err(format!(
            "{customer}: {what} names the internal site's address ({}): a customer's documents link only to its own edition and to other sites",
            config.base_url
        )),
        false => Ok(()),
    }
}

/// `p` with its longest existing ancestor canonicalised and `..`/`.` of the rest applied.
pub fn resolved(p: &Path) -> PathBuf {
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
