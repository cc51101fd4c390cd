//! Parse + execute arbitrary templates against fixed data: any input must
//! give output or an error, never a panic, a hang or a stack overflow.
//! Input that is not UTF-8 is a template holding invalid bytes.
#![no_main]

use std::sync::OnceLock;

use gotmpl::{FuncMap, MapEntries, MissingKey, TemplateSet, Value, ValueLimits};
use libfuzzer_sys::fuzz_target;

fn data() -> &'static Value {
    static DATA: OnceLock<Value> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut inner = MapEntries::new();
        inner.insert("k".into(), Value::from("v"));
        inner.insert("n".into(), Value::Nil);
        inner.insert("f".into(), Value::Float(1e6));
        let mut top = MapEntries::new();
        top.insert("s".into(), Value::from("héllo"));
        top.insert("i".into(), Value::Float(3.0));
        top.insert("b".into(), Value::Bool(true));
        top.insert("z".into(), Value::Nil);
        top.insert(
            "l".into(),
            Value::list(vec![Value::Float(1.5), Value::from("x"), Value::Nil, Value::map(inner.clone())]),
        );
        top.insert("m".into(), Value::map(inner));
        Value::map(top)
    })
}

fuzz_target!(|input: &[u8]| {
    // Go templates are bytes: invalid ones reach the parser marked.
    let text = gotmpl::gostr::marked(input);
    // The first byte picks the missing-key mode so all three get explored.
    let mk = match input.first().map(|b| b % 3) {
        Some(0) => MissingKey::Invalid,
        Some(1) => MissingKey::Zero,
        _ => MissingKey::Error,
    };
    let mut set = TemplateSet::new("fuzz", FuncMap::new());
    set.set_missing_key(mk);
    set.set_step_limit(Some(100_000));
    set.set_max_depth(200);
    set.set_output_limit(Some(1 << 20));
    set.set_value_limits(Some(ValueLimits {
        max_string_bytes: 1 << 20,
        max_list_items: 100_000,
    }));
    if set.parse("t", &text).is_err() {
        return;
    }
    let mut out = gotmpl::gostr::Output::new();
    let _ = set.execute_output_with("t", data(), &mut out, &mut ());
});
