//! What a report page's template receives: every number already written in the one number
//! format, durations per language, status words and change arrows decided here, charts drawn.
//! Templates only lay these out; nothing is computed twice.

use chrono::{Datelike, TimeZone};

use super::commentary::Commentary;
use super::labels::words;
pub use super::page_view::{
    AlertRow, CommentaryView, FigureRow, IndicatorRow, OutageRow, PeriodLink, QuarantineRow,
    ReportPageView, ServiceRow, SideBySide, SideRow, SlaRow, SourceRow, TimeRow,
};
use super::{rows, ticket_rows, PeriodData, ReportSet};
use crate::charts::{self, Bars, BulletRow, Chart, SeriesData};
use crate::i18n::labels::Labels;
use crate::i18n::Lang;
use crate::kpi::period::PeriodKind;
use crate::kpi::report::{PeriodReport, Unit};
use crate::kpi::sla::ClockKind;

pub use super::labels::Words;
pub use super::style::{local, local_time, prose_time, table_time, ChangeView, Style};
pub use super::tables::Figure;
pub use super::ticket_rows::{BreachRow, HandledRow};

impl ReportPageView {
    /// The report as a document names itself, on a PDF's cover and header and a workbook's
    /// title row: 「月次報告書 2026年10月」.
    pub fn document_title(&self, t: &Words) -> String {
        format!("{} {}", t.document(self.period_kind), self.period_label)
    }
}

pub fn kind_name(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Week => "weekly",
        PeriodKind::Month => "monthly",
        PeriodKind::Quarter => "quarterly",
    }
}

/// The title of one published period's page: its commentary's, else the report's heading
/// (「月次KPIレビュー 2026年10月」).
pub fn page_title(
    set: &ReportSet,
    kind: PeriodKind,
    index: usize,
    commentary: Option<&Commentary>,
    language: &str,
) -> String {
    let d = &set.published(kind)[index];
    let heading = || {
        let t = words(language);
        format!("{} {}", t.kind(kind), set.period_name(&d.period, language))
    };
    commentary
        .and_then(|c| c.title.clone())
        .unwrap_or_else(heading)
}

