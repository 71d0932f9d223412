"""Alembic's versions of the server's schema, shipped inside the package and
applied by `qengine.serve.migrate.upgrade` when the server starts."""
