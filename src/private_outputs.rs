//! What opsite writes for people rather than for the site (customers' PDFs, mails, workbooks)
//! when it is written inside the site folder: each folder `pdf` and `email` write into gets a
//! mark file, and each single file (`kpi --output all.xlsx`, `pdf section --output x.pdf`) is
//! listed under `.opsite/`. The site reader refuses a link into a marked folder or to a listed
//! file, so a page bundle holding `r.pdf -> ../../exports/nankai/monthly.pdf` cannot publish one
//! customer's report in another customer's edition.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The mark in a folder of documents opsite wrote for people (never published).
pub const MARK: &str = ".opsite-private";

/// The list of single files opsite wrote for people inside the site, one path a line,
/// relative to the site folder.
pub const LIST: &str = ".opsite/private-files";

const MARK_TEXT: &str = "opsite wrote documents for people into this folder (PDFs, mails, workbooks).\nNo page of the site may link to anything in it; opsite refuses such a link.\n";

/// `dir` with each link resolved, when it is inside `root` (both as given).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real_root = root.canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    real.strip_prefix(&real_root).ok().map(Path::to_path_buf)
}

/// Marks `dir` (already created) as holding documents for people, when it is inside the site:
/// a folder outside the site cannot be linked to from it, so it is left as it is.
pub fn mark_folder(root: &Path, dir: &Path) -> std::io::Result<()> {
    // `mail/` and `pdf/` are private by their names already.
    let Some(rel) = inside(root, dir) else {
        return Ok(());
    };
    if rel.starts_with("mail") || rel.starts_with("pdf") {
        return Ok(());
    }
    let mark = dir.join(MARK);
    if std::fs::symlink_metadata(&mark).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    std::fs::write(mark, MARK_TEXT)
}

/// Lists `file` (already written) as a document for people, when it is inside the site.
pub fn record_file(root: &Path, file: &Path) -> std::io::Result<()> {
    let Some(rel) = inside(root, file) else {
        return Ok(());
    };
    let mut listed = listed(root);
    if !listed.insert(rel) {
        return Ok(());
    }
    let list = root.join(LIST);
    if let Some(dir) = list.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text: String = listed
        .iter()
        .filter_map(|p| p.to_str())
        .map(|p| format!("{p}\n"))
        .collect();
    crate::write_whole::write_whole(&list, text.as_bytes())
}

/// The files listed as documents for people, relative to the site folder.
pub fn listed(root: &Path) -> BTreeSet<PathBuf> {
    let list = root.join(LIST);
    // Never through a link, and never a named pipe: only a plain file is read.
    if !std::fs::symlink_metadata(&list).is_ok_and(|m| m.is_file()) {
        return BTreeSet::new();
    }
    std::fs::read_to_string(list)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_inside_the_site_are_marked_and_files_listed_once() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let dir = root.join("exports/nankai");
        std::fs::create_dir_all(&dir).unwrap();
        mark_folder(root, &dir).unwrap();
        assert!(dir.join(MARK).is_file());
        let file = root.join("all.xlsx");
        std::fs::write(&file, "x").unwrap();
        record_file(root, &file).unwrap();
        record_file(root, &file).unwrap();
        assert_eq!(
            listed(root).into_iter().collect::<Vec<_>>(),
            vec![PathBuf::from("all.xlsx")]
        );
    }

    #[test]
    fn nothing_is_written_for_places_outside_the_site() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        mark_folder(site.path(), elsewhere.path()).unwrap();
        assert!(!elsewhere.path().join(MARK).exists());
        let file = elsewhere.path().join("k.xlsx");
        std::fs::write(&file, "x").unwrap();
        record_file(site.path(), &file).unwrap();
        assert!(!site.path().join(LIST).exists());
    }
}
