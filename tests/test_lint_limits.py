"""The solver's limits: a check too hard for z3 ends as "undecided", promptly and
the same way on every machine (a work limit, counted in z3's deterministic
resource units), and never as a verdict."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.errors import EXCERPT_WIDTH
from qengine.lint import limits, lint, lint_source
from qengine.lint.stats import NoCompletePath, UndecidedStatistics, path_statistics
from qengine.span import Source

ROOT = Path(__file__).resolve().parent.parent

# Fermat for cubes: no answers show d, which no solver proves in reasonable time
# (d is on a page of its own: on the first page a, b and c may still be blank,
# and blanks do show it)
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

group g2 "G2"
  display d "D"
    when a*a*a + b*b*b == c*c*c
'''


def test_a_nonlinear_condition_is_undecided_not_proved():
    findings = lint_source(Source(CUBES, "cubes.qdl"), select=["R"]).findings
    assert [(f.code, f.span.line) for f in findings] == [("R190", 14)]  # the group of d: shown only with d
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


def _lint_bounded(tmp_path, text: str) -> str:
    """`qengine lint` in a process of its own, with 2 GB of address space and a
    minute: a survey that makes lint's work explode fails here instead of taking
    the machine with it."""
    path = tmp_path / "s.qdl"
    path.write_text(text, encoding="utf-8")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", "lint", str(path)],
                          capture_output=True, text=True, timeout=60, preexec_fn=limit)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.stdout


def _chain(first: str, step: str, n: int = 40) -> str:
    """Equations e1..e{n-1}, each `step` of the one before (`{e}` in it)."""
    equations = "".join(f"  equation e{i}\n    value {step.format(e=f'e{i - 1}')}\n" for i in range(1, n))
    return (f'survey s "S"\n\ngroup g "G"\n  integer t "T"\n    min 0\n    max 9\n  single c "C"\n'
            f'    - a "A"\n    - b "B"\n  equation e0\n    value {first}\n{equations}'
            f'  display d "D {{e{n - 1}}}"\n    when e{n - 1} > 5\n')


@pytest.mark.parametrize(("first", "step"), [
    ("t + 2", "{e} * {e}"),  # a polynomial of degree 2**39 in t
    ('if(c == "a", 2, 3)', "{e} * {e}"),  # known values, twice as many at each step
    ('if(c == "a", "x", "yy")', "join({e}, {e})"),  # texts twice as long at each step
    ('"ab"', "join({e}, {e})"),
    ("t + 2", "if({e} > 3 and t > 1, {e} * 2, {e} + t)"),
])
def test_values_that_double_at_each_step_are_not_modelled_rather_than_exhausting_lint(tmp_path, first, step):
    out = _lint_bounded(tmp_path, _chain(first, step))
    assert "R101" not in out  # d is not claimed unreachable on what lint could not model


def test_findings_in_a_text_of_many_expressions_print_a_window_of_its_line(tmp_path):
    questions = "".join(f'  integer a{i} "A{i}"\n    min 0\n    max 3\n' for i in range(5))
    parts = "".join(f"{{a{i % 5}}}" for i in range(600))
    out = _lint_bounded(tmp_path, f'survey s "S"\n\ngroup g "G"\n{questions}  display d "{parts}"\n')
    assert out.count("R140") >= 600
    assert len(out) < 600 * 1_500  # the 2,600-character line, printed whole, took 600 * 5,500
    assert all(len(line) < EXCERPT_WIDTH + 20 for line in out.splitlines())


def test_patterns_are_matched_as_the_runtime_matches_them_in_linear_time(tmp_path):
    # Python's own engine takes minutes to refuse this text; the runtime's, no time
    text = ('survey s "S"\n\ngroup g "G"\n  text t "T"\n    pattern "^(a+)+$"\n'
            f'  display d "D"\n    when t == "{"a" * 40}!"\n')
    assert "R101" in _lint_bounded(tmp_path, text)  # t never holds a text its pattern refuses


def test_a_solver_out_of_memory_leaves_its_page_undecided_and_lint_goes_on(monkeypatch):
    import z3

    from qengine.lint import prover

    def out_of_memory(self, goals):
        raise z3.Z3Exception(b"max. memory exceeded")

    monkeypatch.setattr(prover, "explore", lambda logic, goals, **_: {})
    monkeypatch.setattr(prover._Slice, "batch", out_of_memory)
    result = lint(CUBES)
    undecided = [f for f in result.findings if f.code == "R190"]
    assert undecided and all(limits.GAVE_UP in f.message for f in undecided)
    assert not [f for f in result.findings if f.code in ("R101", "R102")]  # no verdict from a failed check


def test_any_other_solver_error_is_not_taken_for_a_limit(monkeypatch):
    import z3

    from qengine.lint import prover

    def broken(self, goals):
        raise z3.Z3Exception(b"sort mismatch")

    monkeypatch.setattr(prover, "explore", lambda logic, goals, **_: {})
    monkeypatch.setattr(prover._Slice, "batch", broken)
    with pytest.raises(z3.Z3Exception):
        lint(CUBES)
