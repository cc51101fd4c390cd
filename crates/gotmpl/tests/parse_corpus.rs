//! Regression guard for the template parser: every template text of the
//! repository's corpus (conformance cases, fixtures, our chart and, when
//! present, the public charts under /tmp/public-charts/charts) is parsed in
//! both comment modes, and a hash of the full `Debug` dump of the trees (or
//! of the error text) is compared with `parse_corpus.golden`. The golden was
//! recorded from the parser before its speed work, so any change in trees,
//! positions, line numbers or error messages fails here. Each entry carries
//! the hash of its text: texts edited since the recording are skipped (the
//! check covers the recorded corpus, not later edits). A missing golden is
//! recorded from the current parser (`PARSE_CORPUS_RECORD=1` re-records).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gotmpl::parse::{parse_with_options, ParseOptions};

const PUBLIC_CHARTS: &str = "/tmp/public-charts/charts";
const BUILTINS: &[&str] = &[
    "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js",
    "urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// The texts to parse, keyed by a stable label. Case files hold several
/// templates after `--- path` lines: each section is parsed on its own, and
/// the whole file too (a text full of odd constructs and errors).
fn corpus() -> (BTreeMap<String, String>, bool) {
    let root = root();
    let mut texts = BTreeMap::new();
    let mut add = |label: String, path: &Path| {
        if let Ok(text) = std::fs::read_to_string(path) {
            texts.insert(label, text);
        }
    };
    let mut files = Vec::new();
    files_under(&root.join("tests/conformance"), &mut files);
    files_under(&root.join("fixtures"), &mut files);
    files_under(&root.join("chart"), &mut files);
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        add(rel, f);
    }
    let public = Path::new(PUBLIC_CHARTS);
    let have_public = public.is_dir();
    let mut files = Vec::new();
    files_under(public, &mut files);
    for f in &files {
        let rel = f.strip_prefix(public).unwrap_or(f).display().to_string();
        if rel.split('/').any(|c| c == "templates") {
            add(format!("public/{rel}"), f);
        }
    }
    let mut sections = BTreeMap::new();
    for (label, text) in &texts {
        if !label.starts_with("tests/") {
            continue;
        }
        let mut current: Option<(usize, String)> = None;
        let mut n = 0;
        for line in text.split_inclusive('\n') {
            if line.starts_with("--- ") || line.starts_with("=== ") {
                if let Some((i, body)) = current.take() {
                    sections.insert(format!("{label}#{i}"), body);
                }
                if line.starts_with("--- ") {
                    n += 1;
                    current = Some((n, String::new()));
                }
            } else if let Some((_, body)) = current.as_mut() {
                body.push_str(line);
            }
        }
        if let Some((i, body)) = current {
            sections.insert(format!("{label}#{i}"), body);
        }
    }
    texts.extend(sections);
    (texts, have_public)
}

