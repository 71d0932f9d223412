"""The text `qengine test` prints and the pytest plugin fails with: one line per
expectation (`file:line: ✓ name`), then, under a failure, each step that does not
hold with its own file:line, and the counter-example of an `every` statement as an
answers file with the `qengine play` command that replays it."""

from __future__ import annotations

import json

from qengine.expect.results import FAILED, PASSED, Result
from qengine.model.expect import Expectation, Route

MARKS = {PASSED: "✓", FAILED: "✗", "undecided": "?"}


def title(e: Expectation) -> str:
    """How a route or `every` statement is named in reports."""
    return f'"{e.name}"' if isinstance(e, Route) else e.name.removeprefix("expect ")


def describe(result: Result, survey_path: str) -> str:
    span = result.expectation.span
    lines = [f"{span.path}:{span.line}: {MARKS[result.status]} {title(result.expectation)}"
             + (f"  ({result.note})" if result.note else "")]
    for f in result.failures:
        lines.append(f"    {f.span.path}:{f.span.line}: {f.message}")
    if result.witness is not None:
        lines.append(f"    counter-example: {json.dumps(result.witness, ensure_ascii=False)}")
        lines.append(f"    replay: save it as FILE, then qengine play {survey_path} --answers FILE")
    return "\n".join(lines)


def summary(results: list[Result]) -> str:
    counts = {s: sum(1 for r in results if r.status == s) for s in MARKS}
    return (f"{len(results)} expectation{'s' if len(results) != 1 else ''}: {counts[PASSED]} passed, "
            f"{counts[FAILED]} failed, {counts['undecided']} undecided")
