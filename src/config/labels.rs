//! `labels:` in site.yaml: the names pages, charts, the email and the `kpi` table print for
//! coded values (`priority: {critical: 緊急}`, `service: {portal: 顧客ポータル}`). Ids, URLs,
//! JSON and CSV keep the codes.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::shape::Shape::{self, Any, Keys, Named};

pub const SHAPE: Shape = Keys(&[
    ("priority", Named(&Any)),
    ("status", Named(&Any)),
    ("category", Named(&Any)),
    ("tier", Named(&Any)),
    ("service", Named(&Any)),
    ("calendar", Named(&Any)),
]);

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LabelsConfig {
    /// By canonical priority (`critical`, `high`, `medium`, `low`).
    pub priority: BTreeMap<String, String>,
    pub status: BTreeMap<String, String>,
    pub category: BTreeMap<String, String>,
    pub tier: BTreeMap<String, String>,
    pub service: BTreeMap<String, String>,
    /// A calendar's name in a report (`business: 平日 9:00–18:00`); made from its hours when
    /// absent.
    pub calendar: BTreeMap<String, String>,
}
