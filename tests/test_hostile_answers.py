"""Hostile answers files, saved sessions and API values, and the one definition of
a valid answer shared by `qengine schema` and `qengine play` (issue 14, items 19,
24, 28 and 31)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qengine
from qengine.errors import AnswerError
from qengine.runtime import MalformedAnswer, Session
from qengine.runtime.answers import answer_problem
from qengine.runtime.play import AnswersFileError, play, read_answers
from qengine.runtime.schema import response_schema
from qengine.testing import respondents

ROOT = Path(__file__).resolve().parents[1]


def ident(value):
    """Test ids that pytest can print: a whole number of thousands of digits
    cannot be (Python refuses to write one over 4,300 digits)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"int{value.bit_length()}bits"
    if isinstance(value, dict | list) or isinstance(value, str) and len(value) > 40:
        return type(value).__name__
    return None


SURVEY = qengine.load('''survey s "S"
group g "G"
  integer n "N"
    min 0
    max 100
  decimal x "X"
  text t "T"
    maxlength 20
    pattern "[a-z]*"
  longtext lt "LT"
  single one "One"
    - a "A"
    - b "B"
  multiple many "Many"
    max 2
    - a "A"
    - b "B"
    - none "None" exclusive
  array arr "Arr"
    row r1 "R1"
    row r2 "R2"
    scale 1 to 3
  grid gr "Grid"
    row r1 "R1"
    column c1 "C1"
    column c2 "C2"
    min 0
    max 9
  equation e
    value sum(n, 1)
  display d "D"
''')


# ---------------------------------------------------------------- answers files (19, 24)

@pytest.mark.parametrize(("text", "message"), [
    ('{"n": ' + "9" * 4301 + "}", "beyond ±9,007,199,254,740,991"),
    ('{"n": ' + "9" * 30 + "}", "beyond"),
    ('{"x": 1e400}', "beyond"),
    ('{"x": -1e400}', "beyond"),
    ('{"x": NaN}', "NaN is not a number JSON allows"),
    ('{"x": Infinity}', "Infinity is not a number JSON allows"),
    ('{"gr": {"r1": {"c1": 1e999}}}', "beyond"),
    ('{"t": ' + "[" * 100_000 + "]" * 100_000 + "}", "nest more than 16 deep"),
    ('{"t": ' + "[" * 20 + "]" * 20 + "}", "nest more than 16 deep"),
    ('{"t": "\\ud800"}', "lone surrogate"),
    ('{"t": "a", "t": "b"}', "given twice"),
    ('{"lt": "' + "x" * 100_001 + '"}', "at most 100,000 characters"),
    (" " * 5_000_001, "more than 5,000,000 characters"),
    ('{"many": [' + "9" * 5000 + "]}", "beyond"),
    ('{"d": "x"}', "a display text takes no answer"),
    ('{"e": [1]}', "an equation's value is a string, a number or a boolean"),
], ids=ident)
def test_hostile_answers_files_are_refused_with_a_message(text, message):
    with pytest.raises(AnswersFileError) as caught:
        read_answers(text, SURVEY, origin="a.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("a.json")


def test_200000_unknown_keys_are_refused_at_once():
    text = json.dumps({f"q{i}": i for i in range(200_000)})
    began = time.perf_counter()
    with pytest.raises(AnswersFileError) as caught:
        read_answers(text, SURVEY, origin="a.json")
    assert time.perf_counter() - began < 5
    problems = caught.value.problems
    assert len(problems) == 11 and problems[-1] == "a.json: … and 199,990 more unknown questions"


@pytest.mark.parametrize(("code", "value", "message"), [
    ("n", 10**5000, "a whole number of about 5,000 digits"),
    ("n", float("inf"), "expected a number from"),
    ("x", float("nan"), "expected a number from"),
    ("x", 2**53, "expected a number from"),
    ("t", "\ud800x", "lone surrogate"),
    ("one", 10**5000, "expected an option code"),
    ("many", [[[[[[[[[[["a"]]]]]]]]]]], "is not an option"),
    ("arr", {"r1": 10**5000}, "is not a column"),
    ("gr", {"r1": {"c1": float("-inf")}}, "expected a number from"),
], ids=ident)
def test_hostile_values_given_through_the_api_are_malformed(code, value, message):
    session = SURVEY.start()
    with pytest.raises(MalformedAnswer) as caught:
        session.answer(code, value)
    assert message in caught.value.message and len(caught.value.message) < 400


# ---------------------------------------------------------------- saved sessions (28)

SAVED = {"qengine": "session/1", "survey": "s", "format": "all", "page": 0, "answers": {"n": 3}}


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "pages"}, "unknown page format 'pages'"),
    ({"format": ["all"]}, "unknown page format"),
    ({"page": -2}, "page must be a whole number from -1 to 1"),
    ({"page": 10**100}, "page must be a whole number"),
    ({"page": True}, "page must be a whole number"),
    ({"page": "0"}, "page must be a whole number"),
    ({"answers": {"n": 10**5000}}, "expected a number from"),
    ({"answers": {"zz": 1}}, "no such question"),
    ({"answers": {"e": 1}}, "not answered"),
    ({"answers": [1]}, "answers must be an object"),
    ({"survey": 10**5000}, "saved for survey <a whole number"),
], ids=ident)
def test_hostile_saved_sessions_are_answer_errors(change, message):
    with pytest.raises(AnswerError) as caught:
        Session.from_json(SURVEY, {**SAVED, **change})
    assert message in caught.value.message


