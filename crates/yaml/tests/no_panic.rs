//! A small in-tree fuzz loop (the libFuzzer target lives in fuzz/): random
//! YAML-ish byte strings never panic, and what parses survives toYaml.

use chartgen_yaml as y;

const ATOMS: &[&[u8]] = &[
    b"a",
    b"b: ",
    b": ",
    b"- ",
    b"\n",
    b"  ",
    b"\t",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"&x ",
    b"*x",
    b"&y ",
    b"*y",
    b"<<: ",
    b"!!binary ",
    b"!!int ",
    b"!t ",
    b"|",
    b">",
    b"|-",
    b"'",
    b"\"",
    b"\\",
    b"#",
    b"---",
    b"...",
    b"%YAML 1.1",
    b"? ",
    b"yes",
    b"0x",
    b"1e400",
    b".inf",
    b"~",
    b"null",
    b"2024-01-01",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\x00",
    b"\r\n",
    b"\xc2\x85",
    b"\xf0\x9f\x98\x80",
    b"word word ",
    b"9",
    b"10",
];

#[test]
fn random_inputs_never_panic() {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let n = next() % 24;
        let mut data = Vec::new();
        for _ in 0..n {
            data.extend_from_slice(ATOMS[(next() % ATOMS.len() as u64) as usize]);
        }
        if let Ok(v) = y::parse_values(&data) {
            let _ = y::to_yaml(&v);
            let _ = y::to_yaml_pretty(&v);
            let _ = y::to_toml(&v);
            let _ = y::to_pretty_json(&v);
        }
        let _ = y::parse(&data);
        if let Ok(s) = std::str::from_utf8(&data) {
            let _ = y::from_yaml_array(s);
            let _ = y::from_json(s);
            let _ = y::from_toml(s);
        }
    }
}

#[test]
fn billion_laughs_fails_fast() {
    let mut doc = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 10].join(",");
        doc.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    let start = std::time::Instant::now();
    let err = y::parse_values(doc.as_bytes()).unwrap_err();
    assert!(
        err.message()
            .ends_with("yaml: document contains excessive aliasing"),
        "{err}"
    );
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn spans_point_into_the_source() {
    let v = y::parse_values_spanned(b"a: 1\nb:\n  c: [x, y]\n---\nd: 2\n").unwrap();
    let c = v.get_path(&["b", "c"]).unwrap();
    assert_eq!((c.span.line, c.span.column), (3, 6));
    let d = v.get_path(&["d"]).unwrap();
    assert_eq!(d.span.line, 5);
    let err = y::parse_values(b"a: 1\nb: 2\nc: d: e\n").unwrap_err();
    assert_eq!(err.span().map(|s| s.line), Some(3));
}

const TOML_ATOMS: &[&[u8]] = &[
    b"a",
    b"b",
    b" = ",
    b"=",
    b"1",
    b"0",
    b"_",
    b".",
    b"[",
    b"]",
    b"[[",
    b"]]",
    b"{",
    b"}",
    b",",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"#",
    b"\"",
    b"'",
    b"\"\"\"",
    b"'''",
    b"\\",
    b"\\u",
    b"\\U",
    b"\\x",
    b"e",
    b"+",
    b"-",
    b":",
    b"T",
    b"z",
    b"true",
    b"inf",
    b"nan",
    b"1979-05-27",
    b"07:32",
    b"0x",
    b"0b",
    b"0o",
    b"\xc3\xa9",
    b"\x01",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"a.b",
    b"a = {b = 1}\n",
    b"a = [1]\n",
    b"9223372036854775808",
    b"1e400",
    b"\\ ",
];

/// `fromToml` on random TOML-ish text (invalid bytes marked as a Go string
/// arrives) never panics, and deep nesting is an error, not a crash.
#[test]
fn random_toml_never_panics() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..30_000 {
        let n = next() % 16;
        let mut data = Vec::new();
        for _ in 0..n {
            data.extend_from_slice(TOML_ATOMS[(next() % TOML_ATOMS.len() as u64) as usize]);
        }
        let _ = y::from_toml(&gotmpl::gostr::marked(&data));
    }
    // Values nest as deep as the limit: dropping them takes the deep stacks
    // helm's render threads have.
    let deep = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let depth_err = |doc: String| {
                let e = y::to_json(&y::from_toml(&doc));
                assert!(e.ends_with("exceeded max depth of 10000\"}"), "{e}");
            };
            depth_err(format!("a = {}", "[".repeat(200_000)));
            depth_err(format!("a = {}", "[{a = ".repeat(10)) + &"[".repeat(10_000));
            let v = y::from_toml(&format!("a = {}1{}", "{b = ".repeat(500), "}".repeat(500)));
            assert!(!y::to_json(&v).contains("Error"));
            let v = y::from_toml(&format!("a = {}1{}", "[".repeat(9_999), "]".repeat(9_999)));
            assert!(!y::to_json(&v).contains("Error"));
        })
        .unwrap();
    deep.join().unwrap();
}
