//! One content file as a page: pure parsing from text (`Page::parse`) kept apart from reading the
//! file, so tests pass strings.

use std::path::{Path, PathBuf};

use super::front_matter::{self, FrontMatter, RawFrontMatter, TextError};
use super::SectionId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Home,
    Section,
    Page,
}

/// A parsed but not yet assembled content file.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// Path relative to `content/`, with `/` separators.
    pub rel_path: PathBuf,
    pub front: RawFrontMatter,
    pub body: String,
    pub body_line: usize,
}

impl RawPage {
    /// Parse a Markdown file's text (BOM and CRLF allowed; control characters replaced).
    pub fn parse(text: &str, rel_path: &Path) -> Result<RawPage, TextError> {
        let text = replace_controls(front_matter::normalise_text(text));
        let mut doc = front_matter::split(&text)?;
        // Escapes in YAML and TOML strings (`"\0"`, `"\x01"`) make them after the text's pass.
        for value in doc.front.fields.values_mut() {
            replace_controls_in(value);
        }
        Ok(RawPage {
            rel_path: rel_path.to_path_buf(),
            front: doc.front,
            body: doc.body,
            body_line: doc.body_line,
        })
    }

    /// Text read from a file for a page (an included one): BOM and CRLF as a page's, control
    /// characters replaced as in a page.
    pub fn clean_text(text: &str) -> String {
        replace_controls(front_matter::normalise_text(text))
    }

    /// A file read as text only, without front matter (a block that does not parse, shown as
    /// MkDocs shows it).
    pub fn text_only(text: &str, rel_path: &Path) -> RawPage {
        RawPage {
            rel_path: rel_path.to_path_buf(),
            front: RawFrontMatter::default(),
            body: as_mkdocs_shows(replace_controls(front_matter::normalise_text(text))),
            body_line: 1,
        }
    }

    pub fn file_name(&self) -> &str {
        self.rel_path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
    }
}

/// A `---` block of several lines as Python-Markdown reads it: a rule, a paragraph, a rule (a
/// heading of its last line only when it has one). CommonMark would make the whole paragraph a
/// heading; its closing `---` becomes `***`, a rule in both, on the same line.
fn as_mkdocs_shows(text: String) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.first() != Some(&"---") {
        return text;
    }
    let Some(close) = (1..lines.len()).find(|&i| lines[i] == "---") else {
        return text;
    };
    if close <= 2 {
        return text;
    }
    lines[close] = "***";
    lines.join("\n")
}

/// The characters `replace_controls` replaces: the control characters, C0 (NUL, ESC…) but tab
/// and line feed, DEL, and C1 (U+0080–U+009F, among them the 8-bit terminal escapes CSI U+009B
/// and DCS U+0090); and the bidirectional controls, which turn a title or a line around
/// (`U+202E gpj.exe`) in every edition, feed and list that shows it.
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || crate::display_text::turns_text_around(c)
}

/// NUL and the other control characters but tab and line feed become U+FFFD, as a browser's
/// HTML parser shows them: one character for one, so lines and columns stay where they were,
/// and no page, title or feed carries a byte that readers refuse or that hides text.
pub(crate) fn replace_controls(text: String) -> String {
    if !text.contains(is_control) {
        return text;
    }
    text.chars()
        .map(|c| if is_control(c) { '\u{fffd}' } else { c })
        .collect()
}

/// `replace_controls` in every string of a front-matter value (keys too), CR included: a title
/// is one line.
fn replace_controls_in(value: &mut serde_json::Value) {
    use serde_json::Value;
    let fix = |s: &str| -> Option<String> {
        s.contains(is_control).then(|| {
            s.chars()
                .map(|c| if is_control(c) { '\u{fffd}' } else { c })
                .collect()
        })
    };
    match value {
        Value::String(s) => {
            if let Some(fixed) = fix(s) {
                *s = fixed;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(replace_controls_in),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().filter(|k| fix(k).is_some()).cloned().collect();
            for k in keys {
                if let Some(v) = map.remove(&k) {
                    map.insert(fix(&k).unwrap_or(k), v);
                }
            }
            map.values_mut().for_each(replace_controls_in);
        }
        _ => {}
    }
}

/// An alias of a page: as written, and as the site path a redirect is written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasPath {
    pub written: String,
    pub path: String,
    /// Line of the alias in the page's file (of the `aliases` key for a flow list).
    pub line: usize,
}

/// A page of the site: a regular page, a section's index, or the home page.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: PageKind,
    /// Path relative to the site root (`content/sop/daily.md`), for messages.
    pub source: PathBuf,
    /// Path relative to `content/` (`sop/daily.md`); empty for made-up section pages.
    pub rel_path: PathBuf,
    /// `/sop/daily`, matched by cascade targets.
    pub logical_path: String,
    /// The section the page is in; for a section's index page, that section itself.
    pub section: SectionId,
    pub front: FrontMatter,
    pub title: String,
    /// The title is the body's first `# heading` (taken out of the body): links to that
    /// heading's id go to the title.
    pub title_from_heading: bool,
    pub body: String,
    pub body_line: usize,
    /// Site path, e.g. `/sop/daily/`.
    pub url: String,
    /// Output file relative to the output folder, e.g. `sop/daily/index.html`.
    pub output_path: String,
    /// Redirects to this page, resolved; those over a real page were dropped with a warning.
    pub aliases: Vec<AliasPath>,
    /// Leaf-bundle files published beside the page, relative to `content/`.
    pub resources: Vec<PathBuf>,
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

