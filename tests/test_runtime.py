"""The runtime's semantic rules, one test each, plus property tests."""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qengine
from qengine.errors import AnswerError, EvaluationError
from qengine.runtime import IncompleteError, MalformedAnswer, Session
from qengine.runtime.schema import response_schema

SURVEY = '''
survey demo "Demo"
language en

group about "About you"
  single age "How old are you?"
    mandatory
    - young "Under 31"
    - old "31 or more"
  multiple years "How long {if(age == "young", 'since you started', 'in the last five years')}?"
    when age != "young" and !is_empty(age)
    min 1
    max 2
    - a "A"
    - b "B"
    - none "None of these" exclusive
    - c "C" when age == "old"
  integer days "How many days?"
    min 0
    max 30
    suffix "days"

group money "Money"
  description "Because you are {age.shown}"
  when age == "old"
  grid sup "Supports"
    row usb "USB"
    row nas "NAS" when years_a == "Y"
    column here "Here"
    column away "Away"
    min 0
    max 6
    default 0
    validate sum(sup_usb_here, sup_usb_away, sup_nas_here, sup_nas_away) > 0 message "At least one, {age.shown}"
  equation total
    value sum(sup_usb_here, sup_usb_away, sup_nas_here, sup_nas_away)
  array conf "Confidence"
    mandatory
    row sec "Security"
    row back "Backups" when total > 2
    scale 1 to 5
  text note "Anything else?"
    maxlength 10
    pattern "[a-z ]*"
  decimal ratio "Ratio"
    when sup.visible and total > 3
'''


@pytest.fixture(scope="module")
def survey():
    return qengine.load(SURVEY)


def test_start_shows_first_page_with_its_visible_questions(survey):
    s = survey.start()
    assert s.page.key == "about"
    assert [v.code for v in s.questions()] == ["age", "days"]


def test_a_session_starts_with_qengine_session_and_survey_start_is_the_same(survey):
    a, b = qengine.Session(survey, format="question"), survey.start(format="question")
    assert type(a) is type(b) is Session
    assert a.to_json() == b.to_json() and a.page.questions == ("age",)


def test_accept_takes_the_stored_form_and_refuses_as_answer_does(survey):
    s = qengine.Session(survey, format="all")
    s.accept("age", "old")
    s.accept("years", ("a", "c"))  # coerced already: the tuple answer() makes of ["c", "a"]
    assert s.current_value("years") == ["a", "c"]
    with pytest.raises(AnswerError, match="at most 30"):
        s.accept("days", 31)
    assert s.current_value("days") is None
    with pytest.raises(MalformedAnswer, match="takes no answer"):
        s.accept("total", 3)  # an equation: computed, never given


def test_condition_reveals_question_on_same_page_with_dynamic_wording(survey):
    s = survey.start()
    s.answer("age", "old")
    views = {v.code: v for v in s.questions()}
    assert list(views) == ["age", "years", "days"]
    assert views["years"].text == "How long in the last five years?"
    assert [o.code for o in views["years"].options] == ["a", "b", "none", "c"]


def test_option_filter_hides_option_and_refuses_it(survey):
    s = survey.start()
    s.answer("age", "young")
    assert not s.is_visible("years")
    with pytest.raises(AnswerError):
        s.answer("years", ["a"])  # hidden question: refused
    assert s.given("years") is None


