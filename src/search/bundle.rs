//! Running Pagefind in-process: the documents go into one index per shard, shards are indexed
//! in parallel on the current rayon pool, and the bundles come back as output files: the first
//! at `pagefind/`, the others at `pagefind/shard-<key>/`, listed in `pagefind/opsite-shards.json`
//! for the search page to merge (Pagefind's `mergeIndex`, made for searching several sites at
//! once).
//!
//! Why shards: Pagefind's API indexes the pages of one index one at a time, holding every page's
//! words until the end, and then copies them all once more while building. One index of 10,000
//! pages held 2 GB and used one core. Shards bound the memory to the shards in flight and use
//! every core; searches merge their results by score.
//!
//! Where shards end: after a page whose address hashes to one of a few values, once the shard
//! holds half the target (and at one and a half times the target at the latest), so a shard's pages depend on
//! its own stretch of the site only. A page inserted, removed or edited changes its own shard; the
//! others keep their key (a hash of their pages' addresses and of what their documents are made
//! from) and their files, which a rebuild takes from the `ShardStore` of the build before
//! without making their documents or indexing them again. A shard also ends where the content
//! pages end and the report pages begin: customer editions with the same pages make the same
//! pages' shard, which one run indexes once for all of them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::docs::Document;
use super::BUNDLE_DIR;
use crate::output_file::OutputFile;

/// Pages a shard has on average.
pub const SHARD_PAGES: usize = 300;
/// Pages per shard on average: `SHARD_PAGES`, or `OPSITE_SEARCH_SHARD_PAGES` (a knob for the
/// browser test, which checks that merged shards find what one index finds, and for measuring).
pub fn shard_pages() -> usize {
    std::env::var("OPSITE_SEARCH_SHARD_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(SHARD_PAGES)
}

/// Bytes of report documents per shard on average: `SHARD_REPORT_BYTES`, or
/// `OPSITE_SEARCH_SHARD_REPORT_BYTES` (a knob for the test that an edit of one period's rows
/// indexes that period's reports again and no other).
pub fn shard_report_bytes() -> u64 {
    std::env::var("OPSITE_SEARCH_SHARD_REPORT_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(SHARD_REPORT_BYTES)
}

/// The shard sizes this run uses, as text: part of what an unchanged build is known by, since
/// they change which files the index is made of.
pub fn shard_sizes() -> String {
    format!("{} {}", shard_pages(), shard_report_bytes())
}

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

/// A page of the index before its document is made: its address in the index and a hash of
/// everything its document is made from, so a shard's key is known without making the documents
/// of the shards a rebuild takes from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    pub hash: blake3::Hash,
    pub part: Part,
    /// What it counts for in its shard's size: 1 for a content page, its document's length for
    /// a report page (an internal month's lists thousands of tickets).
    pub weight: u64,
}

/// Which part of the index a page is in. A shard holds pages of one part: the content pages of
/// customer editions that have the same pages make the same shard, whatever their reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Pages,
    Reports,
}

impl Entry {
    /// The entry of a document already made (the hash is of its HTML).
    pub fn of_document(d: &Document) -> Entry {
        Entry {
            url: d.url.clone(),
            hash: blake3::hash(d.html.as_bytes()),
            part: Part::Pages,
            weight: 1,
        }
    }
}

/// Bytes of report documents a shard holds on average: an edit of one period's tickets indexes
/// its shard again, not every report of the site (an internal site's reports at 100 customers
/// are about 20 MB of documents, about 3 s to index).
pub const SHARD_REPORT_BYTES: u64 = 2_000_000;

/// `shards` of each run of entries of one part, in order: content pages by count (`target`),
/// report pages by size (`SHARD_REPORT_BYTES`).
fn shards_by_part(entries: Vec<(usize, Entry)>, target: usize) -> Vec<Vec<(usize, Entry)>> {
    let mut runs: Vec<Vec<(usize, Entry)>> = Vec::new();
    for entry in entries {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|(_, e)| e.part == entry.1.part) => run.push(entry),
            _ => runs.push(vec![entry]),
        }
    }
    if runs.is_empty() {
        // An empty site has one (empty) index.
        runs.push(Vec::new());
    }
    (runs.into_iter())
        .flat_map(|run| {
            let size = match run.first().map(|(_, e)| e.part) {
                Some(Part::Reports) => Size::bytes(shard_report_bytes()),
                _ => Size::pages(target),
            };
            shards(run, size, |(_, e)| (&e.url, e.weight))
        })
        .collect()
}

/// How big shards are: their average weight (`Entry::weight`), and one in how many items may
/// end one once it holds half of it.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub target: u64,
    pub odds: u64,
}

impl Size {
    /// Shards of about `n` pages of weight 1.
    pub fn pages(n: usize) -> Size {
        let target = n.max(1) as u64;
        Size {
            target,
            odds: (target - target / 2).max(1),
        }
    }

    /// Shards of about `n` bytes of documents, of a few reports each.
    pub fn bytes(n: u64) -> Size {
        Size {
            target: n.max(1),
            odds: 3,
        }
    }
}

