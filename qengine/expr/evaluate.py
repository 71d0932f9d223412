"""Python evaluation of expressions.

`evaluate(expr, env)` walks the AST. The environment answers three questions about
a variable: its value, whether its question is shown, and the label of its answer;
the runtime's session is one such environment. Semantics live in
`qengine.expr.values` and `qengine.expr.functions`.
"""

from __future__ import annotations

from typing import Protocol

from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, FunctionError
from qengine.expr.values import as_number, as_text, equal, is_empty, normalise_number, order, truthy


class Environment(Protocol):
    def value(self, var: ast.Var): ...
    def visible(self, question: str) -> bool: ...
    def shown(self, var: ast.Var) -> str: ...


def evaluate(node: ast.Expr, env: Environment):
    match node:
        case ast.Literal(value=v):
            return v
        case ast.Var(attr="value"):
            return env.value(node)
        case ast.Var(attr="visible"):
            return env.visible(node.question)
        case ast.Var(attr="shown"):
            return env.shown(node)
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
        case ast.Call(name=name, args=args):
            try:
                return FUNCTIONS[name].impl(*(evaluate(a, env) for a in args))
            except FunctionError as err:
                raise EvaluationError(f"{name}(): {err}", node.span) from None
    raise TypeError(f"not an expression node: {node!r}")


def evaluate_text(text, env) -> str:
    """The wording of a `Text` as it reads now."""
    return "".join(p if isinstance(p, str) else as_text(evaluate(p, env)) for p in text.parts)


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
    match op:
        case "+":
            return normalise_number(x + y)
        case "-":
            return normalise_number(x - y)
        case "*":
            return normalise_number(x * y)
        case "/" | "%" if y == 0:
            raise EvaluationError("division by zero", node.span)
        case "/":
            return normalise_number(x / y)
        case "%":
            return normalise_number(x % y)
    raise ValueError(op)
