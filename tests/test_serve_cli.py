"""`qengine serve` on the command line: what it prints, and how it refuses what it
cannot use (exit 2, a sentence, no traceback); `qengine responses --delete`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner
from serve_fixtures import free_port

import qengine
from qengine.cli import main
from qengine.serve import migrate
from qengine.serve.respond import Respondents
from qengine.serve.storage import Store, create_engine, database_url
from qengine.serve.versions import version_of

SURVEY = Path(__file__).parent.parent / "surveys" / "gp_backup.qdl"


def _refused(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def test_without_the_server_stack_it_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr("qengine.cli.serve.missing_modules", lambda: ["starlette", "uvicorn"])
    for command in (["serve", str(SURVEY)], ["responses", str(SURVEY)],
                    ["participants", "add", str(SURVEY), "--csv", str(SURVEY)]):
        output = _refused(*command)
        assert "pip install 'qengine-survey[serve]'" in output and "starlette" in output


def test_what_it_cannot_use_is_refused_plainly(tmp_path):
    assert "unsupported database" in _refused("serve", str(SURVEY), "--db", "mysql://u@h/db")
    assert "cannot use the database" in _refused("serve", str(SURVEY), "--db", "postgresql://nobody@/x?host=/nowhere")
    assert "cannot read the file" in _refused("serve", str(tmp_path / "missing.qdl"))
    empty = tmp_path / "password"
    empty.write_text("\n")
    assert "empty" in _refused("serve", str(SURVEY), "--db", str(tmp_path / "r.sqlite"),
                               "--admin-password-file", str(empty))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert "cannot listen" in _refused("serve", str(SURVEY), "--db", str(tmp_path / "r.sqlite"),
                                           "--port", str(port))


def test_it_prints_where_to_answer_what_keeps_the_responses_and_how_to_stop(tmp_path):
    survey = tmp_path / "gp.qdl"
    survey.write_text(SURVEY.read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", "from qengine.cli import main; main()", "serve", str(survey),
                               "--port", str(port), "--base-path", "/gp/"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines = [server.stdout.readline() for _ in range(4)]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/gp/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        page = httpx.get(f"http://127.0.0.1:{port}/gp/")
        assert page.status_code == 200 and "qe-form" in page.text
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(30)
    assert lines[0].startswith(f"Serving gpbackup (version {version_of(qengine.load(SURVEY))}) at "
                               f"http://127.0.0.1:{port}/gp/")
    assert lines[1].strip() == f"Responses are kept in the SQLite file {tmp_path / 'gp.responses.sqlite'}"
    assert "Status page: off" in lines[2] and "Ctrl+C" in lines[3]
    assert (tmp_path / "gp.responses.sqlite").exists()


def test_responses_can_be_deleted_by_id(tmp_path):
    database = str(tmp_path / "r.sqlite")
    engine = create_engine(database_url(database))
    migrate.upgrade(engine)
    survey = qengine.load(SURVEY)
    respondents = Respondents(survey, version_of(survey), Store(engine, survey.code))
    kept, gone = respondents.create(), respondents.create()
    result = CliRunner().invoke(main, ["responses", str(SURVEY), "--db", database, "--delete", str(gone.id)])
    assert result.exit_code == 0 and "1 response deleted" in result.output
    assert [r.id for r in respondents.store.responses(partial=True)] == [kept.id]
    assert "no response 999" in _refused("responses", str(SURVEY), "--db", database, "--delete", "999")
    engine.dispose()
