"""The function table: every row has every backend (or says why not), and the
backends and the documentation read the rows rather than knowing functions by name.
Python and JavaScript are compared function by function in tests/test_to_js.py,
Python and the solver in tests/test_lint_constraints.py."""

from __future__ import annotations

from pathlib import Path
from string import Formatter

import pytest
from qengine_renderers.html.to_js import js_literal, runtime

import qengine
from qengine.expr.docs import markdown
from qengine.expr.functions import BY_VALUE, FUNCTIONS, NOT_MODELLED, Arg, Function, Words, optional, repeated
from qengine.lint import lint
from qengine.renderers.words import VOCABULARIES

ROOT = Path(__file__).resolve().parents[1]
ROWS = [pytest.param(f, id=f.name) for f in FUNCTIONS.values()]


@pytest.mark.parametrize("fn", ROWS)
def test_every_row_has_every_backend(fn: Function):
    assert fn.doc and not fn.doc.endswith(".")
    if fn.lazy:  # written by each backend itself: only `if` may be
        assert fn.name == "if"
        assert (fn.python, fn.js, fn.words, fn.solver) == (None, None, None, None)
        return
    assert callable(fn.python)
    assert isinstance(fn.js, str) and fn.js.strip()  # run by tests/test_to_js.py
    assert isinstance(fn.words, Words)
    assert fn.solver in (BY_VALUE, NOT_MODELLED) or callable(fn.solver)


@pytest.mark.parametrize("fn", [p for p in ROWS if p.values[0].words is not None])
def test_words_fill_their_templates_from_the_arguments(fn: Function):
    """Each template of each language names only arguments the call has."""
    assert set(VOCABULARIES) == {"en", "fr"}  # the languages a row's Words has
    variants = [(fn.words, fn.min_args)]
    if fn.words.given is not None:
        variants.append((fn.words.given, fn.max_args or fn.min_args + 1))
    for words, count in variants:
        for language in VOCABULARIES:
            for negated in (False, True) if words.is_clause else (False,):
                template = words.template(language, negated)
                fields = {f for _, f, _, _ in Formatter().parse(template) if f is not None}
                assert fields or count == 0, template  # pi() reads no argument
                named = {"questions"} if any(p.type is Arg.QUESTION for p in fn.params) else set()
                allowed = {"items", "rest", *named, *map(str, range(count))}
                assert fields <= allowed, (template, fields - allowed)


def test_the_runtime_holds_every_functions_code():
    source = runtime()
    for fn in FUNCTIONS.values():
        assert (f"{js_literal(fn.name)}: " in source) == (fn.js is not None), fn.name
    assert "function table" not in source


def test_the_reference_lists_the_table():
    committed = (ROOT / "docs" / "qdl.md").read_text(encoding="utf-8")
    assert markdown() in committed, "run: python -m qengine.expr.docs"


def test_signatures_say_what_may_be_left_out_or_repeated():
    assert FUNCTIONS["round"].signature == "round(x[, d])"
    assert FUNCTIONS["countif"].signature == "countif(v, x, …)"
    assert (FUNCTIONS["countif"].min_args, FUNCTIONS["countif"].max_args) == (2, None)
    assert (FUNCTIONS["round"].min_args, FUNCTIONS["round"].max_args) == (1, 2)
    assert FUNCTIONS["countif"].param(7) == FUNCTIONS["countif"].params[-1]
    assert FUNCTIONS["round"].param(2) is None


def test_a_row_is_checked_when_the_table_is_built():
    with pytest.raises(ValueError, match="optional parameters come last"):
        Function("f", (optional("a"), repeated("b")), FUNCTIONS["sum"].returns, "", None, None, None, None)
    with pytest.raises(ValueError, match="only the last parameter may be repeated"):
        Function("f", (repeated("a"), optional("b")), FUNCTIONS["sum"].returns, "", None, None, None, None)


# ------------------------------------------------------------------ backends read the types
HEAD = '''survey s "S"
group g "G"
  integer n "N"
  text t "T"
  multiple m "M"
    - x "X"
    - y "Y"
'''


def _codes(body: str) -> list[str]:
    try:
        qengine.load(HEAD + body)
    except qengine.QdlError as err:
        return [d.code for d in err.diagnostics]
    return []


@pytest.mark.parametrize("fn", [p for p in ROWS if not p.values[0].lazy])
def test_a_whole_question_goes_only_where_the_row_takes_one(fn: Function):
    """E213 exactly where a parameter is not of type ANSWERS, E217 where it takes a
    quoted name (listifop's attributes and questions)."""
    written = {Arg.PATTERN: '"^a"', Arg.ATTRIBUTE: '"value"', Arg.QUESTION: '"n"'}
    for i in range(fn.min_args):
        args = ["m" if j == i else written.get(fn.param(j).type, "n") for j in range(fn.min_args)]
        kind = fn.param(i).type
        expected = [] if kind is Arg.ANSWERS else ["E217"] if kind in (Arg.ATTRIBUTE, Arg.QUESTION) else ["E213"]
        assert _codes(f'  display d "{{{fn.name}({", ".join(args)})}}"\n') == expected, (fn.name, i)


def test_a_quoted_pattern_is_checked_when_loading():
    assert _codes('  display d "{regexMatch(\'(a\', t)}"\n') == ["E107"]


def test_lint_warns_where_a_number_argument_is_text():
    """V203 for an argument of type NUMBER only: round()'s digits read text as 0."""
    result = lint(HEAD + '  display d "{round(t, \'x\')} {sum(n, \'x\')}"\n', select=["V203"])
    assert [f.message for f in result.findings] == ['`sum(n, "x")` fails while the survey runs: "x" is not a number']


# ------------------------------------------------------------------ abs(): added as one row
ABS = '''survey s "S"
group g "G"
  decimal x "X"
  text t "T"
  equation a
    value abs(x)
  display low "Near ten"
    when abs(x - 10) < 1
'''


@pytest.mark.parametrize(("answer", "expected"), [(-3, 3), (2.5, 2.5), (-0.5, 0.5), (0, 0), (None, None)])
def test_abs_is_the_distance_from_zero_and_keeps_empty(answer, expected):
    session = qengine.load(ABS).start()
    session.answer("x", answer)
    assert session.current_value("a") == expected


def test_abs_reads_a_numeric_text_and_refuses_other_text():
    survey = qengine.load(ABS.replace("value abs(x)", "value abs(t)"))
    session = survey.start()
    session.answer("t", " -12 ")
    assert session.current_value("a") == 12
    with pytest.raises(qengine.EvaluationError, match=r"abs\(\): 'douze' is not a number"):
        session.answer("t", "douze")


def test_abs_reads_as_words():
    from qengine.renderers.words import Reader

    survey = qengine.load(ABS)
    condition = survey.question("low").condition
    assert Reader(survey, "en").sentence(condition) == (
        "The absolute value of (the answer to question '1 [x]' (X) minus 10) was less than 1")
    assert Reader(survey, "fr").sentence(condition).startswith("La valeur absolue de (la réponse à la question")


def test_lint_models_abs():
    """abs(x) < 0 is never true: lint proves the question unreachable (its solver
    translation, not a guess by value); abs(x) < 1 can be."""
    never = ABS.replace("when abs(x - 10) < 1", "when abs(x - 10) < 0")
    assert [f.code for f in lint(never, select=["R101"]).findings] == ["R101"]
    assert not lint(ABS, select=["R101"]).findings
    assert [f.message for f in lint(ABS.replace("abs(x)", "abs('x')"), select=["V203"]).findings] == [
        '`abs("x")` fails while the survey runs: "x" is not a number']
