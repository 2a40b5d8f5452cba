//! The binary: exit codes, `check` reports, `new`.

use crate::support::{stderr, stdout, TestSite};

#[test]
fn check_lists_problems_grouped_by_file_and_exits_1() {
    let site = TestSite::new(&[
        ("content/a.md", "# A\n\n[x](missing.md)\n"),
        (
            "content/b.md",
            "---\ntitle: B\nreview_by: 2020-01-01\nowner: 佐藤\n---\n",
        ),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "content/a.md\n  content/a.md:3: error: broken link `missing.md`: no such content file"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "content/b.md: warning: stale procedure: review_by 2020-01-01 has passed (owner: 佐藤)"
        ),
        "{text}"
    );

    site.write("content/a.md", "# A\n");
    assert_eq!(
        site.run(&["check"]).status.code(),
        Some(0),
        "stale pages are warnings"
    );
    assert_eq!(
        site.run(&["check", "--strict"]).status.code(),
        Some(1),
        "and errors with --strict"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .arg("build")
        .arg("--no-such-flag")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_writes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("portal");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .arg("new")
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["check", "--root"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["build", "--root"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(build.status.success());
    assert!(target.join("output/sop/daily/index.html").exists());
}

#[test]
fn output_flag_is_relative_to_the_current_directory() {
    let site = TestSite::new(&[("content/p.md", "# P\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .current_dir(elsewhere.path())
        .args(["build", "--output", "public", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(elsewhere.path().join("public/p/index.html").exists());
}
