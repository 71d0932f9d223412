"""Bringing a database's schema up to date with Alembic, from inside the server.

`qengine serve` calls `upgrade` once before its workers start; any other command
that opens the database (`qengine participants`, `qengine responses`) does too, so
that a database is never read with an older schema than the code expects. On
PostgreSQL a transaction-level advisory lock keeps two machines starting at once
from migrating together; SQLite's write lock does the same for a file.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

#: Alembic's bookkeeping table, named so as not to clash with an application that
#: shares the PostgreSQL database and has migrations of its own.
VERSION_TABLE = "qengine_schema_version"
_LOCK = 0x7165_6E67  # "qeng": the advisory lock's key


def _config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "qengine.serve:migrations")
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest schema version this code knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None  # qengine ships its migrations
    return found


def current(engine: sa.Engine) -> str | None:
    """The schema version of the database, None for an empty one."""
    with engine.connect() as connection:
        return MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """Apply every migration the database lacks, in one transaction."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        command.upgrade(_config(connection), "head")
