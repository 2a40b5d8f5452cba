//! What an editor writes about one outage for the status page:
//! `content/status/<start date>-<slug>.md`, naming the outage by `service` and `start` in its
//! front matter (`title` optional), its body the explanation. Like report commentary, these
//! files are taken out of the content before assembly; `content/status/_index.md` gives the
//! page its title and an introduction.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::content::page::RawPage;
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::details::OutageItem;

/// One incident note, read.
#[derive(Debug, Clone)]
pub struct IncidentNote {
    pub service: String,
    /// UTC seconds.
    pub start: i64,
    pub title: Option<String>,
    /// `content/status/2026-11-12-api.md`, for messages.
    pub source: PathBuf,
    pub page: RawPage,
}

/// The folder's introduction (`status/_index.md`) and its notes.
#[derive(Debug, Clone, Default)]
pub struct StatusNotes {
    pub intro: Option<RawPage>,
    pub notes: Vec<RawPage>,
}

/// A content path of the status folder: `status/<file>.md` (an introduction when `_index.md`).
pub fn is_status_file(rel: &Path) -> bool {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    matches!(parts.as_slice(), ["status", file] if file.ends_with(".md"))
}

/// Split the status folder's files from the other commentary files.
pub fn take(pages: Vec<RawPage>) -> (Vec<RawPage>, StatusNotes) {
    let mut out = StatusNotes::default();
    let mut rest = Vec::new();
    for p in pages {
        if !is_status_file(&p.rel_path) {
            rest.push(p);
        } else if p.rel_path.file_name().is_some_and(|n| n == "_index.md") {
            out.intro = Some(p);
        } else {
            out.notes.push(p);
        }
    }
    (rest, out)
}

/// Read one note: `service` and `start` are required, and `start` must be a time.
pub fn read(
    page: RawPage,
    tz: chrono_tz::Tz,
) -> Result<(IncidentNote, Vec<Diagnostic>), Diagnostic> {
    let source = Path::new("content").join(&page.rel_path);
    let at = |key: &str| {
        let (line, column) = page.front.locate(key);
        Location::at(&source, line, column)
    };
    let text = |key: &str| match page.front.fields.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let example = "service: api\nstart: 2026-11-12 12:51";
    let service = text("service").ok_or_else(|| {
        Diagnostic::error(
            Code::Content,
            at("service"),
            format!("an incident note names its outage by `service` and `start` in front matter, e.g.\n{example}"),
        )
    })?;
    let written = text("start").ok_or_else(|| {
        Diagnostic::error(
            Code::Content,
            at("start"),
            format!("an incident note names its outage by `service` and `start` in front matter, e.g.\n{example}"),
        )
    })?;
    let read = crate::content::dates::read(&written, tz).ok_or_else(|| {
        Diagnostic::error(
            Code::Content,
            at("start"),
            format!("start: `{written}` is not a time; write it as the export does, e.g. 2026-11-12 12:51"),
        )
    })?;
    let mut warnings = Vec::new();
    let day = read.date.with_timezone(&tz).date_naive().to_string();
    let stem = page
        .rel_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if !stem.starts_with(&day) {
        warnings.push(Diagnostic::warning(
            Code::Content,
            Location::file(&source),
            format!("an incident note's file name begins with its outage's start date: name it {day}-<slug>.md"),
        ));
    }
    Ok((
        IncidentNote {
            service,
            start: read.date.timestamp(),
            title: text("title"),
            source,
            page,
        },
        warnings,
    ))
}

/// The note's outage among `incidents` (same service, same start to the minute), or a warning
/// naming the outages of that service and day.
pub fn find<'a>(
    note: &IncidentNote,
    incidents: &'a [OutageItem],
    tz: chrono_tz::Tz,
) -> Result<&'a OutageItem, Diagnostic> {
    let minute = |t: i64| t.div_euclid(60);
    if let Some(o) = (incidents.iter())
        .find(|o| o.service == note.service && minute(o.start) == minute(note.start))
    {
        return Ok(o);
    }
    use chrono::TimeZone;
    let local = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.naive_local());
    let day = local(note.start).map(|d| d.date());
    let same_day: Vec<String> = (incidents.iter())
        .filter(|o| o.service == note.service && local(o.start).map(|d| d.date()) == day)
        .filter_map(|o| local(o.start).map(|d| d.format("%H:%M").to_string()))
        .collect();
    let hint = if same_day.is_empty() {
        format!(
            "{} has no outage that day in the status page's history",
            note.service
        )
    } else {
        format!(
            "{}'s outages that day start at {}",
            note.service,
            same_day.join(", ")
        )
    };
    Err(Diagnostic::warning(
        Code::Content,
        Location::file(&note.source),
        format!(
            "this note is not shown: no outage of `{}` starts at {} ({hint})",
            note.service,
            local(note.start)
                .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default()
        ),
    ))
}
