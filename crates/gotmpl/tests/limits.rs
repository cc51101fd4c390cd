//! chartgen's execution limits (Go has none): the output an execution may
//! write, and the sizes of the strings and lists function calls take and
//! return, so that a template doubling a value in a loop fails cleanly
//! instead of exhausting memory.

use gotmpl::{FuncMap, Function, TemplateSet, Type, Value, ValueLimits};

fn set(limits: Option<ValueLimits>, output: Option<usize>) -> TemplateSet {
    let mut funcs = FuncMap::new();
    // `double s` is s twice; `pair l` is the list l twice.
    funcs.insert(
        "double",
        Function::new(vec![Type::String], |_, a| {
            let s = a[0].as_str().unwrap_or_default();
            Ok(Value::from(format!("{s}{s}")))
        }),
    );
    funcs.insert(
        "pair",
        Function::new(vec![Type::Interface], |_, a| match &a[0] {
            Value::List(l) => {
                let mut items = l.items.clone();
                items.extend(l.items.iter().cloned());
                Ok(Value::list(items))
            }
            _ => Ok(Value::list(vec![a[0].clone()])),
        }),
    );
    let mut s = TemplateSet::new("t", funcs);
    s.set_value_limits(limits);
    s.set_output_limit(output);
    s
}

fn run(set: &mut TemplateSet, text: &str) -> Result<String, String> {
    set.parse("t", text).map_err(|e| e.to_string())?;
    set.render("t", &Value::Invalid).map_err(|e| e.to_string())
}

const LIMITS: ValueLimits = ValueLimits {
    max_string_bytes: 1000,
    max_list_items: 100,
};

#[test]
fn string_doubling_stops_at_the_limit() {
    let text = r#"{{ $s := "x" }}{{ range 16 }}{{ $s = double $s }}{{ end }}{{ len $s }}"#;
    // 2^9 = 512 bytes doubles to 1024 > 1000: the result is refused.
    assert_eq!(
        run(&mut set(Some(LIMITS), None), text).unwrap_err(),
        r#"template: t:1:37: executing "t" at <double $s>: error calling double: result of 1024 bytes exceeds chartgen's limit of 1000 bytes"#
    );
    // Without limits Go's behaviour: 2^16.
    assert_eq!(run(&mut set(None, None), text).unwrap(), "65536");
}

#[test]
fn arguments_are_checked_before_the_call() {
    let text = r#"{{ $s := "x" }}{{ range 10 }}{{ $s = print $s $s }}{{ end }}"#;
    // print is a builtin: 512 + 512 bytes of arguments are refused before printing.
    assert_eq!(
        run(&mut set(Some(LIMITS), None), text).unwrap_err(),
        r#"template: t:1:37: executing "t" at <print $s $s>: error calling print: arguments of 1024 bytes exceed chartgen's limit of 1000 bytes"#
    );
}

#[test]
fn list_doubling_stops_at_the_limit() {
    let text = r#"{{ $l := pair 1 }}{{ range 10 }}{{ $l = pair $l }}{{ end }}{{ len $l }}"#;
    assert_eq!(
        run(&mut set(Some(LIMITS), None), text).unwrap_err(),
        r#"template: t:1:40: executing "t" at <pair $l>: error calling pair: result of 128 list items exceeds chartgen's limit of 100"#
    );
    assert_eq!(run(&mut set(None, None), text).unwrap(), "1024");
}

#[test]
fn output_limit() {
    let text = r#"{{ range 10 }}0123456789{{ end }}"#;
    assert_eq!(
        run(&mut set(None, Some(95)), text).unwrap_err(),
        r#"template: t:1:14: executing "t" at <0123456789>: output of 100 bytes exceeds chartgen's limit of 95 bytes"#
    );
    assert_eq!(run(&mut set(None, Some(100)), text).unwrap().len(), 100);
}

#[test]
fn cycles_are_found_through_maps_and_lists() {
    use gotmpl::MapEntries;
    let leaf = Value::map(MapEntries::new());
    // A DAG sharing one map twice is not a cycle.
    let shared = Value::list(vec![leaf.clone(), leaf.clone()]);
    assert!(!shared.has_cycle());
    let Value::Map(m) = &leaf else { unreachable!() };
    m.insert("self".into(), leaf.clone());
    assert!(leaf.has_cycle());
    assert!(shared.has_cycle());
    let other = Value::map(MapEntries::new());
    let Value::Map(o) = &other else {
        unreachable!()
    };
    o.insert(
        "l".into(),
        Value::list(vec![Value::from("x"), other.clone()]),
    );
    assert!(other.has_cycle());
    // Printing says so instead of recursing forever.
    assert_eq!(
        gotmpl::gofmt::sprint(&[other]),
        "%!v(CYCLE: a map contains itself)"
    );
}
