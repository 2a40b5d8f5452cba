//! `opsite build`: load, run the pipeline, and swap the new output in only if there was no error.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::targets::EditionRun;
use crate::cli::BuildArgs;
use crate::config::customers::CustomerConfig;
use crate::content::front_matter::now;
use crate::error::Diagnostic;
use crate::layout::SiteFolder;
use crate::site::lock::{self, LockError};
use crate::site::output_dir::Owner;
use crate::site::{self, build_skip, output_dir, output_manifest, sources};
use crate::site::{BuildOptions, BuildResult};

mod phases;
mod skip;
mod write;
use write::{failed_line, Target, Writer};

pub fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = &super::site_root(args.root.root.as_deref())?;
    // One build of a site at a time: a second one would trip over the first's staging folder.
    // Before the lock, which is a file of `.opsite/`: no cache goes through a link.
    for link in site::build_cache::own_cache_folders(root) {
        eprintln!("warning: {link} was a symbolic link; opsite keeps its caches in a folder of its own there, never through a link (the link is removed, what it led to is left as it was)");
    }
    let _lock = match lock::build_lock(root) {
        Ok(held) => Some(held),
        Err(e @ LockError::Busy { .. }) => anyhow::bail!("{e}"),
        Err(e) => {
            eprintln!("warning: {e}; building without it");
            None
        }
    };
    // Refused before any work: a build must not end by deleting a folder it does not own.
    let site_folders = output_dir::SiteFolders::read(root);
    // Every folder refused is named, the internal site's first (said with the editions').
    let internal_dir = match &args.customer {
        None => output_dir::choose(
            &site_folders,
            args.output.as_deref(),
            args.force,
            &Owner::Site,
        )
        .map(Some)
        .map_err(anyhow::Error::from),
        Some(_) => Ok(None),
    };
    if args.no_cache {
        crate::data::stored::forget(root);
    }
    let (mut sources, load_diags) = match sources::load(root) {
        Ok(loaded) => loaded,
        Err(e) => {
            internal_dir?;
            return Err(e).with_context(|| format!("cannot load the site at {}", root.display()));
        }
    };
    if args.no_cache {
        sources.forget_caches();
    }
    let loaded = started.elapsed();
    let mut phases = phases::Phases::default();
    let only = match &args.customer {
        Some(c) => Some(super::targets::edition_named(&sources.config.customers, c)?),
        None => None,
    };
    let customers = &sources.config.customers;
    let edition_dirs = edition_dirs(&site_folders, root, args, customers, only.as_deref());
    let (internal_dir, edition_dirs, left_copies) = match (internal_dir, edition_dirs) {
        (Ok(internal), Ok((editions, mut left))) => {
            left.extend(internal.iter().flat_map(|c| c.left_copies.iter().cloned()));
            (internal.map(|c| c.dir), editions, left)
        }
        (internal, editions) => {
            let refused = (internal.err().into_iter()).chain(editions.err().into_iter().flatten());
            return Err(all_refused(refused.collect()));
        }
    };
    let folders: Vec<&Path> = edition_dirs.iter().map(|(d, _)| d.as_path()).collect();
    separate_folders(internal_dir.as_deref(), &folders)?;
    if let Some(url) = &args.base_url {
        address_is_free(url, &sources.config, only.as_deref())?;
    }
    let clock = super::clock(args.as_of.as_deref(), &sources.config)?.unwrap_or_else(now);
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: args.base_url.clone(),
        damage_is_error: false,
        now: clock,
        // A build as of a later date previews; it must not freeze what has not ended.
        freeze_due: clock <= now() && only.is_none(),
        search_index: true,
        index_older_versions: false,
        // `--base-url` with `--customer` is that edition's address.
        edition: only.clone(),
    };
    phases.mark("folders");
    let cache_dir = root.join(site::build_cache::CACHE_DIR);
    let internal_folder = internal_dir.as_deref().map(|d| (d, &Owner::Site));
    let out_folders: Vec<skip::Folder> = (internal_folder.into_iter())
        .chain(edition_dirs.iter().map(|(d, o)| (d.as_path(), o)))
        .map(|(dir, owner)| skip::Folder::new(dir, owner))
        .collect();
    let reuse = match last_build(
        &cache_dir,
        root,
        args,
        &out_folders,
        &mut sources,
        &opts,
        &load_diags,
    ) {
        LastBuild::Same((lines, warned)) => {
            let took = format!("{:.2} s", started.elapsed().as_secs_f64());
            let said = with_time(&lines, &took, &warned);
            println!("{said}; nothing changed since the last build");
            output_dir::remove_left_copies(&left_copies);
            return Ok(ExitCode::SUCCESS);
        }
        LastBuild::Reuse(reuse) => reuse,
    };
    phases.mark("last build");
    // The editions whose last build stands, when folders may be kept (`--no-cache` keeps none).
    let last_editions = (reuse.fingerprint.as_ref())
        .filter(|_| !args.no_cache)
        .map(|fp| skip::LastEditions::read(root, fp, &out_folders, &opts, reuse.last_record));
    let stands = |c: &CustomerConfig, figures: &str| {
        (last_editions.as_ref()).is_some_and(|l| l.stands(c, figures))
    };
    let manifests = (reuse.internal_manifest, reuse.edition_manifests);
    let load_failed = load_diags.iter().any(Diagnostic::is_error);
    let writer = Writer {
        root,
        args,
        cache_dir: &cache_dir,
        internal_dir: internal_dir.as_deref(),
    };
    let writer = writer.with(&edition_dirs, manifests, load_failed);
    let keep = |slug: Option<&str>, result| writer.keep(slug, result);
    let (internal, editions, mut diagnostics) = super::with_progress(|p| {
        let run = site::Run {
            sources: &sources,
            opts: &opts,
            progress: p,
        };
        super::targets::build_targets(run, only.as_deref(), &keep, &stands)
    });
    phases.mark("build");
    // A misspelt key may be what hid a customer (`custmers:`): its edition is not removed.
    let unread_key = (load_diags.iter())
        .find(|d| d.code == crate::error::Code::UnknownKey)
        .map(|d| d.to_string());
    diagnostics.extend(load_diags);
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    // Everything said on standard error, which a build skipped for no change says again.
    let said = what_was_said(diagnostics, args.verbose, &sources, &internal, &editions);
    for line in &said {
        eprintln!("{line}");
    }
    let first_dir = internal_dir
        .clone()
        .or_else(|| edition_dirs.first().map(|(d, _)| d.clone()));
    let first_dir = first_dir.unwrap_or_else(|| root.join(SiteFolder::Output.name()));
    if errors > 0 {
        eprintln!("{}", failed_line(errors, warnings, &first_dir));
        return Ok(ExitCode::from(1));
    }
    let mut targets: Vec<Target> = Vec::new();
    if let (Some(r), Some(dir)) = (&internal, &internal_dir) {
        targets.push(Target::Build(r, dir, None));
    }
    for ((slug, run), (dir, _)) in editions.iter().zip(&edition_dirs) {
        let kept = last_editions.as_ref().and_then(|l| l.record_of(slug));
        targets.push(match (run.built(), kept) {
            (Some(r), _) => Target::Build(r, dir, Some(slug)),
            (None, Some(last)) => Target::Kept(skip::kept_line(slug, last, dir)),
            (None, None) => unreachable!("an edition is kept only when its folder was recorded"),
        });
    }
    let writing = Instant::now();
    let lines = match writer.commit(targets, warnings) {
        Ok(lines) => lines,
        Err(code) => return Ok(code),
    };
    output_dir::remove_left_copies(&left_copies);
    let written = writing.elapsed();
    phases.mark("write");
    let warned = if warnings > 0 {
        format!(" ({warnings} warning(s))")
    } else {
        String::new()
    };
    if let Some(result) = &internal {
        let record = match (&reuse.fingerprint, &internal_dir) {
            (Some(fp), Some(dir)) => {
                let built = skip::Written::Built {
                    result,
                    figures: None,
                };
                let written: Vec<(skip::Written, PathBuf)> = std::iter::once((built, dir.clone()))
                    .chain(
                        (editions.iter())
                            .map(|(slug, run)| written_edition(result, slug, run, &last_editions))
                            .zip(edition_dirs.iter().map(|(d, _)| d.clone())),
                    )
                    .collect();
                let reuse = build_skip::reuse(&sources, &opts);
                Some(skip::record(
                    root, fp, &opts, reuse, &written, said, &warned,
                ))
            }
            _ => None,
        };
        keep_for_next_build(&sources, result, &editions, record.as_ref());
        for (rel, text) in &result.new_snapshots {
            super::freeze::write_snapshot(root, rel, text)?;
        }
        super::freeze::say_frozen(&result.new_snapshots);
    }
    match only {
        None => {
            let customers = &sources.config.customers;
            // An edition left in place is to be removed by a later build: this one's record
            // must not let that build be skipped as "nothing changed".
            if stale_editions(root, args, customers, unread_key.as_deref()) {
                build_skip::save(root, None);
            }
        }
        // One edition rewritten (another clock, another address): its folder is no longer what
        // the last full build left, though it matches its own manifest; that build's record
        // must not stand for the next one.
        Some(_) => build_skip::save(root, None),
    }
    phases.mark("record");
    let took = format!("{:.2} s", started.elapsed().as_secs_f64());
    println!("{}", with_time(&lines, &took, &warned));
    if std::env::var_os("OPSITE_TIMINGS").is_some() {
        let built: Vec<&BuildResult> = editions.iter().filter_map(|(_, r)| r.built()).collect();
        phases.print(internal.as_ref(), &built, (loaded, written));
    }
    Ok(ExitCode::SUCCESS)
}

