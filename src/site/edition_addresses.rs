//! What an edition must not name: the internal site's address and every other customer's
//! edition's, found in its files as a browser reads them (`internal_address`). Kept apart from
//! the editions' build, which only calls it on what it built.

use crate::config::SiteConfig;
use crate::error::{Code, Diagnostic, Location};
use crate::internal_address::InternalAddress;

/// The edition's files that name the internal site's address or another customer's edition
/// (a raw HTML link, a figure's link, a full address written in a page): each is an error at
/// the source it came from, as a customer must not be sent to, nor shown, the internal site or
/// another customer's reports. The edition's own address may lie under another one
/// (`https://example.jp/` and `https://example.jp/acme/`); it is not that one. An address with
/// no host (`base_url: /`) names nothing.
pub fn foreign_addresses(
    files: &[crate::output_file::OutputFile],
    config: &SiteConfig,
    slug: &str,
    own: &str,
) -> Vec<Diagnostic> {
    use crate::config::customers::place;
    let internal = (
        config.base_url.clone(),
        "the internal site's address".to_string(),
    );
    let others = (config.customers.iter())
        .filter(|c| c.slug != slug)
        .map(|c| {
            (
                c.base_url.clone(),
                format!("the address of `{}`'s edition", c.slug),
            )
        });
    let needles: Vec<(InternalAddress, String, String)> = std::iter::once(internal)
        .chain(others)
        .filter_map(|(address, whose)| {
            InternalAddress::new(place(&address).as_deref(), place(own).as_deref())
                .map(|n| (n, address, whose))
        })
        .collect();
    if needles.is_empty() {
        return Vec::new();
    }
    let places: Vec<InternalAddress> = needles.iter().map(|(n, _, _)| n.clone()).collect();
    // Files are read one per worker: an edition's text is megabytes.
    use rayon::prelude::*;
    (files.par_iter())
        .filter(|f| !f.path.starts_with("pagefind/"))
        .filter_map(|f| {
            use crate::output_file::OutputContent;
            let bytes: std::borrow::Cow<[u8]> = match &f.content {
                // A workbook or an image is compressed: its bytes read as text say nothing (the
                // workbook's rows are the report's, whose page and CSV files are read here).
                OutputContent::Bytes(_) if is_compressed_file(&f.path) => return None,
                OutputContent::Bytes(bytes) => bytes.as_ref().into(),
                // Files copied as they are (static files, a bundle's resources) that a browser
                // or a reader reads as text: a stylesheet's url(), an SVG's link, a note.
                OutputContent::Asset(source) if is_text_file(&f.path) => source.bytes().ok()?,
                _ => return None,
            };
            // Checked as UTF-8 first: much faster than the lossy reading, which few files need.
            let text = match std::str::from_utf8(&bytes) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(&bytes),
            };
            let (_, address, whose) = &needles[InternalAddress::first_found(&places, &text)?];
            Some(Diagnostic::error(
                Code::Build,
                Location::file(&f.origin),
                format!(
                    "{} names {whose} ({address}): a customer edition links only to its own pages and to other sites",
                    f.path
                ),
            ))
        })
        .collect()
}

/// Whether a file's format compresses what it holds (workbooks, archives, images, fonts).
fn is_compressed_file(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "xlsx"
                | "docx"
                | "pptx"
                | "zip"
                | "gz"
                | "br"
                | "pdf"
                | "png"
                | "jpg"
                | "jpeg"
                | "gif"
                | "webp"
                | "avif"
                | "ico"
                | "woff"
                | "woff2"
        )
    )
}

/// Whether a copied file is read as text (and so may name an address).
fn is_text_file(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "html"
                | "htm"
                | "svg"
                | "css"
                | "js"
                | "mjs"
                | "json"
                | "xml"
                | "txt"
                | "md"
                | "csv"
                | "tsv"
                | "yaml"
                | "yml"
                | "toml"
                | "ics"
                | "rss"
                | "atom"
                | "webmanifest"
        )
    )
}
