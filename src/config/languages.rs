//! `languages:` in site.yaml: the languages a bilingual site publishes, each with its content
//! (a folder inside `content_dir`, or Hugo's file-name form `page.en.md`), its title, menus and
//! params, and where it is served. The first by weight is the default, served at the site root;
//! the others under `/<code>/`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::MenuEntryConfig;

/// One entry of `languages:`, as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct LanguageConfig {
    /// The site's title in this language.
    pub title: Option<String>,
    /// The language's own folder of pages, relative to the site root and inside `content_dir`
    /// (`content/en`); without it, the language's pages are the files named `page.<code>.md`
    /// (and, for the default language, every file without a language in its name).
    pub content: Option<String>,
    /// Order in the switcher; the lowest is the default language.
    pub weight: i64,
    /// Where the language is served (`/english/`); default `/<code>/` (the default language
    /// is always at the site root).
    pub path: Option<String>,
    /// The language's name in the switcher (default: its own name, 日本語 or English).
    pub name: Option<String>,
    /// The language's menus, in place of the site's.
    pub menus: Option<BTreeMap<String, Vec<MenuEntryConfig>>>,
    /// Params of this language, over the default language's and the site's.
    pub params: serde_json::Value,
    /// Site-wide cascade of this language, over the default language's and the site's.
    pub cascade: serde_json::Value,
}

/// Where a language's pages come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LanguageContent {
    /// A folder relative to `content_dir` (`en` for `content/en`).
    Folder(String),
    /// Files named `page.<code>.md` in the shared content (the default language also takes the
    /// files that name no language).
    Suffix,
}

/// A checked language.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    pub code: String,
    /// Shown in the switcher (`name:`); without one, the language's own name for itself
    /// (`i18n::language_name`).
    pub name: Option<String>,
    pub title: Option<String>,
    pub content: LanguageContent,
    /// `""` for the default language, `/en` for the others.
    pub prefix: String,
    pub menus: Option<BTreeMap<String, Vec<MenuEntryConfig>>>,
    pub params: serde_json::Value,
    pub cascade: serde_json::Value,
}

/// The languages, the default first then by weight and code; or the code of the entry at fault
/// and the message.
pub fn checked(
    map: &BTreeMap<String, LanguageConfig>,
    content_dir: &str,
) -> Result<Vec<Language>, (String, String)> {
    let mut entries: Vec<(&String, &LanguageConfig)> = map.iter().collect();
    entries.sort_by(|a, b| (a.1.weight, a.0).cmp(&(b.1.weight, b.0)));
    let mut out: Vec<Language> = Vec::new();
    for (i, (code, c)) in entries.into_iter().enumerate() {
        let fail = |m: String| (code.clone(), format!("languages.{code}: {m}"));
        super::check_language(code).map_err(fail)?;
        let content = match &c.content {
            None => LanguageContent::Suffix,
            Some(folder) => LanguageContent::Folder(inside(folder, content_dir).map_err(fail)?),
        };
        let prefix = match (i, &c.path) {
            (0, Some(p)) if !p.trim_matches('/').is_empty() => {
                return Err(fail(format!(
                    "path: the default language (the lowest weight) is served at the site root; remove `path: {p}` or give another language the lowest weight"
                )))
            }
            (0, _) => String::new(),
            (_, Some(p)) => served_at(p).map_err(fail)?,
            (_, None) => format!("/{}", code.to_ascii_lowercase()),
        };
        if let Some(other) = out.iter().find(|l| l.code.eq_ignore_ascii_case(code)) {
            return Err(fail(format!("is listed twice (as {})", other.code)));
        }
        if let Some(other) = out
            .iter()
            .find(|l| !prefix.is_empty() && l.prefix == prefix)
        {
            return Err(fail(format!(
                "is served at {prefix}/ as {} is; give one of them another `path`",
                other.code
            )));
        }
        let folder = |l: &Language| match &l.content {
            LanguageContent::Folder(f) => Some(f.clone()),
            LanguageContent::Suffix => None,
        };
        if let LanguageContent::Folder(f) = &content {
            if let Some(other) = out
                .iter()
                .find(|l| folder(l).is_some_and(|o| o == *f || nested(&o, f) || nested(f, &o)))
            {
                return Err(fail(format!(
                    "content: {content_dir}/{f} overlaps the folder of {}; each language needs a folder of its own",
                    other.code
                )));
            }
        }
        out.push(Language {
            code: code.clone(),
            name: (c.name.clone()).filter(|n| !n.trim().is_empty()),
            title: c.title.clone(),
            content,
            prefix,
            menus: c.menus.clone(),
            params: c.params.clone(),
            cascade: c.cascade.clone(),
        });
    }
    Ok(out)
}

