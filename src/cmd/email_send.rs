//! The mails of one `opsite email` run after every one of them was composed and checked: where
//! their files go, what `--dry-run` prints, and `--send` with its sent log. The log
//! (`.opsite-sent/<kind>/<period>/<customer or site>.json`, written as each relay accepts a
//! message) keeps a re-run from sending a mail twice: after a relay failure mid-batch, the next
//! run sends only the rest.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

use crate::config::email::SmtpConfig;
use crate::email;

/// One message of the run, composed and checked, ready to write and send.
pub struct Outgoing {
    /// The customer it is for; none for the site's own mail.
    pub customer: Option<String>,
    /// Its folder under `mail/` (the customer's own for a customer).
    pub dir: PathBuf,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub composed: email::Composed,
}

impl Outgoing {
    fn who(&self) -> &str {
        self.customer.as_deref().unwrap_or("the site")
    }

    /// The sent log's file name: the customer's folder name, or `_site` (no folder name
    /// starts with `_`, so a customer called Site has a log of its own).
    fn log_name(&self) -> String {
        match &self.customer {
            Some(c) => email::folders::customer_slug(c),
            None => "_site".into(),
        }
    }
}

/// What the sent log keeps of one message: `sending` is written before its data goes to the
/// relay, `sent` as soon as the relay accepts it (before QUIT). A `sending` record left behind
/// (the run was killed, or the relay never answered) means the relay may hold the mail.
#[derive(Serialize, Deserialize)]
struct Sent {
    /// `sending` or `sent`; logs written before the two states were kept are `sent`.
    #[serde(default = "sent_state")]
    state: String,
    message_id: String,
    /// When the relay accepted it (RFC 3339, UTC).
    sent_at: String,
    subject: String,
    recipients: Vec<String>,
    relay_answer: String,
}

fn sent_state() -> String {
    SENT.to_string()
}

const SENT: &str = "sent";

/// Where the sent log lives, relative to the site.
pub const SENT_LOG: &str = ".opsite-sent";
/// Where it lived before (read, never written).
const EARLIER_SENT_LOG: &str = ".opsite/sent";
const SENDING: &str = "sending";

/// The run's identity in the sent log: the email kind and the period.
pub struct Batch<'a> {
    pub root: &'a Path,
    pub kind: &'a str,
    pub period: &'a str,
}

