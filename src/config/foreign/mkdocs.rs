//! `mkdocs.yml` as opsite's configuration: the site's name and address, `docs_dir`, `nav`
//! (order and titles), the theme's language, the Markdown extensions opsite has built in, and
//! `extra` as params. MkDocs' YAML tags are read as MkDocs reads them where opsite can (`!ENV`);
//! Python (`!!python/name:`) is left out with a note.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{note_at, unused_note, Kind, Translated};
use crate::error::{Code, Diagnostic, Location};

const NAMES: [&str; 2] = ["mkdocs.yml", "mkdocs.yaml"];

/// `mkdocs.yml` in `dir`, if there is one beside the folder of pages it names (`docs/`
/// unless `docs_dir:` says otherwise): a stray `mkdocs.yml` in a home folder is no site.
pub fn config_file(dir: &Path) -> Option<PathBuf> {
    let file = NAMES
        .iter()
        .map(PathBuf::from)
        .find(|p| dir.join(p).is_file())?;
    // A link leading out of the site is not read here; reading the tree then says so.
    let text = match crate::config::config_link_problem(dir, &file) {
        Some(_) => String::new(),
        None => std::fs::read_to_string(dir.join(&file)).unwrap_or_default(),
    };
    let docs = text
        .lines()
        .find_map(|l| l.strip_prefix("docs_dir:"))
        .map(|v| {
            v.split(" #")
                .next()
                .unwrap_or(v)
                .trim()
                .trim_matches(['"', '\''])
        })
        .filter(|v| !v.is_empty())
        .unwrap_or("docs");
    // `docs/` too: a `docs_dir` that cannot be used is refused, and docs/ read instead.
    (dir.join(docs).is_dir() || dir.join("docs").is_dir()).then_some(file)
}

/// Markdown extensions whose markup opsite renders without being asked: admonitions and
/// collapsible ones, tables, footnotes, task lists, `~~` strikethrough, `{#id}` on headings,
/// fenced and highlighted code, front matter, a table of contents from the headings, and content
/// tabs (as labelled blocks).
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
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "sane_lists",
    "tables",
    "toc",
];

