//! Property test: random values → `toYaml` → parse gives the same value
//! (modulo helm's documented conversions, which the generator avoids or
//! normalises: every number is a float64, `-0` becomes `0`). It uses the
//! untrimmed `Marshal` text: helm's trimmed newline belongs to a final `|` block.

use chartgen_yaml as y;
use gotmpl::{MapEntries, Value};

mod common;
use common::Rng;

const PIECES: &[&str] = &[
    "a",
    "b",
    "Z",
    "1",
    "0",
    "9",
    "10",
    "x01",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\r",
    ":",
    ": ",
    "#",
    " #",
    "-",
    "- ",
    "---",
    "...",
    "?",
    "'",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "null",
    "~",
    "1.5",
    "0755",
    "0x1F",
    "1e3",
    "2024-01-01",
    "12:30",
    "<<",
    "é",
    "日本",
    "😀",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "\u{1b}",
    "\u{0}",
    "word ",
    "lorem ipsum ",
    ".inf",
    ".nan",
    "NaN",
    "=",
];

fn gen_string(r: &mut Rng, long: bool) -> String {
    let n = if long { r.below(40) } else { r.below(6) };
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(PIECES[r.below(PIECES.len() as u64) as usize]);
    }
    s
}

fn gen_float(r: &mut Rng) -> f64 {
    match r.below(8) {
        0 => r.below(1000) as f64,
        1 => -(r.below(1_000_000_000_000) as f64),
        2 => f64::from_bits(r.next()),
        3 => (r.below(1000) as f64) / 7.0,
        4 => 10f64.powi(r.below(60) as i32 - 30),
        5 => 0.0,
        6 => 1e21 * (r.below(5) as f64),
        _ => r.next() as f64,
    }
}

fn gen_value(r: &mut Rng, depth: u32) -> Value {
    let k = if depth > 3 { r.below(4) } else { r.below(7) };
    match k {
        0 => Value::Nil,
        1 => Value::Bool(r.below(2) == 0),
        2 => {
            let f = gen_float(r);
            if f.is_finite() {
                Value::Float(if f == 0.0 { 0.0 } else { f })
            } else {
                Value::Float(1.0)
            }
        }
        3 => {
            let long = r.below(4) == 0;
            Value::string(gen_string(r, long))
        }
        4 | 5 => {
            let n = r.below(5);
            let mut m = MapEntries::new();
            for _ in 0..n {
                // A "<<" key is printed plain and re-reads as a merge key
                // (helm's own toYaml output does not round-trip there).
                let k = gen_string(r, false);
                if k != "<<" {
                    m.insert(k.into(), gen_value(r, depth + 1));
                }
            }
            Value::map(m)
        }
        _ => {
            let n = r.below(5);
            Value::list((0..n).map(|_| gen_value(r, depth + 1)).collect())
        }
    }
}

/// Equality of JSON-model values (floats bitwise, after -0 → 0).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => {
            let n = |f: f64| if f == 0.0 { 0.0f64 } else { f };
            n(*x).to_bits() == n(*y).to_bits()
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.items.len() == y.items.len() && x.items.iter().zip(&y.items).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            let (xe, ye) = (x.entries(), y.entries());
            xe.len() == ye.len()
                && xe
                    .iter()
                    .zip(ye.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

fn wrap(v: Value) -> Value {
    let mut m = MapEntries::new();
    m.insert("v".into(), v);
    Value::map(m)
}

#[test]
fn random_values_round_trip_through_to_yaml() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..4000 {
        let v = wrap(gen_value(&mut r, 0));
        let text = y::marshal_yaml(&v)
            .unwrap_or_else(|e| panic!("case {i}: toYaml failed: {e}\n{}", y::to_json(&v)));
        let back = y::parse_map(text.as_bytes())
            .unwrap_or_else(|e| panic!("case {i}: reparse failed: {e}\n{text}"));
        assert!(
            same(&v, &back),
            "case {i}: round trip differs\nvalue: {}\nyaml:\n{text}\nback:  {}",
            y::to_json(&v),
            y::to_json(&back)
        );
        // JSON round trip too.
        let j = y::to_json(&v);
        let back = y::from_json(&j);
        assert!(same(&v, &back), "case {i}: json round trip differs: {j}");
    }
}
