"""Guides toward questions random respondents did not reach.

A guide is a partial answers file: the answers that should make a question's
condition true, read off the condition itself (and its group's, and those of the
questions it reads, so that they are shown too). `x == "a"` asks for option a,
`x_opt == "Y"` for a tick, `n > 3` for 4, `is_empty(x)` for leaving x blank; `or`
takes its left side, `not` flips what is wanted. It is a heuristic, not a solver:
conditions it cannot read leave the walk to its draws. A respondent following a
guide still draws every answer the guide does not give, and falls back to drawing
when the question as shown does not accept the guide's value.
"""

from __future__ import annotations

from typing import cast

from qengine.expr import ast
from qengine.kinds.base import Choices, Numbers, Table
from qengine.kinds.registry import kind_of
from qengine.model import Survey

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_MIRROR = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


def guide_toward(survey: Survey, target: str) -> dict:
    """Answers likely to get question `target` shown."""
    wants: dict = {}
    todo, done = [target], set()
    while todo:
        code = todo.pop(0)
        if code in done or code not in survey.by_code:
            continue
        done.add(code)
        q = survey.by_code[code]
        for cond in (survey.groups_by_code[q.group].condition, q.condition):
            if cond is not None:
                _want(survey, cond, True, wants)
                todo += [v.question for v in ast.variables(cond) if v.question]
    return wants


def _want(survey: Survey, node, polarity: bool, wants: dict) -> None:
    match node:
        case ast.Logical(op="and", left=a, right=b):
            if polarity:
                _want(survey, a, True, wants)
                _want(survey, b, True, wants)
            else:
                _want(survey, a, False, wants)
        case ast.Logical(op="or", left=a, right=b):
            if polarity:
                _want(survey, a, True, wants)
            else:
                _want(survey, a, False, wants)
                _want(survey, b, False, wants)
        case ast.Unary(op="not", operand=a):
            _want(survey, a, not polarity, wants)
        case ast.Call(name="is_empty", args=(ast.Var(attr="value") as var,)) if polarity and not var.sub:
            wants.setdefault(var.question, None)
        case ast.Compare(op=op, left=ast.Var(attr="value") as var, right=ast.Literal(value=lit)):
            _compare(survey, var, op if polarity else _NEGATE[op], lit, wants)
        case ast.Compare(op=op, left=ast.Literal(value=lit), right=ast.Var(attr="value") as var):
            _compare(survey, var, _MIRROR[op] if polarity else _NEGATE[_MIRROR[op]], lit, wants)
        case ast.Var(attr="value") as var if polarity:
            _compare(survey, var, "!=", "", wants)


def _compare(survey: Survey, var: ast.Var, op: str, lit, wants: dict) -> None:
    q = survey.by_code.get(var.question) if var.question is not None else None
    if q is None or var.question in wants and not isinstance(wants[var.question], list | dict):
        return
    match kind_of(q).shape:
        case "choice" if not var.sub:
            codes = [o.code for o in cast(Choices, q).options]
            pick = str(lit) if op == "==" else next((c for c in codes if c != str(lit)), None) if op == "!=" else None
            if pick in codes:
                wants[q.code] = pick
        case "choices" if var.sub:
            ticked = op == "==" and lit == "Y" or op == "!=" and lit in ("", None)
            if ticked:
                ticks = wants.setdefault(q.code, [])
                if var.sub[0] not in ticks:
                    ticks.append(var.sub[0])
        case "row_choice" if var.sub:
            cols = [c.code for c in cast(Table, q).columns]
            pick = str(lit) if op == "==" else next((c for c in cols if c != str(lit)), None) if op == "!=" else None
            if pick in cols:
                wants.setdefault(q.code, {}).setdefault(var.sub[0], pick)
        case "row_cells" if len(var.sub) == 2 and _number(lit) is not None:
            wants.setdefault(q.code, {}).setdefault(var.sub[0], {}).setdefault(
                var.sub[1], _satisfying(op, _number(lit), cast(Numbers, q).integer))
        case "number" if not var.sub and _number(lit) is not None:
            wants[q.code] = _satisfying(op, _number(lit), cast(Numbers, q).integer)
        case "text" if not var.sub and isinstance(lit, str) and op in ("==", "!="):
            wants[q.code] = lit if op == "==" else (lit + "x")


def _number(lit):
    if isinstance(lit, bool):
        return None
    if isinstance(lit, int | float):
        return lit
    try:
        return float(lit) if "." in lit else int(lit)
    except (TypeError, ValueError):
        return None


def _satisfying(op: str, n, integer: bool):
    step = 1 if integer else 0.5
    return {"==": n, ">=": n, "<=": n, ">": n + step, "<": n - step, "!=": n + step}[op]
