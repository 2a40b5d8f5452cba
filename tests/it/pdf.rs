//! `opsite pdf`: reports and section handbooks as A4 PDFs, read back with poppler-utils
//! (`pdfinfo`, `pdffonts`, `pdftotext`), tools independent of the Chromium that printed them.
//!
//! These tests need Chromium and poppler-utils. Where either is missing they say so and pass,
//! unless `OPSITE_REQUIRE_PDF_TOOLS=1` (set by `.ci/run`, which installs both) makes that a
//! failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{stderr, TestSite};

const AS_OF: &str = "2026-11-22T09:00";

/// Every customer's monthly report of November (not over at `AS_OF`).
const ALL_NOVEMBER: &[&str] = &[
    "pdf",
    "monthly",
    "--period",
    "2026-11",
    "--as-of",
    AS_OF,
    "--all-customers",
];

/// Whether Chromium and poppler-utils are here; without them, a note (or a failure in CI).
pub(crate) fn tools() -> bool {
    let has = |name: &str| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|d| d.join(name).is_file())
    };
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|b| has(b));
    let poppler = has("pdftotext") && has("pdfinfo") && has("pdffonts");
    if browser && poppler {
        return true;
    }
    let missing = format!("chromium: {browser}, poppler-utils: {poppler}");
    if std::env::var_os("OPSITE_REQUIRE_PDF_TOOLS").is_some() {
        panic!("OPSITE_REQUIRE_PDF_TOOLS is set and a tool is missing ({missing})");
    }
    // Past the test harness's capture (which keeps `eprintln!` of a passing test to itself),
    // once a run: whoever runs the tests sees what was not tested.
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        use std::io::Write;
        let line = format!("skipped: the PDF tests need Chromium and poppler-utils ({missing})\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
    });
    false
}

pub(crate) fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    assert!(out.status.success(), "pdfinfo {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The `CreationDate:` line `pdfinfo -isodates` prints (empty without one).
fn creation_date(pdf: &Path) -> String {
    let out = Command::new("pdfinfo")
        .arg("-isodates")
        .arg(pdf)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout).to_string();
    (out.lines())
        .find(|l| l.starts_with("CreationDate:"))
        .unwrap_or_default()
        .to_string()
}

fn fonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn pages(pdf: &Path) -> usize {
    let info = info(pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line[6..].trim().parse().unwrap()
}

fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of every figure cell (`<td class="num">`) of a report page's tables (not the
/// charts' data tables, folded away on screen and left out on paper).
fn figure_cells(html: &str) -> Vec<String> {
    let mut tables = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<details class=\"chart-data\"") {
        tables.push_str(&rest[..at]);
        let end = rest[at..].find("</details>").unwrap();
        rest = &rest[at + end..];
    }
    tables.push_str(rest);
    let mut out = Vec::new();
    // Number cells: `<td class="num">`, or with the column's name for phones first.
    for part in tables.split("<td").skip(1) {
        let Some((attributes, part)) = part.split_once('>') else {
            continue;
        };
        if !attributes.contains("class=\"num\"") {
            continue;
        }
        let cell = &part[..part.find("</td>").unwrap()];
        let mut plain = String::new();
        let mut in_tag = false;
        for c in cell.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let plain = plain
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        if !plain.trim().is_empty() {
            out.push(squeezed(&plain));
        }
    }
    out
}

/// The three-customer fixture with `extra` added to its site.yaml.
fn with_config(extra: &str) -> TestSite {
    let site = TestSite::fixture("editions-site");
    site.edit_config(|yaml| format!("{yaml}{extra}"));
    site
}

fn run_ok(site: &TestSite, args: &[&str]) -> String {
    let out = site.run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stderr(&out)
}

fn pdf_path(site: &TestSite, rel: &str) -> PathBuf {
    site.root().join("pdf").join(rel)
}

/// The November report of one customer, printed alone.
fn november_alone(slug: &str) -> Vec<&str> {
    let mut alone = ALL_NOVEMBER.to_vec();
    alone.retain(|a| *a != "--all-customers");
    alone.extend(["--customer", slug]);
    alone
}

/// `slug`'s November report, printed with the others just before, is the same bytes printed
/// alone.
fn printed_alone_as_in_the_batch(site: &TestSite, slug: &str) {
    let path = pdf_path(site, &format!("{slug}/{slug}-monthly-2026-11.pdf"));
    let in_batch = std::fs::read(&path).unwrap();
    run_ok(site, &november_alone(slug));
    let printed_alone = std::fs::read(&path).unwrap();
    assert!(
        in_batch == printed_alone,
        "{slug}'s report differs printed alone"
    );
}

