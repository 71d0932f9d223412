"""Packaging facts a fresh machine depends on: what the README's commands install,
and under which name (issue #14, items 1 and 2)."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
DISTRIBUTION = PYPROJECT["project"]["name"]


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_test_extra_installs_the_build_backend():
    """tests/test_wheel.py builds without isolation, so the build backend must come
    with `pip install -e '.[test]'` and not from whatever the machine happens to have."""
    backend = {_requirement_name(r) for r in PYPROJECT["build-system"]["requires"]}
    test_extra = {_requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    assert backend <= test_extra, f"missing from [test]: {sorted(backend - test_extra)}"


def test_the_distribution_name_is_not_taken_by_another_project():
    # 'qengine' on the public index is an unrelated quantum-computing package.
    assert DISTRIBUTION == "qengine-survey"
    assert "qengine" in PYPROJECT["project"]["scripts"]


def _pip_install_targets():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for match in re.finditer(r"pip install ([^&|`\n]+)", line):
                for word in shlex.split(match.group(1)):
                    if not word.startswith("-"):
                        yield f"{path.relative_to(ROOT)}:{number}", word


def test_every_install_instruction_installs_this_project():
    """An instruction naming the project installs it by its own distribution name
    (or from the repository), never the other project's `qengine`."""
    targets = list(_pip_install_targets())
    assert targets, "the README has install commands"
    wrong = [(place, word) for place, word in targets if _requirement_name(word) == "qengine"]
    assert not wrong, wrong
