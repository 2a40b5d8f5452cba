//! MkDocs' include extensions: `markdown_include`'s `{!path!}` and `pymdownx.snippets`'
//! `--8<-- "path"` write another file's text into a page before it is read as Markdown (inside
//! code fences too), so a runbook's example YAML kept in one file appears where it is named.
//! Finding the marks is shared by the stage that reads the files (`content::source`) and the one
//! that writes them in (`markdown::render`); the files themselves come in as text, read from
//! inside the site only.

use std::collections::HashMap;

use crate::config::IncludesConfig;

/// How large a page may grow by what it includes: a file included a hundred times must not
/// make a page of hundreds of megabytes.
pub const MAX_PAGE_BYTES: usize = 16_000_000;

/// Which extension a mark belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    MarkdownInclude,
    Snippets,
}

/// One mark in a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub kind: Kind,
    /// The paths as written, in order (a snippets block names several).
    pub paths: Vec<String>,
    /// The bytes of the text the included files replace.
    pub range: std::ops::Range<usize>,
    /// Written before each included line (a snippets line's own indentation).
    pub indent: String,
}

/// The included files, by (extension, path as written): their text, or why it was not read
/// (no entry: no folder the extension reads from has the file).
pub type IncludedFiles = HashMap<(Kind, String), Result<String, Refusal>>;

/// Why a file was not included, and whether that is an error (a file that may not be put in
/// another page: it would be published to another audience) or a warning (unreadable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub why: String,
    pub error: bool,
}

/// Every mark of `text` the site's extensions read, in order.
pub fn marks(text: &str, config: &IncludesConfig) -> Vec<Mark> {
    let mut out = Vec::new();
    if config.snippets.is_some() && text.contains("--8<--") {
        out.extend(snippet_marks(text));
    }
    if config.markdown_include.is_some() && text.contains("{!") {
        let taken: Vec<std::ops::Range<usize>> = out.iter().map(|m| m.range.clone()).collect();
        let mut from = 0;
        while let Some(at) = text[from..].find("{!").map(|i| from + i) {
            let Some(len) = text[at + 2..].find("!}") else {
                break;
            };
            let path = text[at + 2..at + 2 + len].trim();
            let end = at + 2 + len + 2;
            let inside_snippet = taken.iter().any(|r| r.contains(&at));
            if !path.is_empty() && !path.contains('\n') && !inside_snippet {
                out.push(Mark {
                    kind: Kind::MarkdownInclude,
                    paths: vec![path.to_string()],
                    range: at..end,
                    indent: String::new(),
                });
            }
            from = end;
        }
    }
    out.sort_by_key(|m| m.range.start);
    out
}

/// `--8<-- "path"` lines, and blocks: a `--8<--` line, one path a line, a `--8<--` line. A
/// line starting `;--8<--` is the extension's escape: a mark of no path over its `;`.
fn snippet_marks(text: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut block: Option<(usize, String, Vec<String>)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent: String = body
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let rest = body[indent.len()..].trim_end();
        if let Some((begin, indent, paths)) = block.as_mut() {
            if rest == "--8<--" {
                out.push(Mark {
                    kind: Kind::Snippets,
                    paths: std::mem::take(paths),
                    range: *begin..at,
                    indent: std::mem::take(indent),
                });
                block = None;
            } else if !rest.is_empty() && !rest.starts_with(';') {
                paths.push(unquoted(rest).to_string());
            }
            continue;
        }
        if rest.starts_with(";--8<--") {
            // The extension's escape: the line is written without its `;`.
            let at = start + indent.len();
            out.push(Mark {
                kind: Kind::Snippets,
                paths: Vec::new(),
                range: at..at + 1,
                indent: String::new(),
            });
        } else if rest == "--8<--" {
            block = Some((start, indent, Vec::new()));
        } else if let Some(arg) = rest.strip_prefix("--8<--") {
            let path = unquoted(arg.trim());
            if !path.is_empty() && arg.starts_with([' ', '\t']) {
                out.push(Mark {
                    kind: Kind::Snippets,
                    paths: vec![path.to_string()],
                    range: start..at,
                    indent,
                });
            }
        }
    }
    out
}

