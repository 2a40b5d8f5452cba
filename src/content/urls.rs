//! Turning content paths into site paths (`/sop/daily/`) and output files (`sop/daily/index.html`).

use crate::config::content_rules::UrlCase;

/// Whether a character is left out of a URL segment: it would break a path or a query
/// (`?`, `#`, `%`, `/`…), or make a folder name Windows refuses (`*`, `:`, control
/// characters), so that a site built anywhere copies to any file share. (A slug that reads as
/// a scheme, `javascript:…`, is refused before: `check_slug`.)
fn dropped(c: char) -> bool {
    // Nor what would hide in a folder name or turn it around (U+202E, U+200B).
    c.is_control()
        || crate::display_text::is_hiding(c)
        || matches!(
            c,
            '?' | '#'
                | '%'
                | '"'
                | '<'
                | '>'
                | '\\'
                | '/'
                | '&'
                | '\''
                | '|'
                | '^'
                | '`'
                | '{'
                | '}'
                | '*'
                | ':'
        )
}

/// A path segment as it appears in a URL: ASCII lower-cased, white space as `-`, characters that
/// would break a path or a query dropped; Japanese and other letters kept as written.
pub fn segment(s: &str) -> String {
    segment_in(s, UrlCase::Opsite)
}

/// `segment` with the case rule of `content_rules.url_case`.
pub fn segment_in(s: &str, case: UrlCase) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if dropped(c) {
            continue;
        } else if case != UrlCase::Keep {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A title made a path segment as Hugo makes one for `:title` in a permalink: letters and
/// digits (of any script), `.`, `_`, `-`, `+`, `~` and `@` kept, white space `-` (a run of it
/// one), everything else dropped (`Setting up CoreDNS (on AWS)` is `setting-up-coredns-on-aws`),
/// ASCII lower-cased.
pub fn title_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '~' | '@')) {
            continue;
        }
        if space && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        space = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A taxonomy term in a URL: kept as written (case too), only white space and unsafe characters changed.
pub fn term_segment(s: &str) -> String {
    term_segment_in(s, UrlCase::Opsite)
}

/// `term_segment` with the case rule of `content_rules.url_case` (`lower`: lower-cased).
pub fn term_segment_in(s: &str, case: UrlCase) -> String {
    if case == UrlCase::Lower {
        return term_segment_in(&s.to_lowercase(), UrlCase::Opsite);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if !dropped(c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        "-".into()
    } else {
        out
    }
}

/// The site path of a content folder: each folder name as a URL segment (`docs/My Guide` →
/// `/docs/my-guide/`), `/` for `content/` itself.
pub fn folder_url(dir: &std::path::Path) -> String {
    folder_url_in(dir, UrlCase::Opsite)
}

/// `folder_url` with the case rule of `content_rules.url_case`.
pub fn folder_url_in(dir: &std::path::Path, case: UrlCase) -> String {
    let mut out = String::from("/");
    for c in dir.components() {
        let seg = segment_in(&c.as_os_str().to_string_lossy(), case);
        if !seg.is_empty() {
            out.push_str(&seg);
            out.push('/');
        }
    }
    out
}

/// Output file → site path, the inverse of `output_path`: `a/b/index.html` → `/a/b/`,
/// `feed.xml` → `/feed.xml`.
pub fn site_path(output_path: &str) -> String {
    match output_path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{output_path}"),
    }
}

