//! Turning content paths into site paths (`/sop/daily/`) and output files (`sop/daily/index.html`).

/// A path segment as it appears in a URL: ASCII lower-cased, white space as `-`, characters that
/// would break a path or a query dropped; Japanese and other letters kept as written.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if matches!(
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
        ) {
            continue;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// A taxonomy term in a URL: kept as written (case too), only white space and unsafe characters changed.
pub fn term_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else if !matches!(
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
        ) {
            out.push(c);
        }
    }
    if out.is_empty() {
        "-".into()
    } else {
        out
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

/// A `url:` from front matter as a site path: leading `/` added; a last segment without an
/// extension is a folder.
pub fn from_front_matter(url: &str) -> String {
    let mut p = format!("/{}", url.trim().trim_start_matches('/'));
    let last = p.rsplit('/').next().unwrap_or("");
    if !p.ends_with('/') && !last.contains('.') {
        p.push('/');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        assert_eq!(segment("Daily Checks"), "daily-checks");
        assert_eq!(segment("日次 点検?"), "日次-点検");
        assert_eq!(term_segment("ITIL"), "ITIL");
        assert_eq!(term_segment("Incident Response"), "Incident-Response");
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/sop/daily/"), "sop/daily/index.html");
        assert_eq!(from_front_matter("legacy/page"), "/legacy/page/");
        assert_eq!(from_front_matter("/x/page.html"), "/x/page.html");
    }
}
