//! Who a run of `opsite email` writes to: the settings every mail needs, and the customers
//! mailed one by one (`--all-customers`, or the one `--customer` names, refused when it is a typo
//! of another).

use anyhow::bail;

use crate::cli::EmailArgs;
use crate::config::SiteConfig;

/// `email.from`, `to` and `subject` must be set, with an example when they are not.
pub(super) fn require_email_settings(config: &SiteConfig) -> anyhow::Result<()> {
    let missing = config.email.missing();
    if missing.is_empty() {
        return Ok(());
    }
    // The subject in the site's language: it is what the recipients read.
    let subject = crate::reports::labels::words(&config.language).mail_subject_example;
    bail!(
        "site.yaml needs {} for the email, e.g.\n  email:\n    from: \"Ops team <ops@example.jp>\"\n    to: [\"ops-team@example.jp\"]\n    subject: \"{subject}\"",
        missing.join(", ")
    )
}

/// The customers to mail one by one: every one under email.customers with
/// `--all-customers`, the one `--customer` names, or none (one message for the site).
pub(super) fn customers_to_mail(
    args: &EmailArgs,
    config: &SiteConfig,
) -> anyhow::Result<Vec<String>> {
    if !args.all_customers {
        // An edition's slug names its customer, as with `build --customer`.
        let named =
            |wanted: &String| match crate::config::customers::named(&config.customers, wanted) {
                Some(c) if !config.email.customers.contains_key(wanted) => c.name.clone(),
                _ => wanted.clone(),
            };
        let Some(wanted) = &args.customer else {
            return Ok(Vec::new());
        };
        // The export's own spelling of a customer (`data.tickets.customer_names`) names the
        // customer it is mapped to, as in the figures.
        let mapped = (config.kpi.data.tickets.as_ref())
            .and_then(|t| t.customer_names.as_ref())
            .and_then(|names| names.get(wanted.trim()));
        let wanted = mapped.unwrap_or(wanted);
        refuse_a_typo(config, wanted)?;
        return Ok(vec![named(wanted)]);
    }
    if config.email.customers.is_empty() {
        bail!("--all-customers: site.yaml has no email.customers (e.g. email: {{customers: {{\"ACME Inc.\": {{to: [\"it@acme.example\"]}}}}}})");
    }
    // A customer with an edition but no recipients gets no mail: said, not left out quietly.
    let unmailed: Vec<&str> = (config.customers.iter())
        .filter(|c| {
            !config.email.customers.contains_key(&c.name)
                && !config.email.customers.contains_key(&c.slug)
        })
        .map(|c| c.name.as_str())
        .collect();
    if !unmailed.is_empty() {
        eprintln!(
            "warning: --all-customers: no mail for {} (an edition under customers:, but no recipients under email.customers)",
            unmailed.join(", ")
        );
    }
    Ok(config.email.customers.keys().cloned().collect())
}

/// `name` is a customer under email.customers, or an edition's name or slug.
fn named_in_site_yaml(config: &SiteConfig, name: &str) -> bool {
    config.email.customers.contains_key(name)
        || crate::config::customers::named(&config.customers, name).is_some()
}

/// Refuses a `--customer` that names no one site.yaml knows (under email.customers or as an
/// edition's name or slug) but is a typo of one that it does: the message names the one meant,
/// as `build --customer` does, instead of asking to add the misspelt name's recipients.
fn refuse_a_typo(config: &SiteConfig, wanted: &str) -> anyhow::Result<()> {
    let wanted = wanted.trim();
    let known_here = named_in_site_yaml(config, wanted);
    let names = (config.email.customers.keys().map(String::as_str)).chain(
        config
            .customers
            .iter()
            .flat_map(|c| [c.slug.as_str(), c.name.as_str()]),
    );
    match crate::config::keys::closest(wanted, names) {
        Some(meant) if !known_here => bail!(
            "--customer {wanted}: no such customer in email.customers or customers (did you mean `{meant}`?)"
        ),
        _ => Ok(()),
    }
}

/// Refuses, before any mail is composed, a `--customer` that is no customer at all: under
/// neither email.customers nor customers:, in no ticket and no contract (an old slug, a name
/// from elsewhere). A customer the data or a contract has, without recipients, is asked for
/// them when its mail is made.
pub(super) fn refuse_unknown(
    config: &SiteConfig,
    name: &str,
    tickets: &crate::kpi::tables::Tickets,
) -> anyhow::Result<()> {
    let name = name.trim();
    let in_data = (tickets.customer.iter().flatten())
        .any(|code| tickets.labels.get(code as usize).is_some_and(|n| n == name));
    let in_contract = (config.kpi.contracts.iter()).any(|c| c.customers.list().contains(&name));
    if in_data || in_contract || named_in_site_yaml(config, name) {
        return Ok(());
    }
    let known: Vec<String> = (config.email.customers.keys().cloned())
        .chain(
            config
                .customers
                .iter()
                .map(|c| format!("{} ({})", c.slug, c.name)),
        )
        .collect();
    bail!(
        "--customer {name}: no such customer under email.customers or customers:, nor in the data; customers: {}",
        known.join(", ")
    )
}
