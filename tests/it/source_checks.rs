//! Checks that read `src/` as Rust (syn), not as text: every word a reader sees is in the files
//! of words (`src/i18n/<code>.yaml`), not in a string literal of the code.

use std::path::{Path, PathBuf};

use syn::visit::Visit;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, parsed.
fn parsed_files() -> Vec<(PathBuf, syn::File)> {
    walkdir::WalkDir::new(src())
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let file = syn::parse_file(&text)
                .unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
            let rel = e
                .path()
                .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            (rel.to_path_buf(), file)
        })
        .collect()
}

/// Whether attributes hold `#[cfg(test)]` (or `#[cfg(all(test, …))]`).
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let tokens = a
                .meta
                .require_list()
                .map(|l| l.tokens.to_string())
                .unwrap_or_default();
            tokens == "test" || tokens.starts_with("all (test")
        }
    })
}

/// String and character literals outside test code that hold Japanese, with their lines.
#[derive(Default)]
struct JapaneseLiterals {
    found: Vec<(usize, String)>,
}

/// Japanese words: kana (full and half width) or kanji. Full-width punctuation and letters are
/// what parsers accept as input (`draft： true`, `＝` before a formula), not words.
fn japanese(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}')
    })
}

impl<'ast> Visit<'ast> for JapaneseLiterals {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    // Doc comments are attributes holding a string: they are comments, not words printed.
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if !attr.path().is_ident("doc") {
            syn::visit::visit_attribute(self, attr);
        }
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        let value = lit.value();
        if japanese(&value) {
            self.found.push((lit.span().start().line, value));
        }
    }

    fn visit_lit_char(&mut self, lit: &'ast syn::LitChar) {
        let value = lit.value().to_string();
        if japanese(&value) {
            self.found.push((lit.span().start().line, value));
        }
    }
}

/// Places whose Japanese literals read input rather than print words: what an export, a
/// front-matter date or a search query may hold.
const READERS: &[(&str, &str)] = &[
    ("src/i18n/", "the words themselves"),
    (
        "src/data/presets.rs",
        "the column names and values Japanese ticket systems export",
    ),
    (
        "src/data/cells.rs",
        "date formats and marks found in Japanese exports",
    ),
    (
        "src/data/customer_names.rs",
        "company forms (株式会社, ㈱) in the customer names exports write",
    ),
    ("src/search/fold.rs", "width folding of queries"),
    (
        "src/weekdays.rs",
        "weekday names read from calendars, maintenance windows and dates",
    ),
    ("src/kpi/calendar_tests.rs", "tests of that reading"),
    (
        "src/escalation/text.rs",
        "the characters a phone number may be written with",
    ),
    ("src/cmd/new.rs", "the Japanese starter site's pages"),
    (
        "src/cmd/new_example.rs",
        "the MSP example's made-up export: its customers, columns and values",
    ),
];

#[test]
fn no_word_a_reader_sees_is_written_in_the_code() {
    let mut offending = Vec::new();
    for (rel, file) in parsed_files() {
        let shown = rel.to_string_lossy().to_string();
        if READERS.iter().any(|(p, _)| shown.starts_with(p)) {
            continue;
        }
        let mut v = JapaneseLiterals::default();
        v.visit_file(&file);
        offending.extend(
            v.found
                .into_iter()
                .map(|(line, s)| format!("{shown}:{line}: {s:?}")),
        );
    }
    assert!(
        offending.is_empty(),
        "words in the code instead of src/i18n/<code>.yaml:\n{}",
        offending.join("\n")
    );
    for (p, _) in READERS {
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(p).exists(),
            "{p} no longer exists: drop it from READERS"
        );
    }
}

#[test]
fn the_literal_check_sees_literals_and_skips_tests() {
    let file: syn::File = syn::parse_str(
        "fn a() -> &'static str { \"週次\" }\n#[cfg(test)]\nmod tests { fn b() { let _ = \"月次\"; } }\nconst C: char = '月';\n/// 月次報告書\nfn d() {}\n",
    )
    .unwrap();
    let mut v = JapaneseLiterals::default();
    v.visit_file(&file);
    let lines: Vec<usize> = v.found.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![1, 4]);
}
