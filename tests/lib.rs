//! Shared harness for the template conformance suites (`conformance/<suite>/`):
//! every case is run the way helm runs it and compared with what real helm
//! printed (`conformance/<suite>/expected/`, produced by
//! `scripts/conformance.py`, never edited by hand).
//!
//! Each case is a chart with `templates/_case.tpl` (the case) and
//! `templates/out.yaml` = `out: {{ include "c/templates/_case.tpl" . | b64enc }}`,
//! so the raw text/template output survives helm's YAML handling. Here the
//! same two templates are parsed and executed with helm's engine options
//! (`missingkey=zero`, root template `gotpl`); `include` is a stand-in with
//! helm's semantics, `b64enc` a stand-in unless the suite's functions have it.

pub mod chart_cases;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chartgen_helm::errors::{format_exec_error, format_parse_error};
use gotmpl::{FuncMap, Function, MapEntries, MissingKey, TemplateSet, Type, Value};

const CASE_FILE: &str = "c/templates/_case.tpl";
const OUT_FILE: &str = "c/templates/out.yaml";
const OUT_TEMPLATE: &str = "out: {{ include \"c/templates/_case.tpl\" . | b64enc }}\n";
const CLI_ERROR_SUFFIX: &str = "\n\nUse --debug flag to render out invalid YAML\n";

pub struct Case {
    pub file: String,
    pub name: String,
    pub values: Option<String>,
    pub body: String,
}

pub fn suite_dir(suite: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("conformance")
        .join(suite)
}

pub fn parse_case_file(file: &str, text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut lines = text.split_inclusive('\n').peekable();
    // Skip the header up to the first case.
    while let Some(l) = lines.peek() {
        if l.starts_with("=== ") {
            break;
        }
        lines.next();
    }
    while let Some(header) = lines.next() {
        let name = header.trim_end_matches('\n')["=== ".len()..].to_string();
        let mut values = None;
        for l in lines.by_ref() {
            let l = l.trim_end_matches('\n');
            if l == "---" {
                break;
            }
            if let Some(v) = l.strip_prefix("values: ") {
                values = Some(v.to_string());
            }
        }
        let mut body = String::new();
        while let Some(l) = lines.peek() {
            if l.starts_with("=== ") {
                break;
            }
            body.push_str(l);
            lines.next();
        }
        if body.ends_with('\n') {
            body.pop();
        }
        cases.push(Case {
            file: file.to_string(),
            name,
            values,
            body,
        });
    }
    cases
}

fn helm_values_type() -> Type {
    Type::Map {
        elem: Type::shared(Type::Interface),
        name: Some("common.Values".into()),
    }
}

/// The stand-ins for helm's `include` and sprig's `b64enc`.
pub fn standin_funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.insert(
        "include",
        Function::new(vec![Type::String, Type::Interface], |call, args| {
            let name = args[0].as_str().unwrap_or_default().to_string();
            let mut out = gotmpl::gostr::Output::new();
            let set = call.set();
            set.execute_output_with(&name, &args[1], &mut out, call.ext())
                .map_err(|e| Box::new(e) as gotmpl::FuncError)?;
            Ok(out.into_value())
        }),
    );
    f.insert(
        "b64enc",
        Function::new(vec![Type::String], |_, args| {
            let s = args[0].as_bytes().unwrap_or_default();
            Ok(Value::from(
                base64::engine::general_purpose::STANDARD.encode(s),
            ))
        }),
    );
    f
}

/// What `helm template c` prints for the case: (exit, stdout, stderr).
pub fn render_like_helm(case: &Case, extra: &FuncMap) -> (i64, String, String) {
    let mut funcs = standin_funcs();
    funcs.extend(extra);
    let mut set = TemplateSet::new("gotpl", funcs);
    set.set_missing_key(MissingKey::Zero);
    let fail = |msg: String| (1, String::new(), format!("Error: {msg}{CLI_ERROR_SUFFIX}"));
    // Helm parses deeper paths first, then in reverse lexical order.
    for (file, text) in [(OUT_FILE, OUT_TEMPLATE), (CASE_FILE, case.body.as_str())] {
        if let Err(e) = set.parse(file, text) {
            return fail(format_parse_error(file, &e));
        }
    }
    let values = match &case.values {
        Some(v) => chartgen_yaml::parse_values(v.as_bytes()).expect("values parse as helm would"),
        None => Value::map(MapEntries::new()),
    };
    let values = match values {
        Value::Map(m) => Value::typed_map(helm_values_type(), (*m.entries()).clone()),
        other => other,
    };
    let mut top = MapEntries::new();
    top.insert("Values".into(), values);
    let data = Value::typed_map(helm_values_type(), top);
    let mut out = String::new();
    match set.execute(OUT_FILE, &data, &mut out) {
        Ok(()) => {
            let out = out.replace("<no value>", "");
            (
                0,
                format!("---\n# Source: {OUT_FILE}\n{}\n", out.trim_end()),
                String::new(),
            )
        }
        Err(e) => fail(format_exec_error(OUT_FILE, &e)),
    }
}

