//! Markdown → HTML. The one place that configures pulldown-cmark; each page is parsed once and a
//! few small passes over its events add heading ids and anchors, callouts, highlighted code,
//! rewritten links, the table of contents, summary and word count.

pub mod admonitions;
mod callouts;
mod code_ranges;
pub mod diagrams;
mod footnotes;
mod foreign;
pub mod highlight;
pub mod includes;
pub mod lexer;
pub mod links;
mod placeholders;
mod refresh;
pub mod shortcodes;
pub mod slug;
mod source_lines;
mod text_stats;
mod toc;

use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use crate::config::RawHtml;
pub use highlight::{escape_html, HighlightCache};
pub use links::{LinkKind, LinkRef, LinkResolver, LinkTarget};
use shortcodes::{Expanded, ShortcodeHandler};
use slug::{collapsed, heading_id, UniqueIds};
use source_lines::LineIndex;
pub use toc::TocEntry;

/// The start and end of the `#` link each heading ends with: the search index leaves it out of a
/// page's text (`search::docs`).
pub const HEADING_ANCHOR_START: &str = "<a class=\"anchor\" ";
pub const HEADING_ANCHOR_END: &str = ">#</a>";

/// What the Markdown stage needs besides the text.
#[derive(Clone)]
pub struct MarkdownContext<'a> {
    pub raw_html: RawHtml,
    pub heading_ids: crate::config::HeadingIds,
    /// The page's title when it was its first heading (taken out of the text), for the rules
    /// that number it with the headings (MkDocs'): it takes its id first.
    pub title_heading: Option<&'a str>,
    pub highlight: bool,
    pub cache: &'a HighlightCache,
    /// Text in the site's language: default callout titles by kind, task checkbox labels.
    pub ui_text: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// How long a label and how much Mermaid a page may hold (`limits:`).
    pub diagram_limits: diagrams::DiagramLimits,
    /// `markdown.attribute_lists`: `{#id .class}` after a heading is read as attributes.
    pub attribute_lists: bool,
    /// `markdown.includes`, and the files its marks name.
    pub includes: Option<(
        &'a crate::config::IncludesConfig,
        &'a includes::IncludedFiles,
    )>,
}

/// A problem found while rendering, located by line in the source file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MarkdownProblem {
    pub line: usize,
    pub message: String,
    pub warning: bool,
}

/// A body rendered: kept between builds as it is (`site::kept_bodies`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    pub summary: String,
    pub toc: Vec<TocEntry>,
    pub toc_count: usize,
    pub heading_ids: Vec<String>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub links: Vec<LinkRef>,
    pub has_mermaid: bool,
    pub problems: Vec<MarkdownProblem>,
    /// Shortcodes used without a template and not ignored.
    pub unknown_shortcodes: Vec<String>,
    /// Uses of ignored shortcodes: name and file line.
    pub ignored_shortcodes: Vec<(String, usize)>,
    /// Uses of shortcodes without a template inside code: name, file line, and whether it is
    /// only a warning outside `check` (a tree built from its Hugo configuration).
    pub unknown_in_code: Vec<(String, usize, bool)>,
    /// Shortcodes not drawn because of a problem reported elsewhere: name and file line.
    pub blocked_shortcodes: Vec<(String, usize)>,
    /// The id the page's title heading carries when the title came from the body's first
    /// `# heading` (links written for GitLab and MkDocs point at it).
    pub title_id: Option<String>,
}

fn options(attribute_lists: bool) -> Options {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    match attribute_lists {
        true => options | Options::ENABLE_HEADING_ATTRIBUTES,
        false => options,
    }
}

/// Render a page body. `body_line` is the file line the body starts on; `shortcodes` and `links`
/// come from the site (templates, other pages).
pub fn render(
    body: &str,
    body_line: usize,
    ctx: &MarkdownContext,
    shortcode_handler: &dyn ShortcodeHandler,
    resolver: &dyn LinkResolver,
) -> Rendered {
    render_with(body, body_line, ctx, Some(shortcode_handler), resolver)
}

