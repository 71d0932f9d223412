"""gp_backup answered in Chromium through the pages `qengine serve` sends, with
JavaScript on and off: the response stored is the one `qengine play` gives for the
same answers. Also: Back, "Resume later" on another device, a refused value, the
problems of a page, and the page's security headers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from browser_form import Respondent, browser, chromium_or_skip
from serve_fixtures import LiveServer

import qengine
from qengine.runtime.messages import message
from qengine.runtime.play import play
from qengine.serve.config import ServeConfig

ROOT = Path(__file__).parent.parent
SURVEY = ROOT / "surveys" / "gp_backup.qdl"
PROFILES = ROOT / "tests" / "gp_backup"
CASES = ["group_clientserver_thorough", "solo_cloud_and_third_party_cloud", "loss_partially_restored"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chromium_or_skip()
    config = ServeConfig(str(SURVEY), str(tmp_path_factory.mktemp("db") / "responses.sqlite"), rate_limit=0)
    with LiveServer(config) as live:
        yield live


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def page(request, chromium):
    context = chromium.new_context(java_script_enabled=request.param, accept_downloads=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _token(page) -> str:
    match = re.search(r"/r/([A-Za-z0-9_-]{32})", page.url)
    assert match, page.url
    return match.group(1)


def _state(server, token: str) -> dict:
    return httpx.get(f"{server.url}/api/responses/{token}").json()["state"]


@pytest.mark.parametrize("profile", CASES)
def test_a_respondent_in_the_browser_stores_the_response_play_gives(server, page, profile):
    answers = json.loads((PROFILES / f"{profile}.answers.json").read_text(encoding="utf-8"))
    page.goto(server.url + "/")
    assert Respondent(page).play(answers) == "end"
    state = _state(server, _token(page))
    assert state["status"] == "complete"
    assert state["response"] == play(qengine.load(SURVEY), answers).response
    assert "qe-end" in page.inner_html("main") and page.is_visible("#qe-end")
    downloaded = httpx.get(f"{server.url}/r/{_token(page)}/response.json")
    assert downloaded.json() == state["response"]
    assert "attachment" in downloaded.headers["content-disposition"]


def test_problems_back_and_resume_later_on_another_device(server, page, chromium):
    survey = qengine.load(SURVEY)
    respondent = Respondent(page)
    page.goto(server.url + "/")
    respondent.start()
    respondent.answer("sexe", "F")
    respondent.next()
    # The page is not left: its problems are listed and said at each question.
    assert set(respondent.summary()) == {"age", "solo", "territoire"}
    assert respondent.errors("age") == ["Cette question est obligatoire."]
    for _ in range(2):  # without a script, anciennete appears once age is posted
        respondent.fill_page({"age": "age2", "anciennete": ["anc2"], "solo": "soloo", "territoire": "urb"})
        respondent.next()
        if "sexe" not in respondent.shown():
            break
    assert respondent.shown()[0] == "reseau"
    token = _token(page)
    page.click("#qe-back")
    assert page.is_checked("input[name=age][value=age2]") and respondent.shown()[0] == "sexe"
    respondent.next()
    respondent.answer("reseau", "resmp")
    page.click("#qe-save")
    link = page.get_attribute("#qe-saved a", "href")
    assert link.endswith(f"/r/{token}") and page.is_visible("#qe-saved")
    # Another device, without the first one's cookies: the link is enough.
    other = chromium.new_context(java_script_enabled=False).new_page()
    other.goto(link)
    assert Respondent(other).shown()[0] == "reseau"
    assert other.is_checked("input[name=reseau][value=resmp]")
    other.context.close()
    assert _state(server, token)["response"]["reseau"] == "resmp"
    assert survey.code == "gpbackup"


def test_a_refused_value_is_said_and_kept_as_typed(server, page):
    answers = json.loads((PROFILES / "loss_partially_restored.answers.json").read_text(encoding="utf-8"))
    respondent = Respondent(page)
    page.goto(server.url + "/")
    respondent.start()
    for _ in range(10):  # to the page of the loss
        if "pertejours" in respondent.shown():
            break
        respondent.fill_page(answers)
        respondent.next()
    assert "pertejours" in respondent.shown()
    respondent.fill_page(answers)
    respondent.type("[data-question=pertejours] input", "deux")
    respondent.next()
    assert respondent.errors("pertejours") == [message("fr", "not_number")]
    assert page.input_value("[data-question=pertejours] input") == "deux"
    # What the other answers of the page show is shown, though nothing was stored.
    assert "perterestauree" in respondent.shown()  # pertesauvegarde = "o" shows it
    respondent.type("[data-question=pertejours] input", "3")
    for _ in range(6):  # without a script, each answer that shows a question of the page shows the page again
        respondent.next()
        if "pertejours" not in respondent.shown():
            break
        respondent.fill_page(answers)
    assert "pertejours" not in respondent.shown()
    assert _state(server, _token(page))["response"]["pertejours"] == 3


def test_the_page_script_runs_only_with_its_nonce(server):
    reply = httpx.get(f"{server.url}/?start=1")
    nonce = re.search(r"script-src 'nonce-([^']+)'", reply.headers["content-security-policy"]).group(1)
    assert f'<script nonce="{nonce}">' in reply.text
    assert reply.text.count("<script") == 1
    assert reply.headers["x-frame-options"] == "DENY"


def test_a_form_post_without_its_csrf_value_is_refused(server):
    with httpx.Client(base_url=server.url) as client:
        client.get("/?start=1")  # the cookie
        assert client.post("/", data={"sexe": "F"}).status_code == 403
        assert client.post("/", data={"sexe": "F", "_csrf": "x" * 43}).status_code == 403
        value = re.search(r'name="_csrf" value="([^"]+)"', client.get("/?start=1").text).group(1)
        foreign = client.post("/", data={"sexe": "F", "_csrf": value}, headers={"origin": "https://evil.example"})
        assert foreign.status_code == 403
        accepted = client.post("/", data={"sexe": "F", "_csrf": value, "_nojs": "1"})
        assert accepted.status_code == 200 and "/r/" in accepted.text
