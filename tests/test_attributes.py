"""`.question`, `.type` and listifop(): what they read, in the runtime, lint and
words (their JavaScript is compared in tests/test_to_js.py and
tests/test_differential.py, their LimeSurvey meaning in tests/test_ls_expressions.py)."""

from __future__ import annotations

import pytest

import qengine
from qengine.kinds.attributes import type_letter
from qengine.lint import lint
from qengine.lss.kinds import TYPES
from qengine.renderers.words import Reader

KINDS = '''survey s "S"
group g "G"
  single one "One"
    - a "A"
  multiple many "Many"
    - x "X"
  array arr "Arr"
    row r "R"
    scale 1 to 3
  grid gr "Grid"
    row r "Row"
    column c "Col"
  integer whole "Whole"
  decimal dec "Dec"
  text short "Short"
  longtext long "Long"
  date day "Day"
  display note "Note"
  equation calc
    value 1
'''


@pytest.mark.parametrize(("code", "letter", "kind"), [
    ("one", "L", "single"), ("many", "M", "multiple"), ("arr", "F", "array"), ("gr", ":", "grid"),
    ("whole", "N", "integer"), ("dec", "N", "decimal"), ("short", "S", "text"), ("long", "T", "longtext"),
    ("day", "D", "date"), ("note", "X", "display"), ("calc", "*", "equation")])
def test_type_is_the_limesurvey_letter_that_imports_back_as_the_kind(code, letter, kind):
    survey = qengine.load(KINDS + f'  display probe "{{{code}.type}}"\n')
    assert survey.start().view("probe").text == letter == type_letter(survey.question(code))
    assert f"`{kind}`" in TYPES[letter].qdl  # LimeSurvey's type of that letter comes back as the kind


WORDING = '''survey s "S"
group g "G"
  text name "Your name?"
  integer n "How old are you, {name}?"
    when name != "Bob"
  multiple pets "Pets"
    - cat "Cat of {name}"
    - dog "Dog"
  grid gr "Grid"
    row r "Row"
    column c "Col"
  equation said
    value join(n.question, " / ", pets_cat.question, " / ", gr_r_c.question, " / ", said2.question, ".")
  equation said2
    value 1
'''


def test_question_is_the_wording_as_read_even_while_hidden():
    session = qengine.load(WORDING).start()
    assert session.current_value("said") == "How old are you, ? / Cat of  / Row[Col] / ."
    session.answer("name", "Ann")
    assert session.current_value("said") == "How old are you, Ann? / Cat of Ann / Row[Col] / ."
    session.answer("name", "Bob")  # n is hidden now: its wording is still its wording
    assert not session.is_visible("n")
    assert session.current_value("said") == "How old are you, Bob? / Cat of Bob / Row[Col] / ."


def test_a_wording_reading_itself_is_a_cycle():
    with pytest.raises(qengine.QdlError) as err:
        qengine.load('survey s "S"\ngroup g "G"\n  text t "T {t.question}"\n')
    assert [d.code for d in err.value.diagnostics] == ["E220"]


def test_type_reads_nothing_so_it_makes_no_cycle():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  text t "A {t.type} question"\n')
    assert survey.start().view("t").text == "A S question"


LISTED = '''survey s "S"
group g "G"
  integer a "First"
  integer b "Second"
    when a != 1
  text t "Third"
  equation e
    value listifop("value", ">=", 2, "question", ", ", "a", "b", "t")
  equation glue
    value listifop("visible", "==", true, "value", "+", "t", "a", "b")
'''


def test_listifop_lists_what_passes_and_glues_as_limesurvey():
    session = qengine.load(LISTED).start()
    assert (session.current_value("e"), session.current_value("glue")) == ("", "")  # no glue while empty
    session.answer("a", 5)
    session.answer("b", 2)
    assert (session.current_value("e"), session.current_value("glue")) == ("First, Second", "5+2")
    session.answer("t", "x")
    session.answer("a", 1)  # b hidden: not visible, and its value empty; "x" >= 2 as texts
    assert (session.current_value("e"), session.current_value("glue")) == ("Third", "x+1")


def test_lint_models_type_and_listifop():
    result = lint(LISTED + '  display never "N"\n    when a.type != "N" or listifop("type", "==", "S", "question", ",", "a")'
                  ' != ""\n', select=["R101"])
    assert [f.code for f in result.findings] == ["R101"]


@pytest.mark.parametrize(("language", "words"), [
    ("en", "the 'question' of those of question '1 [a]' (First), question '2 [b]' (Second) and question '3 [t]' "
           "(Third) whose 'value' compares by '>=' with 2, joined by ', '"),
    ("fr", "les 'question' de celles parmi la question '1 [a]' (First), la question '2 [b]' (Second) et la "
           "question '3 [t]' (Third) dont 'value' vérifie '>=' 2, reliés par ', '"),
])
def test_listifop_reads_as_words_naming_its_questions(language, words):
    survey = qengine.load(LISTED)
    assert Reader(survey, language).term(survey.question("e").formula) == words


def test_question_and_type_read_as_words():
    survey = qengine.load(WORDING + '  display d "D"\n    when n.type == "N" and pets_dog.question != ""\n')
    assert Reader(survey, "en").sentence(survey.question("d").condition) == (
        "The LimeSurvey type of question '2 [n]' (How old are you, …?) ('N') was 'N' and the wording of the box "
        "'Dog' of question '3 [pets]' (Pets) was not empty")


def test_diff_sees_a_text_reading_a_changed_wording():
    from qengine.diff import diff

    def survey(wording):
        return qengine.load(f'survey s "S"\ngroup g "G"\n  integer n "{wording}"\n  display d "Asked: {{n.question}}"\n')

    changed = diff(survey("How many?"), survey("How many, really?")).changes
    (d,) = [c for c in changed if c.subject == "d"]
    assert d.witness is not None and d.witness.new_observed == "Asked: How many, really?"
