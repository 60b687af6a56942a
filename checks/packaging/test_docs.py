"""The packaging docs name what the chart and the contract define (they drift otherwise)."""

from __future__ import annotations

import re

import yaml

import contract
from conftest import CHART, ROOT
from test_chart import alert_rules

DOCS = ROOT / "docs"


def test_metrics_doc_lists_every_contract_metric():
    text = (DOCS / "metrics-and-alerts.md").read_text()
    documented = set(re.findall(r"`([a-z_]+)`", text))
    assert contract.METRICS <= documented, contract.METRICS - documented


def test_metrics_doc_lists_every_shipped_alert(all_on_rendering):
    text = (DOCS / "metrics-and-alerts.md").read_text()
    for alert in alert_rules(all_on_rendering):
        assert re.search(rf"\|\s*(\*\*)?{alert}(\*\*)?\s*\|", text), alert


def test_install_doc_names_every_top_level_value():
    text = (DOCS / "install.md").read_text()
    for key in yaml.safe_load((CHART / "values.yaml").read_text()):
        if key in ("nameOverride", "fullnameOverride", "imagePullSecrets", "port", "service",
                   "terminationGracePeriodSeconds"):
            continue
        assert f"`{key}" in text, key


def test_install_doc_rbac_table_has_every_contract_rule():
    text = (DOCS / "install.md").read_text()
    for (_, resource) in contract.CLUSTER_RULES:
        assert f"`{resource}`" in text, resource
    assert "`leases`" in text and "`secrets`" in text


def test_argocd_doc_uses_the_argocd_cm_keys_of_the_patch():
    text = (DOCS / "argocd.md").read_text()
    patch = yaml.safe_load((ROOT / "argocd" / "argocd-cm-health.yaml").read_text())
    for key in patch["data"]:
        assert key in text, key
