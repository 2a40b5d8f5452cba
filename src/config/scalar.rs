//! Lists and maps of values an export writes, read as text whatever YAML makes of them:
//! `first_contact_values: [Y, true, 1]` and `priorities: {1: p1}` hold a boolean and numbers
//! to YAML, and text to the export.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// One value as text: a string, a number or a boolean as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value (text, a number or true/false)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A list of values as text.
pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<Scalar>::deserialize(d)?
        .into_iter()
        .map(|s| s.0)
        .collect())
}

/// An optional list of values as text.
pub fn optional_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    Ok(Option::<Vec<Scalar>>::deserialize(d)?.map(|v| v.into_iter().map(|s| s.0).collect()))
}

/// An optional map from values to values, both as text.
pub fn optional_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, String>>, D::Error> {
    Ok(Option::<BTreeMap<Scalar, Scalar>>::deserialize(d)?
        .map(|m| m.into_iter().map(|(k, v)| (k.0, v.0)).collect()))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct S {
        #[serde(default, deserialize_with = "super::optional_list")]
        yes: Option<Vec<String>>,
        #[serde(default, deserialize_with = "super::optional_map")]
        map: Option<std::collections::BTreeMap<String, String>>,
    }

    #[test]
    fn booleans_and_numbers_read_as_the_text_they_are_written_as() {
        let s: S =
            serde_yaml::from_str("yes: [Y, yes, true, 1, はい, ○]\nmap: {1: p1, 2: p2}\n").unwrap();
        assert_eq!(s.yes.unwrap(), ["Y", "yes", "true", "1", "はい", "○"]);
        assert_eq!(s.map.unwrap()["1"], "p1");
    }
}
