//! Display names of coded values: a priority is 緊急/高/中/低 on a Japanese site and
//! Critical/High/Medium/Low on an English one, unless `labels:` names it otherwise; a category,
//! tier, service or status is shown as `labels:` names it, else as the export wrote it.

use crate::config::labels::LabelsConfig;
use crate::kpi::tables::Priority;

#[derive(Debug, Clone, Default)]
pub struct Labels {
    config: LabelsConfig,
    japanese: bool,
}

impl Labels {
    pub fn new(config: &LabelsConfig, japanese: bool) -> Labels {
        Labels {
            config: config.clone(),
            japanese,
        }
    }

    pub fn priority(&self, p: Priority) -> String {
        if let Some(name) = self
            .config
            .priority
            .get(p.name())
            .filter(|n| !n.trim().is_empty())
        {
            return name.clone();
        }
        let (ja, en) = match p {
            Priority::Critical => ("緊急", "Critical"),
            Priority::High => ("高", "High"),
            Priority::Medium => ("中", "Medium"),
            Priority::Low => ("低", "Low"),
        };
        (if self.japanese { ja } else { en }).to_string()
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
