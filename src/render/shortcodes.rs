//! Shortcodes backed by tera templates (`shortcodes/<name>.html` in the theme or the site), plus the
//! built-in `ref`/`relref` that link to a page by its content path and are checked, and Hugo's
//! `param`, which reads the page's (else the site's) parameters. The default theme also brings
//! templates for Hugo's `figure`, `highlight`, `details`, `youtube`, `vimeo` and Docsy's
//! `tabpane`/`tab`, so trees written for them build without configuration.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use super::{tera_message, Templates};
use crate::content::fields::FrontMatter;
use crate::markdown::links::LinkResolver;
use crate::markdown::shortcodes::{Expansion, ShortcodeCall, ShortcodeHandler};
use crate::markdown::{HighlightCache, MarkdownContext};

/// Context of a shortcode template.
#[derive(Serialize)]
struct ShortcodeView<'a> {
    name: &'a str,
    /// Positional arguments: `args[0]`.
    args: &'a [String],
    /// Named arguments: `params.title`.
    params: &'a std::collections::BTreeMap<String, String>,
    /// Content between the opening and closing call, as written.
    inner: Option<&'a str>,
    /// Called as `{{% name %}}`: the output is read as Markdown.
    markdown: bool,
    /// The paired shortcode this call sits inside (`parent.name`, `parent.params`), if any.
    parent: Option<ParentView<'a>>,
    page: ShortcodePage<'a>,
    site_params: &'a Value,
}

#[derive(Serialize)]
struct ParentView<'a> {
    name: &'a str,
    params: &'a std::collections::BTreeMap<String, String>,
}

#[derive(Serialize, Clone, Copy)]
pub struct ShortcodePage<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// The page's front matter: its known fields and its own parameters (`params:` and unknown
    /// keys).
    #[serde(skip)]
    pub front: &'a FrontMatter,
}

pub struct TemplateShortcodes<'a> {
    pub templates: &'a Templates,
    pub ignore: &'a [String],
    /// Unknown shortcodes are warnings (`ShortcodeConfig::tolerate_unknown`).
    pub tolerate_unknown: bool,
    pub page: ShortcodePage<'a>,
    pub site_params: &'a Value,
    pub resolver: &'a dyn LinkResolver,
    /// What the figure shortcodes (`kpi`, `status` …) read.
    pub figures: &'a crate::figures::Figures<'a>,
    pub language: &'a str,
}

