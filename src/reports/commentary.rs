//! Commentary an editor writes for a report page: the internal report's in
//! `content/reports/weekly/2026-W47.md` (or `monthly/2026-11.md`, `quarterly/2026-Q4.md`), a
//! customer's in `content/reports/monthly/2026-11/<slug>.md`. Its front matter may set `title`,
//! `summary`, `highlights`, `known_issues` and `next_steps`; its body is the page's commentary.
//! These files are taken out of the content before assembly: they belong to generated pages,
//! not to pages of their own.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::content::page::RawPage;
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::period::{Period, PeriodKind};

/// One commentary file, parsed.
#[derive(Debug, Clone)]
pub struct Commentary {
    pub kind: PeriodKind,
    /// The period's label as opsite writes it (`2026-W47`).
    pub label: String,
    /// The customer (its edition's slug) this commentary is for; none for the internal
    /// report's (which reaches editions by its `audience`).
    pub customer: Option<String>,
    /// `content/reports/weekly/2026-W47.md`, for messages.
    pub source: PathBuf,
    pub page: RawPage,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub highlights: Vec<String>,
    pub known_issues: Vec<String>,
    pub next_steps: Vec<String>,
    /// `draft: true`: shown on the site only with `--drafts`, never in a PDF or a mail.
    pub draft: bool,
}

const KEYS: &[&str] = &[
    "title",
    "summary",
    "highlights",
    "known_issues",
    "next_steps",
];

/// Where a content path holds commentary: `reports/weekly/<period>.md` (the internal report's)
/// or `reports/weekly/<period>/<customer>.md` (a customer's): its kind, and the customer's part
/// when it is one. Any Markdown file in a folder of `reports/<kind>/` counts, so a misplaced
/// `_index.md` there is told what to be instead of becoming a stray page.
pub fn place_of(rel: &Path) -> Option<(PeriodKind, Option<&str>)> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let (reports, kind, file, customer) = match parts.as_slice() {
        [reports, kind, file] if !file.starts_with('_') => (*reports, *kind, *file, None),
        [reports, kind, _period, file] => (*reports, *kind, *file, Some(*file)),
        _ => return None,
    };
    // Every extension content is read from: a commentary saved as `.markdown` must not become
    // an ordinary page (an ordinary page reaches every edition its audience names).
    if reports != "reports" || !crate::content::source::is_markdown(Path::new(file)) {
        return None;
    }
    let kind = match kind {
        "weekly" => PeriodKind::Week,
        "monthly" => PeriodKind::Month,
        "quarterly" => PeriodKind::Quarter,
        _ => return None,
    };
    let stem = |f: &'_ str| -> usize { f.rfind('.').unwrap_or(f.len()) };
    Some((kind, customer.map(|c| &c[..stem(c)])))
}

/// The kind a content path holds commentary for: `reports/weekly/<file>.md` → Week.
pub fn kind_of(rel: &Path) -> Option<PeriodKind> {
    place_of(rel).map(|(kind, _)| kind)
}

/// Split commentary files (and the status page's, `status/*.md`) from the other parsed
/// content files.
pub fn take(pages: Vec<RawPage>) -> (Vec<RawPage>, Vec<RawPage>) {
    pages.into_iter().partition(|p| {
        kind_of(&p.rel_path).is_none() && !super::status_notes::is_status_file(&p.rel_path)
    })
}

