"""The import contracts (``pyproject.toml``, run by ``make test`` as ``lint-imports``) hold the layers, and would fail
if today's former back-edges came back: the kernel importing a component, a subgraph importing another or the
gateway, a gateway stage importing a later one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kernel", "gateway", "identity", "subgraphs", "hub", "adapters", "inference")
BACK_EDGES = {
    "kernel/principal.py": "import gateway.auth.claims",
    "subgraphs/common/context.py": "import gateway.auth",
    "subgraphs/permits/registry.py": "import subgraphs.entities.models",
    "identity/directory.py": "import subgraphs.common.jurisdiction",
    "gateway/planner/fetch_builder.py": "import gateway.execution",
}


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    env = {"PYTHONPATH": str(tree), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def tree_with_back_edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    for path, line in BACK_EDGES.items():
        with (tree / path).open("a", encoding="utf-8") as module:
            module.write(f"\n{line}  # a back-edge\n")
    return tree


def test_the_tree_keeps_every_contract() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_each_former_back_edge_breaks_a_contract(tree_with_back_edges: Path) -> None:
    result = lint(tree_with_back_edges)
    assert result.returncode == 1
    report = result.stdout
    assert "3 broken" in report
    for module in ("kernel.principal", "subgraphs.common.context", "subgraphs.permits.registry"):
        assert module in report
    assert "identity.directory" in report and "gateway.planner.fetch_builder" in report
