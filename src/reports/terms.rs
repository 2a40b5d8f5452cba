//! What a report states of the terms it measures against, so a customer reads its own promise
//! beside each figure: the contracts in force in the period (a customer's; the internal report
//! states the site-wide `sla`), each SLA target in words with its calendar
//! (`30 分以内（24 時間）`, `3 営業日以内（平日 9:00–18:00）`). Built from the configuration by
//! the data stage; worded here, in the report's language.

use std::collections::BTreeMap;

use crate::i18n::formats::fill;
use crate::i18n::{Lang, Words};
use crate::kpi::sla::ClockKind;

/// A target as written (`30m`, `4h`, `3bd`), with its calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// `30m`, `4h`, `1bd`, `2d`.
    pub within: String,
    pub calendar: CalendarTerms,
}

/// A calendar as a report names it: its label (`labels.calendar`), else its hours.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CalendarTerms {
    /// `always` for around the clock.
    pub name: String,
    pub label: Option<String>,
    /// Open hours per weekday (Monday 0 … Sunday 6): `09:00-12:00,13:00-18:00`; none closed.
    pub hours: [Option<String>; 7],
}

/// One line of an SLA target cell: the days it held when a period had two contracts (empty
/// otherwise), and the target in words.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TargetLine {
    pub when: String,
    pub text: String,
}

impl std::fmt::Display for TargetLine {
    /// `10月15日まで 4 時間以内（24 時間）`, for plain text and workbooks.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.when.is_empty() {
            true => f.write_str(&self.text),
            false => write!(f, "{} {}", self.when, self.text),
        }
    }
}

/// Targets per (clock, priority).
pub type Targets = BTreeMap<(ClockKind, String), Target>;

/// One contract: its name, the instants it is in force ([from, to), open ends none) and its
/// targets (with the site's filling what it leaves out).
#[derive(Debug, Clone, PartialEq)]
pub struct ContractTerms {
    pub name: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// `from` and `to` as configured (days, `to` the last one in force), for the report's words.
    pub days: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    pub targets: Targets,
}

/// The terms of a report set: the customer's contracts (none for the internal report) and the
/// site-wide targets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    pub contracts: Vec<ContractTerms>,
    pub site: Targets,
    /// Every contract's targets, in the order of `contracts:`, for naming the target a listed
    /// ticket was measured against.
    pub every: std::sync::Arc<Vec<Targets>>,
}

impl Terms {
    /// The target a ticket was measured against: its contract's (by its place in
    /// `contracts:`), else the site's.
    pub fn target_of(&self, contract: Option<u16>, key: (ClockKind, &str)) -> Option<&Target> {
        let key = (key.0, key.1.to_string());
        match contract {
            Some(i) => self.every.get(i as usize)?.get(&key),
            None => self.site.get(&key),
        }
    }

    /// The contracts in force at some instant of [start, end), in their order.
    pub fn contracts_between(&self, start: i64, end: i64) -> Vec<&ContractTerms> {
        (self.contracts.iter())
            .filter(|c| c.from.is_none_or(|f| f < end) && c.to.is_none_or(|t| t > start))
            .collect()
    }

    /// What a report's SLA table states as the target of `key` in [start, end): one text when
    /// every contract in force then says the same (the site's when none is), else each
    /// contract's with the days it held (`10月15日まで`, `4 時間以内（24 時間）`).
    pub fn target_texts(
        &self,
        start: i64,
        end: i64,
        key: (ClockKind, &str),
        lang: Lang,
    ) -> Vec<TargetLine> {
        let key = (key.0, key.1.to_string());
        let plain = |text: String| TargetLine {
            when: String::new(),
            text,
        };
        let within = self.contracts_between(start, end);
        if within.is_empty() {
            return (self.site.get(&key).map(|t| plain(target_text(t, lang))))
                .into_iter()
                .collect();
        }
        let texts: Vec<_> = (within.iter())
            .map(|c| (c, c.targets.get(&key).map(|t| target_text(t, lang))))
            .collect();
        if texts.iter().all(|(_, t)| *t == texts[0].1) {
            return texts[0].1.clone().map(plain).into_iter().collect();
        }
        (texts.into_iter())
            .filter_map(|(c, text)| {
                Some(TargetLine {
                    when: c.when(start, end, lang),
                    text: text?,
                })
            })
            .collect()
    }

