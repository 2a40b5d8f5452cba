//! The typed tables the KPI engine works on: canonical fields, one vector per column, timestamps
//! as UTC seconds. `data` builds them from the exports (read with polars); the engine never sees
//! a file or a column name from an export.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::config::priority::{Priority, PriorityLevels};

/// Ticket ids in one buffer: a string each would be a heap allocation per ticket (40 bytes,
/// and ten million allocations for ten million tickets); here an id costs its bytes and an end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    text: String,
    #[serde(with = "columns")]
    ends: Vec<usize>,
}

impl Ids {
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        (0..self.len()).map(|i| &self[i])
    }
    /// Move `other`'s ids to the end of these.
    pub fn append(&mut self, other: &mut Ids) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + base));
        *other = Ids::default();
    }
    /// The ids at rows `rows`, in that order.
    pub fn pick(&self, rows: impl Iterator<Item = usize>) -> Ids {
        let mut out = Ids::default();
        for i in rows {
            out.push(&self[i]);
        }
        out
    }
}

impl std::ops::Index<usize> for Ids {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// A value that no real one can be, standing for none.
pub trait Sentinel: Copy + PartialEq {
    const NONE: Self;
}

impl Sentinel for i64 {
    /// No time read from an export is this far back.
    const NONE: i64 = i64::MIN;
}

impl Sentinel for u32 {
    /// No dictionary has this many labels.
    const NONE: u32 = u32::MAX;
}

/// One optional value per ticket without `Option`'s room for its tag: `Option<i64>` takes 16
/// bytes and `Option<u32>` 8, these 8 and 4 (at 10 M tickets, 280 MB less).
#[derive(Debug, Clone, Default)]
pub struct Optional<T: Sentinel>(Vec<T>);

impl<T: Sentinel> Optional<T> {
    /// Ticket `i`'s value; none past the end too.
    pub fn get(&self, i: usize) -> Option<T> {
        self.0.get(i).copied().filter(|v| *v != T::NONE)
    }
    pub fn set(&mut self, i: usize, value: Option<T>) {
        self.0[i] = value.unwrap_or(T::NONE);
    }
    pub fn push(&mut self, value: Option<T>) {
        self.0.push(value.unwrap_or(T::NONE));
    }
    pub fn iter(&self) -> impl Iterator<Item = Option<T>> + Clone + '_ {
        self.0.iter().map(|v| (*v != T::NONE).then_some(*v))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn reserve(&mut self, n: usize) {
        self.0.reserve(n);
    }
    /// Keeps the values for which `keep` (called once per value, in order) holds.
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.0.retain(keep);
    }
    pub fn append(&mut self, other: &mut Optional<T>) {
        self.0.append(&mut other.0);
    }
}

impl<T: Sentinel + columns::Plain> Serialize for Optional<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        columns::serialize(&self.0, s)
    }
}

impl<'de, T: Sentinel + columns::Plain> Deserialize<'de> for Optional<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        columns::deserialize(d).map(Optional)
    }
}

impl<T: Sentinel> FromIterator<Option<T>> for Optional<T> {
    fn from_iter<I: IntoIterator<Item = Option<T>>>(iter: I) -> Self {
        Optional(iter.into_iter().map(|v| v.unwrap_or(T::NONE)).collect())
    }
}

impl<T: Sentinel> Extend<Option<T>> for Optional<T> {
    fn extend<I: IntoIterator<Item = Option<T>>>(&mut self, iter: I) {
        self.0
            .extend(iter.into_iter().map(|v| v.unwrap_or(T::NONE)));
    }
}

/// One row per ticket.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tickets {
    pub id: Ids,
    #[serde(with = "columns")]
    pub priority: Vec<Priority>,
    #[serde(with = "columns")]
    pub opened: Vec<i64>,
    pub responded: Optional<i64>,
    pub resolved: Optional<i64>,
    /// Codes into `labels`.
    pub category: Optional<u32>,
    pub tier: Optional<u32>,
    /// Codes into `labels` (the `customer` column, trimmed).
    pub customer: Optional<u32>,
    /// Category, tier and customer names (one dictionary for all three).
    pub labels: Vec<String>,
    /// Titles, for the report pages' lists of breached tickets; empty when the export has none.
    pub title: Vec<Option<String>>,
    /// When each ticket was reopened (`columns.reopened_at`); empty when not mapped.
    pub reopened: Optional<i64>,
    /// Whether each was resolved at first contact (`columns.first_contact`); empty when not
    /// mapped.
    pub first_contact: Vec<bool>,
}

