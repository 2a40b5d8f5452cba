//! The left edge of the build: everything read from disk (config, content, theme, static files,
//! the highlight cache) gathered into one value the pure stages work from.

use crate::layout::SiteFolder;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::source::{self, ContentSources};
use crate::data::cache::DataCache;
use crate::data::Loaded;
use crate::error::{Code, Diagnostic, Error, Location};
use crate::markdown::highlight::CACHE_VERSION;
use crate::render::theme::{self, AssetSource, TemplateSource, ThemeFiles};
use crate::walk::{SiteFile, SiteReader};

pub const CACHE_FILE: &str = ".opsite/cache/highlight.bin";

pub struct SiteSources {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub content: ContentSources,
    pub theme: ThemeFiles,
    /// The site's `static/` files: output path → file.
    pub static_files: Vec<(String, SiteFile)>,
    /// Reads the site's files by its rules (inside the site, regular files, the size cap).
    pub reader: SiteReader,
    pub highlight_cache: HashMap<u64, String>,
    /// Page bodies the last build rendered, by what they were rendered from.
    pub kept_bodies: super::kept_bodies::KeptBodies,
    /// The theme's templates, parsed once for every edition and document of a run.
    pub parsed_templates: crate::render::ParsedTemplates,
    /// The search index's shards of the previous build (`.opsite/cache/search/`).
    pub search_shards: crate::search::bundle::ShardStore,
    /// The pages the last build wrote that are still in its output as written, which this
    /// build keeps where it would render them from the same inputs. Only `opsite build` sets
    /// it (`cmd::build`, from the output's manifest), for the sites `build_skip::reusable` allows.
    pub previous_renders: Option<crate::output_file::PreviousRenders>,
    /// The same for each customer edition's folder, by slug (set with `previous_renders`).
    pub edition_renders: HashMap<String, crate::output_file::PreviousRenders>,
    /// The text of site.yaml, to put KPI configuration mistakes on their lines.
    pub config_text: String,
    /// The exports of `data:` (None: the site has no data), loaded or why not.
    pub data: Option<Result<Arc<Loaded>, Vec<Diagnostic>>>,
    /// Frozen periods (`data/snapshots/*.yaml`): path relative to the root, and text.
    pub snapshots: Vec<(PathBuf, String)>,
    /// `versions:` of site.yaml, the latest first (empty: one version). `content` holds the
    /// latest's content.
    pub versions: Vec<crate::config::versions::Version>,
    /// The content of every other version, in the order of `versions` after the latest.
    pub older_versions: Vec<crate::versions::OlderVersion>,
    /// `lastmod: git`: each file's last commit (None without the setting, or when git could
    /// not tell: a warning then).
    pub git_dates: Option<Arc<crate::versions::git_dates::GitDates>>,
    /// The text of `data/escalation.yaml` (None: no such file), or why it was not read.
    pub escalation_file: Option<Result<String, String>>,
    /// The files the pages' include marks name (`markdown.includes`).
    pub included: Arc<crate::markdown::includes::IncludedFiles>,
}

/// Read everything a build needs. Problems with single files are diagnostics; a missing site is an error.
pub fn load(root: &Path) -> Result<(SiteSources, Vec<Diagnostic>), Error> {
    load_with(root, &DataCache::default())
}

