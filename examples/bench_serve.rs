//! Preview-server benchmark: time from saving a page to the reload event, and page latency under
//! concurrent clients. Run against a built corpus (see BENCHMARKS.md):
//!
//!     cargo build --release && cargo run --release --example bench_serve -- /tmp/opsite-bench-10000 [edits] [clients]
//!
//! Starts `target/release/opsite serve --port 0` on the site, opens an event stream, rewrites one
//! page's body `edits` times (the save is timed from just before the write to the reload event),
//! then lets `clients` threads fetch pages at once (40 each, on one kept-alive connection each,
//! as browser tabs do) and reports the latency percentiles.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(
        args.get(1)
            .expect("usage: bench_serve SITE [edits] [clients]"),
    );
    let edits: usize = args.get(2).map_or(20, |s| s.parse().unwrap());
    let clients: usize = args.get(3).map_or(50, |s| s.parse().unwrap());
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/opsite");

    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start opsite serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let startup = started.elapsed();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    let addr: SocketAddr = url[7..].split('/').next().unwrap().parse().unwrap();

    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    pages.sort();
    let page = pages[pages.len() / 2].clone();
    let original = std::fs::read_to_string(&page).unwrap();

    let mut events = TcpStream::connect(addr).unwrap();
    write!(events, "GET /__opsite/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut events = BufReader::new(events);
    wait_for(&mut events, "event: hello");
    let mut times = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(300));
        let text = format!("{original}\n\n編集 {i}: 手順の確認を追記。\n");
        let t = Instant::now();
        std::fs::write(&page, text).unwrap();
        wait_for(&mut events, "event: reload");
        times.push(t.elapsed());
    }
    std::fs::write(&page, &original).unwrap();
    std::thread::sleep(Duration::from_millis(500));

    let urls: Vec<String> = pages
        .iter()
        .step_by((pages.len() / 200).max(1))
        .map(|p| {
            let rel = p
                .strip_prefix(site.join("content"))
                .unwrap()
                .with_extension("");
            format!("/{}/", rel.to_string_lossy())
        })
        .collect();
    let t = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let urls = urls.clone();
            std::thread::spawn(move || {
                // One kept-alive connection per client, as a browser tab holds.
                let stream = TcpStream::connect(addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut conn = BufReader::new(stream);
                let mut lat = Vec::new();
                for i in 0..40 {
                    let path = &urls[(c * 40 + i) % urls.len()];
                    let t = Instant::now();
                    let status = get(&mut conn, path);
                    lat.push(t.elapsed());
                    assert_eq!(status, 200, "{path}");
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let wall = t.elapsed();
    let _ = child.kill();

    println!(
        "site: {}  startup (build in memory + listen): {:.2} s",
        site.display(),
        startup.as_secs_f64()
    );
    println!("edited: {}", page.display());
    report("save → reload event", &mut times);
    report(
        &format!("page latency, {clients} concurrent clients"),
        &mut lat,
    );
    println!(
        "  {} requests in {:.2} s ({:.0} requests/s)",
        lat.len(),
        wall.as_secs_f64(),
        lat.len() as f64 / wall.as_secs_f64()
    );
}

fn wait_for(r: &mut BufReader<TcpStream>, prefix: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap() == 0 {
            panic!("event stream closed");
        }
        if line.starts_with(prefix) {
            return;
        }
    }
}

/// One request on a kept-alive connection; the status, once the whole body is read.
fn get(conn: &mut BufReader<TcpStream>, path: &str) -> u16 {
    // One write, as browsers send a request (and they set TCP_NODELAY, as below).
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
    conn.get_mut().write_all(request.as_bytes()).unwrap();
    let mut line = String::new();
    conn.read_line(&mut line).unwrap();
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        conn.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).unwrap();
    status
}

fn report(label: &str, d: &mut [Duration]) {
    d.sort();
    let ms = |i: usize| d[i.min(d.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{label}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms (n={})",
        ms(d.len() / 2),
        ms(d.len() * 9 / 10),
        ms(d.len() - 1),
        d.len()
    );
}
