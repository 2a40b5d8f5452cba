//! The binary: exit codes, `check` reports, `new`.

use crate::support::{run_in, said, stderr, stdout, TestSite};

#[test]
fn check_lists_problems_grouped_by_file_and_exits_1() {
    let site = TestSite::new(&[
        ("content/a.md", "# A\n\n[x](missing.md)\n"),
        (
            "content/b.md",
            "---\ntitle: B\nreview_by: 2020-01-01\nowner: 佐藤\n---\n",
        ),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "content/a.md\n  content/a.md:3: error: broken link `missing.md`: no such content file (content/missing.md)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "content/b.md: warning: stale procedure: review_by 2020-01-01 has passed (owner: 佐藤)"
        ),
        "{text}"
    );

    site.write("content/a.md", "# A\n");
    assert_eq!(
        site.run(&["check"]).status.code(),
        Some(0),
        "stale pages are warnings"
    );
    assert_eq!(
        site.run(&["check", "--strict"]).status.code(),
        Some(1),
        "and errors with --strict"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .arg("build")
        .arg("--no-such-flag")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `opsite new <target>`, which must succeed; what it printed.
fn new_site(target: &std::path::Path) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .arg("new")
        .arg(target)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

#[test]
fn new_writes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("portal");
    new_site(&target);
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["check", "--root"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["build", "--root"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(build.status.success());
    assert!(target.join("output/sop/daily/index.html").exists());
}

#[test]
fn the_commands_new_prints_run_as_pasted_into_a_shell_for_a_folder_with_a_space() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("運用 ポータル");
    let out = new_site(&target);
    let said = stdout(&out);
    let line = (said.lines())
        .find(|l| l.trim_start().starts_with("opsite build"))
        .unwrap_or_else(|| panic!("{said}"));
    let command = line.split('#').next().unwrap().trim();
    // The line as a shell reads it, with this binary for `opsite`.
    let pasted = command.replacen("opsite", &format!("'{}'", env!("CARGO_BIN_EXE_opsite")), 1);
    let build = std::process::Command::new("sh")
        .args(["-c", &pasted])
        .output()
        .unwrap();
    assert!(build.status.success(), "{pasted}: {}", stderr(&build));
    assert!(target.join("output/index.html").exists());
}

#[test]
fn new_in_english_writes_a_site_a_reader_sees_no_japanese_in() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("portal");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(args)
            .arg(&target)
            .output()
            .unwrap()
    };
    let out = run(&["new", "--language", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(run(&["check", "--root"]).status.success());
    assert!(run(&["build", "--root"]).status.success());
    let page = std::fs::read_to_string(target.join("output/sop/daily/index.html")).unwrap();
    assert!(
        page.contains("<html lang=\"en\"") && page.contains("Daily checks"),
        "{page}"
    );
    for f in walkdir::WalkDir::new(target.join("output"))
        .into_iter()
        .flatten()
    {
        if f.path().extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(f.path()).unwrap();
            let japanese = text
                .chars()
                .find(|c| matches!(*c as u32, 0x3040..=0x30ff | 0x4e00..=0x9fff));
            assert!(japanese.is_none(), "{}: {japanese:?}", f.path().display());
        }
    }
    // A language opsite has no words for is refused, naming the ones it has.
    let out = run(&["new", "--language", "fr"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("ja") && stderr(&out).contains("en"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_flag_is_relative_to_the_current_directory() {
    let site = TestSite::new(&[("content/p.md", "# P\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .current_dir(elsewhere.path())
        .args(["build", "--output", "public", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(elsewhere.path().join("public/p/index.html").exists());
}

#[test]
fn unknown_site_yaml_keys_are_warnings_and_near_misses_errors_with_a_suggestion() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: x\nour_team_code: 7\ndata:\n  tickets:\n    files: data/t.csv\n    optional: true\n    our_note: {id: number}\nparams:\n  free_form: ok\n",
        ),
        ("content/p.md", "# P\n"),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for said in [
        "site.yaml:2:1: warning: unknown key our_team_code\n",
        "site.yaml:7:5: warning: unknown key data.tickets.our_note\n",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    assert!(!err.contains("free_form"), "params are free-form: {err}");
    // A key a few letters from one opsite reads is taken for a typo, at any depth: an error,
    // and nothing is built.
    for (from, to, said) in [
        (
            "our_team_code: 7",
            "relative_url: true",
            "site.yaml:2:1: error: unknown key relative_url (did you mean relative_urls?)",
        ),
        (
            "our_note:",
            "colums:",
            "site.yaml:7:5: error: unknown key data.tickets.colums (did you mean columns?)",
        ),
    ] {
        site.edit_config(|c| c.replace(from, to));
        let o = site.run(&["build"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(said), "{said}: {}", stderr(&o));
        site.edit_config(|c| c.replace(to, from));
    }
}

#[test]
fn errors_print_before_warnings_and_repeated_warnings_are_summarised() {
    let mut files: Vec<(String, String)> = vec![(
        "site.yaml".into(),
        "shortcodes: {ignore: [glossary_tooltip]}\n".into(),
    )];
    for i in 0..230 {
        files.push((
            format!("content/p{i:03}.md"),
            format!("# P{i}\n\n{{{{< glossary_tooltip term=\"a\" >}}}}\n{{{{< glossary_tooltip >}}}}\n\n![x](missing-{i}.png)\n"),
        ));
    }
    files.push((
        "content/zz-bad.md".into(),
        "---\nweight: high\n---\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = TestSite::new(&refs);
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("content/zz-bad.md:2:9: error: front matter: weight"),
        "the error comes first: {first}"
    );
    assert!(
        err.contains("content/p000.md:3: warning: shortcode `glossary_tooltip` is ignored (listed under shortcodes.ignore): used 460 time(s) in 230 file(s), first here"),
        "an ignored shortcode is one warning, however often it is used: {err}"
    );
    assert!(
        err.contains("more warning line(s) (--verbose lists them all)"),
        "{err}"
    );
    let verbose = site.run(&["build", "--verbose"]);
    let all = stderr(&verbose);
    assert_eq!(all.matches("is ignored").count(), 1);
    assert_eq!(
        all.matches("missing image").count(),
        230,
        "--verbose lists each"
    );
    // `check` makes link problems errors: all 231 errors are listed, all before any warning.
    let check = site.run(&["check"]);
    let out = stdout(&check);
    assert_eq!(out.matches(": error: ").count(), 231, "{out}");
    assert!(
        out.contains("content/zz-bad.md\n  content/zz-bad.md:2:9: error"),
        "{out}"
    );
    let last_error = out.rfind(": error: ").unwrap();
    let first_warning = out
        .find(": warning: ")
        .or_else(|| out.find("warning: "))
        .unwrap();
    assert!(last_error < first_warning, "{out}");
}

#[test]
fn mistakes_in_arguments_and_site_yaml_get_one_clear_message() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    let o = run_in(site.root(), &["build", "--root", "site.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is a file; --root takes the site's folder"),
        "{}",
        stderr(&o)
    );

    let o = site.run(&["new", "site.yaml"]);
    let o2 = run_in(site.root(), &["new", "site.yaml"]);
    assert!(
        !o.status.success() && stderr(&o2).contains("site.yaml is a file"),
        "{}",
        stderr(&o2)
    );

    let o = site.run(&["build", "--base-url", "not a url"]);
    assert_eq!(o.status.code(), Some(2), "a usage error");
    assert!(stderr(&o).contains("is not an address"));

    site.write("site.yaml", "title: x\nbase_url: ops portal\n");
    let o = site.run(&["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.starts_with("site.yaml:2:1: error: base_url: `ops portal` is not an address"),
        "{err}"
    );
    assert_eq!(
        err.matches("is not an address").count(),
        1,
        "said once: {err}"
    );
    assert!(
        err.ends_with("stopped: site.yaml has 1 error(s), 0 warning(s); nothing done\n"),
        "{err}"
    );

    site.write("site.yaml", "language: fr\n");
    let o = site.run(&["build"]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("site.yaml:1:1: warning: language:"),
        "{}",
        stderr(&o)
    );
    let html = std::fs::read_to_string(site.root().join("output/index.html")).unwrap();
    assert!(html.contains("Skip to content"), "English labels");
}

#[test]
fn static_dot_files_are_published_but_not_version_control() {
    let site = TestSite::new(&[
        ("content/a.md", "# A\n"),
        (
            "static/.well-known/security.txt",
            "Contact: mailto:sec@example.jp\n",
        ),
        ("static/.htaccess", "Options -Indexes\n"),
        ("static/.git/config", "[core]\n"),
        ("static/.DS_Store", "x"),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.root().join("output");
    assert!(out.join(".well-known/security.txt").is_file());
    assert!(out.join(".htaccess").is_file());
    assert!(!out.join(".git").exists());
    assert!(!out.join(".DS_Store").exists());
}

#[test]
fn new_refuses_to_start_a_site_inside_another_sites_content() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    let o = site.run_in("content", &["new", "sub"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("sub is inside the content/ folder of the site at"),
        "{}",
        stderr(&o)
    );
    assert!(!site.root().join("content/sub").exists());
    // Beside the content folder is fine: a second site in the same repository.
    let o = site.run_in("", &["new", "handbook"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A folder with files in it is left as it is, and the message says what to run instead.
    site.write("notes/old.md", "# old\n");
    let o = site.run_in("", &["new", "notes"]);
    assert_eq!(o.status.code(), Some(1));
    let said = stderr(&o);
    assert!(
        said.contains("the folder notes exists and is not empty; nothing written")
            && said.contains("opsite init --root notes"),
        "{said}"
    );
    assert!(!site.root().join("notes/site.yaml").exists());
    // A repository just made holds only `.git`: a site starts there.
    site.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    let o = site.run_in("", &["new", "repo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.root().join("repo/site.yaml").is_file());
    // A site already: said so, with what to run.
    let o = site.run_in("", &["new", "repo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("repo holds a site already (site.yaml); nothing written"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_kept_mkdocs_nav_is_named_once() {
    let site = TestSite::new(&[
        (
            "mkdocs.yml",
            "site_name: Runbooks\nnav:\n  - Home: index.md\n",
        ),
        ("content/index.md", "# Runbooks\n"),
    ]);
    let o = site.run(&["build"]);
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "mkdocs.yml:2:1: warning: nav: is not read: site.yaml is this site's configuration; copy the nav: list into site.yaml"
        ),
        "{err}"
    );
    assert_eq!(err.matches("mkdocs.yml").count(), 1);
}

/// A wrong value in site.yaml stops the run, but the unknown keys beside it (often the cause)
/// are reported in the same run, then the line saying the run stopped.
#[test]
fn a_config_error_is_reported_with_the_unknown_keys_beside_it_and_a_closing_line() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\nrelative_url: true\nmarkdown:\n  raw_html: escpae\n",
        ),
        ("content/a.md", "# a\n"),
    ]);
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("site.yaml:4:13: error: markdown.raw_html: unknown value `escpae` (did you mean `escape`?)"),
        "{err}"
    );
    // A near-miss is an error beside it, as it is when the rest of the file reads.
    assert!(
        lines[1].starts_with(
            "site.yaml:2:1: error: unknown key relative_url (did you mean relative_urls?)"
        ),
        "{err}"
    );
    assert_eq!(
        lines[2], "stopped: site.yaml has 2 error(s), 0 warning(s); nothing done",
        "{err}"
    );
}

/// A source under `data:` misspelt (`ticket:`) would not be read, and a build would publish
/// every report without its figures (and remove the ones published): an error, the output as
/// it was.
#[test]
fn a_misspelt_data_source_stops_the_build_and_keeps_the_reports_published() {
    let yaml = "title: t\ndata:\n  tickets:\n    files: data/t.csv\nsla:\n  response:\n    high: {within: 1h}\n";
    let site = TestSite::new(&[
        ("site.yaml", yaml),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/t.csv",
            "id,priority,opened_at,responded_at,resolved_at\nA-1,high,2026-11-16T10:00:00+09:00,2026-11-16T10:10:00+09:00,\n",
        ),
    ]);
    let o = site.run(&["build", "--as-of", "2026-11-20T12:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reports = site.root().join("output/reports");
    assert!(reports.is_dir());
    site.write("site.yaml", &yaml.replace("  tickets:", "  ticket:"));
    let o = site.run(&["build", "--as-of", "2026-11-20T12:00"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "site.yaml:3:3: error: unknown key data.ticket (did you mean tickets?): `data:` takes "
        ),
        "{err}"
    );
    // Deeper keys (`data.tickets.colums`) stay warnings: the source is read.
    assert!(reports.is_dir(), "the published reports stay: {err}");
}

/// A misspelt key whose right name the error asks for (`file:` where `files` is missing) is the
/// cause, said in the error, once; a key far from it on the same line is said beside the error.
#[test]
fn a_misspelt_key_that_caused_a_missing_field_is_named_beside_the_error() {
    let site = TestSite::new(&[(
        "site.yaml",
        "title: t\ndata:\n  tickets:\n    file: data/t.csv\n",
    )]);
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("site.yaml:4:5: error: data.tickets: `file` is not a key here: did you mean `files`? (`files` is required)"),
        "{err}"
    );
    assert_eq!(err.matches("`file`").count(), 1, "{err}");
    site.write(
        "site.yaml",
        "title: t\ndata:\n  tickets:\n    path_of_file: data/t.csv\n",
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("site.yaml:4:5: error: data.tickets: missing field `files`")
            && err.contains("site.yaml:4:5: warning: unknown key data.tickets.path_of_file"),
        "{err}"
    );
    site.write(
        "site.yaml",
        "title: t\nversions:\n  - {name: v1, dirr: x}\n",
    );
    let err = stderr(&site.run(&["build"]));
    assert_eq!(err.matches("dirr").count(), 1, "{err}");
}

/// `opsite new --example msp` is a site whose build, editions, check and mails work at once, in
/// both languages, each customer's edition holding its own commentary and nothing of the other.
#[test]
fn the_msp_example_works_at_once_and_keeps_each_customer_to_itself() {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    let months = today.year() * 12 + today.month0() as i32 - 1;
    let last_month = format!("{}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1);
    for (language, mine, other, own_words, internal_words) in [
        (
            "ja",
            "toto-medical",
            "南海ロジスティクス",
            "この顧客だけが見るコメント",
            "社内向けのコメント",
        ),
        (
            "en",
            "northwind",
            "Harbor Logistics",
            "Only this customer sees",
            "Internal commentary",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("msp");
        let run = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
                .args(args)
                .arg("--root")
                .arg(&site)
                .output()
                .unwrap()
        };
        let made = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(["new", "--example", "msp", "--language", language])
            .arg(&site)
            .output()
            .unwrap();
        assert!(made.status.success(), "{}", stderr(&made));
        assert!(stdout(&made).contains(&format!("--period {last_month} --all-customers")));
        let built = run(&["build"]);
        assert!(built.status.success(), "{}", said(&built));
        assert!(!said(&built).contains("warning"), "{}", said(&built));
        let check = run(&["check"]);
        assert!(check.status.success(), "{}", said(&check));
        let report = site.join(format!(
            "editions/{mine}/reports/monthly/{last_month}/index.html"
        ));
        let page = std::fs::read_to_string(&report).unwrap();
        assert!(page.contains(own_words), "{page}");
        assert!(!page.contains(internal_words));
        for f in walkdir::WalkDir::new(site.join("editions").join(mine))
            .into_iter()
            .flatten()
        {
            if f.file_type().is_file() {
                let bytes = std::fs::read(f.path()).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains(other),
                    "{} names {other}",
                    f.path().display()
                );
            }
        }
        // The mail command as printed works on any day, a Monday's morning included, when the
        // week just begun has no ticket yet.
        let printed = stdout(&made);
        let line = printed
            .lines()
            .find(|l| l.contains("opsite email"))
            .expect("a mail command is printed");
        let words: Vec<&str> = line
            .split_whitespace()
            .skip(1)
            .take_while(|w| *w != "--root")
            .collect();
        let monday =
            today + chrono::Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
        for clock in [None, Some(format!("{monday}T08:00"))] {
            let mut args = words.clone();
            if let Some(clock) = &clock {
                args.extend(["--as-of", clock]);
            }
            let mail = run(&args);
            assert!(mail.status.success(), "{clock:?}: {}", said(&mail));
            assert!(said(&mail).contains("2 mail(s) checked"), "{}", said(&mail));
        }
        // The same day makes the same exports.
        let again = dir.path().join("again");
        let made = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(["new", "--example", "msp", "--language", language])
            .arg(&again)
            .output()
            .unwrap();
        assert!(made.status.success());
        for data in [
            "data/tickets.csv",
            "data/downtime.csv",
            "data/escalation.yaml",
        ] {
            assert_eq!(
                std::fs::read(site.join(data)).unwrap(),
                std::fs::read(again.join(data)).unwrap(),
                "{data}"
            );
        }
    }
}

/// `opsite new` refuses every folder of an outer site (its configured content folder, a
/// version's pages, git's, the documents'), and allows a folder of its own beside them.
#[test]
fn new_refuses_every_folder_of_an_outer_site() {
    let site = TestSite::new(&[
        ("site.yaml", "title: x\ncontent_dir: docs\nversions:\n  - {name: v2}\n  - {name: v1, path: archive/v1}\n"),
        ("docs/_index.md", "# x\n"),
        ("archive/v1/_index.md", "# old\n"),
    ]);
    for inside in [
        "docs/x",
        "archive/v1/x",
        ".git/x",
        "mail/x",
        "pdf/x",
        "data/x",
    ] {
        let o = site.run_in("", &["new", inside]);
        assert!(!o.status.success(), "{inside}");
        assert!(
            stderr(&o).contains("a new site needs a folder of its own"),
            "{}",
            stderr(&o)
        );
        assert!(!site.root().join(inside).exists(), "{inside}");
    }
    // Through a link to one of them too.
    std::os::unix::fs::symlink("docs", site.root().join("pages")).unwrap();
    let o = site.run_in("", &["new", "pages/x"]);
    assert!(
        stderr(&o).contains("a new site needs a folder of its own"),
        "{}",
        stderr(&o)
    );
    assert!(!site.root().join("docs/x").exists());
    assert!(site.run_in("", &["new", "manual"]).status.success());
}

/// The summary line counts in words a reader expects: `1 page, 1 section`, not `1 pages`.
#[test]
fn the_summary_line_says_one_page_and_two_pages() {
    let site = TestSite::new(&[
        ("site.yaml", "title: t\nlanguage: en\n"),
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/a.md", "---\ntitle: A\n---\nText.\n"),
    ]);
    let o = site.run(&["build"]);
    let out = stdout(&o);
    assert!(out.contains("built 1 page, 1 section"), "{out}");
    site.write("content/b.md", "---\ntitle: B\n---\nMore.\n");
    let out = stdout(&site.run(&["build"]));
    assert!(out.contains("built 2 pages, 1 section"), "{out}");
}

/// `all` is offered only where it is taken: `kpi --period` names it, `pdf` and `email` do not.
#[test]
fn a_period_that_is_none_offers_all_only_to_kpi() {
    let site = TestSite::fixture("reports-site");
    let kpi = stderr(&site.run(&["kpi", "--period", "2026-13x"]));
    assert!(kpi.contains("2026-Q4), or all"), "{kpi}");
    let pdf = site.run(&["pdf", "monthly", "--period", "all"]);
    assert!(!pdf.status.success());
    let err = stderr(&pdf);
    assert!(
        err.contains("is not a period (2026-11, 2026-W47 or 2026-Q4)"),
        "{err}"
    );
    assert!(!err.contains("or all"), "{err}");
}

/// Several keys a few letters (or a short form) from opsite's: every one is an error in the
/// same run, in the file's order, counted as errors; a key far from any stays a warning.
#[test]
fn every_near_miss_key_is_an_error_in_one_run() {
    let site = TestSite::new(&[(
        "site.yaml",
        "title: t\ncontracts:\n  - {name: std, custmers: \"*\"}\ntz: Asia/Tokyo\nlang: en\nour_code: 1\n",
    )]);
    let said = stderr(&site.run(&["build"]));
    let at = |what: &str| said.find(what).unwrap_or_else(|| panic!("{what}: {said}"));
    assert!(
        at("site.yaml:3:5: error: contracts[0]: `custmers`")
            < at("site.yaml:4:1: error: unknown key tz (did you mean timezone?)")
            && at("site.yaml:4:1: error") < at("site.yaml:5:1: error: unknown key lang")
            && at("site.yaml:5:1: error") < at("site.yaml:6:1: warning: unknown key our_code"),
        "{said}"
    );
    assert!(
        said.contains("stopped: site.yaml has 3 error(s), 1 warning(s)"),
        "{said}"
    );
}
