"""The example manifests pass the CRD schemas and CEL rules, and show what the docs promise."""

import pytest

import crdlib

CRDS = crdlib.load_crds()
EXAMPLES = {path.name: crdlib.load_yaml(path) for path in crdlib.example_paths()}


def test_the_promised_examples_exist():
    assert sorted(EXAMPLES) == [
        "batch-job-cron.yaml",
        "python-job.yaml",
        "session-cluster.yaml",
        "sql-job.yaml",
        "streaming-job.yaml",
    ]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_is_accepted_by_its_crd(name):
    obj = EXAMPLES[name]
    assert obj["apiVersion"] == f"{crdlib.GROUP}/{crdlib.VERSION}"
    outcome = crdlib.validate_object(obj, CRDS[obj["kind"]])
    assert outcome.accepted, outcome.summary()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_cel_rule_on_a_present_field_evaluates_true(name):
    obj = EXAMPLES[name]
    schema = crdlib.root_schema(CRDS[obj["kind"]])
    defaulted = crdlib.apply_defaults(obj, schema)
    assert crdlib.cel_failures(defaulted, schema) == []
    # Updating an example to itself must pass the transition rules too.
    assert crdlib.cel_failures(defaulted, schema, old=defaulted) == []


def test_every_cel_rule_runs_on_some_example():
    # A rule only runs when its field is present; make sure the examples are not trivially passing.
    evaluated = set()
    for obj in EXAMPLES.values():
        crd = CRDS[obj["kind"]]
        defaulted = crdlib.apply_defaults(obj, crdlib.root_schema(crd))
        for rule in crdlib.rules_of(crd):
            if _present(defaulted, rule.path):
                evaluated.add((obj["kind"], rule.rule))
    every_rule = {(kind, rule.rule) for kind, crd in CRDS.items() for rule in crdlib.rules_of(crd)}
    assert every_rule - evaluated == set()


def _present(obj, path):
    nodes = [obj]
    for step in [s for s in path.replace("[]", ".[]").split(".") if s]:
        following = []
        for node in nodes:
            if step == "[]" and isinstance(node, list):
                following.extend(node)
            elif isinstance(node, dict) and step in node:
                following.append(node[step])
        nodes = following
    return bool(nodes)


def test_session_cluster_is_the_default_cluster():
    cluster = EXAMPLES["session-cluster.yaml"]
    assert cluster["kind"] == "FlinkSessionCluster"
    assert cluster["metadata"]["name"] == "default"
    assert "namespace" not in cluster["metadata"]


def test_streaming_example_is_checkpointed_and_upgraded_through_savepoints():
    spec = EXAMPLES["streaming-job.yaml"]["spec"]
    assert spec["type"] == "Streaming"
    assert spec["upgradeMode"] == "Savepoint"
    assert spec["artifact"]["digest"].startswith("sha256:")
    assert "interval" in spec["checkpointing"]
    assert spec["savepoints"]["directory"]


def test_batch_example_is_scheduled_with_a_time_zone_and_history_limits():
    spec = EXAMPLES["batch-job-cron.yaml"]["spec"]
    assert spec["type"] == "Batch"
    assert set(spec["batch"]) >= {"schedule", "timeZone", "successfulRunsHistoryLimit", "failedRunsHistoryLimit"}


def test_sql_and_python_examples_use_their_artifact_kinds():
    assert set(EXAMPLES["sql-job.yaml"]["spec"]["artifact"]) == {"sql"}
    assert "python" in EXAMPLES["python-job.yaml"]["spec"]["artifact"]


def test_no_example_sets_per_job_resources():
    for name, obj in EXAMPLES.items():
        text = repr(obj).lower()
        for word in ("resources", "memory", "'env'", "cpu"):
            assert word not in text, f"{name} mentions {word}"


def test_a_minimal_flinkjob_gets_the_documented_defaults():
    obj = {
        "apiVersion": f"{crdlib.GROUP}/{crdlib.VERSION}",
        "kind": "FlinkJob",
        "metadata": {"name": "minimal", "namespace": "default"},
        "spec": {"artifact": {"jar": {"uri": "https://artifacts.example.com/a.jar"}}},
    }
    outcome = crdlib.validate_object(obj, CRDS["FlinkJob"])
    assert outcome.accepted, outcome.summary()
    assert outcome.defaulted["spec"] == {
        "artifact": {"jar": {"uri": "https://artifacts.example.com/a.jar"}},
        "clusterRef": {"name": "default"},
        "type": "Streaming",
        "parallelism": 1,
        "state": "Running",
        "upgradeMode": "Savepoint",
        "allowNonRestoredState": False,
        "deletePolicy": "Savepoint",
        "recovery": {"onFailure": "FromLatestCheckpoint", "backoffLimit": 3},
        "rollback": {"enabled": False, "readinessTimeout": "5m"},
    }


def test_a_minimal_batch_job_gets_the_batch_defaults():
    obj = {
        "kind": "FlinkJob",
        "spec": {"type": "Batch", "artifact": {"jar": {"uri": "file:///opt/flink/usrlib/a.jar"}}, "batch": {}},
    }
    outcome = crdlib.validate_object(obj, CRDS["FlinkJob"])
    assert outcome.accepted, outcome.summary()
    assert outcome.defaulted["spec"]["batch"] == {
        "concurrencyPolicy": "Forbid",
        "successfulRunsHistoryLimit": 3,
        "failedRunsHistoryLimit": 1,
    }


def test_a_minimal_session_cluster_gets_probe_defaults():
    obj = {"kind": "FlinkSessionCluster", "spec": {"restURL": "http://localhost:8081"}}
    outcome = crdlib.validate_object(obj, CRDS["FlinkSessionCluster"])
    assert outcome.accepted, outcome.summary()
    assert outcome.defaulted["spec"] == {
        "restURL": "http://localhost:8081",
        "probe": {"interval": "10s", "timeout": "5s", "failureThreshold": 3, "openDuration": "30s"},
    }


def test_tls_and_secret_reference_defaults():
    obj = {
        "kind": "FlinkSessionCluster",
        "spec": {
            "restURL": "https://flink:8081",
            "tls": {"caSecretRef": {"name": "ca", "namespace": "flink"},
                    "clientCertSecretRef": {"name": "client", "namespace": "flink"}},
            "auth": {"apiKey": {"secretRef": {"name": "k", "namespace": "flink", "key": "key"}}},
        },
    }
    outcome = crdlib.validate_object(obj, CRDS["FlinkSessionCluster"])
    assert outcome.accepted, outcome.summary()
    spec = outcome.defaulted["spec"]
    assert spec["tls"] == {
        "caSecretRef": {"name": "ca", "namespace": "flink", "key": "ca.crt"},
        "clientCertSecretRef": {"name": "client", "namespace": "flink", "certKey": "tls.crt", "keyKey": "tls.key"},
        "insecureSkipVerify": False,
    }
    assert spec["auth"]["apiKey"]["header"] == "X-API-Key"
