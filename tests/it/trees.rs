//! Real documentation trees build as they are: Hugo's section and bundle rules, MkDocs/GitLab
//! folder pages and admonitions, relative aliases, refs in Hugo's order, natural order, and
//! Docsy's navigation switches for large sections.

use crate::support::{file, has_file, messages, TestSite};

fn section_dirs(r: &opsite::site::BuildResult) -> Vec<String> {
    r.library
        .sections
        .iter()
        .map(|s| s.dir.display().to_string())
        .collect()
}

fn section_of(r: &opsite::site::BuildResult, source: &str) -> String {
    let p = r
        .library
        .pages
        .iter()
        .find(|p| p.source.to_str() == Some(source))
        .unwrap_or_else(|| panic!("no page {source}"));
    r.library.sections[p.section].dir.display().to_string()
}

#[test]
fn hugo_sections_a_page_beside_a_plain_folder_and_leaf_bundles() {
    let site = TestSite::fixture("hugo-tree");
    let r = site.build_with(false, true);
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    // Top-level folders and folders with _index.md are sections; others only group files.
    assert_eq!(section_dirs(&r), vec!["", "blog", "docs", "docs/tasks"]);
    assert_eq!(section_of(&r, "content/docs/autoscaling.md"), "docs");
    assert_eq!(section_of(&r, "content/docs/autoscaling/tuning.md"), "docs");
    assert_eq!(
        section_of(&r, "content/docs/languages/go/instrumentation.md"),
        "docs"
    );
    // URLs still follow the folders.
    assert!(has_file(&r, "docs/autoscaling/index.html"));
    assert!(has_file(&r, "docs/autoscaling/tuning/index.html"));
    assert!(has_file(&r, "docs/languages/go/instrumentation/index.html"));
    assert!(
        has_file(&r, "docs/autoscaling/curve.svg"),
        "a plain folder's files keep their place"
    );
    let auto = file(&r, "docs/autoscaling/index.html");
    assert!(
        auto.contains(r#"<a href="/docs/autoscaling/tuning/">the tuning page</a>"#),
        "{auto}"
    );
    assert!(
        auto.contains(r#"<img src="/docs/autoscaling/curve.svg""#),
        "{auto}"
    );
    // A leaf bundle's files go beside its page, subfolders kept.
    assert!(has_file(&r, "blog/launch/images/team.svg"));
    assert!(file(&r, "blog/launch/index.html").contains(r#"src="/blog/launch/images/team.svg""#));
}

#[test]
fn relative_aliases_follow_hugo_and_a_page_wins_over_an_alias() {
    let site = TestSite::fixture("hugo-tree");
    let r = site.build();
    let manual = file(&r, "docs/languages/go/manual/index.html");
    assert!(
        manual.contains("url=/docs/languages/go/instrumentation/"),
        "{manual}"
    );
    assert!(
        has_file(&r, "docs/go-old/index.html"),
        "a leading / starts from the site root"
    );
    let beds = file(&r, "docs/tasks/beds/index.html");
    assert!(
        beds.contains("Make the beds") && !beds.contains("http-equiv"),
        "the page wins"
    );
    let m = messages(&r);
    assert!(
        m.iter().any(|l| l == "content/docs/languages/go/instrumentation.md:3: warning: alias `../../tasks/beds` (/docs/tasks/beds/) is not written: that is the address of content/docs/tasks/beds.md, which wins"),
        "{m:?}"
    );
}

#[test]
fn refs_resolve_relative_to_the_page_first_then_from_content() {
    let site = TestSite::fixture("hugo-tree");
    site.write("content/beds.md", "---\ntitle: Top-level beds\n---\n");
    site.write(
        "content/docs/tasks/refs.md",
        "---\ntitle: Refs\n---\n[a]({{< ref \"beds\" >}}) [b]({{< ref \"/beds\" >}}) [c]({{< relref \"../autoscaling.md#top\" >}}) [d]({{< ref \"docs/tasks\" >}}) [e]({{< ref \"#here\" >}})\n\n{{< ref \"nothing-here\" >}}\n",
    );
    let r = site.build();
    let html = file(&r, "docs/tasks/refs/index.html");
    assert!(
        html.contains(r#"<a href="/docs/tasks/beds/">a</a>"#),
        "relative first: {html}"
    );
    assert!(html.contains(r#"<a href="/beds/">b</a>"#), "{html}");
    assert!(
        html.contains(r#"<a href="/docs/autoscaling/#top">c</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/docs/tasks/">d</a>"#),
        "a section by its folder: {html}"
    );
    assert!(
        html.contains(r#"<a href="/docs/tasks/refs/#here">e</a>"#),
        "{html}"
    );
    let m = messages(&r);
    assert!(
        m.iter()
            .any(|l| l == "content/docs/tasks/refs.md:6: error: ref: no page at `nothing-here`"),
        "{m:?}"
    );
    // The fixture's own refs: relative (`../../tasks`) and from the root.
    let go = file(&r, "docs/languages/go/instrumentation/index.html");
    assert!(go.contains(r#"<a href="/docs/tasks/">tasks</a>"#), "{go}");
    assert!(
        go.contains(r#"<a href="/docs/autoscaling/">autoscaling</a>"#),
        "{go}"
    );
}

#[test]
fn titles_sort_in_natural_order() {
    let site = TestSite::fixture("hugo-tree");
    let r = site.build();
    let tasks = file(&r, "docs/tasks/index.html");
    let (two, ten) = (tasks.find("手順2").unwrap(), tasks.find("手順10").unwrap());
    assert!(two < ten, "手順2 before 手順10");
}

#[test]
fn mkdocs_and_gitlab_folder_pages_readmes_and_home() {
    let site = TestSite::fixture("mkdocs-tree");
    let r = site.build_with(false, true);
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert_eq!(section_dirs(&r), vec!["", "guides", "runbooks"]);
    // content/index.md is the home page; README.md stands for its top-level section.
    assert!(file(&r, "index.html").contains(">障害対応ドキュメント</h1>"));
    assert!(file(&r, "runbooks/index.html").contains(">ランブック</h1>"));
    assert!(file(&r, "guides/index.html").contains(">ガイド</h1>"));
    // Below the top, README.md / index.md is the folder's page and its siblings are pages.
    assert!(file(&r, "runbooks/database/index.html").contains(">データベース</h1>"));
    assert!(file(&r, "guides/oncall/index.html").contains(">オンコール</h1>"));
    assert!(has_file(&r, "guides/oncall/rotation/index.html"));
    assert_eq!(
        section_of(&r, "content/runbooks/database/failover.md"),
        "runbooks"
    );
    // Links between the files become the pages' addresses.
    assert!(file(&r, "index.html").contains(r#"<a href="/runbooks/">ランブック</a>"#));
    assert!(file(&r, "runbooks/database/index.html")
        .contains(r#"<a href="/runbooks/database/failover/">フェイルオーバー</a>"#));
    // An image named relative to the Markdown file (as GitHub and MkDocs read it).
    let failover = file(&r, "runbooks/database/failover/index.html");
    assert!(
        failover.contains(r#"<img src="/runbooks/database/img/diagram.svg""#),
        "{failover}"
    );
    // GitLab style: the title heading below a generated comment and a [[_TOC_]] marker is the
    // title (shown once), links to it work, and the marker and attribute lists do not show.
    let patroni = file(&r, "runbooks/patroni/index.html");
    assert!(
        patroni.contains(r#"<h1 id="patroni-service" tabindex="-1">Patroni Service</h1>"#),
        "{patroni}"
    );
    assert_eq!(
        patroni.matches("Patroni Service</h1>").count(),
        1,
        "{patroni}"
    );
    assert!(
        !patroni.contains("_TOC_") && !patroni.contains("{:"),
        "{patroni}"
    );
    assert!(
        patroni.contains(r#"<a href="/runbooks/database/failover/">Failover</a>"#),
        "{patroni}"
    );
    // A page without a heading is titled by its file name, made readable as MkDocs does.
    assert!(file(&r, "runbooks/call_etiquette/index.html").contains(">Call etiquette</h1>"));
    // A top-level folder with only index.md is a leaf bundle, not a section.
    assert!(has_file(&r, "about/team.svg"));
    assert!(file(&r, "about/index.html").contains(r#"src="/about/team.svg""#));
}

#[test]
fn mkdocs_admonitions_are_callouts_and_collapsible_ones_details() {
    let site = TestSite::fixture("mkdocs-tree");
    let html = file(&site.build(), "runbooks/database/failover/index.html").to_string();
    assert!(html.contains(r#"<div class="callout callout-warning" role="note"><p class="callout-title">本番環境</p>"#), "{html}");
    assert!(html.contains("<strong>必ず</strong>"));
    assert!(
        html.contains(r#"data-lang="bash""#),
        "code inside an admonition is highlighted"
    );
    assert!(html.contains(r#"<details class="callout callout-tip"><summary class="callout-title">ヒント</summary>"#), "{html}");
    assert!(html.contains(r#"<details class="callout callout-note" open><summary class="callout-title">補足</summary>"#), "{html}");
    assert!(html.contains("<p>通常の段落。</p>"));
}

fn big_section(pages: usize, params: &str) -> TestSite {
    let mut files: Vec<(String, String)> = vec![
        ("site.yaml".into(), format!("title: big\n{params}")),
        (
            "content/ops/_index.md".into(),
            "---\ntitle: 運用\n---\n".into(),
        ),
        (
            "content/ops/sub/_index.md".into(),
            "---\ntitle: 下位\n---\n".into(),
        ),
        (
            "content/ops/sub/deep.md".into(),
            "---\ntitle: 深いページ\n---\n".into(),
        ),
    ];
    for i in 1..=pages {
        files.push((
            format!("content/ops/p{i:03}.md"),
            format!("---\ntitle: 手順{i}\n---\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    TestSite::new(&refs)
}

fn nav_of(html: &str) -> &str {
    let start = html.find(r#"<nav class="nav-tree""#).unwrap();
    let end = start + html[start..].find("</nav>").unwrap();
    &html[start..end]
}

#[test]
fn large_sections_are_cut_in_the_navigation_with_a_link_to_the_section() {
    let site = big_section(130, "");
    let r = site.build();
    let first = file(&r, "ops/p001/index.html");
    let nav = nav_of(first);
    assert_eq!(
        nav.matches("<li><a href=\"/ops/p").count(),
        100,
        "default cut: 100 pages"
    );
    assert!(
        nav.contains(r#"<li class="nav-more"><a href="/ops/">ほか 30 ページ</a></li>"#),
        "{nav}"
    );
    // A page that was cut is put back, marked as the current one.
    let late = file(&r, "ops/p125/index.html");
    assert!(
        nav_of(late).contains(r#"<li><a href="/ops/p125/" aria-current="page">手順125</a></li>"#),
        "{}",
        nav_of(late)
    );
    let site = big_section(30, "params:\n  ui: {sidebar_menu_truncate: 10}\n");
    let nav = nav_of(file(&site.build(), "ops/p001/index.html")).to_string();
    assert_eq!(nav.matches("<li><a href=\"/ops/p").count(), 10);
    assert!(nav.contains("ほか 20 ページ"));
}

/// A site's own navigation template is given the page being shown as typed flags, including a
/// page put back into a cut list, and marks it however it likes.
#[test]
fn a_sites_own_navigation_template_marks_the_current_page_from_flags() {
    let site = big_section(130, "");
    site.write(
        "templates/partials/nav.html",
        "<nav class=\"nav-tree\"><a href=\"{{ home }}\"{% if home_current %} class=\"here\"{% endif %}>H</a>\
         {% for n in tree %}{% for c in n.children %}\
         <a href=\"{{ c.url }}\"{% if c.current %} class=\"here\"{% endif %}>{{ c.title }}</a>\
         {% endfor %}{% endfor %}</nav>",
    );
    let r = site.build();
    for (page, marked) in [
        ("index.html", r#"<a href="/" class="here">H</a>"#),
        (
            "ops/p001/index.html",
            r#"<a href="/ops/p001/" class="here">手順1</a>"#,
        ),
        (
            "ops/p125/index.html",
            r#"<a href="/ops/p125/" class="here">手順125</a>"#,
        ),
    ] {
        let nav = nav_of(file(&r, page));
        assert!(nav.contains(marked), "{page}: {nav}");
        assert_eq!(nav.matches("class=\"here\"").count(), 1, "{page}: {nav}");
    }
}

#[test]
fn compact_navigation_only_opens_the_current_path() {
    let open = big_section(3, "");
    let nav = nav_of(file(&open.build(), "ops/index.html")).to_string();
    assert!(
        nav.contains("深いページ"),
        "a section page shows the tree below it: {nav}"
    );
    let compact = big_section(3, "params:\n  ui: {sidebar_menu_compact: true}\n");
    let r = compact.build();
    let nav = nav_of(file(&r, "ops/index.html")).to_string();
    assert!(
        !nav.contains("深いページ"),
        "compact: only the path is open: {nav}"
    );
    assert!(nav.contains("下位"));
    assert!(nav_of(file(&r, "ops/sub/deep/index.html")).contains("深いページ"));
}

/// Details Hugo and MkDocs accept, found in real trees: `_build` booleans, Go's date forms (a
/// wrong weekday too), a key given twice, aliases with dot segments, a MkDocs page opening with
/// a horizontal rule. Each builds, with a warning at its line where a person should look.
#[test]
fn what_hugo_and_mkdocs_accept_builds_with_warnings_at_the_lines() {
    let page = |front: &str| format!("---\n{front}\n---\n本文\n");
    let site = TestSite::new(&[
        (
            "content/docs/hidden.md",
            &page("title: Hidden\n_build: {render: false}"),
        ),
        (
            "content/docs/unlisted.md",
            &page("title: Unlisted\n_build: {render: true, list: false}"),
        ),
        (
            "content/docs/rfc1123.md",
            &page("title: A\ndate: Mon, 12 May 2019 09:00:00 +0000"),
        ),
        (
            "content/docs/rfc850.md",
            &page("title: B\ndate: Sunday, 12-May-19 09:00:00 UTC"),
        ),
        (
            "content/docs/go.md",
            &page("title: C\ndate: 2006-01-02 15:04:05 -0700"),
        ),
        (
            "content/docs/jst.md",
            &page("title: D\ndate: 2019-05-12 09:00:00 JST"),
        ),
        (
            "content/docs/twice.md",
            &page("title: First\nweight: 3\ntitle: Second"),
        ),
        (
            "content/docs/moved.md",
            &page("title: E\naliases: [/../katacoda/, ../../../old/]"),
        ),
        (
            "content/docs/listed.md",
            &page("title: G\naliases:\n  - /older/\n  - /docs/twice/\n  - /.git/x/"),
        ),
        (
            "content/docs/rule.md",
            "---\n\n```\nls -l\n```\n\nText after the rule.\n",
        ),
        (
            "content/docs/broken.md",
            "---\ntitle: [unclosed\n---\n本文\n",
        ),
        (
            "content/docs/case.md",
            &page("title: Lower\ndraft: false\nTitle: Upper\nDraft: true"),
        ),
        ("content/docs/unix.md", &page("title: F\ndate: 1557651600")),
        (
            "content/docs/json.md",
            "{\n  \"title\": \"From JSON\",\n  \"weight\": 2\n}\nJSON body.\n",
        ),
        (
            "content/docs/json-draft.md",
            "{ \"title\": \"Secret\", \"draft\": true }\nnot for readers\n",
        ),
        (
            "content/docs/shortcode-first.md",
            "{{< alert >}}注意{{< /alert >}}\n",
        ),
        (
            "content/docs/rule-url.md",
            "---\nhttps://example.com/manual を参照。\n---\n本文\n",
        ),
        (
            "content/docs/rule-heading.md",
            "---\n# 手順書\n\n手順の本文\n---\n後半\n",
        ),
        (
            "content/docs/rule-only-heading.md",
            "---\n# 見出しだけ\n---\n本文\n",
        ),
    ]);
    site.write("site.yaml", "shortcodes: {ignore: [alert]}\n");
    let r = site.build_with(false, false);
    let m = messages(&r);
    let has = |line: &str| m.iter().any(|l| l.starts_with(line));
    assert!(has("content/docs/rfc1123.md:3:7: warning: front matter: date: `Mon` disagrees with the date (12 May 2019 was a Sunday)"), "{m:#?}");
    assert!(has("content/docs/twice.md:4:1: warning: front matter: `title` is given more than once; the last value is used"), "{m:#?}");
    assert!(has("content/docs/rule.md:1:1: warning: the page starts with `---` but no closing `---` follows: read as content"), "{m:#?}");
    assert!(
        has("content/docs/case.md:4:1: warning: front matter: `title` is given more than once"),
        "{m:#?}"
    );
    assert!(
        has("content/docs/case.md:5:1: warning: front matter: `draft` is given more than once"),
        "{m:#?}"
    );
    assert!(has("content/docs/rule-url.md:1:1: warning: the page starts with `---` but what follows is not YAML fields"), "{m:#?}");
    assert!(has("content/docs/rule-heading.md:1:1: warning: the page starts with `---` but what follows is not YAML fields"), "{m:#?}");
    assert!(has("content/docs/rule-only-heading.md:2:1: warning: front matter: the block between the `---` lines holds only comments"), "{m:#?}");
    // Each alias of a block list is named at its own line.
    assert!(has("content/docs/listed.md:6: error: front matter: aliases: output path `.git/x/index.html` has a .git segment"), "{m:#?}");
    // A block that starts like fields but does not parse stays an error (never published).
    assert!(has("content/docs/broken.md:"), "{m:#?}");
    assert_eq!(
        m.iter().filter(|l| l.contains(": error:")).count(),
        2,
        "only the broken front matter and the .git alias are errors: {m:#?}"
    );
    let date = |source: &str| {
        let p = (r.library.pages.iter())
            .find(|p| p.source.to_str() == Some(source))
            .unwrap_or_else(|| panic!("no page {source}"));
        p.front.date.map(|d| d.to_rfc3339())
    };
    for (source, want) in [
        ("content/docs/rfc1123.md", "2019-05-12T09:00:00+00:00"),
        ("content/docs/rfc850.md", "2019-05-12T09:00:00+00:00"),
        ("content/docs/go.md", "2006-01-02T15:04:05-07:00"),
        ("content/docs/jst.md", "2019-05-12T09:00:00+09:00"),
        ("content/docs/unix.md", "2019-05-12T18:00:00+09:00"),
    ] {
        assert_eq!(date(source).as_deref(), Some(want), "{source}");
    }

    std::fs::remove_file(site.root().join("content/docs/broken.md")).unwrap();
    site.write(
        "content/docs/listed.md",
        &page("title: G\naliases:\n  - /older/\n  - /docs/twice/"),
    );
    let r = site.build_with(false, false);
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert!(
        messages(&r)
            .iter()
            .any(|l| l.starts_with("content/docs/listed.md:5: warning: alias `/docs/twice/`")),
        "{:?}",
        messages(&r)
    );
    assert!(!has_file(&r, "docs/hidden/index.html"));
    assert!(has_file(&r, "docs/unlisted/index.html"));
    assert!(!file(&r, "docs/index.html").contains("Unlisted"));
    assert!(file(&r, "docs/twice/index.html").contains("<h1>Second"));
    // Keys match case-insensitively, so the later `Draft: true` wins and the page is a draft.
    assert!(!has_file(&r, "docs/case/index.html"));
    // Hugo's JSON front matter: read as fields, never shown; a draft stays out.
    let json = file(&r, "docs/json/index.html");
    assert!(
        json.contains("<h1>From JSON")
            && json.contains("JSON body.")
            && !json.contains("\"weight\"")
    );
    assert!(!has_file(&r, "docs/json-draft/index.html"));
    assert!(file(&r, "docs/rule-url/index.html").contains("https://example.com/manual"));
    assert!(file(&r, "docs/rule-heading/index.html").contains("手順の本文"));
    assert!(has_file(&r, "docs/shortcode-first/index.html"));
    let rule = file(&r, "docs/rule/index.html");
    assert!(
        rule.contains("<hr />") && rule.contains("ls -l") && rule.contains("Text after the rule.")
    );
    // Dot segments stop at the root, as a browser resolves them.
    assert!(has_file(&r, "katacoda/index.html"));
    assert!(has_file(&r, "old/index.html"));
}
