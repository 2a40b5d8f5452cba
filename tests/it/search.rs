//! The search index: what goes into it (pages, report pages, filters, folded text) and what stays
//! out (drafts, `search: false`, cascaded), read back from Pagefind's own files. The browser side
//! (queries typed into the box, recall) is `tests/browser/search.mjs`, run by `.ci/run`.

use std::collections::BTreeMap;
use std::io::Read;

use opsite::site::output::{OutputContent, OutputFile};
use opsite::site::BuildResult;

use crate::support::*;

/// One page as Pagefind stored it (`pagefind/fragment/*.pf_fragment`: gzip, a signature, JSON).
#[derive(Debug, serde::Deserialize)]
struct Fragment {
    url: String,
    content: String,
    #[serde(default)]
    meta: BTreeMap<String, String>,
    #[serde(default)]
    filters: BTreeMap<String, Vec<String>>,
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// Every page in the index (all shards), by URL.
fn indexed(r: &BuildResult) -> BTreeMap<String, Fragment> {
    fragments(&r.files)
}

/// The pages of the fragment files: a file holds one page's fragment, or the fragments of a
/// group of pages by their hashes (Pagefind's `max_fragments`).
fn fragments(files: &[OutputFile]) -> BTreeMap<String, Fragment> {
    files
        .iter()
        .filter(|f| f.path.starts_with("pagefind/") && f.path.contains("/fragment/"))
        .flat_map(|f| {
            let OutputContent::Bytes(b) = &f.content else {
                panic!("{} is not generated", f.path)
            };
            let raw = gunzip(b);
            let json = raw.strip_prefix(b"pagefind_dcd").unwrap_or(&raw);
            let value: serde_json::Value = serde_json::from_slice(json).expect("fragment JSON");
            let group: Vec<Fragment> = if value.get("url").is_some() {
                vec![serde_json::from_value(value).expect("a fragment")]
            } else {
                let group: BTreeMap<String, Fragment> =
                    serde_json::from_value(value).expect("a group of fragments");
                group.into_values().collect()
            };
            group
        })
        .map(|mut frag| {
            // Japanese text is stored with a zero-width space between its words.
            frag.content = frag.content.replace('\u{200B}', "");
            (frag.url.clone(), frag)
        })
        .collect()
}

fn entry(r: &BuildResult) -> serde_json::Value {
    serde_json::from_slice(file_bytes(r, "pagefind/pagefind-entry.json")).unwrap()
}

#[test]
fn the_japanese_fixture_is_indexed_with_its_reports_and_without_drafts_or_opted_out_pages() {
    let site = TestSite::fixture("search-site");
    let r = site.build_with(true, false); // drafts built, as in a preview: still never indexed
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert!(
        has_file(&r, "sop/draft-plan/index.html"),
        "the draft is built"
    );
    assert!(entry(&r)["languages"]["ja"].is_object(), "{}", entry(&r));
    let pages = indexed(&r);
    let urls: Vec<&str> = pages.keys().map(String::as_str).collect();
    for want in [
        "/sop/incident-response/",
        "/sop/server-restart/",
        "/sla/definitions/",
        "/help/password-reset/",
        "/runbooks/backup/",
        "/faq/vpn/",
        "/reports/weekly/2026-W47/",
    ] {
        assert!(urls.contains(&want), "{want} missing from {urls:?}");
    }
    for never in ["/sop/draft-plan/", "/help/internal-memo/", "/archive/old/"] {
        assert!(!urls.contains(&never), "{never} is indexed: {urls:?}");
    }
    // Section pages with no text of their own, taxonomy lists and the search page are not.
    for list in ["/sop/", "/tags/", "/search/", "/reports/"] {
        assert!(!urls.contains(&list), "{list} is indexed");
    }
    assert!(
        r.stats.searchable == pages.len(),
        "{} vs {}",
        r.stats.searchable,
        pages.len()
    );

    // The text is folded; titles are kept as written; filters carry section, tags, categories.
    let restart = &pages["/sop/server-restart/"];
    assert!(
        restart.content.contains("サーバーを再起動"),
        "{}",
        restart.content
    );
    let sla = &pages["/sla/definitions/"];
    assert_eq!(sla.meta["title"], "ＳＬＡ定義");
    assert!(sla.content.contains("SLA定義"), "{}", sla.content);
    let incident = &pages["/sop/incident-response/"];
    assert_eq!(incident.filters["section"], vec!["手順書"]);
    assert_eq!(incident.filters["tags"], vec!["障害", "DB"]); // as written
    assert_eq!(incident.filters["categories"], vec!["手順"]);
    assert_eq!(incident.meta["section"], "手順書");
    // Navigation, reading time and the previous/next links are not part of a page's text.
    assert!(
        !incident.content.contains("ランブック"),
        "{}",
        incident.content
    );
    assert!(!incident.content.contains("分"), "{}", incident.content);

    let week = &pages["/reports/weekly/2026-W47/"];
    // A reader finds a week by its days as the page writes them (ids stay in addresses).
    assert!(
        week.content.contains("2026年11月16日〜11月22日"),
        "{}",
        week.content
    );
    assert!(week.content.contains("稼働率"), "{}", week.content);
    assert_eq!(week.filters["section"], vec!["レポート"]);
}

#[test]
fn every_page_has_the_search_box_and_the_search_page_its_filters() {
    let site = TestSite::fixture("search-site");
    let r = site.build();
    let page = file(&r, "sop/incident-response/index.html");
    assert!(
        // The fixture has relative URLs: the box works from any depth and from a file share.
        page.contains("<form class=\"site-search\" action=\"../../search/index.html\""),
        "{page}"
    );
    let search = file(&r, "search/index.html");
    assert!(search.contains("id=\"search-results\""));
    for filter in ["section", "tags", "categories"] {
        assert!(
            search.contains(&format!("data-filter=\"{filter}\"")),
            "{filter}"
        );
    }
    assert!(search.contains("<script src=\"../js/search.js\""));
    // Opened as a file where the script cannot load, the page still says why search is missing.
    assert!(search.contains("onerror=\"var s=document.getElementById('search-status');s.textContent=s.dataset.needsServer\""));
    assert!(has_file(&r, "js/search.js"));
    assert!(has_file(&r, "pagefind/pagefind.js"));
    assert!(r.files.iter().any(|f| f.path.starts_with("pagefind/wasm.")));
    // Pagefind's ready-made interfaces are not written: the site has its own page.
    assert!(!has_file(&r, "pagefind/pagefind-ui.js"));
    // Nothing the search needs comes from elsewhere.
    for f in r
        .files
        .iter()
        .filter(|f| f.path.ends_with(".js") && f.path.starts_with("pagefind/"))
    {
        let text = String::from_utf8_lossy(file_bytes(&r, &f.path));
        assert!(
            !text.contains("https://cdn") && !text.contains("unpkg.com"),
            "{}",
            f.path
        );
    }
}

#[test]
fn an_english_site_gets_an_english_index_and_labels() {
    let site = TestSite::new(&[
        ("site.yaml", "title: Support\nlanguage: en\n"),
        (
            "content/guides/reset.md",
            "---\ntitle: Resetting passwords\n---\nCustomers reset passwords from the portal.\n",
        ),
    ]);
    let r = site.build();
    assert!(entry(&r)["languages"]["en"].is_object(), "{}", entry(&r));
    assert!(indexed(&r).contains_key("/guides/reset/"));
    assert!(file(&r, "search/index.html").contains("placeholder=\"Search this site\""));
}

#[test]
fn short_pages_share_fragment_files_and_a_long_page_has_its_own() {
    // A result shown reads its whole fragment file: a long page in a file with short ones
    // would make each of their results cost what it costs.
    let long = "障害対応の手順を確認し、サーバーを再起動します。\n\n".repeat(4_000);
    let mut files: Vec<(String, String)> = (1..=20)
        .map(|i| {
            (
                format!("content/a/p{i:02}.md"),
                format!("---\ntitle: 短い{i}\n---\n本文{i}\n"),
            )
        })
        .collect();
    files.push((
        "content/a/p10b.md".into(),
        format!("---\ntitle: 長い\n---\n{long}"),
    ));
    files.push(("site.yaml".into(), "title: t\nlanguage: ja\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let r = TestSite::new(&refs).build();
    let groups: Vec<BTreeMap<String, Fragment>> = r
        .files
        .iter()
        .filter(|f| f.path.starts_with("pagefind/fragment/"))
        .map(|f| {
            let raw = gunzip(file_bytes(&r, &f.path));
            serde_json::from_slice(raw.strip_prefix(b"pagefind_dcd").unwrap()).unwrap()
        })
        .collect();
    let urls: Vec<&str> = groups
        .iter()
        .flat_map(|g| g.values().map(|f| f.url.as_str()))
        .collect();
    for i in 1..=20 {
        let want = format!("/a/p{i:02}/");
        assert_eq!(
            urls.iter().filter(|u| **u == want).count(),
            1,
            "{want} in {urls:?}"
        );
    }
    assert!(
        groups.len() <= 5,
        "{} files for {} pages",
        groups.len(),
        urls.len()
    );
    let with_long = groups
        .iter()
        .find(|g| g.values().any(|f| f.url == "/a/p10b/"))
        .unwrap();
    assert_eq!(with_long.len(), 1, "the long page has a file of its own");
}

#[test]
fn search_false_in_site_yaml_writes_no_index_no_page_and_no_box() {
    let site = TestSite::fixture("search-site");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}search: false\n"));
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert!(!r.files.iter().any(|f| f.path.starts_with("pagefind/")));
    assert!(!has_file(&r, "search/index.html"));
    assert!(!has_file(&r, "js/search.js"));
    assert!(!file(&r, "sop/incident-response/index.html").contains("site-search"));
    assert_eq!(r.stats.searchable, 0);

    site.write("site.yaml", &format!("{yaml}search: maybe\n"));
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("site.yaml:") && err.contains("search"),
        "{err}"
    );
}

#[test]
fn a_taxonomy_named_like_the_search_pages_own_parameters_is_refused_at_its_line() {
    // Its filter would rewrite the query (`?q=term`) or join the section filter.
    for name in ["q", "section"] {
        let site = TestSite::new(&[
            (
                "site.yaml",
                &format!("title: t\ntaxonomies:\n  tag: tags\n  x: {name}\n"),
            ),
            ("content/a.md", "---\ntitle: A\n---\ntext\n"),
        ]);
        let out = site.run(&["build"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{err}");
        assert!(
            err.contains("site.yaml:2:") && err.contains(&format!("`{name}`")),
            "{err}"
        );
    }
}

#[test]
fn a_page_of_the_site_at_search_wins_over_the_generated_one() {
    let site = TestSite::new(&[
        (
            "content/search.md",
            "---\ntitle: 検索のヒント\n---\n自前の検索ページ。\n",
        ),
        ("content/a.md", "---\ntitle: A\n---\ntext\n"),
    ]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert!(file(&r, "search/index.html").contains("自前の検索ページ"));
}

#[test]
fn the_index_is_the_same_bytes_every_build() {
    let site = TestSite::fixture("search-site");
    let a = site.build();
    let b = site.build();
    let files = |r: &BuildResult| -> Vec<(String, Vec<u8>)> {
        r.files
            .iter()
            .filter(|f| f.path.starts_with("pagefind/"))
            .map(|f| (f.path.clone(), file_bytes(r, &f.path).to_vec()))
            .collect()
    };
    let (fa, fb) = (files(&a), files(&b));
    assert!(fa.len() > 5);
    assert_eq!(
        fa.iter().map(|f| &f.0).collect::<Vec<_>>(),
        fb.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (x, y) in fa.iter().zip(&fb) {
        assert!(x.1 == y.1, "{} differs between two builds", x.0);
    }
}

#[test]
fn a_sharded_index_holds_the_same_pages_and_lists_its_shards() {
    use opsite::search::bundle::{pagefind_documents as pagefind_files, ShardStore};
    let site = TestSite::fixture("search-site");
    let docs = search_documents(&site);
    let none = ShardStore::default();
    let whole = pagefind_files(docs.clone(), 2500, &none).unwrap().files;
    let sharded = pagefind_files(docs, 4, &none).unwrap().files;
    let one = fragments(&whole);
    let many = fragments(&sharded);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    let list = |files: &[OutputFile]| -> Vec<String> {
        let f = files
            .iter()
            .find(|f| f.path == "pagefind/opsite-shards.json")
            .unwrap();
        let OutputContent::Bytes(b) = &f.content else {
            panic!()
        };
        serde_json::from_slice(b).unwrap()
    };
    assert!(list(&whole).is_empty());
    let shards = list(&sharded);
    assert!(shards.len() >= 2, "{shards:?}");
    for dir in &shards {
        let entry = format!("pagefind/{dir}pagefind-entry.json");
        assert!(sharded.iter().any(|f| f.path == entry), "{entry}");
    }
}

/// A rebuild indexes again only the shard of the page that changed; the index it writes is the
/// one a build without the previous shards writes, byte for byte.
#[test]
fn an_edit_indexes_its_own_shard_again_and_the_result_is_what_a_cold_build_makes() {
    use opsite::search::bundle::{pagefind_documents as pagefind_files, ShardStore};
    let site = TestSite::fixture("search-site");
    let docs = search_documents(&site);
    let first = pagefind_files(docs.clone(), 3, &ShardStore::default()).unwrap();
    let count = first.indexed;
    assert!(count >= 3, "{count} shards");
    let again = pagefind_files(docs.clone(), 3, &first.used).unwrap();
    assert_eq!((again.reused, again.indexed), (count, 0));
    let mut edited = docs;
    let at = edited.len() / 2;
    edited[at].html = edited[at]
        .html
        .replace("</body>", "<p>追記した手順</p></body>");
    assert_ne!(
        edited[at],
        search_documents(&site)[at],
        "the page was edited"
    );
    let warm = pagefind_files(edited.clone(), 3, &first.used).unwrap();
    assert_eq!((warm.reused, warm.indexed), (count - 1, 1));
    let cold = pagefind_files(edited, 3, &ShardStore::default()).unwrap();
    let bytes = |files: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|f| match &f.content {
                OutputContent::Bytes(b) => (f.path.clone(), b.to_vec()),
                _ => panic!("{} is not generated", f.path),
            })
            .collect()
    };
    assert!(
        bytes(&warm.files) == bytes(&cold.files),
        "warm and cold indexes differ"
    );
    assert!(fragments(&warm.files)[&search_documents(&site)[at].url]
        .content
        .contains("追記した手順"));
}

/// The index reads each page's own text, whatever the templates put around it: a site whose
/// page template has no `<main>` and writes words of its own beside the body is indexed with the
/// body and without those words; report pages are indexed from their body.
#[test]
fn the_index_holds_each_pages_own_text_whatever_the_template_writes_around_it() {
    let site = TestSite::fixture("search-site");
    site.write(
        "templates/page.html",
        "<html><body><div>テンプレート専用の語</div>{{ page.content | safe }}</body></html>",
    );
    let docs = search_documents(&site);
    let page = docs
        .iter()
        .find(|d| d.url == "/sop/incident-response/")
        .expect("the page is indexed");
    assert!(page.html.contains("<h1>"), "{}", page.html);
    assert!(!docs.iter().any(|d| d.html.contains("テンプレート専用の語")));
    let report = docs
        .iter()
        .find(|d| d.url.starts_with("/reports/"))
        .expect("a report page is indexed");
    assert!(report.html.contains("<article"), "{}", report.html);
    // A title taken from the page's own heading keeps its id, as the page shows it: the index
    // links to it like to any other heading.
    let docs = search_documents(&TestSite::fixture("mkdocs-tree"));
    let patroni = docs
        .iter()
        .find(|d| d.url == "/runbooks/patroni/")
        .expect("the page is indexed");
    assert!(
        patroni
            .html
            .contains("<h1 id=\"patroni-service\">Patroni Service</h1>"),
        "{}",
        patroni.html
    );
}

/// The documents the search stage makes of `site`, built in memory on 2026-11-22.
fn search_documents(site: &TestSite) -> Vec<opsite::search::docs::Document> {
    let (sources, _) = opsite::site::sources::load(site.root()).unwrap();
    let opts = opsite::site::BuildOptions {
        include_drafts: false,
        base_url: None,
        damage_is_error: false,
        now: opsite::content::front_matter::parse_date("2026-11-22T00:00:00Z").unwrap(),
        freeze_due: false,
        search_index: true,
        index_older_versions: false,
        edition: None,
    };
    let built = opsite::site::build_all(&sources, &opts, &Default::default());
    built.with_search_input(opsite::search::documents)
}

/// The file-share index a build writes: the pages it lists (site path → text).
fn file_share_index(r: &BuildResult) -> Option<BTreeMap<String, serde_json::Value>> {
    let f = r
        .files
        .iter()
        .find(|f| f.path == "pagefind/opsite-offline.js")?;
    let OutputContent::Bytes(b) = &f.content else {
        panic!("generated")
    };
    let js = String::from_utf8(b.to_vec()).unwrap();
    let json = js
        .strip_prefix("window.opsiteOfflineIndex = ")
        .and_then(|j| j.trim_end().strip_suffix(';'))
        .expect("one assignment");
    let pages: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    Some(
        pages
            .into_iter()
            .map(|p| (p["u"].as_str().unwrap().to_string(), p))
            .collect(),
    )
}

#[test]
fn the_file_share_index_holds_the_same_pages_as_the_index_and_only_when_asked() {
    let site = TestSite::fixture("search-site");
    let off = site.build();
    assert!(
        file_share_index(&off).is_none(),
        "written without search_file_share"
    );
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}search_file_share: true\n"));
    let on = site.build();
    assert_eq!(on.diagnostics.error_count(), 0, "{:?}", messages(&on));
    let offline = file_share_index(&on).expect("the file-share index");
    let pagefind = indexed(&on);
    assert_eq!(
        offline.keys().collect::<Vec<_>>(),
        pagefind.keys().collect::<Vec<_>>(),
        "the same pages as Pagefind's index (drafts and search: false left out alike)"
    );
    // Folded as the index is: ＳＬＡ is SLA, ｻｰﾊﾞｰ is サーバー; the downloads' links are not text.
    let text: String = offline.values().map(|p| p["x"].as_str().unwrap()).collect();
    assert!(!text.contains('Ｓ') && !text.contains('ｻ'), "widths folded");
    assert!(!text.contains("Excel"), "a download link in the text");
    // The title as the page writes it (it is shown), its text folded (it is searched).
    let sla = &offline["/sla/definitions/"];
    assert_eq!(sla["t"], "ＳＬＡ定義");
    assert!(sla["x"].as_str().unwrap().starts_with("SLA定義"), "{sla}");
    assert_eq!(sla["f"]["tags"][0], "契約", "filter terms");
}

#[test]
fn a_file_share_index_over_its_limit_is_an_error_saying_what_to_do() {
    let site = TestSite::fixture("search-site");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}search_file_share: true\n"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("OPSITE_FILE_SHARE_LIMIT_KB", "4")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("search_file_share: the file-share index would be")
            && err.contains("over its limit of 4 KiB")
            && err.contains("search: false"),
        "{err}"
    );
    assert!(!site.root().join("output").exists());
}

