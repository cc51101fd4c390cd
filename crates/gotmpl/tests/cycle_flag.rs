//! `Value::has_cycle` answers without a walk until some write may have made
//! a map reach itself. This file is its own process, so the flag starts
//! clear; its one test runs the steps in order.

use gotmpl::value::cycle_possible;
use gotmpl::{MapEntries, Value};

fn map_of(v: &Value) -> &gotmpl::value::Map {
    match v {
        Value::Map(m) => m,
        _ => unreachable!("a map value"),
    }
}

#[test]
fn the_write_that_closes_a_cycle_is_the_one_noticed() {
    let a = Value::map(MapEntries::new());
    let mut b_entries = MapEntries::new();
    b_entries.insert("a".into(), a.clone());
    let b = Value::map(b_entries);

    // Containers written in without closing a loop: a shared DAG, a map
    // written into two parents, a list holding the same map twice.
    let top = Value::map(MapEntries::new());
    map_of(&top).insert("b".into(), b.clone());
    map_of(&top).insert("again".into(), b.clone());
    map_of(&top).insert("pair".into(), Value::list(vec![a.clone(), a.clone()]));
    map_of(&a).insert("n".into(), Value::from("one"));
    assert!(!cycle_possible());
    assert!(!top.has_cycle());

    // a → [b] → a: the inserted list reaches `a` through `b`.
    map_of(&a).insert("back".into(), Value::list(vec![b.clone()]));
    assert!(cycle_possible());
    assert!(a.has_cycle());
    assert!(top.has_cycle());
    // Broken again: the walk (now always done) says so.
    map_of(&a).remove("back");
    assert!(!top.has_cycle());
}
