//! The top-level modules of `src/` import one way only: every `crate::<module>` reference outside
//! `#[cfg(test)]` code is an edge, and the edges must form no cycle. A cycle is reported with the
//! files that make each of its edges, so whoever added one sees where to cut it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Edges = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Top-level modules: `src/<name>.rs` and `src/<name>/`, but the crate roots.
fn modules(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs").map(str::to_string)
            }
        })
        .filter(|m| m != "lib" && m != "main")
        .collect()
}

/// The text without `#[cfg(test)]` items (as rustfmt lays them out: the item ends on its own
/// line, at the indentation it opened with, or on the line that opened it) and `//` comments.
fn without_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim() == "#[cfg(test)]" {
            let indent = line.len() - line.trim_start().len();
            let mut j = i + 1;
            let opener = lines.get(j).copied().unwrap_or("");
            if !opener.trim_end().ends_with(';') {
                let close = format!("{}}}", &line[..indent]);
                while j < lines.len() && lines[j].trim_end() != close {
                    j += 1;
                }
            }
            i = j + 1;
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        out.push_str(code);
        out.push('\n');
        i += 1;
    }
    out
}

/// The modules a text names: `crate::x` and each `x` of `crate::{x, y::z}`.
fn named(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let inside = &group[..group.find('}').unwrap_or(group.len())];
            inside
                .split(',')
                .map(|part| part.trim().split("::").next().unwrap_or(""))
                .collect()
        } else {
            vec![rest
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or("")]
        };
        out.extend(
            names
                .into_iter()
                .filter(|n| modules.contains(*n))
                .map(str::to_string),
        );
    }
    out
}

fn edges(src: &Path) -> Edges {
    let modules = modules(src);
    let mut edges = Edges::new();
    for entry in walkdir::WalkDir::new(src).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = first.strip_suffix(".rs").unwrap_or(&first).to_string();
        if !modules.contains(&top) {
            continue;
        }
        let text = without_tests(&std::fs::read_to_string(path).unwrap());
        for target in named(&text, &modules) {
            if target != top {
                edges
                    .entry(top.clone())
                    .or_default()
                    .entry(target)
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    edges
}

/// A cycle through `start`, if any: the modules in order, back to `start`.
fn cycle_from(start: &str, edges: &Edges) -> Option<Vec<String>> {
    fn search(
        at: &str,
        start: &str,
        edges: &Edges,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in edges.get(at).into_iter().flat_map(|m| m.keys()) {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if search(next, start, edges, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    search(start, start, edges, &mut path, &mut BTreeSet::new()).then_some(path)
}

fn describe(cycle: &[String], edges: &Edges) -> String {
    cycle
        .windows(2)
        .map(|w| {
            let files: Vec<&String> = edges[&w[0]][&w[1]].iter().collect();
            format!("  {} -> {} (in {files:?})", w[0], w[1])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn top_level_modules_import_one_way_only() {
    let edges = edges(&src());
    assert!(
        edges.contains_key("site") && edges.contains_key("cmd"),
        "the scan found the modules: {:?}",
        edges.keys().collect::<Vec<_>>()
    );
    let cycles: Vec<String> = edges
        .keys()
        .filter_map(|m| cycle_from(m, &edges))
        .map(|c| describe(&c, &edges))
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between top-level modules:\n{}",
        cycles.join("\n\n")
    );
}

#[test]
fn the_scan_sees_a_cycle_and_ignores_test_code() {
    let modules: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let text = "use crate::{b::X, c};\n// crate::a in a comment\n#[cfg(test)]\nmod tests {\n    use crate::a::Y;\n}\nfn f() { crate::b::g() }\n";
    let found = named(&without_tests(text), &modules);
    assert_eq!(found, ["b", "c"].iter().map(|s| s.to_string()).collect());
    let mut edges = Edges::new();
    let files: BTreeSet<String> = ["x.rs".to_string()].into();
    edges
        .entry("a".into())
        .or_default()
        .insert("b".into(), files.clone());
    edges
        .entry("b".into())
        .or_default()
        .insert("c".into(), files.clone());
    assert_eq!(cycle_from("a", &edges), None);
    edges
        .entry("c".into())
        .or_default()
        .insert("a".into(), files);
    assert_eq!(
        cycle_from("a", &edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
