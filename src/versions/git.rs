//! A version's content as it is at a git ref, read with the `git` command (`ls-tree` and
//! `cat-file --batch`) without checking anything out: the working tree and the index are never
//! touched. A symbolic link in the tree is not followed (what it points at may be outside the
//! version, or outside the repository): each one is a warning naming `<ref>:<path>`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::content::source::{is_markdown, ContentSources, SourceFile};
use crate::error::{Code, Diagnostic, Location};

/// One file or folder of the tree, from `git ls-tree -r -t -z`.
#[derive(Debug, PartialEq, Eq)]
pub struct TreeEntry {
    pub kind: String,
    pub oid: String,
    /// Relative to the folder that was listed.
    pub path: String,
}

/// Parse `ls-tree -z` output (`<mode> SP <type> SP <oid> TAB <path> NUL`), keeping the part of
/// each path below `folder` (`content/docs/a.md` → `docs/a.md`).
pub fn parse_ls_tree(out: &[u8], folder: &str) -> Vec<TreeEntry> {
    let folder = folder.trim_matches('/');
    out.split(|&b| b == 0)
        .filter_map(|rec| {
            let rec = std::str::from_utf8(rec).ok()?;
            let (meta, path) = rec.split_once('\t')?;
            let mut parts = meta.split(' ');
            let mode = parts.next()?;
            let kind = parts.next()?;
            let oid = parts.next()?;
            // Submodules have no content to publish; links are kept to be reported.
            if kind == "commit" {
                return None;
            }
            let kind = if mode == "120000" { LINK } else { kind };
            let inside = if folder.is_empty() {
                path
            } else {
                path.strip_prefix(folder)?.strip_prefix('/')?
            };
            Some(TreeEntry {
                kind: kind.to_string(),
                oid: oid.to_string(),
                path: inside.to_string(),
            })
        })
        .collect()
}

/// The kind given to a symbolic link (a blob of mode 120000 holding its target).
pub const LINK: &str = "link";

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(root);
    c
}

/// The content below `folder` (relative to the site root) at `reference`.
pub fn load(
    root: &Path,
    reference: &str,
    folder: &str,
) -> Result<(ContentSources, Vec<Diagnostic>), String> {
    let prefix = git(root)
        .args(["rev-parse", "--show-prefix"])
        .stderr(Stdio::null())
        .output()
        .map_err(|e| {
            format!("cannot run git ({e}); install git or use `path:` for this version")
        })?;
    if !prefix.status.success() {
        return Err(format!(
            "{} is not inside a git repository; `git: {reference}` needs one",
            root.display()
        ));
    }
    let site_in_repo = String::from_utf8_lossy(&prefix.stdout).trim().to_string();
    let full = format!("{site_in_repo}{}", folder.trim_matches('/'));
    let commit = git(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{reference}^{{commit}}"))
        .output()
        .map_err(|e| e.to_string())?;
    if !commit.status.success() {
        return Err(format!(
            "git has no tag, branch or commit `{reference}` (see `git tag` and `git branch -a`)"
        ));
    }
    let commit = String::from_utf8_lossy(&commit.stdout).trim().to_string();
    let listed = git(root)
        .args(["ls-tree", "-r", "-t", "-z", "--full-tree", &commit, "--"])
        .arg(&full)
        .output()
        .map_err(|e| e.to_string())?;
    if !listed.status.success() {
        return Err(String::from_utf8_lossy(&listed.stderr).trim().to_string());
    }
    let entries = parse_ls_tree(&listed.stdout, &full);
    if entries.is_empty() {
        return Err(format!("`{full}` does not exist at `{reference}`"));
    }
    let blobs: Vec<&TreeEntry> = entries.iter().filter(|e| e.kind == "blob").collect();
    let bodies = cat_files(root, blobs.iter().map(|e| e.oid.as_str()))?;
    let mut sources = ContentSources {
        dir: PathBuf::from(format!("{reference}:{}", folder.trim_matches('/'))),
        ..Default::default()
    };
    let mut asset_bytes = HashMap::new();
    let mut warnings = Vec::new();
    for entry in &entries {
        let rel = PathBuf::from(&entry.path);
        if entry
            .path
            .split('/')
            .any(|s| s.starts_with('.') || s.ends_with('~'))
        {
            continue;
        }
        match entry.kind.as_str() {
            "tree" => sources.dirs.push(rel),
            LINK => warnings.push(Diagnostic::warning(Code::Content,
                Location::file(format!("{reference}:{}/{}", folder.trim_matches('/'), entry.path)),
                "a symbolic link is not followed in a `git:` version (it may point outside the version); not published: commit the file itself in its place",
            )),
            "blob" => {
                let bytes = bodies.get(&entry.oid).cloned().unwrap_or_default();
                if is_markdown(&rel) {
                    match String::from_utf8(bytes.to_vec()) {
                        Ok(text) => sources.files.push(SourceFile {
                            rel_path: rel,
                            text,
                        }),
                        Err(_) => {
                            return Err(format!(
                                "{reference}:{}/{} is not valid UTF-8",
                                folder.trim_matches('/'),
                                entry.path
                            ))
                        }
                    }
                } else {
                    sources.assets.push(rel.clone());
                    asset_bytes.insert(rel, bytes);
                }
            }
            _ => {}
        }
    }
    sources.dirs.sort();
    sources.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    sources.assets.sort();
    sources.asset_bytes = asset_bytes;
    Ok((sources, warnings))
}

/// The bytes of each blob, read through one `git cat-file --batch`.
fn cat_files<'a>(
    root: &Path,
    oids: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Arc<Vec<u8>>>, String> {
    let oids: Vec<&str> = oids.collect();
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git cat-file: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no input")?;
    let request: String = oids.iter().map(|o| format!("{o}\n")).collect();
    // Written from a thread: git answers while it reads, and both pipes have limited room.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(request.as_bytes());
    });
    let mut out = BufReader::new(child.stdout.take().ok_or("git cat-file: no output")?);
    let mut bodies = HashMap::new();
    for _ in &oids {
        let mut header = String::new();
        out.read_line(&mut header).map_err(|e| e.to_string())?;
        let mut parts = header.split_whitespace();
        let (Some(oid), Some(_kind), Some(size)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!(
                "git cat-file: unexpected answer `{}`",
                header.trim()
            ));
        };
        let size: usize = size
            .parse()
            .map_err(|_| "git cat-file: bad size".to_string())?;
        let mut body = vec![0u8; size + 1];
        out.read_exact(&mut body).map_err(|e| e.to_string())?;
        body.pop();
        bodies.insert(oid.to_string(), Arc::new(body));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ls_tree_records_below_the_folder() {
        let out = b"040000 tree aaa\tcontent/docs\0100644 blob bbb\tcontent/docs/a.md\0120000 blob ccc\tcontent/link\0160000 commit ddd\tcontent/sub\0100644 blob eee\tcontentious.md\0";
        let e = parse_ls_tree(out, "content");
        assert_eq!(
            e,
            vec![
                TreeEntry {
                    kind: "tree".into(),
                    oid: "aaa".into(),
                    path: "docs".into()
                },
                TreeEntry {
                    kind: "blob".into(),
                    oid: "bbb".into(),
                    path: "docs/a.md".into()
                },
                TreeEntry {
                    kind: LINK.into(),
                    oid: "ccc".into(),
                    path: "link".into()
                },
            ]
        );
    }
}