/// `b` lies inside folder `a`.
fn nested(a: &str, b: &str) -> bool {
    b.strip_prefix(a).is_some_and(|rest| rest.starts_with('/'))
}

/// A language's folder as a path inside `content_dir` (`content/en` → `en`).
fn inside(folder: &str, content_dir: &str) -> Result<String, String> {
    let f = folder.trim().trim_matches('/').replace('\\', "/");
    let f = f.trim_start_matches("./");
    let rest = f
        .strip_prefix(content_dir)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|r| !r.is_empty());
    match rest {
        Some(r) if r.split('/').all(|s| !s.is_empty() && s != "." && s != "..") => {
            Ok(r.to_string())
        }
        _ => Err(format!(
            "content: `{folder}` is not a folder inside {content_dir}/; write one such as {content_dir}/en (languages without `content:` take the files named page.<code>.md)"
        )),
    }
}

/// `path: /english/` → `/english`.
fn served_at(path: &str) -> Result<String, String> {
    let p = path.trim().trim_matches('/');
    let ok = !p.is_empty()
        && p.split('/').all(|s| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if !ok {
        return Err(format!(
            "path: `{path}` is not a folder of the site's address; write one such as /en/"
        ));
    }
    Ok(format!("/{p}"))
}

/// `b` over `a`, maps merged key by key (a language's params over the default's and the site's).
pub fn merged(a: &serde_json::Value, b: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut out = x.clone();
            for (k, v) in y {
                let m = match out.get(k) {
                    Some(old) => merged(old, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), m);
            }
            Value::Object(out)
        }
        (_, Value::Null) => a.clone(),
        _ => b.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> BTreeMap<String, LanguageConfig> {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn the_lowest_weight_is_the_default_at_the_root() {
        let l = checked(
            &config("en: {weight: 2, content: content/en}\nja: {weight: 1, content: content/ja, title: 運用}\n"),
            "content",
        )
        .unwrap();
        assert_eq!(l[0].code, "ja");
        assert_eq!(l[0].prefix, "");
        assert_eq!(l[0].content, LanguageContent::Folder("ja".into()));
        assert_eq!(l[1].prefix, "/en");
        assert_eq!((l[0].name.as_deref(), l[1].name.as_deref()), (None, None));
    }

    #[test]
    fn mistakes_name_the_language() {
        let err = |y: &str| checked(&config(y), "content").unwrap_err();
        assert!(err("ja: {}\nen: {weight: 1, content: docs/en}\n")
            .1
            .contains("not a folder inside content/"));
        assert!(err("ja: {path: /ja/}\nen: {weight: 1}\n")
            .1
            .starts_with("languages.ja: path"));
        assert!(err("ja: {}\nen: {weight: 1, content: content/ja}\nfr: {weight: 2, content: content/ja/x}\n")
            .1
            .contains("overlaps"));
        assert!(
            err("ja: {}\nen: {weight: 1, path: /x/}\nfr: {weight: 2, path: x}\n")
                .1
                .contains("served at /x/")
        );
        assert_eq!(err("ja: {}\n\"e n\": {weight: 1}\n").0, "e n");
    }

    #[test]
    fn params_fall_back_key_by_key() {
        let a = serde_json::json!({"x": 1, "n": {"a": 1, "b": 2}});
        let b = serde_json::json!({"n": {"b": 3}, "y": 4});
        assert_eq!(
            merged(&a, &b),
            serde_json::json!({"x": 1, "n": {"a": 1, "b": 3}, "y": 4})
        );
        assert_eq!(merged(&a, &serde_json::Value::Null), a);
    }
}
