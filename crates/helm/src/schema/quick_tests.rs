//! Differential tests: the interpreter against the compiled validator over
//! every schema in the repository, hand-written schemas for each keyword and
//! draft, and generated values (seeded, so failures reproduce).

use super::super::{compile, re2};
use super::*;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const STRINGS: &[&str] = &[
    "",
    "a",
    "abc",
    "ABC",
    "10s",
    "1.5h",
    "2µs",
    "100Mi",
    "1Gi",
    "500m",
    "1.2.3",
    "v1.2.3",
    " a, b ",
    "a,b",
    "9x",
    "IfNotPresent",
    "Always",
    "ClusterIP",
    "LoadBalancer",
    "CeleryExecutor",
    "KubernetesExecutor",
    "true",
    "1",
    "é",
    "ab\u{a0}c",
    "x y",
    "2020-01-01",
    "2020-01-01T00:00:00Z",
    "a@b.c",
    "(a",
    "[a-z]+",
    "P1D",
    "PT1H",
    "www.example.com",
    "-bad-.host",
    "http://x/y",
    "::1",
    "10.0.0.1",
];

fn wild(rng: &mut Rng, depth: usize) -> J {
    let n = if depth > 3 { 7 } else { 9 };
    match rng.below(n) {
        0 => J::Null,
        1 => J::Bool(rng.chance(50)),
        2 => J::from([-1i64, 0, 1, 2, 3, 7, 100, 65535, 65536, -100][rng.below(10)]),
        3 => J::from(
            [
                0.5, -0.5, 1.5, 2.5, 1e300, -1e300, 1e20, 0.1, -2.25, 3.0000001,
            ][rng.below(10)],
        ),
        4 => J::from([u64::MAX, i64::MAX as u64 + 1, 1 << 53][rng.below(3)]),
        5 | 6 => J::from(STRINGS[rng.below(STRINGS.len())]),
        7 => J::Array((0..rng.below(4)).map(|_| wild(rng, depth + 1)).collect()),
        _ => {
            let mut m = JMap::new();
            for _ in 0..rng.below(4) {
                m.insert(
                    ["a", "b", "foo", "bar", "name", "x-1", "enabled"][rng.below(7)].into(),
                    wild(rng, depth + 1),
                );
            }
            J::Object(m)
        }
    }
}

