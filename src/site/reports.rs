//! The build's data stage: the loaded exports → the KPI engine → the report set → the views of
//! the report pages, with the editors' commentary merged in. Named steps called from
//! `site::build`; no I/O (the exports were loaded with the other sources).

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::page::RawPage;
use crate::content::Library;
use crate::error::{Code, Diagnostic, Diagnostics, Location};
use crate::kpi::period::PeriodKind;
use crate::kpi::Engine;
use crate::reports::commentary::{self, Commentary};
use crate::reports::index::{self, KINDS};
use crate::reports::report_page::ReportPage;
use crate::reports::{self, snapshot, ReportSet};

use super::SiteSources;

pub use crate::reports::ReportPages;

/// Run the engine over the loaded data for every published period, then put frozen periods'
/// snapshots in place of their live figures (warning where they drifted). None when the site has
/// no data or its data or KPI configuration has errors (reported).
pub fn compute(
    sources: &SiteSources,
    config: &SiteConfig,
    as_of: i64,
    diags: &mut Diagnostics,
) -> Option<ReportSet> {
    let mut set = compute_live(sources, config, as_of, diags)?;
    diags.extend(snapshot::apply(&mut set, &sources.snapshots));
    Some(set)
}

/// Snapshots of the periods `reports.freeze_after` says are due (not frozen yet), put in place
/// in `set` too so this build already shows them as frozen. (path, text) to write.
pub fn freeze_due(set: &mut ReportSet, config: &SiteConfig) -> Vec<(PathBuf, String)> {
    let Ok(Some(after)) = config.reports.freeze_after_seconds() else {
        return Vec::new();
    };
    let due: Vec<(PathBuf, String)> = snapshot::due(set, after)
        .into_iter()
        .map(|d| (snapshot::path_for(&d.period.label), snapshot::write(d, set)))
        .collect();
    let problems = snapshot::apply(set, &due);
    debug_assert!(
        problems.is_empty(),
        "fresh snapshots apply cleanly: {problems:?}"
    );
    due
}

/// The figures of the data as it is now, snapshots ignored (`opsite freeze` starts here).
pub fn compute_live(
    sources: &SiteSources,
    config: &SiteConfig,
    as_of: i64,
    diags: &mut Diagnostics,
) -> Option<ReportSet> {
    let loaded = loaded_data(sources, diags)?;
    let urls = config.reports.urls().ok()?;
    let engine = engine_of(sources, config, (&*loaded, as_of), diags)?;
    let mut set = reports::compute(&engine, &urls, as_of, Arc::clone(&loaded));
    set.fiscal_year_start = config.fiscal_year_start;
    set.labels = config.labels.clone();
    set.top_categories =
        (config.reports.top_categories()).unwrap_or(crate::config::reports::TOP_CATEGORIES);
    set.workbook_name = config.reports.workbook_name.clone();
    set.customers = customer_reports(&engine, &loaded, sources, config, as_of, None, diags);
    set.status = status_board(&engine, config, as_of);
    set.terms = reports::terms::from_config(&config.kpi, &config.labels, None, engine.tz);
    Some(set)
}

/// The reports of the customers `wanted` (slugs) alone, without the site's own: what a run of
/// documents for those customers needs. None as `compute_live`.
pub fn compute_customers(
    sources: &SiteSources,
    config: &SiteConfig,
    as_of: i64,
    wanted: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<reports::CustomerReports>> {
    let loaded = loaded_data(sources, diags)?;
    config.reports.urls().ok()?;
    let engine = engine_of(sources, config, (&*loaded, as_of), diags)?;
    Some(customer_reports(
        &engine,
        &loaded,
        sources,
        config,
        as_of,
        Some(wanted),
        diags,
    ))
}

/// The loaded exports, their warnings reported; none (its errors reported) when they did not
/// load, or the site has no data.
fn loaded_data(sources: &SiteSources, diags: &mut Diagnostics) -> Option<Arc<crate::data::Loaded>> {
    match sources.data.as_ref()? {
        Ok(l) => {
            diags.extend(l.warnings.iter().cloned());
            Some(Arc::clone(l))
        }
        Err(errors) => {
            diags.extend(errors.iter().cloned());
            None
        }
    }
}

/// The KPI engine over the loaded data; its configuration's mistakes are errors at their keys,
/// and what the data shows of the settings is warned about (`data_warnings`).
fn engine_of<'a>(
    sources: &SiteSources,
    config: &'a SiteConfig,
    (loaded, as_of): (&'a crate::data::Loaded, i64),
    diags: &mut Diagnostics,
) -> Option<Engine<'a>> {
    match Engine::new(&config.kpi, &loaded.data) {
        Ok(e) => {
            super::data_warnings::warn(sources, config, (&e, as_of), diags);
            Some(e)
        }
        Err(errors) => {
            for e in errors {
                let location = crate::config::keys::config_location(&sources.config_text, &e.keys);
                diags.push(Diagnostic::error(Code::Config, location, e.to_string()));
            }
            None
        }
    }
}

