//! The figure shortcodes (`kpi`, `indicators`, `chart`, `status`, `escalation`, `oncall`) and the tera functions of the
//! same names (`kpi(id, period)`, `indicators(period)`, `periods(kind)`, `chart(kind, kpi,
//! periods)`). Both read `figures::Figures`; the markup is the theme's (`shortcodes/kpi.html`
//! …), so a site restyles it by putting its own template at that name.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use super::{tera_message, Templates};
use crate::figures::{Figures, Source};
use crate::markdown::shortcodes::{Expansion, ShortcodeCall};
use crate::reports::ReportSet;

/// Shortcode names that show figures.
pub const NAMES: [&str; 6] = [
    "kpi",
    "indicators",
    "chart",
    "status",
    "escalation",
    "oncall",
];

/// The arguments each figure shortcode takes (named; the first may also be positional).
fn accepted(name: &str) -> &'static [&'static str] {
    match name {
        "kpi" => &["id", "period"],
        "indicators" | "status" => &["period"],
        "escalation" | "oncall" => &["service"],
        "chart" => &["kind", "kpi", "periods"],
        _ => &[],
    }
}

#[derive(Serialize)]
struct FigureView<T: Serialize> {
    figure: T,
    /// Words of the site's language.
    t: &'static crate::reports::views::Words,
}

/// Expand one figure shortcode; `None` when `call` is not one.
pub fn expand(
    figures: &Figures,
    templates: &Templates,
    call: &ShortcodeCall,
    language: &str,
) -> Option<Expansion> {
    if !NAMES.contains(&call.name.as_str()) {
        return None;
    }
    let routes_shortcode = matches!(call.name.as_str(), "escalation" | "oncall");
    if (figures.data_failed() && !routes_shortcode) || (routes_shortcode && figures.routes_failed())
    {
        // The data stage reported why; the run names every figure left out in one line.
        return Some(Expansion::Blocked);
    }
    Some(match figure_html(figures, templates, call, language) {
        // Trimmed: a `kpi` sits inside a sentence, where a trailing newline would be a space.
        Ok(html) => Expansion::Output(html.trim().to_string()),
        Err(e) => Expansion::Error(format!("{}: {e}", call.name)),
    })
}

fn figure_html(
    figures: &Figures,
    templates: &Templates,
    call: &ShortcodeCall,
    language: &str,
) -> Result<String, String> {
    let name = call.name.as_str();
    let allowed = accepted(name);
    if let Some(bad) = call.params.keys().find(|k| !allowed.contains(&k.as_str())) {
        let close = crate::config::keys::closest(bad, allowed.iter().copied())
            .map(|c| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "unknown argument `{bad}`{close}; {name} takes {}",
            allowed.join(", ")
        ));
    }
    // Positional arguments fill the named ones in order (`{{< kpi "uptime" "2026-11" >}}`).
    let arg = |key: &str| -> Option<String> {
        call.params.get(key).cloned().or_else(|| {
            let i = allowed.iter().position(|k| *k == key)?;
            call.args.get(i).cloned()
        })
    };
    let need = |key: &str, example: &str| {
        arg(key).ok_or_else(|| format!("give {key}, e.g. {{{{< {name} {example} >}}}}"))
    };
    let t = crate::reports::labels::words(language);
    let template = format!("shortcodes/{name}.html");
    let render = |ctx: tera::Result<tera::Context>| {
        ctx.and_then(|c| templates.render(&template, &c))
            .map_err(|e| tera_message(&e))
    };
    match name {
        "escalation" => {
            let figure = figures.escalation(arg("service").as_deref())?;
            render(tera::Context::from_serialize(FigureView { figure, t }))
        }
        "oncall" => {
            let figure = figures.oncall(arg("service").as_deref())?;
            render(tera::Context::from_serialize(FigureView { figure, t }))
        }
        "kpi" => {
            let id = need("id", "\"availability.portal\" period=\"latest-month\"")?;
            let period = need("period", "\"availability.portal\" period=\"latest-month\"")?;
            let figure = figures.kpi(&id, &period)?;
            render(tera::Context::from_serialize(FigureView { figure, t }))
        }
        "indicators" => {
            let figure = figures.indicators(&need("period", "period=\"latest-month\"")?)?;
            render(tera::Context::from_serialize(FigureView { figure, t }))
        }
        "status" => {
            let figure = figures.status(&need("period", "period=\"latest-week\"")?)?;
            render(tera::Context::from_serialize(FigureView { figure, t }))
        }
        _ => {
            let kpi = need(
                "kpi",
                "kind=\"line\" kpi=\"mttr.minutes\" periods=\"last-12-months\"",
            )?;
            let kind = arg("kind").unwrap_or_else(|| "line".into());
            let periods = arg("periods").unwrap_or_else(|| "last-12-months".into());
            let figure = figures.chart(&kind, &kpi, &periods)?;
            render(tera::Context::from_serialize(FigureView { figure, t }))
        }
    }
}

