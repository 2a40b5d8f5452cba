//! `opsite check --external` and `--format json`, against an HTTP server the test starts on
//! 127.0.0.1 (never the internet): 200, 404, 301, 302, a time-out, a server error that passes on
//! retry, HEAD refused, the per-host limit, skipped patterns and the day-long cache.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;

#[derive(Default)]
struct Seen {
    requests: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    flaky: AtomicUsize,
}

impl Seen {
    fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.ends_with(&format!(" {path}")))
            .count()
    }
}

/// A server answering each request on its own thread; returns its `http://127.0.0.1:port`.
fn start_server() -> (String, Arc<Seen>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let s = s.clone();
            std::thread::spawn(move || answer(req, &s));
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

fn answer(req: tiny_http::Request, seen: &Seen) {
    let path = req.url().to_string();
    let method = req.method().to_string();
    seen.requests
        .lock()
        .unwrap()
        .push(format!("{method} {path}"));
    // Concurrency is measured on the slow pages (a timed-out request's thread outlives it).
    let slow = path.starts_with("/slow/");
    if slow {
        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
    }
    let redirect = |code: u16, to: &str| {
        tiny_http::Response::empty(code)
            .with_header(tiny_http::Header::from_bytes("Location", to).unwrap())
    };
    let response = match path.as_str() {
        "/ok" | "/temp-target" => tiny_http::Response::empty(200),
        "/gone" => tiny_http::Response::empty(404),
        "/moved" => redirect(301, "/ok"),
        "/temp" => redirect(302, "/temp-target"),
        "/hang" => {
            std::thread::sleep(Duration::from_secs(4));
            tiny_http::Response::empty(200)
        }
        // Fails the first attempt (its HEAD and the GET that follows), then answers.
        "/flaky" => {
            if seen.flaky.fetch_add(1, Ordering::SeqCst) < 2 {
                tiny_http::Response::empty(503)
            } else {
                tiny_http::Response::empty(200)
            }
        }
        "/head-refused" if method == "HEAD" => tiny_http::Response::empty(405),
        "/head-refused" => tiny_http::Response::empty(200),
        p if p.starts_with("/slow/") => {
            std::thread::sleep(Duration::from_millis(300));
            tiny_http::Response::empty(200)
        }
        _ => tiny_http::Response::empty(404),
    };
    if slow {
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
    let _ = req.respond(response);
}

fn site_linking(base: &str, extra_yaml: &str) -> TestSite {
    let slow: String = (1..=6)
        .map(|i| format!("- [slow {i}]({base}/slow/{i})\n"))
        .collect();
    TestSite::new(&[
        (
            "site.yaml",
            &format!(
                "title: t\ncheck:\n  external_timeout: 1\n  external_retries: 1\n  external_per_host: 2\n  external_skip: [\"{base}/skipped*\"]\n{extra_yaml}"
            ),
        ),
        (
            "content/links.md",
            &format!(
                "---\ntitle: リンク集\n---\n[ok]({base}/ok)\n\n[gone]({base}/gone)\n\n[moved]({base}/moved)\n\n[temp]({base}/temp)\n\n[hang]({base}/hang)\n\n[flaky]({base}/flaky)\n\n[head]({base}/head-refused)\n\n[skipped]({base}/skipped/x)\n\n[gone again]({base}/gone#section)\n\n{slow}"
            ),
        ),
        ("content/other.md", &format!("---\ntitle: 別ページ\n---\n\n\n[gone]({base}/gone)\n")),
    ])
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn external_links_are_checked_with_limits_retries_and_redirects() {
    let (base, seen) = start_server();
    let site = site_linking(&base, "");
    let o = site.run(&["check", "--external", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    let diags = report["diagnostics"].as_array().unwrap();
    let about = |path: &str| -> Vec<&serde_json::Value> {
        diags
            .iter()
            .filter(|d| {
                d["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("{base}{path}:"))
            })
            .collect()
    };
    // 404: an error on every line using it, in both pages.
    let gone = about("/gone");
    let places: Vec<(String, u64)> = gone
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("content/links.md", 6),
            ("content/links.md", 20),
            ("content/other.md", 6)
        ]
        .map(|(f, l)| (f.to_string(), l))
    );
    assert!(gone
        .iter()
        .all(|d| d["severity"] == "error" && d["code"] == "external-broken"));
    // A permanent redirect is a warning naming the new address; a temporary one is fine.
    let moved = about("/moved");
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["severity"], "warning");
    assert_eq!(moved[0]["code"], "external-moved");
    assert!(moved[0]["message"]
        .as_str()
        .unwrap()
        .contains(&format!("{base}/ok")));
    assert!(about("/temp").is_empty());
    // No answer within the time-out, after a retry: an error.
    let hang = about("/hang");
    assert_eq!(hang.len(), 1);
    assert_eq!(hang[0]["code"], "external-unreachable");
    assert!(hang[0]["message"]
        .as_str()
        .unwrap()
        .contains("no answer within 1 s (2 attempts)"));
    assert_eq!(seen.count("/hang"), 2, "asked once and retried once");
    // A 503 that passes on the second attempt, and a server refusing HEAD, are fine.
    assert!(about("/flaky").is_empty());
    assert!(about("/head-refused").is_empty());
    // Skipped patterns are never asked.
    assert_eq!(seen.count("/skipped/x"), 0);
    assert!(about("/skipped").is_empty());
    // At most two requests at once to the host.
    let most = seen.most_in_flight.load(Ordering::SeqCst);
    assert!(most <= 2 && most >= 1, "{most} at once");
    assert_eq!(report["errors"], 4, "{report}");
    assert_eq!(report["warnings"], 1, "{report}");
}

#[test]
fn answers_are_kept_a_day_except_failures() {
    let (base, seen) = start_server();
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\ncheck: {external_retries: 0, external_timeout: 1}\n",
        ),
        (
            "content/a.md",
            &format!(
                "---\ntitle: a\n---\n[ok]({base}/ok) [gone]({base}/gone) [flaky]({base}/flaky)\n"
            ),
        ),
    ]);
    let first = site.run(&["check", "--external"]);
    assert_eq!(first.status.code(), Some(1));
    let text = stdout(&first);
    assert!(
        text.contains("3 URL(s): 3 asked, 0 from the cache"),
        "{text}"
    );
    assert!(text.contains("/flaky: the server failed (503)"), "{text}");
    assert!(site
        .root()
        .join(".opsite/cache/external-links.json")
        .is_file());
    let second = site.run(&["check", "--external"]);
    let text = stdout(&second);
    // The 503 was not kept and is asked again (now 200); the others come from the cache.
    assert!(
        text.contains("3 URL(s): 1 asked, 2 from the cache"),
        "{text}"
    );
    assert!(
        text.contains("content/a.md:4: error: external link")
            && text.contains("/gone: broken: 404"),
        "{text}"
    );
    assert_eq!(seen.count("/ok"), 1);
    assert!(!text.contains("/flaky"), "{text}");
    assert_eq!(seen.count("/flaky"), 3);
    assert_eq!(second.status.code(), Some(1));
}

