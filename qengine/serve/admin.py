"""`/admin`: a read-only status page for the survey's author.

Responses started, partial and complete, in all and per day (UTC), and the
invitations used. It shows counts only, never an answer. It is protected by the
password given to `qengine serve` (`--admin-password-file` or the environment
variable QENGINE_ADMIN_PASSWORD), asked by the browser (HTTP Basic: serve it over
HTTPS, docs/serve.md); the server keeps only its scrypt hash and compares in
constant time. Without a password the page does not exist.
"""

from __future__ import annotations

import base64
import binascii

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from qengine.serve.errors import error_response
from qengine.serve.security import password_ok
from qengine.serve.threads import in_thread

_PAGE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ code }}: responses</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid #d5d9e0; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.muted { color: #5a6270; }
</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
<p class="muted">Survey <code>{{ code }}</code>, version <code>{{ version }}</code>{% if closed %}, by invitation only{% endif %}.</p>
<table>
<thead><tr><th>Responses</th><th>started</th><th>partial</th><th>complete</th></tr></thead>
<tbody><tr><td>all</td><td>{{ started }}</td><td>{{ partial }}</td><td>{{ complete }}</td></tr></tbody>
</table>
{% if invited %}<p>Invitations: {{ used }} used of {{ invited }}.</p>{% endif %}
<h2>Per day (UTC), by the day a response was started</h2>
<table>
<thead><tr><th>day</th><th>started</th><th>partial</th><th>complete</th></tr></thead>
<tbody>
{% for d in days %}<tr><td>{{ d.day }}</td><td>{{ d.started }}</td><td>{{ d.partial }}</td><td>{{ d.complete }}</td></tr>
{% else %}<tr><td colspan="4" class="muted">No response yet.</td></tr>
{% endfor %}
</tbody>
</table>
</main>
</body>
</html>
""")


def _password(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        _, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return password


async def status(request: Request) -> Response:
    stored = request.app.state.config.admin_password_hash
    if stored is None:
        return error_response(request.url.path, 404, "The admin page is off: start the server with "
                                                     "--admin-password-file (docs/serve.md).")
    password = _password(request)
    if password is None or not await in_thread(password_ok, password, stored):
        return error_response(request.url.path, 401, "The admin page needs its password.",
                              headers={"WWW-Authenticate": 'Basic realm="qengine admin", charset="UTF-8"'})
    respondents = request.app.state.respondents
    store = respondents.store
    days = await in_thread(store.counts_by_day)
    invited, used = await in_thread(store.invitation_counts)
    survey = respondents.survey
    page = _PAGE.render(
        title=(survey.title.plain if survey.title else survey.code), code=survey.code,
        version=respondents.version, closed=respondents.closed, days=days,
        started=sum(d.started for d in days), partial=sum(d.partial for d in days),
        complete=sum(d.complete for d in days), invited=invited, used=used)
    return HTMLResponse(page)


routes = [Route("/admin", status, methods=["GET"])]
