//! Parse + execute arbitrary templates with helm's function map (sprig and
//! helm's own, minus the deliberately slow key-generation and password-
//! hashing ones), under the engine's limits: any input must give output or
//! an error, never a panic, a hang, a stack overflow or unbounded memory.
//! Maps are references here (`set`, `merge`), so inputs can build maps that
//! contain themselves.
#![no_main]

use std::sync::OnceLock;

use gotmpl::{FuncMap, MapEntries, MissingKey, TemplateSet, Value, ValueLimits};
use libfuzzer_sys::fuzz_target;

/// Seconds per call by design (RSA/DSA keys, scrypt, bcrypt).
const SLOW: &[&str] = &[
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "derivePassword",
    "bcrypt",
    "htpasswd",
];

fn funcs() -> &'static FuncMap {
    static FUNCS: OnceLock<FuncMap> = OnceLock::new();
    FUNCS.get_or_init(|| {
        let all = chartgen_helm::funcs::funcs();
        let mut m = FuncMap::new();
        for name in all.names().filter(|n| !SLOW.contains(n)) {
            if let Some(f) = all.get(name) {
                m.insert(name, f.clone());
            }
        }
        m
    })
}

fn data() -> Value {
    let mut inner = MapEntries::new();
    inner.insert("k".into(), Value::from("v"));
    inner.insert("n".into(), Value::Nil);
    inner.insert("l".into(), Value::list(vec![Value::Float(1.0), Value::from("x")]));
    let mut top = MapEntries::new();
    top.insert("s".into(), Value::from("héllo: {a: [1, 2]}"));
    top.insert("i".into(), Value::Float(3.0));
    top.insert("b".into(), Value::Bool(true));
    top.insert("m".into(), Value::map(inner));
    // Fresh each run: templates may change maps in place.
    Value::map(top)
}

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let mut set = TemplateSet::new("gotpl", funcs().clone());
    set.set_missing_key(if input.first().is_some_and(|b| b % 2 == 0) {
        MissingKey::Zero
    } else {
        MissingKey::Error
    });
    set.set_step_limit(Some(100_000));
    set.set_max_depth(200);
    set.set_output_limit(Some(1 << 20));
    set.set_value_limits(Some(ValueLimits {
        max_string_bytes: 1 << 20,
        max_list_items: 100_000,
    }));
    if set.parse("t", text).is_err() {
        return;
    }
    let mut out = String::new();
    let _ = set.execute("t", &data(), &mut out);
});