    /// The contracts in force in [start, end) by name, each with the days it held when there
    /// are several (`スタンダード契約（10月15日まで）`).
    pub fn contract_names(&self, start: i64, end: i64, lang: Lang) -> Vec<String> {
        let within = self.contracts_between(start, end);
        let several = within.len() > 1;
        (within.iter())
            .map(|c| match c.when(start, end, lang) {
                when if several && !when.is_empty() => fill(
                    lang.vocabulary().report.contract_with_days,
                    &[("name", &c.name), ("days", &when)],
                ),
                _ => c.name.clone(),
            })
            .collect()
    }
}

impl ContractTerms {
    /// The days it held within [start, end) in words, only the ends inside it
    /// (`10月15日まで`, `10月16日から`); empty when it held throughout.
    pub fn when(&self, start: i64, end: i64, lang: Lang) -> String {
        let words = &lang.vocabulary().report;
        let day = |d: chrono::NaiveDate| d.format(lang.vocabulary().formats.day_short).to_string();
        let from = self.from.filter(|&f| f > start).and(self.days.0).map(day);
        let until = self.to.filter(|&t| t < end).and(self.days.1).map(day);
        match (from, until) {
            (Some(f), Some(u)) => fill(words.target_between, &[("first", &f), ("last", &u)]),
            (Some(f), None) => fill(words.target_from, &[("date", &f)]),
            (None, Some(u)) => fill(words.target_until, &[("date", &u)]),
            (None, None) => String::new(),
        }
    }
}

/// The terms of a report set from the configuration: the site-wide `sla`, and for a customer
/// the contracts naming it (else the `*` ones), each with the days it is in force and its
/// targets (the site's filling what it leaves out, on its calendar).
pub fn from_config(
    kpi: &crate::config::kpi::KpiConfig,
    labels: &crate::config::labels::LabelsConfig,
    customer: Option<&str>,
    tz: chrono_tz::Tz,
) -> Terms {
    site_wide(kpi, labels).for_customer(kpi, customer, tz)
}

/// The terms every report set shares (the site's targets, every contract's), worked out once
/// for a run of many customers: `Terms::for_customer` adds a customer's own.
pub fn site_wide(
    kpi: &crate::config::kpi::KpiConfig,
    labels: &crate::config::labels::LabelsConfig,
) -> Terms {
    let words = Worded { kpi, labels };
    Terms {
        contracts: Vec::new(),
        site: words.targets(&kpi.sla.response, &kpi.sla.resolution, None),
        every: std::sync::Arc::new(kpi.contracts.iter().map(|c| words.merged(c)).collect()),
    }
}

impl Terms {
    /// These site-wide terms with `customer`'s contracts (none for the internal report).
    pub fn for_customer(
        &self,
        kpi: &crate::config::kpi::KpiConfig,
        customer: Option<&str>,
        tz: chrono_tz::Tz,
    ) -> Terms {
        let Some(customer) = customer.map(str::trim) else {
            return self.clone();
        };
        // Contracts by their place in `contracts:`, whose targets `every` holds worded.
        let naming = |who: &str| -> Vec<(usize, &crate::config::kpi::ContractConfig)> {
            (kpi.contracts.iter().enumerate())
                .filter(|(_, c)| c.customers.list().contains(&who))
                .collect()
        };
        // Its own contracts, each on its days; the `*` ones on the days none of its own covers
        // (as a ticket of those days is measured).
        let own = naming(customer);
        let mut spans: Vec<(usize, Span)> = own.iter().map(|(i, c)| (*i, (c.from, c.to))).collect();
        let gaps = uncovered(&own.iter().map(|(_, c)| (c.from, c.to)).collect::<Vec<_>>());
        for (i, c) in naming("*") {
            spans.extend((gaps.iter()).filter_map(|g| overlap((c.from, c.to), *g).map(|s| (i, s))));
        }
        spans.sort_by_key(|(_, (from, _))| *from);
        let contracts = spans
            .into_iter()
            .map(|(i, (from, to))| {
                let (start, end) = crate::kpi::contracts::in_force(from, to, tz);
                ContractTerms {
                    name: kpi.contracts[i].name.clone(),
                    from: start,
                    to: end,
                    days: (from, to),
                    targets: self.every[i].clone(),
                }
            })
            .collect();
        Terms {
            contracts,
            site: self.site.clone(),
            every: std::sync::Arc::clone(&self.every),
        }
    }
}

