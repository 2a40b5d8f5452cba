//! The typed view of a report page and its rows: what templates, the PDF, the mail and the
//! workbooks read. Only types live here; the modules that fill them import it, so none of them
//! imports another in a circle.

use serde::Serialize;

use chrono::NaiveDateTime;

use super::figure::Figure;
use crate::charts::Chart;
use crate::kpi::period::PeriodKind;

/// Everything a report page shows.
#[derive(Debug, Serialize)]
pub struct ReportPageView {
    /// `weekly`, `monthly` or `quarterly`.
    pub kind: &'static str,
    /// The same, for Rust code (the templates read `kind`).
    #[serde(skip)]
    pub period_kind: PeriodKind,
    /// The files the commentary shows from its folder (its pictures), by their path from the
    /// site's root: a document printed from this view carries them. Empty on the site's pages, published beside them.
    #[serde(skip)]
    pub pictures: Vec<(String, std::sync::Arc<Vec<u8>>)>,
    /// The period's first and last day (`range` shows both).
    #[serde(skip)]
    pub days: (chrono::NaiveDate, chrono::NaiveDate),
    pub period: String,
    /// The period's name as people say it (「2026年11月第3週（11/16〜11/22）」).
    pub period_label: String,
    /// The page's heading: the commentary's title, or the kind and period.
    pub title: String,
    pub summary: Option<String>,
    pub url: String,
    /// The period's days in words: `2026年11月16日〜11月22日`, `Nov 16 – Nov 22, 2026`.
    pub range: String,
    /// `2026年11月20日 17:00`.
    pub as_of: String,
    /// The same instant (Unix seconds): the as-of, or the period's end when that came first.
    #[serde(skip)]
    pub as_of_instant: i64,
    /// The same in the site's time zone.
    #[serde(skip)]
    pub as_of_local: chrono::NaiveDateTime,
    /// The day the report set was computed, in the site's time zone (a document's default
    /// issue date: a finished month's report issued on 11-05 is dated 11-05, not 11-01).
    #[serde(skip)]
    pub as_of_date: chrono::NaiveDate,
    pub complete: bool,
    /// "as of 2026-11-20 17:00, period not complete" for the current period.
    pub incomplete_note: Option<String>,
    /// For a frozen period: where its figures are kept and when they were computed.
    pub frozen_note: Option<String>,
    /// When the exports begin inside the period: 「2026-09-02 からのデータ」.
    pub coverage_note: Option<String>,
    pub commentary: Option<CommentaryView>,
    /// The customer whose report it is (none on the internal site).
    pub customer: Option<String>,
    /// The contracts a customer's figures were measured against in the period (none on the
    /// internal report, which states the site-wide targets beside each figure).
    pub contracts: Vec<String>,
    /// `前週` / `Previous month` …: the column heading of previous values.
    pub previous_label: &'static str,
    pub services: Vec<ServiceRow>,
    /// The services table has the error budget column (`reports.error_budget`).
    pub show_error_budget: bool,
    pub figures: Vec<FigureRow>,
    pub sla: Vec<SlaRow>,
    /// `breached`, `all` or `none`: which tickets the page lists (`reports.<kind>.ticket_list`).
    pub ticket_list: &'static str,
    /// Some listed ticket has a title or a customer to show: else the lists leave the column out
    /// (an export with no title mapped).
    pub ticket_titles: bool,
    pub breaches: Vec<BreachRow>,
    pub handled: Vec<HandledRow>,
    /// Above a list cut to `views::LISTED_AT_MOST` rows: how many there are, and where.
    pub list_note: Option<String>,
    /// The rows a mail lists (`views::MAILED_AT_MOST` at most), and its note when cut.
    pub mail_listed: usize,
    pub mail_list_note: Option<String>,
    pub outages: Vec<OutageRow>,
    pub alerts: Vec<AlertRow>,
    pub indicators: Vec<IndicatorRow>,
    pub times: Vec<TimeRow>,
    pub satisfaction: Vec<FigureRow>,
    pub api: Vec<FigureRow>,
    /// Charts in reading order.
    pub charts: Vec<Chart>,
    pub trend_charts: Vec<Chart>,
    pub calendars: Vec<Chart>,
    pub volume_charts: Vec<Chart>,
    /// Quarterly: its months side by side.
    pub side_by_side: Option<SideBySide>,
    pub sources: Vec<SourceRow>,
    pub quarantined: Vec<QuarantineRow>,
    /// 「対象期間のチケットはありません。」 when no ticket was opened, resolved or open in the
    /// period (a customer's quiet week): said once instead of tables of zeros.
    pub no_tickets: Option<&'static str>,
    /// Monthly, internal site: each customer edition's month (`customers:`).
    pub customers: Vec<CustomerRow>,
    pub earlier: Option<PeriodLink>,
    pub later: Option<PeriodLink>,
    /// The page's tables as typed rows (written as the downloads).
    #[serde(skip)]
    pub tables: Vec<Table>,
    /// The downloads' file names, beside the page.
    pub downloads: Downloads,
}

