//! Which folder a build may replace. A build swaps its whole output folder, so pointing
//! `--output` at the wrong place would delete a user's files: opsite only replaces the site's own
//! `output/`, a folder that does not exist or is empty, or one that carries its mark (written into
//! every output). Some folders are never replaced, whatever `--force` says.

use crate::layout::SiteFolder;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The mark written into every output folder: it tells a later build that opsite owns it.
pub use crate::layout::MARK_FILE;
pub const MARK_TEXT: &str =
    "This folder is written by `opsite build` and replaced as a whole on every build.\n";

/// The line after which the mark lists every file the build wrote.
const MANIFEST_HEADER: &str = "Files it wrote:";

/// The line that says whose output the folder holds: one customer's edition must never replace
/// another's, nor the internal site an edition (or the other way round).
const HOLDS: &str = "Holds: ";

/// Whose output a folder is for: the internal site, or one customer edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Site,
    /// An edition's slug and its customer's name: a slug given to another customer does not
    /// make that customer's edition the owner of the folder.
    Edition {
        slug: String,
        customer: String,
    },
}

impl Owner {
    fn word(&self) -> String {
        match self {
            Owner::Site => "site".into(),
            Owner::Edition { slug, customer } => format!("edition {slug} {customer}"),
        }
    }

    /// Whether a folder marked for `self` may take `wanted`'s output: the same site, or the same
    /// edition of the same customer (a mark that names no customer: the same slug).
    fn takes(&self, wanted: &Owner) -> bool {
        match (self, wanted) {
            (Owner::Site, Owner::Site) => true,
            (
                Owner::Edition { slug, customer },
                Owner::Edition {
                    slug: s,
                    customer: c,
                },
            ) => slug == s && (customer.is_empty() || customer == c),
            _ => false,
        }
    }

    fn read(word: &str) -> Owner {
        match word.strip_prefix("edition ") {
            Some(rest) => {
                let (slug, customer) = rest.split_once(' ').unwrap_or((rest, ""));
                Owner::Edition {
                    slug: slug.to_string(),
                    customer: customer.to_string(),
                }
            }
            None => Owner::Site,
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Site => f.write_str("the internal site"),
            Owner::Edition { slug, customer } => {
                write!(f, "customer edition `{slug}`")?;
                if !customer.is_empty() {
                    write!(f, " ({customer})")?;
                }
                Ok(())
            }
        }
    }
}

/// Whose output the folder's mark says it holds (None: no mark, or one written before editions).
pub fn mark_owner(out_dir: &Path) -> Option<Owner> {
    let mark = std::fs::read_to_string(out_dir.join(MARK_FILE)).ok()?;
    let head = mark.split(MANIFEST_HEADER).next().unwrap_or("");
    head.lines()
        .find_map(|l| l.strip_prefix(HOLDS))
        .map(|w| Owner::read(w.trim()))
}

