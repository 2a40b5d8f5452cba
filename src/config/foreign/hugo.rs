//! Hugo's configuration as opsite's: the root file (`hugo.toml|yaml|json`, else the older
//! `config.*`), then `config/_default/` and `config/production/` merged over it, as `hugo`
//! builds; then the keys both generators share turned into `site.yaml`'s.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::hugo_values::{content_mount, menus_of, Language};
use super::{lower_keys, merge, note_at, unused_note, Kind, Translated};
use crate::error::{Code, Diagnostic, Location};
use crate::yaml::toml_to_json;

const EXTENSIONS: [&str; 4] = ["toml", "yaml", "yml", "json"];

/// Folders that, beside an old-style `config.*`, show the folder is a Hugo site (a lone
/// `config.yaml` may belong to anything).
const HUGO_FOLDERS: [&str; 5] = [
    "content",
    "layouts",
    "archetypes",
    "themes",
    "config/_default",
];

/// The configuration files Hugo would read in `dir`, relative to it, in merge order; None when
/// it is not a Hugo site.
pub fn config_files(dir: &Path) -> Option<Vec<PathBuf>> {
    let named = |stem: &str| {
        EXTENSIONS
            .iter()
            .map(|e| PathBuf::from(format!("{stem}.{e}")))
            .find(|p| dir.join(p).is_file())
    };
    let looks_like_hugo = HUGO_FOLDERS.iter().any(|f| dir.join(f).is_dir());
    let mut files: Vec<PathBuf> = named("hugo")
        .or_else(|| named("config").filter(|_| looks_like_hugo))
        .into_iter()
        .collect();
    for env in ["config/_default", "config/production"] {
        let Ok(entries) = std::fs::read_dir(dir.join(env)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| Path::new(env).join(e.file_name()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e))
                    && dir.join(p).is_file()
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    (!files.is_empty()).then_some(files)
}

/// Read and merge the files, then translate.
pub fn read(dir: &Path) -> Result<Translated, Diagnostic> {
    let files = config_files(dir).unwrap_or_default();
    let mut doc = Value::Object(Map::new());
    let mut texts = Vec::new();
    for rel in &files {
        let text = super::read_text(dir, rel)?;
        let value = parse(rel, &text)?;
        merge(&mut doc, placed(rel, Value::Object(lower_keys(value))));
        texts.push((rel.clone(), text));
    }
    let file = files.first().cloned().unwrap_or_default();
    let (mut t, unused) = translate(lower_keys(doc), &file, &texts);
    // Not a key, but as much the theme's: its templates are not run either.
    let folders: &[&str] = if dir.join("layouts").is_dir() {
        &["layouts/"]
    } else {
        &[]
    };
    t.notes
        .extend(unused_note(&file, as_written(unused, &texts), folders));
    Ok(t)
}

/// The keys not used, each as its file spells it (`enableGitInfo`: keys were matched
/// lower-cased), and the file named after a key that is not in the first file read.
fn as_written(keys: Vec<String>, texts: &[(PathBuf, String)]) -> Vec<String> {
    let spellings: Vec<_> = texts.iter().map(|(_, t)| super::key_spellings(t)).collect();
    // The first file whose lines start with the key, else its own file of the configuration
    // folder (`menus.ja.toml` for `menus`).
    let origin = |top: &str| {
        spellings
            .iter()
            .position(|s| s.contains_key(top))
            .or_else(|| {
                texts.iter().position(|(f, _)| {
                    f.file_stem()
                        .and_then(|s| s.to_str())
                        .is_some_and(|s| s.split('.').next() == Some(top))
                })
            })
    };
    keys.into_iter()
        .map(|k| {
            let top = k.split('.').next().unwrap_or(&k);
            let found = origin(top);
            let written = found
                .and_then(|i| spellings[i].get(top))
                .map_or_else(|| k.clone(), |s| format!("{s}{}", &k[top.len()..]));
            match found {
                Some(i) if i > 0 => format!("{written} ({})", texts[i].0.display()),
                _ => written,
            }
        })
        .collect()
}

/// A file of the configuration folder holds one key (`params.toml`), a language's key
/// (`menus.en.toml`) or the root (`hugo.toml`, `config.toml`).
fn placed(rel: &Path, value: Value) -> Value {
    if rel.parent().is_none_or(|p| p.as_os_str().is_empty()) {
        return value;
    }
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_lowercase();
    let mut parts = stem.splitn(2, '.');
    let key = parts.next().unwrap_or("").to_string();
    if key == "hugo" || key == "config" {
        return value;
    }
    match parts.next() {
        Some(lang) => serde_json::json!({"languages": {lang: {key: value}}}),
        None => serde_json::json!({ key: value }),
    }
}

/// One file as a value, or an error at its line.
fn parse(rel: &Path, text: &str) -> Result<Value, Diagnostic> {
    let at = |line: usize, column: Option<usize>, message: String| {
        Diagnostic::error(Code::Config, Location::at(rel, line, column), message)
    };
    match rel.extension().and_then(|e| e.to_str()) {
        Some("toml") => match text.parse::<toml::Table>() {
            Ok(t) => Ok(toml_to_json(toml::Value::Table(t))),
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let line = text[..offset.min(text.len())].matches('\n').count() + 1;
                Err(at(line, None, e.message().to_string()))
            }
        },
        Some("json") => serde_json::from_str(text)
            .map_err(|e| at(e.line().max(1), Some(e.column()), e.to_string())),
        _ => crate::yaml::to_value_keeping_last(text)
            .map(|(v, _)| v)
            .map_err(|e| at(e.line, Some(e.column), e.message)),
    }
    .and_then(|v| match v {
        Value::Object(_) => Ok(v),
        // An empty YAML file.
        Value::Null => Ok(Value::Object(Map::new())),
        other => Err(at(
            1,
            None,
            format!(
                "holds {}, not settings (`key: value` lines)",
                super::kind_of(&other)
            ),
        )),
    })
}

