"""`qengine import` and `.lss` files read by the other commands.

The fixtures in tests/lss/ are ours (written by tests/lss/make_fixtures.py): every
question type LimeSurvey has, both table layouts (DBVersion 177 and 612), several
languages, the legacy conditions table, codes QDL cannot take, and broken files.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.errors import QdlError
from qengine.kinds import (
    Array,
    Display,
    Equation,
    FreeText,
    Grid,
    MultipleChoice,
    Number,
    SingleChoice,
    kind_of,
)
from qengine.kinds.date import DateQuestion
from qengine.lss import LssError, import_lss
from qengine.lss.kinds import TYPES, markdown_table
from qengine.runtime.play import check_answers, play

LSS = Path(__file__).parent / "lss"
ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def imported(name: str, **options):
    result = import_lss(LSS / name, **options)
    return result, qengine.load(_write(result.qdl))


def _write(text: str) -> str:
    path = Path(tempfile.mkdtemp()) / "survey.qdl"
    path.write_text(text, encoding="utf-8")
    return str(path)


def respond(survey, answers: dict) -> dict:
    return play(survey, check_answers(answers, survey)).to_json()


# ---------------------------------------------------------------- types
def test_every_limesurvey_type_of_the_table_is_in_the_fixture():
    text = (LSS / "all_types_v6.lss").read_text(encoding="utf-8")
    letters = set(re.findall(r"<type><!\[CDATA\[(.)\]\]></type>", text))
    assert set(TYPES) <= letters | {"?"}


@pytest.mark.parametrize("name", ["all_types_v6.lss", "all_types_v2.lss"])
def test_each_type_becomes_its_qdl_kind(name):
    result, survey = imported(name)
    kinds = {q.code: kind_of(q).name for q in survey.questions}
    assert {k: kinds[k] for k in ("colour", "pet", "drink", "mood", "gender", "agree", "lang")} == dict.fromkeys(
        ("colour", "pet", "drink", "mood", "gender", "agree", "lang"), "single")
    assert kinds["fruit"] == kinds["veg"] == "multiple"
    assert all(kinds[c] == "array" for c in ("rate5", "rate10", "ynu", "isd", "freq", "bycol", "dual",
                                              "dualscale2", "rank"))
    assert kinds["nums"] == "grid"
    assert kinds["texts"] == kinds["names"] == kinds["amounts"] == kinds["info"] == kinds["upload"] == "display"
    assert kinds["textsr1c1"] == kinds["namesn1"] == kinds["zip"] == "text"
    assert kinds["born"] == "date"
    assert kinds["amountsa"] == kinds["age"] == "integer" and kinds["score"] == "decimal"
    assert kinds["story"] == kinds["essay"] == kinds["drinkcomment"] == "longtext"
    assert kinds["double"] == "equation"
    # what each type brings along
    colour = survey.question("colour")
    assert [o.code for o in colour.options] == ["A1", "A2", "other"] and colour.default == "A2"
    assert survey.question("colourother").condition is not None
    fruit = survey.question("fruit")
    assert (fruit.min, fruit.max, [o.exclusive for o in fruit.options]) == (1, 2, [False, False, True])
    age = survey.question("age")
    assert (age.mandatory, age.min, age.max, age.default, age.suffix.plain) == (True, 18, 120, 30, "years")
    assert survey.question("zip").max_length == 5 and survey.question("zip").pattern == "^[0-9]{5}$"
    assert [c.code for c in survey.question("rate5").columns] == ["1", "2", "3", "4", "5"]
    grid = survey.question("nums")
    assert (grid.min, grid.max, [c.code for c in grid.columns]) == (0, 5, ["pc", "tv"])
    assert survey.question("amountsb").validations, "the sum bound of a multiple numerical input"
    born = survey.question("born")
    assert (born.min, born.max) == ("1900-01-01", "2024-12-31")  # the time of a date_max is dropped


def test_both_table_layouts_give_the_same_survey():
    old, new = import_lss(LSS / "all_types_v2.lss"), import_lss(LSS / "all_types_v6.lss")
    strip = lambda text: [line for line in text.splitlines() if not line.startswith("# Imported")]  # noqa: E731
    assert strip(old.qdl) == strip(new.qdl)


def test_unconvertible_types_are_named_with_what_was_done():
    result, survey = imported("all_types_v6.lss")
    messages = [n.message for n in result.notes]
    for letter, what in (("|", "display text"), ("D", "time of day"), ("R", "rank"), (";", "cell"),
                         ("I", "language")):
        assert any(m.startswith(f"type {letter} ") and what in m for m in messages), letter
    assert isinstance(survey.question("upload"), Display)
    assert any("the date format 'dd/mm/yyyy HH:MM' has a time of day" in m for m in messages)
    # each note is also a comment beside its question
    assert "# warning: type | (File upload)" in result.qdl


def test_the_documentation_holds_the_type_table():
    assert markdown_table() in (ROOT / "docs" / "limesurvey.md").read_text(encoding="utf-8")


# ------------------------------------------------------------ semantics
def test_a_condition_reading_a_hidden_question_is_false_as_in_limesurvey():
    result, survey = imported("semantics.lss")
    out = respond(survey, {"first": "N", "count": 3})
    # middle is hidden: LimeSurvey hides `later` (middle != "A" read without .NAOK) but not `naok`
    assert "later" not in out["shown"] and "naok" in out["shown"]
    out = respond(survey, {"first": "Y", "middle": "B"})
    assert {"later", "naok"} <= set(out["shown"])
    # count left empty: "" < "0" holds in LimeSurvey
    assert "negative" in respond(survey, {"first": "N"})["shown"]
    assert "negative" not in respond(survey, {"first": "N", "count": 2})["shown"]


def test_hidden_questions_and_filtered_rows_as_in_limesurvey():
    result, survey = imported("semantics.lss")
    assert isinstance(survey.question("secret"), Equation)
    # filtered_a is filtered out while source_a is not ticked: LimeSurvey's relevance is false
    assert "notticked" not in respond(survey, {"first": "N"})["shown"]
    assert "notticked" in respond(survey, {"first": "N", "source": ["a"]})["shown"]
    assert "notticked" not in respond(survey, {"first": "N", "source": ["a"], "filtered": ["a"]})["shown"]


def test_the_conditions_table_becomes_relevance():
    result, survey = imported("conditions_v2.lss")
    assert "howmany" not in respond(survey, {"smoke": "Y"})["shown"]
    assert "howmany" in respond(survey, {"smoke": "Y", "kind": ["pipe"]})["shown"]
    assert "pattern" in respond(survey, {"smoke": "N"})["shown"]
    assert "pattern" in respond(survey, {"smoke": "Y", "kind": ["cig"], "howmany": 12})["shown"]
    assert "pattern" not in respond(survey, {"smoke": "Y", "kind": ["cig"], "howmany": 5})["shown"]


def test_invalid_codes_are_renamed_and_expressions_follow():
    result, survey = imported("codes.lss")
    assert "# LimeSurvey question code 'my_list' is 'mylist' here" in result.qdl
    assert "# LimeSurvey answer code of my_list '1' is 'a1' here" in result.qdl
    assert [o.code for o in survey.question("mylist").options] == ["a1", "a2", "a10"]
    assert "q1st" in respond(survey, {"mylist": "a1"})["shown"]
    assert "q1st" not in respond(survey, {"mylist": "a10"})["shown"]
    assert "after" in respond(survey, {"multi": ["ab"]})["shown"]
    # `1st` cannot be read by LimeSurvey either: that relevance is always false there
    assert survey.question("qnot").condition.value is False
    assert any("cannot be evaluated by LimeSurvey" in n.message for n in result.notes)


def test_array_filters_become_row_conditions(tmp_path):
    result, survey = imported("all_types_v6.lss")
    # freq filters on fruit: no row code in common, so no row is filtered
    assert all(r.condition is None for r in survey.question("freq").rows)
    # a filter with codes in common: the row is offered while the option is ticked
    text = (LSS / "all_types_v6.lss").read_text(encoding="utf-8").replace(
        "<![CDATA[bus]]>", "<![CDATA[apple]]>")
    path = tmp_path / "filter.lss"
    path.write_text(text, encoding="utf-8")
    survey = qengine.load(path)
    assert qengine.expr.ast.unparse(survey.question("freq").row("apple").condition) == "not is_empty(fruit_apple)"


# ------------------------------------------------------------ languages
def test_languages():
    result = import_lss(LSS / "multilingual_v5.lss")
    assert result.language == "en" and result.languages == ("en", "fr", "de")
    assert "the survey also exists in fr, de" in result.qdl
    french = import_lss(LSS / "multilingual_v5.lss", language="fr")
    assert '"[fr] Favourite colour?"' in french.qdl and "language fr" in french.qdl
    assert import_lss(LSS / "multilingual_v2.lss").language == "de"
    with pytest.raises(LssError, match="no language 'it'; its languages are: en, fr, de"):
        import_lss(LSS / "multilingual_v5.lss", language="it")


# ----------------------------------------------------------------- CLI
def test_import_command_writes_qdl_and_warnings(tmp_path):
    out = tmp_path / "all.qdl"
    result = run("import", LSS / "all_types_v6.lss", "-o", out)
    assert result.exit_code == 0, result.output
    assert qengine.load(out).question("colour")
    assert "all_types_v6.lss:" in result.stderr and "warning: question upload: type |" in result.stderr
    n = len(import_lss(LSS / "all_types_v6.lss").notes)
    assert f"41 questions in 4 groups imported, {n} warnings" in result.stderr
    result = run("import", LSS / "multilingual_v5.lss", "--language", "fr")
    assert result.exit_code == 0 and "language fr" in result.stdout
    assert "also in en, de" in result.stderr


@pytest.mark.parametrize(("name", "message", "line"), [
    ("truncated.lss", "not well-formed XML", None),
    ("broken.lss", "mismatched tag", None),
    ("unknown_dbversion.lss", "DBVersion 9000 is not a LimeSurvey version", 4),
    ("no_dbversion.lss", "has no <DBVersion>", 2),
    ("group_export.lss", "not a survey structure export (LimeSurveyDocType: Group)", 3),
    ("entities.lss", "refused for safety", 2),
    ("external.lss", "refused for safety", 2),
    ("missing.lss", "cannot read the file", None),
])
def test_unusable_files_exit_2_with_the_line(name, message, line):
    for command in (["import"], ["check"], ["lint"]):
        result = run(*command, LSS / name)
        assert result.exit_code == 2, (command, result.output)
        assert "Traceback" not in result.output
        assert message in result.output
        if line is not None:
            assert f"{name}:{line}:" in result.output
    result = run("import", LSS / "multilingual_v5.lss", "--language", "it")
    assert result.exit_code == 2 and "its languages are: en, fr, de" in result.output


def test_other_commands_take_a_lss(tmp_path):
    lss = LSS / "semantics.lss"
    assert run("check", lss).exit_code == 0
    lint = run("lint", lss, "--format", "json")
    assert lint.exit_code in (0, 1) and isinstance(json.loads(lint.stdout), dict | list)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"first": "Y", "middle": "A"}), encoding="utf-8")
    played = run("play", lss, "--answers", answers, "--json")
    shown = json.loads(played.stdout)["shown"]
    assert played.exit_code == 0 and shown == respond(qengine.load(lss), {"first": "Y", "middle": "A"})["shown"]
    assert "naok" not in shown and "negative" in shown
    printable = run("render", lss, "--to", "printable", "-o", tmp_path / "annex.html")
    assert printable.exit_code == 0 and "Which?" in (tmp_path / "annex.html").read_text(encoding="utf-8")
    assert run("fuzz", lss, "--examples", "20", "--seed", "1").exit_code in (0, 1)
    with pytest.raises(QdlError) as err:
        qengine.load(LSS / "truncated.lss")
    assert err.value.diagnostics[0].code == "E001"


def test_all_imported_kinds_are_model_classes():
    _, survey = imported("all_types_v6.lss")
    classes = {type(q) for q in survey.questions}
    assert classes <= {SingleChoice, MultipleChoice, Array, Grid, Number, FreeText, DateQuestion, Equation, Display}


def test_a_date_question_goes_out_as_type_d_and_comes_back(tmp_path):
    source = tmp_path / "dates.qdl"
    source.write_text('survey s "Dates"\nlanguage en\ngroup g "G"\n  date born "Born?"\n    min "1900-01-01"\n'
                      '    max "2024-12-31"\n', encoding="utf-8")
    lss = tmp_path / "dates.lss"
    assert main(["render", "--to", "lss", str(source), "-o", str(lss)], standalone_mode=False) in (0, None)
    text = lss.read_text(encoding="utf-8")
    assert "<![CDATA[D]]>" in text and "date_min" in text
    born = qengine.load(import_lss(lss).qdl).question("born")
    assert kind_of(born).name == "date" and (born.min, born.max) == ("1900-01-01", "2024-12-31")