impl Batch<'_> {
    /// The log of `o`: beside the site's caches, not among them (`.opsite/` is cleared and
    /// restored as a cache; the log must outlive that).
    fn log_path(&self, o: &Outgoing) -> PathBuf {
        self.log_in(SENT_LOG, o)
    }

    fn log_in(&self, folder: &str, o: &Outgoing) -> PathBuf {
        (self.root.join(folder))
            .join(self.kind)
            .join(self.period)
            .join(format!("{}.json", o.log_name()))
    }

    /// The log's record of `o`, sent or being sent (also where logs were kept before).
    fn record(&self, o: &Outgoing) -> Option<Sent> {
        [SENT_LOG, EARLIER_SENT_LOG].iter().find_map(|folder| {
            let text = std::fs::read_to_string(self.log_in(folder, o)).ok()?;
            serde_json::from_str(&text).ok()
        })
    }

    /// The record of `o` when the relay accepted it.
    fn sent(&self, o: &Outgoing) -> Option<Sent> {
        self.record(o).filter(|s| s.state == SENT)
    }

    /// The record of `o` when its sending began and no acceptance was recorded.
    fn maybe_sent(&self, o: &Outgoing) -> Option<Sent> {
        self.record(o).filter(|s| s.state == SENDING)
    }

    /// Logs that exist but cannot be read: the mail may have gone out, so nothing is sent
    /// until someone looks.
    fn unreadable_logs(&self, batch: &[Outgoing]) -> Vec<String> {
        (batch.iter())
            .map(|o| self.log_path(o))
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .filter(|p| {
                (std::fs::read_to_string(p).ok())
                    .and_then(|t| serde_json::from_str::<Sent>(&t).ok())
                    .is_none()
            })
            .map(|p| p.display().to_string())
            .collect()
    }

    /// Whether `--send` (without `--resend`) will leave `o` alone: the log says it was sent.
    /// Its files stay as they were sent.
    pub fn keeps(&self, o: &Outgoing, send: bool, resend: bool) -> bool {
        send && !resend && self.record(o).is_some()
    }

    /// `--dry-run`: who would get what, and which the log says were sent already.
    pub fn print_plan(&self, batch: &[Outgoing], mail_dir: &Path) {
        for o in batch {
            let list = |l: &[String]| {
                if l.is_empty() {
                    "—".into()
                } else {
                    l.join(", ")
                }
            };
            println!(
                "{} {}: to {}; cc {}; bcc {}\n  subject: {}\n  would write {}",
                self.period,
                o.who(),
                list(&o.to),
                list(&o.cc),
                list(&o.bcc),
                o.composed.subject,
                o.dir.join(format!("{}.eml", self.period)).display()
            );
            if let Some(pdf) = &o.composed.attachment {
                println!("  with {pdf} attached (the report as a PDF)");
            }
            for w in o.composed.size_warnings() {
                eprintln!("warning: {}: {w}", o.who());
            }
            if let Some(s) = self.sent(o) {
                println!(
                    "  already sent {} ({}); --send skips it unless --resend",
                    s.sent_at, s.message_id
                );
            }
            if let Some(s) = self.maybe_sent(o) {
                println!(
                    "  sending began {} ({}) with no answer recorded; --send refuses it unless --resend",
                    s.sent_at, s.message_id
                );
            }
        }
        println!(
            "dry run: {} mail(s) checked; nothing written under {}, nothing sent",
            batch.len(),
            mail_dir.display()
        );
    }

    /// Send each mail the log does not list (all with `resend`) over one connection, logging
    /// each as `sending` before its data goes and as `sent` the moment the relay accepts it. A
    /// mail whose sending began in an earlier run without an answer is refused (the relay may
    /// hold it) and named at the end; a failure stops the batch and says which were sent.
    pub fn send(
        &self,
        batch: &[Outgoing],
        smtp: &SmtpConfig,
        from: &str,
        resend: bool,
    ) -> anyhow::Result<()> {
        let broken = self.unreadable_logs(batch);
        if !broken.is_empty() && !resend {
            bail!(
                "the sent log cannot be read: {}; the mail may have been sent. Nothing sent: look at it, then delete it or use --resend",
                broken.join(", ")
            );
        }
        let mut relay = email::send::Relay::new(smtp);
        let mut sent_now: Vec<&str> = Vec::new();
        let mut uncertain: Vec<String> = Vec::new();
        for (i, o) in batch.iter().enumerate() {
            if let (false, Some(s)) = (resend, self.sent(o)) {
                println!(
                    "not sending {} to {}: sent {} ({}); --resend sends it again",
                    self.period,
                    o.who(),
                    s.sent_at,
                    s.message_id
                );
                continue;
            }
            if let (false, Some(s)) = (resend, self.maybe_sent(o)) {
                uncertain.push(format!(
                    "{}: sending began {} and no acceptance was recorded (the run stopped, or the relay did not answer); the relay may hold it: look for Message-ID <{}> in the relay's log, then pass --resend to send it again",
                    o.who(),
                    s.sent_at,
                    s.message_id
                ));
                continue;
            }
            let c = &o.composed;
            let path = self.log_path(o);
            let recipients: Vec<String> =
                (o.to.iter().chain(&o.cc).chain(&o.bcc)).cloned().collect();
            let mut record = Sent {
                state: SENDING.into(),
                message_id: c.message_id.clone(),
                sent_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                subject: c.subject.clone(),
                recipients,
                relay_answer: String::new(),
            };
            let envelope = email::send::envelope(from, &o.to, &o.cc, &o.bcc)
                .map_err(|e| anyhow::anyhow!("{}: {e}", o.who()))?;
            write_log(&path, &record)
                .map_err(|e| anyhow::anyhow!("{e}: nothing sent to {}", o.who()))?;
            let answer = match relay.send(&envelope, &c.eml) {
                Ok(a) => a,
                Err(e) => {
                    // Refused by the relay: nothing went out, so no record stays. No answer:
                    // the `sending` record stays, and a re-run asks before sending again.
                    if e.refused {
                        let _ = std::fs::remove_file(&path);
                    }
                    let rest: Vec<&str> = batch[i + usize::from(!e.refused)..]
                        .iter()
                        .map(Outgoing::who)
                        .collect();
                    let unknown = match e.refused {
                        true => String::new(),
                        false => format!("; unknown (no answer from the relay): {}", o.who()),
                    };
                    bail!(
                        "{}\nsending stopped at {}: sent in this run: {}; not sent: {}{unknown}. The messages are written; a re-run with --send sends only the ones not sent.",
                        e.message,
                        o.who(),
                        if sent_now.is_empty() { "none".into() } else { sent_now.join(", ") },
                        if rest.is_empty() { "none".into() } else { rest.join(", ") }
                    );
                }
            };
            record.state = SENT.into();
            record.relay_answer = answer.clone();
            record.sent_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let logged = write_log(&path, &record);
            println!(
                "sent {} to {} ({} recipient(s)) through {}:{} ({answer})",
                self.period,
                o.who(),
                record.recipients.len(),
                smtp.host,
                smtp.port
            );
            if let Err(e) = logged {
                bail!(
                    "{e}: the mail to {} was sent but its acceptance was not logged; a re-run refuses it until --resend",
                    o.who()
                );
            }
            sent_now.push(o.who());
        }
        relay.close();
        if !uncertain.is_empty() {
            bail!(
                "{} mail(s) not sent because an earlier run may have sent them:\n  {}",
                uncertain.len(),
                uncertain.join("\n  ")
            );
        }
        Ok(())
    }
}

