//! The status history (`ticket_events`): its rows, the export statuses renamed as the site
//! says, events that name no ticket, and responses taken from it (`first_status`).

use std::path::Path;

use super::source::{optional, required};
use super::{load_rows, Collector};
use crate::config::kpi::SourceConfig;
use crate::error::{Code, Diagnostic};
use crate::kpi::tables::StatusEvents;
use crate::kpi::zone::LocalZone;

pub(super) fn load_events(
    root: &Path,
    cfg: &SourceConfig,
    zone: &LocalZone,
    c: &mut Collector,
) -> Option<StatusEvents> {
    let fields = [
        required("id"),
        required("status"),
        required("at"),
        optional("seq"),
    ];
    let ordered = cfg.is_mapped("seq");
    load_rows(
        root,
        "ticket_events",
        cfg,
        &fields,
        zone,
        c,
        |t: &mut StatusEvents, rc, row| {
            let (Ok(id), Ok(status), Ok(at)) = (
                rc.required_text(row, "id"),
                rc.required_text(row, "status"),
                rc.required_timestamp(row, "at"),
            ) else {
                return false;
            };
            let status = match cfg.statuses.as_ref().and_then(|m| m.get(&status)) {
                Some(named) => named.clone(),
                None => status,
            };
            let seq = if ordered || rc.sf.has("seq") {
                let Ok(seq) = rc.required_integer(row, "seq") else {
                    return false;
                };
                seq
            } else {
                0
            };
            t.id.push(id);
            t.status.push(status);
            t.at.push(at);
            t.seq.push(seq);
            true
        },
    )
}

/// `responded_at` or `reopened_at: {first_status: […]}`: each ticket's first status event, in
/// event order (time, then `seq`, then the export's order), entering one of `statuses` at or
/// after its opening.
pub(super) fn first_entering(
    tickets: &crate::kpi::tables::Tickets,
    events: &StatusEvents,
    statuses: &[String],
) -> crate::kpi::tables::Optional<i64> {
    use std::collections::{HashMap, HashSet};
    let wanted: HashSet<&str> = statuses.iter().map(String::as_str).collect();
    let mut by_ticket: HashMap<&str, Vec<(i64, i64, usize)>> = HashMap::new();
    for i in (0..events.id.len()).filter(|&i| wanted.contains(events.status[i].as_str())) {
        let seq = events.seq.get(i).copied().unwrap_or(0);
        (by_ticket.entry(events.id[i].as_str()).or_default()).push((events.at[i], seq, i));
    }
    (0..tickets.id.len())
        .map(|k| {
            let list = by_ticket.get(&tickets.id[k])?;
            let opened = tickets.opened[k];
            list.iter().filter(|e| e.0 >= opened).min().map(|e| e.0)
        })
        .collect()
}

/// `<field>: {first_status: […]}` naming no status any event enters (`Reopend`): every
/// ticket would silently have none. The warning lists the statuses the export does have.
pub(super) fn no_event_enters(
    events: &StatusEvents,
    (field, statuses): (&str, &[String]),
    c: &Collector,
) -> Option<Diagnostic> {
    if events.id.is_empty() || events.status.iter().any(|s| statuses.contains(s)) {
        return None;
    }
    let seen: std::collections::BTreeSet<&str> = events.status.iter().map(String::as_str).collect();
    let mut listed: Vec<&str> = seen.iter().copied().take(12).collect();
    if seen.len() > listed.len() {
        listed.push("…");
    }
    use crate::config::keys::Step;
    let steps = ["data", "tickets", "columns", field].map(|k| Step::Key(k.into()));
    Some(Diagnostic::warning(
        Code::Config,
        c.config_key(&steps),
        format!(
            "data.tickets.columns.{field}: no event of data.ticket_events enters {} (its statuses: {}), so no ticket has a {field}",
            statuses.join(", "),
            listed.join(", ")
        ),
    ))
}

/// Status events whose id names no ticket: their pauses count for nothing, so ids written
/// differently in the two exports (`#146` beside `146`) would change SLA outcomes silently.
pub(super) fn events_without_ticket(
    events: &StatusEvents,
    tickets: &crate::kpi::tables::Tickets,
    c: &Collector,
) -> Option<Diagnostic> {
    if tickets.id.is_empty() {
        return None;
    }
    let known: std::collections::HashSet<&str> = tickets.id.iter().collect();
    let mut orphans = events.id.iter().filter(|id| !known.contains(id.as_str()));
    let first = orphans.next()?;
    let count = 1 + orphans.count();
    let at = c.files_key(&[crate::config::keys::Step::Key("ticket_events".into())]);
    Some(Diagnostic::warning(
        Code::Data,
        at,
        format!(
            "data.ticket_events: {count} of {} event(s) name no ticket of data.tickets (the first: id {first:?}); their statuses pause nothing. Check that both exports write ids alike",
            events.id.len()
        ),
    ))
}
