"""The terminal form and its storyboard against surveys that are legal but awkward
(everything filtered away, wording that fails to evaluate, huge words) and against
every survey shipped in surveys/: no traceback, ever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qengine_renderers.terminal import keys
from qengine_renderers.terminal.editors import offers_nothing
from qengine_renderers.terminal.form import CLOSED, END, QUESTION, QUIT, SUBMITTED, Form
from qengine_renderers.terminal.storyboard import storyboard
from qengine_renderers.terminal.text import cells, wrap

import qengine
from qengine.cli import main
from qengine.testing import answers

ROOT = Path(__file__).resolve().parent.parent
SURVEYS = sorted((ROOT / "surveys").rglob("*.qdl"))
SIZES = ((80, 24), (40, 12), (120, 40))


def screens(form: Form) -> str:
    """Every size of screen drawn (each must draw), the first one as text."""
    frames = [form.frame(w, h) for w, h in SIZES]
    return "\n".join(line.plain.rstrip() for line in frames[0])


def start(text: str) -> Form:
    return Form(qengine.load(text).start(format="question"))


def press(form: Form, *names: str) -> list[str]:
    """Press each key, drawing the screen after each; what the form answered."""
    events = []
    for key in names:
        events.append(form.handle(key))
        screens(form)
    return [e for e in events if e]


# ------------------------------------------------------------ every shipped survey

@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.name)
def test_every_shipped_survey_renders_to_terminal(path):
    assert len(SURVEYS) >= 4  # gp_backup and the examples, found recursively
    result = CliRunner().invoke(main, ["render", str(path), "--to", "terminal"])
    assert result.exit_code == 0, result.output
    survey = qengine.load(path)
    for q in survey.questions:
        if q.kind != "equation":
            assert f"══ {q.number} [{q.code}]" in result.output


def _number(value) -> str:
    """A number as the respondent types it (no exponent)."""
    return str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")


def _moves(start: int, target: int) -> list[str]:
    return [keys.DOWN] * (target - start) if target >= start else [keys.UP] * (start - target)


def keys_for(session, view, value) -> list[str]:
    """The keys a respondent presses to give `value` to the question `view`, from
    where the form puts the cursor, and to go on."""
    current = session.current_value(view.code)
    if view.kind == "single":
        codes = [o.code for o in view.options] + ([] if view.mandatory else [None])
        here = -1 if current is None else codes.index(current)  # -1: no cursor yet
        return [*_moves(here, codes.index(value)), keys.ENTER]
    if view.kind == "multiple":
        codes, ticked, wanted = [o.code for o in view.options], set(current or ()), set(value or ())
        toggles = [c for c in codes if c in ticked - wanted] + [c for c in codes if c in wanted - ticked]
        out, here = [], 0
        for code in toggles:
            out += [*_moves(here, codes.index(code)), " "]
            here = codes.index(code)
        return [*out, keys.ENTER]
    if view.kind == "array":
        columns, given, out = [c.code for c in view.columns], current or {}, []
        for row in view.rows:
            col = columns.index(given[row.code]) if row.code in given else -1  # -1: no column yet
            if value.get(row.code) is None:  # leave it blank
                out += [keys.BACKSPACE] * (row.code in given) + [keys.DOWN]
            else:
                target = columns.index(value[row.code])
                out += [keys.RIGHT] * (target - col) + [keys.LEFT] * (col - target) + [keys.ENTER]
        return [*out, keys.PAGE_DOWN]
    if view.kind == "grid":
        out = [keys.UP] * len(view.rows) + [keys.LEFT] * len(view.columns)  # to the first cell
        for row in view.rows:
            for col in view.columns:
                cell = value.get(row.code, {}).get(col.code)
                out += [keys.DELETE] if cell is None else list(_number(cell))
                out.append(keys.TAB)
        return [*out, keys.PAGE_DOWN]  # Tab on the last cell stays there
    if view.kind in ("integer", "decimal"):
        return [keys.ctrl("u"), *_number(value), keys.ENTER]
    if view.kind in ("text", "longtext"):
        return [keys.ctrl("u"), *(keys.ALT_ENTER if ch == "\n" else ch for ch in value), keys.ENTER]
    raise AssertionError(f"no keys for a {view.kind}")


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.name)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_shipped_survey_runs_in_the_terminal_form(path, data):
    """A respondent types valid answers page after page: every screen draws, every
    answer typed is the answer stored, and the form reaches the end or shows why a
    page cannot be left (answers valid one by one may break a rule across them, as
    household's "recent <= all": after five tries the respondent gives up)."""
    form = Form(qengine.load(path).start(format="question"))
    press(form, keys.ENTER)
    refused = 0
    for _ in range(20 * len(form.session.pages)):
        if form.stage != QUESTION or refused == 5:
            break
        page, view = form.session.page_number, form.session.questions()[0]
        if view.kind == "display" or offers_nothing(view):
            press(form, keys.ENTER)
        else:
            value = data.draw(answers(form.session, view.code), label=view.code)
            expected = form.session.copy()
            expected.answer(view.code, value)
            press(form, *keys_for(form.session, view, value))
            assert form.session.given(view.code) == expected.given(view.code)
        refused = refused + 1 if form.stage == QUESTION and form.session.page_number == page else 0
    assert form.defect is None
    if form.stage == END:
        assert form.response == form.session.response()
    else:
        assert "✗" in screens(form)


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.name)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(presses=st.lists(st.sampled_from([
    keys.UP, keys.DOWN, keys.LEFT, keys.RIGHT, keys.TAB, keys.SHIFT_TAB, keys.HOME, keys.END,
    keys.ENTER, keys.ENTER, keys.PAGE_DOWN, keys.ESC, keys.BACKSPACE, keys.DELETE, " ", "1", "2",
    "0", "7", ",", "-", "a"]), max_size=150))
