//! A mail's greeting and signature: Markdown the site keeps outside `content/` (so they are not
//! published), with the subject's variables (`{{ customer }}様`), as HTML for the HTML part
//! and as written for the text part. Raw HTML in them is shown as text and links that would
//! run script lead nowhere: a customer's name is data, and data is never markup.

use pulldown_cmark::{html, CowStr, Event, Parser, Tag};

use crate::markdown::links::{runs_script, LinkKind};

/// A greeting or signature made ready for both parts.
#[derive(Debug, Clone, Default)]
pub struct Closing {
    pub html: String,
    pub text: String,
}

/// `markdown` (from `origin`, a path for messages) with `ctx`'s variables filled in.
pub fn render(origin: &str, markdown: &str, ctx: &tera::Context) -> Result<Closing, String> {
    let source = crate::render::TemplateSource {
        name: origin.to_string(),
        text: markdown.to_string(),
        origin: origin.into(),
    };
    let text = crate::render::guard::render_one_off(&source, ctx)
        .map_err(|e| format!("{origin}: {}", crate::render::tera_message(&e)))?;
    let events = Parser::new(&text).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if runs_script(&dest_url, LinkKind::Link) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if runs_script(&dest_url, LinkKind::Image) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    Ok(Closing {
        html: out,
        text: text.trim().to_string(),
    })
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
        let e = render("signature.md", "{{ nobody }}", &ctx).unwrap_err();
        assert!(e.starts_with("signature.md:"), "{e}");
    }
}
