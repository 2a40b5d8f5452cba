//! Reading site.yaml's text into a `SiteConfig`: serde's mistakes located at their line (inside
//! the flattened KPI keys too), the values checked that serde cannot check, unknown keys as
//! warnings with the closest known key, and the defaults a site leaves out filled in.

use std::collections::BTreeMap;
use std::path::Path;

use super::checks::{self, check_base_url, check_content_dir, check_language, check_permalink};
use super::load::unknown_key_warnings;
use super::missing_fields;
use super::{customers, foreign, keys, languages, versions, SiteConfig};
use crate::error::{Code, Diagnostic, Location};

impl SiteConfig {
    /// Parse the text of `site.yaml`; `file` is only used to locate errors.
    pub fn parse(text: &str, file: &Path) -> Result<SiteConfig, Diagnostic> {
        SiteConfig::parse_with_warnings(text, file)
            .map(|(c, _)| c)
            .map_err(|mut errors| errors.swap_remove(0))
    }

    /// Parse the text of `site.yaml`, with a warning for every key opsite does not read. Its
    /// errors, when it cannot be read: one (a mistake stops the reading of what follows it),
    /// or every mistake of the `customers:` entries, checked last, each at its entry.
    pub fn parse_with_warnings(
        text: &str,
        file: &Path,
    ) -> Result<(SiteConfig, Vec<Diagnostic>), Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let at = |(i, key, message): (usize, &str, String)| {
            let at = customers::entry_location(text, file, i, key);
            Diagnostic::error(Code::Config, at, message)
        };
        let (mut config, mut warnings, unknown) = match SiteConfig::parse_settings(text, file) {
            Ok(parsed) => parsed,
            Err(e) => {
                // serde stops at the first entry of `customers:` it cannot read: every such
                // entry is said instead, with the others' mistakes.
                let doc = crate::yaml::to_value(text).ok();
                let entries = doc.as_ref().and_then(customers::unreadable_entries);
                return Err(match entries {
                    Some(mistakes) => {
                        let mut errors: Vec<Diagnostic> = mistakes.into_iter().map(at).collect();
                        if !e.message.starts_with("customers") {
                            errors.push(e);
                        }
                        errors
                    }
                    None => vec![e],
                });
            }
        };
        let (base_url, contracts) = (config.base_url.clone(), config.kpi.contracts.clone());
        let mistakes = customers::checked(&mut config.customers, &base_url, &contracts);
        if !mistakes.is_empty() {
            return Err(mistakes.into_iter().map(at).collect());
        }
        warnings.extend(unknown);
        Ok((config, warnings))
    }

    /// Everything of `parse_with_warnings` but the check of `customers:`: the configuration,
    /// its warnings, and the warnings for keys opsite does not read (said after the others).
    fn parse_settings(
        text: &str,
        file: &Path,
    ) -> Result<(SiteConfig, Vec<Diagnostic>, Vec<Diagnostic>), Diagnostic> {
        // The document as a tree, read once: merge keys first, unknown keys at the end.
        let doc = crate::yaml::to_value(text);
        if let Ok(doc) = &doc {
            merge_key(doc, text, file)?;
        }
        let located = |e: crate::yaml::YamlError| {
            Diagnostic::error(
                Code::Config,
                Location::at(file, e.line, Some(e.column)),
                e.message,
            )
        };
        // A `missing field` said as its cause (a key misspelt beside it) or with every field the
        // entry misses.
        let explained = |e: crate::yaml::YamlError| {
            let better = doc.as_ref().ok().and_then(|d| {
                missing_fields::indented_too_far(&e.message)
                    .or_else(|| missing_fields::misspelt_required(d, &e.message))
                    .or_else(|| missing_fields::every_missing_field(d, &e.message))
            });
            let better = better.or_else(|| missing_fields::unknown_variant(&e.message));
            located(crate::yaml::YamlError {
                message: better.unwrap_or(e.message),
                ..e
            })
        };
        let mut config: SiteConfig = crate::yaml::from_str(text).map_err(|e| {
            // A file that is not a map at all (a token behind a mistaken link) is named by its
            // kind, never printed whole as serde's message would.
            match crate::yaml::to_value_keeping_last(text) {
                Ok((v, _)) if !v.is_object() && !v.is_null() => Diagnostic::error(
                    Code::Config,
                    Location::at(file, 1, None),
                    format!(
                        "holds {}, not settings (`key: value` lines)",
                        foreign::kind_of(&v)
                    ),
                ),
                _ => explained(e),
            }
        })?;
        // The KPI keys sit at the top level beside the site's own; read on their own, each
        // mistake among them is at its line (`data.tickets.dedupe.keep: unknown variant …`).
        config.kpi = crate::yaml::from_str(text).map_err(explained)?;
        let at_key = |key: &str| match keys::locate(text, &[keys::Step::Key(key.to_string())]) {
            Some((line, column)) => Location::at(file, line, Some(column)),
            None => Location::file(file),
        };
        if ![1, 4, 7, 10].contains(&config.fiscal_year_start) {
            return Err(Diagnostic::error(
                Code::Config,
                at_key("fiscal_year_start"),
                format!(
                    "fiscal_year_start: {} is not a month a fiscal year starts in here: 1 (January, the default), 4, 7 or 10",
                    config.fiscal_year_start
                ),
            ));
        }
        if let Err((item, message)) = config.kpi.priority_levels.check() {
            let mut steps = vec![keys::Step::Key("priority_levels".into())];
            steps.extend(item.map(keys::Step::Index));
            let at = match keys::locate(text, &steps) {
                Some((line, column)) => Location::at(file, line, Some(column)),
                None => at_key("priority_levels"),
            };
            let message = format!("priority_levels: {message}");
            return Err(Diagnostic::error(Code::Config, at, message));
        }
        // A value refused at its key's line, named as `label` (`permalinks.blog`).
        let refused = |key: &str, label: &str, e: String| {
            Diagnostic::error(Code::Config, at_key(key), format!("{label}: {e}"))
        };
        check_base_url(&config.base_url).map_err(|e| refused("base_url", "base_url", e))?;
        check_language(&config.language).map_err(|e| refused("language", "language", e))?;
        // Once, at its line: the pages' dates and the data both read it.
        if let Err(e) = crate::timezone::parse(&config.kpi.timezone) {
            return Err(Diagnostic::error(Code::Config, at_key("timezone"), e));
        }
        for (section, pattern) in config.permalink_patterns() {
            check_permalink(pattern)
                .map_err(|e| refused("permalinks", &format!("permalinks.{section}"), e))?;
        }
        check_content_dir(&config.content_dir)
            .map_err(|e| refused("content_dir", "content_dir", e))?;
        if let Some(name) = config
            .taxonomy_names()
            .into_iter()
            .find(|n| n == "q" || n == "section")
        {
            return Err(refused(
                "taxonomies",
                "taxonomies",
                format!("`{name}` is a name the search page gives its own query or section filter in the address (/search/?q=…&section=…); name the taxonomy otherwise"),
            ));
        }
        checks::section_settings(&config, text, file)?;
        config.normalise();
        let doc = doc.map_err(located)?;
        let mut warnings: Vec<Diagnostic> = Vec::new();
        if !crate::word_files::has_words_for(&config.language) {
            warnings.push(Diagnostic::warning(Code::Config,
                at_key("language"),
                format!(
                    "language: opsite has words in {} (src/i18n/<code>.yaml); `{}` pages get the English ones",
                    crate::word_files::codes(),
                    config.language
                ),
            ));
        }
        // A label for a priority the site does not have names nothing (`urgent:`).
        let levels = &config.kpi.priority_levels;
        for code in config.labels.priority.keys() {
            if levels.parse(code).is_none() {
                let known = levels.listed();
                let keys: Vec<String> = levels.all().map(|p| levels.key(p).to_string()).collect();
                let hint = keys::closest(code, keys.iter().map(String::as_str))
                    .map(|k| format!("did you mean {k}? "))
                    .unwrap_or_default();
                warnings.push(label_warning(text, file, "priority", code, format!("{hint}labels name the site's priority levels ({known}, from priority_levels); an export's own values go under data.tickets.priorities")));
            }
        }
        // (Service labels are checked against the data's services: `site::reports`.)
        let unknown = key_mistakes(&doc, text, file)?;
        if let Err((i, e)) = versions::checked(&config.versions) {
            return Err(Diagnostic::error(
                Code::Config,
                versions::entry_location(text, file, i),
                e,
            ));
        }
        check_languages(&mut config, &doc, text, file)?;
        Ok((config, warnings, unknown))
    }

    pub(super) fn normalise(&mut self) {
        self.kpi.edition_customers = (self.customers.iter())
            .map(|c| c.name.trim().to_string())
            .collect();
        self.base_url = super::checks::site_address(&self.base_url);
        if self.language.is_empty() {
            self.language = "ja".into();
        }
        if self.theme.is_empty() {
            self.theme = "default".into();
        }
        let dir = self.content_dir.trim_matches('/').replace('\\', "/");
        self.content_dir = match dir.trim_start_matches("./") {
            "" => "content".into(),
            d => d.to_string(),
        };
        if !self.params.is_object() {
            self.params = serde_json::Value::Object(Default::default());
        }
    }
}

