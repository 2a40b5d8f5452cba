//! Success indicators: a KPI checked against a target and an alert threshold.

use std::collections::BTreeMap;

use super::report::Unit;
use super::tables::PriorityLevels;
use super::ConfigError;
use crate::config::kpi::IndicatorConfig;

pub use super::report::Status;

/// `>= 99.9`, `< 4.0`, `== 0`, `>= 95%` …
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    op: Op,
    value: f64,
    /// Written with `%`: resolved against the KPI's unit by [`Condition::for_unit`].
    percent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Eq => "==",
        }
    }
}

impl Condition {
    pub fn parse(s: &str) -> Result<Condition, String> {
        let s = s.trim();
        let (op, rest) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            ("≥", Op::Ge),
            ("≤", Op::Le),
            (">", Op::Gt),
            ("<", Op::Lt),
        ]
        .iter()
        .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r)))
        .ok_or_else(|| format!("`{s}` is not a condition like \">= 99.9\" or \">= 95%\""))?;
        let rest = rest.trim();
        let (number, percent) = match rest.strip_suffix(['%', '％']) {
            Some(n) => (n.trim(), true),
            None => (rest, false),
        };
        let value: f64 = number
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("`{s}`: `{rest}` is not a number"))?;
        Ok(Condition { op, value, percent })
    }

    /// The condition in the unit of the KPI it checks: `95%` is 0.95 on a ratio (SLA
    /// attainment) and 95 on a percentage (availability). A bare number above 1 on a ratio is
    /// almost certainly meant as a percentage, so it is an error saying what to write.
    pub fn for_unit(self, unit: Unit) -> Result<Condition, String> {
        let op = self.op.text();
        let v = self.value;
        match (unit, self.percent) {
            (Unit::Ratio, true) => Ok(Condition {
                value: v / 100.0,
                percent: false,
                ..self
            }),
            (Unit::Ratio, false) if v.abs() > 1.0 => Err(format!(
                "`{op} {v}`: this KPI is a ratio from 0 to 1; write `{op} {v}%` or `{op} {}`",
                v / 100.0
            )),
            (Unit::Percent, _) => Ok(Condition {
                percent: false,
                ..self
            }),
            (_, true) => Err(format!(
                "`{op} {v}%`: `%` is for ratio and percentage KPIs; this one is in {}",
                unit.name()
            )),
            _ => Ok(self),
        }
    }

    /// The number the condition compares with (in the KPI's unit once resolved).
    pub fn threshold(&self) -> f64 {
        self.value
    }

    /// Which way a change is good: up for `>=`/`>`, down for `<=`/`<` and for `== 0` (fewer
    /// is better); unknown for other equalities.
    pub fn higher_is_better(&self) -> Option<bool> {
        match self.op {
            Op::Ge | Op::Gt => Some(true),
            Op::Le | Op::Lt => Some(false),
            Op::Eq if self.value <= 0.0 => Some(false),
            Op::Eq => None,
        }
    }

    pub fn holds(&self, x: f64) -> bool {
        match self.op {
            Op::Ge => x >= self.value,
            Op::Le => x <= self.value,
            Op::Gt => x > self.value,
            Op::Lt => x < self.value,
            Op::Eq => x == self.value,
        }
    }
}

