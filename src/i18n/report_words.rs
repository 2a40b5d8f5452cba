//! The words of the report pages, the status email and the figure shortcodes, in Japanese and
//! English, as one typed struct: a word used in Rust code is checked by the compiler, and
//! templates read the same names (`t.<field>`). The theme's own words are `UiStrings`.

use serde::Serialize;

/// Declares `Words`, one field per word, and its Japanese and English values: a word used in
/// Rust code is checked by the compiler, and templates read the same names (`t.<field>`).
macro_rules! words {
    ($($key:ident: $ja:literal, $en:literal;)*) => {
        /// The words of the report pages, the status email and the figure shortcodes in one
        /// language.
        #[derive(Debug, Serialize)]
        pub struct Words {
            $(pub $key: &'static str,)*
        }

        static JAPANESE: Words = Words { $($key: $ja,)* };
        static ENGLISH: Words = Words { $($key: $en,)* };

        /// How many words there are (each with both languages).
        #[cfg(test)]
        const WORD_COUNT: usize = [$(stringify!($key)),*].len();
    };
}

words! {
    weekly: "週次ステータスレポート", "Weekly status report";
    monthly: "月次KPIレビュー", "Monthly KPI review";
    quarterly: "四半期レビュー", "Quarterly review";
    reports: "レポート", "Reports";
    monthly_document: "月次報告書", "Monthly report";
    weekly_document: "週次報告書", "Weekly report";
    quarterly_document: "四半期報告書", "Quarterly report";
    addressee: "{name} 御中", "Prepared for {name}";
    prepared_by: "作成", "Prepared by";
    contents: "目次", "Contents";
    handbook: "ハンドブック", "Handbook";
    printed_at: "作成日時", "Printed";
    period: "対象期間", "Period";
    as_of: "集計時点", "As of";
    incomplete: "期間途中", "period not complete";
    data_from: "{date} からのデータ", "Data from {date}";
    complete: "確定", "complete";
    summary: "概要", "Summary";
    commentary: "コメント", "Commentary";
    highlights: "ハイライト", "Highlights";
    known_issues: "既知の問題", "Known issues";
    next_steps: "次のアクション", "Next steps";
    services: "サービス稼働状況", "Service status";
    service: "サービス", "Service";
    availability: "稼働率", "Availability";
    downtime: "停止時間", "Downtime";
    error_budget: "エラーバジェット残り", "Error budget left";
    status: "状態", "Status";
    tickets: "チケット", "Tickets";
    opened: "起票", "Opened";
    resolved: "解決", "Resolved";
    backlog: "未解決（期末）", "Backlog (end)";
    previous_week: "前週", "Previous week";
    previous_month: "前月", "Previous month";
    previous_quarter: "前四半期", "Previous quarter";
    change: "増減", "Change";
    sla: "SLA 達成率", "SLA attainment";
    priority: "優先度", "Priority";
    clock: "対象", "Clock";
    response: "初回応答", "Response";
    resolution: "解決", "Resolution";
    attainment: "達成率", "Attainment";
    met: "達成", "Met";
    breached: "違反", "Breached";
    pending: "未確定", "Pending";
    breached_tickets: "SLA 違反チケット", "Tickets that breached their SLA";
    no_breaches: "SLA 違反はありません。", "No SLA breaches.";
    by_customer: "顧客別", "By customer";
    item: "項目", "Item";
    kind_column: "種別", "Kind";
    all_tables: "（このレポートの全表）", "(every table of this report)";
    minutes_unit: "分", "min";
    unit: "単位", "Unit";
    contract: "契約", "Contract";
    edition_link: "顧客版", "Edition";
    sla_counts: "達成率（達成 / 違反 / 未確定）", "attainment (met / breached / pending)";
    no_tickets: "対象期間のチケットはありません。", "No tickets in this period.";
    ticket: "チケット", "Ticket";
    title: "件名", "Title";
    customer: "顧客", "Customer";
    deadline: "期限", "Deadline";
    late_by: "超過", "Late by";
    still_open: "未完了", "still open";
    outages: "障害・停止", "Outages";
    no_outages: "障害・停止はありません。", "No outages.";
    start: "開始", "Start";
    end: "終了", "End";
    ongoing: "継続中", "ongoing";
    planned: "計画停止", "planned";
    unplanned: "計画外", "unplanned";
    maintenance: "定期保守", "scheduled maintenance";
    alerts: "アラート", "Alerts";
    no_alerts: "アラートはありません。", "No alerts.";
    date: "日付", "Date";
    rule: "ルール", "Rule";
    user: "ユーザー", "User";
    value: "値", "Value";
    indicators: "成功指標", "Success indicators";
    indicator: "指標", "Indicator";
    target: "目標", "Target";
    alert: "警告閾値", "Alert";
    status_met: "達成", "met";
    status_warning: "注意", "warning";
    status_breached: "未達", "breached";
    status_no_data: "データなし", "no data";
    better: "改善", "better";
    worse: "悪化", "worse";
    trends: "推移（直近12か月）", "Trends (last 12 months)";
    response_times: "応答・解決時間", "Response and resolution times";
    mtta: "MTTA（平均初回応答時間）", "MTTA (mean time to acknowledge)";
    mttr: "MTTR（平均解決時間）", "MTTR (mean time to resolve)";
    mean: "平均", "Mean";
    count: "件数", "Count";
    volume: "チケット件数", "Ticket volume";
    by_category: "カテゴリ別", "By category";
    by_tier: "対応グループ別", "By tier";
    satisfaction: "顧客満足度", "Customer satisfaction";
    csat: "CSAT（平均）", "CSAT (mean)";
    nps: "NPS", "NPS";
    responses: "回答数", "Responses";
    api: "API 利用状況", "API usage";
    api_calls: "呼び出し数", "Calls";
    api_cost: "コスト", "Cost";
    api_users: "利用ユーザー数", "Active users";
    daily_availability: "日別稼働率", "Daily availability";
    months: "月別", "By month";
    quarter_total: "四半期計", "Quarter";
    sources: "集計に使ったデータ", "Data these figures come from";
    file: "ファイル", "File";
    rows: "行数", "Rows";
    sha256: "SHA-256（先頭12桁）", "SHA-256 (first 12)";
    quarantined: "隔離された行", "Rows quarantined";
    none_quarantined: "隔離された行はありません。", "No rows were quarantined.";
    numbers: "数値", "Numbers";
    latest: "最新のレポート", "Latest reports";
    all_reports: "すべてのレポート", "All reports";
    older: "前の期間", "Earlier";
    newer: "次の期間", "Later";
    no_data: "データなし", "no data";
    rule_calls_spike: "呼び出し急増", "call spike";
    rule_cost_over_budget: "予算超過", "cost over budget";
    rule_user_calls: "大量利用ユーザー", "heavy user";
    frozen: "確定値（凍結済み）", "frozen figures";
    open_critical: "未解決の重大チケット", "Open critical tickets";
    status_of: "運用状況", "Status";
    full_report: "レポート全文", "Full report";
    figures_of_month: "今月の数字", "This month in figures";
    other_values: "その他（{n} 件の値）", "Other ({n} values)";
    unset_value: "未設定（空欄）", "Not set (blank)";
    only_value: "値があるのは {label} のみです: {value}", "Only {label} has a value: {value}";
    unit_days: "日", "days";
    unit_hours: "時間", "hours";
    unit_minutes: "分", "minutes";
    above_axis: "軸の上限 {top} を超える値は上端に描いています（正確な値は数値の表）: {values}", "Values above the axis top of {top} are drawn at the top edge (exact values in the numbers table): {values}";
    status_page: "稼働状況", "System status";
    status_as_of: "{time} 時点", "As of {time}";
    status_all_operational: "すべてのサービスは正常に稼働しています", "All services are operating normally";
    status_some_down: "障害が発生しているサービスがあります", "Some services have an outage";
    status_no_services: "このページに表示するサービスはありません", "There are no services on this page";
    status_some_maintenance: "メンテナンス中のサービスがあります", "Some services are under maintenance";
    state_operational: "正常", "Operational";
    state_maintenance: "メンテナンス中", "Maintenance";
    state_outage: "障害発生中", "Outage";
    uptime_days: "過去 {n} 日間の稼働率", "Uptime over the last {n} days";
    days_ago: "{n} 日前", "{n} days ago";
    today: "今日", "Today";
    day_no_data: "データなし", "No data";
    day_no_outage: "停止なし", "No downtime";
    daily_table: "日別の稼働率と停止（{service}）", "Availability and outages by day ({service})";
    incident_history: "障害・停止の履歴", "Incident history";
    no_incidents: "この {n} 日間に停止はありません。", "No outages in these {n} days.";
    upcoming_maintenance: "予定されているメンテナンス", "Scheduled maintenance";
    no_maintenance: "今後 {n} 日間に予定されたメンテナンスはありません。", "No maintenance is scheduled in the next {n} days.";
    maintenance_all_services: "定期保守の時間帯（全サービス共通）", "Maintenance windows (all services)";
    status_feed: "稼働状況のフィード（Atom）", "Status feed (Atom)";
    status_json: "機械可読の稼働状況（JSON）", "Machine-readable status (JSON)";
    incident_unplanned: "{service}の障害", "{service} outage";
    incident_planned: "{service}の計画停止", "{service} planned maintenance";
    more_outages: "ほか {n} 件", "and {n} more";
    more_incidents: "ほかに {n} 件の停止があります（status.json にすべてあります）。", "{n} more outages are not listed here (status.json has them all).";
    status_page_link: "稼働状況ページ", "Status page";
    times_local: "時刻は {zone}。", "Times are in {zone}.";
    escalation_route: "{services}のエスカレーション経路", "Escalation route for {services}";
    escalation_other_services: "その他のサービス", "other services";
    escalation_level: "レベル", "Level";
    escalation_team: "担当", "Team";
    escalation_hours: "対応時間", "Hours";
    escalation_outside: "時間外の担当", "After hours";
    escalation_after: "次のレベルへ", "Escalate after";
    escalation_contacts: "連絡先", "Contacts";
    escalation_unresolved: "{time}で未解決", "unresolved after {time}";
    escalation_nobody: "なし", "nobody";
    escalation_always: "24 時間 365 日", "24/7";
    escalation_closed_holidays: "祝日・休業日を除く", "closed on holidays";
    escalation_rotation: "当番", "On call";
    escalation_rotation_week: "毎週 {when} 交代", "changes weekly, {when}";
    escalation_rotation_day: "毎日 {when} 交代", "changes daily at {when}";
    escalation_schedule: "当番表", "On-call schedule";
    escalation_turn: "期間", "From – to";
    escalation_member: "当番者", "On call";
    escalation_override: "交代", "Swap";
    escalation_contact_phone: "電話", "Phone";
    escalation_contact_email: "メール", "Email";
    escalation_contact_chat: "チャット", "Chat";
    escalation_contact_url: "Web", "Web";
    escalation_contact_pager: "ポケットベル", "Pager";
    weekdays: "月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun";
    minutes_n: "{n} 分", "{n} min";
    hours_n: "{n} 時間", "{n} h";
    days_n: "{n} 日", "{n} d";
    oncall_title: "今の連絡先", "Who to contact now";
    oncall_as_of: "{time} 時点", "As of {time}";
    oncall_valid_until: "{time} まで有効", "valid until {time}";
    oncall_no_change: "今後 {n} 日間は変わりません", "no change in the next {n} days";
    oncall_until: "{time} まで", "until {time}";
    oncall_outside: "時間外", "outside hours";
    oncall_nobody: "対応時間外（{time} から{team}が対応）", "Nobody at this level now ({team} from {time})";
    oncall_stale: "この連絡先は {time} までの内容です。サイトがそれ以降更新されていないため、今の担当とは異なる場合があります。", "This block was valid until {time} and the site has not been rebuilt since: who is on call now may differ.";
    oncall_no_route: "{service} のエスカレーション経路はありません", "There is no escalation route for {service}";
    below_axis: "軸の下限 {top} を下回る値は下端に描いています（正確な値は数値の表）: {values}", "Values below the axis bottom of {top} are drawn at the bottom edge (exact values in the numbers table): {values}";
}

/// The words of one language: Japanese for `ja…`, English otherwise.
pub fn words(language: &str) -> &'static Words {
    if language.to_ascii_lowercase().starts_with("ja") {
        &JAPANESE
    } else {
        &ENGLISH
    }
}

