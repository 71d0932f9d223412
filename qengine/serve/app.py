"""The Starlette application of `qengine serve`.

`prepare` runs once, before any worker starts: it brings the database's schema up
to date and records the version of the survey being served. `create_app` builds
the application of one worker; `worker_app` is the factory uvicorn's workers call,
reading the settings from the environment (`config.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import sqlalchemy as sa
from qengine_renderers.html.renderer import ServedForm
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount

from qengine.model import Survey
from qengine.serve import admin, api, pages
from qengine.serve.config import ServeConfig
from qengine.serve.errors import CatchAll, handlers
from qengine.serve.respond import Respondents
from qengine.serve.security import BodyLimit, Headers, RateLimit
from qengine.serve.storage import Store, create_engine, database_url
from qengine.serve.threads import Runner
from qengine.serve.versions import version_of
from qengine.syntax.loader import load


@attrs.frozen
class Prepared:
    survey: Survey
    version: str
    url: sa.URL


def prepare(config: ServeConfig, survey: Survey | None = None) -> Prepared:
    """Load the survey (unless given), migrate the database, record the survey's
    version. Raises `QdlError` for a survey with problems, `StorageError` or
    SQLAlchemy's errors for a database that cannot be used."""
    from qengine.serve import migrate  # Alembic: the parent's business, not the workers'

    survey = survey or load(config.survey_path)
    version = version_of(survey)
    url = database_url(config.database)
    engine = create_engine(url, pool_size=1)
    try:
        migrate.upgrade(engine)
        Store(engine, survey.code).record_version(version, survey.source.text, datetime.now(UTC))
    finally:
        engine.dispose()
    return Prepared(survey, version, url)


def create_app(config: ServeConfig) -> Starlette:
    survey = load(config.survey_path)
    version = version_of(survey)
    engine = create_engine(database_url(config.database), pool_size=config.pool_size)
    routes = [*api.routes, *pages.routes, *admin.routes]
    app = Starlette(
        routes=[Mount(config.base_path, routes=routes)] if config.base_path else routes,
        middleware=[Middleware(Headers), Middleware(BodyLimit), Middleware(CatchAll)],
        exception_handlers=handlers,
    )
    app.state.config = config
    app.state.respondents = Respondents(survey, version, Store(engine, survey.code), closed=config.closed)
    app.state.rate_limit = RateLimit(config.rate_limit)
    app.state.engine = engine
    app.state.runner = Runner(inline=engine.dialect.name == "sqlite")
    app.state.form = ServedForm(survey)
    return app


def worker_app() -> Starlette:
    return create_app(ServeConfig.from_environment())