/// As `load`, reusing exports loaded by an earlier build of this process when unchanged.
pub fn load_with(root: &Path, cache: &DataCache) -> Result<(SiteSources, Vec<Diagnostic>), Error> {
    if !root.is_dir() {
        return Err(Error::io(
            root,
            std::io::Error::new(std::io::ErrorKind::NotFound, "site folder not found"),
        ));
    }
    let (config, config_warnings) = SiteConfig::load(root)?;
    let reader = SiteReader::new(root, config.limits.file_mb).with_own_places(config.own_places());
    let (content, mut diags) = source::load(&root.join(&config.content_dir), &reader)?;
    diags.extend(config_warnings);
    let config_text = fs::read_to_string(root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    let versions = config.versions();
    let (content, older_versions) = super::version_sources::load_versions(
        &reader,
        &config_text,
        &versions,
        content,
        &config.content_dir,
        &mut diags,
    );
    diags.extend(super::version_sources::version_folders(&content));
    let theme = load_theme(&reader, &config, &mut diags);
    let static_files = walk_static(&root.join(SiteFolder::Static.name()), &reader, &mut diags);
    diags.extend(mermaid_script_note(&static_files));
    diags.extend(foreign_navigation(root, &config));
    diags.extend(missing_content(root, &config));
    diags.extend(missing_homes(&content, &config, &config_text));
    let (data, snapshots) = load_data(root, &config, cache, &mut diags);
    let git_dates = git_dates(root, &config, &config_text, &mut diags);
    let included = source::read_included(&content, &config.markdown.includes, &reader);
    Ok((
        SiteSources {
            root: root.to_path_buf(),
            config,
            content,
            theme,
            static_files,
            reader,
            highlight_cache: load_cache(root),
            kept_bodies: super::kept_bodies::KeptBodies::at(root),
            parsed_templates: Default::default(),
            search_shards: super::build_cache::load_shards(root),
            previous_renders: None,
            edition_renders: HashMap::new(),
            config_text,
            data,
            snapshots,
            versions,
            older_versions,
            git_dates,
            escalation_file: read_escalation(root),
            included: Arc::new(included),
        },
        diags,
    ))
}

/// `lastmod: git`: the files' last commits, or a warning at the setting saying why not.
fn git_dates(
    root: &Path,
    config: &SiteConfig,
    config_text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<crate::versions::git_dates::GitDates>> {
    config.lastmod.as_deref()?;
    // A Hugo tree's `enableGitInfo` is in its own file, which site.yaml's text is not.
    let at = crate::config::keys::locate(
        config_text,
        &[crate::config::keys::Step::Key("lastmod".into())],
    )
    .map_or_else(
        || Location::file(&config.source_file),
        |(line, column)| Location::at(&config.source_file, line, Some(column)),
    );
    match crate::versions::git_dates::load(root) {
        Ok(d) => {
            if let Some(note) = &d.note {
                diags.push(Diagnostic::warning(Code::Config, at, note.clone()));
            }
            Some(Arc::new(d))
        }
        Err(e) => {
            diags.push(Diagnostic::warning(Code::Config, at, e));
            None
        }
    }
}

impl SiteSources {
    /// Build as if no build had run before (`build --no-cache`).
    pub fn forget_caches(&mut self) {
        self.highlight_cache.clear();
        self.kept_bodies = super::kept_bodies::KeptBodies::none();
        self.search_shards = Default::default();
        self.previous_renders = None;
        self.edition_renders.clear();
    }
}

/// A site that still ships Mermaid's script (the old way of drawing diagrams) is told it is no
/// longer needed: nothing loads it any more.
fn mermaid_script_note(static_files: &[(String, SiteFile)]) -> Option<Diagnostic> {
    let (path, _) = static_files.iter().find(|(p, _)| {
        [
            "js/mermaid.min.js",
            "js/mermaid.js",
            "mermaid.min.js",
            "mermaid.js",
        ]
        .contains(&p.as_str())
    })?;
    Some(Diagnostic::warning(
        Code::Build,
        Location::file(Path::new(SiteFolder::Static.name()).join(path)),
        "no longer needed: opsite draws ```mermaid diagrams as SVG when it builds, and no page loads this script any more; delete it to stop publishing it",
    ))
}

/// The exports of `data:` (through `cache`) and the frozen periods' snapshots.
#[allow(clippy::type_complexity)]
fn load_data(
    root: &Path,
    config: &SiteConfig,
    cache: &DataCache,
    diags: &mut Vec<Diagnostic>,
) -> (
    Option<Result<Arc<Loaded>, Vec<Diagnostic>>>,
    Vec<(PathBuf, String)>,
) {
    if config.kpi.data.sources().is_empty() {
        return (None, Vec::new());
    }
    let data = cache.load(root, &config.kpi);
    (Some(data), read_snapshots(root, diags))
}

impl SiteSources {
    /// Read `data/` again (exports whose path, size and time are unchanged come from `cache`),
    /// leaving the rest as it was: the preview server after an export or snapshot changed.
    pub fn reload_data(&mut self, cache: &DataCache) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let (data, snapshots) = load_data(&self.root, &self.config, cache, &mut diags);
        self.data = data;
        self.snapshots = snapshots;
        self.escalation_file = read_escalation(&self.root);
        diags
    }

    /// Read one Markdown file of `content/` again, when it is already known and still there.
    /// False when the tree changed shape (a file added, removed or unreadable), which needs
    /// the whole of `content/` read again.
    /// The files the pages' include marks name, read again (the preview, after an edit).
    pub fn reread_included(&mut self) {
        let config = &self.config.markdown.includes;
        self.included = Arc::new(source::read_included(&self.content, config, &self.reader));
    }

    pub fn reread_content_file(&mut self, rel: &Path) -> bool {
        let Some(i) = self.content.files.iter().position(|f| f.rel_path == rel) else {
            return false;
        };
        // The same rules as the build's: a file swapped for a link out of the site, a pipe or an
        // oversized file is not read here either (the whole read then reports it).
        match self
            .reader
            .read_text(&self.root.join(&self.config.content_dir).join(rel))
        {
            Ok(text) => {
                self.content.files[i].text = text;
                true
            }
            _ => false,
        }
    }
}

/// `data/escalation.yaml` when the site has one: a regular file only (a link or a pipe is
/// refused, never followed or waited on), as UTF-8.
fn read_escalation(root: &Path) -> Option<Result<String, String>> {
    let path = root.join(crate::escalation::DEFAULT_FILE);
    fs::symlink_metadata(&path).ok()?;
    let Some(bytes) = crate::walk::read_own_file(&path) else {
        return Some(Err("not read: it is not a regular file (a link, a folder or a pipe); write the routes in this file itself".into()));
    };
    // Thousands of routes are a few hundred kilobytes; more is not a routes file.
    const MAX_BYTES: usize = 8_000_000;
    if bytes.len() > MAX_BYTES {
        return Some(Err(format!(
            "not read: the file is {} bytes, more than the {MAX_BYTES} an escalation routes file may be",
            bytes.len()
        )));
    }
    Some(
        String::from_utf8(bytes)
            .map_err(|_| "not valid UTF-8 (save the file as UTF-8)".to_string()),
    )
}

/// The snapshot files of frozen periods (`data/snapshots/*.yaml`), sorted by name. Read
/// directly: `data/` is private, never walked for publishing.
fn read_snapshots(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let dir = root.join(crate::reports::snapshot::DIR);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".yaml") || name.starts_with('.') {
            continue;
        }
        let rel = Path::new(crate::reports::snapshot::DIR).join(&name);
        match fs::read_to_string(entry.path()) {
            Ok(text) => out.push((rel, text)),
            Err(e) => diags.push(Diagnostic::error(
                Code::Data,
                Location::file(&rel),
                format!("cannot read this snapshot: {e}"),
            )),
        }
    }
    out.sort();
    out
}

