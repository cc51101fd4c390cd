//! The line-structure reader of values documents (behind `parse_values`,
//! `parse_map` and `fromYaml` for documents in its subset) must give
//! exactly what the scanner and parser give: our chart's values and
//! fixtures, the rendered golden manifests, generated documents in and
//! around the shapes it accepts (nested mappings and sequences, compact
//! `- key:` entries, comments everywhere, quoted and block scalars, flow
//! collections) and mutations of all of them. Whatever it takes must
//! parse; whatever it does not take is left to the general path.

use chartgen_yaml as y;

mod common;
use common::Rng;

fn show<E: std::fmt::Display>(r: Result<gotmpl::Value, E>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("err {e}"),
    }
}

/// Checks one document; whether the reader took it.
fn check(doc: &[u8]) -> bool {
    let Some(quick) = y::quick_values(doc) else {
        return false;
    };
    // The spanned readers always take the general path.
    let general = show(y::parse_map_spanned(doc).map(|s| s.to_value()));
    assert_eq!(
        show(Ok::<_, y::Error>(quick)),
        general,
        "document {:?}",
        String::from_utf8_lossy(doc)
    );
    // And the public entry points agree with it (`parse_values` also
    // splits documents at `---` lines, which this reader declines).
    assert_eq!(show(y::parse_map(doc)), general);
    assert_eq!(
        show(y::parse_values(doc)),
        show(y::parse_values_spanned(doc).map(|s| s.to_value()))
    );
    true
}

const INSERTS: &[&str] = &[
    " ", "  ", "\t", ":", ": ", "-", "- ", "#", " #", "# x", "\"", "'", "''", "\\", "|", ">", "|-",
    "|+", "[", "]", "{", "}", ",", "?", "&a ", "*a", "!!str ", "%", "@", "`", "\n", "\n  ",
    "\n    ", "\n- ", "\r", "\u{85}", "é", "\u{feff}", "\0", "---", "...", "\n---\n", "x", "~",
    ".inf", "<<", "1", "yes", "null",
];

const KEYS: &[&str] = &[
    "a", "name", "image", "x.y/z", "a b", "k-1", "_k", "'q'", "\"d\"", "\"\"", "'it''s'", "'<<'",
    "-x", "k#x", "Kind", "'1'",
];
const ODD_KEYS: &[&str] = &[
    "1",
    "true",
    "yes",
    "~",
    "null",
    "<<",
    "1.5",
    "0x1F",
    "\"a\\tb\"",
    "? k",
    "&a k",
    "[k]",
];

const SCALARS: &[&str] = &[
    "x",
    "a b",
    "1",
    "-1",
    "+1",
    "1.0",
    ".5",
    "1e3",
    "1e400",
    "0755",
    "0o17",
    "0b101",
    "1_000",
    "0x1F",
    "18446744073709551615",
    "-9223372036854775808",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "y",
    "true",
    "False",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "a#b",
    "-a",
    "'s'",
    "''",
    "'it''s'",
    "'a # b'",
    "\"d\"",
    "\"\"",
    "\"a 'b' #c\"",
    "\"d\\n\"",
    "\"\\u00e9\"",
    "'a\n  b'",
    "\"a\n\n  b\"",
    "[]",
    "[ ]",
    "{}",
    "[a, b]",
    "[1, 'two', \"3\"]",
    "{a: b}",
    "x # c",
    "'q' # c",
    "",
    "# only a comment",
];
const ODD_SCALARS: &[&str] = &[
    "a: b",
    ".inf",
    "-.Inf",
    ".nan",
    "'q'#c",
    "&a x",
    "*a",
    "!!str 1",
    "%a",
    "@a",
    "`a",
    "? a",
    "- a",
    "a:b",
    "\"unterminated",
    "[a,]",
    "{a: b",
    "|x",
];

fn key(r: &mut Rng) -> &'static str {
    if r.below(15) == 0 {
        r.pick(ODD_KEYS)
    } else {
        r.pick(KEYS)
    }
}

