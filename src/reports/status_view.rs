//! The status page's view (what `status.html` shows) and `status.json`, from a `StatusBoard`
//! and the incident notes: texts in the page's language, cells classed by the day's
//! availability, each outage once with its note. No I/O and no rendering.

use chrono::{NaiveDate, TimeZone};
use serde::Serialize;
use serde_json::json;

use super::labels::Words;
use super::labels::{duration, words};
use super::status::{ServiceState, StatusBoard};
use super::ReportSet;
use crate::i18n::labels::Labels;
use crate::i18n::Lang;
use crate::kpi::details::OutageItem;
use crate::kpi::report::Unit;

/// The most outages a day's details list (the rest are counted), incidents the page lists and
/// entries the feed holds: a huge export must not make a page nobody can open.
const DAY_OUTAGES: usize = 10;
const PAGE_INCIDENTS: usize = 200;
pub const FEED_ENTRIES: usize = 50;

/// One incident note, rendered: the outage it belongs to (service, start) and its HTML.
pub struct NoteHtml {
    pub service: String,
    pub start: i64,
    pub title: Option<String>,
    pub html: String,
}

#[derive(Debug, Serialize)]
pub struct StatusPageView {
    pub url: String,
    pub title: String,
    /// `content/status/_index.md`'s body, rendered.
    pub intro_html: String,
    /// `2026-11-26 12:00 (Asia/Tokyo)` and the same instant in RFC 3339.
    pub as_of: String,
    pub as_of_iso: String,
    pub as_of_text: String,
    /// `operational`, `maintenance` or `outage`: the worst service's.
    pub overall: &'static str,
    pub overall_label: &'static str,
    pub history_label: String,
    pub last_30_label: String,
    pub last_90_label: String,
    /// Under the cells: how long ago the first cell is (all days; a phone's 30).
    pub axis_oldest: String,
    pub axis_oldest_narrow: String,
    pub services: Vec<ServiceView>,
    /// The newest `PAGE_INCIDENTS` of the history's outages (all are in `status.json`).
    pub incidents: Vec<IncidentView>,
    /// `ほかに 12 件の停止があります…`, when not all are listed.
    pub more_incidents: Option<String>,
    pub no_incidents: String,
    pub maintenance: Vec<MaintenanceView>,
    pub no_maintenance: String,
    pub times_note: String,
    /// Site paths of the feed and of `status.json`.
    pub feed_url: String,
    pub json_url: String,
    pub t: &'static Words,
}

#[derive(Debug, Serialize)]
pub struct ServiceView {
    pub code: String,
    pub name: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub uptime_30d: String,
    pub uptime_90d: String,
    pub cells: Vec<DayCell>,
    pub table_caption: String,
}

#[derive(Debug, Serialize)]
pub struct DayCell {
    pub date: String,
    pub date_text: String,
    /// Without the year, for the day table (`11月20日`, `Nov 20`).
    pub date_short: String,
    pub availability: String,
    /// `up` (100 %, nothing planned), `planned` (100 % with planned work), `minor` (at or above
    /// the target), `major` (below it) or `none` (no data).
    pub level: &'static str,
    pub outages: Vec<String>,
    /// Among the last 30 days (a phone shows only those).
    pub recent: bool,
}

#[derive(Debug, Serialize)]
pub struct IncidentView {
    /// The fragment the feed links to (`incident-api-202611121251`).
    pub id: String,
    pub service: String,
    pub title: String,
    pub start: String,
    pub start_iso: String,
    pub end: String,
    pub end_iso: Option<String>,
    pub duration: String,
    pub minutes: f64,
    pub planned: bool,
    pub kind_label: &'static str,
    pub ongoing: bool,
    pub note_html: String,
}

#[derive(Debug, Serialize)]
pub struct MaintenanceView {
    pub start: String,
    pub start_iso: String,
    pub end: String,
    pub end_iso: String,
    pub duration: String,
}

