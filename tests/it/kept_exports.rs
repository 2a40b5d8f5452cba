//! The exports as last loaded, kept in `.opsite/cache/exports.msgpack` for the next run: a run
//! that reads the kept file must say what a run reading the exports says, and any change to
//! what loading reads (an export's bytes even with its length and time kept, a holiday file,
//! site.yaml) must be read from the files again. A damaged or planted kept file costs time only.

use std::path::Path;

use crate::kpi::{CONFIG, DOWNTIME, EVENTS, HEADER, SURVEYS};
use crate::support::{stderr, TestSite};

const KEPT: &str = ".opsite/cache/exports.msgpack";

fn site(config: &str, tickets: &str) -> TestSite {
    TestSite::new(&[
        ("site.yaml", config),
        ("data/tickets.csv", tickets),
        ("data/events.csv", EVENTS),
        ("data/downtime.csv", DOWNTIME),
        ("data/surveys.csv", SURVEYS),
    ])
}

/// `opsite kpi` for November as JSON, and what it printed on stderr.
fn kpi(site: &TestSite) -> (serde_json::Value, String) {
    let out = site.run(&[
        "kpi",
        "--period",
        "2026-11",
        "--as-of",
        "2026-11-30T00:00",
        "--format",
        "json",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    (serde_json::from_slice(&out.stdout).expect("JSON"), err)
}

fn opened(v: &serde_json::Value, kpi: &str) -> u64 {
    v["kpis"][kpi]["value"]
        .as_u64()
        .unwrap_or_else(|| panic!("{kpi}: {v}"))
}

/// Replace a file's bytes, keeping its length and modification time.
fn rewrite_keeping_time(path: &Path, text: &str) {
    let before = std::fs::metadata(path).unwrap();
    assert_eq!(before.len(), text.len() as u64, "same length");
    std::fs::write(path, text).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(before.modified().unwrap()).unwrap();
}

#[test]
fn a_second_run_says_what_the_first_said_and_an_export_edited_in_place_is_read_again() {
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,,\nB,low,2026-11-03 10:00,,,,\n");
    let s = site(CONFIG, &tickets);
    let (first, first_err) = kpi(&s);
    assert!(s.root().join(KEPT).is_file(), "the load is kept");
    let (second, second_err) = kpi(&s);
    assert_eq!(first, second);
    assert_eq!(first_err, second_err);
    assert_eq!(opened(&second, "tickets.opened.high"), 1);
    // Same length, same time, another priority: a key of times and sizes would miss it.
    let edited = tickets.replace("A,high", "A,low ");
    rewrite_keeping_time(&s.root().join("data/tickets.csv"), &edited);
    let (third, _) = kpi(&s);
    assert_eq!(opened(&third, "tickets.opened.high"), 0, "{third}");
    assert_eq!(opened(&third, "tickets.opened.low"), 2);
}

#[test]
fn a_kept_file_a_killed_run_left_half_written_is_removed() {
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,,\n");
    let s = site(CONFIG, &tickets);
    let cache = s.root().join(".opsite/cache");
    std::fs::create_dir_all(&cache).unwrap();
    // No process has the largest id a pid may take: that run is over.
    let unfinished = cache.join(".exports.msgpack.opsite-new-4194304");
    let other = cache.join(".highlight.bin.opsite-new-4194304");
    for file in [&unfinished, &other] {
        std::fs::write(file, "half").unwrap();
    }
    kpi(&s);
    assert!(!unfinished.exists(), "removed when the next load is kept");
    assert!(other.exists(), "not this module's file");
    assert!(cache.join("exports.msgpack").is_file());
}

#[test]
fn a_damaged_kept_file_is_read_from_the_exports_again_without_a_word() {
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,,\nB,low,2026-11-03 10:00,,,,\n");
    let s = site(CONFIG, &tickets);
    let (first, first_err) = kpi(&s);
    let kept = s.root().join(KEPT);
    let bytes = std::fs::read(&kept).unwrap();
    // One bit of a time in the tables: read as it is, a ticket would be resolved before it
    // was opened.
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    for damaged in [
        flipped,
        bytes[..bytes.len() / 2].to_vec(),
        Vec::new(),
        b"opsite exports 1\n".to_vec(),
        bytes.iter().map(|b| b ^ 0x55).collect(),
    ] {
        std::fs::write(&kept, &damaged).unwrap();
        let (again, err) = kpi(&s);
        assert_eq!(again, first);
        assert_eq!(err, first_err, "no message about the kept file");
    }
}

#[test]
fn a_kept_file_or_folder_that_is_a_link_is_neither_followed_nor_written_through() {
    let tickets = format!("{HEADER}A,high,2026-11-02 10:00,,,,\n");
    let s = site(CONFIG, &tickets);
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join("precious.bin");
    std::fs::write(&elsewhere, "not opsite's").unwrap();
    std::fs::create_dir_all(s.root().join(".opsite/cache")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, s.root().join(KEPT)).unwrap();
    let (first, _) = kpi(&s);
    assert_eq!(opened(&first, "tickets.opened.high"), 1);
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not opsite's");
    // `.opsite/cache` itself a link to a folder elsewhere: nothing is written there.
    std::fs::remove_dir_all(s.root().join(".opsite")).unwrap();
    std::fs::create_dir(s.root().join(".opsite")).unwrap();
    std::os::unix::fs::symlink(outside.path(), s.root().join(".opsite/cache")).unwrap();
    let planted = outside.path().join("exports.msgpack");
    std::fs::write(&planted, "not opsite's either").unwrap();
    let (second, _) = kpi(&s);
    assert_eq!(second, first);
    let names: Vec<_> = std::fs::read_dir(outside.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "only the files that were there: {names:?}");
    assert_eq!(
        std::fs::read_to_string(&planted).unwrap(),
        "not opsite's either",
        "neither removed nor replaced through the link"
    );
}

#[test]
fn a_quarantine_file_removed_by_hand_is_written_again() {
    let config = CONFIG.replace(
        "    columns: {id: id, priority: priority,",
        "    on_error: quarantine\n    max_quarantined: 100%\n    columns: {id: id, priority: priority,",
    );
    let tickets = format!("{HEADER}A,high,2026-11-01 10:00,,,,\nB,urgent,2026-11-01 11:00,,,,\n");
    let s = site(&config, &tickets);
    let rejects = s.root().join(".opsite/rejects/tickets.csv");
    let (first, first_err) = kpi(&s);
    let written = std::fs::read_to_string(&rejects).unwrap();
    std::fs::remove_file(&rejects).unwrap();
    let (second, second_err) = kpi(&s);
    assert_eq!((&first, first_err.as_str()), (&second, second_err.as_str()));
    assert!(
        second_err.contains("quarantined 1 row(s) of tickets"),
        "{second_err}"
    );
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), written);
    // Cut short by hand, it is written whole again.
    std::fs::write(&rejects, "file,line,reason,record\n").unwrap();
    assert_eq!(kpi(&s).0, first);
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), written);
}

