//! A report an MSP can sign (issue 65): the PDF's cover says who it is for and from, when it
//! was issued, its document number and revision, the contract, the person in charge and the
//! confidentiality mark, which every page header repeats. Fixture `msp-site`.

use crate::support::{stderr, TestSite};

const AS_OF: &str = "2026-11-05T09:00";

/// The text of the first page of `pdf`, its runs of spaces made one.
fn cover(pdf: &std::path::Path) -> String {
    let text = crate::pdf::text(pdf);
    let first = text.split('\u{c}').next().unwrap_or_default();
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_customers_cover_names_issue_date_number_revision_contract_contact_and_mark() {
    if !crate::pdf::tools() {
        return;
    }
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| {
        let c = c.replace(
            "  author: サンプル運用サービス株式会社\n",
            "  author: サンプル運用サービス株式会社\n  contact: 運用サービス部 山田\n  document_number: \"OPS-{slug}-{kind}-{period}\"\n  classification: 社外秘\n",
        );
        // 東都 has a person of its own.
        c.replace(
            "    home: content/homes/toto.md\n",
            "    home: content/homes/toto.md\n    contact: 東都担当 佐藤\n",
        )
    });
    for (slug, contact, contract) in [
        (
            "hokuriku",
            "運用サービス部 山田",
            "スタンダード契約（10月15日まで）",
        ),
        ("toto", "東都担当 佐藤", "プレミアム契約"),
    ] {
        let o = site.run(&[
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--as-of",
            AS_OF,
            "--customer",
            slug,
            "--revision",
            "2",
            "--issued",
            "2026-11-06",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = site
            .root()
            .join("pdf")
            .join(slug)
            .join(format!("{slug}-monthly-2026-10.pdf"));
        let page = cover(&pdf);
        for want in [
            "御中",
            "対象期間 2026年10月1日〜10月31日",
            "発行日 2026年11月6日",
            &format!("文書番号 OPS-{slug}-monthly-2026-10"),
            "版数 第2版",
            &format!("担当者 {contact}"),
            contract,
            "社外秘",
        ] {
            assert!(
                page.contains(want),
                "{slug}: `{want}` not on the cover: {page}"
            );
        }
        // Every page's header carries the mark.
        let text = crate::pdf::text(&pdf);
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(pages.len() > 2);
        for (n, p) in pages.iter().enumerate().skip(1) {
            assert!(p.contains("社外秘"), "{slug}: page {} has no mark", n + 1);
        }
    }
    // The internal report's number says so; the issue date defaults to the as-of day.
    let o = site.run(&["pdf", "monthly", "--period", "2026-10", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = cover(&site.root().join("pdf/monthly-2026-10.pdf"));
    assert!(page.contains("OPS-internal-monthly-2026-10"), "{page}");
    assert!(
        page.contains("発行日 2026年11月5日") && page.contains("第1版"),
        "{page}"
    );
}

#[test]
fn a_cover_leaves_out_what_the_site_does_not_set() {
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
        "nankai",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = cover(&site.root().join("pdf/nankai/nankai-monthly-2026-10.pdf"));
    assert!(
        page.contains("版数 第1版") && page.contains("ベーシック契約"),
        "{page}"
    );
    for absent in ["文書番号", "担当者", "社外秘"] {
        assert!(
            !page.contains(absent),
            "`{absent}` on a cover that sets none: {page}"
        );
    }
    let o = site.run(&[
        "pdf",
        "monthly",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--revision",
        "0",
    ]);
    assert!(!o.status.success(), "revision 0 is refused");
}

#[test]
fn a_customers_pdf_is_named_with_its_slug_and_output_may_name_one_file() {
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
        "toto",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site
        .root()
        .join("pdf/toto/toto-monthly-2026-10.pdf")
        .is_file());
    // One document to a file of one's choosing, marked private beside it.
    let o = site.run_in(
        ".",
        &[
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--as-of",
            AS_OF,
            "--customer",
            "toto",
            "--output",
            "out/東都-10月.pdf",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.root().join("out/東都-10月.pdf").is_file());
    assert!(site
        .root()
        .join("out/.東都-10月.pdf.opsite-private")
        .is_file());
    // Several documents need a folder.
    let o = site.run_in(
        ".",
        &[
            "pdf",
            "monthly",
            "--period",
            "2026-10",
            "--as-of",
            AS_OF,
            "--all-customers",
            "--output",
            "all.pdf",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("give a folder"), "{}", stderr(&o));
    // A pattern of the site's own.
    site.edit_config(|c| {
        c.replace(
            "  author: サンプル運用サービス株式会社\n",
            "  author: サンプル運用サービス株式会社\n  file_name: \"{customer}_{period}_月次報告書\"\n",
        )
    });
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
    let named = site
        .root()
        .join("pdf/hokuriku/北陸フーズ株式会社_2026-10_月次報告書.pdf");
    assert!(named.is_file(), "{}", stderr(&o));
}

#[test]
fn customers_read_plain_words_and_no_error_budget_unless_asked() {
    let site = TestSite::fixture("msp-site");
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |p: &str| std::fs::read_to_string(site.root().join(p)).unwrap();
    let page = read("editions/hokuriku/reports/monthly/2026-10/index.html");
    for jargon in ["p50", "p90", "MTTA", "MTTR", "エラーバジェット"] {
        assert!(!page.contains(jargon), "`{jargon}` on a customer's page");
    }
    for plain in [
        "平均初回応答時間",
        "平均解決時間",
        "中央値",
        "90 パーセンタイル",
    ] {
        assert!(page.contains(plain), "`{plain}` missing");
    }
    let book = read("editions/hokuriku/reports/monthly/2026-10/2026-10-services.csv");
    assert!(!book.contains("エラーバジェット"), "{book}");
    // The internal site keeps its engineering figure.
    let internal = read("output/reports/monthly/2026-10/index.html");
    assert!(internal.contains("エラーバジェット残り"));
    if crate::pdf::tools() {
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
        for jargon in ["p50", "p90", "MTTA", "MTTR", "エラーバジェット"] {
            assert!(!text.contains(jargon), "`{jargon}` in a customer's PDF");
        }
    }
    // `reports.error_budget: all` shows it to customers too.
    site.edit_config(|c| format!("{c}reports:\n  error_budget: all\n"));
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read("editions/hokuriku/reports/monthly/2026-10/index.html")
        .contains("エラーバジェット残り"));
}

#[test]
fn a_customers_workbook_says_whose_report_on_every_sheet_and_page() {
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| {
        c.replace(
            "  author: サンプル運用サービス株式会社\n",
            "  author: サンプル運用サービス株式会社\n  classification: 社外秘\n",
        )
    });
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let book = site
        .root()
        .join("editions/hokuriku/reports/monthly/2026-10/2026-10.xlsx");
    let script = "import sys, openpyxl\nb = openpyxl.load_workbook(sys.argv[1])\nfor ws in b.worksheets:\n    print(ws.title, '|', ws['A1'].value, '|', ws.oddHeader.left.text, '|', ws.freeze_panes)\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&book)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = String::from_utf8(out.stdout).unwrap();
    assert!(lines.lines().count() > 3, "{lines}");
    for line in lines.lines() {
        let cells: Vec<&str> = line.split(" | ").collect();
        assert!(
            cells[1].starts_with("【社外秘】北陸フーズ株式会社 御中"),
            "{line}"
        );
        assert!(cells[1].contains("2026年10月1日〜10月31日"), "{line}");
        assert_eq!(
            cells[1], cells[2],
            "the page header repeats the title: {line}"
        );
        assert_eq!(cells[3], "A3", "{line}");
    }
}

#[test]
fn a_misspelt_placeholder_is_refused_before_anything_is_printed() {
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| {
        c.replace(
            "  author: サンプル運用サービス株式会社\n",
            "  author: サンプル運用サービス株式会社\n  document_number: \"OPS-{slg}-{period}\"\n",
        )
    });
    let o = site.run(&[
        "pdf",
        "monthly",
        "--period",
        "2026-10",
        "--as-of",
        AS_OF,
        "--customer",
        "toto",
    ]);
    assert!(!o.status.success());
    let said = stderr(&o);
    assert!(
        said.contains("pdf.document_number: `{slg}` is no placeholder (did you mean {slug}?)"),
        "{said}"
    );
    assert!(!site.root().join("pdf").exists());
}

/// 東都's October report printed as of `AS_OF`, which must succeed: its file.
/// `opsite <command> monthly` of October for the customer `slug`, with `extra` arguments.
fn october(site: &TestSite, command: &str, slug: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![command, "monthly", "--period", "2026-10", "--as-of", AS_OF];
    args.extend(["--customer", slug]);
    args.extend_from_slice(extra);
    site.run(&args)
}

fn toto_pdf(site: &TestSite) -> std::path::PathBuf {
    let o = october(site, "pdf", "toto", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    site.root().join("pdf/toto/toto-monthly-2026-10.pdf")
}

/// The PDF's pages as text, each page's runs of spaces made one per line.
fn pages(pdf: &std::path::Path) -> Vec<String> {
    crate::pdf::text(pdf)
        .split('\u{c}')
        .map(|p| {
            p.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

#[test]
fn the_contents_give_each_numbered_section_the_page_it_starts_on() {
    if !crate::pdf::tools() {
        return;
    }
    contents_numbered(&TestSite::fixture("msp-site"));
}

#[test]
fn a_sites_own_report_template_without_the_page_marks_still_gets_its_contents_numbered() {
    if !crate::pdf::tools() {
        return;
    }
    // A template written before the numbers were set in the printed page: it shows
    // `outline[].page` itself, and the document is rendered again with them.
    let ours = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/pdf/report.html"),
    )
    .unwrap();
    let mark = r#" data-page-of="{{ s.id }}""#;
    assert!(ours.contains(mark));
    // Without the marks, and with a mark on the first line only.
    for replaced in [
        "",
        r#"{% if loop.first %} data-page-of="{{ s.id }}"{% endif %}"#,
    ] {
        let site = TestSite::fixture("msp-site");
        site.write("templates/pdf/report.html", &ours.replace(mark, replaced));
        contents_numbered(&site);
    }
    // A mark naming no section is the template's mistake, said as such.
    let site = TestSite::fixture("msp-site");
    site.write(
        "templates/pdf/report.html",
        &ours.replace(mark, r#" data-page-of="{{ s.id }}-typo""#),
    );
    let o = october(&site, "pdf", "toto", &[]);
    let said = stderr(&o);
    assert!(!o.status.success(), "{said}");
    assert!(
        said.contains("data-page-of") && said.contains("-typo"),
        "{said}"
    );
    assert!(!site
        .root()
        .join("pdf/toto")
        .join("toto-monthly-2026-10.pdf")
        .exists());
}

#[test]
fn a_style_that_moves_the_sections_once_the_contents_are_numbered_does_not_make_them_wrong() {
    if !crate::pdf::tools() {
        return;
    }
    // Raw HTML in a commentary (allowed by default) whose style grows the page once the numbers
    // are shown: they are read again until the sections stay where the numbers say.
    let site = TestSite::fixture("msp-site");
    let commentary = "content/reports/monthly/2026-10/toto.md";
    let text = std::fs::read_to_string(site.root().join(commentary)).unwrap();
    let (front, body) = text.split_at(text.rfind("---").unwrap() + 3);
    site.write(
        commentary,
        &format!("{front}\n\n<style>body:has(.pdf-page-number[data-page]) .pad {{ height: 500mm; }}</style>\n<div class=\"pad\"></div>\n{body}"),
    );
    contents_numbered(&site);
}

/// The customer's report of `site`, with a long commentary: its contents give each section the
/// page it starts on.
fn contents_numbered(site: &TestSite) {
    // A long commentary whose own headings take the names and ids of the report's sections:
    // they must not take their place in the contents.
    let commentary = "content/reports/monthly/2026-10/toto.md";
    let mut text = std::fs::read_to_string(site.root().join(commentary)).unwrap();
    text.push_str("\n## SLA 達成率 {#sla}\n\nコメントの中の見出しです。\n\n## outages\n\n");
    for n in 0..120 {
        text.push_str(&format!("- 補足 {n}\n"));
    }
    site.write(commentary, &text);
    let pages = pages(&toto_pdf(site));
    assert!(
        pages.len() > 7,
        "the commentary pushes the sections on: {} pages",
        pages.len()
    );
    let contents = &pages[1];
    assert!(
        contents.starts_with("目次") || contents.contains("\n目次"),
        "{contents}"
    );
    // `1. 概要 3`: a numbered title and the page it starts on.
    let lines: Vec<(String, usize)> = (contents.lines())
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter_map(|l| {
            let (title, page) = l.rsplit_once(' ')?;
            Some((title.to_string(), page.parse().ok()?))
        })
        .collect();
    let titles: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
    assert!(lines.len() >= 6, "{contents}");
    assert_eq!(titles[0], "1. 概要", "{contents}");
    for want in ["SLA 達成率", "SLA 違反チケット", "障害・停止"] {
        assert!(
            titles.iter().any(|t| t.ends_with(want)),
            "{want}: {contents}"
        );
    }
    for (i, (title, page)) in lines.iter().enumerate() {
        assert!(
            title.starts_with(&format!("{}. ", i + 1)),
            "numbered in order: {title}"
        );
        let sheet = &pages[page - 1];
        assert!(
            sheet.lines().any(|l| l == title),
            "`{title}` is not a heading on page {page}:\n{sheet}"
        );
        // Nor did it start earlier.
        for earlier in &pages[2..page - 1] {
            assert!(
                !earlier.lines().any(|l| l == title),
                "`{title}` before page {page}"
            );
        }
    }
    // One date style: no ISO day anywhere in the customer's document.
    let all = pages.join("\n");
    let iso = all.as_bytes().windows(10).find(|w| {
        let s = String::from_utf8_lossy(w);
        s.len() == 10
            && s.chars().enumerate().all(|(i, c)| match i {
                4 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            })
    });
    assert!(
        iso.is_none(),
        "an ISO date: {:?}",
        iso.map(String::from_utf8_lossy)
    );
    assert!(
        all.contains("10/30 17:51"),
        "a ticket's deadline in the tables' style"
    );
}

#[test]
fn the_cover_may_give_its_dates_in_the_japanese_era() {
    if !crate::pdf::tools() {
        return;
    }
    let site = TestSite::fixture("msp-site");
    site.edit_config(|c| {
        c.replace(
            "  author: サンプル運用サービス株式会社\n",
            "  author: サンプル運用サービス株式会社\n  era: japanese\n",
        )
    });
    let page = cover(&toto_pdf(&site));
    for want in [
        "対象期間 令和8年10月1日〜10月31日",
        "発行日 令和8年11月5日",
        "令和8年11月1日 0:00",
    ] {
        assert!(page.contains(want), "`{want}`: {page}");
    }
    // A misspelt era is an error at its line, not a silent western date.
    site.edit_config(|c| c.replace("  era: japanese\n", "  era: japan\n"));
    let o = site.run(&["check"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("era"), "{}", stderr(&o));
}

#[test]
fn a_workbook_is_saved_under_its_customers_name_and_the_sites_pattern() {
    let site = TestSite::fixture("msp-site");
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = |p: &str| std::fs::read_to_string(site.root().join(p)).unwrap();
    let edition = page("editions/hokuriku/reports/monthly/2026-10/index.html");
    // The address stays; the name a browser saves it under carries the customer.
    assert!(
        edition.contains("href=\"2026-10.xlsx\" download=\"hokuriku-monthly-2026-10.xlsx\""),
        "{edition}"
    );
    let internal = page("output/reports/monthly/2026-10/index.html");
    assert!(internal.contains("download=\"monthly-2026-10.xlsx\""));
    site.edit_config(|c| format!("{c}\nreports:\n  workbook_name: \"{{customer}}_{{period}}\"\n"));
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let edition = page("editions/hokuriku/reports/monthly/2026-10/index.html");
    assert!(
        edition.contains("download=\"北陸フーズ株式会社_2026-10.xlsx\""),
        "{edition}"
    );
    site.edit_config(|c| c.replace("{period}\"", "{perod}\""));
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "reports.workbook_name: `{perod}` is no placeholder (did you mean {period}?)"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_pdf_and_a_mail_say_what_build_says_of_an_indicator_and_a_target_judging_one_figure_apart() {
    if !crate::pdf::tools() {
        return;
    }
    // The fixture's 南海 has an indicator at 99.9 % over a contract's 99.5 % availability target.
    let site = TestSite::fixture("msp-site");
    for (command, extra) in [("pdf", &[][..]), ("email", &["--dry-run"][..])] {
        let o = october(&site, command, "nankai", extra);
        let said = stderr(&o);
        assert!(o.status.success(), "{said}");
        assert!(
            said.contains("site.yaml:61:")
                && said.contains("one figure would read met in one table and missed in the next"),
            "{command}: {said}"
        );
    }
}