def test_any_keys_on_every_shipped_survey_never_break_the_form(path, presses):
    form = Form(qengine.load(path).start(format="question"))
    for event in press(form, keys.ENTER, *presses):
        assert event in (SUBMITTED, CLOSED)


# ------------------------------------------------------------ everything filtered away

OWNED = '''
survey own "Own"
language en
group g "G"
  multiple owned "Which do you own?"
    - car "A car"
    - bike "A bike"
  array use "How often do you use it?"
    column daily "Daily"
    column weekly "Weekly"
    column less "Less often"
    row car "Your car" when owned_car == "Y"
    row bike "Your bike" when owned_bike == "Y"
  single best "Your favourite?"
    - car "The car" when owned_car == "Y"
    - bike "The bike" when owned_bike == "Y"
    - neither "Neither" when count(owned) == 0
'''


def test_an_array_whose_lines_are_all_filtered_away_says_so_and_goes_on():
    form = start(OWNED)  # docs/qdl.md's example, nothing ticked
    press(form, keys.ENTER, keys.ENTER)
    text = screens(form)
    assert "2. How often do you use it?" in text and "Nothing to answer here." in text
    assert "Choose the appropriate answer" not in text
    press(form, " ", keys.LEFT, "1", keys.BACKSPACE, keys.ENTER)
    assert "3. Your favourite?" in screens(form)
    assert press(form, keys.DOWN, keys.ENTER) == [SUBMITTED]
    assert form.response.to_json() == {"owned": None, "use": None, "best": "neither"}
    assert "Nothing to answer here." in storyboard(qengine.load(OWNED))


FILTERED = '''
survey f "F"
language fr
group g "G"
  integer n "Combien ?"
  multiple m "Cochez"
    - a "A" when n > 5
  grid t "Remplissez"
    row r "R" when n > 5
    column c "C"
  array a "Notez"
    row r "R" when n > 5
    scale 1 to 3
  single s "Choisissez"
    mandatory
    - a "A" when n > 5
'''


@pytest.mark.parametrize("kind", ["s", "m", "t", "a"])
def test_every_kind_with_nothing_offered_takes_any_key(kind):
    session = qengine.load(FILTERED).start(format="question")
    page = [p.questions[0] for p in session.pages].index(kind)
    form = Form(type(session).from_json(session.survey, {**session.to_json(), "page": page}), resumed=True)
    assert "Rien à répondre ici." in screens(form)
    everything = [keys.UP, keys.DOWN, keys.LEFT, keys.RIGHT, keys.HOME, keys.END, keys.TAB,
                  keys.SHIFT_TAB, " ", "1", "5", keys.BACKSPACE, keys.DELETE]
    assert press(form, *everything) == []
    press(form, keys.ENTER)
    if kind == "s":  # mandatory with nothing to choose: a dead end of the survey, said as such
        assert "✗ Cette question est obligatoire." in screens(form)
    else:
        assert form.session.questions() == () or form.session.questions()[0].code != kind


# ------------------------------------------------------------ wording that fails

FAILING = '''
survey d "Defects"
language en
end "You said {100 / n}."
group g "G"
  integer n "How many?"
  text t "Name?"
  single q "Plus one: {t + 1}"
    - a "A"
'''


