"""Stated routes: what the author means the survey to do, as `expect` blocks.

Two forms (docs/qdl.md, "Stated routes"):

- a **route**: some answers, then what must follow from them: questions asked or
  not, wording, an answer refused, an equation's value, a response that can be
  submitted. Checked by playing the answers through the runtime;
- an **every** statement: every respondent who meets a condition is (or is not)
  asked some questions. Checked by the solver for all respondents at once.

They are parsed with the survey (after its groups) or from a side file
(`SURVEY.expect`), and kept apart from the survey's meaning: a survey with
or without them is the same survey to the runtime, renderers and `diff`.
"""

from __future__ import annotations

import attrs

from qengine.expr.ast import Expr
from qengine.span import Span


@attrs.frozen
class Given:
    """`answer CODE = VALUE`: `name` is a question code or a part of one
    (`grid_row`), as `Session.answer` takes it; the value in the answers-file form."""

    name: str
    value: object
    span: Span = attrs.field(eq=False)

    @property
    def question(self) -> str:
        return self.name.split("_", 1)[0]


@attrs.frozen
class Asked:
    """`asked a, b` (`shown` true) or `not asked a, b`."""

    codes: tuple[str, ...]
    shown: bool
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Wording:
    """`wording CODE contains "..."` / `wording CODE is "..."`."""

    code: str
    whole: bool  # `is`: the whole text; `contains`: a part of it
    text: str
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Refused:
    """`refused CODE = VALUE [message "..."]`: the answer is refused, or accepted
    with a problem that keeps the respondent on the page (a validation's message);
    the message, when given, is part of what the respondent reads."""

    name: str
    value: object
    message: str | None
    span: Span = attrs.field(eq=False)

    @property
    def question(self) -> str:
        return self.name.split("_", 1)[0]


@attrs.frozen
class Value:
    """`value CODE = VALUE`: what the question (an equation, most often) holds."""

    code: str
    value: object
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Completes:
    """`completes`: the response can be submitted (nothing mandatory left blank,
    every rule satisfied)."""

    span: Span = attrs.field(eq=False)


Check = Asked | Wording | Refused | Value | Completes


@attrs.frozen
class Route:
    """`expect "name"` with its answers and checks, in the order written."""

    name: str
    answers: tuple[Given, ...]
    checks: tuple[Check, ...]
    span: Span = attrs.field(eq=False)


@attrs.frozen
class Every:
    """`expect every respondent who CONDITION is [not] asked a, b`."""

    name: str  # the statement as written, for reports
    condition: Expr
    shown: bool
    codes: tuple[str, ...]
    span: Span = attrs.field(eq=False)


Expectation = Route | Every
