//! Links inside Markdown: links to other content files (`../sla/index.md#escalation`) become the
//! target page's URL; every link is recorded with its line so `check` can verify it.

/// The links of one page are resolved against that page's folder and URL.
pub trait LinkResolver: Sync {
    /// A content file named relative to the page (or to `content/` with a leading `/`):
    /// its page id and URL.
    fn content_file(&self, path: &str) -> Option<(usize, String)>;
    /// A relative link that is not a content file, as a site path.
    fn site_path(&self, relative: &str) -> String;
    /// A file of `content/` that is not Markdown, named relative to the page's source folder
    /// (as GitHub, GitLab and MkDocs read `![](img/a.png)`): the site path it is published at.
    fn asset(&self, _relative: &str) -> Option<String> {
        None
    }
    /// Pages whose name is `name` (a file's name without `.md`; a folder's for its `_index.md`,
    /// `index.md` or `README.md`), compared without case: (source path, URL) of each.
    fn pages_named(&self, _name: &str) -> Vec<(String, String)> {
        Vec::new()
    }
    /// A content file of another language of a bilingual site, named relative to the page as it
    /// is on disk (`../../en/sop/daily.md`, `daily.en.md`): its URL.
    fn other_language_file(&self, _path: &str) -> Option<String> {
        None
    }
    /// A content file of the bilingual site's language `lang`, named inside that language's
    /// content as this page's own files are (relative to the page's folder, or from the root
    /// with a leading `/`): its URL.
    fn language_file(&self, _lang: &str, _path: &str) -> Option<String> {
        None
    }
    /// A site path written from the site root (`/docs/a/`), when it means something else: in an
    /// older version, its own page at that path (`/v/v1/docs/a/`).
    fn absolute(&self, _path: &str) -> Option<String> {
        None
    }
}

/// For fragments rendered outside any page.
pub struct NoLinks;

