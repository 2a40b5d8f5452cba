//! External links (`opsite check --external`). A knowledge base rots through the sites it links
//! to; this module gathers every http(s) link with the pages and lines using it (pure), asks each
//! URL once (`http`: bounded concurrency, per host too; timeouts; retries; redirects followed by
//! hand), remembers answers for a day (`cache`), and turns outcomes into located diagnostics.

pub mod cache;
pub mod http;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::content::Library;
use crate::error::{Code, Diagnostic, Location};
use crate::markdown::links::LinkTarget;
use crate::markdown::Rendered;

/// One place an external link is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    pub file: PathBuf,
    pub line: usize,
}

/// Every http(s) URL the pages link to (fragment removed), with where each is used, sorted.
pub type ExternalLinks = BTreeMap<String, Vec<Use>>;

/// The URL as requested: without its `#fragment`, which never reaches the server.
pub fn request_url(dest: &str) -> Option<String> {
    let url = dest.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    Some(url.split('#').next().unwrap_or(url).to_string())
}

/// The external links of a built library.
pub fn collect(lib: &Library, rendered: &[Rendered], into: &mut ExternalLinks) {
    for (id, page) in lib.pages.iter().enumerate() {
        let Some(r) = rendered.get(id) else { continue };
        for link in &r.links {
            if link.target != LinkTarget::External {
                continue;
            }
            if let Some(url) = request_url(&link.dest) {
                into.entry(url).or_default().push(Use {
                    file: page.source.clone(),
                    line: link.line,
                });
            }
        }
    }
    for uses in into.values_mut() {
        uses.sort();
        uses.dedup();
    }
}

/// What asking a URL gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// A permanent redirect (301, 308) somewhere on the way; `to` is where it ended.
    Moved {
        to: String,
        status: u16,
    },
    /// 404, 410 and the other answers that mean the page is not there.
    Broken {
        status: u16,
    },
    /// 401, 403: the server is there but will not show the page to the checker.
    Denied {
        status: u16,
    },
    /// Still 429 after every retry.
    Limited,
    /// No usable answer after every retry: time-out, refused connection, 5xx, TLS.
    Failed {
        reason: String,
    },
    /// Not a URL the checker can ask.
    Invalid {
        reason: String,
    },
}

impl Outcome {
    /// Worth remembering for a day: answers that do not change from one minute to the next.
    pub fn cacheable(&self) -> bool {
        matches!(
            self,
            Outcome::Ok | Outcome::Moved { .. } | Outcome::Broken { .. } | Outcome::Denied { .. }
        )
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

fn status_text(status: u16) -> String {
    let phrase = reason_phrase(status);
    if phrase.is_empty() {
        status.to_string()
    } else {
        format!("{status} {phrase}")
    }
}

/// One diagnostic per use of each URL whose outcome is a problem: errors for broken and
/// unreachable links, warnings for moved, refused and rate-limited ones.
pub fn diagnostics(links: &ExternalLinks, outcomes: &BTreeMap<String, Outcome>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (url, uses) in links {
        let Some(outcome) = outcomes.get(url) else {
            continue;
        };
        let (error, code, what) = match outcome {
            Outcome::Ok => continue,
            Outcome::Moved { to, status } => (
                false,
                Code::ExternalMoved,
                format!("moved permanently ({status}) to {to}; link to the new address"),
            ),
            Outcome::Broken { status } => (true, Code::ExternalBroken, format!("broken: {}", status_text(*status))),
            Outcome::Denied { status } => (
                false,
                Code::ExternalDenied,
                format!(
                    "the server refused the checker ({}); add it to check.external_skip if that is expected",
                    status_text(*status)
                ),
            ),
            Outcome::Limited => (
                false,
                Code::ExternalLimited,
                "the server kept answering 429 Too Many Requests; try again later".to_string(),
            ),
            Outcome::Failed { reason } => (true, Code::ExternalUnreachable, reason.clone()),
            Outcome::Invalid { reason } => (true, Code::ExternalInvalid, reason.clone()),
        };
        let others = uses.len() - 1;
        let also = if others > 0 {
            format!(" (used {} times)", uses.len())
        } else {
            String::new()
        };
        for u in uses {
            let location = Location::at(&u.file, u.line, None);
            let message = format!("external link {url}: {what}{also}");
            let d = if error {
                Diagnostic::error(code, location, message)
            } else {
                Diagnostic::warning(code, location, message)
            };
            out.push(d);
        }
    }
    out
}

/// `check.external_skip` patterns: `*` matches any run of characters (`/` too).
pub struct SkipList {
    set: globset::GlobSet,
}

impl SkipList {
    pub fn new(patterns: &[String]) -> Result<SkipList, String> {
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            let glob = globset::GlobBuilder::new(p)
                .literal_separator(false)
                .backslash_escape(false)
                .build()
                .map_err(|e| format!("check.external_skip: `{p}`: {e}"))?;
            b.add(glob);
        }
        Ok(SkipList {
            set: b.build().map_err(|e| e.to_string())?,
        })
    }

    pub fn skips(&self, url: &str) -> bool {
        self.set.is_match(url)
    }
}

/// The figures of one run, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub urls: usize,
    pub requested: usize,
    pub cached: usize,
    pub skipped: usize,
    pub problems: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "external links: {} URL(s): {} asked, {} from the cache (.opsite/cache, a day), {} skipped; {} with problems",
            self.urls, self.requested, self.cached, self.skipped, self.problems
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_requested_without_fragment() {
        assert_eq!(
            request_url("https://example.jp/a#b").as_deref(),
            Some("https://example.jp/a")
        );
        assert_eq!(request_url("HTTP://x.jp/").as_deref(), Some("HTTP://x.jp/"));
        assert_eq!(request_url("mailto:a@b.jp"), None);
        assert_eq!(request_url("ftp://x"), None);
        assert_eq!(request_url("tel:0120"), None);
    }

    #[test]
    fn one_diagnostic_per_use_with_its_severity() {
        let mut links = ExternalLinks::new();
        let u = |f: &str, l| Use {
            file: f.into(),
            line: l,
        };
        links.insert(
            "https://a/".into(),
            vec![u("content/x.md", 3), u("content/y.md", 9)],
        );
        links.insert("https://b/".into(), vec![u("content/x.md", 4)]);
        links.insert("https://c/".into(), vec![u("content/x.md", 5)]);
        let mut outcomes = BTreeMap::new();
        outcomes.insert("https://a/".into(), Outcome::Broken { status: 404 });
        outcomes.insert(
            "https://b/".into(),
            Outcome::Moved {
                to: "https://b/new".into(),
                status: 301,
            },
        );
        outcomes.insert("https://c/".into(), Outcome::Ok);
        let d = diagnostics(&links, &outcomes);
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0].to_string(),
            "content/x.md:3: error: external link https://a/: broken: 404 Not Found (used 2 times)"
        );
        assert_eq!(d[1].location.file, PathBuf::from("content/y.md"));
        assert!(!d[2].is_error());
        assert_eq!(d[2].code, Code::ExternalMoved);
        assert!(d[2].message.contains("https://b/new"));
    }

    #[test]
    fn skip_patterns() {
        let s =
            SkipList::new(&["https://intra.example.jp/*".into(), "*://localhost*".into()]).unwrap();
        assert!(s.skips("https://intra.example.jp/a/b"));
        assert!(s.skips("http://localhost:8080/"));
        assert!(!s.skips("https://example.jp/"));
        assert!(SkipList::new(&["[".into()]).is_err());
    }
}
