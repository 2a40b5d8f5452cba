//! Known exports, so a standard export needs one line of configuration: `preset: redmine`. A
//! preset fills in what the site did not write: the encoding, the columns of the fields it has
//! not mapped, the values of `priorities` it has not given, the timestamp format, and `dedupe`
//! (the latest row of a ticket that several exports repeat). Where each name comes from is said
//! beside it; what could not be confirmed from the product's documentation is said in README.

use crate::config::kpi::{ColumnNames, Dedupe, Encoding, Keep, Preset, SourceConfig};

/// One product's standard ticket export.
struct Spec {
    encoding: Encoding,
    /// Fields whose column must be in the export (the KPIs need them); the columns after the
    /// first are fallbacks read when present, the first non-empty one wins.
    required: &'static [(&'static str, &'static [&'static str])],
    /// Fields read when the export has the column.
    when_present: &'static [(&'static str, &'static str)],
    /// Export value → canonical priority.
    priorities: &'static [(&'static str, &'static str)],
    timestamp_format: Option<&'static str>,
    /// The column that orders one ticket's rows (latest kept), read when present.
    latest_by: Option<&'static str>,
}

/// Redmine's issue CSV export with Japanese labels (Redmine's `config/locales/ja.yml`):
/// CP932 (`general_csv_encoding`), `#` for the id, field labels `field_created_on` 作成日,
/// `field_closed_on` 終了日, `field_priority` 優先度, `field_subject` 題名,
/// `field_tracker` トラッカー, and the five default priorities. (`field_status` ステータス is
/// not read: no figure takes a ticket's current status.)
const REDMINE: Spec = Spec {
    encoding: Encoding::ShiftJis,
    required: &[
        ("id", &["#"]),
        ("opened_at", &["作成日"]),
        ("resolved_at", &["終了日"]),
        ("priority", &["優先度"]),
    ],
    when_present: &[("title", "題名"), ("category", "トラッカー")],
    priorities: &[
        ("今すぐ", "critical"),
        ("急いで", "high"),
        ("高め", "high"),
        ("通常", "medium"),
        ("低め", "low"),
    ],
    timestamp_format: None,
    latest_by: Some("更新日"),
};

/// ServiceNow's list export (`incident_list.do?CSV`, or Export > CSV): headers are field names
/// (`glide.export.csv.column_header_label` false), values display values, so priority reads
/// `1 - Critical` … `5 - Planning`; times in the system format `yyyy-MM-dd HH:mm:ss`, read
/// without a format. A closed incident may have no `resolved_at`: `closed_at` stands in.
/// The encoding is UTF-8 here: instances with Japanese text set `glide.export.csv.charset` to
/// UTF-8; ServiceNow's own default is Windows-1252 (`encoding: windows-1252`).
const SERVICENOW: Spec = Spec {
    encoding: Encoding::Utf8,
    required: &[
        ("id", &["number"]),
        ("opened_at", &["opened_at"]),
        ("resolved_at", &["resolved_at", "closed_at"]),
        ("priority", &["priority"]),
    ],
    when_present: &[("title", "short_description"), ("category", "category")],
    priorities: &[
        ("1 - Critical", "critical"),
        ("2 - High", "high"),
        ("3 - Moderate", "medium"),
        ("4 - Low", "low"),
        ("5 - Planning", "low"),
    ],
    timestamp_format: None,
    latest_by: Some("sys_mod_count"),
};

/// Jira's Export > CSV (all fields or current fields): `Issue key`, `Summary`, `Issue Type`,
/// `Priority`, `Created`, `Resolved`, `Updated`; times in Jira's default `dd/MMM/yy h:mm a`
/// (`24/Oct/26 9:05 AM`); the default priorities of today (Highest … Lowest) and of older
/// schemes (Blocker … Trivial), top to bottom onto critical, high, medium, low.
const JIRA: Spec = Spec {
    encoding: Encoding::Utf8,
    required: &[
        ("id", &["Issue key"]),
        ("opened_at", &["Created"]),
        ("resolved_at", &["Resolved"]),
        ("priority", &["Priority"]),
    ],
    when_present: &[("title", "Summary"), ("category", "Issue Type")],
    priorities: &[
        ("Highest", "critical"),
        ("High", "high"),
        ("Medium", "medium"),
        ("Low", "low"),
        ("Lowest", "low"),
        ("Blocker", "critical"),
        ("Critical", "high"),
        ("Major", "medium"),
        ("Minor", "low"),
        ("Trivial", "low"),
    ],
    timestamp_format: Some("%d/%b/%y %I:%M %p"),
    latest_by: Some("Updated"),
};

