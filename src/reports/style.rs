//! How one site writes a report's values: figures in the one number format, durations and
//! changes per language, status words, instants in prose and in tables. Every view and every
//! output (page, PDF, mail, workbook title) writes through these, so they cannot disagree.

use chrono::TimeZone;

use super::figure::Figure;
use super::labels::{duration, Words};
pub use super::page_view::ChangeView;
use super::ReportSet;
use crate::charts::Axis;
use crate::i18n::labels::Labels;
use crate::i18n::Lang;
use crate::kpi::indicators::Status;
use crate::kpi::numbers::Numbers;
use crate::kpi::report::{Kpi, Unit};

/// How values and changes are written on one site.
pub struct Style<'a> {
    pub lang: Lang,
    pub t: &'a Words,
    /// Display names of priorities, services, categories and tiers.
    pub labels: Labels,
    /// `fiscal_year_start` from `site.yaml`, for quarter names.
    pub fiscal_year_start: u32,
    /// `numbers:` from `site.yaml`: the one way every figure is written.
    pub numbers: Numbers,
    /// `priority_levels:` from `site.yaml`.
    pub priority_levels: crate::kpi::tables::PriorityLevels,
}

impl Style<'_> {
    /// The priority keys a report's tables list, most urgent first: the site's levels, then
    /// any other a frozen report was computed with (its ids are kept as they were frozen).
    pub fn priorities(
        &self,
        kpis: &std::collections::BTreeMap<String, crate::kpi::report::Kpi>,
    ) -> Vec<String> {
        let levels = &self.priority_levels;
        let mut keys: Vec<String> = levels.all().map(|p| levels.key(p).to_string()).collect();
        let mut frozen: Vec<&str> = (kpis.keys())
            .filter_map(|id| {
                (id.strip_prefix("tickets.opened."))
                    .or_else(|| id.strip_prefix("sla.response."))
                    .or_else(|| id.strip_prefix("sla.resolution."))
            })
            .filter(|k| levels.parse(k).is_none())
            .collect();
        let place = |k: &str| {
            crate::config::priority::DEFAULT_LEVELS
                .iter()
                .position(|d| *d == k)
        };
        frozen.sort_by_key(|k| (place(k).unwrap_or(usize::MAX), *k));
        frozen.dedup();
        keys.extend(frozen.into_iter().map(str::to_string));
        keys
    }

    /// A period's name as people say it (「2026年11月」, 「2026年度 第3四半期」).
    pub fn period_name(&self, period: &crate::kpi::period::Period) -> String {
        crate::i18n::periods::period_name(period, self.lang, self.fiscal_year_start)
    }

    /// A KPI value: durations for minutes, the one number format otherwise.
    pub fn value(&self, v: Option<f64>, unit: Unit) -> String {
        match unit {
            Unit::Minutes => duration(v, self.lang, &self.numbers),
            _ => self.numbers.show(v, unit),
        }
    }

    /// How a KPI of `unit` is charted: its axis, and the factor its values are drawn at
    /// (ratios as percentages).
    pub fn chart_axis(&self, unit: Unit) -> (Axis, f64) {
        match unit {
            Unit::Ratio => (Axis::Percent, 100.0),
            Unit::Percent => (Axis::Percent, 1.0),
            Unit::Minutes => (Axis::Duration, 1.0),
            _ => (Axis::Plain, 1.0),
        }
    }

    /// A charted value written as the page's tables write the KPI: a ratio drawn as a
    /// percentage reads as the SLA table's one-decimal cut, minutes as a duration.
    pub fn chart_value(&self, v: Option<f64>, unit: Unit) -> String {
        match unit {
            Unit::Ratio => self.value(v.map(|x| x / 100.0), unit),
            _ => self.value(v, unit),
        }
    }

    pub fn kpi(&self, k: Option<&Kpi>) -> String {
        k.map_or("—".into(), |k| self.value(k.value, k.unit))
    }

    /// A value with the text `value` gives it.
    pub fn figure(&self, v: Option<f64>, unit: Unit) -> Figure {
        self.figure_with(v, unit, self.numbers.decimals(unit))
    }

    /// As `figure`, with `decimals` places (a miss near its target shows more).
    pub fn figure_with(&self, v: Option<f64>, unit: Unit, decimals: u8) -> Figure {
        let text = match unit {
            Unit::Minutes => self.value(v, unit),
            _ => self.numbers.show_with(v, unit, decimals),
        };
        Figure {
            text,
            value: v,
            unit,
            decimals,
            rounding: self.numbers.rounding,
        }
    }

    /// A KPI as `kpi` prints it (`—` when there is none).
    pub fn kpi_figure(&self, k: Option<&Kpi>) -> Figure {
        self.figure(k.and_then(|k| k.value), k.map_or(Unit::Number, |k| k.unit))
    }

    /// A count (`—` when there is none).
    pub fn count(&self, n: Option<u64>) -> Figure {
        self.figure(n.map(|n| n as f64), Unit::Count)
    }

    /// `+3`, `-0.4 pt`, with an arrow and good/bad when `higher_is_better` is known.
    pub fn change(
        &self,
        now: Option<f64>,
        before: Option<f64>,
        unit: Unit,
        higher_is_better: Option<bool>,
    ) -> ChangeView {
        let (Some(a), Some(b)) = (now, before) else {
            return ChangeView {
                class: "neutral",
                ..Default::default()
            };
        };
        // The difference of the values as shown: 85.7 % − 80.9 % is +4.8 pt.
        let d = self.numbers.change(a, b, unit);
        let places = self.numbers.decimals(unit);
        let plain = |v: f64| self.numbers.show_with(Some(v), Unit::Number, places);
        let text = match unit {
            Unit::Ratio | Unit::Percent => signed(&plain(d.abs()), self.t.points_suffix, d),
            Unit::Minutes => signed(&duration(Some(d.abs()), self.lang, &self.numbers), "", d),
            _ => signed(&plain(d.abs()), "", d),
        };
        let zero = text.trim_start_matches(['+', '-']).starts_with("0")
            && !text.chars().any(|c| c.is_ascii_digit() && c != '0');
        if d == 0.0 || zero {
            return ChangeView {
                text: "±0".into(),
                class: "neutral",
                ..Default::default()
            };
        }
        let arrow = if d > 0.0 { "▲" } else { "▼" };
        let (class, word) = match higher_is_better {
            Some(up) if up == (d > 0.0) => ("good", self.t.better),
            Some(_) => ("bad", self.t.worse),
            None => ("neutral", ""),
        };
        ChangeView {
            text,
            arrow,
            class,
            word,
        }
    }

    pub fn status(&self, s: Status) -> (&'static str, &'static str) {
        match s {
            Status::Met => ("met", self.t.status_met),
            Status::Warning => ("warning", self.t.status_warning),
            Status::Breached => ("breached", self.t.status_breached),
            Status::NoData => ("no_data", self.t.status_no_data),
        }
    }
}