/// Split the items, in their order, into shards of `size.target` weight on average: a shard
/// ends after a page whose address hashes to one of `1 / size.odds` of the values once it holds
/// half the target, and at 1.5 × the target at the latest. For pages of weight 1 (odds of half
/// the target) the floor keeps shards even (a random page's shard holds about 1.05 × target
/// pages, against 2 × with no floor) and the ceiling bounds the slowest edit (one shard in eight
/// or so ends there), so an edit indexes few pages again; the hash keeps boundaries where they
/// were when a page is added or removed, or grows.
pub fn shards<T>(items: Vec<T>, size: Size, url: impl Fn(&T) -> (&str, u64)) -> Vec<Vec<T>> {
    let target = size.target.max(1);
    let least = (target / 2).max(1);
    let most = target + target / 2;
    let mut out: Vec<Vec<T>> = vec![Vec::new()];
    let mut weight = 0u64;
    for item in items {
        let (address, w) = url(&item);
        let ends = u64::from_le_bytes(
            blake3::hash(address.as_bytes()).as_bytes()[..8]
                .try_into()
                .expect("8 bytes"),
        ) % size.odds.max(1)
            == 0;
        weight = weight.saturating_add(w);
        let last = out.last_mut().expect("one shard at least");
        last.push(item);
        if (ends && weight >= least) || weight >= most {
            out.push(Vec::new());
            weight = 0;
        }
    }
    if out.len() > 1 && out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    out
}

/// How documents are made from their sources (`search::docs`); raise it when that changes, so
/// that shards kept from a build before are indexed again.
const DOCUMENT_FORMAT: u32 = 1;

/// A shard's key: opsite's version and its pages' entries, so equal keys mean equal bundles.
pub fn shard_key<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&DOCUMENT_FORMAT.to_le_bytes());
    for e in entries {
        crate::digest::hash_part(&mut h, e.url.as_bytes());
        h.update(e.hash.as_bytes());
    }
    h.finalize().to_hex()[..16].to_string()
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

    fn docs(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                url: format!("/p{i}/"),
                hash: blake3::hash(b""),
                part: Part::Pages,
                weight: 1,
            })
            .collect()
    }

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

    #[test]
    fn shards_keep_the_order_stay_under_one_and_a_half_times_the_target_and_average_near_it() {
        let all = docs(10_000);
        let s = shards(all.clone(), Size::pages(300), url);
        let flat: Vec<&str> = s.iter().flatten().map(|d| d.url.as_str()).collect();
        let want: Vec<&str> = all.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(flat, want);
        assert!(s.iter().all(|x| !x.is_empty() && x.len() <= 450));
        assert!((25..=45).contains(&s.len()), "{} shards", s.len());
        // What an edit of a random page indexes again: its shard, about 1.05 × the target.
        let seen: f64 = s.iter().map(|x| (x.len() * x.len()) as f64).sum::<f64>() / 10_000.0;
        assert!(
            seen < 360.0,
            "a random page's shard holds {seen:.0} pages on average"
        );
        assert_eq!(
            shards(Vec::<Entry>::new(), Size::pages(300), url).len(),
            1,
            "an empty site has one (empty) index"
        );
    }

    /// Report pages of a site's size (weeks of 0.4 MB, months of 1.5 MB, in the order the site
    /// lists them): shards stay under 1.5 × the target but for a page bigger than that alone,
    /// and a page that grows changes its own shard and at most the ones up to the next boundary.
    #[test]
    fn report_shards_are_sized_by_their_documents_and_a_grown_page_moves_few_boundaries() {
        let reports = |grown: Option<usize>| -> Vec<Entry> {
            (0..60)
                .map(|i| Entry {
                    url: format!("/reports/{i}/"),
                    hash: blake3::hash(&[u8::from(grown == Some(i))]),
                    part: Part::Reports,
                    weight: match (i % 5, grown == Some(i)) {
                        (_, true) => 5_000_000,
                        (0, _) => 1_500_000,
                        _ => 400_000,
                    },
                })
                .collect()
        };
        let size = Size::bytes(2_000_000);
        let split = shards(reports(None), size, url);
        let flat: Vec<&str> = split.iter().flatten().map(|e| e.url.as_str()).collect();
        assert_eq!(flat.len(), 60);
        assert!(flat.windows(2).all(|w| w[0] != w[1]));
        for s in &split {
            let bytes: u64 = s.iter().map(|e| e.weight).sum();
            assert!(bytes <= 3_000_000 + 1_500_000, "{bytes} bytes in a shard");
        }
        assert!((7..=20).contains(&split.len()), "{} shards", split.len());
        let keys = |e: Vec<Entry>| -> Vec<String> {
            shards(e, size, url).iter().map(|s| shard_key(s)).collect()
        };
        let before = keys(reports(None));
        for at in [3, 31, 58] {
            let after = keys(reports(Some(at)));
            let new = after.iter().filter(|k| !before.contains(k)).count();
            assert!(
                (1..=3).contains(&new),
                "report {at} grown: {new} of {} shards new",
                after.len()
            );
        }
        let one_each = shards(reports(None), Size::bytes(1), url);
        assert_eq!(one_each.len(), 60, "a tiny target puts each page alone");
    }

    #[test]
    fn a_page_inserted_or_removed_changes_its_own_shard_and_no_other() {
        let keys = |d: Vec<Entry>| -> Vec<String> {
            shards(d, Size::pages(50), url)
                .iter()
                .map(|s| shard_key(s))
                .collect()
        };
        let before = keys(docs(2_000));
        for at in [0, 777, 1999] {
            let mut inserted = docs(2_000);
            inserted.insert(
                at,
                Entry {
                    url: format!("/new-{at}/"),
                    hash: blake3::hash(b"new"),
                    part: Part::Pages,
                    weight: 1,
                },
            );
            let mut removed = docs(2_000);
            removed.remove(at);
            for after in [keys(inserted), keys(removed)] {
                let kept = after.iter().filter(|k| before.contains(k)).count();
                assert!(
                    kept + 2 >= before.len(),
                    "at {at}: {kept} of {} shards kept",
                    before.len()
                );
            }
        }
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
