//! In-process rendering of our chart (`chart/`): load it once, then
//! `LoadedChart::template` with default values and with the largest fixture
//! (`fixtures/cases/sc-global-all.yaml`, the case with the most output), as
//! a test suite or a library user renders it, again and again; with every
//! fixture in turn (each render's values differ from the previous one's, as
//! in a test suite); without reusing outputs of earlier renders; plus
//! loading itself.

use std::path::{Path, PathBuf};

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::coalesce::Warnings;
use criterion::{criterion_group, criterion_main, Criterion};
use gotmpl::{MapEntries, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bench(c: &mut Criterion) {
    let dir = repo().join("chart");
    let chart = LoadedChart::load(&dir, &mut Warnings::new()).expect("chart loads");
    let defaults = Value::map(MapEntries::new());
    let fixture =
        std::fs::read(repo().join("fixtures/cases/sc-global-all.yaml")).expect("fixture exists");
    let fixture = chartgen_yaml::parse_map(&fixture).expect("fixture parses");
    let opts = TemplateOptions {
        release_name: "airflow".into(),
        namespace: "airflow".into(),
        ..Default::default()
    };
    for values in [&defaults, &fixture] {
        let n = chart
            .template(values, &opts, &mut Warnings::new())
            .expect("renders")
            .stream
            .len();
        assert!(n > 50_000, "only {n} bytes rendered");
    }
    let mut cases: Vec<_> = std::fs::read_dir(repo().join("fixtures/cases"))
        .expect("fixtures/cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    let cases: Vec<Value> = cases
        .iter()
        .map(|p| chartgen_yaml::parse_map(&std::fs::read(p).unwrap()).expect("fixture parses"))
        .collect();
    let mut g = c.benchmark_group("chart");
    g.sample_size(20);
    g.bench_function("load chart/", |b| {
        b.iter(|| LoadedChart::load(&dir, &mut Warnings::new()).unwrap())
    });
    // Each case renders the next of its value sets (one, or every fixture).
    let no_reuse = TemplateOptions {
        reuse_outputs: false,
        ..opts.clone()
    };
    let skip = TemplateOptions {
        skip_schema_validation: true,
        ..opts.clone()
    };
    let one = |v: &Value| vec![v.clone()];
    let runs = [
        ("template, default values", one(&defaults), &opts),
        ("template, largest fixture", one(&fixture), &opts),
        ("template, every fixture in turn", cases, &opts),
        (
            "template, default values, no reuse of outputs",
            one(&defaults),
            &no_reuse,
        ),
        ("template, default values, no schema", one(&defaults), &skip),
    ];
    for (name, values, opts) in &runs {
        let mut turn = values.iter().cycle();
        g.bench_function(*name, |b| {
            b.iter(|| {
                chart
                    .template(turn.next().unwrap(), opts, &mut Warnings::new())
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
