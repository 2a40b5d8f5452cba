//! Display names of coded values: a priority is named in the site's language (its file's
//! `priority_*` words), unless `labels:` names it otherwise; a category,
//! tier, service or status is shown as `labels:` names it, else as the export wrote it.

use super::Lang;
use crate::config::labels::LabelsConfig;

#[derive(Debug, Clone)]
pub struct Labels {
    config: LabelsConfig,
    lang: Lang,
}

impl Labels {
    pub fn new(config: &LabelsConfig, lang: Lang) -> Labels {
        Labels {
            config: config.clone(),
            lang,
        }
    }

    /// A priority level by its key (`critical`, `p5`): as `labels.priority` names it, else
    /// the language's word for one of the four default keys, else the key itself.
    pub fn priority(&self, key: &str) -> String {
        // Level keys are read in any case (`P1:` labels `p1`), as in `priorities` and `sla`.
        let named = (self.config.priority.iter())
            .find(|(k, n)| k.eq_ignore_ascii_case(key) && !n.trim().is_empty());
        if let Some((_, name)) = named {
            return name.clone();
        }
        let t = &self.lang.vocabulary().report;
        match key {
            "critical" => t.priority_critical,
            "high" => t.priority_high,
            "medium" => t.priority_medium,
            "low" => t.priority_low,
            other => other,
        }
        .to_string()
    }

    pub fn category(&self, code: &str) -> String {
        named(&self.config.category, code)
    }

    pub fn tier(&self, code: &str) -> String {
        named(&self.config.tier, code)
    }

    pub fn service(&self, code: &str) -> String {
        named(&self.config.service, code)
    }

    pub fn status(&self, code: &str) -> String {
        named(&self.config.status, code)
    }
}

fn named(names: &std::collections::BTreeMap<String, String>, code: &str) -> String {
    // An empty label names nothing: the code is shown.
    (names.get(code))
        .filter(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| code.to_string())
}
