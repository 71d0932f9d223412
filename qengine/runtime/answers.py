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

import math
import re

from qengine.errors import AnswerError
from qengine.expr.values import as_text
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


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _code(x) -> str | None:
    if isinstance(x, str):
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    return None


def _short(raw) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def coerce(question: Question, raw):
    """The stored form of `raw` for `question` (None clears), or MalformedAnswer."""
    code = question.code
    if raw is None:
        return None

    def bad(expected):
        return MalformedAnswer(code, f"expected {expected}, got {_short(raw)}")

    match question:
        case SingleChoice():
            value = _code(raw)
            if value is None:
                raise bad("an option code (a string)")
            if question.option(value) is None:
                raise MalformedAnswer(code, f"{value!r} is not an option; options: "
                                      + ", ".join(o.code for o in question.options))
            return value
        case MultipleChoice():
            if not isinstance(raw, list | tuple):
                raise bad("a list of option codes")
            ticked = set()
            for item in raw:
                value = _code(item)
                if value is None or question.option(value) is None:
                    raise MalformedAnswer(code, f"{item!r} is not an option; options: "
                                          + ", ".join(o.code for o in question.options))
                if value in ticked:
                    raise MalformedAnswer(code, f"option {value!r} is given twice")
                ticked.add(value)
            return tuple(o.code for o in question.options if o.code in ticked) or None
        case Array():
            if not isinstance(raw, dict):
                raise bad('an object {"row": "column"}')
            out = {}
            for row, col in raw.items():
                if question.row(row) is None:
                    raise MalformedAnswer(code, f"{row!r} is not a row; rows: "
                                          + ", ".join(r.code for r in question.rows))
                if col is None:
                    continue
                value = _code(col)
                if value is None or question.column(value) is None:
                    raise MalformedAnswer(code, f"{col!r} is not a column of row {row!r}; columns: "
                                          + ", ".join(c.code for c in question.columns))
                out[row] = value
            return out or None
        case Grid():
            if not isinstance(raw, dict):
                raise bad('an object {"row": {"column": number}}')
            out = _grid_defaults(question)
            for row, cells in raw.items():
                if question.row(row) is None:
                    raise MalformedAnswer(code, f"{row!r} is not a row; rows: "
                                          + ", ".join(r.code for r in question.rows))
                if not isinstance(cells, dict):
                    raise MalformedAnswer(code, f'row {row!r}: expected an object {{"column": number}}, '
                                          f"got {_short(cells)}")
                for col, value in cells.items():
                    if question.column(col) is None:
                        raise MalformedAnswer(code, f"{col!r} is not a column; columns: "
                                              + ", ".join(c.code for c in question.columns))
                    if value is None:
                        out.get(row, {}).pop(col, None)
                        continue
                    if not _is_number(value):
                        raise MalformedAnswer(code, f"cell {row}/{col}: expected a number, got {_short(value)}")
                    out.setdefault(row, {})[col] = value
            return {r: c for r, c in out.items() if c} or None
        case Number():
            if not _is_number(raw):
                raise bad("a number")
            return int(raw) if isinstance(raw, float) and raw.is_integer() and question.integer else raw
        case FreeText():
            if not isinstance(raw, str):
                raise bad("a string")
            return raw or None
        case Equation() | Display():
            raise MalformedAnswer(code, f"{question.kind} questions are not answered")
    raise MalformedAnswer(code, "cannot be answered")  # pragma: no cover


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
            if question.pattern is not None and re.fullmatch(question.pattern, value) is None:
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
