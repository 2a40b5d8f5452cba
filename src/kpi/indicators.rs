//! Success indicators: a KPI checked against a target and an alert threshold.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Warning,
    Breached,
    NoData,
}

/// `>= 99.9`, `< 4.0`, `== 0` …
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    op: Op,
    value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

impl Condition {
    pub fn parse(s: &str) -> Result<Condition, String> {
        let s = s.trim();
        let (op, rest) = [
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("==", Op::Eq),
            (">", Op::Gt),
            ("<", Op::Lt),
        ]
        .iter()
        .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r)))
        .ok_or_else(|| format!("`{s}` is not a condition like \">= 99.9\""))?;
        let value = rest
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: `{}` is not a number", rest.trim()))?;
        Ok(Condition { op, value })
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

/// met when the target holds, breached when the alert holds, warning otherwise.
pub fn status(value: Option<f64>, target: &Condition, alert: Option<&Condition>) -> Status {
    match value {
        None => Status::NoData,
        Some(v) if target.holds(v) => Status::Met,
        Some(v) if alert.is_some_and(|a| a.holds(v)) => Status::Breached,
        Some(_) => Status::Warning,
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
        assert!(Condition::parse("about 3").is_err());
        assert!(Condition::parse("== 0").unwrap().holds(0.0));
    }
}
