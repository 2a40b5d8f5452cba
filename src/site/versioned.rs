//! The build of a site with `versions:`: every version goes through `build_edition` in parallel
//! (the latest with the site-wide files, the others under `/v/<name>/`), sharing the exports'
//! reports and the highlight cache; then their files are merged, links are checked across all
//! of them, and the version switchers are pointed at their pages.

use rayon::prelude::*;

use super::{
    build_edition, check_links, duplicate_outputs, url_mode, BuildOptions, Built, Edition, Shared,
    SiteSources,
};
use crate::config::SiteConfig;
use crate::error::Diagnostics;
use crate::site::progress::Progress;

pub fn build(
    sources: &SiteSources,
    config: SiteConfig,
    opts: &BuildOptions,
    progress: &Progress,
    shared: Shared,
    diags: Diagnostics,
) -> Built {
    let versions = &sources.versions;
    let latest = Edition {
        content: &sources.content,
        versions: Some((versions, 0)),
    };
    let older: Vec<Edition> = sources
        .older_versions
        .iter()
        .enumerate()
        .map(|(i, v)| Edition {
            content: &v.content,
            versions: Some((versions, i + 1)),
        })
        .collect();
    let (mut built, others) = rayon::join(
        || {
            build_edition(
                sources,
                &latest,
                config.clone(),
                opts,
                progress,
                shared.clone(),
                diags,
            )
        },
        || {
            older
                .par_iter()
                .map(|e| {
                    let quiet = Progress::default();
                    let shared = Shared {
                        new_snapshots: Vec::new(),
                        ..shared.clone()
                    };
                    build_edition(
                        sources,
                        e,
                        config.clone(),
                        opts,
                        &quiet,
                        shared,
                        Diagnostics::default(),
                    )
                })
                .collect::<Vec<Built>>()
        },
    );
    merge(&mut built, others, opts);
    built
}

/// The older versions' files, problems and counts into the latest's `Built`; links checked
/// across every version; switchers resolved.
fn merge(built: &mut Built, others: Vec<Built>, opts: &BuildOptions) {
    let mut files = std::mem::take(&mut built.files);
    for o in &others {
        files.extend(o.files.iter().cloned());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = std::mem::take(&mut built.stage_diags);
    diags.extend(duplicate_outputs(&files));
    let everyone: Vec<(&crate::content::Library, &[crate::markdown::Rendered])> =
        std::iter::once((&built.lib, built.rendered.as_slice()))
            .chain(others.iter().map(|o| (&o.lib, o.rendered.as_slice())))
            .collect();
    let mut link_diags = Vec::new();
    for (i, (lib, rendered)) in everyone.iter().enumerate() {
        let rest: Vec<_> = everyone
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, x)| *x)
            .collect();
        link_diags.extend(check_links(lib, rendered, &files, &rest, opts));
    }
    for o in &others {
        for (url, uses) in &o.external_links {
            let all = built.external_links.entry(url.clone()).or_default();
            all.extend(uses.iter().cloned());
            all.sort();
        }
        diags.extend(o.stage_diags.iter().cloned());
        diags.extend(super::bodies::problems(&o.lib, &o.rendered));
        built.stats.pages += o.stats.pages;
        built.stats.sections += o.stats.sections;
        built.stats.searchable += o.stats.searchable;
    }
    if let Some(versions) = &built.versions {
        crate::versions::resolve_switchers(&mut files, versions, &url_mode(&built.config));
    }
    let (hits, misses) = built.cache.stats();
    built.stats.highlight_hits = hits;
    built.stats.highlight_misses = misses;
    built.stats.files = files.len();
    built.files = files;
    built.link_diags = link_diags;
    built.stage_diags = diags;
}
