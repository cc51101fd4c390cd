//! A seeded context makes every random function reproducible, a frozen
//! clock every time-dependent one; without them renders differ.

use chartgen_sprig::{Context, Determinism, Timestamp};
use gotmpl::{TemplateSet, Value};

/// One call of every random or clock-reading function sprig has.
const ALL: &str = r#"{{ randAlphaNum 12 }} {{ randAlpha 5 }} {{ randNumeric 5 }} {{ randAscii 5 }}
{{ randInt 0 1000000 }} {{ uuidv4 }} {{ shuffle "abcdefghijklmnop" }} {{ randBytes 12 }}
{{ bcrypt "pw" }} {{ htpasswd "user" "pw" }} {{ encryptAES "key" "text" }}
{{ genPrivateKey "ecdsa" }}{{ genPrivateKey "ed25519" }}
{{- $ca := genCA "ca" 365 }}{{ $ca.Cert }}{{ $ca.Key }}
{{- $c := genSignedCert "svc" (list "10.0.0.1") (list "svc.local") 30 $ca }}{{ $c.Cert }}{{ $c.Key }}
{{- $s := genSelfSignedCert "self" nil nil 10 }}{{ $s.Cert }}
{{- $k := genPrivateKey "ecdsa" }}{{ (genCAWithKey "ca2" 5 $k).Cert }}{{ (genSelfSignedCertWithKey "s2" nil nil 5 $k).Cert }}
{{ now }} {{ now | date "2006-01-02T15:04:05" }} {{ dateInZone "15:04" now "UTC" }} {{ htmlDate now }}
{{ ago (toDate "2006-01-02" "2020-01-01") }} {{ durationRound (toDate "2006-01-02" "2020-01-01") }} {{ date "2006" "x" }}
"#;

fn render(text: &str, d: &Determinism) -> String {
    let mut set = TemplateSet::new("t", chartgen_sprig::funcs());
    set.parse("t", text).unwrap();
    let mut out = String::new();
    let mut ctx = Context::new(d);
    set.execute_with("t", &Value::Nil, &mut out, &mut ctx)
        .unwrap();
    out
}

fn det(seed: Option<u64>, now: Option<&str>) -> Determinism {
    Determinism {
        seed,
        now: now.map(|n| Timestamp::parse_rfc3339(n).unwrap()),
    }
}

#[test]
fn seed_and_clock_make_every_function_reproducible() {
    let now = Some("2024-05-06T07:08:09Z");
    let a = render(ALL, &det(Some(1), now));
    let b = render(ALL, &det(Some(1), now));
    assert_eq!(a, b);
    assert!(a.contains("2024-05-06 07:08:09 +0000 UTC"), "{a}");
    assert!(a.contains("4y"), "{a}");
    assert_ne!(a, render(ALL, &det(Some(2), now)));
    assert_ne!(a, render(ALL, &det(Some(1), Some("2025-01-01T00:00:00Z"))));
}

#[test]
fn without_a_seed_renders_differ() {
    let t = "{{ randAlphaNum 20 }} {{ uuidv4 }}";
    assert_ne!(render(t, &det(None, None)), render(t, &det(None, None)));
    // No context threaded at all: the functions still work.
    let mut set = TemplateSet::new("t", chartgen_sprig::funcs());
    set.parse("t", t).unwrap();
    assert_eq!(set.render("t", &Value::Nil).unwrap().len(), 20 + 1 + 36);
}

#[test]
fn seeded_streams_advance_within_a_render() {
    let out = render(
        "{{ randAlphaNum 16 }} {{ randAlphaNum 16 }}",
        &det(Some(7), None),
    );
    let (x, y) = out.split_once(' ').unwrap();
    assert_ne!(x, y);
}

#[test]
fn frozen_clock_sets_certificate_validity() {
    // A certificate made "now" for 1 day, checked by its DER validity dates.
    let t = r#"{{ (genSelfSignedCert "x" nil nil 1).Cert }}"#;
    let pem = render(t, &det(Some(3), Some("2030-02-03T04:05:06Z")));
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let find = |needle: &[u8]| der.windows(needle.len()).any(|w| w == needle);
    assert!(find(b"300203040506Z"), "notBefore");
    assert!(find(b"300204040506Z"), "notAfter");
}
