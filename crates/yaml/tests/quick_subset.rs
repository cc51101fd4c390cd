//! The line-structure reader behind `parse_top_filtered` and
//! `parse_top_filtered_in` must give exactly what `parse` followed by the
//! filters gives (value or error text) for every document: real rendered
//! manifests, documents generated in and around the shapes it accepts, and
//! mutations of both (characters deleted or inserted, tabs, colons, quotes,
//! indentation changes, document markers).

use chartgen_yaml as y;
use gotmpl::Value;

mod common;
use common::Rng;

fn keep(k: &str) -> bool {
    k.eq_ignore_ascii_case("apiversion")
        || k.eq_ignore_ascii_case("kind")
        || k.eq_ignore_ascii_case("metadata")
        || k == "1"
        || k == "true"
}

fn keep_in(top: &str, k: &str) -> bool {
    !top.eq_ignore_ascii_case("metadata")
        || k.eq_ignore_ascii_case("name")
        || k.eq_ignore_ascii_case("annotations")
        || k == "1"
}

fn show(r: Result<Value, y::Error>) -> String {
    match r {
        Ok(v) => format!("ok {}", y::to_json(&v)),
        Err(e) => format!("err {}", e.message()),
    }
}

/// `parse`, then the filters.
fn reference(doc: &[u8], nested: bool) -> String {
    show(y::parse(doc).map(|v| match v {
        Value::Map(m) => {
            let kept = m
                .entries()
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| {
                    let v = match v {
                        Value::Map(inner) if nested => Value::map(
                            inner
                                .entries()
                                .iter()
                                .filter(|(ik, _)| keep_in(k, ik))
                                .map(|(ik, iv)| (ik.clone(), iv.clone()))
                                .collect(),
                        ),
                        v => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect();
            Value::map(kept)
        }
        v => v,
    }))
}

/// Checks one document both ways; whether the line reader took it.
fn check(doc: &[u8]) -> bool {
    let quick = y::quick_subset_accepts(doc);
    assert_eq!(
        show(y::parse_top_filtered(doc, &keep)),
        reference(doc, false),
        "document {:?} (line reader: {quick})",
        String::from_utf8_lossy(doc)
    );
    assert_eq!(
        show(y::parse_top_filtered_in(doc, &keep, &keep_in)),
        reference(doc, true),
        "document {:?} (line reader: {quick}), nested filter",
        String::from_utf8_lossy(doc)
    );
    if quick {
        assert!(
            y::parse(doc).is_ok(),
            "line reader took an invalid document {:?}",
            String::from_utf8_lossy(doc)
        );
    }
    quick
}

const INSERTS: &[&str] = &[
    " ", "  ", "\t", ":", ": ", "-", "- ", "#", " #", "\"", "'", "''", "\\", "|", ">", "|-", "[",
    "]", "{", "}", ",", "?", "&a ", "*a", "!!str ", "%", "@", "`", "\n", "\n  ", "\r", "\u{85}",
    "é", "\u{feff}", "\0", "---", "...", "\n---\n", "\n...\n", "x", "~", ".inf", "<<",
];

/// The documents of the rendered golden outputs (split where helm splits).
fn rendered() -> Vec<Vec<u8>> {
    let files = common::golden_files();
    let mut docs = Vec::new();
    for path in files.iter().step_by(3) {
        let text = std::fs::read(path).expect("golden file");
        let text = text.strip_prefix(b"---\n").unwrap_or(&text);
        let mut rest: &[u8] = text;
        while !rest.is_empty() {
            let (doc, next) = match memchr_find(rest, b"\n---\n") {
                Some(p) => (&rest[..p + 1], &rest[p + 5..]),
                None => (rest, &[][..]),
            };
            docs.push(doc.to_vec());
            rest = next;
        }
    }
    docs
}

fn memchr_find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

#[test]
fn rendered_documents_and_their_mutations() {
    let docs = rendered();
    let mut taken = 0;
    for d in &docs {
        taken += usize::from(check(d));
    }
    // The point of the reader: it takes (nearly) every rendered manifest.
    assert!(docs.len() > 300, "only {} documents", docs.len());
    assert!(
        taken * 10 >= docs.len() * 9,
        "{taken} of {} taken",
        docs.len()
    );
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let (mut tried, mut taken) = (0, 0);
    for d in docs.iter().step_by(7) {
        // Mutate around the head too, where the kept entries are.
        for _ in 0..40 {
            let mut m = d.clone();
            if r.below(2) == 0 && m.len() > 600 {
                m.truncate(600 + r.below(200) as usize);
            }
            for _ in 0..1 + r.below(3) {
                common::mutate(&mut r, &mut m, INSERTS);
            }
            tried += 1;
            taken += usize::from(check(&m));
        }
    }
    // Both sides of the reader's boundary are exercised.
    eprintln!("mutated: {taken} of {tried} taken");
    assert!(
        taken * 5 > tried && taken < tried,
        "{taken} of {tried} taken"
    );
}

/// Keys the reader takes, then others.
const KEYS: &[&str] = &[
    "kind",
    "Kind",
    "metadata",
    "METADATA",
    "apiVersion",
    "name",
    "Name",
    "annotations",
    "spec",
    "a b",
    "x.y/z",
    "1",
    "01",
    "0x1",
    "1.5",
    "true",
    "yes",
    "-1",
    "-x",
    "'q'",
    "\"kind\"",
    "\"\"",
    "k#x",
    "---x",
];
const ODD_KEYS: &[&str] = &[
    "~",
    "null",
    "<<",
    ".inf",
    "18446744073709551616",
    "\"a\\tb\"",
    "'it''s'",
    "k:x",
    "---",
    "...",
    "? k",
    "&a k",
    "!!str k",
    "[k]",
    "",
];

/// Scalars the reader takes, then others.
const SCALARS: &[&str] = &[
    "x",
    "a b",
    "1",
    "-1",
    "+1",
    ".5",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e400",
    "2020-01-01",
    "a#b",
    "-a",
    "'s'",
    "'it''s'",
    "'a\n  b'",
    "'a\n\n  b'",
    "\"d\\n\"",
    "\"a\\\n  b\"",
    "[]",
    "{}",
    "[a, b]",
    "[\"a\", 'b', c-d]",
    "x # c",
    "'q' # c",
    "'q'#c",
    "|",
    "|-",
    "|+",
    ">",
    ">-",
    "| # c",
    "",
];
const ODD_SCALARS: &[&str] = &[
    ".inf",
    "-.inf",
    ".NaN",
    "a #b",
    "a: b",
    "a:b",
    ":a",
    "- a",
    "?a",
    "? a",
    "%a",
    "@a",
    "`a",
    "\"\\x41\"",
    "\"\\u00e9\"",
    "\"\\q\"",
    "\"a\n---\nb\"",
    "\"unterminated",
    "[a,]",
    "[a b]",
    "[a: b]",
    "{a: b}",
    "[",
    "&a x",
    "*a",
    "!!str x",
    "x#c",
    "'q' x",
    "[] x",
    "|2",
    "|-1",
    "|x",
];

fn key(r: &mut Rng) -> &'static str {
    if r.below(12) == 0 {
        r.pick(ODD_KEYS)
    } else {
        r.pick(KEYS)
    }
}

fn scalar(r: &mut Rng) -> &'static str {
    if r.below(12) == 0 {
        r.pick(ODD_SCALARS)
    } else {
        r.pick(SCALARS)
    }
}

