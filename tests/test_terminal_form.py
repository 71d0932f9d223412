"""The terminal form driven key by key in process: screens as text, answers in the
session. Pure parts (keys, wrapping, cleaning) get property tests."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from qengine_renderers.terminal import keys
from qengine_renderers.terminal.editors import parse_number
from qengine_renderers.terminal.form import CLOSED, QUIT, SUBMITTED, Form
from qengine_renderers.terminal.frame import to_ansi
from qengine_renderers.terminal.storyboard import storyboard
from qengine_renderers.terminal.text import cells, clean, wrap

import qengine
from qengine.cli import main
from qengine.runtime import Session
from qengine.runtime.messages import CATALOGUE, message

ROOT = Path(__file__).resolve().parent.parent

SURVEY = '''
survey pets "Pets and people"
language en
welcome "Welcome, respondent."
end "Bye {name}."

group you "You"
  text name "Your name?"
    mandatory
    maxlength 12
  single colour "Favourite colour, {name}?"
    - r "Red"
    - g "Green"
  multiple pets "Which pets?"
    mandatory
    max 2
    - cat "Cat"
    - dog "Dog"
    - fish "Fish"
    - none "None" exclusive
  integer age "Age?"
    mandatory
    min 18
    max 99
    suffix "years"
    validate is_empty(spend_food_week) or age >= spend_food_week message "Younger than you spend!"

group more "More"
  description "A few more."
  when pets_none != "Y"
  array like "How much do you like them?"
    mandatory
    row cat "Cats" when pets_cat == "Y"
    row dog "Dogs"
    scale 1 to 3
  grid spend "Spending"
    row food "Food"
    column week "a week"
    column month "a month"
    min 0
'''


def start(text: str = SURVEY, *, resumed: bool = False, on_submit=lambda r: None) -> Form:
    session = qengine.load(text).start(format="question")
    return Form(session, resumed=resumed, on_submit=on_submit)


def press(form: Form, *presses: str) -> list:
    """Each item is a key name, or a string of characters typed one by one."""
    events = []
    for p in presses:
        for key in ([p] if len(p) > 1 and not p.startswith("=") else list(p.lstrip("="))):
            events.append(form.handle(key))
    return [e for e in events if e]


def screen(form: Form, width: int = 80, height: int = 24) -> str:
    return "\n".join(line.plain.rstrip() for line in form.frame(width, height))


def test_welcome_then_first_question():
    form = start()
    assert "Welcome, respondent." in screen(form)
    assert "Press Enter to start" in screen(form)
    press(form, "enter")
    text = screen(form)
    assert "1. Your name? *" in text
    assert "Enter  next" in text and "Esc  back" in text and "Ctrl-X  save and quit" in text


def test_mandatory_blocks_and_message_goes_when_answered():
    form = start()
    press(form, "enter", "enter")
    assert "✗ This question is mandatory." in screen(form)
    press(form, "=Ann")
    assert "mandatory" in screen(form)  # still shown until the answer is stored
    press(form, "enter")
    assert "2. Favourite colour, Ann?" in screen(form)
    assert form.session.current_value("name") == "Ann"


def test_single_choice_enter_untouched_chooses_nothing_and_enter_picks_the_highlighted():
    form = start()
    press(form, "enter", "=Ann", "enter")
    text = screen(form)
    assert "(•) No answer" in text  # not mandatory: blank is a choice, and the current one
    assert "❯" not in text  # nothing highlighted before the respondent moves
    press(form, "enter")
    assert "3. Which pets?" in screen(form)
    assert form.session.current_value("colour") is None  # what the screen showed, not Red
    press(form, "esc", "down", "down", "enter")
    assert form.session.current_value("colour") == "g"
    press(form, "esc")
    assert "❯ (•) Green" in screen(form)  # back on an answered question: the cursor is on it
    press(form, "down", "enter")
    assert form.session.current_value("colour") is None  # "No answer" chosen


MANDATORY_SINGLE = '''
survey m "M"
language fr
group g "G"
  single q "Choisissez"
    mandatory
    - a "A"
    - b "B"
  multiple t "Cochez"
    min 1
    max 2
    - x "X"
    - y "Y"
    - z "Z"
'''


def test_enter_on_an_untouched_mandatory_single_choice_says_it_is_mandatory():
    form = start(MANDATORY_SINGLE)
    press(form, "enter", "enter")
    assert form.session.current_value("q") is None
    assert "✗ Cette question est obligatoire." in screen(form) and "1. Choisissez" in screen(form)
    press(form, "up", "enter")  # from no cursor, up goes to the last answer
    assert form.session.current_value("q") == "b"
    assert "2. Cochez" in screen(form)


@pytest.mark.parametrize(("bounds", "french", "english"), [
    ("min 1", "Cochez au moins 1 réponse", "Tick at least 1 answer"),
    ("min 2", "Cochez au moins 2 réponses", "Tick at least 2 answers"),
    ("max 1", "Cochez au plus 1 réponse", "Tick at most 1 answer"),
    ("min 0\n    max 3", "Cochez entre 0 et 3 réponses", "Tick between 0 and 3 answers"),
    ("min 2\n    max 2", "Cochez exactement 2 réponses", "Tick exactly 2 answers"),
])
def test_tick_bounds_are_said_with_the_plural_they_need(bounds, french, english):
    survey = MANDATORY_SINGLE.replace("min 1\n    max 2", bounds)
    for language, instruction in (("fr", french), ("en", english)):
        form = start(survey.replace("language fr", f"language {language}"))
        press(form, "enter", "1", "enter")
        lines = screen(form).splitlines()
        assert f"  {instruction}" in lines
        assert "(s)" not in screen(form)


@pytest.mark.parametrize("language", sorted(CATALOGUE))
@pytest.mark.parametrize("n", [1, 2])
def test_the_runtime_messages_the_form_shows_need_no_plural(language, n):
    for key in CATALOGUE[language]:
        text = message(language, key, n=n, label="A", value="a")
        assert "(s)" not in text, (key, text)


def test_multiple_exclusive_unticks_the_others_and_max_refuses():
    form = start()
    press(form, "enter", "=Ann", "enter", "enter")
    press(form, " ", "down", " ")
    assert form.session.current_value("pets") == ["cat", "dog"]
    press(form, "down", " ")
    assert form.session.current_value("pets") == ["cat", "dog"]  # refused: at most 2
    assert "✗ The number of answers ticked must be at most 2." in screen(form)
    press(form, "down", " ")
    assert form.session.current_value("pets") == ["none"]
    press(form, "up", "up", "up", " ")  # ticking Cat unticks None
    assert form.session.current_value("pets") == ["cat"]
    assert "[x] Cat" in screen(form) and "[ ] None" in screen(form)


def test_number_bounds_and_characters_refused():
    form = start()
    press(form, "enter", "=Ann", "enter", "enter", " ", "enter")
    press(form, "=1x2", "enter")
    assert "│ 12 " in screen(form)  # the letter is not typed into a number field
    assert "✗ The value must be at least 18." in screen(form)
    assert "between 18 and 99" in screen(form)
    press(form, "backspace", "backspace", "=40", "enter")
    assert form.session.current_value("age") == 40
    assert "5. How much do you like them?" in screen(form)
    assert "A few more." in screen(form)  # the group's description, on its first question


def test_back_keeps_answers_and_goes_to_welcome_from_the_first_question():
    form = start()
    press(form, "enter", "=Ann", "enter", "down", "down", "enter")
    press(form, "esc")
    text = screen(form)
    assert "2. Favourite colour, Ann?" in text and "(•) Green" in text
    press(form, "esc", "esc")
    assert "Press Enter to start" in screen(form)
    press(form, "enter")
    assert "│ Ann" in screen(form)


def test_array_rows_follow_conditions_and_every_line_is_required():
    form = start()
    press(form, "enter", "=Ann", "enter", "enter", " ", "down", " ", "enter", "=40", "enter")
    text = screen(form)
    assert "Cats" in text and "Dogs" in text
    press(form, "right", "right", "right", "enter")  # Cats: 3 (no column, then 1, 2, 3), cursor to Dogs
    press(form, "up", "down")
    assert form.session.current_value("like") == {"cat": "3"}
    press(form, "tab", "esc")  # back to age; the pets page decides the rows
    press(form, "esc", " ", "enter", "enter")  # untick Cat
    assert "Cats" not in screen(form)
    press(form, "1", "enter")
    assert form.session.current_value("like") == {"dog": "1"}


def test_grid_typing_replaces_then_moves_and_a_later_answer_can_send_back():
    form = start()
    press(form, "enter", "=Ann", "enter", "enter", "down", " ", "enter", "=40", "enter")
    press(form, "1", "enter")  # the array: Dogs = 1, on to the grid
    assert "6. Spending" in screen(form)
    press(form, "=50", "tab", "=200")
    assert form.session.current_value("spend") == {"food": {"week": 50}}  # the cell being typed is not stored yet
    events = press(form, "enter")
    assert events == []  # age 40 < 50 a week: the age page has a problem now
    text = screen(form)
    assert "4. Age?" in text and "✗ Younger than you spend!" in text
    press(form, "ctrl-u", "=60", "enter", "enter")
    events = press(form, "tab", "enter")
    assert events == [SUBMITTED]
    assert form.response.to_json()["spend"] == {"food": {"week": 50, "month": 200}}


def test_pgdn_leaves_the_grid_of_ten_cells_from_its_first_cell():
    session = qengine.load(ROOT / "surveys" / "gp_backup.qdl").start(format="question")
    session.answer("sauvegarde", "o")
    pages = [p.questions[0] for p in session.pages]
    saved = {**session.to_json(), "page": pages.index("sauvegardesupports")}  # Q30, its cells at 0
    form = Form(Session.from_json(session.survey, saved), resumed=True)
    assert "30. " in screen(form, 100, 40) and "Pg suiv  question suivante" in screen(form, 100, 40)
    press(form, "1", "pgdn")  # one USB key at the practice; the other cells keep their 0
    assert form.session.questions()[0].code != "sauvegardesupports"
    assert form.session.current_value("sauvegardesupports")["susb"] == {"slocal": 1, "sext": 0}


def test_pgdn_goes_on_without_answering_and_enter_through_an_array_answers_nothing():
    form = start()
    press(form, "enter", "pgdn")
    assert "✗ This question is mandatory." in screen(form)  # PgDn does not pass what Enter cannot
    press(form, "=Ann", "pgdn", "pgdn", "down", " ", "enter", "=40", "enter")
    assert "5. How much do you like them?" in screen(form)
    press(form, "enter")  # the only line, untouched: no column is chosen for it
    assert form.session.current_value("like") is None
    assert "✗ This question is mandatory." in screen(form)
    assert "PgDn  next question" in screen(form)


def test_submission_calls_on_submit_and_shows_the_end():
    seen = []
    form = start(on_submit=lambda r: seen.append(r) or "out.json")
    events = press(form, "enter", "=Ann", "enter", "enter", "end", " ", "enter", "=40", "enter")
    assert events == [SUBMITTED]  # "None of these": the second group is skipped
    assert seen[0].to_json() == {"name": "Ann", "colour": None, "pets": ["none"], "age": 40}
    text = screen(form)
    assert "Bye Ann." in text and "The response is in out.json." in text
    assert press(form, "x") == [CLOSED]


def test_a_survey_showing_no_question_goes_from_welcome_to_end():
    form = start('survey s "S"\ngroup g "G"\n  when 1 == 2\n  single q "Q"\n    - a "A"\n')
    assert press(form, "enter") == [SUBMITTED]
    assert "Your answers have been recorded." in screen(form)
    assert form.response.to_json() == {}


def test_a_failing_write_is_shown_on_the_end_screen():
    def fail(response):
        raise OSError("disk full")

    form = start(on_submit=fail)
    press(form, "enter", "=Ann", "enter", "enter", "end", " ", "enter", "=40", "enter")
    assert "disk full" in screen(form)


def test_quit_keys_commit_what_is_typed():
    form = start()
    assert press(form, "enter", "=Bo", "ctrl-x") == [QUIT]
    assert form.session.current_value("name") == "Bo"
    assert press(start(), "ctrl-c") == [QUIT]


def test_resumed_form_starts_on_the_saved_question_with_a_notice():
    session = qengine.load(SURVEY).start(format="question")
    session.answer("name", "Ann")
    session.next()
    saved = json.loads(json.dumps(session.to_json()))
    resumed = Form(type(session).from_json(session.survey, saved), resumed=True)
    text = screen(resumed)
    assert "Welcome back" in text and "2. Favourite colour, Ann?" in text
    press(resumed, "down")
    assert "Welcome back" not in screen(resumed)


def test_progress_and_group_in_the_header():
    form = start()
    press(form, "enter", "=Ann", "enter", "enter")
    header = screen(form).splitlines()[:3]
    assert header[0].strip() == "Pets and people"
    assert header[1].lstrip().startswith("You") and header[1].endswith("33%")


def test_long_content_scrolls_to_keep_the_cursor_visible():
    options = "\n".join(f"    - o{i} \"Option {i}\"" for i in range(40))
    form = start(f'survey s "S"\ngroup g "G"\n  single q "Pick"\n{options}\n')
    press(form, "enter")
    assert "▼ more below" in screen(form) and "Option 39" not in screen(form)
    press(form, *["down"] * 31)  # the first goes to Option 0
    text = screen(form)
    assert "❯ ( ) Option 30" in text and "▲ more above" in text
    assert len(form.frame(80, 24)) == 24


def test_too_small_terminal_says_so():
    assert "too small" in screen(start(), 30, 10)


HOSTILE = 'survey h "Title\x1b]0;pwned\x07"\ngroup g "G\x1b[2J"\n  single q "Pick \x1b[31mred\u202e"\n    - a "A\x9b1;1H"\n'


def test_escape_sequences_in_survey_text_are_shown_not_obeyed():
    form = start(HOSTILE)
    out = to_ansi(form.frame(80, 24), 80)
    press(form, "enter")
    out += to_ansi(form.frame(80, 24), 80)
    for attack in ("\x1b]0;", "\x07", "\x1b[2J", "\x1b[31mred", "\u202e", "\x9b"):
        assert attack not in out
    text = screen(form)
    assert "\\x1b[31mred\\u202e" in text and "G\\x1b[2J" in text and "A\\x9b1;1H" in text


def test_typed_text_is_cleaned_on_screen_and_kept_as_typed():
    form = start()
    press(form, "enter", "=A\u202eB", "enter")
    assert form.session.current_value("name") == "A\u202eB"
    press(form, "esc")
    assert "\u202e" not in to_ansi(form.frame(80, 24), 80)


# ------------------------------------------------------------ pure parts

@pytest.mark.parametrize(("data", "expected"), [
    ("\x1b[A\x1b[B\x1b[C\x1b[D", ["up", "down", "right", "left"]),
    ("\x1bOA\x1b[1;5C\x1b[3~\x1b[5~\x1b[Z", ["up", "right", "delete", "pgup", "shift-tab"]),
    ("\r\n\t\x7f\x08", ["enter", "enter", "tab", "backspace", "backspace"]),
    ("a é\x18\x03", ["a", " ", "é", "ctrl-x", "ctrl-c"]),
    ("\x1b\r", ["alt-enter"]),
    ("\x00\x1c\x9b", []),
])
def test_decode_keys(data, expected):
    assert keys.decode(data, final=True) == (expected, "")


def test_decode_keeps_an_unfinished_escape_for_later():
    assert keys.decode("x\x1b[1;") == (["x"], "\x1b[1;")
    assert keys.decode("\x1b") == ([], "\x1b")
    assert keys.decode("\x1b", final=True) == (["esc"], "")


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("ab \x1b[O1;~ABZ\r\x7f\x03é")), max_size=30),
       st.integers(min_value=0, max_value=30))
def test_decoding_in_two_reads_gives_the_same_keys(data, cut):
    cut = min(cut, len(data))
    first, rest = keys.decode(data[:cut])
    second, _ = keys.decode(rest + data[cut:], final=True)
    assert first + second == keys.decode(data, final=True)[0]


@given(st.text())
def test_decoded_keys_are_printable_or_named(data):
    for key in keys.decode(data, final=True)[0]:
        assert len(key) > 1 or unicodedata.category(key) != "Cc"


@given(st.text())
def test_clean_leaves_no_control_character(text):
    out = clean(text)
    assert all(ch == "\n" or (ord(ch) >= 32 and not 0x7F <= ord(ch) < 0xA0) for ch in out)
    assert not set(out) & {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                           "\u2068", "\u2069"}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=200),
       st.integers(min_value=2, max_value=60))
def test_wrap_fits_and_keeps_every_word(text, width):
    lines = wrap(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_wrap_keeps_a_french_question_mark_with_its_word():
    assert wrap("Vos sauvegardes sont-elles chiffrées ?", 36) == ["Vos sauvegardes sont-elles", "chiffrées\u00a0?"]


@pytest.mark.parametrize(("text", "number"), [("12", 12), ("-3", -3), ("2,5", 2.5), (".5", 0.5),
                                               ("1.", 1.0), ("1-2", None), ("", None), ("-", None)])
def test_parse_number(text, number):
    assert parse_number(text) == number


# ------------------------------------------------------------ the document and the command

def test_storyboard_draws_every_question_with_its_condition():
    survey = qengine.load(SURVEY)
    text = storyboard(survey)
    for q in survey.questions:
        assert f"══ {q.number} [{q.code}]" in text
    assert "Shown only if:" in text
    assert "╭──" in text and "a month" in text and "Bye ." in text


def test_render_to_terminal_writes_the_storyboard(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "--to", "terminal"])
    assert result.exit_code == 0, result.output
    assert "══ welcome" in result.output and "══ end" in result.output


def test_run_without_a_terminal_exits_2(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path)], input="")
    assert result.exit_code == 2
    assert "needs a terminal" in result.output and "qengine play" in result.output


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ('{"qengine": "session/1", "survey": "other", "answers": {}}', "saved for survey 'other'"),
    ('{"qengine": "session/1", "survey": "pets", "answers": {"age": "old"}}', "age: expected a number"),
    ('[1, 2]', "not a saved qengine session"),
])
def test_unusable_resume_files_exit_2(tmp_path, content, message):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    saved = tmp_path / "state.json"
    saved.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--resume", str(saved)])
    assert result.exit_code == 2
    assert message in result.output