@pytest.mark.parametrize(("text", "message"), [
    ('{"qengine": "session/1", "page": ' + "1" * 5000 + "}", "beyond"),
    ("[" * 50_000, "nest more than 16 deep"),
    ("{", "not valid JSON"),
], ids=ident)
def test_a_saved_session_is_read_within_bounds(text, message):
    with pytest.raises(AnswerError) as caught:
        Session.read(SURVEY, text)
    assert message in caught.value.message


def test_a_saved_session_reads_back():
    session = SURVEY.start(format="all")
    session.answer("n", 3)
    again = Session.read(SURVEY, json.dumps(session.to_json()))
    assert again.current_value("n") == 3 and again.page_number == session.page_number


# ---------------------------------------------------------------- one definition (31)

CODES = ["a", "b", "none", "r1", "r2", "c1", "c2", "zz", 1, 1.0, 2, 3, "2", "3", 0, "01"]
SCALARS = st.one_of(st.none(), st.booleans(), st.sampled_from(CODES),
                    st.integers(min_value=-10, max_value=110), st.floats(allow_nan=False, allow_infinity=False),
                    st.integers(min_value=2**53 - 2, max_value=2**53 + 2),
                    st.text(alphabet="abcXY1 \n", max_size=25))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["r1", "r2", "c1", "c2", "zz"]), inner, max_size=3)),
    max_leaves=8)
VALIDATOR = jsonschema.Draft202012Validator(response_schema(SURVEY))


@given(code=st.sampled_from([q.code for q in SURVEY.questions]), value=JSON_VALUES)
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_schema_accepts_exactly_the_valid_answers(code, value):
    problem = answer_problem(SURVEY.by_code[code], value)
    valid = VALIDATOR.is_valid({code: value})
    assert valid == (problem is None), (code, value, problem)


@pytest.mark.parametrize(("code", "value"), [
    ("many", []), ("arr", {}), ("gr", {"r1": {"c1": None}}), ("arr", {"r1": 2}), ("arr", {"r2": 3.0}), ("t", ""),
])
def test_what_play_accepts_the_schema_accepts(code, value):
    assert answer_problem(SURVEY.by_code[code], value) is None
    assert VALIDATOR.is_valid({code: value})
    assert play(SURVEY, {code: value}).complete


def test_an_equation_value_in_an_answers_file_is_accepted_and_computed_anew():
    result = play(SURVEY, {"n": 4, "e": 99})
    assert result.complete and result.response["e"] == 5


@pytest.mark.parametrize("name", ["gp_backup.qdl", "examples/household.qdl", "examples/mobilite.qdl",
                                  "examples/tutorial.qdl"])
def test_a_played_response_replays_as_an_answers_file(name):
    survey = qengine.load(ROOT / "surveys" / name)
    validator = jsonschema.Draft202012Validator(response_schema(survey))

    @given(respondents(survey))
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    def replay(respondent):
        if respondent.response is None:
            return
        response = dict(respondent.response)
        assert validator.is_valid(response)
        again = play(survey, read_answers(json.dumps(response), survey))
        assert again.complete and again.response == response
    replay()
