//! A Hugo or MkDocs tree's own configuration read as opsite's, so such a tree builds from its
//! root as it is. Each reader turns the tree's settings into `site.yaml`'s keys (one value, the
//! same one `opsite init --from` writes out), and says once what it left out.

pub mod hugo;
mod hugo_values;
pub mod mkdocs;
mod mkdocs_includes;
mod mkdocs_toc;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Code, Diagnostic, Location};

/// Which generator's configuration a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hugo,
    MkDocs,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Hugo => "Hugo",
            Kind::MkDocs => "MkDocs",
        }
    }
}

/// What a tree's configuration says in `site.yaml`'s keys, and what could not be kept.
#[derive(Debug, Clone)]
pub struct Translated {
    pub kind: Kind,
    /// The file read (the first, when Hugo's are several), relative to the root, for messages.
    pub file: PathBuf,
    /// Every file read, in the order read.
    pub files: Vec<PathBuf>,
    /// `site.yaml`'s keys.
    pub site: Map<String, Value>,
    /// Warnings: the keys not used (one line), tags not honoured, values that could not be kept.
    pub notes: Vec<Diagnostic>,
}

/// The generator whose configuration `dir` holds, if any (opsite's own `site.yaml` is not
/// looked at here: it wins wherever it is).
pub fn detect(dir: &Path) -> Option<Kind> {
    if hugo::config_files(dir).is_some() {
        Some(Kind::Hugo)
    } else if mkdocs::config_file(dir).is_some() {
        Some(Kind::MkDocs)
    } else {
        None
    }
}

/// Read the tree's configuration. An error is a file that cannot be read as its format. With
/// `environment`, MkDocs' `!ENV` values come from the environment; without (a `site.yaml` to
/// be written), only their defaults are taken.
pub fn read(dir: &Path, kind: Kind, environment: bool) -> Result<Translated, Diagnostic> {
    match kind {
        Kind::Hugo => hugo::read(dir),
        Kind::MkDocs => mkdocs::read(dir, environment),
    }
}

/// A configuration file's text, without a byte-order mark; bytes that are not UTF-8 are an
/// error at their line and column.
pub fn read_text(dir: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::config::read_config_file(dir, rel)?;
    let text = crate::config::utf8_text(bytes, rel)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// `site.yaml`'s keys in the order a person reads them, for the text written out.
const ORDER: &[&str] = &[
    "title",
    "base_url",
    "language",
    "content_dir",
    "relative_urls",
    "timezone",
    "markdown",
    "content_rules",
    "taxonomies",
    "taxonomy_lists",
    "menus",
    "nav",
    "permalinks",
    "cascade",
    "shortcodes",
    "params",
];

/// The translation as `site.yaml` text, saying where it came from.
pub fn site_yaml_text(t: &Translated) -> String {
    let mut out = format!(
        "# Written by `opsite init --from {}` from {}.\n",
        t.kind.name().to_lowercase(),
        t.file.display()
    );
    let mut keys: Vec<&String> = t.site.keys().collect();
    keys.sort_by_key(|k| (ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()), *k));
    for k in keys {
        let mut one = Map::new();
        one.insert(k.clone(), t.site[k].clone());
        out.push_str(&serde_yaml::to_string(&Value::Object(one)).unwrap_or_default());
    }
    out
}

/// The one warning listing what a configuration has that opsite does not use: its keys, then
/// the tree's `folders` of the same kind (Hugo's `layouts/`).
pub fn unused_note(file: &Path, mut unused: Vec<String>, folders: &[&str]) -> Option<Diagnostic> {
    if unused.is_empty() && folders.is_empty() {
        return None;
    }
    unused.sort_by_key(|k| k.to_lowercase());
    unused.dedup();
    // A line a person reads: past the first hundred, a count.
    const SHOWN: usize = 100;
    let more = match unused.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    unused.truncate(SHOWN);
    let listed: Vec<String> = [unused.join(", ") + &more]
        .into_iter()
        .filter(|keys| !keys.is_empty())
        .chain(folders.iter().map(|f| f.to_string()))
        .collect();
    Some(Diagnostic::warning(
        Code::NotUsed,
        Location::file(file),
        format!(
            "not used by opsite (its generator's and theme's settings): {}",
            listed.join(", ")
        ),
    ))
}

/// `over` merged into `base`: maps key by key (at any depth), anything else replaced.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// A map's keys lower-cased (Hugo's configuration keys match whatever their case).
pub fn lower_keys(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m.into_iter().map(|(k, v)| (k.to_lowercase(), v)).collect(),
        _ => Map::new(),
    }
}

