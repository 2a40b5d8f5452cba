//! What a build gives the command that ran it: the files to write, the problems, the counts
//! the summary line says, and what the next build reuses.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::kept_bodies;
use super::output::OutputFile;
use super::reports;
use crate::content::Library;
use crate::error::Diagnostics;
use crate::markdown::Rendered;

#[derive(Debug, Default, Clone)]
pub struct BuildStats {
    pub pages: usize,
    pub sections: usize,
    /// Generated report pages (weekly, monthly, quarterly).
    pub reports: usize,
    pub files: usize,
    pub highlight_hits: usize,
    pub highlight_misses: usize,
    /// Page bodies taken as the last build kept them (`kept_bodies`), not rendered.
    pub kept_bodies: usize,
    /// Pages in the search index (0 without one).
    pub searchable: usize,
    /// Named stages and their wall time.
    pub stages: Vec<(&'static str, Duration)>,
}

pub struct BuildResult {
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
    pub stats: BuildStats,
    pub library: Library,
    pub rendered: Vec<Rendered>,
    /// The key each body is kept by for the next build (`kept_bodies`; None: not kept).
    pub body_keys: Vec<Option<kept_bodies::BodyKey>>,
    /// The bodies to keep for the next build, taken out of `rendered` by `for_writing`.
    pub kept_bodies: Vec<(kept_bodies::BodyKey, Rendered)>,
    /// Highlighted code worth keeping for the next build.
    pub highlight_cache: HashMap<u64, String>,
    /// Shortcodes used without a template and not ignored, for the hint after the errors.
    pub unknown_shortcodes: BTreeSet<String>,
    /// Periods `reports.freeze_after` froze in this build: snapshot path (relative to the
    /// root) and text, for the command to write once the build has succeeded.
    pub new_snapshots: Vec<(PathBuf, String)>,
    /// The report pages' views (the status email shows the weekly one).
    pub reports: reports::ReportPages,
    /// Every http(s) link of every version's pages, with where it is used (`check --external`).
    pub external_links: crate::linkcheck::ExternalLinks,
    /// The figures the report pages show (with each customer edition's own).
    pub report_set: Option<Arc<crate::reports::ReportSet>>,
    /// The search index's shards, for the next build to reuse.
    pub search_shards: crate::search::bundle::ShardStore,
    /// Pages' output paths, the keys they were rendered from and what the search index read of
    /// each report page, for the next build.
    pub render_keys: Vec<(String, crate::output_file::PageRecord)>,
}

impl BuildResult {
    /// What writing a folder, saying what was built and keeping caches for the next build need:
    /// its files and their render keys, the counts, the problems, the shortcodes without a
    /// template, the content's clock horizon, the highlighted blocks and the search shards
    /// (which share their bytes with the files), the bodies kept for the next build. The pages,
    /// the rest of their HTML and the report views
    /// are let go as soon as the internal site and each edition is built, so a build of many
    /// editions does not hold them all at once.
    pub fn for_writing(self) -> BuildResult {
        let library = Library {
            clock_horizon: self.library.clock_horizon,
            ..Library::default()
        };
        let kept_bodies = (self.body_keys.into_iter().zip(self.rendered))
            .filter_map(|(key, r)| Some((key?, r)))
            .collect();
        BuildResult {
            library,
            rendered: Vec::new(),
            body_keys: Vec::new(),
            kept_bodies,
            reports: Default::default(),
            external_links: Default::default(),
            ..self
        }
    }
}

impl BuildStats {
    /// `17 pages, 10 sections, 68 report pages (80 in the search index)` (each part only when
    /// there are some), as the commands' summary lines say it.
    pub fn counts(&self) -> String {
        let mut s = format!(
            "{}, {}",
            counted(self.pages, "page"),
            counted(self.sections, "section")
        );
        if self.reports > 0 {
            s.push_str(&format!(", {}", counted(self.reports, "report page")));
        }
        if self.searchable > 0 {
            s.push_str(&format!(" ({} in the search index)", self.searchable));
        }
        s
    }
}

/// `1 page`, `2 pages`: a count with its noun as the summary lines say it.
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}
