//! Templates and Markdown write site paths (`/sop/daily/`). This pass turns them into what the
//! output needs: prefixed with the base path, or relative to the page (`../sop/daily/index.html`)
//! so the site works opened from a file share.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlMode {
    /// Site paths get the path of `base_url` in front (`/portal/` + `sop/`).
    Absolute { base_path: String },
    /// Every site path becomes relative to the page; folders end in `index.html`.
    Relative,
}

const ATTRS: [&str; 3] = ["href=\"/", "src=\"/", "action=\"/"];

/// Rewrite `href`, `src` and `action` attributes that hold site paths in one HTML file.
pub fn finalize_urls(html: &str, output_path: &str, mode: &UrlMode) -> String {
    if let UrlMode::Absolute { base_path } = mode {
        if base_path == "/" {
            return html.to_string();
        }
    }
    let depth = output_path.matches('/').count();
    let prefix = "../".repeat(depth);
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    loop {
        let next = ATTRS
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
            .min();
        let Some((i, len)) = next else {
            out.push_str(rest);
            break;
        };
        let value_start = i + len - 1; // at the leading '/'
        out.push_str(&rest[..value_start]);
        let after = &rest[value_start..];
        let end = after.find('"').unwrap_or(after.len());
        let url = &after[..end];
        if url.starts_with("//") {
            out.push_str(url);
        } else {
            match mode {
                UrlMode::Absolute { base_path } => {
                    out.push_str(base_path.trim_end_matches('/'));
                    out.push_str(url);
                }
                UrlMode::Relative => out.push_str(&relative(url, &prefix)),
            }
        }
        rest = &after[end..];
    }
    out
}

/// `/sop/daily/#x` seen from depth 2 → `../../sop/daily/index.html#x`.
pub fn relative(site_path: &str, prefix: &str) -> String {
    let split = site_path.find(['?', '#']).unwrap_or(site_path.len());
    let (path, tail) = site_path.split_at(split);
    let mut rel = format!("{prefix}{}", &path[1..]);
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    rel.push_str(tail);
    rel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_from_a_nested_page() {
        let html = r#"<a href="/sop/daily/#x">a</a><img src="/img/a.png"><a href="//cdn">c</a><a href="https://e">e</a>"#;
        let out = finalize_urls(html, "runbooks/db/index.html", &UrlMode::Relative);
        assert_eq!(
            out,
            r#"<a href="../../sop/daily/index.html#x">a</a><img src="../../img/a.png"><a href="//cdn">c</a><a href="https://e">e</a>"#
        );
    }

    #[test]
    fn home_links_from_the_root() {
        assert_eq!(
            finalize_urls(r#"<a href="/">h</a>"#, "index.html", &UrlMode::Relative),
            r#"<a href="index.html">h</a>"#
        );
    }

    #[test]
    fn base_path_prefix() {
        let mode = UrlMode::Absolute {
            base_path: "/portal/".into(),
        };
        assert_eq!(
            finalize_urls(r#"<a href="/sop/">s</a>"#, "x/index.html", &mode),
            r#"<a href="/portal/sop/">s</a>"#
        );
    }
}
