//! Typed front matter: the known keys with their types (dates, weights, menus, taxonomies …)
//! converted from the loosely-typed fields, each bad value reported by key.

use std::collections::BTreeMap;

use chrono::Utc;
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::cascade_rules::{describe, parse_cascade, CascadeRule};

pub use super::dates::PageDate;

/// A page's date as pages, feeds and publications print it: `2026-11-20`.
pub fn day(d: &Option<PageDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn lowercase_keys(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect()
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

/// Typed front matter of one page, after cascade.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub link_title: Option<String>,
    pub description: Option<String>,
    pub date: Option<PageDate>,
    pub lastmod: Option<PageDate>,
    /// Who made the commit `lastmod` came from (`lastmod: git`); never from front matter.
    pub lastmod_author: Option<String>,
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
    /// Hugo's `build.render: never|link` or `headless: true`: no page is written.
    pub not_rendered: bool,
    /// Hugo's `build.list: never`: written, but in no list, navigation, sitemap or feed.
    pub not_listed: bool,
    /// `search: false` keeps the page out of the search index (also cascaded).
    pub search: Option<bool>,
    /// The customer editions the page is published in: `customers` (all of them) or slugs.
    /// Absent: the internal site only.
    pub audience: Option<Vec<String>>,
    /// Links the page to its translations in a bilingual site (Hugo's `translationKey`); without
    /// it, the pages at the same path of each language's content are translations.
    pub translation_key: Option<String>,
    /// The alerts a runbook answers (`alerts: [DiskFull]`): each gets `/runbooks/alerts/<name>/`.
    pub alerts: Vec<String>,
}

/// A field of the wrong type: which key, and what was wrong; or, with `warning`, a value
/// used as Hugo would use it that deserves a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: String,
    pub message: String,
    pub warning: bool,
}

impl FrontMatter {
    /// Type the fields, reading dates without an offset as UTC.
    pub fn from_fields(
        fields: &Map<String, Value>,
        taxonomy_names: &[String],
    ) -> (FrontMatter, Vec<FieldError>) {
        FrontMatter::from_fields_in(fields, taxonomy_names, chrono_tz::UTC)
    }

    /// Type the fields; dates without an offset are read in `tz` (the site's time zone).
    /// Every bad field is reported; good ones are still used.
    pub fn from_fields_in(
        fields: &Map<String, Value>,
        taxonomy_names: &[String],
        tz: Tz,
    ) -> (FrontMatter, Vec<FieldError>) {
        let mut fm = FrontMatter::default();
        let mut errors = Vec::new();
        for (key, value) in fields {
            let mut field = Field {
                key,
                errors: &mut errors,
            };
            fm.set(&mut field, value, taxonomy_names, tz);
        }
        (fm, errors)
    }

    /// Set the field `f.key` from `value`; a bad value is reported to `f` and leaves the
    /// field unset.
    fn set(&mut self, f: &mut Field, value: &Value, taxonomy_names: &[String], tz: Tz) {
        let fm = self;
        match f.key.as_str() {
            "title" => fm.title = f.take(string(value)),
            "linktitle" => fm.link_title = f.take(string(value)),
            "translationkey" => {
                fm.translation_key = f.take(string(value)).filter(|k| !k.trim().is_empty())
            }
            "description" => {
                fm.description = f.take(string(value)).map(|s| s.trim_end().to_string())
            }
            "slug" => fm.slug = f.take(string(value)),
            "url" => fm.url = f.take(string(value)),
            "type" => fm.page_type = f.take(string(value)),
            "layout" => fm.layout = f.take(string(value)),
            "owner" => fm.owner = f.take(string(value)),
            // MkDocs Material's blog form: `date: {created: …, updated: …}`; a `lastmod` of
            // the page's own wins over `updated`.
            "date" if value.is_object() => {
                fm.date = f.take_date(date(&value["created"], tz));
                if fm.lastmod.is_none() {
                    fm.lastmod = f.take_date(date(&value["updated"], tz));
                }
            }
            "date" => fm.date = f.take_date(date(value, tz)),
            "lastmod" => fm.lastmod = f.take_date(date(value, tz)),
            "publishdate" => fm.publish_date = f.take_date(date(value, tz)),
            "expirydate" => fm.expiry_date = f.take_date(date(value, tz)),
            "reviewed" => fm.reviewed = f.take_date(date(value, tz)),
            "review_by" => fm.review_by = f.take_date(date(value, tz)),
            "weight" => fm.weight = f.take(integer(value)),
            "draft" => fm.draft = f.take(boolean(value)).unwrap_or(false),
            "feed" => fm.feed = f.take(boolean(value)).unwrap_or(false),
            "headless" => {
                let headless = f.take(boolean(value)).unwrap_or(false);
                fm.not_rendered |= headless;
                fm.not_listed |= headless;
            }
            "build" | "_build" => {
                if let Some((rendered, listed)) = f.take(build_options(value).map(Some)) {
                    fm.not_rendered |= !rendered;
                    fm.not_listed |= !listed;
                }
            }
            // MkDocs Material's `search: {exclude: true}` (and `boost`, which opsite has not).
            "search" if value.is_object() => {
                fm.search = f.take(boolean(&value["exclude"])).map(|exclude| !exclude)
            }
            "search" => fm.search = f.take(boolean(value)),
            "audience" => {
                fm.audience = f.take(
                    string_list(value)
                        .map(|v| Some(v.iter().map(|s| s.trim().to_string()).collect())),
                )
            }
            "toc" => fm.toc = f.take(boolean(value)),
            "aliases" => fm.aliases = f.take(string_list(value)),
            "alerts" => fm.alerts = f.take(string_list(value)),
            "menu" => fm.menus = f.take(menus(value)),
            "cascade" => fm.cascade = f.take(parse_cascade(value)),
            "params" => match value {
                Value::Object(m) => fm
                    .params
                    .extend(m.iter().map(|(k, v)| (k.to_lowercase(), v.clone()))),
                Value::Null => {}
                other => f.fail(format!("expected a map, found {}", describe(other))),
            },
            k if taxonomy_names.iter().any(|t| t == k) => {
                let terms: Vec<String> = f
                    .take(string_list(value))
                    .into_iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                fm.taxonomies.insert(k.to_string(), terms);
            }
            _ => {
                fm.params
                    .entry(f.key.clone())
                    .or_insert_with(|| value.clone());
            }
        }
    }
}

