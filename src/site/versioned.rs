//! The build of a site with `versions:`: every version goes through `build_edition` in parallel
//! (the latest with the site-wide files, the others under `/v/<name>/`), sharing the exports'
//! reports, the templates and the highlight cache. All versions are assembled before any is
//! rendered, so each page's version switcher is computed before the page is rendered; then their
//! files are merged and links are checked across all of them.

use rayon::prelude::*;

use std::sync::Arc;

use super::{
    assemble_edition, build_edition, check_links, stages::duplicate_outputs, Assembled,
    BuildOptions, Built, Edition, EditionInput, Run, Shared,
};
use crate::config::SiteConfig;
use crate::error::Diagnostics;
use crate::site::progress::Progress;

pub fn build(run: Run, config: SiteConfig, shared: Shared, diags: Diagnostics) -> Built {
    let Run {
        sources,
        opts,
        progress,
    } = run;
    let versions = &sources.versions;
    let editions: Vec<Edition> = std::iter::once(&sources.content)
        .chain(sources.older_versions.iter().map(|v| &v.content))
        .enumerate()
        .map(|(i, content)| Edition {
            content,
            versions: Some((versions, i)),
        })
        .collect();
    // Every version assembled first: the switchers need each version's pages before rendering.
    let quiet = Progress::default();
    let mut assembled: Vec<Assembled> = editions
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            assemble_edition(
                sources,
                e,
                &config,
                opts,
                if i == 0 { progress } else { &quiet },
            )
        })
        .collect();
    let pages = assembled
        .iter()
        .map(|a| crate::versions::published_pages(&a.lib, config.search))
        .collect();
    let pages = Arc::new(crate::versions::VersionPages::new(
        versions,
        pages,
        &config.language,
    ));
    for (current, a) in assembled.iter_mut().enumerate() {
        a.switcher = Some(crate::versions::Switcher {
            pages: pages.clone(),
            current,
        });
    }
    let mut assembled = assembled.into_iter();
    let latest = assembled.next().expect("the latest version");
    let older: Vec<(&Edition, Assembled)> = editions[1..].iter().zip(assembled).collect();
    let (mut built, others) = rayon::join(
        || {
            let input = EditionInput {
                assembled: latest,
                config: config.clone(),
                shared: shared.clone(),
                diags,
            };
            build_edition(run, &editions[0], input)
        },
        || {
            older
                .into_par_iter()
                .map(|(e, a)| {
                    let shared = Shared {
                        new_snapshots: Vec::new(),
                        ..shared.clone()
                    };
                    let input = EditionInput {
                        assembled: a,
                        config: config.clone(),
                        shared,
                        diags: Diagnostics::default(),
                    };
                    let run = Run {
                        progress: &quiet,
                        ..run
                    };
                    build_edition(run, e, input)
                })
                .collect::<Vec<Built>>()
        },
    );
    merge(&mut built, others, opts);
    built
}

/// The older versions' files, problems and counts into the latest's `Built`, and links checked
/// across every version.
fn merge(built: &mut Built, mut others: Vec<Built>, opts: &BuildOptions) {
    let mut files = std::mem::take(&mut built.files);
    for o in &mut others {
        files.append(&mut o.files);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = std::mem::take(&mut built.stage_diags);
    diags.extend(duplicate_outputs(&files));
    let editions: Vec<(&crate::content::Library, &[crate::markdown::Rendered])> =
        std::iter::once((&built.lib, built.rendered.as_slice()))
            .chain(others.iter().map(|o| (&o.lib, o.rendered.as_slice())))
            .collect();
    let link_diags = check_links(&editions, &files, opts);
    for o in others {
        diags.extend(super::bodies::problems(
            &o.lib,
            &o.rendered,
            &o.publications.blocked,
        ));
        diags.extend(o.stage_diags);
        for (url, uses) in o.external_links {
            let all = built.external_links.entry(url).or_default();
            all.extend(uses);
            all.sort();
        }
        built.stats.pages += o.stats.pages;
        built.stats.sections += o.stats.sections;
        built.stats.searchable += o.stats.searchable;
        built.search_shards.shards.extend(o.search_shards.shards);
    }
    let (hits, misses) = built.cache.stats();
    built.stats.highlight_hits = hits;
    built.stats.highlight_misses = misses;
    built.stats.files = files.len();
    built.files = files;
    built.link_diags = link_diags;
    built.stage_diags = diags;
}
