"""What each kind of question may hold, as solver variables.

A `Domain` owns the z3 variables of one question's *stored* answer and says, in
the runtime's own terms (`qengine.runtime.answers`, `qengine.runtime.session`):

- `rules()`: what `Session.answer()` accepts (options offered, bounds, ticks,
  exclusive options), plus "a hidden question holds no answer", which loses no
  situation because a hidden question reads as empty anyway;
- `initial()`: the answer before the respondent reaches it (its default);
- `read(sub)`: what expressions read: empty while hidden, hidden options and rows
  filtered out, exactly as `Session.value()`;
- `checks()`: no problem is left on the page (mandatory, rows, ticks, validations),
  as `Session._problems()`;
- `witness(model)`: the answer in the answers-file form.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property

import z3

from qengine.expr import regex
from qengine.expr.values import as_number
from qengine.lint.constraints import (
    ALWAYS,
    EMPTY,
    FALSE,
    TRUE,
    Cond,
    Const,
    Num,
    Sym,
    Text,
    Whole,
    at_least,
    at_most,
    condition,
    conj,
    disj,
    holds,
    neg,
    real,
)
from qengine.lint.patterns import nothing_fits
from qengine.lint.samples import examples
from qengine.model import Array, FreeText, Grid, MultipleChoice, Number, Question, SingleChoice


class Domain:
    """A question without an answer (equations, display texts)."""

    def __init__(self, question: Question, logic):
        self.question = question
        self.logic = logic
        self.code = question.code

    @property
    def variables(self) -> tuple:
        return ()

    def typed(self) -> z3.BoolRef:
        """What holds in every situation, the starting one included: the range of
        the variables and what `Session.answer()` always refuses (bounds, ticks).
        Quantifiers range over it."""
        return TRUE

    def rules(self) -> Cond:
        return ALWAYS

    def initial(self) -> z3.BoolRef:
        return TRUE

    def read(self, sub: tuple[str, ...]) -> Sym:
        return Sym.const(None)

    def whole(self) -> Whole | None:
        return None

    def answered(self) -> z3.BoolRef:
        """The value read is not empty."""
        return FALSE

    def checks(self) -> Cond:
        return ALWAYS

    def witness(self, model: z3.ModelRef):
        """The answer in the answers-file form (None: blank)."""
        return None

    def preferred(self) -> z3.BoolRef:
        """What witnesses should hold when they can (nothing the replay may doubt)."""
        return TRUE

    # ------------------------------------------------------------ shared
    @property
    def shown(self) -> z3.BoolRef:
        return self.logic.shown(self.code).formula

    def _validations(self) -> Cond:
        out = ALWAYS
        for v in self.question.validations:
            out = out & condition(v.rule, self.logic)
        return out

    def _problems_free(self, extra: z3.BoolRef = TRUE) -> Cond:
        """No problem: blank is fine unless mandatory; an answer must pass `extra`
        and the validations."""
        filled = self.answered()
        rules = self._validations()
        ok_filled = Cond(conj(extra, rules.formula), rules.reasons)
        blank_ok = FALSE if self.question.mandatory else TRUE
        return Cond(z3.If(filled, ok_filled.formula, blank_ok), ok_filled.reasons)


def _offered(logic, question, items) -> list[Cond]:
    return [logic.offered(question.code, i.code) for i in items]


class OneOf:
    """A choice of at most one of n codes, as n booleans: comparisons with codes
    become plain literals, which the solver handles far better than integers."""

    def __init__(self, name: str, codes: list[str]):
        self.codes = codes
        self.flags = [z3.Bool(f"{name}={c}") for c in codes]

    def typed(self) -> z3.BoolRef:
        return z3.AtMost(*self.flags, 1) if len(self.flags) > 1 else TRUE

    def none(self) -> z3.BoolRef:
        return conj(*map(neg, self.flags))

    def only(self, code: str | None) -> z3.BoolRef:
        return conj(*(f if c == code else neg(f) for c, f in zip(self.codes, self.flags, strict=True)))

    def picked(self, model) -> str | None:
        return next((c for c, f in zip(self.codes, self.flags, strict=True) if holds(model, f)), None)


class SingleDomain(Domain):
    question: SingleChoice

    def __init__(self, question, logic):
        super().__init__(question, logic)
        self.codes = [o.code for o in question.options]
        self.choice = OneOf(self.code, self.codes)

    @property
    def variables(self):
        return tuple(self.choice.flags)

    def typed(self):
        return self.choice.typed()

    def rules(self):
        offered = _offered(self.logic, self.question, self.question.options)
        parts = [z3.Implies(neg(self.shown), self.choice.none())]
        reasons = set()
        for flag, o in zip(self.choice.flags, offered, strict=True):
            if o.formula is not TRUE:
                parts.append(z3.Implies(flag, o.formula))
                reasons |= o.reasons
        return Cond(conj(*parts), frozenset(reasons))

    def initial(self):
        return self.choice.only(self.question.default)

    def _picked(self) -> list[z3.BoolRef]:
        offered = _offered(self.logic, self.question, self.question.options)
        return [conj(self.shown, flag, o.formula) for flag, o in zip(self.choice.flags, offered, strict=True)]

    def read(self, sub):
        return Sym.of([*zip(self._picked(), map(Const, self.codes), strict=True),
                       (neg(self.answered()), EMPTY)])

    def answered(self):
        return disj(*self._picked())

    def checks(self):
        return self._problems_free()

    def witness(self, model):
        return self.choice.picked(model)


class MultipleDomain(Domain):
    question: MultipleChoice

    def __init__(self, question, logic):
        super().__init__(question, logic)
        self.ticks = [z3.Bool(f"{self.code}_{o.code}") for o in question.options]

    @property
    def variables(self):
        return tuple(self.ticks)

    def rules(self):
        q = self.question
        offered = _offered(self.logic, q, q.options)
        parts = [z3.Implies(neg(self.shown), conj(*map(neg, self.ticks)))]
        reasons = set()
        for t, o in zip(self.ticks, offered, strict=True):
            if o.formula is not TRUE:
                parts.append(z3.Implies(t, o.formula))
                reasons |= o.reasons
        return Cond(conj(*parts), frozenset(reasons))

    def typed(self):
        parts = []
        if self.question.max is not None:
            parts.append(at_most(self.ticks, self.question.max))
        for t, o in zip(self.ticks, self.question.options, strict=True):
            if o.exclusive:
                parts.append(z3.Implies(t, conj(*(neg(u) for u in self.ticks if u is not t))))
        return conj(*parts)

    def initial(self):
        return conj(*map(neg, self.ticks))

    def _kept(self) -> list[z3.BoolRef]:
        offered = _offered(self.logic, self.question, self.question.options)
        return [conj(self.shown, t, o.formula) for t, o in zip(self.ticks, offered, strict=True)]

    def read(self, sub):
        kept = self._kept()[[o.code for o in self.question.options].index(sub[0])]
        return Sym.of([(kept, Const("Y")), (neg(kept), EMPTY)])

    def whole(self):
        return Whole(tuple(self.read((o.code,)) for o in self.question.options))

    def answered(self):
        return disj(*self._kept())

    def checks(self):
        q = self.question
        enough = at_least(self._kept(), q.min) if q.min is not None else TRUE
        return self._problems_free(enough)

    def witness(self, model):
        ticked = [o.code for t, o in zip(self.ticks, self.question.options, strict=True)
                  if holds(model, t)]
        return ticked or None


class ArrayDomain(Domain):
    question: Array

    def __init__(self, question, logic):
        super().__init__(question, logic)
        self.columns = [c.code for c in question.columns]
        self.cells = [OneOf(f"{self.code}_{r.code}", self.columns) for r in question.rows]

    @property
    def variables(self):
        return tuple(f for c in self.cells for f in c.flags)

    def typed(self):
        return conj(*(c.typed() for c in self.cells))

    def rules(self):
        offered = _offered(self.logic, self.question, self.question.rows)
        parts = [z3.Implies(neg(self.shown), conj(*(c.none() for c in self.cells)))]
        for c, o in zip(self.cells, offered, strict=True):
            if o.formula is not TRUE:
                parts.append(z3.Implies(neg(c.none()), o.formula))
        return Cond(conj(*parts), frozenset().union(*(o.reasons for o in offered)))

    def initial(self):
        return conj(*(c.none() for c in self.cells))

    def _rows(self):
        offered = _offered(self.logic, self.question, self.question.rows)
        return [(cell, conj(self.shown, o.formula)) for cell, o in zip(self.cells, offered, strict=True)]

    def read(self, sub):
        cell, kept = self._rows()[[r.code for r in self.question.rows].index(sub[0])]
        picked = [conj(kept, flag) for flag in cell.flags]
        return Sym.of([*zip(picked, map(Const, self.columns), strict=True), (neg(disj(*picked)), EMPTY)])

    def whole(self):
        return Whole(tuple(self.read((r.code,)) for r in self.question.rows))

    def answered(self):
        return disj(*(conj(kept, neg(cell.none())) for cell, kept in self._rows()))

    def checks(self):
        every = conj(*(z3.Implies(kept, neg(cell.none())) for cell, kept in self._rows()))
        return self._problems_free(every if self.question.mandatory else TRUE)

    def witness(self, model):
        out = {}
        for r, cell in zip(self.question.rows, self.cells, strict=True):
            picked = cell.picked(model)
            if picked is not None:
                out[r.code] = picked
        return out or None


def _number_var(name: str, integer: bool):
    return z3.Int(name) if integer else z3.Real(name)


def _as_real(x):
    return z3.ToReal(x) if x.is_int() else x


def _bounds(x, question) -> z3.BoolRef:
    parts = []
    if question.min is not None:
        parts.append(_as_real(x) >= real(question.min))
    if question.max is not None:
        parts.append(_as_real(x) <= real(question.max))
    return conj(*parts)


def _default_in_bounds(question) -> bool:
    """Bounds are part of an answer's type (asserted everywhere) unless the default,
    which a respondent never typed, lies outside them."""
    d = question.default
    return d is None or ((question.min is None or d >= question.min)
                         and (question.max is None or d <= question.max))


def model_number(value) -> int | float:
    """A z3 numeral as the JSON number an answers file holds."""
    if z3.is_int_value(value):
        return value.as_long()
    f = Fraction(value.as_fraction())
    return f.numerator if f.denominator == 1 else float(f)


class GridDomain(Domain):
    question: Grid

    def __init__(self, question, logic):
        super().__init__(question, logic)
        self.cells = {(r.code, c.code): (z3.Bool(f"{self.code}_{r.code}_{c.code}_empty"),
                                         _number_var(f"{self.code}_{r.code}_{c.code}", question.integer))
                      for r in question.rows for c in question.columns}

    @property
    def variables(self):
        return tuple(v for pair in self.cells.values() for v in pair)

    def rules(self):
        q = self.question
        offered = dict(zip((r.code for r in q.rows), _offered(self.logic, q, q.rows), strict=True))
        parts = []
        for (row, _), (empty, _number) in self.cells.items():
            parts.append(z3.Implies(neg(conj(self.shown, offered[row].formula)), empty))
        if not _default_in_bounds(q):
            parts.append(self._bounded())
        return Cond(conj(*parts), frozenset().union(*(o.reasons for o in offered.values())))

    def _bounded(self) -> z3.BoolRef:
        return conj(*(z3.Implies(neg(e), _bounds(x, self.question)) for e, x in self.cells.values()))

    def typed(self):
        return self._bounded() if _default_in_bounds(self.question) else TRUE

    def initial(self):
        d = self.question.default
        if d is None:
            return conj(*(e for e, _ in self.cells.values()))
        return conj(*(z3.And(neg(e), _as_real(x) == real(d)) for e, x in self.cells.values()))

    def _row_kept(self, row: str) -> z3.BoolRef:
        return conj(self.shown, self.logic.offered(self.code, row).formula)

    def read(self, sub):
        empty, x = self.cells[sub]
        kept = conj(self._row_kept(sub[0]), neg(empty))
        return Sym.of([(kept, Num(_as_real(x))), (neg(kept), EMPTY)])

    def whole(self):
        return Whole(tuple(self.read(key) for key in self.cells))

    def _row_cells(self, row: str) -> list[z3.BoolRef]:
        """Whether each cell of `row` holds a number."""
        return [neg(e) for (r, _), (e, _) in self.cells.items() if r == row]

    def answered(self):
        return disj(*(conj(self._row_kept(r.code), disj(*self._row_cells(r.code))) for r in self.question.rows))

    def checks(self):
        """A mandatory grid, once answered, needs every cell of every offered row
        (`Session._problems`: "fill in every box"), not just one cell a row."""
        q = self.question
        every = conj(*(z3.Implies(self._row_kept(r.code), conj(*self._row_cells(r.code))) for r in q.rows))
        return self._problems_free(every if q.mandatory else TRUE)

    def witness(self, model):
        out: dict = {}
        for (row, col), (empty, x) in self.cells.items():
            if holds(model, empty):
                if self.question.default is not None:
                    out.setdefault(row, {})[col] = None
            else:
                out.setdefault(row, {})[col] = model_number(model.eval(x, model_completion=True))
        return out or None


class NumberDomain(Domain):
    question: Number

    def __init__(self, question, logic):
        super().__init__(question, logic)
        self.empty = z3.Bool(f"{self.code}_empty")
        self.number = _number_var(self.code, question.integer)

    @property
    def variables(self):
        return (self.empty, self.number)

    def rules(self):
        hidden_blank = z3.Implies(neg(self.shown), self.empty)
        if _default_in_bounds(self.question):
            return Cond(hidden_blank)
        return Cond(conj(hidden_blank, self._bounded()))

    def _bounded(self) -> z3.BoolRef:
        return z3.Implies(neg(self.empty), _bounds(self.number, self.question))

    def typed(self):
        return self._bounded() if _default_in_bounds(self.question) else TRUE

    def initial(self):
        d = self.question.default
        return self.empty if d is None else z3.And(neg(self.empty), _as_real(self.number) == real(d))

    def read(self, sub):
        kept = self.answered()
        return Sym.of([(kept, Num(_as_real(self.number))), (neg(kept), EMPTY)])

    def answered(self):
        return conj(self.shown, neg(self.empty))

    def checks(self):
        return self._problems_free()

    def witness(self, model):
        if holds(model, self.empty):
            return None
        return model_number(model.eval(self.number, model_completion=True))


class TextDomain(Domain):
    """Free text, abstracted: empty, one of the strings the survey compares it
    with, a number, or any other text (`Text`)."""

    question: FreeText

    def __init__(self, question, logic):
        super().__init__(question, logic)
        self.literals = sorted(logic.literals(self.code))
        self.choice = z3.Int(self.code)
        self.number = z3.Real(f"{self.code}_number")
        self.numeric = len(self.literals) + 1
        self.other = len(self.literals) + 2

    @property
    def variables(self):
        return (self.choice, self.number)

    def typed(self):
        return z3.And(self.choice >= 0, self.choice <= self.other)

    @cached_property
    def examples(self) -> list[str]:
        """Strings its pattern accepts (none without a pattern)."""
        return examples(self.question.pattern) if self.question.pattern is not None else []

    @cached_property
    def typeable(self) -> bool:
        """Whether some text may be typed in: False when it is proved that none of at
        most `maxlength` characters matches the pattern."""
        q = self.question
        return q.pattern is None or not nothing_fits(q.pattern, q.max_length, self.logic.survey)

    @cached_property
    def sample(self) -> str | None:
        """Text that fits the question and is none of its literals nor a number, or
        None when the pattern gives no such example."""
        q = self.question
        candidates = self.examples if q.pattern is not None else [self.logic.free_word(q)]
        return next((t for t in candidates if as_number(t) is None and t not in self.literals
                     and (q.max_length is None or len(t) <= q.max_length)), None)

    def rules(self):
        """What may be stored: text typed to fit maxlength and pattern, or the
        default, which is never checked against them."""
        q = self.question
        parts = [z3.Implies(neg(self.shown), self.choice == 0)]
        if not self.typeable:
            parts.append(z3.Or(self.choice == 0, self.initial()))
            return Cond(conj(*parts))
        for i, lit in enumerate(self.literals, 1):
            if lit != q.default and ((q.max_length is not None and len(lit) > q.max_length) or
                                     (q.pattern is not None and not regex.fullmatch(q.pattern, lit))):
                parts.append(self.choice != i)
        reasons = set()
        if q.pattern is not None:
            reason = f"whether numbers typed in '{self.code}' can match its pattern"
            parts.append(z3.Implies(self.choice == self.numeric, self.logic.unknown(reason)))
            reasons.add(reason)
            if self.sample is None:
                reason = f"whether text typed in '{self.code}' can match its pattern"
                parts.append(z3.Implies(self.choice == self.other, self.logic.unknown(reason)))
                reasons.add(reason)
        if q.max_length is not None:
            reason = f"how long the numbers typed in '{self.code}' are"
            parts.append(z3.Implies(self.choice == self.numeric, self.logic.unknown(reason)))
            reasons.add(reason)
        return Cond(conj(*parts), frozenset(reasons))

    def _number_text(self, n) -> str:
        """The number as typed: plainly, or zero-padded when the pattern wants digits."""
        pattern = self.question.pattern
        if pattern is None:
            return str(n)
        candidates = [str(n), *(f"{n:0{w}d}" for w in range(2, 13) if isinstance(n, int) and n >= 0)]
        candidates += [t for t in examples(pattern) if as_number(t) == n]
        return next((t for t in candidates if regex.fullmatch(pattern, t)), str(n))

    def preferred(self):
        if not self.question.mandatory:
            return self.choice == 0
        # text the pattern surely accepts, else a number typed to fit it
        return self.choice != (self.numeric if self.sample is not None else self.other)

    def initial(self):
        d = self.question.default
        if d is None:
            return self.choice == 0
        if d in self.literals:
            return self.choice == self.literals.index(d) + 1
        return z3.And(self.choice == self.numeric, self.number == real(Fraction(d.strip())))

    def read(self, sub):
        cases = [(conj(self.shown, self.choice == i), Const(lit))
                 for i, lit in enumerate(self.literals, 1)]
        cases.append((conj(self.shown, self.choice == self.numeric), Num(self.number)))
        cases.append((conj(self.shown, self.choice == self.other), Text(self.code)))
        cases.append((neg(self.answered()), EMPTY))
        return Sym.of(cases)

    def answered(self):
        return conj(self.shown, self.choice != 0)

    def checks(self):
        return self._problems_free()

    def witness(self, model):
        i = model.eval(self.choice, model_completion=True).as_long()
        if i == 0:
            return None
        if i <= len(self.literals):
            return self.literals[i - 1]
        if i == self.numeric:
            return self._number_text(model_number(model.eval(self.number, model_completion=True)))
        return self.sample if self.sample is not None else self.logic.free_word(self.question)


def domain_of(question: Question, logic) -> Domain:
    match question:
        case SingleChoice():
            return SingleDomain(question, logic)
        case MultipleChoice():
            return MultipleDomain(question, logic)
        case Array():
            return ArrayDomain(question, logic)
        case Grid():
            return GridDomain(question, logic)
        case Number():
            return NumberDomain(question, logic)
        case FreeText():
            return TextDomain(question, logic)
    return Domain(question, logic)
