//! What a tab's page may read: files of its own document's folder, addresses read as the
//! browser writes them (percent-escapes), and whether the page is still the document's file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Whether two `file://` addresses name the same file, percent-escapes read (the browser may
/// write an escape another way than `file_url` did).
pub(super) fn same_file_url(a: &str, b: &str) -> bool {
    let path = |u: &str| percent_decoded(u.split(['?', '#']).next().unwrap_or(u));
    matches!((path(a), path(b)), (Some(a), Some(b)) if a == b)
}

/// Whether the tab of `session` may read `url`: a file of its own document's folder, never one
/// of another document printed beside it.
pub(super) fn may_read(
    allowed: &HashMap<String, PathBuf>,
    session: Option<&str>,
    url: &str,
) -> bool {
    let folder = session.and_then(|s| allowed.get(s));
    folder.is_some_and(|dir| file_inside(url, dir))
}

/// Whether `url` is a `file://` URL of a file inside `dir` (the browser has already resolved
/// `..` and `.` in it; one left would not count as inside).
fn file_inside(url: &str, dir: &Path) -> bool {
    let Some(rest) = url.strip_prefix("file://") else {
        return false;
    };
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_decoded(path);
    let Some(path) = decoded.as_deref().map(Path::new) else {
        return false;
    };
    let plain = path.components().all(|c| {
        matches!(
            c,
            std::path::Component::RootDir | std::path::Component::Normal(_)
        )
    });
    plain && path.starts_with(dir) && path != dir
}

/// `%XX` sequences as bytes; `None` when the result is no path this system can name.
fn percent_decoded(s: &str) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStringExt;
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    (!out.contains(&0)).then(|| std::ffi::OsString::from_vec(out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_file_is_known_by_its_address_however_escaped() {
        let ours = "file:///tmp/opsite-pdf-1/doc-ab/document.html";
        assert!(super::same_file_url(ours, ours));
        assert!(super::same_file_url(
            "file:///tmp/%E5%9B%B3/document.html",
            "file:///tmp/%e5%9b%b3/document.html"
        ));
        assert!(super::same_file_url(
            "file:///tmp/a%2Db/x.html",
            "file:///tmp/a-b/x.html"
        ));
        assert!(!super::same_file_url("chrome-error://chromewebdata/", ours));
        assert!(!super::same_file_url(
            "file:///tmp/opsite-pdf-1/doc-ab/other.html",
            ours
        ));
    }

    use super::*;

    #[test]
    fn only_files_of_the_documents_folder_may_be_read() {
        let dir = Path::new("/tmp/opsite-pdf-1/doc-1");
        assert!(file_inside(
            "file:///tmp/opsite-pdf-1/doc-1/document.html",
            dir
        ));
        assert!(file_inside(
            "file:///tmp/opsite-pdf-1/doc-1/site/img/%E5%9B%B3.png?x#y",
            dir
        ));
        for outside in [
            "file:///tmp/opsite-pdf-1/doc-10/document.html",
            "file:///tmp/opsite-pdf-1/doc-1/../secret.png",
            "file:///tmp/opsite-pdf-1/doc-1/%2E%2E/secret.png",
            // The one copy of a large file the documents' folders link to (`Printer`).
            "file:///tmp/opsite-pdf-1/shared-0",
            "file:///tmp/opsite-pdf-1/doc-1/../shared-0",
            "file:///etc/passwd",
            "file:///tmp/opsite-pdf-1/doc-1",
            "file:///tmp/opsite-pdf-1/doc-1/a%00b",
            "http://127.0.0.1:8765/x.png",
            "https://cdn.example/x.png",
            "data:image/png;base64,AAAA",
        ] {
            assert!(!file_inside(outside, dir), "{outside}");
        }
    }

    #[test]
    fn a_tab_reads_its_own_documents_folder_and_not_the_one_printed_beside_it() {
        let allowed: HashMap<String, PathBuf> = [
            ("A".to_string(), PathBuf::from("/tmp/opsite-pdf-1/doc-1")),
            ("B".to_string(), PathBuf::from("/tmp/opsite-pdf-1/doc-2")),
        ]
        .into();
        let of_b = "file:///tmp/opsite-pdf-1/doc-2/document.html";
        assert!(may_read(&allowed, Some("B"), of_b));
        assert!(!may_read(&allowed, Some("A"), of_b));
        // A request of no tab, or of a tab already closed, reads nothing.
        assert!(!may_read(&allowed, None, of_b));
        assert!(!may_read(&allowed, Some("C"), of_b));
    }
}
