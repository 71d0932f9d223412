"""What kinds build their solver domain with: `Kind.domain(question, Toolkit(logic))`.

Kind modules never import z3 (loading a survey must not pay for the solver); lint
hands them this object instead: the solver module itself, the constraint helpers
of `qengine.lint.constraints`, and a few building blocks the built-in domains
share. A third-party kind's domain uses the same, and `qengine.kinds.domain.Domain`
as its base.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, TypeAlias

import z3

from qengine.lint import constraints
from qengine.lint.patterns import nothing_fits


class OneOf:
    """A choice of at most one of n codes, as n booleans: comparisons with codes
    become plain literals, which the solver handles far better than integers."""

    def __init__(self, name: str, codes: list[str]):
        self.codes = codes
        self.flags = [z3.Bool(f"{name}={c}") for c in codes]

    def typed(self) -> z3.BoolRef:
        return z3.AtMost(*self.flags, 1) if len(self.flags) > 1 else constraints.TRUE

    def none(self) -> z3.BoolRef:
        return constraints.conj(*map(constraints.neg, self.flags))

    def only(self, code: str | None) -> z3.BoolRef:
        return constraints.conj(*(f if c == code else constraints.neg(f)
                                  for c, f in zip(self.codes, self.flags, strict=True)))

    def picked(self, model: z3.ModelRef) -> str | None:
        return next((c for c, f in zip(self.codes, self.flags, strict=True) if constraints.holds(model, f)), None)


def model_number(value: Any) -> int | float:
    """A z3 numeral as the JSON number an answers file holds."""
    if z3.is_int_value(value):
        return value.as_long()
    f = Fraction(value.as_fraction())
    return f.numerator if f.denominator == 1 else float(f)


# z3's types as the class's annotations name them (its `z3` attribute hides the module there)
_ArithRef: TypeAlias = "z3.ArithRef"
_BoolRef: TypeAlias = "z3.BoolRef"


class Toolkit:
    """The solver and lint's helpers, for the domains of one survey's questions."""

    z3 = z3
    TRUE, FALSE, ALWAYS, EMPTY = constraints.TRUE, constraints.FALSE, constraints.ALWAYS, constraints.EMPTY
    Cond, Const, Num, Sym, Text, Whole = (constraints.Cond, constraints.Const, constraints.Num, constraints.Sym,
                                          constraints.Text, constraints.Whole)
    OneOf = OneOf
    conj = staticmethod(constraints.conj)
    disj = staticmethod(constraints.disj)
    neg = staticmethod(constraints.neg)
    holds = staticmethod(constraints.holds)
    real = staticmethod(constraints.real)
    at_least = staticmethod(constraints.at_least)
    at_most = staticmethod(constraints.at_most)
    condition = staticmethod(constraints.condition)
    model_number = staticmethod(model_number)

    def __init__(self, logic: Any):
        #: the survey's `qengine.lint.logic.SurveyLogic`: shown(code), offered(code,
        #: item), literals(code), unknown(reason), free_word(question), survey
        self.logic = logic

    @staticmethod
    def number(name: str, integer: bool) -> _ArithRef:
        """A solver number: an integer or a real."""
        return z3.Int(name) if integer else z3.Real(name)

    @staticmethod
    def as_real(x: _ArithRef) -> _ArithRef:
        return z3.ToReal(x) if x.is_int() else x

    def within(self, x: _ArithRef, low: Any, high: Any) -> _BoolRef:
        """`x` lies between the bounds that are not None."""
        parts = []
        if low is not None:
            parts.append(self.as_real(x) >= self.real(low))
        if high is not None:
            parts.append(self.as_real(x) <= self.real(high))
        return self.conj(*parts)

    def nothing_fits(self, pattern: str, limit: int | None) -> bool:
        """Proved: no text of at most `limit` characters matches `pattern`."""
        return nothing_fits(pattern, limit, self.logic.survey)
