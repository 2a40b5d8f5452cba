//! Front matter, sections, cascade, menus, taxonomies and ordering, as a user sees them in the output.

use crate::support::{file, has_file, messages, TestSite};

#[test]
fn docsy_front_matter_cascade_menu_and_folded_description() {
    let site = TestSite::fixture("docsy-like");
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let lib = &r.library;
    let page = |src: &str| {
        lib.pages
            .iter()
            .find(|p| p.source.ends_with(src))
            .unwrap_or_else(|| panic!("{src}"))
    };

    // Map-form cascade from docs/_index.md reaches grandchildren; params nest.
    assert_eq!(
        page("tasks/beds.md").front.page_type.as_deref(),
        Some("docs")
    );
    assert_eq!(page("tasks/beds.md").front.params["audience"], "operators");
    // List-form cascade with a target applies to pages but a page's own value wins.
    assert_eq!(
        page("tasks/porridge.md").front.owner.as_deref(),
        Some("task-team")
    );
    assert_eq!(
        page("tasks/beds.md").front.owner.as_deref(),
        Some("bed-team")
    );
    // …and not to the section itself (kind: page).
    assert_eq!(page("tasks/_index.md").front.owner, None);
    // Folded description.
    assert_eq!(
        page("tasks/_index.md").front.description.as_deref(),
        Some("A folded description over two lines.")
    );

    // Flow-style `menu: { main: { weight: 20 } }` shows in the header of every page.
    let html = file(&r, "docs/tasks/beds/index.html");
    assert!(
        html.contains(r#"<a href="/docs/"><span>Docs</span></a>"#),
        "{html}"
    );
}

#[test]
fn toml_front_matter_and_ordering_by_weight_then_date() {
    let site = TestSite::fixture("docsy-like");
    let r = site.build();
    let lib = &r.library;
    let tasks = lib
        .sections
        .iter()
        .find(|s| s.dir.ends_with("docs/tasks"))
        .unwrap();
    let titles: Vec<&str> = tasks
        .pages
        .iter()
        .map(|&p| lib.pages[p].title.as_str())
        .collect();
    // weight -1, then 2, then the unweighted TOML page.
    assert_eq!(titles, vec!["Porridge", "Beds", "Chairs"]);
    let html = file(&r, "docs/tasks/beds/index.html");
    assert!(html.contains(r#"class="prev" href="/docs/tasks/porridge/""#));
    assert!(html.contains(r#"class="next" href="/docs/tasks/chairs/""#));
}

#[test]
fn taxonomy_pages_keep_terms_as_written_and_skip_empty_ones() {
    let site = TestSite::new(&[
        ("content/a.md", "---\ntitle: A\ntags: [オペレーション, ITIL, \"\"]\ncategories: マネージドサービス\n---\nx\n"),
        ("content/b.md", "---\ntitle: B\ntags: [ITIL]\n---\ny\n"),
    ]);
    let r = site.build();
    assert!(has_file(&r, "tags/index.html"));
    assert!(has_file(&r, "tags/オペレーション/index.html"));
    assert!(has_file(&r, "categories/マネージドサービス/index.html"));
    let itil = file(&r, "tags/ITIL/index.html");
    assert!(itil.contains(">A</a>") && itil.contains(">B</a>"));
    let tags = &r
        .library
        .taxonomies
        .iter()
        .find(|t| t.name == "tags")
        .unwrap()
        .terms;
    assert_eq!(tags.len(), 2, "empty term ignored");
}

#[test]
fn bom_crlf_and_pages_without_front_matter() {
    let site = TestSite::new(&[
        (
            "content/crlf.md",
            "\u{feff}---\r\ntitle: 改行 CRLF\r\nweight: 1\r\n---\r\n## 見出し\r\n本文\r\n",
        ),
        ("content/plain.md", "# 最初の見出し\n\n本文だけのページ。\n"),
        ("content/bare.md", "見出しもない。\n"),
    ]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let title = |stem: &str| {
        r.library
            .pages
            .iter()
            .find(|p| p.source.ends_with(format!("{stem}.md")))
            .unwrap()
            .title
            .clone()
    };
    assert_eq!(title("crlf"), "改行 CRLF");
    assert_eq!(title("plain"), "最初の見出し");
    assert_eq!(
        title("bare"),
        "Bare",
        "a file name made readable, as MkDocs does"
    );
    let plain = file(&r, "plain/index.html");
    assert_eq!(
        plain.matches("最初の見出し</h1>").count(),
        1,
        "the heading became the title, not a second h1"
    );
    assert!(file(&r, "crlf/index.html").contains(r#"id="見出し""#));
}

#[test]
fn wrong_types_are_errors_naming_file_line_and_column() {
    let site = TestSite::new(&[(
        "content/sop/daily.md",
        "---\ntitle: 日次\nweight: high\ndate: someday\n---\nbody\n",
    )]);
    let r = site.build();
    let m = messages(&r);
    assert!(m.contains(&"content/sop/daily.md:3:9: error: front matter: weight: expected a number, found \"high\"".to_string()), "{m:?}");
    assert!(
        m.iter()
            .any(|l| l.starts_with("content/sop/daily.md:4:7: error: front matter: date:")),
        "{m:?}"
    );
}

#[test]
fn unknown_keys_are_params_and_keys_match_case_insensitively() {
    let site = TestSite::new(&[
        (
            "templates/page.html",
            "{{ page.link_title }}|{{ page.params.custom_key }}|{{ page.params.body_class }}",
        ),
        (
            "content/x.md",
            "---\ntitle: T\nLinkTitle: Short\nCustom_Key: kept\nparams: {body_class: wide}\n---\n",
        ),
    ]);
    let r = site.build();
    assert_eq!(file(&r, "x/index.html"), "Short|kept|wide");
}

#[test]
fn drafts_and_dates_are_left_out_unless_asked_for() {
    let site = TestSite::new(&[
        ("content/draft.md", "---\ntitle: D\ndraft: true\n---\n"),
        (
            "content/future.md",
            "---\ntitle: F\npublishDate: 2099-01-01\n---\n",
        ),
        (
            "content/expired.md",
            "---\ntitle: E\nexpiryDate: 2020-01-01\n---\n",
        ),
        ("content/live.md", "---\ntitle: L\n---\n"),
    ]);
    let r = site.build();
    assert!(has_file(&r, "live/index.html"));
    for gone in ["draft", "future", "expired"] {
        assert!(!has_file(&r, &format!("{gone}/index.html")), "{gone}");
    }
    let r = site.build_with(true, false);
    assert!(has_file(&r, "draft/index.html") && has_file(&r, "future/index.html"));
}

#[test]
fn slugs_urls_and_duplicate_output_paths() {
    let site = TestSite::new(&[
        ("content/a.md", "---\ntitle: A\nslug: custom-name\n---\n"),
        ("content/b.md", "---\ntitle: B\nurl: /legacy/b.html\n---\n"),
        ("content/c.md", "---\ntitle: C\nurl: /custom-name/\n---\n"),
    ]);
    let r = site.build();
    assert!(has_file(&r, "legacy/b.html"));
    let m = messages(&r);
    assert!(
        m.iter().any(|l| l.contains("custom-name/index.html")
            && l.contains("content/a.md")
            && l.contains("content/c.md")),
        "{m:?}"
    );
}

#[test]
fn menus_from_site_yaml_merge_with_front_matter_and_nest() {
    let site = TestSite::new(&[
        ("site.yaml", "menus:\n  main:\n    - {name: 外部, url: 'https://status.example.jp/', weight: 50}\n    - {name: 手順, url: /sop/, weight: 10, identifier: sop}\n"),
        ("content/sop/_index.md", "---\ntitle: 手順\n---\n"),
        ("content/sop/daily.md", "---\ntitle: 日次\nmenu:\n  main:\n    parent: sop\n    weight: 1\n---\n"),
        ("content/faq.md", "---\ntitle: FAQ\nmenu: main\nweight: 20\n---\n"),
    ]);
    let r = site.build();
    let main = &r.library.menus["main"];
    let names: Vec<&str> = main.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["手順", "FAQ", "外部"]);
    assert_eq!(main[0].children[0].name, "日次");
}

#[test]
fn a_misspelt_menu_is_an_error_another_no_template_shows_a_warning_and_one_read_neither() {
    let site = TestSite::new(&[
        ("site.yaml", "title: T\nmenus:\n  mian:\n    - {name: 手順, url: /sop/}\n  footer:\n    - {name: 規約, url: /terms/}\n"),
        ("content/_index.md", "# Home\n"),
    ]);
    let out = site.run(&["build"]);
    let said = crate::support::stderr(&out);
    assert!(
        said.contains("site.yaml:3:3: error: menus.mian: no template shows a menu named `mian`")
            && said.contains("did you mean `main`?"),
        "{said}"
    );
    assert!(
        !out.status.success(),
        "a misspelt menu stops the build: {said}"
    );
    assert!(
        said.contains("warning: menus.footer: no template shows"),
        "{said}"
    );
    // A site's own template that reads `site.menus.footer` shows it.
    site.write(
        "templates/partials/footer.html",
        "<footer>{% for m in site.menus.footer %}<a href=\"{{ m.url }}\">{{ m.name }}</a>{% endfor %}</footer>",
    );
    let said = crate::support::stderr(&site.run(&["build"]));
    assert!(said.contains("menus.mian"), "{said}");
    assert!(!said.contains("menus.footer"), "{said}");
}

#[test]
fn dates_without_offset_are_read_in_the_site_time_zone() {
    let site = TestSite::new(&[
        ("site.yaml", "timezone: Europe/Berlin\n"),
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2026-07-01\nlastmod: 2026-07-02T08:00:00Z\n---\n",
        ),
    ]);
    let r = site.build();
    let page = r
        .library
        .pages
        .iter()
        .find(|p| p.source.ends_with("a.md"))
        .unwrap();
    assert_eq!(
        page.front.date.unwrap().to_rfc3339(),
        "2026-07-01T00:00:00+02:00",
        "summer time in Berlin"
    );
    assert_eq!(
        page.front.lastmod.unwrap().to_rfc3339(),
        "2026-07-02T08:00:00+00:00",
        "an explicit offset is kept"
    );
    let bad = TestSite::new(&[
        ("site.yaml", "timezone: Mars/Olympus\n"),
        ("content/a.md", "# A\n"),
    ]);
    // Said once, at its line, before anything is built.
    let said = crate::support::stderr(&bad.run(&["build"]));
    assert!(
        said.starts_with("site.yaml:1:1: error: timezone: `Mars/Olympus` is not a known time zone"),
        "{said}"
    );
    assert_eq!(said.matches("Mars/Olympus").count(), 1, "{said}");
}

#[test]
fn hugo_build_options_and_headless_bundles_keep_pages_out_of_the_site() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        ("content/docs/_index.md", "# Docs\n"),
        ("content/docs/a.md", "# A\n"),
        (
            "content/docs/unlisted.md",
            "---\ntitle: Unlisted\nbuild: {list: never}\ntags: [x]\n---\nbody\n",
        ),
        (
            "content/docs/never.md",
            "---\ntitle: Never\n_build: {render: never}\n---\nbody\n",
        ),
        ("content/snippets/index.md", "---\nheadless: true\n---\n"),
        ("content/snippets/note.md", "shared note\n"),
        (
            "content/docs/bad.md",
            "---\nbuild: {render: sometimes}\n---\n",
        ),
    ]);
    let r = site.build();
    // Unlisted: written, but in no list, sitemap or taxonomy.
    assert!(file(&r, "docs/unlisted/index.html").contains("Unlisted"));
    let docs = file(&r, "docs/index.html");
    assert!(docs.contains("/docs/a/") && !docs.contains("/docs/unlisted/"));
    assert!(!file(&r, "sitemap.xml").contains("/docs/unlisted/"));
    assert!(!has_file(&r, "tags/x/index.html"));
    // Never rendered: no page at all, no link to it.
    assert!(!has_file(&r, "docs/never/index.html"));
    assert!(!docs.contains("/docs/never/"));
    // Headless bundle: nothing written.
    assert!(!has_file(&r, "snippets/index.html"));
    assert!(messages(&r)
        .iter()
        .any(|m| m.contains("content/docs/bad.md")
            && m.contains("render: expected always, never or link")));
}

#[test]
fn site_cascade_hides_include_folders_at_any_depth_like_hugo() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "cascade:\n  - build: {list: never, render: never}\n    target: {path: '{,/**}/_includes{,/**}'}\n  - params: {team: ops}\n",
        ),
        ("content/_index.md", "# Home\n"),
        ("content/_includes/top.md", "top snippet\n"),
        ("content/docs/_index.md", "# Docs\n"),
        ("content/docs/_includes/deep.md", "deep snippet\n"),
        ("content/docs/a.md", "---\nparams: {team: sre}\n---\n# A\n"),
        ("content/docs/b.md", "# B\n"),
    ]);
    let r = site.build();
    assert!(!has_file(&r, "_includes/index.html"));
    assert!(!has_file(&r, "_includes/top/index.html"));
    assert!(!has_file(&r, "docs/_includes/deep/index.html"));
    assert!(has_file(&r, "docs/a/index.html"));
    assert!(
        !file(&r, "index.html").contains("_includes"),
        "not in navigation"
    );
    assert!(!file(&r, "sitemap.xml").contains("_includes"));
    let team = |name: &str| {
        r.library
            .pages
            .iter()
            .find(|p| p.source.ends_with(name))
            .unwrap()
            .front
            .params["team"]
            .clone()
    };
    assert_eq!(
        team("a.md"),
        "sre",
        "a page's own value wins over the site cascade"
    );
    assert_eq!(team("b.md"), "ops");
}
