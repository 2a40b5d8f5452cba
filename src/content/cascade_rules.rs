//! A `cascade` value read into rules (values for descendants, with an optional target), and how
//! a front-matter value is named in messages: shared by the front matter's fields and the
//! cascade stage, which import it rather than each other.

use serde_json::{Map, Value};

/// Which descendants a cascade rule applies to (`_target` / `target`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CascadeTarget {
    /// A glob over logical paths such as `/docs/**`.
    pub path: Option<String>,
    /// `page`, `section` or `home`.
    pub kind: Option<String>,
}

/// Front matter values handed down to descendants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CascadeRule {
    pub target: Option<CascadeTarget>,
    pub values: Map<String, Value>,
}

/// Parse a `cascade` value: a map (applies to all descendants) or a list of maps with targets.
pub fn parse_cascade(value: &Value) -> Result<Vec<CascadeRule>, String> {
    let items: Vec<&Value> = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Object(_) => vec![value],
        Value::Array(a) => a.iter().collect(),
        other => {
            return Err(format!(
                "expected a map or a list of maps, found {}",
                describe(other)
            ))
        }
    };
    let mut rules = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(format!("expected a map, found {}", describe(item)));
        };
        let mut rule = CascadeRule::default();
        for (k, v) in map {
            let k = k.to_lowercase();
            if k == "_target" || k == "target" {
                rule.target = Some(match v {
                    Value::String(s) => CascadeTarget {
                        path: Some(s.clone()),
                        kind: None,
                    },
                    Value::Object(t) => CascadeTarget {
                        path: t.get("path").and_then(Value::as_str).map(str::to_string),
                        kind: t.get("kind").and_then(Value::as_str).map(str::to_lowercase),
                    },
                    other => return Err(format!("{k}: expected a map, found {}", describe(other))),
                });
            } else {
                rule.values.insert(k, v.clone());
            }
        }
        rules.push(rule);
    }
    Ok(rules)
}

pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("{n}"),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a map".into(),
    }
}
