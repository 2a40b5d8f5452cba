//! The words customers read: period names (「2026年11月第3週（11/16〜11/22）」, fiscal quarters),
//! display labels for coded values (緊急/高/中/低, `labels:`), in pages, charts and the mail;
//! ids stay in URLs and JSON.

use crate::support::{file, messages, stderr, stdout, TestSite};

/// The report fixture (Japanese, W46–W47 of November 2026), with `extra` added to site.yaml.
fn site_with(extra: &str) -> TestSite {
    let site = TestSite::fixture("reports-site");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}{extra}"));
    site
}

fn built(site: &TestSite) -> opsite::site::BuildResult {
    let r = site.build();
    assert_eq!(r.diagnostics.error_count(), 0, "{:?}", messages(&r));
    r
}

#[test]
fn a_japanese_site_names_weeks_months_and_priorities_in_japanese() {
    let r = built(&site_with(""));
    let w46 = file(&r, "reports/weekly/2026-W46/index.html");
    assert!(
        w46.contains("<h1>週次ステータスレポート 2026年11月第2週（11/9〜11/15）</h1>"),
        "heading"
    );
    // The ISO week stays in the URL and the small print.
    assert!(w46.contains("2026-W46"), "the id in small print");
    // Priorities: 高, never the export's code, in the table and the chart's text.
    assert!(w46.contains("<th scope=\"row\">高</th><td data-label=\"対象\">初回応答</td>"));
    assert!(!w46.contains(">high<") && !w46.contains("high 初回応答"));
    let w47 = file(&r, "reports/weekly/2026-W47/index.html");
    assert!(w47.contains("高 初回応答"), "the SLA chart's bar label");
    let index = file(&r, "reports/weekly/index.html");
    assert!(index.contains("2026年11月第3週（11/16〜11/22）"));
    let month = file(&r, "reports/monthly/2026-11/index.html");
    assert!(month.contains("<h1>月次KPIレビュー 2026年11月</h1>"));
    // The daily availability calendar: 11月 and 月 水 金, no English month or weekday.
    let svg_text: String = month
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .map(|rest| rest.split('<').next().unwrap_or("").trim().to_string())
        .collect::<Vec<_>>()
        .join("|");
    assert!(
        svg_text.contains("11月") && svg_text.contains("水"),
        "{svg_text}"
    );
    for english in ["Nov", "Mon", "Wed"] {
        assert!(!svg_text.contains(english), "{english} in {svg_text}");
    }
    let quarter = file(&r, "reports/quarterly/2026-Q4/index.html");
    assert!(quarter.contains("2026年 第4四半期"));
}

#[test]
fn labels_rename_coded_values_where_people_read_them_and_only_there() {
    let site = site_with("labels:\n  priority: {high: 至急}\n  service: {portal: 顧客ポータル}\n");
    let r = built(&site);
    let w = file(&r, "reports/weekly/2026-W47/index.html");
    assert!(w.contains("<th scope=\"row\">至急</th>"), "priority label");
    assert!(w.contains("至急 初回応答"), "chart text");
    assert!(w.contains("顧客ポータル"), "service label");
    assert!(!w.contains(">portal<"), "no service code shown as a name");
    let m = file(&r, "reports/monthly/2026-11/index.html");
    assert!(
        m.contains("日別稼働率 顧客ポータル"),
        "the calendar's title"
    );
    // The kpi table keeps the ids and adds the period's name and the labels.
    let o = site.run(&["kpi", "--period", "2026-W47", "--as-of", "2026-11-22T09:00"]);
    let table = stdout(&o);
    assert!(
        table.starts_with("2026-W47 2026年11月第3週（11/16〜11/22）"),
        "{table}"
    );
    let line = table
        .lines()
        .find(|l| l.contains("sla.response.high"))
        .unwrap();
    assert!(line.ends_with("[至急]"), "{line}");
    // Ids keep the codes: URLs, JSON, CSV.
    let json = site.kpi_json("2026-W47", "2026-11-22T09:00");
    let kpis = json["kpis"].as_object().expect("kpis");
    assert!(kpis.contains_key("sla.response.high"));
    assert!(kpis.contains_key("availability.portal"));
    // A priority opsite does not know is named at its line.
    let site = site_with("labels:\n  priority: {urgent: 至急}\n  service: {portl: 顧客ポータル}\n");
    let o = site.run(&["check"]);
    let e = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        e.contains("warning: labels.priority.urgent") && e.contains("data.tickets.priorities"),
        "{e}"
    );
    assert!(
        e.contains("warning: labels.service.portl") && e.contains("did you mean `portal`?"),
        "{e}"
    );
}

