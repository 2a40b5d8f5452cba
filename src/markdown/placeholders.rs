//! Putting shortcode output back: `{{< >}}` calls were replaced by placeholder tokens before the
//! Markdown parser ran (so it cannot touch their HTML); here the tokens become the HTML again.

pub fn fill(mut html: String, placeholders: &[String]) -> String {
    html = unwrap_placeholder_paragraphs(html);
    for (i, value) in placeholders.iter().enumerate().rev() {
        let token = super::shortcodes::placeholder(i);
        let wrapped = format!("<p>{token}</p>");
        if html.contains(&wrapped) {
            html = html.replace(&wrapped, value);
        }
        if html.contains(&token) {
            html = html.replace(&token, value);
        }
        if value.contains(PLACEHOLDER_PARAGRAPH) {
            html = unwrap_placeholder_paragraphs(html);
        }
    }
    html
}

const PLACEHOLDER_PARAGRAPH: &str = "<p>XOPSITESC";

/// A paragraph holding nothing but shortcode outputs (e.g. the `tab`s inside a `tabpane`, one per
/// line) is no paragraph: the block-level HTML they stand for must not land inside `<p>`.
fn unwrap_placeholder_paragraphs(html: String) -> String {
    if !html.contains(PLACEHOLDER_PARAGRAPH) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find(PLACEHOLDER_PARAGRAPH) {
        out.push_str(&rest[..start]);
        let body_start = start + 3;
        let only_tokens = rest[body_start..].find("</p>").filter(|&len| {
            let body = &rest[body_start..body_start + len];
            body.split_whitespace().all(is_placeholder_token)
        });
        match only_tokens {
            Some(len) => {
                out.push_str(&rest[body_start..body_start + len]);
                rest = &rest[body_start + len + 4..];
            }
            None => {
                out.push_str(&rest[start..body_start]);
                rest = &rest[body_start..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_placeholder_token(word: &str) -> bool {
    word.strip_prefix("XOPSITESC")
        .and_then(|w| w.strip_suffix('X'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_of_only_shortcode_outputs_is_unwrapped() {
        let html = "<p>XOPSITESC0X\nXOPSITESC1X</p>\n<p>text XOPSITESC0X</p>".to_string();
        let out = fill(
            html,
            &["<section>a</section>".into(), "<section>b</section>".into()],
        );
        assert_eq!(
            out,
            "<section>a</section>\n<section>b</section>\n<p>text <section>a</section></p>"
        );
    }

    #[test]
    fn nested_outputs_are_filled_and_unwrapped() {
        // The parent (index 1) holds a paragraph of its child's token.
        let out = fill(
            "<p>XOPSITESC1X</p>".into(),
            &[
                "<div>child</div>".into(),
                "<div><p>XOPSITESC0X</p></div>".into(),
            ],
        );
        assert_eq!(out, "<div><div>child</div></div>");
    }
}
