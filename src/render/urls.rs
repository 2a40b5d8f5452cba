//! Templates and Markdown write site paths (`/sop/daily/`). This pass turns them into what the
//! output needs: prefixed with the base path, or relative to the page (`../sop/daily/index.html`)
//! so the site works opened from a file share.

pub use crate::content::urls::{relative, UrlMode};

const ATTRS: [&str; 3] = ["href=\"/", "src=\"/", "action=\"/"];

/// Rewrite `href`, `src` and `action` attributes that hold site paths in one HTML file.
pub fn finalize_urls(html: &str, output_path: &str, mode: &UrlMode) -> String {
    if let UrlMode::Absolute { base_path } = mode {
        if base_path == "/" {
            return html.to_string();
        }
    }
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    // Next occurrence of each attribute, found once and searched again only once passed: a
    // search per link over the rest of the page made pages with many links quadratic.
    let find_from = |attr: &str, from: usize| html[from..].find(attr).map(|i| from + i);
    let mut next: Vec<Option<usize>> = ATTRS.iter().map(|a| find_from(a, 0)).collect();
    let mut pos = 0;
    loop {
        for (k, attr) in ATTRS.iter().enumerate() {
            if next[k].is_some_and(|n| n < pos) {
                next[k] = find_from(attr, pos);
            }
        }
        let Some((i, len)) = next
            .iter()
            .zip(ATTRS)
            .filter_map(|(n, a)| n.map(|n| (n, a.len())))
            .min()
        else {
            out.push_str(&html[pos..]);
            break;
        };
        let value_start = i + len - 1; // at the leading '/'
        out.push_str(&html[pos..value_start]);
        let after = &html[value_start..];
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
                UrlMode::Relative => out.push_str(&relative(url, output_path)),
            }
        }
        pos = value_start + end;
    }
    out
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
    fn relative_links_are_the_shortest() {
        assert_eq!(relative("/help/faq/a.svg", "help/faq/index.html"), "a.svg");
        assert_eq!(relative("/help/faq/", "help/faq/index.html"), "index.html");
        assert_eq!(relative("/help/", "help/faq/index.html"), "../index.html");
        assert_eq!(
            relative("/help/x/#y", "help/faq/index.html"),
            "../x/index.html#y"
        );
        assert_eq!(relative("/a/b", "a/b/index.html"), "../b");
        assert_eq!(relative("/", "404.html"), "index.html");
        assert_eq!(relative("/sop/", "index.html"), "sop/index.html");
    }

    #[test]
    fn a_first_segment_with_a_colon_is_never_read_as_a_scheme() {
        assert_eq!(
            relative("/javascript:alert(1)/", "index.html"),
            "./javascript:alert(1)/index.html"
        );
        assert_eq!(
            relative("/tags/javascript:x/", "tags/index.html"),
            "./javascript:x/index.html"
        );
        assert_eq!(
            relative("/tags/javascript:x/", "sop/index.html"),
            "../tags/javascript:x/index.html"
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
