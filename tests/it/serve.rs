//! `opsite serve`, tried as a browser would: the real binary on port 0, plain HTTP over TCP,
//! the event stream read line by line while files are edited. And the incremental rebuild
//! compared byte for byte with a full build of the same sources.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use opsite::content::front_matter::parse_date;
use opsite::serve::session::{Route, Session};
use opsite::serve::watch::classify;
use opsite::site::output::OutputContent;
use opsite::site::{self, progress::Progress, sources, BuildOptions};

use crate::support::TestSite;

/// A running `opsite serve`, stopped when dropped.
pub(crate) struct Preview {
    child: Child,
    pub(crate) addr: SocketAddr,
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Preview {
    pub(crate) fn start(site: &TestSite, extra: &[&str]) -> Preview {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opsite"))
            .args(["serve", "--port", "0", "--as-of", "2026-11-22T09:00"])
            .args(extra)
            .arg("--root")
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start opsite serve");
        let (tx, stderr) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let host_port = url.trim_start_matches("http://").split('/').next().unwrap();
        Preview {
            child,
            addr: host_port.parse().unwrap(),
            stderr,
        }
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        request(self.addr, method, path)
    }

    /// An open event stream, past its greeting.
    pub(crate) fn events(&self) -> Events {
        let mut s = TcpStream::connect(self.addr).unwrap();
        write!(
            s,
            "GET /__opsite/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut e = Events {
            reader: BufReader::new(s),
        };
        let (name, _) = e.next(Duration::from_secs(5)).expect("hello event");
        assert_eq!(name, "hello");
        e
    }

    fn stderr_text(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }

    /// What the server printed, once it holds `needle` (or after two seconds).
    pub(crate) fn stderr_with(&self, needle: &str) -> String {
        let mut text = String::new();
        let deadline = Instant::now() + Duration::from_secs(2);
        while !text.contains(needle) && Instant::now() < deadline {
            if let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(50)) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    }
}

/// One request on its own connection, read to the end.
fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    Reply::parse(&raw)
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event (name, data) within `wait`; comments and the response head are skipped.
    fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + wait;
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .ok()?;
            let mut line = String::new();
            if self.reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return Some((name, data));
            }
        }
    }

    /// Skip events until one named `want` arrives within `wait`.
    pub(crate) fn until(&mut self, want: &str, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (name, data) = self.next(left)?;
            if name == want {
                return Some(data);
            }
        }
    }
}