/// Whose reports: a customer of the contracts, the services it sees (all when None), and
/// whether the report pages list the export files and their row counts (the internal mail does;
/// a customer edition does not: file names and totals are the MSP's).
pub struct CustomerScope<'a> {
    pub name: &'a str,
    pub services: Option<&'a [String]>,
    pub provenance: bool,
    /// The instant the reports are computed as of: the contract in force then gives its
    /// indicators and availability targets.
    pub as_of: i64,
    /// A customer no ticket names is reported as having none when the ticket export has no row
    /// at all, used, excluded or quarantined (an edition: its help pages still go out); else such
    /// a name is an error, as a typo would give a customer an empty edition.
    pub may_have_no_tickets: bool,
}

/// What one customer's figures are computed from: its tickets, the outages of the services it
/// sees, and the KPI settings and figures cut to those services.
pub struct Scoped {
    pub data: crate::kpi::tables::DataSet,
    pub kpi: crate::config::kpi::KpiConfig,
    pub units: std::collections::BTreeMap<String, crate::kpi::report::Unit>,
}

/// The inputs of one customer's figures from the site's engine, exactly as its edition shows
/// them (`opsite kpi --customer` takes the same). A customer the data does not have, or a
/// service the site does not have, is an error saying which exist.
pub fn scoped_inputs(
    engine: &Engine,
    data: &crate::kpi::tables::DataSet,
    config: &SiteConfig,
    scope: &CustomerScope,
) -> Result<Scoped, String> {
    let known = engine.customer_names();
    let name = scope.name.trim();
    if !known.contains(&name) {
        let tickets = &data.tickets;
        if config.kpi.contracts.is_empty() {
            return Err("per-customer reports need `contracts:` in site.yaml (e.g. contracts: [{name: standard, customers: \"*\"}])".into());
        }
        if !tickets.is_empty() && !tickets.customer.iter().any(|c| c.is_some()) {
            return Err("per-customer reports need a `customer` column in the tickets (or `data.tickets.columns.customer` naming it)".into());
        }
        // With rows, a name no ticket has may be a typo, which would give a customer an empty
        // edition; an export of no rows is no customer's yet.
        if !(scope.may_have_no_tickets && tickets.is_empty()) {
            let hint = crate::config::keys::closest(name, known.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            let listed = match known.is_empty() {
                true => "none (no ticket row is used)".to_string(),
                false => known.join(", "),
            };
            return Err(format!(
                "no customer `{name}` in the data{hint}; customers: {listed}; a customer with no ticket yet is named in its contract's `customers:`"
            ));
        }
    }
    let mut scoped_data = data.for_customer(name);
    let mut kpi = config.kpi.clone();
    let mut units = engine.kpi_units();
    if let Some(services) = scope.services {
        let known = engine.service_names();
        if let Some(s) = services.iter().find(|s| !known.contains(&s.as_str())) {
            let hint = crate::config::keys::closest(s, known.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "services: `{s}` is not a service of the site{hint} (services: {})",
                known.join(", ")
            ));
        }
        scoped_data.keep_services(services);
        kpi.availability.services.retain(|s| services.contains(s));
        // The other services' figures are not asked for either.
        units.retain(|id, _| match service_of(id) {
            Some(s) => services.iter().any(|k| k == s),
            None => true,
        });
    }
    // Its contract's and its own indicators and availability targets, beside the site's.
    let tz = engine.tz;
    let matcher = crate::kpi::contracts::ContractMatcher::new(&config.kpi.contracts, tz);
    let contract = (matcher.contract_at(Some(name), scope.as_of))
        .or_else(|| matcher.contract_of(Some(name)))
        .and_then(|i| config.kpi.contracts.get(i));
    if let Some(c) = contract {
        kpi.indicators.extend(c.indicators.iter().cloned());
        kpi.availability
            .targets
            .extend(c.availability_targets.clone());
    }
    if let Some(own) = crate::config::customers::by_name(&config.customers, name) {
        kpi.indicators.extend(own.indicators.iter().cloned());
    }
    // An indicator on a service the customer does not see is left out: its name would tell of
    // the service, and the customer has no figure for it.
    if let Some(services) = scope.services {
        kpi.indicators.retain(|i| match service_of(&i.kpi) {
            Some(s) => services.iter().any(|k| k == s),
            None => true,
        });
    }
    Ok(Scoped {
        data: scoped_data,
        kpi,
        units,
    })
}

