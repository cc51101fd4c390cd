//! Arbitrary bytes → parse (helm's values reader) → toYaml → parse must give
//! the same value, or fail with a clean error. Also exercises the other
//! decoders for panics, and compares the plain-value shortcut with the
//! general decoding.
#![no_main]

use chartgen_yaml as y;
use gotmpl::Value;
use libfuzzer_sys::fuzz_target;

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => {
            let n = |f: f64| if f == 0.0 { 0.0f64 } else { f };
            n(*x).to_bits() == n(*y).to_bits()
        }
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => x.items.len() == y.items.len() && x.items.iter().zip(&y.items).all(|(a, b)| same(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            let (xe, ye) = (x.entries(), y.entries());
            xe.len() == ye.len() && xe.iter().zip(ye.iter()).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

fn has_merge_key(v: &Value) -> bool {
    match v {
        Value::Map(m) => m.entries().iter().any(|(k, v)| &**k == "<<" || has_merge_key(v)),
        Value::List(l) => l.items.iter().any(has_merge_key),
        _ => false,
    }
}

/// Whether a key or string holds a NEL: toYaml's JSON-to-YAML step reads
/// the raw U+0085 that encoding/json leaves in a string as a line break and
/// folds it into a space, as helm does.
fn has_nel(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\u{85}'),
        Value::Map(m) => m.entries().iter().any(|(k, v)| k.contains('\u{85}') || has_nel(v)),
        Value::List(l) => l.items.iter().any(has_nel),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = y::parse_values(data) {
        // helm prints a "<<" key plain, which re-reads as a merge key.
        if let (Ok(text), false) = (y::marshal_yaml(&v), has_merge_key(&v) || has_nel(&v)) {
            let back = y::parse_values(text.as_bytes()).expect("toYaml output must parse");
            assert!(same(&v, &back), "round trip differs:\n{text}");
        }
        let _ = y::to_yaml_pretty(&v);
        let _ = y::to_toml(&v);
        let j = y::to_json(&v);
        assert!(same(&v, &y::from_json(&j)), "json round trip differs: {j}");
    }
    // The plain-value shortcut must agree with the general path, which the
    // spanned readers always take.
    let show = |r: Result<Value, y::Error>| match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("err {e}"),
    };
    assert_eq!(show(y::parse(data)), show(y::parse_spanned(data).map(|s| s.to_value())), "parse shortcut differs");
    assert_eq!(
        show(y::parse_values(data)),
        show(y::parse_values_spanned(data).map(|s| s.to_value())),
        "parse_values shortcut differs"
    );
    // Document heads: the filtered decoding must be a full parse, filtered.
    let keep = |k: &str| k == "kind" || k == "1" || k.len() == 1;
    match (y::parse_top_filtered(data, &keep), y::parse(data)) {
        (Ok(f), Ok(Value::Map(m))) => {
            let kept = m.entries().iter().filter(|(k, _)| keep(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
            assert!(same(&f, &Value::map(kept)), "filtered decoding differs");
        }
        (Ok(f), Ok(full)) => assert!(same(&f, &full), "filtered decoding differs"),
        (Err(a), Err(b)) => assert_eq!(a.message(), b.message()),
        (a, b) => panic!("filtered decoding differs: {a:?} / {b:?}"),
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = y::from_yaml_array(s);
        let _ = y::from_json(s);
        let _ = y::from_json_array(s);
        let _ = y::from_toml(s);
    }
});
