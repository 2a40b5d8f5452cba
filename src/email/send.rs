//! `opsite email … --send`: the written messages handed to the SMTP relay of `email.smtp` over
//! one connection (lettre's SMTP client; STARTTLS with rustls unless `starttls: false`). Each
//! message's acceptance is known the moment the relay answers its data (250), before QUIT, so
//! the caller can record it at once; a relay that closes the connection between messages gets a
//! new one. The password comes from the environment variable `password_env` names, never from
//! site.yaml.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Address;

use crate::config::email::SmtpConfig;

/// How long the relay may take to answer a command or the data of a message.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);
/// How long QUIT is waited for once every message is accepted: nothing depends on it.
const QUIT_TIMEOUT: Duration = Duration::from_secs(5);

fn address(key: &str, text: &str) -> Result<Address, String> {
    super::mailbox(key, text).map(|m| m.email)
}

/// What `--send` needs from site.yaml and the environment, checked before anything is written.
pub fn check(smtp: Option<&SmtpConfig>) -> Result<(), String> {
    let smtp =
        smtp.ok_or("site.yaml has no email.smtp (host, port, starttls, username, password_env)")?;
    if smtp.host.trim().is_empty() {
        return Err("email.smtp.host is empty".into());
    }
    if smtp.username.is_some() {
        password(smtp)?;
    }
    Ok(())
}

fn password(smtp: &SmtpConfig) -> Result<String, String> {
    let var = smtp.password_env.as_deref().ok_or(
        "email.smtp: a username needs `password_env:`, the environment variable holding the password",
    )?;
    std::env::var(var)
        .map_err(|_| format!("email.smtp.password_env: the environment variable {var} is not set"))
}

/// One envelope: the sender and every address of `to`, `cc` and `bcc` (bcc is told to the
/// relay, never written in the message).
pub fn envelope(
    from: &str,
    to: &[String],
    cc: &[String],
    bcc: &[String],
) -> Result<Envelope, String> {
    let sender = address("email.from", from)?;
    let mut rcpt = Vec::new();
    for (key, list) in [("email.to", to), ("email.cc", cc), ("email.bcc", bcc)] {
        for r in list {
            rcpt.push(address(key, r)?);
        }
    }
    Envelope::new(Some(sender), rcpt).map_err(|e| e.to_string())
}

/// A message the relay did not accept: `refused` when it said so (nothing was kept), else it
/// is unknown whether it was kept (no answer came).
pub struct NotSent {
    pub message: String,
    pub refused: bool,
}

/// A connection to the relay, opened when the first message goes and kept for the batch.
pub struct Relay<'a> {
    smtp: &'a SmtpConfig,
    conn: Option<SmtpConnection>,
}

impl<'a> Relay<'a> {
    pub fn new(smtp: &'a SmtpConfig) -> Relay<'a> {
        Relay { smtp, conn: None }
    }

    fn place(&self) -> String {
        format!("{}:{}", self.smtp.host, self.smtp.port)
    }

    fn connect(&self) -> Result<SmtpConnection, String> {
        let smtp = self.smtp;
        let failed = |e: lettre::transport::smtp::Error| {
            format!("sending through {} failed: {e}", self.place())
        };
        let hello = ClientId::default();
        let mut conn = SmtpConnection::connect(
            (smtp.host.as_str(), smtp.port),
            Some(ANSWER_TIMEOUT),
            &hello,
            None,
            None,
        )
        .map_err(failed)?;
        if smtp.starttls {
            let tls = TlsParameters::new(smtp.host.clone())
                .map_err(|e| format!("email.smtp.host `{}`: {e}", smtp.host))?;
            conn.starttls(&tls, &hello).map_err(failed)?;
        }
        if let Some(user) = &smtp.username {
            let credentials = Credentials::new(user.clone(), password(smtp)?);
            conn.auth(DEFAULT_MECHANISMS, &credentials)
                .map_err(failed)?;
        }
        Ok(conn)
    }

    /// The connection, new when there is none or the relay closed the last one (a relay may
    /// take a limited number of messages per connection): asked with NOOP, so no message is
    /// ever in flight when a connection is replaced.
    fn connection(&mut self) -> Result<&mut SmtpConnection, String> {
        let alive = match self.conn.as_mut() {
            Some(c) => !c.has_broken() && c.test_connected(),
            None => false,
        };
        if !alive {
            if let Some(mut old) = self.conn.take() {
                old.abort();
            }
            self.conn = Some(self.connect()?);
        }
        Ok(self.conn.as_mut().expect("just connected"))
    }

    /// Hand `eml` to the relay; returns the relay's answer to its data (it accepted the
    /// message).
    pub fn send(&mut self, envelope: &Envelope, eml: &[u8]) -> Result<String, NotSent> {
        let place = self.place();
        let conn = self.connection().map_err(|message| NotSent {
            message,
            refused: true,
        })?;
        match conn.send(envelope, eml) {
            Ok(r) => Ok(r.message().collect::<Vec<_>>().join(" ")),
            Err(e) => {
                if let Some(mut c) = self.conn.take() {
                    c.abort();
                }
                Err(NotSent {
                    message: format!("sending through {place} failed: {e}"),
                    // An answer with an error code: the relay did not take the message. No
                    // answer (a timeout, a dropped connection): it may have.
                    refused: e.is_permanent() || e.is_transient() || e.is_client(),
                })
            }
        }
    }

    /// QUIT, waited for briefly: every message was accepted before it.
    pub fn close(mut self) {
        if let Some(mut c) = self.conn.take() {
            let _ = c.set_timeout(Some(QUIT_TIMEOUT));
            let _ = c.quit();
            // Dropped: the socket closes.
        }
    }
}
