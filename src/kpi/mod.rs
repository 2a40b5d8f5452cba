//! The KPI engine: pure functions from typed tables and configuration to typed per-period
//! results. No files, no templates. Each rule lives in its own module and is tested there.

pub mod api;
pub mod availability;
pub mod calendar;
pub mod contracts;
pub mod coverage;
pub mod details;
pub mod explain;
pub mod fxhash;
pub mod holidays;
pub mod indicators;
pub mod intervals;
pub mod metrics;
pub mod numbers;
pub mod outcomes;
pub mod period;
pub mod radix;
pub mod report;
pub mod sla;
pub mod stats;
pub mod surveys;
pub mod tables;
mod time_lists;
mod values;
pub mod zone;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use rayon::prelude::*;

use availability::Maintenance;
use calendar::{BusinessCalendar, Calendar};
use indicators::Condition;
use period::Period;
use report::{IndicatorResult, Kpi, PeriodReport, Unit};
use tables::DataSet;

use crate::config::keys::{path_text, Step};
use crate::config::kpi::KpiConfig;

/// Test helper shared by the rule modules: `2026-11-20T17:30` in Japan as UTC seconds.
#[cfg(test)]
pub(crate) mod test_time {
    pub fn jst(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(&format!("{s}:00+09:00"))
            .unwrap()
            .timestamp()
    }
}

/// A mistake in the KPI part of `site.yaml`: the keys that hold it (so the command can name its
/// line) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub keys: Vec<Step>,
    pub message: String,
}

impl ConfigError {
    pub fn at(keys: &[&str], message: impl Into<String>) -> ConfigError {
        ConfigError {
            keys: keys
                .iter()
                .map(|k| match k.parse::<usize>() {
                    Ok(i) => Step::Index(i),
                    Err(_) => Step::Key(k.to_string()),
                })
                .collect(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", path_text(&self.keys), self.message)
    }
}

/// Everything that does not depend on the period, computed once (clocks, sorted event times).
pub struct Engine<'a> {
    config: &'a KpiConfig,
    data: &'a DataSet,
    pub tz: Tz,
    clocks: sla::Clocks,
    /// The targets of each set of terms (a contract's, or the site's alone), for how late a
    /// breached clock is on its own calendar.
    targets: Vec<contracts::Targets>,
    /// Per-customer tickets (with contracts only).
    customers: Vec<contracts::CustomerLists>,
    metrics: Option<metrics::MetricIndex>,
    /// Reopens and first-contact resolutions, by resolution (mapped fields only).
    outcomes: outcomes::Outcomes,
    /// Opening and resolution times, sorted, per priority.
    opened: time_lists::PerPriority,
    resolved: time_lists::PerPriority,
    /// (responded_at, minutes from opened), sorted.
    response_times: time_lists::Durations,
    resolution_times: time_lists::Durations,
    by_category: BTreeMap<String, Vec<i64>>,
    by_tier: BTreeMap<String, Vec<i64>>,
    maintenance: Vec<Maintenance>,
    services: BTreeSet<String>,
    indicators: Vec<(Condition, Option<Condition>)>,
    /// What the exports cover: which periods exist, which KPIs are gaps, where availability
    /// starts.
    coverage: coverage::Coverage,
    /// `data.tickets.covers.from` as an instant: periods ending by then are not the site's.
    tickets_from: Option<i64>,
    /// `kpi_units` and its hash (`units_and_digest`).
    units: std::sync::OnceLock<(BTreeMap<String, Unit>, [u8; 32])>,
}

/// SLA attainment with its counts.
pub(crate) fn sla_kpi(c: sla::SlaCounts) -> Kpi {
    let mut kpi = Kpi::new(c.attainment(), Unit::Ratio);
    kpi.met = Some(c.met);
    kpi.breached = Some(c.breached);
    kpi.pending = Some(c.pending);
    kpi
}

/// `BusinessCalendar::from_config`, made once a run for the same configuration, time zone and
/// holiday files: every customer's engine of an MSP's build has the site's calendars, and
/// making one (its holidays over the years) was a tenth of a rebuild at 100 customers.
fn business_calendar(
    config: &crate::config::kpi::CalendarConfig,
    tz: Tz,
    files: &BTreeMap<String, Vec<NaiveDate>>,
) -> Result<std::sync::Arc<BusinessCalendar>, calendar::CalendarError> {
    use std::sync::{Arc, LazyLock, Mutex};
    type Made = Mutex<std::collections::HashMap<blake3::Hash, Arc<BusinessCalendar>>>;
    static MADE: LazyLock<Made> = LazyLock::new(Default::default);
    let mut h = blake3::Hasher::new();
    crate::digest::hash_debug(&mut h, &(config, tz.name(), files));
    let key = h.finalize();
    let made = |m: &Made| {
        m.lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned()
    };
    if let Some(cal) = made(&MADE) {
        return Ok(cal);
    }
    let cal = Arc::new(BusinessCalendar::from_config(config, tz, files)?);
    let mut all = MADE.lock().unwrap_or_else(|e| e.into_inner());
    // A preview that runs for days sees holiday files edited: a few calendars are enough.
    if all.len() >= 16 {
        all.clear();
    }
    all.insert(key, cal.clone());
    Ok(cal)
}

/// The calendars of the configuration by name (`always` built in), and their mistakes; a
/// calendar with a mistake is `always` so it is reported once, not at every target naming it.
pub(crate) fn calendars<'c>(
    config: &'c KpiConfig,
    tz: Tz,
    data: &DataSet,
) -> (BTreeMap<&'c str, Calendar>, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let mut calendars: BTreeMap<&str, Calendar> = BTreeMap::from([("always", Calendar::Always)]);
    for (name, c) in &config.calendars {
        match business_calendar(c, tz, &data.holiday_files) {
            Ok(cal) => {
                calendars.insert(name.as_str(), Calendar::Business(cal));
            }
            Err(e) => {
                let mut keys = vec!["calendars", name.as_str()];
                keys.extend(e.keys.iter().map(String::as_str));
                errors.push(ConfigError::at(&keys, e.message));
                calendars.insert(name.as_str(), Calendar::Always);
            }
        }
    }
    (calendars, errors)
}

