"""The symbol table: every variable name an expression may use, and what it denotes.

Names follow LimeSurvey's SGQA-free naming: a question's code, and for the parts its
kind gives it (`Kind.parts`) `code_option` (multiple choice), `code_row` (array) and
`code_row_column` (grid). Codes themselves cannot contain `_`, so a name splits
one way only.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from qengine.kinds.registry import kind_of
from qengine.model import Question


@attrs.frozen
class Symbol:
    question: str
    sub: tuple[str, ...] = ()


@attrs.frozen
class SymbolTable:
    names: dict[str, Symbol]

    @classmethod
    def build(cls, questions: Iterable[Question]) -> SymbolTable:
        names: dict[str, Symbol] = {}
        for q in questions:
            names[q.code] = Symbol(q.code)
            for sub in kind_of(q).parts(q):
                names["_".join((q.code, *sub))] = Symbol(q.code, sub)
        return cls(names)

    def get(self, name: str) -> Symbol | None:
        return self.names.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.names