/// What the tera functions read: the build's report set, shared with every render thread.
#[derive(Clone)]
pub struct FigureData {
    pub set: Option<Arc<ReportSet>>,
    /// The site has `data:` (its errors, if any, were reported by the data stage).
    pub has_data: bool,
    pub language: String,
    /// `labels:` of site.yaml (services' names where there is no report set).
    pub labels: crate::config::labels::LabelsConfig,
    /// The escalation routes, and the build's instant they are shown at.
    pub escalation: crate::escalation::SiteRoutes,
    pub as_of: i64,
}

impl FigureData {
    pub fn source(&self) -> Source<'_> {
        match (&self.set, self.has_data) {
            (Some(s), _) => Source::Ready(s),
            (None, true) => Source::Failed,
            (None, false) => Source::NoData,
        }
    }

    /// What the figure shortcodes read.
    pub fn figures(&self) -> Figures<'_> {
        Figures::new(self.source(), &self.language).with_routes(
            &self.escalation,
            self.as_of,
            &self.labels,
        )
    }

    fn with<T>(&self, f: impl FnOnce(&Figures) -> T) -> T {
        f(&self.figures())
    }
}

fn string_arg(
    function: &str,
    args: &HashMap<String, Value>,
    key: &str,
    default: Option<&str>,
) -> tera::Result<String> {
    match args.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!("{function}(): `{key}` must be a string, not {other}").into()),
        None => default.map(str::to_string).ok_or_else(|| {
            tera::Error::msg(format!(
                "{function}(): give `{key}`, e.g. {function}({key}=\"…\")"
            ))
        }),
    }
}

fn to_value<T: Serialize>(function: &str, r: Result<T, String>) -> tera::Result<Value> {
    let v = r.map_err(|e| tera::Error::msg(format!("{function}(): {e}")))?;
    serde_json::to_value(v).map_err(|e| tera::Error::msg(e.to_string()))
}

type FigureFunction = Box<dyn tera::Function>;

/// The functions theme templates call for figures (`kpi`, `indicators`, `periods`, `chart`),
/// by name, reading `data`.
fn figure_functions(data: FigureData) -> Vec<(&'static str, FigureFunction)> {
    let d = data.clone();
    let kpi = move |args: &HashMap<String, Value>| {
        let id = string_arg("kpi", args, "id", None)?;
        let period = string_arg("kpi", args, "period", Some("latest-month"))?;
        d.with(|f| to_value("kpi", f.kpi(&id, &period)))
    };
    let d = data.clone();
    let indicators = move |args: &HashMap<String, Value>| {
        let period = string_arg("indicators", args, "period", Some("latest-month"))?;
        d.with(|f| to_value("indicators", f.indicators(&period)))
    };
    let d = data.clone();
    let periods = move |args: &HashMap<String, Value>| {
        let kind = string_arg("periods", args, "kind", None)?;
        d.with(|f| to_value("periods", f.periods(&kind)))
    };
    let d = data;
    let chart = move |args: &HashMap<String, Value>| {
        let kind = string_arg("chart", args, "kind", Some("line"))?;
        let kpi = string_arg("chart", args, "kpi", None)?;
        let periods = string_arg("chart", args, "periods", Some("last-12-months"))?;
        d.with(|f| to_value("chart", f.chart(&kind, &kpi, &periods)))
    };
    vec![
        ("kpi", Box::new(kpi)),
        ("indicators", Box::new(indicators)),
        ("periods", Box::new(periods)),
        ("chart", Box::new(chart)),
    ]
}

/// Register the figure functions for theme templates.
pub fn register_functions(templates: &mut Templates, data: FigureData) {
    for (name, function) in figure_functions(data) {
        (templates.tera).register_function(name, move |args: &HashMap<String, Value>| {
            function.call(args)
        });
    }
}

/// Whether a theme template calls a figure function: its pages then depend on the exports and
/// the clock beside their context.
pub fn templates_read_figures(templates: &Templates) -> bool {
    let nothing = FigureData {
        set: None,
        has_data: false,
        language: String::new(),
        labels: Default::default(),
        escalation: Default::default(),
        as_of: 0,
    };
    let names: Vec<&str> = (figure_functions(nothing).into_iter())
        .map(|(name, _)| name)
        .collect();
    super::template_calls::calls_any(&templates.tera, &names)
}
