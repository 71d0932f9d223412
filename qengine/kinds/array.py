"""`array`: rows answered on one shared scale of columns, one column code a row.

Also home of `TableQuestion`, what every question of rows and columns has (a grid
too), and of the helpers the table kinds share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qengine.errors import close_or_listed
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.domain import Domain
from qengine.kinds.samples import NOT_A_CODE, Decisions, Invalid, Texts, hidden
from qengine.kinds.single import code_of, codes_enum, label_of
from qengine.model import Column, Question, Row, Text

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym, Whole
    from qengine.runtime.session import Choice, QuestionView


@attrs.frozen(kw_only=True)
class TableQuestion(Question):
    """A question of rows and columns."""

    rows: tuple[Row, ...] = ()
    columns: tuple[Column, ...] = ()

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    @property
    def items(self) -> tuple[Row, ...]:
        return self.rows

    def column(self, code: str) -> Column | None:
        return next((c for c in self.columns if c.code == code), None)

    @property
    def texts(self) -> Iterator[Text]:
        yield from super().texts
        for r in self.rows:
            yield r.label
        for c in self.columns:
            yield c.label


@attrs.frozen(kw_only=True)
class Array(TableQuestion):
    """Rows answered on one shared scale of columns: one column code per row."""

    kind: str = "array"


def needs_rows_and_columns(kind: Kind, s: Statements) -> None:
    if not (s.rows and s.columns):
        s.report("E205", f"{kind.word()} needs {'rows' if not s.rows else 'columns'}", s.code_span,
                 "rows: 'row code \"label\"'; columns: 'column code \"label\"' or 'scale 1 to 5'")


def not_a_row(q: TableQuestion, row: Any) -> MalformedAnswer:
    return MalformedAnswer(q.code, f"{short_repr(row)} is not a row; rows: " + ", ".join(r.code for r in q.rows))


def no_such_row(q: TableQuestion, parts: tuple[str, ...]) -> tuple[str, str, str | None]:
    return ("E212", f"'{q.code}' has no row '{parts[0]}'",
            close_or_listed(parts[0], [r.code for r in q.rows], "rows"))


class ArrayKind(Kind):
    name = "array"
    model = Array
    words = {"en": "an array", "fr": "un tableau"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "row", "column", "scale"})
    shape = "row_choice"
    widget = Widget("choice_table")
    seconds = (2, 4)  # each row

    def build(self, s: Statements) -> Question | None:
        needs_rows_and_columns(self, s)
        return Array(**s.common, rows=tuple(s.rows), columns=tuple(s.columns))

    # ------------------------------------------------------------ variables
    def parts(self, q: Any) -> Iterable[tuple[str, ...]]:
        return ((r.code,) for r in q.rows)

    def part_problem(self, q: Any, name: str, parts: tuple[str, ...]) -> tuple[str, str, str | None]:
        return no_such_row(q, parts)

    def codes(self, q: Any, sub: tuple[str, ...]) -> list[str] | None:
        return [c.code for c in q.columns] if sub else None

    def whole_problem(self, q: Any, attr: str) -> tuple[str, str] | None:
        first = q.rows[0].code if q.rows else "row"
        hint = f"read one row: {q.code}_{first}"
        if attr == "shown":
            return f"'{q.code}' is {self.word()}: '.shown' needs one row", hint + ".shown"
        return f"'{q.code}' is {self.word()}: it has no single value", hint

    # ------------------------------------------------------------ answers
    def coerce(self, q: Any, raw: Any) -> Any:
        if not isinstance(raw, dict):
            raise MalformedAnswer(q.code, f'expected an object {{"row": "column"}}, got {short_repr(raw)}')
        out = {}
        for row, col in raw.items():
            if q.row(row) is None:
                raise not_a_row(q, row)
            if col is None:
                continue
            value = code_of(col)
            if value is None or q.column(value) is None:
                raise MalformedAnswer(q.code, f"{short_repr(col)} is not a column of row {row!r}; columns: "
                                      + ", ".join(c.code for c in q.columns))
            out[row] = value
        return out or None

    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        from qengine.runtime.messages import message

        return next((message(language, "not_offered", value=row) for row in value if row not in offered), None)

    def lacks(self, q: Any, value: Any, rows: Sequence[Choice], language: str) -> list[str]:
        from qengine.runtime.messages import message

        return [message(language, "mandatory_rows")] if q.mandatory and len(value) < len(rows) else []

    def to_json(self, q: Any, value: Any) -> Any:
        return dict(value)

    def json_schema(self, q: Any) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False,
                "properties": {r.code: {"anyOf": [codes_enum(q.columns), {"type": "null"}]} for r in q.rows}}

    def filtered(self, q: Any, value: Any, offered: set[str]) -> Any:
        return {r: v for r, v in value.items() if r in offered} or None

    def read(self, q: Any, value: Any, sub: tuple[str, ...]) -> Any:
        return value.get(sub[0])

    def shown(self, q: Any, value: Any, sub: tuple[str, ...], view: QuestionView) -> str:
        return label_of(view.columns, value)

    def whole_answer(self, q: Any, given: Any, sub: tuple[str, ...], value: Any) -> Any:
        return {**(given or {}), sub[0]: value}

    def kept(self, q: Any, stored: Any, previous: Any) -> set[str]:
        """Rows answered earlier and hidden now keep their answer untouched."""
        previous = previous or {}
        return {r for r, v in (stored or {}).items() if previous.get(r) == v}

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> Domain:
        return ArrayDomain(q, tools)

    # ------------------------------------------------------------ samples
    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        cols = view.columns
        if not view.rows or not cols:
            return None
        return {r.code: cols[dec.below(len(cols))].code for r in view.rows}

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        out = [Invalid("a value of the wrong shape", [NOT_A_CODE])]
        if view.rows and view.columns:
            out.append(Invalid("not a column", {view.rows[0].code: NOT_A_CODE}))
        if q.columns:
            out += [Invalid("a row not offered now", {c: q.columns[0].code}) for c in hidden(q.rows, view.rows)[:1]]
        return out

    def well_formed(self, q: Any) -> Any:
        return {q.rows[0].code: q.columns[0].code} if q.rows and q.columns else None

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        rows = [r.code for r in view.rows]
        return [{r: c.code for r in rows} for c in view.columns] if rows else []

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        return (said(language, {"en": "Please choose the appropriate response for each item:",
                                "fr": "Choisissez la réponse appropriée pour chaque élément :"}),)


class ArrayDomain(Domain):
    """One `Toolkit.OneOf` a row."""

    question: Array

    def __init__(self, question: Array, tools: Any):
        super().__init__(question, tools)
        self.columns = [c.code for c in question.columns]
        self.cells = [tools.OneOf(f"{self.code}_{r.code}", self.columns) for r in question.rows]

    @property
    def variables(self) -> tuple[Any, ...]:
        return tuple(f for c in self.cells for f in c.flags)

    def typed(self) -> z3.BoolRef:
        return self.tools.conj(*(c.typed() for c in self.cells))

    def rules(self) -> Cond:
        t = self.tools
        offered = self.offered(self.question.rows)
        parts = [t.z3.Implies(t.neg(self.shown), t.conj(*(c.none() for c in self.cells)))]
        for c, o in zip(self.cells, offered, strict=True):
            if o.formula is not t.TRUE:
                parts.append(t.z3.Implies(t.neg(c.none()), o.formula))
        return t.Cond(t.conj(*parts), frozenset().union(*(o.reasons for o in offered)))

    def initial(self) -> z3.BoolRef:
        return self.tools.conj(*(c.none() for c in self.cells))

    def _rows(self) -> list[tuple[Any, z3.BoolRef]]:
        offered = self.offered(self.question.rows)
        return [(cell, self.tools.conj(self.shown, o.formula)) for cell, o in zip(self.cells, offered, strict=True)]

    def read(self, sub: tuple[str, ...]) -> Sym:
        t = self.tools
        cell, kept = self._rows()[[r.code for r in self.question.rows].index(sub[0])]
        picked = [t.conj(kept, flag) for flag in cell.flags]
        return t.Sym.of([*zip(picked, map(t.Const, self.columns), strict=True), (t.neg(t.disj(*picked)), t.EMPTY)])

    def whole(self) -> Whole:
        return self.tools.Whole(tuple(self.read((r.code,)) for r in self.question.rows))

    def answered(self) -> z3.BoolRef:
        t = self.tools
        return t.disj(*(t.conj(kept, t.neg(cell.none())) for cell, kept in self._rows()))

    def checks(self) -> Cond:
        t = self.tools
        every = t.conj(*(t.z3.Implies(kept, t.neg(cell.none())) for cell, kept in self._rows()))
        return self.problems_free(every if self.question.mandatory else None)

    def witness(self, model: z3.ModelRef) -> Any:
        out = {}
        for r, cell in zip(self.question.rows, self.cells, strict=True):
            picked = cell.picked(model)
            if picked is not None:
                out[r.code] = picked
        return out or None
