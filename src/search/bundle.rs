//! Running Pagefind in-process: the documents go into one index per shard, shards are indexed
//! in parallel on the current rayon pool, and the bundles come back as output files: the first
//! at `pagefind/`, the others at `pagefind/shard-<key>/`, listed in `pagefind/opsite-shards.json`
//! for the search page to merge (Pagefind's `mergeIndex`, made for searching several sites at
//! once).
//!
//! Why shards: Pagefind's API indexes the pages of one index one at a time, holding every page's
//! words until the end, and then copies them all once more while building. One index of 10,000
//! pages held 2 GB and used one core. Shards bound the memory to the shards in flight and use
//! every core; searches merge their results by score. Where shards end is `sharding`'s.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::docs::Document;
use super::sharding::shards_by_part;
pub use super::sharding::{
    shard_key, shard_pages, shard_report_bytes, shard_sizes, shards, Entry, Part, Size,
    SHARD_PAGES, SHARD_REPORT_BYTES,
};
use super::BUNDLE_DIR;
use crate::output_file::OutputFile;

/// The list of extra shards, relative to `pagefind/`.
pub const SHARDS_FILE: &str = "opsite-shards.json";

/// Pagefind's ready-made interfaces; the site has its own search page, so they are not written.
const UNUSED_BUNDLE_FILES: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// One shard's bundle: file names inside its folder, and bytes.
pub type ShardFiles = Arc<Vec<(String, Arc<Vec<u8>>)>>;

/// Bundles of shards indexed before, by key (`shard_key`): what a rebuild reuses. The preview
/// keeps it in memory; `opsite build` keeps it under `.opsite/cache/search/` and reads a shard
/// from there when a build asks for it (`saved`). A shard indexed during a run is kept for the
/// rest of the run (`made`, shared by the clones of a store): customer editions with the same
/// pages have the same shard, indexed once.
#[derive(Default, Clone)]
pub struct ShardStore {
    pub shards: HashMap<String, ShardFiles>,
    /// A shard saved by an earlier build, by key (None when it has none, or it is damaged).
    pub saved: Option<Arc<SavedShard>>,
    made: Arc<Mutex<HashMap<String, ShardFiles>>>,
}

/// Reads the saved shard of a key.
pub type SavedShard = dyn Fn(&str) -> Option<ShardFiles> + Send + Sync;

impl ShardStore {
    /// The bundle of shard `key`, if this store holds it, a shard of the same key was indexed
    /// earlier in this run, or an earlier build saved it.
    pub fn get(&self, key: &str) -> Option<ShardFiles> {
        if let Some(files) = self.shards.get(key) {
            return Some(files.clone());
        }
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(files) = made.get(key) {
            return Some(files.clone());
        }
        drop(made);
        let files = (self.saved.as_ref()).and_then(|read| read(key))?;
        self.remember(key, &files);
        Some(files)
    }

    /// Keep shard `key`, indexed or read now, for the rest of the run.
    fn remember(&self, key: &str, files: &ShardFiles) {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.insert(key.to_string(), files.clone());
    }
}

/// The index's files, and the shards they were made of (to keep for the next build).
pub struct Bundles {
    pub files: Vec<OutputFile>,
    pub used: ShardStore,
    /// Shards taken from the store, and shards indexed.
    pub reused: usize,
    pub indexed: usize,
}

/// Folder of a shard inside the output: the first at `pagefind`, the others named by key.
fn shard_dir(i: usize, key: &str) -> String {
    if i == 0 {
        BUNDLE_DIR.to_string()
    } else {
        format!("{BUNDLE_DIR}/shard-{key}")
    }
}

/// `pagefind_files` for documents already made.
pub fn pagefind_documents(
    documents: Vec<Document>,
    shard_pages: usize,
    store: &ShardStore,
) -> Result<Bundles, String> {
    let entries = documents.iter().map(Entry::of_document).collect();
    pagefind_files(entries, &|i| documents[i].clone(), shard_pages, store)
}

