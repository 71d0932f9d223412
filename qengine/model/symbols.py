"""The symbol table: every variable name an expression may use, and what it denotes.

Names follow LimeSurvey's SGQA-free naming: a question's code, and for the parts of
a question `code_option` (multiple choice), `code_row` (array) and
`code_row_column` (grid). Codes themselves cannot contain `_`, so a name splits
one way only.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from qengine.model import Array, Grid, MultipleChoice, Question


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
            if isinstance(q, MultipleChoice):
                for o in q.options:
                    names[f"{q.code}_{o.code}"] = Symbol(q.code, (o.code,))
            elif isinstance(q, Array):
                for r in q.rows:
                    names[f"{q.code}_{r.code}"] = Symbol(q.code, (r.code,))
            elif isinstance(q, Grid):
                for r in q.rows:
                    for c in q.columns:
                        names[f"{q.code}_{r.code}_{c.code}"] = Symbol(q.code, (r.code, c.code))
        return cls(names)

    def get(self, name: str) -> Symbol | None:
        return self.names.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.names
