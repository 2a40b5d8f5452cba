//! The forms of front matter other tools accept beside `---` YAML and `+++` TOML: Hugo's JSON
//! object at the start of a file, MkDocs pages that open with a horizontal rule (`---` with no
//! fields after it), and where a repeated YAML key's last line is for its warning.

use serde_json::Value;

use super::{lowercase_keys, Format, RawFrontMatter, SplitDocument, TextError};

/// Whether the text opens with a JSON object (`{` then a quoted key or `}`), as Hugo's JSON
/// front matter does; a shortcode (`{{< … >}}`) or other text does not.
pub(super) fn starts_json_object(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('{') else {
        return false;
    };
    matches!(rest.trim_start().chars().next(), Some('"' | '}'))
}

/// Hugo's JSON front matter: one JSON object at the start, the body after it.
pub(super) fn split_json(text: &str) -> Result<SplitDocument, TextError> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let fields = match values.next() {
        Some(Ok(Value::Object(map))) => lowercase_keys(map)?,
        Some(Err(e)) => {
            return Err(TextError {
                line: e.line(),
                column: Some(e.column()),
                message: format!("front matter: JSON: {e}"),
            })
        }
        _ => unreachable!("the text starts with an object"),
    };
    let end = values.byte_offset();
    // The body starts on the line after the object's closing brace.
    let body_start = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let body_line = text[..body_start].matches('\n').count() + 1;
    Ok(SplitDocument {
        front: RawFrontMatter {
            format: Some(Format::Json),
            fields,
            text: text[..end].to_string(),
            first_line: 1,
            notes: Vec::new(),
        },
        body: text[body_start..].to_string(),
        body_line,
    })
}

/// The whole text as the body, with a warning at line 1: a page that opens with `---` (a
/// horizontal rule) but has no front matter, which MkDocs reads as content.
pub(super) fn all_content(text: &str, why: &str) -> SplitDocument {
    let note = TextError {
        line: 1,
        column: Some(1),
        message: format!("the page starts with `---` but {why}: read as content (a horizontal rule), as MkDocs does; start the page with another line if that is what it is, or write `key: value` fields between two `---` lines"),
    };
    SplitDocument {
        front: RawFrontMatter {
            notes: vec![note],
            ..Default::default()
        },
        body: text.to_string(),
        body_line: 1,
    }
}

/// Whether a `---` block starts like front matter (its first line that is not a comment is
/// `key:` or `key: value`): such a block that does not parse is a mistake to report, not
/// content. `https://…` or a sentence is not a key.
pub(super) fn looks_like_fields(block: &str) -> bool {
    let Some(first) = (block.lines().map(str::trim)).find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    // A flow mapping or a complex key is YAML fields too, however broken.
    if first.starts_with('{') || first.starts_with("? ") {
        return true;
    }
    // A full-width colon (`draft： true`, as Japanese input gives it) is a mistyped field.
    let Some((key, after)) = first.split_once(':').or_else(|| {
        first
            .split_once('：')
            .map(|(k, a)| (k, if a.is_empty() { "" } else { " " }))
    }) else {
        return false;
    };
    let key = key.trim().trim_matches(['"', '\'']);
    (after.is_empty() || after.starts_with([' ', '\t']))
        && !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || "_- ".contains(c))
}

/// The 0-based line of the last `key:` of each key in a YAML block: top-level keys
/// (lower-cased, as front matter reads them), and keys at any depth.
pub(super) struct KeyLines {
    pub(super) top: std::collections::HashMap<String, usize>,
    pub(super) any: std::collections::HashMap<String, usize>,
}

pub(super) fn key_lines(text: &str) -> KeyLines {
    let mut lines = KeyLines {
        top: Default::default(),
        any: Default::default(),
    };
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start().trim_start_matches("- ");
        let Some((k, _)) = t.split_once(':') else {
            continue;
        };
        let k = k.trim().trim_matches(['"', '\'']);
        if !l.starts_with([' ', '\t']) {
            lines.top.insert(k.to_lowercase(), i);
        }
        lines.any.insert(k.to_string(), i);
    }
    lines
}
