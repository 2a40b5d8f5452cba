//! Figures inside any page: the `kpi`, `indicators`, `chart` and `status` shortcodes and the tera
//! functions of the same names read the build's report set through here (and `escalation` and
//! `oncall` the escalation routes), so a runbook or the
//! home page shows the very numbers of the report pages (frozen ones included). Period
//! references resolve against the computed periods; every mistake is a message a writer can act
//! on, with close matches. No I/O, no templates: views come out, templates lay them out.

pub mod refs;
mod views;

use crate::charts::{self, Chart, SeriesData};
use crate::i18n::labels::Labels;
use crate::i18n::Lang;
use crate::kpi::period::{Period, PeriodError, PeriodKind};
use crate::kpi::report::{Kpi, Unit};
use crate::reports::guides_for;
use crate::reports::labels::words;
use crate::reports::views::{kind_name, local_time, Style, Words};
use crate::reports::{PeriodData, ReportSet};
use refs::PeriodRef;
pub use views::{
    IndicatorsFigure, KpiFigure, MonthFigures, PeriodItem, StatusFigure, StatusService,
};

/// What the build has to show figures from.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Ready(&'a ReportSet),
    /// `site.yaml` has no `data:`.
    NoData,
    /// The data or its KPI settings have errors (reported by the data stage).
    Failed,
}

pub struct Figures<'a> {
    source: Source<'a>,
    language: &'a str,
    words: &'static Words,
    /// The escalation routes, the instant they are shown at and the site's `labels:`.
    routes: Option<&'a crate::escalation::SiteRoutes>,
    as_of: i64,
    labels: Option<&'a crate::config::labels::LabelsConfig>,
}

