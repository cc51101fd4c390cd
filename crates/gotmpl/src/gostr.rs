//! Go strings are byte sequences that may hold invalid UTF-8.
//!
//! chartgen keeps valid strings as `Arc<str>` ([`crate::Value::String`]) and
//! only the rare invalid ones as [`Bytes`] ([`crate::Value::Bytes`]), so the
//! common path stays free. Template output is an [`Output`]: text until the
//! first invalid byte is written, bytes after that.

use std::borrow::Cow;
use std::fmt;

/// A Go string that is not valid UTF-8, with its rune view precomputed.
pub struct Bytes {
    bytes: Box<[u8]>,
    /// [`lossy`] of `bytes`: what Go sees when it ranges over the runes.
    runes: Box<str>,
}

impl Bytes {
    /// `None` when `bytes` is valid UTF-8 (then it is an ordinary string).
    pub fn new(bytes: Vec<u8>) -> Option<Bytes> {
        if std::str::from_utf8(&bytes).is_ok() {
            return None;
        }
        let runes = lossy(&bytes).into_owned().into_boxed_str();
        Some(Bytes {
            bytes: bytes.into_boxed_slice(),
            runes,
        })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The rune view: each byte that is not part of valid UTF-8 is U+FFFD.
    pub fn runes(&self) -> &str {
        &self.runes
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.bytes.escape_ascii().to_string())
    }
}

/// Go's rune decoding of arbitrary bytes: every byte that does not start a
/// valid UTF-8 sequence is one U+FFFD of width 1 (`utf8.DecodeRune`), so
/// `"\xe2\x82"` is two U+FFFD (Rust's `from_utf8_lossy` gives one).
pub fn lossy(b: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(b) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(b.len() + 8);
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        for _ in chunk.invalid() {
            out.push('\u{fffd}');
        }
    }
    Cow::Owned(out)
}

/// Go's `utf8.DecodeRune`: the first rune of `b` and its width; an invalid
/// byte is U+FFFD of width 1; empty input is (U+FFFD, 0).
pub fn decode_rune(b: &[u8]) -> (char, usize) {
    let Some(&c) = b.first() else {
        return ('\u{fffd}', 0);
    };
    if c < 0x80 {
        return (c as char, 1);
    }
    let n = match c {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return ('\u{fffd}', 1),
    };
    match b.get(..n).and_then(|s| std::str::from_utf8(s).ok()) {
        Some(s) => (s.chars().next().unwrap_or('\u{fffd}'), n),
        None => ('\u{fffd}', 1),
    }
}

/// Runes of a byte string with their byte offsets and widths, as Go's
/// `for i, r := range s` yields them.
pub fn rune_indices(b: &[u8]) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= b.len() {
            return None;
        }
        let (r, w) = decode_rune(&b[i..]);
        let at = i;
        i += w;
        Some((at, r, w))
    })
}

// Text functions written for `&str` can treat a byte string as text with
// each invalid byte written as one mark, `MARK_BASE + byte` (a private-use
// code point): marks match nothing but themselves, count as one rune each
// (as Go counts an invalid byte), and turn back into the bytes afterwards.
// Only inputs that hold invalid bytes are marked, so valid text (which may
// itself hold these rare code points) is never reinterpreted.
const MARK_BASE: u32 = 0x10FF00;

/// The byte a mark stands for.
pub fn mark_byte(c: char) -> Option<u8> {
    let c = c as u32;
    (MARK_BASE..MARK_BASE + 0x100)
        .contains(&c)
        .then(|| (c - MARK_BASE) as u8)
}

/// `b` as text, each invalid byte as its mark.
pub fn marked(b: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(b) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(b.len() + 16);
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        for &x in chunk.invalid() {
            out.push(char::from_u32(MARK_BASE + u32::from(x)).unwrap_or('\u{fffd}'));
        }
    }
    Cow::Owned(out)
}