impl ShortcodeHandler for TemplateShortcodes<'_> {
    fn is_ignored(&self, name: &str) -> bool {
        self.ignore.iter().any(|i| i == name)
    }

    fn takes_content(&self, name: &str) -> bool {
        self.templates.shortcodes_with_content.contains(name)
    }

    fn expand(
        &self,
        call: &ShortcodeCall,
        inner: Option<&str>,
        markdown: &dyn Fn(&str) -> String,
    ) -> Expansion {
        if call.name == "ref" || call.name == "relref" {
            let Some(target) = call.args.first().or_else(|| call.params.get("path")) else {
                return Expansion::Error(format!(
                    "{}: give the page's path, e.g. {{{{< {} \"sop/daily.md\" >}}}}",
                    call.name, call.name
                ));
            };
            // `lang="en"`: the page of that language (the page's own language: as without).
            let lang = (call.params.get("lang").map(String::as_str))
                .filter(|l| !l.eq_ignore_ascii_case(self.language));
            return match resolve_ref(self.resolver, self.page.url, target, lang) {
                Ok(url) => Expansion::Text(url),
                Err(RefMiss::None) => match lang {
                    Some(l) => Expansion::Error(format!(
                        "{}: no page at `{target}` in the language `{l}`",
                        call.name
                    )),
                    None => Expansion::Error(format!("{}: no page at `{target}`", call.name)),
                },
                Err(RefMiss::Ambiguous(sources)) => Expansion::Error(format!(
                    "{}: `{target}` is ambiguous: {}; give more of the path",
                    call.name,
                    sources.join(", ")
                )),
            };
        }
        if call.name == "param" && !self.templates.has("shortcodes/param.html") {
            let Some(key) = call.args.first().or_else(|| call.params.get("name")) else {
                return Expansion::Error(
                    "param: give the parameter's name, e.g. {{< param \"owner\" >}}".into(),
                );
            };
            return match lookup_param(self.page.front, self.site_params, key) {
                // Escaped: a parameter is data, never markup, whatever markdown.raw_html says.
                Some(v) => Expansion::Text(crate::markdown::escape_html(&v)),
                None => Expansion::Error(format!(
                    "param: no parameter `{key}` in the page's front matter or site.yaml params"
                )),
            };
        }
        if let Some(x) = super::figures::expand(self.figures, self.templates, call, self.language) {
            return x;
        }
        let template = format!("shortcodes/{}.html", call.name);
        if !self.templates.has(&template) {
            if self.ignore.iter().any(|i| i == &call.name) {
                return Expansion::Ignored;
            }
            let message = if self.tolerate_unknown {
                format!(
                    "unknown shortcode `{}` (a Hugo template, which opsite cannot run): left out, its inner text kept; an opsite template at templates/shortcodes/{}.html would draw it",
                    call.name, call.name
                )
            } else {
                format!(
                    "unknown shortcode `{}`: add a template at templates/shortcodes/{}.html, or list it under `shortcodes: {{ignore: [...]}}` in site.yaml",
                    call.name, call.name
                )
            };
            return Expansion::Unknown {
                message,
                warning: self.tolerate_unknown,
            };
        }
        let view = ShortcodeView {
            name: &call.name,
            args: &call.args,
            params: &call.params,
            inner,
            markdown: call.markdown,
            parent: call
                .parent
                .as_ref()
                .map(|(name, params)| ParentView { name, params }),
            page: self.page,
            site_params: self.site_params,
        };
        let ctx = match tera::Context::from_serialize(&view) {
            Ok(c) => c,
            Err(e) => return Expansion::Error(tera_message(&e)),
        };
        PENDING_MARKDOWN.with(|p| *p.borrow_mut() = Some(Vec::new()));
        let result = self.templates.render(&template, &ctx);
        let pending = PENDING_MARKDOWN
            .with(|p| p.borrow_mut().take())
            .unwrap_or_default();
        match result {
            Ok(mut out) => {
                // The newline that ends the template file is not output, as in Jinja: a
                // one-line template called inside code (`tool=={{< version >}}`) must not
                // break the line it stands in.
                if out.ends_with('\n') {
                    out.pop();
                    if out.ends_with('\r') {
                        out.pop();
                    }
                }
                Expansion::Output(fill_markdown(out, &pending, markdown))
            }
            Err(e) => Expansion::Error(format!("shortcode `{}`: {}", call.name, tera_message(&e))),
        }
    }
}

/// Hugo's `param`: a front-matter field (`description`, `lastmod`, ...) or a (dotted) key of the
/// page's parameters, else of the site's; keys match case-insensitively, as front-matter keys do.
fn lookup_param(front: &FrontMatter, site: &Value, key: &str) -> Option<String> {
    if let Some(v) = front_field(front, key) {
        return Some(v);
    }
    let find = |root: &serde_json::Map<String, Value>| -> Option<String> {
        let mut parts = key.split('.');
        let get = |map: &serde_json::Map<String, Value>, part: &str| -> Option<Value> {
            map.get(part)
                .or_else(|| {
                    map.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(part))
                        .map(|(_, v)| v)
                })
                .cloned()
        };
        let mut cur = get(root, parts.next()?)?;
        for part in parts {
            cur = get(cur.as_object()?, part)?;
        }
        match cur {
            Value::Null => None,
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    };
    find(&front.params).or_else(|| site.as_object().and_then(find))
}

fn front_field(front: &FrontMatter, key: &str) -> Option<String> {
    let date = |d: &Option<crate::content::fields::PageDate>| d.map(|d| d.to_rfc3339());
    match key.to_ascii_lowercase().as_str() {
        "title" => front.title.clone(),
        "linktitle" => front.link_title.clone(),
        "description" => front.description.clone(),
        "date" => date(&front.date),
        "lastmod" => date(&front.lastmod),
        "publishdate" => date(&front.publish_date),
        "expirydate" => date(&front.expiry_date),
        "weight" => front.weight.map(|w| w.to_string()),
        "slug" => front.slug.clone(),
        "url" => front.url.clone(),
        "type" => front.page_type.clone(),
        "layout" => front.layout.clone(),
        "owner" => front.owner.clone(),
        "reviewed" => date(&front.reviewed),
        "review_by" => date(&front.review_by),
        _ => None,
    }
}

