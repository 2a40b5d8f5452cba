//! Escalation routes and on-call duty from `data/escalation.yaml`: the `oncall` block at given
//! instants (a lunch break, a Friday evening before a long weekend, a Japanese holiday with a
//! swap), the `escalation` table, diagram and schedule, the check of the data's services, located
//! mistakes, escaping, and a customer edition's cut. 2026-11-23 is a Monday and a holiday
//! (勤労感謝の日); the rotation hands over on Mondays at 09:00: 佐藤 from 11-02, 鈴木 11-09,
//! 高橋 11-16, 佐藤 11-23 (but 田中 covers the holiday, 11-23 09:00 to 11-24 09:00).

use crate::support::*;
use opsite::site::BuildResult;

const CONFIG: &str = "title: 当番テスト
base_url: https://ops.example.jp/
timezone: Asia/Tokyo
calendars:
  business:
    hours: {mon: \"09:00-12:00,13:00-18:00\", tue: \"09:00-12:00,13:00-18:00\", wed: \"09:00-12:00,13:00-18:00\", thu: \"09:00-12:00,13:00-18:00\", fri: \"09:00-12:00,13:00-18:00\"}
    holidays: japan
";

const ROUTES: &str = "teams:
  desk:
    name: サービスデスク
    contacts:
      - {phone: \"03-1234-5678\", label: 受付}
      - desk@example.jp
  night:
    name: 夜間受付
    contacts: [{phone: \"0120-000-111\"}]
  ops:
    name: 運用当番
    rotation: {every: week, start: \"2026-11-02 09:00\", members: [佐藤, 鈴木, 高橋]}
    overrides:
      - {member: 田中, from: \"2026-11-23 09:00\", to: \"2026-11-24 09:00\"}
    contacts:
      - {phone: \"090-0000-0001\", internal: true}
      - {chat: \"#ops-oncall\"}
  dev:
    name: 開発チーム
    contacts: [{url: \"https://tickets.example.jp/dev\"}]
routes:
  - services: [portal]
    levels:
      L1: {team: desk, hours: business, outside_hours: night, escalate_after: 30m}
      L2: {team: ops, escalate_after: 2h}
      L3: {team: dev, hours: business}
";

const PAGE: &str =
    "---\ntitle: 連絡先\n---\n{{< oncall service=\"portal\" >}}\n\n{{< escalation >}}\n";

fn site() -> TestSite {
    TestSite::new(&[
        ("site.yaml", CONFIG),
        ("data/escalation.yaml", ROUTES),
        ("content/_index.md", "---\ntitle: ホーム\n---\n"),
        ("content/contacts.md", PAGE),
    ])
}

/// The on-call block of the page built at `now` (JST), as text without tags.
fn block(r: &BuildResult) -> String {
    let html = file(r, "contacts/index.html");
    let start = html
        .find("<section class=\"figure-block oncall-figure\"")
        .expect("oncall block");
    let end = start + html[start..].find("</section>").unwrap();
    text_of(&html[start..end])
}

fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of one level's entry in the block (`L1 …` up to the next level).
fn level(block: &str, name: &str) -> String {
    let start = block
        .find(&format!("{name} "))
        .unwrap_or_else(|| panic!("{name} in {block}"));
    let rest = &block[start..];
    let end = ["L1 ", "L2 ", "L3 "]
        .iter()
        .filter_map(|l| rest[3..].find(l).map(|i| i + 3))
        .min()
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn during_business_hours_the_desk_answers_until_lunch() {
    let r = site().build_at("2026-11-20T11:00:00+09:00");
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let b = block(&r);
    assert!(b.contains("2026-11-20（金）11:00 時点"), "{b}");
    // The first change is the desk's lunch break.
    assert!(b.contains("2026-11-20（金）12:00 まで有効"), "{b}");
    let l1 = level(&b, "L1");
    assert!(
        l1.contains("サービスデスク") && l1.contains("03-1234-5678"),
        "{l1}"
    );
    assert!(
        l1.contains("desk@example.jp") && !l1.contains("時間外"),
        "{l1}"
    );
    let l2 = level(&b, "L2");
    assert!(
        l2.contains("運用当番") && l2.contains("当番者: 高橋"),
        "{l2}"
    );
    assert!(l2.contains("2026-11-23（月）09:00 まで"), "{l2}");
    assert!(level(&b, "L3").contains("開発チーム"), "{b}");
}

#[test]
fn over_lunch_the_night_desk_answers_and_the_developers_are_away_until_one() {
    let r = site().build_at("2026-11-20T12:30:00+09:00");
    let b = block(&r);
    assert!(b.contains("2026-11-20（金）13:00 まで有効"), "{b}");
    let l1 = level(&b, "L1");
    assert!(l1.contains("夜間受付") && l1.contains("時間外"), "{l1}");
    assert!(
        l1.contains("0120-000-111") && !l1.contains("03-1234-5678"),
        "{l1}"
    );
    let l3 = level(&b, "L3");
    assert!(
        l3.contains("2026-11-20（金）13:00 から開発チームが対応"),
        "{l3}"
    );
    assert!(l3.contains("対応時間外"), "{l3}");
}

#[test]
fn a_friday_evening_holds_until_the_swap_on_the_holiday_and_the_desk_reopens_on_tuesday() {
    let r = site().build_at("2026-11-20T18:30:00+09:00");
    let b = block(&r);
    // 高橋's week ends on Monday 09:00, when 田中 covers the holiday.
    assert!(b.contains("2026-11-23（月）09:00 まで有効"), "{b}");
    assert!(level(&b, "L1").contains("夜間受付"), "{b}");
    // Saturday, Sunday and the holiday Monday are closed: the developers are back on Tuesday.
    assert!(
        level(&b, "L3").contains("2026-11-24（火）09:00 から開発チームが対応"),
        "{b}"
    );

    let holiday = block(&site().build_at("2026-11-23T10:00:00+09:00"));
    assert!(level(&holiday, "L1").contains("夜間受付"), "{holiday}");
    let l2 = level(&holiday, "L2");
    assert!(
        l2.contains("当番者: 田中") && l2.contains("2026-11-24（火）09:00 まで"),
        "{l2}"
    );

    let tuesday = block(&site().build_at("2026-11-24T09:00:00+09:00"));
    assert!(
        level(&tuesday, "L1").contains("サービスデスク"),
        "{tuesday}"
    );
    assert!(level(&tuesday, "L2").contains("当番者: 佐藤"), "{tuesday}");
}

#[test]
fn the_escalation_table_diagram_and_schedule_come_from_the_file() {
    let r = site().build_at("2026-11-20T11:00:00+09:00");
    let html = file(&r, "contacts/index.html");
    let start = html
        .find("<section class=\"escalation-figure\"")
        .expect("escalation");
    let figure = &html[start..];
    let text = text_of(figure);
    assert!(text.contains("portalのエスカレーション経路"), "{text}");
    assert!(
        text.contains("月–金 09:00–12:00, 13:00–18:00 (祝日・休業日を除く)"),
        "{text}"
    );
    assert!(text.contains("24 時間 365 日"), "{text}");
    assert!(
        text.contains("佐藤 → 鈴木 → 高橋 (毎週 月 09:00 交代)"),
        "{text}"
    );
    assert!(text.contains("30 分") && text.contains("2 時間"), "{text}");
    // L3 has nobody outside its hours, and nothing above it.
    let l3 = &text[text.find("L3 開発チーム").expect("L3 row")..];
    assert!(l3.contains("なし") && l3.contains("—"), "{l3}");
    // The diagram is drawn at build time, with its words for screen readers.
    assert!(
        figure.contains("<svg") && figure.contains("30 分で未解決"),
        "diagram"
    );
    // The schedule: this turn, the swap on the holiday, then the next turns.
    let schedule = &text[text.find("当番表").expect("schedule")..];
    let order: Vec<usize> = ["高橋", "田中 交代", "佐藤", "鈴木"]
        .iter()
        .map(|n| {
            schedule
                .find(n)
                .unwrap_or_else(|| panic!("{n} in {schedule}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{schedule}");
    assert!(
        schedule.contains("2026-11-16（月）09:00 – 2026-11-23（月）09:00"),
        "{schedule}"
    );
    // Links open only the dialler, the mailer and the web page.
    assert!(figure.contains("href=\"tel:0312345678\""), "tel link");
    assert!(
        figure.contains("href=\"mailto:desk@example.jp\""),
        "mail link"
    );
}

#[test]
fn every_service_of_the_data_needs_a_route_and_typos_are_named() {
    let s = site();
    s.edit_config(|c| {
        format!("{c}data:\n  tickets:\n    files: data/tickets.csv\n  downtime:\n    files: data/downtime.csv\navailability:\n  services: [portal, api]\n")
    });
    s.write(
        "data/tickets.csv",
        "id,title,priority,opened_at\nT-1,x,high,2026-11-16T10:00:00+09:00\n",
    );
    s.write(
        "data/downtime.csv",
        "service,start,end,planned\nportal,2026-11-10 10:00,2026-11-10 11:00,false\nbatch,2026-11-11 01:00,2026-11-11 02:00,false\n",
    );
    s.write(
        "data/escalation.yaml",
        &ROUTES.replace("services: [portal]", "services: [portal, portl]"),
    );
    let m = messages(&s.build_at("2026-11-20T11:00:00+09:00"));
    let routes_line = ROUTES.lines().position(|l| l == "routes:").unwrap() + 1;
    let at = format!("data/escalation.yaml:{routes_line}:1: error");
    let api = m
        .iter()
        .find(|l| l.contains("service `api`"))
        .expect("api unrouted");
    assert!(
        api.starts_with(&at) && api.contains("availability.services in site.yaml"),
        "{api}"
    );
    let batch = m
        .iter()
        .find(|l| l.contains("service `batch`"))
        .expect("batch unrouted");
    assert!(
        batch.starts_with(&at) && batch.contains("the downtime export (data/downtime.csv)"),
        "{batch}"
    );
    assert!(batch.contains("services: \"*\""), "{batch}");
    let typo = m.iter().find(|l| l.contains("`portl`")).expect("typo");
    assert!(
        typo.contains("warning") && typo.contains("did you mean `portal`?"),
        "{typo}"
    );
    assert!(
        typo.starts_with(&format!("data/escalation.yaml:{}:", routes_line + 1)),
        "{typo}"
    );

    // A `*` route takes every other service.
    s.write(
        "data/escalation.yaml",
        &format!("{ROUTES}  - services: \"*\"\n    levels:\n      L1: {{team: night}}\n"),
    );
    let m = messages(&s.build_at("2026-11-20T11:00:00+09:00"));
    assert!(
        !m.iter().any(|l| l.contains("no escalation route")),
        "{m:?}"
    );
}

#[test]
fn mistakes_in_the_routes_are_errors_at_their_lines() {
    let s = site();
    let broken = ROUTES
        .replace(
            "L2: {team: ops, escalate_after: 2h}",
            "L2: {team: opz, escalate_after: 2h}",
        )
        .replace("{phone: \"0120-000-111\"}", "{phone: +81120000111}")
        .replace(
            "L3: {team: dev, hours: business}",
            "L4: {team: dev, hours: bussiness}",
        )
        .replace("every: week,", "every: week, strat: x,");
    s.write("data/escalation.yaml", &broken);
    let r = s.build_at("2026-11-20T11:00:00+09:00");
    let m = messages(&r);
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let find = |needle: &str| {
        m.iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in {m:?}"))
            .clone()
    };
    let team = find("no team `opz`");
    assert!(
        team.starts_with(&format!("data/escalation.yaml:{}:", line_of("team: opz"))),
        "{team}"
    );
    assert!(team.contains("did you mean `ops`?"), "{team}");
    let phone = find("as a number");
    assert!(
        phone.starts_with(&format!(
            "data/escalation.yaml:{}:",
            line_of("+81120000111")
        )),
        "{phone}"
    );
    assert!(phone.contains("put it in quotes"), "{phone}");
    assert!(find("no calendar `bussiness`").contains("did you mean `business`?"));
    assert!(find("levels skip L3").contains("error"));
    let unknown = find("unknown key `strat`");
    assert!(unknown.contains("error"), "{unknown}");
    assert!(
        !m.iter().any(|l| l.contains("last level")),
        "no consequence: {m:?}"
    );
    // The blocks are left out (not drawn from part of the routes), after the routes' errors.
    let blocked = m.last().unwrap();
    assert!(blocked.starts_with("content/contacts.md:4: error: 2 figure(s) on 1 page(s) not drawn because the escalation routes have errors (above)"), "{blocked}");
    assert!(!file(&r, "contacts/index.html").contains("oncall-figure"));
}

#[test]
fn names_and_contacts_are_text_wherever_they_land() {
    let s = site();
    let hostile = ROUTES
        .replace(
            "name: サービスデスク",
            "name: \"<script>alert(1)</script>\\\"]] --> X\"",
        )
        .replace(
            "{chat: \"#ops-oncall\"}",
            "{chat: \"<img src=x onerror=alert(2)>\"}",
        )
        .replace("members: [佐藤,", "members: [\"佐\\a藤\\u202e\",");
    s.write("data/escalation.yaml", &hostile);
    let r = s.build_at("2026-11-20T11:00:00+09:00");
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let html = file(&r, "contacts/index.html");
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x"),
        "escaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text"
    );
    // A control character or a text-reversing mark is shown as U+FFFD, not passed on.
    assert!(html.contains("佐\u{fffd}藤\u{fffd} → 鈴木"), "cleaned");
    assert!(!html.contains('\u{7}') && !html.contains('\u{202e}'));
    // The diagram still has its box for L1, the name in look-alike characters.
    assert!(
        html.contains(">‹script›alert(1)‹/script›”］］</tspan>"),
        "drawn"
    );

    s.write(
        "data/escalation.yaml",
        &ROUTES.replace("https://tickets.example.jp/dev", "javascript:alert(3)"),
    );
    let m = messages(&s.build_at("2026-11-20T11:00:00+09:00"));
    assert!(
        m.iter().any(|l| l.contains("is not a web address")),
        "{m:?}"
    );
}

#[test]
fn a_customer_edition_shows_its_services_routes_without_internal_contacts_or_names() {
    let s = site();
    s.edit_config(|c| {
        format!("{c}contracts:\n  - {{name: 標準, customers: \"*\"}}\ncustomers:\n  - {{name: 東都, slug: toto, base_url: \"https://toto.example.jp/\", services: [portal]}}\n")
    });
    s.write(
        "data/escalation.yaml",
        &format!("{ROUTES}  - services: [api]\n    levels:\n      L1: {{team: night}}\n"),
    );
    s.write(
        "content/contacts.md",
        &PAGE.replace("---\n{{<", "audience: [customers]\n---\n{{<"),
    );
    let out = s.run(&["build", "--as-of", "2026-11-20T11:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let internal = std::fs::read_to_string(s.root().join("output/contacts/index.html")).unwrap();
    assert!(internal.contains("090-0000-0001") && internal.contains("apiのエスカレーション経路"));
    let edition =
        std::fs::read_to_string(s.root().join("editions/toto/contacts/index.html")).unwrap();
    assert!(
        edition.contains("portalのエスカレーション経路"),
        "portal route"
    );
    assert!(
        !edition.contains("apiのエスカレーション経路"),
        "no other service"
    );
    assert!(!edition.contains("090-0000-0001"), "no internal contact");
    assert!(
        !edition.contains("高橋") && !edition.contains("当番表"),
        "no names"
    );
    assert!(edition.contains("#ops-oncall") && edition.contains("0120-000-111"));

    // On Friday evening the internal block changes with the holiday swap on Monday 09:00; the
    // edition shows no members, so its block holds until the desk opens on Tuesday.
    let out = s.run(&["build", "--as-of", "2026-11-20T18:30"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(s.root().join(p)).unwrap();
    let internal = read("output/contacts/index.html");
    assert!(
        internal.contains("2026-11-23（月）09:00</span> まで有効"),
        "internal validity"
    );
    let edition = read("editions/toto/contacts/index.html");
    assert!(
        edition.contains("2026-11-24（火）09:00</span> まで有効"),
        "edition validity"
    );
    assert!(
        !edition.contains("2026-11-23（月）09:00"),
        "no handover time"
    );
}

#[test]
fn a_site_without_routes_says_where_to_write_them() {
    let s = site();
    std::fs::remove_file(s.root().join("data/escalation.yaml")).unwrap();
    let m = messages(&s.build());
    assert!(
        m.iter().any(|l| l.starts_with("content/contacts.md:4:")
            && l.contains("write them in data/escalation.yaml")),
        "{m:?}"
    );
}

#[test]
fn one_mistake_is_one_error_with_its_cure() {
    let s = site();
    // A broken rotation is the rotation's error, not also "no team" at every level naming it.
    s.write(
        "data/escalation.yaml",
        &ROUTES.replace("every: week,", "every: 1w,"),
    );
    let m = messages(&s.build_at("2026-11-20T11:00:00+09:00"));
    assert!(
        m.iter().any(|l| l.contains("`every` is `week` or `day`")),
        "{m:?}"
    );
    assert!(!m.iter().any(|l| l.contains("no team")), "{m:?}");

    for (text, says) in [
        (
            "",
            "no routes are written here: give `teams:` and `routes:`",
        ),
        ("# TODO\n", "no routes are written here"),
        ("teams:\n", "`teams:` has no team under it (teams: {desk:"),
    ] {
        s.write("data/escalation.yaml", text);
        let m = messages(&s.build_at("2026-11-20T11:00:00+09:00"));
        assert!(
            m.iter()
                .any(|l| l.starts_with("data/escalation.yaml") && l.contains(says)),
            "{text:?}: {m:?}"
        );
    }

    // A page naming a service the routes do not have is told what the file has, both ways.
    s.write(
        "data/escalation.yaml",
        &ROUTES.replace("services: [portal]", "services: [potral]"),
    );
    let m = messages(&s.build_at("2026-11-20T11:00:00+09:00"));
    let page = m
        .iter()
        .find(|l| l.starts_with("content/contacts.md:4:"))
        .expect("page error");
    assert!(
        page.contains("no escalation route for service `portal`: data/escalation.yaml has routes for potral; `potral` there is close"),
        "{page}"
    );
}
