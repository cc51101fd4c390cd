//! Renders a chart N times in one process (for profiling):
//! `cargo run --release -p chartgen-helm --example render_loop -- CHART N`.

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::coalesce::Warnings;
use gotmpl::{MapEntries, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let chart = LoadedChart::load(&args[1], &mut Warnings::new()).expect("chart loads");
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(50);
    let opts = TemplateOptions {
        skip_schema_validation: args.iter().any(|a| a == "--skip-schema-validation"),
        // One thread, so that a profiler sees the whole render in one place.
        one_thread: args.iter().any(|a| a == "--one-thread"),
        ..Default::default()
    };
    let values = Value::map(MapEntries::new());
    let mut bytes = 0;
    for _ in 0..n {
        bytes += chart
            .template(&values, &opts, &mut Warnings::new())
            .expect("renders")
            .stream
            .len();
    }
    println!("{n} renders, {bytes} bytes");
}
