//! What lands in the output folder: atomic writes, determinism, relative URLs, aliases, feeds.

use crate::support::{file, has_file, TestSite};

pub(crate) fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("docsy-like");
    let ok = site.run(&["build"]);
    assert!(ok.status.success(), "{}", crate::support::stderr(&ok));
    let before = tree(&site.root().join("output"));
    site.write(
        "content/docs/tasks/broken.md",
        "---\ntitle: x\nweight: high\n---\n",
    );
    let failed = site.run(&["build"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(crate::support::stderr(&failed)
        .contains("content/docs/tasks/broken.md:3:9: error: front matter: weight"));
    assert_eq!(tree(&site.root().join("output")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".output"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = TestSite::fixture("docsy-like");
    let b = TestSite::fixture("docsy-like");
    assert!(a.run(&["build"]).status.success());
    assert!(b.run(&["build"]).status.success());
    assert!(
        a.run(&["build"]).status.success(),
        "a rebuild over existing output"
    );
    assert_eq!(
        tree(&a.root().join("output")),
        tree(&b.root().join("output"))
    );
}

#[test]
fn relative_urls_work_from_a_file_share() {
    let site = TestSite::new(&[
        ("site.yaml", "relative_urls: true\n"),
        (
            "content/sop/_index.md",
            "---\ntitle: 手順\nmenu: main\n---\n",
        ),
        (
            "content/sop/daily.md",
            "---\ntitle: 日次\n---\n[ホーム](/)\n",
        ),
    ]);
    let html = file(&site.build(), "sop/daily/index.html").to_string();
    assert!(html.contains(r#"href="../../css/opsite.css""#));
    assert!(
        html.contains(r#"<a href="../index.html"><span>手順</span></a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="../../index.html">ホーム</a>"#));
    assert!(!html.contains("href=\"/"), "no root-relative links left");
}

#[test]
fn aliases_sitemap_robots_404_and_feeds() {
    let site = TestSite::new(&[
        ("site.yaml", "base_url: https://ops.example.jp/portal/\n"),
        (
            "content/news/_index.md",
            "---\ntitle: お知らせ\nfeed: true\n---\n",
        ),
        (
            "content/news/a.md",
            "---\ntitle: 新しい\ndate: 2026-11-02\naliases: [/old/a/]\n---\n要約です。\n",
        ),
        (
            "content/news/b.md",
            "---\ntitle: 古い\ndate: 2026-10-01\n---\n",
        ),
    ]);
    let r = site.build();
    let alias = file(&r, "old/a/index.html");
    assert!(
        alias.contains(r#"<meta http-equiv="refresh" content="0; url=/portal/news/a/">"#),
        "{alias}"
    );
    let sitemap = file(&r, "sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://ops.example.jp/portal/news/a/</loc><lastmod>2026-11-02</lastmod>"
        ),
        "{sitemap}"
    );
    assert!(file(&r, "robots.txt").contains("Sitemap: https://ops.example.jp/portal/sitemap.xml"));
    assert!(has_file(&r, "404.html"));
    let feed = file(&r, "news/atom.xml");
    let (first, second) = (feed.find("新しい").unwrap(), feed.find("古い").unwrap());
    assert!(first < second, "newest first");
    // Dates without an offset are the site's local time (Asia/Tokyo unless `timezone` says otherwise).
    assert!(
        feed.contains("<updated>2026-11-02T00:00:00+09:00</updated>"),
        "updated comes from content, not the clock"
    );
}

#[test]
fn bundles_copy_their_files_beside_the_page_and_static_is_copied() {
    let site = TestSite::fixture("docsy-like");
    site.write("static/img/logo.svg", "<svg/>");
    let r = site.build_with(false, true);
    assert!(
        !r.diagnostics.has_errors(),
        "{:?}",
        crate::support::messages(&r)
    );
    assert!(has_file(&r, "blog/first-post/sunset.svg"));
    assert!(has_file(&r, "img/logo.svg"));
    assert!(
        has_file(&r, "css/opsite.css"),
        "the built-in theme's assets"
    );
}

#[test]
fn site_templates_override_the_built_in_theme() {
    let site = TestSite::new(&[
        ("templates/page.html", "custom {{ page.title }}"),
        ("content/p.md", "# 題\n"),
    ]);
    assert_eq!(file(&site.build(), "p/index.html"), "custom 題");
}

#[test]
fn printed_pages_wrap_code_show_link_targets_and_end_with_their_address() {
    let site = TestSite::new(&[
        ("site.yaml", "base_url: https://ops.example.jp/\n"),
        (
            "content/sop/restart.md",
            "---\ntitle: 再起動手順\nlastmod: 2026-11-02\n---\n[外部](https://status.example.com/)\n\n```bash\necho long\n```\n",
        ),
    ]);
    let r = site.build();
    let css = std::str::from_utf8(
        match &r
            .files
            .iter()
            .find(|f| f.path == "css/opsite.css")
            .unwrap()
            .content
        {
            opsite::site::output::OutputContent::Asset(opsite::render::AssetSource::Embedded(
                b,
            )) => b,
            _ => panic!("the built-in stylesheet"),
        },
    )
    .unwrap()
    .to_string();
    let print = &css[css.find("@media print").unwrap()..];
    assert!(print.contains("white-space: pre-wrap"), "code lines wrap");
    assert!(
        print.contains(r#"a[href^="https://"]::after { content: " (" attr(href) ")""#),
        "link targets"
    );
    assert!(print.contains(".print-footer { display: block"), "{print}");
    let html = file(&r, "sop/restart/index.html");
    assert!(
        html.contains(r#"<footer class="print-footer" data-pagefind-ignore><p>この文書の最新版: <span class="print-url">https://ops.example.jp/sop/restart/</span> · 更新日: 2026-11-02</p></footer>"#),
        "{html}"
    );
}
