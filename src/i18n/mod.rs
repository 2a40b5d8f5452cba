//! Every word opsite prints, in the site's language (Japanese first, English too), as typed
//! structs: the theme's (`UiStrings`) and the reports', charts' and email's
//! (`report_words::Words`). Below every module that prints words (render, versions, reports, email), so each takes them from here.

pub mod labels;
pub mod periods;
pub mod report_words;
pub mod site_words;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct UiStrings {
    pub lang: &'static str,
    pub home: &'static str,
    pub toc: &'static str,
    pub navigation: &'static str,
    pub menu: &'static str,
    pub prev: &'static str,
    pub next: &'static str,
    pub tags: &'static str,
    pub categories: &'static str,
    pub pages: &'static str,
    pub sections: &'static str,
    pub updated: &'static str,
    pub published: &'static str,
    pub owner: &'static str,
    pub reviewed: &'static str,
    pub review_by: &'static str,
    pub review_overdue: &'static str,
    pub reading_time: &'static str,
    pub minutes: &'static str,
    pub not_found_title: &'static str,
    pub latest_reports: &'static str,
    pub latest_release: &'static str,
    pub version: &'static str,
    /// The banner on a page of an older version, and its link to the latest (`{version}`: the
    /// version's name).
    pub version_older: &'static str,
    pub version_see_latest: &'static str,
    /// The banner's link when the page is not in the latest version.
    pub version_latest_home: &'static str,
    /// Marks the latest version in the switcher.
    pub version_latest_tag: &'static str,
    /// The language switcher's name (for screen readers).
    pub language: &'static str,
    /// A switcher entry whose language lacks this page: where it goes instead.
    pub language_home: &'static str,
    /// The header menu's folded entries.
    pub menu_more: &'static str,
    pub month_in_figures: &'static str,
    pub subscribe_feed: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub redirecting: &'static str,
    /// The alerts' index (`/runbooks/alerts/`): title, lead, column heads.
    pub alerts_title: &'static str,
    pub alerts_intro: &'static str,
    pub alert: &'static str,
    pub runbook: &'static str,
    pub alert_address: &'static str,
    pub skip_to_content: &'static str,
    pub all_terms: &'static str,
    pub note: &'static str,
    pub tip: &'static str,
    pub important: &'static str,
    pub warning: &'static str,
    pub caution: &'static str,
    /// The link after a cut navigation list; `{n}` is the number left out.
    pub more_pages: &'static str,
    pub task_done: &'static str,
    pub task_open: &'static str,
    /// Print footer: where the printed page lives.
    pub printed_from: &'static str,
    pub footnotes: &'static str,
    pub footnote_back: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub search_section: &'static str,
    pub search_all: &'static str,
    /// `{n}`: the number of pages found.
    pub search_results: &'static str,
    /// `{q}`: the query.
    pub search_none: &'static str,
    pub search_more: &'static str,
    pub search_loading: &'static str,
    /// The search page opened from a file (`file://`), where browsers refuse the index.
    pub search_needs_server: &'static str,
    pub search_failed: &'static str,
    pub search_needs_js: &'static str,
    /// The page's links to its source (`repository:`) and its last commit's author.
    pub edit_page: &'static str,
    pub report_problem: &'static str,
    /// The new issue's title (`{title}`: the page's).
    pub report_title: &'static str,
    /// After the date of a page's last commit (`{name}`: its author).
    pub updated_by: &'static str,
    /// The copy button on code blocks, and what it says after a click.
    pub copy_code: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
}

