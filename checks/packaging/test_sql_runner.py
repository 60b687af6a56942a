"""The product SQL runner (runtime/sql-runner/): same behaviour as the test job, and it runs SQL on a real Flink.

The Flink tests need a running session cluster: FLINK_TEST_REST_URL (set by
`scripts/flink-session.sh with-test-clusters -- scripts/check-packaging.sh`) or FLINK_REST_URL. Without one they
are skipped and say so; the jar is compiled by `scripts/flink-session.sh jobs`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

PRODUCT = ROOT / "runtime" / "sql-runner" / "src" / "main" / "java" / "io" / "jobcontroller" / "sqlrunner" / "SqlRunner.java"
TESTJOB = ROOT / "testjobs" / "src" / "main" / "java" / "io" / "jobcontroller" / "testjobs" / "SqlRunner.java"
JAR = ROOT / "runtime" / "sql-runner" / "build" / "sql-runner.jar"
ENTRY_CLASS = "io.jobcontroller.sqlrunner.SqlRunner"


def code_without_package_and_javadoc(path: Path) -> str:
    source = path.read_text()
    source = re.sub(r"^package [\w.]+;\n", "", source, flags=re.M)
    return re.sub(r"/\*\*.*?\*/\n", "", source, count=1, flags=re.S)


def test_product_sql_runner_has_the_test_jobs_code():
    assert PRODUCT.read_text().startswith("package io.jobcontroller.sqlrunner;\n")
    assert "public final class SqlRunner" in PRODUCT.read_text()
    assert code_without_package_and_javadoc(PRODUCT) == code_without_package_and_javadoc(TESTJOB), (
        "runtime/sql-runner and testjobs SqlRunner differ: keep their behaviour identical"
    )


# ---------------------------------------------------------------------------------------------------------------
# Against a real Flink session cluster
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flink() -> str:
    url = os.environ.get("FLINK_TEST_REST_URL") or os.environ.get("FLINK_REST_URL")
    if not url:
        pytest.skip("no Flink session cluster: run under scripts/flink-session.sh with-test-clusters")
    return url.rstrip("/")


@pytest.fixture(scope="module")
def jar_id(flink) -> str:
    subprocess.run([str(ROOT / "scripts" / "flink-session.sh"), "jobs"], check=True, capture_output=True)
    with zipfile.ZipFile(JAR) as jar:
        assert f"Main-Class: {ENTRY_CLASS}" in jar.read("META-INF/MANIFEST.MF").decode()
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"sql-runner.jar\"\r\n"
        "Content-Type: application/java-archive\r\n\r\n"
    ).encode() + JAR.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    uploaded = request(flink, "POST", "/jars/upload", body, f"multipart/form-data; boundary={boundary}")
    jar = uploaded["filename"].rsplit("/", 1)[-1]
    yield jar
    request(flink, "DELETE", f"/jars/{jar}")


def request(base: str, method: str, path: str, body: bytes | dict | None = None,
            content_type: str = "application/json") -> dict:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=60) as response:
        text = response.read().decode()
    return json.loads(text) if text else {}


def run(flink: str, jar: str, statements: list[str]) -> str:
    job_id = uuid.uuid4().hex
    request(flink, "POST", f"/jars/{jar}/run", {"programArgsList": statements, "jobId": job_id})
    return job_id


def wait_for(flink: str, job_id: str, states: set[str], timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    state = ""
    while time.monotonic() < deadline:
        state = request(flink, "GET", f"/jobs/{job_id}/status")["status"]
        if state in states:
            return state
        time.sleep(0.5)
    pytest.fail(f"job {job_id} still {state} after {timeout}s, wanted {states}")


def test_streaming_inserts_become_one_running_job(flink, jar_id):
    job_id = run(flink, jar_id, [
        "CREATE TABLE src (id BIGINT, name STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '5');",
        "CREATE TABLE sink_a (id BIGINT, name STRING) WITH ('connector' = 'blackhole')",
        "CREATE TABLE sink_b (id BIGINT) WITH ('connector' = 'blackhole')",
        "SET 'pipeline.name' = 'packaging-sql-runner'",
        "INSERT INTO sink_a SELECT id, name FROM src",
        "INSERT INTO sink_b SELECT id FROM src",
    ])
    try:
        assert wait_for(flink, job_id, {"RUNNING", "FAILED"}) == "RUNNING"
        job = request(flink, "GET", f"/jobs/{job_id}")
        assert job["name"] == "packaging-sql-runner"
        # Both INSERTs run in the one job: both sinks are vertices of it.
        vertices = {v["name"].split("[")[0] for v in job["vertices"]}
        assert {"sink_a", "sink_b"} <= vertices, vertices
    finally:
        request(flink, "PATCH", f"/jobs/{job_id}?mode=cancel")
        wait_for(flink, job_id, {"CANCELED", "FAILED", "FINISHED"})


def test_batch_mode_set_anywhere_runs_a_bounded_job_to_completion(flink, jar_id):
    job_id = run(flink, jar_id, [
        "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '100')",
        "CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole')",
        "INSERT INTO sink SELECT id FROM src",
        "SET 'execution.runtime-mode' = 'batch'",
    ])
    assert wait_for(flink, job_id, {"FINISHED", "FAILED", "CANCELED"}) == "FINISHED"


def test_a_bad_statement_fails_the_run_request_and_starts_no_job(flink, jar_id):
    job_id = uuid.uuid4().hex
    with pytest.raises(urllib.error.HTTPError) as failure:
        request(flink, "POST", f"/jars/{jar_id}/run",
                {"programArgsList": ["CREATE TABLE oops (id BIGINT WITH ('connector' = 'datagen')"], "jobId": job_id})
    assert failure.value.code == 400
    assert "SQL parse failed" in failure.value.read().decode()
    jobs = request(flink, "GET", "/jobs")["jobs"]
    assert job_id not in {j["id"] for j in jobs}
