//! Reading `content/` from disk: the Markdown files (as text), the folders (sections) and the other
//! files (bundle resources). The only I/O of the content stage.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Code, Diagnostic, Error, Location};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to `content/`, `/`-separated.
    pub rel_path: PathBuf,
    pub text: String,
}

/// What `content/` holds, in a stable (sorted) order.
#[derive(Debug, Default, Clone)]
pub struct ContentSources {
    /// The folder relative to the site root (`content`, `versions/v1/content`), or for a git
    /// version `<ref>:<path>`; empty means `content`.
    pub dir: PathBuf,
    /// The bytes of the other files when they were not read from a folder (a git version).
    pub asset_bytes: std::collections::HashMap<PathBuf, std::sync::Arc<Vec<u8>>>,
    pub files: Vec<SourceFile>,
    /// Every folder, relative to `content/` (the root itself excluded).
    pub dirs: Vec<PathBuf>,
    /// Files that are not Markdown, relative to `content/`.
    pub assets: Vec<PathBuf>,
    /// Files whose name in the folder is not their path here: a bilingual site's `page.en.md`
    /// is English's `page.md`. Path here → name in the folder, for messages.
    pub shown_names: std::collections::BTreeMap<PathBuf, PathBuf>,
}

impl ContentSources {
    /// The file's name in the folder (`page.en.md` for English's `page.md`).
    pub fn shown_name<'a>(&'a self, rel: &'a Path) -> &'a Path {
        self.shown_names.get(rel).map_or(rel, PathBuf::as_path)
    }

    /// Without the files in `folder` (relative to the content folder): a version's own content
    /// kept inside the latest's (`content/docs/1.12.1/` given its `versions:` entry) is that
    /// version's pages, not the latest's too.
    pub fn without_folder(mut self, folder: &Path) -> ContentSources {
        let outside = |p: &Path| !p.starts_with(folder);
        self.files.retain(|f| outside(&f.rel_path));
        self.dirs.retain(|d| outside(d));
        self.assets.retain(|a| outside(a));
        self.asset_bytes.retain(|a, _| outside(a));
        self.shown_names.retain(|a, _| outside(a));
        self
    }

    /// Sibling folders named as versions (`1.12.1`, `v0.18`), two or more in one folder and no
    /// version of `versions:` reading them: each parent with its version folders' names.
    pub fn version_like_folders(&self) -> Vec<(PathBuf, Vec<String>)> {
        let mut by_parent: std::collections::BTreeMap<PathBuf, Vec<String>> = Default::default();
        for d in &self.dirs {
            let Some(name) = d.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if looks_like_version(name) {
                let parent = d.parent().map(Path::to_path_buf).unwrap_or_default();
                by_parent.entry(parent).or_default().push(name.to_string());
            }
        }
        by_parent
            .into_iter()
            .filter(|(_, names)| names.len() >= 2)
            .collect()
    }

    /// The folder as errors show it.
    pub fn shown_dir(&self) -> &Path {
        if self.dir.as_os_str().is_empty() {
            Path::new("content")
        } else {
            &self.dir
        }
    }
}

