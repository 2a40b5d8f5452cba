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
    struct Feed<'a>(&'a mut blake3::Hasher);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let _ = std::fmt::write(&mut Feed(h), format_args!("{value:?}\u{0}"));
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
