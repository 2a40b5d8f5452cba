//! A build whose inputs are the last build's, byte for byte, writes what that build wrote: when
//! every input hashes as before, the clock has not reached a date that changes a page, and every
//! output folder is still what the last build left (its manifest), `opsite build` says what the
//! last build said and stops. The hash covers every file the build reads (content, templates and
//! theme, static files, the configuration, the exports, the escalation routes, frozen periods),
//! the options that change output and opsite's version. Sites with exports, escalation routes,
//! frozen periods or customer editions have pages that depend on the clock to the minute (who is
//! on call now, which periods are over): they are skipped only at the last build's clock exactly,
//! a fixed `--as-of`. Sites with versions or languages, and one edition alone (`--customer`),
//! always build.

use std::fs;
use std::path::Path;

use super::{BuildOptions, SiteSources};
use crate::error::Diagnostic;

/// Where the last build's record is kept.
const RECORD_FILE: &str = ".opsite/cache/last-build.json";

/// What the last build left to say when nothing changed since.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// opsite's version and the inputs' hash (`fingerprint`).
    pub fingerprint: String,
    /// The build's clock, and the first moment a page's dates change what is built.
    pub now: i64,
    pub horizon: Option<i64>,
    /// Whether only a build at `now` exactly may be skipped (`Reuse::AtSameClock`).
    pub exact_clock: bool,
    /// The problems it printed, and ` (3 warning(s))` or nothing.
    pub report: Vec<String>,
    pub warned: String,
    /// The internal site's folder, then each edition's, in the order written.
    pub folders: Vec<FolderRecord>,
}

/// One output folder of the last build.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FolderRecord {
    /// The folder, as `output_manifest::folder_key` names it.
    pub key: String,
    /// What it built (`12 pages, 3 sections`), and its file count.
    pub counts: String,
    pub files: usize,
    /// A customer edition's key (`edition_key`) when its build had nothing to say: a build
    /// with the same key keeps the folder as it is, if it still is as written.
    #[serde(default)]
    pub edition: Option<String>,
    /// The search shards its index is made of (`search::bundle::shard_key`), kept in the cache
    /// while the folder is.
    #[serde(default)]
    pub shards: Vec<String>,
}

/// When the last build of a site may stand for this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// Never: more than one version or language, or one edition alone.
    Never,
    /// Its pages depend on the clock to the minute: only a build at the same clock.
    AtSameClock,
    /// Its pages change only at dates they name (`Record::horizon`); its pages may also be
    /// kept one by one when others changed.
    UntilHorizon,
}

/// How this site's last build may be reused (see the module's comment).
/// Every source is named here: a new one does not compile until it is said whether it makes a
/// site's pages depend on the clock or on more than one folder (the rule is the type's, not a
/// list kept beside it).
pub fn reuse(sources: &SiteSources, opts: &BuildOptions) -> Reuse {
    let SiteSources {
        // Hashed by `fingerprint` (the files read, the configuration's text).
        root: _,
        config,
        content: _,
        theme: _,
        static_files: _,
        reader: _,
        config_text: _,
        git_dates: _,
        included: _,
        // Caches of earlier work: they change how fast, not what.
        highlight_cache: _,
        kept_bodies: _,
        parsed_templates: _,
        search_shards: _,
        previous_renders: _,
        edition_renders: _,
        // Hashed too, but the pages made from them depend on the clock.
        data,
        snapshots,
        escalation_file,
        // More than one set of pages in one folder.
        versions,
        older_versions,
    } = sources;
    if versions.len() > 1
        || !older_versions.is_empty()
        || config.languages.len() > 1
        || opts.edition.is_some()
    {
        return Reuse::Never;
    }
    let clock_bound = data.is_some()
        || escalation_file.is_some()
        || !config.escalation.is_null()
        || !snapshots.is_empty()
        || !config.customers.is_empty();
    match clock_bound {
        true => Reuse::AtSameClock,
        false => Reuse::UntilHorizon,
    }
}

/// Whether the last build's pages may be kept one by one where their inputs are the same: a
/// site of one version and language, all its editions built. The pages of a site that depends
/// on the clock are keyed on it and on its exports too (`clock_inputs`).
pub fn reusable(sources: &SiteSources, opts: &BuildOptions) -> bool {
    reuse(sources, opts) != Reuse::Never
}