/// One customer's reports from the site's engine: its tickets; outages stay (they are the
/// service's) for the services it sees; surveys, API usage and metrics go (they are not per
/// customer). The periods are the site's, so a customer's quiet week still has its page.
/// `site_terms`: `reports::terms::site_wide` of the same configuration, worked out once a run.
pub fn customer_set(
    engine: &Engine,
    loaded: &Arc<crate::data::Loaded>,
    config: &SiteConfig,
    as_of: i64,
    scope: &CustomerScope,
    site_terms: &reports::terms::Terms,
) -> Result<ReportSet, String> {
    let urls = config.reports.urls().map_err(|(_, e)| e)?;
    let name = scope.name.trim();
    let Scoped {
        data: scoped_data,
        kpi,
        units,
    } = scoped_inputs(engine, &loaded.data, config, scope)?;
    let scoped =
        Engine::new_scoped(&kpi, &scoped_data, &units, engine).map_err(|e| e[0].to_string())?;
    let periods = engine.all_periods(as_of);
    // Everything below is computed from these and from the configuration (hashed apart).
    let mut h = blake3::Hasher::new();
    crate::digest::hash_fingerprint(&mut h, &scoped_data);
    // The units are the site's (`engine.kpi_units()`, hashed once a run) less the services
    // the customer does not see.
    let parts: [&dyn std::fmt::Debug; 7] = [
        &kpi,
        &engine.kpi_units_digest(),
        &scope.services,
        &periods,
        &as_of,
        &name,
        &scope.provenance,
    ];
    for part in parts {
        crate::digest::hash_debug(&mut h, &part);
    }
    if scope.provenance {
        let l = loaded.as_ref();
        crate::digest::hash_debug(&mut h, &(&l.files, &l.rejected, &l.excluded));
    }
    let inputs = h.finalize().to_hex().to_string();
    let shown = if scope.provenance {
        Arc::clone(loaded)
    } else {
        Arc::new(crate::data::Loaded::default())
    };
    let mut set = reports::compute_over(&scoped, periods, &urls, as_of, shown);
    set.inputs = Some(inputs);
    set.customer = Some(name.to_string());
    set.customer_slug =
        crate::config::customers::by_name(&config.customers, name).map(|c| c.slug.clone());
    set.workbook_name = config.reports.workbook_name.clone();
    set.error_budget = config.reports.error_budget == crate::config::reports::ErrorBudgetShown::All;
    set.status = status_board(&scoped, config, as_of);
    set.terms = site_terms.for_customer(&config.kpi, Some(name), engine.tz);
    set.fiscal_year_start = config.fiscal_year_start;
    set.labels = config.labels.clone();
    set.top_categories =
        (config.reports.top_categories()).unwrap_or(crate::config::reports::TOP_CATEGORIES);
    Ok(set)
}

/// The status page's board, when `reports.status` is on and the data has an outage export.
fn status_board(
    engine: &Engine,
    config: &SiteConfig,
    as_of: i64,
) -> Option<reports::status::StatusBoard> {
    let settings = config.reports.status().ok()??;
    reports::status::board(engine, as_of, &settings)
}

