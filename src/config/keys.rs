//! Unknown keys in `site.yaml`. serde skips keys it does not know, so a typo (`relative_url`,
//! `data.tickets.colums`) silently does nothing; this module finds the keys opsite does not
//! read, locates them on their line and suggests the closest known key.
//!
//! What opsite reads is the configuration types' own: `shape::derive` reads each type's fields
//! from its `Deserialize`. Two things the types cannot say are written here: which type a map
//! written where a value may also stand has (`FORMS`), and which keys of an export source only
//! some kinds of source read (`SOURCE_KEYS_OF_SOME_KINDS`).

use std::sync::OnceLock;

use serde_json::Value;

pub use super::key_place::{config_location, locate, path_text, Step};
pub use super::shape::{closest, edit_distance, Shape};
use super::shape::{derive, Derived, Part};

use Shape::{Keys, List, Named};

/// Every key opsite reads from `site.yaml`.
pub fn site() -> &'static Shape {
    static SITE: OnceLock<Shape> = OnceLock::new();
    SITE.get_or_init(|| site_shape().0)
}

/// Places read as a value or a map (an untagged enum, a form read by hand): the map's type,
/// whose keys the derived shape cannot see through `deserialize_any`.
fn forms() -> Vec<(&'static [&'static str], Derived)> {
    use super::reports::{ReportKindSettings, StatusSettingsConfig};
    let kind = || derive::<ReportKindSettings>();
    vec![
        (
            &["repository"],
            derive::<super::repository::RepositoryConfig>(),
        ),
        (&["reports", "weekly"], kind()),
        (&["reports", "monthly"], kind()),
        (&["reports", "quarterly"], kind()),
        (&["reports", "status"], derive::<StatusSettingsConfig>()),
    ]
}

/// Keys of an export source that only some kinds of source read (every other key of
/// `SourceConfig` is read by all): elsewhere they are unknown keys.
const SOURCE_KEYS_OF_SOME_KINDS: &[(&str, &[&str])] = &[
    ("preset", &["tickets"]),
    ("customer_names", &["tickets"]),
    ("first_contact_values", &["tickets"]),
    ("exclude", &["tickets"]),
    ("covers", &["tickets", "downtime"]),
    ("planned_values", &["downtime"]),
    ("statuses", &["ticket_events"]),
    ("name", &["metrics"]),
    ("service", &["metrics"]),
];

/// The site's shape, and the places read with `deserialize_any` that `FORMS` does not give a
/// type (for the test that keeps every such place free-form on purpose).
fn site_shape() -> (Shape, Vec<Vec<Part>>) {
    let site = derive::<super::SiteConfig>();
    let kpi = derive::<super::kpi::KpiConfig>();
    let (Keys(mut top), Keys(kpi_keys)) = (site.shape, kpi.shape) else {
        unreachable!("both are structs")
    };
    top.extend(kpi_keys);
    let mut shape = Keys(top);
    let mut any_forms: Vec<Vec<Part>> = site.any_forms.into_iter().chain(kpi.any_forms).collect();
    for (place, form) in forms() {
        let at = place.iter().try_fold(&mut shape, |s, k| s.key_mut(k));
        *at.expect("a form's place is a key of site.yaml") = form.shape;
        let fields: Vec<Part> = place.iter().map(|k| Part::Field(k)).collect();
        any_forms.retain(|p| *p != fields);
        any_forms.extend(
            form.any_forms
                .into_iter()
                .map(|p| [fields.clone(), p].concat()),
        );
    }
    let Some(Keys(sources)) = shape.key_mut("data") else {
        unreachable!("data is a struct")
    };
    for (kind, source) in sources.iter_mut() {
        if let Keys(keys) = source.item_mut() {
            keys.retain(|(key, _)| {
                (SOURCE_KEYS_OF_SOME_KINDS.iter())
                    .find(|(k, _)| k == key)
                    .is_none_or(|(_, kinds)| kinds.contains(kind))
            });
        }
    }
    (shape, any_forms)
}

