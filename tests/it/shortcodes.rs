//! The shortcodes a Hugo or Docsy tree uses most, built in (`param`, `figure`, `highlight`,
//! `details`, `tabpane`/`tab`, `youtube`), and what the run says about the ones it does not know.

use crate::support::{file, messages, stderr, stdout, TestSite};

fn prose(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("prose");
    let end = html[start..].find("</article>").expect("article end") + start;
    &html[start..end]
}

#[test]
fn param_reads_the_page_then_the_site_and_says_what_is_missing() {
    let site = TestSite::new(&[
        ("site.yaml", "params:\n  support_phone: \"0120-000-000\"\n  escalation: {l3: 夜間当番}\n  team: \"<script>alert(1)</script>\"\n"),
        (
            "content/sop.md",
            "---\ntitle: 手順\nowner_team: L2 <運用>\nparams:\n  sla: {p1: 15分}\n---\n担当 {{< param \"owner_team\" >}}、{{< param \"sla.p1\" >}}、{{< param \"support_phone\" >}}、{{< param \"escalation.l3\" >}}\n\n{{< param \"nothere\" >}} {{< param \"team\" >}}\n",
        ),
    ]);
    let r = site.build();
    let html = prose(file(&r, "sop/index.html"));
    assert!(
        html.contains("担当 L2 &lt;運用&gt;、15分、0120-000-000、夜間当番"),
        "page params, dotted keys, site params, escaped: {html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"),
        "markup in a parameter is text even with raw HTML passed: {html}"
    );
    assert!(
        messages(&r).contains(&"content/sop.md:9: error: param: no parameter `nothere` in the page's front matter or site.yaml params".to_string()),
        "{:?}",
        messages(&r)
    );
}

