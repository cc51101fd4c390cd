//! String functions: Go's `strings` package as sprig exposes it, goutils'
//! word functions (`wrap`, `abbrev`, `initials`, `nospace`, `swapcase`,
//! `untitle`) and xstrings' case conversions.
//!
//! Go strings are bytes: `trunc` and `substr` cut at byte offsets and keep a
//! split UTF-8 sequence's bytes, as do `abbrev` and `wrap`;
//! goutils' byte-wise `initials`/`nospace` reproduce Go's Latin-1 reading of
//! non-ASCII bytes.

use gotmpl::{strconv, FuncMap, MapEntries, Type, Value};

use crate::util::{
    b, byte_slice, bytes_val, err, i, is_letter, is_lower, is_number, is_punct, is_space, is_title,
    is_upper, reg, reg_marked, reg_var, reg_var_marked, s, slice_bounds, str_val, strval_value,
    t_int, to_lower, to_title, to_upper, trim_space, IFACE, MAX_STRING_LEN,
};

pub(crate) fn register(m: &mut FuncMap) {
    let st = || Type::String;
    reg(m, "hello", vec![], |_| Ok(str_val("Hello!")));
    reg(m, "abbrev", vec![t_int(), st()], |a| {
        Ok(bytes_val(abbrev(i(&a[0]), b(&a[1]))))
    });
    reg(m, "abbrevboth", vec![t_int(), t_int(), st()], |a| {
        Ok(bytes_val(abbrevboth(i(&a[0]), i(&a[1]), b(&a[2]))))
    });
    reg(m, "trunc", vec![t_int(), st()], |a| {
        Ok(trunc(i(&a[0]), b(&a[1])))
    });
    reg_marked(m, "trim", vec![st()], |a| Ok(str_val(trim_space(s(&a[0])))));
    reg(m, "upper", vec![st()], |a| {
        Ok(str_val(s(&a[0]).chars().map(to_upper).collect::<String>()))
    });
    reg(m, "lower", vec![st()], |a| {
        Ok(str_val(s(&a[0]).chars().map(to_lower).collect::<String>()))
    });
    reg(m, "title", vec![st()], |a| Ok(str_val(title(s(&a[0])))));
    reg(m, "untitle", vec![st()], |a| Ok(str_val(untitle(s(&a[0])))));
    reg(m, "substr", vec![t_int(), t_int(), st()], |a| {
        substr(i(&a[0]), i(&a[1]), b(&a[2]))
    });
    reg_marked(m, "repeat", vec![t_int(), st()], |a| {
        repeat(s(&a[1]), i(&a[0])).map(str_val)
    });
    for name in ["trimall", "trimAll"] {
        reg_marked(m, name, vec![st(), st()], |a| {
            let cut = s(&a[0]);
            Ok(str_val(s(&a[1]).trim_matches(|c| cut.contains(c))))
        });
    }
    reg_marked(m, "trimSuffix", vec![st(), st()], |a| {
        let (suf, v) = (s(&a[0]), s(&a[1]));
        Ok(str_val(v.strip_suffix(suf).unwrap_or(v)))
    });
    reg_marked(m, "trimPrefix", vec![st(), st()], |a| {
        let (pre, v) = (s(&a[0]), s(&a[1]));
        Ok(str_val(v.strip_prefix(pre).unwrap_or(v)))
    });
    reg(m, "nospace", vec![st()], |a| Ok(str_val(nospace(b(&a[0])))));
    reg(m, "initials", vec![st()], |a| {
        Ok(str_val(initials(b(&a[0]))))
    });
    reg(m, "swapcase", vec![st()], |a| {
        Ok(str_val(swapcase(s(&a[0]))))
    });
    reg(m, "snakecase", vec![st()], |a| {
        Ok(str_val(camel_case_to_lower_case(s(&a[0]), '_')))
    });
    reg(m, "kebabcase", vec![st()], |a| {
        Ok(str_val(camel_case_to_lower_case(s(&a[0]), '-')))
    });
    reg(m, "camelcase", vec![st()], |a| {
        Ok(str_val(to_pascal_case(s(&a[0]))))
    });
    reg(m, "wrap", vec![t_int(), st()], |a| {
        Ok(bytes_val(wrap_custom(b(&a[1]), i(&a[0]), b"", false)))
    });
    reg(m, "wrapWith", vec![t_int(), st(), st()], |a| {
        Ok(bytes_val(wrap_custom(b(&a[2]), i(&a[0]), b(&a[1]), true)))
    });
    reg(m, "contains", vec![st(), st()], |a| {
        let (sub, v) = (b(&a[0]), b(&a[1]));
        Ok(Value::Bool(
            sub.is_empty() || v.windows(sub.len()).any(|w| w == sub),
        ))
    });
    reg(m, "hasPrefix", vec![st(), st()], |a| {
        Ok(Value::Bool(b(&a[1]).starts_with(b(&a[0]))))
    });
    reg(m, "hasSuffix", vec![st(), st()], |a| {
        Ok(Value::Bool(b(&a[1]).ends_with(b(&a[0]))))
    });
    reg_var(m, "quote", vec![], IFACE, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil_interface())
            .map(|v| match strval_value(v) {
                Value::Bytes(b) => {
                    let mut q = String::new();
                    strconv::append_quote_bytes(&mut q, b.as_bytes(), false);
                    q
                }
                v => strconv::quote(v.as_str().unwrap_or_default()),
            })
            .collect();
        Ok(str_val(out.join(" ")))
    });
    reg_var_marked(m, "squote", vec![], IFACE, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil_interface())
            .map(|v| gotmpl::gofmt::sprintf("'%v'", std::slice::from_ref(v)))
            .collect();
        Ok(str_val(out.join(" ")))
    });
    reg_var_marked(m, "cat", vec![], IFACE, |a| {
        let out: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil_interface())
            .map(|v| gotmpl::gofmt::sprintf("%v", std::slice::from_ref(v)))
            .collect();
        Ok(str_val(out.join(" ")))
    });
    reg_marked(m, "indent", vec![t_int(), st()], |a| {
        indent(i(&a[0]), s(&a[1]), false).map(str_val)
    });
    reg_marked(m, "nindent", vec![t_int(), st()], |a| {
        indent(i(&a[0]), s(&a[1]), true).map(str_val)
    });
    reg_marked(m, "replace", vec![st(), st(), st()], |a| {
        let (old, new, src) = (s(&a[0]), s(&a[1]), s(&a[2]));
        if old.is_empty() {
            let n = src.chars().count() + 1;
            check_len(src.len().saturating_add(n.saturating_mul(new.len())))?;
        }
        Ok(str_val(src.replace(old, new)))
    });
    reg_marked(m, "plural", vec![st(), st(), t_int()], |a| {
        Ok(str_val(if i(&a[2]) == 1 { s(&a[0]) } else { s(&a[1]) }))
    });
    reg_marked(m, "split", vec![st(), st()], |a| {
        Ok(parts_map(go_split(s(&a[1]), s(&a[0]), -1)))
    });
    reg_marked(m, "splitn", vec![st(), t_int(), st()], |a| {
        Ok(parts_map(go_split(s(&a[2]), s(&a[0]), i(&a[1]))))
    });
    reg(m, "join", vec![st(), IFACE], |a| {
        let parts = crate::conversion::strslice_values(&a[1]);
        let parts: Vec<&[u8]> = parts
            .iter()
            .map(|p| p.as_bytes().unwrap_or_default())
            .collect();
        Ok(bytes_val(parts.join(b(&a[0]))))
    });
    reg_marked(m, "splitList", vec![st(), st()], |a| {
        Ok(crate::util::strings_val(go_split(s(&a[1]), s(&a[0]), -1)))
    });
}

