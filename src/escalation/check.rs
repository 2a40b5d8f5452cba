//! Every service the site's data and settings name has somewhere to go: a route of its own or
//! the `*` route. A service without one is an error at `routes:` naming where the service was
//! seen; a route's service that nothing names is a warning (a typo keeps the real service
//! unrouted), with the closest name.

use std::collections::BTreeMap;

use super::{Place, Routes};
use crate::config::keys::{closest, Step};
use crate::config::SiteConfig;
use crate::error::{Code, Diagnostic};
use crate::kpi::tables::DataSet;

/// Each service the data and settings name, with where it was first seen.
pub fn services_named(
    config: &SiteConfig,
    data: Option<(&DataSet, &[crate::data::DataFile])>,
) -> BTreeMap<String, String> {
    let mut named: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |service: &str, source: &dyn Fn() -> String| {
        if !service.trim().is_empty() && !named.contains_key(service) {
            named.insert(service.to_string(), source());
        }
    };
    for s in &config.kpi.availability.services {
        add(s, &|| "availability.services in site.yaml".into());
    }
    for c in &config.customers {
        for s in c.services.iter().flatten() {
            add(s, &|| {
                format!("the services of customer {} in site.yaml", c.slug)
            });
        }
    }
    let Some((data, files)) = data else {
        return named;
    };
    let files_of = |prefix: &str| {
        let paths: Vec<String> = (files.iter())
            .filter(|f| f.source.starts_with(prefix))
            .map(|f| f.path.display().to_string())
            .take(3)
            .collect();
        paths.join(", ")
    };
    if let Some(outages) = &data.downtime {
        let at = files_of("downtime");
        for s in &outages.service {
            add(s, &|| format!("the downtime export ({at})"));
        }
    }
    if let Some(metrics) = &data.metrics {
        let at = files_of("metrics");
        for (name, service) in &metrics.series {
            if let Some(s) = service {
                add(s, &|| format!("metric {name} ({at})"));
            }
        }
    }
    named
}

/// The check's problems: errors for unrouted services, warnings for routes' unknown services.
pub fn check(routes: &Routes, named: &BTreeMap<String, String>, place: &Place) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !routes.routes.iter().any(|r| r.any) {
        let at = place.at(&[Step::Key("routes".into())]);
        for (service, source) in named {
            if routes.route_for(service).is_none() {
                out.push(Diagnostic::error(
                    Code::Config,
                    at.clone(),
                    format!("service `{service}` (in {source}) has no escalation route: add it to a route's `services`, or add a route with `services: \"*\"` for every other service"),
                ));
            }
        }
    }
    if named.is_empty() {
        return out;
    }
    for (i, route) in routes.routes.iter().enumerate() {
        for (j, service) in route.services.iter().enumerate() {
            if named.contains_key(service) {
                continue;
            }
            let hint = closest(service, named.keys().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            let path = [
                Step::Key("routes".into()),
                Step::Index(i),
                Step::Key("services".into()),
                Step::Index(j),
            ];
            out.push(Diagnostic::warning(
                Code::Config,
                place.at(&path),
                format!("service `{service}` is in no export and no setting of site.yaml{hint}"),
            ));
        }
    }
    out
}
