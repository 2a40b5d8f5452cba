//! The status page (`/status/`, `status.json`, its Atom feed), read back from builds of a small
//! downtime export whose figures are worked out by hand below. The tests' clock is 2026-11-22
//! 09:00 JST (a Sunday): the 90 days shown are 2026-08-25 … 2026-11-22, the last one until 09:00.

use crate::support::*;
use opsite::site::BuildResult;

const CONFIG: &str = "title: 稼働テスト
base_url: https://status.example.jp/
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
  downtime:
    files: data/downtime.csv
availability:
  target: 99.9
  services: [portal, api]
  maintenance:
    - {every: week, weekday: sun, start: \"02:00\", end: \"04:00\"}
labels:
  service: {portal: 顧客ポータル}
";

/// Before the 90 days (not shown); a Tuesday hour down; a Sunday outage inside the maintenance
/// window (no downtime); a planned half hour; an outage still going on at the clock.
const DOWNTIME: &str = "service,start,end,planned
portal,2026-08-01 10:00,2026-08-01 11:00,false
portal,2026-11-10 10:00,2026-11-10 11:00,false
api,2026-11-15 02:30,2026-11-15 03:30,false
api,2026-11-18 12:00,2026-11-18 12:30,true
api,2026-11-22 08:00,,false
";

fn site() -> TestSite {
    TestSite::new(&[
        ("site.yaml", CONFIG),
        ("data/downtime.csv", DOWNTIME),
        (
            "data/tickets.csv",
            "id,title,priority,opened_at,responded_at,resolved_at\nT-1,x,high,2026-11-16T10:00:00+09:00,2026-11-16T10:10:00+09:00,2026-11-16T12:00:00+09:00\n",
        ),
        ("content/_index.md", "---\ntitle: ホーム\n---\n{{< status period=\"latest-week\" >}}\n"),
        (
            "content/status/2026-11-10-portal.md",
            "---\nservice: portal\nstart: 2026-11-10 10:00\ntitle: \"ポータル停止 <script>alert(1)</script>\"\n---\nロードバランサの設定誤りでした。\n",
        ),
    ])
}

fn status_json(r: &BuildResult) -> serde_json::Value {
    serde_json::from_str(file(r, "status.json")).expect("status.json is JSON")
}

fn service<'a>(json: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    (json["services"].as_array().unwrap().iter())
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

fn day<'a>(service: &'a serde_json::Value, date: &str) -> &'a serde_json::Value {
    (service["days"].as_array().unwrap().iter())
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no day {date}"))
}

