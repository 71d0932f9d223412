"""Fixtures shared across test files: the PostgreSQL the server tests run on
(`serve_fixtures.py` says where it comes from)."""

from __future__ import annotations

import pytest
from serve_fixtures import fresh_database, postgres_cluster

DATABASES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server's URL for the whole run (started on first use)."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=DATABASES)
def database(request, tmp_path):
    """An empty database, once SQLite and once PostgreSQL."""
    cluster = request.getfixturevalue("postgres") if request.param == "postgresql" else None
    with fresh_database(request.param, cluster, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=DATABASES)
def module_database(request, tmp_path_factory):
    """An empty database for a whole test module, once SQLite and once PostgreSQL
    (for tests that share one server)."""
    cluster = request.getfixturevalue("postgres") if request.param == "postgresql" else None
    with fresh_database(request.param, cluster, tmp_path_factory.mktemp("db")) as url:
        yield url
