//! The plain-value shortcut (a document that certainly decodes without
//! error becomes a value straight from its nodes) must give what the general
//! path gives: `parse`/`parse_map`/`parse_values` against the spanned
//! functions, which always take the general path, over generated documents
//! mixing every kind of key, value, tag, anchor and error.

use chartgen_yaml as y;

mod common;
use common::Rng;

const KEYS: &[&str] = &[
    "a",
    "b",
    "name",
    "'q'",
    "\"d\"",
    "1",
    "-2",
    "true",
    "y",
    "n",
    "~",
    "null",
    "<<",
    "1.5",
    "0x1F",
    "18446744073709551615",
    "2001-12-14",
    "k k",
    "\u{e9}t\u{e9}",
    "'true'",
    ".inf",
];

const SCALARS: &[&str] = &[
    "1",
    "-2",
    "0o17",
    "0755",
    "1_000",
    "0b101",
    "3.25",
    "1e400",
    ".inf",
    "-.Inf",
    ".NaN",
    "yes",
    "Off",
    "null",
    "~",
    "",
    "'s'",
    "'it''s'",
    "\"x\\ty\"",
    "\"\\u00e9\"",
    "plain text",
    "a: b",
    "!!str 3",
    "!!int 7",
    "!!float 1",
    "!!binary aGk=",
    "!!binary '%%'",
    "!custom x",
    "&a 1",
    "*a",
    "*missing",
    "2001-12-14t21:59:43.10-05:00",
    "[1, 'two', {x: y}]",
    "{x: 1, x: 2}",
    "{}",
    "[]",
    "<<",
    "18446744073709551615",
    "-9223372036854775808",
    "#comment",
    "\"unterminated",
];

fn value(r: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    match r.next() % 6 {
        0 if depth < 3 => {
            out.push('\n');
            mapping(r, out, indent + 2, depth + 1);
        }
        1 if depth < 3 => {
            out.push('\n');
            for _ in 0..1 + r.next() % 3 {
                out.push_str(&" ".repeat(indent + 2));
                out.push_str("- ");
                out.push_str(r.pick(SCALARS));
                out.push('\n');
            }
        }
        2 => {
            out.push_str(" |\n");
            out.push_str(&" ".repeat(indent + 2));
            out.push_str("block text\n");
        }
        _ => {
            out.push(' ');
            out.push_str(r.pick(SCALARS));
            out.push('\n');
        }
    }
}

fn mapping(r: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    for _ in 0..1 + r.next() % 4 {
        out.push_str(&" ".repeat(indent));
        out.push_str(r.pick(KEYS));
        out.push(':');
        value(r, out, indent, depth);
    }
}

fn show<E: std::fmt::Display>(r: Result<gotmpl::Value, E>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("err {e}"),
    }
}

#[test]
fn shortcut_agrees_with_the_general_path() {
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    let mut ok = 0;
    for _ in 0..4000 {
        let mut doc = String::new();
        if r.next().is_multiple_of(8) {
            doc.push_str("# header\n---\n");
        }
        mapping(&mut r, &mut doc, 0, 0);
        if r.next().is_multiple_of(8) {
            doc.push_str("---\n");
            mapping(&mut r, &mut doc, 0, 0);
        }
        let text = doc.as_bytes();
        let general = show(y::parse_spanned(text).map(|s| s.to_value()));
        ok += usize::from(general.starts_with("ok"));
        assert_eq!(show(y::parse(text)), general, "parse: {doc}");
        assert_eq!(
            show(y::parse_map(text)),
            show(y::parse_map_spanned(text).map(|s| s.to_value())),
            "parse_map: {doc}"
        );
        assert_eq!(
            show(y::parse_values(text)),
            show(y::parse_values_spanned(text).map(|s| s.to_value())),
            "parse_values: {doc}"
        );
    }
    // Both outcomes are well represented.
    assert!((800..3200).contains(&ok), "{ok}");
}
