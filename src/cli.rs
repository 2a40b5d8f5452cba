//! Command-line definitions (clap derive). Parsing only; the work is in `cmd`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "opsite",
    version,
    about = "Static site generator for IT operations teams"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the site into the output folder (atomically: a failed build leaves it untouched)
    Build(BuildArgs),
    /// Run everything a build runs without writing, plus link, image and review-date checks
    Check(CheckArgs),
    /// Write a small working site into DIR
    New(NewArgs),
    /// Write the site.yaml equivalent to a Hugo or MkDocs tree's own configuration
    Init(InitArgs),
    /// Compute KPIs, SLA attainment and success indicators from the site's data exports
    Kpi(KpiArgs),
    /// Keep a period's published figures: store its report under data/snapshots/
    Freeze(FreezeArgs),
    /// Publish a frozen period's live figures again (removes its snapshot)
    Unfreeze(UnfreezeArgs),
    /// Build the site in memory and serve it with live reload while you edit (never writes output/)
    Serve(ServeArgs),
    /// Write the weekly status email or the monthly summary (.eml, .html, .txt, chart images) into mail/
    Email(EmailArgs),
    /// Write a report (monthly, weekly, quarterly) or a section's pages as an A4 PDF into pdf/
    Pdf(PdfArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PdfKind {
    /// The monthly report (月次報告書)
    Monthly,
    /// The weekly report (週次報告書)
    Weekly,
    /// The quarterly report (四半期報告書)
    Quarterly,
    /// Every page of a section and below as one handbook, with contents (give the section's path)
    Section,
}

#[derive(Debug, Args)]
pub struct PdfArgs {
    #[arg(value_enum)]
    pub kind: PdfKind,
    /// With `section`: the section's site path, e.g. /runbooks/
    pub section: Option<String>,
    #[command(flatten)]
    pub root: RootArg,
    /// The ISO week (2026-W47), month (2026-11) or quarter (2026-Q4) [default: the week holding
    /// --as-of; the last month or quarter that is over]
    #[arg(long)]
    pub period: Option<String>,
    /// Compute as of this instant: RFC 3339 or YYYY-MM-DDTHH:MM in the site's time zone
    /// [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// Where to write: for reports a folder [default: <root>/pdf; a customer's under <slug>/],
    /// or FILE.pdf when the run prints one report; for `section` a file [default:
    /// <root>/pdf/section-<name>.pdf]; relative to the current directory
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// One customer's report, computed as its edition is (slug or name of a `customers:` entry);
    /// written under pdf/<slug>/
    #[arg(long, conflicts_with = "all_customers")]
    pub customer: Option<String>,
    /// One report per customer listed under `customers:`
    #[arg(long)]
    pub all_customers: bool,
    /// The issue date on a report's cover (YYYY-MM-DD) [default: the --as-of date]
    #[arg(long, value_parser = issue_date)]
    pub issued: Option<chrono::NaiveDate>,
    /// The revision on a report's cover (第N版)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub revision: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EmailKind {
    /// The weekly status email (週次ステータスメール)
    Weekly,
    /// The monthly KPI summary (月次KPIレビュー)
    Monthly,
}

#[derive(Debug, Args)]
pub struct EmailArgs {
    #[arg(value_enum)]
    pub kind: EmailKind,
    #[command(flatten)]
    pub root: RootArg,
    /// The ISO week (2026-W47) or month (2026-11) [default: the week holding --as-of; the last
    /// month that is over]
    #[arg(long)]
    pub period: Option<String>,
    /// Compute as of this instant: RFC 3339 or YYYY-MM-DDTHH:MM in the site's time zone
    /// [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// Folder for the message and its preview, relative to the current directory
    /// [default: <root>/mail]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Also send it through the SMTP relay of `email.smtp` (without it nothing leaves the machine)
    #[arg(long)]
    pub send: bool,
    /// One customer's own mail, from their tickets alone, to `email.customers.<NAME>`
    /// (needs `contracts:`); written under mail/<customer>/
    #[arg(long, conflicts_with = "all_customers")]
    pub customer: Option<String>,
    /// One mail per customer listed under `email.customers`
    #[arg(long)]
    pub all_customers: bool,
    /// Print who would get what, and write and send nothing
    #[arg(long, conflicts_with = "send")]
    pub dry_run: bool,
    /// With --send: send again the mails the sent log (.opsite-sent/) says were sent
    #[arg(long, requires = "send")]
    pub resend: bool,
    /// Attach the report as a PDF (as `opsite pdf` prints it; needs Chromium)
    #[arg(long)]
    pub attach_pdf: bool,
}

#[derive(Debug, Args)]
pub struct FreezeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Periods to freeze: 2026-10, 2026-W47, 2026-Q3 (or latest-month, latest-week …)
    #[arg(required = true)]
    pub periods: Vec<String>,
    /// Compute as of this instant: RFC 3339 or YYYY-MM-DDTHH:MM in the site's time zone
    /// [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// Replace an existing snapshot with the figures the data gives now
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct UnfreezeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Frozen periods to publish live again: 2026-10, 2026-W47, 2026-Q3
    #[arg(required = true)]
    pub periods: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RootArg {
    /// The site's folder, holding site.yaml [default: the current folder or the nearest one above
    /// it that holds site.yaml]
    #[arg(long)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Output folder, relative to the current directory [default: <root>/output]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include drafts and pages outside their publish/expiry dates
    #[arg(long)]
    pub drafts: bool,
    /// Override base_url of site.yaml (https://host/path/ or /path/)
    #[arg(long, value_parser = base_url_arg)]
    pub base_url: Option<String>,
    /// Replace the --output folder even though it holds files opsite did not write
    #[arg(long)]
    pub force: bool,
    /// Fix the clock (report periods, the current-period mark, review_by, publishDate):
    /// RFC 3339 or YYYY-MM-DDTHH:MM in the site's time zone [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// List every warning instead of summarising repeated ones
    #[arg(long, short)]
    pub verbose: bool,
    /// Build only this customer's edition (its `slug` or `name` under `customers:`), not the
    /// internal site
    #[arg(long)]
    pub customer: Option<String>,
    /// Build cold: use nothing of earlier builds (`.opsite/cache/`: highlighting, search shards,
    /// what the output holds) and write every output file anew; the caches are then saved again
    #[arg(long)]
    pub no_cache: bool,
    /// Where the customer editions go, one folder per slug [default: <root>/editions]
    #[arg(long)]
    pub editions_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Address to listen on; anything but loopback makes drafts and internal pages reachable
    /// from the network
    #[arg(long, default_value = "127.0.0.1", value_parser = bind_arg)]
    pub bind: std::net::IpAddr,
    /// A host name the preview answers besides localhost and IP addresses (the name people type
    /// to reach it over the network); repeat for more
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
    /// Answer requests for any host name (turns off the guard against DNS rebinding)
    #[arg(long)]
    pub allow_any_host: bool,
    /// Port to listen on (0: any free port, printed at start)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Include drafts and pages outside their publish/expiry dates
    #[arg(long)]
    pub drafts: bool,
    /// Fix the clock (report periods, review_by, publishDate): RFC 3339 or YYYY-MM-DDTHH:MM in
    /// the site's time zone [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// List every warning instead of summarising repeated ones
    #[arg(long, short)]
    pub verbose: bool,
    /// Preview only this customer's edition (its `slug` or `name` under `customers:`), as the
    /// customer will see it
    #[arg(long)]
    pub customer: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Treat stale procedures (review_by in the past) as errors
    #[arg(long)]
    pub strict: bool,
    /// Include drafts
    #[arg(long)]
    pub drafts: bool,
    /// List every warning instead of summarising repeated ones
    #[arg(long, short)]
    pub verbose: bool,
    /// Fix the clock for review_by, publishDate and report periods [default: now]
    #[arg(long)]
    pub as_of: Option<String>,
    /// Also ask every http(s) link's server (answers are kept a day in .opsite/cache)
    #[arg(long)]
    pub external: bool,
    /// `json`: one object with every problem (file, line, column, severity, code, message), for CI
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Check only this customer's edition (its `slug` or `name` under `customers:`) [default:
    /// the internal site and every edition]
    #[arg(long)]
    pub customer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder to create the site in (must be empty or absent)
    pub dir: PathBuf,
    /// The language of the site and of the pages written to start from
    #[arg(long, value_enum, default_value_t = NewLanguage::Ja)]
    pub language: NewLanguage,
    /// Write a fuller example instead of the starter
    #[arg(long, value_enum)]
    pub example: Option<NewExample>,
}

/// The examples `opsite new --example` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewExample {
    /// A managed-service provider's site: three months of made-up tickets and outages, two
    /// contracts, two customers with editions, mail addresses, commentary, an escalation file
    Msp,
}