/// The view of one published period's page.
pub fn page_view(
    set: &ReportSet,
    kind: PeriodKind,
    index: usize,
    commentary: Option<(&Commentary, String)>,
    language: &str,
) -> ReportPageView {
    let t = words(language);
    let lang = Lang::of(language);
    let style = Style {
        lang,
        t: &t,
        labels: Labels::new(&set.labels, lang),
        fiscal_year_start: set.fiscal_year_start,
        numbers: set.numbers,
        priority_levels: set.priority_levels.clone(),
    };
    let list = set.published(kind);
    let d = &list[index];
    let r = &d.report;
    let period_label = set.period_name(&d.period, language);
    let title = page_title(set, kind, index, commentary.as_ref().map(|c| c.0), language);
    let summary = commentary.as_ref().and_then(|(c, _)| c.summary.clone());
    let last_day = d.period.end_day.pred_opt().unwrap_or(d.period.end_day);
    let as_of_instant = set.as_of.min(d.period.end);
    let as_of = prose_time(set, as_of_instant, lang);
    // The terms of the period measured so far: the contracts in force in it, and their targets.
    let measured = (d.period.start, as_of_instant.max(d.period.start + 1));
    let contracts = set.terms.contract_names(measured.0, measured.1, lang);
    let mut v = ReportPageView {
        kind: kind_name(kind),
        period_kind: kind,
        pictures: Vec::new(),
        days: (d.period.first_day, last_day),
        period: d.period.label.clone(),
        period_label,
        title,
        summary,
        url: d.url.clone(),
        range: crate::i18n::periods::day_range((d.period.first_day, last_day), lang),
        incomplete_note: (!d.complete)
            .then(|| format!("{} {as_of}{}{}", t.as_of, t.list_separator, t.incomplete)),
        frozen_note: frozen_note(d, &t, lang),
        coverage_note: (r.data_from.as_deref())
            .and_then(|from| chrono::DateTime::parse_from_rfc3339(from).ok())
            .map(|from| {
                t.data_from.replace(
                    "{date}",
                    &crate::i18n::periods::day_long(from.date_naive(), lang),
                )
            }),
        as_of,
        as_of_instant,
        as_of_local: (set.tz.timestamp_opt(as_of_instant, 0).single())
            .map_or(d.period.first_day.into(), |t| t.naive_local()),
        as_of_date: (set.tz.timestamp_opt(set.as_of, 0).single())
            .map_or(d.period.first_day, |t| t.date_naive()),
        complete: d.complete,
        commentary: commentary.map(|(c, html)| CommentaryView {
            paragraphs: crate::html::text_paragraphs(&html),
            // The commentary's headings sit among the report's sections: their ids are its own.
            html: crate::html::prefixed_ids(&html, "commentary-"),
            highlights: c.highlights.clone(),
            known_issues: c.known_issues.clone(),
            next_steps: c.next_steps.clone(),
        }),
        contracts,
        customer: set.customer.clone(),
        previous_label: match kind {
            PeriodKind::Week => t.previous_week,
            PeriodKind::Month => t.previous_month,
            PeriodKind::Quarter => t.previous_quarter,
        },
        services: rows::service_rows(set, d, &style),
        show_error_budget: set.error_budget,
        figures: rows::ticket_rows(r, &d.previous, &style),
        sla: rows::sla_rows(r, &d.previous, (&set.terms, measured.0, measured.1), &style),
        ticket_list: ticket_rows::list_name(set.ticket_list(kind)),
        ticket_titles: false,
        breaches: ticket_rows::breach_rows(set, d, &style),
        handled: ticket_rows::handled_rows(set, d, &style),
        list_note: None,
        mail_listed: 0,
        mail_list_note: None,
        outages: outage_rows(set, d, &style),
        alerts: alert_rows(r, &style),
        indicators: rows::indicator_rows(set, r, &style),
        times: rows::time_rows(r, &d.previous, &style),
        satisfaction: rows::satisfaction_rows(r, &d.previous, &style),
        api: rows::api_rows(r, &d.previous, &style),
        charts: Vec::new(),
        trend_charts: Vec::new(),
        calendars: Vec::new(),
        volume_charts: Vec::new(),
        side_by_side: None,
        sources: source_rows(set, d),
        quarantined: quarantine_rows(set),
        no_tickets: None,
        customers: Vec::new(),
        earlier: index.checked_sub(1).map(|i| PeriodLink {
            label: set.period_name(&list[i].period, language),
            url: list[i].url.clone(),
        }),
        later: list.get(index + 1).map(|p| PeriodLink {
            label: set.period_name(&p.period, language),
            url: p.url.clone(),
        }),
        tables: Vec::new(),
        downloads: Default::default(),
    };
    if has_no_tickets(r) {
        v.no_tickets = Some(t.no_tickets);
        (v.figures, v.sla, v.times, v.breaches, v.handled) = Default::default();
    } else {
        v.charts = vec![sla_chart(r, &style)];
    }
    if let Some(c) = availability_bullets(set, d, &style) {
        v.charts.insert(0, c);
    }
    if kind != PeriodKind::Week {
        super::review::add_review(&mut v, set, d, &style);
    }
    v.ticket_titles = (v.breaches.iter().map(|b| (&b.title, &b.customer)))
        .chain(v.handled.iter().map(|h| (&h.title, &h.customer)))
        .any(|(title, customer)| !title.is_empty() || !customer.is_empty());
    v.tables = super::tables::tables(&v, &t);
    let names = crate::config::pdf::Placeholders {
        // A customer without an entry (a mail's) is named by its name.
        slug: (set.customer_slug.as_deref())
            .or(set.customer.as_deref())
            .unwrap_or("internal"),
        customer: set.customer.as_deref().unwrap_or(""),
        period: &v.period,
        kind: v.kind,
        issued: v.as_of_date.to_string(),
    };
    let xlsx_name = names.file_name(set.workbook_name.as_deref(), "xlsx");
    v.downloads = super::tables::Downloads::of(&v.period, &v.tables, v.as_of_instant, xlsx_name);
    shorten_lists(&mut v, &t, &style);
    v
}

