//! Hostile templates and content: nesting, cycles, runaway loops, odd line ends and YAML.

use crate::support::{messages, TestSite};

/// Every output file's bytes, as text.
fn all_output(r: &opsite::site::BuildResult) -> String {
    r.files
        .iter()
        .filter_map(|f| match &f.content {
            opsite::site::output::OutputContent::Bytes(b) => Some(String::from_utf8_lossy(b)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_lone_cr_file_is_read_with_its_front_matter_and_a_draft_stays_unpublished() {
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/plan.md",
            "---\rtitle: secret plan\rdraft: true\r---\rThe body of the secret plan.\r",
        ),
    ]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let out = all_output(&r);
    assert!(!out.contains("secret plan"), "a draft was published");
    assert!(!out.contains("draft: true"), "front matter was published as text");

    let r = site.build_with(true, false);
    let page = crate::support::file(&r, "plan/index.html");
    assert!(page.contains("<title>secret plan"), "the title is read: {page}");
    assert!(!page.contains("draft: true"));
}

#[test]
fn errors_in_a_lone_cr_file_are_at_the_line_an_editor_shows() {
    let site = TestSite::new(&[(
        "content/a.md",
        "---\rtitle: x\r\nweight: high\r---\rbody\r",
    )]);
    let r = site.build();
    let msgs = messages(&r);
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("content/a.md:3:9: error: front matter: weight")),
        "{msgs:?}"
    );
}
