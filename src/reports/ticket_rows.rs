//! The tickets a report lists after its figures (`reports.<kind>.ticket_list`): the ones that
//! missed their SLA, each with the target it was measured against and how late it was, or every
//! ticket handled in the period. A customer reading 違反 4 can see which four.

use super::terms::target_text;
use chrono::Datelike;

use super::figure::Figure;
pub use super::page_view::{BreachRow, HandledRow};
use super::style::{local, table_time, Style};
use super::{PeriodData, ReportSet};
use crate::config::reports::TicketList;
use crate::kpi::report::Unit;

/// `breached`, `all` or `none`, as the templates test it.
pub fn list_name(list: TicketList) -> &'static str {
    match list {
        TicketList::Breached => "breached",
        TicketList::All => "all",
        TicketList::None => "none",
    }
}

pub fn breach_rows(set: &ReportSet, d: &PeriodData, style: &Style) -> Vec<BreachRow> {
    let t = style.t;
    let year = d.period.first_day.year();
    let when = |at: i64| table_time(set, at, style.lang, year);
    let titles = d.breaches.iter().any(|b| has_title(b.title.as_deref()));
    (d.breaches.iter())
        .map(|b| BreachRow {
            id: b.id.clone(),
            title: titled(b.title.as_deref(), titles, t),
            // On one customer's own pages every ticket is its own.
            customer: match set.customer {
                Some(_) => String::new(),
                None => b.customer.clone().unwrap_or_default(),
            },
            priority: style.labels.priority(&b.priority),
            clock: t.clock(b.clock),
            target: (set.terms.target_of(b.contract, (b.clock, &b.priority)))
                .map(|x| target_text(x, style.lang))
                .unwrap_or_default(),
            deadline: when(b.deadline),
            stopped: b.stopped.map(when).unwrap_or_default(),
            at: (
                local(set, b.deadline),
                b.stopped.and_then(|s| local(set, s)),
            ),
            late_by: late_by(set, b, style),
            still_open: b.stopped.is_none(),
        })
        .collect()
}

fn has_title(title: Option<&str>) -> bool {
    title.is_some_and(|s| !s.trim().is_empty())
}

/// A ticket's title, or words saying it has none where others have theirs (an empty cell reads
/// as a missing column); nothing when no ticket of the list has a title (the column is left out).
fn titled(title: Option<&str>, titles: bool, t: &super::labels::Words) -> String {
    match title.map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ if titles => t.untitled.to_string(),
        _ => String::new(),
    }
}

/// How late a clock stopped (or is, while it runs), said in the time its target counts: a
/// target in business hours is late by business hours (`9 分（営業時間）`), so a ticket open all
/// weekend past a Friday deadline is not late by the weekend.
fn late_by(set: &ReportSet, b: &crate::kpi::details::BreachedTicket, style: &Style) -> Figure {
    let minutes = b.late_seconds as f64 / 60.0;
    let mut f = style.figure(Some(minutes), Unit::Minutes);
    let business = (set.terms.target_of(b.contract, (b.clock, &b.priority)))
        .is_some_and(|x| x.calendar.name != "always");
    if business && b.late_seconds < 60 {
        // Stopped after the deadline, outside business hours (a Friday 18:00 deadline, solved
        // on Saturday at 05:00): breached, and not one business minute late. 「0 分」 beside a
        // breach read as a contradiction.
        f.text = style.t.late_outside_hours.to_string();
    } else if business {
        // A business day is not 24 hours: 112 business hours are not 「4 日 16 時間」.
        f.text = super::labels::hours_and_minutes(Some(minutes), style.lang, &style.numbers);
        f.text.push_str(style.t.in_business_hours);
    }
    f
}

pub fn handled_rows(set: &ReportSet, d: &PeriodData, style: &Style) -> Vec<HandledRow> {
    let t = style.t;
    let year = d.period.first_day.year();
    let when = |at: i64| table_time(set, at, style.lang, year);
    let titles = d.handled.iter().any(|h| has_title(h.title.as_deref()));
    (d.handled.iter())
        .map(|h| HandledRow {
            id: h.id.clone(),
            title: titled(h.title.as_deref(), titles, t),
            customer: match set.customer {
                Some(_) => String::new(),
                None => h.customer.clone().unwrap_or_default(),
            },
            priority: style.labels.priority(&h.priority),
            opened: when(h.opened),
            resolved: h.resolved.map_or_else(|| t.still_open.to_string(), when),
            at: (local(set, h.opened), h.resolved.and_then(|r| local(set, r))),
            still_open: h.resolved.is_none(),
            breached: (h.breached.iter())
                .map(|&c| t.clock(c))
                .collect::<Vec<_>>()
                .join(t.list_separator),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_without_a_title_says_so_where_others_have_theirs() {
        let ja = super::super::labels::words("ja");
        assert_eq!(titled(Some(" "), true, ja), "（件名なし）");
        assert_eq!(
            titled(None, true, super::super::labels::words("en")),
            "(no title)"
        );
        assert_eq!(titled(Some(" VPN "), true, ja), "VPN");
        // No title in the whole list: the column is left out, so nothing is written.
        assert_eq!(titled(None, false, ja), "");
    }
}
