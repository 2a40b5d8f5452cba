//! `reports:` in site.yaml: which generated report pages a site with `data:` publishes, where,
//! and which tickets they list. Each kind is on by default; `false` turns it off,
//! `{url: "/…/{period}/", ticket_list: breached | all | none}` moves it or changes its list.

use serde::Deserialize;

/// One kind of report page, as written.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ReportKindSetting {
    /// `false` turns the kind off (`true` keeps the default).
    Enabled(bool),
    Settings(ReportKindSettings),
}

/// One kind of report page moved, or its ticket list changed.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ReportKindSettings {
    pub url: Option<String>,
    /// `breached`, `all` or `none`; read by `urls`, which names a wrong word.
    pub ticket_list: Option<String>,
}

/// Which of the period's tickets a report lists after its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TicketList {
    /// The tickets whose SLA clock ran out in the period (the ones counted as 違反).
    #[default]
    Breached,
    /// Every ticket opened, resolved or still open in the period.
    All,
    None,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ReportsConfig {
    pub weekly: Option<ReportKindSetting>,
    pub monthly: Option<ReportKindSetting>,
    pub quarterly: Option<ReportKindSetting>,
    /// `7d`: freeze each period this long after it ends (`data/snapshots/`).
    pub freeze_after: Option<String>,
    /// How many categories (and tiers) the volume charts and their tables name; the rest are
    /// one 「その他」 bar. Default 10.
    pub top_categories: Option<usize>,
    /// The status page (`/status/`, `status.json`, its Atom feed): on when the data has a
    /// `downtime` source; `false` turns it off, `{url, days, upcoming_days}` adjusts it.
    pub status: Option<StatusSetting>,
    /// Where the error budget column is shown: `internal` (the default: an engineering figure
    /// customers do not read) or `all` (customers' editions, PDFs and mails too).
    pub error_budget: ErrorBudgetShown,
    /// The name a report's workbook is saved under (the link's `download` name; its address
    /// stays `2026-10.xlsx`): a pattern with `pdf.file_name`'s placeholders, default
    /// `{slug}-{kind}-{period}` on a customer's edition and `{kind}-{period}` on the internal site.
    pub workbook_name: Option<String>,
}

/// `reports.error_budget`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ErrorBudgetShown {
    #[default]
    Internal,
    All,
}

/// `reports.status` as written.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum StatusSetting {
    Enabled(bool),
    Settings(StatusSettingsConfig),
    /// Anything else (`off`, `days: -5`): an error saying what to write.
    Other(serde_json::Value),
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct StatusSettingsConfig {
    pub url: Option<String>,
    pub days: Option<u32>,
    pub upcoming_days: Option<u32>,
}

/// The status page's settings in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSettings {
    /// Site path of the page (`/status/`).
    pub url: String,
    /// Days of history: one cell each, and the incidents listed.
    pub days: u32,
    /// Days ahead whose maintenance windows are listed.
    pub upcoming_days: u32,
}

impl Default for StatusSettings {
    fn default() -> Self {
        StatusSettings {
            url: "/status/".into(),
            days: 90,
            upcoming_days: 30,
        }
    }
}

/// `reports.top_categories` when not set.
pub const TOP_CATEGORIES: usize = 10;

/// The URL pattern of each enabled kind (`None`: off), and the tickets each lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportKinds {
    pub weekly: Option<String>,
    pub monthly: Option<String>,
    pub quarterly: Option<String>,
    /// Weekly, monthly and quarterly, in that order.
    pub ticket_lists: [TicketList; 3],
}

impl ReportsConfig {
    /// The patterns in use, or a message naming the key at fault.
    pub fn urls(&self) -> Result<ReportKinds, (&'static str, String)> {
        let one = |key: &'static str, s: &Option<ReportKindSetting>| match s {
            None
            | Some(ReportKindSetting::Enabled(true))
            | Some(ReportKindSetting::Settings(ReportKindSettings { url: None, .. })) => {
                Ok(Some(format!("/reports/{key}/{{period}}/")))
            }
            Some(ReportKindSetting::Enabled(false)) => Ok(None),
            Some(ReportKindSetting::Settings(ReportKindSettings { url: Some(url), .. })) => {
                check_pattern(url)
                    .map(Some)
                    .map_err(|e| (key, format!("reports.{key}.url: {e}")))
            }
        };
        // Weeks and months list their breached tickets unless told otherwise; a quarter's
        // list would be long, so it lists none.
        let list = |key: &'static str, s: &Option<ReportKindSetting>, default| {
            match s {
            Some(ReportKindSetting::Settings(ReportKindSettings {
                ticket_list: Some(l),
                ..
            })) => match l.trim() {
                "breached" => Ok(TicketList::Breached),
                "all" => Ok(TicketList::All),
                "none" => Ok(TicketList::None),
                other => Err((
                    key,
                    format!("reports.{key}.ticket_list: `{other}` is none of breached (the tickets that missed their SLA), all (every ticket of the period) and none"),
                )),
            },
            _ => Ok(default),
        }
        };
        Ok(ReportKinds {
            weekly: one("weekly", &self.weekly)?,
            monthly: one("monthly", &self.monthly)?,
            quarterly: one("quarterly", &self.quarterly)?,
            ticket_lists: [
                list("weekly", &self.weekly, TicketList::Breached)?,
                list("monthly", &self.monthly, TicketList::Breached)?,
                list("quarterly", &self.quarterly, TicketList::None)?,
            ],
        })
    }

    /// The status page's settings (`None`: turned off), or a message naming the key at fault.
    pub fn status(&self) -> Result<Option<StatusSettings>, (&'static str, String)> {
        let given = match &self.status {
            None | Some(StatusSetting::Enabled(true)) => {
                return Ok(Some(StatusSettings::default()))
            }
            Some(StatusSetting::Enabled(false)) => return Ok(None),
            Some(StatusSetting::Settings(s)) => s,
            Some(StatusSetting::Other(v)) => {
                return Err((
                    "status",
                    format!("reports.status: `{v}` is not a setting; write `false` to turn the page off, or {{url: /status/, days: 90, upcoming_days: 30}} (whole numbers of days)"),
                ))
            }
        };
        let mut out = StatusSettings::default();
        if let Some(url) = &given.url {
            out.url =
                check_page_path(url).map_err(|e| ("status", format!("reports.status.url: {e}")))?;
        }
        if let Some(days) = given.days {
            if !(1..=366).contains(&days) {
                return Err((
                    "status",
                    format!(
                        "reports.status.days: {days} days of history; write 1 to 366 (default 90)"
                    ),
                ));
            }
            out.days = days;
        }
        if let Some(ahead) = given.upcoming_days {
            if ahead > 366 {
                return Err((
                    "status",
                    format!("reports.status.upcoming_days: {ahead}; write 0 to 366 (default 30)"),
                ));
            }
            out.upcoming_days = ahead;
        }
        Ok(Some(out))
    }

    /// `top_categories`, when it names at least one category.
    pub fn top_categories(&self) -> Result<usize, (&'static str, String)> {
        match self.top_categories {
            None => Ok(TOP_CATEGORIES),
            Some(0) => Err((
                "top_categories",
                "reports.top_categories: 0 would name no category; write 1 or more (default 10)"
                    .into(),
            )),
            Some(n) => Ok(n),
        }
    }

    /// `freeze_after` in seconds (`None`: periods are frozen only by `opsite freeze`).
    pub fn freeze_after_seconds(&self) -> Result<Option<i64>, (&'static str, String)> {
        let Some(text) = &self.freeze_after else {
            return Ok(None);
        };
        parse_age(text).map(Some).ok_or((
            "freeze_after",
            format!("reports.freeze_after: `{text}` is not an age; write e.g. 7d, 36h or 2w"),
        ))
    }
}

