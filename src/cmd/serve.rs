//! `opsite serve`: bind first (so the printed address and the build's `base_url` agree, even
//! with `--port 0`), build in memory, serve with a pool of workers, then rebuild on every burst
//! of saves and tell open pages. Content errors never stop the server: they are printed and
//! shown over the pages until fixed.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::cli::ServeArgs;
use crate::config::SiteConfig;
use crate::content::front_matter::now;
use crate::serve::door;
use crate::serve::indexer::Indexer;
use crate::serve::live::{Change, EventHub};
use crate::serve::server::{self, Served, Shared};
use crate::serve::session::{failure_text, Outcome, Route, Session};
use crate::serve::watch::{self, Burst, SiteWatch};
use crate::site::BuildOptions;

/// Worker threads answering requests (event streams do not hold one).
const WORKERS: usize = 16;

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let root = super::site_root(args.root.root.as_deref())?;
    let root = root.canonicalize().unwrap_or(root);
    let (config, _) = SiteConfig::load(&root)?;
    let listener = bind(args.bind, args.port)?;
    let addr = listener.local_addr()?;
    let prefix = config.base_path();
    let preview = preview_url(addr, &prefix);
    // `::ffff:127.0.0.1` is the loopback address too.
    if !args.bind.to_canonical().is_loopback() {
        eprintln!(
            "warning: listening on {} — anyone on the network can read this preview and its internal pages{} (use --bind 127.0.0.1 to keep it on this machine). Others open http://<this machine's IP address>:{}{prefix}; to use a name instead (ops-pc.local), pass --allow-host with it",
            args.bind,
            if args.drafts { ", drafts included" } else { "" },
            addr.port()
        );
    }
    if args.allow_any_host {
        eprintln!(
            "warning: --allow-any-host: any web page this machine's browser opens can read the preview through a name of its own that resolves here (DNS rebinding); prefer --allow-host NAME"
        );
    }
    let clock = super::clock(args.as_of.as_deref(), &config)?.unwrap_or_else(now);
    let opts = BuildOptions {
        include_drafts: args.drafts,
        base_url: Some(preview.clone()),
        damage_is_error: false,
        now: clock,
        // A preview writes nothing, snapshots included.
        freeze_due: false,
        // Indexed after each reload, in the background (`serve::session`).
        search_index: false,
        index_older_versions: true,
        edition: match &args.customer {
            Some(c) => Some(super::targets::edition_named(&config.customers, c)?),
            None => None,
        },
    };
    let started = Instant::now();
    let mut session = Session::start(&root, opts)
        .with_context(|| format!("cannot load the site at {}", root.display()))?;
    let diags = session.diagnostics();
    let failed = diags.has_errors();
    let error = failed.then(|| failure_text(&diags));
    super::report::Report::new(diags, args.verbose).print();
    let s = &session.built().stats;
    eprintln!(
        "built {} in memory in {:.2} s{}",
        s.counts(),
        started.elapsed().as_secs_f64(),
        if failed {
            " with errors: the pages show them until they are fixed"
        } else {
            ""
        }
    );

    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(Served::new(
            session.good_files(),
            1,
            error,
            prefix.clone(),
        ))),
        hub: EventHub::default(),
        search: Default::default(),
    });
    let indexer = Indexer::start(Arc::clone(&shared), session.saved_search_shards());
    index_for_search(&session, &indexer);
    let (inner, server) =
        door::inner_listener().map_err(|e| anyhow::anyhow!("cannot serve on {addr}: {e}"))?;
    let server = Arc::new(server);
    let rules = door::HostRules {
        names: args
            .allow_hosts
            .iter()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
            .collect(),
        any: args.allow_any_host,
    };
    std::thread::spawn(move || door::run(listener, inner, rules));
    for _ in 0..WORKERS {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || server::worker(server, shared));
    }
    let pinger = Arc::clone(&shared);
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(15));
        pinger.hub.ping();
    });

    let content_dir = PathBuf::from(&session.built().config.content_dir);
    let mut watch = SiteWatch::start(&root, &content_dir)
        .with_context(|| format!("cannot watch the folders of {}", root.display()))?;
    println!("serving {preview}  (Ctrl+C to stop; edits rebuild and reload the pages)");
    rebuild_loop(
        &root,
        &mut session,
        &mut watch,
        &shared,
        &indexer,
        args.verbose,
    );
    Ok(ExitCode::SUCCESS)
}

/// A clear message for the usual mistakes: a port in use, an address not on this machine.
fn bind(ip: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {port} on {ip} is already in use (another `opsite serve`?): stop it, or pass --port N, or --port 0 for any free port"
        ),
        std::io::ErrorKind::AddrNotAvailable => anyhow::anyhow!(
            "{ip} is not an address of this machine: pass --bind with one of its addresses (127.0.0.1 for this machine only)"
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "not allowed to listen on port {port}: ports below 1024 need privileges; pass --port 1111 or --port 0"
        ),
        _ => anyhow::anyhow!("cannot listen on {ip}:{port}: {e}"),
    })?;
    // Pages go out in two writes (head, body); with Nagle on, the last part of a page on a
    // kept-alive connection waits for the browser's delayed ACK.
    let _ = socket2::SockRef::from(&listener).set_tcp_nodelay(true);
    Ok(listener)
}

