"""The Dockerfile: hadolint-clean, and it puts the contract's files where the chart expects them.

No Docker engine runs here, so the image itself is never built by these tests; they check the Dockerfile's
instructions (parsed below) and lint it with the real hadolint binary.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex

import pytest
import yaml

import contract
from conftest import CHART, ROOT, run, tool

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments and parser directives dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # comment inside a continued instruction
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        result.append((keyword.upper(), args.strip()))
    assert not pending, "dangling line continuation"
    return result


def stages() -> dict[str, list[tuple[str, str]]]:
    """Instructions per stage name (the alias after AS), with ARG defaults substituted in FROM."""
    args: dict[str, str] = {}
    result: dict[str, list[tuple[str, str]]] = {}
    current = None
    for keyword, value in instructions():
        if keyword == "ARG" and current is None:
            name, _, default = value.partition("=")
            args[name] = default
            continue
        if keyword == "FROM":
            image, _, alias = value.partition(" AS ")
            image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], image)
            current = alias.strip()
            result[current] = [("FROM", image)]
            continue
        assert current is not None, f"{keyword} before FROM"
        result[current].append((keyword, value))
    return result


def values(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    return [v for k, v in stage if k == keyword]


def apt_packages(stage: list[tuple[str, str]]) -> set[str]:
    packages: set[str] = set()
    for command in values(stage, "RUN"):
        for part in command.split("&&"):
            words = shlex.split(part)
            if words[:2] == ["apt-get", "install"]:
                packages |= {w for w in words[2:] if not w.startswith("-")}
    return packages


def test_hadolint_finds_nothing(tmp_path):
    hadolint = tool("HADOLINT", "hadolint")
    result = run([hadolint, "--no-color", str(DOCKERFILE)], check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    # Every suppression is a DL3008 (unpinned apt versions) with its reason in a comment.
    assert set(re.findall(r"# hadolint ignore=(\S+)", DOCKERFILE.read_text())) == {"DL3008"}


def test_hadolint_is_real_and_reports_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM debian\nRUN apt-get install curl\nUSER root\n")
    result = run([tool("HADOLINT", "hadolint"), "--no-color", str(bad)], check=False)
    assert result.returncode != 0
    for rule in ("DL3006", "DL3014", "DL3015", "DL3002"):
        assert rule in result.stdout, rule


def test_stages_use_the_intended_base_images():
    images = {name: stage[0][1] for name, stage in stages().items()}
    assert images == {
        "swift-build": "swift:6.3-bookworm",
        "flink": "flink:2.3.0-java17",
        "sql-runner": "eclipse-temurin:17-jdk",
        "runtime": "debian:bookworm-slim",
    }
    assert list(stages())[-1] == "runtime", "the last stage is the image"


def test_swift_stage_builds_the_release_binary_with_the_static_runtime():
    stage = stages()["swift-build"]
    assert {"libcurl4-openssl-dev", "libssl-dev", "libsqlite3-dev"} <= apt_packages(stage)
    build = " ".join(values(stage, "RUN"))
    assert "swift build -c release --product flink-job-controller --static-swift-stdlib" in build
    copied = {v.split()[0] for v in values(stage, "COPY")}
    assert {"Package.swift", "Sources", "Tests"} <= copied


def test_sql_runner_stage_compiles_the_runtime_sources_against_flink_lib():
    stage = stages()["sql-runner"]
    copies = values(stage, "COPY")
    assert "--from=flink /opt/flink/lib /opt/flink/lib" in copies
    assert any(c.startswith("runtime/sql-runner/src ") for c in copies)
    build = " ".join(values(stage, "RUN"))
    assert "javac --release 17" in build and "-cp '/opt/flink/lib/*'" in build
    assert "--main-class io.jobcontroller.sqlrunner.SqlRunner" in build


def test_runtime_carries_the_contract_files_and_libraries():
    stage = stages()["runtime"]
    assert {"libcurl4", "ca-certificates", "tzdata", "libsqlite3-0"} <= apt_packages(stage)
    copies = {tuple(v.split()[-2:]): v.split()[0] for v in values(stage, "COPY")}
    destinations = {dest: (src, origin) for (src, dest), origin in copies.items()}
    assert destinations[contract.BINARY] == ("/out/usr/local/bin/flink-job-controller", "--from=swift-build")
    assert destinations[contract.SQL_RUNNER_JAR] == ("/build/sql-runner.jar", "--from=sql-runner")
    assert destinations[contract.PYTHON_DRIVER_JAR] == ("/opt/flink/opt/flink-python-2.3.0.jar", "--from=flink")


def test_runtime_runs_the_operator_as_the_charts_non_root_user():
    stage = stages()["runtime"]
    assert values(stage, "USER") == [f"{contract.RUN_USER}:{contract.RUN_USER}"]
    assert json.loads(values(stage, "ENTRYPOINT")[0]) == [contract.BINARY]
    assert json.loads(values(stage, "CMD")[0]) == ["run"]
    assert values(stage, "EXPOSE") == ["8080"]
    chart_values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert chart_values["securityContext"]["runAsUser"] == contract.RUN_USER
    assert f"--uid {contract.RUN_USER}" in " ".join(values(stage, "RUN"))


def test_package_declares_the_executable_the_dockerfile_builds():
    manifest = (ROOT / "Package.swift").read_text()
    declared = re.search(r'\.executableTarget\(\s*name:\s*"flink-job-controller"', manifest) or re.search(
        r'\.executable\(\s*name:\s*"flink-job-controller"', manifest
    )
    if not declared:
        pytest.skip("Package.swift declares no flink-job-controller executable yet (the lead adds it)")
    assert declared


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore semantics for the patterns used here: the last matching rule wins."""
    result = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        rule = pattern[1:] if negated else pattern
        rule = rule.rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if rule.startswith("**/"):
            tail = rule[3:]
            hit = any(fnmatch.fnmatchcase("/".join(parts[i:j]), tail) for i in range(len(parts))
                      for j in range(i + 1, len(parts) + 1))
        else:
            hit = any(fnmatch.fnmatchcase(p, rule) for p in prefixes)
        if hit:
            result = not negated
    return result


def test_dockerignore_sends_what_the_dockerfile_copies_and_keeps_build_output_out():
    patterns = [l.strip() for l in (ROOT / ".dockerignore").read_text().splitlines()
                if l.strip() and not l.startswith("#")]
    for required in ("**/.build*", "**/.venv*", "**/.flink", "**/testjobs/build"):
        assert required in patterns, required
    for sent in ("Package.swift", "Sources/HTTPTransport/HTTPClient.swift", "Tests/x/y.swift",
                 "runtime/sql-runner/src/main/java/io/jobcontroller/sqlrunner/SqlRunner.java"):
        assert not ignored(sent, patterns), sent
    for kept_out in (".build/debug/x", ".build-packaging/x", ".venv-packaging/bin/helm", ".flink/default/log",
                     "testjobs/build/testjobs.jar", "runtime/sql-runner/build/sql-runner.jar", "Sources/.build/x",
                     "docs/api.md", "Package.resolved", "helm/flink-job-controller/Chart.yaml"):
        assert ignored(kept_out, patterns), kept_out
    # Every local COPY source of the Dockerfile is in the context.
    for keyword, value in instructions():
        if keyword == "COPY" and not value.startswith("--from"):
            source = value.split()[0]
            assert not ignored(source, patterns), source