/// Read one commentary file (its warnings beside it): its name must be a period of its
/// folder's kind, its lists lists of text. `tz` only matters for the period's bounds.
pub fn from_raw(
    page: RawPage,
    tz: chrono_tz::Tz,
) -> Result<(Commentary, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = Path::new("content").join(&page.rel_path);
    let (kind, customer) = place_of(&page.rel_path).expect("a commentary path");
    let customer = customer.map(str::to_string);
    // A customer's commentary is named by its folder; the internal one by its file.
    let named = match customer {
        Some(_) => page.rel_path.parent().and_then(|p| p.file_name()),
        None => page.rel_path.file_stem(),
    };
    let stem = named.and_then(|s| s.to_str()).unwrap_or("");
    if let Some(c) = customer
        .as_deref()
        .filter(|c| matches!(*c, "_index" | "index"))
    {
        let folder = source.parent().unwrap_or(Path::new("content"));
        let kind_folder = folder.parent().unwrap_or(folder).display();
        return Err(vec![Diagnostic::error(
            Code::Content,
            Location::file(&source),
            format!(
                "`{c}.md` in a period's folder is no commentary: the internal report's commentary is {kind_folder}/{stem}.md, a customer's {}/<slug>.md (its edition's slug)",
                folder.display()
            ),
        )]);
    }
    let example = match kind {
        PeriodKind::Week => "2026-W47.md",
        PeriodKind::Month => "2026-11.md",
        PeriodKind::Quarter => "2026-Q4.md",
    };
    let period = Period::parse(stem, tz)
        .ok()
        .filter(|p| p.kind == kind)
        .ok_or_else(|| {
            vec![Diagnostic::error(Code::Content,
                Location::file(&source),
                format!(
                    "commentary for a report page is named after its period (e.g. {example}); `{stem}` is not one"
                ),
            )]
        })?;
    let mut errors = Vec::new();
    let at = |key: &str| {
        let (line, column) = page.front.locate(key);
        Location::at(&source, line, column)
    };
    let text = |key: &str, errors: &mut Vec<Diagnostic>| match page.front.fields.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.push(Diagnostic::error(
                Code::Content,
                at(key),
                format!("{key}: expected text"),
            ));
            None
        }
    };
    let list = |key: &str, errors: &mut Vec<Diagnostic>| match page.front.fields.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => {
                    errors.push(Diagnostic::error(
                        Code::Content,
                        at(key),
                        format!("{key}: each item is a line of text"),
                    ));
                    None
                }
            })
            .collect(),
        Some(_) => {
            errors.push(Diagnostic::error(
                Code::Content,
                at(key),
                format!("{key}: expected a list of text"),
            ));
            Vec::new()
        }
    };
    let title = text("title", &mut errors);
    let summary = text("summary", &mut errors);
    let highlights = list("highlights", &mut errors);
    let known_issues = list("known_issues", &mut errors);
    let next_steps = list("next_steps", &mut errors);
    let draft = matches!(page.front.fields.get("draft"), Some(Value::Bool(true)));
    for key in page.front.fields.keys() {
        if !KEYS.contains(&key.as_str())
            && !matches!(key.as_str(), "date" | "draft" | "author" | "audience")
        {
            let hint = crate::config::keys::closest(key, KEYS.iter().copied())
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            errors.push(Diagnostic::warning(
                Code::Content,
                at(key),
                format!(
                    "{key}: not read on report commentary{hint}; it may set {}",
                    KEYS.join(", ")
                ),
            ));
        }
    }
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors);
    }
    Ok((
        Commentary {
            kind,
            label: period.label,
            customer,
            draft,
            title,
            summary,
            highlights,
            known_issues,
            next_steps,
            source,
            page,
        },
        errors,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> RawPage {
        RawPage::parse(text, Path::new(path)).unwrap()
    }

    #[test]
    fn lists_and_body_of_a_weekly_commentary() {
        let f = file(
            "reports/weekly/2026-w47.md",
            "---\ntitle: 第47週\nhighlights: [バックアップ移行完了, 夜間バッチ安定]\nnext_steps: 監視閾値の見直し\n---\n本文\n",
        );
        let (c, warnings) = from_raw(f, chrono_tz::Asia::Tokyo).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(c.label, "2026-W47");
        assert_eq!(c.title.as_deref(), Some("第47週"));
        assert_eq!(c.highlights.len(), 2);
        assert_eq!(c.next_steps, vec!["監視閾値の見直し"]);
        assert!(c.page.body.contains("本文"));
    }

    #[test]
    fn a_name_that_is_not_a_period_of_its_folder_is_an_error() {
        let f = file("reports/weekly/2026-11.md", "text\n");
        let e = from_raw(f, chrono_tz::Asia::Tokyo).unwrap_err();
        assert!(e[0].message.contains("2026-W47.md"), "{}", e[0].message);
        assert_eq!(kind_of(Path::new("reports/weekly/_index.md")), None);
        assert_eq!(kind_of(Path::new("reports/other/2026-11.md")), None);
        assert_eq!(
            place_of(Path::new("reports/monthly/2026-10/toto.md")),
            Some((PeriodKind::Month, Some("toto")))
        );
        let index = file("reports/monthly/2026-10/_index.md", "text\n");
        let e = from_raw(index, chrono_tz::Asia::Tokyo).unwrap_err();
        assert!(
            e[0].message
                .contains("content/reports/monthly/2026-10/<slug>.md"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn a_customers_commentary_is_named_by_its_folder() {
        let f = file(
            "reports/monthly/2026-10/toto.md",
            "---\ntitle: 東都様\n---\n本文\n",
        );
        let (c, _) = from_raw(f, chrono_tz::Asia::Tokyo).unwrap();
        assert_eq!(
            (c.label.as_str(), c.customer.as_deref()),
            ("2026-10", Some("toto"))
        );
    }
}
