"""What stands between the survey and a hostile client.

- `Headers`: every response says Content-Security-Policy (scripts only with the
  nonce of the page that carries them; no framing; forms post only here),
  X-Content-Type-Options, Referrer-Policy (a page's address holds the resume
  token: it must not leak to another site) and Cache-Control: no-store.
- `BodyLimit`: request bodies beyond 64 KiB are refused (413) before they are read
  whole.
- `RateLimit`: new responses per client and minute, counted in this process.
- CSRF: form posts carry a random value that must equal the one in a cookie of
  this site (double submit), and a foreign Origin is refused.
- Passwords (`/admin`) are kept as scrypt hashes and compared in constant time.
- Errors: a 500 says nothing to the client; the server's log has the traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from urllib.parse import urlsplit

from starlette.datastructures import Headers as RequestHeaders
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qengine.serve.errors import error_response

#: The largest request body accepted: answers to a survey fit many times over.
MAX_BODY = 64 * 1024
CSRF_COOKIE = "qe_csrf"
CSRF_FIELD = "_csrf"


def csp(nonce: str) -> str:
    # Style attributes (a grid's column count) and the page's inline stylesheet
    # need 'unsafe-inline' for styles; scripts run only with this response's nonce.
    return ("default-src 'none'; "
            f"script-src 'nonce-{nonce}'; "
            "style-src 'unsafe-inline'; "
            "img-src 'self' data:; "
            "connect-src 'self'; "
            "form-action 'self'; "
            "base-uri 'none'; "
            "frame-ancestors 'none'")


class Headers:
    """Security headers on every response; the nonce of the page's script is put
    in `scope["state"]["nonce"]` for the page to use."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = csp(nonce)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse bodies over `limit` bytes (413): at once when Content-Length says so,
    else as soon as more than that has arrived."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = RequestHeaders(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"The request is too large: at most {self.limit // 1024} KiB."
        await error_response(scope["path"], 413, message)(scope, receive, send)


class RateLimit:
    """At most `per_minute` new responses a minute from one client (a token bucket
    per address, `per_minute` deep). Kept in this process's memory only, never
    stored: with several workers each counts its own (docs/serve.md). Addresses
    are held as keyed hashes, and only the most recent `clients` of them."""

    def __init__(self, per_minute: int, clients: int = 10_000):
        self.per_minute = per_minute
        self.clients = clients
        self._buckets: OrderedDict[bytes, tuple[float, float]] = OrderedDict()
        self._key = secrets.token_bytes(16)
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        if self.per_minute <= 0:
            return True
        key = hmac.new(self._key, client.encode(), hashlib.sha256).digest()
        now = time.monotonic()
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, then = self._buckets.pop(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            allowed = tokens >= 1
            self._buckets[key] = (tokens - 1 if allowed else tokens, now)
            while len(self._buckets) > self.clients:
                self._buckets.popitem(last=False)
        return allowed


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# ---------------------------------------------------------------- CSRF
def csrf_value(request: Request) -> tuple[str, bool]:
    """The CSRF value for the page's form, and whether the cookie must be set."""
    current = request.cookies.get(CSRF_COOKIE, "")
    if len(current) == 43 and current.replace("-", "").replace("_", "").isalnum():
        return current, False
    return secrets.token_urlsafe(32), True


def csrf_ok(request: Request, posted: str | UploadFile | None) -> bool:
    """A form post is genuine when it comes from no other origin and carries the
    value of this site's cookie."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        return False
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not posted or not isinstance(posted, str):  # a file sent in its place is no token
        return False
    return hmac.compare_digest(cookie.encode(), posted.encode())


# ---------------------------------------------------------------- passwords
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_ok(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex().encode(), digest.encode())
