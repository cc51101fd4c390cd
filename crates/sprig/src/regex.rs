//! Regular expressions with Go's `regexp` semantics.
//!
//! Go's RE2 syntax is parsed here (with Go's error texts) and translated to
//! the `regex` crate's syntax with the same meaning: Perl classes `\d \s \w`
//! and `\b` are ASCII-only as in Go, `\Q…\E` and octal escapes are expanded,
//! and a `{` that does not start a valid repetition is a literal. Matching
//! loops (`FindAll`, `ReplaceAll`, `Split`) and `$name` template expansion
//! follow Go's code paths, including its handling of empty matches.

use gotmpl::goslice::{appended_cap, Elem};
use gotmpl::{strconv, FuncError, FuncMap, FuncResult, Type, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::util::{err, i, is_digit, is_letter, reg_marked, s, str_val, t_int};

/// A compiled expression. Charts compile each expression once per process,
/// and compiling is most of what a short match costs: an ASCII expression
/// without case folding or Unicode classes starts with `regex-lite`, several
/// times cheaper to build (and as correct: the translated syntax has
/// ASCII-only meanings, which is Go's); anything else, or one that goes on
/// to search more than [`LITE_SEARCH_BUDGET`] bytes (where `regex-lite`'s
/// matching, without a DFA, gets slow), uses `regex`.
pub struct Regex {
    lite: Option<regex_lite::Regex>,
    /// The `regex` syntax, to build `full` from when `lite` has done enough.
    translated: String,
    full: OnceLock<Option<regex::Regex>>,
    /// Bytes searched with `lite` so far.
    searched: AtomicUsize,
    budget: usize,
}

/// Text an expression may search with `regex-lite` before it is compiled
/// with `regex` (whose compile costs about as much as searching this much).
const LITE_SEARCH_BUDGET: usize = 64 << 10;

/// Byte ranges of a match's groups (group 0 is the whole match).
type Groups = Vec<Option<(usize, usize)>>;

enum Engine<'a> {
    Lite(&'a regex_lite::Regex),
    Full(&'a regex::Regex),
}

impl Regex {
    fn with_lite(lite: regex_lite::Regex, translated: String, budget: usize) -> Regex {
        Regex {
            lite: Some(lite),
            translated,
            full: OnceLock::new(),
            searched: AtomicUsize::new(0),
            budget,
        }
    }

    fn with_full(full: regex::Regex) -> Regex {
        Regex {
            lite: None,
            translated: String::new(),
            full: OnceLock::from(Some(full)),
            searched: AtomicUsize::new(0),
            budget: 0,
        }
    }

    /// The engine for searching `len` more bytes.
    fn engine(&self, len: usize) -> Engine<'_> {
        if let Some(Some(full)) = self.full.get() {
            return Engine::Full(full);
        }
        let Some(lite) = &self.lite else {
            unreachable!("an expression without regex-lite's form is built with regex")
        };
        if self.searched.fetch_add(len, Ordering::Relaxed) + len <= self.budget {
            return Engine::Lite(lite);
        }
        match self
            .full
            .get_or_init(|| full_builder(&self.translated).build().ok())
        {
            Some(full) => Engine::Full(full),
            None => Engine::Lite(lite),
        }
    }

    pub fn is_match(&self, s: &str) -> bool {
        match self.engine(s.len()) {
            Engine::Lite(re) => re.is_match(s),
            Engine::Full(re) => re.is_match(s),
        }
    }

    /// The first match at or after `pos` (with `pos`'s context, so `^` and
    /// `\b` see what precedes it).
    pub fn find_at(&self, s: &str, pos: usize) -> Option<(usize, usize)> {
        match self.engine(s.len().saturating_sub(pos)) {
            Engine::Lite(re) => re.find_at(s, pos).map(|m| (m.start(), m.end())),
            Engine::Full(re) => re.find_at(s, pos).map(|m| (m.start(), m.end())),
        }
    }

    fn capture_names(&self) -> Vec<Option<&str>> {
        match self.engine(0) {
            Engine::Lite(re) => re.capture_names().collect(),
            Engine::Full(re) => re.capture_names().collect(),
        }
    }

    fn captures_at(&self, s: &str, pos: usize) -> Option<Groups> {
        match self.engine(s.len().saturating_sub(pos)) {
            Engine::Lite(re) => re
                .captures_at(s, pos)
                .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect()),
            Engine::Full(re) => re
                .captures_at(s, pos)
                .map(|c| c.iter().map(|g| g.map(|m| (m.start(), m.end()))).collect()),
        }
    }
}