/// Keys read here; every other one is listed as not used.
const READ: [&str; 13] = [
    "repo_url",
    "edit_uri",
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

/// Read `mkdocs.yml`. With `environment`, `!ENV` values come from the environment as in MkDocs;
/// without (`opsite init`, which writes them into a file), only their defaults are taken.
pub fn read(dir: &Path, environment: bool) -> Result<Translated, Diagnostic> {
    let file = config_file(dir).unwrap_or_else(|| PathBuf::from(NAMES[0]));
    let text = super::read_text(dir, &file)?;
    let yaml = crate::yaml::to_tagged_value(&text).map_err(|e| {
        Diagnostic::error(
            Code::Config,
            Location::at(&file, e.line, Some(e.column)),
            e.message,
        )
    })?;
    let doc = match untagged(yaml, environment) {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        other => {
            return Err(Diagnostic::error(
                Code::Config,
                Location::at(&file, 1, None),
                format!(
                    "holds {}, not settings (`key: value` lines)",
                    super::kind_of(&other)
                ),
            ))
        }
    };
    let mut notes = tag_notes(&file, &text, environment);
    let mut site = Map::new();
    let mut unused: Vec<String> = doc
        .keys()
        .filter(|k| !READ.contains(&k.as_str()))
        .cloned()
        .collect();
    identity(&doc, &file, &text, &mut notes, &mut site);
    unused.extend(theme_unused(doc.get("theme")));
    if let Some(nav) = doc.get("nav").filter(|n| !n.is_null()) {
        let (pages, links) = split_links(nav);
        match crate::config::nav::Nav::try_from(pages.clone()) {
            Ok(_) => {
                site.insert("nav".into(), pages);
                if !links.is_empty() {
                    site.insert("menus".into(), serde_json::json!({ "main": links }));
                }
            }
            Err(e) => notes.push(note_at(
                &file,
                &text,
                "nav",
                format!("{e}; the nav is left out"),
            )),
        }
    }
    let list_or_map: fn(&Value) -> bool = |v| v.is_array() || v.is_object();
    for (key, wanted, fits) in [
        ("extra", "a map", Value::is_object as fn(&Value) -> bool),
        ("markdown_extensions", "a list", list_or_map),
        ("plugins", "a list", list_or_map),
    ] {
        if let Err(e) = super::of_kind(doc.get(key), wanted, fits) {
            notes.push(note_at(&file, &text, key, format!("{key}: {e}")));
        }
    }
    unused.extend(extensions_not_built_in(doc.get("markdown_extensions")));
    // MkDocs' heading ids, always written: opsite's own differ for any heading not in ASCII.
    let toc = super::mkdocs_toc::heading_ids(&doc, &text, &file, python_tags(&text));
    if let Some(line) = toc.followed_tag_line {
        notes.retain(|n| n.location.line != Some(line));
    }
    notes.extend(toc.note);
    let ids = serde_json::to_value(toc.ids).unwrap_or_default();
    let mut markdown = serde_json::json!({ "heading_ids": ids });
    // Without attr_list (or extra, which holds it), `## Title {#id}` keeps its braces as text.
    let attr_list = names(doc.get("markdown_extensions")).iter().any(|n| {
        let n = n.trim_start_matches("markdown.extensions.");
        n == "attr_list" || n == "extra"
    });
    if !attr_list {
        markdown["attribute_lists"] = Value::Bool(false);
    }
    if let Some(includes) = super::mkdocs_includes::includes(doc.get("markdown_extensions")) {
        markdown["includes"] = includes;
    }
    site.insert("markdown".into(), markdown);
    // How MkDocs reads pages: titles, addresses' case, front matter, one address for two files.
    site.insert(
        "content_rules".into(),
        serde_json::json!({
            "titles": "mkdocs",
            "url_case": "keep",
            "front_matter_errors": "text",
            "same_address": "mkdocs",
        }),
    );
    unused.extend(plugins_not_built_in(doc.get("plugins")));
    // The git date plugins' work is `lastmod: git`.
    if names(doc.get("plugins"))
        .iter()
        .any(|n| GIT_DATES.contains(&n.as_str()))
    {
        site.insert("lastmod".into(), Value::String("git".into()));
    }
    if let Some(params) = params_of(&doc) {
        site.insert("params".into(), params);
    }
    notes.extend(unused_note(&file, unused, &[]));
    Ok(Translated {
        kind: Kind::MkDocs,
        files: vec![file.clone()],
        file,
        site,
        notes,
    })
}

/// The tags opsite cannot honour, each a warning at its line: Python ones, and `!ENV` when
/// the environment is not read (a `site.yaml` to be written).
fn tag_notes(file: &Path, text: &str, environment: bool) -> Vec<Diagnostic> {
    let at_line = |line: usize, message: String| {
        Diagnostic::warning(Code::Config, Location::at(file, line, None), message)
    };
    let mut notes: Vec<Diagnostic> = python_tags(text)
        .into_iter()
        .map(|(line, tag)| {
            at_line(
                line,
                format!("{tag} is Python, which opsite does not run; the value is read without it"),
            )
        })
        .collect();
    if !environment {
        notes.extend(tag_lines(text, "!ENV").into_iter().map(|line| {
            at_line(line, "!ENV: site.yaml does not read the environment, so the default written here is kept (nothing when there is none), not the variable's value".into())
        }));
    }
    notes
}

/// Name, address, pages' folder and language; a value that cannot be used is a note.
fn identity(
    doc: &Map<String, Value>,
    file: &Path,
    text: &str,
    notes: &mut Vec<Diagnostic>,
    site: &mut Map<String, Value>,
) {
    let mut text_of =
        |key: &str, v: Option<&Value>| match super::of_kind(v, "text", Value::is_string) {
            Ok(v) => v.and_then(Value::as_str).map(str::to_string),
            Err(e) => {
                let top = key.split('.').next().unwrap_or(key);
                notes.push(note_at(file, text, top, format!("{key}: {e}")));
                None
            }
        };
    let title = text_of("site_name", doc.get("site_name"));
    let url = text_of("site_url", doc.get("site_url"));
    let docs = text_of("docs_dir", doc.get("docs_dir"));
    if let Some(repo) = text_of("repo_url", doc.get("repo_url")) {
        let edit_uri = text_of("edit_uri", doc.get("edit_uri"));
        site.insert("repository".into(), repository(&repo, edit_uri));
    }
    let theme = doc.get("theme");
    let language = text_of("theme.language", theme.and_then(|t| t.get("language")))
        .or_else(|| text_of("theme.locale", theme.and_then(|t| t.get("locale"))))
        // MkDocs writes locales with `_` (`pt_BR`); an empty one is its default, English.
        .map(|l| l.trim().replace('_', "-"))
        .filter(|l| !l.is_empty());
    if let Some(t) = title {
        site.insert("title".into(), Value::String(t));
    }
    let mut refuse = |key: &str, message: String| notes.push(note_at(file, &text, key, message));
    if let Some(url) = url {
        match crate::config::check_base_url(&url) {
            Ok(()) => {
                site.insert("base_url".into(), Value::String(url));
            }
            Err(e) => refuse(
                "site_url",
                format!("site_url: {e}; left out (the site is built for /)"),
            ),
        }
    }
    let docs = docs.unwrap_or_else(|| "docs".into());
    site.insert("content_dir".into(), Value::String("docs".into()));
    match crate::config::check_content_dir(&docs) {
        Ok(()) => {
            site.insert("content_dir".into(), Value::String(docs));
        }
        Err(e) => refuse("docs_dir", format!("docs_dir: {e}; docs/ is read instead")),
    }
    let language = language.unwrap_or_else(|| "en".into());
    match crate::config::check_language(&language) {
        Ok(()) => {
            site.insert("language".into(), Value::String(language));
        }
        Err(e) => {
            refuse("theme", format!("theme.language: {e}; en is used"));
            site.insert("language".into(), Value::String("en".into()));
        }
    }
}

/// `repo_url` and `edit_uri` as opsite's `repository`: MkDocs' default `edit_uri` is
/// `edit/master/docs/` on github.com and gitlab.com, and no edit link elsewhere; the "report a
/// problem" link is for those two hosts only, whose new-issue address opsite knows.
fn repository(url: &str, edit_uri: Option<String>) -> Value {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    let known = matches!(
        host.to_ascii_lowercase().as_str(),
        "github.com" | "gitlab.com"
    );
    let edit_uri = edit_uri.unwrap_or_else(|| {
        if known {
            "edit/master/docs/".into()
        } else {
            String::new()
        }
    });
    serde_json::json!({"url": url, "edit_uri": edit_uri, "issues": known})
}

/// `extra`, with `site_description`, `site_author` and `copyright` beside it (None: nothing).
fn params_of(doc: &Map<String, Value>) -> Option<Value> {
    let mut params = doc
        .get("extra")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (from, to) in [
        ("site_description", "description"),
        ("site_author", "author"),
        ("copyright", "copyright"),
    ] {
        if let Some(v) = doc.get(from).filter(|v| !v.is_null()) {
            params.entry(to).or_insert(v.clone());
        }
    }
    (!params.is_empty()).then_some(Value::Object(params))
}

/// The theme's settings other than its language belong to its templates: listed as not used
/// (`theme: material` is the theme's name).
fn theme_unused(theme: Option<&Value>) -> Vec<String> {
    match theme {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(t)) => t
            .keys()
            .filter(|k| !matches!(k.as_str(), "language" | "locale"))
            .map(|k| format!("theme.{k}"))
            .collect(),
        Some(_) => vec!["theme".into()],
    }
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
    names(list)
        .into_iter()
        .map(|name| name.trim_start_matches("markdown.extensions.").to_string())
        .filter(|name| !BUILT_IN.contains(&name.as_str()))
        .filter(|name| !super::mkdocs_includes::NAMES.contains(&name.as_str()))
        .map(|name| format!("markdown_extensions.{name}"))
        .collect()
}