impl LinkResolver for NoLinks {
    fn content_file(&self, _: &str) -> Option<(usize, String)> {
        None
    }
    fn site_path(&self, relative: &str) -> String {
        format!("/{}", relative.trim_start_matches("./"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkKind {
    Link,
    Image,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkTarget {
    /// Another site, `mailto:` and the like: not checked.
    External,
    /// `#id` on the same page.
    Anchor(String),
    /// A content file that exists.
    Page {
        page: usize,
        fragment: Option<String>,
    },
    /// A content file (`*.md`) that does not exist.
    MissingPage,
    /// A path on this site, checked once every output file is known.
    SitePath {
        path: String,
        fragment: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// Line in the source file.
    pub line: usize,
    /// As written.
    pub dest: String,
    pub kind: LinkKind,
    pub target: LinkTarget,
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Decode `%XX` escapes (links to Japanese file names are often written encoded).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// A destination whose scheme runs script when followed (`javascript:`, `vbscript:`, and `data:`
/// for links; an image may be a `data:image/...`). Browsers ignore case, spaces and control
/// characters in the scheme, so those are ignored here too.
/// HTML with the value of every `href`, `src`, `action` or `formaction` attribute that would
/// run script replaced by `#`, and how many were replaced. For HTML opsite did not parse as
/// Markdown (shortcode output) in escape mode.
pub fn drop_script_urls(html: &str) -> (String, usize) {
    let mut out = String::with_capacity(html.len());
    let mut removed = 0;
    // ASCII lower-casing keeps byte offsets, so positions found in `low` index `html`.
    let low = html.to_ascii_lowercase();
    let mut rest = html;
    loop {
        let offset = html.len() - rest.len();
        let l = &low[offset..];
        let found = ["href=", "src=", "action="]
            .iter()
            .filter_map(|a| l.find(a).map(|i| (i, a.len())))
            .min();
        let Some((i, len)) = found else {
            out.push_str(rest);
            break;
        };
        let value_at = i + len;
        out.push_str(&rest[..value_at]);
        let after = &rest[value_at..];
        let (quote, body) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &after[1..]),
            _ => (None, after),
        };
        let end = match quote {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(body.len()),
        };
        let value = &body[..end];
        let decoded = value
            .replace("&colon;", ":")
            .replace("&#58;", ":")
            .replace("&#x3a;", ":")
            .replace("&#x3A;", ":");
        if let Some(q) = quote {
            out.push(q);
        }
        if runs_script(&decoded, LinkKind::Link) {
            out.push('#');
            removed += 1;
        } else {
            out.push_str(value);
        }
        let consumed = quote.map_or(0, |_| 1) + end;
        rest = &after[consumed..];
    }
    (out, removed)
}

pub fn runs_script(dest: &str, kind: LinkKind) -> bool {
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if !dest.contains(':') {
        return false;
    }
    match scheme.as_str() {
        "javascript" | "vbscript" => true,
        "data" => {
            let media = dest
                .split_once(':')
                .map(|(_, m)| m.trim_start().to_ascii_lowercase());
            kind == LinkKind::Link
                || !media.is_some_and(|m| m.starts_with("image/") && !m.starts_with("image/svg"))
        }
        _ => false,
    }
}

/// Classify a destination; returns the new URL when the link must be rewritten.
pub fn classify(
    dest: &str,
    kind: LinkKind,
    resolver: &dyn LinkResolver,
) -> (LinkTarget, Option<String>) {
    if dest.is_empty() || is_external(dest) {
        return (LinkTarget::External, None);
    }
    if let Some(id) = dest.strip_prefix('#') {
        return (LinkTarget::Anchor(percent_decode(id)), None);
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let mut decoded = percent_decode(path);
    // `page.md/#x` (seen in MkDocs trees) means `page.md#x`.
    if decoded.ends_with(".md/") || decoded.ends_with(".markdown/") {
        decoded.pop();
    }
    let is_content =
        kind == LinkKind::Link && (decoded.ends_with(".md") || decoded.ends_with(".markdown"));
    if is_content {
        return match resolver.content_file(&decoded) {
            Some((page, url)) => {
                let new = match &fragment {
                    Some(f) => format!("{url}#{f}"),
                    None => url,
                };
                (LinkTarget::Page { page, fragment }, Some(new))
            }
            None => match resolver.other_language_file(&decoded) {
                // Checked with the site's other paths once every language is built.
                Some(path) => {
                    let new = match &fragment {
                        Some(f) => format!("{path}#{f}"),
                        None => path.clone(),
                    };
                    (LinkTarget::SitePath { path, fragment }, Some(new))
                }
                None => (LinkTarget::MissingPage, None),
            },
        };
    }
    // A file of the page's folder, or a root path an older version has a page of its own at:
    // published elsewhere than written, so the link is rewritten.
    let rewritten = if decoded.starts_with('/') {
        resolver.absolute(&decoded)
    } else {
        resolver.asset(&decoded)
    };
    if let Some(path) = rewritten {
        let new = match &fragment {
            Some(f) => format!("{path}#{f}"),
            None => path.clone(),
        };
        return (LinkTarget::SitePath { path, fragment }, Some(new));
    }
    let site_path = if decoded.starts_with('/') {
        decoded
    } else {
        resolver.site_path(&decoded)
    };
    (
        LinkTarget::SitePath {
            path: site_path,
            fragment,
        },
        None,
    )
}

/// Join a relative path onto a folder, resolving `.` and `..` (never above the root).
pub fn join_relative(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in relative.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if relative.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_in_html_attributes_are_dropped() {
        let (h, n) = drop_script_urls(
            r#"<a href="javascript:alert(1)"><img src="a.png"></a><a HREF='JaVaScRiPt&colon;x'>y</a><a href=https://ok.example/>z</a>"#,
        );
        assert_eq!(n, 2);
        assert_eq!(
            h,
            r##"<a href="#"><img src="a.png"></a><a HREF='#'>y</a><a href=https://ok.example/>z</a>"##
        );
    }

    #[test]
    fn script_schemes_are_recognised_whatever_their_spelling() {
        for d in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,<script>",
        ] {
            assert!(runs_script(d, LinkKind::Link), "{d}");
        }
        assert!(runs_script(
            "data:image/svg+xml,<svg onload=x>",
            LinkKind::Image
        ));
        assert!(!runs_script("data:image/png;base64,AAAA", LinkKind::Image));
        for d in [
            "https://example.com/javascript:",
            "sop/daily.md",
            "mailto:ops@example.jp",
            "#javascript",
            "データ:x",
        ] {
            assert!(!runs_script(d, LinkKind::Link), "{d}");
        }
    }

    struct Fixed;
    impl LinkResolver for Fixed {
        fn content_file(&self, path: &str) -> Option<(usize, String)> {
            (path == "../sla/index.md").then(|| (7, "/sla/".to_string()))
        }
        fn site_path(&self, relative: &str) -> String {
            format!("/sop/{relative}")
        }
    }

    #[test]
    fn content_links_are_rewritten_with_their_fragment() {
        let (t, url) = classify("../sla/index.md#l2", LinkKind::Link, &Fixed);
        assert_eq!(
            t,
            LinkTarget::Page {
                page: 7,
                fragment: Some("l2".into())
            }
        );
        assert_eq!(url.as_deref(), Some("/sla/#l2"));
        assert_eq!(
            classify("./missing.md", LinkKind::Link, &Fixed).0,
            LinkTarget::MissingPage
        );
    }

    #[test]
    fn percent_signs_before_multibyte_letters_are_kept() {
        assert_eq!(percent_decode("%日.md"), "%日.md");
        assert_eq!(percent_decode("a%e6%89%8b"), "a手");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn other_links() {
        assert_eq!(
            classify("https://example.com/x.md", LinkKind::Link, &Fixed).0,
            LinkTarget::External
        );
        assert_eq!(
            classify("mailto:ops@example.jp", LinkKind::Link, &Fixed).0,
            LinkTarget::External
        );
        assert_eq!(
            classify("#%E6%A6%82%E8%A6%81", LinkKind::Link, &Fixed).0,
            LinkTarget::Anchor("概要".into())
        );
        assert_eq!(
            classify("img/a.png", LinkKind::Image, &Fixed).0,
            LinkTarget::SitePath {
                path: "/sop/img/a.png".into(),
                fragment: None
            }
        );
    }

    #[test]
    fn joins() {
        assert_eq!(
            join_relative("sop/daily", "../sla/index.md"),
            "sop/sla/index.md"
        );
        assert_eq!(join_relative("sop", "../../x.md"), "x.md");
    }
}
