//! Helpers: throw-away sites written from (path, text) pairs, and running the pipeline or the binary on them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use opsite::content::front_matter::parse_date;
use opsite::site::{self, output, progress::Progress, sources, BuildOptions, BuildResult};

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A site from (path, text) pairs; an empty `site.yaml` is added when none is given, as
    /// opsite only works in a folder that has one.
    pub fn new(files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            write(dir.path(), path, text);
        }
        if !files.iter().any(|(p, _)| *p == "site.yaml") {
            write(dir.path(), "site.yaml", "");
        }
        TestSite { dir }
    }

    /// A copy of a fixture folder under `tests/fixtures/`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::new(&[]);
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(&src).unwrap();
            let dest = site.root().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
        site
    }

    /// A copy of a fixture that has no `site.yaml` and keeps none (a Hugo or MkDocs tree as
    /// it is).
    pub fn foreign_fixture(name: &str) -> TestSite {
        let site = TestSite::fixture(name);
        std::fs::remove_file(site.root().join("site.yaml")).unwrap();
        site
    }

    /// A site from (path, text) pairs with no `site.yaml` (a Hugo or MkDocs tree).
    pub fn foreign_fixture_from(files: &[(&str, &str)]) -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            write(dir.path(), path, text);
        }
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        write(self.root(), path, text);
    }

    /// Rewrites the site's `site.yaml` with `edit` (given the current text).
    pub fn edit_config(&self, edit: impl FnOnce(&str) -> String) {
        let yaml = std::fs::read_to_string(self.root().join("site.yaml")).unwrap();
        self.write("site.yaml", &edit(&yaml));
    }

    /// Run the pipeline in-process (no writing).
    pub fn build(&self) -> BuildResult {
        self.build_with(false, false)
    }

    pub fn build_with(&self, drafts: bool, check: bool) -> BuildResult {
        self.build_full(drafts, check, "2026-11-22T00:00:00Z")
    }

    /// Build with the clock at `now` (RFC 3339).
    pub fn build_at(&self, now: &str) -> BuildResult {
        self.build_full(false, false, now)
    }

    fn build_full(&self, drafts: bool, check: bool, now: &str) -> BuildResult {
        let (srcs, diags) = sources::load(self.root()).expect("load");
        let opts = BuildOptions {
            include_drafts: drafts,
            base_url: None,
            damage_is_error: check,
            now: parse_date(now).unwrap(),
            freeze_due: false,
            search_index: true,
            index_older_versions: false,
            edition: None,
        };
        let mut r = site::build(&srcs, &opts, &Progress::default());
        r.diagnostics.extend(diags);
        r
    }

    /// Run the real binary.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run opsite")
    }

    /// `opsite kpi --period PERIOD --as-of AS_OF --format json`, which must succeed.
    pub fn kpi_json(&self, period: &str, as_of: &str) -> serde_json::Value {
        let out = self.run(&[
            "kpi", "--period", period, "--as-of", as_of, "--format", "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// `opsite email weekly --period 2026-W47 --as-of 2026-11-22T09:00` and `extra`: the mail
    /// of the week the fixtures' data ends in.
    pub fn weekly_mail(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "email",
            "weekly",
            "--period",
            "2026-W47",
            "--as-of",
            "2026-11-22T09:00",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Run the real binary in `dir` (relative to the site), without `--root`.
    pub fn run_in(&self, dir: &str, args: &[&str]) -> Output {
        run_in(&self.root().join(dir), args)
    }
}

/// Run the real binary in `dir`, without `--root`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsite"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run opsite")
}

pub fn write(root: &Path, path: &str, text: &str) {
    let p: PathBuf = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The text of one output file of an in-process build.
pub fn file<'a>(r: &'a BuildResult, path: &str) -> &'a str {
    std::str::from_utf8(file_bytes(r, path)).unwrap()
}

/// The bytes of one generated output file of an in-process build.
pub fn file_bytes<'a>(r: &'a BuildResult, path: &str) -> &'a [u8] {
    let f = r.files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        let all: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
        panic!("no output {path}; have {all:?}")
    });
    match &f.content {
        output::OutputContent::Bytes(b) => b,
        _ => panic!("{path} is a copied asset"),
    }
}

pub fn has_file(r: &BuildResult, path: &str) -> bool {
    r.files.iter().any(|f| f.path == path)
}

/// Every diagnostic as its display line.
pub fn messages(r: &BuildResult) -> Vec<String> {
    r.diagnostics
        .clone()
        .into_sorted()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// A file's text, or a panic naming the file.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Everything a run printed, stdout then stderr.
pub fn said(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
