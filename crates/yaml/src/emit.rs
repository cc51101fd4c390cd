//! goyaml's block emitter for the values helm prints: `toYaml` (goyaml v2
//! after a JSON round trip) and `toYamlPretty` (goyaml v3, indent 2).

use crate::gofloat::{format_g, format_json};
use crate::resolve::{self, go_parse_int, go_parse_uint, is_base60_float, Resolved};
use crate::{Error, ErrorKind};
use gotmpl::Value;

/// A node ready for emission (goyaml's view of the value).
#[derive(Clone, Debug)]
enum YNode {
    /// A scalar with the style the encoder asks for.
    Scalar(String, Style),
    Seq(Vec<YNode>),
    Map(Vec<(YNode, YNode)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
    /// goyaml v3's `!!binary` base64 of a string that is not UTF-8.
    Binary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// goyaml v2, best width 80, indentless sequences in mappings.
    V2,
    /// goyaml v3 with `SetIndent(2)`: no folding, indented sequences.
    V3,
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// goyaml's `keyList.Less` for two string keys (v2, or v3 with its `digits` tweak).
#[cfg(test)]
fn key_less(a: &str, b: &str, flavor: Flavor) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    key_less_chars(&ar, &br, flavor)
}

/// [`key_less`] on the keys' characters.
fn key_less_chars(ar: &[char], br: &[char], flavor: Flavor) -> bool {
    let mut digits = false;
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            digits = is_digit(ar[i]);
            i += 1;
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            if flavor == Flavor::V3 && digits {
                return al;
            }
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 {
                j -= 1;
                if !is_digit(ar[j]) {
                    break;
                }
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Stable merge sort driven by a `less` function (never panics, whatever
/// the ordering's consistency).
fn sort_by_less<T: Clone>(v: &mut Vec<T>, less: &dyn Fn(&T, &T) -> bool) {
    if v.len() <= 1 {
        return;
    }
    let mid = v.len() / 2;
    let mut right = v.split_off(mid);
    sort_by_less(v, less);
    sort_by_less(&mut right, less);
    let left = std::mem::take(v);
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if less(&right[j], &left[i]) {
            v.push(right[j].clone());
            j += 1;
        } else {
            v.push(left[i].clone());
            i += 1;
        }
    }
    v.extend_from_slice(&left[i..]);
    v.extend_from_slice(&right[j..]);
}

fn string_style(s: &str, flavor: Flavor) -> Style {
    let can_use_plain = match resolve::resolve("", s) {
        Ok((tag, _)) => {
            let old_bool = flavor == Flavor::V3
                && matches!(
                    s,
                    "y" | "Y"
                        | "yes"
                        | "Yes"
                        | "YES"
                        | "on"
                        | "On"
                        | "ON"
                        | "n"
                        | "N"
                        | "no"
                        | "No"
                        | "NO"
                        | "off"
                        | "Off"
                        | "OFF"
                );
            let tag_ok = if flavor == Flavor::V3 {
                v3_resolves_to_str(s)
            } else {
                tag == resolve::STR_TAG
            };
            tag_ok && !is_base60_float(s) && !old_bool
        }
        Err(_) => false,
    };
    if s.contains('\n') {
        Style::Literal
    } else if can_use_plain {
        Style::Plain
    } else {
        Style::Double
    }
}

/// goyaml v3's `resolve("", s)` yields `!!str` (YAML 1.2 booleans only).
fn v3_resolves_to_str(s: &str) -> bool {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "n" | "N" | "no" | "No" | "NO"
        | "off" | "Off" | "OFF" => true,
        _ => matches!(resolve::resolve("", s), Ok((resolve::STR_TAG, _))),
    }
}

/// The value as goyaml v2 sees it after `json.Marshal` + `yaml.Unmarshal`.
fn to_ynode_v2(v: &Value, depth: usize) -> Result<YNode, Error> {
    crate::grow(|| {
        if depth > 10_000 {
            return Err(Error::new(
                ErrorKind::Marshal,
                "yaml: exceeded max depth of 10000".to_string(),
            ));
        }
        Ok(match v {
            Value::Invalid | Value::Nil => YNode::Scalar("null".into(), Style::Plain),
            // sigs.k8s.io/yaml goes through JSON, where a nil map is `null`
            // (yaml.v3, below, writes `{}`).
            Value::Map(m) if m.is_nil() => YNode::Scalar("null".into(), Style::Plain),
            Value::List(l) if l.nil => YNode::Scalar("null".into(), Style::Plain),
            Value::Bool(b) => YNode::Scalar(b.to_string(), Style::Plain),
            Value::Int(i, _) => YNode::Scalar(i.to_string(), Style::Plain),
            Value::Uint(u, _) => YNode::Scalar(u.to_string(), Style::Plain),
            Value::Float(f) => {
                let t = format_json(*f).unwrap_or_default();
                YNode::Scalar(number_text_v2(&t), Style::Plain)
            }
            Value::String(_) | Value::Bytes(_) => {
                // Through JSON: bytes that are not UTF-8 are U+FFFD each.
                let s = json_yaml_string(v.as_str().unwrap_or_default())?;
                let style = string_style(&s, Flavor::V2);
                YNode::Scalar(s, style)
            }
            Value::List(l) if crate::json::is_byte_slice(l) => {
                // JSON writes a []byte as a base64 string.
                let text = crate::json::marshal(v)?;
                let (jv, _) = crate::json::unmarshal(text.as_bytes(), crate::json::Target::Any);
                return to_ynode_v2(&jv, depth);
            }
            Value::List(l) => YNode::Seq(
                l.items
                    .iter()
                    .map(|x| to_ynode_v2(x, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => {
                let map = m.entries();
                let mut entries = Vec::with_capacity(map.len());
                for (k, x) in map.iter() {
                    // A JSON escape is at most 6 characters: only long keys
                    // can quote to more than 1024.
                    if k.len() > 170 && {
                        let mut quoted = String::new();
                        crate::json::quote_into(&mut quoted, k, true);
                        quoted.chars().count() > 1024
                    } {
                        // The JSON re-parse no longer sees the key as a simple key.
                        return Err(Error::new(
                            ErrorKind::Marshal,
                            "yaml: did not find expected ',' or '}'".to_string(),
                        ));
                    }
                    let k = json_yaml_string(k)?;
                    let style = string_style(&k, Flavor::V2);
                    entries.push((YNode::Scalar(k, style), to_ynode_v2(x, depth + 1)?));
                }
                sort_entries(&mut entries, Flavor::V2);
                YNode::Map(entries)
            }
            Value::Complex(..) | Value::Object(_) => {
                // Go through JSON like sigs.k8s.io/yaml does.
                let text = crate::json::marshal(v)?;
                let (jv, _) = crate::json::unmarshal(text.as_bytes(), crate::json::Target::Any);
                return to_ynode_v2(&jv, depth);
            }
        })
    })
}

fn sort_entries(entries: &mut Vec<(YNode, YNode)>, flavor: Flavor) {
    if entries.len() <= 1 || already_in_key_order(entries) {
        return;
    }
    // Sort positions by keys decoded once, then move the entries (sorting
    // the entries themselves would copy whole subtrees at every merge).
    let keys: Vec<Vec<char>> = entries
        .iter()
        .map(|(k, _)| match k {
            YNode::Scalar(s, _) => s.chars().collect(),
            _ => Vec::new(),
        })
        .collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    sort_by_less(&mut order, &|a: &usize, b: &usize| {
        key_less_chars(&keys[*a], &keys[*b], flavor)
    });
    let mut slots: Vec<Option<(YNode, YNode)>> = entries.drain(..).map(Some).collect();
    entries.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Whether string keys without digits are already in `keyList.Less` order
/// (entries usually come from a map sorted by bytes). Without digits that
/// order is total (character by character: non-letters by code point before
/// letters by code point, a prefix first), so sorting would keep the entries
/// as they are.
fn already_in_key_order(entries: &[(YNode, YNode)]) -> bool {
    fn key(e: &(YNode, YNode)) -> Option<&str> {
        match &e.0 {
            YNode::Scalar(s, _)
                if if s.is_ascii() {
                    !s.bytes().any(|b| b.is_ascii_digit())
                } else {
                    !s.chars().any(is_digit)
                } =>
            {
                Some(s.as_str())
            }
            _ => None,
        }
    }
    let less = |a: &str, b: &str| {
        if a.is_ascii() && b.is_ascii() {
            // ASCII letters are the only ASCII characters `is_letter` takes.
            for (&x, &y) in a.as_bytes().iter().zip(b.as_bytes()) {
                if x != y {
                    let (xl, yl) = (x.is_ascii_alphabetic(), y.is_ascii_alphabetic());
                    if xl != yl {
                        return yl;
                    }
                    return x < y;
                }
            }
            return a.len() < b.len();
        }
        for (x, y) in a.chars().zip(b.chars()) {
            if x != y {
                let (xl, yl) = (is_letter(x), is_letter(y));
                if xl != yl {
                    return yl;
                }
                return x < y;
            }
        }
        a.chars().count() < b.chars().count()
    };
    let Some(mut prev) = entries.first().and_then(key) else {
        return false;
    };
    for e in &entries[1..] {
        let Some(k) = key(e) else {
            return false;
        };
        if less(k, prev) {
            return false;
        }
        prev = k;
    }
    true
}

/// A string after `json.Marshal` and goyaml's re-parse of the JSON text:
/// characters JSON leaves raw but goyaml's reader rejects fail the whole
/// conversion, and NEL (a YAML line break) is folded like any flow scalar.
fn json_yaml_string(s: &str) -> Result<String, Error> {
    if s.is_ascii() {
        if s.as_bytes().contains(&0x7F) {
            return Err(Error::new(
                ErrorKind::Marshal,
                "yaml: control characters are not allowed".to_string(),
            ));
        }
        return Ok(s.to_string());
    }
    let bad = s.chars().any(|c| {
        let u = c as u32;
        u == 0x7F || ((0x80..=0x9F).contains(&u) && u != 0x85) || u == 0xFFFE || u == 0xFFFF
    });
    if bad {
        return Err(Error::new(
            ErrorKind::Marshal,
            "yaml: control characters are not allowed".to_string(),
        ));
    }
    if !s.contains('\u{85}') {
        return Ok(s.to_string());
    }
    let mut quoted = String::new();
    crate::json::quote_into(&mut quoted, s, true);
    match crate::decode::goyaml_unmarshal(quoted.as_bytes()) {
        Ok(Some(crate::decode::GoNode {
            val: crate::decode::GoVal::Str(r),
            ..
        })) => Ok(r),
        Ok(_) => Ok(s.to_string()),
        Err(e) => Err(Error::new(ErrorKind::Marshal, e.go_message())),
    }
}

/// goyaml v2's re-resolution of a JSON number and its `Marshal` text.
fn number_text_v2(t: &str) -> String {
    if let Some(i) = go_parse_int(t, 0) {
        return i.to_string();
    }
    if let Some(u) = go_parse_uint(t, 0) {
        return u.to_string();
    }
    match resolve::resolve("", t) {
        Ok((_, Resolved::Float(f))) => float_text(f),
        _ => t.to_string(),
    }
}

fn float_text(f: f64) -> String {
    let s = format_g(f);
    match s.as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        _ => s,
    }
}

/// The value as goyaml v3 encodes it directly.
/// goyaml v3 writes a string that is not UTF-8 as `!!binary` base64; a
/// value longer than one 70-column line (block style) is not reproduced and
/// is written as its runes instead.
fn binary_v3(b: &[u8], runes: &str) -> YNode {
    use base64::Engine as _;
    let enc = base64::engine::general_purpose::STANDARD.encode(b);
    if enc.len() <= 70 {
        YNode::Scalar(enc, Style::Binary)
    } else {
        YNode::Scalar(runes.to_string(), string_style(runes, Flavor::V3))
    }
}

fn to_ynode_v3(v: &Value, depth: usize) -> Result<YNode, Error> {
    crate::grow(|| {
        if depth > 10_000 {
            return Err(Error::new(
                ErrorKind::Marshal,
                "yaml: exceeded max depth of 10000".to_string(),
            ));
        }
        Ok(match v {
            Value::Invalid | Value::Nil => YNode::Scalar("null".into(), Style::Plain),
            Value::Bool(b) => YNode::Scalar(b.to_string(), Style::Plain),
            Value::Int(i, _) => YNode::Scalar(i.to_string(), Style::Plain),
            Value::Uint(u, _) => YNode::Scalar(u.to_string(), Style::Plain),
            Value::Float(f) => YNode::Scalar(float_text(*f), Style::Plain),
            Value::String(s) => YNode::Scalar(s.to_string(), string_style(s, Flavor::V3)),
            Value::Bytes(b) => binary_v3(b.as_bytes(), b.runes()),
            Value::List(l) => YNode::Seq(
                l.items
                    .iter()
                    .map(|x| to_ynode_v3(x, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => {
                let map = m.entries();
                let mut entries = Vec::with_capacity(map.len());
                for (k, x) in map.iter() {
                    entries.push((
                        YNode::Scalar(k.to_string(), string_style(k, Flavor::V3)),
                        to_ynode_v3(x, depth + 1)?,
                    ));
                }
                sort_entries(&mut entries, Flavor::V3);
                YNode::Map(entries)
            }
            Value::Complex(re, im) => {
                YNode::Scalar(format!("({}{:+}i)", format_g(*re), im), Style::Plain)
            }
            Value::Object(o) => return object_ynode_v3(v, o.as_ref(), depth),
        })
    })
}

/// goyaml v3's encoding of a Go value that is not a plain map, slice or
/// scalar: a named map or slice as what it holds, `time.Time` as a plain
/// timestamp, `time.Duration` and text marshalers as strings, a struct (or
/// a pointer to one) as a map of its exported fields under their names in
/// lower case, in declaration order (v3 reads `yaml` tags only, and helm's
/// types have none). Anything else as its JSON would decode.
fn object_ynode_v3(v: &Value, o: &dyn gotmpl::Object, depth: usize) -> Result<YNode, Error> {
    if o.is_nil() {
        return Ok(YNode::Scalar("null".into(), Style::Plain));
    }
    if let Some(u) = o.underlying() {
        return to_ynode_v3(&u, depth);
    }
    let go_type = o.go_type();
    let name = go_type.to_string();
    if name == "time.Time" {
        if let Some(json) = o.marshal_json() {
            // RFC 3339 with nanoseconds, as `Time.MarshalJSON` quotes it.
            let text = json.trim_matches('"').to_string();
            return Ok(YNode::Scalar(text, Style::Plain));
        }
    }
    let text = match name.as_str() {
        "time.Duration" => o.go_string(),
        _ => o.marshal_text(),
    };
    if let Some(text) = text {
        let style = string_style(&text, Flavor::V3);
        return Ok(YNode::Scalar(text, style));
    }
    let is_struct = matches!(go_type.kind(), gotmpl::Kind::Struct | gotmpl::Kind::Pointer);
    let fields = o.struct_fields();
    if is_struct && !fields.is_empty() && o.integer().is_none() {
        let mut entries = Vec::with_capacity(fields.len());
        for (k, x) in fields.iter() {
            // Unexported fields are not encoded.
            if !k.starts_with(|c: char| c.is_uppercase()) {
                continue;
            }
            let key = k.to_lowercase();
            let style = string_style(&key, Flavor::V3);
            entries.push((YNode::Scalar(key, style), to_ynode_v3(x, depth + 1)?));
        }
        return Ok(YNode::Map(entries));
    }
    let text = crate::json::marshal(v)?;
    let (jv, _) = crate::json::unmarshal(text.as_bytes(), crate::json::Target::Any);
    to_ynode_v3(&jv, depth)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}
fn is_printable(c: char) -> bool {
    let u = c as u32;
    c == '\n'
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

#[derive(Default)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// Bytes of [`analyze`]'s fast path: letters, digits and punctuation that
/// is never an indicator, and the space.
static BORING: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'.'
                    | b'/'
                    | b'-'
                    | b'+'
                    | b'='
                    | b'('
                    | b')'
                    | b';'
                    | b'$'
                    | b'^'
                    | b'~'
                    | b' '
            );
        c += 1;
    }
    t
};

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    // Fast path: words of letters, digits and punctuation that is never an
    // indicator, single spaces inside (most keys and values) allow every style.
    let b = value.as_bytes();
    if b.iter().all(|&c| BORING[c as usize])
        && b[0] != b' '
        && b[b.len() - 1] != b' '
        && value != "-"
        && !value.starts_with("---")
        && !value.starts_with("...")
        && !value.starts_with("- ")
    {
        return Analysis {
            multiline: false,
            flow_plain_allowed: true,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
    }
    analyze_each_char(value)
}

/// goyaml's `yaml_emitter_analyze_scalar`, character by character.
fn analyze_each_char(value: &str) -> Analysis {
    let (mut block_ind, mut flow_ind) = (false, false);
    if value.starts_with("---") || value.starts_with("...") {
        block_ind = true;
        flow_ind = true;
    }
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    let mut chars = value.chars().peekable();
    let mut i = 0;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let last = next.is_none();
        let followed_by_ws = matches!(next, None | Some(' ' | '\t'));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                '?' | ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '-' if followed_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_ind = true,
                ':' => {
                    flow_ind = true;
                    block_ind |= followed_by_ws;
                }
                '#' if preceded_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = c == ' ' || c == '\t' || is_break(c);
        i += 1;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_ind {
        a.flow_plain_allowed = false;
    }
    if block_ind {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    out: String,
    flavor: Flavor,
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    flow_level: usize,
    best_width: usize,
    best_indent: i64,
    mapping_context: bool,
    simple_key_context: bool,
    /// v3: whether the innermost open collection is a block sequence item.
    in_seq_item: Vec<bool>,
}

impl Emitter {
    fn new(flavor: Flavor) -> Emitter {
        Emitter {
            out: String::new(),
            flavor,
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            flow_level: 0,
            best_width: if flavor == Flavor::V2 { 80 } else { usize::MAX },
            best_indent: 2,
            mapping_context: false,
            simple_key_context: false,
            in_seq_item: Vec::new(),
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn write_break_char(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            if self.flavor == Flavor::V3 {
                if self.in_seq_item.last() == Some(&true) {
                    self.indent += 2;
                } else {
                    self.indent =
                        self.best_indent * ((self.indent + self.best_indent) / self.best_indent);
                }
            } else {
                self.indent += self.best_indent;
            }
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.write_str(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, n: &YNode, mapping: bool, simple_key: bool) {
        crate::grow(|| {
            self.mapping_context = mapping;
            self.simple_key_context = simple_key;
            match n {
                YNode::Scalar(s, style) => self.emit_scalar(s, *style),
                YNode::Seq(items) => {
                    if items.is_empty() || self.flow_level > 0 {
                        self.write_indicator("[", true, true, false);
                        self.increase_indent(true, false);
                        self.write_indicator("]", false, false, false);
                        self.pop_indent();
                        return;
                    }
                    let indentless =
                        self.flavor == Flavor::V2 && self.mapping_context && !self.indention;
                    self.increase_indent(false, indentless);
                    self.in_seq_item.push(true);
                    for item in items {
                        self.write_indent();
                        self.write_indicator("-", true, false, true);
                        self.emit_node(item, false, false);
                    }
                    self.in_seq_item.pop();
                    self.pop_indent();
                }
                YNode::Map(entries) => {
                    if entries.is_empty() || self.flow_level > 0 {
                        self.write_indicator("{", true, true, false);
                        self.increase_indent(true, false);
                        self.write_indicator("}", false, false, false);
                        self.pop_indent();
                        return;
                    }
                    self.increase_indent(false, false);
                    self.in_seq_item.push(false);
                    for (k, v) in entries {
                        self.write_indent();
                        let (simple, analysis) = match k {
                            YNode::Scalar(s, _) => {
                                let a = analyze(s);
                                (!a.multiline && s.len() <= 128, Some(a))
                            }
                            YNode::Seq(items) => (items.is_empty(), None),
                            YNode::Map(e) => (e.is_empty(), None),
                        };
                        if let (true, YNode::Scalar(s, style), Some(a)) = (simple, k, &analysis) {
                            // A simple scalar key: emit_node's work, with
                            // the analysis just made.
                            self.mapping_context = true;
                            self.simple_key_context = true;
                            self.emit_scalar_analyzed(s, *style, a);
                            self.write_indicator(":", false, false, false);
                        } else if simple {
                            self.emit_node(k, true, true);
                            self.write_indicator(":", false, false, false);
                        } else {
                            self.write_indicator("?", true, false, true);
                            self.emit_node(k, true, false);
                            self.write_indent();
                            self.write_indicator(":", true, false, true);
                        }
                        self.emit_node(v, true, false);
                    }
                    self.in_seq_item.pop();
                    self.pop_indent();
                }
            }
        })
    }

    fn emit_scalar(&mut self, value: &str, requested: Style) {
        if requested == Style::Binary {
            // The tag, then the base64 text (always plain-safe).
            self.increase_indent(true, false);
            self.write_plain("!!binary", false);
            self.write_plain(value, false);
            self.pop_indent();
            return;
        }
        self.emit_scalar_analyzed(value, requested, &analyze(value));
    }

    fn emit_scalar_analyzed(&mut self, value: &str, requested: Style, a: &Analysis) {
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::Single;
            }
            if value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal | Style::Binary => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        // No line breaks, and no space at which the loop below could fold
        // (it folds only past `best_width`): the text goes out as it is.
        let no_breaks = if value.is_ascii() {
            !value.bytes().any(|b| b == b'\n' || b == b'\r')
        } else {
            !value.contains(is_break)
        };
        if no_breaks {
            let width = if value.is_ascii() {
                value.len()
            } else {
                value.chars().count()
            };
            if !value.contains(' ') || !allow_breaks || self.column + width <= self.best_width {
                self.out.push_str(value);
                self.column += width;
                self.whitespace = false;
                self.indention = false;
                return;
            }
        }
        let ch: Vec<char> = value.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for i in 0..ch.len() {
            let c = ch[i];
            if c == ' ' {
                let next_space = ch.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > self.best_width && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let ch: Vec<char> = value.chars().collect();
        let n = ch.len();
        let (mut spaces, mut breaks) = (false, false);
        for i in 0..n {
            let c = ch[i];
            if c == ' ' {
                let next_space = ch.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < n - 1
                    && !next_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        let bom = value.starts_with('\u{FEFF}');
        let ch: Vec<char> = value.chars().collect();
        let n = ch.len();
        for i in 0..n {
            let c = ch[i];
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let v = c as u32;
                match v {
                    0x00 => self.put('0'),
                    0x07 => self.put('a'),
                    0x08 => self.put('b'),
                    0x09 => self.put('t'),
                    0x0A => self.put('n'),
                    0x0B => self.put('v'),
                    0x0C => self.put('f'),
                    0x0D => self.put('r'),
                    0x1B => self.put('e'),
                    0x22 => self.put('"'),
                    0x5C => self.put('\\'),
                    0x85 => self.put('N'),
                    0xA0 => self.put('_'),
                    0x2028 => self.put('L'),
                    0x2029 => self.put('P'),
                    _ => {
                        let (ind, w) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(ind);
                        for k in (0..w).rev() {
                            let d = (v >> (k * 4)) & 0xF;
                            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && i > 0 && i < n - 1 {
                    self.write_indent();
                    if ch.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        // block scalar hints
        let ch: Vec<char> = value.chars().collect();
        if let Some(&c0) = ch.first() {
            if c0 == ' ' || is_break(c0) {
                let hint = char::from_digit(self.best_indent as u32, 10).unwrap_or('2');
                self.write_indicator(&hint.to_string(), false, false, false);
            }
        }
        let chomp = if ch.is_empty() {
            Some('-')
        } else {
            let last = ch[ch.len() - 1];
            if !is_break(last) {
                Some('-')
            } else if ch.len() == 1 || is_break(ch[ch.len() - 2]) {
                Some('+')
            } else {
                None
            }
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &ch {
            if is_break(c) {
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn document(&mut self, root: &YNode) {
        self.emit_node(root, false, false);
        // document end: write_indent with indent -1 → 0
        self.indent = -1;
        self.write_indent();
    }
}

/// sigs.k8s.io/yaml's `Marshal`: the YAML text with its trailing newline.
pub fn marshal_v2(v: &Value) -> Result<String, Error> {
    // json.Marshal first: its errors win.
    crate::json::marshal_check(v).map_err(|e| {
        Error::new(
            ErrorKind::Marshal,
            format!("error marshaling into JSON: {}", e.message()),
        )
    })?;
    let root = to_ynode_v2(v, 0)?;
    let mut e = Emitter::new(Flavor::V2);
    e.document(&root);
    Ok(e.out)
}

/// goyaml v3's `Encoder` with `SetIndent(2)`: the YAML text with its trailing newline.
pub fn marshal_v3(v: &Value) -> Result<String, Error> {
    let root = to_ynode_v3(v, 0)?;
    let mut e = Emitter::new(Flavor::V3);
    e.document(&root);
    Ok(e.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn analyze_fast_path_agrees_with_the_full_analysis() {
        // Every string of up to 4 characters over an alphabet mixing the
        // fast path's characters with indicators, breaks and spaces.
        let alphabet = ['a', '0', '-', '.', ' ', ':', '#', '\n', '/', '\t', '?'];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for s in &strings {
                for c in alphabet {
                    let mut t = s.clone();
                    t.push(c);
                    longer.push(t);
                }
            }
            strings.extend(longer);
        }
        strings.sort();
        strings.dedup();
        for s in strings.iter().filter(|s| !s.is_empty()) {
            let (fast, full) = (analyze(s), analyze_each_char(s));
            assert_eq!(
                (
                    fast.multiline,
                    fast.flow_plain_allowed,
                    fast.block_plain_allowed
                ),
                (
                    full.multiline,
                    full.flow_plain_allowed,
                    full.block_plain_allowed
                ),
                "{s:?}"
            );
            assert_eq!(
                (fast.single_quoted_allowed, fast.block_allowed),
                (full.single_quoted_allowed, full.block_allowed),
                "{s:?}"
            );
        }
    }

    #[test]
    fn key_order_shortcut_agrees_with_sorting() {
        let alphabet = ["a", "B", "b", "-", "_", ".", "é", "Z", "1", "ab", "a-b"];
        let mut keys: Vec<String> = Vec::new();
        for x in alphabet {
            for y in alphabet {
                keys.push(format!("{x}{y}"));
                keys.push(x.to_string());
            }
        }
        keys.sort();
        keys.dedup();
        let (mut taken, mut declined) = (0, 0);
        // Every window of consecutive keys, in byte order and reversed.
        for width in 2..5 {
            for w in keys.windows(width) {
                for flip in [false, true] {
                    let mut ks: Vec<&String> = w.iter().collect();
                    if flip {
                        ks.reverse();
                    }
                    let mut entries: Vec<(YNode, YNode)> = ks
                        .iter()
                        .map(|k| {
                            (
                                YNode::Scalar(k.to_string(), Style::Plain),
                                YNode::Scalar(String::new(), Style::Plain),
                            )
                        })
                        .collect();
                    let shortcut = already_in_key_order(&entries);
                    let before: Vec<String> = ks.iter().map(|k| k.to_string()).collect();
                    let keys_of = |e: &Vec<(YNode, YNode)>| -> Vec<String> {
                        e.iter()
                            .map(|(k, _)| match k {
                                YNode::Scalar(s, _) => s.clone(),
                                _ => unreachable!(),
                            })
                            .collect()
                    };
                    // The full sort, bypassing the shortcut.
                    let keys_chars: Vec<Vec<char>> =
                        before.iter().map(|k| k.chars().collect()).collect();
                    let mut order: Vec<usize> = (0..entries.len()).collect();
                    sort_by_less(&mut order, &|a: &usize, b: &usize| {
                        key_less_chars(&keys_chars[*a], &keys_chars[*b], Flavor::V2)
                    });
                    let sorted: Vec<String> = order.iter().map(|&i| before[i].clone()).collect();
                    if shortcut {
                        assert_eq!(sorted, before, "shortcut taken for {before:?}");
                        taken += 1;
                    } else {
                        declined += 1;
                    }
                    sort_entries(&mut entries, Flavor::V2);
                    assert_eq!(keys_of(&entries), sorted);
                }
            }
        }
        assert!(taken > 100 && declined > 100, "{taken} {declined}");
    }

    #[test]
    fn natural_order() {
        let mut keys: Vec<&str> = vec![
            "x001", "a10", "9", "z", "a2", "10", "x1", "b", "A", "item-10", "a1", "x01", "item-9",
            "a9", "Z",
        ];
        sort_by_less(&mut keys, &|a: &&str, b: &&str| key_less(a, b, Flavor::V2));
        assert_eq!(
            keys,
            vec![
                "9", "10", "A", "Z", "a1", "a2", "a9", "a10", "b", "item-9", "item-10", "x1",
                "x01", "x001", "z"
            ]
        );
    }
}
