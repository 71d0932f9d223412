"""The solver's limits: a check too hard for z3 ends as "undecided", promptly and
the same way on every machine (a work limit, counted in z3's deterministic
resource units), and never as a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.lint import limits, lint, lint_source
from qengine.lint.stats import NoCompletePath, UndecidedStatistics, path_statistics
from qengine.span import Source

ROOT = Path(__file__).resolve().parent.parent

# Fermat for cubes: no answers show d, which no solver proves in reasonable time
CUBES = '''survey s "S"

group g "G"
  integer a "A"
    mandatory
    min 1
  integer b "B"
    mandatory
    min 1
  integer c "C"
    mandatory
    min 1
  display d "D"
    when a*a*a + b*b*b == c*c*c
'''


def test_a_nonlinear_condition_is_undecided_not_proved():
    findings = lint_source(Source(CUBES, "cubes.qdl"), select=["R"]).findings
    assert [(f.code, f.span.line) for f in findings] == [("R190", 14)]
    assert limits.GAVE_UP in findings[0].message


def test_path_statistics_over_the_limit_are_undecided_not_impossible(tmp_path):
    with pytest.raises(UndecidedStatistics):
        path_statistics(qengine.load(CUBES))
    path = tmp_path / "cubes.qdl"
    path.write_text(CUBES, encoding="utf-8")
    out = CliRunner().invoke(main, ["lint", "--stats", str(path)])
    assert out.exit_code == 1 and "cannot decide" in out.output and "no respondent" not in out.output


@pytest.mark.parametrize("path", [ROOT / "surveys" / "gp_backup.qdl", *sorted((ROOT / "surveys").rglob("*/*.qdl"))],
                         ids=lambda p: p.name)
def test_a_solver_that_gives_up_everywhere_proves_nothing(path, monkeypatch):
    # checks that stop almost at once answer "unknown": no verdict may come of it
    full = {(f.code, f.span.start) for f in lint(path).findings}
    monkeypatch.setattr(limits, "RLIMIT_BASE", 1)
    monkeypatch.setattr(limits, "RLIMIT_PER_QUESTION", 0)
    starved = {(f.code, f.span.start) for f in lint(path).findings}
    assert {f for f in starved if f[0] != "R190"} <= full
    with pytest.raises(UndecidedStatistics):
        path_statistics(qengine.load(path))


def test_a_validation_the_solver_gives_up_on_is_no_dead_end():
    # 42 is a sum of three cubes (of 17-digit numbers, found in 2019): the grid has
    # an acceptable answer, which no solver finds
    text = ('survey s "S"\n\ngroup g "G"\n  grid h "H"\n    mandatory\n    row r "R"\n'
            '    column a "A"\n    column b "B"\n    column c "C"\n'
            '    validate h_r_a * h_r_a * h_r_a + h_r_b * h_r_b * h_r_b + h_r_c * h_r_c * h_r_c == 42'
            ' message "no"\n')
    codes = [f.code for f in lint_source(Source(text, "t.qdl"), select=["R"]).findings]
    assert codes == ["R190"]


def test_no_complete_path_is_still_proved():
    blocked = ('survey s "S"\n\ngroup g "G"\n  integer b "B"\n    min 0\n    max 5\n'
               '  single a "A"\n    mandatory\n    - x "X" when b > 10\n')
    with pytest.raises(NoCompletePath):
        path_statistics(qengine.load(blocked))