/// Index the pages and return every file of the bundles, sorted by path. `make(i)` makes the
/// document of `entries[i]`; it is called only for the pages of shards `store` does not hold,
/// and the shards indexed are kept in `store` for the rest of the run. The shards are indexed
/// `SHARDS_AT_ONCE` at a time, each on as many threads as the current rayon pool has (every
/// core in a build; the preview installs a smaller one).
pub fn pagefind_files(
    entries: Vec<Entry>,
    make: &(dyn Fn(usize) -> Document + Sync),
    shard_pages: usize,
    store: &ShardStore,
) -> Result<Bundles, String> {
    let numbered: Vec<(usize, Entry)> = entries.into_iter().enumerate().collect();
    let shards: Vec<(String, Vec<usize>)> = shards_by_part(numbered, shard_pages)
        .into_iter()
        .map(|pages| {
            let key = shard_key(pages.iter().map(|(_, e)| e));
            (key, pages.into_iter().map(|(i, _)| i).collect())
        })
        .collect();
    // A few shards at a time, each indexed by every core the caller's pool has.
    let threads = rayon::current_num_threads();
    let made: Vec<Result<(String, ShardFiles, bool), String>> =
        crate::few_at_a_time::map(&shards, SHARDS_AT_ONCE, |(key, pages)| {
            match store.get(key) {
                Some(files) => Ok((key.clone(), files, true)),
                None => index_one(pages.iter().map(|&i| make(i)).collect(), threads).map(|files| {
                    let files = Arc::new(bundle_files(files));
                    store.remember(key, &files);
                    (key.clone(), files, false)
                }),
            }
        });
    let origin = PathBuf::from(crate::config::CONFIG_FILE);
    let mut out = Vec::new();
    let mut bundles = Bundles {
        files: Vec::new(),
        used: ShardStore::default(),
        reused: 0,
        indexed: 0,
    };
    let mut extra = Vec::new();
    for (i, m) in made.into_iter().enumerate() {
        let (key, files, reused) = m?;
        let dir = shard_dir(i, &key);
        if i > 0 {
            extra.push(format!("shard-{key}/"));
        }
        for (name, bytes) in files.iter() {
            out.push(OutputFile {
                path: format!("{dir}/{name}"),
                content: crate::output_file::OutputContent::Bytes(bytes.clone()),
                origin: origin.clone(),
            });
        }
        if reused {
            bundles.reused += 1;
        } else {
            bundles.indexed += 1;
        }
        bundles.used.shards.insert(key, files);
    }
    out.push(OutputFile::bytes(
        format!("{BUNDLE_DIR}/{SHARDS_FILE}"),
        serde_json::to_vec(&extra).expect("a list of strings"),
        origin,
    ));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    bundles.files = out;
    Ok(bundles)
}

/// Shards indexed at once: two keep the cores busy between one shard's reading and the other's
/// writing, and hold two shards' pages in memory, not every shard's.
const SHARDS_AT_ONCE: usize = 2;

/// Pages whose excerpts and titles share one fragment file of an index.
const FRAGMENT_GROUP: usize = 8;

/// One Pagefind index over some documents, on a tokio runtime and a rayon pool of its own. Not
/// on the caller's rayon worker: while a worker blocks on one shard's runtime, Pagefind's
/// parallel reading lets it take other rayon work, such as another version's or language's
/// search stage, whose `block_on` would then start a runtime inside a runtime and panic (seen now
/// and then in tests building several editions at once). The pool's `threads` only ever run this
/// index's work; the caller (a thread of `few_at_a_time`) waits in `install`.
fn index_one(
    documents: Vec<Document>,
    threads: usize,
) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| format!("could not start the indexer: {e}"))?;
    pool.install(move || index_on_this_thread(documents))
}

fn index_on_this_thread(
    documents: Vec<Document>,
) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the indexer: {e}"))?;
    // Each result's text sits in a file shared by about FRAGMENT_GROUP pages rather than a file
    // of its own: a tenth of the files to compress and write, at a few kilobytes more read per
    // result shown.
    let groups = documents.len().div_ceil(FRAGMENT_GROUP).max(1);
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .max_fragments(u32::try_from(groups).unwrap_or(u32::MAX))
            .build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        let pages = documents.into_iter().map(|d| (d.url, d.html)).collect();
        index
            .add_html_files(pages)
            .await
            .map_err(|e| e.to_string())?;
        index.into_files().await.map_err(|e| e.to_string())
    })
}

