//! Documents to file, print and forward: the monthly (weekly, quarterly) report and a section's
//! pages as a handbook, each as one A4 PDF. opsite lays the document out as HTML through the
//! theme's `pdf/` templates, from the same views the site shows (one computation), and headless
//! Chromium prints it (`chromium`): one layout engine for screen and paper, the theme's print CSS
//! included, text selectable, fonts embedded, charts kept as vectors.
//!
//! A document is written to a private temporary folder with the files it refers to (the theme's
//! CSS, the font opsite carries, a logo), printed from there with scripts off and no network, and
//! the PDF is written beside its final name and renamed into place.

pub mod chromium;
pub mod destinations;
pub mod handbook;
pub mod printer;
pub mod report;

pub use printer::{Printed, Printer};

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

/// A document ready to print: its HTML (its running header and page numbers are `@page`
/// margin boxes of its CSS), and the files it refers to by relative path.
pub struct Document<'a> {
    pub html: String,
    pub files: Vec<(String, Cow<'static, [u8]>)>,
    /// `DocInfo::dated`: what the PDF's dates say.
    pub dated: chrono::DateTime<chrono::FixedOffset>,
    /// For a document whose contents give page numbers: its HTML again, given the sheet each
    /// section landed on in the last print (`destinations::pages`); printed again.
    pub with_pages: Option<WithPages<'a>>,
    /// The ids of the sections its contents list, in order (none without `with_pages`).
    pub contents: Vec<String>,
}

/// A document's HTML from the pages its sections start on.
pub type WithPages<'a> =
    Box<dyn Fn(&std::collections::HashMap<String, usize>) -> Result<String, String> + 'a>;

/// What every document's templates are told about the document (`doc`).
#[derive(Debug, Clone, Serialize)]
pub struct DocInfo {
    /// `<title>`, which Chromium writes as the PDF's title.
    pub title: String,
    pub language: String,
    /// The service provider (`pdf.author`, else the site's title).
    pub author: String,
    /// Who the document is for (a customer's name), when it is a customer's.
    pub addressee: Option<String>,
    /// The cover's logo, as the document refers to it.
    pub logo: Option<String>,
    /// The cover's facts, in order: (label, value) — period, as-of, issue date, document
    /// number, revision, contract, author, contact.
    pub facts: Vec<(String, String)>,
    /// A confidentiality mark (`pdf.classification: 社外秘`): on the cover and every page's
    /// header.
    pub classification: Option<String>,
    /// The stylesheet and font files, as the document refers to them.
    pub stylesheet: String,
    pub font_file: String,
    pub bold_font_file: String,
    pub font_family: &'static str,
    /// Printed in each page's header (the right one is also the cover's title).
    pub header_left: String,
    pub header_right: String,
    /// The same as CSS strings (quoted and escaped), for the `@page` margin boxes.
    pub css_header_left: String,
    pub css_header_right: String,
    /// When the document was made (a handbook's cover), in the site's time zone.
    pub printed_at: String,
    /// The instant the PDF's creation and modification dates give (Unix seconds): the report's
    /// as-of, the handbook's build clock, so the same inputs print the same bytes.
    #[serde(skip)]
    pub dated: chrono::DateTime<chrono::FixedOffset>,
}

impl DocInfo {
    /// What a document says of itself; the names of its files are filled in by
    /// `report::Furniture::name_in`.
    pub fn new(
        title: String,
        language: &str,
        author: &str,
        header_right: String,
        printed_at: String,
        dated: chrono::DateTime<chrono::FixedOffset>,
    ) -> DocInfo {
        DocInfo {
            title,
            language: language.to_string(),
            author: author.to_string(),
            addressee: None,
            logo: None,
            facts: Vec::new(),
            classification: None,
            stylesheet: String::new(),
            font_file: String::new(),
            bold_font_file: String::new(),
            font_family: "",
            header_left: author.to_string(),
            header_right,
            css_header_left: String::new(),
            css_header_right: String::new(),
            printed_at,
            dated,
        }
    }
}

/// Who printed documents are from: `pdf.author`, else the site's title.
pub fn author(config: &crate::config::SiteConfig) -> String {
    (config.pdf.author.clone())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| config.title.clone())
}

