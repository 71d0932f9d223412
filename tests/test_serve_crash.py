"""kill -9 in the middle of a load: nothing acknowledged is lost.

`qengine serve` runs as its own process (two workers on PostgreSQL); respondents
answer gp_backup page by page from threads; the server's whole process group is
killed with SIGKILL while they are at it, then started again on the same database.
Every answer that got a 200 must be there, every partial response must stand on
the page of its last acknowledged state (or of the request in flight, when that
one was committed but its reply lost), and every respondent then finishes with
the response `qengine play` gives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import attrs
import httpx
import pytest
from serve_fixtures import free_port

import qengine
from qengine.runtime.play import play

ROOT = Path(__file__).parent.parent
SURVEY = ROOT / "surveys" / "gp_backup.qdl"
PROFILES = sorted(p for p in (ROOT / "tests" / "gp_backup").glob("*.answers.json") if "blocked" not in p.name)
PLAY_FIELDS = ("shown", "complete", "response", "texts", "errors")
KILL_AFTER = 40  # acknowledged answer requests before the kill


@attrs.define
class Walker:
    answers: dict
    token: str = ""
    state: dict = attrs.field(factory=dict)
    acked: dict = attrs.field(factory=dict)  # answers whose request got a 200
    inflight: dict | None = None  # answers sent, reply not (yet) received
    submitted: dict | None = None  # the response, once submit got a 200

    def batch(self) -> dict:
        codes = [*self.state["shown"], *(self.state["page"]["questions"] if self.state["page"] else [])]
        return {c: self.answers[c] for c in codes if c in self.answers and c not in self.acked}

    def walk(self, client: httpx.Client, acknowledged: list) -> None:
        """Answer page by page until submitted, or until the server goes away."""
        try:
            while True:
                batch = self.batch()
                if not batch:
                    assert self.state["complete"], self.state["errors"]
                    reply = client.post(f"/api/responses/{self.token}/submit")
                    assert reply.status_code == 200, reply.text
                    self.submitted = reply.json()["response"]
                    return
                self.inflight = batch
                reply = client.post(f"/api/responses/{self.token}/answers", json={"answers": batch})
                assert reply.status_code == 200, reply.text
                self.acked.update(batch)
                self.state = reply.json()["state"]
                self.inflight = None
                acknowledged.append(self.token)
        except httpx.TransportError:
            return  # the server was killed


def _serve(database: str, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from qengine.cli import main; main()", "serve", str(SURVEY),
               "--db", database, "--port", str(port), "--workers", str(workers), "--rate-limit", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stdout.read().decode()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    raise AssertionError("the server did not start")


@pytest.mark.parametrize(("database", "workers"), [("sqlite", 1), ("postgresql", 2)], indirect=["database"],
                         ids=["sqlite", "postgresql-2-workers"])
def test_kill_9_loses_nothing_acknowledged(database, workers):
    survey = qengine.load(SURVEY)
    port = free_port()
    server = _serve(database, port, workers)
    walkers = [Walker(json.loads(p.read_text(encoding="utf-8"))) for p in PROFILES]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for w in walkers:
            created = client.post("/api/responses").json()
            w.token, w.state = created["token"], created["state"]

    acknowledged: list[str] = []
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for _ in walkers]
    threads = [threading.Thread(target=w.walk, args=(c, acknowledged)) for w, c in zip(walkers, clients, strict=True)]
    for t in threads:
        t.start()
    while len(acknowledged) < KILL_AFTER and any(t.is_alive() for t in threads):
        time.sleep(0.002)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()
    assert len(acknowledged) >= KILL_AFTER, "the load ended before the kill"
    assert any(w.submitted is None for w in walkers), "every respondent finished before the kill"

    server = _serve(database, port, workers)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for w in walkers:
                stored = client.get(f"/api/responses/{w.token}").json()["state"]
                if w.submitted is not None:
                    assert stored["status"] == "complete" and stored["response"] == w.submitted
                    continue
                candidates = [w.acked] + ([{**w.acked, **w.inflight}] if w.inflight else [])
                expected = [play(survey, answers).to_json() for answers in candidates]
                found = {k: stored[k] for k in PLAY_FIELDS}
                assert found in expected, f"{w.token}: the stored state is neither acknowledged nor in flight"
                if found == expected[0] and w.state:
                    assert stored["page"] == w.state["page"]  # resumes on its last acknowledged page
                else:
                    w.acked = candidates[-1]
                w.state = stored
            # Then every respondent finishes, with the response play gives.
            threads = [threading.Thread(target=w.walk, args=(client, [])) for w in walkers if w.submitted is None]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
        assert [w.submitted for w in walkers] == [play(survey, w.answers).response for w in walkers]
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
