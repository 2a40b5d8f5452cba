//! A site's own words per language, in Hugo's `i18n/<lang>.yaml` (also `.toml`, `.json`): the
//! theme's words of the same name are replaced by them, and every other word is there for the
//! site's templates (`ui.<key>`). Hugo's three forms are read: `key: text`, `key: {other: text}`
//! and a list of `{id, translation}`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::UiStrings;

/// A language's words: key → text.
pub type Words = BTreeMap<String, String>;

/// One file's words, or the line and message of what is wrong with it.
pub fn parse(name: &str, text: &str) -> Result<Words, (usize, String)> {
    let value: Value = if name.ends_with(".toml") {
        let table = text.parse::<toml::Table>().map_err(|e| {
            let at = e.span().map_or(0, |s| s.start).min(text.len());
            (
                text[..at].matches('\n').count() + 1,
                e.message().to_string(),
            )
        })?;
        serde_json::to_value(table).map_err(|e| (1, e.to_string()))?
    } else if name.ends_with(".json") {
        serde_json::from_str(text).map_err(|e| (e.line().max(1), e.to_string()))?
    } else {
        crate::yaml::to_value(text).map_err(|e| (e.line, e.message))?
    };
    let mut out = Words::new();
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if let Some(t) = text_of(&v) {
                    out.insert(key, t);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                let id = item.get("id").and_then(Value::as_str);
                let t = item.get("translation").and_then(text_of);
                if let (Some(id), Some(t)) = (id, t) {
                    out.insert(id.to_string(), t);
                }
            }
        }
        Value::Null => {}
        _ => return Err((1, "expected `key: text` lines".into())),
    }
    Ok(out)
}

/// `text`, or Hugo's plural form's `other` (else `one`).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => ["other", "one"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str))
            .map(str::to_string),
        _ => None,
    }
}

/// The words the templates see as `ui`: the theme's in the page's language, each replaced by the
/// site's word of the same name for that language, and the site's other words, falling back to
/// the default language's (as Hugo does) but never over the theme's own word in this language.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(transparent)]
pub struct UiWords(serde_json::Map<String, Value>);

impl UiWords {
    pub fn new(ui: &UiStrings, own: Option<&Words>, default: Option<&Words>) -> UiWords {
        let mut map = match serde_json::to_value(ui) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        for (k, v) in default.into_iter().flatten() {
            map.entry(k.clone())
                .or_insert_with(|| Value::String(v.clone()));
        }
        for (k, v) in own.into_iter().flatten() {
            map.insert(k.clone(), Value::String(v.clone()));
        }
        UiWords(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_forms_are_read() {
        let w = parse("ja.yaml", "welcome: ようこそ\nsearch: {other: 検索する}\n").unwrap();
        assert_eq!(w["welcome"], "ようこそ");
        assert_eq!(w["search"], "検索する");
        let w = parse("en.yaml", "- id: welcome\n  translation: Welcome\n").unwrap();
        assert_eq!(w["welcome"], "Welcome");
        let w = parse("en.toml", "bye = \"Bye\"\n[home]\nother = \"Start\"\n").unwrap();
        assert_eq!((w["home"].as_str(), w["bye"].as_str()), ("Start", "Bye"));
        assert_eq!(parse("en.toml", "a = \n").unwrap_err().0, 1);
        assert!(parse("en.yaml", "- 1\n").unwrap().is_empty());
    }

    #[test]
    fn own_words_replace_the_theme_and_others_fall_back_but_not_over_the_theme() {
        let own: Words = [("search".to_string(), "Find".to_string())].into();
        let default: Words = [
            ("menu".to_string(), "メニュー項目".to_string()),
            ("welcome".to_string(), "ようこそ".to_string()),
        ]
        .into();
        let w = UiWords::new(UiStrings::for_language("en"), Some(&own), Some(&default));
        assert_eq!(w.0["search"], "Find");
        assert_eq!(
            w.0["menu"], "Menu",
            "the theme's English word, not the default language's"
        );
        assert_eq!(
            w.0["welcome"], "ようこそ",
            "a word only the default language has"
        );
    }
}