/// `render`, or without shortcode expansion when `shortcode_handler` is `None` (Markdown that
/// comes out of a shortcode: its calls were expanded already, or are escaped ones to show).
fn render_with(
    body: &str,
    body_line: usize,
    ctx: &MarkdownContext,
    shortcode_handler: Option<&dyn ShortcodeHandler>,
    resolver: &dyn LinkResolver,
) -> Rendered {
    // Included files first (the page's own text, not Markdown made by a shortcode): their text
    // is read as the page's, and their lines are reported at the mark's line.
    let mut include_problems = Vec::new();
    let with_includes = match (ctx.includes, shortcode_handler.is_some()) {
        (Some((config, files)), true) if config.any() => {
            let (text, origin, problems) = includes::apply(body, config, files);
            let at = LineIndex::new(body, body_line);
            include_problems = (problems.into_iter())
                .map(|p| MarkdownProblem {
                    line: at.line_of(p.offset),
                    message: p.message,
                    warning: p.warning,
                })
                .collect();
            Some((text, origin))
        }
        _ => None,
    };
    let body = with_includes.as_ref().map_or(body, |(t, _)| t.as_str());
    let cleaned = foreign::drop_foreign_markup(body);
    let converted = admonitions::to_callouts(&cleaned);
    let body = &*converted;
    let mut lines = LineIndex::new(body, body_line);
    if let Some((_, origin)) = &with_includes {
        lines.origin = Some(origin.clone());
    }
    // Markdown inside shortcode calls (`markdownify`) is rendered like the body, with its links
    // and problems reported at the call's line.
    let fragments: std::cell::RefCell<Vec<(usize, Rendered)>> = Default::default();
    let render_fragment = |text: &str, offset: usize| -> String {
        let r = render_with(text, 1, ctx, None, resolver);
        let html = r.html.clone();
        fragments.borrow_mut().push((offset, r));
        html
    };
    let expanded = match shortcode_handler {
        Some(handler) => shortcodes::expand(body, handler, &render_fragment),
        None => shortcodes::Expanded::plain(body),
    };
    let mut out = Rendered {
        unknown_shortcodes: expanded.unknown.clone(),
        problems: include_problems,
        ..Rendered::default()
    };
    out.ignored_shortcodes = expanded
        .ignored
        .iter()
        .map(|(name, offset)| (name.clone(), lines.line_of(*offset)))
        .collect();
    out.unknown_in_code = (expanded.unknown_in_code.iter())
        .map(|(name, offset, warning)| (name.clone(), lines.line_of(*offset), *warning))
        .collect();
    out.blocked_shortcodes = expanded
        .blocked
        .iter()
        .map(|(name, offset)| (name.clone(), lines.line_of(*offset)))
        .collect();
    for p in &expanded.problems {
        out.problems.push(MarkdownProblem {
            line: lines.line_of(p.offset),
            message: p.message.clone(),
            warning: p.warning,
        });
    }
    for (offset, r) in fragments.into_inner() {
        let line = lines.line_of(offset);
        out.links
            .extend(r.links.into_iter().map(|l| LinkRef { line, ..l }));
        out.problems.extend(
            r.problems
                .into_iter()
                .map(|p| MarkdownProblem { line, ..p }),
        );
        out.has_mermaid |= r.has_mermaid;
    }
    let events = transform(&expanded, &lines, ctx, resolver, &mut out);
    let events = footnotes::to_end(events, &footnote_labels(ctx));
    let summary_end = summary_end(&events);
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html_out, events.iter().cloned());
    if let Some(end) = summary_end {
        html::push_html(&mut out.summary, events[..end].iter().cloned());
    }
    if !expanded.placeholders.is_empty() {
        // Shortcode output (a figure's `link=` …) obeys escape mode like Markdown links do.
        let cleaned;
        let mut fills = &expanded.placeholders;
        if ctx.raw_html == RawHtml::Escape {
            let mut removed = 0;
            cleaned = expanded
                .placeholders
                .iter()
                .map(|h| {
                    let (clean, n) = links::drop_script_urls(h);
                    removed += n;
                    clean
                })
                .collect::<Vec<_>>();
            if removed > 0 {
                out.problems.push(MarkdownProblem {
                    line: body_line,
                    message: format!("{removed} script link(s) in shortcode output removed (markdown.raw_html: escape)"),
                    warning: true,
                });
            }
            fills = &cleaned;
        }
        html_out = placeholders::fill(html_out, fills);
        out.summary = placeholders::fill(std::mem::take(&mut out.summary), fills);
    }
    out.html = html_out;
    out
}

