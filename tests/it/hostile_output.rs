//! Hostile input against what opsite writes (issue 24): customers whose mail folders collide,
//! feeds and sitemaps read by a strict XML parser and a feed reader, control characters in
//! pages, builds killed or run twice at once, errors that must name their place, versions whose
//! names or folders cannot work, links inside a `git:` version, and a warning repeated 100,000
//! times.

use std::path::Path;
use std::process::Command;

use crate::support::{file, messages, stderr, TestSite};

// ---------------------------------------------------------------- customer mail folders

#[test]
fn two_customers_with_one_mail_folder_is_an_error_and_nothing_is_written() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\ndata:\n  tickets:\n    files: data/tickets.csv\nsla:\n  response:\n    high: {within: 1h}\ncontracts:\n  - {name: standard, customers: \"*\"}\nemail:\n  from: ops@example.jp\n  to: [all@example.jp]\n  subject: \"{{ period }}\"\n  customers:\n    ACME/Tokyo: {to: [tokyo@acme.example]}\n    ACME-Tokyo: {to: [other@acme.example]}\n    南海商事: {to: [ops@nankai.example]}\n",
        ),
        ("content/_index.md", "---\ntitle: t\n---\n"),
        (
            "data/tickets.csv",
            "id,title,priority,opened_at,responded_at,resolved_at,customer\nA-1,a,high,2026-11-16T10:00:00+09:00,2026-11-16T10:10:00+09:00,,ACME/Tokyo\nB-1,b,high,2026-11-17T10:00:00+09:00,2026-11-17T10:10:00+09:00,,ACME-Tokyo\n",
        ),
    ]);
    let o = site.weekly_mail(&["--all-customers"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    for named in ["ACME/Tokyo", "ACME-Tokyo", "mail/acme-tokyo/"] {
        assert!(err.contains(named), "names {named}: {err}");
    }
    assert!(
        !site.root().join("mail").exists(),
        "no customer's mail written, not even 南海商事's"
    );
}

// ---------------------------------------------------------------- feeds and sitemap

const HOSTILE: &str = "<script>alert(1)</script> & ]]> \u{1}\u{b}\u{fffe}";

/// `s` inside a YAML double-quoted string: control characters as `\xNN` escapes, which YAML
/// turns back into the characters themselves.
fn yaml_quoted(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' | '\\' => format!("\\{c}"),
            c if c < ' ' => format!("\\x{:02x}", c as u32),
            '\u{fffe}' => "\\ufffe".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn hostile_site() -> TestSite {
    let yaml = "title: \"Ops & <b>Co</b> ]]> \\x01\"\nbase_url: https://ops.example.jp/\ntaxonomies: {tag: tags}\n";
    let page = |desc: bool| {
        format!(
            "---\ntitle: \"{t}\"\n{d}date: 2026-11-01\ntags: [\"{t}\", \"a&b\"]\n---\n\nBody & ]]> text.\n",
            t = yaml_quoted(HOSTILE),
            d = if desc {
                format!(
                    "description: \"<img src=x onerror=alert(1)> {}\"\n",
                    yaml_quoted(HOSTILE)
                )
            } else {
                String::new()
            }
        )
    };
    TestSite::new(&[
        ("site.yaml", yaml),
        ("content/_index.md", "---\ntitle: home\n---\n"),
        (
            "content/news/_index.md",
            &format!(
                "---\ntitle: \"{}\"\nfeed: true\n---\n",
                yaml_quoted(HOSTILE)
            ),
        ),
        ("content/news/described.md", &page(true)),
        ("content/news/plain.md", &page(false)),
    ])
}

fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Parse `xml` as a strict reader does (quick-xml for the structure, XML 1.0's characters checked
/// here, as quick-xml does not); returns the text of every `type="html"` element, unescaped.
fn strict_xml(name: &str, xml: &str) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    if let Some(c) = xml.chars().find(|&c| !xml_allowed(c)) {
        return Err(format!("{name}: character {c:?} is not allowed in XML 1.0"));
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut html_parts = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Err(e) => return Err(format!("{name}: {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(s)) => {
                for a in s.attributes() {
                    let a = a.map_err(|e| format!("{name}: {e}"))?;
                    let v = a.unescape_value().map_err(|e| format!("{name}: {e}"))?;
                    if let Some(c) = v.chars().find(|&c| !xml_allowed(c)) {
                        return Err(format!("{name}: attribute holds {c:?}"));
                    }
                    if a.key.as_ref() == b"type" && v == "html" {
                        current = Some(String::new());
                    }
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(cur) = &mut current {
                    cur.push_str(&t.decode().map_err(|e| format!("{name}: {e}"))?);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                let c = match r.resolve_char_ref().map_err(|e| format!("{name}: {e}"))? {
                    Some(c) => c,
                    None => match &*r.decode().map_err(|e| format!("{name}: {e}"))? {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("{name}: unknown entity &{other};")),
                    },
                };
                if !xml_allowed(c) {
                    return Err(format!("{name}: character reference to {c:?}"));
                }
                if let Some(cur) = &mut current {
                    cur.push(c);
                }
            }
            Ok(Event::End(_)) => {
                if let Some(done) = current.take() {
                    html_parts.push(done);
                }
            }
            Ok(_) => {}
        }
    }
    Ok(html_parts)
}

#[test]
fn the_strict_check_refuses_what_a_feed_reader_refuses() {
    assert!(strict_xml("t", "<a><b></a>").is_err(), "mismatched tags");
    assert!(
        strict_xml("t", "<a>\u{1}</a>").is_err(),
        "a control character"
    );
    assert!(
        strict_xml("t", "<a>&#1;</a>").is_err(),
        "a reference to one"
    );
    assert!(strict_xml("t", "<a>&nbsp;</a>").is_err(), "an HTML entity");
    let parts = strict_xml("t", "<s type=\"html\">&lt;b&gt;x&amp;amp;</s>").unwrap();
    assert_eq!(parts, ["<b>x&amp;"]);
}

#[test]
fn feeds_and_the_sitemap_are_strict_xml_and_carry_no_markup_from_pages() {
    let site = hostile_site();
    let r = site.build();
    let xml: Vec<&str> = r
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".xml"))
        .collect();
    assert!(xml.contains(&"news/atom.xml"), "{xml:?}");
    assert!(xml.contains(&"sitemap.xml"), "{xml:?}");
    for name in xml {
        let text = file(&r, name);
        let html_parts = strict_xml(name, text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        for part in html_parts {
            for markup in ["<script", "<img"] {
                assert!(!part.contains(markup), "{name}: a reader would run {part}");
            }
        }
    }
    let feed = file(&r, "news/atom.xml");
    // The description is shown as the text it is.
    assert!(
        feed.contains("<summary type=\"text\">&lt;img src=x"),
        "{feed}"
    );
}

// ---------------------------------------------------------------- control characters in pages

#[test]
fn nul_and_other_control_characters_never_reach_the_html() {
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: home\n---\n"),
        (
            "content/a.md",
            "---\ntitle: \"A\\x01title\\x9b31m\"\ndescription: \"d\\x0bdesc\\x7f\"\ntags: [\"t\\x02ag\"]\n---\n\nNUL\0here \u{1}\u{8} and\u{c}feed\ttab\n\nDEL\u{7f} CSI\u{9b}31m DCS\u{90}\n",
        ),
    ]);
    let r = site.build();
    assert!(
        !messages(&r).iter().any(|m| m.contains("error")),
        "{:?}",
        messages(&r)
    );
    let page = file(&r, "a/index.html");
    // A form feed is a line end (as U+2028 and NEL are); the others become U+FFFD.
    assert!(
        page.contains("NUL\u{fffd}here \u{fffd}\u{fffd} and\nfeed"),
        "{page}"
    );
    // DEL and C1 (U+009B is the 8-bit CSI of terminals) as well.
    assert!(
        page.contains("DEL\u{fffd} CSI\u{fffd}31m DCS\u{fffd}"),
        "{page}"
    );
    for f in r.files.iter().filter(|f| f.path.ends_with(".html")) {
        let text = file(&r, &f.path);
        let bad = text
            .chars()
            .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        assert_eq!(bad, None, "{} holds a control character", f.path);
    }
}

