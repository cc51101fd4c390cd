//! Inputs the fuzzer (`fuzz/fuzz_targets/template.rs`) once broke: each must
//! render (or fail cleanly) exactly as the fuzz target runs it.

use gotmpl::{FuncMap, MissingKey, TemplateSet, Value, ValueLimits};

fn run(text: &str) -> Result<String, String> {
    let mut set = TemplateSet::new("fuzz", FuncMap::new());
    set.set_missing_key(MissingKey::Zero);
    set.set_step_limit(Some(100_000));
    set.parse("t", text).map_err(|e| e.to_string())?;
    set.render("t", &Value::Invalid).map_err(|e| e.to_string())
}

/// `%.914159f`: a precision beyond Rust's formatter limit used to panic.
#[test]
fn huge_precision_pads_like_go() {
    let text = include_str!("fuzz-regressions/huge-precision.tmpl");
    // Expected text from Go 1.25's text/template.
    assert_eq!(
        run(text).unwrap(),
        "[     i      %! (float64=3.14158999999999988261834005243144929409027099609375)2.0 2.  2f][ 3.14]]e[].2)8%!(EXTRA float64=2, float64=2, float64=-1.5, float64=1234.5)"
    );
}

/// A 6666666-wide bad verb on a float, 31 times: Go pads every one (206 MB,
/// the length Go 1.25 prints);
/// padding used to be inserted 32 bytes at a time, quadratically.
#[test]
fn wide_padding_is_linear() {
    let text = include_str!("fuzz-regressions/wide-bad-verb-float.tmpl");
    let out = run(text).unwrap();
    assert_eq!(out.len(), 206_671_544);
}

/// `{{ template "t" printf "%%T:v" . . }}` inside "t": every level's dot is
/// the previous one printed twice, so 200 levels would need 2^200 bytes (Go
/// runs out of memory too). The value limits stop it at the first oversized
/// string.
#[test]
fn recursive_template_doubling_its_dot_is_bounded() {
    let text = include_str!("fuzz-regressions/recursive-template-doubling-dot.tmpl");
    let mut set = TemplateSet::new("fuzz", FuncMap::new());
    set.set_missing_key(MissingKey::Invalid);
    set.set_step_limit(Some(100_000));
    set.set_max_depth(200);
    set.set_output_limit(Some(1 << 20));
    set.set_value_limits(Some(ValueLimits {
        max_string_bytes: 1 << 20,
        max_list_items: 100_000,
    }));
    set.parse("t", text).unwrap();
    assert_eq!(
        set.render("t", &Value::Invalid).unwrap_err().to_string(),
        r#"template: t:1:24: executing "t" at <printf "%%T:v" . .>: error calling printf: arguments of 1834953 bytes exceed chartgen's limit of 1048576 bytes"#
    );
}
