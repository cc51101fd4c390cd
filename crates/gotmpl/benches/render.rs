//! Renders a ~200-line template with nested defines and ranges
//! (`benches/data/deployment.tmpl`) against JSON data, as helm would feed it
//! (numbers are float64, missingkey=zero). Compare with Go's own engine on the
//! same input: `cd benches/go && go run .`.

use criterion::{criterion_group, criterion_main, Criterion};
use gotmpl::{FuncMap, MissingKey, TemplateSet, Value};

fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap()),
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::list(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => Value::map(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), json_to_value(v)))
                .collect(),
        ),
    }
}

fn bench(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data");
    let src = std::fs::read_to_string(format!("{dir}/deployment.tmpl")).unwrap();
    let raw = std::fs::read_to_string(format!("{dir}/deployment.json")).unwrap();
    let data = json_to_value(&serde_json::from_str(&raw).unwrap());
    let mut set = TemplateSet::new("deployment.tmpl", FuncMap::new());
    set.set_missing_key(MissingKey::Zero);
    set.parse("deployment.tmpl", &src).unwrap();
    let expected_len = set.render("deployment.tmpl", &data).unwrap().len();
    assert!(expected_len > 10_000);

    c.bench_function("render deployment.tmpl", |b| {
        let mut out = String::with_capacity(expected_len);
        b.iter(|| {
            out.clear();
            set.execute("deployment.tmpl", &data, &mut out).unwrap();
            assert_eq!(out.len(), expected_len);
        })
    });
    c.bench_function("parse deployment.tmpl", |b| {
        b.iter(|| {
            let mut s = TemplateSet::new("deployment.tmpl", FuncMap::new());
            s.parse("deployment.tmpl", &src).unwrap();
            s
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
