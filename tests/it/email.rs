//! `opsite email weekly`: the message read back by an independent MIME parser (Python's `email`
//! package), its structure, decoded subject, cid images, figures in both parts, size limits,
//! no external requests, determinism, the chart PNGs drawn with real Japanese glyphs, and
//! the mistakes a user makes (no `email:`, a bad address, a week without data).

use crate::support::{stderr, stdout, TestSite};

const EMAIL: &str = "email:\n  from: \"運用チーム <ops@example.jp>\"\n  to: [\"client@example.jp\"]\n  cc: [\"lead@example.jp\"]\n  reply_to: ops@example.jp\n  subject: \"【週次報告】{{ period }} 運用ステータス\"\nbase_url: https://ops.example.jp/portal/\n";

fn site_with_email() -> TestSite {
    let site = TestSite::fixture("reports-site");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}{EMAIL}"));
    site
}

pub(crate) fn parsed(path: &std::path::Path) -> serde_json::Value {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/email/parse_eml.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_weekly_email_is_a_complete_message() {
    let site = site_with_email();
    let o = site.weekly_mail(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mail = site.root().join("mail");
    for f in ["2026-W47.eml", "2026-W47.html", "2026-W47.txt"] {
        assert!(stdout(&o).contains(f), "{f} printed");
        assert!(mail.join(f).is_file(), "{f} written");
    }
    let m = parsed(&mail.join("2026-W47.eml"));
    assert_eq!(m["subject"], "【週次報告】2026-W47 運用ステータス");
    assert!(m["from"].as_str().unwrap().contains("ops@example.jp"));
    assert_eq!(m["to"][0], "client@example.jp");
    // multipart/alternative: text/plain, then multipart/related (HTML + images).
    let tree = &m["tree"];
    assert_eq!(tree["type"], "multipart/alternative");
    assert_eq!(tree["parts"][0]["type"], "text/plain");
    assert_eq!(tree["parts"][1]["type"], "multipart/related");
    assert_eq!(tree["parts"][1]["parts"][0]["type"], "text/html");
    // Every cid in the HTML has its image, every image is referenced.
    let cids: Vec<&str> = m["cids_in_html"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let images = m["images"].as_object().unwrap();
    assert!(!cids.is_empty(), "charts included");
    assert_eq!(cids.len(), images.len());
    for c in &cids {
        assert!(images.contains_key(*c), "{c} has its image part");
    }
    let html = m["html"].as_str().unwrap();
    let text = m["text"].as_str().unwrap();
    // The same figures in both parts (hand-known: W47 availability 99.67 %, response 50.0 %).
    for figure in ["99.67 %", "50.0 %", "INC-2"] {
        assert!(html.contains(figure), "HTML has {figure}");
        assert!(text.contains(figure), "text has {figure}");
    }
    // Commentary lists and the link to the full report page.
    assert!(html.contains("VPN 障害を 30 分で復旧") && text.contains("VPN 障害を 30 分で復旧"));
    assert!(text.contains("https://ops.example.jp/portal/reports/weekly/2026-W47/"));
    // No request leaves the message except links to base_url; no script, no SVG, no data: URI.
    for url in m["urls_in_html"].as_array().unwrap() {
        assert!(
            url.as_str()
                .unwrap()
                .starts_with("https://ops.example.jp/portal/"),
            "{url}"
        );
    }
    for bad in ["<script", "<svg", "data:", "<link", "<style"] {
        assert!(!html.contains(bad), "HTML has {bad}");
    }
    assert!(!html.contains("<script>alert(1)"), "ticket titles escaped");
    assert!(html.len() < 100 * 1024, "HTML {} bytes", html.len());
    let total: u64 = images.values().map(|v| v.as_u64().unwrap()).sum();
    assert!(total < 500 * 1024, "images {total} bytes");
    // Same inputs, same bytes.
    let first = std::fs::read(mail.join("2026-W47.eml")).unwrap();
    let again = site.weekly_mail(&[]);
    assert!(again.status.success());
    assert_eq!(first, std::fs::read(mail.join("2026-W47.eml")).unwrap());
    // Nothing in the published output.
    assert!(!site.root().join("output/2026-W47.eml").exists());
}

#[test]
fn chart_images_show_japanese_glyphs_not_empty_boxes() {
    let site = site_with_email();
    let o = site.weekly_mail(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let png = std::fs::read(site.root().join("mail/2026-W47-chart1.png")).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    let first = *img.get_pixel(0, 0);
    let differing = img.pixels().filter(|p| **p != first).count();
    assert!(
        differing > 1000,
        "a drawn chart, not a blank image ({differing} pixels)"
    );
    // The same chart drawn in this process, where no Japanese font was loaded, differs: the
    // labels in the email's image are real glyphs.
    let svg_label = "稼働率";
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"40\"><rect width=\"200\" height=\"40\" fill=\"#fff\"/><text x=\"10\" y=\"28\" font-size=\"24\" font-family=\"Roboto\">{svg_label}</text></svg>"
    );
    let without = opsite::email::images::png(&svg, 200).unwrap();
    // Without `email.font`, the font opsite carries: no font needs installing.
    let font = opsite::fonts::Font::chosen(None, site.root(), "email.font").unwrap();
    assert_eq!(font, opsite::fonts::Font::Bundled);
    opsite::email::images::load_font(&font).unwrap();
    let with = opsite::email::images::png(&svg, 200).unwrap();
    let ink = |bytes: &[u8]| {
        image::load_from_memory(bytes)
            .unwrap()
            .to_rgba8()
            .pixels()
            .filter(|p| p.0[0] < 128)
            .count()
    };
    assert!(
        ink(&with) > 150,
        "Japanese label drawn: {} dark pixels",
        ink(&with)
    );
    assert_ne!(ink(&with), ink(&without), "the font changes the label");
}

#[test]
fn email_mistakes_are_explained() {
    let site = TestSite::fixture("reports-site");
    let o = site.weekly_mail(&[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    for key in ["email.from", "email.to", "email.subject"] {
        assert!(e.contains(key), "{key}: {e}");
    }
    let site = site_with_email();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace("client@example.jp", "client at example"),
    );
    let o = site.weekly_mail(&[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("`client at example` is not an email address"),
        "{}",
        stderr(&o)
    );
    let site = site_with_email();
    let o = site.run(&[
        "email",
        "weekly",
        "--period",
        "2026-W30",
        "--as-of",
        "2026-11-22T09:00",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no data for 2026-W30"),
        "{}",
        stderr(&o)
    );
    assert!(!site.root().join("mail/2026-W30.eml").exists());
    // Anywhere the mail would be published or read as the site's files, however it is written.
    std::fs::create_dir_all(site.root().join("content/sub")).unwrap();
    for out in [
        "output/mail",
        "content/mail",
        "static",
        "content/sub/../../output/y",
        ".",
    ] {
        let o = site.weekly_mail(&["--output", site.root().join(out).to_str().unwrap()]);
        assert!(!o.status.success(), "--output {out} accepted");
        assert!(stderr(&o).contains("--output"), "{out}: {}", stderr(&o));
    }
    assert!(!site.root().join("output/y").exists());
    assert!(!site.root().join("content/mail").exists());
    // --send without a relay is refused before anything is written.
    let o = site.weekly_mail(&["--send"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("email.smtp"), "{}", stderr(&o));
    assert!(!site.root().join("mail").exists(), "nothing written");
}

/// A one-connection SMTP server on 127.0.0.1 that accepts one message and returns what it got.
fn smtp_server() -> (u16, std::thread::JoinHandle<(Vec<String>, String)>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut out = stream.try_clone().unwrap();
        let mut lines = BufReader::new(stream);
        let mut commands = Vec::new();
        let mut data = String::new();
        out.write_all(b"220 test ESMTP\r\n").unwrap();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).unwrap() == 0 {
                break;
            }
            let cmd = line.trim_end().to_string();
            commands.push(cmd.clone());
            let upper = cmd.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                out.write_all(b"250-test\r\n250 8BITMIME\r\n").unwrap();
            } else if upper.starts_with("DATA") {
                out.write_all(b"354 go ahead\r\n").unwrap();
                loop {
                    let mut l = String::new();
                    lines.read_line(&mut l).unwrap();
                    if l == ".\r\n" {
                        break;
                    }
                    // Dot-stuffing undone, as a real server does.
                    data.push_str(
                        l.strip_prefix('.')
                            .filter(|r| r.starts_with('.'))
                            .unwrap_or(&l),
                    );
                }
                out.write_all(b"250 queued as 1\r\n").unwrap();
            } else if upper.starts_with("QUIT") {
                out.write_all(b"221 bye\r\n").unwrap();
                break;
            } else {
                out.write_all(b"250 ok\r\n").unwrap();
            }
        }
        (commands, data)
    });
    (port, handle)
}

#[test]
fn send_delivers_the_written_message_to_the_relay() {
    let site = site_with_email();
    let (port, server) = smtp_server();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace(
            "  reply_to:",
            &format!("  smtp: {{host: 127.0.0.1, port: {port}, starttls: false}}\n  reply_to:"),
        ),
    );
    let o = site.weekly_mail(&["--send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("sent 2026-W47 to the site (2 recipient(s))"),
        "{}",
        stdout(&o)
    );
    let (commands, data) = server.join().unwrap();
    assert!(
        commands
            .iter()
            .any(|c| c.contains("MAIL FROM:<ops@example.jp>")),
        "{commands:?}"
    );
    assert!(commands
        .iter()
        .any(|c| c.contains("RCPT TO:<client@example.jp>")));
    assert!(commands
        .iter()
        .any(|c| c.contains("RCPT TO:<lead@example.jp>")));
    let written = std::fs::read_to_string(site.root().join("mail/2026-W47.eml")).unwrap();
    assert_eq!(
        data.replace("\r\n", "\n").trim_end(),
        written.replace("\r\n", "\n").trim_end()
    );
}

#[test]
fn the_monthly_email_has_the_indicator_table() {
    let site = site_with_email();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace(
            "  reply_to:",
            "  monthly_subject: \"【月次報告】{{ period }} {{ title }}\"\n  reply_to:",
        ),
    );
    let o = site.run(&[
        "email",
        "monthly",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-22T09:00",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = parsed(&site.root().join("mail/2026-11.eml"));
    // The review is titled by the month's name; `period` in the subject is still the id.
    assert_eq!(
        m["subject"],
        "【月次報告】2026-11 月次KPIレビュー 2026年11月"
    );
    let (html, text) = (m["html"].as_str().unwrap(), m["text"].as_str().unwrap());
    for figure in ["成功指標", "99.90 %", "期間途中"] {
        assert!(html.contains(figure), "HTML has {figure}");
        assert!(text.contains(figure), "text has {figure}");
    }
    // The month's breached tickets, as its page lists them (reports.monthly.ticket_list).
    let page = std::fs::read_to_string(
        site.root()
            .join("output/reports/monthly/2026-11/index.html"),
    );
    let listed = page.map_or(true, |p| p.contains("id=\"breaches\""));
    assert!(listed && html.contains("SLA 違反チケット"));
    assert!(text.contains("■ SLA 違反チケット"), "{text}");
    let o = site.run(&["email", "monthly", "--period", "2026-W47"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("a month, e.g. 2026-11"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn each_customer_gets_their_own_figures_and_nothing_of_another() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: 顧客別\nlanguage: ja\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\ncontracts:\n  - {name: standard, customers: \"*\"}\navailability:\n  services: [portal]\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{ period }}\"\n  customers:\n    ACME 株式会社: {to: [it@acme.example]}\n    南海商事: {to: [ops@nankai.example], cc: [boss@nankai.example]}\n",
        ),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            "id,title,priority,opened_at,responded_at,resolved_at,customer\nACME-1,ACMEの障害,high,2026-11-16T10:00:00+09:00,2026-11-16T12:00:00+09:00,,ACME 株式会社\nNAN-1,南海の問い合わせ,high,2026-11-17T10:00:00+09:00,2026-11-17T13:30:00+09:00,,南海商事\nNAN-2,南海の二件目,high,2026-11-18T10:00:00+09:00,2026-11-18T10:10:00+09:00,,南海商事\n",
        ),
    ]);
    let o = site.weekly_mail(&["--all-customers"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let acme = parsed(&site.root().join("mail/acme-株式会社/2026-W47.eml"));
    let nankai = parsed(&site.root().join("mail/南海商事/2026-W47.eml"));
    assert_eq!(acme["to"][0], "it@acme.example");
    assert_eq!(nankai["to"][0], "ops@nankai.example");
    for part in ["html", "text"] {
        let a = acme[part].as_str().unwrap();
        let n = nankai[part].as_str().unwrap();
        assert!(
            a.contains("ACME-1") && a.contains("ACMEの障害"),
            "{part}: ACME's breach"
        );
        assert!(
            n.contains("NAN-1") && n.contains("南海の問い合わせ"),
            "{part}: 南海's breach"
        );
        for other in ["NAN-1", "NAN-2", "南海"] {
            assert!(!a.contains(other), "{part}: ACME's mail holds {other}");
        }
        for other in ["ACME", "acme"] {
            assert!(!n.contains(other), "{part}: 南海's mail holds {other}");
        }
    }
    // Their own counts: one ticket opened for ACME, two for 南海.
    let opened = |m: &serde_json::Value| -> String {
        let text = m["text"].as_str().unwrap();
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("起票 "))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().to_string()
    };
    assert_eq!(opened(&acme), "1");
    assert_eq!(opened(&nankai), "2");
    let o = site.weekly_mail(&["--customer", "ACME"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ACME 株式会社"), "{}", stderr(&o));
}

/// Every indicator met while a ticket missed its SLA and the service its availability target:
/// the mail does not read as if all were met; it says how many times the SLA was missed and
/// which service fell short, in both parts.
#[test]
fn all_indicators_met_does_not_hide_the_sla_or_the_services_that_missed_their_targets() {
    let site = site_with_email();
    site.edit_config(|c| {
        c.replace(
            "target: \">= 99.9\", alert: \"< 99.5\"",
            "target: \">= 99.5\"",
        )
    });
    let o = site.run(&[
        "email",
        "monthly",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-22T09:00",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = parsed(&site.root().join("mail/2026-11.eml"));
    let (html, text) = (m["html"].as_str().unwrap(), m["text"].as_str().unwrap());
    let said = "成功指標はすべて目標を達成しました。ただし、SLA の未達が 1 件あります（SLA の表をご覧ください）。稼働率が目標に届かなかったサービス：portal。";
    assert!(text.contains(said), "{text}");
    assert!(html.contains(said), "{html}");
}

/// `complete` lets a subject say that a month's figures are early: false for the month so far,
/// true once it is over.
#[test]
fn a_subject_can_say_the_month_is_not_over() {
    let site = site_with_email();
    site.edit_config(|c| {
        c.replace(
            "  reply_to:",
            "  monthly_subject: \"{% if not complete %}【速報】{% endif %}{{ period }}\"\n  reply_to:",
        )
    });
    // November's mail on the 22nd, then on December 5th.
    for (as_of, subject) in [
        ("2026-11-22T09:00", "【速報】2026-11"),
        ("2026-12-05T09:00", "2026-11"),
    ] {
        let o = site.run(&["email", "monthly", "--period", "2026-11", "--as-of", as_of]);
        assert!(o.status.success(), "{}", stderr(&o));
        let m = parsed(&site.root().join("mail/2026-11.eml"));
        assert_eq!(m["subject"], subject);
        // The run ends with what it did: written, not sent.
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(
            said.trim_end().ends_with(&format!(
                "wrote 1 mail(s) of 2026-11 under {}; none sent (--send sends them)",
                site.root().join("mail").display()
            )),
            "{said}"
        );
    }
}

/// A subject is a header line: a right-to-left override from a title or the template cannot
/// make a mail list show the subject reversed; it is shown as U+FFFD.
#[test]
fn a_subject_holds_no_bidirectional_override() {
    let site = site_with_email();
    site.edit_config(|c| {
        c.replace(
            "  reply_to:",
            "  monthly_subject: \"報告 \\u202Efdp.exe {{ period }}\"\n  reply_to:",
        )
    });
    let o = site.run(&[
        "email",
        "monthly",
        "--period",
        "2026-11",
        "--as-of",
        "2026-12-05T09:00",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = parsed(&site.root().join("mail/2026-11.eml"));
    assert_eq!(m["subject"], "報告 \u{fffd}fdp.exe 2026-11");
}

/// A mail that mail readers would cut (its HTML past 100 KB: here a long commentary) is said by
/// the dry run too, not only by the run that writes it: the rehearsal must not look clean.
#[test]
fn a_mail_too_large_for_mail_readers_is_said_by_the_dry_run_too() {
    let site = site_with_email();
    let long = "長い説明の文です。".repeat(5000);
    site.write(
        "content/reports/weekly/2026-W47.md",
        &format!("---\nsummary: 長い週\n---\n{long}\n"),
    );
    for dry in [true, false] {
        let extra: &[&str] = if dry { &["--dry-run"] } else { &[] };
        let o = site.weekly_mail(extra);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("KB; Gmail clips messages over 100 KB"),
            "dry run {dry}: {}",
            stderr(&o)
        );
    }
}