impl Words {
    /// The short name of a weekday, Monday 0 … Sunday 6 (`weekdays`, one list for the
    /// escalation routes and the calendar charts).
    pub fn weekday(&self, monday_based: usize) -> &'static str {
        self.weekdays.split(' ').nth(monday_based % 7).unwrap_or("")
    }

    /// An API alert rule's name, when it is one of `kpi::api::RULES`.
    pub fn rule(&self, rule: &str) -> Option<&'static str> {
        match rule {
            "calls_spike" => Some(self.rule_calls_spike),
            "cost_over_budget" => Some(self.rule_cost_over_budget),
            "user_calls" => Some(self.rule_user_calls),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alert_rule_has_words() {
        for lang in ["ja", "en"] {
            for rule in crate::kpi::api::RULES {
                assert!(words(lang).rule(rule).is_some(), "{lang} {rule}");
            }
        }
    }

    #[test]
    fn every_word_exists_in_both_languages() {
        for lang in ["ja", "en"] {
            let fields = serde_json::to_value(words(lang)).unwrap();
            let fields = fields.as_object().unwrap();
            assert_eq!(fields.len(), WORD_COUNT, "{lang}: names are unique");
            assert!(fields.values().all(|w| !w.as_str().unwrap().is_empty()));
        }
        assert_eq!(words("en").weekly, "Weekly status report");
        assert_eq!(words("ja").weekly, "週次ステータスレポート");
    }
}
