//! Heading ids. Japanese headings keep their letters so `## 日次運用タスク` links as `#日次運用タスク`;
//! a tree written for MkDocs or Hugo keeps its generator's ids (`markdown.heading_ids`), since its
//! links were written against them.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::config::HeadingIds;

/// The id a heading's text gets by `style`, before repeats are numbered (`UniqueIds`).
pub fn heading_id(style: HeadingIds, text: &str) -> String {
    match style {
        HeadingIds::Opsite => heading_slug(text),
        HeadingIds::Mkdocs => {
            let ascii: String = text.nfkd().filter(char::is_ascii).collect();
            python_markdown_slug(&ascii)
        }
        HeadingIds::MkdocsUnicode => python_markdown_slug(&text.nfc().collect::<String>()),
        HeadingIds::Pymdownx | HeadingIds::PymdownxLower => {
            // The heading's text as Python-Markdown hands it over: white space runs one space.
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text: String = text.nfc().collect();
            let text = match style {
                HeadingIds::PymdownxLower => text.trim().to_lowercase(),
                _ => text.trim().to_string(),
            };
            (text.chars())
                .filter(|&c| is_word(c) || c == '-' || c == ' ')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        }
        HeadingIds::Hugo => {
            let id: String = (text.trim().chars())
                .filter_map(|c| match c {
                    '-' | ' ' => Some('-'),
                    c if c == '_' || c.is_alphabetic() || c.is_numeric() => {
                        Some(c.to_lowercase().next().unwrap_or(c))
                    }
                    _ => None,
                })
                .collect();
            match id.is_empty() {
                true => "heading".into(),
                false => id,
            }
        }
    }
}

/// Python's `\w` on text: letters, digits and `_`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Python-Markdown's `toc` slug after its normalising: `[^\w\s-]` removed, trimmed,
/// lower-cased, runs of `-` and white space one `-`.
fn python_markdown_slug(text: &str) -> String {
    let kept: String = (text.chars())
        .filter(|&c| is_word(c) || c.is_whitespace() || c == '-')
        .collect();
    let mut out = String::with_capacity(kept.len());
    for c in kept.trim().to_lowercase().chars() {
        match c == '-' || c.is_whitespace() {
            true if out.ends_with('-') => {}
            true => out.push('-'),
            false => out.push(c),
        }
    }
    out
}

/// The id of a heading's text: ASCII letters lower-cased; Unicode letters and numbers, `-` and `_`
/// kept; white space runs become `-`; everything else (punctuation, emoji) dropped; `-` trimmed;
/// `section` when nothing is left.
pub fn heading_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push('-');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c.to_ascii_lowercase());
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "section".into()
    } else {
        trimmed.to_string()
    }
}

/// The id Python-Markdown (MkDocs) gives the same heading: runs of `-` collapsed, so
/// `executive-swoop---overriding` is also reachable as `executive-swoop-overriding`.
pub fn collapsed(id: &str) -> Option<String> {
    if !id.contains("--") {
        return None;
    }
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    Some(out)
}

/// Gives each heading of a page a unique id: repeats get `-1`, `-2`, …, or as MkDocs numbers
/// them, `_1`, `_2`.
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: HashMap<String, usize>,
    python_markdown: bool,
}

impl UniqueIds {
    pub fn new(style: HeadingIds) -> UniqueIds {
        UniqueIds {
            seen: HashMap::new(),
            python_markdown: style.python_markdown(),
        }
    }

    pub fn unique(&mut self, base: String) -> String {
        if self.python_markdown {
            return self.unique_as_python_markdown(base);
        }
        let Some(&start) = self.seen.get(&base) else {
            self.seen.insert(base.clone(), 0);
            return base;
        };
        let mut n = start;
        loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base, n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }

    /// Python-Markdown's rule: while the id is taken or empty, a trailing `_<n>` counts up,
    /// else `_1` is added.
    fn unique_as_python_markdown(&mut self, mut id: String) -> String {
        while id.is_empty() || self.seen.contains_key(&id) {
            let counted = (id.rsplit_once('_'))
                .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|(base, n)| Some((base, n.parse::<u128>().ok()?)));
            id = match counted {
                Some((base, n)) => format!("{base}_{}", n + 1),
                None => format!("{id}_1"),
            };
        }
        self.seen.insert(id.clone(), 0);
        id
    }

    pub fn is_taken(&self, id: &str) -> bool {
        self.seen.contains_key(id)
    }

    /// Explicit `{#id}`s are taken as written but still reserved.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_headings_keep_their_letters() {
        assert_eq!(heading_slug("日次運用タスク"), "日次運用タスク");
        assert_eq!(
            heading_slug("システム稼働確認（所要時間：15分）"),
            "システム稼働確認所要時間15分"
        );
        assert_eq!(heading_slug("📅 日常運用管理"), "日常運用管理");
        assert_eq!(heading_slug("1. 概要"), "1-概要");
    }

    #[test]
    fn ascii_rules() {
        assert_eq!(heading_slug("Hello, World!"), "hello-world");
        assert_eq!(
            heading_slug("  snake_case  and-dash "),
            "snake_case-and-dash"
        );
        assert_eq!(heading_slug("a . b"), "a--b");
        assert_eq!(heading_slug("!!!"), "section");
    }

    #[test]
    fn each_generators_ids() {
        let id = |s, t| heading_id(s, t);
        assert_eq!(id(HeadingIds::Mkdocs, "filterブロック"), "filter");
        assert_eq!(id(HeadingIds::Mkdocs, "Café  --  au lait!"), "cafe-au-lait");
        assert_eq!(id(HeadingIds::Mkdocs, "日本語"), "");
        assert_eq!(
            id(HeadingIds::MkdocsUnicode, "filterブロック の設定"),
            "filterブロック-の設定"
        );
        assert_eq!(
            id(
                HeadingIds::PymdownxLower,
                "Testing unicode-slugs_headers ±♠Ωℑ"
            ),
            "testing-unicode-slugs_headers-ωℑ"
        );
        assert_eq!(id(HeadingIds::Pymdownx, "Big - Gap"), "Big---Gap");
        assert_eq!(
            id(HeadingIds::PymdownxLower, "Café  --  au lait!"),
            "café----au-lait"
        );
        assert_eq!(id(HeadingIds::Hugo, "Threshold (%)"), "threshold-");
        assert_eq!(id(HeadingIds::Hugo, " A  b-c "), "a--b-c");
        assert_eq!(id(HeadingIds::Hugo, "（）"), "heading");
    }

    #[test]
    fn mkdocs_numbers_repeats_and_empty_ids_with_underscores() {
        let mut ids = UniqueIds::new(HeadingIds::Mkdocs);
        assert_eq!(ids.unique("filter".into()), "filter");
        assert_eq!(ids.unique("filter".into()), "filter_1");
        assert_eq!(ids.unique("filter".into()), "filter_2");
        assert_eq!(ids.unique("".into()), "_1");
        assert_eq!(ids.unique("".into()), "_2");
        assert_eq!(ids.unique("step_1".into()), "step_1");
        assert_eq!(ids.unique("step_1".into()), "step_2");
    }

    #[test]
    fn repeats_are_numbered() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-1");
        assert_eq!(ids.unique("a".into()), "a-2");
        ids.reserve("b");
        assert_eq!(ids.unique("b".into()), "b-1");
    }
}
