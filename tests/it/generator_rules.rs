//! A Hugo or MkDocs tree built as its own generator builds it: heading ids (a `site.yaml` key
//! `opsite init` writes, so the init'd tree builds the same bytes) and aliases (Hugo's rule is
//! every site's: a file without `.html` was never right). The expected
//! values were read from the generators' own builds of the same trees: `mkdocs build` (MkDocs 1.6.1,
//! pymdown-extensions) and `hugo` (0.111, Debian's).

use crate::support::{stderr, stdout, TestSite};

/// The ids of the headings of an output page, in order.
fn heading_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for part in html.split("<h").skip(1) {
        let level = part
            .chars()
            .next()
            .is_some_and(|c| ('1'..='6').contains(&c));
        let tag = part.split('>').next().unwrap_or("");
        if let (true, Some(at)) = (level, tag.find(" id=\"")) {
            let rest = &tag[at + 5..];
            ids.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    ids
}

fn built_page(site: &TestSite, page: &str) -> String {
    let o = site.run(&["build", "--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("broken link"), "{}", stderr(&o));
    std::fs::read_to_string(site.root().join("output").join(page)).unwrap()
}

/// `opsite init` writes the rule, and the init'd tree builds the same page.
fn same_after_init(site: &TestSite, from: &str, page: &str, key_line: &str) {
    let before = built_page(site, page);
    let o = site.run(&["init", "--from", from]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    assert!(written.contains(key_line), "{written}");
    assert_eq!(built_page(site, page), before, "{}", stdout(&o));
}

#[test]
fn a_mkdocs_tree_keeps_mkdocs_heading_ids() {
    let site = TestSite::foreign_fixture("generator-rules/mkdocs-ids");
    let page = built_page(&site, "index.html");
    assert_eq!(
        heading_ids(&page),
        [
            "_1",
            "filter",
            "filter_1",
            "_2",
            "_3",
            "cafe-au-lait",
            "step_1",
            "step_2",
            "threshold"
        ]
    );
    same_after_init(&site, "mkdocs", "index.html", "heading_ids: mkdocs");
}

#[test]
fn a_mkdocs_tree_with_pymdownx_slugs_keeps_its_ids_and_an_unknown_slugify_is_said() {
    let site = TestSite::foreign_fixture("generator-rules/mkdocs-ids");
    let config = site.root().join("mkdocs.yml");
    let base = std::fs::read_to_string(&config).unwrap();
    let with =
        |slugify: &str| format!("{base}markdown_extensions:\n  - toc:\n      slugify: {slugify}\n");
    std::fs::write(
        &config,
        with("!!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower"),
    )
    .unwrap();
    // The tree's own links are to the default ids: broken under this rule, as in MkDocs.
    site.write(
        "docs/index.md",
        &std::fs::read_to_string(site.root().join("docs/index.md"))
            .unwrap()
            .replace(
                "[filter](#filter) [2](#filter_1) [empty](#_1)",
                "[filter](#filterブロック_1)",
            ),
    );
    let o = site.run(&["build", "--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("Python"),
        "the tag is followed: {}",
        stderr(&o)
    );
    let page = std::fs::read_to_string(site.root().join("output/index.html")).unwrap();
    assert_eq!(
        heading_ids(&page),
        [
            "手順書",
            "filterブロック",
            "filterブロック_1",
            "日本語だけ",
            "日本語だけ_1",
            "café----au-lait",
            "step_1",
            "step_2",
            "threshold-"
        ]
    );
    same_after_init(&site, "mkdocs", "index.html", "heading_ids: pymdownx-lower");

    std::fs::remove_file(site.root().join("site.yaml")).unwrap();
    std::fs::write(&config, with("!!python/name:my_ext.slugs.pinyin")).unwrap();
    let o = site.run(&["build", "--no-cache"]);
    assert!(
        stderr(&o).contains("my_ext.slugs.pinyin is not one opsite has"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_hugo_tree_keeps_goldmark_heading_ids() {
    let site = TestSite::foreign_fixture("generator-rules/hugo-ids");
    let page = built_page(&site, "docs/alerts/index.html");
    assert_eq!(
        heading_ids(&page),
        ["threshold-", "a--b-c", "threshold--1", "heading"]
    );
    same_after_init(&site, "hugo", "docs/alerts/index.html", "heading_ids: hugo");
}

#[test]
fn an_alias_not_ending_in_html_is_a_folder_as_hugo_writes_it() {
    let site = TestSite::foreign_fixture_from(&[
        ("hugo.toml", "baseURL = \"https://ops.example.jp/\"\ntitle = \"Ops\"\n"),
        (
            "content/docs/install.md",
            "---\ntitle: Install\naliases: [/docs/1.1.0, old.md, /legacy/install.html]\n---\n\nSteps.\n",
        ),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.root().join("output");
    for folder in [
        "docs/1.1.0/index.html",
        "docs/old.md/index.html",
        "legacy/install.html",
    ] {
        let page = std::fs::read_to_string(out.join(folder)).unwrap_or_default();
        assert!(page.contains("/docs/install/"), "{folder}: {page}");
    }
    assert!(!out.join("docs/1.1.0").is_file());
}

/// A Hugo tree's `v{{< current-version >}}` in an install command: the build goes on (a
/// warning that no cap hides), `check` fails naming the line and the one-line template that
/// mends it, `shortcodes.ignore` does not silence it, and the template does.
#[test]
fn a_shortcode_without_template_inside_code_fails_check_and_its_template_mends_it() {
    let mut padding = String::new();
    for i in 0..260 {
        // Warnings enough to pass the cap on warning lines, each different.
        padding.push_str(&format!("Step {i} {{{{< theme-note-{i} >}}}}\n\n"));
    }
    let site = TestSite::foreign_fixture_from(&[
        ("hugo.toml", "baseURL = \"https://ops.example.jp/\"\ntitle = \"Ops\"\nenableRobotsTXT = true\n[params]\nversion = \"1.12.1\"\n"),
        ("content/a.md", &format!("---\ntitle: A\n---\n\n{padding}")),
        (
            "content/install.md",
            "---\ntitle: Install\n---\n\nProse {{< current-version >}} is only a warning.\n\n```sh\npip install tool==v{{< current-version >}}\n```\n\nOr `tool=={{< current-version >}}`.\n",
        ),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    let in_code: Vec<&str> = (said.lines())
        .filter(|l| l.contains("stands inside code"))
        .collect();
    assert_eq!(in_code.len(), 2, "{said}");
    assert!(
        in_code[0].starts_with("content/install.md:8: warning"),
        "{said}"
    );
    assert!(
        said.contains("more warning line(s)"),
        "the cap is reached: {said}"
    );
    assert!(
        said.contains("not used by opsite (its generator's and theme's settings): enableRobotsTXT"),
        "{said}"
    );

    let o = site.run(&["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let report = stdout(&o) + &stderr(&o);
    assert!(report.contains("install.md:8: error: shortcode `current-version` has no template and stands inside code"), "{report}");
    assert!(report.contains("install.md:11: error"), "{report}");
    assert!(
        !report.contains("install.md:5: error"),
        "prose stays a warning: {report}"
    );

    std::fs::remove_file(site.root().join("content/a.md")).unwrap();
    site.write(
        "site.yaml",
        "title: Ops\nshortcodes:\n  ignore: [current-version]\n",
    );
    let o = site.run(&["check"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "ignoring it does not mend the code: {}",
        stdout(&o)
    );

    site.write(
        "templates/shortcodes/current-version.html",
        "{{ site_params.version }}",
    );
    site.write(
        "site.yaml",
        "title: Ops\nparams:\n  version: \"1.12.1\"\nshortcodes:\n  ignore: [current-version]\n",
    );
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(site.root().join("output/install/index.html")).unwrap();
    assert!(page.contains("tool==v1.12.1"), "{page}");
}

/// The `<title>` text of an output page, without the site's name.
fn page_title(site: &TestSite, page: &str) -> String {
    let html = std::fs::read_to_string(site.root().join("output").join(page))
        .unwrap_or_else(|e| panic!("{page}: {e}"));
    let start = html.find("<title>").expect("a title") + 7;
    let title = &html[start..start + html[start..].find("</title>").unwrap()];
    title.trim_end_matches(" | GT").to_string()
}

fn build_ok(site: &TestSite) -> String {
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// MkDocs 1.6.1 on this tree titles its pages: nav > front matter > a first-block H1 > the file
/// name (`-`/`_` as spaces, capitalised when all lower case, `sub/index.md` is `Index`).
#[test]
fn a_mkdocs_tree_titles_pages_in_mkdocs_order() {
    let site = TestSite::foreign_fixture("generator-rules/mk-titles");
    build_ok(&site);
    for (page, title) in [
        ("a/index.html", "From Nav"),
        ("b/index.html", "Meta B"),
        ("c/index.html", "H1 C"),
        ("named-plan/index.html", "Named plan"),
        ("snake_case_file/index.html", "Snake case file"),
        ("MixedCase-File/index.html", "MixedCase File"),
        ("sub/index.html", "Index"),
    ] {
        assert_eq!(page_title(&site, page), title, "{page}");
    }
    same_after_init(
        &site,
        "mkdocs",
        "MixedCase-File/index.html",
        "titles: mkdocs",
    );
}

/// MkDocs publishes `Generators-Git.md` at `Generators-Git/` and `Upper/Page.md` at
/// `Upper/Page/`: the case is kept, and links to them work.
#[test]
fn a_mkdocs_tree_keeps_the_case_of_its_addresses() {
    let site = TestSite::foreign_fixture("generator-rules/mk-case");
    build_ok(&site);
    let out = site.root().join("output");
    for page in [
        "Generators-Git/index.html",
        "Upper/Page/index.html",
        "lower/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    assert!(!out.join("generators-git").exists());
    same_after_init(&site, "mkdocs", "index.html", "url_case: keep");
}

/// MkDocs shows a front-matter block that does not parse as the page's text (`<hr>`, then the
/// block's line as a heading), keeps `p/README.md` over `p.md` and `q/index.md` over
/// `q/README.md`; opsite does the same and names each file it leaves out.
#[test]
fn a_mkdocs_tree_tolerates_what_mkdocs_tolerates_and_says_so() {
    let site = TestSite::foreign_fixture("generator-rules/mk-tolerance");
    let said = build_ok(&site);
    let page = std::fs::read_to_string(site.root().join("output/badfm/index.html")).unwrap();
    assert!(
        page.contains("<hr />\n<h2 id=\"title-a-b\">title: a: b: ["),
        "{page}"
    );
    assert!(page.contains("<h1 id=\"heading\">Heading"), "{page}");
    assert_eq!(page_title(&site, "badfm/index.html"), "Badfm");
    assert!(
        said.contains("docs/badfm.md:2:9: warning: front matter:"),
        "{said}"
    );
    assert_eq!(page_title(&site, "p/index.html"), "P README");
    assert!(
        said.contains("docs/p.md: warning: left out: docs/p/README.md is published at /p/ too"),
        "{said}"
    );
    assert_eq!(page_title(&site, "q/index.html"), "Q index");
    assert!(
        said.contains("docs/q/README.md: warning: left out"),
        "{said}"
    );
    assert!(!site.root().join("output/q/README").exists());
    same_after_init(&site, "mkdocs", "p/index.html", "same_address: mkdocs");
}

/// Hugo 0.111 resolves `relref`/`ref` with `lang="en"` to the English page (`/en/b/`).
#[test]
fn a_hugo_relref_with_lang_names_that_languages_page() {
    let site = TestSite::foreign_fixture("generator-rules/hu-relref-lang");
    build_ok(&site);
    let page = std::fs::read_to_string(site.root().join("output/a/index.html")).unwrap();
    assert!(page.contains("relref-lang-en: /en/b/"), "{page}");
    assert!(page.contains("ref-lang-en: /en/b/"), "{page}");
    assert!(page.contains("relref-plain: /b/"), "{page}");
    site.write(
        "content/ja/a.md",
        "---\ntitle: A\n---\n\n{{< relref path=\"nope.md\" lang=\"en\" >}}\n",
    );
    let o = site.run(&["check"]);
    assert!(
        stdout(&o).contains("no page at `nope.md` in the language `en`"),
        "{}",
        stdout(&o)
    );
}

/// Hugo publishes the section `check/_index.md` at `/check/` over `check.md` beside it (most
/// runs: its choice is not stable); opsite keeps the section and names the page left out.
#[test]
fn a_hugo_section_wins_over_a_page_of_its_name() {
    let site = TestSite::foreign_fixture("generator-rules/hu-section-vs-page");
    let said = build_ok(&site);
    assert_eq!(
        page_title(&site, "check/index.html"),
        "Check Section (_index.md)"
    );
    assert!(said.contains("content/check.md: warning: left out: content/check/_index.md is published at /check/ too"), "{said}");
    same_after_init(&site, "hugo", "check/index.html", "same_address: hugo");
}

/// Hugo reads `content/_index.html` and `content/docs/page.html` (front matter, then HTML) as
/// pages whose content is the HTML as written (`*not markdown*` stays).
#[test]
fn hugo_html_content_files_are_pages_of_their_html() {
    let site = TestSite::foreign_fixture("generator-rules/hu-html-content");
    build_ok(&site);
    let home = std::fs::read_to_string(site.root().join("output/index.html")).unwrap();
    assert!(home.contains("<p>Hello <b>html</b></p>"), "{home}");
    assert!(!site.root().join("output/_index.html").exists());
    let page = std::fs::read_to_string(site.root().join("output/docs/page/index.html")).unwrap();
    assert!(page.contains("<i>italic</i> and *not markdown*"), "{page}");
    assert_eq!(page_title(&site, "docs/page/index.html"), "Docs Page HTML");
    site.write("site.yaml", "title: GT\nmarkdown: {raw_html: escape}\n");
    let said = build_ok(&site);
    let page = std::fs::read_to_string(site.root().join("output/docs/page/index.html")).unwrap();
    assert!(
        page.contains("&lt;i&gt;italic"),
        "escape shows it as text: {page}"
    );
    assert!(
        said.contains("markdown.raw_html: escape does not pass"),
        "{said}"
    );
}

/// Hugo (since 0.73) with `disableKinds = ["taxonomy"]` writes the term pages
/// (`/categories/disk/`, `/tags/a-b/`, lower-cased) and not the list pages; nothing links to
/// a list page that is not there.
#[test]
fn hugo_disable_kinds_taxonomy_keeps_the_term_pages() {
    let site = TestSite::foreign_fixture("generator-rules/hu-taxonomy-taxonomy");
    build_ok(&site);
    let out = site.root().join("output");
    assert!(out.join("categories/disk/index.html").is_file());
    assert!(out.join("tags/a-b/index.html").is_file());
    assert!(!out.join("categories/index.html").exists());
    assert!(!out.join("tags/index.html").exists());
    for page in ["categories/disk/index.html", "p1/index.html", "index.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("href=\"/categories/\""), "{page}");
    }
    let o = site.run(&["check"]);
    assert!(o.status.success(), "{}", stdout(&o));
    same_after_init(
        &site,
        "hugo",
        "categories/disk/index.html",
        "taxonomy_lists: false",
    );
}

/// `markdown_include`'s `{!docs/cm.yaml!}` inside a fence and on its own line, and
/// `pymdownx.snippets` with `base_path: [docs]` (a line, a block of two, one in a fence): MkDocs
/// 1.6.1 writes the files in; a path leading out of the base folder is left out (MkDocs says
/// nothing; opsite warns at its line), and lines after an include keep their own numbers.
#[test]
fn mkdocs_includes_write_the_files_in_as_mkdocs_does() {
    let site = TestSite::foreign_fixture("generator-rules/mk-includes-mdinc");
    build_ok(&site);
    let page = std::fs::read_to_string(site.root().join("output/index.html")).unwrap();
    assert!(page.contains("<code class=\"language-yaml\"><span class=\"hl-ke\">key</span>: value\n<span class=\"hl-ke\">list</span>:\n  - one\n  - two\n</code>"), "{page}");
    assert!(!page.contains("{!"), "{page}");
    same_after_init(&site, "mkdocs", "index.html", "markdown_include:");

    let site = TestSite::foreign_fixture("generator-rules/mk-includes-snippets-base");
    let index = site.root().join("docs/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("{text}\n[gone](nope.md)\n")).unwrap();
    let said = build_ok(&site);
    let page = std::fs::read_to_string(site.root().join("output/index.html")).unwrap();
    assert_eq!(
        page.matches("<p>Snippet <strong>one</strong> text.</p>")
            .count(),
        2,
        "{page}"
    );
    assert!(page.contains("<p>Snippet two text.</p>"), "{page}");
    assert!(page.contains("language-text\">Snippet two text."), "{page}");
    assert!(
        !page.contains("outside-in-project")
            && !page.contains("--8&lt;--")
            && !page.contains("--8<--"),
        "{page}"
    );
    assert!(
        said.contains("docs/index.md:26: warning: include `../outside.txt`"),
        "{said}"
    );
    let link_line = text.lines().count() + 2;
    assert!(
        said.contains(&format!(
            "docs/index.md:{link_line}: warning: broken link `nope.md`"
        )),
        "{said}"
    );
    std::fs::write(&index, text).unwrap();
    same_after_init(&site, "mkdocs", "index.html", "snippets:");
}

/// The trail of each page (its crumbs after Home, as text), in order.
fn trail(site: &TestSite, page: &str) -> Vec<String> {
    let html = std::fs::read_to_string(site.root().join("output").join(page)).unwrap();
    let Some(at) = html.find("class=\"breadcrumbs\"") else {
        return Vec::new();
    };
    let list = &html[at..at + html[at..].find("</ol>").unwrap()];
    list.split("<li>")
        .skip(2)
        .map(|li| {
            let text: String = li.split('<').filter_map(|p| p.split('>').nth(1)).collect();
            text.trim().to_string()
        })
        .collect()
}

/// MkDocs (readthedocs theme) shows each page's nav groups as its trail: `Operator Manual ›
/// High Availability` on ops/ha.md and on other/failover.md, which that group holds; only
/// `Operator Manual` on ops/backup.md, beside the nested group (it used to carry the nested
/// group's name, which titled the whole folder).
#[test]
fn a_mkdocs_trees_trails_follow_its_nav_groups() {
    let site = TestSite::foreign_fixture("generator-rules/mk-trails");
    build_ok(&site);
    for (page, groups) in [
        ("ops/index.html", &["Operator Manual"][..]),
        (
            "ops/ha/index.html",
            &["Operator Manual", "High Availability"][..],
        ),
        (
            "other/failover/index.html",
            &["Operator Manual", "High Availability"][..],
        ),
        ("ops/backup/index.html", &["Operator Manual"][..]),
        ("other/index.html", &["Other"][..]),
    ] {
        assert_eq!(trail(&site, page), groups, "{page}");
    }
    let backup = std::fs::read_to_string(site.root().join("output/ops/backup/index.html")).unwrap();
    assert!(!backup.contains(">High Availability</a>"), "{backup}");
    // The sidebar is the nav's tree, as MkDocs draws it: Failover (in other/) under High
    // Availability, beside HA Setup.
    let at = backup.find("<nav class=\"nav-tree\"").unwrap();
    let sidebar = &backup[at..at + backup[at..].find("</nav>").unwrap()];
    let text: String = sidebar
        .split('<')
        .filter_map(|p| p.split('>').nth(1))
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    assert_eq!(text, "Home / Operator Manual / Ops Overview / High Availability / HA Setup / Failover / Backup / Other / Other Index", "{sidebar}");
    // Previous and next follow the nav across folders, as MkDocs links them.
    let failover =
        std::fs::read_to_string(site.root().join("output/other/failover/index.html")).unwrap();
    assert!(
        failover.contains("class=\"prev\" href=\"/ops/ha/\""),
        "{failover}"
    );
    assert!(
        failover.contains("class=\"next\" href=\"/ops/backup/\""),
        "{failover}"
    );
}

/// `content/docs/1.12.1/` beside `content/docs/1.11.0/`: versions mixed into one site are a
/// warning naming the key; `opsite init` proposes (commented out, so the site builds the same)
/// a `versions:` entry for each at its present addresses, and uncommented, each version is its
/// own, at the same addresses, with its own search, and no longer pages of the latest.
#[test]
fn versioned_folders_are_said_and_init_proposes_versions_that_keep_addresses() {
    let mut files = vec![(
        "hugo.toml".to_string(),
        "baseURL = \"https://ops.example.jp/\"\ntitle = \"Ops\"\n".to_string(),
    )];
    files.push((
        "content/docs/install.md".into(),
        "---\ntitle: Install\n---\n\nLatest.\n".into(),
    ));
    for v in ["1.12.1", "1.11.0"] {
        files.push((
            format!("content/docs/{v}/_index.md"),
            format!("---\ntitle: Docs {v}\n---\n"),
        ));
        files.push((
            format!("content/docs/{v}/install.md"),
            format!("---\ntitle: Install {v}\n---\n\nSee [config](config.md).\n"),
        ));
        files.push((
            format!("content/docs/{v}/config.md"),
            format!("---\ntitle: Config {v}\n---\n\nConfig {v}.\n"),
        ));
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = TestSite::foreign_fixture_from(&pairs);
    let said = build_ok(&site);
    assert!(
        said.contains("content/docs: warning: 2 folders named as versions (1.11.0, 1.12.1)"),
        "{said}"
    );
    assert!(
        said.contains("{name: \"1.11.0\", path: content/docs/1.11.0, url: /docs/1.11.0/}"),
        "{said}"
    );
    let before =
        std::fs::read_to_string(site.root().join("output/docs/1.12.1/install/index.html")).unwrap();
    let o = site.run(&["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    assert!(
        written.contains("#   - {name: \"1.12.1\", path: content/docs/1.12.1, url: /docs/1.12.1/}"),
        "{written}"
    );
    build_ok(&site);
    let after =
        std::fs::read_to_string(site.root().join("output/docs/1.12.1/install/index.html")).unwrap();
    assert_eq!(after, before, "commented out, the proposal changes nothing");

    let versioned = written
        .replace("# versions:", "versions:")
        .replace("#   - ", "  - ");
    site.write("site.yaml", &versioned);
    let said = build_ok(&site);
    assert!(!said.contains("named as versions"), "{said}");
    let out = site.root().join("output");
    for page in [
        "docs/1.12.1/install/index.html",
        "docs/1.11.0/config/index.html",
        "docs/install/index.html",
        "docs/1.12.1/search/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    let install = std::fs::read_to_string(out.join("docs/1.12.1/install/index.html")).unwrap();
    assert!(
        install.contains("href=\"/docs/1.12.1/config/\""),
        "{install}"
    );
    let latest_docs = std::fs::read_to_string(out.join("docs/index.html")).unwrap();
    assert!(
        !latest_docs.contains("Install 1.12.1"),
        "no longer a page of the latest: {latest_docs}"
    );
    let o = site.run(&["check"]);
    assert!(o.status.success(), "{}", stdout(&o));
}

/// An alias spelled as another page's file (`/docs/b/index.html`) or as the not-found page
/// (`/404.html`) is left out with a warning, as the same alias spelled as an address is; it
/// stopped the build.
#[test]
fn an_alias_spelled_as_a_pages_file_is_a_warning_not_a_stop() {
    let site = TestSite::new(&[
        ("site.yaml", "title: Ops\n"),
        (
            "content/docs/a.md",
            "---\ntitle: A\naliases: [/docs/b/index.html, /404.html, /old/]\n---\n\nA.\n",
        ),
        ("content/docs/b.md", "---\ntitle: B\n---\n\nB.\n"),
    ]);
    let said = build_ok(&site);
    assert!(said.contains("alias `/docs/b/index.html` (/docs/b/index.html) is not written: that is the address of content/docs/b.md"), "{said}");
    assert!(
        said.contains("alias `/404.html` (/404.html) is not written"),
        "{said}"
    );
    let out = site.root().join("output");
    assert!(std::fs::read_to_string(out.join("docs/b/index.html"))
        .unwrap()
        .contains("B."));
    assert!(std::fs::read_to_string(out.join("old/index.html"))
        .unwrap()
        .contains("/docs/a/"));
}

/// Without `attr_list` in its `mkdocs.yml`, MkDocs 1.6.1 keeps `{braces}` after a heading as
/// its text (`Step {braces}` is `#step-braces`, `Named {#custom}` is `#named-custom`); opsite
/// read them as attributes, losing the text and shifting the `_N` of later empty ids.
#[test]
fn a_mkdocs_tree_without_attr_list_keeps_braces_in_headings() {
    let site = TestSite::foreign_fixture("generator-rules/mk-no-attr-list");
    let page = built_page(&site, "index.html");
    assert_eq!(
        heading_ids(&page)[1..],
        ["step-braces", "named-custom", "only"]
    );
    assert!(page.contains(">Named {#custom}<"), "{page}");
    same_after_init(&site, "mkdocs", "index.html", "attribute_lists: false");
}
