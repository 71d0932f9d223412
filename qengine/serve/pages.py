"""The respondents' pages: the static HTML form's templates, one survey page at a time.

    GET  /                 the welcome text (if any), then the first page
    POST /                 the first page answered: the response is created with it
    GET  /i/{invitation}   the same for an invitation (a closed survey has no other door)
    GET  /r/{token}        the page the respondent is on; the end screen once submitted
    POST /r/{token}        a page answered, then Next, Back or Resume later
    GET  /r/{token}/response.json   the submitted response, as a file

The pages work without JavaScript: the server decides what is shown and checks
every answer with the Python session, and a page whose answers reveal questions
on that same page comes back with them before it is left. With JavaScript the
form's own script shows and hides questions at once, as in the static form, and
checks the page before it is posted; the server checks it again all the same.

Each page is stored, in one transaction, before the next one is sent (post, then
redirect: reloading a page never posts twice). Form posts carry a CSRF value.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from qengine_renderers.html.renderer import Served
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from qengine.runtime import Session
from qengine.serve import formdata
from qengine.serve.errors import error_response
from qengine.serve.respond import NotFound, PageOutcome, Refused, Respondents, ServeError
from qengine.serve.security import CSRF_COOKIE, CSRF_FIELD, client_of, csrf_ok, csrf_value
from qengine.serve.threads import work

_ACTIONS = ("next", "back", "save")


def _respondents(request: Request) -> Respondents:
    return request.app.state.respondents


def _base(request: Request) -> str:
    return request.app.state.config.base_path


def _page(request: Request, session: Session, *, screen: str = "form", action: str, status: int = 200,
          problems=(), typed: FormData | None = None, token: str | None = None,
          response: dict | None = None) -> HTMLResponse:
    """A page of the form, with the CSRF cookie set when the browser has none."""
    base = _base(request)
    csrf, new_cookie = csrf_value(request)
    origin = str(request.base_url).rstrip("/")
    served = Served(
        session=session, screen=screen, action=action, csrf=csrf, nonce=request.state.nonce,
        shown_at=int(time.time() * 1000), start=f"{base}/", restart=f"{base}/",
        download=f"{base}/r/{token}/response.json" if token else "",
        resume=f"{origin}{base}/r/{token}" if token else "", problems=tuple(problems),
        typed={k: [v for v in typed.getlist(k) if isinstance(v, str)] for k in typed} if typed is not None else {}, response=response)
    reply = HTMLResponse(request.app.state.form.page(served), status_code=status)
    if new_cookie:
        reply.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="lax", path=base or "/",
                         secure=request.url.scheme == "https")
    return reply


def _failed(request: Request, err: ServeError) -> Response:
    return error_response(request.url.path, err.status, err.problems[0].message if len(err.problems) == 1 else None,
                          problems=err.problems if len(err.problems) > 1 else ())


async def welcome(request: Request) -> Response:
    respondents = _respondents(request)
    if respondents.closed:
        return error_response(request.url.path, 403, "This questionnaire is answered by invitation only: "
                                                     "please use the link you were sent.")
    return await _first(request, action=f"{_base(request)}/")


async def _first(request: Request, action: str) -> Response:
    session = await work(request, _respondents(request).first_page)
    screen = "welcome" if session.survey.welcome and "start" not in request.query_params else "form"
    return _page(request, session, screen=screen, action=action)


async def invited(request: Request) -> Response:
    invitation = request.path_params["invitation"]
    try:
        token = await work(request, _respondents(request).invited, invitation)
    except ServeError as err:
        return _failed(request, err)
    if token is not None:
        return RedirectResponse(f"{_base(request)}/r/{token}", status_code=303)
    return await _first(request, action=f"{_base(request)}/i/{invitation}")


async def start(request: Request) -> Response:
    """The first page posted (from / or from an invitation's page)."""
    form = await request.form()
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _expired(request)
    respondents = _respondents(request)
    invitation = request.path_params.get("invitation")
    if invitation is None and not request.app.state.rate_limit.allow(client_of(request)):
        return error_response(request.url.path, 429, headers={"Retry-After": "60"})
    try:
        outcome = await work(request, lambda: respondents.start_page(
            _reader(form, respondents), _action(form), nojs="_nojs" in form, shown_at=_shown_at(form),
            invitation=invitation))
    except Refused as err:
        session = await work(request, respondents.tentative, None, _reader(form, respondents))
        return _page(request, session, action=request.url.path, status=422, problems=err.problems, typed=form)
    except ServeError as err:
        return _failed(request, err)
    return _after(request, outcome, _action(form), form)


async def show(request: Request) -> Response:
    token = request.path_params["token"]
    respondents = _respondents(request)
    try:
        loaded = await work(request, respondents.find, token)
    except ServeError as err:
        return _failed(request, err)
    action = f"{_base(request)}/r/{token}"
    session = await work(request, respondents.page_session, loaded)
    if loaded.row.complete:
        return _page(request, session, screen="end", action=action, token=token, response=loaded.row.response)
    return _page(request, session, action=action, token=token)


async def answer(request: Request) -> Response:
    token = request.path_params["token"]
    form = await request.form()
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _expired(request)
    respondents = _respondents(request)
    try:
        outcome = await work(request, lambda: respondents.post_page(
            token, _reader(form, respondents), _action(form), nojs="_nojs" in form, shown_at=_shown_at(form)))
    except Refused as err:
        session = await work(request, respondents.tentative, token, _reader(form, respondents))
        return _page(request, session, action=request.url.path, status=422, problems=err.problems, typed=form,
                     token=token)
    except ServeError as err:
        return _failed(request, err)
    return _after(request, outcome, _action(form), form)


def _after(request: Request, outcome: PageOutcome, action: str, form: FormData) -> Response:
    """Where a page post leads: on to the page stored (post, redirect, get), or the
    same page again with its problems or the questions it now shows."""
    address = f"{_base(request)}/r/{outcome.token}"
    if action == "save":
        return _page(request, outcome.session, screen="saved", action=address, token=outcome.token)
    if outcome.submitted or (outcome.moved and not outcome.problems):
        return RedirectResponse(address, status_code=303)
    return _page(request, outcome.session, action=address, problems=outcome.problems, token=outcome.token)


async def download(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        loaded = await work(request, _respondents(request).find, token)
    except NotFound as err:
        return _failed(request, err)
    if not loaded.row.complete:
        return error_response(request.url.path, 404, "This response has not been submitted yet.")
    name = f"{loaded.survey.code}-response.json"
    return JSONResponse(loaded.row.response, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _reader(form: FormData, respondents: Respondents):
    return lambda codes: formdata.read(form, respondents.survey, codes)


def _action(form: FormData) -> str:
    action = form.get("_action")
    return action if action in _ACTIONS else "next"


def _shown_at(form: FormData) -> datetime | None:
    """When the page posted was sent (the form carries it back), for its duration."""
    raw = form.get("_t")
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) > 16:
        return None
    moment = datetime.fromtimestamp(int(raw) / 1000, UTC)
    return moment if moment <= datetime.now(UTC) else None


def _expired(request: Request) -> Response:
    return error_response(request.url.path, 403, "This form has expired or did not come from this site: "
                                                 "please go back, reload the page and answer again.")


routes = [
    Route("/", welcome, methods=["GET"]),
    Route("/", start, methods=["POST"]),
    Route("/i/{invitation}", invited, methods=["GET"]),
    Route("/i/{invitation}", start, methods=["POST"]),
    Route("/r/{token}", show, methods=["GET"]),
    Route("/r/{token}", answer, methods=["POST"]),
    Route("/r/{token}/response.json", download, methods=["GET"]),
]