/// Written whole or not at all (a temporary file renamed over the log).
fn write_log(path: &Path, record: &Sent) -> Result<(), String> {
    let dir = path.parent().expect("a log has a folder");
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let text = serde_json::to_string_pretty(record).expect("a record serialises");
    crate::write_whole::write_whole(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `<week>.eml`, `<week>.html` (images referenced by file name), `<week>.txt` and the PNGs.
pub fn write_parts(dir: &Path, label: &str, c: &email::Composed) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let files = parts(dir, label, c);
    for (path, bytes) in &files {
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// What `write_parts` would stumble on, found before anything is written: a file where a
/// folder must go (`mail/acme` as a file), or a folder where a file must go.
pub fn blocked(dir: &Path, label: &str, c: &email::Composed) -> Option<String> {
    let is = |p: &Path, dir: bool| std::fs::metadata(p).is_ok_and(|m| m.is_dir() == dir);
    if let Some(file) = dir.ancestors().find(|a| is(a, false)) {
        return Some(format!(
            "{} is a file where a folder must go",
            file.display()
        ));
    }
    (parts(dir, label, c).into_iter())
        .find(|(p, _)| is(p, true))
        .map(|(p, _)| format!("{} is a folder where the mail's file must go", p.display()))
}

/// The files of a message: `.eml`, the `.html` preview (images by file name), `.txt`, PNGs.
fn parts(dir: &Path, label: &str, c: &email::Composed) -> Vec<(PathBuf, Vec<u8>)> {
    let mut preview = c.html.clone();
    for img in &c.images {
        preview = preview.replace(&format!("cid:{}", img.cid), &img.file);
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (dir.join(format!("{label}.eml")), c.eml.clone()),
        (dir.join(format!("{label}.html")), preview.into_bytes()),
        (
            dir.join(format!("{label}.txt")),
            c.text.clone().into_bytes(),
        ),
    ];
    for img in &c.images {
        files.push((dir.join(&img.file), img.png.clone()));
    }
    files
}
