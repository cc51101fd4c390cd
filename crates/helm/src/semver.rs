//! Masterminds/semver v3.4.0 as helm uses it: `NewVersion` (with its
//! coercion of `1`, `1.2`, `v1.2.3`), `NewConstraint` and `Check`, for
//! Chart.yaml version validation and dependency version ranges.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use regex_lite::Regex;

/// A parsed semantic version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

/// The version errors Masterminds/semver reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemverError(pub String);

impl fmt::Display for SemverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SemverError {}

const LOOSE: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

fn loose_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(&format!("^{LOOSE}$")).expect("valid regex"))
}

/// A regexp written as Masterminds writes it for Go: `{OPS}` and `{CV}`
/// stand for those patterns, and `\s` is Go's ASCII `[\t\n\f\r ]`.
fn go_re(pattern: &str) -> Regex {
    let pattern = pattern
        .replace("{OPS}", OPS)
        .replace("{CV}", CV)
        .replace(r"\s", r"[\t\n\f\r ]");
    Regex::new(&pattern).expect("valid regex")
}

struct ConstraintRes {
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

fn cres() -> &'static ConstraintRes {
    static R: OnceLock<ConstraintRes> = OnceLock::new();
    R.get_or_init(|| ConstraintRes {
        constraint: go_re(r"^\s*({OPS})\s*({CV})\s*$"),
        range: go_re(r"\s*({CV})\s+-\s+({CV})\s*"),
        find: go_re(r"({OPS})\s*({CV})"),
        valid: go_re(r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"),
    })
}

/// Compiles the regexps ahead of the first use.
pub fn prepare() {
    loose_re();
    cres();
}

const NUM: &str = "0123456789";
const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

fn contains_only(s: &str, set: &str) -> bool {
    s.chars().all(|c| set.contains(c))
}

fn err(s: &str) -> SemverError {
    SemverError(s.to_string())
}

fn validate_prerelease(p: &str) -> Result<(), SemverError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(err("invalid prerelease string"));
        } else if contains_only(part, NUM) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(err("version segment starts with 0"));
            }
        } else if !contains_only(part, ALLOWED) {
            return Err(err("invalid prerelease string"));
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), SemverError> {
    for part in m.split('.') {
        if part.is_empty() || !contains_only(part, ALLOWED) {
            return Err(err("invalid metadata string"));
        }
    }
    Ok(())
}

fn parse_segment(s: &str) -> Result<u64, SemverError> {
    s.parse::<u64>().map_err(|_| {
        SemverError(format!(
            "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
            gotmpl::strconv::quote(s)
        ))
    })
}

impl Version {
    /// `semver.NewVersion` (coercing, as `CoerceNewVersion` is true by default).
    pub fn parse(v: &str) -> Result<Version, SemverError> {
        let Some(m) = loose_re().captures(v) else {
            return Err(err("invalid semantic version"));
        };
        let get = |i: usize| m.get(i).map(|x| x.as_str()).unwrap_or("");
        let mut sv = Version {
            major: parse_segment(get(1))?,
            minor: 0,
            patch: 0,
            pre: get(5).to_string(),
            metadata: get(8).to_string(),
            original: v.to_string(),
        };
        if !get(2).is_empty() {
            sv.minor = parse_segment(&get(2)[1..])?;
        }
        if !get(3).is_empty() {
            sv.patch = parse_segment(&get(3)[1..])?;
        }
        if !sv.pre.is_empty() {
            validate_prerelease(&sv.pre)?;
        }
        if !sv.metadata.is_empty() {
            validate_metadata(&sv.metadata)?;
        }
        Ok(sv)
    }

