//! `semver` and `semverCompare`, with the semantics of Masterminds/semver
//! v3.4.0 (the version helm v4.1.4 links): loose version coercion (`v1`,
//! `1.2`, leading zeros), constraint groups joined by `||`, AND-ed with
//! spaces or commas, hyphen ranges, `x`/`X`/`*` wildcards, and prereleases
//! only matching groups that mention a prerelease themselves.
//!
//! [`Version`] and [`Constraints`] are public: helm's own uses of the
//! library (Chart.yaml versions, dependency ranges, `kubeVersion`) share
//! them, as helm links one copy of it for both.
//!
//! The parsing is driven by the library's own regular expressions (RE2
//! syntax, leftmost-first, which the `regex` crate shares), with Go's `\s`
//! spelled out as its ASCII class so nothing Unicode-aware slips in.

use std::sync::{Arc, LazyLock, Mutex};

use gotmpl::{
    Call, FuncError, FuncMap, FuncResult, Function, IntKind, Kind, Object, Str, Type, UintKind,
    Value,
};
use regex_lite::Regex;

pub(crate) fn register(m: &mut FuncMap) {
    m.insert(
        "semverCompare",
        Function::new(vec![Type::String, Type::String], |_, args| {
            let (constraint, version) = (str_arg(&args[0]), str_arg(&args[1]));
            if let Some(answer) = compare_cache::get(constraint, version) {
                return Ok(Value::Bool(answer));
            }
            let c = Constraints::parse(constraint)?;
            let v = Version::parse(version)?;
            let answer = c.check(&v);
            compare_cache::put(constraint, version, answer);
            Ok(Value::Bool(answer))
        }),
    );
    m.insert(
        "semver",
        Function::new(vec![Type::String], |_, args| {
            let v = Version::parse(str_arg(&args[0]))?;
            Ok(VersionPtr::value(v))
        }),
    );
}

/// Answers of `semverCompare` by constraint and version: charts ask the same
/// few questions over and over (`semverCompare ">=1.21-0" .Capabilities…`
/// in every template), and parsing a constraint runs several regexps.
mod compare_cache {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};

    /// Constraint -> version -> answer.
    type Answers = HashMap<Box<str>, HashMap<Box<str>, bool>>;

    static ANSWERS: LazyLock<Mutex<(Answers, usize)>> = LazyLock::new(Default::default);

    /// Beyond this many pairs the cache starts over (a long-lived process
    /// may see endless generated versions).
    const MAX_ENTRIES: usize = 1024;

    pub(super) fn get(constraint: &str, version: &str) -> Option<bool> {
        let cache = ANSWERS.lock().unwrap_or_else(|e| e.into_inner());
        cache.0.get(constraint)?.get(version).copied()
    }

    pub(super) fn put(constraint: &str, version: &str, answer: bool) {
        let mut cache = ANSWERS.lock().unwrap_or_else(|e| e.into_inner());
        let (answers, entries) = &mut *cache;
        if *entries >= MAX_ENTRIES {
            answers.clear();
            *entries = 0;
        }
        answers
            .entry(constraint.into())
            .or_default()
            .insert(version.into(), answer);
        *entries += 1;
    }
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn err(msg: impl Into<String>) -> FuncError {
    msg.into().into()
}

// ---------------------------------------------------------------------------
// Regular expressions

/// Go's `\s` (RE2 Perl class): `[\t\n\f\r ]`.
const WS: &str = r"[\t\n\f\r ]";

/// The library's loose version syntax; [`loose_parts`] matches it by hand.
#[cfg(test)]
const LOOSE_SEMVER: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";

const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Regexes {
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

static RE: LazyLock<Regexes> = LazyLock::new(|| {
    let s = WS;
    let re = |p: String| Regex::new(&p).expect("semver regex");
    Regexes {
        constraint: re(format!("^{s}*({OPS}){s}*({CV}){s}*$")),
        range: re(format!("{s}*({CV}){s}+-{s}+({CV}){s}*")),
        find: re(format!("({OPS}){s}*({CV})")),
        valid: re(format!(
            "^({s}*({OPS}){s}*({CV}){s}*)((?:{s}+|,{s}*)({OPS}){s}*({CV}){s}*)*$"
        )),
    }
});

// ---------------------------------------------------------------------------
// Versions

const ERR_INVALID_SEMVER: &str = "invalid semantic version";
const ERR_SEGMENT_STARTS_ZERO: &str = "version segment starts with 0";
const ERR_INVALID_METADATA: &str = "invalid metadata string";
const ERR_INVALID_PRERELEASE: &str = "invalid prerelease string";

/// A parsed semantic version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

/// Go's `strconv.ParseUint(s, 10, 64)` for a string of ASCII digits.
/// The groups of a match of `^LOOSE_SEMVER$`.
#[derive(Debug, PartialEq)]
struct LooseParts<'a> {
    major: &'a str,
    minor: Option<&'a str>,
    patch: Option<&'a str>,
    pre: &'a str,
    metadata: &'a str,
}