/// The page's view; `notes` are matched to their outages by the caller (`status_notes::find`).
pub fn page(
    set: &ReportSet,
    board: &StatusBoard,
    notes: &[NoteHtml],
    intro: Option<(String, String)>,
    json_url: &str,
    language: &str,
) -> StatusPageView {
    let t = words(language);
    let lang = Lang::of(language);
    let labels = Labels::new(&set.labels, lang);
    let local = |ts: i64| local_text(set.tz, ts, lang);
    let n = board.days.len();
    let services: Vec<ServiceView> = (board.services.iter().enumerate())
        .map(|(si, s)| {
            let name = labels.service(&s.name);
            let (state, state_label) = state_words(s.state, t);
            let cells = (board.days.iter().zip(&s.days).enumerate())
                .map(|(i, (day, v))| {
                    let outages = board.outages_on(si, i);
                    let target = set.availability_target_of(&s.name);
                    day_cell(
                        set,
                        board,
                        outages,
                        *day,
                        (*v, target),
                        i + 30 >= n,
                        language,
                    )
                })
                .collect();
            ServiceView {
                code: s.name.clone(),
                table_caption: t.daily_table.replace("{service}", &name),
                name,
                state,
                state_label,
                uptime_30d: set.numbers.show(s.uptime_30d, Unit::Percent),
                uptime_90d: set.numbers.show(s.uptime_90d, Unit::Percent),
                cells,
            }
        })
        .collect();
    let worst = (board.services.iter().map(|s| s.state))
        .max_by_key(|s| match s {
            ServiceState::Operational => 0,
            ServiceState::Maintenance => 1,
            ServiceState::Outage => 2,
        })
        .unwrap_or(ServiceState::Operational);
    let overall_label = match worst {
        // An edition whose customer sees no service: nothing is said to be running.
        _ if board.services.is_empty() => t.status_no_services,
        ServiceState::Operational => t.status_all_operational,
        ServiceState::Maintenance => t.status_some_maintenance,
        ServiceState::Outage => t.status_some_down,
    };
    let ids = incident_ids(set.tz, &board.incidents);
    let incidents = (board.incidents.iter().zip(ids))
        .take(PAGE_INCIDENTS)
        .map(|(o, id)| incident(set, board, o, id, notes, &labels, language))
        .collect();
    let maintenance = (board.maintenance.iter())
        .map(|&(a, b)| MaintenanceView {
            start: local(a),
            start_iso: iso(set.tz, a),
            end: local(b),
            end_iso: iso(set.tz, b),
            duration: duration(Some((b - a) as f64 / 60.0), lang, &set.numbers),
        })
        .collect();
    let (title, intro_html) = intro.unwrap_or_else(|| (t.status_page.to_string(), String::new()));
    StatusPageView {
        url: board.url.clone(),
        title,
        intro_html,
        as_of: local(board.as_of),
        as_of_iso: iso(set.tz, board.as_of),
        as_of_text: t.status_as_of.replace("{time}", &local(board.as_of)),
        overall: worst.code(),
        overall_label,
        history_label: t.uptime_days.replace("{n}", &n.to_string()),
        last_30_label: t.uptime_days.replace("{n}", "30"),
        last_90_label: t.uptime_days.replace("{n}", "90"),
        axis_oldest: days_ago(t, n),
        axis_oldest_narrow: days_ago(t, n.min(30)),
        services,
        more_incidents: (board.incidents.len() > PAGE_INCIDENTS).then(|| {
            t.more_incidents
                .replace("{n}", &(board.incidents.len() - PAGE_INCIDENTS).to_string())
        }),
        incidents,
        no_incidents: t.no_incidents.replace("{n}", &n.to_string()),
        maintenance,
        no_maintenance: t
            .no_maintenance
            .replace("{n}", &board.upcoming_days.to_string()),
        times_note: t.times_local.replace("{zone}", set.tz.name()),
        feed_url: format!("{}atom.xml", board.url),
        json_url: json_url.to_string(),
        t,
    }
}

/// `89 日前` under the first cell; nothing when the first cell is today.
fn days_ago(t: &Words, cells: usize) -> String {
    match cells {
        0 | 1 => String::new(),
        n => t.days_ago.replace("{n}", &(n - 1).to_string()),
    }
}

fn state_words(state: ServiceState, t: &'static Words) -> (&'static str, &'static str) {
    let label = match state {
        ServiceState::Operational => t.state_operational,
        ServiceState::Maintenance => t.state_maintenance,
        ServiceState::Outage => t.state_outage,
    };
    (state.code(), label)
}

