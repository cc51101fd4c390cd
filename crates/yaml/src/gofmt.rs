//! The few Go `fmt`/`strconv` printers goyaml and sigs.k8s.io/yaml put into
//! error messages.

use crate::decode::GoVal;
use crate::gofloat::format_g;

/// Whether Go's `unicode.IsPrint` would keep `c` (approximation: Unicode
/// categories are not tabulated here; controls, separators other than the
/// ASCII space, private use, and noncharacters are not printable).
pub fn go_is_print(c: char) -> bool {
    let u = c as u32;
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || (0xE000..=0xF8FF).contains(&u)
        || (0xF0000..=0x10FFFF).contains(&u)
        || (0xFFF9..=0xFFFB).contains(&u)
        || u == 0xFEFF
        || u == 0xFFFE
        || u == 0xFFFF
        || (0x200B..=0x200F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2060..=0x2064).contains(&u)
        || u == 0xAD)
}

/// `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0C' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0B' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn sharp_v_inner(v: &GoVal, top: bool) -> String {
    match v {
        GoVal::Nil => {
            if top {
                "<nil>".into()
            } else {
                "interface {}(nil)".into()
            }
        }
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => format!("0x{u:x}"),
        GoVal::Float(f) => format_g(*f),
        GoVal::Str(s) => go_quote(s),
        GoVal::Seq(items) => {
            let parts: Vec<String> = items.iter().map(|n| sharp_v_inner(&n.val, false)).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        GoVal::Map(entries) => {
            let mut sorted: Vec<&(crate::decode::GoNode, crate::decode::GoNode)> =
                entries.iter().collect();
            sorted.sort_by(|a, b| fmtsort_key(&a.0.val, &b.0.val));
            let parts: Vec<String> = sorted
                .into_iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        sharp_v_inner(&k.val, false),
                        sharp_v_inner(&v.val, false)
                    )
                })
                .collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

/// The order Go's `fmt` prints `interface{}` map keys in (`internal/fmtsort`):
/// nil first, then by dynamic type, then by value. Types compare by the
/// address of their descriptors, fixed per binary; helm v4.1.4 orders the
/// ones YAML decodes to string < uint64 < int < float64 < bool. Floats put
/// NaN first.
fn fmtsort_key(a: &GoVal, b: &GoVal) -> std::cmp::Ordering {
    fn rank(v: &GoVal) -> u8 {
        match v {
            GoVal::Nil => 0,
            GoVal::Str(_) => 1,
            GoVal::Uint(_) => 2,
            GoVal::Int(_) => 3,
            GoVal::Float(_) => 4,
            GoVal::Bool(_) => 5,
            // Not hashable in Go, so never map keys there.
            GoVal::Seq(_) => 6,
            GoVal::Map(_) => 7,
        }
    }
    match (a, b) {
        (GoVal::Str(x), GoVal::Str(y)) => x.cmp(y),
        (GoVal::Uint(x), GoVal::Uint(y)) => x.cmp(y),
        (GoVal::Int(x), GoVal::Int(y)) => x.cmp(y),
        (GoVal::Float(x), GoVal::Float(y)) => match (x.is_nan(), y.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            _ => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        },
        (GoVal::Bool(x), GoVal::Bool(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Go's `%#v` (and `%+#v`) of a decoded YAML value.
pub fn go_sharp_v(v: &GoVal) -> String {
    sharp_v_inner(v, true)
}
