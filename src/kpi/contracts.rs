//! Customer contracts: which contract a ticket falls under (by its customer), and the SLA targets,
//! calendars and paused statuses each contract measures with. A managed-service team sells each
//! customer its own terms; whatever a contract leaves out comes from the top-level `sla`.

use std::collections::{BTreeMap, HashMap};

use super::calendar::{self, Calendar};
use super::report::{Kpi, Unit};
use super::sla::{ClockKind, Clocks, SlaTarget};
use super::tables::{Priority, PriorityLevels, Tickets};
use super::time_lists::Durations;
use super::ConfigError;
use crate::config::kpi::{ContractConfig, KpiConfig, SlaTargetConfig};

/// The instants a contract is in force, [from, to), from its days (`to` the last one in force)
/// in the site's time zone; open ends are None.
pub fn in_force(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    tz: chrono_tz::Tz,
) -> (Option<i64>, Option<i64>) {
    use chrono::TimeZone;
    let midnight = |d: chrono::NaiveDate| {
        let t = d.and_hms_opt(0, 0, 0).expect("midnight");
        tz.from_local_datetime(&t).earliest().map(|t| t.timestamp())
    };
    (
        from.and_then(midnight),
        to.and_then(|d| d.succ_opt()).and_then(midnight),
    )
}

/// Customer name → contract, following the rules: the first contract naming the customer and in
/// force on the ticket's day wins; `"*"` covers only customers no contract in force names.
/// `from` and `to` are days of the site's time zone, both in force.
#[derive(Debug, Clone)]
pub struct ContractMatcher {
    names: Vec<String>,
    by_customer: HashMap<String, Vec<usize>>,
    wildcards: Vec<usize>,
    /// Each contract's instants in force: [from, to) in seconds; open ends are None.
    in_force: Vec<(Option<i64>, Option<i64>)>,
}

impl ContractMatcher {
    pub fn new(contracts: &[ContractConfig], tz: chrono_tz::Tz) -> ContractMatcher {
        let mut by_customer: HashMap<String, Vec<usize>> = HashMap::new();
        let mut wildcards = Vec::new();
        for (i, c) in contracts.iter().enumerate() {
            for name in c.customers.list() {
                if name == "*" {
                    wildcards.push(i);
                } else {
                    by_customer.entry(name.to_string()).or_default().push(i);
                }
            }
        }
        let in_force = contracts
            .iter()
            .map(|c| in_force(c.from, c.to, tz))
            .collect();
        ContractMatcher {
            names: contracts.iter().map(|c| c.name.clone()).collect(),
            by_customer,
            wildcards,
            in_force,
        }
    }

    /// The customers some contract names (not `*`).
    pub fn customers(&self) -> impl Iterator<Item = &str> {
        self.by_customer.keys().map(String::as_str)
    }

    /// Whether contract `i` is in force at the instant `at`.
    fn in_force_at(&self, i: usize, at: i64) -> bool {
        let (from, to) = self.in_force[i];
        from.is_none_or(|f| at >= f) && to.is_none_or(|t| at < t)
    }

    /// The contract of a ticket of `customer` (trimmed; `None` when empty) opened at `at`.
    pub fn contract_at(&self, customer: Option<&str>, at: i64) -> Option<usize> {
        let own = customer.and_then(|c| self.by_customer.get(c.trim()));
        let first = |list: &[usize]| list.iter().copied().find(|&i| self.in_force_at(i, at));
        own.and_then(|l| first(l))
            .or_else(|| first(&self.wildcards))
    }

