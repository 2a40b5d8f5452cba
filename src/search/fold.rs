//! Width folding at both ends of search: on the text that goes into the index and on the query
//! typed into the search box (`themes/default/static/js/search.js` does the same in the browser).
//! Pagefind matches words as written, so without it `ＳＬＡ` misses `SLA` and `ｻｰﾊﾞｰ` misses
//! `サーバー`. Full-width Latin letters and digits (`Ａ`–`Ｚ`, `ａ`–`ｚ`, `０`–`９`) and half-width
//! katakana (`ｦ`–`ﾟ`) get their NFKC form; full-width punctuation is kept, so excerpts still read
//! as Japanese (`（例）` stays).
//!
//! The long vowel (`サーバ` / `サーバー`) is not folded here: the text keeps its spelling (a fold
//! inside katakana compounds such as `サーバーエラー` would misspell them and hide `エラー`), and the
//! search page runs a query ending in `ー` after three morae both with and without it, merging
//! the results; Pagefind's prefix match finds `サーバー` from `サーバ`.

use unicode_normalization::UnicodeNormalization;

/// Characters whose width form is folded.
fn width_variant(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '\u{FF61}'..='\u{FF9F}')
}

/// Fold a run of plain text (no markup).
pub fn fold(text: &str) -> String {
    if !text.chars().any(width_variant) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        // A voiced-sound mark (ﾞ ﾟ) belongs to the run so that ﾊﾞ composes to バ.
        if width_variant(c) {
            run.push(c);
        } else {
            out.extend(run.nfkc());
            run.clear();
            out.push(c);
        }
    }
    out.extend(run.nfkc());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fold_to_the_forms_people_type() {
        assert_eq!(fold("ＳＬＡ違反"), "SLA違反");
        assert_eq!(fold("ｻｰﾊﾞｰ"), "サーバー");
        assert_eq!(fold("ﾊﾞｯｸｱｯﾌﾟ"), "バックアップ");
        assert_eq!(fold("ＤＢ接続　（例）"), "DB接続　（例）");
        assert_eq!(fold("２０２６年"), "2026年");
    }

    #[test]
    fn katakana_keeps_its_spelling() {
        assert_eq!(fold("サーバーエラー"), "サーバーエラー");
        assert_eq!(fold("ﾕｰｻﾞｰ"), "ユーザー");
    }

    #[test]
    fn folding_is_idempotent_and_leaves_other_text() {
        for s in ["障害対応手順", "SLA 99.9%", "ｻｰﾊﾞｰ再起動", "サーバー", "a<b"]
        {
            assert_eq!(fold(&fold(s)), fold(s));
        }
        assert_eq!(fold("plain English"), "plain English");
    }
}
