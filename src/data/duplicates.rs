//! Which ticket ids occur more than once, among millions: ids are hashed to 32 bits and
//! sorted by radix with their rows, and only rows of equal hash are compared as text.

use rayon::prelude::*;

use crate::kpi::fxhash::FxHashSet;
use crate::kpi::tables::Ids;

/// A 32-bit hash of an id: three radix passes; the rare equal hashes are compared as text.
pub(crate) fn id_hash(id: &str) -> i64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = crate::kpi::fxhash::FxBuild::default().build_hasher();
    id.hash(&mut h);
    (h.finish() >> 32) as i64
}

/// Ids that occur more than once. Duplicates are rare: sort id hashes (cheaper than a set of
/// millions of strings), and confirm equal hashes by comparing the ids themselves.
pub(crate) fn duplicate_ids(ids: &Ids) -> FxHashSet<&str> {
    // Hash and row in one word (8 bytes a row, not 16): sorted by the hash alone.
    let mut hashes: Vec<u64> = (0..ids.len())
        .into_par_iter()
        .map(|i| ((id_hash(&ids[i]) as u64) << 32) | i as u64)
        .collect();
    crate::kpi::radix::sort_by_key(&mut hashes, |h| (h >> 32) as i64);
    let row = |h: u64| &ids[(h & u64::from(u32::MAX)) as usize];
    let mut dup: FxHashSet<&str> = FxHashSet::default();
    // Rows of one hash: the same id, or different ids whose hashes collide (thousands of
    // pairs among ten million ids), in any order: every pair of the run is compared.
    for run in hashes.chunk_by(|a, b| a >> 32 == b >> 32) {
        if run.len() == 2 {
            if row(run[0]) == row(run[1]) {
                dup.insert(row(run[0]));
            }
        } else if run.len() > 2 {
            let mut seen: FxHashSet<&str> = FxHashSet::default();
            for &h in run {
                if !seen.insert(row(h)) {
                    dup.insert(row(h));
                }
            }
        }
    }
    dup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_found_twice_even_with_a_colliding_id_between() {
        // Two different ids with the same 32-bit hash, found by search (fixed input).
        let mut first: crate::kpi::fxhash::FxHashMap<i64, String> = Default::default();
        let (x, y) = (0..2_000_000)
            .map(|n| format!("T{n}"))
            .find_map(|id| match first.get(&id_hash(&id)) {
                Some(other) => Some((other.clone(), id)),
                None => {
                    first.insert(id_hash(&id), id);
                    None
                }
            })
            .expect("a collision among two million ids");
        let of = |list: &[&str]| {
            let mut ids = Ids::default();
            list.iter().for_each(|id| ids.push(id));
            ids
        };
        let ids = of(&[&x, &y, &x, "T-other"]);
        let dup = duplicate_ids(&ids);
        assert_eq!(dup.into_iter().collect::<Vec<_>>(), vec![x.as_str()]);
        assert!(duplicate_ids(&of(&[&x, &y])).is_empty());
    }
}
