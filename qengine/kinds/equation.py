"""`equation`: a hidden computed value, kept in the response like an answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from qengine.expr.ast import Expr
from qengine.expr.values import MAX_NUMBER
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.number import number_problem
from qengine.model import Question


@attrs.frozen(kw_only=True)
class Equation(Question):
    """A hidden computed value: evaluated whenever its inputs change, stored in the
    response like an answer."""

    kind: str = "equation"
    value: Expr

    def expressions(self) -> Iterator[Expr]:
        yield from super().expressions()
        yield self.value

    @property
    def is_input(self) -> bool:
        return False

    @property
    def formula(self) -> Expr:
        return self.value


class EquationKind(Kind):
    name = "equation"
    model = Equation
    words = {"en": "an equation", "fr": "une équation"}
    attributes = frozenset({"condition", "value", "help"})
    shape = "none"
    widget = Widget("hidden")
    seconds = (0, 0)
    needs_text = False  # never shown

    def build(self, s: Statements) -> Question | None:
        if "value" not in s.single:
            s.report("E205", f"the equation '{s.code}' has no value", s.code_span, "add a line 'value <expression>'")
            return None
        return Equation(**s.common, value=s.single["value"])

    def check(self, q: Any, raw: Any) -> None:
        """Its computed value (a string, a number or a boolean) may stand in an
        answers file, so that a response replays as one; the value given is not
        used: it is computed anew."""
        if raw is not None and not isinstance(raw, str | bool) and number_problem(raw):
            raise MalformedAnswer(q.code, "an equation's value is a string, a number "
                                  f"or a boolean, got {short_repr(raw)}")

    def json_schema(self, q: Any) -> dict[str, Any]:
        return {"anyOf": [{"type": ["string", "boolean"]},
                          {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}]}

    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        return (said(language, {"en": "Computed value, not shown to the respondent",
                                "fr": "Valeur calculée, non affichée au répondant"}),)
