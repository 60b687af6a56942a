"""The Helm chart, linted and rendered by the real helm binary: objects, RBAC, security, probes, config, alerts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import promql_parser
import pytest
import yaml

import contract
from conftest import ALL_ON_VALUES, CHART, NAMESPACE, ROOT, run

# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------


def rule_map(rules: list[dict], allow_resource_names: bool = False) -> dict[tuple[str, str], set[str]]:
    """(apiGroup, resource) -> union of verbs; refuses wildcards (and resourceNames unless allowed)."""
    result: dict[tuple[str, str], set[str]] = {}
    for rule in rules:
        assert "nonResourceURLs" not in rule, rule
        if not allow_resource_names:
            assert "resourceNames" not in rule, rule
        for group in rule["apiGroups"]:
            for resource in rule["resources"]:
                assert "*" not in (group, resource) and "*" not in rule["verbs"], f"wildcard in {rule}"
                result.setdefault((group, resource), set()).update(rule["verbs"])
    return result


def container(rendering) -> dict:
    pod = rendering.one("Deployment")["spec"]["template"]["spec"]
    assert len(pod["containers"]) == 1
    return pod["containers"][0]


def alert_rules(rendering) -> dict[str, dict]:
    rules: dict[str, dict] = {}
    for group in rendering.one("PrometheusRule")["spec"]["groups"]:
        for rule in group["rules"]:
            assert rule["alert"] not in rules, f"duplicate alert {rule['alert']}"
            rules[rule["alert"]] = rule
    return rules


def selectors(expression: str) -> list[tuple[str, dict[str, str]]]:
    """(metric name, {label: value}) of every vector selector in a PromQL expression (parsed for real)."""
    found: list[tuple[str, dict[str, str]]] = []

    def visit(node):
        if isinstance(node, promql_parser.VectorSelector):
            labels = {m.name: m.value for m in node.matchers.matchers if m.name != "__name__"}
            found.append((node.name, labels))

    promql_parser.walk(promql_parser.parse(expression), visit)
    return found


def deep_merge(base: dict, override: dict) -> dict:
    """Helm's coalescing of a values file over the chart's values (maps merge, everything else replaces)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def write_values(tmp_path: Path, values: dict) -> str:
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return str(path)


# ---------------------------------------------------------------------------------------------------------------
# Chart metadata, lint, CRDs
# ---------------------------------------------------------------------------------------------------------------


def test_chart_is_apiversion_v2_with_app_version_and_kube_version():
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "flink-job-controller"
    assert chart["type"] == "application"
    assert re.fullmatch(r"\d+\.\d+\.\d+", chart["version"])
    assert chart["appVersion"]
    assert chart["kubeVersion"].startswith(">=1.29")


@pytest.mark.parametrize("values", [None, ALL_ON_VALUES], ids=["default-values", "all-on-values"])
def test_helm_lint_strict_passes(helm, values):
    args = [helm, "lint", "--strict", str(CHART)]
    if values:
        args += ["--values", str(values)]
    result = run(args)
    assert "0 chart(s) failed" in result.stdout
    assert "[WARNING]" not in result.stdout and "[ERROR]" not in result.stdout


def test_helm_lint_strict_reports_values_the_schema_refuses(helm, tmp_path):
    values = write_values(tmp_path, {"log": {"level": "verbose"}})
    result = run([helm, "lint", "--strict", str(CHART), "--values", values], check=False)
    assert result.returncode != 0
    assert "log" in result.stdout + result.stderr


def test_chart_crds_are_identical_to_the_repository_crds():
    repo = sorted(p.name for p in (ROOT / "crds").glob("*.yaml"))
    chart = sorted(p.name for p in (CHART / "crds").glob("*.yaml"))
    assert chart == repo, "run scripts/check-packaging.sh --sync"
    for name in repo:
        assert (CHART / "crds" / name).read_bytes() == (ROOT / "crds" / name).read_bytes(), (
            f"{name} differs from crds/{name}: run scripts/check-packaging.sh --sync"
        )


def test_include_crds_renders_both_crds(render):
    crds = render(include_crds=True).all("CustomResourceDefinition")
    assert sorted(c["metadata"]["name"] for c in crds) == [
        "flinkjobs.flink.jobcontroller.io",
        "flinksessionclusters.flink.jobcontroller.io",
    ]


