//! The schema interpreter (`chartgen_helm::schema`) against the compiled
//! validator: the input up to a 0 byte is a values.schema.json, the rest a
//! values file. Whenever the interpreter answers (valid or not), the
//! compiled validator must give the same answer.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (schema, values) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(values) = chartgen_yaml::parse_values(values) else {
        return;
    };
    assert!(
        chartgen_helm::schema::interpreter_agrees(schema, &values),
        "interpreter and compiled validator disagree"
    );
});