#[test]
fn the_monthly_report_is_an_a4_document_with_the_pages_figures_and_fonts_embedded() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    run_ok(&site, &["build", "--as-of", AS_OF]);
    let said = run_ok(
        &site,
        &["pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF],
    );
    let pdf = pdf_path(&site, "monthly-2026-11.pdf");
    assert!(said.contains("monthly-2026-11.pdf"), "{said}");
    let info = info(&pdf);
    assert!(info.contains("(A4)"), "{info}");
    assert!(
        info.contains("2026年11月"),
        "the title names the period: {info}"
    );
    assert!(pages(&pdf) >= 2, "a cover and the report");
    // Tagged, with an outline of its headings: the print kept is a whole one (the first print
    // of a document with numbered contents only finds where its sections fall, and is neither).
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.trim_end().ends_with("yes")),
        "{info}"
    );
    let raw = std::fs::read(&pdf).unwrap();
    assert!(raw.windows(9).any(|w| w == b"/Outlines"), "no outline");
    let bytes = std::fs::metadata(&pdf).unwrap().len();
    assert!(bytes < 2_000_000, "{bytes} bytes");
    // Every font embedded, and real fonts rather than glyphs drawn as pictures (Type 3).
    let fonts = fonts(&pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "not embedded: {row}");
        assert!(!row.contains("Type 3"), "{row}");
    }
    assert!(
        fonts.contains("NotoSansCJKjp"),
        "the font opsite carries: {fonts}"
    );
    // Every figure of the report page is in the document's text, and the cover's words.
    let page = std::fs::read_to_string(
        site.root()
            .join("output/reports/monthly/2026-11/index.html"),
    )
    .unwrap();
    let text = text(&pdf);
    let flat = squeezed(&text);
    let cells = figure_cells(&page);
    assert!(cells.len() > 10, "{cells:?}");
    for cell in &cells {
        assert!(
            flat.contains(cell.as_str()),
            "figure `{cell}` not in the PDF's text"
        );
    }
    assert!(text.contains("月次報告書"), "{text}");
    assert!(
        text.contains("1 / ") || text.contains("1/"),
        "page numbers: {text}"
    );
    // Twice the same text, and the same dates: the report's as-of, not the moment it was printed
    // (Chromium may number its tagged structure differently from one print to the next).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run_ok(
        &site,
        &["pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF],
    );
    assert_eq!(self::text(&pdf), text);
    let created = creation_date(&pdf);
    assert!(
        created.contains("2026-11-22T09:00:00+09"),
        "the as-of, in the site's zone: {created}"
    );
    // Issued on another day, the document says it was made that day, as its cover does.
    run_ok(
        &site,
        &[
            "pdf",
            "monthly",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--issued",
            "2026-11-25",
        ],
    );
    let created = creation_date(&pdf);
    assert!(created.contains("2026-11-25T09:00:00+09"), "{created}");
}

/// What each of the fixture's customers owns (as the editions' test lists it).
fn owned_by(slug: &str) -> &'static [&'static str] {
    match slug {
        "hokuto" => &["北斗会", "北斗", "HKT-101", "HKT-102", "HOKUMARK"],
        "nankai" => &["南海商事", "南海", "NKI-201", "NKI-202", "NANMARK"],
        "toho" => &["東邦物産", "東邦", "THO-301", "TOHMARK"],
        _ => unreachable!(),
    }
}

#[test]
fn each_customers_pdf_is_addressed_to_it_and_holds_nothing_of_the_others() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    run_ok(&site, ALL_NOVEMBER);
    let slugs = ["hokuto", "nankai", "toho"];
    for slug in slugs {
        let pdf = pdf_path(&site, &format!("{slug}/{slug}-monthly-2026-11.pdf"));
        let text = text(&pdf);
        let name = owned_by(slug)[0];
        assert!(text.contains(&format!("{name} 御中")), "{slug}: {text}");
        let raw = std::fs::read(&pdf).unwrap();
        let info = info(&pdf);
        for other in slugs.iter().filter(|s| **s != slug) {
            for word in owned_by(other) {
                assert!(
                    !text.contains(word),
                    "{slug}'s PDF holds `{word}` of {other}"
                );
                assert!(!info.contains(word), "{slug}'s PDF metadata holds `{word}`");
                let needle = word.as_bytes();
                assert!(
                    !raw.windows(needle.len()).any(|w| w == needle),
                    "{slug}'s PDF bytes hold `{word}`"
                );
            }
        }
    }
    // The internal site's report is not written by a customers' run.
    assert!(!pdf_path(&site, "monthly-2026-11.pdf").exists());
}

#[test]
fn one_customer_by_slug_or_name_and_a_wrong_one_is_refused_with_the_list() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    run_ok(
        &site,
        &[
            "pdf",
            "weekly",
            "--period",
            "2026-W47",
            "--as-of",
            AS_OF,
            "--customer",
            "南海商事",
        ],
    );
    assert!(pdf_path(&site, "nankai/nankai-weekly-2026-W47.pdf").is_file());
    let out = site.run(&[
        "pdf",
        "monthly",
        "--as-of",
        AS_OF,
        "--customer",
        "hokuto-kai",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("no such edition") && err.contains("hokuto (北斗会)"),
        "{err}"
    );
}

