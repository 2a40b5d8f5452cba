//! The files of words opsite carries (`src/i18n/<code>.yaml`, embedded by `build.rs`): which
//! languages it has words for. Kept below `config` so site.yaml can warn of a language without
//! a file; `i18n` reads the files.

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

/// The language code a tag names (`ja-JP` → `ja`): its first part, lower-cased.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Whether opsite has a file of words for `tag`'s language.
pub fn has_words_for(tag: &str) -> bool {
    let code = primary(tag);
    FILES.iter().any(|(c, _)| *c == code)
}

/// The codes of every language opsite has words for, comma-separated (`en, ja`).
pub fn codes() -> String {
    FILES.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}
