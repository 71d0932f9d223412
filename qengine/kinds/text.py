"""`text` and `longtext`: free text, within a length and matching a pattern."""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from qengine.expr import regex
from qengine.expr.values import MAX_TEXT, as_number
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.domain import Domain
from qengine.kinds.samples import Decisions, Invalid, Texts, texts_matching
from qengine.model import Question

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym
    from qengine.runtime.session import QuestionView


@attrs.frozen(kw_only=True)
class FreeText(Question):
    kind: str = "text"
    long: bool = False
    max_length: int | None = None
    pattern: str | None = None
    default: str | None = None


#: No lone surrogate: such a string is not Unicode text (see `text_problem`).
_SURROGATE = "[\\ud800-\\udfff]"
_ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789'-,.!?éèàçßø€漢字🙂\"\n"


def text_problem(x: Any) -> str | None:
    """Why `x` is not a text an answer may hold, or None: at most `MAX_TEXT`
    characters, and Unicode text (no lone surrogate, which JSON's `\\ud800` can
    smuggle in and no terminal, file or database can write)."""
    if not isinstance(x, str):
        return f"expected a string, got {short_repr(x)}"
    if len(x) > MAX_TEXT:
        return f"expected at most {MAX_TEXT:,} characters, got {len(x):,}"
    try:
        x.encode("utf-8")
    except UnicodeEncodeError as err:
        return f"character {err.start + 1} is a lone surrogate ({x[err.start]!r}), not text"
    return None


class TextKind(Kind):
    name = "text"
    model = FreeText
    words = {"en": "a text question", "fr": "une question texte"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "maxlength", "pattern", "default"})
    shape = "text"
    widget = Widget("text")
    seconds = (10, 30)
    long: ClassVar[bool] = False

    def build(self, s: Statements) -> Question | None:
        default = s.single.get("default")
        return self.model(**s.common, long=self.long, max_length=s.single.get("maxlength"),
                          pattern=s.single.get("pattern"), default=None if default is None else str(default))

    # ------------------------------------------------------------ answers
    def coerce(self, q: Any, raw: Any) -> Any:
        problem = text_problem(raw)
        if problem:
            raise MalformedAnswer(q.code, problem)
        return raw or None

    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        from qengine.runtime.messages import message

        if q.max_length is not None and len(value) > q.max_length:
            return message(language, "too_long", n=q.max_length)
        if q.pattern is not None and not regex.fullmatch(q.pattern, value):
            return message(language, "pattern")
        return None

    def initial(self, q: Any) -> Any:
        return q.default

    def json_schema(self, q: Any) -> dict[str, Any]:
        """Patterns are written as in the survey, Python regular expressions
        (anchored with `\\A` and `\\Z`), and are read as such by Python validators
        such as `jsonschema`."""
        body: dict[str, Any] = {"type": "string", "maxLength": min(q.max_length or MAX_TEXT, MAX_TEXT),
                                "not": {"pattern": _SURROGATE}}
        if q.pattern is not None:  # "" is no answer: no pattern to match
            body["if"] = {"minLength": 1}
            body["then"] = {"pattern": f"\\A(?:{q.pattern})\\Z"}
        return body

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> Domain:
        return TextDomain(q, tools)

    # ------------------------------------------------------------ samples
    def pattern(self, q: Any) -> str | None:
        question: FreeText = q  # a text kind's questions are FreeText
        return question.pattern

    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        if q.pattern is not None:
            return texts.pick(q.code, q.pattern, q.max_length, dec)
        if q.max_length is not None and q.max_length < 1:
            return None
        # a line break only in a long text (a form's one-line box cannot hold one)
        alphabet = _ALPHABET if q.long else _ALPHABET.replace("\n", "")
        size = 1 + dec.below(min(q.max_length, 16) if q.max_length is not None else 16)
        return "".join(alphabet[dec.below(len(alphabet))] for _ in range(size))

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        out = [Invalid("a value of the wrong shape", 12)]
        limit = q.max_length
        if limit is not None:
            out.append(Invalid("too long", "x" * (limit + 1)))
        if q.pattern is not None:
            tries = ["x", "0", "x y", "!", "\u00e9t\u00e9", "x" * 40]
            out += [Invalid("not of the expected form", s) for s in tries
                    if not regex.fullmatch(q.pattern, s) and (limit is None or len(s) <= limit)][:1]
        return out

    def well_formed(self, q: Any) -> Any:
        return None if q.pattern is not None else "x"

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        if q.pattern is not None:
            return list(texts.known(q.code))
        return [s for s in ("x", "1", "Lorem ipsum") if q.max_length is None or len(s) <= q.max_length]

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        return (said(language, {"en": "Please write your answer here:", "fr": "Veuillez écrire votre réponse ici :"}),)

    def answer_check(self, q: Any) -> dict[str, Any]:
        return {"maxLength": q.max_length, "pattern": q.pattern}


class LongTextKind(TextKind):
    name = "longtext"
    words = {"en": "a long-text question", "fr": "une question texte long"}
    widget = Widget("long_text")
    seconds = (30, 120)
    long = True


