"""The JavaScript backend of the expression AST: each expression becomes one JS
function, compiled once, that the HTML form calls whenever its inputs change.

The compiled code holds no semantics of its own. Every operation is a call into the
runtime library shipped with the HTML renderer (`qengine.js`, bound to `Q`), which
mirrors `qengine.expr.values` and `qengine.expr.functions` rule for rule; the
environment `e` (the browser's session) answers the same questions as the Python
one:

=====================  ==========================  ===========================
QDL                    Python (`evaluate`)          JavaScript (compiled)
=====================  ==========================  ===========================
``x``                  ``env.value(var)``          ``e.v("x")``
``q_row_col``          ``env.value(var)``          ``e.v("q", "row", "col")``
``x.visible``          ``env.visible("x")``        ``e.vis("x")``
``x.shown``            ``env.shown(var)``          ``e.sh("x")``
``q_opt.question``     ``env.wording(var)``        ``e.qt("q", "opt")``
``x.type``             ``env.type_letter("x")``    ``e.ty("x")``
``a == b``             ``equal(a, b)``             ``Q.eq(Q.scalar(A), Q.scalar(B))``
``a + b``              ``arithmetic("+", a, b)``   ``Q.arith("+", A, B)``
``if(c, a, b)``        lazy branch                 ``(Q.truthy(C) ? A : B)``
``f(a, b)``            ``FUNCTIONS[f].python``     ``Q.call("f", [A, B])``
=====================  ==========================  ===========================

The functions themselves come from their rows in `qengine.expr.functions`: each
row's `js` source is written into the runtime (`runtime()`), and a quoted argument
of type `PATTERN` is compiled here, once, rather than in the browser at each call.

Evaluation order, short-circuits and the errors raised follow the Python
evaluator's, so that the differential test can compare them step by step.
String literals are written so that the code can sit inside an HTML `<script>`.
"""

from __future__ import annotations

import functools
import json
import math
import re
from importlib.resources import files

from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Arg, regex_body
from qengine.expr.patterns import JsRegex, UnsupportedPattern, translate
from qengine.expr.regex import check_pattern
from qengine.expr.values import as_text
from qengine.model import Text

__all__ = ["UnsupportedPattern", "compile_expr", "compile_function", "compile_regex", "compile_text",
           "js_literal", "runtime"]

#: Where `runtime()` writes the function table into qengine.js.
_TABLE_MARK = "    /* function table */\n"

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def js_literal(value) -> str:
    """A JS literal for a JSON-like value, safe inside an HTML `<script>` element."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"no JSON literal for {value!r}")
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group()], text)


@functools.cache
def runtime() -> str:
    """The browser runtime, `qengine.js`, with the function table written in: the
    `js` source of every row, under its name. The HTML form ships this text and the
    differential tests run it."""
    source = files("qengine_renderers.html").joinpath("qengine.js").read_text(encoding="utf-8")
    if source.count(_TABLE_MARK) != 1:
        raise RuntimeError("qengine.js must hold the function table's mark once")
    table = "".join(f"    {js_literal(f.name)}: {f.js},\n" for f in FUNCTIONS.values() if f.js is not None)
    return source.replace(_TABLE_MARK, table)


def compile_function(node: ast.Expr) -> str:
    """`function(e){return …;}`: the expression as a function of the environment."""
    return f"function(e){{return {compile_expr(node)};}}"


def compile_text(text: Text | None) -> str:
    """A piece of wording: a string literal when static, else a function of `e`
    returning the text as it reads now (values written with `as_text`)."""
    if text is None:
        return "null"
    if text.is_static:
        return js_literal(text.plain)
    pieces = [js_literal(p) if isinstance(p, str) else f"Q.text({compile_expr(p)})" for p in text.parts]
    return f"function(e){{return {'+'.join(pieces) or js_literal('')};}}"


def compile_regex(pattern: str, fullmatch: bool = False) -> str:
    """A compiled-pattern object for a Python regular expression (`Q.re(...)`), or
    one that raises the error Python's `re` would raise (`Q.badRe(...)`). With
    `fullmatch`, it matches as `re.fullmatch` does, else as `re.search`."""
    try:
        re.compile(pattern)
    except re.error as err:
        return f"Q.badRe({js_literal(f'bad regular expression: {err}')})"
    js: JsRegex = translate(pattern)
    source = f"^(?:{js.source})$" if fullmatch else js.source
    return f"Q.re({js_literal(source)},{js_literal(js.flags)})"


def _literal_pattern(pattern: str) -> str:
    """`compile_regex` for regexMatch's literal pattern, refused as the Python
    runtime refuses it when its linear-time engine cannot run it."""
    try:
        check_pattern(pattern)
    except UnsupportedPattern as err:
        return f"Q.badRe({js_literal(f'unsupported regular expression: {err}')})"
    except re.error:
        pass  # compile_regex says it as Python does
    return compile_regex(pattern)


def compile_expr(node: ast.Expr) -> str:
    """The JS source of one expression (reads `e` and `Q`)."""
    match node:
        case ast.Literal(value=v):
            return js_literal(v)
        case ast.Var(attr="value"):
            return f"e.v({_args(node)})"
        case ast.Var(attr="visible"):
            return f"e.vis({js_literal(node.question)})"
        case ast.Var(attr="shown"):
            return f"e.sh({_args(node)})"
        case ast.Var(attr="question"):
            return f"e.qt({_args(node)})"
        case ast.Var(attr="type"):
            return f"e.ty({js_literal(node.question)})"
        case ast.Logical(op="and", left=a, right=b):
            return f"(Q.truthy({compile_expr(a)})&&Q.truthy({compile_expr(b)}))"
        case ast.Logical(op="or", left=a, right=b):
            return f"(Q.truthy({compile_expr(a)})||Q.truthy({compile_expr(b)}))"
        case ast.Unary(op="not", operand=a):
            return f"(!Q.truthy({compile_expr(a)}))"
        case ast.Unary(op="-", operand=a):
            return f"Q.neg({compile_expr(a)})"
        case ast.Compare(op="==" | "!=" as op, left=a, right=b):
            test = f"Q.eq(Q.scalar({compile_expr(a)}),Q.scalar({compile_expr(b)}))"
            return test if op == "==" else f"(!{test})"
        case ast.Compare(op=op, left=a, right=b):
            return f"Q.order({js_literal(op)},Q.scalar({compile_expr(a)}),Q.scalar({compile_expr(b)}))"
        case ast.Binary(op=op, left=a, right=b):
            return f"Q.arith({js_literal(op)},{compile_expr(a)},{compile_expr(b)})"
        case ast.Call(name="if", args=(c, then, other)):
            return f"(Q.truthy({compile_expr(c)})?{compile_expr(then)}:{compile_expr(other)})"
        case ast.Call(name=name, expanded=None, args=args):
            return f"Q.call({js_literal(name)},[{','.join(_argument(name, i, a) for i, a in enumerate(args))}])"
        case ast.Call(name=name, expanded=tuple() as operands):  # listifop(): what its quoted names read
            return f"Q.call({js_literal(name)},[{','.join(compile_expr(a) for a in operands)}])"
    raise TypeError(f"not an expression node: {node!r}")


def _argument(function: str, index: int, node: ast.Expr) -> str:
    """An argument of a call: a quoted pattern compiled now, anything else as it is."""
    if FUNCTIONS[function].takes(index, Arg.PATTERN) and isinstance(node, ast.Literal):
        return _literal_pattern(regex_body(as_text(node.value)))
    return compile_expr(node)


def _args(var: ast.Var) -> str:
    return ",".join(js_literal(k) for k in var.key)
