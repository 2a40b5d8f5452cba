//! Which heading ids a MkDocs tree's pages have: Python-Markdown's `toc` makes them, by its own
//! slug function unless `toc.slugify` names another; links in the tree were written against
//! them, so `opsite init` writes the same rule as `markdown.heading_ids`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::config::HeadingIds;
use crate::error::Diagnostic;

/// The heading ids of a MkDocs tree.
pub struct TocIds {
    pub ids: HeadingIds,
    /// A warning when `toc.slugify` names a function opsite does not have (the default's ids
    /// are used then).
    pub note: Option<Diagnostic>,
    /// The line of the Python tag naming a function opsite follows: not a warning then.
    pub followed_tag_line: Option<usize>,
}

/// The ids `markdown_extensions` makes; `python_tags` are the file's Python tags by line (the
/// YAML reader leaves them out of `doc`).
pub fn heading_ids(
    doc: &Map<String, Value>,
    text: &str,
    file: &Path,
    python_tags: Vec<(usize, String)>,
) -> TocIds {
    let default = TocIds {
        ids: HeadingIds::Mkdocs,
        note: None,
        followed_tag_line: None,
    };
    let Some(toc) = toc_settings(doc.get("markdown_extensions")) else {
        return default;
    };
    let Some(slugify) = toc.get("slugify") else {
        return default;
    };
    // The function is named by the value's Python tag.
    let tag = (python_tags.into_iter())
        .find(|(line, _)| (text.lines().nth(line - 1)).is_some_and(|l| l.contains("slugify:")));
    let function = tag
        .as_ref()
        .and_then(|(_, t)| t.rsplit_once(':'))
        .map(|(_, f)| f.trim().to_string())
        .unwrap_or_default();
    let case = slugify.pointer("/kwds/case").and_then(Value::as_str);
    let style = match (function.as_str(), case) {
        ("markdown.extensions.toc.slugify", _) => Some(HeadingIds::Mkdocs),
        ("markdown.extensions.toc.slugify_unicode", _) => Some(HeadingIds::MkdocsUnicode),
        ("pymdownx.slugs.uslugify", _) | ("pymdownx.slugs.slugify", Some("lower")) => {
            Some(HeadingIds::PymdownxLower)
        }
        ("pymdownx.slugs.uslugify_cased", _) | ("pymdownx.slugs.slugify", None) => {
            Some(HeadingIds::Pymdownx)
        }
        _ => None,
    };
    match style {
        Some(ids) => TocIds {
            ids,
            note: None,
            followed_tag_line: tag.map(|(line, _)| line),
        },
        None => {
            let named = match (function.is_empty(), case) {
                (true, _) => "a function opsite cannot read".to_string(),
                (false, Some(case)) => format!("{function} (case: {case})"),
                (false, None) => function,
            };
            let message = format!("markdown_extensions.toc.slugify: {named} is not one opsite has (it has Python-Markdown's slugify and slugify_unicode, and pymdownx.slugs' slugify, with or without `case: lower`, uslugify and uslugify_cased); headings get MkDocs' default ids, so links to headings whose text is not plain ASCII words may not find them");
            TocIds {
                note: Some(super::note_at(file, text, "slugify", message)),
                ..default
            }
        }
    }
}

/// `toc`'s settings in a list of extensions (a name, or a name with its settings) or a map.
fn toc_settings(list: Option<&Value>) -> Option<&Map<String, Value>> {
    match list? {
        Value::Array(items) => (items.iter()).filter_map(Value::as_object).find_map(toc_in),
        Value::Object(m) => toc_in(m),
        _ => None,
    }
}

/// The settings under `toc` (or its full name) in one map of extensions.
fn toc_in(m: &Map<String, Value>) -> Option<&Map<String, Value>> {
    (m.iter())
        .find(|(k, _)| *k == "toc" || *k == "markdown.extensions.toc")
        .and_then(|(_, v)| v.as_object())
}
