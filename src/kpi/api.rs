//! API usage figures and the daily alert rules (call spikes, cost over budget, heavy users).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::tables::ApiUsage;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub date: String,
    pub rule: &'static str,
    pub user: Option<String>,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiFigures {
    pub calls: f64,
    pub cost: f64,
    pub active_users: u64,
    pub alerts: Vec<Alert>,
}

/// The rules alerts are raised by (a snapshot names them as text).
pub const RULE_CALLS_SPIKE: &str = "calls_spike";
pub const RULE_COST_OVER_BUDGET: &str = "cost_over_budget";
pub const RULE_USER_CALLS: &str = "user_calls";
pub const RULES: [&str; 3] = [RULE_CALLS_SPIKE, RULE_COST_OVER_BUDGET, RULE_USER_CALLS];

/// An alert as a snapshot stores it (its rule as text).
#[derive(Deserialize)]
struct AlertRecord {
    date: String,
    rule: String,
    user: Option<String>,
    value: f64,
}

impl<'de> Deserialize<'de> for Alert {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Alert, D::Error> {
        Alert::try_from(AlertRecord::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<AlertRecord> for Alert {
    type Error = String;

    fn try_from(a: AlertRecord) -> Result<Alert, String> {
        let rule = RULES
            .iter()
            .find(|r| **r == a.rule)
            .copied()
            .ok_or_else(|| format!("unknown alert rule `{}`", a.rule))?;
        Ok(Alert {
            date: a.date,
            rule,
            user: a.user,
            value: a.value,
        })
    }
}

/// Calls ≥ 200 % of the previous day; cost ≥ 150 % of the daily budget; a user with ≥ 200 calls.
pub const SPIKE_RATIO: f64 = 2.0;
pub const BUDGET_RATIO: f64 = 1.5;
pub const USER_CALLS: f64 = 200.0;

/// Figures for the days in `[first, last]` (local dates; the caller turns the period's cut into days).
pub fn figures(
    u: &ApiUsage,
    first: NaiveDate,
    last_exclusive: NaiveDate,
    daily_budget: Option<f64>,
) -> ApiFigures {
    let mut per_day: BTreeMap<NaiveDate, (f64, f64)> = BTreeMap::new();
    let mut per_user_day: BTreeMap<(NaiveDate, String), f64> = BTreeMap::new();
    let prev_first = first.pred_opt().unwrap_or(first);
    let mut users = BTreeSet::new();
    let (mut calls, mut cost) = (0.0, 0.0);
    for i in 0..u.date.len() {
        let d = u.date[i];
        if d < prev_first || d >= last_exclusive {
            continue;
        }
        let e = per_day.entry(d).or_default();
        e.0 += u.calls[i];
        e.1 += u.cost[i];
        if d < first {
            continue;
        }
        calls += u.calls[i];
        cost += u.cost[i];
        if let Some(user) = &u.user[i] {
            users.insert(user.clone());
            *per_user_day.entry((d, user.clone())).or_default() += u.calls[i];
        }
    }
    let mut alerts = Vec::new();
    for (d, (c, spend)) in per_day.range(first..) {
        if let Some((_, (prev, _))) = d.pred_opt().and_then(|p| per_day.get_key_value(&p)) {
            if *prev > 0.0 && *c >= SPIKE_RATIO * prev {
                alerts.push(Alert {
                    date: d.to_string(),
                    rule: RULE_CALLS_SPIKE,
                    user: None,
                    value: c / prev,
                });
            }
        }
        if let Some(b) = daily_budget.filter(|b| *b > 0.0) {
            if *spend >= BUDGET_RATIO * b {
                alerts.push(Alert {
                    date: d.to_string(),
                    rule: RULE_COST_OVER_BUDGET,
                    user: None,
                    value: spend / b,
                });
            }
        }
    }
    for ((d, user), c) in &per_user_day {
        if *c >= USER_CALLS {
            alerts.push(Alert {
                date: d.to_string(),
                rule: RULE_USER_CALLS,
                user: Some(user.clone()),
                value: *c,
            });
        }
    }
    alerts.sort_by(|a, b| (&a.date, a.rule, &a.user).cmp(&(&b.date, b.rule, &b.user)));
    ApiFigures {
        calls,
        cost,
        active_users: users.len() as u64,
        alerts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_reads_back_from_a_snapshot() {
        for rule in RULES {
            let a = Alert {
                date: "2026-10-14".into(),
                rule,
                user: Some("u1".into()),
                value: 1.5,
            };
            let text = serde_yaml::to_string(&a).unwrap();
            assert_eq!(serde_yaml::from_str::<Alert>(&text).unwrap(), a);
        }
        let bad = "date: 2026-10-14\nrule: nope\nuser: null\nvalue: 1\n";
        assert!(serde_yaml::from_str::<Alert>(bad).is_err());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn alert_rules() {
        let u = ApiUsage {
            date: vec![
                d("2026-10-13"),
                d("2026-10-14"),
                d("2026-10-14"),
                d("2026-10-15"),
            ],
            user: vec![
                Some("a".into()),
                Some("a".into()),
                Some("b".into()),
                Some("a".into()),
            ],
            calls: vec![100.0, 200.0, 40.0, 10.0],
            cost: vec![50.0, 310.0, 0.0, 1.0],
        };
        let f = figures(&u, d("2026-10-14"), d("2026-10-16"), Some(200.0));
        assert_eq!(f.calls, 250.0);
        assert_eq!(f.active_users, 2);
        let rules: Vec<(&str, &str)> = f.alerts.iter().map(|a| (a.date.as_str(), a.rule)).collect();
        assert_eq!(
            rules,
            vec![
                ("2026-10-14", "calls_spike"),
                ("2026-10-14", "cost_over_budget"),
                ("2026-10-14", "user_calls")
            ]
        );
        assert_eq!(f.alerts[0].value, 2.4);
        assert_eq!(f.alerts[1].value, 1.55);
    }
}
