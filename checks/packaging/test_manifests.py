"""The raw manifests in k8s/ (built by the real kustomize in kubectl) match the chart's default rendering."""

from __future__ import annotations

import pytest
import yaml

import contract
from conftest import NAMESPACE, ROOT

# Labels only Helm adds (the chart version and the managing tool).
HELM_ONLY_LABELS = {"helm.sh/chart", "app.kubernetes.io/managed-by"}


def without_helm_labels(labels: dict) -> dict:
    return {k: v for k, v in labels.items() if k not in HELM_ONLY_LABELS}


def pod_spec(rendering) -> dict:
    return rendering.one("Deployment")["spec"]["template"]["spec"]


def test_kustomize_builds_the_same_kinds_as_the_chart_plus_namespace_and_crds(kustomize_rendering, default_rendering):
    expected = sorted(default_rendering.kinds() + ["Namespace", "CustomResourceDefinition", "CustomResourceDefinition"])
    assert kustomize_rendering.kinds() == expected


def test_kustomize_crds_are_the_repository_crds(kustomize_rendering):
    for crd in kustomize_rendering.all("CustomResourceDefinition"):
        plural = crd["spec"]["names"]["plural"]
        source = {"flinkjobs": "flinkjob.yaml", "flinksessionclusters": "flinksessioncluster.yaml"}[plural]
        assert crd == yaml.safe_load((ROOT / "crds" / source).read_text())


def test_every_namespaced_object_lands_in_the_operator_namespace(kustomize_rendering):
    assert kustomize_rendering.one("Namespace")["metadata"]["name"] == NAMESPACE
    for obj in kustomize_rendering.objects:
        if obj["kind"] in ("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"):
            assert "namespace" not in obj["metadata"], obj["metadata"]
        else:
            assert obj["metadata"]["namespace"] == NAMESPACE, (obj["kind"], obj["metadata"])


@pytest.mark.parametrize("kind", ["ClusterRole", "Role"])
def test_rbac_rules_are_the_charts(kustomize_rendering, default_rendering, kind):
    ours = {o["metadata"]["name"]: o["rules"] for o in kustomize_rendering.all(kind)}
    chart = {o["metadata"]["name"]: o["rules"] for o in default_rendering.all(kind)}
    assert ours == chart


@pytest.mark.parametrize("kind", ["ClusterRoleBinding", "RoleBinding"])
def test_bindings_are_the_charts(kustomize_rendering, default_rendering, kind):
    ours = {o["metadata"]["name"]: (o["roleRef"], o["subjects"]) for o in kustomize_rendering.all(kind)}
    chart = {o["metadata"]["name"]: (o["roleRef"], o["subjects"]) for o in default_rendering.all(kind)}
    assert ours == chart


def test_cluster_rules_are_the_contract(kustomize_rendering):
    rules: dict[tuple[str, str], set[str]] = {}
    for rule in kustomize_rendering.one("ClusterRole")["rules"]:
        for group in rule["apiGroups"]:
            for resource in rule["resources"]:
                rules.setdefault((group, resource), set()).update(rule["verbs"])
    assert rules == contract.CLUSTER_RULES


def test_container_is_the_charts(kustomize_rendering, default_rendering):
    ours = pod_spec(kustomize_rendering)["containers"][0]
    chart = pod_spec(default_rendering)["containers"][0]
    for field in ("name", "image", "imagePullPolicy", "args", "env", "ports", "securityContext", "resources",
                  "livenessProbe", "readinessProbe", "startupProbe", "volumeMounts"):
        assert ours[field] == chart[field], field
    assert set(ours) == set(chart)


def test_pod_and_deployment_settings_are_the_charts(kustomize_rendering, default_rendering):
    ours, chart = pod_spec(kustomize_rendering), pod_spec(default_rendering)
    for field in ("serviceAccountName", "automountServiceAccountToken", "terminationGracePeriodSeconds",
                  "securityContext", "affinity"):
        assert ours[field] == chart[field], field
    ours_volumes = {v["name"]: v for v in ours["volumes"]}
    chart_volumes = {v["name"]: v for v in chart["volumes"]}
    assert ours_volumes["tmp"] == chart_volumes["tmp"]
    # kustomize appends a content hash to the generated ConfigMap's name and rewrites the reference.
    configmap = kustomize_rendering.one("ConfigMap")["metadata"]["name"]
    assert configmap.startswith("flink-job-controller-config-")
    assert ours_volumes["config"]["configMap"]["name"] == configmap
    ours_deployment = kustomize_rendering.one("Deployment")["spec"]
    chart_deployment = default_rendering.one("Deployment")["spec"]
    for field in ("replicas", "selector", "strategy", "revisionHistoryLimit"):
        assert ours_deployment[field] == chart_deployment[field], field
    pod_labels = kustomize_rendering.one("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert pod_labels == without_helm_labels(default_rendering.one("Deployment")["spec"]["template"]["metadata"]["labels"])


def test_config_file_is_the_charts(kustomize_rendering, default_rendering):
    ours = yaml.safe_load(kustomize_rendering.one("ConfigMap")["data"]["config.yaml"])
    chart = yaml.safe_load(default_rendering.one("ConfigMap")["data"]["config.yaml"])
    assert ours == chart


@pytest.mark.parametrize("kind", ["Service", "PodDisruptionBudget", "ServiceAccount"])
def test_other_objects_are_the_charts(kustomize_rendering, default_rendering, kind):
    ours, chart = kustomize_rendering.one(kind), default_rendering.one(kind)
    assert ours.get("spec") == chart.get("spec")
    assert ours["metadata"]["name"] == chart["metadata"]["name"]
    assert ours["metadata"]["labels"] == without_helm_labels(chart["metadata"]["labels"])


@pytest.mark.parametrize("kind", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap"])
def test_labels_are_the_charts(kustomize_rendering, default_rendering, kind):
    for ours in kustomize_rendering.all(kind):
        chart = default_rendering.all(kind)
        match = [c for c in chart if ours["metadata"]["name"].startswith(c["metadata"]["name"])]
        assert len(match) == 1, ours["metadata"]["name"]
        assert ours["metadata"]["labels"] == without_helm_labels(match[0]["metadata"]["labels"])


def test_namespace_enforces_the_restricted_pod_security_standard(kustomize_rendering):
    labels = kustomize_rendering.one("Namespace")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_kustomize_objects_validate_against_the_kubernetes_schemas(kustomize_rendering):
    import kubernetes_validate

    for obj in kustomize_rendering.objects:
        kubernetes_validate.validate(obj, "1.29.0", strict=True)