fn scalar(r: &mut Rng) -> &'static str {
    if r.below(15) == 0 {
        r.pick(ODD_SCALARS)
    } else {
        r.pick(SCALARS)
    }
}

const BLOCK_HEADS: &[&str] = &["|", "|-", "|+", ">", ">-", ">+", "| # c", "|2"];

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn comment(r: &mut Rng, out: &mut String, indent: usize) {
    match r.below(10) {
        0 => {
            pad(out, r.below(indent as u64 + 3) as usize);
            out.push_str("# a comment: with - things\n");
        }
        1 => out.push('\n'),
        2 => {
            pad(out, r.below(6) as usize);
            out.push('\n');
        }
        _ => {}
    }
}

fn block(r: &mut Rng, out: &mut String, indent: usize) {
    out.push(' ');
    out.push_str(r.pick(BLOCK_HEADS));
    out.push('\n');
    for _ in 0..r.below(4) {
        match r.below(5) {
            0 => out.push('\n'),
            1 => {
                pad(out, indent + 4);
                out.push_str("more  indented\n");
            }
            _ => {
                pad(out, indent + 2);
                out.push_str("text: with #signs\n");
            }
        }
    }
}

/// A value after `key:` or `-` at column `indent`.
fn value(r: &mut Rng, out: &mut String, indent: usize, depth: usize, in_seq: bool) {
    match r.below(9) {
        0 | 1 if depth < 4 => {
            out.push('\n');
            comment(r, out, indent);
            mapping(r, out, indent + 2, depth + 1);
        }
        2 if depth < 4 => {
            out.push('\n');
            comment(r, out, indent);
            // An indentless sequence under a key, or an indented one.
            let col = if !in_seq && r.below(2) == 0 {
                indent
            } else {
                indent + 2
            };
            sequence(r, out, col, depth + 1);
        }
        3 if depth < 4 && in_seq => {
            // `- key: value` and more keys at the key's column.
            out.push(' ');
            let col = indent + 2;
            let mut first = true;
            for _ in 0..1 + r.below(3) {
                if !first {
                    pad(out, col);
                }
                first = false;
                out.push_str(key(r));
                out.push(':');
                value(r, out, col, depth + 1, false);
            }
        }
        4 => block(r, out, indent),
        5 => {
            // The value on the next line.
            out.push('\n');
            pad(out, indent + 2);
            out.push_str(scalar(r));
            out.push('\n');
        }
        _ => {
            out.push(' ');
            out.push_str(scalar(r));
            if r.below(6) == 0 {
                out.push_str(" # trailing");
            }
            out.push('\n');
        }
    }
    comment(r, out, indent);
}

fn mapping(r: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    for _ in 0..1 + r.below(4) {
        pad(out, indent);
        out.push_str(key(r));
        out.push(':');
        value(r, out, indent, depth, false);
    }
}

fn sequence(r: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    for _ in 0..1 + r.below(3) {
        pad(out, indent);
        out.push('-');
        value(r, out, indent, depth, true);
    }
}

fn generated(r: &mut Rng) -> Vec<u8> {
    let mut doc = String::new();
    comment(r, &mut doc, 0);
    mapping(r, &mut doc, 0, 0);
    if r.below(10) == 0 {
        doc.pop();
    }
    doc.into_bytes()
}