const JA: UiStrings = UiStrings {
    lang: "ja",
    home: "ホーム",
    toc: "このページの内容",
    navigation: "ナビゲーション",
    menu: "メニュー",
    prev: "前へ",
    next: "次へ",
    tags: "タグ",
    categories: "カテゴリー",
    pages: "ページ",
    sections: "セクション",
    updated: "更新日",
    published: "公開日",
    owner: "担当",
    reviewed: "最終レビュー",
    review_by: "次回レビュー期限",
    review_overdue: "レビュー期限を過ぎています",
    reading_time: "読了目安",
    minutes: "分",
    not_found_title: "ページが見つかりません",
    latest_reports: "最新のレポート",
    latest_release: "最新リリース",
    version: "バージョン",
    version_older: "これは古いバージョン（{version}）のページです。",
    version_see_latest: "最新版（{version}）のこのページを見る",
    version_latest_home: "このページは最新版（{version}）にはありません。最新版のホームを見る",
    version_latest_tag: "最新",
    language: "言語",
    language_home: "この言語にはこのページがありません。ホームに移動します",
    menu_more: "その他",
    month_in_figures: "数字で見る",
    subscribe_feed: "Atom フィードで購読",
    not_found_text: "お探しのページは移動または削除された可能性があります。",
    back_home: "ホームへ戻る",
    redirecting: "移動しています…",
    alerts_title: "アラート別ランブック",
    alerts_intro: "監視のアラートと、その対応手順（ランブック）の対応表です。アラートごとのアドレスは、そのランブックへ移動します（アラートの runbook_url に使えます）。",
    alert: "アラート",
    runbook: "ランブック",
    alert_address: "アラートのアドレス",
    skip_to_content: "本文へ移動",
    all_terms: "一覧",
    note: "注記",
    tip: "ヒント",
    important: "重要",
    warning: "警告",
    caution: "注意",
    more_pages: "ほか {n} ページ",
    task_done: "完了",
    task_open: "未完了",
    printed_from: "この文書の最新版",
    footnotes: "脚注",
    footnote_back: "本文へ戻る",
    search: "検索",
    search_placeholder: "サイト内を検索",
    search_section: "セクション",
    search_all: "すべて",
    search_results: "{n} 件",
    search_none: "「{q}」に一致するページはありません。言葉を短くするか、別の言い方でお試しください。",
    search_more: "さらに表示",
    search_loading: "検索しています…",
    search_needs_server: "このページはファイルとして開かれているため、ブラウザーが検索インデックスを読み込めません。サイトを Web サーバーから開いてください（例: opsite serve、または output フォルダーで python3 -m http.server）。",
    search_failed: "検索インデックスを読み込めませんでした。",
    search_needs_js: "検索には JavaScript が必要です。",
    edit_page: "このページを編集",
    report_problem: "問題を報告",
    report_title: "ページの問題: {title}",
    updated_by: "（更新者: {name}）",
    copy_code: "コピー",
    copied: "コピーしました",
    copy_failed: "コピーできませんでした",
};

const EN: UiStrings = UiStrings {
    lang: "en",
    home: "Home",
    toc: "On this page",
    navigation: "Navigation",
    menu: "Menu",
    prev: "Previous",
    next: "Next",
    tags: "Tags",
    categories: "Categories",
    pages: "Pages",
    sections: "Sections",
    updated: "Updated",
    published: "Published",
    owner: "Owner",
    reviewed: "Last reviewed",
    review_by: "Review by",
    review_overdue: "Review is overdue",
    reading_time: "Reading time",
    minutes: "min",
    not_found_title: "Page not found",
    latest_reports: "Latest reports",
    latest_release: "Latest release",
    version: "Version",
    version_older: "You are reading an older version ({version}) of this page.",
    version_see_latest: "See this page in the latest version ({version})",
    version_latest_home: "This page is not in the latest version ({version}). Go to its home page",
    version_latest_tag: "latest",
    language: "Language",
    language_home: "This page is not available in this language; goes to its home page",
    menu_more: "More",
    month_in_figures: "In figures:",
    subscribe_feed: "Subscribe (Atom feed)",
    not_found_text: "The page you are looking for may have moved or been removed.",
    back_home: "Back to the home page",
    redirecting: "Redirecting…",
    alerts_title: "Runbooks by alert",
    alerts_intro: "Each monitoring alert and the runbook that answers it. An alert's own address redirects to its runbook (use it as the alert's runbook_url).",
    alert: "Alert",
    runbook: "Runbook",
    alert_address: "Alert address",
    skip_to_content: "Skip to content",
    all_terms: "All",
    note: "Note",
    tip: "Tip",
    important: "Important",
    warning: "Warning",
    caution: "Caution",
    more_pages: "{n} more pages",
    task_done: "done",
    task_open: "not done",
    printed_from: "Latest version of this document",
    footnotes: "Footnotes",
    footnote_back: "Back to the text",
    search: "Search",
    search_placeholder: "Search this site",
    search_section: "Section",
    search_all: "All",
    search_results: "{n} results",
    search_none: "No pages match “{q}”. Try a shorter word or another way of saying it.",
    search_more: "Show more",
    search_loading: "Searching…",
    search_needs_server: "This page was opened as a file, so the browser will not load the search index. Open the site from a web server (for example opsite serve, or python3 -m http.server in the output folder).",
    search_failed: "The search index could not be loaded.",
    search_needs_js: "Search needs JavaScript.",
    edit_page: "Edit this page",
    report_problem: "Report a problem",
    report_title: "Problem with page: {title}",
    updated_by: " (by {name})",
    copy_code: "Copy",
    copied: "Copied",
    copy_failed: "Could not copy",
};

impl UiStrings {
    /// Japanese for `ja` (and `ja-JP` …), English for every other language (site.yaml warns
    /// when the language is neither).
    pub fn for_language(language: &str) -> &'static UiStrings {
        if language.to_ascii_lowercase().starts_with("ja") {
            &JA
        } else {
            &EN
        }
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
