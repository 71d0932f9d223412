"""Solver constraints for expressions: the z3 backend of the expression AST.

`symbolic(expr, env)` is to z3 what `evaluate(expr, env)` is to Python: a visitor
over the same nodes, with the same semantics (`qengine.expr.values`), but over every
situation at once. A value becomes a `Sym`: a few cases, each a z3 guard and a
term, the guards of one `Sym` excluding each other and covering every situation:

- `Const`: a Python value (None for empty), compared and combined by the very
  functions of `qengine.expr.values`, so the numeric-string rule and the meaning of
  empty are the runtime's own;
- `Num`: a number the solver chooses (a z3 real), never empty;
- `Text`: free text typed by the respondent that is not a number and none of the
  strings the question is compared with;
- `Unknown`: a value this backend does not model (`.shown`, `regexMatch()` of an
  answer, `strlen()` of free text, an evaluation error...).

Whatever involves an `Unknown` becomes a fresh boolean the solver may set either
way (`env.unknown(reason)`), so the constraints describe *at least* every real
situation: "impossible" verdicts stay proofs, while "possible" ones must be checked
against the runtime whenever `reasons` is not empty. The reasons say, in words, what
was not modelled.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Protocol, cast

import attrs
import z3
from z3 import z3core

from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.evaluate import arithmetic
from qengine.expr.functions import FUNCTIONS, NOT_MODELLED, Arg, Function, FunctionError, Solver
from qengine.expr.values import LimitError, as_number, equal, is_empty, order, truthy

# The two truth values, kept as singletons: helpers below recognise them by
# identity, much faster than asking z3.
TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


def boolean(value: bool) -> z3.BoolRef:
    return TRUE if value else FALSE

# Functions of constants are computed by their Python implementation when the
# arguments have at most this many combinations of known values.
_MAX_COMBINATIONS = 256

#: The highest degree of a product of answers the solver is given. z3 expands
#: products as it reads them: an equation squaring the one before, sixteen times
#: over, is a polynomial of degree 65,536 that took gigabytes before any check
#: could be limited. A product beyond it is not modelled.
MAX_DEGREE = 8
_TOO_HIGH = f"a product of more than {MAX_DEGREE} answers (too large a polynomial to model)"
_MAX_PAIRS = 4096
_TOO_MANY = "arithmetic over too many possible values"


@attrs.frozen
class Const:
    value: object


@attrs.frozen(eq=False)
class Num:
    expr: z3.ArithRef  # of sort Real
    #: the formulas it counts the true ones of (`count()`, `countif()`), if it does
    counted: tuple[z3.BoolRef, ...] | None = None
    #: its degree as a polynomial in the answers (see `MAX_DEGREE`)
    degree: int = 1


@attrs.frozen
class Text:
    question: str


@attrs.frozen
class Unknown:
    reason: str


Term = Const | Num | Text | Unknown
EMPTY = Const(None)


@attrs.frozen(eq=False)
class Cond:
    """A truth value in every situation, and what it leaves unmodelled."""

    formula: z3.BoolRef
    reasons: frozenset[str] = frozenset()

    def __and__(self, other: Cond) -> Cond:
        return Cond(conj(self.formula, other.formula), self.reasons | other.reasons)

    def __or__(self, other: Cond) -> Cond:
        return Cond(disj(self.formula, other.formula), self.reasons | other.reasons)

    def __invert__(self) -> Cond:
        return Cond(neg(self.formula), self.reasons)


ALWAYS = Cond(TRUE)
NEVER = Cond(FALSE)


@attrs.frozen(eq=False)
class Sym:
    """A value in every situation: mutually exclusive (guard, term) cases."""

    cases: tuple[tuple[z3.BoolRef, Term], ...]
    reasons: frozenset[str] = frozenset()

    @classmethod
    def const(cls, value) -> Sym:
        return cls(((TRUE, Const(value)),))

    @classmethod
    def of(cls, cases: Iterable[tuple[z3.BoolRef, Term]], reasons: Iterable[str] = ()) -> Sym:
        """Cases merged: equal constants joined, all numbers folded into one `If`."""
        consts: dict[tuple, list] = {}
        nums: list[tuple[z3.BoolRef, Num]] = []
        others: dict[Term, list] = {}
        reasons = set(reasons)
        for guard, term in cases:
            if guard is FALSE:
                continue
            if isinstance(term, Const):
                consts.setdefault((type(term.value), term.value), [term, []])[1].append(guard)
            elif isinstance(term, Num):
                nums.append((guard, term))
            else:
                if isinstance(term, Unknown):
                    reasons.add(term.reason)
                others.setdefault(term, []).append(guard)
        out = [(disj(*guards), term) for term, guards in consts.values()]
        if len(nums) == 1:
            out.append(nums[0])
        elif nums:
            expr = nums[-1][1].expr
            for guard, n in reversed(nums[:-1]):
                expr = z3.If(guard, n.expr, expr)
            out.append((disj(*(g for g, _ in nums)), Num(expr, degree=max(n.degree for _, n in nums))))
        out.extend((disj(*guards), term) for term, guards in others.items())
        return cls(tuple(out), frozenset(reasons))

    @classmethod
    def of_cond(cls, cond: Cond) -> Sym:
        return cls(((cond.formula, Const(True)), (neg(cond.formula), Const(False))), cond.reasons)

    def with_guard(self, guard: z3.BoolRef) -> tuple[tuple[z3.BoolRef, Term], ...]:
        return tuple((conj(guard, g), t) for g, t in self.cases)


@attrs.frozen(eq=False)
class Whole:
    """A whole multiple choice, array or grid, as `is_empty()` and `count()` see it:
    its parts (options, rows, cells), each counted by `count()` when answered."""

    parts: tuple[Sym, ...]


class SymbolicEnvironment(Protocol):
    def value(self, var: ast.Var) -> Sym: ...
    def whole(self, var: ast.Var) -> Whole | None: ...
    def visible(self, question: str) -> Cond: ...
    def unknown(self, reason: str) -> z3.BoolRef: ...
    def literals(self, question: str) -> frozenset[str]: ...
    def fixed(self, var: ast.Var) -> str | None:
        """What a `.type` or `.question` reads when no answer changes it (a wording
        without `{…}`), else None."""


# ---------------------------------------------------------------- z3 helpers
def conj(*xs: z3.BoolRef) -> z3.BoolRef:
    kept = []
    for x in xs:
        if x is FALSE:
            return FALSE
        if x is not TRUE:
            kept.append(x)
    return _join(z3core.Z3_mk_and, kept, TRUE)


def disj(*xs: z3.BoolRef) -> z3.BoolRef:
    kept = []
    for x in xs:
        if x is TRUE:
            return TRUE
        if x is not FALSE:
            kept.append(x)
    return _join(z3core.Z3_mk_or, kept, FALSE)


def _join(make, kept: list[z3.BoolRef], unit: z3.BoolRef) -> z3.BoolRef:
    """And / Or through z3's C API: z3.And() and z3.Or() check and convert every
    argument in Python, which dominates on surveys of thousands of questions."""
    if not kept:
        return unit
    if len(kept) == 1:
        return kept[0]
    ctx = kept[0].ctx
    args = (z3.Ast * len(kept))(*(x.as_ast() for x in kept))
    return z3.BoolRef(make(ctx.ref(), len(kept), args), ctx)


def holds(model: z3.ModelRef, formula: z3.BoolRef) -> bool:
    """Whether `formula` is true in `model` (unassigned variables completed)."""
    ctx = formula.ctx
    out = (z3.Ast * 1)()
    if not z3core.Z3_model_eval(ctx.ref(), model.model, formula.as_ast(), True, out):
        return False
    return z3core.Z3_get_bool_value(ctx.ref(), out[0]) == z3.Z3_L_TRUE


def neg(x: z3.BoolRef) -> z3.BoolRef:
    if x is TRUE:
        return FALSE
    if x is FALSE:
        return TRUE
    return z3.Not(x)


def at_least(flags: Sequence[z3.BoolRef], k) -> z3.BoolRef:
    """At least `k` (any number) of `flags` are true, as a cardinality constraint:
    z3 decides those natively, whereas a sum of If(f, 1, 0) costs the arithmetic
    solver an equation per term (checks on long surveys take twice as long)."""
    need = math.ceil(Fraction(k))
    if need <= 0:
        return TRUE
    return z3.AtLeast(*flags, need) if need <= len(flags) else FALSE


def at_most(flags: Sequence[z3.BoolRef], k) -> z3.BoolRef:
    """At most `k` (any number) of `flags` are true (see `at_least`)."""
    allowed = math.floor(Fraction(k))
    if allowed < 0:
        return FALSE
    return z3.AtMost(*flags, allowed) if allowed < len(flags) else TRUE


def real(value) -> z3.ArithRef:
    """A Python number as an exact z3 real (floats by their exact binary value)."""
    f = Fraction(value)
    return z3.RealVal(f"{f.numerator}/{f.denominator}") if f.denominator != 1 else z3.RealVal(f.numerator)


# ---------------------------------------------------------------- the visitor
def symbolic(node: ast.Expr, env: SymbolicEnvironment) -> Sym:
    match node:
        case ast.Literal(value=v):
            return Sym.const(v)
        case ast.Var(attr="value"):
            return env.value(node)
        case ast.Var(attr="visible", question=str() as code):
            return Sym.of_cond(env.visible(code))
        case ast.Var(attr="shown"):
            return Sym(((TRUE, Unknown(f"{node.name}.shown (the label of an answer)")),),
                       frozenset({f"{node.name}.shown (the label of an answer)"}))
        case ast.Var(attr="question" | "type"):
            fixed = env.fixed(node)
            if fixed is not None:
                return Sym.const(fixed)
            reason = f"{node.name}.question (a wording that changes with the answers)"
            return Sym(((TRUE, Unknown(reason)),), frozenset({reason}))
        case ast.Logical() | ast.Unary(op="not") | ast.Compare():
            return Sym.of_cond(condition(node, env))
        case ast.Unary(op="-", operand=a):
            return _map(symbolic(a, env), _negate)
        case ast.Binary(op=op, left=a, right=b):
            return _arithmetic(op, symbolic(a, env), symbolic(b, env), node)
        case ast.Call(name=name):
            return _call(name, node.operands, node, env)
    raise TypeError(f"not an expression node: {node!r}")


def condition(node: ast.Expr, env: SymbolicEnvironment) -> Cond:
    """Whether `node` is true (QDL's truth: empty, "", 0 and false are false)."""
    match node:
        case ast.Logical(op="and", left=a, right=b):
            return condition(a, env) & condition(b, env)
        case ast.Logical(op="or", left=a, right=b):
            return condition(a, env) | condition(b, env)
        case ast.Unary(op="not", operand=a):
            return ~condition(a, env)
        case ast.Compare(op=op, left=a, right=b):
            return compare(op, symbolic(a, env), symbolic(b, env), env)
    return truth(symbolic(node, env), env)


def truth(value: Sym, env: SymbolicEnvironment) -> Cond:
    parts, reasons = [], set(value.reasons)
    for guard, term in value.cases:
        match term:
            case Const(value=v):
                t = boolean(truthy(v))
            case Num(expr=e):
                t = e != 0
            case Text():
                t = TRUE
            case Unknown(reason=r):
                t = env.unknown(r)
                reasons.add(r)
        parts.append(conj(guard, t))
    return Cond(disj(*parts), frozenset(reasons))


def emptiness(value: Sym | Whole, env: SymbolicEnvironment) -> Cond:
    """Whether the value is empty (`is_empty()`)."""
    if isinstance(value, Whole):
        parts = [emptiness(p, env) for p in value.parts]
        return Cond(conj(*(c.formula for c in parts)), frozenset().union(*(c.reasons for c in parts)))
    parts, reasons = [], set(value.reasons)
    for guard, term in value.cases:
        match term:
            case Const(value=v):
                t = boolean(is_empty(v))
            case Num() | Text():
                t = FALSE
            case Unknown(reason=r):
                t = env.unknown(r)
        parts.append(conj(guard, t))
    return Cond(disj(*parts), frozenset(reasons))


# ---------------------------------------------------------------- comparison
def compare(op: str, a: Sym, b: Sym, env: SymbolicEnvironment) -> Cond:
    parts, reasons = [], set(a.reasons | b.reasons)
    for (ga, ta), (gb, tb) in itertools.product(a.cases, b.cases):
        guard = conj(ga, gb)
        if guard is FALSE:
            continue
        result = _compare_terms(op, ta, tb, env)
        if result is None:
            reason = _why_not_compared(op, ta, tb)
            reasons.add(reason)
            result = env.unknown(reason)
        parts.append(conj(guard, result))
    return Cond(disj(*parts), frozenset(reasons))


def _why_not_compared(op, x, y) -> str:
    for t in (x, y):
        if isinstance(t, Unknown):
            return t.reason
    return f"'{op}' between free text or a number and text, compared letter by letter"


def _compare_terms(op: str, x: Term, y: Term, env) -> z3.BoolRef | None:
    if isinstance(x, Unknown) or isinstance(y, Unknown):
        return None
    if isinstance(x, Const) and isinstance(y, Const):
        if op == "==":
            return boolean(equal(x.value, y.value))
        if op == "!=":
            return boolean(not equal(x.value, y.value))
        return boolean(order(op, x.value, y.value))
    if op in ("==", "!="):
        eq = _equal_terms(x, y, env)
        if eq is None or op == "==":
            return eq
        return neg(eq)
    return _order_terms(op, x, y)


def _equal_terms(x: Term, y: Term, env) -> z3.BoolRef | None:
    if isinstance(y, Num | Text) and isinstance(x, Const):
        x, y = y, x
    match x, y:
        case Num(expr=a), Num(expr=b):
            return a == b
        case Num(expr=a, counted=counted), Const(value=c):
            if is_empty(c):
                return FALSE
            n = as_number(c)
            if n is not None and counted is not None:
                return conj(at_least(counted, n), at_most(counted, n))
            # A number never reads like text that is not a number.
            return a == real(n) if n is not None else FALSE
        case Text(), Num():
            return FALSE
        case Text(question=q), Const(value=c):
            if is_empty(c) or as_number(c) is not None:
                return FALSE
            return FALSE if isinstance(c, str) and c in env.literals(q) else None
        case Text(question=p), Text(question=q):
            return TRUE if p == q else None
    return None


def _order_terms(op: str, x: Term, y: Term) -> z3.BoolRef | None:
    if (isinstance(x, Const) and is_empty(x.value)) or (isinstance(y, Const) and is_empty(y.value)):
        return FALSE
    counted = _counted_order(op, x, y)
    if counted is not None:
        return counted
    a, b = _as_real(x), _as_real(y)
    if a is None or b is None:
        return None
    match op:
        case "<":
            return a < b
        case "<=":
            return a <= b
        case ">":
            return a > b
        case ">=":
            return a >= b
    raise ValueError(op)


def _counted_order(op: str, x: Term, y: Term) -> z3.BoolRef | None:
    """A count compared with a constant number, as a cardinality constraint."""
    if isinstance(x, Const):
        x, y, op = y, x, {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
    if not (isinstance(x, Num) and x.counted is not None and isinstance(y, Const)):
        return None
    n = as_number(y.value)
    if n is None:
        return None
    match op:
        case ">=":
            return at_least(x.counted, n)
        case ">":
            return at_least(x.counted, math.floor(Fraction(n)) + 1)
        case "<=":
            return at_most(x.counted, n)
    return at_most(x.counted, math.ceil(Fraction(n)) - 1)


def _as_real(term: Term) -> z3.ArithRef | None:
    """The number a non-empty term stands for, or None when it is not one."""
    if isinstance(term, Num):
        return term.expr
    if isinstance(term, Const):
        n = as_number(term.value)
        return None if n is None else real(n)
    return None


# ---------------------------------------------------------------- arithmetic
_ERROR = "an expression that can fail while the survey runs (text in arithmetic, division by 0)"


def _arithmetic(op: str, a: Sym, b: Sym, node) -> Sym:
    """Every pair of cases, combined; beyond `_MAX_PAIRS` pairs, not modelled: each
    product of known values may give a new one, so an equation squaring the one
    before has twice as many cases at every step."""
    reasons = a.reasons | b.reasons
    if len(a.cases) * len(b.cases) > _MAX_PAIRS:
        return Sym(((TRUE, Unknown(_TOO_MANY)),), reasons | {_TOO_MANY})
    cases: list[tuple[z3.BoolRef, Term]] = []
    for (ga, ta), (gb, tb) in itertools.product(a.cases, b.cases):
        guard = conj(ga, gb)
        if guard is not FALSE:
            cases.extend((conj(guard, g), t) for g, t in _arith_terms(op, ta, tb, node))
    return Sym.of(cases, reasons)


def _arith_terms(op, x: Term, y: Term, node) -> list[tuple[z3.BoolRef, Term]]:
    for t in (x, y):
        if isinstance(t, Unknown):
            return [(TRUE, t)]
    if any(isinstance(t, Const) and is_empty(t.value) for t in (x, y)):
        return [(TRUE, EMPTY)]
    if isinstance(x, Const) and isinstance(y, Const):
        try:
            return [(TRUE, Const(arithmetic(op, x.value, y.value, node)))]
        except EvaluationError:
            return [(TRUE, Unknown(_ERROR))]
    a, b = _as_real(x), _as_real(y)
    if a is None or b is None:
        return [(TRUE, Unknown(_ERROR))]
    if op in "+-":
        return [(TRUE, Num(a + b if op == "+" else a - b, degree=max(_degree(x), _degree(y))))]
    degree = _degree(x) + _degree(y)
    if degree > MAX_DEGREE:
        return [(TRUE, Unknown(_TOO_HIGH))]
    if op == "*":
        return [(TRUE, Num(a * b, degree=degree))]
    # "/" and "%": division by zero is an error of the survey.
    value = Num(a / b if op == "/" else a - b * z3.ToReal(z3.ToInt(a / b)), degree=degree)
    if isinstance(y, Const):
        return [(TRUE, value)]
    return [(b != 0, value), (b == 0, Unknown(_ERROR))]


def _degree(term: Term) -> int:
    return term.degree if isinstance(term, Num) else 0


def _negate(term: Term) -> Term:
    match term:
        case Const(value=v) if is_empty(v):
            return EMPTY
        case Num(expr=e):
            return Num(-e, degree=term.degree)
        case Const(value=v) if (n := as_number(v)) is not None:
            return Const(-n)
        case Unknown():
            return term
    return Unknown(_ERROR)


def _map(value: Sym, fn) -> Sym:
    return Sym.of(((g, fn(t)) for g, t in value.cases), value.reasons)


# ---------------------------------------------------------------- functions
def _call(name: str, args: tuple[ast.Expr, ...], node: ast.Call, env) -> Sym:
    """A call, as its row in the function table says to model it (`if` aside:
    only its chosen branch is evaluated, so each backend writes it)."""
    if name == "if":
        c = condition(args[0], env)
        then, other = symbolic(args[1], env), symbolic(args[2], env)
        return Sym.of(then.with_guard(c.formula) + other.with_guard(neg(c.formula)),
                      c.reasons | then.reasons | other.reasons)
    fn = FUNCTIONS[name]
    values: list[Sym | Whole] = []
    for i, a in enumerate(args):  # `args` are operands; only an unexpanded call's match `params`
        whole_ok = node.expanded is None and fn.takes(i, Arg.ANSWERS)
        values.append(_whole_or_value(a, env) if whole_ok else symbolic(a, env))
    kit = _Kit(fn, values, env)
    if fn.solver is Solver.BY_VALUE:
        return kit.by_value()
    if fn.solver is Solver.NOT_MODELLED:
        return kit.unmodelled(f"{name}(), which lint does not model")
    assert callable(fn.solver), f"{name}() has no solver translation"
    return fn.solver(kit, *values)


def _whole_or_value(node: ast.Expr, env) -> Sym | Whole:
    if isinstance(node, ast.Var) and node.attr == "value" and not node.sub:
        whole = env.whole(node)
        if whole is not None:
            return whole
    return symbolic(node, env)


@attrs.frozen(eq=False)
class _Kit:
    """The primitives a row's solver translation is written with (the
    `SolverKit` of qengine/expr/functions.py), for one call: its function, its
    arguments' values and the environment."""

    fn: Function
    values: list[Sym | Whole]
    env: SymbolicEnvironment

    def unmodelled(self, reason: str) -> Sym:
        reasons = frozenset().union(*(v.reasons for v in self.values if isinstance(v, Sym)))
        return Sym(((TRUE, Unknown(reason)),), reasons | {reason})

    def by_value(self) -> Sym:
        """Computed by the Python implementation over every combination of known
        values; anything else is not modelled."""
        unmodelled = f"{self.fn.name}() of an answer that is not one of a few known values"
        syms = [v for v in self.values if isinstance(v, Sym)]
        if len(syms) < len(self.values):
            return self.unmodelled(unmodelled)
        combos = 1
        for v in syms:
            combos *= len(v.cases)
            if combos > _MAX_COMBINATIONS or not all(isinstance(t, Const) for _, t in v.cases):
                return self.unmodelled(unmodelled)
        cases = []
        for combo in itertools.product(*(v.cases for v in syms)):
            guard = conj(*(g for g, _ in combo))
            if guard is FALSE:
                continue
            cases.append((guard, self._computed(*(cast(Const, t).value for _, t in combo))))  # all Const: above
        return Sym.of(cases, frozenset().union(*(v.reasons for v in syms)))

    def _computed(self, *values) -> Term:
        assert self.fn.python is not None
        try:
            return Const(self.fn.python(*values))
        except (FunctionError, LimitError):
            return Unknown(_ERROR)

    def numeric(self, x: Sym, f, text: object = NOT_MODELLED) -> Sym:
        def term(t: Term) -> Term:
            match t:
                case Const(value=v):
                    return self._computed(v)
                case Unknown():
                    return t
                case Text():
                    return Unknown(f"{self.fn.name}() of free text") if text is NOT_MODELLED else Const(text)
            return Num(f(t.expr), degree=t.degree)

        return _map(x, term)

    def where(self, condition: z3.BoolRef, then: z3.ArithRef, other: z3.ArithRef) -> z3.ArithRef:
        return z3.If(condition, then, other)

    def floor(self, n: z3.ArithRef) -> z3.ArithRef:
        return z3.ToReal(z3.ToInt(n))

    def add(self, values: Iterable[Sym]) -> Sym:
        return _sum(list(values))

    def fold(self, values: Iterable[Sym], pick) -> Sym:
        return _extremum(pick, list(values))

    def empty(self, x: Sym | Whole) -> Cond:
        return emptiness(x, self.env)

    def answers(self, x: Sym | Whole) -> list[Cond]:
        parts = x.parts if isinstance(x, Whole) else (x,)
        return [~emptiness(p, self.env) for p in parts]

    def equal(self, a: Sym, b: Sym) -> Cond:
        return compare("==", a, b, self.env)

    def count(self, conditions: Iterable[Cond]) -> Sym:
        return _counted(list(conditions))

    def truth(self, condition: Cond) -> Sym:
        return Sym.of_cond(condition)


def _counted(conds: list[Cond]) -> Sym:
    formulas = tuple(c.formula for c in conds)
    total = z3.Sum(*(z3.If(f, z3.RealVal(1), z3.RealVal(0)) for f in formulas)) if conds else z3.RealVal(0)
    return Sym(((TRUE, Num(total, formulas)),), frozenset().union(*(c.reasons for c in conds)))


def _number_or_error(value: Sym) -> tuple[z3.ArithRef, z3.BoolRef]:
    """A value as `sum()` reads it (empty counts 0), and when reading it fails."""
    expr, bad = z3.RealVal(0), []
    for guard, term in reversed(value.cases):
        if isinstance(term, Const) and is_empty(term.value):
            continue
        n = _as_real(term)
        if n is None:
            bad.append(guard)
        else:
            expr = z3.If(guard, n, expr)
    return expr, disj(*bad)


def _sum(values: list[Sym]) -> Sym:
    exprs, bad = zip(*(_number_or_error(v) for v in values), strict=True)
    failing = disj(*bad)
    reasons = frozenset().union(*(v.reasons for v in values))
    total = Num(z3.Sum(*exprs), degree=max(_degree(t) for v in values for _, t in v.cases))
    return Sym.of([(neg(failing), total), (failing, Unknown(_ERROR))], reasons)


def _extremum(pick, values: list[Sym]) -> Sym:
    """`pick` of two numbers folded over the values, empty ones left out."""
    acc = Sym.const(None)
    for value in values:
        cases = []
        for (ga, ta), (gb, tb) in itertools.product(acc.cases, value.cases):
            guard = conj(ga, gb)
            if guard is FALSE:
                continue
            if isinstance(tb, Const) and is_empty(tb.value):
                cases.append((guard, ta))
                continue
            x, y = _as_real(ta), _as_real(tb)
            if isinstance(ta, Const) and is_empty(ta.value):
                cases.append((guard, Num(y, degree=_degree(tb)) if y is not None else _failed(tb)))
            elif x is None or y is None:
                cases.append((guard, _failed(ta if x is None else tb)))
            else:
                cases.append((guard, Num(pick(x, y), degree=max(_degree(ta), _degree(tb)))))
        acc = Sym.of(cases, acc.reasons | value.reasons)
    return acc


def _failed(term: Term) -> Unknown:
    return term if isinstance(term, Unknown) else Unknown(_ERROR)
