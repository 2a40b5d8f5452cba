//! Markdown as rendered into pages: heading ids, callouts, links, shortcodes, code.

use crate::support::{file, messages, TestSite};

#[test]
fn japanese_heading_ids_anchors_and_table_of_contents() {
    let site = TestSite::new(&[(
        "content/ops.md",
        "---\ntitle: 運用\n---\n## 日次運用タスク\n\n#### システム稼働確認（所要時間：15分）\n\n## 概要\n\n## 概要\n\n### Custom {#my-id}\n\n[戻る](#日次運用タスク)\n",
    )]);
    let r = site.build_with(false, true);
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let html = file(&r, "ops/index.html");
    assert!(
        html.contains(
            r##"<h2 id="日次運用タスク">日次運用タスク<a class="anchor" href="#日次運用タスク""##
        ),
        "{html}"
    );
    assert!(html.contains(r#"id="システム稼働確認所要時間15分""#));
    assert!(html.contains(r#"id="概要""#) && html.contains(r#"id="概要-1""#));
    assert!(html.contains(r#"id="my-id""#));
    // Four h2/h3 headings: the table of contents is shown, h4 is not in it.
    assert!(html.contains(r#"<nav class="toc""#));
    assert!(html.contains(r##"<a href="#概要-1">概要</a>"##));
    assert!(!html.contains(r##"<a href="#システム稼働確認所要時間15分">"##));
}

#[test]
fn alerts_become_callouts_including_custom_words() {
    let site = TestSite::new(&[(
        "content/a.md",
        "# A\n\n> [!NOTE]\n> 注意して作業する。\n\n> [!DANGER] 危険!\n> 本番環境です。\n\n> [!NB] 単独のタイトル\n\n> ただの引用\n",
    )]);
    let html = file(&site.build(), "a/index.html").to_string();
    assert!(
        html.contains(
            r#"<div class="callout callout-note" role="note"><p class="callout-title">注記</p>"#
        ),
        "{html}"
    );
    assert!(html.contains("<p>注意して作業する。</p>"));
    assert!(html.contains(
        r#"<div class="callout callout-danger" role="note"><p class="callout-title">危険!</p>"#
    ));
    assert!(html.contains(
        r#"<div class="callout callout-nb" role="note"><p class="callout-title">単独のタイトル</p>"#
    ));
    assert!(html.contains("<blockquote>\n<p>ただの引用</p>"));
}

#[test]
fn links_to_content_files_are_rewritten_and_broken_ones_reported_with_lines() {
    let site = TestSite::new(&[
        ("content/sla/_index.md", "---\ntitle: SLA\n---\n## 連絡先\n"),
        ("content/sop/daily.md", "---\ntitle: 日次\n---\n[SLA](../sla/_index.md#連絡先)\n\n[ない](./02-cost.md)\n\n[アンカー](../sla/_index.md#ない見出し)\n\n![図](missing.png)\n"),
    ]);
    let r = site.build();
    let html = file(&r, "sop/daily/index.html");
    // pulldown-cmark percent-encodes the fragment; browsers decode it back to the heading id.
    assert!(
        html.contains(r##"<a href="/sla/#%E9%80%A3%E7%B5%A1%E5%85%88">SLA</a>"##),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="./02-cost.md">ない</a>"#),
        "broken links are left as written"
    );
    // build: warnings; check: errors, with the file's line numbers.
    let m = messages(&r);
    assert!(
        m.contains(
            &"content/sop/daily.md:6: warning: broken link `./02-cost.md`: no such content file (content/sop/02-cost.md)"
                .to_string()
        ),
        "{m:?}"
    );
    let r = site.build_with(false, true);
    let m = messages(&r);
    assert!(
        m.contains(
            &"content/sop/daily.md:6: error: broken link `./02-cost.md`: no such content file (content/sop/02-cost.md)"
                .to_string()
        ),
        "{m:?}"
    );
    assert!(
        m.iter().any(|l| l.starts_with(
            "content/sop/daily.md:8: error: broken link `../sla/_index.md#ない見出し`"
        )),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|l| l.starts_with("content/sop/daily.md:10: error: missing image `missing.png`")),
        "{m:?}"
    );
}

#[test]
fn shortcodes_known_unknown_escaped_and_multi_line() {
    let site = TestSite::new(&[
        ("templates/shortcodes/badge.html", "<span class=\"badge\">{{ args[0] }}-{{ params.level }}</span>"),
        (
            "content/s.md",
            "# S\n\n{{< badge P1 level=\"高\" >}}\n\n{{< alert color=\"warning\"\n    title=\"複数行\" >}}\n**太字**の本文\n{{< /alert >}}\n\n`{{</* badge x */>}}`\n",
        ),
    ]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let html = file(&r, "s/index.html");
    assert!(
        html.contains(r#"<span class="badge">P1-高</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<div class="callout callout-warning" role="note"><p class="callout-title">複数行</p>"#), "{html}");
    assert!(html.contains("<strong>太字</strong>"));
    assert!(
        html.contains("<code>{{&lt; badge x &gt;}}</code>"),
        "escaped shortcode printed literally: {html}"
    );
}

#[test]
fn unknown_shortcodes_fail_with_location_unless_ignored() {
    let site = TestSite::new(&[(
        "content/u.md",
        "---\ntitle: U\n---\n\ntext\n{{< mystery >}}\n",
    )]);
    let m = messages(&site.build());
    assert!(
        m.iter().any(|l| l.starts_with("content/u.md:6: error: unknown shortcode `mystery`: add a template at templates/shortcodes/mystery.html")),
        "{m:?}"
    );

    let site = TestSite::fixture("docsy-like");
    let r = site.build();
    assert!(!r.diagnostics.has_errors());
    let m = messages(&r);
    assert!(m.contains(&"content/_index.md:4: warning: shortcode `blocks/cover` is ignored (listed under shortcodes.ignore): used 1 time(s) in 1 file(s), first here".to_string()), "{m:?}");
    assert!(
        file(&r, "index.html").contains("Cover text kept."),
        "inner content of an ignored pair is rendered"
    );
}

#[test]
fn ref_shortcode_links_by_content_path_and_is_checked() {
    let site = TestSite::new(&[
        ("content/runbooks/slow.md", "# 遅い\n"),
        ("content/help.md", "# Help\n\n[手順]({{< ref \"runbooks/slow.md\" >}}) と [ない]({{< relref \"nothing.md\" >}})\n"),
    ]);
    let r = site.build();
    assert!(file(&r, "help/index.html").contains(r#"<a href="/runbooks/slow/">手順</a>"#));
    assert!(messages(&r)
        .iter()
        .any(|l| l.starts_with("content/help.md:3: error: relref: no page at `nothing.md`")));
}

#[test]
fn code_is_highlighted_at_build_time_and_mermaid_is_drawn() {
    let site = TestSite::new(&[(
        "content/c.md",
        "# C\n\n```bash\necho \"<ok>\"\n```\n\n```mermaid\ngraph LR\n  A --> B\n```\n",
    )]);
    let html = file(&site.build(), "c/index.html").to_string();
    assert!(html.contains(
        r#"<pre class="code" tabindex="0" data-lang="bash"><code class="language-bash">"#
    ));
    assert!(html.contains("hl-"), "spans with highlighter classes");
    assert!(html.contains("&lt;ok&gt;"));
    assert!(html.contains("<figure class=\"diagram\"><svg"), "{html}");
    assert!(
        !html.contains("<script src=\"/js/mermaid"),
        "no script draws it"
    );
}

#[test]
fn raw_html_passes_by_default_and_can_be_escaped() {
    let page = ("content/h.md", "# H\n\n<div class=\"x\">raw</div>\n");
    let r = TestSite::new(&[page]).build();
    assert!(file(&r, "h/index.html").contains("<div class=\"x\">raw</div>"));
    let r = TestSite::new(&[page, ("site.yaml", "markdown:\n  raw_html: escape\n")]).build();
    assert!(file(&r, "h/index.html").contains("&lt;div class=\"x\"&gt;raw&lt;/div&gt;"));
}

#[test]
fn rendered_page_snapshot() {
    let site = TestSite::new(&[
        ("templates/page.html", "{{ page.content | safe }}\n---\nsummary: {{ page.summary | safe }}words: {{ page.word_count }}, minutes: {{ page.reading_minutes }}\n"),
        (
            "content/snap.md",
            "---\ntitle: 手順\n---\n最初の段落です。\n\n<!--more-->\n\n## 手順\n\n| 項目 | 値 |\n|---|---|\n| A | 1 |\n\n- [x] 済み\n- [ ] 未\n\n脚注[^1]と~~取り消し~~。\n\n[^1]: 注記。\n",
        ),
    ]);
    insta::assert_snapshot!(file(&site.build(), "snap/index.html"));
}

#[test]
fn escape_mode_holds_in_headings_and_shortcode_bodies() {
    let site = TestSite::new(&[
        ("site.yaml", "markdown: {raw_html: escape}\n"),
        (
            "content/a.md",
            "---\ntitle: A\n---\n## 見出し <img src=x onerror=alert(1)>\n\n{{< alert title=\"<b>t</b>\" >}}\n本文 <script>alert(2)</script>\n{{< /alert >}}\n\n{{% note %}}\n<iframe src=\"https://evil.example/\"></iframe>\n{{% /note %}}\n",
        ),
    ]);
    let r = site.build();
    let html = file(&r, "a/index.html");
    for raw in ["<img src=x", "<script>alert(2)", "<iframe", "<b>t</b>"] {
        assert!(!html.contains(raw), "{raw} passed through: {html}");
    }
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn escape_mode_drops_attributes_written_after_a_heading() {
    let page = "---\ntitle: X\n---\n## x {: onfocus=alert(1) autofocus tabindex=1 }\n\n## Hover {onmouseover=alert(1)}\n\n## z {#kept .note onerror=alert(2)}\n";
    let escaped = TestSite::new(&[
        ("site.yaml", "markdown: {raw_html: escape}\n"),
        ("content/a.md", page),
    ])
    .build();
    let html = file(&escaped, "a/index.html");
    for attribute in [
        "onfocus",
        "autofocus",
        "tabindex=\"1\"",
        "onmouseover",
        "onerror",
    ] {
        assert!(!html.contains(attribute), "{attribute} written: {html}");
    }
    // The id and the class are not HTML of the author's: kept.
    assert!(html.contains("id=\"kept\" class=\"note\""), "{html}");
    let said = messages(&escaped).join("\n");
    assert!(
        said.contains("heading attributes `onfocus`, `autofocus`, `tabindex` removed"),
        "{said}"
    );
    // Staff sites (raw HTML passed) keep them, as they keep raw HTML.
    let passed = TestSite::new(&[("content/a.md", page)]).build();
    assert!(file(&passed, "a/index.html").contains("onmouseover"));
}

#[test]
fn escape_mode_removes_links_that_would_run_script() {
    let site = TestSite::new(&[
        ("site.yaml", "markdown: {raw_html: escape}\n"),
        (
            "content/a.md",
            "---\ntitle: A\n---\n[押して](javascript:alert('js')) [ok](https://example.jp/)\n\n![x](data:image/svg+xml,<svg/onload=alert(1)>)\n",
        ),
    ]);
    let r = site.build();
    let html = file(&r, "a/index.html");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("data:image/svg"), "{html}");
    assert!(
        html.contains(r##"<a href="#">押して</a> <a href="https://example.jp/">ok</a>"##),
        "{html}"
    );
    let m = messages(&r);
    assert!(
        m.contains(&"content/a.md:4: warning: link to `javascript:alert('js')` removed: it would run script (markdown.raw_html: escape)".to_string()),
        "{m:?}"
    );
}

#[test]
fn markdownify_in_shortcodes_rewrites_and_checks_links_like_the_page() {
    let site = TestSite::new(&[
        ("content/sop/daily.md", "---\ntitle: 日次\n---\n本文\n"),
        (
            "content/runbook.md",
            "---\ntitle: R\n---\n\n{{< alert title=\"手順\" >}}\n[日次点検](sop/daily.md) を先に。\n{{< /alert >}}\n\n{{< note >}}\n[ない](sop/none.md)\n{{< /note >}}\n",
        ),
    ]);
    let r = site.build_with(false, true);
    let html = file(&r, "runbook/index.html");
    assert!(
        html.contains(r#"<a href="/sop/daily/">日次点検</a>"#),
        "{html}"
    );
    let m = messages(&r);
    assert!(
        m.iter()
            .any(|l| l
                == "content/runbook.md:9: error: broken link `sop/none.md`: no such content file (content/sop/none.md)"),
        "{m:?}"
    );
}

#[test]
fn footnotes_are_listed_at_the_end_with_links_back() {
    let site = TestSite::new(&[(
        "content/p.md",
        "# 手順\n\n再起動する[^承認]。\n\n[^承認]: 変更管理の承認後に限る。\n\n## 確認\n\n監視を見る。\n",
    )]);
    let html = file(&site.build(), "p/index.html").to_string();
    let list = html
        .find("<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"脚注\">")
        .expect("list");
    assert!(
        html.find("監視を見る").unwrap() < list,
        "after the last section: {html}"
    );
    assert!(html.contains("<sup class=\"footnote-ref\" id=\"fnref:1\"><a href=\"#fn:1\""));
    assert!(html.contains("変更管理の承認後に限る。 <a href=\"#fnref:1\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"本文へ戻る\">"), "{html}");
}