pub(crate) fn preview_site() -> TestSite {
    TestSite::new(&[
        ("site.yaml", "title: 運用ポータル\nlanguage: ja\nbase_url: https://ops.example.jp/portal/\n"),
        ("content/_index.md", "---\ntitle: ホーム\n---\nようこそ。\n"),
        ("content/sop/_index.md", "---\ntitle: 運用手順\n---\n"),
        (
            "content/sop/daily.md",
            "---\ntitle: 日次点検\ntags: [点検]\n---\n毎朝の確認。\n\n## 手順\n\n1. 監視画面を開く\n",
        ),
        ("content/障害/_index.md", "---\ntitle: 障害対応\n---\n障害対応の入口。\n"),
        ("static/css/extra.css", "body{color:#111}\n"),
        ("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
        ("static/img/x.png", "\u{89}PNG"),
        ("static/fonts/a.woff2", "wOF2"),
        ("static/app.wasm", "\0asm"),
        ("static/data.json", "{}"),
        ("static/notes.txt", "notes\n"),
    ])
}

#[test]
fn serves_pages_at_the_base_path_with_the_right_statuses_and_types() {
    let site = preview_site();
    site.write("secret.txt", "TOP-SECRET-MARKER\n");
    let p = Preview::start(&site, &[]);

    let r = p.get("/");
    assert_eq!((r.status, r.header("location")), (302, "/portal/"));
    let r = p.get("/portal");
    assert_eq!((r.status, r.header("location")), (302, "/portal/"));
    let home = p.get("/portal/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), "no-store");
    assert!(home.body.contains("ようこそ"));
    assert!(
        home.body.contains("/__opsite/events"),
        "live-reload script injected"
    );
    // Built for the preview address, so links stay on it.
    assert!(home.body.contains("/portal/sop/"), "{}", home.body);
    assert!(!home.body.contains("ops.example.jp"));

    let r = p.get("/portal/sop/daily?x=1");
    assert_eq!(
        (r.status, r.header("location")),
        (301, "/portal/sop/daily/?x=1")
    );
    assert!(p.get("/portal/sop/daily/").body.contains("監視画面を開く"));
    assert_eq!(p.get("/portal/%E9%9A%9C%E5%AE%B3/").status, 200);

    let missing = p.get("/portal/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("ページが見つかりません"),
        "the site's own 404 page"
    );
    assert_eq!(p.get("/portal/img/").status, 404, "no directory listing");

    for (path, ty) in [
        ("/portal/css/extra.css", "text/css; charset=utf-8"),
        ("/portal/img/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/portal/img/x.png", "image/png"),
        ("/portal/fonts/a.woff2", "font/woff2"),
        ("/portal/app.wasm", "application/wasm"),
        ("/portal/data.json", "application/json; charset=utf-8"),
        ("/portal/notes.txt", "text/plain; charset=utf-8"),
        ("/portal/sitemap.xml", "application/xml; charset=utf-8"),
    ] {
        let r = p.get(path);
        assert_eq!((r.status, r.header("content-type")), (200, ty), "{path}");
        assert!(
            !r.body.contains("__opsite"),
            "{path}: only HTML gets the script"
        );
    }

    let post = p.request("POST", "/portal/");
    assert_eq!((post.status, post.header("allow")), (405, "GET, HEAD"));
    assert_eq!(p.request("DELETE", "/portal/sop/daily/").status, 405);
    let head = p.request("HEAD", "/portal/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    for probe in [
        "/portal/../secret.txt",
        "/portal/%2e%2e/secret.txt",
        "/portal/%2E%2E/%2E%2E/secret.txt",
        "/portal/..%2fsecret.txt",
        "/portal/..%5csecret.txt",
        "/portal/sop/..\\..\\secret.txt",
        "/portal/%00/secret.txt",
        "/portal//etc/passwd",
        "/portal/C:/secret.txt",
        "/portal/%c0%ae%c0%ae/secret.txt",
        "/../site.yaml",
        "/portal/site.yaml",
        "/portal/.opsite-output",
    ] {
        let r = p.get(probe);
        assert_eq!(r.status, 404, "{probe}");
        assert!(
            !r.body.contains("TOP-SECRET-MARKER") && !r.body.contains("base_url:"),
            "{probe}"
        );
    }
    assert!(
        !site.root().join("output").exists(),
        "the preview never writes output/"
    );
}

#[test]
fn an_edit_reaches_the_open_page_within_a_second() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let mut events = p.events();
    let saved = Instant::now();
    site.write(
        "content/sop/daily.md",
        "---\ntitle: 日次点検\ntags: [点検]\n---\n毎朝の確認。\n\n## 手順\n\n1. ダッシュボードを開く\n",
    );
    let data = events
        .until("reload", Duration::from_secs(3))
        .expect("reload event");
    assert!(
        saved.elapsed() < Duration::from_secs(1),
        "{:?}",
        saved.elapsed()
    );
    assert!(data.contains("/portal/sop/daily/"), "{data}");
    assert!(p
        .get("/portal/sop/daily/")
        .body
        .contains("ダッシュボードを開く"));

    // Editor droppings do not rebuild.
    site.write("content/sop/.daily.md.swp", "x");
    site.write("content/sop/daily.md~", "x");
    assert_eq!(events.until("reload", Duration::from_millis(400)), None);

    // A stylesheet edit swaps the stylesheet instead of reloading.
    site.write("static/css/extra.css", "body{color:#222}\n");
    let data = events
        .until("styles", Duration::from_secs(3))
        .expect("styles event");
    assert!(data.contains("/portal/css/extra.css"), "{data}");
    assert!(p.get("/portal/css/extra.css").body.contains("#222"));
}

#[test]
fn a_broken_page_shows_the_error_over_the_last_good_site_until_fixed() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let mut events = p.events();
    site.write(
        "content/sop/daily.md",
        "---\ntitle: 日次点検\ntags: [点検\n---\n壊れた本文\n",
    );
    let data = events
        .until("failed", Duration::from_secs(3))
        .expect("failed event");
    assert!(data.contains("content/sop/daily.md:"), "{data}");
    // Still the last good page, with the error in its overlay.
    let page = p.get("/portal/sop/daily/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("監視画面を開く") && !page.body.contains("壊れた本文"));
    assert!(
        page.body.contains("content/sop/daily.md:"),
        "error shown on the page"
    );
    let err = p.stderr_with("content/sop/daily.md:");
    assert!(
        err.contains("rebuild failed") && err.contains("content/sop/daily.md:"),
        "{err}"
    );

    site.write(
        "content/sop/daily.md",
        "---\ntitle: 日次点検\ntags: [点検]\n---\n直した本文\n",
    );
    events
        .until("reload", Duration::from_secs(3))
        .expect("reload after the fix");
    let page = p.get("/portal/sop/daily/");
    assert!(page.body.contains("直した本文"));
    assert!(page.body.contains("err=null"), "overlay gone");
}

#[test]
fn a_data_change_updates_the_report_page() {
    let site = TestSite::fixture("reports-site");
    let p = Preview::start(&site, &[]);
    let report = "/reports/weekly/2026-W47/";
    assert!(!p.get(report).body.contains("新規障害テスト"));
    let mut events = p.events();
    let mut csv = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    csv.push_str("INC-4,新規障害テスト,high,2026-11-18T09:00:00+09:00,2026-11-18T12:00:00+09:00,2026-11-18T18:00:00+09:00\n");
    site.write("data/tickets.csv", &csv);
    events
        .until("reload", Duration::from_secs(5))
        .expect("reload event");
    assert!(
        p.get(report).body.contains("新規障害テスト"),
        "the breached ticket is listed"
    );
}

#[test]
fn many_clients_and_event_streams_at_once() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let streams: Vec<Events> = (0..20).map(|_| p.events()).collect();
    let addr = p.addr;
    let started = Instant::now();
    let workers: Vec<_> = (0..200)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/portal/"
                } else {
                    "/portal/sop/daily/"
                };
                request(addr, "GET", path).status
            })
        })
        .collect();
    for w in workers {
        assert_eq!(w.join().unwrap(), 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    drop(streams);
}

#[test]
fn a_port_in_use_is_named_with_what_to_do() {
    let site = preview_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = site.run(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port 0"),
        "{err}"
    );
}

#[test]
fn listening_beyond_loopback_warns() {
    let site = preview_site();
    let p = Preview::start(&site, &["--bind", "0.0.0.0"]);
    assert!(p
        .stderr_with("anyone on the network")
        .contains("anyone on the network"));
}

/// The session's files after `edit`, and a full build's of the same sources: the same bytes.
fn assert_incremental_equals_full(site: &TestSite, edits: &[(&str, &str)], route: Route) {
    let opts = BuildOptions {
        include_drafts: false,
        base_url: Some("http://127.0.0.1:1111/".into()),
        damage_is_error: false,
        now: parse_date("2026-11-22T09:00:00+09:00").unwrap(),
        freeze_due: false,
        search_index: false,
        index_older_versions: true,
        edition: None,
    };
    let mut session = Session::start(site.root(), opts.clone()).unwrap();
    for (path, text) in edits {
        site.write(path, text);
    }
    let changes = classify(
        site.root(),
        "default",
        std::path::Path::new("content"),
        edits.iter().map(|(p, _)| site.root().join(p)),
    );
    let outcome = session.apply(&changes);
    assert_eq!(outcome.route, route);
    let (srcs, _) = sources::load(site.root()).unwrap();
    let full = site::build_all(&srcs, &opts, &Progress::default());
    let kept = session.good_files().unwrap();
    assert_eq!(kept.len(), full.files.len());
    assert!(!kept.is_empty());
    for f in &full.files {
        let k = kept
            .get(&f.path)
            .unwrap_or_else(|| panic!("{} missing", f.path));
        if let (OutputContent::Bytes(a), OutputContent::Bytes(b)) = (&k.content, &f.content) {
            assert!(
                a == b,
                "{} differs after {route}:\n{}",
                f.path,
                String::from_utf8_lossy(a)
            );
        }
    }
}

#[test]
fn incremental_rebuilds_give_the_bytes_of_a_full_build() {
    let page = |body: &str| format!("---\ntitle: 日次点検\ntags: [点検]\n---\n{body}\n");
    // Body only: the fast path (page, its section's list, its tag page, feeds).
    let site = preview_site();
    assert_incremental_equals_full(
        &site,
        &[(
            "content/sop/daily.md",
            &page("新しい要約の段落。\n\n## 手順\n\n```bash\nls -l\n```"),
        )],
        Route::Pages,
    );
    // A later paragraph only: the summary stays, so only the page itself changes.
    let site = preview_site();
    assert_incremental_equals_full(
        &site,
        &[(
            "content/sop/daily.md",
            &page(
                "毎朝の確認。

## 手順

1. 別の画面を開く",
            ),
        )],
        Route::Pages,
    );
    // A title from the first heading that changes: every page's navigation.
    let site = preview_site();
    site.write("content/sop/weekly.md", "# 週次点検\n\n本文\n");
    assert_incremental_equals_full(
        &site,
        &[("content/sop/weekly.md", "# 週次の点検\n\n本文\n")],
        Route::Content,
    );
    // Front matter: a new tag.
    let site = preview_site();
    assert_incremental_equals_full(
        &site,
        &[(
            "content/sop/daily.md",
            "---\ntitle: 日次点検\ntags: [点検, 朝]\n---\n本文\n",
        )],
        Route::Content,
    );
    // A page other pages include (`markdown.includes`): they change too.
    let site = preview_site();
    site.edit_config(|c| format!("{c}markdown:\n  includes:\n    snippets: {{}}\n"));
    site.write("content/sop/shared.md", "共有の手順。\n");
    site.write(
        "content/sop/daily.md",
        &page("--8<-- \"content/sop/shared.md\""),
    );
    assert_incremental_equals_full(
        &site,
        &[("content/sop/shared.md", "変更した共有の手順。\n")],
        Route::Content,
    );
    // A new page.
    let site = preview_site();
    assert_incremental_equals_full(
        &site,
        &[("content/sop/new.md", "---\ntitle: 新規\n---\n本文\n")],
        Route::Full,
    );
}

#[test]
fn folders_and_files_added_while_serving_are_picked_up() {
    let site = TestSite::new(&[
        ("site.yaml", "title: t\nlanguage: ja\n"),
        ("content/_index.md", "---\ntitle: ホーム\n---\n本文\n"),
    ]);
    let p = Preview::start(&site, &[]);
    let mut events = p.events();
    // static/ did not exist when the preview started.
    site.write("static/css/opsite.css", "/*SITE-OVERRIDE*/\n");
    events
        .until("reload", Duration::from_secs(3))
        .expect("reload");
    assert!(
        p.get("/css/opsite.css").body.contains("SITE-OVERRIDE"),
        "site file wins over the theme's"
    );
    site.write("static/css/opsite.css", "/*SECOND*/\n");
    events
        .until("styles", Duration::from_secs(3))
        .expect("styles event from the new folder");
    assert!(p.get("/css/opsite.css").body.contains("SECOND"));
    // Removing it uncovers the theme's stylesheet again.
    std::fs::remove_file(site.root().join("static/css/opsite.css")).unwrap();
    if events.until("styles", Duration::from_secs(3)).is_none() {
        panic!("no reload: {}", p.stderr_text());
    }
    assert!(!p.get("/css/opsite.css").body.contains("SECOND"));
}

#[test]
fn warnings_of_a_rebuild_are_printed_and_the_404_page_works_at_any_depth() {
    let site = preview_site();
    site.write("site.yaml", "title: t\nlanguage: ja\nrelative_urls: true\n");
    let p = Preview::start(&site, &[]);
    let mut events = p.events();
    site.write(
        "content/sop/daily.md",
        "---\ntitle: 日次点検\ntags: [点検]\n---\n毎朝の確認。\n\n[旧手順](old-procedure.md)\n",
    );
    events
        .until("reload", Duration::from_secs(3))
        .expect("reload");
    let err = p.stderr_with("old-procedure.md");
    assert!(
        err.contains("old-procedure.md"),
        "broken link reported after the rebuild:\n{err}"
    );
    let missing = p.get("/sop/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<base href=\"/\">"),
        "relative links resolve from the root"
    );
}

