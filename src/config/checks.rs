//! Checks of the values every configuration holds, whichever file they come from (`site.yaml`,
//! a Hugo or MkDocs tree's own): what goes into every link, `<html lang>` and the folder read.

use crate::layout::{Holds, SiteFolder};
use std::path::Path;

use crate::error::{Code, Diagnostic, Location};

/// A `base_url` as a site is published at, for the internal site's and each edition's: `/`
/// when none is given, and ending in `/` (links are made under it).
pub fn site_address(url: &str) -> String {
    match url {
        "" => "/".to_string(),
        u if u.ends_with('/') => u.to_string(),
        u => format!("{u}/"),
    }
}

/// `base_url` is where the site is served: `https://host/path/`, or a path from the server's
/// root (`/`, `/portal/`). Anything else would end up in every link.
pub fn check_base_url(url: &str) -> Result<(), String> {
    // It is written into every link: a quote or a bracket would end the attribute (or open
    // markup), and `&` starts a character reference (`&#47;` is a `/`, making `//host`), so
    // only what an address may hold is taken; a query or fragment would end every link.
    if let Some(c) = url.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '"' | '\'' | '<' | '>' | '`' | '\\' | '{' | '}' | '|' | '^' | '&' | '?' | '#'
            )
    }) {
        return Err(format!(
            "`{}` is not an address: it holds {c:?} (a site's address is https://host/path/, without a query, fragment or character references; %-encode anything else); write https://host/path/ or a path such as /portal/",
            crate::error::printable(url)
        ));
    }
    if url.is_empty() || url.starts_with('/') && !url.starts_with("//") {
        return Ok(());
    }
    let ok = ["https://", "http://"].iter().any(|scheme| {
        let has_scheme = url
            .get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme));
        has_scheme
            .then(|| &url[scheme.len()..])
            .is_some_and(|rest| {
                let host = rest.split('/').next().unwrap_or("");
                !host.is_empty() && !host.contains(char::is_whitespace)
            })
    });
    if ok && !url.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!(
            "`{url}` is not an address; write https://host/path/ or a path such as /portal/"
        ))
    }
}

/// A language is a language tag (`ja`, `en-US`, `zh-Hant-TW`): it goes into `<html lang>`
/// and the search index, which takes nothing else.
pub fn check_language(code: &str) -> Result<(), String> {
    if code.is_empty() {
        return Ok(());
    }
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && code.len() <= 20
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a language tag; write one such as ja, en or en-US",
            crate::error::printable(code)
        ))
    }
}

/// The content folder is a folder of the site that no build writes into and no other part of
/// the site is read from: `docs` or `src/content`, not `../shared`, `/srv/docs` or `output`.
pub fn check_content_dir(dir: &str) -> Result<(), String> {
    let path = std::path::Path::new(dir);
    let inside = path.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if !inside || dir.trim().is_empty() {
        return Err(format!(
            "`{dir}` is not a folder inside the site; write a path from the site's folder, such as content or docs"
        ));
    }
    let first = dir
        .trim_start_matches("./")
        .split(['/', '\\'])
        .next()
        .unwrap_or("");
    // Every folder of the site that holds something other than pages.
    let taken = SiteFolder::named(first).filter(|f| f.holds() != Holds::Pages);
    if first == "." || taken.is_some() {
        return Err(format!(
            "`{dir}`: {first}/ is a folder opsite reads or writes for something else; keep the pages in their own folder (content, docs)"
        ));
    }
    Ok(())
}

/// The bytes of a configuration file of the site at `root` (`site.yaml`, a Hugo or MkDocs
/// file), read as content is: a symbolic link is followed only when it stays inside the site
/// folder, and only a regular file is read, so a merge request cannot make the site publish a
/// file from elsewhere (`config/_default/params.yaml -> ~/ci/secret.yaml`) through a param.
pub fn read_config_file(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    let at = |message: String| Diagnostic::error(Code::Config, Location::file(rel), message);
    let path = root.join(rel);
    if let Some(problem) = config_link_problem(root, rel) {
        return Err(at(problem));
    }
    match std::fs::metadata(&path) {
        Ok(m) if !m.is_file() => return Err(at(
            "not a regular file (a folder, a named pipe or a device); only a regular file is read"
                .into(),
        )),
        _ => {}
    }
    std::fs::read(&path).map_err(|e| at(format!("cannot read: {e}")))
}

