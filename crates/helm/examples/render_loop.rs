//! Renders a chart N times in one process (for profiling):
//! `cargo run --release -p chartgen-helm --example render_loop -- CHART N
//! [--skip-schema-validation] [--one-thread] [--no-reuse] [--cases DIR]`
//! (`--cases`: the values files in DIR in turn, instead of default values).

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
        reuse_outputs: !args.iter().any(|a| a == "--no-reuse"),
        ..Default::default()
    };
    let mut values = vec![Value::map(MapEntries::new())];
    if let Some(i) = args.iter().position(|a| a == "--cases") {
        let mut files: Vec<_> = std::fs::read_dir(&args[i + 1])
            .expect("cases directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        values = files
            .iter()
            .map(|p| chartgen_yaml::parse_map(&std::fs::read(p).unwrap()).expect("values parse"))
            .collect();
    }
    let mut bytes = 0;
    for v in values.iter().cycle().take(n) {
        // A case may fail (fixtures include invalid ones): its error counts.
        bytes += match chart.template(v, &opts, &mut Warnings::new()) {
            Ok(r) => r.stream.len(),
            Err(e) => e.message.len(),
        };
    }
    println!(
        "{n} renders, {bytes} bytes, {} outputs reused",
        chart.outputs_reused()
    );
}
