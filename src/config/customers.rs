//! `customers:` in site.yaml: the customers an MSP hands a site of their own (a customer
//! edition). Each entry names a customer of the contracts, the folder name of its edition, the
//! address it is published at and, optionally, the services it may see. Checked when site.yaml is
//! read, so a mistake stops the build at its line before anything is computed.

use serde::Deserialize;

use super::kpi::ContractConfig;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CustomerConfig {
    // Each of the three is required; left out, it is empty here and `checked` says so beside
    // the other entries' mistakes (serde's `missing field` would stop the reading at it).
    /// The customer as the contracts and the tickets' `customer` column name it.
    #[serde(default)]
    pub name: String,
    /// The edition's folder under `editions/` and its name on the command line.
    #[serde(default)]
    pub slug: String,
    /// Where the edition is published (its links, feeds and sitemap use it).
    #[serde(default)]
    pub base_url: String,
    /// The services whose availability and outages the edition shows (all when absent).
    #[serde(default)]
    pub services: Option<Vec<String>>,
    /// The edition's site title (default: the site's title and the customer's name).
    #[serde(default)]
    pub title: Option<String>,
    /// A Markdown file (`content/homes/<slug>.md`) whose text is the edition's home page; it is
    /// no page of the internal site or of another edition.
    #[serde(default)]
    pub home: Option<std::path::PathBuf>,
    /// Success indicators of this customer's reports, beside the site's and its contract's.
    #[serde(default)]
    pub indicators: Vec<super::kpi::IndicatorConfig>,
    /// The person in charge of this customer, named on its reports' covers (担当者).
    #[serde(default)]
    pub contact: Option<String>,
}

impl CustomerConfig {
    /// The edition's title: its own, or 「<site title> — <customer>」.
    pub fn edition_title(&self, site_title: &str) -> String {
        match self
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => t.to_string(),
            None => format!("{site_title} — {}", self.name.trim()),
        }
    }
}

/// A folder name that is the same on every file system and cannot climb out of `editions/`.
fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        return Some("slug is empty; it names the edition's folder (`acme`)".into());
    }
    if slug.len() > 64 {
        return Some(format!("slug `{slug}` is longer than 64 characters"));
    }
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if !slug.chars().all(ok) || slug.starts_with(['-', '_']) {
        return Some(format!(
            "slug `{slug}` is not a safe folder name: use lower-case letters, digits, `-` and `_`, starting with a letter or digit"
        ));
    }
    None
}