/// A bidirectional override in a title or a body turns what follows it around (`U+202E gpj.exe`
/// reads `exe.jpg`) in every list, feed and edition that shows it: U+FFFD, as in data cells. A
/// zero-width joiner (emoji) and a soft hyphen an author writes stay.
#[test]
fn text_reversing_characters_in_pages_become_replacement_characters() {
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: home\n---\n"),
        (
            "content/a.md",
            "---\ntitle: \"請求書\\u202Egpj.exe\"\n---\n\n本文 \u{2067}逆\u{2069} 👩\u{200d}💻 ソフト\u{ad}ハイフン\n",
        ),
        // Titles taken from a file's or a folder's name.
        ("content/請求\u{202e}gpj.md", "本文\n"),
        ("content/資料\u{202e}fdp/x.md", "本文\n"),
    ]);
    let r = site.build();
    let page = file(&r, "a/index.html");
    assert!(page.contains("請求書\u{fffd}gpj.exe"), "{page}");
    assert!(page.contains("本文 \u{fffd}逆\u{fffd}"), "{page}");
    assert!(page.contains("👩\u{200d}💻 ソフト\u{ad}ハイフン"), "{page}");
    for f in r
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html") || f.path.ends_with(".xml"))
    {
        let text = file(&r, &f.path);
        let turned = text
            .chars()
            .find(|&c| ('\u{202a}'..='\u{202e}').contains(&c));
        assert_eq!(turned, None, "{} holds a bidirectional override", f.path);
    }
}