fn footnote_labels(ctx: &MarkdownContext) -> footnotes::FootnoteLabels {
    footnotes::FootnoteLabels {
        section: (ctx.ui_text)("footnotes").unwrap_or_else(|| "Footnotes".into()),
        back: (ctx.ui_text)("footnote-back").unwrap_or_else(|| "Back to the text".into()),
        ids_from_labels: ctx.heading_ids.python_markdown(),
    }
}

/// Markdown to HTML without a page (`markdownify` in page templates): no shortcodes, no links
/// resolved.
pub fn render_fragment(text: &str, ctx: &MarkdownContext) -> String {
    render_with(text, 1, ctx, None, &links::NoLinks).html
}

/// The end of the summary: the `<!--more-->` divider, else the first top-level paragraph.
fn summary_end(events: &[Event]) -> Option<usize> {
    for (i, e) in events.iter().enumerate() {
        if let Event::Html(h) | Event::InlineHtml(h) = e {
            if h.contains("<!--more-->") {
                return Some(i);
            }
        }
    }
    let mut depth = 0usize;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Paragraph) if depth == 0 => depth = 1,
            Event::Start(_) if depth > 0 => depth += 1,
            Event::Start(Tag::Paragraph) => {}
            Event::Start(_) => depth += 100,
            Event::End(TagEnd::Paragraph) if depth == 1 => return Some(i + 1),
            Event::End(_) if depth >= 100 => depth -= 100,
            Event::End(_) if depth > 0 => depth -= 1,
            _ => {}
        }
    }
    None
}

