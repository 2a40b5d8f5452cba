//! Each customer's mail has a folder of its own under mail/, named from the customer's name;
//! two names that would share one are found before anything is written or sent.

/// Every customer's folder under mail/ is their own: `ACME/Tokyo` and `ACME-Tokyo` would both
/// write `mail/acme-tokyo/`, one mail overwriting the other. An error naming each pair.
pub fn check(customers: &[String]) -> Result<(), String> {
    let mut seen: std::collections::BTreeMap<String, &String> = Default::default();
    let mut clashes = Vec::new();
    for name in customers {
        let slug = customer_slug(name);
        // Names that differ only in spaces around them clash too: both are one customer's
        // folder and sent log, and one of them would get nothing.
        match seen.get(&slug) {
            Some(first) => clashes.push(format!(
                "customers `{first}` and `{name}` would both write mail/{slug}/"
            )),
            None => {
                seen.insert(slug, name);
            }
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}; rename one of them under email.customers (and in the data) so each has its own folder; nothing written or sent",
        clashes.join("; ")
    ))
}

/// A customer's folder name under mail/: letters and digits kept (Japanese too), the rest `-`.
pub fn customer_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        return "customer".into();
    }
    // A folder name is at most 255 bytes: a long name keeps its first 60 bytes (whole
    // characters) and a digest of the whole, so two long names stay apart.
    if out.len() > 80 {
        let mut cut = 60;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let hex = crate::digest::sha256_hex(&[name.trim().as_bytes()], 4);
        return format!("{}-{hex}", out[..cut].trim_end_matches('-'));
    }
    out
}
