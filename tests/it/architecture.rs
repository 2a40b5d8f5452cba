//! The layers of `src/` as data, and a check that holds the code to them. Every file the library
//! compiles outside `#[cfg(test)]` is parsed (syn); every path it names (`use`, expressions,
//! types, macro arguments; `crate::`, `super::`, `self::` and child modules resolved) is an
//! edge from its module to the module it reaches. A top-level module may import only from its
//! own layer or one below; modules side by side in any folder (files of `src/cmd/`, modules
//! of one layer) may not import each other in a circle. The README and the manual's
//! drawing of the layers are checked against `LAYERS`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The top-level modules, top layer first. A module imports from its own layer or lower ones.
const LAYERS: &[(&str, &[&str])] = &[
    ("commands", &["cmd", "cli"]),
    ("outputs", &["email", "serve", "pdf"]),
    ("pipeline", &["site"]),
    ("rendering", &["render", "search", "linkcheck"]),
    (
        "pages from data",
        &[
            "figures",
            "publications",
            "versions",
            "sheets",
            "escalation",
        ],
    ),
    ("reports", &["reports"]),
    ("reading", &["data"]),
    (
        "pages and words",
        &["content", "markdown", "charts", "i18n", "languages"],
    ),
    ("computing", &["kpi"]),
    ("configuration", &["config"]),
    (
        "helpers",
        &[
            "csv_text",
            "digest",
            "display_text",
            "env_knob",
            "error",
            "few_at_a_time",
            "fonts",
            "html",
            "internal_address",
            "kept_file",
            "layout",
            "output_file",
            "private_outputs",
            "timezone",
            "walk",
            "weekdays",
            "word_files",
            "write_whole",
            "yaml",
        ],
    ),
];

type ModPath = Vec<String>;

/// One module of the library: its path, the file it is in, and the folder its children are in.
struct Module {
    path: ModPath,
    file: PathBuf,
    children_dir: PathBuf,
}

fn has_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .find(|a| a.path().is_ident("path"))
        .and_then(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
}

/// Every module compiled outside tests, from `root` (`src/lib.rs`), following `mod x;`.
fn modules(root: &Path) -> Vec<Module> {
    let mut out = Vec::new();
    let mut queue = vec![Module {
        path: Vec::new(),
        file: root.to_path_buf(),
        children_dir: root.parent().unwrap().to_path_buf(),
    }];
    while let Some(m) = queue.pop() {
        let text = std::fs::read_to_string(&m.file).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", m.file.display()));
        collect_mods(&file.items, &m.path, &m.children_dir, &mut queue);
        out.push(m);
    }
    out
}

/// `mod x;` declarations among `items` (inline modules searched too), queued as modules.
fn collect_mods(items: &[syn::Item], path: &ModPath, dir: &Path, queue: &mut Vec<Module>) {
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        if has_cfg_test(&m.attrs) {
            continue;
        }
        let name = m.ident.to_string();
        let mut child = path.clone();
        child.push(name.clone());
        match &m.content {
            Some((_, inner)) => collect_mods(inner, &child, &dir.join(&name), queue),
            None => {
                let file = match path_attr(&m.attrs) {
                    Some(p) => dir.join(p),
                    None if dir.join(format!("{name}.rs")).is_file() => {
                        dir.join(format!("{name}.rs"))
                    }
                    None => dir.join(&name).join("mod.rs"),
                };
                queue.push(Module {
                    path: child,
                    file,
                    children_dir: dir.join(&name),
                });
            }
        }
    }
}

/// The paths a file names, with their lines, as written (`crate::a::b`, `super::x`).
#[derive(Default)]
struct Names {
    /// The inline module the visitor is in, below the file's module.
    inline: ModPath,
    found: Vec<(ModPath, Vec<String>, usize)>,
}

impl Names {
    fn add(&mut self, segments: Vec<String>, line: usize) {
        if !segments.is_empty() {
            self.found.push((self.inline.clone(), segments, line));
        }
    }
}

fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut p = prefix.clone();
            p.push(n.ident.to_string());
            out.push(p);
        }
        syn::UseTree::Rename(r) => {
            let mut p = prefix.clone();
            p.push(r.ident.to_string());
            out.push(p);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_paths(t, prefix, out)),
    }
}