fn signed(abs_text: &str, suffix: &str, d: f64) -> String {
    let body = abs_text.trim_start_matches('-');
    format!("{}{body}{suffix}", if d < 0.0 { "-" } else { "+" })
}

/// An instant in a report's prose (its as-of): `2026年11月20日 17:00`, `Nov 20, 2026 17:00`.
pub fn prose_time(set: &ReportSet, t: i64, lang: Lang) -> String {
    (set.tz.timestamp_opt(t, 0).single())
        .map(|d| crate::i18n::periods::date_time_long(d.naive_local(), lang))
        .unwrap_or_default()
}

/// An instant in one of a report's tables about `year`: `10/30 9:15` (`2025/12/30 9:15` in
/// another year), `Oct 30 09:15`.
pub fn table_time(set: &ReportSet, t: i64, lang: Lang, year: i32) -> String {
    (set.tz.timestamp_opt(t, 0).single())
        .map(|d| crate::i18n::periods::date_time_short(d.naive_local(), lang, year))
        .unwrap_or_default()
}

/// An instant in the site's time zone (a workbook's date cell).
pub fn local(set: &ReportSet, t: i64) -> Option<chrono::NaiveDateTime> {
    set.tz.timestamp_opt(t, 0).single().map(|d| d.naive_local())
}

/// Local time of UTC seconds as messages write it: `2026-11-20 17:00`.
pub fn local_time(set: &ReportSet, t: i64) -> String {
    set.tz
        .timestamp_opt(t, 0)
        .single()
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
