"""Answers read out of an HTML form post, in the answers-file form.

The form names its inputs after the variables of the survey (docs/html-form.md):
`code` for a single choice, a number or a text; `code_option` ("Y") for a ticked
box; `code_row` (the column's code) for an array's line; `code_row_column` for a
grid's cell. Every question of the page is read, blank ones included: a box left
unticked or a field emptied is an answer too (none). Numbers are read as the form's
script reads them: spaces ignored, a decimal comma or point. Text that is not a
number at all is a problem of its own, said with the runtime's message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from starlette.datastructures import FormData

from qengine.expr.values import parse_number
from qengine.kinds.base import Choices, Table
from qengine.kinds.registry import kind_of
from qengine.model import Question, Survey
from qengine.runtime import Problem
from qengine.runtime.messages import message

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class _NotANumber(Exception):
    pass


def read(form: FormData, survey: Survey, codes: Iterable[str]) -> tuple[dict, list[Problem]]:
    """The answers the form gives to the questions `codes`, and the problems of
    values that cannot be read."""
    answers: dict = {}
    problems: list[Problem] = []
    for code in codes:
        q = survey.by_code[code]
        if not q.is_input:
            continue
        try:
            answers[code] = _value(form, q)
        except _NotANumber:
            problems.append(Problem(code, message(survey.language, "not_number")))
    return answers, problems


def _value(form: FormData, q: Question):
    """The answer the inputs of `q` hold, read by the shape of its answer."""
    code = q.code
    shape = kind_of(q).shape
    if shape == "choice":
        return _text(form.get(code))
    if shape == "choices":
        return [o.code for o in cast(Choices, q).options if form.get(f"{code}_{o.code}") == "Y"] or None
    if shape == "row_choice":
        given = {r.code: _text(form.get(f"{code}_{r.code}")) for r in cast(Table, q).rows}
        return {r: v for r, v in given.items() if v is not None} or None
    if shape == "row_cells":
        # Every cell, a blank one as None: a cell emptied must not come back to its default.
        table = cast(Table, q)
        return {r.code: {c.code: _number(form.get(f"{code}_{r.code}_{c.code}")) for c in table.columns}
                for r in table.rows}
    if shape == "number":
        return _number(form.get(code))
    text = _text(form.get(code))
    return None if text is None else text.replace("\r\n", "\n")


def _text(raw) -> str | None:
    return raw if isinstance(raw, str) and raw != "" else None


def _number(raw) -> int | float | None:
    text = "".join(raw.split()) if isinstance(raw, str) else ""
    if text == "":
        return None
    if not _NUMBER.fullmatch(text):
        raise _NotANumber()
    text = text.replace(",", ".")
    if text.startswith("+"):
        text = text[1:]
    if text.startswith(".") or text.startswith("-."):
        text = text.replace(".", "0.", 1)
    return parse_number(text.rstrip(".") if text.endswith(".") else text)
