//! `versions:` and `check:` in site.yaml. Versions: which versions of the documentation the site
//! publishes and where each one's content comes from (the site's own `content/`, a folder, or a
//! git ref). Check: what `opsite check --external` leaves alone and how long it waits.

use crate::layout::{Holds, SiteFolder};
use serde::Deserialize;

/// One entry of `versions:`, as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct VersionConfig {
    /// Shown in the switcher and used in the address (`/v/<name>/`).
    pub name: String,
    /// Served at the site root. Without any `latest: true`, the first listed is the latest.
    pub latest: bool,
    /// A folder relative to the site root holding the version's content; inside `git:`, a folder
    /// inside the ref (default `content`).
    pub path: Option<String>,
    /// A git ref (tag, branch, commit) whose tree holds the version's content.
    pub git: Option<String>,
    /// Where an older version is served (`/docs/1.12.1/`), for a tree whose versions were
    /// folders of its content and keep their addresses; default `/v/<name>/`.
    pub url: Option<String>,
}

/// Where a version's Markdown comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// The site's own `content/`.
    Content,
    /// A folder relative to the site root.
    Folder(String),
    /// `path` (relative to the repository root) as it is at a git ref.
    Git { reference: String, path: String },
}

/// A checked version: its name, source and where it is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub name: String,
    pub source: VersionSource,
    /// `""` for the latest (the site root), `/v/<name>` for the others.
    pub prefix: String,
    /// Its place in `versions:` as written (0-based), to locate problems.
    pub entry: usize,
}

impl VersionConfig {
    pub fn source(&self) -> VersionSource {
        match (&self.git, &self.path) {
            (Some(r), p) => VersionSource::Git {
                reference: r.clone(),
                path: p.clone().unwrap_or_else(|| "content".into()),
            },
            (None, Some(p)) => VersionSource::Folder(p.clone()),
            (None, None) => VersionSource::Content,
        }
    }
}

/// The versions in the order the site shows them, the latest first; or the message for the
/// entry at fault (its index in the list).
pub fn checked(list: &[VersionConfig]) -> Result<Vec<Version>, (usize, String)> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let name = v.name.trim();
        if name.is_empty() {
            return Err((i, "versions: every version needs a `name`".into()));
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_');
        if name == "." || name == ".." || !name.chars().all(allowed) {
            return Err((
                i,
                format!("versions: `{name}` cannot be part of an address; use letters, digits, `.`, `-` or `_`"),
            ));
        }
        if seen.contains(&name) {
            return Err((i, format!("versions: `{name}` is listed twice")));
        }
        seen.push(name);
        if let Some(p) = &v.path {
            if p.trim().is_empty()
                || std::path::Path::new(p).is_absolute()
                || p.split(['/', '\\']).any(|s| s == "..")
            {
                return Err((
                    i,
                    format!("versions: `path: {p}` must be a folder inside the site (relative, without `..`)"),
                ));
            }
            let mut segments = p
                .trim()
                .split(['/', '\\'])
                .filter(|s| !s.is_empty() && *s != ".");
            let Some(first) = segments.next() else {
                return Err((
                    i,
                    format!("versions: `path: {p}` is the site's own folder, not a version's content; give the folder holding that version's pages (`versions/{name}/content`)"),
                ));
            };
            let elsewhere = SiteFolder::named(first)
                .is_some_and(|f| !matches!(f.holds(), Holds::Pages | Holds::VersionPages));
            if v.git.is_none() && elsewhere {
                return Err((
                    i,
                    format!("versions: `path: {p}` is inside {first}/, which is not content; keep a version's content in its own folder (`versions/{name}/content`)"),
                ));
            }
        }
        if let Some(j) = (0..i).find(|&j| list[j].source() == v.source()) {
            return Err((
                i,
                format!(
                    "versions: `{name}` reads the same content as `{}` ({}); give it its own `path:` or `git:`",
                    list[j].name.trim(),
                    match v.source() {
                        VersionSource::Content => "the site's content/".to_string(),
                        VersionSource::Folder(p) => p,
                        VersionSource::Git { reference, path } => format!("{reference}:{path}"),
                    }
                ),
            ));
        }
        if let Some(url) = &v.url {
            let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
            let fine = url.starts_with('/')
                && !segments.is_empty()
                && segments.iter().all(|s| {
                    *s != "."
                        && *s != ".."
                        && s.chars()
                            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
                });
            if !fine {
                return Err((i, format!("versions: `url: {url}` must be an address from the site root of letters, digits, `.`, `-` or `_` (`/docs/{name}/`)")));
            }
        }
        if v.git
            .as_deref()
            .is_some_and(|g| g.trim().is_empty() || g.starts_with('-'))
        {
            return Err((i, "versions: `git:` needs a tag, branch or commit".into()));
        }
    }
    let marked: Vec<usize> = (0..list.len()).filter(|&i| list[i].latest).collect();
    if marked.len() > 1 {
        return Err((
            marked[1],
            format!(
                "versions: only one version can be `latest: true` ({} and {} are)",
                list[marked[0]].name.trim(),
                list[marked[1]].name.trim()
            ),
        ));
    }
    let latest = marked.first().copied().unwrap_or(0);
    let order = std::iter::once(latest).chain((0..list.len()).filter(|&i| i != latest));
    Ok(order
        .map(|i| {
            let name = list[i].name.trim().to_string();
            Version {
                entry: i,
                prefix: match &list[i].url {
                    _ if i == latest => String::new(),
                    Some(url) => format!("/{}", url.trim_matches('/')),
                    None => format!("/v/{name}"),
                },
                source: list[i].source(),
                name,
            }
        })
        .collect())
}

