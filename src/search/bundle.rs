//! Running Pagefind in-process: the documents go into one index per shard of at most
//! `SHARD_PAGES` pages, shards are indexed in parallel on the current rayon pool, and the
//! bundles come back as output files: the first at `pagefind/`, the others at
//! `pagefind/shard-N/`, listed in `pagefind/opsite-shards.json` for the search page to merge
//! (Pagefind's `mergeIndex`, made for searching several sites at once).
//!
//! Why shards: Pagefind's API indexes the pages of one index one at a time, holding every page's
//! words until the end, and then copies them all once more while building. One index of 10,000
//! pages held 2 GB and used one core. Shards bound the memory to the shards in flight and use
//! every core; searches merge their results by score.

use std::path::PathBuf;

use rayon::prelude::*;

use super::docs::Document;
use super::BUNDLE_DIR;
use crate::output_file::OutputFile;

/// Pages per shard.
pub const SHARD_PAGES: usize = 2500;
/// Pages per shard: `SHARD_PAGES`, or `OPSITE_SEARCH_SHARD_PAGES` (a knob for the browser test,
/// which checks that merged shards find what one index finds, and for measuring).
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

/// Split the documents, in their order, into shards of nearly equal size, none above `max`.
pub fn shards(documents: Vec<Document>, max: usize) -> Vec<Vec<Document>> {
    let max = max.max(1);
    let count = documents.len().div_ceil(max).max(1);
    let size = documents.len().div_ceil(count).max(1);
    let mut out: Vec<Vec<Document>> = Vec::with_capacity(count);
    for d in documents {
        match out.last_mut() {
            Some(last) if last.len() < size => last.push(d),
            _ => out.push(vec![d]),
        }
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

/// Folder of shard `i` inside the output (`pagefind`, `pagefind/shard-1`, …).
fn shard_dir(i: usize) -> String {
    if i == 0 {
        BUNDLE_DIR.to_string()
    } else {
        format!("{BUNDLE_DIR}/shard-{i}")
    }
}

/// Index the documents and return every file of the bundles, sorted by path. Shards run on the
/// current rayon pool (every core in a build; the preview installs a smaller one), and so does
/// Pagefind's own parallel work inside them.
pub fn pagefind_files(
    documents: Vec<Document>,
    shard_pages: usize,
) -> Result<Vec<OutputFile>, String> {
    let shards = shards(documents, shard_pages);
    let count = shards.len();
    let bundles: Vec<Result<Vec<OutputFile>, String>> = shards
        .into_par_iter()
        .enumerate()
        .map(|(i, docs)| index_one(docs).map(|files| bundle_files(files, &shard_dir(i))))
        .collect();
    let mut out = Vec::new();
    for b in bundles {
        out.extend(b?);
    }
    let extra: Vec<String> = (1..count).map(|i| format!("shard-{i}/")).collect();
    out.push(OutputFile::bytes(
        format!("{BUNDLE_DIR}/{SHARDS_FILE}"),
        serde_json::to_vec(&extra).expect("a list of strings"),
        PathBuf::from(crate::config::CONFIG_FILE),
    ));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
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
        for d in documents {
            index
                .add_html_file(None, Some(d.url.clone()), d.html)
                .await
                .map_err(|e| format!("{}: {e}", d.url))?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    })
}

/// A bundle's files under `dir`, without Pagefind's ready-made interfaces.
fn bundle_files(files: Vec<pagefind::api::SyntheticFile>, dir: &str) -> Vec<OutputFile> {
    let origin = PathBuf::from(crate::config::CONFIG_FILE);
    files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            if UNUSED_BUNDLE_FILES.contains(&name.as_str()) || name.starts_with("playground/") {
                return None;
            }
            Some(OutputFile::bytes(
                format!("{dir}/{name}"),
                f.contents,
                origin.clone(),
            ))
        })
        .collect()
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
    fn shards_are_even_in_order_and_never_above_the_limit() {
        let sizes = |n, max| {
            shards(docs(n), max)
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(0, 2500), vec![0]);
        assert_eq!(sizes(12, 2500), vec![12]);
        assert_eq!(sizes(2500, 2500), vec![2500]);
        assert_eq!(sizes(2501, 2500), vec![1251, 1250]);
        assert_eq!(sizes(10035, 2500), vec![2007, 2007, 2007, 2007, 2007]);
        let s = shards(docs(7), 3);
        assert_eq!(s.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 1]);
        assert_eq!(s[1][0].url, "/p3/");
    }
}