/// Every mistake of `customers:` as (entry, key, message), in the order of the entries: each
/// entry's own, one per key, then the first its keys make beside an earlier entry's. `base_url` is the internal site's
/// (already normalised); each entry's own is normalised here.
pub fn checked(
    list: &mut [CustomerConfig],
    base_url: &str,
    contracts: &[ContractConfig],
) -> Vec<(usize, &'static str, String)> {
    let named: Vec<&str> = contracts.iter().flat_map(|c| c.customers.list()).collect();
    // Without contracts, no entry is covered: said once, at the first entry.
    let no_contracts = !list.is_empty() && contracts.is_empty();
    let named = (!no_contracts).then_some(named.as_slice());
    let own: Vec<Vec<(&'static str, String)>> = (list.iter_mut())
        .map(|c| entry_mistakes(c, base_url, named))
        .collect();
    let mut mistakes = Vec::new();
    if no_contracts {
        let message =
            "customers: editions are computed per contract; add `contracts:` naming the customers";
        mistakes.push((0, "name", message.to_string()));
    }
    for i in 0..list.len() {
        mistakes.extend(
            own[i]
                .iter()
                .map(|(key, message)| (i, *key, message.clone())),
        );
        // Beside each earlier entry, by the keys neither has a mistake of its own in (two
        // slugs left out are not one slug used twice); an entry without a name is compared
        // with none (the message could not say which it is).
        let wrong = |j: usize, key: &str| {
            (own[i].iter().chain(&own[j])).any(|(k, _)| *k == key)
                || list[i].name.is_empty()
                || list[j].name.is_empty()
        };
        let beside = (0..i).find_map(|j| {
            (pair_mistakes(&list[j], &list[i]).into_iter()).find(|(key, _)| !wrong(j, key))
        });
        if let Some((key, message)) = beside {
            mistakes.push((i, key, message));
        }
    }
    mistakes
}

/// When some entries of `customers:` in `doc` (site.yaml as a tree) cannot be read as entries
/// (a plain name, a list, a number, a value of the wrong kind), which serde would report alone,
/// stopping at the first: each of those, with the other entries' mistakes when the contracts
/// can be read too. None when every entry reads.
pub fn unreadable_entries(doc: &serde_json::Value) -> Option<Vec<(usize, &'static str, String)>> {
    let entries = doc.get("customers")?.as_array()?;
    let mut unreadable = Vec::new();
    let mut readable = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        // A list would be read as the fields in order (`[東邦物産, toho]`): no entry either.
        if !entry.is_object() {
            let kind = super::foreign::kind_of(entry);
            let message = format!(
                "customers: an entry is {kind}, not a map (`- {{name: …, slug: …, base_url: …}}`)"
            );
            unreadable.push((i, "name", message));
            continue;
        }
        match serde_json::from_value::<CustomerConfig>(entry.clone()) {
            Ok(c) => readable.push((i, c)),
            Err(e) => {
                let who = (entry.get("name").and_then(|n| n.as_str()))
                    .map(|n| format!("{}: ", n.trim()))
                    .unwrap_or_default();
                unreadable.push((i, "name", format!("customers: {who}{e}")));
            }
        }
    }
    if unreadable.is_empty() {
        return None;
    }
    let contracts = doc.get("contracts").cloned().unwrap_or_default();
    if let Ok(contracts) = serde_json::from_value::<Vec<ContractConfig>>(contracts) {
        let base_url = doc.get("base_url").and_then(|b| b.as_str()).unwrap_or("");
        let base_url = super::checks::site_address(base_url);
        let (at, mut list): (Vec<usize>, Vec<CustomerConfig>) = readable.into_iter().unzip();
        let mistakes = checked(&mut list, &base_url, &contracts);
        unreadable.extend(mistakes.into_iter().map(|(i, key, m)| (at[i], key, m)));
    }
    unreadable.sort_by_key(|m| m.0);
    Some(unreadable)
}