#[test]
fn the_search_index_is_served_and_follows_edits_after_the_reload() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let page_count = |p: &Preview| -> Option<u64> {
        let r = p.get("/portal/pagefind/pagefind-entry.json");
        if r.status != 200 {
            return None;
        }
        assert!(r.header("content-type").starts_with("application/json"));
        let v: serde_json::Value = serde_json::from_str(&r.body).ok()?;
        v["languages"]["ja"]["page_count"].as_u64()
    };
    let wait_for = |p: &Preview, want: &dyn Fn(u64) -> bool| -> u64 {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(n) = page_count(p).filter(|n| want(*n)) {
                return n;
            }
            assert!(Instant::now() < until, "the index did not come");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let before = wait_for(&p, &|n| n > 0);
    assert!(p
        .get("/portal/search/")
        .body
        .contains("id=\"search-results\""));
    let mut events = p.events();
    site.write(
        "content/sop/backup.md",
        "---\ntitle: バックアップ\n---\n夜間ジョブの確認。\n",
    );
    events
        .until("reload", Duration::from_secs(3))
        .expect("reload event");
    assert_eq!(wait_for(&p, &|n| n > before), before + 1);
    // An open search page is told to run its query again.
    let data = events
        .until("search", Duration::from_secs(20))
        .expect("search event");
    assert!(data.contains("/portal/search/"), "{data}");

    // Search turned off while serving: the index goes too.
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}search: false\n"));
    let until = Instant::now() + Duration::from_secs(20);
    while p.get("/portal/pagefind/pagefind-entry.json").status != 404 {
        assert!(Instant::now() < until, "the index is still served");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(p.get("/portal/search/").status, 404);
}

