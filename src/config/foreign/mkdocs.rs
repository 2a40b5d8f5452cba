//! `mkdocs.yml` as opsite's configuration: the site's name and address, `docs_dir`, `nav`
//! (order and titles), the theme's language, the Markdown extensions opsite has built in, and
//! `extra` as params. MkDocs' YAML tags are read as MkDocs reads them where opsite can (`!ENV`);
//! Python (`!!python/name:`) is left out with a note.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{note_at, unused_note, Kind, Translated};
use crate::error::{Code, Diagnostic, Location};

const NAMES: [&str; 2] = ["mkdocs.yml", "mkdocs.yaml"];

/// `mkdocs.yml` in `dir`, if there is one.
pub fn config_file(dir: &Path) -> Option<PathBuf> {
    NAMES
        .iter()
        .map(PathBuf::from)
        .find(|p| dir.join(p).is_file())
}

/// Markdown extensions whose markup opsite renders without being asked: admonitions and
/// collapsible ones, tables, footnotes, task lists, `~~` strikethrough, `{#id}` on headings,
/// fenced and highlighted code, front matter, and a table of contents from the headings.
const BUILT_IN: &[&str] = &[
    "admonition",
    "attr_list",
    "codehilite",
    "extra",
    "fenced_code",
    "footnotes",
    "meta",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "sane_lists",
    "tables",
    "toc",
];

/// Keys read here; every other one is listed as not used.
const READ: [&str; 11] = [
    "plugins",
    "site_name",
    "site_url",
    "docs_dir",
    "nav",
    "theme",
    "markdown_extensions",
    "extra",
    "site_description",
    "site_author",
    "copyright",
];

pub fn read(dir: &Path) -> Result<Translated, Diagnostic> {
    let file = config_file(dir).unwrap_or_else(|| PathBuf::from(NAMES[0]));
    let text = std::fs::read_to_string(dir.join(&file)).map_err(|e| {
        Diagnostic::error(
            Code::Config,
            Location::file(&file),
            format!("cannot read: {e}"),
        )
    })?;
    let yaml = crate::yaml::to_tagged_value(&text).map_err(|e| {
        Diagnostic::error(
            Code::Config,
            Location::at(&file, e.line, Some(e.column)),
            e.message,
        )
    })?;
    let doc = match untagged(yaml) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut notes: Vec<Diagnostic> = python_tags(&text)
        .into_iter()
        .map(|(line, tag)| {
            let message =
                format!("{tag} is Python, which opsite does not run; its value is left out");
            Diagnostic::warning(Code::Config, Location::at(&file, line, None), message)
        })
        .collect();
    let mut site = Map::new();
    let mut unused: Vec<String> = doc
        .keys()
        .filter(|k| !READ.contains(&k.as_str()))
        .cloned()
        .collect();
    let text_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    if let Some(t) = text_of(doc.get("site_name")) {
        site.insert("title".into(), Value::String(t));
    }
    if let Some(url) = text_of(doc.get("site_url")) {
        match crate::config::check_base_url(&url) {
            Ok(()) => {
                site.insert("base_url".into(), Value::String(url));
            }
            Err(e) => notes.push(note_at(
                &file,
                &text,
                "site_url",
                format!("site_url: {e}; left out (the site is built for /)"),
            )),
        }
    }
    let docs = text_of(doc.get("docs_dir")).unwrap_or_else(|| "docs".into());
    match crate::config::check_content_dir(&docs) {
        Ok(()) => {
            site.insert("content_dir".into(), Value::String(docs));
        }
        Err(e) => notes.push(note_at(
            &file,
            &text,
            "docs_dir",
            format!("docs_dir: {e}; content/ is read instead"),
        )),
    }
    let (language, theme_unused) = theme_language(doc.get("theme"));
    site.insert("language".into(), Value::String(language));
    unused.extend(theme_unused);
    if let Some(nav) = doc.get("nav") {
        let (pages, links) = split_links(nav);
        site.insert("nav".into(), pages);
        if !links.is_empty() {
            site.insert("menus".into(), serde_json::json!({ "main": links }));
        }
    }
    unused.extend(extensions_not_built_in(doc.get("markdown_extensions")));
    unused.extend(plugins_not_built_in(doc.get("plugins")));
    let mut params = doc
        .get("extra")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or(Value::Object(Map::new()));
    for (from, to) in [
        ("site_description", "description"),
        ("site_author", "author"),
        ("copyright", "copyright"),
    ] {
        if let (Some(v), Some(p)) = (doc.get(from), params.as_object_mut()) {
            p.entry(to).or_insert(v.clone());
        }
    }
    if params.as_object().is_some_and(|p| !p.is_empty()) {
        site.insert("params".into(), params);
    }
    notes.extend(unused_note(&file, unused));
    Ok(Translated {
        kind: Kind::MkDocs,
        file,
        site,
        notes,
    })
}

