//! A report page's tables as typed rows, for the downloads (one workbook per report, one CSV per
//! table): the same rows the page prints, taken from its view, with each number's value and
//! unit beside its text. Headings are the page's; a table of nothing is left out.

pub use super::figure::Figure;
use super::labels::Words;
use super::page_view::ReportPageView;
pub use super::page_view::{Cell, Downloads, Table};

impl Downloads {
    pub fn of(period: &str, tables: &[Table], created: i64, xlsx_name: String) -> Downloads {
        if tables.is_empty() {
            return Downloads::default();
        }
        Downloads {
            xlsx: format!("{period}.xlsx"),
            xlsx_name,
            csv: (tables.iter())
                .map(|t| (t.key, format!("{period}-{}.csv", t.key)))
                .collect(),
            created,
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// An instant's cell, or the words shown instead (「未完了」, 「継続中」).
fn time(at: Option<chrono::NaiveDateTime>, otherwise: &str) -> Cell {
    match at {
        Some(at) => Cell::Time(at),
        None => text(otherwise),
    }
}

fn num(f: &Figure) -> Cell {
    Cell::Number(f.clone())
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Every table the page shows, in its order.
pub fn tables(v: &ReportPageView, t: &Words) -> Vec<Table> {
    let prev = v.previous_label;
    let mut out = Vec::new();
    let mut add = |key, title: &str, columns: Vec<String>, rows: Vec<Vec<Cell>>| {
        if !rows.is_empty() {
            out.push(without_empty_text_columns(Table {
                key,
                title: title.to_string(),
                columns,
                rows,
            }));
        }
    };
    // The commentary first, as a reader of the workbook reads the page: its summary, its text,
    // then its lists.
    if let Some(c) = &v.commentary {
        let rows = (v.summary.iter().map(|p| (t.summary, p)))
            .chain(c.paragraphs.iter().map(|p| (t.commentary, p)))
            .chain(c.highlights.iter().map(|p| (t.highlights, p)))
            .chain(c.known_issues.iter().map(|p| (t.known_issues, p)))
            .chain(c.next_steps.iter().map(|p| (t.next_steps, p)))
            .map(|(item, p)| vec![text(item), text(p)])
            .collect();
        add(
            "commentary",
            t.commentary,
            strings(&[t.item, t.commentary_text]),
            rows,
        );
    }
    if let Some(sbs) = &v.side_by_side {
        let columns = std::iter::once(t.item.to_string()).chain(sbs.columns.iter().cloned());
        let rows = (sbs.rows.iter())
            .map(|r| {
                std::iter::once(text(&r.label))
                    .chain(r.values.iter().map(num))
                    .collect()
            })
            .collect();
        add("months", t.months, columns.collect(), rows);
    }
    let rows = (v.indicators.iter())
        .map(|i| {
            vec![
                text(&i.name),
                num(&i.value),
                text(&i.target),
                text(&i.alert),
                text(i.status_label),
                num(&i.previous),
            ]
        })
        .collect();
    let columns = [t.indicator, t.value, t.target, t.alert, t.status, prev];
    add("indicators", t.indicators, strings(&columns), rows);
    let rows: Vec<Vec<Cell>> = (v.services.iter())
        .map(|s| {
            vec![
                text(&s.name),
                text(s.status_label),
                num(&s.availability),
                num(&s.target),
                num(&s.downtime),
                num(&s.error_budget),
                num(&s.previous),
            ]
        })
        .collect();
    let columns = [
        t.service,
        t.status,
        t.availability,
        t.target,
        t.downtime,
        t.error_budget,
        prev,
    ];
    // The error budget only where the page shows it.
    const BUDGET: usize = 5;
    let shown = |i: &usize| v.show_error_budget || *i != BUDGET;
    let rows = (rows.into_iter())
        .map(|r: Vec<Cell>| {
            r.into_iter()
                .enumerate()
                .filter(|(i, _)| shown(i))
                .map(|(_, c)| c)
                .collect()
        })
        .collect();
    let columns: Vec<&str> = (columns.into_iter().enumerate())
        .filter(|(i, _)| shown(i))
        .map(|(_, c)| c)
        .collect();
    add("services", t.services, strings(&columns), rows);
    let figures = |rows: &[super::page_view::FigureRow]| {
        (rows.iter())
            .map(|f| vec![text(&f.label), num(&f.value), num(&f.previous)])
            .collect()
    };
    let columns = strings(&[t.item, t.value, prev]);
    add("tickets", t.tickets, columns.clone(), figures(&v.figures));
    let rows = (v.sla.iter())
        .map(|r| {
            vec![
                text(&r.priority),
                text(r.clock),
                text(
                    &(r.targets.iter().map(|l| l.to_string()))
                        .collect::<Vec<_>>()
                        .join(t.list_separator),
                ),
                num(&r.attainment),
                num(&r.met),
                num(&r.breached),
                num(&r.pending),
                num(&r.previous),
            ]
        })
        .collect();
    let sla_columns = [
        t.priority,
        t.clock,
        t.sla_target,
        t.attainment,
        t.met,
        t.breached,
        t.pending,
        prev,
    ];
    add("sla", t.sla, strings(&sla_columns), rows);
    add_customers(&mut add, v, t);
    let rows = (v.breaches.iter())
        .map(|b| {
            vec![
                text(&b.id),
                text(&b.title),
                text(&b.customer),
                text(&b.priority),
                text(b.clock),
                text(&b.target),
                time(b.at.0, &b.deadline),
                time(b.at.1, t.still_open),
                num(&b.late_by),
            ]
        })
        .collect();
    let columns = [
        t.ticket,
        t.title,
        t.customer,
        t.priority,
        t.clock,
        t.sla_target,
        t.deadline,
        t.stopped_at,
        t.late_by,
    ];
    add("breaches", t.breached_tickets, strings(&columns), rows);
    let rows = (v.handled.iter())
        .map(|h| {
            vec![
                text(&h.id),
                text(&h.title),
                text(&h.customer),
                text(&h.priority),
                time(h.at.0, &h.opened),
                time(h.at.1, &h.resolved),
                text(&h.breached),
            ]
        })
        .collect();
    let columns = [
        t.ticket, t.title, t.customer, t.priority, t.opened, t.resolved, t.breached,
    ];
    add("handled", t.handled_tickets, strings(&columns), rows);
    let rows = (v.times.iter())
        .map(|r| {
            vec![
                text(r.label),
                num(&r.mean),
                num(&r.p50),
                num(&r.p90),
                num(&r.count),
                num(&r.previous),
            ]
        })
        .collect();
    let columns = [t.item, t.mean, t.median, t.percentile_90, t.count, prev];
    add("times", t.response_times, strings(&columns), rows);
    let rows = (v.outages.iter())
        .map(|o| {
            vec![
                text(&o.service),
                time(o.at.0, &o.start),
                time(o.at.1, &o.end),
                num(&o.duration),
                text(o.kind_label),
            ]
        })
        .collect();
    let columns = [t.service, t.start, t.end, t.downtime, t.kind_column];
    add("outages", t.outages, strings(&columns), rows);
    if v.kind != "weekly" {
        add(
            "satisfaction",
            t.satisfaction,
            columns_of(t, prev),
            figures(&v.satisfaction),
        );
        add("api", t.api, columns_of(t, prev), figures(&v.api));
    }
    let rows = (v.alerts.iter())
        .map(|a| vec![text(&a.date), text(&a.rule), text(&a.user), num(&a.value)])
        .collect();
    add(
        "alerts",
        t.alerts,
        strings(&[t.date, t.rule, t.user, t.value]),
        rows,
    );
    out
}

/// A column of text that is empty in every row (the customer of each breach on a site without
/// customers) is left out, as the page leaves it out.
fn without_empty_text_columns(mut table: Table) -> Table {
    let empty = |col: usize| {
        (table.rows.iter()).all(|r| matches!(r.get(col), Some(Cell::Text(s)) if s.is_empty()))
    };
    let keep: Vec<bool> = (0..table.columns.len()).map(|c| !empty(c)).collect();
    fn kept<T>(items: Vec<T>, keep: &[bool]) -> Vec<T> {
        (items.into_iter().zip(keep))
            .filter(|(_, k)| **k)
            .map(|(x, _)| x)
            .collect()
    }
    table.columns = kept(table.columns, &keep);
    table.rows = (table.rows.into_iter()).map(|r| kept(r, &keep)).collect();
    table
}

fn columns_of(t: &Words, prev: &str) -> Vec<String> {
    strings(&[t.item, t.value, prev])
}

/// The internal monthly review's customers: one row per customer and priority.
fn add_customers(
    add: &mut impl FnMut(&'static str, &str, Vec<String>, Vec<Vec<Cell>>),
    v: &ReportPageView,
    t: &Words,
) {
    let mut rows = Vec::new();
    for c in &v.customers {
        let head = [
            text(&c.name),
            text(&c.contract),
            num(&c.opened),
            num(&c.resolved),
            num(&c.backlog),
        ];
        for p in &c.priorities {
            let mut row = head.to_vec();
            row.push(text(&p.priority));
            row.extend(p.figures.iter().map(num));
            rows.push(row);
        }
        if c.priorities.is_empty() {
            rows.push(head.to_vec());
        }
    }
    let sla = |clock: &str, word: &str| format!("{clock} {word}");
    let columns = vec![
        t.customer.to_string(),
        t.contract.to_string(),
        t.opened.to_string(),
        t.resolved.to_string(),
        t.backlog.to_string(),
        t.priority.to_string(),
        sla(t.response, t.attainment),
        sla(t.response, t.met),
        sla(t.response, t.breached),
        sla(t.response, t.pending),
        sla(t.resolution, t.attainment),
        sla(t.resolution, t.met),
        sla(t.resolution, t.breached),
        sla(t.resolution, t.pending),
    ];
    add("customers", t.by_customer, columns, rows);
}
