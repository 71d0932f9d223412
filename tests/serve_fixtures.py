"""What the server tests share: a throwaway PostgreSQL cluster, a fresh database
of either kind, and `qengine serve`'s application running in a thread.

PostgreSQL: `.ci/run` starts a cluster and exports QENGINE_TEST_POSTGRES_URL; where
that variable is missing, a cluster is made here with Debian's binaries (initdb and
pg_ctl, as the `postgres` user when run as root), in a temporary directory, on a
unix socket only, and removed at the end. Under CI (CI set, or the variable given)
a test that needs PostgreSQL fails when it cannot have it; elsewhere it is skipped.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

POSTGRES_VARIABLE = "QENGINE_TEST_POSTGRES_URL"


def required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get(POSTGRES_VARIABLE))


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@contextmanager
def postgres_cluster():
    """The URL of a PostgreSQL server (superuser), for as long as the block runs."""
    given = os.environ.get(POSTGRES_VARIABLE)
    if given:
        yield given
        return
    bindir = _binaries()
    if bindir is None:
        message = "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb)"
        pytest.fail(message) if required() else pytest.skip(message)
    home = Path(tempfile.mkdtemp(prefix="qengine-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        postgres = pwd.getpwnam("postgres")
        os.chown(home, postgres.pw_uid, postgres.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = home / "data", free_port()
    try:
        subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                        "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(home / "log"),
                        "-o", f"-k {home} -p {port} -c listen_addresses='' -c fsync=off", "start"],
                       check=True, capture_output=True)
        yield f"postgresql://postgres@/postgres?host={home}&port={port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def fresh_database(kind: str, cluster: str | None, directory: Path):
    """The URL of an empty database of `kind` ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.sqlite'}"
        return
    import sqlalchemy as sa

    from qengine.serve.storage import database_url

    name = f"qengine_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(database_url(cluster), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(database_url(cluster).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`qengine serve`'s application under uvicorn, in a thread of the test process."""

    def __init__(self, config):
        import uvicorn

        from qengine.serve.app import create_app, prepare

        prepare(config)
        self.app = create_app(config)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{config.base_path}"
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                     log_level="warning", access_log=False))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self.app.state.engine.dispose()