// ---------------------------------------------------------------- staging folders and the lock

/// Take an OS lock on `path` (as a running build would) for as long as the file lives.
fn hold(path: &Path) -> std::fs::File {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(path).unwrap();
    // SAFETY: flock on a descriptor `f` owns.
    assert_eq!(
        unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    f
}

fn marked(dir: &Path) {
    std::fs::create_dir_all(dir.join("sop")).unwrap();
    std::fs::write(
        dir.join(".opsite-output"),
        "This folder is written by `opsite build`\n",
    )
    .unwrap();
    std::fs::write(dir.join("sop/index.html"), "old").unwrap();
}

#[test]
fn later_builds_remove_killed_builds_staging_and_nothing_else() {
    let site = TestSite::new(&[("content/_index.md", "---\ntitle: home\n---\n")]);
    let root = site.root();
    // Killed builds: a dead pid, and pid 1 (alive: the pid now belongs to another process).
    for name in [".output.old-4294967", ".output.old-1", ".output.new-1"] {
        marked(&root.join(name));
    }
    // Not a killed build's: no mark, or a running build's (it holds its folder).
    std::fs::create_dir_all(root.join(".output.old-4294968")).unwrap();
    std::fs::write(root.join(".output.old-4294968/notes.txt"), "mine").unwrap();
    let running = root.join(".output.new-4294969");
    marked(&running);
    let held = hold(&running);
    let o = site.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for gone in [".output.old-4294967", ".output.old-1", ".output.new-1"] {
        assert!(!root.join(gone).exists(), "{gone} removed");
    }
    assert!(
        root.join(".output.old-4294968/notes.txt").is_file(),
        "unmarked kept"
    );
    assert!(
        running.join("sop/index.html").is_file(),
        "a running build's kept"
    );
    drop(held);
}

#[test]
fn a_second_build_of_a_site_stops_at_once_naming_the_first() {
    let site = TestSite::new(&[("content/_index.md", "---\ntitle: home\n---\n")]);
    site.write(".opsite/build.lock", "4242\n");
    let held = hold(&site.root().join(".opsite/build.lock"));
    let o = site.run(&["build"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "another opsite build is running in this site (pid 4242); wait for it or stop it"
        ),
        "{}",
        stderr(&o)
    );
    assert!(!site.root().join("output").exists(), "nothing written");
    drop(held);
    let o = site.run(&["build"]);
    assert!(
        o.status.success(),
        "free once the first ends: {}",
        stderr(&o)
    );
}

// ---------------------------------------------------------------- errors with their place

#[test]
fn a_file_name_too_long_for_the_disk_names_its_source() {
    let long = "a".repeat(300);
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: home\n---\n"),
        (
            "content/long.md",
            &format!("---\ntitle: x\nslug: {long}\n---\n"),
        ),
    ]);
    let o = site.run(&["build"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("content/long.md: error:"), "{err}");
    assert!(err.contains("300 bytes"), "{err}");
    assert!(err.contains("build failed: 1 error(s)"), "{err}");
}