# ---------------------------------------------------------------------------------------------------------------
# What the default values install
# ---------------------------------------------------------------------------------------------------------------


def test_default_values_render_the_expected_objects(default_rendering):
    assert default_rendering.kinds() == sorted([
        "ServiceAccount", "ConfigMap", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
        "Role", "RoleBinding", "Service", "Deployment", "PodDisruptionBudget",
    ])


def test_every_namespaced_object_is_in_the_release_namespace(default_rendering, all_on_rendering):
    cluster_scoped = {"ClusterRole", "ClusterRoleBinding", "FlinkSessionCluster"}
    for rendering, obj in [(r, o) for r in (default_rendering, all_on_rendering) for o in r.objects]:
        if obj["kind"] in cluster_scoped:
            assert "namespace" not in obj["metadata"], obj["metadata"]
        elif obj["kind"] in ("Role", "RoleBinding") and obj["metadata"]["name"].endswith("-secrets") \
                and rendering is all_on_rendering:
            continue  # per secret namespace, checked below
        else:
            assert obj["metadata"]["namespace"] == NAMESPACE, (obj["kind"], obj["metadata"])


def test_objects_carry_the_standard_labels(default_rendering):
    for obj in default_rendering.objects:
        labels = obj["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "flink-job-controller"
        assert labels["app.kubernetes.io/instance"] == "flink-job-controller"
        assert labels["app.kubernetes.io/managed-by"] == "Helm"
        assert labels["helm.sh/chart"] == "flink-job-controller-0.1.0"
        assert labels["app.kubernetes.io/version"] == "0.1.0"


def test_deployment_runs_two_replicas_with_leader_election_in_the_pod_namespace(default_rendering):
    deployment = default_rendering.one("Deployment")
    assert deployment["spec"]["replicas"] == 2
    c = container(default_rendering)
    assert c["args"][0] == "run"
    assert f"--config={contract.CONFIG_PATH}" in c["args"]
    assert "--leader-election-namespace=$(POD_NAMESPACE)" in c["args"]
    assert "--no-leader-elect" not in c["args"]
    env = {e["name"]: e for e in c["env"]}
    assert env["POD_NAMESPACE"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.namespace"
    config = yaml.safe_load(default_rendering.one("ConfigMap")["data"]["config.yaml"])
    assert config["leaderElection"]["enabled"] is True
    # Kubernetes expands $(POD_NAMESPACE) only from variables defined before use in the container's env.
    assert list(env).index("POD_NAMESPACE") == 0


def test_image_defaults_to_the_chart_app_version(default_rendering, render, tmp_path):
    assert container(default_rendering)["image"] == f"{contract.IMAGE_REPOSITORY}:0.1.0"
    digest = "sha256:" + "ab" * 32
    pinned = render("--set", f"image.digest={digest}")
    assert container(pinned)["image"] == f"{contract.IMAGE_REPOSITORY}@{digest}"


def test_probes_use_the_health_endpoints_on_the_metrics_port(default_rendering):
    c = container(default_rendering)
    assert c["ports"] == [{"name": "http-metrics", "containerPort": 8080, "protocol": "TCP"}]
    for probe, path in contract.HEALTH_PATHS.items():
        get = c[f"{probe}Probe"]["httpGet"]
        assert get == {"path": path, "port": "http-metrics"}, probe
    # Liveness must not kill a replica that is still syncing its caches: the startup probe guards it.
    startup = c["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60


def test_container_and_pod_security_context_are_restricted(default_rendering):
    pod = default_rendering.one("Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == contract.RUN_USER
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    sc = container(default_rendering)["securityContext"]
    assert sc["runAsNonRoot"] is True
    assert sc["runAsUser"] == contract.RUN_USER
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"] == {"drop": ["ALL"]}
    assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is True
    assert "hostNetwork" not in pod and "hostPID" not in pod


def test_tmp_is_a_writable_emptydir_and_the_config_is_mounted_read_only(default_rendering):
    pod = default_rendering.one("Deployment")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in container(default_rendering)["volumeMounts"]}
    assert "emptyDir" in volumes[mounts["/tmp"]["name"]]
    assert not mounts["/tmp"].get("readOnly", False)
    config_mount = mounts[str(Path(contract.CONFIG_PATH).parent)]
    assert config_mount["readOnly"] is True
    configmap = default_rendering.one("ConfigMap")
    assert volumes[config_mount["name"]]["configMap"]["name"] == configmap["metadata"]["name"]
    assert "config.yaml" in configmap["data"]
    # The artifact cache must be below the writable /tmp.
    config = yaml.safe_load(configmap["data"]["config.yaml"])
    assert config["artifacts"]["cacheDirectory"] == contract.ARTIFACT_CACHE
    assert config["artifacts"]["cacheDirectory"].startswith("/tmp/")


def test_resources_have_requests_and_limits(default_rendering):
    resources = container(default_rendering)["resources"]
    assert resources == {"requests": {"memory": "128Mi", "cpu": "100m"}, "limits": {"memory": "256Mi", "cpu": "1"}}
    assert "sized from measured RSS" in (CHART / "values.yaml").read_text()


def test_config_file_uses_only_the_contract_keys_and_the_image_paths(default_rendering, all_on_rendering):
    for rendering in (default_rendering, all_on_rendering):
        config = yaml.safe_load(rendering.one("ConfigMap")["data"]["config.yaml"])
        assert set(config) <= set(contract.CONFIG_KEYS), set(config) - set(contract.CONFIG_KEYS)
        for section, keys in config.items():
            assert set(keys) <= contract.CONFIG_KEYS[section], (section, set(keys) - contract.CONFIG_KEYS[section])
        assert config["kubernetes"]["inCluster"] is True
        assert config["server"]["listen"] == "0.0.0.0:8080"
        assert config["artifacts"]["sqlRunnerJar"] == contract.SQL_RUNNER_JAR
        assert config["artifacts"]["pythonDriverJar"] == contract.PYTHON_DRIVER_JAR
        assert isinstance(config["artifacts"]["maxDownloadBytes"], int)
    config = yaml.safe_load(all_on_rendering.one("ConfigMap")["data"]["config.yaml"])
    assert config["watch"] == {"namespaces": ["analytics", "payments"], "labelSelector": "team=data"}
    assert config["controller"]["workers"] == 8
    assert config["flink"]["requestTimeout"] == "45s"  # extraConfig merged over the generated config
    assert config["log"] == {"level": "debug", "format": "text"}


def test_config_change_rolls_the_pods(render):
    before = render().one("Deployment")["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
    after = render("--set", "log.level=debug").one("Deployment")["spec"]["template"]["metadata"]["annotations"]
    assert after["checksum/config"] != before


def test_pod_disruption_budget_keeps_one_replica(default_rendering, render):
    pdb = default_rendering.one("PodDisruptionBudget")
    assert pdb["spec"]["minAvailable"] == 1
    assert pdb["spec"]["selector"] == default_rendering.one("Deployment")["spec"]["selector"]
    single = render("--set", "replicaCount=1")
    assert single.all("PodDisruptionBudget") == [], "minAvailable 1 of 1 replica would block every node drain"


def test_service_exposes_port_8080_named_http_metrics(default_rendering):
    service = default_rendering.one("Service")
    assert service["spec"]["ports"] == [
        {"name": "http-metrics", "port": 8080, "targetPort": "http-metrics", "protocol": "TCP"}
    ]
    assert service["spec"]["selector"] == default_rendering.one("Deployment")["spec"]["selector"]["matchLabels"]


# ---------------------------------------------------------------------------------------------------------------
# RBAC
# ---------------------------------------------------------------------------------------------------------------


def test_cluster_role_grants_exactly_the_contract_rules(default_rendering):
    cluster_role = default_rendering.one("ClusterRole")
    assert rule_map(cluster_role["rules"]) == contract.CLUSTER_RULES
    binding = default_rendering.one("ClusterRoleBinding")
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": cluster_role["metadata"]["name"],
    }
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "flink-job-controller", "namespace": NAMESPACE}
    ]


def test_cluster_role_grants_no_secrets(default_rendering, all_on_rendering):
    for rendering in (default_rendering, all_on_rendering):
        resources = {resource for _, resource in rule_map(rendering.one("ClusterRole")["rules"])}
        assert "secrets" not in resources


def test_leases_are_granted_only_in_the_release_namespace_and_only_for_the_lease(default_rendering):
    role = default_rendering.one("Role", "flink-job-controller-leader-election")
    assert role["metadata"]["namespace"] == NAMESPACE
    assert rule_map(role["rules"], allow_resource_names=True) == contract.LEASE_RULES
    for rule in role["rules"]:
        if set(rule["verbs"]) & {"get", "update"}:
            assert rule["resourceNames"] == ["flink-job-controller"]
    binding = default_rendering.one("RoleBinding", "flink-job-controller-leader-election")
    assert binding["metadata"]["namespace"] == NAMESPACE
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "flink-job-controller", "namespace": NAMESPACE}
    ]


