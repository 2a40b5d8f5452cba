//! How a run's diagnostics reach the terminal: every error first (a cap never hides one), then the
//! warnings; one message repeated across many places is summarised in a line (its count, how many
//! files, the first place) unless `--verbose` asks for each. A real tree can carry hundreds of
//! identical messages (a shortcode used everywhere); the one other error that failed the build must
//! not drown in them.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Diagnostic, Diagnostics, Location, Severity};

/// At most this many warning lines are printed without `--verbose`; errors are never capped.
pub const MAX_WARNING_LINES: usize = 200;
/// A warning message seen more often than this is summarised without `--verbose`.
pub const REPEAT_THRESHOLD: usize = crate::error::LISTED_REPEATS;

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportLine {
    One(Diagnostic),
    /// The same message at `count` places in `files` files, the first of them at `first`.
    Repeated {
        severity: Severity,
        message: String,
        count: usize,
        files: usize,
        first: Location,
    },
}

impl ReportLine {
    /// The file a line belongs to when lines are grouped by file.
    pub fn file(&self) -> String {
        match self {
            ReportLine::One(d) => d.location.file.display().to_string(),
            ReportLine::Repeated { first, .. } => first.file.display().to_string(),
        }
    }
}

impl std::fmt::Display for ReportLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportLine::One(d) => write!(f, "{d}"),
            ReportLine::Repeated {
                severity,
                message,
                count,
                files,
                first,
            } => write!(
                f,
                "{}: {message}: {count} times in {files} file(s), first at {first} (--verbose lists each)",
                match severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
            ),
        }
    }
}

/// A run's diagnostics arranged for printing.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every error (summarised unless verbose), sorted by place: never capped.
    pub errors: Vec<ReportLine>,
    /// Warnings (summarised unless verbose), sorted by place, capped unless verbose.
    pub warnings: Vec<ReportLine>,
    /// Warning lines left out by the cap.
    pub warnings_hidden: usize,
}

impl Report {
    pub fn new(diags: Diagnostics, verbose: bool) -> Report {
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diags
            .into_sorted()
            .into_iter()
            .partition(Diagnostic::is_error);
        let errors = if verbose {
            errors.into_iter().map(ReportLine::One).collect()
        } else {
            summarise(errors)
        };
        // Warnings no cap may hide come first, the rest fill the cap.
        let (pinned, rest): (Vec<Diagnostic>, Vec<Diagnostic>) =
            warnings.into_iter().partition(|w| w.code.never_capped());
        let summarised = |ws: Vec<Diagnostic>| -> Vec<ReportLine> {
            if verbose {
                ws.into_iter().map(ReportLine::One).collect()
            } else {
                summarise(ws)
            }
        };
        let mut lines = summarised(pinned);
        let mut rest = summarised(rest);
        let mut hidden = 0;
        let room = MAX_WARNING_LINES.saturating_sub(lines.len());
        if !verbose && rest.len() > room {
            hidden = rest.len() - room;
            rest.truncate(room);
        }
        lines.extend(rest);
        Report {
            errors,
            warnings: lines,
            warnings_hidden: hidden,
        }
    }

    /// Print to standard error as flat lines (build, kpi).
    pub fn print(&self) {
        for line in self.lines() {
            eprintln!("{line}");
        }
    }

    /// The lines `print` prints.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = (self.errors.iter())
            .chain(&self.warnings)
            .map(|l| l.to_string())
            .collect();
        if self.warnings_hidden > 0 {
            out.push(format!(
                "… and {} more warning line(s) (--verbose lists them all)",
                self.warnings_hidden
            ));
        }
        out
    }
}

/// For `opsite check` on a site with editions: the customers the tickets name that have no
/// entry under `customers:`, with their rows. Their tickets count in the internal site's
/// figures, and no edition shows them; an MSP may mean that, so it is a note, not a warning
/// at every build.
pub fn customers_without_edition(sources: &crate::site::sources::SiteSources) -> Option<String> {
    let config = &sources.config;
    let Some(Ok(loaded)) = &sources.data else {
        return None;
    };
    if config.customers.is_empty() {
        return None;
    }
    let tickets = &loaded.data.tickets;
    // Rows per customer first, each name looked up once (a million tickets, a hundred entries).
    let mut per_code: BTreeMap<u32, usize> = BTreeMap::new();
    for code in tickets.customer.iter().flatten() {
        *per_code.entry(code).or_default() += 1;
    }
    let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
    for (code, n) in per_code {
        let name = tickets.labels[code as usize].as_str();
        if crate::config::customers::by_name(&config.customers, name).is_none() {
            *rows.entry(name).or_default() += n;
        }
    }
    if rows.is_empty() {
        return None;
    }
    let listed: Vec<String> = (rows.iter().take(10))
        .map(|(name, n)| format!("{name} ({n} row(s))"))
        .collect();
    let more = match rows.len() {
        n if n > 10 => format!(" and {} more", n - 10),
        _ => String::new(),
    };
    Some(format!(
        "tickets of {} customer(s) without an edition: {}{more}; they count in the internal site's figures only (add one under customers: to give it an edition)",
        rows.len(),
        listed.join(", ")
    ))
}

