"""The CRDs themselves: names, subresources, printer columns, structural schemas, documentation, defaults,
CEL rules that cel-python can compile, and the bounds a real apiserver's CEL cost estimator needs."""

import pytest

import crdlib

CRDS = crdlib.load_crds()
KINDS = sorted(CRDS)


def test_both_crds_are_shipped():
    assert KINDS == ["FlinkJob", "FlinkSessionCluster"]


@pytest.mark.parametrize(
    "kind, plural, scope, short_names, categories",
    [
        ("FlinkJob", "flinkjobs", "Namespaced", ["fj"], ["flink", "all"]),
        ("FlinkSessionCluster", "flinksessionclusters", "Cluster", ["fsc"], ["flink"]),
    ],
)
def test_names_and_scope_follow_the_design(kind, plural, scope, short_names, categories):
    crd = CRDS[kind]
    assert crd["apiVersion"] == "apiextensions.k8s.io/v1"
    assert crd["kind"] == "CustomResourceDefinition"
    assert crd["metadata"]["name"] == f"{plural}.{crdlib.GROUP}"
    spec = crd["spec"]
    assert spec["group"] == crdlib.GROUP
    assert spec["scope"] == scope
    names = spec["names"]
    assert names == {
        "plural": plural,
        "singular": kind.lower(),
        "kind": kind,
        "listKind": f"{kind}List",
        "shortNames": short_names,
        "categories": categories,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_exactly_one_served_storage_version(kind):
    versions = CRDS[kind]["spec"]["versions"]
    assert [(v["name"], v["served"], v["storage"]) for v in versions] == [(crdlib.VERSION, True, True)]


@pytest.mark.parametrize("kind", KINDS)
def test_status_subresource_is_enabled(kind):
    assert crdlib.version_of(CRDS[kind])["subresources"]["status"] == {}


def test_flinkjob_scale_subresource_maps_parallelism():
    version = crdlib.version_of(CRDS["FlinkJob"])
    scale = version["subresources"]["scale"]
    schema = crdlib.root_schema(CRDS["FlinkJob"])
    assert scale["specReplicasPath"] == ".spec.parallelism"
    assert scale["statusReplicasPath"] == ".status.parallelism"
    # The server requires both replica paths to be integers (scale reads them as int32) and the selector
    # path, when given, to be a string under .status.
    assert crdlib.node_at(schema, scale["specReplicasPath"])["type"] == "integer"
    assert crdlib.node_at(schema, scale["statusReplicasPath"])["type"] == "integer"
    assert scale["labelSelectorPath"].startswith(".status.")
    assert crdlib.node_at(schema, scale["labelSelectorPath"])["type"] == "string"


def test_flinksessioncluster_has_no_scale_subresource():
    assert "scale" not in crdlib.version_of(CRDS["FlinkSessionCluster"])["subresources"]


@pytest.mark.parametrize(
    "kind, expected",
    [
        (
            "FlinkJob",
            [
                ("State", ".status.state", 0),
                ("Flink State", ".status.job.flinkState", 0),
                ("Job ID", ".status.job.id", 0),
                ("Parallelism", ".status.parallelism", 0),
                ("Ready", '.status.conditions[?(@.type=="Ready")].status', 0),
                ("Desired", ".spec.parallelism", 1),
                ("Cluster", ".spec.clusterRef.name", 1),
                ("Last Run", ".status.runs.lastScheduleTime", 1),
                ("Next Run", ".status.runs.nextScheduleTime", 1),
                ("Age", ".metadata.creationTimestamp", 0),
            ],
        ),
        (
            "FlinkSessionCluster",
            [
                ("URL", ".spec.restURL", 0),
                ("Ready", '.status.conditions[?(@.type=="Ready")].status', 0),
                ("Version", ".status.flinkVersion", 0),
                ("TaskManagers", ".status.taskManagers", 0),
                ("Slots Available", ".status.slotsAvailable", 0),
                ("Breaker", ".status.circuitBreaker.state", 0),
                ("Age", ".metadata.creationTimestamp", 0),
            ],
        ),
    ],
)
def test_printer_columns(kind, expected):
    columns = crdlib.version_of(CRDS[kind])["additionalPrinterColumns"]
    assert [(c["name"], c["jsonPath"], c.get("priority", 0)) for c in columns] == expected


@pytest.mark.parametrize("kind", KINDS)
def test_printer_columns_point_at_schema_fields_of_the_right_type(kind):
    schema = crdlib.root_schema(CRDS[kind])
    for column in crdlib.version_of(CRDS[kind])["additionalPrinterColumns"]:
        path = column["jsonPath"]
        if path == ".metadata.creationTimestamp":
            assert column["type"] == "date"
            continue
        # A filter like [?(@.type=="Ready")] selects items of the list before it.
        schema_path = path.replace('[?(@.type=="Ready")]', "[]")
        node = crdlib.node_at(schema, schema_path)
        assert node is not None, f"column {column['name']} points at {path}, which the schema lacks"
        expected_type = {"string": "string", "integer": "integer", "date": "string"}[column["type"]]
        assert node["type"] == expected_type, column["name"]
        if column["type"] == "date":
            assert node.get("format") == "date-time", column["name"]
        if "[?(" in path:
            conditions = crdlib.node_at(schema, path.split("[?(")[0])
            assert conditions["x-kubernetes-list-map-keys"] == ["type"]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_structural(kind):
    assert crdlib.structural_problems(CRDS[kind]) == []


def test_structural_check_reports_a_node_without_type():
    broken = {"spec": {"versions": [{"name": crdlib.VERSION, "schema": {"openAPIV3Schema": {
        "type": "object", "properties": {"spec": {"description": "no type"}}}}}]}}
    assert crdlib.structural_problems(broken) == [".spec: no type (structural schemas need one on every node)"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_description(kind):
    assert crdlib.undocumented_fields(CRDS[kind]) == []


@pytest.mark.parametrize("kind", KINDS)
def test_spec_and_status_are_documented_deeply(kind):
    # Guard against the description check passing on a shallow schema.
    paths = {node.path for node in crdlib.walk(crdlib.root_schema(CRDS[kind]))}
    minimum = {"FlinkJob": 140, "FlinkSessionCluster": 85}[kind]
    assert len(paths) >= minimum


@pytest.mark.parametrize("kind", KINDS)
def test_status_keeps_unknown_fields_but_documents_its_properties(kind):
    status = crdlib.root_schema(CRDS[kind])["properties"]["status"]
    assert status["x-kubernetes-preserve-unknown-fields"] is True
    assert len(status["properties"]) >= 8


def _defaulted_nodes():
    for kind in KINDS:
        for node in crdlib.walk(crdlib.root_schema(CRDS[kind])):
            if "default" in node.schema:
                yield pytest.param(kind, node, id=f"{kind}{node.path}")


@pytest.mark.parametrize("kind, node", list(_defaulted_nodes()))
def test_defaults_validate_against_their_own_schema(kind, node):
    defaulted = crdlib.apply_defaults(node.schema["default"], node.schema)
    errors = crdlib.schema_errors(defaulted, node.schema)
    assert [crdlib.describe_error(e) for e in errors] == []
    # CEL rules on the defaulted value must hold too (the server checks defaults against rules as well).
    assert crdlib.cel_failures(defaulted, node.schema) == []


def test_the_defaults_the_design_fixes():
    defaults = {
        node.path: node.schema["default"]
        for node in crdlib.walk(crdlib.root_schema(CRDS["FlinkJob"]))
        if "default" in node.schema
    }
    assert defaults == {
        ".spec.clusterRef": {},
        ".spec.clusterRef.name": "default",
        ".spec.type": "Streaming",
        ".spec.parallelism": 1,
        ".spec.checkpointing.mode": "ExactlyOnce",
        ".spec.state": "Running",
        ".spec.upgradeMode": "Savepoint",
        ".spec.allowNonRestoredState": False,
        ".spec.savepoints.historyLimit": 5,
        ".spec.savepoints.formatType": "Canonical",
        ".spec.deletePolicy": "Savepoint",
        ".spec.recovery": {},
        ".spec.recovery.onFailure": "FromLatestCheckpoint",
        ".spec.recovery.backoffLimit": 3,
        ".spec.rollback": {},
        ".spec.rollback.enabled": False,
        ".spec.rollback.readinessTimeout": "5m",
        ".spec.batch.concurrencyPolicy": "Forbid",
        ".spec.batch.successfulRunsHistoryLimit": 3,
        ".spec.batch.failedRunsHistoryLimit": 1,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_every_cel_rule_compiles_with_cel_python(kind):
    rules = crdlib.rules_of(CRDS[kind])
    assert rules
    for rule in rules:
        crdlib.cel_program(rule.rule)


@pytest.mark.parametrize("kind", KINDS)
def test_every_string_list_and_map_a_cel_rule_reads_is_bounded(kind):
    assert crdlib.unbounded_rule_touches(CRDS[kind]) == []


def test_bounds_check_flags_an_unbounded_string_list_and_map():
    schema = {
        "type": "object",
        "properties": {
            "digest": {"type": "string", "x-kubernetes-validations": [
                {"rule": "self.matches('^sha256:')", "message": "m"}]},
            "args": {"type": "array", "maxItems": 4, "items": {"type": "string"}, "x-kubernetes-validations": [
                {"rule": "self.all(a, a.size() < 10)", "message": "m"}]},
            "conf": {"type": "object", "additionalProperties": {"type": "string"}, "x-kubernetes-validations": [
                {"rule": "self.all(k, k.matches('^a'))", "message": "m"}]},
        },
    }
    crd = {"spec": {"versions": [{"name": crdlib.VERSION, "schema": {"openAPIV3Schema": schema}}]}}
    problems = crdlib.unbounded_rule_touches(crd)
    assert any(p.startswith(".digest ") and "string without maxLength" in p for p in problems)
    assert any(p.startswith(".args[] ") and "list items without maxLength" in p for p in problems)
    assert any(p.startswith(".conf{} ") and "map key 'k'" in p for p in problems)
    assert any(p.startswith(".conf{} ") and "map without maxProperties" in p for p in problems)


def test_touched_fields_are_resolved_through_the_schema():
    crd = CRDS["FlinkJob"]
    rule = next(r for r in crdlib.rules_of(crd) if r.path == ".spec" and "batch" in r.rule)
    touched = {path for path, _, _ in crdlib.touched_nodes(rule)}
    assert touched == {".spec.type", ".spec.batch"}


def test_docs_list_every_cel_rule_message():
    docs = (crdlib.REPO / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [
        rule.message
        for crd in CRDS.values()
        for rule in crdlib.rules_of(crd)
        # Long messages are abbreviated in the docs' tables; their first 40 characters must be there.
        if rule.message[:40] not in docs
    ]
    assert missing == []
