"""The expression AST: the one representation of every condition, validation,
equation and piece of dynamic wording in qengine.

Each backend (Python evaluation, JavaScript, plain words, solver constraints) is a
visitor over these nodes; none of them looks at source text again.

A `Var` keeps its written `name` and says what it denotes in `question` and `sub`.
The parser splits the name (question codes hold no `_`, so a name splits one way
only); resolution checks that the question, option, row or cell exists:

========================  ==================  =====================
written                   question            sub
========================  ==================  =====================
``age``                   ``age``             ``()``
``pertecauses_virus``     ``pertecauses``     ``("virus",)``      (option of a multiple choice)
``confiance_securite``    ``confiance``       ``("securite",)``   (row of an array)
``supports_susb_slocal``  ``supports``        ``("susb", "slocal")`` (cell of a grid)
========================  ==================  =====================
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from typing import cast

import attrs

from qengine.span import Span

# Attributes a variable may carry, as written -> what they read. NAOK is LimeSurvey's
# "no answer is OK" and means nothing in QDL, where a hidden question always reads as
# empty; LimeSurvey's `.code`, `.value` and `.valueNAOK` are the answer itself (QDL has
# no assessment values). `.question` is the wording of the question (of an option, a
# row: its label), `.type` LimeSurvey's type letter for it (`qengine.kinds.attributes`).
ATTRIBUTES = {
    "NAOK": "value",
    "code": "value",
    "value": "value",
    "valueNAOK": "value",
    "shown": "shown",
    "visible": "visible",
    "relevanceStatus": "visible",
    "question": "question",
    "type": "type",
}

#: The attributes that read the question rather than its answer: whether it is shown,
#: its wording, its type. They hold for a whole multiple choice, array or grid too.
OF_THE_QUESTION = frozenset({"visible", "question", "type"})


def _typed(value: str | int | float | bool) -> tuple[type, str | int | float | bool]:
    return type(value), value


@attrs.frozen
class Literal:
    #: Compared with its type: in Python `0 == False` and `1 == 1.0`, but `false`,
    #: `0` and `0.0` are three literals (they print differently), and a table keyed
    #: by expressions must not take one for another.
    value: str | int | float | bool = attrs.field(eq=_typed)
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Var:
    name: str
    attr: str = "value"  # one of the values of ATTRIBUTES
    span: Span = attrs.field(eq=False, default=None)
    question: str | None = None
    sub: tuple[str, ...] = ()

    @classmethod
    def named(cls, name: str, attr: str, span: Span) -> Var:
        """The variable `name` as written, reading `attr`: its name split into its
        question and parts (codes hold no `_`, so a name splits one way only)."""
        question, *parts = name.split("_")
        return cls(name, attr, span, question, tuple(parts))

    @property
    def key(self) -> tuple[str | None, ...]:
        """The answer slot read: (question, *sub); `question` is None only in a
        variable built without resolution (the parser always sets it)."""
        return (self.question, *self.sub)


@attrs.frozen
class Unary:
    op: str  # "not" | "-"
    operand: Expr
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Binary:
    op: str  # "+" "-" "*" "/" "%"
    left: Expr
    right: Expr
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Compare:
    op: str  # "==" "!=" "<" "<=" ">" ">="
    left: Expr
    right: Expr
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Logical:
    op: str  # "and" | "or"
    left: Expr
    right: Expr
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Call:
    name: str
    args: tuple[Expr, ...]
    span: Span = attrs.field(eq=False)
    #: What the call computes on, when its function's row rewrites the arguments as
    #: written (`Function.expand`: listifop()'s quoted attribute and question names
    #: become the variables they read); None for other calls. Built beside `args`,
    #: which `unparse` and the exporters write, by `functions.make_call`.
    expanded: tuple[Expr, ...] | None = None

    @property
    def operands(self) -> tuple[Expr, ...]:
        """What the backends evaluate: `expanded` when there is one, else `args`."""
        return self.args if self.expanded is None else self.expanded


Expr = Literal | Var | Unary | Binary | Compare | Logical | Call


def children(node: Expr) -> tuple[Expr, ...]:
    # By type rather than by `match`: every phase walks every expression.
    # `cast` rather than narrowing, which needs `type(node)` afresh in each test.
    kind = type(node)
    if kind is Binary or kind is Compare or kind is Logical:
        pair = cast("Binary | Compare | Logical", node)
        return (pair.left, pair.right)
    if kind is Unary:
        return (cast(Unary, node).operand,)
    if kind is Call:
        return cast(Call, node).operands
    return ()


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of an expression, parents before children."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


def variables(node: Expr) -> list[Var]:
    """The variables of an expression, left to right. (Its own loop rather than a
    filter over `walk`: the dependency graph asks this of every expression.)"""
    found = []
    stack = [node]
    while stack:
        n = stack.pop()
        if type(n) is Var:
            found.append(n)
        else:
            stack.extend(reversed(children(n)))
    return found


def unparse(node: Expr) -> str:
    """Canonical QDL source of an expression (used in exports and messages)."""
    match node:
        case Literal(value=bool() as v):
            return "true" if v else "false"
        case Literal(value=str() as v):
            return f'"{_escape(v)}"'
        case Literal(value=float() as v):
            # QDL numbers have no exponent: 1e-05 is written 0.00001.
            return format(decimal.Decimal(repr(v)), "f")
        case Literal(value=v):
            return repr(v)
        case Var(name=n, attr=a):
            return n if a == "value" else f"{n}.{a}"
        case Unary(op="not", operand=o):
            return f"not {_paren(o, node)}"
        case Unary(op=op, operand=o):
            return f"{op}{_paren(o, node)}"
        case Binary(op=op, left=a, right=b) | Compare(op=op, left=a, right=b) | Logical(op=op, left=a, right=b):
            return f"{_paren(a, node)} {op} {_paren(b, node, right=True)}"
        case Call(name=n, args=args):
            return f"{n}({', '.join(unparse(a) for a in args)})"
    raise TypeError(node)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "{": "\\{", "}": "\\}"})


def _escape(text: str) -> str:
    """A string literal's body: braces too are escaped, as in any QDL string."""
    return text.translate(_ESCAPES)


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


def precedence(node: Expr) -> int:
    match node:
        case Unary(op="not"):
            return 3
        case Unary():
            return 7
        case Binary(op=op) | Compare(op=op) | Logical(op=op):
            return _PRECEDENCE[op]
    return 8


def _paren(child: Expr, parent: Expr, right: bool = False) -> str:
    text = unparse(child)
    p, c = precedence(parent), precedence(child)
    if c < p or (right and c == p) or (c == p == 4):
        return f"({text})"
    return text
