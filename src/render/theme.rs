//! The default theme, compiled into the binary so a site without a `themes/` folder still builds.
//! A theme folder on disk and the site's own `templates/` override these files by name.

use std::path::PathBuf;

pub use crate::output_file::AssetSource;

#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Tera name: `page.html`, `partials/nav.html`, `shortcodes/alert.html`.
    pub name: String,
    pub text: String,
    /// Shown in errors: `themes/default/templates/page.html` or `<built-in>/page.html`.
    pub origin: PathBuf,
}

/// Templates and static files of the theme in use, overrides applied.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    pub templates: Vec<TemplateSource>,
    /// Output path (`css/opsite.css`) → bytes.
    pub static_files: Vec<(String, AssetSource)>,
    /// The site's words per language (`i18n/<lang>.yaml`, lower-cased language), the site's
    /// over its theme's.
    pub words: std::collections::BTreeMap<String, crate::i18n::site_words::Words>,
}

macro_rules! embed {
    ($($name:literal => $path:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = embed! {
    "base.html" => "templates/base.html",
    "page.html" => "templates/page.html",
    "section.html" => "templates/section.html",
    "index.html" => "templates/index.html",
    "taxonomy.html" => "templates/taxonomy.html",
    "term.html" => "templates/term.html",
    "404.html" => "templates/404.html",
    "search.html" => "templates/search.html",
    "alias.html" => "templates/alias.html",
    "alerts.html" => "templates/alerts.html",
    "status.html" => "templates/status.html",
    "partials/nav.html" => "templates/partials/nav.html",
    "partials/page_meta.html" => "templates/partials/page_meta.html",
    "partials/print_footer.html" => "templates/partials/print_footer.html",
    "partials/page_source.html" => "templates/partials/page_source.html",
    "partials/nav_macros.html" => "templates/partials/nav_macros.html",
    "partials/report_macros.html" => "templates/partials/report_macros.html",
    "partials/report_body.html" => "templates/partials/report_body.html",
    "partials/pages_by_month.html" => "templates/partials/pages_by_month.html",
    "report.html" => "templates/report.html",
    "email/report.html" => "templates/email/report.html",
    "pdf/style.html" => "templates/pdf/style.html",
    "pdf/head.html" => "templates/pdf/head.html",
    "pdf/report.html" => "templates/pdf/report.html",
    "pdf/section.html" => "templates/pdf/section.html",
    "releases/page.html" => "templates/releases/page.html",
    "releases/section.html" => "templates/releases/section.html",
    "newsletters/page.html" => "templates/newsletters/page.html",
    "newsletters/section.html" => "templates/newsletters/section.html",
    "report_index.html" => "templates/report_index.html",
    "shortcodes/alert.html" => "shortcodes/alert.html",
    "shortcodes/note.html" => "shortcodes/note.html",
    "shortcodes/warning.html" => "shortcodes/warning.html",
    "shortcodes/pageinfo.html" => "shortcodes/pageinfo.html",
    "shortcodes/figure.html" => "shortcodes/figure.html",
    "shortcodes/highlight.html" => "shortcodes/highlight.html",
    "shortcodes/details.html" => "shortcodes/details.html",
    "shortcodes/youtube.html" => "shortcodes/youtube.html",
    "shortcodes/vimeo.html" => "shortcodes/vimeo.html",
    "shortcodes/tabpane.html" => "shortcodes/tabpane.html",
    "shortcodes/tab.html" => "shortcodes/tab.html",
    "shortcodes/comment.html" => "shortcodes/comment.html",
    "shortcodes/kpi.html" => "shortcodes/kpi.html",
    "shortcodes/indicators.html" => "shortcodes/indicators.html",
    "shortcodes/status.html" => "shortcodes/status.html",
    "shortcodes/escalation.html" => "shortcodes/escalation.html",
    "shortcodes/oncall.html" => "shortcodes/oncall.html",
    "shortcodes/chart.html" => "shortcodes/chart.html",
};

const STATIC: &[(&str, &[u8])] = &[
    (
        "css/opsite.css",
        include_bytes!("../../themes/default/static/css/opsite.css"),
    ),
    (
        "js/opsite.js",
        include_bytes!("../../themes/default/static/js/opsite.js"),
    ),
    (
        "js/search.js",
        include_bytes!("../../themes/default/static/js/search.js"),
    ),
];

pub fn embedded() -> ThemeFiles {
    ThemeFiles {
        words: Default::default(),
        templates: TEMPLATES
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                text: text.to_string(),
                origin: PathBuf::from("<built-in default theme>").join(name),
            })
            .collect(),
        static_files: STATIC
            .iter()
            .map(|(p, b)| (p.to_string(), AssetSource::Embedded(b)))
            .collect(),
    }
}

/// The built-in theme's text of template `name`.
pub fn built_in_template(name: &str) -> Option<&'static str> {
    TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

impl ThemeFiles {
    /// Add or replace a template by name.
    pub fn override_template(&mut self, t: TemplateSource) {
        match self.templates.iter_mut().find(|x| x.name == t.name) {
            Some(slot) => *slot = t,
            None => self.templates.push(t),
        }
    }

    pub fn override_static(&mut self, path: String, source: AssetSource) {
        match self.static_files.iter_mut().find(|x| x.0 == path) {
            Some(slot) => slot.1 = source,
            None => self.static_files.push((path, source)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `themes/default/` is compiled in: a site without the folder gets the same theme.
    #[test]
    fn the_built_in_theme_holds_every_file_of_the_theme_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = Vec::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                on_disk.push(rel);
            }
        }
        on_disk.sort();
        let mut built_in: Vec<String> = TEMPLATES
            .iter()
            .map(|(name, _)| match name.strip_prefix("shortcodes/") {
                Some(_) => name.to_string(),
                None => format!("templates/{name}"),
            })
            .chain(STATIC.iter().map(|(p, _)| format!("static/{p}")))
            .collect();
        built_in.sort();
        assert_eq!(built_in, on_disk);
    }
}
