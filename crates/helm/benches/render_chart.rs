//! In-process render of our chart (`chart/`) with default values: load once,
//! render many times (the library use case of test suites).

use std::path::Path;

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::coalesce::Warnings;
use criterion::{criterion_group, criterion_main, Criterion};
use gotmpl::{MapEntries, Value};

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../chart");
    let chart = LoadedChart::load(&dir, &mut Warnings::new()).expect("chart loads");
    let values = Value::map(MapEntries::new());
    let opts = TemplateOptions {
        release_name: "airflow".into(),
        namespace: "airflow".into(),
        ..Default::default()
    };
    let n = chart
        .template(&values, &opts, &mut Warnings::new())
        .unwrap()
        .stream
        .len();
    assert!(n > 10_000);
    let mut g = c.benchmark_group("chart");
    g.sample_size(20);
    g.bench_function("template airflow defaults", |b| {
        b.iter(|| {
            chart
                .template(&values, &opts, &mut Warnings::new())
                .unwrap()
        })
    });
    let skip = TemplateOptions {
        skip_schema_validation: true,
        ..opts.clone()
    };
    g.bench_function("template airflow defaults, no schema", |b| {
        b.iter(|| {
            chart
                .template(&values, &skip, &mut Warnings::new())
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