/// Every mistake of one entry alone, as (key, message), each key once; its name, slug and
/// base_url are trimmed and its base_url ends in `/` after. `named`: the customers the
/// contracts name (None without contracts, which is said once for every entry).
fn entry_mistakes(
    c: &mut CustomerConfig,
    base_url: &str,
    named: Option<&[&str]>,
) -> Vec<(&'static str, String)> {
    c.name = c.name.trim().to_string();
    c.slug = c.slug.trim().to_string();
    if c.name.is_empty() {
        // Without its name the entry cannot be told apart: what else it lacks is said with it.
        let lacks: Vec<&str> = [
            ("`name`", true),
            ("`slug`", c.slug.is_empty()),
            ("`base_url`", c.base_url.trim().is_empty()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        let lacks = match lacks.as_slice() {
            [one] => one.to_string(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => String::new(),
        };
        return vec![(
            "name",
            format!("customers: an entry needs the customer's {lacks}"),
        )];
    }
    let mut out = Vec::new();
    let who = c.name.clone();
    let hidden = |ch: char| ch.is_control() || crate::display_text::is_hiding(ch);
    let name_shown = !c.name.chars().any(hidden);
    if !name_shown {
        // It is written on lines of its own (the edition folder's mark, mail headers, logs),
        // and the data's cells never hold one (`display_text::cell` makes them U+FFFD), so it
        // would match none of its tickets.
        out.push((
            "name",
            format!(
                "customers: name {:?} holds a line break or another control character, or one that shows as nothing or turns text around (U+202E, U+200B, U+FEFF …): the exports' cells never hold these, so it would match none of its tickets",
                c.name
            ),
        ));
    }
    if c.slug.is_empty() {
        out.push((
            "slug",
            format!("customers: {who}: an entry needs a `slug`: its edition's folder (`acme`)"),
        ));
    } else if let Some(why) = slug_problem(&c.slug) {
        out.push(("slug", format!("customers: {who}: {why}")));
    }
    if c.base_url.trim().is_empty() {
        let slug = match slug_problem(&c.slug) {
            None => c.slug.as_str(),
            Some(_) => "<slug>",
        };
        out.push((
            "base_url",
            format!(
                "customers: {who}: an edition needs the `base_url` it is published at (`https://reports.example.jp/{slug}/`)"
            ),
        ));
    } else if let Err(e) = super::check_base_url(&c.base_url) {
        out.push(("base_url", format!("customers: {who}: base_url: {e}")));
    } else {
        c.base_url = super::checks::site_address(&c.base_url);
        if same_address(&c.base_url, base_url) {
            out.push(("base_url", format!(
                "customers: {who}: base_url {} is the internal site's own; an edition must be published somewhere else",
                c.base_url
            )));
        } else if place(base_url).is_some() && inside_address(&c.base_url, base_url) {
            // A customer could walk up from its edition into the internal site's pages.
            out.push(("base_url", format!(
                "customers: {who}: base_url {} is inside the internal site's address ({base_url}): its readers could walk up into the internal site; publish the edition elsewhere",
                c.base_url
            )));
        }
    }
    let covered = |named: &[&str]| named.contains(&"*") || named.contains(&c.name.as_str());
    if let Some(named) = named.filter(|n| name_shown && !covered(n)) {
        let hint = super::shape::closest(&c.name, named.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        out.push((
            "name",
            format!(
                "customers: no contract covers `{}`{hint}; contracts name: {}",
                c.name,
                named.join(", ")
            ),
        ));
    }
    out
}

/// What entry `b` gets wrong beside an earlier entry `a`, as (key of `b`, message): every
/// key's, in the order they are said.
fn pair_mistakes(a: &CustomerConfig, b: &CustomerConfig) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if a.slug == b.slug {
        out.push((
            "slug",
            format!(
                "customers: slug `{}` is used twice ({} and {})",
                b.slug, a.name, b.name
            ),
        ));
    }
    if a.name == b.name {
        out.push(("name", format!("customers: `{}` has two entries", b.name)));
    }
    // `--customer` takes a slug or a name: one word naming two customers would send one
    // customer's report to the other's folder or mail.
    if a.slug == b.name || a.name == b.slug {
        let word = if a.slug == b.name { &b.name } else { &b.slug };
        out.push((
            if a.slug == b.name { "name" } else { "slug" },
            format!(
                "customers: `{word}` names two customers ({}'s slug or name, and {}'s): --customer {word} could mean either",
                a.name, b.name
            ),
        ));
    }
    if same_address(&a.base_url, &b.base_url) {
        // Written apart (a port, a case, `index.html`), each as written and the place they name.
        let at = match (a.base_url == b.base_url, place(&b.base_url)) {
            (false, Some(place)) => format!("{place} ({} and {})", a.base_url, b.base_url),
            _ => b.base_url.clone(),
        };
        out.push((
            "base_url",
            format!(
                "customers: {} and {} are both published at {at}",
                a.name, b.name
            ),
        ));
    }
    // One customer's readers could walk up (or down) into the other's edition.
    for (inner, outer) in [(b, a), (a, b)] {
        if inside_address(&inner.base_url, &outer.base_url) {
            out.push((
                "base_url",
                format!(
                    "customers: {} is published inside {}'s edition ({} under {}): one customer's readers could walk into the other's",
                    inner.name, outer.name, inner.base_url, outer.base_url
                ),
            ));
        }
    }
    out
}

/// The entry of the customer named `name` (as mails and data name it; spaces around ignored).
pub fn by_name<'a>(customers: &'a [CustomerConfig], name: &str) -> Option<&'a CustomerConfig> {
    customers.iter().find(|c| c.name.trim() == name.trim())
}

/// The `customers:` entry that `wanted` names, by its slug or its customer's name (as
/// `--customer` takes either).
pub fn named<'a>(customers: &'a [CustomerConfig], wanted: &str) -> Option<&'a CustomerConfig> {
    let wanted = wanted.trim();
    customers
        .iter()
        .find(|c| c.slug == wanted || c.name == wanted)
}

