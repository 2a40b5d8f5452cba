//! Build progress shared between the (parallel) stages and whoever shows it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    pub fn start(&self, stage: &'static str, total: usize) {
        *self.stage.lock().expect("progress lock") = stage;
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
    /// (stage, done, total)
    pub fn snapshot(&self) -> (&'static str, usize, usize) {
        (
            *self.stage.lock().expect("progress lock"),
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}
