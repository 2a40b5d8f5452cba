//! Cascade: front matter a section hands down to the pages and sections below it (`cascade` in an
//! `_index.md`), nearest section first, optionally targeted by path glob and page kind.

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};
use serde_json::{Map, Value};

use super::front_matter::{parse_cascade, CascadeRule};
use super::page::RawPage;
use super::SectionId;

/// Every section's own rules, and how sections nest.
pub struct Cascades {
    own: Vec<Vec<CascadeRule>>,
    parents: Vec<Option<SectionId>>,
}

impl Cascades {
    /// `section_page_of(raw)`: the section a file stands for, if it is a section's page.
    pub fn collect(
        raw: &[RawPage],
        section_page_of: impl Fn(&RawPage) -> Option<SectionId>,
        parents: Vec<Option<SectionId>>,
    ) -> Cascades {
        let mut own = vec![Vec::new(); parents.len()];
        for r in raw {
            if let (Some(s), Some(v)) = (section_page_of(r), r.front.fields.get("cascade")) {
                if let Ok(rules) = parse_cascade(v) {
                    own[s] = rules;
                }
            }
        }
        Cascades { own, parents }
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
        Some(glob) => glob_matcher(glob).is_some_and(|m| m.is_match(logical_path)),
    }
}

fn glob_matcher(glob: &str) -> Option<GlobMatcher> {
    let g = if glob.starts_with('/') {
        glob.to_string()
    } else {
        format!("/{glob}")
    };
    GlobBuilder::new(&g)
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
