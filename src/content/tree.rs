//! What each folder and Markdown file of `content/` is, by the rules of the tools the trees were
//! written for (Hugo for sections and bundles; MkDocs, GitLab and GitHub for folder pages):
//!
//! - a folder is a **section** when it is `content/` itself, a folder at the top of `content/`
//!   with Markdown in it, or any folder holding an `_index.md`;
//! - a folder holding an `index.md` and no other Markdown (nor any below it) is a **leaf bundle**:
//!   the page, with every other file in it as its resources;
//! - otherwise, in a folder without `_index.md`, an `index.md` (else a `README.md`) is the
//!   folder's **page**: the section's own page when the folder is a section, else a page at the
//!   folder's URL; `content/index.md` or `content/README.md` is the home page;
//! - any other folder only groups files: its pages belong to the nearest section above it.
//!
//! Pure: works on relative paths, so tests pass lists of names.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a Markdown file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Stands for the section in its folder (`_index.md`, or the folder page of a section folder).
    SectionPage,
    /// `index.md` of a leaf bundle.
    BundlePage,
    /// The folder page of a folder that is not a section: a page at the folder's URL.
    FolderPage,
    /// Any other page.
    Page,
}

/// The classified tree.
#[derive(Debug, Clone, Default)]
pub struct ContentTree {
    /// Section folders, sorted; `""` (the home section) first.
    pub sections: Vec<PathBuf>,
    /// Leaf-bundle folders.
    pub bundles: HashSet<PathBuf>,
    /// Markdown file → its role.
    pub roles: HashMap<PathBuf, Role>,
}

pub fn is_section_index(name: &str) -> bool {
    matches!(name, "_index.md" | "_index.markdown" | "_index.html")
}

fn is_index(name: &str) -> bool {
    matches!(name, "index.md" | "index.markdown" | "index.html")
}

fn is_readme(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "readme.md" | "readme.markdown"
    )
}

