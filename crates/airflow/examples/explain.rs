//! `cargo run -p chartgen-airflow --example explain -- securityContext scheduler values.yaml`
//! `cargo run -p chartgen-airflow --example explain -- secrets values.yaml`
//! `cargo run -p chartgen-airflow --example explain -- generate SEED` (a generated property case)

use chartgen_airflow::{explain_secrets, explain_security_context, Values, Workload};

fn load(path: &str) -> Values {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Values::from_user_yaml(&text, "airflow", "airflow").unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["securityContext", w, file] => {
            let w: Workload = w.parse().unwrap_or_else(|e| panic!("{e}"));
            print!("{}", explain_security_context(&load(file), w));
        }
        ["secrets", file] => print!("{}", explain_secrets(&load(file))),
        ["generate", seed] => {
            let v = chartgen_airflow::property::generate_values(seed.parse().unwrap());
            print!("{}", chartgen_yaml::marshal_yaml(&v).unwrap());
        }
        _ => {
            eprintln!("usage: explain securityContext WORKLOAD FILE | secrets FILE | generate SEED")
        }
    }
}
