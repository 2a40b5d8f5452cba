//! A build whose inputs are the last build's, byte for byte, writes what that build wrote: when
//! every input hashes as before, the clock has not reached a date that changes a page, and the
//! output folder is still what the last build left (its manifest), `opsite build` says what the
//! last build said and stops. The hash covers every file the build reads (content, templates and
//! theme, static files, the configuration), the options that change output and opsite's version. Sites
//! with exports (`data:`), escalation routes, frozen periods, versions, languages or customer
//! editions always build: their pages depend on the clock to the minute (who is on call now) or on
//! more than one output folder.

use std::fs;
use std::path::Path;

use super::{BuildOptions, SiteSources};
use crate::error::Diagnostic;

/// Where the last build's record is kept.
const RECORD_FILE: &str = ".opsite/cache/last-build.json";

/// What the last build of the internal site left to say when nothing changed since.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// opsite's version and the inputs' hash (`fingerprint`).
    pub fingerprint: String,
    /// The build's clock, and the first moment a page's dates change what is built.
    pub now: i64,
    pub horizon: Option<i64>,
    /// The output folder, as `output_manifest::folder_key` names it.
    pub out_dir: String,
    /// The problems it printed, what it built (`12 pages, 3 sections`), its file count, and
    /// ` (3 warning(s))` or nothing.
    pub report: Vec<String>,
    pub counts: String,
    pub files: usize,
    pub warned: String,
}

/// A site whose earlier build may be reused (skipped whole, or its pages kept): one output
/// folder, one version, one language, no exports (see the module's comment).
/// Every source is named here: a new one does not compile until it is said whether it makes a
/// site's pages depend on the clock or on more than one folder (the rule is the type's, not a
/// list kept beside it).
pub fn reusable(sources: &SiteSources, opts: &BuildOptions) -> bool {
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
        // Caches of earlier work: they change how fast, not what.
        highlight_cache: _,
        search_shards: _,
        previous_renders: _,
        // Clock-dependent or more than one output folder: such a site always builds.
        data,
        snapshots,
        versions,
        older_versions,
        escalation_file,
    } = sources;
    data.is_none()
        && escalation_file.is_none()
        && config.escalation.is_null()
        && snapshots.is_empty()
        && versions.len() <= 1
        && older_versions.is_empty()
        && config.languages.len() <= 1
        && config.customers.is_empty()
        && opts.edition.is_none()
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
) -> Option<String> {
    if load_diags.iter().any(Diagnostic::is_error) || !reusable(sources, opts) {
        return None;
    }
    let mut h = blake3::Hasher::new();
    let mut part = |bytes: &[u8]| crate::digest::hash_part(&mut h, bytes);
    part(b"opsite build inputs 1");
    part(env!("CARGO_PKG_VERSION").as_bytes());
    // Every option is named: a new one does not compile until it is hashed or said not to matter.
    let BuildOptions {
        include_drafts,
        base_url,
        links_are_errors,
        freeze_due,
        search_index,
        // The clock is weighed by `horizon`; older versions and editions never reuse a build.
        now: _,
        index_older_versions: _,
        edition: _,
    } = opts;
    let options = format!(
        "{} {:?} {} {} {} {} {:?} {:?}",
        include_drafts,
        base_url,
        links_are_errors,
        freeze_due,
        search_index,
        verbose,
        std::env::var("OPSITE_SEARCH_SHARD_PAGES").ok(),
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
    let folder = sources.root.join(content.shown_dir());
    for a in &content.assets {
        part(a.to_string_lossy().as_bytes());
        let bytes = sources.reader.file(folder.join(a)).read().ok()?;
        part(&bytes);
    }
    for t in &sources.theme.templates {
        part(t.name.as_bytes());
        part(t.text.as_bytes());
    }
    for (path, src) in &sources.theme.static_files {
        part(path.as_bytes());
        part(&src.bytes().ok()?);
    }
    for (path, file) in &sources.static_files {
        part(path.as_bytes());
        part(&file.read().ok()?);
    }
    Some(h.finalize().to_hex().to_string())
}

/// The last build's record, when it was made from these inputs, at a clock this build's clock
/// does not move past a page date from, into this output folder.
pub fn matching(root: &Path, fingerprint: &str, now: i64, out_dir: &str) -> Option<Record> {
    let text = String::from_utf8(crate::walk::read_own_file(&root.join(RECORD_FILE))?).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    let same_clock = now >= record.now && record.horizon.is_none_or(|h| now < h);
    (record.fingerprint == fingerprint && same_clock && record.out_dir == out_dir).then_some(record)
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
    let _ = crate::write_whole::write_whole(&path, text.as_bytes());
}