def secret_grants(rendering) -> dict[str, tuple[dict, dict]]:
    """namespace -> (Role, RoleBinding) of the Secret grants."""
    roles = {r["metadata"]["namespace"]: r for r in rendering.all("Role") if r["metadata"]["name"].endswith("-secrets")}
    bindings = {b["metadata"]["namespace"]: b for b in rendering.all("RoleBinding")
                if b["metadata"]["name"].endswith("-secrets")}
    assert set(roles) == set(bindings)
    return {ns: (roles[ns], bindings[ns]) for ns in roles}


def test_secrets_are_readable_only_in_the_configured_namespaces(default_rendering, render):
    # Default: only the release namespace, which is also the operator's own default for secrets.namespaces.
    assert set(secret_grants(default_rendering)) == {NAMESPACE}
    config = yaml.safe_load(default_rendering.one("ConfigMap")["data"]["config.yaml"])
    assert config["secrets"]["namespaces"] == [NAMESPACE]
    granted = render("--set", "rbac.secretNamespaces={flink,analytics}")
    grants = secret_grants(granted)
    assert set(grants) == {"analytics", "flink"}
    for role, binding in grants.values():
        assert rule_map(role["rules"]) == contract.SECRET_RULES
        assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                      "name": role["metadata"]["name"]}
        assert binding["subjects"] == [
            {"kind": "ServiceAccount", "name": "flink-job-controller", "namespace": NAMESPACE}
        ]
    # The operator caches Secrets of exactly the namespaces it may read.
    config = yaml.safe_load(granted.one("ConfigMap")["data"]["config.yaml"])
    assert config["secrets"]["namespaces"] == ["flink", "analytics"]


