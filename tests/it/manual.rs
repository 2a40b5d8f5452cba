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

/// Each command page of the reference holds the command's `--help` as the binary prints it, in
/// both languages' manuals: a new option cannot be missing from the manual. A page that differs
/// is rewritten when `OPSITE_BLESS=1` is set (then review and commit the change).
#[test]
fn each_command_page_holds_the_commands_own_help() {
    const MARK: &str = "<!-- generated from `opsite --help`: do not edit -->";
    let bless = std::env::var_os("OPSITE_BLESS").is_some();
    let mut stale = Vec::new();
    for lang in ["en", "ja"] {
        let dir = docs().join("content").join(lang).join("reference/commands");
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            if name == "_index" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let front_end = text[3..]
                .find("\n---\n")
                .map(|i| i + 3 + 5)
                .expect("front matter");
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
                .args([name.as_str(), "--help"])
                .env("COLUMNS", "100")
                .output()
                .unwrap();
            assert!(out.status.success(), "opsite {name} --help");
            let help = String::from_utf8(out.stdout).unwrap();
            let want = format!(
                "{}\n{}\n\n```text\n$ opsite {name} --help\n{}```\n",
                &text[..front_end],
                MARK.replace("opsite --help", &format!("opsite {name} --help")),
                help
            );
            if text != want {
                if bless {
                    std::fs::write(&path, &want).unwrap();
                } else {
                    stale.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "these pages do not hold their command's --help; rewrite them with `OPSITE_BLESS=1 cargo test --release --test it -- each_command_page`: {stale:?}"
    );
}

/// The site.yaml reference lists every key opsite accepts, walked from the same description of
/// the file that tells an unknown key from a known one (`config::keys::site`), so the page
/// cannot miss a key. `OPSITE_BLESS=1` rewrites it, as for the command pages.
#[test]
fn the_site_yaml_reference_lists_every_key_opsite_accepts() {
    use opsite::config::keys::{site, Shape};
    fn walk(shape: &Shape, depth: usize, out: &mut String) {
        let mut line = |name: &str, inner: &Shape| {
            out.push_str(&format!("{}- `{name}`\n", "  ".repeat(depth)));
            walk(inner, depth + 1, out);
        };
        match shape {
            Shape::Keys(keys) => {
                for (k, s) in keys.iter() {
                    line(k, s);
                }
            }
            Shape::Named(s) => line("<name>", s),
            Shape::List(s) => {
                if !matches!(**s, Shape::Any) {
                    line("[]", s);
                }
            }
            Shape::Any => {}
        }
    }
    let mut keys = String::new();
    walk(site(), 0, &mut keys);
    let intro = [
        ("en", "Every key `site.yaml` takes, as opsite checks it: a key not listed here is reported as unknown, with the closest one. `<name>` is a name of your own (a calendar, a priority value, a customer), `[]` a list's items. What each key does is on the page the [configuration guide](../guide/configuration.md) names for its top-level key."),
        ("ja", "`site.yaml` が受け付けるすべてのキーです。opsite はこれで確かめ、ここにないキーは、いちばん近いキーを示して不明なキーとして報告します。`<name>` は自分で決める名前（カレンダー、優先度の値、顧客など）、`[]` はリストの各項目です。各キーの働きは、[設定ガイド](../guide/configuration.md)がその最上位のキーについて示すページにあります。"),
    ];
    let bless = std::env::var_os("OPSITE_BLESS").is_some();
    for (lang, words) in intro {
        let path = docs()
            .join("content")
            .join(lang)
            .join("reference/site-yaml.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let front_end = text[3..]
            .find("\n---\n")
            .map(|i| i + 3 + 5)
            .expect("front matter");
        let want = format!(
            "{}\n<!-- generated from src/config/keys.rs: do not edit -->\n\n{words}\n\n{keys}",
            &text[..front_end]
        );
        if text != want && bless {
            std::fs::write(&path, &want).unwrap();
        } else {
            assert_eq!(
                text,
                want,
                "{}: rewrite it with OPSITE_BLESS=1",
                path.display()
            );
        }
    }
    assert!(
        keys.contains("  - `tickets`\n") && keys.contains("`decimal_separator`"),
        "{keys}"
    );
}