/// The line of `key` in a configuration's text (`key:`, `key =`, `"key":` or a `[key]` table),
/// whatever its case.
/// A dotted key (`permalinks.blog`) is looked for below its first part's line, and falls back to
/// that line.
pub fn line_of(text: &str, key: &str) -> Option<usize> {
    let Some((top, below)) = key.split_once('.') else {
        return line_of_key(text, key);
    };
    let at = line_of_key(text, top)?;
    let rest = text.split_inclusive('\n').skip(at).collect::<String>();
    Some(line_of(&rest, below).map_or(at, |l| at + l))
}

fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let key = key.to_lowercase();
    text.lines()
        .position(|line| {
            let l = line.trim_start().to_lowercase();
            let l = l.trim_start_matches(['[', '"', '\'']);
            l.strip_prefix(key.as_str()).is_some_and(|rest| {
                let rest = rest.trim_start_matches(['"', '\'', ']']).trim_start();
                rest.starts_with(':')
                    || rest.starts_with('=')
                    || rest.starts_with('.')
                    || rest.is_empty() && line.trim_start().starts_with('[')
            })
        })
        .map(|i| i + 1)
}

/// `v` when it is of the kind wanted (None when absent or null), else what to say after the
/// key's name: `expected text, found the number 42; left out`.
pub fn of_kind<'v>(
    v: Option<&'v Value>,
    wanted: &str,
    fits: fn(&Value) -> bool,
) -> Result<Option<&'v Value>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) if fits(v) => Ok(Some(v)),
        Some(other) => Err(format!(
            "expected {wanted}, found {}; left out",
            kind_of(other)
        )),
    }
}

/// What kind of value `v` is, for messages (`a list`, `the number 42`).
pub fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text {}", shown_excerpt(s)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a map".into(),
    }
}

/// At most 40 characters of a file's text that could not be used, quoted, with the length when
/// cut: a token or a key behind a mistaken link must not land whole in a CI log.
pub fn shown_excerpt(s: &str) -> String {
    const SHOWN: usize = 40;
    let count = s.chars().count();
    let head: String = s.chars().take(SHOWN).collect();
    let quoted = format!("{:?}", crate::error::printable(&head));
    match count > SHOWN {
        true => format!("{}…\" ({count} characters)", &quoted[..quoted.len() - 1]),
        false => quoted,
    }
}

/// The keys that open the text's lines (`enableGitInfo = true`, `[Params]`, `"baseURL": …`),
/// lower-cased → as written, in one pass.
pub fn key_spellings(text: &str) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for line in text.lines() {
        let l = line.trim_start().trim_start_matches(['[', '"', '\'']);
        let key: String = l
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '=' | ':' | ']' | '"' | '\'' | '.'))
            .collect();
        if !key.is_empty() {
            out.entry(key.to_lowercase()).or_insert(key);
        }
    }
    out
}

/// `key` as the text spells it (`enableGitInfo` for `enablegitinfo`).
pub fn spelling(text: &str, key: &str) -> Option<String> {
    let line = text.lines().nth(line_of(text, key)? - 1)?;
    let lower = line.to_lowercase();
    let at = lower.find(key)?;
    // Lower-casing keeps the byte offsets of ASCII keys; anything else is left as matched.
    line.get(at..at + key.len())
        .filter(|s| s.to_lowercase() == key)
        .map(str::to_string)
}

/// A warning at `key`'s line of `file` (its start when the key cannot be found).
pub fn note_at(file: &Path, text: &str, key: &str, message: String) -> Diagnostic {
    let at = match line_of(text, key) {
        Some(line) => Location::at(file, line, None),
        None => Location::file(file),
    };
    Diagnostic::warning(Code::Config, at, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_merge_at_any_depth_and_other_values_are_replaced() {
        let mut base = serde_json::json!({"params": {"a": 1, "b": {"c": 2}}, "title": "x"});
        merge(
            &mut base,
            serde_json::json!({"params": {"b": {"d": 3}}, "title": "y"}),
        );
        assert_eq!(
            base,
            serde_json::json!({"params": {"a": 1, "b": {"c": 2, "d": 3}}, "title": "y"})
        );
    }

    #[test]
    fn keys_are_found_in_each_format() {
        let toml = "title = 'x'\nbaseURL = '/'\n[params]\n";
        assert_eq!(line_of(toml, "baseurl"), Some(2));
        assert_eq!(line_of(toml, "params"), Some(3));
        assert_eq!(line_of("a: 1\n  Theme:\n", "theme"), Some(2));
        assert_eq!(line_of("{\n \"baseURL\": \"/\"\n}", "baseurl"), Some(2));
        assert_eq!(line_of("baseURLs: 1\n", "baseurl"), None);
        let table = "blog = 1\n[permalinks]\ndocs = '/d/'\nblog = 5\n";
        assert_eq!(line_of(table, "permalinks.blog"), Some(4));
        assert_eq!(line_of(table, "permalinks.news"), Some(2));
    }
}