def test_a_failing_wording_stops_the_form_on_the_defect_screen():
    form = start(FAILING)
    press(form, keys.ENTER, "3", keys.ENTER, *"abc", keys.ENTER)  # {t + 1} with t = "abc"
    text = screens(form)
    assert "✗ This questionnaire has a defect and cannot go on:" in text
    assert "<string>:8:24: 'abc' is not a number" in text  # where, in the survey's source
    assert "Press any key to save your answers and close" in text
    assert "'abc' is not a number" in str(form.defect)
    assert press(form, "x") == [QUIT]  # any key: the program around saves and says why
    assert form.session.given("t") == "abc" and form.response is None


def test_a_failing_end_text_is_shown_after_the_response_is_recorded():
    form = start(FAILING)
    assert press(form, keys.ENTER, "0", keys.ENTER, keys.ENTER, keys.ENTER) == [SUBMITTED]
    text = screens(form)
    assert "✔ Your answers have been recorded." in text and "division by zero" in text
    assert "Press any key to close" in text
    assert form.response.to_json() == {"n": 0, "t": None, "q": None}


def test_a_failing_expression_on_the_first_screen_is_shown_not_raised():
    form = start('survey s "S {1 / 0}"\ngroup g "G"\n  text t "T"\n')
    assert "division by zero" in screens(form)
    assert press(form, keys.ENTER) == [QUIT]


@pytest.mark.parametrize("wording", ['"Q {1 / 0}"', '"Q"\n    when 1 == 2\n    - a "A {\'x\' + 1}"',
                                      '"Q"\n    help "{1 / 0}"'])
def test_the_storyboard_shows_where_the_wording_fails(wording):
    survey = qengine.load(f'survey s "S"\ngroup g "G"\n  text first "First"\n  single q {wording}\n'
                          f'    - b "B"\n')
    text = storyboard(survey)
    assert "This questionnaire has a defect and cannot go on:" in text
    assert "is not a number" in text or "division by zero" in text


def test_render_and_run_report_a_survey_failing_at_its_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("s.qdl").write_text('survey s "S"\ngroup g "G"\n  text t "T {1 / 0}"\n', encoding="utf-8")
    rendered = CliRunner().invoke(main, ["render", "s.qdl", "--to", "terminal"])
    assert rendered.exit_code == 0
    assert "══ defect" in rendered.output and "s.qdl:3:14: division by zero" in rendered.output
    ran = CliRunner().invoke(main, ["run", "s.qdl"])
    assert ran.exit_code == 1
    assert ran.output == "error: the survey failed while running: s.qdl:3:14: division by zero\n"


BROKEN_FORM = """
import qengine.cli.run as run

class BrokenForm:  # a terminal form with a bug: it takes an answer, then fails
    def run(self, session, *, resumed, on_submit):
        session.answer("t", "kept")
        raise ValueError("max() arg is an empty sequence")

run.load_renderer = lambda name: BrokenForm()
run.run_command(["s.qdl"])
"""


def test_run_saves_the_answers_before_reporting_a_failing_form(tmp_path):
    (tmp_path / "s.qdl").write_text('survey s "S"\ngroup g "G"\n  text t "T"\n', encoding="utf-8")
    terminal, tty = os.openpty()  # standard input must be a terminal
    try:
        result = subprocess.run([sys.executable, "-c", BROKEN_FORM], stdin=tty, capture_output=True,
                                text=True, cwd=tmp_path, timeout=60)
    finally:
        os.close(terminal)
        os.close(tty)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "internal error in the terminal form (ValueError: max() arg is an empty sequence)" in result.stderr
    assert "answers saved in s.session.json" in result.stderr
    assert json.loads((tmp_path / "s.session.json").read_text(encoding="utf-8"))["answers"] == {"t": "kept"}


# ------------------------------------------------------------ sizes

def test_a_huge_word_wraps_in_linear_time():
    word = "x" * 80_000  # took 8.8 s in the storyboard: each piece re-measured the rest
    survey = qengine.load(f'survey s "S"\ngroup g "G"\n  single q "{word}"\n    - a "{word}"\n')
    started = time.perf_counter()
    text = storyboard(survey)
    assert time.perf_counter() - started < 3
    assert text.count("x") == 2 * len(word)


def test_a_long_word_is_broken_into_full_lines():
    word = "ab字" * 50
    lines = wrap(word, 7)
    assert "".join(lines) == word
    assert all(cells(line) <= 7 for line in lines)
    assert all(cells(line) >= 6 for line in lines[:-1])  # full, but for a wide character
