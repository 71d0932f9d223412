"""Alembic's environment: the migrations run on the connection the server hands
over (`qengine.serve.migrate`), never on a URL of their own."""

from alembic import context

from qengine.serve.migrate import VERSION_TABLE

context.configure(connection=context.config.attributes["connection"], version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
