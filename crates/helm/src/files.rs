//! `.Files`: helm's `engine.files` (a `map[string][]byte` of the chart's
//! non-template files) with its methods `Get`, `GetBytes`, `Glob`, `Lines`,
//! `AsConfig` and `AsSecrets`. `Glob` uses gobwas/glob with `/` as the
//! separator (`*` stays within a path segment, `**` crosses segments, `{a,b}`
//! alternatives, `[…]` classes); an invalid pattern matches everything, as
//! in helm.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use gotmpl::{Function, Kind, MapEntries, Object, Type, UintKind, Value};

use crate::chart::{File, FileData};

/// The `.Files` object of one chart.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub files: Arc<BTreeMap<String, FileData>>,
}

fn bytes_type() -> Type {
    Type::slice_of(Type::Uint(UintKind::Uint8))
}

fn bytes_value(b: &[u8]) -> Value {
    Value::typed_list(
        Type::Uint(UintKind::Uint8),
        b.iter()
            .map(|&x| Value::Uint(u64::from(x), UintKind::Uint8))
            .collect(),
    )
}

impl Files {
    /// helm's `newFiles` (a later file of the same name wins).
    pub fn new(from: &[File]) -> Files {
        let mut m = BTreeMap::new();
        for f in from {
            m.insert(f.name.clone(), f.data.clone());
        }
        Files { files: Arc::new(m) }
    }

    /// `GetBytes`: the content, empty if there is no such file.
    pub fn get_bytes(&self, name: &str) -> &[u8] {
        self.files.get(name).map(|d| &d[..]).unwrap_or(&[])
    }

    /// `Get`: the content as a Go string (its bytes, UTF-8 or not).
    pub fn get(&self, name: &str) -> Value {
        Value::from_bytes(self.get_bytes(name).to_vec())
    }

