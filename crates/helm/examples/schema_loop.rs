//! Validates a chart's default values against its schema N times, each
//! time from the schema's bytes as a command-line render does (for
//! profiling): `cargo run --release -p chartgen-helm --example schema_loop -- CHART N`.

use chartgen_helm::coalesce::coalesce_values;
use chartgen_helm::loader;
use gotmpl::{MapEntries, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let chart = loader::load(&args[1]).expect("chart loads");
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(20);
    let values = coalesce_values(&chart, &Value::map(MapEntries::new())).expect("values merge");
    let mut valid = 0;
    for _ in 0..n {
        valid += usize::from(chartgen_helm::schema::validate(&chart, &values).is_ok());
    }
    println!("{n} validations, {valid} valid");
}