/// The configuration a report's targets are worded from.
struct Worded<'a> {
    kpi: &'a crate::config::kpi::KpiConfig,
    labels: &'a crate::config::labels::LabelsConfig,
}

impl Worded<'_> {
    /// A calendar by name, with its label and open hours.
    fn calendar(&self, name: &str) -> CalendarTerms {
        let mut c = CalendarTerms {
            name: name.to_string(),
            label: self.labels.calendar.get(name).cloned(),
            hours: Default::default(),
        };
        if let Some(cfg) = self.kpi.calendars.get(name) {
            for (day, h) in &cfg.hours {
                if let Some(i) = crate::kpi::calendar::weekday_index(day) {
                    let ranges = h.ranges();
                    c.hours[i] = (!ranges.is_empty() && !ranges.contains(&"closed"))
                        .then(|| ranges.join(","));
                }
            }
        }
        c
    }

    /// Response and resolution targets per priority, on their calendar (else `default`).
    fn targets(
        &self,
        response: &BTreeMap<String, crate::config::kpi::SlaTargetConfig>,
        resolution: &BTreeMap<String, crate::config::kpi::SlaTargetConfig>,
        default: Option<&str>,
    ) -> Targets {
        let mut out = Targets::new();
        for (clock, map) in [
            (ClockKind::Response, response),
            (ClockKind::Resolution, resolution),
        ] {
            for (p, t) in map {
                // Keyed as the levels name it (`P2:` is `p2`), as tickets carry it.
                let levels = &self.kpi.priority_levels;
                let Some(priority) = levels.parse(p).map(|l| levels.key(l).to_string()) else {
                    continue;
                };
                let name = t.calendar.as_deref().or(default).unwrap_or("always");
                out.insert(
                    (clock, priority),
                    Target {
                        within: t.within.clone(),
                        calendar: self.calendar(name),
                    },
                );
            }
        }
        out
    }

    /// A contract's targets, the site's filling what it leaves out.
    fn merged(&self, c: &crate::config::kpi::ContractConfig) -> Targets {
        let (response, resolution) = c.targets_over(&self.kpi.sla);
        self.targets(&response, &resolution, c.calendar.as_deref())
    }
}

/// Days from the first to the last, both in force; open ends are `None`.
type Span = (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>);

/// The days of two spans both cover, if any.
fn overlap(a: Span, b: Span) -> Option<Span> {
    let from = a.0.max(b.0);
    let to = match (a.1, b.1) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    match (from, to) {
        (Some(f), Some(t)) if t < f => None,
        _ => Some((from, to)),
    }
}

/// The days none of `spans` covers, in order.
fn uncovered(spans: &[Span]) -> Vec<Span> {
    let mut sorted = spans.to_vec();
    sorted.sort_by_key(|s| s.0);
    let mut gaps = Vec::new();
    // The first day not yet covered (`None` before any; `Some(None)` once covered for ever).
    let mut next: Option<Option<chrono::NaiveDate>> = None;
    for (from, to) in sorted {
        let start = match next {
            None => None,
            Some(None) => return gaps,
            Some(Some(d)) => Some(d),
        };
        // A gap before this span starts.
        if let Some(f) = from {
            if start.is_none_or(|s| s < f) {
                gaps.push((start, f.pred_opt()));
            }
        }
        let end = to.and_then(|t| t.succ_opt());
        next = Some(match (next, end) {
            (Some(Some(d)), Some(e)) => Some(d.max(e)),
            (_, e) => e,
        });
        if end.is_none() {
            return gaps;
        }
    }
    match next {
        None => vec![(None, None)],
        Some(None) => gaps,
        Some(Some(d)) => {
            gaps.push((Some(d), None));
            gaps
        }
    }
}

