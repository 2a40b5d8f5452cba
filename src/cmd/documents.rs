//! The report a document is made of, for the email and the PDF alike: which kind and period,
//! the figures of every audience, and why there is none (the errors that stop a run, the
//! periods there are).

use anyhow::bail;

use crate::cli::EmailKind;
use crate::error::Diagnostic;
use crate::kpi::period::{Period, PeriodKind};
use crate::reports::views::ReportPageView;
use crate::site;
use crate::site::one_report::ReportSource;

/// A period that starts after the last ticket of the exports was opened is reported as one
/// without tickets, which a customer reads as a quiet period: more often the export was not
/// refreshed. Said once a run, before the document is filed or sent.
pub fn warn_after_the_data(
    sources: &site::sources::SiteSources,
    period: &Period,
    (clock, tz): (i64, chrono_tz::Tz),
    document: &str,
) {
    if let Some((_, last)) = after_the_data(sources, period, (clock, tz)) {
        eprintln!(
            "warning: {} starts after the last ticket in the exports was opened ({last}): the {document}'s figures count no ticket; refresh the export if it is out of date",
            period.label
        );
    }
}

/// Every customer mailed that nothing happened in the current period, from an export not
/// refreshed: with `unnamed` (`--all-customers` without `--period`) that stops the run; the
/// period is named (`--period`) to send it all the same.
pub fn refuse_unnamed_after_the_data(
    sources: &site::sources::SiteSources,
    period: &Period,
    (clock, tz): (i64, chrono_tz::Tz),
    unnamed: bool,
) -> anyhow::Result<()> {
    match after_the_data(sources, period, (clock, tz)) {
        Some((last, said)) if unnamed => {
            // The period that holds the last ticket, as the one most likely meant.
            let day = chrono::DateTime::from_timestamp(last, 0)
                .map_or(period.first_day, |t| t.with_timezone(&tz).date_naive());
            let held = Period::containing(period.kind, day, tz).label;
            bail!("{} (the current period) starts after the last ticket in the exports was opened ({said}): every customer's mail would count no ticket; refresh the export, or name the period to send, e.g. --period {held} (the last ticket's); no mail written", period.label)
        }
        _ => Ok(()),
    }
}

/// When the last ticket of the exports was opened (UTC seconds, and `2026-10-31 23:56` in the
/// site's zone), if `period` starts after it. A ticket dated after `clock` (a typo, 2027 for
/// 2026) has not happened: it is left out, and named.
fn after_the_data(
    sources: &site::sources::SiteSources,
    period: &Period,
    (clock, tz): (i64, chrono_tz::Tz),
) -> Option<(i64, String)> {
    let tickets = tickets(sources)?;
    let opened = &tickets.opened;
    let last = *opened.iter().filter(|&&t| t <= clock).max()?;
    if last >= period.start {
        return None;
    }
    let at = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|at| at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    let said = match tickets.opened_after(clock) {
        None => at(last),
        Some((future, i)) => format!(
            "{}; {future} more dated in the future, the first {} at {}",
            at(last),
            &tickets.id[i],
            at(opened[i])
        ),
    };
    Some((last, said))
}

/// When the exports' tickets were opened, first and last, as the site's time zone writes them,
/// for a period that holds none of them (outside the data: a wrong `--period`).
pub fn outside_the_data(
    sources: &site::sources::SiteSources,
    period: &Period,
    tz: chrono_tz::Tz,
) -> Option<(String, String)> {
    let (first, last) = opened_span(sources)?;
    if period.end > first && period.start <= last {
        return None;
    }
    let day = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|at| at.with_timezone(&tz).format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    Some((day(first), day(last)))
}

/// When the exports' first and last tickets were opened (UTC seconds); None without tickets.
fn opened_span(sources: &site::sources::SiteSources) -> Option<(i64, i64)> {
    let opened = &tickets(sources)?.opened;
    Some((*opened.iter().min()?, *opened.iter().max()?))
}

/// The exports' tickets, when the data was read.
fn tickets(sources: &site::sources::SiteSources) -> Option<&crate::kpi::tables::Tickets> {
    let Some(Ok(loaded)) = &sources.data else {
        return None;
    };
    Some(&loaded.data.tickets)
}

/// Which report (of an email or PDF): its period kind, and the words messages use for it.
pub struct Kind {
    pub period: PeriodKind,
    pub name: &'static str,
    pub example: &'static str,
}

impl Kind {
    pub fn of(kind: EmailKind) -> Kind {
        Kind::of_period(match kind {
            EmailKind::Weekly => PeriodKind::Week,
            EmailKind::Monthly => PeriodKind::Month,
        })
    }

