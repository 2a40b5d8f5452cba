//! Printing HTML to PDF with headless Chromium, spoken to over the DevTools protocol on a pair of
//! pipes (`--remote-debugging-pipe`: commands on its fd 3, answers on its fd 4, each message
//! JSON ended by a NUL byte). No port is opened and no WebSocket is needed. Chromium is started
//! once per command and prints every document of the run, several side by side, each in a tab
//! of its own.
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

    /// A new tab whose page may read only files of `folder` (its own document's), scripts off,
    /// every request held for `answer_request`. Each document is printed in a tab of its own.
    pub fn open_tab(&mut self, folder: &Path) -> Result<Tab, String> {
        let target = self.call("Target.createTarget", json!({"url": "about:blank"}), None)?;
        let target = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
            None,
        );
        let tab = Tab {
            target,
            session: (attached.as_ref().ok())
                .and_then(|a| a["sessionId"].as_str())
                .unwrap_or_default()
                .to_string(),
        };
        let set_up = attached.and_then(|_| {
            self.allowed
                .insert(tab.session.clone(), folder.to_path_buf());
            let s = Some(tab.session.as_str());
            self.call("Page.enable", json!({}), s)?;
            self.call(
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
                s,
            )?;
            // Laid out as it prints, so the fonts it asks for are the ones its print uses.
            self.call("Emulation.setEmulatedMedia", json!({"media": "print"}), s)?;
            self.call(
                "Fetch.enable",
                json!({"patterns": [{"urlPattern": "*"}]}),
                s,
            )
        });
        match set_up {
            Ok(_) => Ok(tab),
            Err(e) => {
                self.close_tab(tab);
                Err(e)
            }
        }
    }

    /// Open each `(tab, url)` at once and wait until every page has loaded: the pages lay out
    /// side by side.
    pub fn load_all(&mut self, pages: &[(&Tab, &str)]) -> Vec<Result<(), String>> {
        let sent: Vec<Result<u64, String>> = (pages.iter())
            .map(|(tab, url)| {
                self.send(
                    "Page.navigate",
                    json!({"url": url}),
                    Some(tab.session.as_str()),
                )
            })
            .collect();
        let answers = self.answers_to(&sent, "Page.navigate");
        let loaded = (pages.iter().zip(answers))
            .map(|((tab, url), answer)| {
                let nav = answer?;
                if let Some(e) = nav.get("errorText").and_then(Value::as_str) {
                    return Err(format!("cannot open {url}: {e}"));
                }
                self.wait_for("Page.loadEventFired", &tab.session)
                    .map(|_| ())
            })
            .collect();
        self.ready_to_print(pages, loaded)
    }

    /// `loaded`, each page that loaded also ready to print: still the document's own, and its
    /// fonts loaded.
    /// - A page's load event does not wait for fonts its layout had not asked for yet, and a
    ///   page printed before its fonts came has no text (a 13-chapter handbook in a tab that had
    ///   printed before). The page is laid out for print first, so it asks for the fonts its
    ///   print uses.
    /// - A page that asks to go elsewhere (a refresh from a site's own template or shortcode:
    ///   raw HTML in Markdown loses it) is said so, whether or not it has gone yet; one that
    ///   went elsewhere already (a refused address leaves the browser's error page in its
    ///   place) is known by its address.
    fn ready_to_print(
        &mut self,
        pages: &[(&Tab, &str)],
        loaded: Vec<Result<(), String>>,
    ) -> Vec<Result<(), String>> {
        const LAID_OUT_AND_FONTS: &str = "[...document.querySelectorAll('meta[http-equiv]')] \
            .some(m => m.httpEquiv.trim().toLowerCase() === 'refresh') ? [location.href, 'refresh'] : \
            (document.documentElement.getBoundingClientRect(), \
            document.fonts.ready.then(() => [location.href, document.fonts.status]))";
        let sent: Vec<Result<u64, String>> = (pages.iter().zip(&loaded))
            .map(|((tab, _), loaded)| {
                loaded.clone()?;
                self.send(
                    "Runtime.evaluate",
                    json!({"expression": LAID_OUT_AND_FONTS, "awaitPromise": true, "returnByValue": true}),
                    Some(tab.session.as_str()),
                )
            })
            .collect();
        const GONE: &str = "its page asks to go to another address (`<meta http-equiv=\"refresh\">` in a site's own template or shortcode?), so another page would be printed";
        (self.answers_to(&sent, "Runtime.evaluate").into_iter())
            .zip(pages)
            .map(|(answer, (_, url))| {
                let status = answer.map_err(|e| match e.contains("navigated") {
                    true => GONE.to_string(),
                    false => e,
                })?;
                let value = &status["result"]["value"];
                let here = value[0]
                    .as_str()
                    .is_some_and(|href| same_file_url(href, url));
                match (here, value[1].as_str()) {
                    (true, Some("loaded")) => Ok(()),
                    (false, _) | (_, Some("refresh")) => Err(GONE.into()),
                    _ => Err(format!("{url}: its fonts did not load ({status})")),
                }
            })
            .collect()
    }

    /// Print each tab's page at once as PDF bytes, as `Print` says: the document's own `@page`
    /// size, margins and margin boxes, backgrounds.
    pub fn print_all(&mut self, tabs: &[(&Tab, Print)]) -> Vec<Result<Vec<u8>, String>> {
        let sent: Vec<Result<u64, String>> = (tabs.iter())
            .map(|(tab, print)| {
                let whole = *print == Print::Final;
                self.send(
                    "Page.printToPDF",
                    json!({
                        "paperWidth": 210.0 / 25.4,
                        "paperHeight": 297.0 / 25.4,
                        "printBackground": true,
                        "displayHeaderFooter": false,
                        "preferCSSPageSize": true,
                        "generateDocumentOutline": whole,
                        "generateTaggedPDF": whole,
                    }),
                    Some(tab.session.as_str()),
                )
            })
            .collect();
        (self.answers_to(&sent, "Page.printToPDF").into_iter())
            .map(|answer| {
                let pdf = answer?;
                let data = pdf["data"].as_str().unwrap_or_default();
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .map_err(|e| format!("the browser's PDF did not decode: {e}"))
            })
            .collect()
    }

    /// Give each element of `tab`'s page that names a section (`data-page-of`) the page it
    /// starts on (`data-page`, which the document's CSS shows), so the page prints again with
    /// its contents numbered and is not loaded again; the sections the elements name.
    pub fn number_contents(
        &mut self,
        tab: &Tab,
        pages: &HashMap<String, usize>,
    ) -> Result<Vec<String>, String> {
        let s = Some(tab.session.as_str());
        let root = self.call("DOM.getDocument", json!({"depth": 0}), s)?;
        let found = self.call(
            "DOM.querySelectorAll",
            json!({"nodeId": root["root"]["nodeId"], "selector": "[data-page-of]"}),
            s,
        )?;
        let nodes = found["nodeIds"].as_array().cloned().unwrap_or_default();
        let mut named = Vec::with_capacity(nodes.len());
        for node in &nodes {
            let attributes = self.call("DOM.getAttributes", json!({"nodeId": node}), s)?;
            // Names and values, one after the other.
            let pairs = attributes["attributes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let section = (pairs.chunks(2))
                .find(|p| p[0].as_str() == Some("data-page-of"))
                .and_then(|p| p.get(1)?.as_str())
                .unwrap_or_default()
                .to_string();
            if let Some(page) = pages.get(&section) {
                self.call(
                    "DOM.setAttributeValue",
                    json!({"nodeId": node, "name": "data-page", "value": page.to_string()}),
                    s,
                )?;
            }
            named.push(section);
        }
        Ok(named)
    }

    /// Close `tab`; what its page asked for and was refused (outside its folder, or not a file).
    pub fn close_tab(&mut self, tab: Tab) -> Vec<String> {
        let _ = self.call("Target.closeTarget", json!({"targetId": tab.target}), None);
        self.done_with(&tab)
    }

    /// `tab`'s document printed: what its page asked for and was refused, and nothing left of
    /// it that the next document printed in the tab could read (its folder, its events).
    pub fn done_with(&mut self, tab: &Tab) -> Vec<String> {
        self.allowed.remove(&tab.session);
        let of_tab = |e: &Value| e.get("sessionId").and_then(Value::as_str) == Some(&tab.session);
        self.events.retain(|e| !of_tab(e));
        self.refused.remove(&tab.session).unwrap_or_default()
    }

    /// `tab`, done with its last document (`done_with`), given the next one's folder: a new
    /// tab starts a page process, and a hundred of them were a tenth of printing a hundred
    /// customers' reports.
    pub fn reuse_tab(&mut self, tab: &Tab, folder: &Path) {
        self.allowed
            .insert(tab.session.clone(), folder.to_path_buf());
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

/// Whether two `file://` addresses name the same file, percent-escapes read (the browser may
/// write an escape another way than `file_url` did).
fn same_file_url(a: &str, b: &str) -> bool {
    let decoded = |u: &str| -> Vec<u8> {
        let bytes = u.split(['?', '#']).next().unwrap_or(u).as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'%', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        out
    };
    decoded(a) == decoded(b)
}

/// Whether the tab of `session` may read `url`: a file of its own document's folder, never one
/// of another document printed beside it.
fn may_read(allowed: &HashMap<String, PathBuf>, session: Option<&str>, url: &str) -> bool {
    let folder = session.and_then(|s| allowed.get(s));
    folder.is_some_and(|dir| file_inside(url, dir))
}

/// Whether `url` is a `file://` URL of a file inside `dir` (the browser has already resolved
/// `..` and `.` in it; one left would not count as inside).
fn file_inside(url: &str, dir: &Path) -> bool {
    let Some(rest) = url.strip_prefix("file://") else {
        return false;
    };
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_decoded(path);
    let Some(path) = decoded.as_deref().map(Path::new) else {
        return false;
    };
    let plain = path.components().all(|c| {
        matches!(
            c,
            std::path::Component::RootDir | std::path::Component::Normal(_)
        )
    });
    plain && path.starts_with(dir) && path != dir
}

/// `%XX` sequences as bytes; `None` when the result is no path this system can name.
fn percent_decoded(s: &str) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStringExt;
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    (!out.contains(&0)).then(|| std::ffi::OsString::from_vec(out))
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_file_is_known_by_its_address_however_escaped() {
        let ours = "file:///tmp/opsite-pdf-1/doc-ab/document.html";
        assert!(super::same_file_url(ours, ours));
        assert!(super::same_file_url(
            "file:///tmp/%E5%9B%B3/document.html",
            "file:///tmp/%e5%9b%b3/document.html"
        ));
        assert!(super::same_file_url(
            "file:///tmp/a%2Db/x.html",
            "file:///tmp/a-b/x.html"
        ));
        assert!(!super::same_file_url("chrome-error://chromewebdata/", ours));
        assert!(!super::same_file_url(
            "file:///tmp/opsite-pdf-1/doc-ab/other.html",
            ours
        ));
    }

    use super::*;

    #[test]
    fn only_files_of_the_documents_folder_may_be_read() {
        let dir = Path::new("/tmp/opsite-pdf-1/doc-1");
        assert!(file_inside(
            "file:///tmp/opsite-pdf-1/doc-1/document.html",
            dir
        ));
        assert!(file_inside(
            "file:///tmp/opsite-pdf-1/doc-1/site/img/%E5%9B%B3.png?x#y",
            dir
        ));
        for outside in [
            "file:///tmp/opsite-pdf-1/doc-10/document.html",
            "file:///tmp/opsite-pdf-1/doc-1/../secret.png",
            "file:///tmp/opsite-pdf-1/doc-1/%2E%2E/secret.png",
            // The one copy of a large file the documents' folders link to (`Printer`).
            "file:///tmp/opsite-pdf-1/shared-0",
            "file:///tmp/opsite-pdf-1/doc-1/../shared-0",
            "file:///etc/passwd",
            "file:///tmp/opsite-pdf-1/doc-1",
            "file:///tmp/opsite-pdf-1/doc-1/a%00b",
            "http://127.0.0.1:8765/x.png",
            "https://cdn.example/x.png",
            "data:image/png;base64,AAAA",
        ] {
            assert!(!file_inside(outside, dir), "{outside}");
        }
    }

    #[test]
    fn a_tab_reads_its_own_documents_folder_and_not_the_one_printed_beside_it() {
        let allowed: HashMap<String, PathBuf> = [
            ("A".to_string(), PathBuf::from("/tmp/opsite-pdf-1/doc-1")),
            ("B".to_string(), PathBuf::from("/tmp/opsite-pdf-1/doc-2")),
        ]
        .into();
        let of_b = "file:///tmp/opsite-pdf-1/doc-2/document.html";
        assert!(may_read(&allowed, Some("B"), of_b));
        assert!(!may_read(&allowed, Some("A"), of_b));
        // A request of no tab, or of a tab already closed, reads nothing.
        assert!(!may_read(&allowed, None, of_b));
        assert!(!may_read(&allowed, Some("C"), of_b));
    }
}