/// Files below `dir` as (relative `/` path, path to read), sorted; hidden files skipped; links
/// leading out of the site reported.
fn walk_files(
    dir: &Path,
    reader: &SiteReader,
    code: Code,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, SiteFile)> {
    walk_files_skipping(dir, reader, |name| name.starts_with('.'), code, diags)
}

/// Files below `dir` whose names `skip` does not reject, as (relative `/` path, path to read).
fn walk_files_skipping(
    dir: &Path,
    reader: &SiteReader,
    skip: impl Fn(&str) -> bool,
    code: Code,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, SiteFile)> {
    let (walked, problems) = crate::walk::walk(dir, reader, skip, code);
    diags.extend(problems);
    walked
        .into_iter()
        .filter(|w| !w.is_dir)
        .map(|w| {
            (
                w.rel.to_string_lossy().replace('\\', "/"),
                reader.file(w.path),
            )
        })
        .collect()
}

/// A tree that has both a `site.yaml` and its old `mkdocs.yml` is configured by `site.yaml`
/// alone; a `nav:` left behind in `mkdocs.yml` is worth saying once rather than leaving the
/// writer to wonder why the order changed.
fn foreign_navigation(root: &Path, config: &SiteConfig) -> Option<Diagnostic> {
    if config.source_file != Path::new(crate::config::CONFIG_FILE) || !config.nav.is_empty() {
        return None;
    }
    let text = std::fs::read_to_string(root.join("mkdocs.yml")).ok()?;
    let line = text.lines().position(|l| l.starts_with("nav:"))? + 1;
    Some(Diagnostic::warning(Code::Config,
        Location::at("mkdocs.yml", line, Some(1)),
        "nav: is not read: site.yaml is this site's configuration; copy the nav: list into site.yaml as it is (same form)".to_string(),
    ))
}

