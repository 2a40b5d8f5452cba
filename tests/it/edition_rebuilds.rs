//! Rebuilds of a site with exports and customer editions at a fixed `--as-of`: a build with
//! nothing changed is skipped whole, and after each kind of edit (one customer's rows, a shared
//! page, a template, site.yaml) every folder holds what a cold build of the same sources writes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{stderr, stdout, TestSite};

const AS_OF: &str = "2026-11-20T09:00";
/// How a build says that an edition was kept as the last build left it.
const KEPT: &str = "(its inputs as at the last build: not built again)";

/// Whether the build's summary says `slug`'s edition was kept as the last build left it.
fn kept(out: &str, slug: &str) -> bool {
    let line = (out.lines())
        .find(|l| l.starts_with(&format!("edition {slug}:")))
        .unwrap_or_else(|| panic!("no line for {slug}: {out}"));
    line.contains(KEPT)
}

fn build(site: &TestSite, extra: &[&str]) -> String {
    let mut args = vec!["build", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let o = site.run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// Every file of the internal site and of each edition, `output/…` and `editions/<slug>/…`.
fn folders(root: &Path) -> BTreeMap<String, Vec<u8>> {
    (["output", "editions"].into_iter())
        .flat_map(|top| {
            let files = crate::rebuilds::tree(&root.join(top));
            files
                .into_iter()
                .map(move |(rel, bytes)| (format!("{top}/{rel}"), bytes))
        })
        .collect()
}

/// What a cold build (a copy of the sources alone, `--no-cache`) writes, at clock `as_of`.
fn cold(site: &TestSite, as_of: &str) -> BTreeMap<String, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    for e in walkdir::WalkDir::new(site.root()).into_iter().flatten() {
        let rel = e.path().strip_prefix(site.root()).unwrap();
        let top = rel.components().next().map(|c| c.as_os_str().to_owned());
        if top.is_some_and(|t| {
            ["output", "editions", ".opsite"]
                .map(Into::into)
                .contains(&t)
        }) {
            continue;
        }
        if e.file_type().is_dir() {
            std::fs::create_dir_all(copy.path().join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), copy.path().join(rel)).unwrap();
        }
    }
    let o = crate::support::run_in(copy.path(), &["build", "--as-of", as_of, "--no-cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    folders(copy.path())
}

fn assert_same(site: &TestSite, after: &str) {
    assert_same_at(site, after, AS_OF);
}

/// The site's folders hold what a cold build at clock `as_of` writes.
fn assert_same_at(site: &TestSite, after: &str, as_of: &str) {
    let built = folders(site.root());
    let cold = cold(site, as_of);
    let differ: Vec<&String> = (built.keys().chain(cold.keys()))
        .filter(|k| built.get(*k) != cold.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "after {after}, unlike a cold build: {differ:?}"
    );
}

#[test]
fn a_site_with_editions_is_skipped_when_nothing_changed_and_matches_a_cold_build_after_each_edit() {
    let site = TestSite::fixture("editions-site");
    let first = build(&site, &[]);
    assert!(!first.contains("nothing changed"), "{first}");
    // The time is the whole build's: on a line of its own, not on the last edition's.
    assert!(
        (first.lines().last()).is_some_and(|l| l.starts_with("done in ")),
        "{first}"
    );
    let again = build(&site, &[]);
    assert!(
        again.contains("nothing changed since the last build"),
        "{again}"
    );
    // Each folder's line is said again, as the last build said it.
    for who in [
        "built ",
        "edition hokuto:",
        "edition nankai:",
        "edition toho:",
    ] {
        assert!(again.contains(who), "{again}");
    }
    assert_same(&site, "a skipped build");

    // Another clock: the pages depend on it (which periods are over), so it builds, and no
    // page is kept as rendered at the other clock.
    for clock in ["2026-12-08T09:00", AS_OF] {
        let o = site.run(&["build", "--as-of", clock]);
        assert!(!stdout(&o).contains("nothing changed"), "{}", stdout(&o));
        assert_same_at(&site, &format!("a build at {clock}"), clock);
    }

    let edits: [(&str, &dyn Fn(&TestSite)); 8] = [
        ("one customer's rows", &|s| {
            let path = s.root().join("data/tickets.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            s.write(
                "data/tickets.csv",
                &text.replace("12:00:00+09:00,北斗会", "15:00:00+09:00,北斗会"),
            );
        }),
        ("a shared page", &|s| {
            s.write(
                "content/help/password.md",
                "---\ntitle: パスワードの再設定\n---\n\n手順を改めました。\n",
            );
        }),
        // One report page of one edition changes: the edition's other report pages are kept,
        // and their shard of the search index is made again with their text.
        ("one customer's commentary", &|s| {
            s.write(
                "content/reports/monthly/2026-11/hokuto.md",
                "---\ntitle: 北斗会 11 月\n---\n\n今月は問い合わせが落ち着きました。\n",
            );
        }),
        ("a template", &|s| {
            s.write(
                "templates/shortcodes/note.html",
                "<aside>{{ body }}</aside>\n",
            );
        }),
        ("site.yaml", &|s| {
            s.edit_config(|c| c.replace("title: 運用ポータル", "title: 運用ポータル（改）"))
        }),
        // The theme's words the site overrides: every page shows them.
        ("the site's words", &|s| {
            s.write("i18n/ja.yaml", "search: サイト内検索\n")
        }),
        // Weeks and a month before the first: the reports' indexes list them.
        ("a ticket weeks before the first", &|s| {
            let path = s.root().join("data/tickets.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            s.write("data/tickets.csv", &format!("{text}NKI-150,南海商事の旧件,high,2026-09-08T10:00:00+09:00,2026-09-08T10:20:00+09:00,2026-09-08T15:00:00+09:00,南海商事\n"));
        }),
        // The status page shows the last days' outages.
        ("an outage yesterday", &|s| {
            let path = s.root().join("data/downtime.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            s.write(
                "data/downtime.csv",
                &format!("{text}portal,2026-11-19T08:00:00+09:00,2026-11-19T08:45:00+09:00\n"),
            );
        }),
    ];
    for (what, edit) in edits {
        edit(&site);
        let out = build(&site, &[]);
        assert!(!out.contains("nothing changed"), "after {what}: {out}");
        // One customer's rows: the other editions are kept as they are, not built again.
        let kept_editions: Vec<&str> = (out.lines())
            .filter(|l| l.contains(KEPT))
            .filter_map(|l| l.split(':').next())
            .collect();
        let expected: &[&str] = match what {
            "one customer's rows" => &["edition nankai", "edition toho"],
            _ => &[],
        };
        assert_eq!(kept_editions, expected, "after {what}: {out}");
        assert_same(&site, what);
        assert!(
            build(&site, &[]).contains("nothing changed"),
            "after {what}, built again"
        );
    }

    // One edition built alone at another clock, or for another address: its folder is not the
    // full build's any more, so the next full build is not skipped.
    for alone in [
        ["--as-of", "2026-12-20T09:00", "--customer", "hokuto"],
        ["--as-of", AS_OF, "--customer", "nankai"],
    ] {
        let mut args = vec!["build"];
        args.extend(alone);
        let args = match alone[3] {
            "nankai" => [args, vec!["--base-url", "https://elsewhere.example/x/"]].concat(),
            _ => args,
        };
        let o = site.run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = build(&site, &[]);
        assert!(!out.contains("nothing changed"), "after {alone:?}: {out}");
        assert_same(&site, &format!("{alone:?}"));
    }

    // Files of one edition removed by hand (a page, a report's CSV whose page is otherwise
    // kept): that build is not skipped, the files come back.
    let page = site.root().join("editions/toho/index.html");
    let csv = (walkdir::WalkDir::new(site.root().join("editions/toho/reports")).into_iter())
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .expect("a report's CSV")
        .into_path();
    std::fs::remove_file(&page).unwrap();
    std::fs::remove_file(&csv).unwrap();
    let out = build(&site, &[]);
    assert!(!out.contains("nothing changed"), "{out}");
    assert!(page.exists() && csv.exists(), "{}", csv.display());
    // The others, their inputs and folders as they were, are kept; toho's is built again.
    assert!(!kept(&out, "toho"), "{out}");
    assert!(kept(&out, "hokuto") && kept(&out, "nankai"), "{out}");
    assert_same(&site, "a file removed by hand");
}

#[test]
fn an_edition_with_a_warning_of_its_own_is_built_again_so_the_warning_is_said_again() {
    let site = TestSite::fixture("editions-site");
    // A link from hokuto's own page to a heading that does not exist: a warning.
    site.write(
        "content/help/hokuto-vpn.md",
        "---\ntitle: 専用 VPN の接続手順\naudience: [hokuto]\n---\n[手順](/help/password/#no-such-heading)\n",
    );
    build(&site, &[]);
    // Another customer's rows change: hokuto's inputs are as before, but it had a warning.
    let path = site.root().join("data/tickets.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "data/tickets.csv",
        &text.replace("NANMARK-TITLE-TWO", "NANMARK-TITLE-2"),
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!kept(&out, "hokuto"), "{out}");
    assert!(kept(&out, "toho"), "{out}");
    assert!(!kept(&out, "nankai"), "{out}");
    assert!(
        stderr(&o).contains("no-such-heading"),
        "the warning is said again: {}",
        stderr(&o)
    );
}

#[test]
fn a_holiday_file_edited_is_a_change_the_build_sees() {
    // One critical ticket due two business hours after Wed 09:00: a holiday that Wednesday
    // moves its deadline, so the reports change.
    let yaml = r#"title: 休日
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
calendars:
  business:
    hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: data/holidays.csv
sla:
  resolution:
    critical: {within: 2h, calendar: business}
"#;
    let site = TestSite::new(&[
        ("site.yaml", yaml),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at\nINC1,critical,2026-11-04 09:00,2026-11-05 10:00\n",
        ),
        ("data/holidays.csv", "date,name\n2026-11-03,文化の日\n"),
    ]);
    build(&site, &[]);
    assert!(build(&site, &[]).contains("nothing changed"));
    site.write(
        "data/holidays.csv",
        "date,name\n2026-11-03,文化の日\n2026-11-04,創立記念日\n",
    );
    let out = build(&site, &[]);
    assert!(!out.contains("nothing changed"), "{out}");
    assert_same(&site, "a holiday added");
}

#[test]
fn an_edition_folder_without_its_mark_is_refused_saying_the_mark_is_missing() {
    let site = TestSite::fixture("editions-site");
    build(&site, &[]);
    std::fs::remove_file(site.root().join("editions/toho/.opsite-output")).unwrap();
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("it has no .opsite-output, the list opsite leaves in every folder it writes"),
        "{}",
        stderr(&o)
    );
    assert!(site.root().join("editions/toho/index.html").exists());
}

/// The search shards of every edition stay in `.opsite/cache/search/`, also those of editions
/// a build kept as they were: the next edit of a page every customer sees indexes that page's
/// shard again, not every edition's reports.
#[test]
fn every_editions_search_shards_stay_cached_while_its_folder_is_kept() {
    let site = TestSite::fixture("editions-site");
    // Each edition's reports have a shard of their own, listed by the index it is part of.
    let report_shards = |slug: &str| -> Vec<String> {
        let listed = site
            .root()
            .join(format!("editions/{slug}/pagefind/opsite-shards.json"));
        let listed: Vec<String> =
            serde_json::from_str(&std::fs::read_to_string(listed).unwrap()).unwrap();
        (listed.iter())
            .map(|s| {
                s.trim_start_matches("shard-")
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect()
    };
    let cached = |key: &str| {
        (site.root())
            .join(format!(".opsite/cache/search/{key}.bin"))
            .is_file()
    };
    build(&site, &[]);
    for slug in ["hokuto", "nankai", "toho"] {
        let keys = report_shards(slug);
        assert!(!keys.is_empty(), "{slug}: its reports' shard");
        assert!(keys.iter().all(|k| cached(k)), "{slug}: {keys:?}");
    }
    let before: Vec<Vec<String>> = ["nankai", "toho"].map(report_shards).to_vec();
    // hokuto's rows change: nankai and toho are kept, and so are their shards.
    let path = site.root().join("data/tickets.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "data/tickets.csv",
        &text.replace("12:00:00+09:00,北斗会", "15:00:00+09:00,北斗会"),
    );
    let out = build(&site, &[]);
    assert!(kept(&out, "nankai") && kept(&out, "toho"), "{out}");
    for keys in &before {
        assert!(
            keys.iter().all(|k| cached(k)),
            "a kept edition's shard: {keys:?}"
        );
    }
    // A shared page edited: every edition is built, as a cold build would make it.
    site.write(
        "content/help/password.md",
        "---\ntitle: パスワードの再設定\n---\n\n手順をさらに改めました。\n",
    );
    build(&site, &[]);
    assert_same(&site, "a shared page after a kept edition");
}

#[test]
fn a_page_whose_template_reads_a_figure_is_rendered_again_when_the_rows_change() {
    let site = TestSite::fixture("editions-site");
    // A theme template that calls `kpi()`: the page's own context does not hold the figure.
    site.write(
        "templates/partials/page_source.html",
        "{% set f = kpi(id=\"mttr.minutes\", period=\"2026-11\") %}<p class=\"figure-check\">MTTR {{ f.text }}</p>\n",
    );
    let shown = |site: &TestSite| -> Vec<String> {
        [
            "output/help/password/index.html",
            "editions/hokuto/help/password/index.html",
        ]
        .map(|page| {
            let html = std::fs::read_to_string(site.root().join(page)).unwrap();
            let at = html.find("figure-check\">").expect("the figure") + 14;
            html[at..].split('<').next().unwrap().to_string()
        })
        .to_vec()
    };
    build(&site, &[]);
    let before = shown(&site);
    let path = site.root().join("data/tickets.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "data/tickets.csv",
        &text.replace("12:00:00+09:00,北斗会", "15:00:00+09:00,北斗会"),
    );
    build(&site, &[]);
    let after = shown(&site);
    for (b, a) in before.iter().zip(&after) {
        assert_ne!(b, a, "the figure as before the edit: {after:?}");
    }
    assert_same(&site, "rows read by a template's figure");
}

#[test]
fn a_comment_in_site_yaml_and_a_build_of_one_edition_write_no_file_anew() {
    let site = TestSite::fixture("editions-site");
    build(&site, &[]);
    let before = folders(site.root());
    let nothing_written = |out: &str| {
        let lines: Vec<&str> = (out.lines())
            .filter(|l| l.starts_with("built ") || l.starts_with("edition "))
            .collect();
        assert!(!lines.is_empty(), "{out}");
        for line in lines {
            // The search index keeps its folders: a report page is known by its file as written.
            assert!(
                line.contains("(0 written,") && !line.contains("removed"),
                "{line}"
            );
        }
    };
    site.edit_config(|c| format!("{c}\n# 月次の締めは第 3 営業日\n"));
    nothing_written(&build(&site, &[]));
    nothing_written(&build(&site, &["--customer", "nankai"]));
    assert_eq!(folders(site.root()), before);
}

/// Every path under the site but its sources and its caches: what a build may leave behind.
fn paths_left(root: &Path) -> Vec<String> {
    let mut paths: Vec<String> = (walkdir::WalkDir::new(root).into_iter().flatten())
        .map(|e| e.path().strip_prefix(root).unwrap().display().to_string())
        .filter(|p| !p.starts_with("content") && !p.starts_with(".opsite"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn a_build_failing_in_its_last_edition_changes_no_folder_and_leaves_no_file_behind() {
    let site = TestSite::fixture("editions-site");
    build(&site, &[]);
    let before = (folders(site.root()), paths_left(site.root()));
    // A page every customer sees, changed: the internal site and every edition are written
    // anew, each as soon as it is built. The last customer's own page links to an internal
    // page, which stops the build only once that edition is built.
    let help = site.root().join("content/help/_index.md");
    let text = std::fs::read_to_string(&help).unwrap();
    site.write("content/help/_index.md", &format!("{text}\n追記。\n"));
    site.write(
        "content/help/toho-only.md",
        "---\ntitle: 東邦物産向け\naudience: [toho]\n---\n[契約書](../internal/escalation.md)\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("edition `toho`: broken link"),
        "{}",
        stderr(&o)
    );
    let after = (folders(site.root()), paths_left(site.root()));
    assert!(
        before == after,
        "a failed build changed the folders: {:?}",
        (after.1.iter())
            .filter(|p| !before.1.contains(p))
            .collect::<Vec<_>>()
    );
}

/// A killed build's staging folders (marked, no build holding them) are removed by the next
/// build, also when that build updates its folders in place: left in `editions/`, a copy of an
/// edition would be published by a deploy that copies the folder.
#[test]
fn a_killed_builds_staging_folders_are_removed_by_the_next_build() {
    let site = TestSite::fixture("editions-site");
    build(&site, &[]);
    let root = site.root();
    // A pid no process has (above the kernel's pid_max).
    let stale = [
        root.join(".output.new-4194305"),
        root.join(".output.old-4194305"),
        root.join("editions/.hokuto.new-4194305"),
    ];
    for (dir, from) in stale.iter().zip(["output", "output", "editions/hokuto"]) {
        std::fs::create_dir_all(dir.join("help")).unwrap();
        let mark = ".opsite-output";
        std::fs::copy(root.join(from).join(mark), dir.join(mark)).unwrap();
        std::fs::write(dir.join("help/index.html"), "a page of the killed build").unwrap();
    }
    let help = root.join("content/help/_index.md");
    let text = std::fs::read_to_string(&help).unwrap();
    site.write("content/help/_index.md", &format!("{text}\n追記。\n"));
    let out = build(&site, &[]);
    assert!(!kept(&out, "hokuto"), "{out}");
    for dir in &stale {
        assert!(!dir.exists(), "{} is left: {out}", dir.display());
    }
}
