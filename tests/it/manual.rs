//! The manual is an opsite site in `docs/` (Japanese and English): every section of the README
//! it replaced has a page (`docs/readme-map.tsv`, checked here), every English page has its
//! Japanese translation at the same path, and the manual builds and checks clean.

use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

#[test]
fn every_section_of_the_old_readme_has_its_page_in_the_manual() {
    let map = std::fs::read_to_string(docs().join("readme-map.tsv")).unwrap();
    let mut checked = 0;
    for line in map.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [heading, page, place] = cols.as_slice() else {
            panic!("readme-map.tsv: `{line}` is not heading, page and place");
        };
        let text = std::fs::read_to_string(docs().join(page))
            .unwrap_or_else(|e| panic!("{heading}: {page}: {e}"));
        let found = match place.strip_prefix('#') {
            Some(anchor) => text.contains(&format!("{{#{anchor}}}")),
            None => {
                text.contains(&format!("title: {place}"))
                    || text.contains(&format!("title: \"{place}\""))
            }
        };
        assert!(found, "{heading}: {page} holds no `{place}`");
        checked += 1;
    }
    assert!(checked >= 30, "the README had 31 headings");
}

#[test]
fn every_english_page_has_its_japanese_translation() {
    let en = docs().join("content/en");
    for e in walkdir::WalkDir::new(&en).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "md") {
            let rel = e.path().strip_prefix(&en).unwrap();
            assert!(
                docs().join("content/ja").join(rel).is_file(),
                "docs/content/ja/{} is missing",
                rel.display()
            );
        }
    }
}
