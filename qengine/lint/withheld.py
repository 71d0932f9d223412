"""R130's question: is a condition true *because* what it reads is withheld?

A hidden question reads as empty, and so does an option or row its own condition
withholds: `x != "o"` holds for everybody who never saw `x`. A condition leans on
that emptiness when, in some situation, it is true with the read withheld but
would be false were the same read (everything else equal) given an answer:

- `x != "o"` leans on it: with `x` answered "o" it is false;
- `a == "n" or x < 2` does not: where `a == "n"` every answer keeps it true, and
  elsewhere a hidden `x` makes it false, not true;
- `not x.visible or x != "o"` does not either: `.visible` keeps its real value, so
  the author's own test of visibility decides.

The solver looks for such a situation: the condition true with the withheld reads
empty, and false with the same reads given a fresh answer (copies of the
question's variables, as if it were shown and the item offered). Only reads by
value outside the arguments a function reads only for being answered (type
`ANSWERS` in the function table: is_empty(), count()) are withheld: those say
the author thought about emptiness. The runtime confirms a situation by evaluating the
condition twice on the replayed session, the second time with the answer the
solver chose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs
import z3

from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.functions import FUNCTIONS, Arg
from qengine.expr.values import truthy
from qengine.kinds.base import COMPOSITE
from qengine.kinds.registry import kind_of
from qengine.lint.constraints import NEVER, TRUE, Cond, Const, Num, Sym, Text, Whole, condition, holds
from qengine.lint.toolkit import model_number


@attrs.frozen
class Withheld:
    """Reads of one question made empty: the whole question hidden (`item` None),
    or one option or row withheld by its own condition while the question shows."""

    question: str
    item: str | None
    reads: tuple[ast.Var, ...]  # the reads of the condition it empties (nodes of its tree)

    def describe(self) -> str:
        if self.item is None:
            return f"'{self.question}' is hidden"
        return f"'{self.question}_{self.item}' is withheld by its own condition"


def withheld(expr: ast.Expr, survey, owner: str | None = None) -> Iterator[Withheld]:
    """What may empty the reads of `expr` (a condition of `owner`, which it may read
    without leaning on anything): each question it reads by value, and each option
    or row with a condition of its own whose part it reads."""
    by_question: dict[str, list[ast.Var]] = {}
    for var in _plain_vars(expr):
        if var.question != owner and var.question is not None:
            by_question.setdefault(var.question, []).append(var)
    for code, reads in by_question.items():
        yield Withheld(code, None, tuple(reads))
        q = survey.by_code[code]
        if kind_of(q).shape not in COMPOSITE:  # no parts to read one by one
            continue
        conditional = {i.code for i in q.items if i.condition is not None}
        for item in sorted({v.sub[0] for v in reads if v.sub and v.sub[0] in conditional}):
            yield Withheld(code, item, tuple(v for v in reads if v.sub[:1] == (item,)))


def _plain_vars(expr: ast.Expr) -> list[ast.Var]:
    """The reads by value of a condition, outside the arguments read only for
    being answered (is_empty(), count())."""
    out: list[ast.Var] = []

    def visit(node):
        if isinstance(node, ast.Call):
            fn = FUNCTIONS[node.name]
            for i, a in enumerate(node.operands):  # an expanded call's operands are all read by value
                if node.expanded is not None or not fn.takes(i, Arg.ANSWERS):
                    visit(a)
            return
        if isinstance(node, ast.Var) and node.attr == "value" and node.question:
            out.append(node)
        for child in ast.children(node):
            visit(child)

    visit(expr)
    return out


class Leaning:
    """The situations where `expr` is true because `subject` empties its reads, and
    how the runtime confirms one."""

    def __init__(self, logic, expr: ast.Expr, subject: Withheld):
        self.logic, self.expr, self.subject = logic, expr, subject
        code = subject.question
        domain = logic.domains[code]
        copies = [(v, z3.FreshConst(v.sort(), f"{code}_answered")) for v in domain.variables]
        as_shown = [(logic.shown(code).formula, TRUE)]
        if subject.item is not None:
            as_shown.append((logic.offered(code, subject.item).formula, TRUE))
        pairs = copies + [p for p in as_shown if _is_variable(p[0])]
        #: what each withheld read would hold, were the question answered
        self.answered = {id(v): _substituted(logic.value(v), pairs) for v in subject.reads}
        rules = logic.rules(code)
        self.answerable = Cond(z3.substitute(z3.And(logic.typed(code), rules.formula), *pairs), rules.reasons)

    def cond(self) -> Cond:
        logic, code, item = self.logic, self.subject.question, self.subject.item
        if item is None:
            situation, empty = ~logic.shown(code), condition(self.expr, _Hidden(logic, code))
        else:
            situation, empty = logic.shown(code) & ~logic.offered(code, item), condition(self.expr, logic)
        answered = condition(self.expr, _Swapped(logic, self.answered))
        return situation & empty & ~answered & self.answerable

    def confirm(self, group: str | None = None) -> Callable:
        """Whether the replayed session is such a situation: the subject withheld, the
        condition true, and false with the solver's answer in the withheld reads."""
        subject, expr, logic = self.subject, self.expr, self.logic

        def confirm(session, model) -> bool:
            if group is not None and not session.group_visible(group):
                return False
            if not _is_withheld(session, subject) or not truthy(evaluate(expr, session)):
                return False
            values = {key: _value_in(logic, sym, model) for key, sym in self.answered.items()}
            if any(v is _UNKNOWN for v in values.values()):
                return False
            return not truthy(evaluate(expr, _Overridden(session, values)))
        return confirm