#[test]
fn mistakes_are_one_clear_error_each_and_write_nothing() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    let cases: &[(&[&str], &str)] = &[
        (
            &["pdf", "monthly", "--period", "2024-01", "--as-of", AS_OF],
            "no data for 2024-01",
        ),
        (
            &["pdf", "monthly", "--period", "2026-W47", "--as-of", AS_OF],
            "is for a month",
        ),
        // A customer's month the data has not: the months it has are said.
        (
            &["pdf", "monthly", "--period", "2024-01", "--as-of", AS_OF, "--customer", "nankai"],
            "南海商事: no monthly report for 2024-01 in its edition (the data has monthly reports from",
        ),
        (
            &["pdf", "section", "/hepl/", "--as-of", AS_OF],
            "did you mean `/help/`",
        ),
        (
            &["pdf", "section", "--as-of", AS_OF],
            "give the section's path",
        ),
        (
            &["pdf", "monthly", "/help/", "--as-of", AS_OF],
            "takes no section path",
        ),
        // The period without its flag: the hint is the flag, not another command.
        (
            &["pdf", "monthly", "2026-10", "--as-of", AS_OF],
            "did you mean `opsite pdf monthly --period 2026-10`?",
        ),
    ];
    let inside_output = site.root().join("output/pdf").display().to_string();
    let refused: &[&str] = &[
        "pdf",
        "monthly",
        "--output",
        &inside_output,
        "--as-of",
        AS_OF,
    ];
    for (args, says) in cases
        .iter()
        .chain([&(refused, "inside the site's output/")])
    {
        let out = site.run(args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{err}"
        );
    }
    assert!(!site.root().join("pdf").exists(), "nothing written");
    assert!(!site.root().join("output").exists(), "nothing written");
}

#[test]
fn without_a_browser_the_error_names_what_to_install_and_the_previous_pdf_stays() {
    let site = TestSite::fixture("editions-site");
    site.write("pdf/monthly-2026-11.pdf", "the previous one");
    let out = Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args([
            "pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF, "--root",
        ])
        .arg(site.root())
        .env("OPSITE_CHROMIUM", site.root().join("no-such-browser"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("OPSITE_CHROMIUM") && err.contains("no such file"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args([
            "pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF, "--root",
        ])
        .arg(site.root())
        .env("PATH", site.root())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.root().join("pdf/monthly-2026-11.pdf")).unwrap(),
        "the previous one"
    );
}

/// A section of three pages linking to each other, with headings of the same name on each.
fn handbook_site() -> TestSite {
    let site = TestSite::fixture("editions-site");
    site.write(
        "content/oncall/_index.md",
        "---\ntitle: 当番ハンドブック\n---\n\n夜間当番の手順です。[DB の手順](db.md#確認) を先に読んでください。\n",
    );
    site.write(
        "content/oncall/db.md",
        "---\ntitle: DB 障害\nweight: 1\n---\n\n## 確認\n\n接続数を見る。[ディスクの確認](disk.md#確認)、[この節](#確認)。\n\n![構成図](img/構成.svg)\n",
    );
    site.write(
        "content/oncall/img/構成.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"20\"><text y=\"15\">DIAGRAM</text></svg>",
    );
    let long: String = (1..=120)
        .map(|i| format!("{i}. 手順 {i} を実行する\n"))
        .collect();
    site.write(
        "content/oncall/disk.md",
        &format!(
            "---\ntitle: ディスク満杯\nweight: 2\n---\n\n## 確認\n\n{long}\n[社内の一覧](/help/)\n"
        ),
    );
    site
}

/// A handbook of more chapters than are printed at once: every chapter's text is in it (a
/// handbook printed in a tab that had printed another document came out without text).
#[test]
fn a_handbook_of_more_chapters_than_print_at_once_has_every_chapters_text() {
    if !tools() {
        return;
    }
    let site = handbook_site();
    for k in 1..=10 {
        site.write(
            &format!("content/oncall/extra-{k:02}.md"),
            &format!(
                "---\ntitle: 追加の手順 {k}\nweight: {}\n---\n\n追加の本文 EXTRA{k:02}。\n",
                10 + k
            ),
        );
    }
    let said = run_ok(&site, &["pdf", "section", "/oncall/", "--as-of", AS_OF]);
    assert!(said.contains("13 chapters,"), "{said}");
    let text = squeezed(&text(&pdf_path(&site, "section-oncall.pdf")));
    for k in 1..=10 {
        assert!(
            text.contains(&format!("EXTRA{k:02}")),
            "chapter {k} has no text: {text}"
        );
    }
    assert!(text.contains("接続数を見る"), "{text}");
}

/// A commentary that would send its page elsewhere while it prints (to another document's
/// folder, to a blank page) loses that tag with a warning, and every report prints with its text.
#[test]
fn a_refresh_in_a_commentary_neither_stops_the_run_nor_empties_a_report() {
    if !tools() {
        return;
    }
    let site = with_config("");
    for (slug, to) in [
        ("hokuto", "../doc-1/document.html"),
        ("nankai", "about:blank"),
    ] {
        site.write(
            &format!("content/reports/monthly/2026-11/{slug}.md"),
            &format!("---\ntitle: 所見\n---\n\n<meta http-equiv=\"refresh\" content=\"0;url={to}\">\n\n{slug}の所見本文。\n"),
        );
    }
    // A style naming the first document's folder: its own when printed alone, were folders
    // named by their place in the run.
    site.write(
        "content/reports/monthly/2026-11/toho.md",
        "---\ntitle: 所見\n---\n\n<style>@font-face{font-family:X;src:url(../doc-1/NotoSansJP-opsite.ttf)} p{font-family:X}</style>\n\ntohoの所見本文。\n",
    );
    let said = run_ok(&site, ALL_NOVEMBER);
    assert_eq!(
        said.matches("`<meta http-equiv=\"refresh\">` left out")
            .count(),
        2,
        "{said}"
    );
    for slug in ["hokuto", "nankai", "toho"] {
        let text = squeezed(&text(&pdf_path(
            &site,
            &format!("{slug}/{slug}-monthly-2026-11.pdf"),
        )));
        assert!(
            text.contains(&format!("{slug}の所見本文")),
            "{slug}: {text}"
        );
    }
    printed_alone_as_in_the_batch(&site, "toho");
    let alone = november_alone("toho");
    // An empty link is the report's own page, never the file it was printed from.
    site.write(
        "content/reports/monthly/2026-11/toho.md",
        "---\ntitle: 所見\n---\n\nコメント <a href=\"\">ここ</a>\n",
    );
    run_ok(&site, &alone);
    let pdf = std::fs::read(pdf_path(&site, "toho/toho-monthly-2026-11.pdf")).unwrap();
    assert!(
        !String::from_utf8_lossy(&pdf).contains("file:"),
        "a link names the print folder"
    );
    // A refresh from a site's own shortcode (raw HTML in Markdown loses it): said, not printed.
    site.write(
        "templates/shortcodes/redir.html",
        "<meta http-equiv=\"refresh\" content=\"0;url=/sop/\">",
    );
    site.write(
        "content/reports/monthly/2026-11/toho.md",
        "---\ntitle: 所見\n---\n\n{{< redir >}}\n",
    );
    let o = site.run(&alone);
    let said = stderr(&o);
    assert!(!o.status.success(), "{said}");
    assert!(
        said.contains("its page asks to go to another address"),
        "{said}"
    );
}

#[test]
fn a_month_no_customer_has_a_report_for_is_an_error_with_all_customers() {
    if !tools() {
        return;
    }
    let site = with_config("");
    let mut args = ALL_NOVEMBER.to_vec();
    args[3] = "2025-11";
    let o = site.run(&args);
    let said = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("error: no customer has a monthly report for 2025-11 (the data has monthly reports from"),
        "{said}"
    );
    assert!(!site.root().join("pdf").exists());
}

