//! A mail's greeting and signature: Markdown the site keeps outside `content/` (so they are not
//! published), with the subject's variables (`{{ customer }}様`), as HTML for the HTML part
//! and as written for the text part. Raw HTML in them is shown as text and links that would
//! run script lead nowhere: a customer's name is data, and data is never markup.

use pulldown_cmark::{html, CowStr, Event, Parser, Tag, TagEnd};

use crate::markdown::links::{runs_script, LinkKind};

/// A greeting or signature made ready for both parts.
#[derive(Debug, Clone, Default)]
pub struct Closing {
    pub html: String,
    pub text: String,
}

/// `markdown` (from `origin`, a path for messages) with `ctx`'s variables filled in. In the
/// HTML their values are text, never Markdown (a customer named `![x](http://…)` shows as
/// written); images show as their alt text (a mail carries no external image).
pub fn render(origin: &str, markdown: &str, ctx: &tera::Context) -> Result<Closing, String> {
    let source = crate::render::TemplateSource {
        name: origin.to_string(),
        text: markdown.to_string(),
        origin: origin.into(),
    };
    let fill = |ctx: &tera::Context| {
        crate::render::guard::render_one_off(&source, ctx)
            .map_err(|e| format!("{origin}: {}", crate::render::tera_message(&e)))
    };
    let text = fill(ctx)?;
    let as_text = tera::Context::from_value(escaped(ctx.clone().into_json()))
        .map_err(|e| format!("{origin}: {e}"))?;
    let for_html = fill(&as_text)?;
    let events = Parser::new(&for_html).filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if runs_script(&dest_url, LinkKind::Link) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        })),
        e => Some(e),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    Ok(Closing {
        html: out,
        text: text.trim().to_string(),
    })
}

/// Every string of `value` with its ASCII punctuation backslash-escaped and its line ends made
/// spaces: read by Markdown as the text it is.
fn escaped(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                match c {
                    '\n' | '\r' => out.push(' '),
                    c if c.is_ascii_punctuation() => {
                        out.push('\\');
                        out.push(c);
                    }
                    c => out.push(c),
                }
            }
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(escaped).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, escaped(v))).collect()),
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_filled_and_markup_in_them_is_text() {
        let mut ctx = tera::Context::new();
        ctx.insert("customer", "<b>北斗会</b>");
        let c = render(
            "templates/email/greeting.md",
            "{{ customer }}様\n\nいつもお世話になっております。[x](javascript:alert(1))",
            &ctx,
        )
        .unwrap();
        assert!(c.html.contains("&lt;b&gt;北斗会&lt;/b&gt;様"), "{}", c.html);
        assert!(!c.html.contains("javascript"), "{}", c.html);
        assert!(c.text.starts_with("<b>北斗会</b>様"));
        // A name that reads as Markdown stays text; an image in the file shows as its alt.
        ctx.insert("customer", "![t](http://evil.example/t.png) **Evil**");
        let c = render(
            "g.md",
            "{{ customer }}様 ![logo](http://x.example/l.png)",
            &ctx,
        )
        .unwrap();
        assert!(
            !c.html.contains("<img") && !c.html.contains("<strong>"),
            "{}",
            c.html
        );
        assert!(
            c.html
                .contains("![t](http://evil.example/t.png) **Evil**様 logo"),
            "{}",
            c.html
        );
        assert!(c
            .text
            .starts_with("![t](http://evil.example/t.png) **Evil**様"));
        let e = render("signature.md", "{{ nobody }}", &ctx).unwrap_err();
        assert!(e.starts_with("signature.md:"), "{e}");
    }
}