/// Check each indicator's KPI id against the ids the data yields and put its target and alert
/// in the KPI's unit. All mistakes are returned together, each with close matches for an
/// unknown id.
pub fn resolve(
    configs: &[IndicatorConfig],
    conditions: &mut [(Condition, Option<Condition>)],
    units: &BTreeMap<String, Unit>,
    levels: &PriorityLevels,
) -> Result<(), Vec<ConfigError>> {
    let mut errors = Vec::new();
    for (n, (cfg, (target, alert))) in configs.iter().zip(conditions.iter_mut()).enumerate() {
        let n = n.to_string();
        let Some(&unit) = units.get(cfg.kpi.as_str()) else {
            errors.push(ConfigError::at(
                &["indicators", &n, "kpi"],
                unknown_kpi_message(&cfg.id, &cfg.kpi, units.keys().map(String::as_str), levels),
            ));
            continue;
        };
        match target.for_unit(unit) {
            Ok(c) => *target = c,
            Err(e) => errors.push(ConfigError::at(&["indicators", &n, "target"], e)),
        }
        if let Some(a) = alert {
            match a.for_unit(unit) {
                Ok(c) => *a = c,
                Err(e) => errors.push(ConfigError::at(&["indicators", &n, "alert"], e)),
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Known KPI ids close to `id` (case-insensitive edit distance, a quarter of its length, 2 to
/// 4), closest first, ties by name.
pub fn close_ids<'k>(id: &str, known: impl Iterator<Item = &'k str>) -> Vec<&'k str> {
    let lower = id.to_lowercase();
    let limit = (id.chars().count() / 4).clamp(2, 4);
    let mut close: Vec<(usize, &str)> = known
        .map(|k| {
            (
                crate::config::keys::edit_distance(&lower, &k.to_lowercase()),
                k,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    close.sort();
    close.into_iter().map(|(_, k)| k).collect()
}

/// "did you mean" for a KPI id: up to three known ids close to it.
fn unknown_kpi_message<'k>(
    indicator: &str,
    id: &str,
    known: impl Iterator<Item = &'k str>,
    levels: &PriorityLevels,
) -> String {
    let close = close_ids(id, known);
    let parts: Vec<&str> = id.split('.').collect();
    if let ["sla", kind @ ("response" | "resolution"), p] = parts.as_slice() {
        if levels.parse(p).is_some() {
            return format!(
                "indicator `{indicator}`: `{id}` needs a target: add `{p}: {{within: …}}` under sla.{kind}"
            );
        }
    }
    let hint = match close.len() {
        0 => " (the manual lists the KPI ids: docs/content/en/reports/data.md#kpi-ids)".to_string(),
        _ => format!(
            " (did you mean {}?)",
            close
                .iter()
                .take(3)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("indicator `{indicator}`: no KPI `{id}` in this data{hint}")
}

/// met when the target holds; a missed target is breached, unless an alert line is set and not
/// crossed (missed, but within the tolerance the alert gives): then warning. A customer reading
/// 「≤ 2」 beside 3 reads 未達, as the service table says of a missed availability target.
pub fn status(value: Option<f64>, target: &Condition, alert: Option<&Condition>) -> Status {
    match (value, alert) {
        (None, _) => Status::NoData,
        (Some(v), _) if target.holds(v) => Status::Met,
        (Some(v), Some(a)) if !a.holds(v) => Status::Warning,
        (Some(_), _) => Status::Breached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let t = Condition::parse(">= 99.9").unwrap();
        let a = Condition::parse("< 99.5").unwrap();
        assert_eq!(status(Some(99.95), &t, Some(&a)), Status::Met);
        assert_eq!(status(Some(99.7), &t, Some(&a)), Status::Warning);
        assert_eq!(status(Some(99.0), &t, Some(&a)), Status::Breached);
        assert_eq!(status(None, &t, Some(&a)), Status::NoData);
        // Without an alert line there is no tolerance: a missed target is not met.
        assert_eq!(status(Some(99.7), &t, None), Status::Breached);
        assert_eq!(status(Some(99.95), &t, None), Status::Met);
        assert!(Condition::parse("about 3").is_err());
        assert!(Condition::parse("== 0").unwrap().holds(0.0));
    }

    #[test]
    fn percent_targets_follow_the_kpi_unit() {
        let t = Condition::parse(">= 95%").unwrap();
        let ratio = t.for_unit(Unit::Ratio).unwrap();
        assert!(ratio.holds(1.0) && ratio.holds(0.95) && !ratio.holds(0.949));
        let percent = t.for_unit(Unit::Percent).unwrap();
        assert!(percent.holds(99.9) && !percent.holds(94.0));
        let bare = Condition::parse(">= 95").unwrap();
        assert_eq!(
            bare.for_unit(Unit::Ratio).unwrap_err(),
            "`>= 95`: this KPI is a ratio from 0 to 1; write `>= 95%` or `>= 0.95`"
        );
        assert!(bare.for_unit(Unit::Percent).unwrap().holds(95.0));
        assert!(Condition::parse(">= 0.9")
            .unwrap()
            .for_unit(Unit::Ratio)
            .unwrap()
            .holds(0.91));
        assert!(Condition::parse("<= 30%")
            .unwrap()
            .for_unit(Unit::Minutes)
            .is_err());
        assert!(
            Condition::parse(">= 95％").is_ok(),
            "full-width percent sign"
        );
        assert!(Condition::parse(">= NaN").is_err());
    }
}
