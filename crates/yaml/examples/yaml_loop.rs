//! Measuring harness for YAML parsing cost (run under callgrind or dhat).
//!
//! `yaml_loop values FILE [N]`: `parse_values` on FILE, N times.
//! `yaml_loop heads FILE [N]`: FILE is a rendered manifest stream, split on
//! `\n---\n`; `parse_top_filtered_in` keeping apiVersion/kind/metadata
//! (name and annotations of it) runs on every document, N times (what
//! helm's kind sort reads of each manifest, as chartgen-helm asks for it).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: yaml_loop values|heads FILE [N]");
        return ExitCode::FAILURE;
    };
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = match std::fs::read(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // With PARSE_LOOP_DUMP set, every result is printed as JSON (to compare
    // two builds' outputs); with PARSE_LOOP_KEEP, results are never freed
    // (to count parsing alone, not the dropping of the values).
    let dump = std::env::var_os("PARSE_LOOP_DUMP").is_some();
    let keep_results = std::env::var_os("PARSE_LOOP_KEEP").is_some();
    let finish = |v: gotmpl::Value| {
        let t = usize::from(std::hint::black_box(&v).is_true());
        if keep_results {
            std::mem::forget(v);
        }
        t
    };
    let show = |v: &Result<gotmpl::Value, chartgen_yaml::Error>| {
        if dump {
            match v {
                Ok(v) => println!("{}", chartgen_yaml::to_json(v)),
                Err(e) => println!("error: {e} {:?}", e.span()),
            }
        }
    };
    let mut checksum = 0usize;
    match mode.as_str() {
        "values" => {
            for _ in 0..n {
                let r = chartgen_yaml::parse_values(&text);
                show(&r);
                match r {
                    Ok(v) => checksum += finish(v),
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
        }
        "heads" => {
            let docs: Vec<&[u8]> = split_docs(&text);
            let keep = |k: &str| {
                k.eq_ignore_ascii_case("apiversion")
                    || k.eq_ignore_ascii_case("kind")
                    || k.eq_ignore_ascii_case("metadata")
            };
            let keep_in = |top: &str, k: &str| {
                !top.eq_ignore_ascii_case("metadata")
                    || k.eq_ignore_ascii_case("name")
                    || k.eq_ignore_ascii_case("annotations")
            };
            for _ in 0..n {
                for d in &docs {
                    let r = chartgen_yaml::parse_top_filtered_in(d, &keep, &keep_in);
                    show(&r);
                    match r {
                        Ok(v) => checksum += finish(v),
                        Err(e) => checksum += e.message().len(),
                    }
                }
            }
            eprintln!("{} documents", docs.len());
        }
        _ => {
            eprintln!("unknown mode {mode}");
            return ExitCode::FAILURE;
        }
    }
    println!("{checksum}");
    ExitCode::SUCCESS
}

fn split_docs(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    // helm's split drops a leading separator.
    let mut rest = text.strip_prefix(b"---\n").unwrap_or(text);
    while let Some(p) = memchr::memmem::find(rest, b"\n---\n") {
        out.push(&rest[..p + 1]);
        rest = &rest[p + 5..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}
