//! Located diagnostics. Every problem opsite reports names where it is (file, line, column) so
//! authors can jump straight to it; a build collects all of them and reports them together.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a problem is: a file relative to the site root, and optionally a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }
    pub fn at(file: impl Into<PathBuf>, line: usize, column: Option<usize>) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable(&self.file.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// How many places of one message are said one by one; more are said once, with the count.
/// The report and the data checks share it, so a problem in 4 rows is not listed by one and
/// summarised by the other.
pub const LISTED_REPEATS: usize = 3;

/// `s` with control characters other than line breaks and tabs written as `\u{1b}`: a file
/// name or a cell holding terminal escapes must not take over the terminal it is printed in.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The most of a value from a configuration file a message shows (a token pasted under the
/// wrong key must not land whole in a CI log).
pub const QUOTED_CHARS: usize = 40;

/// A word longer than this outside backticks in a message about a configuration file is a
/// value, not a name, and is cut to `QUOTED_CHARS`.
const LONG_WORD: usize = 64;

/// Whether `file` is one a site's configuration is read from (`site.yaml`, a Hugo tree's
/// `hugo.*`, `config.*` and `config/**`, a MkDocs tree's `mkdocs.yml`).
fn is_configuration_file(file: &Path) -> bool {
    let name = file.to_string_lossy();
    let base = name.rsplit('/').next().unwrap_or(&name);
    name.starts_with("config/")
        || base == "site.yaml"
        || matches!(
            base.rsplit_once('.'),
            Some(("hugo" | "config", "toml" | "yaml" | "yml" | "json"))
                | Some(("mkdocs", "yml" | "yaml"))
        )
}

/// A message about a configuration file with every value it quotes (between backticks, or a
/// run of text without spaces) cut to `QUOTED_CHARS` characters, with its length after it.
fn shown_message(location: &Location, message: String) -> String {
    if !is_configuration_file(&location.file) || message.chars().count() <= QUOTED_CHARS {
        return message;
    }
    let cut = |s: &str| -> (String, Option<usize>) {
        let n = s.chars().count();
        match n > QUOTED_CHARS {
            true => (
                s.chars().take(QUOTED_CHARS).collect::<String>() + "…",
                Some(n),
            ),
            false => (s.to_string(), None),
        }
    };
    let mut out = String::new();
    // Even parts are outside backticks (cut word by word), odd parts inside (cut whole).
    let parts: Vec<&str> = message.split('`').collect();
    let closed = parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        let quoted = i % 2 == 1 && (closed || i + 1 < parts.len());
        if quoted {
            let (text, n) = cut(part);
            out.push('`');
            out.push_str(&text);
            out.push('`');
            if let Some(n) = n {
                out.push_str(&format!(" ({n} characters)"));
            }
            continue;
        }
        if i % 2 == 1 {
            out.push('`');
        }
        // A word outside backticks is cut only when it is long for a name (a key, a tag, a
        // path): a token pasted whole.
        let words: Vec<String> = part
            .split(' ')
            .map(|w| match w.chars().count() > LONG_WORD {
                true => match cut(w) {
                    (text, Some(n)) => format!("{text} ({n} characters)"),
                    (text, None) => text,
                },
                false => w.to_string(),
            })
            .collect();
        out.push_str(&words.join(" "));
    }
    out
}

/// One reported problem. Displayed as `content/sop/daily.md:3:9: error: front matter: weight: ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{location}: {}: {}", match .severity { Severity::Error => "error", Severity::Warning => "warning" }, printable(.message))]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    /// What kind of problem this is, set where the diagnostic is made.
    pub code: Code,
    /// A problem that only follows from another one (figures not drawn because the data did
    /// not load): printed after the problems that are causes.
    pub consequence: bool,
    /// The file whose own problem this one follows from, when that file has an error (a link to
    /// a page whose front matter does not parse is no "missing file"): said only without it.
    pub follows_from: Option<std::path::PathBuf>,
}

/// The kind of a problem, for machine-readable output (`check --format json`): a stable name
/// for the problems tools act on (`broken-link`, `external-broken` …), else the part of the
/// site it belongs to (`config`, `content`, `template`, `data`, `build`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Code {
    Config,
    Content,
    Template,
    Data,
    Build,
    UnknownKey,
    BrokenLink,
    /// A relative link that climbs above the site's root: the browser leaves the site.
    LeavesSite,
    BrokenAnchor,
    MissingImage,
    StaleProcedure,
    ExternalBroken,
    ExternalMoved,
    ExternalUnreachable,
    ExternalDenied,
    ExternalLimited,
    ExternalInvalid,
    /// A shortcode without a template inside code: the code is published incomplete.
    ShortcodeInCode,
    /// The one line listing a foreign configuration's settings opsite does not use.
    NotUsed,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Config => "config",
            Code::Content => "content",
            Code::Template => "template",
            Code::Data => "data",
            Code::Build => "build",
            Code::UnknownKey => "unknown-key",
            Code::BrokenLink => "broken-link",
            Code::LeavesSite => "leaves-site",
            Code::BrokenAnchor => "broken-anchor",
            Code::MissingImage => "missing-image",
            Code::StaleProcedure => "stale-procedure",
            Code::ExternalBroken => "external-broken",
            Code::ExternalMoved => "external-moved",
            Code::ExternalUnreachable => "external-unreachable",
            Code::ExternalDenied => "external-denied",
            Code::ExternalLimited => "external-limited",
            Code::ExternalInvalid => "external-invalid",
            Code::ShortcodeInCode => "shortcode-in-code",
            Code::NotUsed => "not-used",
        }
    }

    /// Warnings of this kind are printed even past the cap on warning lines: each stands for
    /// damage a reader cannot see (code published incomplete) or settings silently dropped
    /// (misspelt keys, a foreign configuration's keys opsite does not use).
    pub fn never_capped(self) -> bool {
        matches!(
            self,
            Code::ShortcodeInCode | Code::NotUsed | Code::UnknownKey
        )
    }
}