/// One front-matter field being typed, and where its problems go.
struct Field<'a> {
    key: &'a String,
    errors: &'a mut Vec<FieldError>,
}

impl Field<'_> {
    fn fail(&mut self, message: String) {
        self.errors.push(FieldError {
            key: self.key.clone(),
            message,
            warning: false,
        });
    }

    /// A date, its note a warning.
    fn take_date(
        &mut self,
        typed: Result<(Option<PageDate>, Option<String>), String>,
    ) -> Option<PageDate> {
        let (date, note) = self.take(typed);
        if let Some(message) = note {
            self.errors.push(FieldError {
                key: self.key.clone(),
                message,
                warning: true,
            });
        }
        date
    }

    /// The typed value, or (reported) the empty one.
    fn take<T: Default>(&mut self, typed: Result<T, String>) -> T {
        typed.unwrap_or_else(|e| {
            self.fail(e);
            T::default()
        })
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

/// A date field, with the note to warn with when it was read leniently (a weekday that
/// disagrees with the date, an unknown zone).
fn date(v: &Value, tz: Tz) -> Result<(Option<PageDate>, Option<String>), String> {
    match v {
        Value::Null => Ok((None, None)),
        Value::String(s) if s.trim().is_empty() => Ok((None, None)),
        // Seconds since 1970 (Hugo reads a number as a Unix time).
        Value::Number(n) if n.is_i64() => {
            use chrono::TimeZone;
            let at = n.as_i64().and_then(|n| tz.timestamp_opt(n, 0).single());
            at.map(|d| (Some(d.fixed_offset()), None))
                .ok_or_else(|| format!("expected a date, found {n} (too far for a Unix time)"))
        }
        Value::String(s) => super::dates::read(s, tz)
            .map(|r| (Some(r.date), r.note))
            .ok_or_else(|| {
                // A huge value is named by its start, not printed whole.
                let shown: String = s.chars().take(60).collect();
                let more = if shown.len() < s.len() { "…" } else { "" };
                format!("expected a date (YYYY-MM-DD, RFC 3339 or another form Hugo reads), found {shown:?}{more}")
            }),
        other => Err(format!("expected a date, found {}", describe(other))),
    }
}

/// Dates as Hugo reads them (see `dates`). Dates without an offset are read as UTC.
pub fn parse_date(s: &str) -> Option<PageDate> {
    super::dates::read(s, chrono_tz::UTC).map(|r| r.date)
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

/// Hugo's `build` options: whether the page is written and whether it is listed. `render:
/// link` keeps only the address, which without a written page opsite treats as `never`; the
/// booleans of Hugo before 0.75 (`render: false`) are read as `never` and `always`.
fn build_options(value: &Value) -> Result<(bool, bool), String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "expected a map (render, list), found {}",
            describe(value)
        ));
    };
    let mut rendered = true;
    let mut listed = true;
    for (k, v) in map {
        // Hugo's older form: `true` is `always`, `false` is `never` (render and list alike).
        let text = match v {
            Value::Bool(true) => Some("always".to_string()),
            Value::Bool(false) => Some("never".to_string()),
            _ => v.as_str().map(str::to_lowercase),
        };
        match (k.to_lowercase().as_str(), text.as_deref()) {
            ("render", Some("always")) | ("list", Some("always" | "local")) => {}
            ("render", Some("never" | "link")) => rendered = false,
            ("list", Some("never")) => listed = false,
            ("publishresources", _) => {}
            ("render", _) => {
                return Err("render: expected always, never or link (or true, false)".into())
            }
            ("list", _) => {
                return Err("list: expected always, local or never (or true, false)".into())
            }
            (other, _) => {
                return Err(format!(
                    "`{other}` is not a build option (render, list, publishResources)"
                ))
            }
        }
    }
    Ok((rendered, listed && rendered))
}
