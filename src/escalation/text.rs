//! The small texts of the routes: times as written (site time), and contacts checked and turned
//! into the address a link opens (`tel:`, `mailto:`, `https:`), so nothing written in the file
//! becomes a link that runs script or leaves the site with something else.

use chrono::NaiveDateTime;

use super::ContactKind;

use crate::display_text::is_hiding;

/// A name, label or note as shown: line breaks and tabs are spaces, other control characters
/// and text-reversing marks U+FFFD (as front matter and export cells are treated).
pub fn clean(s: &str) -> String {
    crate::display_text::one_line(s)
}

/// `2026-11-02 09:00` (also with `T` or slashes; a date alone is its midnight).
pub fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().replace('/', "-").replace('T', " ");
    ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// What a contact written without its kind is: an address, a web page, a number, else a
/// chat channel.
pub fn kind_of_contact(s: &str) -> ContactKind {
    let s = s.trim();
    if s.contains('@') && !s.starts_with('@') && !s.contains(char::is_whitespace) {
        ContactKind::Email
    } else if s.starts_with("https://") || s.starts_with("http://") {
        ContactKind::Url
    } else if is_number(s) {
        ContactKind::Phone
    } else {
        ContactKind::Chat
    }
}

/// A number to dial: an optional `+`, then a digit or a bracket, 3 to 20 digits in all.
fn is_number(s: &str) -> bool {
    let rest = s.strip_prefix('+').unwrap_or(s);
    let digits = s.chars().filter(char::is_ascii_digit).count();
    rest.starts_with(|c: char| c.is_ascii_digit() || c == '(' || c == '（')
        && (3..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()ー－（）".contains(c))
}

/// Why a contact cannot be used as written, if it cannot.
pub fn contact_problem(kind: ContactKind, value: &str) -> Option<String> {
    let v = value.trim();
    if v.chars().any(|c| c.is_control() || is_hiding(c)) {
        return Some("a contact holds a line break, a tab or a control character: write it on one line as it is dialled or typed".into());
    }
    if v.chars().count() > 200 {
        return Some("a contact is at most 200 characters".into());
    }
    match kind {
        ContactKind::Phone | ContactKind::Pager if !is_number(v) => Some(format!(
            "`{v}` is not a number to dial (digits, spaces, + - and brackets); write a chat channel as {{chat: …}}"
        )),
        ContactKind::Email => {
            let ok = v.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
                    && !v.contains(|c: char| c.is_whitespace() || "<>\"'(),;:\\[]?&=%`".contains(c))
                    && v.matches('@').count() == 1
            });
            (!ok).then(|| format!("`{v}` is not a mail address like desk@example.jp"))
        }
        ContactKind::Url => {
            let lower = v.to_ascii_lowercase();
            let scheme = ["https://", "http://"].into_iter().find(|p| lower.starts_with(p));
            let host = scheme.map(|p| v[p.len()..].split(['/', '?', '#']).next().unwrap_or(""));
            if host.is_some_and(|h| h.contains('@')) {
                // `https://ops.example.jp@evil.example/` goes to evil.example.
                return Some(format!("`{v}` has a login part before `@`, so a browser would open the host after it; write the address without it"));
            }
            let ok = host.is_some_and(|h| !h.is_empty())
                && !v.contains(|c: char| c.is_whitespace() || "<>\"'`\\".contains(c));
            (!ok).then(|| format!("`{v}` is not a web address starting with https://"))
        }
        _ => None,
    }
}

/// The address a contact's link opens, if it is one to follow.
pub fn href(kind: ContactKind, value: &str) -> Option<String> {
    match kind {
        ContactKind::Phone | ContactKind::Pager => {
            let v = value.trim();
            let mut out = String::from("tel:");
            if v.starts_with('+') {
                out.push('+');
            }
            out.extend(v.chars().filter(char::is_ascii_digit));
            Some(out)
        }
        ContactKind::Email => Some(format!("mailto:{}", value.trim())),
        ContactKind::Url => Some(value.trim().to_string()),
        ContactKind::Chat => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_written_without_their_kind_are_recognised() {
        assert_eq!(kind_of_contact("desk@example.jp"), ContactKind::Email);
        assert_eq!(kind_of_contact("03-1234-5678"), ContactKind::Phone);
        assert_eq!(kind_of_contact("+81 3 1234 5678"), ContactKind::Phone);
        assert_eq!(
            kind_of_contact("https://chat.example.jp/ops"),
            ContactKind::Url
        );
        assert_eq!(kind_of_contact("#ops-oncall"), ContactKind::Chat);
        assert_eq!(kind_of_contact("@ops-oncall"), ContactKind::Chat);
    }

    #[test]
    fn links_open_only_what_they_say() {
        assert_eq!(
            href(ContactKind::Phone, "+81 (3) 1234-5678").unwrap(),
            "tel:+81312345678"
        );
        assert!(contact_problem(ContactKind::Url, "javascript:alert(1)").is_some());
        assert!(contact_problem(ContactKind::Url, "https://x.jp/\"onmouseover=").is_some());
        assert!(contact_problem(ContactKind::Email, "a@b.jp?subject=x\"").is_some());
        assert!(contact_problem(ContactKind::Email, "desk@example.jp").is_none());
        assert!(contact_problem(ContactKind::Phone, "call me").is_some());
        assert!(contact_problem(ContactKind::Chat, "#ops\nline").is_some());
        assert!(
            contact_problem(ContactKind::Url, "https://ops.example.jp@evil.example/").is_some()
        );
        assert!(contact_problem(ContactKind::Url, "https://a.jp/\u{202e}gpj").is_some());
        assert!(contact_problem(ContactKind::Phone, "-0312").is_some());
        assert!(contact_problem(ContactKind::Phone, "+-0312").is_some());
        assert!(contact_problem(ContactKind::Phone, "++81312345678").is_some());
        assert!(contact_problem(ContactKind::Phone, "+81 3-1234-5678").is_none());
        assert!(contact_problem(ContactKind::Url, "HTTPS://tickets.example.jp/").is_none());
        assert!(clean("佐\u{200f}藤").contains('\u{fffd}'));
        assert_eq!(clean("佐\u{7}藤\nA\u{202e}B"), "佐\u{fffd}藤 A\u{fffd}B");
    }

    #[test]
    fn times_are_read_as_written_in_several_forms() {
        let t = parse_local("2026/11/02 09:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-02 09:00:00");
        assert_eq!(parse_local("2026-11-02T09:00").unwrap(), t);
        assert_eq!(
            parse_local("2026-11-02").unwrap().to_string(),
            "2026-11-02 00:00:00"
        );
        assert!(parse_local("next monday").is_none());
    }
}