    fn strict_zero() -> Version {
        Version {
            major: 0,
            minor: 0,
            patch: 0,
            pre: String::new(),
            metadata: String::new(),
            original: "0.0.0".into(),
        }
    }

    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let s: Vec<&str> = v.split('.').collect();
    let p: Vec<&str> = o.split('.').collect();
    for i in 0..s.len().max(p.len()) {
        let a = s.get(i).copied().unwrap_or("");
        let b = p.get(i).copied().unwrap_or("");
        let d = compare_pre_part(a, b);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (o.parse::<u64>(), s.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Err(_), Ok(_)) => Ordering::Less,
        (Ok(_), Err(_)) => Ordering::Greater,
        (Ok(oi), Ok(si)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// `semver.Constraints`: alternatives (`||`) of conjunctions.
#[derive(Clone, Debug)]
pub struct Constraints {
    ors: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn rewrite_range(i: &str) -> String {
    let re = &cres().range;
    let mut out = i.to_string();
    for m in re.captures_iter(i) {
        let whole = m.get(0).map(|x| x.as_str()).unwrap_or("");
        let a = m.get(1).map(|x| x.as_str()).unwrap_or("");
        let b = m.get(11).map(|x| x.as_str()).unwrap_or("");
        let t = format!(">= {a}, <= {b} ");
        out = out.replacen(whole, &t, 1);
    }
    out
}

fn parse_constraint(c: &str) -> Result<Constraint, SemverError> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::strict_zero(),
            op: Op::TildeOrEqual,
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let Some(m) = cres().constraint.captures(c) else {
        return Err(SemverError(format!("improper constraint: {c}")));
    };
    let get = |i: usize| m.get(i).map(|x| x.as_str()).unwrap_or("");
    let op = match get(1) {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Gt,
        "<" => Op::Lt,
        ">=" | "=>" => Op::Ge,
        "<=" | "=<" => Op::Le,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (m3, m4, m5, m6) = (get(3), get(4), get(5), get(6));
    let mut ver = get(2).to_string();
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    if is_x(m3) || m3.is_empty() {
        ver = format!("0.0.0{m6}");
        dirty = true;
    } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{m3}.0.0{m6}");
    } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{m3}{m4}.0{m6}");
    }
    let con = Version::parse(&ver).map_err(|_| err("constraint parser error"))?;
    Ok(Constraint {
        con,
        op,
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, SemverError> {
        let c = rewrite_range(c);
        let mut ors = Vec::new();
        let mut contains_pre = Vec::new();
        for v in c.split("||") {
            if !cres().valid.is_match(v) {
                return Err(SemverError(format!("improper constraint: {v}")));
            }
            let mut cs: Vec<&str> = cres().find.find_iter(v).map(|m| m.as_str()).collect();
            if cs.is_empty() {
                cs.push(v);
            }
            let mut result = Vec::new();
            let mut has_pre = false;
            for s in cs {
                let pc = parse_constraint(s)?;
                if !pc.con.pre.is_empty() {
                    has_pre = true;
                }
                result.push(pc);
            }
            ors.push(result);
            contains_pre.push(has_pre);
        }
        Ok(Constraints { ors, contains_pre })
    }

    /// `Constraints.Check`.
    pub fn check(&self, v: &Version) -> bool {
        self.ors
            .iter()
            .enumerate()
            .any(|(i, and)| and.iter().all(|c| check_one(v, c, self.contains_pre[i])))
    }
}

fn check_one(v: &Version, c: &Constraint, include_pre: bool) -> bool {
    if !v.pre.is_empty() && !include_pre {
        return false;
    }
    match c.op {
        Op::NotEqual => {
            if c.dirty {
                if c.con.major != v.major {
                    return true;
                }
                if c.con.minor != v.minor && !c.minor_dirty {
                    return true;
                } else if c.minor_dirty {
                    return false;
                } else if c.con.patch != v.patch && !c.patch_dirty {
                    return true;
                } else if c.patch_dirty {
                    if !v.pre.is_empty() || !c.con.pre.is_empty() {
                        return compare_prerelease(&v.pre, &c.con.pre) != Ordering::Equal;
                    }
                    return false;
                }
            }
            v.compare(&c.con) != Ordering::Equal
        }
        Op::Gt => {
            if !c.dirty {
                return v.compare(&c.con) == Ordering::Greater;
            }
            if v.major > c.con.major {
                true
            } else if v.major < c.con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > c.con.minor
            } else {
                v.compare(&c.con) == Ordering::Greater
            }
        }
        Op::Lt => v.compare(&c.con) == Ordering::Less,
        Op::Ge => v.compare(&c.con) != Ordering::Less,
        Op::Le => {
            if !c.dirty {
                return v.compare(&c.con) != Ordering::Greater;
            }
            !(v.major > c.con.major
                || (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty))
        }
        Op::Tilde => tilde(v, c),
        Op::TildeOrEqual => {
            if c.dirty {
                tilde(v, c)
            } else {
                v.compare(&c.con) == Ordering::Equal
            }
        }
        Op::Caret => {
            if v.compare(&c.con) == Ordering::Less {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if c.con.major == 0 && v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if c.con.minor == 0 && v.minor > 0 {
                return false;
            }
            c.con.patch == v.patch
        }
    }
}

fn tilde(v: &Version, c: &Constraint) -> bool {
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    if c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty
    {
        return true;
    }
    if v.major != c.con.major {
        return false;
    }
    v.minor == c.con.minor || c.minor_dirty
}

/// helm's `IsCompatibleRange(constraint, version)`.
///
/// The answers are kept: every render of a chart asks the same few (its
/// dependencies' ranges, its `kubeVersion`), and parsing a range is most of
/// the cost.
pub fn is_compatible_range(constraint: &str, ver: &str) -> bool {
    type Answers = rustc_hash::FxHashMap<(Box<str>, Box<str>), bool>;
    static ANSWERS: std::sync::Mutex<Option<Answers>> = std::sync::Mutex::new(None);
    const ANSWERS_MAX: usize = 1024;
    let key = (Box::from(constraint), Box::from(ver));
    if let Some(&answer) = ANSWERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|a| a.get(&key))
    {
        return answer;
    }
    let answer = compatible_range(constraint, ver);
    let mut answers = ANSWERS.lock().unwrap_or_else(|e| e.into_inner());
    let answers = answers.get_or_insert_with(Default::default);
    if answers.len() >= ANSWERS_MAX {
        answers.clear();
    }
    answers.insert(key, answer);
    answer
}

fn compatible_range(constraint: &str, ver: &str) -> bool {
    let Ok(v) = Version::parse(ver) else {
        return false;
    };
    match Constraints::parse(constraint) {
        Ok(c) => c.check(&v),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_coerce() {
        assert_eq!(Version::parse("1").unwrap().to_string(), "1.0.0");
        assert_eq!(Version::parse("v1.2").unwrap().to_string(), "1.2.0");
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("x").is_err());
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err().0,
            "version segment starts with 0"
        );
    }

    #[test]
    fn ranges() {
        assert!(is_compatible_range("~1.2.0", "1.2.9"));
        assert!(!is_compatible_range("~1.2.0", "1.3.0"));
        assert!(is_compatible_range("^1", "1.9.0"));
        assert!(is_compatible_range(">=1.0.0 <2", "1.5.0"));
        assert!(is_compatible_range("1.x", "1.5.0"));
        assert!(is_compatible_range("*", "3.0.0"));
        assert!(!is_compatible_range("", "3.0.0"));
        assert!(is_compatible_range("1 - 2", "2.0.0"));
        assert!(!is_compatible_range(">1", "1.0.0-alpha"));
        assert!(is_compatible_range(">=1.0.0-0", "1.0.0-alpha"));
        assert!(is_compatible_range("1.0.0 || 2.0.0", "2.0.0"));
        assert!(!is_compatible_range("bogus", "2.0.0"));
    }
}
