//! Figures inside pages (kpi, indicators, chart, status shortcodes and the tera functions),
//! frozen periods (freeze, drift warnings, unfreeze, freeze_after), release notes and
//! newsletters. The reports-site fixture's clock is 2026-11-22 09:00 Tokyo: W46 is the latest
//! complete week, November is not over and no month is complete.

use crate::support::{file, has_file, messages, stderr, stdout, TestSite};

fn site_with_page(body: &str) -> TestSite {
    let site = TestSite::fixture("reports-site");
    site.write(
        "content/runbook.md",
        &format!("---\ntitle: 手順\n---\n\n{body}\n"),
    );
    site
}

fn errors(r: &opsite::site::BuildResult) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == opsite::error::Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn kpi_shortcode_shows_the_report_pages_number() {
    let site = site_with_page(
        "稼働率 {{< kpi \"availability.portal\" period=\"2026-11\" >}}、\n先週の起票 {{< kpi \"tickets.opened\" period=\"latest-week\" >}} 件。",
    );
    let r = site.build();
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    let page = file(&r, "runbook/index.html");
    // The same figure as the monthly report page, marked as not complete. The data begins
    // on 11-10 (INC-3) and the clock is 11-22 09:00: 12 days 9 hours = 17,820 minutes, 30 of
    // them down: 1 − 30/17,820 = 99.83 % (over the whole month so far it would be 99.90 %).
    assert!(page.contains(">99.83 %</a>"), "{page}");
    assert!(page.contains("期間途中"), "November is marked unfinished");
    // latest-week is W46 (W47 is not over): one ticket opened then.
    assert!(page.contains("data-period=\"2026-W46\""), "{page}");
    assert!(page.contains(">1</a>"), "{page}");
}

#[test]
fn status_indicators_and_chart_shortcodes_render() {
    let site = site_with_page(
        "{{< status period=\"latest-week\" >}}\n\n{{< indicators period=\"2026-11\" >}}\n\n{{< chart kind=\"line\" kpi=\"availability.portal\" periods=\"last-3-weeks\" >}}",
    );
    let r = site.build();
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    let page = file(&r, "runbook/index.html");
    assert!(page.contains("status-figure"), "status block");
    assert!(
        page.contains("未解決の重大チケット"),
        "open critical tickets"
    );
    assert!(page.contains("稼働率"), "indicator names");
    assert!(page.contains("badge-met"), "badges");
    // The chart's table lists the three weeks ending with W46, the one before the data a gap.
    for w in ["2026-W44", "2026-W45", "2026-W46"] {
        assert!(page.contains(w), "{w} in the chart");
    }
    assert!(page.contains("<svg"), "inline SVG");
}

#[test]
fn mistakes_are_located_errors_with_close_matches() {
    let site = site_with_page(
        "一行目\n\n{{< kpi \"availability.portl\" period=\"2026-11\" >}}\n\n{{< kpi \"tickets.opened\" period=\"2025-01\" >}}\n\n{{< kpi \"tickets.opened\" period=\"latest-month\" >}}\n\n{{< kpi \"tickets.opened\" peroid=\"2026-11\" >}}\n\n{{< status period=\"last-month\" >}}",
    );
    let r = site.build();
    let e = errors(&r);
    let find = |needle: &str| {
        e.iter()
            .find(|m| m.contains(needle))
            .unwrap_or_else(|| panic!("no error with {needle}: {e:?}"))
            .clone()
    };
    let unknown = find("availability.portl");
    assert!(unknown.contains("runbook.md:7"), "{unknown}");
    assert!(
        unknown.contains("availability.portal"),
        "close match: {unknown}"
    );
    let no_data = find("2025-01");
    assert!(
        no_data.contains("2026-11"),
        "says what the data has: {no_data}"
    );
    // No month is complete yet: latest-month is refused at the edge of the data.
    assert!(find("latest-month").contains("no complete month"), "{e:?}");
    assert!(find("peroid").contains("period"), "{e:?}");
    assert!(find("last-month").contains("latest-month"), "{e:?}");
}

