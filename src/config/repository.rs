//! `repository:` in site.yaml: where the site's sources live, for each page's "edit this page"
//! and "report a problem" links. Docsy's `params.github_repo` / `github_subdir` /
//! `github_branch` and MkDocs' `repo_url` / `edit_uri` (translated into this) give the same.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RepositoryConfig {
    /// The repository's web address (`https://github.com/example/ops-portal`).
    pub url: String,
    /// The branch edits go to (default `main`).
    pub branch: Option<String>,
    /// The site's folder inside the repository (default: the repository's root).
    pub edit_path: Option<String>,
    /// `github`, `gitlab`, `gitea` or `bitbucket`: how the host writes its edit and new-issue
    /// addresses (default: from the host's name; GitHub's form otherwise).
    pub kind: Option<String>,
    /// MkDocs' `edit_uri`: the edit address of the content folder, relative to `url` or whole;
    /// the page's path below the content folder follows it. Wins over `branch` and `edit_path`.
    pub edit_uri: Option<String>,
    /// The "report a problem" link (default on).
    pub issues: Option<bool>,
    /// Set for a customer edition: its pages link to no repository (the customer cannot reach
    /// it, and its address is the MSP's).
    #[serde(skip)]
    pub off: bool,
}

/// `repository:` as the address alone (`repository: https://github.com/example/ops-portal`) or
/// as its fields; a mistake in the fields keeps serde's located message.
pub fn address_or_fields<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<RepositoryConfig, D::Error> {
    struct Form;
    impl<'de> serde::de::Visitor<'de> for Form {
        type Value = RepositoryConfig;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the repository's address, or its fields {url, branch, edit_path}")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RepositoryConfig, E> {
            Ok(RepositoryConfig {
                url: v.to_string(),
                ..Default::default()
            })
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<RepositoryConfig, E> {
            Ok(RepositoryConfig::default())
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            map: A,
        ) -> Result<RepositoryConfig, A::Error> {
            RepositoryConfig::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(Form)
}

/// The kinds of host, by how they write addresses.
pub const KINDS: [&str; 4] = ["github", "gitlab", "gitea", "bitbucket"];

/// One page's links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLinks {
    pub edit: Option<String>,
    pub report: Option<String>,
}

impl RepositoryConfig {
    /// `repository:` when set, else Docsy's `github_repo` params (`github_subdir`,
    /// `github_branch`, `github_project_repo` for issues); None when neither names a
    /// repository.
    pub fn effective(&self, params: &serde_json::Value) -> Option<RepositoryConfig> {
        if self.off {
            return None;
        }
        if !self.url.trim().is_empty() {
            return Some(self.clone());
        }
        let text = |key: &str| {
            (params.get(key).and_then(|v| v.as_str()))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let docsy = RepositoryConfig {
            url: text("github_repo")?,
            branch: text("github_branch"),
            edit_path: text("github_subdir"),
            ..Default::default()
        };
        // Params are not checked when read: a value that is no address gives no links.
        docsy.check().ok().map(|_| docsy)
    }

    /// A mistake in the settings: the key at fault and what to write.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !self.url.trim().is_empty() {
            web_address(&self.url).map_err(|e| ("url", format!("repository.url: {e}")))?;
        }
        if let Some(k) = self.kind.as_deref().filter(|k| !KINDS.contains(k)) {
            return Err((
                "kind",
                format!("repository.kind: `{k}` is not one of {}", KINDS.join(", ")),
            ));
        }
        if let Some(b) = &self.branch {
            if b.trim().is_empty()
                || b.contains(char::is_whitespace)
                || b.split('/').any(|s| s == "..")
            {
                return Err((
                    "branch",
                    format!("repository.branch: `{b}` is not a branch name (e.g. main)"),
                ));
            }
        }
        if let Some(p) = &self.edit_path {
            if p.split('/').any(|s| s == ".." || s == ".") || p.contains(['?', '#', '\\']) {
                return Err(("edit_path", format!("repository.edit_path: `{p}` must be a folder of the repository (e.g. sites/portal)")));
            }
        }
        if let Some(uri) = self.edit_uri.as_deref().filter(|u| u.contains("://")) {
            web_address(uri).map_err(|e| ("edit_uri", format!("repository.edit_uri: {e}")))?;
        }
        Ok(())
    }

    /// The repository's address as links start with it (see `web_address`); None when it is
    /// not one.
    fn base(&self) -> Option<String> {
        web_address(&self.url).ok()
    }

    fn kind(&self) -> &str {
        if let Some(k) = self.kind.as_deref() {
            return k;
        }
        let host = self.url.split("://").nth(1).unwrap_or("").split('/').next();
        let host = host.unwrap_or("").to_ascii_lowercase();
        if host.contains("gitlab") {
            "gitlab"
        } else if host.contains("bitbucket") {
            "bitbucket"
        } else if ["gitea", "codeberg", "forgejo"]
            .iter()
            .any(|h| host.contains(h))
        {
            "gitea"
        } else {
            "github"
        }
    }

    /// The links of a page read from `source` (relative to the site root, e.g.
    /// `content/sop/daily.md`; `content_dir` is the content folder it lies under), titled
    /// `title`, published at `permalink`; `report_title` is the new issue's title with `{title}`.
    pub fn page_links(
        &self,
        source: &Path,
        content_dir: &Path,
        permalink: &str,
        title: &str,
        report_title: &str,
    ) -> PageLinks {
        let Some(base) = self.base() else {
            return PageLinks {
                edit: None,
                report: None,
            };
        };
        let base = base.as_str();
        let branch = self.branch.as_deref().unwrap_or("main");
        let slashed = |p: &Path| p.to_string_lossy().replace('\\', "/");
        let edit = match self.edit_uri.as_deref().map(str::trim) {
            Some("") => None,
            Some(uri) => {
                let below = source.strip_prefix(content_dir).unwrap_or(source);
                // As MkDocs joins them: a whole address, from the host's root, or below `url`.
                let start = if uri.contains("://") {
                    uri.trim_end_matches('/').to_string()
                } else if uri.starts_with('/') {
                    format!("{}/{}", origin(base), uri.trim_matches('/'))
                } else {
                    format!("{base}/{}", uri.trim_matches('/'))
                };
                Some(format!("{start}/{}", encode_path(&slashed(below))))
            }
            None => {
                let folder = self.edit_path.as_deref().unwrap_or("").trim_matches('/');
                let file = slashed(source);
                let path = if folder.is_empty() {
                    file
                } else {
                    format!("{folder}/{file}")
                };
                let (path, branch) = (encode_path(&path), encode_path(branch));
                Some(match self.kind() {
                    "gitlab" => format!("{base}/-/edit/{branch}/{path}"),
                    "gitea" => format!("{base}/_edit/{branch}/{path}"),
                    "bitbucket" => format!("{base}/src/{branch}/{path}?mode=edit"),
                    _ => format!("{base}/edit/{branch}/{path}"),
                })
            }
        };
        let report = (self.issues != Some(false)).then(|| {
            let t = encode_query(&report_title.replace("{title}", title));
            let b = encode_query(permalink);
            match self.kind() {
                "gitlab" => format!("{base}/-/issues/new?issue[title]={t}&issue[description]={b}"),
                "bitbucket" => format!("{base}/issues/new"),
                _ => format!("{base}/issues/new?title={t}&body={b}"),
            }
        });
        PageLinks { edit, report }
    }
}

