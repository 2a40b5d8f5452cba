//! The same text folding at both ends of search: on the text that goes into the index and on the
//! query typed into the search box (`themes/default/static/js/search.js` does the same in the
//! browser). Pagefind matches words as written, so without it `ＳＬＡ` misses `SLA`, `ｻｰﾊﾞｰ`
//! misses `サーバー` and `サーバ` misses `サーバー`.
//!
//! Two rules:
//! - **Width.** Full-width Latin letters and digits (`Ａ`–`Ｚ`, `ａ`–`ｚ`, `０`–`９`) and half-width
//!   katakana (`ｦ`–`ﾟ`) get their NFKC form (`SLA`, `サーバー`). Full-width punctuation is kept, so
//!   excerpts still read as Japanese (`（例）` stays).
//! - **Long vowel.** A katakana word that ends in `ー` after at least three morae loses it
//!   (`サーバー` → `サーバ`, `ユーザー` → `ユーザ`, `コンピューター` → `コンピュータ`), the JIS Z 8301
//!   spelling many ops teams already use; shorter words keep it (`キー`, `エラー`, `ビュー`).
//!
//! Excerpts show the folded text.

use unicode_normalization::UnicodeNormalization;

/// Characters whose width form is folded.
fn width_variant(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '\u{FF61}'..='\u{FF9F}')
}

fn katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー')
}

/// Small kana that join the kana before them into one mora (`ュ` in `ビュ`).
fn small_kana(c: char) -> bool {
    matches!(
        c,
        'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ'
    )
}

/// Fold a run of plain text (no markup).
pub fn fold(text: &str) -> String {
    let widened = fold_width(text);
    fold_long_vowels(&widened)
}

fn fold_width(text: &str) -> String {
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

fn fold_long_vowels(text: &str) -> String {
    if !text.contains('ー') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !katakana(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && katakana(chars[i]) {
            i += 1;
        }
        let word = &chars[start..i];
        let keep = match word.split_last() {
            Some(('ー', stem)) if morae(stem) >= 3 => stem,
            _ => word,
        };
        out.extend(keep.iter());
    }
    out
}

fn morae(kana: &[char]) -> usize {
    kana.iter().filter(|c| !small_kana(**c)).count()
}

/// Fold the text of an HTML fragment and leave its tags, attributes and entities as they are
/// (heading ids stay the anchors the pages have). `<span>` tags are left out: they are inline
/// (taking them away joins no words), carry nothing the index reads, and highlighted code is
/// mostly spans, which the indexer would otherwise parse one by one.
pub fn fold_html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&fold(&rest[..open]));
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        if !is_span_tag(tag) {
            out.push_str(tag);
        }
        rest = &rest[tag_end..];
    }
    out.push_str(&fold(rest));
    out
}

fn is_span_tag(tag: &str) -> bool {
    tag == "</span>"
        || tag == "<span>"
        || (tag.starts_with("<span") && tag[5..].starts_with(|c: char| c.is_ascii_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fold_to_the_forms_people_type() {
        assert_eq!(fold("ＳＬＡ違反"), "SLA違反");
        assert_eq!(fold("ｻｰﾊﾞｰ"), "サーバ");
        assert_eq!(fold("ﾊﾞｯｸｱｯﾌﾟ"), "バックアップ");
        assert_eq!(fold("ＤＢ接続　（例）"), "DB接続　（例）");
        assert_eq!(fold("２０２６年"), "2026年");
    }

    #[test]
    fn long_vowels_fold_after_three_morae_only() {
        assert_eq!(fold("サーバー"), "サーバ");
        assert_eq!(fold("サーバ"), "サーバ");
        assert_eq!(fold("ユーザーの登録"), "ユーザの登録");
        assert_eq!(fold("コンピューター"), "コンピュータ");
        assert_eq!(fold("キー"), "キー");
        assert_eq!(fold("エラー"), "エラー");
        assert_eq!(fold("ビュー"), "ビュー");
        // Only the final mark: `サーバ` keeps the one inside.
        assert_eq!(fold("データベース"), "データベース");
        assert_eq!(fold("メモリー不足"), "メモリ不足");
    }

    #[test]
    fn folding_is_idempotent_and_leaves_other_text() {
        for s in ["障害対応手順", "SLA 99.9%", "ｻｰﾊﾞｰ再起動", "サーバー", "a<b"]
        {
            assert_eq!(fold(&fold(s)), fold(s));
        }
        assert_eq!(fold("plain English"), "plain English");
    }

    #[test]
    fn markup_is_kept_and_only_text_folds() {
        assert_eq!(
            fold_html_text("<h2 id=\"ｻｰﾊﾞｰ\">ｻｰﾊﾞｰ &amp; ＤＢ</h2>"),
            "<h2 id=\"ｻｰﾊﾞｰ\">サーバ &amp; DB</h2>"
        );
        assert_eq!(fold_html_text("a <b"), "a <b");
    }

    #[test]
    fn spans_are_left_out_and_their_text_kept() {
        assert_eq!(
            fold_html_text("<pre><code><span class=\"hl-k\">systemctl</span> restart <span>nginx</span></code></pre><spanner>"),
            "<pre><code>systemctl restart nginx</code></pre><spanner>"
        );
    }
}
