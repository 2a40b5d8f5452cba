//! Every word a reader sees, and how dates and periods are written, in the site's language:
//! one file of words per language (`src/i18n/<code>.yaml`, embedded in the binary; a third
//! language is a third file), read into typed structs so a word used in Rust code is checked by
//! the compiler and templates read the same names. One `Lang` says which file a page, report,
//! mail or workbook takes its words from. Below every module that prints words (render,
//! versions, reports, email), so each takes them from here.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

/// Declares a struct of words, one `&'static str` field per name, filled from one section of a
/// language's file: every name must be there and no other (a test reads every file).
macro_rules! word_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $key:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Serialize)]
        pub struct $name {
            $($(#[$fmeta])* pub $key: &'static str,)*
        }

        impl $name {
            /// The words of one section of a language's file.
            pub(crate) fn from_section(
                section: &str,
                mut map: std::collections::BTreeMap<String, String>,
            ) -> Result<$name, String> {
                let out = $name {
                    $($key: $crate::i18n::take_word(&mut map, section, stringify!($key))?,)*
                };
                match map.keys().next() {
                    Some(extra) => Err(format!("{section}.{extra}: not a word opsite has")),
                    None => Ok(out),
                }
            }
        }
    };
}

pub mod formats;
pub mod labels;
pub mod periods;
pub mod report_words;
pub mod site_words;

pub use formats::Formats;
pub use report_words::Words;

use crate::word_files::{primary, FILES};

/// The language of a page, report, mail or workbook: which file of words it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(usize);

/// The file taken for a language opsite has no file for.
const FALLBACK: &str = "en";

impl Lang {
    /// The language of a tag (`ja`, `ja-JP`, `en-US`, `zh-Hant-TW`): the file named by its first
    /// part, case aside; English for a language without a file (site.yaml warns of such a
    /// language).
    pub fn of(tag: &str) -> Lang {
        let primary = primary(tag);
        let find = |code: &str| FILES.iter().position(|(c, _)| *c == code);
        Lang(
            find(&primary)
                .or_else(|| find(FALLBACK))
                .expect("the fallback language has a file"),
        )
    }

    /// The code of the file (`ja`, `en`).
    pub fn code(self) -> &'static str {
        FILES[self.0].0
    }

    /// Whether this is Japanese: the one place that asks.
    pub fn is_japanese(self) -> bool {
        self.code() == "ja"
    }

    /// The language's words, read from its file once.
    pub fn vocabulary(self) -> &'static Vocabulary {
        static READ: OnceLock<Vec<Vocabulary>> = OnceLock::new();
        let all = READ.get_or_init(|| {
            FILES
                .iter()
                .map(|(code, text)| {
                    Vocabulary::parse(text).unwrap_or_else(|e| panic!("src/i18n/{code}.yaml: {e}"))
                })
                .collect()
        });
        &all[self.0]
    }

    /// Every language opsite has words for.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..FILES.len()).map(Lang)
    }
}

/// A language's name in the switcher: the one `languages.<code>.name` gives, else its own name
/// for itself (日本語, English, 中文 …), else its code.
pub fn language_name(code: &str, configured: Option<&str>) -> String {
    if let Some(name) = configured {
        return name.to_string();
    }
    let primary = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
    let own = match primary.as_str() {
        "ja" => "日本語",
        "en" => "English",
        "zh" => "中文",
        "ko" => "한국어",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        _ => return code.to_string(),
    };
    own.to_string()
}

/// One language's words: the theme's, the reports' (pages, charts, mails, PDFs, workbooks), and
/// how dates and periods are written.
#[derive(Debug)]
pub struct Vocabulary {
    pub ui: UiStrings,
    pub report: Words,
    pub formats: Formats,
}

impl Vocabulary {
    /// A language's file: its three sections, each with every word and no other.
    fn parse(text: &str) -> Result<Vocabulary, String> {
        let mut sections: BTreeMap<String, BTreeMap<String, String>> =
            serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut section = |name: &str| {
            sections
                .remove(name)
                .ok_or_else(|| format!("`{name}:` is missing"))
        };
        let v = Vocabulary {
            ui: UiStrings::from_section("ui", section("ui")?)?,
            report: Words::from_section("report", section("report")?)?,
            formats: Formats::from_section("formats", section("formats")?)?,
        };
        match sections.keys().next() {
            Some(extra) => Err(format!("`{extra}:` is not a section opsite reads")),
            None => Ok(v),
        }
    }
}

/// A word of a section, kept for the life of the program (each file is read once).
pub(crate) fn take_word(
    map: &mut BTreeMap<String, String>,
    section: &str,
    key: &str,
) -> Result<&'static str, String> {
    match map.remove(key) {
        Some(w) => Ok(Box::leak(w.into_boxed_str())),
        None => Err(format!("{section}.{key} is missing")),
    }
}

