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
    let sources = crate::site::sources::load(&root).ok().map(|(s, _)| s);
    let unknown = sources.as_ref().map(unknown_shortcodes).unwrap_or_default();
    if !unknown.is_empty() {
        translated.site.insert(
            "shortcodes".into(),
            serde_json::json!({ "ignore": unknown }),
        );
    }
    let mut text = foreign::site_yaml_text(&translated);
    let proposal = sources.as_ref().and_then(versions_proposal);
    if let Some(p) = &proposal {
        text.push_str(p);
    }
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
    if proposal.is_some() {
        println!("folders named as versions: site.yaml ends with a `versions:` entry for each, commented out; uncomment it to build each as its own version at its present addresses");
    }
    Ok(ExitCode::SUCCESS)
}

/// For a tree whose content holds sibling folders named as versions, a commented-out
/// `versions:` list giving each its own entry at its present addresses (the rest of the site is
/// the latest): written commented, so the init'd site still builds the same bytes.
fn versions_proposal(sources: &crate::site::sources::SiteSources) -> Option<String> {
    let found = sources.content.version_like_folders();
    if found.is_empty() {
        return None;
    }
    let dir = sources
        .content
        .shown_dir()
        .display()
        .to_string()
        .replace('\\', "/");
    let mut out = String::from("# Folders named as versions: to build each as its own version at its present\n# addresses (the rest of the site being the latest), uncomment:\n# versions:\n#   - {name: latest, latest: true}\n");
    for (parent, mut names) in found {
        names.sort_by(|a, b| crate::content::natural::compare(b, a));
        let parent = parent.display().to_string().replace('\\', "/");
        let at = |n: &str| match parent.is_empty() {
            true => n.to_string(),
            false => format!("{parent}/{n}"),
        };
        for n in &names {
            out.push_str(&format!(
                "#   - {{name: \"{n}\", path: {dir}/{}, url: /{}/}}\n",
                at(n),
                at(n)
            ));
        }
    }
    Some(out)
}

/// The shortcodes the tree's pages use that have no template (drafts included), found by
/// building it in memory from its own configuration.
fn unknown_shortcodes(sources: &crate::site::sources::SiteSources) -> Vec<String> {
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
    let result = crate::site::build(sources, &opts, &crate::site::progress::Progress::default());
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