/// `7d`, `36h`, `2w` in seconds.
fn parse_age(text: &str) -> Option<i64> {
    let t = text.trim();
    let unit = t.chars().last()?;
    let n: i64 = t[..t.len() - unit.len_utf8()].trim().parse().ok()?;
    if n < 0 || n > 3650 {
        return None;
    }
    match unit {
        'h' => Some(n * 3600),
        'd' => Some(n * 86_400),
        'w' => Some(n * 7 * 86_400),
        _ => None,
    }
}

/// A pattern is a site path holding `{period}` once, with no `..` or query.
fn check_pattern(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.matches("{period}").count() != 1 {
        return Err(format!(
            "`{url}` must contain `{{period}}` once (e.g. /reports/weekly/{{period}}/)"
        ));
    }
    if url.split('/').any(|s| s == ".." || s == ".") || url.contains(['?', '#', '\\']) {
        return Err(format!("`{url}` must be a plain site path"));
    }
    let mut p = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    if !p.ends_with('/') && !p.ends_with(".html") {
        p.push('/');
    }
    Ok(p)
}

/// A page's site path (`/status/`): no `{period}`, `..` or query; a leading and a closing `/`.
fn check_page_path(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty()
        || url.contains(['?', '#', '\\', '{', '}'])
        || url.split('/').any(|s| s == ".." || s == ".")
    {
        return Err(format!(
            "`{url}` must be a plain site path such as /status/"
        ));
    }
    let mut p = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    if !p.ends_with('/') {
        p.push('/');
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_off_and_moved() {
        let c: ReportsConfig =
            serde_yaml::from_str("weekly: false\nmonthly: {url: \"kpi/{period}\"}\n").unwrap();
        let u = c.urls().unwrap();
        assert_eq!(u.weekly, None);
        assert_eq!(u.monthly.as_deref(), Some("/kpi/{period}/"));
        assert_eq!(u.quarterly.as_deref(), Some("/reports/quarterly/{period}/"));
        let bad: ReportsConfig = serde_yaml::from_str("weekly: {url: /w/}\n").unwrap();
        assert!(bad.urls().unwrap_err().1.contains("{period}"));
    }

    #[test]
    fn status_page_settings() {
        let status = |yaml: &str| {
            serde_yaml::from_str::<ReportsConfig>(yaml)
                .unwrap()
                .status()
        };
        assert_eq!(status(""), Ok(Some(StatusSettings::default())));
        assert_eq!(status("status: false"), Ok(None));
        let s = status("status: {url: uptime, days: 30, upcoming_days: 7}")
            .unwrap()
            .unwrap();
        assert_eq!(
            (s.url.as_str(), s.days, s.upcoming_days),
            ("/uptime/", 30, 7)
        );
        assert!(status("status: {days: 0}")
            .unwrap_err()
            .1
            .contains("1 to 366"));
        assert!(status("status: {url: \"/s/../x/\"}")
            .unwrap_err()
            .1
            .contains("plain site path"));
    }

    #[test]
    fn freeze_after_is_an_age() {
        let age = |t: &str| {
            ReportsConfig {
                freeze_after: Some(t.into()),
                ..Default::default()
            }
            .freeze_after_seconds()
        };
        assert_eq!(age("7d"), Ok(Some(7 * 86_400)));
        assert_eq!(age("36h"), Ok(Some(36 * 3600)));
        assert_eq!(age("2w"), Ok(Some(14 * 86_400)));
        for bad in ["7", "d", "seven days", "-1d", "7日"] {
            assert!(age(bad).unwrap_err().1.contains("7d"), "{bad}");
        }
        assert_eq!(ReportsConfig::default().freeze_after_seconds(), Ok(None));
    }
}
