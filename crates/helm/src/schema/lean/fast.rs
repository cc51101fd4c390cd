//! A direct reader for the common schema document: what [`super::parse`]
//! builds through serde, built without serde's visitor layers, with
//! whitespace and string contents scanned eight bytes at a time. Schemas of
//! real charts are hundreds of kilobytes of indented JSON, and reading them
//! was the largest part of preparing one.
//!
//! It only ever answers for documents serde_json reads without error, with
//! the value serde builds: anything else (a syntax error, a lone surrogate,
//! a control character in a string, nesting near serde_json's limit) makes
//! it decline with `None`, and the serde path decides. Numbers other than
//! small integers are handed to serde_json itself, so that their values are
//! serde's to the bit.

use serde_json::{Map as JMap, Value as J};

use super::super::re2::Holds;

/// The document read with schema annotations pruned as
/// [`super::parse`] prunes them, or `None` to leave it to serde.
pub(super) fn parse(bytes: &[u8]) -> Option<J> {
    let mut r = Reader {
        b: bytes,
        i: 0,
        depth: 0,
    };
    r.skip_ws();
    let v = r.value(Pos::Schema)?;
    r.skip_ws();
    (r.i == bytes.len()).then_some(v)
}

/// What a JSON value is to the schema document (see `super::Pos`), plus
/// plain data, where nothing is pruned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pos {
    Schema,
    SchemaOrList,
    SchemaMap,
    SchemaList,
    Plain,
}

