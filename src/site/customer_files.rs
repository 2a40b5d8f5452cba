//! Customers' own files checked before any edition is built: a home or commentary that could
//! carry one customer's words to another is refused here, for the internal site and every
//! edition alike.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::customers::CustomerConfig;
use crate::config::SiteConfig;
use crate::content::page::RawPage;
use crate::error::{Code, Diagnostic, Location};

/// Customers' own files that could carry one customer's words to another: a home that is
/// another customer's home, a period's commentary or marked for other customers, and a home or
/// commentary file reached through a symbolic link (which may lead to another customer's file).
/// A file a commentary shows that is a symbolic link is refused too. `raw`: the parsed content
/// (homes among it); `folder`: the content folder on disk, when it is one; `assets`: its files
/// that are not pages.
pub(super) fn home_problems(
    raw: &[RawPage],
    commentary: &[RawPage],
    customers: &[CustomerConfig],
    config: &crate::config::SiteConfig,
    (folder, assets): (Option<&std::path::Path>, &[PathBuf]),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let linked = |rel: &std::path::Path| -> bool {
        let Some(folder) = folder else { return false };
        let mut path = folder.to_path_buf();
        rel.iter().any(|part| {
            path.push(part);
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
        })
    };
    let at = |r: &RawPage| Location::file(std::path::Path::new("content").join(&r.rel_path));
    for r in commentary.iter().filter(|r| linked(&r.rel_path)) {
        out.push(Diagnostic::error(
            Code::Content,
            at(r),
            "commentary may not be a symbolic link (it could lead to another customer's words); copy the file".to_string(),
        ));
    }
    // The files a commentary shows go with it into editions and PDFs: a link among them could
    // be another customer's picture or an internal file under the customer's name.
    for r in commentary {
        for shown in commentary_files(r, assets).iter().filter(|f| linked(f)) {
            out.push(Diagnostic::error(
                Code::Content,
                at(r),
                format!(
                    "shows {}, a symbolic link (it could lead to another customer's or an internal file); copy the file",
                    shown.display()
                ),
            ));
        }
    }
    let home_of = |c: &CustomerConfig| c.home.as_deref().map(|h| home_in_content(config, h));
    for c in customers {
        let Some(rel) = home_of(c) else { continue };
        let refused = |why: String| {
            Diagnostic::error(
                Code::Config,
                Location::file(crate::config::CONFIG_FILE),
                format!(
                    "customers: {}'s home `{}` {why}; a home text is one customer's own",
                    c.name,
                    rel.display()
                ),
            )
        };
        if let Some(other) =
            (customers.iter()).find(|o| o.slug != c.slug && home_of(o) == Some(rel.clone()))
        {
            out.push(refused(format!("is also {}'s home", other.name)));
        } else if crate::reports::commentary::place_of(&rel).is_some() {
            out.push(refused("is a period's commentary".into()));
        } else if linked(&rel) {
            out.push(refused(
                "is a symbolic link (it could lead to another customer's text); copy the file"
                    .into(),
            ));
        } else if let Some(r) = raw.iter().find(|r| r.rel_path == rel) {
            let audience = raw_audience(r);
            if r.front.fields.contains_key("audience") && !marked_for(&audience, &c.slug) {
                out.push(refused(format!(
                    "is marked `audience: [{}]`",
                    audience.join(", ")
                )));
            }
        }
    }
    out
}

/// Whether a page's `audience` publishes it in the edition `slug`.
pub(super) fn marked_for(audience: &[String], slug: &str) -> bool {
    audience.iter().any(|a| a == ALL_CUSTOMERS || a == slug)
}