class TextDomain(Domain):
    """Free text, abstracted: empty, one of the strings the survey compares it
    with, a number, or any other text (`Text`)."""

    question: FreeText

    def __init__(self, question: FreeText, tools: Any):
        super().__init__(question, tools)
        self.literals = sorted(self.logic.literals(self.code))
        self.choice = tools.z3.Int(self.code)
        self.number = tools.z3.Real(f"{self.code}_number")
        self.numeric = len(self.literals) + 1
        self.other = len(self.literals) + 2

    @property
    def variables(self) -> tuple[Any, ...]:
        return (self.choice, self.number)

    def typed(self) -> z3.BoolRef:
        return self.tools.z3.And(self.choice >= 0, self.choice <= self.other)

    @cached_property
    def examples(self) -> list[str]:
        """Texts its pattern accepts (none without a pattern), as the runtime
        matches them; drawn by Hypothesis, shortest first."""
        q = self.question
        if q.pattern is None:
            return []
        return [t for t in texts_matching(q.pattern, q.max_length) if regex.fullmatch(q.pattern, t)]

    @cached_property
    def typeable(self) -> bool:
        """Whether some text may be typed in: False when it is proved that none of at
        most `maxlength` characters matches the pattern."""
        q = self.question
        return q.pattern is None or not self.tools.nothing_fits(q.pattern, q.max_length)

    @cached_property
    def sample(self) -> str | None:
        """Text that fits the question and is none of its literals nor a number, or
        None when the pattern gives no such example."""
        q = self.question
        candidates = self.examples if q.pattern is not None else [self.logic.free_word(q)]
        return next((t for t in candidates if as_number(t) is None and t not in self.literals
                     and (q.max_length is None or len(t) <= q.max_length)), None)

    def rules(self) -> Cond:
        """What may be stored: text typed to fit maxlength and pattern, or the
        default, which is never checked against them."""
        t, q = self.tools, self.question
        parts = [t.z3.Implies(t.neg(self.shown), self.choice == 0)]
        if not self.typeable:
            parts.append(t.z3.Or(self.choice == 0, self.initial()))
            return t.Cond(t.conj(*parts))
        for i, lit in enumerate(self.literals, 1):
            if lit != q.default and ((q.max_length is not None and len(lit) > q.max_length) or
                                     (q.pattern is not None and not regex.fullmatch(q.pattern, lit))):
                parts.append(self.choice != i)
        reasons = set()
        if q.pattern is not None:
            reason = f"whether numbers typed in '{self.code}' can match its pattern"
            parts.append(t.z3.Implies(self.choice == self.numeric, self.logic.unknown(reason)))
            reasons.add(reason)
            if self.sample is None:
                reason = f"whether text typed in '{self.code}' can match its pattern"
                parts.append(t.z3.Implies(self.choice == self.other, self.logic.unknown(reason)))
                reasons.add(reason)
        if q.max_length is not None:
            reason = f"how long the numbers typed in '{self.code}' are"
            parts.append(t.z3.Implies(self.choice == self.numeric, self.logic.unknown(reason)))
            reasons.add(reason)
        return t.Cond(t.conj(*parts), frozenset(reasons))

    def _number_text(self, n: Any) -> str:
        """The number as typed: plainly, or zero-padded when the pattern wants digits."""
        pattern = self.question.pattern
        if pattern is None:
            return str(n)
        candidates = [str(n), *(f"{n:0{w}d}" for w in range(2, 13) if isinstance(n, int) and n >= 0)]
        candidates += [t for t in self.examples if as_number(t) == n]
        return next((t for t in candidates if regex.fullmatch(pattern, t)), str(n))

    def preferred(self) -> z3.BoolRef:
        if not self.question.mandatory:
            return self.choice == 0
        # text the pattern surely accepts, else a number typed to fit it
        return self.choice != (self.numeric if self.sample is not None else self.other)

    def initial(self) -> z3.BoolRef:
        t, d = self.tools, self.question.default
        if d is None:
            return self.choice == 0
        if d in self.literals:
            return self.choice == self.literals.index(d) + 1
        return t.z3.And(self.choice == self.numeric, self.number == t.real(Fraction(d.strip())))

    def read(self, sub: tuple[str, ...]) -> Sym:
        t = self.tools
        cases: list[tuple[Any, Any]] = [(t.conj(self.shown, self.choice == i), t.Const(lit))
                                        for i, lit in enumerate(self.literals, 1)]
        cases.append((t.conj(self.shown, self.choice == self.numeric), t.Num(self.number)))
        cases.append((t.conj(self.shown, self.choice == self.other), t.Text(self.code)))
        cases.append((t.neg(self.answered()), t.EMPTY))
        return t.Sym.of(cases)

    def answered(self) -> z3.BoolRef:
        return self.tools.conj(self.shown, self.choice != 0)

    def checks(self) -> Cond:
        return self.problems_free()

    def witness(self, model: z3.ModelRef) -> Any:
        i = model.eval(self.choice, model_completion=True).as_long()
        if i == 0:
            return None
        if i <= len(self.literals):
            return self.literals[i - 1]
        if i == self.numeric:
            return self._number_text(self.tools.model_number(model.eval(self.number, model_completion=True)))
        return self.sample if self.sample is not None else self.logic.free_word(self.question)
