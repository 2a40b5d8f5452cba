//! Short SHA-256 digests in hex, as opsite shows and names things by them: a data file's first
//! 12 digits (as `sha256sum` prints them), a long customer name's folder, a Message-ID; and how
//! the build's cache keys feed their parts to blake3 (`hash_part`), the program's own identity
//! among them.

use sha2::{Digest, Sha256};

/// The first `bytes` bytes of a digest, as hex digits.
pub fn hex_prefix(digest: &[u8], bytes: usize) -> String {
    digest
        .iter()
        .take(bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first `bytes` bytes, as hex, of the SHA-256 of `parts` with a zero byte between each
/// (so `["ab", "c"]` and `["a", "bc"]` differ).
pub fn sha256_hex(parts: &[&[u8]], bytes: usize) -> String {
    let mut hasher = Sha256::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hasher.update([0]);
        }
        hasher.update(part);
    }
    hex_prefix(&hasher.finalize(), bytes)
}

/// The program itself, by its size and time: what a rebuilt opsite of the same version number
/// tells apart (empty when it cannot be read).
pub fn program_identity() -> Vec<u8> {
    let Ok(m) = std::env::current_exe().and_then(std::fs::metadata) else {
        return Vec::new();
    };
    let time = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    [m.len() as u128, time.map_or(0, |t| t.as_nanos())]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect()
}

/// Feed `bytes` to `h` with its length before it, so parts hashed one after another cannot run
/// into each other (`["ab", "c"]` and `["a", "bc"]` differ): how every cache key of a build
/// (inputs, rendered pages, search pages and shards) is made.
pub fn hash_part(h: &mut blake3::Hasher, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Feed a value's `Debug` form to `h`, as it is written, without holding it whole: for values
/// whose every field decides an output, so a field added to their type is hashed with the rest
/// (`derive(Debug)` lists every field; numbers are written exactly).
pub fn hash_debug(h: &mut blake3::Hasher, value: &impl std::fmt::Debug) {
    // `Debug` writes a piece at a time, a few bytes each: gathered, the hasher takes blocks.
    let _ = std::fmt::write(&mut Feeder::new(h), format_args!("{value:?}\u{0}"));
}

/// Feed a serialisable value to `h` as MessagePack (strings as their bytes, each after its
/// length): the key of a rendered page is its whole context, and JSON spent more time escaping
/// its text than the hash took. The views serialised here have no way to fail (no custom
/// `Serialize` that errs; any map key, any length).
pub fn hash_serialized(h: &mut blake3::Hasher, value: &impl serde::Serialize) {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, h);
    let _ = rmp_serde::encode::write_named(&mut buffered, value);
}

/// The bytes a value is told apart by, for the large typed tables a cache key is made of (a
/// customer's tickets), where `hash_debug` spends more time writing numbers as text than the
/// hash takes. Types implement it by naming every field (`let Tickets { id, .. } = self` without
/// `..`), so a field added to them fails to compile until it is fed too.
pub trait Fingerprint {
    fn feed(&self, into: &mut Feeder);
}

/// Feed `value`'s fingerprint to `h`.
pub fn hash_fingerprint<T: Fingerprint + ?Sized>(h: &mut blake3::Hasher, value: &T) {
    value.feed(&mut Feeder::new(h));
}

/// Gathers bytes fed a few at a time into blocks for a hasher, which takes the rest when the
/// feeder is dropped.
pub struct Feeder<'a> {
    hasher: &'a mut blake3::Hasher,
    buffer: Vec<u8>,
}

impl<'a> Feeder<'a> {
    fn new(hasher: &'a mut blake3::Hasher) -> Self {
        Feeder {
            hasher,
            buffer: Vec::with_capacity(1 << 14),
        }
    }

    pub fn bytes(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > self.buffer.capacity() {
            self.hasher.update(&self.buffer);
            self.buffer.clear();
        }
        match bytes.len() > self.buffer.capacity() {
            true => {
                self.hasher.update(bytes);
            }
            false => self.buffer.extend_from_slice(bytes),
        }
    }
}

impl Drop for Feeder<'_> {
    fn drop(&mut self) {
        self.hasher.update(&self.buffer);
    }
}

impl std::fmt::Write for Feeder<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

macro_rules! fingerprint_le_bytes {
    ($($t:ty),*) => {$(
        impl Fingerprint for $t {
            fn feed(&self, into: &mut Feeder) {
                into.bytes(&self.to_le_bytes());
            }
        }
    )*};
}
fingerprint_le_bytes!(u8, u16, u32, u64, i32, i64);

impl Fingerprint for usize {
    fn feed(&self, into: &mut Feeder) {
        (*self as u64).feed(into);
    }
}

impl Fingerprint for bool {
    fn feed(&self, into: &mut Feeder) {
        into.bytes(&[*self as u8]);
    }
}

