"""What `.type` and `.question` read of a question, whatever its kind.

`q.type` is the letter of the LimeSurvey question type `q` is exported as (the
.lss exporter writes this very letter), so that a condition copied from LimeSurvey
that tests a type keeps its meaning: `N` for a number, `L` for a single choice, `M`
for a multiple choice and each of its options… The letter is read from the kind's
shape and widget, so a plugin's kind has the letter of the built-in kind it resembles.

`q.question` is the wording: of the question, of an option or a row for a part
(LimeSurvey's subquestion text), and `row[column]` for a cell of a grid, as
LimeSurvey writes the text of a cell of its number arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from qengine.kinds.base import Choices, Table
from qengine.kinds.registry import kind_of
from qengine.model import Question, Text

#: The LimeSurvey type of a question, by its answer's shape (`Kind.shape`); a date, a
#: text area (`long_text` widget) and a computed value have their own (`type_letter`).
SHAPE_LETTERS = {"choice": "L", "choices": "M", "row_choice": "F", "row_cells": ":", "number": "N", "text": "S",
                 "none": "X"}


def type_letter(question: Question) -> str:
    """The letter of the LimeSurvey type `question` is exported as."""
    kind = kind_of(question)
    if question.formula is not None:
        return "*"
    if kind.widget.input_type == "date":
        return "D"
    return "T" if kind.widget.name == "long_text" else SHAPE_LETTERS[kind.shape]


def wording_texts(question: Question, sub: tuple[str, ...]) -> tuple[Text | None, ...]:
    """The wording `.question` reads for the question (`sub` empty) or its part `sub`:
    one text, or a grid cell's row and column labels (`wording` joins them)."""
    if not sub:
        return (question.text,)
    shape = kind_of(question).shape
    if shape == "choices":
        option = cast(Choices, question).option(sub[0])
        return (option.label if option is not None else None,)
    table = cast(Table, question)
    row = table.row(sub[0])
    if shape == "row_cells" and len(sub) == 2:
        column = table.column(sub[1])
        return (row.label if row is not None else None, column.label if column is not None else None)
    return (row.label if row is not None else None,)


def wording(question: Question, sub: tuple[str, ...], read: Callable[[Text], str]) -> str:
    """The wording `.question` gives, each text read by `read` (which evaluates its
    `{…}`); "" where there is none (an equation's)."""
    texts = ["" if t is None else read(t) for t in wording_texts(question, sub)]
    return texts[0] if len(texts) == 1 else f"{texts[0]}[{texts[1]}]"