fn full_builder(translated: &str) -> regex::RegexBuilder {
    let mut b = regex::RegexBuilder::new(translated);
    b.size_limit(64 << 20).nest_limit(1000);
    b
}

/// Whether a translated expression means the same to `regex-lite`: ASCII
/// only, no Unicode classes, no case-insensitive flag (Go folds Unicode).
fn lite_form(translated: &str) -> Option<String> {
    if !translated.is_ascii() || translated.contains("\\p") || translated.contains("\\P") {
        return None;
    }
    let bytes = translated.as_bytes();
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'(' if bytes.get(i + 1) == Some(&b'?') => {
                let flags = bytes[i + 2..]
                    .iter()
                    .take_while(|c| matches!(c, b'i' | b'm' | b's' | b'U' | b'-'));
                if flags.clone().any(|&c| c == b'i') {
                    return None;
                }
            }
            _ => {}
        }
    }
    // regex-lite's `\b` is ASCII already and it has no `u` flag.
    Some(
        translated
            .replace(r"(?-u:\b)", r"\b")
            .replace(r"(?-u:\B)", r"\B"),
    )
}

pub(crate) fn register(m: &mut FuncMap) {
    let st = || Type::String;
    reg_marked(m, "regexMatch", vec![st(), st()], |a| {
        Ok(Value::Bool(
            compile(s(&a[0])).is_ok_and(|re| re.is_match(s(&a[1]))),
        ))
    });
    reg_marked(m, "mustRegexMatch", vec![st(), st()], |a| {
        let re = compile(s(&a[0])).map_err(err)?;
        Ok(Value::Bool(re.is_match(s(&a[1]))))
    });
    for (name, must) in [("regexFindAll", false), ("mustRegexFindAll", true)] {
        reg_marked(m, name, vec![st(), st(), t_int()], move |a| {
            let re = get(s(&a[0]), must)?;
            let src = s(&a[1]);
            let found = find_all(&re, src, i(&a[2]));
            // Go's FindAllString: nil when nothing matches.
            if found.is_empty() {
                return Ok(Value::nil_list(Type::String));
            }
            // Made with room for 10 at the first match, then appended to.
            let cap = appended_cap(10, found.len(), Elem::STRING);
            Ok(Value::typed_list_with_cap(
                Type::String,
                found
                    .into_iter()
                    .map(|(b, e)| Value::from(&src[b..e]))
                    .collect(),
                cap,
            ))
        });
    }
    for (name, must) in [("regexFind", false), ("mustRegexFind", true)] {
        reg_marked(m, name, vec![st(), st()], move |a| {
            let re = get(s(&a[0]), must)?;
            let src = s(&a[1]);
            Ok(str_val(re.find_at(src, 0).map_or("", |(b, e)| &src[b..e])))
        });
    }
    for (name, must) in [("regexReplaceAll", false), ("mustRegexReplaceAll", true)] {
        reg_marked(m, name, vec![st(), st(), st()], move |a| {
            let re = get(s(&a[0]), must)?;
            Ok(str_val(replace_all(&re, s(&a[1]), s(&a[2]), false)))
        });
    }
    for (name, must) in [
        ("regexReplaceAllLiteral", false),
        ("mustRegexReplaceAllLiteral", true),
    ] {
        reg_marked(m, name, vec![st(), st(), st()], move |a| {
            let re = get(s(&a[0]), must)?;
            Ok(str_val(replace_all(&re, s(&a[1]), s(&a[2]), true)))
        });
    }
    for (name, must) in [("regexSplit", false), ("mustRegexSplit", true)] {
        reg_marked(m, name, vec![st(), st(), t_int()], move |a| {
            let expr = s(&a[0]);
            let re = get(expr, must)?;
            // Go's Regexp.Split: nil for a count of 0.
            if i(&a[2]) == 0 {
                return Ok(Value::nil_list(Type::String));
            }
            let (parts, cap) = split(&re, expr, s(&a[1]), i(&a[2]));
            Ok(Value::typed_list_with_cap(
                Type::String,
                parts.into_iter().map(Value::from).collect(),
                cap,
            ))
        });
    }
    reg_marked(m, "regexQuoteMeta", vec![st()], |a| {
        let mut out = String::new();
        for c in s(&a[0]).chars() {
            if r"\.+*?()|[]{}^$".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
        Ok(str_val(out))
    });
}

/// Compiles for a plain function (Go's `MustCompile`: a panic on error) or
/// a `must*` one (the compile error itself).
fn get(expr: &str, must: bool) -> Result<Arc<Regex>, FuncError> {
    compile(expr).map_err(|e| {
        if must {
            err(e)
        } else {
            let q = if expr.chars().any(|c| gotmpl::gostr::mark_byte(c).is_some()) {
                // A pattern that is not UTF-8 (its bytes marked).
                let mut q = String::new();
                let raw = gotmpl::gostr::unmarked(expr);
                strconv::append_quote_bytes(&mut q, raw.as_bytes().unwrap_or_default(), false);
                q
            } else if strconv::can_backquote(expr) {
                format!("`{expr}`")
            } else {
                strconv::quote(expr)
            };
            err(format!("regexp: Compile({q}): {e}"))
        }
    })
}

/// Go's `regexp.Compile`: a Go-syntax expression, or Go's error text.
///
/// Charts call the same few patterns over and over (often once per item of
/// a range), so compiled expressions are cached. They are shared rather
/// than cloned: a `Regex` clone starts with empty matching caches, which
/// then cost more to rebuild than the match itself.
pub fn compile(expr: &str) -> Result<Arc<Regex>, String> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    const CACHE_LIMIT: usize = 512;
    type Compiled = Result<Arc<Regex>, String>;
    static CACHE: LazyLock<Mutex<HashMap<String, Compiled>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    if let Some(hit) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).get(expr) {
        return hit.clone();
    }
    let result = compile_uncached(expr).map(Arc::new);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(expr.to_string(), result.clone());
    result
}

