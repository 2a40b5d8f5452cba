//! Hostile files: symbolic-link races, special files, size caps, script in names and front matter.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use opsite::walk::SiteReader;

use crate::support::{file, messages, stderr, stdout, TestSite};

const SECRET: &str = "TOPSECRET-outside-the-site";

/// Swaps `path` between a regular file and a symbolic link to `target` (each swap an atomic
/// rename, as an attacker with write access to the site would do) until `stop` is set.
fn swapper(path: PathBuf, target: PathBuf, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        // An editor-backup name (`~`), which the build never reads, for the file being swapped in.
        let mut tmp = path.clone().into_os_string();
        tmp.push("~");
        let tmp = PathBuf::from(tmp);
        let mut swaps = 0;
        while !stop.load(Ordering::Relaxed) {
            let _ = std::fs::remove_file(&tmp);
            if swaps % 2 == 0 {
                let _ = std::os::unix::fs::symlink(&target, &tmp);
            } else {
                let _ = std::fs::write(&tmp, "public text\n");
            }
            let _ = std::fs::rename(&tmp, &path);
            swaps += 1;
        }
        swaps
    })
}

/// Swaps the folder `dir` between a real folder and a link to `target` (a folder outside).
fn folder_swapper(
    dir: PathBuf,
    target: PathBuf,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let real = dir.with_extension("real");
        let link = dir.with_extension("link");
        let mut swaps = 0;
        while !stop.load(Ordering::Relaxed) {
            let _ = std::fs::remove_file(&link);
            let _ = std::os::unix::fs::symlink(&target, &link);
            let _ = std::fs::rename(&link, &dir); // fails while dir is a real folder: then move it aside
            if swaps % 2 == 1 {
                let _ = std::fs::remove_file(&dir);
                let _ = std::fs::rename(&real, &dir);
            } else if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                let _ = std::fs::rename(&dir, &real);
                let _ = std::fs::rename(&link, &dir);
            }
            swaps += 1;
        }
        swaps
    })
}

fn outside_secret() -> (tempfile::TempDir, PathBuf) {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, format!("---\ntitle: s\n---\n{SECRET}\n")).unwrap();
    (outside, secret)
}