/// The build's lines (one per folder) and the time it took: on the line of a lone folder, on
/// a line of its own after several (it is the whole build's, not the last edition's).
fn with_time(lines: &[String], took: &str, warned: &str) -> String {
    match lines {
        [one] => format!("{one} in {took}{warned}"),
        _ => format!("{}\ndone in {took}{warned}", lines.join("\n")),
    }
}

/// What the next build reuses: the highlighted blocks, the pages' bodies, the search shards (the
/// internal site's and the editions', built now or kept as the last build left them), and this
/// build's record (None: the next build cannot be skipped).
fn keep_for_next_build(
    sources: &sources::SiteSources,
    result: &BuildResult,
    editions: &[(String, EditionRun)],
    record: Option<&build_skip::Record>,
) {
    let root = sources.root.as_path();
    // The blocks the build found highlighted, and no other: the file stands as it is.
    let same_blocks = result.highlight_cache.len() == sources.highlight_cache.len()
        && (result.highlight_cache.keys()).all(|k| sources.highlight_cache.contains_key(k));
    if !same_blocks {
        sources::save_cache(root, &result.highlight_cache);
    }
    site::kept_bodies::save(root, &sources.kept_bodies, &result.kept_bodies);
    let mut used = result.search_shards.clone();
    for built in editions.iter().filter_map(|(_, run)| run.built()) {
        let shards = built.search_shards.shards.iter();
        used.shards
            .extend(shards.map(|(k, v)| (k.clone(), v.clone())));
    }
    let kept: HashSet<String> = (record.iter())
        .flat_map(|r| r.folders.iter().flat_map(|f| f.shards.iter().cloned()))
        .collect();
    site::build_cache::save_shards(root, &used, &kept);
    build_skip::save(root, record);
}

