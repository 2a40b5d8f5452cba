//! Which sections a report shows, in reading order, and what their headings say: decided here
//! once, from the view, so the page's template, the printed document's numbered headings and its
//! contents cannot disagree about what is there. Templates read `headings.<id>` (empty when the
//! section is not shown) and the document's contents list `outline`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::labels::Words;
use super::page_view::ReportPageView;
use crate::i18n::formats::fill;

/// How headings are written: as on the site, or numbered as in a printed document, which
/// opens with an overview section of its own (the period, the as-of, the notes) under the cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headings {
    Page,
    Printed,
}

/// A section shown, as its heading and the document's contents name it.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The heading's id (`sla`): the contents link to it and the page numbers are found by it.
    pub id: &'static str,
    /// `SLA 達成状況`, or `3. SLA 達成状況` when numbered.
    pub text: String,
}

/// Every section a report can have, in reading order, with whether `v` shows it and its title.
fn sections<'a>(
    v: &ReportPageView,
    t: &'a Words,
    printed: bool,
) -> [(&'static str, bool, &'a str); 16] {
    let tickets_listed = v.no_tickets.is_none();
    [
        ("overview", printed, t.overview),
        ("commentary", v.commentary.is_some(), t.commentary),
        ("months", v.side_by_side.is_some(), t.months),
        ("indicators", !v.indicators.is_empty(), t.indicators),
        ("services", !v.services.is_empty(), t.services),
        ("trends", !v.trend_charts.is_empty(), t.trends),
        ("tickets", true, t.tickets),
        ("sla", !v.sla.is_empty(), t.sla),
        ("customers", !v.customers.is_empty(), t.by_customer),
        (
            "breaches",
            v.ticket_list == "breached" && tickets_listed,
            t.breached_tickets,
        ),
        (
            "handled",
            v.ticket_list == "all" && tickets_listed,
            t.handled_tickets,
        ),
        ("times", !v.times.is_empty(), t.response_times),
        // Without an outage export (no service measured, none listed) there is nothing to say
        // 「障害はありません」 about.
        (
            "outages",
            !v.services.is_empty() || !v.outages.is_empty(),
            t.outages,
        ),
        (
            "satisfaction",
            v.kind != "weekly" && !v.satisfaction.is_empty(),
            t.satisfaction,
        ),
        ("api", !v.api.is_empty(), t.api),
        ("sources", !v.sources.is_empty(), t.sources),
    ]
}

/// The sections `v` shows, in order, headed as `style` writes them.
pub fn outline(v: &ReportPageView, t: &Words, style: Headings) -> Vec<Section> {
    let printed = style == Headings::Printed;
    sections(v, t, printed)
        .into_iter()
        .filter(|(_, shown, _)| *shown)
        .enumerate()
        .map(|(i, (id, _, title))| Section {
            id,
            text: match printed {
                true => fill(
                    t.numbered_heading,
                    &[("n", &(i + 1).to_string()), ("title", title)],
                ),
                false => title.to_string(),
            },
        })
        .collect()
}

/// Every section's heading by id, empty for those not shown: what templates test and print.
pub fn headings(v: &ReportPageView, t: &Words, style: Headings) -> BTreeMap<&'static str, String> {
    let mut all: BTreeMap<&'static str, String> = sections(v, t, false)
        .iter()
        .map(|(id, _, _)| (*id, String::new()))
        .collect();
    all.extend(outline(v, t, style).into_iter().map(|s| (s.id, s.text)));
    all
}
