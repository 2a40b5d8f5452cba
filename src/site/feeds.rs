//! Machine-readable outputs: `sitemap.xml`, `robots.txt` and Atom feeds for sections that ask
//! for one (`feed: true`). Dates come from content, never from the clock, so output is stable.
//! Every text printed into XML goes through `xml_text`: a title with a control character must
//! not make a feed that readers refuse, and a description is text, never live HTML in a reader.

use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::content::{Library, PageId};
use crate::markdown::{escape_html, Rendered};

use super::output::OutputFile;

/// Whether XML 1.0 allows `c` in a document: not the C0 controls but tab, LF and CR, and not
/// U+FFFE or U+FFFF (a reader stops at the first one; Rust strings hold no surrogates).
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` as XML character data or an attribute value: forbidden characters dropped, markup escaped.
pub fn xml_text(s: &str) -> String {
    if s.chars().all(xml_allowed) {
        return escape_html(s);
    }
    escape_html(&s.chars().filter(|&c| xml_allowed(c)).collect::<String>())
}

/// Percent-encode what a URL in XML must not hold raw (non-ASCII, spaces).
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The sitemap's entries of one library: its listed pages with their dates, and `extra_urls`.
pub fn sitemap_entries(lib: &Library, extra_urls: &[String]) -> Vec<(String, Option<String>)> {
    let mut entries: Vec<(String, Option<String>)> = lib
        .pages
        .iter()
        .filter(|p| !p.front.not_listed)
        .map(|p| {
            (
                p.url.clone(),
                p.front
                    .lastmod
                    .or(p.front.date)
                    .map(|d| d.format("%Y-%m-%d").to_string()),
            )
        })
        .collect();
    entries.extend(extra_urls.iter().map(|u| (u.clone(), None)));
    entries
}

/// `sitemap.xml` of `entries` (site path, date); `alternates` gives a page's translations
/// (hreflang, site path), listed as `xhtml:link` alternates as search engines read them.
pub fn sitemap(
    config: &SiteConfig,
    mut entries: Vec<(String, Option<String>)>,
    alternates: &dyn Fn(&str) -> Vec<(String, String)>,
) -> OutputFile {
    entries.sort();
    entries.dedup();
    let listed: Vec<_> = entries.iter().map(|(u, _)| alternates(u)).collect();
    let namespace = if listed.iter().any(|a| !a.is_empty()) {
        " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
    } else {
        ""
    };
    let mut xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{namespace}>\n");
    for ((url, lastmod), alternates) in entries.into_iter().zip(listed) {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_text(&encode_url(&config.absolute_url(&url))));
        xml.push_str("</loc>");
        if let Some(d) = lastmod {
            xml.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        for (lang, href) in alternates {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml_text(&lang),
                xml_text(&encode_url(&config.absolute_url(&href)))
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile::bytes(
        "sitemap.xml".into(),
        xml.into_bytes(),
        PathBuf::from("sitemap.xml"),
    )
}

pub fn robots(config: &SiteConfig) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        encode_url(&config.absolute_url("/sitemap.xml"))
    );
    OutputFile::bytes(
        "robots.txt".into(),
        text.into_bytes(),
        PathBuf::from("robots.txt"),
    )
}

/// The start of an Atom feed: the XML declaration, `<feed>`, its title (the site's and `title`),
/// its page's and its own address, its id (the page's address) and when it was updated.
fn feed_head(config: &SiteConfig, title: &str, page: &str, feed: &str, updated: &str) -> String {
    let page = xml_text(&encode_url(&config.absolute_url(page)));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_text(&config.language)
    ));
    xml.push_str(&format!(
        "  <title>{} – {}</title>\n  <link href=\"{page}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <id>{page}</id>\n  <updated>{}</updated>\n",
        xml_text(&config.title),
        xml_text(title),
        xml_text(&encode_url(&config.absolute_url(feed))),
        xml_text(updated),
    ));
    xml
}

/// An Atom feed per section with `feed: true`: its pages and those of its subsections, newest first.
pub fn atom_feeds(config: &SiteConfig, lib: &Library, rendered: &[Rendered]) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for (s, section) in lib.sections.iter().enumerate() {
        let index = &lib.pages[section.page];
        // Release notes and newsletters are read through feeds: theirs are always on.
        let published_monthly = section.parent == Some(0)
            && matches!(section.dir.to_str(), Some("releases" | "newsletters"));
        if !index.front.feed && !published_monthly {
            continue;
        }
        let mut ids: Vec<PageId> = lib.pages_below(s);
        ids.sort_by(|&a, &b| {
            let (pa, pb) = (&lib.pages[a], &lib.pages[b]);
            pb.front
                .date
                .cmp(&pa.front.date)
                .then_with(|| pa.title.cmp(&pb.title))
        });
        let updated = ids
            .iter()
            .filter_map(|&i| lib.pages[i].front.lastmod.or(lib.pages[i].front.date))
            .max()
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
        let feed_url = format!("{}atom.xml", index.url);
        let mut xml = feed_head(config, &index.title, &index.url, &feed_url, &updated);
        xml.push_str(&format!(
            "  <link rel=\"self\" href=\"{}\"/>\n",
            xml_text(&encode_url(&config.absolute_url(&feed_url)))
        ));
        xml.push_str(&format!(
            "  <id>{}</id>\n  <updated>{updated}</updated>\n",
            xml_text(&encode_url(&config.absolute_url(&index.url)))
        ));
        for &i in &ids {
            let p = &lib.pages[i];
            let url = xml_text(&encode_url(&config.absolute_url(&p.url)));
            let when = p
                .front
                .lastmod
                .or(p.front.date)
                .map(|d| d.to_rfc3339())
                .unwrap_or_else(|| updated.clone());
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <title>{}</title>\n    <link href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{when}</updated>\n", xml_text(&p.title)));
            if let Some(d) = p.front.date {
                xml.push_str(&format!("    <published>{}</published>\n", d.to_rfc3339()));
            }
            // A description is text (shown escaped on the page too); the summary is the page's
            // own rendered HTML, escaped once for XML as type="html" asks.
            let (kind, summary) = match &p.front.description {
                Some(d) => ("text", d.as_str()),
                None => ("html", rendered[i].summary.as_str()),
            };
            xml.push_str(&format!(
                "    <summary type=\"{kind}\">{}</summary>\n  </entry>\n",
                xml_text(summary)
            ));
        }
        xml.push_str("</feed>\n");
        out.push(OutputFile::bytes(
            crate::content::urls::output_path(&feed_url),
            xml.into_bytes(),
            index.source.clone(),
        ));
    }
    out
}

/// `runbooks.json`: every alert a runbook answers, with the runbook's title and address and the
/// alert's own address, for alerting tools and scripts (None when no runbook names an alert).
pub fn runbooks_json(config: &SiteConfig, lib: &Library) -> Option<OutputFile> {
    let claims = &lib.alerts;
    if claims.is_empty() || !config.alerts.index {
        return None;
    }
    let alerts: Vec<serde_json::Value> = claims
        .iter()
        .map(|(name, &id)| {
            let page = &lib.pages[id];
            let address = format!(
                "{}{}",
                lib.url_prefix,
                crate::content::alerts::alert_path(name)
            );
            serde_json::json!({
                "alert": name,
                "runbook": page.title,
                "url": config.absolute_url(&page.url),
                "address": config.absolute_url(&address),
            })
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&serde_json::json!({ "alerts": alerts })).unwrap_or_default();
    text.push('\n');
    let path = format!("{}/runbooks.json", lib.url_prefix);
    Some(OutputFile::bytes(
        path.trim_start_matches('/').to_string(),
        text.into_bytes(),
        PathBuf::from(crate::config::CONFIG_FILE),
    ))
}

/// The status page's `status.json` (at the language's root) and its Atom feed of incidents,
/// newest first (`<status page>/atom.xml`).
pub fn status_files(
    config: &SiteConfig,
    status: &crate::reports::status_view::StatusPageView,
    json: &serde_json::Value,
) -> Vec<OutputFile> {
    let origin = PathBuf::from(crate::config::CONFIG_FILE);
    let mut text = serde_json::to_string_pretty(json).unwrap_or_default();
    text.push('\n');
    let mut out = vec![OutputFile::bytes(
        status.json_url.trim_start_matches('/').to_string(),
        text.into_bytes(),
        origin.clone(),
    )];
    let page = encode_url(&config.absolute_url(&status.url));
    let updated = (status.incidents.iter())
        .map(|i| {
            i.end_iso
                .clone()
                .unwrap_or_else(|| status.as_of_iso.clone())
        })
        .max()
        .unwrap_or_else(|| status.as_of_iso.clone());
    let mut xml = feed_head(
        config,
        &status.title,
        &status.url,
        &status.feed_url,
        &updated,
    );
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_text(&config.title)
    ));
    let newest = status
        .incidents
        .iter()
        .take(crate::reports::status_view::FEED_ENTRIES);
    for i in newest {
        let link = xml_text(&format!("{page}#{}", i.id));
        let t = status.t;
        let summary = format!(
            "<p>{}: {} · {}: {} · {}: {} · {}</p>{}",
            t.start,
            escape_html(&i.start),
            t.end,
            escape_html(&i.end),
            t.downtime,
            escape_html(&i.duration),
            escape_html(i.kind_label),
            i.note_html
        );
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{link}\"/>\n    <id>{link}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary type=\"html\">{}</summary>\n  </entry>\n",
            xml_text(&i.title),
            xml_text(&i.start_iso),
            xml_text(i.end_iso.as_deref().unwrap_or(&status.as_of_iso)),
            xml_text(&summary),
        ));
    }
    xml.push_str("</feed>\n");
    out.push(OutputFile::bytes(
        crate::content::urls::output_path(&status.feed_url),
        xml.into_bytes(),
        origin,
    ));
    out
}
