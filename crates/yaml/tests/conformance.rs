//! Runs every case of tests/conformance/yaml through this crate and compares
//! with the output real helm v4.1.4 printed (see that directory's README).

use chartgen_yaml as y;
use gotmpl::Value;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/conformance/yaml"
    ))
}

struct Case {
    name: String,
    func: String,
    body: String,
}

fn decode_escapes(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(p) = rest.find("\\x{") {
        out.push_str(&rest[..p]);
        let after = &rest[p + 3..];
        match after.find('}') {
            Some(e)
                if (1..=6).contains(&e) && after[..e].chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                let v = u32::from_str_radix(&after[..e], 16).unwrap();
                out.push(char::from_u32(v).unwrap());
                rest = &after[e + 1..];
            }
            _ => {
                out.push_str("\\x{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn parse_cases(text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    let mut cases = Vec::new();
    while i < lines.len() && !lines[i].starts_with("=== ") {
        i += 1;
    }
    while i < lines.len() {
        let name = lines[i][4..].to_string();
        i += 1;
        let mut func = "values".to_string();
        if lines[i].starts_with("fn: ") {
            func = lines[i][4..].to_string();
            i += 1;
        }
        assert_eq!(lines[i], "---", "case {name}");
        i += 1;
        let start = i;
        while i < lines.len() && !lines[i].starts_with("=== ") {
            i += 1;
        }
        let mut body = lines[start..i].join("\n");
        if i < lines.len() {
            body.push('\n');
        }
        if body.ends_with('\n') {
            body.pop();
        }
        cases.push(Case {
            name,
            func,
            body: decode_escapes(&body),
        });
    }
    cases
}

fn b64decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        } as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

/// What helm printed: `Ok(output bytes)` or `Err(stderr)`.
fn expected(v: &Value) -> Result<Vec<u8>, String> {
    let m = v.as_map().unwrap();
    let exit = match m.get("exit").unwrap() {
        Value::Float(f) => *f as i64,
        _ => panic!("exit"),
    };
    let stdout = m.get("stdout").unwrap().as_str().unwrap().to_string();
    let stderr = m.get("stderr").unwrap().as_str().unwrap().to_string();
    if exit != 0 {
        return Err(stderr);
    }
    let line = stdout.lines().find(|l| l.starts_with("out:")).unwrap();
    let b64 = line.strip_prefix("out:").unwrap().trim();
    Ok(b64decode(b64))
}

fn get_v(values: &Value) -> Value {
    values
        .as_map()
        .and_then(|m| m.get("v").cloned())
        .unwrap_or(Value::Nil)
}

/// Our result for a case, in the same shape as `expected`.
fn actual(c: &Case) -> Result<Vec<u8>, String> {
    let load_err = |e: y::Error| format!("Error: cannot load values.yaml: {}\n", e.message());
    let out: String = match c.func.as_str() {
        "values" => {
            let v = y::parse_values(c.body.as_bytes()).map_err(load_err)?;
            y::to_json(&v)
        }
        "fromYaml" => y::to_json(&y::from_yaml(&c.body)),
        "fromYamlArray" => y::to_json(&y::from_yaml_array(&c.body)),
        "fromJson" => y::to_json(&y::from_json(&c.body)),
        "fromJsonArray" => y::to_json(&y::from_json_array(&c.body)),
        "fromToml" => y::to_json(&y::from_toml(&c.body)),
        f => {
            let values = y::parse_values(c.body.as_bytes()).map_err(load_err)?;
            let v = get_v(&values);
            let call_err = |e: y::Error| {
                format!(
                    "Error: template: c/templates/out.yaml:1:7: executing \"c/templates/out.yaml\" at <{f} .Values.v>: error calling {f}: {}\n",
                    e.message()
                )
            };
            match f {
                "toYaml" => y::to_yaml(&v),
                "mustToYaml" => y::must_to_yaml(&v).map_err(call_err)?,
                "toYamlPretty" => y::to_yaml_pretty(&v),
                "toJson" => y::to_json(&v),
                "mustToJson" => y::must_to_json(&v).map_err(call_err)?,
                "toRawJson" => y::to_raw_json(&v).map_err(call_err)?,
                "mustToRawJson" => y::must_to_raw_json(&v).map_err(call_err)?,
                "toPrettyJson" => y::to_pretty_json(&v),
                "mustToPrettyJson" => y::must_to_pretty_json(&v).map_err(call_err)?,
                "toToml" => y::to_toml(&v),
                other => panic!("unknown fn {other}"),
            }
        }
    };
    Ok(out.into_bytes())
}

#[test]
fn conformance_against_helm() {
    let dir = corpus();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().map(|x| x == "txt").unwrap_or(false))
        .collect();
    files.sort();
    let (mut pass, mut fail) = (0, 0);
    let mut report = String::new();
    let only = std::env::var("YAML_CASE").ok();
    for f in files {
        let topic = f.file_stem().unwrap().to_str().unwrap().to_string();
        let cases = parse_cases(&std::fs::read_to_string(&f).unwrap());
        let exp_text = std::fs::read(dir.join("expected").join(format!("{topic}.json"))).unwrap();
        let (exp, err) = y::json::unmarshal(&exp_text, y::json::Target::Map);
        assert!(err.is_none(), "{topic}: {err:?}");
        let exp = exp.as_map().unwrap().clone();
        for c in cases {
            if let Some(o) = &only {
                if !c.name.contains(o.as_str()) {
                    continue;
                }
            }
            let want = expected(
                exp.get(c.name.as_str())
                    .unwrap_or_else(|| panic!("no expected {}", c.name)),
            );
            let got = std::panic::catch_unwind(|| actual(&c));
            let got = match got {
                Ok(g) => g,
                Err(_) => Err("PANIC".to_string()),
            };
            if got == want {
                pass += 1;
            } else {
                fail += 1;
                let show = |r: &Result<Vec<u8>, String>| match r {
                    Ok(b) => format!("OK {:?}", String::from_utf8_lossy(b)),
                    Err(e) => format!("ERR {e:?}"),
                };
                report.push_str(&format!(
                    "FAIL {topic}/{}\n  want {}\n  got  {}\n",
                    c.name,
                    show(&want),
                    show(&got)
                ));
            }
        }
    }
    println!("{report}");
    println!("yaml conformance: {pass} passed, {fail} failed");
    assert_eq!(fail, 0, "{report}");
}
