//! Every message `opsite check --format json` gives on every fixture (and the manual), kept
//! byte for byte: a refactor that claims to leave messages alone is held to it.
//! `OPSITE_BLESS=1` rewrites `tests/fixtures/golden-check/<fixture>.json` after a change
//! meant to alter a message.

use std::path::{Path, PathBuf};

use crate::support::{stdout, TestSite};

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures that are sites (a `site.yaml` or a content folder), and the manual.
fn sites() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(repository().join("tests/fixtures"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("site.yaml").is_file() || p.join("content").is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.push(("manual".into(), repository().join("docs")));
    out.sort();
    out
}

/// A copy of `src` without its built output, so the check reads only what is committed.
fn copy(src: &Path) -> TestSite {
    let site = TestSite::new(&[]);
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("output" | ".opsite")))
    {
        let entry = entry.unwrap();
        let dest = site.root().join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    if !src.join("site.yaml").is_file() {
        std::fs::remove_file(site.root().join("site.yaml")).unwrap();
    }
    site
}

#[test]
fn check_says_the_same_on_every_fixture() {
    let bless = std::env::var_os("OPSITE_BLESS").is_some();
    let mut differ = Vec::new();
    for (name, src) in sites() {
        let site = copy(&src);
        let out = site.run(&[
            "check",
            "--format",
            "json",
            "--verbose",
            "--as-of",
            "2026-11-20T17:00",
        ]);
        let json = stdout(&out).replace(&site.root().display().to_string(), "<site>");
        // One JSON document even when site.yaml stops everything, and failure exactly on errors.
        let report: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}: {json}"));
        let failed = report["errors"].as_u64() != Some(0);
        assert_eq!(out.status.success(), !failed, "{name}: {json}");
        let golden = repository().join(format!("tests/fixtures/golden-check/{name}.json"));
        if bless {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &json).unwrap();
        } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(json.as_str()) {
            differ.push(format!("{name}:\n{json}"));
        }
    }
    assert!(
        differ.is_empty(),
        "check's messages changed (OPSITE_BLESS=1 if meant):\n{}",
        differ.join("\n")
    );
}