/// The mark's text: whose output it is, and the files written (sorted, one per line).
pub fn mark_text<'a>(owner: &Owner, paths: impl Iterator<Item = &'a str>) -> String {
    let mut paths: Vec<&str> = paths.collect();
    paths.sort_unstable();
    let mut out = format!("{MARK_TEXT}{HOLDS}{}\n{MANIFEST_HEADER}\n", owner.word());
    for p in paths {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// The files the folder's mark lists as written by its last build (None: no mark, or a mark
/// without the list, written by an older opsite).
pub fn mark_list(out_dir: &Path) -> Option<Vec<String>> {
    let mark = std::fs::read_to_string(out_dir.join(MARK_FILE)).ok()?;
    let (_, list) = mark.split_once(&format!("{MANIFEST_HEADER}\n"))?;
    Some(list.lines().map(str::to_string).collect())
}

/// Files in an output folder that its last build did not write (a user's notes copied in): a build
/// would delete them, so it stops unless `--force` says to. Empty when the folder has no mark, or
/// a mark without the list (written by an older opsite).
pub fn foreign_files(out_dir: &Path) -> Vec<String> {
    let found = scan(out_dir);
    // A running process's copy is not opsite's to remove either.
    let in_use = found.in_use.into_iter().map(|(file, _)| file);
    found.foreign.into_iter().chain(in_use).collect()
}

/// What one walk of an opsite output folder finds besides the files its mark lists.
#[derive(Default)]
struct Scan {
    /// Files the last build did not write (`foreign_files`).
    foreign: Vec<String>,
    /// Half-written files of an interrupted write (`write_whole`'s temporary names).
    interrupted: Vec<PathBuf>,
    /// Files a running process is writing (its pid): another run at work in the folder.
    in_use: Vec<(String, u32)>,
}

/// One walk of a marked output folder (none when it has no mark, or a mark without the list).
fn scan(out_dir: &Path) -> Scan {
    let Some(list) = mark_list(out_dir) else {
        return Scan::default();
    };
    let written: std::collections::HashSet<&str> = list.iter().map(String::as_str).collect();
    let mut found = Scan::default();
    for entry in walkdir::WalkDir::new(out_dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(out_dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == MARK_FILE || written.contains(rel.as_str()) {
            continue;
        }
        // A live process's copy is another run writing here: not ours to remove, even with
        // --force.
        let name = entry.file_name().to_string_lossy().into_owned();
        let file = entry.file_type().is_file();
        match crate::write_whole::running_writer(&name) {
            _ if file && crate::write_whole::is_dead_copy(&name) => {
                found.interrupted.push(entry.into_path())
            }
            Some(pid) if file => found.in_use.push((rel, pid)),
            _ => found.foreign.push(rel),
        }
    }
    found
}

/// Edition folders under `base` that opsite wrote for a slug `customers:` no longer has (a
/// customer renamed or gone), with the files in each that opsite did not write.
pub fn stale_editions(
    base: &Path,
    slugs: &[&str],
) -> Vec<(PathBuf, (String, String), Vec<String>)> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut stale: Vec<(PathBuf, (String, String), Vec<String>)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| match mark_owner(&e.path()) {
            Some(Owner::Edition { slug, customer }) if !slugs.contains(&slug.as_str()) => {
                let foreign = foreign_files(&e.path());
                Some((e.path(), (slug, customer), foreign))
            }
            _ => None,
        })
        .collect();
    stale.sort();
    stale
}

/// Why a folder cannot be used as the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Never, even with `--force`.
    Protected {
        dir: PathBuf,
        why: String,
    },
    /// Holds files opsite did not write; `--force` replaces it.
    NotOurs {
        dir: PathBuf,
        example: String,
    },
    NotAFolder {
        dir: PathBuf,
    },
    /// An output folder holding files its last build did not write.
    AddedFiles {
        dir: PathBuf,
        files: Vec<String>,
    },
    /// An output folder holding another edition's output, or the internal site's.
    OtherOwner {
        dir: PathBuf,
        holds: Owner,
        wanted: Owner,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Protected { dir, why } => write!(
                f,
                "refusing to write the output into {}: {why}; choose another --output folder",
                dir.display()
            ),
            Refusal::NotOurs { dir, example } => write!(
                f,
                "refusing to replace {}: it holds files opsite did not write (such as {example}): \
                 it has no {MARK_FILE}, the list opsite leaves in every folder it writes; \
                 choose an empty or new folder, or pass --force to replace it and delete what it holds",
                dir.display()
            ),
            Refusal::AddedFiles { dir, files } => {
                let shown: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
                let more = match files.len().saturating_sub(5) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                write!(
                    f,
                    "refusing to replace {}: {} file(s) in it were not written by opsite ({}{more}), and a build replaces the whole folder; move them out, or pass --force to delete them",
                    dir.display(),
                    files.len(),
                    shown.join(", ")
                )
            }
            Refusal::OtherOwner { dir, holds, wanted } => write!(
                f,
                "refusing to replace {} with {wanted}: it holds {holds}; choose another folder, \
                 or pass --force to replace it",
                dir.display()
            ),
            Refusal::NotAFolder { dir } => write!(
                f,
                "refusing to write the output to {}: it exists and is not a folder",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// The site an output folder is chosen for: its folder (as given, and resolved) and the folders
/// of its pages, read from site.yaml once for every folder a build chooses.
pub struct SiteFolders {
    root: PathBuf,
    real: PathBuf,
    /// The content folder (another in a MkDocs tree) and versions' own (`versions[].path`).
    page_folders: Vec<String>,
}

impl SiteFolders {
    pub fn read(root: &Path) -> SiteFolders {
        let real = resolve(root);
        let page_folders = crate::config::SiteConfig::load(&real)
            .map_or_else(|_| Vec::new(), |(c, _)| c.page_folders());
        SiteFolders {
            root: root.to_path_buf(),
            real,
            page_folders,
        }
    }
}

/// A folder a build may replace, and what killed runs left half-written in it.
pub struct Chosen {
    pub dir: PathBuf,
    /// Regular files named as `write_whole::temp_beside` names them, by processes that no
    /// longer run: removed once the build has succeeded (`remove_left_copies`), so a build that
    /// fails or is refused deletes nothing.
    pub left_copies: Vec<PathBuf>,
}

/// Remove the copies killed runs left (`Chosen::left_copies`), once a build has succeeded.
pub fn remove_left_copies(copies: &[PathBuf]) {
    for copy in copies {
        let _ = std::fs::remove_file(copy);
    }
}

/// Decide whether the build may replace `requested` (`None`: the site's own `output/`).
pub fn choose(
    site: &SiteFolders,
    requested: Option<&Path>,
    force: bool,
    owner: &Owner,
) -> Result<Chosen, Refusal> {
    let chosen = choose_folder(site, requested, force)?;
    // The internal site names every customer: never written where a customer's edition is,
    // whence a deploy of `editions/*` would publish it at that customer's address.
    if let (Owner::Site, Some(holds @ Owner::Edition { .. })) = (owner, mark_owner(&chosen)) {
        let why = format!(
            "it holds {holds}, and the internal site names every customer, even with --force (remove the folder yourself if it is no longer that edition)"
        );
        return Err(Refusal::Protected { dir: chosen, why });
    }
    if !force {
        if let Some(holds) = mark_owner(&chosen).filter(|h| !h.takes(owner)) {
            return Err(Refusal::OtherOwner {
                dir: chosen,
                holds,
                wanted: owner.clone(),
            });
        }
    }
    let found = scan(&chosen);
    if let Some((file, pid)) = found.in_use.first() {
        let why = format!("{file} is being written by a running process ({pid}), another run writing into this folder: let it end first (--force does not delete it)");
        return Err(Refusal::Protected { dir: chosen, why });
    }
    if !force && !found.foreign.is_empty() {
        let files = found.foreign;
        return Err(Refusal::AddedFiles { dir: chosen, files });
    }
    Ok(Chosen {
        dir: chosen,
        left_copies: found.interrupted,
    })
}

fn choose_folder(
    site: &SiteFolders,
    requested: Option<&Path>,
    force: bool,
) -> Result<PathBuf, Refusal> {
    let root = &site.root;
    let default = root.join(SiteFolder::Output.name());
    let Some(requested) = requested else {
        linked_output_is_ours(site, &default, force)?;
        let is_link = std::fs::symlink_metadata(&default).is_ok_and(|m| m.file_type().is_symlink());
        if default.exists() && !default.is_dir() && !is_link {
            return Err(Refusal::NotAFolder { dir: default });
        }
        // A Hugo or MkDocs tree (no site.yaml) never had opsite's promise that its output/ is
        // opsite's: an output/ opsite did not write there is someone's.
        let foreign = !root.join(crate::config::CONFIG_FILE).is_file();
        if foreign && !force && default.is_dir() && !default.join(MARK_FILE).is_file() {
            if let Some(example) = first_entry(&default) {
                return Err(Refusal::NotOurs {
                    dir: default,
                    example,
                });
            }
        }
        return Ok(default);
    };
    let target = resolve(requested);
    let shown = requested.to_path_buf();
    if target == site.real.join(SiteFolder::Output.name()) {
        linked_output_is_ours(site, &site.real.join(SiteFolder::Output.name()), force)?;
        return Ok(requested.to_path_buf());
    }
    if let Some(why) = protected_reason(site, &target) {
        return Err(Refusal::Protected { dir: shown, why });
    }
    if target.exists() && !target.is_dir() {
        return Err(Refusal::NotAFolder { dir: shown });
    }
    if !force && target.is_dir() && !target.join(MARK_FILE).is_file() {
        if let Some(example) = first_entry(&target) {
            return Err(Refusal::NotOurs {
                dir: shown,
                example,
            });
        }
    }
    Ok(requested.to_path_buf())
}

/// The site's `output/` is always opsite's, unless it is a link: then the folder it leads to
/// is held to the rules of any `--output` folder: never a protected one (the site, a folder
/// containing it, a repository…, even with `--force`), and empty or carrying the mark (without
/// `--force`), or its files would be replaced.
fn linked_output_is_ours(site: &SiteFolders, output: &Path, force: bool) -> Result<(), Refusal> {
    let linked = std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    let target = resolve(output);
    if let Some(why) = protected_reason(site, &target).filter(|_| linked) {
        return Err(Refusal::Protected {
            dir: output.to_path_buf(),
            why,
        });
    }
    if force || !linked || !target.is_dir() || target.join(MARK_FILE).is_file() {
        return Ok(());
    }
    match first_entry(&target) {
        Some(example) => Err(Refusal::NotOurs {
            dir: output.to_path_buf(),
            example,
        }),
        None => Ok(()),
    }
}

/// Why a (resolved, absolute) folder must never be an output, if it must not.
pub fn protected_reason(folders: &SiteFolders, target: &Path) -> Option<String> {
    let site = folders.real.as_path();
    if target == site {
        return Some("it is the site's own folder".into());
    }
    if site.starts_with(target) {
        return Some("it contains the site".into());
    }
    // The content folder may be another (`docs/` of a MkDocs tree, Hugo's `contentDir`).
    // And the folders of older versions' pages (`versions[].path`).
    let written = &folders.page_folders;
    // Folders that hold sources: an output inside them would overwrite what people wrote.
    let mut sources: Vec<&str> = (SiteFolder::ALL.into_iter())
        .filter(|f| f.holds_sources())
        .map(SiteFolder::name)
        .collect();
    sources.extend(written.iter().map(String::as_str));
    for dir in sources {
        if target.starts_with(site.join(dir)) {
            return Some(format!("it is inside the site's {dir}/ folder"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        if target == resolve(Path::new(&home)) {
            return Some("it is the home folder".into());
        }
    }
    if target.starts_with(site.join(SiteFolder::Output.name()))
        && target != site.join(SiteFolder::Output.name())
    {
        return Some("it is inside the site's output/ folder, which each build replaces".into());
    }
    // Inside another output (an edition's folder): it would be published with that one.
    if let Some(outer) = target
        .ancestors()
        .skip(1)
        .find(|a| a.join(MARK_FILE).is_file())
    {
        let holds = mark_owner(outer).map_or_else(String::new, |o| format!(", which holds {o}"));
        return Some(format!(
            "it is inside {}{holds}, and would be published with it",
            outer.display()
        ));
    }
    // Another site or a repository: --force must never be able to wipe one.
    if target.join(".git").exists() {
        return Some("it holds a .git folder (a repository)".into());
    }
    if target.join(crate::config::CONFIG_FILE).is_file() && !target.join(MARK_FILE).is_file() {
        return Some("it holds a site.yaml (another site)".into());
    }
    if let Some(kind) = crate::config::foreign::detect(target) {
        return Some(format!(
            "it holds a {} configuration (another site)",
            kind.name()
        ));
    }
    // Inside a folder of another site (`../portal/data`, a Hugo tree's `content/`, an MkDocs
    // tree's `docs/`, its `editions/`): that site's sources or its own outputs.
    let other = target.ancestors().skip(1).find(|a| {
        *a != site
            && ((a.join(crate::config::CONFIG_FILE).is_file() && !a.join(MARK_FILE).is_file())
                || crate::config::foreign::detect(a).is_some())
    });
    if let Some(other) = other {
        let first = target
            .strip_prefix(other)
            .ok()
            .and_then(|r| r.iter().next());
        let first = first
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        // `docs/` is an MkDocs tree's pages; in an opsite site it may be a site of its own.
        let foreign_pages = first == "docs" && !other.join(crate::config::CONFIG_FILE).is_file();
        if SiteFolder::named(&first).is_some() || foreign_pages {
            return Some(format!(
                "it is inside {first}/, a folder of the site at {}",
                other.display()
            ));
        }
    }
    None
}

fn first_entry(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.into_iter().next()
}

/// An absolute path with `.` and `..` taken out and the symbolic links of its existing part
/// resolved, so two spellings of one folder compare equal.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let lexical = normalise(&absolute);
    // Resolve the longest existing ancestor, then add the rest back.
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
}

/// `/a/./b/../c` → `/a/c`, without touching the disk.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_folders() {
        let site = SiteFolders {
            root: PathBuf::from("/srv/portal"),
            real: PathBuf::from("/srv/portal"),
            page_folders: vec!["content".into()],
        };
        let p = |t: &str| protected_reason(&site, Path::new(t));
        assert!(p("/srv/portal").is_some());
        assert!(p("/srv").is_some());
        assert!(p("/").is_some());
        assert!(p("/srv/portal/content").is_some());
        assert!(p("/srv/portal/content/sop").is_some());
        assert!(p("/srv/portal/.git/x").is_some());
        assert!(p("/srv/portal/templates").is_some());
        assert_eq!(p("/srv/portal/public"), None);
        assert_eq!(p("/srv/portal-output"), None);
        assert_eq!(p("/tmp/out"), None);
    }

    #[test]
    fn normalise_removes_dots() {
        assert_eq!(normalise(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalise(Path::new("/../x")), PathBuf::from("/x"));
    }
}
