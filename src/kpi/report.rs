//! The typed result of a KPI run: one report per period. Serialises to the documented JSON shape;
//! the table and CSV views and later report pages read the same values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::api::Alert;
use super::indicators::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Count,
    Ratio,
    Percent,
    Minutes,
    Score,
    Number,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Ratio => "ratio",
            Unit::Percent => "percent",
            Unit::Minutes => "minutes",
            Unit::Score => "score",
            Unit::Number => "number",
        }
    }
}

/// The one way a KPI value is written for people (the `kpi` table, report pages, email):
/// ratios as a percentage with 1 decimal (`71.2 %`), percentages with 2 (`99.95 %`), minutes
/// with 1, counts whole with thousands separators, scores and numbers with 2; no value is `—`.
pub fn display_value(value: Option<f64>, unit: Unit) -> String {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return "—".to_string();
    };
    // Percentages are cut, never rounded up: 99.8989 % must not read as a met 99.90 %.
    match unit {
        Unit::Ratio => format!("{} %", grouped(cut_to(v * 100.0, 1), 1)),
        Unit::Percent => format!("{} %", grouped(cut_to(v, 2), 2)),
        Unit::Minutes => grouped(v, 1),
        Unit::Count => grouped(v, 0),
        Unit::Score | Unit::Number => grouped(v, 2),
    }
}

/// `v` cut (toward zero) to `decimals` places; a hair of tolerance keeps 0.95 × 100 at 95.
fn cut_to(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let scaled = v * scale;
    let cut = (scaled.abs() + 1e-9 * scaled.abs().max(1.0)).floor() * scaled.signum();
    cut / scale
}

/// `v` with `decimals` places and `,` between thousands (`12,345.60`).
fn grouped(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    // "-0.0" would read as a negative zero: only a value that rounds to non-zero keeps its sign.
    if v < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// One KPI value. `None` is undefined (never 0, never NaN).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    #[serde(serialize_with = "number")]
    pub value: Option<f64>,
    pub unit: Unit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breached: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// Whole numbers print as integers (counts), everything else at full precision.
fn number<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
    }
}

impl Kpi {
    pub fn new(value: Option<f64>, unit: Unit) -> Kpi {
        Kpi {
            value: value.filter(|v| v.is_finite()),
            unit,
            met: None,
            breached: None,
            pending: None,
            count: None,
        }
    }
    pub fn count(n: u64) -> Kpi {
        Kpi::new(Some(n as f64), Unit::Count)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub id: String,
    pub name: String,
    pub kpi: String,
    #[serde(serialize_with = "number")]
    pub value: Option<f64>,
    /// The unit of the KPI (and of `value`, `previous` and `change`).
    pub unit: Unit,
    pub target: String,
    pub alert: Option<String>,
    pub status: Status,
    #[serde(serialize_with = "number")]
    pub previous: Option<f64>,
    #[serde(serialize_with = "number")]
    pub change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub period: String,
    /// `opsite kpi --customer`: whose tickets these are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    pub start: String,
    pub end: String,
    pub as_of: String,
    /// When the exports begin inside the period: from when its figures count (availability is
    /// computed from then, not from the period's start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_from: Option<String>,
    pub kpis: BTreeMap<String, Kpi>,
    pub indicators: Vec<IndicatorResult>,
    pub alerts: Vec<Alert>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_format_per_unit() {
        assert_eq!(display_value(Some(0.71234), Unit::Ratio), "71.2 %");
        assert_eq!(display_value(Some(1.0), Unit::Ratio), "100.0 %");
        assert_eq!(display_value(Some(99.954), Unit::Percent), "99.95 %");
        assert_eq!(
            display_value(Some(99.8989), Unit::Percent),
            "99.89 %",
            "never rounded up past a target"
        );
        assert_eq!(display_value(Some(0.95), Unit::Ratio), "95.0 %");
        assert_eq!(display_value(Some(0.94999), Unit::Ratio), "94.9 %");
        assert_eq!(display_value(Some(0.0), Unit::Ratio), "0.0 %");
        assert_eq!(display_value(Some(1234.56), Unit::Minutes), "1,234.6");
        assert_eq!(display_value(Some(1234567.0), Unit::Count), "1,234,567");
        assert_eq!(display_value(Some(999.0), Unit::Count), "999");
        assert_eq!(display_value(Some(4.2), Unit::Score), "4.20");
        assert_eq!(display_value(Some(-12.5), Unit::Number), "-12.50");
        assert_eq!(display_value(Some(-0.001), Unit::Number), "0.00");
        assert_eq!(display_value(None, Unit::Count), "—");
        assert_eq!(display_value(Some(f64::NAN), Unit::Score), "—");
    }
}
