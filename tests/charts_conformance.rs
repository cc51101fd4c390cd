//! Chart conformance (`tests/conformance/charts/`): tiny charts with values
//! files and flags (loading, values, dependencies, coalescing, schemas,
//! built-in objects), run through `chartgen template` exactly as the binary
//! runs it and compared byte for byte with what real helm v4.1.4 printed
//! (recorded by `scripts/conformance-charts.py`). See
//! `conformance::chart_cases`.

#[test]
fn charts_conformance() {
    conformance::chart_cases::run_chart_suite("charts");
}