impl<'a> Figures<'a> {
    pub fn new(source: Source<'a>, language: &'a str) -> Figures<'a> {
        Figures {
            source,
            language,
            words: words(language),
            routes: None,
            as_of: 0,
            labels: None,
        }
    }

    /// The same, showing `routes` as at `as_of`.
    pub fn with_routes(
        mut self,
        routes: &'a crate::escalation::SiteRoutes,
        as_of: i64,
        labels: &'a crate::config::labels::LabelsConfig,
    ) -> Figures<'a> {
        self.routes = Some(routes);
        self.as_of = as_of;
        self.labels = Some(labels);
        self
    }

    fn routes_style<T>(
        &self,
        f: impl FnOnce(&crate::escalation::Routes, &crate::escalation::view::Style) -> Result<T, String>,
    ) -> Result<T, String> {
        let Some(crate::escalation::SiteRoutes::Ready(routes)) = self.routes else {
            return Err(format!("the site has no escalation routes: write them in {} (teams and routes; see the manual, docs/content/en/operations/escalation.md)", crate::escalation::DEFAULT_FILE));
        };
        let lang = Lang::of(self.language);
        let default = crate::config::labels::LabelsConfig::default();
        let labels = Labels::new(self.labels.unwrap_or(&default), lang);
        let style = crate::escalation::view::Style {
            t: self.words,
            labels: &labels,
            lang,
            edition: routes.edition,
        };
        f(routes, &style)
    }

    /// The routes were written with mistakes (reported where they are).
    pub fn routes_failed(&self) -> bool {
        matches!(self.routes, Some(crate::escalation::SiteRoutes::Failed))
    }

    /// The `escalation` shortcode: routes as tables and diagrams (one service's, or all).
    pub fn escalation(
        &self,
        service: Option<&str>,
    ) -> Result<crate::escalation::view::EscalationFigure, String> {
        self.routes_style(|r, s| crate::escalation::view::escalation(r, service, self.as_of, s))
    }

    /// The `oncall` shortcode: who to contact at the build's instant, and until when.
    pub fn oncall(
        &self,
        service: Option<&str>,
    ) -> Result<crate::escalation::view::OnCallFigure, String> {
        self.routes_style(|r, s| crate::escalation::view::oncall(r, service, self.as_of, s))
    }

    fn style(&self) -> Style<'_> {
        let lang = Lang::of(self.language);
        let default = crate::config::labels::LabelsConfig::default();
        let (labels, fiscal_year_start, numbers, levels) = match self.source {
            Source::Ready(set) => (
                &set.labels,
                set.fiscal_year_start,
                set.numbers,
                set.priority_levels.clone(),
            ),
            _ => (&default, 1, Default::default(), Default::default()),
        };
        Style {
            lang,
            t: &self.words,
            labels: Labels::new(labels, lang),
            fiscal_year_start,
            numbers,
            priority_levels: levels,
        }
    }

    /// The site has `data:` (figures may still fail if the data has errors).
    pub fn has_data(&self) -> bool {
        !matches!(self.source, Source::NoData)
    }

    /// The site has data, but it (or its KPI settings) had errors: no figure can be drawn.
    pub fn data_failed(&self) -> bool {
        matches!(self.source, Source::Failed)
    }

    /// The latest month complete at instant `t` that has data (a newsletter's month).
    pub fn month_complete_on(&self, t: i64) -> Result<String, String> {
        let months = self.list(PeriodKind::Month)?;
        months
            .iter()
            .rev()
            .find(|d| d.complete && d.period.end <= t)
            .map(|d| d.period.label.clone())
            .ok_or_else(|| match months.first() {
                Some(first) => format!(
                    "no month of the data had ended by then (the data starts in {})",
                    first.period.label
                ),
                None => "the data has no month yet".into(),
            })
    }

    /// A month's figures for a newsletter: availability per service, tickets resolved, CSAT,
    /// indicator badges.
    pub fn month(&self, period: &str) -> Result<MonthFigures, String> {
        let d = self.period(period)?;
        if d.period.kind != PeriodKind::Month {
            return Err(format!(
                "`{period}` is a {}; a newsletter shows a month (e.g. 2026-10)",
                d.period.kind.noun()
            ));
        }
        let set = self.set()?;
        let style = self.style();
        let (services, indicators) = status_services(set, d, &style);
        Ok(MonthFigures {
            period: d.period.label.clone(),
            url: d.url.clone(),
            note: self.note(d),
            complete: d.complete,
            services,
            resolved: d
                .report
                .kpis
                .get("tickets.resolved")
                .map(|k| style.kpi(Some(k))),
            opened: d
                .report
                .kpis
                .get("tickets.opened")
                .map(|k| style.kpi(Some(k))),
            csat: d
                .report
                .kpis
                .get("csat.mean")
                .filter(|k| k.value.is_some())
                .map(|k| style.kpi(Some(k))),
            indicators,
            t: self.words,
        })
    }

    fn set(&self) -> Result<&'a ReportSet, String> {
        match self.source {
            Source::Ready(s) => Ok(s),
            Source::NoData => Err(
                "figures come from the site's data, and site.yaml has no `data:` section (see the manual, docs/content/en/reports/data.md)"
                    .into(),
            ),
            Source::Failed => {
                Err("no figures: the data could not be loaded (see the errors above)".into())
            }
        }
    }

    /// Every computed period of a kind (months exist for trends even when their pages are off).
    fn list(&self, kind: PeriodKind) -> Result<&'a [PeriodData], String> {
        let set = self.set()?;
        let list = match kind {
            PeriodKind::Week => &set.weeks,
            PeriodKind::Month => &set.months,
            PeriodKind::Quarter => &set.quarters,
        };
        if list.is_empty() && set.urls_for(kind).is_none() {
            return Err(format!(
                "{} figures are off: site.yaml has `reports: {{{}: false}}`",
                kind_name(kind),
                kind_name(kind)
            ));
        }
        Ok(list)
    }

    fn latest(&self, kind: PeriodKind) -> Result<&'a PeriodData, String> {
        let set = self.set()?;
        let list = self.list(kind)?;
        list.iter()
            .rev()
            .find(|d| d.complete)
            .ok_or_else(|| match list.last() {
                Some(d) => format!(
                    "no complete {} in the data yet: {} is not over as of {}",
                    kind.noun(),
                    d.period.label,
                    local_time(set, set.as_of)
                ),
                None => format!("the data has no {} yet", kind.noun()),
            })
    }

    fn labelled(&self, label: &str) -> Result<&'a PeriodData, String> {
        let set = self.set()?;
        let period = Period::parse(label, set.tz).map_err(|e| match e {
            // A page names periods in its own words too (`this month`): the help says which.
            PeriodError::NotAPeriod(_) => format!("`{label}` is not a period: {}", refs::HELP),
            e => e.to_string(),
        })?;
        let list = self.list(period.kind)?;
        list.iter()
            .find(|d| d.period.label == period.label)
            .ok_or_else(|| match (list.first(), list.last()) {
                (Some(a), Some(b)) => format!(
                    "no data for {}: the data has {}s from {} to {}",
                    period.label,
                    period.kind.noun(),
                    a.period.label,
                    b.period.label
                ),
                _ => format!("the data has no {} yet", period.kind.noun()),
            })
    }

    /// One period: a label or `latest-…`.
    pub fn period(&self, text: &str) -> Result<&'a PeriodData, String> {
        match refs::parse(text)? {
            PeriodRef::Label(l) => self.labelled(&l),
            PeriodRef::Latest(k) => self
                .latest(k)
                .map_err(|e| format!("`{}`: {e}", text.trim())),
            PeriodRef::Last(..) => Err(format!(
                "`{text}` names several periods; give one, e.g. latest-month or 2026-11"
            )),
        }
    }

    /// A run of periods, oldest first, each with its data if it has any (a gap otherwise).
    pub fn run(&self, text: &str) -> Result<Vec<(String, Option<&'a PeriodData>)>, String> {
        let (last, n) = match refs::parse(text)? {
            PeriodRef::Last(n, k) => (
                self.latest(k)
                    .map_err(|e| format!("`{}`: {e}", text.trim()))?,
                n,
            ),
            PeriodRef::Label(l) => (self.labelled(&l)?, 1),
            PeriodRef::Latest(k) => (self.latest(k)?, 1),
        };
        let set = self.set()?;
        let list = self.list(last.period.kind)?;
        let mut out = Vec::with_capacity(n);
        let mut p = last.period.clone();
        for _ in 0..n {
            let d = list.iter().find(|d| d.period.label == p.label);
            out.push((p.label.clone(), d));
            p = p.previous(set.tz);
        }
        out.reverse();
        Ok(out)
    }

    /// The KPI `id` in a period; an id no period has is an error with close matches.
    fn kpi_in(&self, id: &str, d: &'a PeriodData) -> Result<Option<&'a Kpi>, String> {
        if let Some(k) = d.report.kpis.get(id) {
            return Ok(Some(k));
        }
        let set = self.set()?;
        let everywhere = || set.months.iter().chain(&set.weeks).chain(&set.quarters);
        if everywhere().any(|p| p.report.kpis.contains_key(id)) {
            return Ok(None);
        }
        let mut known: Vec<&str> = everywhere()
            .flat_map(|p| p.report.kpis.keys().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        Err(unknown_kpi(id, &known))
    }

    fn note(&self, d: &PeriodData) -> String {
        let set = self.set().expect("a period came from the set");
        let as_of = local_time(set, set.as_of.min(d.period.end));
        let mut note = d.period.label.clone();
        if !d.complete {
            note.push_str(&format!(
                " ({} {as_of}, {})",
                self.words.as_of, self.words.incomplete
            ));
        }
        if d.snapshot.is_some() {
            note.push_str(&format!(" ({})", self.words.frozen));
        }
        note
    }

    /// `{{< kpi "availability.portal" period="2026-11" >}}`.
    pub fn kpi(&self, id: &str, period: &str) -> Result<KpiFigure, String> {
        let d = self.period(period)?;
        let k = self.kpi_in(id, d)?;
        let indicator = d.report.indicators.iter().find(|i| i.kpi == id);
        let (value, unit) = k.map_or((None, Unit::Number), |k| (k.value, k.unit));
        Ok(KpiFigure {
            id: id.to_string(),
            period: d.period.label.clone(),
            url: d.url.clone(),
            value,
            unit: unit.name(),
            text: self.style().value(value, unit),
            complete: d.complete,
            frozen: d.snapshot.is_some(),
            note: self.note(d),
            status: indicator.map(|i| self.style().status(i.status).0),
        })
    }

    /// `{{< indicators period="latest-month" >}}`: the indicator table of a period.
    pub fn indicators(&self, period: &str) -> Result<IndicatorsFigure, String> {
        let d = self.period(period)?;
        let set = self.set()?;
        Ok(IndicatorsFigure {
            period: d.period.label.clone(),
            url: d.url.clone(),
            note: self.note(d),
            complete: d.complete,
            rows: crate::reports::rows::indicator_rows(set, &d.report, &self.style()),
            t: self.words,
        })
    }

    /// `{{< status period="latest-week" >}}`: availability per service, open critical tickets,
    /// indicator badges.
    pub fn status(&self, period: &str) -> Result<StatusFigure, String> {
        let d = self.period(period)?;
        let set = self.set()?;
        let style = self.style();
        let levels = &set.priority_levels;
        let first = levels.key(crate::kpi::tables::Priority(0));
        let open = d.report.kpis.get(&format!("tickets.backlog.{first}"));
        let open_label = match first {
            "critical" => self.words.open_critical.to_string(),
            _ => crate::i18n::formats::fill(
                style.lang.vocabulary().formats.open_of_level,
                &[("priority", &style.labels.priority(first))],
            ),
        };
        let (services, indicators) = status_services(set, d, &style);
        Ok(StatusFigure {
            kind: kind_name(d.period.kind),
            period: d.period.label.clone(),
            url: d.url.clone(),
            note: self.note(d),
            complete: d.complete,
            services,
            open_critical: open.map(|k| style.kpi(Some(k))),
            open_critical_count: open.and_then(|k| k.value).map_or(0, |v| v as u64),
            open_label,
            indicators,
            status_page: set.status.as_ref().map(|b| b.url.clone()),
            t: self.words,
        })
    }

    /// `{{< chart kind="line" kpi="mttr.minutes" periods="last-12-months" >}}`.
    pub fn chart(&self, kind: &str, kpi: &str, periods: &str) -> Result<Chart, String> {
        if !matches!(kind, "line" | "bar") {
            return Err(format!(
                "chart kind `{kind}`: write kind=\"line\" or kind=\"bar\""
            ));
        }
        let run = self.run(periods)?;
        let set = self.set()?;
        let last = run
            .iter()
            .rev()
            .find_map(|(_, d)| *d)
            .expect("a run ends with a period that has data");
        let mut unit = None;
        let mut values = Vec::with_capacity(run.len());
        for (_, d) in &run {
            let k = match d {
                Some(d) => self.kpi_in(kpi, d)?,
                None => None,
            };
            unit = unit.or(k.map(|k| k.unit));
            values.push(k.and_then(|k| k.value));
        }
        let unit = unit.unwrap_or(Unit::Number);
        let style = self.style();
        // Ratios are drawn as percentages, as the report pages do.
        let (axis, scale) = style.chart_axis(unit);
        let values: Vec<Option<f64>> = values.iter().map(|v| v.map(|x| x * scale)).collect();
        let mut guides = guides_for(set, &last.report, kpi);
        guides.target = guides.target.map(|x| x * scale);
        guides.alert = guides.alert.map(|x| x * scale);
        let title = last
            .report
            .indicators
            .iter()
            .find(|i| i.kpi == kpi)
            .map_or(kpi.to_string(), |i| i.name.clone());
        let labels: Vec<String> = run.iter().map(|(l, _)| l.clone()).collect();
        let description = format!(
            "{title}: {} – {}",
            labels.first().cloned().unwrap_or_default(),
            labels.last().cloned().unwrap_or_default()
        );
        let fmt = |v: Option<f64>| style.chart_value(v, unit);
        let series = [SeriesData {
            name: title.clone(),
            values,
        }];
        Ok(if kind == "line" {
            charts::line(&charts::Lines {
                title: &title,
                description: &description,
                labels: &labels,
                series: &series,
                guides,
                axis,
                words: self.words,
                fmt: &fmt,
            })
        } else {
            charts::bars(&charts::Bars {
                title: &title,
                description: &description,
                categories: &labels,
                series: &series,
                horizontal: false,
                max: (axis == charts::Axis::Percent).then_some(100.0),
                fmt: &fmt,
            })
        })
    }

    /// `periods("month")` for templates: every period of a kind with data, newest first.
    pub fn periods(&self, kind: &str) -> Result<Vec<PeriodItem>, String> {
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "week" | "weekly" => PeriodKind::Week,
            "month" | "monthly" => PeriodKind::Month,
            "quarter" | "quarterly" => PeriodKind::Quarter,
            other => {
                return Err(format!(
                    "periods(kind=\"{other}\"): write week, month or quarter"
                ))
            }
        };
        Ok(self
            .list(kind)?
            .iter()
            .rev()
            .map(|d| PeriodItem {
                label: d.period.label.clone(),
                url: d.url.clone(),
                start: d.period.first_day.to_string(),
                end: d
                    .period
                    .end_day
                    .pred_opt()
                    .unwrap_or(d.period.end_day)
                    .to_string(),
                complete: d.complete,
                frozen: d.snapshot.is_some(),
            })
            .collect())
    }
}