/// helm's function names (`tests/conformance/helm-functions.txt`) and Go's builtins.
fn helm_functions() -> std::collections::HashSet<String> {
    std::fs::read_to_string(root().join("tests/conformance/helm-functions.txt"))
        .expect("helm-functions.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .chain(BUILTINS.iter().map(|s| s.to_string()))
        .collect()
}

fn record(texts: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let funcs = helm_functions();
    let is_func = |name: &str| funcs.contains(name);
    let mut out = BTreeMap::new();
    for (label, text) in texts {
        // The text's own hash first: a text edited since the golden was
        // recorded has no recorded result to compare with.
        let mut line = format!("{:016x}", fnv(text));
        for comments in [false, true] {
            let options = ParseOptions {
                parse_comments: comments,
                ..ParseOptions::default()
            };
            match parse_with_options(label, text, options, &is_func) {
                Ok(trees) => {
                    let _ = write!(
                        line,
                        " ok:{}:{:016x}",
                        trees.len(),
                        fnv(&format!("{trees:?}"))
                    );
                }
                Err(e) => {
                    let _ = write!(
                        line,
                        " err:{:016x}:{:?}",
                        fnv(&e.to_string()),
                        e.to_string()
                    );
                }
            }
        }
        out.insert(label.clone(), line);
    }
    out
}

#[test]
fn parse_trees_and_errors_match_golden() {
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parse_corpus.golden");
    let (texts, have_public) = corpus();
    let got = record(&texts);
    let rerecord = std::env::var_os("PARSE_CORPUS_RECORD").is_some();
    if rerecord || !golden_path.exists() {
        assert!(
            have_public,
            "record the golden with the public charts present"
        );
        let mut s = String::new();
        for (label, line) in &got {
            let _ = writeln!(s, "{label}\t{line}");
        }
        std::fs::write(&golden_path, s).expect("write golden");
        return;
    }
    let golden = std::fs::read_to_string(&golden_path).expect("read golden");
    let mut checked = 0;
    let mut diffs = Vec::new();
    for entry in golden.lines() {
        let Some((label, want)) = entry.split_once('\t') else {
            continue;
        };
        if label.starts_with("public/") && !have_public {
            continue;
        }
        match got.get(label) {
            Some(line) if line == want => checked += 1,
            Some(line) if line.get(..16) == want.get(..16) => {
                diffs.push(format!("{label}:\n  want {want}\n  got  {line}"))
            }
            // Edited or removed since the golden was recorded.
            _ => {}
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert!(checked > 100, "only {checked} texts checked");
}

/// Every text of the corpus that parses: its trees, encoded and decoded,
/// are the parsed ones; decoding refuses other texts, other function sets
/// and damaged encodings (without panicking).
#[test]
fn compiled_trees_decode_to_the_parsed_trees() {
    use gotmpl::compiled::{decode, encode};
    use std::sync::Arc;
    let funcs = helm_functions();
    let is_func = |name: &str| funcs.contains(name);
    let (texts, _) = corpus();
    let (mut encoded_texts, mut damaged) = (0, 0);
    for (label, text) in &texts {
        let shared: Arc<str> = text.as_str().into();
        let Ok(trees) =
            gotmpl::parse::parse_shared(label, &shared, ParseOptions::default(), &is_func)
        else {
            continue;
        };
        let Some(bytes) = encode(&trees, label, &is_func) else {
            continue;
        };
        encoded_texts += 1;
        let back = decode(bytes.clone(), label, &shared, &is_func)
            .unwrap_or_else(|| panic!("{label}: its encoding does not decode"));
        let want: Vec<_> = trees.iter().map(gotmpl::compiled::decoded_form).collect();
        assert_eq!(format!("{back:?}"), format!("{want:?}"), "{label}");

        // Another text of the same length.
        if let Some(i) = text.bytes().position(|b| b.is_ascii_alphanumeric()) {
            let mut other = text.clone().into_bytes();
            other[i] = if other[i] == b'x' { b'y' } else { b'x' };
            let other: Arc<str> = String::from_utf8(other).unwrap().into();
            assert!(
                decode(bytes.clone(), label, &other, &is_func).is_none(),
                "{label}"
            );
        }
        // A function the text calls gone; `break` become a function.
        let called: Vec<&str> = funcs
            .iter()
            .map(String::as_str)
            .filter(|f| !BUILTINS.contains(f) && text.contains(f))
            .collect();
        for f in called.iter().take(3) {
            let without = |name: &str| name != *f && is_func(name);
            let parsed =
                gotmpl::parse::parse_shared(label, &shared, ParseOptions::default(), &without);
            if parsed.is_err() {
                assert!(
                    decode(bytes.clone(), label, &shared, &without).is_none(),
                    "{label} without {f}"
                );
            }
        }
        let with_break = |name: &str| name == "break" || is_func(name);
        assert!(
            decode(bytes.clone(), label, &shared, &with_break).is_none(),
            "{label}"
        );

        // Damaged encodings: cut short, or a byte changed. (A few per text:
        // the corpus is large.)
        if encoded_texts % 7 == 0 {
            for cut in (0..bytes.len()).step_by(bytes.len() / 50 + 1) {
                assert!(decode(bytes[..cut].to_vec(), label, &shared, &is_func).is_none());
            }
            for i in (0..bytes.len()).step_by(bytes.len() / 100 + 1) {
                for flip in [0x01u8, 0x80, 0xff] {
                    let mut b = bytes.clone();
                    b[i] ^= flip;
                    // Either refused or some trees: never a panic.
                    let _ = decode(b.clone(), label, &shared, &is_func).map(|t| format!("{t:?}"));
                    damaged += 1;
                }
            }
        }
    }
    assert!(encoded_texts > 1000, "only {encoded_texts} texts encoded");
    assert!(damaged > 1000);
}