    /// The report of a period kind, for the email and the PDF alike.
    pub fn of_period(period: PeriodKind) -> Kind {
        let (name, example) = match period {
            PeriodKind::Week => ("weekly", "an ISO week, e.g. 2026-W47"),
            PeriodKind::Month => ("monthly", "a month, e.g. 2026-11"),
            PeriodKind::Quarter => ("quarterly", "a quarter, e.g. 2026-Q4"),
        };
        Kind {
            period,
            name,
            example,
        }
    }
}

/// `--period`, checked to be of the report's kind, else the week the clock is in, or the last
/// month or quarter that is over.
pub fn period_of(
    period: Option<&str>,
    kind: &Kind,
    clock: chrono::DateTime<chrono::FixedOffset>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<Period> {
    let today = clock.with_timezone(&tz).date_naive();
    let holding = Period::containing(kind.period, today, tz);
    let Some(p) = period else {
        // A week's document is the Friday mail, the week so far. A month's or a quarter's is
        // sent once it is over: the last one that is, said so; the one so far needs --period.
        if kind.period == PeriodKind::Week || clock.timestamp() >= holding.end {
            return Ok(holding);
        }
        let last = holding.previous(tz);
        eprintln!(
            "no --period: {}, the last {} that is over (give --period {} for the one so far)",
            last.label,
            kind.period.noun(),
            holding.label
        );
        return Ok(last);
    };
    let period = Period::parse(p, tz).map_err(|e| anyhow::anyhow!("--period: {e}"))?;
    if period.kind != kind.period {
        bail!(
            "--period {p}: the {} report is for {}",
            kind.name,
            kind.example
        );
    }
    // A period that has not begun has no figure at all: its report would be one of dashes.
    if clock.timestamp() < period.start {
        bail!(
            "--period {p}: {} has not begun (as of {}); the {} so far is {}",
            period.label,
            clock.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            kind.period.noun(),
            holding.label
        );
    }
    Ok(period)
}

/// The figures of every audience for a run of documents (`what`: PDF, mail), or the errors of
/// the data and its settings that stop it.
pub fn report_source<'a>(
    run: site::Run<'a>,
    internal: bool,
    customers: &[&str],
    what: &'static str,
) -> anyhow::Result<ReportSource<'a>> {
    ReportSource::compute(run, internal, customers, what).map_err(|d| stopped(&d, "the data", what))
}

/// The errors (printed, errors first) that keep a run from writing its documents: those of
/// site.yaml, the data, the templates and the report's own commentary. A broken page elsewhere
/// is `build`'s and `check`'s business.
pub fn stopped(problems: &crate::error::Diagnostics, whose: &str, what: &str) -> anyhow::Error {
    let errors: Vec<&Diagnostic> = problems.iter().filter(|d| d.is_error()).collect();
    for e in &errors {
        eprintln!("{e}");
    }
    match errors.len() {
        0 => anyhow::anyhow!("{whose}: nothing to report; no {what} written"),
        n => anyhow::anyhow!(
            "{whose} has {n} error{} (above); no {what} written",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// The report of `label`, or the periods there are, so the reader knows what to give instead.
pub fn no_report(
    view: Option<ReportPageView>,
    reports: &ReportSource,
    kind: &Kind,
    label: &str,
    period_guessed: bool,
) -> anyhow::Result<ReportPageView> {
    if let Some(v) = view {
        return Ok(v);
    }
    let range = reports_range(reports, kind, label);
    let hint = if period_guessed {
        " (give --period)"
    } else {
        ""
    };
    bail!("no data for {label}: {range}; nothing written{hint}")
}

/// Which reports of `kind` the site has, said for a period `label` it has none of.
pub fn reports_range(reports: &ReportSource, kind: &Kind, label: &str) -> String {
    let name = kind.name;
    let published = reports.published(kind.period);
    match (published.first(), published.last()) {
        // Before where the site's data starts (`covers`), a period is no period of the site.
        (Some(a), Some(_))
            if label < a.period.label.as_str() && reports.tickets_covered_from().is_some() =>
        {
            format!(
                "the site's {name} reports start at {} (data.tickets.covers.from is {})",
                a.period.label,
                reports
                    .tickets_covered_from()
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            )
        }
        (Some(a), Some(b)) => format!(
            "the data has {name} reports from {} to {}",
            a.period.label, b.period.label
        ),
        _ => format!("there are no {name} reports (are they off under `reports:`?)"),
    }
}
