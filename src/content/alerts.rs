//! Runbooks that name the alerts they answer (`alerts: [DiskFull]` in front matter): each alert
//! gets a stable address, `/runbooks/alerts/<Name>/`, redirecting to its runbook, so that an
//! alerting system's `runbook_url` annotation can be templated once. The address keeps the
//! alert's case (an exception to lower-cased URLs). One alert claimed by two runbooks is an error
//! naming both.

use std::collections::BTreeMap;
use std::path::Path;

use super::front_matter::RawFrontMatter;
use super::page::AliasPath;
use super::{Library, PageId};
use crate::error::{Code, Diagnostic, Location};

/// Where the alerts' index is, and under it each alert's address.
pub const ALERTS_PATH: &str = "/runbooks/alerts/";

/// An alert's address (`/runbooks/alerts/DiskFull/`).
pub fn alert_path(name: &str) -> String {
    format!("{ALERTS_PATH}{name}/")
}

/// Whether a name can be part of an address as it is (Prometheus' alert names are letters,
/// digits and `_`; `.`, `-` and `:` are allowed too).
fn addressable(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// The redirects of a runbook's alerts; a name that cannot be an address is an error at the
/// `alerts` line.
pub(super) fn alert_aliases(
    alerts: &[String],
    raw: &RawFrontMatter,
    source: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<AliasPath> {
    if alerts.is_empty() {
        return Vec::new();
    }
    let (line, column) = raw.locate("alerts");
    let mut out = Vec::new();
    for name in alerts {
        if !addressable(name) {
            diags.push(Diagnostic::error(
                Code::Content,
                Location::at(source, line, column),
                format!(
                    "alerts: `{}` cannot be part of an address; an alert name is letters, digits and _ (also . - :)",
                    crate::error::printable(name)
                ),
            ));
            continue;
        }
        out.push(AliasPath {
            written: name.clone(),
            path: alert_path(name),
            line,
        });
    }
    out
}

/// Every alert a published page answers, by name; an alert two pages claim is an error at the
/// second naming the first, and stays with the first.
pub fn claims(lib: &Library) -> (BTreeMap<String, PageId>, Vec<Diagnostic>) {
    let mut out: BTreeMap<String, PageId> = BTreeMap::new();
    let mut diags = Vec::new();
    for (id, p) in lib.pages.iter().enumerate() {
        if p.front.not_rendered {
            continue;
        }
        for name in p.front.alerts.iter().filter(|n| addressable(n)) {
            match out.get(name) {
                Some(&first) if first != id => diags.push(Diagnostic::error(
                    Code::Content,
                    Location::file(&p.source),
                    format!(
                        "alerts: {name} is also answered by {}; one alert has one runbook (its address redirects there)",
                        lib.pages[first].source.display()
                    ),
                )),
                Some(_) => {}
                None => {
                    out.insert(name.clone(), id);
                }
            }
        }
    }
    (out, diags)
}

/// One alerting rule of a Prometheus rules file: its name, line, and whether it has a
/// `runbook_url` annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub name: String,
    pub line: usize,
    pub has_runbook_url: bool,
}

/// The alerting rules of a rules file's text (`groups: [{rules: [{alert: …}]}]`; recording
/// rules have no `alert` and are skipped), or the line and message of what is wrong.
pub fn rules_of(text: &str) -> Result<Vec<Rule>, (usize, String)> {
    let doc = crate::yaml::to_value(text).map_err(|e| (e.line, e.message))?;
    let groups = doc.get("groups").and_then(|g| g.as_array()).ok_or((
        1,
        "not a Prometheus rules file: expected `groups:` with `rules:`".to_string(),
    ))?;
    // Each `alert:` line in order, to place the rules.
    let mut lines = text.lines().enumerate().filter_map(|(n, l)| {
        let rest = l.trim_start().trim_start_matches("- ").trim_start();
        rest.strip_prefix("alert:").map(|_| n + 1)
    });
    let mut out = Vec::new();
    for rule in groups
        .iter()
        .filter_map(|g| g.get("rules")?.as_array())
        .flatten()
    {
        let Some(name) = rule.get("alert").and_then(|a| a.as_str()) else {
            continue;
        };
        let has_runbook_url = rule
            .get("annotations")
            .and_then(|a| a.get("runbook_url"))
            .is_some_and(|u| u.as_str().is_some_and(|s| !s.trim().is_empty()));
        out.push(Rule {
            name: name.to_string(),
            line: lines.next().unwrap_or(1),
            has_runbook_url,
        });
    }
    Ok(out)
}

/// The rules files against the runbooks: alerts without a runbook, runbooks naming alerts no
/// rule defines, and for each alert with a runbook but no `runbook_url` the annotation to paste
/// (`base_url` makes it a full address). The rules files are never edited.
pub fn compare(
    lib: &Library,
    rules: &[(std::path::PathBuf, Vec<Rule>)],
    absolute: &dyn Fn(&str) -> String,
) -> Vec<Diagnostic> {
    let (claims, _) = claims(lib);
    let mut out = Vec::new();
    let mut defined = std::collections::HashSet::new();
    for (file, list) in rules {
        for rule in list {
            defined.insert(rule.name.as_str());
            let at = Location::at(file, rule.line, None);
            if !claims.contains_key(&rule.name) {
                out.push(Diagnostic::warning(
                    Code::Content,
                    at,
                    format!(
                        "alert {} has no runbook: name it in the front matter of the runbook that answers it (alerts: [{}])",
                        rule.name, rule.name
                    ),
                ));
            } else if !rule.has_runbook_url {
                out.push(Diagnostic::warning(
                    Code::Content,
                    at,
                    format!(
                        "alert {} has no runbook_url annotation; add to its annotations: runbook_url: \"{}\" (the same line for every rule: runbook_url: \"{}\")",
                        rule.name,
                        absolute(&format!("{}{}", lib.url_prefix, alert_path(&rule.name))),
                        absolute(&format!("{}{}", lib.url_prefix, alert_path("{{ $labels.alertname }}"))),
                    ),
                ));
            }
        }
    }
    for (name, &id) in &claims {
        if !defined.contains(name.as_str()) {
            out.push(Diagnostic::warning(
                Code::Content,
                Location::file(&lib.pages[id].source),
                format!("alerts: {name} is defined by no alerting rule of alerts.rules_files"),
            ));
        }
    }
    out
}
