//! Finding the internal site's address in what a customer receives (an edition's pages, a
//! customer's PDF or mail), read as a browser reads it: HTML character references decoded,
//! percent-escapes decoded, full-width and other compatibility forms folded (the IDNA mapping a
//! browser applies to a host), case ignored, a trailing dot, a port and backslashes for slashes
//! allowed. `https://ops%2Eexample.jp/`, `https://ops&#46;example.jp/` and `ｏｐｓ.example.jp`
//! all open the internal site, so all count as naming it.

use unicode_normalization::UnicodeNormalization;

/// The internal site's place (host and path), and the customer's own place when it lies on the
/// same host (`https://example.jp/` and `https://example.jp/acme/`): links there are the
/// customer's own pages.
#[derive(Debug, Clone)]
pub struct InternalAddress {
    host: String,
    path: String,
    own_path_on_same_host: Option<String>,
}

/// `host` and `path` (no slashes at either end) of a place as `config::customers::place`
/// gives it (`reports.example.jp/a/`).
fn split_place(place: &str) -> (String, String) {
    let place = place.trim_end_matches('/');
    match place.split_once('/') {
        Some((host, path)) => (host.to_string(), path.trim_matches('/').to_string()),
        None => (place.to_string(), String::new()),
    }
}

impl InternalAddress {
    /// From the places of the internal site and of the customer's own site; none when the
    /// internal site has no host (`base_url: /`) or both are the same place.
    pub fn new(internal_place: Option<&str>, own_place: Option<&str>) -> Option<InternalAddress> {
        let internal = internal_place?;
        let (host, path) = split_place(&normalise(internal));
        if host.is_empty() {
            return None;
        }
        let own = own_place.map(|o| split_place(&normalise(o)));
        if own.as_ref() == Some(&(host.clone(), path.clone())) {
            return None;
        }
        let own_path_on_same_host = own.filter(|(h, _)| *h == host).map(|(_, p)| p);
        Some(InternalAddress {
            host,
            path,
            own_path_on_same_host,
        })
    }

    /// Whether `text` (HTML, SVG, XML, CSS, JSON or plain text) names the internal site.
    pub fn found_in(&self, text: &str) -> bool {
        let text = normalise(text);
        let part_of_name = |c: char| c.is_alphanumeric() || c == '-' || c == '.' || c == '_';
        text.match_indices(self.host.as_str()).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            if before.is_some_and(part_of_name) {
                return false;
            }
            // A host may be written with its trailing dot (`ops.example.jp.`) and a port.
            let mut rest = text[at + self.host.len()..].trim_start_matches('.');
            if let Some(port) = rest.strip_prefix(':') {
                rest = port.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            if rest.chars().next().is_some_and(part_of_name) {
                return false;
            }
            let path = rest.trim_start_matches('/');
            if let Some(own) = &self.own_path_on_same_host {
                if under(path, own) {
                    return false;
                }
            }
            self.path.is_empty() || under(path, &self.path)
        })
    }
}

/// Whether `path` (after the host, without its leading slashes) is `base` or below it.
fn under(path: &str, base: &str) -> bool {
    if base.is_empty() {
        return true;
    }
    path.strip_prefix(base).is_some_and(|rest| {
        rest.is_empty() || rest.starts_with(['/', '?', '#', '"', '\'', ' ', '<', ')'])
    })
}

