//! Report pages (weekly status, monthly KPI review, quarterly review): the typed layer between
//! the KPI engine and rendering. `compute` asks the engine once for every period published and
//! keeps the results; `views` turns them into what templates show (formatted numbers, charts).
//! Nothing here reads files or renders templates.

pub mod commentary;
pub mod customers;
pub mod figure;
pub mod index;
pub mod labels;
pub mod outline;
pub mod page_view;
pub mod report_page;
mod review;
pub mod rows;
pub mod snapshot;
pub mod status;
pub mod status_notes;
pub mod status_view;
pub mod style;
pub mod tables;
pub mod terms;
pub mod ticket_rows;
pub mod views;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rayon::prelude::*;

use crate::config::reports::{ReportKinds, TicketList};
use crate::data::Loaded;
use crate::kpi::details::{BreachedTicket, HandledTicket, IndicatorGuide, OutageItem};
use crate::kpi::period::{Period, PeriodKind};
use crate::kpi::report::PeriodReport;
use crate::kpi::Engine;

/// Everything the report pages of one build show.
#[derive(Clone)]
pub struct ReportSet {
    pub as_of: i64,
    pub tz: Tz,
    /// Chronological, per kind.
    pub weeks: Vec<PeriodData>,
    pub months: Vec<PeriodData>,
    pub quarters: Vec<PeriodData>,
    pub urls: ReportKinds,
    /// Which periods get pages (months are computed for quarters and trends even when their
    /// own pages are off).
    pub publish: [bool; 3],
    /// What the figures were computed from.
    pub data: Arc<Loaded>,
    /// Indicator id → target, alert (KPI units) and good direction.
    pub indicator_guides: BTreeMap<String, IndicatorGuide>,
    /// The site's availability target (percent), and each service's own where it has one
    /// (`availability_target_of`).
    pub availability_target: f64,
    pub availability_targets: BTreeMap<String, f64>,
    /// What the report states of the terms it measures against: the SLA targets in words,
    /// and a customer's contracts with the days they are in force.
    pub terms: terms::Terms,
    /// `fiscal_year_start` from `site.yaml`: how quarters are named.
    pub fiscal_year_start: u32,
    /// `labels:` from `site.yaml`.
    pub labels: crate::config::labels::LabelsConfig,
    /// `priority_levels:` from `site.yaml`: the levels the tables list, in order.
    pub priority_levels: crate::kpi::tables::PriorityLevels,
    /// `numbers:` from `site.yaml`: how every figure of these reports is written.
    pub numbers: crate::kpi::numbers::Numbers,
    /// Whether the services table shows the error budget (`reports.error_budget`): always on
    /// the internal site, on a customer's only with `all`.
    pub error_budget: bool,
    /// Each customer edition's own reports (the internal site's set only): the editions are
    /// built from them and the internal monthly review compares them.
    pub customers: Vec<CustomerReports>,
    /// The customer whose tickets alone these reports count (an edition, a customer's mail):
    /// its pages need not name it on every ticket.
    pub customer: Option<String>,
    /// That customer's slug, when it has an entry under `customers:` (its files are named by it).
    pub customer_slug: Option<String>,
    /// `reports.workbook_name`: the pattern a report's workbook is saved under.
    pub workbook_name: Option<String>,
    /// `reports.top_categories`: how many categories and tiers a volume chart names.
    pub top_categories: usize,
    /// The status page's figures (None: no outage export, or `reports.status: false`).
    pub status: Option<status::StatusBoard>,
    /// A customer's set only: everything its figures are computed from (its rows, its
    /// indicators, the site's periods, the clock) hashed, so a build can tell that a customer's
    /// edition would show what its last build showed without computing it again.
    pub inputs: Option<String>,
}

/// One customer edition's reports, computed on that customer's tickets alone.
#[derive(Clone)]
pub struct CustomerReports {
    pub slug: String,
    pub name: String,
    /// The contract whose targets apply to the customer.
    pub contract: String,
    /// The edition's address (its report pages are there).
    pub base_url: String,
    pub set: Arc<ReportSet>,
}

/// One period's figures and the lists that come with them.
#[derive(Clone)]
pub struct PeriodData {
    pub period: Period,
    /// Site path of its page.
    pub url: String,
    /// The period ended before `as_of`.
    pub complete: bool,
    /// Set when its figures come from a snapshot under `data/snapshots/` (`opsite freeze`).
    pub snapshot: Option<snapshot::SnapshotMeta>,
    pub report: PeriodReport,
    /// The period before, for changes (computed even before the data starts: then all empty).
    pub previous: PeriodReport,
    /// The breached tickets it lists (`reports.<kind>.ticket_list: breached`).
    pub breaches: Vec<BreachedTicket>,
    /// Every ticket it handled (`ticket_list: all`).
    pub handled: Vec<HandledTicket>,
    pub outages: Vec<OutageItem>,
    /// Months: availability per service and day.
    pub daily: Vec<(String, Vec<(NaiveDate, Option<f64>)>)>,
    /// Months: the recurring maintenance windows of `availability.maintenance` in the period
    /// (every service's), for the calendars' marks.
    pub maintenance: Vec<(i64, i64)>,
}

