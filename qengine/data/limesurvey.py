"""A LimeSurvey results CSV ("question codes" heading, answer codes as values) read
as responses to the same survey written in QDL.

Columns are matched by code, as LimeSurvey names them: a question `QCODE`; a
multiple-choice option or an array row `QCODE_SQCODE` (Expression Manager's name)
or `QCODE[SQCODE]` (the results export of some versions); a grid cell
`QCODE_ROW_COLUMN` or `QCODE[ROW_COLUMN]`. Codes that `.lss` export had to shorten
(LimeSurvey keeps 20 characters of a question code, 5 of an answer code) are known
by both names. LimeSurvey's own columns (id, submitdate, startdate, lastpage,
seed, token, timings, …) are read or skipped; any other column is a problem, said
once, for the heading's line.

Values: option codes; "Y" for a ticked box ("" or "N" not ticked); numbers as
LimeSurvey writes them ("3", "3.0000000000"). A row without a submitdate is a
partial response. Who was asked is then replayed by the survey (sources.replay):
LimeSurvey's empty cells never decide it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from qengine.data import DataError
from qengine.data.sources import Problem
from qengine.kinds.base import Choices, Table
from qengine.kinds.registry import kind_of
from qengine.model import Survey

#: LimeSurvey's limits on codes, as the .lss export applies them
QUESTION_CODE, ANSWER_CODE = 20, 5
#: LimeSurvey's own columns: read (id, dates) or skipped
META = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "token", "ipaddr",
        "refurl", "interviewtime"}
_TIMING = re.compile(r"(groupTime\d+|.+Time)\Z")
TICKED, UNTICKED = {"Y", "y", "1"}, {"", "N", "n", "0"}

csv.field_size_limit(10_000_000)


def shorten(code: str, limit: int, taken: set[str]) -> str:
    """`code` cut to `limit` characters, unique (case aside) by a number: the .lss
    export's rule (qengine_renderers.lss.renderer.shorten), so that a survey
    exported to LimeSurvey reads its results back."""
    if code[:limit].lower() not in taken:
        taken.add(code[:limit].lower())
        return code[:limit]
    n = 2
    while True:
        candidate = code[: limit - len(str(n))] + str(n)
        if candidate.lower() not in taken:
            taken.add(candidate.lower())
            return candidate
        n += 1


class Columns:
    """What each column of the CSV means for `survey`: (question, part) by name,
    and each question's answer codes (LimeSurvey's and its own) by question."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.by_name: dict[str, tuple[Any, tuple[str, ...]]] = {}
        self.answers: dict[str, dict[str, str]] = {}
        self.computed: set[str] = set()
        taken: set[str] = set()
        for q in survey.questions:
            names = {q.code, shorten(q.code, QUESTION_CODE, taken)}
            kind = kind_of(q)
            if not q.is_input:
                self.computed |= names
                continue
            shape = kind.shape
            if shape in ("choice", "row_choice"):
                items = cast(Choices, q).options if shape == "choice" else cast(Table, q).columns
                own: set[str] = set()
                codes: dict[str, str] = {}
                for i in items:
                    codes[shorten(i.code, ANSWER_CODE, own)] = i.code
                for i in items:
                    codes[i.code] = i.code
                self.answers[q.code] = codes
            for n in names:
                if shape in ("choice", "number", "text"):
                    self.by_name[n] = (q, ())
                for part in kind.parts(q):
                    self.by_name[f"{n}_{'_'.join(part)}"] = (q, part)
                    self.by_name[f"{n}[{'_'.join(part)}]"] = (q, part)
        self._lower = {k.lower(): v for k, v in self.by_name.items()}

    def find(self, name: str) -> tuple[Any, tuple[str, ...]] | None:
        return self.by_name.get(name) or self._lower.get(name.lower())