#[test]
fn a_page_whose_folder_is_another_pages_file_is_an_error_naming_it() {
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: home\n---\n"),
        ("content/index.html.md", "---\ntitle: clash\n---\n"),
    ]);
    let o = site.run(&["build"]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("content/index.html.md: error: output file index.html/index.html needs a folder index.html/, but content/_index.md writes a file there"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn output_paths_into_git_or_the_output_mark_are_refused_in_any_case() {
    for url in ["/.GIT/hooks/", "/docs/.Git/", "/.Opsite-Output/"] {
        let site = TestSite::new(&[
            ("content/_index.md", "---\ntitle: home\n---\n"),
            (
                "content/p.md",
                &format!("---\ntitle: p\nurl: \"{url}\"\n---\n"),
            ),
        ]);
        let o = site.run(&["build"]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{url}: {err}");
        assert!(err.contains("content/p.md"), "{url}: {err}");
        assert!(
            !site.root().join("output").join(&url[1..]).exists(),
            "{url}"
        );
    }
}

#[test]
fn site_yaml_that_is_not_utf8_is_an_error_at_its_line() {
    let site = TestSite::new(&[("content/_index.md", "---\ntitle: home\n---\n")]);
    std::fs::write(
        site.root().join("site.yaml"),
        b"title: ok\nlanguage: ja\x82\xa0\n",
    )
    .unwrap();
    let o = site.run(&["build"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("site.yaml:2:13: error: not valid UTF-8"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn versions_that_cannot_be_addresses_or_folders_are_located_errors() {
    for (entry, says) in [
        ("{name: v1, path: \".\"}", "the site's own folder"),
        ("{name: v1, path: \"./\"}", "the site's own folder"),
        (
            "{name: \"v 1\", path: versions/v1}",
            "cannot be part of an address",
        ),
    ] {
        let site = TestSite::new(&[
            (
                "site.yaml",
                &format!("title: t\nversions:\n  - {{name: v2}}\n  - {entry}\n"),
            ),
            ("content/_index.md", "---\ntitle: home\n---\n"),
            ("versions/v1/_index.md", "---\ntitle: old\n---\n"),
        ]);
        let o = site.run(&["build"]);
        assert!(!o.status.success(), "{entry}");
        assert!(
            stderr(&o).contains("site.yaml:4:3: error: versions:") && stderr(&o).contains(says),
            "{entry}: {}",
            stderr(&o)
        );
    }
}

// ---------------------------------------------------------------- git versions

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.jp"])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn a_link_in_a_git_version_is_a_warning_naming_it() {
    let site = TestSite::new(&[
        (
            "site.yaml",
            "title: t\nversions:\n  - {name: v2}\n  - {name: v1, git: v1.0}\n",
        ),
        ("content/_index.md", "---\ntitle: home\n---\n"),
        ("content/real.md", "---\ntitle: real\n---\n"),
    ]);
    std::os::unix::fs::symlink("real.md", site.root().join("content/linked.md")).unwrap();
    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "site.yaml", "content"]);
    git(site.root(), &["commit", "-q", "-m", "v1"]);
    git(site.root(), &["tag", "v1.0"]);
    let r = site.build();
    let m = messages(&r);
    assert!(
        m.iter()
            .any(|l| l.starts_with("v1.0:content/linked.md: warning:")
                && l.contains("symbolic link")),
        "{m:?}"
    );
}

// ---------------------------------------------------------------- repeated warnings

#[test]
fn one_missing_image_written_many_times_on_a_line_says_how_many() {
    let line = "![](missing.png) ".repeat(2000);
    let site = TestSite::new(&[
        ("content/_index.md", "---\ntitle: home\n---\n"),
        ("content/a.md", &format!("---\ntitle: a\n---\n\n{line}\n")),
    ]);
    let r = site.build();
    let m: Vec<String> = messages(&r)
        .into_iter()
        .filter(|l| l.contains("missing.png"))
        .collect();
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("content/a.md:5: warning: missing image"),
        "{m:?}"
    );
    assert!(m[0].ends_with("(×2000)"), "{m:?}");
}
