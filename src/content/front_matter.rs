//! Front matter: splitting it off a Markdown file (YAML between `---`, TOML between `+++`), and
//! turning its loosely-typed fields into a typed `FrontMatter`. Hugo/Docsy trees are the reference:
//! keys match case-insensitively and unknown keys are kept as params.

use serde_json::{Map, Value};

mod forms;

pub use super::cascade_rules::{describe, parse_cascade, CascadeRule, CascadeTarget};
pub use super::fields::{now, parse_date, FieldError, FrontMatter, MenuRef, PageDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    /// Hugo's JSON front matter: an object at the very start of the file.
    Json,
}

/// Front matter as written: lower-cased keys, plus the text it came from so a key can be located.
#[derive(Debug, Clone, Default)]
pub struct RawFrontMatter {
    pub format: Option<Format>,
    pub fields: Map<String, Value>,
    text: String,
    /// Line of the file on which `text` starts (1-based).
    first_line: usize,
    /// What was read as Hugo or MkDocs would read it but deserves a look (a repeated key,
    /// a `---` that opens no front matter): warnings at their lines.
    pub notes: Vec<TextError>,
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

/// Drop UTF-8 byte-order marks and turn every Unicode line end (CRLF, and lone CR, VT, FF, NEL,
/// U+2028, U+2029) into LF. Each is a line break as some editor shows it (classic Mac files,
/// Word exports): read as anything else, a file written that way would be one long line, its
/// front matter (a `draft: true` too) published as text. A doubled mark (a file saved twice by a
/// tool that adds one) would hide the opening `---` the same way. Each line end becomes one LF,
/// so line numbers stay those the editor shows.
pub fn normalise_text(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let is_other_end =
        |c: char| matches!(c, '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}');
    if !text.contains(|c: char| c == '\r' || is_other_end(c)) {
        return text.to_string();
    }
    let text = text.replace("\r\n", "\n");
    text.chars()
        .map(|c| {
            if c == '\r' || is_other_end(c) {
                '\n'
            } else {
                c
            }
        })
        .collect()
}

/// Split normalised text into front matter and body and parse the front matter.
pub fn split(text: &str) -> Result<SplitDocument, TextError> {
    // Blank lines and spaces before the front matter are skipped, as Hugo's reader skips
    // them: a stray empty first line must not publish a `draft: true` as text.
    let lead = text.len() - text.trim_start().len();
    let opened = |t: &str| {
        forms::starts_json_object(t)
            || t.starts_with("---") && is_fence_line(t, "---")
            || t.starts_with("+++") && is_fence_line(t, "+++")
    };
    if lead > 0 && opened(&text[lead..]) {
        let shift = text[..lead].matches('\n').count();
        let mut doc = split_from_start(&text[lead..]).map_err(|mut e| {
            e.line += shift;
            e
        })?;
        doc.front.first_line += shift;
        doc.body_line += shift;
        for n in &mut doc.front.notes {
            n.line += shift;
        }
        return Ok(doc);
    }
    split_from_start(text)
}

/// `split` for a text whose front matter, if any, starts at its first character.
fn split_from_start(text: &str) -> Result<SplitDocument, TextError> {
    if forms::starts_json_object(text) {
        return forms::split_json(text);
    }
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
            if format == Format::Yaml && !forms::looks_like_fields(&text[after_open..]) {
                return Ok(forms::all_content(text, "no closing `---` follows"));
            }
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
            let (fields, mut notes) = match parse_fields(format, fm_text) {
                Ok(read) => read,
                // MkDocs reads a page whose `---` block is not YAML fields as content.
                Err(_) if format == Format::Yaml && !forms::looks_like_fields(fm_text) => {
                    return Ok(forms::all_content(text, "what follows is not YAML fields"));
                }
                Err(mut e) => {
                    if format == Format::Yaml && e.message.contains("expected `key: value` pairs") {
                        e.message.push_str("; if the page starts with a horizontal rule, begin it with another line (or a blank front matter: two `---` lines)");
                    }
                    return Err(e);
                }
            };
            // `# …` alone between two rules: YAML comments, so no fields; MkDocs shows a heading.
            let comments = fm_text.lines().filter(|l| l.trim_start().starts_with('#'));
            if format == Format::Yaml && fields.is_empty() && comments.count() > 0 {
                notes.push(TextError {
                    line: 2,
                    column: Some(1),
                    message: "front matter: the block between the `---` lines holds only comments, so it is read as empty front matter (as Hugo does) and not shown; if `# …` is a heading between two horizontal rules (as MkDocs shows it), start the page with another line".into(),
                });
            }
            return Ok(SplitDocument {
                front: RawFrontMatter {
                    format: Some(format),
                    fields,
                    text: fm_text.to_string(),
                    first_line: 2,
                    notes,
                },
                body: text[body_start..].to_string(),
                body_line: line_no + 1,
            });
        }
        offset = end + 1;
        line_no += 1;
    }
}

