//! The preview's front door. tiny_http reads a request line and headers with no limit (a 300 MB
//! header was read whole and kept), reads no body it was not asked to (so a GET's body was
//! answered as a second request) and takes any `Host` (so a page on another site could read the
//! preview through a name that resolves to 127.0.0.1: DNS rebinding). Connections to the
//! address `opsite serve` listens on are taken here first: each request head is read up to a
//! size cap, its `Host` checked, its body refused, and only then is it passed on to tiny_http,
//! which listens where nothing else can reach it (an abstract Unix socket on Linux).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest request line (method, path, version).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The most bytes of a request's line and headers together.
pub const MAX_HEAD: usize = 32 * 1024;
/// Connections served at once; more wait in the kernel's queue are answered 503.
pub const MAX_CONNECTIONS: usize = 256;
/// How long a request head may take to arrive once it has begun (slow senders are cut off).
const HEAD_TIME: Duration = Duration::from_secs(30);
/// A connection with nothing going either way for this long is closed (an open event stream is
/// pinged every 15 s, so it stays).
const IDLE_TIME: Duration = Duration::from_secs(120);

/// Which `Host` values the preview answers.
#[derive(Debug, Clone, Default)]
pub struct HostRules {
    /// Names given with `--allow-host`, lower-cased.
    pub names: Vec<String>,
    /// `--allow-any-host`.
    pub any: bool,
}

impl HostRules {
    /// Whether a request naming `host` (its `Host` header, port included) is answered. An IP
    /// address and `localhost` cannot be rebound by another site's DNS, so they always are.
    pub fn allows(&self, host: &str) -> bool {
        if self.any {
            return true;
        }
        let name = host_name(host).trim_end_matches('.').to_ascii_lowercase();
        name.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.names.contains(&name)
    }
}

