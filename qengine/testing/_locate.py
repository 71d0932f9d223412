"""Naming the part of a survey an evaluation error comes from.

An `EvaluationError` carries the span of the failing expression; the author reads
"in the wording of question perte" more easily than a line number alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from qengine.model import Survey
from qengine.span import Span


def _parts(survey: Survey) -> Iterator[tuple[str, object]]:
    for name, text in (("the survey title", survey.title), ("the welcome text", survey.welcome),
                       ("the end text", survey.end)):
        if text is not None:
            yield name, text
    for g in survey.groups:
        yield f"the title of group {g.code}", g.title
        if g.description is not None:
            yield f"the description of group {g.code}", g.description
        if g.condition is not None:
            yield f"the condition of group {g.code}", g.condition
    for q in survey.questions:
        if q.condition is not None:
            yield f"the condition of question {q.code}", q.condition
        if q.formula is not None:
            yield f"the value of equation {q.code}", q.formula
        for v in q.validations:
            yield f"a validation rule of question {q.code}", v.rule
            yield f"a validation message of question {q.code}", v.message
        for t in q.texts:
            yield f"the wording of question {q.code}", t
        for item in q.items:
            if item.condition is not None:
                yield f"the condition of {q.code} {item.code}", item.condition


def _inside(inner: Span, outer: Span | None) -> bool:
    return (outer is not None and inner.path == outer.path
            and outer.start <= inner.start and inner.end <= outer.end)


def locate(survey: Survey, span: Span) -> str | None:
    """The innermost named part of `survey` whose source holds `span`."""
    best = None
    for name, part in _parts(survey):
        outer = getattr(part, "span", None)
        if outer is not None and _inside(span, outer) and (best is None or outer.end - outer.start < best[1]):
            best = (name, outer.end - outer.start)
    return best[0] if best else None
