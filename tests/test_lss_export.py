"""The `lss` renderer: a QDL survey as a `.lss` for LimeSurvey 6.

- Round trip: gp_backup exported, then imported again, shows the same questions with
  the same wording and gives the same response for every test profile.
- The document has the structure LimeSurvey's importer reads (`XMLImportSurvey`,
  application/helpers/admin/import_helper.php, LimeSurvey 6.2.1) and the limits of
  its models (Answer: codes of at most 5 letters and digits; Question: codes
  starting with a letter, 20 characters).
- Every expression written is one LimeSurvey parses and can evaluate, and it means
  what the QDL meant: Hypothesis draws conditions, and the model of LimeSurvey's
  engine (held to LimeSurvey by tests/test_lss_oracle.py) evaluates the export.
"""

from __future__ import annotations

import json
import re
import tempfile
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qengine
from qengine.cli import main
from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.values import truthy
from qengine.kinds import kind_of
from qengine.lss import import_lss
from qengine.lss.script.engine import EmVar, run
from qengine.lss.script.syntax import Name, parse, walk
from qengine.lss.texts import split_tailoring
from qengine.lss.xmldoc import parse as parse_xml
from qengine.lss.xmldoc import table
from qengine.renderers import RenderWarning, render
from qengine.runtime.play import check_answers, play

ROOT = Path(__file__).resolve().parents[1]
GP = qengine.load(ROOT / "surveys" / "gp_backup.qdl")
PROFILES = sorted((ROOT / "tests" / "gp_backup").glob("*.answers.json"))


@pytest.fixture(scope="module")
def exported() -> str:
    return render(GP, "lss", "lss")


@pytest.fixture(scope="module")
def reimported(exported):
    result = import_lss(exported.encode(), name="gp_backup.lss")
    return result, qengine.load(_tmp(result.qdl))


def _tmp(text: str) -> str:
    path = Path(tempfile.mkdtemp()) / "gp.qdl"
    path.write_text(text, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------- round trip
def test_the_round_trip_loses_nothing(reimported):
    result, survey = reimported
    assert result.notes == ()
    assert [q.code for q in survey.questions] == [q.code for q in GP.questions]
    assert [kind_code(q) for q in survey.questions] == [kind_code(q) for q in GP.questions]


def kind_code(q):
    return kind_of(q).name, q.mandatory, q.condition is not None, len(q.validations)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name.split(".")[0])
def test_each_profile_plays_the_same_after_the_round_trip(reimported, profile):
    _, survey = reimported
    answers = json.loads(profile.read_text(encoding="utf-8"))
    before = play(GP, check_answers(answers, GP)).to_json()
    after = play(survey, check_answers(answers, survey)).to_json()
    for key in ("shown", "complete", "response", "texts"):
        assert after[key] == before[key], key


