//! A file opsite keeps between runs to skip work it did before (the exports as loaded, page
//! bodies as rendered): a format header, the key of what it was made from, a MessagePack body,
//! then the body's hash. Written beside its place and renamed into it whole, in a folder of the
//! site's own (never through a link); read only when the header, the key and the hash all
//! match, so a damaged, older or foreign file costs time, never wrong output.

use std::io::Write;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::write_whole::own_folder;

/// Where a kept file lies: its folder (relative to the site, `.opsite/cache`), its name there,
/// and its first bytes (its format).
#[derive(Clone, Copy)]
pub struct KeptFile {
    pub dir: &'static str,
    pub name: &'static str,
    pub header: &'static [u8],
}

impl KeptFile {
    /// The body kept in the site at `root` for `key`, if the file is as written.
    pub fn read<T: DeserializeOwned>(&self, root: &Path, key: &[u8]) -> Option<T> {
        let bytes =
            crate::walk::read_own_file(&own_folder(root, self.dir, false)?.join(self.name))?;
        let rest = bytes.strip_prefix(self.header)?.strip_prefix(key)?;
        let (body, hash) = rest.split_at_checked(rest.len().checked_sub(32)?)?;
        if blake3::hash(body).as_bytes() != hash {
            return None;
        }
        rmp_serde::from_slice(body).ok()
    }

    /// Keep `body` for `key`, replacing the file whole; false when it could not be written
    /// (nothing is left half-written).
    pub fn write(&self, root: &Path, key: &[u8], body: &impl Serialize) -> bool {
        let Some(dir) = own_folder(root, self.dir, true) else {
            return false;
        };
        let path = dir.join(self.name);
        crate::write_whole::remove_copies_of(&path);
        let temp = crate::write_whole::temp_beside(&path);
        let written = write_hashed(&temp, self.header, key, body)
            .and_then(|()| std::fs::rename(&temp, &path))
            .is_ok();
        if !written {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }

    /// Remove the kept file, and any a killed run left half-written.
    pub fn remove(&self, root: &Path) {
        if let Some(dir) = own_folder(root, self.dir, false) {
            let _ = std::fs::remove_file(dir.join(self.name));
            crate::write_whole::remove_copies_of(&dir.join(self.name));
        }
    }
}

/// The header, the key, the body as it is serialised, then the body's hash: written as it is
/// made, so ten million tickets' tables are not held a second time as bytes.
fn write_hashed(
    temp: &Path,
    header: &[u8],
    key: &[u8],
    body: &impl Serialize,
) -> std::io::Result<()> {
    struct Hashing<W> {
        out: W,
        hasher: blake3::Hasher,
    }
    impl<W: Write> Write for Hashing<W> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let n = self.out.write(bytes)?;
            self.hasher.update(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush()
        }
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 20, crate::write_whole::create_new(temp)?);
    out.write_all(header)?;
    out.write_all(key)?;
    let mut hashing = Hashing {
        out,
        hasher: blake3::Hasher::new(),
    };
    rmp_serde::encode::write_named(&mut hashing, body).map_err(std::io::Error::other)?;
    let Hashing { mut out, hasher } = hashing;
    out.write_all(hasher.finalize().as_bytes())?;
    out.flush()
}