/// The names of a list of extensions or plugins: each a name or a name with its settings, or a
/// map of names to settings.
fn names(list: Option<&Value>) -> Vec<String> {
    match list {
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
    }
}

/// MkDocs plugins that date pages by their last commit, as `lastmod: git` does.
const GIT_DATES: [&str; 2] = ["git-revision-date-localized", "git-revision-date"];

/// The plugins other than `search` (opsite writes its own index), as `plugins.<name>`.
fn plugins_not_built_in(list: Option<&Value>) -> Vec<String> {
    names(list)
        .into_iter()
        // opsite writes its own search index, tag pages from `tags:` in front matter, and
        // dates from git with `lastmod: git`.
        .filter(|n| n != "search" && n != "tags" && !GIT_DATES.contains(&n.as_str()))
        .map(|n| format!("plugins.{n}"))
        .collect()
}

/// The Python tags of the text (`!!python/name:…`, also spelt `!<tag:yaml.org,2002:python/…>`
/// or through a `%TAG` handle), with their lines. The YAML reader drops `!!` tags, keeping the
/// plain value, so they are found in the text to be named.
fn python_tags(text: &str) -> Vec<(usize, String)> {
    // `%TAG !e! tag:yaml.org,2002:` makes `!e!python/name:x` a Python tag.
    let handles: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let mut parts = l.strip_prefix("%TAG")?.split_whitespace();
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect();
    let expanded = |tag: &str| -> String {
        if let Some(rest) = tag.strip_prefix("!!") {
            return format!("tag:yaml.org,2002:{rest}");
        }
        for (handle, prefix) in &handles {
            if let Some(rest) = tag.strip_prefix(handle.as_str()) {
                return format!("{prefix}{rest}");
            }
        }
        tag.trim_start_matches("!<")
            .trim_end_matches('>')
            .to_string()
    };
    tags(text)
        .into_iter()
        .filter(|(_, tag)| expanded(tag).contains("yaml.org,2002:python/"))
        .collect()
}

