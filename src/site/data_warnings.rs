//! Settings that the data shows to be wrong or empty, said once the KPI engine has read the
//! exports: a service label naming no service, a mail entry for a customer the data does not
//! have, `covers.from` past the last ticket, a history whose first months hold a few tickets.

use crate::config::SiteConfig;
use crate::error::{Code, Diagnostic, Diagnostics};
use crate::kpi::Engine;

use super::SiteSources;

/// Each warning the data gives about the settings, and of tickets dated after `as_of`.
pub fn warn(
    sources: &SiteSources,
    config: &SiteConfig,
    (e, as_of): (&Engine, i64),
    diags: &mut Diagnostics,
) {
    // A service label for no service of the data names nothing (`portl:`).
    let services = e.service_names();
    for code in config.labels.service.keys() {
        if !services.contains(&code.as_str()) {
            let hint = crate::config::keys::closest(code, services.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            diags.push(crate::config::label_warning(
                &sources.config_text,
                std::path::Path::new(crate::config::CONFIG_FILE),
                "service",
                code,
                format!("no service `{code}` in availability.services or the outage export{hint}; the label is used for no service"),
            ));
        }
    }
    unknown_mail_customers(sources, config, e, diags);
    if let (Some(last), Some(from)) = (e.covers_past_tickets(), e.tickets_covered_from()) {
        use crate::config::keys::{config_location, Step};
        let path = ["data", "tickets", "covers"].map(|k| Step::Key(k.into()));
        diags.push(crate::error::Diagnostic::warning(
            crate::error::Code::Data,
            config_location(&sources.config_text, &path),
            format!("data.tickets.covers.from {from} is after the last ticket of the export (opened {last}): no period of the site has tickets, so its reports are empty; move `covers` to where the data starts"),
        ));
    }
    // After the build's clock and after now: a clock set in the past (`--as-of`, to print an
    // old report again) has later tickets in a current export, which are no mistake.
    let now = crate::content::front_matter::now().timestamp();
    if let Some((count, id, at)) = e.opened_after(as_of.max(now)) {
        use crate::config::keys::{config_location, Step};
        let path = [Step::Key("data".into()), Step::Key("tickets".into())];
        diags.push(crate::error::Diagnostic::warning(
            crate::error::Code::Data,
            config_location(&sources.config_text, &path),
            format!(
                "data.tickets: {count} ticket(s) opened in the future, the first {id} at {}: they count in no report until then; a wrong date in the export?",
                at.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    if let Some((sparse, first_full)) = e.sparse_head() {
        use crate::config::keys::{config_location, Step};
        let path = [Step::Key("data".into()), Step::Key("tickets".into())];
        let at = config_location(&sources.config_text, &path);
        let span = match sparse.as_slice() {
            [one] => one.label.clone(),
            [a, .., b] => format!("{} to {}", a.label, b.label),
            [] => String::new(),
        };
        diags.push(crate::error::Diagnostic::warning(
            crate::error::Code::Data,
            at,
            format!(
                "data.tickets: {span} hold(s) under 5 % of a typical month's tickets, so their reports would show a month or two of tickets as the whole service (a partial history?); if the data starts later, set `covers: {{from: {}}}` on the source and they are no periods of the site",
                first_full.first_day
            ),
        ));
    }
}

/// A customer under `email.customers` the data does not have (renamed, or a typo): the Friday
/// mail run would stop at it, so `check` and `build` say so first.
fn unknown_mail_customers(
    sources: &SiteSources,
    config: &SiteConfig,
    engine: &Engine,
    diags: &mut Diagnostics,
) {
    use crate::config::keys::{config_location, Step};
    let known = engine.customer_names();
    if known.is_empty() {
        return;
    }
    for name in config.email.customers.keys() {
        if !known.contains(&name.trim()) {
            let hint = crate::config::keys::closest(name, known.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            let path = ["email", "customers", name].map(|k| Step::Key(k.into()));
            diags.push(Diagnostic::warning(
                Code::Config,
                config_location(&sources.config_text, &path),
                format!("email.customers.{name}: no customer `{name}` in the data{hint}; `opsite email --all-customers` stops at it (customers: {})", known.join(", ")),
            ));
        }
    }
}