#[test]
fn a_versioned_site_serves_every_versions_pages_and_search_index() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\nversions:\n  - {name: v2}\n  - {name: v1, path: old/content}\n",
        ),
        ("content/_index.md", "---\ntitle: ホーム\n---\n最新。\n"),
        ("content/faq.md", "---\ntitle: FAQ\n---\n最新の FAQ。\n"),
        ("old/content/_index.md", "---\ntitle: ホーム\n---\n旧版。\n"),
        ("old/content/faq.md", "---\ntitle: FAQ\n---\n旧版の FAQ。\n"),
    ]);
    let preview = Preview::start(&site, &[]);
    let faq = preview.get("/v/v1/faq/");
    assert_eq!(faq.status, 200);
    assert!(faq.body.contains("旧版の FAQ"));
    assert!(faq.body.contains("version-banner"));
    // The older version's index is built with the site; the latest's follows in the background.
    assert_eq!(preview.get("/v/v1/pagefind/pagefind.js").status, 200);
    assert_eq!(
        preview.get("/v/v1/pagefind/pagefind-entry.json").status,
        200
    );
}

#[test]
fn a_bilingual_site_serves_every_languages_search_index() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\nlanguages:\n  ja: {weight: 1}\n  en: {weight: 2}\n",
        ),
        ("content/_index.md", "---\ntitle: ホーム\n---\n手順書。\n"),
        ("content/_index.en.md", "---\ntitle: Home\n---\nRunbooks.\n"),
    ]);
    let preview = Preview::start(&site, &[]);
    let home = preview.get("/en/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Runbooks."));
    // The other language's index is built with the site; the default's follows in the background.
    assert_eq!(preview.get("/en/pagefind/pagefind.js").status, 200);
    assert_eq!(preview.get("/en/pagefind/pagefind-entry.json").status, 200);
}
