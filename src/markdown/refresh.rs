//! `<meta http-equiv="refresh">` in a page's raw HTML: a body cannot send its reader elsewhere.
//! In a printed report it took the page away while it printed (one customer's commentary failed
//! every PDF of the run, or not, by the timing); on the site it hides the page it stands in.
//! Such a tag is left out, with a warning; a moved page gets `aliases` on its new page.

/// `html` without its refresh tags, or None when it has none.
pub fn without_refresh(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut kept = String::new();
    let mut from = 0;
    let mut at = 0;
    while let Some(i) = lower[at..].find("<meta").map(|i| at + i) {
        let end = tag_end(html, i + 5);
        let ends_name = (lower.as_bytes().get(i + 5))
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
        if ends_name && refreshes(&lower[i..end]) {
            kept.push_str(&html[from..i]);
            from = end;
        }
        at = end.max(i + 5);
    }
    (from > 0).then(|| kept + &html[from..])
}

/// Where the tag whose attributes start at `from` ends (after its `>`), quotes respected; the
/// text's end when it never closes.
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote = None;
    for (i, b) in html.bytes().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Whether a lower-cased `<meta …>` tag has `http-equiv` set to `refresh`, quoted or not, its
/// character references read as a browser reads them (`&#114;efresh`).
fn refreshes(tag: &str) -> bool {
    let Some(at) = tag.find("http-equiv") else {
        return false;
    };
    let rest = tag[at + "http-equiv".len()..].trim_start();
    let Some(value) = rest.strip_prefix('=') else {
        return false;
    };
    let value = crate::html::decode_references(value.trim_start()).to_ascii_lowercase();
    let value = value.trim_start_matches(['"', '\'']);
    value.trim_start().starts_with("refresh")
}

#[cfg(test)]
mod tests {
    use super::without_refresh;

    #[test]
    fn refresh_tags_go_and_everything_else_stays() {
        assert_eq!(
            without_refresh(
                "<p>a</p>\n<meta http-equiv=\"refresh\" content=\"0;url=../x/\">\n<p>b</p>"
            )
            .as_deref(),
            Some("<p>a</p>\n\n<p>b</p>")
        );
        assert_eq!(
            without_refresh("<META HTTP-EQUIV=Refresh CONTENT='1; url=about:blank'/>x").as_deref(),
            Some("x")
        );
        assert_eq!(
            without_refresh("<meta content=\"a>b\" http-equiv = 'refresh'>").as_deref(),
            Some("")
        );
        for encoded in [
            "&#114;efresh",
            "&#x72;&#x65;&#x66;&#x72;&#x65;&#x73;&#x68;",
            "refres&#104;",
            "&#82;EFRESH",
        ] {
            let tag = format!("<meta http-equiv=\"{encoded}\" content=\"0;url=/x/\">");
            assert_eq!(without_refresh(&tag).as_deref(), Some(""), "{tag}");
        }
        for kept in [
            "<meta charset=utf-8>",
            "<meta name=description content=refresh>",
            "<metadata http-equiv=refresh>",
            "<p>http-equiv=refresh</p>",
            "<meta http-equiv=content-type content=text/html>",
        ] {
            assert_eq!(without_refresh(kept), None, "{kept}");
        }
    }
}
