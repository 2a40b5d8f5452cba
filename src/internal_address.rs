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
    /// The host as URL parsing reads it (`host_key`).
    key: Option<String>,
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
            key: host_key(&host),
            host,
            path,
            own_path_on_same_host,
        })
    }

    /// Whether `text` (HTML, SVG, XML, CSS, JSON or plain text) names the internal site: as a
    /// name in the text, or as the host of an address (`//host`) a browser would parse to it
    /// (`http://0xa.1.2.3/` is `10.1.2.3`). Backslashes are read both ways a browser may: as
    /// slashes in an address, and as CSS escapes (`\6f ps.example.jp` in a stylesheet).
    pub fn found_in(&self, text: &str) -> bool {
        InternalAddress::first_found(std::slice::from_ref(self), text).is_some()
    }

    /// The first of `places` that `text` names, as `found_in` reads it: the text is normalised
    /// and its addresses parsed once for all of them (an edition is searched for the internal
    /// site and every other customer's).
    pub fn first_found(places: &[InternalAddress], text: &str) -> Option<usize> {
        let plain = text.is_ascii() && !text.contains(['&', '%', '\\']);
        let forms: Vec<String> = if plain {
            vec![without_url_whitespace(text.to_ascii_lowercase())]
        } else if text.contains('\\') {
            vec![normalise(text), normalise(&css_unescaped(text))]
        } else {
            vec![normalise(text)]
        };
        for form in &forms {
            // Each address's path is resolved once, whatever the number of places: places on
            // one host (every edition on `reports.example.jp`) share its search too.
            let hosts: Vec<(String, String)> = (address_hosts(form).into_iter())
                .map(|(h, rest)| (h, resolved_path(&form[rest..])))
                .collect();
            let mut named: std::collections::HashMap<&str, Vec<String>> = Default::default();
            for p in places {
                named.entry(p.host.as_str()).or_insert_with(|| {
                    (name_rests(form, &p.host).into_iter())
                        .map(resolved_path)
                        .collect()
                });
            }
            let found = places.iter().position(|p| {
                named[p.host.as_str()]
                    .iter()
                    .any(|path| p.resolved_is_internal(path))
                    || p.key.as_ref().is_some_and(|key| {
                        (hosts.iter()).any(|(h, path)| h == key && p.resolved_is_internal(path))
                    })
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Whether what follows the host leads into the internal site's path, and not into the
    /// customer's own on a shared host.
    /// `path` is what follows the host, as `resolved_path` reads it.
    fn resolved_is_internal(&self, path: &str) -> bool {
        if let Some(own) = &self.own_path_on_same_host {
            if under(path, own) {
                return false;
            }
        }
        self.path.is_empty() || under(path, &self.path)
    }
}

/// What follows each place the host is written as a name in the normalised text, whole (not
/// `devops.example.jp`), past a trailing dot and a port (`ops.example.jp.:8443`).
fn name_rests<'t>(text: &'t str, host: &str) -> Vec<&'t str> {
    let part_of_name = |c: char| c.is_alphanumeric() || c == '-' || c == '.' || c == '_';
    (memchr::memmem::find_iter(text.as_bytes(), host.as_bytes()))
        .filter_map(|at| {
            let before = text[..at].chars().next_back();
            if before.is_some_and(part_of_name) {
                return None;
            }
            let mut rest = text[at + host.len()..].trim_start_matches('.');
            if let Some(port) = rest.strip_prefix(':') {
                rest = port.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            (!rest.chars().next().is_some_and(part_of_name)).then_some(rest)
        })
        .collect()
}

/// The host of each address (`//authority/path`) in the text as URL parsing reads it, in any of
/// the forms it accepts (IPv4 in hex, octal or fewer parts; IDNA), with where its path starts.
fn address_hosts(text: &str) -> Vec<(String, usize)> {
    (memchr::memmem::find_iter(text.as_bytes(), b"//"))
        .filter_map(|at| {
            let rest = &text[at + 2..];
            let end = rest
                .find(|c: char| "/?#\"'<>()`,;".contains(c) || c.is_whitespace())
                .unwrap_or(rest.len());
            let authority = &rest[..end];
            let host = authority.rsplit('@').next().unwrap_or(authority);
            let host = match host.strip_prefix('[') {
                Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or(v6)),
                None => host.split(':').next().unwrap_or(host).to_string(),
            };
            host_key(host.trim_end_matches('.')).map(|h| (h, at + 2 + end))
        })
        .collect()
}

/// A host as URL parsing reads it (`0xa.1.2.3` → `10.1.2.3`, `ｏｐｓ.example.jp` →
/// `ops.example.jp`), or none when it is not one.
fn host_key(host: &str) -> Option<String> {
    if host.is_empty() {
        return None;
    }
    if is_plain_name(host) {
        return Some(host.to_string());
    }
    url::Host::parse(host).ok().map(|h| match h {
        url::Host::Ipv6(a) => match a.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => a.to_string(),
        },
        other => other.to_string(),
    })
}