def test_hidden_question_reads_as_empty(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("years", ["a"])
    assert s.current_value("years") == ["a"]
    s.answer("age", "young")
    assert s.current_value("years") is None
    assert s.given("years") == ["a"]  # kept for when the respondent goes back
    s.answer("age", "old")
    assert s.current_value("years") == ["a"]


def test_group_condition_cascades_to_questions(survey):
    s = survey.start()
    s.answer("age", "young")
    assert not s.group_visible("money")
    assert not any(s.is_visible(c) for c in ("sup", "total", "conf", "note"))
    s.answer("age", "old")
    assert s.group_visible("money") and s.is_visible("sup")


def test_row_filter_follows_option_variable(survey):
    s = survey.start()
    s.answer("age", "old")
    assert [r.code for r in s.view("sup").rows] == ["usb"]
    s.answer("years", ["a"])
    assert [r.code for r in s.view("sup").rows] == ["usb", "nas"]


def test_defaults_count_as_answers_and_equations_recompute(survey):
    s = survey.start()
    s.answer("age", "old")
    assert s.current_value("sup") == {"usb": {"here": 0, "away": 0}}
    assert s.current_value("total") == 0
    s.answer("sup_usb_here", 3)
    assert s.current_value("total") == 3
    assert [r.code for r in s.view("conf").rows] == ["sec", "back"]
    assert not s.is_visible("ratio")
    s.answer("sup_usb_away", 1)
    assert s.is_visible("ratio")


def test_validation_message_is_dynamic_and_blocks_next(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("years", ["a"])
    assert s.next()
    assert s.page.key == "money"
    assert not s.next()
    messages = {p.question: p.message for p in s.last_problems}
    assert messages["sup"] == "At least one, 31 or more"
    assert messages["conf"] == "This question is mandatory."


@pytest.mark.parametrize("code, value, why", [
    ("days", 31, "at most 30"),
    ("days", -1, "at least 0"),
    ("days", 2.5, "whole number"),
    ("note", "abcdefghijk", "At most 10"),
    ("note", "ABC", "expected form"),
])
def test_refused_values_are_never_stored(survey, code, value, why):
    s = survey.start()
    s.answer("age", "old")
    with pytest.raises(AnswerError, match=why):
        s.answer(code, value)
    assert s.given(code) is None


def test_ticks_and_exclusive_options(survey):
    s = survey.start()
    s.answer("age", "old")
    with pytest.raises(AnswerError, match="at most 2"):
        s.answer("years", ["a", "b", "c"])
    with pytest.raises(AnswerError, match="cannot be ticked together"):
        s.answer("years", ["a", "none"])
    s.answer("years", ["none"])
    assert s.current_value("years") == ["none"]


@pytest.mark.parametrize("code, value", [
    ("age", ["young"]), ("age", "agel"), ("years", "a"), ("years", ["zz"]), ("days", "3"),
    ("sup", {"usb": 3}), ("sup", {"xx": {"here": 1}}), ("conf", {"sec": "9"}), ("total", 3),
])
def test_malformed_answers_name_the_question(survey, code, value):
    s = survey.start()
    s.answer("age", "old")
    with pytest.raises(MalformedAnswer) as info:
        s.answer(code, value)
    assert info.value.question == code


def test_mandatory_rows_of_array(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("sup_usb_here", 4)
    s.answer("conf_sec", "3")
    assert "Please answer every line." in s.view("conf").problems
    s.answer("conf_back", "5")
    assert s.view("conf").problems == ()


def test_submission_holds_only_shown_questions(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("years", ["a"])
    s.answer("sup", {"usb": {"here": 1}})
    s.answer("conf", {"sec": "4"})
    s.answer("age", "young")  # everything but age, years? no: years hides too
    response = s.submit().to_json()
    assert response == {"age": "young", "days": None}
    jsonschema.validate(response, response_schema(survey))


def test_submit_refuses_while_problems_remain(survey):
    s = survey.start()
    with pytest.raises(IncompleteError) as info:
        s.submit()
    assert [p.question for p in info.value.problems] == ["age"]


def test_navigation_skips_groups_with_nothing_shown_and_goes_back(survey):
    s = survey.start()
    s.answer("age", "young")
    assert s.next()
    assert s.finished and s.page is None
    assert s.back()
    assert s.page.key == "about"
    assert not s.back()


@pytest.mark.parametrize("fmt, pages", [("question", 7), ("group", 2), ("all", 1)])
def test_navigation_formats(survey, fmt, pages):
    s = survey.start(format=fmt)
    assert len(s.pages) == pages


def test_question_by_question_navigation_visits_only_shown(survey):
    s = survey.start(format="question")
    visited = []
    answers = {"age": "old", "years": ["b"], "conf": {"sec": "1"}, "sup": {"usb": {"away": 2}}}
    while not s.finished:
        (view,) = s.questions()
        visited.append(view.code)
        if view.code in answers:
            s.answer(view.code, answers[view.code])
        assert s.next(), s.last_problems
    assert visited == ["age", "years", "days", "sup", "conf", "note"]


def test_save_and_resume_keeps_hidden_answers_and_page(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("years", ["a"])
    s.next()
    s.answer("age", "young")
    saved = s.to_json()
    again = Session.from_json(survey, saved)
    assert again.given("years") == ["a"]
    assert again.page_number == s.page_number
    again.answer("age", "old")
    assert again.current_value("years") == ["a"]


@pytest.mark.parametrize("data", [None, [], {"qengine": "session/1", "survey": "other"},
                                  {"qengine": "session/1", "survey": "demo", "answers": {"age": 3}}])
def test_resume_rejects_foreign_state(survey, data):
    with pytest.raises(AnswerError):
        Session.from_json(survey, data)


def test_evaluation_error_is_a_survey_defect():
    broken = qengine.load('survey s "S"\ngroup g "G"\n  integer n "N"\n  equation e\n    value 10 / n\n')
    s = broken.start()
    with pytest.raises(EvaluationError, match="division by zero"):
        s.answer("n", 0)


# ---------------------------------------------------------------- property tests

@st.composite
def random_surveys(draw):
    """Small surveys of single choices, each maybe conditioned on earlier ones,
    with equations and wording reading earlier questions."""
    n = draw(st.integers(2, 7))
    lines = ['survey r "R"', 'group g "G"']
    codes = []
    for i in range(n):
        code = f"q{i}"
        if codes and draw(st.booleans()):
            lines.append(f'group g{i} "G{i}"')
            if draw(st.booleans()):
                other = draw(st.sampled_from(codes))
                lines.append(f'  when {other} != "{draw(st.sampled_from("abc"))}"')
        if codes and draw(st.integers(0, 4)) == 0:
            ref = draw(st.sampled_from(codes))
            lines.append(f"  equation {code}")
            lines.append(f'    value count({ref}) + countif("a", {", ".join(codes)})')
            codes.append(code)
            continue
        text = f"Q{i}"
        if codes and draw(st.booleans()):
            text += " {" + draw(st.sampled_from(codes)) + ".shown}"
        lines.append(f'  single {code} "{text}"')
        if codes and draw(st.booleans()):
            a, b = draw(st.sampled_from(codes)), draw(st.sampled_from(codes))
            cond = draw(st.sampled_from([
                f'{a} == "a"', f'{a} != "b" or {b} == "c"', f"is_empty({a})",
                f"{a}.visible and not is_empty({b})", f'{a} == "a" and {b} == "b"',
                f"{a} > 0",
            ]))
            lines.append(f"    when {cond}")
        for opt in "abc":
            lines.append(f'    - {opt} "{opt.upper()}"')
        if codes and draw(st.booleans()):
            lines[-1] += f' when {draw(st.sampled_from(codes))} != "c"'
        codes.append(code)
    return qengine.load("\n".join(lines) + "\n")


def _steps(survey):
    inputs = [q.code for q in survey.questions if q.is_input]
    return st.lists(st.tuples(st.sampled_from(inputs), st.sampled_from(["a", "b", "c", None])),
                    max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_incremental_and_full_evaluation_always_agree(data):
    survey = data.draw(random_surveys())
    session = survey.start()
    for code, value in data.draw(_steps(survey)):
        try:
            session.answer(code, value)
        except AnswerError:
            continue
        incremental = dict(session._results)
        session._recompute_all()
        assert session._results == incremental


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_an_answer_never_shown_never_reaches_a_response(data):
    survey = data.draw(random_surveys())
    session = survey.start()
    for code, value in data.draw(_steps(survey)):
        try:
            session.answer(code, value)
        except AnswerError:
            continue
    response = session.response().to_json()
    for q in survey.questions:
        if not session.is_visible(q.code):
            assert q.code not in response
        elif q.is_input:
            assert response[q.code] == session.current_value(q.code)
    jsonschema.validate(response, response_schema(survey))


def test_mandatory_grid_needs_every_cell_of_its_shown_rows():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  single more "More?"\n    - y "Yes"\n'
                          '  grid n "N"\n    mandatory\n    row r1 "R1"\n'
                          '    row r2 "R2" when more == "y"\n    column c1 "C1"\n    column c2 "C2"\n')
    s = survey.start()
    s.answer("n", {"r1": {"c1": 1}})
    assert s.view("n").problems == ("Please fill in every box.",)
    s.answer("n", {"r1": {"c1": 2, "c2": 0}})
    assert s.view("n").problems == ()
    s.answer("more", "y")  # shows r2, which is empty
    assert s.view("n").problems == ("Please fill in every box.",)


def test_answering_one_row_keeps_the_answer_of_a_row_hidden_since(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("sup_usb_here", 4)  # total 4: row "back" of conf is shown
    s.answer("conf_back", "2")
    s.answer("sup_usb_here", 1)  # row "back" hides again
    s.answer("conf_sec", "5")
    assert s.given("conf") == {"back": "2", "sec": "5"}
    assert s.current_value("conf") == {"sec": "5"}
    with pytest.raises(AnswerError):
        s.answer("conf_back", "3")  # a hidden row cannot be changed


@pytest.mark.parametrize("digits", [16, -400, 2**40])
def test_round_refuses_digits_no_number_has(digits):
    survey = qengine.load(f'survey s "S"\ngroup g "G"\n  decimal x "X"\n  equation r\n    value round(x, {digits})\n')
    with pytest.raises(EvaluationError, match="round"):
        survey.start().answer("x", 2.5)


def test_a_cleared_grid_cell_stays_cleared_when_another_cell_changes(survey):
    s = survey.start()
    s.answer("age", "old")
    s.answer("sup_usb_here", None)
    s.answer("sup_usb_away", 2)
    assert s.given("sup")["usb"] == {"away": 2}


def test_preview_reads_a_hidden_question_as_if_shown(survey):
    s = survey.start()
    assert s.view("years") is None
    preview = s.preview("years")
    assert preview.text == "How long in the last five years?"
    assert [o.code for o in preview.options] == ["a", "b", "none"]  # "c" needs age == "old"
    s.answer("age", "old")
    assert s.preview("years") == s.view("years")


def test_a_view_reports_the_question_s_qdl_keyword():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  integer i "I"\n  decimal d "D"\n  text t "T"\n'
                          '  longtext l "L"\n  grid n "N"\n    row r "R"\n    column c "C"\n')
    session = Session(survey)
    assert [v.kind for v in session.questions()] == ["integer", "decimal", "text", "longtext", "grid"]


def test_count_of_a_whole_question_counts_its_answered_parts():
    survey = qengine.load('survey s "S"\ngroup g "G"\n'
                          '  multiple m "M"\n    - x "X"\n    - y "Y"\n    - z "Z"\n'
                          '  array a "A"\n    row r1 "R1"\n    row r2 "R2"\n    row r3 "R3" when m_z == "Y"\n'
                          '    scale 1 to 3\n'
                          '  grid g2 "G"\n    row k "K"\n    column p "P"\n    column q "Q"\n'
                          '  display d "{count(m)} {count(a)} {count(g2)} {count(m, a, g2)}"\n')
    session = Session(survey)
    assert session.view("d").text == "0 0 0 0"
    session.answer("m", ["x", "z"])
    session.answer("a", {"r1": "1", "r3": "2"})
    session.answer("g2", {"k": {"p": 4}})
    assert session.view("d").text == "2 2 1 5"
    session.answer("m", ["x"])  # row r3 is no longer offered: its answer no longer counts
    assert session.view("d").text == "1 1 1 3"


def test_a_value_changing_from_false_to_zero_is_recomputed():
    """`0 == False` in Python: the session must still see strpos() move from false
    (no match) to 0 (a match at the start), and what reads it with it."""
    survey = qengine.load('''
survey s "S"
language en
group g "G"
  text t "T"
  equation at
    value strpos(t, "a")
  display d "found at {at}"
''')
    session = Session(survey)
    assert session.current_value("at") is False
    session.answer("t", "abc")
    assert session.current_value("at") == 0 and session.current_value("at") is not False
    assert session.view("d").text == "found at 0"
