//! Each customer's monthly report is its own (issue 62): its commentary, home page, contract,
//! targets in words with their calendars, indicators and availability targets, in its page, PDF,
//! mail and workbook, and nothing of another customer's. The fixture `msp-site` has three
//! customers whose terms all differ, one of them under two contracts in October.

use crate::support::{read_text as read, said, stderr, stdout, TestSite};

const AS_OF: &str = "2026-11-05T09:00";

/// What one customer's October report must say, and the markers of the others' texts.
struct Expect {
    slug: &'static str,
    name: &'static str,
    /// Its commentary's and home page's markers.
    own: &'static [&'static str],
    /// Contract names, targets in words, indicator names, availability target.
    terms: &'static [&'static str],
    /// Said only for other customers (their services' indicators, their contracts).
    never: &'static [&'static str],
}

const MARKERS: [&str; 4] = ["INTERNAL", "TOTO", "HOKURIKU", "NANKAI"];

const CUSTOMERS: [Expect; 3] = [
    Expect {
        slug: "toto",
        name: "東都メディカル株式会社",
        own: &["TOTOSUMMARY", "TOTOBODY", "TOTOHIGHLIGHT", "TOTONEXT"],
        terms: &[
            "プレミアム契約",
            "30 分以内（24 時間）",
            "2 営業日以内（平日 9:00〜18:00）",
            "POS 稼働率",
            "緊急の初回応答",
            "重大インシデント件数",
            "99.95 %",
        ],
        never: &[
            "会員サイト稼働率",
            "スタンダード契約",
            "ベーシック契約",
            "会員サイト",
        ],
    },
    Expect {
        slug: "hokuriku",
        name: "北陸フーズ株式会社",
        own: &["HOKURIKUSUMMARY", "HOKURIKUBODY", "HOKURIKUISSUE"],
        terms: &[
            "スタンダード契約（10月15日まで）、スタンダード契約（2026年10月16日改定）（10月16日から）",
            "10月15日まで",
            "4 時間以内（24 時間）",
            "10月16日から",
            "2 時間以内（24 時間）",
            "3 営業日以内（平日 9:00〜18:00）",
            "会員サイト稼働率",
        ],
        never: &[
            "POS 稼働率",
            "緊急の初回応答",
            "プレミアム契約",
            "ベーシック契約",
            "POS システム",
        ],
    },
    Expect {
        slug: "nankai",
        name: "南海ロジスティクス株式会社",
        own: &[],
        terms: &[
            "ベーシック契約",
            "4 時間以内（24 時間）",
            "3 営業日以内（平日 9:00〜18:00）",
            "99.50 %",
        ],
        never: &[
            "NANKAIDRAFT",
            "POS 稼働率",
            "緊急の初回応答",
            "プレミアム契約",
            "スタンダード契約",
        ],
    },
];

/// The `msp-site` fixture built as of `AS_OF`.
pub(crate) fn built() -> TestSite {
    let site = TestSite::fixture("msp-site");
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    site
}

/// `text` says all of `c`'s own words and terms, and no other's markers or terms.
fn only_its_own(c: &Expect, text: &str, what: &str) {
    for word in c.own.iter().chain(c.terms) {
        assert!(text.contains(word), "{what}: `{word}` missing");
    }
    let own_marker = c.slug.to_uppercase();
    for marker in MARKERS.iter().filter(|m| **m != own_marker) {
        assert!(!text.contains(marker), "{what}: another's text `{marker}`");
    }
    for word in c.never {
        assert!(
            !text.contains(word),
            "{what}: `{word}` is not this customer's"
        );
    }
}

#[test]
fn each_editions_monthly_page_states_its_own_commentary_contract_targets_and_indicators() {
    let site = built();
    for c in &CUSTOMERS {
        let page = read(
            &(site.root())
                .join("editions")
                .join(c.slug)
                .join("reports/monthly/2026-10/index.html"),
        );
        only_its_own(c, &page, &format!("{}'s October page", c.slug));
    }
    // The internal site: its own commentary, the site-wide targets, no contract.
    let page = read(
        &site
            .root()
            .join("output/reports/monthly/2026-10/index.html"),
    );
    for word in [
        "INTERNALSUMMARY",
        "INTERNALBODY",
        "4 時間以内（24 時間）",
        "3 営業日以内（平日 9:00〜18:00）",
    ] {
        assert!(page.contains(word), "internal page: `{word}` missing");
    }
    for word in ["TOTO", "HOKURIKU", "NANKAI", "適用契約", "30 分以内"] {
        assert!(!page.contains(word), "internal page: `{word}`");
    }
}