fn check_len(n: usize) -> Result<(), gotmpl::FuncError> {
    if n > MAX_STRING_LEN {
        return Err(err(format!(
            "string of {n} bytes exceeds chartgen's limit of {MAX_STRING_LEN} bytes"
        )));
    }
    Ok(())
}

/// `map[string]string{"_0": …, "_1": …}` as sprig's `split`/`splitn` build it.
fn parts_map(parts: Vec<String>) -> Value {
    let entries: MapEntries = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}").into(), Value::from(p)))
        .collect();
    Value::typed_map(Type::map_of(Type::String), entries)
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all).
pub fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        // explode
        let chars: Vec<char> = s.chars().collect();
        let l = chars.len() as i64;
        let n = if n < 0 || n > l { l } else { n } as usize;
        let mut out = Vec::with_capacity(n);
        let mut rest = s;
        for _ in 0..n.saturating_sub(1) {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c.to_string());
            rest = &rest[c.len_utf8()..];
        }
        if n > 0 {
            out.push(rest.to_string());
        }
        return out;
    }
    let mut n = if n < 0 {
        s.matches(sep).count() as i64 + 1
    } else {
        n
    };
    if n > s.len() as i64 + 1 {
        n = s.len() as i64 + 1;
    }
    let mut out = Vec::new();
    let mut rest = s;
    while (out.len() as i64) < n - 1 {
        match rest.find(sep) {
            Some(m) => {
                out.push(rest[..m].to_string());
                rest = &rest[m + sep.len()..];
            }
            None => break,
        }
    }
    out.push(rest.to_string());
    out
}

