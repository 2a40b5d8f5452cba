//! Rendering: tera set up with the theme's templates (built-in < theme folder < site), typed views
//! handed to templates, and the HTML of every page. Never reads files: sources come in, strings out.

pub mod figures;
pub mod guard;
pub use crate::i18n;
pub mod nav;
pub mod pages;
pub mod reports;
pub mod shortcodes;
pub mod template_calls;
mod template_cycles;
pub mod theme;
pub mod urls;
pub mod views;

use crate::layout::SiteFolder;
use std::error::Error as _;

use tera::Tera;

use crate::error::{Code, Diagnostic, Location};
use crate::markdown::escape_html;
pub use theme::{AssetSource, TemplateSource, ThemeFiles};

#[derive(Clone)]
pub struct Templates {
    /// Render through `Templates::render`, which keeps a render within `guard`'s limits.
    pub tera: Tera,
    /// Shortcodes whose template shows the content between their opening and closing calls
    /// (it reads `inner`): such a call left unclosed loses its content.
    pub shortcodes_with_content: std::collections::BTreeSet<String>,
    /// The navigation templates are the built-in ones, whose markup `nav::WrittenNav` writes.
    pub builtin_nav: bool,
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

/// The theme's templates as last parsed in a run, so that the editions and the customers'
/// documents, each of which registers its own figures' functions, copy the parsed templates
/// instead of parsing them again (a hundred customers parsed the theme a hundred times).
/// Keyed on the templates' text and the Markdown settings, so a changed theme is parsed anew.
#[derive(Default)]
pub struct ParsedTemplates {
    last: std::sync::Mutex<Option<(blake3::Hash, Result<Templates, Vec<Diagnostic>>)>>,
}

impl ParsedTemplates {
    /// `Templates::new(files, markdown)`, parsed once for the same inputs.
    pub fn get(
        &self,
        files: &ThemeFiles,
        markdown: &crate::config::MarkdownConfig,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut h = blake3::Hasher::new();
        crate::digest::hash_debug(&mut h, markdown);
        for t in &files.templates {
            crate::digest::hash_part(&mut h, t.name.as_bytes());
            crate::digest::hash_part(&mut h, t.text.as_bytes());
            crate::digest::hash_part(&mut h, t.origin.as_os_str().as_encoded_bytes());
        }
        let key = h.finalize();
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        match &*last {
            Some((k, parsed)) if *k == key => parsed.clone(),
            _ => {
                let parsed = Templates::new(files, markdown);
                *last = Some((key, parsed.clone()));
                parsed
            }
        }
    }
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
        let parsed = parse_checked(&files.templates)?;
        for (source, template) in parsed {
            tera.templates.insert(source.name.clone(), template);
        }
        if let Err(e) = tera
            .build_inheritance_chains()
            .and_then(|_| tera.check_macro_files())
        {
            let msg = tera_message(&e);
            let origin = files
                .templates
                .iter()
                .find(|t| msg.contains(&format!("'{}'", t.name)))
                .map(|t| t.origin.clone())
                .unwrap_or_else(|| SiteFolder::Templates.name().into());
            return Err(vec![Diagnostic::error(
                Code::Template,
                Location::file(origin),
                format!("template: {msg}"),
            )]);
        }
        guard::register(&mut tera);
        guard::count_macro_depth(&mut tera, &files.templates);
        let shortcodes_with_content = files
            .templates
            .iter()
            .filter(|t| t.text.contains("inner"))
            .filter_map(|t| t.name.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .map(str::to_string)
            .collect();
        let builtin_nav = ["partials/nav.html", "partials/nav_macros.html"]
            .iter()
            .all(|name| {
                let given = files.templates.iter().find(|t| t.name == *name);
                given.map(|t| t.text.as_str()) == theme::built_in_template(name)
            });
        Ok(Templates {
            tera,
            shortcodes_with_content,
            builtin_nav,
        })
    }

    /// Render a template within the limits of `guard` (range, macro depth, output size).
    pub fn render(&self, name: &str, context: &tera::Context) -> tera::Result<String> {
        guard::render(&self.tera, name, context)
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The first template of `candidates` that exists.
    pub fn pick<'a>(&self, candidates: &'a [String]) -> Option<&'a str> {
        candidates.iter().map(String::as_str).find(|c| self.has(c))
    }
}

/// Every template parsed, and refused together with its include/extends/import cycles. Parsed
/// here rather than by `add_raw_templates`, so cycles are found before tera follows them (it
/// recursed without end on some), and every template's syntax error is reported, not the first.
fn parse_checked(
    sources: &[TemplateSource],
) -> Result<Vec<(&TemplateSource, tera::Template)>, Vec<Diagnostic>> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for source in sources {
        match tera::Template::new(&source.name, None, &source.text) {
            Ok(template) => parsed.push((source, template)),
            Err(e) => {
                let e = tera::Error::chain(format!("Failed to parse '{}'", source.name), e);
                errors.push(Diagnostic::error(
                    Code::Template,
                    Location::file(&source.origin),
                    format!("template: {}", tera_message(&e)),
                ));
            }
        }
    }
    errors.extend(template_cycles::find(&parsed));
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

fn escape_html_for_tera(s: &str) -> String {
    escape_html(s)
}