def test_leader_election_off_drops_the_lease_role_and_allows_one_replica_only(helm, render, tmp_path):
    single = render("--set", "leaderElection.enabled=false", "--set", "replicaCount=1")
    assert [r["metadata"]["name"] for r in single.all("Role")] == ["flink-job-controller-secrets"]
    config = yaml.safe_load(single.one("ConfigMap")["data"]["config.yaml"])
    assert config["leaderElection"]["enabled"] is False
    values = write_values(tmp_path, {"leaderElection": {"enabled": False}})  # replicaCount stays 2
    result = run([helm, "template", "x", str(CHART), "--values", values], check=False)
    assert result.returncode != 0
    assert "replicaCount" in result.stderr


def test_rbac_create_false_renders_no_rbac(render):
    rendering = render("--set", "rbac.create=false")
    assert not {"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"} & set(rendering.kinds())


def test_existing_service_account_is_bound_when_not_created(render):
    rendering = render("--set", "serviceAccount.create=false", "--set", "serviceAccount.name=fjc-sa")
    assert rendering.all("ServiceAccount") == []
    assert rendering.one("Deployment")["spec"]["template"]["spec"]["serviceAccountName"] == "fjc-sa"
    assert rendering.one("ClusterRoleBinding")["subjects"][0]["name"] == "fjc-sa"


# ---------------------------------------------------------------------------------------------------------------
# Optional objects: ServiceMonitor, PrometheusRule, default FlinkSessionCluster
# ---------------------------------------------------------------------------------------------------------------


def test_all_on_values_render_every_optional_object(all_on_rendering):
    kinds = set(all_on_rendering.kinds())
    assert {"ServiceMonitor", "PrometheusRule", "FlinkSessionCluster"} <= kinds
    assert len(all_on_rendering.one("Deployment")["spec"]["template"]["spec"]["tolerations"]) == 1


