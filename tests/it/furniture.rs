//! Page furniture (issue 38): "edit this page" and "report a problem" links from `repository:`,
//! Docsy params and MkDocs settings; dates and authors from git history (`lastmod: git`) on a
//! repository the test makes.

use std::process::Command;

use crate::support::*;

const PAGE: &str = "---\ntitle: 日次点検\n---\n```sh\nsystemctl status nginx\n```\n";

fn site(config: &str) -> TestSite {
    TestSite::new(&[
        ("site.yaml", config),
        ("content/_index.md", "---\ntitle: ホーム\n---\n"),
        ("content/sop/_index.md", "---\ntitle: 手順\n---\n"),
        ("content/sop/日次点検.md", PAGE),
    ])
}

/// The href of the link whose text is `text`.
fn link_to<'a>(html: &'a str, text: &str) -> Option<&'a str> {
    let end = html.find(&format!("\" rel=\"nofollow\">{text}</a>"))?;
    let start = html[..end].rfind("href=\"")? + 6;
    Some(&html[start..end])
}

#[test]
fn repository_gives_each_page_its_edit_and_report_links() {
    let r = site("title: 運用\nbase_url: https://ops.example.jp/\nrepository:\n  url: https://github.com/example/ops-portal\n  edit_path: sites/portal\n").build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let page = file(&r, "sop/日次点検/index.html");
    assert_eq!(
        link_to(page, "このページを編集"),
        Some("https://github.com/example/ops-portal/edit/main/sites/portal/content/sop/%E6%97%A5%E6%AC%A1%E7%82%B9%E6%A4%9C.md")
    );
    let report = link_to(page, "問題を報告").unwrap();
    assert!(
        report.starts_with("https://github.com/example/ops-portal/issues/new?title="),
        "{report}"
    );
    assert!(
        report.contains("&amp;body=https%3A%2F%2Fops.example.jp%2Fsop%2F"),
        "{report}"
    );
    // A section's own _index.md is editable too; a generated page (a taxonomy) is not.
    assert!(link_to(file(&r, "sop/index.html"), "このページを編集")
        .unwrap()
        .ends_with("/content/sop/_index.md"));
    assert!(link_to(file(&r, "search/index.html"), "このページを編集").is_none());
}

#[test]
fn gitlab_docsy_params_and_mkdocs_give_their_own_forms() {
    let r = site("repository: {url: \"https://gitlab.example.jp/ops/portal\", branch: develop, issues: false}\n").build();
    let page = file(&r, "sop/日次点検/index.html");
    assert!(link_to(page, "このページを編集")
        .unwrap()
        .starts_with("https://gitlab.example.jp/ops/portal/-/edit/develop/content/sop/"));
    assert!(link_to(page, "問題を報告").is_none());

    let r = site("params:\n  github_repo: https://github.com/example/docs\n  github_subdir: userguide\n  github_branch: trunk\n").build();
    assert!(
        link_to(file(&r, "sop/日次点検/index.html"), "このページを編集")
            .unwrap()
            .starts_with("https://github.com/example/docs/edit/trunk/userguide/content/sop/")
    );

    let mkdocs = TestSite::foreign_fixture_from(&[
        ("mkdocs.yml", "site_name: Ops\nrepo_url: https://github.com/example/handbook\nedit_uri: edit/main/docs/\n"),
        ("docs/index.md", "# Home\n"),
        ("docs/sop/daily.md", "# Daily checks\n"),
    ]);
    let r = mkdocs.build();
    assert_eq!(
        link_to(file(&r, "sop/daily/index.html"), "Edit this page"),
        Some("https://github.com/example/handbook/edit/main/docs/sop/daily.md")
    );
}