/// Site path → output file: `/` → `index.html`, `/a/b/` → `a/b/index.html`, `/feed.xml` → `feed.xml`.
pub fn output_path(site_path: &str) -> String {
    let p = site_path.trim_start_matches('/');
    if p.is_empty() {
        "index.html".into()
    } else if p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// A `url:` or alias from front matter as a site path: `%XX` decoded, `\\` read as `/`, `.` and
/// `..` resolved, leading `/` added; a last segment without an extension is a folder. A path
/// that would climb out of the site (`../../x`), or that is an address on another host, is an
/// error: the output folder is a wall.
pub fn from_front_matter(url: &str) -> Result<String, String> {
    if let Some(scheme) = scheme_of(url.trim()) {
        return Err(format!(
            "`{}` starts with a scheme (`{scheme}`); give a path on this site",
            url.trim()
        ));
    }
    join_site_path("/", url)
}

/// The scheme a browser would read at the start of `s` (`javascript:`, `mailto:`), if any: a
/// letter, then letters, digits, `+`, `-` or `.`, then `:` before any `/`, `?` or `#`. A path
/// segment like this must never be written first in a relative link.
pub fn scheme_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let name = &s[..colon];
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (starts_with_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| &s[..=colon])
}

/// `path` resolved against the folder `base` (a site path ending in `/`), as a relative link is.
/// A leading `/` makes `path` start from the site root instead. Dot segments are removed as
/// URL resolution does, never above the root; another host, a drive path or a control
/// character is an error.
pub fn join_site_path(base: &str, path: &str) -> Result<String, String> {
    let decoded = crate::markdown::links::percent_decode(path.trim()).replace('\\', "/");
    if decoded.chars().any(|c| c.is_control()) {
        return Err("contains control characters".into());
    }
    if decoded.contains("://") || decoded.starts_with("//") {
        return Err(format!(
            "`{}` is an address on another host; give a path on this site",
            path.trim()
        ));
    }
    let first = decoded.split('/').next().unwrap_or("");
    if first.len() == 2 && first.ends_with(':') {
        return Err(format!(
            "`{}` is a drive path; give a path on this site",
            path.trim()
        ));
    }
    let start = if decoded.starts_with('/') { "/" } else { base };
    let mut parts: Vec<&str> = start.split('/').filter(|s| !s.is_empty()).collect();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            // As a browser resolves it (RFC 3986): `..` at the root stays at the root, so
            // `/../katacoda/` is `/katacoda/`, inside the output like every result here.
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut p = format!("/{}", parts.join("/"));
    let last = parts.last().copied().unwrap_or("");
    let folder = decoded.ends_with('/') || !last.contains('.') || last.is_empty();
    if folder && !p.ends_with('/') {
        p.push('/');
    }
    Ok(p)
}

/// A single URL segment from a slug or a taxonomy term: it must name something, not climb
/// (`..`) or stand still (`.`).
pub fn check_segment(seg: &str) -> Result<(), String> {
    match seg {
        "." | ".." => Err(format!("`{seg}` is not a usable URL segment")),
        _ => Ok(()),
    }
}

/// A slug: a usable segment that does not read as a scheme (`javascript:alert(1)`).
pub fn check_slug(seg: &str) -> Result<(), String> {
    check_segment(seg)?;
    match scheme_of(seg) {
        Some(scheme) => Err(format!(
            "`{seg}` starts with a scheme (`{scheme}`); a slug names a folder of this site"
        )),
        None => Ok(()),
    }
}

/// How the output writes site paths: with the base path in front, or relative to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlMode {
    /// Site paths get the path of `base_url` in front (`/portal/` + `sop/`).
    Absolute { base_path: String },
    /// Every site path becomes relative to the page; folders end in `index.html`.
    Relative,
}