/// YAML merge keys (`<<: *base`) are not applied: the keys they would bring are missing, and
/// what serde says of that (`missing field`) hides why. An error at the first, before anything.
fn merge_key(doc: &serde_json::Value, text: &str, file: &Path) -> Result<(), Diagnostic> {
    let Some(merge) = merge_key_path(doc, &mut Vec::new()) else {
        return Ok(());
    };
    let mut at = keys::config_location(text, &merge);
    at.file = file.to_path_buf();
    Err(Diagnostic::error(
        Code::Config,
        at,
        format!(
            "{}: YAML merge keys (`<<: *anchor`) are not read, so the keys they would bring are missing; write the keys out",
            keys::path_text(&merge)
        ),
    ))
}

/// The first `<<` key anywhere in the document (under `params` and names of your own too).
fn merge_key_path(
    value: &serde_json::Value,
    path: &mut Vec<keys::Step>,
) -> Option<Vec<keys::Step>> {
    use serde_json::Value;
    match value {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            path.push(keys::Step::Key(k.clone()));
            let found = if k == "<<" {
                Some(path.clone())
            } else {
                merge_key_path(v, path)
            };
            path.pop();
            found
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            path.push(keys::Step::Index(i));
            let found = merge_key_path(v, path);
            path.pop();
            found
        }),
        _ => None,
    }
}