#[test]
fn a_bad_repository_setting_is_an_error_at_its_line() {
    let s = site("title: x\nrepository:\n  url: github.com/example\n");
    let o = s.run(&["build"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "site.yaml:3:3: error: repository.url: `github.com/example` is not a web address"
        ),
        "{}",
        stderr(&o)
    );
    // The address alone is the setting with its defaults; a list is neither form.
    let r = site("title: x\nrepository: https://github.com/example/ops-portal\n").build();
    assert!(
        file(&r, "index.html")
            .contains("https://github.com/example/ops-portal/edit/main/content/_index.md"),
        "{:?}",
        messages(&r)
    );
    let o = site("title: x\nrepository: [a]\n").run(&["build"]);
    assert!(
        stderr(&o)
            .contains("expected the repository's address, or its fields {url, branch, edit_path}"),
        "{}",
        stderr(&o)
    );
    let s = site("title: x\nlastmod: file\n");
    let o = s.run(&["build"]);
    assert!(
        stderr(&o).contains("site.yaml:2:1: error: lastmod: `file`; write `lastmod: git`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn customer_editions_link_to_no_repository() {
    let s = TestSite::fixture("editions-site");
    s.edit_config(|c| {
        format!("{c}repository: {{url: https://github.com/example/internal-portal}}\n")
    });
    let o = s.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut internal = false;
    for entry in walkdir::WalkDir::new(s.root()) {
        let entry = entry.unwrap();
        let path = entry.path().to_string_lossy().to_string();
        if !path.ends_with(".html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let has = text.contains("internal-portal");
        if path.contains("/editions/") {
            assert!(!has, "{path} links to the repository");
        } else if path.contains("/output/") {
            internal |= has;
        }
    }
    assert!(internal, "the internal site has the links");
}

fn git(root: &std::path::Path, args: &[&str], date: &str, author: &str) {
    let o = Command::new("git")
        .current_dir(root)
        .args(args)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "ops@example.jp")
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "ops@example.jp")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn lastmod_git_takes_each_files_last_commit_and_front_matter_wins() {
    let s = site("title: 運用\nbase_url: https://ops.example.jp/\nlastmod: git\n");
    s.write(
        "content/sop/own-date.md",
        "---\ntitle: 固定\nlastmod: 2025-01-02\n---\nx\n",
    );
    let root = s.root();
    git(
        root,
        &["init", "-q", "-b", "main"],
        "2026-11-01T09:00:00+09:00",
        "x",
    );
    git(root, &["add", "-A"], "2026-11-01T09:00:00+09:00", "x");
    git(
        root,
        &["commit", "-q", "-m", "first"],
        "2026-11-01T09:00:00+09:00",
        "佐藤 花子",
    );
    s.write("content/sop/日次点検.md", &format!("{PAGE}\n追記\n"));
    git(
        root,
        &["commit", "-q", "-am", "second"],
        "2026-11-20T10:30:00+09:00",
        "山田 太郎",
    );
    let r = s.build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let page = file(&r, "sop/日次点検/index.html");
    assert!(page.contains("<time datetime=\"2026-11-20\">2026-11-20</time><span class=\"muted\">（更新者: 山田 太郎）</span>"), "{page}");
    assert!(file(&r, "sop/own-date/index.html").contains("<time datetime=\"2025-01-02\">"));
    let sitemap = file(&r, "sitemap.xml");
    assert!(
        sitemap
            .contains("%E6%97%A5%E6%AC%A1%E7%82%B9%E6%A4%9C/</loc><lastmod>2026-11-20</lastmod>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("/sop/</loc><lastmod>2026-11-01</lastmod>"),
        "{sitemap}"
    );
    // A section page shows its date under its title too.
    let section = file(&r, "sop/index.html");
    assert!(
        section.contains("更新日: <time datetime=\"2026-11-01\">2026-11-01</time>"),
        "section date"
    );
    // Kept per commit; a new commit is read afresh.
    let cache = std::fs::read_to_string(root.join(".opsite/cache/git-dates.tsv")).unwrap();
    assert!(
        cache.contains("content/sop/日次点検.md\t2026-11-20T10:30:00+09:00\t山田 太郎"),
        "{cache}"
    );
    s.write("content/sop/_index.md", "---\ntitle: 手順書\n---\n");
    git(
        root,
        &["commit", "-q", "-am", "third"],
        "2026-11-25T08:00:00+09:00",
        "鈴木",
    );
    let r = s.build();
    assert!(file(&r, "sitemap.xml").contains("/sop/</loc><lastmod>2026-11-25</lastmod>"));
}

#[test]
fn lastmod_git_outside_a_repository_is_a_warning_and_dates_stay() {
    let s = site("title: 運用\nlastmod: git\n");
    let r = s.build();
    let m = messages(&r).join("\n");
    assert!(
        m.contains("site.yaml:2:1: warning: lastmod: git:")
            && m.contains("git cannot read this folder's history"),
        "{m}"
    );
    assert!(!file(&r, "sop/日次点検/index.html").contains("更新者"));
}

#[test]
fn a_new_commit_is_a_change_for_a_build_that_skips_unchanged_sites() {
    let s = site("title: 運用\nlastmod: git\n");
    let root = s.root();
    git(
        root,
        &["init", "-q", "-b", "main"],
        "2026-11-01T09:00:00+09:00",
        "x",
    );
    std::fs::write(root.join(".gitignore"), "output/\n.opsite/\n").unwrap();
    git(root, &["add", "-A"], "2026-11-01T09:00:00+09:00", "x");
    git(
        root,
        &["commit", "-q", "-m", "first"],
        "2026-11-01T09:00:00+09:00",
        "佐藤 花子",
    );
    let page = || std::fs::read_to_string(root.join("output/sop/日次点検/index.html")).unwrap();
    assert!(s.run(&["build"]).status.success());
    assert!(page().contains("（更新者: 佐藤 花子）"));
    // Edited and built, then committed: the same text, a new date and author.
    s.write("content/sop/日次点検.md", &format!("{PAGE}\n追記\n"));
    assert!(s.run(&["build"]).status.success());
    git(
        root,
        &["commit", "-q", "-am", "second"],
        "2026-11-20T10:30:00+09:00",
        "山田 太郎",
    );
    let o = s.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(page().contains("（更新者: 山田 太郎）"), "{}", page());
}

#[test]
fn hostile_repository_settings_give_no_link_or_an_error() {
    // A Docsy param is read as it is: one that is no web address gives no links at all.
    let r = site("params:\n  github_repo: \"javascript:alert(1)//github.com/x\"\n").build();
    let page = file(&r, "sop/日次点検/index.html");
    assert!(!page.contains("javascript:") && link_to(page, "このページを編集").is_none());
    // Login details would be published on every page.
    let o =
        site("title: x\nrepository:\n  url: https://user:secret@github.com/x\n").run(&["build"]);
    assert!(
        stderr(&o).contains("site.yaml:3:3: error: repository.url: holds login details"),
        "{}",
        stderr(&o)
    );
    let o =
        site("title: x\nrepository:\n  url: https://github.com/x\n  kind: svn\n").run(&["build"]);
    assert!(
        stderr(&o).contains("site.yaml:4:3: error: repository.kind: `svn`"),
        "{}",
        stderr(&o)
    );
}