/// `/sop/daily/#x` seen from `runbooks/db/index.html` → `../../sop/daily/index.html#x`; the
/// shortest such path (`/help/faq/a.svg` from `help/faq/index.html` → `a.svg`).
pub fn relative(site_path: &str, from_output_path: &str) -> String {
    let split = site_path.find(['?', '#']).unwrap_or(site_path.len());
    let (path, tail) = site_path.split_at(split);
    let from: Vec<&str> = from_output_path.split('/').collect();
    let from_dir = &from[..from.len() - 1];
    let folder = path.ends_with('/');
    let target: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let common = from_dir
        .iter()
        .zip(&target)
        .take_while(|(a, b)| a == b)
        .count();
    // A file target keeps its last segment even when it matches a folder of the page.
    let common = if folder {
        common
    } else {
        common.min(target.len().saturating_sub(1))
    };
    let mut rel = "../".repeat(from_dir.len() - common);
    let rest = target[common..].join("/");
    // `javascript:alert(1)/index.html` would be read as a scheme: `./` keeps it a path.
    if rel.is_empty()
        && rest
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
    {
        rel.push_str("./");
    }
    rel.push_str(&rest);
    if folder {
        if !rel.is_empty() && !rel.ends_with('/') {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    rel.push_str(tail);
    rel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        assert_eq!(segment("Daily Checks"), "daily-checks");
        assert_eq!(segment("日次 点検?"), "日次-点検");
        // Names Windows refuses in a folder: a built site must copy to any file share.
        assert_eq!(term_segment("P1*緊急"), "P1緊急");
        assert_eq!(term_segment("ITIL:v4"), "ITILv4");
        assert_eq!(segment("a\u{7}b"), "ab");
        assert_eq!(segment("障害:DB"), "障害db");
        assert_eq!(term_segment("a\u{202e}b\u{200b}c"), "abc");
        assert_eq!(term_segment("\u{feff}"), "-");
        assert_eq!(
            title_segment("Setting up CoreDNS (on AWS)"),
            "setting-up-coredns-on-aws"
        );
        assert_eq!(
            title_segment("Cluster DNS: CoreDNS vs Kube-DNS"),
            "cluster-dns-coredns-vs-kube-dns"
        );
        assert_eq!(
            title_segment("Service Discovery, Take 2"),
            "service-discovery-take-2"
        );
        assert_eq!(
            title_segment("History of CoreDNS in Four Posts."),
            "history-of-coredns-in-four-posts."
        );
        assert_eq!(title_segment("日次 点検（手順）"), "日次-点検手順");
        assert_eq!(term_segment("ITIL"), "ITIL");
        assert_eq!(term_segment("Incident Response"), "Incident-Response");
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/sop/daily/"), "sop/daily/index.html");
        for p in ["/", "/sop/daily/", "/feed.xml", "/tags/点検/"] {
            assert_eq!(site_path(&output_path(p)), p);
        }
        assert_eq!(from_front_matter("legacy/page").unwrap(), "/legacy/page/");
        assert_eq!(from_front_matter("/x/page.html").unwrap(), "/x/page.html");
        assert_eq!(from_front_matter("/a/./b/../c").unwrap(), "/a/c/");
        assert_eq!(from_front_matter("/%E6%89%8B%E9%A0%86/").unwrap(), "/手順/");
    }

    #[test]
    fn paths_that_leave_the_site_are_errors_and_dot_segments_stop_at_the_root() {
        for (climbing, inside) in [
            ("../../evil-out", "/evil-out/"),
            ("/../katacoda/", "/katacoda/"),
            ("%2e%2e/%2e%2e/evil", "/evil/"),
            ("..\\..\\evil", "/evil/"),
            ("a/../../evil", "/evil/"),
            ("/..", "/"),
        ] {
            assert_eq!(from_front_matter(climbing).unwrap(), inside, "{climbing}");
        }
        for bad in [
            "https://evil.example/x",
            "//evil.example/x",
            "C:/Windows/x",
            "a\u{0}b",
        ] {
            assert!(from_front_matter(bad).is_err(), "{bad}");
        }
        assert_eq!(
            join_site_path("/docs/go/", "manual").unwrap(),
            "/docs/go/manual/"
        );
        assert_eq!(join_site_path("/docs/go/", "../old").unwrap(), "/docs/old/");
        assert_eq!(join_site_path("/docs/", "../../x").unwrap(), "/x/");
        assert!(check_segment("..").is_err());
        assert!(check_segment("手順").is_ok());
    }
}
