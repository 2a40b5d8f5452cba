//! The output folder is a wall. Content, configuration and themes decide output paths (URLs,
//! aliases, terms, file names), and a contributed page must not be able to write anywhere else:
//! every path the build produced is checked here, and the writer checks again.

use crate::error::{Code, Diagnostic, Location};
use crate::site::output::OutputFile;

use crate::output_file::check_output_path;

/// Keep the files whose paths stay inside the output folder; each other one is an error naming
/// the source it came from.
pub fn contained(files: Vec<OutputFile>) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let kept = files
        .into_iter()
        .filter(|f| match check_output_path(&f.path) {
            Ok(()) => true,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Build,
                    Location::file(&f.origin),
                    if e.contains("output mark") || e.contains(".git segment") {
                        format!("{e}; choose another `url` or `slug`")
                    } else if e.contains("a file or folder name may have") {
                        format!("{e}; give a shorter `slug` or `url`, or rename the file")
                    } else if e.contains("control characters") {
                        format!("{e}; rename the file or folder, or give a `slug`")
                    } else {
                        format!("{e}: it would be written outside the output folder")
                    },
                ));
                false
            }
        })
        .collect();
    (kept, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_pass_and_traversals_do_not() {
        for ok in [
            "index.html",
            "sop/日次/index.html",
            "a/b.c/d.svg",
            "tags/C++/index.html",
        ] {
            assert_eq!(check_output_path(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a\\..\\b",
            "C:/x",
            "tags/../index.html",
            "a\nb",
            ".git/config",
            "docs/.GIT/HEAD",
            ".Opsite-Output",
            ".OPSITE-OUTPUT",
        ] {
            assert!(check_output_path(bad).is_err(), "{bad}");
        }
    }
}