/// The languages `opsite new` writes a starting site in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewLanguage {
    /// Japanese (日本語)
    Ja,
    /// English
    En,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The generator whose configuration to read (default: the one the folder has)
    #[arg(long, value_enum)]
    pub from: Option<InitFrom>,
    /// The tree's root folder (default: the current folder)
    #[arg(long)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InitFrom {
    Hugo,
    Mkdocs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KpiFormat {
    Table,
    Json,
    Csv,
    /// An Excel workbook (needs --output FILE)
    Xlsx,
}

#[derive(Debug, Args)]
pub struct KpiArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// 2026-10 (month), 2026-W47 (ISO week), 2026-Q4 (quarter), or all
    #[arg(long, required_unless_present = "explain")]
    pub period: Option<String>,
    /// Print one ticket's clocks: its events in order, paused spans, time counted, deadlines
    /// and outcomes (as of --as-of, or the end of --period, or now)
    #[arg(long, value_name = "TICKET")]
    pub explain: Option<String>,
    /// Cut-off: RFC 3339, or YYYY-MM-DDTHH:MM in the site's time zone [default: the earlier of
    /// now and the period's end]
    #[arg(long)]
    pub as_of: Option<String>,
    /// Only this customer's tickets (ticket KPIs and availability; with `contracts:` in site.yaml)
    #[arg(long)]
    pub customer: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: KpiFormat,
    /// Text encoding of --format csv: utf-8-bom or shift_jis for Japanese Excel
    #[arg(long, value_enum)]
    pub encoding: Option<CsvEncoding>,
    /// Write to this file instead of standard output (required for --format xlsx)
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// List every problem instead of summarising repeated ones
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvEncoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// UTF-8 with a byte-order mark, which Excel needs to read UTF-8
    #[value(name = "utf-8-bom", alias = "utf8-bom")]
    Utf8Bom,
    /// Excel's default in Japan (CP932)
    #[value(name = "shift_jis", alias = "sjis", alias = "cp932")]
    ShiftJis,
}

/// An IP address, or `localhost` (the loopback address; no name lookup).
fn bind_arg(s: &str) -> Result<std::net::IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(std::net::Ipv4Addr::LOCALHOST.into());
    }
    s.parse().map_err(|_| {
        format!("`{s}` is not an IP address: use 127.0.0.1 (this machine only), 0.0.0.0 (every network) or one of this machine's addresses")
    })
}

fn base_url_arg(s: &str) -> Result<String, String> {
    crate::config::check_base_url(s).map(|()| s.to_string())
}

/// `--issued`: a date written YYYY-MM-DD, said so when it is written otherwise.
fn issue_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD (e.g. 2026-11-05)"))
}
