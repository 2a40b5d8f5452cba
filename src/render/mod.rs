//! Rendering: tera set up with the theme's templates (built-in < theme folder < site), typed views
//! handed to templates, and the HTML of every page. Never reads files: sources come in, strings out.

pub mod figures;
pub mod i18n;
pub mod pages;
pub mod reports;
pub mod shortcodes;
pub mod theme;
pub mod urls;
pub mod views;

use std::error::Error as _;

use tera::Tera;

use crate::error::{Diagnostic, Location};
use crate::markdown::escape_html;
pub use theme::{AssetSource, TemplateSource, ThemeFiles};

pub struct Templates {
    pub tera: Tera,
}

/// Tera's message with its causes, which hold the useful part.
pub fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

impl Templates {
    /// `markdown`: the site's settings, used by `markdownify` outside shortcodes.
    pub fn new(
        files: &ThemeFiles,
        markdown: &crate::config::MarkdownConfig,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        // Tera's own escaping also turns `/` into `&#x2F;`, which would hide URLs from the
        // relative-URL pass; this one escapes what HTML needs.
        tera.set_escape_fn(escape_html_for_tera);
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter(
            "markdownify",
            shortcodes::markdownify_filter(markdown.clone()),
        );
        let list: Vec<(&str, &str)> = files
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(list) {
            let msg = tera_message(&e);
            let origin = files
                .templates
                .iter()
                .find(|t| msg.contains(&format!("'{}'", t.name)))
                .map(|t| t.origin.clone())
                .unwrap_or_else(|| "templates".into());
            return Err(vec![Diagnostic::error(
                Location::file(origin),
                format!("template: {msg}"),
            )]);
        }
        Ok(Templates { tera })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The first template of `candidates` that exists.
    pub fn pick<'a>(&self, candidates: &'a [String]) -> Option<&'a str> {
        candidates.iter().map(String::as_str).find(|c| self.has(c))
    }
}

fn escape_html_for_tera(s: &str) -> String {
    escape_html(s)
}