#[test]
fn figures_on_a_site_without_data_say_so() {
    let site = TestSite::new(&[
        ("site.yaml", "title: t\n"),
        (
            "content/_index.md",
            "{{< kpi \"tickets.opened\" period=\"2026-11\" >}}\n",
        ),
    ]);
    let r = site.build();
    let e = errors(&r);
    assert!(e.iter().any(|m| m.contains("no `data:`")), "{e:?}");
}

#[test]
fn tera_functions_give_templates_the_same_figures() {
    let site = TestSite::fixture("reports-site");
    site.write(
        "templates/index.html",
        "{% set k = kpi(id=\"availability.portal\", period=\"2026-11\") %}[{{ k.text }}]\
         {% for p in periods(kind=\"week\") %}<{{ p.label }}>{% endfor %}\
         {% set i = indicators(period=\"latest-week\") %}{{ i.rows | length }} indicators\
         {% set c = chart(kpi=\"tickets.opened\", periods=\"last-2-weeks\") %}{{ c.svg | safe }}",
    );
    let r = site.build();
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    let home = file(&r, "index.html");
    assert!(home.contains("[99.83 %]"), "{home}");
    assert!(
        home.contains("<2026-W47><2026-W46>"),
        "newest first: {home}"
    );
    assert!(home.contains("2 indicators"), "{home}");
    assert!(home.contains("<svg"), "{home}");
    site.write(
        "templates/index.html",
        "{{ kpi(id=\"nope\", period=\"2026-11\") }}",
    );
    let e = errors(&site.build());
    assert!(e.iter().any(|m| m.contains("no KPI `nope`")), "{e:?}");
}

