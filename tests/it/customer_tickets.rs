//! What a customer's report says beyond its figures (issue 63): which tickets breached (page,
//! PDF, workbook), outages and unmet indicators in its mail, a greeting that names the kind of
//! report and comes first, and API alerts only in the team's mail. Fixture `msp-site`.

use std::path::Path;
use std::process::Command;

use crate::customer_reports::built;
use crate::support::{read_text as read, said, stderr, TestSite};

const AS_OF: &str = "2026-11-05T09:00";

/// Each customer's slug, mail folder and the prefix of its ticket ids.
const CUSTOMERS: [(&str, &str, &str); 3] = [
    ("toto", "東都メディカル株式会社", "TTM-"),
    ("hokuriku", "北陸フーズ株式会社", "HKF-"),
    ("nankai", "南海ロジスティクス株式会社", "NNL-"),
];

/// Every text cell of a workbook (its shared strings), as one string.
fn workbook_text(path: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('xl/sharedStrings.xml').decode())",
        ])
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The ids of `prefix` in `text`.
fn ids<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut out: Vec<&str> = (text.match_indices(prefix))
        .map(|(i, _)| &text[i..i + prefix.len() + 3])
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn each_customers_monthly_report_lists_its_own_breached_tickets_in_page_and_workbook() {
    let site = built();
    for (slug, _, prefix) in CUSTOMERS {
        let dir = site
            .root()
            .join("editions")
            .join(slug)
            .join("reports/monthly/2026-10");
        let page = read(&dir.join("index.html"));
        let section = &page[page.find("id=\"breaches\"").expect("a breach list")..];
        let section = &section[..section.find("</section>").unwrap()];
        let listed = ids(section, prefix);
        assert!(!listed.is_empty(), "{slug}: no breached ticket listed");
        let book = workbook_text(&dir.join("2026-10.xlsx"));
        for (_, _, other) in CUSTOMERS.iter().filter(|c| c.2 != prefix) {
            assert!(
                !page.contains(other),
                "{slug}'s page names a {other} ticket"
            );
            assert!(
                !book.contains(other),
                "{slug}'s workbook names a {other} ticket"
            );
        }
        for id in &listed {
            assert!(
                book.contains(id),
                "{slug}: {id} is on the page, not in the workbook"
            );
        }
        // The page's count of breaches is the number of rows listed.
        let rows = section.matches("<tr><th scope=\"row\">").count();
        let counted: usize = (page.split("data-label=\"違反\" class=\"num\">").skip(1))
            .map(|s| s[..s.find('<').unwrap()].parse::<usize>().unwrap())
            .sum();
        assert_eq!(rows, counted, "{slug}: rows listed against 違反 counted");
    }
    // Each breach names the target of the contract it was measured under: HKF-030 was opened
    // after 北陸's contract changed (2 hours), HKF-027 before it on 緊急 (1 hour).
    let page = read(
        &site
            .root()
            .join("editions/hokuriku/reports/monthly/2026-10/index.html"),
    );
    let response_row = |id: &str| {
        (page.split("<tr>"))
            .find(|r| {
                r.starts_with(&format!("<th scope=\"row\">{id}</th>")) && r.contains("初回応答")
            })
            .unwrap_or_else(|| panic!("{id}'s response breach"))
            .to_string()
    };
    assert!(
        response_row("HKF-030").contains("2 時間以内（24 時間）"),
        "{}",
        response_row("HKF-030")
    );
    assert!(
        response_row("HKF-027").contains("1 時間以内（24 時間）"),
        "{}",
        response_row("HKF-027")
    );
    // The internal monthly report lists everybody's, each with its customer.
    let internal = read(
        &site
            .root()
            .join("output/reports/monthly/2026-10/index.html"),
    );
    for (_, name, prefix) in CUSTOMERS {
        assert!(internal.contains(prefix) && internal.contains(&format!("({name})")));
    }
}

