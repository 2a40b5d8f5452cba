//! Build-time syntax highlighting of fenced code (no client JavaScript), with a cache keyed by a
//! hash of language and code so rebuilds only highlight what changed. Highlighting is the costliest
//! step of a build; pages are highlighted in parallel by the caller.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Classes are prefixed (`hl-keyword`) so theme CSS cannot clash with them.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Names used in ops documents that the bundled grammars know under another name.
fn canonical_language(lang: &str) -> &str {
    match lang {
        "shell" | "sh" | "console" | "zsh" | "shell-session" | "terminal" => "bash",
        "yml" => "yaml",
        "py" | "python3" => "python",
        "js" | "javascript" | "node" => "js",
        "golang" => "go",
        "postgres" | "postgresql" | "mysql" | "plsql" => "sql",
        "jsonc" | "json5" => "json",
        other => other,
    }
}

pub use crate::html::{escape_html, push_escaped};

/// Highlighted fragments by hash of (language, code), shared by all pages of a build. Entries
/// from the previous build are read without locking; what this build uses is kept for the next.
#[derive(Default)]
pub struct HighlightCache {
    previous: HashMap<u64, String>,
    current: Mutex<HashMap<u64, String>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// Bumped whenever highlighting output changes, so old cache files are not reused.
pub const CACHE_VERSION: &str = "opsite-highlight-4";

impl HighlightCache {
    pub fn from_previous(previous: HashMap<u64, String>) -> Self {
        HighlightCache {
            previous,
            ..Default::default()
        }
    }

    /// The entries this build used: what is worth keeping for the next one.
    pub fn into_current(self) -> HashMap<u64, String> {
        self.current.into_inner().unwrap_or_default()
    }

    /// As `into_current`, from a cache still shared.
    pub fn current_entries(&self) -> HashMap<u64, String> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every entry known, old and new: what the preview server's next full rebuild starts from
    /// (it keeps entries a page may need again after an edit is undone).
    pub fn all_entries(&self) -> HashMap<u64, String> {
        let mut all = self.previous.clone();
        all.extend(
            self.current
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(k, v)| (*k, v.clone())),
        );
        all
    }

    /// (hits, misses) of this build.
    pub fn stats(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// What `make` gives for `parts` (a diagram's layout: seconds, not microseconds), kept with
    /// the highlighted blocks so the next build and the preview's next rebuild reuse it. An
    /// error is kept too: a diagram that cannot be drawn is not tried again.
    pub fn drawing(
        &self,
        parts: &[&[u8]],
        make: impl FnOnce() -> Result<String, String>,
    ) -> Result<String, String> {
        let mut all: Vec<&[u8]> = vec![b"\x01drawing"];
        all.extend_from_slice(parts);
        let key = fnv1a(&all);
        let cached = self
            .previous
            .get(&key)
            .cloned()
            .or_else(|| self.current.lock().expect("cache lock").get(&key).cloned());
        let kept = match cached {
            Some(kept) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                kept
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                match make() {
                    Ok(drawn) => format!("ok\n{drawn}"),
                    Err(why) => format!("error\n{why}"),
                }
            }
        };
        self.current
            .lock()
            .expect("cache lock")
            .entry(key)
            .or_insert_with(|| kept.clone());
        match kept.split_once('\n') {
            Some(("ok", drawn)) => Ok(drawn.to_string()),
            Some((_, why)) => Err(why.to_string()),
            None => Err(kept),
        }
    }

    /// `<pre><code>` for a fence, highlighted when the language is known.
    pub fn code_block(&self, lang: &str, code: &str, highlight: bool) -> String {
        let key = fnv1a(&[lang.as_bytes(), &[0, highlight as u8], code.as_bytes()]);
        let cached = self
            .previous
            .get(&key)
            .cloned()
            .or_else(|| self.current.lock().expect("cache lock").get(&key).cloned());
        let body = match cached {
            Some(body) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                body
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                code_body(lang, code, highlight)
            }
        };
        let html = wrap_code_block(lang, &body);
        self.current
            .lock()
            .expect("cache lock")
            .entry(key)
            .or_insert(body);
        html
    }
}

/// The highlighted (or escaped) code, without its wrapper: what the cache keeps.
fn code_body(lang: &str, code: &str, highlight: bool) -> String {
    if highlight && !lang.is_empty() {
        highlight_code(lang, code).unwrap_or_else(|| escape_html(code))
    } else {
        escape_html(code)
    }
}

/// `<pre>` can scroll sideways, so it takes keyboard focus (`tabindex="0"`) to be scrolled
/// without a mouse.
fn wrap_code_block(lang: &str, body: &str) -> String {
    if lang.is_empty() {
        format!("<pre class=\"code\" tabindex=\"0\"><code>{body}</code></pre>\n")
    } else {
        let l = escape_html(lang);
        format!(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"{l}\"><code class=\"language-{l}\">{body}</code></pre>\n"
        )
    }
}

fn highlight_code(lang: &str, code: &str) -> Option<String> {
    let lang = lang.to_ascii_lowercase();
    if let Some(fast) = super::lexer::highlight(&lang, code) {
        return Some(fast);
    }
    highlight_with_grammar(&lang, code)
}

/// syntect's grammar-based highlighting (the fallback; public for the highlighter benchmark).
pub fn highlight_with_grammar(lang: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(canonical_language(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// 64-bit FNV-1a: stable across runs and platforms (the cache file depends on it).
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_are_escaped() {
        let cache = HighlightCache::default();
        let html = cache.code_block("haskell", "main = putStrLn \"<hi>\"\n", true);
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("&lt;hi&gt;"));
        let plain = cache.code_block("no-such-lang", "<b>\n", true);
        assert!(plain.contains("&lt;b&gt;") && !plain.contains("hl-"));
    }

    #[test]
    fn repeated_blocks_come_from_the_cache() {
        let cache = HighlightCache::default();
        let a = cache.code_block("yaml", "a: 1\n", true);
        let b = cache.code_block("yaml", "a: 1\n", true);
        assert_eq!(a, b);
        assert_eq!(cache.stats(), (1, 1));
    }
}
