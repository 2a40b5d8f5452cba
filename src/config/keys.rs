//! Unknown keys in `site.yaml`. serde skips keys it does not know, so a typo (`relative_url`,
//! `data.tickets.colums`) silently does nothing; this module knows every key opsite reads, finds
//! the ones it does not, locates them on their line and suggests the closest known key.
//!
//! The shape is written here rather than found by wrapping the deserializer (`serde_ignored`):
//! `SiteConfig` flattens the KPI keys into the top level, and serde drops unknown keys inside a
//! flattened struct before any wrapper sees them. The test `shape_matches_the_types` holds the
//! shape to each struct's own field list as serde reports it, so a field added to a type and not
//! here fails the tests instead of being reported to users as unknown.

use serde_json::Value;

pub use super::key_place::{config_location, locate, path_text, Step};
pub use super::shape::{closest, edit_distance, Shape, INDICATOR};

use Shape::{Any, Keys, List, Named};

const MENU_ENTRY: Shape = Keys(&[
    ("name", Any),
    ("url", Any),
    ("weight", Any),
    ("pre", Any),
    ("parent", Any),
    ("identifier", Any),
]);

/// Keys of one export source (`data.tickets`, and each of `data.metrics` with `name`).
macro_rules! source_keys {
    ($($extra:expr),*) => {
        Keys(&[
            $($extra,)*
            ("files", Any),
            ("encoding", Any),
            ("delimiter", Any),
            ("decimal_separator", Any),
            ("columns", Named(&Any)),
            ("timestamp_format", Any),
            ("timezone", Any),
            ("null_values", Any),
            ("priorities", Named(&Any)),
            ("dedupe", Keys(&[("keep", Any), ("by", Any)])),
            ("on_error", Any),
            ("max_quarantined", Any),
            ("optional", Any),
        ])
    };
}

const SOURCE: Shape = source_keys!();
const TICKET_SOURCE: Shape = source_keys!(
    ("preset", Any),
    ("covers", Keys(&[("from", Any)])),
    ("customer_names", Named(&Any)),
    ("first_contact_values", Any),
    ("exclude", Any)
);
const DOWNTIME_SOURCE: Shape = source_keys!(
    ("covers", Keys(&[("from", Any)])),
    ("planned_values", Named(&Any))
);
const EVENTS_SOURCE: Shape = source_keys!(("statuses", Named(&Any)));
const METRIC_SOURCE: Shape = source_keys!(("name", Any), ("service", Any));

const SLA_TARGET: Shape = Keys(&[("within", Any), ("calendar", Any)]);

const CONTRACT: Shape = Keys(&[
    ("name", Any),
    ("customers", Any),
    ("from", Any),
    ("to", Any),
    ("calendar", Any),
    ("pause_statuses", Any),
    ("response", Named(&SLA_TARGET)),
    ("resolution", Named(&SLA_TARGET)),
    ("indicators", List(&INDICATOR)),
    ("availability_targets", Named(&Any)),
]);

