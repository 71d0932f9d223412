"""`qengine serve`: fielding a survey and keeping its responses in a database.

The server is stateless around the runtime's `Session`: each request rebuilds the
respondent's session from the answers stored for them, applies what the request
brings, commits in one transaction and only then answers. Nothing a second worker
(or a second machine) would need lives in process memory, so any number of workers
can share one PostgreSQL database; a laptop uses an SQLite file beside the survey.

    tables      the schema, as SQLAlchemy Core tables
    storage     the engine (SQLite in WAL mode, PostgreSQL through psycopg) and every query
    statements  the queries of every request, compiled once, run on the driver's cursor
    migrations/ Alembic's versions of the schema, applied at start-up (`migrate.py`)
    tokens      resume and invitation tokens: 128 secret bits, compared in constant time
    versions    which version of the survey a response was answered under
    respond     the respondent's side: create, answer, move between pages, submit
    replay      `qengine play` resumed where the response's previous request left it
    recent      the responses a worker served a moment ago, with their sessions, under their revision
    threads     where a request's work runs: the event loop (SQLite), a few threads (PostgreSQL)
    api         the JSON API
    formdata    answers read from an HTML form post
    pages       the HTML pages, from the templates of the static HTML form
    admin       the read-only status page
    security    headers, body cap, rate limit, CSRF, passwords
    errors      refusals as JSON or a page; a 500 that reveals nothing
    app         the Starlette application; `config` is what every worker is told
    records     the one response record that `qengine responses` exports
"""

#: What `qengine serve` needs beyond qengine itself (the `serve` extra).
SERVER_MODULES = ("starlette", "uvicorn", "sqlalchemy", "alembic", "multipart")
INSTALL_HINT = "pip install 'qengine-survey[serve]'"


def missing_modules() -> list[str]:
    """The modules of the server stack that cannot be imported here."""
    import importlib.util

    return [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
