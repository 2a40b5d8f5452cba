//! Hugo's values that need more than renaming to become opsite's: TOML's dates, the default
//! language, menus with `pageRef`, and the content folder a module mounts.

use serde_json::{Map, Value};

use super::lower_keys;

/// The folder the site's own module mounts as its content (`module: {mounts: [{source:
/// content/en, target: content}]}`), for the default language or any.
pub(super) fn content_mount(doc: &Map<String, Value>, language: &str) -> Option<String> {
    let mounts = doc.get("module")?.get("mounts")?.as_array()?;
    mounts.iter().find_map(|m| {
        let m = lower_keys(m.clone());
        let for_language = m
            .get("lang")
            .and_then(Value::as_str)
            .is_none_or(|l| l.eq_ignore_ascii_case(language));
        (m.get("target").and_then(Value::as_str) == Some("content") && for_language)
            .then(|| m.get("source").and_then(Value::as_str).map(str::to_string))
            .flatten()
    })
}

/// The default language and its own settings (`languages.<key>`, keys lower-cased).
pub(super) struct Language {
    pub key: String,
    own: Map<String, Value>,
    all: Vec<String>,
    /// Every language's settings, by weight.
    settings: Vec<(String, Map<String, Value>)>,
}

impl Language {
    /// `defaultContentLanguage`, else the first of `languages` by weight, else English
    /// (Hugo's default).
    pub fn of(doc: &Map<String, Value>) -> Language {
        let languages: Vec<(String, Map<String, Value>)> = doc
            .get("languages")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.to_lowercase(), lower_keys(v.clone())))
                    .collect()
            })
            .unwrap_or_default();
        let weight = |m: &Map<String, Value>| m.get("weight").and_then(Value::as_i64).unwrap_or(0);
        let mut by_weight: Vec<&(String, Map<String, Value>)> = languages.iter().collect();
        by_weight.sort_by(|a, b| (weight(&a.1), &a.0).cmp(&(weight(&b.1), &b.0)));
        let key = doc
            .get("defaultcontentlanguage")
            .and_then(Value::as_str)
            .map(str::to_lowercase)
            .filter(|k| !k.trim().is_empty())
            .or_else(|| by_weight.first().map(|(k, _)| k.clone()))
            .unwrap_or_else(|| "en".into());
        let own = languages
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, m)| m.clone())
            .unwrap_or_default();
        Language {
            key,
            own,
            all: by_weight.iter().map(|(k, _)| k.clone()).collect(),
            settings: by_weight.into_iter().cloned().collect(),
        }
    }

    /// Hugo's `languages` as opsite's (None: one language): each language's title, weight (the
    /// default's made the lowest, as opsite takes the lowest for the default), name, content
    /// folder inside `content_dir`, params, menus and cascade. Keys it leaves out come back
    /// as `languages.<code>.<key>`.
    pub fn opsite_languages(
        &self,
        content_dir: &str,
        top_dir: Option<&str>,
    ) -> Option<(Map<String, Value>, Vec<String>)> {
        if self.all.len() < 2 {
            return None;
        }
        let mut out = Map::new();
        let mut dropped = Vec::new();
        // A language without a weight is 0 to opsite: the default goes below every weight and 0.
        let lowest = (self.settings.iter())
            .filter_map(|(_, m)| m.get("weight")?.as_i64())
            .chain(std::iter::once(0))
            .min();
        for (code, m) in &self.settings {
            let mut l = Map::new();
            for (k, v) in m {
                match k.as_str() {
                    "title" | "params" | "cascade" => {
                        l.insert(k.clone(), v.clone());
                    }
                    "languagename" => {
                        l.insert("name".into(), v.clone());
                    }
                    "weight" => {
                        l.insert("weight".into(), v.clone());
                    }
                    "contentdir" => {}
                    // The default language's menus are the site's, reported there.
                    "menus" | "menu" if *code == self.key => {}
                    "menus" | "menu" => match menus_of(v) {
                        Some((menus, gone)) => {
                            dropped
                                .extend(gone.into_iter().map(|g| format!("languages.{code}.{g}")));
                            l.insert("menus".into(), Value::Object(menus));
                        }
                        None => dropped.push(format!("languages.{code}.{k}")),
                    },
                    "languagecode" | "languagedirection" | "disabled" => {
                        dropped.push(format!("languages.{code}.{k}"))
                    }
                    _ => dropped.push(format!("languages.{code}.{k}")),
                }
            }
            if *code == self.key {
                l.insert("weight".into(), Value::from(lowest.unwrap_or(0) - 1));
            }
            if let Some(d) = self.dir_of(m, top_dir) {
                let inside = d
                    .strip_prefix(content_dir)
                    .is_some_and(|r| r.starts_with('/'));
                if inside {
                    l.insert("content".into(), Value::String(d));
                }
            }
            out.insert(code.clone(), Value::Object(l));
        }
        Some((out, dropped))
    }

    /// The folder holding every language's `contentDir` (`content` for `content/ja` and
    /// `content/en`), when they have one.
    pub fn shared_content_dir(&self, top_dir: Option<&str>) -> Option<String> {
        let dirs: Vec<String> = (self.settings.iter())
            .filter_map(|(_, m)| self.dir_of(m, top_dir))
            .collect();
        let first = dirs.first()?;
        if dirs.iter().all(|d| d == first) {
            // One folder for all: the languages are told apart by their files' names.
            return None;
        }
        let mut common: Vec<&str> = first.split('/').collect();
        for d in &dirs[1..] {
            let parts: Vec<&str> = d.split('/').collect();
            let same = common
                .iter()
                .zip(&parts)
                .take_while(|(a, b)| a == b)
                .count();
            common.truncate(same);
        }
        if dirs.len() == 1 || common.len() == first.split('/').count() {
            common.pop();
        }
        Some(if common.is_empty() {
            "content".into()
        } else {
            common.join("/")
        })
    }

    /// A language's content folder: its own `contentDir`, else the site's.
    fn dir_of(&self, m: &Map<String, Value>, top_dir: Option<&str>) -> Option<String> {
        let d = m.get("contentdir").and_then(Value::as_str).or(top_dir)?;
        Some(
            d.trim()
                .trim_matches('/')
                .trim_start_matches("./")
                .to_string(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.own.get(key)
    }

    pub fn others(&self) -> Option<String> {
        let others: Vec<&str> = self
            .all
            .iter()
            .filter(|k| **k != self.key)
            .map(String::as_str)
            .collect();
        (!others.is_empty()).then(|| others.join(", "))
    }
}

/// Hugo's menus as opsite's: `pageRef` becomes the page's address; keys opsite has no use for
/// (`post`, `title`, `params`) come back as `menus.<menu>.<key>`, and a menu or entry that is not
/// a list or map as `menus.<menu>`.
pub(super) fn menus_of(v: &Value) -> Option<(Map<String, Value>, Vec<String>)> {
    let mut out = Map::new();
    let mut dropped = Vec::new();
    let menus = v.as_object()?;
    for (name, entries) in menus {
        let list = match entries {
            Value::Array(a) => a.clone(),
            Value::Object(_) => vec![entries.clone()],
            _ => {
                dropped.push(format!("menus.{name}"));
                continue;
            }
        };
        let mut kept = Vec::new();
        for entry in list {
            if !entry.is_object() {
                dropped.push(format!("menus.{name}"));
                continue;
            }
            let mut e = Map::new();
            for (k, v) in lower_keys(entry) {
                match k.as_str() {
                    "name" | "url" | "weight" | "pre" | "parent" | "identifier" => {
                        e.insert(k, v);
                    }
                    "pageref" => {
                        if let Some(r) = v.as_str() {
                            e.entry("url").or_insert(Value::String(page_ref_url(r)));
                        }
                    }
                    _ => dropped.push(format!("menus.{name}.{k}")),
                }
            }
            kept.push(Value::Object(e));
        }
        // Hugo's menu names match whatever their case (`[[MENU.Main]]` is `main`).
        out.insert(name.to_lowercase(), Value::Array(kept));
    }
    Some((out, dropped))
}

/// `pageRef: /docs/getting-started` (or `docs/_index.md`) → `/docs/getting-started/`.
fn page_ref_url(r: &str) -> String {
    let p = r.trim().trim_start_matches('/');
    let p = p.strip_suffix(".md").unwrap_or(p);
    let p = p
        .strip_suffix("_index")
        .or_else(|| p.strip_suffix("index"))
        .unwrap_or(p)
        .trim_end_matches('/');
    if p.is_empty() {
        "/".into()
    } else {
        format!("/{p}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_refs_become_addresses() {
        assert_eq!(
            page_ref_url("/docs/getting-started"),
            "/docs/getting-started/"
        );
        assert_eq!(page_ref_url("docs/_index.md"), "/docs/");
        assert_eq!(page_ref_url("/"), "/");
    }
}