/// `30 分以内（24 時間）`: a target and its calendar in the report's words.
pub fn target_text(t: &Target, lang: Lang) -> String {
    let words = &lang.vocabulary().report;
    let s = t.within.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let template = match unit.trim() {
        "m" | "min" => words.within_minutes,
        "h" => words.within_hours,
        "d" if n == "1" => words.within_one_day,
        "d" => words.within_days,
        "bd" if n == "1" => words.within_one_business_day,
        "bd" => words.within_business_days,
        _ => return s.to_string(),
    };
    let target = fill(template, &[("n", n)]);
    fill(
        words.target_with_calendar,
        &[
            ("target", &target),
            ("calendar", &calendar_text(&t.calendar, words)),
        ],
    )
}

/// A calendar in words: its label, `24 時間` around the clock, else its open hours with the days
/// that share them (`平日 9:00〜18:00`, `月〜金 9:00〜12:00, 13:00〜18:00、土 9:00〜12:00`).
pub fn calendar_text(c: &CalendarTerms, t: &Words) -> String {
    if let Some(label) = c.label.as_deref().filter(|l| !l.trim().is_empty()) {
        return label.to_string();
    }
    if c.name == "always" {
        return t.calendar_always.to_string();
    }
    let hours = |h: &str| {
        h.split(',')
            .map(|range| {
                range
                    .split('-')
                    .map(|time| time.trim().trim_start_matches('0'))
                    .map(|time| match time.starts_with(':') {
                        true => format!("0{time}"),
                        false => time.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(t.range_dash)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Runs of consecutive days with the same hours.
    let mut runs: Vec<(usize, usize, &str)> = Vec::new();
    for (day, h) in c.hours.iter().enumerate() {
        let Some(h) = h.as_deref() else { continue };
        match runs.last_mut() {
            Some((_, last, same)) if *last + 1 == day && *same == h => *last = day,
            _ => runs.push((day, day, h)),
        }
    }
    if runs.is_empty() {
        return c.name.clone();
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(first, last, h)| {
            let days = match (first, last) {
                (0, 4) => t.calendar_weekdays.to_string(),
                (a, b) if a == b => t.weekday(a).to_string(),
                (a, b) => fill(
                    t.calendar_day_range,
                    &[("first", t.weekday(a)), ("last", t.weekday(b))],
                ),
            };
            format!("{days} {}", hours(h))
        })
        .collect();
    parts.join(t.list_separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_days_a_customers_own_contracts_leave_uncovered() {
        let d = |m: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, m, day);
        assert_eq!(uncovered(&[]), vec![(None, None)]);
        assert_eq!(uncovered(&[(None, None)]), vec![]);
        // Until 10-15, then from 10-16: covered for ever.
        assert_eq!(uncovered(&[(d(10, 16), None), (None, d(10, 15))]), vec![]);
        // Until 10-15 only, and 11-01 to 11-30: the days between and after.
        assert_eq!(
            uncovered(&[(None, d(10, 15)), (d(11, 1), d(11, 30))]),
            vec![(d(10, 16), d(10, 31)), (d(12, 1), None)]
        );
        assert_eq!(uncovered(&[(d(10, 1), None)]), vec![(None, d(9, 30))]);
        assert_eq!(
            overlap((None, None), (d(10, 16), d(10, 31))),
            Some((d(10, 16), d(10, 31)))
        );
        assert_eq!(overlap((None, d(9, 1)), (d(10, 16), None)), None);
    }

    fn calendar(days: &[(usize, &str)]) -> CalendarTerms {
        let mut c = CalendarTerms {
            name: "business".into(),
            ..Default::default()
        };
        for &(d, h) in days {
            c.hours[d] = Some(h.to_string());
        }
        c
    }

    #[test]
    fn targets_read_as_the_contract_says_them() {
        let (ja, en) = (Lang::of("ja"), Lang::of("en"));
        let always = CalendarTerms {
            name: "always".into(),
            ..Default::default()
        };
        let t = |within: &str, calendar: &CalendarTerms| Target {
            within: within.into(),
            calendar: calendar.clone(),
        };
        assert_eq!(target_text(&t("30m", &always), ja), "30 分以内（24 時間）");
        let week: Vec<(usize, &str)> = (0..5).map(|d| (d, "09:00-18:00")).collect();
        let business = calendar(&week);
        assert_eq!(
            target_text(&t("3bd", &business), ja),
            "3 営業日以内（平日 9:00〜18:00）"
        );
        assert_eq!(
            target_text(&t("4h", &business), en),
            "within 4 h (Mon–Fri 9:00–18:00)"
        );
        let split = calendar(&[
            (0, "09:00-12:00,13:00-18:00"),
            (1, "09:00-12:00,13:00-18:00"),
            (5, "09:00-12:00"),
        ]);
        assert_eq!(
            calendar_text(&split, &ja.vocabulary().report),
            "月〜火 9:00〜12:00, 13:00〜18:00、土 9:00〜12:00"
        );
        let named = CalendarTerms {
            label: Some("平日日中".into()),
            ..business
        };
        assert_eq!(
            target_text(&t("1bd", &named), ja),
            "1 営業日以内（平日日中）"
        );
    }

    #[test]
    fn a_period_with_two_contracts_states_each_target_with_its_days() {
        let always = CalendarTerms {
            name: "always".into(),
            ..Default::default()
        };
        let key = (ClockKind::Response, "high");
        let targets = |within: &str| {
            let mut t = Targets::new();
            t.insert(
                (key.0, key.1.to_string()),
                Target {
                    within: within.into(),
                    calendar: always.clone(),
                },
            );
            t
        };
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 10, d);
        let terms = Terms {
            contracts: vec![
                ContractTerms {
                    name: "旧".into(),
                    from: None,
                    to: Some(100),
                    days: (None, day(15)),
                    targets: targets("4h"),
                },
                ContractTerms {
                    name: "新".into(),
                    from: Some(100),
                    to: None,
                    days: (day(16), None),
                    targets: targets("2h"),
                },
            ],
            site: targets("8h"),
            every: std::sync::Arc::new(vec![targets("4h"), targets("2h")]),
        };
        // A listed ticket is named its own contract's target, or the site's without one.
        let target = |c| terms.target_of(c, (ClockKind::Response, "high"));
        assert_eq!(target(Some(1)).unwrap().within, "2h");
        assert_eq!(target(None).unwrap().within, "8h");
        assert!(target(Some(7)).is_none());
        let names = |s, e| -> Vec<String> {
            terms
                .contracts_between(s, e)
                .iter()
                .map(|c| c.name.clone())
                .collect()
        };
        assert_eq!(names(0, 50), vec!["旧"]);
        assert_eq!(names(50, 150), vec!["旧", "新"]);
        let ja = Lang::of("ja");
        let texts = |t: &Terms, s, e| -> Vec<String> {
            t.target_texts(s, e, key, ja)
                .iter()
                .map(|l| l.to_string())
                .collect()
        };
        assert_eq!(texts(&terms, 0, 50), vec!["4 時間以内（24 時間）"]);
        assert_eq!(
            texts(&terms, 50, 150),
            vec![
                "10月15日まで 4 時間以内（24 時間）",
                "10月16日から 2 時間以内（24 時間）"
            ]
        );
        // The same target under both: said once.
        let mut same = terms.clone();
        same.contracts[1].targets = targets("4h");
        assert_eq!(texts(&same, 50, 150), vec!["4 時間以内（24 時間）"]);
        // No contract: the site's.
        let site = Terms {
            contracts: Vec::new(),
            ..terms
        };
        assert_eq!(texts(&site, 50, 150), vec!["8 時間以内（24 時間）"]);
    }
}
