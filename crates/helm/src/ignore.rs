//! `.helmignore` as helm's `pkg/ignore` reads it: not gitignore. Each line is
//! a Go `path/filepath.Match` pattern (no `**`: such a rule is an error); a
//! pattern without `/` matches the base name, one with `/` the whole path
//! relative to the chart, a leading `/` anchors it, a trailing `/` restricts
//! it to directories, and `!` negates it with helm's peculiar semantics (a
//! path that does *not* match a negated rule is ignored). Rules are tried in
//! order and the first decision wins; `templates/.?*` is always appended.

use std::fmt;

/// `filepath.ErrBadPattern`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

/// Decodes one UTF-8 rune like Go's `utf8.DecodeRuneInString`: `(rune, len)`,
/// `(U+FFFD, 1)` for an invalid byte.
fn decode_rune(s: &[u8]) -> (u32, usize) {
    if s.is_empty() {
        return (0xFFFD, 0);
    }
    let n = match s[0] {
        0x00..=0x7F => return (s[0] as u32, 1),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (0xFFFD, 1),
    };
    if s.len() < n {
        return (0xFFFD, 1);
    }
    match std::str::from_utf8(&s[..n]) {
        Ok(st) => (st.chars().next().map(|c| c as u32).unwrap_or(0xFFFD), n),
        Err(_) => (0xFFFD, 1),
    }
}

fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut p = pattern;
    let mut star = false;
    while let [b'*', rest @ ..] = p {
        p = rest;
        star = true;
    }
    let mut inrange = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' if i + 1 < p.len() => i += 1,
            b'[' => inrange = true,
            b']' => inrange = false,
            b'*' if !inrange => break,
            _ => {}
        }
        i += 1;
    }
    (star, &p[..i], &p[i..])
}

fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    if chunk.is_empty() || chunk[0] == b'-' || chunk[0] == b']' {
        return Err(BadPattern);
    }
    let mut c = chunk;
    if c[0] == b'\\' {
        c = &c[1..];
        if c.is_empty() {
            return Err(BadPattern);
        }
    }
    let (r, n) = decode_rune(c);
    if r == 0xFFFD && n == 1 {
        return Err(BadPattern);
    }
    let rest = &c[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

fn match_chunk<'a>(chunk: &[u8], s: &'a [u8]) -> Result<Option<&'a [u8]>, BadPattern> {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = 0u32;
                if !failed {
                    let (rr, n) = decode_rune(s);
                    r = rr;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.first() == Some(&b'^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            c => {
                let mut c = c;
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                    c = chunk[0];
                }
                if !failed {
                    if c != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        Ok(None)
    } else {
        Ok(Some(s))
    }
}

/// Go's `path/filepath.Match` (Unix separator `/`).
pub fn filepath_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(&b'/'));
        }
        let r = match_chunk(chunk, name);
        if let Ok(Some(t)) = r {
            if t.is_empty() || !pattern.is_empty() {
                name = t;
                continue;
            }
        }
        r?;
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

#[derive(Clone, Debug)]
enum Kind {
    /// Leading `/`: the pattern (without it) against the whole path.
    Rooted,
    /// Contains `/`: against the whole path.
    Structural,
    /// Against the base name.
    Base,
}

#[derive(Clone, Debug)]
struct Pattern {
    rule: String,
    /// What `rule` reduces to, decided once (every file is checked against
    /// every rule).
    shape: Shape,
    kind: Kind,
    negate: bool,
    must_dir: bool,
}

/// The common forms of a rule, matched without the general matcher (with
/// the same result).
#[derive(Clone, Debug)]
enum Shape {
    /// No `*`, `?`, `[` or `\`: the name must be the rule.
    Literal,
    /// `*` then such a literal: the name ends with it and has no `/` before.
    StarSuffix,
    /// Anything else: [`filepath_match`].
    General,
}

impl Shape {
    fn of(rule: &str) -> Shape {
        let plain = |s: &str| !s.contains(['*', '?', '[', '\\']);
        if plain(rule) {
            Shape::Literal
        } else if rule
            .strip_prefix('*')
            .is_some_and(|r| !r.is_empty() && plain(r))
        {
            Shape::StarSuffix
        } else {
            Shape::General
        }
    }
}

impl Pattern {
    fn new(rule: &str, kind: Kind, negate: bool, must_dir: bool) -> Pattern {
        Pattern {
            rule: rule.to_string(),
            shape: Shape::of(rule),
            kind,
            negate,
            must_dir,
        }
    }

    /// Whether the rule matches `path`, whose base name is `base`.
    fn matches(&self, path: &str, base: &str) -> bool {
        let target = match self.kind {
            Kind::Rooted | Kind::Structural => path,
            Kind::Base => base,
        };
        match self.shape {
            Shape::Literal => target == self.rule,
            Shape::StarSuffix => target
                .strip_suffix(&self.rule[1..])
                .is_some_and(|head| !head.contains('/')),
            Shape::General => filepath_match(&self.rule, target).unwrap_or(false),
        }
    }
}

