"""An operand as the translator sees it: the kinds of value it may have, each under
the QDL condition that says when it has that kind.

A `Case` is one kind (`classes.Kind`) of value with its QDL guard, the QDL
expression of the value in that case, the text LimeSurvey would print for it, and
its LimeSurvey token type. A `Val` is the cases of one operand (their guards never
overlap, and together they cover every respondent), with the condition under which
LimeSurvey stops with an error and the approximations made on the way.

The small algebra of QDL conditions below (`conj`, `disj`, `neg`) folds constants
and negates comparisons, so that what is written stays readable.
"""

from __future__ import annotations

import enum
import math
from typing import Final, overload

import attrs

from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Result, make_call
from qengine.expr.values import as_number, as_text
from qengine.lss.script import php
from qengine.lss.translate.classes import FAMILIES, QDL_KIND, Kind, QKind
from qengine.span import NOWHERE


class Unknown(enum.Enum):
    """The type of `UNKNOWN`, a value not known before the survey runs."""

    UNKNOWN = "UNKNOWN"


UNKNOWN: Final = Unknown.UNKNOWN  # a case's LimeSurvey value is not known before the survey runs

#: QDL's numeric-looking texts (qengine.expr.values._NUMERIC), for regexMatch guards.
QDL_NUMERIC = r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*\Z"


def lit(value) -> ast.Literal:
    return ast.Literal(value, NOWHERE)


TRUE, FALSE = lit(True), lit(False)


def call(name: str, *args: ast.Expr) -> ast.Call:
    return make_call(name, tuple(args), NOWHERE)


def compare(op: str, a: ast.Expr, b: ast.Expr) -> ast.Compare:
    return ast.Compare(op, a, b, NOWHERE)


def _exact(value: object) -> tuple:
    """A value with its type and, for a float, its sign (-0.0 is not 0.0 to PHP)."""
    return type(value), value, math.copysign(1.0, value) if isinstance(value, float) else None


@attrs.frozen
class Case:
    guard: ast.Expr | None  # None: always
    kind: Kind
    qdl: ast.Expr  # the value as QDL computes it in this case
    token: str  # LimeSurvey's token type: NUMBER, WORD, DQ_STRING, SQ_STRING, STRING
    # Compared exactly (`_exact`): PHP prints 0, 0.0, -0.0 and false differently
    # ("0", "0", "-0", ""), so two cases holding them are not one.
    const: php.PhpValue | Unknown = attrs.field(default=UNKNOWN, eq=lambda v: _exact(v))
    qconst: php.PhpValue | Unknown = attrs.field(default=UNKNOWN, eq=lambda v: _exact(v))
    text: ast.Expr | None = None  # QDL printing what LimeSurvey prints (None: qdl does)

    @property
    def concrete(self) -> bool:
        return self.const is not UNKNOWN

    @property
    def known(self) -> php.PhpValue:
        """`const` of a concrete case."""
        if self.const is UNKNOWN:
            raise ValueError("a case whose value is not known before the survey runs")
        return self.const

    @property
    def printed(self) -> ast.Expr:
        return self.text if self.text is not None else self.qdl

    def within(self, guard: ast.Expr | None) -> Case:
        return attrs.evolve(self, guard=conj(guard, self.guard))


@attrs.frozen
class Val:
    cases: tuple[Case, ...]
    error: ast.Expr | None = None  # when LimeSurvey fails (None: never)
    notes: frozenset[str] = frozenset()
    # an EMPTY case that may be PHP's null, which min()/max() of a hidden question give:
    # only functions that tell null from "" (floor(), is_string()...) need to know
    empty_may_be_null: bool = False


def constant(value, token: str) -> Case:
    """A value known before the survey runs (a constant written in the expression)."""
    if isinstance(value, float) and value != value:  # NAN: QDL has no such value
        return Case(None, Kind.NAN, lit("NAN"), token, value, UNKNOWN, lit("NAN"))
    if isinstance(value, float) and math.isinf(value):  # nor infinity: 10^308 stands in (printed INF)
        huge = call("pow", lit(10), lit(308))
        return Case(None, Kind.NNUM, huge if value > 0 else ast.Unary("-", huge, NOWHERE), token, value, UNKNOWN,
                    lit(php.strval(value)))
    q = qdl_literal(value)
    printed = php.strval(value)
    return Case(None, kind_of(value), q, token, value, q.value, None if as_text(q.value) == printed else lit(printed))


class Unconvertible(Exception):
    """QDL cannot say what the expression says; the message says what."""


def qdl_literal(value) -> ast.Literal:
    """A number or text PHP holds, as QDL writes it. QDL has no infinity: a known
    infinite value is written only where constant() prints it back as INF; in
    arithmetic, a sum or a function's argument it is unconvertible."""
    if isinstance(value, float) and math.isinf(value):
        raise Unconvertible("an infinite number (INF), which QDL has not, in a computation")
    if isinstance(value, float) and value == int(value) and abs(value) < 2**53:
        return lit(int(value))
    return lit(value)


