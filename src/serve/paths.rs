//! From a request's URL to a file of the built site: decoding, normalising and refusing anything
//! that could name a file outside it. Pure, so every trick (`..`, `%2e%2e`, backslashes, NUL,
//! absolute paths) is tested with strings.

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the built site, by its output path (`sop/daily/index.html`).
    File(String),
    /// Go there instead (`/portal` → `/portal/`, `/dir` → `/dir/`), keeping the query.
    Redirect(String),
    /// Nothing here (including every path that tries to leave the site).
    NotFound,
}

/// Resolve `url` (the request target, e.g. `/portal/sop/daily/?x=1`) for a site served under
/// `prefix` (`/` or `/portal/`); `exists` says whether the build wrote an output path.
pub fn resolve(url: &str, prefix: &str, exists: impl Fn(&str) -> bool) -> Target {
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let path = path.split('#').next().unwrap_or("");
    let with_query = |p: String| match query {
        Some(q) => format!("{p}?{q}"),
        None => p,
    };
    if !path.starts_with('/') {
        return Target::NotFound;
    }
    let Some(decoded) = percent_decode(path) else {
        return Target::NotFound;
    };
    if decoded.contains('\0') || decoded.contains('\\') || decoded.starts_with("//") {
        return Target::NotFound;
    }
    // The site's own folder, reached without its trailing slash, or the server's root.
    if prefix != "/" && (decoded == "/" || decoded == prefix.trim_end_matches('/')) {
        return Target::Redirect(with_query(prefix.to_string()));
    }
    let Some(rest) = decoded.strip_prefix(prefix) else {
        return Target::NotFound;
    };
    let mut segments = Vec::new();
    for segment in rest.split('/') {
        match segment {
            "" => {}
            // Browsers remove dot segments before sending; a request that still has them is
            // a probe, not a link.
            "." | ".." => return Target::NotFound,
            s if s.contains(':') && s.len() == 2 => return Target::NotFound,
            s => segments.push(s),
        }
    }
    let joined = segments.join("/");
    if rest.is_empty() || rest.ends_with('/') {
        let index = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(&joined) {
        return Target::File(joined);
    }
    if exists(&format!("{joined}/index.html")) {
        return Target::Redirect(with_query(format!("{path}/")));
    }
    Target::NotFound
}

/// `%XX` sequences to bytes, then UTF-8; None for a malformed escape or invalid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of an output file, by its extension; text types carry `charset=utf-8`
/// (the build writes UTF-8 only).
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "yaml" | "yml" => "application/yaml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "gz" => "application/gzip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "eml" => "message/rfc822",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(p: &str) -> bool {
        matches!(
            p,
            "index.html"
                | "sop/index.html"
                | "sop/daily/index.html"
                | "css/site.css"
                | "障害/index.html"
        )
    }

    #[test]
    fn pages_and_folders() {
        assert_eq!(resolve("/", "/", site), Target::File("index.html".into()));
        assert_eq!(
            resolve("/sop/daily/?q=1#x", "/", site),
            Target::File("sop/daily/index.html".into())
        );
        assert_eq!(
            resolve("/sop/daily?q=1", "/", site),
            Target::Redirect("/sop/daily/?q=1".into())
        );
        assert_eq!(
            resolve("/css/site.css", "/", site),
            Target::File("css/site.css".into())
        );
        assert_eq!(
            resolve("/%E9%9A%9C%E5%AE%B3/", "/", site),
            Target::File("障害/index.html".into())
        );
        assert_eq!(resolve("/nothing/", "/", site), Target::NotFound);
        // No listing of a folder without an index.
        assert_eq!(resolve("/css/", "/", site), Target::NotFound);
    }

    #[test]
    fn served_under_the_base_path() {
        assert_eq!(
            resolve("/", "/portal/", site),
            Target::Redirect("/portal/".into())
        );
        assert_eq!(
            resolve("/portal", "/portal/", site),
            Target::Redirect("/portal/".into())
        );
        assert_eq!(
            resolve("/portal/", "/portal/", site),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve("/portal/sop/", "/portal/", site),
            Target::File("sop/index.html".into())
        );
        assert_eq!(resolve("/sop/", "/portal/", site), Target::NotFound);
        assert_eq!(resolve("/portalx/sop/", "/portal/", site), Target::NotFound);
    }

    #[test]
    fn nothing_outside_the_site() {
        let any = |_: &str| true;
        for probe in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/sop/../../site.yaml",
            "/sop/%2e%2e/%2e%2e/site.yaml",
            "/..%2f..%2fsite.yaml",
            "/..%5c..%5csite.yaml",
            "/sop\\..\\site.yaml",
            "/%00",
            "/index.html%00.css",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/./index.html",
            "etc/passwd",
            "http://other.example/",
            "/%zz",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(probe, "/", any), Target::NotFound, "{probe}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/site.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("reports/monthly/2026-11/2026-11.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(
            content_type("pagefind/pagefind.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("x.SVG"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("p.wasm"), "application/wasm");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
        assert_eq!(content_type("dir.d/noext"), "application/octet-stream");
    }
}
