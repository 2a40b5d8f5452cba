//! The walk and the reads by the site's rules, on real folders with links.

use super::*;
use std::os::unix::fs::symlink;

#[test]
fn links_inside_are_followed_and_links_out_are_errors() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "secret").unwrap();
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(content.join("real")).unwrap();
    std::fs::write(content.join("real/a.md"), "# A").unwrap();
    symlink(content.join("real"), content.join("alias")).unwrap();
    symlink(outside.path().join("id_rsa"), content.join("key.txt")).unwrap();
    symlink(outside.path(), content.join("outdir")).unwrap();
    let (found, diags) = walk(
        &content,
        &SiteReader::new(site.path(), 1),
        |_| false,
        Code::Content,
    );
    let rels: Vec<String> = found.iter().map(|w| w.rel.display().to_string()).collect();
    assert_eq!(rels, vec!["alias", "alias/a.md", "real", "real/a.md"]);
    let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].starts_with("content/key.txt: error: symbolic link leads outside"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with("content/outdir: error: symbolic link leads outside"),
        "{msgs:?}"
    );
}

#[test]
fn links_into_private_places_of_the_site_are_errors() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    for dir in [
        ".git",
        "data",
        "output",
        "static",
        "docs",
        "mine",
        "editions/acme",
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(root.join(".git/config"), "token").unwrap();
    std::fs::write(root.join("data/tickets.csv"), "id").unwrap();
    std::fs::write(root.join("site.yaml"), "").unwrap();
    std::fs::write(root.join("docs/a.md"), "# A").unwrap();
    std::fs::write(root.join("mine").join(crate::layout::MARK_FILE), "").unwrap();
    let st = root.join("static");
    symlink("../.git/config", st.join("gitconfig.txt")).unwrap();
    symlink("../data/tickets.csv", st.join("tickets.csv")).unwrap();
    symlink("../site.yaml", st.join("site.yaml")).unwrap();
    symlink("../output", st.join("out")).unwrap();
    symlink("../mine", st.join("mine")).unwrap();
    symlink("../docs", st.join("docs")).unwrap();
    // Another customer's edition is never published through a link from this one.
    symlink("../editions/acme", st.join("acme")).unwrap();
    let (found, diags) = walk(&st, &SiteReader::new(root, 1), |_| false, Code::Content);
    let rels: Vec<String> = found.iter().map(|w| w.rel.display().to_string()).collect();
    assert_eq!(
        rels,
        vec!["docs", "docs/a.md"],
        "a link to an ordinary folder is followed"
    );
    let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(msgs.len(), 6, "{msgs:?}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("static/acme: error: symbolic link leads to editions/acme")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.starts_with("static/gitconfig.txt: error: symbolic link leads to .git/config, which is never published")), "{msgs:?}");
    assert!(
        msgs.iter().any(|m| m.starts_with(
            "static/mine: error: symbolic link leads to mine (an opsite output folder)"
        )),
        "{msgs:?}"
    );
}

#[test]
fn an_own_file_over_its_cap_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bodies.bin");
    // Sparse: a damaged cache the size of a disk costs no memory to refuse.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    assert_eq!(read_own_file_within(&path, 1 << 20), None);
    std::fs::write(&path, b"kept").unwrap();
    assert_eq!(
        read_own_file_within(&path, 4).as_deref(),
        Some(&b"kept"[..])
    );
    assert_eq!(read_own_file_within(&path, 3), None);
}
