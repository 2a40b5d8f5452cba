//! Runbooks by alert: `alerts:` in a runbook's front matter gives each alert a stable address
//! redirecting to it, an index page and `runbooks.json`; `opsite check` compares them with
//! Prometheus rules files.

use crate::support::*;

fn site() -> TestSite {
    TestSite::new(&[
        (
            "site.yaml",
            "title: 運用\nbase_url: https://ops.example.jp/\nalerts:\n  rules_files: [rules/*.yaml]\n",
        ),
        ("content/runbooks/_index.md", "---\ntitle: ランブック\n---\n"),
        (
            "content/runbooks/disk.md",
            "---\ntitle: ディスク逼迫\nalerts: [DiskFull, NodeDiskPressure]\n---\n手順\n",
        ),
        (
            "content/runbooks/pod.md",
            "---\ntitle: Pod 再起動ループ\nalerts: [KubePodCrashLooping]\n---\n手順\n",
        ),
        (
            "rules/node.yaml",
            "groups:\n  - name: node\n    rules:\n      - record: job:up:sum\n        expr: sum(up)\n      - alert: DiskFull\n        expr: disk > 0.9\n      - alert: NodeDown\n        expr: up == 0\n      - alert: KubePodCrashLooping\n        expr: x\n        annotations:\n          runbook_url: https://ops.example.jp/runbooks/alerts/KubePodCrashLooping/\n",
        ),
    ])
}

#[test]
fn each_alert_has_an_address_that_keeps_its_case_and_leads_to_its_runbook() {
    let r = site().build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let redirect = file(&r, "runbooks/alerts/DiskFull/index.html");
    assert!(redirect.contains("url=/runbooks/disk/"), "{redirect}");
    assert!(!has_file(&r, "runbooks/alerts/diskfull/index.html"));
    let index = file(&r, "runbooks/alerts/index.html");
    let rows: Vec<&str> = index
        .match_indices("<th scope=\"row\"><code>")
        .map(|(i, m)| {
            let rest = &index[i + m.len()..];
            &rest[..rest.find('<').unwrap()]
        })
        .collect();
    assert_eq!(
        rows,
        ["DiskFull", "KubePodCrashLooping", "NodeDiskPressure"]
    );
    assert!(
        index.contains("<a href=\"/runbooks/pod/\">Pod 再起動ループ</a>"),
        "{index}"
    );
    let json: serde_json::Value = serde_json::from_str(file(&r, "runbooks.json")).unwrap();
    assert_eq!(json["alerts"][0]["alert"], "DiskFull");
    assert_eq!(
        json["alerts"][0]["url"],
        "https://ops.example.jp/runbooks/disk/"
    );
    assert_eq!(
        json["alerts"][0]["address"],
        "https://ops.example.jp/runbooks/alerts/DiskFull/"
    );
    assert!(file(&r, "sitemap.xml").contains("https://ops.example.jp/runbooks/alerts/</loc>"));
}

#[test]
fn two_runbooks_answering_one_alert_is_an_error_naming_both() {
    let s = site();
    s.write(
        "content/runbooks/pod.md",
        "---\ntitle: Pod\nalerts: [KubePodCrashLooping, DiskFull]\n---\n",
    );
    s.write(
        "content/runbooks/odd.md",
        "---\ntitle: Odd\nalerts: [\"a/b\"]\n---\n",
    );
    let m = messages(&s.build());
    assert!(
        m.iter().any(|m| m == "content/runbooks/pod.md: error: alerts: DiskFull is also answered by content/runbooks/disk.md; one alert has one runbook (its address redirects there)"),
        "{m:?}"
    );
    assert!(
        m.iter().any(|m| m.starts_with(
            "content/runbooks/odd.md:3:9: error: alerts: `a/b` cannot be part of an address"
        )),
        "{m:?}"
    );
    assert!(
        !m.iter().any(|m| m.contains("alias")),
        "no second message as a shared alias: {m:?}"
    );
}

#[test]
fn check_compares_the_rules_files_with_the_runbooks_and_never_edits_them() {
    let s = site();
    let before = std::fs::read(s.root().join("rules/node.yaml")).unwrap();
    let out = s.run(&["check"]);
    let err = stderr(&out) + &stdout(&out);
    assert!(err.contains("rules/node.yaml:6: warning: alert DiskFull has no runbook_url annotation; add to its annotations: runbook_url: \"https://ops.example.jp/runbooks/alerts/DiskFull/\""), "{err}");
    assert!(
        err.contains(
            "runbook_url: \"https://ops.example.jp/runbooks/alerts/{{ $labels.alertname }}/\""
        ),
        "{err}"
    );
    assert!(
        err.contains("rules/node.yaml:8: warning: alert NodeDown has no runbook"),
        "{err}"
    );
    assert!(err.contains("content/runbooks/disk.md: warning: alerts: NodeDiskPressure is defined by no alerting rule"), "{err}");
    assert!(
        !err.contains("KubePodCrashLooping has no"),
        "it has both: {err}"
    );
    assert_eq!(
        std::fs::read(s.root().join("rules/node.yaml")).unwrap(),
        before
    );
    // A file that is not a rules file is an error at its line.
    s.write("rules/bad.yaml", "alerts: [\n");
    let out = s.run(&["check"]);
    assert!(
        stderr(&out).contains("rules/bad.yaml:2") || stdout(&out).contains("rules/bad.yaml:2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_index_can_be_turned_off() {
    let s = site();
    s.edit_config(|y| y.replace("alerts:\n", "alerts:\n  index: false\n"));
    let r = s.build();
    assert!(!has_file(&r, "runbooks/alerts/index.html") && !has_file(&r, "runbooks.json"));
    // The addresses stay: alerting rules point at them.
    assert!(has_file(&r, "runbooks/alerts/DiskFull/index.html"));
}