/// A content folder that was named (`content_dir`, Hugo's `contentDir`, MkDocs' `docs_dir`) or
/// that a Hugo or MkDocs tree must have, and is not there: the site would have no pages.
fn missing_content(root: &Path, config: &SiteConfig) -> Option<Diagnostic> {
    let named = config.content_dir != "content"
        || config.source_file != Path::new(crate::config::CONFIG_FILE);
    (named && !root.join(&config.content_dir).is_dir()).then(|| {
        Diagnostic::warning(
            Code::Config,
            Location::file(&config.source_file),
            format!(
                "the content folder {}/ does not exist: the site has no pages",
                config.content_dir
            ),
        )
    })
}

/// A customer's `home` that names no Markdown file of the content (written relative to the
/// site: `content/homes/acme.md`): an error at its entry.
fn missing_homes(content: &ContentSources, config: &SiteConfig, text: &str) -> Vec<Diagnostic> {
    let file = Path::new(crate::config::CONFIG_FILE);
    (config.customers.iter().enumerate())
        .filter_map(|(i, c)| {
            let home = c.home.as_deref()?;
            let rel = super::editions::home_in_content(config, home);
            let found = content.files.iter().any(|f| f.rel_path == rel);
            (!found || rel.extension().is_none_or(|e| e != "md")).then(|| {
                Diagnostic::error(
                    Code::Config,
                    crate::config::customers::entry_location(text, file, i, "home"),
                    format!(
                        "customers: home: `{}` is no Markdown file of the content folder; write the edition's home text in one, e.g. {}/homes/{}.md",
                        home.display(),
                        config.content_dir,
                        c.slug
                    ),
                )
            })
        })
        .collect()
}

/// `static/` is copied as it is, dot files included (`.well-known/`, `.htaccess`, as Hugo
/// does); only version-control folders and desktop clutter stay behind.
fn walk_static(
    dir: &Path,
    reader: &SiteReader,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, SiteFile)> {
    let junk = |name: &str| {
        matches!(
            name,
            ".git" | ".svn" | ".opsite-output" | ".hg" | ".DS_Store" | "Thumbs.db" | "desktop.ini"
        ) || name.ends_with('~')
            || name.ends_with(".swp")
    };
    walk_files_skipping(dir, reader, junk, Code::Build, diags)
}

fn read_templates(
    (dir, content_dir): (&Path, &str),
    reader: &SiteReader,
    prefix: &str,
    shown: &Path,
    into: &mut ThemeFiles,
    diags: &mut Vec<Diagnostic>,
) {
    // The content folder as it lies on disk: a template that is a link into it would print a
    // page's (a customer's commentary's) text in every edition and document.
    let content = (reader.root().join(content_dir)).canonicalize().ok();
    for (rel, file) in walk_files(dir, reader, Code::Template, diags) {
        if !rel.ends_with(".html") && !rel.ends_with(".xml") {
            continue;
        }
        let real = file.path.canonicalize().ok();
        if let (Some(real), Some(content)) = (&real, &content) {
            if real.starts_with(content) {
                diags.push(Diagnostic::error(
                    Code::Template,
                    Location::file(shown.join(&rel)),
                    "a template may not be a link into the content folder (it would print a page's text, a customer's commentary, wherever it is used); copy what the template needs".to_string(),
                ));
                continue;
            }
        }
        match reader.read_text(&file.path) {
            Ok(text) => into.override_template(TemplateSource {
                name: format!("{prefix}{rel}"),
                text,
                origin: shown.join(&rel),
            }),
            Err((line, e)) => diags.push(Diagnostic::error(
                Code::Template,
                match line {
                    Some(line) => Location::at(shown.join(&rel), line, None),
                    None => Location::file(shown.join(&rel)),
                },
                format!("cannot read template: {e}"),
            )),
        }
    }
}

