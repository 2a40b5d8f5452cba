//! Printing HTML to PDF with headless Chromium, spoken to over the DevTools protocol on a pair of
//! pipes (`--remote-debugging-pipe`: commands on its fd 3, answers on its fd 4, each message
//! JSON ended by a NUL byte). No port is opened and no WebSocket is needed. Chromium is started
//! once per command and prints every document of the run, several side by side, each in a tab
//! that is given the next document once it has printed (`tabs`).
//!
//! What Chromium may do is narrowed to printing opsite's own files: scripts are off in the page,
//! every request the page makes is held (the DevTools `Fetch` domain, which sees `file://`
//! requests too) and let through only when it names a file of the document's own folder, every
//! host name resolves to nothing, and the browser's own background traffic (updates, metrics,
//! sync) is switched off. So a page's `<img src="file:///…">`, `../../` path or CSS `@import`
//! cannot put a file from elsewhere on the machine into a document.

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod access;
mod tabs;

use access::may_read;

/// How long one step (start, load, print) may take before the run gives up.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// Set by Ctrl-C (SIGINT), SIGTERM or SIGHUP once a browser is started: the run stops waiting
/// for the browser, and its documents' folder is removed (`pdf::Printer`'s drop) before it ends.
pub static STOPPED: AtomicBool = AtomicBool::new(false);

/// How often a wait for the browser looks at `STOPPED`.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// From now on the signals that end a run set `STOPPED` instead; the same signal a second time
/// ends it at once, as it would have.
pub fn stop_on_signals() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // In this order: the second signal finds the flag the first one set.
            let _ = signal_hook::flag::register_conditional_default(signal, &STOPPED);
            let _ = signal_hook::flag::register(signal, &STOPPED);
        }
    });
}

/// Names Chromium is installed under, tried in this order in `PATH`.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "chrome-headless-shell",
    "headless_shell",
];

/// The browser: `OPSITE_CHROMIUM` when set, else the first of `NAMES` found in `PATH`.
pub fn find() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("OPSITE_CHROMIUM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "OPSITE_CHROMIUM={}: no such file (give the path of a Chromium or Chrome binary)",
                p.display()
            ))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err("opsite pdf prints with headless Chromium, and none was found in PATH: install it (Debian/Ubuntu: `apt-get install chromium`; Fedora: `dnf install chromium`; macOS: Google Chrome) or set OPSITE_CHROMIUM=/path/to/chrome".into())
}

/// A running headless Chromium.
pub struct Browser {
    child: Child,
    commands: std::fs::File,
    answers: Receiver<Result<Value, String>>,
    /// Events read while waiting for an answer.
    events: VecDeque<Value>,
    next_id: u64,
    /// Its profile folder, removed when the browser is closed.
    profile: PathBuf,
    /// Each open tab's (by its session) folder, the only one its requests may read from.
    allowed: HashMap<String, PathBuf>,
    /// Each tab's requests refused (outside the folder, or not a file), for the warning.
    refused: HashMap<String, Vec<String>>,
}

/// How a page is printed: `Final`, as the document (tagged, with an outline of its headings);
/// `Draft`, only to see which page each section falls on (the contents' page numbers), laid out
/// the same: on 2 cores, 101 monthly reports printed without tags or outlines in 28-29 s
/// instead of 39-49 s.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Print {
    Final,
    Draft,
}

/// A tab of the browser, printing one document.
pub struct Tab {
    target: String,
    session: String,
}

