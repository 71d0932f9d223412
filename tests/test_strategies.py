"""The public strategies: valid answers as a session shows a question, whole respondents."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, NoSuchExample

import qengine
from qengine.errors import AnswerError
from qengine.testing import Respondent, SurveyDefect, answers, respondents

SURVEY = qengine.load('''
survey shapes "Every shape"
language en

group g "Everything"
  single gate "Gate"
    - y "Open"
    - n "Closed"
  single kind "Kind"
    mandatory
    - a "A"
    - b "B"
    - c "C only with the gate" when gate == "y"
  multiple kind2 "Ticks"
    min 2
    max 3
    - p "P"
    - q "Q"
    - r "R"
    - s "S" when kind == "b"
    - t "T"
    - nothing "Nothing" exclusive
  array scale "Scale"
    row one "One"
    row two "Two" when kind == "a"
    scale 1 to 4
  grid cells "Cells"
    row x "X"
    row y "Y"
    column left "Left"
    column right "Right"
    min -3
    max 3
  integer count "Count"
    min 2
    max 9
  decimal ratio "Ratio"
    min 0.25
    max 0.75
  integer free "Unbounded"
  text code "Code"
    pattern "[A-Z]{2}[0-9]{3}"
  text short "Short"
    maxlength 3
  longtext story "Story"
''')


def _draw_once(strategy):
    return find(strategy, lambda _: True, settings=settings(database=None, max_examples=1))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_drawn_answers_are_accepted_and_respect_what_is_shown(data):
    session = SURVEY.start()
    for _ in range(2):  # answer everything twice: options shown change with the answers
        for code in [v.code for v in session.questions()]:
            view = session.view(code)  # as it reads now, after the answers above it
            if view is None:
                continue
            value = data.draw(answers(session, code), label=code)
            session.answer(view.code, value)  # accepted: raises AnswerError otherwise
            offered = {o.code for o in view.options}
            match view.code:
                case "kind":
                    assert value in offered
                case "kind2":
                    assert set(value) <= offered
                    assert value == ["nothing"] or (2 <= len(value) <= 3 and "nothing" not in value)
                case "scale":
                    assert set(value) == {r.code for r in view.rows}
                case "cells":
                    assert all(-3 <= v <= 3 and isinstance(v, int) for row in value.values() for v in row.values())
                case "count":
                    assert 2 <= value <= 9 and isinstance(value, int)
                case "ratio":
                    assert 0.25 <= value <= 0.75
                case "code":
                    assert re.fullmatch("[A-Z]{2}[0-9]{3}", value)
                case "short":
                    assert 1 <= len(value) <= 3 and "\n" not in value


def test_only_a_long_text_answer_spans_lines():
    """A form's one-line box cannot hold a line break, so a drawn text has none."""
    session = SURVEY.start()
    several_lines = find(answers(session, "story"), lambda v: "\n" in v,
                         settings=settings(database=None, max_examples=500))
    assert "\n" in several_lines
    with pytest.raises(NoSuchExample):
        find(answers(session, "short"), lambda v: "\n" in v,
             settings=settings(database=None, max_examples=300))


def test_answers_to_a_hidden_or_unknown_question_are_refused_when_drawn():
    survey = qengine.load('''
survey s "S"
group g "G"
  single yes "Yes?"
    - y "Y"
  text why "Why?"
    when yes == "y"
  display note "Just a note"
''')
    session = survey.start()
    for code in ("why", "nope", "note"):
        strategy = answers(session, code)  # building it is fine; drawing is not
        with pytest.raises(InvalidArgument):
            _draw_once(strategy)


def test_respondents_needs_a_survey():
    with pytest.raises(InvalidArgument):
        _draw_once(respondents("survey.qdl"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(respondents(SURVEY))
def test_respondents_of_a_sound_survey_submit(respondent):
    respondent.check()
    assert respondent.response is not None
    assert set(respondent.response) <= {q.code for q in SURVEY.questions}
    assert respondent.steps[0].action == "page" and respondent.steps[-1].action == "submit"


def test_respondents_leave_blanks_go_back_and_try_invalid_values():
    actions: set[str] = set()

    # Derandomized: whether 150 respondents did all of these must not be luck
    # (about one run in forty missed one).
    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(respondents(qengine.load('''
survey walk "Walk"
format question
group g "G"
  integer n "N"
    min 0
    max 5
  single s "S"
    - a "A"
    - b "B"
  text t "T"
    when s == "a"
''')))
    def walk(respondent):
        respondent.check()  # every invalid value tried was refused and not stored
        actions.update(step.action for step in respondent.steps)

    walk()
    assert {"answer", "blank", "refused", "hidden", "back", "next", "submit"} <= actions


def test_a_failing_respondent_shrinks_to_a_short_readable_path():
    survey = qengine.load('''
survey deadend "Dead end"
group intro "Intro"
  text name "Name"
  integer age "Age"
    min 0
    max 120
group g "G"
  single plan "Plan"
    mandatory
    - a "A"
    - b "B"
    - c "C"
  integer n "How many?"
    mandatory
    min 0
    max 10
    validate plan != "c" or n > 20 message "Too few for plan c."
''')
    respondent = find(respondents(survey), lambda r: r.defect is not None,
                      settings=settings(max_examples=500, database=None, derandomize=True))
    assert isinstance(respondent, Respondent)
    assert respondent.defect.kind == "dead-end"
    lines = respondent.path.splitlines()
    # Shrinking has a time budget: on a busy machine the text may keep a few letters.
    assert re.fullmatch(r'    name = "a{1,12}"', lines[1])
    assert lines[:1] + lines[2:] == [
        "page intro: Intro",
        "    age = 0",
        "  next",
        "page g: G",
        '    plan = "c"',
        "    n = 0",
        "  next -> refused: [n] Too few for plan c.",
        "FAILED: " + str(respondent.defect),
    ]
    with pytest.raises(SurveyDefect) as caught:
        respondent.check()
    assert caught.value.respondent is respondent


def test_a_guide_is_followed_where_the_question_accepts_it():
    survey = qengine.load('''
survey narrow "Narrow"
group g "G"
  integer code "Code"
    mandatory
    min 0
    max 1000000
  single rare "Rare"
    when code == 424242
    - a "A"
''')
    seen = []

    @settings(max_examples=30, deadline=None, derandomize=True, database=None)
    @given(respondents(survey, guides=[{"code": 424242}, {"code": -5}]))
    def walk(respondent):
        respondent.check()
        seen.append("rare" in respondent.shown)

    walk()
    assert any(seen)


def test_a_refused_guide_value_falls_back_to_a_drawn_answer():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  integer n "N"\n    mandatory\n    max 3\n')
    with pytest.raises(AnswerError):
        survey.start().answer("n", 99)

    @settings(max_examples=20, deadline=None)
    @given(respondents(survey, guides=[{"n": 99}]))
    def walk(respondent):
        respondent.check()  # not reported as a valid answer refused
        assert respondent.response["n"] <= 3

    walk()