/// The keys an entry under the top-level key `top` takes (a list's item or a named map's value),
/// in the order of their settings.
pub fn known_under(top: &str) -> Vec<&'static str> {
    let mut at = site().key(top);
    while let Some(List(inner) | Named(inner)) = at {
        at = Some(inner);
    }
    match at {
        Some(Keys(known)) => known.iter().map(|(k, _)| *k).collect(),
        _ => Vec::new(),
    }
}

/// A key opsite does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub path: Vec<Step>,
    /// The closest known key at the same place, when one is close.
    pub suggestion: Option<&'static str>,
    /// For a dotted key that names a nested one (`limits.file_mb`), its parts as written nested.
    pub nested: Option<Vec<String>>,
    /// The known maps of names beside it whose entries it has the form of (`high: {within: 8h}`
    /// beside `resolution:` and `response:`): an entry written one indent too far left.
    pub entry_of: Vec<&'static str>,
}

/// Short forms people write for a key, too far from it for `closest` (`tz` for `timezone`).
const SHORT_FORMS: &[(&str, &str)] = &[
    ("tz", "timezone"),
    ("lang", "language"),
    ("locale", "language"),
    ("clients", "customers"),
];

/// The key `word` is a short form of, when that key is read at this place.
fn abbreviated<'a>(word: &str, mut known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let (_, full) = SHORT_FORMS
        .iter()
        .find(|(short, _)| short.eq_ignore_ascii_case(word))?;
    known.find(|k| k == full)
}

/// Every unknown key of a parsed `site.yaml`, in document order of the value tree.
pub fn unknown_keys(doc: &Value, shape: &Shape) -> Vec<UnknownKey> {
    let mut out = Vec::new();
    walk(doc, shape, &mut Vec::new(), &mut out);
    out
}

fn walk(value: &Value, shape: &Shape, path: &mut Vec<Step>, out: &mut Vec<UnknownKey>) {
    match (shape, value) {
        (Keys(known), Value::Object(map)) => {
            for (k, v) in map {
                path.push(Step::Key(k.clone()));
                match known.iter().find(|(name, _)| name == k) {
                    Some((_, inner)) => walk(v, inner, path, out),
                    None => out.push(UnknownKey {
                        path: path.clone(),
                        suggestion: closest(k, known.iter().map(|(n, _)| *n))
                            .or_else(|| abbreviated(k, known.iter().map(|(n, _)| *n))),
                        nested: dotted_path(k, shape),
                        entry_of: maps_it_fits(v, known),
                    }),
                }
                path.pop();
            }
        }
        (Named(inner), Value::Object(map)) => {
            for (k, v) in map {
                path.push(Step::Key(k.clone()));
                walk(v, inner, path, out);
                path.pop();
            }
        }
        (List(inner), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(v, inner, path, out);
                path.pop();
            }
        }
        (List(inner), Value::Object(_)) => walk(value, inner, path, out),
        _ => {}
    }
}