#[test]
fn json_output_has_a_stable_shape_and_the_exit_code_follows_errors() {
    let site = TestSite::new(&[
        ("site.yaml", "title: t\nour_team_code: 7\n"),
        (
            "content/a.md",
            "---\ntitle: a\nreview_by: 2020-01-01\n---\n[x](missing.md) [y](#nowhere)\n",
        ),
    ]);
    let o = site.run(&["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    let diags = report["diagnostics"].as_array().unwrap();
    for d in diags {
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["code", "column", "file", "line", "message", "severity"]
        );
    }
    let codes: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("broken-anchor", "error"),
            ("broken-link", "error"),
            ("stale-procedure", "warning"),
            ("unknown-key", "warning"),
        ]
    );
    assert_eq!(diags[0]["file"], "content/a.md");
    assert_eq!(diags[0]["line"], 5);
    assert_eq!(report["errors"], 2);
    assert_eq!(report["pages"], 1);

    site.write("content/a.md", "---\ntitle: a\n---\nfine\n");
    let o = site.run(&["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "warnings alone pass");
    assert_eq!(json(&o)["errors"], 0);
}

/// The JSON `code` says what kind of problem it is, whatever file it is reported at: a template
/// that fails on a page is reported at the page, and is still a template problem.
#[test]
fn json_codes_name_the_kind_of_problem_not_the_folder_it_is_reported_in() {
    let codes = |site: &TestSite| -> Vec<(String, String)> {
        let o = site.run(&["check", "--format", "json"]);
        json(&o)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_string(),
                    d["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\nrelative_urls: true\ndata:\n  tickets:\n    files: data/t.csv\n",
        ),
        ("content/a.md", "---\ntitle: a\nlayout: odd\n---\nx\n"),
        ("content/b.md", "---\ntitle: b\nweight: many\n---\nx\n"),
        ("templates/odd.html", "{{ page.nope.deeper }}"),
        (
            "data/t.csv",
            "id,opened_at,priority\n1,2026-13-45,high\n2,2026-11-02 10:00,high\n",
        ),
    ]);
    let pair = |f: &str, c: &str| (f.to_string(), c.to_string());
    assert_eq!(
        codes(&site),
        [
            pair("content/a.md", "template"),
            pair("content/b.md", "content"),
            pair("data/t.csv", "data"),
        ]
    );
    site.write("content/a.md", "---\ntitle: a\n---\nx\n");
    site.write("content/b.md", "---\ntitle: b\n---\nx\n");
    site.write(
        "site.yaml",
        "title: t\ndata:\n  tickets:\n    files: data/none.csv\n",
    );
    assert_eq!(codes(&site), [pair("site.yaml", "config")]);
}

/// A link to a page whose front matter does not parse follows from that page's error: the run
/// says the error, not that the linked file does not exist.
#[test]
fn a_link_to_a_page_that_cannot_be_read_is_not_called_missing() {
    let site = TestSite::new(&[
        ("site.yaml", "title: t\n"),
        ("content/a.md", "---\ntitle: a\n---\n[b](b.md) [c](c.md)\n"),
        ("content/b.md", "---\ntitle: b\ntags: [oops\n---\nb\n"),
    ]);
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let said = crate::support::stderr(&o);
    assert!(
        said.contains("content/b.md:4:1: error: front matter"),
        "{said}"
    );
    assert!(
        !said.contains("no such content file (content/b.md)"),
        "{said}"
    );
    // A file that is not there at all is still said to be missing.
    assert!(
        said.contains("no such content file (content/c.md)"),
        "{said}"
    );
}