/// The address pages are built for: `http://127.0.0.1:1111/portal/`.
pub fn preview_url(addr: SocketAddr, prefix: &str) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{host}:{}{prefix}", addr.port())
}

/// Wait for changes, rebuild, swap what is served, tell the pages; then the slow checks.
fn rebuild_loop(
    root: &std::path::Path,
    session: &mut Session,
    watch: &mut SiteWatch,
    shared: &Shared,
    indexer: &Indexer,
    verbose: bool,
) {
    let mut generation = 1;
    let mut shown_warnings = current_warnings(session);
    // The search index is made once saves pause for a moment (the first one at startup).
    let mut index_due = false;
    loop {
        let (paths, first_event) = match watch.next_burst_within(index_due.then_some(INDEX_AFTER)) {
            Burst::Paths(paths, first) => (paths, first),
            Burst::Idle => {
                index_for_search(session, indexer);
                index_due = false;
                continue;
            }
            Burst::Ended => break,
        };
        let config = &session.built().config;
        let (theme, content_dir) = (config.theme.clone(), PathBuf::from(&config.content_dir));
        let changes = watch::classify(root, &theme, &content_dir, paths);
        if changes.is_empty() {
            continue;
        }
        let outcome = session.apply(&changes);
        generation += 1;
        let current = shared.current();
        let error = match &outcome.change {
            Change::Failed(text) => Some(text.clone()),
            _ => None,
        };
        shared.replace(Served::new(
            session.good_files(),
            generation,
            error,
            current.prefix.clone(),
        ));
        shared.hub.publish(&outcome.change, generation);
        say(&outcome, first_event.elapsed(), shared.hub.count());
        if changes.config && session.site_base_path() != current.prefix {
            eprintln!(
                "note: base_url now asks for {}, but this preview stays at {}: restart `opsite serve` to preview at the new path",
                session.site_base_path(),
                current.prefix
            );
        }
        if let Change::Failed(_) = outcome.change {
            continue;
        }
        // After the reload: the search index (in the background, once saves pause), and link
        // checks over the whole site, whose warnings may have changed.
        index_due = true;
        if outcome.route == Route::Pages {
            session.recheck_links();
        }
        // Warnings (broken links, …) are printed when they differ from the last ones shown.
        let warnings = current_warnings(session);
        if warnings != shown_warnings {
            if warnings.is_empty() {
                eprintln!("         no warnings left");
            } else {
                let mut list = crate::error::Diagnostics::default();
                list.extend(warnings.iter().cloned());
                super::report::Report::new(list, verbose).print();
            }
            shown_warnings = warnings;
        }
    }
}

/// Quiet time after a rebuild before the search index is made again.
const INDEX_AFTER: Duration = Duration::from_millis(1000);

/// Hand the indexer the pages of the current build (nothing before a build succeeded; with
/// `search: false`, the index is taken away).
fn index_for_search(session: &Session, indexer: &Indexer) {
    let built = session.built();
    if !built.config.search {
        indexer.clear();
    } else if session.good_files().is_some() {
        indexer.submit(built.with_search_input(crate::search::entries_and_documents));
    }
}

/// The current warnings, sorted, to tell whether they changed and to print them.
fn current_warnings(session: &Session) -> Vec<crate::error::Diagnostic> {
    session
        .diagnostics()
        .into_sorted()
        .into_iter()
        .filter(|d| !d.is_error())
        .collect()
}

fn say(outcome: &Outcome, since_save: Duration, clients: usize) {
    let time = chrono::Local::now().format("%H:%M:%S");
    let ms = since_save.as_secs_f64() * 1000.0;
    match &outcome.change {
        Change::Failed(text) => {
            eprintln!("{time} rebuild failed ({ms:.0} ms); still serving the last good build, the pages show:");
            for line in text.lines() {
                eprintln!("  {line}");
            }
        }
        change => {
            let what = match change {
                Change::Pages(p) if p.is_empty() => "no page changed".to_string(),
                Change::Pages(p) => format!("{} page(s) changed", p.len()),
                Change::Styles(s) => format!("{} stylesheet(s) swapped", s.len()),
                _ if outcome.changed_files == 0 => {
                    "no file of the output changed, all pages reload".to_string()
                }
                _ => format!(
                    "{} file(s) changed, all pages reload",
                    outcome.changed_files
                ),
            };
            eprintln!(
                "{time} rebuilt ({}) in {:.0} ms, {ms:.0} ms after the save: {what}; told {clients} open page(s)",
                outcome.route,
                outcome.elapsed.as_secs_f64() * 1000.0,
            );
        }
    }
}