word_list! {
    /// The theme's words (templates read them as `ui.<key>`).
    UiStrings {
    lang,
    home,
    toc,
    navigation,
    menu,
    prev,
    next,
    tags,
    categories,
    pages,
    sections,
    updated,
    published,
    owner,
    reviewed,
    review_by,
    review_overdue,
    reading_time,
    minutes,
    not_found_title,
    latest_reports,
    latest_release,
    version,
    /// The banner on a page of an older version, and its link to the latest (`{version}`: the
    /// version's name).
    version_older,
    version_see_latest,
    /// The banner's link when the page is not in the latest version.
    version_latest_home,
    /// Marks the latest version in the switcher.
    version_latest_tag,
    /// The language switcher's name (for screen readers).
    language,
    /// A switcher entry whose language lacks this page: where it goes instead.
    language_home,
    /// The header menu's folded entries.
    menu_more,
    month_in_figures,
    subscribe_feed,
    not_found_text,
    back_home,
    redirecting,
    /// The alerts' index (`/runbooks/alerts/`): title, lead, column heads.
    alerts_title,
    alerts_intro,
    alert,
    runbook,
    alert_address,
    skip_to_content,
    all_terms,
    note,
    tip,
    important,
    warning,
    caution,
    /// The link after a cut navigation list; `{n}` is the number left out.
    more_pages,
    task_done,
    task_open,
    /// Print footer: where the printed page lives.
    printed_from,
    footnotes,
    footnote_back,
    search,
    search_placeholder,
    search_section,
    search_all,
    /// `{n}`: the number of pages found.
    search_results,
    /// `{q}`: the query.
    search_none,
    search_more,
    search_loading,
    /// The search page opened from a file (`file://`), where browsers refuse the index.
    search_needs_server,
    search_failed,
    search_needs_js,
    /// The page's links to its source (`repository:`) and its last commit's author.
    edit_page,
    report_problem,
    /// The new issue's title (`{title}`: the page's).
    report_title,
    /// After the date of a page's last commit (`{name}`: its author).
    updated_by,
    /// The copy button on code blocks, and what it says after a click.
    copy_code,
    copied,
    copy_failed,
    }
}

impl UiStrings {
    /// The theme's words in `language` (a tag: `ja`, `en-US`): see `Lang::of`.
    pub fn for_language(language: &str) -> &'static UiStrings {
        &Lang::of(language).vocabulary().ui
    }

    /// Default title of a GitHub-style alert (`[!NOTE]` …).
    /// Text the Markdown stage puts into pages: default callout titles by kind, and the labels of
    /// task-list checkboxes (`task-done`, `task-open`).
    pub fn markdown_text(&self, key: &str) -> Option<String> {
        let s = match key.to_ascii_lowercase().as_str() {
            "note" | "info" => self.note,
            "tip" => self.tip,
            "important" => self.important,
            "warning" => self.warning,
            "caution" | "danger" => self.caution,
            "task-done" => self.task_done,
            "task-open" => self.task_open,
            "footnotes" => self.footnotes,
            "footnote-back" => self.footnote_back,
            // The page's language (diagram labels for screen readers).
            "lang" => self.lang,
            _ => return None,
        };
        Some(s.to_string())
    }

    /// Label of a taxonomy in the UI.
    pub fn taxonomy_label(&self, plural: &str) -> String {
        match plural {
            "tags" => self.tags.into(),
            "categories" => self.categories.into(),
            other => other.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_has_every_word_and_no_other() {
        for lang in Lang::all() {
            let v = lang.vocabulary();
            for (name, value) in [
                ("ui", serde_json::to_value(&v.ui).unwrap()),
                ("report", serde_json::to_value(&v.report).unwrap()),
                ("formats", serde_json::to_value(&v.formats).unwrap()),
            ] {
                for (key, word) in value.as_object().unwrap() {
                    assert!(
                        !word.as_str().unwrap().is_empty(),
                        "{}: {name}.{key} is empty",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn a_tag_takes_the_file_of_its_language_else_english() {
        assert_eq!(Lang::of("ja-JP").code(), "ja");
        assert_eq!(Lang::of("JA").code(), "ja");
        assert_eq!(Lang::of("en-US").code(), "en");
        assert_eq!(Lang::of("zh-Hant-TW").code(), "en");
        assert!(Lang::of("ja").is_japanese() && !Lang::of("fr").is_japanese());
        assert_eq!(UiStrings::for_language("ja").home, "ホーム");
        assert_eq!(UiStrings::for_language("en").home, "Home");
    }

    #[test]
    fn a_missing_or_unknown_word_names_itself() {
        let ja = FILES.iter().find(|(c, _)| *c == "ja").unwrap().1;
        let missing = ja.replacen("  home: ", "  homme: ", 1);
        let e = Vocabulary::parse(&missing).unwrap_err();
        assert!(e.contains("ui.home is missing"), "{e}");
        let unknown = format!("{ja}\nextra: {{a: b}}\n");
        assert!(Vocabulary::parse(&unknown)
            .unwrap_err()
            .contains("`extra:`"));
    }
}
