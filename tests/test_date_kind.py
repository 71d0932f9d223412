"""The built-in `date` kind: an ISO date `YYYY-MM-DD` between optional bounds, with
every command (check, play, lint, fuzz, schema, the annex, the HTML and terminal
forms)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from terminal_drive import DRIVE

import qengine
from qengine.errors import AnswerError, QdlError
from qengine.kinds import kind_of
from qengine.lint.prover import POSSIBLE, UNDECIDED
from qengine.lint.witness import witness
from qengine.runtime.messages import message
from qengine.runtime.play import play

SURVEY = '''survey dates "Dates"
language en

group g "G"
  date born "When were you born?"
    min "1900-01-01"
    max "2024-12-31"
    mandatory
  display recent "Born this century."
    when born >= "2000-01-01"
  display never "Never."
    when born == "2030-01-01"
'''


@pytest.fixture
def survey(tmp_path) -> Path:
    path = tmp_path / "dates.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    return path


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120)


def test_the_kind_is_registered():
    survey = qengine.load(SURVEY)
    q = survey.by_code["born"]
    assert kind_of(q).name == "date" and (q.min, q.max) == ("1900-01-01", "2024-12-31")
    assert kind_of(q).shape == "text" and kind_of(q).widget.input_type == "date"


@pytest.mark.parametrize(("statement", "error"), [
    ('min 3', "'min' takes a date in quotes in a date question"),
    ('max "31/12/2024"', "the max of 'd' must be a date written"),
    ('default "2023-02-29"', "the default of 'd' must be a date written"),
    ('maxlength 3', "'maxlength' is not allowed in a date question"),
])
def test_check_refuses_what_is_not_a_date(statement, error):
    with pytest.raises(QdlError) as err:
        qengine.load(f'survey s "S"\ngroup g "G"\n  date d "When?"\n    {statement}\n')
    assert error in str(err.value)


def test_a_number_question_refuses_a_quoted_bound():
    with pytest.raises(QdlError) as err:
        qengine.load('survey s "S"\ngroup g "G"\n  integer n "How many?"\n    min "3"\n')
    assert "'min' takes a number in an integer question" in str(err.value)


@pytest.mark.parametrize(("value", "problem"), [
    ("2001-05-17", None), ("1900-01-01", None), ("2024-12-31", None),
    ("1899-12-31", "The date must be 1900-01-01 or later."),
    ("2025-01-01", "The date must be 2024-12-31 or earlier."),
    ("2023-02-29", "Please enter a date as YYYY-MM-DD."),
    ("17/05/2001", "Please enter a date as YYYY-MM-DD."),
    ("2001-5-17", "Please enter a date as YYYY-MM-DD."),
])
def test_session_answers(value, problem):
    session = qengine.load(SURVEY).start()
    if problem is None:
        session.answer("born", value)
        assert session.current_value("born") == value
        assert session.is_visible("recent") == (value >= "2000-01-01")
    else:
        with pytest.raises(AnswerError) as err:
            session.answer("born", value)
        assert problem in str(err.value)


def test_refusals_are_in_french_too():
    assert message("fr", "date_min", n="1900-01-01") == "La date doit être le 1900-01-01 ou après."
    session = qengine.load(SURVEY.replace("language en", "language fr")).start()
    with pytest.raises(AnswerError) as err:
        session.answer("born", "2023-02-29")
    assert "AAAA-MM-JJ" in str(err.value)


def test_a_value_of_the_wrong_shape_is_malformed(survey, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"born": 20010517}))
    done = cli("play", str(survey), "--answers", str(answers))
    assert done.returncode == 2 and "born: expected a string" in done.stderr


def test_play(survey, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"born": "2001-05-17"}))
    result = json.loads(cli("play", str(survey), "--answers", str(answers), "--json").stdout)
    assert result["complete"] and result["shown"] == ["born", "recent"]


def test_lint(survey, tmp_path):
    findings = json.loads(cli("lint", str(survey), "--format", "json").stdout)
    codes = {(f["code"], f["line"]) for f in findings}
    assert ("R101", 12) in codes  # a date after max is never answered: exact
    # the order of two texts is not modelled: never a wrong verdict. 'recent' is
    # undecided (R190), or shown by a witness the runtime confirmed
    assert ("R101", 10) not in codes
    loaded = qengine.load(survey)
    verdict = witness(loaded, "recent")
    assert verdict.status in (POSSIBLE, UNDECIDED)
    if verdict.status == POSSIBLE:
        assert "recent" in play(loaded, verdict.witness).shown


def test_schema(survey):
    schema = json.loads(cli("schema", str(survey)).stdout)
    answer = next(a for a in schema["properties"]["born"]["anyOf"] if a.get("type") == "string")
    assert answer["format"] == "date" and (answer["formatMinimum"], answer["formatMaximum"]) == \
        ("1900-01-01", "2024-12-31")
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for value, valid in (("2001-05-17", True), (None, True), ("2001-5-17", False), ("17/05/2001", False),
                         (20010517, False)):
        assert (not list(checker.iter_errors({"born": value}))) == valid, value


def test_fuzz(survey, tmp_path):
    done = cli("fuzz", str(survey), "-n", "40", "--seed", "3", "--json", "--out", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["passed"] and report["failures"] == []
    assert 0 < report["coverage"]["questions"]["recent"]["shown"] < report["respondents"]
    assert report["unreachable"] == ["never"]


def test_samples_are_valid_and_invalid_ones_refused():
    from qengine.kinds.samples import Decisions, Texts

    survey = qengine.load(SURVEY)
    q = survey.by_code["born"]
    kind = kind_of(q)
    session = survey.start()
    view = session.preview("born")
    for seed in range(40):
        value = kind.valid_answer(q, view, Decisions(bytes([seed * 6 % 256, seed])), Texts())
        assert "1900-01-01" <= value <= "2024-12-31"
        assert kind.refusal(q, value, set(), "en") is None
    for bad in kind.invalid_values(q, view):
        with pytest.raises(AnswerError):
            survey.start().answer("born", bad.value)


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Please write a date (YYYY-MM-DD)"), ("fr", "Veuillez écrire une date (AAAA-MM-JJ)")])
def test_printable_annex(tmp_path, language, words):
    source = tmp_path / "d.qdl"
    source.write_text(SURVEY.replace("language en", f"language {language}"), encoding="utf-8")
    out = tmp_path / "annex.html"
    done = cli("render", str(source), "--printable", "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert words in html and "1900-01-01" in html
    assert 'class="question kind-date widget-text"' in html


def test_html_markup_draws_a_date_input(survey, tmp_path):
    form = tmp_path / "form.html"
    done = cli("render", str(survey), "--to", "html", "-o", str(form))
    assert done.returncode == 0, done.stderr
    assert '"date"' in form.read_text(encoding="utf-8")  # the widget's input type reaches form.js




def test_terminal_form_states_the_format(survey):
    keys = ["enter", *"2030-01-01", "enter", "ctrl-u", *"2001-05-17", "enter", "enter"]
    done = subprocess.run([sys.executable, "-c", DRIVE, str(survey), json.dumps(keys)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "Write a date as YYYY-MM-DD · between 1900-01-01 and 2024-12-31" in out["screens"][0]
    refused = out["screens"][11]
    assert "✗" in refused and "2024-12-31 or earlier" in refused
    assert out["events"][-1] == "submitted" and out["response"] == {"born": "2001-05-17"}


def test_html_form_takes_a_date_from_the_picker(survey, tmp_path):
    from browser_form import Respondent, browser

    form = tmp_path / "form.html"
    assert cli("render", str(survey), "--to", "html", "-o", str(form)).returncode == 0
    with browser() as chromium:
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(form.as_uri())
        respondent = Respondent(page)
        respondent.start()
        box = "[data-question=born] input[name=born]"
        assert page.get_attribute(box, "type") == "date"
        assert (page.get_attribute(box, "min"), page.get_attribute(box, "max")) == ("1900-01-01", "2024-12-31")
        assert respondent.hidden("recent")
        page.fill(box, "2001-05-17")
        page.dispatch_event(box, "change")
        assert not respondent.hidden("recent")  # the session read "2001-05-17" >= "2000-01-01"
        page.fill(box, "2030-01-01")  # beyond max: the picker lets it through, the runtime does not
        page.dispatch_event(box, "change")
        respondent.next()
        assert any("2024-12-31 or earlier" in e for e in respondent.errors("born")), respondent.errors("born")
        page.fill(box, "1999-12-31")
        page.dispatch_event(box, "change")
        assert respondent.hidden("recent")
        respondent.next()
        assert respondent.screen() == "end"
        response = respondent.download()
        context.close()
    assert response == {"born": "1999-12-31"}


def test_served_page_markup_is_a_date_input():
    import re

    from qengine_renderers.html.renderer import Served, ServedForm

    survey = qengine.load(SURVEY)
    session = survey.start()
    html = ServedForm(survey).page(Served(session=session, screen="form", action="/p", csrf="x", nonce="n",
                                          shown_at=0, start="/", restart="/"))
    (box,) = re.findall(r'<input[^>]*name="born"[^>]*>', html)
    assert 'type="date"' in box and 'min="1900-01-01"' in box and 'max="2024-12-31"' in box


EDGES = '''survey e "Edge"
language en

group g "G"
  date a "A?"
    min "2024-01-02"
    max "2024-01-01"
  date b "B?"
    min "2024-01-01"
    max "2024-01-02"
    default "2023-06-01"
  display x "X"
    when b == "2024-01-01" or b == "2024-01-02"
  display y "Y"
    when not is_empty(b) and b != "2024-01-01" and b != "2024-01-02" and b != "2023-06-01"
  display z "Z"
    when b == "2023-06-01"
  display w "W"
    when not is_empty(a)
'''


def test_lint_is_exact_about_which_dates_can_be_answered(tmp_path):
    path = tmp_path / "edges.qdl"
    path.write_text(EDGES, encoding="utf-8")
    findings = json.loads(cli("lint", str(path), "--format", "json").stdout)
    found = {(f["code"], f["line"]) for f in findings}
    # two days in bounds, both named: no other date; no date at all between inverted bounds
    assert found == {("R101", 15), ("R101", 19), ("D306", 8)}, findings
