//! The escalation stage: the routes of `data/escalation.yaml` (or of site.yaml's
//! `escalation:`) read against the site's calendars, then checked against every service the
//! data and settings name. Once per build; customer editions take the internal routes cut to
//! their services.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::SiteSources;
use crate::config::keys::{config_location, Step};
use crate::config::{SiteConfig, CONFIG_FILE};
use crate::error::{Code, Diagnostic, Diagnostics, Location};
use crate::escalation::{self, check, Place, SiteRoutes};
use crate::kpi::calendar::Calendar;

/// The checked routes (every mistake in `diags`).
pub(super) fn routes(
    sources: &SiteSources,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> SiteRoutes {
    let inline = !config.escalation.is_null();
    let file = Path::new(escalation::DEFAULT_FILE);
    let (doc, text, place_file, prefix) = match (&sources.escalation_file, inline) {
        (None, false) => return SiteRoutes::None,
        (Some(_), true) => {
            diags.push(Diagnostic::error(
                Code::Config,
                config_location(&sources.config_text, &[Step::Key("escalation".into())]),
                format!(
                    "escalation routes are written both here and in {}: keep one of them",
                    escalation::DEFAULT_FILE
                ),
            ));
            return SiteRoutes::Failed;
        }
        (Some(Err(why)), false) => {
            diags.push(Diagnostic::error(
                Code::Config,
                Location::file(file),
                why.clone(),
            ));
            return SiteRoutes::Failed;
        }
        (Some(Ok(text)), false) => match crate::yaml::to_value(text) {
            Ok(doc) => (doc, text.as_str(), file, Vec::new()),
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Config,
                    Location::at(file, e.line, Some(e.column)),
                    e.message,
                ));
                return SiteRoutes::Failed;
            }
        },
        (None, true) => (
            config.escalation.clone(),
            sources.config_text.as_str(),
            Path::new(CONFIG_FILE),
            vec![Step::Key("escalation".into())],
        ),
    };
    // A bad time zone is reported with the data's settings.
    let Ok(tz) = crate::timezone::parse(&config.kpi.timezone) else {
        return SiteRoutes::Failed;
    };
    let calendars = calendars(sources, config, tz, diags);
    let place = Place {
        file: place_file,
        text,
        prefix,
        located: Default::default(),
    };
    let (routes, problems) = escalation::read(&doc, &place, &calendars, tz);
    diags.extend(problems);
    let Some(routes) = routes else {
        return SiteRoutes::Failed;
    };
    let data = match &sources.data {
        Some(Ok(loaded)) => Some((&loaded.data, loaded.files.as_slice())),
        _ => None,
    };
    let named = check::services_named(config, data);
    diags.extend(check::check(&routes, &named, &place));
    SiteRoutes::Ready(Arc::new(routes))
}

/// The site's calendars by name. Their mistakes are reported here only for a site without
/// `data:` (with data, the KPI settings' check reports them).
fn calendars(
    sources: &SiteSources,
    config: &SiteConfig,
    tz: chrono_tz::Tz,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Arc<Calendar>> {
    let empty = crate::kpi::tables::DataSet::default();
    let data = match &sources.data {
        Some(Ok(loaded)) => &loaded.data,
        _ => &empty,
    };
    let (calendars, errors) = crate::kpi::calendars(&config.kpi, tz, data);
    if sources.data.is_none() {
        for e in errors {
            diags.push(Diagnostic::error(
                Code::Config,
                config_location(&sources.config_text, &e.keys),
                e.message,
            ));
        }
    }
    calendars
        .into_iter()
        .map(|(name, c)| (name.to_string(), Arc::new(c)))
        .collect()
}
