"""ExpressionScript to QDL, with LimeSurvey's meaning kept.

Three readings of an expression, as LimeSurvey makes them:

- `condition()`: a relevance or validation equation (`ProcessBooleanExpression`).
  It is false when it reads, without `.NAOK`, a question that is hidden; QDL reads a
  hidden question as empty, so the translation starts with `q.visible and ...` for
  each such question that may be hidden.
- `text()`: a `{...}` in a text, what the respondent reads (and an equation's value,
  which LimeSurvey keeps as that text).

Every operand is sorted into the kinds of value it may have (`cases.Val`), and each
operation is decided kind by kind: where QDL's own operator does what LimeSurvey
does, it is written plainly; where not (a quoted number compared as text, `+`
joining an empty answer, "" < "0"...), what LimeSurvey does is written out under the
condition that selects those kinds. What is known before the survey runs (the
answer codes of a list, the constants) is decided here with the model of
LimeSurvey's engine (`qengine.lss.script.engine`).

What QDL cannot say at all raises `Unconvertible`; what the translation does only
approximately is named in the `notes` of the result.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Protocol, TypeGuard, cast

import attrs

from qengine.expr import ast
from qengine.expr.values import as_number, as_text, equal, order, truthy
from qengine.lss.script import engine, php
from qengine.lss.script.syntax import (
    Assign,
    Binary,
    Call,
    Lit,
    Name,
    Node,
    ScriptSyntaxError,
    Sequence,
    Unary,
    parse,
)
from qengine.lss.translate import cases as cases_module
from qengine.lss.translate import classes
from qengine.lss.translate.cases import (
    FALSE,
    TRUE,
    UNKNOWN,
    Case,
    Unconvertible,
    Val,
    as_boolean,
    call,
    compare,
    conj,
    constant,
    disj,
    is_false,
    is_true,
    kind_of,
    lit,
    members,
    neg,
    qdl_literal,
    qkind,
    size,
)
from qengine.lss.translate.classes import TRUTHY, Kind, QKind
from qengine.span import NOWHERE

#: Beyond this many cases for one operand, the expression is not translated.
MAX_CASES = 48

_QUESTION_NOTE = (".question: QDL's is the wording as the respondent reads it, LimeSurvey's the text as stored "
                  "(HTML markup kept, {…} not evaluated)")


@attrs.frozen
class Variable:
    """An ExpressionScript variable as the imported survey holds it."""

    name: str  # the QDL variable: q, q_opt, q_row, q_row_col
    question: str
    sub: tuple[str, ...] = ()
    kind: str = "text"  # "choice" (codes), "check" (Y or nothing), "number", "text"
    codes: Mapping[str, str] = attrs.field(factory=dict)  # choice: LimeSurvey code -> QDL code
    labels: Mapping[str, str] = attrs.field(factory=dict)  # choice: code -> what .shown gives
    check_label: str = ""  # check: what .shown gives when ticked
    visible: ast.Expr | None = None  # when LimeSurvey holds it relevant; None: always
    onlynum: bool = False
    letter: str = ""  # the LimeSurvey type of its question: what `.type` reads

    @property
    def qdl(self) -> ast.Var:
        return ast.Var(self.name, "value", NOWHERE, self.question, self.sub)


class Scope(Protocol):
    def variable(self, name: str) -> Variable | None:
        """The variable LimeSurvey calls `name` (a code, `q_sq`, an SGQA name)."""


class LimeSurveyError(Exception):
    """LimeSurvey itself cannot evaluate the expression (a syntax error, an unknown
    variable or function): a relevance is then always false, a text empty."""


@attrs.frozen
class Translation:
    expr: ast.Expr
    notes: tuple[str, ...] = ()


def condition(source: str, scope: Scope, shown: frozenset[str] = frozenset()) -> Translation:
    """A relevance or validation equation as a QDL condition. `shown` names the QDL
    questions known to be shown where it is evaluated (a validation's own question)."""
    t = _Translator(scope, boolean=True, shown=shown)
    val = t.translate(source)
    guards = [g for g in dict.fromkeys(t.guards)]
    expr = conj(conj(_all(guards), neg(val.error) if val.error is not None else None), truth(val))
    return Translation(expr if expr is not None else TRUE, tuple(sorted(val.notes)))


def text(source: str, scope: Scope) -> Translation:
    """A `{...}` of a text (or an equation) as the QDL expression printing the same."""
    t = _Translator(scope, boolean=False)
    val = t.translate(source)
    printed = printed_of(val)
    if val.error is not None:
        printed = _if(val.error, lit(""), printed)
    return Translation(printed, tuple(sorted(val.notes)))


def _all(items):
    out = None
    for item in items:
        out = conj(out, item)
    return out


def _if(c: ast.Expr | None, a: ast.Expr, b: ast.Expr) -> ast.Expr:
    if c is None or is_true(c) or a == b:
        return a
    if is_false(c):
        return b
    return call("if", c, a, b)


# ----------------------------------------------------------------- materialise
def qdl_of(val: Val) -> ast.Expr:
    """One QDL expression with the value of each case under its guard."""
    return _select([(c.guard, c.qdl) for c in val.cases])


def printed_of(val: Val) -> ast.Expr:
    """One QDL expression printing what LimeSurvey prints."""
    return _select([(c.guard, c.printed) for c in val.cases])


def _select(pairs: list[tuple[ast.Expr | None, ast.Expr]]) -> ast.Expr:
    merged: dict = {}
    for guard, expr in pairs:
        merged.setdefault(expr, []).append(guard)
    items = list(merged.items())
    out = items[-1][0]
    for expr, guards in reversed(items[:-1]):
        out = _if(disj(guards), expr, out)
    return out


# ----------------------------------------------------------------- outcomes
# A pair's outcome: ("direct", known value or None) when QDL's own operation does
# what LimeSurvey does; ("const", v) when LimeSurvey gives v; ("expr", e) otherwise.
def emit(pairs: list[tuple[ast.Expr | None, tuple]], direct: ast.Expr) -> ast.Expr:
    """The condition true exactly where the pairs' outcomes are true."""
    mixed = _emit(pairs, direct)
    if all(o[0] != "direct" or o[1] is not None for _, o in pairs):
        consts = _emit([(g, ("const", o[1]) if o[0] == "direct" else o) for g, o in pairs], direct)
        if size(consts) < size(mixed):
            return consts
    return mixed


def _emit(pairs, direct):
    trues = [g for g, o in pairs if o[0] == "const" and o[1]]
    falses = [g for g, o in pairs if o[0] == "const" and not o[1]]
    exprs = [(g, o[1]) for g, o in pairs if o[0] == "expr"]
    directs = [g for g, o in pairs if o[0] == "direct"]
    terms = [t if t is not None else TRUE for t in trues]
    terms += [conj(g, e) for g, e in exprs]
    if directs:
        others = [g if g is not None else TRUE for g in falses] + [g if g is not None else TRUE for g, _ in exprs]
        if not trues and not exprs:
            return conj(neg(disj(others)), direct) if others else direct
        terms.append(conj(neg(disj(others)), direct) if others else direct)
        return disj(terms)
    if not exprs and len([g for g in falses]) < len(trues):
        return neg(disj([g if g is not None else TRUE for g in falses]))
    return disj(terms)


def _pairs(val_a: Val, val_b: Val, outcome: Callable[[Case, Case], tuple]) -> list:
    """Every pair of cases with its outcome; family cases are split only where
    their kinds give different outcomes."""
    out = []
    for a in val_a.cases:
        for b in val_b.cases:
            if a.concrete and b.concrete:
                out.append((conj(a.guard, b.guard), outcome(a, b)))
                continue
            split = [(conj(x.guard, y.guard), outcome(x, y)) for x in members(a) for y in members(b)]
            keys = {_key(o) for _, o in split}
            if len(keys) == 1:
                known = {o[1] for _, o in split} if split[0][1][0] == "direct" else None
                first = split[0][1]
                if known is not None:
                    first = ("direct", next(iter(known)) if len(known) == 1 else None)
                out.append((conj(a.guard, b.guard), first))
            else:
                out.extend(split)
    return out


def _key(outcome: tuple):
    return ("direct",) if outcome[0] == "direct" else outcome


def truth(val: Val) -> ast.Expr:
    """The QDL condition true where LimeSurvey finds the value true."""
    unit = Val((Case(None, Kind.TRUE, TRUE, "NUMBER", True, True),))
    return emit(_pairs(val, unit, _truth_outcome), qdl_of(val))


_QDL_TRUTHY = {Kind.NULL: False, Kind.EMPTY: False, Kind.FALSE: False, Kind.TRUE: True, Kind.ZSTR: False,
               Kind.ZNSTR: False, Kind.NSTR: True, Kind.XSTR: True, Kind.ZNUM: False, Kind.NNUM: True,
               Kind.NAN: True}


def _truth_outcome(a: Case, _unit: Case) -> tuple:
    ls = php.truthy(a.known) if a.concrete else TRUTHY[a.kind]
    q = truthy(a.qconst) if a.qconst is not UNKNOWN else _QDL_TRUTHY[a.kind]
    return ("direct", ls) if ls == q else ("const", ls)


def bool_val(expr: ast.Expr, *parts: Val) -> Val:
    """A truth value computed from `parts` (whose errors and notes it inherits)."""
    error, notes = _combine_errors(*parts)
    if isinstance(expr, ast.Literal) and isinstance(expr.value, bool):
        case = Case(None, Kind.TRUE if expr.value else Kind.FALSE, expr, "NUMBER", expr.value, expr.value)
    else:
        case = Case(None, Kind.BOOL, as_boolean(expr), "NUMBER")
    return Val((case,), error, notes)


def _stops(error: ast.Expr | None, when: ast.Expr | None) -> ast.Expr:
    """Where LimeSurvey's expression stops: `error`, and also `when` (None: always)."""
    when = TRUE if when is None else when
    return when if error is None else disj([error, when])


def _combine_errors(*vals: Val) -> tuple[ast.Expr | None, frozenset[str]]:
    errors = [v.error for v in vals if v.error is not None]
    return (disj(errors) if errors else None), frozenset().union(*(v.notes for v in vals))


def _merge(cases: list[Case]) -> tuple[Case, ...]:
    """Cases with the same value under different guards become one case."""
    merged: dict = {}
    order_ = []
    for c in cases:
        if is_false(c.guard):
            continue
        key = attrs.evolve(c, guard=None)
        if key not in merged:
            merged[key] = []
            order_.append(key)
        merged[key].append(c.guard if c.guard is not None else TRUE)
    out = tuple(attrs.evolve(k, guard=None if is_true(g := disj(merged[k])) else g) for k in order_)
    if not out:  # LimeSurvey fails in every case: the value is never read
        return (Case(None, Kind.EMPTY, lit(""), "NUMBER", "", ""),)
    if len(out) > MAX_CASES:
        raise Unconvertible(f"LimeSurvey's typing makes this expression depend on {len(out)} combinations "
                            "of kinds of values; write it more simply")
    return out


# ------------------------------------------------------------ the translator
class _Translator:
    def __init__(self, scope: Scope, boolean: bool, shown: frozenset[str] = frozenset()):
        self.scope = scope
        self.boolean = boolean
        self.shown = shown
        self.guards: list[ast.Expr] = []

    def translate(self, source: str) -> Val:
        try:
            tree = parse(source)
        except ScriptSyntaxError as err:
            raise LimeSurveyError(f"syntax error: {err.message}") from None
        return self.visit(tree)

    def visit(self, node: Node) -> Val:
        match node:
            case Lit(value=v, kind=k):
                return self.literal(v, k)
            case Name():
                return self.variable(node)
            case Binary(op=op, left=a, right=b) if op in ("and", "or"):
                x, y = self.visit(a), self.visit(b)
                joined = conj(truth(x), truth(y)) if op == "and" else disj([truth(x), truth(y)])
                return bool_val(joined, x, y)
            case Binary(op=op, left=a, right=b) if op in ("==", "!=", "<", "<=", ">", ">="):
                return self.compare(op, self.visit(a), self.visit(b))
            case Binary(op=op, left=a, right=b):
                return self.arithmetic(op, self.visit(a), self.visit(b))
            case Unary(op="!", operand=o):
                x = self.visit(o)
                return bool_val(neg(truth(x)), x)
            case Unary(op=op, operand=o):
                return self.sign(op, self.visit(o))
            case Call(name="listifop", args=args):
                return self.listifop(args)
            case Call(name=name, args=args):
                return self.function(name, [self.visit(a) for a in args])
            case Sequence(items=items):
                vals = [self.visit(i) for i in items]
                error, notes = _combine_errors(*vals)
                return Val(vals[-1].cases, error, notes)
            case Assign(target=t):
                raise Unconvertible(f"the assignment to {t.text} (a QDL equation sets only its own value)")
        raise TypeError(node)

    # ------------------------------------------------------------- leaves
    @staticmethod
    def literal(value: str, kind: str) -> Val:
        if kind == "NUMBER":
            number = as_number(value if not value.endswith(".") else value + "0")
            printed = None if as_text(number) == value else lit(value)
            return Val((Case(None, kind_of(value), lit(number), "NUMBER", value, number, printed),))
        return Val((Case(None, kind_of(value), lit(value), kind, value, value),))

    def variable(self, name: Name) -> Val:
        text = name.text
        attr = ""
        if text.upper().startswith("INSERTANS:"):
            text, attr = text[len("INSERTANS:"):], "shown"
        if text.upper().startswith("TOKEN:"):
            raise Unconvertible(f"the participant attribute {text} (QDL surveys have no participant list)")
        base, _, given = text.partition(".")
        attr = attr or given
        var = self.scope.variable(base)
        if var is None:
            raise LimeSurveyError(f"unknown variable '{name.text}'")
        if attr in ("value", "valueNAOK") and var.kind == "choice":
            raise Unconvertible(f"{text}: the assessment value of an answer (QDL has no assessments)")
        if attr == "type":  # LimeSurvey's letter, whatever QDL kind the question became
            return self.literal(var.letter, "DQ_STRING")
        if attr == "question":
            return Val((Case(None, Kind.TEXTV, ast.Var(var.name, "question", NOWHERE, var.question, var.sub),
                             "WORD"),), notes=frozenset({_QUESTION_NOTE}))
        if attr not in ("", "code", "NAOK", "value", "valueNAOK", "shown", "relevanceStatus"):
            raise Unconvertible(f"{text}: the attribute .{attr} (QDL has no such attribute)")
        token = "NUMBER" if var.onlynum else "WORD"
        visible = var.visible if var.question not in self.shown else None
        if attr == "relevanceStatus":
            if visible is None:
                return Val((Case(None, Kind.TRUE, TRUE, token, True, True),))
            return Val((Case(visible, Kind.TRUE, TRUE, token, True, True),
                        Case(neg(visible), Kind.NULL, lit(""), "NUMBER", None, None, lit(""))))
        plain = attr in ("", "code", "value")
        cases = _shown_cases(var, token) if attr == "shown" else _value_cases(var, token)
        if visible is None or attr in ("NAOK", "valueNAOK"):
            return Val(tuple(cases))
        if plain and self.boolean:
            self.guards.append(visible)
            return Val(tuple(cases))
        hidden = Case(neg(visible), Kind.NULL, var.qdl, "NUMBER", None, None, lit(""))
        return Val((hidden, *(c.within(visible) for c in cases)))

    def listifop(self, args: tuple[Node, ...]) -> Val:
        """listifop() as QDL's, which names its attributes and questions in quotes as
        LimeSurvey's does: the questions by their QDL names, compared by QDL's rules."""
        if len(args) < 6:
            raise LimeSurveyError(f"listifop() does not take {len(args)} arguments")
        attributes = [self._listed_attribute(a) for a in (args[0], args[3])]
        op, value, glue = (self.visit(a) for a in (args[1], args[2], args[4]))
        names = [self._listed_variable(a) for a in args[5:]]
        if {"value", "valueNAOK"} & set(attributes) and any(v.kind == "choice" for v in names):
            raise Unconvertible("listifop() reading the assessment value of an answer (QDL has no assessments)")
        error, notes = _combine_errors(op, value, glue)
        notes |= {"listifop() compares by QDL's rules (a quoted number as a number, an empty value passing only "
                  "== \"\" and !=)"}
        if "question" in attributes:
            notes |= {_QUESTION_NOTE}
        if "type" in attributes:
            notes |= {"listifop() reading .type: QDL's letter of the question the import made, which may not be "
                      "LimeSurvey's (a Yes/No question is a single choice, L)"}
        listed = call("listifop", lit(attributes[0]), qdl_of(op), qdl_of(value), lit(attributes[1]), printed_of(glue),
                      *(lit(v.name) for v in names))
        return Val((Case(None, Kind.TEXTV, listed, "WORD"),), error, notes)

    @staticmethod
    def _listed_attribute(node: Node) -> str:
        if not (isinstance(node, Lit) and node.kind != "NUMBER"):
            raise Unconvertible("listifop() with an attribute computed while the survey runs")
        if node.value not in ast.ATTRIBUTES:
            raise Unconvertible(f"listifop() reading .{node.value} (QDL has no such attribute)")
        return node.value

    def _listed_variable(self, node: Node) -> Variable:
        """A question listifop() names: in quotes, or by its `.sgqa` (`self.sgqa`)."""
        if isinstance(node, Lit) and node.kind != "NUMBER":
            name = node.value
        elif isinstance(node, Name) and node.attr == "sgqa":
            name = node.base
        else:
            raise Unconvertible("listifop() naming a question computed while the survey runs")
        var = self.scope.variable(name)
        if var is None:
            raise Unconvertible(f"listifop() naming '{name}', which LimeSurvey lists as '{{{name}}}'")
        return var

    # ---------------------------------------------------------- operations
    def compare(self, op: str, a: Val, b: Val) -> Val:
        _null_apart_from_empty(op, a, b)
        def outcome(x: Case, y: Case) -> tuple:
            if x.concrete and y.concrete:
                ls = engine.binary(op, engine.Entry(x.known, x.token), engine.Entry(y.known, y.token)).value
                if x.qconst is not UNKNOWN and y.qconst is not UNKNOWN:
                    q: bool | None = _qdl_compare(op, x.qconst, y.qconst)
                else:
                    decided = classes.qdl(op, qkind(x), qkind(y))
                    q = decided[1] if decided[0] == "const" else None
                return ("direct", ls) if q == ls else ("const", ls)
            return _decide(op, classes.limesurvey(op, x.kind, x.token, y.kind, y.token), x, y)

        direct = compare(op, qdl_of(a), qdl_of(b))
        return bool_val(emit(_pairs(a, b, outcome), direct), a, b)

    def arithmetic(self, op: str, a: Val, b: Val) -> Val:
        _tell_null_from_empty(f"'{op}'", a, b)  # null * 2 is 0, "" * 2 is NAN
        error, notes = _combine_errors(a, b)
        out = []
        pairs = []
        for ca in a.cases:
            for cb in b.cases:
                if op != "/" and _plain_number(ca) and _plain_number(cb):
                    # two numbers (zero or not): LimeSurvey computes, as QDL does
                    out += _computed(op, ca, cb, conj(ca.guard, cb.guard))
                else:
                    pairs += [(x, y) for x in members(ca) for y in members(cb)]
        for x, y in pairs:
            guard = conj(x.guard, y.guard)
            if x.concrete and y.concrete:
                r = engine.binary(op, engine.Entry(x.known, x.token), engine.Entry(y.known, y.token))
                out.append(attrs.evolve(constant(r.value, r.kind), guard=guard))
                continue
            both_numeric = _numeric(x) and _numeric(y)
            forced = x.token in classes.FORCED or y.token in classes.FORCED
            if op == "+" and (not both_numeric or forced):
                out.append(attrs.evolve(_joined(x, y), guard=guard))
            elif not both_numeric or forced or op == "/" and _zero(y) or Kind.NAN in (x.kind, y.kind):
                # NAN with any number is NAN (QDL has no NAN to compute with); a quoted
                # operand makes LimeSurvey take both as texts, which - * / cannot take
                out.append(attrs.evolve(constant(float("nan"), "NUMBER"), guard=guard))
            else:
                out += _computed(op, x, y, guard)
        return Val(_merge(out), error, notes)

    def sign(self, op: str, a: Val) -> Val:
        out = []
        notes = set(a.notes)
        error = a.error
        for x in (m for c in a.cases for m in members(c)):
            if x.concrete:
                try:
                    r = engine._unary(op, engine.Entry(x.known, x.token))
                except php.PhpTypeError:
                    error = _stops(error, x.guard)
                    continue
                out.append(attrs.evolve(constant(r.value, r.kind), guard=x.guard))
            elif x.kind is Kind.XSTR:
                notes.add("a sign before a text: LimeSurvey takes the number it starts with, or stops")
                out.append(Case(x.guard, Kind.NUMV, ast.Unary("-", call("intval", x.qdl), NOWHERE)
                                if op == "-" else call("intval", x.qdl), "NUMBER"))
            else:
                e = _number(x)
                out.append(Case(x.guard, Kind.NUMV, ast.Unary("-", e, NOWHERE) if op == "-" else e, "NUMBER"))
        return Val(_merge(out), error, frozenset(notes))

    # ------------------------------------------------------------ functions
    def function(self, name: str, args: list[Val]) -> Val:
        handler = getattr(self, f"fn_{name}", None)
        limits = engine.FUNCTIONS.get(name)
        if handler is None:
            raise Unconvertible(f"the function {name}() (QDL has no such function yet)")
        assert limits is not None  # each fn_ handler is one of LimeSurvey's functions
        low, high, _ = limits
        if len(args) < low or (high is not None and len(args) > high):
            raise LimeSurveyError(f"{name}() does not take {len(args)} arguments")
        return handler(*args)

    def fn_if(self, c: Val, a: Val, b: Val | None = None) -> Val:
        b = b if b is not None else self.literal("", "SQ_STRING")
        t = truth(c)
        error, notes = _combine_errors(c, a, b)
        cases = [x.within(t) for x in a.cases] + [x.within(neg(t)) for x in b.cases]
        return Val(_merge(_function_result(cases)), error, notes, a.empty_may_be_null or b.empty_may_be_null)

    def fn_is_empty(self, a: Val) -> Val:
        def outcome(x: Case, _unit: Case) -> tuple:
            ls = x.const is None or x.const is False or x.const == "" if x.concrete else \
                x.kind in (Kind.NULL, Kind.EMPTY, Kind.FALSE)
            q = qkind(x) is QKind.EMPTY
            return ("direct", ls) if ls == q else ("const", ls)

        return bool_val(emit(_pairs(a, _unit(), outcome), call("is_empty", qdl_of(a))), a)

    def fn_count(self, *args: Val) -> Val:
        def outcome(x: Case, _unit: Case) -> tuple:
            ls = php.loose("!=", x.known, "") if x.concrete else x.kind not in (Kind.NULL, Kind.EMPTY, Kind.FALSE)
            q = qkind(x) is not QKind.EMPTY
            return ("direct", ls) if ls == q else ("const", ls)

        return self._tally("count", args, [_pairs(v, _unit(), outcome) for v in args],
                           [ast.Unary("not", call("is_empty", qdl_of(v)), NOWHERE) for v in args])

    def fn_countif(self, match: Val, *args: Val) -> Val:
        def outcome(x: Case, y: Case) -> tuple:
            if x.concrete and y.concrete:
                ls = php.loose("==", x.known, y.known)
                q = _qdl_compare("==", x.qconst, y.qconst) if UNKNOWN not in (x.qconst, y.qconst) else None
                return ("direct", ls) if q == ls else ("const", ls)
            return _decide("==", classes.php_equal(x.kind, y.kind), x, y)

        for v in args:
            _null_apart_from_empty("==", v, match)
        pairs = [_pairs(v, match, outcome) for v in args]
        direct = [compare("==", qdl_of(v), qdl_of(match)) for v in args]
        return self._tally("countif", (match, *args), pairs, direct, prefix=[qdl_of(match)])

    def _tally(self, name, vals, pairs_per_arg, directs, prefix=()) -> Val:
        error, notes = _combine_errors(*vals)
        args = vals[len(prefix):]
        if all(o[0] == "direct" for pairs in pairs_per_arg for _, o in pairs):
            return Val((Case(None, Kind.NUMV, call(name, *prefix, *(qdl_of(v) for v in args)), "NUMBER"),),
                       error, notes)
        terms = [emit(p, d) for p, d in zip(pairs_per_arg, directs, strict=True)]
        if _all_literals(terms):
            n = sum(1 for t in terms if t.value)
            return Val((constant(n, "NUMBER"),), error, notes)
        counted = call("sum", *(call("if", t, lit(1), lit(0)) for t in terms))
        return Val((Case(None, Kind.NUMV, counted, "NUMBER"),), error, notes)

    def fn_sum(self, *args: Val) -> Val:
        error, notes = _combine_errors(*args)
        if all(len(v.cases) == 1 and v.cases[0].concrete for v in args):
            return Val((constant(engine._sum(*(v.cases[0].const for v in args)), "NUMBER"),), error, notes)
        # a NAN among the values makes the sum NAN (QDL would read the text "NAN" as 0)
        nan = disj([c.guard if c.guard is not None else TRUE for v in args for c in v.cases if c.kind is Kind.NAN])
        if is_true(nan) or any(all(c.kind is Kind.NAN for c in v.cases) for v in args):
            return Val((constant(math.nan, "NUMBER"),), error, notes)
        terms = []
        for v in args:
            term, note = _leading_number(_without_nan(v), "sum")
            terms.append(term)
            notes |= note
        total = Case(neg(nan), Kind.NUMV, call("sum", *terms), "NUMBER")
        return Val(_merge([attrs.evolve(constant(math.nan, "NUMBER"), guard=nan), total]), error, notes)

    def fn_min(self, *args: Val) -> Val:
        return self._extreme("<", args)

    def fn_max(self, *args: Val) -> Val:
        return self._extreme(">", args)

    def _extreme(self, op: str, args: tuple[Val, ...]) -> Val:
        """PHP's min()/max(): the first value that no later one beats by PHP's loose
        ordering, with its own kind (an empty answer is smaller than any number)."""
        def outcome(x: Case, y: Case) -> tuple:
            if x.concrete and y.concrete:
                c = php.compare(x.known, y.known)
                ls = c is not None and (c < 0 if op == "<" else c > 0)
                q = _qdl_compare(op, x.qconst, y.qconst) if UNKNOWN not in (x.qconst, y.qconst) else None
                return ("direct", ls) if q == ls else ("const", ls)
            return _decide(op, classes.php_compare_order(op, x.kind, y.kind), x, y)

        if len(args) > 1:  # null and "" sort apart from 0 ("" < 0, null == 0)
            _tell_null_from_empty(f"{'min' if op == '<' else 'max'}()", *args)
        kinds = {m.kind for v in args for c in v.cases for m in members(c)}
        concrete = all(c.concrete for v in args for c in v.cases)
        if kinds <= _NUMBERS_OR_EMPTY and not concrete:
            # numbers compare as numbers, and "" (or a hidden answer) sorts before any of them
            error, notes = _combine_errors(*args)
            values = [printed_of(v) for v in args]
            picked: ast.Expr = call("min" if op == "<" else "max", *values)
            if op == "<" and kinds & {Kind.EMPTY, Kind.NULL}:
                picked = _if(disj([call("is_empty", v) for v in values]), lit(""), picked)
            # the maximum is empty only where every value is; the minimum where one is
            empties = [any(m.kind in (Kind.EMPTY, Kind.NULL) for c in v.cases for m in members(c)) for v in args]
            may_be_empty = all(empties) if op == ">" else any(empties)
            return Val((Case(None, Kind.TEXTV if may_be_empty else Kind.NUMV, picked, "NUMBER"),), error, notes,
                       empty_may_be_null=Kind.NULL in kinds or any(a.empty_may_be_null for a in args))
        if len(args) > 3:
            raise Unconvertible(f"{'min' if op == '<' else 'max'}() of more than three values that may be texts "
                                "or true/false (LimeSurvey compares each pair by its own rules)")
        best = args[0]
        for a in args[1:]:
            beats = emit(_pairs(a, best, outcome), compare(op, qdl_of(a), qdl_of(best)))
            error, notes = _combine_errors(best, a)
            best = Val(_merge([x.within(beats) for x in a.cases] + [x.within(neg(beats)) for x in best.cases]),
                       error, notes)
        return Val(_merge(_function_result(best.cases)), best.error, best.notes,
                   any(a.empty_may_be_null for a in args))

    def fn_intval(self, a: Val) -> Val:
        return self._number_function(a, "intval", php.intval)

    def fn_floatval(self, a: Val) -> Val:
        if all(c.concrete for c in a.cases) or not _texts(a):
            return self._number_function(a, "floatval", php.floatval)
        term, notes = _leading_number(a, "floatval")
        return Val((Case(None, Kind.NUMV, call("floatval", term), "NUMBER"),), a.error, a.notes | notes)

    def _number_function(self, a: Val, name: str, model) -> Val:
        if all(c.concrete for c in a.cases):
            cases = [attrs.evolve(constant(model(c.const), "NUMBER"), guard=c.guard) for c in a.cases]
            return Val(_merge(cases), a.error, a.notes)
        if any(m.kind is Kind.NAN for c in a.cases for m in members(c)):
            return Val((Case(None, Kind.NUMV, call(name, printed_of(_without_nan(a))), "NUMBER"),), a.error,
                       a.notes)
        return Val((Case(None, Kind.NUMV, call(name, printed_of(a)), "NUMBER"),), a.error, a.notes)

    def fn_round(self, a: Val, digits: Val | None = None) -> Val:
        _tell_null_from_empty("round()", a)  # round(null) is 0, round("") an error
        places = 0
        if digits is not None:
            if len(digits.cases) != 1 or not digits.cases[0].concrete:
                raise Unconvertible("round() with a number of digits that is not a constant")
            places = php.intval(digits.cases[0].known)
        error, notes = _combine_errors(a, *(d for d in [digits] if d is not None))
        out = []
        for x in (m for c in a.cases for m in members(c)):
            if x.concrete:
                try:
                    out.append(attrs.evolve(constant(engine._round(x.const, places), "NUMBER"), guard=x.guard))
                except php.PhpTypeError:
                    error = _stops(error, x.guard)
            elif x.kind is Kind.XSTR:
                error = _stops(error, x.guard)
            else:
                e = call("round", _number(x), lit(places)) if places else call("round", _number(x))
                out.append(Case(x.guard, Kind.NUMV, e, "NUMBER"))
        return Val(_merge(out), error, notes)

    def fn_strlen(self, a: Val) -> Val:
        if all(c.concrete for c in a.cases):
            return Val(_merge([attrs.evolve(constant(len(php.strval(c.known)), "NUMBER"), guard=c.guard)
                               for c in a.cases]), a.error, a.notes)
        return Val((Case(None, Kind.NUMV, call("strlen", printed_of(a)), "NUMBER"),), a.error, a.notes)

    def fn_regexMatch(self, pattern: Val, a: Val) -> Val:  # noqa: N802 (LimeSurvey's name)
        if len(pattern.cases) != 1 or not pattern.cases[0].concrete:
            raise Unconvertible("regexMatch() with a pattern computed from answers")
        python = python_pattern(php.strval(pattern.cases[0].known))
        matched = call("regexMatch", lit(python), printed_of(a))
        error, notes = _combine_errors(pattern, a)
        return Val((Case(matched, Kind.NNUM, lit(1), "NUMBER", 1, 1, lit("1")),
                    Case(neg(matched), Kind.ZNUM, lit(0), "NUMBER", 0, 0, lit("0"))), error, notes)

    def fn_is_numeric(self, a: Val) -> Val:
        numeric = {Kind.ZSTR, Kind.ZNSTR, Kind.NSTR, Kind.ZNUM, Kind.NNUM, Kind.NAN}

        def outcome(x: Case, _unit: Case) -> tuple:
            if x.concrete:
                return ("const", bool(engine.FUNCTIONS["is_numeric"][2](x.const)))
            return ("const", x.kind in numeric)

        return bool_val(emit(_pairs(a, _unit(), outcome), FALSE), a)

    def fn_strcmp(self, a: Val, b: Val) -> Val:
        error, notes = _combine_errors(a, b)
        notes |= {"strcmp(): only the sign of LimeSurvey's result is reliable (PHP gives a byte difference); "
                  "the translation gives -1, 0 or 1"}
        x, y = call("join", lit("_"), printed_of(a)), call("join", lit("_"), printed_of(b))
        if all(len(v.cases) == 1 and v.cases[0].concrete for v in (a, b)):
            return Val((constant(php.strcmp(php.strval(a.cases[0].known), php.strval(b.cases[0].known)),
                                 "NUMBER"),), error, notes)
        order_ = call("if", compare("<", x, y), lit(-1), call("if", compare("==", x, y), lit(0), lit(1)))
        return Val((Case(None, Kind.NUMV, order_, "NUMBER"),), error, notes)

    def fn_join(self, *args: Val) -> Val:
        error, notes = _combine_errors(*args)
        if all(c.concrete for v in args for c in v.cases) and all(len(v.cases) == 1 for v in args):
            return Val((constant(engine._join(*(v.cases[0].const for v in args)), "NUMBER"),), error, notes)
        return Val((Case(None, Kind.TEXTV, call("join", *(printed_of(v) for v in args)), "NUMBER"),),
                   error, notes)

    # issue #18's functions: QDL's namesakes give LimeSurvey's results on the same
    # arguments, so each is called on what LimeSurvey's argument prints as (a text
    # function) or is as a number (floor, ceil, abs)
    def fn_strtolower(self, a: Val) -> Val:
        return self._text_function("strtolower", a)

    def fn_strtoupper(self, a: Val) -> Val:
        return self._text_function("strtoupper", a)

    def fn_trim(self, a: Val, chars: Val | None = None) -> Val:
        return self._text_function("trim", a, chars)

    def fn_ltrim(self, a: Val, chars: Val | None = None) -> Val:
        return self._text_function("ltrim", a, chars)

    def fn_rtrim(self, a: Val, chars: Val | None = None) -> Val:
        return self._text_function("rtrim", a, chars)

    def fn_ucwords(self, a: Val) -> Val:
        return self._text_function("ucwords", a)

    def fn_strrev(self, a: Val) -> Val:
        return self._text_function("strrev", a)

    def _text_function(self, name: str, a: Val, chars: Val | None = None) -> Val:
        """A text function of one argument, as strlen() is done: computed here when the
        argument is known, else QDL's namesake of what the argument prints as."""
        model = engine.FUNCTIONS[name][2]
        if chars is not None:  # QDL's trims take no list of characters
            if not all(c.concrete for v in (a, chars) for c in v.cases) or len(chars.cases) != 1:
                raise Unconvertible(f"{name}() with a list of characters to strip (QDL's {name}() strips spaces "
                                    "only)")
            error, notes = _combine_errors(a, chars)
            return Val(_merge([attrs.evolve(constant(model(c.known, chars.cases[0].known), "NUMBER"), guard=c.guard)
                               for c in a.cases]), error, notes)
        if all(c.concrete for c in a.cases):
            if name == "strrev" and not all(php.strval(c.known).isascii() for c in a.cases):
                raise Unconvertible("strrev() of a text with a letter outside ASCII (LimeSurvey reverses its bytes, "
                                    "which gives a broken text)")
            return Val(_merge([attrs.evolve(constant(model(c.known), "NUMBER"), guard=c.guard) for c in a.cases]),
                       a.error, a.notes)
        notes = a.notes
        if name == "strrev" and _texts(a):
            notes |= {"strrev(): LimeSurvey reverses the bytes of a text, which breaks a letter outside ASCII "
                      "(é); the translation reverses the letters"}
        return Val((Case(None, Kind.TEXTV, call(name, printed_of(a)), "NUMBER"),), a.error, notes)

    def fn_implode(self, glue: Val, *args: Val) -> Val:
        """exprmgr_implode(), as join() is done: QDL's implode() of what each value prints as."""
        error, notes = _combine_errors(glue, *args)
        vals = (glue, *args)
        if all(len(v.cases) == 1 and v.cases[0].concrete for v in vals):
            model = engine.FUNCTIONS["implode"][2]
            return Val((constant(model(*(v.cases[0].known for v in vals)), "NUMBER"),), error, notes)
        return Val((Case(None, Kind.TEXTV, call("implode", *(printed_of(v) for v in vals)), "NUMBER"),),
                   error, notes)

    def fn_pi(self) -> Val:
        """M_PI: QDL's value, printed as PHP prints it (14 digits)."""
        return Val((constant(math.pi, "NUMBER"),))

    def fn_floor(self, a: Val) -> Val:
        return self._rounding("floor", a)

    def fn_ceil(self, a: Val) -> Val:
        return self._rounding("ceil", a)

    def fn_abs(self, a: Val) -> Val:
        return self._rounding("abs", a)

    def fn_sqrt(self, a: Val) -> Val:
        """ExpressionManager's sqrt(): NAN for a value that is not numeric (an empty
        answer too) and for a negative number, where QDL's sqrt() is empty or an error."""
        out = []
        for x in (m for c in a.cases for m in members(c)):
            if x.concrete:
                out.append(attrs.evolve(constant(engine.FUNCTIONS["sqrt"][2](x.known), "NUMBER"), guard=x.guard))
            elif x.kind in classes.NUMERIC_STRINGS or x.kind in (Kind.ZNUM, Kind.NNUM):
                n = _number(x)
                negative = compare("<", n, lit(0))
                out += [attrs.evolve(constant(math.nan, "NUMBER"), guard=conj(x.guard, negative)),
                        Case(conj(x.guard, neg(negative)), Kind.NUMV, call("sqrt", n), "NUMBER")]
            else:
                out.append(attrs.evolve(constant(math.nan, "NUMBER"), guard=x.guard))
        return Val(_merge(out), a.error, a.notes)

    def fn_substr(self, a: Val, start: Val, length: Val | None = None) -> Val:
        """`exprmgr_substr`, mb_substr(), which counts letters as QDL's substr() does:
        QDL's substr() of what the text prints as. A start or length that is "" or a
        text that is not a number (even "2 kg") stops LimeSurvey's expression (PHP 8's
        int parameter); a length read from a hidden question (null) means the rest."""
        _tell_null_from_empty("substr()", start, *(v for v in [length] if v is not None))  # null is 0, "" an error
        error, notes = _combine_errors(a, start, *(v for v in [length] if v is not None))
        model = engine.FUNCTIONS["substr"][2]
        texts = [(c.guard, c.known) for c in a.cases] if all(c.concrete for c in a.cases) else None
        out = []
        for s in (m for c in start.cases for m in members(c)):
            for n in ([m for c in length.cases for m in members(c)] if length is not None else [None]):
                guard = conj(s.guard, n.guard if n is not None else None)
                try:
                    first = _int_argument(s)
                    count = _int_argument(n, nullable=True) if n is not None else None
                except php.PhpTypeError:
                    error = _stops(error, guard)
                    continue
                assert first is not None  # a null start is 0
                given = [first] if count is None else [first, count]
                if texts is not None and _all_literals(given):
                    out += [attrs.evolve(constant(model(t, *(g.value for g in given)), "NUMBER"), guard=conj(guard, tg))
                            for tg, t in texts]
                else:
                    out.append(Case(guard, Kind.TEXTV, call("substr", printed_of(a), *given), "NUMBER"))
        return Val(_merge(out), error, notes)

    def fn_countifop(self, op: Val, value: Val, *args: Val) -> Val:
        """`exprmgr_countifop`: how many values (answered or not) pass PHP's loose
        `arg op value`, decided kind by kind as countif() is (`_passing`)."""
        error, notes = _combine_errors(op, value, *args)
        terms = self._passing("countifop", op, value, args)
        if _all_literals(terms):
            return Val((constant(sum(1 for t in terms if t.value), "NUMBER"),), error, notes)
        counted = call("sum", *(lit(int(t.value)) if isinstance(t, ast.Literal) else call("if", t, lit(1), lit(0))
                                for t in terms))
        return Val((Case(None, Kind.NUMV, counted, "NUMBER"),), error, notes)

    def fn_sumifop(self, op: Val, value: Val, *args: Val) -> Val:
        """`exprmgr_sumifop`: the values that pass, as in countifop(), added by PHP's
        `+`: null is 0, a text that starts with a number that number (QDL's
        floatval()), "" or another text stops LimeSurvey's expression."""
        _tell_null_from_empty("sumifop()", value, *args)  # null adds 0, "" stops
        error, notes = _combine_errors(op, value, *args)
        addends = []
        for passes, v in zip(self._passing("sumifop", op, value, args), args, strict=True):
            numbers: list[tuple[ast.Expr | None, ast.Expr]] = []
            failing: list[ast.Expr] = []
            for x in (m for c in v.cases for m in members(c)):
                if x.kind is Kind.NAN:
                    raise Unconvertible("sumifop() of a value that may be NAN")
                if x.concrete:
                    try:
                        numbers.append((x.guard, qdl_literal(php.to_number(x.known))))
                    except php.PhpTypeError:
                        failing.append(x.guard if x.guard is not None else TRUE)
                elif x.kind is Kind.XSTR:
                    starts = call("regexMatch", lit(_QDL_LEADING_NUMBER), x.qdl)
                    failing.append(neg(starts) if x.guard is None else conj(x.guard, neg(starts)))
                    numbers.append((conj(x.guard, starts), call("floatval", x.qdl)))
                else:
                    numbers.append((x.guard, _number(x)))
            error = _stops(error, conj(passes, disj(failing)))
            if numbers and not is_false(passes):
                addends.append(_if(passes, _select(numbers), lit(0)))
        if _all_literals(addends):  # numbers, as qdl_literal() and lit(0) wrote them
            return Val((constant(sum(cast("int | float", a.value) for a in addends), "NUMBER"),), error, notes)
        return Val((Case(None, Kind.NUMV, call("sum", *addends), "NUMBER"),), error, notes)

    def _passing(self, function: str, op: Val, value: Val, args: tuple[Val, ...]) -> list[ast.Expr]:
        """For each value, the condition under which it passes `arg op value` as PHP's
        own loose comparison decides (countifop(), sumifop()): the operator must be
        known; one that LimeSurvey does not know passes nothing; RX (preg_match
        without LimeSurvey's u flag, bytes) is not translated."""
        if len(op.cases) != 1 or not op.cases[0].concrete:
            raise Unconvertible(f"{function}() with an operator computed from answers")
        name = engine.countifop_operator(op.cases[0].known)
        if name == "RX":
            raise Unconvertible(f"{function}() with 'RX' (PHP matches the bytes of the texts there)")
        if name is None:
            return [FALSE for _ in args]
        if name not in ("==", "!="):  # null and "" order apart from numbers
            _tell_null_from_empty(f"{function}()", value, *args)
        for v in args:
            _null_apart_from_empty(name, v, value)

        def outcome(x: Case, y: Case) -> tuple:
            if x.concrete and y.concrete:
                ls = php.loose(name, x.known, y.known)
                q = _qdl_compare(name, x.qconst, y.qconst) if UNKNOWN not in (x.qconst, y.qconst) else None
                return ("direct", ls) if q == ls else ("const", ls)
            if name in ("==", "!="):
                equal_ = classes.php_equal(x.kind, y.kind)
                decided = ("const", not equal_[1]) if name == "!=" and equal_[0] == "const" else equal_
            else:
                decided = classes.php_compare_order(name, x.kind, y.kind)
            return _decide(name, decided, x, y)

        return [emit(_pairs(v, value, outcome), compare(name, qdl_of(v), qdl_of(value))) for v in args]

    def fn_unique(self, *args: Val) -> Val:
        """`exprmgr_unique` of answers and constants, which PHP keeps as texts, and
        true/false: two of them make one array key exactly when they print alike ("5"
        and "5.0" differ; true is 1 and prints "1", false prints blank), so no two
        values that are not blank may print alike. A computed number (whose key is its
        whole part) is not translated."""
        keyed = classes.STRINGS | {Kind.NULL, Kind.TRUE, Kind.FALSE}
        if any(m.kind not in keyed for v in args for c in v.cases for m in members(c)):
            raise Unconvertible("unique() of a computed number (PHP keys it by its whole part)")
        error, notes = _combine_errors(*args)
        if all(c.concrete for v in args for c in v.cases) and all(len(v.cases) == 1 for v in args):
            return bool_val(lit(engine._unique(*(v.cases[0].known for v in args))), *args)
        printed = [printed_of(v) for v in args]
        filled = [lit(as_text(p.value).strip(engine._PHP_TRIMMED) != "") if isinstance(p, ast.Literal)
                  else neg(call("is_empty", call("trim", p))) for p in printed]
        twins = [conj(conj(filled[i], filled[j]), compare("==", _prefixed(printed[i]), _prefixed(printed[j])))
                 for i in range(len(args)) for j in range(i + 1, len(args))]
        return bool_val(neg(disj(twins)), *args)

    def fn_str_replace(self, search: Val, replace: Val, subject: Val) -> Val:
        """PHP's str_replace(), as join() is done: computed here when every value is
        known, else QDL's str_replace() of what each prints as (PHP replaces bytes,
        QDL letters: the same for whole texts)."""
        error, notes = _combine_errors(search, replace, subject)
        vals = (search, replace, subject)
        if all(c.concrete for v in vals for c in v.cases):
            return Val(_merge([attrs.evolve(constant(engine._str_replace(a.known, b.known, c.known), "NUMBER"),
                                            guard=conj(conj(a.guard, b.guard), c.guard))
                               for a in search.cases for b in replace.cases for c in subject.cases]), error, notes)
        return Val((Case(None, Kind.TEXTV, call("str_replace", *(printed_of(v) for v in vals)), "NUMBER"),),
                   error, notes)

    def fn_strpos(self, haystack: Val, needle: Val, offset: Val | None = None) -> Val:
        return self._position("strpos", haystack, needle, offset)

    def fn_stripos(self, haystack: Val, needle: Val, offset: Val | None = None) -> Val:
        return self._position("stripos", haystack, needle, offset)

    def _position(self, name: str, haystack: Val, needle: Val, offset: Val | None) -> Val:
        """`exprmgr_strpos`/`exprmgr_stripos` (mb_strpos, in letters as QDL's): the
        index, or false when not found, which QDL's namesake gives too (printed as
        nothing, false, equal to 0), except stripos() in "" (false in PHP 8.2, 0 in
        QDL); an offset QDL's has not."""
        if offset is not None:
            raise Unconvertible(f"{name}() with an offset (QDL's {name}() has none)")
        error, notes = _combine_errors(haystack, needle)
        if all(c.concrete for v in (haystack, needle) for c in v.cases):
            model = engine.FUNCTIONS[name][2]
            return Val(_merge([attrs.evolve(constant(model(h.known, n.known), "NUMBER"), guard=conj(h.guard, n.guard))
                               for h in haystack.cases for n in needle.cases]), error, notes)
        if name == "stripos" and (_folds_apart(haystack) or _folds_apart(needle)):
            notes |= {"stripos(): QDL ignores case by lowering letters, LimeSurvey by Unicode simple case folding "
                      "(they differ for a few letters outside ASCII: ς and σ, İ)"}
        text = printed_of(haystack)
        found = call(name, text, printed_of(needle))
        at = neg(call("is_empty", call("join", found)))  # false prints as nothing, 0 as "0"
        if name == "stripos":  # mb_stripos() finds nothing in "" (QDL's finds "" at 0)
            at = conj(neg(call("is_empty", call("join", text))), at)  # (false too prints as "")
        missing = FALSE if name == "stripos" else found
        return Val((Case(at, Kind.NUMV, found, "NUMBER"), Case(neg(at), Kind.FALSE, missing, "NUMBER", False, False)),
                   error, notes)

    def fn_exp(self, a: Val) -> Val:
        """ExpressionManager's exp(), as sqrt(): NAN for a value that is not numeric (an
        empty answer too); INF above 709.78, where QDL's exp() would fail."""
        out = []
        for x in (m for c in a.cases for m in members(c)):
            if x.concrete or x.kind in classes.NUMERIC_STRINGS or x.kind in (Kind.ZNUM, Kind.NNUM):
                out += self._math_of(x, engine._exp, _exp_cases)
            else:
                out.append(attrs.evolve(constant(math.nan, "NUMBER"), guard=x.guard))
        return _math_result("exp", out, a.error, a.notes)

    def fn_log(self, a: Val, base: Val | None = None) -> Val:
        """`exprmgr_log`: NAN for a number or base that is not numeric, a base not
        above 0, or 1; a hidden base is e. Of 0, -INF (INF in a base below 1), of a
        negative number NAN, else QDL's log() of the number."""
        if base is not None and not all(c.concrete for c in base.cases):
            raise Unconvertible("log() in a base computed from answers")
        error, notes = _combine_errors(a, *(v for v in [base] if v is not None))
        bases = [(None, None)] if base is None else [(c.guard, c.known) for c in base.cases]
        out = []
        for guard, b in bases:
            usable = not math.isnan(engine._log(1, b))
            for x in (m for c in a.cases for m in members(c)):
                x = x.within(guard)
                if usable and not x.concrete and (x.kind in classes.NUMERIC_STRINGS or x.kind in (Kind.ZNUM, Kind.NNUM)):
                    out += self._math_of(x, functools.partial(engine._log, base=b),
                                         functools.partial(_log_cases, base=b))
                else:
                    value = engine._log(x.known if x.concrete else "", b)
                    out.append(attrs.evolve(constant(value, "NUMBER"), guard=x.guard))
        return _math_result("log", out, error, notes)

    def fn_pow(self, a: Val, exponent: Val) -> Val:
        """PHP's pow(), the power of a known exponent: "" or a text that is not a
        number stops LimeSurvey's expression (PHP 8 refuses it), a text that starts
        with a number gives that number (QDL's floatval()); 0 to a negative power is
        INF, a negative number to a fractional power NAN, an overflow INF."""
        if not all(c.concrete for c in exponent.cases):
            raise Unconvertible("pow() with an exponent computed from answers")
        _tell_null_from_empty("pow()", a)  # null ** 2 is 0, "" ** 2 an error
        error, notes = _combine_errors(a, exponent)
        out = []
        for e in exponent.cases:
            try:
                y = php.to_number(e.known)
            except php.PhpTypeError:
                error = _stops(error, e.guard)
                continue
            for x in (m for c in a.cases for m in members(c)):
                x = x.within(e.guard)
                if x.concrete:
                    try:
                        out.append(attrs.evolve(constant(engine._pow(x.known, y), "NUMBER"), guard=x.guard))
                    except php.PhpTypeError:
                        error = _stops(error, x.guard)
                    continue
                if x.kind is Kind.XSTR:  # PHP takes the number a text starts with, or stops
                    starts = call("regexMatch", lit(_QDL_LEADING_NUMBER), x.qdl)
                    error = _stops(error, conj(x.guard, neg(starts)))
                    x = attrs.evolve(x, guard=conj(x.guard, starts), kind=Kind.NUMV,
                                     qdl=call("floatval", x.qdl))
                out += self._math_of(x, functools.partial(engine._pow, exponent=y), functools.partial(_pow_cases, y=y))
        return _math_result("pow", out, error, notes)

    @staticmethod
    def _math_of(x: Case, model: Callable, cases: Callable[[ast.Expr, bool], list]) -> list[Case]:
        """`x` through a function of numbers: computed here when its value is known,
        else the given (condition, case) list over its number (and whether it may be
        0: a computed number; an answer's non-zero kinds may not), the first true
        condition (None: the rest) deciding."""
        if x.concrete:
            return [attrs.evolve(constant(model(x.known), "NUMBER"), guard=x.guard)]
        n = _number(x)
        if isinstance(n, ast.Literal):
            return [attrs.evolve(constant(model(n.value), "NUMBER"), guard=x.guard)]
        out, rest = [], x.guard
        for when, case in cases(n, x.kind is Kind.NUMV):
            out.append(case.within(conj(rest, when)))
            rest = conj(rest, neg(when)) if when is not None else rest
        return out

    def _rounding(self, name: str, a: Val) -> Val:
        """floor(), ceil(), abs() as round() is done: a text that is not a number stops
        LimeSurvey's expression (PHP 8 refuses it), any other value is taken as PHP's
        arithmetic takes it."""
        _tell_null_from_empty(f"{name}()", a)
        model = engine.FUNCTIONS[name][2]
        error = a.error
        out = []
        for x in (m for c in a.cases for m in members(c)):
            if x.concrete:
                try:
                    out.append(attrs.evolve(constant(model(x.known), "NUMBER"), guard=x.guard))
                    continue
                except php.PhpTypeError:
                    pass
            elif x.kind is not Kind.XSTR:
                n = _number(x)
                if isinstance(n, ast.Literal):
                    out.append(attrs.evolve(constant(model(n.value), "NUMBER"), guard=x.guard))
                else:
                    out.append(Case(x.guard, Kind.NUMV, call(name, n), "NUMBER"))
                continue
            error = _stops(error, x.guard)
        return Val(_merge(out), error, a.notes)

    def fn_is_string(self, a: Val) -> Val:
        """PHP's is_string(): true for every answer (an empty one too) and quoted or
        written constant, false for a computed number, true/false and a hidden answer."""
        _tell_null_from_empty("is_string()", a)

        def outcome(x: Case, _unit: Case) -> tuple:
            if x.concrete:
                return ("const", isinstance(x.const, str))
            return ("const", x.kind in classes.STRINGS)

        return bool_val(emit(_pairs(a, _unit(), outcome), FALSE), a)


def python_pattern(pattern: str) -> str:
    """A PCRE `/body/flags` pattern as a Python one (flags become `(?i)`...)."""
    end = pattern.rfind("/")
    if len(pattern) < 2 or pattern[0] != "/" or end == 0:
        raise LimeSurveyError(f"the pattern {pattern!r} has no /.../ delimiters")
    flags = pattern[end + 1:].replace("u", "")
    if any(f not in "imsx" for f in flags):
        raise Unconvertible(f"the pattern flags {pattern[end + 1:]!r} of {pattern!r}")
    if engine.pcre(pattern) is None:
        raise LimeSurveyError(f"the pattern {pattern!r} is not a valid regular expression")
    return (f"(?{flags})" if flags else "") + pattern[1:end]


# ------------------------------------------------------------------ helpers
def _unit() -> Val:
    return Val((Case(None, Kind.TRUE, TRUE, "NUMBER", True, True),))


def _texts(a: Val) -> bool:
    return any(m.kind in (Kind.XSTR, Kind.NAN) for c in a.cases for m in members(c))


def _folds_apart(a: Val) -> bool:
    """Whether `a` may hold a letter that Unicode simple case folding (mb_stripos)
    and QDL's lowering treat apart: a free text may, a known one is looked at."""
    return any(engine.simple_fold(text := php.strval(m.known)) != text.lower() if m.concrete else m.kind is Kind.XSTR
               for c in a.cases for m in members(c))


def _leading_number(a: Val, function: str) -> tuple[ast.Expr, frozenset[str]]:
    """`a` as PHP reads a text as a number (its leading number, or 0): exact for
    numbers and for texts that start with a whole number or none; QDL's intval()
    stands in for the texts that are not numbers."""
    printed = printed_of(a)
    if not _texts(a):
        return printed, frozenset()
    term = call("if", call("regexMatch", lit(cases_module.QDL_NUMERIC), printed), printed, call("intval", printed))
    return term, frozenset({f"{function}() of a text that starts with a decimal number ('1.5 kg'): "
                            "LimeSurvey takes 1.5, the translation 1"})


def _int_argument(x: Case, nullable: bool = False) -> ast.Expr | None:
    """A case passed to a PHP 8 `int` parameter, as QDL's substr() takes it (a whole
    part): None for a null that stays null, PhpTypeError where PHP refuses it ("",
    a text that is not a number)."""
    if x.concrete:
        value = engine.int_argument(x.known, nullable)
        return None if value is None else lit(value)
    if x.kind is Kind.XSTR:
        raise php.PhpTypeError("must be of type int, string given")
    return _number(x)


#: Above this, exp() overflows in PHP (INF) and fails in QDL (exp(709.78) is still finite).
_EXP_LIMIT = 709.78
#: 10 to this power overflows no double, even rounded to 15 digits as QDL's pow() rounds.
_POW_DIGITS = 308.25
#: PHP's leading number of a text (QDL's floatval() reads the same).
_QDL_LEADING_NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"


def _exp_cases(n: ast.Expr, _may_be_zero: bool) -> list:
    """exp() of a number known only at run time: INF above 709.78, else QDL's exp()."""
    return [(compare(">", n, lit(_EXP_LIMIT)), constant(math.inf, "NUMBER")),
            (None, Case(None, Kind.NUMV, call("exp", n), "NUMBER"))]


def _log_cases(n: ast.Expr, may_be_zero: bool, base: php.PhpValue) -> list:
    """log() of a number known only at run time, in a usable base (None: e): of 0,
    ±INF; of a negative number, NAN; else QDL's log()."""
    given = () if base is None else (qdl_literal(php.to_number(base)),)
    zero = [(compare("==", n, lit(0)), constant(engine._log(0, base), "NUMBER"))] if may_be_zero else []
    return [*zero, (compare("<", n, lit(0)), constant(math.nan, "NUMBER")),
            (None, Case(None, Kind.NUMV, call("log", n, *given), "NUMBER"))]


def _pow_cases(n: ast.Expr, may_be_zero: bool, y: int | float) -> list:
    """PHP's `n ** y` for a number `n` known only at run time, `y` known: INF for 0 to
    a negative power, NAN for a negative number to a fractional one, ±INF where the
    power overflows (above 10^308.25, a little early), else QDL's pow()."""
    odd = float(y).is_integer() and y % 2 == 1
    out: list = []
    if y < 0 and may_be_zero:
        out.append((compare("==", n, lit(0)), constant(math.inf, "NUMBER")))
    if not float(y).is_integer():
        out.append((compare("<", n, lit(0)), constant(math.nan, "NUMBER")))
    if y > 1:
        bound = call("pow", lit(10), qdl_literal(round(_POW_DIGITS / y, 6)))
        out.append((compare(">", n, bound), constant(math.inf, "NUMBER")))
        out.append((compare("<", n, ast.Unary("-", bound, NOWHERE)), constant(-math.inf if odd else math.inf,
                                                                                 "NUMBER")))
    return [*out, (None, Case(None, Kind.NUMV, call("pow", n, qdl_literal(y)), "NUMBER"))]


def _math_result(name: str, cases: list[Case], error: ast.Expr | None, notes: frozenset[str]) -> Val:
    """The cases of exp(), log(), pow() with the notes their approximations need:
    QDL's namesake rounds to 15 significant digits where PHP keeps 17 (both print
    14, and a rounding twice may print the 14th digit otherwise), and QDL has no
    infinity (10^308 stands in, printed INF)."""
    if any(c.kind is Kind.NUMV for c in cases):
        notes |= {f"{name}(): QDL computes to 15 significant digits where LimeSurvey keeps 17; both print 14, "
                  "but the 14th digit or a comparison with a longer number may differ"}
    if any(isinstance(c.const, float) and math.isinf(c.const) for c in cases):
        notes |= {f"{name}(): LimeSurvey's INF (an overflow, 0 to a negative power, log(0)) is 10^308 in QDL: "
                  "it prints INF but is compared as that number (with a text, as digits)"}
    return Val(_merge(cases), error, notes)


def _tell_null_from_empty(what: str, *vals: Val) -> None:
    """`what` (a function, an operator) gives one result for PHP's null and another
    for "": refuse values whose empty case may be either."""
    if any(a.empty_may_be_null for a in vals):
        raise Unconvertible(f"{what} of min() or max() reading a hidden question (LimeSurvey's result differs "
                            "between the hidden question's null and an empty answer, which QDL does not tell apart)")


def _null_apart_from_empty(op: str, a: Val, b: Val) -> None:
    """Refuse `a op b` where one side may be a min() or max() reading a hidden
    question (PHP's null, which QDL's empty cannot tell from "") and LimeSurvey
    compares null otherwise than "" with a value the other side may have (null == 0
    holds, "" == 0 does not)."""
    def decision(x: tuple, y: Case, x_first: bool) -> tuple:
        if y.concrete:
            left, right = (engine.Entry(x[0], "NUMBER"), engine.Entry(y.known, y.token))
            return (engine.binary(op, *(left, right) if x_first else (right, left)).value,)
        pair = ((x[1], "NUMBER"), (y.kind, y.token)) if x_first else ((y.kind, y.token), (x[1], "NUMBER"))
        return classes.limesurvey(op, *pair[0], *pair[1])

    for mine, other, first in ((a, b, True), (b, a, False)):
        if mine.empty_may_be_null and any(decision(("", Kind.EMPTY), y, first) != decision((None, Kind.NULL), y, first)
                                          for c in other.cases for y in members(c)):
            _tell_null_from_empty(f"'{op}'", mine)


def _function_result(cases) -> list[Case]:
    """A function's value is pushed as a NUMBER token, whatever it was."""
    return [attrs.evolve(c, token="NUMBER") for c in cases]


def _without_nan(a: Val) -> Val:
    return Val(tuple(c for c in a.cases if c.kind is not Kind.NAN), a.error, a.notes)


def _value_cases(var: Variable, token: str) -> list[Case]:
    v = var.qdl
    empty = Case(call("is_empty", v), Kind.EMPTY, v, token, "", None, v)
    if var.kind == "choice":
        return [empty, *(Case(compare("==", v, lit(q)), kind_of(c), v, token, c, q, v if c == q else lit(c))
                         for c, q in var.codes.items())]
    if var.kind == "check":
        return [empty, Case(neg(call("is_empty", v)), Kind.XSTR, v, token, "Y", "Y", v)]
    if var.kind == "number":
        return [empty, Case(neg(call("is_empty", v)), Kind.NUMS, v, "NUMBER")]
    return [Case(None, Kind.TEXTV, v, token)]


def _shown_cases(var: Variable, token: str) -> list[Case]:
    v = var.qdl
    if var.kind == "choice":
        empty = Case(call("is_empty", v), Kind.EMPTY, lit(""), token, "", "", lit(""))
        return [empty, *(Case(compare("==", v, lit(q)), kind_of(label), lit(label), token, label, label, lit(label))
                         for c, q in var.codes.items() for label in [var.labels.get(c, c)])]
    if var.kind == "check":
        label = var.check_label
        return [Case(call("is_empty", v), Kind.EMPTY, lit(""), token, "", "", lit("")),
                Case(neg(call("is_empty", v)), kind_of(label), lit(label), token, label, label, lit(label))]
    return _value_cases(var, token)


def _all_literals(terms: list[ast.Expr]) -> TypeGuard[list[ast.Literal]]:
    return all(isinstance(t, ast.Literal) for t in terms)


def _decide(op: str, ls: tuple, x: Case, y: Case) -> tuple:
    """The outcome of a pair from LimeSurvey's decision for their kinds."""
    q = classes.qdl(op, qkind(x), qkind(y))
    if ls[0] == "const":
        return ("direct", ls[1]) if q == ls else ("const", ls[1])
    if ls == q and (ls != ("str",) or _faithful(x) and _faithful(y)):
        return ("direct", None)
    if ls == ("num",):
        return ("expr", compare(op, _number(x), _number(y)))
    # LimeSurvey compares the texts: prefixing both with a letter makes QDL do so too
    return ("expr", compare(op, _prefixed(x.printed), _prefixed(y.printed)))


def _prefixed(e: ast.Expr) -> ast.Expr:
    """`e` as a text that QDL cannot take for a number: "_" before it."""
    if isinstance(e, ast.Literal):
        return lit("_" + as_text(e.value))
    return call("join", lit("_"), e)


def _faithful(x: Case) -> bool:
    """Whether QDL's value prints as LimeSurvey's (not so for a renamed answer code)."""
    return x.text is None or x.text == x.qdl


def _qdl_compare(op: str, a, b) -> bool:
    if op == "==":
        return equal(a, b)
    if op == "!=":
        return not equal(a, b)
    return order(op, a, b)


_NUMBERS_OR_EMPTY = {Kind.NULL, Kind.EMPTY, Kind.ZSTR, Kind.NSTR, Kind.ZNUM, Kind.NNUM}
_ZERO_VALUED = {Kind.NULL, Kind.FALSE, Kind.ZSTR, Kind.ZNSTR, Kind.ZNUM, Kind.EMPTY}


def _numeric(x: Case) -> bool:
    return classes._NUMERIC[x.kind]


def _zero(x: Case) -> bool:
    return x.kind in _ZERO_VALUED


_PLAIN_NUMBERS = {Kind.NUMV, Kind.NUMS, Kind.ZNUM, Kind.NNUM, Kind.ZSTR, Kind.ZNSTR, Kind.NSTR}


def _plain_number(x: Case) -> bool:
    """A number for LimeSurvey's arithmetic, whatever its value (not "", not text, not
    a quoted constant)."""
    return x.kind in _PLAIN_NUMBERS and x.token not in classes.FORCED and not x.concrete


def _computed(op: str, x: Case, y: Case, guard: ast.Expr | None) -> list[Case]:
    """`x op y` of two numbers, as QDL computes it. LimeSurvey's `*` multiplies
    floats: a product of 0 with a negative factor is -0, printed "-0" (QDL has no
    negative zero), a case of its own."""
    nx, ny = _number(x), _number(y)
    e = _fold(ast.Binary(op, nx, ny, NOWHERE), x, y)
    case = Case(guard, Kind.NUMV, e, "NUMBER")
    negative = [compare("<", n, lit(0)) if not isinstance(n, ast.Literal)
                else TRUE if isinstance(n.value, int | float) and n.value < 0 else FALSE for n in (nx, ny)]
    if op != "*" or is_false(disj(negative)):
        return [case]
    negative_zero = conj(compare("==", e, lit(0)), disj(negative))
    # the case's own guard first: it keeps QDL from computing `x op y` of a text
    return [attrs.evolve(constant(-0.0, "NUMBER"), guard=conj(guard, negative_zero)),
            attrs.evolve(case, guard=conj(guard, neg(negative_zero)))]


def _fold(e: ast.Binary, x: Case, y: Case) -> ast.Expr:
    """`x + 0`, `0 + x`, `x - 0` are `x` when QDL holds x as a number already (an
    answer to a number question, a computed number), not as a numeric text."""
    zero = ast.Literal(0, NOWHERE)
    numbers = (Kind.NUMV, Kind.NUMS, Kind.ZNUM, Kind.NNUM)
    if e.op in "+-" and e.right == zero and x.kind in numbers:
        return e.left
    if e.op == "+" and e.left == zero and y.kind in numbers:
        return e.right
    return e


def _number(x: Case) -> ast.Expr:
    """The number PHP's arithmetic takes for a case."""
    if x.concrete and x.kind in (Kind.NSTR, Kind.NNUM):
        return qdl_literal(php.to_number(x.known))
    if x.kind in _ZERO_VALUED:
        return lit(0)
    if x.kind is Kind.TRUE:
        return lit(1)
    return x.qdl


def _joined(x: Case, y: Case) -> Case:
    """`x + y` where LimeSurvey joins the texts."""
    parts = [c.printed for c in (x, y) if not _prints_nothing(c)]
    if not parts:
        return Case(None, Kind.EMPTY, lit(""), "STRING", "", "", lit(""))
    if len(parts) == 1:
        only = x if not _prints_nothing(x) else y
        kind = classes._AS_STRING.get(only.kind, only.kind)
        return Case(None, kind, parts[0], "STRING")
    return Case(None, Kind.TEXTV, call("join", *parts), "STRING")


def _prints_nothing(x: Case) -> bool:
    return x.kind in (Kind.NULL, Kind.EMPTY, Kind.FALSE)
