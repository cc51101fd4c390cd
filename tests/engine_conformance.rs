//! Engine conformance: Go text/template semantics as helm v4.1.4 shows them,
//! run on the bare engine (Go's builtins only).

#[test]
fn engine_matches_helm() {
    conformance::run_suite(
        "engine",
        conformance::Runner::Engine(&gotmpl::FuncMap::new()),
    );
}

/// The same cases through the Helm layer's engine, with every helm function registered.
#[test]
fn engine_cases_match_helm_through_helm_engine() {
    conformance::run_suite("engine", conformance::Runner::Helm);
}
