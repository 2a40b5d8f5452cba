//! Page bodies kept between builds (`.opsite/cache/bodies.msgpack`): an edit renders the
//! Markdown of the page edited, and whatever else a body's rendering read (another page's
//! address, a shortcode's template, a setting) renders it again, so the output is always a cold
//! build's.

use crate::rebuilds::tree;
use crate::support::{stderr, TestSite};

fn site() -> TestSite {
    TestSite::new(&[
        ("site.yaml", "title: 手順集\nlanguage: ja\n"),
        (
            "content/a.md",
            "---\ntitle: A\n---\n\n[B へ](b.md) と [C へ](c.md)\n\n```bash\nsystemctl restart app\n```\n",
        ),
        ("content/b.md", "---\ntitle: B\n---\n\nB の本文。\n"),
        (
            "content/c.md",
            "---\ntitle: C\n---\n\n{{< owner >}}\n\nC の本文。\n",
        ),
        ("templates/shortcodes/owner.html", "<p>担当: 運用一課</p>"),
    ])
}

/// Builds, and returns how many bodies were taken as kept.
fn build(site: &TestSite) -> usize {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .current_dir(site.root())
        .arg("build")
        .env("OPSITE_TIMINGS", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let line = (err.lines())
        .find_map(|l| l.strip_prefix("bodies as kept"))
        .unwrap_or_else(|| panic!("{err}"));
    line.trim().parse().unwrap()
}

/// What a cold build of a copy of the site's sources writes.
fn cold(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(site.root()).into_iter().flatten() {
        let rel = e.path().strip_prefix(site.root()).unwrap();
        if rel.starts_with("output") || rel.starts_with(".opsite") {
            continue;
        }
        if e.file_type().is_dir() {
            std::fs::create_dir_all(copy.path().join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), copy.path().join(rel)).unwrap();
        }
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .current_dir(copy.path())
        .arg("build")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    tree(&copy.path().join("output"))
}

fn page(site: &TestSite, path: &str) -> String {
    std::fs::read_to_string(site.root().join("output").join(path)).unwrap()
}

fn same_as_cold(site: &TestSite) {
    assert!(
        tree(&site.root().join("output")) == cold(site),
        "the rebuild differs from a cold build"
    );
}

#[test]
fn an_edited_body_is_rendered_again_and_the_others_are_taken_as_kept() {
    let site = site();
    // The home page, the section and the pages; C calls a shortcode and is never kept.
    let first = build(&site);
    assert_eq!(first, 0);
    site.write("content/b.md", "---\ntitle: B\n---\n\nB の本文に追記。\n");
    let kept = build(&site);
    assert!(kept >= 1, "A is kept: {kept}");
    assert!(page(&site, "b/index.html").contains("B の本文に追記。"));
    same_as_cold(&site);
    // Nothing kept is lost when the next edit is elsewhere.
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n\n[B へ](b.md) だけ。\n",
    );
    assert_eq!(build(&site), kept);
    same_as_cold(&site);
}

#[test]
fn a_body_whose_shortcode_template_changed_shows_the_new_template() {
    let site = site();
    build(&site);
    site.write("templates/shortcodes/owner.html", "<p>担当: 運用二課</p>");
    build(&site);
    let c = page(&site, "c/index.html");
    assert!(c.contains("運用二課") && !c.contains("運用一課"), "{c}");
    same_as_cold(&site);
}

#[test]
fn a_link_to_a_page_moved_away_is_reported_though_the_linking_page_did_not_change() {
    let site = site();
    build(&site);
    std::fs::rename(
        site.root().join("content/b.md"),
        site.root().join("content/b2.md"),
    )
    .unwrap();
    let o = site.run(&["build"]);
    let err = stderr(&o);
    assert!(err.contains("content/a.md:5"), "{err}");
    assert!(err.contains("b.md"), "{err}");
    // Put back, the link resolves again, and the bodies are those of a cold build.
    std::fs::rename(
        site.root().join("content/b2.md"),
        site.root().join("content/b.md"),
    )
    .unwrap();
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    same_as_cold(&site);
}

#[test]
fn a_changed_setting_renders_every_body_again() {
    let site = site();
    build(&site);
    site.write(
        "site.yaml",
        "title: 手順集\nlanguage: ja\nmarkdown: {highlight: false}\n",
    );
    assert_eq!(build(&site), 0);
    same_as_cold(&site);
}

#[test]
fn a_damaged_record_is_rendered_again_and_the_file_written_whole() {
    let site = site();
    build(&site);
    site.write("content/b.md", "---\ntitle: B\n---\n\n別の本文。\n");
    // Every body kept but B's, which is appended last.
    let all = build(&site) + 1;
    let path = site.root().join(".opsite/cache/bodies.bin");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() - 3;
    bytes[at] ^= 0x20;
    std::fs::write(&path, &bytes).unwrap();
    // C (never kept: it calls a shortcode) edited, so that the build runs.
    let edit_c = |n: usize| {
        site.write(
            "content/c.md",
            &format!("---\ntitle: C\n---\n\n{{{{< owner >}}}}\n\nC の本文 {n}。\n"),
        )
    };
    edit_c(1);
    assert_eq!(
        build(&site),
        all - 1,
        "B's damaged record is rendered again"
    );
    same_as_cold(&site);
    // Written whole again: every body is taken.
    edit_c(2);
    assert_eq!(build(&site), all);
    // A file cut short is a cold start for the records cut, never an error.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    edit_c(3);
    assert!(build(&site) < all);
    same_as_cold(&site);
    // `--no-cache` takes nothing, and leaves a file the next build takes every body from; the
    // copy a build killed while writing the file whole left beside it goes.
    let unfinished = site
        .root()
        .join(".opsite/cache/.bodies.bin.opsite-new-4194304");
    std::fs::write(&unfinished, vec![0u8; 4096]).unwrap();
    let o = site.run(&["build", "--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!unfinished.exists(), "a half-written copy is removed");
    edit_c(4);
    assert_eq!(build(&site), all);
}

#[test]
fn the_kept_file_is_not_read_or_written_through_a_link() {
    let site = site();
    build(&site);
    let elsewhere = tempfile::tempdir().unwrap();
    let cache = site.root().join(".opsite/cache");
    std::fs::rename(&cache, elsewhere.path().join("cache")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("cache"), &cache).unwrap();
    let before = std::fs::read(elsewhere.path().join("cache/bodies.bin")).unwrap();
    site.write("content/b.md", "---\ntitle: B\n---\n\nリンク越し。\n");
    assert_eq!(build(&site), 0, "nothing read through the link");
    assert_eq!(
        std::fs::read(elsewhere.path().join("cache/bodies.bin")).unwrap(),
        before,
        "nothing written where the link leads"
    );
}
