"""What the checks of one lint run share: the survey, what is selected, every
expression with the place it belongs to, and (built on first use) the survey's
solver model."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

import attrs

from qengine.expr import ast
from qengine.lint.progress import SILENT, Progress
from qengine.lint.registry import Selection
from qengine.model import Group, Question, Survey
from qengine.span import Source, Span


@attrs.frozen
class Site:
    """An expression and where it is: `role` is condition, option, row, validation,
    value (of an equation) or text."""

    expr: ast.Expr
    role: str
    question: Question | None = None
    group: Group | None = None

    @property
    def owner_code(self) -> str:
        if self.question is not None:
            return self.question.code
        assert self.group is not None  # a site is a question's or a group's
        return self.group.code


class LintContext:
    def __init__(self, survey: Survey, selection: Selection, progress: Progress = SILENT, jobs: int = 1):
        self.survey = survey
        self.selection = selection
        self.progress = progress
        self.jobs = jobs
        #: other files the findings point into, for their excerpts (a side file of
        #: stated routes, added by the check that read it)
        self.sources: list[Source] = []

    def wants(self, *codes: str) -> bool:
        return any(c in self.selection for c in codes)

    @cached_property
    def logic(self):
        from qengine.lint.logic import SurveyLogic

        return SurveyLogic(self.survey)

    @cached_property
    def prover(self):
        from qengine.lint.prover import Prover

        return Prover(self.logic, self.progress, self.jobs)

    def sites(self) -> Iterator[Site]:
        """Every expression of the survey, in file order."""
        by_group: dict[str, list[Question]] = {}
        for q in self.survey.questions:
            by_group.setdefault(q.group, []).append(q)
        for g in self.survey.groups:
            if g.condition is not None:
                yield Site(g.condition, "condition", group=g)
            for t in (g.title, g.description):
                for e in t.expressions if t is not None else ():
                    yield Site(e, "text", group=g)
            for q in by_group.get(g.code, ()):
                yield from _question_sites(q)

    def head(self, node) -> Span:
        """The first line of a statement's span (where a finding about a whole
        question, option or group points)."""
        span = node.span
        if span.end_line == span.line:
            return span
        source = self.survey.source
        line = source.line_text(span.line)
        end = span.start + len(line.rstrip()) - (span.column - 1)
        return source.span(span.start, end)


def _question_sites(q: Question) -> Iterator[Site]:
    if q.condition is not None:
        yield Site(q.condition, "condition", q)
    for item in getattr(q, "options", ()):
        if item.condition is not None:
            yield Site(item.condition, "option", q)
    for item in getattr(q, "rows", ()):
        if item.condition is not None:
            yield Site(item.condition, "row", q)
    for v in q.validations:
        yield Site(v.rule, "validation", q)
    if q.formula is not None:
        yield Site(q.formula, "value", q)
    for t in q.texts:
        for e in t.expressions:
            yield Site(e, "text", q)
