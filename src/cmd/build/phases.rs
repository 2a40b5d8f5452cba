//! How long each part of a build took, for `OPSITE_TIMINGS`: the stage times alone leave the
//! wall time around the stages (folders, the last build's record, writing) unaccounted for.

use std::time::Instant;

/// How long each part of a run took, for `OPSITE_TIMINGS`.
pub struct Phases {
    last: Instant,
    pub done: Vec<(&'static str, std::time::Duration)>,
}

impl Default for Phases {
    fn default() -> Self {
        Phases {
            last: Instant::now(),
            done: Vec::new(),
        }
    }
}

impl Phases {
    /// The part called `name` ends now.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.last));
        self.last = now;
    }
}
