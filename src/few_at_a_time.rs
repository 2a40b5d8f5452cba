//! Jobs that hold much memory while they run (a customer edition's build, a search shard's
//! index) and use rayon inside, run on a few threads of their own. As rayon tasks, a worker
//! waiting inside one job's parallel work would start other jobs meanwhile, and hold them all in
//! memory at once (a 10,000-page index took 1.9 GB that way).

/// `work(item)` for each of `items`, in their order, at most `at_once` of them at a time.
pub fn map<I: Sync, T: Send>(items: &[I], at_once: usize, work: impl Fn(&I) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<T>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..at_once.clamp(1, items.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = work(item);
                done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    (done
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter())
    .map(|t| t.expect("every item was worked on"))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_in_order_and_never_more_at_once_than_asked() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items: Vec<usize> = (0..40).collect();
        let out = map(&items, 3, |&i| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            running.fetch_sub(1, Ordering::SeqCst);
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 3);
        assert!(map(&Vec::<usize>::new(), 3, |&i| i).is_empty());
    }
}
