"""A lint finding: a code of the registry, a message, the place it points at, and,
for findings the solver proves possible, the witness that shows it."""

from __future__ import annotations

import attrs

from qengine.errors import excerpt
from qengine.lint.registry import RULES
from qengine.span import Source, Span


@attrs.frozen
class Finding:
    code: str
    message: str
    span: Span
    hint: str | None = None
    witness: dict | None = attrs.field(default=None, eq=False)

    @property
    def rule(self):
        return RULES[self.code]

    @property
    def severity(self) -> str:
        return self.rule.severity

    def format(self, source: Source | None = None) -> str:
        """`path:line:col: CODE message`, the source line with a caret, the hint."""
        lines = [f"{self.span}: {self.code} {self.message}"]
        if source is not None:
            lines.extend(excerpt(source, self.span))
        if self.hint:
            lines.append(f"  = hint: {self.hint}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        out = {"code": self.code, "name": self.rule.name, "severity": self.severity,
               "message": self.message, "path": self.span.path, **self.span.to_json()}
        if self.hint:
            out["hint"] = self.hint
        if self.witness is not None:
            out["witness"] = self.witness
        return out