#[test]
fn each_day_and_uptime_is_the_export_worked_by_hand() {
    let r = site().build();
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    let json = status_json(&r);
    assert_eq!(json["as_of"], "2026-11-22T09:00:00+09:00");
    let portal = service(&json, "portal");
    let api = service(&json, "api");
    for s in [portal, api] {
        let days = s["days"].as_array().unwrap();
        assert_eq!(days.len(), 90);
        assert_eq!(days[0]["date"], "2026-08-25");
        assert_eq!(days[89]["date"], "2026-11-22");
    }
    // 11-10: 60 of 1,440 minutes down.
    assert_eq!(day(portal, "2026-11-10")["availability"], 95.8333);
    assert_eq!(
        day(portal, "2026-11-10")["outages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // 11-15: the hour down lies inside Sunday's 02:00–04:00 window: no downtime.
    assert_eq!(day(api, "2026-11-15")["availability"], 100.0);
    // 11-18: planned work is not downtime.
    assert_eq!(day(api, "2026-11-18")["availability"], 100.0);
    // 11-22 so far: 540 minutes less the 120 of the window = 420 counted, 60 down: 85.714285…,
    // cut (not rounded) to four places.
    assert_eq!(day(api, "2026-11-22")["availability"], 85.7142);
    assert_eq!(day(portal, "2026-11-22")["availability"], 100.0);
    // Last 30 days (10-24 00:00 … 11-22 09:00): 29 × 1,440 + 540 = 42,300 minutes, less five
    // Sunday windows (600) = 41,700; portal 60 down: 99.85612 %; api also less its planned 30
    // minutes (41,670), 60 down: 99.85601 %.
    assert_eq!(portal["uptime_30d"], 99.8561);
    assert_eq!(api["uptime_30d"], 99.856);
    // 90 days: 89 × 1,440 + 540 = 128,700, less 13 Sunday windows (1,560) = 127,140; portal 60
    // down: 99.95281 %.
    assert_eq!(portal["uptime_90d"], 99.9528);
    // The outage with no end is going on; nothing is at portal.
    assert_eq!(api["state"], "outage");
    assert_eq!(portal["state"], "operational");
}

#[test]
fn the_page_shows_cells_states_incidents_and_maintenance() {
    let r = site().build();
    let page = file(&r, "status/index.html");
    assert_eq!(
        page.matches("<li class=\"day ").count(),
        180,
        "90 cells per service"
    );
    assert!(page.contains("class=\"day day-major\" tabindex=\"0\" aria-label=\"2026年11月10日 95.83 %; 10:00–11:00 計画外 1 時間\""), "{page}");
    assert!(
        page.contains("day day-planned"),
        "the planned day is marked as such"
    );
    // A Sunday's window is among its day's details.
    assert!(page.contains("aria-label=\"2026年11月15日 100.00 %; 02:00–04:00 定期保守; 02:30–03:30 計画外 1 時間\""), "{page}");
    assert!(page.contains("障害が発生しているサービスがあります"));
    assert!(page.contains("<span class=\"badge state-outage\">障害発生中</span>"));
    assert!(
        page.contains("<h3 id=\"status-service-1\">顧客ポータル</h3>")
            || page.contains(">顧客ポータル</h3>")
    );
    assert!(page.contains("datetime=\"2026-11-22T09:00:00+09:00\">2026年11月22日 9:00 時点</time>"));
    // 99.8577… % over 30 days, rounded half up as every figure is (numbers: default).
    assert!(page.contains("99.86 %"), "30-day uptime rounded half up");
    // Incidents newest first, the one before the 90 days left out.
    let order: Vec<usize> = [
        "incident-api-202611220800",
        "incident-api-202611181200",
        "incident-api-202611150230",
        "incident-portal-202611101000",
    ]
    .iter()
    .map(|id| {
        page.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!page.contains("202608011000"));
    // The note's title is text; its body is shown under its outage.
    assert!(
        page.contains("ポータル停止 &lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("ポータル停止 &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("ロードバランサの設定誤りでした。"));
    // Four Sunday windows in the next 30 days.
    for d in [
        "2026年11月29日",
        "2026年12月6日",
        "2026年12月13日",
        "2026年12月20日",
    ] {
        assert!(page.contains(&format!("{d} 2:00")), "{d}");
    }
    assert!(!page.contains("2026年12月27日 2:00"));
    // The home page's status block leads here.
    assert!(file(&r, "index.html").contains("href=\"/status/\""));
}

#[test]
fn the_feed_and_json_list_incidents_newest_first_escaped() {
    let r = site().build();
    let json = status_json(&r);
    let starts: Vec<&str> = (json["incidents"].as_array().unwrap().iter())
        .map(|i| i["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-22T08:00:00+09:00",
            "2026-11-18T12:00:00+09:00",
            "2026-11-15T02:30:00+09:00",
            "2026-11-10T10:00:00+09:00"
        ]
    );
    assert_eq!(json["incidents"][0]["end"], serde_json::Value::Null);
    assert_eq!(json["incidents"][1]["planned"], true);
    assert_eq!(json["maintenance"].as_array().unwrap().len(), 4);
    let feed = file(&r, "status/atom.xml");
    assert!(feed
        .contains("<link href=\"https://status.example.jp/status/#incident-api-202611220800\"/>"));
    assert_eq!(feed.matches("<entry>").count(), 4);
    assert!(feed.contains("ポータル停止 &lt;script&gt;"), "{feed}");
    assert!(!feed.contains("<script>"));
    assert!(
        has_file(&r, "sitemap.xml")
            && file(&r, "sitemap.xml").contains("https://status.example.jp/status/")
    );
}

#[test]
fn notes_that_name_no_outage_and_settings_are_told_at_their_place() {
    let s = site();
    s.write(
        "content/status/2026-11-15-api.md",
        "---\nservice: api\nstart: 2026-11-15 02:31\n---\nx\n",
    );
    s.write(
        "content/status/2026-11-01-x.md",
        "---\nservice: api\n---\nx\n",
    );
    let r = s.build();
    let m = messages(&r).join("\n");
    assert!(m.contains("content/status/2026-11-15-api.md: warning: this note is not shown: no outage of `api` starts at 2026-11-15 02:31 (api's outages then start at 2026-11-15 02:30)"), "{m}");
    assert!(
        m.contains("content/status/2026-11-01-x.md:2: error:") && m.contains("`start` is missing"),
        "{m}"
    );

    // A time as the export writes it, under a file name with another date: shown, and told.
    let s = site();
    s.write(
        "content/status/2026-11-17-api.md",
        "---\nservice: api\nstart: 2026/11/18 12:00\n---\n作業の記録\n",
    );
    // An outage before the 90 days: its note is simply not shown.
    s.write(
        "content/status/2026-08-01-portal.md",
        "---\nservice: portal\nstart: 2026-08-01 10:00\n---\n古い記録\n",
    );
    // A mistyped service, and a second note for one outage.
    s.write(
        "content/status/2026-11-10-label.md",
        "---\nservice: portl\nstart: 2026-11-10 10:00\n---\nx\n",
    );
    s.write(
        "content/status/2026-11-10-twice.md",
        "---\nservice: portal\nstart: 2026-11-10 10:00\n---\nx\n",
    );
    let r = s.build();
    let m = messages(&r).join("\n");
    let page = file(&r, "status/index.html");
    assert!(page.contains("作業の記録") && !page.contains("古い記録"));
    assert!(m.contains("content/status/2026-11-17-api.md: warning: an incident note's file name begins with its outage's start date: name it 2026-11-18-<slug>.md"), "{m}");
    assert!(!m.contains("2026-08-01-portal.md"), "{m}");
    assert!(
        m.contains("`portl` is not a service of the status page (did you mean `portal`?)"),
        "{m}"
    );
    assert!(m.contains("2026-11-10-twice.md: warning: not shown: content/status/2026-11-10-portal.md already names this outage"), "{m}");

    let off = site();
    off.edit_config(|c| format!("{c}reports:\n  status: false\n"));
    let r = off.build();
    assert!(!has_file(&r, "status/index.html") && !has_file(&r, "status.json"));
    assert!(messages(&r).join("\n").contains(
        "content/status/2026-11-10-portal.md: warning: not shown: there is no status page"
    ));

    let moved = site();
    moved.edit_config(|c| {
        format!("{c}reports:\n  status: {{url: /uptime/, days: 30, upcoming_days: 0}}\n")
    });
    let r = moved.build();
    let page = file(&r, "uptime/index.html");
    assert_eq!(page.matches("<li class=\"day ").count(), 60);
    // Uptimes stay those of the last 30 and 90 days whatever the history's length.
    assert_eq!(status_json(&r)["services"][0]["uptime_90d"], 99.9528);
    assert!(page.contains("今後 0 日間に予定されたメンテナンスはありません。"));
    assert_eq!(
        status_json(&r)["services"][0]["days"]
            .as_array()
            .unwrap()
            .len(),
        30
    );

    let bad = site();
    bad.edit_config(|c| format!("{c}reports:\n  status: {{days: 0}}\n"));
    let o = bad.run(&["build"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "site.yaml:17:3: error: reports.status.days: 0 days of history; write 1 to 366"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_customer_edition_shows_only_its_services() {
    let site = TestSite::fixture("editions-site");
    let o = site.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |p: &str| std::fs::read_to_string(site.root().join(p)).unwrap();
    let internal = read("output/status.json");
    assert!(internal.contains("\"vpn\"") && internal.contains("\"portal\""));
    let hokuto = read("editions/hokuto/status.json");
    assert!(hokuto.contains("\"portal\""));
    assert!(!hokuto.contains("vpn"), "{hokuto}");
    let page = read("editions/hokuto/status/index.html");
    assert!(!page.contains("vpn") && !read("editions/hokuto/status/atom.xml").contains("vpn"));
    assert!(read("editions/nankai/status.json").contains("\"vpn\""));
}

#[test]
fn a_bilingual_site_has_the_page_in_each_language() {
    let r = TestSite::fixture("bilingual-site").build();
    let ja = file(&r, "status/index.html");
    let en = file(&r, "en/status/index.html");
    assert!(ja.contains("稼働状況") && ja.contains("<html lang=\"ja\""));
    assert!(
        en.contains("System status") && en.contains("Uptime over the last 30 days"),
        "{en}"
    );
    assert!(!en.contains("稼働率"));
    // Each is the other's translation.
    assert!(
        ja.contains("hreflang=\"en\" href=\"https://ops.example.jp/en/status/\""),
        "{ja}"
    );
    assert!(en.contains("hreflang=\"ja\" href=\"https://ops.example.jp/status/\""));
    assert!(has_file(&r, "en/status/atom.xml"));
}

#[test]
fn an_edition_that_sees_no_service_does_not_say_all_is_running() {
    let site = TestSite::fixture("editions-site");
    site.edit_config(|c| c.replace("services: [portal]}", "services: []}"));
    let o = site.run(&["build", "--as-of", "2026-11-22T09:00"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page =
        std::fs::read_to_string(site.root().join("editions/hokuto/status/index.html")).unwrap();
    assert!(
        page.contains("このページに表示するサービスはありません"),
        "{page}"
    );
    assert!(!page.contains("正常に稼働しています"));
}
