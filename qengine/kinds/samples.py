"""Sample answers for one question as it stands now: valid ones, invalid ones, and a
short list of plain candidates for getting unstuck. The one public place for them:
the fuzzer's respondents (`qengine.testing`) and lint's random walks and witnesses
draw their answers here, and each kind says how (`Kind.valid_answer`, ...).

*Valid* means what the runtime itself accepts (`qengine.runtime.answers.refusal`):
visible options and rows only, bounds, whole numbers, tick counts, exclusive
options alone, length and pattern of texts. A valid answer may still fail one of
the survey's own `validate` rules; that is for the walk to sort out.

Valid answers are chosen by `Decisions` (bytes Hypothesis drew): zero bytes choose
the plainest answer (first option, first column, 0 or the lower bound), so
shrinking the bytes shrinks the answers. Texts for a pattern come from Hypothesis's
public `st.from_regex`, drawn before a run (`pattern_texts`) or during one. Hypothesis
is imported only when a text is drawn from a pattern.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qengine.kinds.registry import kind_of
from qengine.model import Question, Survey

if TYPE_CHECKING:
    from qengine.runtime.session import Choice, QuestionView

#: Numbers a respondent could type where the survey sets no bound.
UNBOUNDED = 10**9
#: A code no question has.
NOT_A_CODE = "__not_an_option__"


class Decisions:
    """Choices read from strings of bytes Hypothesis drew.

    A walk needs dozens of choices; drawn one by one from Hypothesis they would cost
    more than the survey's whole evaluation (each draw carries bookkeeping for
    shrinking). So a walk draws one string of bytes when it starts (a few per
    question of the survey), and more when its choices have read them all; each
    choice reads the next byte or two. Every choice is monotone in the bytes it
    reads, with zero meaning the plainest outcome (first option, no detour, the
    smallest number): Hypothesis shrinks bytes toward zero, which shrinks the
    respondent toward the plainest one that still fails."""

    def __init__(self, data: bytes = b"", more: Callable[[], bytes] | None = None):
        self.data = data
        self.pos = 0
        self.more = more

    def byte(self) -> int:
        if self.pos >= len(self.data):
            if self.more is None:
                return 0
            self.data, self.pos = self.more(), 0
        self.pos += 1
        return self.data[self.pos - 1]

    def below(self, n: int) -> int:
        """A choice among `n` (0 <= result < n)."""
        if n <= 1:
            return 0
        width = 1 if n <= 256 else 2 if n <= 65536 else 8
        raw = 0
        for _ in range(width):
            raw = raw << 8 | self.byte()
        return raw * n >> (8 * width)

    def rare(self, k: int) -> bool:
        """True for `k` byte values out of 256, the highest ones (never for zero)."""
        return self.byte() >= 256 - k


@attrs.frozen
class Invalid:
    """A value the runtime must refuse, and why the walk expects that."""

    reason: str
    value: object


@attrs.frozen
class Texts:
    """Where a text for a pattern comes from: those found before the run
    (`pattern_texts`, by question code), else drawn now with `draw` (Hypothesis's
    draw of a composite strategy); with neither, there is none."""

    found: Mapping[str, tuple[str, ...]] | None = None
    draw: Callable[[Any], Any] | None = None

    def known(self, code: str) -> tuple[str, ...]:
        return (self.found or {}).get(code, ())

    def pick(self, code: str, pattern: str, limit: int | None, dec: Decisions) -> str | None:
        if self.found is not None and code in self.found:
            texts = self.found[code]
            return texts[dec.below(len(texts))] if texts else None
        return None if self.draw is None else self.draw(_matching(pattern, limit))


# ------------------------------------------------------------------ by question
def answerable(question: Question) -> bool:
    return question.is_input


def valid_answer(question: Question, view: QuestionView, dec: Decisions, draw: Callable[[Any], Any] | None = None,
                 texts: Mapping[str, tuple[str, ...]] | None = None) -> Any:
    """An answer the runtime accepts for `question` shown as `view`, chosen by
    `dec`; None when there is none (no option shown, more ticks required than
    options shown, no text found for a pattern). A text for a `pattern` is chosen
    among `texts[code]` (`pattern_texts`) when given, else drawn with `draw`
    (Hypothesis knows regular expressions); with neither, it gets no answer."""
    return kind_of(question).valid_answer(question, view, dec, Texts(texts, draw))


def invalid_values(question: Question, view: QuestionView) -> tuple[Invalid, ...]:
    """Values the runtime must refuse for `question` shown as `view`, each with the
    reason it is wrong. Deterministic, so that a walk picks one by index."""
    return tuple(kind_of(question).invalid_values(question, view))


def well_formed(question: Question) -> Any:
    """Some answer of the right shape, whatever is shown now (for hidden questions)."""
    return kind_of(question).well_formed(question)


def candidates(question: Question, view: QuestionView,
               texts: Mapping[str, tuple[str, ...]] | None = None) -> list[Any]:
    """A short, deterministic list of valid answers worth trying when a page cannot
    be left: every option, every column, the bounds and a few ordinary numbers;
    for a pattern, the texts of `texts` (`pattern_texts`)."""
    return kind_of(question).candidates(question, view, Texts(texts))


# ------------------------------------------------------------------ texts for patterns
_TEXTS = 32  # texts kept per pattern
_TEXT_TRIES = 100  # texts Hypothesis draws from a pattern to find them


def pattern_texts(survey: Survey) -> dict[str, tuple[str, ...]]:
    """For each question with a pattern, texts the runtime accepts for it,
    shortest first; an empty tuple when none was found (a pattern nothing matches,
    or nothing within its `maxlength`).

    Drawn before a run and not during the walks: inside one, a pattern Hypothesis
    cannot satisfy would make it reject every example (`Unsatisfiable`), and the
    texts would spend the bytes an example may draw."""
    from qengine.runtime.answers import answer_problem

    out = {}
    for q in survey.questions:
        pattern = kind_of(q).pattern(q)
        if pattern is not None:
            limit = getattr(q, "max_length", None)
            fits = (t for t in texts_matching(pattern, limit) if answer_problem(q, t, survey.language) is None)
            out[q.code] = tuple(itertools.islice(fits, _TEXTS))
    return out


@functools.cache
def texts_matching(pattern: str, limit: int | None = None) -> tuple[str, ...]:
    """Distinct non-empty texts matching `pattern` (as Hypothesis reads it), within
    `limit`, shortest first (the plainest, which shrinking reaches first). A fixed
    seed: the same survey gets the same texts on every run."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable

    found: set[str] = set()

    @hypothesis_seed(0)
    @settings(max_examples=_TEXT_TRIES, database=None, deadline=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet)
    @given(st.from_regex(pattern, fullmatch=True))
    def collect(text: str) -> None:
        if text and (limit is None or len(text) <= limit):
            found.add(text)

    with contextlib.suppress(Unsatisfiable):  # every draw refused by the pattern: nothing found
        collect()
    return tuple(sorted(found, key=lambda t: (len(t), t)))


