use std::process::ExitCode;

use clap::Parser;
use opsite::cli::{Cli, Command};
use opsite::cmd;

/// See Cargo.toml: glibc's allocator fragments under the search indexer.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    // `pdf` (and a mail with a PDF) writes to Chromium through a pipe: a browser that dies must
    // be an error the run reports, not a silent end.
    let talks_to_a_browser = match &cli.command {
        Command::Pdf(_) => true,
        Command::Email(args) => args.attach_pdf,
        _ => false,
    };
    if !matches!(cli.command, Command::Serve(_)) && !talks_to_a_browser {
        restore_default_sigpipe();
    }
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::New(args) => cmd::new::run(&args),
        Command::Init(args) => cmd::init::run(&args),
        Command::Kpi(args) => cmd::kpi::run(&args),
        Command::Freeze(args) => cmd::freeze::run(&args),
        Command::Unfreeze(args) => cmd::freeze::unfreeze(&args),
        Command::Email(args) => cmd::email::run(&args),
        Command::Pdf(args) => cmd::pdf::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
    };
    // The exports' tables being kept for the next run (`data::stored`) are written whole.
    opsite::data::stored::finish_keeping();
    match result {
        Ok(code) => code,
        // A located problem (site.yaml:3:1: error: …) already says what and where.
        Err(e) => {
            match e.downcast_ref::<opsite::error::Error>() {
                Some(opsite::error::Error::Located(d)) => eprintln!("{d}"),
                Some(c @ opsite::error::Error::Config { .. }) => eprintln!("{c}"),
                _ => eprintln!("error: {e:#}"),
            }
            ExitCode::from(1)
        }
    }
}

/// `opsite kpi … | head` ends quietly when the reader goes away, as every Unix filter does,
/// instead of panicking on the next print (Rust ignores SIGPIPE by default). Not for `serve`:
/// a browser that drops a connection must not stop the preview (its sockets are written with
/// MSG_NOSIGNAL anyway; this is only about standard output and error), nor for commands that
/// drive a browser.
fn restore_default_sigpipe() {
    // SAFETY: setting a signal's disposition to the default has no preconditions; it runs
    // before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// mimalloc asks Linux for transparent huge pages on its arenas, and each first touch of one
/// then zeroes 2 MiB. opsite's builds allocate and free in many short bursts (a page, a
/// customer's figures), so the kernel zeroed far more than was used: on the 100-customer site
/// 18 % of a shared page's rebuild was `clear_page_erms`, and the peak was 120 MB higher
/// (BENCHMARKS.md, tenth round). Off for this process and what it starts (Chromium).
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process's memory map; it fails
    // harmlessly (EINVAL) on kernels without it.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