#[test]
fn a_section_prints_as_a_handbook_whose_contents_give_the_right_pages_and_links_stay_inside() {
    if !tools() {
        return;
    }
    let site = handbook_site();
    let said = run_ok(&site, &["pdf", "section", "oncall", "--as-of", AS_OF]);
    let pdf = pdf_path(&site, "section-oncall.pdf");
    assert!(said.contains("3 chapters"), "{said}");
    let total = pages(&pdf);
    assert!(total >= 5, "cover, contents, and a long chapter: {total}");
    let text = text(&pdf);
    // The contents: each chapter with the page it starts on, and it is there.
    for title in ["当番ハンドブック", "DB 障害", "ディスク満杯"] {
        let line = text
            .lines()
            .find(|l| l.contains(title) && l.trim_end().ends_with(|c: char| c.is_ascii_digit()))
            .unwrap_or_else(|| panic!("{title} not in the contents: {text}"));
        let n: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        assert!(n <= total, "{line}");
        let out = Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let page = String::from_utf8_lossy(&out.stdout);
        assert!(
            page.contains(title),
            "page {n} does not start {title}: {page}"
        );
    }
    // Links between chapters are destinations in the document; others carry the portal's address.
    let raw = String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).to_string();
    assert!(
        raw.contains("/Dest /c2"),
        "a link to the DB chapter inside the PDF"
    );
    assert!(
        raw.contains("/Dest /c3-"),
        "a link to a heading of the disk chapter"
    );
    assert!(
        raw.contains("https://reports.example.jp/help/") || raw.contains("/help/"),
        "the site link"
    );
    assert!(
        text.contains("DIAGRAM") || raw.contains("/Subtype /Image") || raw.contains("/XObject"),
        "the image travels with the document"
    );
    // The chapter's long table of steps: every step is there once.
    for i in [1, 60, 120] {
        assert!(text.contains(&format!("手順 {i} を実行する")), "step {i}");
    }
}