/// Every customer edition's reports; a customer or service the data does not have is an
/// error at its entry of `customers:`.
fn customer_reports(
    engine: &Engine,
    loaded: &Arc<crate::data::Loaded>,
    sources: &SiteSources,
    config: &SiteConfig,
    as_of: i64,
    wanted: Option<&[&str]>,
    diags: &mut Diagnostics,
) -> Vec<reports::CustomerReports> {
    use rayon::prelude::*;
    let chosen: Vec<(usize, &crate::config::customers::CustomerConfig)> =
        (config.customers.iter().enumerate())
            .filter(|(_, c)| wanted.is_none_or(|w| w.contains(&c.slug.as_str())))
            .collect();
    let site_terms = reports::terms::site_wide(&config.kpi, &config.labels);
    // Each customer's figures on a core of their own; their problems in `customers:` order.
    let sets: Vec<Result<ReportSet, String>> = (chosen.par_iter())
        .map(|(_, c)| {
            let scope = CustomerScope {
                name: &c.name,
                services: c.services.as_deref(),
                provenance: false,
                as_of,
                may_have_no_tickets: loaded.has_no_rows("tickets"),
            };
            customer_set(engine, loaded, config, as_of, &scope, &site_terms)
        })
        .collect();
    let mut out = Vec::new();
    for ((i, c), set) in chosen.into_iter().zip(sets) {
        match set {
            Ok(set) => {
                let at = || {
                    crate::config::customers::entry_location(
                        &sources.config_text,
                        std::path::Path::new(crate::config::CONFIG_FILE),
                        i,
                        "name",
                    )
                };
                if loaded.has_no_rows("tickets") {
                    diags.push(Diagnostic::warning(
                        Code::Config,
                        at(),
                        format!("customers: {}: the ticket export has no rows; its edition's reports show none", c.name),
                    ));
                }
                for w in two_verdicts(&set) {
                    diags.push(Diagnostic::warning(
                        Code::Config,
                        at(),
                        format!("customers: {}: {w}", c.name),
                    ));
                }
                out.push(reports::CustomerReports {
                    slug: c.slug.clone(),
                    name: c.name.clone(),
                    contract: contract_of(config, &c.name, as_of),
                    base_url: c.base_url.clone(),
                    set: Arc::new(set),
                })
            }
            Err(e) => {
                let key = if e.starts_with("services") {
                    "services"
                } else {
                    "name"
                };
                let at = crate::config::customers::entry_location(
                    &sources.config_text,
                    std::path::Path::new(crate::config::CONFIG_FILE),
                    i,
                    key,
                );
                diags.push(Diagnostic::error(
                    Code::Config,
                    at,
                    format!("customers: {e}"),
                ));
            }
        }
    }
    out
}

/// A service's availability judged against two targets in one customer's reports: an
/// indicator's (`availability.web >= 99.9`) and the customer's availability target (its
/// contract's 99.5): the same figure reads 未達 in one table and 達成 in the next.
fn two_verdicts(set: &ReportSet) -> Vec<String> {
    let Some(month) = set.months.last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in &month.report.indicators {
        let Some(service) = i.kpi.strip_prefix("availability.") else {
            continue;
        };
        let Some(guide) = set.indicator_guides.get(&i.id) else {
            continue;
        };
        let target = set.availability_target_of(service);
        if (guide.target - target).abs() > 1e-9 {
            out.push(format!(
                "the indicator `{}` judges {service}'s availability against {} while the customer's availability target is {target} (its contract's or the site's): one figure would read met in one table and missed in the next; give the contract an indicator of its own or one target",
                i.id, i.target
            ));
        }
    }
    out
}

/// The name of the contract covering `customer` at `as_of`, by the engine's own rule
/// (`ContractMatcher`).
fn contract_of(config: &SiteConfig, customer: &str, as_of: i64) -> String {
    let tz = crate::timezone::parse(&config.kpi.timezone).unwrap_or(chrono_tz::UTC);
    let matcher = crate::kpi::contracts::ContractMatcher::new(&config.kpi.contracts, tz);
    (matcher.contract_at(Some(customer), as_of))
        .or_else(|| matcher.contract_of(Some(customer)))
        .map(|i| matcher.names()[i].clone())
        .unwrap_or_default()
}

/// The service a per-service KPI id is about (`availability.portal`, `downtime.portal.minutes`,
/// `error_budget.portal.remaining_minutes`).
fn service_of(id: &str) -> Option<&str> {
    let rest = (id.strip_prefix("availability."))
        .or_else(|| id.strip_prefix("downtime."))
        .or_else(|| id.strip_prefix("error_budget."))?;
    Some(rest.split('.').next().unwrap_or(rest))
}

/// Commentary files set apart from the content (only when there are report pages to take them).
pub fn take_commentary(raw: Vec<RawPage>, has_reports: bool) -> (Vec<RawPage>, Vec<RawPage>) {
    if has_reports {
        commentary::take(raw)
    } else {
        (raw, Vec::new())
    }
}

/// Which commentary a report set takes: the internal site's (none of the customers' own
/// files), or an edition's (its own file for a period wins over the internal one its
/// `audience` gives it); drafts only with `--drafts`, and never in a document (a PDF, a mail),
/// which says it left one out.
#[derive(Debug, Clone, Copy)]
pub struct CommentaryRules<'a> {
    pub edition: bool,
    pub drafts: bool,
    /// For a PDF or a mail (what to name in the warning), rather than the site.
    pub document: Option<&'a str>,
    /// The customers' slugs: a customer's file for another name is an error.
    pub slugs: &'a [&'a str],
}

