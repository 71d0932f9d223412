"""The server's tables, as SQLAlchemy Core objects the queries are written with.

The database schema itself is made by the Alembic migrations in `migrations/`;
`tests/test_serve_storage.py` holds the two to each other (a migrated database
compares equal to this metadata), so a column added here without a migration
fails a test instead of a server in the field.

One database may hold several surveys: every row carries its survey's code.
Nothing about a respondent's person is kept: no address, no browser, no name.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa


class UtcDateTime(sa.TypeDecorator):
    """A moment in UTC. SQLite has no time zones: stored without one, read back
    with UTC attached, so both databases hand out the same aware datetimes."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

#: Each version of a survey that was served: the QDL text it came from, so that a
#: response keeps meaning what it meant when the survey changes.
survey_versions = sa.Table(
    "survey_versions", metadata,
    sa.Column("survey", sa.String(200), primary_key=True),
    sa.Column("version", sa.String(64), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("first_served_at", UtcDateTime, nullable=False),
)

#: One-use invitations of a closed survey. Only a hash of the secret part is kept;
#: who was invited is in the file the author keeps, never here.
invitations = sa.Table(
    "invitations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("survey", sa.String(200), nullable=False),
    sa.Column("selector", sa.String(32), nullable=False, unique=True),
    sa.Column("verifier_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime, nullable=True),
)

#: One row a respondent. `answers` are the answers given (the answers-file form,
#: answers of questions hidden since kept, as the session keeps them); `page` is
#: where the respondent is; `revision` grows at every change, so that two requests
#: for the same response never overwrite each other (optimistic concurrency).
responses = sa.Table(
    "responses", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("survey", sa.String(200), nullable=False),
    sa.Column("selector", sa.String(32), nullable=False, unique=True),
    sa.Column("verifier_hash", sa.String(64), nullable=False),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("answers", sa.JSON(none_as_null=True), nullable=False),
    sa.Column("page", sa.Integer, nullable=False),
    sa.Column("page_durations", sa.JSON(none_as_null=True), nullable=False),
    sa.Column("response", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("submitted_at", UtcDateTime, nullable=True),
    sa.Column("invitation_id", sa.Integer, sa.ForeignKey("invitations.id"), nullable=True, unique=True),
    sa.Index(None, "survey", "status"),
)

PARTIAL = "partial"
COMPLETE = "complete"