fn compile_uncached(expr: &str) -> Result<Regex, String> {
    // Go's checkUTF8: the expression from its first invalid byte (which
    // arrives marked, see `util::through_marks`).
    if let Some(at) = expr.find(|c| gotmpl::gostr::mark_byte(c).is_some()) {
        let rest = gotmpl::gostr::unmarked(&expr[at..]);
        return Err(format!(
            "error parsing regexp: invalid UTF-8: `{}`",
            rest.as_str().unwrap_or_default()
        ));
    }
    let translated =
        translate(expr).map_err(|(code, e)| format!("error parsing regexp: {code}: `{e}`"))?;
    if let Some(lite) = lite_form(&translated) {
        if let Ok(re) = regex_lite::RegexBuilder::new(&lite)
            .size_limit(64 << 20)
            .nest_limit(1000)
            .build()
        {
            return Ok(Regex::with_lite(re, translated, LITE_SEARCH_BUDGET));
        }
    }
    full_builder(&translated)
        .build()
        .map(Regex::with_full)
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                format!("error parsing regexp: expression too large: `{expr}`")
            }
            _ => format!("error parsing regexp: invalid character class range: `{expr}`"),
        })
}

const MISSING_PAREN: &str = "missing closing )";
const UNEXPECTED_PAREN: &str = "unexpected )";
const MISSING_REPEAT: &str = "missing argument to repetition operator";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const MISSING_BRACKET: &str = "missing closing ]";
const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";

