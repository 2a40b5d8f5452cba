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
}

/// `pdf.document_number` filled in: `{customer}` made safe for file names.
pub fn document_number(pattern: &str, fill: &[(&str, &str)]) -> String {
    let mut out = pattern.to_string();
    for (key, value) in fill {
        let value = match *key {
            "customer" => value
                .chars()
                .map(|c| {
                    if "/\\:*?\"<>|".contains(c) || c.is_control() {
                        '_'
                    } else {
                        c
                    }
                })
                .collect(),
            _ => value.to_string(),
        };
        out = out.replace(&format!("{{{key}}}"), &value);
    }
    out
}
