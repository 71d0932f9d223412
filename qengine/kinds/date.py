"""`date`: a calendar date, written `YYYY-MM-DD`, between optional bounds.

The answer is stored as that text (ISO 8601), and expressions read it as text:
two dates compare in calendar order because the text does (`d >= "2024-01-01"`).
The kind is a text question whose pattern is the ISO form, with its own checks (a
real date: no 30 February) and bounds that are dates too (`min "2024-01-01"`).
"""

from __future__ import annotations

import datetime
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from qengine.kinds.base import Statements, Widget, said
from qengine.kinds.samples import Decisions, Invalid, Texts
from qengine.kinds.text import FreeText, TextDomain, TextKind
from qengine.model import Question

if TYPE_CHECKING:
    from qengine.lint.constraints import Cond
    from qengine.runtime.session import QuestionView

#: The form of a date (a real date is checked beyond it: `parse_date`).
ISO_DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_ISO = re.compile(ISO_DATE)
#: The dates a question without bounds takes.
FIRST, LAST = datetime.date(1, 1, 1), datetime.date(9999, 12, 31)


def parse_date(text: Any) -> datetime.date | None:
    """The date `text` writes as `YYYY-MM-DD`, or None (another form, or no such day)."""
    if not isinstance(text, str) or not _ISO.fullmatch(text):
        return None
    try:
        return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None


@attrs.frozen(kw_only=True)
class DateQuestion(FreeText):
    kind: str = "date"
    min: str | None = None
    max: str | None = None

    @property
    def first(self) -> datetime.date:
        return parse_date(self.min) or FIRST

    @property
    def last(self) -> datetime.date:
        return parse_date(self.max) or LAST


class DateKind(TextKind):
    name = "date"
    model = DateQuestion
    words = {"en": "a date question", "fr": "une question de date"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "min", "max", "default"})
    widget = Widget("text", input_type="date")
    seconds = (5, 15)
    text_bounds: ClassVar[bool] = True  # `min "2024-01-01"`, not a number

    def build(self, s: Statements) -> Question | None:
        given = {}
        for key in ("min", "max", "default"):
            value = s.single.get(key)
            if value is not None and parse_date(value) is None:
                s.report("E200", f"the {key} of '{s.code}' must be a date written \"YYYY-MM-DD\", "
                         f"not {value!r}", s.where[key], f'for example: {key} "2024-01-31"')
                value = None
            given[key] = value
        return self.model(**s.common, min=given["min"], max=given["max"], default=given["default"])

    # ------------------------------------------------------------ answers
    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        from qengine.runtime.messages import message

        if parse_date(value) is None:
            return message(language, "not_date")
        if q.min is not None and value < q.min:
            return message(language, "date_min", n=q.min)
        if q.max is not None and value > q.max:
            return message(language, "date_max", n=q.max)
        return None

    def json_schema(self, q: Any) -> dict[str, Any]:
        """A date's form and `format: date` (which validators assert on request: it
        refuses a 30 February); the bounds as `formatMinimum`/`formatMaximum`
        (an extension that validators such as ajv's read; others ignore them)."""
        body: dict[str, Any] = {"type": "string", "format": "date", "pattern": f"\\A{ISO_DATE}\\Z"}
        if q.min is not None:
            body["formatMinimum"] = q.min
        if q.max is not None:
            body["formatMaximum"] = q.max
        return body

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> DateDomain:
        return DateDomain(q, tools)

    # ------------------------------------------------------------ samples
    def pattern(self, q: Any) -> str | None:
        return None  # samples are drawn as days, not from a pattern (see valid_answer)

    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        first, last = q.first, q.last
        if first > last:
            return None
        span = (last - first).days + 1
        # the plainest date: the first one allowed, or 2000-01-01 when it is allowed
        plain = datetime.date(2000, 1, 1)
        base = plain if first <= plain <= last else first
        day = first + datetime.timedelta(days=((base - first).days + dec.below(span)) % span)
        return day.isoformat()

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        out = [Invalid("a value of the wrong shape", 20240131),
               Invalid("not a date", "2023-02-29"), Invalid("not of the form YYYY-MM-DD", "31/01/2024")]
        if q.min is not None and q.first > FIRST:
            out.append(Invalid("before the first date allowed", (q.first - datetime.timedelta(days=1)).isoformat()))
        if q.max is not None and q.last < LAST:
            out.append(Invalid("after the last date allowed", (q.last + datetime.timedelta(days=1)).isoformat()))
        return out

    def well_formed(self, q: Any) -> Any:
        return (q.min or "2000-01-01") if q.first <= q.last else "2000-01-01"

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        if q.first > q.last:
            return []
        return sorted({q.first.isoformat(), q.last.isoformat()})

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        first = said(language, {"en": "Please write a date (YYYY-MM-DD):",
                                "fr": "Veuillez écrire une date (AAAA-MM-JJ) :"})
        if q.min is not None and q.max is not None:
            bounds = said(language, {"en": f"from {q.min} to {q.max}", "fr": f"du {q.min} au {q.max}"})
        elif q.min is not None:
            bounds = said(language, {"en": f"on or after {q.min}", "fr": f"le {q.min} ou après"})
        elif q.max is not None:
            bounds = said(language, {"en": f"on or before {q.max}", "fr": f"le {q.max} ou avant"})
        else:
            return (first,)
        return (first, bounds)

    def answer_check(self, q: Any) -> dict[str, Any]:
        return {"date": True, "min": q.min, "max": q.max, "maxLength": None, "pattern": None}