#[allow(clippy::too_many_arguments)]
fn day_cell(
    set: &ReportSet,
    board: &StatusBoard,
    outages: Vec<&OutageItem>,
    day: NaiveDate,
    (value, target): (Option<f64>, f64),
    recent: bool,
    language: &str,
) -> DayCell {
    let t = words(language);
    let lang = Lang::of(language);
    let windows = board.windows_on(day, set.tz);
    let level = match value {
        None => "none",
        Some(v) if v >= 100.0 && (outages.iter().any(|o| o.planned) || !windows.is_empty()) => {
            "planned"
        }
        Some(v) if v >= 100.0 => "up",
        Some(v) if v >= target => "minor",
        Some(_) => "major",
    };
    let clock = |ts: i64| {
        set.tz
            .timestamp_opt(ts, 0)
            .single()
            .map(|d| {
                if d.date_naive() == day {
                    d.format("%H:%M").to_string()
                } else {
                    d.format("%m/%d %H:%M").to_string()
                }
            })
            .unwrap_or_default()
    };
    let mut lines: Vec<(i64, String)> = (outages.iter())
        .map(|o| {
            let end = o.end.map_or_else(|| t.ongoing.to_string(), clock);
            let kind = if o.planned { t.planned } else { t.unplanned };
            let minutes = (o.end.unwrap_or(board.as_of) - o.start) as f64 / 60.0;
            let text = format!(
                "{}–{end} {kind} {}",
                clock(o.start),
                duration(Some(minutes), lang, &set.numbers)
            );
            (o.start, text)
        })
        .chain(
            windows
                .iter()
                .map(|&(a, b)| (a, format!("{}–{} {}", clock(a), clock(b), t.maintenance))),
        )
        .collect();
    lines.sort_by_key(|(at, _)| *at);
    let more = lines.len().saturating_sub(DAY_OUTAGES);
    let mut outages: Vec<String> = lines
        .into_iter()
        .take(DAY_OUTAGES)
        .map(|(_, l)| l)
        .collect();
    if more > 0 {
        outages.push(t.more_outages.replace("{n}", &more.to_string()));
    }
    DayCell {
        date: day.to_string(),
        date_text: day.format(lang.vocabulary().formats.day_long).to_string(),
        date_short: day.format(lang.vocabulary().formats.day_short).to_string(),
        availability: match value {
            Some(_) => set.numbers.show(value, Unit::Percent),
            None => t.day_no_data.to_string(),
        },
        level,
        outages,
        recent,
    }
}

fn incident(
    set: &ReportSet,
    board: &StatusBoard,
    o: &OutageItem,
    id: String,
    notes: &[NoteHtml],
    labels: &Labels,
    language: &str,
) -> IncidentView {
    let t = words(language);
    let lang = Lang::of(language);
    let note = (notes.iter()).find(|n| n.service == o.service && n.start / 60 == o.start / 60);
    let minutes = (o.end.unwrap_or(board.as_of) - o.start) as f64 / 60.0;
    let service = labels.service(&o.service);
    let kind_label = if o.planned { t.planned } else { t.unplanned };
    let start = local_text(set.tz, o.start, lang);
    let title = note.and_then(|n| n.title.clone()).unwrap_or_else(|| {
        let words = if o.planned {
            t.incident_planned
        } else {
            t.incident_unplanned
        };
        words.replace("{service}", &service)
    });
    IncidentView {
        id,
        service,
        title,
        start,
        start_iso: iso(set.tz, o.start),
        end: o
            .end
            .map_or_else(|| t.ongoing.to_string(), |e| local_text(set.tz, e, lang)),
        end_iso: o.end.map(|e| iso(set.tz, e)),
        duration: duration(Some(minutes), lang, &set.numbers),
        minutes,
        planned: o.planned,
        kind_label,
        ongoing: o.end.is_none(),
        note_html: note.map(|n| n.html.clone()).unwrap_or_default(),
    }
}

/// `incident-api-202611121251` per outage: the service's code (letters and digits kept) and its
/// start; two that would be the same (one minute, or codes differing only in punctuation) get
/// `-2`, `-3` … in their order.
pub fn incident_ids(tz: chrono_tz::Tz, incidents: &[OutageItem]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    (incidents.iter())
        .map(|o| {
            let service: String = (o.service.chars())
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect();
            let start = tz
                .timestamp_opt(o.start, 0)
                .single()
                .map(|d| d.format("%Y%m%d%H%M").to_string())
                .unwrap_or_default();
            let id = format!("incident-{service}-{start}");
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                id
            } else {
                format!("{id}-{n}")
            }
        })
        .collect()
}

