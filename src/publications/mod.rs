//! The two sections ops teams publish every month: release notes (`content/releases/`: version,
//! date, kind, and lists of new features, improvements, fixes and known limitations) and
//! newsletters (`content/newsletters/`: written text beside a block of the month's figures).
//! Their front matter is checked here, with located errors; templates get typed views.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::fields::day;
use crate::content::{Library, PageId, PageKind};
use crate::error::{Code, Diagnostic, Location};
use crate::figures::{Figures, MonthFigures};
use crate::i18n::Words;
use crate::markdown::escape_html;

/// The sections of a release page, in order: (front-matter key, its title in the words).
const RELEASE_SECTIONS: [(&str, fn(&Words) -> &'static str); 4] = [
    ("features", |t| t.release_features),
    ("improvements", |t| t.release_improvements),
    ("fixes", |t| t.release_fixes),
    ("known_limitations", |t| t.release_known_limitations),
];

const RELEASE_KINDS: [(&str, fn(&Words) -> &'static str); 3] = [
    ("major", |t| t.release_major),
    ("minor", |t| t.release_minor),
    ("hotfix", |t| t.release_hotfix),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Release,
    Newsletter,
}

/// A regular page under `content/releases/` or `content/newsletters/` (or with `type:` set to
/// one of them).
pub fn kind_of(lib: &Library, id: PageId) -> Option<Kind> {
    let p = &lib.pages[id];
    if p.kind != PageKind::Page {
        return None;
    }
    let top = p.front.page_type.clone().or_else(|| {
        lib.section_chain(p.section)
            .get(1)
            .and_then(|&s| lib.sections[s].dir.to_str().map(str::to_string))
    })?;
    match top.as_str() {
        "releases" => Some(Kind::Release),
        "newsletters" => Some(Kind::Newsletter),
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView {
    pub version: String,
    /// `major`, `minor` or `hotfix`.
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub date: Option<String>,
    pub sections: Vec<ReleaseSection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseSection {
    /// `features`, `improvements`, `fixes`, `known_limitations` (an id and a CSS class).
    pub key: &'static str,
    pub title: &'static str,
    /// HTML: the text escaped, `code` in backticks kept as code.
    pub items: Vec<String>,
}

/// The newest release, for the home page.
#[derive(Debug, Clone, Serialize)]
pub struct LatestRelease {
    pub title: String,
    pub url: String,
    pub version: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub date: Option<String>,
}

#[derive(Default)]
pub struct Publications {
    pub releases: HashMap<PageId, ReleaseView>,
    pub newsletters: HashMap<PageId, MonthFigures>,
    pub latest_release: Option<LatestRelease>,
    /// Newsletters whose figures were left out because the data did not load (the run says so
    /// once, after the data's errors).
    pub blocked: Vec<PageId>,
}

/// Views of every release and newsletter page, and what is wrong with their front matter.
pub fn collect(
    lib: &Library,
    figures: &Figures,
    language: &str,
) -> (Publications, Vec<Diagnostic>) {
    let t = crate::i18n::report_words::words(language);
    let mut out = Publications::default();
    let mut diags = Vec::new();
    for id in 0..lib.pages.len() {
        match kind_of(lib, id) {
            Some(Kind::Release) => match release(lib, id, t) {
                Ok(v) => {
                    out.releases.insert(id, v);
                }
                Err(e) => diags.extend(e),
            },
            Some(Kind::Newsletter) if figures.data_failed() && wants_figures(lib, id) => {
                out.blocked.push(id);
            }
            Some(Kind::Newsletter) => match newsletter(lib, id, figures) {
                Ok(Some(v)) => {
                    out.newsletters.insert(id, v);
                }
                Ok(None) => {}
                Err(e) => diags.push(e),
            },
            None => {}
        }
    }
    out.latest_release = out
        .releases
        .iter()
        .max_by(|(a, va), (b, vb)| {
            let (pa, pb) = (&lib.pages[**a], &lib.pages[**b]);
            pa.front
                .date
                .cmp(&pb.front.date)
                .then_with(|| natural_version(&va.version).cmp(&natural_version(&vb.version)))
                .then_with(|| pb.url.cmp(&pa.url))
        })
        .map(|(&id, v)| LatestRelease {
            title: lib.pages[id].title.clone(),
            url: lib.pages[id].url.clone(),
            version: v.version.clone(),
            kind: v.kind,
            kind_label: v.kind_label,
            date: v.date.clone(),
        });
    (out, diags)
}

fn natural_version(s: &str) -> Vec<u64> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

fn param_text(lib: &Library, id: PageId, key: &str) -> Option<String> {
    match lib.pages[id].front.params.get(key)? {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn release(lib: &Library, id: PageId, t: &Words) -> Result<ReleaseView, Vec<Diagnostic>> {
    let p = &lib.pages[id];
    let at = || Location::file(&p.source);
    let mut errors = Vec::new();
    let version = param_text(lib, id, "version").unwrap_or_default();
    if version.is_empty() {
        errors.push(Diagnostic::error(
            Code::Content,
            at(),
            "a release page needs `version:` in its front matter (e.g. version: \"2.4.0\")",
        ));
    }
    if p.front.date.is_none() {
        errors.push(Diagnostic::error(Code::Content,
            at(),
            "a release page needs `date:` in its front matter (the release index is grouped by month)",
        ));
    }
    let written = param_text(lib, id, "kind").unwrap_or_else(|| "minor".into());
    let kind = RELEASE_KINDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&written));
    if kind.is_none() {
        errors.push(Diagnostic::error(
            Code::Content,
            at(),
            format!("release kind `{written}`: write major, minor or hotfix"),
        ));
    }
    let mut sections = Vec::new();
    for (key, title) in RELEASE_SECTIONS {
        let items = match p.front.params.get(key) {
            None | Some(serde_json::Value::Null) => continue,
            Some(serde_json::Value::Array(list)) => list,
            Some(_) => {
                errors.push(Diagnostic::error(
                    Code::Content,
                    at(),
                    format!("`{key}:` must be a list of lines (- …)"),
                ));
                continue;
            }
        };
        let mut lines = Vec::new();
        for (n, v) in items.iter().enumerate() {
            match v {
                serde_json::Value::String(s) => lines.push(inline(s)),
                serde_json::Value::Number(x) => lines.push(inline(&x.to_string())),
                _ => errors.push(Diagnostic::error(
                    Code::Content,
                    at(),
                    format!(
                        "`{key}:` item {} is not a line of text; write it as `- …`",
                        n + 1
                    ),
                )),
            }
        }
        let items = lines;
        if !items.is_empty() {
            sections.push(ReleaseSection {
                key,
                title: title(t),
                items,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (kind, label) = kind.expect("checked above");
    Ok(ReleaseView {
        version,
        kind,
        kind_label: label(t),
        date: day(&p.front.date),
        sections,
    })
}

/// A line of a release list as HTML: escaped, with `code` kept.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 && text.matches('`').count() % 2 == 0 {
            out.push_str(&format!("<code>{}</code>", escape_html(part)));
        } else {
            if i > 0 && text.matches('`').count() % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escape_html(part));
        }
    }
    out
}

/// A newsletter shows the month's figures unless it says `figures: false`.
fn wants_figures(lib: &Library, id: PageId) -> bool {
    !matches!(
        lib.pages[id].front.params.get("figures"),
        Some(serde_json::Value::Bool(false))
    )
}

/// The figures block of a newsletter: the month in `period:`, else the latest month complete
/// on the newsletter's date. None when the site has no data or the page says `figures: false`.
fn newsletter(
    lib: &Library,
    id: PageId,
    figures: &Figures,
) -> Result<Option<MonthFigures>, Diagnostic> {
    let p = &lib.pages[id];
    if !wants_figures(lib, id) || !figures.has_data() {
        return Ok(None);
    }
    let period = match param_text(lib, id, "period") {
        Some(period) => period,
        None => match p.front.date {
            Some(d) => figures
                .month_complete_on(d.timestamp())
                .map_err(|e| Diagnostic::error(Code::Content, Location::file(&p.source), format!("newsletter figures: {e}; give the month with `period: 2026-10` or `figures: false`")))?,
            None => {
                return Err(Diagnostic::error(Code::Content,
                    Location::file(&p.source),
                    "a newsletter needs `date:` (or `period: 2026-10`) to know which month's figures to show",
                ))
            }
        },
    };
    figures.month(&period).map(Some).map_err(|e| {
        Diagnostic::error(
            Code::Content,
            Location::file(&p.source),
            format!("newsletter figures: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_lines_are_escaped_with_code_kept() {
        assert_eq!(
            inline("`opsite freeze` を追加 <b>"),
            "<code>opsite freeze</code> を追加 &lt;b&gt;"
        );
        assert_eq!(inline("a ` b"), "a ` b");
        assert_eq!(
            inline("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(natural_version("v2.10.0") > natural_version("v2.9.1"));
    }
}