fn unquoted(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The files a path may be read from, relative to the site root, in the order tried: none for
/// a path that leads out of its base folder (snippets' `restrict_base_path`) or the site.
pub fn candidates(kind: Kind, path: &str, config: &IncludesConfig) -> Vec<String> {
    let bases: Vec<&str> = match kind {
        Kind::MarkdownInclude => (config.markdown_include.iter())
            .map(|c| c.base_path.as_str())
            .collect(),
        Kind::Snippets => (config.snippets.iter())
            .flat_map(|c| c.base_path.iter().map(String::as_str))
            .collect(),
    };
    bases
        .into_iter()
        .filter_map(|base| {
            let base = normalised(base)?;
            let joined = match base.is_empty() {
                true => normalised(path)?,
                false => normalised(&format!("{base}/{path}"))?,
            };
            let inside = base.is_empty() || joined.starts_with(&format!("{base}/"));
            inside.then_some(joined)
        })
        .collect()
}

/// `a/./b/../c` as `a/c`, from the site root; None when it leads above the root or is absolute.
fn normalised(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A problem with a mark: where (byte offset in the text), what, and whether only a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeProblem {
    pub offset: usize,
    pub message: String,
    pub warning: bool,
}

/// The text with every mark replaced by its files' text, and for each line of the result the
/// line (0-based) of `text` it came from (an included line: its mark's), so problems keep
/// their lines.
pub fn apply(
    text: &str,
    config: &IncludesConfig,
    files: &IncludedFiles,
) -> (String, Vec<usize>, Vec<IncludeProblem>) {
    let marks = marks(text, config);
    let mut out = Writer::default();
    let mut problems = Vec::new();
    let mut from = 0;
    let mut line = 0;
    for mark in &marks {
        out.source(text, from, mark.range.start, line);
        let mark_line = line + text[from..mark.range.start].matches('\n').count();
        line = mark_line + text[mark.range.clone()].matches('\n').count();
        if out.text.len() > MAX_PAGE_BYTES {
            problems.push(IncludeProblem {
                offset: mark.range.start,
                message: format!("includes would make this page larger than {} MB; this one and the ones after it are left out", MAX_PAGE_BYTES / 1_000_000),
                warning: false,
            });
            from = mark.range.start;
            break;
        }
        let mut included = String::new();
        for path in &mark.paths {
            match files.get(&(mark.kind, path.clone())) {
                Some(Ok(body)) if mark.kind == Kind::Snippets => {
                    included.push_str(&indented(body, &mark.indent))
                }
                Some(Ok(body)) => included.push_str(body),
                Some(Err(refusal)) => problems.push(IncludeProblem {
                    offset: mark.range.start,
                    message: format!("include `{path}`: {}; left out", refusal.why),
                    warning: !refusal.error,
                }),
                None => problems.push(IncludeProblem {
                    offset: mark.range.start,
                    message: format!("include `{path}`: no such file in the folders its extension reads from (inside the site); left out"),
                    warning: !(mark.kind == Kind::Snippets
                        && config.snippets.as_ref().is_some_and(|s| s.check_paths)),
                }),
            }
        }
        if mark.kind == Kind::MarkdownInclude {
            // In place of the mark, as markdown_include writes it: no newline of its own.
            let trimmed = included.strip_suffix('\n').unwrap_or(&included);
            out.pinned(trimmed, mark_line);
        } else {
            out.pinned(&included, mark_line);
        }
        from = mark.range.end;
    }
    out.source(text, from, text.len(), line);
    if out.at_line_start {
        out.origin.push(text.matches('\n').count());
    }
    (out.text, out.origin, problems)
}

/// The text being written, with the source line of each of its lines.
#[derive(Default)]
struct Writer {
    text: String,
    origin: Vec<usize>,
    at_line_start: bool,
    started: bool,
}

impl Writer {
    fn piece(&mut self, piece: &str, line: usize) {
        if !self.started || self.at_line_start {
            self.origin.push(line);
            self.started = true;
        }
        self.text.push_str(piece);
        self.at_line_start = piece.ends_with('\n');
    }

    /// `text[a..b]`, each line standing for itself; `line` is the line `a` is on.
    fn source(&mut self, text: &str, a: usize, b: usize, line: usize) {
        let mut line = line;
        for piece in text[a..b].split_inclusive('\n') {
            self.piece(piece, line);
            line += 1;
        }
    }

    /// Written text whose every line stands for `line`.
    fn pinned(&mut self, written: &str, line: usize) {
        for piece in written.split_inclusive('\n') {
            self.piece(piece, line);
        }
    }
}

/// Each line of a file, with `indent` before it and a newline after the last. A file ending in
/// a newline ends in an empty line, as pymdownx.snippets reads it (its lines split at each
/// newline): two snippets in a block are two paragraphs.
fn indented(body: &str, indent: &str) -> String {
    let mut s = String::with_capacity(body.len());
    for line in body.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.is_empty() {
            s.push_str(indent);
        }
        s.push_str(line);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{MarkdownIncludeConfig, SnippetsConfig};

    fn both() -> IncludesConfig {
        IncludesConfig {
            markdown_include: Some(MarkdownIncludeConfig::default()),
            snippets: Some(SnippetsConfig::default()),
        }
    }

    #[test]
    fn marks_are_written_in_and_lines_keep_their_origin() {
        let mut files = IncludedFiles::new();
        files.insert(
            (Kind::MarkdownInclude, "docs/cm.yaml".into()),
            Ok("a: 1\nb: 2\n".into()),
        );
        files.insert((Kind::Snippets, "s.md".into()), Ok("one\ntwo\n".into()));
        let text = "x\n```yaml\n{!docs/cm.yaml!}\n```\n  --8<-- \"s.md\"\nend\n";
        let (out, origin, problems) = apply(text, &both(), &files);
        assert_eq!(out, "x\n```yaml\na: 1\nb: 2\n```\n  one\n  two\n\nend\n");
        assert_eq!(origin, [0, 1, 2, 2, 3, 4, 4, 4, 5, 6]);
        assert!(problems.is_empty());
    }

    #[test]
    fn blocks_escapes_and_missing_files() {
        let text = "--8<--\na.md\nb.md\n--8<--\n;--8<-- \"c.md\"\n--8<-- \"gone.md\"\n";
        let m = marks(text, &both());
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].paths, ["a.md", "b.md"]);
        assert!(m[1].paths.is_empty(), "the escape");
        assert_eq!(m[2].paths, ["gone.md"]);
        let (out, _, _) = apply(";--8<-- \"c.md\"\n", &both(), &IncludedFiles::new());
        assert_eq!(out, "--8<-- \"c.md\"\n");
        let (_, _, problems) = apply(text, &both(), &IncludedFiles::new());
        assert_eq!(problems.len(), 3);
        assert!(problems.iter().all(|p| p.warning));
    }

    #[test]
    fn paths_stay_inside_their_base_folder() {
        let mut config = both();
        config.snippets = Some(SnippetsConfig {
            base_path: vec!["docs".into(), ".".into()],
            check_paths: true,
        });
        assert_eq!(
            candidates(Kind::Snippets, "s.md", &config),
            ["docs/s.md", "s.md"]
        );
        assert!(candidates(Kind::Snippets, "../x.md", &config).is_empty());
        assert_eq!(
            candidates(Kind::Snippets, "../docs/x.md", &config),
            ["docs/x.md"]
        );
    }
}
