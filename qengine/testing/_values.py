"""Answers for one question as it stands now: valid ones, invalid ones, and a short
list of plain candidates for getting unstuck.

*Valid* means what the runtime itself accepts (`qengine.runtime.answers.refusal`):
visible options and rows only, bounds, whole numbers, tick counts, exclusive
options alone, length and pattern of texts. A valid answer may still fail one of
the survey's own `validate` rules; that is for the walk to sort out.

Valid answers are chosen by `Decisions` (bytes Hypothesis drew): zero bytes
choose the plainest answer (first option, first column, 0 or
the lower bound), so shrinking the bytes shrinks the answers.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import re

import attrs

from qengine.model import (
    Array,
    Display,
    Equation,
    FreeText,
    Grid,
    MultipleChoice,
    Number,
    Question,
    SingleChoice,
)
from qengine.runtime.session import QuestionView
from qengine.testing._decisions import Decisions

# Numbers a respondent could type where the survey sets no bound.
UNBOUNDED = 10**9


@attrs.frozen
class Invalid:
    """A value the runtime must refuse, and why the walk expects that."""

    reason: str
    value: object


def answerable(question: Question) -> bool:
    return not isinstance(question, Equation | Display)


def _bounds(question, view: QuestionView, integer: bool) -> tuple:
    lo = view.min if view.min is not None else -UNBOUNDED
    hi = view.max if view.max is not None else UNBOUNDED
    if integer:
        lo, hi = math.ceil(lo), math.floor(hi)
    return lo, hi


def _ticks(view: QuestionView):
    """Plain and exclusive option codes, and the allowed number of plain ticks."""
    plain = tuple(o.code for o in view.options if not o.exclusive)
    exclusive = tuple(o.code for o in view.options if o.exclusive)
    lo = max(view.min or 1, 1)
    hi = len(plain) if view.max is None else min(view.max, len(plain))
    return plain, exclusive, lo, hi


def _fit_ticks(plain, chosen: list[str], lo: int, hi: int) -> list[str]:
    """Trim `chosen` to `hi` ticks, or top it up to `lo` with the first options."""
    chosen = chosen[:hi]
    for c in plain:
        if len(chosen) >= lo:
            break
        if c not in chosen:
            chosen.append(c)
    return [c for c in plain if c in chosen]


def valid_answer(question: Question, view: QuestionView, dec: Decisions, draw=None, texts=None):
    """An answer the runtime accepts for `question` shown as `view`, chosen by
    `dec`; None when there is none (no option shown, more ticks required than
    options shown, no text found for a pattern). A text for a `pattern` is chosen
    among `texts[code]` (`pattern_texts`) when given, else drawn with `draw`
    (Hypothesis knows regular expressions); with neither, it gets no answer."""
    match question:
        case SingleChoice():
            return view.options[dec.below(len(view.options))].code if view.options else None
        case MultipleChoice():
            plain, exclusive, lo, hi = _ticks(view)
            if lo > hi:
                plain = ()
            if exclusive and (not plain or dec.rare(32)):
                return [exclusive[dec.below(len(exclusive))]]
            if not plain:
                return None
            chosen = [c for c in plain if dec.rare(128)]
            return _fit_ticks(plain, chosen, lo, hi)
        case Array():
            cols = view.columns
            if not view.rows or not cols:
                return None
            return {r.code: cols[dec.below(len(cols))].code for r in view.rows}
        case Grid():
            lo, hi = _bounds(question, view, question.integer)
            if not view.rows or not view.columns or lo > hi:
                return None
            return {r.code: {c.code: _number(lo, hi, question.integer, dec) for c in view.columns}
                    for r in view.rows}
        case Number():
            lo, hi = _bounds(question, view, question.integer)
            return _number(lo, hi, question.integer, dec) if lo <= hi else None
        case FreeText():
            if question.pattern is None:
                return _text(question.max_length, question.long, dec)
            if texts is not None and question.code in texts:
                found = texts[question.code]
                return found[dec.below(len(found))] if found else None
            return None if draw is None else draw(_pattern_strategy(question))
    return None


def _number(lo, hi, integer: bool, dec: Decisions):
    """A number in [lo, hi]: often a plain one (0 or the lower bound first, then
    1, the upper bound, ...), else any, whole or with at most two decimals."""
    mode = dec.byte()
    if mode < 96:
        plain = _plain_numbers(lo, hi, integer)
        return plain[mode * len(plain) // 96]
    if integer:
        return lo + dec.below(hi - lo + 1)
    cents = dec.below(math.floor((hi - lo) * 100) + 1)
    return min(hi, max(lo, round(lo + cents / 100, 2)))


def _plain_numbers(lo, hi, integer: bool) -> list:
    picks = [0, lo, 1, hi, 2, 10, -1, 100, 1000]
    if not integer:
        picks.insert(3, 0.5)
    out = []
    for v in picks:
        if lo <= v <= hi and v not in out:
            out.append(v)
    return out


_ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789'-,.!?éèàçßø€漢字🙂\"\n"


def _text(limit: int | None, multiline: bool, dec: Decisions) -> str | None:
    """A text of up to 16 characters; a line break only in a long text (a form's
    one-line box cannot hold one)."""
    if limit is not None and limit < 1:
        return None
    alphabet = _ALPHABET if multiline else _ALPHABET.replace("\n", "")
    size = 1 + dec.below(min(limit, 16) if limit is not None else 16)
    return "".join(alphabet[dec.below(len(alphabet))] for _ in range(size))


def _pattern_strategy(question: FreeText):
    return _matching(question.pattern, question.max_length)


_TEXTS = 32  # texts kept per pattern
_TEXT_TRIES = 100  # texts Hypothesis draws from a pattern to find them


def pattern_texts(survey) -> dict[str, tuple[str, ...]]:
    """For each question with a `pattern`, texts the runtime accepts for it,
    shortest first; an empty tuple when none was found (a pattern nothing matches,
    or nothing within its `maxlength`).

    Drawn before a run and not during the walks: inside one, a pattern Hypothesis
    cannot satisfy would make it reject every example (`Unsatisfiable`), and the
    texts would spend the bytes an example may draw."""
    from qengine.runtime.answers import answer_problem

    return {q.code: tuple(itertools.islice((t for t in _texts_matching(q.pattern, q.max_length)
                                            if answer_problem(q, t, survey.language) is None), _TEXTS))
            for q in survey.questions if isinstance(q, FreeText) and q.pattern is not None}


@functools.cache
def _texts_matching(pattern: str, limit: int | None) -> tuple[str, ...]:
    """Distinct texts matching `pattern` (as Hypothesis reads it), within `limit`,
    shortest first (the plainest, which shrinking reaches first). A fixed seed:
    the same survey gets the same texts on every run."""
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
def _matching(pattern: str, limit: int | None):
    """Texts matching `pattern`; built once (a new strategy is validated when first
    drawn, which costs more than the draw). Hypothesis is imported here only: lint
    draws its random respondents' answers with `valid_answer` too."""
    from hypothesis import strategies as st

    return st.from_regex(pattern, fullmatch=True).filter(lambda s: s and (limit is None or len(s) <= limit))


