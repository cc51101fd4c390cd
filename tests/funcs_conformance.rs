//! Function conformance: sprig and helm functions as helm v4.1.4 runs them.

#[test]
fn funcs_match_helm() {
    // scripts/conformance.py runs helm with TZ=UTC and the date functions use
    // the local zone: pin it here too, before any function reads it.
    std::env::set_var("TZ", "UTC");
    conformance::run_suite("funcs", conformance::Runner::Helm);
}

/// Every function helm registers (the list the `registry` case proves helm
/// parses) must be registered here too.
#[test]
fn every_helm_function_is_registered() {
    let list = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/helm-functions.txt"),
    )
    .unwrap();
    let funcs = chartgen_helm::funcs::funcs();
    let missing: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|name| !funcs.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "helm registers functions we do not: {missing:?}"
    );
}