/// Paused intervals per ticket, once per distinct list of paused statuses, and which of them
/// each list uses.
type Pauses = std::collections::HashMap<String, Vec<intervals::Interval>>;

fn pause_sets(
    events: Option<&tables::StatusEvents>,
    lists: &[Vec<String>],
) -> (Vec<Pauses>, Vec<usize>) {
    let mut distinct: Vec<&Vec<String>> = Vec::new();
    let mut index = Vec::new();
    for list in lists {
        match distinct.iter().position(|l| *l == list) {
            Some(i) => index.push(i),
            None => {
                index.push(distinct.len());
                distinct.push(list);
            }
        }
    }
    let sets = distinct
        .into_iter()
        .map(|list| match events {
            Some(ev) => sla::pauses(ev, list),
            None => Pauses::default(),
        })
        .collect();
    (sets, index)
}

pub(crate) fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    radix::sort_i64(&mut v);
    v
}

pub(crate) fn in_range(v: &[i64], start: i64, cut: i64) -> u64 {
    (v.partition_point(|&t| t < cut) - v.partition_point(|&t| t < start)) as u64
}

impl<'a> Engine<'a> {
    /// The site's priority levels (`priority_levels:`).
    pub fn priority_levels(&self) -> &tables::PriorityLevels {
        &self.config.priority_levels
    }

    /// How the site writes figures for people (`numbers:`).
    pub fn numbers(&self) -> numbers::Numbers {
        self.config.numbers
    }