#[test]
fn an_english_site_keeps_the_iso_week_with_its_days() {
    let site = site_with("");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &config.replace("language: ja", "language: en"));
    let r = built(&site);
    // W46 (W47 has a commentary with its own title).
    let w = file(&r, "reports/weekly/2026-W46/index.html");
    assert!(
        w.contains("Week 2 of November 2026 (Nov 9 – 15)"),
        "week name"
    );
    assert!(w.contains("<th scope=\"row\">High</th>"), "priority");
    let m = file(&r, "reports/monthly/2026-11/index.html");
    assert!(m.contains("November 2026"));
}

#[test]
fn fiscal_quarters_are_named_by_the_fiscal_year_and_keep_calendar_ids() {
    let r = built(&site_with("fiscal_year_start: 4\n"));
    // October–December of a fiscal year from April: its third quarter, at the calendar id.
    let q = file(&r, "reports/quarterly/2026-Q4/index.html");
    assert!(q.contains("2026年度 第3四半期"), "fiscal name");
    let site = site_with("fiscal_year_start: 5\n");
    let o = site.run(&["check"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    let line = std::fs::read_to_string(site.root().join("site.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("fiscal_year_start"))
        .unwrap()
        + 1;
    assert!(
        e.contains(&format!("site.yaml:{line}:"))
            && e.contains("1 (January, the default), 4, 7 or 10"),
        "{e}"
    );
}

#[test]
fn a_customer_mail_names_its_customer_and_period_in_the_subject() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: 運用報告\nlanguage: ja\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\ncontracts:\n  - {name: standard, customers: \"*\"}\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{% if customer %}{{ customer }}様 {% endif %}{{ period_label }} {{ site_title }}\"\n  customers:\n    北斗会: {to: [it@hokuto.example]}\n",
        ),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            "id,priority,opened_at,responded_at,resolved_at,customer\nH-1,high,2026-11-16T10:00:00+09:00,2026-11-16T12:00:00+09:00,,北斗会\n",
        ),
    ]);
    let o = site.weekly_mail(&["--customer", "北斗会"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = crate::email::parsed(&site.root().join("mail/北斗会/2026-W47.eml"));
    assert_eq!(
        m["subject"],
        "北斗会様 2026年11月第3週（11/16〜11/22） 運用報告"
    );
}

#[test]
fn a_service_only_in_the_outage_export_takes_its_label_without_a_warning() {
    let site = site_with("labels:\n  service: {vpn: 社内VPN}\n");
    let outages = std::fs::read_to_string(site.root().join("data/downtime.csv")).unwrap();
    site.write(
        "data/downtime.csv",
        &format!("{outages}vpn,2026-11-17T10:00:00+09:00,2026-11-17T10:20:00+09:00\n"),
    );
    let r = built(&site);
    assert!(file(&r, "reports/weekly/2026-W47/index.html").contains("社内VPN"));
    assert!(
        !messages(&r)
            .iter()
            .any(|m| m.contains("labels.service.vpn")),
        "{:?}",
        messages(&r)
    );
}

#[test]
fn control_characters_in_data_reach_no_page_or_chart() {
    // An escape, a bell and a NUL in a service name: shown as U+FFFD, and every inline SVG
    // still parses as XML.
    let site = site_with("");
    let outages = std::fs::read_to_string(site.root().join("data/downtime.csv")).unwrap();
    site.write(
        "data/downtime.csv",
        &format!(
            "{outages}ctl\u{1b}[2J\u{7}\u{0},2026-11-17T10:00:00+09:00,2026-11-17T10:20:00+09:00\n"
        ),
    );
    let r = built(&site);
    for page in [
        "reports/weekly/2026-W47/index.html",
        "reports/monthly/2026-11/index.html",
    ] {
        let html = file(&r, page);
        assert!(
            !html.contains('\u{1b}') && !html.contains('\u{0}'),
            "{page}"
        );
        assert!(html.contains("ctl\u{fffd}[2J\u{fffd}\u{fffd}"), "{page}");
        for svg in html.split("<svg").skip(1) {
            let svg = format!("<svg{}", &svg[..svg.find("</svg>").unwrap() + 6]);
            assert!(
                svg.chars().all(|c| c >= ' ' || "\t\n\r".contains(c)),
                "{page}"
            );
        }
    }
}
