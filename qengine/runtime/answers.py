"""Answers as they come in (JSON-like values) and the checks they must pass.

Two kinds of problem, kept apart on purpose:

- a *malformed* answer has the wrong shape or names codes the question does not
  have (a list for a single choice, option "agel"): the answers file or the calling
  code is wrong, so it is `MalformedAnswer`;
- a *refused* answer is well-formed but not acceptable now (out of bounds, too many
  ticks, an option that is filtered away): a respondent could type it, and gets the
  message back, so `refusal()` returns the message and the session stores nothing.
"""

from __future__ import annotations

import reprlib

from qengine.errors import AnswerError
from qengine.expr import regex
from qengine.expr.values import MAX_NUMBER, MAX_TEXT, as_text, is_number
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
from qengine.runtime.messages import message


class MalformedAnswer(AnswerError):
    """The value does not have the shape of an answer to that question."""


def _code(x) -> str | None:
    """An option, row or column code as given: a string, or a whole number for the
    codes written with digits (`scale 1 to 5`, `column 3`)."""
    if isinstance(x, str):
        return x
    if is_number(x) and x == int(x):
        return str(int(x))
    return None


class _Repr(reprlib.Repr):
    """reprlib's bounded repr (depth and length), and whole numbers too large to
    print (over 4,300 digits Python refuses to) described by their size."""

    def repr_int(self, x, level):
        if x.bit_length() > 1000:  # over 300 digits
            return f"<a whole number of about {int(x.bit_length() * 0.30103):,} digits>"
        return super().repr_int(x, level)


_REPR = _Repr()
_REPR.maxstring = _REPR.maxother = 60


def short_repr(raw) -> str:
    """A value as an error message quotes it: short, and safe to compute for any."""
    return _REPR.repr(raw)


def _number_problem(x) -> str | None:
    """Why `x` is not a number an answer may hold, or None."""
    if is_number(x):
        return None
    if isinstance(x, int | float) and not isinstance(x, bool):
        return f"expected a number from -{MAX_NUMBER:,} to {MAX_NUMBER:,}, got {short_repr(x)}"
    return f"expected a number, got {short_repr(x)}"


def _text_problem(x) -> str | None:
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


def coerce(question: Question, raw):
    """The stored form of `raw` for `question` (None clears), or MalformedAnswer."""
    code = question.code
    if raw is None:
        return None

    def bad(expected):
        return MalformedAnswer(code, f"expected {expected}, got {short_repr(raw)}")

    match question:
        case SingleChoice():
            value = _code(raw)
            if value is None:
                raise bad("an option code (a string)")
            if question.option(value) is None:
                raise MalformedAnswer(code, f"{short_repr(value)} is not an option; options: "
                                      + ", ".join(o.code for o in question.options))
            return value
        case MultipleChoice():
            if not isinstance(raw, list | tuple):
                raise bad("a list of option codes")
            ticked = set()
            for item in raw:
                value = _code(item)
                if value is None or question.option(value) is None:
                    raise MalformedAnswer(code, f"{short_repr(item)} is not an option; options: "
                                          + ", ".join(o.code for o in question.options))
                if value in ticked:
                    raise MalformedAnswer(code, f"option {short_repr(value)} is given twice")
                ticked.add(value)
            return tuple(o.code for o in question.options if o.code in ticked) or None
        case Array():
            if not isinstance(raw, dict):
                raise bad('an object {"row": "column"}')
            out = {}
            for row, col in raw.items():
                if question.row(row) is None:
                    raise MalformedAnswer(code, f"{short_repr(row)} is not a row; rows: "
                                          + ", ".join(r.code for r in question.rows))
                if col is None:
                    continue
                value = _code(col)
                if value is None or question.column(value) is None:
                    raise MalformedAnswer(code, f"{short_repr(col)} is not a column of row {row!r}; columns: "
                                          + ", ".join(c.code for c in question.columns))
                out[row] = value
            return out or None
        case Grid():
            if not isinstance(raw, dict):
                raise bad('an object {"row": {"column": number}}')
            out = _grid_defaults(question)
            for row, cells in raw.items():
                if question.row(row) is None:
                    raise MalformedAnswer(code, f"{short_repr(row)} is not a row; rows: "
                                          + ", ".join(r.code for r in question.rows))
                if not isinstance(cells, dict):
                    raise MalformedAnswer(code, f'row {row!r}: expected an object {{"column": number}}, '
                                          f"got {short_repr(cells)}")
                for col, value in cells.items():
                    if question.column(col) is None:
                        raise MalformedAnswer(code, f"{short_repr(col)} is not a column; columns: "
                                              + ", ".join(c.code for c in question.columns))
                    if value is None:
                        out.get(row, {}).pop(col, None)
                        continue
                    problem = _number_problem(value)
                    if problem:
                        raise MalformedAnswer(code, f"cell {row}/{col}: {problem}")
                    out.setdefault(row, {})[col] = value
            return {r: c for r, c in out.items() if c} or None
        case Number():
            problem = _number_problem(raw)
            if problem:
                raise MalformedAnswer(code, problem)
            return int(raw) if isinstance(raw, float) and raw.is_integer() and question.integer else raw
        case FreeText():
            problem = _text_problem(raw)
            if problem:
                raise MalformedAnswer(code, problem)
            return raw or None
        case Equation() | Display():
            raise MalformedAnswer(code, f"{question.kind} questions are not answered")
    raise MalformedAnswer(code, "cannot be answered")  # pragma: no cover


