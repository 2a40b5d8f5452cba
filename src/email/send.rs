//! `opsite email … --send`: the written message handed to the SMTP relay of `email.smtp`
//! (lettre's transport; STARTTLS with rustls unless `starttls: false`). The password comes from
//! the environment variable `password_env` names, never from site.yaml.

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, SmtpTransport, Transport};

use crate::config::email::SmtpConfig;

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
        let var = smtp.password_env.as_deref().ok_or(
            "email.smtp: a username needs `password_env:`, the environment variable holding the password",
        )?;
        if std::env::var_os(var).is_none() {
            return Err(format!(
                "email.smtp.password_env: the environment variable {var} is not set"
            ));
        }
    }
    Ok(())
}

/// Send `eml` from `from` to every address of `to`, `cc` and `bcc`. Returns the relay's answer.
pub fn send(
    smtp: &SmtpConfig,
    from: &str,
    to: &[String],
    cc: &[String],
    bcc: &[String],
    eml: &[u8],
) -> Result<String, String> {
    let sender = address("email.from", from)?;
    let mut rcpt = Vec::new();
    for (key, list) in [("email.to", to), ("email.cc", cc), ("email.bcc", bcc)] {
        for r in list {
            rcpt.push(address(key, r)?);
        }
    }
    let envelope = Envelope::new(Some(sender), rcpt).map_err(|e| e.to_string())?;
    let mut builder = if smtp.starttls {
        SmtpTransport::starttls_relay(&smtp.host)
            .map_err(|e| format!("email.smtp.host `{}`: {e}", smtp.host))?
    } else {
        SmtpTransport::builder_dangerous(smtp.host.as_str())
    }
    .port(smtp.port);
    if let Some(user) = &smtp.username {
        let var = smtp.password_env.as_deref().ok_or(
            "email.smtp: a username needs `password_env:`, the environment variable holding the password",
        )?;
        let password = std::env::var(var).map_err(|_| {
            format!("email.smtp.password_env: the environment variable {var} is not set")
        })?;
        builder = builder.credentials(Credentials::new(user.clone(), password));
    }
    let transport = builder.build();
    transport
        .send_raw(&envelope, eml)
        .map(|r| r.message().collect::<Vec<_>>().join(" "))
        .map_err(|e| format!("sending through {}:{} failed: {e}", smtp.host, smtp.port))
}