/// The build keeps its search shards under `.opsite/`; the preview keys its pages the same way,
/// so it starts from them instead of indexing the site again.
#[test]
fn the_preview_starts_from_the_search_shards_the_build_kept() {
    let site = crate::serve::preview_site();
    let built = site.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(built.status.success(), "{}", crate::support::stderr(&built));
    let p = crate::serve::Preview::start(&site, &[]);
    let mut said = String::new();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !said.contains("search index:") && std::time::Instant::now() < until {
        said.push_str(&p.stderr_with("search index:"));
    }
    let line = said
        .lines()
        .find(|l| l.starts_with("search index:"))
        .unwrap_or_else(|| panic!("no index line in:\n{said}"));
    assert!(line.contains("(0 of "), "the preview indexed again: {line}");
}

/// One page's raw HTML with `data-pagefind-body` (which tells Pagefind to index only pages that
/// have it) leaves every other page in the index, its own text with them.
#[test]
fn a_body_mark_in_one_pages_html_keeps_every_other_page_in_the_index() {
    let site = TestSite::fixture("search-site");
    let before: Vec<String> = indexed(&site.build_with(false, false))
        .into_keys()
        .collect();
    site.write(
        "content/faq/body-mark.md",
        "---\ntitle: 本文印\n---\n前 <div data-pagefind-body>本文だけの語</div>\n",
    );
    let r = site.build_with(false, false);
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let pages = indexed(&r);
    for url in &before {
        assert!(pages.contains_key(url), "{url} left the index");
    }
    assert!(pages["/faq/body-mark/"].content.contains("本文だけの語"));
}
