//! `lastmod: git`: each file's last commit (date and author), read with one `git log` over the
//! site's folder, as Hugo's `enableGitInfo` does, without checking anything out. The answer
//! depends only on the commit checked out, so it is kept per commit in
//! `.opsite/cache/git-dates.tsv` and read back while `HEAD` is the same.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Path (relative to the site root, `/`-separated) → (commit date as RFC 3339, author).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitDates {
    /// The commit they were read at: part of what a build's output depends on.
    pub head: String,
    pub files: HashMap<PathBuf, (String, String)>,
    /// What the reader should know (a shallow clone's dates).
    pub note: Option<String>,
}

const CACHE_FILE: &str = ".opsite/cache/git-dates.tsv";

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(root).stderr(Stdio::null());
    c
}

/// The dates of the files under `root` at `HEAD`, from the cache when it was written for the
/// same commit (the cache is then rewritten); a message when git cannot tell.
pub fn load(root: &Path) -> Result<GitDates, String> {
    let mut c = git(root);
    c.args(["rev-parse", "--verify", "HEAD"])
        .stderr(Stdio::piped());
    let head = c.output().map_err(|e| {
        format!("lastmod: git: cannot run git ({e}); install git or remove `lastmod: git`")
    })?;
    if !head.status.success() {
        // git's own first line says why (no repository, no commit, another user's repository).
        let why = String::from_utf8_lossy(&head.stderr);
        let why = (why.lines().find(|l| !l.trim().is_empty())).unwrap_or("no commit");
        return Err(format!(
            "lastmod: git: git cannot read this folder's history ({}); pages keep their front matter's lastmod",
            why.trim()
        ));
    }
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let shallow = git(root)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"true"));
    let note = shallow.then(|| {
        "lastmod: git: this is a shallow clone: a file its commits did not change gets the oldest one's date; fetch the history (git fetch --unshallow, or fetch-depth: 0 in CI)".to_string()
    });
    let cache = root.join(CACHE_FILE);
    if let Some(mut dates) = (crate::walk::read_own_file(&cache)
        .and_then(|b| String::from_utf8(b).ok()))
    .and_then(|text| from_cache(&text, &head))
    {
        dates.note = note;
        return Ok(dates);
    }
    let log = git(root)
        .args([
            "log",
            "--format=%x1e%aI%x1f%an",
            "--name-only",
            "-z",
            "--relative",
            "HEAD",
            "--",
            ".",
        ])
        .output()
        .map_err(|e| format!("lastmod: git: {e}"))?;
    if !log.status.success() {
        return Err(
            "lastmod: git: `git log` failed; pages keep their front matter's lastmod".into(),
        );
    }
    let mut dates = parse_log(&String::from_utf8_lossy(&log.stdout));
    dates.head = head.clone();
    // A cache that cannot be written is only a slower next build.
    if let Some(folder) = cache.parent() {
        let _ = std::fs::create_dir_all(folder).and_then(|_| {
            crate::write_whole::replace_kept(&cache, to_cache(&dates, &head).as_bytes())
        });
    }
    dates.note = note;
    Ok(dates)
}

/// `git log --format=%x1e%aI%x1f%an --name-only -z`, newest first (`\x1e<date>\x1f<author>\0`,
/// then a newline and the commit's file names, each ended by `\0`): each file takes the first
/// commit that names it. Control characters are taken out of authors' names.
pub fn parse_log(text: &str) -> GitDates {
    let mut files = HashMap::new();
    for record in text.split('\x1e').filter(|r| !r.trim().is_empty()) {
        let mut parts = record.split('\0');
        let Some((date, author)) = parts.next().and_then(|l| l.split_once('\x1f')) else {
            continue;
        };
        let author: String = author.chars().filter(|c| !c.is_control()).collect();
        for name in parts
            .map(|p| p.strip_prefix('\n').unwrap_or(p))
            .filter(|p| !p.is_empty())
        {
            files
                .entry(PathBuf::from(name))
                .or_insert_with(|| (date.trim().to_string(), author.clone()));
        }
    }
    GitDates {
        files,
        ..Default::default()
    }
}

/// One line per file: `path TAB date TAB author` (a path with a tab or a newline is left out:
/// its date is read from git each time the commit changes).
fn to_cache(dates: &GitDates, head: &str) -> String {
    let mut rows: Vec<String> = (dates.files.iter())
        .map(|(p, (d, a))| (p.to_string_lossy(), d, a))
        .filter(|(p, _, _)| !p.contains(['\t', '\n', '\r']))
        .map(|(p, d, a)| format!("{p}\t{d}\t{a}"))
        .collect();
    rows.sort();
    format!("{head}\n{}\n", rows.join("\n"))
}

fn from_cache(text: &str, head: &str) -> Option<GitDates> {
    let mut lines = text.lines();
    if lines.next()? != head {
        return None;
    }
    let mut files = HashMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let mut parts = line.splitn(3, '\t');
        let (path, date, author) = (parts.next()?, parts.next()?, parts.next()?);
        let author: String = author.chars().filter(|c| !c.is_control()).collect();
        files.insert(PathBuf::from(path), (date.to_string(), author));
    }
    Some(GitDates {
        head: head.to_string(),
        files,
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_naming_a_file_wins() {
        let log = "\x1e2026-11-20T10:00:00+09:00\x1f山田 太郎\x1b\0\ncontent/sop/a.md\0content/手順/b \"c\".md\0\x1e2026-11-01T09:00:00+09:00\x1fSato\0\ncontent/sop/a.md\0content/c.md\0";
        let mut d = parse_log(log);
        assert_eq!(
            d.files[Path::new("content/sop/a.md")],
            (
                "2026-11-20T10:00:00+09:00".to_string(),
                "山田 太郎".to_string()
            )
        );
        assert_eq!(d.files[Path::new("content/手順/b \"c\".md")].1, "山田 太郎");
        assert_eq!(d.files[Path::new("content/c.md")].1, "Sato");
        d.head = "abc".into();
        let text = to_cache(&d, "abc");
        assert_eq!(from_cache(&text, "abc"), Some(d));
        assert_eq!(from_cache(&text, "def"), None);
    }
}
