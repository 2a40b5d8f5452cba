//! What opsite writes for people rather than for the site (customers' PDFs, mails, workbooks)
//! when it is written inside the site folder is marked where it lies, so the mark travels with
//! it (a cleared cache or a fresh checkout keeps it): each folder `pdf` and `email` write into
//! gets `.opsite-private`, and each single file (`kpi --output all.xlsx`, `pdf section --output
//! x.pdf`) a mark beside it, `.all.xlsx.opsite-private`. The site reader refuses a link into a
//! marked folder or to a marked file, so a page bundle holding
//! `r.pdf -> ../../exports/nankai/monthly.pdf` cannot publish one customer's report in another
//! customer's edition.

use std::path::{Path, PathBuf};

/// The mark in a folder of documents opsite wrote for people (never published).
pub const MARK: &str = ".opsite-private";

/// What a mark file says, for whoever finds one.
const MARK_TEXT: &str = "opsite wrote documents for people here (PDFs, mails, workbooks).\nNo page of the site may link to them; opsite refuses such a link.\n";

/// `path` relative to `root`, with each link resolved, when it is inside the site.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real_root = root.canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    real.strip_prefix(&real_root).ok().map(Path::to_path_buf)
}

/// The mark beside a single file: `.<name>.opsite-private` in its folder.
pub fn file_mark(file: &Path) -> Option<PathBuf> {
    let name = file.file_name()?;
    let mut mark = std::ffi::OsString::from(".");
    mark.push(name);
    mark.push(MARK);
    Some(file.with_file_name(mark))
}

/// Writes a mark whole, replacing whatever has its name (a link planted there is replaced, never
/// written through).
fn write_mark(mark: &Path) -> std::io::Result<()> {
    crate::write_whole::write_whole(mark, MARK_TEXT.as_bytes())
}

/// Marks `dir` (already created) as holding documents for people, when it is inside the site:
/// a folder outside the site cannot be linked to from it, so it is left as it is; `mail/` and
/// `pdf/` are private by their names already.
pub fn mark_folder(root: &Path, dir: &Path) -> std::io::Result<()> {
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
    write_mark(&mark)
}

/// Marks `file` (already written) as a document for people, when it is inside the site.
pub fn mark_file(root: &Path, file: &Path) -> std::io::Result<()> {
    if inside(root, file).is_none() {
        return Ok(());
    }
    match file_mark(file) {
        Some(mark) if !std::fs::symlink_metadata(&mark).is_ok_and(|m| m.is_file()) => {
            write_mark(&mark)
        }
        _ => Ok(()),
    }
}

/// Whether `target` (a real path: links resolved) is a marked file or lies in a marked folder
/// below `root` (real too): the place to name, when it is.
pub fn marked(target: &Path, root: &Path) -> Option<&'static str> {
    file_marked(target).or_else(|| folder_marked(target, root))
}

fn is_mark(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Whether `target` is a file marked as a document for people: the place to name, when it is.
pub fn file_marked(target: &Path) -> Option<&'static str> {
    file_mark(target)
        .is_some_and(|m| is_mark(&m))
        .then_some("a document opsite wrote for people")
}

/// Whether `dir` or a folder above it, below `root`, is marked as a folder of documents for
/// people: the place to name, when it is.
pub fn folder_marked(dir: &Path, root: &Path) -> Option<&'static str> {
    let mut at = Some(dir);
    while let Some(dir) = at.filter(|d| d.starts_with(root) && *d != root) {
        if is_mark(&dir.join(MARK)) {
            return Some("a folder of documents opsite wrote for people");
        }
        at = dir.parent();
    }
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn folders_and_files_inside_the_site_are_marked_where_they_lie() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().canonicalize().unwrap();
        let dir = root.join("exports/nankai");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("m.pdf"), "%PDF-").unwrap();
        mark_folder(&root, &root.join("exports")).unwrap();
        assert!(marked(&dir.join("m.pdf"), &root).is_some());
        let file = root.join("all\nnew.xlsx");
        std::fs::write(&file, "x").unwrap();
        mark_file(&root, &file).unwrap();
        assert!(root.join(".all\nnew.xlsx.opsite-private").is_file());
        assert!(marked(&file, &root).is_some());
        assert!(marked(&root.join("other.xlsx"), &root).is_none());
    }

    #[test]
    fn a_link_at_the_marks_name_is_replaced_not_written_through() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let victim = elsewhere.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let dir = site.path().join("exports");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(&victim, dir.join(MARK)).unwrap();
        // The link names a file: taken for a mark? No: a mark is a plain file.
        mark_folder(site.path(), &dir).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(dir.join(MARK)).unwrap().is_file());
    }

    #[test]
    fn nothing_is_written_for_places_outside_the_site() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        mark_folder(site.path(), elsewhere.path()).unwrap();
        assert!(!elsewhere.path().join(MARK).exists());
        let file = elsewhere.path().join("k.xlsx");
        std::fs::write(&file, "x").unwrap();
        mark_file(site.path(), &file).unwrap();
        assert!(!elsewhere.path().join(".k.xlsx.opsite-private").exists());
    }
}
