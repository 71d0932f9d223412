"""`multiple`: any number of options, some of them exclusive, within tick bounds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qengine.errors import close_or_listed
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.domain import Domain
from qengine.kinds.samples import NOT_A_CODE, Decisions, Invalid, Texts, hidden
from qengine.kinds.single import (
    OptionsQuestion,
    code_forms,
    code_of,
    codes_enum,
    label_of,
    needs_options,
    not_an_option,
)
from qengine.model import Question

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym, Whole
    from qengine.runtime.session import Choice, QuestionView


@attrs.frozen(kw_only=True)
class MultipleChoice(OptionsQuestion):
    kind: str = "multiple"
    min: int | None = None  # fewest ticks when answered
    max: int | None = None  # most ticks


class MultipleKind(Kind):
    name = "multiple"
    model = MultipleChoice
    words = {"en": "a multiple-choice question", "fr": "une question à choix multiples"}
    #: "exclusive" is said of options: `- none "None" exclusive`
    attributes = frozenset({"mandatory", "condition", "help", "validate", "option", "exclusive", "min", "max"})
    shape = "choices"
    widget = Widget("choices")
    seconds = (3, 8)

    def build(self, s: Statements) -> Question | None:
        needs_options(self, s)
        return MultipleChoice(**s.common, options=tuple(s.options), min=s.single.get("min"),
                              max=s.single.get("max"))

    # ------------------------------------------------------------ variables
    def parts(self, q: Any) -> Iterable[tuple[str, ...]]:
        return ((o.code,) for o in q.options)

    def part_problem(self, q: Any, name: str, parts: tuple[str, ...]) -> tuple[str, str, str | None]:
        return ("E212", f"'{q.code}' has no option '{parts[0]}'",
                close_or_listed(parts[0], [o.code for o in q.options], "options"))

    def codes(self, q: Any, sub: tuple[str, ...]) -> list[str] | None:
        return ["Y"] if sub else None

    def whole_problem(self, q: Any, attr: str) -> tuple[str, str] | None:
        if attr != "value":
            return None
        first = q.options[0].code if q.options else "option"
        return (f"'{q.code}' is {self.word()}: it has no single value",
                f"read one option ({q.code}_{first} is \"Y\" when ticked), or count({q.code}) / is_empty({q.code})")

    # ------------------------------------------------------------ answers
    def coerce(self, q: Any, raw: Any) -> Any:
        if not isinstance(raw, list | tuple):
            raise MalformedAnswer(q.code, f"expected a list of option codes, got {short_repr(raw)}")
        ticked = set()
        for item in raw:
            value = code_of(item)
            if value is None or q.option(value) is None:
                raise not_an_option(q, item)
            if value in ticked:
                raise MalformedAnswer(q.code, f"option {short_repr(value)} is given twice")
            ticked.add(value)
        return tuple(o.code for o in q.options if o.code in ticked) or None

    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        from qengine.runtime.messages import message

        for v in value:
            if v not in offered:
                return message(language, "not_offered", value=v)
        if q.max is not None and len(value) > q.max:
            return message(language, "max_ticks", n=q.max)
        if len(value) > 1:
            for v in value:
                option = q.option(v)
                if option.exclusive:
                    return message(language, "exclusive", label=option.label.plain.strip())
        return None

    def lacks(self, q: Any, value: Any, rows: Sequence[Choice], language: str) -> list[str]:
        from qengine.runtime.messages import message

        return [message(language, "min_ticks", n=q.min)] if q.min is not None and len(value) < q.min else []

    def to_json(self, q: Any, value: Any) -> Any:
        return list(value)

    def json_schema(self, q: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "array", "items": codes_enum(q.options), "uniqueItems": True}
        if q.max is not None:
            body["maxItems"] = q.max
        rules: list[dict[str, Any]] = []
        for o in q.options:
            forms = code_forms(o.code)
            if len(forms) > 1:  # "1" and 1 are the same option, given twice
                rules.append({"not": {"allOf": [{"contains": {"const": f}} for f in forms]}})
            if o.exclusive:
                rules.append({"if": {"contains": {"enum": forms}}, "then": {"maxItems": 1}})
        if rules:
            body["allOf"] = rules
        return body

    def filtered(self, q: Any, value: Any, offered: set[str]) -> Any:
        return tuple(v for v in value if v in offered) or None

    def read(self, q: Any, value: Any, sub: tuple[str, ...]) -> Any:
        return "Y" if sub[0] in value else None

    def shown(self, q: Any, value: Any, sub: tuple[str, ...], view: QuestionView) -> str:
        if sub:
            return label_of(view.options, sub[0])
        return ", ".join(label_of(view.options, v) for v in value)

    def whole_answer(self, q: Any, given: Any, sub: tuple[str, ...], value: Any) -> Any:
        ticked = set(given or ())
        (ticked.add if value not in (None, "", False) else ticked.discard)(sub[0])
        return sorted(ticked)

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> Domain:
        return MultipleDomain(q, tools)

    # ------------------------------------------------------------ samples
    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        plain, exclusive, lo, hi = _ticks(view)
        if lo > hi:
            plain = ()
        if exclusive and (not plain or dec.rare(32)):
            return [exclusive[dec.below(len(exclusive))]]
        if not plain:
            return None
        chosen = [c for c in plain if dec.rare(128)]
        return _fit_ticks(plain, chosen, lo, hi)

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        out = [Invalid("a value of the wrong shape", NOT_A_CODE), Invalid("not an option", [NOT_A_CODE])]
        out += [Invalid("an option not offered now", [c]) for c in hidden(q.options, view.options)[:1]]
        plain, exclusive, _, _ = _ticks(view)
        if view.max is not None and len(plain) > view.max:
            out.append(Invalid("too many ticks", list(plain[: int(view.max) + 1])))
        if exclusive and plain:
            out.append(Invalid("an exclusive option with another", [exclusive[0], plain[0]]))
        return out

    def well_formed(self, q: Any) -> Any:
        return [q.options[0].code] if q.options else None

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        plain, exclusive, lo, hi = _ticks(view)
        out: list[Any] = [[c] for c in exclusive]
        if plain and lo <= hi:
            out += [_fit_ticks(plain, [c], lo, hi) for c in plain]
            out.append(list(plain[:hi]))
        return out

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        return said(language, {"en": ("Check any that apply", "Please choose all that apply:"),
                               "fr": ("Cochez la ou les réponses",
                                      "Veuillez choisir toutes les réponses qui conviennent :")})

    def answer_check(self, q: Any) -> dict[str, Any]:
        return {"min": q.min, "max": q.max}


def _ticks(view: QuestionView) -> tuple[tuple[str, ...], tuple[str, ...], int, int]:
    """Plain and exclusive option codes, and the allowed number of plain ticks."""
    plain = tuple(o.code for o in view.options if not o.exclusive)
    exclusive = tuple(o.code for o in view.options if o.exclusive)
    lo = max(int(view.min or 1), 1)  # tick counts: whole numbers (a view's bounds are numbers)
    hi = len(plain) if view.max is None else min(int(view.max), len(plain))
    return plain, exclusive, lo, hi


def _fit_ticks(plain: Sequence[str], chosen: list[str], lo: int, hi: int) -> list[str]:
    """Trim `chosen` to `hi` ticks, or top it up to `lo` with the first options."""
    chosen = chosen[:hi]
    for c in plain:
        if len(chosen) >= lo:
            break
        if c not in chosen:
            chosen.append(c)
    return [c for c in plain if c in chosen]


class MultipleDomain(Domain):
    """One boolean a tick."""

    question: MultipleChoice

    def __init__(self, question: MultipleChoice, tools: Any):
        super().__init__(question, tools)
        self.ticks = [tools.z3.Bool(f"{self.code}_{o.code}") for o in question.options]

    @property
    def variables(self) -> tuple[Any, ...]:
        return tuple(self.ticks)

    def rules(self) -> Cond:
        t = self.tools
        offered = self.offered(self.question.options)
        parts = [t.z3.Implies(t.neg(self.shown), t.conj(*map(t.neg, self.ticks)))]
        reasons: set[str] = set()
        for tick, o in zip(self.ticks, offered, strict=True):
            if o.formula is not t.TRUE:
                parts.append(t.z3.Implies(tick, o.formula))
                reasons |= o.reasons
        return t.Cond(t.conj(*parts), frozenset(reasons))

    def typed(self) -> z3.BoolRef:
        t = self.tools
        parts = []
        if self.question.max is not None:
            parts.append(t.at_most(self.ticks, self.question.max))
        for tick, o in zip(self.ticks, self.question.options, strict=True):
            if o.exclusive:
                parts.append(t.z3.Implies(tick, t.conj(*(t.neg(u) for u in self.ticks if u is not tick))))
        return t.conj(*parts)

    def initial(self) -> z3.BoolRef:
        return self.tools.conj(*map(self.tools.neg, self.ticks))

    def _kept(self) -> list[z3.BoolRef]:
        offered = self.offered(self.question.options)
        return [self.tools.conj(self.shown, tick, o.formula) for tick, o in zip(self.ticks, offered, strict=True)]

    def read(self, sub: tuple[str, ...]) -> Sym:
        t = self.tools
        kept = self._kept()[[o.code for o in self.question.options].index(sub[0])]
        return t.Sym.of([(kept, t.Const("Y")), (t.neg(kept), t.EMPTY)])

    def whole(self) -> Whole:
        return self.tools.Whole(tuple(self.read((o.code,)) for o in self.question.options))

    def answered(self) -> z3.BoolRef:
        return self.tools.disj(*self._kept())

    def checks(self) -> Cond:
        q = self.question
        return self.problems_free(self.tools.at_least(self._kept(), q.min) if q.min is not None else None)

    def witness(self, model: z3.ModelRef) -> Any:
        ticked = [o.code for tick, o in zip(self.ticks, self.question.options, strict=True)
                  if self.tools.holds(model, tick)]
        return ticked or None

    def possible(self, offered: list[z3.BoolRef]) -> z3.BoolRef:
        """Some non-blank set of offered ticks fits min, max and exclusive options."""
        t, q = self.tools, self.question
        need = max(q.min or 1, 1)
        if q.max is not None and need > q.max:
            plain = t.FALSE
        else:
            plain = t.at_least([f for f, o in zip(offered, q.options, strict=True) if not o.exclusive], need)
        alone = [f for f, o in zip(offered, q.options, strict=True) if o.exclusive] if need <= 1 else []
        return t.disj(plain, *alone)