def kind_of(value) -> Kind:
    """The kind of a known PHP value."""
    if value is None:
        return Kind.NULL
    if value is True:
        return Kind.TRUE
    if value is False:
        return Kind.FALSE
    if isinstance(value, str):
        if value == "":
            return Kind.EMPTY
        if value == "0":
            return Kind.ZSTR
        if php.is_numeric_string(value):
            return Kind.ZNSTR if php.string_to_number(value) == 0 else Kind.NSTR
        return Kind.XSTR
    if value != value:
        return Kind.NAN
    return Kind.ZNUM if value == 0 else Kind.NNUM


def members(case: Case) -> list[Case]:
    """A family case split into its kinds, each under its own guard; an atomic
    case as it is."""
    family = FAMILIES.get(case.kind)
    if family is None:
        return [case]
    q = case.qdl
    out = []
    for kind in family:
        guard, const = _member(case.kind, kind, q)
        text = lit(php.strval(const)) if const is not UNKNOWN else case.text
        # where a kind fixes the value (true, 0, "0", ""), QDL holds that same value
        out.append(attrs.evolve(case, guard=conj(case.guard, guard), kind=kind, const=const,
                                qconst=const, text=text))
    return out


def _member(family: Kind, kind: Kind, q: ast.Expr) -> tuple[ast.Expr, php.PhpValue | Unknown]:
    if family is Kind.BOOL:
        return (q, True) if kind is Kind.TRUE else (neg(q), False)
    if family in (Kind.NUMV, Kind.NUMS):
        zero = compare("==", q, lit(0))
        if kind in (Kind.ZNUM, Kind.ZSTR):
            return zero, (0 if kind is Kind.ZNUM else "0")
        return neg(zero), UNKNOWN
    # a text
    numeric = call("regexMatch", lit(QDL_NUMERIC), q)
    exactly_zero = call("regexMatch", lit(r"^0\Z"), q)
    if kind is Kind.EMPTY:
        return call("is_empty", q), ""
    if kind is Kind.ZSTR:
        return exactly_zero, "0"
    if kind is Kind.ZNSTR:
        return conj(conj(numeric, compare("==", q, lit(0))), neg(exactly_zero)), UNKNOWN
    if kind is Kind.NSTR:
        return conj(numeric, compare("!=", q, lit(0))), UNKNOWN
    return conj(neg(call("is_empty", q)), neg(numeric)), UNKNOWN


def qkind(case: Case) -> QKind:
    """How QDL sees the value of a case (for `classes.qdl`)."""
    if case.qconst is UNKNOWN:
        return QDL_KIND[case.kind]
    value = case.qconst
    if value is None or isinstance(value, str) and value == "":
        return QKind.EMPTY
    return QKind.NUMBER if as_number(value) is not None else QKind.TEXT


# ------------------------------------------------------------ condition algebra
def is_true(e: ast.Expr | None) -> bool:
    return e is None or isinstance(e, ast.Literal) and e.value is True


def is_false(e: ast.Expr | None) -> bool:
    return isinstance(e, ast.Literal) and e.value is False


@overload
def conj(a: ast.Expr, b: ast.Expr) -> ast.Expr: ...
@overload
def conj(a: ast.Expr | None, b: ast.Expr | None) -> ast.Expr | None: ...
def conj(a: ast.Expr | None, b: ast.Expr | None) -> ast.Expr | None:
    """`a and b`; None (always) only when both are."""
    if a is None or is_true(a):
        return b
    if b is None or is_true(b):
        return a
    if is_false(a) or is_false(b):
        return FALSE
    if a == b:
        return a
    return ast.Logical("and", a, b, NOWHERE)


def disj(items) -> ast.Expr:
    out: ast.Expr = FALSE
    seen = []
    for item in items:
        if is_true(item):
            return TRUE
        if is_false(item) or item in seen:
            continue
        seen.append(item)
        out = item if is_false(out) else ast.Logical("or", out, item, NOWHERE)
    return out


_NEGATED = {"==": "!=", "!=": "=="}


def neg(e: ast.Expr | None) -> ast.Expr:
    if e is None:
        return FALSE
    match e:
        case ast.Literal(value=bool() as v):
            return lit(not v)
        case ast.Unary(op="not", operand=o) if is_boolean(o):
            return o
        case ast.Compare(op=op, left=a, right=b) if op in _NEGATED:
            return ast.Compare(_NEGATED[op], a, b, NOWHERE)
    return ast.Unary("not", e, NOWHERE)


def is_boolean(e: ast.Expr) -> bool:
    """Whether QDL gives true or false for `e` (not some other value)."""
    match e:
        case ast.Literal(value=bool()) | ast.Compare() | ast.Logical() | ast.Unary(op="not"):
            return True
        case ast.Var(attr="visible"):
            return True
        case ast.Call(name=name, args=args):
            return FUNCTIONS[name].returns is Result.BOOLEAN or name == "if" and all(map(is_boolean, args[1:]))
    return False


def as_boolean(e: ast.Expr) -> ast.Expr:
    """`e` as true or false by QDL's truth (for a value that is to print as 1 or nothing)."""
    return e if is_boolean(e) else call("if", e, TRUE, FALSE)


def size(e: ast.Expr | None) -> int:
    return 0 if e is None else sum(1 for _ in ast.walk(e))