fn transform<'a>(
    expanded: &'a Expanded,
    lines: &LineIndex,
    ctx: &MarkdownContext,
    resolver: &dyn LinkResolver,
    out: &mut Rendered,
) -> Vec<Event<'a>> {
    let parsed: Vec<(Event<'a>, std::ops::Range<usize>)> =
        Parser::new_ext(&expanded.text, options(ctx.attribute_lists))
            .into_offset_iter()
            .collect();
    let line_at = |offset: usize| lines.line_of(expanded.source_offset(offset));
    let mut events: Vec<Event<'a>> = Vec::with_capacity(parsed.len());
    let mut ids = UniqueIds::new(ctx.heading_ids);
    let mut toc_flat: Vec<(u8, String, String)> = Vec::new();
    // The closing tag of each open blockquote that became a callout.
    let mut callout_stack: Vec<Option<&'static str>> = Vec::new();
    let mut stats = text_stats::WordCounter::default();
    let mut diagram_count = 0;
    // Mermaid on the page so far: its bytes and layout work (the limits bound both).
    let mut mermaid_page = (0usize, 0u64);
    // Explicit ids are reserved first so generated ones never collide with them.
    for (e, _) in &parsed {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            ids.reserve(id);
        }
    }
    // Then the title's, as the page's first heading: so does Python-Markdown.
    if let Some(title) = ctx.title_heading {
        let id = ids.unique(heading_id(ctx.heading_ids, title));
        out.heading_ids.push(id.clone());
        out.title_id = Some(id);
    }
    let mut i = 0;
    while i < parsed.len() {
        let (event, range) = &parsed[i];
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let end = find_end(&parsed, i);
                let inner: Vec<Event<'a>> =
                    parsed[i + 1..end].iter().map(|(e, _)| e.clone()).collect();
                let text = plain_text(&inner);
                stats.add(&text);
                let (id, generated) = match id {
                    Some(id) => (id.to_string(), false),
                    None => (ids.unique(heading_id(ctx.heading_ids, &text)), true),
                };
                out.heading_ids.push(id.clone());
                let lvl = heading_number(*level);
                if lvl == 2 || lvl == 3 {
                    toc_flat.push((lvl, id.clone(), text.trim().to_string()));
                }
                // `{key=value}` after a heading writes HTML attributes (`onfocus=…`): raw HTML
                // by another spelling, so `raw_html: escape` drops them, with a warning.
                let attrs = match ctx.raw_html {
                    RawHtml::Escape if !attrs.is_empty() => {
                        let names: Vec<&str> = attrs.iter().map(|(k, _)| k.as_ref()).collect();
                        out.problems.push(MarkdownProblem {
                            line: line_at(range.start),
                            message: format!("heading attributes `{}` removed: attributes written after a heading are raw HTML (markdown.raw_html: escape)", names.join("`, `")),
                            warning: true,
                        });
                        Vec::new()
                    }
                    _ => attrs.clone(),
                };
                events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id.clone())),
                    classes: classes.clone(),
                    attrs,
                }));
                for e in inner {
                    let e = escape_raw_html(e, ctx.raw_html);
                    events.push(rewrite_inline(
                        e,
                        resolver,
                        ctx.raw_html,
                        line_at(range.start),
                        out,
                    ));
                }
                // Links written for MkDocs use the id with `-` runs collapsed: give them a target.
                let own_ids = ctx.heading_ids == crate::config::HeadingIds::Opsite;
                let alt = collapsed(&id).filter(|a| own_ids && generated && !ids.is_taken(a));
                if let Some(alt) = alt {
                    events.push(Event::InlineHtml(CowStr::from(format!(
                        "<span id=\"{}\"></span>",
                        escape_html(&alt)
                    ))));
                }
                // A mouse convenience: hidden from screen readers and out of the tab order.
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "{HEADING_ANCHOR_START}href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\"{HEADING_ANCHOR_END}",
                    escape_html(&id)
                ))));
                events.push(Event::End(TagEnd::Heading(*level)));
                i = end + 1;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let end = find_end(&parsed, i);
                let mut code = String::new();
                for (e, _) in &parsed[i + 1..end] {
                    if let Event::Text(t) = e {
                        code.push_str(t);
                    }
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let html = if lang == "mermaid" {
                    out.has_mermaid = true;
                    let lang = crate::i18n::Lang::of(&(ctx.ui_text)("lang").unwrap_or_default());
                    let drawn =
                        diagrams::within_limits(&code, &mut mermaid_page, &ctx.diagram_limits)
                            .map_err(|message| (message, false))
                            .and_then(|()| {
                                let svg = ctx.cache.drawing(
                                    &[diagrams::RENDERER.as_bytes(), code.as_bytes()],
                                    || diagrams::layout(&code),
                                );
                                svg.and_then(|svg| {
                                    diagrams::figure(&code, &svg, diagram_count, lang)
                                })
                                .map_err(|message| (message, true))
                            });
                    match drawn {
                        Ok(svg) => {
                            diagram_count += 1;
                            svg
                        }
                        Err((message, warning)) => {
                            out.problems.push(MarkdownProblem {
                                line: line_at(parsed[i].1.start),
                                message,
                                warning,
                            });
                            format!(
                                "<pre class=\"mermaid\"><code>{}</code></pre>\n",
                                escape_html(&code)
                            )
                        }
                    }
                } else {
                    ctx.cache.code_block(&lang, &code, ctx.highlight)
                };
                events.push(Event::Html(CowStr::from(html)));
                i = end + 1;
            }
            Event::Start(Tag::BlockQuote(_)) => {
                match callouts::callout_marker(&parsed, i) {
                    Some(marker) => {
                        let title = if marker.title.is_empty() {
                            (ctx.ui_text)(&marker.kind)
                                .unwrap_or_else(|| callouts::title_case(&marker.kind))
                        } else {
                            marker.title.clone()
                        };
                        let class = escape_html(&marker.kind.to_lowercase());
                        let title = escape_html(&title);
                        events.push(Event::Html(CowStr::from(match marker.fold {
                            None => format!(
                                "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                            ),
                            Some(open) => format!(
                                "<details class=\"callout callout-{class}\"{}><summary class=\"callout-title\">{title}</summary>\n",
                                if open { " open" } else { "" }
                            ),
                        })));
                        callout_stack.push(Some(if marker.fold.is_some() {
                            "</details>\n"
                        } else {
                            "</div>\n"
                        }));
                        i = marker.resume_at;
                        if marker.drop_paragraph {
                            // The marker was the whole first paragraph: skip its end tag too.
                            if matches!(parsed.get(i), Some((Event::End(TagEnd::Paragraph), _))) {
                                i += 1;
                            }
                        } else {
                            events.push(Event::Start(Tag::Paragraph));
                        }
                    }
                    None => {
                        callout_stack.push(None);
                        events.push(event.clone());
                        i += 1;
                    }
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                match callout_stack.pop().flatten() {
                    Some(close) => events.push(Event::Html(CowStr::from(close))),
                    None => events.push(event.clone()),
                }
                i += 1;
            }
            Event::TaskListMarker(done) => {
                // A labelled, read-only checkbox (pulldown-cmark's has no label).
                let label = (ctx.ui_text)(if *done { "task-done" } else { "task-open" })
                    .unwrap_or_else(|| if *done { "done" } else { "open" }.to_string());
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{} aria-label=\"{}\"> ",
                    if *done { " checked" } else { "" },
                    escape_html(&label)
                ))));
                i += 1;
            }
            Event::Text(t) => {
                stats.add(t);
                events.push(event.clone());
                i += 1;
            }
            Event::Html(_) | Event::InlineHtml(_) if ctx.raw_html == RawHtml::Escape => {
                events.push(escape_raw_html(event.clone(), ctx.raw_html));
                i += 1;
            }
            _ => {
                events.push(rewrite_inline(
                    event.clone(),
                    resolver,
                    ctx.raw_html,
                    line_at(range.start),
                    out,
                ));
                i += 1;
            }
        }
    }
    out.word_count = stats.total();
    out.reading_minutes = stats.minutes();
    out.toc_count = toc_flat.len();
    out.toc = toc::nest(toc_flat);
    events
}

