//! `opsite pdf section /runbooks/`: every page of a section and below as one handbook PDF, from
//! the site built in memory (its rendered pages and published images).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail};

use crate::cli::PdfArgs;
use crate::content::Library;
use crate::output_file::{OutputContent, OutputFile};
use crate::pdf::handbook::{self, Chapter};
use crate::pdf::report::Furniture;
use crate::pdf::{self, DocInfo};
use crate::render::Templates;
use crate::site::{self, sources::SiteSources, BuildOptions};

pub(super) fn run(
    args: &PdfArgs,
    root: &Path,
    sources: &SiteSources,
    opts: &BuildOptions,
    templates: &Templates,
    furniture: &Furniture,
) -> anyhow::Result<ExitCode> {
    if args.customer.is_some() || args.all_customers {
        bail!("a section handbook is printed from the internal site; --customer and --all-customers are for the reports");
    }
    if args.period.is_some() {
        bail!("--period is for the reports (monthly, weekly, quarterly), not a section");
    }
    let Some(wanted) = args.section.as_deref().filter(|w| !w.trim().is_empty()) else {
        bail!("give the section's path, e.g. `opsite pdf section /runbooks/` (`/` prints the whole site)");
    };
    let path = site_path(wanted);
    let config = &sources.config;
    let result = site::build(sources, opts, &site::progress::Progress::default());
    super::refuse_errors(result.diagnostics.iter(), "the site")?;
    let lib = &result.library;
    let Some(section) = (lib.sections.iter()).position(|s| lib.pages[s.page].url == path) else {
        if let Some(page) = lib.pages.iter().find(|p| p.url == path) {
            let folder = path[..path[..path.len() - 1].rfind('/').unwrap_or(0) + 1].to_string();
            bail!(
                "{wanted}: `{}` is a page, not a section; a handbook prints a section and the pages below it (its section: `{folder}`)",
                page.title
            );
        }
        bail!("{wanted}: no such section{}", sections_hint(lib, &path));
    };
    let mut chapters = Vec::new();
    gather(lib, section, 1, &mut |id, depth| {
        let page = &lib.pages[id];
        chapters.push(Chapter {
            title: page.title.clone(),
            url: page.url.clone(),
            permalink: config.absolute_url(&page.url),
            depth,
            html: result
                .rendered
                .get(id)
                .map(|r| r.html.clone())
                .unwrap_or_default(),
        });
    });
    let out = handbook_file(root, &sources.config, args.output.as_deref(), &path)?;
    let words = crate::reports::labels::words(&config.language);
    let title = &lib.pages[lib.sections[section].page].title;
    let tz = crate::timezone::parse(&config.kpi.timezone).map_err(|e| anyhow!(e))?;
    let author = pdf::author(config);
    let info = DocInfo::new(
        format!("{title} {} — {}", words.handbook, config.title),
        &config.language,
        &author,
        format!("{title} {}", words.handbook),
        opts.now
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        opts.now.with_timezone(&tz).fixed_offset(),
    );
    // Shown on paper after the link text: readable (`#容量の確認`, not `#%E5%AE%B9…`).
    let absolute = |p: &str| config.absolute_url(&crate::markdown::links::percent_decode(p));
    let book = handbook::assemble(info, furniture, &chapters, &absolute).map_err(|e| anyhow!(e))?;
    let images = published(&result.files, &book.images);
    let mut printer = pdf::Printer::start().map_err(|e| anyhow!(e))?;
    let printed = book.print(&mut printer, templates, furniture, words, &images);
    printer.finish();
    let printed = printed.map_err(|e| anyhow!("{}: {e}; no PDF written", out.display()))?;
    super::warn_refused(&out, printed.refused);
    let bytes = printed.pdf;
    pdf::write_atomically(&out, &bytes).map_err(|e| anyhow!(e))?;
    crate::cmd::keep_private(root, &out)?;
    let pages = pdf::page_count(&bytes)
        .map(|n| format!("{n} pages, "))
        .unwrap_or_default();
    eprintln!(
        "wrote {} ({} chapter{}, {pages}{} KB)",
        out.display(),
        chapters.len(),
        if chapters.len() == 1 { "" } else { "s" },
        bytes.len().div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

/// `runbooks`, `/runbooks`, `runbooks/`, `content/runbooks` (as a shell completes it) →
/// `/runbooks/`.
fn site_path(wanted: &str) -> String {
    let trimmed = wanted.trim().trim_matches('/');
    let trimmed = trimmed.strip_prefix("content/").unwrap_or(trimmed);
    let trimmed = trimmed
        .strip_suffix("/_index.md")
        .unwrap_or(trimmed)
        .trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// The closest section's path, or the top-level sections, for the error.
fn sections_hint(lib: &Library, wanted: &str) -> String {
    let paths: Vec<&str> = (lib.sections.iter())
        .map(|s| lib.pages[s.page].url.as_str())
        .collect();
    if let Some(c) = crate::config::keys::closest(wanted, paths.iter().copied()) {
        return format!(" (did you mean `{c}`?)");
    }
    let top: Vec<&str> = (lib.sections.iter())
        .filter(|s| s.parent == Some(0))
        .map(|s| lib.pages[s.page].url.as_str())
        .collect();
    if top.is_empty() {
        String::new()
    } else {
        format!("; sections: {}", top.join(", "))
    }
}

/// The section's own page, its pages in display order, then each subsection the same way.
fn gather(lib: &Library, section: usize, depth: usize, visit: &mut dyn FnMut(usize, usize)) {
    let s = &lib.sections[section];
    visit(s.page, depth);
    for &p in &s.pages {
        visit(p, depth);
    }
    for &sub in &s.subsections {
        gather(lib, sub, depth + 1, visit);
    }
}

/// `--output`, else `<root>/pdf/section-<path>.pdf`; never inside a published folder.
fn handbook_file(
    root: &Path,
    config: &crate::config::SiteConfig,
    output: Option<&Path>,
    path: &str,
) -> anyhow::Result<PathBuf> {
    let name = match path.trim_matches('/') {
        "" => "home".to_string(),
        p => p.replace('/', "-"),
    };
    let file_name = format!("section-{name}.pdf");
    let file = match output {
        // A folder (one that exists, or written with a trailing /): the file goes in it.
        Some(f) if f.is_dir() || f.as_os_str().as_encoded_bytes().ends_with(b"/") => {
            std::env::current_dir()?.join(f).join(&file_name)
        }
        Some(f) => std::env::current_dir()?.join(f),
        None => root.join(crate::cmd::PDF_FOLDER.default).join(&file_name),
    };
    pdf::may_write(&file).map_err(|e| anyhow!(e))?;
    crate::cmd::check_file_place(root, config, &file, &crate::cmd::PDF_FOLDER)?;
    Ok(file)
}

/// The bytes of the published files `wanted` names (the images the chapters show).
fn published(
    files: &[OutputFile],
    wanted: &std::collections::BTreeSet<String>,
) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .filter(|f| wanted.contains(&f.path))
        .filter_map(|f| {
            let bytes = match &f.content {
                OutputContent::Bytes(b) => b.to_vec(),
                OutputContent::Asset(source) => source.bytes().ok()?.into_owned(),
                // A handbook's pages are rendered for it; no earlier render is offered.
                OutputContent::Kept(_) => return None,
            };
            Some((f.path.clone(), bytes))
        })
        .collect()
}
