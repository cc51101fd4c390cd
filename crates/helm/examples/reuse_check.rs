//! Checks the reuse of outputs across renders on a real chart: renders it
//! with each set of values in turn, twice over, on one loaded chart, and
//! compares every result with a render of a freshly loaded chart.
//!
//! `cargo run --release -p chartgen-helm --example reuse_check -- CHART [SETS…]`
//! where each SETS is a `--set` string (`a=1,b.c=x`); `-` is the default
//! values. Prints the outputs reused and exits non-zero on a difference.

use chartgen_helm::action::{LoadedChart, TemplateError, TemplateOptions};
use chartgen_helm::coalesce::Warnings;
use chartgen_helm::release::Rendered;
use chartgen_helm::values::{merge_user_values, UserValues};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((chart_dir, sets)) = args.split_first() else {
        eprintln!("usage: reuse_check CHART [SETS…]");
        std::process::exit(2);
    };
    let mut sets = sets.to_vec();
    if sets.is_empty() {
        sets.push("-".into());
    }
    let values: Vec<_> = sets
        .iter()
        .map(|s| {
            let mut user = UserValues::new();
            if s != "-" {
                user.values.push(s.clone());
            }
            merge_user_values(&user).expect("valid --set")
        })
        .collect();
    // Random functions give the same values in both renders.
    let opts = TemplateOptions {
        determinism: chartgen_sprig::Determinism {
            seed: Some(1),
            now: Some(
                chartgen_sprig::Timestamp::parse_rfc3339("2024-01-02T03:04:05Z").expect("valid"),
            ),
        },
        reuse_outputs: std::env::var_os("NO_REUSE").is_none(),
        ..TemplateOptions::default()
    };
    let load = || LoadedChart::load(chart_dir, &mut Warnings::new()).expect("chart loads");
    let result = |r: Result<Rendered, TemplateError>| match r {
        Ok(r) => Ok(r.stream),
        Err(e) => Err(e.message),
    };
    let chart = load();
    let mut differences = 0;
    for round in 0..2 {
        for (set, v) in sets.iter().zip(&values) {
            let got = result(chart.template(v, &opts, &mut Warnings::new()));
            let expected = result(load().template(v, &opts, &mut Warnings::new()));
            if got != expected {
                differences += 1;
                eprintln!("DIFFERENT: round {round}, values {set}");
                if let Some(dir) = std::env::var_os("DIFF_DIR") {
                    let dir = std::path::Path::new(&dir);
                    let show = |r: &Result<String, String>| match r {
                        Ok(s) => s.clone(),
                        Err(e) => format!("ERROR {e}"),
                    };
                    std::fs::write(dir.join(format!("{differences}.got")), show(&got)).unwrap();
                    std::fs::write(dir.join(format!("{differences}.want")), show(&expected))
                        .unwrap();
                }
            }
        }
    }
    println!(
        "{} renders, {} outputs reused, {differences} different",
        sets.len() * 2,
        chart.outputs_reused()
    );
    if differences > 0 {
        std::process::exit(1);
    }
}
