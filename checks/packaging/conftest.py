"""Shared fixtures of the packaging tests: tool paths, helm template and kustomize renderings.

The tools come from scripts/check-packaging.sh (HELM, KUBECTL, HADOLINT, LUA in the environment); run the
suite through that script. Without a tool the tests that need it fail with a message saying so: nothing here
pretends that a check ran.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "flink-job-controller"
ALL_ON_VALUES = CHART / "ci" / "all-on-values.yaml"
RELEASE = "flink-job-controller"
NAMESPACE = "flink-job-controller"


def tool(variable: str, fallback: str) -> str:
    """The executable named by the environment variable, else the one check-packaging.sh installs."""
    path = os.environ.get(variable) or str(ROOT / ".venv-packaging" / "bin" / fallback)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        found = shutil.which(fallback)
        if found is None:
            pytest.fail(f"{fallback} not found (set {variable} or run scripts/check-packaging.sh)")
        path = found
    return path


def run(args: list[str], check: bool = True, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Runs a command, returning its output; with check, a non-zero exit fails the test with stderr."""
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {result.returncode}:\n{result.stderr}{result.stdout}")
    return result


def documents(text: str) -> list[dict]:
    """The non-empty YAML documents of a multi-document stream."""
    return [d for d in yaml.safe_load_all(text) if d]


class Rendering:
    """Objects of one rendering, looked up by kind and name."""

    def __init__(self, objects: list[dict]):
        self.objects = objects

    def kinds(self) -> list[str]:
        return sorted(o["kind"] for o in self.objects)

    def all(self, kind: str) -> list[dict]:
        return [o for o in self.objects if o["kind"] == kind]

    def one(self, kind: str, name: str | None = None) -> dict:
        found = [o for o in self.all(kind) if name is None or o["metadata"]["name"] == name]
        assert len(found) == 1, f"expected one {kind} {name or ''}, found {[o['metadata']['name'] for o in found]}"
        return found[0]


@pytest.fixture(scope="session")
def helm() -> str:
    return tool("HELM", "helm")


@pytest.fixture(scope="session")
def helm3() -> str:
    return tool("HELM3", "helm3")


@pytest.fixture(scope="session")
def kubectl() -> str:
    return tool("KUBECTL", "kubectl")


@pytest.fixture(scope="session")
def render(helm):
    """render(*helm_args, include_crds=False) -> Rendering of `helm template` in NAMESPACE (cached)."""
    cache: dict[tuple, Rendering] = {}

    def _render(*args: str, include_crds: bool = False) -> Rendering:
        key = (args, include_crds)
        if key not in cache:
            command = [helm, "template", RELEASE, str(CHART), "--namespace", NAMESPACE, *args]
            if include_crds:
                command.append("--include-crds")
            cache[key] = Rendering(documents(run(command).stdout))
        return cache[key]

    return _render


@pytest.fixture(scope="session")
def default_rendering(render) -> Rendering:
    return render()


@pytest.fixture(scope="session")
def all_on_rendering(render) -> Rendering:
    return render("--values", str(ALL_ON_VALUES))


@pytest.fixture(scope="session")
def kustomize_rendering(kubectl) -> Rendering:
    return Rendering(documents(run([kubectl, "kustomize", str(ROOT / "k8s")]).stdout))
