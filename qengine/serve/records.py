"""The one response record: what the server stores, what `qengine responses`
exports, and what a report reads.

    {"id", "version", "status", "started_at", "submitted_at", "page_durations", "response"}

`response` is exactly what `qengine play` gives for the answers stored: the
response submitted for a complete one; for a partial one, what `play` holds when
it stops (the questions presented so far, answered or not), computed with the
version of the survey the response was answered under.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TextIO

from qengine.model import Survey
from qengine.runtime.play import play
from qengine.serve.storage import ResponseRow, Store
from qengine.serve.versions import recorded

FORMATS = ("jsonl", "csv", "json")
FIELDS = ("id", "version", "status", "started_at", "submitted_at", "page_durations")


def records(store: Store, survey: Survey, version: str, *, partial: bool) -> Iterator[dict]:
    surveys = {version: survey}
    for row in store.responses(partial=partial):
        yield record(row, surveys.setdefault(row.version, recorded(store, row.version) or survey))


def record(row: ResponseRow, survey: Survey) -> dict:
    response = row.response if row.complete else play(survey, row.answers).response
    return {"id": row.id, "version": row.version, "status": row.status, "started_at": _time(row.started_at),
            "submitted_at": _time(row.submitted_at), "page_durations": row.page_durations,
            "response": response}


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def write(out: TextIO, rows: Iterable[dict], fmt: str, survey: Survey) -> int:
    """Write the records in `fmt`; returns how many."""
    if fmt == "jsonl":
        n = 0
        for r in rows:  # one at a time: a large export is never all in memory
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    rows = list(rows)
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        _csv(out, rows, survey)
    return len(rows)


def _csv(out: TextIO, rows: list[dict], survey: Survey) -> None:
    """One line a response: the record's fields, then one column a question (the
    survey's order, then codes only older versions had); lists and objects as JSON."""
    known = [q.code for q in survey.questions]
    extra = sorted({c for r in rows for c in r["response"]} - set(known))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIELDS, *known, *extra])
    for r in rows:
        writer.writerow([_cell(r[f]) for f in FIELDS] + [_cell(r["response"].get(c)) for c in [*known, *extra]])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