#[test]
fn an_editions_home_is_the_customers_text_with_finished_reports_before_the_one_in_progress() {
    let site = built();
    for c in &CUSTOMERS {
        let home = read(&site.root().join("editions").join(c.slug).join("index.html"));
        let marker = format!("{}HOME", c.slug.to_uppercase());
        assert!(home.contains(&marker), "{}: {marker}", c.slug);
        assert!(
            home.contains(&format!("{} 様 運用レポート", c.name)),
            "{}",
            c.slug
        );
        for other in CUSTOMERS.iter().filter(|o| o.slug != c.slug) {
            assert!(!home.contains(&format!("{}HOME", other.slug.to_uppercase())));
        }
        // Cards in order; each card's text up to its end.
        let card = |title: &str| -> (usize, &str) {
            let at = home
                .find(title)
                .unwrap_or_else(|| panic!("{}: {title}", c.slug));
            let end = home[at..].find("</li>").map_or(home.len(), |e| at + e);
            (at, &home[at..end])
        };
        let (october, october_card) = card("月次KPIレビュー 2026年10月");
        let (november, november_card) = card("月次KPIレビュー 2026年11月");
        assert!(october < november, "{}: the finished month first", c.slug);
        assert!(
            !october_card.contains("期間途中"),
            "{}: {october_card}",
            c.slug
        );
        assert!(
            november_card.contains("期間途中"),
            "{}: {november_card}",
            c.slug
        );
        // The customer's text before the list of reports.
        assert!(home.find(&marker).unwrap() < october, "{}", c.slug);
    }
    // The homes are not pages of the internal site or of any edition.
    assert!(!site.root().join("output/homes").exists());
    let internal = read(&site.root().join("output/index.html"));
    assert!(!internal.contains("HOME"), "{internal}");
}

