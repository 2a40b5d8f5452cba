//! Reading a site's configuration from disk: `site.yaml`, else a Hugo or MkDocs tree's own
//! files through `foreign`, with the warnings for keys opsite does not read.

use std::path::Path;

use super::{foreign, keys, utf8_text, SiteConfig, CONFIG_FILE};
use crate::error::{Code, Diagnostic, Error, Location};

impl SiteConfig {
    /// Read `<root>/site.yaml` (a site without one gets the defaults), with its warnings.
    pub fn load(root: &Path) -> Result<(SiteConfig, Vec<Diagnostic>), Error> {
        let path = root.join(CONFIG_FILE);
        if let Some(problem) = super::config_link_problem(root, Path::new(CONFIG_FILE)) {
            if path.exists() {
                return Err(Error::Located(Diagnostic::error(
                    Code::Config,
                    Location::file(CONFIG_FILE),
                    problem,
                )));
            }
        }
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = utf8_text(bytes, Path::new(CONFIG_FILE)).map_err(Error::Located)?;
                SiteConfig::parse_with_warnings(&text, Path::new(CONFIG_FILE)).map_err(|errors| {
                    let mut errors = errors.into_iter();
                    let error = errors.next().expect("a refusal names its error");
                    // A mistyped key that made the error itself (in a version or language entry,
                    // or serde's `unknown field` in a section that refuses them) is said once;
                    // one beside an error about another key (`file:` where `files` is missing,
                    // on the same line) is said too, as it is likely the cause.
                    let mut warnings: Vec<Diagnostic> =
                        (unknown_keys_of(&text, Path::new(CONFIG_FILE)).into_iter())
                            .filter(|(key, w)| {
                                let same_line = w.location.file == error.location.file
                                    && w.location.line == error.location.line;
                                !same_line || !names_key(&error.message, key)
                            })
                            .map(|(_, w)| w)
                            .collect();
                    warnings.sort_by_key(|w| (w.location.line, w.location.column));
                    // The other `customers:` entries' mistakes, before the keys' warnings.
                    let warnings = errors.chain(warnings).collect();
                    Error::Config { error, warnings }
                })
            }
            // A link to nothing is a site.yaml that went missing, not a site without one.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.is_symlink() => {
                Err(Error::Located(Diagnostic::error(
                    Code::Config,
                    Location::file(CONFIG_FILE),
                    "is a link to a file that does not exist; restore it, or remove the link",
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match foreign::detect(root) {
                Some(kind) => SiteConfig::from_foreign(root, kind),
                None => {
                    let mut c = SiteConfig::default();
                    c.normalise();
                    Ok((c, Vec::new()))
                }
            },
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// A Hugo or MkDocs tree's configuration, read through the same checks as `site.yaml`
    /// (its messages name the tree's file: their lines would be those of the translation).
    fn from_foreign(
        root: &Path,
        kind: foreign::Kind,
    ) -> Result<(SiteConfig, Vec<Diagnostic>), Error> {
        let t = foreign::read(root, kind, true).map_err(|error| Error::Config {
            error,
            warnings: Vec::new(),
        })?;
        let in_file = |mut d: Diagnostic| {
            d.location = Location::file(&t.file);
            d
        };
        let text = foreign::site_yaml_text(&t);
        match SiteConfig::parse_with_warnings(&text, &t.file) {
            Ok((mut config, warnings)) => {
                config.source_file = t.file.clone();
                config.shortcodes.tolerate_unknown = true;
                let mut notes = t.notes;
                if kind == foreign::Kind::Hugo && foreign::mkdocs::config_file(root).is_some() {
                    notes.push(Diagnostic::warning(
                        Code::Config,
                        Location::file("mkdocs.yml"),
                        format!("not read: this folder also has a Hugo configuration ({}), which is; `opsite init --from mkdocs` writes a site.yaml from mkdocs.yml instead", t.file.display()),
                    ));
                }
                notes.extend(warnings.into_iter().map(in_file));
                Ok((config, notes))
            }
            Err(errors) => {
                let mut errors = errors.into_iter().map(in_file);
                let error = errors.next().expect("a refusal names its error");
                Err(Error::Config {
                    error,
                    warnings: errors.chain(t.notes).collect(),
                })
            }
        }
    }
}

/// Whether `message` names `key` as a word of its own (`file` is not named by `files`).
fn names_key(message: &str, key: &str) -> bool {
    let part_of_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    (message.match_indices(key)).any(|(at, _)| {
        !part_of_word(message[..at].chars().next_back())
            && !part_of_word(message[at + key.len()..].chars().next())
    })
}

/// How many unknown keys are put on their lines.
const LOCATED_UNKNOWN_KEYS: usize = 500;

/// A warning for each key of `site.yaml` opsite does not read, on its line, with the closest
/// known key or the nested form of a dotted one.
pub(super) fn unknown_key_warnings(
    unknown: Vec<keys::UnknownKey>,
    text: &str,
    file: &Path,
) -> Vec<Diagnostic> {
    unknown
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            // Each is found by reading the text: past the few hundred a run shows (see
            // `cmd::report`), the file alone is named, so thousands of keys stay quick.
            let found = (i < LOCATED_UNKNOWN_KEYS)
                .then(|| keys::locate(text, &u.path))
                .flatten();
            let location = match found {
                Some((line, column)) => Location::at(file, line, Some(column)),
                None if i >= LOCATED_UNKNOWN_KEYS => Location::file(file),
                // A key the text search cannot find (`? ` complex keys, merged
                // anchors) is still in the document: point at its start.
                None => Location::at(file, 1, None),
            };
            let hint = match (&u.nested, u.suggestion) {
                (None, None) if !u.entry_of.is_empty() => entry_hint(&u),
                (Some(parts), _) => format!(
                    " (write it nested: `{}:` on its own line, then `{}: …` indented under it)",
                    parts[..parts.len() - 1].join(":` / `"),
                    parts[parts.len() - 1]
                ),
                (None, Some(s)) => format!(" (did you mean {s}?)"),
                (None, None) => String::new(),
            };
            Diagnostic::warning(
                Code::UnknownKey,
                location,
                format!("unknown key {}{hint}", keys::path_text(&u.path)),
            )
        })
        .collect()
}

/// ` (it has the form of an entry of sla.response or sla.resolution: indent it under the one
/// meant)`: a key written one indent too far left.
fn entry_hint(u: &keys::UnknownKey) -> String {
    let parent = &u.path[..u.path.len() - 1];
    let maps: Vec<String> = (u.entry_of.iter())
        .map(|m| keys::path_text(&[parent, &[keys::Step::Key(m.to_string())]].concat()))
        .collect();
    let under = match u.entry_of.len() {
        1 => format!("`{}:`", u.entry_of[0]),
        _ => "the one meant".to_string(),
    };
    format!(
        " (it has the form of an entry of {}: indent it under {under})",
        maps.join(" or ")
    )
}

/// When `site.yaml` cannot be read into the configuration, the keys it has that opsite does not
/// read are often why (`relative_url:` beside a wrong value): reported with the error. Each
/// with the key as written (its last part), to tell whether the error names it.
pub fn unknown_keys_of(text: &str, file: &Path) -> Vec<(String, Diagnostic)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(doc) = crate::yaml::to_value(text) else {
        return Vec::new();
    };
    let unknown = keys::unknown_keys(&doc, keys::site());
    let names: Vec<(String, Option<bool>)> = (unknown.iter())
        .map(|u| {
            let name = keys::path_text(&u.path[u.path.len().saturating_sub(1)..]);
            let near_miss = u.suggestion.is_some() || !u.entry_of.is_empty();
            (name, near_miss.then_some(u.path.len() == 1))
        })
        .collect();
    (names.into_iter())
        .zip(unknown_key_warnings(unknown, text, file))
        .map(|((name, near_miss), mut d)| {
            // A near-miss is an error here as when the rest of the file reads.
            if let Some(top_level) = near_miss {
                near_miss_error(&mut d, top_level);
            }
            (name, d)
        })
        .collect()
}

/// An unknown key a few letters from one opsite reads at its place, made an error: the site
/// would be built without the setting meant.
pub(super) fn near_miss_error(d: &mut Diagnostic, top_level: bool) {
    d.severity = crate::error::Severity::Error;
    d.message.push_str(": the site would be built without it");
    if top_level {
        d.message
            .push_str("; a key of the site's own goes under `params:`");
    }
}
