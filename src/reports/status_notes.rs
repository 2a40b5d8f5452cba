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
    /// Files in folders below `status/`: not read (a warning each).
    pub nested: Vec<RawPage>,
}

/// A Markdown file of the status folder, at any depth (`status/<file>.md` is a note or the
/// introduction, `_index.md`; deeper ones are told they are not read).
pub fn is_status_file(rel: &Path) -> bool {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    matches!(parts.as_slice(), ["status", .., file] if file.ends_with(".md"))
}

fn is_nested(rel: &Path) -> bool {
    rel.iter().count() > 2
}

/// Split the status folder's files from the other commentary files.
pub fn take(pages: Vec<RawPage>) -> (Vec<RawPage>, StatusNotes) {
    let mut out = StatusNotes::default();
    let mut rest = Vec::new();
    for p in pages {
        if !is_status_file(&p.rel_path) {
            rest.push(p);
        } else if is_nested(&p.rel_path) {
            out.nested.push(p);
        } else if p.rel_path.file_name().is_some_and(|n| n == "_index.md") {
            out.intro = Some(p);
        } else {
            out.notes.push(p);
        }
    }
    (rest, out)
}

/// Read one note: `service` and `start` are required, and `start` must be a time, written as
/// front matter dates are or as the exports write times (`2026/11/12 12:51`).
/// `folder` is the content folder as on disk (`content`, or a language's `content/ja`).
pub fn read(page: RawPage, folder: &Path, tz: chrono_tz::Tz) -> Result<IncidentNote, Diagnostic> {
    let source = folder.join(&page.rel_path);
    let at = |key: &str| {
        let (line, column) = page.front.locate(key);
        Location::at(&source, line, column)
    };
    let text = |key: &str| match page.front.fields.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let missing = |key: &str| {
        Diagnostic::error(
            Code::Content,
            at(key),
            format!("an incident note names its outage by `service` and `start` in front matter; `{key}` is missing, e.g.\n    service: api\n    start: 2026-11-12 12:51"),
        )
    };
    let service = text("service").ok_or_else(|| missing("service"))?;
    let written = text("start").ok_or_else(|| missing("start"))?;
    let start = read_time(&written, tz).ok_or_else(|| {
        Diagnostic::error(
            Code::Content,
            at("start"),
            format!("start: `{written}` is not a time; write it as the export does, e.g. 2026-11-12 12:51"),
        )
    })?;
    Ok(IncidentNote {
        service,
        start,
        title: text("title"),
        source,
        page,
    })
}

/// A time as front matter dates are written (RFC 3339, `2026-11-12 12:51`) or as the exports
/// write times (`2026/11/12 12:51`), in `tz` unless it has an offset.
fn read_time(written: &str, tz: chrono_tz::Tz) -> Option<i64> {
    if let Some(d) = crate::content::dates::read(written, tz) {
        return Some(d.date.timestamp());
    }
    let local = crate::data::cells::loose_local_secs(written.trim())?;
    let naive = chrono::DateTime::from_timestamp(local, 0)?.naive_utc();
    Some(crate::kpi::period::local_instant(tz, naive))
}

/// What the status page knows of the outages, for matching notes.
pub struct Outages<'a> {
    /// The history's outages.
    pub shown: &'a [OutageItem],
    /// (service, start) of the outages before the history: their notes are simply not shown.
    pub earlier: &'a [(String, i64)],
    /// The services of the page.
    pub services: Vec<&'a str>,
}

/// The note's outage among the history's (same service, same start to the minute; none for an
/// outage before the history), and a warning when the note is not shown or misnamed.
pub fn find<'a>(
    note: &IncidentNote,
    outages: &Outages<'a>,
    tz: chrono_tz::Tz,
) -> (Option<&'a OutageItem>, Option<Diagnostic>) {
    use chrono::TimeZone;
    let minute = |t: i64| t.div_euclid(60);
    let local = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.naive_local());
    let warn =
        |message: String| Diagnostic::warning(Code::Content, Location::file(&note.source), message);
    let day = local(note.start).map(|d| d.date());
    let stem = note
        .page
        .rel_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let named_day = stem
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    if let Some(o) = (outages.shown.iter())
        .find(|o| o.service == note.service && minute(o.start) == minute(note.start))
    {
        let misnamed = (day.filter(|d| named_day != Some(*d))).map(|day| warn(format!(
            "an incident note's file name begins with its outage's start date: name it {day}-<slug>.md"
        )));
        return (Some(o), misnamed);
    }
    if (outages.earlier.iter()).any(|(s, t)| *s == note.service && minute(*t) == minute(note.start))
    {
        return (None, None);
    }
    if !outages.services.contains(&note.service.as_str()) {
        let hint = crate::config::keys::closest(&note.service, outages.services.iter().copied())
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return (
            None,
            Some(warn(format!(
            "this note is not shown: `{}` is not a service of the status page{hint}; services: {}",
            note.service,
            outages.services.join(", ")
        ))),
        );
    }
    let mut days: Vec<chrono::NaiveDate> = day.into_iter().chain(named_day).collect();
    days.dedup();
    let same_day: Vec<String> = (outages.shown.iter())
        .filter(|o| o.service == note.service)
        .filter_map(|o| local(o.start))
        .filter(|t| days.contains(&t.date()))
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .collect();
    let written_days: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    let hint = if same_day.is_empty() {
        format!(
            "{} has no outage on {}",
            note.service,
            written_days.join(" or ")
        )
    } else {
        format!(
            "{}'s outages then start at {}",
            note.service,
            same_day.join(", ")
        )
    };
    let message = format!(
        "this note is not shown: no outage of `{}` starts at {} ({hint})",
        note.service,
        local(note.start)
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    );
    (None, Some(warn(message)))
}
