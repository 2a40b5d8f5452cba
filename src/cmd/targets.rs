//! What a build run makes: the internal site and the customer editions (or one of them), with
//! every problem of them all, each said once. `build`, `check` and `serve` share it.

use std::collections::HashSet;

use crate::config::customers::CustomerConfig;
use crate::error::Diagnostics;
use crate::site::{self, editions, BuildResult};

/// One edition of a run.
pub enum EditionRun {
    /// Built; `quiet` when it had no problem to say (not even one the internal site says too).
    Built { result: BuildResult, quiet: bool },
    /// Its last build stands (`editions::Unchanged`).
    Unchanged,
}

impl EditionRun {
    pub fn built(&self) -> Option<&BuildResult> {
        match self {
            EditionRun::Built { result, .. } => Some(result),
            EditionRun::Unchanged => None,
        }
    }
}

/// The internal site (unless only one edition is asked for) and the editions, with every
/// problem of them all: an edition's own problems only where the internal site does not have
/// the same one already. Each result is passed through `keep` (with its edition's slug) as soon
/// as it is built (a build writes it then and keeps only what it says of it); the editions
/// `unchanged` says stand as last built are not built.
pub fn build_targets(
    run: site::Run,
    only: Option<&str>,
    keep: &(dyn Fn(Option<&str>, BuildResult) -> BuildResult + Sync),
    unchanged: editions::Unchanged,
) -> (Option<BuildResult>, Vec<(String, EditionRun)>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut internal = only
        .is_none()
        .then(|| keep(None, site::build(run.sources, run.opts, run.progress)));
    let mut seen: HashSet<String> = HashSet::new();
    if let Some(r) = &mut internal {
        let d = std::mem::take(&mut r.diagnostics);
        seen.extend(d.iter().map(|d| d.to_string()));
        diagnostics.extend(d.iter().cloned());
    }
    let mut editions = Vec::new();
    if !run.sources.config.customers.is_empty() {
        let set = internal.as_ref().and_then(|r| r.report_set.clone());
        let (built, selection) = editions::build(run, only, set, unchanged, |e| {
            let result = keep(Some(&e.customer.slug), e.built.into_result());
            (e.customer, result)
        });
        for d in selection.iter() {
            if seen.insert(d.to_string()) {
                diagnostics.push(d.clone());
            }
        }
        for made in built {
            let (customer, mut result) = match made {
                editions::Made::Built(built) => built,
                editions::Made::Unchanged(customer) => {
                    editions.push((customer.slug, EditionRun::Unchanged));
                    continue;
                }
            };
            let said = std::mem::take(&mut result.diagnostics);
            let quiet = said.iter().next().is_none();
            let own = editions::own_problems(&customer, said, &seen);
            seen.extend(own.iter().map(|d| d.to_string()));
            diagnostics.extend(own);
            editions.push((customer.slug.clone(), EditionRun::Built { result, quiet }));
        }
    }
    (internal, editions, diagnostics)
}

/// The slug of the edition `--customer` names (its slug or its customer's name).
pub fn edition_named(customers: &[CustomerConfig], wanted: &str) -> anyhow::Result<String> {
    let wanted = wanted.trim();
    if customers.is_empty() {
        anyhow::bail!("--customer {wanted}: site.yaml has no `customers:`; an edition is listed there as {{name, slug, base_url}}");
    }
    if let Some(c) = crate::config::customers::named(customers, wanted) {
        return Ok(c.slug.clone());
    }
    let names = customers
        .iter()
        .flat_map(|c| [c.slug.as_str(), c.name.as_str()]);
    let hint = crate::config::keys::closest(wanted, names)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    let listed: Vec<String> = customers
        .iter()
        .map(|c| format!("{} ({})", c.slug, c.name))
        .collect();
    anyhow::bail!(
        "--customer {wanted}: no such edition{hint}; customers: {}",
        listed.join(", ")
    )
}