/// A warning for each key opsite does not read; a mistyped key in a version entry (`pth:`) or a
/// language entry (`contnet:`, `wieght:`) is an error instead: it would quietly publish the
/// site's own content under that version's name, or move the default language. So is a mistyped
/// key right under `data:` (`ticket:`): that export would not be read, and a build would publish
/// every report without its figures. Any key a few letters from one opsite reads at its place
/// (`custmers:`, `contracts[0].resolutoin`) is an error too: the site would build without what
/// that key sets (every customer edition, a contract's targets), where a key of the site's own
/// belongs under `params:`. A key far from any is a warning.
fn key_mistakes(
    doc: &serde_json::Value,
    text: &str,
    file: &Path,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let unknown = keys::unknown_keys(doc, keys::site());
    let under = |u: &keys::UnknownKey, top: &str| matches!(u.path.first(), Some(keys::Step::Key(k)) if k == top);
    let first = |top: &str, depth: Option<usize>| {
        (unknown.iter()).position(|u| under(u, top) && depth.is_none_or(|d| u.path.len() == d))
    };
    let mistakes = [
        (first("versions", None), "versions", "a version entry"),
        (first("languages", None), "languages", "a language entry"),
        (first("data", Some(2)), "data", "`data:`"),
    ];
    let misspelt = (unknown.iter()).position(|u| u.suggestion.is_some() || !u.entry_of.is_empty());
    let top_level = misspelt.is_some_and(|at| unknown[at].path.len() == 1);
    let mut unknown = unknown_key_warnings(unknown, text, file);
    for (at, top, entry) in mistakes {
        let Some(at) = at else {
            continue;
        };
        let mut d = unknown.remove(at);
        d.severity = crate::error::Severity::Error;
        d.message.push_str(&format!(
            ": {entry} takes {}",
            keys::known_under(top).join(", ")
        ));
        return Err(d);
    }
    if let Some(at) = misspelt {
        let mut d = unknown.remove(at);
        super::load::near_miss_error(&mut d, top_level);
        return Err(d);
    }
    Ok(unknown)
}

