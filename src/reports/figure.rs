//! A number as report pages print it, with the value and unit behind it: what every table, row
//! and download of a report holds.

use serde::Serialize;

use crate::kpi::report::Unit;

/// A number as the page prints it, with the value and unit it is printed from: the downloads
/// (Excel, CSV) store the value, the page and the mail print the text. Serialized as its text,
/// so a template writes `{{ row.value }}`.
#[derive(Debug, Clone)]
pub struct Figure {
    pub text: String,
    /// The full value (a ratio as a fraction, minutes, percent as written).
    pub value: Option<f64>,
    pub unit: Unit,
    /// The decimals `text` shows (a workbook's number format shows as many).
    pub decimals: u8,
    /// How `text` dropped the rest: a workbook shows a cut value by storing it cut.
    pub rounding: crate::kpi::numbers::Rounding,
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