impl ReportSet {
    /// The same figures with their pages under `prefix` (`/en`): a bilingual site's other
    /// language shows the reports computed once, at its own addresses.
    pub fn relocated(&self, prefix: &str) -> ReportSet {
        let mut set = self.clone();
        let moved = |u: &mut String| {
            if u.starts_with('/') {
                *u = format!("{prefix}{u}");
            }
        };
        for pattern in [
            &mut set.urls.weekly,
            &mut set.urls.monthly,
            &mut set.urls.quarterly,
        ]
        .into_iter()
        .flatten()
        {
            moved(pattern);
        }
        for p in set
            .weeks
            .iter_mut()
            .chain(&mut set.months)
            .chain(&mut set.quarters)
        {
            moved(&mut p.url);
        }
        if let Some(board) = &mut set.status {
            board.relocate(prefix);
        }
        set
    }

    /// A period's name as people say it, in `language` (「2026年11月第3週（11/16〜11/22）」).
    pub fn period_name(&self, period: &Period, language: &str) -> String {
        crate::i18n::periods::period_name(
            period,
            crate::i18n::Lang::of(language),
            self.fiscal_year_start,
        )
    }

    /// The availability target of `service` (percent): its own, else the site's.
    pub fn availability_target_of(&self, service: &str) -> f64 {
        (self.availability_targets.get(service).copied()).unwrap_or(self.availability_target)
    }

    pub fn month(&self, label: &str) -> Option<&PeriodData> {
        self.months
            .binary_search_by(|m| m.period.label.as_str().cmp(label))
            .ok()
            .map(|i| &self.months[i])
    }

    /// Which tickets `kind`'s reports list (`reports.<kind>.ticket_list`).
    pub fn ticket_list(&self, kind: PeriodKind) -> TicketList {
        self.urls.ticket_lists[match kind {
            PeriodKind::Week => 0,
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 2,
        }]
    }

    /// The URL pattern of `kind`'s pages, when they are published.
    pub fn urls_for(&self, kind: PeriodKind) -> Option<&str> {
        match kind {
            PeriodKind::Week => self.urls.weekly.as_deref(),
            PeriodKind::Month => self.urls.monthly.as_deref(),
            PeriodKind::Quarter => self.urls.quarterly.as_deref(),
        }
    }

    /// Published pages of one kind, chronological.
    pub fn published(&self, kind: PeriodKind) -> &[PeriodData] {
        let (list, on) = match kind {
            PeriodKind::Week => (&self.weeks, self.publish[0]),
            PeriodKind::Month => (&self.months, self.publish[1]),
            PeriodKind::Quarter => (&self.quarters, self.publish[2]),
        };
        if on {
            list
        } else {
            &[]
        }
    }
}

/// The site path of a period's page.
pub fn period_url(pattern: &str, label: &str) -> String {
    pattern.replace("{period}", label)
}

/// Every week, month and quarter that has data up to `as_of`, with its report, the report of
/// the period before, and its breached tickets and outages. Each window is computed once.
pub fn compute(engine: &Engine, urls: &ReportKinds, as_of: i64, data: Arc<Loaded>) -> ReportSet {
    compute_over(engine, engine.all_periods(as_of), urls, as_of, data)
}

