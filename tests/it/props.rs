//! No input may panic: generated and mutated front matter, shortcode calls, Markdown, paths and
//! `site.yaml` values go through the parsers and the whole pipeline. A problem must come back as
//! a located diagnostic, and no output path may leave the output folder.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use opsite::config::{keys, SiteConfig};
use opsite::content::front_matter::parse_date;
use opsite::content::source::{ContentSources, SourceFile};
use opsite::content::urls;
use opsite::markdown::shortcodes::{self, Expansion, ShortcodeCall, ShortcodeHandler};
use opsite::output_file::check_output_path;
use opsite::site::{self, progress::Progress, BuildOptions, SiteSources};
use proptest::prelude::*;

/// Pieces real pages are made of, including the awkward ones.
const FRAGMENTS: &[&str] = &[
    "---\n",
    "+++\n",
    "title: 手順\n",
    "title = \"x\"\n",
    "weight: high\n",
    "weight: 3\n",
    "date: 2026-11-02\n",
    "date: 2026-13-45\n",
    "url: ../../x\n",
    "url: /a/b/\n",
    "slug: \"..\"\n",
    "slug: 日次\n",
    "aliases: [\"../y\", /z/]\n",
    "aliases: 3\n",
    "tags: [\"..\", ITIL, 運用]\n",
    "tags: {a: b}\n",
    "cascade: {owner: x}\n",
    "cascade:\n  - _target: {path: \"/**\"}\n    draft: true\n",
    "menu: main\n",
    "menu: {main: {weight: x}}\n",
    "draft: maybe\n",
    "\u{feff}",
    "\r\n",
    "\n",
    "# 見出し\n",
    "## 日次運用タスク\n",
    "{{< alert >}}",
    "{{< /alert >}}",
    "{{% note %}}",
    "{{% /note %}}",
    "{{< ref \"sop/daily.md\" >}}",
    "{{</* x */>}}",
    "{{< unclosed",
    "{{< x a=\"b >}}",
    "{{< >}}",
    "{{% / %}}",
    "[link](sop/daily.md#連絡先)",
    "[x](../../../../a.md)",
    "![i](img.png)",
    "<script>x</script>",
    "> [!NOTE]\n> 注意\n",
    "> [!",
    "```bash\necho\n",
    "```\n",
    "~~~\n",
    "| a | b |\n|---|---|\n",
    "[^1]\n\n[^1]: note\n",
    "<!--more-->",
    "%2e%2e/",
    "..\\",
    "日本語",
    "\t",
    "    code\n",
    "* ",
    "1. ",
    "`",
    "*",
    "_",
    "\\",
];

fn text_from_fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        text_from_fragments(),
        ".{0,200}",
        "[-:{}\\[\\]<>%/.\\\\\"' \na-z0-9]{0,120}"
    ]
}

struct Echo;
impl ShortcodeHandler for Echo {
    fn expand(
        &self,
        call: &ShortcodeCall,
        inner: Option<&str>,
        markdown: &dyn Fn(&str) -> String,
    ) -> Expansion {
        match call.name.as_str() {
            "skip" => Expansion::Ignored,
            "bad" => Expansion::Error("bad".into()),
            _ => Expansion::Output(markdown(inner.unwrap_or(""))),
        }
    }
}

fn in_memory_site(pages: Vec<(String, String)>, config_text: &str) -> Option<SiteSources> {
    let config = SiteConfig::parse(config_text, std::path::Path::new("site.yaml")).ok()?;
    let mut dirs = BTreeSet::new();
    for (path, _) in &pages {
        let mut p = PathBuf::from(path);
        while p.pop() && !p.as_os_str().is_empty() {
            dirs.insert(p.clone());
        }
    }
    Some(SiteSources {
        root: PathBuf::from("/nonexistent-site"),
        config,
        content: ContentSources {
            files: pages
                .into_iter()
                .map(|(p, text)| SourceFile {
                    rel_path: PathBuf::from(p),
                    text,
                })
                .collect(),
            dirs: dirs.into_iter().collect(),
            assets: Vec::new(),
            ..Default::default()
        },
        theme: opsite::render::theme::embedded(),
        static_files: Vec::new(),
        reader: opsite::walk::SiteReader::new(std::path::Path::new("/nonexistent-site"), 100),
        highlight_cache: HashMap::new(),
        kept_bodies: opsite::site::kept_bodies::KeptBodies::none(),
        parsed_templates: Default::default(),
        search_shards: Default::default(),
        previous_renders: None,
        edition_renders: HashMap::new(),
        config_text: String::new(),
        data: None,
        git_dates: None,
        included: Default::default(),
        escalation_file: None,
        versions: Vec::new(),
        older_versions: Vec::new(),
        snapshots: Vec::new(),
    })
}

