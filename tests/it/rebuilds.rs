//! Rebuilds over a kept `output/` and `.opsite/` (a CI cache, a second `opsite build`): what
//! did not change is not done again, and the output is always what a cold build writes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{stderr, stdout, TestSite};

/// A site of a few sections with lists, tags and the search index, so that an edit reaches
/// pages other than its own (section lists, term pages, the index).
fn site() -> TestSite {
    let mut files: Vec<(String, String)> = vec![(
        "site.yaml".into(),
        "title: 運用ポータル\nbase_url: https://ops.example.jp/\nlanguage: ja\n".into(),
    )];
    for s in ["sop", "runbooks", "faq"] {
        files.push((
            format!("content/{s}/_index.md"),
            format!("---\ntitle: {s}\n---\n"),
        ));
        for i in 0..12 {
            files.push((
                format!("content/{s}/p{i:02}.md"),
                format!(
                    "---\ntitle: {s} 手順 {i}\ntags: [t{}]\n---\n\n## 概要\n\n{s} の手順 {i}。障害対応の流れ。\n\n```bash\nsystemctl status app-{i}\n```\n",
                    i % 3
                ),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    TestSite::new(&refs)
}

fn build(site: &TestSite, extra: &[&str]) -> String {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let o = site.run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// Every file of a folder, path → bytes.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The output a cold build (`--no-cache`, no earlier output) of the same sources writes.
fn cold_output(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    cold_output_with(site, &[])
}

/// The `--as-of` of the tests whose sites have reports, so a cold build shows the same clock.
const AS_OF: &str = "2026-11-27T09:00";

/// `cold_output` with these environment variables set.
fn cold_output_with(site: &TestSite, env: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let copy = tempfile::tempdir().unwrap();
    let sources = ["content", "static", "data"].map(|d| site.root().join(d));
    for e in sources
        .iter()
        .filter(|d| d.exists())
        .flat_map(walkdir::WalkDir::new)
    {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(site.root()).unwrap();
        if e.file_type().is_dir() {
            std::fs::create_dir_all(copy.path().join(rel)).unwrap();
        } else {
            std::fs::copy(e.path(), copy.path().join(rel)).unwrap();
        }
    }
    std::fs::copy(site.root().join("site.yaml"), copy.path().join("site.yaml")).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .current_dir(copy.path())
        .args(["build", "--no-cache", "--as-of", AS_OF])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    tree(&copy.path().join("output"))
}

fn written(summary: &str) -> usize {
    counted(summary, " written")
}

/// The number before `what` in a build's summary (`12 written`, `30 unchanged`).
fn counted(summary: &str, what: &str) -> usize {
    let at = summary.find(what).expect(summary);
    let digits: String = summary[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

#[test]
fn nothing_changed_is_skipped_even_with_new_file_times_and_an_edit_gives_a_cold_builds_bytes() {
    let site = site();
    let first = build(&site, &[]);
    assert!(!first.contains("nothing changed"), "{first}");
    let again = build(&site, &[]);
    assert!(
        again.contains("nothing changed since the last build"),
        "{again}"
    );
    assert_eq!(written(&again), 0);

    // A fresh CI checkout: same bytes, new modification times.
    for e in walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let text = std::fs::read(e.path()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(2));
            std::fs::write(e.path(), text).unwrap();
        }
    }
    assert!(
        build(&site, &[]).contains("nothing changed"),
        "content hashes, not times"
    );

    // One page's body: its page and the index shard it is in, not the whole site.
    site.write(
        "content/runbooks/p05.md",
        "---\ntitle: runbooks 手順 5\ntags: [t2]\n---\n\n## 概要\n\nディスク容量の警告に対応する追記。\n",
    );
    let edited = build(&site, &[]);
    assert!(!edited.contains("nothing changed"), "{edited}");
    let files = tree(&site.root().join("output")).len();
    assert!(written(&edited) * 3 < files, "{edited}");
    let page = std::fs::read_to_string(site.root().join("output/runbooks/p05/index.html")).unwrap();
    assert!(page.contains("ディスク容量の警告に対応する追記"));
    assert!(
        tree(&site.root().join("output")) == cold_output(&site),
        "warm output differs from cold"
    );

    // A new page and a removed one change lists and navigation everywhere: still a cold build's bytes.
    site.write(
        "content/faq/new.md",
        "---\ntitle: 新しい質問\n---\n\nVPN に接続できない。\n",
    );
    std::fs::remove_file(site.root().join("content/sop/p03.md")).unwrap();
    build(&site, &[]);
    assert!(!site.root().join("output/sop/p03/index.html").exists());
    assert!(
        tree(&site.root().join("output")) == cold_output(&site),
        "warm output differs from cold"
    );
}

/// With shards of about four pages a shard whose key missed what its pages show would keep its
/// old bundle after the edit; each edit changes one thing the index shows of a page.
#[test]
fn each_fact_the_index_shows_reindexes_the_shards_that_show_it() {
    let site = site();
    let small_shards = [("OPSITE_SEARCH_SHARD_PAGES", "4")];
    let build_small = || {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(["build", "--root"])
            .arg(site.root())
            .envs(small_shards)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    build_small();
    let page = |title: &str, front: &str| {
        format!("---\ntitle: {title}\n{front}---\n\n## 概要\n\n手順。障害対応の流れ。\n")
    };
    let edits: [(&str, String); 4] = [
        (
            "content/runbooks/p05.md",
            page("名前だけ変えた手順", "tags: [t2]\n"),
        ),
        (
            "content/runbooks/p06.md",
            page("runbooks 手順 6", "tags: [t9, 新タグ]\n"),
        ),
        (
            "content/sop/p07.md",
            page("sop 手順 7", "tags: [t1]\ndescription: 説明を足した\n"),
        ),
        (
            "content/faq/_index.md",
            "---\ntitle: よくある質問\n---\n".to_string(),
        ),
    ];
    for (path, text) in edits {
        site.write(path, &text);
        let said = build_small();
        assert!(!said.contains("nothing changed"), "{path}: {said}");
        let warm = tree(&site.root().join("output"));
        let shards = warm
            .keys()
            .filter(|k| k.ends_with("pagefind-entry.json"))
            .count();
        assert!(shards > 5, "{shards} shards: the test needs several");
        assert!(
            warm == cold_output_with(&site, &small_shards),
            "after editing {path}, the rebuilt output differs from a cold build's"
        );
    }
}

/// One ticket's title edited: every report page names the export's new hash, so each is made
/// again, but only the reports that list the ticket are indexed again (each report page is a
/// shard of its own here), and the output is what a cold build writes.
#[test]
fn one_tickets_edit_indexes_again_only_the_reports_that_list_it() {
    // A ticket every other day for ten weeks, each listed by its week's and month's report.
    let mut tickets = String::from("id,title,priority,opened_at,responded_at,resolved_at\n");
    for n in 0..35u32 {
        let (month, day) = (9 + n / 15, 1 + 2 * (n % 15));
        let at = format!("2026-{month:02}-{day:02}T10:");
        tickets.push_str(&format!(
            "INC-{n},問い合わせ {n},high,{at}00:00+09:00,{at}20:00+09:00,{at}50:00+09:00\n"
        ));
    }
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: 週報\nlanguage: ja\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\nreports:\n  weekly: {ticket_list: all}\n  monthly: {ticket_list: all}\n",
        ),
        ("data/tickets.csv", &tickets),
    ]);
    let one_report_a_shard = [("OPSITE_SEARCH_SHARD_REPORT_BYTES", "1")];
    let build = || {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(["build", "--as-of", AS_OF, "--root"])
            .arg(site.root())
            .envs(one_report_a_shard)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let shards = |files: &BTreeMap<String, Vec<u8>>| -> std::collections::BTreeSet<String> {
        (files.keys())
            .filter_map(|k| k.strip_prefix("pagefind/shard-")?.split('/').next())
            .map(str::to_string)
            .collect()
    };
    let reports = |files: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        (files.iter())
            .filter(|(k, _)| k.starts_with("reports/") && k.ends_with("/index.html"))
            .filter(|(k, _)| k.matches('/').count() == 3)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    build();
    let before = tree(&site.root().join("output"));
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    site.write(
        "data/tickets.csv",
        &tickets.replace("問い合わせ 20,", "問い合わせ 20（拠点B）,"),
    );
    build();
    let after = tree(&site.root().join("output"));
    let (old_pages, new_pages) = (reports(&before), reports(&after));
    let listing = (old_pages.values())
        .filter(|html| String::from_utf8_lossy(html).contains("問い合わせ 20<"))
        .count();
    assert!(
        listing >= 1 && old_pages.len() > listing + 2,
        "{listing} of {} report pages list the ticket: the test needs others",
        old_pages.len()
    );
    assert!(
        old_pages.iter().all(|(k, v)| new_pages.get(k) != Some(v)),
        "every report page names the export's hash, so each changed"
    );
    let (old_shards, new_shards) = (shards(&before), shards(&after));
    assert!(old_shards.len() > listing + 2, "{old_shards:?}");
    let indexed_again = new_shards.difference(&old_shards).count();
    assert_eq!(
        indexed_again, listing,
        "only the shards of the reports that list the ticket are new"
    );
    assert!(
        after == cold_output_with(&site, &one_report_a_shard),
        "the rebuilt output differs from a cold build's"
    );
}

/// A CI cache restored without `.opsite/cache` (the manifest lost): the folder's mark still says
/// what the last build wrote, so the summary counts what this one removed.
#[test]
fn files_no_longer_made_are_counted_as_removed_without_the_manifest() {
    let site = site();
    build(&site, &[]);
    let before = tree(&site.root().join("output"));
    std::fs::remove_dir_all(site.root().join(".opsite")).unwrap();
    std::fs::remove_file(site.root().join("content/sop/p03.md")).unwrap();
    let said = build(&site, &[]);
    let after = tree(&site.root().join("output"));
    let gone = before.keys().filter(|k| !after.contains_key(*k)).count();
    assert!(gone > 0);
    assert!(
        said.contains(&format!(", {gone} removed)")),
        "{gone} files are gone: {said}"
    );
}

/// `output/` deleted by hand: the next build writes every file and removes none, though the
/// manifest lists pages it no longer makes.
#[test]
fn a_build_after_the_output_was_deleted_counts_nothing_removed() {
    let site = site();
    build(&site, &[]);
    std::fs::remove_dir_all(site.root().join("output")).unwrap();
    std::fs::remove_file(site.root().join("content/sop/p03.md")).unwrap();
    let said = build(&site, &[]);
    assert!(!said.contains("removed"), "{said}");
    assert!(said.contains(" written, 0 unchanged"), "{said}");
}

/// The record of the last build is a file anyone with the cache can edit: what a skipped build
/// says again from it reaches the terminal as text, never as escapes.
#[test]
fn a_skipped_build_prints_its_records_words_as_text() {
    let site = site();
    build(&site, &[]);
    let path = site.root().join(".opsite/cache/last-build.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    record["report"] = serde_json::json!(["warning: \u{1b}[31mred\u{9b}2J"]);
    record["counts"] = serde_json::json!("\u{1b}]0;title\u{7}36 pages");
    std::fs::write(&path, record.to_string()).unwrap();
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(said.contains("nothing changed"), "{said}");
    assert!(
        !said.contains(['\u{1b}', '\u{9b}', '\u{7}']),
        "escapes reached the terminal: {said:?}"
    );
    assert!(said.contains("\\u{1b}[31mred"), "{said}");
}

#[test]
fn an_output_file_changed_or_removed_by_hand_is_written_again() {
    let site = site();
    build(&site, &[]);
    let page = site.root().join("output/sop/p01/index.html");
    let good = std::fs::read(&page).unwrap();
    std::fs::write(&page, b"<p>defaced</p>").unwrap();
    let out = build(&site, &[]);
    assert!(!out.contains("nothing changed"), "{out}");
    assert_eq!(std::fs::read(&page).unwrap(), good);

    // Removed, while another page is edited (the build runs, keeping pages it need not render).
    std::fs::remove_file(&page).unwrap();
    site.write(
        "content/faq/p00.md",
        "---\ntitle: faq 手順 0\n---\n\n書き換えた。\n",
    );
    build(&site, &[]);
    assert_eq!(std::fs::read(&page).unwrap(), good);
    assert!(tree(&site.root().join("output")) == cold_output(&site));
}

#[test]
fn no_cache_writes_every_file_and_a_page_date_ahead_ends_the_skip() {
    let site = site();
    site.write(
        "content/sop/later.md",
        "---\ntitle: 新しい手順\npublishDate: 2030-01-01\n---\n\n公開はあとで。\n",
    );
    build(&site, &["--as-of", "2029-12-30T09:00"]);
    assert!(build(&site, &["--as-of", "2029-12-31T09:00"]).contains("nothing changed"));
    assert!(!site.root().join("output/sop/later/index.html").exists());
    let out = build(&site, &["--as-of", "2030-01-02T09:00"]);
    assert!(!out.contains("nothing changed"), "{out}");
    assert!(site.root().join("output/sop/later/index.html").exists());

    let cold = build(&site, &["--as-of", "2030-01-02T09:00", "--no-cache"]);
    assert!(cold.contains(" 0 unchanged)"), "{cold}");
    assert_eq!(
        written(&cold),
        tree(&site.root().join("output")).len() - 1,
        "all but the mark: {cold}"
    );
}

#[test]
fn what_the_skipped_build_says_is_what_the_last_build_said() {
    let site = site();
    site.write(
        "content/faq/broken.md",
        "---\ntitle: 壊れたリンク\n---\n\n[手順](missing.md)\n",
    );
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = stderr(&o);
    assert!(first.contains("missing.md"), "{first}");
    let o = site.run(&["build"]);
    assert!(stdout(&o).contains("nothing changed"), "{}", stdout(&o));
    assert_eq!(stderr(&o), first);
    assert!(
        stdout(&o).contains(" (1 warning(s)); nothing changed since the last build"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn files_a_killed_build_left_half_written_do_not_stop_the_next_build_and_are_removed() {
    let site = site();
    build(&site, &[]);
    // No process has the largest id a pid may take: that run is over.
    let left = site
        .root()
        .join("output/sop/p01/.index.html.opsite-new-4194304");
    std::fs::write(&left, "half").unwrap();
    site.write(
        "content/sop/p02.md",
        "---\ntitle: sop 手順 2\n---\n\n更新。\n",
    );
    build(&site, &[]);
    assert!(!left.exists());
    assert!(tree(&site.root().join("output")) == cold_output(&site));
    // A copy of a process still running (this test's) is another run at work in the folder:
    // not removed, and named, as any file the build did not write.
    let live = (site.root().join("output/sop/p01"))
        .join(format!(".index.html.opsite-new-{}", std::process::id()));
    std::fs::write(&live, "another run's").unwrap();
    site.write(
        "content/sop/p02.md",
        "---\ntitle: sop 手順 2\n---\n\n再更新。\n",
    );
    for force in [&[][..], &["--force"]] {
        let o = site.run(&[&["build"][..], force].concat());
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains(&format!(
                "sop/p01/.index.html.opsite-new-{0} is being written by a running process ({0})",
                std::process::id()
            )),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(&live).unwrap(), "another run's");
    }
    // A build that is refused deletes nothing, a killed run's copy included; the next build
    // that succeeds removes it.
    let dead = site.root().join("output/.robots.txt.opsite-new-4194304");
    std::fs::write(&dead, "half").unwrap();
    assert!(!site.run(&["build"]).status.success());
    assert!(dead.exists(), "a refused build removed a file");
    std::fs::remove_file(&live).unwrap();
    build(&site, &[]);
    assert!(!dead.exists());
}

#[test]
fn copies_of_caches_a_killed_run_left_go_even_when_the_build_rewrites_nothing() {
    let site = site();
    build(&site, &[]);
    let cache = site.root().join(".opsite/cache");
    // No process has the largest id a pid may take: these runs are over.
    let left = [
        ".output-0123456789abcdef.bin.opsite-new-4194304",
        ".highlight.bin.opsite-new-4194304",
        ".bodies.bin.opsite-new-4194304",
    ];
    let mine = ["notes.txt", ".notes.txt.opsite-new-abc"];
    for name in left.iter().chain(&mine) {
        std::fs::write(cache.join(name), "half").unwrap();
    }
    // Nothing changed: the build is skipped, and rewrites no cache.
    assert!(build(&site, &[]).contains("nothing changed"));
    for name in left {
        assert!(!cache.join(name).exists(), "{name} left");
    }
    for name in mine {
        assert!(cache.join(name).exists(), "{name} removed");
    }
}

#[test]
fn a_damaged_search_shard_in_the_cache_is_indexed_again_not_published() {
    let site = site();
    build(&site, &[]);
    let shards = site.root().join(".opsite/cache/search");
    for e in std::fs::read_dir(&shards).unwrap().flatten() {
        let mut bytes = std::fs::read(e.path()).unwrap();
        let at = bytes.len() * 4 / 5;
        bytes[at] ^= 0x01;
        std::fs::write(e.path(), bytes).unwrap();
    }
    site.write("static/notes.txt", "an unrelated change, so the build runs");
    build(&site, &[]);
    let out = build(&site, &[]);
    assert!(out.contains("nothing changed"), "{out}");
    let warm = tree(&site.root().join("output"));
    assert!(warm.contains_key("notes.txt"));
    assert!(
        warm == cold_output(&site),
        "a damaged shard reached the output"
    );
}

#[test]
fn a_no_cache_build_leaves_caches_the_next_build_uses_and_a_linked_output_is_not_emptied() {
    let site = site();
    build(&site, &["--no-cache"]);
    assert!(build(&site, &[]).contains("nothing changed"));

    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("precious.txt"), "keep").unwrap();
    std::fs::remove_dir_all(site.root().join("output")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("output")).unwrap();
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(elsewhere.path().join("precious.txt").exists());
}

/// `opsite build` with a deadline: a build that waits on something (a named pipe) fails the
/// test instead of hanging it.
fn build_within(site: &TestSite, seconds: u64) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the build was still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_named_pipe_or_a_link_among_the_caches_is_neither_waited_on_nor_followed() {
    let site = site();
    build(&site, &[]);
    let cache = site.root().join(".opsite/cache");
    for name in ["last-build.json", "highlight.bin"] {
        std::fs::remove_file(cache.join(name)).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(cache.join(name))
            .status()
            .unwrap();
        assert!(made.success());
    }
    site.write(
        "content/sop/p04.md",
        "---\ntitle: sop 手順 4\n---\n\n変更。\n",
    );
    let o = build_within(&site, 60);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(tree(&site.root().join("output")) == cold_output(&site));

    // The shards' folder made a link to a folder elsewhere: nothing there is written or removed.
    let elsewhere = tempfile::tempdir().unwrap();
    let theirs = elsewhere.path().join("0123456789abcdef.bin");
    std::fs::write(&theirs, "keep").unwrap();
    std::fs::remove_dir_all(cache.join("search")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), cache.join("search")).unwrap();
    site.write(
        "content/sop/p04.md",
        "---\ntitle: sop 手順 4\n---\n\n再変更。\n",
    );
    let o = build_within(&site, 60);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("was a symbolic link"), "{}", stderr(&o));
    let there: Vec<_> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        there,
        vec![std::ffi::OsString::from("0123456789abcdef.bin")]
    );
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "keep");
    assert!(tree(&site.root().join("output")) == cold_output(&site));
}

#[test]
fn a_ci_cache_restored_elsewhere_with_times_to_the_second_still_hits() {
    let site = site();
    build(&site, &[]);
    // A CI runner's checkout at another path, with the cache restored by a tool that keeps
    // times to the second.
    let runner = tempfile::tempdir().unwrap();
    let copy = runner.path().join("checkout");
    let cp = std::process::Command::new("cp")
        .arg("-a")
        .arg(site.root())
        .arg(&copy)
        .status()
        .unwrap();
    assert!(cp.success());
    for e in walkdir::WalkDir::new(copy.join("output"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let f = std::fs::File::options().write(true).open(e.path()).unwrap();
            let t = e.metadata().unwrap().modified().unwrap();
            let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
            f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
                .unwrap();
        }
    }
    let o = crate::support::run_in(&copy, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("nothing changed since the last build"),
        "{out}"
    );
    assert!(
        out.contains("→ ./output in "),
        "the folder of this run, not the last one's: {out}"
    );

    // An edit there writes its own files only; a removed page is counted.
    std::fs::remove_file(copy.join("content/faq/p07.md")).unwrap();
    let o = crate::support::run_in(&copy, &["build"]);
    let out = stdout(&o);
    assert!(out.contains(" removed)"), "{out}");
    assert!(
        counted(&out, " unchanged") > written(&out),
        "most files are kept from the restored cache: {out}"
    );
}