/// One line per source whose bad rows `on_error: quarantine` set aside, and per source whose
/// `exclude` left rows out, for every command that loads the exports (kpi, build, check): rows
/// left out of the figures are never silent.
pub fn set_aside_lines(loaded: &crate::data::Loaded) -> Vec<String> {
    let quarantined = (loaded.rejected.iter()).map(|(source, n)| {
        format!(
            "quarantined {n} row(s) of {source} → {}/{source}.csv",
            crate::data::REJECTS_DIR
        )
    });
    let excluded = (loaded.excluded.iter()).map(|(source, n)| {
        format!("excluded {n} row(s) of {source} (data.{source}.exclude): in no figure")
    });
    // Each source with rows set aside: how many of those read are in the figures.
    let set_aside: BTreeSet<&String> = loaded
        .rejected
        .keys()
        .chain(loaded.excluded.keys())
        .collect();
    let used = set_aside.into_iter().map(|source| {
        let read = loaded.rows_read(source);
        let rejected = loaded.rejected.get(source).copied().unwrap_or(0);
        let excluded = loaded.excluded.get(source).copied().unwrap_or(0);
        let used = read.saturating_sub(rejected + excluded);
        let aside: Vec<String> = [(excluded, "excluded"), (rejected, "quarantined")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        format!(
            "{source}: {used} of {read} row(s) used ({})",
            aside.join(", ")
        )
    });
    quarantined.chain(excluded).chain(used).collect()
}

/// The set-aside lines of a site's loaded exports (none when it has no `data:` or they failed).
pub fn site_quarantine_lines(sources: &crate::site::sources::SiteSources) -> Vec<String> {
    match &sources.data {
        Some(Ok(loaded)) => set_aside_lines(loaded),
        _ => Vec::new(),
    }
}

/// What to add to `site.yaml` to build without the shortcodes that have no template (a tree moved
/// from Hugo or Docsy names its theme's shortcodes by the dozen).
pub fn shortcode_hint(
    unknown: &BTreeSet<String>,
    config: &crate::config::SiteConfig,
) -> Option<String> {
    if unknown.is_empty() {
        return None;
    }
    let already_ignored = &config.shortcodes.ignore;
    // The whole list, the site's own entries kept, so it can replace the line in site.yaml.
    let all: BTreeSet<&str> = unknown
        .iter()
        .map(String::as_str)
        .chain(already_ignored.iter().map(String::as_str))
        .collect();
    let list: Vec<String> = all.iter().map(|n| format!("{n:?}")).collect();
    let verb = if already_ignored.is_empty() {
        "add them to"
    } else {
        "replace the list in"
    };
    if config.shortcodes.tolerate_unknown {
        // No site.yaml yet: the tree's own configuration is read, and the shortcodes were
        // left out with warnings.
        return Some(format!(
            "hint: {} shortcode(s) have no template and were left out (their inner text is kept). `opsite init` writes a site.yaml that lists them:\n  shortcodes:\n    ignore: [{}]\nor give each a template at templates/shortcodes/<name>.html",
            unknown.len(),
            list.join(", ")
        ));
    }
    Some(format!(
        "hint: {} shortcode(s) have no template. To build without them (their inner text is kept), {verb} site.yaml:\n  shortcodes:\n    ignore: [{}]\nor give each a template at templates/shortcodes/<name>.html",
        unknown.len(),
        list.join(", ")
    ))
}

/// Diagnostics (of one severity) whose message repeats more than `REPEAT_THRESHOLD` times become
/// one line, placed where the first of them was.
fn summarise(warnings: Vec<Diagnostic>) -> Vec<ReportLine> {
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
            out.push(ReportLine::One(w));
            continue;
        }
        files
            .entry(w.message.clone())
            .or_default()
            .insert(w.location.file.clone());
        match summarised.get(&w.message) {
            Some(&i) => {
                if let ReportLine::Repeated { count, .. } = &mut out[i] {
                    *count += 1;
                }
            }
            None => {
                summarised.insert(w.message.clone(), out.len());
                out.push(ReportLine::Repeated {
                    severity: w.severity,
                    message: w.message,
                    count: 1,
                    files: 0,
                    first: w.location,
                });
            }
        }
    }
    for line in &mut out {
        if let ReportLine::Repeated {
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
    use crate::error::Code;

    fn warning(file: &str, line: usize, msg: &str) -> Diagnostic {
        Diagnostic::warning(Code::Content, Location::at(file, line, None), msg)
    }

    #[test]
    fn errors_come_first_and_are_never_capped() {
        let mut d = Diagnostics::default();
        for i in 0..500 {
            d.push(warning("content/a.md", i + 1, &format!("broken link {i}")));
        }
        d.push(Diagnostic::error(
            Code::Content,
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

    #[test]
    fn repeated_errors_are_summarised_but_listed_with_verbose() {
        let mut d = Diagnostics::default();
        for f in 0..10 {
            d.push(Diagnostic::error(
                Code::Content,
                Location::at(format!("content/p{f}.md"), 3, None),
                "unknown shortcode `tab`",
            ));
        }
        d.push(Diagnostic::error(
            Code::Content,
            Location::at("content/z.md", 1, None),
            "other",
        ));
        let r = Report::new(d.clone(), false);
        assert_eq!(r.errors.len(), 2);
        assert!(r.errors[0].to_string().starts_with(
            "error: unknown shortcode `tab`: 10 times in 10 file(s), first at content/p0.md:3"
        ));
        assert_eq!(Report::new(d, true).errors.len(), 11);
    }
}
