//! Short SHA-256 digests in hex, as opsite shows and names things by them: a data file's first
//! 12 digits (as `sha256sum` prints them), a long customer name's folder, a Message-ID; and how
//! the build's cache keys feed their parts to blake3 (`hash_part`).

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
    struct Feed<'a> {
        hasher: &'a mut blake3::Hasher,
        buffer: Vec<u8>,
    }
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if self.buffer.len() + s.len() > self.buffer.capacity() {
                self.hasher.update(&self.buffer);
                self.buffer.clear();
            }
            match s.len() > self.buffer.capacity() {
                true => {
                    self.hasher.update(s.as_bytes());
                }
                false => self.buffer.extend_from_slice(s.as_bytes()),
            }
            Ok(())
        }
    }
    let mut feed = Feed {
        hasher: h,
        buffer: Vec::with_capacity(1 << 14),
    };
    let _ = std::fmt::write(&mut feed, format_args!("{value:?}\u{0}"));
    feed.hasher.update(&feed.buffer);
}

/// The bytes a value is told apart by, for the large typed tables a cache key is made of (a
/// customer's tickets), where `hash_debug` spends more time writing numbers as text than the
/// hash takes. Types implement it by naming every field (`let Tickets { id, .. } = self` without
/// `..`), so a field added to them fails to compile until it is fed too.
pub trait Fingerprint {
    fn feed(&self, into: &mut Feeder);
}

/// Gathers fed bytes into blocks for a hasher (`hash_fingerprint`).
pub struct Feeder<'a> {
    hasher: &'a mut blake3::Hasher,
    buffer: Vec<u8>,
}

impl Feeder<'_> {
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

/// Feed `value`'s fingerprint to `h`, its type's name first.
pub fn hash_fingerprint<T: Fingerprint + ?Sized>(h: &mut blake3::Hasher, value: &T) {
    let mut feeder = Feeder {
        hasher: h,
        buffer: Vec::with_capacity(1 << 14),
    };
    std::any::type_name::<T>().feed(&mut feeder);
    value.feed(&mut feeder);
    feeder.hasher.update(&feeder.buffer);
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
    fn digests_are_sha256_as_sha256sum_prints_it() {
        // printf abc | sha256sum → ba7816bf8f01cfea…
        assert_eq!(sha256_hex(&[b"abc"], 6), "ba7816bf8f01");
        assert_ne!(sha256_hex(&[b"ab", b"c"], 4), sha256_hex(&[b"a", b"bc"], 4));
    }
}
