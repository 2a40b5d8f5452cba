//! The preview's search index, built on a thread of its own after each reload so that indexing
//! (seconds on a large site) never sits between a save and the page reloading. A newer request
//! replaces one still waiting; the server answers `pagefind/` from the last index made.

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

use super::server::Shared;
use crate::search::{self, docs::Document};

pub struct Indexer {
    requests: mpsc::Sender<Vec<Document>>,
}

impl Indexer {
    /// Start the indexing thread; its results go into `shared`.
    pub fn start(shared: Arc<Shared>) -> Indexer {
        let (requests, waiting) = mpsc::channel::<Vec<Document>>();
        std::thread::spawn(move || {
            let mut first = true;
            while let Ok(mut docs) = waiting.recv() {
                // Only the newest site matters.
                while let Ok(newer) = waiting.try_recv() {
                    docs = newer;
                }
                let pages = docs.len();
                let started = Instant::now();
                match search::bundle::pagefind_files(docs, search::bundle::shard_pages()) {
                    Ok(files) => {
                        shared.set_search(
                            files
                                .into_iter()
                                .map(|f| (f.path.clone(), f))
                                .collect::<HashMap<_, _>>(),
                        );
                        if first {
                            eprintln!(
                                "search index ready: {pages} pages in {:.1} s",
                                started.elapsed().as_secs_f64()
                            );
                            first = false;
                        }
                    }
                    Err(e) => eprintln!("warning: the search index was not rebuilt: {e}"),
                }
            }
        });
        Indexer { requests }
    }

    /// Index these documents when the thread is free (the last request wins).
    pub fn submit(&self, docs: Vec<Document>) {
        let _ = self.requests.send(docs);
    }
}
