//! Hostile templates and content: nesting, cycles, runaway loops, odd line ends and YAML.

use std::time::{Duration, Instant};

use crate::serve::{preview_site, Preview};
use crate::support::{messages, stderr, TestSite};

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
    assert!(
        !out.contains("draft: true"),
        "front matter was published as text"
    );

    let r = site.build_with(true, false);
    let page = crate::support::file(&r, "plan/index.html");
    assert!(
        page.contains("<title>secret plan"),
        "the title is read: {page}"
    );
    assert!(!page.contains("draft: true"));
}

#[test]
fn errors_in_a_lone_cr_file_are_at_the_line_an_editor_shows() {
    let site = TestSite::new(&[("content/a.md", "---\rtitle: x\r\nweight: high\r---\rbody\r")]);
    let r = site.build();
    let msgs = messages(&r);
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("content/a.md:3:9: error: front matter: weight")),
        "{msgs:?}"
    );
}

/// `opsite build` on the site: its exit code, what it printed, and how long it took.
fn build_binary(site: &TestSite) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    let out = site.run(&["build"]);
    (out.status.code(), stderr(&out), started.elapsed())
}

#[test]
fn yaml_nested_past_64_levels_is_refused_at_once_at_the_first_level_too_deep() {
    let flow = format!("---\ntitle: x\ntags: {}\n---\nbody\n", "[".repeat(100_000));
    let block = format!(
        "---\ntitle: x\ntags:\n{}x\n---\nbody\n",
        "- ".repeat(100_000)
    );
    let site = TestSite::new(&[("content/flow.md", &flow), ("content/block.md", &block)]);
    let (code, err, took) = build_binary(&site);
    assert_eq!(code, Some(1), "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // The top-level map is level 1: the 64th bracket (column 6 + 64) is level 65.
    assert!(
        err.contains("content/flow.md:3:70: error: front matter: lists and maps nested deeper than 64 levels"),
        "{err}"
    );
    // Block lists count too: the 64th `- ` on the line.
    assert!(
        err.contains("content/block.md:4:127: error: front matter: lists and maps nested deeper than 64 levels"),
        "{err}"
    );

    let config = format!("title: x\nparams: {}\n", "{a: ".repeat(100_000));
    let site = TestSite::new(&[("site.yaml", &config)]);
    let (code, err, took) = build_binary(&site);
    assert_eq!(code, Some(1), "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        err.contains("site.yaml:2:261: error: lists and maps nested deeper than 64 levels"),
        "{err}"
    );
}

#[test]
fn yaml_as_deep_as_the_limit_still_builds() {
    let tags = format!("{}x{}", "[".repeat(63), "]".repeat(63));
    let page = format!("---\ntitle: deep but fine\ndeep: {tags}\n---\nbody\n");
    let site = TestSite::new(&[("content/a.md", &page)]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
}

/// A page whose body nests `depth` paired `name` shortcodes, one opening call per line from line 4.
fn nested_shortcodes(name: &str, depth: usize) -> String {
    format!(
        "---\ntitle: deep\n---\n{}inner text\n{}",
        format!("{{{{< {name} >}}}}\n").repeat(depth),
        format!("{{{{< /{name} >}}}}\n").repeat(depth)
    )
}

#[test]
fn shortcodes_nested_past_100_levels_are_a_located_error_not_a_crash() {
    let site = TestSite::new(&[
        ("content/notes.md", &nested_shortcodes("note", 5_000)),
        ("content/details.md", &nested_shortcodes("details", 10_000)),
    ]);
    let (code, err, _) = build_binary(&site);
    assert_eq!(code, Some(1), "not a crash: {err}");
    // The 101st opening call, on line 4 + 100.
    for file in ["notes", "details"] {
        let want = format!(
            "content/{file}.md:104: error: shortcodes nested deeper than 100 levels (the limit)"
        );
        assert!(err.contains(&want), "{want} in {err}");
    }
    assert!(!site.root().join("output").exists(), "nothing published");
}

#[test]
fn shortcodes_and_markdown_as_deep_as_allowed_still_build() {
    let quotes = format!("{}deep quote\n", ">".repeat(100_000));
    let lists = format!("{}item\n", "- ".repeat(100_000));
    let site = TestSite::new(&[
        ("content/details.md", &nested_shortcodes("details", 100)),
        ("content/quotes.md", &quotes),
        ("content/lists.md", &lists),
    ]);
    let (code, err, _) = build_binary(&site);
    assert_eq!(code, Some(0), "{err}");
    let page = std::fs::read_to_string(site.root().join("output/details/index.html")).unwrap();
    assert_eq!(page.matches("<details").count(), 100);
    assert!(page.contains("inner text"));
}

#[test]
fn template_cycles_are_errors_naming_the_files_in_the_cycle() {
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        // A site template meant to extend the theme's file of the same name.
        (
            "templates/base.html",
            "{% extends \"base.html\" %}\n{% block main %}{% endblock %}",
        ),
        ("templates/a.html", "<p>{% include \"b.html\" %}</p>"),
        ("templates/b.html", "{% include \"a.html\" %}"),
        ("templates/m.html", "{% import \"n.html\" as n %}"),
        ("templates/n.html", "{% import \"m.html\" as m %}"),
    ]);
    let (code, err, took) = build_binary(&site);
    assert_eq!(code, Some(1), "not a crash: {err}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    for want in [
        "templates/base.html:1:12: error: template cycle: templates/base.html extends templates/base.html; a site or theme template replaces the one of the same name",
        "templates/a.html:1:15: error: template cycle: templates/a.html includes templates/b.html, which includes templates/a.html",
        "templates/m.html:1:11: error: template cycle: templates/m.html imports macros from templates/n.html, which imports macros from templates/m.html",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
}

#[test]
fn runaway_templates_are_located_errors_within_bounds() {
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        (
            "content/recursion.md",
            "---\ntitle: R\nlayout: recursion\n---\n",
        ),
        ("content/range.md", "---\ntitle: L\nlayout: range\n---\n"),
        (
            "content/output.md",
            &format!(
                "---\ntitle: O\nlayout: output\n---\n{}\n",
                "words ".repeat(40)
            ),
        ),
        (
            "templates/recursion.html",
            "{% macro down(n) %}{{ self::down(n=n+1) }}{% endmacro down %}{{ self::down(n=0) }}",
        ),
        (
            "templates/range.html",
            "{% for i in range(end=100000000) %}x{% endfor %}",
        ),
        (
            "templates/output.html",
            "{% for i in range(end=1000000) %}{{ page.content | safe }}{% endfor %}",
        ),
    ]);
    let (code, err, took) = build_binary(&site);
    assert_eq!(code, Some(1), "not a crash: {err}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    for want in [
        "content/recursion.md: error: template recursion.html: macro `down` (templates/recursion.html:1) runs more than 100 macro calls deep (the limit)",
        "content/range.md: error: template range.html: range(start=0, end=100000000, step_by=1) would make this render loop over more than 1000000 numbers from `range` (the limit of one render)",
        "content/output.md: error: template output.html: the output of output.html grew past 100 MB, the limit of one rendered template",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
}

