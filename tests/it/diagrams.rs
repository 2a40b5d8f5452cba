//! Mermaid fences drawn as inline SVG at build time: labels kept as text and for screen readers,
//! hostile labels inert, what cannot be drawn shown as code with a warning at its line, and a
//! shipped mermaid script told it is no longer needed.

use crate::support::*;

const RUNBOOK: &str = "---\ntitle: 障害対応\n---\n## 流れ\n\n```mermaid\nflowchart TD\n    A[アラート受信] --> B{重大度?}\n    B -->|P1| C[当番に電話]\n```\n\n```mermaid\nsequenceDiagram\n    participant U as 利用者\n    participant L1 as 一次受付\n    U->>L1: 問い合わせ\n    L1-->>U: 受付番号\n```\n\n```mermaid\nstateDiagram-v2\n    [*] --> 新規\n    新規 --> 対応中\n    対応中 --> 解決済み\n```\n\n```mermaid\ngantt\n    title 移行計画\n    dateFormat YYYY-MM-DD\n    section 準備\n    棚卸し :a1, 2026-11-01, 7d\n```\n";

#[test]
fn flowchart_sequence_state_and_gantt_become_labelled_svg_with_their_text() {
    let site = TestSite::new(&[("content/runbook.md", RUNBOOK)]);
    let r = site.build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let html = file(&r, "runbook/index.html");
    assert_eq!(
        html.matches("<figure class=\"diagram\"><svg").count(),
        4,
        "{html}"
    );
    for label in [
        "アラート受信",
        "当番に電話",
        "問い合わせ",
        "対応中",
        "棚卸し",
    ] {
        assert!(
            html.contains(&format!(">{label}<")),
            "{label} as text: {html}"
        );
    }
    // Their words are each figure's caption, for screen readers and the search index.
    for kind in [
        "フローチャート：",
        "シーケンス図：",
        "状態遷移図：",
        "ガントチャート：",
    ] {
        assert!(
            html.contains(&format!("<figcaption class=\"visually-hidden\">{kind}")),
            "{kind}"
        );
    }
    // Each diagram's ids are its own: four diagrams, no id twice.
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    let figures: String = html
        .split("<figure class=\"diagram\">")
        .skip(1)
        .map(|f| &f[..f.find("</figure>").unwrap()])
        .collect();
    assert!(
        !figures.contains("<script") && !html.contains("mermaid"),
        "no script draws them"
    );
    // The same bytes on a second build.
    assert_eq!(file(&site.build(), "runbook/index.html"), html);
}

#[test]
fn hostile_labels_stay_text_and_links_out_of_a_diagram_are_dropped() {
    let page = "# X\n\n```mermaid\nflowchart LR\n    A[\"<img src=x onerror=alert(1)>\"] --> B[\"</svg><script>alert(2)</script>\"]\n    click A href \"javascript:alert(3)\"\n    click B href \"https://evil.example/\"\n```\n";
    let r = TestSite::new(&[("content/x.md", page)]).build();
    let html = file(&r, "x/index.html");
    let body = &html[html.find("<figure class=\"diagram\">").expect("drawn")..];
    let body = &body[..body.find("</figure>").unwrap()];
    assert!(
        !body.contains("<img") && !body.contains("<script") && !body.contains("javascript:"),
        "{body}"
    );
    assert!(
        !body.contains("evil.example") && !body.contains("href"),
        "{body}"
    );
    assert!(
        body.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the label is shown as written: {body}"
    );
}

#[test]
fn a_block_that_cannot_be_drawn_is_a_warning_at_its_line_and_shown_as_code() {
    let page = "---\ntitle: X\n---\n\nText.\n\n```mermaid\nflowchart TD\n    A --> \n   (((\n```\n";
    let r = TestSite::new(&[("content/x.md", page)]).build();
    let m = messages(&r);
    assert!(
        m.iter()
            .any(|m| m.starts_with("content/x.md:7: warning: mermaid: cannot draw this diagram")),
        "{m:?}"
    );
    assert!(file(&r, "x/index.html")
        .contains("<pre class=\"mermaid\"><code>flowchart TD\n    A --&gt; \n"));
}

#[test]
fn a_shipped_mermaid_script_is_told_it_is_no_longer_needed() {
    let site = TestSite::new(&[
        ("content/x.md", "# X\n"),
        ("static/js/mermaid.min.js", "/* mermaid */"),
    ]);
    let m = messages(&site.build());
    assert!(
        m.iter()
            .any(|m| m.starts_with("static/js/mermaid.min.js: warning: no longer needed")),
        "{m:?}"
    );
}
