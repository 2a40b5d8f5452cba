//! The report index pages: each kind's periods newest first (weeks grouped by month), and an
//! overview linking the latest of each kind.

use serde::Serialize;

use super::labels::words;
use super::views::kind_name;
use super::ReportSet;
use crate::kpi::period::{Period, PeriodKind};

#[derive(Debug, Serialize)]
pub struct ReportIndexView {
    pub title: String,
    pub url: String,
    /// Groups of entries, newest first (weeks by month; months by year; quarters in one).
    pub groups: Vec<IndexGroup>,
    /// The overview: the latest report of each kind and each kind's index.
    pub kinds: Vec<KindLink>,
}

#[derive(Debug, Serialize)]
pub struct IndexGroup {
    pub heading: String,
    pub entries: Vec<IndexEntry>,
}

#[derive(Debug, Serialize)]
pub struct IndexEntry {
    /// The period's name as people say it (「2026年11月第3週（11/16〜11/22）」).
    pub label: String,
    /// Its id (`2026-W47`), for small print.
    pub id: String,
    pub url: String,
    /// `2026-11-16 – 2026-11-22`.
    pub range: String,
    pub complete: bool,
}

#[derive(Debug, Serialize)]
pub struct KindLink {
    pub kind: &'static str,
    pub title: &'static str,
    pub index_url: String,
    pub latest: Option<IndexEntry>,
    /// The latest finished period (the latest may still be in progress).
    pub latest_complete: Option<IndexEntry>,
}

/// Where a kind's index goes: the pattern up to `{period}` (`/reports/weekly/`).
pub fn index_url(pattern: &str) -> String {
    let prefix = &pattern[..pattern.find("{period}").unwrap_or(pattern.len())];
    let cut = prefix.rfind('/').map_or(0, |i| i + 1);
    let url = &prefix[..cut];
    if url.is_empty() {
        "/".into()
    } else {
        url.to_string()
    }
}

fn entry(set: &ReportSet, d: &super::PeriodData, language: &str) -> IndexEntry {
    let last = d.period.end_day.pred_opt().unwrap_or(d.period.end_day);
    IndexEntry {
        label: set.period_name(&d.period, language),
        id: d.period.label.clone(),
        url: d.url.clone(),
        range: format!("{} – {}", d.period.first_day, last),
        complete: d.complete,
    }
}

fn pattern(set: &ReportSet, kind: PeriodKind) -> Option<&str> {
    match kind {
        PeriodKind::Week => set.urls.weekly.as_deref(),
        PeriodKind::Month => set.urls.monthly.as_deref(),
        PeriodKind::Quarter => set.urls.quarterly.as_deref(),
    }
}

pub const KINDS: [PeriodKind; 3] = [PeriodKind::Week, PeriodKind::Month, PeriodKind::Quarter];

/// The index of one kind, if its pages are published.
pub fn kind_index(set: &ReportSet, kind: PeriodKind, language: &str) -> Option<ReportIndexView> {
    let url = index_url(pattern(set, kind)?);
    let t = words(language);
    let mut groups: Vec<IndexGroup> = Vec::new();
    for d in set.published(kind).iter().rev() {
        let heading = match kind {
            // A week belongs to the month of its Thursday (as its ISO year does).
            PeriodKind::Week => {
                let thursday = d.period.first_day + chrono::Duration::days(3);
                let month = Period::containing(PeriodKind::Month, thursday, set.tz);
                set.period_name(&month, language)
            }
            PeriodKind::Month => {
                let f = &crate::i18n::Lang::of(language).vocabulary().formats;
                d.period.first_day.format(f.year_heading).to_string()
            }
            PeriodKind::Quarter => String::new(),
        };
        let e = entry(set, d, language);
        match groups.last_mut() {
            Some(g) if g.heading == heading => g.entries.push(e),
            _ => groups.push(IndexGroup {
                heading,
                entries: vec![e],
            }),
        }
    }
    Some(ReportIndexView {
        title: t.kind(kind).to_string(),
        url,
        groups,
        kinds: Vec::new(),
    })
}

/// The latest report of each published kind.
pub fn latest(set: &ReportSet, language: &str) -> Vec<KindLink> {
    let t = words(language);
    KINDS
        .iter()
        .filter_map(|&k| {
            Some(KindLink {
                kind: kind_name(k),
                title: t.kind(k),
                index_url: index_url(pattern(set, k)?),
                latest: set.published(k).last().map(|d| entry(set, d, language)),
                latest_complete: (set.published(k).iter().rev())
                    .find(|d| d.complete)
                    .map(|d| entry(set, d, language)),
            })
        })
        .collect()
}

/// The overview page at the common folder of the kinds' indexes (`/reports/`), unless that is
/// the site's root.
pub fn overview(set: &ReportSet, language: &str) -> Option<ReportIndexView> {
    let kinds = latest(set, language);
    let first = kinds.first()?.index_url.clone();
    let mut common = index_url(&format!("{}{{period}}", first.trim_end_matches('/')));
    while !kinds.iter().all(|k| k.index_url.starts_with(&common)) {
        common = index_url(&format!("{}{{period}}", common.trim_end_matches('/')));
    }
    if common == "/" || kinds.iter().any(|k| k.index_url == common) {
        return None;
    }
    Some(ReportIndexView {
        title: words(language).reports.to_string(),
        url: common,
        groups: Vec::new(),
        kinds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_folder_above_the_period() {
        assert_eq!(index_url("/reports/weekly/{period}/"), "/reports/weekly/");
        assert_eq!(index_url("/w-{period}/"), "/");
        assert_eq!(index_url("/kpi/{period}.html"), "/kpi/");
    }
}
