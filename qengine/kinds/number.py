"""`integer` and `decimal`: one number, within bounds, between a prefix and a suffix.

Also home of what every kind answered with numbers shares (a grid's cells too):
what a number an answer may hold is, its bounds and their messages.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from qengine.expr.values import MAX_NUMBER, as_text, is_number
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.domain import Domain
from qengine.kinds.samples import Decisions, Invalid, Texts, bad_numbers, bounds, number, numbers, some_number
from qengine.model import Question, Text

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym
    from qengine.runtime.session import QuestionView


@attrs.frozen(kw_only=True)
class Number(Question):
    kind: str = "integer"
    integer: bool = True
    min: int | float | None = None
    max: int | float | None = None
    prefix: Text | None = None
    suffix: Text | None = None
    default: int | float | None = None

    @property
    def texts(self) -> Iterator[Text]:
        yield from super().texts
        for t in (self.prefix, self.suffix):
            if t is not None:
                yield t


def number_problem(x: Any) -> str | None:
    """Why `x` is not a number an answer may hold, or None."""
    if is_number(x):
        return None
    if isinstance(x, int | float) and not isinstance(x, bool):
        return f"expected a number from -{MAX_NUMBER:,} to {MAX_NUMBER:,}, got {short_repr(x)}"
    return f"expected a number, got {short_repr(x)}"


def number_schema(q: Any) -> dict[str, Any]:
    """The JSON Schema of a number within `q`'s bounds (and an answer's)."""
    low = max(q.min, -MAX_NUMBER) if q.min is not None else -MAX_NUMBER
    high = min(q.max, MAX_NUMBER) if q.max is not None else MAX_NUMBER
    return {"type": "integer" if q.integer else "number", "minimum": low, "maximum": high}


def out_of_bounds(q: Any, value: Any, language: str) -> str | None:
    """The message for a number `q` does not take: a fraction for a whole number,
    or beyond its bounds."""
    from qengine.runtime.messages import message

    if q.integer and not float(value).is_integer():
        return message(language, "not_integer")
    if q.min is not None and value < q.min:
        return message(language, "below_min", n=as_text(q.min))
    if q.max is not None and value > q.max:
        return message(language, "above_max", n=as_text(q.max))
    return None


def numeric_default(s: Statements) -> int | float | None:
    """The default of a question of numbers: E206 when it is not a number."""
    value = s.single.get("default")
    if value is None or isinstance(value, int | float):
        return value
    s.report("E206", f"the default of '{s.code}' must be a number", s.where["default"], None)
    return None


def default_in_bounds(q: Any) -> bool:
    """Bounds are part of an answer's type (asserted everywhere) unless the default,
    which a respondent never typed, lies outside them."""
    d = q.default
    return d is None or ((q.min is None or d >= q.min) and (q.max is None or d <= q.max))


class IntegerKind(Kind):
    name = "integer"
    model = Number
    words = {"en": "an integer question", "fr": "une question de nombre entier"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "min", "max", "prefix", "suffix",
                            "default"})
    shape = "number"
    widget = Widget("number")
    integer: ClassVar[bool] = True

    def build(self, s: Statements) -> Question | None:
        return self.model(**s.common, integer=self.integer, min=s.single.get("min"), max=s.single.get("max"),
                          prefix=s.single.get("prefix"), suffix=s.single.get("suffix"), default=numeric_default(s))

    def numeric(self, q: Any, sub: tuple[str, ...]) -> bool:
        return not sub

    # ------------------------------------------------------------ answers
    def coerce(self, q: Any, raw: Any) -> Any:
        problem = number_problem(raw)
        if problem:
            raise MalformedAnswer(q.code, problem)
        return int(raw) if isinstance(raw, float) and raw.is_integer() and q.integer else raw

    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        return out_of_bounds(q, value, language)

    def initial(self, q: Any) -> Any:
        return q.default

    def json_schema(self, q: Any) -> dict[str, Any]:
        return number_schema(q)

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> Domain:
        return NumberDomain(q, tools)

    # ------------------------------------------------------------ samples
    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        lo, hi = bounds(view, q.integer)
        return number(lo, hi, q.integer, dec) if lo <= hi else None

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        return [Invalid("a value of the wrong shape", "12"),
                *(Invalid(reason, v) for reason, v in bad_numbers(view, q.integer)),
                Invalid("not a finite number", math.nan)]

    def well_formed(self, q: Any) -> Any:
        return some_number(q.min, q.integer)

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        return numbers(view, q.integer)

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        whole, any_number, write = said(language, {
            "en": ("Only whole numbers may be entered in this field.", "Only numbers may be entered in this field.",
                   "Please write your answer here:"),
            "fr": ("Seul un nombre entier peut être inscrit dans ce champ.",
                   "Seul un nombre peut être inscrit dans ce champ.", "Veuillez écrire votre réponse ici :")})
        return (whole if q.integer else any_number, write)

    def answer_check(self, q: Any) -> dict[str, Any]:
        return {"integer": q.integer, "min": q.min, "max": q.max}


class DecimalKind(IntegerKind):
    name = "decimal"
    words = {"en": "a decimal question", "fr": "une question de nombre décimal"}
    integer = False


class NumberDomain(Domain):
    """Whether the answer is empty, and its number."""

    question: Number

    def __init__(self, question: Number, tools: Any):
        super().__init__(question, tools)
        self.empty = tools.z3.Bool(f"{self.code}_empty")
        self.number = tools.number(self.code, question.integer)

    @property
    def variables(self) -> tuple[Any, ...]:
        return (self.empty, self.number)

    def rules(self) -> Cond:
        t = self.tools
        hidden_blank = t.z3.Implies(t.neg(self.shown), self.empty)
        if default_in_bounds(self.question):
            return t.Cond(hidden_blank)
        return t.Cond(t.conj(hidden_blank, self._bounded()))

    def _bounded(self) -> z3.BoolRef:
        t, q = self.tools, self.question
        return t.z3.Implies(t.neg(self.empty), t.within(self.number, q.min, q.max))

    def typed(self) -> z3.BoolRef:
        return self._bounded() if default_in_bounds(self.question) else self.tools.TRUE

    def initial(self) -> z3.BoolRef:
        t, d = self.tools, self.question.default
        return self.empty if d is None else t.z3.And(t.neg(self.empty), t.as_real(self.number) == t.real(d))

    def read(self, sub: tuple[str, ...]) -> Sym:
        t = self.tools
        kept = self.answered()
        return t.Sym.of([(kept, t.Num(t.as_real(self.number))), (t.neg(kept), t.EMPTY)])

    def answered(self) -> z3.BoolRef:
        return self.tools.conj(self.shown, self.tools.neg(self.empty))

    def checks(self) -> Cond:
        return self.problems_free()

    def witness(self, model: z3.ModelRef) -> Any:
        t = self.tools
        if t.holds(model, self.empty):
            return None
        return t.model_number(model.eval(self.number, model_completion=True))
