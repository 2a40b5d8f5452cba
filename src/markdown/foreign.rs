//! Markup of other tools that means nothing here and would show as text: GitLab's `[[_TOC_]]`
//! (and `[TOC]`) markers, whose job the theme's table of contents does, and attribute lists —
//! kramdown/Python-Markdown `{: target="_blank"}` after a link and Goldmark block attributes
//! (`{.lead}` on the line after a paragraph). They are dropped line for line, so reported line
//! numbers are unchanged; fenced code and inline code are left alone.

use std::borrow::Cow;

/// The text without those markers, or the text itself when it has none.
pub fn drop_foreign_markup(text: &str) -> Cow<'_, str> {
    if !text.contains("TOC") && !text.contains('{') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<(char, usize)> = None;
    let mut changed = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if let Some(marker) = fence_marker(trimmed) {
            match fence {
                None => fence = Some(marker),
                Some((c, n)) if marker.0 == c && marker.1 >= n => fence = None,
                _ => {}
            }
            out.push_str(line);
            continue;
        }
        if fence.is_some() || line.starts_with("    ") || line.starts_with('\t') {
            out.push_str(line);
            continue;
        }
        let t = trimmed.trim_end();
        if matches!(t, "[[_TOC_]]" | "[_TOC_]" | "[TOC]" | "[[TOC]]") || is_attribute_list(t) {
            changed = true;
            continue;
        }
        let kept = drop_inline_lists(line);
        changed |= kept.len() != line.len();
        out.push_str(&kept);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

fn fence_marker(t: &str) -> Option<(char, usize)> {
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// `{: target="_blank" }`, `{.class #id}`, `{:.note}`: every item a class, an id or a key=value.
fn is_attribute_list(t: &str) -> bool {
    let Some(inner) = t.strip_prefix('{').and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    if inner.starts_with('{') || inner.starts_with('%') || inner.starts_with('<') {
        return false;
    }
    let inner = inner.strip_prefix(':').unwrap_or(inner).trim();
    !inner.is_empty() && split_items(inner).is_some_and(|items| items.iter().all(|i| is_item(i)))
}

fn split_items(inner: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    items.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    if !cur.is_empty() {
        items.push(cur);
    }
    Some(items)
}

fn is_item(item: &str) -> bool {
    let name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')
    };
    if let Some(rest) = item.strip_prefix('.').or_else(|| item.strip_prefix('#')) {
        return name(rest);
    }
    match item.split_once('=') {
        Some((k, v)) => name(k) && !v.is_empty(),
        None => false,
    }
}

/// `[x](url){: target="_blank"}` and `![x](img){.wide}` → without the list. Not inside inline code.
fn drop_inline_lists(line: &str) -> Cow<'_, str> {
    if !line.contains("){") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && c == ')' && rest[1..].starts_with('{') {
            if let Some(close) = rest[1..].find('}') {
                let candidate = &rest[1..close + 2];
                if is_attribute_list(candidate) {
                    out.push(')');
                    rest = &rest[close + 2..];
                    continue;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_attribute_lists_are_dropped_line_for_line() {
        let text = "**Table of Contents**\n\n[[_TOC_]]\n\n[手順](a.md){:target=\"_blank\"} と ![図](b.png){.wide}\n\nLead text\n{.lead}\n";
        let out = drop_foreign_markup(text);
        assert_eq!(
            out,
            "**Table of Contents**\n\n\n\n[手順](a.md) と ![図](b.png)\n\nLead text\n\n"
        );
        assert_eq!(out.lines().count(), text.lines().count());
    }

    #[test]
    fn code_shortcodes_and_braces_in_prose_are_kept() {
        for text in [
            "```\n[[_TOC_]]\n{.lead}\n```\n",
            "`f(x){:a=1}`\n",
            "{{< alert >}}\n",
            "{{% note %}}\n",
            "set {a, b} and f(x){y}\n",
            "    {.indented-code}\n",
            "{ \"json\": true }\n",
        ] {
            assert_eq!(drop_foreign_markup(text), text, "{text}");
        }
    }
}