fn trunc(c: i64, s: &[u8]) -> Value {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return byte_slice(s, (len + c) as usize, s.len());
    }
    if c >= 0 && len > c {
        return byte_slice(s, 0, c as usize);
    }
    byte_slice(s, 0, s.len())
}

fn substr(start: i64, end: i64, s: &[u8]) -> Result<Value, gotmpl::FuncError> {
    let len = s.len();
    let (lo, hi) = if start < 0 {
        (0, Some(end))
    } else if end < 0 || end > len as i64 {
        (start, None)
    } else {
        (start, Some(end))
    };
    if let Some(e) = slice_bounds(lo, hi, len) {
        return Err(e);
    }
    Ok(byte_slice(
        s,
        lo as usize,
        hi.unwrap_or(len as i64) as usize,
    ))
}

fn repeat(s: &str, count: i64) -> Result<String, gotmpl::FuncError> {
    match count {
        0 => return Ok(String::new()),
        1 => return Ok(s.to_string()),
        _ => {}
    }
    if count < 0 {
        return Err(err("strings: negative Repeat count"));
    }
    let n = (s.len() as u128) * (count as u128);
    if n > i64::MAX as u128 {
        return Err(err("strings: Repeat output length overflow"));
    }
    check_len(n as usize)?;
    Ok(s.repeat(count as usize))
}

/// sprig's `indent` (`pad + strings.Replace(v, "\n", "\n"+pad, -1)`), and
/// `nindent` when `newline_first`: built in one buffer, as charts indent
/// every included block.
fn indent(spaces: i64, v: &str, newline_first: bool) -> Result<String, gotmpl::FuncError> {
    if spaces < 0 {
        return Err(err("strings: negative Repeat count"));
    }
    let lines = memchr::memchr_iter(b'\n', v.as_bytes()).count() as u128 + 1;
    let n = lines * spaces as u128 + v.len() as u128;
    if n > MAX_STRING_LEN as u128 {
        return Err(err(format!(
            "string of {n} bytes exceeds chartgen's limit of {MAX_STRING_LEN} bytes"
        )));
    }
    let spaces = spaces as usize;
    let mut out = String::with_capacity(n as usize + usize::from(newline_first));
    if newline_first {
        out.push('\n');
    }
    push_spaces(&mut out, spaces);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', v.as_bytes()) {
        out.push_str(&v[start..=nl]);
        push_spaces(&mut out, spaces);
        start = nl + 1;
    }
    out.push_str(&v[start..]);
    Ok(out)
}

fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Go's deprecated `strings.Title`.
fn title(s: &str) -> String {
    fn is_separator(r: char) -> bool {
        if (r as u32) <= 0x7F {
            return !(r.is_ascii_alphanumeric() || r == '_');
        }
        if is_letter(r) || crate::util::is_digit(r) {
            return false;
        }
        is_space(r)
    }
    let mut prev = ' ';
    s.chars()
        .map(|r| {
            let out = if is_separator(prev) { to_title(r) } else { r };
            prev = r;
            out
        })
        .collect()
}

/// goutils `Uncapitalize` with whitespace delimiters.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`.
fn swapcase(s: &str) -> String {
    let mut ws = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                ws = false;
                to_lower(c)
            } else if is_lower(c) {
                if ws {
                    ws = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                ws = is_space(c);
                c
            }
        })
        .collect()
}

/// Go's `unicode.IsSpace` on a byte read as a rune (goutils reads bytes).
fn byte_is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// goutils `Initials` (byte-wise).
fn initials(s: &[u8]) -> String {
    let mut out = String::new();
    let mut gap = true;
    for &b in s {
        if byte_is_space(b) {
            gap = true;
        } else if gap {
            out.push(b as char);
            gap = false;
        }
    }
    out
}