#[test]
fn each_customers_pdf_states_its_own_terms_and_leaves_a_draft_out_saying_so() {
    if !crate::pdf::tools() {
        return;
    }
    let site = TestSite::fixture("msp-site");
    for c in &CUSTOMERS {
        let o = site.run(&[
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--as-of",
            AS_OF,
            "--customer",
            c.slug,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let said = stderr(&o);
        if c.slug == "nankai" {
            assert!(
                said.contains("content/reports/monthly/2026-10/nankai.md")
                    && said.contains("draft"),
                "the draft is named: {said}"
            );
        } else {
            assert!(!said.contains("draft"), "{said}");
        }
        let pdf = site
            .root()
            .join("pdf")
            .join(c.slug)
            .join(format!("{}-monthly-2026-10.pdf", c.slug));
        let text = crate::pdf::text(&pdf);
        // pdftotext breaks lines inside a table cell: read the words without breaks.
        let flat: String = text.split_whitespace().collect();
        let squeezed = |s: &str| s.split_whitespace().collect::<String>();
        for word in c.own.iter().chain(c.terms) {
            assert!(
                flat.contains(&squeezed(word)),
                "{} PDF: `{word}` missing",
                c.slug
            );
        }
        for marker in MARKERS.iter().filter(|m| **m != c.slug.to_uppercase()) {
            assert!(!flat.contains(marker), "{} PDF: `{marker}`", c.slug);
        }
        for word in c.never {
            assert!(!flat.contains(&squeezed(word)), "{} PDF: `{word}`", c.slug);
        }
        assert!(
            text.contains(&format!("{} 御中", c.name)),
            "{} cover",
            c.slug
        );
    }
}

#[test]
fn each_customers_mail_carries_its_commentary_contract_and_targets() {
    let site = TestSite::fixture("msp-site");
    let o = site.run_in(
        ".",
        &[
            "email",
            "monthly",
            "--period",
            "2026-10",
            "--as-of",
            AS_OF,
            "--all-customers",
            "--output",
            "mail",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nankai.md") && stderr(&o).contains("draft"),
        "the draft left out of nankai's mail is named: {}",
        stderr(&o)
    );
    for c in &CUSTOMERS {
        let folder = site.root().join("mail").join(c.name);
        for file in ["2026-10.txt", "2026-10.html"] {
            let text = read(&folder.join(file));
            only_its_own(c, &text, &format!("{}'s {file}", c.slug));
        }
    }
    // In plain text, each of the two contracts' targets on one line with its days.
    let text = read(&site.root().join("mail/北陸フーズ株式会社/2026-10.txt"));
    assert!(
        text.contains("10月15日まで 4 時間以内（24 時間）、10月16日から 2 時間以内（24 時間）"),
        "{text}"
    );
}

/// A customer's commentary whose front matter is broken is in no edition's content: the mail
/// (and the PDF, through the same report source) stops at its line, as the build does, instead
/// of going out without it.
#[test]
fn a_customers_commentary_that_cannot_be_read_stops_its_mail() {
    let site = TestSite::fixture("msp-site");
    let path = "content/reports/monthly/2026-10/toto.md";
    let text = read(&site.root().join(path));
    site.write(path, &text.replacen("---\n", "---\nhighlights: [oops\n", 1));
    let mail = |who: &str| {
        site.run(&[
            "email",
            "monthly",
            "--period",
            "2026-10",
            "--as-of",
            AS_OF,
            "--customer",
            who,
            "--dry-run",
        ])
    };
    let o = mail("toto");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{path}:")) && stderr(&o).contains("no mail written"),
        "{}",
        stderr(&o)
    );
    // Another customer's mail does not carry this one's problem.
    let o = mail("nankai");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_workbook_and_csv_downloads_begin_with_the_customers_commentary() {
    let site = built();
    let csv = read(
        &site
            .root()
            .join("editions/toto/reports/monthly/2026-10/2026-10-commentary.csv"),
    );
    let first: Vec<&str> = csv.lines().take(3).collect();
    assert!(
        first[1].contains("概要") && first[1].contains("TOTOSUMMARY"),
        "{csv}"
    );
    assert!(first[2].contains("TOTOBODY"), "{csv}");
    assert!(!csv.contains("INTERNAL"), "{csv}");
    assert!(!site
        .root()
        .join("editions/nankai/reports/monthly/2026-10/2026-10-commentary.csv")
        .exists());
}

#[test]
fn a_ticket_is_measured_against_the_contract_in_force_when_it_was_opened() {
    // Hokuriku's high tickets in October: HKF-018 (opened 10/11, answered in 3 h: met under the
    // old 4 h), HKF-025 (10/19, 25 min: met under the new 2 h), HKF-030 (10/24, 3 h: breached
    // under the new 2 h).
    let site = TestSite::fixture("msp-site");
    let o = site.run(&[
        "kpi",
        "--customer",
        "hokuriku",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let high = &v["kpis"]["sla.response.high"];
    assert_eq!(
        (high["met"].as_i64(), high["breached"].as_i64()),
        (Some(2), Some(1)),
        "{high}"
    );
}

#[test]
fn commentary_in_the_wrong_place_is_an_error_that_says_where_it_belongs() {
    let site = TestSite::fixture("msp-site");
    site.write(
        "content/reports/monthly/2026-10/totto.md",
        "---\ntitle: x\n---\ntypo\n",
    );
    site.write(
        "content/reports/monthly/2026-10/_index.md",
        "---\ntitle: x\n---\n",
    );
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = said(&o);
    assert!(!o.status.success(), "{said}");
    assert!(
        said.contains("content/reports/monthly/2026-10/totto.md") && said.contains("toto"),
        "the unknown slug and the closest one: {said}"
    );
    assert!(
        said.contains("content/reports/monthly/2026-10/_index.md")
            && said.contains("content/reports/monthly/2026-10.md"),
        "where the internal commentary belongs: {said}"
    );
}

#[test]
fn days_a_customers_own_contracts_leave_uncovered_state_the_catch_all_contract() {
    let site = TestSite::fixture("msp-site");
    // 北陸's revised contract is gone: from 10-16 its tickets fall to ベーシック契約 (`*`).
    site.edit_config(|c| {
        c.replace(
            "  - name: スタンダード契約（2026年10月16日改定）\n    customers: 北陸フーズ株式会社\n    from: 2026-10-16\n    response:\n      high: {within: 2h}\n",
            "",
        )
    });
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(
        &site
            .root()
            .join("editions/hokuriku/reports/monthly/2026-10/index.html"),
    );
    let stated = "スタンダード契約（10月15日まで）、ベーシック契約（10月16日から）";
    assert!(
        page.contains(&format!("適用契約: {stated}")),
        "both contracts, with their days"
    );
    // The internal 顧客別 table names both too.
    let internal = read(
        &site
            .root()
            .join("output/reports/monthly/2026-10/index.html"),
    );
    assert!(internal.contains(stated), "the 顧客別 table");
}

#[test]
fn an_indicator_that_contradicts_a_customers_availability_target_is_warned_about() {
    let site = TestSite::fixture("msp-site");
    let o = site.run(&["check", "--as-of", AS_OF]);
    let said = said(&o);
    // 南海's basic contract sets 会員サイト at 99.5; the site's indicator judges it at 99.9.
    assert!(
        said.contains("南海ロジスティクス株式会社: the indicator `web_up` judges web's availability against >= 99.9 while the customer's availability target is 99.5"),
        "{said}"
    );
    assert!(
        !said.contains("北陸フーズ株式会社: the indicator"),
        "{said}"
    );
}

#[test]
fn trends_start_where_the_data_does_and_state_targets_as_the_tables_do() {
    let site = built();
    let page = read(
        &site
            .root()
            .join("editions/hokuriku/reports/monthly/2026-10/index.html"),
    );
    let trends = &page[page.find("推移").expect("the trends")..];
    // The exports begin in September 2026: no empty months before it.
    assert!(trends.contains("2026-09") && trends.contains("2026-10"));
    for empty in ["2025-11", "2026-03", "2026-08"] {
        assert!(!trends.contains(empty), "`{empty}` on a trend chart");
    }
    // Targets in the captions have the tables' decimals.
    assert!(
        page.contains("稼働率 (目標 99.90 %)"),
        "the availability caption"
    );
    assert!(!page.contains("(目標 99.9 %)"));
}

/// `kpi --customer` takes an edition's slug, and a slug mistyped is told which one was meant,
/// as `email` and `pdf` tell it.
#[test]
fn kpi_for_a_mistyped_slug_says_which_was_meant() {
    let site = TestSite::fixture("msp-site");
    let o = site.run(&[
        "kpi",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--customer",
        "totto",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no such customer (did you mean `toto`?)"),
        "{}",
        stderr(&o)
    );
    let o = site.run(&[
        "kpi",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--customer",
        "toto",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}