/// The `audience` a commentary file gives itself (commentary takes no cascade).
pub(super) fn raw_audience(raw: &RawPage) -> Vec<String> {
    match raw.front.fields.get("audience") {
        Some(serde_json::Value::String(s)) => vec![s.trim().to_string()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The `audience` word that publishes a page in every edition.
pub const ALL_CUSTOMERS: &str = "customers";

/// A customer's `home` file relative to the content folder (it is written relative to the
/// site, `content/homes/acme.md`).
pub fn home_in_content(config: &SiteConfig, home: &std::path::Path) -> PathBuf {
    config.home_in_content(home)
}

/// The files beside a commentary that its Markdown shows or links to by a relative address
/// (`![傾向](graph.png)` beside `reports/monthly/2026-10/acme.md`): an edition that gets the
/// commentary gets them too, and no other does. Only files in the commentary's own folder
/// count: a commentary cannot carry a page's picture, or an internal file, into an edition.
pub fn commentary_files(commentary: &RawPage, assets: &[PathBuf]) -> Vec<PathBuf> {
    use pulldown_cmark::{Event, Parser, Tag};
    let folder = commentary
        .rel_path
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let named = Parser::new(&commentary.body).filter_map(|event| match event {
        Event::Start(Tag::Image { dest_url, .. } | Tag::Link { dest_url, .. }) => {
            Some(dest_url.to_string())
        }
        _ => None,
    });
    let mut out: Vec<PathBuf> = named
        .filter_map(|url| {
            let name = url.split(['#', '?']).next().unwrap_or("");
            // Read as the site reads a link (`%E5%9B%B3.png` is `図.png`), then checked.
            let name = crate::markdown::links::percent_decode(name);
            let name = name.strip_prefix("./").unwrap_or(&name);
            // A file of the folder itself: no scheme, no folder, no way up or out.
            let plain = !name.is_empty() && !name.contains(['/', '\\', ':']) && name != "..";
            plain.then(|| folder.join(name))
        })
        .filter(|path| assets.contains(path))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A file beside customers' commentary that two customers' commentary show: whichever
/// customer's picture it is, it would be published in the other's edition and printed in its
/// PDF. An error at each commentary showing it.
pub fn shown_by_two_customers(
    commentary: &[RawPage],
    shown: &BTreeMap<&std::path::Path, Vec<PathBuf>>,
    source_dir: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut shown_by: BTreeMap<&PathBuf, BTreeMap<&str, &std::path::Path>> = BTreeMap::new();
    for r in commentary {
        if let Some((_, Some(slug))) = crate::reports::commentary::place_of(&r.rel_path) {
            for file in &shown[r.rel_path.as_path()] {
                shown_by.entry(file).or_default().insert(slug, &r.rel_path);
            }
        }
    }
    let mut out = Vec::new();
    for (file, by) in shown_by.iter().filter(|(_, by)| by.len() > 1) {
        for (slug, rel) in by {
            let others: Vec<&str> = by.keys().copied().filter(|s| s != slug).collect();
            out.push(Diagnostic::error(
                Code::Content,
                Location::file(source_dir.join(rel)),
                format!(
                    "shows {}, which the commentary of {} shows too: one customer's picture would be published in another's edition and PDF; give each customer a file of its own",
                    file.display(),
                    others.join(", ")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commentary_carries_the_files_of_its_own_folder_it_names_and_no_others() {
        let raw = RawPage::parse(
            "---\ntitle: 所見\n---\n![a](%E5%9B%B3.png) ![b](./graph.svg#x) [c](notes.pdf)\n\
             ![d](../up.png) ![e](sub/deep.png) ![f](/abs.png) ![g](https://x.example/h.png)\n\
             ![h](%2E%2E%2Fup.png) ![i](missing.png)\n",
            std::path::Path::new("reports/monthly/2026-10/acme.md"),
        )
        .unwrap();
        let folder = PathBuf::from("reports/monthly/2026-10");
        let assets: Vec<PathBuf> = [
            "図.png",
            "graph.svg",
            "notes.pdf",
            "sub/deep.png",
            "abs.png",
        ]
        .iter()
        .map(|n| folder.join(n))
        .chain([PathBuf::from("reports/monthly/up.png")])
        .collect();
        let want: Vec<PathBuf> = ["graph.svg", "notes.pdf", "図.png"]
            .iter()
            .map(|n| folder.join(n))
            .collect();
        assert_eq!(commentary_files(&raw, &assets), want);
    }
}
