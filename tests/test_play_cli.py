"""`qengine play`, `qengine schema` and the embedding example, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from qengine.cli import main
from qengine.kinds.number import IntegerKind
from qengine.kinds.single import SingleKind

ROOT = Path(__file__).resolve().parents[1]
SURVEY = '''survey demo "Demo"
language en
group g "G"
  single age "Age?"
    mandatory
    - young "Young"
    - old "Old"
  integer n "How many, {age.shown}?"
    when age == "old"
    min 0
    max 5
'''


@pytest.fixture
def files(tmp_path):
    path = tmp_path / "demo.qdl"
    path.write_text(SURVEY, encoding="utf-8")

    def answers(data):
        p = tmp_path / "answers.json"
        p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(p)

    return str(path), answers


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_play_json_submits(files):
    survey, answers = files
    result = run("play", survey, "--answers", answers({"age": "old", "n": 3}), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "shown": ["age", "n"], "complete": True, "response": {"age": "old", "n": 3},
        "texts": {"age": "Age?", "n": "How many, Old?"}, "errors": []}


def test_play_coerces_each_answer_once(files, monkeypatch):
    """The answers file is checked whole before the first page (exit 2 for a bad
    entry), and those checked values are what the session gets: not coerced again."""
    calls = []
    for kind in (SingleKind, IntegerKind):
        def counting(self, q, raw, coerce=kind.coerce):
            calls.append(q.code)
            return coerce(self, q, raw)
        monkeypatch.setattr(kind, "coerce", counting)
    survey, answers = files
    result = run("play", survey, "--answers", answers({"age": "old", "n": 3.0}), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["response"] == {"age": "old", "n": 3}  # coerced: 3.0 is stored as 3
    assert sorted(calls) == ["age", "n"]


def test_play_hidden_answer_never_reaches_response(files):
    survey, answers = files
    result = run("play", survey, "--answers", answers({"age": "young", "n": 3}), "--json")
    out = json.loads(result.output)
    assert result.exit_code == 0
    assert out["shown"] == ["age"] and out["response"] == {"age": "young"}


@pytest.mark.parametrize("data, message", [
    ({}, "This question is mandatory."),
    ({"age": "old", "n": 9}, "The value must be at most 5."),
])
def test_play_blocked_page_exits_1_with_errors(files, data, message):
    survey, answers = files
    result = run("play", survey, "--answers", answers(data), "--json")
    assert result.exit_code == 1
    out = json.loads(result.output)
    assert out["complete"] is False
    assert [e["message"] for e in out["errors"]] == [message]


@pytest.mark.parametrize("data, expected", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ({"agee": "old"}, "unknown question 'agee' (did you mean 'age'?)"),
    ({"age": ["old"]}, "age: expected an option code"),
    ({"age": "agel"}, "'agel' is not an option"),
])
def test_play_malformed_answers_exit_2_naming_code_and_value(files, data, expected):
    survey, answers = files
    result = run("play", survey, "--answers", answers(data))
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_play_transcript_is_readable(files):
    survey, answers = files
    result = run("play", survey, "--answers", answers({"age": "old", "n": 2}))
    assert result.exit_code == 0
    assert "[n] How many, Old?" in result.output and "submitted" in result.output


def test_schema_validates_played_responses(files):
    survey, answers = files
    schema = json.loads(run("schema", survey).output)
    out = json.loads(run("play", survey, "--answers", answers({"age": "old", "n": 2}), "--json").output)
    jsonschema.validate(out["response"], schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"age": "old", "n": 9}, schema)


def test_embedding_example_runs():
    done = subprocess.run([sys.executable, str(ROOT / "docs/examples/embed.py")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {
        "drinks": "yes", "cups": 3, "reason": "It keeps me awake"}


def test_play_shows_what_is_on_the_page_when_leaving_it(tmp_path):
    """A question that appears and disappears while the page is filled in was not
    presented; `shown` and `texts` agree."""
    path = tmp_path / "t.qdl"
    path.write_text('survey t "T"\ngroup g "G"\n  single a "A?"\n    - y "Yes"\n    - n "No"\n'
                    '  single b "B?"\n    when a != "y"\n    - y "Yes"\n', encoding="utf-8")
    answers = tmp_path / "a.json"
    answers.write_text('{"a": "y"}', encoding="utf-8")
    out = json.loads(run("play", str(path), "--answers", str(answers), "--json").output)
    assert out["shown"] == ["a"] and list(out["texts"]) == ["a"]


def test_blocked_play_reports_every_problem_of_the_page_and_a_partial_response(tmp_path):
    path = tmp_path / "t.qdl"
    path.write_text('survey t "T"\ngroup g "G"\n  integer n "N"\n    max 3\n  text t "T"\n    mandatory\n'
                    'group h "H"\n  text u "U"\n', encoding="utf-8")
    answers = tmp_path / "a.json"
    answers.write_text('{"n": 9}', encoding="utf-8")
    result = run("play", str(path), "--answers", str(answers), "--json")
    out = json.loads(result.output)
    assert result.exit_code == 1
    assert [e["question"] for e in out["errors"]] == ["n", "t"]
    assert out["response"] == {"n": None, "t": None}  # page h was never reached


def test_play_does_not_answer_a_question_an_earlier_answer_just_hid(tmp_path):
    path = tmp_path / "t.qdl"
    path.write_text('survey t "T"\ngroup g "G"\n  single a "A?"\n    - y "Yes"\n    - n "No"\n'
                    '  single b "B?"\n    when a != "y"\n    - y "Yes"\n', encoding="utf-8")
    answers = tmp_path / "a.json"
    answers.write_text('{"a": "y", "b": "y"}', encoding="utf-8")
    result = run("play", str(path), "--answers", str(answers), "--json")
    out = json.loads(result.output)
    assert result.exit_code == 0 and out["errors"] == []
    assert out["response"] == {"a": "y"}