/// Keys opsite reads from a Hugo configuration; every other one is listed as not used.
const READ: [&str; 15] = [
    "enablegitinfo",
    "permalinks",
    "title",
    "baseurl",
    "languagecode",
    "defaultcontentlanguage",
    "languages",
    "params",
    "menus",
    "menu",
    "taxonomies",
    "cascade",
    "contentdir",
    "relativeurls",
    "timezone",
];

/// The merged configuration and the files it came from, with the notes gathered on the way.
struct Reading<'a> {
    doc: Map<String, Value>,
    file: &'a Path,
    texts: &'a [(PathBuf, String)],
    notes: Vec<Diagnostic>,
}

impl Reading<'_> {
    /// `key` as the files spell it (`timeZone`), for messages.
    fn spelled(&self, key: &str) -> String {
        let top = key.split('.').next().unwrap_or(key);
        self.texts
            .iter()
            .find_map(|(_, text)| super::spelling(text, top))
            .map_or_else(|| key.to_string(), |s| format!("{s}{}", &key[top.len()..]))
    }

    /// A warning at `key`: in its own file of the configuration folder (`languages.toml`),
    /// else at its line in the file whose text names it.
    fn note(&mut self, key: &str, message: String) {
        let top = key.split('.').next();
        let own = self.texts.iter().find(|(f, _)| {
            f.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.split('.').next() == top)
        });
        let (file, text) = match own {
            Some((f, _)) => (f.as_path(), ""),
            None => self
                .texts
                .iter()
                .find(|(_, t)| super::line_of(t, key).is_some())
                .map(|(f, t)| (f.as_path(), t.as_str()))
                .unwrap_or((self.file, "")),
        };
        self.notes.push(note_at(file, text, key, message));
    }

    /// A value of the kind wanted; another kind is a warning at `key` and left out.
    fn checked(
        &mut self,
        key: &str,
        v: Option<&Value>,
        wanted: &str,
        fits: fn(&Value) -> bool,
    ) -> Option<Value> {
        match super::of_kind(v, wanted, fits) {
            Ok(v) => v.cloned(),
            Err(e) => {
                let shown = format!("{}: {e}", self.spelled(key));
                self.note(key, shown);
                None
            }
        }
    }

    /// A text value; another kind of value is a warning and left out.
    fn text(&mut self, key: &str, v: Option<&Value>) -> Option<String> {
        self.checked(key, v, "text", Value::is_string)
            .and_then(|v| v.as_str().map(str::to_string))
    }

    /// A map value (`params`, `taxonomies`); another kind is a warning and left out.
    fn map(&mut self, key: &str, v: Option<&Value>) -> Option<Value> {
        self.checked(key, v, "a map of keys", Value::is_object)
    }
}