/// The lines holding the tag `name` (`!ENV`).
fn tag_lines(text: &str, name: &str) -> Vec<usize> {
    tags(text)
        .into_iter()
        .filter(|(_, tag)| tag == name)
        .map(|(line, _)| line)
        .collect()
}

/// Every tag of the text as written, with its line: where a node starts (after `key: `, `- `,
/// `[`, `{` or `,`), outside quoted strings (which may run over lines), comments, directives
/// and the bodies of block scalars (`|`, `>`).
fn tags(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut block_above: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(at) = block_above {
            if line.trim().is_empty() || indent > at {
                continue;
            }
            block_above = None;
        }
        if quote.is_none() && line.starts_with('%') {
            continue;
        }
        // The last character that is not white space, outside quotes (None: the line's start).
        let mut last: Option<char> = None;
        let mut prev = ' ';
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match (quote, c) {
                (Some('\''), '\'') if chars.peek().map(|p| p.1) == Some('\'') => {
                    chars.next();
                }
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'')
                    if prev.is_whitespace() || matches!(prev, ':' | '[' | '{' | ',' | '-') =>
                {
                    quote = Some(c)
                }
                (None, '#') if prev.is_whitespace() => break,
                (None, '!')
                    if (prev.is_whitespace() || matches!(prev, '[' | '{' | ','))
                        && matches!(last, None | Some(':' | '-' | '[' | '{' | ',' | '?')) =>
                {
                    let rest = &line[at..];
                    // A verbatim tag (`!<tag:yaml.org,2002:…>`) runs to its `>`.
                    let tag: String = match rest.strip_prefix("!<").and_then(|r| r.find('>')) {
                        Some(end) => rest[..end + 3].to_string(),
                        None => rest
                            .chars()
                            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                            .collect(),
                    };
                    for _ in 1..tag.chars().count() {
                        chars.next();
                    }
                    out.push((i + 1, tag));
                    last = Some('!');
                }
                _ => {}
            }
            if quote.is_none() && !c.is_whitespace() && c != '!' {
                last = Some(c);
            }
            prev = c;
        }
        let value = line.split(" #").next().unwrap_or(line).trim_end();
        let opens_block = value.rsplit([' ', ':']).next().is_some_and(|last| {
            last.starts_with(['|', '>'])
                && last.len() <= 3
                && last[1..]
                    .chars()
                    .all(|c| matches!(c, '-' | '+' | '1'..='9'))
        });
        if opens_block && quote.is_none() {
            block_above = Some(indent);
        }
    }
    out
}