/// `text` as a browser's URL parser would see its hosts and paths: character references
/// decoded, percent-escapes decoded, NFKC (full-width letters and dots), the characters IDNA
/// ignores removed, ideographic full stops as dots, backslashes as slashes, lower case.
pub fn normalise(text: &str) -> String {
    let plain = text.is_ascii() && !text.contains(['&', '%', '\\']);
    if plain {
        return text.to_ascii_lowercase();
    }
    let decoded = percent_decoded(&references_decoded(text));
    decoded
        .nfkc()
        .filter(|c| !ignored_by_idna(*c))
        .map(|c| match c {
            '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => '.',
            '\\' => '/',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters UTS 46 maps to nothing in a host name (soft hyphen, zero-width and joining
/// marks, variation selectors, the byte-order mark).
fn ignored_by_idna(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'
            | '\u{2060}'
            | '\u{2064}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// `%2E` → `.`: every escape of an ASCII byte, and of UTF-8 sequences, decoded once (as a URL
/// parser decodes a host).
fn percent_decoded(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// HTML character references decoded: numeric ones (`&#46;`, `&#x2E;`, with or without the
/// semicolon), the named ones for ASCII punctuation, and the named mathematical letters
/// (`&oopf;`, `&Ofr;`, `&oscr;`), which IDNA folds to plain letters.
fn references_decoded(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference starting after `&` stands for, and the bytes it used.
fn reference(after: &str) -> Option<(char, usize)> {
    if let Some(num) = after.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .char_indices()
            .find(|(_, c)| !c.is_digit(radix))
            .map_or(digits.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len.min(8)], radix).ok()?;
        let c = char::from_u32(value).unwrap_or('\u{fffd}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, skip + len + semi));
    }
    let len = after
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(after.len(), |(i, _)| i);
    let name = &after[..len];
    let semi = usize::from(after[len..].starts_with(';'));
    let c = named(name)?;
    Some((c, len + semi))
}

/// Named references that stand for ASCII characters a host or path can hold, and the
/// mathematical letters (`&Aopf;`, `&afr;`, `&bscr;`).
fn named(name: &str) -> Option<char> {
    let ascii = match name {
        "period" => '.',
        "sol" => '/',
        "bsol" => '\\',
        "colon" => ':',
        "commat" => '@',
        "num" => '#',
        "quest" => '?',
        "lowbar" | "UnderBar" => '_',
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "percnt" => '%',
        "equals" => '=',
        "plus" => '+',
        "semi" => ';',
        "comma" => ',',
        "excl" => '!',
        "Tab" => '\t',
        "NewLine" => '\n',
        "nbsp" => ' ',
        _ => {
            for suffix in ["opf", "fr", "scr"] {
                if let Some(letter) = name.strip_suffix(suffix) {
                    let mut chars = letter.chars();
                    if let (Some(c), None) = (chars.next(), chars.next()) {
                        if c.is_ascii_alphabetic() {
                            return Some(c);
                        }
                    }
                }
            }
            return None;
        }
    };
    Some(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal() -> InternalAddress {
        InternalAddress::new(Some("ops.example.jp/"), Some("reports.example.jp/toto/")).unwrap()
    }

    #[test]
    fn the_address_is_found_however_it_is_written() {
        let a = internal();
        for written in [
            r#"<a href="https://ops.example.jp/internal/">x</a>"#,
            r#"<a href="https://ops%2Eexample.jp/internal/">x</a>"#,
            r#"<a href="https://ops&#46;example.jp/internal/">x</a>"#,
            r#"<a href="https://ops&#x2e;example.jp/internal/">x</a>"#,
            r#"<a href="https://ops&period;example.jp/">x</a>"#,
            r#"<a href="https://&oopf;ps.example.jp/">x</a>"#,
            "https://ｏｐｓ.example.jp/",
            "https://ops．example。jp/",
            "HTTPS://OPS.EXAMPLE.JP./",
            "https://ops.example.jp:443/",
            "https:\\\\ops.example.jp\\x",
            "https://ops\u{ad}.example.jp/",
            "//ops.example.jp/",
        ] {
            assert!(a.found_in(written), "{written}");
        }
    }

    #[test]
    fn other_hosts_and_the_customers_own_address_are_not_it() {
        let a = internal();
        for written in [
            "https://reports.example.jp/toto/",
            "https://devops.example.jp/",
            "https://ops.example.jp.evil.example/",
            "https://ops-example.jp/",
            "ops.example.japan",
            "100% done & dusted",
        ] {
            assert!(!a.found_in(written), "{written}");
        }
    }

    #[test]
    fn on_a_shared_host_only_the_internal_path_counts() {
        let a = InternalAddress::new(Some("example.jp/"), Some("example.jp/acme/")).unwrap();
        assert!(!a.found_in("https://example.jp/acme/reports/"));
        assert!(a.found_in("https://example.jp/portal/"));
        assert!(a.found_in("https://example.jp/%61cme-other/"));
        let b =
            InternalAddress::new(Some("example.jp/portal/"), Some("reports.example.jp/")).unwrap();
        assert!(b.found_in("https://example.jp/portal/x"));
        assert!(b.found_in("https://example.jp/%70ortal/x"));
        assert!(!b.found_in("https://example.jp/other/"));
        assert!(InternalAddress::new(Some("a.jp/"), Some("a.jp/")).is_none());
    }
}