/// A `ref`/`relref` target in Hugo's order: relative to the page's folder first, then from
/// `content/`; with or without `.md`; a folder by its `_index.md`, `index.md` or `README.md`; an
/// optional `#anchor` kept (`#anchor` alone is on the page itself).
/// With `lang`, the path names a page of that language's content (a bilingual site's).
pub fn resolve_ref(
    resolver: &dyn LinkResolver,
    page_url: &str,
    target: &str,
    lang: Option<&str>,
) -> Result<String, RefMiss> {
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let with_fragment = |url: String| match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url,
    };
    let path = path.trim();
    if path.is_empty() {
        return fragment
            .map(|_| with_fragment(page_url.to_string()))
            .ok_or(RefMiss::None);
    }
    let forms = |p: &str| -> Vec<String> {
        let p = p.trim_end_matches('/');
        let mut v = vec![p.to_string()];
        if !p.ends_with(".md") && !p.ends_with(".markdown") {
            v.push(format!("{p}.md"));
            for index in ["_index.md", "index.md", "README.md", "readme.md"] {
                v.push(if p.is_empty() || p == "." {
                    index.to_string()
                } else {
                    format!("{p}/{index}")
                });
            }
        }
        v
    };
    let mut candidates = Vec::new();
    if let Some(from_root) = path.strip_prefix('/') {
        candidates.extend(forms(from_root).into_iter().map(|c| format!("/{c}")));
    } else {
        candidates.extend(forms(path));
        candidates.extend(forms(path).into_iter().map(|c| format!("/{c}")));
    }
    let found = candidates.iter().find_map(|c| match lang {
        Some(l) => resolver.language_file(l, c),
        None => resolver.content_file(c).map(|(_, url)| url),
    });
    if let Some(url) = found {
        return Ok(with_fragment(url));
    }
    if lang.is_some() {
        return Err(RefMiss::None);
    }
    // Last, as Hugo does, a bare name (`"navigation"`, `"/faq.md"`) finds the one page or section
    // of that name anywhere in the tree.
    let bare = path.strip_prefix('/').unwrap_or(path).trim_end_matches('/');
    if bare.is_empty() || bare.contains('/') || bare.starts_with('.') {
        return Err(RefMiss::None);
    }
    let name = bare
        .strip_suffix(".md")
        .or_else(|| bare.strip_suffix(".markdown"))
        .unwrap_or(bare);
    match resolver.pages_named(name).as_slice() {
        [] => Err(RefMiss::None),
        [(_, url)] => Ok(with_fragment(url.clone())),
        many => Err(RefMiss::Ambiguous(
            many.iter().map(|(s, _)| s.clone()).collect(),
        )),
    }
}

/// Why a `ref` found no single page.
#[derive(Debug, PartialEq, Eq)]
pub enum RefMiss {
    None,
    /// A bare name that several pages carry: their source paths.
    Ambiguous(Vec<String>),
}

thread_local! {
    /// Texts handed to `markdownify` while a shortcode template renders on this thread. The
    /// filter leaves a token in their place, and the shortcode renders them afterwards as its page
    /// renders Markdown (raw-HTML mode, highlighting, links rewritten and checked): a tera filter
    /// is registered once for all pages and cannot know the page itself.
    static PENDING_MARKDOWN: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

const TOKEN_OPEN: char = '\u{E000}';
const TOKEN_CLOSE: char = '\u{E001}';

fn token(i: usize) -> String {
    format!("{TOKEN_OPEN}opsite-markdown-{i}{TOKEN_CLOSE}")
}

fn fill_markdown(mut out: String, pending: &[String], markdown: &dyn Fn(&str) -> String) -> String {
    for (i, text) in pending.iter().enumerate() {
        let t = token(i);
        if out.contains(&t) {
            out = out.replacen(&t, &markdown(text), 1);
        }
    }
    out
}

/// Tera filter `markdownify`: inside a shortcode template, a token the shortcode fills with the
/// page's own rendering; elsewhere (page templates), Markdown rendered with the site's settings.
pub fn markdownify_filter(
    settings: crate::config::MarkdownConfig,
) -> impl Fn(&Value, &HashMap<String, Value>) -> tera::Result<Value> + Send + Sync {
    move |value, _| {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let in_shortcode = PENDING_MARKDOWN.with(|p| {
            p.borrow_mut().as_mut().map(|list| {
                list.push(text.clone());
                token(list.len() - 1)
            })
        });
        if let Some(t) = in_shortcode {
            return Ok(Value::String(t));
        }
        static CACHE: OnceLock<HighlightCache> = OnceLock::new();
        let no_titles = |_: &str| None;
        let ctx = MarkdownContext {
            raw_html: settings.raw_html,
            heading_ids: settings.heading_ids,
            title_heading: None,
            highlight: settings.highlight,
            cache: CACHE.get_or_init(HighlightCache::default),
            ui_text: &no_titles,
            diagram_limits: Default::default(),
            includes: None,
            attribute_lists: settings.attribute_lists,
        };
        Ok(Value::String(crate::markdown::render_fragment(&text, &ctx)))
    }
}