fn parent(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

impl ContentTree {
    /// Classify `markdown` files (paths relative to `content/`).
    pub fn classify<'a>(markdown: impl IntoIterator<Item = &'a Path>) -> ContentTree {
        let mut in_dir: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
        for p in markdown {
            in_dir.entry(parent(p)).or_default().push(p.to_path_buf());
        }
        // Folders with Markdown strictly below them (in a subfolder, at any depth).
        let mut with_markdown_below: HashSet<PathBuf> = HashSet::new();
        for dir in in_dir.keys() {
            let mut d = dir.clone();
            while d.pop() {
                with_markdown_below.insert(d.clone());
            }
        }
        let has = |dir: &Path, pred: fn(&str) -> bool| {
            in_dir
                .get(dir)
                .and_then(|files| files.iter().find(|f| pred(name(f))))
                .cloned()
        };

        let bundles: HashSet<PathBuf> = in_dir
            .iter()
            .filter(|(dir, files)| {
                !dir.as_os_str().is_empty()
                    && files.len() == 1
                    && is_index(name(&files[0]))
                    && !with_markdown_below.contains(*dir)
            })
            .map(|(dir, _)| dir.clone())
            .collect();

        let mut sections: BTreeSet<PathBuf> = BTreeSet::from([PathBuf::new()]);
        for dir in in_dir.keys().chain(with_markdown_below.iter()) {
            if bundles.contains(dir) {
                continue;
            }
            let top_level = dir.components().count() == 1;
            if top_level || has(dir, is_section_index).is_some() {
                sections.insert(dir.clone());
            }
        }

        let mut roles = HashMap::with_capacity(in_dir.values().map(Vec::len).sum());
        for (dir, files) in &in_dir {
            if bundles.contains(dir) {
                roles.insert(files[0].clone(), Role::BundlePage);
                continue;
            }
            let section_index = has(dir, is_section_index);
            let folder_page = if section_index.is_some() {
                None
            } else {
                has(dir, is_index).or_else(|| has(dir, is_readme))
            };
            let is_section = sections.contains(dir);
            for f in files {
                let role = if Some(f) == section_index.as_ref() {
                    Role::SectionPage
                } else if Some(f) == folder_page.as_ref() {
                    if is_section {
                        Role::SectionPage
                    } else {
                        Role::FolderPage
                    }
                } else if is_section_index(name(f)) {
                    // A second `_index.markdown` beside `_index.md`: kept as a page.
                    Role::Page
                } else {
                    Role::Page
                };
                roles.insert(f.clone(), role);
            }
        }
        ContentTree {
            sections: sections.into_iter().collect(),
            bundles,
            roles,
        }
    }

    /// The leaf bundle `path` (a file or folder) lies in, if any.
    pub fn bundle_of(&self, path: &Path) -> Option<&PathBuf> {
        path.ancestors().skip(1).find_map(|a| self.bundles.get(a))
    }

    /// The nearest section folder at or above `dir`.
    pub fn section_dir_of(&self, dir: &Path) -> PathBuf {
        let mut d = dir.to_path_buf();
        loop {
            if self.sections.binary_search(&d).is_ok() {
                return d;
            }
            if !d.pop() {
                return PathBuf::new();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> ContentTree {
        let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
        ContentTree::classify(paths.iter().map(PathBuf::as_path))
    }

    fn role(t: &ContentTree, f: &str) -> Role {
        t.roles[Path::new(f)]
    }

    #[test]
    fn sections_are_top_level_folders_and_folders_with_an_index() {
        let t = tree(&[
            "docs/_index.md",
            "docs/autoscaling.md",
            "docs/autoscaling/tuning.md",
            "docs/tasks/_index.md",
            "docs/tasks/a.md",
            "blog/x.md",
        ]);
        let s: Vec<String> = t.sections.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(s, vec!["", "blog", "docs", "docs/tasks"]);
        assert_eq!(
            t.section_dir_of(Path::new("docs/autoscaling")),
            PathBuf::from("docs")
        );
        assert_eq!(role(&t, "docs/autoscaling.md"), Role::Page);
        assert_eq!(role(&t, "docs/autoscaling/tuning.md"), Role::Page);
    }

    #[test]
    fn leaf_bundles_folder_pages_and_readmes() {
        let t = tree(&[
            "blog/first-post/index.md",
            "guides/index.md",
            "guides/setup.md",
            "guides/deep/more.md",
            "runbooks/README.md",
            "runbooks/db/README.md",
            "runbooks/db/failover.md",
            "runbooks/db/both/index.md",
            "runbooks/db/both/README.md",
            "runbooks/db/both/x.md",
        ]);
        assert!(t.bundles.contains(Path::new("blog/first-post")));
        assert_eq!(role(&t, "blog/first-post/index.md"), Role::BundlePage);
        // A top-level folder is a section; its index.md or README.md stands for it.
        assert_eq!(role(&t, "guides/index.md"), Role::SectionPage);
        assert_eq!(role(&t, "runbooks/README.md"), Role::SectionPage);
        // Below the top, a folder page is a page at the folder's URL.
        assert_eq!(role(&t, "runbooks/db/README.md"), Role::FolderPage);
        assert_eq!(role(&t, "runbooks/db/failover.md"), Role::Page);
        // index.md wins over README.md.
        assert_eq!(role(&t, "runbooks/db/both/index.md"), Role::FolderPage);
        assert_eq!(role(&t, "runbooks/db/both/README.md"), Role::Page);
        assert!(!t.sections.iter().any(|s| s == Path::new("runbooks/db")));
    }

    #[test]
    fn the_home_page_can_be_index_or_readme() {
        let t = tree(&["index.md", "sop/a.md"]);
        assert_eq!(role(&t, "index.md"), Role::SectionPage);
        let t = tree(&["README.md", "a.md"]);
        assert_eq!(role(&t, "README.md"), Role::SectionPage);
        let t = tree(&["_index.md", "index.md"]);
        assert_eq!(role(&t, "_index.md"), Role::SectionPage);
        assert_eq!(role(&t, "index.md"), Role::Page);
    }

    #[test]
    fn folders_without_markdown_are_not_sections() {
        let t = tree(&["sop/a.md"]);
        assert_eq!(t.sections, vec![PathBuf::new(), PathBuf::from("sop")]);
    }
}
