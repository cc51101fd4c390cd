//! The byte-level pieces of the compact encodings prepared when the
//! program is built (values files, schema documents): LEB128 lengths,
//! length-prefixed strings, and a reader that refuses malformed input
//! instead of panicking.

pub(crate) fn write_varint(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(crate) fn write_str(s: &str, out: &mut Vec<u8>) {
    write_varint(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

/// Marks an encoding prepared from `text`: the text's length and xxh3
/// fingerprint (16 bytes), so that only that very text is served from it.
pub(crate) fn write_origin(text: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(text).to_le_bytes());
}

/// `prepared` past its [`write_origin`] mark, if the mark is `text`'s (the
/// fingerprint is only computed for a text of the marked length).
pub(crate) fn strip_origin<'a>(prepared: &'a [u8], text: &[u8]) -> Option<&'a [u8]> {
    let (len, rest) = prepared.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*len) != text.len() as u64 {
        return None;
    }
    let (print, rest) = rest.split_first_chunk::<8>()?;
    (u64::from_le_bytes(*print) == xxhash_rust::xxh3::xxh3_64(text)).then_some(rest)
}

pub(crate) struct Reader<'a> {
    pub(crate) rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    pub(crate) fn word(&mut self) -> Option<[u8; 8]> {
        let (w, rest) = self.rest.split_first_chunk::<8>()?;
        self.rest = rest;
        Some(*w)
    }

    pub(crate) fn varint(&mut self) -> Option<usize> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let n = self.varint()?;
        if n > self.rest.len() {
            return None;
        }
        let (s, rest) = self.rest.split_at(n);
        self.rest = rest;
        std::str::from_utf8(s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_strings_read_back() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 300, 1 << 20, usize::MAX] {
            write_varint(n, &mut out);
        }
        write_str("é", &mut out);
        let mut r = Reader { rest: &out };
        for n in [0, 1, 127, 128, 300, 1 << 20, usize::MAX] {
            assert_eq!(r.varint(), Some(n));
        }
        assert_eq!(r.str(), Some("é"));
        assert!(r.rest.is_empty());
        // Past the end, an overlong length, a length past the input.
        assert_eq!(r.byte(), None);
        assert_eq!(Reader { rest: &[0xff; 11] }.varint(), None);
        assert_eq!(Reader { rest: &[5, b'a'] }.str(), None);
        assert_eq!(
            Reader {
                rest: &[2, 0xc3, 0x28]
            }
            .str(),
            None
        );
    }

    #[test]
    fn only_the_marked_text_passes_its_origin_mark() {
        let mut out = Vec::new();
        write_origin(b"text", &mut out);
        out.push(7);
        assert_eq!(strip_origin(&out, b"text"), Some(&[7][..]));
        assert_eq!(strip_origin(&out, b"texT"), None);
        assert_eq!(strip_origin(&out, b"texts"), None);
        assert_eq!(strip_origin(&out[..15], b"text"), None);
    }
}