#[test]
fn freeze_keeps_the_published_figure_and_warns_when_the_data_changes() {
    let site = TestSite::fixture("reports-site");
    let o = site.run(&["freeze", "2026-W46", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("data/snapshots/2026-W46.yaml"));
    let snapshot =
        std::fs::read_to_string(site.root().join("data/snapshots/2026-W46.yaml")).unwrap();
    assert!(snapshot.starts_with("# opsite snapshot:"));
    assert!(
        snapshot.contains("sha256:"),
        "records the data files' hashes"
    );
    assert!(snapshot.contains(&format!("opsite: {}", env!("CARGO_PKG_VERSION"))));
    // A second freeze is refused without --force; an unfinished period is refused.
    let again = site.run(&["freeze", "2026-W46", "--as-of", "2026-11-22T09:00"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    let open = site.run(&["freeze", "2026-W47", "--as-of", "2026-11-22T09:00"]);
    assert!(!open.status.success());
    assert!(stderr(&open).contains("not over"), "{}", stderr(&open));

    // The export rewrites history: a second W46 ticket appears.
    let tickets = site.root().join("data/tickets.csv");
    let mut text = std::fs::read_to_string(&tickets).unwrap();
    text.push_str("INC-9,後から追加,high,2026-11-11T09:00:00+09:00,2026-11-11T09:05:00+09:00,2026-11-11T09:30:00+09:00\n");
    std::fs::write(&tickets, text).unwrap();
    site.write(
        "content/runbook.md",
        "---\ntitle: 手順\n---\n\n{{< kpi \"tickets.opened\" period=\"2026-W46\" >}}\n",
    );
    let r = site.build();
    let page = file(&r, "runbook/index.html");
    assert!(page.contains(">1</a>"), "the frozen count, not 2: {page}");
    assert!(page.contains("凍結"), "said to be frozen");
    let w = messages(&r);
    let drift = w
        .iter()
        .find(|m| m.contains("tickets.opened:"))
        .unwrap_or_else(|| panic!("no drift warning: {w:?}"));
    assert!(
        drift.contains("frozen 1") && drift.contains("now gives 2"),
        "{drift}"
    );
    assert!(drift.contains("data/snapshots/2026-W46.yaml"), "{drift}");
    let report = file(&r, "reports/weekly/2026-W46/index.html");
    assert!(
        report.contains("data/snapshots/2026-W46.yaml"),
        "frozen note"
    );
    // The week after compares itself with the frozen week (2 now against 1), not the live 2.
    let w47 = file(&r, "reports/weekly/2026-W47/index.html");
    assert!(w47.contains("+1"), "change against the frozen week");
    // Built as of a moment before W46 ended, the page shows what that moment saw: no drift.
    let past = site.run(&[
        "build",
        "--as-of",
        "2026-11-12T09:00",
        "--output",
        site.root().join("past").to_str().unwrap(),
    ]);
    assert!(past.status.success(), "{}", stderr(&past));
    assert!(!stderr(&past).contains("frozen"), "{}", stderr(&past));

    let check = site.run(&["check", "--as-of", "2026-11-22T09:00"]);
    assert!(
        stdout(&check).contains("tickets.opened: frozen 1"),
        "{}",
        stdout(&check)
    );

    let o = site.run(&["unfreeze", "2026-W46"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.root().join("data/snapshots/2026-W46.yaml").exists());
    let r = site.build();
    assert!(
        file(&r, "runbook/index.html").contains(">2</a>"),
        "live again"
    );
    let o = site.run(&["unfreeze", "2026-W46"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not frozen"), "{}", stderr(&o));
}

#[test]
fn unfreeze_leaves_files_it_did_not_write() {
    let site = TestSite::fixture("reports-site");
    site.write("data/snapshots/2026-10.yaml", "my own notes\n");
    let o = site.run(&["unfreeze", "2026-10"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("not an opsite snapshot"),
        "{}",
        stderr(&o)
    );
    assert!(site.root().join("data/snapshots/2026-10.yaml").exists());
}

#[test]
fn a_frozen_period_outlives_its_data_and_a_broken_snapshot_is_located() {
    let site = TestSite::fixture("reports-site");
    let o = site.run(&["freeze", "2026-W46", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The old export is trimmed: INC-3 (W46) is gone, the page stays as published.
    let tickets = site.root().join("data/tickets.csv");
    let text = std::fs::read_to_string(&tickets).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("INC-3")).collect();
    std::fs::write(&tickets, kept.join("\n") + "\n").unwrap();
    let r = site.build();
    assert!(has_file(&r, "reports/weekly/2026-W46/index.html"));
    site.write(
        "data/snapshots/2026-W45.yaml",
        "# opsite snapshot:\nperiod: [\n",
    );
    let e = errors(&site.build());
    assert!(
        e.iter()
            .any(|m| m.contains("data/snapshots/2026-W45.yaml:")),
        "{e:?}"
    );
}

#[test]
fn freeze_after_freezes_finished_periods_during_a_build() {
    let site = TestSite::fixture("reports-site");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}reports:\n  freeze_after: 1d\n"),
    );
    let o = site.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // W46 ended 2026-11-16 00:00: more than a day before; W47 and November are not over.
    assert!(
        stdout(&o).contains("froze data/snapshots/2026-W46.yaml"),
        "{}",
        stdout(&o)
    );
    assert!(site.root().join("data/snapshots/2026-W46.yaml").exists());
    assert!(!site.root().join("data/snapshots/2026-W47.yaml").exists());
    assert!(!site.root().join("data/snapshots/2026-11.yaml").exists());
    let again = site.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(!stdout(&again).contains("froze"), "{}", stdout(&again));
    // A build as of a later date is a preview: it freezes nothing, and `freeze` refuses it.
    let later = site.run(&["build", "--as-of", "2099-01-15T00:00"]);
    assert!(later.status.success(), "{}", stderr(&later));
    assert!(!stdout(&later).contains("froze"), "{}", stdout(&later));
    assert!(!site.root().join("data/snapshots/2026-11.yaml").exists());
    let future = site.run(&["freeze", "2026-11", "--as-of", "2099-01-15T00:00"]);
    assert!(!future.status.success());
    assert!(
        stderr(&future).contains("in the future"),
        "{}",
        stderr(&future)
    );
    site.write(
        "site.yaml",
        &format!("{yaml}reports:\n  freeze_after: a week\n"),
    );
    let bad = site.run(&["build"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("freeze_after"), "{}", stderr(&bad));
}

fn publications_site() -> TestSite {
    let site = TestSite::fixture("reports-site");
    site.write(
        "content/releases/_index.md",
        "---\ntitle: リリースノート\n---\n",
    );
    site.write(
        "content/releases/v1.md",
        "---\ntitle: 1.0\nversion: 1.0.0\ndate: 2026-09-10\nkind: major\nfeatures:\n  - 初版 `opsite`\n  - \"<b>太字ではない</b>\"\n---\n本文\n",
    );
    site.write(
        "content/releases/v1-1.md",
        "---\ntitle: 1.1\nversion: 1.1.0\ndate: 2026-10-02\nkind: minor\nfixes: [誤字の修正]\nknown_limitations: [一括変更は 200 件まで]\n---\n",
    );
    site.write(
        "content/newsletters/_index.md",
        "---\ntitle: ニュースレター\n---\n",
    );
    site.write(
        "content/newsletters/2026-11.md",
        "---\ntitle: 11月号\ndate: 2026-11-20\nperiod: 2026-11\n---\n今月の話題\n",
    );
    site
}

#[test]
fn releases_have_sections_an_index_by_month_a_feed_and_the_home_link() {
    let site = publications_site();
    let r = site.build();
    assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    let page = file(&r, "releases/v1/index.html");
    assert!(page.contains("メジャーリリース"), "kind");
    assert!(page.contains("1.0.0"), "version");
    assert!(page.contains("新機能"), "features section");
    assert!(page.contains("<code>opsite</code>"), "code kept");
    assert!(page.contains("&lt;b&gt;太字ではない"), "escaped");
    let minor = file(&r, "releases/v1-1/index.html");
    assert!(minor.contains("修正") && minor.contains("既知の制限"));
    let index = file(&r, "releases/index.html");
    let (oct, sep) = (
        index.find("2026年10月").unwrap(),
        index.find("2026年9月").unwrap(),
    );
    assert!(oct < sep, "newest month first");
    let feed = file(&r, "releases/atom.xml");
    assert!(feed.contains("<entry>") && feed.contains("1.1"), "{feed}");
    let home = file(&r, "index.html");
    assert!(
        home.contains("最新リリース") && home.contains("releases/v1-1/"),
        "{home}"
    );
    assert!(has_file(&r, "newsletters/atom.xml"));
}

#[test]
fn release_front_matter_mistakes_are_errors() {
    let site = publications_site();
    site.write(
        "content/releases/bad.md",
        "---\ntitle: bad\nkind: patch\n---\n",
    );
    let e = errors(&site.build());
    for needle in ["version:", "date:", "`patch`"] {
        assert!(
            e.iter().any(|m| m.contains("bad.md") && m.contains(needle)),
            "{needle}: {e:?}"
        );
    }
}

#[test]
fn a_newsletter_shows_its_months_figures() {
    let site = publications_site();
    let r = site.build();
    let n = file(&r, "newsletters/2026-11/index.html");
    assert!(n.contains("newsletter-figures"), "figures block");
    assert!(n.contains("99.90 %"), "availability of November");
    assert!(n.contains("今月の話題"), "the written text beside it");
    // Without `period:` a newsletter shows the latest month complete on its date: none here.
    site.write(
        "content/newsletters/2026-11.md",
        "---\ntitle: 11月号\ndate: 2026-11-20\n---\n今月の話題\n",
    );
    let e = errors(&site.build());
    assert!(
        e.iter()
            .any(|m| m.contains("2026-11.md") && m.contains("period: 2026-10")),
        "{e:?}"
    );
}