/// What a build may take from the last one: nothing to do, or its record's fingerprint and the
/// internal site's output manifest.
enum LastBuild {
    /// The last build's summary lines and warning count: nothing changed since.
    Same((Vec<String>, String)),
    Reuse(Reuse),
}

struct Reuse {
    /// This build's inputs hashed (`build_skip::fingerprint`), for the next build's skip.
    fingerprint: Option<build_skip::Fingerprint>,
    /// The internal site's output manifest, read once for the skip, the kept pages and the write.
    internal_manifest: Option<output_manifest::Manifest>,
    /// Each edition's, by slug, read once for its kept pages and the write (when pages are kept).
    edition_manifests: HashMap<String, output_manifest::Manifest>,
    /// The last build's record, read once for the skip and the editions it may keep.
    last_record: Option<build_skip::Record>,
}

/// Whether this build can be skipped and, if not, the pages of the last build it may keep
/// (set on `sources`).
fn last_build(
    cache_dir: &Path,
    root: &Path,
    args: &BuildArgs,
    folders: &[skip::Folder],
    sources: &mut sources::SiteSources,
    opts: &BuildOptions,
    load_diags: &[Diagnostic],
) -> LastBuild {
    let internal_dir = (folders.first())
        .filter(|f| *f.owner == Owner::Site)
        .map(|f| f.dir);
    // The folder as the manifest names it (a link followed), found once.
    let resolved = internal_dir.map(output_dir::resolve);
    let internal_manifest = match (&resolved, args.no_cache) {
        (Some(dir), false) => output_manifest::load_current(cache_dir, dir),
        _ => None,
    };
    let fingerprint = match internal_dir {
        Some(_) if !args.force => build_skip::fingerprint(sources, opts, load_diags, args.verbose),
        _ => None,
    };
    // Read only when this build may be skipped or keep an edition (it has a fingerprint).
    let last_record = fingerprint.as_ref().and_then(|_| build_skip::last(root));
    if let (Some(fp), Some(manifest)) = (&fingerprint, &internal_manifest) {
        let last = last_record.as_ref();
        if let Some(said) =
            skip::unchanged_since_last_build(root, folders, manifest, &fp.whole, opts, last)
        {
            return LastBuild::Same(said);
        }
    }
    // Pages the last build wrote, kept where this build would render them from the same inputs;
    // with none (a cold build, `--no-cache`), the pages' keys are still made for the next build.
    let mut edition_manifests = HashMap::new();
    if let (Some(dir), true) = (&resolved, build_skip::reusable(sources, opts)) {
        let previous = internal_manifest
            .as_ref()
            .map(|m| output_manifest::previous_renders(m, dir));
        sources.previous_renders = Some(previous.unwrap_or_default());
        // Each edition's pages, from its own folder's manifest.
        for folder in folders {
            let Owner::Edition { slug, .. } = folder.owner else {
                continue;
            };
            let dir = output_dir::resolve(folder.dir);
            let manifest = (!args.no_cache)
                .then(|| output_manifest::load_current(cache_dir, &dir))
                .flatten();
            let previous = (manifest.as_ref()).map(|m| output_manifest::previous_renders(m, &dir));
            (sources.edition_renders).insert(slug.clone(), previous.unwrap_or_default());
            if let Some(manifest) = manifest {
                edition_manifests.insert(slug.clone(), manifest);
            }
        }
    }
    LastBuild::Reuse(Reuse {
        fingerprint,
        internal_manifest,
        edition_manifests,
        last_record,
    })
}

