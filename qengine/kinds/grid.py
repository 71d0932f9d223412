"""`grid`: rows x columns of numbers (LimeSurvey's "Array (Numbers)")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from qengine.errors import close_or_listed
from qengine.kinds.array import TableQuestion, needs_rows_and_columns, no_such_row, not_a_row
from qengine.kinds.base import Kind, MalformedAnswer, Statements, Widget, said, short_repr
from qengine.kinds.domain import Domain
from qengine.kinds.number import (
    default_in_bounds,
    number_problem,
    number_schema,
    numeric_default,
    out_of_bounds,
)
from qengine.kinds.samples import (
    NOT_A_CODE,
    Decisions,
    Invalid,
    Texts,
    bad_numbers,
    bounds,
    number,
    numbers,
    some_number,
)
from qengine.model import Question

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym, Whole
    from qengine.runtime.session import Choice, QuestionView


@attrs.frozen(kw_only=True)
class Grid(TableQuestion):
    """Rows x columns of numbers (LimeSurvey's "Array (Numbers)")."""

    kind: str = "grid"
    integer: bool = True
    min: int | float | None = None
    max: int | float | None = None
    default: int | float | None = None


class GridKind(Kind):
    name = "grid"
    model = Grid
    words = {"en": "a grid", "fr": "une grille"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "row", "column", "scale",
                            "min", "max", "default"})
    shape = "row_cells"
    widget = Widget("number_table")
    seconds = (3, 6)  # each cell

    def build(self, s: Statements) -> Question | None:
        needs_rows_and_columns(self, s)
        return Grid(**s.common, rows=tuple(s.rows), columns=tuple(s.columns), min=s.single.get("min"),
                    max=s.single.get("max"), default=numeric_default(s))

    # ------------------------------------------------------------ variables
    def parts(self, q: Any) -> Iterable[tuple[str, ...]]:
        return ((r.code, c.code) for r in q.rows for c in q.columns)

    def part_problem(self, q: Any, name: str, parts: tuple[str, ...]) -> tuple[str, str, str | None]:
        if q.row(parts[0]) is None:
            return no_such_row(q, parts)
        if len(parts) == 1:
            return ("E211", f"'{name}' names a whole row of the grid '{q.code}'",
                    "name one cell: " + ", ".join(f"{name}_{c.code}" for c in q.columns[:3]))
        return ("E212", f"'{q.code}' has no column '{parts[1]}'",
                close_or_listed(parts[1], [c.code for c in q.columns], "columns"))

    def numeric(self, q: Any, sub: tuple[str, ...]) -> bool:
        return len(sub) == 2

    def whole_problem(self, q: Any, attr: str) -> tuple[str, str] | None:
        first = f"{q.rows[0].code}_{q.columns[0].code}" if q.rows and q.columns else "row_column"
        hint = f"read one cell: {q.code}_{first}"
        if attr == "shown":
            return f"'{q.code}' is {self.word()}: '.shown' needs one cell", hint + ".shown"
        return f"'{q.code}' is {self.word()}: it has no single value", hint

    # ------------------------------------------------------------ answers
    def coerce(self, q: Any, raw: Any) -> Any:
        if not isinstance(raw, dict):
            raise MalformedAnswer(q.code, f'expected an object {{"row": {{"column": number}}}}, got {short_repr(raw)}')
        out = _defaults(q)
        for row, cells in raw.items():
            if q.row(row) is None:
                raise not_a_row(q, row)
            if not isinstance(cells, dict):
                raise MalformedAnswer(q.code, f'row {row!r}: expected an object {{"column": number}}, '
                                      f"got {short_repr(cells)}")
            for col, value in cells.items():
                if q.column(col) is None:
                    raise MalformedAnswer(q.code, f"{short_repr(col)} is not a column; columns: "
                                          + ", ".join(c.code for c in q.columns))
                if value is None:
                    out.get(row, {}).pop(col, None)
                    continue
                problem = number_problem(value)
                if problem:
                    raise MalformedAnswer(q.code, f"cell {row}/{col}: {problem}")
                out.setdefault(row, {})[col] = value
        return {r: c for r, c in out.items() if c} or None

    def refusal(self, q: Any, value: Any, offered: set[str], language: str) -> str | None:
        for cells in value.values():
            for cell in cells.values():
                problem = out_of_bounds(q, cell, language)
                if problem:
                    return problem
        return None

    def lacks(self, q: Any, value: Any, rows: Sequence[Choice], language: str) -> list[str]:
        from qengine.runtime.messages import message

        if q.mandatory and any(len(value.get(r.code, ())) < len(q.columns) for r in rows):
            return [message(language, "mandatory_cells")]
        return []

    def initial(self, q: Any) -> Any:
        return _defaults(q) or None

    def to_json(self, q: Any, value: Any) -> Any:
        return {r: dict(c) for r, c in value.items()}

    def json_schema(self, q: Any) -> dict[str, Any]:
        cell = {"anyOf": [number_schema(q), {"type": "null"}]}
        return {"type": "object", "additionalProperties": False,
                "properties": {r.code: {"type": "object", "additionalProperties": False,
                                        "properties": {c.code: cell for c in q.columns}}
                               for r in q.rows}}

    def filtered(self, q: Any, value: Any, offered: set[str]) -> Any:
        return {r: v for r, v in value.items() if r in offered} or None

    def read(self, q: Any, value: Any, sub: tuple[str, ...]) -> Any:
        return value.get(sub[0], {}).get(sub[1])

    def whole_answer(self, q: Any, given: Any, sub: tuple[str, ...], value: Any) -> Any:
        row, col = sub
        # Every other cell as it stands, a blank one as an explicit None: a cell the
        # respondent cleared must not come back to the grid's default.
        cells = {r.code: {c.code: None for c in q.columns} for r in q.rows}
        for r, stored in (given or {}).items():
            cells[r].update(stored)
        cells[row][col] = value
        return cells

    # ------------------------------------------------------------ lint
    def domain(self, q: Any, tools: Any) -> Domain:
        return GridDomain(q, tools)

    # ------------------------------------------------------------ samples
    def valid_answer(self, q: Any, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        lo, hi = bounds(view, q.integer)
        if not view.rows or not view.columns or lo > hi:
            return None
        return {r.code: {c.code: number(lo, hi, q.integer, dec) for c in view.columns} for r in view.rows}

    def invalid_values(self, q: Any, view: QuestionView) -> list[Invalid]:
        out = [Invalid("a value of the wrong shape", [NOT_A_CODE])]
        if view.rows:
            row, col = view.rows[0].code, q.columns[0].code
            out += [Invalid(reason, {row: {col: v}}) for reason, v in bad_numbers(view, q.integer)]
        return out

    def well_formed(self, q: Any) -> Any:
        if not q.rows or not q.columns:
            return None
        return {q.rows[0].code: {q.columns[0].code: some_number(q.min, q.integer)}}

    def candidates(self, q: Any, view: QuestionView, texts: Texts) -> list[Any]:
        rows, cols = [r.code for r in view.rows], [c.code for c in q.columns]
        values = numbers(view, q.integer)
        out = [{r: dict.fromkeys(cols, v) for r in rows} for v in values]
        low = values[0] if values else 0
        for r in rows:
            for c in cols:
                for v in values[1:]:
                    out.append({r2: {c2: (v if (r2, c2) == (r, c) else low) for c2 in cols} for r2 in rows})
        return out[:60]

    # ------------------------------------------------------------ rendering
    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        whole, any_number = said(language, {
            "en": ("Please write a whole number in each box:", "Please write a number in each box:"),
            "fr": ("Inscrivez un nombre entier dans chaque case :", "Inscrivez un nombre dans chaque case :")})
        return (whole if q.integer else any_number,)

    def answer_check(self, q: Any) -> dict[str, Any]:
        return {"integer": q.integer, "min": q.min, "max": q.max, "default": q.default}


def _defaults(q: Grid) -> dict[str, dict[str, Any]]:
    if q.default is None:
        return {}
    return {r.code: {c.code: q.default for c in q.columns} for r in q.rows}


class GridDomain(Domain):
    """Each cell: whether it is empty, and its number."""

    question: Grid

    def __init__(self, question: Grid, tools: Any):
        super().__init__(question, tools)
        self.cells = {(r.code, c.code): (tools.z3.Bool(f"{self.code}_{r.code}_{c.code}_empty"),
                                         tools.number(f"{self.code}_{r.code}_{c.code}", question.integer))
                      for r in question.rows for c in question.columns}

    @property
    def variables(self) -> tuple[Any, ...]:
        return tuple(v for pair in self.cells.values() for v in pair)

    def rules(self) -> Cond:
        t, q = self.tools, self.question
        offered = dict(zip((r.code for r in q.rows), self.offered(q.rows), strict=True))
        parts = []
        for (row, _), (empty, _number) in self.cells.items():
            parts.append(t.z3.Implies(t.neg(t.conj(self.shown, offered[row].formula)), empty))
        if not default_in_bounds(q):
            parts.append(self._bounded())
        return t.Cond(t.conj(*parts), frozenset().union(*(o.reasons for o in offered.values())))

    def _bounded(self) -> z3.BoolRef:
        t, q = self.tools, self.question
        return t.conj(*(t.z3.Implies(t.neg(e), t.within(x, q.min, q.max)) for e, x in self.cells.values()))

    def typed(self) -> z3.BoolRef:
        return self._bounded() if default_in_bounds(self.question) else self.tools.TRUE

    def initial(self) -> z3.BoolRef:
        t, d = self.tools, self.question.default
        if d is None:
            return t.conj(*(e for e, _ in self.cells.values()))
        return t.conj(*(t.z3.And(t.neg(e), t.as_real(x) == t.real(d)) for e, x in self.cells.values()))

    def _row_kept(self, row: str) -> z3.BoolRef:
        return self.tools.conj(self.shown, self.logic.offered(self.code, row).formula)

    def read(self, sub: tuple[str, ...]) -> Sym:
        t = self.tools
        empty, x = self.cells[(sub[0], sub[1])]
        kept = t.conj(self._row_kept(sub[0]), t.neg(empty))
        return t.Sym.of([(kept, t.Num(t.as_real(x))), (t.neg(kept), t.EMPTY)])

    def whole(self) -> Whole:
        return self.tools.Whole(tuple(self.read(key) for key in self.cells))

    def _row_cells(self, row: str) -> list[z3.BoolRef]:
        """Whether each cell of `row` holds a number."""
        return [self.tools.neg(e) for (r, _), (e, _) in self.cells.items() if r == row]

    def answered(self) -> z3.BoolRef:
        t = self.tools
        return t.disj(*(t.conj(self._row_kept(r.code), t.disj(*self._row_cells(r.code))) for r in self.question.rows))

    def checks(self) -> Cond:
        """A mandatory grid, once answered, needs every cell of every offered row
        (`Session._problems`: "fill in every box"), not just one cell a row."""
        t, q = self.tools, self.question
        every = t.conj(*(t.z3.Implies(self._row_kept(r.code), t.conj(*self._row_cells(r.code))) for r in q.rows))
        return self.problems_free(every if q.mandatory else None)

    def witness(self, model: z3.ModelRef) -> Any:
        t = self.tools
        out: dict[str, dict[str, Any]] = {}
        for (row, col), (empty, x) in self.cells.items():
            if t.holds(model, empty):
                if self.question.default is not None:
                    out.setdefault(row, {})[col] = None
            else:
                out.setdefault(row, {})[col] = t.model_number(model.eval(x, model_completion=True))
        return out or None

