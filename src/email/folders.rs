//! Each customer's mail has a folder of its own under mail/, named from the customer's name;
//! two names that would share one are found before anything is written or sent.

/// Every customer's folder under mail/ is their own: `ACME/Tokyo` and `ACME-Tokyo` would both
/// write `mail/acme-tokyo/`, one mail overwriting the other. An error naming each pair.
pub fn check(customers: &[String]) -> Result<(), String> {
    let mut seen: std::collections::BTreeMap<String, &str> = Default::default();
    let mut clashes = Vec::new();
    for name in customers {
        let slug = customer_slug(name);
        match seen.get(&slug) {
            Some(first) if first.trim() != name.trim() => clashes.push(format!(
                "customers `{first}` and `{}` would both write mail/{slug}/",
                name.trim()
            )),
            Some(_) => {}
            None => {
                seen.insert(slug, name.trim());
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
        "customer".into()
    } else {
        out
    }
}