/// Built-in theme, then `themes/<theme>/` on disk, then the site's own `templates/`.
fn load_theme(reader: &SiteReader, config: &SiteConfig, diags: &mut Vec<Diagnostic>) -> ThemeFiles {
    let root = reader.root();
    let mut files = theme::embedded();
    let theme_dir = root.join(SiteFolder::Themes.name()).join(&config.theme);
    let shown = PathBuf::from(SiteFolder::Themes.name()).join(&config.theme);
    if theme_dir.is_dir() {
        read_templates(
            (
                &theme_dir.join(SiteFolder::Templates.name()),
                &config.content_dir,
            ),
            reader,
            "",
            &shown.join(SiteFolder::Templates.name()),
            &mut files,
            diags,
        );
        read_templates(
            (&theme_dir.join("shortcodes"), &config.content_dir),
            reader,
            "shortcodes/",
            &shown.join("shortcodes"),
            &mut files,
            diags,
        );
        for (rel, file) in walk_files(
            &theme_dir.join(SiteFolder::Static.name()),
            reader,
            Code::Build,
            diags,
        ) {
            files.override_static(rel, AssetSource::Disk(file));
        }
    } else if config.theme != "default" {
        diags.push(Diagnostic::error(
            Code::Config,
            Location::file(&config.source_file),
            format!(
                "theme `{}` not found (expected a folder {})",
                config.theme,
                shown.display()
            ),
        ));
    }
    read_templates(
        (
            &root.join(SiteFolder::Templates.name()),
            &config.content_dir,
        ),
        reader,
        "",
        Path::new(SiteFolder::Templates.name()),
        &mut files,
        diags,
    );
    read_words(
        &theme_dir.join(SiteFolder::I18n.name()),
        &shown.join(SiteFolder::I18n.name()),
        reader,
        &mut files,
        diags,
    );
    read_words(
        &root.join(SiteFolder::I18n.name()),
        Path::new(SiteFolder::I18n.name()),
        reader,
        &mut files,
        diags,
    );
    files
}

/// The words of `i18n/<lang>.yaml` (Hugo's folder; also `.yml`, `.toml`, `.json`), each over
/// what an earlier folder gave for its language.
fn read_words(
    dir: &Path,
    shown: &Path,
    reader: &SiteReader,
    into: &mut ThemeFiles,
    diags: &mut Vec<Diagnostic>,
) {
    for (rel, file) in walk_files(dir, reader, Code::Config, diags) {
        let Some((lang, ext)) = rel.rsplit_once('.') else {
            continue;
        };
        if rel.contains('/') || !matches!(ext, "yaml" | "yml" | "toml" | "json") {
            continue;
        }
        let at = |line: Option<usize>| match line {
            Some(line) => Location::at(shown.join(&rel), line, None),
            None => Location::file(shown.join(&rel)),
        };
        let words = reader
            .read_text(&file.path)
            .map_err(|(line, e)| (line, e.to_string()))
            .and_then(|text| {
                crate::i18n::site_words::parse(&rel, &text).map_err(|(l, m)| (Some(l), m))
            });
        match words {
            Ok(w) => into
                .words
                .entry(lang.to_ascii_lowercase())
                .or_default()
                .extend(w),
            Err((line, message)) => diags.push(Diagnostic::error(
                Code::Config,
                at(line),
                format!("words: {message}"),
            )),
        }
    }
}

/// The highlight cache of the previous build; anything unreadable is simply a cold start.
fn load_cache(root: &Path) -> HashMap<u64, String> {
    let Some(bytes) = crate::walk::read_own_file(&root.join(CACHE_FILE)) else {
        return HashMap::new();
    };
    decode_cache(&bytes).unwrap_or_default()
}

fn decode_cache(bytes: &[u8]) -> Option<HashMap<u64, String>> {
    let header = format!("{CACHE_VERSION}\n");
    let mut rest = bytes.strip_prefix(header.as_bytes())?;
    let mut map = HashMap::new();
    while !rest.is_empty() {
        let key = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
        let len = u32::from_le_bytes(rest.get(8..12)?.try_into().ok()?) as usize;
        let value = std::str::from_utf8(rest.get(12..12 + len)?)
            .ok()?
            .to_string();
        map.insert(key, value);
        rest = &rest[12 + len..];
    }
    Some(map)
}

/// Save the entries the build used (the right edge; failures only cost the next build time).
pub fn save_cache(root: &Path, entries: &HashMap<u64, String>) {
    let mut keys: Vec<&u64> = entries.keys().collect();
    keys.sort();
    let mut out = format!("{CACHE_VERSION}\n").into_bytes();
    for k in keys {
        let v = &entries[k];
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&(v.len() as u32).to_le_bytes());
        out.extend_from_slice(v.as_bytes());
    }
    let path = root.join(CACHE_FILE);
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = crate::write_whole::replace_kept(&path, &out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_round_trip() {
        let dir = std::env::temp_dir().join(format!("opsite-cache-{}", std::process::id()));
        let map = HashMap::from([
            (1u64, "<b>x</b>".to_string()),
            (u64::MAX, "日本語".to_string()),
        ]);
        save_cache(&dir, &map);
        assert_eq!(load_cache(&dir), map);
        let _ = fs::remove_dir_all(dir);
    }
}
