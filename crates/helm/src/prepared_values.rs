//! Values files read ahead of time (when the program is built, for a chart
//! built into it): what [`crate::loader::load_values`] gives for a text,
//! in a compact encoding, under the text's length and fingerprint. A run
//! whose values file has that very text decodes it instead of parsing YAML:
//! our chart's 88 KB `values.yaml` took 2.4 M instructions to parse, on the
//! loading thread, before any render could start.
//!
//! Values files only give null, booleans, float64 numbers, strings, lists
//! and maps (sigs.k8s.io/yaml goes through JSON); a text giving anything
//! else, or nested deeper than [`MAX_DEPTH`], is not prepared.

use gotmpl::{Str, Type, Value};

use crate::compact::{strip_origin, write_origin, write_str, write_varint as varint, Reader};

const MAGIC: &[u8] = b"CGVAL\x01";

/// Deeper values are left to the parser (which grows its stack for them):
/// decoding recurses once per level.
const MAX_DEPTH: usize = 200;

const NIL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const FLOAT: u8 = 3;
const STRING: u8 = 4;
const LIST: u8 = 5;
const MAP: u8 = 6;

/// Values files prepared ahead of time (each from [`prepare`]).
pub type PreparedValues = &'static [&'static [u8]];

/// Prepared values kept between runs (by the binary, in its cache
/// directory): for charts on disk, whose values files no build prepared.
pub trait ValuesStore: Send + Sync {
    /// A prepared form ([`prepare`]) kept for `text`, if any. It is used
    /// only if it names this very text (see [`values_for`]).
    fn load(&self, text: &[u8]) -> Option<Vec<u8>>;
    /// `text` was parsed for want of a prepared form: the store may make
    /// one for the next run.
    fn missed(&self, text: std::sync::Arc<[u8]>);
}

/// The values of `text` from what `store` kept for it, if anything.
pub fn kept_values(store: &dyn ValuesStore, text: &[u8]) -> Option<Value> {
    let blob = store.load(text)?;
    values_for(&[&blob], text)
}

/// The values of `text` encoded for [`values_for`], or `None` when the text
/// does not parse or gives what the encoding does not hold. The encoding
/// is read back and compared before it is returned.
pub fn prepare(text: &[u8]) -> Option<Vec<u8>> {
    let values = crate::loader::load_values(text).ok()?;
    let mut out = MAGIC.to_vec();
    write_origin(text, &mut out);
    encode(&values, 0, &mut out)?;
    let back = values_for(&[&out], text)?;
    same(&back, &values).then_some(out)
}

/// The values of `text` from the first of `prepared` made from that very
/// text (same length and fingerprint), or `None`.
pub fn values_for(prepared: &[&[u8]], text: &[u8]) -> Option<Value> {
    let rest = prepared
        .iter()
        .find_map(|blob| strip_origin(blob.strip_prefix(MAGIC)?, text))?;
    let mut r = Reader { rest };
    let v = read_value(&mut r, 0)?;
    r.rest.is_empty().then_some(v)
}

fn encode(v: &Value, depth: usize, out: &mut Vec<u8>) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        Value::Nil => out.push(NIL),
        Value::Bool(false) => out.push(FALSE),
        Value::Bool(true) => out.push(TRUE),
        Value::Float(f) => {
            out.push(FLOAT);
            out.extend_from_slice(&f.to_le_bytes());
        }
        Value::String(s) => {
            out.push(STRING);
            write_str(s, out);
        }
        Value::List(l) if l.ty == Type::slice_of(Type::Interface) && !l.nil => {
            out.push(LIST);
            varint(l.items.len(), out);
            for item in &l.items {
                encode(item, depth + 1, out)?;
            }
        }
        Value::Map(m) if m.ty == Type::map_of(Type::Interface) => {
            let entries = m.entries();
            out.push(MAP);
            varint(entries.len(), out);
            for (k, v) in entries.iter() {
                write_str(k, out);
                encode(v, depth + 1, out)?;
            }
        }
        _ => return None,
    }
    Some(())
}