/// Zendesk Support's ticket export (Admin Center > Reports > Export, CSV): `Id`, `Subject`,
/// `Priority`, `Ticket type`, `Created at`, `Solved at`, `Updated at`; priorities Urgent, High,
/// Normal, Low. (Its `First reply time in minutes` is a duration, not a time: not read.)
const ZENDESK: Spec = Spec {
    encoding: Encoding::Utf8,
    required: &[
        ("id", &["Id"]),
        ("opened_at", &["Created at"]),
        ("resolved_at", &["Solved at"]),
        ("priority", &["Priority"]),
    ],
    when_present: &[("title", "Subject"), ("category", "Ticket type")],
    priorities: &[
        ("Urgent", "critical"),
        ("urgent", "critical"),
        ("High", "high"),
        ("high", "high"),
        ("Normal", "medium"),
        ("normal", "medium"),
        ("Low", "low"),
        ("low", "low"),
    ],
    timestamp_format: None,
    latest_by: Some("Updated at"),
};

/// Backlog's issue list CSV with Japanese labels: キー (`PROJ-12`), 件名, 種別, 優先度,
/// 登録日, 更新日; priorities 高, 中, 低. Backlog's export has no completion time: `resolved_at`
/// is the site's to map (a custom attribute), or the tickets stay open in the figures.
const BACKLOG: Spec = Spec {
    encoding: Encoding::ShiftJis,
    required: &[
        ("id", &["キー"]),
        ("opened_at", &["登録日"]),
        ("priority", &["優先度"]),
    ],
    when_present: &[("title", "件名"), ("category", "種別")],
    priorities: &[("高", "high"), ("中", "medium"), ("低", "low")],
    timestamp_format: None,
    latest_by: Some("更新日"),
};

fn spec(preset: Preset) -> &'static Spec {
    match preset {
        Preset::Redmine => &REDMINE,
        Preset::ServiceNow => &SERVICENOW,
        Preset::Jira => &JIRA,
        Preset::Zendesk => &ZENDESK,
        Preset::Backlog => &BACKLOG,
    }
}

/// A value of the preset's export whose level the site does not have (the site must map the
/// export's values itself), if any.
fn misfit(spec: &Spec, levels: &crate::kpi::tables::PriorityLevels) -> Option<&'static str> {
    (spec.priorities.iter())
        .find(|(_, level)| levels.parse(level).is_none())
        .map(|(value, _)| *value)
}

/// With a preset whose priority values map to levels the site does not have: an export value
/// to show in the message.
pub(super) fn priorities_misfit(
    preset: crate::config::kpi::Preset,
    levels: &crate::kpi::tables::PriorityLevels,
) -> Option<&'static str> {
    misfit(spec(preset), levels)
}

/// The source with its preset's defaults under what the site wrote.
/// The preset's priority values map to the default levels: with other levels they are left
/// out (the site maps its export's values itself).
pub fn apply(cfg: &SourceConfig, levels: &crate::kpi::tables::PriorityLevels) -> SourceConfig {
    let mut out = cfg.clone();
    let Some(spec) = cfg.preset.map(spec) else {
        return out;
    };
    let fill = &mut out.preset_fill;
    if out.encoding.is_none() {
        out.encoding = Some(spec.encoding);
        fill.encoding = true;
    }
    for (field, columns) in spec.required {
        if out.columns.contains_key(*field) {
            continue;
        }
        let names = match columns {
            [one] => ColumnNames::One(one.to_string()),
            many => ColumnNames::Fallbacks(many.iter().map(|c| c.to_string()).collect()),
        };
        out.columns.insert(field.to_string(), names);
        fill.fields.insert(field.to_string());
        if columns.len() > 1 {
            (fill.optional_columns).extend(columns.iter().map(|c| c.to_string()));
        }
    }
    for (field, column) in spec.when_present {
        if !out.columns.contains_key(*field) {
            (fill.when_present).insert(field.to_string(), column.to_string());
        }
    }
    if misfit(spec, levels).is_none() {
        let priorities = out.priorities.get_or_insert_with(Default::default);
        for (value, priority) in spec.priorities {
            (priorities.entry(value.to_string())).or_insert_with(|| priority.to_string());
        }
    }
    if out.timestamp_format.is_none() {
        out.timestamp_format = spec.timestamp_format.map(str::to_string);
    }
    if let (None, Some(by)) = (&out.dedupe, spec.latest_by) {
        out.dedupe = Some(Dedupe {
            keep: Keep::Last,
            by: Some(by.to_string()),
        });
        fill.dedupe = true;
        fill.optional_columns.insert(by.to_string());
    }
    out
}

/// A preset whose export has no completion time (Backlog's) leaves `resolved_at` to the site:
/// until it is mapped every ticket counts as open, which is said rather than published.
pub fn unmapped_resolution(cfg: &SourceConfig) -> Option<String> {
    let preset = cfg.preset?;
    let has = spec(preset)
        .required
        .iter()
        .any(|(f, _)| *f == "resolved_at");
    (!has && !cfg.is_mapped("resolved_at")).then(|| {
        format!(
            "data.tickets: `preset: {}` has no completion time (the export has none), so every ticket counts as open and every resolution clock runs on; map the column that holds it: `columns: {{resolved_at: 完了日}}`",
            preset.name()
        )
    })
}