/// A bundle's files (names inside its folder), without Pagefind's ready-made interfaces.
fn bundle_files(files: Vec<pagefind::api::SyntheticFile>) -> Vec<(String, Arc<Vec<u8>>)> {
    let mut out: Vec<(String, Arc<Vec<u8>>)> = files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            if UNUSED_BUNDLE_FILES.contains(&name.as_str()) || name.starts_with("playground/") {
                return None;
            }
            let mut bytes = f.contents;
            // Held until the build is written (a hundred editions' bundles at once): no room
            // to spare.
            bytes.shrink_to_fit();
            Some((name, Arc::new(bytes)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file of the bundles with its bytes, as a test compares two runs.
    fn written(b: &Bundles) -> Vec<(String, Vec<u8>)> {
        (b.files.iter())
            .map(|f| match &f.content {
                crate::output_file::OutputContent::Bytes(x) => (f.path.clone(), x.to_vec()),
                _ => (f.path.clone(), Vec::new()),
            })
            .collect()
    }

    fn url(e: &Entry) -> (&str, u64) {
        (&e.url, e.weight)
    }

    /// Two customer editions with the same content pages and reports of their own, indexed in
    /// one run with one store: the content pages' shard is indexed once, and each edition gets
    /// the same files as an index of its own pages alone would be.
    #[test]
    fn editions_with_the_same_pages_share_their_shard_within_a_run() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let page = |i: usize| Document {
            url: format!("/help/p{i}/"),
            html: format!("<html lang=\"ja\"><body><p>ヘルプ {i}</p></body></html>"),
        };
        let report = |who: &str, i: usize| Document {
            url: format!("/reports/w{i}/"),
            html: format!("<html lang=\"ja\"><body><p>{who} の週報 {i}</p></body></html>"),
        };
        let edition = |who: &str| -> Vec<(Entry, Document)> {
            let pages = (0..6).map(|i| (Part::Pages, page(i)));
            let reports = (0..4).map(|i| (Part::Reports, report(who, i)));
            (pages.chain(reports))
                .map(|(part, d)| {
                    (
                        Entry {
                            part,
                            ..Entry::of_document(&d)
                        },
                        d,
                    )
                })
                .collect()
        };
        let run = |docs: &[(Entry, Document)], store: &ShardStore| {
            let made = AtomicUsize::new(0);
            let make = |i: usize| {
                made.fetch_add(1, Ordering::Relaxed);
                docs[i].1.clone()
            };
            let entries = docs.iter().map(|(e, _)| e.clone()).collect();
            let bundles = pagefind_files(entries, &make, 300, store).expect("indexed");
            (bundles, made.into_inner())
        };
        let store = ShardStore::default();
        let (first, made_first) = run(&edition("北斗"), &store);
        let (second, made_second) = run(&edition("南海"), &store);
        assert_eq!(made_first, 10, "the first edition makes every document");
        assert_eq!(
            made_second, 4,
            "the second makes its reports' documents only"
        );
        assert_eq!((second.indexed, second.reused), (1, 1));
        let (alone, _) = run(&edition("南海"), &ShardStore::default());
        assert_eq!(written(&second), written(&alone), "as an index of its own");
        assert_ne!(written(&first), written(&second));
    }

    #[test]
    fn a_rebuild_makes_the_documents_of_the_shards_it_indexes_and_no_others() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let html = |i: usize, v: &str| {
            format!("<html lang=\"en\"><body><p>page {i} {v}</p></body></html>")
        };
        let pages = |edited: usize| -> Vec<Document> {
            (0..40)
                .map(|i| Document {
                    url: format!("/p{i}/"),
                    html: html(i, if i == edited { "changed" } else { "same" }),
                })
                .collect()
        };
        let run = |docs: &Vec<Document>, store: &ShardStore| {
            let made = AtomicUsize::new(0);
            let entries = docs.iter().map(Entry::of_document).collect();
            let make = |i: usize| {
                made.fetch_add(1, Ordering::Relaxed);
                docs[i].clone()
            };
            let bundles = pagefind_files(entries, &make, 8, store).expect("indexed");
            (bundles, made.into_inner())
        };
        let first = pages(usize::MAX);
        let (cold, made) = run(&first, &ShardStore::default());
        assert_eq!(made, 40, "a cold index makes every document");
        let edited = pages(17);
        let (warm, made) = run(&edited, &cold.used);
        let own_shard = shards(
            edited.iter().map(Entry::of_document).collect(),
            Size::pages(8),
            url,
        )
        .into_iter()
        .find(|s| s.iter().any(|e| e.url == "/p17/"))
        .expect("the page has a shard")
        .len();
        assert_eq!(
            made, own_shard,
            "only the edited page's shard is made again"
        );
        assert_eq!(warm.indexed, 1);
        let (again, _) = run(&edited, &ShardStore::default());
        assert_eq!(
            written(&warm),
            written(&again),
            "the same files as a cold index"
        );
    }
}
