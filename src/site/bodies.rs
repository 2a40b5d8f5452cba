//! The Markdown stage: every page body (and every report commentary) to HTML, in parallel, with
//! shortcodes expanded (figure shortcodes read the build's report set) and links resolved
//! against the library. Problems come back located at the file line they were written on.

use std::cell::Cell;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::kept_bodies::{self, BodyKey, KeptBodies};
use super::links::PageLinks;
use super::progress::Progress;
use crate::config::SiteConfig;
use crate::content::page::Page;
use crate::content::Library;
use crate::error::{Code, Diagnostic, Diagnostics, Location};
use crate::figures::Figures;
use crate::markdown::shortcodes::{Expansion, ShortcodeCall, ShortcodeHandler};
use crate::markdown::{self, HighlightCache, MarkdownContext, Rendered};
use crate::render::i18n::UiStrings;
use crate::render::shortcodes::{ShortcodePage, TemplateShortcodes};
use crate::render::Templates;
use crate::reports::commentary::Commentary;

/// What rendering a body needs besides the body.
pub struct BodyRenderer<'a> {
    pub lib: &'a Library,
    pub config: &'a SiteConfig,
    pub templates: &'a Templates,
    pub ui: &'a UiStrings,
    pub cache: &'a HighlightCache,
    pub figures: &'a Figures<'a>,
    /// The bodies the last build kept (`kept_bodies`), for the pages whose key they hold.
    pub kept: Option<&'a KeptBodies>,
}

impl BodyRenderer<'_> {
    /// Every page's body, with its links, headings and problems.
    /// Their problems are read from them afterwards (`problems`), so a rebuild of some
    /// pages gets all pages' problems without keeping a copy.
    /// With each body, the key it is kept by for the next build (None: it is not kept).
    pub fn pages(&self, progress: &Progress) -> Bodies {
        let ui_text = |key: &str| self.ui.markdown_text(key);
        let md_ctx = self.markdown_context(&ui_text);
        progress.start("markdown", self.lib.pages.len());
        let shared = (self.kept).and_then(|_| kept_bodies::shared_key(self.config, self.lib));
        let text: usize = self.lib.pages.iter().map(|p| p.body.len()).sum();
        let cap = kept_bodies::cap_for(text as u64);
        let kept = (self.kept.filter(|_| shared.is_some())).map(|k| k.read(cap));
        let (rendered, keys): (Vec<Rendered>, Vec<(Option<BodyKey>, bool)>) = self
            .lib
            .pages
            .par_iter()
            .map(|page| {
                let key = shared.as_ref().map(|h| kept_bodies::key_of(h, page));
                let found = key.and_then(|k| kept?.get(&k));
                let r = match found {
                    Some(r) => (r, (key, true)),
                    None => {
                        let (r, called_shortcodes) = self.page_watched(page, &md_ctx);
                        (r, (key.filter(|_| !called_shortcodes), false))
                    }
                };
                progress.tick();
                r
            })
            .unzip();
        Bodies {
            rendered,
            kept: keys.iter().filter(|(_, found)| *found).count(),
            keys: keys.into_iter().map(|(key, _)| key).collect(),
        }
    }

    /// Some pages' bodies again (the preview's fast path), into `rendered`.
    pub fn some_pages(&self, ids: &[usize], rendered: &mut [Rendered]) {
        let ui_text = |key: &str| self.ui.markdown_text(key);
        let md_ctx = self.markdown_context(&ui_text);
        for &id in ids {
            rendered[id] = self.page(&self.lib.pages[id], &md_ctx);
        }
    }

    /// The bodies of report commentary, rendered like pages at their report's URL (relative
    /// links resolve from the commentary file's folder).
    pub fn commentary(
        &self,
        list: Vec<Commentary>,
        diags: &mut Diagnostics,
    ) -> Vec<(Commentary, String)> {
        let files = (list.iter())
            .map(|c| {
                (
                    &c.page,
                    c.source.as_path(),
                    c.title.clone().unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>();
        let html = self.markdown_files(&files, diags);
        list.into_iter().zip(html).collect()
    }

    /// Markdown files that are not pages of their own (report commentary, incident notes):
    /// each (file, its path for messages, title) rendered as a page body would be.
    pub fn markdown_files(
        &self,
        files: &[(&crate::content::page::RawPage, &std::path::Path, String)],
        diags: &mut Diagnostics,
    ) -> Vec<String> {
        let Some(home) = self.lib.pages.first() else {
            return vec![String::new(); files.len()];
        };
        let ui_text = |key: &str| self.ui.markdown_text(key);
        let md_ctx = self.markdown_context(&ui_text);
        (files.iter())
            .map(|(raw, source, title)| {
                let mut page = home.clone();
                page.kind = crate::content::PageKind::Page;
                page.rel_path = raw.rel_path.clone();
                page.source = source.to_path_buf();
                page.body = raw.body.clone();
                page.body_line = raw.body_line;
                page.title_from_heading = false;
                page.title = title.clone();
                let r = self.page(&page, &md_ctx);
                diags.extend(located_problems(source, &r));
                r.html
            })
            .collect()
    }

    fn markdown_context<'c>(
        &'c self,
        ui_text: &'c (dyn Fn(&str) -> Option<String> + Sync),
    ) -> MarkdownContext<'c> {
        MarkdownContext {
            raw_html: self.config.markdown.raw_html,
            heading_ids: self.config.markdown.heading_ids,
            title_heading: None,
            highlight: self.config.markdown.highlight,
            cache: self.cache,
            ui_text,
            diagram_limits: crate::markdown::diagrams::DiagramLimits::of(&self.config.limits),
            includes: Some((&self.config.markdown.includes, &self.lib.included)),
            attribute_lists: self.config.markdown.attribute_lists,
        }
    }

    /// One page's Markdown → HTML, its links resolved against the library.
    fn page(&self, page: &Page, md_ctx: &MarkdownContext) -> Rendered {
        self.page_watched(page, md_ctx).0
    }

    /// `page`, and whether its rendering called on a shortcode (which reads more than the page).
    fn page_watched(&self, page: &Page, md_ctx: &MarkdownContext) -> (Rendered, bool) {
        if crate::content::source::is_html_page(&page.rel_path) {
            return (
                html_page_body(&page.body, page.body_line, md_ctx.raw_html),
                false,
            );
        }
        let resolver = PageLinks {
            lib: self.lib,
            page,
        };
        let handler = TemplateShortcodes {
            templates: self.templates,
            ignore: &self.config.shortcodes.ignore,
            tolerate_unknown: self.config.shortcodes.tolerate_unknown,
            page: ShortcodePage {
                title: &page.title,
                url: &page.url,
                front: &page.front,
            },
            site_params: &self.config.params,
            resolver: &resolver,
            figures: self.figures,
            language: &self.config.language,
        };
        let style = self.config.markdown.heading_ids;
        let numbered_first = page.title_from_heading && style.python_markdown();
        let ctx = MarkdownContext {
            title_heading: numbered_first.then_some(page.title.as_str()),
            ..md_ctx.clone()
        };
        let handler = Watched {
            inner: &handler,
            called: Cell::new(false),
        };
        let mut r = markdown::render(&page.body, page.body_line, &ctx, &handler, &resolver);
        if page.title_from_heading && !numbered_first {
            let id = markdown::slug::heading_id(style, &page.title);
            if !id.is_empty() && !r.heading_ids.contains(&id) {
                r.heading_ids.push(id.clone());
                r.title_id = Some(id);
            }
        }
        (r, handler.called.get())
    }
}