/// "no KPI `x`", with up to three known ids close to it (by edit distance, or sharing its start).
pub fn unknown_kpi(id: &str, known: &[&str]) -> String {
    let mut close = crate::kpi::indicators::close_ids(id, known.iter().copied());
    if close.is_empty() {
        // `availability` → the ids under `availability.`; `availability.portl` → the same.
        let heads = [Some(id), id.rsplit_once('.').map(|(h, _)| h)];
        for head in heads.into_iter().flatten() {
            close = known
                .iter()
                .filter(|k| k.starts_with(&format!("{head}.")))
                .copied()
                .collect();
            if !close.is_empty() {
                break;
            }
        }
    }
    let hint = match close.len() {
        0 => " (`opsite kpi --period all` lists the KPI ids of this data)".to_string(),
        _ => format!(
            " (did you mean {}?)",
            close
                .iter()
                .take(4)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("no KPI `{id}` in this data{hint}")
}

#[cfg(test)]
mod tests {
    use super::unknown_kpi;

    #[test]
    fn unknown_ids_get_close_matches() {
        let known = [
            "availability.api",
            "availability.portal",
            "mttr.minutes",
            "tickets.opened",
        ];
        let typo = unknown_kpi("availability.portl", &known);
        assert!(typo.contains("`availability.portal`"), "{typo}");
        let bare = unknown_kpi("availability", &known);
        assert!(
            bare.contains("`availability.api`") && bare.contains("`availability.portal`"),
            "{bare}"
        );
        let none = unknown_kpi("zzz", &known);
        assert!(none.contains("opsite kpi --period all"), "{none}");
    }
}

/// The status block's services and indicators. An indicator on a service's availability is that
/// service's one status (against the indicator's target, its alert deciding 注意), instead of a
/// second badge beside the service's own for the same number; other indicators stay as they are.
fn status_services(
    set: &ReportSet,
    d: &PeriodData,
    style: &Style,
) -> (Vec<StatusService>, Vec<crate::reports::views::IndicatorRow>) {
    let rows = crate::reports::rows::service_rows(set, d, style);
    let names = (d.report.kpis.keys()).filter_map(|k| k.strip_prefix("availability."));
    let target_of = |id: &str| {
        format!(
            "≥ {}",
            set.numbers
                .show(Some(set.availability_target_of(id)), Unit::Percent)
        )
    };
    let mut services: Vec<(String, StatusService)> = names
        .zip(rows)
        .map(|(id, r)| {
            let service = StatusService {
                name: r.name,
                availability: r.availability.text,
                status: r.status,
                status_label: r.status_label,
                target: target_of(id),
            };
            (format!("availability.{id}"), service)
        })
        .collect();
    let mut indicators = Vec::new();
    let rows = crate::reports::rows::indicator_rows(set, &d.report, style);
    for (i, row) in d.report.indicators.iter().zip(rows) {
        // The first indicator on the availability decides; a second one on it stays listed.
        match services.iter_mut().find(|(kpi, _)| *kpi == i.kpi) {
            Some((kpi, s)) => {
                s.status = row.status;
                s.status_label = row.status_label;
                s.target = row.target;
                kpi.clear();
            }
            None => indicators.push(row),
        }
    }
    (services.into_iter().map(|(_, s)| s).collect(), indicators)
}
