//! How long each part of a build took, for `OPSITE_TIMINGS`: the stage times alone leave the
//! wall time around the stages (folders, the last build's record, writing) unaccounted for.

use std::time::{Duration, Instant};

use crate::site::BuildResult;

/// How long each part of a run took, for `OPSITE_TIMINGS`.
pub struct Phases {
    last: Instant,
    done: Vec<(&'static str, Duration)>,
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
    /// Said on standard error with `OPSITE_TIMINGS`: each phase, then loading, the stages of
    /// the internal site and of each edition built (in the order they ran) and writing, then
    /// how many of the internal site's page bodies were taken as kept.
    pub fn print(
        &self,
        internal: Option<&BuildResult>,
        editions: &[&BuildResult],
        (loaded, written): (Duration, Duration),
    ) {
        for (name, d) in &self.done {
            eprintln!("phase {name:<12} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
        let stages = (internal.iter().chain(editions)).flat_map(|r| r.stats.stages.iter().cloned());
        let all = std::iter::once(("load", loaded))
            .chain(stages)
            .chain(std::iter::once(("write", written)));
        for (name, d) in all {
            eprintln!("  {name:<16} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
        if let Some(result) = internal {
            eprintln!("bodies as kept   {:>8}", result.stats.kept_bodies);
        }
    }

    /// The part called `name` ends now.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.last));
        self.last = now;
    }
}