/// The problems of the run (errors first), the quarantined rows and the shortcode hint, as
/// printed on standard error.
fn what_was_said(
    diagnostics: crate::error::Diagnostics,
    verbose: bool,
    sources: &sources::SiteSources,
    internal: &Option<BuildResult>,
    editions: &[(String, EditionRun)],
) -> Vec<String> {
    let mut said = super::report::Report::new(diagnostics, verbose).lines();
    said.extend(super::report::site_quarantine_lines(sources));
    let unknown: std::collections::BTreeSet<String> = (internal.iter())
        .chain(editions.iter().filter_map(|(_, r)| r.built()))
        .flat_map(|r| r.unknown_shortcodes.iter().cloned())
        .collect();
    said.extend(super::report::shortcode_hint(&unknown, &sources.config));
    said
}

/// How the record keeps an edition: built (with what its figures are computed from when it had
/// nothing to say, so the next build may keep it), or kept as the last build recorded it.
fn written_edition<'a>(
    internal: &'a BuildResult,
    slug: &str,
    run: &'a EditionRun,
    last: &'a Option<skip::LastEditions>,
) -> skip::Written<'a> {
    match run {
        EditionRun::Built { result, quiet } => {
            let figures = (internal.report_set.as_ref())
                .and_then(|set| set.customers.iter().find(|c| c.slug == slug))
                .and_then(|c| c.set.inputs.as_deref())
                .filter(|_| *quiet);
            skip::Written::Built { result, figures }
        }
        EditionRun::Unchanged => {
            let last = last.as_ref().and_then(|l| l.record_of(slug));
            skip::Written::Kept(last.expect("an edition is kept only when recorded"))
        }
    }
}