/// Every page's body, in the library's order.
pub struct Bodies {
    pub rendered: Vec<Rendered>,
    /// The key each body is kept by for the next build (None: not kept).
    pub keys: Vec<Option<BodyKey>>,
    /// How many were taken as the last build kept them.
    pub kept: usize,
}

/// A shortcode handler that notes whether it was asked anything.
struct Watched<'a> {
    inner: &'a dyn ShortcodeHandler,
    called: Cell<bool>,
}

impl ShortcodeHandler for Watched<'_> {
    fn is_ignored(&self, name: &str) -> bool {
        self.called.set(true);
        self.inner.is_ignored(name)
    }

    fn takes_content(&self, name: &str) -> bool {
        self.called.set(true);
        self.inner.takes_content(name)
    }

    fn expand(
        &self,
        call: &ShortcodeCall,
        inner: Option<&str>,
        markdown: &dyn Fn(&str) -> String,
    ) -> Expansion {
        self.called.set(true);
        self.inner.expand(call, inner, markdown)
    }
}

/// The body of an HTML content file (front matter, then HTML), as Hugo publishes it: the HTML as
/// written. With `markdown.raw_html: escape` no raw HTML is passed, this included: it is shown
/// as text, with a warning.
fn html_page_body(body: &str, body_line: usize, raw_html: crate::config::RawHtml) -> Rendered {
    let text_len = body.split_whitespace().count();
    let mut r = Rendered {
        word_count: text_len,
        ..Rendered::default()
    };
    if raw_html == crate::config::RawHtml::Escape {
        r.html = format!("<pre>{}</pre>", markdown::escape_html(body));
        r.problems.push(markdown::MarkdownProblem {
            line: body_line,
            message: "an HTML content file is raw HTML, which markdown.raw_html: escape does not pass: shown as text".into(),
            warning: true,
        });
    } else {
        r.html = body.to_string();
    }
    r
}

/// The problems the Markdown stage found in every page, located at their lines.
/// With `damage_is_error` (`check`), a shortcode lost inside code is an error even where an
/// unknown shortcode is only a warning.
pub fn problems(
    lib: &Library,
    rendered: &[Rendered],
    blocked_newsletters: &[crate::content::PageId],
    damage_is_error: bool,
) -> Vec<Diagnostic> {
    let mut diags = ignored_shortcode_notes(lib, rendered);
    for (page, r) in lib.pages.iter().zip(rendered) {
        diags.extend(located_problems(&page.source, r));
        diags.extend(code_lost(&page.source, r, damage_is_error));
    }
    diags.extend(blocked_note(lib, rendered, blocked_newsletters));
    diags
}

