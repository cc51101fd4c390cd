#!/usr/bin/env bash
# The project's test command: formatting, lints, the test suites, and the
# check that every recorded helm output is still exactly what helm prints.
set -euo pipefail
cd "$(dirname "$0")/.."

# Expected outputs must come from real helm v4.1.4.
if [ -z "${HELM:-}" ]; then
    HELM="$(scripts/fetch-helm.sh)"
fi
export HELM
python3 scripts/conformance.py --check
python3 scripts/conformance-yaml.py --check
python3 scripts/conformance-charts.py --check
python3 scripts/conformance-template.py --check
python3 scripts/conformance-bad-input.py --check

# The chart: helm lint, goldens still helm's, and every golden valid Kubernetes.
python3 scripts/fixtures.py --lint
python3 scripts/fixtures.py --check
python3 -c "import kubernetes_validate" 2>/dev/null || python3 -m pip install -q kubernetes-validate==1.37.0
python3 scripts/fixtures.py --validate

# Keep the build small on disk (CI machines can have little room): no
# incremental caches, line tables only for our own crates' debug info, and
# none in the optimised property-test build.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
export CARGO_PROFILE_RELEASE_DEBUG=0

# CI never writes insta snapshots of the CLI's output: a mismatch fails.
export INSTA_UPDATE=no

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked

# The chart property test, optimised: 1000 generated values combinations.
cargo test --release --locked -p conformance --test airflow_property