/// The maps of names among `known` whose entries `value` has the form of: a map of keys, every
/// one of which such an entry reads.
fn maps_it_fits(value: &Value, known: &[(&'static str, Shape)]) -> Vec<&'static str> {
    let Value::Object(map) = value else {
        return Vec::new();
    };
    if map.is_empty() {
        return Vec::new();
    }
    (known.iter())
        .filter(|(_, shape)| match shape {
            Named(inner) => {
                matches!(**inner, Keys(_)) && {
                    let mut unknown = Vec::new();
                    walk(value, inner, &mut Vec::new(), &mut unknown);
                    unknown.is_empty()
                }
            }
            _ => false,
        })
        .map(|(name, _)| *name)
        .collect()
}

/// `limits.file_mb` written as one key where `limits:` holds `file_mb:`: its parts, when the
/// dotted path names a known nested key (through names of your own and list items too:
/// `sla.response.critical.within`); a misspelt last part is given as the closest known key.
fn dotted_path(key: &str, shape: &Shape) -> Option<Vec<String>> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.len() < 2 {
        return None;
    }
    let mut at = shape;
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        while let List(inner) = at {
            at = inner;
        }
        at = match at {
            Keys(known) => match known.iter().find(|(name, _)| name == part) {
                Some((_, inner)) => inner,
                // The last part misspelt: the closest key there, when one is close.
                None if i + 1 == parts.len() => {
                    out.push(closest(part, known.iter().map(|(n, _)| *n))?.to_string());
                    return Some(out);
                }
                None => return None,
            },
            Named(inner) => inner,
            _ => return None,
        };
        out.push(part.to_string());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Step {
        Step::Key(s.into())
    }

    #[test]
    fn typos_are_found_with_a_suggestion() {
        let text = "title: x\nrelative_url: true\ndata:\n  tickets:\n    files: a.csv\n    colums: {id: n}\nparams:\n  anything: goes\n";
        let doc = crate::yaml::to_value(text).unwrap();
        let found = unknown_keys(&doc, site());
        assert_eq!(found.len(), 2, "{found:?}");
        let texts: Vec<String> = found.iter().map(|u| path_text(&u.path)).collect();
        assert!(texts.contains(&"relative_url".to_string()));
        assert!(texts.contains(&"data.tickets.colums".to_string()));
        let rel = found
            .iter()
            .find(|u| path_text(&u.path) == "relative_url")
            .unwrap();
        assert_eq!(rel.suggestion, Some("relative_urls"));
        assert_eq!(locate(text, &rel.path), Some((2, 1)));
        let col = found
            .iter()
            .find(|u| path_text(&u.path) == "data.tickets.colums")
            .unwrap();
        assert_eq!(col.suggestion, Some("columns"));
        assert_eq!(locate(text, &col.path), Some((6, 5)));
    }

    #[test]
    fn keys_in_lists_and_flow_maps_are_located() {
        let text = "menus:\n  main:\n    - {name: a, url: /}\n    - name: b\n      ulr: /x/\n    - {name: c, nmae: d}\n";
        let doc = crate::yaml::to_value(text).unwrap();
        let found = unknown_keys(&doc, site());
        let paths: Vec<String> = found.iter().map(|u| path_text(&u.path)).collect();
        assert_eq!(paths, vec!["menus.main[1].ulr", "menus.main[2].nmae"]);
        assert_eq!(locate(text, &found[0].path), Some((5, 7)));
        assert_eq!(locate(text, &found[1].path), Some((6, 17)));
        assert_eq!(found[0].suggestion, Some("url"));
    }

    #[test]
    fn a_dotted_key_that_names_a_nested_one_is_recognised() {
        let doc = serde_json::json!({
            "limits.file_mb": 200,
            "limits.file_mbb": 200,
            "markdown.nope": 1,
            "sla.response.critical.within": "1h",
        });
        let found = unknown_keys(&doc, site());
        let nested: Vec<Option<String>> = (found.iter())
            .map(|u| u.nested.as_ref().map(|p| p.join("/")))
            .collect();
        assert_eq!(
            nested,
            [
                Some("limits/file_mb".to_string()),
                Some("limits/file_mb".to_string()),
                None,
                Some("sla/response/critical/within".to_string()),
            ]
        );
    }

    #[test]
    fn block_scalars_and_comments_do_not_confuse_the_locator() {
        let text =
            "# title: no\nparams:\n  note: |\n    relative_url: not a key\nrelative_url: yes\n";
        assert_eq!(locate(text, &[key("relative_url")]), Some((5, 1)));
    }

    #[test]
    fn short_forms_are_taken_for_their_key_where_it_is_read() {
        let doc = crate::yaml::to_value("tz: UTC\nlang: en\nclients: []\n").unwrap();
        let found = unknown_keys(&doc, site());
        let mut said: Vec<_> = found.iter().map(|u| u.suggestion).collect();
        said.sort();
        assert_eq!(
            said,
            [Some("customers"), Some("language"), Some("timezone")]
        );
        // Each short form's key is one the site reads (the list cannot name a key gone).
        let Keys(top) = site() else {
            unreachable!("site.yaml is a map")
        };
        for (_, full) in SHORT_FORMS {
            assert!(top.iter().any(|(k, _)| k == full), "{full}");
        }
    }

    #[test]
    fn far_off_words_get_no_suggestion() {
        assert_eq!(closest("zzzz", ["title", "theme"].into_iter()), None);
        // A name typed in full width is the one it folds to, not one a digit away.
        assert_eq!(
            closest(
                "顧客００２株式会社",
                ["顧客001株式会社", "顧客002株式会社"].into_iter()
            ),
            Some("顧客002株式会社")
        );
        assert_eq!(
            closest("Title", ["title", "theme"].into_iter()),
            Some("title")
        );
    }

    #[test]
    fn a_key_of_one_kind_of_source_is_unknown_under_another() {
        let doc = serde_json::json!({"data": {
            "tickets": {"files": "t.csv", "statuses": {}, "preset": "redmine"},
            "ticket_events": {"files": "e.csv", "statuses": {}, "preset": "redmine"},
            "metrics": [{"files": "m.csv", "name": "cpu", "covers": {}}],
        }});
        let found: Vec<String> = (unknown_keys(&doc, site()).iter())
            .map(|u| path_text(&u.path))
            .collect();
        assert_eq!(
            found,
            [
                "data.metrics[0].covers",
                "data.ticket_events.preset",
                "data.tickets.statuses",
            ]
        );
    }

    /// A place read with `deserialize_any` hides the keys of a map written there. Each such
    /// place is given its map's type in `forms`, or is listed here by its key with why no
    /// unknown key can hide in it: a new untagged enum or hand-read form fails this test until
    /// it is one or the other.
    #[test]
    fn every_place_whose_keys_the_types_cannot_say_is_accounted_for() {
        let accounted = [
            // Trees of the site's own, looked into by no key check.
            ("params", "the site's values for templates"),
            ("cascade", "front matter, which takes any key"),
            ("escalation", "routes, read and checked by `escalation`"),
            ("nav", "a tree of titles and pages"),
            // One value or a list of values: a map is refused by serde.
            ("permalinks.<name>", "a pattern"),
            ("to", "an address or a list"),
            ("cc", "an address or a list"),
            ("bcc", "an address or a list"),
            ("customers", "a name or a list"),
            ("holidays", "a preset's name or a list of dates"),
            ("hours.<name>", "ranges as text or a list"),
            ("files", "a glob or a list"),
            ("max_quarantined", "a count or a percentage"),
            ("pause_statuses[]", "a status, text or number"),
            ("null_values[]", "a value, text or number"),
            ("first_contact_values[]", "a value, text or number"),
            ("priority_levels[]", "a level's key, text or number"),
            ("priorities.<name>", "a level's key, text or number"),
            // Forms read by hand that name their own keys in their messages.
            (
                "columns.<name>",
                "ColumnNames: a column, a list or {first_status}",
            ),
            ("exclude", "ExcludeRule denies unknown fields"),
        ];
        let (_, any_forms) = site_shape();
        for path in &any_forms {
            let last_key = path.iter().rposition(|p| matches!(p, Part::Field(_)));
            let key = part_text(&path[last_key.unwrap_or(0)..]);
            assert!(
                accounted.iter().any(|(k, _)| *k == key),
                "{} is read with deserialize_any: give its map's type in `forms`, or say in this test why no key can hide there",
                part_text(path)
            );
        }
    }

    fn part_text(path: &[Part]) -> String {
        let mut out = String::new();
        for p in path {
            match p {
                Part::Field(f) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(f);
                }
                Part::Item => out.push_str("[]"),
                Part::Name => out.push_str(".<name>"),
            }
        }
        out
    }
}