/// A host URL parsing leaves as it is: lower-case ASCII letters, digits, hyphens and dots, no
/// label in Punycode (`xn--`), and a last label that is not a number (`0xa.1.2.3` is an IPv4
/// address). Most of the addresses of a page; the others go through `url::Host::parse`.
fn is_plain_name(host: &str) -> bool {
    let labels = host.trim_end_matches('.');
    let last = labels.rsplit('.').next().unwrap_or(labels);
    let number = last.bytes().all(|b| b.is_ascii_digit())
        || last.starts_with("0x")
        || last.starts_with("0X");
    (host.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !number
        && !labels
            .split('.')
            .any(|l| l.is_empty() || l.starts_with("xn--"))
}

/// The text without ASCII tab, line feed and carriage return, which URL parsing drops from
/// anywhere in an address (`https://ops.exa<LF>mple.jp/` is the internal site).
fn without_url_whitespace(text: String) -> String {
    if !text.contains(['\t', '\n', '\r']) {
        return text;
    }
    let mut bytes = text.into_bytes();
    bytes.retain(|b| !matches!(b, b'\t' | b'\n' | b'\r'));
    // SAFETY: only ASCII bytes were taken out of valid UTF-8, and an ASCII byte is never part of
    // a longer sequence: what is left is the same characters less those, valid UTF-8.
    unsafe { String::from_utf8_unchecked(bytes) }
}

/// CSS escapes decoded: `\6f ` (one to six hex digits and one optional white space) and `\.`
/// (any other character as itself); a backslash before a line end continues the line.
fn css_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.push(chars.next().expect("peeked"));
        }
        if !hex.is_empty() {
            if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            let value = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
            out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            continue;
        }
        match chars.next() {
            Some('\n') | None => {}
            Some(other) => out.push(other),
        }
    }
    out
}

/// Whether `path` (after the host, without its leading slashes) is `base` or below it.
/// The path that follows a host, as a browser resolves it: `.` and `..` segments applied
/// (`/harbor/../northwind/` is `northwind/`), backslashes read as slashes, up to its query,
/// fragment or the end of the address.
fn resolved_path(after_host: &str) -> String {
    let end = after_host
        .find(|c: char| "?#\"'<>()`,;".contains(c) || c.is_whitespace())
        .unwrap_or(after_host.len());
    let written = &after_host[..end];
    let mut segments: Vec<&str> = Vec::new();
    for segment in written.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut path = segments.join("/");
    if written.ends_with(['/', '\\']) && !path.is_empty() {
        path.push('/');
    }
    path
}

fn under(path: &str, base: &str) -> bool {
    if base.is_empty() {
        return true;
    }
    path.strip_prefix(base).is_some_and(|rest| {
        rest.is_empty() || rest.starts_with(['/', '?', '#', '"', '\'', ' ', '<', ')'])
    })
}

/// `text` as a browser's URL parser would see its hosts and paths: character references
/// decoded, ASCII tab, line feed and carriage return dropped, percent-escapes decoded, NFKC (full-width letters and dots), the characters IDNA
/// ignores removed, ideographic full stops as dots, backslashes as slashes, lower case.
pub fn normalise(text: &str) -> String {
    let plain = text.is_ascii() && !text.contains(['&', '%', '\\']);
    if plain {
        return without_url_whitespace(text.to_ascii_lowercase());
    }
    // Each step copies the text only when it has something to do (a page is megabytes).
    let decoded = percent_decoded(without_url_whitespace(crate::html::decode_references(text)));
    folded(&decoded)
}

/// The last step of `normalise`, character by character: backslashes as slashes, lower case,
/// ideographic full stops as dots, what IDNA ignores removed, compatibility forms through NFKC.
/// Runs of characters that stay as they are (ASCII but capitals and backslashes, kana, kanji
/// and CJK punctuation: most of a Japanese page) are copied whole.
fn folded(decoded: &str) -> String {
    let bytes = decoded.as_bytes();
    let mut out = String::with_capacity(decoded.len());
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_uppercase() || b == b'\\' {
                out.push_str(&decoded[run..i]);
                out.push(if b == b'\\' {
                    '/'
                } else {
                    char::from(b.to_ascii_lowercase())
                });
                run = i + 1;
            }
            i += 1;
            continue;
        }
        let c = decoded[i..]
            .chars()
            .next()
            .expect("a character starts here");
        let len = c.len_utf8();
        if stays(c) {
            i += len;
            continue;
        }
        out.push_str(&decoded[run..i]);
        fold_into(c, &mut out);
        i += len;
        run = i;
    }
    out.push_str(&decoded[run..]);
    out
}

