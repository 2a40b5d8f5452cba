//! What the figure shortcodes and template functions hand to templates: values already written in
//! the one number format, status classes decided, the period's "not complete" note attached.

use serde::Serialize;

use crate::reports::views::{IndicatorRow, Words};

/// One KPI value in one period.
#[derive(Debug, Serialize)]
pub struct KpiFigure {
    pub id: String,
    pub period: String,
    /// The period's report page (empty when that kind has no pages).
    pub url: String,
    pub value: Option<f64>,
    pub unit: &'static str,
    /// `99.95 %`, `1 時間 30 分`, `—`.
    pub text: String,
    pub complete: bool,
    pub frozen: bool,
    /// `2026-11 (集計時点 2026-11-20 17:00, 期間途中)`: said beside or over the value.
    pub note: String,
    /// The status of an indicator on this KPI (`met`, `warning`, `breached`, `no_data`).
    pub status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorsFigure {
    pub period: String,
    pub url: String,
    pub note: String,
    pub complete: bool,
    pub rows: Vec<IndicatorRow>,
    /// Words of the site's language (`t.indicator`, `t.target` …).
    pub t: &'static Words,
}

/// The compact status block.
#[derive(Debug, Serialize)]
pub struct StatusFigure {
    /// `weekly`, `monthly` or `quarterly`.
    pub kind: &'static str,
    pub period: String,
    pub url: String,
    pub note: String,
    pub complete: bool,
    pub services: Vec<StatusService>,
    /// Tickets of the most urgent level open at the period's end, written (`2`), if the data
    /// has tickets; and what they are called (「未解決の重大チケット」, 「未解決のチケット（P1）」).
    pub open_critical: Option<String>,
    pub open_critical_count: u64,
    pub open_label: String,
    pub indicators: Vec<IndicatorRow>,
    /// The status page's address, when the site has one.
    pub status_page: Option<String>,
    pub t: &'static Words,
}

/// A service in the status block: one number, one status, and the target it is stated
/// against.
#[derive(Debug, Serialize)]
pub struct StatusService {
    pub name: String,
    /// `99.79 %`.
    pub availability: String,
    /// `met`, `warning`, `breached` or `no_data`: an indicator's status where one is on this
    /// service's availability, else met or breached against the availability target.
    pub status: &'static str,
    pub status_label: &'static str,
    /// `≥ 99.90 %`.
    pub target: String,
}

/// One period for `periods(kind)`.
#[derive(Debug, Serialize)]
pub struct PeriodItem {
    pub label: String,
    pub url: String,
    /// First and last day.
    pub start: String,
    pub end: String,
    pub complete: bool,
    pub frozen: bool,
}

/// A month in figures, beside a newsletter's text.
#[derive(Debug, Serialize)]
pub struct MonthFigures {
    pub period: String,
    pub url: String,
    pub note: String,
    pub complete: bool,
    pub services: Vec<StatusService>,
    pub resolved: Option<String>,
    pub opened: Option<String>,
    /// None when nobody answered a survey that month.
    pub csat: Option<String>,
    pub indicators: Vec<IndicatorRow>,
    pub t: &'static Words,
}