/// A folder name that is a version: `1.12.1`, `v0.18`, `v2`, `2.x` (digits and dots after an
/// optional `v`, with at least a dot or the `v`).
pub fn looks_like_version(name: &str) -> bool {
    let (v, rest) = match name.strip_prefix(['v', 'V']) {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let rest = rest.strip_suffix(".x").unwrap_or(rest);
    !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !rest.contains("..")
        && !rest.ends_with('.')
        && (v || rest.contains('.') || name.ends_with(".x"))
}

/// A Markdown file by its extension, in any case (`.md`, `.markdown`, `.MD`).
pub fn is_markdown(path: &Path) -> bool {
    (path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// An HTML file of `content/` that starts with front matter (`---`, `+++`): a page whose body is
/// its HTML, as Hugo reads one (`content/_index.html` is the home page's content). One without
/// is a file published as it is.
pub fn is_html_page_file(path: &Path) -> bool {
    let html = (path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if !html {
        return false;
    }
    let mut start = [0u8; 7];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut start))
        .unwrap_or(0);
    let start = &start[..n];
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    start.starts_with(b"---\n") || start.starts_with(b"---\r\n") || start.starts_with(b"+++")
}

/// A page whose body is HTML (`is_html_page_file` chose it), by its name.
pub fn is_html_page(rel_path: &Path) -> bool {
    (rel_path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~')
}

/// Walk `content_dir`; unreadable or non-UTF-8 files and links leading out of the site become
/// diagnostics, not a stop.
pub fn load(
    content_dir: &Path,
    reader: &crate::walk::SiteReader,
) -> Result<(ContentSources, Vec<Diagnostic>), Error> {
    let site_root = reader.root();
    let mut sources = ContentSources {
        dir: content_dir
            .strip_prefix(site_root)
            .unwrap_or(content_dir)
            .to_path_buf(),
        ..Default::default()
    };
    let mut markdown = Vec::new();
    if !content_dir.is_dir() {
        return Ok((sources, Vec::new()));
    }
    let (walked, mut diagnostics) =
        crate::walk::walk(content_dir, reader, is_hidden, Code::Content);
    for entry in walked {
        let rel = entry.rel;
        if entry.is_dir {
            sources.dirs.push(rel);
        } else if is_markdown(&rel) || is_html_page_file(&content_dir.join(&rel)) {
            markdown.push(rel);
        } else {
            sources.assets.push(rel);
        }
    }
    let rel_content = content_dir
        .strip_prefix(site_root)
        .unwrap_or(content_dir)
        .to_path_buf();
    // Looked up once a folder for every file read here, and dropped with this read.
    let marks = crate::walk::FolderMarks::default();
    let read: Vec<Result<SourceFile, Diagnostic>> = markdown
        .par_iter()
        .map(|rel| {
            let path = content_dir.join(rel);
            let shown = rel_content.join(rel);
            let text = reader
                .read_text_with(&path, Some(&marks))
                .map_err(|(line, message)| match line {
                    Some(line) => {
                        Diagnostic::error(Code::Content, Location::at(&shown, line, None), message)
                    }
                    None => Diagnostic::error(Code::Content, Location::file(&shown), message),
                })?;
            Ok(SourceFile {
                rel_path: rel.clone(),
                text,
            })
        })
        .collect();
    for r in read {
        match r {
            Ok(f) => sources.files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    Ok((sources, diagnostics))
}

/// The files the pages' include marks name (`markdown.includes`), read from inside the site by
/// its rules: each mark's path, tried in its extension's folders in order.
pub fn read_included(
    sources: &ContentSources,
    config: &crate::config::IncludesConfig,
    reader: &crate::walk::SiteReader,
) -> crate::markdown::includes::IncludedFiles {
    use crate::markdown::includes::{candidates, marks};
    let mut out = crate::markdown::includes::IncludedFiles::new();
    if !config.any() {
        return out;
    }
    for file in &sources.files {
        for mark in marks(&file.text, config) {
            for path in mark.paths {
                let key = (mark.kind, path);
                if out.contains_key(&key) {
                    continue;
                }
                let mut found = None;
                for c in candidates(key.0, &key.1, config) {
                    let at = reader.root().join(&c);
                    if !at.is_file() {
                        continue;
                    }
                    found = Some(included_text(reader, &at, &c));
                    break;
                }
                if let Some(f) = found {
                    out.insert(key, f);
                }
            }
        }
    }
    out
}

/// One included file's text, or why it is not read: a hidden file or folder (as the pages'
/// walk skips them), or one report's or customer's own text (commentary, a home text), which
/// is published only where it is: an include would put it in another audience's page.
fn included_text(
    reader: &crate::walk::SiteReader,
    at: &Path,
    shown: &str,
) -> Result<String, crate::markdown::includes::Refusal> {
    use crate::markdown::includes::Refusal;
    if shown.split('/').any(|part| part.starts_with('.')) {
        let why = format!(
            "{shown} is hidden (a name starting with `.`), and hidden files are never read"
        );
        return Err(Refusal { why, error: false });
    }
    if let Some(own) = reader.own_place_of(at) {
        let why = format!(
            "{shown} is in {}, one report's or one customer's own text, published only where it is",
            own.display()
        );
        return Err(Refusal { why, error: true });
    }
    let text = (reader.read_text(at)).map_err(|(_, why)| Refusal {
        why: format!("{shown} {why}"),
        error: false,
    })?;
    Ok(crate::content::page::RawPage::clean_text(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_are_told_from_other_folder_names() {
        for yes in ["1.12.1", "v0.18", "v2", "2.x", "V1.0"] {
            assert!(looks_like_version(yes), "{yes}");
        }
        for no in ["2024", "v", "docs", "1.", "1..2", "v1-beta", "12"] {
            assert!(!looks_like_version(no), "{no}");
        }
    }
}
