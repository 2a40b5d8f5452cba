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
//! holds half the target (and at twice the target at the latest), so a shard's pages depend on
//! its own stretch of the site only. A page inserted, removed or edited changes its own shard; the others keep their
//! documents, their key (a hash of them) and their files, which a rebuild takes from the
//! `ShardStore` of the build before instead of indexing them again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

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
/// keeps it in memory; `opsite build` keeps it under `.opsite/cache/search/`.
#[derive(Default, Clone)]
pub struct ShardStore {
    pub shards: HashMap<String, ShardFiles>,
}

/// The index's files, and the shards they were made of (to keep for the next build).
pub struct Bundles {
    pub files: Vec<OutputFile>,
    pub used: ShardStore,
    /// Shards taken from the store, and shards indexed.
    pub reused: usize,
    pub indexed: usize,
}

/// Split the documents, in their order, into shards of `target` pages on average: a shard ends
/// after a page whose address hashes to one of `2 / target` of the values once it holds half the
/// target, and at twice the target at the latest. The floor keeps shards even (a random page's
/// shard holds about 1.25 × target pages, against 2 × with no floor), so an edit indexes few
/// pages again; the hash keeps boundaries where they were when a page is added or removed.
pub fn shards(documents: Vec<Document>, target: usize) -> Vec<Vec<Document>> {
    let target = target.max(1);
    let least = target / 2;
    let most = 2 * target;
    let odds = (target - least).max(1) as u64;
    let mut out: Vec<Vec<Document>> = vec![Vec::new()];
    for d in documents {
        let ends = u64::from_le_bytes(
            blake3::hash(d.url.as_bytes()).as_bytes()[..8]
                .try_into()
                .expect("8 bytes"),
        ) % odds
            == 0;
        let last = out.last_mut().expect("one shard at least");
        last.push(d);
        if (ends && last.len() >= least.max(1)) || last.len() >= most {
            out.push(Vec::new());
        }
    }
    if out.len() > 1 && out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    out
}

/// A shard's key: opsite's version and its documents, so equal keys mean equal bundles.
pub fn shard_key(documents: &[Document]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    for d in documents {
        for part in [d.url.as_bytes(), d.html.as_bytes()] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
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

/// Index the documents and return every file of the bundles, sorted by path. Shards whose key
/// `previous` holds are taken from it; the others run on the current rayon pool (every core in
/// a build; the preview installs a smaller one), and so does Pagefind's own work inside them.
pub fn pagefind_files(
    documents: Vec<Document>,
    shard_pages: usize,
    previous: &ShardStore,
) -> Result<Bundles, String> {
    let shards: Vec<(String, Vec<Document>)> = shards(documents, shard_pages)
        .into_iter()
        .map(|docs| (shard_key(&docs), docs))
        .collect();
    let made: Vec<Result<(String, ShardFiles, bool), String>> = shards
        .into_par_iter()
        .map(|(key, docs)| match previous.shards.get(&key) {
            Some(files) => Ok((key, files.clone(), true)),
            None => index_one(docs).map(|files| (key, Arc::new(bundle_files(files)), false)),
        })
        .collect();
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

/// One Pagefind index over some documents, on a tokio runtime of its own.
fn index_one(documents: Vec<Document>) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the indexer: {e}"))?;
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        let pages = documents.into_iter().map(|d| (d.url, d.html)).collect();
        index
            .add_html_files(pages)
            .await
            .map_err(|e| e.to_string())?;
        index.get_files().await.map_err(|e| e.to_string())
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
            Some((name, Arc::new(f.contents)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(n: usize) -> Vec<Document> {
        (0..n)
            .map(|i| Document {
                url: format!("/p{i}/"),
                html: String::new(),
            })
            .collect()
    }

    #[test]
    fn shards_keep_the_order_stay_under_twice_the_target_and_average_near_it() {
        let all = docs(10_000);
        let s = shards(all.clone(), 300);
        let flat: Vec<&str> = s.iter().flatten().map(|d| d.url.as_str()).collect();
        let want: Vec<&str> = all.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(flat, want);
        assert!(s.iter().all(|x| !x.is_empty() && x.len() <= 600));
        assert!((25..=45).contains(&s.len()), "{} shards", s.len());
        // What an edit of a random page indexes again: its shard, about 1.25 × the target.
        let seen: f64 = s.iter().map(|x| (x.len() * x.len()) as f64).sum::<f64>() / 10_000.0;
        assert!(
            seen < 450.0,
            "a random page's shard holds {seen:.0} pages on average"
        );
        assert_eq!(
            shards(Vec::new(), 300).len(),
            1,
            "an empty site has one (empty) index"
        );
    }

    #[test]
    fn a_page_inserted_or_removed_changes_its_own_shard_and_no_other() {
        let keys = |d: Vec<Document>| -> Vec<String> {
            shards(d, 50).iter().map(|s| shard_key(s)).collect()
        };
        let before = keys(docs(2_000));
        for at in [0, 777, 1999] {
            let mut inserted = docs(2_000);
            inserted.insert(
                at,
                Document {
                    url: format!("/new-{at}/"),
                    html: "new".into(),
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
}