class DateDomain(TextDomain):
    """A date, abstracted as a text is (`TextDomain`): empty, one of the strings the
    survey compares it with, or another date (`Text`). Exact about what may be
    stored: a literal is possible when it is a date within the bounds, "another
    date" when the bounds hold a date that is none of the literals, a number never
    (no number is written `YYYY-MM-DD`). The order of two dates read as `Text` is
    what the text abstraction makes of it."""

    question: DateQuestion

    @cached_property
    def examples(self) -> list[str]:
        q = self.question
        if q.first > q.last:
            return []
        days = (q.last - q.first).days
        picks = [q.first + datetime.timedelta(days=d) for d in range(min(days + 1, len(self.literals) + 3))]
        return [d.isoformat() for d in picks] + [q.last.isoformat()]

    @cached_property
    def typeable(self) -> bool:
        return self.question.first <= self.question.last

    @cached_property
    def sample(self) -> str | None:
        return next((t for t in self.examples if t not in self.literals), None)

    def _fits(self, text: str) -> bool:
        q = self.question
        day = parse_date(text)
        return day is not None and q.first <= day <= q.last

    def rules(self) -> Cond:
        t, q = self.tools, self.question
        parts = [t.z3.Implies(t.neg(self.shown), self.choice == 0)]
        if not self.typeable:
            parts.append(t.z3.Or(self.choice == 0, self.initial()))
            return t.Cond(t.conj(*parts))
        for i, lit in enumerate(self.literals, 1):
            if lit != q.default and not self._fits(lit):
                parts.append(self.choice != i)
        parts.append(self.choice != self.numeric)
        if self.sample is None and (q.default is None or q.default in self.literals):
            parts.append(self.choice != self.other)
        return t.Cond(t.conj(*parts))

    def preferred(self) -> Any:
        if not self.question.mandatory:
            return self.choice == 0
        return self.tools.TRUE

    def initial(self) -> Any:
        d = self.question.default
        if d is None:
            return self.choice == 0
        if d in self.literals:
            return self.choice == self.literals.index(d) + 1
        return self.choice == self.other  # a date none of the literals: read as text

    def witness(self, model: Any) -> Any:
        i = model.eval(self.choice, model_completion=True).as_long()
        if i == 0:
            return None
        if i <= len(self.literals):
            return self.literals[i - 1]
        return self.sample if self.sample is not None else self.question.default
