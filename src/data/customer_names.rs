//! Customer names as exports write them. A ticket whose customer no contract names falls to
//! the `*` contract, or is refused: silently, when the export only spelled the name another way
//! (`㈱東邦精機`, `東邦精機`). Such near misses are warned about with the closest name and the
//! `customer_names` entry that maps them.

use std::collections::BTreeMap;

use super::ticket_rows::{name_key, Chunk, RowPlaces};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::contracts::ContractMatcher;

/// Company forms a spelling may add, drop or abbreviate (after NFKC: `㈱` is `(株)`).
const COMPANY_FORMS: [&str; 9] = [
    "株式会社",
    "(株)",
    "有限会社",
    "(有)",
    "合同会社",
    "(同)",
    "co., ltd.",
    "inc.",
    "ltd.",
];

/// A name with its company form and spaces taken out, lower case: what two spellings of one
/// customer still share.
fn core(name: &str) -> String {
    let mut s = name_key(name).to_lowercase();
    for form in COMPANY_FORMS {
        s = s.replace(form, "");
    }
    s.split_whitespace().collect()
}

/// The known customer `spelling` looks like, if any: the same core name, one core inside the
/// other, or at most two edits apart.
fn looks_like<'a>(spelling: &str, known: &[(&'a str, String)]) -> Option<&'a str> {
    let c = core(spelling);
    if c.chars().count() < 2 {
        return None;
    }
    let close = |k: &String| {
        *k == c
            || (k.chars().count() >= 2 && (c.contains(k.as_str()) || k.contains(c.as_str())))
            || crate::config::keys::edit_distance(k, &c) <= 2
    };
    (known.iter())
        .filter(|(_, k)| close(k))
        .min_by_key(|(_, k)| crate::config::keys::edit_distance(k, &c))
        .map(|(name, _)| *name)
}

/// One warning per customer spelling that no contract names but that looks like a customer a
/// contract does, with its count, at the first row naming it. A spelling that is a customer
/// edition's name but for the width of its characters (`東都ﾒﾃﾞｨｶﾙ` in site.yaml, `東都メディカル`
/// in the export) is an error: that edition would be published without its tickets.
pub(super) fn near_misses(
    all: &Chunk,
    places: &[RowPlaces],
    contracts: &ContractMatcher,
    editions: &[String],
) -> Vec<Diagnostic> {
    let mut names: Vec<&str> = contracts.customers().collect();
    names.extend(editions.iter().map(String::as_str));
    names.sort_unstable();
    names.dedup();
    let known: Vec<(&str, String)> = names.into_iter().map(|n| (n, core(n))).collect();
    // Per customer code: how many rows, and the first.
    let mut seen: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (i, code) in all.t.customer.iter().enumerate() {
        if let Some(code) = code {
            seen.entry(code).or_insert((0, i)).0 += 1;
        }
    }
    let mut out = Vec::new();
    for (code, (count, first)) in seen {
        let spelling = &all.labels[code as usize];
        if known.iter().any(|(n, _)| n == spelling) {
            continue;
        }
        let Some(name) = looks_like(spelling, &known) else {
            continue;
        };
        let (f, r) = all.origin[first];
        let (file, lines) = &places[f as usize];
        let at = Location::at(file, lines.at(r as usize), None);
        if editions.iter().any(|e| e == name) && name_key(spelling) == name_key(name) {
            out.push(Diagnostic::error(Code::Data, at, format!(
                "data.tickets: {count} ticket(s) name the customer `{spelling}`, which is the edition `{name}` of customers: written with other character widths: its edition would be published without them. Write the name in site.yaml as the export does, or add under data.tickets: customer_names: {{\"{spelling}\": {name}}}"
            )));
            continue;
        }
        out.push(Diagnostic::warning(
            Code::Data,
            at,
            format!(
                "data.tickets: {count} ticket(s) name the customer `{spelling}`, which is no customer of contracts: or customers:, though it looks like `{name}`; they are not counted as {name}'s. If they are, add under data.tickets: customer_names: {{\"{spelling}\": {name}}}"
            ),
        ));
    }
    out
}

/// Mistakes in `data.tickets.customer_names` that would hand one customer's tickets to another:
/// a name no contract or `customers:` entry has, a spelling that is itself another customer's
/// name, and two spellings that are one after NFKC but name different customers.
pub(super) fn mapping_mistakes(
    map: &BTreeMap<String, String>,
    contracts: Option<&ContractMatcher>,
    editions: &[String],
) -> Vec<String> {
    let mut known: Vec<&str> = contracts
        .map(|c| c.customers().collect())
        .unwrap_or_default();
    known.extend(editions.iter().map(String::as_str));
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    for (spelling, name) in map {
        if !known.iter().any(|k| k.trim() == name.trim()) {
            out.push(format!("`{spelling}` maps to `{name}`, which is no customer of contracts: or customers: (a misspelt name would count these tickets for nobody)"));
        }
        let key = name_key(spelling);
        if let Some(other) = known
            .iter()
            .find(|k| name_key(k) == key && k.trim() != name.trim())
        {
            out.push(format!("`{spelling}` is {other}'s own name and maps to `{name}`: every ticket of {other} would count as {name}'s"));
        }
        match seen.get(&key) {
            Some((first, target)) if target.trim() != name.trim() => out.push(format!(
                "`{first}` and `{spelling}` are one spelling (after width and form are folded) but map to `{target}` and `{name}`"
            )),
            _ => {
                seen.insert(key, (spelling, name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_company_look_alike_and_others_do_not() {
        let known: Vec<(&str, String)> = ["東邦精機株式会社", "Acme Co., Ltd."]
            .iter()
            .map(|n| (*n, core(n)))
            .collect();
        for spelling in [
            "㈱東邦精機",
            "東邦精機",
            "東邦精機 株式会社",
            "東邦精機株式会社 本社",
            "東方精機株式会社",
            "ACME",
        ] {
            assert!(looks_like(spelling, &known).is_some(), "{spelling}");
        }
        for other in ["南海ロジスティクス株式会社", "北陸フーズ", "株式会社", "精"]
        {
            assert_eq!(looks_like(other, &known), None, "{other}");
        }
    }
}
