//! A run of customer mails is all or nothing: every address, template and figure is checked
//! before any file is written or message sent; `--send` keeps a sent log so a re-run never sends
//! a mail twice (unless `--resend`), and a relay failing mid-batch leaves a log of what went out;
//! `--dry-run` writes and sends nothing. Against a local SMTP server that records what it gets.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use crate::support::{stderr, stdout, TestSite};

/// One message's SMTP commands (from MAIL FROM on) and data.
type Session = (Vec<String>, String);

/// What the relay saw: each message, and how many connections carried them.
struct Seen {
    messages: Vec<Session>,
    connections: usize,
}

impl std::ops::Deref for Seen {
    type Target = Vec<Session>;
    fn deref(&self) -> &Vec<Session> {
        &self.messages
    }
}

/// An SMTP server on 127.0.0.1 taking connection after connection until one closes without a
/// word (`stop`); from the `refuse_from`-th message on (0-based), MAIL FROM is refused; with
/// `hang`, the data of a message is taken and never answered (`data_taken` says when).
struct Relay {
    port: u16,
    handle: JoinHandle<Seen>,
    data_taken: std::sync::mpsc::Receiver<()>,
}

impl Relay {
    fn start(refuse_from: usize) -> Relay {
        Relay::start_with(refuse_from, false)
    }

    fn start_with(refuse_from: usize, hang: bool) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (taken, data_taken) = std::sync::mpsc::channel();
        let handle = std::thread::spawn(move || {
            let mut seen = Seen {
                messages: Vec::new(),
                connections: 0,
            };
            for stream in listener.incoming() {
                let stream = stream.unwrap();
                let mut out = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let mut said = false;
                let _ = out.write_all(b"220 test ESMTP\r\n");
                loop {
                    let mut line = String::new();
                    if lines.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    said = true;
                    let cmd = line.trim_end().to_string();
                    let upper = cmd.to_ascii_uppercase();
                    if upper.starts_with("MAIL FROM") {
                        seen.messages.push((Vec::new(), String::new()));
                    }
                    if let Some(m) = seen
                        .messages
                        .last_mut()
                        .filter(|_| !upper.starts_with("NOOP") && !upper.starts_with("QUIT"))
                    {
                        m.0.push(cmd.clone());
                    }
                    let n = seen.messages.len().saturating_sub(1);
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") && n >= refuse_from {
                        b"554 relay refused\r\n"
                    } else if upper.starts_with("DATA") {
                        out.write_all(b"354 go ahead\r\n").unwrap();
                        let mut data = String::new();
                        loop {
                            let mut l = String::new();
                            lines.read_line(&mut l).unwrap();
                            if l == ".\r\n" {
                                break;
                            }
                            data.push_str(&l);
                        }
                        seen.messages.last_mut().unwrap().1 = data;
                        if hang {
                            let _ = taken.send(());
                            // Never answered: wait for the client to go away.
                            let mut rest = String::new();
                            let _ = lines.read_line(&mut rest);
                            break;
                        }
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = out.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = out.write_all(reply);
                }
                if !said {
                    break;
                }
                seen.connections += 1;
            }
            seen
        });
        Relay {
            port,
            handle,
            data_taken,
        }
    }

    /// What the relay got, once the server is told to stop.
    fn stop(self) -> Seen {
        drop(std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap());
        self.handle.join().unwrap()
    }
}

/// Three customers with a ticket each in 2026-W47, their recipients as `rcpt` gives them.
fn three_customers(port: u16, third_to: &str) -> TestSite {
    let yaml = format!(
        "title: 運用報告\nlanguage: ja\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {{within: 1h}}\ncontracts:\n  - {{name: standard, customers: \"*\"}}\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{% if customer %}}{{{{ customer }}}}様 {{% endif %}}{{{{ period_label }}}}\"\n  smtp: {{host: 127.0.0.1, port: {port}, starttls: false}}\n  customers:\n    北斗会:\n      to: [it@hokuto.example]\n      bcc: [archive@example.jp]\n    南海商事: {{to: [ops@nankai.example]}}\n    東邦物産:\n      to: [\"{third_to}\"]\n"
    );
    TestSite::new(&[
        ("site.yaml", yaml.as_str()),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            "id,priority,opened_at,responded_at,resolved_at,customer\nH-1,high,2026-11-16T10:00:00+09:00,2026-11-16T10:10:00+09:00,,北斗会\nN-1,high,2026-11-17T10:00:00+09:00,2026-11-17T13:30:00+09:00,,南海商事\nT-1,high,2026-11-18T10:00:00+09:00,2026-11-18T10:20:00+09:00,,東邦物産\n",
        ),
    ])
}

