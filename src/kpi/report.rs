//! The typed result of a KPI run: one report per period. Serialises to the documented JSON shape;
//! the table and CSV views and later report pages read the same values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::api::Alert;

/// An indicator's state: its target met, missed within the alert's margin, missed, or no data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Warning,
    Breached,
    NoData,
}

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