/// A warning at `labels.<kind>.<code>` in site.yaml (the file's start when it cannot be found).
/// `languages:` checked; a top-level `language:` that is not the default language is an error at
/// its line (it would say one thing while the pages say another). With `languages:`, `language`
/// becomes the default language's code.
fn check_languages(
    config: &mut SiteConfig,
    doc: &serde_json::Value,
    text: &str,
    file: &Path,
) -> Result<(), Diagnostic> {
    if config.languages.is_empty() {
        return Ok(());
    }
    let at = |path: &[keys::Step]| match keys::locate(text, path) {
        Some((line, column)) => Location::at(file, line, Some(column)),
        None => Location::file(file),
    };
    let list =
        languages::checked(&config.languages, &config.content_dir).map_err(|(code, e)| {
            let path = [keys::Step::Key("languages".into()), keys::Step::Key(code)];
            Diagnostic::error(Code::Config, at(&path), e)
        })?;
    let default = &list[0];
    if let Some(written) = doc.get("language").and_then(|v| v.as_str()) {
        if !written.eq_ignore_ascii_case(&default.code) {
            return Err(Diagnostic::error(
                Code::Config,
                at(&[keys::Step::Key("language".into())]),
                format!(
                    "language: `{written}` is not the default language of `languages:` (`{}`, the lowest weight); remove `language:` or make it `{}`",
                    default.code, default.code
                ),
            ));
        }
    }
    config.language = default.code.clone();
    if list.len() == 1 {
        // One language listed: the site is that language, with its title, menus and params.
        let own = config.for_language(&list, 0);
        *config = SiteConfig {
            languages: BTreeMap::new(),
            ..own
        };
        if let languages::LanguageContent::Folder(f) = &default.content {
            config.content_dir = format!("{}/{f}", config.content_dir);
        }
    }
    Ok(())
}

