//! `duplicate_keys`: the repeated keys helm silently accepts, located.

use chartgen_yaml::{duplicate_keys, parse_values, DuplicateKey, Span};

fn at(line: usize, column: usize) -> Span {
    Span { line, column }
}

#[test]
fn repeated_keys_are_found_in_every_mapping_and_document() {
    let text = b"a: 1\nb:\n  c: 1\n  \"c\": 2\na: 3\n---\nd: {e: 1, e: 2}\n";
    // helm keeps the last value of each.
    let v = parse_values(text).unwrap();
    assert_eq!(
        chartgen_yaml::to_json(&v),
        r#"{"a":3,"b":{"c":2},"d":{"e":2}}"#
    );
    let mut found = duplicate_keys(text);
    found.sort_by_key(|d| d.repeated);
    assert_eq!(
        found,
        vec![
            DuplicateKey {
                key: "c".into(),
                first: at(3, 3),
                repeated: at(4, 3)
            },
            DuplicateKey {
                key: "a".into(),
                first: at(1, 1),
                repeated: at(5, 1)
            },
            DuplicateKey {
                key: "e".into(),
                first: at(7, 5),
                repeated: at(7, 11)
            },
        ]
    );
}

#[test]
fn merge_keys_and_broken_files_report_nothing() {
    assert!(duplicate_keys(b"x: &x {a: 1}\ny:\n  <<: *x\n  <<: *x\n  a: 2\n").is_empty());
    assert!(duplicate_keys(b"a: [\n").is_empty());
    assert!(duplicate_keys(b"").is_empty());
}
