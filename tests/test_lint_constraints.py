"""The z3 backend agrees with Python evaluation: for random expressions and random
answers, the solver's constraints, with the answers fixed, leave exactly the truth
value `evaluate()` computes on the runtime's session (unless the encoding says it
left something unmodelled)."""

from __future__ import annotations

import z3
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import qengine
from qengine.errors import EvaluationError, QdlError
from qengine.expr.evaluate import evaluate
from qengine.expr.functions import FUNCTIONS, Arg, Function, Param
from qengine.expr.values import truthy
from qengine.lint.constraints import condition, symbolic
from qengine.lint.logic import SurveyLogic
from qengine.runtime.session import Session

HEAD = '''survey s "S"

group g "G"
  single c "C"
    - a "A"
    - b "B"
    - n12 "N"
  integer n "N"
    min -5
    max 20
  decimal d "D"
    min 0
    max 10
  text t "T"
  multiple m "M"
    - x "X"
    - y "Y"
  array r "R"
    row u "U"
    row v "V"
    scale 1 to 3
  grid h "H"
    min 0
    max 5
    row k "K"
    column p "P"
    column q "Q"
  equation e
    value if(is_empty(n), 0, n * 2)
'''

LEAVES = ["c", "n", "d", "t", "m_x", "m_y", "r_u", "e", "n.visible", '"a"', '"b"', '"12"', '"x"', '""',
          "0", "1", "2", "3", "2.5", "-1", "true", "false", "c.type", "m_x.question"]


ROWS = [f for f in FUNCTIONS.values() if not f.lazy]
PATTERNS = ['"^a"', '"[0-9]+"', '"^$"', '"x|12"']


def calls(fn: Function, children):
    """Calls of a function of the table, over expressions and, where the row takes
    one, a whole question or a quoted pattern."""

    def argument(param: Param):
        if param.type is Arg.PATTERN:
            return st.sampled_from(PATTERNS)
        if param.type is Arg.ATTRIBUTE:
            return st.sampled_from(['"value"', '"code"', '"shown"', '"visible"', '"question"', '"type"'])
        if param.type is Arg.QUESTION:
            return st.sampled_from(['"c"', '"n"', '"t"', '"m_x"', '"m_y"', '"r_u"', '"e"'])
        return st.one_of(children, st.sampled_from(["m", "r", "h"])) if param.type is Arg.ANSWERS else children

    most = fn.max_args if fn.max_args is not None else fn.min_args + 2
    return st.integers(fn.min_args, most).flatmap(
        lambda n: st.tuples(*(argument(fn.param(i)) for i in range(n)))).map(lambda a: f"{fn.name}({', '.join(a)})")


def expressions():
    leaf = st.sampled_from(LEAVES)

    def extend(children):
        return st.one_of(
            st.tuples(children, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), children)
            .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%"]), children)
            .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(children, st.sampled_from(["and", "or"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            children.map(lambda a: f"not {a}"),
            children.map(lambda a: f"-{a}"),
            st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
            st.sampled_from(["is_empty(m)", "count(m)", "is_empty(r)", "count(r)", "count(h)", "count(m, r, h)",
                             "count(c, n, t)"]),
            st.sampled_from(ROWS).flatmap(lambda fn: calls(fn, children)),
        )

    return st.recursive(leaf, extend, max_leaves=6)


answers = st.fixed_dictionaries({}, optional={
    "c": st.sampled_from(["a", "b", "n12"]),
    "n": st.integers(-5, 20),
    "d": st.sampled_from([0, 0.5, 2.5, 10]),
    "t": st.sampled_from(["a", "x", "12", "0", "hello", " 3 "]),
    "m": st.lists(st.sampled_from(["x", "y"]), unique=True, min_size=1),
    "r": st.sampled_from([{"u": "1"}, {"u": "3"}, {"v": "2"}, {"u": "1", "v": "3"}]),
    "h": st.sampled_from([{"k": {"p": 0}}, {"k": {"q": 5}}, {"k": {"p": 1, "q": 2}}]),
})


def fix(logic: SurveyLogic, given: dict) -> list[z3.BoolRef]:
    """Constraints pinning every answer variable to `given`."""
    d = logic.domains
    out = [d["c"].choice.only(given.get("c"))]
    for code in ("n", "d"):
        if code in given:
            out += [z3.Not(d[code].empty), d[code].number == given[code]]
        else:
            out.append(d[code].empty)
    text = d["t"]
    value = given.get("t")
    if value is None:
        out.append(text.choice == 0)
    elif value in text.literals:
        out.append(text.choice == text.literals.index(value) + 1)
    elif value.strip().lstrip("-").replace(".", "", 1).isdigit():
        out += [text.choice == text.numeric, text.number == float(value)]
    else:
        out.append(text.choice == text.other)
    out += [t if o.code in given.get("m", []) else z3.Not(t)
            for t, o in zip(d["m"].ticks, logic.survey.by_code["m"].options, strict=True)]
    out += [cell.only(given.get("r", {}).get(row)) for cell, row in zip(d["r"].cells, "uv", strict=True)]
    for (row, column), (empty, number) in d["h"].cells.items():
        value = given.get("h", {}).get(row, {}).get(column)
        out.append(empty if value is None else z3.And(z3.Not(empty), number == value))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), answers)
@example("count(r) == 2", {"r": {"u": "1", "v": "3"}})  # answered rows
@example("count(h) == 2", {"h": {"k": {"p": 1, "q": 2}}})  # filled cells
@example("count(m, r, h) == 3", {"m": ["x"], "r": {"u": "1"}, "h": {"k": {"p": 0}}})
@example("count(m) > 1.5", {"m": ["x", "y"]})  # counts compared as cardinality constraints
@example("2.5 > count(m)", {"m": ["x"]})
@example("count(m) == 1.5", {"m": ["x"]})
@example("count(m, r) <= 0", {})
@example("count(m) != \"2\"", {"m": ["x", "y"]})
@example("countif(\"a\", c, t) >= 1", {"c": "a"})
@example("abs(n - 10) < 3", {"n": 8})  # abs() translated, not computed by value
@example("abs(d) == 2.5", {"d": 2.5})
@example("abs(t) > 11", {"t": "12"})
@example('listifop("value", "==", "Y", "code", ",", "m_x", "m_y") == "Y,Y"', {"m": ["x", "y"]})  # by value
@example('listifop("visible", "==", 1, "type", "", "c", "n", "m_x") == "LNM"', {})
@example('c.type == "L" and m_x.question == "X"', {})  # both fixed
def test_solver_and_evaluation_agree(text, given):
    try:
        survey = qengine.load(HEAD + f'  display probe "P"\n    when {text}\n')
    except QdlError:
        assume(False)
    expr = survey.by_code["probe"].condition
    try:
        session = Session(survey)
        for code, value in given.items():
            session.answer(code, value)
        expected = truthy(evaluate(expr, session))
    except EvaluationError:  # the expression fails on these answers: nothing to compare
        assume(False)
    logic = SurveyLogic(survey)
    cond = condition(expr, logic)
    assume(not cond.reasons and not symbolic(expr, logic).reasons)
    solver = z3.Solver()
    solver.add(*(logic.typed(c) for c in logic.domains), *logic.definitions, *fix(logic, given))
    assert solver.check() == z3.sat
    assert solver.check(cond.formula if not expected else z3.Not(cond.formula)) == z3.unsat, (text, given)
