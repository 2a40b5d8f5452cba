//! Loaded exports kept between builds of one process (the preview server rebuilds on every
//! save): a new load happens only when the data settings or a matched file's path, size or
//! modification time changed (holiday files too). Failed loads are not kept, so their messages
//! repeat until fixed. A new load goes through `stored`, the load kept between runs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::Loaded;
use crate::config::kpi::KpiConfig;
use crate::error::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
struct CacheKey {
    /// The settings that shape loading (all of `KpiConfig`: sources, time zone, contracts,
    /// priority levels, the editions' customers).
    settings: String,
    files: Vec<(PathBuf, u64, Option<SystemTime>)>,
}

impl CacheKey {
    fn of(root: &Path, config: &KpiConfig) -> CacheKey {
        let files = (super::stored::input_files(root, config).unwrap_or_default())
            .into_iter()
            .map(|rel| {
                let meta = std::fs::metadata(root.join(&rel)).ok();
                let len = meta.as_ref().map_or(0, |m| m.len());
                (rel, len, meta.and_then(|m| m.modified().ok()))
            })
            .collect();
        CacheKey {
            settings: format!("{config:?}"),
            files,
        }
    }
}

/// The last successful load and what it was loaded from.
#[derive(Default)]
pub struct DataCache {
    slot: Mutex<Option<(CacheKey, Arc<Loaded>)>>,
}

impl DataCache {
    /// The exports, loaded again only when something they depend on changed.
    pub fn load(&self, root: &Path, config: &KpiConfig) -> Result<Arc<Loaded>, Vec<Diagnostic>> {
        let key = CacheKey::of(root, config);
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((k, loaded)) = slot.as_ref() {
            if *k == key {
                return Ok(Arc::clone(loaded));
            }
        }
        let loaded = super::stored::load(root, config)?;
        *slot = Some((key, Arc::clone(&loaded)));
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    const CONFIG: &str = r#"
timezone: Asia/Tokyo
data:
  tickets:
    files: data/tickets.csv
calendars:
  business:
    hours: {mon: "09:00-18:00"}
    holidays: data/holidays.csv
"#;

    #[test]
    fn a_holiday_file_or_the_priority_levels_changed_are_loaded_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", CONFIG);
        write(
            "data/tickets.csv",
            "id,priority,opened_at\nA,critical,2026-11-02 10:00\n",
        );
        write("data/holidays.csv", "date\n2026-11-03\n");
        let cache = DataCache::default();
        let config = |text: &str| {
            write("site.yaml", text);
            SiteConfig::load(root).unwrap().0.kpi
        };
        let first = cache.load(root, &config(CONFIG)).unwrap();
        let again = cache.load(root, &config(CONFIG)).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "nothing changed: not loaded again"
        );
        write("data/holidays.csv", "date\n2026-11-03\n2026-11-24\n");
        let holidays = cache.load(root, &config(CONFIG)).unwrap();
        assert_eq!(holidays.data.holiday_files["data/holidays.csv"].len(), 2);
        let reversed = format!("priority_levels: [low, medium, high, critical]\n{CONFIG}");
        let levels = cache.load(root, &config(&reversed)).unwrap();
        assert_eq!(
            levels.data.tickets.priority[0].0, 3,
            "critical is now the fourth level"
        );
    }
}