# ------------------------------------------------------------------ invalid values
_NOT_A_CODE = "__not_an_option__"


def invalid_values(question: Question, view: QuestionView) -> tuple[Invalid, ...]:
    """Values the runtime must refuse for `question` shown as `view`, each with the
    reason it is wrong. Deterministic, so that a walk picks one by index."""
    out = [Invalid("a value of the wrong shape", _wrong_shape(question))]
    match question:
        case SingleChoice():
            out.append(Invalid("not an option", _NOT_A_CODE))
            out += [Invalid("an option not offered now", c) for c in _hidden(question.options, view.options)[:1]]
        case MultipleChoice():
            out.append(Invalid("not an option", [_NOT_A_CODE]))
            out += [Invalid("an option not offered now", [c]) for c in _hidden(question.options, view.options)[:1]]
            plain, exclusive, _, _ = _ticks(view)
            if view.max is not None and len(plain) > view.max:
                out.append(Invalid("too many ticks", list(plain[: view.max + 1])))
            if exclusive and plain:
                out.append(Invalid("an exclusive option with another", [exclusive[0], plain[0]]))
        case Array():
            if view.rows and view.columns:
                out.append(Invalid("not a column", {view.rows[0].code: _NOT_A_CODE}))
            if question.columns:
                out += [Invalid("a row not offered now", {c: question.columns[0].code})
                        for c in _hidden(question.rows, view.rows)[:1]]
        case Grid():
            if view.rows:
                row, col = view.rows[0].code, question.columns[0].code
                out += [Invalid(reason, {row: {col: v}}) for reason, v in _bad_numbers(question, view)]
        case Number():
            out += [Invalid(reason, v) for reason, v in _bad_numbers(question, view)]
            out.append(Invalid("not a finite number", math.nan))
        case FreeText():
            if question.max_length is not None:
                out.append(Invalid("too long", "x" * (question.max_length + 1)))
            if question.pattern is not None:
                out += [Invalid("not of the expected form", s) for s in _mismatches(question)[:1]]
    return tuple(out)


