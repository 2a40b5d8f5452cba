//! Answers of `check --external` kept for a day in `.opsite/cache/external-links.json`, so a
//! check run again (in CI, or after fixing one link) does not ask every server again. Only
//! answers that hold (`Outcome::cacheable`) are kept; time-outs and server errors are asked anew.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Outcome;

pub const FILE: &str = ".opsite/cache/external-links.json";
/// How long an answer is trusted, in seconds.
pub const MAX_AGE: i64 = 24 * 60 * 60;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    pub entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Unix seconds of the answer.
    pub at: i64,
    pub outcome: Outcome,
}

impl Entry {
    /// Less than a day old at `now` (and not from a clock that was ahead).
    fn is_fresh(&self, now: i64) -> bool {
        now - self.at < MAX_AGE && self.at <= now
    }
}

impl Cache {
    /// The cache file of the site at `root`; an absent or unreadable one is empty.
    pub fn load(root: &Path) -> Cache {
        crate::walk::read_own_file(&root.join(FILE))
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The answer for `url` if it is less than a day old at `now`.
    pub fn fresh(&self, url: &str, now: i64) -> Option<&Outcome> {
        self.entries
            .get(url)
            .filter(|e| e.is_fresh(now))
            .map(|e| &e.outcome)
    }

    /// Record this run's answers and forget the stale ones.
    pub fn update(&mut self, answers: &BTreeMap<String, Outcome>, now: i64) {
        self.entries.retain(|_, e| e.is_fresh(now));
        for (url, outcome) in answers {
            if outcome.cacheable() {
                self.entries.insert(
                    url.clone(),
                    Entry {
                        at: now,
                        outcome: outcome.clone(),
                    },
                );
            } else {
                self.entries.remove(url);
            }
        }
    }

    /// Write the file (through a temporary file, so a reader never sees half of it).
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let path = root.join(FILE);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::write_whole::replace_kept(
            &path,
            &serde_json::to_vec_pretty(self).unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_last_a_day_and_failures_are_not_kept() {
        let mut c = Cache::default();
        let mut a = BTreeMap::new();
        a.insert("https://a/".to_string(), Outcome::Broken { status: 404 });
        a.insert(
            "https://b/".to_string(),
            Outcome::Failed {
                reason: "no answer".into(),
            },
        );
        c.update(&a, 1_000);
        assert_eq!(
            c.fresh("https://a/", 1_000 + MAX_AGE - 1),
            Some(&Outcome::Broken { status: 404 })
        );
        assert_eq!(c.fresh("https://a/", 1_000 + MAX_AGE), None);
        assert_eq!(c.fresh("https://b/", 1_001), None);
        // A clock set back does not make an answer from the future fresh.
        assert_eq!(c.fresh("https://a/", 999), None);
    }
}
