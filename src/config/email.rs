//! `email:` in site.yaml: who the status email is from and to, its subject template, the font
//! its chart images are drawn with, and the SMTP relay that `opsite email --send` uses. The
//! password is never here: `password_env` names the environment variable holding it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct EmailConfig {
    pub from: Option<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<String>,
    /// Receive the site's mail without being named in it.
    #[serde(deserialize_with = "one_or_many")]
    pub bcc: Vec<String>,
    pub reply_to: Option<String>,
    /// A tera template; variables `period`, `start`, `end`, `as_of`, `site`, `kind`, `title`.
    pub subject: Option<String>,
    /// The subject of `opsite email monthly` (default: `subject`).
    pub monthly_subject: Option<String>,
    /// A TTF/OTF/TTC with Japanese glyphs for the chart images (default: found on the system).
    pub font: Option<PathBuf>,
    pub smtp: Option<SmtpConfig>,
    /// Per-customer recipients (`--customer NAME`).
    pub customers: BTreeMap<String, Recipients>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Recipients {
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub bcc: Vec<String>,
    /// The services this customer's mail reports on (all when absent).
    pub services: Option<Vec<String>>,
    /// Markdown files, relative to the site, instead of `templates/email/greeting.md` and
    /// `signature.md`.
    pub greeting: Option<PathBuf>,
    pub signature: Option<PathBuf>,
}

/// `to: a@example.jp` as well as `to: [a@example.jp, b@example.jp]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    /// Upgrade the connection with STARTTLS (default true; false only for a relay on localhost).
    #[serde(default = "yes")]
    pub starttls: bool,
    #[serde(default)]
    pub username: Option<String>,
    /// The environment variable holding the password.
    #[serde(default)]
    pub password_env: Option<String>,
}

fn default_port() -> u16 {
    587
}

fn yes() -> bool {
    true
}

/// The mailbox a recipient names, as a mail system delivers it, for comparing recipients:
/// `名前 <A@Example.JP>`, `"a"@example.jp`, `a@ example.jp` and `a@ｅｘａｍｐｌｅ.jp` are all
/// `a@example.jp` (the angle address taken, white space dropped, a quoted local part unquoted,
/// the domain mapped as IDNA maps it, case folded).
pub fn mailbox_key(recipient: &str) -> String {
    let r = recipient.trim();
    let inner = match (r.rfind('<'), r.rfind('>')) {
        (Some(open), Some(close)) if open < close => &r[open + 1..close],
        _ => r,
    };
    let inner: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((local, domain)) = inner.rsplit_once('@') else {
        return inner.to_lowercase();
    };
    let local = match local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        Some(quoted) => {
            let mut out = String::new();
            let mut chars = quoted.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' {
                    chars.next().unwrap_or(c)
                } else {
                    c
                });
            }
            out
        }
        None => local.to_string(),
    };
    let domain = match url::Host::parse(domain.trim_end_matches('.')) {
        Ok(url::Host::Domain(d)) => d,
        Ok(other) => other.to_string(),
        Err(_) => domain.to_lowercase(),
    };
    format!("{}@{domain}", local.to_lowercase())
}

impl EmailConfig {
    /// Recipients shared by two customers (`email.customers.A.to` holding B's address): each as
    /// (the first customer's key, the address, the other's key). A slip that would send one
    /// customer's report to another.
    pub fn shared_between_customers(&self) -> Vec<(String, String, String)> {
        let mut seen: std::collections::BTreeMap<String, &str> = Default::default();
        let mut out = Vec::new();
        for (name, c) in &self.customers {
            let mut own = std::collections::BTreeSet::new();
            for r in c.to.iter().chain(&c.cc).chain(&c.bcc) {
                let key = mailbox_key(r);
                if !own.insert(key.clone()) {
                    continue;
                }
                match seen.get(&key) {
                    Some(first) => out.push((
                        format!("email.customers.{name}"),
                        r.trim().to_string(),
                        format!("email.customers.{first}"),
                    )),
                    None => {
                        seen.insert(key, name);
                    }
                }
            }
        }
        out
    }

    /// The site's own recipients (`email.to`, `cc`, `bcc`: the internal team, who read every
    /// customer's figures) that are also a customer's (under `email.customers`): each as
    /// (`email.to`, the address, the customer's key). Such a mail would send the internal
    /// report to a customer.
    pub fn internal_also_customer(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        let internal = [("to", &self.to), ("cc", &self.cc), ("bcc", &self.bcc)];
        for (key, list) in internal {
            for r in list.iter() {
                let a = mailbox_key(r);
                let owner = self.customers.iter().find_map(|(name, c)| {
                    (c.to.iter().chain(&c.cc).chain(&c.bcc))
                        .any(|x| mailbox_key(x) == a)
                        .then(|| format!("email.customers.{name}"))
                });
                if let Some(owner) = owner {
                    out.push((format!("email.{key}"), r.trim().to_string(), owner));
                }
            }
        }
        out
    }

    /// The keys a sendable message needs and this configuration lacks.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.from.as_deref().is_none_or(|f| f.trim().is_empty()) {
            out.push("email.from");
        }
        if self.to.is_empty() {
            out.push("email.to");
        }
        if self.subject.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push("email.subject");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mailbox_however_it_is_written() {
        for written in [
            "nankai@nankai.example",
            "NANKAI@Nankai.Example",
            "南海 <nankai@nankai.example>",
            "\"nankai\"@nankai.example",
            "\"nan\\kai\"@nankai.example",
            "nankai@ nankai.example",
            "\"南海\" <\"nankai\"@nankai.example>",
            "nankai@ｎａｎｋａｉ.example",
            "nankai@nankai.example.",
        ] {
            assert_eq!(mailbox_key(written), "nankai@nankai.example", "{written}");
        }
        assert_ne!(
            mailbox_key("hokuto@nankai.example"),
            "nankai@nankai.example"
        );
    }
}
