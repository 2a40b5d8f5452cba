//! The preview's search index, built on a thread of its own after each reload so that indexing
//! (seconds on a large site) never sits between a save and the page reloading. A newer request
//! replaces one still waiting; the server answers `pagefind/` from the last index made, and an
//! open search page reloads when a new index is in (its query stays in the address).

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

use super::live::Change;
use super::server::Shared;
use crate::search::{self, bundle::Entry, docs::Document};

/// The site's pages as `search::entries_and_documents` gives them.
pub type Pages = (Vec<Entry>, Vec<Document>);

pub struct Indexer {
    /// `None` takes the index away (`search: false`).
    requests: mpsc::Sender<Option<Pages>>,
}

impl Indexer {
    /// Start the indexing thread; its results go into `shared`. `store` holds shards indexed
    /// before (by the last `opsite build`), reused where their pages are unchanged.
    pub fn start(shared: Arc<Shared>, store: search::bundle::ShardStore) -> Indexer {
        let (requests, waiting) = mpsc::channel::<Option<Pages>>();
        std::thread::spawn(move || {
            // A pool of its own, one core short of the machine: the rebuilds that saves start
            // while it indexes keep a core and the global pool to themselves.
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let pool = match rayon::ThreadPoolBuilder::new()
                .num_threads(cores.saturating_sub(1).max(1))
                .build()
            {
                Ok(pool) => pool,
                Err(e) => {
                    eprintln!("warning: no search index in this preview: {e}");
                    return;
                }
            };
            // The shards of the last index: an edit indexes its own shard again, not the site.
            let mut store = store;
            while let Ok(mut request) = waiting.recv() {
                // Only the newest site matters.
                while let Ok(newer) = waiting.try_recv() {
                    request = newer;
                }
                let Some((entries, docs)) = request else {
                    shared.set_search(HashMap::new());
                    continue;
                };
                let pages = docs.len();
                let started = Instant::now();
                match pool.install(|| {
                    let make = |i: usize| docs[i].clone();
                    search::bundle::pagefind_files(
                        entries,
                        &make,
                        search::bundle::shard_pages(),
                        &store,
                    )
                }) {
                    Ok(bundles) => {
                        store = bundles.used;
                        shared.set_search(
                            bundles
                                .files
                                .into_iter()
                                .map(|f| (f.path.clone(), f))
                                .collect::<HashMap<_, _>>(),
                        );
                        eprintln!(
                            "search index: {pages} pages in {:.1} s ({} of {} shards indexed again)",
                            started.elapsed().as_secs_f64(),
                            bundles.indexed,
                            bundles.indexed + bundles.reused,
                        );
                        let served = shared.current();
                        let page = format!(
                            "{}{}",
                            served.prefix.trim_end_matches('/'),
                            search::SEARCH_PAGE
                        );
                        shared
                            .hub
                            .publish(&Change::SearchIndex(page), served.generation);
                    }
                    Err(e) => eprintln!("warning: the search index was not rebuilt: {e}"),
                }
            }
        });
        Indexer { requests }
    }

    /// Index these pages when the thread is free (the last request wins).
    pub fn submit(&self, pages: Pages) {
        let _ = self.requests.send(Some(pages));
    }

    /// Serve no index (the site turned search off).
    pub fn clear(&self) {
        let _ = self.requests.send(None);
    }
}