/// An address as the place it names: http and https alike, no user part, the host without
/// case or a trailing dot, no default port, the path without `index.html` and with one `/` at
/// the end (`HTTPS://user@Reports.example.jp.:443/a/index.html` → `reports.example.jp/a/`).
/// None for an address without a host (a path on some site).
pub fn place(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .split_once("://")
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
        })
        .map(|(_, rest)| rest)
        .or_else(|| url.strip_prefix("//"))?;
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host
        .strip_suffix(":443")
        .or_else(|| host.strip_suffix(":80"))
        .unwrap_or(host);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    // As a browser reads it: escapes decoded, full-width and other compatibility forms folded
    // (`ｏｐｓ.example.jp` is `ops.example.jp`).
    let host = match url::Host::parse(&host) {
        Ok(parsed) => parsed.to_string().trim_end_matches('.').to_string(),
        Err(_) => host,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    // `…/index.html/` too: an entry's address is given its closing slash before it is compared.
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix("index.html").unwrap_or(path);
    Some(
        format!("{host}/{}", path.trim_matches('/'))
            .trim_end_matches('/')
            .to_string()
            + "/",
    )
}

/// Whether two addresses are one place (`place`); two paths without a host compare as written
/// (`/x` is `/x/`).
pub fn same_address(a: &str, b: &str) -> bool {
    match (place(a), place(b)) {
        (Some(a), Some(b)) => a == b,
        (None, None) => a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/'),
        _ => false,
    }
}

/// Whether `inner` is a place under `outer` (`…/hokuto/sub/` under `…/hokuto/`), not the same
/// one: a reader of one can walk up into the other. Paths without a host are compared as
/// written, each as a folder.
pub fn inside_address(inner: &str, outer: &str) -> bool {
    let folder = |p: &str| format!("{}/", p.trim().trim_end_matches('/'));
    let (inner, outer) = match (place(inner), place(outer)) {
        (Some(i), Some(o)) => (i, o),
        (None, None) => (folder(inner), folder(outer)),
        _ => return false,
    };
    inner != outer && inner.starts_with(&outer)
}

/// The path on the site at `base` that `url` names, when `url` is a full address on it
/// (`https://OPS.example.jp/internal/` on `https://ops.example.jp/` → `/internal/`).
pub fn path_on(url: &str, base: &str) -> Option<String> {
    let (u, b) = (place(url)?, place(base)?);
    let rest = u
        .strip_prefix(b.as_str())
        .or_else(|| (u == b).then_some(""))?;
    Some(format!("/{rest}"))
}

/// Where key `key` of entry `entry` of `customers:` is written in site.yaml (`file`).
pub fn entry_location(
    text: &str,
    file: &std::path::Path,
    entry: usize,
    key: &str,
) -> crate::error::Location {
    use super::key_place::{locate, Step};
    let customers = Step::Key("customers".into());
    let found = locate(
        text,
        &[customers.clone(), Step::Index(entry), Step::Key(key.into())],
    )
    .or_else(|| locate(text, &[customers.clone(), Step::Index(entry)]))
    .or_else(|| locate(text, &[customers]));
    match found {
        Some((line, column)) => crate::error::Location::at(file, line, Some(column)),
        None => crate::error::Location::at(file, 1, None),
    }
}

#[cfg(test)]
mod tests;