/// What a page of a site whose pages depend on the clock (`Reuse::AtSameClock`) is rendered
/// from besides its context when a theme template calls a figure function (`reads_figures`:
/// `kpi()` reads the exports at the clock, which the page's context does not show): the clock,
/// the routes and frozen periods as read, and what its figures are computed from: a customer
/// edition's own (`ReportSet::inputs`, so another customer's rows change none of its keys),
/// else the exports as read. Nothing otherwise: what the clock and the exports change of a page
/// (its body's figures, a report's tables) is in its context, which its key holds.
pub fn clock_inputs(
    sources: &SiteSources,
    opts: &BuildOptions,
    figures: Option<&crate::reports::ReportSet>,
    reads_figures: bool,
) -> Vec<u8> {
    if !reads_figures || reuse(sources, opts) != Reuse::AtSameClock {
        return Vec::new();
    }
    let mut h = blake3::Hasher::new();
    crate::digest::hash_part(&mut h, &opts.now.timestamp().to_le_bytes());
    match (figures.and_then(|set| set.inputs.as_deref()), &sources.data) {
        (Some(own), _) => crate::digest::hash_part(&mut h, own.as_bytes()),
        // Each file with its rows and its SHA-256, what the loader counted and left out.
        (None, Some(Ok(loaded))) => {
            crate::digest::hash_debug(&mut h, &(&loaded.files, &loaded.rejected, &loaded.excluded));
            crate::digest::hash_debug(&mut h, &loaded.data.holiday_files);
        }
        (None, _) => {}
    }
    if let Some(Ok(routes)) = &sources.escalation_file {
        crate::digest::hash_part(&mut h, routes.as_bytes());
    }
    for (path, text) in &sources.snapshots {
        crate::digest::hash_part(&mut h, path.to_string_lossy().as_bytes());
        crate::digest::hash_part(&mut h, text.as_bytes());
    }
    h.finalize().as_bytes().to_vec()
}

/// A build's inputs hashed: all of them, and all but the exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Everything the build reads: what the record of the build that does nothing is keyed on.
    pub whole: String,
    /// Everything but the exports. A customer's edition reads the exports only through its own
    /// figures (`ReportSet::inputs`); with them, this decides whether its last build stands.
    pub without_exports: String,
}

