//! Highlighter throughput on the fenced code of a corpus (see BENCHMARKS.md):
//!
//!     cargo run --release --example bench_highlight -- /tmp/opsite-bench-10000/content
//!
//! Single-threaded MB/s of opsite's scanner and of syntect's grammars on the same fences.

use std::time::Instant;

use opsite::markdown::{highlight, lexer};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: bench_highlight CONTENT_DIR");
    let mut fences: Vec<(String, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                if let Some(lang) = line.strip_prefix("```").filter(|l| !l.is_empty()) {
                    let code: String = lines
                        .by_ref()
                        .take_while(|l| !l.starts_with("```"))
                        .map(|l| format!("{l}\n"))
                        .collect();
                    fences.push((lang.to_string(), code));
                }
            }
        }
    }
    let bytes: usize = fences.iter().map(|(_, c)| c.len()).sum();
    println!(
        "{} fences, {:.2} MB of code",
        fences.len(),
        bytes as f64 / 1e6
    );
    let sample = &fences[..fences.len().min(3000)];
    let sample_bytes: usize = sample.iter().map(|(_, c)| c.len()).sum();
    for (name, f) in [
        (
            "opsite scanner",
            (|l: &str, c: &str| lexer::highlight(l, c)) as fn(&str, &str) -> Option<String>,
        ),
        ("syntect (oniguruma)", |l: &str, c: &str| {
            highlight::highlight_with_grammar(l, c)
        }),
    ] {
        let t = Instant::now();
        let mut out = 0;
        for (lang, code) in sample {
            out += f(lang, code).map(|h| h.len()).unwrap_or(0);
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name:20} {:8.2} MB/s per core ({} fences, {out} bytes out)",
            sample_bytes as f64 / 1e6 / secs,
            sample.len()
        );
    }
}