/// Each edition's folder and whose it is, in `customers:` order, refused before any work as
/// `output/` is: `--output` for the one edition of `--customer`, else `<editions dir>/<slug>`;
/// and the copies killed runs left in them (`output_dir::Chosen`).
fn edition_dirs(
    site: &output_dir::SiteFolders,
    root: &Path,
    args: &BuildArgs,
    customers: &[CustomerConfig],
    only: Option<&str>,
) -> Result<(Vec<(PathBuf, Owner)>, Vec<PathBuf>), Vec<anyhow::Error>> {
    use rayon::prelude::*;
    let base = editions_base(root, args);
    let wanted: Vec<&CustomerConfig> = (customers.iter())
        .filter(|c| only.is_none_or(|o| o == c.slug))
        .collect();
    // Each folder is walked to find files opsite did not write: in parallel, every refusal
    // said in `customers:` order.
    let dirs: Vec<anyhow::Result<(output_dir::Chosen, Owner)>> = (wanted.par_iter())
        .map(|c| edition_dir(site, args, &base, customers, c, only))
        .collect();
    let (chosen, refused): (Vec<_>, Vec<_>) = dirs.into_iter().partition(|d| d.is_ok());
    if !refused.is_empty() {
        return Err(refused.into_iter().filter_map(Result::err).collect());
    }
    let mut left = Vec::new();
    let dirs = (chosen.into_iter().flatten())
        .map(|(c, owner)| {
            left.extend(c.left_copies);
            (c.dir, owner)
        })
        .collect();
    Ok((dirs, left))
}

/// Several folders refused as one error, each on a line of its own as `error: …`.
fn all_refused(refused: Vec<anyhow::Error>) -> anyhow::Error {
    let lines: Vec<String> = refused.iter().map(|e| format!("{e:#}")).collect();
    anyhow::anyhow!("{}", lines.join("\nerror: "))
}

/// One edition's folder, refused as `edition_dirs` says.
fn edition_dir(
    site: &output_dir::SiteFolders,
    args: &BuildArgs,
    base: &Path,
    customers: &[CustomerConfig],
    c: &CustomerConfig,
    only: Option<&str>,
) -> anyhow::Result<(output_dir::Chosen, Owner)> {
    let wanted = match (&args.output, only) {
        (Some(out), Some(_)) => out.clone(),
        _ => base.join(&c.slug),
    };
    let owner = Owner::Edition {
        slug: c.slug.clone(),
        customer: c.name.clone(),
    };
    let dir = output_dir::choose(site, Some(&wanted), args.force, &owner)?;
    // Not another customer's edition folder, even before it exists: the next full build
    // would find one customer's edition where another's belongs.
    if let (Some(_), Some(_)) = (&args.output, only) {
        let others: Vec<(String, String)> = (customers.iter())
            .filter(|o| o.slug != c.slug)
            .map(|o| (o.slug.clone(), o.name.clone()))
            .collect();
        let here = std::env::current_dir()?.join(&wanted);
        super::refuse_others_folder(&here, base, &others, &[], "another customer's edition")?;
    }
    Ok((dir, owner))
}

/// The folder each edition's own folder is in: `--editions-dir`, else `<root>/editions`.
fn editions_base(root: &Path, args: &BuildArgs) -> PathBuf {
    match &args.editions_dir {
        Some(d) => d.clone(),
        None => root.join(SiteFolder::Editions.name()),
    }
}