#[test]
fn a_page_cannot_put_a_file_from_elsewhere_on_the_machine_into_a_handbook() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    // A picture and a stylesheet beside the site, not part of it.
    let outside = site
        .root()
        .parent()
        .unwrap()
        .join(format!("outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.svg");
    std::fs::write(
        &secret,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"40\"><text y=\"30\" font-size=\"20\">OUTSIDESECRET</text></svg>",
    )
    .unwrap();
    std::fs::write(
        outside.join("evil.css"),
        "body::before { content: \"OUTSIDECSS\"; }",
    )
    .unwrap();
    let abs = secret.display().to_string();
    let depth = site.root().join("content/oncall").components().count();
    let up = "../".repeat(depth + 3);
    site.write(
        "content/oncall/_index.md",
        &format!(
            "---\ntitle: 当番\n---\n\n手順の前に。\n\n<img src=\"file://{abs}\" alt=\"a\"> <img src=\"{up}{}\" alt=\"b\">\n\n<style>@import url(\"file://{}\");</style>\n",
            abs.trim_start_matches('/'),
            outside.join("evil.css").display()
        ),
    );
    let said = run_ok(&site, &["pdf", "section", "/oncall/", "--as-of", AS_OF]);
    let text = text(&pdf_path(&site, "section-oncall.pdf"));
    std::fs::remove_dir_all(&outside).unwrap();
    assert!(text.contains("手順の前に"), "{text}");
    assert!(
        !text.contains("OUTSIDESECRET"),
        "a picture from outside the site was printed: {text}"
    );
    assert!(
        !text.contains("OUTSIDECSS"),
        "a stylesheet from outside the site was applied: {text}"
    );
    assert!(
        said.contains("printed without") && said.contains("secret.svg"),
        "{said}"
    );
    assert!(said.contains("1 chapter,"), "{said}");
}