/// `crate::a::b`, `super::x`, `self::y` sequences in a macro's tokens (`format!("{}",
/// crate::x::f())`).
fn token_paths(tokens: proc_macro2::TokenStream, out: &mut Vec<(Vec<String>, usize)>) {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Group(g) => token_paths(g.stream(), out),
            TokenTree::Ident(id)
                if ["crate", "super", "self"].contains(&id.to_string().as_str()) =>
            {
                let line = id.span().start().line;
                let mut segments = vec![id.to_string()];
                let mut j = i + 1;
                while let (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Ident(next)),
                ) = (trees.get(j), trees.get(j + 1), trees.get(j + 2))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    segments.push(next.to_string());
                    j += 3;
                }
                if segments.len() > 1 {
                    out.push((segments, line));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item(&mut self, i: &'ast syn::Item) {
        let attrs = match i {
            syn::Item::Const(x) => &x.attrs,
            syn::Item::Enum(x) => &x.attrs,
            syn::Item::Fn(x) => &x.attrs,
            syn::Item::Impl(x) => &x.attrs,
            syn::Item::Mod(x) => &x.attrs,
            syn::Item::Static(x) => &x.attrs,
            syn::Item::Struct(x) => &x.attrs,
            syn::Item::Trait(x) => &x.attrs,
            syn::Item::Type(x) => &x.attrs,
            syn::Item::Use(x) => &x.attrs,
            syn::Item::Macro(x) => &x.attrs,
            _ => return syn::visit::visit_item(self, i),
        };
        if !has_cfg_test(attrs) {
            syn::visit::visit_item(self, i);
        }
    }
    fn visit_impl_item_fn(&mut self, i: &'ast syn::ImplItemFn) {
        if !has_cfg_test(&i.attrs) {
            syn::visit::visit_impl_item_fn(self, i);
        }
    }
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if let Some((_, items)) = &m.content {
            self.inline.push(m.ident.to_string());
            items.iter().for_each(|i| self.visit_item(i));
            self.inline.pop();
        }
    }
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut paths = Vec::new();
        use_paths(&u.tree, &mut Vec::new(), &mut paths);
        let line = u.use_token.span.start().line;
        paths.into_iter().for_each(|p| self.add(p, line));
    }
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments = p.segments.iter().map(|s| s.ident.to_string()).collect();
        let line = p
            .segments
            .first()
            .map_or(0, |s| s.ident.span().start().line);
        self.add(segments, line);
        syn::visit::visit_path(self, p);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let mut found = Vec::new();
        token_paths(m.tokens.clone(), &mut found);
        found.into_iter().for_each(|(p, line)| self.add(p, line));
        syn::visit::visit_macro(self, m);
    }
}

/// The module a path written in `at` reaches: the longest module path it starts with.
fn resolve(at: &ModPath, segments: &[String], known: &BTreeSet<ModPath>) -> Option<ModPath> {
    let mut base = at.clone();
    let mut rest = segments;
    match segments.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &segments[1..];
        }
        Some("self") => rest = &segments[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        // A child module by name; anything else is a local item or another crate.
        Some(first) if known.contains(&[at.as_slice(), &[first.to_string()]].concat()) => {}
        _ => return None,
    }
    // The longest module the path walks through; `super::Thing` reaches the parent itself.
    let mut full = base.clone();
    let mut reached = base;
    for s in rest {
        full.push(s.clone());
        if !known.contains(&full) {
            break;
        }
        reached = full.clone();
    }
    (!reached.is_empty() && known.contains(&reached)).then_some(reached)
}

/// An edge between two modules side by side in one folder (the crate root is `[]`), with the
/// places that make it.
type Edges = BTreeMap<ModPath, BTreeMap<(String, String), BTreeSet<String>>>;

fn edges(src: &Path) -> Edges {
    let modules = modules(&src.join("lib.rs"));
    let known: BTreeSet<ModPath> = modules.iter().map(|m| m.path.clone()).collect();
    let mut edges = Edges::new();
    for m in &modules {
        let text = std::fs::read_to_string(&m.file).unwrap();
        let file = syn::parse_file(&text).unwrap();
        let mut names = Names::default();
        names.visit_file(&file);
        let rel = m.file.strip_prefix(src).unwrap().display().to_string();
        for (inline, segments, line) in names.found {
            let at: ModPath = [m.path.as_slice(), &inline].concat();
            let Some(target) = resolve(&at, &segments, &known) else {
                continue;
            };
            add_edge(&mut edges, &at, &target, format!("src/{rel}:{line}"));
        }
    }
    edges
}