#[test]
fn figure_highlight_details_and_videos_render_without_templates_of_the_site() {
    let site = TestSite::new(&[(
        "content/p.md",
        "---\ntitle: P\n---\n{{< figure src=\"diagram.svg\" alt=\"構成図\" caption=\"**L1** から L3 へ\" >}}\n\n{{< highlight bash >}}\nsystemctl restart nginx\n{{< /highlight >}}\n\n{{< details summary=\"詳しい手順\" >}}\n1. *確認*\n{{< /details >}}\n\n{{< youtube abc123 >}}\n",
    )]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let html = prose(file(&r, "p/index.html"));
    assert!(
        html.contains(r#"<img src="diagram.svg" alt="構成図">"#),
        "{html}"
    );
    assert!(
        html.contains("<figcaption><p><strong>L1</strong> から L3 へ</p>"),
        "{html}"
    );
    let caption_only = TestSite::new(&[(
        "content/q.md",
        "{{< figure src=\"a.png\" caption=\"**L1** & `L2`\" >}}\n",
    )]);
    let built = caption_only.build();
    let q = prose(file(&built, "q/index.html"));
    assert!(
        q.contains(r#"alt="L1 &amp; L2""#),
        "alt text without Markdown marks: {q}"
    );
    assert!(
        html.contains(
            r#"<pre class="code" tabindex="0" data-lang="bash"><code class="language-bash">"#
        ) && html.contains("restart nginx"),
        "highlight is a highlighted code block: {html}"
    );
    assert!(html.contains("<details class=\"details\"><summary>詳しい手順</summary>\n<ol>\n<li><em>確認</em></li>"), "{html}");
    assert!(
        html.contains(r#"<a href="https://www.youtube.com/watch?v=abc123">"#),
        "a link, never an embedded player: {html}"
    );
    assert!(!html.contains("<iframe"), "{html}");
}

#[test]
fn tabpane_tabs_are_sections_with_headers_and_never_inside_a_paragraph() {
    let site = TestSite::new(&[(
        "content/t.md",
        "---\ntitle: T\n---\n{{< tabpane >}}\n{{< tab header=\"Front matter:\" disabled=true />}}\n{{< tab header=\"Linux\" lang=\"bash\" >}}\necho ok\n{{< /tab >}}\n{{< tab header=\"説明\" text=true >}}\n**太字**\n{{< /tab >}}\n{{< tab \"Plain\" >}}\n**not bold**\n{{< /tab >}}\n{{< /tabpane >}}\n\n{{< tabpane text=true >}}\n{{% tab header=\"Markdown\" %}}\n- 項目\n{{% /tab %}}\n{{< tab header=\"Text\" >}}\n*斜体*\n{{< /tab >}}\n{{< /tabpane >}}\n\n{{< tabpane langEqualsHeader=true >}}\n{{< tab yaml >}}\nkey: 値\n{{< /tab >}}\n{{< /tabpane >}}\n\n{{% comment %}}writers only{{% /comment %}}\n",
    )]);
    let r = site.build();
    assert!(!r.diagnostics.has_errors(), "{:?}", messages(&r));
    let html = prose(file(&r, "t/index.html"));
    assert!(!html.contains("<p><section"), "{html}");
    assert!(html.contains("<section class=\"tab\"><p class=\"tab-header\">Linux</p>\n<pre class=\"code\" tabindex=\"0\" data-lang=\"bash\">"), "{html}");
    assert!(
        html.contains("<p class=\"tab-header\">説明</p>\n<p><strong>太字</strong></p>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"tab-header\">Markdown</p>\n<ul>\n<li>項目</li>"),
        "{html}"
    );
    // Docsy: a tab is code unless it or its tabpane says text=true.
    assert!(
        html.contains("<p class=\"tab-header\">Plain</p>\n<pre class=\"code\""),
        "{html}"
    );
    assert!(html.contains("**not bold**"), "{html}");
    assert!(
        html.contains("<p class=\"tab-header\">Text</p>\n<p><em>斜体</em></p>"),
        "text=true on the tabpane: {html}"
    );
    assert!(
        html.contains("data-lang=\"yaml\""),
        "langEqualsHeader: {html}"
    );
    assert!(
        html.contains(
            "<section class=\"tab tab-label\"><p class=\"tab-header\">Front matter:</p></section>"
        ),
        "{html}"
    );
    assert!(
        !html.contains("writers only"),
        "comment is not published: {html}"
    );
}

#[test]
fn a_site_template_replaces_a_built_in_shortcode() {
    let site = TestSite::new(&[
        (
            "templates/shortcodes/figure.html",
            "<span class=\"mine\">{{ params.src }}</span>",
        ),
        ("templates/shortcodes/param.html", "[{{ args[0] }}]"),
        (
            "content/p.md",
            "---\ntitle: P\n---\n{{< figure src=\"a.png\" >}} {{< param \"x\" >}}\n",
        ),
    ]);
    let r = site.build();
    let html = prose(file(&r, "p/index.html"));
    assert!(
        html.contains(r#"<span class="mine">a.png</span> [x]"#),
        "{html}"
    );
}

#[test]
fn unknown_shortcodes_are_summarised_and_the_run_prints_the_ignore_list_to_paste() {
    let mut files = vec![("site.yaml".to_string(), String::new())];
    for i in 0..4 {
        files.push((
            format!("content/p{i}.md"),
            "---\ntitle: P\n---\n{{< swaggerui src=\"a\" >}}\n\n{{< blocks/cover >}}表紙{{< /blocks/cover >}}\n".to_string(),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = TestSite::new(&refs);
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: unknown shortcode `swaggerui`: add a template at templates/shortcodes/swaggerui.html, or list it under `shortcodes: {ignore: [...]}` in site.yaml: 4 times in 4 file(s), first at content/p0.md:4 (--verbose lists each)"),
        "repeated errors are one line: {err}"
    );
    assert!(
        err.contains("  shortcodes:\n    ignore: [\"blocks/cover\", \"swaggerui\"]\n"),
        "{err}"
    );
    let verbose = stderr(&site.run(&["build", "--verbose"]));
    assert!(
        verbose.contains("content/p3.md:4: error: unknown shortcode `swaggerui`"),
        "{verbose}"
    );
    let check = site.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("ignore: [\"blocks/cover\", \"swaggerui\"]"),
        "{}",
        stdout(&check)
    );

    // Pasting the hint makes the build pass, the inner text kept.
    site.write(
        "site.yaml",
        "shortcodes:\n  ignore: [\"blocks/cover\", \"swaggerui\"]\n",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.root().join("output/p0/index.html")).unwrap();
    assert!(page.contains("表紙"));
}

#[test]
fn ref_by_a_bare_name_finds_the_one_page_of_that_name_and_refuses_an_ambiguous_one() {
    let site = TestSite::new(&[
        ("content/docs/_index.md", "---\ntitle: Docs\n---\n"),
        ("content/docs/content/_index.md", "---\ntitle: Content\n---\n## Landing pages\n"),
        ("content/docs/ops/escalation.md", "---\ntitle: エスカレーション\n---\n"),
        ("content/docs/ops/faq.md", "---\ntitle: FAQ ops\n---\n"),
        ("content/docs/help/faq.md", "---\ntitle: FAQ help\n---\n"),
        (
            "content/docs/guide/links.md",
            "---\ntitle: Links\ndescription: 手順の説明\n---\n[a]({{< ref \"content#landing-pages\" >}}) [b]({{< relref \"escalation.md\" >}}) [c]({{< ref \"faq\" >}})\n\n{{< param \"description\" >}}\n",
        ),
    ]);
    let r = site.build_with(false, true);
    let html = file(&r, "docs/guide/links/index.html");
    assert!(
        html.contains(r#"<a href="/docs/content/#landing-pages">a</a>"#),
        "a section by its folder's name: {html}"
    );
    assert!(
        html.contains(r#"<a href="/docs/ops/escalation/">b</a>"#),
        "{html}"
    );
    assert!(
        html.contains("<p>手順の説明</p>"),
        "param reads front-matter fields too: {html}"
    );
    assert!(
        messages(&r).contains(&"content/docs/guide/links.md:5: error: ref: `faq` is ambiguous: content/docs/help/faq.md, content/docs/ops/faq.md; give more of the path".to_string()),
        "{:?}",
        messages(&r)
    );
}

#[test]
fn nested_dropped_shortcodes_report_each_problem_once_and_the_hint_keeps_the_sites_list() {
    let site = TestSite::new(&[
        ("site.yaml", "shortcodes: {ignore: [foo, bar]}\n"),
        (
            "content/p.md",
            "---\ntitle: P\n---\n{{< foo >}}{{< bar >}}x{{< /bar >}}[y](nope2.md){{< /foo >}}\n\n[x](nope.md) {{< baz >}}\n",
        ),
    ]);
    let out = site.run(&["build", "--verbose"]);
    let err = stderr(&out);
    let listed = err.lines().filter(|l| l.contains(": warning: ")).count();
    assert_eq!(listed, 4, "{err}");
    assert!(
        err.contains("1 error(s), 4 warning(s)"),
        "the count is what is listed: {err}"
    );
    assert_eq!(err.matches("broken link `nope2.md`").count(), 1, "{err}");
    assert!(err.contains("replace the list in site.yaml:\n  shortcodes:\n    ignore: [\"bar\", \"baz\", \"foo\"]"), "{err}");
}

/// A callout opened and never closed: the warning it was meant to hold would stand after an
/// empty box, so the build says so at the call's line.
#[test]
fn a_shortcode_that_shows_content_left_unclosed_is_a_warning_at_its_line() {
    let site = TestSite::new(&[(
        "content/runbooks/net.md",
        "---\ntitle: ネットワーク\n---\n本文\n\n{{< alert color=\"danger\" title=\"重要\" >}}\nコアスイッチは触らないこと。\n\n{{< alert title=\"空\" />}}\n\n{{< youtube abc >}}\n",
    )]);
    let msgs = messages(&site.build());
    let unclosed: Vec<&String> = msgs.iter().filter(|m| m.contains("never closed")).collect();
    assert_eq!(unclosed.len(), 1, "{msgs:?}");
    assert!(
        unclosed[0].starts_with("content/runbooks/net.md:6:")
            && unclosed[0].contains("close it with `{{< /alert >}}`"),
        "{unclosed:?}"
    );
}
