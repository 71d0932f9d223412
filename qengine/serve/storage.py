"""Where responses live: one SQLAlchemy engine and every query the server makes.

SQLite (the default, a file beside the survey) runs in WAL mode: readers never
wait for the writer, and a commit is durable once the call returns, also if the
process is killed right after (`synchronous=NORMAL` keeps WAL commits through a
crash of the program; see docs/serve.md for a power cut). PostgreSQL is reached
through psycopg 3. The queries are the same for both.

Every write is one short transaction that starts by writing, so SQLite never has
to turn a read lock into a write lock (the source of "database is locked" errors),
and a response is changed only if nobody changed it since it was read
(`revision`): see `respond.py`. On SQLite the threads of one process also take
turns to write (`_writing`): SQLite makes a second writer wait by sleeping in
steps of up to 100 ms, which under load costs far more than queueing.

The statements of every request (find a response, write it back, start one) run
on the driver's cursor, compiled once (`statements.py`); the rest goes through
SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

import attrs
import sqlalchemy as sa

from qengine.serve.statements import Statement
from qengine.serve.tables import COMPLETE, PARTIAL, invitations, responses, survey_versions


class StorageError(Exception):
    """The database cannot be used as given (a bad URL, an unknown kind of database)."""


def database_url(value: str) -> sa.URL:
    """The URL of `--db`: `sqlite:///FILE`, `postgresql://…` (through psycopg 3), or
    the path of an SQLite file."""
    if "://" not in value:
        return sa.URL.create("sqlite", database=str(Path(value)))
    try:
        url = sa.make_url(value)
    except sa.exc.ArgumentError:
        raise StorageError(f"not a database URL: {value!r}") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise StorageError(f"unsupported database {backend!r}: use sqlite:///FILE or postgresql://…")
    return url


def default_database(survey_path: str) -> str:
    """`SURVEY.responses.sqlite`, beside the survey."""
    path = Path(survey_path)
    return str(path.with_name(path.stem + ".responses.sqlite"))


def describe(url: sa.URL) -> str:
    """The database as a person reads it, without its password."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return "SQLite in memory"
        return f"SQLite file {Path(url.database).resolve()}"
    return f"PostgreSQL {url.render_as_string(hide_password=True)}"


def create_engine(url: sa.URL, *, pool_size: int = 8) -> sa.Engine:
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise StorageError("SQLite needs a file: responses must outlive the server")
        engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size,
                                  connect_args={"timeout": 30, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_settings)
        return engine
    # No ping before each use (a round trip a query): connections are renewed every half hour
    # instead, and one that broke fails one request, then leaves the pool.
    return sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)


