//! The data and KPI part of `site.yaml`: where the exports are and how their columns map to
//! canonical fields, business calendars, SLA targets, availability and success indicators.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A value written as one string or a list of them.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn list(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

pub use super::sla::{
    ContractConfig, Customers, IndicatorConfig, SlaConfig, SlaTargetConfig, TargetMap,
};
pub use super::source_settings::{
    DecimalSeparator, Delimiter, QuarantineLimit, DEFAULT_MAX_QUARANTINED,
};

/// A glob or a list of globs, relative to the site root.
pub type Globs = OneOrMany;

/// `holidays:` of a calendar: `japan`, a holiday file, or a list of these.
pub type HolidaySources = OneOrMany;

/// Whether a `holidays:` entry names a file (`.ics` or `.csv`) rather than a built-in calendar.
pub fn is_holiday_file(entry: &str) -> bool {
    let lower = entry.trim().to_ascii_lowercase();
    lower.ends_with(".ics") || lower.ends_with(".csv")
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    /// Excel's default in Japan (CP932).
    #[serde(
        rename = "shift_jis",
        alias = "sjis",
        alias = "cp932",
        alias = "Shift_JIS",
        alias = "shift-jis",
        alias = "Shift-JIS",
        alias = "windows-31j"
    )]
    ShiftJis,
    /// Western Windows text (ServiceNow's CSV export unless its charset is set to UTF-8).
    #[serde(rename = "windows-1252", alias = "cp1252", alias = "latin1")]
    Windows1252,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// A bad row stops the run with an error naming file, line, column and value.
    #[default]
    Fail,
    /// Bad rows go to `.opsite/rejects/<source>.csv` with a reason and are counted.
    Quarantine,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    First,
    #[default]
    Last,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Dedupe {
    #[serde(default)]
    pub keep: Keep,
    /// Column (in the export) that orders rows of one id; without it, file order.
    pub by: Option<String>,
}

/// The stretch of time an export speaks for.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Covers {
    pub from: chrono::NaiveDate,
}

/// A known export's column names, values and encoding, so that `preset: redmine` is all a
/// standard export needs (what the site writes beside it wins).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    // The products' own spellings are accepted too (`preset: ServiceNow`).
    #[serde(alias = "Redmine")]
    Redmine,
    #[serde(alias = "ServiceNow")]
    ServiceNow,
    #[serde(alias = "Jira", alias = "JIRA")]
    Jira,
    #[serde(alias = "Zendesk")]
    Zendesk,
    #[serde(alias = "Backlog")]
    Backlog,
}

impl Preset {
    /// As written in site.yaml.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Redmine => "redmine",
            Preset::ServiceNow => "servicenow",
            Preset::Jira => "jira",
            Preset::Zendesk => "zendesk",
            Preset::Backlog => "backlog",
        }
    }
}

/// What a preset filled in that the site did not write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PresetFill {
    /// Columns read when the export has them, for fields not under `columns`.
    pub when_present: BTreeMap<String, String>,
    /// Fields whose `columns` entry is the preset's.
    pub fields: std::collections::BTreeSet<String>,
    /// Columns read only when the export has them: the columns of a field with fallbacks (at
    /// least one must be there), the order column of `dedupe`.
    pub optional_columns: std::collections::BTreeSet<String>,
    /// The encoding is the preset's.
    pub encoding: bool,
    /// `dedupe` is the preset's: its order column may be missing.
    pub dedupe: bool,
}

