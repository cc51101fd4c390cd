//! The `helm template` conformance suite again, rendering every chart on one
//! thread (`CHARTGEN_THREADS=1`): each case's files then share one render
//! state, as they do when a render runs on few cores, so what one file's
//! execution leaves behind (reused `include` results, say) meets the next.

#[test]
fn template_conformance_one_thread() {
    // The only test in this binary: set before anything reads it.
    std::env::set_var("CHARTGEN_THREADS", "1");
    conformance::chart_cases::run_chart_suite("template");
}
