"""Writes the files that are copies of others: the chart's CRDs and the argocd-cm patch of the health checks.

Usage: python checks/packaging/sync.py   (scripts/check-packaging.sh --sync runs it; tests check the copies)
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEALTH = ROOT / "argocd" / "health"
PATCH = ROOT / "argocd" / "argocd-cm-health.yaml"
CHART_CRDS = ROOT / "helm" / "flink-job-controller" / "crds"


def argocd_cm_patch() -> str:
    """The argocd-cm ConfigMap patch carrying every argocd/health/<group>/<kind>/health.lua verbatim."""
    lines = [
        "# Generated from argocd/health/*/*/health.lua by checks/packaging/sync.py (scripts/check-packaging.sh --sync);",
        "# do not edit. Merge into Argo CD's argocd-cm, e.g. kubectl -n argocd patch configmap argocd-cm",
        "# --type merge --patch-file argocd/argocd-cm-health.yaml (docs/argocd.md).",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: argocd-cm",
        "  namespace: argocd",
        "  labels:",
        "    app.kubernetes.io/name: argocd-cm",
        "    app.kubernetes.io/part-of: argocd",
        "data:",
    ]
    for script in sorted(HEALTH.glob("*/*/health.lua")):
        group, kind = script.parent.parent.name, script.parent.name
        lines.append(f"  resource.customizations.health.{group}_{kind}: |")
        for line in script.read_text().splitlines():
            lines.append(f"    {line}" if line else "")
    return "\n".join(lines) + "\n"


def main() -> None:
    for crd in sorted((ROOT / "crds").glob("*.yaml")):
        shutil.copyfile(crd, CHART_CRDS / crd.name)
    PATCH.write_text(argocd_cm_patch())
    print(f"synced {CHART_CRDS.relative_to(ROOT)}/ and {PATCH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
