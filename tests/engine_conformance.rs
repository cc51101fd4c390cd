//! Engine conformance: Go text/template semantics as helm v4.1.4 shows them.

#[test]
fn engine_matches_helm() {
    conformance::run_suite("engine", &gotmpl::FuncMap::new());
}
