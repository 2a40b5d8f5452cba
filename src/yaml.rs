//! The one module that parses YAML (site.yaml, front matter, frozen-period snapshots), so the YAML
//! crate can be swapped without touching the rest, and every YAML a user wrote passes the same
//! nesting check first. Values come out as `serde_json::Value`, opsite's dynamic value type, and
//! TOML's values (front matter, a Hugo tree's configuration) are turned into the same type here.

mod nesting;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The deepest lists and maps may nest (flow `[`/`{` and block indentation alike; a document's
/// top-level map is level 1). Far beyond any real site.yaml or front matter, and low enough that
/// a hostile text is refused at once instead of after the parser's quadratic slow-down.
pub const MAX_NESTING: usize = 64;

/// A YAML syntax or type error with a 1-based position inside the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn convert_error(e: serde_yaml::Error) -> YamlError {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    // serde_yaml appends " at line X column Y" to its messages; the location is reported separately.
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    YamlError {
        line,
        column,
        message: plain_types(&message),
    }
}

/// serde's Rust type names said as a site's author would (`expected usize` → `expected a whole
/// number, 0 or more`).
fn plain_types(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, plain) in [
        (
            "expected usize",
            "expected a whole number such as 1, 2 or 10",
        ),
        ("expected u64", "expected a whole number such as 1, 2 or 10"),
        ("expected u32", "expected a whole number such as 1, 2 or 10"),
        ("expected u16", "expected a whole number such as 1, 2 or 10"),
        ("expected u8", "expected a whole number such as 1, 2 or 10"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        if let Some(at) = out.find(rust) {
            // Only the whole word: `expected u8` is not the start of `expected u8x`.
            let end = at + rust.len();
            if !out[end..].starts_with(|c: char| c.is_alphanumeric()) {
                out.replace_range(at..end, plain);
            }
        }
    }
    out
}

#[cfg(test)]
mod plain_tests {
    #[test]
    fn rust_type_names_are_said_plainly() {
        assert_eq!(
            super::plain_types("invalid type: integer `-1`, expected usize"),
            "invalid type: integer `-1`, expected a whole number such as 1, 2 or 10"
        );
        assert_eq!(super::plain_types("expected u8x"), "expected u8x");
    }
}

/// Refuse lists and maps nested deeper than `MAX_NESTING`, at the first one past the limit.
fn check_nesting(text: &str) -> Result<(), YamlError> {
    match nesting::first_too_deep(text, MAX_NESTING) {
        None => Ok(()),
        Some((line, column)) => Err(YamlError {
            line: line + 1,
            column: column + 1,
            message: format!(
                "lists and maps nested deeper than {MAX_NESTING} levels (the limit); flatten the structure"
            ),
        }),
    }
}

/// TOML's value as JSON's; a date or time becomes its text, as it is written.
pub fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The parser's words for an indentation mistake, with what to look at: a tab, or lines of one
/// map or list that do not start at the same column.
fn with_hint(text: &str, mut e: YamlError) -> YamlError {
    if let Some(hint) = full_width_hint(text, e.line) {
        e.message = format!("{} ({hint})", e.message);
        return e;
    }
    let line = text.lines().nth(e.line.saturating_sub(1)).unwrap_or("");
    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    let hint = if indent.contains('\t')
        || e.message.contains("cannot start any token") && line.contains('\t')
    {
        Some("a tab: YAML indents with spaces only")
    } else if e.message.contains("did not find expected key")
        || e.message.contains("mapping values are not allowed")
        || e.message.contains("did not find expected '-'")
    {
        Some("check the indentation here and on the line above: keys of one map, and items of one list, start at the same column; quote a value that holds `: `")
    } else {
        None
    };
    if let Some(h) = hint {
        e.message = format!("{} ({h})", e.message);
    }
    e
}

/// A full-width colon or space on the line of a syntax error or the one above (where the parser
/// often notices it a line late): they look like `:` and ` ` and are not, so the message names
/// the line and the character.
fn full_width_hint(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    (line.saturating_sub(1)..=line)
        .filter(|&n| n >= 1)
        .find_map(|n| {
            let at = lines.get(n - 1)?;
            let code = at.split(" #").next().unwrap_or(at);
            let indent_fw = at.chars().take_while(|c| c.is_whitespace()).any(|c| c == '\u{3000}');
            if indent_fw {
                Some(format!("line {n} is indented with a full-width space (U+3000): YAML indents with spaces only"))
            } else if code.find('\u{ff1a}').is_some_and(|fw| code.find(':').is_none_or(|c| fw < c)) {
                Some(format!("line {n} has a full-width colon `：` (U+FF1A): a key ends with `:`"))
            } else {
                None
            }
        })
}