def test_service_monitor_scrapes_the_metrics_port_and_keeps_job_namespaces(all_on_rendering):
    monitor = all_on_rendering.one("ServiceMonitor")
    assert monitor["metadata"]["labels"]["release"] == "prometheus"
    assert monitor["spec"]["selector"]["matchLabels"] == all_on_rendering.one("Deployment")["spec"]["selector"]["matchLabels"]
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["port"] == "http-metrics"
    assert endpoint["path"] == "/metrics"
    assert endpoint["honorLabels"] is True


def test_prometheus_rule_has_every_required_alert_on_the_contract_metrics(all_on_rendering):
    rules = alert_rules(all_on_rendering)
    for alert, metric in contract.REQUIRED_ALERTS.items():
        assert alert in rules, f"missing alert {alert}"
        assert metric in {name for name, _ in selectors(rules[alert]["expr"])}, (alert, rules[alert]["expr"])


def test_every_alert_expression_parses_as_promql_and_uses_only_contract_metrics(all_on_rendering):
    for alert, rule in alert_rules(all_on_rendering).items():
        for name, labels in selectors(str(rule["expr"])):
            assert name in contract.METRICS or name == "up", (alert, name)
            assert labels.get("job") == "flink-job-controller", (alert, labels)


def test_alerts_have_severity_summary_and_description(all_on_rendering):
    for alert, rule in alert_rules(all_on_rendering).items():
        assert rule["labels"]["severity"] in ("warning", "critical"), alert
        assert rule["labels"]["team"] == "data-platform", alert  # additionalAlertLabels
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], alert
        # Prometheus templates in annotations survive Helm's own templating.
        description = rule["annotations"]["description"]
        assert description.count("{{") == description.count("}}"), alert
        assert re.fullmatch(r"(\d+[smh])+", rule.get("for", "0m")), (alert, rule.get("for"))


def test_job_deployment_failure_looks_at_the_last_ten_minutes_of_failures(all_on_rendering):
    expression = alert_rules(all_on_rendering)["JobDeploymentFailure"]["expr"]
    assert selectors(expression) == [("flink_job_deployments_total", {"job": "flink-job-controller", "status": "failure"})]
    assert "[10m]" in expression


def test_per_job_alerts_select_jobs_by_their_alert_labels(all_on_rendering):
    rules = alert_rules(all_on_rendering)
    for alert, (label, value) in contract.ALERT_SELECTORS.items():
        labels = dict(selectors(rules[alert]["expr"]))[contract.REQUIRED_ALERTS[alert]]
        assert labels[label] == value, alert
    # Stale checkpoints only matter for jobs that opted into failure alerts and otherwise run.
    stale = dict(selectors(rules["FlinkJobCheckpointsStale"]["expr"]))
    assert stale["flink_job_ready"]["alert_on_failure"] == "true"


def test_alert_thresholds_and_disabled_alerts_come_from_values(render):
    rendering = render(
        "--set", "prometheusRule.enabled=true",
        "--set-json", "prometheusRule.thresholds.backpressureRatio=0.5",
        "--set", "prometheusRule.disabled={OperatorWorkQueueBacklog}",
        "--set", "prometheusRule.jobLabel=custom-job",
    )
    rules = alert_rules(rendering)
    assert "OperatorWorkQueueBacklog" not in rules
    assert rules["FlinkJobBackpressured"]["expr"].endswith("> 0.5")
    assert dict(selectors(rules["FlinkClusterUnhealthy"]["expr"]))["flink_cluster_health_status"]["job"] == "custom-job"


def test_no_leader_alert_is_dropped_without_leader_election(render):
    rendering = render(
        "--set", "prometheusRule.enabled=true", "--set", "leaderElection.enabled=false", "--set", "replicaCount=1"
    )
    assert "OperatorNoLeader" not in alert_rules(rendering)


def test_monitoring_objects_are_off_by_default(default_rendering):
    assert not {"ServiceMonitor", "PrometheusRule", "FlinkSessionCluster", "NetworkPolicy"} & set(default_rendering.kinds())


