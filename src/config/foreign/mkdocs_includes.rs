//! `mkdocs.yml`'s include extensions as `markdown.includes`: `markdown_include.include`
//! (`{!path!}`, its `base_path`) and `pymdownx.snippets` (`--8<--`, its `base_path` and
//! `check_paths`), so a tree's shared snippets appear in its pages as MkDocs writes them.

use serde_json::{json, Map, Value};

/// The extensions' names as `mkdocs.yml` lists them.
pub const NAMES: [&str; 2] = ["markdown_include.include", "pymdownx.snippets"];

/// One extension's settings in a list (`- name: {settings}` or `- name`) or a map of them.
fn settings<'a>(list: Option<&'a Value>, name: &str) -> Option<Option<&'a Map<String, Value>>> {
    match list? {
        Value::Array(items) => items.iter().find_map(|item| match item {
            Value::String(s) if s == name => Some(None),
            Value::Object(m) => m.get(name).map(Value::as_object),
            _ => None,
        }),
        Value::Object(m) => m.get(name).map(Value::as_object),
        _ => None,
    }
}

/// `markdown.includes` for the extensions `markdown_extensions` turns on (None: neither).
pub fn includes(extensions: Option<&Value>) -> Option<Value> {
    let mut out = Map::new();
    if let Some(s) = settings(extensions, NAMES[0]) {
        let base = s.and_then(|s| s.get("base_path")).and_then(Value::as_str);
        out.insert(
            "markdown_include".into(),
            json!({ "base_path": base.unwrap_or(".") }),
        );
    }
    if let Some(s) = settings(extensions, NAMES[1]) {
        let base: Vec<&str> = match s.and_then(|s| s.get("base_path")) {
            Some(Value::String(b)) => vec![b.as_str()],
            Some(Value::Array(bs)) => bs.iter().filter_map(Value::as_str).collect(),
            _ => vec!["."],
        };
        let check = (s.and_then(|s| s.get("check_paths")))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        out.insert(
            "snippets".into(),
            json!({ "base_path": base, "check_paths": check }),
        );
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_of_settings_are_read() {
        let list = json!(["admonition", {"markdown_include.include": {"base_path": "docs"}}, "pymdownx.snippets"]);
        assert_eq!(
            includes(Some(&list)),
            Some(json!({
                "markdown_include": {"base_path": "docs"},
                "snippets": {"base_path": ["."], "check_paths": false}
            }))
        );
        let map = json!({"pymdownx.snippets": {"base_path": ["docs", "."], "check_paths": true}});
        assert_eq!(
            includes(Some(&map)),
            Some(json!({"snippets": {"base_path": ["docs", "."], "check_paths": true}}))
        );
        assert_eq!(includes(Some(&json!(["toc"]))), None);
    }
}