/// The translation, and the keys it did not use (lower-cased, as matched).
fn translate(
    doc: Map<String, Value>,
    file: &Path,
    texts: &[(PathBuf, String)],
) -> (Translated, Vec<String>) {
    let mut r = Reading {
        doc,
        file,
        texts,
        notes: Vec::new(),
    };
    let mut site = Map::new();
    let mut unused: Vec<String> = r
        .doc
        .keys()
        .filter(|k| !READ.contains(&k.as_str()))
        .cloned()
        .collect();
    let language = Language::of(&r.doc);
    let doc = r.doc.clone();
    identity(&mut r, &doc, &language, &mut site);
    structure(&mut r, &doc, &language, &mut site, &mut unused);
    if language.others().is_some() {
        bilingual(&mut r, &language, &mut site, &mut unused);
    }
    let translated = Translated {
        kind: Kind::Hugo,
        file: file.to_path_buf(),
        files: texts.iter().map(|(f, _)| f.clone()).collect(),
        site,
        notes: r.notes,
    };
    (translated, unused)
}

/// Hugo's page patterns (also its newer `page:` form) by lower-cased section; section, term
/// and taxonomy patterns are listed as not used, a pattern that is not text or holds a token
/// Hugo has not is a warning and left out.
fn permalinks_of(r: &mut Reading, p: Value, unused: &mut Vec<String>) -> Map<String, Value> {
    let mut patterns = lower_keys(p);
    if let Some(Value::Object(page)) = patterns.remove("page") {
        for kind in ["section", "term", "taxonomy"] {
            if patterns.remove(kind).is_some() {
                unused.push(format!("permalinks.{kind}"));
            }
        }
        patterns.extend(lower_keys(Value::Object(page)));
    }
    let mut kept = Map::new();
    for (section, pattern) in patterns {
        match pattern.as_str().map(crate::config::check_permalink) {
            Some(Ok(())) => {
                kept.insert(section, pattern);
            }
            Some(Err(e)) => r.note(
                &format!("permalinks.{section}"),
                format!("permalinks.{section}: {e}; left out"),
            ),
            None => {
                let shown = format!(
                    "permalinks.{section}: expected a pattern, found {}; left out",
                    super::kind_of(&pattern)
                );
                r.note(&format!("permalinks.{section}"), shown);
            }
        }
    }
    kept
}