/// `theme: {language: ja}` (or `locale`), else English as MkDocs; the theme's other settings
/// belong to its templates and are listed as not used.
fn theme_language(theme: Option<&Value>) -> (String, Vec<String>) {
    let Some(Value::Object(t)) = theme else {
        return (
            "en".into(),
            theme.map(|_| "theme".to_string()).into_iter().collect(),
        );
    };
    let language = ["language", "locale"]
        .iter()
        .find_map(|k| t.get(*k).and_then(Value::as_str))
        .unwrap_or("en")
        .to_string();
    let unused = t
        .keys()
        .filter(|k| !matches!(k.as_str(), "language" | "locale"))
        .map(|k| format!("theme.{k}"))
        .collect();
    (language, unused)
}

/// `nav` without its links (`Title: https://…`), which become the main menu's entries.
fn split_links(nav: &Value) -> (Value, Vec<Value>) {
    let mut links = Vec::new();
    let pages = keep_pages(nav, &mut links);
    (pages, links)
}

fn keep_pages(v: &Value, links: &mut Vec<Value>) -> Value {
    let Value::Array(items) = v else {
        return v.clone();
    };
    let mut kept = Vec::new();
    for item in items {
        if let Value::Object(m) = item {
            if let (1, Some((title, Value::String(target)))) = (m.len(), m.iter().next()) {
                if target.contains("://") {
                    let weight = links.len() as i64 + 1;
                    links.push(serde_json::json!({"name": title, "url": target, "weight": weight}));
                    continue;
                }
            }
            let inner = m
                .iter()
                .map(|(k, v)| (k.clone(), keep_pages(v, links)))
                .collect();
            kept.push(Value::Object(inner));
        } else {
            kept.push(item.clone());
        }
    }
    Value::Array(kept)
}

/// The names under `markdown_extensions` (a name, or a name with its settings) that opsite
/// does not have, as `markdown_extensions.<name>`.
fn extensions_not_built_in(list: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = list else {
        return Vec::new();
    };
    items
        .iter()
        .flat_map(|item| match item {
            Value::String(s) => vec![s.clone()],
            Value::Object(m) => m.keys().cloned().collect(),
            _ => Vec::new(),
        })
        .map(|name| name.trim_start_matches("markdown.extensions.").to_string())
        .filter(|name| !BUILT_IN.contains(&name.as_str()))
        .map(|name| format!("markdown_extensions.{name}"))
        .collect()
}

