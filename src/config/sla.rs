//! SLA targets, customer contracts and success indicators in site.yaml: the top-level `sla`,
//! each contract's own targets, calendar and paused statuses over it, and the indicators.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SlaTargetConfig {
    /// `30m`, `4h`, `1bd`.
    pub within: String,
    /// A calendar name; `always` (24x7) when absent.
    pub calendar: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct SlaConfig {
    #[serde(deserialize_with = "super::scalar::list")]
    pub pause_statuses: Vec<String>,
    pub response: BTreeMap<String, SlaTargetConfig>,
    pub resolution: BTreeMap<String, SlaTargetConfig>,
}

/// One customer name or a list; `"*"` stands for every customer no other contract names.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Customers {
    One(String),
    Many(Vec<String>),
}

impl Customers {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Customers::One(s) => vec![s.trim()],
            Customers::Many(v) => v.iter().map(|s| s.trim()).collect(),
        }
    }
}

/// Targets per priority key, as `sla.response` and `sla.resolution` write them.
pub type TargetMap = BTreeMap<String, SlaTargetConfig>;

impl ContractConfig {
    /// The contract's response and resolution targets with the top-level ones filling the
    /// gaps: a level the contract sets, in any case (`P2:` beside the site's `p2:`), is its own.
    pub fn targets_over(&self, sla: &SlaConfig) -> (TargetMap, TargetMap) {
        let merge = |top: &TargetMap, own: &TargetMap| {
            let mut out: TargetMap = (top.iter())
                .filter(|(k, _)| !own.keys().any(|o| o.eq_ignore_ascii_case(k)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            out.extend(own.clone());
            out
        };
        (
            merge(&sla.response, &self.response),
            merge(&sla.resolution, &self.resolution),
        )
    }
}

/// A customer contract: its own SLA targets, calendar and paused statuses; whatever it does
/// not set comes from the top-level `sla`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ContractConfig {
    pub name: String,
    pub customers: Customers,
    /// The first day the contract is in force (site time); always when absent.
    #[serde(default)]
    pub from: Option<chrono::NaiveDate>,
    /// The last day it is in force; always when absent.
    #[serde(default)]
    pub to: Option<chrono::NaiveDate>,
    /// Calendar of targets that name none (`always` when absent).
    pub calendar: Option<String>,
    #[serde(default, deserialize_with = "super::scalar::optional_list")]
    pub pause_statuses: Option<Vec<String>>,
    #[serde(default)]
    pub response: BTreeMap<String, SlaTargetConfig>,
    #[serde(default)]
    pub resolution: BTreeMap<String, SlaTargetConfig>,
    /// Success indicators of its customers' reports, beside the site's.
    #[serde(default)]
    pub indicators: Vec<IndicatorConfig>,
    /// Availability targets per service (percent) for its customers, over `availability.targets`
    /// and `availability.target`.
    #[serde(default)]
    pub availability_targets: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct IndicatorConfig {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub kpi: String,
    pub target: String,
    pub alert: Option<String>,
}