pub fn label_warning(text: &str, file: &Path, kind: &str, code: &str, why: String) -> Diagnostic {
    let path = ["labels", kind, code].map(|k| keys::Step::Key(k.into()));
    let at = match keys::locate(text, &path) {
        Some((line, column)) => Location::at(file, line, Some(column)),
        None => Location::file(file),
    };
    Diagnostic::warning(Code::Config, at, format!("labels.{kind}.{code}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_keys_are_absent() {
        let c = SiteConfig::parse("title: 運用ポータル\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.title, "運用ポータル");
        assert_eq!(c.language, "ja");
        assert_eq!(c.taxonomy_names(), vec!["categories", "tags"]);
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let c = SiteConfig::parse(
            "base_url: https://ops.example.jp/portal\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.base_path(), "/portal/");
        assert_eq!(
            c.absolute_url("/sop/"),
            "https://ops.example.jp/portal/sop/"
        );
    }

    #[test]
    fn a_key_the_text_cannot_show_is_still_located() {
        // `?` starts a YAML complex key; here its key is null.
        let (_, w) = SiteConfig::parse_with_warnings("?", Path::new("site.yaml")).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.line, Some(1), "{}", w[0]);
    }

    #[test]
    fn unknown_keys_are_warnings_with_line_and_suggestion() {
        let (_, w) = SiteConfig::parse_with_warnings(
            "title: x\nbase_url: /\nlanguage: ja\ntheme: default\nparams: {}\nemail:\n  our_team: a@example.jp\nour_team_code: 7\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        let said: Vec<String> = w.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            said,
            [
                "site.yaml:7:3: warning: unknown key email.our_team",
                "site.yaml:8:1: warning: unknown key our_team_code",
            ]
        );
        // A map beside a map of names is not taken for its entry when a key of it is not one
        // such an entry has.
        let (_, w) = SiteConfig::parse_with_warnings(
            "title: x\nsla:\n  resolution: {}\n  notes: {within: 8h, owner: ops}\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].to_string(),
            "site.yaml:4:3: warning: unknown key sla.notes"
        );
    }

    #[test]
    fn a_key_indented_under_a_map_of_names_is_said_to_belong_beside_it() {
        let text = "title: x\nsla:\n  response:\n    high: {within: 1h}\n    resolution:\n      high: {within: 8h}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert!(
            e.to_string().ends_with("error: sla.response.resolution: `resolution:` is written under `response:`, where each key names an entry of its own: `resolution` is a key beside `response:` (indent it as `response:` is)"),
            "{e}"
        );
        // An entry of a priority that misses its field is still said as such.
        let text = "title: x\nsla:\n  response:\n    high: {calendar: always}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert!(e.message.ends_with("missing field `within`"), "{e}");
    }

    #[test]
    fn a_key_a_few_letters_from_one_opsite_reads_is_an_error() {
        for (text, said) in [
            (
                "title: x\nrelative_url: true\n",
                "site.yaml:2:1: error: unknown key relative_url (did you mean relative_urls?)",
            ),
            (
                "title: x\ncustmers:\n  - {name: A, slug: a, base_url: /a/}\n",
                "site.yaml:2:1: error: unknown key custmers (did you mean customers?)",
            ),
            (
                "title: x\ncontracts:\n  - name: p\n    customers: \"*\"\n    resolutoin: {critical: {within: 2h}}\n",
                "site.yaml:5:5: error: unknown key contracts[0].resolutoin (did you mean resolution?)",
            ),
            (
                "title: x\nemail:\n  form: a@example.jp\n",
                "site.yaml:3:3: error: unknown key email.form (did you mean from?)",
            ),
            // A target written one indent too far left, beside the map it belongs in.
            (
                "title: x\nsla:\n  resolution:\n    critical: {within: 4h}\n  high:\n    within: 8h\n",
                "site.yaml:5:3: error: unknown key sla.high (it has the form of an entry of sla.response or sla.resolution: indent it under the one meant)",
            ),
            (
                "title: x\ncontracts:\n  - name: p\n    customers: \"*\"\n    high: {within: 8h, calendar: biz}\n",
                "site.yaml:5:5: error: unknown key contracts[0].high (it has the form of an entry of contracts[0].response or contracts[0].resolution: indent it under the one meant)",
            ),
        ] {
            let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
            assert!(e.to_string().starts_with(said), "{e}");
            assert!(e.message.contains("the site would be built without it"), "{e}");
            // `params:` is where a site's own top-level values go; inside an entry it means
            // nothing.
            let key = said.split("unknown key ").nth(1).unwrap_or_default();
            let top_level = !key.split(' ').next().unwrap_or_default().contains(['.', '[']);
            assert_eq!(e.message.contains("under `params:`"), top_level, "{e}");
        }
    }

    #[test]
    fn a_time_zone_with_a_full_width_space_after_it_is_the_zone() {
        let config = SiteConfig::parse(
            "title: x\ntimezone: Asia/Tokyo\u{3000}\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(
            crate::timezone::parse(&config.kpi.timezone),
            Ok(chrono_tz::Asia::Tokyo)
        );
    }

    #[test]
    fn an_unknown_time_zone_is_one_error_at_its_line() {
        let text = "title: x\ntimezone: Asia/Tokio\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(2), "{e}");
        assert_eq!(
            e.message,
            "timezone: `Asia/Tokio` is not a known time zone (e.g. Asia/Tokyo)"
        );
    }

    #[test]
    fn an_entry_missing_several_fields_names_them_all_at_once() {
        let text =
            "title: x\ncontracts: [{name: s, customers: \"*\"}]\ncustomers:\n  - {name: A, slug: a, base_url: /a/}\n  - {name: 南海商事}\n";
        let errors = SiteConfig::parse_with_warnings(text, Path::new("site.yaml")).unwrap_err();
        let said: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].starts_with("site.yaml:5:"), "{said:?}");
        assert!(
            said[0].contains("南海商事: an entry needs a `slug`"),
            "{said:?}"
        );
        assert!(
            said[1].contains("南海商事: an edition needs the `base_url`"),
            "{said:?}"
        );
        // Without a name, what else the entry lacks is said with it.
        let text = "title: x\ncontracts: [{name: s, customers: \"*\"}]\ncustomers:\n  - {}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(
            e.message,
            "customers: an entry needs the customer's `name`, `slug` and `base_url`"
        );
        // One field missing, in two entries: each is said, in one run.
        let text = "title: x\ncontracts: [{name: s, customers: \"*\"}]\ncustomers:\n  - {name: A, base_url: /a/}\n  - {name: B, slug: b}\n";
        let errors = SiteConfig::parse_with_warnings(text, Path::new("site.yaml")).unwrap_err();
        let said: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0].starts_with("site.yaml:4:") && said[0].contains("A: an entry needs a `slug`"),
            "{said:?}"
        );
        assert!(
            said[1].starts_with("site.yaml:5:")
                && said[1].contains("B: an edition needs the `base_url`"),
            "{said:?}"
        );
        // A key that is a typo of the missing field is the cause, and said so.
        let text = "title: x\ncontracts:\n  - {name: std, custmers: \"*\"}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(
            e.message,
            "contracts[0]: `custmers` is not a key here: did you mean `customers`? (`customers` is required)"
        );
    }

    #[test]
    fn type_errors_are_located() {
        let e = SiteConfig::parse("title: x\nrelative_urls: maybe\n", Path::new("site.yaml"))
            .unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert!(e.message.contains("relative_urls"), "{}", e.message);
    }

    #[test]
    fn a_mistyped_first_status_names_what_may_be_written() {
        let text = "data:\n  tickets:\n    files: t.csv\n    columns:\n      responded_at: {first_statuses: [Active]}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(5), "{}", e.message);
        assert!(
            e.message
                .contains("unknown key `first_statuses` (did you mean first_status?)"),
            "{}",
            e.message
        );
        let text = "data:\n  tickets:\n    files: t.csv\n    columns: {id: 2026, responded_at: {first_status: Active}}\n";
        let c = SiteConfig::parse(text, Path::new("site.yaml")).unwrap();
        let t = c.kpi.data.tickets.unwrap();
        assert_eq!(t.column("id"), "2026");
        assert_eq!(t.response_statuses(), Some(&["Active".to_string()][..]));
    }

    #[test]
    fn mistakes_inside_the_kpi_keys_are_located_and_named() {
        let text = "title: x\ndata:\n  tickets:\n    files: t.csv\n    dedupe:\n      keep: lst\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(6), "{}", e.message);
        assert!(
            e.message
                .starts_with("data.tickets.dedupe.keep: unknown value `lst` (did you mean `last`?); one of `first`, `last`"),
            "{}",
            e.message
        );
        // Every alias of a value listed by serde is said once, and the closest is named.
        let text = "data:\n  tickets:\n    files: t.csv\n    preset: servicenw\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(
            e.message,
            "data.tickets.preset: unknown value `servicenw` (did you mean `servicenow`?); one of `redmine`, `servicenow`, `jira`, `zendesk`, `backlog`"
        );
        let text = "data:\n  downtime:\n    files: d.csv\n    covers: {from: 2026/09/01}\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(4), "{}", e.message);
        assert!(
            e.message.starts_with("data.downtime.covers.from"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_yaml_merge_key_is_an_error_at_its_line_not_a_missing_field() {
        let text = "title: x\ncontracts:\n  - &p\n    name: a\n    customers: \"*\"\n  - <<: *p\n    name: b\n";
        let e = SiteConfig::parse(text, Path::new("site.yaml")).unwrap_err();
        assert_eq!((e.location.line, e.location.column), (Some(6), Some(5)));
        assert!(
            e.message.starts_with("contracts[1].<<: YAML merge keys"),
            "{}",
            e.message
        );
    }
}