/// goutils `DeleteWhiteSpace` (byte-wise).
fn nospace(s: &[u8]) -> String {
    if !s.iter().copied().any(byte_is_space) {
        // Go returns the string unchanged; goutils' rune loop is not reached.
        return gotmpl::gostr::lossy(s).into_owned();
    }
    s.iter()
        .copied()
        .filter(|&b| !byte_is_space(b))
        .map(|b| b as char)
        .collect()
}

/// goutils `AbbreviateFull` (byte offsets); errors give "".
fn abbreviate_full(s: &[u8], offset: i64, max_width: i64) -> Vec<u8> {
    let len = s.len() as i64;
    if s.is_empty() || max_width < 4 {
        return Vec::new();
    }
    if len <= max_width {
        return s.to_vec();
    }
    // Go's int arithmetic wraps; so does this.
    let mut offset = offset.min(len);
    if len.wrapping_sub(offset) < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return [&s[..(max_width - 3) as usize], b"..."].concat();
    }
    if max_width < 7 {
        return Vec::new();
    }
    if offset.wrapping_add(max_width - 3) < len {
        let rest = &s[offset as usize..];
        return [&b"..."[..], &abbreviate_full(rest, 0, max_width - 3)].concat();
    }
    [&b"..."[..], &s[(len - (max_width - 3)) as usize..]].concat()
}

fn abbrev(width: i64, s: &[u8]) -> Vec<u8> {
    if width < 4 {
        return s.to_vec();
    }
    abbreviate_full(s, 0, width)
}

fn abbrevboth(left: i64, right: i64, s: &[u8]) -> Vec<u8> {
    if right < 4 || left > 0 && right < 7 {
        return s.to_vec();
    }
    abbreviate_full(s, left, right)
}

