//! `parse_top_filtered` must be `parse` followed by a filter of the top-level
//! keys, errors included, whatever the document: its shortcut (decoding only
//! the kept entries) may only be taken when the whole document decodes
//! without error.

use chartgen_yaml as y;
use gotmpl::Value;

fn keep(k: &str) -> bool {
    k.eq_ignore_ascii_case("kind") || k.eq_ignore_ascii_case("metadata") || k == "1" || k == "true"
}

/// `parse`, then the filter, as text to compare (the JSON of the value, or
/// the error).
fn reference(doc: &str) -> String {
    match y::parse(doc.as_bytes()) {
        Ok(Value::Map(m)) => {
            let kept = m
                .entries()
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            format!("ok {}", y::to_json(&Value::map(kept)))
        }
        Ok(v) => format!("ok {}", y::to_json(&v)),
        Err(e) => format!("err {}", e.message()),
    }
}

fn filtered(doc: &str) -> String {
    match y::parse_top_filtered(doc.as_bytes(), &keep) {
        Ok(v) => format!("ok {}", y::to_json(&v)),
        Err(e) => format!("err {}", e.message()),
    }
}

const DOCS: &[&str] = &[
    "",
    "---\n",
    "kind: A\nmetadata:\n  name: x\n  annotations: {a: b}\nspec:\n  - 1\n  - .inf\n",
    "kind: A\nspec: .inf\n",
    "kind: A\nspec: [1, -.Inf]\n",
    "kind: A\nspec:\n  x: .NaN\n",
    "kind: A\nspec:\n  ~: 1\n",
    "kind: A\nspec:\n  null: 1\n",
    "kind: A\nspec:\n  : 1\n",
    "kind: A\nspec:\n  18446744073709551615: 1\n",
    "kind: A\nspec:\n  9223372036854775807: 1\n",
    "kind: A\nspec:\n  [a]: 1\n",
    "kind: A\nspec:\n  ? {a: 1}\n  : 1\n",
    "kind: &k A\nmetadata: *k\n",
    "base: &b {name: x}\nmetadata:\n  <<: *b\nkind: A\n",
    "metadata:\n  <<: {name: x}\nkind: A\n",
    "kind: !!str 1\nmetadata: {}\n",
    "kind: !!int x\n",
    "kind: !!binary aGVsbG8=\n",
    "kind: !!binary '%%'\n",
    "kind: A\nKind: B\nKIND: C\n",
    "kind: A\nkind: B\n",
    "1: a\n\"1\": b\n1: c\n",
    "true: a\nyes: b\n'true': c\n",
    ".inf: a\n1.5: b\n",
    "- a\n- b\n",
    "just text\n",
    "kind: [unclosed\n",
    "kind: A\n  bad: indent\n",
    "kind: A\n---\nkind: B\n",
    "kind: \"quoted\\ttab\"\nmetadata:\n  name: 'single'\n  labels:\n    a: |\n      block\n",
    "metadata:\n  name: x\n  annotations:\n    helm.sh/hook: pre-install\n    n: 1\n    f: 1.5\n    b: true\n",
    "kind: A\nspec: {a: [1, {b: ~}]}\n",
    "%YAML 1.1\n---\nkind: A\n",
    "kind: A\nspec: \"\\x85\"\n",
    "kind: 0x1F\nmetadata: 0o17\n",
    "kind: 1_000\nmetadata: -0b101\n",
    "kind: 2001-12-14t21:59:43.10-05:00\n",
];

#[test]
fn curated_documents() {
    for doc in DOCS {
        assert_eq!(filtered(doc), reference(doc), "document {doc:?}");
    }
}

mod common;
use common::Rng;

const KEYS: &[&str] = &[
    "kind",
    "Kind",
    "metadata",
    "spec",
    "name",
    "1",
    "01",
    "true",
    "y",
    "~",
    "null",
    "",
    "<<",
    ".inf",
    "-.inf",
    "1.5",
    "18446744073709551616",
    "'q'",
    "\"kind\"",
    "&a k",
    "*a",
    "!!str k",
    "? k",
    "[k]",
    "{k: v}",
];
const VALUES: &[&str] = &[
    "",
    "x",
    "1",
    ".inf",
    ".nan",
    "-.Inf",
    "~",
    "yes",
    "0x10",
    "'s'",
    "\"d\\n\"",
    "[1, 2]",
    "{a: b}",
    "&a v",
    "*a",
    "!!int 3",
    "!!int x",
    "!!float 1",
    "|\n  text",
    "[",
    "}",
    "- x",
    "a: b",
    "1e400",
    "2020-01-01",
];

#[test]
fn generated_documents() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..4000 {
        let mut doc = String::new();
        let lines = 1 + rng.next() % 6;
        let mut indent = 0usize;
        for _ in 0..lines {
            match rng.next() % 8 {
                0 if indent > 0 => indent -= 2,
                1 => indent += 2,
                _ => {}
            }
            doc.push_str(&" ".repeat(indent));
            if rng.next().is_multiple_of(6) {
                doc.push_str("- ");
            }
            doc.push_str(rng.pick(KEYS));
            doc.push_str(": ");
            doc.push_str(rng.pick(VALUES));
            doc.push('\n');
        }
        assert_eq!(filtered(&doc), reference(&doc), "document {doc:?}");
    }
}

/// Every document of the rendered golden outputs (what helm's manifest
/// heads are read from), whole and cut short.
#[test]
fn rendered_documents() {
    let files = common::golden_files();
    let mut docs = 0;
    for path in files.iter().step_by(4) {
        let text = std::fs::read_to_string(path).expect("golden file");
        for doc in text.split("\n---\n") {
            docs += 1;
            for cut in [doc.len(), doc.len() / 2, doc.len() / 3] {
                let Some(doc) = doc.get(..cut) else { continue };
                assert_eq!(filtered(doc), reference(doc), "{path:?} document {doc:?}");
            }
        }
    }
    assert!(docs > 100, "only {docs} documents");
}