impl Diagnostic {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        let message = shown_message(&location, message.into());
        Diagnostic {
            severity: Severity::Error,
            location,
            message,
            code,
            consequence: false,
            follows_from: None,
        }
    }
    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        let message = shown_message(&location, message.into());
        Diagnostic {
            severity: Severity::Warning,
            location,
            message,
            code,
            consequence: false,
            follows_from: None,
        }
    }
    /// The same problem, marked as following from another one.
    pub fn as_consequence(mut self) -> Self {
        self.consequence = true;
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Everything a build found, in a stable order (file, line, column, message).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    /// Sorted (causes before their consequences, then by place) and de-duplicated, so reports
    /// are deterministic whatever the order of parallel work.
    /// A problem found more than once at the same place (one missing image written 100,000 times
    /// on a line) is one diagnostic that says how often: `… (×100000)`.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.consequence, &a.location, &a.message, a.severity).cmp(&(
                b.consequence,
                &b.location,
                &b.message,
                b.severity,
            ))
        });
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        let mut counts: Vec<usize> = Vec::with_capacity(self.items.len());
        for d in self.items {
            match out.last() {
                Some(last) if *last == d => *counts.last_mut().unwrap_or(&mut 0) += 1,
                _ => {
                    out.push(d);
                    counts.push(1);
                }
            }
        }
        for (d, n) in out.iter_mut().zip(counts) {
            if n > 1 {
                d.message.push_str(&format!(" (×{n})"));
            }
        }
        out
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    /// Turn every warning into an error (`check --strict`, or link problems in `check`).
    pub fn promote(&mut self, pred: impl Fn(&Diagnostic) -> bool) {
        for d in &mut self.items {
            if pred(d) {
                d.severity = Severity::Error;
            }
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Fatal errors that stop a command before diagnostics can be collected (I/O at the edges, bad config).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not a `source` (the message holds it): chained, it would be printed twice.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{0}")]
    Located(Diagnostic),
    /// `site.yaml` could not be read into the configuration: the error, then the other
    /// `customers:` entries' mistakes and the unknown keys found beside it (often the cause; a
    /// near-miss of a key is an error too), so one run shows all of them, errors first.
    #[error("{error}{}{}\nstopped: {} has {} error(s), {} warning(s); nothing done",
        warnings.iter().filter(|w| w.is_error()).map(|w| format!("\n{w}")).collect::<String>(),
        warnings.iter().filter(|w| !w.is_error()).map(|w| format!("\n{w}")).collect::<String>(),
        error.location.file.display(),
        1 + warnings.iter().filter(|w| w.is_error()).count(),
        warnings.iter().filter(|w| !w.is_error()).count())]
    Config {
        error: Diagnostic,
        warnings: Vec<Diagnostic>,
    },
    #[error("{count} error(s) found")]
    Failed { count: usize },
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            error: source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod shown_tests {
    use super::*;

    #[test]
    fn values_from_a_configuration_file_are_cut_to_forty_characters() {
        let token = format!("SECRET{}", "k".repeat(300));
        let d = Diagnostic::error(
            Code::Config,
            Location::at("site.yaml", 2, Some(1)),
            format!("base_url: `{token}` is not an address; unknown key {token}"),
        );
        assert!(!d.message.contains(&token[..41]), "{}", d.message);
        assert!(d.message.contains(&token[..40]));
        assert!(d.message.contains("(306 characters)"), "{}", d.message);
        // Elsewhere, messages are as written.
        let page = Diagnostic::error(Code::Content, Location::file("content/a.md"), token.clone());
        assert_eq!(page.message, token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_duplicates_become_one_line_that_says_how_many() {
        let mut ds = Diagnostics::default();
        let at = |line| Location::at("content/a.md", line, None);
        for _ in 0..100_000 {
            ds.push(Diagnostic::warning(
                Code::Content,
                at(3),
                "missing image `x.png`",
            ));
        }
        ds.push(Diagnostic::warning(
            Code::Content,
            at(4),
            "missing image `x.png`",
        ));
        let lines: Vec<String> = ds.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            lines,
            [
                "content/a.md:3: warning: missing image `x.png` (×100000)",
                "content/a.md:4: warning: missing image `x.png`",
            ]
        );
    }

    #[test]
    fn an_io_error_is_printed_once_with_its_chain() {
        let e = anyhow::Error::from(Error::io(
            Path::new("output/a.html"),
            std::io::Error::from_raw_os_error(28),
        ));
        let text = format!("{e:#}");
        assert_eq!(text.matches("No space left on device").count(), 1, "{text}");
    }

    #[test]
    fn terminal_escapes_in_names_and_messages_are_printed_as_text() {
        let d = Diagnostic::error(
            Code::Content,
            Location::at("content/a\u{1b}[2Jb.md", 3, None),
            "title `\u{1b}]0;pwned\u{7}` here",
        );
        assert_eq!(
            d.to_string(),
            "content/a\\u{1b}[2Jb.md:3: error: title `\\u{1b}]0;pwned\\u{7}` here"
        );
    }
}
