//! Walking the site's folders (`content/`, `static/`, themes, templates) without leaving the
//! site. Everything found is published, so a symbolic link that points outside the site folder
//! (a merge request adding `content/key -> ~/.ssh/id_rsa`) is an error naming the link, and is
//! neither read nor copied; links that stay inside the site are followed, except links into the
//! site's private places (`.git/`, `.opsite/`, `data/`, output folders, `site.yaml`), which would
//! publish exports, credentials or the previous output.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Location};

/// A file or folder below the walked folder.
#[derive(Debug, Clone)]
pub struct Walked {
    /// Relative to the walked folder.
    pub rel: PathBuf,
    /// The path to read (through links that stay inside the site).
    pub path: PathBuf,
    pub is_dir: bool,
}

/// Walk `dir` (sorted by name), skipping entries whose name `skip` says to. Links leading out of
/// `site_root`, broken links and unreadable folders are diagnostics naming the path as seen from
/// the site root.
pub fn walk(
    dir: &Path,
    site_root: &Path,
    skip: impl Fn(&str) -> bool,
) -> (Vec<Walked>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return (found, diags);
    }
    let shown = |p: &Path| p.strip_prefix(site_root).unwrap_or(p).to_path_buf();
    let Ok(root) = site_root.canonicalize() else {
        return (found, diags);
    };
    if let Some(problem) = leaves(dir, &root) {
        diags.push(Diagnostic::error(Location::file(shown(dir)), problem));
        return (found, diags);
    }
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if skip(&e.file_name().to_string_lossy()) {
                return false;
            }
            if e.path_is_symlink() {
                if let Some(problem) = leaves(e.path(), &root) {
                    outside.borrow_mut().push((e.path().to_path_buf(), problem));
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(e) if e.depth() == 0 => {}
            Ok(e) => found.push(Walked {
                rel: e.path().strip_prefix(dir).expect("below dir").to_path_buf(),
                path: e.path().to_path_buf(),
                is_dir: e.file_type().is_dir(),
            }),
            Err(e) => {
                let at = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop: the link leads back to a folder above it".to_string()
                } else if e.io_error().and_then(|io| io.raw_os_error()) == Some(40) {
                    "symbolic link loop: the links lead back to each other".to_string()
                } else if let Some(target) = link_target(&at) {
                    broken_link(&target)
                } else {
                    match e.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => "cannot read".to_string(),
                    }
                };
                diags.push(Diagnostic::error(Location::file(shown(&at)), message));
            }
        }
    }
    for (path, problem) in outside.into_inner() {
        diags.push(Diagnostic::error(Location::file(shown(&path)), problem));
    }
    (found, diags)
}

/// Why reading `path` would leave the site (`root` is canonical) or publish one of its private
/// places, if it would.
fn leaves(path: &Path, root: &Path) -> Option<String> {
    match path.canonicalize() {
        Ok(target) if target.starts_with(root) => private_place(&target, root).map(|place| {
            format!(
                "symbolic link leads to {place}, which is never published (.git/, .opsite/, data/, output folders and site.yaml stay private)"
            )
        }),
        Ok(target) => Some(format!(
            "symbolic link leads outside the site folder (to {}); only links that stay inside the site are followed",
            target.display()
        )),
        // ELOOP: links that lead to each other in a circle.
        Err(e) if e.raw_os_error() == Some(40) => {
            Some("symbolic link loop: the links lead back to each other".to_string())
        }
        Err(e) => Some(match link_target(path) {
            Some(target) => broken_link(&target),
            None => format!("cannot follow the symbolic link: {e}"),
        }),
    }
}

/// Where a symbolic link points, if `path` is one.
fn link_target(path: &Path) -> Option<PathBuf> {
    path.symlink_metadata()
        .ok()
        .filter(|m| m.file_type().is_symlink())
        .and_then(|_| std::fs::read_link(path).ok())
}

fn broken_link(target: &Path) -> String {
    format!(
        "broken symbolic link: it points to {}, which does not exist",
        target.display()
    )
}

/// The private place of the site that `target` (canonical, inside `root`) is in, as shown to the
/// user.
fn private_place(target: &Path, root: &Path) -> Option<String> {
    let rel = target.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let shown = rel.display().to_string();
    if rel == Path::new("site.yaml")
        || first.starts_with('.')
        || first == "data"
        || first == "output"
    {
        return Some(shown);
    }
    // An output folder given with --output inside the site carries opsite's mark.
    let mut at = Some(target);
    while let Some(dir) = at.filter(|d| d.starts_with(root) && *d != root) {
        if dir.join(crate::site::output_dir::MARK_FILE).is_file() {
            return Some(format!("{shown} (an opsite output folder)"));
        }
        at = dir.parent();
    }
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_and_links_out_are_errors() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("id_rsa"), "secret").unwrap();
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        std::fs::create_dir_all(content.join("real")).unwrap();
        std::fs::write(content.join("real/a.md"), "# A").unwrap();
        symlink(content.join("real"), content.join("alias")).unwrap();
        symlink(outside.path().join("id_rsa"), content.join("key.txt")).unwrap();
        symlink(outside.path(), content.join("outdir")).unwrap();
        let (found, diags) = walk(&content, site.path(), |_| false);
        let rels: Vec<String> = found.iter().map(|w| w.rel.display().to_string()).collect();
        assert_eq!(rels, vec!["alias", "alias/a.md", "real", "real/a.md"]);
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("content/key.txt: error: symbolic link leads outside"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("content/outdir: error: symbolic link leads outside"),
            "{msgs:?}"
        );
    }

    #[test]
    fn links_into_private_places_of_the_site_are_errors() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for dir in [".git", "data", "output", "static", "docs", "mine"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join(".git/config"), "token").unwrap();
        std::fs::write(root.join("data/tickets.csv"), "id").unwrap();
        std::fs::write(root.join("site.yaml"), "").unwrap();
        std::fs::write(root.join("docs/a.md"), "# A").unwrap();
        std::fs::write(
            root.join("mine").join(crate::site::output_dir::MARK_FILE),
            "",
        )
        .unwrap();
        let st = root.join("static");
        symlink("../.git/config", st.join("gitconfig.txt")).unwrap();
        symlink("../data/tickets.csv", st.join("tickets.csv")).unwrap();
        symlink("../site.yaml", st.join("site.yaml")).unwrap();
        symlink("../output", st.join("out")).unwrap();
        symlink("../mine", st.join("mine")).unwrap();
        symlink("../docs", st.join("docs")).unwrap();
        let (found, diags) = walk(&st, root, |_| false);
        let rels: Vec<String> = found.iter().map(|w| w.rel.display().to_string()).collect();
        assert_eq!(
            rels,
            vec!["docs", "docs/a.md"],
            "a link to an ordinary folder is followed"
        );
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("static/gitconfig.txt: error: symbolic link leads to .git/config, which is never published")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.starts_with(
                "static/mine: error: symbolic link leads to mine (an opsite output folder)"
            )),
            "{msgs:?}"
        );
    }
}