/// `Host` without its port: `[::1]:1111` → `::1`, `ops.local:80` → `ops.local`.
fn host_name(host: &str) -> &str {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Where the guarded requests go: tiny_http's own listener.
pub enum Inner {
    #[cfg(target_os = "linux")]
    Unix(std::os::unix::net::SocketAddr),
    Tcp(std::net::SocketAddr),
}

/// A listener for tiny_http that only this process reaches: an abstract Unix socket on Linux
/// (no file, not on the network), else a loopback port.
pub fn inner_listener() -> std::io::Result<(Inner, tiny_http::Server)> {
    #[cfg(target_os = "linux")]
    {
        use std::os::linux::net::SocketAddrExt;
        let name = format!("opsite-serve-{}-{}", std::process::id(), nanos());
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
        let listener = std::os::unix::net::UnixListener::bind_addr(&addr)?;
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok((Inner::Unix(addr), server))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok((Inner::Tcp(addr), server))
    }
}

#[cfg(target_os = "linux")]
fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// A connection to tiny_http, readable and writable from two threads.
trait Duplex: Read + Write + Send {
    fn split(&self) -> std::io::Result<Box<dyn Duplex>>;
    fn close_write(&self);
}

impl Duplex for TcpStream {
    fn split(&self) -> std::io::Result<Box<dyn Duplex>> {
        Ok(Box::new(self.try_clone()?))
    }
    fn close_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

#[cfg(target_os = "linux")]
impl Duplex for std::os::unix::net::UnixStream {
    fn split(&self) -> std::io::Result<Box<dyn Duplex>> {
        Ok(Box::new(self.try_clone()?))
    }
    fn close_write(&self) {
        let _ = self.shutdown(Shutdown::Write);
    }
}

fn connect(inner: &Inner) -> std::io::Result<Box<dyn Duplex>> {
    match inner {
        #[cfg(target_os = "linux")]
        Inner::Unix(addr) => Ok(Box::new(std::os::unix::net::UnixStream::connect_addr(
            addr,
        )?)),
        Inner::Tcp(addr) => Ok(Box::new(TcpStream::connect(addr)?)),
    }
}

/// Take connections on `listener` for ever, each on its own thread, passing guarded requests on.
pub fn run(listener: TcpListener, inner: Inner, rules: HostRules) {
    let inner = Arc::new(inner);
    let rules = Arc::new(rules);
    let open = Arc::new(AtomicUsize::new(0));
    for client in listener.incoming().flatten() {
        if open.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            refuse(
                client,
                503,
                "too many connections to the preview at once; try again",
            );
            continue;
        }
        open.fetch_add(1, Ordering::Relaxed);
        let (inner, rules, open) = (Arc::clone(&inner), Arc::clone(&rules), Arc::clone(&open));
        std::thread::spawn(move || {
            let _ = serve_connection(client, &inner, &rules);
            open.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

/// Distinct refusals printed before the terminal is spared the rest (a scan sends thousands).
const TOLD_AT_MOST: usize = 20;

/// Print a refusal of another host name in the terminal, once per name: the person who can add
/// `--allow-host` is looking there, not at the phone that was refused. The name is the client's:
/// control characters are shown escaped (no terminal escapes), long names cut, and after
/// `TOLD_AT_MOST` names one line says the rest are not printed.
fn tell_once(why: &str) {
    static TOLD: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<String>>> =
        std::sync::OnceLock::new();
    let told = TOLD.get_or_init(Default::default);
    let Ok(mut told) = told.lock() else { return };
    if told.len() > TOLD_AT_MOST || told.contains(why) {
        return;
    }
    told.insert(why.to_string());
    if told.len() > TOLD_AT_MOST {
        eprintln!("warning: refused requests for more than {TOLD_AT_MOST} host names; the others are not printed");
        return;
    }
    eprintln!("warning: refused a request: {}", terminal_line(why));
}

/// `text` as one terminal line: every control character (line ends too) escaped, at most 300
/// characters.
fn terminal_line(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 300 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Answer one connection with `status` and close it.
fn refuse(mut client: TcpStream, status: u16, why: &str) {
    let _ = client.write_all(refusal(status, why).as_bytes());
    let _ = client.shutdown(Shutdown::Both);
}

fn refusal(status: u16, why: &str) -> String {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    };
    let body = format!("{status} {reason}: {why}\n");
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n{body}",
        body.len()
    )
}

fn serve_connection(client: TcpStream, inner: &Inner, rules: &HostRules) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    client.set_read_timeout(Some(Duration::from_secs(5)))?;
    let upstream = connect(inner)?;
    let mut to_inner = upstream.split()?;
    let mut from_inner = upstream;
    let mut to_client = client.try_clone()?;
    // Set before the door answers a refusal itself, which must follow the last answer.
    let refusing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let copier_refusing = Arc::clone(&refusing);
    let activity = Arc::new(Activity::new());
    let copier_activity = Arc::clone(&activity);
    let copier = std::thread::spawn(move || {
        copy_noting_activity(&mut from_inner, &mut to_client, &copier_activity);
        // tiny_http closed the connection: so does the door, unless a refusal is still to come.
        if !copier_refusing.load(Ordering::SeqCst) {
            let _ = to_client.shutdown(Shutdown::Write);
        }
    });
    let mut reader = BufReader::new(client.try_clone()?);
    let refused = loop {
        match read_head(&mut reader, &activity) {
            Ok(None) => break None,
            Ok(Some(head)) => match pass_on(&head, rules) {
                Ok((bytes, last)) => {
                    if to_inner.write_all(&bytes).is_err() || last {
                        break None;
                    }
                }
                Err(refusal) => break Some(refusal),
            },
            Err(HeadError::Closed) => break None,
            Err(HeadError::Refused(status, why)) => break Some((status, why)),
        }
    };
    if let Some((403, why)) = &refused {
        tell_once(why);
    }
    refusing.store(refused.is_some(), Ordering::SeqCst);
    to_inner.close_write();
    let _ = copier.join();
    let mut client = client;
    if let Some((status, why)) = refused {
        let _ = client.write_all(refusal(status, &why).as_bytes());
        let _ = client.shutdown(Shutdown::Write);
        drain(&mut client);
    }
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

/// Read and drop a little of what the client is still sending, so closing does not reset the
/// connection before it has read the refusal (a reset discards it).
fn drain(client: &mut TcpStream) {
    let until = Instant::now() + Duration::from_secs(2);
    let _ = client.set_read_timeout(Some(Duration::from_millis(200)));
    let mut buf = [0u8; 64 * 1024];
    let mut left = 4usize << 20;
    while left > 0 && Instant::now() < until {
        match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// When bytes last went either way on a connection.
struct Activity {
    since: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            since: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }
    fn note(&self) {
        let now = self.since.elapsed().as_millis() as u64;
        self.last_ms.store(now, Ordering::Relaxed);
    }
    fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.since.elapsed().saturating_sub(last)
    }
}

/// Copy tiny_http's answers to the client until either side closes, noting activity.
fn copy_noting_activity(from: &mut dyn Read, to: &mut TcpStream, activity: &Activity) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    return;
                }
                activity.note();
            }
        }
    }
}

enum HeadError {
    /// The client went away, or stopped sending mid-head.
    Closed,
    Refused(u16, String),
}

