//! `pdf:` in site.yaml: who a printed report is from (the name and logo on its cover).

use std::path::PathBuf;

use serde::Deserialize;

use super::keys::Shape::{self, Any, Keys};

pub const SHAPE: Shape = Keys(&[
    ("author", Any),
    ("logo", Any),
    ("contact", Any),
    ("document_number", Any),
    ("classification", Any),
    ("file_name", Any),
]);

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PdfConfig {
    /// The service provider's name on the cover and in the document's metadata
    /// (「株式会社サンプル運用サービス」); the site's title when not set.
    pub author: Option<String>,
    /// An image (PNG, JPEG or SVG) for the cover, relative to the site root.
    pub logo: Option<PathBuf>,
    /// The person in charge named on a report's cover (担当者), unless the customer's entry
    /// names its own (`customers[].contact`).
    pub contact: Option<String>,
    /// A report's document number (文書番号), a pattern: `OPS-{slug}-{period}` with `{slug}`
    /// (`internal` for the internal report), `{customer}`, `{period}`, `{kind}`, `{issued}`.
    /// None: no number.
    pub document_number: Option<String>,
    /// A confidentiality mark (`社外秘`) on the cover and in every page header.
    pub classification: Option<String>,
    /// A report's file name, a pattern with the placeholders of `document_number`
    /// (`.pdf` added when it has none); default `{slug}-{kind}-{period}` for a customer's,
    /// `{kind}-{period}` for the internal report.
    pub file_name: Option<String>,
}

/// The default `pdf.file_name` of a customer's report, and of the internal one.
pub const CUSTOMER_FILE_NAME: &str = "{slug}-{kind}-{period}";
pub const INTERNAL_FILE_NAME: &str = "{kind}-{period}";

/// A document's file name from `pattern` (`.pdf`, `.xlsx`: `extension`, added when missing);
/// every placeholder's value, and the name itself, made safe for file names.
pub fn file_name(pattern: &str, fill: &[(&str, &str)], extension: &str) -> String {
    let name = fill_pattern(pattern, fill);
    let safe = file_safe(name.trim());
    let safe = safe.trim_start_matches('.').to_string();
    match safe.to_lowercase().ends_with(&format!(".{extension}")) {
        true => safe,
        false => format!("{safe}.{extension}"),
    }
}

/// `pdf.document_number` filled in: `{customer}` made safe for file names.
pub fn document_number(pattern: &str, fill: &[(&str, &str)]) -> String {
    fill_pattern(pattern, fill)
}

/// The placeholders `pdf.file_name` and `pdf.document_number` take.
pub const PLACEHOLDERS: [&str; 5] = ["slug", "customer", "period", "kind", "issued"];

/// A `{word}` of `pattern` that is no placeholder (`{slg}`), which would be printed as written.
pub fn unknown_placeholder(pattern: &str) -> Option<String> {
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let word = &after[..close];
        if !PLACEHOLDERS.contains(&word) {
            return Some(word.to_string());
        }
        rest = &after[close + 1..];
    }
    None
}

/// `text` with the characters file systems refuse (`/ \ : * ? " < > |`, controls) as `_`.
fn file_safe(text: &str) -> String {
    (text.chars())
        .map(|c| match "/\\:*?\"<>|".contains(c) || c.is_control() {
            true => '_',
            false => c,
        })
        .collect()
}

/// A pattern's `{placeholder}`s filled in; `{customer}` made safe for file names.
fn fill_pattern(pattern: &str, fill: &[(&str, &str)]) -> String {
    let mut out = pattern.to_string();
    for (key, value) in fill {
        let value = match *key {
            "customer" => file_safe(value),
            _ => value.to_string(),
        };
        out = out.replace(&format!("{{{key}}}"), &value);
    }
    out
}