/// One export source.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SourceConfig {
    pub files: Globs,
    /// Tickets only: a known export (`redmine`, `servicenow`, `jira`, `zendesk`, `backlog`).
    pub preset: Option<Preset>,
    /// None: UTF-8, or the preset's.
    pub encoding: Option<Encoding>,
    /// CSV only: the character between fields (default `,`).
    pub delimiter: Option<Delimiter>,
    /// CSV only: how numbers write their decimals (default `.`); `,` reads `3871,69` as 3871.69.
    pub decimal_separator: Option<DecimalSeparator>,
    /// Canonical field → column name in the export, or several: the first non-empty wins.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnNames>,
    pub timestamp_format: Option<String>,
    /// The IANA zone the export's local times are in, when not the site's (`UTC`).
    pub timezone: Option<String>,
    #[serde(default)]
    #[serde(deserialize_with = "super::scalar::list")]
    pub null_values: Vec<String>,
    /// Export value → canonical priority (critical, high, medium, low).
    #[serde(default, deserialize_with = "super::scalar::optional_map")]
    pub priorities: Option<BTreeMap<String, String>>,
    pub dedupe: Option<Dedupe>,
    #[serde(default)]
    pub on_error: OnError,
    /// With `on_error: quarantine`: how many rows may be set aside before that is an error (a
    /// count, or `"5%"` of the rows read; default 1%), so a setting that misreads a column
    /// cannot hide behind the quarantine.
    pub max_quarantined: Option<QuarantineLimit>,
    /// A glob that matches no file is no data rather than an error (a source not exported yet).
    #[serde(default)]
    pub optional: bool,
    /// Downtime only: export value → planned (`{"はい": true, "×": false}`); without it the
    /// `planned` column holds true/false, yes/no or 1/0.
    pub planned_values: Option<BTreeMap<String, bool>>,
    /// Status events only: export status → the name `pause_statuses` and `first_status` use
    /// (`{保留中: On Hold}`); statuses not listed keep their own name.
    pub statuses: Option<BTreeMap<String, String>>,
    /// Downtime: the time the export speaks for (`covers: {from: 2026-09-01}`): an outage
    /// export has rows only when something broke, so its first row is not where it starts.
    /// Tickets: where the site's periods start (a history whose first months hold a few
    /// migrated tickets is not months of 0 % SLA).
    pub covers: Option<Covers>,
    /// Tickets only: the `first_contact` values that mean yes (trimmed, any case); default
    /// `data::cells::FIRST_CONTACT_YES`.
    #[serde(default, deserialize_with = "super::scalar::optional_list")]
    pub first_contact_values: Option<Vec<String>>,
    /// Tickets only: how the export writes a customer → its name in `contracts` and
    /// `customers` (`{"㈱東邦精機": 東邦精機株式会社}`), matched after NFKC and trimming.
    pub customer_names: Option<BTreeMap<String, String>>,
    /// Tickets only: rows left out of every figure (cancelled, test or duplicate tickets),
    /// counted apart: `{column: 状態, values: [取消, テスト]}` or a list of such conditions.
    #[serde(default)]
    pub exclude: ExcludeRules,
    /// Metrics only: the metric of every row (a wide source, one value column); without it
    /// the source has a `name` column.
    pub name: Option<String>,
    /// Metrics only: the service of every sample of this source (one file per host), instead
    /// of a column.
    pub service: Option<String>,
    /// What the preset filled in, for reading and for messages.
    #[serde(skip)]
    pub preset_fill: PresetFill,
}

/// One `exclude` condition: a row whose `column` holds one of `values` (trimmed) is left out.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExcludeRule {
    pub column: String,
    pub values: Vec<String>,
}

/// `exclude`: one condition or a list of them; a row meeting any is left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExcludeRules(pub Vec<ExcludeRule>);

impl<'de> Deserialize<'de> for ExcludeRules {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            One(ExcludeRule),
            Many(Vec<ExcludeRule>),
        }
        match Written::deserialize(d) {
            Ok(Written::One(r)) => Ok(ExcludeRules(vec![r])),
            Ok(Written::Many(list)) => Ok(ExcludeRules(list)),
            Err(_) => Err(serde::de::Error::custom(
                "exclude: write {column: <export column>, values: [<value>, …]}, or a list of them",
            )),
        }
    }
}

/// The export column a field is read from, or a list of them (`resolved_at: [resolved_at,
/// closed_at]`): each row takes the first that is not empty.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnNames {
    One(String),
    Fallbacks(Vec<String>),
    /// Tickets' `responded_at` only: no column, the first status event entering one of these
    /// statuses (`responded_at: {first_status: [Active, In Progress]}`).
    FirstStatus {
        first_status: Vec<String>,
    },
}

/// Read by hand rather than as an untagged enum, whose mistakes all say "did not match any
/// variant": a mistake here names what may be written.
impl<'de> Deserialize<'de> for ColumnNames {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        use serde_json::Value;
        // A column may be named by a number (`2026: …` in a wide export).
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let texts = |v: Value| -> Option<Vec<String>> {
            match v {
                Value::Array(items) => items.iter().map(text).collect(),
                other => text(&other).map(|t| vec![t]),
            }
        };
        const SHAPES: &str = "write a column name, a list of columns ([resolved_at, closed_at]) or, for responded_at, {first_status: [Active, In Progress]}";
        match Value::deserialize(d)? {
            v @ (Value::String(_) | Value::Number(_)) => {
                Ok(ColumnNames::One(text(&v).expect("a name")))
            }
            v @ Value::Array(_) => texts(v).map(ColumnNames::Fallbacks).ok_or_else(|| {
                D::Error::custom(format!("a list of columns holds names only; {SHAPES}"))
            }),
            Value::Object(map) => {
                let mut entries = map.into_iter();
                match (entries.next(), entries.next()) {
                    (Some((k, v)), None) if k == "first_status" => texts(v)
                        .map(|first_status| ColumnNames::FirstStatus { first_status })
                        .ok_or_else(|| {
                            D::Error::custom("first_status takes a status or a list of statuses")
                        }),
                    (Some((k, _)), None) => Err(D::Error::custom(format!(
                        "unknown key `{k}` (did you mean first_status?); {SHAPES}"
                    ))),
                    _ => Err(D::Error::custom(SHAPES)),
                }
            }
            _ => Err(D::Error::custom(SHAPES)),
        }
    }
}

