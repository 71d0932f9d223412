"""The survey model: immutable attrs classes built from a .qdl file.

A `Survey` holds its groups and questions in order, each with the spans it came
from. A question is of a kind (`qengine.kinds`), whose module holds the subclass
of `Question` with what that kind adds (options, rows, bounds, ...). Every
condition, validation, equation and piece of dynamic wording is an expression of
`qengine.expr.ast`, its names checked against the survey's symbol table.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

import attrs

from qengine.expr.ast import Expr, Var, variables
from qengine.span import Source, Span

if TYPE_CHECKING:
    from qengine.model.expect import Expectation


@attrs.frozen
class Text:
    """Wording that may change with earlier answers: literal strings and
    `{expression}` parts, in order."""

    parts: tuple[str | Expr, ...]
    span: Span = attrs.field(eq=False)

    @property
    def is_static(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    @property
    def expressions(self) -> tuple[Expr, ...]:
        return tuple(p for p in self.parts if not isinstance(p, str))

    @property
    def plain(self) -> str:
        """The literal text with expressions left out (for messages and hints)."""
        return "".join(p for p in self.parts if isinstance(p, str))


@attrs.frozen
class Option:
    code: str
    label: Text
    exclusive: bool = False
    condition: Expr | None = None
    span: Span = attrs.field(eq=False, default=None)


@attrs.frozen
class Row:
    code: str
    label: Text
    condition: Expr | None = None
    span: Span = attrs.field(eq=False, default=None)


@attrs.frozen
class Column:
    code: str
    label: Text
    span: Span = attrs.field(eq=False, default=None)


@attrs.frozen
class Validation:
    """A rule the answer must satisfy while the question is shown."""

    rule: Expr
    message: Text
    span: Span = attrs.field(eq=False, default=None)


@attrs.frozen(kw_only=True)
class Question:
    """What every kind of question has. Its kind (`qengine.kinds`) adds the rest:
    options, rows, bounds, ... in a subclass of its own."""

    kind: str  # the QDL keyword: `qengine.kinds.kind_of(question)` is its kind
    code: str
    text: Text | None = None
    help: Text | None = None
    mandatory: bool = False
    condition: Expr | None = None
    validations: tuple[Validation, ...] = ()
    group: str = ""
    number: int = 0
    span: Span = attrs.field(eq=False, default=None)

    @property
    def texts(self) -> Iterator[Text]:
        """Every piece of wording the respondent may read for this question."""
        for t in (self.text, self.help):
            if t is not None:
                yield t
        for v in self.validations:
            yield v.message

    def expressions(self) -> Iterator[Expr]:
        """Every expression attached to the question (condition first)."""
        if self.condition is not None:
            yield self.condition
        for v in self.validations:
            yield v.rule
        for t in self.texts:
            yield from t.expressions
        yield from self.filters

    @property
    def is_input(self) -> bool:
        """Whether the respondent answers it (not an equation or display text)."""
        return True

    @property
    def formula(self) -> Expr | None:
        """The expression its value is computed from (an equation's), or None for
        a question the respondent answers or only reads. A computed value is kept
        in the response and never shown."""
        return None

    @property
    def items(self) -> tuple[Option | Row, ...]:
        """What the question offers that may have a condition of its own: the
        options of a choice, the rows of an array or grid; nothing for the rest."""
        return ()

    @property
    def filters(self) -> list[Expr]:
        """The conditions of its options or rows (LimeSurvey's array filters)."""
        return [i.condition for i in self.items if i.condition is not None]


@attrs.frozen(kw_only=True)
class Group:
    code: str
    title: Text
    description: Text | None = None
    condition: Expr | None = None
    questions: tuple[str, ...] = ()
    span: Span = attrs.field(eq=False, default=None)


NAVIGATION_FORMATS = ("question", "group", "all")


@attrs.frozen
class Comment:
    """A `# …` comment of the file, as the lexer found it (lint reads `# noqa`)."""

    text: str
    span: Span = attrs.field(eq=False)


@attrs.frozen(kw_only=True)
class Survey:
    code: str
    title: Text | None = None
    language: str = "en"
    welcome: Text | None = None
    end: Text | None = None
    format: str = "group"
    groups: tuple[Group, ...] = ()
    questions: tuple[Question, ...] = ()
    source: Source = attrs.field(eq=False, default=None, repr=False)
    span: Span = attrs.field(eq=False, default=None)
    comments: tuple[Comment, ...] = attrs.field(eq=False, default=(), repr=False)
    #: the `expect` blocks written after the groups (`qengine.model.expect`): what the
    #: author means the survey to do, not part of what it does, hence not compared
    expectations: tuple[Expectation, ...] = attrs.field(eq=False, default=(), repr=False)

    @cached_property
    def by_code(self) -> dict[str, Question]:
        return {q.code: q for q in self.questions}

    @cached_property
    def groups_by_code(self) -> dict[str, Group]:
        return {g.code: g for g in self.groups}

    def question(self, code: str) -> Question:
        return self.by_code[code]

    @cached_property
    def graph(self):
        """The dependency graph of the survey's expressions (`qengine.model.graph`)."""
        from qengine.model.graph import DependencyGraph

        return DependencyGraph.build(self)

    @cached_property
    def symbols(self):
        """The variables expressions may read (`qengine.model.symbols.SymbolTable`)."""
        from qengine.model.symbols import SymbolTable

        return SymbolTable.build(self.questions)

    def start(self, **options):
        """A new respondent session: the same as `qengine.Session(survey, **options)`,
        the documented way. Kept as a shorthand; the runtime is imported only when
        called, since the model does not depend on it."""
        from qengine.runtime import Session

        return Session(self, **options)

    @property
    def texts(self) -> Iterator[Text]:
        for t in (self.title, self.welcome, self.end):
            if t is not None:
                yield t
        for g in self.groups:
            yield g.title
            if g.description is not None:
                yield g.description


def reads(expressions) -> set[str]:
    """The question codes an iterable of expressions reads."""
    return {v.question for e in expressions for v in variables(e) if v.question}


__all__ = ["Column", "Comment", "Group", "Option", "Question", "Row", "Survey", "Text", "Validation", "Var", "reads"]
