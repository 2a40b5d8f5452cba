//! Footnotes gathered at the end of the page, numbered in the order they are first cited, each
//! with a link back to where it was cited. pulldown-cmark leaves a definition where it was
//! written (often mid-procedure) and gives no way back. The ids are Hugo's and MkDocs' own
//! (`#fn:1`, `#fnref:1`; a second citation `#fnref2:1`), so links written for them still land.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::escape_html;

/// Labels of the footnote list, in the site's language.
pub struct FootnoteLabels {
    pub section: String,
    pub back: String,
    /// Ids from the labels (`[^rule]` is `#fn:rule`), as Python-Markdown (MkDocs) makes them;
    /// else from the numbers (`#fn:1`), as Goldmark (Hugo) does.
    pub ids_from_labels: bool,
}

/// Move every footnote definition to a list at the end and replace references with numbered
/// links. Definitions nobody cites come last; references to a missing definition stay as
/// written (`[^x]`).
pub fn to_end<'a>(events: Vec<Event<'a>>, labels: &FootnoteLabels) -> Vec<Event<'a>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::FootnoteDefinition(_))))
    {
        return events;
    }
    let (body, definitions) = split_definitions(events);
    let key = |n: usize, label: &str| match labels.ids_from_labels {
        true => escape_html(label),
        false => n.to_string(),
    };
    let mut numbers: Vec<String> = Vec::new();
    let mut cited: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(body.len() + definitions.len() * 8);
    for event in body {
        match event {
            Event::FootnoteReference(label) => {
                if !definitions.iter().any(|(l, _)| **l == *label) {
                    out.push(Event::Text(format!("[^{label}]").into()));
                    continue;
                }
                let n = match numbers.iter().position(|l| *l == *label) {
                    Some(i) => i + 1,
                    None => {
                        numbers.push(label.to_string());
                        numbers.len()
                    }
                };
                if cited.len() < n {
                    cited.resize(n, 0);
                }
                cited[n - 1] += 1;
                let k = key(n, &label);
                let id = if cited[n - 1] == 1 {
                    format!("fnref:{k}")
                } else {
                    format!("fnref{}:{k}", cited[n - 1])
                };
                out.push(Event::InlineHtml(
                    format!(
                        "<sup class=\"footnote-ref\" id=\"{id}\"><a href=\"#fn:{k}\" role=\"doc-noteref\">{n}</a></sup>"
                    )
                    .into(),
                ));
            }
            other => out.push(other),
        }
    }
    for (label, _) in &definitions {
        if !numbers.iter().any(|l| **l == **label) {
            numbers.push(label.to_string());
        }
    }
    out.push(Event::Html(
        format!(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{}\">\n<ol>\n",
            escape_html(&labels.section)
        )
        .into(),
    ));
    for (i, label) in numbers.iter().enumerate() {
        let n = i + 1;
        let Some((_, body)) = definitions.iter().find(|(l, _)| **l == **label) else {
            continue;
        };
        let k = key(n, label);
        out.push(Event::Html(format!("<li id=\"fn:{k}\">\n").into()));
        let back = (cited.get(i).copied().unwrap_or(0) > 0).then(|| {
            Event::InlineHtml(
                format!(
                    " <a href=\"#fnref:{k}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"{}\">↩</a>",
                    escape_html(&labels.back)
                )
                .into(),
            )
        });
        let mut body = body.clone();
        if let Some(back) = back {
            match body
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            {
                Some(at) if at + 1 == body.len() => body.insert(at, back),
                _ => body.push(back),
            }
        }
        out.extend(body);
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</section>\n".into()));
    out
}

type Definition<'a> = (CowStr<'a>, Vec<Event<'a>>);

/// The events outside footnote definitions, and each definition's label and inner events (the
/// first definition of a label wins, as in GitHub).
fn split_definitions(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<Definition<'_>>) {
    let mut body = Vec::with_capacity(events.len());
    let mut definitions: Vec<Definition> = Vec::new();
    let mut current: Option<Definition> = None;
    let mut depth = 0usize;
    for event in events {
        match (&mut current, event) {
            (None, Event::Start(Tag::FootnoteDefinition(label))) => {
                current = Some((label, Vec::new()));
                depth = 0;
            }
            (Some(_), Event::End(TagEnd::FootnoteDefinition)) if depth == 0 => {
                let def = current.take().expect("inside a definition");
                if !definitions.iter().any(|(l, _)| *l == def.0) {
                    definitions.push(def);
                }
            }
            (Some((_, inner)), e) => {
                match &e {
                    Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                    Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
                    _ => {}
                }
                inner.push(e);
            }
            (None, e) => body.push(e),
        }
    }
    (body, definitions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(md: &str) -> String {
        let events: Vec<Event> = Parser::new_ext(md, Options::ENABLE_FOOTNOTES).collect();
        let labels = FootnoteLabels {
            section: "Footnotes".into(),
            back: "Back to text".into(),
            ids_from_labels: false,
        };
        let mut out = String::new();
        html::push_html(&mut out, to_end(events, &labels).into_iter());
        out
    }

    #[test]
    fn definitions_move_to_the_end_numbered_by_first_citation() {
        let html = render(
            "Restart the pod[^restart].\n\n[^sla]: Four hours.\n\n[^restart]: Only after approval.\n\nSLA applies[^sla] and again[^restart].\n\n## Next\n",
        );
        let list = html.find("<section class=\"footnotes\"").expect("list");
        assert!(html.find("<h2>Next</h2>").unwrap() < list, "{html}");
        assert!(html.contains("<a href=\"#fn:1\" role=\"doc-noteref\">1</a>"));
        assert!(
            html.contains("id=\"fnref2:1\""),
            "second citation gets its own id"
        );
        let first = html
            .find("<li id=\"fn:1\">\n<p>Only after approval.")
            .unwrap();
        let second = html.find("<li id=\"fn:2\">\n<p>Four hours.").unwrap();
        assert!(first < second, "{html}");
        assert!(html.contains("Only after approval. <a href=\"#fnref:1\" class=\"footnote-back\""));
    }

    #[test]
    fn text_without_footnotes_is_untouched_and_missing_ones_stay_visible() {
        assert_eq!(render("plain [^x] text\n"), "<p>plain [^x] text</p>\n");
        let html = render("cited[^a] and missing[^b]\n\n[^a]: A\n");
        assert!(html.contains("missing[^b]"), "{html}");
    }

    #[test]
    fn labels_are_escaped() {
        let events: Vec<Event> =
            Parser::new_ext("x[^a]\n\n[^a]: y\n", Options::ENABLE_FOOTNOTES).collect();
        let labels = FootnoteLabels {
            section: "<b>".into(),
            back: "\"q\"".into(),
            ids_from_labels: true,
        };
        let mut out = String::new();
        html::push_html(&mut out, to_end(events, &labels).into_iter());
        assert!(
            out.contains("aria-label=\"&lt;b&gt;\"")
                && out.contains("aria-label=\"&quot;q&quot;\""),
            "{out}"
        );
        // Ids from labels (MkDocs): `[^a]` is `#fn:a`; a quote in a label stays inside the id.
        assert!(
            out.contains("<li id=\"fn:a\">") && out.contains("href=\"#fn:a\""),
            "{out}"
        );
        let events: Vec<Event> =
            Parser::new_ext("x[^a\"b]\n\n[^a\"b]: y\n", Options::ENABLE_FOOTNOTES).collect();
        let mut out = String::new();
        html::push_html(&mut out, to_end(events, &labels).into_iter());
        assert!(out.contains("id=\"fn:a&quot;b\""), "{out}");
    }
}