#[test]
fn the_preview_survives_saves_of_deep_shortcodes_and_a_self_extending_template() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let mut events = p.events();

    site.write("content/sop/deep.md", &nested_shortcodes("details", 10_000));
    let data = events
        .until("failed", Duration::from_secs(10))
        .expect("a failed rebuild, not a dead server");
    assert!(data.contains("content/sop/deep.md:104"), "{data}");
    let page = p.get("/portal/sop/daily/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("監視画面を開く"), "the last good page");
    assert!(
        page.body.contains("content/sop/deep.md:104"),
        "the error shown on the page"
    );

    site.write("templates/base.html", "{% extends \"base.html\" %}\n");
    let data = events
        .until("failed", Duration::from_secs(10))
        .expect("a failed rebuild, not a dead server");
    assert!(data.contains("templates/base.html:1:12"), "{data}");
    let page = p.get("/portal/sop/daily/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("template cycle"),
        "the error shown on the page"
    );
    let err = p.stderr_with("template cycle");
    assert!(
        err.contains("templates/base.html:1:12: error: template cycle"),
        "{err}"
    );
}

/// Front matter written carelessly or to slip past: a blank line or spaces before `---`, a
/// comment after it, merge keys, keys in another case, a full-width colon, a two-digit year.
/// A draft or embargoed page is never published, nor its fields shown as text.
#[test]
fn front_matter_written_carelessly_never_publishes_a_draft() {
    let secret = "機密の本文";
    let pages = [
        (
            "blank-first",
            format!("\n---\ntitle: S\ndraft: true\n---\n{secret}\n"),
        ),
        (
            "spaces-first",
            format!("  ---\ntitle: S\ndraft: true\n---\n{secret}\n"),
        ),
        (
            "crlf-first",
            format!("\r\n---\r\ntitle: S\r\ndraft: true\r\n---\r\n{secret}\r\n"),
        ),
        (
            "toml-blank-first",
            format!("\n+++\ntitle = \"S\"\ndraft = true\n+++\n{secret}\n"),
        ),
        (
            "comment-fence",
            format!("--- # meta\ntitle: S\ndraft: true\n---\n{secret}\n"),
        ),
        (
            "merge",
            format!("---\n<<: {{title: S, draft: true}}\n---\n{secret}\n"),
        ),
        (
            "anchor-merge",
            format!("---\nbase: &b {{draft: true}}\n<<: *b\n---\n{secret}\n"),
        ),
        (
            "case",
            format!("---\ndraft: false\nDraft: true\n---\n{secret}\n"),
        ),
        (
            "year-30",
            format!("---\npublishDate: Tue, 01 Jan 30 09:00:00 +0900\n---\n{secret}\n"),
        ),
    ];
    let mut files: Vec<(String, String)> = (pages.iter())
        .map(|(name, text)| (format!("content/docs/{name}.md"), text.clone()))
        .collect();
    files.push((
        "content/docs/ok.md".into(),
        "---\ntitle: OK\n---\n公開\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TestSite::new(&refs);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let out = all_output(&r);
    assert!(out.contains("公開"), "the plain page is published");
    assert!(
        !out.contains(secret),
        "a draft or embargoed body was published"
    );
    assert!(!out.contains("draft: true") && !out.contains("draft = true"));
    assert!(
        messages(&r).iter().any(|m| m.starts_with(
            "content/docs/case.md:3:1: warning: front matter: `draft` is given more than once"
        )),
        "{:?}",
        messages(&r)
    );

    // Mistyped fields stay errors: a full-width colon, a broken flow map, TOML keys in two cases.
    for (name, text) in [
        ("fullwidth", "---\ndraft： true\n---\n本文\n"),
        ("flow", "---\n{draft: true\n---\n本文\n"),
        ("toml-case", "+++\ndraft = false\nDraft = true\n+++\n本文\n"),
    ] {
        let site = TestSite::new(&[(&format!("content/docs/{name}.md") as &str, text)]);
        let r = site.build();
        let m = messages(&r);
        assert!(
            m.iter()
                .any(|l| l.starts_with(&format!("content/docs/{name}.md:"))
                    && l.contains(": error: front matter")),
            "{name}: {m:?}"
        );
    }
}

#[test]
fn twenty_thousand_repeats_of_a_key_build_at_once_with_one_warning() {
    let mut text = String::from("---\ntitle: T\n");
    for i in 0..20_000 {
        text.push_str(if i % 2 == 0 {
            "draft: true\n"
        } else {
            "draft: false\n"
        });
    }
    text.push_str("---\n本文\n");
    let site = TestSite::new(&[("content/docs/many.md", &text)]);
    let (code, err, took) = build_binary(&site);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err.matches("`draft` is given more than once").count(),
        1,
        "{err}"
    );
    // Quadratic work took 40 s here; a bound far above a linear read.
    assert!(took < Duration::from_secs(20), "{took:?}");
}

/// What includes (`markdown.includes`) may not do, found by a hostile trial: write one report's
/// or customer's own text (commentary) into another page (an error: it would reach another
/// audience), read hidden files, carry control characters into the HTML, grow a page without
/// bound, or take time in the square of its marks.
#[test]
fn includes_never_carry_own_text_hidden_files_or_control_characters() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: Ops\nmarkdown:\n  includes:\n    markdown_include: {}\n",
        ),
        (
            "content/reports/monthly/2026-10/northwind.md",
            "Northwind only.\n",
        ),
        ("content/.private/notes.md", "secret notes\n"),
        ("content/ctl.txt", "nul\u{0}byte \u{1b}[31m esc\n"),
        (
            "content/page.md",
            "---\ntitle: P\n---\n\n{!content/ctl.txt!}\n\n{!content/.private/notes.md!}\n",
        ),
    ]);
    let said = stderr(&site.run(&["build"]));
    let page = std::fs::read_to_string(site.root().join("output/page/index.html")).unwrap();
    assert!(
        !page.contains('\u{0}') && !page.contains('\u{1b}'),
        "{page:?}"
    );
    assert!(page.contains("nul\u{fffd}byte"), "{page:?}");
    assert!(!page.contains("secret notes"), "{page}");
    assert!(said.contains("content/page.md:7: warning: include `content/.private/notes.md`: content/.private/notes.md is hidden"), "{said}");

    site.write(
        "content/page.md",
        "---\ntitle: P\n---\n\n{!content/reports/monthly/2026-10/northwind.md!}\n",
    );
    let o = site.run(&["build"]);
    assert!(!o.status.success(), "own text included: {}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "content/page.md:5: error: include `content/reports/monthly/2026-10/northwind.md`"
        ),
        "{}",
        stderr(&o)
    );

    // 20,000 marks of a small file: linear, and the page stays bounded.
    site.write("content/one.txt", "x\n");
    let marks = "{!content/one.txt!}\n".repeat(20_000);
    site.write("content/page.md", &format!("---\ntitle: P\n---\n\n{marks}"));
    let start = Instant::now();
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let big = "y".repeat(1_000_000) + "\n";
    site.write("content/big.txt", &big);
    site.write(
        "content/page.md",
        &format!(
            "---\ntitle: P\n---\n\n{}",
            "{!content/big.txt!}\n\n".repeat(40)
        ),
    );
    let o = site.run(&["build"]);
    assert!(
        stderr(&o).contains("includes would make this page larger than 16 MB"),
        "{}",
        stderr(&o)
    );
}