    /// The contracts `customer` is under at some instant of [start, end), in their order.
    pub fn contracts_between(&self, customer: &str, start: i64, end: i64) -> Vec<usize> {
        let overlaps = |i: usize| {
            let (from, to) = self.in_force[i];
            from.is_none_or(|f| f < end) && to.is_none_or(|t| t > start)
        };
        let own = self.by_customer.get(customer.trim());
        let mut out: Vec<usize> = own
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| overlaps(i))
            .collect();
        // The `*` contracts cover the customer where none of its own is in force.
        if own.is_none_or(|l| {
            l.iter().all(|&i| {
                let (from, to) = self.in_force[i];
                !(from.is_none_or(|f| f <= start) && to.is_none_or(|t| t >= end))
            })
        }) {
            out.extend(self.wildcards.iter().copied().filter(|&i| overlaps(i)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The contract of a ticket of `customer` whatever its day: the first naming it (or the
    /// first `*`), for settings that do not follow dates.
    pub fn contract_of(&self, customer: Option<&str>) -> Option<usize> {
        customer
            .and_then(|c| self.by_customer.get(c.trim()))
            .and_then(|l| l.first().copied())
            .or(self.wildcards.first().copied())
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Why a ticket of `customer` falls under no contract, and how to fix it.
    pub fn unmatched_message(&self, customer: Option<&str>) -> String {
        let who = match customer {
            Some(_) => "no contract names this customer",
            None => "the customer is empty and no contract has `customers: \"*\"`",
        };
        format!(
            "{who} (contracts: {}); add it to a contract's `customers`, or add a contract with `customers: \"*\"`",
            self.names.join(", ")
        )
    }
}

/// Targets per (clock, priority) of one set of terms.
pub type Targets = BTreeMap<(ClockKind, Priority), SlaTarget>;

/// What each ticket is measured with: one set of terms per contract (or one for everybody when
/// no contracts are configured), and which set each ticket falls under.
pub struct Terms {
    pub targets: Vec<Targets>,
    /// Paused statuses of each set.
    pub pause_statuses: Vec<Vec<String>>,
    /// Set of each ticket.
    pub of_ticket: Vec<u16>,
}

/// The targets of the top-level `sla` alone, or of every contract with its fallbacks.
pub fn terms(
    config: &KpiConfig,
    calendars: &BTreeMap<&str, Calendar>,
    tickets: &Tickets,
) -> Result<Terms, Vec<ConfigError>> {
    if config.contracts.is_empty() {
        let targets = targets_of(
            &config.sla.response,
            &config.sla.resolution,
            None,
            (calendars, &config.priority_levels),
            &["sla"],
        )?;
        return Ok(Terms {
            targets: vec![targets],
            pause_statuses: vec![config.sla.pause_statuses.clone()],
            of_ticket: vec![0; tickets.len()],
        });
    }
    let mut targets = Vec::new();
    let mut pause_statuses = Vec::new();
    let mut errors: Vec<ConfigError> = Vec::new();
    for (n, c) in config.contracts.iter().enumerate() {
        let n = n.to_string();
        let here = ["contracts", n.as_str()];
        if let (Some(from), Some(to)) = (c.from, c.to) {
            if to < from {
                errors.push(ConfigError::at(
                    &["contracts", &n, "to"],
                    format!("contracts: `{}` ends ({to}, its last day) before it starts ({from}): no ticket would fall under it", c.name),
                ));
            }
        }
        if let Some(cal) = &c.calendar {
            if !calendars.contains_key(cal.as_str()) {
                errors.push(ConfigError::at(
                    &["contracts", &n, "calendar"],
                    no_calendar(cal, calendars),
                ));
                continue;
            }
        }
        // The contract's own targets first; the top-level ones fill the gaps, measured on the
        // contract's calendar unless they name their own.
        let (response, resolution) = c.targets_over(&config.sla);
        let own = |kind: &str, p: &str| match kind {
            "response" => c.response.contains_key(p),
            _ => c.resolution.contains_key(p),
        };
        match targets_of(
            &response,
            &resolution,
            c.calendar.as_deref(),
            (calendars, &config.priority_levels),
            &here,
        ) {
            Ok(t) => targets.push(t),
            Err(found) => {
                for mut e in found {
                    // A mistake in a fallback target is the top-level target's.
                    if let [_, _, kind, p, ..] = e.keys.as_slice() {
                        let (kind, p) = (step_text(kind), step_text(p));
                        if !own(&kind, &p) {
                            e.keys.drain(..2);
                            e.keys
                                .insert(0, crate::config::keys::Step::Key("sla".into()));
                        }
                    }
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
                targets.push(Targets::new());
            }
        }
        pause_statuses.push(
            c.pause_statuses
                .clone()
                .unwrap_or_else(|| config.sla.pause_statuses.clone()),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let tz = crate::timezone::parse(&config.timezone).unwrap_or(chrono_tz::UTC);
    let matcher = ContractMatcher::new(&config.contracts, tz);
    // Each ticket is measured against the contract in force the day it was opened. Tickets no
    // contract covers were set aside at loading; any left (a data set built another way) fall
    // back to the first contract rather than vanish.
    let of_ticket = (0..tickets.len())
        .map(|i| {
            (matcher.contract_at(tickets.customer_name(i), tickets.opened[i])).unwrap_or(0) as u16
        })
        .collect();
    Ok(Terms {
        targets,
        pause_statuses,
        of_ticket,
    })
}

fn step_text(s: &crate::config::keys::Step) -> String {
    match s {
        crate::config::keys::Step::Key(k) => k.clone(),
        crate::config::keys::Step::Index(i) => i.to_string(),
    }
}

fn targets_of(
    response: &BTreeMap<String, SlaTargetConfig>,
    resolution: &BTreeMap<String, SlaTargetConfig>,
    default_calendar: Option<&str>,
    (calendars, levels): (&BTreeMap<&str, Calendar>, &PriorityLevels),
    at: &[&str],
) -> Result<Targets, Vec<ConfigError>> {
    let mut targets = Targets::new();
    let mut errors = Vec::new();
    for (kind, map) in [
        (ClockKind::Response, response),
        (ClockKind::Resolution, resolution),
    ] {
        for (p, t) in map {
            let fail = |key: Option<&str>, message: String| {
                let mut keys = at.to_vec();
                keys.extend([kind.name(), p.as_str()]);
                keys.extend(key);
                ConfigError::at(&keys, message)
            };
            let Some(priority) = levels.parse(p) else {
                let keys: Vec<&str> = levels.all().map(|l| levels.key(l)).collect();
                // `ｃｒｉｔｉｃａｌ` is `critical` written full-width.
                let narrow: String =
                    unicode_normalization::UnicodeNormalization::nfkc(p.as_str()).collect();
                let hint = crate::config::keys::closest(&narrow, keys.iter().copied())
                    .map(|k| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                errors.push(fail(
                    None,
                    format!("`{p}` is not a priority ({hint}{})", levels.listed()),
                ));
                continue;
            };
            // `P2:` beside `p2:`: one of the two would be dropped without a word.
            if let Some(other) = (map.keys()).find(|o| *o < p && levels.parse(o) == Some(priority))
            {
                let key = levels.key(priority);
                let message =
                    format!("`{p}` and `{other}` both set the target of level {key}: keep one");
                errors.push(fail(None, message));
                continue;
            }
            let cal_name = t
                .calendar
                .as_deref()
                .or(default_calendar)
                .unwrap_or("always");
            let Some(calendar) = calendars.get(cal_name).cloned() else {
                errors.push(fail(Some("calendar"), no_calendar(cal_name, calendars)));
                continue;
            };
            match calendar::parse_duration(&t.within, &calendar) {
                Ok(seconds) => {
                    targets.insert((kind, priority), SlaTarget { seconds, calendar });
                }
                Err(e) => errors.push(fail(Some("within"), e)),
            }
        }
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

/// "no calendar `bzi` under calendars (did you mean `biz`?)"
fn no_calendar(name: &str, calendars: &BTreeMap<&str, Calendar>) -> String {
    let hint = crate::config::keys::closest(name, calendars.keys().copied())
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    format!("no calendar `{name}` under calendars{hint}")
}

/// One customer's tickets, for the `customer.<name>.*` KPIs.
#[derive(Debug, Clone)]
pub struct CustomerLists {
    pub name: String,
    /// Code of the name in the tickets' dictionary (none: named in a contract, no tickets).
    code: Option<u32>,
    opened: Vec<i64>,
    resolved: Vec<i64>,
    /// Times to resolution, by the instant of resolution.
    resolution_times: Durations,
    outcomes: super::outcomes::Outcomes,
}

impl CustomerLists {
    fn empty(name: String, code: Option<u32>) -> CustomerLists {
        CustomerLists {
            name,
            code,
            opened: Vec::new(),
            resolved: Vec::new(),
            resolution_times: Durations::default(),
            outcomes: Default::default(),
        }
    }
}

/// Every customer in the tickets or named in a contract (`*` aside), with their tickets.
/// `outcomes`: whether reopens and first contact are mapped.
pub fn customer_lists(
    tickets: &Tickets,
    contracts: &[ContractConfig],
    outcomes: (bool, bool),
) -> Vec<CustomerLists> {
    // (lists, (resolved, opened) of each resolved ticket) by customer code.
    let mut by_code: BTreeMap<u32, (CustomerLists, Vec<(i64, i64)>)> = BTreeMap::new();
    for i in 0..tickets.len() {
        let Some(code) = tickets.customer.get(i) else {
            continue;
        };
        let (c, spans) = by_code.entry(code).or_insert_with(|| {
            let name = tickets.labels[code as usize].clone();
            let mut c = CustomerLists::empty(name, Some(code));
            c.outcomes = super::outcomes::Outcomes::new(outcomes.0, outcomes.1);
            (c, Vec::new())
        });
        c.outcomes.add(tickets, i);
        c.opened.push(tickets.opened[i]);
        if let Some(r) = tickets.resolved.get(i) {
            c.resolved.push(r);
            spans.push((r, tickets.opened[i]));
        }
    }
    let mut out: BTreeMap<String, CustomerLists> = by_code
        .into_values()
        .map(|(mut c, spans)| {
            c.opened = super::sorted(std::mem::take(&mut c.opened));
            c.resolved = super::sorted(std::mem::take(&mut c.resolved));
            c.resolution_times = Durations::of(spans.into_iter());
            c.outcomes.sort();
            (c.name.clone(), c)
        })
        .collect();
    for contract in contracts {
        for name in contract.customers.list() {
            if name != "*" && !out.contains_key(name) {
                out.insert(name.to_string(), CustomerLists::empty(name.into(), None));
            }
        }
    }
    out.into_values().collect()
}

/// `customer.<name>.*` of `[start, cut)`. Ids are literal strings: a name may hold dots.
pub fn customer_values(
    c: &CustomerLists,
    (clocks, levels): (&Clocks, &PriorityLevels),
    start: i64,
    cut: i64,
) -> Vec<(String, Kpi)> {
    let pre = format!("customer.{}", c.name);
    let resolved_before_cut = c.resolved.partition_point(|&t| t < cut) as u64;
    let resolved = super::in_range(&c.resolved, start, cut);
    let mut out = vec![
        (
            format!("{pre}.tickets.opened"),
            Kpi::count(super::in_range(&c.opened, start, cut)),
        ),
        (format!("{pre}.tickets.resolved"), Kpi::count(resolved)),
        (
            format!("{pre}.tickets.backlog"),
            Kpi::count(c.opened.partition_point(|&t| t < cut) as u64 - resolved_before_cut),
        ),
    ];
    for key in clocks.overall.keys() {
        let counts = c
            .code
            .and_then(|code| clocks.by_customer.get(&(code, *key)))
            .map(|set| set.counts(start, cut))
            .unwrap_or_default();
        out.push((
            format!("{pre}.sla.{}.{}", key.0.name(), levels.key(key.1)),
            super::sla_kpi(counts),
        ));
    }
    out.extend(c.outcomes.values(&format!("{pre}."), resolved, start, cut));
    let minutes = c.resolution_times.minutes_in(start, cut);
    let mut mttr = Kpi::new(super::stats::mean(&minutes), Unit::Minutes);
    mttr.count = Some(minutes.len() as u64);
    out.push((format!("{pre}.mttr.minutes"), mttr));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::kpi::Customers;

    fn contract(name: &str, customers: Customers) -> ContractConfig {
        ContractConfig {
            name: name.into(),
            customers,
            from: None,
            to: None,
            calendar: None,
            pause_statuses: None,
            response: BTreeMap::new(),
            resolution: BTreeMap::new(),
            indicators: Vec::new(),
            availability_targets: BTreeMap::new(),
        }
    }

    #[test]
    fn a_priority_misspelt_or_written_full_width_is_said_with_the_level_meant() {
        let target = |within: &str| SlaTargetConfig {
            within: within.into(),
            calendar: None,
        };
        let response = BTreeMap::from([
            ("ｃｒｉｔｉｃａｌ".to_string(), target("1h")),
            ("hihg".to_string(), target("2h")),
            ("urgent".to_string(), target("3h")),
        ]);
        let levels = PriorityLevels::default();
        let no_calendars = BTreeMap::new();
        let errors = targets_of(
            &response,
            &BTreeMap::new(),
            None,
            (&no_calendars, &levels),
            &["sla"],
        )
        .unwrap_err();
        let said: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            said,
            [
                "`hihg` is not a priority (did you mean `high`? critical, high, medium, low)",
                "`urgent` is not a priority (critical, high, medium, low)",
                "`ｃｒｉｔｉｃａｌ` is not a priority (did you mean `critical`? critical, high, medium, low)",
            ]
        );
    }

    #[test]
    fn first_naming_contract_wins_and_the_wildcard_only_covers_the_rest() {
        let m = ContractMatcher::new(
            &[
                contract("standard", Customers::One("*".into())),
                contract(
                    "premium",
                    Customers::Many(vec!["ACME 株式会社".into(), " 北海物流 ".into()]),
                ),
                contract("gold", Customers::One("ACME 株式会社".into())),
            ],
            chrono_tz::Asia::Tokyo,
        );
        assert_eq!(m.contract_of(Some("ACME 株式会社")), Some(1));
        assert_eq!(m.contract_of(Some("北海物流")), Some(1), "trimmed");
        assert_eq!(m.contract_of(Some("南海商事")), Some(0));
        assert_eq!(m.contract_of(None), Some(0));
        let strict = ContractMatcher::new(
            &[contract("premium", Customers::One("ACME".into()))],
            chrono_tz::Asia::Tokyo,
        );
        assert_eq!(
            strict.contract_of(Some("acme")),
            None,
            "names match exactly"
        );
        assert!(strict
            .unmatched_message(Some("acme"))
            .starts_with("no contract names this customer (contracts: premium)"));
    }
}