impl Tickets {
    pub fn len(&self) -> usize {
        self.id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The tickets opened after `clock` (a typo, 2027 for 2026): how many, and the first
    /// one's row.
    pub fn opened_after(&self, clock: i64) -> Option<(usize, usize)> {
        let later = (0..self.len()).filter(|&i| self.opened[i] > clock);
        let first = later.clone().min_by_key(|&i| self.opened[i])?;
        Some((later.count(), first))
    }

    /// The tickets for which `keep(i)` holds (same dictionary).
    pub fn only(&self, keep: impl Fn(usize) -> bool) -> Tickets {
        let idx: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        macro_rules! pick {
            ($f:ident) => {
                idx.iter().map(|&i| self.$f[i].clone()).collect()
            };
        }
        macro_rules! pick_optional {
            ($f:ident) => {
                idx.iter().map(|&i| self.$f.get(i)).collect()
            };
        }
        Tickets {
            id: self.id.pick(idx.iter().copied()),
            priority: pick!(priority),
            opened: pick!(opened),
            responded: pick_optional!(responded),
            resolved: pick_optional!(resolved),
            category: pick_optional!(category),
            tier: pick_optional!(tier),
            customer: pick_optional!(customer),
            labels: self.labels.clone(),
            title: if self.title.is_empty() {
                Vec::new()
            } else {
                pick!(title)
            },
            reopened: if self.reopened.is_empty() {
                Optional::default()
            } else {
                pick_optional!(reopened)
            },
            first_contact: if self.first_contact.is_empty() {
                Vec::new()
            } else {
                pick!(first_contact)
            },
        }
    }

    /// The title of ticket `i`, if the export has one.
    pub fn title(&self, i: usize) -> Option<&str> {
        self.title.get(i).and_then(|t| t.as_deref())
    }

    /// The customer of ticket `i`, if the export has one.
    pub fn customer_name(&self, i: usize) -> Option<&str> {
        self.customer
            .get(i)
            .map(|c| self.labels[c as usize].as_str())
    }
}

/// Status history: each status lasts until the ticket's next event.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatusEvents {
    pub id: Vec<String>,
    pub status: Vec<String>,
    #[serde(with = "columns")]
    pub at: Vec<i64>,
    /// The export's sequence column (`seq`), which orders a ticket's events of the same time;
    /// 0 for every event when the source has none (then the export's own order decides).
    #[serde(with = "columns")]
    pub seq: Vec<i64>,
}

/// One row per outage; `end: None` is still going on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outages {
    pub service: Vec<String>,
    #[serde(with = "columns")]
    pub start: Vec<i64>,
    pub end: Vec<Option<i64>>,
    pub planned: Vec<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Surveys {
    #[serde(with = "columns")]
    pub at: Vec<i64>,
    pub csat: Vec<Option<f64>>,
    pub nps: Vec<Option<f64>>,
}

/// Daily API usage per user.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiUsage {
    pub date: Vec<NaiveDate>,
    pub user: Vec<Option<String>>,
    #[serde(with = "columns")]
    pub calls: Vec<f64>,
    #[serde(with = "columns")]
    pub cost: Vec<f64>,
}

/// Samples of named metrics, optionally per service: one row per sample with a value, the
/// (name, service) pair coded as a series (tens of millions of rows, a few hundred series).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "MetricSamples")]
pub struct Metrics {
    /// Each series: metric name and service.
    pub series: Vec<(String, Option<String>)>,
    #[serde(with = "columns")]
    pub series_of: Vec<u32>,
    #[serde(with = "columns")]
    pub at: Vec<i64>,
    #[serde(with = "columns")]
    pub value: Vec<f64>,
    /// name → (series without a service, service → series), for coding rows without allocating.
    #[serde(skip_serializing)]
    index: HashMap<String, (Option<u32>, HashMap<String, u32>)>,
}

