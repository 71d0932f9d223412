"""The README stays true: its QDL example loads, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import qengine

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = blocks("sh")
    assert len(commands) == 2
    assert "surveys/gp_backup.qdl" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    test_command = blocks("sh")[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_example_survey_loads():
    (example,) = blocks("qdl")
    survey = qengine.load(example)
    session = survey.start()
    session.answer("drinks", "yes")
    session.answer("cups", 5)
    assert session.view("why").text == "Why so many cups?"