#[test]
fn quarantined_rows_are_never_written_through_a_link() {
    let config = CONFIG.replace(
        "    columns: {id: id, priority: priority,",
        "    on_error: quarantine\n    max_quarantined: 100%\n    columns: {id: id, priority: priority,",
    );
    let tickets = format!("{HEADER}A,high,2026-11-01 10:00,,,,\nB,urgent,2026-11-01 11:00,,,,\n");
    let s = site(&config, &tickets);
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join("tickets.csv");
    std::fs::write(&elsewhere, "not opsite's").unwrap();
    // The file a link: replaced by the rows, the file it led to untouched.
    std::fs::create_dir_all(s.root().join(".opsite/rejects")).unwrap();
    let rejects = s.root().join(".opsite/rejects/tickets.csv");
    std::os::unix::fs::symlink(&elsewhere, &rejects).unwrap();
    kpi(&s);
    assert!(!std::fs::symlink_metadata(&rejects).unwrap().is_symlink());
    assert!(std::fs::read_to_string(&rejects)
        .unwrap()
        .contains("B,urgent"));
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not opsite's");
    // The folder a link: an error naming it, nothing written there.
    std::fs::remove_dir_all(s.root().join(".opsite")).unwrap();
    std::fs::create_dir(s.root().join(".opsite")).unwrap();
    std::os::unix::fs::symlink(outside.path(), s.root().join(".opsite/rejects")).unwrap();
    let out = s.run(&["kpi", "--period", "2026-11", "--as-of", "2026-11-30T00:00"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(".opsite/rejects/tickets.csv: error: cannot write quarantined rows: .opsite/rejects is not a folder of the site's own"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not opsite's");
}

#[test]
fn a_holiday_file_or_a_setting_changed_is_read_again() {
    // Wed 2026-11-04 09:00 → 11:00 allowed (2 business hours); resolved Thu 10:00: breached on
    // an ordinary Wednesday, met when the company takes the Wednesday off.
    let config = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
calendars:
  business:
    hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: data/holidays.csv
sla:
  resolution:
    critical: {within: 2h, calendar: business}
"#;
    let s = TestSite::new(&[
        ("site.yaml", config),
        (
            "data/tickets.csv",
            "id,priority,opened_at,resolved_at\nINC1,critical,2026-11-04 09:00,2026-11-05 10:00\n",
        ),
        ("data/holidays.csv", "date,name\n2026-11-03,Company day\n"),
    ]);
    let met = |v: &serde_json::Value| v["kpis"]["sla.resolution.critical"]["met"].as_u64();
    assert_eq!(met(&kpi(&s).0), Some(0));
    rewrite_keeping_time(
        &s.root().join("data/holidays.csv"),
        "date,name\n2026-11-04,Company day\n",
    );
    assert_eq!(met(&kpi(&s).0), Some(1), "the holiday file's new day");
    // Priorities are read as their place in `priority_levels`: the ticket's place changes.
    s.write(
        "site.yaml",
        &format!("priority_levels: [low, medium, high, critical]\n{config}"),
    );
    let (v, _) = kpi(&s);
    assert_eq!(met(&v), Some(1), "{v}");
    assert_eq!(
        v["kpis"]["tickets.opened.critical"]["value"].as_u64(),
        Some(1)
    );
}
