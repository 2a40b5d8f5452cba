//! Which page each linked element of a printed document landed on, read back from the PDF: a
//! report's contents link to its sections (`#sla`), Chromium writes each link's target as a
//! named destination (`/Dests << /sla [12 0 R /XYZ …] >>`), and the page object it names is
//! found in the page tree. Chromium writes object dictionaries uncompressed (see `page_count`);
//! a PDF read otherwise gives no pages, and the contents then show none.

use std::collections::HashMap;

/// Each named destination's page (1 for the first sheet).
pub fn pages(pdf: &[u8]) -> HashMap<String, usize> {
    let text = String::from_utf8_lossy(pdf);
    let Some(catalog) = text
        .find("/Type /Catalog")
        .and_then(|at| dictionary_around(&text, at))
    else {
        return HashMap::new();
    };
    let (Some(root), Some(dests)) = (reference(catalog, "/Pages"), reference(catalog, "/Dests"))
    else {
        return HashMap::new();
    };
    let mut order = Vec::new();
    collect_pages(&text, root, &mut order, 0);
    let number: HashMap<u64, usize> = order.iter().enumerate().map(|(i, o)| (*o, i + 1)).collect();
    let Some(body) = object(&text, dests) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    // `/name [12 0 R /XYZ 0 829 0]` per destination.
    for entry in body.split('/').skip(1) {
        let Some((name, rest)) = entry.split_once('[') else {
            continue;
        };
        let page = rest
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u64>().ok());
        if let Some(p) = page.and_then(|p| number.get(&p)) {
            out.insert(decoded_name(name.trim()), *p);
        }
    }
    out
}

/// The `<< … >>` holding byte `at` (no nested dictionary in between is assumed: `at` is a key of
/// the dictionary itself).
fn dictionary_around(text: &str, at: usize) -> Option<&str> {
    let start = text[..at].rfind("obj")?;
    let end = at + text[at..].find("endobj")?;
    Some(&text[start..end])
}

/// The object number `key` refers to in `dict` (`/Pages 18 0 R` → 18).
fn reference(dict: &str, key: &str) -> Option<u64> {
    let after = dict.split(key).nth(1)?;
    let mut words = after.split_whitespace();
    let n = words.next()?.parse().ok()?;
    (words.next() == Some("0") && words.next().is_some_and(|r| r.starts_with('R'))).then_some(n)
}

/// Object `n`'s text, from `n 0 obj` to its `endobj`.
fn object(text: &str, n: u64) -> Option<&str> {
    let head = format!("\n{n} 0 obj");
    let start = text.find(&head)? + head.len();
    let end = start + text[start..].find("endobj")?;
    Some(&text[start..end])
}

/// The leaves of the page tree under object `node`, in order (a tree deeper than 32 levels or
/// with a loop stops there).
fn collect_pages(text: &str, node: u64, out: &mut Vec<u64>, depth: usize) {
    let Some(body) = object(text, node) else {
        return;
    };
    let is_tree = body.contains("/Type /Pages");
    if !is_tree {
        out.push(node);
        return;
    }
    if depth > 32 {
        return;
    }
    let Some(kids) = body.split("/Kids").nth(1).and_then(|k| {
        let open = k.find('[')?;
        let close = k.find(']')?;
        Some(&k[open + 1..close])
    }) else {
        return;
    };
    let words: Vec<&str> = kids.split_whitespace().collect();
    for triple in words.chunks(3) {
        if let [n, "0", "R"] = triple {
            if let Ok(n) = n.parse() {
                collect_pages(text, n, out, depth + 1);
            }
        }
    }
}

/// A PDF name as written (`c2-#25E7`) read back: each `#xx` is the byte `xx`.
fn decoded_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'#', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_numbered_by_their_pages_place_in_a_nested_tree() {
        let pdf = b"%PDF-1.4\n1 0 obj\n<</Type /Pages\n/Count 3\n/Kids [2 0 R 5 0 R]>>\nendobj\n\
2 0 obj\n<</Type /Page\n/Parent 1 0 R>>\nendobj\n\
5 0 obj\n<</Type /Pages\n/Count 2\n/Kids [3 0 R 4 0 R]>>\nendobj\n\
3 0 obj\n<</Type /Page>>\nendobj\n4 0 obj\n<</Type /Page>>\nendobj\n\
9 0 obj\n<</overview [2 0 R /XYZ 0 800 0]\n/sla [4 0 R /XYZ 0 300 0]\n/c2-#E7#97 [3 0 R /XYZ 0 1 0]>>\nendobj\n\
10 0 obj\n<</Type /Catalog\n/Pages 1 0 R\n/Dests 9 0 R>>\nendobj\n";
        let pages = pages(pdf);
        assert_eq!(pages.get("overview"), Some(&1));
        assert_eq!(pages.get("sla"), Some(&3));
        assert_eq!(pages.len(), 3, "{pages:?}");
    }

    #[test]
    fn a_pdf_without_destinations_gives_none() {
        assert!(pages(b"%PDF-1.4\n1 0 obj\n<</Type /Catalog\n/Pages 2 0 R>>\nendobj\n").is_empty());
        assert!(pages(b"").is_empty());
    }
}
