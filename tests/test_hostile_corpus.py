"""A corpus of hostile and mutated inputs run through every command (issue 14's
closing requirement): surveys written to hit known weak spots, the shipped surveys
mutated by Hypothesis, and hostile answers files. Every run must keep the command
line's contract: no traceback, no internal error (E000), exit 0, 1 or 2, and an
answer within a time bound.

Commands run in-process through Click's runner (a traceback is then an exception
the runner catches, which fails the test with it), each under an alarm, so that a
hang fails the test instead of the suite.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qengine.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "surveys").rglob("*.qdl"))
#: Seconds a command may take (a quiet machine needs under two for any of these).
TIME_BOUND = 30
HEAD = 'survey s "S"\nlanguage en\ngroup g "G"\n'

# ---------------------------------------------------------------- inputs

#: Surveys that aim at the weak spots found by the adversarial run of issue 14.
HOSTILE_SURVEYS = {
    "rows-all-filtered": HEAD + '  single a "A"\n    - y "Y"\n    - n "N"\n  array ar "Ar"\n'
                                '    row r1 "R1" when a == "y"\n    row r2 "R2" when a == "y"\n    scale 1 to 3\n',
    "wording-fails": HEAD + '  integer n "N"\n  display d "{10 / (n - n)} and {\'a\' + 1}"\n',
    "join-doubles": HEAD + '  text t "T"\n  equation j0\n    value t\n' + "".join(
        f"  equation j{i}\n    value join(j{i - 1}, j{i - 1})\n" for i in range(1, 41)) + '  display d "{j40}"\n',
    "product-doubles": HEAD + '  integer x "X"\n  equation p0\n    value x\n' + "".join(
        f"  equation p{i}\n    value p{i - 1} * p{i - 1}\n" for i in range(1, 41)) + '  display d "{p40}"\n',
    "backtracking-pattern": HEAD + '  text t "T"\n    mandatory\n    pattern "^(a+)+$"\n',
    "pattern-nothing-matches": HEAD + '  text t "T"\n    mandatory\n    pattern "[a-z]{3}[0-9]{2}x{0}"\n'
                                      '    maxlength 2\n',
    "escapes": 'survey s "\x1b]0;title\x07S"\ngroup g "G\x1b[2J"\n  single a "A\x1b]52;c;eA==\x07"\n'
               '    - y "Y\u202e"\n  display d "{a.shown}\x9b31m"\n',
    "huge-bounds": HEAD + '  integer n "N"\n    min -9007199254740991\n    max 9007199254740991\n'
                          '  decimal x "X"\n    max 0.000000000000000000000000000000001\n'
                          '  display d "{n * x * n * n}"\n',
    "number-4301-digits": HEAD + '  integer n "N"\n    max ' + "9" * 4301 + "\n",
    "decimal-to-infinity": HEAD + '  decimal n "N"\n    max ' + "1" * 400 + ".5\n",
    "deep-expression": HEAD + '  integer n "N"\n  display d "D"\n    when ' + "(" * 300 + "n" + ")" * 300 + " > 1\n",
    "deep-pattern": HEAD + '  text t "T"\n    pattern "' + "(" * 2000 + "a" + ")" * 2000 + '"\n',
    "unknown-names": HEAD + "".join(f'  integer q{i} "Q"\n    when zz{i} > {i}\n' for i in range(400)),
    "cycle": HEAD + '  integer a "A"\n    when b > 1\n  integer b "B"\n    when a > 1\n',
    "computed-pattern": HEAD + '  text p "P"\n  text t "T"\n    validate regexMatch(p, t) message "no"\n',
    "unknown-language": 'survey s "S"\nlanguage de\ngroup g "G"\n  integer n "N"\n    obligatoire\n',
    "long-word": HEAD + '  display d "' + "x" * 80_000 + '"\n',
    "many-parts": HEAD + '  integer n "N"\n  display d "' + "{n}" * 3_000 + '"\n',
    "nonlinear": HEAD + '  integer a "A"\n  integer b "B"\n  integer c "C"\n  display d "D"\n'
                        '    when a*a*a + b*b*b == c*c*c and a > 0 and b > 0\n',
    "mandatory-grid-defaults": HEAD + '  grid gr "Gr"\n    mandatory\n    row r "R"\n    column c "C"\n'
                                      '    default 50\n    min 0\n    max 9\n',
    "min-ticks-impossible": HEAD + '  multiple m "M"\n    mandatory\n    min 3\n    - a "A"\n    - b "B"\n',
    "empty": "",
    "nul": HEAD + "  integer n \"N\x00\"\n",
    "lone-brace": HEAD + '  display d "{"\n  display e "}"\n  display f "{}"\n',
    "keywords-only": "survey\ngroup\nsingle\n- \nwhen\n",
    "tabs-and-crlf": HEAD.replace("\n", "\r\n") + '\tinteger n "N"\r\n\t\tmin 0\r\n',
    "bom": "\ufeff" + HEAD + '  integer n "N"\n',
}

#: Answers files as a respondent could send them.
HOSTILE_ANSWERS = [
    "{}", "[]", "null", "{", "NaN", '{"n": NaN}', '{"n": 1e999}', '{"n": ' + "9" * 5000 + "}",
    '{"t": "\\ud800"}', "[" * 100_000, '{"zz": 1}', json.dumps({f"k{i}": i for i in range(200_000)}),
    '{"a": "a", "a": "b"}', '{"t": "' + "a" * 100_001 + '"}', '{"t": "' + "a" * 30 + '!"}',
    '{"x": 1, "t": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "n": -9007199254740991, "a": "y"}',
]

# Pieces that mutations drop into a shipped survey.
SNIPPETS = ["\n  integer zz \"Z\"\n    max 99999999999999999999\n", "{", "}", "\x1b]0;x\x07", "\u202e",
            "\n    when 1/0 > 1\n", "\n    pattern \"^(a+)+$\"\n", " and " * 3, "((((((((((", "\n-\n",
            "\n    value join(x, x)\n", "\n  equation e\n    value e\n", "\x00", "\"", "'", "\\",
            "\n    min 5\n    max 1\n", " 1e308 ", "9" * 50, "\n    scale 1 to 1000\n", "_x", "\ud800"]


@st.composite
def mutants(draw):
    """A shipped survey with one to three mutations: a line dropped, doubled or
    moved, a snippet inserted, the text cut short."""
    text = draw(st.sampled_from(SHIPPED)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        match draw(st.sampled_from(["drop", "double", "move", "insert", "cut"])):
            case "drop":
                del lines[where]
            case "double":
                lines.insert(where, lines[where])
            case "move":
                lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(where))
            case "insert":
                line = lines[where]
                at = draw(st.integers(0, len(line)))
                lines[where] = line[:at] + draw(st.sampled_from(SNIPPETS)) + line[at:]
            case "cut":
                lines = lines[:where]
        text = "\n".join(lines)
    return text


# ---------------------------------------------------------------- the contract

class Hung(Exception):
    """A command ran past the alarm."""


def _alarm(signum, frame):
    raise Hung(f"no answer in {2 * TIME_BOUND} s")


def commands(answers: Path, out: Path) -> list[list[str]]:
    return [["check"], ["export"], ["schema"], ["play", "--answers", str(answers)], ["lint"], ["lint", "--stats"],
            ["fuzz", "--examples", "3", "--out", str(out)], ["render", "--to", "html", "-o", str(out / "form.html")],
            ["render", "--to", "printable"], ["render", "--to", "terminal"]]


def holds_the_contract(command: list[str], survey: Path) -> None:
    """Run one command on `survey` and assert the contract."""
    args = [command[0], str(survey), *command[1:]]
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(2 * TIME_BOUND)
    began = time.perf_counter()
    try:
        result = CliRunner().invoke(main, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    took = time.perf_counter() - began
    where = f"qengine {' '.join(args)}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{where}: {type(result.exception).__name__}: {result.exception}") \
            from result.exception
    assert result.exit_code in (0, 1, 2), (where, result.exit_code, result.output[-2000:])
    for word in ("Traceback", "E000", "internal error", "bug of qengine"):
        assert word not in result.output, (where, result.output[-2000:])
    assert took < TIME_BOUND, (where, f"{took:.1f} s")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.qdl"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


# ---------------------------------------------------------------- the runs

@pytest.mark.parametrize("name", sorted(HOSTILE_SURVEYS))
def test_hostile_surveys_through_every_command(tmp_path, name):
    survey = _write(tmp_path, name, HOSTILE_SURVEYS[name])
    answers = tmp_path / "answers.json"
    answers.write_text('{"n": 3, "t": "aaa", "a": "y", "x": 2}', encoding="utf-8")
    for command in commands(answers, tmp_path):
        holds_the_contract(command, survey)


@pytest.mark.parametrize("survey", SHIPPED, ids=lambda p: p.name)
def test_hostile_answers_files_through_play(tmp_path, survey):
    answers = tmp_path / "answers.json"
    for text in HOSTILE_ANSWERS:
        answers.write_bytes(text.encode("utf-8", "surrogatepass"))
        holds_the_contract(["play", "--answers", str(answers)], survey)
        holds_the_contract(["play", "--answers", str(answers), "--json", "--format", "all"], survey)


# `qengine fuzz` runs Hypothesis itself (nested_given); a failing mutant is reported
# as drawn, not shrunk, which would take minutes of commands.
UNSHRUNK = settings(deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.nested_given])


@given(text=mutants())
@settings(UNSHRUNK, max_examples=25)
def test_mutated_surveys_through_every_command(tmp_path, text):
    survey = _write(tmp_path, "mutant", text)
    answers = tmp_path / "answers.json"
    answers.write_text("{}", encoding="utf-8")
    for command in commands(answers, tmp_path):
        holds_the_contract(command, survey)


JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30)),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=3), max_leaves=10)


@given(data=st.data())
@settings(UNSHRUNK, max_examples=40)
def test_random_answers_files_through_play(tmp_path, data):
    """Answers keyed by the survey's own codes (and a few others), holding any JSON."""
    import qengine

    path = data.draw(st.sampled_from(SHIPPED))
    codes = [q.code for q in qengine.load(path).questions] + ["zz", ""]
    answers = data.draw(st.dictionaries(st.sampled_from(codes), JSON, max_size=6))
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(answers), encoding="utf-8")
    holds_the_contract(["play", "--answers", str(file)], path)