/// A value shaped by the schema (mostly valid, with slips), for coverage
/// of the keywords rather than of random noise.
fn shaped(rng: &mut Rng, root: &J, schema: &J, depth: usize) -> J {
    if depth > 12 || rng.chance(8) {
        return wild(rng, depth);
    }
    let Some(obj) = schema.as_object() else {
        return wild(rng, depth);
    };
    if let Some(J::String(r)) = obj.get("$ref") {
        if let Some(t) = resolve(root, r) {
            if rng.chance(80) {
                return shaped(rng, root, t, depth + 1);
            }
        }
    }
    for k in ["anyOf", "oneOf", "allOf"] {
        if let Some(J::Array(subs)) = obj.get(k) {
            if !subs.is_empty() && rng.chance(70) {
                let i = rng.below(subs.len());
                return shaped(rng, root, &subs[i], depth + 1);
            }
        }
    }
    if let Some(J::Array(opts)) = obj.get("enum") {
        if !opts.is_empty() && rng.chance(80) {
            return opts[rng.below(opts.len())].clone();
        }
    }
    if let Some(c) = obj.get("const") {
        if rng.chance(70) {
            return c.clone();
        }
    }
    for k in ["default", "examples"] {
        if let Some(d) = obj.get(k) {
            if rng.chance(20) {
                return match d {
                    J::Array(a) if k == "examples" && !a.is_empty() => {
                        let i = rng.below(a.len());
                        a[i].clone()
                    }
                    _ => d.clone(),
                };
            }
        }
    }
    let ty = match obj.get("type") {
        Some(J::String(t)) => t.clone(),
        Some(J::Array(ts)) if !ts.is_empty() => ts[rng.below(ts.len())]
            .as_str()
            .unwrap_or("null")
            .to_string(),
        _ if obj.contains_key("properties") => "object".into(),
        _ if obj.contains_key("items") => "array".into(),
        _ => return wild(rng, depth),
    };
    match ty.as_str() {
        "object" => {
            let mut m = JMap::new();
            if let Some(J::Object(props)) = obj.get("properties") {
                for (k, s) in props {
                    if rng.chance(60) {
                        m.insert(k.clone(), shaped(rng, root, s, depth + 1));
                    }
                }
            }
            if let Some(J::Array(req)) = obj.get("required") {
                for r in req {
                    if let Some(r) = r.as_str() {
                        if !m.contains_key(r) && rng.chance(80) {
                            m.insert(r.into(), wild(rng, depth + 1));
                        }
                    }
                }
            }
            if let Some(J::Object(pats)) = obj.get("patternProperties") {
                for (_, s) in pats {
                    if rng.chance(50) {
                        let k = STRINGS[rng.below(STRINGS.len())];
                        m.insert(k.into(), shaped(rng, root, s, depth + 1));
                    }
                }
            }
            if rng.chance(15) {
                let k = ["extra", "a", "foo", "x-y", "ABC"][rng.below(5)];
                let v = match obj.get("additionalProperties") {
                    Some(s) if rng.chance(60) => shaped(rng, root, s, depth + 1),
                    _ => wild(rng, depth + 1),
                };
                m.insert(k.into(), v);
            }
            J::Object(m)
        }
        "array" => {
            let n = rng.below(4);
            let items: Vec<J> = (0..n)
                .map(|i| match obj.get("items").or(obj.get("prefixItems")) {
                    Some(J::Array(t)) if !t.is_empty() => {
                        let s = &t[i.min(t.len() - 1)];
                        shaped(rng, root, s, depth + 1)
                    }
                    Some(s) => shaped(rng, root, s, depth + 1),
                    None => wild(rng, depth + 1),
                })
                .collect();
            if rng.chance(10) && !items.is_empty() {
                let mut dup = items.clone();
                dup.push(items[0].clone());
                return J::Array(dup);
            }
            J::Array(items)
        }
        "integer" | "number" => {
            let mut cands: Vec<J> = Vec::new();
            for k in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
                if let Some(J::Number(n)) = obj.get(k) {
                    let f = n.as_f64().unwrap_or(0.0);
                    cands.push(J::Number(n.clone()));
                    if let Some(i) = n.as_i64() {
                        cands.push(J::from(i - 1));
                        cands.push(J::from(i + 1));
                    }
                    cands.push(J::from(f + 0.5));
                    cands.push(J::from(f - 0.5));
                }
            }
            cands.push(J::from(rng.below(2000) as i64 - 1000));
            if ty == "number" {
                cands.push(J::from(0.25));
            }
            cands[rng.below(cands.len())].clone()
        }
        "string" => {
            let n = obj.get("minLength").or(obj.get("maxLength"));
            if let (Some(n), true) = (n.and_then(J::as_u64), rng.chance(40)) {
                let len = (n as usize + rng.below(3)).saturating_sub(1);
                return J::from("é".repeat(len));
            }
            J::from(STRINGS[rng.below(STRINGS.len())])
        }
        "boolean" => J::Bool(rng.chance(50)),
        "null" => J::Null,
        _ => wild(rng, depth),
    }
}

/// Random edits of a value: replacements, deletions, additions.
fn mutate(rng: &mut Rng, v: &mut J, depth: usize) {
    match v {
        J::Object(m) if !m.is_empty() && depth < 20 => {
            let k = m
                .keys()
                .nth(rng.below(m.len()))
                .cloned()
                .unwrap_or_default();
            match rng.below(10) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    m.insert(format!("{k}X"), wild(rng, depth));
                }
                2 => {
                    m.insert(k, wild(rng, depth));
                }
                _ => {
                    if let Some(x) = m.get_mut(&k) {
                        mutate(rng, x, depth + 1);
                    }
                }
            }
        }
        J::Array(a) if !a.is_empty() && depth < 20 => {
            let i = rng.below(a.len());
            match rng.below(6) {
                0 => {
                    a.remove(i);
                }
                1 => a.push(a[i].clone()),
                _ => mutate(rng, &mut a[i], depth + 1),
            }
        }
        J::Number(n) if rng.chance(60) => {
            *v = match n.as_i64() {
                Some(i) => J::from([i - 1, i + 1, -i, 0][rng.below(4)]),
                None => J::from(n.as_f64().unwrap_or(0.0) + 0.5),
            }
        }
        _ => *v = wild(rng, depth),
    }
}

#[derive(Default, Debug)]
struct Tally {
    yes: usize,
    no: usize,
    unknown: usize,
    /// Schemas that were also prepared ahead of time ([`super::super::precompile`]).
    prepared: usize,
}

