//! Nothing is lost, nothing escapes: which folders a build may replace, where the site is, output
//! paths that would leave the output folder, symbolic links out of the site.

use std::path::Path;

use crate::support::{run_in, stderr, stdout, TestSite};

fn small_site() -> TestSite {
    TestSite::new(&[
        ("site.yaml", "title: 運用ポータル\n"),
        ("content/_index.md", "---\ntitle: ホーム\n---\n"),
        ("content/sop/daily.md", "---\ntitle: 日次点検\n---\n本文\n"),
    ])
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn no_staging_left(dir: &Path) {
    let left: Vec<String> = names(dir)
        .into_iter()
        .filter(|n| n.contains(".new-") || n.contains(".old-"))
        .collect();
    assert!(
        left.is_empty(),
        "staging folders left in {}: {left:?}",
        dir.display()
    );
}

#[test]
fn output_folder_holding_other_files_is_refused_unless_forced() {
    let site = small_site();
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("scratch");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("important.txt"), "keep me").unwrap();
    let o = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("refusing to replace {}", out.display())),
        "{err}"
    );
    assert!(
        err.contains("important.txt") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("important.txt")).unwrap(),
        "keep me"
    );
    no_staging_left(scratch.path());

    let forced = site.run(&["build", "--output", out.to_str().unwrap(), "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(!out.join("important.txt").exists());
    assert!(out.join("sop/daily/index.html").exists());
    assert!(
        out.join(".opsite-output").exists(),
        "the output carries opsite's mark"
    );
    // Marked now: the next build replaces it without --force.
    let again = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    no_staging_left(scratch.path());
}

#[test]
fn new_empty_and_marked_output_folders_are_accepted() {
    let site = small_site();
    let place = tempfile::tempdir().unwrap();
    let fresh = place.path().join("deep/new/public");
    let o = site.run(&["build", "--output", fresh.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fresh.join("index.html").exists());
    let empty = place.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = site.run(&["build", "--output", empty.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The mark is not a page: not in the sitemap.
    let sitemap = std::fs::read_to_string(empty.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("opsite-output"), "{sitemap}");
}

#[test]
fn the_site_and_its_source_folders_are_never_an_output_even_with_force() {
    let site = small_site();
    for dir in [
        "content",
        "content/sop",
        "data",
        "static",
        "themes",
        "templates",
        ".opsite",
        ".git/x",
    ] {
        std::fs::create_dir_all(site.root().join(dir)).unwrap();
    }
    let before = names(&site.root().join("content"));
    let parent = site.root().parent().unwrap().to_path_buf();
    let targets: Vec<String> = [
        site.root().to_path_buf(),
        site.root().join("."),
        parent.clone(),
        site.root().join("content"),
        site.root().join("content/sop"),
        site.root().join("data"),
        site.root().join("static/x"),
        site.root().join("themes"),
        site.root().join("templates"),
        site.root().join(".opsite/out"),
        site.root().join(".git"),
        site.root().join("content/../content/sop"),
    ]
    .iter()
    .map(|p| p.display().to_string())
    .collect();
    for target in &targets {
        let o = site.run(&["build", "--output", target, "--force"]);
        assert_eq!(o.status.code(), Some(1), "--output {target} was accepted");
        let err = stderr(&o);
        assert!(
            err.contains("refusing to write the output into"),
            "{target}: {err}"
        );
    }
    assert_eq!(names(&site.root().join("content")), before);
    assert!(site.root().join("site.yaml").exists());
    assert!(site.root().join("content/sop/daily.md").exists());
    no_staging_left(site.root());
    no_staging_left(&parent);
    // `--output .` from inside the site is the site itself.
    let o = site.run_in("content", &["build", "--output", ".."]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(site.root().join("site.yaml").exists());
}

#[test]
fn a_file_is_not_an_output_folder() {
    let site = small_site();
    let place = tempfile::tempdir().unwrap();
    let file = place.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let o = site.run(&["build", "--output", file.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a folder"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn a_build_that_fails_while_writing_leaves_no_staging_and_the_old_output() {
    let site = small_site();
    assert!(site.run(&["build"]).status.success());
    let before = std::fs::read(site.root().join("output/sop/daily/index.html")).unwrap();
    // `static/sop/daily` is a file where the page needs a folder: the write itself fails.
    site.write("static/sop/daily", "x");
    site.write("content/sop/daily.md", "---\ntitle: 変更\n---\n");
    let o = site.run(&["build"]);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(site.root().join("output/sop/daily/index.html")).unwrap(),
        before
    );
    no_staging_left(site.root());
}

#[test]
fn stale_staging_folders_of_opsite_are_cleared_and_others_kept() {
    let site = small_site();
    let ours = site.root().join(".output.new-99999");
    std::fs::create_dir(&ours).unwrap();
    std::fs::write(ours.join(".opsite-output"), "").unwrap();
    let theirs = site.root().join(".output.new-12345");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), "mine").unwrap();
    assert!(site.run(&["build"]).status.success());
    assert!(!ours.exists(), "a killed build's staging folder is removed");
    assert!(
        theirs.join("notes.txt").exists(),
        "a folder without the mark is kept"
    );
}

#[test]
fn the_site_is_found_from_a_subfolder_and_no_site_is_an_error() {
    let site = small_site();
    let o = site.run_in("content/sop", &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.root().join("output/sop/daily/index.html").exists());
    assert!(!site.root().join("content/sop/output").exists());
    let o = site.run_in("content/sop", &["check"]);
    assert!(o.status.success(), "{}", stdout(&o));

    let nowhere = tempfile::tempdir().unwrap();
    for cmd in [&["build"][..], &["check"], &["kpi", "--period", "2026-10"]] {
        let o = run_in(nowhere.path(), cmd);
        assert_eq!(o.status.code(), Some(1), "{cmd:?}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("no site.yaml (nor a Hugo configuration or mkdocs.yml) in"),
            "{}",
            stderr(&o)
        );
    }
    assert!(names(nowhere.path()).is_empty(), "nothing written");
    let o = run_in(
        nowhere.path(),
        &["check", "--root", nowhere.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a site: it has no site.yaml, Hugo configuration or mkdocs.yml"),
        "{}",
        stderr(&o)
    );
}

/// A site two folders down in a temporary folder, with one page carrying `line` in its front
/// matter, built: the holder (to search for strays), the site root and the run.
fn build_page_with(line: &str) -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let holder = tempfile::tempdir().unwrap();
    let root = holder.path().join("a/b/site");
    crate::support::write(&root, "site.yaml", "");
    crate::support::write(
        &root,
        "content/docs/page.md",
        &format!("---\ntitle: x\n{line}\n---\n本文\n"),
    );
    let o = run_in(&root, &["build"]);
    (holder, root, o)
}

/// Every way a front-matter value could lead a file out of the output folder. Dot segments
/// resolve as a browser resolves them, never above the root (Hugo trees carry aliases like
/// `/../katacoda/`): such pages are written inside the output.
#[test]
fn output_paths_from_content_stay_inside_the_output_folder() {
    for (line, inside) in [
        ("url: ../../evil-out", "evil-out"),
        ("aliases: [\"../../../evil-alias\"]", "evil-alias"),
        ("url: \"%2e%2e/%2e%2e/evil-pct\"", "evil-pct"),
        ("url: '..\\..\\evil-backslash'", "evil-backslash"),
    ] {
        let (holder, root, o) = build_page_with(line);
        assert!(o.status.success(), "{line}: {}", stderr(&o));
        assert!(
            root.join("output")
                .join(inside)
                .join("index.html")
                .is_file(),
            "{line}"
        );
        let outside: Vec<String> = walkdir::WalkDir::new(holder.path())
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .filter(|p| p.to_string_lossy().contains("evil") && !p.starts_with(root.join("output")))
            .map(|p| p.display().to_string())
            .collect();
        assert!(outside.is_empty(), "{line}: {outside:?}");
    }
    let cases: &[(&str, &str)] = &[
        ("aliases: [\"https://evil.example/x\"]", "aliases"),
        ("aliases: [\"/.git/evil-git/\"]", "aliases"),
        ("aliases: [\"/.opsite-output/evil-mark\"]", "aliases"),
        ("url: \"C:/evil-drive\"", "url"),
        ("slug: \"..\"", "slug"),
        ("slug: \"../../../tmp/evil-slug\"", "slug"),
        ("tags: [\"..\"]", "tags"),
    ];
    for (line, key) in cases {
        let (holder, root, o) = build_page_with(line);
        assert_eq!(o.status.code(), Some(1), "{line}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.contains("content/docs/page.md:3:")
                && err.contains(&format!("front matter: {key}:")),
            "{line}: {err}"
        );
        assert!(!root.join("output").exists(), "{line}: nothing written");
        let everything: Vec<String> = walkdir::WalkDir::new(holder.path())
            .into_iter()
            .map(|e| e.unwrap().path().display().to_string())
            .filter(|p| p.contains("evil"))
            .collect();
        assert!(everything.is_empty(), "{line}: {everything:?}");
    }
}

#[test]
fn absolute_aliases_are_site_paths_inside_the_output() {
    let site = TestSite::new(&[(
        "content/p.md",
        "---\ntitle: p\naliases: [/etc/passwd, /a/./b/../c/]\n---\n",
    )]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.root().join("output/etc/passwd/index.html").exists());
    assert!(site.root().join("output/a/c/index.html").exists());
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_errors_and_links_inside_work() {
    use std::os::unix::fs::symlink;
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    let site = small_site();
    site.write("shared/手順.md", "---\ntitle: 共有手順\n---\n");
    site.write("shared/logo.svg", "<svg/>");
    symlink(site.root().join("shared"), site.root().join("content/共有")).unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink(
        site.root().join("shared/logo.svg"),
        site.root().join("static/logo.svg"),
    )
    .unwrap();
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.root().join("output/共有/手順/index.html").exists());
    assert!(site.root().join("output/logo.svg").exists());

    for link in [
        "content/sop/key.txt",
        "static/id_rsa",
        "themes/default/static/k",
        "content/leak.md",
    ] {
        let path = site.root().join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(secret.path().join("id_rsa"), &path).unwrap();
        let o = site.run(&["build"]);
        assert_eq!(o.status.code(), Some(1), "{link}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!(
                "{link}: error: symbolic link leads outside the site folder"
            )),
            "{link}: {err}"
        );
        std::fs::remove_file(&path).unwrap();
    }
    let published: Vec<String> = walkdir::WalkDir::new(site.root().join("output"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .unwrap()
                .windows(11)
                .any(|w| w == b"PRIVATE KEY")
        })
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(published.is_empty(), "{published:?}");
}

#[test]
fn links_into_the_sites_private_places_publish_nothing() {
    use std::os::unix::fs::symlink;
    let site = small_site();
    site.write(
        ".git/config",
        "[remote] url=https://user:TOKEN@git.example/x\n",
    );
    site.write("data/tickets.csv", "id,customer\n1,ACME\n");
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    assert!(site.run(&["build"]).status.success());
    for (link, to) in [
        ("static/gitconfig.txt", "../.git/config"),
        ("static/tickets.csv", "../data/tickets.csv"),
        ("static/site.yaml", "../site.yaml"),
        ("content/outlink", "../output"),
    ] {
        let path = site.root().join(link);
        symlink(to, &path).unwrap();
        let o = site.run(&["build"]);
        assert_eq!(o.status.code(), Some(1), "{link}");
        assert!(
            stderr(&o).contains(&format!("{link}: error: symbolic link leads to")),
            "{link}: {}",
            stderr(&o)
        );
        std::fs::remove_file(&path).unwrap();
    }
    assert!(!site.root().join("output/gitconfig.txt").exists());
    assert!(!site.root().join("output/outlink").exists());
}

#[test]
fn a_file_added_to_an_output_folder_by_hand_stops_the_build_until_moved_or_forced() {
    let site = small_site();
    assert!(site.run(&["build"]).status.success());
    site.write("output/notes.txt", "my notes");
    site.write("output/mine/plan.md", "plan");
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("2 file(s) in it were not written by opsite (mine/plan.md, notes.txt), and a build replaces the whole folder; move them out, or pass --force to delete them"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("output/notes.txt")).unwrap(),
        "my notes"
    );
    // Rebuilding without the user's files works again, and --force deletes them.
    let o = site.run(&["build", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.root().join("output/notes.txt").exists());
    assert!(
        site.run(&["build"]).status.success(),
        "its own files are known"
    );
}

#[test]
fn a_killed_builds_staging_folder_without_files_is_cleared() {
    let site = small_site();
    // A pid no process can have (above the kernel's pid_max): an empty folder whose pid a
    // live process has is kept a while on purpose (its build may not have locked it yet).
    let empty = site.root().join(".output.new-4294969/docs/a");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(site.run(&["build"]).status.success());
    no_staging_left(site.root());
}

#[test]
fn links_that_lead_to_each_other_are_named_a_loop() {
    use std::os::unix::fs::symlink;
    let site = small_site();
    symlink("loop2", site.root().join("content/loop1")).unwrap();
    symlink("loop1", site.root().join("content/loop2")).unwrap();
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("content/loop1: error: symbolic link loop"),
        "{err}"
    );
}

#[test]
fn a_broken_link_names_where_it_points() {
    use std::os::unix::fs::symlink;
    let site = small_site();
    symlink(
        "/mnt/share/runbook.md",
        site.root().join("content/runbook.md"),
    )
    .unwrap();
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/runbook.md: error: broken symbolic link: it points to /mnt/share/runbook.md, which does not exist"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn force_never_wipes_a_repository_another_site_or_a_folder_inside_output() {
    let site = small_site();
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(other.path().join(".git")).unwrap();
    std::fs::write(other.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let o = site.run(&[
        "build",
        "--output",
        other.path().to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("it holds a .git folder (a repository)"),
        "{}",
        stderr(&o)
    );
    assert!(other.path().join(".git/HEAD").is_file());
    let second = tempfile::tempdir().unwrap();
    std::fs::write(second.path().join("site.yaml"), "title: x\n").unwrap();
    let o = site.run(&[
        "build",
        "--output",
        second.path().to_str().unwrap(),
        "--force",
    ]);
    assert!(
        stderr(&o).contains("it holds a site.yaml (another site)"),
        "{}",
        stderr(&o)
    );
    assert!(second.path().join("site.yaml").is_file());
    let o = site.run_in("", &["build", "--output", "output/sub"]);
    assert!(
        stderr(&o).contains("inside the site's output/ folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_page_cannot_take_the_output_mark_or_a_git_path() {
    let site = small_site();
    site.write("content/mark.md", "---\nurl: /.opsite-output\n---\n# x\n");
    site.write("content/git.md", "---\nurl: /.git/config\n---\n# y\n");
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "content/mark.md: error: output path `.opsite-output` has opsite's output mark as a name"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/git.md: error: output path `.git/config/index.html` has a .git segment"
        ),
        "{err}"
    );
}

#[test]
fn escape_mode_also_cleans_shortcode_output_and_static_robots_txt_wins() {
    let site = small_site();
    site.write("site.yaml", "markdown: {raw_html: escape}\n");
    site.write(
        "content/fig.md",
        "{{< figure src=\"a.png\" link=\"javascript:alert(1)\" caption=\"c\" >}}\n",
    );
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 script link(s) in shortcode output removed"),
        "{}",
        stderr(&o)
    );
    let html = std::fs::read_to_string(site.root().join("output/fig/index.html")).unwrap();
    assert!(
        !html.contains("javascript:") && html.contains("<a href=\"#\"><img"),
        "{html}"
    );
    let robots = std::fs::read_to_string(site.root().join("output/robots.txt")).unwrap();
    assert_eq!(robots, "User-agent: *\nDisallow: /\n");
}

/// `output` a link to a folder that contains the site: even `--force` must not replace it (the
/// site's sources are inside), as `--output` to that folder is refused.
#[test]
fn an_output_link_to_a_folder_holding_the_site_is_refused_even_with_force() {
    use std::os::unix::fs::symlink;
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    crate::support::write(&root, "site.yaml", "title: 運用ポータル\n");
    crate::support::write(
        &root,
        "content/sop/daily.md",
        "---\ntitle: 日次点検\n---\n本文\n",
    );
    std::fs::write(parent.path().join("keep.txt"), "keep").unwrap();
    symlink(parent.path(), root.join("output")).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["build", "--root", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = run_in(parent.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("it contains the site"),
            "{}",
            stderr(&o)
        );
    }
    assert!(root.join("site.yaml").is_file());
    assert!(root.join("content/sop/daily.md").is_file());
    assert_eq!(
        std::fs::read_to_string(parent.path().join("keep.txt")).unwrap(),
        "keep"
    );
}

/// An older version's pages (`versions[].path`) are what people wrote: no `--output`, even with
/// `--force`, goes into them.
#[test]
fn a_versions_folder_is_never_an_output_even_with_force() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: x\nversions:\n  - {name: v2}\n  - {name: v1, path: archive/v1/content}\n",
        ),
        ("content/_index.md", "# now\n"),
        ("archive/v1/content/_index.md", "# old\n"),
    ]);
    let o = site.run_in("", &["build", "--output", "archive/v1/content", "--force"]);
    assert!(
        stderr(&o).contains("it is inside the site's archive/v1/content/ folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("archive/v1/content/_index.md")).unwrap(),
        "# old\n"
    );
    // Nor into a source folder of another site.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("site.yaml"), "title: y\n").unwrap();
    std::fs::create_dir_all(other.path().join("data")).unwrap();
    std::fs::write(other.path().join("data/t.csv"), "id\n").unwrap();
    let target = other.path().join("data");
    let o = site.run(&["build", "--output", target.to_str().unwrap(), "--force"]);
    assert!(
        stderr(&o).contains("it is inside data/, a folder of the site at"),
        "{}",
        stderr(&o)
    );
    assert!(other.path().join("data/t.csv").is_file());
    // Nor into a Hugo tree's pages, which opsite builds as they are.
    let hugo = tempfile::tempdir().unwrap();
    std::fs::write(hugo.path().join("hugo.toml"), "title = \"H\"\n").unwrap();
    std::fs::create_dir_all(hugo.path().join("content/posts")).unwrap();
    std::fs::write(hugo.path().join("content/posts/a.md"), "x\n").unwrap();
    let target = hugo.path().join("content");
    let o = site.run(&["build", "--output", target.to_str().unwrap(), "--force"]);
    assert!(
        stderr(&o).contains("it is inside content/, a folder of the site at"),
        "{}",
        stderr(&o)
    );
    assert!(hugo.path().join("content/posts/a.md").is_file());
}