/// One error for every figure left out because the data did not load, after the data's own
/// errors: where the first few are and how many there are in all, not one error per use.
fn blocked_note(
    lib: &Library,
    rendered: &[Rendered],
    newsletters: &[crate::content::PageId],
) -> Option<Diagnostic> {
    let mut places: Vec<(&Path, usize)> = Vec::new();
    let mut routes_only = newsletters.is_empty();
    for (page, r) in lib.pages.iter().zip(rendered) {
        places.extend(
            r.blocked_shortcodes
                .iter()
                .map(|(_, line)| (page.source.as_path(), *line)),
        );
        routes_only &=
            (r.blocked_shortcodes.iter()).all(|(n, _)| n == "escalation" || n == "oncall");
    }
    places.extend(
        newsletters
            .iter()
            .map(|&id| (lib.pages[id].source.as_path(), 0)),
    );
    places.sort();
    let &(first, line) = places.first()?;
    let pages = {
        let mut files: Vec<&Path> = places.iter().map(|p| p.0).collect();
        files.dedup();
        files.len()
    };
    const SHOWN: usize = 3;
    let mut shown: Vec<String> = (places.iter().take(SHOWN))
        .map(|(f, l)| match l {
            0 => f.display().to_string(),
            l => format!("{}:{l}", f.display()),
        })
        .collect();
    if places.len() > SHOWN {
        shown.push(format!("and {} more", places.len() - SHOWN));
    }
    let location = match line {
        0 => Location::file(first),
        l => Location::at(first, l, None),
    };
    let cause = if routes_only {
        "the escalation routes have errors (above)"
    } else {
        "the data could not be loaded (its errors are above)"
    };
    let message = format!(
        "{} figure(s) on {pages} page(s) not drawn because {cause}: {}",
        places.len(),
        shown.join(", ")
    );
    Some(Diagnostic::error(Code::Content, location, message).as_consequence())
}

/// One body's problems as diagnostics at their lines of `source`.
fn located_problems<'a>(
    source: &'a Path,
    r: &'a Rendered,
) -> impl Iterator<Item = Diagnostic> + 'a {
    r.problems.iter().map(move |p| {
        let loc = Location::at(source, p.line, None);
        if p.warning {
            Diagnostic::warning(Code::Content, loc, &p.message)
        } else {
            Diagnostic::error(Code::Content, loc, &p.message)
        }
    })
}

/// Each call of a shortcode without a template inside code: the code is published without the
/// call's output (`pip install tool==` for `tool=={{< current-version >}}`), which a reader
/// copying a command cannot see, so it is never one of many identical warnings to skim past.
fn code_lost<'a>(
    source: &'a Path,
    r: &'a Rendered,
    damage_is_error: bool,
) -> impl Iterator<Item = Diagnostic> + 'a {
    r.unknown_in_code.iter().map(move |(name, line, warning)| {
        let severity = if *warning && !damage_is_error {
            crate::error::Severity::Warning
        } else {
            crate::error::Severity::Error
        };
        let mut finding = Diagnostic::error(
            Code::ShortcodeInCode,
            Location::at(source, *line, None),
            format!(
                "shortcode `{name}` has no template and stands inside code, so the code is published without its output (a command that looks whole but is not), whether or not shortcodes.ignore lists it: give it a one-line template at templates/shortcodes/{name}.html printing the value, e.g. {{{{ site_params.version }}}} for a `version` key of the site's params (hugo.toml's [params], or `params:` in site.yaml)"
            ),
        );
        finding.severity = severity;
        finding
    })
}

/// One warning per ignored shortcode, at its first use, with how often and in how many files it
/// was used: the site chose to ignore them, so a line per use would only bury real problems.
fn ignored_shortcode_notes(lib: &Library, rendered: &[Rendered]) -> Vec<Diagnostic> {
    // name → (first source, first line, uses, files)
    let mut seen: BTreeMap<&str, (&Path, usize, usize, usize)> = BTreeMap::new();
    for (page, r) in lib.pages.iter().zip(rendered) {
        let mut in_this_file = HashSet::new();
        for (name, line) in &r.ignored_shortcodes {
            let entry = seen.entry(name).or_insert((&page.source, *line, 0, 0));
            entry.2 += 1;
            if in_this_file.insert(name) {
                entry.3 += 1;
            }
        }
    }
    seen.into_iter()
        .map(|(name, (source, line, uses, files))| {
            Diagnostic::warning(Code::Content,
                Location::at(source, line, None),
                format!(
                    "shortcode `{name}` is ignored (listed under shortcodes.ignore): used {uses} time(s) in {files} file(s), first here"
                ),
            )
        })
        .collect()
}