/// Every key opsite reads from `site.yaml`.
pub const SITE: Shape = Keys(&[
    ("title", Any),
    ("base_url", Any),
    ("language", Any),
    ("fiscal_year_start", Any),
    ("labels", crate::config::labels::SHAPE),
    ("theme", Any),
    ("content_dir", Any),
    ("nav", Any),
    ("permalinks", Any),
    ("menus", Named(&List(&MENU_ENTRY))),
    ("menu_max", Any),
    ("taxonomies", Named(&Any)),
    (
        "markdown",
        Keys(&[
            ("raw_html", Any),
            ("highlight", Any),
            ("toc_min_headings", Any),
        ]),
    ),
    ("shortcodes", Keys(&[("ignore", Any)])),
    ("params", Any),
    ("cascade", Any),
    ("relative_urls", Any),
    ("search", Any),
    ("search_file_share", Any),
    (
        "versions",
        List(&Keys(&[
            ("name", Any),
            ("latest", Any),
            ("path", Any),
            ("git", Any),
        ])),
    ),
    ("alerts", Keys(&[("index", Any), ("rules_files", Any)])),
    (
        "repository",
        Keys(&[
            ("url", Any),
            ("branch", Any),
            ("edit_path", Any),
            ("kind", Any),
            ("edit_uri", Any),
            ("issues", Any),
        ]),
    ),
    ("lastmod", Any),
    ("escalation", Any),
    (
        "languages",
        Named(&Keys(&[
            ("title", Any),
            ("content", Any),
            ("weight", Any),
            ("path", Any),
            ("name", Any),
            ("menus", Named(&List(&MENU_ENTRY))),
            ("params", Any),
            ("cascade", Any),
        ])),
    ),
    (
        "check",
        Keys(&[
            ("external_skip", Any),
            ("external_timeout", Any),
            ("external_concurrency", Any),
            ("external_per_host", Any),
            ("external_retries", Any),
        ]),
    ),
    (
        "limits",
        Keys(&[
            ("file_mb", Any),
            ("diagram_label_chars", Any),
            ("diagram_page_kb", Any),
            ("diagram_page_work", Any),
        ]),
    ),
    (
        "reports",
        Keys(&[
            ("weekly", Keys(&[("url", Any), ("ticket_list", Any)])),
            ("monthly", Keys(&[("url", Any), ("ticket_list", Any)])),
            ("quarterly", Keys(&[("url", Any), ("ticket_list", Any)])),
            ("error_budget", Any),
            ("workbook_name", Any),
            ("freeze_after", Any),
            ("top_categories", Any),
            (
                "status",
                Keys(&[("url", Any), ("days", Any), ("upcoming_days", Any)]),
            ),
        ]),
    ),
    ("email", crate::config::email::SHAPE),
    ("pdf", crate::config::pdf::SHAPE),
    ("customers", crate::config::customers::SHAPE),
    ("timezone", Any),
    ("priority_levels", Any),
    (
        "data",
        Keys(&[
            ("tickets", TICKET_SOURCE),
            ("ticket_events", EVENTS_SOURCE),
            ("downtime", DOWNTIME_SOURCE),
            ("surveys", SOURCE),
            ("api_usage", SOURCE),
            ("metrics", List(&METRIC_SOURCE)),
        ]),
    ),
    (
        "calendars",
        Named(&Keys(&[
            ("hours", Named(&Any)),
            ("holidays", Any),
            ("extra_holidays", Any),
        ])),
    ),
    (
        "sla",
        Keys(&[
            ("pause_statuses", Any),
            ("response", Named(&SLA_TARGET)),
            ("resolution", Named(&SLA_TARGET)),
        ]),
    ),
    ("contracts", List(&CONTRACT)),
    (
        "availability",
        Keys(&[
            ("target", Any),
            ("targets", Named(&Any)),
            ("services", Any),
            (
                "maintenance",
                List(&Keys(&[
                    ("every", Any),
                    ("nth", Any),
                    ("weekday", Any),
                    ("start", Any),
                    ("end", Any),
                ])),
            ),
        ]),
    ),
    ("api", Keys(&[("daily_budget", Any)])),
    ("indicators", List(&INDICATOR)),
    (
        "numbers",
        Keys(&[
            ("rounding", Any),
            (
                "decimals",
                Keys(&[
                    ("ratio", Any),
                    ("percent", Any),
                    ("minutes", Any),
                    ("count", Any),
                    ("score", Any),
                    ("number", Any),
                ]),
            ),
        ]),
    ),
]);

/// A key opsite does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub path: Vec<Step>,
    /// The closest known key at the same place, when one is close.
    pub suggestion: Option<&'static str>,
    /// For a dotted key that names a nested one (`limits.file_mb`), its parts as written nested.
    pub nested: Option<Vec<String>>,
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
                        suggestion: closest(k, known.iter().map(|(n, _)| *n)),
                        nested: dotted_path(k, shape),
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

