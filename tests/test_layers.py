"""The import-linter contracts in pyproject.toml are live: the tree keeps them, and breaking one fails.

A copy of the packages gets one forbidden import added (a view importing the CAMS client, or the SDK)
and ``lint-imports`` must then report the broken contract.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
    )


@pytest.fixture
def tree_copy(tmp_path):
    for package in ("applications", "config"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_layer_contract(tree_copy):
    result = lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("line", "contract"),
    [
        ("from ..cams import client  # noqa", "never the client itself"),
        ("import alibabacloud_tea_openapi  # noqa", "Only the CAMS client module touches"),
        ("from ..sandbox import dataset  # noqa", "The simulator is used only by"),
    ],
)
def test_a_view_importing_what_it_must_not_breaks_a_contract(tree_copy, line, contract):
    view = tree_copy / "applications" / "views" / "api.py"
    view.write_text(view.read_text() + f"\n{line}\n")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert contract in " ".join(result.stdout.split())