/// The next request's line and headers (up to the blank line), or None when the client closed
/// the connection between requests.
fn read_head(
    reader: &mut BufReader<TcpStream>,
    activity: &Activity,
) -> Result<Option<Vec<u8>>, HeadError> {
    let mut head = Vec::new();
    let mut started: Option<Instant> = None;
    loop {
        let available = match reader.fill_buf() {
            Ok([]) if head.is_empty() => return Ok(None),
            Ok([]) => return Err(HeadError::Closed),
            Ok(bytes) => bytes,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                match started {
                    Some(t) if t.elapsed() > HEAD_TIME => return Err(HeadError::Closed),
                    None if activity.idle() > IDLE_TIME => return Ok(None),
                    _ => continue,
                }
            }
            Err(_) => return Err(HeadError::Closed),
        };
        activity.note();
        started.get_or_insert_with(Instant::now);
        let (taken, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        head.extend_from_slice(&available[..taken]);
        reader.consume(taken);
        let line_ends = head.iter().filter(|&&b| b == b'\n').count();
        if line_ends == 0 && head.len() > MAX_REQUEST_LINE {
            return Err(HeadError::Refused(
                414,
                format!("the request line is longer than {MAX_REQUEST_LINE} bytes"),
            ));
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::Refused(
                431,
                format!("the request's headers are longer than {MAX_HEAD} bytes"),
            ));
        }
        // Blank lines before a request line are skipped, as RFC 9112 allows.
        if done && (head == b"\r\n" || head == b"\n") {
            head.clear();
            continue;
        }
        if done && (head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n")) {
            return Ok(Some(head));
        }
    }
}

/// The head as tiny_http gets it, and whether the connection ends after it; or why not.
/// Bodies are never read: a request announcing one is passed on without it and with
/// `Connection: close`, so its bytes can never be taken for another request.
fn pass_on(head: &[u8], rules: &HostRules) -> Result<(Vec<u8>, bool), (u16, String)> {
    let text = std::str::from_utf8(head)
        .map_err(|_| (400, "the request head is not ASCII text".to_string()))?;
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let request_line = lines.next().unwrap_or_default();
    let http10 = request_line.ends_with("HTTP/1.0");
    let mut out = format!("{request_line}\r\n");
    let (mut host, mut body, mut close) = (None, false, http10);
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err((400, format!("not a header line: {}", shorten(line))));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" if host.is_some() => return Err((400, "more than one Host header".into())),
            "host" => host = Some(value.to_string()),
            "content-length" => {
                body |= value != "0";
                continue;
            }
            "transfer-encoding" => {
                body = true;
                continue;
            }
            "connection" => {
                close |= value.to_ascii_lowercase().contains("close");
                continue;
            }
            _ => {}
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    match &host {
        None if !http10 => return Err((400, "an HTTP/1.1 request needs a Host header".into())),
        Some(h) if !rules.allows(h) => {
            return Err((403, format!(
                "this preview answers requests for localhost or an IP address; `{}` is neither (pass --allow-host {} to opsite serve to allow that name)",
                shorten(h),
                shorten(host_name(h))
            )))
        }
        _ => {}
    }
    let last = close || body;
    if last {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    Ok((out.into_bytes(), last))
}

fn shorten(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_name_reaches_the_terminal_as_one_line_without_escapes() {
        let shown = terminal_line("`evil\u{1b}]0;pwned\u{7}\u{1b}[2J\nx` is neither");
        assert_eq!(
            shown,
            "`evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{a}x` is neither"
        );
        assert_eq!(terminal_line(&"a".repeat(1000)).chars().count(), 301);
    }

    #[test]
    fn ip_addresses_and_localhost_are_allowed_other_names_only_when_given() {
        let rules = HostRules {
            names: vec!["ops.example.jp".into()],
            any: false,
        };
        for ok in [
            "127.0.0.1:1111",
            "[::1]:80",
            "localhost",
            "LOCALHOST.:1111",
            "192.168.0.5",
            "ops.example.jp:1111",
            "a.localhost",
        ] {
            assert!(rules.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example.com",
            "127.0.0.1.nip.io:1111",
            "localhost.evil.com",
            "",
        ] {
            assert!(!rules.allows(bad), "{bad}");
        }
        assert!(HostRules {
            names: vec![],
            any: true
        }
        .allows("evil.example.com"));
    }

    #[test]
    fn a_body_closes_the_connection_and_is_not_passed_on() {
        let rules = HostRules::default();
        let (head, last) = pass_on(
            b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 20\r\n\r\n",
            &rules,
        )
        .unwrap();
        assert!(last);
        assert_eq!(
            String::from_utf8(head).unwrap(),
            "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        );
        let (_, last) = pass_on(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", &rules).unwrap();
        assert!(!last);
        assert_eq!(
            pass_on(b"GET / HTTP/1.1\r\nHost: evil.com\r\n\r\n", &rules)
                .unwrap_err()
                .0,
            403
        );
        assert_eq!(
            pass_on(b"GET / HTTP/1.1\r\n\r\n", &rules).unwrap_err().0,
            400
        );
    }
}
