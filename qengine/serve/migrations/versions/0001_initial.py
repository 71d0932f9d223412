"""The first schema: survey versions, invitations, responses.

Revision ID: 0001
Revises:
Create Date: 2025-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_versions",
        sa.Column("survey", sa.String(200), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("first_served_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("survey", "version", name="pk_survey_versions"),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("survey", sa.String(200), nullable=False),
        sa.Column("selector", sa.String(32), nullable=False),
        sa.Column("verifier_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("selector", name="uq_invitations_selector"),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("survey", sa.String(200), nullable=False),
        sa.Column("selector", sa.String(32), nullable=False),
        sa.Column("verifier_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("page_durations", sa.JSON, nullable=False),
        sa.Column("response", sa.JSON, nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
        sa.Column("invitation_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
        sa.UniqueConstraint("selector", name="uq_responses_selector"),
        sa.UniqueConstraint("invitation_id", name="uq_responses_invitation_id"),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitations.id"],
                                name="fk_responses_invitation_id_invitations"),
    )
    op.create_index("ix_responses_survey_status", "responses", ["survey", "status"])


def downgrade() -> None:
    op.drop_index("ix_responses_survey_status", table_name="responses")
    op.drop_table("responses")
    op.drop_table("invitations")
    op.drop_table("survey_versions")
