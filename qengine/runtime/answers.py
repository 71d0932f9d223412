"""Answers as they come in (JSON-like values) and the checks they must pass.

Two kinds of problem, kept apart on purpose:

- a *malformed* answer has the wrong shape or names codes the question does not
  have (a list for a single choice, option "agel"): the answers file or the calling
  code is wrong, so it is `MalformedAnswer`;
- a *refused* answer is well-formed but not acceptable now (out of bounds, too many
  ticks, an option that is filtered away): a respondent could type it, and gets the
  message back, so `refusal()` returns the message and the session stores nothing.

Each kind defines both for its questions (`qengine.kinds.base.Kind`); these are the
runtime's entry points to them.
"""

from __future__ import annotations

from typing import Any

from qengine.kinds.base import MalformedAnswer, short_repr
from qengine.kinds.registry import kind_of
from qengine.model import Question

__all__ = ["MalformedAnswer", "answer_problem", "check_answer", "coerce", "initial", "refusal", "short_repr",
           "to_json"]


def coerce(question: Question, raw: Any) -> Any:
    """The stored form of `raw` for `question` (None clears), or MalformedAnswer."""
    return None if raw is None else kind_of(question).coerce(question, raw)


def check_answer(question: Question, raw: Any) -> None:
    """MalformedAnswer unless `raw` may stand for `question` in an answers file or
    a response: what `coerce` accepts, and for an equation its computed value (a
    string, a number or a boolean), so that a response replays as an answers file.
    The value of an equation is computed anew: the one given is not used."""
    kind_of(question).check(question, raw)


def answer_problem(question: Question, raw: Any, language: str = "en") -> str | None:
    """Why `raw` is not a valid answer to `question` whatever the other answers
    are (its shape, its codes, its bounds, length and pattern), or None. This is
    the one definition of a valid answer: `qengine schema` writes it as JSON
    Schema, and `qengine play` accepts exactly these values (a page may still be
    left unpassed for what depends on the other answers: mandatory, minimum ticks,
    the survey's own rules, options filtered away)."""
    try:
        check_answer(question, raw)
    except MalformedAnswer as err:
        return err.message
    if not question.is_input:
        return None
    return refusal(question, coerce(question, raw), {i.code for i in question.items}, language)


def initial(question: Question) -> Any:
    """The answer a question starts with (its default), stored form."""
    return kind_of(question).initial(question)


def refusal(question: Question, value: Any, offered: set[str], language: str) -> str | None:
    """Why a well-formed `value` is not acceptable, or None. `offered` holds the
    option or row codes visible now."""
    return None if value is None else kind_of(question).refusal(question, value, offered, language)


def to_json(question: Question, value: Any) -> Any:
    """The stored form as it appears in answers files and responses."""
    return None if value is None else kind_of(question).to_json(question, value)
