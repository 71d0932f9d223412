"""The static checks CI holds the code to: `ruff check` and `mypy`, both configured
in pyproject.toml (issue #15). Run from the repository root as subprocesses, so
that the README's test command runs them; each fails with the tool's own report.

mypy keeps its cache in `.mypy_cache` at the root (ignored by git): a first run
takes about a minute on two cores, later ones a few seconds. Locally a missing tool
skips; under CI (`CI` set) it fails, as it is in the `test` extra."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.timeout(600)  # a cold mypy cache on a busy machine


def _tool(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed (pip install -e '.[test]')")
        pytest.skip(f"{module} is not installed")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # the checks read the sources, not an installed copy: no PYTHONPATH of the caller
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)


def test_ruff_check_is_clean():
    _tool("ruff")
    done = _run("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, f"ruff check found problems:\n{done.stdout}{done.stderr}"


def test_mypy_is_clean():
    _tool("mypy")
    # files and settings: [tool.mypy] in pyproject.toml
    done = _run("mypy", "--config-file", "pyproject.toml", "--cache-dir", ".mypy_cache")
    assert done.returncode == 0, f"mypy found errors:\n{done.stdout}{done.stderr}"
