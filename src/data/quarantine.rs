//! The limit of a quarantine (`max_quarantined`): rows set aside are a warning with their count
//! and most common reason, and more than the limit is an error, so a setting that misreads a
//! whole column cannot pass as a few bad rows.

use std::collections::BTreeMap;

use super::source::RowProblem;
use super::{Collector, REJECTS_DIR};
use crate::config::kpi::SourceConfig;
use crate::error::{Code, Diagnostic};

impl Collector<'_> {
    /// A quarantine is a warning with its count; more rows than `max_quarantined` (default 1 %
    /// of those read) is an error naming the most common reason and a row that has it: a
    /// setting that misreads a whole column cannot pass as a few bad rows.
    pub(super) fn judge_quarantine(
        &mut self,
        name: &str,
        cfg: &SourceConfig,
        rows: &[&[RowProblem]],
        read: usize,
    ) {
        let default = crate::config::kpi::QuarantineLimit::Written(
            crate::config::kpi::DEFAULT_MAX_QUARANTINED.into(),
        );
        let limit = cfg.max_quarantined.as_ref().unwrap_or(&default);
        let Ok(allowed) = limit.rows(read) else {
            return; // The setting's own error is reported with the settings.
        };
        // The reasons, by column and message (values differ from row to row).
        let mut counts: BTreeMap<(Option<&str>, &str), (usize, &RowProblem)> = BTreeMap::new();
        for p in rows.iter().flat_map(|r| r.iter()) {
            counts
                .entry((p.column.as_deref(), p.message.as_str()))
                .or_insert((0, p))
                .0 += 1;
        }
        let Some((_, (n, example))) = counts
            .iter()
            .max_by_key(|(k, (n, _))| (*n, std::cmp::Reverse(*k)))
        else {
            return;
        };
        let share = 100.0 * rows.len() as f64 / read.max(1) as f64;
        // The reason is the rows' own; the value is one row's (the others' may differ).
        let reason = match &example.column {
            Some(c) => format!("column {c}: {}", example.message),
            None => example.message.clone(),
        };
        let value = (example.value.as_deref())
            .map(|v| format!("{:?} at ", super::cells::for_display(v).0))
            .unwrap_or_default();
        let common = format!(
            "the most common reason ({n} row(s)): {reason} (e.g. {value}{}:{})",
            example.file.display(),
            example.line
        );
        let at = self.config_key(&[
            crate::config::keys::Step::Key("data".into()),
            crate::config::keys::Step::Key(name.into()),
            crate::config::keys::Step::Key("on_error".into()),
        ]);
        if rows.len() > allowed {
            self.errors.push(Diagnostic::error(
                Code::Data,
                at,
                format!(
                    "data.{name}: {} of {read} row(s) quarantined ({share:.1} %), more than max_quarantined {}; {common}. A setting that misreads a column looks like this: fix it, or raise max_quarantined if these rows are really bad",
                    rows.len(),
                    limit.written()
                ),
            ));
        } else {
            self.warnings.push(Diagnostic::warning(
                Code::Data,
                at,
                format!(
                    "data.{name}: {} of {read} row(s) quarantined ({share:.1} %) into {REJECTS_DIR}/{name}.csv; {common}",
                    rows.len()
                ),
            ));
        }
    }
}