/// The plugins other than `search` (opsite writes its own index), as `plugins.<name>`.
fn plugins_not_built_in(list: Option<&Value>) -> Vec<String> {
    let names: Vec<String> = match list {
        Some(Value::Array(items)) => items
            .iter()
            .flat_map(|item| match item {
                Value::String(s) => vec![s.clone()],
                Value::Object(m) => m.keys().cloned().collect(),
                _ => Vec::new(),
            })
            .collect(),
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    names
        .into_iter()
        .filter(|n| n != "search")
        .map(|n| format!("plugins.{n}"))
        .collect()
}

/// The Python tags of the text (`!!python/name:…`), with their lines. The YAML reader drops
/// `!!` tags, leaving an empty value, so they are found in the text to be named.
fn python_tags(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        if line.trim_start().starts_with('#') {
            continue;
        }
        for (at, _) in code.match_indices("!!python/") {
            let tag: String = code[at..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .collect();
            out.push((i + 1, tag));
        }
    }
    out
}

/// The document with its tags applied: `!ENV NAME` (or `!ENV [A, B, default]`) is the first
/// variable set, else the default, as MkDocs reads it; another tag is dropped, its value kept.
fn untagged(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Tagged(t) if t.tag == "ENV" => environment(t.value),
        Y::Tagged(t) => untagged(t.value),
        Y::Sequence(items) => Value::Array(items.into_iter().map(untagged).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, untagged(v))
                })
                .collect(),
        ),
        other => serde_json::to_value(other).unwrap_or(Value::Null),
    }
}

fn environment(v: serde_yaml::Value) -> Value {
    let names: Vec<serde_yaml::Value> = match v {
        serde_yaml::Value::Sequence(s) => s,
        one => vec![one],
    };
    let default = (names.len() > 1).then(|| names[names.len() - 1].clone());
    let vars = &names[..names.len().saturating_sub(usize::from(default.is_some()))];
    for name in vars {
        if let Some(set) = name.as_str().and_then(|n| std::env::var(n).ok()) {
            return serde_yaml::from_str::<serde_json::Value>(&set).unwrap_or(Value::String(set));
        }
    }
    default.map_or(Value::Null, untagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translated(text: &str) -> Translated {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mkdocs.yml"), text).unwrap();
        read(dir.path()).unwrap()
    }

    #[test]
    fn mkdocs_settings_become_site_keys() {
        let t = translated(
            "site_name: 運用手順書\nsite_url: https://ops.example.jp/docs/\nrepo_url: https://git.example.jp/ops\ntheme:\n  name: material\n  language: ja\n  features: [navigation.tabs]\nnav:\n  - ホーム: index.md\n  - 手順:\n    - sop/daily.md\n  - 監視: https://grafana.example.jp/\nmarkdown_extensions:\n  - admonition\n  - toc: {permalink: true}\n  - pymdownx.tabbed: {alternate_style: true}\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nextra: {owner: 運用チーム}\ncopyright: © ops\n",
        );
        assert_eq!(t.site["title"], "運用手順書");
        assert_eq!(t.site["language"], "ja");
        assert_eq!(t.site["content_dir"], "docs");
        assert_eq!(
            t.site["nav"],
            serde_json::json!([{"ホーム": "index.md"}, {"手順": ["sop/daily.md"]}])
        );
        assert_eq!(
            t.site["menus"]["main"][0]["url"],
            "https://grafana.example.jp/"
        );
        assert_eq!(
            t.site["params"],
            serde_json::json!({"owner": "運用チーム", "copyright": "© ops"})
        );
        let notes: Vec<String> = t.notes.iter().map(|n| n.to_string()).collect();
        assert!(
            notes[0].starts_with(
                "mkdocs.yml:18: warning: !!python/name:material.extensions.emoji.twemoji is Python"
            ),
            "{notes:?}"
        );
        assert!(notes[1].ends_with("markdown_extensions.pymdownx.emoji, markdown_extensions.pymdownx.tabbed, repo_url, theme.features, theme.name"), "{notes:?}");
    }

    #[test]
    fn env_tags_read_the_environment_or_their_default() {
        let t = translated("site_name: !ENV [OPSITE_TEST_UNSET_NAME, 既定の名前]\nsite_url: !ENV OPSITE_TEST_UNSET_URL\n");
        assert_eq!(t.site["title"], "既定の名前");
        assert!(!t.site.contains_key("base_url"));
        assert_eq!(t.site["language"], "en");
    }
}
