//! Loaded exports kept between builds of one process (the preview server rebuilds on every
//! save): a new load happens only when the data settings or a matched file's path, size or
//! modification time changed. Failed loads are not kept, so their messages repeat until fixed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::{load, read, Loaded};
use crate::config::kpi::KpiConfig;
use crate::error::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq)]
struct CacheKey {
    /// The settings that shape loading (sources, time zone, contracts).
    settings: String,
    files: Vec<(PathBuf, u64, Option<SystemTime>)>,
}

impl CacheKey {
    fn of(root: &Path, config: &KpiConfig) -> CacheKey {
        let d = &config.data;
        let sources = [
            &d.tickets,
            &d.ticket_events,
            &d.downtime,
            &d.surveys,
            &d.api_usage,
        ]
        .into_iter()
        .flatten()
        .chain(d.metrics.iter());
        let mut files = Vec::new();
        for s in sources {
            for rel in read::resolve(root, s).unwrap_or_default() {
                let meta = std::fs::metadata(root.join(&rel)).ok();
                files.push((
                    rel,
                    meta.as_ref().map_or(0, |m| m.len()),
                    meta.and_then(|m| m.modified().ok()),
                ));
            }
        }
        CacheKey {
            settings: format!("{:?}", (d, &config.timezone, &config.contracts)),
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
        let loaded = Arc::new(load(root, config)?);
        *slot = Some((key, Arc::clone(&loaded)));
        Ok(loaded)
    }
}
