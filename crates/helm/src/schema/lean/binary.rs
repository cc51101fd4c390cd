//! The interpreter's input (the pruned schema document) in a compact
//! binary form, for schemas prepared when the program is built: strings
//! carry their length and need no scanning for quotes and escapes, numbers
//! keep serde_json's own kind (u64, i64 or f64) and bits. Reading our
//! chart's schema back took 3.1 M instructions as JSON.
//!
//! Only ever read what [`encode`] wrote for the same program (the prepared
//! schema is checked against the text it came from); anything malformed
//! still gives `None`, never a panic.

use serde_json::{Map as JMap, Number, Value as J};

use crate::compact::{write_str, write_varint as varint, Reader};

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
const U64: u8 = 3;
const I64: u8 = 4;
const F64: u8 = 5;
const STRING: u8 = 6;
const ARRAY: u8 = 7;
const OBJECT: u8 = 8;

/// Deeper documents are not encoded (serde_json itself stops at 128).
const MAX_DEPTH: usize = 200;

/// `v` encoded, or `None` if it nests too deeply.
pub(crate) fn encode(v: &J) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write(v, 0, &mut out)?;
    Some(out)
}

/// The document [`encode`] wrote, if `b` is exactly one.
pub(crate) fn decode(b: &[u8]) -> Option<J> {
    let mut r = Reader { rest: b };
    let v = read(&mut r, 0)?;
    r.rest.is_empty().then_some(v)
}

fn write(v: &J, depth: usize, out: &mut Vec<u8>) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        J::Null => out.push(NULL),
        J::Bool(false) => out.push(FALSE),
        J::Bool(true) => out.push(TRUE),
        J::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(U64);
                out.extend_from_slice(&u.to_le_bytes());
            } else if let Some(i) = n.as_i64() {
                out.push(I64);
                out.extend_from_slice(&i.to_le_bytes());
            } else {
                out.push(F64);
                out.extend_from_slice(&n.as_f64()?.to_le_bytes());
            }
        }
        J::String(s) => {
            out.push(STRING);
            write_str(s, out);
        }
        J::Array(items) => {
            out.push(ARRAY);
            varint(items.len(), out);
            for item in items {
                write(item, depth + 1, out)?;
            }
        }
        J::Object(m) => {
            out.push(OBJECT);
            varint(m.len(), out);
            for (k, v) in m {
                write_str(k, out);
                write(v, depth + 1, out)?;
            }
        }
    }
    Some(())
}

fn read(r: &mut Reader<'_>, depth: usize) -> Option<J> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match r.byte()? {
        NULL => J::Null,
        FALSE => J::Bool(false),
        TRUE => J::Bool(true),
        U64 => J::Number(u64::from_le_bytes(r.word()?).into()),
        I64 => J::Number(i64::from_le_bytes(r.word()?).into()),
        F64 => J::Number(Number::from_f64(f64::from_le_bytes(r.word()?))?),
        STRING => J::String(r.str()?.to_owned()),
        ARRAY => {
            let n = r.varint()?;
            // Each item takes a byte at least: no allocation past the input.
            let mut items = Vec::with_capacity(n.min(r.rest.len()));
            for _ in 0..n {
                items.push(read(r, depth + 1)?);
            }
            J::Array(items)
        }
        OBJECT => {
            let n = r.varint()?;
            let mut m = JMap::new();
            for _ in 0..n {
                let k = r.str()?.to_owned();
                let v = read(r, depth + 1)?;
                m.insert(k, v);
            }
            J::Object(m)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_read_back_as_written() {
        let docs = [
            r#"{"a": [1, -2, 2.5, 1e300, -0.0, 18446744073709551615, -9223372036854775808], "b": {"": null, "c": [true, false, "é\n\"x\""]}, "d": []}"#,
            r#"[]"#,
            r#""s""#,
            r#"{"properties": {"x": {"type": "integer", "minimum": 0, "enum": [1, 1.0, "1"]}}}"#,
        ];
        for doc in docs {
            let v: J = serde_json::from_str(doc).unwrap();
            let back = decode(&encode(&v).unwrap()).expect("decodes");
            assert_eq!(back, v, "{doc}");
            // Numbers keep their kind: 1 and 1.0 stay apart.
            assert_eq!(format!("{back:?}"), format!("{v:?}"), "{doc}");
        }
    }

    #[test]
    fn malformed_input_is_refused_without_panicking() {
        let v: J = serde_json::from_str(r#"{"a": [1, "b", {"c": 2.5}], "d": true}"#).unwrap();
        let b = encode(&v).unwrap();
        assert!(decode(&b[..b.len() - 1]).is_none());
        let mut longer = b.clone();
        longer.push(NULL);
        assert!(decode(&longer).is_none());
        for i in 0..b.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut damaged = b.clone();
                damaged[i] ^= flip;
                let _ = decode(&damaged);
            }
            let _ = decode(&b[..i]);
        }
        let mut deep = J::from(1);
        for _ in 0..150 {
            deep = J::Array(vec![deep]);
        }
        assert_eq!(decode(&encode(&deep).unwrap()), Some(deep.clone()));
        for _ in 0..100 {
            deep = J::Array(vec![deep]);
        }
        assert!(encode(&deep).is_none());
    }
}