/// Matches the library's version expression (`LOOSE_SEMVER`, anchored)
/// without a regexp engine: compiling the semver regexps was a tenth of a
/// millisecond of every run, spent before a chart's `Chart.yaml` version
/// could be checked. The syntax leaves no choice to backtrack over (each
/// part starts with its own character: `.`, `-`, `+`), so the groups are
/// the regexp's.
fn loose_parts(v: &str) -> Option<LooseParts<'_>> {
    version_parts(v, u8::is_ascii_digit)
}

/// [`loose_parts`] with the version segments of a constraint (`CV`): of
/// digits and the wildcards `x`, `X` and `*` (the expression's class also
/// holds `|`, which is left to the regexps).
fn constraint_parts(v: &str) -> Option<LooseParts<'_>> {
    version_parts(v, |b| b.is_ascii_digit() || matches!(b, b'x' | b'X' | b'*'))
}

/// A version whose segments are runs of bytes `in_segment` accepts.
fn version_parts(v: &str, in_segment: fn(&u8) -> bool) -> Option<LooseParts<'_>> {
    let digits = |s: &str| s.bytes().take_while(in_segment).count();
    /// Dot-separated, non-empty identifiers of `[0-9A-Za-z-]`: their length.
    fn identifiers(s: &str) -> Option<usize> {
        let mut len = 0;
        loop {
            let n = s[len..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
                .count();
            if n == 0 {
                return None;
            }
            len += n;
            if s[len..].starts_with('.') {
                len += 1;
            } else {
                return Some(len);
            }
        }
    }
    let mut rest = v.strip_prefix('v').unwrap_or(v);
    let n = digits(rest);
    if n == 0 {
        return None;
    }
    let (major, tail) = rest.split_at(n);
    rest = tail;
    let mut segment = || -> Option<&str> {
        let after = rest.strip_prefix('.')?;
        let n = digits(after);
        if n == 0 {
            return None;
        }
        let (seg, tail) = after.split_at(n);
        rest = tail;
        Some(seg)
    };
    let minor = segment();
    let patch = minor.and_then(|_| segment());
    let mut pre = "";
    if let Some(after) = rest.strip_prefix('-') {
        let n = identifiers(after)?;
        (pre, rest) = after.split_at(n);
    }
    let mut metadata = "";
    if let Some(after) = rest.strip_prefix('+') {
        let n = identifiers(after)?;
        (metadata, rest) = after.split_at(n);
    }
    rest.is_empty().then_some(LooseParts {
        major,
        minor,
        patch,
        pre,
        metadata,
    })
}

fn parse_segment(s: &str) -> Result<u64, FuncError> {
    s.parse::<u64>().map_err(|_| {
        err(format!(
            "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
            gotmpl::strconv::quote(s)
        ))
    })
}

fn is_num(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn is_allowed(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn validate_prerelease(p: &str) -> Result<(), FuncError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(err(ERR_INVALID_PRERELEASE));
        } else if is_num(part) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(err(ERR_SEGMENT_STARTS_ZERO));
            }
        } else if !is_allowed(part) {
            return Err(err(ERR_INVALID_PRERELEASE));
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), FuncError> {
    for part in m.split('.') {
        if part.is_empty() || !is_allowed(part) {
            return Err(err(ERR_INVALID_METADATA));
        }
    }
    Ok(())
}

impl Version {
    /// `semver.NewVersion` with coercion enabled (the library default).
    pub fn parse(v: &str) -> Result<Version, FuncError> {
        let Some(parts) = loose_parts(v) else {
            return Err(err(ERR_INVALID_SEMVER));
        };
        let mut sv = Version {
            metadata: parts.metadata.to_string(),
            pre: parts.pre.to_string(),
            original: v.to_string(),
            ..Version::default()
        };
        sv.major = parse_segment(parts.major)?;
        if let Some(minor) = parts.minor {
            sv.minor = parse_segment(minor)?;
        }
        if let Some(patch) = parts.patch {
            sv.patch = parse_segment(patch)?;
        }
        if !sv.pre.is_empty() {
            validate_prerelease(&sv.pre)?;
        }
        if !sv.metadata.is_empty() {
            validate_metadata(&sv.metadata)?;
        }
        Ok(sv)
    }

    /// `semver.StrictNewVersion("0.0.0")`, the only strict parse the
    /// constraint code performs.
    fn zero() -> Version {
        Version {
            original: "0.0.0".into(),
            ..Version::default()
        }
    }

    fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    fn original_v_prefix(&self) -> &str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn inc_patch(&self) -> Version {
        let mut n = self.clone();
        n.metadata.clear();
        n.pre.clear();
        if self.pre.is_empty() {
            n.patch = self.patch.wrapping_add(1);
        }
        n.original = format!("{}{}", self.original_v_prefix(), n.string());
        n
    }

    fn inc_minor(&self) -> Version {
        let mut n = self.clone();
        n.metadata.clear();
        n.pre.clear();
        n.patch = 0;
        n.minor = self.minor.wrapping_add(1);
        n.original = format!("{}{}", self.original_v_prefix(), n.string());
        n
    }

    fn inc_major(&self) -> Version {
        let mut n = self.clone();
        n.metadata.clear();
        n.pre.clear();
        n.patch = 0;
        n.minor = 0;
        n.major = self.major.wrapping_add(1);
        n.original = format!("{}{}", self.original_v_prefix(), n.string());
        n
    }

    fn set_prerelease(&self, pre: &str) -> Result<Version, FuncError> {
        let mut n = self.clone();
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        n.pre = pre.to_string();
        n.original = format!("{}{}", self.original_v_prefix(), n.string());
        Ok(n)
    }

    fn set_metadata(&self, meta: &str) -> Result<Version, FuncError> {
        let mut n = self.clone();
        if !meta.is_empty() {
            validate_metadata(meta)?;
        }
        n.metadata = meta.to_string();
        n.original = format!("{}{}", self.original_v_prefix(), n.string());
        Ok(n)
    }

    pub(crate) fn compare(&self, o: &Version) -> i32 {
        for (a, b) in [
            (self.major, o.major),
            (self.minor, o.minor),
            (self.patch, o.patch),
        ] {
            if a != b {
                return if a < b { -1 } else { 1 };
            }
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => -1,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        }
    }

    fn less_than(&self, o: &Version) -> bool {
        self.compare(o) < 0
    }
}

fn compare_prerelease(v: &str, o: &str) -> i32 {
    let sparts: Vec<&str> = v.split('.').collect();
    let oparts: Vec<&str> = o.split('.').collect();
    let l = sparts.len().max(oparts.len());
    for i in 0..l {
        let s = sparts.get(i).copied().unwrap_or("");
        let o = oparts.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, o);
        if d != 0 {
            return d;
        }
    }
    0
}

fn compare_pre_part(s: &str, o: &str) -> i32 {
    if s == o {
        return 0;
    }
    if s.is_empty() {
        return -1;
    }
    if o.is_empty() {
        return 1;
    }
    // Go's strconv.ParseUint: digits only (a sign or `_` is an error), no overflow.
    let num = |x: &str| -> Option<u64> {
        if x.is_empty() || !is_num(x) {
            None
        } else {
            x.parse().ok()
        }
    };
    match (num(s), num(o)) {
        (None, None) => {
            if s > o {
                1
            } else {
                -1
            }
        }
        // o is a string and s a number: numbers sort first.
        (Some(_), None) => -1,
        (None, Some(_)) => 1,
        (Some(si), Some(oi)) => {
            if si > oi {
                1
            } else {
                -1
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Constraints

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    GreaterThan,
    LessThan,
    GreaterThanEqual,
    LessThanEqual,
    Tilde,
    Caret,
}

impl Op {
    fn from_str(s: &str) -> Op {
        match s {
            "!=" => Op::NotEqual,
            ">" => Op::GreaterThan,
            "<" => Op::LessThan,
            ">=" | "=>" => Op::GreaterThanEqual,
            "<=" | "=<" => Op::LessThanEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            _ => Op::TildeOrEqual,
        }
    }
}

#[derive(Debug, PartialEq)]
struct Constraint {
    con: Version,
    op: Op,
    minor_dirty: bool,
    dirty: bool,
    patch_dirty: bool,
}

/// `semver.Constraints`: alternatives (`||`) of conjunctions.
#[derive(Debug, PartialEq)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn rewrite_range(i: &str) -> String {
    let mut o = i.to_string();
    for m in RE.range.captures_iter(i) {
        let whole = m.get(0).map_or("", |x| x.as_str());
        let a = m.get(1).map_or("", |x| x.as_str());
        let b = m.get(11).map_or("", |x| x.as_str());
        let t = format!(">= {a}, <= {b} ");
        o = o.replacen(whole, &t, 1);
    }
    o
}

fn parse_constraint(c: &str) -> Result<Constraint, FuncError> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::zero(),
            op: Op::TildeOrEqual,
            minor_dirty: false,
            dirty: true,
            patch_dirty: false,
        });
    }
    let Some(m) = RE.constraint.captures(c) else {
        return Err(err(format!("improper constraint: {c}")));
    };
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let dotted = |i: usize| g(i).strip_prefix('.');
    constraint_from_parts(
        g(1),
        g(2),
        g(3),
        dotted(4),
        dotted(5),
        g(6).strip_prefix('-').unwrap_or(""),
    )
}

