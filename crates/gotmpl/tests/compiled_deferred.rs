//! Decoded trees leave their larger branch lists encoded until a walk
//! needs them (`gotmpl::ast::BranchList`): what executes must be what the
//! parsed trees give, only the branches taken get decoded, and a damaged
//! list that decoding left for later fails its execution with an error,
//! never a panic.

use std::sync::Arc;

use gotmpl::ast::{Node, Tree};
use gotmpl::compiled::{decode, encode};
use gotmpl::parse::{parse_shared, ParseOptions};
use gotmpl::{FuncMap, MapEntries, TemplateSet, Value};

const TEXT: &str = "head\n\
{{- if .on }}\n  taken: {{ .name | printf \"%q\" }} and {{ len .items }} items\n  {{- range $i, $x := .items }}\n  - {{ $i }}: {{ $x }} of {{ $.name }}{{ end }}\n\
{{- else }}\n  not taken: {{ .name }} {{ printf \"%v-%v\" .on .name }} with more text to make it long\n{{- end }}\ntail {{ template \"part\" . }}\n\
{{- define \"part\" }}{{ with .missing }}never: {{ . }} {{ printf \"%v\" . }} and a long tail of text{{ end }}part{{ end }}";

fn is_func(name: &str) -> bool {
    gotmpl::builtins::is_builtin(name)
}

fn data(on: bool) -> Value {
    let mut m = MapEntries::new();
    m.insert("on".into(), Value::from(on));
    m.insert("name".into(), Value::from("x"));
    m.insert(
        "items".into(),
        Value::from(vec![Value::from("a"), Value::from("b")]),
    );
    Value::map(m)
}

fn render(trees: Vec<Tree>, data: &Value) -> Result<String, String> {
    let mut set = TemplateSet::new("t", FuncMap::new());
    for tree in trees {
        set.add_tree(tree);
    }
    set.render("t", data).map_err(|e| e.to_string())
}

fn parsed() -> (Arc<str>, Vec<Tree>, Vec<u8>) {
    let text: Arc<str> = TEXT.into();
    let trees = parse_shared("t", &text, ParseOptions::default(), &is_func).unwrap();
    let bytes = encode(&trees, "t", &is_func).unwrap();
    (text, trees, bytes)
}

/// The `if` at the top of the file and its `else`.
fn top_branch(tree: &Tree) -> &gotmpl::ast::BranchNode {
    tree.root
        .nodes
        .iter()
        .find_map(|n| match n {
            Node::If(b) => Some(&**b),
            _ => None,
        })
        .expect("an if at the top")
}

#[test]
fn branches_decode_when_first_walked_and_render_as_parsed() {
    let (text, trees, bytes) = parsed();
    for on in [true, false] {
        let decoded = decode(bytes.clone(), "t", &text, &is_func).unwrap();
        let main = decoded.iter().find(|t| &*t.name == "t").unwrap();
        let branch = top_branch(main);
        assert!(branch.list.is_deferred());
        assert!(branch.else_list.as_ref().unwrap().is_deferred());
        let want = render(trees.clone(), &data(on)).unwrap();
        let mut set = TemplateSet::new("t", FuncMap::new());
        for tree in &decoded {
            set.add_tree(tree.clone());
        }
        assert_eq!(set.render("t", &data(on)).unwrap(), want);
        // The branch taken was decoded, and only that one.
        let branch = top_branch(set.lookup("t").unwrap());
        assert_eq!(branch.list.is_deferred(), !on);
        assert_eq!(branch.else_list.as_ref().unwrap().is_deferred(), on);
    }
    // Printed, every list is decoded: the trees are the parsed ones.
    let decoded = decode(bytes, "t", &text, &is_func).unwrap();
    assert_eq!(format!("{decoded:?}"), format!("{trees:?}"));
}

#[test]
fn a_damaged_deferred_list_fails_the_execution_that_needs_it() {
    let (text, trees, bytes) = parsed();
    let want = render(trees, &data(true)).unwrap();
    let mut failed_cleanly = 0;
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x40, 0xff] {
            let mut damaged = bytes.clone();
            damaged[i] ^= flip;
            let Some(decoded) = decode(damaged, "t", &text, &is_func) else {
                continue;
            };
            match render(decoded, &data(true)) {
                Err(e) if e.contains("compiled form is damaged") => failed_cleanly += 1,
                // Other damage decodes into other trees, or other errors.
                _ => {}
            }
        }
    }
    assert!(failed_cleanly > 10, "{failed_cleanly}");
    // Undamaged, the same bytes render as the parse does.
    let decoded = decode(bytes, "t", &text, &is_func).unwrap();
    assert_eq!(render(decoded, &data(true)).unwrap(), want);
}