#[test]
fn hostile_author_text_is_printed_as_text_in_the_cover_and_the_running_header() {
    if !tools() {
        return;
    }
    let site = with_config(&format!(
        "\npdf:\n  author: \"運用\\\"; }} </style><script>alert(1)</script> \\\\ 部\"\n"
    ));
    run_ok(
        &site,
        &["pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF],
    );
    let pdf = pdf_path(&site, "monthly-2026-11.pdf");
    let text = text(&pdf);
    let shown = "運用\"; } </style><script>alert(1)</script> \\ 部";
    let times = squeezed(&text).matches(&squeezed(shown)).count();
    assert!(
        times >= 3,
        "on the cover and in each page's header, as written ({times}): {text}"
    );
}

#[test]
fn a_monthly_mail_can_carry_its_report_as_a_pdf_with_the_mails_own_figures() {
    if !tools() {
        return;
    }
    let site = with_config(&format!("\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{{{ period }}}}\"\n  customers:\n    南海商事: {{to: [ops@nankai.example]}}\n"));
    let dry = site.run(&[
        "email",
        "monthly",
        "--period",
        "2026-11",
        "--as-of",
        AS_OF,
        "--customer",
        "南海商事",
        "--attach-pdf",
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        said.contains("with nankai-monthly-2026-11.pdf attached"),
        "--dry-run names the attachment: {said}"
    );
    assert!(
        !site.root().join("mail").exists(),
        "--dry-run writes nothing"
    );
    run_ok(
        &site,
        &[
            "email",
            "monthly",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--customer",
            "南海商事",
            "--attach-pdf",
        ],
    );
    let eml = walkdir::WalkDir::new(site.root().join("mail"))
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .find(|p| p.extension().is_some_and(|e| e == "eml"))
        .expect("the message");
    // Python's own MIME parser takes the attachment out.
    let out_pdf = site.root().join("attached.pdf");
    let script = format!(
        "import email,sys\nm=email.message_from_bytes(open({:?},'rb').read())\nparts=[p for p in m.walk() if p.get_content_type()=='application/pdf']\nassert len(parts)==1, parts\nprint(parts[0].get_filename())\nopen({:?},'wb').write(parts[0].get_payload(decode=True))\n",
        eml.display().to_string(),
        out_pdf.display().to_string()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "nankai-monthly-2026-11.pdf",
        "named as `opsite pdf` names the customer's report"
    );
    let text = text(&out_pdf);
    assert!(text.contains("南海商事 御中"), "{text}");
    for other in ["北斗会", "東邦物産", "HKT-101", "THO-301"] {
        assert!(!text.contains(other), "{other} in the customer's PDF");
    }
}

#[test]
fn output_never_replaces_what_opsite_did_not_write_nor_puts_the_internal_report_in_a_customers_folder(
) {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    site.write("notes.txt", "my notes");
    site.write(
        "pdf/nankai/nankai-monthly-2026-11.pdf",
        "%PDF- the customer's own",
    );
    let built = site
        .root()
        .parent()
        .unwrap()
        .join(format!("built-{}", std::process::id()));
    run_ok(
        &site,
        &[
            "build",
            "--as-of",
            AS_OF,
            "--output",
            built.to_str().unwrap(),
        ],
    );
    let notes = site.root().join("notes.txt").display().to_string();
    let customers_folder = site.root().join("pdf/nankai").display().to_string();
    let as_file = site.root().join("report.pdf").display().to_string();
    let in_a_build = built.join("pdfs").display().to_string();
    let cases: &[(&[&str], &str)] = &[
        (
            &["pdf", "section", "/help/", "--output", &notes],
            "is a file that is not a PDF",
        ),
        (
            &[
                "pdf",
                "monthly",
                "--period",
                "2026-11",
                "--output",
                &customers_folder,
            ],
            "that is 南海商事's folder",
        ),
        (
            &[
                "pdf",
                "monthly",
                "--period",
                "2026-11",
                "--all-customers",
                "--output",
                &as_file,
            ],
            "give a folder",
        ),
        (
            &[
                "pdf",
                "monthly",
                "--period",
                "2026-11",
                "--output",
                &in_a_build,
            ],
            ".opsite-output",
        ),
    ];
    for (args, says) in cases {
        let mut args = args.to_vec();
        args.extend(["--as-of", AS_OF]);
        let out = site.run(&args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(site.root().join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("pdf/nankai/nankai-monthly-2026-11.pdf")).unwrap(),
        "%PDF- the customer's own"
    );
    assert!(!built.join("pdfs").exists() && !site.root().join("report.pdf").exists());
    std::fs::remove_dir_all(&built).unwrap();
    // A folder given for a handbook takes the file under its usual name; a PDF is replaced.
    let handbooks = site.root().join("handbooks");
    std::fs::create_dir_all(&handbooks).unwrap();
    let said = run_ok(
        &site,
        &[
            "pdf",
            "section",
            "help",
            "--as-of",
            AS_OF,
            "--output",
            handbooks.to_str().unwrap(),
        ],
    );
    assert!(handbooks.join("section-help.pdf").is_file(), "{said}");
    run_ok(
        &site,
        &[
            "pdf",
            "section",
            "content/help",
            "--as-of",
            AS_OF,
            "--output",
            handbooks.to_str().unwrap(),
        ],
    );
}

#[test]
fn a_reports_links_to_the_site_carry_the_portals_address_and_a_customers_its_editions() {
    if !tools() {
        return;
    }
    let site = with_config("\nrelative_urls: true\n");
    site.write(
        "content/reports/monthly/2026-11.md",
        "---\ntitle: 11月の振り返り\n---\n\n詳しくは [ヘルプ](../../../help/) を参照。\n",
    );
    run_ok(
        &site,
        &["pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF],
    );
    let raw =
        String::from_utf8_lossy(&std::fs::read(pdf_path(&site, "monthly-2026-11.pdf")).unwrap())
            .to_string();
    assert!(
        raw.contains("(https://ops.example.jp/help/)"),
        "the commentary's link leads to the portal"
    );
    assert!(
        !raw.contains("file://"),
        "no link leads into the folder it was printed from"
    );
    run_ok(
        &site,
        &[
            "pdf",
            "monthly",
            "--period",
            "2026-11",
            "--as-of",
            AS_OF,
            "--customer",
            "nankai",
        ],
    );
    let raw = String::from_utf8_lossy(
        &std::fs::read(pdf_path(&site, "nankai/nankai-monthly-2026-11.pdf")).unwrap(),
    )
    .to_string();
    assert!(
        !raw.contains("file://") && !raw.contains("ops.example.jp"),
        "a customer's PDF links only to its edition"
    );
}

#[test]
fn a_pages_path_is_not_a_section_and_an_unfinished_month_is_said() {
    if !tools() {
        return;
    }
    let site = handbook_site();
    let out = site.run(&["pdf", "section", "/oncall/db/", "--as-of", AS_OF]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("is a page, not a section") && err.contains("`/oncall/`"),
        "{err}"
    );
    // Without --period, a month's report is the last month that is over, said so.
    let o = site.run(&["pdf", "monthly", "--as-of", AS_OF]);
    let said = stderr(&o);
    assert!(
        said.contains("no --period: 2026-10, the last month that is over (give --period 2026-11 for the one so far)"),
        "{said}"
    );
    assert!(!said.contains("is not over"), "{said}");
    // A week's is the week so far (the Friday report), said so with the way to a finished one.
    let said = run_ok(&site, &["pdf", "weekly", "--as-of", AS_OF]);
    assert!(said.contains("is not over"), "{said}");
    assert!(said.contains("give --period for a finished one"), "{said}");
    // Asked for by name, for every customer: said once, without asking for --period.
    let said = run_ok(&site, ALL_NOVEMBER);
    assert_eq!(said.matches("2026-11 is not over").count(), 1, "{said}");
    assert!(!said.contains("give --period"), "{said}");
    // An issue date written another way is said to be YYYY-MM-DD.
    let o = site.run(&["pdf", "monthly", "--as-of", AS_OF, "--issued", "2026/11/05"]);
    assert!(stderr(&o).contains("YYYY-MM-DD"), "{}", stderr(&o));
}

#[test]
fn a_link_where_a_customers_folder_goes_is_refused_before_any_pdf_is_written() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    site.write(
        "pdf/hokuto/hokuto-monthly-2026-11.pdf",
        "%PDF- hokuto's previous",
    );
    site.write("static/files/keep.txt", "published");
    std::os::unix::fs::symlink("../static/files", site.root().join("pdf/nankai")).unwrap();
    let out = site.run(ALL_NOVEMBER);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("is a symbolic link"), "{err}");
    assert!(
        !site
            .root()
            .join("static/files/nankai-monthly-2026-11.pdf")
            .exists(),
        "written through the link"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("pdf/hokuto/hokuto-monthly-2026-11.pdf")).unwrap(),
        "%PDF- hokuto's previous",
        "a failed run leaves every previous PDF"
    );
}

#[test]
fn the_pdf_and_mail_folders_cannot_be_published_through_a_link() {
    let site = TestSite::fixture("editions-site");
    site.write(
        "pdf/nankai/nankai-monthly-2026-11.pdf",
        "%PDF- nankai's report",
    );
    site.write("static/robots.txt", "User-agent: *\n");
    std::os::unix::fs::symlink("../pdf", site.root().join("static/docs")).unwrap();
    let out = site.run(&["build", "--as-of", AS_OF]);
    assert!(!out.status.success(), "the build must refuse");
    let err = stderr(&out);
    assert!(
        err.contains("never published") && err.contains("pdf"),
        "{err}"
    );
    assert!(!site.root().join("editions/hokuto/docs").exists());
}

#[test]
fn a_site_with_errors_prints_no_report_and_japanese_links_stay_inside_the_handbook() {
    if !tools() {
        return;
    }
    let site = handbook_site();
    site.write(
        "content/手順書/_index.md",
        "---\ntitle: 手順書\n---\n\n[ページ2へ](ページ2.md#確認手順)\n",
    );
    site.write(
        "content/手順書/ページ2.md",
        "---\ntitle: ページ2\n---\n\n## 確認手順\n\n見る。\n",
    );
    run_ok(&site, &["pdf", "section", "手順書", "--as-of", AS_OF]);
    let raw =
        String::from_utf8_lossy(&std::fs::read(pdf_path(&site, "section-手順書.pdf")).unwrap())
            .to_string();
    assert!(
        raw.contains("/Dest /c2-"),
        "the link jumps to the heading inside the PDF"
    );
    site.write(
        "content/reports/monthly/2026-11.md",
        "---\ntitle: 11月\n---\n\n{{< kpi \"availability.portl\" period=\"2026-11\" >}}\n",
    );
    let out = site.run(&["pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("no PDF written") && err.contains("availability.portl"),
        "{err}"
    );
    assert!(!pdf_path(&site, "monthly-2026-11.pdf").exists());
}

#[test]
fn an_error_in_site_yaml_stops_the_run_before_anything_is_printed() {
    if !tools() {
        return;
    }
    let site = with_config(&format!(
        "\nversions:\n  - {{name: v2}}\n  - {{name: v1, path: versions/v1/content}}\n"
    ));
    let out = site.run(&["pdf", "monthly", "--period", "2026-11", "--as-of", AS_OF]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:") && err.contains("nothing written"),
        "{err}"
    );
    assert!(!pdf_path(&site, "monthly-2026-11.pdf").exists());
}

#[test]
fn ctrl_c_while_printing_leaves_no_report_in_the_temporary_folder_and_writes_nothing() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args(ALL_NOVEMBER)
        .current_dir(site.root())
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once a document is in the private folder, as Ctrl-C sends it.
    let printing = || {
        (std::fs::read_dir(tmp.path()).unwrap().flatten()).any(|e| {
            (std::fs::read_dir(e.path()).into_iter().flatten().flatten())
                .any(|d| d.path().join("document.html").exists())
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !printing() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before printing"
        );
        assert!(std::time::Instant::now() < deadline, "nothing printed");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: kill has no preconditions; the child is ours and still running.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
    assert!(
        left.is_empty(),
        "left in the temporary folder: {left:?}; {said}"
    );
    assert!(
        !site.root().join("pdf").exists()
            || walkdir::WalkDir::new(site.root().join("pdf"))
                .into_iter()
                .flatten()
                .all(|e| !e.path().extension().is_some_and(|x| x == "pdf")),
        "{said}"
    );
}

/// More customers than are printed at once: what each report asked for and was refused is said
/// of it alone, and each report is its own customer's.
#[test]
fn reports_printed_in_batches_are_each_their_own_customers_and_say_their_own_refusals() {
    if !tools() {
        return;
    }
    // Twelve customers: more than are printed at once.
    let more: String = (1..=9)
        .map(|i| {
            format!("  - {{name: 顧客{i:02}, slug: c{i:02}, base_url: \"https://reports.example.jp/c{i:02}/\"}}\n")
        })
        .collect();
    let site = with_config(&more);
    let tickets = site.root().join("data/tickets.csv");
    let mut rows = std::fs::read_to_string(&tickets).unwrap();
    for i in 1..=9 {
        rows.push_str(&format!("C{i:02}-1,件名,high,2026-11-10T10:00:00+09:00,2026-11-10T10:05:00+09:00,2026-11-10T11:00:00+09:00,顧客{i:02}\n"));
    }
    std::fs::write(&tickets, rows).unwrap();
    // Every customer printed first asks for a picture outside its report's folder.
    for slug in [
        "hokuto", "nankai", "toho", "c01", "c02", "c03", "c04", "c05",
    ] {
        site.write(
            &format!("content/reports/monthly/2026-11/{slug}.md"),
            &format!("---\ntitle: 所見\n---\n\n{slug}向けの所見。\n\n<img src=\"file:///nowhere/{slug}.png\" alt=\"図\">\n"),
        );
    }
    let said = run_ok(&site, ALL_NOVEMBER);
    let refused: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("printed without file:///nowhere/"))
        .collect();
    assert_eq!(refused.len(), 8, "{said}");
    for line in refused {
        let slug = line
            .split("file:///nowhere/")
            .nth(1)
            .and_then(|rest| rest.split(".png").next())
            .unwrap();
        assert!(
            line.contains(&format!("{slug}-monthly-2026-11.pdf")),
            "a refusal said of another customer's report: {line}"
        );
    }
    for i in 6..=9 {
        let slug = format!("c{i:02}");
        let text = text(&pdf_path(
            &site,
            &format!("{slug}/{slug}-monthly-2026-11.pdf"),
        ));
        assert!(text.contains(&format!("顧客{i:02} 御中")), "{slug}: {text}");
        assert!(
            !text.contains("向けの所見"),
            "{slug} shows another's commentary: {text}"
        );
    }
    // A report printed after others in the same tab is the same bytes as printed alone.
    printed_alone_as_in_the_batch(&site, "c09");
}

/// A picture beside a customer's commentary, shown by a relative address, is in that customer's
/// edition and PDF, and in no other customer's; a file outside the commentary's folder is not
/// carried in by naming it.
#[test]
fn a_customers_commentary_shows_its_picture_on_its_page_and_in_its_pdf_only() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    let svg = |word: &str| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"40\"><text y=\"30\" font-size=\"20\">{word}</text></svg>")
    };
    site.write(
        "content/reports/monthly/2026-11/hokuto-graph.svg",
        &svg("HOKUGRAPH"),
    );
    site.write("content/internal/internal-chart.svg", &svg("INTERNALCHART"));
    site.write(
        "content/reports/monthly/2026-11/hokuto.md",
        "---\ntitle: 所見\n---\n\n北斗会向けの所見。\n\n![傾向](hokuto-graph.svg)\n\n![社内](../../../internal/internal-chart.svg)\n",
    );
    site.write(
        "content/reports/monthly/2026-11/nankai.md",
        "---\ntitle: 所見\n---\n\n南海商事向けの所見。\n",
    );
    let o = site.run(&["build", "--as-of", AS_OF]);
    assert!(o.status.success(), "{}", stderr(&o));
    let beside = "reports/monthly/2026-11/hokuto-graph.svg";
    assert!(site.root().join("editions/hokuto").join(beside).is_file());
    for other in ["nankai", "toho"] {
        assert!(
            !site
                .root()
                .join("editions")
                .join(other)
                .join(beside)
                .exists(),
            "{other}"
        );
    }
    let anywhere = |slug: &str, name: &str| {
        walkdir::WalkDir::new(site.root().join("editions").join(slug))
            .into_iter()
            .flatten()
            .any(|e| e.file_name().to_string_lossy() == name)
    };
    assert!(
        !anywhere("hokuto", "internal-chart.svg"),
        "a file outside the commentary's folder"
    );
    run_ok(&site, ALL_NOVEMBER);
    let hokuto = text(&pdf_path(&site, "hokuto/hokuto-monthly-2026-11.pdf"));
    assert!(hokuto.contains("HOKUGRAPH"), "{hokuto}");
    assert!(!hokuto.contains("INTERNALCHART"), "{hokuto}");
    for other in ["nankai", "toho"] {
        let pdf = text(&pdf_path(
            &site,
            &format!("{other}/{other}-monthly-2026-11.pdf"),
        ));
        assert!(!pdf.contains("HOKUGRAPH"), "{other}: {pdf}");
    }
}

/// One customer's report that cannot be printed (a shortcode of the site's makes the page move
/// on by itself) stops the run: the message names that report and says none of the run's PDFs
/// was written, and none is.
#[test]
fn a_report_that_cannot_be_printed_says_none_of_the_runs_pdfs_was_written() {
    if !tools() {
        return;
    }
    let site = TestSite::fixture("editions-site");
    site.write(
        "templates/shortcodes/move-on.html",
        "<meta http-equiv=\"refresh\" content=\"0;url=document.html\">",
    );
    site.write(
        "content/reports/monthly/2026-11/nankai.md",
        "---\ntitle: 所見\n---\n\n所見。\n\n{{< move-on >}}\n",
    );
    let out = site.run(ALL_NOVEMBER);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("nankai-monthly-2026-11.pdf")
            && err.contains("none of the 3 PDFs of this run written"),
        "{err}"
    );
    for slug in ["hokuto", "nankai", "toho"] {
        let pdf = pdf_path(&site, &format!("{slug}/{slug}-monthly-2026-11.pdf"));
        assert!(!pdf.exists(), "{slug}");
    }
}
