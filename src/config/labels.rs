//! `labels:` in site.yaml: the names pages, charts, the email and the `kpi` table print for
//! coded values (`priority: {critical: 緊急}`, `service: {portal: 顧客ポータル}`). Ids, URLs,
//! JSON and CSV keep the codes.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Every label is read onto one line, its control and hiding characters U+FFFD
/// (`display_text::one_line`): a label lands in pages, SVG, PDF, mail and aligned text tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LabelsConfig {
    /// By priority level (`critical`, `p5`).
    #[serde(deserialize_with = "one_line_values")]
    pub priority: BTreeMap<String, String>,
    #[serde(deserialize_with = "one_line_values")]
    pub status: BTreeMap<String, String>,
    #[serde(deserialize_with = "one_line_values")]
    pub category: BTreeMap<String, String>,
    #[serde(deserialize_with = "one_line_values")]
    pub tier: BTreeMap<String, String>,
    #[serde(deserialize_with = "one_line_values")]
    pub service: BTreeMap<String, String>,
    /// A calendar's name in a report (`business: 平日 9:00–18:00`); made from its hours when
    /// absent.
    #[serde(deserialize_with = "one_line_values")]
    pub calendar: BTreeMap<String, String>,
}

fn one_line_values<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let map = BTreeMap::<String, String>::deserialize(d)?;
    Ok(map
        .into_iter()
        .map(|(k, v)| (k, crate::display_text::one_line(&v)))
        .collect())
}