/// A Hugo site of several languages as opsite's `languages:`: the site-wide values stay the
/// default language's (its title, params and menus, which the others fall back to), the content
/// folder becomes the one holding every language's `contentDir`.
fn bilingual(
    r: &mut Reading,
    language: &Language,
    site: &mut Map<String, Value>,
    unused: &mut Vec<String>,
) {
    let top_dir = r
        .doc
        .get("contentdir")
        .and_then(Value::as_str)
        .map(str::to_string);
    let shared = language.shared_content_dir(top_dir.as_deref());
    let content_dir = match &shared {
        Some(dir) => {
            site.insert("content_dir".into(), Value::String(dir.clone()));
            dir.clone()
        }
        None => site
            .get("content_dir")
            .and_then(Value::as_str)
            .unwrap_or("content")
            .to_string(),
    };
    if let Some((languages, dropped)) = language.opsite_languages(&content_dir, top_dir.as_deref())
    {
        site.insert("languages".into(), Value::Object(languages));
        unused.extend(dropped);
    }
    site.insert("language".into(), Value::String(language.key.clone()));
    if r.doc.get("defaultcontentlanguageinsubdir") == Some(&Value::Bool(true)) {
        r.note(
            "defaultcontentlanguageinsubdir",
            format!(
                "defaultContentLanguageInSubdir: the default language `{}` is served at the site root",
                language.key
            ),
        );
        unused.retain(|k| k != "defaultcontentlanguageinsubdir");
    }
}

/// Title, address, language, content folder, links and time zone.
fn identity(
    r: &mut Reading,
    doc: &Map<String, Value>,
    language: &Language,
    site: &mut Map<String, Value>,
) {
    let title = r
        .text("title", language.get("title"))
        .or_else(|| r.text("title", doc.get("title")));
    if let Some(t) = title {
        site.insert("title".into(), Value::String(t));
    }
    if let Some(url) = r.text("baseurl", doc.get("baseurl")) {
        match crate::config::check_base_url(&url) {
            Ok(()) => {
                site.insert("base_url".into(), Value::String(url));
            }
            Err(e) => r.note(
                "baseurl",
                format!(
                    "{}: {e}; left out (the site is built for /)",
                    r.spelled("baseurl")
                ),
            ),
        }
    }
    let code = r
        .text("languagecode", language.get("languagecode"))
        .or_else(|| r.text("languagecode", doc.get("languagecode")))
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| language.key.clone());
    // An empty one is Hugo's default, English (not opsite's Japanese).
    let code = match crate::config::check_language(&code).map(|()| code.trim()) {
        Ok("") => "en".into(),
        Ok(c) => c.to_string(),
        Err(e) => {
            r.note(
                "languagecode",
                format!("{}: {e}; en is used", r.spelled("languagecode")),
            );
            "en".into()
        }
    };
    site.insert("language".into(), Value::String(code));
    let dir = r
        .text("contentdir", language.get("contentdir"))
        .or_else(|| r.text("contentdir", doc.get("contentdir")))
        .or_else(|| content_mount(&doc, &language.key));
    if let Some(dir) = dir {
        match crate::config::check_content_dir(&dir) {
            Ok(()) => {
                site.insert("content_dir".into(), Value::String(dir));
            }
            Err(e) => r.note(
                "contentdir",
                format!("{}: {e}; content/ is read instead", r.spelled("contentdir")),
            ),
        }
    }
    let relative = r.checked(
        "relativeurls",
        doc.get("relativeurls"),
        "true or false",
        Value::is_boolean,
    );
    if relative == Some(Value::Bool(true)) {
        site.insert("relative_urls".into(), Value::Bool(true));
    }
    if let Some(tz) = r.text("timezone", doc.get("timezone")) {
        site.insert("timezone".into(), Value::String(tz));
    }
    let git = r.checked(
        "enablegitinfo",
        doc.get("enablegitinfo"),
        "true or false",
        Value::is_boolean,
    );
    if git == Some(Value::Bool(true)) {
        site.insert("lastmod".into(), Value::String("git".into()));
    }
    // Goldmark's heading ids (`Threshold (%)` is `#threshold-`): the tree's links use them.
    site.insert(
        "markdown".into(),
        serde_json::json!({ "heading_ids": "hugo" }),
    );
    // `check.md` beside `check/_index.md`: the section is published, as Hugo mostly does; and
    // addresses are lower-cased, terms' too (`/categories/disk/`), as Hugo writes them.
    site.insert(
        "content_rules".into(),
        serde_json::json!({ "same_address": "hugo", "url_case": "lower" }),
    );
}

