//! Cascade: front matter a section hands down to the pages and sections below it (`cascade` in an
//! `_index.md`), nearest section first, optionally targeted by path glob and page kind.

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};
use serde_json::{Map, Value};

use super::cascade_rules::{parse_cascade, CascadeRule};
use super::page::RawPage;
use super::SectionId;

/// Every section's own rules, and how sections nest.
pub struct Cascades {
    own: Vec<Vec<CascadeRule>>,
    parents: Vec<Option<SectionId>>,
    /// `cascade` in site.yaml, applied after every section's.
    site: Vec<CascadeRule>,
}

impl Cascades {
    /// `section_page_of(raw)`: the section a file stands for, if it is a section's page.
    pub fn collect(
        raw: &[RawPage],
        section_page_of: impl Fn(&RawPage) -> Option<SectionId>,
        parents: Vec<Option<SectionId>>,
        site: Vec<CascadeRule>,
    ) -> Cascades {
        let mut own = vec![Vec::new(); parents.len()];
        for r in raw {
            if let (Some(s), Some(v)) = (section_page_of(r), r.front.fields.get("cascade")) {
                if let Ok(rules) = parse_cascade(v) {
                    own[s] = rules;
                }
            }
        }
        Cascades { own, parents, site }
    }

    /// Fill `fields` with the values cascaded onto a page of kind `kind` (`home`, `section`,
    /// `page`) at `logical_path` in section `section`; a key the page sets itself wins, and nearer
    /// sections win over farther ones.
    pub fn apply(
        &self,
        fields: &mut Map<String, Value>,
        section: SectionId,
        logical_path: &str,
        kind: &str,
    ) {
        let mut cur = Some(section);
        while let Some(c) = cur {
            for rule in &self.own[c] {
                if rule_applies(rule, logical_path, kind) {
                    for (k, v) in &rule.values {
                        fields.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            cur = self.parents[c];
        }
        for rule in &self.site {
            if rule_applies(rule, logical_path, kind) {
                for (k, v) in &rule.values {
                    fields.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    }
}

fn rule_applies(rule: &CascadeRule, logical_path: &str, kind: &str) -> bool {
    let Some(target) = &rule.target else {
        return true;
    };
    if let Some(k) = &target.kind {
        if k != kind {
            return false;
        }
    }
    match &target.path {
        None => true,
        Some(glob) => glob_matches(glob, logical_path),
    }
}

/// Paths are `/docs/x`; a glob may be written with or without the leading `/` (`docs/**`), or
/// start with a group that supplies it (Hugo's `{,/**}/_includes{,/**}`).
fn glob_matches(glob: &str, logical_path: &str) -> bool {
    expand_braces(glob).iter().any(|g| {
        glob_matcher(g).is_some_and(|m| m.is_match(logical_path))
            || (!g.starts_with('/')
                && glob_matcher(&format!("/{g}")).is_some_and(|m| m.is_match(logical_path)))
    })
}

/// `{a,b}` groups spelled out as separate globs. The glob crate skips empty alternatives
/// (`{,/**}`), which Hugo's own examples use.
fn expand_braces(glob: &str) -> Vec<String> {
    let Some(open) = glob.find('{') else {
        return vec![glob.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    let mut cuts = Vec::new();
    for (i, c) in glob[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            ',' if depth == 1 => cuts.push(open + i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![glob.to_string()];
    };
    let mut starts = vec![open + 1];
    starts.extend(cuts.iter().map(|c| c + 1));
    let mut ends = cuts.clone();
    ends.push(close);
    let (head, tail) = (&glob[..open], &glob[close + 1..]);
    starts
        .iter()
        .zip(&ends)
        .flat_map(|(&s, &e)| expand_braces(&format!("{head}{}{tail}", &glob[s..e])))
        .collect()
}

fn glob_matcher(glob: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

/// `/sop/daily` for `sop/daily.md`; the folder for a file that stands for its folder.
pub fn logical_path(rel_path: &Path, stands_for_folder: bool) -> String {
    let p = if stands_for_folder {
        rel_path.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        rel_path.with_extension("")
    };
    let p = p.to_string_lossy().replace('\\', "/");
    format!("/{}", p.trim_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_include_glob_matches_top_level_and_nested_folders() {
        let glob = "{,/**}/_includes{,/**}";
        for p in [
            "/_includes/a",
            "/_includes",
            "/docs/_includes/a",
            "/docs/x/_includes/y/z",
        ] {
            assert!(glob_matches(glob, p), "{p}");
        }
        for p in ["/docs/a", "/includes/a", "/docs/_includes_old/a"] {
            assert!(!glob_matches(glob, p), "{p}");
        }
    }

    #[test]
    fn globs_match_with_or_without_leading_slash() {
        assert!(glob_matches("docs/**", "/docs/a/b"));
        assert!(glob_matches("/docs/*", "/docs/a"));
        assert!(!glob_matches("/docs/*", "/docs/a/b"));
        assert!(glob_matches("/{blog,news}/*", "/news/a"));
    }

    #[test]
    fn unbalanced_braces_are_taken_literally() {
        assert_eq!(expand_braces("/a{b"), vec!["/a{b".to_string()]);
        assert_eq!(expand_braces("{a,{b,c}}x").len(), 3);
    }
}
