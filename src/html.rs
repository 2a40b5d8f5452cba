//! Escaping text for HTML, shared by everything that writes markup (Markdown, charts, templates'
//! helpers, search documents, email): one rule, so no writer escapes less than another; and
//! decoding the character references a page's markup holds, for checks that read it.

/// Escape text for HTML (text nodes and attribute values).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Append one character, escaped for HTML.
#[inline]
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

/// HTML character references decoded as a browser decodes them in text and attribute values,
/// for reading what a page says (an id, an address): numeric ones (`&#46;`, `&#x2E;`, with or
/// without the semicolon), the named ones for ASCII punctuation, and the named mathematical
/// letters (`&oopf;`, `&Ofr;`, `&oscr;`), which IDNA folds to plain letters. Other named
/// references are left as written.
pub fn decode_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference starting after `&` stands for, and the bytes it used.
fn reference(after: &str) -> Option<(char, usize)> {
    if let Some(num) = after.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .char_indices()
            .find(|(_, c)| !c.is_digit(radix))
            .map_or(digits.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len.min(8)], radix).ok()?;
        let c = char::from_u32(value).unwrap_or('\u{fffd}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, skip + len + semi));
    }
    let len = after
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(after.len(), |(i, _)| i);
    let name = &after[..len];
    let semi = usize::from(after[len..].starts_with(';'));
    let c = named(name)?;
    Some((c, len + semi))
}

/// Named references that stand for ASCII characters a host or path can hold, and the
/// mathematical letters (`&Aopf;`, `&afr;`, `&bscr;`).
fn named(name: &str) -> Option<char> {
    let ascii = match name {
        "period" => '.',
        "sol" => '/',
        "bsol" => '\\',
        "colon" => ':',
        "commat" => '@',
        "num" => '#',
        "quest" => '?',
        "lowbar" | "UnderBar" => '_',
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "percnt" => '%',
        "equals" => '=',
        "plus" => '+',
        "semi" => ';',
        "comma" => ',',
        "excl" => '!',
        "Tab" => '\t',
        "NewLine" => '\n',
        "nbsp" => ' ',
        _ => {
            for suffix in ["opf", "fr", "scr"] {
                if let Some(letter) = name.strip_suffix(suffix) {
                    let mut chars = letter.chars();
                    if let (Some(c), None) = (chars.next(), chars.next()) {
                        if c.is_ascii_alphabetic() {
                            return Some(c);
                        }
                    }
                }
            }
            return None;
        }
    };
    Some(ascii)
}

/// The text of an HTML fragment as paragraphs, for places that show no markup (a mail's text
/// part, a workbook's cell): tags dropped, a paragraph ending at each block's end (`</p>`,
/// `</li>`, a heading, `<br>` …), character references decoded, white space folded. The
/// contents of `<script>` and `<style>` are not text.
pub fn text_paragraphs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let folded = decode_references(&current.split_whitespace().collect::<Vec<_>>().join(" "));
        if !folded.trim().is_empty() {
            out.push(folded.trim().to_string());
        }
        current.clear();
    };
    while let Some(open) = rest.find('<') {
        current.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..close].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &after[close + 1..];
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            let end = format!("</{name}");
            rest = rest.find(&end).map_or("", |i| &rest[i..]);
            continue;
        }
        let block = matches!(
            name.as_str(),
            "p" | "li"
                | "br"
                | "div"
                | "tr"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "blockquote"
                | "pre"
                | "ul"
                | "ol"
                | "table"
                | "dt"
                | "dd"
        );
        if block {
            flush(&mut current, &mut out);
        } else if matches!(name.as_str(), "td" | "th") {
            current.push(' ');
        }
    }
    current.push_str(rest);
    flush(&mut current, &mut out);
    out
}

/// `html` (a fragment placed inside another page, such as a report's commentary) with every
/// `id` given `prefix`, and each in-fragment link (`href="#x"` to one of those ids) following
/// it: the fragment's headings cannot take the ids of the page's own sections (`#sla`), nor its
/// links lead to them.
pub fn prefixed_ids(html: &str, prefix: &str) -> String {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let ids = std::cell::RefCell::new(std::collections::HashSet::new());
    let collect =
        RewriteStrSettings::new().append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                ids.borrow_mut().insert(id);
            }
            Ok(())
        }));
    if rewrite_str(html, collect).is_err() {
        return html.to_string();
    }
    let ids = ids.into_inner();
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                el.set_attribute("id", &format!("{prefix}{id}"))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href^='#']", |el| {
            if let Some(target) = el
                .get_attribute("href")
                .and_then(|h| h.strip_prefix('#').map(str::to_string))
            {
                if ids.contains(&target) {
                    el.set_attribute("href", &format!("#{prefix}{target}"))?;
                }
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_reads_as_paragraphs_of_text() {
        let html = "<p>10 月は<strong>定期</strong>メンテナンスを実施。</p>\n<ul><li>A &amp; B</li><li>C&lt;D</li></ul><script>x()</script><p>終わり<br>次</p>";
        assert_eq!(
            text_paragraphs(html),
            vec![
                "10 月は定期メンテナンスを実施。",
                "A & B",
                "C<D",
                "終わり",
                "次"
            ]
        );
    }
}