/// A constraint from the groups of the library's constraint regexp: the
/// operator, the whole version, and its major, minor and patch parts and
/// prerelease (without their `.` and `-`).
fn constraint_from_parts(
    op: &str,
    version: &str,
    major: &str,
    minor: Option<&str>,
    patch: Option<&str>,
    pre: &str,
) -> Result<Constraint, FuncError> {
    let pre = if pre.is_empty() {
        String::new()
    } else {
        format!("-{pre}")
    };
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if minor.is_none_or(is_x) {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if patch.is_none_or(is_x) {
        dirty = true;
        patch_dirty = true;
        format!("{major}.{}.0{pre}", minor.unwrap_or_default())
    } else {
        version.to_string()
    };
    let con = Version::parse(&ver).map_err(|_| err("constraint parser error"))?;
    Ok(Constraint {
        con,
        op: Op::from_str(op),
        minor_dirty,
        dirty,
        patch_dirty,
    })
}

/// The forms nearly every chart writes: one constraint (`>=1.21-0`,
/// `^1.2.3`, `<2`, `>= 1.21`, `0.12.*`), or several, separated by spaces
/// or commas (`>=2.2.0 <3.0.0`, `>= 1.2, < 2`), in groups separated by
/// `||`: operators and versions of digits and wildcards, no ranges
/// (`1 - 2`). Of such a string the library's regexps (range, validity,
/// find, constraint) can only take each operator as every operator
/// character before its version and the version as the characters up to
/// the next space or comma, so its constraints are built from the
/// versions' parts without running them (regexp matching, and building the
/// regexps on first use, was most of a constraint's parse). `None`: any
/// other form, left to the regexps.
fn simple_constraint(c: &str) -> Option<Result<Constraints, FuncError>> {
    // Every part is checked to be well formed first (the regexps' validity
    // check); then the first constraint that fails to build, in order, is
    // the error.
    let mut parsed = Vec::new();
    for part in c.split("||") {
        let mut group = Vec::new();
        for (op, version) in simple_parts(part)? {
            group.push((op, version, constraint_parts(version)?));
        }
        parsed.push(group);
    }
    let mut groups = Vec::with_capacity(parsed.len());
    let mut contains_pre = Vec::with_capacity(parsed.len());
    for group in parsed {
        let mut built = Vec::with_capacity(group.len());
        for (op, version, parts) in group {
            let constraint = constraint_from_parts(
                op,
                version,
                parts.major,
                parts.minor,
                parts.patch,
                parts.pre,
            );
            match constraint {
                Ok(constraint) => built.push(constraint),
                Err(e) => return Some(Err(e)),
            }
        }
        contains_pre.push(built.iter().any(|c| !c.con.pre.is_empty()));
        groups.push(built);
    }
    Some(Ok(Constraints {
        groups,
        contains_pre,
    }))
}

/// The (operator, version) pairs of one `||`-free part, if it is a list
/// of constraints separated by spaces or a comma (with spaces around it),
/// each an operator, spaces and a version of the characters a version can
/// hold; `None` for anything else.
fn simple_parts(part: &str) -> Option<Vec<(&str, &str)>> {
    let space = |c: char| matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ');
    let in_version = |b: u8| b.is_ascii_alphanumeric() || b"._-+*|".contains(&b);
    let mut out = Vec::new();
    let mut rest = part.trim_start_matches(space);
    loop {
        let op_len = rest.bytes().take_while(|b| b"=!<>~^".contains(b)).count();
        let (op, tail) = rest.split_at(op_len);
        if !matches!(
            op,
            "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^"
        ) {
            return None;
        }
        let tail = tail.trim_start_matches(space);
        let version_len = tail.bytes().take_while(|&b| in_version(b)).count();
        if version_len == 0 {
            return None;
        }
        let (version, tail) = tail.split_at(version_len);
        out.push((op, version));
        // What separates it from the next: spaces, or a comma and spaces.
        let trimmed = tail.trim_start_matches(space);
        if trimmed.is_empty() {
            return Some(out);
        }
        rest = match trimmed.strip_prefix(',') {
            Some(after) => after.trim_start_matches(space),
            None if trimmed.len() < tail.len() => trimmed,
            None => return None,
        };
    }
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, FuncError> {
        if let Some(simple) = simple_constraint(c) {
            return simple;
        }
        Constraints::parse_with_regexps(c)
    }

    /// [`Constraints::parse`] as the library does it, for every form.
    fn parse_with_regexps(c: &str) -> Result<Constraints, FuncError> {
        let c = rewrite_range(c);
        let mut groups = Vec::new();
        let mut contains_pre = Vec::new();
        for part in c.split("||") {
            if !RE.valid.is_match(part) {
                return Err(err(format!("improper constraint: {part}")));
            }
            let mut found: Vec<&str> = RE.find.find_iter(part).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(part);
            }
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for s in found {
                let pc = parse_constraint(s)?;
                if !pc.con.pre.is_empty() {
                    has_pre = true;
                }
                group.push(pc);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints {
            groups,
            contains_pre,
        })
    }

    /// `Constraints.Check`.
    pub fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .zip(&self.contains_pre)
            .any(|(group, &pre)| group.iter().all(|c| c.check(v, pre)))
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != 0;
                        }
                        return false;
                    }
                }
                v.compare(c) != 0
            }
            Op::GreaterThan => {
                if !self.dirty {
                    return v.compare(c) == 1;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == 1
                }
            }
            Op::LessThan => v.compare(c) < 0,
            Op::GreaterThanEqual => v.compare(c) >= 0,
            Op::LessThanEqual => {
                if !self.dirty {
                    return v.compare(c) <= 0;
                }
                !(v.major > c.major || v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            Op::Tilde => self.tilde(v),
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == 0
                }
            }
            Op::Caret => {
                if v.less_than(c) {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.less_than(c) {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

// ---------------------------------------------------------------------------
// Template objects: `*semver.Version` and `semver.Version`

const PTR_TYPE: &str = "*semver.Version";
const VALUE_TYPE: &str = "semver.Version";

fn ptr_type() -> Type {
    Type::Other {
        name: PTR_TYPE.into(),
        kind: Kind::Pointer,
    }
}

fn bytes_type() -> Type {
    Type::slice_of(Type::Uint(UintKind::Uint8))
}

/// A `*semver.Version`. `Scan` and the `Unmarshal*` methods mutate the
/// version in place, as in Go, hence the lock.
#[derive(Debug)]
pub(crate) struct VersionPtr {
    v: Arc<Mutex<Version>>,
}

/// A `semver.Version` value, as `IncPatch` and friends return it.
#[derive(Debug)]
pub(crate) struct VersionValue {
    v: Version,
}

impl VersionPtr {
    fn value(v: Version) -> Value {
        Value::object(VersionPtr {
            v: Arc::new(Mutex::new(v)),
        })
    }

    fn get(&self) -> Version {
        lock(&self.v).clone()
    }
}

fn lock(v: &Mutex<Version>) -> std::sync::MutexGuard<'_, Version> {
    v.lock().unwrap_or_else(|e| e.into_inner())
}

/// A method that parses a version into the receiver (`Scan`, `Unmarshal*`);
/// it returns only an `error`, printed `<nil>` on success.
fn mutator(
    cell: &Arc<Mutex<Version>>,
    param: Type,
    parse: fn(&Value) -> Result<Version, FuncError>,
) -> Function {
    let cell = Arc::clone(cell);
    // A lone `error` result is an ordinary value to text/template.
    Function::new(vec![param], move |_, args| match parse(&args[0]) {
        Ok(v) => {
            *lock(&cell) = v;
            Ok(nil_error())
        }
        Err(e) => Ok(Value::object(ErrorValue(e.to_string()))),
    })
}

/// A nil `error` result: printed as `<nil>`, unlike a nil `interface {}`.
fn nil_error() -> Value {
    Value::object(NilError)
}

#[derive(Debug)]
struct NilError;

/// A non-nil `error` returned as a value (`*errors.errorString`).
#[derive(Debug)]
struct ErrorValue(String);

impl Object for ErrorValue {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "*errors.errorString".into(),
            kind: Kind::Pointer,
        }
    }
    fn go_string(&self) -> Option<String> {
        Some(self.0.clone())
    }
    fn struct_fields(&self) -> Vec<(Str, Value)> {
        vec![("s".into(), Value::from(self.0.as_str()))]
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Object for NilError {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "error".into(),
            kind: Kind::Interface,
        }
    }
    fn is_nil(&self) -> bool {
        true
    }
    fn go_string(&self) -> Option<String> {
        Some("<nil>".into())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl VersionValue {
    fn value(v: Version) -> Value {
        Value::object(VersionValue { v })
    }
}

fn version_fields(v: &Version) -> Vec<(Str, Value)> {
    vec![
        ("major".into(), Value::Uint(v.major, UintKind::Uint64)),
        ("minor".into(), Value::Uint(v.minor, UintKind::Uint64)),
        ("patch".into(), Value::Uint(v.patch, UintKind::Uint64)),
        ("pre".into(), Value::from(v.pre.as_str())),
        ("metadata".into(), Value::from(v.metadata.as_str())),
        ("original".into(), Value::from(v.original.as_str())),
    ]
}

fn json_bytes(v: &Version) -> Value {
    // json.Marshal of a version string: it only holds [0-9A-Za-z.+-].
    let s = format!("\"{}\"", v.string());
    bytes_value(s.as_bytes())
}

fn bytes_value(b: &[u8]) -> Value {
    Value::typed_list(
        Type::Uint(UintKind::Uint8),
        b.iter()
            .map(|&x| Value::Uint(x as u64, UintKind::Uint8))
            .collect(),
    )
}

fn value_bytes(v: &Value) -> Vec<u8> {
    v.as_list()
        .unwrap_or_default()
        .iter()
        .map(|x| match x {
            Value::Uint(u, _) => *u as u8,
            _ => 0,
        })
        .collect()
}

fn method0(f: impl Fn() -> FuncResult + Send + Sync + 'static) -> Function {
    Function::new(vec![], move |_: &mut Call<'_>, _| f())
}

/// Methods of `semver.Version` with value receivers (in both method sets).
fn value_method(v: &Version, name: &str) -> Option<Function> {
    let v = v.clone();
    Some(match name {
        "String" => method0(move || Ok(Value::from(v.string()))),
        "Major" => method0(move || Ok(Value::Uint(v.major, UintKind::Uint64))),
        "Minor" => method0(move || Ok(Value::Uint(v.minor, UintKind::Uint64))),
        "Patch" => method0(move || Ok(Value::Uint(v.patch, UintKind::Uint64))),
        "Prerelease" => method0(move || Ok(Value::from(v.pre.as_str()))),
        "Metadata" => method0(move || Ok(Value::from(v.metadata.as_str()))),
        "IncPatch" => method0(move || Ok(VersionValue::value(v.inc_patch()))),
        "IncMinor" => method0(move || Ok(VersionValue::value(v.inc_minor()))),
        "IncMajor" => method0(move || Ok(VersionValue::value(v.inc_major()))),
        "SetPrerelease" => Function::new(vec![Type::String], move |_, args| {
            Ok(VersionValue::value(v.set_prerelease(str_arg(&args[0]))?))
        }),
        "SetMetadata" => Function::new(vec![Type::String], move |_, args| {
            Ok(VersionValue::value(v.set_metadata(str_arg(&args[0]))?))
        }),
        "MarshalJSON" => method0(move || Ok(json_bytes(&v))),
        "MarshalText" => method0(move || Ok(bytes_value(v.string().as_bytes()))),
        "Value" => method0(move || Ok(Value::from(v.string()))),
        _ => return None,
    })
}

/// semver.Version's fields, none exported.
fn is_unexported_field(name: &str) -> bool {
    matches!(
        name,
        "major" | "minor" | "patch" | "pre" | "metadata" | "original"
    )
}

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

fn other_version(v: &Value) -> Option<Version> {
    v.downcast_ref::<VersionPtr>().map(VersionPtr::get)
}

impl Object for VersionPtr {
    fn go_type(&self) -> Type {
        ptr_type()
    }

    fn copystructure(&self) -> Option<Value> {
        // A new Version: its fields are all unexported, so all zero.
        Some(VersionPtr::value(Version::default()))
    }

    fn unexported_field(&self, name: &str) -> bool {
        is_unexported_field(name)
    }

    fn method(&self, name: &str) -> Option<Function> {
        let v = self.get();
        if let Some(f) = value_method(&v, name) {
            return Some(f);
        }
        let cmp = |f: fn(i32) -> bool| {
            let v = v.clone();
            Function::new(vec![ptr_type()], move |_, args| {
                let o = other_version(&args[0]).ok_or_else(|| err(NIL_DEREF))?;
                Ok(Value::Bool(f(v.compare(&o))))
            })
        };
        Some(match name {
            "Original" => method0(move || Ok(Value::from(v.original.as_str()))),
            "LessThan" => cmp(|c| c < 0),
            "LessThanEqual" => cmp(|c| c <= 0),
            "GreaterThan" => cmp(|c| c > 0),
            "GreaterThanEqual" => cmp(|c| c >= 0),
            "Equal" => Function::new(vec![ptr_type()], move |_, args| {
                Ok(Value::Bool(match other_version(&args[0]) {
                    Some(o) => v.compare(&o) == 0,
                    None => false,
                }))
            }),
            "Compare" => Function::new(vec![ptr_type()], move |_, args| {
                let o = other_version(&args[0]).ok_or_else(|| err(NIL_DEREF))?;
                Ok(Value::Int(v.compare(&o) as i64, IntKind::Int))
            }),
            "UnmarshalJSON" => mutator(&self.v, bytes_type(), |b| {
                let b = value_bytes(b);
                // json.Unmarshal into a string: only a JSON string is accepted.
                let s = parse_json_string(&b)?;
                Version::parse(&s)
            }),
            "UnmarshalText" => mutator(&self.v, bytes_type(), |b| {
                Version::parse(&String::from_utf8_lossy(&value_bytes(b)))
            }),
            "Scan" => mutator(&self.v, Type::Interface, |v| {
                Version::parse(v.as_str().unwrap_or_default())
            }),
            _ => return None,
        })
    }

    fn go_string(&self) -> Option<String> {
        Some(self.get().string())
    }

    fn marshal_text(&self) -> Option<String> {
        Some(self.get().string())
    }

    fn struct_fields(&self) -> Vec<(Str, Value)> {
        version_fields(&self.get())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Object for VersionValue {
    fn go_type(&self) -> Type {
        Type::Other {
            name: VALUE_TYPE.into(),
            kind: Kind::Struct,
        }
    }

    fn copystructure(&self) -> Option<Value> {
        Some(Value::object(VersionValue {
            v: Version::default(),
        }))
    }

    fn unexported_field(&self, name: &str) -> bool {
        is_unexported_field(name)
    }

    fn method(&self, name: &str) -> Option<Function> {
        value_method(&self.v, name)
    }

    fn go_string(&self) -> Option<String> {
        Some(self.v.string())
    }

    fn marshal_text(&self) -> Option<String> {
        Some(self.v.string())
    }

    fn struct_fields(&self) -> Vec<(Str, Value)> {
        version_fields(&self.v)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `json.Unmarshal(b, &s)` for a string `s`, for the inputs a template can
/// build (a `MarshalJSON` result); anything else is a JSON error.
fn parse_json_string(b: &[u8]) -> Result<String, FuncError> {
    let text = String::from_utf8_lossy(b);
    let t = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    if t.len() >= 2
        && t.starts_with('"')
        && t.ends_with('"')
        && !t[1..t.len() - 1].contains(['"', '\\'])
    {
        return Ok(t[1..t.len() - 1].to_string());
    }
    if t.is_empty() {
        return Err(err("unexpected end of JSON input"));
    }
    Err(err(format!(
        "json: cannot unmarshal {} into Go value of type string",
        json_kind(t)
    )))
}

fn json_kind(t: &str) -> &'static str {
    match t.as_bytes()[0] {
        b'{' => "object",
        b'[' => "array",
        b't' | b'f' => "bool",
        b'"' => "string",
        _ => "number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to `max` pieces of `alphabet`.
    fn every_string(alphabet: &[&str], max: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// Every constraint the direct path takes is the one the library's
    /// regexps build: every string of up to 4 characters over an alphabet
    /// of the syntax's characters, and longer pseudo-random ones.
    #[test]
    fn simple_constraints_are_what_the_regexps_build() {
        let alphabet = [
            "1", "0", ".", "-", "+", "a", "v", ">", "=", "<", "~", "^", "!", " ", "x", "|", ",",
            "*", "X",
        ];
        let mut inputs = every_string(&alphabet, 4);
        let ops = [
            "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^", "=>=", "<>",
        ];
        let tails = [
            "1",
            "1.2",
            "1.2.3",
            "v1.2.3-rc.1+b.7",
            "01.0-0",
            "1.x",
            "1.2.*",
            "0.12.*",
            "*",
            "X.1.x-rc.1",
            "1.x|",
            "1.2.3-",
            "99999999999999999999",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut s = ops[(seed % ops.len() as u64) as usize].to_string();
            s.push_str(tails[((seed >> 8) % tails.len() as u64) as usize]);
            for k in 0..((seed >> 16) % 4) {
                s.push_str(alphabet[((seed >> (20 + 4 * k)) % 8) as usize]);
            }
            // Spaces before, after, and between the operator and the rest.
            let spaces = ["", " ", "\t", " \n\x0C\r "];
            let space = |shift: u32| spaces[((seed >> shift) % 4) as usize];
            let op_len = s.bytes().take_while(|b| b"=!<>~^".contains(b)).count();
            s.insert_str(op_len, space(36));
            inputs.push(format!("{}{s}{}", space(40), space(44)));
        }
        // Several constraints: joined by spaces, commas and `||`, or
        // nothing (which the regexps refuse).
        let singles = inputs.len();
        let joins = [" ", ",", " , ", ", ", "||", " || ", "", "\t", " ,, ", " - "];
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Mostly well-formed pieces (an operator, spaces, a version),
            // some with the junk of the single ones above.
            let piece = |x: u64| -> String {
                if x.is_multiple_of(8) {
                    return inputs[singles - 1 - (x >> 3) as usize % 20_000].clone();
                }
                let op = ops[(x >> 3) as usize % ops.len()];
                let gap = ["", " ", "  "][(x >> 7) as usize % 3];
                format!("{op}{gap}{}", tails[(x >> 9) as usize % tails.len()])
            };
            let mut s = piece(seed);
            for k in 0..1 + (seed >> 16) % 3 {
                let x = seed.rotate_left(17 * (k as u32 + 1));
                s.push_str(joins[(x >> 40) as usize % joins.len()]);
                s.push_str(&piece(x));
            }
            inputs.push(s);
        }
        inputs.extend(
            [
                ">=2.2.0 <3.0.0",
                ">= 1.2, < 2",
                ">=1.2.3,<2",
                "1.2 1.3",
                "^1.2 || ~2.3",
                ">1.2<3",
                ">=1.2,",
                "1 - 2",
                "1.0.0 - 2.0.0 || >3",
            ]
            .map(String::from),
        );
        let (mut direct, mut direct_several) = (0, 0);
        for (i, c) in inputs.iter().enumerate() {
            let Some(fast) = simple_constraint(c) else {
                continue;
            };
            direct += 1;
            if i >= singles
                && fast
                    .as_ref()
                    .is_ok_and(|c| c.groups.iter().map(Vec::len).sum::<usize>() > 1)
            {
                direct_several += 1;
            }
            let slow = Constraints::parse_with_regexps(c);
            match (fast, slow) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{c:?}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{c:?}"),
                (a, b) => panic!("{c:?}: direct {a:?}, regexps {b:?}"),
            }
        }
        assert!(
            direct > 8000 && direct_several > 2000,
            "only {direct} constraints took the direct path ({direct_several} of several)"
        );
    }

    /// `loose_parts` gives the groups the library's regexp captures, for
    /// every string of up to 5 characters over an alphabet of the syntax's
    /// characters, and for longer pseudo-random ones.
    #[test]
    fn loose_parts_matches_the_library_regexp() {
        let re = Regex::new(&format!("^{LOOSE_SEMVER}$")).unwrap();
        fn by_regexp<'a>(re: &Regex, v: &'a str) -> Option<LooseParts<'a>> {
            re.captures(v).map(|m| {
                let g = |i: usize| m.get(i).map(|x| x.as_str());
                LooseParts {
                    major: g(1).unwrap(),
                    minor: g(2).map(|s| &s[1..]),
                    patch: g(3).map(|s| &s[1..]),
                    pre: g(5).unwrap_or(""),
                    metadata: g(8).unwrap_or(""),
                }
            })
        }
        let alphabet = ["v", "1", "0", ".", "-", "+", "a", "V", "é", " "];
        let mut inputs = every_string(&alphabet, 5);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 16) {
                s.push_str(alphabet[((seed >> (4 * k)) % 7) as usize]);
            }
            inputs.push(s);
        }
        inputs.extend(
            [
                "v1.2.3-rc.1+b.7",
                "01.002.3",
                "1.2.3.4",
                "1..2",
                "1.0.0-",
                "1+a..b",
            ]
            .map(String::from),
        );
        let mut matched = 0;
        for v in &inputs {
            let expected = by_regexp(&re, v);
            matched += usize::from(expected.is_some());
            assert_eq!(loose_parts(v), expected, "{v:?}");
        }
        assert!(matched > 1000, "only {matched} inputs were versions");
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let pieces = [
            "1",
            "0",
            "x",
            "*",
            "X",
            ".",
            "-",
            "+",
            " ",
            ",",
            "||",
            "v",
            "^",
            "~",
            ">",
            "<",
            "=",
            "!",
            "99999999999999999999",
            "alpha",
            "01",
            "|",
            "\t",
            "é",
        ];
        let mut seed = 0xda942042e4dd58b5u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20000 {
            let s: String = (0..next() % 10)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let v = Version::parse(&s);
            if let Ok(c) = Constraints::parse(&s) {
                let _ = c.check(&Version::parse("1.2.3-alpha").unwrap());
                if let Ok(v) = &v {
                    let _ = c.check(v);
                }
            }
            if let Ok(v) = v {
                let _ = (
                    v.inc_major(),
                    v.inc_minor(),
                    v.inc_patch(),
                    v.set_prerelease(&s),
                    v.set_metadata(&s),
                );
            }
        }
    }

    #[test]
    fn compares_like_masterminds() {
        let c = |c: &str, v: &str| {
            Constraints::parse(c)
                .unwrap()
                .check(&Version::parse(v).unwrap())
        };
        assert!(c(">=1.21-0", "v1.35.0"));
        assert!(c(">= 1.19.0-0 < 1.25.0-0", "1.24.3-gke.1"));
        assert!(!c(">=1.2.3", "1.2.4-beta"));
        assert!(c("1.2 - 1.4.5", "1.4.5"));
        assert!(c("^1.2.3", "1.9.9") && !c("^1.2.3", "2.0.0"));
        assert!(c("~1.2", "1.2.9") && !c("~1.2", "1.3.0"));
        assert!(c("1.x", "1.5.0") && !c("1.x", "2.0.0"));
        assert_eq!(
            Constraints::parse("abc").unwrap_err().to_string(),
            "improper constraint: abc"
        );
        assert_eq!(
            Version::parse("1.2.x").unwrap_err().to_string(),
            "invalid semantic version"
        );
    }
}
