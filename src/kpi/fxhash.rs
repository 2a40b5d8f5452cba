//! A small, fast, non-cryptographic hasher for the KPI engine's and loader's large maps (ticket
//! ids, labels). The keys come from the site's own files, so collision attacks are not a concern.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The multiply-rotate rounds mix upwards only; the table indexes with the low bits, so the
    /// result is finished with murmur3's avalanche step (without it, ids that differ only in
    /// their middle characters collide by the million).
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_bits_spread_for_sequential_ids() {
        use std::hash::{BuildHasher, Hash};
        let build = FxBuild::default();
        let mut buckets = std::collections::HashSet::new();
        for i in 0..4096 {
            let mut h = build.build_hasher();
            format!("T{i:08}").as_str().hash(&mut h);
            buckets.insert(h.finish() & 4095);
        }
        assert!(
            buckets.len() > 2000,
            "{} distinct low-bit buckets of 4096",
            buckets.len()
        );
    }

    #[test]
    fn sets_work_with_the_fast_hasher() {
        let mut s: FxHashSet<&str> = FxHashSet::default();
        assert!(s.insert("T00000001"));
        assert!(!s.insert("T00000001"));
        assert!(s.insert("T00000002"));
    }
}
