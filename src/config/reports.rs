//! `reports:` in site.yaml: which generated report pages a site with `data:` publishes, and
//! where. Each kind is on by default; `false` turns it off, `{url: "/…/{period}/"}` moves it.

use serde::Deserialize;

/// One kind of report page, as written.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ReportKindSetting {
    /// `false` turns the kind off (`true` keeps the default).
    Enabled(bool),
    Url {
        url: String,
    },
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ReportsConfig {
    pub weekly: Option<ReportKindSetting>,
    pub monthly: Option<ReportKindSetting>,
    pub quarterly: Option<ReportKindSetting>,
}

/// The URL pattern of each enabled kind (`None`: off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportUrls {
    pub weekly: Option<String>,
    pub monthly: Option<String>,
    pub quarterly: Option<String>,
}

impl ReportsConfig {
    /// The patterns in use, or a message naming the key at fault.
    pub fn urls(&self) -> Result<ReportUrls, (&'static str, String)> {
        let one = |key: &'static str, s: &Option<ReportKindSetting>| match s {
            None | Some(ReportKindSetting::Enabled(true)) => {
                Ok(Some(format!("/reports/{key}/{{period}}/")))
            }
            Some(ReportKindSetting::Enabled(false)) => Ok(None),
            Some(ReportKindSetting::Url { url }) => check_pattern(url)
                .map(Some)
                .map_err(|e| (key, format!("reports.{key}.url: {e}"))),
        };
        Ok(ReportUrls {
            weekly: one("weekly", &self.weekly)?,
            monthly: one("monthly", &self.monthly)?,
            quarterly: one("quarterly", &self.quarterly)?,
        })
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
}
