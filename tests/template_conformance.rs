//! `helm template` conformance (`tests/conformance/template/`): output
//! assembly (document splitting, kind order, hooks, CRDs, NOTES), every
//! offline flag, and errors and exit codes, run through `chartgen template`
//! exactly as the binary runs it and compared byte for byte (stdout, stderr,
//! exit code, files written) with what real helm v4.1.4 did (recorded by
//! `scripts/conformance-template.py`). See `conformance::chart_cases`.

#[test]
fn template_conformance() {
    conformance::chart_cases::run_chart_suite("template");
}
