"""Who may do what on a server: a closed survey admits invitation holders only, new
responses are rate-limited per client, and /admin wants its password."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from serve_fixtures import LiveServer

from qengine.serve import tokens
from qengine.serve.config import ServeConfig
from qengine.serve.security import hash_password, password_ok

SURVEY = Path(__file__).parent.parent / "surveys" / "gp_backup.qdl"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(module_database):
    config = ServeConfig(str(SURVEY), module_database, closed=True, rate_limit=4,
                         admin_password_hash=hash_password(PASSWORD))
    with LiveServer(config) as live:
        yield live


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _invite(server, n: int) -> list[str]:
    made = [tokens.new() for _ in range(n)]
    server.app.state.respondents.store.add_invitations([(t.selector, t.verifier_hash) for t in made],
                                                     server.app.state.respondents.clock())
    return [t.text for t in made]


def test_a_closed_survey_admits_each_invitation_once(client, server):
    first, second = _invite(server, 2)
    refused = client.post("/api/responses")
    assert refused.status_code == 403
    assert "invitation" in refused.json()["errors"][0]["message"]
    created = client.post("/api/responses", json={"invitation": first})
    assert created.status_code == 201
    used = client.post("/api/responses", json={"invitation": first})
    assert used.status_code == 409 and "already been used" in used.json()["errors"][0]["message"]
    assert client.post("/api/responses", json={"invitation": tokens.new().text}).status_code == 404
    assert client.post("/api/responses", json={"invitation": 42}).status_code == 400
    token = created.json()["token"]
    assert client.post(f"/api/responses/{token}/answers", json={"answers": {"sexe": "F"}}).status_code == 200
    # The rate limit (4 a minute) counts attempts to start from this one client: 4 made above.
    assert client.post("/api/responses", json={"invitation": second}).status_code == 429


def test_new_responses_are_rate_limited_per_client(server):
    limit = server.app.state.rate_limit
    assert [limit.allow("192.0.2.7") for _ in range(5)] == [True, True, True, True, False]
    assert limit.allow("192.0.2.8")
    with httpx.Client(base_url=server.url) as c:
        reply = c.post("/api/responses")
    assert reply.status_code == 429 and reply.headers["retry-after"] == "60"
    assert reply.json()["errors"][0]["message"].startswith("Too many requests")


def test_admin_wants_its_password(client):
    anonymous = client.get("/admin")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")
    assert client.get("/admin", auth=("admin", "wrong")).status_code == 401
    assert client.get("/admin", headers={"authorization": "Basic ???"}).status_code == 401
    page = client.get("/admin", auth=("admin", PASSWORD))
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<td>all</td><td>1</td><td>1</td><td>0</td>" in page.text.replace("\n", "")
    assert "Invitations: 1 used of 2." in page.text


def test_passwords_are_kept_hashed():
    stored = hash_password(PASSWORD)
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    assert hash_password(PASSWORD) != stored  # salted
    assert password_ok(PASSWORD, stored) and not password_ok(PASSWORD + " ", stored)
    assert not password_ok(PASSWORD, "garbage")


def test_admin_is_off_without_a_password(tmp_path):
    config = ServeConfig(str(SURVEY), str(tmp_path / "r.sqlite"))
    with LiveServer(config) as live, httpx.Client(base_url=live.url) as c:
        reply = c.get("/admin")
    assert reply.status_code == 404 and "--admin-password-file" in reply.text


def test_a_closed_survey_opens_its_pages_by_invitation_only(client, server):
    (invitation,) = _invite(server, 1)
    assert client.get("/").status_code == 403
    first = client.get(f"/i/{invitation}")
    assert first.status_code == 200 and f'action="/i/{invitation}"' in first.text
    csrf = re.search(r'name="_csrf" value="([^"]+)"', first.text).group(1)
    started = client.post(f"/i/{invitation}", data={"_csrf": csrf, "sexe": "F", "_nojs": "1"})
    assert started.status_code == 200
    token = re.search(r'action="/r/([A-Za-z0-9_-]{32})"', started.text).group(1)
    # The invitation link is the way back: to the same response, under a new token.
    again = client.get(f"/i/{invitation}")
    assert again.status_code == 303
    new_token = again.headers["location"].rsplit("/", 1)[1]
    assert new_token != token
    assert client.get(f"/api/responses/{token}").status_code == 404
    assert client.get(f"/api/responses/{new_token}").json()["state"]["response"]["sexe"] == "F"
    assert client.get(f"/i/{tokens.new().text}").status_code == 404


def test_a_base_path_holds_everything(tmp_path):
    config = ServeConfig(str(SURVEY), str(tmp_path / "r.sqlite"), base_path="/enquete/gp")
    with LiveServer(config) as live, httpx.Client(base_url=f"http://127.0.0.1:{live.port}") as c:
        assert c.post("/enquete/gp/api/responses").status_code == 201
        page = c.get("/enquete/gp/?start=1")
        assert page.status_code == 200 and 'action="/enquete/gp/"' in page.text
        assert c.post("/api/responses").status_code == 404
        assert c.get("/").status_code == 404