/// Kana, kanji and CJK punctuation but the ideographic full stop: their own, with no case.
fn stays(c: char) -> bool {
    matches!(u32::from(c), 0x3000..=0x3001 | 0x3003..=0x303f | 0x3040..=0x31ff | 0x3400..=0x9fff)
}

/// One character that is not ASCII, as `normalise` reads it.
fn fold_into(c: char, out: &mut String) {
    match c {
        '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => out.push('.'),
        c if ignored_by_idna(c) => {}
        // Only characters that fold to others (full width, math letters, circled letters,
        // super- and subscripts …) go through NFKC.
        c if may_fold(c) => out.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase)),
        c => out.extend(c.to_lowercase()),
    }
}

/// Whether NFKC may map `c` to something else: the Latin supplements and letterlike, number
/// and enclosed forms, compatibility and half- and full-width forms, mathematical letters and
/// the enclosed alphanumeric supplement (not kana, kanji or the common punctuation).
fn may_fold(c: char) -> bool {
    matches!(
        c,
        '\u{a0}'..='\u{2ff}'
            | '\u{1d00}'..='\u{1dbf}'
            | '\u{2000}'..='\u{2bff}'
            | '\u{3200}'..='\u{33ff}'
            | '\u{fb00}'..='\u{fb4f}'
            | '\u{fe30}'..='\u{fe6f}'
            | '\u{ff00}'..='\u{ffef}'
            | '\u{1d400}'..='\u{1d7ff}'
            | '\u{1f100}'..='\u{1f1ff}'
    )
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
fn percent_decoded(text: String) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let escape_at = |i: usize| match (bytes.get(i + 1), bytes.get(i + 2)) {
        (Some(&h), Some(&l)) => Some((hex(h)? * 16 + hex(l)?) as u8),
        _ => None,
    };
    // `50 %` and `width: 50%;` decode nothing: the text is as it was, not copied.
    let mut escapes = memchr::memchr_iter(b'%', bytes).filter(|&i| escape_at(i).is_some());
    let Some(first) = escapes.next() else {
        return text;
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut from = 0;
    let mut at = Some(first);
    while let Some(i) = at {
        // An escape's own two digits are never the start of the next one.
        if i >= from {
            out.extend_from_slice(&bytes[from..i]);
            out.push(escape_at(i).expect("an escape"));
            from = i + 3;
        }
        at = escapes.next();
    }
    out.extend_from_slice(&bytes[from..]);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20,000 texts of `least` to `least + spread - 1` of `pieces` each, drawn from `seed` by a
    /// linear congruential generator: the same texts every run.
    fn generated(mut seed: u64, pieces: &[&str], least: u64, spread: u64) -> Vec<String> {
        let next = |s: u64| s.wrapping_mul(6364136223846793005);
        (0..20_000)
            .map(|_| {
                let mut text = String::new();
                for _ in 0..(least + seed % spread) {
                    seed = next(seed).wrapping_add(1442695040888963407);
                    text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                }
                seed = next(seed).wrapping_add(1);
                text
            })
            .collect()
    }

    fn internal() -> InternalAddress {
        InternalAddress::new(Some("ops.example.jp/"), Some("reports.example.jp/toto/")).unwrap()
    }

    /// Another customer's edition on the edition's own host, reached through dot segments as a
    /// browser resolves them; the edition's own pages are its own.
    #[test]
    fn dot_segments_are_resolved_as_a_browser_does() {
        let other = InternalAddress::new(
            Some("reports.example.com/northwind/"),
            Some("reports.example.com/harbor/"),
        )
        .unwrap();
        for written in [
            r#"<a href="https://reports.example.com/harbor/../northwind/">"#,
            "[b](https://reports.example.com/./northwind/)",
            "[c](https://reports.example.com/%2e/northwind/x.html)",
            r#"<a href="https://reports.example.com/harbor/%2E%2E/northwind">"#,
        ] {
            assert!(other.found_in(written), "{written}");
        }
        for own in [
            "https://reports.example.com/harbor/reports/",
            "https://reports.example.com/northwind-archive/../harbor/",
        ] {
            assert!(!other.found_in(own), "{own}");
        }
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
            "<a href=\"https://ops.exa\nmple.jp/internal/\">",
            "<a href=\"https://ops.exa&#10;mple.jp/\">",
            "<a href=\"https://ops.exa\tmple.jp/\">",
            "body{background:url(https://\\6f ps.example.jp/x.png)}",
            "@import 'https://ops\\2e example.jp/x.css'",
            "url('https://ops\\.example.jp/x.png')",
            "https://user@ops.example.jp/",
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
    fn an_ip_address_is_found_in_every_form_a_browser_parses() {
        let a = InternalAddress::new(Some("10.1.2.3/"), Some("reports.example.jp/")).unwrap();
        for written in [
            "http://10.1.2.3/x",
            "http://167838211/x",
            "http://0x0a010203/x",
            "http://012.1.2.3/x",
            "http://10.1.515/x",
            "http://10.66051/x",
            "http://0xa.1.2.3/x",
            "http://[::ffff:a01:203]/x",
            "http://[::ffff:10.1.2.3]/x",
        ] {
            assert!(a.found_in(written), "{written}");
        }
        assert!(!a.found_in("http://10.1.2.4/x"));
        assert!(!a.found_in("version 10.1.2.30 released"));
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

    /// A host taken as it is (`is_plain_name`) is what URL parsing gives for it: over generated
    /// names of letters, digits, hyphens, dots, numbers and Punycode labels (fixed seed).
    #[test]
    fn a_plain_host_name_is_what_url_parsing_gives() {
        let pieces = [
            "ops",
            "a",
            "0",
            "12",
            "0x1f",
            "-",
            ".",
            "xn--",
            "xn--wgv71a",
            "jp",
            "x-1",
        ];
        let mut plain = 0;
        for host in generated(0x4057_2026, &pieces, 1, 7) {
            if is_plain_name(&host) {
                plain += 1;
                let parsed = url::Host::parse(&host).ok().map(|h| h.to_string());
                assert_eq!(parsed.as_deref(), Some(host.as_str()), "{host:?}");
            }
        }
        assert!(plain > 5_000, "{plain} plain names of 20,000");
    }

    /// Copying runs of unchanged characters whole gives what folding each character gives:
    /// over generated text of ASCII capitals, backslashes, kana, kanji, CJK punctuation,
    /// full-width forms, ignored marks and accented capitals (fixed seed).
    #[test]
    fn folding_runs_whole_gives_what_folding_each_character_gives() {
        let each = |text: &str| -> String {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '\\' => out.push('/'),
                    c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
                    c => fold_into(c, &mut out),
                }
            }
            out
        };
        let pieces = [
            "ops",
            "OPS",
            "\\",
            "運用",
            "かな",
            "カナ",
            "、",
            "。",
            "「",
            "\u{3000}",
            "ｏｐｓ",
            "．",
            "\u{ad}",
            "É",
            "ß",
            "Σ",
            "\u{fe0f}",
            "①",
            "ﬁ",
            "㍿",
            "/",
            " ",
            "😀",
            "\u{3099}",
        ];
        for text in generated(0xf01d_ed_2026, &pieces, 0, 14) {
            assert_eq!(folded(&text), each(&text), "{text:?}");
        }
    }

    /// The steps that copy a page only when they have something to do give what taking out
    /// tab and line ends character by character, then decoding every escape, gives: over
    /// generated text of escapes, line ends, kana, full-width letters and accents (fixed seed).
    #[test]
    fn taking_out_line_ends_and_decoding_escapes_keeps_what_the_plain_steps_give() {
        let pieces = [
            "%",
            "%2",
            "%2E",
            "%e3%81%82",
            "%zz",
            "\n",
            "\t",
            "\r",
            "ops",
            ".",
            "ｏ",
            "é",
            "運用",
            " ",
            "&amp;",
            "%0",
            "A",
            "%c3",
            "%A9",
        ];
        for text in generated(0x5eed_0f_0a11, &pieces, 0, 12) {
            let kept: String = text
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let bytes = kept.as_bytes();
            let mut plain = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                let hex = |b: u8| (b as char).to_digit(16);
                match (
                    bytes[i],
                    bytes.get(i + 1).and_then(|b| hex(*b)),
                    bytes.get(i + 2).and_then(|b| hex(*b)),
                ) {
                    (b'%', Some(h), Some(l)) => {
                        plain.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    (b, _, _) => {
                        plain.push(b);
                        i += 1;
                    }
                }
            }
            let plain = String::from_utf8_lossy(&plain).into_owned();
            assert_eq!(
                percent_decoded(without_url_whitespace(text.clone())),
                plain,
                "{text:?}"
            );
        }
    }
}