/// Read the commentary files; each must belong to a published period.
pub fn read_commentary(
    raw: Vec<RawPage>,
    set: &ReportSet,
    rules: CommentaryRules,
    diags: &mut Diagnostics,
) -> Vec<Commentary> {
    let mut out: Vec<Commentary> = Vec::new();
    for page in raw {
        match commentary::from_raw(page, set.tz) {
            Ok((c, warnings)) => {
                diags.extend(warnings);
                if let Some(slug) = c.customer.as_deref() {
                    if !rules.edition && !rules.slugs.contains(&slug) {
                        let hint = crate::config::keys::closest(slug, rules.slugs.iter().copied())
                            .map(|c| format!(" (did you mean `{c}`?)"))
                            .unwrap_or_default();
                        diags.push(Diagnostic::error(
                            Code::Content,
                            Location::file(&c.source),
                            format!("commentary for the customer `{slug}`: no customer of site.yaml has that slug{hint}; a customer's commentary is reports/<kind>/<period>/<slug>.md"),
                        ));
                        continue;
                    }
                    // The internal site shows its own commentary, not a customer's.
                    if !rules.edition {
                        continue;
                    }
                }
                if c.draft {
                    if let Some(what) = rules.document {
                        diags.push(Diagnostic::warning(
                            Code::Content,
                            Location::file(&c.source),
                            format!("commentary for {} is a draft (draft: true): left out of this {what}", c.label),
                        ));
                    }
                    if rules.document.is_some() || !rules.drafts {
                        continue;
                    }
                }
                let published = set.published(c.kind);
                if published.iter().any(|d| d.period.label == c.label) {
                    out.push(c);
                } else {
                    let why = if set.urls_for(c.kind).is_none() {
                        "these reports are turned off in site.yaml (reports:)".to_string()
                    } else {
                        match (published.first(), published.last()) {
                            (Some(a), Some(b)) => format!(
                                "the data has no such period (pages exist from {} to {})",
                                a.period.label, b.period.label
                            ),
                            _ => "the data has no periods of this kind".to_string(),
                        }
                    };
                    diags.push(Diagnostic::warning(
                        Code::Content,
                        Location::file(&c.source),
                        format!("commentary for {} is not shown: {why}", c.label),
                    ));
                }
            }
            Err(errors) => diags.extend(errors),
        }
    }
    // A customer's own commentary wins over the internal one its `audience` brought.
    let own: Vec<(PeriodKind, String)> = (out.iter())
        .filter(|c| c.customer.is_some())
        .map(|c| (c.kind, c.label.clone()))
        .collect();
    out.retain(|c| c.customer.is_some() || !own.contains(&(c.kind, c.label.clone())));
    out
}

/// The report pages (each view made when first read) and the index views; `commentary` holds
/// the rendered body of each commentary. A content page at an index's address wins over the
/// generated index, with a warning at the page (the reports it lists are then listed nowhere).
pub fn views(
    set: &Arc<ReportSet>,
    commentary: &[(Commentary, String)],
    lib: &Library,
    language: &str,
    diags: &mut Diagnostics,
) -> ReportPages {
    let mut pages = Vec::new();
    for kind in KINDS {
        for i in 0..set.published(kind).len() {
            let label = &set.published(kind)[i].period.label;
            let c = commentary
                .iter()
                .find(|(c, _)| c.kind == kind && &c.label == label)
                .map(|(c, html)| (c, html.clone()));
            pages.push(ReportPage::new(set, kind, i, c, language));
        }
    }
    let mut indexes = Vec::new();
    let generated = (KINDS
        .iter()
        .filter_map(|&k| index::kind_index(set, k, language)))
    .chain(index::overview(set, language));
    for i in generated {
        match lib.by_url.get(&i.url) {
            Some(&id) => diags.push(Diagnostic::warning(
                Code::Content,
                Location::file(&lib.pages[id].source),
                format!("this page is at {}, where the index `{}` of the reports would be: the page wins, and no generated page lists those reports; move the page (url: or its folder), or the reports with reports.urls", i.url, i.title),
            )),
            None => indexes.push(i),
        }
    }
    ReportPages {
        pages,
        indexes,
        latest: index::latest(set, language),
        status: None,
    }
}