type PErr = (&'static str, String);

fn push_lit(out: &mut String, c: char) {
    if c.is_alphanumeric() || c == '_' {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
}

fn perl_class(c: char) -> Option<&'static str> {
    Some(match c {
        'd' => "[0-9]",
        'D' => "[^0-9]",
        's' => r"[\t\n\x0C\r ]",
        'S' => r"[^\t\n\x0C\r ]",
        'w' => "[0-9A-Za-z_]",
        'W' => "[^0-9A-Za-z_]",
        _ => return None,
    })
}

const POSIX: &[&str] = &[
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// Go's `parseEscape`: a single-character escape at `t` (starting with `\`).
fn parse_escape(t: &str) -> Result<(char, &str), PErr> {
    let rest = &t[1..];
    let mut it = rest.chars();
    let Some(c) = it.next() else {
        return Err((TRAILING_BACKSLASH, String::new()));
    };
    let mut r = it.as_str();
    let bad = |r: &str| Err((INVALID_ESCAPE, t[..t.len() - r.len()].to_string()));
    match c {
        '1'..='7' if !r.starts_with(|d: char| ('0'..='7').contains(&d)) => bad(r),
        '0'..='7' => {
            let mut v = c as u32 - '0' as u32;
            for _ in 1..3 {
                match r.chars().next() {
                    Some(d @ '0'..='7') => {
                        v = v * 8 + (d as u32 - '0' as u32);
                        r = &r[1..];
                    }
                    _ => break,
                }
            }
            Ok((char::from_u32(v).unwrap_or('\0'), r))
        }
        'x' => {
            let mut it = r.chars();
            let Some(c) = it.next() else { return bad(r) };
            r = it.as_str();
            if c == '{' {
                let mut v: u32 = 0;
                let mut n = 0;
                loop {
                    let mut it = r.chars();
                    let Some(c) = it.next() else { return bad(r) };
                    r = it.as_str();
                    if c == '}' {
                        break;
                    }
                    let Some(d) = c.to_digit(16) else {
                        return bad(r);
                    };
                    v = v * 16 + d;
                    if v > 0x10FFFF {
                        return bad(r);
                    }
                    n += 1;
                }
                if n == 0 {
                    return bad(r);
                }
                return match char::from_u32(v) {
                    Some(ch) => Ok((ch, r)),
                    None => Ok(('\u{FFFD}', r)),
                };
            }
            let x = c.to_digit(16);
            let mut it = r.chars();
            let c2 = it.next();
            r = it.as_str();
            match (x, c2.and_then(|c| c.to_digit(16))) {
                (Some(x), Some(y)) => Ok((char::from_u32(x * 16 + y).unwrap_or('\0'), r)),
                _ => bad(r),
            }
        }
        'a' => Ok(('\x07', r)),
        'f' => Ok(('\x0C', r)),
        'n' => Ok(('\n', r)),
        'r' => Ok(('\r', r)),
        't' => Ok(('\t', r)),
        'v' => Ok(('\x0B', r)),
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok((c, r)),
        _ => bad(r),
    }
}

/// A `\p{…}`/`\pL` group at `t`: its Rust form and the rest.
fn parse_unicode_class(t: &str) -> Result<Option<(String, &str)>, PErr> {
    if !(t.starts_with("\\p") || t.starts_with("\\P")) {
        return Ok(None);
    }
    let mut neg = t.as_bytes()[1] == b'P';
    let rest = &t[2..];
    let Some(c) = rest.chars().next() else {
        return Ok(None);
    };
    let (seq_len, mut name) = if c != '{' {
        (2 + c.len_utf8(), &rest[..c.len_utf8()])
    } else {
        match t.find('}') {
            Some(end) => (end + 1, &t[3..end]),
            None => return Err((INVALID_CHAR_RANGE, t.to_string())),
        }
    };
    let seq = &t[..seq_len];
    if let Some(n) = name.strip_prefix('^') {
        neg = !neg;
        name = n;
    }
    let body = if name == "Any" {
        r"\x{0}-\x{10FFFF}".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && regex::Regex::new(&format!(r"\p{{{name}}}")).is_ok()
    {
        format!(r"\p{{{name}}}")
    } else {
        return Err((INVALID_CHAR_RANGE, seq.to_string()));
    };
    let class = if neg {
        format!("[^{body}]")
    } else {
        format!("[{body}]")
    };
    Ok(Some((class, &t[seq_len..])))
}

/// Go's `parseClass` at `s` (starting with `[`): the Rust class and the rest.
fn parse_class(s: &str) -> Result<(String, &str), PErr> {
    let mut t = &s[1..];
    let mut out = String::from("[");
    if let Some(r) = t.strip_prefix('^') {
        out.push('^');
        t = r;
    }
    let mut first = true;
    let mut items = 0;
    while t.is_empty() || !t.starts_with(']') || first {
        first = false;
        if t.is_empty() {
            return Err((MISSING_BRACKET, s.to_string()));
        }
        if t.len() > 2 && t.starts_with("[:") {
            if let Some(i) = t[2..].find(":]") {
                let name = &t[..i + 4];
                let inner = &name[2..name.len() - 2];
                let bare = inner.strip_prefix('^').unwrap_or(inner);
                if !POSIX.contains(&bare) {
                    return Err((INVALID_CHAR_RANGE, name.to_string()));
                }
                out.push_str(name);
                items += 1;
                t = &t[i + 4..];
                continue;
            }
        }
        if let Some((cls, rest)) = parse_unicode_class(t)? {
            out.push_str(&cls);
            items += 1;
            t = rest;
            continue;
        }
        if t.len() >= 2 && t.starts_with('\\') {
            if let Some(cls) = perl_class(t[1..].chars().next().unwrap_or(' ')) {
                out.push_str(cls);
                items += 1;
                t = &t[2..];
                continue;
            }
        }
        let rng = t;
        let (lo, rest) = class_char(t, s)?;
        t = rest;
        let mut hi = lo;
        if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
            let (h, rest) = class_char(&t[1..], s)?;
            t = rest;
            hi = h;
            if hi < lo {
                return Err((INVALID_CHAR_RANGE, rng[..rng.len() - t.len()].to_string()));
            }
        }
        out.push_str(&format!("\\x{{{:X}}}", lo as u32));
        if hi != lo {
            out.push_str(&format!("-\\x{{{:X}}}", hi as u32));
        }
        items += 1;
    }
    let _ = items;
    out.push(']');
    Ok((out, &t[1..]))
}

fn class_char<'a>(t: &'a str, whole: &str) -> Result<(char, &'a str), PErr> {
    if t.is_empty() {
        return Err((MISSING_BRACKET, whole.to_string()));
    }
    if t.starts_with('\\') {
        return parse_escape(t);
    }
    let c = t.chars().next().unwrap_or('\0');
    Ok((c, &t[c.len_utf8()..]))
}

/// Go's `parseRepeat`: `{min}`, `{min,}`, `{min,max}`; `None` if `t` is not one.
fn parse_repeat(t: &str) -> Option<(i64, i64, &str)> {
    fn int(s: &str) -> Option<(i64, &str)> {
        let n = s.bytes().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n >= 2 && s.starts_with('0') {
            return None;
        }
        let v = if n > 8 { -1 } else { s[..n].parse().ok()? };
        Some((v, &s[n..]))
    }
    let s = t.strip_prefix('{')?;
    let (min, mut s) = int(s)?;
    let max;
    let mut min = min;
    if let Some(r) = s.strip_prefix(',') {
        s = r;
        if s.starts_with('}') {
            max = -1;
        } else {
            let (m, r) = int(s)?;
            s = r;
            max = m;
            if max < 0 {
                min = -1;
            }
        }
    } else {
        max = min;
    }
    let rest = s.strip_prefix('}')?;
    Some((min, max, rest))
}

struct Frame {
    /// Where the current atom (what a repetition applies to) starts in `out`.
    atom: Option<usize>,
}

/// Translates Go syntax into `regex` syntax, or returns Go's error.
fn translate(expr: &str) -> Result<String, PErr> {
    let mut out = String::with_capacity(expr.len() * 2);
    let mut stack: Vec<Frame> = vec![Frame { atom: None }];
    let mut t = expr;
    let mut last_repeat: Option<&str> = None;
    while let Some(c) = t.chars().next() {
        let mut repeat: Option<&str> = None;
        let top = stack.len() - 1;
        match c {
            '(' => {
                if t.starts_with("(?") {
                    let starts_p = t.len() > 4 && t[2..].starts_with("P<");
                    let starts_n = t.len() > 3 && t[2..].starts_with('<');
                    if starts_p || starts_n {
                        let start = if starts_p { 4 } else { 3 };
                        let Some(end) = t.find('>') else {
                            return Err((INVALID_NAMED_CAPTURE, t.to_string()));
                        };
                        let name = &t[start..end];
                        if name.is_empty()
                            || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
                        {
                            return Err((INVALID_NAMED_CAPTURE, t[..end + 1].to_string()));
                        }
                        stack[top].atom = Some(out.len());
                        out.push_str(&format!("(?P<{name}>"));
                        stack.push(Frame { atom: None });
                        t = &t[end + 1..];
                    } else {
                        // Flags.
                        let mut rest = &t[2..];
                        let mut sign = 1;
                        let mut saw_flag = false;
                        let mut flags = String::new();
                        let mut done = None;
                        while let Some(fc) = rest.chars().next() {
                            rest = &rest[fc.len_utf8()..];
                            match fc {
                                'i' | 'm' | 's' | 'U' => {
                                    flags.push(fc);
                                    saw_flag = true;
                                }
                                '-' => {
                                    if sign < 0 {
                                        break;
                                    }
                                    sign = -1;
                                    saw_flag = false;
                                    flags.push('-');
                                }
                                ':' | ')' => {
                                    if sign < 0 && !saw_flag {
                                        break;
                                    }
                                    done = Some(fc);
                                    break;
                                }
                                _ => break,
                            }
                        }
                        match done {
                            Some(':') => {
                                stack[top].atom = Some(out.len());
                                out.push_str(&format!("(?{flags}:"));
                                stack.push(Frame { atom: None });
                            }
                            Some(_) => {
                                if !flags.is_empty() {
                                    out.push_str(&format!("(?{flags})"));
                                }
                                stack[top].atom = None;
                            }
                            None => {
                                return Err((
                                    INVALID_PERL_OP,
                                    t[..t.len() - rest.len()].to_string(),
                                ))
                            }
                        }
                        t = rest;
                    }
                } else {
                    stack[top].atom = Some(out.len());
                    out.push('(');
                    stack.push(Frame { atom: None });
                    t = &t[1..];
                }
            }
            '|' => {
                out.push('|');
                stack[top].atom = None;
                t = &t[1..];
            }
            ')' => {
                if stack.len() == 1 {
                    return Err((UNEXPECTED_PAREN, expr.to_string()));
                }
                stack.pop();
                out.push(')');
                t = &t[1..];
            }
            '^' | '$' | '.' => {
                stack[top].atom = Some(out.len());
                out.push(c);
                t = &t[1..];
            }
            '[' => {
                let (cls, rest) = parse_class(t)?;
                stack[top].atom = Some(out.len());
                out.push_str(&cls);
                t = rest;
            }
            '*' | '+' | '?' | '{' => {
                let before = t;
                let (op, after) = if c == '{' {
                    match parse_repeat(t) {
                        None => {
                            stack[top].atom = Some(out.len());
                            push_lit(&mut out, '{');
                            t = &t[1..];
                            last_repeat = None;
                            continue;
                        }
                        Some((min, max, after)) => {
                            if !(0..=1000).contains(&min) || max > 1000 || max >= 0 && min > max {
                                return Err((
                                    INVALID_REPEAT_SIZE,
                                    before[..before.len() - after.len()].to_string(),
                                ));
                            }
                            (before[..before.len() - after.len()].to_string(), after)
                        }
                    }
                } else {
                    (c.to_string(), &t[1..])
                };
                let mut after = after;
                let mut op = op;
                if let Some(r) = after.strip_prefix('?') {
                    after = r;
                    op.push('?');
                }
                if let Some(lr) = last_repeat {
                    return Err((INVALID_REPEAT_OP, lr[..lr.len() - after.len()].to_string()));
                }
                let Some(start) = stack[top].atom else {
                    return Err((
                        MISSING_REPEAT,
                        before[..before.len() - after.len()].to_string(),
                    ));
                };
                out.insert_str(start, "(?:");
                out.push(')');
                out.push_str(&op);
                repeat = Some(before);
                t = after;
            }
            '\\' => {
                let next = t[1..].chars().next();
                let mut simple = |s: &str, n: usize, out: &mut String| {
                    stack[top].atom = Some(out.len());
                    out.push_str(s);
                    n
                };
                let consumed = match next {
                    Some('A') => simple(r"\A", 2, &mut out),
                    Some('z') => simple(r"\z", 2, &mut out),
                    Some('b') => simple(r"(?-u:\b)", 2, &mut out),
                    Some('B') => simple(r"(?-u:\B)", 2, &mut out),
                    Some('C') => return Err((INVALID_ESCAPE, t[..2].to_string())),
                    Some('Q') => {
                        let body = &t[2..];
                        let (lit, rest) = match body.find("\\E") {
                            Some(p) => (&body[..p], &body[p + 2..]),
                            None => (body, ""),
                        };
                        for ch in lit.chars() {
                            stack[top].atom = Some(out.len());
                            push_lit(&mut out, ch);
                        }
                        t = rest;
                        last_repeat = None;
                        continue;
                    }
                    Some(p @ ('p' | 'P')) => {
                        let _ = p;
                        match parse_unicode_class(t)? {
                            Some((cls, rest)) => {
                                stack[top].atom = Some(out.len());
                                out.push_str(&cls);
                                t = rest;
                                last_repeat = None;
                                continue;
                            }
                            None => 0,
                        }
                    }
                    Some(pc) if perl_class(pc).is_some() => {
                        simple(perl_class(pc).unwrap_or_default(), 2, &mut out)
                    }
                    _ => 0,
                };
                if consumed > 0 {
                    t = &t[consumed..];
                } else {
                    let (ch, rest) = parse_escape(t)?;
                    stack[top].atom = Some(out.len());
                    push_lit(&mut out, ch);
                    t = rest;
                }
            }
            c => {
                stack[top].atom = Some(out.len());
                push_lit(&mut out, c);
                t = &t[c.len_utf8()..];
            }
        }
        last_repeat = repeat;
    }
    if stack.len() != 1 {
        return Err((MISSING_PAREN, expr.to_string()));
    }
    Ok(out)
}

/// Go's `allMatches` loop: successive non-overlapping matches; an empty
/// match right after a previous match is skipped. `n < 0` means all.
fn find_all(re: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let mut pos = 0usize;
    let mut prev_end: Option<usize> = None;
    while (n < 0 || (out.len() as i64) < n) && pos <= s.len() {
        let Some((start, end)) = re.find_at(s, pos) else {
            break;
        };
        let mut accept = true;
        if end == pos {
            if Some(start) == prev_end {
                accept = false;
            }
            pos += s[pos..].chars().next().map_or(1, char::len_utf8);
        } else {
            pos = end;
        }
        prev_end = Some(end);
        if accept {
            out.push((start, end));
        }
    }
    out
}

/// Go's `ReplaceAllString` / `ReplaceAllLiteralString`.
fn replace_all(re: &Regex, src: &str, repl: &str, literal: bool) -> String {
    let mut buf = String::with_capacity(src.len());
    let mut last_end = 0usize;
    let mut search = 0usize;
    let names = re.capture_names();
    while search <= src.len() {
        let Some(caps) = re.captures_at(src, search) else {
            break;
        };
        let m = caps.first().copied().flatten().unwrap_or((0, 0));
        buf.push_str(&src[last_end..m.0]);
        if m.1 > last_end || m.0 == 0 {
            if literal {
                buf.push_str(repl);
            } else {
                expand(&mut buf, repl, src, &caps, &names);
            }
        }
        last_end = m.1;
        let width = src[search..].chars().next().map_or(0, char::len_utf8);
        if search + width > m.1 {
            search += width;
        } else if search + 1 > m.1 {
            search += 1;
        } else {
            search = m.1;
        }
    }
    buf.push_str(&src[last_end.min(src.len())..]);
    buf
}

/// Go's `Regexp.expand`: `$1`, `$name`, `${name}`, `$$`.
fn expand(
    dst: &mut String,
    mut template: &str,
    src: &str,
    caps: &[Option<(usize, usize)>],
    names: &[Option<&str>],
) {
    while let Some(p) = template.find('$') {
        dst.push_str(&template[..p]);
        template = &template[p + 1..];
        if let Some(r) = template.strip_prefix('$') {
            dst.push('$');
            template = r;
            continue;
        }
        let Some((name, num, rest)) = extract(template) else {
            dst.push('$');
            continue;
        };
        template = rest;
        let group = if num >= 0 {
            caps.get(num as usize).copied().flatten()
        } else {
            names
                .iter()
                .position(|n| *n == Some(name))
                .and_then(|i| caps.get(i).copied().flatten())
        };
        if let Some((start, end)) = group {
            dst.push_str(&src[start..end]);
        }
    }
    dst.push_str(template);
}

fn extract(s: &str) -> Option<(&str, i64, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| is_letter(c) || is_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: i64 = 0;
    for b in name.bytes() {
        if !b.is_ascii_digit() || num >= 100_000_000 {
            num = -1;
            break;
        }
        num = num * 10 + (b - b'0') as i64;
    }
    if name.starts_with('0') && name.len() > 1 {
        num = -1;
    }
    Some((name, num, rest))
}

/// Go's `Regexp.Split`, and the capacity of the slice it returns (made for
/// the matches, then appended to).
fn split(re: &Regex, expr: &str, s: &str, n: i64) -> (Vec<String>, usize) {
    if n == 0 {
        return (Vec::new(), 0);
    }
    if !expr.is_empty() && s.is_empty() {
        return (vec![String::new()], 1);
    }
    let matches = find_all(re, s, n);
    let made = matches.len();
    let mut out = Vec::with_capacity(matches.len());
    let (mut beg, mut end) = (0, 0);
    for (ms, me) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = ms;
        if me != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = me;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    let cap = appended_cap(made, out.len(), Elem::STRING);
    (out, cap)
}

#[allow(dead_code)]
fn _unused(_: FuncResult) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both engines compiled from one translated expression.
    fn both(expr: &str) -> Option<(Regex, Regex)> {
        let translated = translate(expr).ok()?;
        let lite = regex_lite::Regex::new(&lite_form(&translated)?).ok()?;
        let full = regex::Regex::new(&translated).ok()?;
        Some((
            Regex::with_lite(lite, translated, usize::MAX),
            Regex::with_full(full),
        ))
    }

    #[test]
    fn lite_engine_matches_like_the_full_one() {
        let exprs = [
            r"(?m)^ +$",
            r"(^|\.)(CeleryExecutor|CeleryKubernetesExecutor)$",
            r"[a-z]+",
            r"\d+(\.\d+)?",
            r"\bfoo\b",
            r"\Bo\B",
            r"\w+@\w+\.com",
            r"\s+",
            r"(?s)a.b",
            r"a.b",
            r"(?U)a+",
            r"a*",
            r"x*",
            r"(a|)b",
            r"[^a-z]",
            r"[[:alpha:]]+",
            r"[[:^digit:]]",
            r"(?P<key>\w+)=(?P<val>[^;]*)",
            r"^$",
            r"\A\z",
            r"a{2,3}",
            r"a{,3}",
            r"\Qa.b\E",
            r"(?m)$",
            r"\x41\x{42}",
            r"[\x00-\x1f]",
        ];
        let hays = [
            "",
            "a",
            "foo bar foobar",
            "line one\n  \nx  \n   ",
            "a.b a\nb aab",
            "k\u{212a}K é ß \u{2003} \u{663}",
            "x=1;y=2;z=",
            "The 3.14 and 42 values",
            "user@example.com, a@b.com",
            "\u{1F600}a\u{1F600}b",
            "a{,3} aaa aaaa",
            "CeleryExecutor airflow.executors.CeleryKubernetesExecutor",
        ];
        for expr in exprs {
            let (lite, full) = both(expr).unwrap_or_else(|| panic!("{expr} compiles for both"));
            for hay in hays {
                assert_eq!(lite.is_match(hay), full.is_match(hay), "{expr} on {hay:?}");
                assert_eq!(find_all(&lite, hay, -1), find_all(&full, hay, -1), "{expr}");
                assert_eq!(
                    replace_all(&lite, hay, "<$1${key}>", false),
                    replace_all(&full, hay, "<$1${key}>", false),
                    "{expr} on {hay:?}"
                );
                assert_eq!(split(&lite, expr, hay, -1), split(&full, expr, hay, -1));
            }
        }
    }

    #[test]
    fn lite_expressions_move_to_the_full_engine_on_long_texts() {
        let translated = translate(r"(?m)^ +$").unwrap();
        let lite = regex_lite::Regex::new(&lite_form(&translated).unwrap()).unwrap();
        let re = Regex::with_lite(lite, translated.clone(), 1000);
        let full = Regex::with_full(regex::Regex::new(&translated).unwrap());
        let text = "a\n   \nb\n \n".repeat(100);
        assert_eq!(
            replace_all(&re, &text[..20], "", false),
            "a\n\nb\n\na\n\nb\n\n"
        );
        assert!(re.full.get().is_none(), "short texts stay with regex-lite");
        assert_eq!(
            replace_all(&re, &text, "", false),
            replace_all(&full, &text, "", false)
        );
        assert!(
            matches!(re.full.get(), Some(Some(_))),
            "a long text built regex"
        );
        assert_eq!(find_all(&re, &text, -1), find_all(&full, &text, -1));
    }

    #[test]
    fn unicode_dependent_expressions_use_the_full_engine() {
        for expr in [
            r"(?i)k",
            r"\pL+",
            r"\p{Greek}",
            r"é+",
            r"(?is)a.",
            r"(?i:x)",
        ] {
            assert!(
                compile(expr).unwrap().lite.is_none(),
                "{expr} needs the full engine"
            );
        }
        assert!(compile(r"\bx\b").unwrap().lite.is_some());
        // Go folds the Kelvin sign to k; regex-lite would not.
        assert!(compile("(?i)k").unwrap().is_match("\u{212a}"));
    }

    fn e(expr: &str) -> String {
        compile(expr).err().unwrap_or_default()
    }

    #[test]
    fn go_errors() {
        assert_eq!(e("("), "error parsing regexp: missing closing ): `(`");
        assert_eq!(e(")"), "error parsing regexp: unexpected ): `)`");
        assert_eq!(
            e("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            e("*"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(e("[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            e("\\"),
            "error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            e("\\8"),
            "error parsing regexp: invalid escape sequence: `\\8`"
        );
        assert_eq!(
            e("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert_eq!(
            e("(?x)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"
        );
        assert_eq!(
            e("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
    }

    #[test]
    fn go_semantics() {
        let re = compile(r"\d+").unwrap();
        assert!(!re.is_match("٣"));
        let re = compile("a{").unwrap();
        assert!(re.is_match("a{"));
        let re = compile("a*").unwrap();
        assert_eq!(replace_all(&re, "baaac", "-", false), "-b-c-");
        let re = compile("(?P<x>a)(b)").unwrap();
        assert_eq!(replace_all(&re, "ab", "$x$2$1x${1}x$$", false), "abax$");
        assert_eq!(
            replace_all(&compile("(a)").unwrap(), "a", "${1}x$$", false),
            "ax$"
        );
    }
}