def _wrong_shape(question: Question):
    match question:
        case SingleChoice():
            return [_NOT_A_CODE]
        case MultipleChoice():
            return _NOT_A_CODE
        case Array() | Grid():
            return [_NOT_A_CODE]
        case Number():
            return "12"
    return 12


def _hidden(items, shown) -> list[str]:
    visible = {c.code for c in shown}
    return [i.code for i in items if i.code not in visible]


def _bad_numbers(question, view: QuestionView) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    if view.min is not None:
        out.append(("below the minimum", view.min - 1))
    if view.max is not None:
        out.append(("above the maximum", view.max + 1))
    if question.integer:
        base = view.min if view.min is not None else 0
        out.append(("not a whole number", base + 0.5))
    return out


def _mismatches(question: FreeText) -> list[str]:
    limit = question.max_length
    tries = ["x", "0", "x y", "!", "\u00e9t\u00e9", "x" * 40]
    return [s for s in tries if re.fullmatch(question.pattern, s) is None
            and (limit is None or len(s) <= limit)]


def well_formed(question: Question):
    """Some answer of the right shape, whatever is shown now (for hidden questions)."""
    match question:
        case SingleChoice():
            return question.options[0].code if question.options else None
        case MultipleChoice():
            return [question.options[0].code] if question.options else None
        case Array():
            return {question.rows[0].code: question.columns[0].code} if question.rows and question.columns else None
        case Grid():
            if not question.rows or not question.columns:
                return None
            return {question.rows[0].code: {question.columns[0].code: _some_number(question)}}
        case Number():
            return _some_number(question)
        case FreeText():
            return None if question.pattern is not None else "x"
    return None


def _some_number(question):
    lo = question.min if question.min is not None else 0
    return math.ceil(lo) if question.integer else lo


# ------------------------------------------------------------------ plain candidates
def candidates(question: Question, view: QuestionView, texts=None) -> list:
    """A short, deterministic list of valid answers worth trying when a page cannot
    be left: every option, every column, the bounds and a few ordinary numbers;
    for a pattern, the texts of `texts` (`pattern_texts`)."""
    match question:
        case SingleChoice():
            return [o.code for o in view.options]
        case MultipleChoice():
            plain, exclusive, lo, hi = _ticks(view)
            out = [[c] for c in exclusive]
            if plain and lo <= hi:
                out += [_fit_ticks(plain, [c], lo, hi) for c in plain]
                out.append(list(plain[:hi]))
            return out
        case Array():
            rows = [r.code for r in view.rows]
            return [{r: c.code for r in rows} for c in view.columns] if rows else []
        case Grid():
            rows, cols = [r.code for r in view.rows], [c.code for c in question.columns]
            values = _numbers(question, view)
            out = [{r: dict.fromkeys(cols, v) for r in rows} for v in values]
            low = values[0] if values else 0
            for r in rows:
                for c in cols:
                    for v in values[1:]:
                        out.append({r2: {c2: (v if (r2, c2) == (r, c) else low) for c2 in cols} for r2 in rows})
            return out[:60]
        case Number():
            return _numbers(question, view)
        case FreeText():
            if question.pattern is not None:
                return list((texts or {}).get(question.code, ()))
            limit = question.max_length
            return [s for s in ("x", "1", "Lorem ipsum") if limit is None or len(s) <= limit]
    return []


def _numbers(question, view: QuestionView) -> list:
    lo, hi = _bounds(question, view, question.integer)
    if lo > hi:
        return []
    middle = (lo + hi) // 2 if question.integer else (lo + hi) / 2
    return _plain_numbers(lo, hi, question.integer) + ([middle] if lo < middle < hi else [])
