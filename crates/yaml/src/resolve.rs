//! goyaml v2's implicit scalar resolution (YAML 1.1 flavoured), with Go's
//! `strconv` and `time.Parse` rules where goyaml relies on them.

pub const STR_TAG: &str = "tag:yaml.org,2002:str";
pub const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub const INT_TAG: &str = "tag:yaml.org,2002:int";
pub const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// What a scalar resolves to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// The scalar's own text (a string, a timestamp kept as text, a merge key,
    /// or the value of an unresolvable tag).
    Str,
}

/// `!!int` → `tag:yaml.org,2002:int`; other tags unchanged.
pub fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

fn resolvable(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    )
}

fn map_lookup(s: &str) -> Option<(&'static str, Resolved)> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            (BOOL_TAG, Resolved::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            (BOOL_TAG, Resolved::Bool(false))
        }
        "" | "~" | "null" | "Null" | "NULL" => (NULL_TAG, Resolved::Null),
        ".nan" | ".NaN" | ".NAN" => (FLOAT_TAG, Resolved::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (FLOAT_TAG, Resolved::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (FLOAT_TAG, Resolved::Float(f64::NEG_INFINITY)),
        "<<" => (MERGE_TAG, Resolved::Str),
        _ => return None,
    })
}

/// Go's `strconv.ParseUint(s, base, 64)` for base 0 (prefixes) or a fixed base.
pub fn go_parse_uint(s: &str, base: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (mut base, mut digits) = (base, s);
    if base == 0 {
        base = 10;
        if b[0] == b'0' {
            if b.len() >= 3 && b[1].eq_ignore_ascii_case(&b'b') {
                base = 2;
                digits = &s[2..];
            } else if b.len() >= 3 && b[1].eq_ignore_ascii_case(&b'o') {
                base = 8;
                digits = &s[2..];
            } else if b.len() >= 3 && b[1].eq_ignore_ascii_case(&b'x') {
                base = 16;
                digits = &s[2..];
            } else {
                base = 8;
                digits = &s[1..];
            }
        }
    }
    let mut n: u64 = 0;
    for c in digits.bytes() {
        let d = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'a'..=b'z' => (c - b'a') as u32 + 10,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, base, 64)`.
pub fn go_parse_int(s: &str, base: u32) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let (neg, rest) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = go_parse_uint(rest, base)?;
    let cutoff = 1u64 << 63;
    if !neg && un >= cutoff {
        return None;
    }
    if neg && un > cutoff {
        return None;
    }
    Some(if neg {
        (un as i64).wrapping_neg()
    } else {
        un as i64
    })
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
pub fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `ParseFloat(s, 64)` restricted to decimal syntax that passed
/// `yaml_style_float` (or starts with '.'); `None` on syntax or range error.
fn parse_decimal_float(s: &str) -> Option<f64> {
    if !yaml_style_float(s) {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None;
    }
    Some(f)
}

/// goyaml's `resolve(tag, in)`: `Err` carries goyaml's failure message
/// (without the `yaml: ` prefix).
pub fn resolve(tag: &str, input: &str) -> Result<(&'static str, Resolved), String> {
    if !resolvable(tag) {
        return Ok(("", Resolved::Str));
    }
    let (rtag, out) = resolve_inner(tag, input);
    match tag {
        "" => Ok((rtag, out)),
        STR_TAG | BINARY_TAG => Ok((rtag, out)),
        t if t == rtag => Ok((rtag, out)),
        FLOAT_TAG if rtag == INT_TAG => match out {
            Resolved::Int(i) => Ok((FLOAT_TAG, Resolved::Float(i as f64))),
            _ => Err(format!(
                "cannot decode {} `{}` as a {}",
                short_tag(rtag),
                input,
                short_tag(tag)
            )),
        },
        _ => Err(format!(
            "cannot decode {} `{}` as a {}",
            short_tag(rtag),
            input,
            short_tag(tag)
        )),
    }
}

fn resolve_inner(tag: &str, input: &str) -> (&'static str, Resolved) {
    let hint = match input.as_bytes().first() {
        None => b'N',
        Some(c) => match c {
            b'+' | b'-' => b'S',
            b'0'..=b'9' => b'D',
            b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => b'M',
            b'.' => b'.',
            _ => 0,
        },
    };
    if hint != 0 && tag != STR_TAG && tag != BINARY_TAG {
        if let Some(r) = map_lookup(input) {
            return r;
        }
        match hint {
            b'.' => {
                if let Some(f) = parse_decimal_float(input) {
                    return (FLOAT_TAG, Resolved::Float(f));
                }
            }
            b'D' | b'S' => {
                if (tag.is_empty() || tag == TIMESTAMP_TAG) && parse_timestamp(input) {
                    return (TIMESTAMP_TAG, Resolved::Str);
                }
                let plain: std::borrow::Cow<str> = if input.contains('_') {
                    input
                        .chars()
                        .filter(|&c| c != '_')
                        .collect::<String>()
                        .into()
                } else {
                    input.into()
                };
                if let Some(i) = go_parse_int(&plain, 0) {
                    return (INT_TAG, Resolved::Int(i));
                }
                if let Some(u) = go_parse_uint(&plain, 0) {
                    return (INT_TAG, Resolved::Uint(u));
                }
                if let Some(f) = parse_decimal_float(&plain) {
                    return (FLOAT_TAG, Resolved::Float(f));
                }
                if let Some(rest) = plain.strip_prefix("0b") {
                    if let Some(i) = go_parse_int(rest, 2) {
                        return (INT_TAG, Resolved::Int(i));
                    }
                    if let Some(u) = go_parse_uint(rest, 2) {
                        return (INT_TAG, Resolved::Uint(u));
                    }
                } else if let Some(rest) = plain.strip_prefix("-0b") {
                    if let Some(i) = go_parse_int(&format!("-{rest}"), 2) {
                        return (INT_TAG, Resolved::Int(i));
                    }
                }
            }
            _ => {}
        }
    }
    (STR_TAG, Resolved::Str)
}

/// goyaml's `isBase60Float`.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let c = b[0];
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        let n = i - st;
        if n == 0 {
            return false;
        }
        if n == 2 && b[st] > b'5' {
            // "[0-5]?[0-9]" cannot take two digits starting above 5: take one
            i = st + 1;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn getnum(v: &[u8], fixed: bool) -> Option<(u32, &[u8])> {
    if v.is_empty() || !v[0].is_ascii_digit() {
        return None;
    }
    if v.len() < 2 || !v[1].is_ascii_digit() {
        if fixed {
            return None;
        }
        return Some(((v[0] - b'0') as u32, &v[1..]));
    }
    Some((((v[0] - b'0') * 10 + (v[1] - b'0')) as u32, &v[2..]))
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) {
                29
            } else {
                28
            }
        }
    }
}

/// goyaml's `parseTimestamp`: true if one of its four `time.Parse` layouts accepts `s`.
pub fn parse_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    for layout in 0..4 {
        if parse_layout(b, layout) {
            return true;
        }
    }
    false
}

fn parse_layout(v: &[u8], layout: usize) -> bool {
    // date: 2006-1-2
    if v.len() < 4 || !v[..4].iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let year: i64 = std::str::from_utf8(&v[..4])
        .ok()
        .and_then(|x| x.parse().ok())
        .unwrap_or(0);
    let mut v = &v[4..];
    if v.first() != Some(&b'-') {
        return false;
    }
    v = &v[1..];
    let Some((month, rest)) = getnum(v, false) else {
        return false;
    };
    if month == 0 || month > 12 {
        return false;
    }
    v = rest;
    if v.first() != Some(&b'-') {
        return false;
    }
    v = &v[1..];
    let Some((day, rest)) = getnum(v, false) else {
        return false;
    };
    v = rest;
    if layout == 3 {
        return v.is_empty() && day >= 1 && day <= days_in(month, year);
    }
    match layout {
        0 => {
            if v.first() != Some(&b'T') {
                return false;
            }
            v = &v[1..];
        }
        1 => {
            if v.first() != Some(&b't') {
                return false;
            }
            v = &v[1..];
        }
        _ => {
            // A layout space matches one or more spaces.
            if v.first() != Some(&b' ') {
                return false;
            }
            while v.first() == Some(&b' ') {
                v = &v[1..];
            }
        }
    }
    let Some((hour, rest)) = getnum(v, false) else {
        return false;
    };
    if hour >= 24 {
        return false;
    }
    v = rest;
    if v.first() != Some(&b':') {
        return false;
    }
    v = &v[1..];
    let Some((min, rest)) = getnum(v, false) else {
        return false;
    };
    if min >= 60 {
        return false;
    }
    v = rest;
    if v.first() != Some(&b':') {
        return false;
    }
    v = &v[1..];
    let Some((sec, rest)) = getnum(v, false) else {
        return false;
    };
    if sec >= 60 {
        return false;
    }
    v = rest;
    // optional fractional seconds: [.,] digits
    if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && v[1].is_ascii_digit() {
        let mut n = 1;
        while n < v.len() && v[n].is_ascii_digit() {
            n += 1;
        }
        v = &v[n..];
    }
    if layout <= 1 {
        if v.first() == Some(&b'Z') {
            v = &v[1..];
        } else {
            if v.len() < 6 || v[3] != b':' {
                return false;
            }
            let sign = v[0];
            let Some((hr, r1)) = getnum(&v[1..3], true) else {
                return false;
            };
            let Some((mm, r2)) = getnum(&v[4..6], true) else {
                return false;
            };
            if !r1.is_empty() || !r2.is_empty() || hr > 24 || mm > 60 {
                return false;
            }
            if sign != b'+' && sign != b'-' {
                return false;
            }
            v = &v[6..];
        }
    }
    v.is_empty() && day >= 1 && day <= days_in(month, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(resolve("", "0755").unwrap().1, Resolved::Int(493));
        assert_eq!(resolve("", "08").unwrap().1, Resolved::Float(8.0));
        assert_eq!(resolve("", "0o755").unwrap().1, Resolved::Int(493));
        assert_eq!(resolve("", "0x1F").unwrap().1, Resolved::Int(31));
        assert_eq!(resolve("", "0b101").unwrap().1, Resolved::Int(5));
        assert_eq!(resolve("", "1_000").unwrap().1, Resolved::Int(1000));
        assert_eq!(resolve("", "1e400").unwrap().1, Resolved::Str);
        assert_eq!(resolve("", "1:20").unwrap().1, Resolved::Str);
        assert_eq!(resolve("", "2024-01-01").unwrap().0, TIMESTAMP_TAG);
        assert_eq!(
            resolve("", "2001-12-14T21:59:43.10-05:00").unwrap().0,
            TIMESTAMP_TAG
        );
        assert_eq!(resolve("", "2024-02-30").unwrap().0, STR_TAG);
        assert!(is_base60_float("12:30"));
        assert!(is_base60_float("1:20"));
        assert!(!is_base60_float("1:2a"));
    }
}