    /// `Glob`: the files whose names match.
    pub fn glob(&self, pattern: &str) -> Files {
        let g = Glob::compile(pattern).unwrap_or(Glob(vec![Tok::SuperStar]));
        let m = self
            .files
            .iter()
            .filter(|(k, _)| g.matches(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Files { files: Arc::new(m) }
    }

    fn yaml_of(&self, f: impl Fn(&[u8]) -> Value) -> String {
        let mut m = MapEntries::new();
        for (k, v) in self.files.iter() {
            let base = k.rsplit('/').next().unwrap_or(k);
            m.insert(base.into(), f(v));
        }
        chartgen_yaml::to_yaml(&Value::map(m))
    }

    /// `AsConfig`: `base name: content` as YAML.
    pub fn as_config(&self) -> String {
        self.yaml_of(|d| Value::from_bytes(d.to_vec()))
    }

    /// `AsSecrets`: `base name: base64(content)` as YAML.
    pub fn as_secrets(&self) -> String {
        self.yaml_of(|d| Value::from(base64::engine::general_purpose::STANDARD.encode(d)))
    }

    /// `Lines`: the content split on `\n` (one trailing newline dropped),
    /// each line a Go string of its bytes.
    /// An empty file makes Go panic; that is the error here.
    pub fn lines(&self, path: &str) -> Result<Vec<Value>, String> {
        let Some(d) = self.files.get(path) else {
            return Ok(Vec::new());
        };
        if d.is_empty() {
            return Err("runtime error: index out of range [-1]".into());
        }
        let s = d.strip_suffix(b"\n").unwrap_or(d);
        Ok(s.split(|&b| b == b'\n')
            .map(|l| Value::from_bytes(l.to_vec()))
            .collect())
    }

    /// The underlying `map[string][]byte` (for range, index and printing).
    pub fn as_value(&self) -> Value {
        let m: MapEntries = self
            .files
            .iter()
            .map(|(k, v)| (k.as_str().into(), bytes_value(v)))
            .collect();
        Value::typed_map(
            Type::Map {
                elem: Type::shared(bytes_type()),
                name: Some("engine.files".into()),
            },
            m,
        )
    }
}

impl Object for Files {
    fn go_type(&self) -> Type {
        Type::Other {
            name: "engine.files".into(),
            kind: Kind::Map,
        }
    }

    fn method(&self, name: &str) -> Option<Function> {
        let me = self.clone();
        Some(match name {
            "Get" => Function::new(vec![Type::String], move |_, a| {
                Ok(me.get(a[0].as_str().unwrap_or("")))
            }),
            "GetBytes" => Function::new(vec![Type::String], move |_, a| {
                Ok(bytes_value(me.get_bytes(a[0].as_str().unwrap_or(""))))
            }),
            "Glob" => Function::new(vec![Type::String], move |_, a| {
                Ok(Value::object(me.glob(a[0].as_str().unwrap_or(""))))
            }),
            "AsConfig" => Function::new(vec![], move |_, _| Ok(Value::from(me.as_config()))),
            "AsSecrets" => Function::new(vec![], move |_, _| Ok(Value::from(me.as_secrets()))),
            "Lines" => Function::new(vec![Type::String], move |_, a| {
                let lines = me.lines(a[0].as_str().unwrap_or(""))?;
                Ok(Value::typed_list(Type::String, lines))
            }),
            _ => return None,
        })
    }

    fn len(&self) -> Option<usize> {
        Some(self.files.len())
    }

    fn underlying(&self) -> Option<Value> {
        Some(self.as_value())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

// --- gobwas/glob ------------------------------------------------------------

#[derive(Clone, Debug)]
enum Tok {
    Lit(char),
    /// `?`: one non-separator character.
    Any,
    /// `*`: any run of non-separator characters.
    Star,
    /// `**`: any run of characters.
    SuperStar,
    /// `[…]` / `[!…]`: ranges, negated.
    Class(Vec<(char, char)>, bool),
    /// `{a,b}`
    Alt(Vec<Vec<Tok>>),
}

#[derive(Clone, Debug)]
struct Glob(Vec<Tok>);

impl Glob {
    fn compile(p: &str) -> Option<Glob> {
        let chars: Vec<char> = p.chars().collect();
        let mut i = 0;
        let toks = parse_seq(&chars, &mut i, false)?;
        if i != chars.len() {
            return None;
        }
        Some(Glob(toks))
    }

    fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        match_toks(&self.0, &chars)
    }
}

fn parse_seq(c: &[char], i: &mut usize, in_alt: bool) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    while *i < c.len() {
        match c[*i] {
            '*' => {
                if c.get(*i + 1) == Some(&'*') {
                    *i += 2;
                    out.push(Tok::SuperStar);
                } else {
                    *i += 1;
                    out.push(Tok::Star);
                }
            }
            '?' => {
                *i += 1;
                out.push(Tok::Any);
            }
            '\\' => {
                *i += 1;
                let ch = *c.get(*i)?;
                *i += 1;
                out.push(Tok::Lit(ch));
            }
            '[' => {
                *i += 1;
                let mut neg = false;
                if c.get(*i) == Some(&'!') {
                    neg = true;
                    *i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let ch = *c.get(*i)?;
                    if ch == ']' {
                        *i += 1;
                        break;
                    }
                    *i += 1;
                    if c.get(*i) == Some(&'-') && c.get(*i + 1).is_some_and(|x| *x != ']') {
                        let hi = c[*i + 1];
                        *i += 2;
                        if hi < ch {
                            return None;
                        }
                        ranges.push((ch, hi));
                    } else {
                        ranges.push((ch, ch));
                    }
                }
                if ranges.is_empty() {
                    return None;
                }
                out.push(Tok::Class(ranges, neg));
            }
            '{' => {
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    let alt = parse_seq(c, i, true)?;
                    alts.push(alt);
                    match c.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                out.push(Tok::Alt(alts));
            }
            ',' | '}' if in_alt => return Some(out),
            ch => {
                *i += 1;
                out.push(Tok::Lit(ch));
            }
        }
    }
    if in_alt {
        return None;
    }
    Some(out)
}

fn match_toks(t: &[Tok], s: &[char]) -> bool {
    let Some((first, rest)) = t.split_first() else {
        return s.is_empty();
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(rest, &s[1..]),
        Tok::Any => s.first().is_some_and(|c| *c != '/') && match_toks(rest, &s[1..]),
        Tok::Class(r, neg) => {
            s.first().is_some_and(|c| {
                let inr = r.iter().any(|(lo, hi)| lo <= c && c <= hi);
                inr != *neg
            }) && match_toks(rest, &s[1..])
        }
        Tok::Star => {
            for k in 0..=s.len() {
                if k > 0 && s[k - 1] == '/' {
                    break;
                }
                if match_toks(rest, &s[k..]) {
                    return true;
                }
            }
            false
        }
        Tok::SuperStar => (0..=s.len()).any(|k| match_toks(rest, &s[k..])),
        Tok::Alt(alts) => alts.iter().any(|a| {
            let mut v = a.clone();
            v.extend_from_slice(rest);
            match_toks(&v, s)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new(&[
            File {
                name: "a.txt".into(),
                data: FileData::from(&b"one\ntwo\n"[..]),
            },
            File {
                name: "conf/x.yaml".into(),
                data: FileData::from(&b"x: 1"[..]),
            },
            File {
                name: "conf/sub/y.yaml".into(),
                data: FileData::from(&b"y"[..]),
            },
        ])
    }

    #[test]
    fn glob_semantics() {
        let f = files();
        let names = |p: &str| {
            f.glob(p)
                .files
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(names("conf/*"), "conf/x.yaml");
        assert_eq!(names("conf/**"), "conf/sub/y.yaml,conf/x.yaml");
        assert_eq!(names("*.{txt,md}"), "a.txt");
        assert_eq!(names("[bc]*"), "");
        assert_eq!(names("["), "a.txt,conf/sub/y.yaml,conf/x.yaml");
    }

    #[test]
    fn binary_files_keep_their_bytes() {
        let f = Files::new(&[File {
            name: "k.bin".into(),
            data: FileData::from(&b"a\xff\nb\xfe"[..]),
        }]);
        assert_eq!(f.get("k.bin").as_bytes(), Some(&b"a\xff\nb\xfe"[..]));
        let lines = f.lines("k.bin").unwrap();
        assert_eq!(lines[0].as_bytes(), Some(&b"a\xff"[..]));
        assert_eq!(lines[1].as_bytes(), Some(&b"b\xfe"[..]));
        // AsConfig goes through JSON: each invalid byte is U+FFFD.
        assert_eq!(f.as_config(), "k.bin: |-\n  a\u{fffd}\n  b\u{fffd}");
    }

    #[test]
    fn accessors() {
        let f = files();
        assert_eq!(f.get("a.txt").as_str(), Some("one\ntwo\n"));
        assert_eq!(f.get("nope").as_str(), Some(""));
        let lines: Vec<_> = f.lines("a.txt").unwrap();
        let lines: Vec<_> = lines.iter().map(|l| l.as_str().unwrap()).collect();
        assert_eq!(lines, vec!["one", "two"]);
        assert_eq!(f.glob("conf/*").as_config(), "x.yaml: 'x: 1'");
        assert_eq!(f.glob("conf/*").as_secrets(), "x.yaml: eDogMQ==");
    }
}
