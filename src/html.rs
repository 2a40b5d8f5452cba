//! Escaping text for HTML, shared by everything that writes markup (Markdown, charts, templates'
//! helpers, search documents, email): one rule, so no writer escapes less than another.

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
