"""Python evaluation of expressions.

`evaluate(expr, env)` walks the AST. The environment answers what a variable reads:
its value, whether its question is shown, the label of its answer, the wording of
its question (or of its option, row or cell) and LimeSurvey's type letter for it;
the runtime's session is one such environment. Semantics live in
`qengine.expr.values` and `qengine.expr.functions`.

The work of one evaluation is bounded: the tree's depth by the parser (E110), and
every number and text it computes by `checked_number` and `checked_text`, so that
values that double at each step (an equation joining or multiplying the one before,
forty times over) end in an `EvaluationError`, not in minutes and gigabytes.
"""

from __future__ import annotations

import operator
from typing import Protocol, cast

from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, FunctionError
from qengine.expr.values import (
    LimitError,
    as_number,
    as_text,
    check_text_length,
    checked_number,
    equal,
    is_empty,
    normalise_number,
    order,
    truthy,
)


class Environment(Protocol):
    def value(self, var: ast.Var): ...
    def visible(self, question: str) -> bool: ...
    def shown(self, var: ast.Var) -> str: ...
    def wording(self, var: ast.Var) -> str: ...
    def type_letter(self, question: str) -> str: ...


def evaluate(node: ast.Expr, env: Environment):
    match node:
        case ast.Literal(value=v):
            return v
        case ast.Var(attr="value"):
            return env.value(node)
        case ast.Var(attr="visible"):
            # Evaluated names are resolved (the parser and the importer set `question`).
            return env.visible(cast(str, node.question))
        case ast.Var(attr="shown"):
            return env.shown(node)
        case ast.Var(attr="question"):
            return env.wording(node)
        case ast.Var(attr="type"):
            return env.type_letter(cast(str, node.question))
        case ast.Logical(op="and", left=a, right=b):
            return truthy(evaluate(a, env)) and truthy(evaluate(b, env))
        case ast.Logical(op="or", left=a, right=b):
            return truthy(evaluate(a, env)) or truthy(evaluate(b, env))
        case ast.Unary(op="not", operand=a):
            return not truthy(evaluate(a, env))
        case ast.Unary(op="-", operand=a):
            value = evaluate(a, env)
            return None if is_empty(value) else normalise_number(-_number(value, node))
        case ast.Compare(op="==", left=a, right=b):
            return equal(_scalar(evaluate(a, env), a), _scalar(evaluate(b, env), b))
        case ast.Compare(op="!=", left=a, right=b):
            return not equal(_scalar(evaluate(a, env), a), _scalar(evaluate(b, env), b))
        case ast.Compare(op=op, left=a, right=b):
            return order(op, _scalar(evaluate(a, env), a), _scalar(evaluate(b, env), b))
        case ast.Binary(op=op, left=a, right=b):
            return arithmetic(op, evaluate(a, env), evaluate(b, env), node)
        case ast.Call(name="if", args=(c, then, other)):
            return evaluate(then if truthy(evaluate(c, env)) else other, env)
        case ast.Call(name=name):
            impl = FUNCTIONS[name].python
            assert impl is not None  # only if() has none: it is matched above
            try:
                return impl(*(evaluate(a, env) for a in node.operands))
            except (FunctionError, LimitError) as err:
                raise EvaluationError(f"{name}(): {err}", node.span) from None
    raise TypeError(f"not an expression node: {node!r}")


def evaluate_text(text, env) -> str:
    """The wording of a `Text` as it reads now, at most `MAX_TEXT` characters
    (counted as the parts come, so that a wording of many long parts stops early)."""
    pieces, length = [], 0
    for p in text.parts:
        piece = p if isinstance(p, str) else as_text(evaluate(p, env))
        length += len(piece)
        try:
            check_text_length(length)
        except LimitError as err:
            raise EvaluationError(f"the wording: {err}", text.span) from None
        pieces.append(piece)
    return "".join(pieces)


def _scalar(value, node):
    if isinstance(value, tuple):
        raise EvaluationError("a whole multiple-choice question has no single value", node.span)
    return value


def _number(value, node):
    n = as_number(value)
    if n is None:
        raise EvaluationError(f"{as_text(value)!r} is not a number", node.span)
    return n


def arithmetic(op: str, a, b, node):
    if is_empty(a) or is_empty(b):
        return None
    x, y = _number(_scalar(a, node), node), _number(_scalar(b, node), node)
    if op in "/%" and y == 0:
        raise EvaluationError("division by zero", node.span)
    try:
        return checked_number(_OPERATIONS[op](x, y))
    except (LimitError, OverflowError):  # OverflowError: an int quotient beyond the floats
        raise EvaluationError(f"the result of {op!r} is too large a number", node.span) from None


_OPERATIONS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
               "%": operator.mod}
