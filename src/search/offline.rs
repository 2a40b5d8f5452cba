//! The file-share index (`search_file_share: true`). Opened from `file://`, a page may not import
//! Pagefind's module nor fetch its files, but it may load a classic `<script>`: this writes every
//! searched page's text (folded as Pagefind's documents are, `fold`), title, section and filter
//! terms into one, `pagefind/opsite-offline.js`, which the search page loads only when opened
//! from a file and searches by substring (`themes/default/static/js/search.js`): a word inside a
//! Japanese compound is found as Pagefind's prefix match finds it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Code, Diagnostic, Location};
use crate::output_file::OutputFile;

/// The script's name in the index folder.
pub const FILE: &str = "opsite-offline.js";

/// The largest file-share index written, in bytes: 32 MiB, about 14,000 pages of 2.4 KB. Measured
/// (BENCHMARKS.md, `scripts/bench-file-share.sh`): Chromium on this 2-core machine shows the first
/// results from a local file 0.47–0.60 s after opening the search page with 23 MB (10,000 pages)
/// and 0.77–0.85 s with 47 MB (20,000 pages); a share adds the time to read it (32 MiB take about
/// 3 s at 100 Mbit/s, once per browser session). `OPSITE_FILE_SHARE_LIMIT_KB` changes it.
pub const DEFAULT_LIMIT: usize = 32 * 1024 * 1024;

fn limit() -> usize {
    std::env::var("OPSITE_FILE_SHARE_LIMIT_KB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(DEFAULT_LIMIT, |kb| kb * 1024)
}

#[derive(Serialize)]
struct Entry<'a> {
    /// The page's site path, as the Pagefind index holds it.
    u: &'a str,
    t: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    f: BTreeMap<&'a str, &'a [String]>,
    /// The page's text, folded.
    x: String,
}

/// The script for the pages (as `searched_pages` gives them), or an error when it would be
/// larger than the limit.
pub fn script(pages: &[super::Searched]) -> Result<OutputFile, Diagnostic> {
    let entries: Vec<Entry> = pages
        .iter()
        .map(|p| Entry {
            u: &p.url,
            t: p.facts.title,
            s: p.facts.section,
            f: p.facts.terms.clone(),
            x: text_of(&super::docs::without_heading_anchors(&p.body.text())),
        })
        .collect();
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    let js = format!("window.opsiteOfflineIndex = {json};\n");
    let most = limit();
    if js.len() > most {
        return Err(Diagnostic::error(
            Code::Build,
            Location::file(crate::config::CONFIG_FILE),
            format!(
                "search_file_share: the file-share index would be {}, over its limit of {} (every search opened from the share loads it whole); leave sections out of search (`search: false` in their front matter) or turn search_file_share off",
                size(js.len()),
                size(most)
            ),
        ));
    }
    let origin = std::path::PathBuf::from(crate::config::CONFIG_FILE);
    Ok(OutputFile::bytes(
        format!("{}/{FILE}", super::BUNDLE_DIR),
        js.into_bytes(),
        origin,
    ))
}

/// `43.7 MiB`, or `12 KiB` below one MiB.
fn size(bytes: usize) -> String {
    if bytes < 1 << 20 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
    }
}

/// The text a page's body HTML shows: tags out, what Pagefind is told to ignore
/// (`data-pagefind-ignore`) out, entities decoded, widths folded, white space run together.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut ignored: Option<(String, usize)> = None;
    while let Some(open) = rest.find('<') {
        if ignored.is_none() {
            push_text(&mut out, &rest[..open]);
        }
        let end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..end];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match &mut ignored {
            Some((n, depth)) if *n == name => {
                if tag.starts_with("</") {
                    *depth -= 1;
                    if *depth == 0 {
                        ignored = None;
                    }
                } else if !tag.ends_with("/>") {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None if tag.contains("data-pagefind-ignore") && !tag.ends_with("/>") => {
                ignored = Some((name, 1));
            }
            // A block's edge parts words as the page shows them; inline tags join them.
            None if !INLINE.contains(&name.as_str()) => out.push(' '),
            None => {}
        }
        rest = &rest[end..];
    }
    if ignored.is_none() {
        push_text(&mut out, rest);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags inside a line of text: no word ends at them (`<b>障害</b>対応` is 障害対応).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "ruby", "rt", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr",
];

fn push_text(out: &mut String, text: &str) {
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    out.push_str(&super::fold::fold(&decoded));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_what_the_page_shows_folded_without_ignored_parts() {
        let html = "<h1>ＳＬＡ &amp; ｻｰﾊﾞｰ</h1><p class=\"downloads\" data-pagefind-ignore><a>CSV</a><span>x</span></p><p>再起動<b>手順</b></p>";
        assert_eq!(text_of(html), "SLA & サーバー 再起動手順");
    }
}
