//! The `text/plain` part: the weekly report as aligned text, readable on its own (a mail client
//! that shows no HTML, a quoted reply, a pager). Column widths count East Asian wide characters
//! as two, so Japanese labels line up in a monospaced font.

use unicode_width::UnicodeWidthStr;

use crate::reports::views::{ReportPageView, Words};

/// `cells` padded to each column's widest cell; numbers (all but the first column) right-aligned.
/// Rows as aligned columns (the first is the header): the columns `words` lists to the left,
/// the figures to the right.
fn table(rows: &[Vec<String>], words: &[usize]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            let pad = " ".repeat(widths[c].saturating_sub(cell.width()));
            if c > 0 {
                line.push_str("  ");
            }
            match words.contains(&c) {
                true => {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
                false => {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn heading(out: &mut String, text: &str) {
    out.push('\n');
    out.push_str(&format!("■ {text}\n"));
}

fn list(out: &mut String, title: &str, items: &[String], bullet: &str) {
    if items.is_empty() {
        return;
    }
    heading(out, title);
    for i in items {
        out.push_str(&format!("  {bullet}{i}\n"));
    }
}

/// The whole text part of a weekly or monthly report; `internal` for the team's mail, the only
/// one with the API alerts.
pub fn report(
    v: &ReportPageView,
    t: &Words,
    site_title: &str,
    report_url: &str,
    internal: bool,
) -> String {
    let mut out = format!("{site_title}\n{}\n", v.title);
    out.push_str(&format!("{} {}\n", t.period, v.range));
    match &v.incomplete_note {
        // The note says the as-of time too: once is enough.
        Some(note) => out.push_str(&format!("{} {note}\n", t.note_mark)),
        None => out.push_str(&format!("{} {}\n", t.as_of, v.as_of)),
    }
    if let Some(s) = &v.summary {
        out.push_str(&format!("\n{s}\n"));
    }
    if let Some(c) = &v.commentary {
        if !c.paragraphs.is_empty() {
            heading(&mut out, t.commentary);
            for p in &c.paragraphs {
                out.push_str(&format!("{p}\n"));
            }
        }
        list(&mut out, t.highlights, &c.highlights, t.bullet);
        list(&mut out, t.known_issues, &c.known_issues, t.bullet);
        list(&mut out, t.next_steps, &c.next_steps, t.bullet);
    }
    if !v.indicators.is_empty() {
        unmet(&mut out, v, t);
        heading(&mut out, t.indicators);
        let mut rows = vec![vec![
            t.indicator.to_string(),
            t.value.to_string(),
            t.target.to_string(),
            t.status.to_string(),
            v.previous_label.to_string(),
        ]];
        rows.extend(v.indicators.iter().map(|i| {
            vec![
                i.name.clone(),
                i.value.text.clone(),
                i.target.clone(),
                i.status_label.to_string(),
                i.previous.text.clone(),
            ]
        }));
        out.push_str(&table(&rows, &[0, 2, 3]));
    }
    if !v.services.is_empty() {
        heading(&mut out, t.services);
        let mut rows = vec![vec![
            t.service.to_string(),
            t.availability.to_string(),
            t.target.to_string(),
            t.status.to_string(),
            v.previous_label.to_string(),
        ]];
        rows.extend(v.services.iter().map(|s| {
            vec![
                s.name.clone(),
                s.availability.text.clone(),
                s.target.text.clone(),
                s.status_label.to_string(),
                s.previous.text.clone(),
            ]
        }));
        out.push_str(&table(&rows, &[0, 3]));
    }
    if let Some(none) = v.no_tickets {
        heading(&mut out, t.tickets);
        out.push_str(&format!("  {none}\n"));
    }
    if !v.figures.is_empty() {
        heading(&mut out, t.tickets);
        let mut rows = vec![vec![
            String::new(),
            t.value.to_string(),
            v.previous_label.to_string(),
            t.change.to_string(),
        ]];
        rows.extend(v.figures.iter().map(|f| {
            vec![
                f.label.clone(),
                f.value.text.clone(),
                f.previous.text.clone(),
                f.change.text.clone(),
            ]
        }));
        out.push_str(&table(&rows, &[0]));
    }
    if !v.sla.is_empty() {
        heading(&mut out, t.sla);
        if !v.contracts.is_empty() {
            out.push_str(&format!(
                "{}: {}\n",
                t.contracts_in_force,
                v.contracts.join(t.list_separator)
            ));
        }
        // The target last: a long one (two contracts) pushes no figure out of line.
        let mut rows = vec![vec![
            t.priority.to_string(),
            t.clock.to_string(),
            t.attainment.to_string(),
            t.met.to_string(),
            t.breached.to_string(),
            t.pending.to_string(),
            t.sla_target.to_string(),
        ]];
        rows.extend(v.sla.iter().map(|s| {
            vec![
                s.priority.to_string(),
                s.clock.to_string(),
                s.attainment.text.clone(),
                s.met.text.clone(),
                s.breached.text.clone(),
                s.pending.text.clone(),
                (s.targets.iter().map(|l| l.to_string()))
                    .collect::<Vec<_>>()
                    .join(t.list_separator),
            ]
        }));
        out.push_str(&table(&rows, &[0, 1, 6]));
    }
    if !v.times.is_empty() {
        heading(&mut out, t.response_times);
        let mut rows = vec![vec![
            String::new(),
            t.mean.to_string(),
            t.median.to_string(),
            t.percentile_90.to_string(),
            v.previous_label.to_string(),
        ]];
        rows.extend(v.times.iter().map(|x| {
            vec![
                x.label.to_string(),
                x.mean.text.clone(),
                x.p50.text.clone(),
                x.p90.text.clone(),
                x.previous.text.clone(),
            ]
        }));
        out.push_str(&table(&rows, &[0]));
    }
    if v.ticket_list == "breached" && v.no_tickets.is_none() {
        breaches(&mut out, v, t);
    }
    if !v.outages.is_empty() {
        heading(&mut out, t.outages);
        let mut rows = vec![vec![
            t.service.to_string(),
            t.start.to_string(),
            t.end.to_string(),
            t.downtime.to_string(),
            t.kind_column.to_string(),
        ]];
        rows.extend(v.outages.iter().map(|o| {
            vec![
                o.service.clone(),
                o.start.clone(),
                o.end.clone(),
                o.duration.text.clone(),
                o.kind_label.to_string(),
            ]
        }));
        out.push_str(&table(&rows, &[0, 1, 2, 4]));
    }
    if internal {
        heading(&mut out, t.alerts);
        if v.alerts.is_empty() {
            out.push_str(&format!("  {}\n", t.no_alerts));
        } else {
            for a in &v.alerts {
                let line = format!("  {} {} {} {}", a.date, a.rule, a.user, a.value);
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    if !report_url.is_empty() {
        out.push_str(&format!("\n{}: {report_url}\n", t.full_report));
    }
    out
}

/// The indicators that missed their target, one line each, before the whole table: what a
/// reader must act on first.
fn unmet(out: &mut String, v: &ReportPageView, t: &Words) {
    heading(out, t.unmet_indicators);
    let missed: Vec<_> = (v.indicators.iter())
        .filter(|i| matches!(i.status, "breached" | "warning"))
        .collect();
    if missed.is_empty() {
        out.push_str(&format!("  {}\n", none_unmet(v, t)));
    }
    for i in missed {
        out.push_str(&format!(
            "  {}{} {} ({} {}) {}\n",
            t.bullet, i.name, i.value.text, t.target, i.target, i.status_label
        ));
    }
}

/// What the mail says when no indicator missed its target: that, then how many times the SLA
/// was missed in the period (a ticket may miss both its clocks) and which services fell below
/// their availability target, when any did: they are other measures, and "all met" alone reads
/// as if they were met too.
pub(super) fn none_unmet(v: &ReportPageView, t: &Words) -> String {
    let mut out = t.none_unmet.to_string();
    let missed: f64 = (v.sla.iter()).filter_map(|s| s.breached.value).sum();
    if missed > 0.0 {
        out.push_str(&t.but_sla_missed.replace("{n}", &format!("{missed}")));
    }
    let below: Vec<&str> = (v.services.iter())
        .filter(|s| s.status == "breached")
        .map(|s| s.name.as_str())
        .collect();
    if !below.is_empty() {
        let list = below.join(t.list_separator);
        out.push_str(&t.but_services_missed.replace("{services}", &list));
    }
    out
}

/// The breached tickets a report lists, one line each.
fn breaches(out: &mut String, v: &ReportPageView, t: &Words) {
    heading(out, t.breached_tickets);
    if v.breaches.is_empty() {
        out.push_str(&format!("  {}\n", t.no_breaches));
    } else {
        if let Some(note) = &v.mail_list_note {
            out.push_str(&format!("  {note}\n"));
        }
        for b in v.breaches.iter().take(v.mail_listed) {
            let customer = match b.customer.is_empty() {
                true => String::new(),
                false => format!(" ({})", b.customer),
            };
            let target = match b.target.is_empty() {
                true => String::new(),
                false => format!("{} {}{}", t.sla_target, b.target, t.list_separator),
            };
            let open = if b.still_open {
                format!(" {}", t.still_open)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  {} [{} {}] {}{customer} — {} {} ({target}{} {}){open}\n",
                b.id, b.priority, b.clock, b.title, t.late_by, b.late_by, t.deadline, b.deadline,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn japanese_columns_line_up() {
        let t = table(
            &[
                vec!["稼働率".into(), "99.95 %".into()],
                vec!["api".into(), "100.00 %".into()],
            ],
            &[0],
        );
        let lines: Vec<&str> = t.lines().collect();
        use unicode_width::UnicodeWidthStr;
        assert_eq!(lines[0].width(), lines[1].width(), "{t}");
    }
}