#[derive(Debug, Serialize)]
pub struct CommentaryView {
    /// The body as HTML (rendered by the Markdown stage).
    pub html: String,
    /// The body as paragraphs of text, for what shows no markup (a mail, a workbook).
    pub paragraphs: Vec<String>,
    pub highlights: Vec<String>,
    pub known_issues: Vec<String>,
    pub next_steps: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PeriodLink {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct ServiceRow {
    pub name: String,
    pub availability: Figure,
    /// The availability target this report holds the service to (its contract's, else the
    /// site's).
    pub target: Figure,
    pub downtime: Figure,
    pub error_budget: Figure,
    /// `met`, `breached` or `no_data` against the availability target.
    pub status: &'static str,
    pub status_label: &'static str,
    pub previous: Figure,
    pub change: ChangeView,
}

#[derive(Debug, Serialize)]
pub struct FigureRow {
    pub label: String,
    pub value: Figure,
    pub previous: Figure,
    pub change: ChangeView,
}

#[derive(Debug, Serialize)]
pub struct SlaRow {
    pub priority: String,
    pub clock: &'static str,
    /// The promise it is measured against, in words (`30 分以内（24 時間）`): one line, one per
    /// contract when the period's contracts differ, none when the terms set none.
    pub targets: Vec<crate::reports::terms::TargetLine>,
    pub attainment: Figure,
    pub met: Figure,
    pub breached: Figure,
    pub pending: Figure,
    pub previous: Figure,
    pub change: ChangeView,
}

#[derive(Debug, Serialize)]
pub struct OutageRow {
    pub service: String,
    pub start: String,
    pub end: String,
    /// The same in the site's time zone, for the workbook and the CSV.
    #[serde(skip)]
    pub at: (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>),
    pub duration: Figure,
    pub planned: bool,
    /// Still going on at the report's as-of (its end reads 「継続中」).
    pub ongoing: bool,
    pub kind_label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AlertRow {
    pub date: String,
    pub rule: String,
    pub user: String,
    pub value: Figure,
}

#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub value: Figure,
    pub target: String,
    pub alert: String,
    /// `met`, `warning`, `breached`, `no_data`.
    pub status: &'static str,
    pub status_label: &'static str,
    pub previous: Figure,
    pub change: ChangeView,
}

#[derive(Debug, Serialize)]
pub struct TimeRow {
    pub label: &'static str,
    pub mean: Figure,
    pub p50: Figure,
    pub p90: Figure,
    pub count: Figure,
    pub previous: Figure,
    pub change: ChangeView,
}

#[derive(Debug, Serialize)]
pub struct SideBySide {
    pub columns: Vec<String>,
    pub rows: Vec<SideRow>,
}

#[derive(Debug, Serialize)]
pub struct SideRow {
    pub label: String,
    pub values: Vec<Figure>,
}

#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub file: String,
    pub rows: String,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct QuarantineRow {
    pub source: String,
    pub rows: String,
}

/// One table of a report page.
#[derive(Debug, Clone)]
pub struct Table {
    /// The page section it is (`tickets`, `sla` …): its anchor, and its CSV file's name.
    pub key: &'static str,
    /// Its heading on the page, which names its sheet.
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// Everything a download is written from, into `h`: each figure's value and how it is
    /// written as well as its text (the view serializes a figure as its text alone).
    pub fn hash_into(&self, h: &mut blake3::Hasher) {
        use crate::digest::hash_part;
        hash_part(h, self.key.as_bytes());
        hash_part(h, self.title.as_bytes());
        for column in &self.columns {
            hash_part(h, column.as_bytes());
        }
        for row in &self.rows {
            hash_part(h, &(row.len() as u64).to_le_bytes());
            for cell in row {
                match cell {
                    Cell::Text(text) => {
                        hash_part(h, b"text");
                        hash_part(h, text.as_bytes());
                    }
                    Cell::Number(f) => {
                        hash_part(h, b"number");
                        hash_part(h, f.text.as_bytes());
                        let value = f.value.map(f64::to_bits);
                        let how = [f.unit as u8, f.decimals, f.rounding as u8];
                        hash_part(h, &value.map_or([0xff; 8], u64::to_le_bytes));
                        hash_part(h, &[&[u8::from(value.is_some())], &how[..]].concat());
                    }
                    Cell::Time(at) => {
                        hash_part(h, b"time");
                        let at = at.and_utc();
                        hash_part(h, &at.timestamp().to_le_bytes());
                        hash_part(h, &at.timestamp_subsec_nanos().to_le_bytes());
                    }
                }
            }
        }
    }
}

/// The files a report page offers for download: one workbook with every table, and one CSV per
/// table (by its section's key), named after the period so saved copies do not collide.
#[derive(Debug, Serialize, Default)]
pub struct Downloads {
    /// `2026-W47.xlsx`; empty when the page has no table.
    pub xlsx: String,
    /// The name it is saved under (`reports.workbook_name`: `aoba-weekly-2026-W47.xlsx`).
    pub xlsx_name: String,
    /// `tickets` → `2026-W47-tickets.csv`.
    pub csv: std::collections::BTreeMap<&'static str, String>,
    /// The report's `as_of` (UTC seconds): the workbook's creation time.
    #[serde(skip)]
    pub created: i64,
}

#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(Figure),
    /// An instant in the site's time zone: a date cell in the workbook, `2026-10-30 17:51` in
    /// the CSV (the page writes it shorter, `10/30 17:51`).
    Time(chrono::NaiveDateTime),
}

/// One breached clock of one ticket.
#[derive(Debug, Serialize)]
pub struct BreachRow {
    pub id: String,
    pub title: String,
    pub customer: String,
    pub priority: String,
    pub clock: &'static str,
    /// The target in words with its calendar (`4 時間以内（24 時間）`), of the contract the
    /// ticket was measured under.
    pub target: String,
    pub deadline: String,
    /// When the clock stopped (answered or resolved); empty while it runs.
    pub stopped: String,
    /// The same two instants in the site's time zone, for the workbook and the CSV.
    #[serde(skip)]
    pub at: (Option<NaiveDateTime>, Option<NaiveDateTime>),
    pub late_by: Figure,
    pub still_open: bool,
}

/// One ticket handled in the period (`ticket_list: all`).
#[derive(Debug, Serialize)]
pub struct HandledRow {
    pub id: String,
    pub title: String,
    pub customer: String,
    pub priority: String,
    pub opened: String,
    /// When it was resolved; the words for "still open" when it is.
    pub resolved: String,
    /// When it was opened and resolved in the site's time zone, for the workbook and the CSV.
    #[serde(skip)]
    pub at: (Option<NaiveDateTime>, Option<NaiveDateTime>),
    pub still_open: bool,
    /// The clocks it breached (`初回応答、解決`); empty when none.
    pub breached: String,
}

#[derive(Debug, Serialize)]
pub struct CustomerRow {
    pub name: String,
    pub contract: String,
    /// The edition's page of this period.
    pub url: String,
    pub opened: Figure,
    pub resolved: Figure,
    pub backlog: Figure,
    /// The priorities with an SLA figure in the period, in priority order.
    pub priorities: Vec<CustomerSlaRow>,
}

#[derive(Debug, Serialize)]
pub struct CustomerSlaRow {
    pub priority: String,
    /// `50.0 %（1 / 1 / 0）`: attainment, then met / breached / pending.
    pub response: String,
    pub resolution: String,
    /// Response attainment, met, breached, pending, then the same for resolution (downloads).
    #[serde(skip)]
    pub figures: Vec<Figure>,
}

/// A change against the previous period, and whether it is good.
#[derive(Debug, Serialize, Default)]
pub struct ChangeView {
    /// `+3`, `-0.4 pt`, `+15 分`; empty when either side is undefined.
    pub text: String,
    /// `▲`, `▼` or empty.
    pub arrow: &'static str,
    /// `good`, `bad` or `neutral`.
    pub class: &'static str,
    /// `改善` / `悪化` or empty (said in words for screen readers and print).
    pub word: &'static str,
}