/// As `compute`, for the periods given: one customer's reports cover the periods the site's
/// data has, including those in which that customer had no ticket.
pub fn compute_over(
    engine: &Engine,
    periods: Vec<Period>,
    urls: &ReportKinds,
    as_of: i64,
    data: Arc<Loaded>,
) -> ReportSet {
    let publish = [
        urls.weekly.is_some(),
        urls.monthly.is_some(),
        urls.quarterly.is_some(),
    ];
    let wanted = |k: PeriodKind| match k {
        PeriodKind::Week => publish[0],
        PeriodKind::Month => publish[1] || publish[2],
        PeriodKind::Quarter => publish[2],
    };
    let periods: Vec<Period> = periods.into_iter().filter(|p| wanted(p.kind)).collect();
    let mut requests: Vec<(Period, i64)> = Vec::with_capacity(periods.len() * 2);
    for p in &periods {
        requests.push((p.clone(), as_of));
        requests.push((p.previous(engine.tz), as_of));
    }
    let mut reports = engine.reports(&requests).into_iter();
    let mut pairs = Vec::with_capacity(periods.len());
    for p in &periods {
        let (Some(r), Some(mut prev)) = (reports.next(), reports.next()) else {
            break;
        };
        // A period before `data.tickets.covers.from` is no period of the site: the first
        // covered one has nothing to be compared with.
        if !engine.covered(&p.previous(engine.tz)) {
            prev.kpis.clear();
            prev.indicators.clear();
        }
        pairs.push((r, prev));
    }
    let services: Vec<String> = engine.services().iter().map(|s| s.to_string()).collect();
    let all: Vec<PeriodData> = periods
        .into_par_iter()
        .zip(pairs)
        .map(|(period, (report, previous))| {
            let cut = period.end.min(as_of).max(period.start);
            let (pattern, list) = match period.kind {
                PeriodKind::Week => (&urls.weekly, urls.ticket_lists[0]),
                PeriodKind::Month => (&urls.monthly, urls.ticket_lists[1]),
                PeriodKind::Quarter => (&urls.quarterly, urls.ticket_lists[2]),
            };
            let maintenance = if period.kind == PeriodKind::Month {
                engine.maintenance_in(period.start, cut)
            } else {
                Vec::new()
            };
            let daily = if period.kind == PeriodKind::Month {
                services
                    .iter()
                    .map(|s| {
                        (
                            s.clone(),
                            engine.daily_availability(s, period.first_day, period.end_day, cut),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            PeriodData {
                url: pattern
                    .as_deref()
                    .map(|p| period_url(p, &period.label))
                    .unwrap_or_default(),
                complete: as_of >= period.end,
                snapshot: None,
                breaches: match list {
                    TicketList::Breached => engine.breached_tickets(period.start, cut),
                    _ => Vec::new(),
                },
                handled: match list {
                    TicketList::All => engine.handled_tickets(period.start, cut),
                    _ => Vec::new(),
                },
                outages: engine.outages_in(period.start, cut),
                daily,
                maintenance,
                report,
                previous,
                period,
            }
        })
        .collect();
    let (mut weeks, mut months, mut quarters) = (Vec::new(), Vec::new(), Vec::new());
    for d in all {
        match d.period.kind {
            PeriodKind::Week => weeks.push(d),
            PeriodKind::Month => months.push(d),
            PeriodKind::Quarter => quarters.push(d),
        }
    }
    for list in [&mut weeks, &mut months, &mut quarters] {
        list.sort_by_key(|d| d.period.start);
    }
    ReportSet {
        as_of,
        tz: engine.tz,
        weeks,
        months,
        quarters,
        urls: urls.clone(),
        publish,
        indicator_guides: engine.indicator_guides(),
        availability_target: engine.availability_target(),
        availability_targets: engine.availability_targets(),
        terms: Default::default(),
        fiscal_year_start: 1,
        labels: Default::default(),
        priority_levels: engine.priority_levels().clone(),
        numbers: engine.numbers(),
        error_budget: true,
        customers: Vec::new(),
        customer: None,
        customer_slug: None,
        workbook_name: None,
        inputs: None,
        top_categories: crate::config::reports::TOP_CATEGORIES,
        status: None,
        data,
    }
}
/// What the search index reads of a report page: its body as rendered (none when the page was
/// kept from the last build: the search stage renders it when its shard is made again), and
/// what the index read of a kept page when the last build recorded it.
#[derive(Debug, Clone, Default)]
pub struct ReportBody {
    pub html: Option<String>,
    pub indexed: Option<crate::output_file::IndexedText>,
}

/// The report pages of a build, ready for rendering.
#[derive(Default)]
pub struct ReportPages {
    pub pages: Vec<report_page::ReportPage>,
    pub indexes: Vec<index::ReportIndexView>,
    /// The latest report of each kind (for the home page).
    pub latest: Vec<index::KindLink>,
    /// The status page, with `status.json` beside it.
    pub status: Option<(status_view::StatusPageView, serde_json::Value)>,
}

impl ReportPages {
    /// Every site path these pages are published at.
    pub fn urls(&self) -> Vec<String> {
        self.pages
            .iter()
            .map(|p| p.url.clone())
            .chain(self.indexes.iter().map(|i| i.url.clone()))
            .chain(self.status.iter().map(|(s, _)| s.url.clone()))
            .collect()
    }
}

/// Guide lines of the first indicator on `kpi`, if any.
pub fn guides_for(set: &ReportSet, r: &PeriodReport, kpi: &str) -> crate::charts::Guides {
    r.indicators
        .iter()
        .find(|i| i.kpi == kpi)
        .and_then(|i| set.indicator_guides.get(&i.id))
        .map_or(crate::charts::Guides::default(), |g| {
            crate::charts::Guides {
                target: Some(g.target),
                alert: g.alert,
            }
        })
}