/// A `Metrics` as it is kept between runs: its index is made again from its series.
#[derive(Deserialize)]
struct MetricSamples {
    series: Vec<(String, Option<String>)>,
    #[serde(with = "columns")]
    series_of: Vec<u32>,
    #[serde(with = "columns")]
    at: Vec<i64>,
    #[serde(with = "columns")]
    value: Vec<f64>,
}

impl From<MetricSamples> for Metrics {
    fn from(kept: MetricSamples) -> Metrics {
        let MetricSamples {
            series,
            series_of,
            at,
            value,
        } = kept;
        let mut metrics = Metrics::default();
        for (name, service) in &series {
            metrics.series_code(name, service.as_deref());
        }
        debug_assert_eq!(metrics.series, series);
        Metrics {
            series_of,
            at,
            value,
            ..metrics
        }
    }
}

impl Metrics {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Add one sample.
    pub fn push(&mut self, name: &str, service: Option<&str>, at: i64, value: f64) {
        let code = self.series_code(name, service);
        self.series_of.push(code);
        self.at.push(at);
        self.value.push(value);
    }

    fn series_code(&mut self, name: &str, service: Option<&str>) -> u32 {
        let next = self.series.len() as u32;
        let entry = match self.index.get_mut(name) {
            Some(e) => e,
            None => self.index.entry(name.to_string()).or_default(),
        };
        let code = match service {
            None => *entry.0.get_or_insert(next),
            Some(s) => match entry.1.get(s) {
                Some(&c) => c,
                None => {
                    entry.1.insert(s.to_string(), next);
                    next
                }
            },
        };
        if code == next {
            self.series
                .push((name.to_string(), service.map(str::to_string)));
        }
        code
    }

    /// Append another table's samples (series recoded).
    pub fn append(&mut self, other: Metrics) {
        let recode: Vec<u32> = other
            .series
            .iter()
            .map(|(n, s)| self.series_code(n, s.as_deref()))
            .collect();
        self.series_of
            .extend(other.series_of.iter().map(|&c| recode[c as usize]));
        self.at.extend(other.at);
        self.value.extend(other.value);
    }
}

/// Everything loaded for one site.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DataSet {
    pub tickets: Tickets,
    pub events: Option<StatusEvents>,
    pub downtime: Option<Outages>,
    pub surveys: Option<Surveys>,
    pub api: Option<ApiUsage>,
    pub metrics: Option<Metrics>,
    /// The days of each holiday file the calendars name (`data/holidays-br.ics`), by the path
    /// as written in site.yaml.
    pub holiday_files: BTreeMap<String, Vec<chrono::NaiveDate>>,
}

impl DataSet {
    /// What `opsite kpi --customer` computes on: that customer's tickets (and their status
    /// history) and the shared outages; surveys, API usage and metrics are not per customer.
    /// Keeps the outages of `services` only.
    pub fn keep_services(&mut self, services: &[String]) {
        if let Some(d) = &mut self.downtime {
            let keep: Vec<bool> = d.service.iter().map(|s| services.contains(s)).collect();
            let mut k = keep.iter();
            d.service.retain(|_| *k.next().expect("same length"));
            let mut k = keep.iter();
            d.start.retain(|_| *k.next().expect("same length"));
            let mut k = keep.iter();
            d.end.retain(|_| *k.next().expect("same length"));
            let mut k = keep.iter();
            d.planned.retain(|_| *k.next().expect("same length"));
        }
    }

    pub fn for_customer(&self, name: &str) -> DataSet {
        let name = name.trim();
        DataSet {
            tickets: self
                .tickets
                .only(|i| self.tickets.customer_name(i) == Some(name)),
            events: self.events.clone(),
            downtime: self.downtime.clone(),
            surveys: None,
            api: None,
            metrics: None,
            holiday_files: self.holiday_files.clone(),
        }
    }
}

mod columns;
mod fingerprint;