/// A key repeated in a map is said where it is repeated, with where it was first: the parser
/// says where the map starts (`site.yaml:4:1` for a second `title:` at the end of the file).
/// Only block maps are looked into; a flow map (`{a: 1, a: 2}`) keeps the parser's place.
fn at_repeated_key(text: &str, mut e: YamlError) -> YamlError {
    let said = |opening: &str, closing: char| {
        let (path, rest) = e.message.split_once(opening)?;
        Some((path.to_string(), rest.rsplit_once(closing)?.0.to_string()))
    };
    let Some((path, key)) =
        said("duplicate field `", '`').or_else(|| said("duplicate entry with key \"", '"'))
    else {
        return e;
    };
    let indent = e.column.saturating_sub(1);
    let mut places = Vec::new();
    for (i, line) in text.lines().enumerate().skip(e.line.saturating_sub(1)) {
        let (before, at) = match line.char_indices().nth(indent) {
            Some((b, _)) => line.split_at(b),
            None => (line, ""),
        };
        let first_line = i + 1 == e.line;
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        if !first_line && !blank && !before.chars().all(|c| c == ' ') {
            break; // a line less indented: the map has ended
        }
        let named = [key.clone(), format!("\"{key}\""), format!("'{key}'")]
            .into_iter()
            .any(|k| {
                at.strip_prefix(&k)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            });
        if named && !at.starts_with(' ') {
            places.push(i + 1);
        }
    }
    match places[..] {
        [first, second, ..] => {
            e.message =
                format!("{path}`{key}` is repeated in this map (first at line {first}); keep one");
            e.line = second;
            e.column = indent + 1;
        }
        // A flow map (`{within: 15m, within: 20m}`): the parser's place, in the same words.
        _ => e.message = format!("{path}`{key}` is repeated in this map; keep one"),
    }
    e
}

/// The parser's error at its place, with a hint for what to look at, and a repeated key said
/// where it is repeated.
fn explained(text: &str, e: serde_yaml::Error) -> YamlError {
    at_repeated_key(text, with_hint(text, convert_error(e)))
}

/// Parse YAML into a typed value (used for `site.yaml` and snapshots).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.trim().is_empty() {
        return serde_yaml::from_str("{}").map_err(convert_error);
    }
    check_nesting(text)?;
    serde_yaml::from_str(text).map_err(|e| explained(text, e))
}

/// Parse YAML into a dynamic value tree (used for front matter).
pub fn to_value(text: &str) -> Result<Value, YamlError> {
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    check_nesting(text)?;
    let v: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| explained(text, e))?;
    Ok(yaml_to_json(v))
}

/// Parse YAML keeping its tags (`!ENV`, `!!python/name:`), for a caller that handles them.
pub fn to_tagged_value(text: &str) -> Result<serde_yaml::Value, YamlError> {
    if text.trim().is_empty() {
        return Ok(serde_yaml::Value::Mapping(Default::default()));
    }
    check_nesting(text)?;
    serde_yaml::from_str(text).map_err(convert_error)
}

/// Front matter: like `to_value`, but a key repeated in a mapping keeps its last value, as
/// Hugo's YAML reader does, and the top-level keys are lower-cased (front-matter keys match
/// case-insensitively, so `Title` after `title` repeats it). The repeated keys come back too
/// (`params.owner` for a nested one), for warnings.
pub fn to_value_keeping_last(text: &str) -> Result<(Value, Vec<String>), YamlError> {
    if text.trim().is_empty() {
        return Ok((Value::Object(Default::default()), Vec::new()));
    }
    check_nesting(text)?;
    let v: lenient::TopLevel =
        serde_yaml::from_str(text).map_err(|e| with_hint(text, convert_error(e)))?;
    Ok((v.0.value, v.0.repeated))
}

mod lenient {
    //! A YAML value read key by key, so a repeated key replaces the earlier one instead of
    //! failing the whole document (serde_yaml's own mapping refuses repeats).
    use serde::de::{
        Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
    };
    use serde_json::Value;

    pub struct LastWins {
        pub value: Value,
        /// Keys repeated in this value's mappings, with their path from here.
        pub repeated: Vec<String>,
    }

    impl From<Value> for LastWins {
        fn from(value: Value) -> Self {
            LastWins {
                value,
                repeated: Vec::new(),
            }
        }
    }

