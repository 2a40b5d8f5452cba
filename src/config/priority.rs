//! The site's priority levels (`priority_levels: [p1, p2, p3, p4, p5]`), most urgent first.
//! Every priority a ticket, a target, a label or a KPI id names is one of them; a level is
//! carried as its place in the list, so any number of levels costs a byte per ticket.

use serde::{Deserialize, Serialize};

/// A priority level: its place in `priority_levels` (0 is the most urgent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Priority(pub u8);

/// The levels without `priority_levels`: today's four.
pub const DEFAULT_LEVELS: [&str; 4] = ["critical", "high", "medium", "low"];

/// The keys of the levels, in order, each matching `[a-z0-9_]+`, none twice (`check`, run
/// where the configuration is read, so a mistake is reported at its line).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct PriorityLevels(#[serde(deserialize_with = "super::scalar::list")] Vec<String>);

impl Default for PriorityLevels {
    fn default() -> Self {
        PriorityLevels(DEFAULT_LEVELS.iter().map(|k| k.to_string()).collect())
    }
}

impl PriorityLevels {
    /// The first mistake in the list: (the item it is at, if one, and what is wrong).
    pub fn check(&self) -> Result<(), (Option<usize>, String)> {
        let keys = &self.0;
        if keys.is_empty() {
            let message = "lists no level: list the keys, most urgent first \
                           (`[p1, p2, p3, p4, p5]`), or remove it for critical, high, medium, low";
            return Err((None, message.into()));
        }
        if keys.len() > 64 {
            let message = format!("lists {} levels; opsite takes at most 64", keys.len());
            return Err((Some(64), message));
        }
        for (n, key) in keys.iter().enumerate() {
            let good = !key.is_empty()
                && (key.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !good {
                let message = format!(
                    "`{key}` is not a key: use lower-case letters, digits and `_` (`p1`, \
                     `urgent`); its display name goes under labels.priority"
                );
                return Err((Some(n), message));
            }
            if keys[..n].contains(key) {
                return Err((Some(n), format!("`{key}` is listed twice")));
            }
        }
        Ok(())
    }

    /// Every level, most urgent first.
    pub fn all(&self) -> impl Iterator<Item = Priority> + Clone {
        (0..self.0.len()).map(|i| Priority(i as u8))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The level's key (`critical`, `p5`): in KPI ids, targets and labels.
    pub fn key(&self, p: Priority) -> &str {
        &self.0[p.0 as usize]
    }

    /// The level a key names (any case, trimmed).
    pub fn parse(&self, key: &str) -> Option<Priority> {
        let key = key.trim();
        (self.0.iter())
            .position(|k| k.eq_ignore_ascii_case(key))
            .map(|i| Priority(i as u8))
    }

    /// Whether these are the four levels opsite has without `priority_levels` (presets map
    /// their tools' values to those).
    pub fn are_default(&self) -> bool {
        *self == PriorityLevels::default()
    }

    /// The keys, for messages: `critical, high, medium, low`.
    pub fn listed(&self) -> String {
        self.0.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(keys: &[&str]) -> Result<PriorityLevels, String> {
        let levels = PriorityLevels(keys.iter().map(|k| k.to_string()).collect());
        levels
            .check()
            .map(|()| levels)
            .map_err(|(_, message)| message)
    }

    #[test]
    fn five_levels_keep_their_order_and_parse_in_any_case() {
        let l = levels(&["p1", "p2", "p3", "p4", "p5"]).unwrap();
        let keys: Vec<&str> = l.all().map(|p| l.key(p)).collect();
        assert_eq!(keys, ["p1", "p2", "p3", "p4", "p5"]);
        assert_eq!(l.parse(" P5 "), Some(Priority(4)));
        assert_eq!(l.parse("critical"), None);
        assert!(!l.are_default());
        assert!(PriorityLevels::default().are_default());
    }

    #[test]
    fn keys_that_cannot_be_in_an_id_are_refused_with_the_key() {
        assert!(levels(&[]).unwrap_err().contains("no level"));
        assert!(levels(&["P1"]).unwrap_err().contains("`P1`"));
        assert!(levels(&["sev 1"]).unwrap_err().contains("`sev 1`"));
        assert!(levels(&["p1", "p1"]).unwrap_err().contains("twice"));
    }
}