def _sqlite_settings(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@attrs.frozen
class ResponseRow:
    id: int
    survey: str
    selector: str
    verifier_hash: str
    version: str
    status: str
    answers: dict
    page: int
    page_durations: dict
    response: dict | None
    revision: int
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    invitation_id: int | None

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE


@attrs.frozen
class InvitationRow:
    id: int
    selector: str
    verifier_hash: str
    used_at: datetime | None


@attrs.frozen
class DayCounts:
    day: str
    started: int
    partial: int
    complete: int


_BY_SELECTOR = sa.select(responses).where(responses.c.survey == sa.bindparam("survey"),
                                          responses.c.selector == sa.bindparam("key"))
_BY_INVITATION = sa.select(responses).where(responses.c.survey == sa.bindparam("survey"),
                                            responses.c.invitation_id == sa.bindparam("key"))


class Store:
    """The queries of one survey's server, on one engine."""

    def __init__(self, engine: sa.Engine, survey: str):
        self.engine = engine
        self.survey = survey
        # One statement needs no BEGIN and COMMIT around it: on PostgreSQL that is
        # three round trips saved on every read and on most writes.
        self._single = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._lock = threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        self._by_selector = Statement(engine.dialect, _BY_SELECTOR)
        # Inserts and updates by the columns they set (a handful of combinations).
        self._statements: dict[tuple[str, tuple[str, ...]], Statement] = {}

    @contextlib.contextmanager
    def _cursor(self, *, writes: bool) -> Iterator:
        """A driver cursor of a pooled connection in autocommit mode (each
        statement its own transaction, no BEGIN or COMMIT round trips), set the
        way SQLAlchemy sets its AUTOCOMMIT level and reset before the connection
        goes back to the pool. A connection whose statement failed leaves the
        pool (it may be broken)."""
        dialect = self.engine.dialect
        with self._lock if writes else contextlib.nullcontext():
            connection = self.engine.raw_connection()
            driver = connection.dbapi_connection
            assert driver is not None  # a connection just checked out is live
            try:
                dialect.set_isolation_level(driver, "AUTOCOMMIT")
                cursor = connection.cursor()
                try:
                    yield cursor
                finally:
                    cursor.close()
                dialect.reset_isolation_level(driver)
            except BaseException:
                connection.invalidate()
                raise
            finally:
                connection.close()

    def _statement(self, kind: str, columns: tuple[str, ...]) -> Statement:
        found = self._statements.get((kind, columns))
        if found is None:
            if kind == "insert":
                insert = responses.insert().values({c: sa.bindparam(c) for c in columns})
                if self.engine.dialect.insert_returning:
                    insert = insert.returning(responses.c.id)
                found = Statement(self.engine.dialect, insert)
            else:  # "update": the row as it was read, by its id and revision
                found = Statement(self.engine.dialect, responses.update().where(
                    responses.c.id == sa.bindparam("read_id"),
                    responses.c.revision == sa.bindparam("read_revision"),
                ).values({c: sa.bindparam(c) for c in columns}))
            self._statements[kind, columns] = found
        return found

    @contextlib.contextmanager
    def _writing(self, *, statements: int = 2) -> Iterator[sa.Connection]:
        """A write (one writer at a time in this process on SQLite): a transaction,
        or one statement on its own."""
        with self._lock, (self.engine.begin() if statements > 1 else self._single.connect()) as c:
            yield c

    # ------------------------------------------------------------ versions
    def record_version(self, version: str, source: str, now: datetime) -> None:
        """Keep the text of a version being served (once; several workers may try)."""
        if self.version_source(version) is not None:
            return
        try:
            with self._writing(statements=1) as c:
                c.execute(survey_versions.insert().values(
                    survey=self.survey, version=version, source=source, first_served_at=now))
        except sa.exc.IntegrityError:
            pass  # another worker recorded it first

    def version_source(self, version: str) -> str | None:
        with self._single.connect() as c:
            return c.execute(sa.select(survey_versions.c.source).where(
                survey_versions.c.survey == self.survey, survey_versions.c.version == version)).scalar()

    # ------------------------------------------------------------ responses
    def insert_response(self, values: Mapping) -> int:
        values = {**values, "survey": self.survey, "revision": 0}
        statement = self._statement("insert", tuple(values))
        with self._cursor(writes=True) as cursor:
            statement.run(cursor, values)
            if self.engine.dialect.insert_returning:
                return cursor.fetchone()[0]
            return cursor.lastrowid

    def _insert(self, c: sa.Connection, values: Mapping) -> int:
        result = c.execute(responses.insert().values(survey=self.survey, revision=0, **values))
        key = result.inserted_primary_key
        assert key is not None  # a single-row insert
        return key[0]

    def response(self, selector: str) -> ResponseRow | None:
        with self._cursor(writes=False) as cursor:
            raw = self._by_selector.run(cursor, {"survey": self.survey, "key": selector}).fetchone()
        return None if raw is None else ResponseRow(**self._by_selector.row(raw))

    def response_of_invitation(self, invitation_id: int) -> ResponseRow | None:
        return self._one(_BY_INVITATION, invitation_id)

    def _one(self, query: sa.Select, key) -> ResponseRow | None:
        with self._single.connect() as c:
            row = c.execute(query, {"survey": self.survey, "key": key}).first()
        return None if row is None else ResponseRow(**row._mapping)

    def update_response(self, row: ResponseRow, values: Mapping) -> ResponseRow | None:
        """Write `values` if the response is still as `row` read it: the row as
        written; None if another request changed it in between (the caller reads
        it again and retries)."""
        values = {**values, "revision": row.revision + 1}
        statement = self._statement("update", tuple(values))
        with self._cursor(writes=True) as cursor:
            statement.run(cursor, {**values, "read_id": row.id, "read_revision": row.revision})
            written = cursor.rowcount == 1
        return attrs.evolve(row, **values) if written else None

    def delete_response(self, response_id: int) -> bool:
        with self._writing(statements=1) as c:
            result = c.execute(responses.delete().where(
                responses.c.survey == self.survey, responses.c.id == response_id))
            return result.rowcount == 1

    def responses(self, *, partial: bool) -> Iterator[ResponseRow]:
        """Every response in the order they were started; partial ones too if asked."""
        query = sa.select(responses).where(responses.c.survey == self.survey).order_by(responses.c.id)
        if not partial:
            query = query.where(responses.c.status == COMPLETE)
        with self.engine.connect() as c:
            for row in c.execute(query):
                yield ResponseRow(**row._mapping)

    def counts_by_day(self) -> list[DayCounts]:
        """Responses started each day (UTC), and how many of those are still partial
        or complete now."""
        query = sa.select(responses.c.started_at, responses.c.status).where(responses.c.survey == self.survey)
        days: dict[str, dict[str, int]] = {}
        with self.engine.connect() as c:
            for started_at, status in c.execute(query):
                day = days.setdefault(started_at.date().isoformat(), {PARTIAL: 0, COMPLETE: 0})
                day[status] = day.get(status, 0) + 1
        return [DayCounts(d, sum(n.values()), n[PARTIAL], n[COMPLETE]) for d, n in sorted(days.items())]

    # ------------------------------------------------------------ invitations
    def add_invitations(self, tokens: list[tuple[str, str]], now: datetime) -> None:
        """`tokens` as (selector, verifier hash) pairs, all in one transaction."""
        if not tokens:
            return
        with self._writing() as c:
            c.execute(invitations.insert(), [
                {"survey": self.survey, "selector": s, "verifier_hash": h, "created_at": now} for s, h in tokens])

    def invitation(self, selector: str) -> InvitationRow | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(invitations.c.id, invitations.c.selector, invitations.c.verifier_hash,
                                      invitations.c.used_at).where(
                invitations.c.survey == self.survey, invitations.c.selector == selector)).first()
        return None if row is None else InvitationRow(**row._mapping)

    def insert_invited_response(self, invitation_id: int, values: Mapping, now: datetime) -> int | None:
        """Use the invitation and start its response, in one transaction; None when
        the invitation was used already (by this very respondent a moment ago, say)."""
        with self._writing() as c:
            used = c.execute(invitations.update().where(
                invitations.c.id == invitation_id, invitations.c.used_at.is_(None)).values(used_at=now))
            if used.rowcount != 1:
                return None
            return self._insert(c, {**values, "invitation_id": invitation_id})

    def invitation_counts(self) -> tuple[int, int]:
        """(invitations, used)."""
        with self.engine.connect() as c:
            total, used = c.execute(sa.select(sa.func.count(), sa.func.count(invitations.c.used_at)).where(
                invitations.c.survey == self.survey)).one()
        return total, used
