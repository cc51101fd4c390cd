//! A write of a container too large to search for a way back counts as one
//! that may close a loop: `Value::has_cycle` then walks, and stays right.
//! Its own process, so the flag starts clear.

use gotmpl::value::cycle_possible;
use gotmpl::{MapEntries, Value};

#[test]
fn a_large_write_makes_has_cycle_walk() {
    let leaves: Vec<Value> = (0..100).map(|_| Value::map(MapEntries::new())).collect();
    let big = Value::list(leaves);
    let holder = Value::map(MapEntries::new());
    let Value::Map(h) = &holder else {
        unreachable!("a map value")
    };
    h.insert(
        "small".into(),
        Value::list(vec![Value::map(MapEntries::new())]),
    );
    assert!(!cycle_possible());
    h.insert("big".into(), big.clone());
    assert!(cycle_possible());
    // Walked, and found to hold no loop.
    assert!(!holder.has_cycle());
    let Value::List(items) = &big else {
        unreachable!("a list value")
    };
    let Value::Map(last) = &items.items[99] else {
        unreachable!("a map value")
    };
    last.insert("up".into(), holder.clone());
    assert!(holder.has_cycle());
}