def test_qengine_play_on_the_exported_file(tmp_path):
    out = tmp_path / "gp.lss"
    result = CliRunner().invoke(main, ["render", str(ROOT / "surveys" / "gp_backup.qdl"), "--to", "lss",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    profile = PROFILES[0]
    played = CliRunner().invoke(main, ["play", str(out), "--answers", str(profile), "--json"])
    original = CliRunner().invoke(main, ["play", str(ROOT / "surveys" / "gp_backup.qdl"), "--answers",
                                         str(profile), "--json"])
    assert json.loads(played.stdout)["response"] == json.loads(original.stdout)["response"]


def test_codes_longer_than_limesurvey_allows_come_back(exported, reimported):
    root = parse_xml(exported.encode())
    titles = {r.get("title") for r in table(root, "questions")}
    assert "restaurationfrequence" not in titles and "restaurationfrequ" in {t[:17] for t in titles}
    _, survey = reimported
    assert [o.code for o in survey.question("restaurationfrequence").options] == ["unefois", "moinsan", "annuel"]


# -------------------------------------------------- LimeSurvey's importer
LIMESURVEY_TYPES = set("15ABCDEFGHIKLMNOPQRSTUXY!:;|*")


def test_the_document_has_the_structure_limesurvey_imports(exported):
    root = parse_xml(exported.encode())
    assert root.tag == "document" and root.child_text("LimeSurveyDocType") == "Survey"
    assert int(root.child_text("DBVersion")) >= 400  # the *_l10ns layout
    languages = [e.text for e in root.child("languages").children]
    survey = table(root, "surveys")[0]
    assert survey.get("language") in languages and survey.get("format") in ("G", "S", "A")
    assert {r.get("surveyls_language") for r in table(root, "surveys_languagesettings")} == set(languages)
    groups = {r.get("gid") for r in table(root, "groups")}
    assert "0" not in groups
    assert {r.get("gid") for r in table(root, "group_l10ns")} == groups
    questions = {r.get("qid"): r for r in table(root, "questions")}
    subquestions = {r.get("qid"): r for r in table(root, "subquestions")}
    for q in questions.values():
        assert q.get("parent_qid") == "0" and q.get("gid") in groups and q.get("type") in LIMESURVEY_TYPES
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", q.get("title")), q.get("title")
        assert q.get("question_theme_name")
    titles = [q.get("title").lower() for q in questions.values()]
    assert len(titles) == len(set(titles))
    for s in subquestions.values():
        parent = questions[s.get("parent_qid")]
        assert s.get("gid") == parent.get("gid") and re.fullmatch(r"[A-Za-z0-9]{1,20}", s.get("title"))
    assert {r.get("qid") for r in table(root, "question_l10ns")} == set(questions) | set(subquestions)
    answers = table(root, "answers")
    for a in answers:
        assert a.get("qid") in questions and re.fullmatch(r"[A-Za-z0-9]{1,5}", a.get("code")), a.get("code")
    keys = [(a.get("qid"), a.get("scale_id"), a.get("code")) for a in answers]
    assert len(keys) == len(set(keys))
    assert {r.get("aid") for r in table(root, "answer_l10ns")} == {a.get("aid") for a in answers}
    assert all(r.get("qid") in questions for r in table(root, "question_attributes"))
    for d in table(root, "defaultvalues"):
        assert d.get("qid") in questions and (d.get("sqid") == "0" or d.get("sqid") in subquestions)
    dvids = {d.get("dvid") for d in table(root, "defaultvalues")}
    assert {r.get("dvid") for r in table(root, "defaultvalue_l10ns")} == dvids


def test_every_expression_is_one_limesurvey_evaluates(exported):
    """Each relevance, validation and {…} parses and names only variables the survey
    has: LimeSurvey would not show an 'Undefined variable' or a syntax error."""
    root = parse_xml(exported.encode())
    known = _limesurvey_variables(root)
    expressions = [r.get("relevance") for r in table(root, "questions") + table(root, "subquestions")]
    expressions += [r.get("grelevance") for r in table(root, "groups")]
    expressions += [r.get("value") for r in table(root, "question_attributes") if r.get("attribute") == "em_validation_q"]
    for r in table(root, "question_l10ns") + table(root, "group_l10ns") + table(root, "surveys_languagesettings"):
        for value in r.fields.values():
            expressions += [p for kind, p in split_tailoring(value) if kind == "expr"]
    checked = 0
    for source in filter(None, expressions):
        tree = parse(source)
        names = {n.text.split(".")[0] for n in walk(tree) if isinstance(n, Name)}
        assert names <= known, (source, names - known)
        outcome = run(source, {n: EmVar("", True) for n in known})
        assert outcome.ok, source
        checked += 1
    assert checked > 40


def _limesurvey_variables(root) -> set[str]:
    questions = {r.get("qid"): r for r in table(root, "questions")}
    names = set()
    for q in questions.values():
        subs = [s for s in table(root, "subquestions") if s.get("parent_qid") == q.get("qid")]
        rows = [s.get("title") for s in subs if s.get("scale_id") == "0"]
        columns = [s.get("title") for s in subs if s.get("scale_id") == "1"]
        if q.get("type") == ":":
            names |= {f"{q.get('title')}_{r}_{c}" for r in rows for c in columns}
        elif rows:
            names |= {f"{q.get('title')}_{r}" for r in rows}
        else:
            names.add(q.get("title"))
    return names


def test_an_option_condition_of_a_single_choice_is_a_warning(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text('survey s "S"\ngroup g "G"\n  multiple m "M"\n    - a "A"\n  single x "X"\n'
                    '    - a "A" when m_a == "Y"\n    - b "B"\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(qengine.load(path), "lss", "lss")
    assert any(issubclass(w.category, RenderWarning) and "option a has a condition" in str(w.message)
               for w in caught)


# --------------------------------------------- meaning kept, by Hypothesis
SURVEY_TEXT = '''survey h "H"
group g "G"
  single s "S"
    - a "A"
    - b "B"
  integer n "N"
  text t "T"
  multiple m "M"
    - x "X"
    - y "Y"
  display d "D"
    when s == "a"
'''


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("h") / "h.qdl"
    path.write_text(SURVEY_TEXT, encoding="utf-8")
    return qengine.load(path)


def _qdl_expressions():
    def var(name, question, sub=()):
        return ast.Var(name, "value", None, question, sub)

    leaves = st.one_of(
        st.sampled_from([var("s", "s"), var("n", "n"), var("t", "t"), var("m_x", "m", ("x",)),
                         var("m_y", "m", ("y",)), ast.Var("s", "visible", None, "s", ())]),
        st.sampled_from(["a", "b", "", "0", "5", "12", "x", "Y"]).map(lambda v: ast.Literal(v, None)),
        st.sampled_from([0, 1, 5, 12, -3, 2.5]).map(lambda v: ast.Literal(v, None)),
    )

    def extend(inner):
        return st.one_of(
            st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), inner, inner).map(
                lambda t: ast.Compare(t[0], t[1], t[2], None)),
            st.tuples(st.sampled_from(["and", "or"]), inner, inner).map(lambda t: ast.Logical(*t, None)),
            inner.map(lambda e: ast.Unary("not", e, None)),
            st.tuples(st.sampled_from(["+", "-", "*"]), inner, inner).map(lambda t: ast.Binary(*t, None)),
            inner.map(lambda e: ast.Call("is_empty", (e,), None)),
            st.just(ast.Call("count", (ast.Var("m", "value", None, "m", ()),), None)),
            st.tuples(inner, inner, inner).map(lambda t: ast.Call("if", t, None)),
            st.lists(inner, min_size=1, max_size=3).map(lambda a: ast.Call("sum", tuple(a), None)),
        )

    return st.recursive(leaves, extend, max_leaves=5)


class _Respondent:
    def __init__(self, values, hidden):
        self.values, self.hidden = values, hidden

    def value(self, var):
        if var.question in self.hidden:
            return None
        if not var.sub and var.question == "m":
            return tuple(k for k in ("x", "y") if self.values.get(f"m_{k}") == "Y")
        return self.values.get(var.name)

    def visible(self, question):
        return question not in self.hidden

    def shown(self, var):
        raise AssertionError


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(expr=_qdl_expressions(), s=st.sampled_from([None, "a", "b"]), n=st.sampled_from([None, 0, 5, 12, -3]),
       t=st.sampled_from([None, "x", "5", "0", "abc"]), mx=st.booleans(), my=st.booleans(),
       hidden=st.sets(st.sampled_from(["s", "n", "t", "m"])))
def test_exported_conditions_mean_in_limesurvey_what_they_mean_in_qdl(small, expr, s, n, t, mx, my, hidden):
    from qengine_renderers.lss.renderer import _Export
    from qengine_renderers.lss.script import Unexportable

    values = {"s": s, "n": n, "t": t, "m_x": "Y" if mx else None, "m_y": "Y" if my else None}
    try:
        expected = truthy(evaluate(expr, _Respondent(values, hidden)))
    except EvaluationError:
        return  # a defect of the QDL expression itself (text added to a number)
    try:
        script = _Export(small).script.write(expr)
    except Unexportable:
        return
    em = {name: EmVar("" if values[name] is None else str(values[name]), name.split("_")[0] not in hidden,
                      onlynum=name == "n") for name in values}
    assert run(script, em).boolean == expected, script


# --------------------------------------------- .question, .type, listifop()
ATTRIBUTES_SURVEY = '''survey a "A"
group g "G"
  integer n "How many?"
  integer k "Kids of {n}?"
  multiple m "M"
    - x "X"
    - y "Y"
'''


@pytest.mark.parametrize(("qdl", "script"), [
    ("n.type", "n.type"), ("m.type", "m_x.type"), ("m_y.question", "m_y.question"), ("n.question", "n.question"),
    ('listifop("visible", "==", true, "shown", ", ", "m_x", "n")',
     'listifop("relevanceStatus", "==", if(1, 1, 0), "shown", ", ", "m_x", "n")'),
    ('listifop("type", "==", "M", "visible", ",", "n", "m")', 'listifop("type", "==", "M", "relevanceStatus", ",", '
     '"n", "m_x")'),
])
def test_question_type_and_listifop_go_out_as_limesurveys(qdl, script):
    from qengine_renderers.lss.script import ScriptWriter

    survey = qengine.load(ATTRIBUTES_SURVEY + f"  equation e\n    value {qdl}\n")
    assert ScriptWriter(survey, {}, {}).write(survey.question("e").formula) == script


@pytest.mark.parametrize(("qdl", "why"), [
    ("k.question", "unevaluated"), ("m.question", "has no variable"),
    ('listifop("value", ">", 1, "question", ",", "n", "k")', "unevaluated"),
    ('listifop("type", "==", "M", "shown", ",", "m")', "has no variable"),
])
def test_a_wording_limesurvey_reads_otherwise_is_not_exported(qdl, why):
    from qengine_renderers.lss.script import ScriptWriter, Unexportable

    survey = qengine.load(ATTRIBUTES_SURVEY + f"  equation e\n    value {qdl}\n")
    with pytest.raises(Unexportable, match=why):
        ScriptWriter(survey, {}, {}).write(survey.question("e").formula)