/// `href` as a path of the site when it is one, relative ones resolved against the page at
/// `page` (`/runbooks/a/` with `../b/` → `/runbooks/b/`): a printed document has no address of
/// its own for them to be relative to. Anything with a scheme, `//host`, or only a fragment is
/// returned as it is.
pub fn site_path_of(page: &str, href: &str) -> String {
    // A scheme as URL parsing reads one: a letter, then letters, digits, `+`, `-` or `.`
    // (`%6Aavascript:` is none, so a browser reads it as a relative path).
    let scheme = href.find(':').is_some_and(|i| {
        let name = &href[..i];
        name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    // An empty address is the page itself (a browser would read it as the printed file's).
    if href.trim().is_empty() {
        return page.to_string();
    }
    if scheme || href.starts_with("//") || href.starts_with('#') || href.starts_with('/') {
        return href.to_string();
    }
    let split = href.find(['?', '#']).unwrap_or(href.len());
    let (path, rest) = href.split_at(split);
    // `?x=1` alone: the page's own address with that query, its trailing slash kept.
    if path.is_empty() {
        return format!("{page}{rest}");
    }
    let base = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let trailing = path.ends_with('/')
        || path.ends_with("/.")
        || path.ends_with("/..")
        || path == "."
        || path == "..";
    let mut out = format!("/{}", parts.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out + rest
}

/// The report's HTML with its links to the site's pages (relative, as a site with
/// `relative_urls` writes them, or from `/`) given as the portal's full addresses: on paper
/// and in a mailed PDF they lead to the portal. Where `absolute` gives no address (a customer
/// with no edition of its own), such a link is left as its text.
pub fn links_to_portal(
    html: &str,
    page: &str,
    absolute: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    links_and_pictures(html, page, absolute, &[])
}

/// `links_to_portal`, and each picture of the site at one of `pictures` (paths from the site's
/// root, `reports/monthly/2026-10/graph.png`) shown from the document's own folder, where the
/// document carries it.
pub fn links_and_pictures(
    html: &str,
    page: &str,
    absolute: &dyn Fn(&str) -> Option<String>,
    pictures: &[&str],
) -> Result<String, String> {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("a[href]", |el| {
            if let Some(href) = el.get_attribute("href") {
                let path = site_path_of(page, &href);
                if path.starts_with('/') && !path.starts_with("//") {
                    match absolute(&path) {
                        Some(url) => el.set_attribute("href", &url)?,
                        None => el.remove_attribute("href"),
                    }
                }
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            let path = site_path_of(page, &src);
            if let Some(own) = pictures.iter().find(|p| path == format!("/{p}")) {
                el.set_attribute("src", own)?;
            }
            Ok(())
        }));
    rewrite_str(html, settings).map_err(|e| e.to_string())
}

/// `text` as a quoted CSS string that cannot end the string, the rule or the `<style>` element
/// it is written in.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How many pages a PDF has: the `/Count` of its page tree's root (Chromium writes its object
/// dictionaries uncompressed). `None` when it cannot be read so.
pub fn page_count(pdf: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(pdf);
    // Every `/Type /Pages` node holds a /Count; the root's is the largest.
    let mut best = None;
    for (at, _) in text.match_indices("/Type /Pages") {
        let dict_start = text[..at].rfind("<<")?;
        let dict_end = at + text[at..].find(">>")?;
        let dict = &text[dict_start..dict_end];
        let count = dict.split("/Count").nth(1)?;
        let n: usize = count
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
        best = best.max(Some(n));
    }
    best
}

/// The PDF's `/CreationDate` and `/ModDate` set to `when`, with its offset (the site's time
/// zone: a report issued on 11-05 in Tokyo is not dated 11-04 in UTC), in place of the moment
/// the browser printed it: the only bytes that differed between two prints of the same
/// document. Each date keeps its length, so the cross-reference table's offsets stay true; a
/// date of another form than Chromium's `(D:YYYYMMDDHHmmSS+00'00')` is left as it is.
pub fn set_dates(pdf: &mut [u8], when: chrono::DateTime<chrono::FixedOffset>) {
    let offset = when.offset().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let (hours, minutes) = (offset.abs() / 3600, offset.abs() % 3600 / 60);
    let date = format!(
        "(D:{}{sign}{hours:02}'{minutes:02}')",
        when.format("%Y%m%d%H%M%S")
    );
    for key in [&b"/CreationDate "[..], &b"/ModDate "[..]] {
        let mut from = 0;
        while let Some(at) = find(&pdf[from..], key).map(|i| from + i + key.len()) {
            let end = at + date.len();
            let old = pdf.get(at..end).unwrap_or_default();
            if old.starts_with(b"(D:")
                && old.ends_with(b")")
                && !old[1..old.len() - 1].contains(&b')')
            {
                pdf[at..end].copy_from_slice(date.as_bytes());
            }
            from = at;
        }
    }
}

/// The element names of the PDF's tags (`(node00000047)`: its `/ID`s, the `/Headers` a cell
/// names, the names of the tree that finds them) numbered 1, 2, 3… in their order. The browser
/// names an element by a number its page process counts up across every page it lays out, so a
/// report printed in a tab that had printed others would have other bytes than the same report
/// printed alone. Each name keeps its length, so the cross-reference table's offsets stay true.
pub fn set_element_names(pdf: &mut [u8]) {
    const OPEN: &[u8] = b"(node";
    const DIGITS: usize = 8;
    let name_at = |pdf: &[u8], at: usize| -> Option<u64> {
        let digits = pdf.get(at + OPEN.len()..at + OPEN.len() + DIGITS)?;
        let closed = pdf.get(at + OPEN.len() + DIGITS) == Some(&b')');
        let number = std::str::from_utf8(digits).ok()?;
        (closed && digits.iter().all(u8::is_ascii_digit)).then(|| number.parse().ok())?
    };
    let mut places = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], OPEN).map(|i| from + i) {
        if let Some(number) = name_at(pdf, at) {
            places.push((at, number));
        }
        from = at + OPEN.len();
    }
    // Only names that are an element's `/ID`: a title that happens to read `(node…)` is text.
    let named: std::collections::BTreeSet<u64> = (places.iter())
        .filter(|(at, _)| pdf[..*at].ends_with(b"/ID "))
        .map(|(_, number)| *number)
        .collect();
    let rank: HashMap<u64, usize> = (named.iter().enumerate())
        .map(|(i, number)| (*number, i + 1))
        .collect();
    for (at, number) in places {
        if let Some(rank) = rank.get(&number) {
            let digits = format!("{rank:0DIGITS$}");
            let start = at + OPEN.len();
            if digits.len() == DIGITS {
                pdf[start..start + DIGITS].copy_from_slice(digits.as_bytes());
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether a PDF may be written at `path`: nothing is there, or a PDF is (opsite replaces only
/// what it could have written: never a link, a folder or a file of another kind).
pub fn may_write(path: &Path) -> Result<(), String> {
    // The folder it goes in is made now, before any PDF of the run is written, and must be a
    // folder of its own: a link there (`pdf/<slug>` → `static/files`) would carry the PDF
    // somewhere else.
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if std::fs::symlink_metadata(parent).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{} is a symbolic link; a PDF is written only into a folder of its own",
                parent.display()
            ));
        }
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
    }
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let is_pdf = meta.is_file()
        && std::fs::File::open(path)
            .and_then(|mut f| {
                let mut head = [0u8; 5];
                std::io::Read::read_exact(&mut f, &mut head).map(|_| head)
            })
            .is_ok_and(|head| &head == b"%PDF-");
    if is_pdf {
        return Ok(());
    }
    let what = if meta.file_type().is_symlink() {
        "a symbolic link"
    } else if meta.is_dir() {
        "a folder"
    } else {
        "a file that is not a PDF"
    };
    Err(format!(
        "{} is {what}; opsite replaces only a PDF there (move it away or give another --output)",
        path.display()
    ))
}

/// Write `bytes` to `path` through a temporary file beside it, renamed into place: a reader
/// never sees half a PDF, and a failed run leaves the previous one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(p) = parent {
        std::fs::create_dir_all(p).map_err(|e| format!("cannot make {}: {e}", p.display()))?;
    }
    crate::write_whole::write_whole(path, bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_count_is_the_root_page_trees() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<</Type /Pages\n/Count 2\n/Kids [2 0 R 3 0 R]>>\nendobj\n2 0 obj\n<</Type /Pages\n/Count 5\n/Kids [4 0 R]>>\nendobj\n";
        assert_eq!(page_count(pdf), Some(5));
        assert_eq!(page_count(b"%PDF-1.7 nothing"), None);
    }

    #[test]
    fn the_dates_become_the_documents_instant_and_keep_their_length() {
        let mut pdf = b"<</Title (x)\n/CreationDate (D:20261125120708+00'00')\n/ModDate (D:20261125120709+00'00')>>\n/CreationDate (short)".to_vec();
        let before = pdf.len();
        // 2026-11-20T08:00:00Z, as Tokyo's clock reads it.
        let when = chrono::DateTime::parse_from_rfc3339("2026-11-20T17:00:00+09:00").unwrap();
        set_dates(&mut pdf, when);
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert_eq!(pdf.len(), before);
        assert!(
            text.contains("/CreationDate (D:20261120170000+09'00')"),
            "{text}"
        );
        assert!(
            text.contains("/ModDate (D:20261120170000+09'00')"),
            "{text}"
        );
        // West of Greenwich, with its minutes.
        let when = chrono::DateTime::parse_from_rfc3339("2026-11-20T03:30:00-04:30").unwrap();
        set_dates(&mut pdf, when);
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert_eq!(pdf.len(), before);
        assert!(
            text.contains("/CreationDate (D:20261120033000-04'30')"),
            "{text}"
        );
        assert!(text.ends_with("/CreationDate (short)"), "{text}");
    }

    #[test]
    fn element_names_are_numbered_in_their_order_and_keep_their_length() {
        let mut pdf = b"<</S /TH\n/ID (node00016514)>> <</S /TD\n/Headers [(node00016514) (node00016530)]>> <</S /TH\n/ID (node00016530)>> <</Names [(node00016514) 1 0 R (node00016530) 2 0 R]>> <</Title (node99999999)>> /ID (node123)".to_vec();
        let before = pdf.len();
        set_element_names(&mut pdf);
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert_eq!(pdf.len(), before);
        assert_eq!(text, "<</S /TH\n/ID (node00000001)>> <</S /TD\n/Headers [(node00000001) (node00000002)]>> <</S /TH\n/ID (node00000002)>> <</Names [(node00000001) 1 0 R (node00000002) 2 0 R]>> <</Title (node99999999)>> /ID (node123)");
    }

    #[test]
    fn relative_links_are_read_against_their_page() {
        let page = "/reports/weekly/2026-W47/";
        assert_eq!(site_path_of(page, ""), page);
        assert_eq!(site_path_of(page, " "), page);
        assert_eq!(site_path_of(page, "?"), "/reports/weekly/2026-W47/?");
        assert_eq!(site_path_of(page, "?x=1"), "/reports/weekly/2026-W47/?x=1");
        assert_eq!(
            site_path_of(page, "../../../sla/escalation/"),
            "/sla/escalation/"
        );
        assert_eq!(
            site_path_of(page, "../2026-W46/#sla"),
            "/reports/weekly/2026-W46/#sla"
        );
        assert_eq!(site_path_of(page, "../../../../../../x/"), "/x/");
        assert_eq!(
            site_path_of(page, "monthly-2026-11.xlsx"),
            "/reports/weekly/2026-W47/monthly-2026-11.xlsx"
        );
        for kept in [
            "#sla",
            "/sop/",
            "https://example.com/a",
            "mailto:a@b.jp",
            "//cdn/x",
        ] {
            assert_eq!(site_path_of(page, kept), kept);
        }
        // Not a scheme as browsers read one: a relative path, which the printed document would
        // otherwise resolve against its temporary folder (`file:///tmp/…`).
        assert_eq!(
            site_path_of(page, "%6Aavascript:alert(9)"),
            "/reports/weekly/2026-W47/%6Aavascript:alert(9)"
        );
        let html = links_to_portal(
            r##"<a href="../../../sla/">a</a><a href="#x">b</a><a href="https://e.x/">c</a>"##,
            page,
            &|p| Some(format!("https://ops.example.jp{p}")),
        )
        .unwrap();
        assert_eq!(
            html,
            r##"<a href="https://ops.example.jp/sla/">a</a><a href="#x">b</a><a href="https://e.x/">c</a>"##
        );
        let html = links_to_portal(r#"<a href="../../../sla/">a</a>"#, page, &|_| None).unwrap();
        assert_eq!(html, "<a>a</a>");
    }

    #[test]
    fn css_strings_cannot_end_their_string_or_style_element() {
        assert_eq!(css_string("運用チーム"), "\"運用チーム\"");
        let hostile = css_string("a\"; } </style><script>x</script>\\\n");
        assert_eq!(hostile.matches('"').count(), 2, "{hostile}");
        assert!(
            !hostile.contains('<') && !hostile.contains('>'),
            "{hostile}"
        );
        assert_eq!(
            hostile,
            "\"a\\22 ; } \\3c /style\\3e \\3c script\\3e x\\3c /script\\3e \\5c \\a \""
        );
    }

    #[test]
    fn file_urls_encode_what_urls_cannot_hold() {
        assert_eq!(
            printer::file_url(Path::new("/tmp/a b/報告.html")),
            "file:///tmp/a%20b/%E5%A0%B1%E5%91%8A.html"
        );
    }
}