/// The most rows a ticket list of a page, a PDF or a mail holds (a ticket that breached both
/// clocks is two). A month of 300,000 breached tickets made a page past the render's 100 MB
/// limit; no reader goes past a few hundred rows, and the downloads (made before the cut) hold
/// every row.
pub const LISTED_AT_MOST: usize = 1000;

/// The most rows of breached tickets a mail lists: mail programs cut a message past about
/// 100 KB (Gmail), and a thousand rows are half a megabyte of HTML.
pub const MAILED_AT_MOST: usize = 100;

/// Cut the ticket lists to `LISTED_AT_MOST` (a mail's to `MAILED_AT_MOST`), with the notes said
/// above them when cut.
fn shorten_lists(v: &mut ReportPageView, t: &Words, style: &Style) {
    let total = v.breaches.len().max(v.handled.len());
    let note = |shown: usize| {
        let count = |n: usize| style.count(Some(n as u64)).text;
        (total > shown).then(|| {
            (t.list_shortened)
                .replace("{shown}", &count(shown))
                .replace("{total}", &count(total))
        })
    };
    v.list_note = note(LISTED_AT_MOST);
    v.mail_list_note = note(MAILED_AT_MOST);
    v.breaches.truncate(LISTED_AT_MOST);
    v.handled.truncate(LISTED_AT_MOST);
    v.mail_listed = v.breaches.len().min(MAILED_AT_MOST);
}

/// No ticket opened, resolved or open at the period's end.
fn has_no_tickets(r: &PeriodReport) -> bool {
    ["tickets.opened", "tickets.resolved", "tickets.backlog"]
        .iter()
        .all(|id| {
            r.kpis
                .get(*id)
                .is_none_or(|k| k.value.unwrap_or(0.0) == 0.0)
        })
}

/// Where a frozen period's figures are kept and when they were computed.
fn frozen_note(d: &PeriodData, t: &Words, lang: Lang) -> Option<String> {
    let m = d.snapshot.as_ref()?;
    let when = chrono::DateTime::parse_from_rfc3339(&m.frozen_at)
        .map(|t| crate::i18n::periods::date_time_long(t.naive_local(), lang))
        .unwrap_or_else(|_| m.frozen_at.clone());
    Some(format!(
        "{} ({} {when}; {}, opsite {})",
        t.frozen,
        t.as_of,
        m.path.display(),
        m.opsite
    ))
}

fn outage_rows(set: &ReportSet, d: &PeriodData, style: &Style) -> Vec<OutageRow> {
    let t = style.t;
    let year = d.period.first_day.year();
    let when = |at: i64| table_time(set, at, style.lang, year);
    (d.outages.iter())
        .map(|o| OutageRow {
            service: style.labels.service(&o.service),
            start: when(o.start),
            end: (o.end).map_or_else(|| t.ongoing.to_string(), when),
            at: (local(set, o.start), o.end.and_then(|e| local(set, e))),
            duration: style.figure(Some(o.minutes_in_window), Unit::Minutes),
            planned: o.planned,
            ongoing: o.end.is_none(),
            kind_label: if o.planned { t.planned } else { t.unplanned },
        })
        .collect()
}

fn alert_rows(r: &PeriodReport, s: &Style) -> Vec<AlertRow> {
    (r.alerts.iter())
        .map(|a| AlertRow {
            date: a.date.clone(),
            rule: (s.t.rule(&a.rule)).map_or(a.rule.to_string(), str::to_string),
            user: a.user.clone().unwrap_or_default(),
            value: s.figure(Some(a.value), Unit::Number),
        })
        .collect()
}