#[test]
fn the_pdf_lists_the_breached_tickets_under_a_header_repeated_on_each_page() {
    if !crate::pdf::tools() {
        return;
    }
    let site = TestSite::fixture("msp-site");
    let o = site.run(&[
        "pdf",
        "monthly",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--customer",
        "hokuriku",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = crate::pdf::text(
        &site
            .root()
            .join("pdf/hokuriku/hokuriku-monthly-2026-10.pdf"),
    );
    let listed = ids(&text, "HKF-");
    assert!(listed.len() >= 4, "{listed:?}\n{text}");
    assert!(!text.contains("TTM-") && !text.contains("NNL-"));
    assert!(text.contains("SLA 違反チケット"), "{text}");
}

#[test]
fn ticket_list_all_lists_every_ticket_handled_and_none_lists_none() {
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| {
        format!("{c}reports:\n  monthly: {{ticket_list: all}}\n  weekly: {{ticket_list: none}}\n")
    });
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = site.root().join("editions/toto/reports/monthly/2026-10");
    let page = read(&dir.join("index.html"));
    assert!(
        page.contains("id=\"handled\""),
        "the list of tickets handled"
    );
    assert!(!page.contains("id=\"breaches\""));
    // Every ticket of 東都 opened in October is listed.
    let csv = read(&site.root().join("data/tickets.csv"));
    let october: Vec<&str> = (csv.lines())
        .filter(|l| l.starts_with("TTM-") && l.split(',').nth(3).unwrap().starts_with("2026-10"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(october.len() > 3);
    for id in october {
        assert!(
            page.contains(&format!("<th scope=\"row\">{id}</th>")),
            "{id}"
        );
    }
    assert!(dir.join("2026-10-handled.csv").exists());
    let week = read(
        &site
            .root()
            .join("editions/toto/reports/weekly/2026-W44/index.html"),
    );
    assert!(!week.contains("id=\"breaches\"") && !week.contains("id=\"handled\""));
    // A quarter lists none unless told.
    let quarter = read(
        &site
            .root()
            .join("editions/toto/reports/quarterly/2026-Q4/index.html"),
    );
    assert!(!quarter.contains("id=\"breaches\"") && !quarter.contains("id=\"handled\""));
}

#[test]
fn a_misspelt_ticket_list_is_an_error_naming_the_three_choices() {
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| format!("{c}reports:\n  monthly: {{ticket_list: breaches}}\n"));
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(!o.status.success());
    let said = stderr(&o);
    assert!(
        said.contains("site.yaml:")
            && said.contains("reports.monthly.ticket_list: `breaches`")
            && said.contains("breached")
            && said.contains("none"),
        "{said}"
    );
}

fn mail(site: &TestSite, kind: &str, period: &str, as_of: &str) {
    let o = site.run(&[
        "email",
        kind,
        "--period",
        period,
        "--as-of",
        as_of,
        "--all-customers",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = site.run(&["email", kind, "--period", period, "--as-of", as_of]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_customers_mail_carries_its_open_outage_and_unmet_indicators_but_no_api_alerts() {
    let site = TestSite::fixture("msp-site");
    // POS has been down since 2026-11-13 22:00; 東都 sees POS, 北陸 does not.
    mail(&site, "weekly", "2026-W46", "2026-11-14T09:00");
    let toto = read(&site.root().join("mail/東都メディカル株式会社/2026-W46.txt"));
    let at = toto
        .find("■ 障害・停止")
        .unwrap_or_else(|| panic!("no outages: {toto}"));
    assert!(
        toto[at..].contains("11/13 22:00") && toto[at..].contains("継続中"),
        "{toto}"
    );
    let html = read(
        &site
            .root()
            .join("mail/東都メディカル株式会社/2026-W46.html"),
    );
    assert!(html.contains("障害・停止") && html.contains("継続中"));
    let hokuriku = read(&site.root().join("mail/北陸フーズ株式会社/2026-W46.txt"));
    assert!(
        !hokuriku.contains("障害・停止") && !hokuriku.contains("POS"),
        "{hokuriku}"
    );
    for (_, name, _) in CUSTOMERS {
        let text = read(&site.root().join("mail").join(name).join("2026-W46.txt"));
        assert!(
            !text.contains("■ アラート"),
            "{name}: API alerts are the team's"
        );
    }
    let internal = read(&site.root().join("mail/2026-W46.txt"));
    assert!(internal.contains("■ アラート"), "{internal}");
    // October: 北陸's indicators missed their targets (no alert lines set), named first.
    mail(&site, "monthly", "2026-10", AS_OF);
    let text = read(&site.root().join("mail/北陸フーズ株式会社/2026-10.txt"));
    let unmet = &text[text.find("■ 未達の成功指標").expect("unmet indicators")..];
    let unmet = &unmet[..unmet.find("■ 成功指標").unwrap()];
    assert!(
        unmet.contains("重大インシデント件数 3 (目標 2 以下) 未達"),
        "{unmet}"
    );
    assert!(unmet.contains("会員サイト稼働率"), "{unmet}");
    let toto = read(&site.root().join("mail/東都メディカル株式会社/2026-10.txt"));
    assert!(!toto.contains("会員サイト"), "{toto}");
}

#[test]
fn the_default_greeting_comes_first_and_names_the_kind_of_report() {
    let site = TestSite::fixture("msp-site");
    mail(&site, "monthly", "2026-10", AS_OF);
    mail(&site, "weekly", "2026-W44", AS_OF);
    for (_, name, _) in CUSTOMERS {
        let folder = site.root().join("mail").join(name);
        let monthly = read(&folder.join("2026-10.txt"));
        assert!(
            monthly.starts_with(&format!("{name} 御中\n\nいつもお世話になっております。2026年10月の月次報告書をお送りいたします。")),
            "{monthly}"
        );
        let weekly = read(&folder.join("2026-W44.txt"));
        assert!(weekly.starts_with(&format!("{name} 御中")), "{weekly}");
        assert!(
            weekly.lines().nth(2).unwrap().contains("週次報告書"),
            "{weekly}"
        );
        let html = read(&folder.join("2026-10.html"));
        let greeting = html.find("御中").unwrap();
        assert!(
            greeting < html.find("<h1").unwrap(),
            "the greeting before the title"
        );
    }
    // The team's mail has no greeting of its own.
    let internal = read(&site.root().join("mail/2026-10.txt"));
    assert!(!internal.contains("御中"), "{internal}");
}

/// The fixture's tickets with a status column, two rows spelling 北陸フーズ another way, one
/// spelling 南海 nearly right, and a cancelled and a test row (the test row's date unreadable).
fn with_spellings_and_status(site: &TestSite) {
    let csv = read(&site.root().join("data/tickets.csv"));
    let mut out = String::new();
    for (n, line) in csv.lines().enumerate() {
        out.push_str(line);
        out.push_str(if n == 0 { ",状態\n" } else { ",完了\n" });
    }
    out.push_str("HKF-900,別表記,high,2026-10-20 10:00,2026-10-20 10:30,2026-10-20 12:00,㈱北陸フーズ,完了\n");
    out.push_str("HKF-901,別表記,high,2026-10-21 10:00,2026-10-21 10:30,2026-10-21 12:00, 北陸フーズ(株) ,完了\n");
    out.push_str("NNL-900,近い表記,low,2026-10-20 10:00,2026-10-20 10:30,2026-10-20 12:00,南海ロジスティクス,完了\n");
    out.push_str("NNL-901,取消,low,2026-10-20 10:00,,,南海ロジスティクス株式会社,取消\n");
    out.push_str("NNL-902,試験,low,not a date,,,南海ロジスティクス株式会社, テスト\n");
    site.write("data/tickets.csv", &out);
}

fn opened(site: &TestSite, slug: &str) -> (f64, String) {
    let o = site.run(&[
        "kpi",
        "--period",
        "2026-10",
        "--customer",
        slug,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kpis = &json["kpis"];
    let kpis = if kpis.is_null() {
        &json["periods"][0]["kpis"]
    } else {
        kpis
    };
    (
        kpis["tickets.opened"]["value"].as_f64().unwrap(),
        stderr(&o),
    )
}

#[test]
fn export_spellings_count_for_their_customer_near_misses_warn_and_excluded_rows_are_counted_apart()
{
    let site = TestSite::fixture("msp-site");
    let before = opened(&site, "hokuriku").0;
    with_spellings_and_status(&site);
    // Without the map: the two spellings are not 北陸's, and each is a warning naming both.
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = said(&o);
    for spelling in ["㈱北陸フーズ", "北陸フーズ(株)", "南海ロジスティクス`"] {
        assert!(
            said.contains(&format!("`{}", spelling)),
            "{spelling}: {said}"
        );
    }
    assert!(said.contains("looks like `北陸フーズ株式会社`"), "{said}");
    assert!(said.contains("data/tickets.csv:"), "at the row: {said}");
    site.edit_config(|c| {
        c.replace(
            "    files: data/tickets.csv\n",
            "    files: data/tickets.csv\n    customer_names: {\"㈱北陸フーズ\": 北陸フーズ株式会社, \"北陸フーズ（株）\": 北陸フーズ株式会社}\n    exclude: {column: 状態, values: [取消, テスト]}\n",
        )
    });
    let (after, said) = opened(&site, "hokuriku");
    assert_eq!(
        after,
        before + 2.0,
        "both spellings count for 北陸フーズ: {said}"
    );
    assert!(said.contains("excluded 2 row(s) of tickets"), "{said}");
    let rows = std::fs::read_to_string(site.root().join("data/tickets.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .count();
    let used = format!("tickets: {} of {rows} row(s) used (2 excluded)", rows - 2);
    assert!(said.contains(&used), "{used}: {said}");
    assert!(
        !said.contains("quarantined"),
        "an excluded row is not judged: {said}"
    );
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = crate::support::said(&o);
    assert!(
        !said.contains("㈱北陸フーズ"),
        "mapped spellings are not warned: {said}"
    );
    assert!(said.contains("`南海ロジスティクス`"), "{said}");
    // 南海's cancelled and test tickets are in no figure.
    let nankai = opened(&site, "nankai").0;
    let csv = read(&site.root().join("data/tickets.csv"));
    let counted = (csv.lines())
        .filter(|l| l.contains(",南海ロジスティクス株式会社,完了") && l.contains(",2026-10-"))
        .filter(|l| l.split(',').nth(3).unwrap().starts_with("2026-10"))
        .count();
    assert_eq!(nankai, counted as f64);
}

#[test]
fn an_exclude_condition_without_values_is_an_error_at_its_line() {
    let site = TestSite::fixture("msp-site");
    with_spellings_and_status(&site);
    site.edit_config(|c| {
        c.replace(
            "    files: data/tickets.csv\n",
            "    files: data/tickets.csv\n    exclude: {column: 状態, values: []}\n",
        )
    });
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = said(&o);
    assert!(!o.status.success(), "{said}");
    assert!(
        said.contains("site.yaml:") && said.contains("data.tickets.exclude"),
        "{said}"
    );
}

#[test]
fn a_mail_whose_charts_have_nothing_to_draw_is_still_written() {
    let site = TestSite::fixture("msp-site");
    // Early in the week 東都 has no SLA outcome yet; in September its own indicator has no
    // data: both charts have nothing to draw, and each mail is written without them.
    for args in [
        ["weekly", "2026-W46", "2026-11-12T09:00"],
        ["monthly", "2026-09", AS_OF],
    ] {
        let o = site.run(&[
            "email",
            args[0],
            "--period",
            args[1],
            "--as-of",
            args[2],
            "--all-customers",
        ]);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let text = read(
            &site
                .root()
                .join("mail/東都メディカル株式会社")
                .join(format!("{}.txt", args[1])),
        );
        assert!(text.contains("東都メディカル株式会社 御中"), "{text}");
    }
}

#[test]
fn how_late_a_business_hours_target_was_missed_is_counted_in_business_hours() {
    let site = built();
    let page = read(
        &site
            .root()
            .join("editions/nankai/reports/monthly/2026-10/index.html"),
    );
    let row = (page.split("<tr>"))
        .find(|r| r.starts_with("<th scope=\"row\">NNL-020</th>"))
        .expect("NNL-020's breach");
    // Due Friday 10-16 14:37 on 平日 9:00–18:00, resolved Saturday 08:37: 3 h 23 min of
    // business time late, not the 18 hours on the clock.
    assert!(row.contains("3 営業日以内（平日 9:00〜18:00）"), "{row}");
    assert!(row.contains(">3 時間 23 分（営業時間）<"), "{row}");
}

#[test]
fn a_business_hours_clock_stopped_after_hours_past_its_deadline_says_so_not_zero() {
    let site = TestSite::fixture("msp-site");
    // Opened Tuesday at 18:00: due Friday 10-23 at 18:00; solved Saturday at 05:00, after the
    // deadline and before the next business minute.
    let tickets = read(&site.root().join("data/tickets.csv"));
    site.write(
        "data/tickets.csv",
        &format!("{tickets}NNL-099,南海の問い合わせ NNL-099,high,2026-10-20 18:00,2026-10-20 18:05,2026-10-24 05:00,南海ロジスティクス株式会社\n"),
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", said(&o));
    let page = read(
        &site
            .root()
            .join("editions/nankai/reports/monthly/2026-10/index.html"),
    );
    let row = (page.split("<tr>"))
        .find(|r| r.starts_with("<th scope=\"row\">NNL-099</th>"))
        .expect("NNL-099's breach");
    assert!(row.contains(">営業時間外<"), "{row}");
    assert!(!row.contains(">0 分"), "{row}");
}

#[test]
fn an_edition_named_with_other_character_widths_than_the_export_stops_the_build() {
    // 東都ﾒﾃﾞｨｶﾙ (half-width kana) in site.yaml, 東都メディカル in the export: its edition would
    // be published empty, and its tickets counted under `*`.
    let config = "title: t\nlanguage: ja\nbase_url: https://ops.example.jp/\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\ncontracts:\n  - {name: プレミアム, customers: [東都ﾒﾃﾞｨｶﾙ]}\n  - {name: 標準, customers: \"*\"}\ncustomers:\n  - {name: 東都ﾒﾃﾞｨｶﾙ, slug: toto, base_url: \"https://r.example.jp/toto/\"}\n";
    let site = TestSite::new(&[
        ("site.yaml", config),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            "id,priority,opened_at,responded_at,customer\nT-1,high,2026-11-16T10:00:00+09:00,2026-11-16T10:10:00+09:00,東都メディカル\n",
        ),
    ]);
    let o = site.run(&["build", "--as-of", "2026-11-20T09:00"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("data/tickets.csv:2: error: data.tickets: 1 ticket(s) name the customer `東都メディカル`, which is the edition `東都ﾒﾃﾞｨｶﾙ` of customers: written with other character widths"),
        "{err}"
    );
    assert!(!site.root().join("editions/toto").exists(), "{err}");
    // Written as the export does, it builds.
    site.edit_config(|c| c.replace("東都ﾒﾃﾞｨｶﾙ", "東都メディカル"));
    let o = site.run(&["build", "--as-of", "2026-11-20T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A month of more breached tickets than anyone reads: the page, the mail and the PDF list the
/// first 1,000 and say how many there are; the CSV and the workbook hold them all. (300,000 of
/// them made a page past the render's limit, and the build failed naming a runaway loop.)
#[test]
fn a_month_of_thousands_of_breaches_lists_the_first_thousand_and_downloads_them_all() {
    let mut tickets = String::from("id,priority,opened_at,responded_at,resolved_at\n");
    for i in 0..1203 {
        let (day, minute) = (1 + i % 28, i % 600);
        tickets.push_str(&format!(
            "B-{i:04},high,2026-10-{day:02}T09:{:02}:00+09:00,2026-10-{day:02}T{:02}:00:00+09:00,\n",
            minute % 60,
            12 + minute % 5
        ));
    }
    let site = TestSite::new(&[
        ("site.yaml", "title: 大量\nlanguage: ja\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{ period }}\"\n"),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        ("data/tickets.csv", &tickets),
    ]);
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", said(&o));
    let dir = site.root().join("output/reports/monthly/2026-10");
    let page = read(&dir.join("index.html"));
    let section = &page[page.find("id=\"breaches\"").expect("a breach list")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<tr><th scope=\"row\">B-").count(), 1000);
    assert!(
        section.contains("全 1,203 行のうち先頭の 1,000 行を載せています。"),
        "{section}"
    );
    let csv = read(&dir.join("2026-10-breaches.csv"));
    assert_eq!(csv.lines().filter(|l| l.contains("B-")).count(), 1203);
    let o = site.run(&["email", "monthly", "--period", "2026-10", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", said(&o));
    let mail = crate::email::parsed(&site.root().join("mail/2026-10.eml"));
    for part in ["html", "text"] {
        let body = mail[part].as_str().unwrap();
        // A mail lists the first hundred: mail programs cut a message past about 100 KB.
        assert!(body.contains("全 1,203 行のうち先頭の 100 行"), "{part}");
        let listed = match part {
            "html" => body.matches("<strong>B-").count(),
            _ => body.lines().filter(|l| l.starts_with("  B-")).count(),
        };
        assert_eq!(listed, 100, "{part}");
    }
}