@functools.cache
def _matching(pattern: str, limit: int | None) -> Any:
    """Texts matching `pattern`; built once (a new strategy is validated when first
    drawn, which costs more than the draw)."""
    from hypothesis import strategies as st

    return st.from_regex(pattern, fullmatch=True).filter(lambda s: s and (limit is None or len(s) <= limit))


# ------------------------------------------------------------------ helpers the kinds share
def bounds(view: QuestionView, integer: bool) -> tuple[Any, Any]:
    """The range a number may be drawn from: the view's bounds, or `UNBOUNDED`."""
    lo = view.min if view.min is not None else -UNBOUNDED
    hi = view.max if view.max is not None else UNBOUNDED
    if integer:
        lo, hi = math.ceil(lo), math.floor(hi)
    return lo, hi


def number(lo: Any, hi: Any, integer: bool, dec: Decisions) -> Any:
    """A number in [lo, hi]: often a plain one (0 or the lower bound first, then
    1, the upper bound, ...), else any, whole or with at most two decimals."""
    mode = dec.byte()
    if mode < 96:
        plain = plain_numbers(lo, hi, integer)
        return plain[mode * len(plain) // 96]
    if integer:
        return lo + dec.below(hi - lo + 1)
    cents = dec.below(math.floor((hi - lo) * 100) + 1)
    return min(hi, max(lo, round(lo + cents / 100, 2)))


def plain_numbers(lo: Any, hi: Any, integer: bool) -> list[Any]:
    picks: list[Any] = [0, lo, 1, hi, 2, 10, -1, 100, 1000]
    if not integer:
        picks.insert(3, 0.5)
    out: list[Any] = []
    for v in picks:
        if lo <= v <= hi and v not in out:
            out.append(v)
    return out


def numbers(view: QuestionView, integer: bool) -> list[Any]:
    """The plain numbers within the view's bounds, and the middle one."""
    lo, hi = bounds(view, integer)
    if lo > hi:
        return []
    middle = (lo + hi) // 2 if integer else (lo + hi) / 2
    return plain_numbers(lo, hi, integer) + ([middle] if lo < middle < hi else [])


def bad_numbers(view: QuestionView, integer: bool) -> list[tuple[str, Any]]:
    """Numbers out of the view's bounds, and a fraction where a whole number is due."""
    out: list[tuple[str, Any]] = []
    if view.min is not None:
        out.append(("below the minimum", view.min - 1))
    if view.max is not None:
        out.append(("above the maximum", view.max + 1))
    if integer:
        base = view.min if view.min is not None else 0
        out.append(("not a whole number", base + 0.5))
    return out


def some_number(low: Any, integer: bool) -> Any:
    lo = low if low is not None else 0
    return math.ceil(lo) if integer else lo


def hidden(items: Sequence[Any], shown: Sequence[Choice]) -> list[str]:
    """The codes of `items` not among those `shown`."""
    visible = {c.code for c in shown}
    return [i.code for i in items if i.code not in visible]
