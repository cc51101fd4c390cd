//! A chart's parsed templates as one blob of bytes, for a program that keeps
//! them between runs (the command line keeps one file per chart in its
//! cache directory): the next run decodes the trees of every template whose
//! text is unchanged instead of parsing it, which costs about a third.
//!
//! The blob is self-checking: a checksum (xxh3) covers it, so a damaged
//! file is refused rather than decoded into other trees. Each entry holds its template's name, the
//! xxh3 hash of the text it was parsed from and the trees encoded by
//! [`gotmpl::compiled::encode`], which itself checks the text's length and
//! hash and the function set when decoding. A blob written by another build
//! (another `build_id`), cut short or otherwise damaged is refused whole;
//! an entry for another text is ignored. Nothing here panics on bad bytes.
//!
//! What this is not: a cache of rendered output (rendering depends on
//! values, flags and randomness), nor a store that reads or writes files.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use gotmpl::compiled::Encoded;

use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"CGTREES1";

/// Largest blob read back (a chart's trees are a few MiB at most).
pub const MAX_STORE_BYTES: usize = 256 << 20;

/// Trees kept from an earlier run, by template name.
#[derive(Debug, Default)]
pub struct StoredTrees {
    /// Shared with the trees decoded from it (see [`Encoded`]).
    bytes: Arc<[u8]>,
    entries: HashMap<Box<str>, Entry>,
}

#[derive(Debug)]
struct Entry {
    text_hash: u64,
    encoded: Range<usize>,
}

impl StoredTrees {
    /// The trees in `bytes`, if it is a blob [`write`] made for `build_id`.
    pub fn from_bytes(bytes: impl Into<Arc<[u8]>>, build_id: u64) -> Option<StoredTrees> {
        let bytes = bytes.into();
        if bytes.len() > MAX_STORE_BYTES {
            return None;
        }
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        if r.take(MAGIC.len())? != MAGIC || r.u64()? != build_id {
            return None;
        }
        let checksum = r.u64()?;
        if xxh3_64(&bytes[r.at..]) != checksum {
            return None;
        }
        let count = r.u32()? as usize;
        // Each entry takes at least 16 bytes: no allocation beyond the blob's size.
        let mut entries = HashMap::with_capacity(count.min(bytes.len() / 16));
        for _ in 0..count {
            let name_len = r.u32()? as usize;
            let name = std::str::from_utf8(r.take(name_len)?).ok()?;
            let text_hash = r.u64()?;
            let len = r.u32()? as usize;
            let start = r.at;
            r.take(len)?;
            entries.insert(
                name.into(),
                Entry {
                    text_hash,
                    encoded: start..start + len,
                },
            );
        }
        if r.at != bytes.len() {
            return None;
        }
        Some(StoredTrees { bytes, entries })
    }

    /// The encoded trees stored for template `name` parsed from `text`.
    pub fn get(&self, name: &str, text: &str) -> Option<Encoded> {
        let entry = self.entries.get(name)?;
        (entry.text_hash == xxh3_64(text.as_bytes()))
            .then(|| Encoded::Shared(self.bytes.clone(), entry.encoded.clone()))
    }

    /// The encoded trees stored for template `name`, whatever text they
    /// were parsed from: for a decoder, which checks the text itself
    /// ([`gotmpl::compiled::decode`]), without hashing it here too.
    pub fn encoded(&self, name: &str) -> Option<Encoded> {
        let entry = self.entries.get(name)?;
        Some(Encoded::Shared(self.bytes.clone(), entry.encoded.clone()))
    }

    /// How many templates the blob holds trees for.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A blob holding, for each (template name, its text, its encoded trees),
/// the trees [`StoredTrees::from_bytes`] gives back under the same
/// `build_id`. Entries are written in the order given.
pub fn write<'a>(
    build_id: u64,
    entries: impl IntoIterator<Item = (&'a str, &'a str, &'a [u8])>,
) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&build_id.to_le_bytes());
    let checksum_at = out.len();
    out.extend_from_slice(&0u64.to_le_bytes());
    let count_at = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    let mut count = 0u32;
    for (name, text, encoded) in entries {
        let (Ok(name_len), Ok(len)) = (u32::try_from(name.len()), u32::try_from(encoded.len()))
        else {
            continue;
        };
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&xxh3_64(text.as_bytes()).to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(encoded);
        count += 1;
    }
    out[count_at..count_at + 4].copy_from_slice(&count.to_le_bytes());
    let checksum = xxh3_64(&out[count_at..]);
    out[checksum_at..count_at].copy_from_slice(&checksum.to_le_bytes());
    out
}

/// Reads a blob front to back; every read is bounds-checked (`None` past
/// the end). Shared with [`crate::file_memory`].
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob() -> Vec<u8> {
        write(
            7,
            [
                ("c/templates/a.yaml", "a: {{ 1 }}", &b"first"[..]),
                ("c/templates/_b.tpl", "", &b""[..]),
            ],
        )
    }

    #[test]
    fn entries_come_back_for_their_own_text_only() {
        let stored = StoredTrees::from_bytes(blob(), 7).unwrap();
        assert_eq!(stored.len(), 2);
        let get = |name, text| stored.get(name, text).map(|e| e.bytes().to_vec());
        assert_eq!(
            get("c/templates/a.yaml", "a: {{ 1 }}"),
            Some(b"first".to_vec())
        );
        assert_eq!(get("c/templates/_b.tpl", ""), Some(Vec::new()));
        assert_eq!(get("c/templates/a.yaml", "a: {{ 2 }}"), None);
        assert_eq!(get("c/templates/other.yaml", "a: {{ 1 }}"), None);
        // For a decoder, which checks the text: whatever the text.
        let encoded = |name| stored.encoded(name).map(|e| e.bytes().to_vec());
        assert_eq!(encoded("c/templates/a.yaml"), Some(b"first".to_vec()));
        assert_eq!(encoded("c/templates/other.yaml"), None);
    }

    #[test]
    fn another_build_or_damaged_blob_is_refused_whole() {
        assert!(StoredTrees::from_bytes(blob(), 8).is_none());
        let full = blob();
        for cut in 0..full.len() {
            assert!(
                StoredTrees::from_bytes(full[..cut].to_vec(), 7).is_none(),
                "cut at {cut}"
            );
        }
        let mut longer = full.clone();
        longer.push(0);
        assert!(StoredTrees::from_bytes(longer, 7).is_none());
        // Any flipped byte refuses the blob.
        for i in 0..full.len() {
            let mut flipped = full.clone();
            flipped[i] ^= 0x01;
            assert!(StoredTrees::from_bytes(flipped, 7).is_none(), "byte {i}");
        }
    }
}