/// The week's mail for every customer.
fn run(site: &TestSite, extra: &[&str]) -> std::process::Output {
    site.weekly_mail(&[&["--all-customers"], extra].concat())
}

fn recipients(s: &Session) -> Vec<&str> {
    (s.0.iter())
        .filter_map(|c| c.strip_prefix("RCPT TO:<"))
        .map(|c| c.trim_end_matches('>'))
        .collect()
}

#[test]
fn one_bad_address_stops_the_whole_batch_before_anything_is_written_or_sent() {
    let relay = Relay::start(usize::MAX);
    let site = three_customers(relay.port, "tanaka@@toho.example");
    let o = run(&site, &["--send"]);
    let got = relay.stop();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        got.is_empty(),
        "nothing reaches the relay: {:?}",
        got.messages
    );
    assert!(!site.root().join("mail").exists(), "nothing written");
    let line = std::fs::read_to_string(site.root().join("site.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.contains("tanaka@@"))
        .unwrap()
        + 1;
    let e = stderr(&o);
    assert!(
        e.contains(&format!("site.yaml:{line}:")) && e.contains("email.customers.東邦物産.to"),
        "{e}"
    );
    assert!(e.contains("no mail written, none sent"), "{e}");
}

#[test]
fn a_sent_log_keeps_a_rerun_from_sending_twice_and_resend_sends_again() {
    let relay = Relay::start(usize::MAX);
    let site = three_customers(relay.port, "tanaka@toho.example");
    let o = run(&site, &["--send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o2 = run(&site, &["--send"]);
    assert!(o2.status.success(), "{}", stderr(&o2));
    let got = relay.stop();
    assert_eq!(got.len(), 3, "three mails, once each: {:?}", got.messages);
    assert_eq!(got.connections, 1, "one connection for the batch");
    let all: Vec<&str> = got.iter().flat_map(recipients).collect();
    assert!(
        all.contains(&"archive@example.jp"),
        "bcc told to the relay: {all:?}"
    );
    for (_, data) in got.iter() {
        assert!(
            !data.contains("archive@example.jp"),
            "bcc never in the message"
        );
        // The Date header is the as_of instant, not the sending time.
        assert!(
            data.contains("Date: Sun, 22 Nov 2026 00:00:00 +0000"),
            "{data}"
        );
    }
    assert!(
        stdout(&o2).contains("not sending 2026-W47 to 北斗会"),
        "{}",
        stdout(&o2)
    );
    // The log is no cache: clearing the caches keeps it.
    std::fs::remove_dir_all(site.root().join(".opsite")).ok();
    let o2 = run(&site, &["--send"]);
    assert!(
        stdout(&o2).contains("not sending 2026-W47 to 北斗会"),
        "{}",
        stdout(&o2)
    );
    let log = site.root().join(".opsite-sent/weekly/2026-W47/北斗会.json");
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(log).unwrap()).unwrap();
    assert!(entry["message_id"].as_str().unwrap().contains("2026-W47"));
    let relay = Relay::start(usize::MAX);
    repoint(&site, &relay);
    let o3 = run(&site, &["--send", "--resend"]);
    assert!(o3.status.success(), "{}", stderr(&o3));
    assert_eq!(relay.stop().len(), 3, "--resend sends all again");
}

/// `yaml` as the site's site.yaml makes a dry run fail, saying `expected`.
fn refused(site: &TestSite, yaml: &str, expected: &str) {
    site.write("site.yaml", yaml);
    let o = run(site, &["--dry-run"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(expected), "{}", stderr(&o));
}

/// Points the site at another relay.
fn repoint(site: &TestSite, relay: &Relay) {
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let port = format!("port: {}", got_port(site));
    site.write(
        "site.yaml",
        &yaml.replace(&port, &format!("port: {}", relay.port)),
    );
}

/// The relay port written in a site's site.yaml.
fn got_port(site: &TestSite) -> String {
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let at = yaml.find("port: ").unwrap() + 6;
    yaml[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[test]
fn a_relay_failing_mid_batch_is_reported_and_a_rerun_sends_only_the_rest() {
    // The second message is refused: the first customer's mail went out.
    let relay = Relay::start(1);
    let site = three_customers(relay.port, "tanaka@toho.example");
    let o = run(&site, &["--send"]);
    let first = relay.stop();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    // Customers go in the order of their names' bytes, as email.customers keeps them.
    let order: Vec<String> = {
        let mut names = vec!["北斗会", "南海商事", "東邦物産"];
        names.sort();
        names.into_iter().map(str::to_string).collect()
    };
    assert!(
        e.contains(&format!("sent in this run: {}", order[0])),
        "{e}"
    );
    assert!(
        e.contains(&format!("not sent: {}, {}", order[1], order[2])),
        "{e}"
    );
    assert_eq!(first.iter().filter(|s| !s.1.is_empty()).count(), 1);
    assert!(
        !site
            .root()
            .join(format!(".opsite-sent/weekly/2026-W47/{}.json", order[1]))
            .exists(),
        "a refused mail leaves no record"
    );
    let relay = Relay::start(usize::MAX);
    repoint(&site, &relay);
    let o2 = run(&site, &["--send"]);
    assert!(o2.status.success(), "{}", stderr(&o2));
    let second = relay.stop();
    assert_eq!(
        second.len(),
        2,
        "only the two not sent: {:?}",
        second.messages
    );
    assert!(stdout(&o2).contains(&format!("not sending 2026-W47 to {}", order[0])));
}

#[test]
fn a_dry_run_prints_who_would_get_what_and_writes_nothing() {
    let site = three_customers(1, "tanaka@toho.example");
    let o = run(&site, &["--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("北斗会: to it@hokuto.example; cc —; bcc archive@example.jp"),
        "{out}"
    );
    assert!(
        out.contains("subject: 南海商事様 2026年11月第3週（11/16〜11/22）"),
        "{out}"
    );
    assert!(out.contains("3 mail(s) checked"), "{out}");
    assert!(!site.root().join("mail").exists());
    assert!(!site.root().join(".opsite-sent").exists());
}

#[test]
fn a_period_outside_the_data_is_an_error_for_all_customers_not_a_quiet_run() {
    let site = three_customers(1, "tanaka@toho.example");
    // A year before any ticket: every customer has none, which a cron job must not take for
    // a quiet week.
    let args = [
        "email",
        "weekly",
        "--period",
        "2025-W47",
        "--as-of",
        "2026-11-22T09:00",
    ];
    let o = site.run(&[&args[..], &["--all-customers", "--dry-run"]].concat());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: no data for 2025-W47: the exports' tickets were opened from"),
        "{err}"
    );
    assert!(!site.root().join("mail").exists());
}

#[test]
fn the_current_week_after_the_exports_stops_a_run_for_customers_with_editions_unless_named() {
    let site = three_customers(1, "tanaka@toho.example");
    // Customers with editions get a mail for every period their edition reports, quiet or not.
    site.edit_config(|c| {
        format!("{c}customers:\n  - {{name: 北斗会, slug: hokuto, base_url: \"https://r.example.jp/hokuto/\"}}\n  - {{name: 南海商事, slug: nankai, base_url: \"https://r.example.jp/nankai/\"}}\n  - {{name: 東邦物産, slug: toho, base_url: \"https://r.example.jp/toho/\"}}\n")
    });
    // A month after the last ticket: the current week is 2026-W51.
    let now = [
        "--as-of",
        "2026-12-18T09:00",
        "--all-customers",
        "--dry-run",
    ];
    let o = site.run(&[&["email", "weekly"][..], &now].concat());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("2026-W51 (the current period) starts after the last ticket in the exports was opened (2026-11-18 10:00)")
            && err.contains("name the period to send, e.g. --period 2026-W47 (the last ticket's); no mail written"),
        "{err}"
    );
    // Named, the quiet week is sent: a warning, and a mail for each customer.
    let o = site.run(&[&["email", "weekly", "--period", "2026-W51"][..], &now].concat());
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning: 2026-W51 starts after the last ticket"),
        "{err}"
    );
    assert!(out.contains("3 mail(s) checked"), "{out}");
    // Tickets dated after the clock (a typo: next year; tomorrow, inside the current week) do
    // not fill it: still refused, and the first of them named.
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    site.write(
        "data/tickets.csv",
        &format!("{tickets}X-2,high,2027-11-18T10:00:00+09:00,,,北斗会\nX-1,high,2026-12-19T10:00:00+09:00,,,北斗会\n"),
    );
    let o = site.run(&[&["email", "weekly"][..], &now].concat());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("2026-W51 (the current period) starts after the last ticket in the exports was opened (2026-11-18 10:00; 2 more dated in the future, the first X-1 at 2026-12-19 10:00)"),
        "{err}"
    );
}

#[test]
fn a_misspelt_or_unknown_customer_is_named_so_not_asked_for_recipients() {
    let site = three_customers(1, "tanaka@toho.example");
    // One character off a customer under email.customers: the one meant, nothing written.
    let o = site.weekly_mail(&["--customer", "南海商時", "--dry-run"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("did you mean `南海商事`"), "{err}");
    assert!(!err.contains("give its recipients there"), "{err}");
    // A name no one has (an old slug): no such customer, and the ones there are.
    let o = site.weekly_mail(&["--customer", "toho-bussan", "--dry-run"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("--customer toho-bussan: no such customer"),
        "{err}"
    );
    assert!(
        err.contains("東邦物産") && !err.contains("give its recipients"),
        "{err}"
    );
    // Said before any mail is composed: no count of mistakes in mails, no warning about them.
    assert!(
        !err.contains("mistake") && !err.contains("warning"),
        "{err}"
    );
    // A customer of the data with no recipients yet is asked for them.
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    site.write(
        "data/tickets.csv",
        &format!(
            "{tickets}S-1,high,2026-11-18T10:00:00+09:00,2026-11-18T10:20:00+09:00,,西部運輸\n"
        ),
    );
    let o = site.weekly_mail(&["--customer", "西部運輸", "--dry-run"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("give its recipients there"),
        "{}",
        stderr(&o)
    );
    // The right name mails.
    let o = site.weekly_mail(&["--customer", "南海商事", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_customer_mail_reports_on_its_services_and_the_site_mail_names_each_breach_customer() {
    let site = three_customers(1, "tanaka@toho.example");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let yaml = yaml
        .replace(
            "      bcc: [archive@example.jp]\n",
            "      bcc: [archive@example.jp]\n      services: [portal]\n",
        )
        .replace(
            "contracts:",
            "  downtime:\n    files: data/downtime.csv\navailability:\n  services: [portal, vpn]\ncontracts:",
        );
    site.write("site.yaml", &yaml);
    site.write(
        "data/downtime.csv",
        "service,start,end\nportal,2026-11-17T10:00:00+09:00,2026-11-17T10:30:00+09:00\nvpn,2026-11-18T10:00:00+09:00,2026-11-18T11:00:00+09:00\n",
    );
    let o = run(&site, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = |p: &str| std::fs::read_to_string(site.root().join(p)).unwrap();
    let hokuto = text("mail/北斗会/2026-W47.txt");
    assert!(hokuto.contains("portal"), "{hokuto}");
    assert!(
        !hokuto.contains("vpn"),
        "a service the customer does not have: {hokuto}"
    );
    assert!(
        text("mail/南海商事/2026-W47.txt").contains("vpn"),
        "all services when not listed"
    );
    // The site's own mail lists every customer's breaches, each with its customer.
    let o = site.weekly_mail(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let all = text("mail/2026-W47.txt");
    assert!(all.contains("N-1") && all.contains("(南海商事)"), "{all}");
    // A service the site does not have is named at the customer's entry.
    refused(
        &site,
        &yaml.replace("services: [portal]\n", "services: [portl]\n"),
        "email.customers.北斗会.services: `portl`",
    );
}

#[test]
fn greetings_and_signatures_come_from_markdown_outside_the_content() {
    let site = three_customers(1, "tanaka@toho.example");
    site.write(
        "templates/email/greeting.md",
        "{{ customer }}様\n\nいつもお世話になっております。{{ period_label }}のご報告です。\n",
    );
    site.write("templates/email/signature.md", "運用チーム\n");
    site.write("templates/email/nankai.md", "南海商事 ご担当者様\n");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace(
            "    南海商事: {to: [ops@nankai.example]}\n",
            "    南海商事: {to: [ops@nankai.example], greeting: templates/email/nankai.md}\n",
        ),
    );
    let o = run(&site, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |p: &str| std::fs::read_to_string(site.root().join(p)).unwrap();
    let text = read("mail/北斗会/2026-W47.txt");
    assert!(
        text.starts_with("北斗会様\n\nいつもお世話になっております。2026年11月第3週（11/16〜11/22）のご報告です。"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("運用チーム"), "{text}");
    assert!(read("mail/北斗会/2026-W47.html").contains("<p>北斗会様</p>"));
    assert!(read("mail/南海商事/2026-W47.txt").starts_with("南海商事 ご担当者様"));
    // The Message-ID is ASCII even for a Japanese customer's folder.
    let eml = read("mail/北斗会/2026-W47.eml");
    let id = eml.lines().find(|l| l.starts_with("Message-ID:")).unwrap();
    assert!(
        id.is_ascii() && id.contains("<2026-W47.c") && !id.contains("=?"),
        "{id}"
    );
    // A greeting the entry names but the site lacks, or one under content/, is a mistake.
    refused(&site, &read("site.yaml").replace("templates/email/nankai.md", "content/nankai.md"), "email.customers.南海商事.greeting: `content/nankai.md` must be a file under templates/email/");
}

#[test]
fn a_mail_the_log_says_was_sent_keeps_its_files_as_sent() {
    let relay = Relay::start(usize::MAX);
    let site = three_customers(relay.port, "tanaka@toho.example");
    assert!(run(&site, &["--send"]).status.success());
    let path = site.root().join("mail/北斗会/2026-W47.txt");
    let sent = std::fs::read_to_string(&path).unwrap();
    let o = site.run(&[
        "email",
        "weekly",
        "--period",
        "2026-W47",
        "--as-of",
        "2026-11-22T10:00",
        "--all-customers",
        "--send",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(relay.stop().len(), 3, "nothing sent the second time");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        sent,
        "the files are the mail that went out"
    );
}

#[test]
fn greetings_are_read_only_from_templates_email_and_never_through_a_link() {
    let site = three_customers(1, "tanaka@toho.example");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let with = |greeting: &str| {
        yaml.replace(
            "    南海商事: {to: [ops@nankai.example]}\n",
            &format!("    南海商事: {{to: [ops@nankai.example], greeting: {greeting}}}\n"),
        )
    };
    // Every customer's rows are not a greeting.
    site.write("site.yaml", &with("data/tickets.csv"));
    let o = run(&site, &["--dry-run"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("must be a file under templates/email/"),
        "{}",
        stderr(&o)
    );
    // A link under templates/email/ is not followed.
    std::fs::create_dir_all(site.root().join("templates/email")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("site.yaml"),
        site.root().join("templates/email/g.md"),
    )
    .unwrap();
    site.write("site.yaml", &with("templates/email/g.md"));
    let o = run(&site, &["--dry-run"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is a symbolic link"), "{}", stderr(&o));
    // Nor the site-wide one, and templates cannot read the environment.
    refused(
        &site,
        &yaml.replace("{{ period_label }}", "{{ get_env(name='HOME') }}"),
        "`get_env` is not available",
    );
}

#[test]
fn customers_that_would_share_a_folder_or_log_are_kept_apart() {
    let site = three_customers(1, "tanaka@toho.example");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    // `南海商事` and `南海商事 `: one of them would get nothing.
    refused(&site, &yaml.replace(
            "    南海商事: {to: [ops@nankai.example]}\n",
            "    南海商事: {to: [ops@nankai.example]}\n    \"南海商事 \": {to: [second@nankai.example]}\n",
        ), "would both write mail/南海商事/");
    // Also one customer at a time: `A/B` mailed today and `A-B` tomorrow would write one folder,
    // the second replacing the first's mail.
    site.write(
        "site.yaml",
        &yaml.replace(
            "    南海商事: {to: [ops@nankai.example]}\n",
            "    南海商事: {to: [ops@nankai.example]}\n    \"A/B\": {to: [ab@a.example]}\n    A-B: {to: [dash@a.example]}\n",
        ),
    );
    let one = site.weekly_mail(&["--customer", "南海商事", "--dry-run"]);
    assert!(!one.status.success());
    assert!(
        stderr(&one).contains("customers `A-B` and `A/B` would both write mail/a-b/"),
        "{}",
        stderr(&one)
    );
    // A very long name still makes a folder name.
    let long = "L".repeat(300);
    assert!(opsite::email::folders::customer_slug(&long).len() <= 80);
    assert_ne!(
        opsite::email::folders::customer_slug(&long),
        opsite::email::folders::customer_slug(&format!("{long}x"))
    );
}

#[test]
fn an_unreadable_sent_log_stops_sending_and_a_customer_named_site_has_its_own_log() {
    let relay = Relay::start(usize::MAX);
    let site = three_customers(relay.port, "tanaka@toho.example");
    let log = site.root().join(".opsite-sent/weekly/2026-W47");
    std::fs::create_dir_all(&log).unwrap();
    std::fs::write(log.join("北斗会.json"), "{broken").unwrap();
    // The site's own log is `_site.json`: a customer's folder name never starts with `_`.
    std::fs::write(log.join("site.json"), "{}").unwrap();
    let o = run(&site, &["--send"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("the sent log cannot be read"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(log.join("北斗会.json")).unwrap();
    let o = site.weekly_mail(&["--send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        relay.stop().len(),
        1,
        "the site's mail, not taken for a customer's"
    );
    assert!(log.join("_site.json").is_file());
}

/// The mail's MIME tree, as Python's parser sees it.
fn tree(site: &TestSite, path: &str) -> serde_json::Value {
    crate::email::parsed(&site.root().join(path))
}

#[test]
fn data_cannot_add_a_part_an_image_or_markup_to_a_mail() {
    // An English site, all ASCII, so parts go out as written (not base64): a breached ticket's
    // title writes the boundary a mail of this period and as_of had, then an HTML part of its
    // own. A customer name that reads as Markdown, in a greeting with an outside image.
    let as_of = 1_795_305_600; // 2026-11-22T09:00+09:00
    let forged = format!(
        "\"x\n--opsite-related-2026-W47-{as_of}\nContent-Type: text/html\n\n<img src=\"\"http://evil.example/t.png\"\">\n--opsite-related-2026-W47-{as_of}--\""
    );
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: Ops\nlanguage: en\ntimezone: Asia/Tokyo\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\ncontracts:\n  - {name: standard, customers: \"*\"}\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{ period }}\"\n  customers:\n    \"![t](http://evil.example/c.png) **Evil**\": {to: [it@evil.example]}\n",
        ),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            &format!("id,title,priority,opened_at,responded_at,resolved_at,customer\nE-1,{forged},high,2026-11-17T10:00:00+09:00,2026-11-17T13:30:00+09:00,,![t](http://evil.example/c.png) **Evil**\n"),
        ),
        ("templates/email/greeting.md", "{{ customer }} ![logo](http://evil.example/logo.png)\n"),
    ]);
    let o = run(&site, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = std::fs::read_dir(site.root().join("mail"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let m = crate::email::parsed(&dir.path().join("2026-W47.eml"));
    assert!(
        m["text"].as_str().unwrap().contains("opsite-related"),
        "the title is there"
    );
    // text/plain and multipart/related (the HTML and the charts): nothing else.
    let parts = m["tree"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2, "{:#}", m["tree"]);
    let related = parts[1]["parts"].as_array().unwrap();
    let html_parts = related.iter().filter(|p| p["type"] == "text/html").count();
    assert_eq!(html_parts, 1, "{:#}", m["tree"]);
    assert_eq!(
        m["urls_in_html"],
        serde_json::json!([]),
        "no URL in the HTML"
    );
    let html = m["html"].as_str().unwrap();
    assert!(
        !html.contains("<img src=\"http") && !html.contains("<strong>Evil"),
        "{html}"
    );
    // A named pipe is not a greeting: refused, not waited on.
    let fifo = site.root().join("templates/email/greeting.md");
    std::fs::remove_file(&fifo).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let o = run(&site, &["--dry-run"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("is not a plain file"), "{}", stderr(&o));
}

#[test]
fn a_file_in_the_way_of_a_mail_folder_stops_the_run_before_anything_is_written() {
    let site = three_customers(1, "tanaka@toho.example");
    site.write("mail/東邦物産", "not a folder");
    let o = run(&site, &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is a file where a folder must go"),
        "{}",
        stderr(&o)
    );
    assert!(!site.root().join("mail/北斗会").exists(), "nothing written");
}

#[test]
fn a_subject_stays_under_the_header_line_limit() {
    let site = three_customers(1, "tanaka@toho.example");
    let long = "L".repeat(2_000);
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace(
            "{{ period_label }}",
            &format!("{{{{ period_label }}}} {long}"),
        ),
    );
    let o = run(&site, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let eml = std::fs::read_to_string(site.root().join("mail/北斗会/2026-W47.eml")).unwrap();
    let longest = eml.lines().map(str::len).max().unwrap();
    assert!(longest <= 998, "a line of {longest} bytes");
    let subject = tree(&site, "mail/北斗会/2026-W47.eml")["subject"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        subject.ends_with('…') && subject.chars().count() == 201,
        "{subject}"
    );
}

#[test]
fn a_run_killed_before_the_relay_answered_never_sends_that_mail_again_unasked() {
    let relay = Relay::start_with(usize::MAX, true);
    let site = three_customers(relay.port, "tanaka@toho.example");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opsite"))
        .args([
            "email",
            "weekly",
            "--period",
            "2026-W47",
            "--as-of",
            "2026-11-22T09:00",
            "--all-customers",
            "--send",
            "--root",
        ])
        .arg(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The relay holds the first mail's data and has not answered: the run is killed there.
    relay
        .data_taken
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the relay got a message");
    child.kill().unwrap();
    child.wait().unwrap();
    let got = relay.stop();
    assert_eq!(got.len(), 1);
    let logs: Vec<String> = walkdir::WalkDir::new(site.root().join(".opsite-sent"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0].contains("\"state\": \"sending\""), "{}", logs[0]);
    // The re-run sends the others and refuses that one, saying what to check.
    let relay = Relay::start(usize::MAX);
    repoint(&site, &relay);
    let o = run(&site, &["--send"]);
    let again = relay.stop();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(again.len(), 2, "only the other two: {:?}", again.messages);
    let e = stderr(&o);
    assert!(
        e.contains("relay's log") && e.contains("--resend") && e.contains("Message-ID"),
        "{e}"
    );
    // Asked with --resend, it goes.
    let relay = Relay::start(usize::MAX);
    repoint(&site, &relay);
    let o = run(&site, &["--send", "--resend"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(relay.stop().len(), 3);
}

#[test]
fn a_week_after_the_last_ticket_of_the_exports_is_warned_about_before_it_is_mailed() {
    let site = three_customers(1, "tanaka@toho.example");
    let o = run(&site, &["--dry-run"]);
    assert!(!stderr(&o).contains("starts after"), "{}", stderr(&o));
    // The export ends on 11/18: the next week's mail would report a quiet week.
    let o = site.run(&[
        "email",
        "weekly",
        "--period",
        "2026-W48",
        "--as-of",
        "2026-11-29T09:00",
        "--all-customers",
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: 2026-W48 starts after the last ticket in the exports was opened (2026-11-18 10:00): the mail's figures count no ticket; refresh the export if it is out of date"),
        "{}",
        stderr(&o)
    );
    // A quiet week between tickets is a quiet week, not a stale export.
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    site.write(
        "data/tickets.csv",
        &format!("{tickets}H-2,high,2026-12-01T10:00:00+09:00,2026-12-01T10:10:00+09:00,,北斗会\n"),
    );
    let o = site.run(&[
        "email",
        "weekly",
        "--period",
        "2026-W48",
        "--as-of",
        "2026-12-04T09:00",
        "--all-customers",
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("starts after"), "{}", stderr(&o));
}

#[test]
fn missing_mail_settings_are_shown_with_a_subject_in_the_sites_language() {
    let site = three_customers(1, "tanaka@toho.example");
    site.edit_config(|c| {
        (c.lines())
            .filter(|l| !l.trim_start().starts_with("subject:"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let o = site.weekly_mail(&["--dry-run"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("site.yaml needs email.subject"), "{err}");
    // A Japanese site's recipients read a Japanese subject: the example is one.
    assert!(
        err.contains("subject: \"【週次報告】{{ period_label }}"),
        "{err}"
    );
    assert!(!err.contains("Weekly status"), "{err}");
}

#[test]
fn the_teams_mail_says_what_reading_the_exports_warned_of() {
    let site = three_customers(1, "tanaka@toho.example");
    site.edit_config(|c| c.replace("files: data/tickets.csv", "files: \"data/*.csv\""));
    site.write("data/empty.csv", "");
    // The team's mail, as a customer's mail, the PDF and the build: the skipped file is named.
    let o = site.weekly_mail(&["--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("data/empty.csv: warning: data.tickets: the file is empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_exports_own_spelling_of_a_customer_names_it_for_its_mail() {
    let site = three_customers(1, "tanaka@toho.example");
    site.edit_config(|c| {
        c.replace(
            "files: data/tickets.csv",
            "files: data/tickets.csv\n    customer_names: {\"南海\": 南海商事}",
        )
        .replace("customers: \"*\"}", "customers: [\"*\", 南海商事]}")
    });
    // `南海` is how the export writes 南海商事: its mail, to its recipients.
    let o = site.weekly_mail(&["--customer", "南海", "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("to ops@nankai.example"), "{out}");
}

#[test]
fn all_customers_names_the_customers_with_an_edition_but_no_recipients() {
    let site = three_customers(1, "tanaka@toho.example");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}customers:\n  - {{name: 北斗会, slug: hokuto, base_url: \"https://r.example.jp/hokuto/\"}}\n  - {{name: 西部物流, slug: seibu, base_url: \"https://r.example.jp/seibu/\"}}\n"),
    );
    let tickets = std::fs::read_to_string(site.root().join("data/tickets.csv")).unwrap();
    site.write(
        "data/tickets.csv",
        &format!(
            "{tickets}S-1,high,2026-11-19T10:00:00+09:00,2026-11-19T10:05:00+09:00,,西部物流\n"
        ),
    );
    let o = run(&site, &["--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stderr(&o);
    let warning = (said.lines())
        .find(|l| l.contains("no recipients under email.customers"))
        .unwrap_or_else(|| panic!("no warning: {said}"));
    assert!(warning.contains("西部物流"), "{warning}");
    assert!(!warning.contains("北斗会"), "{warning}");
}
