//! Text from exports and files as it may be shown anywhere (pages, SVG, CSV, Atom, JSON, mail,
//! PDF): control characters and the characters that change how the text around them reads or
//! hide in it (every Unicode format character, the line separators, the Hangul fillers) become
//! U+FFFD, so `U+202E gpj.exe 請求書` cannot display reversed. One set, used by every reader of
//! data cells, snapshots and the escalation routes.

/// Characters that would change how text around them reads, or hide in it: every format
/// character of Unicode (general category Cf: bidirectional overrides and isolates, zero-width
/// spaces and joiners, the word joiner, invisible operators, the deprecated format controls,
/// tag characters, interlinear annotation, the byte-order mark), the Unicode line and paragraph
/// separators, the combining grapheme joiner and the Hangul fillers, which show as nothing.
/// (A zero-width joiner inside an emoji sequence is replaced too: a ticket title is text.)
pub fn is_hiding(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{115f}'..='\u{1160}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// The explicit bidirectional controls (embeddings, overrides, isolates: U+202A–U+202E,
/// U+2066–U+2069), which turn the text after them around: `U+202E gpj.exe` reads `exe.jpg`. A
/// subset of `is_hiding` for text an author writes (pages), where the other format characters
/// may be meant (a zero-width joiner in an emoji, a soft hyphen).
pub fn turns_text_around(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A cell's text as shown: tabs and line ends kept (a ticket's description may hold them),
/// other control characters and hiding characters U+FFFD. Borrowed when nothing changes (the
/// usual case: one pass over the bytes of plain ASCII).
pub fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_hiding(c) || is_nonchar(c)
    };
    let suspect = s
        .bytes()
        .any(|b| (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r')) || b >= 0x7f);
    if !suspect || !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| if bad(c) { '\u{fffd}' } else { c })
        .collect::<String>()
        .into()
}

/// A name, label or note on one line: line breaks and tabs are spaces, other control
/// characters and hiding characters U+FFFD.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() || is_hiding(c) || is_nonchar(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// U+FFFE and U+FFFF, which no XML (an SVG chart, a workbook) may hold.
fn is_nonchar(c: char) -> bool {
    matches!(c, '\u{fffe}' | '\u{ffff}')
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

    #[test]
    fn every_invisible_format_character_is_replaced() {
        for c in [
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{2063}',
            '\u{206a}',
            '\u{206f}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{fffa}',
            '\u{3164}',
            '\u{115f}',
            '\u{ffa0}',
            '\u{ad}',
            '\u{34f}',
            '\u{180e}',
            '\u{1d173}',
            '\u{13430}',
        ] {
            assert_eq!(cell(&format!("a{c}b")), "a\u{fffd}b", "U+{:04X}", c as u32);
        }
    }
}
