//! An action that prints a lone string literal written without escapes
//! (`{{ `{"json": 1}` }}`, how generated dashboards embed their JSON) is
//! decoded as the text it prints: same output, no copy of the string. Blank
//! literals stay actions (Go's `IsEmptyTree` tells blank text from an
//! action, which decides whether a `define` replaces an earlier one), and so
//! do literals with escapes, declarations and pipelines.

use std::sync::Arc;

use gotmpl::ast::{Node, Tree};
use gotmpl::compiled::{decode, encode};
use gotmpl::parse::{parse_shared, ParseOptions};
use gotmpl::{FuncMap, MapEntries, TemplateSet, Value};

fn is_func(name: &str) -> bool {
    gotmpl::builtins::is_builtin(name)
}

fn render(trees: Vec<Tree>) -> Result<String, String> {
    let mut set = TemplateSet::new("t", FuncMap::new());
    for tree in trees {
        set.add_tree(tree);
    }
    set.render("t", &Value::map(MapEntries::new()))
        .map_err(|e| e.to_string())
}

/// The parsed and the decoded trees of `text`.
fn both(text: &str) -> (Vec<Tree>, Vec<Tree>) {
    let text: Arc<str> = text.into();
    let trees = parse_shared("t", &text, ParseOptions::default(), &is_func).unwrap();
    let bytes = encode(&trees, "t", &is_func).unwrap();
    let back = decode(bytes, "t", &text, &is_func).expect("decodes");
    (trees, back)
}

fn kinds(tree: &Tree) -> Vec<&'static str> {
    tree.root
        .nodes
        .iter()
        .map(|n| match n {
            Node::Text(_) => "text",
            Node::Action(_) => "action",
            _ => "other",
        })
        .collect()
}

#[test]
fn lone_literals_decode_as_their_text_and_print_the_same() {
    let text = "a{{ `{\"x\": [1, 2]}` }}b{{- \"quoted \u{e9}\" -}} c{{ ` ` }}{{ \"tab\\t\" }}\
                {{ $v := `decl` }}{{ `piped` | print }}{{ `` }}{{ \"\" }}{{ `x` }}";
    let (parsed, decoded) = both(text);
    assert_eq!(
        kinds(&parsed[0]),
        [
            "text", "action", "text", "action", "text", "action", "action", "action", "action",
            "action", "action", "action"
        ]
    );
    assert_eq!(
        kinds(&decoded[0]),
        [
            "text", "text", "text", "text", "text", "action", "action", "action", "action",
            "action", "action", "text"
        ]
    );
    let want = "a{\"x\": [1, 2]}bquoted \u{e9}c tab\tpipedx";
    assert_eq!(render(parsed).unwrap(), want);
    assert_eq!(render(decoded).unwrap(), want);
}

/// A `define` whose body is a blank literal is not empty to Go, so it
/// replaces a definition from an earlier text; decoded, it still does.
#[test]
fn blank_literals_keep_defines_non_empty() {
    let earlier: Arc<str> = "{{ define \"d\" }}first{{ end }}".into();
    let earlier = parse_shared("a", &earlier, ParseOptions::default(), &is_func).unwrap();
    let (parsed, decoded) = both("{{ define \"d\" }}{{ ` ` }}{{ end }}[{{ template \"d\" }}]");
    for trees in [parsed, decoded] {
        let mut set = TemplateSet::new("t", FuncMap::new());
        for tree in earlier.iter().cloned().chain(trees) {
            set.add_tree(tree);
        }
        let out = set.render("t", &Value::map(MapEntries::new())).unwrap();
        assert_eq!(out, "[ ]");
    }
}