/// `from` naming `to` is an edge in the folder where their paths part.
fn add_edge(edges: &mut Edges, from: &ModPath, to: &ModPath, place: String) {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if let (Some(a), Some(b)) = (from.get(common), to.get(common)) {
        (edges.entry(from[..common].to_vec()).or_default())
            .entry((a.clone(), b.clone()))
            .or_default()
            .insert(place);
    }
}

/// A circle through `start` among one folder's edges, if any: the modules in order, back to it.
fn circle_from(
    start: &str,
    edges: &BTreeMap<(String, String), BTreeSet<String>>,
) -> Option<Vec<String>> {
    fn search(
        at: &str,
        start: &str,
        next: &BTreeMap<&str, Vec<&str>>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for &n in next.get(at).into_iter().flatten() {
            if n == start {
                path.push(n.to_string());
                return true;
            }
            if seen.insert(n.to_string()) {
                path.push(n.to_string());
                if search(n, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a.as_str()).or_default().push(b.as_str());
    }
    let mut path = vec![start.to_string()];
    search(start, start, &next, &mut path, &mut BTreeSet::new()).then_some(path)
}

/// Every circle of every folder, each once, with the first place of each of its edges.
fn circles(edges: &Edges) -> Vec<String> {
    let mut out = BTreeSet::new();
    for (folder, here) in edges {
        let starts: BTreeSet<&String> = here.keys().map(|(a, _)| a).collect();
        for start in starts {
            let Some(circle) = circle_from(start, here) else {
                continue;
            };
            // One rotation per circle: starting from its least member.
            let ring = &circle[..circle.len() - 1];
            let least = ring
                .iter()
                .enumerate()
                .min_by_key(|(_, m)| *m)
                .map(|(i, _)| i)
                .unwrap();
            let mut turned: Vec<&String> = ring[least..].iter().chain(&ring[..least]).collect();
            turned.push(turned[0]);
            let steps: Vec<String> = turned
                .windows(2)
                .map(|w| {
                    let first = here[&(w[0].clone(), w[1].clone())].iter().next().unwrap();
                    format!("{} -> {} ({first})", w[0], w[1])
                })
                .collect();
            out.insert(format!("in src/{}: {}", folder.join("/"), steps.join(", ")));
        }
    }
    out.into_iter().collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// Imports from a higher layer, each with its place.
fn upward(edges: &Edges) -> Vec<String> {
    let top = edges.get(&Vec::new()).cloned().unwrap_or_default();
    (top.iter())
        .filter(|((a, b), _)| layer_of(a).zip(layer_of(b)).is_some_and(|(la, lb)| lb < la))
        .map(|((a, b), places)| {
            let layer = |m: &str| LAYERS[layer_of(m).unwrap()].0;
            format!(
                "{a} ({}) imports {b} ({}) at {}",
                layer(a),
                layer(b),
                places.iter().next().unwrap()
            )
        })
        .collect()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_top_level_module_is_in_a_layer() {
    let modules = modules(&src().join("lib.rs"));
    let top: BTreeSet<&str> = (modules.iter())
        .filter(|m| m.path.len() == 1)
        .map(|m| m.path[0].as_str())
        .collect();
    assert!(top.contains("site") && top.contains("kpi"), "{top:?}");
    let undrawn: Vec<&&str> = top.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        undrawn.is_empty(),
        "modules in no layer of tests/it/architecture.rs: {undrawn:?}"
    );
    let gone: Vec<&str> = (LAYERS.iter())
        .flat_map(|(_, ms)| ms.iter().copied())
        .filter(|m| !top.contains(m))
        .collect();
    assert!(
        gone.is_empty(),
        "layers name modules that do not exist: {gone:?}"
    );
}

#[test]
fn modules_import_down_the_layers_only() {
    let edges = edges(&src());
    let up = upward(&edges);
    assert!(
        up.is_empty(),
        "imports from a higher layer:\n{}",
        up.join("\n")
    );
}

#[test]
fn no_modules_side_by_side_import_each_other_in_a_circle() {
    let edges = edges(&src());
    assert!(
        edges.len() > 10,
        "the scan found the folders: {:?}",
        edges.keys().collect::<Vec<_>>()
    );
    let found = circles(&edges);
    assert!(
        found.is_empty(),
        "circles of imports:\n{}",
        found.join("\n")
    );
}

/// The rows of a manual's drawing: the first line, then each line that starts with `└`; the
/// modules are the text before the description (two spaces).
fn drawn_layers(page: &str) -> Vec<BTreeSet<String>> {
    let drawing = page
        .split("```text")
        .nth(1)
        .and_then(|d| d.split("```").next())
        .unwrap();
    let lines = drawing.lines().filter(|l| !l.trim().is_empty());
    (lines.enumerate())
        .filter_map(|(n, l)| {
            let row = l.trim_start();
            let modules = match row.strip_prefix("└ ") {
                Some(rest) => rest,
                None if n == 0 => row,
                None => return None,
            };
            let modules = modules.split("  ").next().unwrap_or("");
            Some(modules.split(", ").map(|m| m.trim().to_string()).collect())
        })
        .collect()
}

#[test]
fn the_manual_draws_the_layers_of_this_file() {
    let want: Vec<BTreeSet<String>> = (LAYERS.iter())
        .map(|(_, ms)| ms.iter().map(|m| m.to_string()).collect())
        .collect();
    for language in ["en", "ja"] {
        let page = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("docs/content/{language}/reference/development.md"));
        let drawn = drawn_layers(&std::fs::read_to_string(page).unwrap());
        assert_eq!(
            drawn, want,
            "the layers drawn in docs/content/{language}/reference/development.md"
        );
    }
}

/// A throw-away crate of `files` (path, text) under a temporary `src/`.
fn scratch(files: &[(&str, &str)]) -> (tempfile::TempDir, Edges) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join("src").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let edges = edges(&dir.path().join("src"));
    (dir, edges)
}

fn top_edges(edges: &Edges) -> BTreeSet<(String, String)> {
    edges
        .get(&Vec::new())
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn the_check_sees_imports_written_in_every_form() {
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    // The four forms a text search let through, and the plain ones.
    let (_d, edges) = scratch(&[
        ("lib.rs", "pub mod cmd;\npub mod kpi;\npub mod error;\npub mod render;\npub mod site;\n"),
        ("cmd.rs", "pub fn run() {}\n"),
        ("kpi/mod.rs", "pub mod sla;\n"),
        ("kpi/sla.rs", "use super::super::cmd;\n"),
        ("error.rs", "use super::cmd;\n"),
        (
            "render.rs",
            "fn f() -> &'static str { let _ = \"https://example.jp\"; crate::cmd::run(); \"x\" }\n",
        ),
        (
            "site/mod.rs",
            "#[cfg(test)]\n#[path = \"t.rs\"]\nmod t;\nfn g() { format!(\"{:?}\", crate::cmd::run()); }\n",
        ),
        ("site/t.rs", "use crate::kpi;\n"),
    ]);
    let found = top_edges(&edges);
    for from in ["kpi", "error", "render", "site"] {
        assert!(
            found.contains(&pair(from, "cmd")),
            "{from} -> cmd: {found:?}"
        );
    }
    assert!(
        !found.contains(&pair("site", "kpi")),
        "a test-only file is no import: {found:?}"
    );
    // Upward imports name both modules and their layers.
    let up = upward(&edges);
    assert!(
        up.iter()
            .any(|u| u.starts_with("error (helpers) imports cmd (commands) at src/error.rs:1")),
        "{up:?}"
    );
}

#[test]
fn the_check_sees_a_circle_between_files_of_a_folder() {
    let (_d, edges) = scratch(&[
        ("lib.rs", "pub mod cmd;\n"),
        ("cmd/mod.rs", "pub mod email;\npub mod pdf;\npub mod kpi;\n"),
        (
            "cmd/email.rs",
            "use super::pdf::render;\npub fn send() {}\n",
        ),
        ("cmd/pdf.rs", "pub fn render() { super::email::send() }\n"),
        ("cmd/kpi.rs", "pub fn k() { crate::cmd::pdf::render() }\n"),
    ]);
    let found = circles(&edges);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "in src/cmd: email -> pdf (src/cmd/email.rs:1), pdf -> email (src/cmd/pdf.rs:1)"
        ),
        "{found:?}"
    );
}
