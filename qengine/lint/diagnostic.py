"""A lint finding: a code of the registry, a message, the place it points at, and,
for findings the solver proves possible, the witness that shows it (printed with
the finding when it is short, else in the JSON and SARIF outputs)."""

from __future__ import annotations

import json

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
        if self.witness is not None:
            lines.append(f"  = witness: {_witness_line(self.witness)}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        out = {"code": self.code, "name": self.rule.name, "severity": self.severity,
               "message": self.message, "path": self.span.path, **self.span.to_json()}
        if self.hint:
            out["hint"] = self.hint
        if self.witness is not None:
            out["witness"] = self.witness
        return out


#: a witness longer than this (as one line of JSON) is left to `--format json`
WITNESS_WIDTH = 100


def _witness_line(witness: dict) -> str:
    """The witness on one line when it is short, else where to find it."""
    compact = json.dumps(witness, ensure_ascii=False)
    if len(compact) <= WITNESS_WIDTH:
        return f"{compact} (an answers file for `qengine play --answers`)"
    return (f"an answers file of {len(witness)} answers, printed by `qengine lint --format json`; "
            "replay it with `qengine play --answers`")
