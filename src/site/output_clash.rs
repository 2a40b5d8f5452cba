//! Output files that cannot all be written as asked: two at one path, a file where another
//! needs a folder, two whose paths differ only in letter case. Checked over every output file of
//! a build (the site, each language, each edition), before anything is written.

use crate::error::{Code, Diagnostic, Location};
use crate::site::output::OutputFile;

/// Each clash among `files` (sorted by path): errors for paths that cannot both be written,
/// warnings for paths that differ only in letter case.
pub fn duplicate_outputs(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            out.push(Diagnostic::error(
                Code::Build,
                Location::file(&pair[1].origin),
                format!(
                    "output file {} is also written by {}; change a `slug`, `url` or alias",
                    pair[1].path,
                    pair[0].origin.display()
                ),
            ));
        }
    }
    // A path that is another's folder (`index.html` and `index.html/index.html`, from
    // `content/index.html.md` beside the home page) cannot both be written either.
    let by_path: std::collections::HashMap<&str, &OutputFile> =
        files.iter().map(|f| (f.path.as_str(), f)).collect();
    for f in files {
        let folders = f.path.match_indices('/').map(|(i, _)| &f.path[..i]);
        if let Some(file) = folders.filter_map(|d| by_path.get(d)).next() {
            out.push(Diagnostic::error(Code::Build,
                Location::file(&f.origin),
                format!(
                    "output file {} needs a folder {}/, but {} writes a file there; change a `slug`, `url` or alias",
                    f.path,
                    file.path,
                    file.origin.display()
                ),
            ));
        }
    }
    out.extend(case_twins(files));
    out
}

/// Two files whose paths differ only in letter case (`Reports/Weekly/index.html` beside the
/// generated `reports/weekly/index.html`): on a case-insensitive disk or share (Windows, macOS,
/// many file servers) one replaces the other, whichever is copied last.
fn case_twins(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<String, &OutputFile> = Default::default();
    let mut out = Vec::new();
    for f in files {
        match seen.entry(f.path.to_lowercase()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(f);
            }
            std::collections::hash_map::Entry::Occupied(o) if o.get().path != f.path => {
                out.push(Diagnostic::warning(
                    Code::Build,
                    Location::file(&f.origin),
                    format!(
                        "output files {} (from {}) and {} (from {}) differ only in letter case: on a disk or share that ignores case (Windows, macOS) one replaces the other; change a `slug` or `url`",
                        o.get().path,
                        o.get().origin.display(),
                        f.path,
                        f.origin.display(),
                    ),
                ));
            }
            std::collections::hash_map::Entry::Occupied(_) => {}
        }
    }
    out
}