/// The hash of everything a build of this site reads, or None when the site is of a kind that
/// always builds (see the module's comment), loading it found an error (a link out of the site
/// is left out of the sources, so the rest would hash as before), or a file cannot be read (the
/// build will say why). What loading warned about is part of the hash.
pub fn fingerprint(
    sources: &SiteSources,
    opts: &BuildOptions,
    load_diags: &[Diagnostic],
    verbose: bool,
) -> Option<Fingerprint> {
    if load_diags.iter().any(Diagnostic::is_error) || reuse(sources, opts) == Reuse::Never {
        return None;
    }
    let mut h = blake3::Hasher::new();
    let mut part = |bytes: &[u8]| crate::digest::hash_part(&mut h, bytes);
    part(b"opsite build inputs 1");
    part(env!("CARGO_PKG_VERSION").as_bytes());
    // A rebuilt opsite of the same version number may write other bytes, and must not be told
    // that nothing changed.
    part(&crate::digest::program_identity());
    // Every option is named: a new one does not compile until it is hashed or said not to matter.
    let BuildOptions {
        include_drafts,
        base_url,
        damage_is_error,
        freeze_due,
        search_index,
        // The clock is weighed by `matching`; older versions and editions never reuse a build.
        now: _,
        index_older_versions: _,
        edition: _,
    } = opts;
    let options = format!(
        "{} {:?} {} {} {} {} {:?} {:?}",
        include_drafts,
        base_url,
        damage_is_error,
        freeze_due,
        search_index,
        verbose,
        crate::search::bundle::shard_sizes(),
        std::env::var("OPSITE_FILE_SHARE_LIMIT_KB").ok(),
    );
    part(options.as_bytes());
    part(sources.config_text.as_bytes());
    // `lastmod: git`: the pages' dates are the commit's.
    if let Some(dates) = &sources.git_dates {
        part(dates.head.as_bytes());
    }
    // The configuration as read: a Hugo or MkDocs tree's own files (and MkDocs' `!ENV`
    // values) have no site.yaml text.
    part(format!("{:?}", sources.config).as_bytes());
    for d in load_diags {
        part(d.to_string().as_bytes());
    }
    let content = &sources.content;
    for f in &content.files {
        part(f.rel_path.to_string_lossy().as_bytes());
        part(f.text.as_bytes());
    }
    for d in &content.dirs {
        part(d.to_string_lossy().as_bytes());
    }
    // Included files, in a stable order (a map's own is not).
    let mut included: Vec<_> = sources.included.iter().collect();
    included.sort_by(|a, b| (a.0 .1.as_str(), a.0 .0 as u8).cmp(&(b.0 .1.as_str(), b.0 .0 as u8)));
    for ((_, path), text) in included {
        part(path.as_bytes());
        part(format!("{text:?}").as_bytes());
    }
    let folder = sources.root.join(content.shown_dir());
    for a in &content.assets {
        part(a.to_string_lossy().as_bytes());
        let bytes = sources.reader.file(folder.join(a)).read().ok()?;
        part(&bytes);
    }
    // Every part of the theme is named: a new one does not compile until it is hashed.
    let crate::render::theme::ThemeFiles {
        templates,
        static_files,
        words,
    } = &sources.theme;
    for t in templates {
        part(t.name.as_bytes());
        part(t.text.as_bytes());
    }
    for (path, src) in static_files {
        part(path.as_bytes());
        part(&src.bytes().ok()?);
    }
    // The words of the site's and the theme's `i18n/` (a map: in its order).
    part(format!("{words:?}").as_bytes());
    for (path, file) in &sources.static_files {
        part(path.as_bytes());
        part(&file.read().ok()?);
    }
    // The routes and the frozen periods.
    if let Some(routes) = &sources.escalation_file {
        part(routes.as_ref().ok()?.as_bytes());
    }
    for (path, text) in &sources.snapshots {
        part(path.to_string_lossy().as_bytes());
        part(text.as_bytes());
    }
    let without_exports = h.finalize().to_hex().to_string();
    // The exports as read (a file added to a source's folder is a new entry), and the holiday
    // files the calendars name, as read (they are read with the exports, not listed with them).
    if let Some(data) = &sources.data {
        let loaded = data.as_ref().ok()?;
        for f in &loaded.files {
            crate::digest::hash_part(&mut h, f.path.to_string_lossy().as_bytes());
            // Hashed, not published: the data folder is private to the site reader.
            crate::digest::hash_part(&mut h, &fs::read(sources.root.join(&f.path)).ok()?);
        }
        crate::digest::hash_debug(&mut h, &loaded.data.holiday_files);
    }
    Some(Fingerprint {
        whole: h.finalize().to_hex().to_string(),
        without_exports,
    })
}

/// The key of a customer edition's build: the site's inputs but the exports, the clock, the
/// folder it is written to, and what its figures are computed from (`ReportSet::inputs`).
pub fn edition_key(fingerprint: &Fingerprint, now: i64, folder: &str, figures: &str) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        b"opsite edition inputs 1".as_slice(),
        fingerprint.without_exports.as_bytes(),
        &now.to_le_bytes(),
        folder.as_bytes(),
        figures.as_bytes(),
    ] {
        crate::digest::hash_part(&mut h, part);
    }
    h.finalize().to_hex().to_string()
}

/// Whether the last build's `record` was made from these inputs, at a clock this build's clock
/// does not move past a page date from (or the same clock, when its pages depend on it), into
/// these output folders (`folder_key`s: the internal site's, then each edition's).
pub fn matching(record: &Record, fingerprint: &str, now: i64, folders: &[String]) -> bool {
    let same_clock = match record.exact_clock {
        true => now == record.now,
        false => now >= record.now && record.horizon.is_none_or(|h| now < h),
    };
    let same_folders = record.folders.iter().map(|f| &f.key).eq(folders.iter());
    record.fingerprint == fingerprint && same_clock && same_folders
}

/// The last build's record, whatever it was built from.
pub fn last(root: &Path) -> Option<Record> {
    let text = String::from_utf8(crate::walk::read_own_file(&root.join(RECORD_FILE))?).ok()?;
    serde_json::from_str(&text).ok()
}

/// Keep this build's record (or, with None, forget the last one: the next build runs whole).
pub fn save(root: &Path, record: Option<&Record>) {
    let path = root.join(RECORD_FILE);
    let Some(record) = record else {
        let _ = fs::remove_file(&path);
        return;
    };
    let Ok(text) = serde_json::to_string(record) else {
        return;
    };
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let _ = crate::write_whole::replace_kept(&path, text.as_bytes());
}