/// By its bits: `0.0` and `-0.0` differ, as they may in what is shown.
impl Fingerprint for f64 {
    fn feed(&self, into: &mut Feeder) {
        self.to_bits().feed(into);
    }
}

/// Its length, then its bytes: `["ab", "c"]` and `["a", "bc"]` differ.
impl Fingerprint for str {
    fn feed(&self, into: &mut Feeder) {
        self.len().feed(into);
        into.bytes(self.as_bytes());
    }
}

impl Fingerprint for String {
    fn feed(&self, into: &mut Feeder) {
        self.as_str().feed(into);
    }
}

impl Fingerprint for chrono::NaiveDate {
    fn feed(&self, into: &mut Feeder) {
        use chrono::Datelike;
        self.num_days_from_ce().feed(into);
    }
}

impl<T: Fingerprint> Fingerprint for Option<T> {
    fn feed(&self, into: &mut Feeder) {
        match self {
            None => into.bytes(&[0]),
            Some(v) => {
                into.bytes(&[1]);
                v.feed(into);
            }
        }
    }
}

impl<T: Fingerprint> Fingerprint for [T] {
    fn feed(&self, into: &mut Feeder) {
        self.len().feed(into);
        for v in self {
            v.feed(into);
        }
    }
}

impl<T: Fingerprint> Fingerprint for Vec<T> {
    fn feed(&self, into: &mut Feeder) {
        self.as_slice().feed(into);
    }
}

impl<A: Fingerprint, B: Fingerprint> Fingerprint for (A, B) {
    fn feed(&self, into: &mut Feeder) {
        self.0.feed(into);
        self.1.feed(into);
    }
}

impl<K: Fingerprint, V: Fingerprint> Fingerprint for std::collections::BTreeMap<K, V> {
    fn feed(&self, into: &mut Feeder) {
        self.len().feed(into);
        for (k, v) in self {
            k.feed(into);
            v.feed(into);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serialised_value_is_told_apart_by_every_part() {
        let key = |value: &dyn erased::Value| {
            let mut h = blake3::Hasher::new();
            value.hash_into(&mut h);
            h.finalize()
        };
        let same = key(&(vec!["ab", "c"], 1.5_f64, Some("長い題名")));
        assert_eq!(same, key(&(vec!["ab", "c"], 1.5_f64, Some("長い題名"))));
        assert_ne!(same, key(&(vec!["a", "bc"], 1.5_f64, Some("長い題名"))));
        assert_ne!(same, key(&(vec!["ab", "c"], -1.5_f64, Some("長い題名"))));
        assert_ne!(same, key(&(vec!["ab", "c"], 1.5_f64, None::<&str>)));
        // A map with keys that are not text (JSON could not write it).
        let map = |v: u8| std::collections::BTreeMap::from([((1u8, 2u8), v)]);
        assert_ne!(key(&map(1)), key(&map(2)));
    }

    /// `hash_serialized` for values of several types in one test.
    mod erased {
        pub trait Value {
            fn hash_into(&self, h: &mut blake3::Hasher);
        }
        impl<T: serde::Serialize> Value for T {
            fn hash_into(&self, h: &mut blake3::Hasher) {
                super::hash_serialized(h, self);
            }
        }
    }

    #[test]
    fn a_debug_form_hashes_as_its_text_however_it_is_gathered() {
        // Pieces of a few bytes, one longer than the buffer, and a run across its end.
        let long = "長".repeat(10_000);
        let value = (vec![1.5_f64, -0.0], "a\"b", long.as_str(), vec!["x"; 5_000]);
        let mut h = blake3::Hasher::new();
        hash_debug(&mut h, &value);
        let text = format!("{value:?}\u{0}");
        assert_eq!(h.finalize(), blake3::hash(text.as_bytes()));
    }

    #[test]
    fn fingerprints_tell_apart_what_their_text_would_run_together() {
        let print = |v: &dyn Fn(&mut Feeder)| {
            let mut h = blake3::Hasher::new();
            v(&mut Feeder::new(&mut h));
            h.finalize()
        };
        let parts = |a: Vec<String>| move |f: &mut Feeder| a.feed(f);
        assert_ne!(
            print(&parts(vec!["ab".into(), "c".into()])),
            print(&parts(vec!["a".into(), "bc".into()]))
        );
        let some = |v: Option<i64>| move |f: &mut Feeder| v.feed(f);
        assert_ne!(print(&some(None)), print(&some(Some(0))));
        let float = |v: f64| move |f: &mut Feeder| v.feed(f);
        assert_ne!(print(&float(0.0)), print(&float(-0.0)));
    }

    #[test]
    fn digests_are_sha256_as_sha256sum_prints_it() {
        // printf abc | sha256sum → ba7816bf8f01cfea…
        assert_eq!(sha256_hex(&[b"abc"], 6), "ba7816bf8f01");
        assert_ne!(sha256_hex(&[b"ab", b"c"], 4), sha256_hex(&[b"a", b"bc"], 4));
    }
}