/// Whether the first line is the fence, alone or followed by a `#` comment (`--- # meta`).
fn is_fence_line(text: &str, fence: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let rest = first.strip_prefix(fence).unwrap_or("x").trim();
    rest.is_empty() || rest.starts_with('#')
}

/// The fields of a front-matter block, and notes on how they were read.
fn parse_fields(
    format: Format,
    fm_text: &str,
) -> Result<(Map<String, Value>, Vec<TextError>), TextError> {
    let mut notes = Vec::new();
    let value = match format {
        Format::Yaml => {
            let (value, repeated) =
                crate::yaml::to_value_keeping_last(fm_text).map_err(|e| TextError {
                    line: e.line + 1,
                    column: Some(e.column),
                    message: format!("front matter: {}", e.message),
                })?;
            // One warning a key, at its last line (found in one pass: thousands of repeats
            // must not cost a pass each).
            let lines = forms::key_lines(fm_text);
            let mut seen = std::collections::HashSet::new();
            for key in repeated.iter().filter(|k| seen.insert(k.as_str())) {
                let last = key.rsplit('.').next().unwrap_or(key);
                let line = match key.contains('.') {
                    false => lines.top.get(last),
                    true => lines.any.get(last),
                };
                notes.push(TextError {
                    line: line.map_or(1, |l| l + 2),
                    column: Some(1),
                    message: format!("front matter: `{key}` is given more than once; the last value is used, as Hugo does"),
                });
            }
            value
        }
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
            crate::yaml::toml_to_json(v)
        }
        // Read whole by `split_json`; not reached through a fence.
        Format::Json => serde_json::from_str(fm_text).map_err(|e| TextError {
            line: e.line(),
            column: Some(e.column()),
            message: format!("front matter: JSON: {e}"),
        })?,
    };
    match value {
        Value::Object(map) => Ok((lowercase_keys(map)?, notes)),
        Value::Null => Ok((Map::new(), notes)),
        _ => Err(TextError {
            line: 2,
            column: Some(1),
            message: "front matter: expected `key: value` pairs".into(),
        }),
    }
}

