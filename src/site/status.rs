//! The status page's stage: the board of the report set with the incident notes that name one
//! of its outages rendered in, as the page's view and `status.json`. Only the internal site's
//! build reports the notes' mistakes (a customer edition sees fewer services, so others' notes
//! are rightly left out there).

use std::path::Path;

use crate::content::Library;
use crate::error::{Code, Diagnostic, Diagnostics, Location};
use crate::reports::status_notes::{self, IncidentNote, StatusNotes};
use crate::reports::status_view::{self, NoteHtml, StatusPageView};
use crate::reports::ReportSet;

use super::bodies::BodyRenderer;

/// The page's view and `status.json`; None without a board or when a page of the site's own
/// is at its address (that page wins, with a warning).
pub fn status_page(
    set: &ReportSet,
    notes: StatusNotes,
    bodies: &BodyRenderer,
    lib: &Library,
    language: &str,
    diags: &mut Diagnostics,
) -> Option<(StatusPageView, serde_json::Value)> {
    let mut problems = Diagnostics::default();
    let page = built(set, notes, bodies, lib, language, &mut problems);
    if set.customer.is_none() {
        diags.extend(problems);
    }
    page
}

fn built(
    set: &ReportSet,
    notes: StatusNotes,
    bodies: &BodyRenderer,
    lib: &Library,
    language: &str,
    problems: &mut Diagnostics,
) -> Option<(StatusPageView, serde_json::Value)> {
    let file = |raw: &crate::content::page::RawPage| lib.source_dir.join(&raw.rel_path);
    for raw in &notes.nested {
        problems.push(Diagnostic::warning(
            Code::Content,
            Location::file(file(raw)),
            "not read: incident notes sit directly in the status folder (content/status/<start date>-<slug>.md)",
        ));
    }
    let Some(board) = &set.status else {
        for raw in notes.notes.iter().chain(&notes.intro) {
            problems.push(Diagnostic::warning(
                Code::Content,
                Location::file(file(raw)),
                "not shown: there is no status page (it needs a `downtime` source in data:, and reports.status not false)",
            ));
        }
        return None;
    };
    if let Some(&id) = lib.by_url.get(&board.url) {
        problems.push(Diagnostic::warning(
            Code::Content,
            Location::file(&lib.pages[id].source),
            format!("this page is at {}, where the status page would be: the page wins; move the status page with reports.status.url (or turn it off with reports.status: false)", board.url),
        ));
        return None;
    }
    let notes_html = matched_notes(set, board, notes.notes, &lib.source_dir, bodies, problems);
    let intro = notes.intro.map(|raw| {
        let title = match raw.front.fields.get("title") {
            Some(serde_json::Value::String(t)) if !t.trim().is_empty() => t.trim().to_string(),
            _ => crate::reports::labels::words(language)
                .status_page
                .to_string(),
        };
        let html = bodies.markdown_files(&[(&raw, file(&raw).as_path(), title.clone())], problems);
        (title, html.into_iter().next().unwrap_or_default())
    });
    let json_url = format!("{}/status.json", lib.url_prefix);
    let view = status_view::page(set, board, &notes_html, intro, &json_url, language);
    let json = status_view::json(set, board, &view);
    Some((view, json))
}

/// The notes that name an outage of the history, rendered; the others told.
fn matched_notes(
    set: &ReportSet,
    board: &crate::reports::status::StatusBoard,
    raw: Vec<crate::content::page::RawPage>,
    folder: &Path,
    bodies: &BodyRenderer,
    problems: &mut Diagnostics,
) -> Vec<NoteHtml> {
    let read: Vec<IncidentNote> = (raw.into_iter())
        .filter_map(|raw| {
            status_notes::read(raw, folder, set.tz)
                .map_err(|e| problems.push(e))
                .ok()
        })
        .collect();
    let outages = status_notes::Outages {
        shown: &board.incidents,
        earlier: &board.earlier,
        services: board.services.iter().map(|s| s.name.as_str()).collect(),
    };
    let mut matched: Vec<&IncidentNote> = Vec::new();
    for note in &read {
        let (found, warning) = status_notes::find(note, &outages, set.tz);
        problems.extend(warning);
        if found.is_none() {
            continue;
        }
        let same =
            |m: &&&IncidentNote| m.service == note.service && m.start / 60 == note.start / 60;
        match matched.iter().find(same) {
            Some(first) => problems.push(Diagnostic::warning(
                Code::Content,
                Location::file(&note.source),
                format!(
                    "not shown: {} already names this outage (one note per outage)",
                    first.source.display()
                ),
            )),
            None => matched.push(note),
        }
    }
    let files: Vec<_> = (matched.iter())
        .map(|n| {
            (
                &n.page,
                n.source.as_path(),
                n.title.clone().unwrap_or_default(),
            )
        })
        .collect();
    let html = bodies.markdown_files(&files, problems);
    (matched.iter().zip(html))
        .map(|(n, html)| NoteHtml {
            service: n.service.clone(),
            start: n.start,
            title: n.title.clone(),
            html,
        })
        .collect()
}
