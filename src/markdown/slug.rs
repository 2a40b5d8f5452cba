//! Heading ids. Japanese headings keep their letters so `## 日次運用タスク` links as `#日次運用タスク`.

use std::collections::HashMap;

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

/// Gives each heading of a page a unique id: repeats get `-1`, `-2`, ….
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: HashMap<String, usize>,
}

impl UniqueIds {
    pub fn unique(&mut self, base: String) -> String {
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
    fn repeats_are_numbered() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("a".into()), "a");
        assert_eq!(ids.unique("a".into()), "a-1");
        assert_eq!(ids.unique("a".into()), "a-2");
        ids.reserve("b");
        assert_eq!(ids.unique("b".into()), "b-1");
    }
}