fn repo_documents() -> Vec<Vec<u8>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut docs = vec![
        std::fs::read(format!("{root}/chart/values.yaml")).expect("values.yaml"),
        std::fs::read(format!("{root}/chart/charts/postgresql/values.yaml"))
            .expect("sub-chart values.yaml"),
    ];
    let mut cases: Vec<_> = std::fs::read_dir(format!("{root}/fixtures/cases"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    for case in cases {
        docs.push(std::fs::read(case).expect("case"));
    }
    for path in common::golden_files().iter().step_by(5) {
        let text = std::fs::read(path).expect("golden file");
        for doc in text.split(|&b| b == 0).flat_map(|t| {
            String::from_utf8_lossy(t)
                .split("\n---\n")
                .map(|d| d.as_bytes().to_vec())
                .collect::<Vec<_>>()
        }) {
            docs.push(doc);
        }
    }
    docs
}

#[test]
fn repository_documents_and_their_mutations() {
    let docs = repo_documents();
    let taken = docs.iter().filter(|d| check(d)).count();
    // The point of the reader: our values and the fixtures take it.
    assert!(check(&docs[0]), "chart/values.yaml is not taken");
    assert!(
        taken * 10 >= docs.len() * 8,
        "{taken} of {} taken",
        docs.len()
    );
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut tried, mut taken) = (0, 0);
    for d in docs.iter().step_by(3) {
        for _ in 0..30 {
            let mut m = d.clone();
            for _ in 0..1 + r.below(3) {
                common::mutate(&mut r, &mut m, INSERTS);
            }
            tried += 1;
            taken += usize::from(check(&m));
        }
    }
    eprintln!("mutated: {taken} of {tried} taken");
    assert!(
        taken * 4 > tried && taken < tried,
        "{taken} of {tried} taken"
    );
}

#[test]
fn generated_documents_and_their_mutations() {
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let (mut tried, mut taken) = (0, 0);
    for _ in 0..20_000 {
        let doc = generated(&mut r);
        tried += 1;
        taken += usize::from(check(&doc));
        let mut m = doc;
        for _ in 0..1 + r.below(2) {
            common::mutate(&mut r, &mut m, INSERTS);
        }
        tried += 1;
        taken += usize::from(check(&m));
    }
    eprintln!("generated: {taken} of {tried} taken");
    assert!(
        taken * 5 > tried && taken < tried,
        "{taken} of {tried} taken"
    );
}

#[test]
fn what_it_declines() {
    for doc in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "1: a\n",
        "true: a\n",
        "<<: {a: 1}\n",
        "a: .inf\n",
        "a: b\n\tc: d\n",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
        "\u{feff}a: 1\n",
        "a: \u{9f}\n",
        "a: 1\r\n",
        "- a\n",
        "scalar\n",
        "a: 1\n---\nb: 2\n",
        "  a: 1\n",
    ] {
        assert!(y::quick_values(doc.as_bytes()).is_none(), "{doc:?}");
    }
    // Empty documents are empty maps; entries it cannot decode itself are
    // decoded on their own.
    assert!(
        matches!(y::quick_values(b"# c\n\n"), Some(gotmpl::Value::Map(m)) if m.is_empty()),
        "an empty document"
    );
    for doc in [
        "a: |\n  x\n\n  y\nb: 1\n",
        "s:\n- >-\n  folded\n  text\n- \"q\\tq\"\n- [a, 'b']\n",
        "m:\n  - k: |+\n      kept\n\n    j: 'multi\n      line'\n",
        "a:\n  b\n  c\nd: x\n  y\n\n  z\n# c\n",
        "a: [x, {q: z}]\nb: {k: [1, 2]}\nc:\n- [a,\n   b]\n",
        "a: é # ü\n# ‐ comment\nb: 'ö'\n",
    ] {
        assert!(check(doc.as_bytes()), "{doc:?}");
    }
}

/// With `CHARTGEN_YAML_CORPUS=DIR`, every `.yaml` file under DIR (values
/// files of public charts, say) and mutations of each.
#[test]
fn corpus_from_the_environment() {
    let Some(dir) = std::env::var_os("CHARTGEN_YAML_CORPUS") else {
        return;
    };
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(std::path::Path::new(&dir), &mut files);
    files.sort();
    let mut r = Rng(0x0123_4567_89AB_CDEF);
    let (mut n, mut taken, mut tried, mut mtaken) = (0, 0, 0, 0);
    for f in &files {
        let doc = std::fs::read(f).expect("readable");
        n += 1;
        taken += usize::from(check(&doc));
        for _ in 0..20 {
            let mut m = doc.clone();
            common::mutate(&mut r, &mut m, INSERTS);
            tried += 1;
            mtaken += usize::from(check(&m));
        }
    }
    eprintln!("corpus: {taken} of {n} files taken; mutated: {mtaken} of {tried}");
}