impl ColumnNames {
    /// The columns it names (none for `first_status`).
    pub fn all(&self) -> &[String] {
        match self {
            ColumnNames::One(c) => std::slice::from_ref(c),
            ColumnNames::Fallbacks(list) => list,
            ColumnNames::FirstStatus { .. } => &[],
        }
    }
}

impl SourceConfig {
    /// The export's column for a canonical field (the field's own name when not mapped); the
    /// first of its columns when it names several.
    pub fn column<'a>(&'a self, field: &'a str) -> &'a str {
        self.columns_of(field)[0]
    }

    /// Every column a canonical field is read from, in order (at least one).
    pub fn columns_of<'a>(&'a self, field: &'a str) -> Vec<&'a str> {
        match self.columns.get(field).map(ColumnNames::all) {
            Some(list) if !list.is_empty() => list.iter().map(String::as_str).collect(),
            _ => vec![(self.preset_fill.when_present.get(field)).map_or(field, String::as_str)],
        }
    }

    /// The encoding to read CSV files in: the one written, else UTF-8.
    pub fn encoding(&self) -> Encoding {
        self.encoding.unwrap_or_default()
    }

    /// The byte between a CSV file's fields.
    pub fn delimiter(&self) -> u8 {
        self.delimiter.map_or(b',', Delimiter::byte)
    }

    pub fn decimal_separator(&self) -> DecimalSeparator {
        self.decimal_separator.unwrap_or_default()
    }
    pub fn is_mapped(&self, field: &str) -> bool {
        self.columns.contains_key(field)
    }

    /// The statuses whose first event is the response, when `responded_at` says so.
    pub fn response_statuses(&self) -> Option<&[String]> {
        self.statuses_of("responded_at")
    }