/// Checks one value both ways; the interpreter may decline, never differ.
fn agree(q: &Quick, compiled: &jsonschema::Validator, inst: &J, what: &str, t: &mut Tally) {
    let expected = compiled.is_valid(inst);
    match q.check(inst) {
        T::Yes => {
            assert!(
                expected,
                "{what}: interpreter says valid, compiled says invalid: {inst}"
            );
            t.yes += 1;
        }
        T::No => {
            assert!(
                !expected,
                "{what}: interpreter says invalid, compiled says valid: {inst}"
            );
            t.no += 1;
        }
        T::Unknown => t.unknown += 1,
    }
}

/// The interpreter for a schema (None when it declines), and the compiled
/// validator (None when compiling fails; then the interpreter must have
/// declined).
fn both(text: &str) -> (Option<Quick>, Option<jsonschema::Validator>) {
    let compiled = compile(&std::sync::Arc::from(text.as_bytes()))
        .ok()
        .map(|s| s.validator);
    let quick = super::super::interpreter(text.as_bytes());
    (quick, compiled)
}

/// Runs values against a schema: the given ones, mutations of them, and
/// values generated from the schema.
fn differential(name: &str, text: &str, given: &[J], rounds: usize, seed: u64) -> Tally {
    let (quick, compiled) = both(text);
    let mut t = Tally::default();
    let Some(q) = quick else {
        return t;
    };
    let compiled = compiled
        .unwrap_or_else(|| panic!("{name}: interpreter took a schema that fails to compile"));
    // The interpreter built from the schema prepared ahead of time answers
    // the same; the preparation is for this text only.
    let prepared = super::super::precompile(text.as_bytes()).map(|p| {
        let edited = format!("{text} ");
        assert!(super::super::interpreter_precompiled(&p, edited.as_bytes()).is_none());
        super::super::interpreter_precompiled(&p, text.as_bytes())
            .unwrap_or_else(|| panic!("{name}: prepared for another text"))
            .unwrap_or_else(|| panic!("{name}: prepared, then declined"))
    });
    t.prepared += prepared.is_some() as usize;
    if let Some(p) = &prepared {
        // The patterns and formats stored with it are the ones the walk finds.
        assert_eq!(
            p.scanned(),
            q.scanned(),
            "{name}: prepared with other patterns"
        );
    }
    let check = |inst: &J, t: &mut Tally| {
        agree(&q, &compiled, inst, name, t);
        if let Some(p) = &prepared {
            assert!(
                p.check(inst) == q.check(inst),
                "{name}: prepared differs on {inst}"
            );
        }
    };
    let mut rng = Rng(seed | 1);
    for v in given {
        check(v, &mut t);
        for _ in 0..rounds {
            let mut m = v.clone();
            for _ in 0..1 + rng.below(3) {
                mutate(&mut rng, &mut m, 0);
            }
            check(&m, &mut t);
        }
    }
    for _ in 0..rounds * 4 {
        let v = shaped(&mut rng, q.root(), q.root(), 0);
        check(&v, &mut t);
    }
    t
}

fn yaml_json(text: &[u8]) -> Option<J> {
    chartgen_yaml::parse_map(text)
        .ok()
        .map(|v| super::super::to_json_value(&v))
}

/// `--- path` sections of a conformance case file, by case.
fn case_files(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut cases: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut cur: Option<(String, String)> = None;
    let flush = |cur: &mut Option<(String, String)>,
                 cases: &mut Vec<(String, Vec<(String, String)>)>| {
        if let (Some(f), Some(c)) = (cur.take(), cases.last_mut()) {
            c.1.push(f);
        }
    };
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("=== ") {
            flush(&mut cur, &mut cases);
            cases.push((name.trim().to_string(), Vec::new()));
        } else if let Some(path) = line.strip_prefix("--- ") {
            flush(&mut cur, &mut cases);
            cur = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, body)) = cur.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&mut cur, &mut cases);
    cases
}

#[test]
fn our_schema_agrees_on_fixtures_and_mutations() {
    let root = repo();
    let text = std::fs::read_to_string(root.join("schema/values.schema.json")).unwrap();
    let defaults = std::fs::read(root.join("chart/values.yaml")).unwrap();
    let mut given = vec![yaml_json(&defaults).unwrap()];
    for dir in ["fixtures/cases", "fixtures/invalid"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            // Each file over the chart's defaults, as helm validates it.
            if let Some(J::Object(user)) = yaml_json(&std::fs::read(&f).unwrap()) {
                let mut merged = given[0].clone();
                merge(&mut merged, J::Object(user.clone()));
                given.push(merged);
                given.push(J::Object(user));
            }
        }
    }
    let t = differential("schema/values.schema.json", &text, &given, 20, 7);
    eprintln!("our schema: {t:?}");
    // The interpreter must take this schema and answer nearly always.
    assert!(t.yes > 200 && t.no > 1000, "{t:?}");
    assert!(t.unknown * 20 < t.yes + t.no, "{t:?}");
    assert_eq!(t.prepared, 1, "our schema is prepared ahead of time");
}

