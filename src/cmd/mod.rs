//! One function per command: orchestration only (load, run the pipeline, write, report).

pub mod build;
pub mod check;
pub mod kpi;
pub mod new;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::Diagnostic;
use crate::site::progress::Progress;

/// At most this many diagnostics are printed; the rest are counted.
pub const MAX_PRINTED: usize = 200;

/// Print diagnostics, capped.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags.iter().take(MAX_PRINTED) {
        eprintln!("{d}");
    }
    if diags.len() > MAX_PRINTED {
        eprintln!("… and {} more", diags.len() - MAX_PRINTED);
    }
}

/// Run `f` while showing progress on a terminal once it has taken longer than a second.
pub fn with_progress<T>(f: impl FnOnce(&Progress) -> T) -> T {
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let show = std::io::stderr().is_terminal();
    let handle = show.then(|| {
        let (p, d) = (progress.clone(), done.clone());
        std::thread::spawn(move || {
            let start = Instant::now();
            let mut shown = false;
            while !d.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if start.elapsed() > Duration::from_secs(1) {
                    let (stage, n, total) = p.snapshot();
                    let width = 30;
                    let filled = if total == 0 {
                        0
                    } else {
                        (n * width / total).min(width)
                    };
                    eprint!(
                        "\r{stage:>9} [{}{}] {n}/{total}  ",
                        "#".repeat(filled),
                        " ".repeat(width - filled)
                    );
                    shown = true;
                }
            }
            if shown {
                eprint!("\r{}\r", " ".repeat(60));
            }
        })
    });
    let out = f(&progress);
    done.store(true, Ordering::Relaxed);
    if let Some(h) = handle {
        let _ = h.join();
    }
    out
}