/// goutils `WrapCustom` (byte-wise, breaking at ASCII spaces only).
fn wrap_custom(b: &[u8], wrap_length: i64, nl: &[u8], wrap_long: bool) -> Vec<u8> {
    if b.is_empty() {
        return Vec::new();
    }
    let nl = if nl.is_empty() { b"\n" } else { nl };
    let wl = wrap_length.max(1) as usize;
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(len + len / wl * nl.len());
    while len - offset > wl {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = wl + offset + 1;
        match b[offset..end].iter().rposition(|&c| c == b' ') {
            Some(p) => {
                out.extend_from_slice(&b[offset..offset + p]);
                out.extend_from_slice(nl);
                offset += p + 1;
            }
            None => {
                let end = wl + offset;
                if wrap_long {
                    out.extend_from_slice(&b[offset..end]);
                    out.extend_from_slice(nl);
                    offset += wl;
                } else {
                    match b[end..].iter().position(|&c| c == b' ') {
                        None => {
                            out.extend_from_slice(&b[offset..]);
                            offset = len;
                        }
                        Some(idx) => {
                            let at = idx + end;
                            out.extend_from_slice(&b[offset..at]);
                            out.extend_from_slice(nl);
                            offset = at + 1;
                        }
                    }
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    out
}

// ---------------------------------------------------------------------------
// xstrings case conversions (huandu/xstrings v1.5.0)

fn is_connector(r: char) -> bool {
    r == '-' || r == '_' || is_space(r)
}

fn is_alphabet(r: char) -> bool {
    if !is_letter(r) {
        return false;
    }
    !(('\u{4E00}'..='\u{9FCC}').contains(&r)
        || ('\u{3400}'..='\u{4D85}').contains(&r)
        || ('\u{20000}'..='\u{2B81D}').contains(&r))
}

const RUNE_ERROR: char = '\u{FFFD}';

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings `nextValidRune`: the next rune that is not U+FFFD, and the bytes
/// consumed to reach past it.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let (mut r, mut size) = next_valid_rune(s, RUNE_ERROR);
    let mut offset = size;
    if r == RUNE_ERROR {
        return (Word::Invalid, &s[..offset], &s[offset..]);
    }
    let mut rem = s;
    let wt;
    // Consumes following runes while `keep` holds.
    macro_rules! take_while {
        ($keep:expr) => {
            while !rem.is_empty() {
                let (r2, sz) = next_valid_rune(rem, r);
                r = r2;
                size = sz;
                #[allow(clippy::redundant_closure_call)]
                if !($keep)(r) {
                    break;
                }
                offset += size;
                rem = &rem[size..];
            }
        };
    }
    if is_connector(r) {
        wt = Word::Connector;
        rem = &rem[size..];
        take_while!(is_connector);
    } else if is_punct(r) {
        wt = Word::Punct;
        rem = &rem[size..];
        take_while!(is_punct);
    } else if is_upper(r) {
        wt = Word::Upper;
        rem = &rem[size..];
        if !rem.is_empty() {
            let (r2, sz) = next_valid_rune(rem, r);
            r = r2;
            size = sz;
            if is_upper(r) {
                let mut prev_size = size;
                offset += size;
                rem = &rem[size..];
                while !rem.is_empty() {
                    let (r2, sz) = next_valid_rune(rem, r);
                    r = r2;
                    size = sz;
                    if !is_upper(r) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    rem = &rem[size..];
                }
                if !rem.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                    rem = &s[offset..];
                }
            } else if is_alphabet(r) {
                offset += size;
                rem = &rem[size..];
                take_while!(|c| is_alphabet(c) && !is_upper(c));
            }
        }
    } else if is_alphabet(r) {
        wt = Word::Alphabet;
        rem = &rem[size..];
        take_while!(|c| is_alphabet(c) && !is_upper(c));
    } else if is_number(r) {
        wt = Word::Number;
        rem = &rem[size..];
        take_while!(is_number);
    } else {
        wt = Word::Other;
        rem = &rem[size..];
        take_while!(|c| !(is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c)));
    }
    (wt, &s[..offset], rem)
}

fn to_lower_word(buf: &mut String, wt: Word, s: &str, connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        buf.push_str(s);
        return;
    }
    for r in s.chars() {
        if is_connector(r) {
            buf.push(connector);
        } else if is_upper(r) {
            buf.push(to_lower(r));
        } else {
            buf.push(r);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (snakecase/kebabcase).
fn camel_case_to_lower_case(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut rem) = next_word(s);
    while !rem.is_empty() {
        if wt != Word::Connector {
            to_lower_word(&mut buf, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, rem) = next_word(rem);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower_word(&mut buf, wt, word, connector);
                    (wt, word, rem) = next_word(rem);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    buf.push(connector);
                }
            }
            Word::Connector => to_lower_word(&mut buf, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if rem.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, rem) = next_word(rem);
                if wt != Word::Alphabet {
                    to_lower_word(&mut buf, Word::Number, last, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                buf.push(connector);
                to_lower_word(&mut buf, Word::Number, last, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    to_lower_word(&mut buf, wt, word, connector);
                    (wt, word, rem) = next_word(rem);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    buf.push(connector);
                }
            }
        }
    }
    to_lower_word(&mut buf, wt, word, connector);
    buf
}

/// xstrings `ToPascalCase` (sprig's `camelcase`).
fn to_pascal_case(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut buf = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut r0 = '\0';
    let mut got = false;
    for c in chars.by_ref() {
        got = true;
        r0 = c;
        if !is_connector(c) {
            first_upper = is_upper(c);
            r0 = to_upper(c);
            break;
        }
        buf.push(c);
    }
    let rest: Vec<char> = chars.collect();
    if rest.is_empty() {
        // A string of one rune (or only connectors: each already written,
        // and Go writes the last one again).
        if got {
            buf.push(r0);
        }
        return buf;
    }
    for c in rest {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions_follow_xstrings() {
        for (i, want) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
        ] {
            assert_eq!(camel_case_to_lower_case(i, '_'), want, "{i}");
        }
        for (i, want) in [
            ("some_words", "SomeWords"),
            ("http_server", "HttpServer"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("some words", "SomeWords"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
        ] {
            assert_eq!(to_pascal_case(i), want, "{i}");
        }
    }

    #[test]
    fn split_follows_go() {
        assert_eq!(go_split("a,b,c", ",", -1), ["a", "b", "c"]);
        assert_eq!(go_split("", ",", -1), [""]);
        assert_eq!(go_split("abc", "", -1), ["a", "b", "c"]);
        assert_eq!(go_split("a,b,c", ",", 2), ["a", "b,c"]);
        assert!(go_split("a", ",", 0).is_empty());
    }
}