fn merge(base: &mut J, over: J) {
    match (base, over) {
        (J::Object(b), J::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(x) if x.is_object() && v.is_object() => merge(x, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

#[test]
fn repository_schemas_agree() {
    let root = repo();
    let mut schemas: Vec<(String, String, Vec<J>)> = Vec::new();
    for suite in ["charts", "template", "bad-input"] {
        let dir = root.join("tests/conformance").join(suite).join("cases");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (case, files) in case_files(&text) {
                let values: Vec<J> = files
                    .iter()
                    .filter(|(p, _)| p.ends_with(".yaml") && !p.contains("templates/"))
                    .filter_map(|(_, b)| yaml_json(b.as_bytes()))
                    .collect();
                for (p, body) in &files {
                    if p.ends_with("values.schema.json") {
                        schemas.push((format!("{suite}/{case}/{p}"), body.clone(), values.clone()));
                    }
                }
            }
        }
    }
    for p in [
        "crates/validate/tests/data/shop/values.schema.json",
        "crates/validate/tests/data/shop/charts/db/values.schema.json",
    ] {
        let text = std::fs::read_to_string(root.join(p)).unwrap();
        let dir = Path::new(p).parent().unwrap();
        let values = std::fs::read(root.join(dir).join("values.yaml"))
            .ok()
            .and_then(|b| yaml_json(&b))
            .into_iter()
            .collect();
        schemas.push((p.to_string(), text, values));
    }
    assert!(schemas.len() > 30, "{}", schemas.len());
    let mut total = Tally::default();
    let mut taken = 0;
    for (i, (name, text, values)) in schemas.iter().enumerate() {
        let t = differential(name, text, values, 30, 1000 + i as u64);
        if t.yes + t.no > 0 {
            taken += 1;
        }
        total.yes += t.yes;
        total.no += t.no;
        total.unknown += t.unknown;
        total.prepared += t.prepared;
    }
    eprintln!("{} schemas, {taken} taken: {total:?}", schemas.len());
    assert!(taken * 2 > schemas.len(), "{taken} of {}", schemas.len());
    // Nearly all the schemas the interpreter takes prepare ahead of time.
    assert!(total.prepared * 10 >= taken * 9, "{total:?}, {taken} taken");
}

/// Schemas for each keyword, draft and edge the interpreter implements or
/// must decline.
const KEYWORD_SCHEMAS: &[&str] = &[
    r##"{"type": "integer"}"##,
    r##"{"type": ["string", "null"]}"##,
    r##"{"type": "number", "minimum": 1.5, "maximum": 100}"##,
    r##"{"exclusiveMinimum": 0, "exclusiveMaximum": 65536}"##,
    r##"{"minimum": -1, "maximum": 18446744073709551615}"##,
    r##"{"maximum": 9007199254740993}"##,
    r##"{"enum": ["a", 1, null, 2.5, [1], {"a": 1}]}"##,
    r##"{"enum": [1.0, true]}"##,
    r##"{"const": {"a": [1, 2]}}"##,
    r##"{"const": 7}"##,
    r##"{"properties": {"a": {"type": "string"}, "b": {"minimum": 0}}, "required": ["a"]}"##,
    r##"{"additionalProperties": false, "properties": {"a": true}, "patternProperties": {"^x-": {}}}"##,
    r##"{"additionalProperties": {"type": "integer"}, "properties": {"name": {}}}"##,
    r##"{"patternProperties": {"^[a-z]+$": {"type": "string"}, "b": {"maxLength": 1}}}"##,
    r##"{"propertyNames": {"maxLength": 3}}"##,
    r##"{"minProperties": 1, "maxProperties": 2}"##,
    r##"{"items": {"type": "integer"}, "minItems": 1, "maxItems": 3, "uniqueItems": true}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "string"}], "additionalItems": {"type": "boolean"}}"##,
    r##"{"$schema": "https://json-schema.org/draft/2019-09/schema", "items": [{"type": "string"}], "additionalItems": {"type": "boolean"}}"##,
    r##"{"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}"##,
    r##"{"prefixItems": [{"type": "string"}, {"const": 1}]}"##,
    r##"{"minLength": 2, "maxLength": 3}"##,
    r##"{"pattern": "^[a-z]+$"}"##,
    r##"{"pattern": "^\\d+\\.\\d+\\.\\d+"}"##,
    r##"{"pattern": "^\\s*([A-Za-z_][A-Za-z0-9_.]*)(\\s*,\\s*[A-Za-z_][A-Za-z0-9_.]*)*\\s*$"}"##,
    r##"{"pattern": "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"}"##,
    r##"{"pattern": "\\S"}"##,
    r##"{"pattern": "abc"}"##,
    r##"{"pattern": "^\\w+$"}"##,
    r##"{"pattern": "(?<x>a)\\k<x>"}"##,
    r##"{"pattern": "["}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "pattern": "["}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "ipv4"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "date-time"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "email"}"##,
    r##"{"format": "ipv4"}"##,
    r##"{"format": "no-such-format"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "regex"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "int32"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "uri"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "hostname"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "duration"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "semver"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "idn-email"}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "format": "ipv6"}"##,
    r##"{"$schema": "https://json-schema.org/draft/2019-09/schema", "format": "ipv4"}"##,
    r##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "format": "date"}"##,
    r##"{"allOf": [{"type": "object"}, {"required": ["a"]}]}"##,
    r##"{"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 3}]}"##,
    r##"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"##,
    r##"{"not": {"type": "null"}}"##,
    r##"{"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}, "else": {"required": ["foo"]}}"##,
    r##"{"then": {"required": ["b"]}}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"p": {"type": "integer"}}, "properties": {"a": {"$ref": "#/definitions/p"}}}"##,
    r##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"p": {"type": "integer"}}, "properties": {"a": {"$ref": "#/definitions/p", "type": "string"}}}"##,
    r##"{"$defs": {"p": {"type": "integer"}}, "properties": {"a": {"$ref": "#/$defs/p", "minimum": 5}}}"##,
    r##"{"$defs": {"a/b": {"type": "string"}, "c~d": {"type": "integer"}}, "properties": {"a": {"$ref": "#/$defs/a~1b"}, "b": {"$ref": "#/$defs/c~0d"}}}"##,
    r##"{"properties": {"a": {"$ref": "#"}, "name": {"type": "string"}}}"##,
    r##"{"$ref": "#/$defs/missing"}"##,
    r##"{"$id": "http://example.com/s.json", "properties": {"a": {"type": "string"}}}"##,
    r##"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}"##,
    r##"{"$schema": "http://json-schema.org/draft-06/schema#", "type": "integer"}"##,
    r##"{"multipleOf": 2}"##,
    r##"{"contains": {"type": "integer"}}"##,
    r##"{"dependentRequired": {"a": ["b"]}}"##,
    r##"{"unevaluatedProperties": false, "properties": {"a": {}}}"##,
    r##"{"type": "strnig"}"##,
    r##"{"minLength": -1}"##,
    r##"{"minItems": 1.0}"##,
    r##"{"required": "a"}"##,
    r##"true"##,
    r##"false"##,
    r##"{}"##,
];

#[test]
fn keyword_schemas_agree() {
    let mut taken = 0;
    let mut total = Tally::default();
    for (i, text) in KEYWORD_SCHEMAS.iter().enumerate() {
        let samples: Vec<J> = (0..8)
            .map(|k| wild(&mut Rng(i as u64 * 31 + k + 1), 0))
            .collect();
        let t = differential(text, text, &samples, 60, 77 + i as u64);
        if t.yes + t.no > 0 {
            taken += 1;
        }
        total.yes += t.yes;
        total.no += t.no;
        total.unknown += t.unknown;
        total.prepared += t.prepared;
    }
    eprintln!(
        "{} schemas, {taken} taken: {total:?}",
        KEYWORD_SCHEMAS.len()
    );
    assert!(taken > 40, "{taken}");
    assert!(total.prepared * 10 >= taken * 9, "{total:?}, {taken} taken");
}

#[test]
fn declines_what_it_does_not_implement() {
    for text in [
        r##"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}"##,
        r##"{"$id": "http://example.com/s.json"}"##,
        r##"{"$ref": "#/$defs/missing"}"##,
        r##"{"pattern": "["}"##,
        r##"{"type": "strnig"}"##,
        r##"{"properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#"}}}"##,
        r##"{"unevaluatedProperties": false}"##,
    ] {
        assert!(both(text).0.is_none(), "{text}");
    }
    let (q, _) = both(r#"{"multipleOf": 2}"#);
    assert_eq!(q.unwrap().check(&J::from(3)), T::Unknown);
}

#[test]
#[ignore]
fn timing_interpreter_against_compiled() {
    let root = repo();
    let text = std::fs::read_to_string(root.join("schema/values.schema.json")).unwrap();
    let inst = yaml_json(&std::fs::read(root.join("chart/values.yaml")).unwrap()).unwrap();
    let (q, c) = both(&text);
    let (q, c) = (q.unwrap(), c.unwrap());
    let t = std::time::Instant::now();
    for _ in 0..200 {
        assert_eq!(q.check(&inst), T::Yes);
    }
    let tq = t.elapsed();
    let t = std::time::Instant::now();
    for _ in 0..200 {
        assert!(c.is_valid(&inst));
    }
    eprintln!(
        "interpreter {:?}, compiled {:?} per validation",
        tq / 200,
        t.elapsed() / 200
    );
}

/// Patterns built on first use must be ones that build: every translated
/// pattern `surely_compiles` vouches for builds as the compiled path's.
#[test]
fn lazily_built_patterns_build() {
    let atoms = [
        "a", "é", "\\d", "\\w", "[a-z]", "[^\\s]", "\\pL", "(", ")", "(?:", "?", "*", "+", "{2}",
        "{3,}", "{1,5}", "|", "^", "$", ".", "\\b", "(?i)", "-", "\\{", "🙂",
    ];
    let mut x: u64 = 0x1234_5678_9abc_def1;
    let (mut lazy, mut eager) = (0, 0);
    for _ in 0..4_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut p = String::new();
        let mut y = x;
        for _ in 0..(x % 14) {
            p.push_str(atoms[(y % atoms.len() as u64) as usize]);
            y /= atoms.len() as u64;
            if y == 0 {
                y = x.rotate_left(29) | 1;
            }
        }
        let Ok(t) = re2::translate(&p) else {
            continue;
        };
        if surely_compiles(&t) {
            lazy += 1;
            // Draft 7 checks `format: regex` (the word boundary fails it):
            // the interpreter has declined a schema whose patterns fail
            // its meta-schema before any would be built.
            let meta = J::String("http://json-schema.org/draft-07/schema#".into());
            let doc = serde_json::json!({"$schema": meta, "pattern": t});
            assert_eq!(
                tiny(Some(&meta), "pattern", &t).is_some(),
                jsonschema::draft7::meta::is_valid(&doc),
                "{p} => {t}"
            );
            assert!(tiny(None, "pattern", &t).is_some(), "{p} => {t}");
        } else {
            eager += 1;
        }
    }
    assert!(lazy > 1000 && eager > 10, "{lazy} lazy, {eager} eager");
    // Large or deeply repeated patterns are built up front.
    let big = |p: &str| surely_compiles(&re2::translate(p).unwrap());
    assert!(big("^[0-9]+(\\.[0-9]+)?([EPTGMK]i?|[mkMGTPE]|)$"));
    assert!(big("((a{10}){10}){10}"));
    assert!(!big("((a{10}){10}){100}"));
    assert!(!big("\\pL{100}"));
    assert!(!big(&format!("{}{}", "(a".repeat(70), ")".repeat(70))));
    assert!(!surely_compiles("a{3}"));
}

/// A schema whose patterns all wait still declines when one cannot be
/// built, and still answers through the patterns it builds.
#[test]
fn patterns_wait_for_values() {
    let text = r#"{"properties": {"a": {"pattern": "^x+$"}, "b": {"pattern": "^y$"}}}"#;
    let (quick, compiled) = both(text);
    let (q, c) = (quick.unwrap(), compiled.unwrap());
    assert!(q.patterns.values().all(|cell| cell.get().is_none()));
    for (inst, valid) in [
        (serde_json::json!({"a": "xx"}), true),
        (serde_json::json!({"a": "xy"}), false),
        (serde_json::json!({"c": "xy"}), true),
    ] {
        assert_eq!(q.check(&inst), T::from_bool(valid), "{inst}");
        assert_eq!(c.is_valid(&inst), valid, "{inst}");
    }
    assert_eq!(q.patterns.values().filter(|c| c.get().is_some()).count(), 1);
}
