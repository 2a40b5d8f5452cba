//! Where each version's pages come from: the latest's content (less the folders older versions
//! read inside it), every other version's, and a warning for folders named as versions that no
//! version reads.

use std::path::Path;

use crate::content::source::ContentSources;
use crate::error::{Code, Diagnostic, Location};
use crate::walk::SiteReader;

/// The latest version's content (the site's own `content/` unless `versions:` says otherwise)
/// and every other version's. A version that cannot be read is an error on `versions:`.
pub(super) fn load_versions(
    reader: &SiteReader,
    config_text: &str,
    versions: &[crate::config::versions::Version],
    own: ContentSources,
    content_dir: &str,
    diags: &mut Vec<Diagnostic>,
) -> (ContentSources, Vec<crate::versions::OlderVersion>) {
    use crate::config::versions::{entry_location, VersionSource};
    let at =
        |entry: usize| entry_location(config_text, Path::new(crate::config::CONFIG_FILE), entry);
    let mut read = |v: &crate::config::versions::Version| -> ContentSources {
        match crate::versions::load_content(reader, v, content_dir) {
            Ok((c, d)) => {
                diags.extend(d);
                c
            }
            Err(message) => {
                diags.push(Diagnostic::error(Code::Config, at(v.entry), message));
                ContentSources::default()
            }
        }
    };
    let Some(latest) = versions.first() else {
        return (own, Vec::new());
    };
    let content = if latest.source == VersionSource::Content {
        own
    } else {
        read(latest)
    };
    let older: Vec<crate::versions::OlderVersion> = versions[1..]
        .iter()
        .map(|v| crate::versions::OlderVersion {
            version: v.clone(),
            content: read(v),
        })
        .collect();
    // An older version whose folder is inside the content folder is not the latest's too.
    let mut content = content;
    for v in &older {
        if let VersionSource::Folder(p) = &v.version.source {
            let inside = Path::new(p.trim_start_matches("./")).strip_prefix(content_dir);
            if let Ok(rel) = inside {
                content = content.without_folder(rel);
            }
        }
    }
    (content, older)
}

/// A warning for each folder holding sibling folders named as versions (`docs/1.12.1/`,
/// `docs/1.11.0/`) that `versions:` does not read: their pages are one site, in one
/// navigation and one search, where readers expect one version at a time.
pub(super) fn version_folders(content: &ContentSources) -> Vec<Diagnostic> {
    (content.version_like_folders().into_iter())
        .map(|(parent, names)| {
            let folder = content.shown_dir().join(&parent);
            let shown = folder.display().to_string().replace('\\', "/");
            let entry = |n: &String| {
                let url = Path::new("/").join(&parent).join(n).display().to_string();
                format!("{{name: \"{n}\", path: {shown}/{n}, url: {}/}}", url.replace('\\', "/"))
            };
            Diagnostic::warning(
                Code::Content,
                Location::file(&folder),
                format!(
                    "{} folders named as versions ({}): their pages are mixed into one navigation and one search; give each a `versions:` entry that keeps its addresses, e.g. {} (`opsite init` proposes them)",
                    names.len(),
                    names.join(", "),
                    entry(&names[0])
                ),
            )
        })
        .collect()
}