/// The editions of customers `customers:` no longer has (renamed, or gone) are removed after a
/// full build, since opsite wrote them and a copy of `editions/*` would publish them still; one
/// holding files opsite did not write is left, with a warning. An `--editions-dir` outside the
/// site may be another site's too: there each is only named. Whether any was left in place.
fn stale_editions(
    root: &Path,
    args: &BuildArgs,
    customers: &[CustomerConfig],
    unread_key: Option<&str>,
) -> bool {
    let base = editions_base(root, args);
    let slugs: Vec<&str> = customers.iter().map(|c| c.slug.as_str()).collect();
    let mut left = false;
    for (dir, (slug, customer), foreign) in output_dir::stale_editions(&base, &slugs) {
        let whose = format!("{slug} ({customer})");
        // A slug changed: the customer is still there, under its new slug.
        let gone = match customers.iter().find(|c| c.name == customer) {
            Some(now) => format!(
                "a slug site.yaml no longer has ({customer} is `{}` now)",
                now.slug
            ),
            None => "a customer site.yaml no longer has".to_string(),
        };
        if let Some(key) = unread_key {
            eprintln!(
                "warning: {}: the edition of {whose}, {gone}, is left in place: site.yaml has a key opsite does not read ({key}); an edition is removed only when every key is read",
                dir.display()
            );
        } else if args.editions_dir.is_some() {
            eprintln!(
                "warning: {}: the edition of {whose}, {gone}, is left in place (--editions-dir may be shared); remove it if it is this site's",
                dir.display()
            );
        } else if !foreign.is_empty() {
            eprintln!(
                "warning: {}: the edition of {whose}, {gone}, is left in place: it holds files opsite did not write ({})",
                dir.display(),
                foreign[0]
            );
        } else if let Err(e) = std::fs::remove_dir_all(&dir) {
            eprintln!(
                "warning: {}: cannot remove the edition of {whose}, {gone}: {e}",
                dir.display()
            );
        } else {
            println!("removed {}: the edition of {whose}, {gone}", dir.display());
            continue;
        }
        left = true;
    }
    left
}

/// `--base-url` for the internal site must not be an edition's address, and for one edition
/// (`--customer`) neither the internal site's nor another edition's: two sites published at one
/// address would show one customer another's reports.
fn address_is_free(
    url: &str,
    config: &crate::config::SiteConfig,
    only: Option<&str>,
) -> anyhow::Result<()> {
    use crate::config::customers::same_address;
    if only.is_some() && same_address(url, &config.base_url) {
        anyhow::bail!("--base-url {url} is the internal site's address (site.yaml base_url); an edition must be published somewhere else");
    }
    let other = (config.customers.iter())
        .filter(|c| only != Some(c.slug.as_str()))
        .find(|c| same_address(url, &c.base_url));
    if let Some(c) = other {
        anyhow::bail!(
            "--base-url {url} is where customer edition `{}` ({}) is published (site.yaml customers:); choose another address",
            c.slug,
            c.name
        );
    }
    Ok(())
}

/// The internal site and each edition in a folder of its own, none inside another: two outputs
/// in one folder would leave only the last, one customer's edition where another's (or the
/// internal site) was meant to be.
fn separate_folders(internal: Option<&Path>, editions: &[&Path]) -> anyhow::Result<()> {
    let all: Vec<(PathBuf, &Path)> = internal
        .into_iter()
        .chain(editions.iter().copied())
        .map(|d| (output_dir::resolve(d), d))
        .collect();
    for (i, (a, shown_a)) in all.iter().enumerate() {
        for (b, shown_b) in &all[i + 1..] {
            if a.starts_with(b) || b.starts_with(a) {
                anyhow::bail!(
                    "{} and {} are the same folder or one holds the other: the internal site and \
                     each customer edition need a folder of their own (--output, --editions-dir)",
                    shown_a.display(),
                    shown_b.display()
                );
            }
        }
    }
    Ok(())
}
