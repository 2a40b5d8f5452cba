//! `pdf:` in site.yaml: who a printed report is from (the name and logo on its cover).

use std::path::PathBuf;

use serde::Deserialize;

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
    /// How a Japanese report's cover writes its dates: `western` (2026年11月5日, the default)
    /// or `japanese` (令和8年11月5日, 和暦). Tables keep western dates.
    pub era: Era,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    #[default]
    Western,
    Japanese,
}

/// The default `pdf.file_name` of a customer's report, and of the internal one.
pub const CUSTOMER_FILE_NAME: &str = "{slug}-{kind}-{period}";
pub const INTERNAL_FILE_NAME: &str = "{kind}-{period}";

/// A document's file name from `pattern` (`.pdf`, `.xlsx`: `extension`, added when missing);
/// every placeholder's value, and the name itself, made safe for file names.
pub fn file_name(pattern: &str, fill: &[(&str, &str)], extension: &str) -> String {
    let name = fill_pattern(pattern, fill);
    let safe = file_safe(name.trim());
    // No hidden file (`..` would leave `.xlsx`), and a name file systems take (255 bytes).
    let mut safe = safe.trim_start_matches(['.', ' ']).to_string();
    while safe.len() > 200 {
        safe.pop();
    }
    if safe.is_empty() {
        safe = "report".to_string();
    }
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

/// `pattern` (the setting `key`, `pdf.file_name`), or why a misspelt placeholder in it would be
/// printed as written: `{slg}` names the closest placeholder.
pub fn check_pattern(key: &str, pattern: Option<&str>) -> Result<(), String> {
    if let Some(open) = pattern.and_then(|p| p.rfind('{').filter(|&i| !p[i..].contains('}'))) {
        let rest = &pattern.unwrap_or_default()[open..];
        return Err(format!(
            "{key}: `{rest}` opens a placeholder it never closes; write it `{{…}}`"
        ));
    }
    let Some(word) = pattern.and_then(unknown_placeholder) else {
        return Ok(());
    };
    let hint = super::shape::closest(&word, PLACEHOLDERS.into_iter())
        .map(|c| format!(" (did you mean {{{c}}}?)"))
        .unwrap_or_default();
    Err(format!(
        "{key}: `{{{word}}}` is no placeholder{hint}; write {}",
        PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
    ))
}

impl PdfConfig {
    /// The patterns' placeholders: (the key at fault, why).
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        check_pattern("pdf.file_name", self.file_name.as_deref()).map_err(|e| ("file_name", e))?;
        check_pattern("pdf.document_number", self.document_number.as_deref())
            .map_err(|e| ("document_number", e))
    }
}

/// The values of the placeholders of `pdf.file_name`, `pdf.document_number` and
/// `reports.workbook_name`.
pub struct Placeholders<'a> {
    /// The customer's slug, `internal` for the internal report.
    pub slug: &'a str,
    /// The customer's name, empty for the internal report.
    pub customer: &'a str,
    pub period: &'a str,
    pub kind: &'a str,
    pub issued: String,
}

impl Placeholders<'_> {
    pub fn each(&self) -> [(&str, &str); 5] {
        [
            ("slug", self.slug),
            ("customer", self.customer),
            ("period", self.period),
            ("kind", self.kind),
            ("issued", &self.issued),
        ]
    }

    /// A document's file name from `pattern`, or the default for whose it is (the customer's
    /// slug in a customer's).
    pub fn file_name(&self, pattern: Option<&str>, extension: &str) -> String {
        let default = match self.customer.is_empty() {
            true => INTERNAL_FILE_NAME,
            false => CUSTOMER_FILE_NAME,
        };
        let pattern = pattern.filter(|p| !p.trim().is_empty()).unwrap_or(default);
        file_name(pattern, &self.each(), extension)
    }
}

/// A `{word}` of `pattern` that is no placeholder (`{slg}`), which would be printed as written.
pub fn unknown_placeholder(pattern: &str) -> Option<String> {
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        // `{slug` never closed is no placeholder either.
        let Some(close) = after.find('}') else {
            return Some(after.to_string());
        };
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
        .map(|c| {
            match "/\\:*?\"<>|".contains(c) || c.is_control() || crate::display_text::is_hiding(c) {
                true => '_',
                false => c,
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_hide_spoof_or_overflow() {
        let fill = [
            ("slug", "toto"),
            ("customer", "東都"),
            ("period", "2026-10"),
        ];
        assert_eq!(file_name("..", &fill, "xlsx"), "report.xlsx");
        assert_eq!(file_name("   ", &fill, "xlsx"), "report.xlsx");
        // A right-to-left override would show `internal.exe.xlsx` reversed.
        let spoof = file_name("\u{202e}{slug}xslx.exe", &fill, "xlsx");
        assert!(!spoof.contains('\u{202e}'), "{spoof}");
        assert!(file_name(&"長".repeat(300), &fill, "pdf").len() <= 204);
        assert_eq!(
            file_name("{slug}/../{period}", &fill, "pdf"),
            "toto_.._2026-10.pdf"
        );
    }

    #[test]
    fn a_placeholder_never_closed_is_refused() {
        let e = check_pattern("reports.workbook_name", Some("x-{slug")).unwrap_err();
        assert!(
            e.contains("`{slug` opens a placeholder it never closes"),
            "{e}"
        );
        assert!(check_pattern("k", Some("{slug}-{period}")).is_ok());
    }
}