/// Go's `filepath.Base`.
fn go_base(p: &str) -> &str {
    if p.is_empty() {
        return ".";
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/";
    }
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// No rules.
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Parses `.helmignore` text (a leading BOM is dropped). Errors are Go's
    /// texts: `double-star (**) syntax is not supported`, `syntax error in pattern`.
    pub fn parse(text: &[u8]) -> Result<Rules, String> {
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        let mut r = Rules::empty();
        // bufio.ScanLines: split on '\n', drop a trailing '\r'.
        let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        if lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        for l in lines {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            r.parse_rule(&String::from_utf8_lossy(l))?;
        }
        Ok(r)
    }

    /// helm's default rule, added after the file's: `templates/.?*`.
    pub fn add_defaults(&mut self) {
        let _ = self.parse_rule("templates/.?*");
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        filepath_match(rule, "abc").map_err(|e| e.to_string())?;
        let mut rule = rule;
        let mut negate = false;
        if let Some(r) = rule.strip_prefix('!') {
            negate = true;
            rule = r;
        }
        let mut must_dir = false;
        if let Some(r) = rule.strip_suffix('/') {
            must_dir = true;
            rule = r;
        }
        let (kind, rule) = if let Some(r) = rule.strip_prefix('/') {
            (Kind::Rooted, r)
        } else if rule.contains('/') {
            (Kind::Structural, rule)
        } else {
            (Kind::Base, rule)
        };
        self.patterns
            .push(Pattern::new(rule, kind, negate, must_dir));
        Ok(())
    }

    /// Whether `path` (relative, `/`-separated) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        // Found once for all the rules.
        let base = go_base(path);
        for p in &self.patterns {
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !p.matches(path, base) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if p.matches(path, base) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match() {
        assert_eq!(filepath_match("*.txt", "a.txt"), Ok(true));
        assert_eq!(filepath_match("*", "a/b"), Ok(false));
        assert_eq!(filepath_match("a/*", "a/b"), Ok(true));
        assert_eq!(filepath_match("a?c", "abc"), Ok(true));
        assert_eq!(filepath_match("[a-c]x", "bx"), Ok(true));
        assert_eq!(filepath_match("[^a-c]x", "bx"), Ok(false));
        assert_eq!(filepath_match("\\*", "*"), Ok(true));
        assert_eq!(filepath_match("[", "a"), Err(BadPattern));
        assert_eq!(filepath_match("a\\", "a"), Err(BadPattern));
        assert_eq!(filepath_match("*x", "axbx"), Ok(true));
        assert_eq!(filepath_match("*.?*", ".a"), Ok(true));
    }

    /// The shortcut forms answer as the general matcher does.
    #[test]
    fn shapes_agree_with_filepath_match() {
        let rules = [
            "a", "a.txt", "*.swp", "*~", "*.", "*a*", "*", "x*", "*/y", "*.t?t", "bin", "a/b",
            "*b/c", ".a", "*.a.b", "é", "*é", "*\\*", "*[a]",
        ];
        let names = [
            "",
            "a",
            "a.txt",
            "b.swp",
            ".swp",
            "a.swp.swp",
            "a/b.swp",
            "x~",
            "~",
            "a.",
            "bin",
            "a/b",
            "ab/c",
            "x/b/c",
            "x/y",
            ".a",
            "x.a.b",
            "é",
            "aé",
            "a*",
            "ba",
        ];
        for rule in rules {
            for name in names {
                for kind in [Kind::Base, Kind::Structural] {
                    let p = Pattern::new(rule, kind.clone(), false, false);
                    let general = Pattern {
                        shape: Shape::General,
                        ..p.clone()
                    };
                    let base = go_base(name);
                    assert_eq!(
                        p.matches(name, base),
                        general.matches(name, base),
                        "rule {rule:?} name {name:?} {kind:?}"
                    );
                }
            }
        }
        assert!(matches!(Shape::of("*.swp"), Shape::StarSuffix));
        assert!(matches!(Shape::of(".DS_Store"), Shape::Literal));
        assert!(matches!(Shape::of("*.t?t"), Shape::General));
    }

    #[test]
    fn rules() {
        let mut r = Rules::parse(b"# c\n*.bak\n/top.txt\nsecret/\ndocs/*.md\n").unwrap();
        r.add_defaults();
        assert!(r.ignore("x/y.bak", false));
        assert!(r.ignore("top.txt", false));
        assert!(!r.ignore("a/top.txt", false));
        assert!(r.ignore("secret", true));
        assert!(!r.ignore("secret", false));
        assert!(r.ignore("docs/a.md", false));
        assert!(!r.ignore("docs/x/a.md", false));
        assert!(r.ignore("templates/.hidden", false));
        assert!(!r.ignore("templates/x.yaml", false));
        let n = Rules::parse(b"!keep.txt\n").unwrap();
        assert!(!n.ignore("keep.txt", false));
        assert!(n.ignore("other.txt", false));
        assert!(Rules::parse(b"a/**/b\n").is_err());
    }
}