/// With `raw_html: escape`, raw HTML is shown as text (the `<!--more-->` divider stays a divider).
fn escape_raw_html(event: Event<'_>, mode: RawHtml) -> Event<'_> {
    match event {
        Event::Html(h) | Event::InlineHtml(h)
            if mode == RawHtml::Escape && !h.contains("<!--more-->") =>
        {
            Event::Text(h)
        }
        other => other,
    }
}

/// Links and images: content-file links become page URLs; every link is recorded for checking.
fn rewrite_inline<'a>(
    event: Event<'a>,
    resolver: &dyn LinkResolver,
    raw_html: RawHtml,
    line: usize,
    out: &mut Rendered,
) -> Event<'a> {
    // With raw HTML escaped, a link cannot run script either (`[x](javascript:...)`).
    let mut event = event;
    if raw_html == RawHtml::Escape {
        let (what, kind, replacement) = match &event {
            Event::Start(Tag::Image { .. }) => ("image", LinkKind::Image, ""),
            _ => ("link to", LinkKind::Link, "#"),
        };
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            if links::runs_script(dest_url, kind) {
                out.problems.push(MarkdownProblem {
                    line,
                    message: format!(
                        "{what} `{dest_url}` removed: it would run script (markdown.raw_html: escape)"
                    ),
                    warning: true,
                });
                *dest_url = CowStr::from(replacement);
                return event;
            }
        }
    }
    match event {
        Event::Html(h) => Event::Html(without_refresh(h, line, out)),
        Event::InlineHtml(h) => Event::InlineHtml(without_refresh(h, line, out)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (target, new_url) = links::classify(&dest_url, LinkKind::Link, resolver);
            out.links.push(LinkRef {
                line,
                dest: dest_url.to_string(),
                kind: LinkKind::Link,
                target,
            });
            let dest_url = new_url.map(CowStr::from).unwrap_or(dest_url);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (target, new_url) = links::classify(&dest_url, LinkKind::Image, resolver);
            out.links.push(LinkRef {
                line,
                dest: dest_url.to_string(),
                kind: LinkKind::Image,
                target,
            });
            let dest_url = new_url.map(CowStr::from).unwrap_or(dest_url);
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    }
}

/// Raw HTML without its `<meta http-equiv="refresh">` tags, each left out with a warning.
fn without_refresh<'a>(html: CowStr<'a>, line: usize, out: &mut Rendered) -> CowStr<'a> {
    let Some(kept) = refresh::without_refresh(&html) else {
        return html;
    };
    out.problems.push(MarkdownProblem {
        line,
        message: "`<meta http-equiv=\"refresh\">` left out: a page's body cannot send its reader elsewhere (a printed report would print another page); give the new page `aliases` instead".into(),
        warning: true,
    });
    kept.into()
}

fn find_end(parsed: &[(Event, std::ops::Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in parsed.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    parsed.len() - 1
}

/// The text of inline events (a heading's): text and code as written, line breaks as spaces.
pub fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}
