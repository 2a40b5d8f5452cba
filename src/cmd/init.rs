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
    if std::fs::symlink_metadata(&target).is_ok() {
        bail!(
            "{} exists already, and is what opsite reads; move it away first to write a new one",
            target.display()
        );
    }
    let kind = chosen_kind(&root, args.from)?;
    let mut translated = match foreign::read(&root, kind, false) {
        Ok(t) => t,
        Err(e) => bail!("{e}\nnothing written"),
    };
    // The theme's shortcodes a build from the tree's configuration leaves out with warnings
    // are errors with a site.yaml unless listed: listed here, as the build's hint says.
    let unknown = unknown_shortcodes(&root);
    if !unknown.is_empty() {
        translated.site.insert(
            "shortcodes".into(),
            serde_json::json!({ "ignore": unknown }),
        );
    }
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
    let read: Vec<String> = translated
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    println!(
        "wrote {} from {} ({} setting{}); from now on opsite reads it instead",
        target.display(),
        read.join(", "),
        translated.site.len(),
        if translated.site.len() == 1 { "" } else { "s" },
    );
    if !unknown.is_empty() {
        println!(
            "shortcodes.ignore lists the {} shortcode(s) that have no template here ({}): builds leave them out, keeping their inner text",
            unknown.len(),
            unknown.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The shortcodes the tree's pages use that have no template (drafts included), found by
/// building it in memory from its own configuration.
fn unknown_shortcodes(root: &Path) -> Vec<String> {
    let Ok((sources, _)) = crate::site::sources::load(root) else {
        return Vec::new();
    };
    let opts = crate::site::BuildOptions {
        include_drafts: true,
        base_url: None,
        damage_is_error: false,
        now: crate::content::front_matter::now(),
        freeze_due: false,
        search_index: false,
        index_older_versions: false,
        edition: None,
    };
    let result = crate::site::build(&sources, &opts, &crate::site::progress::Progress::default());
    result.unknown_shortcodes.into_iter().collect()
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