impl Browser {
    /// Start `binary` with a fresh profile under `work` (a private temporary folder).
    pub fn start(binary: &Path, work: &Path) -> Result<Browser, String> {
        let profile = work.join("chromium-profile");
        std::fs::create_dir_all(&profile).map_err(|e| format!("{}: {e}", profile.display()))?;
        stop_on_signals();
        let (to_browser_read, to_browser_write) = pipe()?;
        let (from_browser_read, from_browser_write) = pipe()?;
        let mut cmd = Command::new(binary);
        cmd.args([
            "--headless",
            "--remote-debugging-pipe",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--metrics-recording-only",
            "--mute-audio",
            "--hide-scrollbars",
            "--font-render-hinting=none",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "about:blank",
        ]);
        cmd.arg(format!("--user-data-dir={}", profile.display()));
        // Its own temporary files too go in the private folder, removed with it.
        cmd.env("TMPDIR", work);
        // Chromium refuses to run as root with its sandbox on (containers, CI).
        if unsafe { libc::geteuid() } == 0 {
            cmd.arg("--no-sandbox");
        }
        // `OPSITE_PDF_DEBUG=1` shows what the browser says, for a browser that will not start.
        let debug = std::env::var_os("OPSITE_PDF_DEBUG").is_some();
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if debug {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        let (r, w) = (raw(&to_browser_read), raw(&from_browser_write));
        // SAFETY: only async-signal-safe calls (fcntl, dup2) between fork and exec. The ends
        // are first copied above fd 10: a pipe end that already is fd 3 or 4 would otherwise be
        // overwritten, or kept with its close-on-exec flag (dup2 onto itself changes nothing).
        unsafe {
            cmd.pre_exec(move || {
                let high_r = libc::fcntl(r, libc::F_DUPFD_CLOEXEC, 10);
                let high_w = libc::fcntl(w, libc::F_DUPFD_CLOEXEC, 10);
                if high_r < 0
                    || high_w < 0
                    || libc::dup2(high_r, 3) < 0
                    || libc::dup2(high_w, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        drop(to_browser_read);
        drop(from_browser_write);
        let answers = reader(std::fs::File::from(from_browser_read));
        let mut browser = Browser {
            child,
            commands: std::fs::File::from(to_browser_write),
            answers,
            events: VecDeque::new(),
            next_id: 0,
            profile,
            allowed: HashMap::new(),
            refused: HashMap::new(),
        };
        browser
            .call("Browser.getVersion", json!({}), None)
            .map_err(|e| {
                format!(
                    "{} did not start: {e} (OPSITE_PDF_DEBUG=1 shows what it says)",
                    binary.display()
                )
            })?;
        Ok(browser)
    }

    /// Send one command and wait for its answer (events meanwhile are kept).
    fn call(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, String> {
        let sent = [self.send(method, params, session)];
        (self.answers_to(&sent, method).pop()).unwrap_or_else(|| Err("no answer".into()))
    }

    /// Send one command without waiting; its id.
    fn send(&mut self, method: &str, params: Value, session: Option<&str>) -> Result<u64, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).map_err(|e| e.to_string())?;
        bytes.push(0);
        self.commands
            .write_all(&bytes)
            .map_err(|e| format!("the browser went away ({e})"))?;
        Ok(id)
    }

    /// The next message; a held request is answered here, whatever else is awaited.
    fn receive(&mut self, deadline: Instant, waiting_for: &str) -> Result<Value, String> {
        loop {
            let msg = self.next_message(deadline, waiting_for)?;
            if msg.get("method").and_then(Value::as_str) == Some("Fetch.requestPaused") {
                self.answer_request(&msg)?;
                continue;
            }
            return Ok(msg);
        }
    }

    /// Let a held request go on when it reads a file of the document's folder; refuse the rest.
    fn answer_request(&mut self, msg: &Value) -> Result<(), String> {
        let params = &msg["params"];
        let id = params["requestId"].as_str().unwrap_or_default().to_string();
        let url = params["request"]["url"].as_str().unwrap_or_default();
        let session = msg
            .get("sessionId")
            .and_then(Value::as_str)
            .map(str::to_string);
        let inside = may_read(&self.allowed, session.as_deref(), url);
        if inside {
            self.send(
                "Fetch.continueRequest",
                json!({"requestId": id}),
                session.as_deref(),
            )?;
        } else {
            if !url.starts_with("data:") {
                let whose = session.clone().unwrap_or_default();
                (self.refused.entry(whose).or_default()).push(url.chars().take(200).collect());
            }
            self.send(
                "Fetch.failRequest",
                json!({"requestId": id, "errorReason": "BlockedByClient"}),
                session.as_deref(),
            )?;
        }
        Ok(())
    }

    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Result<Value, String> {
        loop {
            if STOPPED.load(Ordering::Relaxed) {
                return Err("stopped by a signal".into());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            return match self.answers.recv_timeout(left.min(SIGNAL_CHECK)) {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(e)) => Err(e),
                Err(RecvTimeoutError::Timeout) if !left.is_zero() => continue,
                Err(RecvTimeoutError::Timeout) => Err(format!(
                    "the browser did not answer {waiting_for} within {} s",
                    STEP_TIMEOUT.as_secs()
                )),
                Err(RecvTimeoutError::Disconnected) => Err("the browser closed".into()),
            };
        }
    }

    /// Wait for event `name` of `session`.
    fn wait_for(&mut self, name: &str, session: &str) -> Result<Value, String> {
        let matches = |m: &Value| {
            m.get("method").and_then(Value::as_str) == Some(name)
                && m.get("sessionId").and_then(Value::as_str) == Some(session)
        };
        if let Some(i) = self.events.iter().position(matches) {
            return Ok(self.events.remove(i).unwrap_or_default());
        }
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let msg = self.receive(deadline, name)?;
            if matches(&msg) {
                return Ok(msg);
            }
            // Another tab's event, waited for next.
            if msg.get("method").is_some() {
                self.events.push_back(msg);
            }
        }
    }

    /// The answers to the commands `sent` (in their order), waited for together; events
    /// meanwhile are kept.
    fn answers_to(
        &mut self,
        sent: &[Result<u64, String>],
        method: &str,
    ) -> Vec<Result<Value, String>> {
        let mut answers: HashMap<u64, Result<Value, String>> = HashMap::new();
        let mut waiting = sent.iter().filter(|s| s.is_ok()).count();
        let deadline = Instant::now() + STEP_TIMEOUT;
        while waiting > 0 {
            let msg = match self.receive(deadline, method) {
                Ok(msg) => msg,
                Err(e) => {
                    for id in sent.iter().flatten() {
                        answers.entry(*id).or_insert_with(|| Err(e.clone()));
                    }
                    break;
                }
            };
            match msg.get("id").and_then(Value::as_u64) {
                Some(id) if sent.contains(&Ok(id)) => {
                    let answer = match msg.get("error") {
                        Some(err) => Err(format!(
                            "{method}: {}",
                            err.get("message").and_then(Value::as_str).unwrap_or("")
                        )),
                        None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
                    };
                    answers.insert(id, answer);
                    waiting -= 1;
                }
                _ if msg.get("method").is_some() => self.events.push_back(msg),
                _ => {}
            }
        }
        (sent.iter())
            .map(|s| match s {
                Ok(id) => answers
                    .remove(id)
                    .unwrap_or_else(|| Err("no answer".into())),
                Err(e) => Err(e.clone()),
            })
            .collect()
    }

    /// Close the browser and remove its profile (again: nothing).
    pub fn close(&mut self) {
        // Asked, not waited for (a run stopped by a signal waits for no answer): the browser
        // closes by itself, removing its own files, and is killed only if it has not in 5 s.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.send("Browser.close", json!({}), None);
        }
        self.reap();
    }

    fn reap(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A pipe whose ends close on exec (the child gets them only as fd 3 and 4, by dup2).
fn pipe() -> Result<(OwnedFd, OwnedFd), String> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: fds is a two-int array as pipe2 wants.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(format!("pipe: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn raw(fd: &OwnedFd) -> RawFd {
    use std::os::fd::AsRawFd;
    fd.as_raw_fd()
}

/// A thread splitting the browser's output at NUL bytes into JSON messages.
fn reader(mut from: std::fs::File) -> Receiver<Result<Value, String>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut pending = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            pending.extend_from_slice(&buf[..n]);
            while let Some(end) = pending.iter().position(|&b| b == 0) {
                let msg: Vec<u8> = pending.drain(..=end).collect();
                let parsed = serde_json::from_slice(&msg[..msg.len() - 1])
                    .map_err(|e| format!("the browser said something unreadable: {e}"));
                if tx.send(parsed).is_err() {
                    return;
                }
            }
        }
    });
    rx
}