/// Read `path` while `swaps` runs: never the outside file, and both outcomes (read, refused)
/// seen at least ten times each, so the race really was run. The reads go on until both counts
/// are reached (at most 30 seconds), as a loaded machine may schedule the swapper rarely.
fn read_while_swapping(
    reader: &SiteReader,
    path: &Path,
    swaps: std::thread::JoinHandle<u64>,
    stop: &AtomicBool,
) {
    let (mut reads, mut refused) = (0, 0);
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until && (reads < 10 || refused < 10) {
        match reader.read(path) {
            Ok(bytes) => {
                reads += 1;
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains(SECRET), "read the outside file");
            }
            Err(_) => refused += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = swaps.join().unwrap();
    assert!(
        reads >= 10 && refused >= 10,
        "{swaps} swaps, {reads} reads, {refused} refused"
    );
}

#[test]
fn a_file_swapped_for_a_link_out_of_the_site_is_never_read() {
    let site = TestSite::new(&[("content/p.md", "public text\n")]);
    let (_outside, secret) = outside_secret();
    let path = site.root().join("content/p.md");
    let reader = SiteReader::new(site.root(), 100);
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = swapper(path.clone(), secret, Arc::clone(&stop));
    read_while_swapping(&reader, &path, swaps, &stop);
}

#[test]
fn a_folder_swapped_for_a_link_out_of_the_site_is_never_read_through() {
    let site = TestSite::new(&[("static/docs/a.txt", "public text\n")]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("a.txt"), SECRET).unwrap();
    let dir = site.root().join("static/docs");
    let reader = SiteReader::new(site.root(), 100);
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = folder_swapper(dir.clone(), outside.path().to_path_buf(), Arc::clone(&stop));
    read_while_swapping(&reader, &dir.join("a.txt"), swaps, &stop);
}

/// The whole binary, content and static files swapping while it builds: no output ever holds
/// the outside file, and each build either succeeds or names the file.
#[test]
fn builds_racing_a_swapping_file_never_publish_the_outside_file() {
    let site = TestSite::new(&[
        ("content/p.md", "public text\n"),
        ("static/s.txt", "public text\n"),
        ("site.yaml", "search: false\n"),
    ]);
    let (_outside, secret) = outside_secret();
    let stop = Arc::new(AtomicBool::new(false));
    let a = swapper(
        site.root().join("content/p.md"),
        secret.clone(),
        Arc::clone(&stop),
    );
    let b = swapper(site.root().join("static/s.txt"), secret, Arc::clone(&stop));
    let out = site.root().join("output");
    let (mut built, mut failed) = (0, 0);
    for _ in 0..25 {
        let o = site.run(&["build"]);
        if o.status.success() {
            built += 1;
        } else {
            failed += 1;
            let err = stderr(&o);
            assert!(
                err.contains("content/p.md") || err.contains("static/s.txt"),
                "{err}"
            );
        }
        for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
            if entry.file_type().is_file() {
                let text = std::fs::read(entry.path()).unwrap();
                assert!(
                    !String::from_utf8_lossy(&text).contains(SECRET),
                    "{} published the outside file",
                    entry.path().display()
                );
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(built + failed, 25);
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn a_named_pipe_in_content_or_static_is_a_located_error_not_a_hang() {
    let site = TestSite::new(&[("content/a.md", "# A\n"), ("site.yaml", "search: false\n")]);
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    mkfifo(&site.root().join("content/pipe.md"));
    mkfifo(&site.root().join("static/pipe.css"));
    let started = Instant::now();
    let o = site.run(&["build"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the build waited on the pipe"
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("content/pipe.md: error: a named pipe (FIFO): only regular files are read"),
        "{err}"
    );
    assert!(
        err.contains("static/pipe.css: error: a named pipe (FIFO)"),
        "{err}"
    );
}

#[test]
fn a_named_pipe_or_a_link_loop_among_the_exports_is_named_not_skipped() {
    let config = "data:\n  tickets:\n    files: data/*.csv\n";
    let tickets = "id,priority,opened_at\nT1,high,2026-11-02 10:00\n";
    let site = TestSite::new(&[("site.yaml", config), ("data/t.csv", tickets)]);
    mkfifo(&site.root().join("data/pipe.csv"));
    let o = site.run(&["kpi", "--period", "2026-11"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o)
            .contains("`data/pipe.csv` is not a regular file (a named pipe, socket or device)"),
        "{}",
        stderr(&o)
    );
    let site = TestSite::new(&[("site.yaml", config), ("data/t.csv", tickets)]);
    std::os::unix::fs::symlink("b.csv", site.root().join("data/a.csv")).unwrap();
    std::os::unix::fs::symlink("a.csv", site.root().join("data/b.csv")).unwrap();
    let o = site.run(&["kpi", "--period", "2026-11"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("is a symbolic link that leads back to itself"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_device_is_not_read() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    let reader = SiteReader::new(Path::new("/"), 1);
    // /dev/zero would be read until memory ran out; a link to it from a site is refused too.
    let err = reader.read(Path::new("/dev/zero")).unwrap_err();
    assert_eq!(err, "a device: only regular files are read");
    std::os::unix::fs::symlink("/dev/zero", site.root().join("content/zero.md")).unwrap();
    let r = site.build();
    let msgs = messages(&r);
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("content/zero.md: error: symbolic link leads outside")),
        "{msgs:?}"
    );
}

#[test]
fn files_over_the_cap_are_errors_naming_the_file_and_the_cap() {
    let big = "x".repeat(1_200_000);
    let site = TestSite::new(&[
        ("site.yaml", "limits: {file_mb: 1}\nsearch: false\n"),
        ("content/big.md", &big),
        ("static/big.bin", &big),
        ("templates/page.html", &big),
        ("content/small.md", "# small\n"),
    ]);
    let r = site.build();
    let msgs = messages(&r);
    for f in ["content/big.md", "static/big.bin", "templates/page.html"] {
        assert!(
            msgs.iter().any(|m| m.starts_with(&format!(
                "{f}: error: the file is 1,200,000 bytes, over the limit of 1,000,000 bytes (1 MB)"
            )) && m.contains("`limits: {file_mb: N}`")),
            "{f}: {msgs:?}"
        );
    }
    // Raised, the same site builds.
    site.write("site.yaml", "limits: {file_mb: 2}\nsearch: false\n");
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::metadata(site.root().join("output/big.bin"))
            .unwrap()
            .len(),
        1_200_000
    );
}

const PAYLOAD: &str = "<img src=x onerror=alert(1)>";

/// A page whose every front-matter value carries markup, and a menu entry whose `pre` does.
fn hostile_front_matter_site(mode: &str) -> TestSite {
    let fm = format!(
        "---\ntitle: \"T {PAYLOAD}\"\ndescription: \"D {PAYLOAD}\"\nsummary: \"S {PAYLOAD}\"\nauthor: \"A {PAYLOAD}\"\ntags: [\"{PAYLOAD}\"]\ncategories: [\"{PAYLOAD}\"]\nmenu:\n  main:\n    name: \"N {PAYLOAD}\"\n    pre: \"{PAYLOAD}\"\n---\nbody\n"
    );
    TestSite::new(&[
        (
            "site.yaml",
            &format!("title: t\nmarkdown: {{raw_html: {mode}}}\nsearch: false\n"),
        ),
        ("content/_index.md", "---\ntitle: home\n---\n"),
        ("content/p.md", &fm),
    ])
}

fn pages_with_payload(r: &opsite::site::BuildResult) -> Vec<String> {
    r.files
        .iter()
        .filter(|f| f.path.ends_with(".html") || f.path.ends_with(".xml"))
        .filter(|f| matches!(&f.content, opsite::site::output::OutputContent::Bytes(_)))
        .filter(|f| file(r, &f.path).contains(PAYLOAD))
        .map(|f| f.path.clone())
        .collect()
}

#[test]
fn with_raw_html_escape_no_front_matter_value_is_markup_anywhere() {
    let r = hostile_front_matter_site("escape").build();
    assert_eq!(pages_with_payload(&r), Vec::<String>::new());
    // The menu's `pre` is shown as text in every page's header.
    let home = file(&r, "index.html");
    assert!(
        home.contains("&lt;img src=x onerror=alert(1)&gt;<span>N &lt;img"),
        "{home}"
    );
}

#[test]
fn with_raw_html_pass_only_the_menu_pre_is_markup() {
    let r = hostile_front_matter_site("pass").build();
    let home = file(&r, "index.html");
    assert!(
        home.contains(&format!("{PAYLOAD}<span>N &lt;img")),
        "pre is HTML (icons), the name text: {home}"
    );
    let page = file(&r, "p/index.html");
    let without_menu = page.replace(&format!("{PAYLOAD}<span>"), "");
    assert!(!without_menu.contains(PAYLOAD), "{page}");
}

/// Names a browser would read as a scheme: a file, a folder, a tag. With relative links (what
/// `opsite new` writes) no link may start with `javascript:`.
#[test]
fn names_never_become_script_links() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\nrelative_urls: true\nsearch: false\n",
        ),
        ("content/_index.md", "---\ntitle: home\n---\n"),
        ("content/javascript:alert(4).md", "---\ntitle: four\n---\n"),
        (
            "content/javascript:alert(5)/_index.md",
            "---\ntitle: five\n---\n",
        ),
        ("content/javascript:alert(5)/x.md", "---\ntitle: x\n---\n"),
        (
            "content/t.md",
            "---\ntitle: t\ntags: [\"javascript:alert(1)\"]\n---\n",
        ),
    ]);
    let r = site.build();
    let mut hrefs = 0;
    for f in r.files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = file(&r, &f.path);
        for attr in ["href=\"", "src=\"", "url="] {
            for part in text.split(attr).skip(1) {
                hrefs += 1;
                let value = part.split(['"', ' ']).next().unwrap().to_ascii_lowercase();
                assert!(
                    !value.starts_with("javascript:"),
                    "{}: {attr}{value}",
                    f.path
                );
            }
        }
    }
    assert!(hrefs > 20, "{hrefs}");
    // A `:` is no part of a folder name (Windows refuses it).
    assert!(file(&r, "index.html").contains("href=\"javascriptalert(4)/index.html\""));
}

#[test]
fn url_and_slug_with_a_scheme_are_located_errors() {
    let site = TestSite::new(&[
        (
            "content/a.md",
            "---\ntitle: a\nslug: \"javascript:alert(2)\"\n---\n",
        ),
        (
            "content/b.md",
            "---\ntitle: b\nurl: \"javascript:alert(3)/\"\n---\n",
        ),
    ]);
    let msgs = messages(&site.build());
    assert!(msgs.iter().any(|m| m.starts_with("content/a.md:3:7: error: front matter: slug: `javascript:alert(2)` starts with a scheme")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.starts_with("content/b.md:3:6: error: front matter: url: `javascript:alert(3)/` starts with a scheme")), "{msgs:?}");
}
