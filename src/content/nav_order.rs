//! `nav:` applied to the pages: a page listed there gets its place as its weight and the nav's
//! title as its link title (its own front matter wins), and a folder named there, or holding
//! all the pages of a titled group, gets the group's title and place when it has no page of its
//! own. Pages not listed keep their usual order after the listed ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::nav::Nav;
use crate::error::{Code, Diagnostic, Location};

/// A place in the navigation: the position (1, 2 …) and the title, if the nav gives one.
pub type Place = (i64, Option<String>);

#[derive(Debug, Default)]
pub struct NavPlan {
    pages: HashMap<PathBuf, Place>,
    folders: HashMap<PathBuf, Place>,
}

impl NavPlan {
    /// `exists` says whether a page file the nav names is in the content (a missing one is
    /// warned about elsewhere, and names no folder's other pages).
    pub fn new(nav: &Nav, exists: &dyn Fn(&str) -> bool) -> NavPlan {
        let mut plan = NavPlan::default();
        for p in nav.places() {
            match p.file.strip_suffix('/') {
                Some(dir) => plan.folders.entry(PathBuf::from(dir)),
                None => plan.pages.entry(PathBuf::from(&p.file)),
            }
            .or_insert((p.position, p.title));
        }
        // A group titles the folder its pages share only when it holds every page the nav
        // lists in that folder: a nested group, or one holding a page from elsewhere, is no
        // name for the folder's other pages.
        let listed: Vec<String> = (nav.places().into_iter())
            .map(|p| p.file)
            .filter(|f| f.ends_with('/') || exists(f))
            .collect();
        for g in nav.groups() {
            let Some(dir) = common_folder(&g.files) else {
                continue;
            };
            let holds_all = (listed.iter())
                .filter(|f| Path::new(f.trim_end_matches('/')).starts_with(&dir))
                .all(|f| g.files.contains(f));
            if holds_all {
                plan.folders
                    .entry(dir)
                    .or_insert((g.position, Some(g.title)));
            }
        }
        plan
    }

    /// The place of a content file (`sop/daily.md`).
    pub fn page(&self, rel_path: &Path) -> Option<&Place> {
        self.pages.get(rel_path)
    }

    /// The place of a content file, and for a file standing for its folder (`sop/index.md`)
    /// the folder's: a group's title names the folder's page unless the nav titles the file.
    pub fn place(&self, rel_path: &Path, folder: Option<&Path>) -> Option<Place> {
        let own = self.page(rel_path);
        let of_folder = folder.and_then(|d| self.folder(d));
        let position = own.or(of_folder)?.0;
        let title = own
            .and_then(|p| p.1.clone())
            .or_else(|| of_folder.and_then(|f| f.1.clone()));
        Some((position, title))
    }

    /// The place of a folder (`sop`), for its section.
    pub fn folder(&self, dir: &Path) -> Option<&Place> {
        self.folders.get(dir)
    }

    /// A warning for each file or folder the nav names that the content does not have.
    pub fn missing(
        nav: &Nav,
        files: &[PathBuf],
        dirs: &[PathBuf],
        content_dir: &Path,
        config_file: &Path,
    ) -> Vec<Diagnostic> {
        let files: std::collections::HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        let dirs: std::collections::HashSet<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        nav.places()
            .into_iter()
            .filter(|p| match p.file.strip_suffix('/') {
                Some(dir) => !dirs.contains(Path::new(dir)),
                None => !files.contains(Path::new(&p.file)),
            })
            .map(|p| {
                Diagnostic::warning(
                    Code::Config,
                    Location::file(config_file),
                    format!(
                        "nav: `{}` is not in {}/; left out of the navigation's order",
                        p.file,
                        content_dir.display()
                    ),
                )
            })
            .collect()
    }
}

/// Previous and next along the pages `nav:` lists, in its order, as MkDocs links them (across
/// folders and groups); `page_of` finds a listed file's page. Pages it does not list keep their
/// section's.
pub fn link_in_nav_order(
    nav: &Nav,
    page_of: &dyn Fn(&str) -> Option<usize>,
    link: &mut dyn FnMut(usize, Option<usize>, Option<usize>),
) {
    let listed: Vec<usize> = (nav.places().into_iter())
        .filter(|p| !p.file.ends_with('/'))
        .filter_map(|p| page_of(&p.file))
        .collect();
    for (i, &id) in listed.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| listed[j]);
        link(id, prev, listed.get(i + 1).copied());
    }
}

/// The deepest folder holding every one of `files` (None for the content folder itself).
fn common_folder(files: &[String]) -> Option<PathBuf> {
    let mut dirs = files.iter().map(|f| {
        Path::new(f.trim_end_matches('/'))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    });
    let mut common = dirs.next()?;
    for d in dirs {
        while !d.starts_with(&common) {
            common = common.parent()?.to_path_buf();
        }
    }
    (!common.as_os_str().is_empty()).then_some(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_title_the_folder_their_pages_share() {
        let nav: Nav = serde_json::from_value(serde_json::json!([
            "index.md",
            {"ガイド": ["guide/a.md", {"詳細": ["guide/deep/b.md"]}]},
            {"混在": ["x.md", "other/c.md"]},
            {"Tools": "tools/"}
        ]))
        .unwrap();
        let plan = NavPlan::new(&nav, &|_| true);
        assert_eq!(plan.page(Path::new("guide/a.md")), Some(&(2, None)));
        assert_eq!(
            plan.folder(Path::new("guide")),
            Some(&(2, Some("ガイド".into())))
        );
        assert_eq!(
            plan.folder(Path::new("guide/deep")),
            Some(&(3, Some("詳細".into())))
        );
        assert_eq!(
            plan.folder(Path::new("tools")),
            Some(&(6, Some("Tools".into())))
        );
        assert_eq!(plan.folder(Path::new("")), None);
        // A nested group holding some of a folder's pages does not name the folder, nor does a
        // group holding a page from another folder.
        let nested: Nav = serde_json::from_value(serde_json::json!([
            {"Operator Manual": ["ops/index.md", {"High Availability": ["ops/ha.md", "ops/ha2.md"]}, "ops/backup.md", "other/x.md"]}
        ]))
        .unwrap();
        let plan = NavPlan::new(&nested, &|_| true);
        assert_eq!(plan.folder(Path::new("ops")), None);
        // The folder's own page listed without a title takes its group's.
        let listed: Nav = serde_json::from_value(serde_json::json!([
            {"手順": ["sop/index.md", "sop/a.md"]}
        ]))
        .unwrap();
        let plan = NavPlan::new(&listed, &|_| true);
        assert_eq!(
            plan.place(Path::new("sop/index.md"), Some(Path::new("sop"))),
            Some((1, Some("手順".into())))
        );
        assert_eq!(plan.place(Path::new("sop/a.md"), None), Some((2, None)));
        let missing = NavPlan::missing(
            &nav,
            &["index.md".into(), "guide/a.md".into()],
            &["guide".into()],
            Path::new("docs"),
            Path::new("mkdocs.yml"),
        );
        let named: Vec<String> = missing.iter().map(|d| d.message.clone()).collect();
        assert_eq!(named.len(), 4, "{named:?}");
        assert!(
            named[0].starts_with("nav: `guide/deep/b.md` is not in docs/"),
            "{named:?}"
        );
    }
}
