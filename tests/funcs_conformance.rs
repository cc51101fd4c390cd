//! Function conformance: sprig and helm functions as helm v4.1.4 runs them.

#[test]
fn funcs_match_helm() {
    // scripts/conformance.py runs helm with TZ=UTC and the date functions use
    // the local zone: pin it here too, before any function reads it.
    std::env::set_var("TZ", "UTC");
    conformance::run_suite("funcs", conformance::Runner::Helm);
}
