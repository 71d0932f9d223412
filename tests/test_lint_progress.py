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


SURVEYS = [GP, *sorted((ROOT / "surveys" / "examples").glob("*.qdl"))]


def test_jobs_share_the_pages_and_find_the_same_with_the_same_witnesses():
    for path in SURVEYS:
        alone, shared = lint(path), lint(path, jobs=2)
        assert [(f.code, f.span, f.message, f.witness) for f in shared.findings] == \
               [(f.code, f.span, f.message, f.witness) for f in alone.findings], path


def test_the_command_takes_jobs():
    alone, shared = _cli("lint", str(GP)), _cli("lint", str(GP), "--jobs", "2")
    assert shared.stdout == alone.stdout and shared.returncode == alone.returncode
    refused = _cli("lint", str(GP), "--jobs", "0")
    assert refused.returncode == 2 and "--jobs" in refused.stderr


LEANING = '''survey s "S"

group g "G"
  single a "A?"
    - y "Yes"
    - n "No"
  single x "X?"
    when a == "y"
    - o "Oui"
    - n "Non"
  text name "Name?"

group g2 "G2"
  display y "Y"
    when x != "o"
  display hi "Hello {name}!"
'''


def test_jobs_give_the_solver_s_witnesses_too(monkeypatch):
    from qengine.lint import prover

    monkeypatch.setattr(prover, "explore", lambda logic, goals, **_: {})  # every goal to the solver
    alone, shared = lint(LEANING), lint(LEANING, jobs=2)
    found = [(f.code, f.span, f.message, f.witness) for f in shared.findings]
    assert found == [(f.code, f.span, f.message, f.witness) for f in alone.findings]
    assert {"R130", "R140"} <= {code for code, _, _, witness in found if witness is not None}