/// Why reading `rel` under `root` would leave the site folder through a symbolic link, if it
/// would.
pub fn config_link_problem(root: &Path, rel: &Path) -> Option<String> {
    let path = root.join(rel);
    let through_link = rel
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .any(|a| std::fs::symlink_metadata(root.join(a)).is_ok_and(|m| m.file_type().is_symlink()));
    if !through_link {
        return None;
    }
    let real_root = root.canonicalize().ok()?;
    match path.canonicalize() {
        // Inside the site, a link may still not lead into its private places (data/, .git/,
        // mail/ …), whose files the settings would publish through a param.
        Ok(target) if target.starts_with(&real_root) => {
            // Another of the site's own configuration files is fine.
            let rel = target.strip_prefix(&real_root).unwrap_or(&target);
            if crate::walk::is_configuration(rel) {
                return None;
            }
            crate::walk::private_place(&real_root, &target).map(|place| {
                format!("symbolic link leads to {place}, a private place of the site; configuration is read only from files of its own")
            })
        }
        Ok(target) => Some(format!(
            "symbolic link leads outside the site folder (to {}); configuration is read only from files inside the site",
            target.display()
        )),
        Err(_) => Some(
            "broken symbolic link: it points to a file that does not exist".to_string(),
        ),
    }
}

/// site.yaml's bytes as text, or an error at the line and column of the first byte that is not
/// UTF-8 (a file saved as Shift_JIS).
pub fn utf8_text(bytes: Vec<u8>, file: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Diagnostic::error(
            Code::Config,
            Location::at(file, line, Some(column)),
            format!(
                "not valid UTF-8 (save {} as UTF-8)",
                file.file_name()
                    .map_or(file.as_os_str(), |n| n)
                    .to_string_lossy()
            ),
        )
    })
}

/// The tokens a `permalinks` pattern may hold (Hugo's).
pub const PERMALINK_TOKENS: &[&str] = &[
    "year",
    "month",
    "monthname",
    "day",
    "weekday",
    "weekdayname",
    "yearday",
    "section",
    "sections",
    "title",
    "slug",
    "filename",
    "contentbasename",
    "slugorfilename",
    "slugorcontentbasename",
];

/// A `permalinks` pattern holds only Hugo's tokens (`:year`, `:slug` …), as Hugo requires.
pub fn check_permalink(pattern: &str) -> Result<(), String> {
    for (at, _) in pattern.match_indices(':') {
        let token: String = pattern[at + 1..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        if !PERMALINK_TOKENS.contains(&token.as_str()) {
            return Err(format!(
                "`{}`: `:{token}` is not a permalink token; use {}",
                crate::error::printable(pattern),
                PERMALINK_TOKENS
                    .iter()
                    .map(|t| format!(":{t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(())
}

/// `top.key` of site.yaml, or `top` when the text search cannot find `key` (`? ` complex keys,
/// merged anchors), or the file's start.
fn at_setting(text: &str, file: &Path, top: &str, key: &str) -> Location {
    use super::keys::{locate, Step};
    let found = locate(text, &[Step::Key(top.into()), Step::Key(key.into())])
        .or_else(|| locate(text, &[Step::Key(top.into())]));
    match found {
        Some((line, column)) => Location::at(file, line, Some(column)),
        None => Location::at(file, 1, None),
    }
}

/// The settings of `repository`, `lastmod`, `menu_max` and `reports`, each mistake an error at
/// its key.
pub fn section_settings(
    config: &super::SiteConfig,
    text: &str,
    file: &Path,
) -> Result<(), Diagnostic> {
    let error = |at: Location, e: String| Diagnostic::error(Code::Config, at, e);
    if let Err((key, e)) = config.repository.check() {
        return Err(error(at_setting(text, file, "repository", key), e));
    }
    if let Some(other) = config.lastmod.as_deref().filter(|l| *l != "git") {
        return Err(error(
            at_setting(text, file, "lastmod", ""),
            format!("lastmod: `{other}`; write `lastmod: git` (each page's date and author from its file's last commit) or leave it out"),
        ));
    }
    if config.menu_max == Some(0) {
        return Err(error(
            at_setting(text, file, "menu_max", ""),
            "menu_max: 0 would show no menu entry; write 1 or more (default 8; the last place is the menu of the rest)".into(),
        ));
    }
    let reports = &config.reports;
    if let Err((key, e)) = (reports.urls())
        .and_then(|_| reports.freeze_after_seconds())
        .and_then(|_| reports.top_categories())
        .and_then(|_| reports.status().map(|_| 0))
        .and_then(|_| {
            crate::config::pdf::check_pattern(
                "reports.workbook_name",
                reports.workbook_name.as_deref(),
            )
            .map_err(|e| ("workbook_name", e))
        })
    {
        return Err(error(at_setting(text, file, "reports", key), e));
    }
    if let Err((key, e)) = config.pdf.check() {
        return Err(error(at_setting(text, file, "pdf", key), e));
    }
    Ok(())
}
