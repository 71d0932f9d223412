"""The JSON API (docs/serve.md): the same operations the HTML pages use.

    POST /api/responses                     201 {"id", "token", "state"}
    GET  /api/responses/{token}             200 {"id", "token", "state"}
    POST /api/responses/{token}/answers     200 {"state"}; 422 {"errors"}
    POST /api/responses/{token}/submit      200 {"complete": true, "response"}; 409 {"errors"}

Bodies are JSON objects (Content-Type: application/json). The work runs in a
thread: it is the runtime's Python and the database's blocking calls.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from qengine.runtime import json_input
from qengine.serve.errors import error_response
from qengine.serve.respond import Respondents
from qengine.serve.security import client_of
from qengine.serve.threads import work


async def _body(request: Request) -> dict | Response:
    """The request's JSON object; {} for an empty body. A Response when unusable."""
    raw = await request.body()
    if not raw.strip():
        return {}
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        # Also what keeps a form on another site from posting here: a cross-site
        # request cannot send JSON without the browser asking this server first.
        return error_response(request.url.path, 415)
    try:
        # Within the bounds answers files are read with: no huge numbers, NaN,
        # deep nesting or repeated keys.
        data = json_input.parse(raw.decode("utf-8"), "body")
    except UnicodeDecodeError:
        return error_response(request.url.path, 400, "The body is not UTF-8 text.")
    except json_input.JsonInputError as err:
        return error_response(request.url.path, 400, f"The body cannot be used: {err}.")
    if not isinstance(data, dict):
        return error_response(request.url.path, 400, "The body must be a JSON object.")
    return data


def _respondents(request: Request) -> Respondents:
    return request.app.state.respondents


async def create(request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, Response):
        return body
    invitation = body.get("invitation")
    if invitation is not None and not isinstance(invitation, str):
        return error_response(request.url.path, 400, "invitation must be a string.")
    if not request.app.state.rate_limit.allow(client_of(request)):
        return error_response(request.url.path, 429, headers={"Retry-After": "60"})
    created = await work(request, _respondents(request).create, invitation)
    return JSONResponse({"id": created.id, "token": created.token, "state": created.state}, status_code=201)


async def show(request: Request) -> Response:
    token = request.path_params["token"]
    response_id, state = await work(request, _respondents(request).state, token)
    return JSONResponse({"id": response_id, "token": token, "state": state})


async def answers(request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, Response):
        return body
    given = body.get("answers")
    if not isinstance(given, dict):
        return error_response(request.url.path, 400,
                              'The body must be {"answers": {CODE: VALUE, …}}, as in an answers file.')
    state = await work(request, _respondents(request).answer, request.path_params["token"], given)
    return JSONResponse({"state": state})


async def submit(request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, Response):
        return body
    response = await work(request, _respondents(request).submit, request.path_params["token"])
    return JSONResponse({"complete": True, "response": response})


async def health(request: Request) -> Response:
    respondents = _respondents(request)
    return JSONResponse({"survey": respondents.survey.code, "version": respondents.version})


routes = [
    Route("/api/responses", create, methods=["POST"]),
    Route("/api/responses/{token}", show, methods=["GET"]),
    Route("/api/responses/{token}/answers", answers, methods=["POST"]),
    Route("/api/responses/{token}/submit", submit, methods=["POST"]),
    Route("/api/health", health, methods=["GET"]),
]