    pub fn new(config: &'a KpiConfig, data: &'a DataSet) -> Result<Engine<'a>, Vec<ConfigError>> {
        let mut engine = Engine::build(config, data)?;
        engine.resolve_indicators()?;
        Ok(engine)
    }

    /// Everything period-independent. Every mistake in the KPI configuration is collected, so a
    /// user fixes them in one round.
    fn build(config: &'a KpiConfig, data: &'a DataSet) -> Result<Engine<'a>, Vec<ConfigError>> {
        let tz = crate::timezone::parse(&config.timezone).map_err(|e| {
            vec![ConfigError::at(
                &["timezone"],
                e.trim_start_matches("timezone: "),
            )]
        })?;
        let (calendars, mut errors) = calendars(config, tz, data);
        let t = &data.tickets;
        let terms = match contracts::terms(config, &calendars, t) {
            Ok(terms) => terms,
            Err(mut e) => {
                errors.append(&mut e);
                // No clocks to decide: the run stops after collecting the other mistakes.
                contracts::Terms {
                    targets: vec![Default::default()],
                    pause_statuses: vec![Vec::new()],
                    of_ticket: vec![0; t.len()],
                }
            }
        };
        let (pause_lists, pause_of) = pause_sets(data.events.as_ref(), &terms.pause_statuses);
        let pauses: Vec<&Pauses> = pause_of.iter().map(|&i| &pause_lists[i]).collect();
        let per_customer = !config.contracts.is_empty();
        // One after the other, though independent: the clocks' working memory is given back
        // before the lists take theirs (side by side, 10 M tickets peaked 300 MB higher).
        let opened = time_lists::opened(t, &config.priority_levels);
        let clocks = sla::clocks(
            t,
            &terms.targets,
            &pauses,
            &terms.of_ticket,
            (&opened, per_customer),
        );
        let lists = time_lists::build(t, opened, &config.priority_levels);
        let mapped =
            |field: &str| (config.data.tickets.as_ref()).is_some_and(|s| s.is_mapped(field));
        let outcome_fields = (mapped("reopened_at"), mapped("first_contact"));
        let outcomes = outcomes::Outcomes::of(t, outcome_fields.0, outcome_fields.1);
        let customers = if per_customer {
            contracts::customer_lists(t, &config.contracts, outcome_fields)
        } else {
            Vec::new()
        };
        let mut maintenance = Vec::new();
        for (n, m) in config.availability.maintenance.iter().enumerate() {
            match Maintenance::from_config(m) {
                Ok(m) => maintenance.push(m),
                Err(e) => errors.push(ConfigError::at(
                    &["availability", "maintenance", &n.to_string()],
                    e,
                )),
            }
        }
        let mut services: BTreeSet<String> = config.availability.services.iter().cloned().collect();
        if let Some(d) = &data.downtime {
            services.extend(d.service.iter().cloned());
        }
        let mut indicators = Vec::new();
        for (n, i) in config.indicators.iter().enumerate() {
            let n = n.to_string();
            let target = Condition::parse(&i.target)
                .map_err(|e| errors.push(ConfigError::at(&["indicators", &n, "target"], e)));
            let alert = i
                .alert
                .as_deref()
                .map(Condition::parse)
                .transpose()
                .map_err(|e| errors.push(ConfigError::at(&["indicators", &n, "alert"], e)));
            if let (Ok(target), Ok(alert)) = (target, alert) {
                indicators.push((target, alert));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let metrics = data.metrics.as_ref().map(metrics::MetricIndex::new);
        let zone = zone::LocalZone::shared(tz);
        let covers_from = (config.data.downtime.as_ref())
            .and_then(|d| d.covers.as_ref())
            .map(|c| zone.to_utc(c.from.and_hms_opt(0, 0, 0).expect("midnight")));
        let first_opened = lists.opened.first();
        let tickets_from = (config.data.tickets.as_ref())
            .and_then(|t| t.covers.as_ref())
            .map(|c| zone.to_utc(c.from.and_hms_opt(0, 0, 0).expect("midnight")));
        let coverage = coverage::Coverage::new(
            data,
            &zone,
            covers_from,
            first_opened,
            metrics.as_ref().and_then(|m| m.first()),
        );
        Ok(Engine {
            config,
            data,
            tz,
            clocks,
            targets: terms.targets,
            customers,
            metrics,
            coverage,
            tickets_from,
            outcomes,
            opened: lists.opened,
            resolved: lists.resolved,
            response_times: lists.response_times,
            resolution_times: lists.resolution_times,
            by_category: lists.by_category,
            by_tier: lists.by_tier,
            maintenance,
            services,
            indicators,
            units: std::sync::OnceLock::new(),
        })
    }

    /// Every KPI id this data yields (`availability.<service>`, `metric.*` … depend on it).
    pub fn kpi_units(&self) -> BTreeMap<String, Unit> {
        self.units_and_digest().0.clone()
    }

    /// A hash of `kpi_units`, for keys of what is computed from them.
    pub fn kpi_units_digest(&self) -> [u8; 32] {
        self.units_and_digest().1
    }

    /// `kpi_units` and its hash, worked out the first time either is asked for: every
    /// customer's figures start from the site's.
    fn units_and_digest(&self) -> &(BTreeMap<String, Unit>, [u8; 32]) {
        self.units.get_or_init(|| {
            let units: BTreeMap<String, Unit> = (self.values(0, 0).into_iter())
                .map(|(id, k)| (id, k.unit))
                .collect();
            let mut h = blake3::Hasher::new();
            crate::digest::hash_debug(&mut h, &units);
            (units, *h.finalize().as_bytes())
        })
    }

    /// Check each indicator's KPI id against the data and put its target and alert in the KPI's
    /// unit. All mistakes are reported together, each with close matches for an unknown id.
    /// An engine over part of the data (`opsite kpi --customer`): indicators were checked
    /// against the whole data (`known`), so one whose KPI is out of scope shows `no_data`.
    pub fn new_scoped(
        config: &'a KpiConfig,
        data: &'a DataSet,
        known: &BTreeMap<String, Unit>,
        site: &Engine,
    ) -> Result<Engine<'a>, Vec<ConfigError>> {
        let mut engine = Engine::build(config, data)?;
        engine.customers.clear();
        // What the exports cover is the site's: availability counts from the site's first row,
        // not from this customer's first ticket (a service's month is the same for everyone).
        engine.coverage.from = site.coverage.from;
        engine.resolve_indicators_with(known)?;
        Ok(engine)
    }

    /// Customers of the data and of the contracts (for `--customer`).
    /// The services of `availability.services` and the outage export.
    pub fn service_names(&self) -> Vec<&str> {
        self.services.iter().map(String::as_str).collect()
    }

    pub fn customer_names(&self) -> Vec<&str> {
        self.customers.iter().map(|c| c.name.as_str()).collect()
    }

    fn resolve_indicators(&mut self) -> Result<(), Vec<ConfigError>> {
        if self.indicators.is_empty() {
            return Ok(());
        }
        let units = self.kpi_units();
        self.resolve_indicators_with(&units)
    }

    fn resolve_indicators_with(
        &mut self,
        units: &BTreeMap<String, Unit>,
    ) -> Result<(), Vec<ConfigError>> {
        indicators::resolve(
            &self.config.indicators,
            &mut self.indicators,
            units,
            &self.config.priority_levels,
        )
    }

    fn local_day(&self, t: i64) -> NaiveDate {
        self.tz
            .timestamp_opt(t, 0)
            .single()
            .map(|d| d.date_naive())
            .unwrap_or_default()
    }

    /// API usage is daily: a day belongs to the period when it starts before the cut.
    fn api_figures(&self, u: &tables::ApiUsage, start: i64, cut: i64) -> api::ApiFigures {
        let first = self.local_day(start);
        let last_day = self.local_day(cut - 1);
        let end = last_day.succ_opt().unwrap_or(last_day);
        api::figures(u, first, end, self.config.api.daily_budget)
    }

    /// The report of one period as of `as_of` (cut = min(end, as_of)).
    pub fn report(&self, period: &Period, as_of: i64) -> PeriodReport {
        self.reports(&[(period.clone(), as_of)])
            .pop()
            .expect("one report")
    }

    /// Reports for several (period, as_of) pairs. Each distinct window is computed once, in
    /// parallel: with `--period all` a period's "previous" is usually another requested period.
    pub fn reports(&self, requests: &[(Period, i64)]) -> Vec<PeriodReport> {
        let needs_previous = !self.config.indicators.is_empty();
        let window = |p: &Period, as_of: i64| (p.start, p.end.min(as_of).max(p.start));
        let mut windows: Vec<(i64, i64)> = Vec::new();
        for (p, as_of) in requests {
            windows.push(window(p, *as_of));
            if needs_previous {
                windows.push(window(&p.previous(self.tz), *as_of));
            }
        }
        windows.sort_unstable();
        windows.dedup();
        let values: std::collections::HashMap<(i64, i64), BTreeMap<String, Kpi>> = windows
            .into_par_iter()
            .map(|w| (w, self.values(w.0, w.1)))
            .collect();
        requests
            .iter()
            .map(|(p, as_of)| {
                self.assemble_report(
                    p,
                    *as_of,
                    &values[&window(p, *as_of)],
                    needs_previous.then(|| &values[&window(&p.previous(self.tz), *as_of)]),
                )
            })
            .collect()
    }

    fn assemble_report(
        &self,
        period: &Period,
        as_of: i64,
        kpis: &BTreeMap<String, Kpi>,
        prev_kpis: Option<&BTreeMap<String, Kpi>>,
    ) -> PeriodReport {
        let cut = period.end.min(as_of).max(period.start);
        let empty = BTreeMap::new();
        let prev_kpis = prev_kpis.unwrap_or(&empty);
        let indicators = self
            .config
            .indicators
            .iter()
            .zip(&self.indicators)
            .map(|(cfg, (target, alert))| {
                let value = kpis.get(&cfg.kpi).and_then(|k| k.value);
                let previous = prev_kpis.get(&cfg.kpi).and_then(|k| k.value);
                IndicatorResult {
                    id: cfg.id.clone(),
                    name: cfg.name.clone(),
                    kpi: cfg.kpi.clone(),
                    unit: kpis.get(&cfg.kpi).map_or(Unit::Number, |k| k.unit),
                    value,
                    target: cfg.target.clone(),
                    alert: cfg.alert.clone(),
                    status: indicators::status(value, target, alert.as_ref()),
                    previous,
                    change: value.zip(previous).map(|(v, p)| v - p),
                }
            })
            .collect();
        let alerts = match &self.data.api {
            Some(u) => self.api_figures(u, period.start, cut).alerts,
            None => Vec::new(),
        };
        let fmt = |t: i64| {
            self.tz
                .timestamp_opt(t, 0)
                .single()
                .map(|d| d.to_rfc3339())
                .unwrap_or_default()
        };
        PeriodReport {
            period: period.label.clone(),
            customer: None,
            start: fmt(period.start),
            end: fmt(period.end),
            as_of: fmt(as_of),
            data_from: (self.coverage.from)
                .filter(|&from| from > period.start && from < cut)
                .map(fmt),
            kpis: kpis.clone(),
            indicators,
            alerts,
        }
    }

    /// Every week, month and quarter that some source has a row in (a ticket opened,
    /// responded to or resolved, an outage, a survey, an API day, a metric sample) or that a
    /// ticket is open across, up to `as_of`. Months in which nothing was exported are left out.
    pub fn all_periods(&self, as_of: i64) -> Vec<Period> {
        let d = self.data;
        let ends = [
            self.opened.first(),
            self.opened.last(),
            self.resolved.last(),
        ];
        let times = (ends.iter().flatten())
            .chain(d.downtime.iter().flat_map(|o| o.start.iter()))
            .chain(d.surveys.iter().flat_map(|s| s.at.iter()))
            .chain(d.metrics.iter().flat_map(|m| m.at.iter()));
        let (first, last) = times.fold((None, None), |(lo, hi): (Option<i64>, Option<i64>), &x| {
            (
                Some(lo.map_or(x, |l| l.min(x))),
                Some(hi.map_or(x, |h| h.max(x))),
            )
        });
        let first = first.into_iter().chain(self.api_first()).min();
        let last = last.into_iter().chain(self.api_last()).max();
        match (first, last) {
            (Some(a), Some(b)) => {
                let b = b.min(as_of - 1).max(a);
                // A ticket still open after the last stamp keeps every period up to the cut.
                let b = if self.tickets_in(b + 1, as_of) {
                    (as_of - 1).max(b)
                } else {
                    b
                };
                period::all_between(self.local_day(a), self.local_day(b), self.tz)
                    .into_iter()
                    .filter(|p| self.has_rows(p.start, p.end.min(as_of)) && self.covered(p))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// `p` is a period of the site: it ends after `data.tickets.covers.from` (always, without).
    pub fn covered(&self, p: &Period) -> bool {
        self.tickets_from.is_none_or(|from| p.end > from)
    }

    /// The leading months whose opened tickets are under 5 % of the median month's (a history
    /// that starts with a few migrated tickets), and the first month after them: what `check`
    /// warns about when `data.tickets.covers` is not set. None when the head is not sparse.
    pub fn sparse_head(&self) -> Option<(Vec<Period>, Period)> {
        if self.tickets_from.is_some() {
            return None;
        }
        let (first, last) = (self.opened.first()?, self.opened.last()?);
        let months: Vec<Period> =
            period::all_between(self.local_day(first), self.local_day(last), self.tz)
                .into_iter()
                .filter(|p| p.kind == period::PeriodKind::Month)
                .collect();
        let counts: Vec<u64> = (months.iter())
            .map(|p| self.opened.before(p.end) - self.opened.before(p.start))
            .collect();
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let median = *sorted.get(sorted.len() / 2)?;
        let sparse = counts
            .iter()
            .take_while(|&&n| (n as f64) < 0.05 * median as f64)
            .count();
        (sparse > 0 && sparse < months.len())
            .then(|| (months[..sparse].to_vec(), months[sparse].clone()))
    }

    /// The last day a ticket was opened, when `data.tickets.covers.from` is after it: every
    /// period of the tickets is then uncovered, and the site would have none.
    pub fn covers_past_tickets(&self) -> Option<chrono::NaiveDate> {
        let last = self.opened.last()?;
        (self.tickets_from? > last).then(|| self.local_day(last))
    }

    /// The tickets opened after `clock` (a typo, 2027 for 2026): how many, and the first one's
    /// id and local time. They count in no report until then.
    pub fn opened_after(&self, clock: i64) -> Option<(usize, String, chrono::NaiveDateTime)> {
        let t = &self.data.tickets;
        let (count, first) = t.opened_after(clock)?;
        let at = (self.tz.timestamp_opt(t.opened[first], 0).single())
            .map(|d| d.naive_local())
            .unwrap_or_default();
        Some((count, t.id[first].to_string(), at))
    }

    /// `data.tickets.covers.from`, as written.
    pub fn tickets_covered_from(&self) -> Option<chrono::NaiveDate> {
        (self.config.data.tickets.as_ref())
            .and_then(|t| t.covers.as_ref())
            .map(|c| c.from)
    }

    /// Some source has something in `[start, end)`.
    fn has_rows(&self, start: i64, end: i64) -> bool {
        self.tickets_in(start, end)
            || self.coverage.any_in(start, end)
            || self.metrics.as_ref().is_some_and(|m| m.any_in(start, end))
    }

    /// Some ticket was opened, resolved or open during `[start, end)`.
    fn tickets_in(&self, start: i64, end: i64) -> bool {
        coverage::tickets_in(&self.opened, &self.resolved, start, end)
    }

    fn api_first(&self) -> Option<i64> {
        let day = self.data.api.as_ref()?.date.iter().min()?;
        Some(zone::LocalZone::shared(self.tz).to_utc(day.and_hms_opt(0, 0, 0)?))
    }

    fn api_last(&self) -> Option<i64> {
        let day = self.data.api.as_ref()?.date.iter().max()?;
        Some(zone::LocalZone::shared(self.tz).to_utc(day.and_hms_opt(0, 0, 0)?))
    }
}