/// A block node at `indent` (its first line's column), in the shapes the
/// reader knows and a few more.
fn node(r: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    match r.below(if depth > 3 { 1 } else { 4 }) {
        0 => {
            // A scalar on the key's line.
            let s = scalar(r);
            out.push(' ');
            out.push_str(s);
            if s.starts_with('|') || s.starts_with('>') {
                let inner = indent + 1 + r.below(3) as usize;
                for _ in 0..r.below(4) {
                    match r.below(5) {
                        0 => out.push('\n'),
                        1 => out.push_str(&format!(
                            "\n{}",
                            " ".repeat(r.below(inner as u64 + 3) as usize)
                        )),
                        2 => out.push_str(&format!("\n{}# not a comment", " ".repeat(inner))),
                        _ => out.push_str(&format!(
                            "\n{}line {}",
                            " ".repeat(inner + r.below(2) as usize),
                            r.below(9)
                        )),
                    }
                }
            }
            out.push('\n');
        }
        1 => {
            // A mapping below.
            out.push('\n');
            let col = indent + 1 + r.below(3) as usize;
            mapping(r, out, col, depth + 1);
        }
        2 => {
            // A sequence below, indented or not.
            out.push('\n');
            let col = indent + r.below(3) as usize;
            for _ in 0..1 + r.below(3) {
                out.push_str(&" ".repeat(col));
                out.push('-');
                match r.below(3) {
                    0 => {
                        out.push(' ');
                        let k = key(r);
                        out.push_str(k);
                        out.push(':');
                        node(r, out, col + 2, depth + 1);
                    }
                    1 => node(r, out, col, depth + 1),
                    _ => {
                        out.push(' ');
                        out.push_str(scalar(r));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            // Comments and blank lines, then a scalar on its own line.
            out.push_str(" # c\n\n");
            out.push_str(&" ".repeat(indent + 1 + r.below(2) as usize));
            out.push_str(scalar(r));
            out.push('\n');
        }
    }
}

fn mapping(r: &mut Rng, out: &mut String, col: usize, depth: usize) {
    for _ in 0..1 + r.below(4) {
        if r.below(8) == 0 {
            out.push_str(&" ".repeat(r.below(6) as usize));
            out.push_str("# comment\n");
        }
        out.push_str(&" ".repeat(col));
        out.push_str(key(r));
        out.push(':');
        node(r, out, col, depth);
    }
}

#[test]
fn generated_documents_and_their_mutations() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut tried, mut taken) = (0, 0);
    for i in 0..6000 {
        let mut doc = String::new();
        mapping(&mut r, &mut doc, 0, 0);
        let mut doc = doc.into_bytes();
        if i % 2 == 1 {
            for _ in 0..1 + r.below(2) {
                common::mutate(&mut r, &mut doc, INSERTS);
            }
        }
        tried += 1;
        taken += usize::from(check(&doc));
    }
    eprintln!("generated: {taken} of {tried} taken");
    assert!(
        taken * 4 > tried && taken < tried,
        "{taken} of {tried} taken"
    );
}
