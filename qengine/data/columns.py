"""The variables of a survey: the columns of every table the data tools write.

A question gives one variable, or one per part, named as LimeSurvey names them so
that users find the codes they know (`sexe`, `pertecauses_materiel`,
`responsabilite_sans`, `sauvegardesupports_susb_slocal`):

| shape (`Kind.shape`) | variables                 | values                            |
|----------------------|---------------------------|-----------------------------------|
| choice               | `q`                       | the option's code                 |
| choices              | `q_option`, each option   | 1 ticked, 0 not ticked            |
| row_choice           | `q_row`, each row         | the column's code                 |
| row_cells            | `q_row_column`, each cell | a number                          |
| number               | `q`                       | a number                          |
| text                 | `q`                       | the text                          |
| none (an equation)   | `q`                       | its value (a number or a text)    |

Display texts have none. Each question also has its *asked* flag: shown when the
respondent submitted (an equation: computed). A variable's value is then one of
three things: a value, "asked, no answer" (`NO_ANSWER`) or "not asked"
(`NOT_ASKED`); the formats write the last two as two distinct codes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import attrs

from qengine.data.sources import Loaded, Record
from qengine.data.words import words
from qengine.kinds.base import Choices, Table
from qengine.kinds.registry import kind_of
from qengine.model import Question, Survey
from qengine.renderers.words import Reader


class _Missing:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False


#: the two kinds of missing value, never the same
NOT_ASKED = _Missing("NOT_ASKED")
NO_ANSWER = _Missing("NO_ANSWER")

#: the record's fields that are columns too, before the variables
RECORD_COLUMNS = ("id", "version", "status", "started_at", "submitted_at", "duration")


@attrs.frozen
class Variable:
    """One column: its name, question and part, label, type and value labels.

    `type`: "choice" (codes with labels), "flag" (1/0), "number", "integer", "text",
    or "computed" (an equation: number or text, decided by the values).
    `values`: code -> label, in the options' order; `numbers`: code -> the whole
    number SPSS and Stata store for it (the code itself when every code is a whole
    number, as on a 1-5 scale; else the option's position)."""

    name: str
    question: str
    part: tuple[str, ...]
    label: str
    type: str
    values: dict[str, str] = attrs.field(factory=dict)
    numbers: dict[str, int] = attrs.field(factory=dict)

    @property
    def numeric(self) -> bool:
        return self.type in ("flag", "number", "integer")


@attrs.frozen
class Layout:
    """The variables of a survey, in order, and for each question its variables."""

    survey: Survey
    variables: tuple[Variable, ...]
    by_question: dict[str, tuple[Variable, ...]]

    @property
    def questions(self) -> tuple[str, ...]:
        return tuple(self.by_question)

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)


def layout(survey: Survey, language: str | None = None) -> Layout:
    reader = Reader(survey, language)
    said = words(language or survey.language)
    out: dict[str, tuple[Variable, ...]] = {}
    for q in survey.questions:
        made = tuple(_variables(q, reader, said))
        if made:
            out[q.code] = made
    return Layout(survey, tuple(v for vs in out.values() for v in vs), out)


def _numbers(codes: Sequence[str]) -> dict[str, int]:
    if all(c.lstrip("-").isdigit() for c in codes):
        return {c: int(c) for c in codes}
    return {c: i for i, c in enumerate(codes, 1)}


def _variables(q: Question, reader: Reader, said: dict):
    kind = kind_of(q)
    text = reader.reading(q.text) if q.text is not None else q.code
    shape = kind.shape
    if shape == "choice":
        values = {o.code: reader.reading(o.label) for o in cast(Choices, q).options}
        yield Variable(q.code, q.code, (), text, "choice", values, _numbers(list(values)))
    elif shape == "choices":
        for o in cast(Choices, q).options:
            yield Variable(f"{q.code}_{o.code}", q.code, (o.code,), f"{text} [{reader.reading(o.label)}]", "flag",
                           {"1": said["ticked"], "0": said["not_ticked"]}, {"1": 1, "0": 0})
    elif shape == "row_choice":
        table = cast(Table, q)
        values = {c.code: reader.reading(c.label) for c in table.columns}
        for r in table.rows:
            yield Variable(f"{q.code}_{r.code}", q.code, (r.code,), f"{text} [{reader.reading(r.label)}]", "choice",
                           values, _numbers(list(values)))
    elif shape == "row_cells":
        integer = getattr(q, "integer", False)
        table = cast(Table, q)
        for r in table.rows:
            for c in table.columns:
                yield Variable(f"{q.code}_{r.code}_{c.code}", q.code, (r.code, c.code),
                               f"{text} [{reader.reading(r.label)} / {reader.reading(c.label)}]",
                               "integer" if integer else "number")
    elif shape == "number":
        yield Variable(q.code, q.code, (), text, "integer" if getattr(q, "integer", False) else "number")
    elif shape == "text":
        yield Variable(q.code, q.code, (), text, "text")
    elif q.formula is not None:
        yield Variable(q.code, q.code, (), reader.term(q.formula) if q.text is None else text, "computed")


def values(lay: Layout, record: Record) -> tuple:
    """The row of one record: each variable's value, NOT_ASKED or NO_ANSWER,
    then each question's asked flag. Computed once per distinct response."""
    replayed = record.replayed
    if replayed.row is not None and replayed.row[0] is lay:
        return replayed.row[1]
    asked, response = replayed.asked, replayed.response
    row: list[Any] = []
    for code, variables in lay.by_question.items():
        if code not in asked:
            row.extend([NOT_ASKED] * len(variables))
            continue
        value = response.get(code)
        if value is None:
            row.extend([NO_ANSWER] * len(variables))
            continue
        shape = kind_of(lay.survey.by_code[code]).shape
        if shape == "choices":
            ticked = set(value)
            row.extend(1 if v.part[0] in ticked else 0 for v in variables)
        elif shape == "row_choice":
            row.extend(value.get(v.part[0], NO_ANSWER) for v in variables)
        elif shape == "row_cells":
            row.extend(_cell(value, v.part) for v in variables)
        else:
            row.append(_scalar(value))
    row.extend(code in asked for code in lay.by_question)
    out = tuple(row)
    object.__setattr__(replayed, "row", (lay, out))  # shared by every copy of this response
    return out


def _cell(value: dict, part: tuple[str, ...]) -> Any:
    cell = (value.get(part[0]) or {}).get(part[1])
    return NO_ANSWER if cell is None else cell


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return NO_ANSWER
    return value


def rows(lay: Layout, loaded: Loaded) -> list[tuple]:
    return [values(lay, r) for r in loaded.records]


def computed_types(lay: Layout, table: list[tuple]) -> dict[str, str]:
    """Each equation's type as its values say: number when every value is one."""
    out = {}
    for i, v in enumerate(lay.variables):
        if v.type == "computed":
            seen = {type(row[i]) for row in table} - {_Missing}
            out[v.name] = "number" if seen <= {int, float} else "text"
    return out