/// serde_json fails past 128 nested arrays and objects; well below that
/// the reader declines, so that the limit stays serde's to enforce.
const MAX_DEPTH: u32 = 100;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A mark in the high bit of each byte of `x` that equals `byte`; exact
/// for the lowest such byte (borrows only travel upwards).
fn bytes_equal(x: u64, byte: u8) -> u64 {
    let y = x ^ (ONES * u64::from(byte));
    y.wrapping_sub(ONES) & !y & HIGHS
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    fn word(&self) -> Option<u64> {
        let chunk = self.b.get(self.i..self.i + 8)?;
        Some(u64::from_le_bytes(chunk.try_into().ok()?))
    }

    fn skip_ws(&mut self) {
        loop {
            // Indentation comes in runs of spaces: eight at a time.
            while let Some(w) = self.word() {
                let other = w ^ (ONES * u64::from(b' '));
                if other != 0 {
                    self.i += (other.trailing_zeros() / 8) as usize;
                    break;
                }
                self.i += 8;
            }
            match self.b.get(self.i) {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.i += 1,
                _ => return,
            }
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&byte)).then(|| self.i += 1)
    }

    fn value(&mut self, pos: Pos) -> Option<J> {
        match *self.b.get(self.i)? {
            b'{' => self.object(pos),
            b'[' => self.array(pos),
            b'"' => Some(J::String(self.string()?.into_owned())),
            b't' => self.literal(b"true", J::Bool(true)),
            b'f' => self.literal(b"false", J::Bool(false)),
            b'n' => self.literal(b"null", J::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], v: J) -> Option<J> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| {
            self.i = end;
            v
        })
    }

    fn number(&mut self) -> Option<J> {
        let start = self.i;
        let negative = self.b[self.i] == b'-';
        if negative {
            self.i += 1;
        }
        let digits_start = self.i;
        while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let digits = &self.b[digits_start..self.i];
        let simple = !digits.is_empty()
            && digits.len() <= 18
            && (digits[0] != b'0' || digits.len() == 1)
            && !matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E'));
        if simple {
            let n = digits
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            // serde reads `-0` as a float.
            if !negative {
                return Some(J::Number(n.into()));
            }
            if n != 0 {
                return Some(J::Number((-(n as i64)).into()));
            }
        }
        // Fractions, exponents, long or odd numbers: serde's own reading.
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            self.i += 1;
        }
        match serde_json::from_slice::<J>(&self.b[start..self.i]).ok()? {
            v @ J::Number(_) => Some(v),
            _ => None,
        }
    }

    /// A string, the reader at its opening quote.
    fn string(&mut self) -> Option<std::borrow::Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        let mut ascii = true;
        loop {
            // Eight bytes at a time, up to one that needs a look.
            while let Some(w) = self.word() {
                let special = bytes_equal(w, b'"')
                    | bytes_equal(w, b'\\')
                    | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
                    | (w & HIGHS);
                if special != 0 {
                    self.i += (special.trailing_zeros() / 8) as usize;
                    break;
                }
                self.i += 8;
            }
            match *self.b.get(self.i)? {
                b'"' => break,
                b'\\' => return self.escaped_string(start, ascii),
                c if c < 0x20 => return None,
                c if c >= 0x80 => ascii = false,
                _ => {}
            }
            self.i += 1;
        }
        let raw = &self.b[start..self.i];
        self.i += 1;
        if ascii {
            // SAFETY: every byte is below 0x80.
            Some(std::borrow::Cow::Borrowed(unsafe {
                std::str::from_utf8_unchecked(raw)
            }))
        } else {
            std::str::from_utf8(raw)
                .ok()
                .map(std::borrow::Cow::Borrowed)
        }
    }

    /// The rest of a string holding escapes, from its first backslash.
    fn escaped_string(&mut self, start: usize, ascii: bool) -> Option<std::borrow::Cow<'a, str>> {
        let head = &self.b[start..self.i];
        let mut out = if ascii {
            String::from_utf8(head.to_vec()).ok()?
        } else {
            std::str::from_utf8(head).ok()?.to_string()
        };
        let mut run = self.i;
        loop {
            let c = *self.b.get(self.i)?;
            match c {
                b'"' | b'\\' => {
                    out.push_str(std::str::from_utf8(&self.b[run..self.i]).ok()?);
                    self.i += 1;
                    if c == b'"' {
                        return Some(std::borrow::Cow::Owned(out));
                    }
                    let e = *self.b.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                    run = self.i;
                }
                c if c < 0x20 => return None,
                _ => self.i += 1,
            }
        }
    }

    /// The character of a `\u` escape (a surrogate pair takes two), the
    /// reader after the `u`; lone surrogates are serde's to reject.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        match first {
            0xD800..=0xDBFF => {
                if self.b.get(self.i..self.i + 2)? != b"\\u" {
                    return None;
                }
                self.i += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            c => char::from_u32(c),
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let mut n = 0;
        for d in digits {
            n = n * 16 + (*d as char).to_digit(16)?;
        }
        self.i += 4;
        Some(n)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        self.i += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// After an item of an array or object: `true` past its closing
    /// `close`, `false` past a comma (and the space after it).
    fn closed_after_item(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        let c = *self.b.get(self.i)?;
        self.i += 1;
        if c == close {
            return Some(true);
        }
        if c != b',' {
            return None;
        }
        self.skip_ws();
        Some(false)
    }

    fn array(&mut self, pos: Pos) -> Option<J> {
        self.enter()?;
        let element = match pos {
            Pos::SchemaOrList | Pos::SchemaList => Pos::Schema,
            Pos::Schema | Pos::SchemaMap | Pos::Plain => Pos::Plain,
        };
        let mut out = Vec::new();
        self.skip_ws();
        if self.eat(b']').is_none() {
            loop {
                out.push(self.value(element)?);
                if self.closed_after_item(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(J::Array(out))
    }

    fn object(&mut self, pos: Pos) -> Option<J> {
        self.enter()?;
        let mut out = JMap::new();
        self.skip_ws();
        if self.eat(b'}').is_none() {
            loop {
                if self.b.get(self.i) != Some(&b'"') {
                    return None;
                }
                let key = self.string()?;
                self.skip_ws();
                self.eat(b':')?;
                self.skip_ws();
                let value = match pos {
                    Pos::Schema | Pos::SchemaOrList => match &*key {
                        "default" => {
                            self.value(Pos::Plain)?;
                            None
                        }
                        // A string annotation is pruned; anything else stays
                        // for the meta-schema check to reject.
                        "description" | "title" | "$comment" => {
                            if self.b.get(self.i) == Some(&b'"') {
                                self.string()?;
                                None
                            } else {
                                Some(self.value(Pos::Plain)?)
                            }
                        }
                        k => Some(self.value(match Holds::of(k) {
                            Holds::Schema => Pos::Schema,
                            Holds::SchemaOrList => Pos::SchemaOrList,
                            Holds::Map => Pos::SchemaMap,
                            Holds::List => Pos::SchemaList,
                            Holds::Nothing => Pos::Plain,
                        })?),
                    },
                    Pos::SchemaMap => Some(self.value(Pos::Schema)?),
                    Pos::SchemaList | Pos::Plain => Some(self.value(Pos::Plain)?),
                };
                // A later duplicate replaces an earlier one, as in serde_json.
                match value {
                    Some(v) => out.insert(key.into_owned(), v),
                    None => out.remove(&*key),
                };
                if self.closed_after_item(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Some(J::Object(out))
    }
}
