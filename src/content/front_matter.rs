//! Front matter: splitting it off a Markdown file (YAML between `---`, TOML between `+++`), and
//! turning its loosely-typed fields into a typed `FrontMatter`. Hugo/Docsy trees are the reference:
//! keys match case-insensitively and unknown keys are kept as params.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::{Map, Value};

pub type PageDate = DateTime<FixedOffset>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// Front matter as written: lower-cased keys, plus the text it came from so a key can be located.
#[derive(Debug, Clone, Default)]
pub struct RawFrontMatter {
    pub format: Option<Format>,
    pub fields: Map<String, Value>,
    text: String,
    /// Line of the file on which `text` starts (1-based).
    first_line: usize,
}

/// A problem inside a file's front matter or body, with its position in that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

/// A Markdown file split into front matter and body.
#[derive(Debug, Clone)]
pub struct SplitDocument {
    pub front: RawFrontMatter,
    pub body: String,
    /// Line of the file on which the body starts (1-based).
    pub body_line: usize,
}

/// Drop a UTF-8 byte-order mark and turn CRLF line ends into LF.
pub fn normalise_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    }
}

/// Split normalised text into front matter and body and parse the front matter.
pub fn split(text: &str) -> Result<SplitDocument, TextError> {
    let (format, fence) = if text.starts_with("---") && is_fence_line(text, "---") {
        (Format::Yaml, "---")
    } else if text.starts_with("+++") && is_fence_line(text, "+++") {
        (Format::Toml, "+++")
    } else {
        return Ok(SplitDocument {
            front: RawFrontMatter::default(),
            body: text.to_string(),
            body_line: 1,
        });
    };
    let after_open = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    let mut offset = after_open;
    let mut line_no = 2;
    loop {
        if offset >= text.len() {
            return Err(TextError {
                line: 1,
                column: Some(1),
                message: format!("front matter: no closing `{fence}` line"),
            });
        }
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        let line = text[offset..end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            let fm_text = &text[after_open..offset];
            let body_start = (end + 1).min(text.len());
            let fields = parse_fields(format, fm_text)?;
            return Ok(SplitDocument {
                front: RawFrontMatter {
                    format: Some(format),
                    fields,
                    text: fm_text.to_string(),
                    first_line: 2,
                },
                body: text[body_start..].to_string(),
                body_line: line_no + 1,
            });
        }
        offset = end + 1;
        line_no += 1;
    }
}

fn is_fence_line(text: &str, fence: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.trim_end() == fence
}

fn parse_fields(format: Format, fm_text: &str) -> Result<Map<String, Value>, TextError> {
    let value = match format {
        Format::Yaml => crate::yaml::to_value(fm_text).map_err(|e| TextError {
            line: e.line + 1,
            column: Some(e.column),
            message: format!("front matter: {}", e.message),
        })?,
        Format::Toml => {
            let v: toml::Value = toml::from_str(fm_text).map_err(|e| {
                let (line, column) = e
                    .span()
                    .map(|s| line_col(fm_text, s.start))
                    .unwrap_or((1, 1));
                TextError {
                    line: line + 1,
                    column: Some(column),
                    message: format!("front matter: {}", e.message()),
                }
            })?;
            toml_to_json(v)
        }
    };
    match value {
        Value::Object(map) => Ok(lowercase_keys(map)),
        Value::Null => Ok(Map::new()),
        _ => Err(TextError {
            line: 2,
            column: Some(1),
            message: "front matter: expected `key: value` pairs".into(),
        }),
    }
}

fn lowercase_keys(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect()
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn toml_to_json(v: toml::Value) -> Value {
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

impl RawFrontMatter {
    /// Line and column (1-based, in the file) of the value of top-level `key`, for error messages.
    pub fn locate(&self, key: &str) -> (usize, Option<usize>) {
        let sep = if self.format == Some(Format::Toml) {
            '='
        } else {
            ':'
        };
        for (i, line) in self.text.lines().enumerate() {
            if line.starts_with(' ') || line.starts_with('\t') {
                continue;
            }
            let Some(pos) = line.find(sep) else { continue };
            let k = line[..pos].trim().trim_matches('"').trim_matches('\'');
            if k.eq_ignore_ascii_case(key) {
                let rest = &line[pos + 1..];
                let value_offset = pos + 1 + (rest.len() - rest.trim_start().len());
                let column = line[..value_offset].chars().count() + 1;
                return (self.first_line + i, Some(column));
            }
        }
        (self.first_line.max(1), None)
    }
}

/// A `menu` entry a page asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MenuRef {
    pub menu: String,
    pub name: Option<String>,
    pub weight: Option<i64>,
    pub pre: Option<String>,
    pub parent: Option<String>,
    pub identifier: Option<String>,
}

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

/// Typed front matter of one page, after cascade.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub link_title: Option<String>,
    pub description: Option<String>,
    pub date: Option<PageDate>,
    pub lastmod: Option<PageDate>,
    pub publish_date: Option<PageDate>,
    pub expiry_date: Option<PageDate>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub slug: Option<String>,
    pub url: Option<String>,
    pub aliases: Vec<String>,
    /// Plural taxonomy name → terms, empty terms dropped.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub page_type: Option<String>,
    pub layout: Option<String>,
    pub toc: Option<bool>,
    pub menus: Vec<MenuRef>,
    pub cascade: Vec<CascadeRule>,
    pub params: Map<String, Value>,
    pub owner: Option<String>,
    pub reviewed: Option<PageDate>,
    pub review_by: Option<PageDate>,
    /// Sections with `feed: true` get an Atom feed.
    pub feed: bool,
}