/// `limits.file_mb` written as one key where `limits:` holds `file_mb:`: its parts, when the
/// dotted path names a known nested key.
fn dotted_path(key: &str, shape: &Shape) -> Option<Vec<String>> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.len() < 2 {
        return None;
    }
    let mut at = shape;
    for part in &parts {
        let Keys(known) = at else { return None };
        at = &known.iter().find(|(name, _)| name == part)?.1;
    }
    Some(parts.iter().map(|p| p.to_string()).collect())
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
        let found = unknown_keys(&doc, &SITE);
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
        let found = unknown_keys(&doc, &SITE);
        let paths: Vec<String> = found.iter().map(|u| path_text(&u.path)).collect();
        assert_eq!(paths, vec!["menus.main[1].ulr", "menus.main[2].nmae"]);
        assert_eq!(locate(text, &found[0].path), Some((5, 7)));
        assert_eq!(locate(text, &found[1].path), Some((6, 17)));
        assert_eq!(found[0].suggestion, Some("url"));
    }

    #[test]
    fn a_dotted_key_that_names_a_nested_one_is_recognised() {
        let doc = serde_json::json!({"limits.file_mb": 200, "markdown.nope": 1});
        let found = unknown_keys(&doc, &SITE);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].nested,
            Some(vec!["limits".to_string(), "file_mb".to_string()])
        );
        assert_eq!(found[1].nested, None);
    }

    #[test]
    fn block_scalars_and_comments_do_not_confuse_the_locator() {
        let text =
            "# title: no\nparams:\n  note: |\n    relative_url: not a key\nrelative_url: yes\n";
        assert_eq!(locate(text, &[key("relative_url")]), Some((5, 1)));
    }

    #[test]
    fn far_off_words_get_no_suggestion() {
        assert_eq!(closest("zzzz", ["title", "theme"].into_iter()), None);
        assert_eq!(
            closest("Title", ["title", "theme"].into_iter()),
            Some("title")
        );
    }

    /// The shape must list exactly the fields the typed configuration reads: each struct's field
    /// list, as serde sees it, against the shape at its place.
    mod shape_matches_the_types {
        use super::super::*;
        use crate::config::kpi::*;
        use crate::config::*;
        use serde::de::{self, Deserialize, Visitor};

        struct Probe(Vec<&'static str>);
        #[derive(Debug)]
        struct Stop;
        impl std::fmt::Display for Stop {
            fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("stop")
            }
        }
        impl std::error::Error for Stop {}
        impl de::Error for Stop {
            fn custom<T: std::fmt::Display>(_: T) -> Self {
                Stop
            }
        }
        impl<'de> de::Deserializer<'de> for &mut Probe {
            type Error = Stop;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
                Err(Stop)
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Stop> {
                self.0.extend_from_slice(fields);
                Err(Stop)
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                bytes byte_buf option unit unit_struct newtype_struct seq tuple
                tuple_struct map enum identifier ignored_any
            }
        }

        fn fields<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
            let mut p = Probe(Vec::new());
            let _ = T::deserialize(&mut p);
            let mut v = p.0;
            v.sort();
            v
        }

        fn shape_keys(shape: &Shape) -> Vec<&'static str> {
            let Keys(k) = shape else {
                panic!("not a key map")
            };
            let mut v: Vec<&str> = k.iter().map(|(n, _)| *n).collect();
            v.sort();
            v
        }

        fn at<'a>(shape: &'a Shape, key: &str) -> &'a Shape {
            let Keys(k) = shape else {
                panic!("not a key map")
            };
            &k.iter().find(|(n, _)| *n == key).unwrap().1
        }

        #[test]
        fn every_struct() {
            let mut top = fields::<KpiConfig>();
            // SiteConfig flattens KpiConfig, so serde gives no list for it: name its own fields.
            top.extend([
                "title",
                "base_url",
                "language",
                "fiscal_year_start",
                "labels",
                "theme",
                "content_dir",
                "nav",
                "permalinks",
                "menus",
                "menu_max",
                "taxonomies",
                "markdown",
                "shortcodes",
                "params",
                "cascade",
                "relative_urls",
                "search",
                "search_file_share",
                "reports",
                "email",
                "pdf",
                "versions",
                "languages",
                "alerts",
                "repository",
                "lastmod",
                "escalation",
                "customers",
                "check",
                "limits",
            ]);
            top.sort();
            assert_eq!(shape_keys(&SITE), top);
            let List(customer) = at(&SITE, "customers") else {
                panic!("customers is a list")
            };
            assert_eq!(
                shape_keys(customer),
                fields::<crate::config::customers::CustomerConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "pdf")),
                fields::<crate::config::pdf::PdfConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "markdown")),
                fields::<MarkdownConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "reports")),
                fields::<crate::config::reports::ReportsConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "shortcodes")),
                fields::<ShortcodeConfig>()
            );
            assert_eq!(shape_keys(&MENU_ENTRY), fields::<MenuEntryConfig>());
            let List(version) = at(&SITE, "versions") else {
                panic!()
            };
            assert_eq!(
                shape_keys(version),
                fields::<crate::config::versions::VersionConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "alerts")),
                fields::<crate::config::AlertsConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "repository")),
                fields::<crate::config::repository::RepositoryConfig>()
            );
            let Named(language) = at(&SITE, "languages") else {
                panic!()
            };
            assert_eq!(
                shape_keys(language),
                fields::<crate::config::languages::LanguageConfig>()
            );
            assert_eq!(
                shape_keys(at(&SITE, "check")),
                fields::<crate::config::versions::CheckConfig>()
            );
            assert_eq!(shape_keys(at(&SITE, "data")), fields::<DataConfig>());
            // Each source-specific key belongs to one kind of source.
            let only = |keep: &[&str]| {
                let specific = [
                    "covers",
                    "planned_values",
                    "preset",
                    "statuses",
                    "customer_names",
                    "first_contact_values",
                    "exclude",
                ];
                let mut f = fields::<SourceConfig>();
                f.retain(|k| !specific.contains(k) || keep.contains(k));
                f
            };
            assert_eq!(
                shape_keys(&TICKET_SOURCE),
                only(&[
                    "preset",
                    "covers",
                    "customer_names",
                    "first_contact_values",
                    "exclude"
                ])
            );
            assert_eq!(
                shape_keys(&DOWNTIME_SOURCE),
                only(&["covers", "planned_values"])
            );
            assert_eq!(shape_keys(&EVENTS_SOURCE), only(&["statuses"]));
            let source = only(&[]);
            assert_eq!(shape_keys(&SOURCE), source);
            let mut metric = source.clone();
            metric.extend(["name", "service"]);
            metric.sort();
            assert_eq!(shape_keys(&METRIC_SOURCE), metric);
            assert_eq!(shape_keys(at(&SOURCE, "dedupe")), fields::<Dedupe>());
            assert_eq!(shape_keys(&SLA_TARGET), fields::<SlaTargetConfig>());
            assert_eq!(shape_keys(&CONTRACT), fields::<ContractConfig>());
            assert_eq!(shape_keys(at(&SITE, "sla")), fields::<SlaConfig>());
            assert_eq!(
                shape_keys(at(&SITE, "availability")),
                fields::<AvailabilityConfig>()
            );
            let Named(cal) = at(&SITE, "calendars") else {
                panic!()
            };
            assert_eq!(shape_keys(cal), fields::<CalendarConfig>());
            let List(ind) = at(&SITE, "indicators") else {
                panic!()
            };
            assert_eq!(shape_keys(ind), fields::<IndicatorConfig>());
            let List(m) = at(at(&SITE, "availability"), "maintenance") else {
                panic!()
            };
            assert_eq!(shape_keys(m), fields::<MaintenanceConfig>());
            assert_eq!(shape_keys(at(&SITE, "api")), fields::<ApiConfig>());
        }
    }
}