/// The bytes of marked text, if it holds any mark (`None`: plain text).
pub fn marked_bytes(s: &str) -> Option<Vec<u8>> {
    // Marks are 4-byte sequences starting 0xF4 0x8F: a cheap first test.
    if !s.as_bytes().contains(&0xF4) {
        return None;
    }
    match unmarked(s) {
        crate::Value::Bytes(b) => Some(b.as_bytes().to_vec()),
        _ => None,
    }
}

/// The inverse of [`marked`]: the Go string the marked text stands for.
pub fn unmarked(s: &str) -> crate::Value {
    if !s.chars().any(|c| mark_byte(c).is_some()) {
        return crate::Value::from(s);
    }
    let mut b = Vec::with_capacity(s.len());
    for c in s.chars() {
        match mark_byte(c) {
            Some(x) => b.push(x),
            None => b.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    crate::Value::from_bytes(b)
}

/// Go's `strings.ReplaceAll` on bytes (`from` non-empty).
pub fn replace_all(b: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if !from.is_empty() && b[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// A template's output: Go writes bytes; this stays a `String` until bytes
/// that are not UTF-8 are written.
#[derive(Default, Debug)]
pub struct Output {
    text: String,
    raw: Option<Vec<u8>>,
}

impl Output {
    pub fn new() -> Output {
        Output::default()
    }

    pub fn len(&self) -> usize {
        match &self.raw {
            Some(r) => r.len(),
            None => self.text.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push_str(&mut self, s: &str) {
        match &mut self.raw {
            Some(r) => r.extend_from_slice(s.as_bytes()),
            None => self.text.push_str(s),
        }
    }

    pub fn push_bytes(&mut self, b: &[u8]) {
        match &mut self.raw {
            Some(r) => r.extend_from_slice(b),
            None => match std::str::from_utf8(b) {
                Ok(s) => self.text.push_str(s),
                Err(_) => {
                    let mut r = std::mem::take(&mut self.text).into_bytes();
                    r.extend_from_slice(b);
                    self.raw = Some(r);
                }
            },
        }
    }

    /// Appends text produced by `f` (which writes into a `String`).
    pub fn write_with(&mut self, f: impl FnOnce(&mut String)) {
        match &mut self.raw {
            Some(r) => {
                let mut s = String::new();
                f(&mut s);
                r.extend_from_slice(s.as_bytes());
            }
            None => f(&mut self.text),
        }
    }

    /// The output as Go's `string`: a [`crate::Value::Bytes`] if not UTF-8.
    pub fn into_value(self) -> crate::Value {
        match self.raw {
            Some(r) => crate::Value::from_bytes(r),
            None => crate::Value::from(self.text),
        }
    }

    /// [`Self::into_value`] with every `from` replaced by `to` (helm's
    /// `<no value>` removal).
    pub fn into_value_replacing(self, from: &str, to: &str) -> crate::Value {
        match self.raw {
            Some(r) => crate::Value::from_bytes(replace_all(&r, from.as_bytes(), to.as_bytes())),
            None if self.text.contains(from) => crate::Value::from(self.text.replace(from, to)),
            None => crate::Value::from(self.text),
        }
    }

    /// [`Self::into_value`] of a copy.
    pub fn to_value(&self) -> crate::Value {
        match &self.raw {
            Some(r) => crate::Value::from_bytes(r.clone()),
            None => crate::Value::string(self.text.as_str()),
        }
    }

    /// The output that gives `v` (a string or bytes) as [`Self::into_value`].
    pub fn from_value(v: &crate::Value) -> Output {
        let mut out = Output::new();
        match v {
            crate::Value::Bytes(b) => out.push_bytes(b.as_bytes()),
            crate::Value::String(s) => out.push_str(s),
            other => debug_assert!(false, "not an output: {other:?}"),
        }
        out
    }

    /// [`Self::into_value`], copying the text out and leaving the buffer
    /// empty but allocated, for reuse.
    pub fn take_value(&mut self) -> crate::Value {
        let value = match self.raw.take() {
            Some(r) => crate::Value::from_bytes(r),
            None => crate::Value::string(self.text.as_str()),
        };
        self.text.clear();
        value
    }

    /// The text buffer, emptied, for reuse.
    pub fn into_buffer(self) -> String {
        let mut text = self.text;
        text.clear();
        text
    }

    /// The output as text, or the bytes when they are not UTF-8.
    pub fn into_result(self) -> Result<String, Vec<u8>> {
        match self.raw {
            Some(r) => String::from_utf8(r).map_err(|e| e.into_bytes()),
            None => Ok(self.text),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match &self.raw {
            Some(r) => r,
            None => self.text.as_bytes(),
        }
    }
}

impl From<String> for Output {
    fn from(text: String) -> Output {
        Output { text, raw: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_is_one_rune_error_per_invalid_byte() {
        assert_eq!(lossy(b"a\xe2\x82b"), "a\u{fffd}\u{fffd}b");
        assert_eq!(lossy(b"\xed\xa0\x80"), "\u{fffd}\u{fffd}\u{fffd}");
        assert_eq!(lossy("é€".as_bytes()), "é€");
        assert_eq!(lossy(b"\xf0\x9f\x98"), "\u{fffd}\u{fffd}\u{fffd}");
    }

    #[test]
    fn templates_keep_go_bytes() {
        let mut set = crate::TemplateSet::new("t", crate::FuncMap::new());
        // Raw bytes in text are copied; inside a quoted literal they are U+FFFD.
        let src = marked(b"a\xff{{ \"\\xfe\" }}{{ len \"\\xe2\\x82\" }}{{ printf \"%.1s|%q|\" \"\\xff\\xfe\" \"\\xff\" }}{{ \"\xff\" }}");
        set.parse("t", &src).unwrap();
        let mut out = Output::new();
        set.execute_output_with("t", &crate::Value::Invalid, &mut out, &mut ())
            .unwrap();
        let want = b"a\xff\xfe2\xff|\"\\xff\"|\xef\xbf\xbd".to_vec();
        assert_eq!(out.into_result(), Err(want));
        // The text API gives U+FFFD for each invalid byte.
        assert_eq!(
            set.render("t", &crate::Value::Invalid).unwrap(),
            "a\u{fffd}\u{fffd}2\u{fffd}|\"\\xff\"|\u{fffd}"
        );
    }

    #[test]
    fn marks_round_trip() {
        let b = b"a\xff\xe2\x82\xc3\xa9";
        let m = marked(b);
        assert_eq!(m.chars().count(), 5);
        assert_eq!(unmarked(&m).as_bytes(), Some(&b[..]));
        assert!(matches!(unmarked("plain"), crate::Value::String(_)));
    }

    #[test]
    fn decode_rune_follows_go() {
        assert_eq!(decode_rune(b"\xe2\x82\xac!"), ('€', 3));
        assert_eq!(decode_rune(b"\xe2\x82"), ('\u{fffd}', 1));
        assert_eq!(decode_rune(b"\xc0\x80"), ('\u{fffd}', 1));
        assert_eq!(decode_rune(b""), ('\u{fffd}', 0));
        let v: Vec<_> = rune_indices(b"a\xffb").collect();
        assert_eq!(v, vec![(0, 'a', 1), (1, '\u{fffd}', 1), (2, 'b', 1)]);
    }

    #[test]
    fn output_switches_to_bytes_on_invalid_utf8() {
        let mut o = Output::new();
        o.push_str("a");
        o.push_bytes("é".as_bytes());
        assert_eq!(o.as_bytes(), "aé".as_bytes());
        o.push_bytes(b"\xff");
        o.write_with(|s| s.push('z'));
        assert_eq!(o.len(), 5);
        assert_eq!(o.into_result(), Err(b"a\xc3\xa9\xffz".to_vec()));
        assert!(Bytes::new(b"ok".to_vec()).is_none());
        assert_eq!(replace_all(b"a<n>\xff<n>", b"<n>", b""), b"a\xff");
    }
}
