"""`qengine serve`: field a survey and keep its responses (docs/serve.md)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qengine.cli.common import load_or_exit
from qengine.serve import INSTALL_HINT, missing_modules

if TYPE_CHECKING:
    from qengine.serve.app import Prepared

ADMIN_PASSWORD_VARIABLE = "QENGINE_ADMIN_PASSWORD"


def require_server_stack() -> None:
    """Exit 2 with the install command when the `serve` extra is not installed."""
    missing = missing_modules()
    if missing:
        click.echo(f"error: this command needs the server stack ({', '.join(missing)} missing); "
                   f"install it with:\n  {INSTALL_HINT}", err=True)
        raise SystemExit(2)


def database_option(function):
    return click.option(
        "--db", "database", metavar="URL",
        help="sqlite:///FILE, postgresql://USER:PASSWORD@HOST/NAME, or the path of an SQLite file "
             "(default: SURVEY.responses.sqlite beside the survey).")(function)


def open_database(survey_file: str, database: str | None, *, must_exist: bool = False) -> tuple[str, Prepared]:
    """The database (as given or the default) and the survey with its migrated
    database, or exit 2 saying why not. `must_exist`: an SQLite file that is not
    there is an error, not a new database."""
    require_server_stack()
    import sqlalchemy as sa

    from qengine.serve.app import prepare
    from qengine.serve.config import ServeConfig
    from qengine.serve.storage import StorageError, database_url, default_database

    survey = load_or_exit(survey_file)
    config = ServeConfig(survey_file, database or default_database(survey_file))
    try:
        url = database_url(config.database)
    except StorageError as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    if must_exist and url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).is_file()):
        click.echo(f"error: no database at {url.database} (give the one `qengine serve` used with --db)",
                   err=True)
        raise SystemExit(2)
    try:
        prepared = prepare(config, survey)
    except (StorageError, sa.exc.SQLAlchemyError, OSError) as err:
        click.echo(f"error: cannot use the database {config.database!r}: {_first_line(err)}", err=True)
        raise SystemExit(2) from None
    return config.database, prepared


def _first_line(err: Exception) -> str:
    text = str(getattr(err, "orig", None) or err).strip()
    return text.splitlines()[0] if text else type(err).__name__


@click.command("serve")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@database_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (several share the database; see docs/serve.md).")
@click.option("--base-path", default="", help="Serve under this path (/x) rather than at the root.")
@click.option("--closed", is_flag=True, help="By invitation only (qengine participants add).")
@click.option("--admin-password-file", type=click.Path(dir_okay=False),
              help=f"File holding the password of /admin (or set {ADMIN_PASSWORD_VARIABLE}).")
@click.option("--rate-limit", default=30, show_default=True, type=click.IntRange(0),
              help="New responses a client may start per minute (0: no limit).")
def serve_command(survey_file, database, host, port, workers, base_path, closed, admin_password_file,
                  rate_limit):
    """Field SURVEY: respondents answer it in their browser at the printed address,
    each page stored before the next is sent.

    Exit 2 for a bad survey, database, password file or busy port.
    """
    require_server_stack()
    import uvicorn

    from qengine.serve.config import ServeConfig
    from qengine.serve.config import base_path as clean_base
    from qengine.serve.security import hash_password
    from qengine.serve.storage import describe

    password = _admin_password(admin_password_file)
    database, prepared = open_database(survey_file, database)
    config = ServeConfig(
        survey_file, database, base_path=clean_base(base_path), closed=closed,
        admin_password_hash=hash_password(password) if password else None, rate_limit=rate_limit)
    _check_port(host, port)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}{config.base_path}/"
    click.echo(f"Serving {prepared.survey.code} (version {prepared.version}) at {url}"
               + (" (by invitation only)" if closed else ""))
    click.echo(f"Responses are kept in the {describe(prepared.url)}")
    click.echo(f"Status page: {url}admin" if password else
               f"Status page: off (give --admin-password-file or set {ADMIN_PASSWORD_VARIABLE})")
    click.echo("Press Ctrl+C to stop.")
    os.environ.update(config.to_environment())
    uvicorn.run("qengine.serve.app:worker_app", factory=True, host=host, port=port, workers=workers,
                # Addresses and tokens (in the paths) are not written to any log.
                access_log=False, log_level="warning", server_header=False)


def _admin_password(path: str | None) -> str | None:
    if path is None:
        return os.environ.get(ADMIN_PASSWORD_VARIABLE) or None
    try:
        password = Path(path).read_text(encoding="utf-8").strip("\r\n")
    except (OSError, UnicodeDecodeError) as err:
        click.echo(f"{path}: cannot read the password file: {err}", err=True)
        raise SystemExit(2) from None
    if not password:
        click.echo(f"{path}: the password file is empty", err=True)
        raise SystemExit(2)
    return password


def _check_port(host: str, port: int) -> None:
    """Say plainly that the port is taken, before uvicorn fails on it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            click.echo(f"error: cannot listen on {host}:{port}: {err.strerror or err}", err=True)
            raise SystemExit(2) from None