def _is_variable(e: z3.ExprRef) -> bool:
    """A named fact (`shown:x`), not a truth value that cannot change."""
    return z3.is_const(e) and e.decl().kind() == z3.Z3_OP_UNINTERPRETED


def _is_withheld(session, subject: Withheld) -> bool:
    if subject.item is None:
        return not session.is_visible(subject.question)
    view = session.view(subject.question)
    return view is not None and all(c.code != subject.item for c in (*view.options, *view.rows))


def _substituted(value: Sym, pairs) -> Sym:
    def term(t):
        if not isinstance(t, Num):
            return t
        counted = None if t.counted is None else tuple(z3.substitute(f, *pairs) for f in t.counted)
        return attrs.evolve(t, expr=z3.substitute(t.expr, *pairs), counted=counted)
    return Sym(tuple((z3.substitute(g, *pairs), term(t)) for g, t in value.cases), value.reasons)


_UNKNOWN = object()


def _value_in(logic, value: Sym, model):
    """What a read holds in the solver's model, as the runtime would read it."""
    for guard, term in value.cases:
        if holds(model, guard):
            match term:
                case Const(value=v):
                    return v
                case Num(expr=e):
                    return model_number(model.eval(e, model_completion=True))
                case Text(question=q):
                    return logic.free_word(logic.survey.by_code[q])
            return _UNKNOWN
    return _UNKNOWN


class _Hidden:
    """The survey's environment in situations where question `x` is hidden: `x`
    reads as empty, so a condition that needs its answer becomes false on sight,
    without the solver."""

    def __init__(self, logic, x: str):
        self.logic, self.x = logic, x

    def value(self, var):
        return Sym.const(None) if var.question == self.x else self.logic.value(var)

    def whole(self, var):
        whole = self.logic.whole(var)
        if var.question != self.x or whole is None:
            return whole
        return Whole(tuple(Sym.const(None) for _ in whole.parts))

    def visible(self, question):
        return NEVER if question == self.x else self.logic.visible(question)

    def unknown(self, reason):
        return self.logic.unknown(reason)

    def literals(self, question):
        return self.logic.literals(question)

    def fixed(self, var):
        return self.logic.fixed(var)


class _Swapped:
    """The survey's environment where some reads (nodes of one expression, by
    identity) hold other values."""

    def __init__(self, logic, values: dict[int, Sym]):
        self.logic, self.values = logic, values

    def value(self, var):
        found = self.values.get(id(var))
        return found if found is not None else self.logic.value(var)

    def whole(self, var):
        return self.logic.whole(var)

    def visible(self, question):
        return self.logic.visible(question)

    def unknown(self, reason):
        return self.logic.unknown(reason)

    def literals(self, question):
        return self.logic.literals(question)

    def fixed(self, var):
        return self.logic.fixed(var)


class _Overridden:
    """A session whose reads (nodes of one expression, by identity) hold other values."""

    def __init__(self, session, values: dict[int, object]):
        self.session, self.values = session, values

    def value(self, var):
        return self.values[id(var)] if id(var) in self.values else self.session.value(var)

    def visible(self, question):
        return self.session.visible(question)

    def shown(self, var):
        return self.session.shown(var)

    def wording(self, var):
        return self.session.wording(var)

    def type_letter(self, question):
        return self.session.type_letter(question)
