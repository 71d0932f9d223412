"""A lint finding is a `Diagnostic` (the one type of `qengine.errors`) whose code
is a rule of the registry, and whose severity is that rule's."""

from __future__ import annotations

from qengine.errors import Diagnostic
from qengine.lint.registry import RULES
from qengine.span import Span


def finding(code: str, message: str, span: Span, hint: str | None = None,
            witness: dict | None = None) -> Diagnostic:
    return Diagnostic(code, message, span, hint, RULES[code].severity, witness)


def lint_format(diagnostic: Diagnostic, source=None) -> str:
    """Ruff's shape: `path:line:col: CODE message`, the line with a caret, the hint
    and the witness."""
    return diagnostic.format(source, head=f"{diagnostic.span}: {diagnostic.code} {diagnostic.message}")
