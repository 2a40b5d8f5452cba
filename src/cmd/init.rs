//! `opsite init --from hugo|mkdocs`: a team switching for good gets, as `site.yaml`, exactly
//! the settings a build reads from its tree's own configuration today.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;

use crate::cli::{InitArgs, InitFrom};
use crate::config::foreign::{self, Kind};
use crate::config::CONFIG_FILE;

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        bail!("--root {}: no such folder", root.display());
    }
    let target = root.join(CONFIG_FILE);
    if target.exists() {
        bail!(
            "{} exists already, and is what opsite reads; move it away first to write a new one",
            target.display()
        );
    }
    let kind = chosen_kind(&root, args.from)?;
    let translated = match foreign::read(&root, kind) {
        Ok(t) => t,
        Err(e) => bail!("{e}\nnothing written"),
    };
    let text = foreign::site_yaml_text(&translated);
    // What is written must read back as it will be built: the same checks as a build's.
    if let Err(e) = crate::config::SiteConfig::parse(&text, Path::new(CONFIG_FILE)) {
        bail!(
            "{}: {}\nnothing written",
            translated.file.display(),
            e.message
        );
    }
    for note in &translated.notes {
        eprintln!("{note}");
    }
    crate::write_whole::write_whole(&target, text.as_bytes())?;
    println!(
        "wrote {} from {} ({} setting{}); from now on opsite reads it instead of {}",
        target.display(),
        translated.file.display(),
        translated.site.len(),
        if translated.site.len() == 1 { "" } else { "s" },
        translated.file.display(),
    );
    Ok(ExitCode::SUCCESS)
}

/// `--from` when given (the folder must have that configuration), else the one it has.
fn chosen_kind(root: &Path, from: Option<InitFrom>) -> anyhow::Result<Kind> {
    let found = [Kind::Hugo, Kind::MkDocs]
        .into_iter()
        .filter(|k| match k {
            Kind::Hugo => foreign::hugo::config_files(root).is_some(),
            Kind::MkDocs => foreign::mkdocs::config_file(root).is_some(),
        })
        .collect::<Vec<_>>();
    let wanted = from.map(|f| match f {
        InitFrom::Hugo => Kind::Hugo,
        InitFrom::Mkdocs => Kind::MkDocs,
    });
    match (wanted, found.as_slice()) {
        (Some(w), f) if f.contains(&w) => Ok(w),
        (Some(w), _) => bail!(
            "{} has no {} configuration ({})",
            root.display(),
            w.name(),
            match w {
                Kind::Hugo => "hugo.toml|yaml|json, config.toml|yaml|json or config/_default/",
                Kind::MkDocs => "mkdocs.yml",
            }
        ),
        (None, [one]) => Ok(*one),
        (None, []) => bail!(
            "{} has no Hugo configuration or mkdocs.yml to read; `opsite new DIR` starts a site from nothing",
            root.display()
        ),
        (None, _) => bail!("{} has both a Hugo configuration and a mkdocs.yml: say which with --from hugo or --from mkdocs", root.display()),
    }
}