/// Where entry `entry` of `versions:` is written in the text of site.yaml (`file`), or the
/// `versions:` key when the entry cannot be found.
pub fn entry_location(text: &str, file: &std::path::Path, entry: usize) -> crate::error::Location {
    use crate::config::keys::{locate, Step};
    let versions = Step::Key("versions".into());
    match locate(text, &[versions.clone(), Step::Index(entry)])
        .or_else(|| locate(text, &[versions]))
    {
        Some((line, column)) => crate::error::Location::at(file, line, Some(column)),
        None => crate::error::Location::at(file, 1, None),
    }
}

/// `check:` in site.yaml.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct CheckConfig {
    /// URL patterns (`*` matches anything) `--external` does not request.
    pub external_skip: Vec<String>,
    /// Seconds to wait for one answer.
    pub external_timeout: f64,
    /// Requests at once, in all.
    pub external_concurrency: usize,
    /// Requests at once to one host.
    pub external_per_host: usize,
    /// Attempts after a failed one (timeouts, refused connections, 429 and 5xx answers).
    pub external_retries: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            external_skip: Vec::new(),
            external_timeout: 10.0,
            external_concurrency: 16,
            external_per_host: 2,
            external_retries: 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(name: &str) -> VersionConfig {
        VersionConfig {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_first_listed_is_latest_unless_one_is_marked() {
        let mut list = vec![v("v2"), v("v1")];
        list[1].path = Some("old".into());
        let c = checked(&list).unwrap();
        assert_eq!((c[0].name.as_str(), c[0].prefix.as_str()), ("v2", ""));
        assert_eq!(c[1].prefix, "/v/v1");
        let mut list = vec![v("v1"), v("v2")];
        list[0].path = Some("old".into());
        list[1].latest = true;
        let c = checked(&list).unwrap();
        assert_eq!(c[0].name, "v2");
        assert_eq!(c[1].name, "v1");
    }

    #[test]
    fn bad_lists_name_the_entry() {
        assert_eq!(checked(&[v("v1"), v("v1")]).unwrap_err().0, 1);
        // Two versions without a source would publish the same content twice.
        let e = checked(&[v("v2"), v("v1")]).unwrap_err();
        assert_eq!(e.0, 1);
        assert!(e.1.contains("same content as `v2`"), "{}", e.1);
        let mut out = v("v1");
        out.path = Some("output".into());
        assert!(checked(&[v("v2"), out])
            .unwrap_err()
            .1
            .contains("not content"));
        assert!(checked(&[v("a/b")]).unwrap_err().1.contains("address"));
        // The README's rule: letters, digits, `.`, `-`, `_`; a space is not part of an address.
        for bad in ["v 2", "v\t1", "v+1", "v\u{1}"] {
            assert!(
                checked(&[v(bad)]).unwrap_err().1.contains("address"),
                "{bad:?}"
            );
        }
        assert!(checked(&[v("ホーム_1.0-rc")]).is_ok());
        for own in [".", "./", " ./. ", "././/"] {
            let mut site = v("v1");
            site.path = Some(own.into());
            let e = checked(&[v("v2"), site]).unwrap_err();
            assert_eq!(e.0, 1);
            assert!(e.1.contains("the site's own folder"), "{own:?}: {}", e.1);
        }
        assert!(checked(&[v("")]).is_err());
        let mut twice = vec![v("a"), v("b")];
        twice[0].latest = true;
        twice[1].latest = true;
        assert_eq!(checked(&twice).unwrap_err().0, 1);
        let mut up = v("a");
        up.path = Some("../elsewhere".into());
        assert!(checked(&[up]).is_err());
    }

    #[test]
    fn sources() {
        let mut g = v("v0");
        g.git = Some("v0.9".into());
        assert_eq!(
            g.source(),
            VersionSource::Git {
                reference: "v0.9".into(),
                path: "content".into()
            }
        );
        let mut f = v("v1");
        f.path = Some("versions/v1/content".into());
        assert_eq!(
            f.source(),
            VersionSource::Folder("versions/v1/content".into())
        );
        assert_eq!(v("v2").source(), VersionSource::Content);
    }
}