    /// The statuses whose first event gives a field (`responded_at` or `reopened_at`), when it
    /// is `{first_status: […]}`.
    pub fn statuses_of(&self, field: &str) -> Option<&[String]> {
        match self.columns.get(field) {
            Some(ColumnNames::FirstStatus { first_status }) => Some(first_status),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct DataConfig {
    pub tickets: Option<SourceConfig>,
    pub ticket_events: Option<SourceConfig>,
    pub downtime: Option<SourceConfig>,
    pub surveys: Option<SourceConfig>,
    pub api_usage: Option<SourceConfig>,
    pub metrics: Vec<SourceConfig>,
}

impl DataConfig {
    /// Every source configured, in this order: its key under `data:`, its place in the list
    /// for `metrics`, its settings. Names every field, so a source added to the type fails to
    /// compile here until it is listed.
    pub fn sources(&self) -> Vec<(&'static str, Option<usize>, &SourceConfig)> {
        let DataConfig {
            tickets,
            ticket_events,
            downtime,
            surveys,
            api_usage,
            metrics,
        } = self;
        let single = [
            ("tickets", tickets),
            ("ticket_events", ticket_events),
            ("downtime", downtime),
            ("surveys", surveys),
            ("api_usage", api_usage),
        ];
        (single.into_iter())
            .filter_map(|(key, source)| Some((key, None, source.as_ref()?)))
            .chain((metrics.iter().enumerate()).map(|(i, m)| ("metrics", Some(i), m)))
            .collect()
    }
}

/// A day's opening hours: `"09:00-12:00,13:00-18:00"` or a list of ranges.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum DayHours {
    One(String),
    Many(Vec<String>),
}

impl DayHours {
    /// Each range as written (`09:00-12:00`), commas split.
    pub fn ranges(&self) -> Vec<&str> {
        let parts: Vec<&str> = match self {
            DayHours::One(s) => vec![s.as_str()],
            DayHours::Many(v) => v.iter().map(String::as_str).collect(),
        };
        parts
            .into_iter()
            .flat_map(|p| p.split([',', '、']))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

impl From<&str> for DayHours {
    fn from(s: &str) -> Self {
        DayHours::One(s.to_string())
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct CalendarConfig {
    /// `mon: "09:00-18:00"`, with breaks `"09:00-12:00,13:00-18:00"` or a list; days not listed
    /// (or `closed`) are closed.
    pub hours: BTreeMap<String, DayHours>,
    /// `japan` for Japanese public holidays, a holiday file (`data/holidays-br.ics`, or a
    /// CSV of dates), or a list of these.
    pub holidays: Option<HolidaySources>,
    pub extra_holidays: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct MaintenanceConfig {
    /// `month`, `week` or `day`.
    pub every: String,
    /// With `every: month`: the nth `weekday` of the month (1–5).
    pub nth: Option<u32>,
    pub weekday: Option<String>,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct AvailabilityConfig {
    pub target: f64,
    /// Per service, over `target` (percent).
    pub targets: BTreeMap<String, f64>,
    pub services: Vec<String>,
    pub maintenance: Vec<MaintenanceConfig>,
}

impl Default for AvailabilityConfig {
    fn default() -> Self {
        AvailabilityConfig {
            target: 99.9,
            targets: BTreeMap::new(),
            services: Vec::new(),
            maintenance: Vec::new(),
        }
    }
}

impl AvailabilityConfig {
    /// The availability target of `service` (percent): its own, else the site's.
    pub fn target_of(&self, service: &str) -> f64 {
        self.targets.get(service).copied().unwrap_or(self.target)
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct ApiConfig {
    pub daily_budget: Option<f64>,
}

/// How a shown figure drops its last digits: rounded half up (四捨五入, what Excel's number
/// formats show) or cut toward zero.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    #[default]
    HalfUp,
    Truncate,
}

/// Decimals shown per unit (the README's unit names).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Decimals {
    /// A ratio is shown as a percentage: 1 gives `95.5 %`.
    pub ratio: u8,
    pub percent: u8,
    pub minutes: u8,
    pub count: u8,
    pub score: u8,
    pub number: u8,
}

impl Default for Decimals {
    fn default() -> Self {
        Decimals {
            ratio: 1,
            percent: 2,
            minutes: 0,
            count: 0,
            score: 2,
            number: 2,
        }
    }
}

/// `numbers:` in site.yaml: one rule for every figure a person reads (pages, PDFs, mails,
/// workbooks, the `kpi` table); data outputs (`kpi --format json|csv`) keep full precision.
/// The rule's arithmetic is `kpi::numbers`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Numbers {
    pub rounding: Rounding,
    pub decimals: Decimals,
}

/// Everything the KPI engine is configured with.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct KpiConfig {
    pub timezone: String,
    /// The priority levels, most urgent first (`priority_levels: [p1, p2, p3, p4, p5]`;
    /// default critical, high, medium, low).
    pub priority_levels: super::priority::PriorityLevels,
    pub data: DataConfig,
    pub calendars: BTreeMap<String, CalendarConfig>,
    pub sla: SlaConfig,
    pub contracts: Vec<ContractConfig>,
    pub availability: AvailabilityConfig,
    pub api: ApiConfig,
    pub indicators: Vec<IndicatorConfig>,
    /// How every output writes a figure: `numbers: {rounding: half_up, decimals: {ratio: 1}}`.
    pub numbers: Numbers,
    /// The names of the site's `customers:` (its editions), set from the site's configuration:
    /// a ticket's customer spelled nearly so is warned about, as one nearly a contract's is.
    #[serde(skip)]
    pub edition_customers: Vec<String>,
}

impl Default for KpiConfig {
    fn default() -> Self {
        KpiConfig {
            timezone: "Asia/Tokyo".into(),
            priority_levels: Default::default(),
            data: DataConfig::default(),
            calendars: BTreeMap::new(),
            sla: SlaConfig::default(),
            contracts: Vec::new(),
            availability: AvailabilityConfig::default(),
            api: ApiConfig::default(),
            indicators: Vec::new(),
            numbers: Numbers::default(),
            edition_customers: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Encoding;

    #[test]
    fn shift_jis_is_read_under_the_names_people_write_it() {
        for name in [
            "shift_jis",
            "Shift_JIS",
            "shift-jis",
            "Shift-JIS",
            "sjis",
            "cp932",
        ] {
            let e: Encoding = serde_yaml::from_str(name).expect(name);
            assert_eq!(e, Encoding::ShiftJis, "{name}");
        }
    }
}