/// `url` as links start with it: `http(s)://host/…`, without a closing `/` or `.git`; an error
/// for anything else, and for login details (`user:pass@`), which every page would publish,
/// and for what would end or break the path (`?`, `#`, spaces, quotes, `<`, `>`).
pub fn web_address(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = (url.strip_prefix("https://"))
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not a web address (https://…)"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(format!("`{url}` names no host"));
    }
    if host.contains('@') {
        return Err("holds login details (user:password@), which every page would publish; give the address without them".into());
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>`?#\\{}|^".contains(*c))
    {
        return Err(format!(
            "`{url}` holds `{c}`; give the repository's plain address (https://host/group/repo)"
        ));
    }
    let url = url.trim_end_matches('/');
    Ok(url.strip_suffix(".git").unwrap_or(url).to_string())
}

/// `https://host` of an address.
fn origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url,
    }
}

/// A path with what an address must not hold raw percent-encoded (`/` kept).
fn encode_path(path: &str) -> String {
    encode(path, b"-._~/")
}

fn encode_query(text: &str) -> String {
    encode(text, b"-._~")
}

fn encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(repo: &RepositoryConfig, source: &str) -> PageLinks {
        repo.page_links(
            Path::new(source),
            Path::new("content"),
            "https://ops.example.jp/sop/点検/",
            "日次点検",
            "ページの問題: {title}",
        )
    }

    #[test]
    fn each_host_writes_its_own_edit_and_issue_addresses() {
        let repo = |url: &str| RepositoryConfig {
            url: url.into(),
            ..Default::default()
        };
        let github = links(&repo("https://github.com/ex/ops/"), "content/sop/点検.md");
        assert_eq!(
            github.edit.as_deref(),
            Some("https://github.com/ex/ops/edit/main/content/sop/%E7%82%B9%E6%A4%9C.md")
        );
        assert!(github
            .report
            .unwrap()
            .starts_with("https://github.com/ex/ops/issues/new?title=%E3%83%9A%E3%83%BC%E3%82%B8"));
        let gitlab = links(
            &repo("https://gitlab.example.jp/ops/portal"),
            "content/a.md",
        );
        assert_eq!(
            gitlab.edit.as_deref(),
            Some("https://gitlab.example.jp/ops/portal/-/edit/main/content/a.md")
        );
        assert!(gitlab
            .report
            .unwrap()
            .contains("/-/issues/new?issue[title]="));
        let mut moved = repo("https://git.example.jp/ops");
        moved.kind = Some("gitea".into());
        moved.branch = Some("release/2026".into());
        moved.edit_path = Some("/sites/portal/".into());
        moved.issues = Some(false);
        let l = links(&moved, "content/a.md");
        assert_eq!(
            l.edit.as_deref(),
            Some("https://git.example.jp/ops/_edit/release/2026/sites/portal/content/a.md")
        );
        assert_eq!(l.report, None);
    }

    #[test]
    fn mkdocs_edit_uri_and_docsy_params() {
        let mkdocs = RepositoryConfig {
            url: "https://github.com/ex/docs".into(),
            edit_uri: Some("edit/master/docs/".into()),
            ..Default::default()
        };
        let l = mkdocs.page_links(
            Path::new("docs/sop/a.md"),
            Path::new("docs"),
            "https://x/",
            "a",
            "{title}",
        );
        assert_eq!(
            l.edit.as_deref(),
            Some("https://github.com/ex/docs/edit/master/docs/sop/a.md")
        );
        let rooted = RepositoryConfig {
            edit_uri: Some("/ex/docs/edit/dev/docs/".into()),
            ..mkdocs.clone()
        };
        assert_eq!(
            links(&rooted, "docs/a.md").edit.as_deref(),
            Some("https://github.com/ex/docs/edit/dev/docs/docs/a.md")
        );
        let off = RepositoryConfig {
            edit_uri: Some(String::new()),
            ..mkdocs
        };
        assert_eq!(links(&off, "docs/a.md").edit, None);

        let params = serde_json::json!({"github_repo": "https://github.com/ex/site", "github_subdir": "userguide", "github_branch": "trunk"});
        let docsy = RepositoryConfig::default().effective(&params).unwrap();
        assert_eq!(
            links(&docsy, "content/en/a.md").edit.as_deref(),
            Some("https://github.com/ex/site/edit/trunk/userguide/content/en/a.md")
        );
        assert_eq!(
            RepositoryConfig::default().effective(&serde_json::json!({})),
            None
        );
    }

    #[test]
    fn settings_are_checked() {
        let bad = RepositoryConfig {
            url: "github.com/ex".into(),
            ..Default::default()
        };
        assert!(bad.check().unwrap_err().1.contains("not a web address"));
        for hostile in [
            "javascript:alert(1)//github.com/x",
            "https://user:pass@github.com/x",
            "https://",
            "https://github.com/x?a=1",
            "https://github.com/x\"><script>",
        ] {
            assert!(web_address(hostile).is_err(), "{hostile}");
        }
        assert_eq!(
            web_address("https://github.com/ex/ops.git/").unwrap(),
            "https://github.com/ex/ops"
        );
        let docsy = serde_json::json!({"github_repo": "javascript:alert(1)//github.com/x"});
        assert_eq!(RepositoryConfig::default().effective(&docsy), None);
        let kind = RepositoryConfig {
            url: "https://x/".into(),
            kind: Some("svn".into()),
            ..Default::default()
        };
        assert!(kind.check().unwrap_err().1.contains("github, gitlab"));
    }
}