impl Page {
    pub fn link_title(&self) -> &str {
        self.front
            .link_title
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.title)
    }

    /// The page's folder relative to `content/`, against which its relative links resolve.
    pub fn source_dir(&self) -> PathBuf {
        self.rel_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// The title of a page without a `title`: its first `# heading`, else its file name. When the
/// title comes from a heading, that heading's line is blanked in the returned body (the theme
/// shows the title itself; line numbers stay as they were). MkDocs and GitLab pages often put
/// a comment or a `[[_TOC_]]` line above it.
pub fn derive_title(body: &str, fallback: &str) -> (String, Option<String>) {
    let mut in_fence = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || line.starts_with("    ") {
            continue;
        }
        if let Some(rest) = t.strip_prefix("# ") {
            let title = heading_text(rest.trim().trim_end_matches('#').trim());
            if title.is_empty() {
                continue;
            }
            let blanked: String = body
                .lines()
                .enumerate()
                .map(|(j, l)| {
                    if j == i {
                        "\n".to_string()
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            return (title, Some(blanked));
        }
    }
    (readable_file_name(fallback), None)
}

/// A heading's text as a title: its inline Markdown read as text (`` `argocd account` `` is
/// `argocd account`, `**Note**` is `Note`, a link its text), as MkDocs and Hugo title a page.
pub fn heading_text(markdown: &str) -> String {
    if !markdown.contains(['`', '*', '_', '[', '<', '\\', '&', '!']) {
        return markdown.to_string();
    }
    let events: Vec<pulldown_cmark::Event> = pulldown_cmark::Parser::new(markdown).collect();
    let out = crate::markdown::plain_text(&events).trim().to_string();
    if out.is_empty() {
        markdown.to_string()
    } else {
        out
    }
}

/// MkDocs' title from a page's heading: a `# heading` that is the page's first block (nothing
/// but blank lines above it), with its line blanked in the returned body as `derive_title` does.
pub fn first_block_heading(body: &str) -> Option<(String, String)> {
    let (i, line) = body
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let title = heading_text(line.strip_prefix("# ")?.trim().trim_end_matches('#').trim());
    if title.is_empty() || line.starts_with("    ") {
        return None;
    }
    let mut blanked = String::with_capacity(body.len());
    for (j, l) in body.lines().enumerate() {
        if j != i {
            blanked.push_str(l);
        }
        blanked.push('\n');
    }
    Some((title, blanked))
}

/// MkDocs' title from a file name: `README` is `index`, `-` and `_` are spaces, and a name
/// all in lower case is capitalised (`named-plan.md` is `Named plan`, `MixedCase-File.md`
/// `MixedCase File`, `sub/index.md` `Index`).
pub fn mkdocs_file_title(rel_path: &Path) -> String {
    let stem = rel_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = if stem.eq_ignore_ascii_case("readme") {
        "index".to_string()
    } else {
        stem
    };
    let spaced = stem.replace(['-', '_'], " ");
    if spaced.to_lowercase() != spaced {
        return spaced;
    }
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// A title from a file name, as MkDocs makes one: `call_etiquette` → `Call etiquette`. Names with
/// capitals or non-ASCII letters are kept as written.
pub fn readable_file_name(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let spaced = spaced.trim();
    if spaced.is_empty() || spaced.chars().any(|c| c.is_uppercase() || !c.is_ascii()) {
        return name.to_string();
    }
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        let raw = RawPage::parse(
            "\u{feff}---\r\ntitle: 手順\r\n---\r\n本文\r\n",
            Path::new("a.md"),
        )
        .unwrap();
        assert_eq!(raw.front.fields["title"], "手順");
        assert_eq!(raw.body, "本文\n");
    }

    #[test]
    fn title_from_first_heading_else_file_name() {
        let (t, body) = derive_title("\n# 日次点検\n\n本文\n", "daily");
        assert_eq!(t, "日次点検");
        assert_eq!(
            body.unwrap(),
            "\n\n\n本文\n",
            "the heading's line is blank, lines kept"
        );
        let (t, body) = derive_title(
            "<!-- generated -->\n\n[[_TOC_]]\n\n#  Patroni Service\n本文\n",
            "README",
        );
        assert_eq!(t, "Patroni Service");
        assert_eq!(body.unwrap(), "<!-- generated -->\n\n[[_TOC_]]\n\n\n本文\n");
        assert_eq!(derive_title("本文のみ\n", "daily").0, "Daily");
        assert_eq!(derive_title("```\n# not a heading\n```\n", "x").0, "X");
        assert_eq!(derive_title("", "call_etiquette").0, "Call etiquette");
        assert_eq!(derive_title("", "README").0, "README");
        assert_eq!(derive_title("", "日次-点検").0, "日次-点検");
    }

    #[test]
    fn mkdocs_titles_take_a_first_block_heading_else_the_file_name() {
        let (t, body) = first_block_heading("\n# From H1\n\ntext\n").unwrap();
        assert_eq!((t.as_str(), body.as_str()), ("From H1", "\n\n\ntext\n"));
        assert_eq!(first_block_heading("<!-- c -->\n# Late\n"), None);
        assert_eq!(first_block_heading("text\n"), None);
        let name = |p: &str| mkdocs_file_title(Path::new(p));
        assert_eq!(name("named-plan.md"), "Named plan");
        assert_eq!(name("snake_case_file.md"), "Snake case file");
        assert_eq!(name("MixedCase-File.md"), "MixedCase File");
        assert_eq!(name("sub/index.md"), "Index");
        assert_eq!(name("p/README.md"), "Index");
        let (t, _) = first_block_heading("# `argocd account` Command **Reference**\n").unwrap();
        assert_eq!(t, "argocd account Command Reference");
        assert_eq!(
            derive_title("# A [link](x.md) & `code`\n", "x").0,
            "A link & code"
        );
    }
}