    impl<'de> Deserialize<'de> for LastWins {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Reader { fold_keys: false })
        }
    }

    /// The document: its own keys lower-cased.
    pub struct TopLevel(pub LastWins);

    impl<'de> Deserialize<'de> for TopLevel {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Reader { fold_keys: true }).map(TopLevel)
        }
    }

    struct Reader {
        fold_keys: bool,
    }

    impl<'de> Visitor<'de> for Reader {
        type Value = LastWins;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a YAML value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<LastWins, E> {
            Ok(Value::Bool(v).into())
        }
        fn visit_i64<E>(self, v: i64) -> Result<LastWins, E> {
            Ok(Value::from(v).into())
        }
        fn visit_u64<E>(self, v: u64) -> Result<LastWins, E> {
            Ok(Value::from(v).into())
        }
        /// `.inf` and `.nan` stay words (JSON has no such number): a field that needs a number
        /// or a date then says so, instead of reading nothing.
        fn visit_f64<E>(self, v: f64) -> Result<LastWins, E> {
            Ok(match serde_json::Number::from_f64(v) {
                Some(n) => Value::Number(n),
                None if v.is_nan() => Value::String(".nan".into()),
                None if v > 0.0 => Value::String(".inf".into()),
                None => Value::String("-.inf".into()),
            }
            .into())
        }
        fn visit_str<E>(self, v: &str) -> Result<LastWins, E> {
            Ok(Value::String(v.to_string()).into())
        }
        fn visit_string<E>(self, v: String) -> Result<LastWins, E> {
            Ok(Value::String(v).into())
        }
        fn visit_unit<E>(self) -> Result<LastWins, E> {
            Ok(Value::Null.into())
        }
        fn visit_none<E>(self) -> Result<LastWins, E> {
            Ok(Value::Null.into())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<LastWins, D::Error> {
            LastWins::deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LastWins, A::Error> {
            let (mut items, mut repeated) = (Vec::new(), Vec::new());
            let mut i = 0;
            while let Some(item) = seq.next_element::<LastWins>()? {
                repeated.extend(item.repeated.into_iter().map(|k| format!("{i}.{k}")));
                items.push(item.value);
                i += 1;
            }
            Ok(LastWins {
                value: Value::Array(items),
                repeated,
            })
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LastWins, A::Error> {
            let (mut out, mut repeated) = (serde_json::Map::new(), Vec::new());
            let fold = |k: String| if self.fold_keys { k.to_lowercase() } else { k };
            // `<<: *defaults` (YAML's merge key): the merged maps' keys, under the map's own.
            let mut merged = Vec::new();
            while let Some((key, value)) = map.next_entry::<LastWins, LastWins>()? {
                let key = match key.value {
                    Value::String(s) => fold(s),
                    other => other.to_string(),
                };
                if key == "<<" {
                    match value.value {
                        Value::Object(m) => merged.push(m),
                        Value::Array(list) => {
                            merged.extend(list.into_iter().filter_map(|v| match v {
                                Value::Object(m) => Some(m),
                                _ => None,
                            }))
                        }
                        other => {
                            out.insert(key, other);
                        }
                    }
                    continue;
                }
                repeated.extend(value.repeated.into_iter().map(|k| format!("{key}.{k}")));
                if out.insert(key.clone(), value.value).is_some() {
                    repeated.push(key);
                }
            }
            // Earlier maps of a merge list win over later ones, the map's own keys over all.
            for m in merged {
                for (k, v) in m {
                    out.entry(fold(k)).or_insert(v);
                }
            }
            Ok(LastWins {
                value: Value::Object(out),
                repeated,
            })
        }
        /// A tagged value (`!ENV HOME`, `!!python/name:x`): its value, the tag dropped.
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<LastWins, A::Error> {
            let (_tag, variant): (String, _) = data.variant()?;
            variant.newtype_variant::<LastWins>()
        }
    }
}

fn yaml_to_json(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Bool(b) => b.to_string(),
                    Y::Number(n) => n.to_string(),
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(t) => yaml_to_json(t.value),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_repeated_key_is_said_where_it_is_repeated() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Site {
            title: String,
            data: Option<serde_json::Value>,
        }
        let text =
            "# comment\ntitle: a\ndata:\n  t:\n    id: x\n\n    'id': y\nother: 1\ntitle: b\n";
        let top = super::from_str::<Site>(text).unwrap_err();
        assert_eq!((top.line, top.column), (9, 1), "{top:?}");
        assert_eq!(
            top.message,
            "`title` is repeated in this map (first at line 2); keep one"
        );
        let nested = super::to_value("a:\n  - name: x\n    id: 1\n    name: y\n").unwrap_err();
        assert_eq!((nested.line, nested.column), (4, 5), "{nested:?}");
        assert!(
            nested
                .message
                .contains("`name` is repeated in this map (first at line 2)"),
            "{nested:?}"
        );
        let quoted = super::to_value("a:\n  t:\n    id: x\n\n    'id': y\n").unwrap_err();
        assert_eq!((quoted.line, quoted.column), (5, 5), "{quoted:?}");
        // A flow map keeps the parser's place.
        let flow = super::to_value("a: {b: 1, b: 2}\n").unwrap_err();
        assert_eq!(
            flow.message, "a: `b` is repeated in this map; keep one",
            "{flow:?}"
        );
    }

    #[test]
    fn indentation_mistakes_say_what_to_look_at() {
        let tab = super::to_value("teams:\n\tdesk: {name: x}\n").unwrap_err();
        assert!(
            tab.message.contains("YAML indents with spaces only"),
            "{}",
            tab.message
        );
        let shifted = super::to_value("routes:\n  - services: [a]\n   levels: x\n").unwrap_err();
        assert!(
            shifted.message.contains("start at the same column"),
            "{}",
            shifted.message
        );
        let fine = super::to_value("a: [1,\n").unwrap_err();
        assert!(!fine.message.contains("tab"), "{}", fine.message);
    }

    #[test]
    fn a_full_width_colon_or_indent_is_named_with_its_line() {
        let colon = super::to_value("sla:\n  resolution：\n    high: {within: 8h}\n").unwrap_err();
        assert!(
            colon.message.contains("line 2 has a full-width colon `：`"),
            "{}",
            colon.message
        );
        let indent =
            super::to_value("sla:\n  resolution:\n\u{3000}\u{3000}high: 8h\n  x: 1\n").unwrap_err();
        assert!(
            indent
                .message
                .contains("is indented with a full-width space (U+3000)"),
            "{}",
            indent.message
        );
        // One in a value is text, and says nothing.
        let text = "title: 手順：概要\nsla:\n  - a\n  b: c\n";
        let e = super::to_value(text).unwrap_err();
        assert!(!e.message.contains("full-width"), "{}", e.message);
    }

    use super::*;

    #[test]
    fn folded_strings_and_flow_maps() {
        let v = to_value("description: >\n  one\n  two\nmenu: { main: { weight: 20 } }\n").unwrap();
        assert_eq!(v["description"], "one two\n");
        assert_eq!(v["menu"]["main"]["weight"], 20);
    }

    #[test]
    fn deep_nesting_is_refused_at_the_first_level_past_the_limit() {
        let text = format!("title: x\ntags: {}\n", "[".repeat(100_000));
        let e = to_value(&text).unwrap_err();
        // The top-level map is level 1, so the 64th bracket is the first one too deep.
        assert_eq!((e.line, e.column), (2, 7 + MAX_NESTING - 1), "{e:?}");
        assert!(e.message.contains("64 levels"), "{}", e.message);
        let e = super::to_value(&format!("a: {}", "{b: ".repeat(1000))).unwrap_err();
        assert_eq!(e.line, 1);
        let ok = format!(
            "a: {}1{}",
            "[".repeat(MAX_NESTING - 1),
            "]".repeat(MAX_NESTING - 1)
        );
        assert!(to_value(&ok).is_ok());
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_is_named() {
        let text = "title: A\nparams:\n  owner: x\n  owner: y\n  Owner: z\ntags: [a]\nTitle: B\n";
        assert!(to_value(text).is_err(), "the strict reader refuses repeats");
        let (v, repeated) = to_value_keeping_last(text).unwrap();
        assert_eq!(v["title"], "B");
        assert_eq!(v["params"]["owner"], "y", "nested keys keep their case");
        assert_eq!(v["params"]["Owner"], "z");
        assert_eq!(v["tags"][0], "a");
        assert_eq!(repeated, vec!["params.owner", "title"]);
        let (v, repeated) = to_value_keeping_last("a: !ENV HOME\nb: 1.5\nc: ~\n").unwrap();
        assert_eq!(
            (v["a"].as_str(), v["b"].as_f64(), v["c"].is_null()),
            (Some("HOME"), Some(1.5), true)
        );
        assert!(repeated.is_empty());
        let text = "base: &b {draft: true, weight: 1}\n<<: *b\nweight: 2\nparams:\n  <<: [{a: 1}, {a: 2, b: 3}]\n";
        let (v, _) = to_value_keeping_last(text).unwrap();
        assert_eq!(
            (v["draft"].as_bool(), v["weight"].as_i64()),
            (Some(true), Some(2))
        );
        assert_eq!(
            (v["params"]["a"].as_i64(), v["params"]["b"].as_i64()),
            (Some(1), Some(3))
        );
        assert!(v.get("<<").is_none());
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let e = to_value("title: a\nweight: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }
}