/// A field of the wrong type: which key, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: String,
    pub message: String,
}

impl FrontMatter {
    /// Type the fields. Every bad field is reported; good ones are still used.
    pub fn from_fields(
        fields: &Map<String, Value>,
        taxonomy_names: &[String],
    ) -> (FrontMatter, Vec<FieldError>) {
        let mut fm = FrontMatter::default();
        let mut errors = Vec::new();
        for (key, value) in fields {
            let mut fail = |message: String| {
                errors.push(FieldError {
                    key: key.clone(),
                    message,
                })
            };
            match key.as_str() {
                "title" => {
                    fm.title = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "linktitle" => {
                    fm.link_title = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "description" => {
                    fm.description = string(value)
                        .unwrap_or_else(|e| {
                            fail(e);
                            None
                        })
                        .map(|s| s.trim_end().to_string())
                }
                "slug" => {
                    fm.slug = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "url" => {
                    fm.url = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "type" => {
                    fm.page_type = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "layout" => {
                    fm.layout = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "owner" => {
                    fm.owner = string(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "date" => {
                    fm.date = date(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "lastmod" => {
                    fm.lastmod = date(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "publishdate" => {
                    fm.publish_date = date(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "expirydate" => {
                    fm.expiry_date = date(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "reviewed" => {
                    fm.reviewed = date(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "review_by" => {
                    fm.review_by = date(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "weight" => {
                    fm.weight = integer(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "draft" => {
                    fm.draft = boolean(value)
                        .unwrap_or_else(|e| {
                            fail(e);
                            None
                        })
                        .unwrap_or(false)
                }
                "feed" => {
                    fm.feed = boolean(value)
                        .unwrap_or_else(|e| {
                            fail(e);
                            None
                        })
                        .unwrap_or(false)
                }
                "toc" => {
                    fm.toc = boolean(value).unwrap_or_else(|e| {
                        fail(e);
                        None
                    })
                }
                "aliases" => {
                    fm.aliases = string_list(value).unwrap_or_else(|e| {
                        fail(e);
                        Vec::new()
                    })
                }
                "menu" => {
                    fm.menus = menus(value).unwrap_or_else(|e| {
                        fail(e);
                        Vec::new()
                    })
                }
                "cascade" => {
                    fm.cascade = parse_cascade(value).unwrap_or_else(|e| {
                        fail(e);
                        Vec::new()
                    })
                }
                "params" => match value {
                    Value::Object(m) => fm
                        .params
                        .extend(m.iter().map(|(k, v)| (k.to_lowercase(), v.clone()))),
                    Value::Null => {}
                    other => fail(format!("expected a map, found {}", describe(other))),
                },
                k if taxonomy_names.iter().any(|t| t == k) => {
                    let terms = string_list(value).unwrap_or_else(|e| {
                        fail(e);
                        Vec::new()
                    });
                    let terms: Vec<String> = terms
                        .into_iter()
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect();
                    fm.taxonomies.insert(k.to_string(), terms);
                }
                _ => {
                    fm.params
                        .entry(key.clone())
                        .or_insert_with(|| value.clone());
                }
            }
        }
        (fm, errors)
    }
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

fn string(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(format!("expected text, found {}", describe(other))),
    }
}

fn integer(v: &Value) -> Result<Option<i64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Some(i)),
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Some(f as i64)),
                _ => Err(format!("expected a whole number, found {n}")),
            },
        },
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("expected a number, found {s:?}")),
        other => Err(format!("expected a number, found {}", describe(other))),
    }
}

fn boolean(v: &Value) -> Result<Option<bool>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "true" | "yes" => Ok(Some(true)),
            "false" | "no" => Ok(Some(false)),
            _ => Err(format!("expected true or false, found {s:?}")),
        },
        other => Err(format!("expected true or false, found {}", describe(other))),
    }
}

fn string_list(v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|i| string(i).map(Option::unwrap_or_default))
            .collect::<Result<Vec<_>, _>>(),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            Ok(string(v)?.into_iter().collect())
        }
        other => Err(format!("expected a list, found {}", describe(other))),
    }
}

fn date(v: &Value) -> Result<Option<PageDate>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_date(s)
            .map(Some)
            .ok_or_else(|| format!("expected a date (YYYY-MM-DD or RFC 3339), found {s:?}")),
        other => Err(format!("expected a date, found {}", describe(other))),
    }
}

/// Dates as Hugo accepts them: RFC 3339, `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS]`, RFC 2822.
/// Dates without an offset are read as UTC.
pub fn parse_date(s: &str) -> Option<PageDate> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return utc.from_local_datetime(&n).single();
        }
    }
    for fmt in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S%.f %z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return utc.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single();
    }
    None
}

pub fn now() -> PageDate {
    Utc::now().fixed_offset()
}

fn menus(v: &Value) -> Result<Vec<MenuRef>, String> {
    let simple = |name: &str| MenuRef {
        menu: name.to_string(),
        ..Default::default()
    };
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![simple(s)]),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(simple)
                    .ok_or_else(|| format!("expected menu names, found {}", describe(i)))
            })
            .collect(),
        Value::Object(map) => {
            let mut out = Vec::new();
            for (menu, entry) in map {
                let mut r = simple(menu);
                match entry {
                    Value::Null => {}
                    Value::Object(e) => {
                        let e = lowercase_keys(e.clone());
                        let text = |k: &str| -> Result<Option<String>, String> {
                            e.get(k)
                                .map(string)
                                .transpose()
                                .map(Option::flatten)
                                .map_err(|m| format!("{menu}.{k}: {m}"))
                        };
                        r.name = text("name")?;
                        r.pre = text("pre")?;
                        r.parent = text("parent")?;
                        r.identifier = text("identifier")?;
                        r.weight = e
                            .get("weight")
                            .map(integer)
                            .transpose()
                            .map_err(|m| format!("{menu}.weight: {m}"))?
                            .flatten();
                    }
                    other => {
                        return Err(format!("{menu}: expected a map, found {}", describe(other)))
                    }
                }
                out.push(r);
            }
            Ok(out)
        }
        other => Err(format!(
            "expected a menu name or a map, found {}",
            describe(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(src: &str) -> (FrontMatter, Vec<FieldError>) {
        let doc = split(&normalise_text(src)).unwrap();
        FrontMatter::from_fields(&doc.front.fields, &["tags".into(), "categories".into()])
    }

    #[test]
    fn yaml_front_matter_keys_are_case_insensitive() {
        let (fm, errs) = typed("---\nTitle: A\nlinktitle: B\nweight: -3\n---\nbody\n");
        assert!(errs.is_empty());
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.link_title.as_deref(), Some("B"));
        assert_eq!(fm.weight, Some(-3));
    }

    #[test]
    fn toml_front_matter_with_dates() {
        let (fm, errs) =
            typed("+++\ntitle = \"T\"\ndate = 2024-10-12\ntags = [\"a\", \"\"]\n+++\nbody");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            fm.date.unwrap().format("%Y-%m-%d").to_string(),
            "2024-10-12"
        );
        assert_eq!(fm.taxonomies["tags"], vec!["a"]);
    }

    #[test]
    fn body_line_counts_the_front_matter() {
        let doc = split("---\ntitle: x\n---\n# Hello\n").unwrap();
        assert_eq!(doc.body_line, 4);
        assert_eq!(doc.body, "# Hello\n");
    }

    #[test]
    fn wrong_types_are_errors_with_the_key() {
        let src = "---\ntitle: x\nweight: high\ndate: someday\n---\n";
        let doc = split(src).unwrap();
        let (_, errs) = FrontMatter::from_fields(&doc.front.fields, &[]);
        let keys: Vec<&str> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, vec!["date", "weight"]);
        assert_eq!(doc.front.locate("weight"), (3, Some(9)));
    }

    #[test]
    fn unknown_keys_become_params() {
        let (fm, _) = typed("---\nAuthor: X\nparams:\n  Body_Class: y\n---\n");
        assert_eq!(fm.params["author"], "X");
        assert_eq!(fm.params["body_class"], "y");
    }

    #[test]
    fn menu_forms() {
        let (fm, _) = typed("---\nmenu: main\n---\n");
        assert_eq!(fm.menus[0].menu, "main");
        let (fm, _) = typed(
            "---\nmenu:\n  main:\n    weight: 30\n    name: 運用手順\n    pre: '<i></i>'\n---\n",
        );
        assert_eq!(fm.menus[0].weight, Some(30));
        assert_eq!(fm.menus[0].name.as_deref(), Some("運用手順"));
    }

    #[test]
    fn date_formats() {
        for s in [
            "2026-11-20",
            "2026-11-20T09:30:00+09:00",
            "2026-11-20 09:30",
            "Fri, 20 Nov 2026 09:30:00 +0900",
        ] {
            assert!(parse_date(s).is_some(), "{s}");
        }
        assert!(parse_date("next week").is_none());
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
    }
}
