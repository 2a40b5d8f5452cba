//! Known exports, so a standard export needs one line of configuration: `preset: redmine`. A
//! preset fills in what the site did not write: the encoding, the columns of the fields it has
//! not mapped, and the values of `priorities` it has not given.

use crate::config::kpi::{ColumnNames, Encoding, Preset, SourceConfig};

/// Redmine's issue CSV export with Japanese labels (Redmine's `config/locales/ja.yml`):
/// CP932 (`general_csv_encoding`), `#` for the id, field labels `field_created_on` 作成日,
/// `field_closed_on` 終了日, `field_priority` 優先度, `field_subject` 題名,
/// `field_tracker` トラッカー, and the five default priorities. (`field_status` ステータス is
/// not read: no figure takes a ticket's current status.)
mod redmine {
    /// Fields whose column must be in the export (the KPIs need them).
    pub const REQUIRED: [(&str, &str); 4] = [
        ("id", "#"),
        ("opened_at", "作成日"),
        ("resolved_at", "終了日"),
        ("priority", "優先度"),
    ];
    /// Fields read when the export has the column.
    pub const WHEN_PRESENT: [(&str, &str); 2] = [("title", "題名"), ("category", "トラッカー")];
    /// `default_priority_immediate` … `default_priority_low`.
    pub const PRIORITIES: [(&str, &str); 5] = [
        ("今すぐ", "critical"),
        ("急いで", "high"),
        ("高め", "high"),
        ("通常", "medium"),
        ("低め", "low"),
    ];
}

/// The source with its preset's defaults under what the site wrote.
pub fn apply(cfg: &SourceConfig) -> SourceConfig {
    let mut out = cfg.clone();
    match cfg.preset {
        None => {}
        Some(Preset::Redmine) => {
            out.encoding.get_or_insert(Encoding::ShiftJis);
            for (field, column) in redmine::REQUIRED {
                (out.columns.entry(field.into()))
                    .or_insert_with(|| ColumnNames::One(column.into()));
            }
            for (field, column) in redmine::WHEN_PRESENT {
                if !out.columns.contains_key(field) {
                    out.preset_columns.insert(field.into(), column.into());
                }
            }
            let priorities = out.priorities.get_or_insert_with(Default::default);
            for (value, priority) in redmine::PRIORITIES {
                (priorities.entry(value.into())).or_insert_with(|| priority.into());
            }
        }
    }
    out
}
