"""The Argo CD health checks in argocd/health/, run by a real Lua 5.1 interpreter against sample objects.

Argo CD runs a health.lua with the live object as the global `obj` and reads the returned table's `status` and
`message` (gopher-lua, Lua 5.1). The harness converts each testdata YAML to a Lua table literal, runs the script
in an environment that refuses new globals, and compares with health_test.yaml (Argo CD's own test format).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

import sync
from conftest import ROOT

HEALTH = ROOT / "argocd" / "health" / "flink.jobcontroller.io"
KINDS = ["FlinkJob", "FlinkSessionCluster"]
STATUSES = {"Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"}
CRD_FILES = {"FlinkJob": "flinkjob.yaml", "FlinkSessionCluster": "flinksessioncluster.yaml"}

HARNESS = r"""
local script = assert(loadfile(arg[1]))
local env = setmetatable({ obj = OBJECT }, {
  __index = _G,
  __newindex = function(_, name) error("health.lua assigns the global '" .. tostring(name) .. "'", 2) end,
})
setfenv(script, env)
local hs = script()
assert(type(hs) == "table", "health.lua must return a table")
assert(type(hs.status) == "string", "hs.status must be a string")
assert(hs.message == nil or type(hs.message) == "string", "hs.message must be a string")
io.write(hs.status, "\0", hs.message or "", "\0")
"""


@pytest.fixture(scope="session")
def lua() -> str:
    path = os.environ.get("LUA") or shutil.which("lua5.1")
    if not path:
        pytest.fail("lua5.1 not found (set LUA or run scripts/check-packaging.sh, which installs Debian's lua5.1)")
    version = subprocess.run([path, "-v"], capture_output=True, text=True)
    assert "Lua 5.1" in version.stdout + version.stderr, "Argo CD's gopher-lua speaks Lua 5.1"
    return path


def lua_literal(value) -> str:
    """A Lua expression for a YAML/JSON value (maps and lists become tables, null becomes nil)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        assert math.isfinite(value)
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            c if 32 <= ord(c) < 127 and c not in '"\\' else ("\\" + c if c in '"\\' else f"\\{ord(c):03d}")
            for c in value.encode("utf-8").decode("latin-1")
        )
        return f'"{escaped}"'
    if isinstance(value, list):
        return "{" + ", ".join(lua_literal(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_literal(str(k))}] = {lua_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Lua literal for {type(value)}")


def assess(lua: str, script: Path, obj: dict, tmp_path: Path) -> tuple[str, str]:
    harness = tmp_path / "harness.lua"
    harness.write_text(HARNESS.replace("OBJECT", lua_literal(obj)))
    result = subprocess.run([lua, str(harness), str(script)], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    status, message, _ = result.stdout.decode("utf-8").split("\0")
    return status, message


def cases(kind: str) -> list[tuple[str, dict]]:
    tests = yaml.safe_load((HEALTH / kind / "health_test.yaml").read_text())["tests"]
    return [(kind, t) for t in tests]


ALL_CASES = [c for kind in KINDS for c in cases(kind)]


@pytest.mark.parametrize("kind, case", ALL_CASES, ids=[f"{k}-{Path(c['inputPath']).stem}" for k, c in ALL_CASES])
def test_health_matches_the_expected_status_and_message(lua, tmp_path, kind, case):
    obj = yaml.safe_load((HEALTH / kind / case["inputPath"]).read_text())
    assert obj["kind"] == kind
    status, message = assess(lua, HEALTH / kind / "health.lua", obj, tmp_path)
    assert (status, message) == (case["healthStatus"]["status"], case["healthStatus"]["message"])


@pytest.mark.parametrize("kind", KINDS)
def test_every_testdata_file_has_a_case_and_the_cases_cover_every_status(kind):
    referenced = {c["inputPath"] for _, c in cases(kind)}
    on_disk = {f"testdata/{p.name}" for p in (HEALTH / kind / "testdata").glob("*.yaml")}
    assert referenced == on_disk
    expected = {c["healthStatus"]["status"] for _, c in cases(kind)}
    assert expected <= STATUSES
    wanted = {"Healthy", "Progressing", "Degraded"} | ({"Suspended"} if kind == "FlinkJob" else set())
    assert wanted <= expected


@pytest.mark.parametrize("kind", KINDS)
def test_samples_are_valid_objects_of_the_crd(kind):
    """The samples must be what the API server would store: spec and status valid against crds/."""
    crd = yaml.safe_load((ROOT / "crds" / CRD_FILES[kind]).read_text())
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    for _, case in cases(kind):
        obj = yaml.safe_load((HEALTH / kind / case["inputPath"]).read_text())
        errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
        assert not errors, f"{case['inputPath']}: {[f'{list(e.path)}: {e.message}' for e in errors]}"


@pytest.mark.parametrize("kind", KINDS)
def test_health_scripts_use_lua_5_1_only(kind):
    """gopher-lua implements Lua 5.1: no goto, integer division, bitwise operators or utf8 library."""
    source = (HEALTH / kind / "health.lua").read_text()
    code = re.sub(r"--[^\n]*", "", source)
    code = re.sub(r'"(?:\\.|[^"\\])*"', '""', code)
    for construct in (r"\bgoto\b", r"//", r"::\w+::", r"\butf8\.", r"[^~=<>]~[^=]", r"<<|>>", r"\brequire\b"):
        assert not re.search(construct, code), f"{kind}/health.lua uses {construct}"


def test_missing_status_fields_never_crash_the_script(lua, tmp_path):
    """Partial objects (what Argo CD may see right after creation) still yield a status."""
    partial = [
        {"kind": "FlinkJob", "metadata": {"name": "x"}},
        {"kind": "FlinkJob", "metadata": {"name": "x", "generation": 1}, "status": {"observedGeneration": 1, "conditions": []}},
        {"kind": "FlinkJob", "metadata": {"name": "x", "generation": 1}, "spec": {"state": "Suspended"},
         "status": {"observedGeneration": 1, "job": {}}},
        {"kind": "FlinkJob", "metadata": {"name": "x", "generation": 1},
         "status": {"observedGeneration": 1, "conditions": [{"type": "Ready"}]}},
        {"kind": "FlinkSessionCluster", "metadata": {"name": "x"}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
    ]
    for obj in partial:
        status, message = assess(lua, HEALTH / obj["kind"] / "health.lua", obj, tmp_path)
        assert status in STATUSES and message, obj


def test_the_harness_reports_a_script_that_leaks_a_global(lua, tmp_path):
    leaky = tmp_path / "leaky.lua"
    leaky.write_text('status = "Healthy"\nreturn { status = status }\n')
    harness = tmp_path / "harness.lua"
    harness.write_text(HARNESS.replace("OBJECT", "{}"))
    result = subprocess.run([lua, str(harness), str(leaky)], capture_output=True, text=True)
    assert result.returncode != 0 and "assigns the global 'status'" in result.stderr


def test_lua_literals_round_trip_through_the_interpreter(lua, tmp_path):
    value = {"a": [1, 2.5, True, None, "q\"uo\\te\n"], "ü": {"nested": "ü"}}
    script = tmp_path / "echo.lua"
    script.write_text(
        'local t = obj\nreturn { status = tostring(#t.a) .. "|" .. tostring(t.a[2]) .. "|" .. tostring(t.a[3]), '
        'message = t.a[5] .. t["ü"].nested }\n'
    )
    status, message = assess(lua, script, value, tmp_path)
    assert status.split("|")[1:] == ["2.5", "true"]
    assert message == 'q"uo\\te\nü'


def test_argocd_cm_patch_is_generated_from_the_health_scripts():
    assert (ROOT / "argocd" / "argocd-cm-health.yaml").read_text() == sync.argocd_cm_patch(), (
        "run scripts/check-packaging.sh --sync"
    )
    patch = yaml.safe_load((ROOT / "argocd" / "argocd-cm-health.yaml").read_text())
    assert patch["kind"] == "ConfigMap" and patch["metadata"]["name"] == "argocd-cm"
    for kind in KINDS:
        key = f"resource.customizations.health.flink.jobcontroller.io_{kind}"
        assert patch["data"][key] == (HEALTH / kind / "health.lua").read_text(), key
    assert json.dumps(patch)  # plain data, no YAML anchors or tags
