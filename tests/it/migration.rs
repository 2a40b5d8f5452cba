//! A Hugo or MkDocs tree built from its root as it is: its own configuration read, what opsite
//! cannot use said once, and `opsite init` writing the same settings as a `site.yaml`.

use crate::support::*;

/// Asserts that the run's messages hold `text`, showing them when they do not.
fn says(out: &std::process::Output, text: &str) {
    let err = stderr(out);
    assert!(err.contains(text), "{err}");
}

/// Asserts that the run's messages start with `text`, showing them when they do not.
fn begins_with(out: &std::process::Output, text: &str) {
    let err = stderr(out);
    assert!(err.starts_with(text), "{err}");
}

fn read(site: &TestSite, path: &str) -> String {
    std::fs::read_to_string(site.root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_hugo_tree_builds_from_its_own_configuration() {
    let site = TestSite::foreign_fixture("hugo-config");
    // Run from a folder inside the tree, as someone in a hurry would.
    let out = site.run_in("content/ja/docs", &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.starts_with("site: "),
        "the site found above is named: {err}"
    );
    // The default language's settings: its title, code and content folder, its params over
    // the site's, the menu of its own file with pageRef made an address.
    let home = read(&site, "output/index.html");
    assert!(home.contains(r#"<html lang="ja""#), "{home}");
    assert!(home.contains("<title>運用ポータル</title>"), "{home}");
    assert!(
        home.contains("担当: 運用チーム"),
        "params from config/_default/params.yaml: {home}"
    );
    assert!(
        home.contains(r#"href="/portal/docs/""#) && home.contains(">手順書<"),
        "{home}"
    );
    assert!(home.contains("https://status.example.jp/"), "{home}");
    assert!(
        !home.contains("/ignored/"),
        "the language's menu replaces the site's: {home}"
    );
    assert!(site.root().join("output/docs/daily/index.html").is_file());
    assert!(!site.root().join("public").exists());
    // The other language is built under its folder, with its own title.
    let en = read(&site, "output/en/index.html");
    assert!(
        en.contains(r#"<html lang="en""#) && en.contains("<title>Ops portal</title>"),
        "{en}"
    );
    // The theme's shortcode is left out with a warning, the build goes on; what is not used
    // is one line, keys spelled as written; the other language is named once.
    assert!(
        err.contains(
            "content/ja/_index.md:5: warning: unknown shortcode `blocks/cover` (a Hugo template, which opsite cannot run)"
        ),
        "{err}"
    );
    let unused: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("not used by opsite"))
        .collect();
    assert_eq!(unused.len(), 1, "{err}");
    assert!(unused[0].starts_with("hugo.toml: warning:"), "{err}");
    assert!(
        unused[0].ends_with(
            ": enableRobotsTXT, languages.ja.languagecode (config/_default/languages.toml), markup, menus.main.post (config/_default/menus.ja.toml), theme, layouts/"
        ),
        "{err}"
    );
    // Its enableGitInfo is lastmod: git; outside a repository that is told at the tree's file.
    assert!(
        err.contains("hugo.toml: warning: lastmod: git: git cannot read this folder's history"),
        "{err}"
    );
    assert!(
        err.contains(
            "`opsite init` writes a site.yaml that lists them:\n  shortcodes:\n    ignore: [\"blocks/cover\"]"
        ),
        "{err}"
    );
}

#[test]
fn init_writes_the_site_yaml_the_build_was_reading() {
    for (fixture, from) in [("hugo-config", "hugo"), ("mkdocs-config", "mkdocs")] {
        let site = TestSite::foreign_fixture(fixture);
        let first = site.run(&["build"]);
        assert!(first.status.success(), "{}", stderr(&first));
        let before = read(&site, "output/index.html");
        let out = site.run_in(".", &["init", "--from", from]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).starts_with("wrote ./site.yaml from "),
            "{}",
            stdout(&out)
        );
        let yaml = read(&site, "site.yaml");
        assert!(
            yaml.starts_with(&format!("# Written by `opsite init --from {from}`")),
            "{yaml}"
        );
        if from == "hugo" {
            // Every file read is named; the shortcode left out is listed.
            let said = stdout(&out);
            assert!(said.contains("from hugo.toml, config/_default/languages.toml, config/_default/markup.toml, config/_default/menus.ja.toml, config/_default/params.yaml ("), "{said}");
            assert!(
                yaml.contains("shortcodes:\n  ignore:\n  - blocks/cover\n"),
                "{yaml}"
            );
        }
        // Built from site.yaml, the pages are the same bytes.
        let again = site.run(&["build"]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert_eq!(read(&site, "output/index.html"), before, "{yaml}");
        // A second init leaves the site.yaml alone.
        let twice = site.run_in(".", &["init"]);
        assert!(!twice.status.success());
        assert!(
            stderr(&twice).contains("site.yaml exists already"),
            "{}",
            stderr(&twice)
        );
        assert_eq!(read(&site, "site.yaml"), yaml);
    }
    let wrong = TestSite::foreign_fixture("mkdocs-config");
    let out = wrong.run_in(".", &["init", "--from", "hugo"]);
    says(&out, "has no Hugo configuration");
    assert!(!wrong.root().join("site.yaml").exists());
}

#[test]
fn a_mkdocs_tree_keeps_its_nav_order_titles_and_docs_folder() {
    let site = TestSite::foreign_fixture("mkdocs-config");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let home = read(&site, "output/index.html");
    // `!ENV [UNSET, default]` is the default; the theme's language is the page's.
    assert!(home.contains("<title>障害対応手順書</title>"), "{home}");
    assert!(home.contains(r#"<html lang="ja""#), "{home}");
    assert!(
        home.contains("問い合わせ先: ops@example.jp"),
        "extra is params: {home}"
    );
    // The sidebar is nav's tree, as MkDocs draws it: groups titled as nav says, in its order, a
    // page under its nav title; a page nav leaves out is not in it (its section still lists
    // it); nav's links are in the main menu.
    let in_order = |html: &str, order: &[&str]| {
        let places: Vec<usize> = order
            .iter()
            .map(|t| {
                html.find(&format!(">{t}<"))
                    .unwrap_or_else(|| panic!("{t} in {html}"))
            })
            .collect();
        assert!(
            places.windows(2).all(|w| w[0] < w[1]),
            "{order:?} at {places:?}"
        );
    };
    let sidebar = |html: &str| -> String {
        let at = html.find("<nav class=\"nav-tree\"").expect("a sidebar");
        html[at..at + html[at..].find("</nav>").unwrap()].to_string()
    };
    in_order(&sidebar(&home), &["日常運用", "ガイド"]);
    let daily = read(&site, "output/sop/daily/index.html");
    in_order(
        &sidebar(&daily),
        &[
            "日常運用",
            "週次点検",
            "日次の確認",
            "ガイド",
            "はじめに",
            "詳しく",
            "チューニング",
        ],
    );
    assert!(!sidebar(&daily).contains("未掲載"), "{daily}");
    let tuning = read(&site, "output/guide/deep/tuning/index.html");
    in_order(
        &sidebar(&tuning),
        &["ガイド", "はじめに", "詳しく", "チューニング"],
    );
    assert!(
        home.contains(r#"href="https://grafana.example.jp/""#),
        "{home}"
    );
    assert!(site.root().join("output/img/a.svg").is_file());
    // Messages: a Python tag at its line, the missing nav entry, one line of unused keys.
    assert!(
        err.contains(
            "mkdocs.yml:28: warning: !!python/name:material.extensions.emoji.twemoji is Python"
        ),
        "{err}"
    );
    assert!(
        err.contains("mkdocs.yml: warning: nav: `sop/gone.md` is not in docs/"),
        "{err}"
    );
    let unused: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("not used by opsite"))
        .collect();
    assert_eq!(unused.len(), 1, "{err}");
    assert!(
        unused[0].ends_with("markdown_extensions.pymdownx.emoji, theme.features, theme.name"),
        "{err}"
    );
    // Its git-revision-date-localized plugin is lastmod: git, told at mkdocs.yml outside git.
    assert!(
        err.contains("mkdocs.yml: warning: lastmod: git: git cannot read this folder's history"),
        "{err}"
    );
}

#[test]
fn site_yaml_wins_and_a_broken_configuration_stops_at_its_line() {
    // Both: site.yaml is the configuration; mkdocs.yml's nav is not silently half-read.
    let site = TestSite::foreign_fixture("mkdocs-config");
    site.write(
        "site.yaml",
        "title: 自前の設定\ncontent_dir: docs\nparams: {contact: 窓口}\n",
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&site, "output/index.html").contains("<title>自前の設定</title>"));
    says(
        &out,
        "mkdocs.yml:10:1: warning: nav: is not read: site.yaml is this site's configuration",
    );
    // A Hugo file that does not parse: located, nothing written.
    let hugo = TestSite::foreign_fixture("hugo-config");
    hugo.write("hugo.toml", "title = \"x\"\nbaseURL = \n");
    let out = hugo.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("hugo.toml:2: error:"), "{err}");
    assert!(err.contains("stopped: hugo.toml has 1 error(s)"), "{err}");
    assert!(!hugo.root().join("output").exists());
    // A contentDir leaving the tree is refused with a note, and content/ is read instead.
    hugo.write(
        "hugo.toml",
        "title = \"x\"\ncontentDir = \"../elsewhere\"\n",
    );
    std::fs::remove_dir_all(hugo.root().join("config")).unwrap();
    let out = hugo.run(&["build"]);
    says(
        &out,
        "hugo.toml:2: warning: contentDir: `../elsewhere` is not a folder inside the site",
    );
}

/// What a hostile or careless tree's configuration does: nothing leaks into the pages, nothing
/// of anyone else's is deleted, nothing panics, and each refusal names its place.
#[test]
fn a_hostile_or_careless_configuration_is_contained() {
    let hugo = |config: &str| {
        TestSite::foreign_fixture_from(&[
            ("hugo.toml", config),
            ("content/_index.md", "# ホーム\n"),
        ])
    };
    // An address that would end the attribute: left out with a warning, never written.
    let site = hugo("baseURL = \"https://ex.org/\\\"><script>alert(1)</script>/\"\n");
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Quoted to 40 characters: a value from a configuration file is never printed whole.
    says(&out, "hugo.toml:1: warning: baseURL: `https://ex.org/\"><script>alert(1)</scrip…` (43 characters) is not an address: it holds '\"'");
    assert!(!read(&site, "output/index.html").contains("<script>alert"));
    let own = TestSite::new(&[("site.yaml", "title: x\nbase_url: \"/a'b/\"\n")]);
    let out = own.run(&["build"]);
    begins_with(
        &out,
        "site.yaml:2:1: error: base_url: `/a'b/` is not an address: it holds '\\''",
    );
    // A character reference that a browser reads as `/`, making every script come from
    // another host; a query that would end every link.
    for url in ["https://ex.com/&#47;evil.example/", "/docs/?q=1"] {
        let site = hugo(&format!("baseURL = \"{url}\"\n"));
        let out = site.run(&["build"]);
        assert!(
            stderr(&out).contains("is not an address: it holds"),
            "{url}: {}",
            stderr(&out)
        );
        assert!(!read(&site, "output/index.html").contains("evil.example"));
    }
    // An empty language code is Hugo's default, English.
    let site = hugo("languageCode = \"\"\n");
    assert!(site.run(&["build"]).status.success());
    assert!(read(&site, "output/index.html").contains(r#"<html lang="en""#));
    // A language that is no language tag (the search index would panic on it).
    let site = hugo(&format!("languageCode = \"{}\"\n", "a".repeat(40)));
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    says(&out, "languageCode: `aaaa");
    assert!(read(&site, "output/index.html").contains(r#"<html lang="en""#));
    // Values of the wrong kind are named as written and left out.
    let site = hugo("baseURL = 42\ntitle = [1]\ntimeZone = 9\n");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("hugo.toml:1: warning: baseURL: expected text, found the number 42; left out"),
        "{err}"
    );
    assert!(
        err.contains("hugo.toml:3: warning: timeZone: expected text, found the number 9; left out"),
        "{err}"
    );
    // An output/ that opsite did not write is someone's: refused, kept.
    let site = hugo("title = 'x'\n");
    site.write("output/notes.txt", "mine");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    says(
        &out,
        "it holds files opsite did not write (such as notes.txt)",
    );
    assert_eq!(read(&site, "output/notes.txt"), "mine");
    // Bytes that are not UTF-8 are located.
    let site = hugo("title = 'x'\n");
    std::fs::write(
        site.root().join("hugo.toml"),
        b"title = 'x'\ntitle2 = '\x93\xfa'\n",
    )
    .unwrap();
    let out = site.run(&["build"]);
    begins_with(
        &out,
        "hugo.toml:2:11: error: not valid UTF-8 (save hugo.toml as UTF-8)",
    );
    // A file that holds no settings; a content folder that is not there; a site.yaml that
    // is a link to nothing.
    let site = hugo("title = 'x'\n");
    std::fs::create_dir_all(site.root().join("config/_default")).unwrap();
    site.write("config/_default/params.json", "[1, 2]");
    let out = site.run(&["build"]);
    begins_with(
        &out,
        "config/_default/params.json:1: error: holds a list, not settings",
    );
    let site = hugo("contentDir = 'nope'\n");
    let out = site.run(&["build"]);
    says(
        &out,
        "hugo.toml: warning: the content folder nope/ does not exist: the site has no pages",
    );
    #[cfg(unix)]
    {
        let site = hugo("title = 'x'\n");
        std::os::unix::fs::symlink("gone.yaml", site.root().join("site.yaml")).unwrap();
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(1));
        says(
            &out,
            "site.yaml: error: is a link to a file that does not exist",
        );
    }
    // Many keys, read in one pass.
    let many: String = (0..20_000).map(|i| format!("key{i} = {i}\n")).collect();
    let out = hugo(&many).run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn mkdocs_yml_as_written_in_the_wild() {
    let mkdocs = |config: &[u8]| {
        let site = TestSite::foreign_fixture_from(&[("docs/index.md", "# ホーム\n")]);
        std::fs::write(site.root().join("mkdocs.yml"), config).unwrap();
        site
    };
    // A byte-order mark; Python tags only where they are tags; the docs folder kept when
    // docs_dir is refused.
    let site = mkdocs(
        "\u{feff}site_name: 'BOM'\ndocs_dir: output\nextra:\n  quoted: \"!!python/name:x\"\n  block: |\n    !!python/name:y\n  real: !<tag:yaml.org,2002:python/name:z>\n".as_bytes(),
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(read(&site, "output/index.html").contains("<title>BOM</title>"));
    assert!(err.contains("mkdocs.yml:2: warning: docs_dir: `output`: output/ is a folder opsite reads or writes for something else"), "{err}");
    assert!(err.contains("docs/ is read instead"), "{err}");
    assert_eq!(err.matches("is Python").count(), 1, "{err}");
    assert!(
        err.contains("mkdocs.yml:7: warning: !<tag:yaml.org,2002:python/name:z> is Python"),
        "{err}"
    );
    // An edit of mkdocs.yml is seen by the next build.
    std::fs::write(site.root().join("mkdocs.yml"), "site_name: 二度目\n").unwrap();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&site, "output/index.html").contains("<title>二度目</title>"));
    // init writes no value from the environment, only the defaults written in the file.
    let site = mkdocs(b"site_name: !ENV [OPSITE_TEST_SECRET_NAME, default name]\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["init", "--root"])
        .arg(site.root())
        .env("OPSITE_TEST_SECRET_NAME", "s3cr3t")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = read(&site, "site.yaml");
    assert!(
        yaml.contains("title: default name") && !yaml.contains("s3cr3t"),
        "{yaml}"
    );
    says(
        &out,
        "mkdocs.yml:1: warning: !ENV: site.yaml does not read the environment",
    );
    // A stray mkdocs.yml with no docs folder beside it is no site.
    let stray = tempfile::tempdir().unwrap();
    write(stray.path(), "mkdocs.yml", "site_name: x\n");
    write(stray.path(), "elsewhere/notes.md", "x");
    let out = run_in(&stray.path().join("elsewhere"), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stray.path().join("output").exists());
}

/// Hugo's permalinks: a blog's posts at their dated addresses, which the tree's own links use;
/// a token Hugo has not is named and its pattern left out.
#[test]
fn hugo_permalinks_put_posts_where_the_trees_links_expect_them() {
    let site = TestSite::foreign_fixture_from(&[
        (
            "hugo.yaml",
            "title: Blog\npermalinks:\n  Blog: /:section/:year/:month/:slug/\n  news: /:nonsense/:slug/\n",
        ),
        ("content/blog/_index.md", "---\ntitle: Blog\n---\n"),
        (
            "content/blog/2024-05-01-launch/index.md",
            "---\ntitle: Launch Day\ndate: 2024-05-01T09:00:00+09:00\n---\nSee [the next](/blog/2024/06/next-steps/).\n",
        ),
        (
            "content/blog/later.md",
            "---\ntitle: Next\nslug: next-steps\ndate: 2024-06-02\n---\nBack to [launch](/blog/2024/05/launch-day/).\n",
        ),
        ("content/news/a.md", "# A\n"),
    ]);
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        site.root()
            .join("output/blog/2024/05/launch-day/index.html")
            .is_file(),
        "{err}"
    );
    assert!(
        site.root()
            .join("output/blog/2024/06/next-steps/index.html")
            .is_file(),
        "{err}"
    );
    assert!(
        !err.contains("broken link"),
        "the tree's links reach the posts: {err}"
    );
    assert!(err.contains("hugo.yaml:4: warning: permalinks.news: `/:nonsense/:slug/`: `:nonsense` is not a permalink token"), "{err}");
    assert!(site.root().join("output/news/a/index.html").is_file());
}