/// The keys lower-cased (they match case-insensitively). Two keys that differ only in case
/// (`draft` and `Draft` in TOML or JSON, whose order is not kept) are an error: which one was
/// meant cannot be told, and a `draft: true` must not lose silently.
fn lowercase_keys(map: Map<String, Value>) -> Result<Map<String, Value>, TextError> {
    let mut out = Map::new();
    let mut spelled: std::collections::HashMap<String, String> = Default::default();
    for (k, v) in map {
        let lower = k.to_lowercase();
        if let Some(first) = spelled.insert(lower.clone(), k.clone()) {
            return Err(TextError {
                line: 1,
                column: Some(1),
                message: format!(
                    "front matter: `{lower}` is given twice (as `{first}` and `{k}`); keep one"
                ),
            });
        }
        out.insert(lower, v);
    }
    Ok(out)
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

impl RawFrontMatter {
    /// A hash of the front matter as written and where it starts: equal hashes mean a file's
    /// edit left its front matter (and its body's first line) as they were.
    pub fn text_hash(&self) -> u64 {
        crate::markdown::highlight::fnv1a(&[
            self.text.as_bytes(),
            &self.first_line.to_le_bytes(),
            &[self.format.map_or(0, |f| f as u8 + 1)],
        ])
    }

    /// Line (1-based, in the file) of the entry `item` of the list whose key `locate` found on
    /// `line`: the first line from the key's on that holds it (`- /old/` below `aliases:`, or
    /// the key's own line for a flow list), else the key's line.
    pub fn locate_item(&self, line: usize, item: &str) -> usize {
        let from = line.saturating_sub(self.first_line);
        (self.text.lines().enumerate().skip(from))
            .take_while(|(i, l)| *i == from || l.starts_with([' ', '\t', '-']))
            .find(|(_, l)| !item.is_empty() && l.contains(item))
            .map_or(line, |(i, _)| self.first_line + i)
    }

    /// Line and column (1-based, in the file) of the value of top-level `key`, for error messages.
    pub fn locate(&self, key: &str) -> (usize, Option<usize>) {
        let sep = if self.format == Some(Format::Toml) {
            '='
        } else {
            ':'
        };
        // The last line naming the key: a repeated key's last value is the one used.
        let mut found = None;
        for (i, line) in self.text.lines().enumerate() {
            // JSON's keys are indented; YAML's and TOML's top-level ones are not.
            let json = self.format == Some(Format::Json);
            if !json && (line.starts_with(' ') || line.starts_with('\t')) {
                continue;
            }
            let Some(pos) = line.find(sep) else { continue };
            let k = line[..pos].trim().trim_matches('"').trim_matches('\'');
            if k.eq_ignore_ascii_case(key) {
                let rest = &line[pos + 1..];
                let value_offset = pos + 1 + (rest.len() - rest.trim_start().len());
                let column = line[..value_offset].chars().count() + 1;
                found = Some((self.first_line + i, Some(column)));
            }
        }
        found.unwrap_or((self.first_line.max(1), None))
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
    fn mkdocs_material_date_and_search_maps() {
        let (fm, errs) = typed(
            "---\ndate:\n  created: 2024-01-10\n  updated: 2024-03-01\nsearch:\n  exclude: true\n---\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(fm.date.unwrap().date_naive().to_string(), "2024-01-10");
        assert_eq!(fm.lastmod.unwrap().date_naive().to_string(), "2024-03-01");
        assert_eq!(fm.search, Some(false));
        let (fm, _) = typed("---\ndate: {created: 2024-01-10, updated: 2024-03-01}\nlastmod: 2024-05-05\nsearch: {boost: 2}\n---\n");
        assert_eq!(fm.lastmod.unwrap().date_naive().to_string(), "2024-05-05");
        assert_eq!(fm.search, None);
        let (_, errs) = typed("---\ndate: {created: someday}\n---\n");
        assert_eq!(errs.len(), 1);
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
    fn lone_carriage_returns_are_line_breaks() {
        let text = normalise_text("---\rtitle: secret\rdraft: true\r---\rbody\r\nnext\r\rlast");
        let doc = split(&text).unwrap();
        assert_eq!(doc.front.fields["title"], "secret");
        assert_eq!(doc.front.fields["draft"], true);
        assert_eq!(doc.body, "body\nnext\n\nlast");
        assert_eq!(doc.body_line, 5);
        assert_eq!(doc.front.locate("draft"), (3, Some(8)));
    }

    #[test]
    fn doubled_marks_and_unicode_line_ends_never_hide_front_matter() {
        for src in [
            "\u{feff}\u{feff}---\ndraft: true\n---\nbody",
            "---\u{0c}draft: true\u{0c}---\u{0c}body",
            "---\u{0b}draft: true\u{0b}---\u{0b}body",
            "---\u{85}draft: true\u{85}---\u{85}body",
            "---\u{2028}draft: true\u{2028}---\u{2029}body",
        ] {
            let doc = split(&normalise_text(src)).unwrap();
            assert_eq!(doc.front.fields["draft"], true, "{src:?}");
            assert_eq!(doc.body, "body", "{src:?}");
            assert_eq!(doc.body_line, 4, "{src:?}");
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
    }
}
