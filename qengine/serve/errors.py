"""Refusals as the client reads them: JSON under `/api/`, a short page elsewhere.

Every refused request gets one of these, with a sentence saying what to do. An
unexpected failure gets "something went wrong on the server" and nothing more;
its traceback goes to the server's log (`CatchAll`).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qengine.runtime import Problem
from qengine.serve.respond import ServeError

log = logging.getLogger("qengine.serve")

_STATUS = {
    400: "The request cannot be read.",
    403: "Access is refused.",
    404: "There is nothing at this address.",
    405: "This address does not take this kind of request.",
    409: "This cannot be done now.",
    413: "The request is too large.",
    415: "The request must be JSON (Content-Type: application/json).",
    422: "Some answers were refused.",
    429: "Too many requests: please wait a minute and try again.",
    500: "Something went wrong on the server. Your last answers may not have been saved; "
         "please try again in a moment.",
    503: "The server is busy: please try again in a moment.",
}


def is_api(path: str) -> bool:
    return "/api/" in path or path.endswith("/api")


def error_response(path: str, status: int, message: str | None = None,
                   problems: tuple[Problem, ...] = (), headers: Mapping[str, str] | None = None) -> Response:
    message = message or _STATUS.get(status, "The request was refused.")
    if is_api(path):
        errors = [p.to_json() for p in problems] or [{"question": None, "message": message}]
        return JSONResponse({"errors": errors}, status_code=status, headers=headers)
    items = "".join(f"<li>{html.escape(p.message)}</li>" for p in problems)
    body = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{status}</title></head><body><main>"
            f"<h1>{html.escape(message)}</h1>{f'<ul>{items}</ul>' if items else ''}"
            f"</main></body></html>")
    return HTMLResponse(body, status_code=status, headers=headers)


async def serve_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServeError)
    return error_response(request.url.path, exc.status, exc.problems[0].message if len(exc.problems) == 1
                          and exc.problems[0].question is None else None, problems=exc.problems)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request.url.path, exc.status_code, headers=exc.headers)


class CatchAll:
    """The last line: any exception the application lets through becomes a 500
    that says nothing, with its traceback in the server's log (inside the
    security headers, unlike Starlette's own last line)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), redact(scope["path"]))
            if started:
                raise
            await error_response(scope["path"], 500)(scope, receive, send)


def redact(path: str) -> str:
    """A path with its tokens (which open a response) left out, fit for a log."""
    return re.sub(r"[A-Za-z0-9_-]{32}", "…", path)


handlers = {ServeError: serve_error, HTTPException: http_error}