/// The same, through the Helm layer's engine (`chartgen_helm::engine::render`)
/// with every function helm registers.
pub fn render_with_helm_engine(case: &Case) -> (i64, String, String) {
    use chartgen_helm::engine::{render, values_type, EngineOptions, TemplateSource};
    let values = match &case.values {
        Some(v) => chartgen_yaml::parse_values(v.as_bytes()).expect("values parse as helm would"),
        None => Value::map(MapEntries::new()),
    };
    let values = match values {
        Value::Map(m) => Value::typed_map(values_type(), (*m.entries()).clone()),
        other => other,
    };
    let mut scope = MapEntries::new();
    scope.insert("Values".into(), values);
    let sources: Vec<TemplateSource> = [(OUT_FILE, OUT_TEMPLATE), (CASE_FILE, case.body.as_str())]
        .into_iter()
        .map(|(name, text)| TemplateSource {
            name: name.to_string(),
            text: text.into(),
            scope: scope.clone(),
            base_path: "c/templates".to_string(),
        })
        .collect();
    match render(&sources, &EngineOptions::default()) {
        Ok(files) => (
            0,
            format!(
                "---\n# Source: {OUT_FILE}\n{}\n",
                files[OUT_FILE].trim_end()
            ),
            String::new(),
        ),
        Err(e) => (1, String::new(), format!("Error: {e}{CLI_ERROR_SUFFIX}")),
    }
}

/// How a suite's cases are executed.
pub enum Runner<'a> {
    /// The bare engine with these functions plus the include/b64enc stand-ins.
    Engine(&'a FuncMap),
    /// The Helm layer's engine with all of helm's functions.
    Helm,
}

/// The bytes the case printed (they may be invalid UTF-8, compared exactly).
pub fn decode_out(stdout: &str) -> Option<Vec<u8>> {
    let line = stdout.lines().find_map(|l| l.strip_prefix("out:"))?;
    base64::engine::general_purpose::STANDARD
        .decode(line.trim())
        .ok()
}

fn show_out(stdout: &str) -> String {
    format!(
        "{:?}",
        decode_out(stdout)
            .unwrap_or_default()
            .escape_ascii()
            .to_string()
    )
}

/// Cases listed in `conformance/known-differences.txt` (`suite/topic/case`).
pub fn known_differences() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/known-differences.txt");
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Runs every case of a suite and panics listing each one that differs from
/// helm, unless it is a listed known difference (which must still differ).
pub fn run_suite(suite: &str, runner: Runner<'_>) {
    let dir = suite_dir(suite);
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("cases"))
        .expect("cases dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let known = known_differences();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in files {
        let topic = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let expected_path = dir.join("expected").join(format!("{topic}.json"));
        let expected: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
        )
        .unwrap();
        for case in parse_case_file(&topic, &text) {
            total += 1;
            let Some(exp) = expected.get(&case.name) else {
                failures.push(format!(
                    "{topic}/{}: no expected output recorded",
                    case.name
                ));
                continue;
            };
            let exp_exit = exp["exit"].as_i64().unwrap();
            let exp_stdout = exp["stdout"].as_str().unwrap();
            let exp_stderr = exp["stderr"].as_str().unwrap();
            let (exit, stdout, stderr) =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &runner {
                    Runner::Engine(funcs) => render_like_helm(&case, funcs),
                    Runner::Helm => render_with_helm_engine(&case),
                }))
                .unwrap_or_else(|_| (-1, String::new(), "PANIC".to_string()));
            let ok = if exp_exit == 0 {
                exit == 0 && decode_out(&stdout) == decode_out(exp_stdout)
            } else {
                exit == exp_exit && stderr == exp_stderr
            };
            let known = known.contains(&format!("{suite}/{topic}/{}", case.name));
            if ok && known {
                failures.push(format!(
                    "{topic}/{}: listed in known-differences.txt but now matches helm; remove it",
                    case.name
                ));
            }
            if !ok && !known {
                let got = if exit == 0 {
                    format!("output {}", show_out(&stdout))
                } else {
                    format!("exit {exit}: {stderr:?}")
                };
                let want = if exp_exit == 0 {
                    format!("output {}", show_out(exp_stdout))
                } else {
                    format!("exit {exp_exit}: {exp_stderr:?}")
                };
                failures.push(format!(
                    "{}/{}\n  template: {:?}\n  want {want}\n  got  {got}",
                    case.file, case.name, case.body
                ));
            }
        }
    }
    println!(
        "{suite} conformance: {} passed, {} failed",
        total - failures.len(),
        failures.len()
    );
    assert!(total > 0, "no conformance cases found");
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
