"""`single`: one answer among options.

Also home of `OptionsQuestion`, what every question with options has (a multiple
choice too), and of the helpers the choice kinds share.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qengine.errors import close_or_listed
from qengine.expr.values import MAX_NUMBER, as_text, is_number
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.domain import Domain
from qengine.kinds.samples import NOT_A_CODE, Decisions, Invalid, Texts, hidden
from qengine.model import Option, Question, Text

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym
    from qengine.runtime.session import Choice, QuestionView


@attrs.frozen(kw_only=True)
class OptionsQuestion(Question):
    """A question answered by ticking among options."""

    options: tuple[Option, ...] = ()

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def items(self) -> tuple[Option, ...]:
        return self.options

    @property
    def texts(self) -> Iterator[Text]:
        yield from super().texts
        for o in self.options:
            yield o.label


@attrs.frozen(kw_only=True)
class SingleChoice(OptionsQuestion):
    kind: str = "single"
    default: str | None = None


def code_of(x: Any) -> str | None:
    """An option, row or column code as given: a string, or a whole number for the
    codes written with digits (`scale 1 to 5`, `column 3`)."""
    if isinstance(x, str):
        return x
    if is_number(x) and x == int(x):
        return str(int(x))
    return None


def code_forms(code: str) -> list[Any]:
    """The ways an answer may give a code in JSON: as written, and as a whole
    number when it is written with digits (`scale 1 to 5`)."""
    if code.isascii() and code.isdigit() and str(int(code)) == code and int(code) <= MAX_NUMBER:
        return [code, int(code)]
    return [code]


def codes_enum(items: Sequence[Any]) -> dict[str, Any]:
    return {"enum": [form for i in items for form in code_forms(i.code)]}


def label_of(choices: Sequence[Choice], code: Any) -> str:
    """The label a respondent reads for `code` now (the code itself if not shown)."""
    return next((c.label for c in choices if c.code == code), as_text(code))


def not_an_option(q: OptionsQuestion, given: Any) -> MalformedAnswer:
    return MalformedAnswer(q.code, f"{short_repr(given)} is not an option; options: "
                           + ", ".join(o.code for o in q.options))


def needs_options(kind: Kind, s: Statements) -> None:
    """E205 for a choice without options."""
    if not s.options:
        s.report("E205", f"{kind.word()} needs options", s.code_span, "add a line '- code \"label\"' for each choice")


class SingleKind(Kind):
    name = "single"
    model = SingleChoice
    words = {"en": "a single-choice question", "fr": "une question à choix unique"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "option", "default"})
    shape = "choice"
    widget = Widget("choice")
    seconds = (2, 5)

    def build(self, s: Statements) -> Question | None:
        needs_options(self, s)
        default = s.single.get("default")
        default = None if default is None else str(default)
        codes = [o.code for o in s.options]
        if default is not None and default not in codes:
            s.report("E216", f"the default '{default}' is not an option of '{s.code}'", s.where["default"],
                     close_or_listed(default, codes, "options"))
        return SingleChoice(**s.common, options=tuple(s.options), default=default)

    def codes(self, q: Any, sub: tuple[str, ...]) -> list[str] | None:
        return None if sub else [o.code for o in q.options]

    # ------------------------------------------------------------ answers
    def coerce(self, q: Any, raw: Any) -> Any:
        value = code_of(raw)
        if value is None:
            raise MalformedAnswer(q.code, f"expected an option code (a string), got {short_repr(raw)}")
        if q.option(value) is None:
            raise not_an_option(q, value)
        return value

    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        from qengine.runtime.messages import message

        return None if value in offered else message(language, "not_offered", value=value)

    def initial(self, q: Any) -> Any:
        return q.default

    def json_schema(self, q: Any) -> dict[str, Any]:
        return codes_enum(q.options)

    def filtered(self, q: Any, value: Any, offered: set[str]) -> Any:
        return value if value in offered else None

    def shown(self, q: Any, value: Any, sub: tuple[str, ...], view: QuestionView) -> str:
        return label_of(view.options, value)

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> Domain:
        return SingleDomain(q, tools)

    # ------------------------------------------------------------ samples
    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        return view.options[dec.below(len(view.options))].code if view.options else None

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        return [Invalid("a value of the wrong shape", [NOT_A_CODE]), Invalid("not an option", NOT_A_CODE),
                *(Invalid("an option not offered now", c) for c in hidden(q.options, view.options)[:1])]

    def well_formed(self, q: Any) -> Any:
        return q.options[0].code if q.options else None

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        return [o.code for o in view.options]

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        return (said(language, {"en": "Please choose only one of the following:",
                                "fr": "Veuillez sélectionner une seule des propositions suivantes :"}),)


class SingleDomain(Domain):
    """One option or none, as one boolean per option (`Toolkit.OneOf`)."""

    question: SingleChoice

    def __init__(self, question: SingleChoice, tools: Any):
        super().__init__(question, tools)
        self.codes = [o.code for o in question.options]
        self.choice = tools.OneOf(self.code, self.codes)

    @property
    def variables(self) -> tuple[Any, ...]:
        return tuple(self.choice.flags)

    def typed(self) -> z3.BoolRef:
        return self.choice.typed()

    def rules(self) -> Cond:
        t = self.tools
        offered = self.offered(self.question.options)
        parts = [t.z3.Implies(t.neg(self.shown), self.choice.none())]
        reasons: set[str] = set()
        for flag, o in zip(self.choice.flags, offered, strict=True):
            if o.formula is not t.TRUE:
                parts.append(t.z3.Implies(flag, o.formula))
                reasons |= o.reasons
        return t.Cond(t.conj(*parts), frozenset(reasons))

    def initial(self) -> z3.BoolRef:
        return self.choice.only(self.question.default)

    def _picked(self) -> list[z3.BoolRef]:
        offered = self.offered(self.question.options)
        return [self.tools.conj(self.shown, flag, o.formula)
                for flag, o in zip(self.choice.flags, offered, strict=True)]

    def read(self, sub: tuple[str, ...]) -> Sym:
        t = self.tools
        return t.Sym.of([*zip(self._picked(), map(t.Const, self.codes), strict=True),
                         (t.neg(self.answered()), t.EMPTY)])

    def answered(self) -> z3.BoolRef:
        return self.tools.disj(*self._picked())

    def checks(self) -> Cond:
        return self.problems_free()

    def witness(self, model: z3.ModelRef) -> Any:
        return self.choice.picked(model)

    def alternatives(self) -> list[list[tuple[Any, Any]]]:
        t = self.tools
        return [[(f, t.TRUE if f is flag else t.FALSE) for f in self.choice.flags] for flag in self.choice.flags]
