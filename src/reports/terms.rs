//! What a report states of the terms it measures against, so a customer reads its own promise
//! beside each figure: the contracts in force in the period (a customer's; the internal report
//! states the site-wide `sla`), each SLA target in words with its calendar
//! (`30 分以内（24 時間）`, `3 営業日以内（平日 9:00–18:00）`). Built from the configuration by
//! the data stage; worded here, in the report's language.

use std::collections::BTreeMap;

use crate::i18n::formats::fill;
use crate::i18n::{Lang, Words};
use crate::kpi::sla::ClockKind;
use crate::kpi::tables::Priority;

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
pub type Targets = BTreeMap<(ClockKind, Priority), Target>;

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
    pub every: Vec<Targets>,
}

impl Terms {
    /// The target a ticket was measured against: its contract's (by its place in
    /// `contracts:`), else the site's.
    pub fn target_of(&self, contract: Option<u16>, key: (ClockKind, Priority)) -> Option<&Target> {
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
        key: (ClockKind, Priority),
        lang: Lang,
    ) -> Vec<TargetLine> {
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
        let words = &lang.vocabulary().report;
        let day = |d: chrono::NaiveDate| d.format(lang.vocabulary().formats.day_short).to_string();
        (texts.into_iter())
            .filter_map(|(c, text)| {
                let text = text?;
                // Only the ends inside the period are worth saying.
                let from = c.from.filter(|&f| f > start).and(c.days.0).map(day);
                let until = c.to.filter(|&t| t < end).and(c.days.1).map(day);
                let when = match (from, until) {
                    (Some(f), Some(u)) => {
                        fill(words.target_between, &[("first", &f), ("last", &u)])
                    }
                    (Some(f), None) => fill(words.target_from, &[("date", &f)]),
                    (None, Some(u)) => fill(words.target_until, &[("date", &u)]),
                    (None, None) => String::new(),
                };
                Some(TargetLine { when, text })
            })
            .collect()
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
    use chrono::TimeZone;
    let calendar = |name: &str| {
        let mut c = CalendarTerms {
            name: name.to_string(),
            label: labels.calendar.get(name).cloned(),
            hours: Default::default(),
        };
        if let Some(cfg) = kpi.calendars.get(name) {
            for (day, h) in &cfg.hours {
                if let Some(i) = crate::kpi::calendar::weekday_index(day) {
                    let ranges = h.ranges();
                    c.hours[i] = (!ranges.is_empty() && !ranges.contains(&"closed"))
                        .then(|| ranges.join(","));
                }
            }
        }
        c
    };
    let targets = |response: &BTreeMap<String, crate::config::kpi::SlaTargetConfig>,
                   resolution: &BTreeMap<String, crate::config::kpi::SlaTargetConfig>,
                   default: Option<&str>| {
        let mut out = Targets::new();
        for (clock, map) in [
            (ClockKind::Response, response),
            (ClockKind::Resolution, resolution),
        ] {
            for (p, t) in map {
                let Some(priority) = Priority::parse(p) else {
                    continue;
                };
                let name = t.calendar.as_deref().or(default).unwrap_or("always");
                out.insert(
                    (clock, priority),
                    Target {
                        within: t.within.clone(),
                        calendar: calendar(name),
                    },
                );
            }
        }
        out
    };
    let site = targets(&kpi.sla.response, &kpi.sla.resolution, None);
    let merged = |c: &crate::config::kpi::ContractConfig| {
        let mut response = kpi.sla.response.clone();
        response.extend(c.response.clone());
        let mut resolution = kpi.sla.resolution.clone();
        resolution.extend(c.resolution.clone());
        targets(&response, &resolution, c.calendar.as_deref())
    };
    let every = kpi.contracts.iter().map(merged).collect();
    let Some(customer) = customer.map(str::trim) else {
        return Terms {
            contracts: Vec::new(),
            site,
            every,
        };
    };
    let midnight = |d: chrono::NaiveDate| {
        (d.and_hms_opt(0, 0, 0))
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.timestamp())
    };
    let names =
        |c: &crate::config::kpi::ContractConfig, who: &str| c.customers.list().contains(&who);
    // Its own contracts; the `*` ones when none names it.
    let mut chosen: Vec<_> = kpi
        .contracts
        .iter()
        .filter(|c| names(c, customer))
        .collect();
    if chosen.is_empty() {
        chosen = kpi.contracts.iter().filter(|c| names(c, "*")).collect();
    }
    let contracts = chosen
        .into_iter()
        .map(|c| ContractTerms {
            name: c.name.clone(),
            from: c.from.and_then(midnight),
            to: (c.to.and_then(|d| d.succ_opt())).and_then(midnight),
            days: (c.from, c.to),
            targets: merged(c),
        })
        .collect();
    Terms {
        contracts,
        site,
        every,
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
        "d" => words.within_days,
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
/// that share them (`平日 9:00–18:00`, `月〜金 9:00–12:00, 13:00–18:00、土 9:00–12:00`).
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
                    .join("–")
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
            "3 営業日以内（平日 9:00–18:00）"
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
            "月〜火 9:00–12:00, 13:00–18:00、土 9:00–12:00"
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
        let key = (ClockKind::Response, Priority::High);
        let targets = |within: &str| {
            let mut t = Targets::new();
            t.insert(
                key,
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
            every: vec![targets("4h"), targets("2h")],
        };
        // A listed ticket is named its own contract's target, or the site's without one.
        let target = |c| terms.target_of(c, (ClockKind::Response, Priority::High));
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