/// A MkDocs tree shows front matter that does not parse as text, but one that names `draft:`
/// is not published on a guess; `taxonomy_lists: false` leaves the list pages out of the
/// sitemap too.
#[test]
fn unreadable_front_matter_naming_draft_is_not_published_and_no_sitemap_names_a_missing_list() {
    let site = TestSite::foreign_fixture_from(&[
        ("mkdocs.yml", "site_name: Ops\n"),
        ("docs/index.md", "# Home\n"),
        (
            "docs/draft.md",
            "---\ndraft: true\ntitle: a: b: [\n---\n\nSecret plan.\n",
        ),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.root().join("output/draft").exists());
    assert!(
        stderr(&o).contains("not published: the block names `draft:`"),
        "{}",
        stderr(&o)
    );

    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: Ops\nbase_url: https://ops.example.jp/\ntaxonomy_lists: false\n",
        ),
        ("content/a.md", "---\ntitle: A\ntags: [disk]\n---\n\nA.\n"),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sitemap = std::fs::read_to_string(site.root().join("output/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("/tags/disk/") && !sitemap.contains("/tags/</loc>"),
        "{sitemap}"
    );
}

/// A section's own page marked `draft: true` beside other pages of the section: its text was
/// published at the section's address (found by a hostile trial); the section keeps a page made
/// from its folder, and `--drafts` shows the draft.
#[test]
fn a_draft_section_page_is_not_published_beside_its_sections_pages() {
    let site = TestSite::new(&[
        ("site.yaml", "title: Ops\n"),
        (
            "content/sec/_index.md",
            "---\ntitle: Secret section\ndraft: true\n---\n\nDRAFT BODY\n",
        ),
        ("content/sec/c.md", "---\ntitle: C\n---\n\nC.\n"),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.root().join("output");
    let section = std::fs::read_to_string(out.join("sec/index.html")).unwrap();
    assert!(
        !section.contains("DRAFT BODY") && !section.contains("Secret section"),
        "{section}"
    );
    assert!(
        section.contains("/sec/c/"),
        "the section still lists its pages: {section}"
    );
    let o = site.run(&["build", "--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(out.join("sec/index.html"))
        .unwrap()
        .contains("DRAFT BODY"));
}
