//! Where a site's pages are cut into search shards, and what a shard is known by.
//!
//! Where shards end: after a page whose address hashes to one of a few values, once the shard
//! holds half the target (and at one and a half times the target at the latest), so a shard's
//! pages depend on its own stretch of the site only. A page inserted, removed or edited changes
//! its own shard; the others keep their key (a hash of their pages' addresses and of what their
//! documents are made from) and their files, which a rebuild takes from the `ShardStore` of the
//! build before without making their documents or indexing them again. A shard also ends where
//! the content pages end and the report pages begin: customer editions with the same pages make
//! the same pages' shard, which one run indexes once for all of them. Content pages are counted;
//! report pages are weighed by the length of their documents.

use super::docs::Document;

/// Pages a shard has on average.
pub const SHARD_PAGES: usize = 300;
/// Pages per shard on average: `SHARD_PAGES`, or `OPSITE_SEARCH_SHARD_PAGES` (a knob for the
/// browser test, which checks that merged shards find what one index finds, and for measuring).
pub fn shard_pages() -> usize {
    crate::env_knob::positive("OPSITE_SEARCH_SHARD_PAGES", SHARD_PAGES)
}

/// Bytes of report documents per shard on average: `SHARD_REPORT_BYTES`, or
/// `OPSITE_SEARCH_SHARD_REPORT_BYTES` (a knob for the test that an edit of one period's rows
/// indexes that period's reports again and no other).
pub fn shard_report_bytes() -> u64 {
    crate::env_knob::positive("OPSITE_SEARCH_SHARD_REPORT_BYTES", SHARD_REPORT_BYTES)
}

/// The shard sizes this run uses, as text: part of what an unchanged build is known by, since
/// they change which files the index is made of.
pub fn shard_sizes() -> String {
    format!("{} {}", shard_pages(), shard_report_bytes())
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
pub(super) fn shards_by_part(
    entries: Vec<(usize, Entry)>,
    target: usize,
) -> Vec<Vec<(usize, Entry)>> {
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
}