def test_network_policy_admits_only_the_monitoring_namespace_to_the_metrics_port(all_on_rendering, render):
    policy = all_on_rendering.one("NetworkPolicy")["spec"]
    deployment = all_on_rendering.one("Deployment")["spec"]
    assert policy["podSelector"]["matchLabels"] == deployment["selector"]["matchLabels"]
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    assert policy["ingress"] == [{
        "from": [{
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "observability"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
        }],
        "ports": [{"port": "http-metrics", "protocol": "TCP"}],
    }]
    ports = container(all_on_rendering)["ports"]
    assert [p["name"] for p in ports] == ["http-metrics"], "the policy's named port is the container's only port"
    assert policy["egress"][0]["ports"][0] == {"port": 53, "protocol": "UDP"}
    # Without egress rules, egress is left open (the policy governs ingress only).
    ingress_only = render("--set", "networkPolicy.enabled=true").one("NetworkPolicy")["spec"]
    assert ingress_only["policyTypes"] == ["Ingress"]
    assert "egress" not in ingress_only
    assert ingress_only["ingress"][0]["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
    ]


def test_default_cluster_renders_a_valid_flink_session_cluster(all_on_rendering):
    cluster = all_on_rendering.one("FlinkSessionCluster", "default")
    assert cluster["apiVersion"] == "flink.jobcontroller.io/v1alpha1"
    spec = cluster["spec"]
    assert spec["restURL"] == "https://flink-session-rest.flink.svc:8081"
    assert spec["tls"]["caSecretRef"]["namespace"] == "flink"
    assert spec["allowedNamespaces"] == {"names": ["analytics", "payments"]}
    crd = yaml.safe_load((ROOT / "crds" / "flinksessioncluster.yaml").read_text())
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    jsonschema.Draft7Validator(schema).validate(spec)


def test_default_cluster_with_empty_allowed_namespaces_allows_none(render):
    rendering = render(
        "--set", "defaultCluster.enabled=true", "--set", "defaultCluster.restURL=http://flink:8081",
        "--set-json", "defaultCluster.allowedNamespaces={}",
    )
    assert rendering.one("FlinkSessionCluster")["spec"]["allowedNamespaces"] == {}
    absent = render("--set", "defaultCluster.enabled=true", "--set", "defaultCluster.restURL=http://flink:8081")
    assert "allowedNamespaces" not in absent.one("FlinkSessionCluster")["spec"]


def test_default_cluster_secret_outside_the_secret_namespaces_is_refused(helm, tmp_path):
    values = write_values(tmp_path, {"defaultCluster": {
        "enabled": True, "restURL": "https://flink:8081",
        "auth": {"bearerTokenSecretRef": {"name": "token", "namespace": "vault", "key": "token"}},
    }})
    result = run([helm, "template", "x", str(CHART), "--values", values], check=False)
    assert result.returncode != 0
    assert 'namespace "vault": add it to rbac.secretNamespaces' in result.stderr


# ---------------------------------------------------------------------------------------------------------------
# values.schema.json
# ---------------------------------------------------------------------------------------------------------------


