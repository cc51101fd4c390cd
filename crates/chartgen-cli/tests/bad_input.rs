//! The bad-input corpus (`tests/conformance/bad-input/`): malformed charts,
//! values, templates and arguments, each run through the real `chartgen`
//! binary twice — as written, and with `--output-dir out` added — and
//! compared byte for byte (stdout, stderr with its locations, exit code,
//! files written) with what real helm v4.1.4 did, recorded by
//! `scripts/conformance-bad-input.py`. Cases marked `chartgen-only` (limits
//! helm lacks, inputs that crash helm) carry chartgen's expected exit code
//! and stderr themselves, and must print and write nothing.
//!
//! Every case must also end in a clean exit: no panic, no signal (stack
//! overflow, abort), within a time bound.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use conformance::chart_cases::{
    describe, expected_outcome, parse_cases, run_case_with, Outcome, Spec,
};

const SUITE: &str = "bad-input";
/// No case may take longer than this (a hang is a bug).
const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs the built `chartgen template ARGS` in `cwd`.
fn run_binary(args: &[String], cwd: &Path, stdin: Vec<u8>) -> chartgen::Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .arg("template")
        .args(args)
        .current_dir(cwd)
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chartgen");
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        // chartgen does not read stdin unless asked to: a closed pipe is fine.
        let _ = input.write_all(&stdin);
    });
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for chartgen") {
            break Some(s);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = feeder.join();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let mut stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    let exit = match status {
        Some(s) => match s.code() {
            Some(c) => c,
            None => {
                use std::os::unix::process::ExitStatusExt;
                stderr.push_str(&format!("KILLED BY SIGNAL {:?}", s.signal()));
                -1
            }
        },
        None => {
            stderr.push_str("TIMED OUT");
            -1
        }
    };
    chartgen::Outcome {
        exit,
        stdout,
        stderr,
        ..Default::default()
    }
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> String {
    let skip = s.chars().count().saturating_sub(n);
    s.chars().skip(skip).collect()
}

/// Problems no case may show, whatever helm did.
fn crash_signs(got: &Outcome) -> Option<String> {
    if got.exit < 0 || got.exit == 101 || got.stderr.contains("panicked at") {
        Some(format!(
            "  crashed (exit {}): {}\n",
            got.exit,
            got.stderr.chars().take(2000).collect::<String>()
        ))
    } else {
        None
    }
}

fn check_case(
    topic: &str,
    name: &str,
    spec: &Spec,
    expected: Option<&serde_json::Value>,
) -> Option<String> {
    let plain = run_case_with(SUITE, spec, &[], &run_binary);
    let out_dir = run_case_with(SUITE, spec, &["--output-dir", "out"], &run_binary);
    let mut diff = String::new();
    for got in [&plain, &out_dir] {
        if let Some(c) = crash_signs(got) {
            diff.push_str(&c);
        }
    }
    let (want_plain, want_out_dir) = match (&spec.chartgen_only, expected) {
        (Some(own), _) => {
            let want = Outcome {
                exit: own.exit,
                stdout: String::new(),
                stderr: own.stderr.clone(),
                files: BTreeMap::new(),
            };
            if own.stderr_is_suffix {
                // Compare the end of stderr only; the rest must be an error.
                for got in [&plain, &out_dir] {
                    let ok = got.stderr.starts_with("Error: ") && got.stderr.ends_with(&own.stderr);
                    if !ok
                        || got.exit != own.exit
                        || !got.stdout.is_empty()
                        || !got.files.is_empty()
                    {
                        diff.push_str(&format!(
                            "  want exit {}, no output, stderr ending {:?}\n  got exit {}, stdout {:?}, files {:?}, stderr ending {:?}\n",
                            own.exit,
                            own.stderr,
                            got.exit,
                            got.stdout,
                            got.files.keys().collect::<Vec<_>>(),
                            tail(&got.stderr, own.stderr.chars().count() + 200)
                        ));
                    }
                }
                return (!diff.is_empty()).then_some(diff);
            }
            if own.stdout.is_empty() {
                (want.clone(), want)
            } else {
                // A chart that renders: with --output-dir its one template
                // is written under out/ instead of printed.
                let mut files = BTreeMap::new();
                let source = own.stdout.lines().nth(1).unwrap_or_default();
                let source = source.strip_prefix("# Source: ").unwrap_or(source);
                files.insert(format!("out/{source}"), own.stdout.clone());
                let written = Outcome {
                    stdout: format!("wrote out/{source}\n\n"),
                    files,
                    ..want.clone()
                };
                let printed = Outcome {
                    stdout: own.stdout.clone(),
                    ..want
                };
                (printed, written)
            }
        }
        (None, Some(exp)) => (expected_outcome(exp), expected_outcome(&exp["output_dir"])),
        (None, None) => return Some(format!("{topic}/{name}: no expected output recorded\n")),
    };
    for (what, want, got) in [
        ("as written", &want_plain, &plain),
        ("with --output-dir out", &want_out_dir, &out_dir),
    ] {
        if want != got {
            diff.push_str(&format!("  {what}:\n{}", describe(want, got)));
        }
    }
    (!diff.is_empty()).then_some(diff)
}

#[test]
fn bad_input_corpus() {
    let dir = conformance::suite_dir(SUITE);
    let mut topics: Vec<_> = std::fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    topics.sort();
    let only = std::env::var("CASE").ok();
    let known = conformance::known_differences();
    let mut jobs = Vec::new();
    let mut failing_writes_nothing = 0;
    for path in topics {
        let topic = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected").join(format!("{topic}.json")))
                .unwrap_or_else(|e| panic!("{SUITE}/expected/{topic}.json: {e}")),
        )
        .unwrap();
        for (name, spec) in parse_cases(&std::fs::read_to_string(&path).unwrap()) {
            // The corpus's promise, checked on the recorded outcomes too: a
            // failure writes no files (helm's one exception, --show-only
            // after --output-dir, is recorded as helm does it).
            let exp = expected.get(&name).cloned();
            if let Some(e) = &exp {
                let o = &e["output_dir"];
                if o["exit"].as_i64() != Some(0) && o.get("files").is_none() {
                    failing_writes_nothing += 1;
                }
            } else if spec.chartgen_only.is_some() {
                failing_writes_nothing += 1;
            }
            if only.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            jobs.push((topic.clone(), name, spec, exp));
        }
    }
    let total = jobs.len();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(4)
        .clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(String, Option<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some((topic, name, spec, exp)) = jobs.get(i) else {
                            break;
                        };
                        let id = format!("{SUITE}/{topic}/{name}");
                        out.push((id, check_case(topic, name, spec, exp.as_ref())));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    for (id, diff) in &results {
        let listed = known.contains(id);
        match diff {
            Some(d) if !listed || d.contains("crashed") => failures.push(format!("{id}:\n{d}")),
            None if listed => failures.push(format!(
                "{id}: listed in known-differences.txt but now matches helm; remove it"
            )),
            _ => {}
        }
    }
    eprintln!(
        "bad-input corpus: {} of {total} cases as expected ({failing_writes_nothing} failing cases that write nothing)",
        total - failures.len()
    );
    assert!(
        only.is_some() || total >= 60,
        "the corpus should hold at least 60 cases"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