def read(survey: Survey, location: str) -> Iterator[tuple[str, Any] | Problem]:
    path = Path(location)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise DataError(f"{location}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise DataError(f"{location}: not UTF-8 text (export it from LimeSurvey as UTF-8)") from None
    lines = text.splitlines(keepends=True)
    if not lines:
        raise DataError(f"{location}: empty file")
    first = lines[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        heading = next(reader)
    except csv.Error as err:
        raise DataError(f"{name}:1: not a CSV heading: {err}") from None
    columns = Columns(survey)
    meaning: list[tuple[Any, tuple[str, ...]] | str | None] = []
    for col in heading:
        col = col.strip()
        found = columns.find(col)
        if found is not None:
            meaning.append(found)
        elif col in META or col.lower() in META:
            meaning.append(col.lower())
        elif col in columns.computed or _TIMING.match(col):
            meaning.append(None)
        else:
            meaning.append(None)
            yield Problem(f"{name}:1", f"column '{col}' is no question, option, row or cell of the survey "
                                       "(nor one of LimeSurvey's own): ignored")
    if not any(isinstance(m, tuple) for m in meaning):
        raise DataError(f"{name}:1: no column matches a question of the survey: is it a LimeSurvey export "
                        "with question codes (not texts) as heading, of this survey?")
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            yield Problem(f"{name}:{start}", f"not CSV ({err}): the rest of the file is left out")
            break
        where = f"{name}:{start}"
        start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(heading):
            yield Problem(where, f"{len(cells)} cells for {len(heading)} columns: read as far as they go")
        record, problems = _row(cells, meaning, heading, columns)
        yield from (Problem(where, p) for p in problems)
        yield where, record


def _row(cells: list[str], meaning, heading, columns: Columns) -> tuple[dict, list[str]]:
    problems: list[str] = []
    response: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    for cell, what, col in zip(cells, meaning, heading, strict=False):
        if what is None:
            continue
        if isinstance(what, str):
            fields[what] = cell.strip()
            continue
        q, part = what
        value = cell.strip()
        shape = kind_of(q).shape
        if shape == "choices":
            if value in TICKED:
                response.setdefault(q.code, []).append(part[0])
            elif value not in UNTICKED:
                problems.append(f"{col}: '{_cut(value)}' is neither Y (ticked) nor empty: left out")
            else:
                response.setdefault(q.code, [])
            continue
        if value == "":
            continue
        if shape in ("choice", "row_choice"):
            code = columns.answers[q.code].get(value)
            if code is None:
                problems.append(f"{col}: '{_cut(value)}' is no answer code of {q.code} "
                                f"({', '.join(dict.fromkeys(columns.answers[q.code].values()))}): left out")
                continue
            if shape == "choice":
                response[q.code] = code
            else:
                response.setdefault(q.code, {})[part[0]] = code
        elif shape == "row_cells":
            number = _number(value)
            if number is None:
                problems.append(f"{col}: '{_cut(value)}' is not a number: left out")
                continue
            response.setdefault(q.code, {}).setdefault(part[0], {})[part[1]] = number
        elif shape == "number":
            number = _number(value)
            if number is None:
                problems.append(f"{col}: '{_cut(value)}' is not a number: left out")
                continue
            response[q.code] = number
        else:
            response[q.code] = cell
    # an option not ticked and none ticked: nothing was answered
    for code, value in list(response.items()):
        if value == [] or value == {}:
            response[code] = None
    submitted = fields.get("submitdate")
    status = "partial" if "submitdate" in fields and not submitted else "complete"
    record = {"id": _id(fields.get("id")), "status": status, "started_at": fields.get("startdate") or None,
              "submitted_at": submitted or None, "response": {c: v for c, v in response.items() if v is not None}}
    return record, problems


def _number(text: str) -> int | float | None:
    try:
        x = float(text.replace(",", ".")) if re.fullmatch(r"[+-]?\d+([.,]\d*)?([eE][+-]?\d+)?", text) else None
    except ValueError:
        return None
    if x is None:
        return None
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _id(text: str | None) -> Any:
    if text is None or text == "":
        return None
    return int(text) if text.isdigit() else text


def _cut(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"