/// The exports the period's figures come from (the frozen ones for a frozen period).
fn source_rows(set: &ReportSet, d: &PeriodData) -> Vec<SourceRow> {
    let files = d.snapshot.as_ref().map_or(&set.data.files, |m| &m.files);
    (files.iter())
        .map(|f| SourceRow {
            source: f.source.clone(),
            file: f.path.display().to_string(),
            rows: set.numbers.show(Some(f.rows as f64), Unit::Count),
            sha256: f.sha256.clone(),
        })
        .collect()
}

fn quarantine_rows(set: &ReportSet) -> Vec<QuarantineRow> {
    (set.data.rejected.iter())
        .map(|(s, n)| QuarantineRow {
            source: s.clone(),
            rows: set.numbers.show(Some(*n as f64), Unit::Count),
        })
        .collect()
}

/// SLA attainment per priority and clock as horizontal bars (percent).
fn sla_chart(r: &PeriodReport, s: &Style) -> Chart {
    let mut categories = Vec::new();
    let mut values = Vec::new();
    for p in s.priorities(&r.kpis) {
        for clock in [ClockKind::Response, ClockKind::Resolution] {
            if let Some(k) = r.kpis.get(&format!("sla.{}.{}", clock.name(), p)) {
                categories.push(format!("{} {}", s.labels.priority(&p), s.t.clock(clock)));
                // The table's figure: the bar's label reads as the SLA table does.
                values.push(k.value.map(|v| s.numbers.shown(v, Unit::Ratio)));
            }
        }
    }
    charts::bars(&Bars {
        title: s.t.sla,
        description: &format!("{} ({})", s.t.sla, s.t.priority),
        categories: &categories,
        series: &[SeriesData {
            name: s.t.attainment.to_string(),
            values,
        }],
        horizontal: true,
        max: Some(100.0),
        fmt: &|v| s.numbers.show(v.map(|x| x / 100.0), Unit::Ratio),
    })
}

/// Each service's availability against the target (and the availability indicator's alert).
fn availability_bullets(set: &ReportSet, d: &PeriodData, s: &Style) -> Option<Chart> {
    let rows: Vec<BulletRow> = d
        .report
        .kpis
        .iter()
        .filter_map(|(id, k)| Some((id.strip_prefix("availability.")?, k)))
        .map(|(name, k)| {
            let alert = set
                .indicator_guides
                .iter()
                .find(|(id, _)| {
                    d.report
                        .indicators
                        .iter()
                        .any(|i| &i.id == *id && i.kpi == format!("availability.{name}"))
                })
                .and_then(|(_, g)| g.alert);
            BulletRow {
                name: s.labels.service(name),
                value: k.value,
                target: Some(set.availability_target_of(name)),
                alert,
                percent_scale: true,
            }
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    // One target named in the caption when every service has it; each bar draws its own.
    let targets: Vec<f64> = rows.iter().filter_map(|r| r.target).collect();
    let desc = match targets.first() {
        Some(&first) if targets.iter().all(|&t| t == first) => format!(
            "{} ({} {})",
            s.t.availability,
            s.t.target,
            s.numbers.show(Some(first), Unit::Percent)
        ),
        _ => s.t.availability.to_string(),
    };
    Some(charts::bullets(
        s.t.availability,
        &desc,
        &rows,
        [s.t.availability, s.t.target],
        // A miss is written with the decimals that tell it from its target, as in the table.
        &|i, v| {
            let row = &rows[i];
            let places = match (v, row.value, row.target) {
                (Some(v), Some(value), Some(t)) if v == value => {
                    (s.numbers).decimals_against(v, t, Unit::Percent, v < t)
                }
                _ => s.numbers.decimals(Unit::Percent),
            };
            s.numbers.show_with(v, Unit::Percent, places)
        },
    ))
}