proptest! {
    // 256 cases each in CI (a few seconds); `PROPTEST_CASES=20000` for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn front_matter_and_pages_parse_without_panic(text in any_text()) {
        if let Ok(raw) = opsite::content::page::RawPage::parse(&text, std::path::Path::new("a.md")) {
            let (_, errors) = opsite::content::FrontMatter::from_fields(&raw.front.fields, &["tags".into()]);
            for e in errors {
                let (line, _) = raw.front.locate(&e.key);
                prop_assert!(line >= 1);
            }
        }
    }

    #[test]
    fn shortcodes_expand_without_panic(text in any_text()) {
        let md = |t: &str, _: usize| t.to_string();
        let e = shortcodes::expand(&text, &Echo, &md);
        for p in &e.problems {
            prop_assert!(p.offset <= text.len());
        }
        for i in 0..=e.text.len() {
            if e.text.is_char_boundary(i) {
                prop_assert!(e.source_offset(i) <= text.len() + e.text.len());
            }
        }
    }

    #[test]
    fn front_matter_paths_never_leave_the_site(path in "[./\\\\%2ea-z日]{0,30}", base in "(/[a-z]{1,3}){0,3}/") {
        for result in [urls::from_front_matter(&path), urls::join_site_path(&base, &path)] {
            if let Ok(site_path) = result {
                prop_assert!(site_path.starts_with('/'));
                prop_assert!(!site_path.split('/').any(|s| s == ".." || s == "."), "{}", site_path);
                prop_assert_eq!(check_output_path(&urls::output_path(&site_path)), Ok(()));
            }
        }
    }

    #[test]
    fn site_yaml_values_give_a_located_error_or_a_config(text in prop_oneof![
        any_text(),
        prop::collection::vec(prop::sample::select(&[
            "title: x\n", "base_url: 3\n", "relative_url: true\n", "relative_urls: maybe\n",
            "markdown: {raw_html: eskape}\n", "taxonomies: {tag: \"..\"}\n", "menus:\n  main:\n    - {name: a, nmae: b}\n",
            "data:\n  tickets:\n    colums: x\n", "params: [1, 2]\n", "  - x\n", ": :\n", "- - -\n", "theme: ../../x\n",
            "calendars:\n  b:\n    hours: {mon: \"25:00-26:00\"}\n", "{\n", "'\n", "\"\n", "\t\n", "a: &x 1\nb: *x\n",
            "contracts: [{name: s, customers: \"*\"}]\ncustomers:\n  - {name: 東都, slug: Toto}\n  - {name: 南海, slug: toto, base_url: /n/}\n  - {slug: x, base_url: /n}\n  - {name: 東都}\n",
        ][..]), 0..10).prop_map(|v| v.concat()),
    ]) {
        match SiteConfig::parse_with_warnings(&text, std::path::Path::new("site.yaml")) {
            Ok((_, warnings)) => {
                for w in warnings {
                    prop_assert!(w.location.line.is_some_and(|l| l >= 1 && l <= text.lines().count().max(1)), "{}", w);
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.location.line.is_some_and(|l| l >= 1), "{}", e);
                }
            }
        }
        if let Ok(doc) = opsite::yaml::to_value(&text) {
            for u in keys::unknown_keys(&doc, keys::site()) {
                let _ = keys::locate(&text, &u.path);
            }
        }
    }

    #[test]
    fn the_pipeline_never_panics_and_never_writes_outside(
        pages in prop::collection::vec(
            (prop::sample::select(&["_index.md", "a.md", "sop/_index.md", "sop/b.md", "sop/x/index.md", "sop/x/c.md", "日本/d.md", "e/f/g.md"][..]), text_from_fragments()),
            1..6,
        ),
        config in prop::sample::select(&["", "relative_urls: true\n", "markdown: {raw_html: escape}\n", "taxonomies: {tag: \"..\"}\n", "base_url: https://ops.example.jp/portal/\n"][..]),
    ) {
        let mut seen = BTreeSet::new();
        let pages: Vec<(String, String)> = pages
            .into_iter()
            .filter(|(p, _)| seen.insert(*p))
            .map(|(p, t)| (p.to_string(), t))
            .collect();
        let Some(sources) = in_memory_site(pages, config) else { return Ok(()) };
        let opts = BuildOptions {
            include_drafts: false,
            base_url: None,
            damage_is_error: true,
            now: parse_date("2026-11-22T00:00:00Z").unwrap(),
            freeze_due: false,
            search_index: false,
            index_older_versions: false,
        edition: None,
        };
        let r = site::build(&sources, &opts, &Progress::default());
        for f in &r.files {
            prop_assert_eq!(check_output_path(&f.path), Ok(()));
        }
        for d in r.diagnostics.iter() {
            prop_assert!(!d.location.file.as_os_str().is_empty(), "{}", d);
        }
    }
}