def test_values_yaml_and_all_on_values_satisfy_the_schema():
    schema = json.loads((CHART / "values.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    defaults = yaml.safe_load((CHART / "values.yaml").read_text())
    jsonschema.Draft7Validator(schema).validate(defaults)
    merged = deep_merge(defaults, yaml.safe_load(ALL_ON_VALUES.read_text()))
    jsonschema.Draft7Validator(schema).validate(merged)


@pytest.mark.parametrize(
    "values, complaint",
    [
        ({"replicaCount": 0}, "replicaCount"),
        ({"log": {"level": "verbose"}}, "/log/level"),
        ({"leaderElection": {"leaseDuration": "15 seconds"}}, "leaseDuration"),
        ({"controller": {"workers": "four"}}, "workers"),
        ({"rbac": {"secretNamespaces": ["Not_A_Namespace"]}}, "secretNamespaces"),
        ({"image": {"pullPolicy": "Sometimes"}}, "pullPolicy"),
        ({"prometheusRule": {"disabled": ["NoSuchAlert"]}}, "disabled"),
        ({"prometheusRule": {"thresholds": {"backpressureRatio": 80}}}, "backpressureRatio"),
        ({"defaultCluster": {"enabled": True}}, "restURL"),
        ({"replicas": 2}, "replicas"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_helm_refuses_values_the_schema_rejects(helm, tmp_path, values, complaint):
    result = run([helm, "template", "x", str(CHART), "--values", write_values(tmp_path, values)], check=False)
    assert result.returncode != 0, f"helm accepted {values}"
    assert "values don't meet the specifications of the schema" in result.stderr
    assert complaint in result.stderr


# ---------------------------------------------------------------------------------------------------------------
# The rendered objects against the Kubernetes API schemas
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kube_version", ["1.29.0", "1.37.0"])
def test_rendered_objects_validate_against_the_kubernetes_schemas(default_rendering, all_on_rendering, kube_version):
    import kubernetes_validate

    for obj in default_rendering.objects + all_on_rendering.objects:
        if obj["apiVersion"].startswith(("monitoring.coreos.com/", "flink.jobcontroller.io/")):
            continue  # not Kubernetes API types
        kubernetes_validate.validate(obj, kube_version, strict=True)


def test_kubernetes_schema_validation_catches_a_misspelled_field():
    import kubernetes_validate

    bad = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"portz": []}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, "1.37.0", strict=True)


def test_every_metric_the_alerts_use_is_registered_by_the_operator_sources(all_on_rendering):
    """The alerts are only as good as the names: each one must appear as a metric label in Sources/."""
    sources = "\n".join(p.read_text() for p in (ROOT / "Sources").rglob("*.swift"))
    for alert, rule in alert_rules(all_on_rendering).items():
        for name, _ in selectors(str(rule["expr"])):
            if name != "up":
                assert f'"{name}"' in sources, f"{alert}: no Swift source registers {name}"


def test_notes_render_and_say_where_secrets_may_be_read(helm):
    base = [helm, "install", "fjc", str(CHART), "--namespace", "ops", "--dry-run=client"]
    default = run(base).stdout.split("NOTES:", 1)[1]
    assert "leader election on (Lease ops/flink-job-controller)" in default
    assert "The operator reads Secrets in: ops (rbac.secretNamespaces)." in default
    all_on = run(base + ["--values", str(ALL_ON_VALUES)]).stdout.split("NOTES:", 1)[1]
    assert "flink-job-controller 0.1.0-rc.1 is installed" in all_on
    assert "The operator reads Secrets in: flink, analytics (rbac.secretNamespaces)." in all_on


# ---------------------------------------------------------------------------------------------------------------
# Helm 3 (still the most installed major version) renders the same chart the same way
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [None, ALL_ON_VALUES], ids=["default-values", "all-on-values"])
def test_helm3_lints_strictly_and_renders_what_helm4_renders(helm, helm3, values):
    assert run([helm3, "version", "--short"]).stdout.startswith("v3.")
    extra = ["--values", str(values)] if values else []
    lint = run([helm3, "lint", "--strict", str(CHART), *extra])
    assert "0 chart(s) failed" in lint.stdout and "[WARNING]" not in lint.stdout
    template = ["template", "flink-job-controller", str(CHART), "--namespace", NAMESPACE, "--include-crds", *extra]
    assert run([helm3, *template]).stdout == run([helm, *template]).stdout


def test_helm3_refuses_values_the_schema_rejects(helm3, tmp_path):
    values = write_values(tmp_path, {"leaderElection": {"enabled": False}, "replicaCount": 2})
    result = run([helm3, "template", "x", str(CHART), "--values", values], check=False)
    assert result.returncode != 0
    assert "replicaCount" in result.stderr


def leaf_paths(tree: dict, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for key, value in tree.items():
        path = f"{prefix}{key}"
        paths += leaf_paths(value, path + ".") if isinstance(value, dict) else [path]
    return paths


def test_every_config_key_and_flag_the_chart_sets_is_read_by_the_operator(default_rendering):
    """Cross-check with the executable's sources: a renamed key would silently fall back to its default."""
    sources = sorted((ROOT / "Sources" / "flink-job-controller").glob("*.swift"))
    text = "\n".join(p.read_text() for p in sources)
    if 'forKey: "' not in text:
        pytest.skip("Sources/flink-job-controller reads no config keys yet")
    config = yaml.safe_load(default_rendering.one("ConfigMap")["data"]["config.yaml"])
    for path in leaf_paths(config):
        assert f'forKey: "{path}"' in text, f"the operator does not read config key {path}"
    # run --config=FILE --leader-election-namespace=NS: swift-argument-parser derives the flag names.
    for flag, variable in (("--config", "config"), ("--leader-election-namespace", "leaderElectionNamespace")):
        assert any(arg.startswith(flag + "=") for arg in container(default_rendering)["args"]), flag
        assert re.search(rf"var {variable}\b", text), variable
