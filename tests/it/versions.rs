//! Versioned documentation: versions from a folder and from a git ref, the switcher and the
//! older-version banner, each version's own navigation, search and links, what stays
//! unversioned (sitemap, reports, theme files).

use std::process::Command;

use crate::support::*;

const DAILY_V2: &str = "---\ntitle: 日次点検\n---\n## 手順\n\n新しい日次点検。\n";
const DAILY_V1: &str = "---\ntitle: 日次点検\n---\n## 手順\n\n旧バージョンの日次点検。[FAQ](/faq/)、[よくある質問](../faq.md#vpn)、[新手順](/sop/new-only/)。\n";

fn git(root: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.jp"])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// v2 (content/), v1 (a folder) and v0 (content/ as tagged `v0.9` in the test's own repository).
fn three_versions(relative_urls: bool) -> TestSite {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: 運用\nmenus:\n  main:\n    - {name: ホーム, url: /, weight: 1}\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: ホーム\n---\nv0 のホーム。\n",
        ),
        (
            "content/faq.md",
            "---\ntitle: FAQ\n---\n## VPN {#vpn}\n\nv0 の FAQ。\n",
        ),
        (
            "content/sop/daily.md",
            "---\ntitle: 日次点検\n---\nv0 の点検。\n",
        ),
        (
            "content/img/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let root = site.root();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "v0.9"]);
    git(root, &["tag", "v0.9"]);
    // After the tag: the site as it is now.
    site.write(
        "content/_index.md",
        "---\ntitle: ホーム\n---\nv2 のホーム。\n",
    );
    site.write(
        "content/faq.md",
        "---\ntitle: FAQ\n---\n## VPN {#vpn}\n\nv2 の FAQ。\n",
    );
    site.write("content/sop/daily.md", DAILY_V2);
    site.write(
        "content/sop/new-only.md",
        "---\ntitle: 新しい手順\n---\nv2 にだけある手順。新機能ゼブラ。\n",
    );
    site.write(
        "versions/v1/content/_index.md",
        "---\ntitle: ホーム\n---\nv1 のホーム。\n",
    );
    site.write(
        "versions/v1/content/faq.md",
        "---\ntitle: FAQ\n---\n## VPN {#vpn}\n\nv1 の FAQ。旧機能キリン。\n",
    );
    site.write("versions/v1/content/sop/daily.md", DAILY_V1);
    site.write(
        "site.yaml",
        &format!(
            "title: 運用\nbase_url: https://ops.example.jp/portal/\nrelative_urls: {relative_urls}\nmenus:\n  main:\n    - {{name: ホーム, url: /, weight: 1}}\n    - {{name: 外部, url: /status/, weight: 2}}\nversions:\n  - {{name: v2}}\n  - {{name: v1, path: versions/v1/content}}\n  - {{name: v0, git: v0.9}}\n"
        ),
    );
    site
}

/// The `href` of the switcher entry for `version` on a page.
fn switcher_href(html: &str, version: &str) -> String {
    let list = &html[html.find("version-switcher").expect("a switcher")..];
    let list = &list[list.find("<ul>").unwrap()..];
    let end = list
        .find(&format!(">{version}<"))
        .or_else(|| list.find(&format!(">{version} <")))
        .unwrap_or_else(|| panic!("no {version} in the switcher"));
    let start = list[..end].rfind("href=\"").unwrap() + 6;
    list[start..].split('"').next().unwrap().to_string()
}

#[test]
fn versions_come_from_a_folder_and_from_a_git_ref_without_touching_the_working_tree() {
    let site = three_versions(false);
    let head = git(site.root(), &["rev-parse", "HEAD"]);
    let status = git(site.root(), &["status", "--porcelain"]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert!(file(&r, "index.html").contains("v2 のホーム"));
    assert!(file(&r, "v/v1/index.html").contains("v1 のホーム"));
    // The git version is the tagged content, not today's.
    assert!(file(&r, "v/v0/index.html").contains("v0 のホーム"));
    assert!(file(&r, "v/v0/sop/daily/index.html").contains("v0 の点検"));
    assert!(!has_file(&r, "v/v0/sop/new-only/index.html"));
    // An asset of a git version is read from the ref.
    let svg = r
        .files
        .iter()
        .find(|f| f.path == "v/v0/img/diagram.svg")
        .expect("asset");
    match &svg.content {
        opsite::site::output::OutputContent::Asset(opsite::render::AssetSource::Shared(b)) => {
            assert!(b.starts_with(b"<svg"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(git(site.root(), &["rev-parse", "HEAD"]), head);
    assert_eq!(git(site.root(), &["status", "--porcelain"]), status);
    // Theme files, the 404 page, feeds and the sitemap are written once, at the root.
    assert!(has_file(&r, "css/opsite.css"));
    assert!(!r
        .files
        .iter()
        .any(|f| f.path.starts_with("v/") && f.path.ends_with(".css")));
    assert!(!has_file(&r, "v/v1/404.html"));
    let sitemap = file(&r, "sitemap.xml");
    assert!(sitemap.contains("https://ops.example.jp/portal/sop/daily/"));
    assert!(
        !sitemap.contains("/v/"),
        "the sitemap lists the latest only"
    );
}

#[test]
fn the_switcher_goes_to_the_same_page_or_to_that_versions_home() {
    let site = three_versions(false);
    let r = site.build();
    let daily_v2 = file(&r, "sop/daily/index.html");
    assert_eq!(switcher_href(daily_v2, "v1"), "/portal/v/v1/sop/daily/");
    assert_eq!(switcher_href(daily_v2, "v0"), "/portal/v/v0/sop/daily/");
    let only_v2 = file(&r, "sop/new-only/index.html");
    assert_eq!(switcher_href(only_v2, "v1"), "/portal/v/v1/");
    assert_eq!(switcher_href(only_v2, "v2"), "/portal/sop/new-only/");
    let faq_v1 = file(&r, "v/v1/faq/index.html");
    assert_eq!(switcher_href(faq_v1, "v2"), "/portal/faq/");
    assert_eq!(switcher_href(faq_v1, "v0"), "/portal/v/v0/faq/");
    // Term pages and search pages have their counterparts too.
    assert!(!file(&r, "v/v1/search/index.html").contains("opsite-version:"));
}

#[test]
fn older_versions_carry_a_banner_pointing_at_the_same_page_in_the_latest() {
    let site = three_versions(false);
    let r = site.build();
    let faq_v1 = file(&r, "v/v1/faq/index.html");
    let banner = &faq_v1[faq_v1.find("version-banner").expect("a banner")..];
    let banner = &banner[..banner.find("</p>").unwrap()];
    assert!(
        banner.contains("古いバージョン（v1）のページです。"),
        "{banner}"
    );
    assert!(
        banner.contains("最新版（v2）のこのページを見る"),
        "{banner}"
    );
    assert!(banner.contains("href=\"/portal/faq/\""), "{banner}");
    assert!(!file(&r, "faq/index.html").contains("version-banner"));
    assert!(file(&r, "faq/index.html").contains("version-switcher"));
}

#[test]
fn each_version_has_its_own_navigation_links_and_search() {
    let site = three_versions(false);
    let r = site.build();
    let daily_v1 = file(&r, "v/v1/sop/daily/index.html");
    let nav = &daily_v1
        [daily_v1.find("class=\"sidebar\"").unwrap()..daily_v1.find("id=\"content\"").unwrap()];
    assert!(nav.contains("/portal/v/v1/faq/"), "{nav}");
    assert!(
        !nav.contains("new-only"),
        "v1's navigation lists v1's pages: {nav}"
    );
    // The home menu entry goes to the version's home; one that is not a page stays as written.
    assert!(
        daily_v1.contains("href=\"/portal/v/v1/\"><span>ホーム"),
        "menu"
    );
    assert!(daily_v1.contains("href=\"/portal/status/\""));
    // Links written from the site root and to files stay in the version; `/sop/new-only/` has no
    // page in v1 and goes to the latest's.
    assert!(daily_v1.contains("href=\"/portal/v/v1/faq/\">FAQ"));
    assert!(daily_v1.contains("href=\"/portal/v/v1/faq/#vpn\">よくある質問"));
    assert!(daily_v1.contains("href=\"/portal/sop/new-only/\">新手順"));
    assert!(daily_v1.contains("action=\"/portal/v/v1/search/\""));
    // Each version's index holds its own pages, with addresses inside the version.
    let v1_index: Vec<&str> = r
        .files
        .iter()
        .filter(|f| f.path.starts_with("v/v1/pagefind/fragment/"))
        .map(|f| f.path.as_str())
        .collect();
    assert!(!v1_index.is_empty());
    assert!(has_file(&r, "v/v1/pagefind/pagefind.js"));
    assert!(has_file(&r, "v/v0/pagefind/pagefind-entry.json"));
    let counts = |dir: &str| -> usize {
        let entry: serde_json::Value =
            serde_json::from_slice(file_bytes(&r, &format!("{dir}pagefind-entry.json"))).unwrap();
        entry["languages"]
            .as_object()
            .unwrap()
            .values()
            .map(|l| l["page_count"].as_u64().unwrap() as usize)
            .sum()
    };
    // v2 has one page more than v1 (new-only).
    assert_eq!(counts("pagefind/"), counts("v/v1/pagefind/") + 1);
    let text_of = |prefix: &str| -> String {
        use std::io::Read;
        r.files
            .iter()
            .filter(|f| f.path.starts_with(prefix) && f.path.contains("/fragment/"))
            .map(|f| {
                let mut out = String::new();
                flate2::read::GzDecoder::new(file_bytes(&r, &f.path))
                    .read_to_string(&mut out)
                    .unwrap();
                out.replace('\u{200B}', "")
            })
            .collect()
    };
    let v1_text = text_of("v/v1/pagefind/");
    assert!(v1_text.contains("キリン") && !v1_text.contains("ゼブラ"));
    assert!(
        v1_text.contains("\"url\":\"/faq/\""),
        "addresses inside the version"
    );
    let v2_text = text_of("pagefind/");
    assert!(v2_text.contains("ゼブラ") && !v2_text.contains("キリン"));
}

#[test]
fn relative_urls_work_across_versions() {
    let site = three_versions(true);
    let r = site.build();
    let daily_v1 = file(&r, "v/v1/sop/daily/index.html");
    assert_eq!(
        switcher_href(daily_v1, "v2"),
        "../../../../sop/daily/index.html"
    );
    assert_eq!(
        switcher_href(daily_v1, "v0"),
        "../../../v0/sop/daily/index.html"
    );
    assert!(daily_v1.contains("href=\"../../../../css/opsite.css\""));
    assert!(daily_v1.contains("href=\"../../faq/index.html\">FAQ"));
    assert!(daily_v1.contains("href=\"../../../../sop/new-only/index.html\">新手順"));
    let only = file(&r, "sop/new-only/index.html");
    assert_eq!(switcher_href(only, "v1"), "../../v/v1/index.html");
}

#[test]
fn links_are_checked_within_and_across_versions() {
    let site = three_versions(false);
    site.write(
        "versions/v1/content/sop/broken.md",
        "---\ntitle: 壊れたリンク\n---\n[a](/sop/new-only/#nowhere) [b](../faq.md#missing) [c](/v/v0/faq/) [d](/v/v0/faq/#none)\n",
    );
    let r = site.build_with(false, true);
    let m = messages(&r);
    let on = |needle: &str| {
        m.iter()
            .any(|l| l.contains("versions/v1/content/sop/broken.md:4") && l.contains(needle))
    };
    assert!(on("#nowhere"), "{m:?}");
    assert!(on("#missing"), "{m:?}");
    assert!(on("#none"), "{m:?}");
    assert!(!m.iter().any(|l| l.contains("`/v/v0/faq/`")), "{m:?}");
    assert_eq!(
        m.iter().filter(|l| l.contains("broken.md")).count(),
        3,
        "{m:?}"
    );
}

#[test]
fn reports_are_not_versioned() {
    let site = TestSite::fixture("search-site");
    site.write(
        "versions/v1/content/_index.md",
        "---\ntitle: 旧ホーム\n---\n旧版。\n",
    );
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!(
            "{yaml}\nversions:\n  - {{name: v2}}\n  - {{name: v1, path: versions/v1/content}}\n"
        ),
    );
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    assert!(r
        .files
        .iter()
        .any(|f| f.path.starts_with("reports/weekly/")));
    assert!(!r.files.iter().any(|f| f.path.starts_with("v/v1/reports/")));
    assert!(has_file(&r, "v/v1/index.html"));
}

#[test]
fn version_mistakes_are_located_errors_and_keep_the_old_output() {
    let site = three_versions(false);
    let ok = site.run(&["build"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = std::fs::read(site.root().join("output/v/v1/faq/index.html")).unwrap();

    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &yaml.replace("v0.9", "v0.8"));
    let o = site.run(&["build"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("site.yaml:") && err.contains("v0.8"), "{err}");
    assert_eq!(
        std::fs::read(site.root().join("output/v/v1/faq/index.html")).unwrap(),
        before
    );

    site.write(
        "site.yaml",
        &yaml.replace("versions/v1/content", "versions/v9/content"),
    );
    let err = stderr(&site.run(&["build"]));
    assert!(err.contains("versions/v9/content does not exist"), "{err}");

    site.write(
        "site.yaml",
        &yaml.replace("{name: v0, git: v0.9}", "{name: v1, git: v0.9}"),
    );
    let err = stderr(&site.run(&["build"]));
    assert!(
        err.contains("site.yaml:11:3") && err.contains("listed twice"),
        "{err}"
    );
}

#[test]
fn a_broken_link_in_an_older_version_names_the_file_in_that_version() {
    let site = three_versions(false);
    site.write(
        "versions/v1/content/sop/gone.md",
        "---\ntitle: 消えたリンク\n---\n[x](removed.md)\n",
    );
    let m = messages(&site.build());
    assert!(
        m.iter()
            .any(|l| l.starts_with("versions/v1/content/sop/gone.md:4:")
                && l.contains("(versions/v1/content/sop/removed.md)")),
        "{m:?}"
    );
}

#[test]
fn the_banner_says_when_the_latest_has_no_such_page() {
    let site = three_versions(false);
    site.write(
        "versions/v1/content/sop/retired.md",
        "---\ntitle: 廃止手順\n---\nv1 だけ。\n",
    );
    let r = site.build();
    let html = file(&r, "v/v1/sop/retired/index.html");
    let banner = &html[html.find("version-banner").unwrap()..];
    let banner = &banner[..banner.find("</p>").unwrap()];
    assert!(banner.contains("href=\"/portal/\""), "{banner}");
    assert!(banner.contains("最新版（v2）にはありません"), "{banner}");
    // The sidebar's and the title's home links stay in the version.
    assert!(html.contains("class=\"nav-home\" href=\"/portal/v/v1/\""));
    assert!(html.contains("class=\"site-title\" href=\"/portal/v/v1/\""));
}

#[test]
fn a_mistyped_key_in_a_version_entry_stops_the_build() {
    let site = three_versions(false);
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace("{name: v1, path:", "{name: v1, pth:"),
    );
    let o = site.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("site.yaml:10:16:") && err.contains("versions[1].pth (did you mean path?)"),
        "{err}"
    );
    // Without its path, v1 would read content/ as v2 does: that is named too.
    site.write(
        "site.yaml",
        &yaml.replace("{name: v1, path: versions/v1/content}", "{name: v1}"),
    );
    let err = stderr(&site.run(&["build"]));
    assert!(err.contains("reads the same content as `v2`"), "{err}");
}
