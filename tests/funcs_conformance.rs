//! Function conformance: sprig and helm functions as helm v4.1.4 runs them.

#[test]
fn funcs_match_helm() {
    conformance::run_suite("funcs", conformance::Runner::Helm);
}