/// Params, menus, taxonomies, permalinks and cascade: what the pages are arranged by.
fn structure(
    r: &mut Reading,
    doc: &Map<String, Value>,
    language: &Language,
    site: &mut Map<String, Value>,
    unused: &mut Vec<String>,
) {
    let mut params = r
        .map("params", doc.get("params"))
        .unwrap_or(Value::Object(Map::new()));
    if let Some(own) = r.map("params", language.get("params")) {
        merge(&mut params, own);
    }
    if params.as_object().is_some_and(|p| !p.is_empty()) {
        site.insert("params".into(), params);
    }
    let menus = [
        language.get("menus"),
        language.get("menu"),
        doc.get("menus"),
        doc.get("menu"),
    ]
    .into_iter()
    .flatten()
    .next()
    .cloned();
    if let Some(m) = menus {
        match menus_of(&m) {
            Some((menus, dropped)) => {
                unused.extend(dropped);
                if !menus.is_empty() {
                    site.insert("menus".into(), Value::Object(menus));
                }
            }
            None => r.note(
                "menus",
                format!(
                    "menus: expected a map of menus, found {}; left out",
                    super::kind_of(&m)
                ),
            ),
        }
    }
    // Since Hugo 0.73, `taxonomy` is the list page (`/tags/`) and `term` a term's page.
    let disabled = |kind: &str| {
        (doc.get("disablekinds").and_then(Value::as_array))
            .is_some_and(|k| k.iter().any(|k| k.as_str() == Some(kind)))
    };
    if disabled("taxonomy") || disabled("term") {
        unused.retain(|k| k != "disablekinds");
    }
    if disabled("term") {
        site.insert("taxonomies".into(), Value::Object(Map::new()));
    } else if let Some(t) = r.map("taxonomies", doc.get("taxonomies")) {
        site.insert("taxonomies".into(), t);
    }
    if disabled("taxonomy") && !disabled("term") {
        site.insert("taxonomy_lists".into(), Value::Bool(false));
    }
    if let Some(p) = r.map("permalinks", doc.get("permalinks")) {
        let kept = permalinks_of(r, p, unused);
        if !kept.is_empty() {
            site.insert("permalinks".into(), Value::Object(kept));
        }
    }
    if let Some(c) = language.get("cascade").or_else(|| doc.get("cascade")) {
        site.insert("cascade".into(), c.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The languages, default first, of the translation read back as a `site.yaml`.
    fn language_codes(t: &Translated) -> Vec<String> {
        let config = crate::config::SiteConfig::parse_with_warnings(
            &serde_yaml::to_string(&t.site).unwrap(),
            Path::new("site.yaml"),
        )
        .unwrap()
        .0;
        config.languages().into_iter().map(|l| l.code).collect()
    }

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Translated) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let t = read(dir.path()).unwrap();
        (dir, t)
    }

    #[test]
    fn the_languages_become_opsite_languages_with_the_default_first() {
        let (_d, t) = site(&[(
            "hugo.yaml",
            "baseURL: https://ops.example.jp/\ntitle: Ops\ncontentDir: content/en\ndefaultContentLanguage: ja\nenableGitInfo: true\nlanguages:\n  en: {title: Ops, weight: 2, languageName: English}\n  ja:\n    title: 運用ポータル\n    languageCode: ja-JP\n    weight: 3\n    contentDir: content/ja\n    params: {description: 手順書}\nparams:\n  github_repo: https://example.jp/r\n  description: docs\n",
        )]);
        assert_eq!(t.site["title"], "運用ポータル");
        assert_eq!(t.site["language"], "ja");
        assert_eq!(t.site["content_dir"], "content");
        assert_eq!(t.site["base_url"], "https://ops.example.jp/");
        assert_eq!(t.site["params"]["description"], "手順書");
        assert_eq!(t.site["params"]["github_repo"], "https://example.jp/r");
        assert_eq!(t.site["lastmod"], "git", "enableGitInfo");
        let l = &t.site["languages"];
        assert_eq!(l["ja"]["content"], "content/ja");
        assert_eq!(l["en"]["content"], "content/en", "the site's contentDir");
        assert_eq!(l["en"]["name"], "English");
        assert!(
            l["ja"]["weight"].as_i64() < l["en"]["weight"].as_i64(),
            "the default language has the lowest weight: {l}"
        );
        let messages: Vec<String> = t.notes.iter().map(|n| n.to_string()).collect();
        assert!(
            messages.last().unwrap().ends_with(
                "not used by opsite (its generator's and theme's settings): languages.ja.languagecode"
            ),
            "{messages:?}"
        );
        assert_eq!(language_codes(&t), ["ja", "en"]);
    }

    #[test]
    fn a_language_without_a_weight_does_not_displace_the_default() {
        let (_d, t) = site(&[(
            "hugo.toml",
            "defaultContentLanguage = 'ja'\n[languages.ja]\nweight = 1\n[languages.en]\ntitle = 'Ops'\n",
        )]);
        assert_eq!(language_codes(&t), ["ja", "en"]);
    }

    #[test]
    fn the_config_folder_is_merged_over_the_root_file() {
        let (_d, t) = site(&[
            (
                "config.toml",
                "title = 'old'\nbaseURL = '/'\n[params]\na = 1\n",
            ),
            ("content/_index.md", "x"),
            ("config/_default/params.toml", "b = 2\n"),
            (
                "config/_default/menus.en.toml",
                "[[main]]\nname = 'Docs'\npageRef = '/docs'\nweight = 20\npost = 'x'\n",
            ),
            (
                "config/production/hugo.toml",
                "title = 'new'\npublishDate = 2024-05-01\n",
            ),
            (
                "config/_default/module.yaml",
                "mounts:\n  - {source: content/fr, target: content, lang: fr}\n  - {source: content/main, target: content}\n",
            ),
        ]);
        assert_eq!(t.site["title"], "new");
        assert_eq!(t.site["params"], serde_json::json!({"a": 1, "b": 2}));
        assert_eq!(t.site["menus"]["main"][0]["url"], "/docs/");
        assert_eq!(t.site["menus"]["main"][0]["weight"], 20);
        assert_eq!(t.site["language"], "en");
        assert_eq!(
            t.site["content_dir"], "content/main",
            "the module's mount for the language"
        );
        let unused = t.notes.last().unwrap().message.clone();
        assert!(
            unused.ends_with("menus.main.post (config/_default/menus.en.toml), module (config/_default/module.yaml), publishDate (config/production/hugo.toml)"),
            "{unused}"
        );
    }

    #[test]
    fn a_lone_config_file_is_not_taken_for_hugo() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.yaml"), "a: 1\n").unwrap();
        assert!(config_files(dir.path()).is_none());
        std::fs::write(dir.path().join("hugo.json"), "{}").unwrap();
        assert_eq!(
            config_files(dir.path()).unwrap(),
            [PathBuf::from("hugo.json")]
        );
    }

    #[test]
    fn broken_files_are_errors_at_their_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hugo.toml"), "title = 'x'\nbaseURL = \n").unwrap();
        let e = read(dir.path()).unwrap_err();
        assert_eq!(e.location.line, Some(2), "{e}");
        std::fs::write(dir.path().join("hugo.toml"), "").unwrap();
        std::fs::create_dir_all(dir.path().join("config/_default")).unwrap();
        std::fs::write(
            dir.path().join("config/_default/params.json"),
            "{\n  \"a\": ,\n}",
        )
        .unwrap();
        let e = read(dir.path()).unwrap_err();
        assert_eq!(
            e.to_string().split(": error").next(),
            Some("config/_default/params.json:2:8")
        );
    }
}