/// An instant as the status page writes it (`2026年11月20日 17:00`).
fn local_text(tz: chrono_tz::Tz, ts: i64, lang: Lang) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .map(|d| crate::i18n::periods::date_time_long(d.naive_local(), lang))
        .unwrap_or_default()
}

fn iso(tz: chrono_tz::Tz, ts: i64) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .map(|d| d.to_rfc3339())
        .unwrap_or_default()
}

/// Percent cut (never rounded up, as every percentage opsite prints) to four places, as
/// `status.json` writes it (None stays null).
fn rounded(v: Option<f64>) -> serde_json::Value {
    match v.filter(|v| v.is_finite()) {
        Some(v) => {
            let scaled = v * 10_000.0;
            // A hair of tolerance keeps 99.95 at 99.95 (binary fractions fall just short).
            json!((scaled + 1e-9 * scaled.abs().max(1.0)).floor() / 10_000.0)
        }
        None => serde_json::Value::Null,
    }
}

/// `status.json`: the board's figures as numbers and codes, the view's notes as HTML.
pub fn json(set: &ReportSet, board: &StatusBoard, view: &StatusPageView) -> serde_json::Value {
    let outage = |o: &OutageItem| {
        json!({
            "service": o.service,
            "start": iso(set.tz, o.start),
            "end": o.end.map(|e| iso(set.tz, e)),
            "planned": o.planned,
            "minutes": ((o.end.unwrap_or(board.as_of) - o.start) as f64 / 60.0),
        })
    };
    let services: Vec<serde_json::Value> = (board.services.iter().enumerate())
        .map(|(si, s)| {
            let days: Vec<serde_json::Value> = (board.days.iter().zip(&s.days).enumerate())
                .map(|(di, (d, v))| {
                    let outages: Vec<_> =
                        (board.outages_on(si, di).into_iter()).map(outage).collect();
                    json!({"date": d.to_string(), "availability": rounded(*v), "outages": outages})
                })
                .collect();
            json!({
                "name": s.name,
                "state": s.state.code(),
                "uptime_30d": rounded(s.uptime_30d),
                "uptime_90d": rounded(s.uptime_90d),
                "days": days,
            })
        })
        .collect();
    let ids = incident_ids(set.tz, &board.incidents);
    let incidents: Vec<serde_json::Value> = (board.incidents.iter().zip(ids).enumerate())
        .map(|(i, (o, id))| {
            let mut item = outage(o);
            item["id"] = json!(id);
            // The page lists the newest; their titles and notes are the view's.
            if let Some(v) = view.incidents.get(i) {
                item["title"] = json!(v.title);
                item["note_html"] = json!(v.note_html);
            }
            item
        })
        .collect();
    let maintenance: Vec<serde_json::Value> = (board.maintenance.iter())
        .map(|&(a, b)| json!({"start": iso(set.tz, a), "end": iso(set.tz, b)}))
        .collect();
    json!({
        "as_of": iso(set.tz, board.as_of),
        "services": services,
        "incidents": incidents,
        "maintenance": maintenance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage(service: &str, start: i64) -> OutageItem {
        OutageItem {
            service: service.into(),
            start,
            end: Some(start + 600),
            planned: false,
            minutes_in_window: 10.0,
        }
    }

    #[test]
    fn incident_ids_are_unique_in_their_order() {
        let tz = chrono_tz::Asia::Tokyo;
        let list = [
            outage("a b", 0),
            outage("a-b", 0),
            outage("a b", 30),
            outage("c", 0),
        ];
        let ids = incident_ids(tz, &list);
        assert_eq!(
            ids,
            [
                "incident-a-b-197001010900",
                "incident-a-b-197001010900-2",
                "incident-a-b-197001010900-3",
                "incident-c-197001010900"
            ]
        );
    }

    #[test]
    fn json_percentages_are_cut_never_rounded_up() {
        assert_eq!(rounded(Some(99.899_99)), json!(99.8999));
        assert_eq!(rounded(Some(99.95)), json!(99.95));
        assert_eq!(rounded(Some(100.0)), json!(100.0));
        assert_eq!(rounded(None), serde_json::Value::Null);
        assert_eq!(rounded(Some(f64::NAN)), serde_json::Value::Null);
    }
}
