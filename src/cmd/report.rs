//! How a run's diagnostics reach the terminal: every error first (a cap never hides one), then the
//! warnings, where one message repeated across many places is summarised in a line unless
//! `--verbose` asks for each. A real tree can carry hundreds of identical warnings (an ignored
//! shortcode used everywhere); the one error that failed the build must not drown in them.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Diagnostic, Diagnostics, Location};

/// At most this many warning lines are printed without `--verbose`; errors are never capped.
pub const MAX_WARNING_LINES: usize = 200;
/// A warning message seen more often than this is summarised without `--verbose`.
pub const REPEAT_THRESHOLD: usize = 3;

/// One line of the warnings part of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningLine {
    One(Diagnostic),
    /// The same message at `count` places in `files` files, the first of them at `first`.
    Repeated {
        message: String,
        count: usize,
        files: usize,
        first: Location,
    },
}

impl std::fmt::Display for WarningLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WarningLine::One(d) => write!(f, "{d}"),
            WarningLine::Repeated {
                message,
                count,
                files,
                first,
            } => write!(
                f,
                "warning: {message}: {count} times in {files} file(s), first at {first} (--verbose lists each)"
            ),
        }
    }
}

/// A run's diagnostics arranged for printing.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every error, sorted by place.
    pub errors: Vec<Diagnostic>,
    /// Warnings (summarised unless verbose), sorted by place, capped unless verbose.
    pub warnings: Vec<WarningLine>,
    /// Warning lines left out by the cap.
    pub warnings_hidden: usize,
}

impl Report {
    pub fn new(diags: Diagnostics, verbose: bool) -> Report {
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diags
            .into_sorted()
            .into_iter()
            .partition(Diagnostic::is_error);
        let mut lines = if verbose {
            warnings.into_iter().map(WarningLine::One).collect()
        } else {
            summarise(warnings)
        };
        let mut hidden = 0;
        if !verbose && lines.len() > MAX_WARNING_LINES {
            hidden = lines.len() - MAX_WARNING_LINES;
            lines.truncate(MAX_WARNING_LINES);
        }
        Report {
            errors,
            warnings: lines,
            warnings_hidden: hidden,
        }
    }

    /// Print to standard error as flat lines (build, kpi).
    pub fn print(&self) {
        for e in &self.errors {
            eprintln!("{e}");
        }
        for w in &self.warnings {
            eprintln!("{w}");
        }
        if self.warnings_hidden > 0 {
            eprintln!(
                "… and {} more warning line(s) (--verbose lists them all)",
                self.warnings_hidden
            );
        }
    }
}

/// Warnings whose message repeats more than `REPEAT_THRESHOLD` times become one line, placed
/// where the first of them was.
fn summarise(warnings: Vec<Diagnostic>) -> Vec<WarningLine> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &warnings {
        *count.entry(w.message.as_str()).or_default() += 1;
    }
    let repeated: BTreeSet<String> = count
        .into_iter()
        .filter(|(_, n)| *n > REPEAT_THRESHOLD)
        .map(|(m, _)| m.to_string())
        .collect();
    let mut out = Vec::new();
    let mut summarised: BTreeMap<String, usize> = BTreeMap::new();
    let mut files: BTreeMap<String, BTreeSet<std::path::PathBuf>> = BTreeMap::new();
    for w in warnings {
        if !repeated.contains(&w.message) {
            out.push(WarningLine::One(w));
            continue;
        }
        files
            .entry(w.message.clone())
            .or_default()
            .insert(w.location.file.clone());
        match summarised.get(&w.message) {
            Some(&i) => {
                if let WarningLine::Repeated { count, .. } = &mut out[i] {
                    *count += 1;
                }
            }
            None => {
                summarised.insert(w.message.clone(), out.len());
                out.push(WarningLine::Repeated {
                    message: w.message,
                    count: 1,
                    files: 0,
                    first: w.location,
                });
            }
        }
    }
    for line in &mut out {
        if let WarningLine::Repeated {
            message, files: n, ..
        } = line
        {
            *n = files.get(message.as_str()).map_or(0, BTreeSet::len);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(file: &str, line: usize, msg: &str) -> Diagnostic {
        Diagnostic::warning(Location::at(file, line, None), msg)
    }

    #[test]
    fn errors_come_first_and_are_never_capped() {
        let mut d = Diagnostics::default();
        for i in 0..500 {
            d.push(warning("content/a.md", i + 1, &format!("broken link {i}")));
        }
        d.push(Diagnostic::error(
            Location::at("content/z.md", 9, None),
            "front matter: weight",
        ));
        let r = Report::new(d.clone(), false);
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.warnings.len(), MAX_WARNING_LINES);
        assert_eq!(r.warnings_hidden, 300);
        let all = Report::new(d, true);
        assert_eq!(all.warnings.len(), 500);
        assert_eq!(all.warnings_hidden, 0);
    }

    #[test]
    fn a_repeated_warning_is_one_line_with_its_count_and_files() {
        let mut d = Diagnostics::default();
        for f in 0..5 {
            for line in 1..=3 {
                d.push(warning(
                    &format!("content/p{f}.md"),
                    line,
                    "shortcode `glossary_tooltip` is ignored",
                ));
            }
        }
        d.push(warning("content/p0.md", 7, "broken link `x.md`"));
        let r = Report::new(d, false);
        assert_eq!(r.warnings.len(), 2);
        let text: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            text[0],
            "warning: shortcode `glossary_tooltip` is ignored: 15 times in 5 file(s), first at content/p0.md:1 (--verbose lists each)"
        );
        assert_eq!(text[1], "content/p0.md:7: warning: broken link `x.md`");
    }
}