fn read_value(r: &mut Reader<'_>, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match r.byte()? {
        NIL => Value::Nil,
        FALSE => Value::Bool(false),
        TRUE => Value::Bool(true),
        FLOAT => Value::Float(f64::from_le_bytes(r.word()?)),
        STRING => Value::String(Str::from(r.str()?)),
        LIST => {
            let n = r.varint()?;
            // Each item takes a byte at least: no allocation past the input.
            let mut items = Vec::with_capacity(n.min(r.rest.len()));
            for _ in 0..n {
                items.push(read_value(r, depth + 1)?);
            }
            // Values files' lists, as JSON decoding grew them.
            Value::grown_list(items)
        }
        MAP => {
            let n = r.varint()?;
            // Written from a map, so in key order: the tree is built in one
            // pass from the sorted entries, without a search per key.
            let mut entries = Vec::with_capacity(n.min(r.rest.len()));
            for _ in 0..n {
                let k = Str::from(r.str()?);
                let v = read_value(r, depth + 1)?;
                entries.push((k, v));
            }
            Value::map(entries.into_iter().collect())
        }
        _ => return None,
    })
}

/// Whether two values files' values are the same (as the encoding sees them).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.ty == y.ty
                && x.nil == y.nil
                && x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            let (ex, ey) = (x.entries(), y.entries());
            x.ty == y.ty
                && ex.len() == ey.len()
                && ex
                    .iter()
                    .zip(ey.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(v: &Value) -> String {
        format!("{v:?}")
    }

    #[test]
    fn prepared_values_decode_to_what_the_parser_gives() {
        let texts: &[&str] = &[
            "a: 1\nb: [x, {c: null, d: true}]\ne: {}\nf: []\ng: 1.5e3\nh: 'q'\n",
            "# comment only\n",
            "",
            "n: no\ny: on\nbig: 12345678901234567890\nneg: -0.0\nu: \"ü\\u00e9\"\n",
            "---\na: 1\n---\nb: 2\n",
            "a:\n  b:\n    - c: |\n        text\n      d: [1, 2]\n  e: &x {f: g}\n  h: *x\n",
        ];
        for text in texts {
            let prepared = prepare(text.as_bytes()).expect("prepared");
            let decoded = values_for(&[&prepared], text.as_bytes()).expect("decodes");
            let parsed = crate::loader::load_values(text.as_bytes()).unwrap();
            assert_eq!(render(&decoded), render(&parsed), "{text}");
            assert!(same(&decoded, &parsed));
        }
    }

    #[test]
    fn only_the_same_text_is_served() {
        let text = b"a: 1\n";
        let prepared = prepare(text).unwrap();
        assert!(values_for(&[&prepared], b"a: 2\n").is_none());
        assert!(values_for(&[&prepared], b"a: 1\n\n").is_none());
        assert!(values_for(&[], text).is_none());
        let other = prepare(b"b: 2\n").unwrap();
        assert!(values_for(&[&other, &prepared], text).is_some());
    }

    #[test]
    fn what_cannot_be_prepared_is_left_to_the_parser() {
        assert!(prepare(b"a: [").is_none());
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        assert!(prepare(format!("a: {deep}\n").as_bytes()).is_none());
    }

    #[test]
    fn damaged_encodings_are_refused_not_trusted() {
        let text = b"a: [x, {b: true}]\nc: 2.5\n";
        let prepared = prepare(text).unwrap();
        let header = MAGIC.len() + 16;
        for i in header..prepared.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut damaged = prepared.clone();
                damaged[i] ^= flip;
                // Either refused, or some value: never a panic.
                let _ = values_for(&[&damaged], text);
            }
            let _ = values_for(&[&prepared[..i]], text);
        }
    }
}
