//! Fields of the CSV files opsite writes (downloads, `kpi --format csv`, quarantined rows):
//! quoted when they must be, and text that a spreadsheet would run as a formula made inert.
//! One place, so no CSV opsite writes can carry a live `=HYPERLINK(…)` from an export's cell.

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Text a spreadsheet will not take for a formula: text that begins with `=`, `+`, `-`, `@`
/// (also their full-width forms, which Excel reads as the same on a Japanese system), a tab or
/// a CR gets a leading `'`, so a ticket titled `=HYPERLINK(…)` stays text when the CSV is
/// opened in Excel or LibreOffice. Numbers are written as numbers and never pass here.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A text field: inert, then quoted when it must be.
pub fn text_field(s: &str) -> String {
    field(&inert(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_fields_are_quoted() {
        assert_eq!(
            text_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(text_field("＝1+1"), "'＝1+1");
        assert_eq!(text_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_field("\tx"), "'\tx");
        assert_eq!(text_field("障害 A"), "障害 A");
        assert_eq!(field("-3.5"), "-3.5");
        assert_eq!(field("a,b"), "\"a,b\"");
    }
}
