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
