//! Rendering a chart's templates on all cores, and reusing repeated
//! `include` results, gives what rendering them one after another without
//! reuse (helm's way) gives: the same outputs, or the same first error. The input is split on NUL bytes into template files (the first
//! one a `_helpers.tpl` of defines), rendered over values whose maps the
//! templates may change (`set .Values …`, `merge`, `unset`), each run with
//! values of its own.
#![no_main]

use chartgen_helm::engine::{self, EngineOptions, ParseCache, TemplateSource};
use gotmpl::{MapEntries, Value};
use libfuzzer_sys::fuzz_target;

/// Functions whose results differ from run to run whatever the order.
const NONDETERMINISTIC: &[&str] = &[
    "rand",
    "uuid",
    "gen",
    "shuffle",
    "now",
    "date",
    "htpasswd",
    "bcrypt",
    "lookup",
    "getHostByName",
];

fn values() -> Value {
    let mut inner = MapEntries::new();
    inner.insert("b".into(), Value::int(1));
    inner.insert("s".into(), Value::from("x"));
    let mut top = MapEntries::new();
    top.insert("a".into(), Value::map(inner));
    top.insert("n".into(), Value::int(0));
    top.insert("l".into(), Value::list(vec![Value::int(1), Value::int(2)]));
    Value::map(top)
}

fn sources(parts: &[&str]) -> Vec<TemplateSource> {
    let mut scope = MapEntries::new();
    scope.insert("Values".into(), values());
    parts
        .iter()
        .enumerate()
        .map(|(i, text)| TemplateSource {
            name: if i == 0 {
                "c/templates/_helpers.tpl".to_string()
            } else {
                format!("c/templates/t{i:02}.yaml")
            },
            text: text.to_string().into(),
            scope: scope.clone(),
            base_path: "c/templates".to_string(),
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > 4096 || NONDETERMINISTIC.iter().any(|f| text.contains(f)) {
        return;
    }
    let parts: Vec<&str> = text.split('\0').take(8).collect();
    let render = |parallel: bool, reuse_includes: bool| {
        let opts = EngineOptions {
            parallel,
            reuse_includes,
            ..EngineOptions::default()
        };
        // Fresh values per run: a run's writes must not reach the other.
        engine::render_cached_raw(&sources(&parts), &opts, &ParseCache::new())
    };
    let one_by_one = render(false, false);
    for other in [render(false, true), render(true, true)] {
        match (&one_by_one, &other) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "outputs differ"),
            (Err(a), Err(b)) => assert_eq!(a.message, b.message, "errors differ"),
            _ => panic!("one way failed: {one_by_one:?} / {other:?}"),
        }
    }
});
