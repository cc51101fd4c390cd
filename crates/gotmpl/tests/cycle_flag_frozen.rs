//! Maps never changed since they were made hold no loop and reach no map
//! made after them, so the write-time search and `Value::has_cycle` skip
//! them, until a write changes one. Its own process, so the flag starts
//! clear and no map has been written yet.

use gotmpl::value::cycle_possible;
use gotmpl::{MapEntries, Value};

fn map_of(v: &Value) -> &gotmpl::value::Map {
    match v {
        Value::Map(m) => m,
        _ => unreachable!("a map value"),
    }
}

/// A map holding a list of `n` empty maps, made without writes.
fn tree(n: usize) -> Value {
    let leaves: Vec<Value> = (0..n).map(|_| Value::map(MapEntries::new())).collect();
    let mut entries = MapEntries::new();
    entries.insert("leaves".into(), Value::list(leaves));
    Value::map(entries)
}

fn leaf(tree: &Value, i: usize) -> Value {
    let Some(Value::List(leaves)) = map_of(tree).get("leaves") else {
        unreachable!("a list of leaves")
    };
    leaves.items[i].clone()
}

#[test]
fn frozen_maps_are_skipped_until_written() {
    // Made before anything was written: a values tree, say.
    let old = tree(100);
    // Later maps (a later generation, as a template's own maps are).
    let _ = gotmpl::purity::end(gotmpl::purity::begin());
    let young = Value::map(MapEntries::new());

    // Far more containers than a write searches, but frozen and older than
    // the map written into: it cannot lead back.
    map_of(&young).insert("values".into(), old.clone());
    assert!(!cycle_possible());
    assert!(!young.has_cycle());

    // A write into the old tree closing a loop through the young map: the
    // search from the young map goes through the tree (not older than the
    // leaf written into), the tree is no longer frozen, and the loop is
    // found from either side.
    map_of(&leaf(&old, 7)).insert("up".into(), young.clone());
    assert!(cycle_possible());
    assert!(young.has_cycle());
    assert!(old.has_cycle());
    map_of(&leaf(&old, 7)).remove("up");
    assert!(!young.has_cycle());
    assert!(!old.has_cycle());
}