def check_answer(question: Question, raw) -> None:
    """MalformedAnswer unless `raw` may stand for `question` in an answers file or
    a response: what `coerce` accepts, and for an equation its computed value (a
    string, a number or a boolean), so that a response replays as an answers file.
    The value of an equation is computed anew: the one given is not used."""
    match question:
        case Display():
            raise MalformedAnswer(question.code, "a display text takes no answer")
        case Equation():
            if raw is not None and not isinstance(raw, str | bool) and _number_problem(raw):
                raise MalformedAnswer(question.code, "an equation's value is a string, a number "
                                      f"or a boolean, got {short_repr(raw)}")
        case _:
            coerce(question, raw)


def answer_problem(question: Question, raw, language: str = "en") -> str | None:
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
    if isinstance(question, Equation | Display):
        return None
    everything = {i.code for i in getattr(question, "options", ()) or getattr(question, "rows", ())}
    return refusal(question, coerce(question, raw), everything, language)


def _grid_defaults(question: Grid) -> dict:
    if question.default is None:
        return {}
    return {r.code: {c.code: question.default for c in question.columns} for r in question.rows}


def initial(question: Question):
    """The answer a question starts with (its default), stored form."""
    match question:
        case Grid():
            return _grid_defaults(question) or None
        case SingleChoice() | Number() | FreeText():
            return question.default
    return None


def _bounds(question, value, language) -> str | None:
    if question.integer and not float(value).is_integer():
        return message(language, "not_integer")
    if question.min is not None and value < question.min:
        return message(language, "below_min", n=as_text(question.min))
    if question.max is not None and value > question.max:
        return message(language, "above_max", n=as_text(question.max))
    return None


def refusal(question: Question, value, offered: set[str], language: str) -> str | None:
    """Why a well-formed `value` is not acceptable, or None. `offered` holds the
    option or row codes visible now."""
    if value is None:
        return None
    match question:
        case SingleChoice():
            if value not in offered:
                return message(language, "not_offered", value=value)
        case MultipleChoice():
            for v in value:
                if v not in offered:
                    return message(language, "not_offered", value=v)
            if question.max is not None and len(value) > question.max:
                return message(language, "max_ticks", n=question.max)
            if len(value) > 1:
                for v in value:
                    option = question.option(v)
                    if option.exclusive:
                        return message(language, "exclusive", label=option.label.plain.strip())
        case Array():
            for row in value:
                if row not in offered:
                    return message(language, "not_offered", value=row)
        case Grid():
            for cells in value.values():
                for cell in cells.values():
                    problem = _bounds(question, cell, language)
                    if problem:
                        return problem
        case Number():
            return _bounds(question, value, language)
        case FreeText():
            if question.max_length is not None and len(value) > question.max_length:
                return message(language, "too_long", n=question.max_length)
            if question.pattern is not None and not regex.fullmatch(question.pattern, value):
                return message(language, "pattern")
    return None


def to_json(question: Question, value):
    """The stored form as it appears in answers files and responses."""
    match value:
        case None:
            return None
        case tuple():
            return list(value)
        case dict() if isinstance(question, Grid):
            return {r: dict(c) for r, c in value.items()}
        case dict():
            return dict(value)
    return value
