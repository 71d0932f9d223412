"""The statements of every request, compiled once and run on the driver's cursor.

A request reads its response's row and writes it back (or only writes it, when
the worker kept it: `recent.py`): one or two short statements. Run through
SQLAlchemy's `Connection.execute`, each cost 0.3 to 0.7 ms of Python (its cache
key, execution context and result object), ten times what SQLite takes to run it,
and most of a request's time. A `Statement` keeps what SQLAlchemy does
once: the SQL it compiles for the engine's dialect (parameter style, PostgreSQL's
casts) and the converters of each value's type (JSON, UTC datetimes), the very
ones SQLAlchemy applies, so that a row written here reads the same through
SQLAlchemy and the other way round. Only the execution is left to the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

Converter = Callable[[Any], Any]


class Statement:
    """One SQLAlchemy statement, compiled for one dialect."""

    def __init__(self, dialect: sa.Dialect, statement: sa.Select | sa.Insert | sa.Update):
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        # Parameter names in their order for a positional style (SQLite's "?"),
        # None for a named one (psycopg's "%(name)s").
        self._order: tuple[str, ...] | None = tuple(compiled.positiontup) if compiled.positiontup else None
        self._bind: dict[str, Converter] = {}
        for name, parameter in compiled.binds.items():
            convert = parameter.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                self._bind[name] = convert
        # The types read here (integers, strings, JSON, datetimes) convert the same
        # whatever type code the driver reports for the column.
        columns = statement.exported_columns if isinstance(statement, sa.ReturnsRows) else ()
        self._names = tuple(str(c.key) for c in columns)  # the keys of table columns
        self._read = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)

    def parameters(self, values: Mapping[str, Any]) -> tuple | dict:
        bind = self._bind
        converted = {name: bind[name](v) if name in bind else v for name, v in values.items()}
        return converted if self._order is None else tuple(converted[name] for name in self._order)

    def run(self, cursor, values: Mapping[str, Any]):
        cursor.execute(self.sql, self.parameters(values))
        return cursor

    def row(self, raw) -> dict[str, Any]:
        """A row the driver fetched, as SQLAlchemy would give it (by column key)."""
        return {name: v if read is None or v is None else read(v)
                for name, read, v in zip(self._names, self._read, raw, strict=True)}
