//! Text from exports and files as it may be shown anywhere (pages, SVG, CSV, Atom, JSON, mail,
//! PDF): control characters and the marks that change how the text around them reads
//! (bidirectional overrides and isolates, zero-width and direction marks, the Unicode line
//! separators) become U+FFFD, so `U+202E gpj.exe 請求書` cannot display reversed. One set, used by
//! every reader of data cells and of the escalation routes.

/// Characters that would change how text around them reads: bidirectional overrides and
/// isolates (a name shown backwards), zero-width and direction marks, and the Unicode line
/// separators.
pub fn is_hiding(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
            | '\u{feff}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A cell's text as shown: tabs and line ends kept (a ticket's description may hold them),
/// other control characters and hiding marks U+FFFD. Borrowed when nothing changes (the usual
/// case: one pass over the bytes).
pub fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_hiding(c);
    // Every hiding mark starts with byte 0xD8 (U+061C), 0xE2 (U+2xxx) or 0xEF (U+FEFF).
    let suspect = s.bytes().any(|b| {
        (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || b == 0xc2
            || b == 0xd8
            || b == 0xe2
            || b == 0xef
    });
    if !suspect || !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| if bad(c) { '\u{fffd}' } else { c })
        .collect::<String>()
        .into()
}

/// A name, label or note on one line: line breaks and tabs are spaces, other control
/// characters and hiding marks U+FFFD.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() || is_hiding(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversing_marks_and_controls_become_replacement_characters() {
        assert_eq!(cell("\u{202e}gpj.exe 請求書"), "\u{fffd}gpj.exe 請求書");
        assert_eq!(
            cell("a\u{2066}b\u{2069}c\u{200b}d"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d"
        );
        assert_eq!(cell("a\u{1b}[31m\u{85}"), "a\u{fffd}[31m\u{fffd}");
        assert_eq!(cell("行1\n行2\t—"), "行1\n行2\t—");
        assert!(matches!(
            cell("障害 – 復旧 “済”"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(one_line("a\nb\u{202e}"), "a b\u{fffd}");
    }
}
