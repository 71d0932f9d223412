"""Progress of long lint runs: what the library reports, and the bar the command
line draws on stderr from it (issue 20)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import qengine
from qengine.cli.progress import Bar
from qengine.lint import lint
from qengine.lint.stats import path_statistics

ROOT = Path(__file__).resolve().parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"


class Recorder:
    def __init__(self):
        self.phases: list[list] = []  # [label, total, done]

    def phase(self, label, total):
        self.phases.append([label, total, 0])

    def advance(self, done=1):
        self.phases[-1][2] += done


def test_lint_reports_its_phases_each_counted_to_its_total():
    seen = Recorder()
    result = lint(GP, progress=seen)
    assert result.findings == lint(GP).findings  # watching changes nothing
    phases = {label: (total, done) for label, total, done in seen.phases}
    survey = qengine.load(GP)
    assert phases["situations to look for"] == (len(survey.questions), len(survey.questions))
    assert 0 < phases["random respondents"][1] <= phases["random respondents"][0]
    for label, total, done in seen.phases:
        assert 0 <= done <= total, label


def test_stats_count_their_four_optimisations():
    seen = Recorder()
    path_statistics(qengine.load(GP), seen)
    assert seen.phases == [["path statistics", 4, 4]]


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_bar_waits_before_drawing_then_draws_in_place_and_wipes_itself():
    out, clock = io.StringIO(), Clock()
    with Bar("lint", out, delay=2.0, clock=clock) as bar:
        bar.phase("solving, page by page", 10)
        bar.advance(3)
        assert out.getvalue() == ""  # a quick run draws nothing
        clock.now += 2.5
        bar.advance()
        drawn = out.getvalue()
        assert drawn.startswith("\r") and "lint: solving, page by page" in drawn and " 4/10" in drawn
        assert "#" * 9 + "·" * 15 in drawn and "2 s" in drawn
        clock.now += 0.01
        bar.advance()
        assert out.getvalue() == drawn  # at most ten redraws a second
        clock.now += 0.2
        bar.advance(100)
        assert out.getvalue().endswith("10/10  3 s")  # never past the total
    assert out.getvalue().endswith("\r" + " " * len("lint: solving, page by page [" + "#" * 24 + "] 10/10  3 s")
                                   + "\r")


def test_a_disabled_bar_draws_nothing():
    out, clock = io.StringIO(), Clock()
    with Bar("lint", out, delay=0, clock=clock, enabled=False) as bar:
        bar.phase("x", 3)
        clock.now += 10
        bar.advance()
    assert out.getvalue() == ""


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_the_command_prints_no_bar_when_stderr_is_not_a_terminal_or_the_run_is_short():
    plain = _cli("lint", str(GP))
    assert plain.stderr == ""
    asked = _cli("lint", str(GP), "--progress")  # asked for, but done in well under 2 s
    assert asked.stderr == "" and asked.stdout == plain.stdout and asked.returncode == plain.returncode


def test_the_embedding_guide_lints_with_a_watcher(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    section = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8").split("## Linting")[1]
    code = re.findall(r"```python\n(.*?)```", section, flags=re.S)[0]
    exec(code, {})
    out = capsys.readouterr().out
    assert f"situations to look for: {len(qengine.load(GP).questions)}" in out
    assert "warning[D302]" in out
