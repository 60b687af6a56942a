#!/usr/bin/env bash
# Checks the CRDs in crds/ and the manifests in examples/ offline: structural schemas, descriptions, defaults,
# CEL rules (evaluated with cel-python), the bounds the apiserver's CEL cost estimator needs, and negative cases.
# Creates or reuses the git-ignored virtualenv .venv-tools/ for the Python tools it needs.
#
# Usage: scripts/check-crds.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-tools
requirements=checks/crds/requirements.txt
stamp="$venv/.crds-requirements"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# Reinstall only when the pinned requirements changed since the last install.
if ! cmp -s "$requirements" "$stamp"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi

exec "$venv/bin/python" -m pytest -p no:cacheprovider -q checks/crds "$@"
