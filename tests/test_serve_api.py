"""The JSON API of `qengine serve` (docs/serve.md), on SQLite and on PostgreSQL:
one server a module and database, driven over HTTP by httpx."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from serve_fixtures import LiveServer

import qengine
from qengine.runtime.play import play
from qengine.serve.config import ServeConfig
from qengine.serve.storage import database_url
from qengine.serve.tables import responses

ROOT = Path(__file__).parent.parent
SURVEY = ROOT / "surveys" / "gp_backup.qdl"
PROFILES = sorted((ROOT / "tests" / "gp_backup").glob("*.answers.json"))
PLAY_FIELDS = ("shown", "complete", "response", "texts", "errors")


@pytest.fixture(scope="module")
def gp():
    return qengine.load(SURVEY)


@pytest.fixture(scope="module")
def server(module_database):
    with LiveServer(ServeConfig(str(SURVEY), module_database, rate_limit=0)) as live:
        yield live


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _answers(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _stored_row(server, response_id: int):
    with server.app.state.engine.connect() as c:
        return c.execute(sa.select(responses).where(responses.c.id == response_id)).one()


def test_create_gives_an_id_a_token_and_the_state_play_gives_for_no_answers(client, gp):
    reply = client.post("/api/responses")
    assert reply.status_code == 201
    body = reply.json()
    assert isinstance(body["id"], int) and len(body["token"]) == 32
    state = body["state"]
    assert {k: state[k] for k in PLAY_FIELDS} == play(gp, {}).to_json()
    assert state["status"] == "partial"
    assert state["page"] == {"index": 0, "key": "apropos", "questions": ["sexe", "age", "solo", "territoire"]}
    again = client.get(f"/api/responses/{body['token']}")
    assert again.status_code == 200
    assert again.json() == body


def test_unknown_and_malformed_tokens_are_404_in_json(client):
    created = client.post("/api/responses").json()["token"]
    other = created[:-1] + ("A" if created[-1] != "A" else "B")
    for token in (other, "nope", "x" * 32, created + "x"):
        for reply in (client.get(f"/api/responses/{token}"),
                      client.post(f"/api/responses/{token}/answers", json={"answers": {}}),
                      client.post(f"/api/responses/{token}/submit")):
            assert reply.status_code == 404
            assert reply.json() == {"errors": [{"question": None, "message": "There is no response with this token."}]}


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name.split(".")[0])
def test_all_answers_at_once_give_play_state_and_submit_gives_play_response(client, gp, profile):
    answers = _answers(profile)
    expected = play(gp, answers)
    token = client.post("/api/responses").json()["token"]
    reply = client.post(f"/api/responses/{token}/answers", json={"answers": answers})
    if reply.status_code == 422:
        # The value play refuses first is refused here too (with the others), and
        # nothing is stored.
        assert not expected.complete
        errors = reply.json()["errors"]
        assert errors[0] in [e.to_json() for e in expected.errors]
        assert client.get(f"/api/responses/{token}").json()["state"]["response"] == play(gp, {}).response
        return
    assert reply.status_code == 200, reply.text
    state = reply.json()["state"]
    assert {k: state[k] for k in PLAY_FIELDS} == expected.to_json()
    submitted = client.post(f"/api/responses/{token}/submit")
    if expected.complete:
        assert state["page"] is None
        assert submitted.status_code == 200
        assert submitted.json() == {"complete": True, "response": expected.response}
        assert client.get(f"/api/responses/{token}").json()["state"]["status"] == "complete"
    else:
        assert submitted.status_code == 409
        assert submitted.json()["errors"] == [e.to_json() for e in expected.errors]
        assert state["page"]["questions"] and expected.errors[0].question in state["page"]["questions"]


def _page_by_page(client, token: str, answers: dict) -> dict:
    """A client that answers only what the state shows: the questions of its page
    and those shown before, each once."""
    state = client.get(f"/api/responses/{token}").json()["state"]
    sent: set[str] = set()
    while True:
        codes = [*state["shown"], *(state["page"]["questions"] if state["page"] else [])]
        batch = {c: answers[c] for c in codes if c in answers and c not in sent}
        if not batch:
            return state
        sent.update(batch)
        reply = client.post(f"/api/responses/{token}/answers", json={"answers": batch})
        assert reply.status_code == 200, reply.text
        state = reply.json()["state"]


@pytest.mark.parametrize("profile", [p for p in PROFILES if "blocked" not in p.name][:6],
                         ids=lambda p: p.name.split(".")[0])
def test_page_by_page_ends_with_the_response_of_play(client, gp, profile):
    answers = _answers(profile)
    token = client.post("/api/responses").json()["token"]
    state = _page_by_page(client, token, answers)
    assert state["complete"]
    assert client.post(f"/api/responses/{token}/submit").json()["response"] == play(gp, answers).response


def test_a_refused_value_stores_nothing_of_the_request(client, server, gp):
    created = client.post("/api/responses").json()
    token = created["token"]
    ok = client.post(f"/api/responses/{token}/answers", json={"answers": {"sexe": "F"}})
    before = _stored_row(server, created["id"])
    reply = client.post(f"/api/responses/{token}/answers",
                        json={"answers": {"age": "age2", "solo": "nope", "sexe": "M"}})
    assert ok.status_code == 200 and reply.status_code == 422
    assert reply.json() == {"errors": [{"question": "solo", "message": "'nope' is not an option; options: "
                                        "soloo, solog"}]}
    after = _stored_row(server, created["id"])
    assert (after.answers, after.revision) == (before.answers, before.revision)
    unknown = client.post(f"/api/responses/{token}/answers", json={"answers": {"agee": "age2", "sexe": 3.5}})
    assert unknown.status_code == 422
    assert [e["question"] for e in unknown.json()["errors"]] == ["agee", "sexe"]


def test_answers_to_hidden_questions_are_dropped_as_play_drops_them(client, gp):
    token = client.post("/api/responses").json()["token"]
    # anciennete is asked only beyond the first age bracket.
    reply = client.post(f"/api/responses/{token}/answers", json={"answers": {"age": "age1", "anciennete": ["anc1"]}})
    assert reply.status_code == 200
    assert "anciennete" not in reply.json()["state"]["shown"]
    shown = client.post(f"/api/responses/{token}/answers", json={"answers": {"age": "age2"}}).json()["state"]
    # Dropped, not kept: revealing the question later does not bring the answer back.
    assert shown["response"]["anciennete"] is None
    both = client.post(f"/api/responses/{token}/answers",
                       json={"answers": {"anciennete": ["anc1"], "age": "age3"}}).json()["state"]
    assert both["response"]["anciennete"] == ["anc1"]  # survey order: age first, then anciennete


def test_submit_refuses_until_complete_then_is_final(client, gp):
    answers = _answers(ROOT / "tests" / "gp_backup" / "loss_partially_restored.answers.json")
    token = client.post("/api/responses").json()["token"]
    early = client.post(f"/api/responses/{token}/submit")
    assert early.status_code == 409
    assert early.json()["errors"] == [e.to_json() for e in play(gp, {}).errors]
    client.post(f"/api/responses/{token}/answers", json={"answers": answers})
    first = client.post(f"/api/responses/{token}/submit")
    second = client.post(f"/api/responses/{token}/submit")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"complete": True, "response": play(gp, answers).response}
    late = client.post(f"/api/responses/{token}/answers", json={"answers": {"sexe": "M"}})
    assert late.status_code == 409
    assert "submitted" in late.json()["errors"][0]["message"]


def test_bodies_must_be_json_objects_under_64_kib(client):
    token = client.post("/api/responses").json()["token"]
    url = f"/api/responses/{token}/answers"
    cases = [
        (client.post(url, content=b'{"answers": {}}', headers={"content-type": "text/plain"}), 415),
        (client.post(url, content=b"{nope", headers={"content-type": "application/json"}), 400),
        (client.post(url, content=b'{"answers": {"sexe": "F", "sexe": "M"}}',
                     headers={"content-type": "application/json"}), 400),
        (client.post(url, content=b'{"answers": {"pertejours": 1e999}}', headers={"content-type": "application/json"}),
         400),
        (client.post(url, content=b"[" * 100 + b"]" * 100, headers={"content-type": "application/json"}), 400),
        (client.post(url, content="é".encode("latin-1"), headers={"content-type": "application/json"}), 400),
        (client.post(url, json=[1, 2]), 400),
        (client.post(url, json={"answer": {}}), 400),
        (client.post(url, json={"answers": {"territoire": "x" * 70_000}}), 413),
        (client.post("/api/responses", content=b"a=b", headers={"content-type": "application/x-www-form-urlencoded"}),
         415),
    ]
    for reply, status in cases:
        assert reply.status_code == status, reply.text
        errors = reply.json()["errors"]
        assert errors and all(e["message"] for e in errors)


def test_security_headers_on_every_response(client):
    for reply in (client.post("/api/responses"), client.get("/api/nowhere"), client.get("/nowhere")):
        csp = reply.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'nonce-" in csp and "default-src 'none'" in csp
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
    assert client.get("/api/nowhere").json()["errors"][0]["message"]
    assert client.get("/nowhere").headers["content-type"].startswith("text/html")


def test_concurrent_answers_to_one_response_are_all_kept(client, server):
    token = client.post("/api/responses").json()["token"]
    page_one = {"sexe": "F", "age": "age1", "solo": "soloo", "territoire": "urb"}
    replies = []

    def send(code, value):
        with httpx.Client(base_url=server.url, timeout=30) as c:
            replies.append(c.post(f"/api/responses/{token}/answers", json={"answers": {code: value}}))

    threads = [threading.Thread(target=send, args=item) for item in page_one.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in replies] == [200] * 4
    response = client.get(f"/api/responses/{token}").json()["state"]["response"]
    assert {c: response[c] for c in page_one} == page_one


def test_page_durations_are_stored_and_nothing_about_the_client(client, server):
    created = client.post("/api/responses", headers={"user-agent": "Spy/1.0", "x-forwarded-for": "10.1.2.3"}).json()
    client.post(f"/api/responses/{created['token']}/answers", json={"answers": {"sexe": "F"}})
    row = _stored_row(server, created["id"])
    assert set(row.page_durations) == {"apropos"} and row.page_durations["apropos"] >= 0
    stored = json.dumps([str(v) for v in row])
    assert "Spy" not in stored and "10.1.2.3" not in stored and "127.0.0.1" not in stored
    assert created["token"] not in stored  # only a hash of the secret part is kept


def test_an_unexpected_failure_is_a_generic_500(client, server, monkeypatch):
    def broken(token):
        raise RuntimeError("secret detail of the server")

    monkeypatch.setattr(server.app.state.respondents, "state", broken)
    token = client.post("/api/responses").json()["token"]
    reply = client.get(f"/api/responses/{token}")
    assert reply.status_code == 500
    assert "secret detail" not in reply.text and "Traceback" not in reply.text
    assert reply.json()["errors"][0]["message"].startswith("Something went wrong on the server")


def test_the_database_url_names_psycopg_for_postgresql():
    assert database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert database_url("x.sqlite").get_backend_name() == "sqlite"