/// The document with its tags applied: `!ENV NAME` (or `!ENV [A, B, default]`) is the first
/// variable set, else the default, as MkDocs reads it; another tag is dropped, its value kept.
fn untagged(v: serde_yaml::Value, env: bool) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Tagged(t) if t.tag == "ENV" => environment(t.value, env),
        Y::Tagged(t) => untagged(t.value, env),
        Y::Sequence(items) => Value::Array(items.into_iter().map(|i| untagged(i, env)).collect()),
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
                    (key, untagged(v, env))
                })
                .collect(),
        ),
        other => serde_json::to_value(other).unwrap_or(Value::Null),
    }
}

fn environment(v: serde_yaml::Value, env: bool) -> Value {
    let names: Vec<serde_yaml::Value> = match v {
        serde_yaml::Value::Sequence(s) => s,
        one => vec![one],
    };
    let default = (names.len() > 1).then(|| names[names.len() - 1].clone());
    let vars = &names[..names.len().saturating_sub(usize::from(default.is_some()))];
    for name in vars.iter().filter(|_| env) {
        if let Some(set) = name.as_str().and_then(|n| std::env::var(n).ok()) {
            return serde_yaml::from_str::<serde_json::Value>(&set).unwrap_or(Value::String(set));
        }
    }
    default.map_or(Value::Null, |d| untagged(d, env))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translated(text: &str) -> Translated {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("mkdocs.yml"), text).unwrap();
        read(dir.path(), true).unwrap()
    }

    #[test]
    fn mkdocs_settings_become_site_keys() {
        let t = translated(
            "site_name: 運用手順書\nsite_url: https://ops.example.jp/docs/\nrepo_url: https://git.example.jp/ops\ntheme:\n  name: material\n  language: ja\n  features: [navigation.tabs]\nnav:\n  - ホーム: index.md\n  - 手順:\n    - sop/daily.md\n  - 監視: https://grafana.example.jp/\nmarkdown_extensions:\n  - admonition\n  - toc: {permalink: true}\n  - pymdownx.tabbed: {alternate_style: true}\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nextra: {owner: 運用チーム}\ncopyright: © ops\n",
        );
        assert_eq!(t.site["title"], "運用手順書");
        assert_eq!(t.site["language"], "ja");
        assert_eq!(t.site["content_dir"], "docs");
        // A repository on another host: no edit address MkDocs would make, no issue link.
        assert_eq!(
            t.site["repository"],
            serde_json::json!({"url": "https://git.example.jp/ops", "edit_uri": "", "issues": false})
        );
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
        assert!(
            notes[1].ends_with("markdown_extensions.pymdownx.emoji, theme.features, theme.name"),
            "{notes:?}"
        );
    }

    #[test]
    fn python_tags_are_found_where_yaml_reads_a_tag_and_only_there() {
        let text = "%TAG !e! tag:yaml.org,2002:\na: \"first\n  !!python/name:no\"\nb: 'it''s !!python/name:no'\nc: x !!python/name:no z\nd: !e!python/name:os.system\ne:\n  - !!python/name:yes.one\nf: [1, !<tag:yaml.org,2002:python/tuple> [2]]\ng: |\n  !!python/name:no\nh: !ENV HOME # !!python/name:no\n";
        let found: Vec<(usize, String)> = python_tags(text);
        assert_eq!(
            found,
            [
                (6, "!e!python/name:os.system".to_string()),
                (8, "!!python/name:yes.one".to_string()),
                (9, "!<tag:yaml.org,2002:python/tuple>".to_string())
            ]
        );
        assert_eq!(tag_lines(text, "!ENV"), [12]);
    }

    #[test]
    fn env_tags_read_the_environment_or_their_default() {
        let t = translated("site_name: !ENV [OPSITE_TEST_UNSET_NAME, 既定の名前]\nsite_url: !ENV OPSITE_TEST_UNSET_URL\n");
        assert_eq!(t.site["title"], "既定の名前");
        assert!(!t.site.contains_key("base_url"));
        assert_eq!(t.site["language"], "en");
    }
}
