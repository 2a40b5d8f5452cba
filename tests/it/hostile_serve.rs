//! Hostile use of the preview: files swapped for links while it runs, oversized and
//! smuggled requests, other sites' host names.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve::{preview_site, Preview, Reply};

const SECRET: &str = "TOPSECRET-outside-the-site";

/// Send `raw` on a fresh connection (as much as the server takes) and read what comes back.
fn exchange(p: &Preview, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(p.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get_with_host(p: &Preview, host: &str) -> Reply {
    let raw = exchange(
        p,
        format!("GET /portal/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    Reply::parse(raw.as_bytes())
}

#[test]
fn a_file_replaced_by_a_link_out_of_the_site_is_never_served() {
    let site = preview_site();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret");
    std::fs::write(&secret, format!("---\ntitle: s\n---\n{SECRET}\n")).unwrap();
    let p = Preview::start(&site, &[]);
    let mut events = p.events();
    for rel in ["content/sop/daily.md", "static/notes.txt"] {
        let tmp = site.root().join(format!("{rel}.tmp"));
        std::os::unix::fs::symlink(&secret, &tmp).unwrap();
        std::fs::rename(&tmp, site.root().join(rel)).unwrap();
    }
    let _ = events.until("reload", Duration::from_secs(3));
    // The refusal is printed once the rebuild has read the link: then the pages are current.
    let err = p.stderr_with("content/sop/daily.md");
    for path in ["/portal/sop/daily/", "/portal/notes.txt"] {
        let r = p.get(path);
        assert!(!r.body.contains(SECRET), "{path} served the outside file");
    }
    assert!(
        err.contains("content/sop/daily.md: error: symbolic link leads outside"),
        "{err}"
    );
}

#[test]
fn oversized_heads_are_refused_without_being_read_whole() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let started = Instant::now();
    let mut s = TcpStream::connect(p.addr).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /portal/ HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
        .unwrap();
    // 300 MB would be read and kept whole; the door stops reading past its cap.
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0usize;
    while sent < 300 << 20 {
        if s.write_all(&chunk).is_err() {
            break;
        }
        sent += chunk.len();
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 431 "), "{text}");
    assert!(sent < 100 << 20, "the server took {sent} bytes of header");
    assert!(started.elapsed() < Duration::from_secs(20));
    let long_line = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(20_000)
    );
    assert!(exchange(&p, long_line.as_bytes()).starts_with("HTTP/1.1 414 "));
    // And the preview still answers.
    assert_eq!(p.get("/portal/").status, 200);
}

#[test]
fn a_body_is_never_answered_as_a_second_request() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let smuggled = "GET /portal/notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let raw = format!(
        "GET /portal/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n{smuggled}",
        smuggled.len()
    );
    let out = exchange(&p, raw.as_bytes());
    assert_eq!(out.matches("HTTP/1.1 ").count(), 1, "{out}");
    assert!(out.starts_with("HTTP/1.1 200 "), "{out}");
    // Two requests without bodies on one connection are both answered.
    let two = "GET /portal/notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\nGET /portal/notes.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    assert_eq!(
        exchange(&p, two.as_bytes())
            .matches("HTTP/1.1 200 ")
            .count(),
        2
    );
}

#[test]
fn only_local_names_and_addresses_are_answered_unless_allowed() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    for host in ["localhost:1111", "127.0.0.1", "[::1]:1111"] {
        assert_eq!(get_with_host(&p, host).status, 200, "{host}");
    }
    let r = get_with_host(&p, "rebind.attacker.example:1111");
    assert_eq!(r.status, 403);
    assert!(
        r.body.contains("--allow-host rebind.attacker.example"),
        "{}",
        r.body
    );
    drop(p);
    let p = Preview::start(&site, &["--allow-host", "ops-preview.example.jp"]);
    assert_eq!(get_with_host(&p, "OPS-preview.example.jp:1111").status, 200);
    assert_eq!(get_with_host(&p, "other.example.jp").status, 403);
    drop(p);
    let p = Preview::start(&site, &["--allow-any-host"]);
    assert_eq!(get_with_host(&p, "other.example.jp").status, 200);
    assert!(p.stderr_with("DNS rebinding").contains("--allow-any-host"));
}

#[test]
fn the_ipv4_mapped_loopback_address_is_not_called_network_exposed() {
    let site = preview_site();
    let p = Preview::start(&site, &["--bind", "::ffff:127.0.0.1"]);
    assert_eq!(p.get("/portal/").status, 200);
    assert!(!p
        .stderr_with("anyone on the network")
        .contains("anyone on the network"));
}

#[test]
fn connections_past_the_cap_are_answered_503_and_the_preview_recovers() {
    let site = preview_site();
    let p = Preview::start(&site, &[]);
    let held: Vec<TcpStream> = (0..opsite::serve::door::MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(p.addr).unwrap())
        .collect();
    // Until the server has taken every held connection, one more may still be let in.
    let answer = || exchange(&p, b"GET /portal/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let out = until_answer(&answer, |o| o.starts_with("HTTP/1.1 503 "));
    assert!(out.starts_with("HTTP/1.1 503 "), "{out}");
    drop(held);
    let out = until_answer(&answer, |o| o.starts_with("HTTP/1.1 200 "));
    assert!(
        out.starts_with("HTTP/1.1 200 "),
        "the preview recovers: {out}"
    );
}

/// The first of repeated answers that `done` accepts, or the last after five seconds.
fn until_answer(answer: &dyn Fn() -> String, done: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let out = answer();
        if done(&out) || std::time::Instant::now() > deadline {
            return out;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
